package api

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"incontro/matching"
)

// UnknownRoute is the route label of requests that matched no route.
const UnknownRoute = "unknown"

// maxRequestIDLen bounds an incoming X-Request-ID worth honouring.
const maxRequestIDLen = 128

// requestIDKey keys the request id in a request's context.
type requestIDKey struct{}

// RequestID returns the request id carried by ctx, or "" outside a request.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// validRequestID reports whether an incoming request id is sane enough to
// reuse: 1 to 128 letters, digits and - _ . : characters.
func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch b := id[i]; {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case b == '-', b == '_', b == '.', b == ':':
		default:
			return false
		}
	}
	return true
}

// requestID honours a sane incoming X-Request-ID or generates one, echoes it
// in the response and stores it in the request's context.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		id := req.Header.Get(echo.HeaderXRequestID)
		if !validRequestID(id) {
			id = rand.Text()
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), requestIDKey{}, id)))
		return next(c)
	}
}

// panicError is a recovered panic with the stack where it happened.
type panicError struct {
	value any
	stack []byte
}

// Error describes the panic value.
func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// Unwrap returns the panic value when it is an error.
func (p *panicError) Unwrap() error {
	err, _ := p.value.(error)
	return err
}

// recoverPanics turns a panic in a handler into an EINTERNAL error carrying
// the stack, which the error handler logs. http.ErrAbortHandler is re-raised
// so that net/http aborts the response as intended.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if r == http.ErrAbortHandler {
				panic(r)
			}
			err = &matching.Error{
				Code:    matching.EINTERNAL,
				Message: "panic in handler",
				Err:     &panicError{value: r, stack: debug.Stack()},
			}
		}()
		return next(c)
	}
}

// quietRoute reports whether requests to route are logged at debug level:
// probes and scrapes would drown the request log.
func quietRoute(route string) bool {
	switch route {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	return false
}

// observe hands any error to the error handler, so that the final status is
// known, then logs the request and records its metrics.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		elapsed := time.Since(start)

		req, res := c.Request(), c.Response()
		route := c.Path()
		if route == "" || errors.Is(err, echo.ErrNotFound) || errors.Is(err, echo.ErrMethodNotAllowed) {
			route = UnknownRoute
		}
		s.metrics.observe(req.Method, route, res.Status, elapsed)

		level := slog.LevelInfo
		if quietRoute(route) {
			level = slog.LevelDebug
		}
		s.logger.LogAttrs(req.Context(), level, "request",
			slog.String("method", req.Method),
			slog.String("path", req.URL.Path),
			slog.String("route", route),
			slog.Int("status", res.Status),
			slog.Duration("duration", elapsed),
			slog.String("request_id", RequestID(req.Context())),
			slog.Int64("bytes", res.Size),
		)
		return nil
	}
}

// httpMetrics are the request metrics, labelled by route template.
type httpMetrics struct {
	duration *prometheus.HistogramVec
	requests *prometheus.CounterVec
}

// newHTTPMetrics creates the request metrics, not yet registered.
func newHTTPMetrics() *httpMetrics {
	return &httpMetrics{
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "incontro_http_request_duration_seconds",
			Help:    "Duration of HTTP requests by method, route template and status class.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route", "status_class"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "incontro_http_requests_total",
			Help: "HTTP requests by method, route template and status code.",
		}, []string{"method", "route", "status"}),
	}
}

// observe records one request.
func (m *httpMetrics) observe(method, route string, status int, elapsed time.Duration) {
	method = methodLabel(method)
	m.duration.WithLabelValues(method, route, statusClass(status)).Observe(elapsed.Seconds())
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
}

// methodLabel keeps the method label bounded: standard methods as they are,
// anything else as OTHER.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "OTHER"
}

// statusClass returns "2xx", "4xx" and so on.
func statusClass(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return strconv.Itoa(status/100) + "xx"
}
