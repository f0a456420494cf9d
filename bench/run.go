package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"incontro/index"
	"incontro/matcher"
	"incontro/matching"
	"incontro/password"
	"incontro/reference"
	"incontro/seed"
	"incontro/store"
)

// Config is what a bench run measures and where.
type Config struct {
	// Candidates is how many candidates the seed generator makes.
	Candidates int
	// Queries is how many queries of each class are measured, after a
	// warm-up of a tenth as many.
	Queries int
	// Seed makes the data and the queries; the same seed, the same run.
	Seed uint64
	// AsOf is the day the data are generated for; zero means today (UTC).
	AsOf time.Time
	// Dir holds the bench's own data (index, private cluster); it is
	// wiped at start and removed at the end unless Keep.
	Dir  string
	Keep bool
	// ServerURL is a PostgreSQL server (DATABASE_URL) on which the bench
	// creates the database incontro_bench, dropped afterwards unless Keep.
	// Empty: a private cluster in Dir/pg.
	ServerURL string
	// DatabaseURL is an existing, empty database used as is and left in
	// place (tests); it overrides ServerURL.
	DatabaseURL string
	// NoPG skips the PostgreSQL full-text-search baseline; PGBudget caps
	// the time of each of its query classes.
	NoPG     bool
	PGBudget time.Duration
	// HTTP runs the load phase: each endpoint at each of HTTPRates
	// (requests/s) for HTTPDuration, stopping at the first rate it does not
	// sustain.
	HTTP         bool
	HTTPDuration time.Duration
	HTTPRates    []int
	// NRTProbes is how many changes the near-real-time phase times, under
	// NRTWrites background updates per second.
	NRTProbes int
	NRTWrites int
	// MatchK is the recall size of class e.
	MatchK int
	// Progress receives progress lines and bars; nil shows none.
	Progress io.Writer
	// Logger receives the logs of the parts (cluster, indexer); nil
	// discards them.
	Logger *slog.Logger
}

// Defaults of Config.
const (
	DefaultCandidates   = 100_000
	DefaultQueries      = 200
	DefaultPGBudget     = 90 * time.Second
	DefaultHTTPDuration = 10 * time.Second
	DefaultNRTProbes    = 50
	DefaultNRTWrites    = 30
	MaxCandidates       = 2_000_000
)

// DefaultHTTPRates are the constant rates of the HTTP load, requests/s.
var DefaultHTTPRates = []int{10, 25, 50, 100, 200, 300, 400}

// Validate fills the defaults and names the first bad setting by its flag.
func (c *Config) Validate() error {
	if c.PGBudget == 0 {
		c.PGBudget = DefaultPGBudget
	}
	if c.HTTPDuration == 0 {
		c.HTTPDuration = DefaultHTTPDuration
	}
	if len(c.HTTPRates) == 0 {
		c.HTTPRates = DefaultHTTPRates
	}
	if c.NRTProbes == 0 {
		c.NRTProbes = DefaultNRTProbes
	}
	if c.NRTWrites == 0 {
		c.NRTWrites = DefaultNRTWrites
	}
	if c.MatchK == 0 {
		c.MatchK = matcher.DefaultK
	}
	switch {
	case c.Candidates < 100 || c.Candidates > MaxCandidates:
		return fmt.Errorf("--candidates must be between 100 and %d", MaxCandidates)
	case c.Queries < 1 || c.Queries > 100_000:
		return fmt.Errorf("--queries must be between 1 and 100000")
	case strings.TrimSpace(c.Dir) == "" && c.DatabaseURL == "":
		return fmt.Errorf("--dir must not be empty")
	case c.PGBudget < 0:
		return fmt.Errorf("--pg-budget must be positive")
	case c.HTTPDuration < 0:
		return fmt.Errorf("--http-duration must be positive")
	case c.NRTProbes < 1 || c.NRTWrites < 1:
		return fmt.Errorf("the near-real-time phase needs probes and writes")
	case c.MatchK < 1 || c.MatchK > index.MaxRecallK:
		return fmt.Errorf("the match recall K must be between 1 and %d", index.MaxRecallK)
	}
	for _, r := range c.HTTPRates {
		if r < 1 {
			return fmt.Errorf("HTTP rates must be positive")
		}
	}
	return nil
}

// bench is one run in progress.
type bench struct {
	cfg  Config
	asOf time.Time
	ws   *workspace
	db   *store.DB
	ix   *index.Index
	idx  *index.Indexer
	rep  *Report
	ids  idRange
	fts  *FTS
	// tail is the indexer's tailing loop, from the near-real-time phase on.
	tail    *background
	started time.Time
}

// Run performs a whole bench: load, build, baseline, latency by class,
// near-real-time lag, HTTP load (when asked) and the quality figures; it
// returns the report with every figure and the targets checked. When only
// the clean-up fails, the report comes with the error.
func Run(ctx context.Context, cfg Config) (rep *Report, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	started := time.Now()
	asOf := cfg.AsOf
	if asOf.IsZero() {
		asOf = time.Now().UTC()
	}
	asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	b := &bench{cfg: cfg, asOf: asOf, started: started}
	b.rep = &Report{Machine: machineInfo(), Run: RunInfo{
		Candidates: cfg.Candidates, Queries: cfg.Queries, Seed: cfg.Seed, AsOf: asOf.Format(time.DateOnly),
		Date: started.UTC().Format(time.RFC3339), PGBudgetSeconds: cfg.PGBudget.Seconds(), MatchK: cfg.MatchK,
	}}
	b.ws = &workspace{dir: cfg.Dir, logger: logger, logf: b.logf}

	if cfg.Dir != "" {
		if err := prepareDir(cfg.Dir); err != nil {
			return nil, err
		}
	} else {
		// Tests: a database given as is and no directory; the index
		// goes to a temporary one.
		d, err := os.MkdirTemp("", "incontro-bench-")
		if err != nil {
			return nil, err
		}
		b.ws.dir = d
	}
	defer func() {
		if b.tail != nil {
			b.tail.stop()
		}
		if b.ix != nil {
			err = errors.Join(err, b.ix.Close())
		}
		if b.fts != nil && !cfg.Keep {
			err = errors.Join(err, b.fts.Drop(context.WithoutCancel(ctx)))
		}
		err = errors.Join(err, b.ws.close(cfg.Keep))
		if !cfg.Keep || cfg.Dir == "" {
			err = errors.Join(err, os.RemoveAll(b.ws.dir))
		} else {
			b.logf("kept the bench data in %s", b.ws.dir)
		}
	}()

	if err := b.ws.openDatabase(ctx, cfg); err != nil {
		return nil, err
	}
	b.db = b.ws.db
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"load", b.load},
		{"build", b.build},
		{"baseline", b.baseline},
		{"latency", b.latency},
		{"settle", b.settle},
		{"near-real-time", b.nearRealTime},
		{"http", b.http},
		{"quality", b.quality},
	}
	for _, s := range steps {
		if err := s.fn(ctx); err != nil {
			return nil, fmt.Errorf("bench %s: %w", s.name, err)
		}
	}
	b.rep.TotalSeconds = roundTo(time.Since(started).Seconds(), 1)
	b.rep.Targets = checkTargets(b.rep)
	return b.rep, nil
}

// logf writes a progress line.
func (b *bench) logf(format string, args ...any) {
	if b.cfg.Progress != nil {
		fmt.Fprintf(b.cfg.Progress, "bench %5.0fs: "+format+"\n", append([]any{time.Since(b.started).Seconds()}, args...)...)
	}
}

// bar returns a progress bar of total items, or nil without Progress.
func (b *bench) bar(total int, what string) *progressbar.ProgressBar {
	if b.cfg.Progress == nil {
		return nil
	}
	w := b.cfg.Progress
	return progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("cv"),
		progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
}

// load generates the candidates and copies them into PostgreSQL.
func (b *bench) load(ctx context.Context) error {
	b.logf("loading %d candidates into PostgreSQL (COPY)", b.cfg.Candidates)
	g, err := seed.New(seed.Options{Seed: b.cfg.Seed, Candidates: b.cfg.Candidates, AsOf: b.asOf})
	if err != nil {
		return err
	}
	// The demo accounts of the seed are never used to sign in here: cheap
	// hashes spare seconds of argon2 on small runs.
	lo := seed.LoadOptions{Progress: b.cfg.Progress,
		PasswordParams: password.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}}
	sum, err := seed.Load(ctx, b.db, g, lo)
	if err != nil {
		return err
	}
	requests, err := seed.OpenRanked(ctx, b.db, sum)
	if err != nil {
		return err
	}
	b.rep.Load = LoadFigures{Candidates: sum.Candidates, Employers: sum.Employers, Vacancies: sum.Vacancies, Requests: requests,
		Seconds: roundTo(sum.Elapsed.Seconds(), 2), PerSecond: rate(sum.Candidates, sum.Elapsed)}
	b.logf("loaded %d candidates in %s (%.0f/s)", sum.Candidates, sum.Elapsed.Round(time.Millisecond), b.rep.Load.PerSecond)
	b.ids, err = candidateIDs(ctx, b.db)
	return err
}

// build rebuilds the index from the store, as incontro reindex does,
// measuring its rate, size and peak memory.
func (b *bench) build(ctx context.Context) error {
	ix, err := index.Open(filepath.Join(b.ws.dir, "index"))
	if err != nil {
		return err
	}
	b.ix = ix
	b.idx = index.NewIndexer(ix, b.db, b.cfg.Logger)
	b.logf("building the index from PostgreSQL")
	releaseMemory()
	method := "VmHWM"
	if err := ResetPeakRSS(); err != nil {
		method = "VmRSS sampled every 50 ms"
	}
	sampler := sampleRSS(50 * time.Millisecond)
	bar := b.bar(b.cfg.Candidates, "indice")
	start := time.Now()
	err = b.idx.Rebuild(ctx, func(done int) {
		if bar != nil {
			_ = bar.Set(done)
		}
	})
	took := time.Since(start)
	sampled := sampler.Stop()
	if err != nil {
		return err
	}
	if bar != nil {
		_ = bar.Finish()
	}
	peak := sampled
	if method == "VmHWM" {
		if p, err := PeakRSS(); err == nil {
			peak = p
		} else {
			method = "VmRSS sampled every 50 ms"
		}
	}
	docs, err := ix.DocCount()
	if err != nil {
		return err
	}
	size, err := settledDirSize(ctx, ix.Path(), 100*time.Millisecond, time.Second, 30*time.Second)
	if err != nil {
		return err
	}
	n := b.rep.Load.Candidates
	b.rep.Build = BuildFigures{Candidates: n, Documents: docs, Seconds: roundTo(took.Seconds(), 2),
		PerSecond: rate(n, took), DocsPerSecond: rate(int(docs), took),
		IndexBytes: size, BytesPerCandidate: roundTo(float64(size)/float64(max(n, 1)), 1),
		PeakRSSBytes: peak, PeakRSSMethod: method}
	b.logf("index built: %d documents of %d candidates in %s (%.0f CVs/s), %s on disk, peak RSS %s",
		docs, n, took.Round(time.Millisecond), b.rep.Build.PerSecond, formatBytes(size), formatBytes(peak))
	return nil
}

// baseline builds the PostgreSQL full-text-search baseline.
func (b *bench) baseline(ctx context.Context) error {
	if b.cfg.NoPG {
		b.logf("skipping the PostgreSQL baseline (--no-pg)")
		return nil
	}
	b.logf("building the PostgreSQL full-text-search baseline")
	f, fb, err := SetupFTS(ctx, b.db.SQL(), b.asOf)
	if err != nil {
		return err
	}
	b.fts = f
	n := b.rep.Load.Candidates
	b.rep.PG = &PGBuild{Rows: fb.Rows, Seconds: roundTo(fb.Took.Seconds(), 2), PerSecond: rate(n, fb.Took),
		SizeBytes: fb.SizeBytes, BytesPerCandidate: roundTo(float64(fb.SizeBytes)/float64(max(n, 1)), 1)}
	b.logf("baseline built: %d rows in %s, %s", fb.Rows, fb.Took.Round(time.Millisecond), formatBytes(fb.SizeBytes))
	return nil
}

// settle drops the PostgreSQL baseline once its queries are measured and
// has the server write back what the load, the build and the baseline
// left dirty (CHECKPOINT), so that the near-real-time and HTTP steps
// measure incontro on its own data without paying for the earlier steps.
// A server that refuses CHECKPOINT (a DATABASE_URL role without the right
// to it) is only noted.
func (b *bench) settle(ctx context.Context) error {
	if b.fts != nil && !b.cfg.Keep {
		if err := b.fts.Drop(ctx); err != nil {
			return err
		}
		b.fts = nil
		b.logf("dropped the PostgreSQL baseline's tables")
	}
	start := time.Now()
	if _, err := b.db.SQL().ExecContext(ctx, `CHECKPOINT`); err != nil {
		b.logf("CHECKPOINT: %v; going on", err)
		return nil
	}
	b.logf("CHECKPOINT in %s", time.Since(start).Round(time.Millisecond))
	return nil
}

// quality scores the labelled evaluation set.
func (b *bench) quality(context.Context) error {
	ev, err := matching.Evaluate(b.asOf)
	if err != nil {
		return err
	}
	b.rep.Quality = Quality{Vacancies: ev.Vacancies, Candidates: ev.Candidates, NDCG10: ev.NDCG10, RandomNDCG10: ev.RandomNDCG10,
		EssentialMissTop10: ev.EssentialMissTop10, LabelledMissTop10: ev.LabelledMissTop10, UnsuitableTop10: ev.UnsuitableTop10}
	b.rep.Evaluation = ev.String()
	return nil
}

// idRange is the candidates' ids, for picking some at random.
type idRange struct {
	db       *store.DB
	min, max int64
}

func candidateIDs(ctx context.Context, db *store.DB) (idRange, error) {
	r := idRange{db: db}
	err := db.SQL().QueryRowxContext(ctx, `SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM candidates`).Scan(&r.min, &r.max)
	if err == nil && r.max == 0 {
		err = errors.New("no candidates were loaded")
	}
	return r, err
}

// pick returns an existing candidate id drawn at random (the first one at
// or after a random point of the range). Keep filters them (nil: all).
func (r idRange) pick(ctx context.Context, rnd *rand.Rand, keep func(int64) bool) (int64, error) {
	for range 1000 {
		at := r.min + rnd.Int64N(r.max-r.min+1)
		var id int64
		err := r.db.SQL().QueryRowxContext(ctx, `SELECT id FROM candidates WHERE id >= $1 ORDER BY id LIMIT 1`, at).Scan(&id)
		if err != nil {
			return 0, err
		}
		if keep == nil || keep(id) {
			return id, nil
		}
	}
	return 0, errors.New("no candidate id fits")
}

// toQuery converts a search of the workload into incontro's query.
func toQuery(s Search, asOf time.Time) (index.Query, error) {
	q := index.Query{Text: s.Text, Facets: s.Facets, Size: s.Size, AsOf: asOf, AvailableBy: s.AvailableBy}
	if s.OccupationGroup != "" {
		q.OccupationGroups = []string{s.OccupationGroup}
	}
	if s.EducationLevel != "" {
		q.EducationLevels = []string{s.EducationLevel}
	}
	if s.LanguageLevel != "" {
		q.LanguageLevels = []string{s.LanguageLevel}
	}
	if s.Licence != "" {
		q.Licences = []string{s.Licence}
	}
	if s.Language != "" {
		q.Languages = []index.LanguageFilter{{Language: s.Language, MinLevel: s.MinLevel}}
	}
	if s.Near != "" {
		m, ok := reference.MunicipalityByCode(s.Near)
		if !ok {
			return q, fmt.Errorf("workload: %q is not a municipality", s.Near)
		}
		q.Near = &index.Near{Lat: m.Lat, Lon: m.Lon, RadiusKm: s.RadiusKm}
	}
	return q, nil
}

// dirSize is the size of the files under dir.
// settledDirSize returns the size of dir once it has stopped shrinking:
// after a rebuild merges its segments the index removes the merged-away
// files a moment later, and until then the directory holds both. It reads
// the size every interval and returns it when it has not changed for
// quiet, or at the latest after limit.
func settledDirSize(ctx context.Context, dir string, interval, quiet, limit time.Duration) (int64, error) {
	size, err := dirSize(dir)
	if err != nil {
		return 0, err
	}
	deadline, since := time.Now().Add(limit), time.Now()
	for time.Now().Before(deadline) && time.Since(since) < quiet {
		select {
		case <-ctx.Done():
			return 0, context.Cause(ctx)
		case <-time.After(interval):
		}
		next, err := dirSize(dir)
		if err != nil {
			return 0, err
		}
		if next != size {
			size, since = next, time.Now()
		}
	}
	return size, nil
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed meanwhile (a merged segment)
			}
			return err
		}
		if d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n, err
}

// machineInfo describes where the bench ran.
func machineInfo() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), GoVersion: runtime.Version(),
		OS: runtime.GOOS, Arch: runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				var kb int64
				if _, err := fmt.Sscan(strings.TrimSpace(rest), &kb); err == nil {
					m.MemoryBytes = kb * 1024
				}
			}
		}
	}
	return m
}

// background runs functions until stopped.
type background struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func (bg *background) stop() {
	if bg.cancel != nil {
		bg.cancel()
	}
	bg.wg.Wait()
}
