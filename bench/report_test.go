package bench

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// sampleReport is a report of a 1,000,000-CV run that meets every target
// but the build rate and class b against PostgreSQL.
func sampleReport() *Report {
	r := &Report{Run: RunInfo{Candidates: TargetCandidates, Queries: 200, AsOf: "2026-11-25"}}
	r.Build = BuildFigures{Candidates: TargetCandidates, Documents: 950_000, Seconds: 125, PerSecond: 8000,
		IndexBytes: 700_000_000, BytesPerCandidate: 700, PeakRSSBytes: 900 << 20}
	r.PG = &PGBuild{Rows: TargetCandidates, Seconds: 60, PerSecond: 16_666, SizeBytes: 2 << 30, BytesPerCandidate: 2147}
	p95 := map[Class]float64{ClassText: 4, ClassTextFacets: 15, ClassRadius: 12, ClassBrowse: 30, ClassMatch: 40, ClassReverse: 3}
	pg := map[Class]float64{ClassText: 40, ClassTextFacets: 30, ClassRadius: 200, ClassBrowse: 900, ClassMatch: 500}
	for _, c := range Classes() {
		f := r.classFigures(c)
		f.Incontro = Latency{N: 200, P50: p95[c] / 2, P95: p95[c], P99: p95[c] * 1.5, Planned: 200}
		if v, ok := pg[c]; ok {
			f.PG = &Latency{N: 200, P50: v / 2, P95: v, P99: v * 2, Planned: 200}
		}
	}
	r.ServingRSSBytes = 600 << 20
	r.NRT = NRTFigures{Probes: 50, P50: 150, P95: 300}
	r.HTTP = &HTTPFigures{Endpoints: []HTTPEndpoint{{Name: EndpointMatch, Sustained: 300}, {Name: EndpointSearch, Sustained: 400}}}
	r.Targets = checkTargets(r)
	return r
}

func TestTargetsSayWhichAreMissed(t *testing.T) {
	r := sampleReport()
	var missed []string
	for _, tg := range r.Missed() {
		missed = append(missed, tg.Figure)
	}
	want := []string{"index build", "b text + 3 facets vs PostgreSQL p95"}
	if strings.Join(missed, "|") != strings.Join(want, "|") {
		t.Fatalf("missed %q, want %q", missed, want)
	}
	var out bytes.Buffer
	if err := r.WriteTable(&out); err != nil {
		t.Fatal(err)
	}
	table := out.String()
	for _, want := range []string{"MISSED 2 of 15 targets", "index build: 8,000 CVs/s, target ≥ 10,000 CVs/s",
		"b text + 3 facets vs PostgreSQL p95: 2.0×, target ≥ 3× faster", "10.0×"} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, "for 1,000,000") {
		t.Errorf("a 1,000,000-CV run says its targets are for another size:\n%s", table)
	}
}

func TestServingRSSCountsTheHTTPLoad(t *testing.T) {
	r := sampleReport()
	r.HTTP.PeakRSSBytes = 1100 << 20
	r.Targets = checkTargets(r)
	var missed []string
	for _, tg := range r.Missed() {
		missed = append(missed, tg.Figure)
	}
	if !slices.Contains(missed, "RSS while serving") {
		t.Errorf("a peak of 1,100 MiB under HTTP load meets the RSS target: missed %q", missed)
	}
	var out bytes.Buffer
	if err := r.WriteTable(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "peak RSS under HTTP load") {
		t.Errorf("the table lacks the peak RSS under HTTP load:\n%s", out.String())
	}
}

func TestTargetsOfSkippedPhasesAreNotMeasured(t *testing.T) {
	r := sampleReport()
	r.HTTP = nil
	r.PG = nil
	for i := range r.Classes {
		r.Classes[i].PG = nil
	}
	r.Run.Candidates = 20_000
	r.Targets = checkTargets(r)
	var out bytes.Buffer
	if err := r.WriteTable(&out); err != nil {
		t.Fatal(err)
	}
	table := out.String()
	for _, want := range []string{"not measured: HTTP vacancy match sustained", "not measured: a free text vs PostgreSQL p95",
		"target (for 1,000,000 CVs)", "--no-pg", "MISSED 1 of 15 targets at 20,000 CVs"} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}
}

func TestProbeWordsAreUniqueConsonants(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 1))
	seen := map[string]bool{}
	for i := range 5000 {
		w := probeWord(rnd, i)
		if seen[w] {
			t.Fatalf("probe %d repeats the word %q", i, w)
		}
		seen[w] = true
		if strings.ContainsAny(w, "aeiouy") || len(w) != 11 {
			t.Fatalf("probe word %q has a vowel or the wrong length", w)
		}
	}
}
