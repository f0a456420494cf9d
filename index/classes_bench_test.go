package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"incontro/matching"
	"incontro/reference"
	"incontro/seed"
)

// classesAsOf is "today" of the query-class benchmark.
var classesAsOf = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// benchIndex returns an index of n seeded candidates (see benchCandidates).
// With INCONTRO_BENCH_INDEX set, the index is kept in that directory and
// reused by later runs while its mapping version and size still fit.
func benchIndex(b testing.TB, n int) *Index {
	b.Helper()
	if s := os.Getenv("INCONTRO_BENCH_CANDIDATES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	dir := os.Getenv("INCONTRO_BENCH_INDEX")
	if dir == "" {
		dir = b.TempDir()
	} else {
		dir = filepath.Join(dir, strconv.Itoa(n))
	}
	ix, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	if n, err := ix.DocCount(); err != nil {
		b.Fatal(err)
	} else if !ix.Rebuilt && n > 0 {
		b.Logf("reusing the index of %d documents in %s", n, dir)
		b.Cleanup(func() { ix.Close() })
		return ix
	}
	start := time.Now()
	cs := benchCandidates(b, n, classesAsOf)
	defer dropBenchCandidates()
	fresh, err := Rebuild(context.Background(), dir, Position{TxID: 1, ID: 1}, sliceLoader(cs), classesAsOf, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := ix.Swap(fresh); err != nil {
		b.Fatal(err)
	}
	b.Logf("built the index of %d candidates in %s", len(cs), time.Since(start).Round(time.Millisecond))
	b.Cleanup(func() { ix.Close() })
	return ix
}

// classQueries returns n queries of each search class of the performance
// issue: a free text, b text with three facet filters and facets, c text
// with exact filters and a 30 km radius, d every candidate with facets; and
// a's texts with every facet, as the search API's first page asks.
func classQueries(n int) map[string][]Query {
	r := rand.New(rand.NewPCG(1, 2))
	occs := reference.Occupations()
	skills := reference.Skills()
	homes := reference.MunicipalitiesInProvince("TN")
	word := func() string {
		o := occs[r.IntN(len(occs))]
		names := append([]string{o.Title}, o.Synonyms...)
		return strings.ToLower(names[r.IntN(len(names))])
	}
	skillWord := func() string {
		label := skills[r.IntN(len(skills))].Label
		if i := strings.IndexAny(label, "(,"); i > 0 {
			label = label[:i]
		}
		return strings.ToLower(strings.TrimSpace(label))
	}
	text := func() string {
		switch r.IntN(4) {
		case 0:
			return word() + " " + skillWord()
		case 1:
			return skillWord()
		default:
			return word()
		}
	}
	groups := []string{"51", "52", "53", "71", "72", "74", "83", "91", "93", "92", "61", "25", "41", "43", "75", "81"}
	levels := []string{"de:A2", "de:B1", "de:B2", "en:B1", "en:B2", "it:native", "it:C1"}
	licences := []string{"B", "C", "CE", "D"}
	out := map[string][]Query{}
	for range n {
		t := text()
		out["a_text"] = append(out["a_text"], Query{Text: t, AsOf: classesAsOf})
		// The search API's first page: the same text with every facet.
		out["a_text_all_facets"] = append(out["a_text_all_facets"], Query{Text: t, AsOf: classesAsOf, Facets: true})
		out["b_text_facets"] = append(out["b_text_facets"], Query{Text: text(), AsOf: classesAsOf, Facets: true,
			OccupationGroups: []string{groups[r.IntN(len(groups))]}, EducationLevels: []string{strconv.Itoa(2 + r.IntN(5))},
			LanguageLevels: []string{levels[r.IntN(len(levels))]}})
		by := classesAsOf.AddDate(0, 0, 15+r.IntN(60))
		home := homes[r.IntN(len(homes))]
		out["c_text_radius"] = append(out["c_text_radius"], Query{Text: text(), AsOf: classesAsOf,
			Licences:    []string{licences[r.IntN(len(licences))]},
			Languages:   []LanguageFilter{{Language: []string{"de", "en"}[r.IntN(2)], MinLevel: []string{"A2", "B1"}[r.IntN(2)]}},
			AvailableBy: &by, Near: &Near{Lat: home.Lat, Lon: home.Lon, RadiusKm: 30}})
		out["d_browse"] = append(out["d_browse"], Query{Facets: true, AsOf: classesAsOf})
	}
	return out
}

// BenchmarkQueryClasses measures the query classes of the performance issue
// uncached, on an index of seeded candidates (INCONTRO_BENCH_CANDIDATES,
// default 20,000; INCONTRO_BENCH_INDEX keeps it between runs), and prints
// p50 and p95. It asserts no time.
func BenchmarkQueryClasses(b *testing.B) {
	ix := benchIndex(b, 20000)
	qs := classQueries(200)
	g, err := seed.New(seed.Options{Seed: 1, Candidates: 100, AsOf: classesAsOf})
	if err != nil {
		b.Fatal(err)
	}
	_, sectors := g.Employers()
	var vacs []matching.Vacancy
	for i := 0; len(vacs) < 200; i++ {
		v := g.Vacancy(i%len(sectors), i/len(sectors)%3, sectors[i%len(sectors)])
		if len(v.Requirements) > 0 {
			vacs = append(vacs, v)
		}
	}
	names := []string{"a_text", "a_text_all_facets", "b_text_facets", "c_text_radius", "d_browse", "e_recall"}
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			var took []time.Duration
			var hits uint64
			i := 0
			cpu0 := cpuTime()
			for b.Loop() {
				start := time.Now()
				if name == "e_recall" {
					r, err := ix.Recall(context.Background(), RecallQuery{Vacancy: vacs[i%len(vacs)], AsOf: classesAsOf})
					if err != nil {
						b.Fatal(err)
					}
					hits += r.Total
				} else {
					ix.ClearCache()
					r, err := ix.Search(context.Background(), qs[name][i%len(qs[name])])
					if err != nil {
						b.Fatal(err)
					}
					hits += r.Total
				}
				took = append(took, time.Since(start))
				i++
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(i), "cpu-ms/op")
			slices.Sort(took)
			pct := func(p float64) float64 {
				return float64(took[min(len(took)-1, int(p*float64(len(took))))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.5), "p50-ms")
			b.ReportMetric(pct(0.95), "p95-ms")
			b.ReportMetric(float64(hits)/float64(i), "hits/op")
		})
	}
}

// Printing helper for ad-hoc runs.
var _ = fmt.Sprint
