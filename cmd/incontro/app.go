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

	cluster  *pgcluster.Cluster
	server   *api.Server
	ln       net.Listener
	serveErr chan error
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

// OpenDatabase connects to DATABASE_URL or, when it is unset, starts (or
// reuses) the private cluster in the data directory.
func (m *Main) OpenDatabase(ctx context.Context) error {
	url := m.Config.DatabaseURL
	if url == "" {
		dir, err := filepath.Abs(filepath.Join(m.Config.DataDir, "pg"))
		if err != nil {
			return err
		}
		c, err := pgcluster.Start(ctx, dir, m.Logger)
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
	ix, err := index.Open(filepath.Join(m.Config.DataDir, "index"))
	if err != nil {
		return err
	}
	m.Index = ix
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

// stderrIsTerminal reports whether progress bars make sense.
func stderrIsTerminal() bool {
	fi, err := os.Stderr.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
