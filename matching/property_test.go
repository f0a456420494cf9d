package matching_test

import (
	"encoding/json"
	"flag"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"incontro/matching"
	"incontro/reference"
)

// The property tests draw random vacancies and CVs from the reference
// catalogue, so that requirements are met, partly met, missed and unknown
// in every combination. Every case has its own generator seeded from the
// run's seed and the case number: a failure prints both, and
// go test ./matching -run Property -property.seed=N replays a run.
var propertySeed = flag.Uint64("property.seed", 20261102, "seed of the scoring property tests")

// propertyCases is how many cases each property checks.
const propertyCases = 600

// propertyGen draws random vacancies and candidates.
type propertyGen struct {
	r      *rand.Rand
	occs   []reference.Occupation
	skills []reference.Skill
	towns  []reference.Municipality
}

// propertyCertificates are the certifications vacancies ask for and CVs list.
var propertyCertificates = []matching.Certification{
	{Code: "haccp", Name: "Attestato HACCP"},
	{Code: "carrellista", Name: "Abilitazione alla conduzione di carrelli elevatori"},
	{Code: "oss", Name: "Qualifica di operatore socio-sanitario"},
	{Code: "blsd", Name: "Attestato BLSD"},
	{Code: "fitosanitari", Name: "Patentino per prodotti fitosanitari"},
	{Code: "ponteggi", Name: "Formazione montaggio ponteggi (PiMUS)"},
}

var (
	propertyLanguages   = []string{"it", "de", "en", "fr"}
	propertyFields      = []string{"", "Ristorazione", "Meccanica", "Servizi socio-sanitari", "Informatica", "Amministrazione"}
	propertySkillLevels = []string{"", "unspecified", "basic", "intermediate", "advanced", "expert"}
)

func newPropertyGen(tb testing.TB, caseNo int) *propertyGen {
	tb.Helper()
	return &propertyGen{
		r:      rand.New(rand.NewPCG(*propertySeed, uint64(caseNo))),
		occs:   reference.Occupations(),
		skills: reference.Skills(),
		towns:  reference.MunicipalitiesInProvince(reference.ProvinceTrento),
	}
}

func (g *propertyGen) chance(p float64) bool { return g.r.Float64() < p }

func (g *propertyGen) day(offset int) *time.Time {
	d := scoringDay.AddDate(0, 0, offset)
	return &d
}

// subset returns a random non-empty subset of list, in list order.
func (g *propertyGen) subset(list []string) []string {
	for {
		var out []string
		for _, s := range list {
			if g.chance(0.4) {
				out = append(out, s)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
}

func termCodes(ts []matching.Term) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Code
	}
	return out
}

func (g *propertyGen) requirement(kind matching.RequirementKind) matching.Requirement {
	r := matching.Requirement{Kind: kind, Essential: g.chance(0.35)}
	switch kind {
	case matching.ReqOccupation:
		o := g.occs[g.r.IntN(len(g.occs))]
		if g.chance(0.8) {
			r.Code = o.Code
		} else {
			r.Label = o.Title
		}
		if g.chance(0.6) {
			r.MinYears = ptr(float64(g.r.IntN(7)))
		}
	case matching.ReqSkill:
		k := g.skills[g.r.IntN(len(g.skills))]
		if g.chance(0.85) {
			r.Code = k.Code
		} else {
			r.Label = k.Label
		}
		r.Level = propertySkillLevels[g.r.IntN(len(propertySkillLevels))]
	case matching.ReqEducation:
		r.Code = strconv.Itoa(1 + g.r.IntN(8))
		r.Field = propertyFields[g.r.IntN(len(propertyFields))]
	case matching.ReqLanguage:
		r.Code = propertyLanguages[g.r.IntN(len(propertyLanguages))]
		r.Level = matching.CEFRLevels()[g.r.IntN(7)]
	case matching.ReqLicence:
		r.Code = termCodes(matching.Licences())[g.r.IntN(len(matching.Licences()))]
	case matching.ReqCertification:
		c := propertyCertificates[g.r.IntN(len(propertyCertificates))]
		r.Code, r.Label = c.Code, c.Name
	case matching.ReqDistance:
		r.MaxKm = ptr(5 + g.r.IntN(76))
	case matching.ReqAvailability:
		r.FromDate = g.day(g.r.IntN(120) - 30)
	case matching.ReqWorkingTime:
		r.Values = g.subset(termCodes(matching.WorkingTimes()))
	case matching.ReqContract:
		r.Values = g.subset(termCodes(matching.ContractTypes()))
	}
	return r
}

// vacancy returns a vacancy in a random Trentino municipality with 1–10
// requirements of random kinds, ranked in a random order.
func (g *propertyGen) vacancy() *matching.Vacancy {
	town := g.towns[g.r.IntN(len(g.towns))]
	vac := &matching.Vacancy{ID: 1, Title: "Posizione", MunicipalityCode: town.Code, Lat: town.Lat, Lon: town.Lon}
	kinds := matching.RequirementKinds()
	n := 1 + g.r.IntN(10)
	for _, rank := range g.r.Perm(n) {
		r := g.requirement(kinds[g.r.IntN(len(kinds))])
		r.Rank = rank + 1
		r.ID = int64(100 + rank)
		vac.Requirements = append(vac.Requirements, r)
	}
	return vac
}

// candidate returns a CV centred on a random occupation of the catalogue:
// jobs in it or beside it, its typical skills and others, and random
// languages, licences, propertyCertificates, home, availability and preferences.
// Every section may be empty.
func (g *propertyGen) candidate(id int64) *matching.Candidate {
	occ := g.occs[g.r.IntN(len(g.occs))]
	town := g.towns[g.r.IntN(len(g.towns))]
	c := &matching.Candidate{ID: id, HomeMunicipality: town.Code, HomeLat: town.Lat, HomeLon: town.Lon,
		UpdatedAt: scoringDay.AddDate(0, 0, -g.r.IntN(720))}
	if g.chance(0.7) {
		c.MobilityKm = 5 + g.r.IntN(76)
	}
	for i := range g.r.IntN(4) {
		o := occ
		if g.chance(0.4) {
			o = g.occs[g.r.IntN(len(g.occs))]
		}
		titles := append([]string{o.Title}, o.Synonyms...)
		e := matching.Experience{ID: int64(i + 1), Title: titles[g.r.IntN(len(titles))], StartDate: *g.day(-30 - g.r.IntN(15*365))}
		if g.chance(0.5) {
			e.OccupationCode = o.Code
		}
		if g.chance(0.6) {
			end := e.StartDate.AddDate(0, 0, g.r.IntN(6*365))
			if end.Before(scoringDay) {
				e.EndDate = &end
			}
		}
		c.Experiences = append(c.Experiences, e)
	}
	seen := map[string]bool{}
	for range g.r.IntN(7) {
		k := g.skills[g.r.IntN(len(g.skills))]
		if g.chance(0.6) && len(occ.Skills) > 0 {
			k, _ = reference.SkillByCode(occ.Skills[g.r.IntN(len(occ.Skills))])
		}
		if seen[k.Code] {
			continue
		}
		seen[k.Code] = true
		s := matching.CandidateSkill{Label: k.Label, Level: propertySkillLevels[1+g.r.IntN(len(propertySkillLevels)-1)]}
		if g.chance(0.7) {
			s.Code = k.Code
		}
		c.Skills = append(c.Skills, s)
	}
	for i := range g.r.IntN(3) {
		c.Education = append(c.Education, matching.Education{ID: int64(i + 1), EQFLevel: 1 + g.r.IntN(8), Title: "Titolo " + strconv.Itoa(i),
			Field: propertyFields[g.r.IntN(len(propertyFields))]})
	}
	for _, i := range g.r.Perm(len(propertyLanguages))[:g.r.IntN(4)] {
		c.Languages = append(c.Languages, matching.LanguageLevel{Language: propertyLanguages[i], Level: matching.CEFRLevels()[g.r.IntN(7)]})
	}
	licences := termCodes(matching.Licences())
	for _, i := range g.r.Perm(len(licences))[:g.r.IntN(4)] {
		c.Licences = append(c.Licences, licences[i])
	}
	for _, i := range g.r.Perm(len(propertyCertificates))[:g.r.IntN(3)] {
		cert := propertyCertificates[i]
		cert.ID = int64(i + 1)
		if g.chance(0.3) {
			cert.Code = ""
		}
		if g.chance(0.5) {
			cert.ExpiresOn = g.day(g.r.IntN(1500) - 700)
		}
		c.Certifications = append(c.Certifications, cert)
	}
	if g.chance(0.7) {
		c.AvailableFrom = g.day(g.r.IntN(150) - 60)
	}
	if g.chance(0.7) {
		c.WorkingTime = g.subset(termCodes(matching.WorkingTimes()))
	}
	if g.chance(0.7) {
		c.ContractPreferences = g.subset(termCodes(matching.ContractTypes()))
	}
	if g.chance(0.5) {
		c.DesiredOccupations = []matching.DesiredOccupation{{OccupationCode: occ.Code, ISCOCode: occ.ISCO, Title: occ.Title}}
	}
	return c
}

// metRequirement returns a requirement the candidate certainly meets for
// the vacancy, of a random kind among those the CV allows; false when the
// CV allows none.
func (g *propertyGen) metRequirement(vac *matching.Vacancy, c *matching.Candidate) (matching.Requirement, bool) {
	var options []func() matching.Requirement
	for _, e := range c.Experiences {
		code := e.OccupationCode
		if code == "" {
			code = reference.FindOccupations(e.Title)[0].Code // the scorer's own reading of the title
		}
		years := math.Floor(e.Years(scoringDay)*10) / 10
		options = append(options, func() matching.Requirement {
			r := matching.Requirement{Kind: matching.ReqOccupation, Code: code}
			if years > 0 && g.chance(0.7) {
				r.MinYears = ptr(years * g.r.Float64())
			}
			return r
		})
	}
	for _, s := range c.Skills {
		options = append(options, func() matching.Requirement {
			r := matching.Requirement{Kind: matching.ReqSkill, Code: s.Code, Label: s.Label}
			if s.Code != "" && g.chance(0.5) {
				r.Label = ""
			}
			if have := matching.SkillLevelRank(s.Level); have > 0 {
				r.Level = propertySkillLevels[1+g.r.IntN(have+1)] // unspecified … the level held
			}
			return r
		})
	}
	for _, l := range c.Languages {
		options = append(options, func() matching.Requirement {
			return matching.Requirement{Kind: matching.ReqLanguage, Code: l.Language, Level: matching.CEFRLevels()[g.r.IntN(matching.CEFRRank(l.Level))]}
		})
	}
	for _, l := range c.Licences {
		options = append(options, func() matching.Requirement { return matching.Requirement{Kind: matching.ReqLicence, Code: l} })
	}
	for _, cert := range c.Certifications {
		if cert.ExpiresOn == nil || !cert.ExpiresOn.Before(scoringDay) {
			options = append(options, func() matching.Requirement {
				if cert.Code != "" {
					return matching.Requirement{Kind: matching.ReqCertification, Code: cert.Code}
				}
				return matching.Requirement{Kind: matching.ReqCertification, Label: cert.Name}
			})
		}
	}
	if len(c.Education) > 0 {
		top := 0
		for _, e := range c.Education {
			top = max(top, e.EQFLevel)
		}
		options = append(options, func() matching.Requirement {
			return matching.Requirement{Kind: matching.ReqEducation, Code: strconv.Itoa(1 + g.r.IntN(top))}
		})
	}
	if d := reference.HaversineKm(vac.Lat, vac.Lon, c.HomeLat, c.HomeLon); c.MobilityKm == 0 || d <= float64(c.MobilityKm) {
		options = append(options, func() matching.Requirement {
			return matching.Requirement{Kind: matching.ReqDistance, MaxKm: ptr(max(1, int(math.Ceil(d))+g.r.IntN(30)))}
		})
	}
	if c.AvailableFrom != nil {
		options = append(options, func() matching.Requirement {
			return matching.Requirement{Kind: matching.ReqAvailability, FromDate: ptr(c.AvailableFrom.AddDate(0, 0, g.r.IntN(60)))}
		})
	}
	if len(c.WorkingTime) > 0 {
		options = append(options, func() matching.Requirement {
			return matching.Requirement{Kind: matching.ReqWorkingTime, Values: g.subset(c.WorkingTime)}
		})
	}
	if len(c.ContractPreferences) > 0 {
		options = append(options, func() matching.Requirement {
			values := []string{c.ContractPreferences[g.r.IntN(len(c.ContractPreferences))]}
			return matching.Requirement{Kind: matching.ReqContract, Values: append(values, g.subset(termCodes(matching.ContractTypes()))...)}
		})
	}
	if len(options) == 0 {
		return matching.Requirement{}, false
	}
	r := options[g.r.IntN(len(options))]()
	r.Essential = g.chance(0.5)
	return r, true
}

// counterexample describes a failing case so that it can be read and replayed.
func counterexample(caseNo int, vac *matching.Vacancy, c ...*matching.Candidate) string {
	v, _ := json.Marshal(vac.Requirements)
	seed := strconv.FormatUint(*propertySeed, 10)
	s := "seed " + seed + ", case " + strconv.Itoa(caseNo) + " (replay: go test ./matching -run Property -property.seed=" + seed + ")\nrequirements: " + string(v)
	for _, x := range c {
		j, _ := json.Marshal(x)
		s += "\ncandidate: " + string(j)
	}
	return s
}

func explainFor(tb testing.TB, vac *matching.Vacancy, c *matching.Candidate, relevance float64) matching.Explanation {
	tb.Helper()
	return mustScorer(tb, vac).Explain(c, relevance)
}

func TestPropertyCandidatesMeetingEveryEssentialRankAboveThoseMissingAny(t *testing.T) {
	for caseNo := range propertyCases {
		g := newPropertyGen(t, caseNo)
		vac := g.vacancy()
		pool := make([]*matching.Candidate, 3+g.r.IntN(18))
		in := make([]matching.Recalled, len(pool))
		for i := range pool {
			pool[i] = g.candidate(int64(i + 1))
			in[i] = matching.Recalled{Candidate: pool[i], Relevance: g.r.Float64() * 10}
		}
		rk := mustScorer(t, vac).Rank(in)
		if len(rk.Main)+len(rk.NearMisses) != len(pool) {
			t.Fatalf("%d candidates in, %d out\n%s", len(pool), len(rk.Main)+len(rk.NearMisses), counterexample(caseNo, vac))
		}
		for i, r := range rk.Main {
			if len(r.Explanation.MissingEssentials) > 0 {
				t.Fatalf("candidate %d misses essentials %v but is in the main list\n%s",
					r.CandidateID, r.Explanation.MissingEssentials, counterexample(caseNo, vac, pool[r.CandidateID-1]))
			}
			if i > 0 && r.Score > rk.Main[i-1].Score {
				t.Fatalf("main list out of score order at %d\n%s", i, counterexample(caseNo, vac))
			}
		}
		for _, r := range rk.NearMisses {
			if len(r.Explanation.MissingEssentials) == 0 {
				t.Fatalf("candidate %d misses no essential but is a near miss\n%s", r.CandidateID, counterexample(caseNo, vac, pool[r.CandidateID-1]))
			}
		}
		// What the operator sees, top to bottom: no one missing an essential
		// after anyone who misses one.
		seenMiss := false
		for _, r := range append(slices.Clone(rk.Main), rk.NearMisses...) {
			missing := false
			for _, a := range r.Explanation.Requirements {
				missing = missing || (a.Essential && a.Evidence == matching.NotMet)
			}
			if seenMiss && !missing {
				t.Fatalf("candidate %d meets every essential but comes after one who misses some\n%s",
					r.CandidateID, counterexample(caseNo, vac, pool[r.CandidateID-1]))
			}
			seenMiss = seenMiss || missing
		}
	}
}

func TestPropertyEveryExplanationAddsUpAndScoresUnknownsAsNothing(t *testing.T) {
	for caseNo := range propertyCases {
		g := newPropertyGen(t, caseNo)
		vac := g.vacancy()
		c := g.candidate(1)
		e := explainFor(t, vac, c, g.r.Float64())
		sum := e.TextContribution + e.FreshnessContribution
		for _, a := range e.Requirements {
			sum += a.Contribution
			ok := false
			switch a.Evidence {
			case matching.Met:
				ok = a.Credit == 1
			case matching.PartlyMet:
				ok = a.Credit > 0 && a.Credit < 1
			case matching.NotMet, matching.Unknown:
				ok = a.Credit == 0
			}
			if !ok || a.Reason.String() == "" {
				t.Fatalf("rank %d: evidence %q with credit %v and reason %q\n%s", a.Rank, a.Evidence, a.Credit, a.Reason, counterexample(caseNo, vac, c))
			}
			if a.Evidence == matching.Unknown && !slices.Contains(italian(e.ToVerify), a.Requirement.String()) {
				t.Fatalf("rank %d is unknown but not listed to verify\n%s", a.Rank, counterexample(caseNo, vac, c))
			}
		}
		if math.Abs(sum-e.Score) > 0.0001*float64(len(e.Requirements)+2) {
			t.Fatalf("contributions sum to %v, score is %v\n%s", sum, e.Score, counterexample(caseNo, vac, c))
		}
	}
}

func TestPropertyAddingAMetRequirementNeverLowersTheScore(t *testing.T) {
	checked := 0
	for caseNo := 0; checked < propertyCases; caseNo++ {
		g := newPropertyGen(t, caseNo)
		vac := g.vacancy()
		c := g.candidate(1)
		add, ok := g.metRequirement(vac, c)
		if !ok {
			continue
		}
		checked++
		n := len(vac.Requirements)
		add.Rank = 1 + g.r.IntN(n+1) // at any rank, the last included
		add.ID = 999
		more := *vac
		more.Requirements = nil
		for _, r := range vac.Requirements {
			if r.Rank >= add.Rank {
				r.Rank++
			}
			more.Requirements = append(more.Requirements, r)
		}
		more.Requirements = append(more.Requirements, add)

		relevance := g.r.Float64()
		before, after := explainFor(t, vac, c, relevance), explainFor(t, &more, c, relevance)
		if a := after.Requirements[add.Rank-1]; a.RequirementID != 999 || a.Evidence != matching.Met {
			t.Fatalf("the added requirement is %q, not met: %s\n%s", a.Evidence, a.Reason, counterexample(caseNo, &more, c))
		}
		if after.Score < before.Score {
			t.Fatalf("adding a met requirement at rank %d of %d lowered the score from %v to %v\n%s",
				add.Rank, n+1, before.Score, after.Score, counterexample(caseNo, &more, c))
		}
		if after.NearMiss() != before.NearMiss() {
			t.Fatalf("adding a met requirement changed whether the candidate is a near miss\n%s", counterexample(caseNo, &more, c))
		}
	}
}

func TestPropertyMovingAMetRequirementUpNeverLowersTheScore(t *testing.T) {
	checked := 0
	for caseNo := 0; checked < propertyCases; caseNo++ {
		g := newPropertyGen(t, caseNo)
		vac := g.vacancy()
		c := g.candidate(1)
		relevance := g.r.Float64()
		before := explainFor(t, vac, c, relevance)
		for i := 1; i < len(before.Requirements); i++ {
			if before.Requirements[i].Evidence != matching.Met {
				continue
			}
			checked++
			up, down := before.Requirements[i].Rank, before.Requirements[i-1].Rank // i+1 and i
			swapped := *vac
			swapped.Requirements = slices.Clone(vac.Requirements)
			for j := range swapped.Requirements {
				switch swapped.Requirements[j].Rank {
				case up:
					swapped.Requirements[j].Rank = down
				case down:
					swapped.Requirements[j].Rank = up
				}
			}
			after := explainFor(t, &swapped, c, relevance)
			if after.Score < before.Score {
				t.Fatalf("moving the met requirement at rank %d up one lowered the score from %v to %v\n%s",
					up, before.Score, after.Score, counterexample(caseNo, vac, c))
			}
		}
	}
}
