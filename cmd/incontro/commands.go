package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"incontro/matching"
	"incontro/seed"
	"incontro/store"
)

// Run executes the command line and returns the exit code.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCommand(getenv, stdin, stdout, stderr)
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "incontro:", err)
		return 1
	}
	return 0
}

func newRootCommand(getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	cfg := ConfigFromEnv(getenv)
	root := &cobra.Command{
		Use:   "incontro",
		Short: "Incontro domanda-offerta di lavoro: the matching service of Trento's employment network",
		Long: `incontro helps the employment services of the Autonomous Province of Trento match employers'
requests with jobseekers' CVs (service standards 4C and 4D).

Without DATABASE_URL it runs its own PostgreSQL cluster in <data-dir>/pg, started from the
machine's PostgreSQL server binaries and reachable only through a unix socket.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return cfg.Validate()
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL URL (env DATABASE_URL; empty: private cluster in <data-dir>/pg)")
	pf.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "directory for the private database and the index (env INCONTRO_DATA_DIR)")
	pf.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "debug, info, warn or error (env INCONTRO_LOG_LEVEL)")
	pf.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "text or json (env INCONTRO_LOG_FORMAT)")
	pf.StringVar(&cfg.AvailabilityDays, "availability-days", cfg.AvailabilityDays,
		"days a confirmed availability holds for presenting a candidate (env INCONTRO_AVAILABILITY_DAYS)")
	pf.StringVar(&cfg.FeedbackReminderDays, "feedback-reminder-days", cfg.FeedbackReminderDays,
		"days after a presentation without feedback when a reminder is due (env INCONTRO_FEEDBACK_REMINDER_DAYS)")
	pf.StringVar(&cfg.FeedbackGiveUpDays, "feedback-giveup-days", cfg.FeedbackGiveUpDays,
		"days after a presentation without feedback when closing as \"no answer\" is proposed (env INCONTRO_FEEDBACK_GIVEUP_DAYS)")

	root.AddCommand(
		newServeCommand(&cfg, stdout, stderr),
		newMigrateCommand(&cfg, stdout, stderr),
		newSeedCommand(&cfg, stdout, stderr),
		newUserCommand(&cfg, stdin, stdout, stderr),
		newReindexCommand(&cfg, stdout, stderr),
		newBenchCommand(&cfg, stdout, stderr),
		newCheckAdCommand(stdin, stdout),
		newVersionCommand(stdout),
	)
	return root
}

func newServeCommand(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web application and the JSON API",
		Long: `serve migrates the database, opens the index and serves HTTP until interrupted
(SIGINT or SIGTERM), then finishes the requests in flight and stops the private
database cluster if it started it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := NewMain(*cfg, stderr)
			if err != nil {
				return err
			}
			defer m.Close()
			if err := m.Start(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "incontro %s is serving on %s\n", m.Version, m.URL())
			err = m.Wait(cmd.Context())
			m.Logger.Info("shutting down")
			if cerr := m.Close(); err == nil {
				err = cerr
			}
			return err
		},
	}
	cmd.Flags().StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on (env INCONTRO_ADDR)")
	cmd.Flags().BoolVar(&cfg.Dev, "dev", cfg.Dev, "development server: demo accounts sign in from any address (env INCONTRO_DEV=1)")
	return cmd
}

func newMigrateCommand(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply the database migrations",
		Long:  "migrate applies the pending schema migrations (serve does it too at start) under an advisory lock.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := openMain(cmd.Context(), *cfg, stderr, false)
			if err != nil {
				return err
			}
			defer m.Close()
			applied, err := m.DB.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				fmt.Fprintln(stdout, "schema is current; nothing to apply")
			} else {
				fmt.Fprintf(stdout, "applied migrations %v\n", applied)
			}
			return m.Close()
		},
	}
}

func newSeedCommand(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	var (
		seedValue  uint64
		candidates int
		employers  int
		asOf       string
		ifEmpty    bool
		reset      bool
	)
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Fill the database with synthetic demo data for Trentino",
		Long: `seed writes deterministic demo data: the job centres of Trentino and two accredited agencies
with their operators, employers of the sectors that hire most, candidates with coherent CVs and
vacancies with ranked requirements. The same --seed and --as-of give the same data. Every
person and company is synthetic. Demo accounts share the password ` + seed.DemoPassword + `.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if candidates < 0 || candidates > 2_000_000 {
				return fmt.Errorf("--candidates must be between 0 and 2000000")
			}
			day := time.Now().UTC()
			if asOf != "" {
				var err error
				if day, err = time.Parse(time.DateOnly, asOf); err != nil {
					return fmt.Errorf("--as-of must be a date such as 2026-11-25")
				}
			}
			day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
			ctx := cmd.Context()
			m, err := openMain(ctx, *cfg, stderr, true)
			if err != nil {
				return err
			}
			defer m.Close()
			counts, err := m.DB.Counts(ctx)
			if err != nil {
				return err
			}
			if counts.Providers > 0 || counts.Candidates > 0 {
				switch {
				case ifEmpty:
					fmt.Fprintf(stdout, "the database already holds data (%d candidates, %d employers): not seeding\n", counts.Candidates, counts.Employers)
					if err := printLogins(ctx, stdout, m.DB); err != nil {
						return err
					}
					return m.Close()
				case !reset:
					return fmt.Errorf("the database already holds data (%d candidates); use --reset to replace it or --if-empty to keep it", counts.Candidates)
				}
				if err := m.DB.Reset(ctx); err != nil {
					return err
				}
				fmt.Fprintln(stdout, "removed the existing data")
			}
			g, err := seed.New(seed.Options{Seed: seedValue, Candidates: candidates, Employers: employers, AsOf: day})
			if err != nil {
				return err
			}
			// A fixed clock makes every timestamp repeatable.
			clock := day.Add(8 * time.Hour)
			m.DB.Now = func() time.Time { return clock }
			lo := seed.LoadOptions{EmployerUsers: 5, JobseekerUsers: 5}
			if stderrIsTerminal() || candidates >= 50_000 {
				lo.Progress = stderr
			}
			sum, err := seed.Load(ctx, m.DB, g, lo)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "seeded %d providers, %d employers, %d vacancies, %d candidates and %d accounts in %s (%.0f candidates/s)\n",
				sum.Providers, sum.Employers, sum.Vacancies, sum.Candidates, sum.Users, sum.Elapsed.Round(time.Millisecond), sum.CandidatesPerSecond())
			wf, err := seed.Workflow(ctx, m.DB, g, sum)
			if err != nil {
				return err
			}
			m.DB.Now = func() time.Time { return clock }
			fmt.Fprintf(stdout, "worked %d requests through the 4C/4D workflow (%s): %d candidates, %d contacts, %d shortlists, %d feedback, %d self-applications, %d time entries\n",
				wf.Requests, statusCounts(wf.ByStatus), wf.Entries, wf.Contacts, wf.Shortlists, wf.Feedback, wf.Applications, wf.TimeEntries)
			if err := printLogins(ctx, stdout, m.DB); err != nil {
				return err
			}
			return m.Close()
		},
	}
	f := cmd.Flags()
	f.Uint64Var(&seedValue, "seed", 1, "random seed: the same seed and date give the same data")
	f.IntVar(&candidates, "candidates", 5000, "number of candidates (100 to 1,000,000 and more)")
	f.IntVar(&employers, "employers", 0, "number of employers (0: one per 400 candidates, at least 30)")
	f.StringVar(&asOf, "as-of", "", "the day the data are generated for, YYYY-MM-DD (default today)")
	f.BoolVar(&ifEmpty, "if-empty", false, "do nothing when the database already holds data")
	f.BoolVar(&reset, "reset", false, "delete all existing data first")
	return cmd
}

// printLogins prints the demo accounts that the seed makes, as found in
// the database.
func printLogins(ctx context.Context, w io.Writer, db *store.DB) error {
	fmt.Fprintf(w, "demo accounts (password %s):\n", seed.DemoPassword)
	for _, want := range []struct {
		role  matching.Role
		label string
	}{{matching.RoleAdmin, "admin"}, {matching.RoleMonitor, "monitoring"}, {matching.RoleOperator, "operator"},
		{matching.RoleEmployer, "employer"}, {matching.RoleJobseeker, "jobseeker"}} {
		users, _, err := db.Users(ctx, store.UserFilter{Role: want.role, Limit: 500})
		if err != nil {
			return err
		}
		if len(users) == 0 {
			continue
		}
		// Staff first by e-mail; an employer's and a jobseeker's account the
		// first the seed made, which its workflow gives the most to show (a
		// presented shortlist, availability questions waiting for an answer).
		u := users[0]
		if want.role == matching.RoleEmployer || want.role == matching.RoleJobseeker {
			u = slices.MinFunc(users, func(a, b matching.User) int { return cmp.Compare(a.ID, b.ID) })
		}
		fmt.Fprintf(w, "  %-11s %s (%s)\n", want.label, u.Email, u.Name)
	}
	return nil
}

func newVersionCommand(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintln(stdout, "incontro", version)
			return nil
		},
	}
}

// statusCounts renders how many requests stand in each state, in life-cycle order.
func statusCounts(by map[matching.RequestStatus]int) string {
	var parts []string
	for _, st := range matching.RequestStatuses() {
		if n := by[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	return strings.Join(parts, ", ")
}
