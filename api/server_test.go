package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"incontro/api"
	"incontro/matching"
	"incontro/ui"
)

// logBuffer collects the server's JSON log lines; it is safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// records returns the decoded log records.
func (b *logBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for line := range strings.Lines(b.buf.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %v: %q", err, line)
		}
		out = append(out, m)
	}
	return out
}

// find returns the records with the given message.
func (b *logBuffer) find(t *testing.T, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range b.records(t) {
		if r["msg"] == msg {
			out = append(out, r)
		}
	}
	return out
}

// newServer builds a server with a debug-level JSON logger into the returned buffer.
func newServer(t *testing.T, cfg api.Config) (*api.Server, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	cfg.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	if cfg.Version == "" {
		cfg.Version = "test-1.0"
	}
	s, err := api.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, logs
}

// do serves one request and returns the recorded response.
func do(t *testing.T, h http.Handler, method, target string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decodeError decodes a JSON error body.
func decodeError(t *testing.T, rec *httptest.ResponseRecorder) api.ErrorDetail {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want JSON; body %s", ct, rec.Body)
	}
	var body api.ErrorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("decode error body: %v: %s", err, rec.Body)
	}
	return body.Error
}

func TestHealthz(t *testing.T) {
	s, _ := newServer(t, api.Config{Checks: []api.Check{{Name: "database", Func: func(context.Context) error {
		return errors.New("down")
	}}}})
	rec := do(t, s.Handler(), http.MethodGet, "/healthz", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200", rec.Code)
	}
	var body api.HealthStatus
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Status != "ok" {
		t.Fatalf("body = %s (%v), want status ok", rec.Body, err)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
}

func TestReadyz(t *testing.T) {
	ok := func(context.Context) error { return nil }
	tests := []struct {
		name       string
		checks     []api.Check
		wantStatus int
		wantBody   string
		wantChecks map[string]string // "" matches any non-ok answer
		contains   map[string]string // substrings of the failures' logged detail
	}{
		{
			name:       "no checks",
			wantStatus: http.StatusOK,
			wantBody:   "ready",
			wantChecks: map[string]string{},
		},
		{
			name: "all pass",
			checks: []api.Check{
				{Name: "database", Func: ok},
				{Name: "schema", Func: ok},
				{Name: "index", Func: ok},
			},
			wantStatus: http.StatusOK,
			wantBody:   "ready",
			wantChecks: map[string]string{"database": "ok", "schema": "ok", "index": "ok"},
		},
		{
			name: "one fails",
			checks: []api.Check{
				{Name: "database", Func: ok},
				{Name: "schema", Func: func(context.Context) error { return errors.New("schema at version 3, want 5") }},
				{Name: "index", Func: ok},
			},
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   "not_ready",
			wantChecks: map[string]string{"database": "ok", "schema": "failed", "index": "ok"},
			contains:   map[string]string{"schema": "schema at version 3, want 5"},
		},
		{
			name: "check ignoring its context times out",
			checks: []api.Check{
				{Name: "database", Func: ok},
				{Name: "index", Func: func(context.Context) error { time.Sleep(2 * time.Second); return nil }},
			},
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   "not_ready",
			wantChecks: map[string]string{"database": "ok", "index": ""},
			contains:   map[string]string{"index": "timed out after 50ms"},
		},
		{
			name: "check honouring its context",
			checks: []api.Check{
				{Name: "database", Func: func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }},
			},
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   "not_ready",
			wantChecks: map[string]string{"database": ""},
			contains:   map[string]string{"database": "deadline exceeded"},
		},
		{
			name: "panicking check fails",
			checks: []api.Check{
				{Name: "index", Func: func(context.Context) error { panic("index not open") }},
			},
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   "not_ready",
			wantChecks: map[string]string{"index": "failed"},
			contains:   map[string]string{"index": "panic: index not open"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, logs := newServer(t, api.Config{Checks: tt.checks, CheckTimeout: 50 * time.Millisecond})
			start := time.Now()
			rec := do(t, s.Handler(), http.MethodGet, "/readyz", nil)
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("readyz took %s, checks must be bounded", elapsed)
			}
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.wantStatus, rec.Body)
			}
			var body api.ReadyStatus
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("decode: %v: %s", err, rec.Body)
			}
			if body.Status != tt.wantBody {
				t.Errorf("status field = %q, want %q", body.Status, tt.wantBody)
			}
			if len(body.Checks) != len(tt.wantChecks) {
				t.Errorf("checks = %v, want %v", body.Checks, tt.wantChecks)
			}
			for name, want := range tt.wantChecks {
				got, ok := body.Checks[name]
				switch {
				case !ok:
					t.Errorf("check %q missing from %v", name, body.Checks)
				case want == "" && (got == "ok" || got == ""):
					t.Errorf("check %q = %q, want a failure message", name, got)
				case want != "" && got != want:
					t.Errorf("check %q = %q, want %q", name, got, want)
				}
			}
			// The public answer says only "failed"; the detail is in the log.
			for name, sub := range tt.contains {
				if body.Checks[name] != "failed" {
					t.Errorf("check %q answers %q, want only \"failed\"", name, body.Checks[name])
				}
				found := false
				for _, rec := range logs.find(t, "readiness check failed") {
					if rec["check"] == name && strings.Contains(fmt.Sprint(rec["error"]), sub) {
						found = true
					}
				}
				if !found {
					t.Errorf("no logged failure of %q containing %q", name, sub)
				}
			}
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	ok := func(context.Context) error { return nil }
	tests := []struct {
		name   string
		checks []api.Check
	}{
		{"unnamed check", []api.Check{{Func: ok}}},
		{"check without function", []api.Check{{Name: "database"}}},
		{"duplicate check", []api.Check{{Name: "database", Func: ok}, {Name: "database", Func: ok}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := api.New(api.Config{Registry: prometheus.NewRegistry(), Checks: tt.checks}); err == nil {
				t.Fatal("New succeeded, want an error")
			}
		})
	}
	t.Run("registry reused", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		if _, err := api.New(api.Config{Registry: reg}); err != nil {
			t.Fatalf("first New: %v", err)
		}
		if _, err := api.New(api.Config{Registry: reg}); err == nil {
			t.Fatal("second New on the same registry succeeded, want an error")
		}
	})
	t.Run("nil logger and registry", func(t *testing.T) {
		s, err := api.New(api.Config{})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		if rec := do(t, s.Handler(), http.MethodGet, "/healthz", nil); rec.Code != http.StatusOK {
			t.Fatalf("status = %d, want 200", rec.Code)
		}
	})
}

func TestMetrics(t *testing.T) {
	w := newWorld(t)
	w.srv.Echo().GET("/api/v1/items/:id", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"id": c.Param("id")})
	})
	anon := w.newClient()
	anon.do(http.MethodGet, "/healthz", nil)
	anon.do(http.MethodGet, "/api/v1/items/1", nil)
	anon.do(http.MethodGet, "/api/v1/items/2", nil)
	anon.do(http.MethodGet, "/api/v1/nope", nil)
	anon.do(http.MethodGet, "/some/random/page", nil)
	anon.do("BREW", "/healthz", nil)

	if status, _ := anon.do(http.MethodGet, "/metrics", nil); status != http.StatusUnauthorized {
		t.Fatalf("anonymous /metrics = %d, want 401", status)
	}
	if status, _ := w.signIn(employer1).do(http.MethodGet, "/metrics", nil); status != http.StatusForbidden {
		t.Fatalf("an employer's /metrics = %d, want 403", status)
	}
	status, raw := w.signIn(monitor).do(http.MethodGet, "/metrics", nil)
	if status != http.StatusOK {
		t.Fatalf("status = %d, want 200", status)
	}
	body := string(raw)
	for _, want := range []string{
		"# TYPE incontro_http_request_duration_seconds histogram",
		`incontro_http_request_duration_seconds_count{method="GET",route="/healthz",status_class="2xx"} 1`,
		`incontro_http_request_duration_seconds_count{method="GET",route="/api/v1/items/:id",status_class="2xx"} 2`,
		`incontro_http_requests_total{method="GET",route="/api/v1/items/:id",status="200"} 2`,
		`incontro_http_requests_total{method="GET",route="unknown",status="404"} 2`,
		`incontro_http_requests_total{method="OTHER",route="unknown",status="405"} 1`,
		`incontro_build_info{version="test"} 1`,
		"go_goroutines",
		"process_start_time_seconds",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	for _, raw := range []string{"/api/v1/items/1", "/api/v1/nope", "/some/random/page"} {
		if strings.Contains(body, `"`+raw+`"`) {
			t.Errorf("/metrics uses the raw path %q as a label", raw)
		}
	}
}

func TestUnknownRoutes(t *testing.T) {
	s, _ := newServer(t, api.Config{})
	s.Echo().GET("/api/v1/things", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
	tests := []struct {
		name       string
		method     string
		target     string
		accept     string
		wantStatus int
		wantJSON   bool
		wantCode   string
		wantText   []string
	}{
		{
			name: "unknown api route", method: http.MethodGet, target: "/api/v1/nope",
			wantStatus: http.StatusNotFound, wantJSON: true, wantCode: matching.ENOTFOUND,
		},
		{
			name: "api root", method: http.MethodGet, target: "/api",
			wantStatus: http.StatusNotFound, wantJSON: true, wantCode: matching.ENOTFOUND,
		},
		{
			name: "unknown page", method: http.MethodGet, target: "/pagina/che/non/esiste",
			accept:     "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
			wantStatus: http.StatusNotFound,
			wantText:   []string{`<html lang="it">`, "<h1>Pagina non trovata</h1>", "La pagina richiesta non esiste"},
		},
		{
			name: "unknown page without Accept", method: http.MethodGet, target: "/nope",
			wantStatus: http.StatusNotFound,
			wantText:   []string{"Pagina non trovata"},
		},
		{
			name: "unknown page asked as JSON", method: http.MethodGet, target: "/nope",
			accept:     "application/json, text/plain, */*",
			wantStatus: http.StatusNotFound, wantJSON: true, wantCode: matching.ENOTFOUND,
		},
		{
			name: "wrong method on api route", method: http.MethodPost, target: "/api/v1/things",
			wantStatus: http.StatusMethodNotAllowed, wantJSON: true, wantCode: matching.EINVALID,
		},
		{
			name: "wrong method on page", method: http.MethodPost, target: "/healthz",
			wantStatus: http.StatusMethodNotAllowed,
			wantText:   []string{"Metodo non consentito"},
		},
		{
			name: "missing asset", method: http.MethodGet, target: "/static/nope.css",
			wantStatus: http.StatusNotFound,
			wantText:   []string{"Pagina non trovata"},
		},
		{
			name: "asset directory", method: http.MethodGet, target: "/static/",
			wantStatus: http.StatusNotFound,
			wantText:   []string{"Pagina non trovata"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.accept != "" {
				h.Set("Accept", tt.accept)
			}
			rec := do(t, s.Handler(), tt.method, tt.target, h)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantJSON {
				e := decodeError(t, rec)
				if e.Code != tt.wantCode {
					t.Errorf("code = %q, want %q", e.Code, tt.wantCode)
				}
				if e.Message == "" {
					t.Error("empty message")
				}
				if e.RequestID == "" || e.RequestID != rec.Header().Get("X-Request-ID") {
					t.Errorf("request_id = %q, header %q", e.RequestID, rec.Header().Get("X-Request-ID"))
				}
				return
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type = %q, want HTML", ct)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(rec.Body.String(), w) {
					t.Errorf("page lacks %q:\n%s", w, rec.Body)
				}
			}
		})
	}
	t.Run("405 names the allowed methods", func(t *testing.T) {
		rec := do(t, s.Handler(), http.MethodDelete, "/api/v1/things", nil)
		if allow := rec.Header().Get("Allow"); !strings.Contains(allow, http.MethodGet) {
			t.Errorf("Allow = %q, want it to list GET", allow)
		}
	})
	t.Run("HEAD gets no body", func(t *testing.T) {
		rec := do(t, s.Handler(), http.MethodHead, "/nope", nil)
		if rec.Code != http.StatusNotFound || rec.Body.Len() != 0 {
			t.Errorf("status %d, %d body bytes; want 404 and no body", rec.Code, rec.Body.Len())
		}
	})
}

func TestErrorMapping(t *testing.T) {
	const secret = "pq: password authentication failed for user incontro"
	tests := []struct {
		name        string
		err         error
		wantStatus  int
		wantCode    string
		wantMessage string
		wantField   string
		wantTitle   string
		wantHTML    string
		logged      bool
	}{
		{
			name:       "invalid",
			err:        &matching.Error{Code: matching.EINVALID, Field: "vat_number", Message: "partita IVA non valida"},
			wantStatus: http.StatusUnprocessableEntity, wantCode: matching.EINVALID,
			wantMessage: "partita IVA non valida", wantField: "vat_number", wantTitle: "Richiesta non valida",
			wantHTML: "partita IVA non valida",
		},
		{
			name:       "not found",
			err:        matching.Errorf(matching.ENOTFOUND, "offerta di lavoro %d non trovata", 42),
			wantStatus: http.StatusNotFound, wantCode: matching.ENOTFOUND,
			wantMessage: "offerta di lavoro 42 non trovata", wantTitle: "Pagina non trovata",
			wantHTML: "offerta di lavoro 42 non trovata",
		},
		{
			name:       "conflict",
			err:        matching.Errorf(matching.ECONFLICT, "datore di lavoro già registrato"),
			wantStatus: http.StatusConflict, wantCode: matching.ECONFLICT,
			wantMessage: "datore di lavoro già registrato", wantTitle: "Conflitto",
			wantHTML: "datore di lavoro già registrato",
		},
		{
			name:       "unauthorized",
			err:        matching.Errorf(matching.EUNAUTHORIZED, "sessione scaduta"),
			wantStatus: http.StatusUnauthorized, wantCode: matching.EUNAUTHORIZED,
			wantMessage: "sessione scaduta", wantTitle: "Accesso richiesto",
			// A page answers with the log-in form, which comes back here.
			wantHTML: `<input type="hidden" name="next" value="/fail">`,
		},
		{
			name:       "forbidden",
			err:        matching.Errorf(matching.EFORBIDDEN, "operazione riservata agli operatori"),
			wantStatus: http.StatusForbidden, wantCode: matching.EFORBIDDEN,
			wantMessage: "operazione riservata agli operatori", wantTitle: "Accesso negato",
			wantHTML: "operazione riservata agli operatori",
		},
		{
			name:       "wrapped coded error",
			err:        errors.Join(errors.New("context"), matching.FieldErrorf("email", "indirizzo email non valido")),
			wantStatus: http.StatusUnprocessableEntity, wantCode: matching.EINVALID,
			wantMessage: "indirizzo email non valido", wantField: "email", wantTitle: "Richiesta non valida",
			wantHTML: "indirizzo email non valido",
		},
		{
			name:       "internal",
			err:        &matching.Error{Code: matching.EINTERNAL, Message: secret, Err: errors.New("dial tcp 10.0.0.5:5432")},
			wantStatus: http.StatusInternalServerError, wantCode: matching.EINTERNAL,
			wantMessage: "internal error", wantTitle: "Errore interno", logged: true,
			wantHTML: "Si è verificato un errore imprevisto.",
		},
		{
			name:       "plain error",
			err:        errors.New(secret),
			wantStatus: http.StatusInternalServerError, wantCode: matching.EINTERNAL,
			wantMessage: "internal error", wantTitle: "Errore interno", logged: true,
			wantHTML: "Si è verificato un errore imprevisto.",
		},
		{
			name:       "unknown code",
			err:        &matching.Error{Code: "bogus", Message: secret},
			wantStatus: http.StatusInternalServerError, wantCode: matching.EINTERNAL,
			wantMessage: "internal error", wantTitle: "Errore interno", logged: true,
			wantHTML: "Si è verificato un errore imprevisto.",
		},
		{
			name:       "echo bad request",
			err:        echo.NewHTTPError(http.StatusBadRequest, "malformed body"),
			wantStatus: http.StatusBadRequest, wantCode: matching.EINVALID,
			wantMessage: "malformed body", wantTitle: "Richiesta non valida",
			wantHTML: "La richiesta non è valida.",
		},
		{
			name:       "echo service unavailable",
			err:        echo.NewHTTPError(http.StatusServiceUnavailable, secret),
			wantStatus: http.StatusServiceUnavailable, wantCode: matching.EINTERNAL,
			wantMessage: "internal error", wantTitle: "Errore interno", logged: true,
			wantHTML: "Si è verificato un errore imprevisto.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, logs := newServer(t, api.Config{})
			handler := func(echo.Context) error { return tt.err }
			s.Echo().GET("/api/v1/fail", handler)
			s.Echo().GET("/fail", handler)

			t.Run("json", func(t *testing.T) {
				rec := do(t, s.Handler(), http.MethodGet, "/api/v1/fail", nil)
				if rec.Code != tt.wantStatus {
					t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.wantStatus, rec.Body)
				}
				e := decodeError(t, rec)
				if e.Code != tt.wantCode || e.Message != tt.wantMessage || e.Field != tt.wantField {
					t.Errorf("error = %+v, want code %q message %q field %q", e, tt.wantCode, tt.wantMessage, tt.wantField)
				}
				rid := rec.Header().Get("X-Request-ID")
				if rid == "" || e.RequestID != rid {
					t.Errorf("request_id = %q, header %q", e.RequestID, rid)
				}
				if strings.Contains(rec.Body.String(), "password") || strings.Contains(rec.Body.String(), "10.0.0.5") {
					t.Errorf("internal detail leaked: %s", rec.Body)
				}
				if tt.wantField == "" && strings.Contains(rec.Body.String(), `"field"`) {
					t.Errorf("empty field not omitted: %s", rec.Body)
				}
				internal := logs.find(t, "internal error")
				if !tt.logged {
					if len(internal) != 0 {
						t.Errorf("non-internal error logged: %v", internal)
					}
					return
				}
				if len(internal) != 1 {
					t.Fatalf("%d internal error records, want 1", len(internal))
				}
				if internal[0]["request_id"] != rid || internal[0]["level"] != "ERROR" {
					t.Errorf("internal error record %v, want level ERROR and request_id %q", internal[0], rid)
				}
				if msg, _ := internal[0]["error"].(string); !strings.Contains(msg, "password") {
					t.Errorf("logged error %q lacks the detail", msg)
				}
			})
			t.Run("html", func(t *testing.T) {
				rec := do(t, s.Handler(), http.MethodGet, "/fail", http.Header{"Accept": {"text/html"}})
				if rec.Code != tt.wantStatus {
					t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
				}
				body := rec.Body.String()
				if !strings.Contains(body, "<h1>"+tt.wantTitle+"</h1>") {
					t.Errorf("page lacks title %q:\n%s", tt.wantTitle, body)
				}
				if tt.logged {
					if !strings.Contains(body, rec.Header().Get("X-Request-ID")) {
						t.Errorf("internal error page lacks the request id:\n%s", body)
					}
					if strings.Contains(body, "password") {
						t.Errorf("internal detail leaked:\n%s", body)
					}
				}
				if !strings.Contains(body, tt.wantHTML) {
					t.Errorf("page lacks the message %q:\n%s", tt.wantHTML, body)
				}
			})
		})
	}
}

func TestBindError(t *testing.T) {
	s, _ := newServer(t, api.Config{})
	s.Echo().POST("/api/v1/employers", func(c echo.Context) error {
		var in struct {
			Name string `json:"name"`
		}
		if err := c.Bind(&in); err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, in)
	})
	req := httptest.NewRequest(http.MethodPost, "/api/v1/employers", strings.NewReader(`{"name":`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status = %d, want 400; body %s", rec.Code, rec.Body)
	}
	if e := decodeError(t, rec); e.Code != matching.EINVALID || e.Message == "" {
		t.Errorf("error = %+v, want code invalid with a message", e)
	}
}

func TestPanicRecovery(t *testing.T) {
	s, logs := newServer(t, api.Config{})
	s.Echo().GET("/api/v1/boom", func(echo.Context) error { panic("secret boom") })
	s.Echo().GET("/boom", func(echo.Context) error { panic(errors.New("secret boom")) })
	h := s.Handler()

	rec := do(t, h, http.MethodGet, "/api/v1/boom", nil)
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	e := decodeError(t, rec)
	if e.Code != matching.EINTERNAL || strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("body %s, want code internal without detail", rec.Body)
	}
	if e.RequestID != rec.Header().Get("X-Request-ID") {
		t.Errorf("request_id %q, header %q", e.RequestID, rec.Header().Get("X-Request-ID"))
	}

	rec = do(t, h, http.MethodGet, "/boom", nil)
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "Errore interno") {
		t.Errorf("status %d, body %s; want the 500 page", rec.Code, rec.Body)
	}

	if rec := do(t, h, http.MethodGet, "/healthz", nil); rec.Code != http.StatusOK {
		t.Fatalf("after a panic /healthz = %d, want 200", rec.Code)
	}

	internal := logs.find(t, "internal error")
	if len(internal) != 2 {
		t.Fatalf("%d internal error records, want 2", len(internal))
	}
	for _, r := range internal {
		if msg, _ := r["error"].(string); !strings.Contains(msg, "panic: secret boom") {
			t.Errorf("logged error %q lacks the panic value", msg)
		}
		if stack, _ := r["stack"].(string); !strings.Contains(stack, "server_test.go") {
			t.Errorf("logged stack does not reach the panicking handler: %.200q", stack)
		}
	}
}

func TestRequestID(t *testing.T) {
	s, logs := newServer(t, api.Config{})
	tests := []struct {
		name     string
		incoming string
		keep     bool
	}{
		{"sane id is honoured", "abc-123_DEF.4:5", true},
		{"uuid is honoured", "0f8fad5b-d9cb-469f-a165-70867728950e", true},
		{"missing id is generated", "", false},
		{"id with spaces is replaced", "hello world", false},
		{"id with markup is replaced", "<script>", false},
		{"overlong id is replaced", strings.Repeat("a", 129), false},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.incoming != "" {
				h.Set("X-Request-ID", tt.incoming)
			}
			rec := do(t, s.Handler(), http.MethodGet, "/healthz", h)
			got := rec.Header().Get("X-Request-ID")
			if tt.keep {
				if got != tt.incoming {
					t.Errorf("X-Request-ID = %q, want %q", got, tt.incoming)
				}
				return
			}
			if got == "" || got == tt.incoming {
				t.Errorf("X-Request-ID = %q, want a generated id", got)
			}
			if seen[got] {
				t.Errorf("generated id %q repeated", got)
			}
			seen[got] = true
		})
	}
	for _, r := range logs.find(t, "request") {
		if id, _ := r["request_id"].(string); id == "" {
			t.Errorf("request logged without request id: %v", r)
		}
	}
}

func TestRequestLog(t *testing.T) {
	s, logs := newServer(t, api.Config{})
	s.Echo().GET("/api/v1/items/:id", func(c echo.Context) error { return c.String(http.StatusOK, "hello") })
	h := s.Handler()
	do(t, h, http.MethodGet, "/healthz", nil)
	do(t, h, http.MethodGet, "/readyz", nil)
	do(t, h, http.MethodGet, "/metrics", nil)
	do(t, h, http.MethodGet, "/api/v1/items/7", http.Header{"X-Request-ID": {"req-7"}})
	do(t, h, http.MethodGet, "/nope", nil)

	records := logs.find(t, "request")
	if len(records) != 5 {
		t.Fatalf("%d request records, want 5", len(records))
	}
	wantLevel := map[string]string{
		"/healthz": "DEBUG", "/readyz": "DEBUG", "/metrics": "DEBUG",
		"/api/v1/items/:id": "INFO", "unknown": "INFO",
	}
	for _, r := range records {
		route, _ := r["route"].(string)
		if r["level"] != wantLevel[route] {
			t.Errorf("route %q logged at %v, want %s", route, r["level"], wantLevel[route])
		}
		for _, k := range []string{"method", "path", "route", "status", "duration", "request_id", "bytes"} {
			if _, ok := r[k]; !ok {
				t.Errorf("record %v lacks %q", r, k)
			}
		}
		if route == "/api/v1/items/:id" {
			if r["path"] != "/api/v1/items/7" || r["status"] != float64(200) || r["bytes"] != float64(5) || r["request_id"] != "req-7" {
				t.Errorf("record %v, want path /api/v1/items/7, status 200, 5 bytes, request id req-7", r)
			}
		}
		if route == "unknown" && r["status"] != float64(404) {
			t.Errorf("unknown route logged with status %v, want 404", r["status"])
		}
	}
}

func TestHomePage(t *testing.T) {
	figures := ui.Figures{Providers: 7, Operators: 41, Employers: 1520, Candidates: 23456, OpenVacancies: 312, RequestsInProgress: 18}
	tests := []struct {
		name     string
		home     func(context.Context) (ui.Figures, error)
		want     []string
		notWant  []string
		loggedUp bool
	}{
		{
			name: "figures from the hook",
			home: func(context.Context) (ui.Figures, error) { return figures, nil },
			want: []string{
				"<dt>Enti erogatori</dt><dd>7</dd>",
				"<dt>Operatori</dt><dd>41</dd>",
				"<dt>Datori di lavoro</dt><dd>1.520</dd>",
				"<dt>Candidati</dt><dd>23.456</dd>",
				"<dt>Offerte di lavoro aperte</dt><dd>312</dd>",
				"<dt>Richieste in corso</dt><dd>18</dd>",
			},
			notWant: []string{"non sono momentaneamente disponibili"},
		},
		{
			name:     "hook failure",
			home:     func(context.Context) (ui.Figures, error) { return ui.Figures{}, errors.New("database down") },
			want:     []string{"I dati non sono momentaneamente disponibili."},
			notWant:  []string{"database down", "<dl"},
			loggedUp: true,
		},
		{
			name: "no hook",
			want: []string{"I dati non sono momentaneamente disponibili."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, logs := newServer(t, api.Config{Home: tt.home, Version: "2.3.4"})
			rec := do(t, s.Handler(), http.MethodGet, "/", nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d, want 200", rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type = %q, want HTML", ct)
			}
			body := rec.Body.String()
			common := []string{
				`<html lang="it">`,
				`<div class="it-brand-tagline d-none d-md-block">Incontro domanda-offerta di lavoro</div>`,
				"Provincia autonoma di Trento",
				`<span class="version">2.3.4</span>`,
				`href="/healthz"`, `href="/readyz"`, `href="/metrics"`,
			}
			for _, w := range append(common, tt.want...) {
				if !strings.Contains(body, w) {
					t.Errorf("home lacks %q", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("home contains %q", w)
				}
			}
			if got := len(logs.find(t, "internal error")) > 0; got != tt.loggedUp {
				t.Errorf("hook failure logged = %v, want %v", got, tt.loggedUp)
			}
		})
	}
}

func TestStatic(t *testing.T) {
	s, _ := newServer(t, api.Config{})
	rec := do(t, s.Handler(), http.MethodGet, "/static/style.css", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type = %q, want text/css", ct)
	}
	if !strings.Contains(rec.Body.String(), ":focus-visible") {
		t.Error("stylesheet lacks focus styles")
	}
}

func TestServeAndShutdown(t *testing.T) {
	s, _ := newServer(t, api.Config{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()

	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"ok"`) {
		t.Fatalf("GET /healthz = %d %s", resp.StatusCode, body)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve returned %v after Shutdown, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after Shutdown")
	}
}
