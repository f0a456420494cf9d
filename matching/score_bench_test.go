package matching_test

import (
	"encoding/json"
	"testing"
	"time"

	"incontro/matching"
	"incontro/seed"
)

// benchRecalled returns a generated vacancy and 600 generated CVs recalled
// for it, the work of one match after recall (K=500 plus 100 near misses).
func benchRecalled(b *testing.B) (matching.Vacancy, []matching.Recalled, time.Time) {
	b.Helper()
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
	return vac, in, asOf
}

// BenchmarkRank scores 600 generated CVs against a generated vacancy.
func BenchmarkRank(b *testing.B) {
	vac, in, asOf := benchRecalled(b)
	b.ReportAllocs()
	for b.Loop() {
		s, err := matching.NewScorer(&vac, matching.DefaultScoreParams(asOf))
		if err != nil {
			b.Fatal(err)
		}
		s.Rank(in)
	}
}

// BenchmarkRankAndEncode is what a stored run does with the scores: rank
// 600 CVs, keep the best 100 and 50 near misses (the matcher's defaults)
// and encode their explanations as JSON, as matcher.RunRequest does for the
// store.
func BenchmarkRankAndEncode(b *testing.B) {
	vac, in, asOf := benchRecalled(b)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		s, err := matching.NewScorer(&vac, matching.DefaultScoreParams(asOf))
		if err != nil {
			b.Fatal(err)
		}
		r := s.Rank(in)
		kept := append(r.Main[:min(len(r.Main), 100)], r.NearMisses[:min(len(r.NearMisses), 50)]...)
		size = 0
		for _, k := range kept {
			e, err := encodeExplanation(k.Explanation)
			if err != nil {
				b.Fatal(err)
			}
			size += len(e)
		}
	}
	b.ReportMetric(float64(size), "json-B/run")
}

// encodeExplanation encodes an explanation as matcher.RunRequest does: by
// its own MarshalJSON when it has one (whose output is compact already),
// else by encoding/json.
func encodeExplanation(e matching.Explanation) ([]byte, error) {
	if m, ok := any(e).(json.Marshaler); ok {
		return m.MarshalJSON()
	}
	return json.Marshal(e)
}
