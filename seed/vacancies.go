package seed

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"incontro/matching"
	"incontro/reference"
)

var contractBySector = map[string][]string{
	"turismo":     {"seasonal", "fixed_term", "permanent", "intermittent"},
	"agricoltura": {"seasonal", "fixed_term"},
	"cura":        {"permanent", "fixed_term"},
	"ict":         {"permanent", "apprenticeship"},
}

// Vacancy returns vacancy k of an employer in a sector, with 4 to 8
// requirements in order of importance. EmployerID is left for the loader.
func (g *Generator) Vacancy(employerIndex, k int, sector string) matching.Vacancy {
	r := g.rng(streamVacancy, uint64(employerIndex)<<8|uint64(k))
	occs := g.bySector[sector]
	occ := g.occupations[pick(r, occs)]
	home := g.homes[pickWeighted(r, g.homeWeights)]
	contracts := contractBySector[sector]
	if contracts == nil {
		contracts = []string{"permanent", "fixed_term", "agency", "apprenticeship"}
	}
	v := matching.Vacancy{
		Title:            occ.Title,
		OccupationCode:   occ.Code,
		ISCOCode:         occ.ISCO,
		MunicipalityCode: home.Code,
		Lat:              home.Lat,
		Lon:              home.Lon,
		ContractType:     pick(r, contracts),
		WorkingTime:      []string{"full_time"},
		Positions:        1 + r.IntN(3),
		Status:           matching.VacancyPublished,
	}
	published := g.day(-r.IntN(60)).Add(9 * 3600e9)
	v.PublishedAt = &published
	closes := g.day(15 + r.IntN(45))
	v.ClosesOn = &closes
	if sector == "turismo" || sector == "cura" {
		v.WorkingTime = append(v.WorkingTime, "shifts", "weekends")
	}
	// Some vacancies are drafts, but never the first one of the employers
	// that have demo accounts: each of them has a request to show.
	if chance(r, 0.15) && (k > 0 || employerIndex >= DemoEmployers) {
		v.Status = matching.VacancyDraft
		v.PublishedAt = nil
	}

	var reqs []matching.Requirement
	years := float64(pick(r, []int{0, 1, 2, 2, 3, 5}))
	reqs = append(reqs, matching.Requirement{Kind: matching.ReqOccupation, Code: occ.Code, Label: occ.Title, MinYears: &years, Essential: years > 0 && chance(r, 0.5)})
	skills := append([]string(nil), occ.Skills...)
	r.Shuffle(len(skills), func(a, b int) { skills[a], skills[b] = skills[b], skills[a] })
	for _, code := range skills[:min(len(skills), 1+r.IntN(3))] {
		if sk, ok := reference.SkillByCode(code); ok {
			reqs = append(reqs, matching.Requirement{Kind: matching.ReqSkill, Code: sk.Code, Label: sk.Label, Essential: chance(r, 0.25)})
		}
	}
	if chance(r, 0.6) {
		lang := "de"
		if chance(r, 0.5) {
			lang = "en"
		}
		reqs = append(reqs, matching.Requirement{Kind: matching.ReqLanguage, Code: lang, Level: pick(r, []string{"A2", "B1", "B1", "B2"}), Essential: chance(r, 0.3)})
	}
	if sector == "logistica" {
		reqs = append(reqs, matching.Requirement{Kind: matching.ReqLicence, Code: pick(r, []string{"C", "CE"}), Essential: true})
	} else if chance(r, 0.4) {
		reqs = append(reqs, matching.Requirement{Kind: matching.ReqLicence, Code: "B", Essential: chance(r, 0.5)})
	}
	km := pick(r, []int{15, 20, 30, 40, 50})
	reqs = append(reqs, matching.Requirement{Kind: matching.ReqDistance, MaxKm: &km})
	if chance(r, 0.5) {
		from := g.day(7 + r.IntN(30))
		reqs = append(reqs, matching.Requirement{Kind: matching.ReqAvailability, FromDate: &from})
	}
	if chance(r, 0.4) {
		reqs = append(reqs, matching.Requirement{Kind: matching.ReqContract, Values: []string{v.ContractType}})
	}
	if certs := certificationsBySector[sector]; len(certs) > 0 && chance(r, 0.3) {
		c := pick(r, certs)
		reqs = append(reqs, matching.Requirement{Kind: matching.ReqCertification, Code: c.Code, Label: c.Name})
	}
	if len(reqs) > 8 {
		reqs = reqs[:8]
	}
	for i := range reqs {
		reqs[i].Rank = i + 1
	}
	v.Requirements = reqs
	v.Description = vacancyText(r, occ, home, v)
	return v
}

func vacancyText(r *rand.Rand, occ reference.Occupation, home reference.Municipality, v matching.Vacancy) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Cerchiamo %s per la nostra sede di %s. ", strings.ToLower(occ.Title), home.Name)
	var skills []string
	for _, req := range v.Requirements {
		if req.Kind == matching.ReqSkill {
			skills = append(skills, strings.ToLower(req.Label))
		}
	}
	if len(skills) > 0 {
		fmt.Fprintf(&b, "La persona si occuperà di: %s. ", strings.Join(skills, ", "))
	}
	b.WriteString(pick(r, []string{
		"Offriamo un ambiente di lavoro sereno e la possibilità di crescita.",
		"Si offre contratto come da CCNL di settore e formazione iniziale.",
		"Possibilità di alloggio per chi proviene da fuori zona.",
	}))
	b.WriteString(" L'offerta è rivolta a persone di entrambi i sessi (D.Lgs. 198/2006).")
	return b.String()
}
