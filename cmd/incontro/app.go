package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"incontro/api"
	"incontro/index"
	"incontro/store"
	"incontro/store/pgcluster"
	"incontro/ui"
)

// databaseName is the database incontro uses inside its private cluster.
const databaseName = "incontro"

// Main wires incontro together. End-to-end tests start it as the command
// does, listening on 127.0.0.1:0.
type Main struct {
	Config  Config
	Logger  *slog.Logger
	Version string

	DB    *store.DB
	Index *index.Index

	indexer     *index.Indexer
	stopIndexer context.CancelFunc
	indexerDone chan struct{}
	// housekeepingDone is closed when the housekeeping loop has returned.
	housekeepingDone chan struct{}
	cluster          *pgcluster.Cluster
	server           *api.Server
	ln               net.Listener
	serveErr         chan error
}

// NewMain returns a Main for a validated configuration, logging to w.
func NewMain(cfg Config, w io.Writer) (*Main, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	level, _ := parseLevel(cfg.LogLevel)
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return &Main{Config: cfg, Logger: slog.New(h), Version: version}, nil
}

// openMain makes a Main with its database open, and migrated when migrate
// is set: what every command but serve starts with. The caller closes it.
func openMain(ctx context.Context, cfg Config, logTo io.Writer, migrate bool) (*Main, error) {
	m, err := NewMain(cfg, logTo)
	if err != nil {
		return nil, err
	}
	if err := m.OpenDatabase(ctx); err != nil {
		m.Close()
		return nil, err
	}
	if migrate {
		if err := m.Migrate(ctx); err != nil {
			m.Close()
			return nil, err
		}
	}
	return m, nil
}

// OpenDatabase connects to DATABASE_URL or, when it is unset, starts (or
// reuses) the private cluster in the data directory.
func (m *Main) OpenDatabase(ctx context.Context) error {
	url := m.Config.DatabaseURL
	if url == "" {
		dir, err := filepath.Abs(filepath.Join(m.Config.DataDir, "pg"))
		if err != nil {
			return err
		}
		c, err := pgcluster.Start(ctx, dir, m.Logger, pgcluster.WithSharedBuffers("256MB"))
		if err != nil {
			return fmt.Errorf("private PostgreSQL in %s: %w", dir, err)
		}
		m.cluster = c
		if err := c.EnsureDatabase(ctx, databaseName); err != nil {
			return err
		}
		url = c.URL(databaseName)
		m.Logger.Info("private PostgreSQL cluster", "dir", dir, "started_here", c.Started())
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	if db.Workflow, err = m.Config.Workflow(); err != nil {
		db.Close()
		return err
	}
	m.DB = db
	return nil
}

// Migrate applies pending migrations and logs what it applied.
func (m *Main) Migrate(ctx context.Context) error {
	applied, err := m.DB.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		m.Logger.Info("migrations applied", "versions", applied)
	}
	return nil
}

// Start opens the database (migrating it) and the index, and serves HTTP on
// the configured address until Close.
func (m *Main) Start(ctx context.Context) error {
	if err := m.OpenDatabase(ctx); err != nil {
		return err
	}
	if err := m.Migrate(ctx); err != nil {
		return err
	}
	if err := m.OpenIndex(); err != nil {
		return err
	}
	// An index that is new, of an old mapping or behind the pruned outbox is
	// rebuilt before serving: a replica with an incomplete index must not
	// answer searches.
	why, err := m.indexer.NeedsRebuild(ctx)
	if err != nil {
		return err
	}
	if why != "" {
		m.Logger.Info("rebuilding the index before serving", "why", why)
		if _, _, err := m.rebuildIndex(ctx, nil); err != nil {
			return err
		}
	}
	// The indexer and the control socket live until Close.
	bg, cancel := context.WithCancel(context.Background())
	m.stopIndexer = cancel
	m.indexerDone = make(chan struct{})
	go func() {
		defer close(m.indexerDone)
		if err := m.indexer.Run(bg); err != nil {
			m.Logger.Error("index sync stopped", "error", err.Error())
		}
	}()
	if err := m.serveControl(bg); err != nil {
		return err
	}
	m.housekeepingDone = make(chan struct{})
	go func() {
		defer close(m.housekeepingDone)
		m.housekeeping(bg, m.DB)
	}()
	srv, err := api.New(api.Config{
		Logger:   m.Logger,
		Registry: prometheus.NewRegistry(),
		Version:  m.Version,
		Checks: []api.Check{
			{Name: "database", Func: m.DB.Ping},
			{Name: "schema", Func: m.DB.SchemaCurrent},
			{Name: "index", Func: func(context.Context) error { return m.Index.Ready() }},
		},
		Home:  m.figures,
		Store: m.DB,
		Index: m.Index,
		Dev:   m.Config.Dev,
	})
	if err != nil {
		return err
	}
	m.server = srv
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (INCONTRO_ADDR): %w", m.Config.Addr, err)
	}
	m.ln = ln
	m.serveErr = make(chan error, 1)
	go func() { m.serveErr <- srv.Serve(ln) }()
	m.Logger.Info("serving", "url", m.URL(), "version", m.Version)
	return nil
}

// OpenIndex opens the CV index in the data directory and prepares its
// indexer (which Start runs).
func (m *Main) OpenIndex() error {
	ix, err := index.Open(filepath.Join(m.Config.DataDir, "index"))
	if err != nil {
		return err
	}
	m.Index = ix
	m.indexer = index.NewIndexer(ix, m.DB, m.Logger)
	return nil
}

// rebuildIndex rebuilds the CV index from PostgreSQL and swaps it in,
// returning how many documents it holds and how long it took.
func (m *Main) rebuildIndex(ctx context.Context, progress func(done int)) (uint64, time.Duration, error) {
	start := time.Now()
	if err := m.indexer.Rebuild(ctx, progress); err != nil {
		return 0, 0, fmt.Errorf("rebuild the index: %w", err)
	}
	took := time.Since(start)
	n, _ := m.Index.DocCount()
	m.Logger.Info("index rebuilt", "documents", n, "took", took.Round(time.Millisecond))
	return n, took, nil
}

// URL returns the base URL the server listens on.
func (m *Main) URL() string {
	if m.ln == nil {
		return ""
	}
	return "http://" + m.ln.Addr().String()
}

// Wait blocks until ctx ends or the server fails.
func (m *Main) Wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case err := <-m.serveErr:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

// Close stops serving (letting requests in flight finish), closes the
// index and the database, and stops the private cluster if it started it.
// Calling it again does nothing.
func (m *Main) Close() error {
	var errs []error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		errs = append(errs, m.server.Shutdown(ctx))
		cancel()
		m.server = nil
	}
	if m.stopIndexer != nil {
		// One cancel stops the indexer, the control socket and the
		// housekeeping; both loops are waited for before the database
		// they use is closed.
		m.stopIndexer()
		<-m.indexerDone
		if m.housekeepingDone != nil {
			<-m.housekeepingDone
			m.housekeepingDone = nil
		}
		m.stopIndexer = nil
	}
	if m.Index != nil {
		errs = append(errs, m.Index.Close())
		m.Index = nil
	}
	if m.DB != nil {
		errs = append(errs, m.DB.Close())
		m.DB = nil
	}
	if m.cluster != nil {
		if m.cluster.Started() {
			m.Logger.Info("stopping private PostgreSQL cluster")
			errs = append(errs, m.cluster.Stop())
		}
		m.cluster = nil
	}
	return errors.Join(errs...)
}

// figures are the live counts on the home page.
func (m *Main) figures(ctx context.Context) (ui.Figures, error) {
	c, err := m.DB.Counts(ctx)
	if err != nil {
		return ui.Figures{}, err
	}
	return ui.Figures{
		Providers: c.Providers, Operators: c.Operators, Employers: c.Employers, Candidates: c.Candidates,
		OpenVacancies: c.OpenVacancies, RequestsInProgress: c.RequestsInProgress,
	}, nil
}

// Retention of what the housekeeping prunes.
const (
	outboxRetention       = 7 * 24 * time.Hour
	loginFailureRetention = 24 * time.Hour
	housekeepingEvery     = time.Hour
)

// housekeeping prunes, every hour until ctx ends, the outbox rows every
// replica has had a week to read, old log-in failures and expired sessions.
// Several replicas may do it at once: each statement is idempotent.
func (m *Main) housekeeping(ctx context.Context, db *store.DB) {
	for {
		now := time.Now()
		if n, err := db.PruneOutbox(ctx, now.Add(-outboxRetention)); err != nil && ctx.Err() == nil {
			m.Logger.Error("prune outbox", "error", err.Error())
		} else if n > 0 {
			m.Logger.Info("pruned outbox", "rows", n)
		}
		if _, err := db.PruneLoginFailures(ctx, now.Add(-loginFailureRetention)); err != nil && ctx.Err() == nil {
			m.Logger.Error("prune log-in failures", "error", err.Error())
		}
		if _, err := db.DeleteExpiredSessions(ctx, now.Add(-api.SessionIdleDefault), now); err != nil && ctx.Err() == nil {
			m.Logger.Error("delete expired sessions", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(housekeepingEvery):
		}
	}
}

// stderrIsTerminal reports whether progress bars make sense.
func stderrIsTerminal() bool {
	fi, err := os.Stderr.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
