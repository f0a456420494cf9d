package matching_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"incontro/matching"
	"incontro/reference"
)

// scoringDay is "today" in the scoring tests.
var scoringDay = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// earthKmPerDegree is the length of a degree of latitude on the sphere of
// reference.HaversineKm.
const earthKmPerDegree = 6371.0088 * math.Pi / 180

// workplace returns a vacancy at Trento with the given requirements.
func workplace(tb testing.TB, reqs ...matching.Requirement) *matching.Vacancy {
	tb.Helper()
	m, ok := reference.MunicipalityByCode(trento)
	if !ok {
		tb.Fatal("Trento is not in the municipality list")
	}
	return &matching.Vacancy{ID: 1, Title: "Posizione di prova", MunicipalityCode: trento, Lat: m.Lat, Lon: m.Lon, Requirements: reqs}
}

// livesKmFrom places the candidate's home km kilometres due north of the
// vacancy's workplace.
func livesKmFrom(vac *matching.Vacancy, km float64) func(*matching.Candidate) {
	return func(c *matching.Candidate) {
		c.HomeLat, c.HomeLon = vac.Lat+km/earthKmPerDegree, vac.Lon
	}
}

// assessOne returns the assessment of the vacancy's single requirement
// for the candidate.
func assessOne(tb testing.TB, vac *matching.Vacancy, c *matching.Candidate) matching.Assessment {
	tb.Helper()
	s, err := matching.NewScorer(vac, matching.DefaultScoreParams(scoringDay))
	if err != nil {
		tb.Fatalf("NewScorer: %v", err)
	}
	e := s.Explain(c, 0)
	if len(e.Requirements) != 1 {
		tb.Fatalf("explanation has %d requirements, want 1", len(e.Requirements))
	}
	return e.Requirements[0]
}

// job is an experience from one month ("2006-01") to another, or ongoing
// when to is "".
func job(tb testing.TB, title, from, to string) matching.Experience {
	tb.Helper()
	e := matching.Experience{Title: title, StartDate: mustDate(tb, from+"-01")}
	if to != "" {
		e.EndDate = ptr(mustDate(tb, to+"-01"))
	}
	return e
}

// coded gives an experience an occupation code.
func coded(e matching.Experience, code string) matching.Experience {
	e.OccupationCode = code
	return e
}

// assessCase is one requirement, one CV and what the assessment must say.
type assessCase struct {
	name     string
	req      matching.Requirement
	cv       func(tb testing.TB, vac *matching.Vacancy) matching.Candidate
	evidence matching.Evidence
	credit   float64  // checked to 3 decimals
	reason   []string // each must appear in the reason
	proof    string   // when set, must appear in a proof
}

func runAssessCases(t *testing.T, cases []assessCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.Rank = 1
			vac := workplace(t, tc.req)
			c := tc.cv(t, vac)
			a := assessOne(t, vac, &c)
			if a.Evidence != tc.evidence {
				t.Errorf("evidence = %q, want %q (reason %q)", a.Evidence, tc.evidence, a.Reason)
			}
			if math.Abs(a.Credit-tc.credit) > 0.001 {
				t.Errorf("credit = %v, want %v (reason %q)", a.Credit, tc.credit, a.Reason)
			}
			for _, s := range tc.reason {
				if !strings.Contains(a.Reason.String(), s) {
					t.Errorf("reason %q does not say %q", a.Reason, s)
				}
			}
			if tc.proof != "" {
				found := false
				for _, p := range a.Proofs {
					found = found || strings.Contains(p.Text.String(), tc.proof)
				}
				if !found {
					t.Errorf("no proof says %q: %+v", tc.proof, a.Proofs)
				}
			}
			if a.Evidence == matching.Unknown && len(a.Proofs) > 0 {
				t.Errorf("an unknown rests on proofs: %+v", a.Proofs)
			}
		})
	}
}

func TestAssessOccupation(t *testing.T) {
	waiter := func(years float64) matching.Requirement {
		r := matching.Requirement{Kind: matching.ReqOccupation, Code: "occ-cameriere-sala"}
		if years > 0 {
			r.MinYears = ptr(years)
		}
		return r
	}
	runAssessCases(t, []assessCase{
		{name: "the same occupation for long enough is met",
			req: waiter(2),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Experiences: []matching.Experience{coded(job(tb, "Cameriere", "2022-11", "2025-11"), "occ-cameriere-sala")}}
			},
			evidence: matching.Met, credit: 1, reason: []string{"3 anni come Cameriere di sala", "richiesti 2 anni"}, proof: "Cameriere, 11/2022 – 11/2025 (3 anni)"},
		{name: "a gendered title without a code is found in the catalogue",
			req: waiter(0),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Experiences: []matching.Experience{job(tb, "Cameriera", "2024-05", "")}}
			},
			evidence: matching.Met, credit: 1, reason: []string{"come Cameriere di sala"}, proof: "Cameriera, 05/2024 – in corso"},
		{name: "a synonym is the same occupation",
			req: matching.Requirement{Kind: matching.ReqOccupation, Code: "occ-commesso"},
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Experiences: []matching.Experience{job(tb, "Addetta alle vendite", "2020-01", "2023-01")}}
			},
			evidence: matching.Met, credit: 1, reason: []string{"come Commesso"}},
		{name: "three years of five are three fifths",
			req: waiter(5),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Experiences: []matching.Experience{job(tb, "Cameriera di sala", "2023-11", "")}}
			},
			evidence: matching.PartlyMet, credit: 0.6, reason: []string{"3 anni come Cameriere di sala", "richiesti 5 anni"}},
		{name: "overlapping jobs count once",
			req: waiter(5),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Experiences: []matching.Experience{
					job(tb, "Cameriera", "2022-11", "2024-11"), job(tb, "Cameriera di sala", "2023-11", "2025-11")}}
			},
			evidence: matching.PartlyMet, credit: 0.6, reason: []string{"3 anni", "richiesti 5 anni"}},
		{name: "an occupation of the same ISCO unit group is partly met",
			req: waiter(0),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Experiences: []matching.Experience{job(tb, "Capocameriera", "2019-01", "2024-01")}}
			},
			evidence: matching.PartlyMet, credit: 0.8, reason: []string{"stesso gruppo", "ISCO 5131"}, proof: "Capocameriera"},
		{name: "a broader occupation of the same ISCO minor group earns half",
			req: waiter(0),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Experiences: []matching.Experience{job(tb, "Barista", "2019-01", "2024-01")}}
			},
			evidence: matching.PartlyMet, credit: 0.5, reason: []string{"professione affine", "gruppo più ampio", "ISCO 513"}},
		{name: "an uncatalogued title is placed by its ISCO code",
			req: waiter(0),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				e := job(tb, "Addetta sala colazioni", "2019-01", "2024-01")
				e.ISCOCode = "5131"
				return matching.Candidate{Experiences: []matching.Experience{e}}
			},
			evidence: matching.PartlyMet, credit: 0.8, reason: []string{"ISCO 5131"}},
		{name: "a related occupation also scales with the years",
			req: waiter(4),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Experiences: []matching.Experience{job(tb, "Maître", "2024-11", "")}}
			},
			evidence: matching.PartlyMet, credit: 0.4, reason: []string{"2 anni", "richiesti 4 anni"}},
		{name: "the same occupation for half the years asked beats a broader one for ten",
			req: waiter(2),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Experiences: []matching.Experience{
					job(tb, "Cameriere", "2025-11", ""), job(tb, "Barista", "2015-01", "2025-01")}}
			},
			evidence: matching.PartlyMet, credit: 0.501, reason: []string{"1 anno come Cameriere di sala", "richiesti 2 anni"}}, // 366 days
		{name: "a broader occupation for long beats the same one for a few months",
			req: waiter(2),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Experiences: []matching.Experience{
					job(tb, "Cameriere", "2026-08", ""), job(tb, "Barista", "2015-01", "2025-01")}}
			},
			evidence: matching.PartlyMet, credit: 0.5, reason: []string{"ISCO 513"}, proof: "Cameriere, 08/2026"},
		{name: "wanting the occupation without experience earns a little",
			req: waiter(0),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Experiences: []matching.Experience{job(tb, "Magazziniere", "2019-01", "2024-01")},
					DesiredOccupations: []matching.DesiredOccupation{{Title: "Cameriera"}}}
			},
			evidence: matching.PartlyMet, credit: 0.25, reason: []string{"professioni desiderate"}, proof: "Professione desiderata: Cameriera"},
		{name: "wanting the occupation is not the years of experience asked for",
			req: waiter(2),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Experiences: []matching.Experience{job(tb, "Magazziniere", "2019-01", "2024-01")},
					DesiredOccupations: []matching.DesiredOccupation{{Title: "Cameriera"}}}
			},
			evidence: matching.NotMet, credit: 0, reason: []string{"Nessuna esperienza come Cameriere di sala", "richiesti 2 anni", "professioni desiderate"}},
		{name: "an unrelated experience is not met",
			req: waiter(0),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Experiences: []matching.Experience{job(tb, "Magazziniere", "2019-01", "2024-01")}}
			},
			evidence: matching.NotMet, credit: 0, reason: []string{"Nessuna esperienza come Cameriere di sala"}},
		{name: "a CV without experiences leaves it unknown",
			req: waiter(2),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{DesiredOccupations: []matching.DesiredOccupation{{Title: "Cameriera"}}}
			},
			evidence: matching.Unknown, credit: 0, reason: []string{"non riporta esperienze", "da verificare"}},
		{name: "an occupation outside the catalogue is matched on its label",
			req: matching.Requirement{Kind: matching.ReqOccupation, Label: "Sommelier"},
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Experiences: []matching.Experience{job(tb, "Sommelier", "2021-01", "2024-01")}}
			},
			evidence: matching.Met, credit: 1, reason: []string{"come Sommelier"}},
	})
}

func TestAssessSkill(t *testing.T) {
	skill := func(code, level string) matching.Requirement {
		return matching.Requirement{Kind: matching.ReqSkill, Code: code, Level: level}
	}
	skills := func(s ...matching.CandidateSkill) func(testing.TB, *matching.Vacancy) matching.Candidate {
		return func(testing.TB, *matching.Vacancy) matching.Candidate { return matching.Candidate{Skills: s} }
	}
	runAssessCases(t, []assessCase{
		{name: "the coded skill at the level asked is met",
			req: skill("sk-cocktail", "intermediate"), cv: skills(matching.CandidateSkill{Code: "sk-cocktail", Label: "Cocktail", Level: "advanced"}),
			evidence: matching.Met, credit: 1, reason: []string{"Cocktail"}, proof: "livello avanzato"},
		{name: "a free-text skill with the requirement's label is met",
			req:      matching.Requirement{Kind: matching.ReqSkill, Label: "Saldatura TIG"},
			cv:       skills(matching.CandidateSkill{Label: "saldatura tig", Level: "basic"}),
			evidence: matching.Met, credit: 1},
		{name: "a free-text skill with the catalogue's label is met",
			req:      skill("sk-haccp", ""),
			cv:       skills(matching.CandidateSkill{Label: "Norme HACCP e igiene alimentare", Level: "unspecified"}),
			evidence: matching.Met, credit: 1},
		{name: "a skill without its level stated is partly met",
			req: skill("sk-cocktail", "advanced"), cv: skills(matching.CandidateSkill{Code: "sk-cocktail", Label: "Cocktail", Level: "unspecified"}),
			evidence: matching.PartlyMet, credit: 0.75, reason: []string{"senza indicarne il livello", "richiesto avanzato"}},
		{name: "an empty level counts as unstated",
			req: skill("sk-cocktail", "advanced"), cv: skills(matching.CandidateSkill{Code: "sk-cocktail", Label: "Cocktail"}),
			evidence: matching.PartlyMet, credit: 0.75, reason: []string{"senza indicarne il livello"}},
		{name: "one level below loses a quarter",
			req: skill("sk-cocktail", "advanced"), cv: skills(matching.CandidateSkill{Code: "sk-cocktail", Label: "Cocktail", Level: "intermediate"}),
			evidence: matching.PartlyMet, credit: 0.75, reason: []string{"livello intermedio", "richiesto avanzato"}},
		{name: "three levels below keeps the floor credit",
			req: skill("sk-cocktail", "expert"), cv: skills(matching.CandidateSkill{Code: "sk-cocktail", Label: "Cocktail", Level: "basic"}),
			evidence: matching.PartlyMet, credit: 0.4, reason: []string{"livello base", "richiesto esperto"}},
		{name: "a related skill of the catalogue earns half",
			req: skill("sk-cocktail", ""), cv: skills(matching.CandidateSkill{Code: "sk-caffetteria", Label: "Caffetteria", Level: "expert"}),
			evidence: matching.PartlyMet, credit: 0.5, reason: []string{"competenza affine", "Caffetteria"}},
		{name: "a skill typical of a practised occupation is partly met, to verify",
			req: skill("sk-haccp", ""),
			cv: func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
				return matching.Candidate{Skills: []matching.CandidateSkill{{Label: "Pasta fresca"}},
					Experiences: []matching.Experience{job(tb, "Cuoca", "2018-01", "2024-01")}}
			},
			evidence: matching.PartlyMet, credit: 0.4, reason: []string{"tipica della professione", "Cuoco", "da verificare"}, proof: "Cuoca"},
		{name: "a skill missing from a listed section is not met",
			req: skill("sk-cocktail", ""), cv: skills(matching.CandidateSkill{Label: "Pasta fresca"}),
			evidence: matching.NotMet, credit: 0, reason: []string{"non risulta"}},
		{name: "an empty skills section leaves it unknown",
			req: skill("sk-cocktail", ""), cv: skills(),
			evidence: matching.Unknown, credit: 0, reason: []string{"non elenca competenze", "da verificare"}},
	})
}

func TestAssessEducation(t *testing.T) {
	education := func(level, field string) matching.Requirement {
		return matching.Requirement{Kind: matching.ReqEducation, Code: level, Field: field}
	}
	diploma := func(eqf int, title, field string) func(testing.TB, *matching.Vacancy) matching.Candidate {
		return func(testing.TB, *matching.Vacancy) matching.Candidate {
			return matching.Candidate{Education: []matching.Education{
				{EQFLevel: 2, Title: "Licenza media"}, {EQFLevel: eqf, Title: title, Field: field}}}
		}
	}
	runAssessCases(t, []assessCase{
		{name: "the level in the field asked is met",
			req: education("4", "ospitalità alberghiera"), cv: diploma(4, "Diploma professionale", "Enogastronomia e ospitalità alberghiera"),
			evidence: matching.Met, credit: 1, reason: []string{"EQF 4, richiesto 4"}, proof: "Diploma professionale (EQF 4)"},
		{name: "a higher level is met",
			req: education("4", ""), cv: diploma(6, "Laurea in economia", "Economia"),
			evidence: matching.Met, credit: 1, reason: []string{"EQF 6, richiesto 4"}},
		{name: "the level in another field is partly met",
			req: education("4", "meccanica"), cv: diploma(4, "Diploma di ragioneria", "Amministrazione"),
			evidence: matching.PartlyMet, credit: 0.7, reason: []string{"altro ambito", "meccanica"}},
		{name: "one level below is partly met",
			req: education("4", ""), cv: diploma(3, "Qualifica IeFP", "Ristorazione"),
			evidence: matching.PartlyMet, credit: 0.5, reason: []string{"EQF 3, richiesto 4"}},
		{name: "two levels below is not met",
			req: education("4", ""), cv: diploma(2, "Licenza media", ""),
			evidence: matching.NotMet, credit: 0, reason: []string{"EQF 2, richiesto 4"}},
		{name: "an empty education section leaves it unknown",
			req: education("4", ""), cv: func(testing.TB, *matching.Vacancy) matching.Candidate { return matching.Candidate{} },
			evidence: matching.Unknown, credit: 0, reason: []string{"da verificare"}},
		{name: "a malformed level is unknown rather than a panic",
			req: education("", ""), cv: diploma(4, "Diploma", ""),
			evidence: matching.Unknown, credit: 0, reason: []string{"non valido"}},
	})
}

func TestAssessLanguage(t *testing.T) {
	language := func(code, level string) matching.Requirement {
		return matching.Requirement{Kind: matching.ReqLanguage, Code: code, Level: level}
	}
	speaks := func(l ...matching.LanguageLevel) func(testing.TB, *matching.Vacancy) matching.Candidate {
		return func(testing.TB, *matching.Vacancy) matching.Candidate { return matching.Candidate{Languages: l} }
	}
	runAssessCases(t, []assessCase{
		{name: "the level asked is met",
			req: language("en", "B2"), cv: speaks(matching.LanguageLevel{Language: "en", Level: "B2"}),
			evidence: matching.Met, credit: 1, reason: []string{"Inglese B2", "richiesto B2"}, proof: "Inglese B2"},
		{name: "a higher level is met",
			req: language("de", "B1"), cv: speaks(matching.LanguageLevel{Language: "de", Level: "C1"}),
			evidence: matching.Met, credit: 1, reason: []string{"Tedesco C1"}},
		{name: "a native speaker meets a C2",
			req: language("de", "C2"), cv: speaks(matching.LanguageLevel{Language: "de", Level: "native"}),
			evidence: matching.Met, credit: 1, reason: []string{"madrelingua"}},
		{name: "a B1 for a B2 is partly met",
			req: language("en", "B2"), cv: speaks(matching.LanguageLevel{Language: "en", Level: "B1"}),
			evidence: matching.PartlyMet, credit: 0.6, reason: []string{"B1", "un livello sotto", "B2"}},
		{name: "an A2 for a B2 earns a little",
			req: language("en", "B2"), cv: speaks(matching.LanguageLevel{Language: "en", Level: "A2"}),
			evidence: matching.PartlyMet, credit: 0.3, reason: []string{"A2", "due livelli sotto", "B2"}},
		{name: "an A1 for a B2 is not met",
			req: language("en", "B2"), cv: speaks(matching.LanguageLevel{Language: "en", Level: "A1"}),
			evidence: matching.NotMet, credit: 0, reason: []string{"A1", "B2"}},
		{name: "a language missing from a listed section is not met",
			req: language("de", "B1"), cv: speaks(matching.LanguageLevel{Language: "en", Level: "C1"}),
			evidence: matching.NotMet, credit: 0, reason: []string{"Tedesco non risulta"}},
		{name: "Italian not listed is unknown: CVs in Italian rarely say it",
			req: language("it", "B2"), cv: speaks(matching.LanguageLevel{Language: "en", Level: "C1"}),
			evidence: matching.Unknown, credit: 0, reason: []string{"italiano", "da verificare"}},
		{name: "an empty languages section leaves it unknown",
			req: language("de", "B1"), cv: speaks(),
			evidence: matching.Unknown, credit: 0, reason: []string{"tedesco", "da verificare"}},
	})
}

func TestAssessLicence(t *testing.T) {
	licence := func(code string) matching.Requirement {
		return matching.Requirement{Kind: matching.ReqLicence, Code: code}
	}
	holds := func(l ...string) func(testing.TB, *matching.Vacancy) matching.Candidate {
		return func(testing.TB, *matching.Vacancy) matching.Candidate { return matching.Candidate{Licences: l} }
	}
	runAssessCases(t, []assessCase{
		{name: "the licence asked is met",
			req: licence("B"), cv: holds("AM", "B"),
			evidence: matching.Met, credit: 1, reason: []string{"Patente B"}, proof: "Patente B"},
		{name: "a CE covers a C",
			req: licence("C"), cv: holds("B", "CE"),
			evidence: matching.Met, credit: 1, reason: []string{"Patente CE", "comprende la C"}, proof: "Patente CE"},
		{name: "a D covers a B",
			req: licence("B"), cv: holds("D"),
			evidence: matching.Met, credit: 1, reason: []string{"comprende la B"}},
		{name: "a C does not cover a CE",
			req: licence("CE"), cv: holds("B", "C"),
			evidence: matching.NotMet, credit: 0, reason: []string{"Patente CE non dichiarata", "B, C"}},
		{name: "a CQC is its own category",
			req: licence("CQC_goods"), cv: holds("CQC_goods", "CE"),
			evidence: matching.Met, credit: 1},
		{name: "no licence listed leaves it unknown",
			req: licence("C"), cv: holds(),
			evidence: matching.Unknown, credit: 0, reason: []string{"non indica patenti", "da verificare"}},
	})
}

func TestAssessCertification(t *testing.T) {
	haccp := matching.Requirement{Kind: matching.ReqCertification, Code: "haccp", Label: "Attestato HACCP"}
	certified := func(cs ...matching.Certification) func(testing.TB, *matching.Vacancy) matching.Candidate {
		return func(testing.TB, *matching.Vacancy) matching.Candidate { return matching.Candidate{Certifications: cs} }
	}
	expiresOn := func(s string) *time.Time { return ptr(mustDate(t, s)) }
	runAssessCases(t, []assessCase{
		{name: "the same code is met",
			req: haccp, cv: certified(matching.Certification{Code: "haccp", Name: "Corso igiene alimentare"}),
			evidence: matching.Met, credit: 1, reason: []string{"Corso igiene alimentare"}},
		{name: "the same subject under another kind of title is met",
			req: haccp, cv: certified(matching.Certification{Name: "Corso HACCP", ExpiresOn: expiresOn("2027-05-01")}),
			evidence: matching.Met, credit: 1, proof: "Corso HACCP"},
		{name: "a name that holds the requirement's subject is met",
			req:      matching.Requirement{Kind: matching.ReqCertification, Label: "Patentino fitosanitari"},
			cv:       certified(matching.Certification{Name: "Abilitazione all'acquisto e uso dei fitosanitari"}),
			evidence: matching.Met, credit: 1},
		{name: "an expired certification is partly met",
			req: haccp, cv: certified(matching.Certification{Name: "Attestato HACCP", ExpiresOn: expiresOn("2025-01-15")}),
			evidence: matching.PartlyMet, credit: 0.5, reason: []string{"scaduta il 15/01/2025", "rinnovare"}},
		{name: "a valid copy wins over an expired one",
			req: haccp, cv: certified(
				matching.Certification{Name: "Attestato HACCP", ExpiresOn: expiresOn("2022-01-15")},
				matching.Certification{Name: "Attestato HACCP (aggiornamento)", ExpiresOn: expiresOn("2028-01-15")}),
			evidence: matching.Met, credit: 1, reason: []string{"aggiornamento"}},
		{name: "an unrelated certification is not met",
			req: haccp, cv: certified(matching.Certification{Name: "Attestato primo soccorso"}),
			evidence: matching.NotMet, credit: 0, reason: []string{"Attestato HACCP non risulta"}},
		{name: "a certificate word alone matches nothing",
			req: haccp, cv: certified(matching.Certification{Name: "Attestato"}),
			evidence: matching.NotMet, credit: 0},
		{name: "no certification listed leaves it unknown",
			req: haccp, cv: certified(),
			evidence: matching.Unknown, credit: 0, reason: []string{"non elenca certificazioni", "da verificare"}},
	})
}

func TestAssessDistance(t *testing.T) {
	within := func(km int) matching.Requirement {
		return matching.Requirement{Kind: matching.ReqDistance, MaxKm: ptr(km)}
	}
	home := func(km float64, mobility int) func(testing.TB, *matching.Vacancy) matching.Candidate {
		return func(_ testing.TB, vac *matching.Vacancy) matching.Candidate {
			c := matching.Candidate{MobilityKm: mobility}
			livesKmFrom(vac, km)(&c)
			return c
		}
	}
	runAssessCases(t, []assessCase{
		{name: "a home within the distance and the mobility radius is met",
			req: within(30), cv: home(12, 20),
			evidence: matching.Met, credit: 1, reason: []string{"12 km", "massimo 30"}},
		{name: "no mobility radius stated does not count against",
			req: within(30), cv: home(25, 0),
			evidence: matching.Met, credit: 1},
		{name: "a home within the distance but beyond the candidate's mobility is partly met",
			req: within(30), cv: home(18, 10),
			evidence: matching.PartlyMet, credit: 0.6, reason: []string{"18 km", "raggio di spostamento", "10 km"}},
		{name: "farther but within a wide mobility beats nearer beyond a short one",
			req: within(30), cv: home(25, 50),
			evidence: matching.Met, credit: 1, reason: []string{"25 km"}},
		{name: "just beyond the maximum earns less the farther it is",
			req: within(20), cv: home(25, 50),
			evidence: matching.PartlyMet, credit: 0.25, reason: []string{"25 km", "oltre i 20"}},
		{name: "beyond the maximum and the mobility radius loses both ways",
			req: within(20), cv: home(25, 10),
			evidence: matching.PartlyMet, credit: 0.15, reason: []string{"oltre i 20", "10 km"}},
		{name: "beyond half as far again is not met",
			req: within(20), cv: home(31, 100),
			evidence: matching.NotMet, credit: 0, reason: []string{"31 km", "ben oltre i 20"}},
		{name: "a home without coordinates leaves it unknown",
			req: within(20), cv: func(testing.TB, *matching.Vacancy) matching.Candidate { return matching.Candidate{MobilityKm: 30} },
			evidence: matching.Unknown, credit: 0, reason: []string{"non calcolabile"}},
	})
	t.Run("the assessment carries the distance", func(t *testing.T) {
		vac := workplace(t, matching.Requirement{Rank: 1, Kind: matching.ReqDistance, MaxKm: ptr(30)})
		c := home(18.04, 0)(t, vac)
		a := assessOne(t, vac, &c)
		if a.DistanceKm == nil || *a.DistanceKm != 18 {
			t.Fatalf("DistanceKm = %v, want 18", a.DistanceKm)
		}
	})
}

func TestAssessAvailability(t *testing.T) {
	from := matching.Requirement{Kind: matching.ReqAvailability, FromDate: ptr(mustDate(t, "2026-12-01"))}
	available := func(day string) func(testing.TB, *matching.Vacancy) matching.Candidate {
		return func(tb testing.TB, _ *matching.Vacancy) matching.Candidate {
			if day == "" {
				return matching.Candidate{}
			}
			return matching.Candidate{AvailableFrom: ptr(mustDate(tb, day))}
		}
	}
	runAssessCases(t, []assessCase{
		{name: "available before the day is met",
			req: from, cv: available("2026-10-01"),
			evidence: matching.Met, credit: 1, reason: []string{"01/10/2026", "richiesto dal 01/12/2026"}, proof: "Disponibile dal 01/10/2026"},
		{name: "available on the day is met",
			req: from, cv: available("2026-12-01"),
			evidence: matching.Met, credit: 1},
		{name: "ten days late is partly met",
			req: from, cv: available("2026-12-11"),
			evidence: matching.PartlyMet, credit: 1 - 10.0/31, reason: []string{"10 giorni dopo"}},
		{name: "the last day of grace still earns credit",
			req: from, cv: available("2026-12-31"),
			evidence: matching.PartlyMet, credit: 1 - 30.0/31},
		{name: "beyond the grace period is not met",
			req: from, cv: available("2027-01-01"),
			evidence: matching.NotMet, credit: 0, reason: []string{"oltre un mese"}},
		{name: "no date in the CV leaves it unknown",
			req: from, cv: available(""),
			evidence: matching.Unknown, credit: 0, reason: []string{"da verificare"}},
		{name: "a requirement without its date is unknown rather than a panic",
			req: matching.Requirement{Kind: matching.ReqAvailability}, cv: available("2026-12-01"),
			evidence: matching.Unknown, credit: 0},
	})
}

func TestAssessWorkingTimeAndContract(t *testing.T) {
	hours := matching.Requirement{Kind: matching.ReqWorkingTime, Values: []string{"shifts", "weekends"}}
	contract := matching.Requirement{Kind: matching.ReqContract, Values: []string{"seasonal", "fixed_term"}}
	accepts := func(wt, ct []string) func(testing.TB, *matching.Vacancy) matching.Candidate {
		return func(testing.TB, *matching.Vacancy) matching.Candidate {
			return matching.Candidate{WorkingTime: wt, ContractPreferences: ct}
		}
	}
	runAssessCases(t, []assessCase{
		{name: "every working time asked is met",
			req: hours, cv: accepts([]string{"full_time", "shifts", "weekends"}, nil),
			evidence: matching.Met, credit: 1, reason: []string{"turni", "fine settimana"}},
		{name: "some of the working times asked is the share accepted",
			req: hours, cv: accepts([]string{"shifts"}, nil),
			evidence: matching.PartlyMet, credit: 0.5, reason: []string{"Accetta turni", "non fine settimana"}},
		{name: "none of the working times asked is not met",
			req: hours, cv: accepts([]string{"part_time"}, nil),
			evidence: matching.NotMet, credit: 0},
		{name: "no working time in the CV leaves it unknown",
			req: hours, cv: accepts(nil, nil),
			evidence: matching.Unknown, credit: 0, reason: []string{"da verificare"}},
		{name: "one of the contracts offered is met",
			req: contract, cv: accepts(nil, []string{"permanent", "fixed_term"}),
			evidence: matching.Met, credit: 1, reason: []string{"tempo determinato"}},
		{name: "none of the contracts offered is not met",
			req: contract, cv: accepts(nil, []string{"permanent"}),
			evidence: matching.NotMet, credit: 0, reason: []string{"stagionale"}},
		{name: "no contract in the CV leaves it unknown",
			req: contract, cv: accepts(nil, nil),
			evidence: matching.Unknown, credit: 0, reason: []string{"da verificare"}},
	})
}

func TestDescribeRequirement(t *testing.T) {
	cases := []struct {
		req    matching.Requirement
		it, en string
	}{
		{matching.Requirement{Kind: matching.ReqOccupation, Code: "occ-cuoco", MinYears: ptr(2.5)},
			"Cuoco, almeno 2,5 anni di esperienza", "Cuoco, at least 2.5 years of experience"},
		{matching.Requirement{Kind: matching.ReqOccupation, Code: "occ-cuoco", MinYears: ptr(1.0)},
			"Cuoco, almeno 1 anno di esperienza", "Cuoco, at least 1 year of experience"},
		{matching.Requirement{Kind: matching.ReqOccupation, Code: "occ-cuoco"}, "Esperienza come Cuoco", "Experience as Cuoco"},
		{matching.Requirement{Kind: matching.ReqSkill, Code: "sk-cocktail", Level: "advanced"},
			"Preparazione di cocktail e miscelazione (livello avanzato)", "Preparazione di cocktail e miscelazione (level: advanced)"},
		{matching.Requirement{Kind: matching.ReqEducation, Code: "4", Field: "meccanica"},
			"Titolo di studio: diploma di scuola superiore (EQF 4) o superiore, in meccanica", "Education: upper secondary diploma (EQF 4) or higher, in meccanica"},
		{matching.Requirement{Kind: matching.ReqLanguage, Code: "de", Level: "B2"}, "Tedesco almeno B2", "German, at least B2"},
		{matching.Requirement{Kind: matching.ReqLanguage, Code: "it", Level: "native"},
			"Italiano madrelingua o equivalente", "Italian, native speaker or equivalent"},
		{matching.Requirement{Kind: matching.ReqLicence, Code: "CE"}, "Patente CE", "Driving licence CE"},
		{matching.Requirement{Kind: matching.ReqCertification, Code: "haccp", Label: "Attestato HACCP"}, "Attestato HACCP", "Attestato HACCP"},
		{matching.Requirement{Kind: matching.ReqDistance, MaxKm: ptr(25)},
			"Domicilio entro 25 km dal luogo di lavoro", "Home within 25 km of the workplace"},
		{matching.Requirement{Kind: matching.ReqAvailability, FromDate: ptr(mustDate(t, "2026-12-01"))},
			"Disponibile dal 01/12/2026", "Available from 1 Dec 2026"},
		{matching.Requirement{Kind: matching.ReqWorkingTime, Values: []string{"shifts", "nights"}},
			"Orario: turni, turni notturni", "Working hours: shifts, night shifts"},
		{matching.Requirement{Kind: matching.ReqContract, Values: []string{"seasonal"}}, "Contratto: stagionale", "Contract type: seasonal"},
	}
	for _, tc := range cases {
		t.Run(tc.it, func(t *testing.T) {
			d := matching.DescribeRequirement(tc.req)
			if got := d.In(matching.LangItalian); got != tc.it {
				t.Errorf("in Italian %q, want %q", got, tc.it)
			}
			if got := d.In(matching.LangEnglish); got != tc.en {
				t.Errorf("in English %q, want %q", got, tc.en)
			}
		})
	}
}

func TestAnOccupationTheCatalogueRelatesEarnsTheBroaderCredit(t *testing.T) {
	vac := workplace(t, matching.Requirement{Rank: 1, Kind: matching.ReqOccupation, Code: "occ-cuoco"})
	chef := job(t, "Chef", "2020-01", "2024-01")
	chef.OccupationCode = "occ-chef"
	a := assessOne(t, vac, &matching.Candidate{Experiences: []matching.Experience{chef}})
	if a.Evidence != matching.PartlyMet || a.Credit != 0.5 || !strings.Contains(a.Reason.String(), "professione affine a Cuoco") {
		t.Errorf("a chef for a cook: %+v", a)
	}
	mason := job(t, "Muratore", "2020-01", "2024-01")
	mason.OccupationCode = "occ-muratore"
	if a := assessOne(t, vac, &matching.Candidate{Experiences: []matching.Experience{mason}}); a.Evidence != matching.NotMet {
		t.Errorf("a mason for a cook: %+v", a)
	}
}
