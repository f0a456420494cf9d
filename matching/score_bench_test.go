package matching_test

import (
	"testing"
	"time"

	"incontro/matching"
	"incontro/seed"
)

// BenchmarkRank scores 600 generated CVs against a generated vacancy, the
// work of one match after recall (K=500 plus 100 near misses).
func BenchmarkRank(b *testing.B) {
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	g, err := seed.New(seed.Options{Seed: 7, Candidates: 600, AsOf: asOf})
	if err != nil {
		b.Fatal(err)
	}
	_, sectors := g.Employers()
	vac := g.Vacancy(0, 0, sectors[0])
	in := make([]matching.Recalled, 600)
	for i := range in {
		c, _ := g.Candidate(i)
		c.ID = int64(i + 1)
		in[i] = matching.Recalled{Candidate: &c, Relevance: float64(i % 17)}
	}
	b.ReportAllocs()
	for b.Loop() {
		s, err := matching.NewScorer(&vac, matching.DefaultScoreParams(asOf))
		if err != nil {
			b.Fatal(err)
		}
		s.Rank(in)
	}
}
