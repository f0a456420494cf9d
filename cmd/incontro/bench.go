package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"

	"github.com/spf13/cobra"

	"incontro/bench"
)

func newBenchCommand(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	var (
		bc         bench.Config
		jsonPath   string
		cpuProfile string
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure incontro against PostgreSQL full-text search on synthetic data",
		Long: `bench generates --candidates synthetic candidates with the seed generator, loads them into a
database of its own with COPY, builds the CV index and measures, in one run: load and build
rates, index size, memory while building and serving, the latency (p50/p95/p99) of each query
class on incontro and on a PostgreSQL full-text-search baseline built over the same data, the
delay before a change is visible in search under a background write load, optionally the HTTP
requests/s the match and search endpoints sustain (--http), and the matching quality on the
labelled evaluation set. It prints a table with every figure, its target and whether it is met
(the targets are set for 1,000,000 CVs), and writes all figures as JSON with --json.

It never touches incontro's own data: without DATABASE_URL it starts a private PostgreSQL
cluster in --dir; with DATABASE_URL it creates the database incontro_bench on that server
(dropping one left by an earlier run) and drops it at the end. --dir (default <data-dir>/bench)
is wiped at start and removed at the end unless --keep. Progress goes to stderr, the report to
stdout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			if f.Changed("pg-budget") && bc.PGBudget <= 0 {
				return fmt.Errorf("--pg-budget must be a positive duration such as 90s")
			}
			if f.Changed("http-duration") && bc.HTTPDuration <= 0 {
				return fmt.Errorf("--http-duration must be a positive duration such as 10s")
			}
			if bc.Dir == "" {
				bc.Dir = filepath.Join(cfg.DataDir, "bench")
			}
			if abs, err := filepath.Abs(bc.Dir); err == nil {
				bc.Dir = abs
			}
			if jsonPath != "" {
				if st, err := os.Stat(filepath.Dir(jsonPath)); err != nil || !st.IsDir() {
					return fmt.Errorf("--json %s: its directory does not exist", jsonPath)
				}
			}
			if err := bc.Validate(); err != nil {
				return err
			}
			if cpuProfile != "" {
				pf, err := os.Create(cpuProfile)
				if err != nil {
					return fmt.Errorf("--cpuprofile: %w", err)
				}
				defer pf.Close()
				if err := pprof.StartCPUProfile(pf); err != nil {
					return fmt.Errorf("--cpuprofile: %w", err)
				}
				defer pprof.StopCPUProfile()
			}
			m, err := NewMain(*cfg, stderr)
			if err != nil {
				return err
			}
			bc.ServerURL = cfg.DatabaseURL
			bc.Progress = stderr
			bc.Logger = m.Logger
			rep, err := bench.Run(cmd.Context(), bc)
			if rep == nil {
				return err
			}
			// A report whose clean-up failed is still worth printing.
			if werr := rep.WriteTable(stdout); werr != nil {
				return errors.Join(err, werr)
			}
			if jsonPath != "" {
				if werr := rep.WriteJSON(jsonPath); werr != nil {
					return errors.Join(err, werr)
				}
				fmt.Fprintf(stderr, "bench: wrote every figure to %s\n", jsonPath)
			}
			return err
		},
	}
	f := cmd.Flags()
	f.IntVar(&bc.Candidates, "candidates", bench.DefaultCandidates, "number of synthetic candidates (100 to 2,000,000)")
	f.IntVar(&bc.Queries, "queries", bench.DefaultQueries, "queries measured per class, after a warm-up of a tenth as many")
	f.Uint64Var(&bc.Seed, "seed", 1, "random seed of the data and the queries")
	f.StringVar(&jsonPath, "json", "", "also write every figure as JSON to this file")
	f.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run (this process, not PostgreSQL) to this file, for go tool pprof")
	f.StringVar(&bc.Dir, "dir", "", "working directory for the bench's own data, wiped at start (default <data-dir>/bench)")
	f.BoolVar(&bc.Keep, "keep", false, "keep the bench's data (directory, database) afterwards")
	f.BoolVar(&bc.NoPG, "no-pg", false, "skip the PostgreSQL full-text-search baseline")
	f.DurationVar(&bc.PGBudget, "pg-budget", bench.DefaultPGBudget, "time cap per PostgreSQL query class (a class stops early when spent)")
	f.BoolVar(&bc.HTTP, "http", false, "run the HTTP load phase (match and search endpoints over loopback)")
	f.DurationVar(&bc.HTTPDuration, "http-duration", bench.DefaultHTTPDuration, "duration of each constant-rate step of the HTTP load")
	return cmd
}
