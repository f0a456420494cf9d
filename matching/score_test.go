package matching_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"incontro/matching"
)

func TestWeights(t *testing.T) {
	known := []struct {
		method matching.Weighting
		want   []float64
	}{
		{matching.WeightingROC, []float64{0.5208, 0.2708, 0.1458, 0.0625}},
		{"", []float64{0.5208, 0.2708, 0.1458, 0.0625}},
		{matching.WeightingRankSum, []float64{0.4, 0.3, 0.2, 0.1}},
		{matching.WeightingEqual, []float64{0.25, 0.25, 0.25, 0.25}},
	}
	for _, tc := range known {
		t.Run("four requirements weighted by "+quoted(string(tc.method))+" have the published weights", func(t *testing.T) {
			w, err := matching.Weights(4, tc.method)
			if err != nil {
				t.Fatal(err)
			}
			for i := range tc.want {
				if math.Abs(w[i]-tc.want[i]) > 0.00005 {
					t.Errorf("weights = %v, want %v", w, tc.want)
					break
				}
			}
		})
	}
	for _, m := range []matching.Weighting{matching.WeightingROC, matching.WeightingRankSum, matching.WeightingEqual} {
		t.Run(string(m)+" weights sum to one and never increase with the rank", func(t *testing.T) {
			for n := 1; n <= 20; n++ {
				w, err := matching.Weights(n, m)
				if err != nil {
					t.Fatal(err)
				}
				var sum float64
				for i, x := range w {
					sum += x
					if x <= 0 || (i > 0 && x > w[i-1]+1e-15) {
						t.Fatalf("n=%d: weights %v are not positive and non-increasing", n, w)
					}
				}
				if math.Abs(sum-1) > 1e-12 {
					t.Fatalf("n=%d: weights sum to %v", n, sum)
				}
			}
		})
	}
	t.Run("no requirement has no weight", func(t *testing.T) {
		w, err := matching.Weights(0, matching.WeightingROC)
		if err != nil || len(w) != 0 {
			t.Fatalf("Weights(0) = %v, %v", w, err)
		}
	})
	t.Run("a negative number of requirements is invalid", func(t *testing.T) {
		_, err := matching.Weights(-1, matching.WeightingROC)
		wantInvalid(t, err, "requirements")
	})
	t.Run("an unknown method is an invalid weighting, named in the message", func(t *testing.T) {
		_, err := matching.Weights(3, "borda")
		wantInvalid(t, err, "weighting")
		if !strings.Contains(matching.ErrorMessage(err), "borda") {
			t.Errorf("message %q does not name the method", matching.ErrorMessage(err))
		}
	})
}

func TestScoreParamsValidate(t *testing.T) {
	t.Run("the defaults are valid", func(t *testing.T) {
		wantValid(t, matching.DefaultScoreParams(scoringDay).Validate())
	})
	t.Run("the text and freshness terms are worth less than the last of ten requirements", func(t *testing.T) {
		p := matching.DefaultScoreParams(scoringDay)
		w, _ := matching.Weights(10, p.Weighting)
		if last := 10 * w[9]; p.TextWeight+p.FreshnessWeight >= last {
			t.Errorf("text %v + freshness %v ≥ %v points of the tenth requirement", p.TextWeight, p.FreshnessWeight, last)
		}
	})
	cases := []struct {
		name  string
		edit  func(*matching.ScoreParams)
		field string
	}{
		{"an unknown weighting", func(p *matching.ScoreParams) { p.Weighting = "borda" }, "weighting"},
		{"a negative text weight", func(p *matching.ScoreParams) { p.TextWeight = -0.01 }, "text_weight"},
		{"a text weight above 0.1", func(p *matching.ScoreParams) { p.TextWeight = 0.2 }, "text_weight"},
		{"a freshness weight above 0.1", func(p *matching.ScoreParams) { p.FreshnessWeight = 0.5 }, "freshness_weight"},
		{"a half-life under a day", func(p *matching.ScoreParams) { p.FreshnessHalfLifeDays = 0.5 }, "freshness_half_life_days"},
		{"a half-life over ten years", func(p *matching.ScoreParams) { p.FreshnessHalfLifeDays = 4000 }, "freshness_half_life_days"},
		{"no as-of day", func(p *matching.ScoreParams) { p.AsOf = time.Time{} }, "as_of"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is invalid, naming "+tc.field, func(t *testing.T) {
			p := matching.DefaultScoreParams(scoringDay)
			tc.edit(&p)
			wantInvalid(t, p.Validate(), tc.field)
			_, err := matching.NewScorer(workplace(t), p)
			wantInvalid(t, err, tc.field)
		})
	}
}

// cookVacancy is a cook's vacancy at Trento with requirements of several
// kinds, listed out of rank order: licence B essential (rank 3), German B1
// (rank 2), the occupation with 2 years essential (rank 1), HACCP (rank 4).
func cookVacancy(tb testing.TB) *matching.Vacancy {
	tb.Helper()
	return workplace(tb,
		matching.Requirement{ID: 13, Rank: 3, Essential: true, Kind: matching.ReqLicence, Code: "B"},
		matching.Requirement{ID: 12, Rank: 2, Kind: matching.ReqLanguage, Code: "de", Level: "B1"},
		matching.Requirement{ID: 11, Rank: 1, Essential: true, Kind: matching.ReqOccupation, Code: "occ-cuoco", MinYears: ptr(2.0)},
		matching.Requirement{ID: 14, Rank: 4, Kind: matching.ReqCertification, Code: "haccp", Label: "Attestato HACCP"},
	)
}

// cook is a candidate for cookVacancy: a cook since from, with the licences
// and languages given and no certification listed.
func cook(tb testing.TB, id int64, from string, licences []string, langs ...matching.LanguageLevel) *matching.Candidate {
	tb.Helper()
	return &matching.Candidate{ID: id, Experiences: []matching.Experience{job(tb, "Cuoco", from, "")},
		Licences: licences, Languages: langs, UpdatedAt: scoringDay.AddDate(0, 0, -30)}
}

func mustScorer(tb testing.TB, vac *matching.Vacancy) *matching.Scorer {
	tb.Helper()
	s, err := matching.NewScorer(vac, matching.DefaultScoreParams(scoringDay))
	if err != nil {
		tb.Fatalf("NewScorer: %v", err)
	}
	return s
}

func TestScorerWeights(t *testing.T) {
	w := mustScorer(t, cookVacancy(t)).Weights()
	var points float64
	for i, rw := range w {
		if rw.Rank != i+1 {
			t.Errorf("weight %d is for rank %d: weights must come in rank order", i, rw.Rank)
		}
		points += rw.Points
	}
	if math.Abs(points-4) > 0.001 {
		t.Errorf("four requirements give %v points, want 4", points)
	}
	if w[0].RequirementID != 11 || w[0].Requirement.String() != "Cuoco, almeno 2 anni di esperienza" || !w[0].Essential || w[0].Weight != 0.5208 || w[0].Points != 2.0833 {
		t.Errorf("first weight = %+v", w[0])
	}
}

func TestExplain(t *testing.T) {
	vac := cookVacancy(t)
	s := mustScorer(t, vac)
	c := cook(t, 1, "2023-11", []string{"B"}, matching.LanguageLevel{Language: "de", Level: "A2"})
	e := s.Explain(c, 0.5)

	t.Run("requirements come in rank order with their evidence", func(t *testing.T) {
		var got []string
		for _, a := range e.Requirements {
			got = append(got, itoa(a.Rank)+":"+string(a.Evidence))
		}
		want := []string{"1:met", "2:partly", "3:met", "4:unknown"}
		if !slices.Equal(got, want) {
			t.Errorf("requirements = %v, want %v", got, want)
		}
	})
	t.Run("every contribution adds up to the score", func(t *testing.T) {
		sum := e.TextContribution + e.FreshnessContribution
		var fit float64
		for _, a := range e.Requirements {
			sum += a.Contribution
			fit += a.Weight * a.Credit
			if math.Abs(a.Contribution-a.Points*a.Credit) > 0.0002 {
				t.Errorf("rank %d: contribution %v is not points %v × credit %v", a.Rank, a.Contribution, a.Points, a.Credit)
			}
		}
		if math.Abs(sum-e.Score) > 0.0005 {
			t.Errorf("contributions sum to %v, score is %v", sum, e.Score)
		}
		if math.Abs(fit-e.Fit) > 0.0005 {
			t.Errorf("weighted credits sum to %v, fit is %v", fit, e.Fit)
		}
	})
	t.Run("text relevance is worth its weight", func(t *testing.T) {
		if e.TextRelevance != 0.5 || e.TextContribution != 0.025 {
			t.Errorf("text relevance %v contributes %v, want 0.5 and 0.025", e.TextRelevance, e.TextContribution)
		}
	})
	t.Run("a CV updated a month ago is still fresh", func(t *testing.T) {
		want := math.Round(0.02*math.Exp2(-30.0/180)*1e4) / 1e4
		if e.CVAgeDays != 30 || e.FreshnessContribution != want || e.CVUpdatedAt == nil {
			t.Errorf("age %d days, freshness %v (want 30 days, %v)", e.CVAgeDays, e.FreshnessContribution, want)
		}
	})
	t.Run("unknowns are scored nothing and listed to verify", func(t *testing.T) {
		a := e.Requirements[3]
		if a.Credit != 0 || a.Contribution != 0 {
			t.Errorf("unknown certification earns %v", a.Credit)
		}
		if !slices.Equal(italian(e.ToVerify), []string{"Attestato HACCP"}) {
			t.Errorf("ToVerify = %q", e.ToVerify)
		}
	})
	t.Run("relevance out of range is clamped and not a number is none", func(t *testing.T) {
		for _, tc := range []struct{ in, want float64 }{{-1, 0}, {7, 1}, {math.NaN(), 0}, {math.Inf(1), 1}} {
			if got := s.Explain(c, tc.in).TextRelevance; got != tc.want {
				t.Errorf("relevance %v gives %v, want %v", tc.in, got, tc.want)
			}
		}
	})
	t.Run("freshness halves every half-life and a future date counts as today", func(t *testing.T) {
		for _, tc := range []struct {
			days int
			want float64
		}{{0, 0.02}, {180, 0.01}, {360, 0.005}, {-5, 0.02}} {
			fresh := *c
			fresh.UpdatedAt = scoringDay.AddDate(0, 0, -tc.days)
			if got := s.Explain(&fresh, 0).FreshnessContribution; got != tc.want {
				t.Errorf("a CV updated %d days ago earns %v, want %v", tc.days, got, tc.want)
			}
		}
		undated := *c
		undated.UpdatedAt = time.Time{}
		if ex := s.Explain(&undated, 0); ex.FreshnessContribution != 0 || ex.CVUpdatedAt != nil {
			t.Errorf("an undated CV earns freshness %v", ex.FreshnessContribution)
		}
	})
	t.Run("a vacancy without requirements scores text and freshness only", func(t *testing.T) {
		ex := mustScorer(t, workplace(t)).Explain(c, 1)
		if ex.Score != ex.TextContribution+ex.FreshnessContribution || ex.Fit != 0 || len(ex.Requirements) != 0 {
			t.Errorf("explanation = %+v", ex)
		}
	})
	t.Run("explaining does not reorder the vacancy's requirements", func(t *testing.T) {
		if vac.Requirements[0].Rank != 3 {
			t.Errorf("the vacancy's requirements were sorted")
		}
	})
}

// rankedIDs returns the candidate ids of a list, in order.
func rankedIDs(rs []matching.Ranked) []int64 {
	out := make([]int64, len(rs))
	for i, r := range rs {
		out[i] = r.CandidateID
	}
	return out
}

// find returns the entry of candidate id in the ranking.
func find(tb testing.TB, rk matching.Ranking, id int64) matching.Ranked {
	tb.Helper()
	for _, r := range append(slices.Clone(rk.Main), rk.NearMisses...) {
		if r.CandidateID == id {
			return r
		}
	}
	tb.Fatalf("candidate %d is not in the ranking", id)
	return matching.Ranked{}
}

func TestRank(t *testing.T) {
	vac := cookVacancy(t)
	de := func(level string) matching.LanguageLevel { return matching.LanguageLevel{Language: "de", Level: level} }
	pool := []*matching.Candidate{
		cook(t, 1, "2020-11", []string{"B"}, de("B2")),      // meets everything but the unknown HACCP
		cook(t, 2, "2020-11", []string{"AM"}, de("C2")),     // misses the licence (essential)
		cook(t, 3, "2020-11", nil, de("B1")),                // licence unknown: flagged, kept
		cook(t, 4, "2025-11", []string{"B"}, de("B1")),      // one year of two: partly essential
		cook(t, 5, "2020-11", []string{"AM"}, de("A1")),     // misses the licence, weaker
		cook(t, 6, "2020-11", []string{"B"}, de("B2")),      // the same CV as 1
		cook(t, 7, "2026-10", []string{"A2"}, de("native")), // misses the licence and, nearly, the years
	}
	pool[6].Experiences = []matching.Experience{job(t, "Magazziniere", "2010-01", "")} // and not a cook at all
	in := make([]matching.Recalled, len(pool))
	for i, c := range pool {
		in[i] = matching.Recalled{Candidate: c, Relevance: 2}
	}
	in[0].Relevance = 4
	rk := mustScorer(t, vac).Rank(in)

	t.Run("candidates failing no essential are in the main list, best first, ties by id", func(t *testing.T) {
		if got, want := rankedIDs(rk.Main), []int64{1, 6, 3, 4}; !slices.Equal(got, want) {
			t.Errorf("main = %v, want %v", got, want)
		}
	})
	t.Run("candidates failing an essential are near misses, fewest failed first, then score", func(t *testing.T) {
		if got, want := rankedIDs(rk.NearMisses), []int64{2, 5, 7}; !slices.Equal(got, want) {
			t.Errorf("near misses = %v, want %v", got, want)
		}
		two := find(t, rk, 2)
		if !slices.Equal(two.Explanation.MissingEssentials, []int{3}) || !two.Explanation.NearMiss() {
			t.Errorf("candidate 2 misses %v, want rank 3", two.Explanation.MissingEssentials)
		}
		seven := find(t, rk, 7)
		if !slices.Equal(seven.Explanation.MissingEssentials, []int{1, 3}) {
			t.Errorf("candidate 7 misses %v, want ranks 1 and 3", seven.Explanation.MissingEssentials)
		}
	})
	t.Run("a near miss scoring more still comes after the main list", func(t *testing.T) {
		if find(t, rk, 2).Score <= find(t, rk, 4).Score {
			t.Fatalf("the fixture no longer makes the point: near miss %v, main %v", find(t, rk, 2).Score, find(t, rk, 4).Score)
		}
		shown := rankedIDs(slices.Concat(rk.Main, rk.NearMisses))
		if slices.Index(shown, 2) < slices.Index(shown, 4) {
			t.Errorf("near miss 2 is shown before candidate 4: %v", shown)
		}
	})
	t.Run("an unknown essential keeps the candidate in the main list, flagged and to verify", func(t *testing.T) {
		e := find(t, rk, 3).Explanation
		if e.NearMiss() || !slices.Equal(e.UnknownEssentials, []int{3}) {
			t.Errorf("missing %v, unknown %v; want no missing and rank 3 unknown", e.MissingEssentials, e.UnknownEssentials)
		}
		if !slices.Contains(italian(e.ToVerify), "Patente B") {
			t.Errorf("ToVerify = %q, want it to list Patente B", e.ToVerify)
		}
	})
	t.Run("a partly met essential keeps the candidate in the main list, flagged", func(t *testing.T) {
		if e := find(t, rk, 4).Explanation; !slices.Equal(e.PartlyEssentials, []int{1}) || e.NearMiss() {
			t.Errorf("partly %v, missing %v", e.PartlyEssentials, e.MissingEssentials)
		}
	})
	t.Run("text relevance is relative to the best of the run", func(t *testing.T) {
		if a, b := find(t, rk, 1).Explanation.TextRelevance, find(t, rk, 6).Explanation.TextRelevance; a != 1 || b != 0.5 {
			t.Errorf("relevances 4 and 2 became %v and %v, want 1 and 0.5", a, b)
		}
	})
	t.Run("the ranking carries the weights", func(t *testing.T) {
		if len(rk.Weights) != 4 || rk.Weights[0].Rank != 1 {
			t.Errorf("weights = %+v", rk.Weights)
		}
	})
	t.Run("the same candidates in any order give the same ranking", func(t *testing.T) {
		want, err := json.Marshal(rk)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		for range 20 {
			shuffled := slices.Clone(in)
			r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			got, _ := json.Marshal(mustScorer(t, vac).Rank(shuffled))
			if string(got) != string(want) {
				t.Fatalf("shuffled input ranked differently:\n%s\nwant\n%s", got, want)
			}
		}
	})
	t.Run("ties on score are broken by candidate id", func(t *testing.T) {
		twins := []matching.Recalled{{Candidate: cook(t, 9, "2020-01", []string{"B"})}, {Candidate: cook(t, 8, "2020-01", []string{"B"})}}
		if got := rankedIDs(mustScorer(t, vac).Rank(twins).Main); !slices.Equal(got, []int64{8, 9}) {
			t.Errorf("twins ranked %v, want [8 9]", got)
		}
	})
	t.Run("no candidates give empty lists, not nil", func(t *testing.T) {
		empty := mustScorer(t, vac).Rank(nil)
		if empty.Main == nil || empty.NearMisses == nil {
			t.Errorf("ranking = %+v", empty)
		}
	})
}

func TestFitVacancies(t *testing.T) {
	published := func(v *matching.Vacancy, id int64, day string) matching.Vacancy {
		v.ID = id
		v.PublishedAt = ptr(mustDate(t, day))
		return *v
	}
	c := &matching.Candidate{ID: 1, Licences: []string{"B"}, Languages: []matching.LanguageLevel{{Language: "en", Level: "B1"}},
		Experiences: []matching.Experience{job(t, "Commessa", "2020-01", "")}}
	english := func(level string, essential bool) matching.Requirement {
		return matching.Requirement{Rank: 1, Essential: essential, Kind: matching.ReqLanguage, Code: "en", Level: level}
	}
	licence := func(code string, essential bool) matching.Requirement {
		return matching.Requirement{Rank: 2, Essential: essential, Kind: matching.ReqLicence, Code: code}
	}
	vacs := []matching.Vacancy{
		published(workplace(t, english("B2", false), licence("B", false)), 10, "2026-10-01"), // partly, met
		published(workplace(t, english("B1", false), licence("B", true)), 20, "2026-09-01"),  // all met
		published(workplace(t, english("C2", true), licence("C", true)), 30, "2026-10-01"),   // misses both
		published(workplace(t, english("B2", false), licence("B", false)), 40, "2026-10-15"), // as 10, newer
		published(workplace(t, english("B1", false), licence("C", true)), 50, "2026-10-01"),  // misses the licence
	}
	fits, near, err := matching.FitVacancies(c, vacs, matching.DefaultScoreParams(scoringDay))
	if err != nil {
		t.Fatal(err)
	}
	ids := func(fs []matching.VacancyFit) []int64 {
		var out []int64
		for _, f := range fs {
			out = append(out, f.VacancyID)
		}
		return out
	}
	t.Run("fitting vacancies come best fit first, then the newest", func(t *testing.T) {
		if got, want := ids(fits), []int64{20, 40, 10}; !slices.Equal(got, want) {
			t.Errorf("fits = %v, want %v", got, want)
		}
		if fits[0].Fit != 1 {
			t.Errorf("a vacancy met in full fits %v, want 1", fits[0].Fit)
		}
	})
	t.Run("vacancies failing an essential are apart, fewest failed first", func(t *testing.T) {
		if got, want := ids(near), []int64{50, 30}; !slices.Equal(got, want) {
			t.Errorf("near = %v, want %v", got, want)
		}
	})
	t.Run("reverse matching scores no text relevance", func(t *testing.T) {
		if fits[0].Explanation.TextContribution != 0 {
			t.Errorf("text contribution %v", fits[0].Explanation.TextContribution)
		}
	})
	t.Run("bad parameters are an error", func(t *testing.T) {
		_, _, err := matching.FitVacancies(c, vacs, matching.ScoreParams{Weighting: "borda", AsOf: scoringDay, FreshnessHalfLifeDays: 180})
		wantInvalid(t, err, "weighting")
	})
}

// italian says texts in Italian.
func italian(ts []matching.Text) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.In(matching.LangItalian)
	}
	return out
}
