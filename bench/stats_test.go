package bench

import (
	"math/rand/v2"
	"testing"
	"time"
)

func msSamples(values ...int) []time.Duration {
	out := make([]time.Duration, len(values))
	for i, v := range values {
		out[i] = time.Duration(v) * time.Millisecond
	}
	return out
}

func TestPercentileIsTheNearestRank(t *testing.T) {
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name    string
		samples []time.Duration
		p       float64
		want    time.Duration
	}{
		{"the median of 1..100 ms", msSamples(hundred...), 50, 50 * time.Millisecond},
		{"the 95th of 1..100 ms", msSamples(hundred...), 95, 95 * time.Millisecond},
		{"the 99th of 1..100 ms", msSamples(hundred...), 99, 99 * time.Millisecond},
		{"the 100th is the largest", msSamples(hundred...), 100, 100 * time.Millisecond},
		{"the 95th of ten samples is the largest", msSamples(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 95, 10 * time.Millisecond},
		{"the median of ten samples is the fifth", msSamples(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 50, 5 * time.Millisecond},
		{"the 90th of ten samples is the ninth", msSamples(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9 * time.Millisecond},
		{"one sample is every percentile", msSamples(7), 1, 7 * time.Millisecond},
		{"a tiny p is the smallest", msSamples(3, 4), 0.1, 3 * time.Millisecond},
		{"no samples give zero", nil, 95, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.samples, tt.p); got != tt.want {
				t.Errorf("Percentile(p%g) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarizeSortsAndAverages(t *testing.T) {
	values := make([]int, 20)
	for i := range values {
		values[i] = i + 1
	}
	s := msSamples(values...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	l := Summarize(s)
	want := Latency{N: 20, P50: 10, P95: 19, P99: 20, Mean: 10.5, Max: 20}
	if l != want {
		t.Fatalf("Summarize = %+v, want %+v", l, want)
	}
	if s[0] == time.Millisecond && s[19] == 20*time.Millisecond {
		t.Log("(the shuffle left the ends in place)")
	}
	if got := Summarize(nil); got != (Latency{}) {
		t.Errorf("Summarize(nil) = %+v, want zero", got)
	}
}

func TestRSSIsReadFromProc(t *testing.T) {
	cur, err := CurrentRSS()
	if err != nil || cur <= 0 {
		t.Fatalf("CurrentRSS = %d, %v", cur, err)
	}
	peak, err := PeakRSS()
	if err != nil || peak < cur/2 {
		t.Fatalf("PeakRSS = %d, %v (current %d)", peak, err, cur)
	}
	s := sampleRSS(time.Millisecond)
	time.Sleep(5 * time.Millisecond)
	if got := s.Stop(); got <= 0 {
		t.Errorf("sampled RSS = %d", got)
	}
	if got := s.Stop(); got <= 0 {
		t.Errorf("a second Stop = %d", got)
	}
}
