package index

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"incontro/matching"
	"incontro/reference"
	"incontro/seed"
)

// recallAsOf is "today" of the recall fixtures.
var recallAsOf = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// IDs of the recall world. Every candidate is a waiter in Trento who passes
// every essential requirement of the cases below, except for what the
// name says.
const (
	rcExact           = 1 + iota // the vacancy's occupation and both its skills
	rcWaiter                     // the vacancy's occupation, no skills
	rcMaitre                     // same ISCO unit group (5131), one of the skills
	rcBarista                    // same ISCO minor group (513)
	rcRoomAttendant              // "Cameriere ai piani": another group, the word only
	rcUncodedWaitress            // "Cameriera", no occupation code nor ISCO
	rcBricklayer                 // nothing in common with a waiter, no languages nor licences
	rcNotPresentable
	rcNotSearchable
	rcLicenceCE
	rcLicenceB
	rcNoLicence
	rcGermanB1
	rcGermanA1
	rcNoLanguages
	rcEnglishOnly
	rcItalianA1
	rcKm25
	rcKm40
	rcKm70
	rcAvailableInGrace // 19 days after the date required
	rcAvailableLate    // two months after
	rcNoAvailability
	rcEQF3
	rcNoEducation
	rcNightsOnly
	rcNoWorkingTime
	rcFreelanceOnly
	rcNoContract
	rcLicenceBGermanA1 // fails two essentials at once
	rcFarFromCentroid  // lives in Trento, at a point of their own 40 km from the workplace
	rcLicenceBKm40     // fails a licence and a distance at once
	rcNoPlace          // a municipality the reference does not know and no point: distances are unknown
	rcTwin1            // three more waiters exactly like rcWaiter, for ties
	rcTwin2
	rcTwin3
	rcLast = rcTwin3
)

// recallPlace returns the first municipality (in code order) whose centroid
// is between lo and hi km from Trento's.
func recallPlace(tb testing.TB, lo, hi float64) reference.Municipality {
	tb.Helper()
	lat, lon := municipalityPoint("022205")
	ms := reference.Municipalities()
	slices.SortFunc(ms, func(a, b reference.Municipality) int { return cmp.Compare(a.Code, b.Code) })
	for _, m := range ms {
		if d := reference.HaversineKm(lat, lon, m.Lat, m.Lon); d >= lo && d <= hi {
			return m
		}
	}
	tb.Fatalf("no municipality %g–%g km from Trento", lo, hi)
	return reference.Municipality{}
}

// recallCandidate builds candidate id of the recall world.
func recallCandidate(tb testing.TB, id int64) matching.Candidate {
	tb.Helper()
	day := func(s string) *time.Time { d := searchDay(tb, s); return &d }
	experience := func(code, title string) []matching.Experience {
		e := matching.Experience{Title: title, StartDate: searchDay(tb, "2020-01-01")}
		if o, ok := reference.OccupationByCode(code); ok {
			e.OccupationCode, e.ISCOCode = o.Code, o.ISCO
		}
		return []matching.Experience{e}
	}
	skills := func(codes ...string) []matching.CandidateSkill {
		var out []matching.CandidateSkill
		for _, code := range codes {
			sk, ok := reference.SkillByCode(code)
			if !ok {
				tb.Fatalf("no skill %s", code)
			}
			out = append(out, matching.CandidateSkill{Code: sk.Code, Label: sk.Label, Level: "advanced"})
		}
		return out
	}
	languages := func(ls ...string) []matching.LanguageLevel {
		var out []matching.LanguageLevel
		for i := 0; i+1 < len(ls); i += 2 {
			out = append(out, matching.LanguageLevel{Language: ls[i], Level: ls[i+1]})
		}
		return out
	}
	c := matching.Candidate{
		ID: id, GivenName: "Nome", FamilyName: fmt.Sprintf("Cognome %d", id), Email: fmt.Sprintf("r%d@example.org", id),
		Headline: "Cameriere di sala", HomeMunicipality: "022205", MobilityKm: 100,
		AvailableFrom: day("2026-03-15"), WorkingTime: []string{"full_time"}, ContractPreferences: []string{"permanent"},
		Searchable: true, Presentation: matching.PresentBlind,
		CreatedAt: recallAsOf.AddDate(-1, 0, 0), UpdatedAt: recallAsOf.AddDate(0, -1, 0),
		Experiences: experience("occ-cameriere-sala", "Cameriere di sala"),
		Education:   []matching.Education{{EQFLevel: 4, Title: "Diploma"}},
		Languages:   languages("it", "native", "de", "B2"),
		Licences:    []string{"B", "C"},
	}
	switch id {
	case rcExact:
		c.Skills = skills("sk-servizio-sala", "sk-mise-en-place")
	case rcWaiter, rcTwin1, rcTwin2, rcTwin3:
	case rcMaitre:
		c.Headline, c.Experiences, c.Skills = "Maître di sala", experience("occ-maitre", "Maître"), skills("sk-servizio-sala")
	case rcBarista:
		c.Headline, c.Experiences = "Barista", experience("occ-barista", "Barista")
	case rcRoomAttendant:
		c.Headline, c.Experiences = "Cameriere ai piani", experience("occ-cameriere-piani", "Cameriere ai piani")
	case rcUncodedWaitress:
		c.Headline, c.Experiences = "Cameriera", experience("", "Cameriera")
	case rcBricklayer:
		c.Headline, c.Experiences = "Muratore", experience("occ-muratore", "Muratore")
		c.Languages, c.Licences = nil, nil
	case rcNotPresentable:
		c.Presentation = matching.PresentNone
	case rcNotSearchable:
		c.Searchable = false
	case rcLicenceCE:
		c.Licences = []string{"B", "CE"}
	case rcLicenceB:
		c.Licences = []string{"B"}
	case rcNoLicence:
		c.Licences = nil
	case rcGermanB1:
		c.Languages = languages("it", "native", "de", "B1")
	case rcGermanA1:
		c.Languages = languages("it", "native", "de", "A1")
	case rcNoLanguages:
		c.Languages = nil
	case rcEnglishOnly:
		c.Languages = languages("en", "B2")
	case rcItalianA1:
		c.Languages = languages("it", "A1", "de", "B2")
	case rcKm25:
		c.HomeMunicipality = recallPlace(tb, 23, 27).Code
	case rcKm40:
		c.HomeMunicipality = recallPlace(tb, 37, 43).Code
	case rcKm70:
		c.HomeMunicipality = recallPlace(tb, 65, 80).Code
	case rcAvailableInGrace:
		c.AvailableFrom = day("2026-04-20")
	case rcAvailableLate:
		c.AvailableFrom = day("2026-06-01")
	case rcNoAvailability:
		c.AvailableFrom = nil
	case rcEQF3:
		c.Education = []matching.Education{{EQFLevel: 3, Title: "Qualifica"}}
	case rcNoEducation:
		c.Education = nil
	case rcNightsOnly:
		c.WorkingTime = []string{"nights"}
	case rcNoWorkingTime:
		c.WorkingTime = nil
	case rcFreelanceOnly:
		c.ContractPreferences = []string{"freelance"}
	case rcNoContract:
		c.ContractPreferences = nil
	case rcLicenceBGermanA1:
		c.Licences = []string{"B"}
		c.Languages = languages("it", "native", "de", "A1")
	case rcLicenceBKm40:
		c.Licences = []string{"B"}
		c.HomeMunicipality = recallPlace(tb, 37, 43).Code
	case rcNoPlace:
		c.HomeMunicipality = "099999"
	case rcFarFromCentroid:
		m := recallPlace(tb, 37, 43)
		c.HomeLat, c.HomeLon = m.Lat, m.Lon
	default:
		tb.Fatalf("no recall candidate %d", id)
	}
	c.Normalize()
	if err := c.Validate(); err != nil && id != rcNoPlace {
		tb.Fatalf("recall candidate %d: %v", id, err)
	}
	return c
}

// recallWorld is an index of the recall candidates and the candidates.
type recallWorld struct {
	ix    *Index
	cands map[int64]matching.Candidate
}

// newRecallWorld indexes the candidates one batch each in descending id
// order, so that the index's own document order is the reverse of the id
// order that ties must follow.
func newRecallWorld(tb testing.TB) *recallWorld {
	tb.Helper()
	w := &recallWorld{ix: mustOpenIndex(tb, tb.TempDir()), cands: map[int64]matching.Candidate{}}
	for id := int64(rcLast); id >= 1; id-- {
		c := recallCandidate(tb, id)
		w.cands[id] = c
		if err := w.ix.Apply([]Change{{CandidateID: id, Candidate: &c}}, Position{TxID: 1, ID: rcLast + 1 - id}, recallAsOf); err != nil {
			tb.Fatal(err)
		}
	}
	return w
}

// Requirement builders; recallVacancy ranks them in the order given.
func occupationReq(code string, essential bool) matching.Requirement {
	return matching.Requirement{Kind: matching.ReqOccupation, Code: code, Essential: essential}
}

func skillReq(code string, essential bool) matching.Requirement {
	return matching.Requirement{Kind: matching.ReqSkill, Code: code, Essential: essential}
}

func licenceReq(code string) matching.Requirement {
	return matching.Requirement{Kind: matching.ReqLicence, Code: code, Essential: true}
}

func languageReq(code, level string) matching.Requirement {
	return matching.Requirement{Kind: matching.ReqLanguage, Code: code, Level: level, Essential: true}
}

func distanceReq(km int, essential bool) matching.Requirement {
	return matching.Requirement{Kind: matching.ReqDistance, MaxKm: &km, Essential: essential}
}

func availabilityReq(tb testing.TB, from string) matching.Requirement {
	d := searchDay(tb, from)
	return matching.Requirement{Kind: matching.ReqAvailability, FromDate: &d, Essential: true}
}

func educationReq(level int) matching.Requirement {
	return matching.Requirement{Kind: matching.ReqEducation, Code: strconv.Itoa(level), Essential: true}
}

func valuesReq(kind matching.RequirementKind, values ...string) matching.Requirement {
	return matching.Requirement{Kind: kind, Values: values, Essential: true}
}

// recallVacancy is a waiter's vacancy in Trento with the requirements
// ranked in the order given.
func recallVacancy(reqs ...matching.Requirement) matching.Vacancy {
	lat, lon := municipalityPoint("022205")
	v := matching.Vacancy{ID: 1, EmployerID: 1, Title: "Cameriere di sala", OccupationCode: "occ-cameriere-sala",
		ISCOCode: "5131", MunicipalityCode: "022205", Lat: lat, Lon: lon, ContractType: "permanent",
		Positions: 1, Status: matching.VacancyDraft}
	for i := range reqs {
		reqs[i].Rank = i + 1
	}
	v.Requirements = reqs
	return v
}

func (w *recallWorld) recall(tb testing.TB, q RecallQuery) Recall {
	tb.Helper()
	if q.AsOf.IsZero() {
		q.AsOf = recallAsOf
	}
	r, err := w.ix.Recall(context.Background(), q)
	if err != nil {
		tb.Fatalf("recall: %v", err)
	}
	return r
}

func ids(hits []Hit) []int64 {
	out := make([]int64, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

// checkRelevanceOrder fails unless hits are by score descending, then id
// ascending.
func checkRelevanceOrder(t *testing.T, list string, hits []Hit) {
	t.Helper()
	for i := 1; i < len(hits); i++ {
		a, b := hits[i-1], hits[i]
		if a.Score < b.Score || (a.Score == b.Score && a.ID >= b.ID) {
			t.Errorf("%s: %d (score %g) before %d (score %g) breaks the order", list, a.ID, a.Score, b.ID, b.Score)
		}
	}
}

// waiters are the candidates a waiter's vacancy recalls by relevance: all
// but the bricklayer and those who may not be presented.
func waiters(except ...int64) []int64 {
	var out []int64
	for id := int64(1); id <= rcLast; id++ {
		if id != rcBricklayer && id != rcNotPresentable && id != rcNotSearchable && !slices.Contains(except, id) {
			out = append(out, id)
		}
	}
	return out
}

// filterable are the requirement kinds recall checks as filters.
var filterable = map[matching.RequirementKind]bool{
	matching.ReqLicence: true, matching.ReqLanguage: true, matching.ReqEducation: true, matching.ReqDistance: true,
	matching.ReqAvailability: true, matching.ReqWorkingTime: true, matching.ReqContract: true,
}

// scoredFailures returns how many essential requirements of the kinds
// recall filters on the scorer says the candidate does not meet.
func scoredFailures(tb testing.TB, v *matching.Vacancy, c *matching.Candidate) int {
	tb.Helper()
	s, err := matching.NewScorer(v, matching.DefaultScoreParams(recallAsOf))
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for _, a := range s.Explain(c, 0).Requirements {
		if a.Essential && filterable[a.Kind] && a.Evidence == matching.NotMet {
			n++
		}
	}
	return n
}

func TestRecallKeepsEveryCandidateScoringWouldNotFail(t *testing.T) {
	w := newRecallWorld(t)
	for _, tc := range []struct {
		name     string
		vac      matching.Vacancy
		hits     []int64 // compared as sets
		near     []int64
		idOrder  bool // the lists must be in id order (no relevance)
		noScorer bool
	}{
		{name: "without essential requirements every waiter is recalled and there are no near misses",
			vac: recallVacancy(occupationReq("occ-cameriere-sala", false), skillReq("sk-haccp", false)), hits: waiters()},
		{name: "licence C: a CE holder and a CV without licences are recalled, a B holder is a near miss",
			vac: recallVacancy(licenceReq("C")), hits: waiters(rcLicenceB, rcLicenceBGermanA1, rcLicenceBKm40),
			near: []int64{rcLicenceB, rcLicenceBGermanA1, rcLicenceBKm40}},
		{name: "German B2: B1 and no languages are recalled, A1 and English only are near misses",
			vac:  recallVacancy(occupationReq("occ-cameriere-sala", true), languageReq("de", "B2")),
			hits: waiters(rcGermanA1, rcEnglishOnly, rcLicenceBGermanA1), near: []int64{rcGermanA1, rcEnglishOnly, rcLicenceBGermanA1}},
		{name: "Italian B2: a CV that does not list Italian is recalled, Italian A1 is a near miss",
			vac: recallVacancy(languageReq("it", "B2")), hits: waiters(rcItalianA1), near: []int64{rcItalianA1}},
		{name: "Italian A2 cannot be failed by any level: no filter, no near misses",
			vac: recallVacancy(languageReq("it", "A2")), hits: waiters()},
		{name: "20 km: 25 km away is recalled (within 30), 40 and 70 km are near misses, measured from the CV's own point",
			vac: recallVacancy(distanceReq(20, true)), hits: waiters(rcKm40, rcKm70, rcFarFromCentroid, rcLicenceBKm40),
			near: []int64{rcKm40, rcKm70, rcFarFromCentroid, rcLicenceBKm40}},
		{name: "20 km not essential still bounds recall at 60 km",
			vac: recallVacancy(distanceReq(20, false)), hits: waiters(rcKm70)},
		{name: "a distance without a workplace is not checked",
			vac:  func() matching.Vacancy { v := recallVacancy(distanceReq(20, true)); v.Lat, v.Lon = 0, 0; return v }(),
			hits: waiters()},
		{name: "available from 1 April: 19 days late and no date are recalled, two months late is a near miss",
			vac: recallVacancy(availabilityReq(t, "2026-04-01")), hits: waiters(rcAvailableLate), near: []int64{rcAvailableLate}},
		{name: "EQF 5: EQF 4 (one below) and no education are recalled, EQF 3 is a near miss",
			vac: recallVacancy(educationReq(5)), hits: waiters(rcEQF3), near: []int64{rcEQF3}},
		{name: "full or part time: no working time declared is recalled, nights only is a near miss",
			vac:  recallVacancy(valuesReq(matching.ReqWorkingTime, "full_time", "part_time")),
			hits: waiters(rcNightsOnly), near: []int64{rcNightsOnly}},
		{name: "permanent or fixed term: no contract declared is recalled, freelance only is a near miss",
			vac:  recallVacancy(valuesReq(matching.ReqContract, "permanent", "fixed_term")),
			hits: waiters(rcFreelanceOnly), near: []int64{rcFreelanceOnly}},
		{name: "licence C and German B2: who fails both is in neither list",
			vac:  recallVacancy(licenceReq("C"), languageReq("de", "B2")),
			hits: waiters(rcLicenceB, rcGermanA1, rcEnglishOnly, rcLicenceBGermanA1, rcLicenceBKm40),
			near: []int64{rcLicenceB, rcGermanA1, rcEnglishOnly, rcLicenceBKm40}},
		{name: "every kind essential at once: near misses fail exactly one",
			vac: recallVacancy(occupationReq("occ-cameriere-sala", true), licenceReq("C"), languageReq("de", "B2"),
				languageReq("it", "B2"), distanceReq(20, true), availabilityReq(t, "2026-04-01"), educationReq(5),
				valuesReq(matching.ReqWorkingTime, "full_time"), valuesReq(matching.ReqContract, "permanent")),
			hits: waiters(rcLicenceB, rcGermanA1, rcEnglishOnly, rcItalianA1, rcKm40, rcKm70, rcAvailableLate, rcEQF3,
				rcNightsOnly, rcFreelanceOnly, rcLicenceBGermanA1, rcFarFromCentroid, rcLicenceBKm40),
			near: []int64{rcLicenceB, rcGermanA1, rcEnglishOnly, rcItalianA1, rcKm40, rcKm70, rcAvailableLate, rcEQF3,
				rcNightsOnly, rcFreelanceOnly, rcFarFromCentroid}},
		{name: "licence C and 20 km: who fails both is in neither list",
			vac: func() matching.Vacancy {
				v := recallVacancy(licenceReq("C"), distanceReq(20, true))
				v.Requirements = append(v.Requirements, educationReq(1)) // a third, that no one fails
				v.Requirements[2].Rank = 3
				return v
			}(),
			hits: waiters(rcLicenceB, rcLicenceBGermanA1, rcKm40, rcKm70, rcFarFromCentroid, rcLicenceBKm40),
			near: []int64{rcLicenceB, rcLicenceBGermanA1, rcKm40, rcKm70, rcFarFromCentroid}},
		{name: "occupation, skill and certification are never filters, even when essential",
			vac: recallVacancy(occupationReq("occ-cameriere-sala", true), skillReq("sk-servizio-sala", true),
				matching.Requirement{Kind: matching.ReqCertification, Label: "Attestato HACCP", Essential: true}),
			hits: waiters()},
		{name: "without any relevance clause every candidate that passes the filters is recalled, in id order",
			vac: func() matching.Vacancy {
				v := recallVacancy(distanceReq(20, true))
				v.Title, v.OccupationCode, v.ISCOCode = "", "", ""
				return v
			}(),
			hits: func() []int64 {
				out := append(waiters(rcKm40, rcKm70, rcFarFromCentroid, rcLicenceBKm40), rcBricklayer)
				slices.Sort(out)
				return out
			}(),
			near: []int64{rcKm40, rcKm70, rcFarFromCentroid, rcLicenceBKm40}, idOrder: true},
		{name: "a title of stop words alone is no relevance clause either: every candidate that passes the filters is recalled, in id order",
			vac: func() matching.Vacancy {
				v := recallVacancy(distanceReq(20, true))
				v.Title, v.OccupationCode, v.ISCOCode = "e di la", "", ""
				return v
			}(),
			hits: func() []int64 {
				out := append(waiters(rcKm40, rcKm70, rcFarFromCentroid, rcLicenceBKm40), rcBricklayer)
				slices.Sort(out)
				return out
			}(),
			near: []int64{rcKm40, rcKm70, rcFarFromCentroid, rcLicenceBKm40}, idOrder: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.recall(t, RecallQuery{Vacancy: tc.vac})
			want, wantNear := slices.Sorted(slices.Values(tc.hits)), slices.Sorted(slices.Values(tc.near))
			if got := slices.Sorted(slices.Values(ids(r.Hits))); !slices.Equal(got, want) {
				t.Errorf("hits\n got  %v\n want %v", got, want)
			}
			if got := slices.Sorted(slices.Values(ids(r.NearMisses))); !slices.Equal(got, wantNear) {
				t.Errorf("near misses\n got  %v\n want %v", got, wantNear)
			}
			if r.Total != uint64(len(r.Hits)) || r.NearMissTotal != uint64(len(r.NearMisses)) {
				t.Errorf("totals %d and %d for %d hits and %d near misses", r.Total, r.NearMissTotal, len(r.Hits), len(r.NearMisses))
			}
			checkRelevanceOrder(t, "hits", r.Hits)
			checkRelevanceOrder(t, "near misses", r.NearMisses)
			if tc.idOrder {
				if !slices.IsSorted(ids(r.Hits)) || !slices.IsSorted(ids(r.NearMisses)) {
					t.Errorf("lists not in id order: %v, %v", ids(r.Hits), ids(r.NearMisses))
				}
			}
			// The same verdicts as scoring's, for what recall filters on.
			for _, h := range r.Hits {
				c := w.cands[h.ID]
				if n := scoredFailures(t, &tc.vac, &c); n != 0 {
					t.Errorf("hit %d fails %d essential requirements by scoring", h.ID, n)
				}
			}
			for _, h := range r.NearMisses {
				c := w.cands[h.ID]
				if n := scoredFailures(t, &tc.vac, &c); n != 1 {
					t.Errorf("near miss %d fails %d essential requirements by scoring, want 1", h.ID, n)
				}
			}
		})
	}
}

func TestRecallRanksTheExactOccupationWithItsSkillsFirst(t *testing.T) {
	w := newRecallWorld(t)
	vac := recallVacancy(occupationReq("occ-cameriere-sala", false), skillReq("sk-servizio-sala", false), skillReq("sk-mise-en-place", false))
	r := w.recall(t, RecallQuery{Vacancy: vac})
	got := ids(r.Hits)
	if len(got) == 0 || got[0] != rcExact {
		t.Fatalf("hits %v, want %d first", got, rcExact)
	}
	pos := func(id int64) int {
		i := slices.Index(got, id)
		if i < 0 {
			t.Fatalf("%d not recalled: %v", id, got)
		}
		return i
	}
	for _, tc := range []struct {
		name          string
		better, worse int64
	}{
		{"the exact occupation without skills beats another unit group that only shares the word", rcWaiter, rcRoomAttendant},
		{"the exact occupation beats the same minor group", rcWaiter, rcBarista},
		{"the exact occupation beats a CV without codes", rcWaiter, rcUncodedWaitress},
		{"the same unit group with a skill beats the same minor group", rcMaitre, rcBarista},
		{"the same unit group with a skill beats a CV without codes", rcMaitre, rcUncodedWaitress},
	} {
		if pos(tc.better) > pos(tc.worse) {
			t.Errorf("%s: %d at %d, %d at %d", tc.name, tc.better, pos(tc.better), tc.worse, pos(tc.worse))
		}
	}
	checkRelevanceOrder(t, "hits", r.Hits)

	t.Run("codes alone: the occupation, then its unit group, then its minor group", func(t *testing.T) {
		v := recallVacancy(occupationReq("occ-cameriere-sala", false))
		v.Title, v.OccupationCode, v.ISCOCode = "", "", ""
		r := w.recall(t, RecallQuery{Vacancy: v})
		got := ids(r.Hits)
		if len(got) < 3 || got[len(got)-2] != rcMaitre || got[len(got)-1] != rcBarista || slices.Contains(got[:len(got)-2], rcMaitre) {
			t.Errorf("hits %v, want the coded waiters, then %d, then %d", got, rcMaitre, rcBarista)
		}
		for _, id := range []int64{rcRoomAttendant, rcUncodedWaitress, rcBricklayer} {
			if slices.Contains(got, id) {
				t.Errorf("%d shares no code with the occupation but is recalled", id)
			}
		}
	})
}

func TestRecallFindsSynonymsAndGenderedTitles(t *testing.T) {
	w := newRecallWorld(t)
	for _, tc := range []struct {
		title string
		want  int64
	}{
		{"Cameriere di sala", rcUncodedWaitress},            // the CV says "Cameriera", no code
		{"Cameriera", rcWaiter},                             // the CV says "Cameriere di sala"
		{"Addetta al servizio ai tavoli", rcWaiter},         // a synonym of the catalogue
		{"Cameriere/a di sala (m/f): 2026 AND +", rcWaiter}, // query-string syntax is just text
	} {
		t.Run(tc.title, func(t *testing.T) {
			v := recallVacancy()
			v.Title, v.OccupationCode, v.ISCOCode = tc.title, "", ""
			r := w.recall(t, RecallQuery{Vacancy: v})
			if !slices.Contains(ids(r.Hits), tc.want) {
				t.Errorf("%q does not recall %d: %v", tc.title, tc.want, ids(r.Hits))
			}
			if slices.Contains(ids(r.Hits), rcBricklayer) {
				t.Errorf("%q recalls the bricklayer", tc.title)
			}
		})
	}
}

func TestRecallBreaksTiesByCandidateID(t *testing.T) {
	w := newRecallWorld(t)
	v := recallVacancy()
	v.OccupationCode, v.ISCOCode = "", ""
	r := w.recall(t, RecallQuery{Vacancy: v})
	// Identical CVs, indexed in descending id order.
	twins := []int64{rcWaiter, rcTwin1, rcTwin2, rcTwin3}
	var got []int64
	var scores []float64
	for _, h := range r.Hits {
		if slices.Contains(twins, h.ID) {
			got = append(got, h.ID)
			scores = append(scores, h.Score)
		}
	}
	if !slices.Equal(got, twins) {
		t.Errorf("identical CVs come as %v, want %v", got, twins)
	}
	if len(scores) > 0 && slices.Min(scores) != slices.Max(scores) {
		t.Errorf("identical CVs score differently: %v", scores)
	}
	checkRelevanceOrder(t, "hits", r.Hits)
}

func TestRecallLimitsTheListsAndCountsEveryone(t *testing.T) {
	w := newRecallWorld(t)
	// Near misses of both kinds: a licence (inverted index) and a distance (per hit).
	vac := recallVacancy(licenceReq("C"), distanceReq(20, true))
	all := w.recall(t, RecallQuery{Vacancy: vac})
	if len(all.Hits) < 4 || len(all.NearMisses) != 5 {
		t.Fatalf("the fixture should give several hits and 5 near misses: %v %v", ids(all.Hits), ids(all.NearMisses))
	}
	checkRelevanceOrder(t, "near misses", all.NearMisses)
	// Every size gives the head of the whole list, also when the cut falls
	// among candidates with the same score.
	type sizes struct{ k, nearK int }
	cases := []sizes{{MaxRecallK, MaxNearMissK}}
	for k := 1; k <= len(all.Hits); k++ {
		cases = append(cases, sizes{k, min(k, 5)})
	}
	ties := 0
	for i := 1; i < len(all.Hits); i++ {
		if all.Hits[i].Score == all.Hits[i-1].Score {
			ties++
		}
	}
	if ties < 3 {
		t.Fatalf("the fixture should have ties to cut through: %v", all.Hits)
	}
	for _, tc := range cases {
		r := w.recall(t, RecallQuery{Vacancy: vac, K: tc.k, NearMissK: tc.nearK})
		wantHits, wantNear := ids(all.Hits)[:min(tc.k, len(all.Hits))], ids(all.NearMisses)[:min(tc.nearK, 5)]
		if !slices.Equal(ids(r.Hits), wantHits) || !slices.Equal(ids(r.NearMisses), wantNear) {
			t.Errorf("K %d, %d: lists %v %v, want the heads %v %v", tc.k, tc.nearK, ids(r.Hits), ids(r.NearMisses), wantHits, wantNear)
		}
		if r.Total != uint64(len(all.Hits)) || r.NearMissTotal != 5 {
			t.Errorf("K %d, %d: totals %d and %d, want %d and 5", tc.k, tc.nearK, r.Total, r.NearMissTotal, len(all.Hits))
		}
		if r.Took <= 0 {
			t.Errorf("took %s", r.Took)
		}
	}
	for _, h := range append(all.Hits, all.NearMisses...) {
		if h.Score <= 0 {
			t.Errorf("hit %d has score %g", h.ID, h.Score)
		}
	}
	t.Run("a hit scores the same in either list", func(t *testing.T) {
		// Without the licence requirement the B holder is a hit: the
		// same relevance, so the same score as when it was a near miss.
		v := recallVacancy(licenceReq("C"), distanceReq(20, true))
		v.Requirements[0].Essential = false
		r := w.recall(t, RecallQuery{Vacancy: v})
		score := func(hits []Hit, id int64) float64 {
			for _, h := range hits {
				if h.ID == id {
					return h.Score
				}
			}
			t.Fatalf("%d not found", id)
			return 0
		}
		if a, b := score(all.NearMisses, rcLicenceB), score(r.Hits, rcLicenceB); a != b {
			t.Errorf("score %g as a near miss, %g as a hit", a, b)
		}
		// The waiter 40 km away is the waiter in Trento but for the place.
		if a, b := score(all.NearMisses, rcKm40), score(all.Hits, rcWaiter); a != b {
			t.Errorf("score %g for a near miss by distance, %g for the same CV as a hit", a, b)
		}
	})
}

func TestRecallNeverFindsWhoMayNotBePresented(t *testing.T) {
	w := newRecallWorld(t)
	for _, vac := range []matching.Vacancy{
		recallVacancy(),
		recallVacancy(licenceReq("D")), // everyone with licences fails: near misses
		func() matching.Vacancy { // no relevance clause: everyone
			v := recallVacancy(distanceReq(20, true))
			v.Title, v.OccupationCode, v.ISCOCode = "", "", ""
			return v
		}(),
	} {
		r := w.recall(t, RecallQuery{Vacancy: vac})
		if len(r.Hits)+len(r.NearMisses) == 0 {
			t.Fatal("nothing recalled: the check below would be empty")
		}
		for _, h := range append(r.Hits, r.NearMisses...) {
			if h.ID == rcNotPresentable || h.ID == rcNotSearchable {
				t.Errorf("recalled %d, who may not be presented", h.ID)
			}
		}
	}
}

func TestRecallRefusesBadInputNamingTheField(t *testing.T) {
	w := newRecallWorld(t)
	ok := RecallQuery{Vacancy: recallVacancy(licenceReq("C")), AsOf: recallAsOf}
	if _, err := w.ix.Recall(context.Background(), RecallQuery{Vacancy: ok.Vacancy, AsOf: recallAsOf, K: MaxRecallK, NearMissK: MaxNearMissK}); err != nil {
		t.Fatalf("the largest lists are refused: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(q *RecallQuery)
		field string
	}{
		{"a negative K", func(q *RecallQuery) { q.K = -1 }, "k"},
		{"a K too large", func(q *RecallQuery) { q.K = MaxRecallK + 1 }, "k"},
		{"a negative near-miss K", func(q *RecallQuery) { q.NearMissK = -1 }, "near_miss_k"},
		{"a near-miss K too large", func(q *RecallQuery) { q.NearMissK = MaxNearMissK + 1 }, "near_miss_k"},
		{"no day", func(q *RecallQuery) { q.AsOf = time.Time{} }, "as_of"},
		{"an unknown licence", func(q *RecallQuery) { q.Vacancy.Requirements[0].Code = "Z" }, "requirements[0].code"},
		{"a language without a level", func(q *RecallQuery) {
			q.Vacancy.Requirements = append(q.Vacancy.Requirements, matching.Requirement{Kind: matching.ReqLanguage, Code: "de", Rank: 2})
		}, "requirements[1].level"},
		{"a distance without km", func(q *RecallQuery) {
			q.Vacancy.Requirements[0] = matching.Requirement{Kind: matching.ReqDistance, Rank: 1, Essential: true}
		}, "requirements[0].max_km"},
		{"an unknown kind", func(q *RecallQuery) { q.Vacancy.Requirements[0].Kind = "salary" }, "requirements[0].kind"},
		{"a latitude off the globe", func(q *RecallQuery) { q.Vacancy.Lat = 91 }, "lat"},
		{"a title too long", func(q *RecallQuery) { q.Vacancy.Title = strings.Repeat("a", 201) }, "title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := ok
			q.Vacancy.Requirements = slices.Clone(ok.Vacancy.Requirements)
			tc.edit(&q)
			_, err := w.ix.Recall(context.Background(), q)
			if matching.ErrorCode(err) != matching.EINVALID || matching.ErrorField(err) != tc.field {
				t.Fatalf("got %v, want EINVALID on %s", err, tc.field)
			}
		})
	}
}

func TestRecallBuildsTheSameQueriesForTheSameVacancy(t *testing.T) {
	marshal := func(v matching.Vacancy) string {
		t.Helper()
		p, err := newRecallPlan(RecallQuery{Vacancy: v, AsOf: recallAsOf}, vocabulary{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal([]any{p.hitsQuery(), p.nearMissQueries()})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	vac := recallVacancy(occupationReq("occ-cameriere-sala", false), skillReq("sk-servizio-sala", false), licenceReq("C"),
		languageReq("de", "B2"), distanceReq(20, true), educationReq(4))
	first := marshal(vac)
	for range 20 {
		if got := marshal(vac); got != first {
			t.Fatalf("the query changed:\n%s\n%s", first, got)
		}
	}
	// The same requirements listed in another order, ranks unchanged.
	shuffled := vac
	shuffled.Requirements = slices.Clone(vac.Requirements)
	slices.Reverse(shuffled.Requirements)
	if got := marshal(shuffled); got != first {
		t.Errorf("the order of the list changed the query:\n%s\n%s", first, got)
	}
}

// BenchmarkRecall measures recall for seeded vacancies on an index of seeded
// candidates (INCONTRO_BENCH_CANDIDATES, default 20,000). It prints figures
// and asserts none; building the index is not timed.
func BenchmarkRecall(b *testing.B) {
	n := 20000
	if s := os.Getenv("INCONTRO_BENCH_CANDIDATES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	g, err := seed.New(seed.Options{Seed: 1, Candidates: n, AsOf: recallAsOf})
	if err != nil {
		b.Fatal(err)
	}
	ix := mustOpenIndex(b, b.TempDir())
	const batch = 2000
	for from := 0; from < n; from += batch {
		changes := make([]Change, 0, batch)
		for i := from; i < min(from+batch, n); i++ {
			c, _ := g.Candidate(i)
			c.ID = int64(i + 1)
			changes = append(changes, Change{CandidateID: c.ID, Candidate: &c})
		}
		if err := ix.Apply(changes, Position{TxID: 1, ID: int64(from)}, recallAsOf); err != nil {
			b.Fatal(err)
		}
	}
	var vacs []matching.Vacancy
	for i, sector := range []string{"turismo", "logistica", "cura", "ict"} {
		for k := range 5 {
			vacs = append(vacs, g.Vacancy(i, k, sector))
		}
	}
	var hits, near uint64
	i := 0
	for b.Loop() {
		r, err := ix.Recall(context.Background(), RecallQuery{Vacancy: vacs[i%len(vacs)], AsOf: recallAsOf})
		if err != nil {
			b.Fatal(err)
		}
		hits += r.Total
		near += r.NearMissTotal
		i++
	}
	b.ReportMetric(float64(hits)/float64(i), "hits/op")
	b.ReportMetric(float64(near)/float64(i), "near-misses/op")
}
