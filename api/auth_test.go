package api_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"incontro/api"
	"incontro/matching"
	"incontro/password"
)

func sessionCookie(c *client, w *world) *http.Cookie {
	u, _ := url.Parse(w.ts.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == api.SessionCookie {
			return ck
		}
	}
	return nil
}

func TestSignInStartsASessionWithSafeCookies(t *testing.T) {
	w := newWorld(t)
	c := w.newClient()
	req, _ := http.NewRequest(http.MethodPost, w.ts.URL+"/api/v1/session",
		strings.NewReader(`{"email":"OperatorA@Example.org ","password":"`+testPassword+`"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign in: %d", resp.StatusCode)
	}
	var raw string
	for _, h := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(h, api.SessionCookie+"=") {
			raw = h
		}
	}
	for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(raw, attr) {
			t.Errorf("session cookie %q lacks %s", raw, attr)
		}
	}
	if strings.Contains(raw, "Secure") {
		t.Errorf("plain HTTP got a Secure cookie the browser would drop: %q", raw)
	}
	status, body := c.do(http.MethodGet, "/api/v1/me", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"email":"operatora@example.org"`) || !strings.Contains(string(body), "csrf_token") {
		t.Fatalf("/me = %d %s", status, body)
	}
	// The stored session holds a hash, never the token the browser has.
	sessions, err := w.db.UserSessions(context.Background(), w.users[operatorA].ID)
	if err != nil || len(sessions) != 1 {
		t.Fatalf("sessions = %v, %v", sessions, err)
	}
	var stored int
	if err := w.db.SQL().Get(&stored, `SELECT count(*) FROM sessions WHERE token_hash = convert_to($1, 'UTF8')`, sessionCookie(c, w).Value); err != nil || stored != 0 {
		t.Errorf("the session token is stored in clear (%d rows, %v)", stored, err)
	}
	if got := w.auditActions(w.users[operatorA].ID); !slices.Contains(got, "login") {
		t.Errorf("audit log %v lacks the sign-in", got)
	}
}

func TestAWrongPasswordOrUnknownAccountGetsTheSameAnswer(t *testing.T) {
	w := newWorld(t)
	c := w.newClient()
	s1, b1 := c.do(http.MethodPost, "/api/v1/session", map[string]string{"email": w.users[admin].Email, "password": "non è la password giusta"})
	s2, b2 := c.do(http.MethodPost, "/api/v1/session", map[string]string{"email": "nessuno@example.org", "password": "non è la password giusta"})
	if s1 != http.StatusUnauthorized || s2 != http.StatusUnauthorized || errorOf(t, b1).Message != errorOf(t, b2).Message {
		t.Fatalf("wrong password %d %s; unknown account %d %s", s1, b1, s2, b2)
	}
	if got := w.auditActions(w.users[admin].ID); !slices.Contains(got, "login_failed") {
		t.Errorf("audit log %v lacks the failure", got)
	}
	s, b := c.do(http.MethodPost, "/api/v1/session", map[string]string{"email": w.users[admin].Email})
	if s != http.StatusUnprocessableEntity || errorOf(t, b).Field != "password" {
		t.Errorf("a missing password: %d %s", s, b)
	}
}

func TestSignInIsRateLimitedPerAccount(t *testing.T) {
	w := newWorld(t)
	c := w.newClient()
	email := w.users[employer1].Email
	for i := 0; i < 5; i++ {
		if s, b := c.do(http.MethodPost, "/api/v1/session", map[string]string{"email": email, "password": "sbagliata sbagliata"}); s != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d %s", i+1, s, b)
		}
		w.clock.Advance(time.Minute)
	}
	// Even the right password waits now, and the answer says how long.
	s, b := c.do(http.MethodPost, "/api/v1/session", map[string]string{"email": email, "password": testPassword})
	e := errorOf(t, b)
	if s != http.StatusTooManyRequests || e.Code != matching.ERATELIMITED || !strings.Contains(e.Message, "try again in 600 s") {
		t.Fatalf("sixth attempt: %d %+v", s, e)
	}
	// Other accounts are not locked out by it.
	if s, _ := w.newClient().do(http.MethodPost, "/api/v1/session", map[string]string{"email": w.users[employer2].Email, "password": testPassword}); s != http.StatusOK {
		t.Errorf("another account from the same address: %d", s)
	}
	w.clock.Advance(10*time.Minute + time.Second)
	if s, b := c.do(http.MethodPost, "/api/v1/session", map[string]string{"email": email, "password": testPassword}); s != http.StatusOK {
		t.Fatalf("after the window: %d %s", s, b)
	}
}

func TestStateChangingRequestsWithACookieNeedTheCSRFToken(t *testing.T) {
	w := newWorld(t)
	c := w.signIn(jobseeker1)
	token := c.csrf
	for _, tc := range []struct {
		name  string
		token string
		want  int
	}{
		{"without the token", "", http.StatusForbidden},
		{"with another token", "not-the-token", http.StatusForbidden},
		{"with the session's token", token, http.StatusNoContent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.csrf = tc.token
			if s, b := c.do(http.MethodDelete, "/api/v1/session", nil); s != tc.want {
				t.Fatalf("logout %s: %d %s", tc.name, s, b)
			}
		})
	}
	c.csrf = token
	if s, _ := c.do(http.MethodGet, "/api/v1/me", nil); s != http.StatusUnauthorized {
		t.Errorf("after logout /me = %d, want 401", s)
	}
	got := w.auditActions(w.users[jobseeker1].ID)
	if !slices.Contains(got, "logout") {
		t.Errorf("audit log %v lacks the logout", got)
	}
}

func TestSessionsEndWhenIdleAndAfterTheirLifetime(t *testing.T) {
	w := newWorld(t)
	idle := w.signIn(operatorA)
	w.clock.Advance(2*time.Hour + time.Second)
	if s, _ := idle.do(http.MethodGet, "/api/v1/me", nil); s != http.StatusUnauthorized {
		t.Fatalf("a session idle for over 2 h answered %d", s)
	}
	busy := w.signIn(operatorA)
	for i := 0; i < 11; i++ {
		w.clock.Advance(time.Hour)
		if s, _ := busy.do(http.MethodGet, "/api/v1/me", nil); s != http.StatusOK {
			t.Fatalf("a session in use for %d h answered %d", i+1, s)
		}
	}
	w.clock.Advance(time.Hour)
	if s, _ := busy.do(http.MethodGet, "/api/v1/me", nil); s != http.StatusUnauthorized {
		t.Fatalf("a session 12 h old answered %d", s)
	}
}

func TestLogoutEverywhereEndsEverySession(t *testing.T) {
	w := newWorld(t)
	phone, laptop := w.signIn(employer1), w.signIn(employer1)
	other := w.signIn(employer2)
	if s, b := laptop.do(http.MethodDelete, "/api/v1/sessions", nil); s != http.StatusOK || !strings.Contains(string(b), `"sessions_ended":2`) {
		t.Fatalf("logout everywhere: %d %s", s, b)
	}
	for name, c := range map[string]*client{"phone": phone, "laptop": laptop} {
		if s, _ := c.do(http.MethodGet, "/api/v1/me", nil); s != http.StatusUnauthorized {
			t.Errorf("the %s session still answers %d", name, s)
		}
	}
	if s, _ := other.do(http.MethodGet, "/api/v1/me", nil); s != http.StatusOK {
		t.Errorf("another user's session was ended too (%d)", s)
	}
}

func TestAccountsThatMayNotSignIn(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	mk := func(email string, status matching.UserStatus, demo bool) {
		h, _ := password.Hash(testPassword, fastHash)
		u := matching.User{Email: email, Name: "Prova", Role: matching.RoleMonitor, Status: status, Demo: demo, PasswordHash: h}
		if err := w.db.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
	}
	mk("in.attesa@example.org", matching.UserPending, false)
	mk("disattivato@example.org", matching.UserDisabled, false)
	mk("demo@example.org", matching.UserActive, true)
	for _, tc := range []struct {
		name, email string
		header      http.Header
		want        int
		says        string
	}{
		{"an account whose e-mail is not confirmed", "in.attesa@example.org", nil, http.StatusForbidden, "confirm your e-mail"},
		{"a disabled account", "disattivato@example.org", nil, http.StatusForbidden, "disabled"},
		{"a demo account from this machine", "demo@example.org", nil, http.StatusOK, ""},
		{"a demo account through a proxy", "demo@example.org", http.Header{"X-Forwarded-For": {"203.0.113.9"}}, http.StatusForbidden, "demo accounts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := w.newClient()
			c.header = tc.header
			s, b := c.do(http.MethodPost, "/api/v1/session", map[string]string{"email": tc.email, "password": testPassword})
			if s != tc.want || (tc.says != "" && !strings.Contains(errorOf(t, b).Message, tc.says)) {
				t.Fatalf("%d %s", s, b)
			}
		})
	}
	dev := newWorld(t, withConfig(func(c *api.Config) { c.Dev = true }))
	h, _ := password.Hash(testPassword, fastHash)
	u := matching.User{Email: "demo@example.org", Name: "Demo", Role: matching.RoleMonitor, Demo: true, PasswordHash: h}
	if err := dev.db.CreateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	c := dev.newClient()
	c.header = http.Header{"X-Forwarded-For": {"203.0.113.9"}}
	if s, b := c.do(http.MethodPost, "/api/v1/session", map[string]string{"email": u.Email, "password": testPassword}); s != http.StatusOK {
		t.Fatalf("a development server refused a demo account: %d %s", s, b)
	}
}

func TestAnInvalidBearerTokenIsRefused(t *testing.T) {
	w := newWorld(t)
	for _, h := range []string{"Bearer inc_nonexistent", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Bearer sometoken"} {
		c := w.newClient()
		c.header = http.Header{"Authorization": {h}}
		if s, _ := c.do(http.MethodGet, "/healthz", nil); s != http.StatusUnauthorized {
			t.Errorf("Authorization %q: %d, want 401", h, s)
		}
	}
}

func TestCrossSiteStateChangesAreRefused(t *testing.T) {
	w := newWorld(t)
	c := w.newClient()
	c.header = http.Header{"Sec-Fetch-Site": {"cross-site"}}
	status, body := c.do(http.MethodPost, "/api/v1/session", map[string]string{"email": w.users[admin].Email, "password": testPassword})
	if status != http.StatusForbidden {
		t.Fatalf("a cross-site sign-in: %d %s", status, body)
	}
	c.header = http.Header{"Sec-Fetch-Site": {"same-origin"}}
	if status, body := c.do(http.MethodPost, "/api/v1/session", map[string]string{"email": w.users[admin].Email, "password": testPassword}); status != http.StatusOK {
		t.Fatalf("a same-origin sign-in: %d %s", status, body)
	}
	// Reading stays possible from anywhere.
	c.header = http.Header{"Sec-Fetch-Site": {"cross-site"}}
	if status, _ := c.do(http.MethodGet, "/api/v1/me", nil); status != http.StatusOK {
		t.Errorf("a cross-site read: %d", status)
	}
}
