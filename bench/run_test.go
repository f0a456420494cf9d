package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"incontro/store/storetest"
)

// testWriter sends progress lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func TestRunMeasuresEveryClassOnBothEngines(t *testing.T) {
	cfg := Config{
		Candidates: 300, Queries: 20, Seed: 7, AsOf: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
		DatabaseURL: storetest.MustURL(t),
		HTTP:        true, HTTPDuration: 300 * time.Millisecond, HTTPRates: []int{10, 20},
		NRTProbes: 10, NRTWrites: 20,
		Progress: testWriter{t},
	}
	// The report says which settings of the collector the queries ran with.
	gcBefore := debug.SetGCPercent(120)
	defer debug.SetGCPercent(gcBefore)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Run.GCPercent != 120 || rep.Run.MemoryLimitBytes <= 0 {
		t.Errorf("the run says it served with %d%% and %d bytes, want the 120%% set and a limit", rep.Run.GCPercent, rep.Run.MemoryLimitBytes)
	}

	t.Run("the load and the build are counted", func(t *testing.T) {
		if rep.Load.Candidates != 300 || rep.Load.PerSecond <= 0 {
			t.Errorf("load = %+v", rep.Load)
		}
		b := rep.Build
		if b.Candidates != 300 || b.Documents == 0 || b.Documents > 300 || b.PerSecond <= 0 || b.IndexBytes <= 0 || b.PeakRSSBytes <= 0 {
			t.Errorf("build = %+v", b)
		}
		if rep.PG == nil || rep.PG.Rows <= 0 || rep.PG.SizeBytes <= 0 {
			t.Errorf("baseline build = %+v", rep.PG)
		}
		if rep.ServingRSSBytes <= 0 {
			t.Errorf("serving RSS = %d", rep.ServingRSSBytes)
		}
		if g := rep.ServingGC; g.HeapLiveBytes <= 0 || g.CPUShare < 0 || g.CPUShare > 1 {
			t.Errorf("garbage collector in the query classes = %+v", g)
		}
	})
	t.Run("every class has positive latencies in order", func(t *testing.T) {
		if len(rep.Classes) != len(Classes()) {
			t.Fatalf("%d classes in the report, want %d", len(rep.Classes), len(Classes()))
		}
		for i, c := range Classes() {
			f := rep.Classes[i]
			if f.Class != c {
				t.Errorf("class %d is %s, want %s", i, f.Class, c)
			}
			checkLatency(t, string(c)+" incontro", f.Incontro, cfg.Queries)
			switch c {
			case ClassReverse:
				if f.PG != nil {
					t.Errorf("class f has a PostgreSQL figure: %+v", f.PG)
				}
			default:
				if f.PG == nil {
					t.Errorf("class %s has no PostgreSQL figure", c)
					continue
				}
				checkLatency(t, string(c)+" PostgreSQL", *f.PG, cfg.Queries)
			}
		}
		checkLatency(t, "browse cached", rep.BrowseCached, cfg.Queries)
		if s := rep.MatchSteps; s.Scored <= 0 || s.RecallMs <= 0 || s.LoadMs <= 0 || s.ScoreMs <= 0 {
			t.Errorf("match steps = %+v", s)
		}
	})
	t.Run("the probes see their changes", func(t *testing.T) {
		n := rep.NRT
		if n.Probes != 10 || n.Missed != 0 || n.P50 <= 0 || n.P95 < n.P50 || n.P95 >= 10_000 || n.Writes <= 0 {
			t.Errorf("near-real-time = %+v", n)
		}
	})
	t.Run("both endpoints take load", func(t *testing.T) {
		for _, name := range []string{EndpointMatch, EndpointSearch} {
			e, ok := rep.Endpoint(name)
			if !ok || len(e.Steps) == 0 {
				t.Errorf("endpoint %s: %+v", name, e)
				continue
			}
			s := e.Steps[0]
			if s.Requests == 0 || s.Success < 0.99 || s.Latency.P95 <= 0 {
				t.Errorf("endpoint %s, first step: %+v", name, s)
			}
		}
		if rep.HTTP.PeakRSSBytes <= 0 {
			t.Errorf("peak RSS under HTTP load = %d", rep.HTTP.PeakRSSBytes)
		}
		if g := rep.HTTP.GC; g.HeapLiveBytes <= 0 || g.CPUShare < 0 || g.CPUShare > 1 {
			t.Errorf("garbage collector under HTTP load = %+v", g)
		}
	})
	t.Run("the quality figures are in", func(t *testing.T) {
		if rep.Quality.NDCG10 <= 0 || rep.Quality.Vacancies == 0 || !strings.Contains(rep.Evaluation, "nDCG@10") {
			t.Errorf("quality = %+v", rep.Quality)
		}
	})
	t.Run("every target is checked", func(t *testing.T) {
		if len(rep.Targets) != 15 {
			t.Errorf("%d targets, want 15", len(rep.Targets))
		}
		for _, tg := range rep.Targets {
			if tg.Met == nil {
				t.Errorf("target %q not measured", tg.Figure)
			}
		}
	})
	t.Run("the table shows every class and the targets' size", func(t *testing.T) {
		var out bytes.Buffer
		if err := rep.WriteTable(&out); err != nil {
			t.Fatal(err)
		}
		table := out.String()
		for _, want := range []string{"figure", "PostgreSQL", "ratio", "target", "met?", "target (for 1,000,000 CVs)",
			"a free text p95", "b text + 3 facets p95", "c text + filters + 30 km p95", "d browse with facets p95",
			"e vacancy match (K=500, explained) p95", "f reverse match p99", "d browse, cached p95", "change visible in search p95",
			"HTTP vacancy match sustained", "nDCG@10", "mean per step", "index size per CV", "RSS while serving"} {
			if !strings.Contains(table, want) {
				t.Errorf("the table lacks %q:\n%s", want, table)
			}
		}
	})
	t.Run("the JSON round-trips", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bench.json")
		if err := rep.WriteJSON(path); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var back Report
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(*rep, back); diff != "" {
			t.Errorf("JSON round trip (-wrote +read):\n%s", diff)
		}
		if back.Machine.CPUs <= 0 || back.Machine.GoVersion == "" || back.Run.Candidates != 300 || back.Run.Date == "" {
			t.Errorf("machine and run = %+v %+v", back.Machine, back.Run)
		}
	})
}

func checkLatency(t *testing.T, what string, l Latency, n int) {
	t.Helper()
	if l.N != n || l.Planned != n || l.Errors != 0 || l.Warmup < 1 {
		t.Errorf("%s: %d of %d queries measured, %d failed (%s), warm-up %d", what, l.N, l.Planned, l.Errors, l.FirstError, l.Warmup)
	}
	if l.P50 <= 0 || l.P95 < l.P50 || l.P99 < l.P95 || l.Max < l.P99 || l.Mean <= 0 {
		t.Errorf("%s: latencies out of order: %+v", what, l)
	}
}

func TestTheIndexSizeIsReadOnceTheMergedAwayFilesAreGone(t *testing.T) {
	dir := t.TempDir()
	keep, old := filepath.Join(dir, "merged.zap"), filepath.Join(dir, "old.zap")
	if err := os.WriteFile(keep, make([]byte, 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(old, make([]byte, 3000), 0o600); err != nil {
		t.Fatal(err)
	}
	// The old segment goes a moment after the merge, as the index's own
	// clean-up removes it.
	timer := time.AfterFunc(300*time.Millisecond, func() { _ = os.Remove(old) })
	defer timer.Stop()
	size, err := settledDirSize(context.Background(), dir, 20*time.Millisecond, 500*time.Millisecond, 10*time.Second)
	if err != nil || size != 1000 {
		t.Fatalf("settled size %d, %v; want 1000 (the merged segment alone)", size, err)
	}
}
