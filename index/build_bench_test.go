package index

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"incontro/matching"
	"incontro/seed"
)

// benchCandidates returns n seeded candidates with IDs 1..n
// (INCONTRO_BENCH_CANDIDATES overrides n), generated once per process.
func benchCandidates(tb testing.TB, n int, asOf time.Time) []matching.Candidate {
	tb.Helper()
	if s := os.Getenv("INCONTRO_BENCH_CANDIDATES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			tb.Fatal(err)
		}
	}
	benchCache.Lock()
	defer benchCache.Unlock()
	key := strconv.Itoa(n) + asOf.String()
	if cs, ok := benchCache.m[key]; ok {
		return cs
	}
	g, err := seed.New(seed.Options{Seed: 1, Candidates: n, AsOf: asOf})
	if err != nil {
		tb.Fatal(err)
	}
	cs := make([]matching.Candidate, n)
	var wg sync.WaitGroup
	const workers = 4
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				c, _ := g.Candidate(i)
				c.ID = int64(i + 1)
				cs[i] = c
			}
		})
	}
	wg.Wait()
	if benchCache.m == nil {
		benchCache.m = map[string][]matching.Candidate{}
	}
	benchCache.m[key] = cs
	return cs
}

// dropBenchCandidates lets the collector have the candidates, which would
// otherwise weigh on the searches measured next.
func dropBenchCandidates() {
	benchCache.Lock()
	defer benchCache.Unlock()
	benchCache.m = nil
}

var benchCache struct {
	sync.Mutex
	m map[string][]matching.Candidate
}

// sliceLoader pages through candidates sorted by ID, as the store does.
func sliceLoader(cs []matching.Candidate) func(ctx context.Context, afterID int64, limit int) ([]matching.Candidate, error) {
	return func(_ context.Context, afterID int64, limit int) ([]matching.Candidate, error) {
		// IDs are 1..n in order: afterID is the index of the next one.
		from := int(afterID)
		if from >= len(cs) {
			return nil, nil
		}
		return cs[from:min(from+limit, len(cs))], nil
	}
}

// dirSize returns the bytes of the files under dir.
func dirSize(tb testing.TB, dir string) int64 {
	tb.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRebuild measures Rebuild over seeded candidates held in memory
// (INCONTRO_BENCH_CANDIDATES, default 20,000): documents per second, CPU
// per document and bytes on disk per document once the index is closed.
// Generating the candidates is not timed.
func BenchmarkRebuild(b *testing.B) {
	asOf := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	cs := benchCandidates(b, 20000, asOf)
	var docs uint64
	var bytes int64
	var wall, cpu time.Duration
	for b.Loop() {
		dir := b.TempDir()
		start, cpu0 := time.Now(), cpuTime()
		ix, err := Rebuild(context.Background(), dir, Position{TxID: 1, ID: 1}, sliceLoader(cs), asOf, nil)
		if err != nil {
			b.Fatal(err)
		}
		n, err := ix.DocCount()
		if err != nil {
			b.Fatal(err)
		}
		wall += time.Since(start)
		cpu += cpuTime() - cpu0
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		docs += n
		bytes += dirSize(b, dir)
		os.RemoveAll(dir)
	}
	b.ReportMetric(float64(docs)/wall.Seconds(), "docs/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(docs), "cpu-µs/doc")
	b.ReportMetric(float64(bytes)/float64(docs), "bytes/doc")
}
