package matching_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"incontro/matching"
	"incontro/seed"
)

// explained is a candidate explained against a vacancy, with what the code
// before the phrasebook said of them (oldtext_test.go).
type explained struct {
	label string // how to find the case again
	s     *matching.Scorer
	e     matching.Explanation
	old   matching.OldTexts
}

// explainedSample explains many generated CVs against many generated
// vacancies: those of the property tests, those of the seed generator, and
// hand-made ones for sentences that need data Validate refuses. The tests
// share one sample.
func explainedSample(tb testing.TB) []explained {
	tb.Helper()
	sample.once.Do(func() { sample.list = makeSample(tb) })
	if sample.list == nil {
		tb.Fatal("the sample could not be made")
	}
	return sample.list
}

var sample struct {
	once sync.Once
	list []explained
}

func makeSample(tb testing.TB) []explained {
	var out []explained
	add := func(label string, vac *matching.Vacancy, c *matching.Candidate) {
		s := mustScorer(tb, vac)
		out = append(out, explained{label: label, s: s, e: s.Explain(c, 0.5), old: matching.OldExplain(s, c)})
	}
	for caseNo := range propertyCases {
		g := newPropertyGen(tb, caseNo)
		vac := g.vacancy()
		for i := range 4 {
			add(fmt.Sprintf("property case %d, candidate %d", caseNo, i), vac, g.candidate(int64(i+1)))
		}
	}
	g, err := seed.New(seed.Options{Seed: 11, Candidates: 300, AsOf: scoringDay})
	if err != nil {
		tb.Fatal(err)
	}
	_, sectors := g.Employers()
	cands := make([]matching.Candidate, 300)
	for i := range cands {
		cands[i], _ = g.Candidate(i)
	}
	for v := range 40 {
		vac := g.Vacancy(v, v%3, sectors[v%len(sectors)])
		for i := range cands {
			if (i+v)%4 == 0 {
				add(fmt.Sprintf("seed vacancy %d, candidate %d", v, i), &vac, &cands[i])
			}
		}
	}
	odd := &matching.Vacancy{ID: 1, Requirements: []matching.Requirement{
		{Rank: 1, Kind: "telepathy"},
		{Rank: 2, Kind: matching.ReqEducation, Code: "9"},
		{Rank: 3, Kind: matching.ReqAvailability},
		{Rank: 4, Kind: matching.ReqDistance},
		{Rank: 5, Kind: matching.ReqOccupation, Code: "occ-cuoco", MinYears: ptr(-1.0)},
		{Rank: 6, Kind: matching.ReqWorkingTime, Values: []string{"shifts", "siesta"}},
	}}
	cook := matching.Experience{Title: "Cuoco", OccupationCode: "occ-cuoco", StartDate: scoringDay.AddDate(-2, 0, 0)}
	add("odd requirements, a cook", odd, &matching.Candidate{Experiences: []matching.Experience{cook}, WorkingTime: []string{"shifts"}})
	add("odd requirements, an empty CV", odd, &matching.Candidate{})
	return out
}

// TestThePhrasebookSaysEveryExplanationInItalianAsBefore compares, over
// thousands of generated CVs and vacancies, every sentence of an
// explanation said in Italian with what the code before the phrasebook
// said, byte for byte, and checks that the JSON of an explanation carries
// the same Italian strings.
func TestThePhrasebookSaysEveryExplanationInItalianAsBefore(t *testing.T) {
	seen := map[string]bool{}
	sample := explainedSample(t)
	for _, x := range sample {
		e, old := x.e, x.old
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("%s: %s", x.label, fmt.Sprintf(format, args...))
		}
		weights := x.s.Weights()
		for i, a := range e.Requirements {
			o := old.Requirements[i]
			if got := a.Requirement.In(matching.LangItalian); got != o.Requirement {
				fail("rank %d: requirement %q, before %q", a.Rank, got, o.Requirement)
			}
			if got := weights[i].Requirement.String(); got != o.Requirement {
				fail("rank %d: weight's requirement %q, before %q", a.Rank, got, o.Requirement)
			}
			if got := a.Reason.In(matching.LangItalian); got != o.Reason {
				fail("rank %d: reason %q, before %q", a.Rank, got, o.Reason)
			}
			if a.Evidence != o.Evidence || a.Credit != o.Credit {
				fail("rank %d: %s %v, before %s %v", a.Rank, a.Evidence, a.Credit, o.Evidence, o.Credit)
			}
			var proofs []string
			for _, p := range a.Proofs {
				proofs = append(proofs, p.Text.In(matching.LangItalian))
			}
			if !slices.Equal(proofs, o.Proofs) {
				fail("rank %d: proofs %q, before %q", a.Rank, proofs, o.Proofs)
			}
			for _, text := range append([]matching.Text{a.Requirement, a.Reason}, proofTexts(a.Proofs)...) {
				for _, p := range text {
					seen[p.Key] = true
				}
			}
		}
		if got := italian(e.ToVerify); !slices.Equal(got, old.ToVerify) {
			fail("to verify %q, before %q", got, old.ToVerify)
		}
		var wire struct {
			Requirements []struct {
				Requirement string `json:"requirement"`
				Reason      string `json:"reason"`
				Proofs      []struct {
					Text string `json:"text"`
				} `json:"proofs"`
			} `json:"requirements"`
			ToVerify []string `json:"to_verify"`
		}
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &wire); err != nil {
			t.Fatal(err)
		}
		for i, a := range wire.Requirements {
			o := old.Requirements[i]
			if a.Requirement != o.Requirement || a.Reason != o.Reason || len(a.Proofs) != len(o.Proofs) {
				fail("JSON of rank %d: %q, %q, %d proofs; before %q, %q, %d", i+1, a.Requirement, a.Reason, len(a.Proofs),
					o.Requirement, o.Reason, len(o.Proofs))
			}
			for j, p := range a.Proofs {
				if p.Text != o.Proofs[j] {
					fail("JSON of rank %d: proof %q, before %q", i+1, p.Text, o.Proofs[j])
				}
			}
		}
		if !slices.Equal(wire.ToVerify, old.ToVerify) {
			fail("JSON to verify %q, before %q", wire.ToVerify, old.ToVerify)
		}
	}
	// The sample is only a proof if it says (nearly) every phrase.
	var unsaid []string
	for _, k := range matching.PhraseKeys() {
		if !seen[k] && k != "italian" {
			unsaid = append(unsaid, k)
		}
	}
	if len(unsaid) > 0 {
		t.Errorf("the sample of %d explanations never says %q", len(sample), unsaid)
	}
}

func proofTexts(ps []matching.Proof) []matching.Text {
	out := make([]matching.Text, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}

// TestEnglishExplanationsSayNoItalian says the generated sample in English:
// with the names from the CV and the catalogue set aside, no Italian word
// is left, and no placeholder or unknown key.
func TestEnglishExplanationsSayNoItalian(t *testing.T) {
	italianWords := []string{" come ", " anni", " anno", "richiest", "nessun", "livello", " non ", "dichiar", "patente",
		"disponibil", "verificar", "abita", "titolo", "accett", "contratt", "orari", " dal ", " di ", " il ", " la ",
		"professione", "esperienza", "madrelingua", "tedesco", "giorni", "in corso", "scadut", "competenz", "turni",
		"tempo pieno", "stagionale", "avanzato", "intermedio", "esperto", "affine", "oltre", "massimo", "almeno"}
	check := func(label string, text matching.Text) {
		t.Helper()
		full := text.In(matching.LangEnglish)
		if strings.ContainsAny(full, "{}⟦⟧") {
			t.Fatalf("%s: %q has a placeholder or an unknown key", label, full)
		}
		s := " " + strings.ToLower(matching.WithoutNames(text).In(matching.LangEnglish)) + " "
		for _, w := range italianWords {
			if strings.Contains(s, w) {
				t.Fatalf("%s: %q says the Italian %q", label, full, w)
			}
		}
	}
	for _, x := range explainedSample(t) {
		for _, a := range x.e.Requirements {
			check(x.label, a.Requirement)
			check(x.label, a.Reason)
			for _, p := range a.Proofs {
				check(x.label, p.Text)
			}
		}
	}
}

func TestSomeExplanationsInEnglish(t *testing.T) {
	vac := workplace(t,
		matching.Requirement{Rank: 1, Kind: matching.ReqOccupation, Code: "occ-cuoco", MinYears: ptr(3.0)},
		matching.Requirement{Rank: 2, Kind: matching.ReqLanguage, Code: "de", Level: "B2"},
		matching.Requirement{Rank: 3, Kind: matching.ReqLicence, Code: "B"},
		matching.Requirement{Rank: 4, Kind: matching.ReqAvailability, FromDate: ptr(mustDate(t, "2026-12-01"))},
		matching.Requirement{Rank: 5, Kind: matching.ReqContract, Values: []string{"fixed_term", "seasonal"}},
	)
	c := matching.Candidate{
		Experiences:         []matching.Experience{job(t, "Cuoco", "2024-05", "")},
		Languages:           []matching.LanguageLevel{{Language: "de", Level: "B1"}},
		AvailableFrom:       ptr(mustDate(t, "2026-12-03")),
		ContractPreferences: []string{"seasonal"},
	}
	e := mustScorer(t, vac).Explain(&c, 0)
	want := []struct{ requirement, reason, proof string }{
		{"Cuoco, at least 3 years of experience", "2.5 years as Cuoco: 3 years required.", "Cuoco, May 2024 – present (2.5 years)"},
		{"German, at least B2", "German: B1, one level below what is required (B2).", "German: B1"},
		{"Driving licence B", "The CV lists no driving licence; to be verified: licence B.", ""},
		{"Available from 1 Dec 2026", "Available from 3 Dec 2026, 2 days after the required date of 1 Dec 2026.", "Available from 3 Dec 2026"},
		{"Contract type: fixed-term, seasonal", "Accepts the contract type: seasonal.", "Contract types accepted: seasonal"},
	}
	for i, w := range want {
		a := e.Requirements[i]
		if got := a.Requirement.In(matching.LangEnglish); got != w.requirement {
			t.Errorf("rank %d: requirement %q, want %q", i+1, got, w.requirement)
		}
		if got := a.Reason.In(matching.LangEnglish); got != w.reason {
			t.Errorf("rank %d: reason %q, want %q", i+1, got, w.reason)
		}
		var proof string
		if len(a.Proofs) > 0 {
			proof = a.Proofs[0].Text.In(matching.LangEnglish)
		}
		if proof != w.proof {
			t.Errorf("rank %d: proof %q, want %q", i+1, proof, w.proof)
		}
	}
	if got := italian(e.ToVerify); !slices.Equal(got, []string{"Patente B"}) {
		t.Errorf("to verify %q", got)
	}
	if got := e.ToVerify[0].In(matching.LangEnglish); got != "Driving licence B" {
		t.Errorf("to verify in English %q", got)
	}
}

// oldExplanation is an explanation as runs and shortlists stored it before
// the phrasebook: Italian strings only.
const oldExplanation = `{"score":2.1,"fit":0.7,"requirements":[{"requirement_id":7,"rank":1,"kind":"language",` +
	`"requirement":"Tedesco almeno B2","essential":true,"weight":0.6111,"points":1.8333,"evidence":"met","credit":1,` +
	`"contribution":1.8333,"reason":"Tedesco B2 (richiesto B2).","proofs":[{"section":"languages","text":"Tedesco B2"}]},` +
	`{"rank":2,"kind":"licence","requirement":"Patente B","essential":false,"weight":0.2778,"points":0.8333,` +
	`"evidence":"unknown","credit":0,"contribution":0,"reason":"Il CV non indica patenti: patente B da verificare."}],` +
	`"text_relevance":1,"text_contribution":0.05,"cv_age_days":3,"freshness_contribution":0.0198,` +
	`"missing_essentials":[],"unknown_essentials":[],"partly_essentials":[],"to_verify":["Patente B"]}`

func TestAnExplanationStoredBeforeThePhrasebookReadsAndWritesAsItWas(t *testing.T) {
	var e matching.Explanation
	if err := json.Unmarshal([]byte(oldExplanation), &e); err != nil {
		t.Fatal(err)
	}
	a := e.Requirements[0]
	for _, lang := range []string{matching.LangItalian, matching.LangEnglish} {
		if a.Requirement.In(lang) != "Tedesco almeno B2" || a.Reason.In(lang) != "Tedesco B2 (richiesto B2)." ||
			a.Proofs[0].Text.In(lang) != "Tedesco B2" || e.ToVerify[0].In(lang) != "Patente B" {
			t.Errorf("in %s it says %q, %q, %q, %q: want the Italian it has", lang, a.Requirement.In(lang), a.Reason.In(lang),
				a.Proofs[0].Text.In(lang), e.ToVerify[0].In(lang))
		}
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("_phrases")) {
		t.Errorf("phrases were made up for Italian-only texts: %s", b)
	}
	var before, after map[string]any
	if err := json.Unmarshal([]byte(oldExplanation), &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &after); err != nil {
		t.Fatal(err)
	}
	if x, y := fmt.Sprint(before), fmt.Sprint(after); x != y {
		t.Errorf("written back as\n%s\nwas\n%s", y, x)
	}
}

func TestAnExplanationTravelsWithItsPhrases(t *testing.T) {
	for _, x := range explainedSample(t)[:400] {
		b, err := json.Marshal(x.e)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(`"reason_phrases":[{"k":`)) {
			t.Fatalf("%s: no phrases in %s", x.label, b)
		}
		for _, a := range x.e.Requirements {
			// A requirement that is only a name (a certificate, a skill
			// without level) is said the same in every language: its
			// Italian string is all it needs.
			name := len(a.Requirement) == 1 && a.Requirement[0].Key == "name"
			if has := bytes.Contains(b, []byte(`"requirement_phrases":[{"k":"`+a.Requirement[0].Key)); has == name {
				t.Fatalf("%s: rank %d is a name: %v, has phrases: %v, in %s", x.label, a.Rank, name, has, b)
			}
		}
		var back matching.Explanation
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		again, err := json.Marshal(back)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, again) {
			t.Fatalf("%s: read and written again\n%s\nwas\n%s", x.label, again, b)
		}
		for i, a := range back.Requirements {
			if got, want := a.Reason.In(matching.LangEnglish), x.e.Requirements[i].Reason.In(matching.LangEnglish); got != want {
				t.Fatalf("%s: read back, the English reason is %q, was %q", x.label, got, want)
			}
		}
	}
}
