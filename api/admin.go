package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/store"
)

// UserList is a page of accounts with the total matching the filter.
type UserList struct {
	Items []matching.User `json:"items"`
	Total int             `json:"total"`
}

// users lists accounts, filtered by role, provider, status and a part of
// the name or e-mail address (q), a page at a time.
func (s *Server) users(c echo.Context) error {
	f, err := userFilter(c)
	if err != nil {
		return err
	}
	items, total, err := s.store.Users(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, UserList{Items: items, Total: total})
}

// userFilter reads the filter of a list of accounts from the query: role,
// provider_id, status, q, limit and offset.
func userFilter(c echo.Context) (store.UserFilter, error) {
	f := store.UserFilter{Role: matching.Role(c.QueryParam("role")), Status: matching.UserStatus(c.QueryParam("status")),
		Query: strings.TrimSpace(c.QueryParam("q"))}
	if f.Role != "" && !slices.Contains(matching.Roles(), f.Role) {
		return f, matching.FieldErrorf("role", "must be one of admin, monitor, operator, employer, jobseeker")
	}
	switch f.Status {
	case "", matching.UserActive, matching.UserPending, matching.UserDisabled:
	default:
		return f, matching.FieldErrorf("status", "must be pending, active or disabled")
	}
	var err error
	if f.ProviderID, err = queryInt(c, "provider_id", 1, 0); err != nil {
		return f, err
	}
	limit, err := queryInt(c, "limit", 1, 500)
	if err != nil {
		return f, err
	}
	offset, err := queryInt(c, "offset", 0, 0)
	if err != nil {
		return f, err
	}
	f.Limit, f.Offset = int(limit), int(offset)
	return f, nil
}

// queryInt returns the integer query parameter name, 0 when absent, or an
// error naming it when it is not a number from lo to hi (no bound when hi
// is 0).
func queryInt(c echo.Context, name string, lo, hi int64) (int64, error) {
	return paramInt(c.QueryParams(), name, lo, hi)
}

// paramInt is queryInt over a set of parameters.
func paramInt(params url.Values, name string, lo, hi int64) (int64, error) {
	v := params.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	switch {
	case hi == 0 && (err != nil || n < lo):
		return 0, matching.FieldErrorf(name, "must be a whole number of at least %d", lo)
	case hi != 0 && (err != nil || n < lo || n > hi):
		return 0, matching.FieldErrorf(name, "must be a whole number from %d to %d", lo, hi)
	}
	return n, nil
}

// NewUserInput is the body of POST /api/v1/users: a member of staff.
type NewUserInput struct {
	Email      string        `json:"email"`
	Name       string        `json:"name"`
	Role       matching.Role `json:"role"`
	ProviderID *int64        `json:"provider_id"`
}

// CreatedUser answers the creation of an account: the account and its
// generated password, which is shown only in this response.
type CreatedUser struct {
	User     matching.User `json:"user"`
	Password string        `json:"password"`
	Note     string        `json:"note"`
}

// createUser creates an active staff account with a generated password.
// Employers and jobseekers sign up themselves.
func (s *Server) createUser(c echo.Context) error {
	var in NewUserInput
	if err := bind(c, &in); err != nil {
		return err
	}
	res, err := s.createStaff(c, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, res)
}

// createStaff creates an active staff account with a generated password
// and records it: the creation of the API and of the accounts page.
func (s *Server) createStaff(c echo.Context, in NewUserInput) (CreatedUser, error) {
	switch in.Role {
	case matching.RoleAdmin, matching.RoleMonitor, matching.RoleOperator:
	case matching.RoleEmployer, matching.RoleJobseeker:
		return CreatedUser{}, matching.FieldErrorf("role", "employers and jobseekers sign up themselves: create only admin, monitor or operator accounts")
	default:
		return CreatedUser{}, matching.FieldErrorf("role", "must be admin, monitor or operator")
	}
	now := s.now()
	u := matching.User{Email: matching.NormalizeEmail(in.Email), Name: strings.TrimSpace(in.Name), Role: in.Role,
		ProviderID: in.ProviderID, Language: "it", Status: matching.UserActive, EmailVerifiedAt: &now}
	if err := u.Validate(); err != nil {
		return CreatedUser{}, err
	}
	pw := matching.GeneratePassword(u.Email, u.Name)
	h, err := s.hashPassword(c.Request().Context(), pw)
	if err != nil {
		return CreatedUser{}, err
	}
	u.PasswordHash = h
	if err := s.store.CreateUser(c.Request().Context(), &u); err != nil {
		return CreatedUser{}, err
	}
	s.audit(c, &matching.AuditEvent{Action: "user_created", ObjectType: "user", ObjectID: &u.ID,
		Detail: jsonDetail(map[string]any{"role": u.Role, "provider_id": u.ProviderID})})
	return CreatedUser{User: u, Password: pw,
		Note: "The password is shown only in this response: give it to the user, who should change it after signing in."}, nil
}

// UserPatch is the body of PATCH /api/v1/users/:id; absent fields are left
// as they are. Role moves a member of staff to another staff role, with
// ProviderID for an operator.
type UserPatch struct {
	Status     *matching.UserStatus `json:"status"`
	Name       *string              `json:"name"`
	Role       *matching.Role       `json:"role"`
	ProviderID *int64               `json:"provider_id"`
}

// user returns an account.
func (s *Server) user(c echo.Context) error {
	id, err := pathID(c, "id", "user")
	if err != nil {
		return err
	}
	u, err := s.store.User(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

// updateUser enables or disables an account (disabling ends its
// sessions), renames it, or moves a member of staff to another staff role.
func (s *Server) updateUser(c echo.Context) error {
	id, err := pathID(c, "id", "user")
	if err != nil {
		return err
	}
	var in UserPatch
	if err := bind(c, &in); err != nil {
		return err
	}
	u, err := s.patchUser(c, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

// patchUser applies a UserPatch and records each change: the update of
// the API and of the accounts page.
func (s *Server) patchUser(c echo.Context, id int64, in UserPatch) (matching.User, error) {
	ctx := c.Request().Context()
	if in.Status == nil && in.Name == nil && in.Role == nil {
		return matching.User{}, matching.FieldErrorf("status", "is required: send the status (active or disabled)")
	}
	u, err := s.store.User(ctx, id)
	if err != nil {
		return matching.User{}, err
	}
	if in.Status != nil {
		to := *in.Status
		if to != matching.UserActive && to != matching.UserDisabled {
			return matching.User{}, matching.FieldErrorf("status", "must be active or disabled")
		}
		if to == matching.UserDisabled && id == PrincipalFrom(ctx).UserID {
			return matching.User{}, matching.FieldErrorf("status", "you cannot disable your own account")
		}
	}
	if in.Role != nil && id == PrincipalFrom(ctx).UserID && *in.Role != u.Role {
		// An admin who demoted themselves could lock everyone out.
		return matching.User{}, matching.FieldErrorf("role", "you cannot change your own role")
	}
	if in.Role != nil {
		// Checked before anything is written, so that a refused role
		// leaves the status and the name of the same request unchanged.
		switch {
		case !in.Role.IsStaff():
			return matching.User{}, matching.FieldErrorf("role", "must be admin, monitor or operator")
		case !u.Role.IsStaff():
			return matching.User{}, matching.FieldErrorf("role", "only staff roles change: employers and jobseekers keep theirs")
		case (*in.Role == matching.RoleOperator) != (in.ProviderID != nil):
			return matching.User{}, matching.FieldErrorf("provider_id", "is required for operators and only for them")
		}
	}
	if in.Name != nil && strings.TrimSpace(*in.Name) != u.Name {
		if err := s.store.SetUserName(ctx, id, *in.Name); err != nil {
			return matching.User{}, err
		}
		s.audit(c, &matching.AuditEvent{Action: "user_renamed", ObjectType: "user", ObjectID: &id,
			Detail: jsonDetail(map[string]any{"from": u.Name, "to": strings.TrimSpace(*in.Name)})})
	}
	if in.Status != nil && *in.Status != u.Status {
		from, to := u.Status, *in.Status
		if err := s.store.SetUserStatus(ctx, id, to); err != nil {
			return matching.User{}, err
		}
		ended := 0
		if to == matching.UserDisabled {
			if ended, err = s.store.DeleteUserSessions(ctx, id, 0); err != nil {
				return matching.User{}, err
			}
		}
		action := "user_enabled"
		if to == matching.UserDisabled {
			action = "user_disabled"
		}
		s.audit(c, &matching.AuditEvent{Action: action, ObjectType: "user", ObjectID: &id,
			Detail: jsonDetail(map[string]any{"from": from, "to": to, "sessions_ended": ended})})
	}
	if in.Role != nil && (*in.Role != u.Role || !sameProvider(in.ProviderID, u.ProviderID)) {
		if err := s.store.SetUserRole(ctx, id, *in.Role, in.ProviderID); err != nil {
			return matching.User{}, err
		}
		s.audit(c, &matching.AuditEvent{Action: "user_role_changed", ObjectType: "user", ObjectID: &id,
			Detail: jsonDetail(map[string]any{"from": u.Role, "to": *in.Role, "from_provider_id": u.ProviderID, "to_provider_id": in.ProviderID})})
	}
	return s.store.User(ctx, id)
}

// sameProvider reports whether two optional provider ids are equal.
func sameProvider(a, b *int64) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}
