package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"incontro/api"
	"incontro/matching"
)

func TestTheAdminCreatesStaffAccounts(t *testing.T) {
	w := newWorld(t)
	adm := w.signIn(admin)
	provider := w.providerA.ID
	missing := int64(999999)

	status, body := adm.do(http.MethodPost, "/api/v1/users", map[string]any{
		"email": "Nuovo.Operatore@Example.org", "name": "Nuovo Operatore", "role": "operator", "provider_id": provider})
	if status != http.StatusCreated {
		t.Fatalf("create an operator: %d %s", status, body)
	}
	created := jsonOf[api.CreatedUser](t, body)
	u := created.User
	if u.ID == 0 || u.Email != "nuovo.operatore@example.org" || u.Role != matching.RoleOperator || u.ProviderID == nil ||
		*u.ProviderID != provider || u.Status != matching.UserActive || u.EmailVerifiedAt == nil {
		t.Errorf("created user = %+v", u)
	}
	if len(created.Password) < matching.MinPasswordLength || !strings.Contains(created.Note, "only in this response") {
		t.Errorf("password %q, note %q", created.Password, created.Note)
	}
	if strings.Contains(string(body), "argon2") {
		t.Errorf("the answer shows the hash: %s", body)
	}
	t.Run("the new operator signs in with the generated password", func(t *testing.T) {
		status, body := w.newClient().do(http.MethodPost, "/api/v1/session", map[string]string{"email": u.Email, "password": created.Password})
		if status != http.StatusOK {
			t.Fatalf("%d %s", status, body)
		}
		if info := jsonOf[api.SessionInfo](t, body); info.User.Role != matching.RoleOperator {
			t.Errorf("signed in as %+v", info.User)
		}
	})
	if got := w.auditActions(w.users[admin].ID); !slices.Contains(got, "user_created") {
		t.Errorf("admin's audit: %v", got)
	}

	for _, tc := range []struct {
		name   string
		actor  string
		body   map[string]any
		status int
		field  string
	}{
		{"an employer account", admin, map[string]any{"email": "x1@example.org", "name": "X", "role": "employer"}, 422, "role"},
		{"a jobseeker account", admin, map[string]any{"email": "x2@example.org", "name": "X", "role": "jobseeker"}, 422, "role"},
		{"an unknown role", admin, map[string]any{"email": "x3@example.org", "name": "X", "role": "superuser"}, 422, "role"},
		{"an operator without a provider", admin, map[string]any{"email": "x4@example.org", "name": "X", "role": "operator"}, 422, "provider_id"},
		{"a monitor with a provider", admin, map[string]any{"email": "x5@example.org", "name": "X", "role": "monitor", "provider_id": provider}, 422, "provider_id"},
		{"an operator of a provider that does not exist", admin, map[string]any{"email": "x6@example.org", "name": "X", "role": "operator", "provider_id": missing}, 422, "provider_id"},
		{"an account without a name", admin, map[string]any{"email": "x7@example.org", "role": "monitor"}, 422, "name"},
		{"an e-mail address that has an account", admin, map[string]any{"email": "monitor@example.org", "name": "X", "role": "monitor"}, 409, "email"},
		{"by the monitor", monitor, map[string]any{"email": "x8@example.org", "name": "X", "role": "monitor"}, 403, ""},
		{"by an operator", operatorA, map[string]any{"email": "x9@example.org", "name": "X", "role": "operator", "provider_id": provider}, 403, ""},
	} {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			before := w.recordCounts()
			status, body := w.signIn(tc.actor).do(http.MethodPost, "/api/v1/users", tc.body)
			if status != tc.status || errorOf(t, body).Field != tc.field {
				t.Fatalf("%d %s, want %d on %q", status, body, tc.status, tc.field)
			}
			if after := w.recordCounts(); after != before {
				t.Errorf("users, employers, candidates went from %v to %v", before, after)
			}
		})
	}
}

func TestListingAccounts(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		name   string
		actor  string
		query  string
		status int
		total  int
		emails []string
	}{
		{"every account", admin, "", 200, 8, nil},
		{"the operators", monitor, "?role=operator", 200, 2, []string{"operatora@example.org", "operatorb@example.org"}},
		{"the operators of a provider", admin, fmt.Sprintf("?role=operator&provider_id=%d", w.providerB.ID), 200, 1, []string{"operatorb@example.org"}},
		{"a page", admin, "?limit=2&offset=2", 200, 8, []string{"employer2@example.org", "jobseeker1@example.org"}},
		{"an unknown role", admin, "?role=boss", 422, 0, nil},
		{"a limit too large", admin, "?limit=501", 422, 0, nil},
		{"a negative offset", admin, "?offset=-1", 422, 0, nil},
		{"a provider that is not a number", admin, "?provider_id=a", 422, 0, nil},
		{"by an operator", operatorA, "", 403, 0, nil},
		{"by an employer", employer1, "", 403, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := w.signIn(tc.actor).do(http.MethodGet, "/api/v1/users"+tc.query, nil)
			if status != tc.status {
				t.Fatalf("%d %s, want %d", status, body, tc.status)
			}
			if status != http.StatusOK {
				return
			}
			if strings.Contains(string(body), "argon2") || strings.Contains(string(body), "password") {
				t.Errorf("the list shows password hashes: %s", body)
			}
			list := jsonOf[api.UserList](t, body)
			if list.Total != tc.total {
				t.Errorf("total %d, want %d", list.Total, tc.total)
			}
			if tc.emails != nil {
				var got []string
				for _, u := range list.Items {
					got = append(got, u.Email)
				}
				if !slices.Equal(got, tc.emails) {
					t.Errorf("emails %v, want %v", got, tc.emails)
				}
			}
		})
	}
}

func TestReadingAnAccount(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		actor, whose string
		status       int
	}{
		{jobseeker1, jobseeker1, 200},
		{jobseeker1, jobseeker2, 404},
		{employer1, admin, 404},
		{monitor, employer2, 200},
		{admin, operatorB, 200},
		{operatorA, operatorB, 404},
	} {
		t.Run(tc.actor+" reads the account of "+tc.whose, func(t *testing.T) {
			status, body := w.signIn(tc.actor).do(http.MethodGet, fmt.Sprintf("/api/v1/users/%d", w.users[tc.whose].ID), nil)
			if status != tc.status {
				t.Fatalf("%d %s, want %d", status, body, tc.status)
			}
			if status == http.StatusOK {
				if u := jsonOf[matching.User](t, body); u.Email != w.users[tc.whose].Email {
					t.Errorf("got %+v", u)
				}
			}
		})
	}
}

func TestDisablingAnAccountEndsItsSessionsAndTokens(t *testing.T) {
	w := newWorld(t)
	adm := w.signIn(admin)
	victim := w.users[operatorA]
	session := w.signIn(operatorA)
	_, body := session.do(http.MethodPost, "/api/v1/me/tokens", map[string]string{"name": "integrazione"})
	token := jsonOf[api.NewToken](t, body).Token
	bearer := w.newClient()
	bearer.header.Set("Authorization", "Bearer "+token)
	path := fmt.Sprintf("/api/v1/users/%d", victim.ID)

	for _, tc := range []struct {
		name   string
		actor  string
		path   string
		body   map[string]any
		status int
		field  string
	}{
		{"without a change", admin, path, map[string]any{}, 422, "status"},
		{"back to pending", admin, path, map[string]any{"status": "pending"}, 422, "status"},
		{"an empty name", admin, path, map[string]any{"name": "  "}, 422, "name"},
		{"by the monitor", monitor, path, map[string]any{"status": "disabled"}, 403, ""},
		{"by the operator themselves", operatorA, path, map[string]any{"status": "disabled"}, 403, ""},
		{"the admin's own account", admin, fmt.Sprintf("/api/v1/users/%d", w.users[admin].ID), map[string]any{"status": "disabled"}, 422, "status"},
		{"an account that does not exist", admin, "/api/v1/users/999999", map[string]any{"status": "disabled"}, 404, ""},
	} {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			c := adm
			if tc.actor != admin {
				c = w.signIn(tc.actor)
			}
			status, body := c.do(http.MethodPatch, tc.path, tc.body)
			if status != tc.status || (tc.field != "" && errorOf(t, body).Field != tc.field) {
				t.Fatalf("%d %s, want %d on %q", status, body, tc.status, tc.field)
			}
		})
	}
	if s, _ := session.do(http.MethodGet, "/api/v1/me", nil); s != http.StatusOK {
		t.Fatalf("a refused change ended the session: %d", s)
	}
	if status, body := adm.do(http.MethodPatch, path, map[string]any{"name": " Nome Nuovo "}); status != http.StatusOK || jsonOf[matching.User](t, body).Name != "Nome Nuovo" {
		t.Fatalf("renaming: %d %s", status, body)
	}

	status, body := adm.do(http.MethodPatch, path, map[string]any{"status": "disabled"})
	if status != http.StatusOK || jsonOf[matching.User](t, body).Status != matching.UserDisabled {
		t.Fatalf("disable: %d %s", status, body)
	}
	if s, _ := session.do(http.MethodGet, "/api/v1/me", nil); s != http.StatusUnauthorized {
		t.Errorf("the disabled user's session: %d, want 401", s)
	}
	if s, _ := bearer.do(http.MethodGet, "/api/v1/me", nil); s != http.StatusUnauthorized {
		t.Errorf("the disabled user's token: %d, want 401", s)
	}
	login := map[string]string{"email": victim.Email, "password": testPassword}
	if s, b := w.newClient().do(http.MethodPost, "/api/v1/session", login); s != http.StatusForbidden {
		t.Errorf("a disabled user signs in: %d %s", s, b)
	}
	if sessions, err := w.db.UserSessions(t.Context(), victim.ID); err != nil || len(sessions) != 0 {
		t.Errorf("sessions left: %v, %v", sessions, err)
	}

	if s, b := adm.do(http.MethodPatch, path, map[string]any{"status": "active"}); s != http.StatusOK {
		t.Fatalf("enable: %d %s", s, b)
	}
	if s, b := w.newClient().do(http.MethodPost, "/api/v1/session", login); s != http.StatusOK {
		t.Errorf("an enabled user signs in: %d %s", s, b)
	}
	got := w.auditActions(w.users[admin].ID)
	if !slices.Contains(got, "user_disabled") || !slices.Contains(got, "user_enabled") {
		t.Errorf("admin's audit: %v", got)
	}
}

func TestTheAdminChangesAStaffRole(t *testing.T) {
	w := newWorld(t)
	adm := w.signIn(admin)
	opB := fmt.Sprintf("/api/v1/users/%d", w.users[operatorB].ID)
	for _, tc := range []struct {
		name   string
		path   string
		body   map[string]any
		status int
		field  string
	}{
		{"an operator without a provider", opB, map[string]any{"role": "operator"}, 422, "provider_id"},
		{"a monitor with a provider", opB, map[string]any{"role": "monitor", "provider_id": w.providerA.ID}, 422, "provider_id"},
		{"a role that is not staff", opB, map[string]any{"role": "employer"}, 422, "role"},
		{"an employer's role", fmt.Sprintf("/api/v1/users/%d", w.users[employer1].ID), map[string]any{"role": "monitor"}, 422, "role"},
		{"the admin's own role", fmt.Sprintf("/api/v1/users/%d", w.users[admin].ID), map[string]any{"role": "monitor"}, 422, "role"},
		{"a provider that does not exist", opB, map[string]any{"role": "operator", "provider_id": 999999}, 422, "provider_id"},
		{"a status with a wrong role, which changes neither", opB, map[string]any{"status": "disabled", "role": "jobseeker"}, 422, "role"},
	} {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			status, body := adm.do(http.MethodPatch, tc.path, tc.body)
			if status != tc.status || errorOf(t, body).Field != tc.field {
				t.Fatalf("%d %s, want %d on %q", status, body, tc.status, tc.field)
			}
		})
	}
	if u, _ := w.db.User(t.Context(), w.users[operatorB].ID); u.Status != matching.UserActive || u.Role != matching.RoleOperator {
		t.Fatalf("a refused change changed the account: %+v", u)
	}
	status, body := adm.do(http.MethodPatch, opB, map[string]any{"role": "operator", "provider_id": w.providerA.ID})
	if u := jsonOf[matching.User](t, body); status != http.StatusOK || u.ProviderID == nil || *u.ProviderID != w.providerA.ID {
		t.Fatalf("moving to provider A: %d %s", status, body)
	}
	status, body = adm.do(http.MethodPatch, opB, map[string]any{"role": "monitor"})
	if u := jsonOf[matching.User](t, body); status != http.StatusOK || u.Role != matching.RoleMonitor || u.ProviderID != nil {
		t.Fatalf("to monitor: %d %s", status, body)
	}
	if got := w.auditActions(w.users[admin].ID); !slices.Contains(got, "user_role_changed") {
		t.Errorf("the change is not in the audit log: %v", got)
	}
	// The new role holds at the next request of the same session.
	if status, _ := w.signIn(operatorB).do(http.MethodGet, "/api/v1/users", nil); status != http.StatusOK {
		t.Errorf("the new monitor cannot read the accounts: %d", status)
	}
}

func TestListingAccountsByStatusAndName(t *testing.T) {
	w := newWorld(t)
	adm := w.signIn(admin)
	status, body := adm.do(http.MethodGet, "/api/v1/users?q=OPERATOR", nil)
	if list := jsonOf[api.UserList](t, body); status != http.StatusOK || list.Total != 2 {
		t.Fatalf("by name: %d %s", status, body)
	}
	if status, body := adm.do(http.MethodGet, "/api/v1/users?status=disabled", nil); status != http.StatusOK || jsonOf[api.UserList](t, body).Total != 0 {
		t.Fatalf("by status: %d %s", status, body)
	}
	if status, body := adm.do(http.MethodGet, "/api/v1/users?status=sleeping", nil); status != 422 || errorOf(t, body).Field != "status" {
		t.Fatalf("a wrong status: %d %s", status, body)
	}
}
