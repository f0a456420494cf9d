package bench

import (
	"math"
	"slices"
	"time"
)

// Latency summarises the wall times of a set of queries, in milliseconds.
type Latency struct {
	// N is how many queries were measured (the warm-up is not counted).
	N      int     `json:"n"`
	P50    float64 `json:"p50_ms"`
	P95    float64 `json:"p95_ms"`
	P99    float64 `json:"p99_ms"`
	Mean   float64 `json:"mean_ms"`
	Max    float64 `json:"max_ms"`
	Warmup int     `json:"warmup"`
	// Planned is how many queries were to be measured; fewer ran when the
	// class's time budget was spent first (BudgetSpent).
	Planned     int  `json:"planned"`
	BudgetSpent bool `json:"budget_spent,omitempty"`
	// Errors counts queries that failed; they are not in the figures.
	// FirstError says why the first one failed.
	Errors     int    `json:"errors,omitempty"`
	FirstError string `json:"first_error,omitempty"`
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of the samples by
// the nearest-rank method: the smallest sample such that at least p% of the
// samples are at most it. sorted must be in increasing order; an empty
// slice gives 0.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// Summarize computes the latency figures of the samples (in any order).
func Summarize(samples []time.Duration) Latency {
	s := slices.Clone(samples)
	slices.Sort(s)
	l := Latency{N: len(s)}
	if len(s) == 0 {
		return l
	}
	var total time.Duration
	for _, d := range s {
		total += d
	}
	l.P50, l.P95, l.P99 = millis(Percentile(s, 50)), millis(Percentile(s, 95)), millis(Percentile(s, 99))
	l.Mean = millis(total / time.Duration(len(s)))
	l.Max = millis(s[len(s)-1])
	return l
}

// millis converts a duration to milliseconds, to the microsecond.
func millis(d time.Duration) float64 {
	return math.Round(float64(d.Microseconds())) / 1000
}

// rate is count per second of d, 0 for no time.
func rate(count int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return math.Round(float64(count)/d.Seconds()*10) / 10
}
