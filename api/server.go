// Package api is the HTTP adapter of incontro: an echo server with request
// ids, structured request logs, Prometheus metrics, health and readiness
// probes, the server-rendered pages of package ui, and the single place where
// the coded errors of package matching become HTTP statuses.
package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"incontro/index"
	"incontro/matcher"
	"incontro/matching"
	"incontro/store"
	"incontro/ui"
)

// Session lifetimes unless Config sets others: a session ends after two
// hours unused, and twelve hours after sign-in in any case.
const (
	SessionIdleDefault = 2 * time.Hour
	SessionMaxDefault  = 12 * time.Hour
)

// DefaultCheckTimeout bounds each readiness check when Config.CheckTimeout is zero.
const DefaultCheckTimeout = 2 * time.Second

// Check is a named readiness check run by GET /readyz.
type Check struct {
	Name string
	Func func(ctx context.Context) error
}

// Config configures a Server.
type Config struct {
	// Logger receives request logs and internal errors; nil discards them.
	Logger *slog.Logger
	// Registry receives the HTTP, Go and process metrics and is served on
	// /metrics; nil means a fresh registry. It must not already hold Go or
	// process collectors.
	Registry *prometheus.Registry
	// Checks are run by /readyz; names must be unique and non-empty.
	Checks []Check
	// CheckTimeout bounds each check; zero means DefaultCheckTimeout.
	CheckTimeout time.Duration
	// Version is shown in the page footer and exported as incontro_build_info.
	Version string
	// Home returns the live figures of the home page; nil or an error shows
	// the page without figures.
	Home func(ctx context.Context) (ui.Figures, error)
	// Store is the system of record; nil serves only the probes and pages
	// that need no data (for tests of the server's plumbing).
	Store *store.DB
	// Now is the clock of sessions and rate limits; nil means time.Now.
	Now func() time.Time
	// Dev marks a development server: the demo accounts' shared password
	// works from anywhere and e-mail links are logged.
	Dev bool
	// SessionIdle ends a session unused this long (default 2 h);
	// SessionMax ends any session this long after sign-in (default 12 h).
	SessionIdle, SessionMax time.Duration
	// Index is the CV index searched by staff; nil makes the search answer
	// 503 (a server without an index, e.g. for tests of other surfaces).
	Index *index.Index
}

// Server is the HTTP server of incontro.
type Server struct {
	echo     *echo.Echo
	http     *http.Server
	logger   *slog.Logger
	renderer *ui.Renderer
	registry *prometheus.Registry
	metrics  *httpMetrics
	checks   []Check
	timeout  time.Duration
	version  string
	home     func(ctx context.Context) (ui.Figures, error)

	store       *store.DB
	clock       func() time.Time
	dev         bool
	sessionIdle time.Duration
	sessionMax  time.Duration
	rules       []RouteRule
	guard       *loginGuard
	index       *index.Index
	matcher     *matcher.Matcher
}

// New builds the server, its middleware and its routes; it fails when the
// templates do not parse, a check is malformed or metrics cannot be registered.
func New(cfg Config) (*Server, error) {
	s := &Server{
		logger:   cfg.Logger,
		registry: cfg.Registry,
		timeout:  cfg.CheckTimeout,
		version:  cfg.Version,
		home:     cfg.Home,

		store:       cfg.Store,
		clock:       cfg.Now,
		dev:         cfg.Dev,
		sessionIdle: cfg.SessionIdle,
		sessionMax:  cfg.SessionMax,
		guard:       newLoginGuard(),
		index:       cfg.Index,
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.store != nil && s.index != nil {
		s.matcher = matcher.New(s.store, s.index)
	}
	if s.sessionIdle <= 0 {
		s.sessionIdle = SessionIdleDefault
	}
	if s.sessionMax <= 0 {
		s.sessionMax = SessionMaxDefault
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.registry == nil {
		s.registry = prometheus.NewRegistry()
	}
	if s.timeout <= 0 {
		s.timeout = DefaultCheckTimeout
	}
	seen := make(map[string]bool, len(cfg.Checks))
	for _, c := range cfg.Checks {
		switch {
		case c.Name == "":
			return nil, errors.New("api: readiness check without a name")
		case c.Func == nil:
			return nil, fmt.Errorf("api: readiness check %q without a function", c.Name)
		case seen[c.Name]:
			return nil, fmt.Errorf("api: duplicate readiness check %q", c.Name)
		}
		seen[c.Name] = true
	}
	s.checks = append([]Check(nil), cfg.Checks...)

	r, err := ui.New()
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	s.renderer = r
	if !r.AssetsPresent() {
		s.logger.Warn("the Bootstrap Italia assets are missing from this build: the pages fall back to plain styles; build with `make build` (or run `make assets` before `go build`)",
			"asset", "ui/static/"+ui.VendorStylesheet)
	}

	s.metrics = newHTTPMetrics()
	buildInfo := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "incontro_build_info",
		Help: "Always 1; the version label names the running build.",
	}, []string{"version"})
	buildInfo.WithLabelValues(cfg.Version).Set(1)
	for _, c := range []prometheus.Collector{
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		s.metrics.duration,
		s.metrics.requests,
		buildInfo,
	} {
		if err := s.registry.Register(c); err != nil {
			return nil, fmt.Errorf("api: register metrics: %w", err)
		}
	}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.Renderer = echoRenderer{s.renderer}
	// Client addresses (rate limits, audit) are the peer's: headers such as
	// X-Forwarded-For are anyone's to set. A deployment behind a proxy
	// configures the trusted range here.
	e.IPExtractor = echo.ExtractIPDirect()
	e.Use(s.requestID, s.observe, s.recoverPanics)

	e.Use(s.authenticate)
	if err := s.register(e, s.routes()); err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	s.echo = e

	s.http = &http.Server{
		Handler:           e,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// now returns the server clock's time, in UTC to the microsecond as the
// database keeps it.
func (s *Server) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// errorLog adapts the logger for net/http and promhttp.
func (s *Server) errorLog() *log.Logger {
	return slog.NewLogLogger(s.logger.Handler(), slog.LevelError)
}

// Handler returns the server as an http.Handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.echo }

// Echo returns the underlying echo instance, to add route groups.
func (s *Server) Echo() *echo.Echo { return s.echo }

// Serve accepts connections on ln until Shutdown; it returns nil after a
// graceful shutdown and the listener's error otherwise.
func (s *Server) Serve(ln net.Listener) error {
	if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting connections and waits, until ctx is done, for the
// requests in flight to finish.
func (s *Server) Shutdown(ctx context.Context) error {
	return s.http.Shutdown(ctx)
}

// render writes the page name with data and the given status, or returns the
// rendering error without writing anything.
func (s *Server) render(c echo.Context, status int, name string, data any) error {
	var buf bytes.Buffer
	if err := s.renderer.Render(&buf, name, data); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// echoRenderer lets handlers use c.Render with the pages of package ui.
type echoRenderer struct{ r *ui.Renderer }

// Render implements echo.Renderer.
func (er echoRenderer) Render(w io.Writer, name string, data any, _ echo.Context) error {
	return er.r.Render(w, name, data)
}

// homePage serves GET /: what incontro is and its live figures.
func (s *Server) homePage(c echo.Context) error {
	data := ui.HomeData{Page: s.Page(c, "home.title")}
	if s.home != nil {
		f, err := s.home(c.Request().Context())
		if err != nil {
			// The page stays useful without figures (it links the probes);
			// the failure is logged like an internal error.
			s.logInternal(c, err)
		} else {
			data.Figures = &f
		}
	}
	return s.render(c, http.StatusOK, "home", data)
}

// static serves GET /static/* from the embedded assets, files only.
func (s *Server) static(c echo.Context) error {
	name := c.Param("*")
	fsys := ui.StaticFS()
	if !fs.ValidPath(name) || name == "." {
		return matching.Errorf(matching.ENOTFOUND, "asset not found")
	}
	fi, err := fs.Stat(fsys, name)
	if err != nil || fi.IsDir() {
		return matching.Errorf(matching.ENOTFOUND, "asset not found")
	}
	http.ServeFileFS(c.Response(), c.Request(), fsys, name)
	return nil
}
