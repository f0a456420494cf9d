package index

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"incontro/matching"
)

// roundedYears is the number of years the index holds: two decimals.
func roundedYears(d time.Duration) float64 {
	return math.Round(d.Hours()/24/365.25*100) / 100
}

// groupYears is a fixture's years in an ISCO sub-major group (each fixture
// has one experience).
func groupYears(c matching.Candidate, group string) (float64, bool) {
	e := c.Experiences[0]
	if !strings.HasPrefix(e.ISCOCode, group) {
		return 0, false
	}
	end := searchAsOf
	if e.EndDate != nil {
		end = *e.EndDate
	}
	return roundedYears(end.Sub(e.StartDate)), true
}

func cefrRank(c matching.Candidate, lang string) int {
	for _, l := range c.Languages {
		if l.Language == lang {
			return matching.CEFRRank(l.Level)
		}
	}
	return 0
}

// Numbers and dates are keywords in the index; the ranges the query string
// writes on them must find the candidates whose values are in range, as
// when they were numbers.
func TestQueryStringRangesOnNumbersAndDatesFindTheValuesInRange(t *testing.T) {
	w := newSearchWorld(t)
	years := func(c matching.Candidate) float64 { return math.Round(c.TotalExperienceYears(searchAsOf)*100) / 100 }
	in51 := func(pred func(float64) bool) func(matching.Candidate) bool {
		return func(c matching.Candidate) bool { y, ok := groupYears(c, "51"); return ok && pred(y) }
	}
	day := func(s string) time.Time { return searchDay(t, s) }
	avail := func(pred func(time.Time) bool) func(matching.Candidate) bool {
		return func(c matching.Candidate) bool { return c.AvailableFrom != nil && pred(*c.AvailableFrom) }
	}
	ref := w.cand(107).UpdatedAt
	for _, tc := range []struct {
		text string
		keep func(matching.Candidate) bool
	}{
		{"education_level:>=6", func(c matching.Candidate) bool { return highestEducation(c) >= 6 }},
		{"education_level:4", func(c matching.Candidate) bool { return highestEducation(c) == 4 }},
		{"education_level:<3", func(c matching.Candidate) bool { return highestEducation(c) < 3 }},
		{"education_level:>3.5", func(c matching.Candidate) bool { return highestEducation(c) > 3 }},
		{"+education_level:>8", func(matching.Candidate) bool { return false }},
		{"cefr_de:>=4", func(c matching.Candidate) bool { return cefrRank(c, "de") >= 4 }},
		{"cefr_en:<4", func(c matching.Candidate) bool { r := cefrRank(c, "en"); return r > 0 && r < 4 }},
		{"cefr_it:7", func(c matching.Candidate) bool { return cefrRank(c, "it") == 7 }},
		{"cefr_fr:>0", func(c matching.Candidate) bool { return cefrRank(c, "fr") > 0 }},
		{"years_total:>=10", func(c matching.Candidate) bool { return years(c) >= 10 }},
		{"years_total:<1", func(c matching.Candidate) bool { return years(c) < 1 }},
		{"years_total:>2.5", func(c matching.Candidate) bool { return years(c) > 2.5 }},
		{"+years_total:>=3 +years_total:<=5", func(c matching.Candidate) bool { return years(c) >= 3 && years(c) <= 5 }},
		{"+years_total:>999", func(matching.Candidate) bool { return false }},
		{"years_51:>=3", in51(func(y float64) bool { return y >= 3 })},
		{"years_51:<2", in51(func(y float64) bool { return y < 2 })},
		{"years_51:>0", in51(func(y float64) bool { return y > 0 })},
		{"mobility_km:20", func(c matching.Candidate) bool { return c.MobilityKm == 20 }},
		{"mobility_km:<=19", func(c matching.Candidate) bool { return c.MobilityKm <= 19 }},
		{"mobility_km:>=0", func(matching.Candidate) bool { return true }},
		{`available_from:<="2026-11-25"`, avail(func(d time.Time) bool { return !d.After(day("2026-11-25")) })},
		{`available_from:<"2026-11-25"`, avail(func(d time.Time) bool { return d.Before(day("2026-11-25")) })},
		{`+available_from:>"2026-11-25" +available_from:<"2027-01-01"`,
			avail(func(d time.Time) bool { return d.After(day("2026-11-25")) && d.Before(day("2027-01-01")) })},
		{`available_from:>="2026-12-01T12:00:00Z"`, avail(func(d time.Time) bool { return !d.Before(day("2026-12-01").Add(12 * time.Hour)) })},
		{fmt.Sprintf(`updated_at:>="%s"`, ref.Format(time.RFC3339Nano)), func(c matching.Candidate) bool { return !c.UpdatedAt.Before(ref) }},
		{fmt.Sprintf(`updated_at:<"%s"`, ref.Format(time.RFC3339Nano)), func(c matching.Candidate) bool { return c.UpdatedAt.Before(ref) }},
	} {
		t.Run(tc.text, func(t *testing.T) {
			r := w.search(t, Query{Text: tc.text, Size: MaxPageSize})
			got := slices.Sorted(slices.Values(hitIDs(r)))
			want := w.presentable(tc.keep)
			if !slices.Equal(got, want) {
				t.Errorf("got  %v\nwant %v", got, want)
			}
		})
	}
}

func TestIntBounds(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	yes, no := true, false
	for i, tc := range []struct {
		min, max       *float64
		minIncl, maxIn *bool
		lo, hi         int64
		ok             bool
	}{
		{nil, nil, nil, nil, 0, 1000, true},
		{f(2.5), nil, &no, nil, 251, 1000, true},
		{f(2.5), nil, &yes, nil, 250, 1000, true},
		{f(2.505), nil, nil, nil, 251, 1000, true},
		{f(2.3), nil, nil, nil, 230, 1000, true}, // 229.99999999999997 in floating point
		{nil, f(3), nil, &no, 0, 299, true},
		{nil, f(3), nil, &yes, 0, 300, true},
		{nil, f(-1), nil, &yes, 0, 0, false},
		{f(-5), f(0.001), nil, &yes, 0, 0, true},
		{f(2), f(1), nil, nil, 0, 0, false},
		{f(17), nil, nil, nil, 0, 0, false},
		{nil, f(17), nil, nil, 0, 1000, true},
	} {
		lo, hi, ok := intBounds(tc.min, tc.max, tc.minIncl, tc.maxIn, 100, 1000)
		if ok != tc.ok || ok && (lo != tc.lo || hi != tc.hi) {
			t.Errorf("case %d: intBounds = %d, %d, %v; want %d, %d, %v", i, lo, hi, ok, tc.lo, tc.hi, tc.ok)
		}
	}
}

func TestHomeKeys(t *testing.T) {
	lat, lon := municipalityPoint("022205")
	for _, tc := range []struct {
		municipality string
		lat, lon     float64
		want         string
	}{
		{"022205", 0, 0, "022205"},
		{"022205", lat, lon, "022205"},
		{"022205", 46.2, 11.1, "@46.2,11.1"},
		{"", 46.2, 11.1, "@46.2,11.1"},
		{"999999", 0, 0, ""},
		{"", 0, 0, ""},
	} {
		got := homeKey(tc.municipality, tc.lat, tc.lon)
		if got != tc.want {
			t.Errorf("homeKey(%q, %g, %g) = %q, want %q", tc.municipality, tc.lat, tc.lon, got, tc.want)
		}
		if got == "" {
			continue
		}
		pl, po, ok := homePoint(got)
		if !ok || (tc.lat != 0 && (math.Abs(pl-tc.lat) > 1e-9 || math.Abs(po-tc.lon) > 1e-9)) {
			t.Errorf("homePoint(%q) = %g, %g, %v", got, pl, po, ok)
		}
	}
}

// A range of days read partly from whole months finds what the days find.
func TestAvailableDaysFindWhatTheDaysFind(t *testing.T) {
	asOf := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ix := newSeededIndex(t, 300, asOf)
	count := func(q query.Query) []string {
		res, err := ix.bleveIndex().Search(bleve.NewSearchRequestOptions(q, 1000, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		slices.Sort(ids)
		return ids
	}
	days := []string{"", "20260101", "20260201", "20260215", "20260228", "20260301", "20260302", "20260331",
		"20260401", "20260417", "20260430", "20260501", "20260601", "20260615", "20261231"}
	nonEmpty := 0
	for _, lo := range days {
		for _, hi := range days {
			want := count(termRange(FieldAvailableFrom, lo, hi))
			got := count(availableDays(lo, hi))
			if !slices.Equal(got, want) {
				t.Errorf("[%s, %s]: %d found, want %d", lo, hi, len(got), len(want))
			}
			if len(want) > 0 {
				nonEmpty++
			}
		}
	}
	if nonEmpty < 50 {
		t.Errorf("only %d ranges find anyone", nonEmpty)
	}
}
