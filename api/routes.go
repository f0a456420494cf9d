package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"incontro/matching"
)

// routes is the route table: every route of incontro with who may call it.
// Ownership policies live in ownership.go, one per resource.
func (s *Server) routes() []Route {
	metrics := echo.WrapHandler(promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{
		Registry: s.registry, ErrorLog: s.errorLog(), EnableOpenMetrics: true,
	}))
	return []Route{
		// Probes, metrics, pages and assets anyone may read.
		{http.MethodGet, "/healthz", public, s.healthz},
		{http.MethodGet, "/readyz", public, s.readyz},
		// Metrics are scraped with a monitor's or an admin's API token.
		{http.MethodGet, "/metrics", roles(matching.RoleAdmin, matching.RoleMonitor), metrics},
		{http.MethodGet, "/", public, s.homePage},
		{http.MethodGet, "/static/*", public, s.static},

		// Sessions.
		{http.MethodPost, "/api/v1/session", public, s.login},
		{http.MethodDelete, "/api/v1/session", ownAccount(), s.logout},
		{http.MethodDelete, "/api/v1/sessions", ownAccount(), s.logoutEverywhere},
		{http.MethodGet, "/api/v1/me", signedIn(), s.me},
	}
}

// register adds the route table to echo, each route behind its Access rule.
func (s *Server) register(e *echo.Echo, table []Route) error {
	seen := map[string]bool{}
	for _, r := range table {
		if err := r.Access.validate(r.Method, r.Path); err != nil {
			return err
		}
		key := r.Method + " " + r.Path
		if seen[key] {
			return &duplicateRoute{key}
		}
		seen[key] = true
		e.Add(r.Method, r.Path, authorize(r.Access, r.Handler))
		s.rules = append(s.rules, RouteRule{Method: r.Method, Path: r.Path, Access: r.Access})
	}
	return nil
}

type duplicateRoute struct{ key string }

func (d *duplicateRoute) Error() string { return "route " + d.key + " is declared twice" }
