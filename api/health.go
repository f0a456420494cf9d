package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// HealthStatus is the body of GET /healthz.
type HealthStatus struct {
	Status string `json:"status"`
}

// ReadyStatus is the body of GET /readyz: "ready" or "not_ready", and "ok" or
// the error message for each check by name.
type ReadyStatus struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

// healthz answers 200 while the process runs.
func (s *Server) healthz(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, HealthStatus{Status: "ok"})
}

// readyz runs every check concurrently, each bounded by the check timeout,
// and answers 200 when all pass, 503 naming the failures otherwise.
func (s *Server) readyz(c echo.Context) error {
	type result struct {
		name string
		err  error
	}
	ctx := c.Request().Context()
	results := make(chan result, len(s.checks))
	for _, ch := range s.checks {
		go func() {
			results <- result{name: ch.Name, err: runCheck(ctx, ch, s.timeout)}
		}()
	}
	body := ReadyStatus{Status: "ready", Checks: make(map[string]string, len(s.checks))}
	status := http.StatusOK
	for range s.checks {
		r := <-results
		if r.err != nil {
			// The probe is public: the detail goes to the log only.
			body.Status = "not_ready"
			status = http.StatusServiceUnavailable
			body.Checks[r.name] = "failed"
			s.logger.LogAttrs(c.Request().Context(), slog.LevelWarn, "readiness check failed",
				slog.String("request_id", RequestID(c.Request().Context())), slog.String("check", r.name), slog.String("error", r.err.Error()))
			continue
		}
		body.Checks[r.name] = "ok"
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(status, body)
}

// runCheck runs one check with its own timeout; a check that ignores its
// context is abandoned at the deadline, and a panicking check fails.
func runCheck(parent context.Context, ch Check, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("panic: %v", r)
			}
		}()
		done <- ch.Func(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("timed out after %s: %w", timeout, ctx.Err())
	}
}
