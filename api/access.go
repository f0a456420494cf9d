package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"incontro/matching"
)

// Access is the rule of one route: who may call it. Every route of the
// server is declared with its Access in the route table (routes.go); a route
// registered any other way makes New fail.
type Access struct {
	// Public routes answer anyone, signed in or not.
	Public bool
	// Roles are the signed-in roles allowed; others get 403.
	Roles []matching.Role
	// Own, when set, checks that the resource named by a path parameter is
	// the principal's to see; others get 404, so that existence does not leak.
	Own *Ownership
	// Self marks a route that acts only on the caller's own account (log
	// out, change one's password, one's API tokens): every role may use it,
	// the read-only monitor included.
	Self bool
}

// Ownership ties a path parameter to the policy of its resource.
type Ownership struct {
	Param    string
	Resource string
	check    func(ctx context.Context, p *matching.Principal, id int64) error
}

// Route is an entry of the route table.
type Route struct {
	Method  string
	Path    string
	Access  Access
	Handler echo.HandlerFunc
}

// Role sets used in the route table.
var (
	allRoles = matching.Roles()
	// staff reads the records of the service: the Province's monitor and
	// the operators. The admin manages accounts, not CVs or requests.
	staff     = []matching.Role{matching.RoleMonitor, matching.RoleOperator}
	adminOnly = []matching.Role{matching.RoleAdmin}
	public    = Access{Public: true}
)

// signedIn allows every role.
func signedIn() Access { return Access{Roles: allRoles} }

// ownAccount allows every role to act on its own account.
func ownAccount() Access { return Access{Roles: allRoles, Self: true} }

// roles allows the given roles.
func roles(rs ...matching.Role) Access { return Access{Roles: rs} }

// owned allows the roles, then applies the ownership policy.
func owned(o *Ownership, rs ...matching.Role) Access { return Access{Roles: rs, Own: o} }

// validate refuses a rule that breaks the access invariants: every route
// declares someone, the monitor never changes anything.
func (a Access) validate(method, path string) error {
	if a.Public && (len(a.Roles) > 0 || a.Own != nil) {
		return fmt.Errorf("route %s %s: a public route has no roles or ownership", method, path)
	}
	if !a.Public && len(a.Roles) == 0 {
		return fmt.Errorf("route %s %s: declares no role", method, path)
	}
	if method != http.MethodGet && method != http.MethodHead && !a.Self && slices.Contains(a.Roles, matching.RoleMonitor) {
		return fmt.Errorf("route %s %s: the monitor role reads and never changes anything", method, path)
	}
	if a.Own != nil && a.Own.check == nil {
		return fmt.Errorf("route %s %s: ownership without a policy", method, path)
	}
	return nil
}

// authorize enforces an Access rule before the handler runs.
func authorize(a Access, next echo.HandlerFunc) echo.HandlerFunc {
	if a.Public {
		return next
	}
	return func(c echo.Context) error {
		p := PrincipalFrom(c.Request().Context())
		if p == nil {
			return matching.Errorf(matching.EUNAUTHORIZED, "sign in to continue")
		}
		if !slices.Contains(a.Roles, p.Role) {
			return matching.Errorf(matching.EFORBIDDEN, "your role (%s) may not do this", p.Role)
		}
		if a.Own != nil {
			id, err := strconv.ParseInt(c.Param(a.Own.Param), 10, 64)
			if err != nil || id <= 0 {
				return matching.Errorf(matching.ENOTFOUND, "%s not found", a.Own.Resource)
			}
			if err := a.Own.check(c.Request().Context(), p, id); err != nil {
				return err
			}
		}
		return next(c)
	}
}

// RouteRule describes a registered route and its rule, for documentation and
// for the test that walks every route.
type RouteRule struct {
	Method string
	Path   string
	Access Access
}

// Rules returns the route table's rules in registration order.
func (s *Server) Rules() []RouteRule {
	return append([]RouteRule(nil), s.rules...)
}

// ValidateRoute checks a rule as New does when it registers the route table.
func ValidateRoute(method, path string, a Access) error { return a.validate(method, path) }
