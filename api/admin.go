package api

import (
	"net/http"
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

// users lists accounts, filtered by role and provider, a page at a time.
func (s *Server) users(c echo.Context) error {
	f := store.UserFilter{Role: matching.Role(c.QueryParam("role"))}
	if f.Role != "" && !slices.Contains(matching.Roles(), f.Role) {
		return matching.FieldErrorf("role", "must be one of admin, monitor, operator, employer, jobseeker")
	}
	var err error
	if f.ProviderID, err = queryInt(c, "provider_id", 1, 0); err != nil {
		return err
	}
	limit, err := queryInt(c, "limit", 1, 500)
	if err != nil {
		return err
	}
	offset, err := queryInt(c, "offset", 0, 0)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = int(limit), int(offset)
	items, total, err := s.store.Users(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, UserList{Items: items, Total: total})
}

// queryInt returns the integer query parameter name, 0 when absent, or an
// error naming it when it is not a number from lo to hi (no bound when hi
// is 0).
func queryInt(c echo.Context, name string, lo, hi int64) (int64, error) {
	v := c.QueryParam(name)
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
	switch in.Role {
	case matching.RoleAdmin, matching.RoleMonitor, matching.RoleOperator:
	case matching.RoleEmployer, matching.RoleJobseeker:
		return matching.FieldErrorf("role", "employers and jobseekers sign up themselves: create only admin, monitor or operator accounts")
	default:
		return matching.FieldErrorf("role", "must be admin, monitor or operator")
	}
	now := s.now()
	u := matching.User{Email: matching.NormalizeEmail(in.Email), Name: strings.TrimSpace(in.Name), Role: in.Role,
		ProviderID: in.ProviderID, Language: "it", Status: matching.UserActive, EmailVerifiedAt: &now}
	if err := u.Validate(); err != nil {
		return err
	}
	pw := matching.GeneratePassword(u.Email, u.Name)
	h, err := s.hashPassword(c.Request().Context(), pw)
	if err != nil {
		return err
	}
	u.PasswordHash = h
	if err := s.store.CreateUser(c.Request().Context(), &u); err != nil {
		return err
	}
	s.audit(c, &matching.AuditEvent{Action: "user_created", ObjectType: "user", ObjectID: &u.ID,
		Detail: jsonDetail(map[string]any{"role": u.Role, "provider_id": u.ProviderID})})
	return c.JSON(http.StatusCreated, CreatedUser{User: u, Password: pw,
		Note: "The password is shown only in this response: give it to the user, who should change it after signing in."})
}

// UserPatch is the body of PATCH /api/v1/users/:id; absent fields are left
// as they are.
type UserPatch struct {
	Status *matching.UserStatus `json:"status"`
	Name   *string              `json:"name"`
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

// updateUser enables or disables an account; disabling ends its sessions.
func (s *Server) updateUser(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "user")
	if err != nil {
		return err
	}
	var in UserPatch
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.Status == nil && in.Name == nil {
		return matching.FieldErrorf("status", "is required: send the status (active or disabled)")
	}
	u, err := s.store.User(ctx, id)
	if err != nil {
		return err
	}
	if in.Status != nil {
		to := *in.Status
		if to != matching.UserActive && to != matching.UserDisabled {
			return matching.FieldErrorf("status", "must be active or disabled")
		}
		if to == matching.UserDisabled && id == PrincipalFrom(ctx).UserID {
			return matching.FieldErrorf("status", "you cannot disable your own account")
		}
	}
	if in.Name != nil && strings.TrimSpace(*in.Name) != u.Name {
		if err := s.store.SetUserName(ctx, id, *in.Name); err != nil {
			return err
		}
		s.audit(c, &matching.AuditEvent{Action: "user_renamed", ObjectType: "user", ObjectID: &id,
			Detail: jsonDetail(map[string]any{"from": u.Name, "to": strings.TrimSpace(*in.Name)})})
	}
	if in.Status != nil && *in.Status != u.Status {
		from, to := u.Status, *in.Status
		if err := s.store.SetUserStatus(ctx, id, to); err != nil {
			return err
		}
		ended := 0
		if to == matching.UserDisabled {
			if ended, err = s.store.DeleteUserSessions(ctx, id, 0); err != nil {
				return err
			}
		}
		action := "user_enabled"
		if to == matching.UserDisabled {
			action = "user_disabled"
		}
		s.audit(c, &matching.AuditEvent{Action: action, ObjectType: "user", ObjectID: &id,
			Detail: jsonDetail(map[string]any{"from": from, "to": to, "sessions_ended": ended})})
	}
	if u, err = s.store.User(ctx, id); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}
