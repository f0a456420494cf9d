package seed

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"incontro/matching"
	"incontro/reference"
)

// educationByISCOMajor gives the EQF levels typical of each ISCO major
// group, with an Italian title and field for each.
var educationByISCOMajor = map[byte][]matching.Education{
	'1': {{EQFLevel: 6, Title: "Laurea in Economia", Field: "Economia"}, {EQFLevel: 4, Title: "Diploma di istituto tecnico economico", Field: "Amministrazione, finanza e marketing"}},
	'2': {{EQFLevel: 6, Title: "Laurea triennale", Field: "Informatica"}, {EQFLevel: 7, Title: "Laurea magistrale", Field: "Ingegneria"}, {EQFLevel: 6, Title: "Laurea in Infermieristica", Field: "Infermieristica"}, {EQFLevel: 6, Title: "Laurea in Scienze dell'educazione", Field: "Educazione"}},
	'3': {{EQFLevel: 4, Title: "Diploma di istituto tecnico", Field: "Costruzioni, ambiente e territorio"}, {EQFLevel: 5, Title: "Diploma ITS Academy", Field: "Tecnologie dell'informazione"}, {EQFLevel: 4, Title: "Diploma di istituto tecnico tecnologico", Field: "Informatica e telecomunicazioni"}},
	'4': {{EQFLevel: 4, Title: "Diploma di istituto tecnico economico", Field: "Amministrazione, finanza e marketing"}, {EQFLevel: 4, Title: "Diploma di liceo", Field: "Scienze umane"}},
	'5': {{EQFLevel: 3, Title: "Qualifica professionale IeFP", Field: "Ristorazione"}, {EQFLevel: 4, Title: "Diploma di istituto professionale", Field: "Enogastronomia e ospitalità alberghiera"}, {EQFLevel: 3, Title: "Qualifica di operatore socio-sanitario", Field: "Servizi socio-sanitari"}, {EQFLevel: 2, Title: "Licenza media", Field: ""}},
	'6': {{EQFLevel: 3, Title: "Qualifica professionale IeFP", Field: "Agricoltura"}, {EQFLevel: 4, Title: "Diploma di istituto tecnico agrario", Field: "Agraria, agroalimentare e agroindustria"}, {EQFLevel: 2, Title: "Licenza media", Field: ""}},
	'7': {{EQFLevel: 3, Title: "Qualifica professionale IeFP", Field: "Meccanica"}, {EQFLevel: 3, Title: "Qualifica professionale IeFP", Field: "Impianti elettrici"}, {EQFLevel: 2, Title: "Licenza media", Field: ""}, {EQFLevel: 4, Title: "Diploma professionale di tecnico", Field: "Edilizia"}},
	'8': {{EQFLevel: 3, Title: "Qualifica professionale IeFP", Field: "Meccanica"}, {EQFLevel: 2, Title: "Licenza media", Field: ""}},
	'9': {{EQFLevel: 2, Title: "Licenza media", Field: ""}, {EQFLevel: 1, Title: "Licenza elementare", Field: ""}, {EQFLevel: 3, Title: "Qualifica professionale IeFP", Field: "Servizi"}},
}

// certificationsBySector are certificates typical of each sector.
var certificationsBySector = map[string][]matching.Certification{
	"turismo":     {{Code: "haccp", Name: "Attestato HACCP"}, {Code: "sommelier", Name: "Diploma di sommelier"}},
	"manifattura": {{Code: "carrellista", Name: "Abilitazione alla conduzione di carrelli elevatori"}, {Code: "saldatura", Name: "Patentino di saldatura"}},
	"commercio":   {{Code: "haccp", Name: "Attestato HACCP"}},
	"edilizia":    {{Code: "ponteggi", Name: "Formazione montaggio ponteggi (PiMUS)"}, {Code: "gru", Name: "Abilitazione gru a torre"}, {Code: "pes-pav", Name: "Qualifica PES/PAV lavori elettrici"}},
	"cura":        {{Code: "oss", Name: "Qualifica di operatore socio-sanitario"}, {Code: "blsd", Name: "Attestato BLSD"}},
	"logistica":   {{Code: "carrellista", Name: "Abilitazione alla conduzione di carrelli elevatori"}, {Code: "adr", Name: "Certificato ADR trasporto merci pericolose"}},
	"agricoltura": {{Code: "fitosanitari", Name: "Patentino per prodotti fitosanitari"}, {Code: "trattore", Name: "Abilitazione alla guida di trattori"}},
	"ufficio":     {{Code: "ecdl", Name: "Certificazione ICDL"}},
	"ict":         {{Code: "cloud", Name: "Certificazione cloud di base"}, {Code: "itil", Name: "Certificazione ITIL Foundation"}},
}

var safetyCourse = matching.Certification{Code: "sicurezza-81-08", Name: "Formazione generale e specifica sicurezza lavoratori (D.Lgs. 81/2008)"}

var citizenships = []struct {
	code   string
	weight float64
}{{"IT", 86}, {"RO", 3}, {"AL", 2}, {"MA", 2}, {"UA", 1.5}, {"PK", 1}, {"MK", 1}, {"MD", 1}, {"IN", 0.8}, {"TN", 0.7}, {"NG", 0.5}, {"BR", 0.5}}

var skillLevels = []string{"basic", "intermediate", "intermediate", "advanced", "advanced", "expert", "unspecified"}

func cefrAround(r *rand.Rand, lo, hi int) string {
	levels := matching.CEFRLevels()
	return levels[lo+r.IntN(hi-lo+1)]
}

// Candidate returns candidate i (0-based) with the protected attributes that
// go with it. Its ID is 0: the loader assigns it.
func (g *Generator) Candidate(i int) (matching.Candidate, matching.Protected) {
	r := g.rng(streamCandidate, uint64(i))
	asOf := g.opts.AsOf

	// Protected attributes: drawn first, stored apart, never used below
	// except to pick a plausible given name.
	female := chance(r, 0.5)
	age := 18 + r.IntN(47)
	birth := asOf.AddDate(-age, -r.IntN(12), -r.IntN(28))
	cw := make([]float64, len(citizenships))
	for k, c := range citizenships {
		cw[k] = c.weight
	}
	citizen := citizenships[pickWeighted(r, cw)].code
	prot := matching.Protected{BirthDate: &birth, Sex: "M", Citizenship: citizen}
	if female {
		prot.Sex = "F"
	}
	if chance(r, 0.03) {
		prot.Disability = true
		prot.L68Category = "art1"
		reg := asOf.AddDate(0, -1-r.IntN(36), 0)
		prot.L68RegisteredOn = &reg
		prot.L68DiscloseToEmployers = chance(r, 0.3)
	}

	given := pick(r, givenNamesM)
	if female {
		given = pick(r, givenNamesF)
	}
	family := pick(r, familyNames)
	home := g.homes[pickWeighted(r, g.homeWeights)]
	occ := g.occupations[pickWeighted(r, g.occWeights)]

	c := matching.Candidate{
		GivenName:        given,
		FamilyName:       family,
		Email:            fmt.Sprintf("%s.%s.%d@example.org", asciiFold(given), asciiFold(family), i+1),
		HomeMunicipality: home.Code,
		HomeLat:          home.Lat,
		HomeLon:          home.Lon,
		MobilityKm:       pick(r, []int{5, 10, 15, 20, 25, 30, 40, 50, 60, 80}),
		Searchable:       chance(r, 0.95),
		Presentation:     matching.PresentNamed,
	}
	switch x := r.Float64(); {
	case x < 0.25:
		c.Presentation = matching.PresentBlind
	case x < 0.37:
		c.Presentation = matching.PresentNone
	}

	// Career: starts between 17 and 25, jobs mostly in the main occupation,
	// some in another occupation of the same sector.
	careerStart := birth.AddDate(17+r.IntN(9), r.IntN(12), 0)
	if careerStart.After(asOf) {
		careerStart = asOf.AddDate(0, -r.IntN(6), 0)
	}
	nJobs := 0
	if careerYears := asOf.Sub(careerStart).Hours() / 24 / 365; careerYears > 0.5 {
		nJobs = 1 + r.IntN(min(4, 1+int(careerYears/3)))
	}
	if chance(r, 0.06) {
		nJobs = 0 // first job seekers
	}
	start := careerStart
	var exps []matching.Experience
	for k := 0; k < nJobs && start.Before(asOf.AddDate(0, -2, 0)); k++ {
		o := occ
		if chance(r, 0.25) {
			o = g.occupations[pick(r, g.bySector[occ.Sector])]
		}
		months := 3 + r.IntN(60)
		if o.Sector == "turismo" || o.Sector == "agricoltura" {
			months = 3 + r.IntN(18)
		}
		end := start.AddDate(0, months, 0)
		e := matching.Experience{
			OccupationCode:   o.Code,
			ISCOCode:         o.ISCO,
			Title:            o.Title,
			EmployerName:     fmt.Sprintf("%s %s", pick(r, sectorNouns[o.Sector]), pick(r, companyWords)),
			MunicipalityCode: g.homes[pickWeighted(r, g.homeWeights)].Code,
			StartDate:        start,
			Description:      describeJob(r, o),
		}
		if k < nJobs-1 || end.Before(asOf.AddDate(0, -1, 0)) && chance(r, 0.7) {
			if end.After(asOf) {
				end = asOf.AddDate(0, 0, -1-r.IntN(30))
			}
			if end.Before(start) {
				end = start
			}
			e.EndDate = &end
			start = end.AddDate(0, r.IntN(6), 0)
		} else {
			start = asOf
		}
		exps = append(exps, e)
	}
	// Most recent first, as a CV reads.
	for a, b := 0, len(exps)-1; a < b; a, b = a+1, b-1 {
		exps[a], exps[b] = exps[b], exps[a]
	}
	c.Experiences = exps

	edus := educationByISCOMajor[occ.ISCO[0]]
	if len(edus) == 0 {
		edus = educationByISCOMajor['9']
	}
	edu := pick(r, edus)
	year := birth.Year() + 14 + edu.EQFLevel + r.IntN(3)
	if year > asOf.Year() {
		year = asOf.Year()
	}
	edu.CompletedYear = &year
	edu.Institution = "Istituto di " + g.homes[pickWeighted(r, g.homeWeights)].Name
	c.Education = []matching.Education{edu}

	skillCodes := append([]string(nil), occ.Skills...)
	r.Shuffle(len(skillCodes), func(a, b int) { skillCodes[a], skillCodes[b] = skillCodes[b], skillCodes[a] })
	nSkills := min(len(skillCodes), 3+r.IntN(5))
	for _, code := range skillCodes[:nSkills] {
		sk, ok := reference.SkillByCode(code)
		if !ok {
			continue
		}
		c.Skills = append(c.Skills, matching.CandidateSkill{Code: sk.Code, Label: sk.Label, Level: pick(r, skillLevels)})
	}

	if citizen == "IT" || chance(r, 0.3) {
		c.Languages = append(c.Languages, matching.LanguageLevel{Language: "it", Level: "native"})
	} else {
		c.Languages = append(c.Languages, matching.LanguageLevel{Language: "it", Level: cefrAround(r, 1, 4)})
	}
	if chance(r, 0.45) {
		c.Languages = append(c.Languages, matching.LanguageLevel{Language: "de", Level: cefrAround(r, 0, 4)})
	}
	if chance(r, 0.6) {
		c.Languages = append(c.Languages, matching.LanguageLevel{Language: "en", Level: cefrAround(r, 0, 4)})
	}
	if chance(r, 0.08) {
		c.Languages = append(c.Languages, matching.LanguageLevel{Language: pick(r, []string{"fr", "es", "ro", "ar", "ru"}), Level: cefrAround(r, 1, 6)})
	}

	if age >= 18 && chance(r, 0.82) {
		c.Licences = append(c.Licences, "B")
		if occ.Sector == "logistica" && chance(r, 0.7) {
			c.Licences = append(c.Licences, "C", "CE", "CQC_goods")
		} else if chance(r, 0.05) {
			c.Licences = append(c.Licences, "C")
		}
	}
	if chance(r, 0.15) {
		c.Licences = append(c.Licences, "A")
	}

	if chance(r, 0.5) {
		issued := asOf.AddDate(-r.IntN(5), -r.IntN(12), 0)
		cert := safetyCourse
		cert.IssuedOn = &issued
		c.Certifications = append(c.Certifications, cert)
	}
	if certs := certificationsBySector[occ.Sector]; len(certs) > 0 && chance(r, 0.45) {
		issued := asOf.AddDate(-r.IntN(8), -r.IntN(12), 0)
		cert := pick(r, certs)
		cert.IssuedOn = &issued
		c.Certifications = append(c.Certifications, cert)
	}

	c.DesiredOccupations = []matching.DesiredOccupation{{OccupationCode: occ.Code, ISCOCode: occ.ISCO, Title: occ.Title}}
	if chance(r, 0.4) {
		o2 := g.occupations[pick(r, g.bySector[occ.Sector])]
		if o2.Code != occ.Code {
			c.DesiredOccupations = append(c.DesiredOccupations, matching.DesiredOccupation{OccupationCode: o2.Code, ISCOCode: o2.ISCO, Title: o2.Title})
		}
	}

	avail := asOf.AddDate(0, 0, r.IntN(75)-15)
	c.AvailableFrom = &avail
	switch x := r.Float64(); {
	case x < 0.6:
		c.WorkingTime = []string{"full_time"}
	case x < 0.8:
		c.WorkingTime = []string{"part_time"}
		h := pick(r, []int{18, 20, 24, 25, 30})
		c.WeeklyHours = &h
	default:
		c.WorkingTime = []string{"full_time", "part_time"}
	}
	if occ.Sector == "turismo" || occ.Sector == "cura" || occ.Sector == "manifattura" {
		if chance(r, 0.5) {
			c.WorkingTime = append(c.WorkingTime, "shifts", "weekends")
		}
		if occ.Sector == "turismo" && chance(r, 0.6) {
			c.WorkingTime = append(c.WorkingTime, "seasonal")
		}
	}
	c.ContractPreferences = []string{"permanent", "fixed_term"}
	if occ.Sector == "turismo" || occ.Sector == "agricoltura" {
		c.ContractPreferences = append(c.ContractPreferences, "seasonal")
	}
	if age < 30 && chance(r, 0.5) {
		c.ContractPreferences = append(c.ContractPreferences, "apprenticeship")
	}
	if chance(r, 0.2) {
		c.ContractPreferences = append(c.ContractPreferences, "agency")
	}

	years := c.TotalExperienceYears(asOf)
	switch {
	case years < 1:
		c.Headline = fmt.Sprintf("%s alla ricerca della prima esperienza", occ.Title)
	default:
		c.Headline = fmt.Sprintf("%s con %d anni di esperienza", occ.Title, int(years+0.5))
	}
	c.Summary = summary(r, occ, home, c)

	// The CV was written when the first job was recorded or later, and
	// updated within the last two years.
	c.UpdatedAt = asOf.Add(-time.Duration(r.IntN(730*24)) * time.Hour).Add(time.Duration(r.IntN(3600)) * time.Second)
	c.CreatedAt = c.UpdatedAt.AddDate(0, -r.IntN(36), 0)
	return c, prot
}

func describeJob(r *rand.Rand, o reference.Occupation) string {
	var parts []string
	skills := append([]string(nil), o.Skills...)
	r.Shuffle(len(skills), func(a, b int) { skills[a], skills[b] = skills[b], skills[a] })
	for _, code := range skills[:min(3, len(skills))] {
		if sk, ok := reference.SkillByCode(code); ok {
			parts = append(parts, strings.ToLower(sk.Label))
		}
	}
	lead := pick(r, []string{"Mansioni principali:", "Attività svolte:", "Mi sono occupato/a di:"})
	return lead + " " + strings.Join(parts, ", ") + "."
}

func summary(r *rand.Rand, occ reference.Occupation, home reference.Municipality, c matching.Candidate) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Vivo a %s e cerco lavoro come %s", home.Name, strings.ToLower(occ.Title))
	if c.MobilityKm > 0 {
		fmt.Fprintf(&b, ", disponibile a spostarmi fino a %d km", c.MobilityKm)
	}
	b.WriteString(". ")
	b.WriteString(pick(r, []string{
		"Sono una persona precisa e affidabile, abituata a lavorare in squadra.",
		"Mi adatto con facilità ai ritmi di lavoro e imparo in fretta.",
		"Ho buone capacità organizzative e di relazione con i clienti.",
		"Cerco un ambiente in cui crescere professionalmente.",
	}))
	return b.String()
}
