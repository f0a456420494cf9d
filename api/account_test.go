package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"incontro/api"
	"incontro/matching"
	"incontro/store"
)

// devMode makes the world's server a development server, which returns
// verification links in sign-up answers.
var devMode = withConfig(func(c *api.Config) { c.Dev = true })

// jsonOf decodes a JSON response body.
func jsonOf[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("not the expected JSON: %v: %s", err, body)
	}
	return v
}

// tokenOf returns the token of a verification link.
func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Path != "/account/verify" || u.Query().Get("token") == "" {
		t.Fatalf("not a verification link: %q", link)
	}
	return u.Query().Get("token")
}

// recordCounts counts users, employers and candidates, to check that a
// refused request wrote nothing.
func (w *world) recordCounts() [3]int {
	w.t.Helper()
	ctx := context.Background()
	_, users, err := w.db.Users(ctx, store.UserFilter{Limit: 1})
	if err != nil {
		w.t.Fatal(err)
	}
	_, employers, err := w.db.Employers(ctx, 1, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	ids, err := w.db.CandidateIDs(ctx, 0, 10000)
	if err != nil {
		w.t.Fatal(err)
	}
	return [3]int{users, employers, len(ids)}
}

const signupPassword = "pomodori e basilico dell'orto"

func employerSignup() map[string]any {
	return map[string]any{
		"company": map[string]any{
			"name": "Falegnameria Tre", "tax_code": "00000030007", "ateco_code": "16.23.10",
			"municipality_code": "022205", "address": "Via dei Mille 3, Trento", "email": "info@falegnameria-tre.example.org",
			"phone": "0461 000000", "contact_person": "Carla Tre", "website": "https://falegnameria-tre.example.org",
		},
		"name": "Carla Tre", "email": "Carla.Tre@Example.org", "password": signupPassword,
	}
}

func jobseekerSignup() map[string]any {
	return map[string]any{
		"given_name": "Dario", "family_name": "Quattro", "email": "dario.quattro@example.org",
		"password": signupPassword, "home_municipality_code": "022205", "mobility_km": 35,
	}
}

func TestSignUpCreatesAPendingAccount(t *testing.T) {
	w := newWorld(t, devMode)
	for _, tc := range []struct {
		name, path string
		body       map[string]any
		email      string
		role       matching.Role
	}{
		{"an employer signs up with its company", "/api/v1/signup/employer", employerSignup(), "carla.tre@example.org", matching.RoleEmployer},
		{"a jobseeker signs up with a first CV", "/api/v1/signup/jobseeker", jobseekerSignup(), "dario.quattro@example.org", matching.RoleJobseeker},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := w.newClient().do(http.MethodPost, tc.path, tc.body)
			if status != http.StatusCreated {
				t.Fatalf("%d %s", status, body)
			}
			if strings.Contains(string(body), "argon2") || strings.Contains(string(body), "password") {
				t.Errorf("the answer shows the password or its hash: %s", body)
			}
			res := jsonOf[api.SignupResult](t, body)
			u := res.User
			if u.ID == 0 || u.Email != tc.email || u.Role != tc.role || u.Status != matching.UserPending || u.EmailVerifiedAt != nil {
				t.Errorf("user = %+v", u)
			}
			tokenOf(t, res.VerificationLink)
			if !strings.HasPrefix(res.VerificationLink, w.ts.URL+"/account/verify?token=") {
				t.Errorf("link %q is not on this server", res.VerificationLink)
			}
			ctx := context.Background()
			saved, err := w.db.User(ctx, u.ID)
			if err != nil || !strings.HasPrefix(saved.PasswordHash, "$argon2id$") {
				t.Fatalf("saved user %+v, %v", saved, err)
			}
			switch tc.role {
			case matching.RoleEmployer:
				e, err := w.db.Employer(ctx, *u.EmployerID)
				if err != nil || e.Name != "Falegnameria Tre" || e.TaxCode != "00000030007" {
					t.Errorf("employer %+v, %v", e, err)
				}
			case matching.RoleJobseeker:
				c, err := w.db.Candidate(ctx, *u.CandidateID)
				if err != nil || c.GivenName != "Dario" || c.MobilityKm != 35 || c.Searchable || c.Presentation != matching.PresentNone {
					t.Errorf("candidate %+v, %v", c, err)
				}
			}
			if got := w.auditActions(u.ID); !slices.Contains(got, "signup") {
				t.Errorf("audit of the new user: %v", got)
			}
		})
	}
}

func TestSignUpLogsTheLinkAndReturnsItOnlyInDevelopment(t *testing.T) {
	logs := &logBuffer{}
	w := newWorld(t, withConfig(func(c *api.Config) { c.Logger = slog.New(slog.NewJSONHandler(logs, nil)) }))
	status, body := w.newClient().do(http.MethodPost, "/api/v1/signup/jobseeker", jobseekerSignup())
	if status != http.StatusCreated {
		t.Fatalf("%d %s", status, body)
	}
	if res := jsonOf[api.SignupResult](t, body); res.VerificationLink != "" {
		t.Errorf("a production server returned the link: %s", body)
	}
	recs := logs.find(t, "e-mail verification link")
	if len(recs) != 1 || recs[0]["email"] != "dario.quattro@example.org" {
		t.Fatalf("logged links: %v", recs)
	}
	link, _ := recs[0]["link"].(string)
	if s, b := w.newClient().do(http.MethodPost, "/api/v1/verify-email", map[string]string{"token": tokenOf(t, link)}); s != http.StatusOK {
		t.Fatalf("the logged link does not work: %d %s", s, b)
	}
}

func TestSignUpRefusesBadInputAndWritesNothing(t *testing.T) {
	w := newWorld(t, devMode)
	with := func(base map[string]any, path string, v any) map[string]any {
		out := map[string]any{}
		for k, x := range base {
			out[k] = x
		}
		if co, ok := out["company"].(map[string]any); ok {
			cp := map[string]any{}
			for k, x := range co {
				cp[k] = x
			}
			out["company"] = cp
		}
		if f, ok := strings.CutPrefix(path, "company."); ok {
			out["company"].(map[string]any)[f] = v
		} else {
			out[path] = v
		}
		return out
	}
	const emp, job = "/api/v1/signup/employer", "/api/v1/signup/jobseeker"
	for _, tc := range []struct {
		name, path string
		body       map[string]any
		status     int
		field      string
	}{
		{"an employer without a company name", emp, with(employerSignup(), "company.name", " "), 422, "company.name"},
		{"an employer with a wrong codice fiscale", emp, with(employerSignup(), "company.tax_code", "00000030008"), 422, "company.tax_code"},
		{"an employer with a wrong partita IVA", emp, with(employerSignup(), "company.vat_number", "123"), 422, "company.vat_number"},
		{"an employer in an unknown municipality", emp, with(employerSignup(), "company.municipality_code", "999999"), 422, "company.municipality_code"},
		{"an employer whose company is already registered", emp, with(employerSignup(), "company.tax_code", "00000010009"), 409, "company.tax_code"},
		{"an employer user without a name", emp, with(employerSignup(), "name", ""), 422, "name"},
		{"an employer user with a bad e-mail address", emp, with(employerSignup(), "email", "carla@"), 422, "email"},
		{"an employer user whose e-mail address has an account", emp, with(employerSignup(), "email", "admin@example.org"), 409, "email"},
		{"an employer with a short password", emp, with(employerSignup(), "password", "corta"), 422, "password"},
		{"an employer with a common password", emp, with(employerSignup(), "password", "password1234"), 422, "password"},
		{"an employer with an unknown field", emp, with(employerSignup(), "role", "admin"), 422, "role"},
		{"a jobseeker without a given name", job, with(jobseekerSignup(), "given_name", ""), 422, "given_name"},
		{"a jobseeker without a family name", job, with(jobseekerSignup(), "family_name", ""), 422, "family_name"},
		{"a jobseeker with a bad e-mail address", job, with(jobseekerSignup(), "email", "dario"), 422, "email"},
		{"a jobseeker whose e-mail address has a CV", job, with(jobseekerSignup(), "email", "anna.uno@example.org"), 409, "email"},
		{"a jobseeker whose e-mail address has an account", job, with(jobseekerSignup(), "email", "operatora@example.org"), 409, "email"},
		{"a jobseeker in an unknown municipality", job, with(jobseekerSignup(), "home_municipality_code", "12"), 422, "home_municipality_code"},
		{"a jobseeker with a negative mobility", job, with(jobseekerSignup(), "mobility_km", -1), 422, "mobility_km"},
		{"a jobseeker with a mobility that is not a number", job, with(jobseekerSignup(), "mobility_km", "molta"), 422, "mobility_km"},
		{"a jobseeker with a password that is their name", job, with(jobseekerSignup(), "password", "dario.quattro1"), 422, "password"},
		{"a jobseeker without a password", job, with(jobseekerSignup(), "password", ""), 422, "password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := w.recordCounts()
			status, body := w.newClient().do(http.MethodPost, tc.path, tc.body)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, body)
			}
			if e := errorOf(t, body); e.Field != tc.field {
				t.Errorf("field %q, want %q: %s", e.Field, tc.field, body)
			}
			if after := w.recordCounts(); after != before {
				t.Errorf("users, employers, candidates went from %v to %v", before, after)
			}
		})
	}
}

// signUpJobseeker signs up a jobseeker on a development world and returns
// the user and the token of the verification link.
func (w *world) signUpJobseeker(email string) (matching.User, string) {
	w.t.Helper()
	body := jobseekerSignup()
	body["email"] = email
	status, b := w.newClient().do(http.MethodPost, "/api/v1/signup/jobseeker", body)
	if status != http.StatusCreated {
		w.t.Fatalf("sign up %s: %d %s", email, status, b)
	}
	res := jsonOf[api.SignupResult](w.t, b)
	return res.User, tokenOf(w.t, res.VerificationLink)
}

func TestAPendingAccountSignsInOnceItsAddressIsConfirmed(t *testing.T) {
	w := newWorld(t, devMode)
	u, token := w.signUpJobseeker("elena.cinque@example.org")
	login := map[string]string{"email": u.Email, "password": signupPassword}

	status, body := w.newClient().do(http.MethodPost, "/api/v1/session", login)
	if status != http.StatusForbidden || !strings.Contains(errorOf(t, body).Message, "confirm your e-mail address") {
		t.Fatalf("a pending account signing in: %d %s", status, body)
	}

	status, body = w.newClient().do(http.MethodPost, "/api/v1/verify-email", map[string]string{"token": token})
	if status != http.StatusOK {
		t.Fatalf("verify: %d %s", status, body)
	}
	got := jsonOf[struct{ User matching.User }](t, body).User
	if got.ID != u.ID || got.Status != matching.UserActive || got.EmailVerifiedAt == nil {
		t.Errorf("verified user = %+v", got)
	}
	if !slices.Contains(w.auditActions(u.ID), "email_verified") {
		t.Errorf("audit: %v", w.auditActions(u.ID))
	}

	status, body = w.newClient().do(http.MethodPost, "/api/v1/verify-email", map[string]string{"token": token})
	if status != http.StatusUnprocessableEntity || errorOf(t, body).Field != "token" {
		t.Errorf("second use of the link: %d %s", status, body)
	}
	if status, body = w.newClient().do(http.MethodPost, "/api/v1/session", login); status != http.StatusOK {
		t.Errorf("sign in after confirming: %d %s", status, body)
	}
	for _, bad := range []map[string]string{{"token": ""}, {"token": "not-a-token"}} {
		if status, body := w.newClient().do(http.MethodPost, "/api/v1/verify-email", bad); status != http.StatusUnprocessableEntity || errorOf(t, body).Field != "token" {
			t.Errorf("token %q: %d %s", bad["token"], status, body)
		}
	}
}

func TestTheVerificationPage(t *testing.T) {
	w := newWorld(t, devMode)
	fresh, freshToken := w.signUpJobseeker("fabio.sei@example.org")
	late, lateToken := w.signUpJobseeker("gina.sette@example.org")
	_ = late
	const confirmed = "Indirizzo e-mail confermato: ora puoi accedere"
	const invalid = "Il collegamento non è valido oppure è scaduto"
	for _, tc := range []struct {
		name    string
		token   string
		advance time.Duration
		status  int
		says    string
	}{
		{"a fresh link confirms the address", freshToken, 0, http.StatusOK, confirmed},
		{"the same link a second time", freshToken, 0, http.StatusNotFound, invalid},
		{"a link that was never sent", "abc", 0, http.StatusNotFound, invalid},
		{"a link without its token", "", 0, http.StatusNotFound, invalid},
		{"a link older than 48 hours", lateToken, 49 * time.Hour, http.StatusNotFound, invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w.clock.Advance(tc.advance)
			status, body := w.newClient().do(http.MethodGet, "/account/verify?token="+url.QueryEscape(tc.token), nil)
			if status != tc.status || !strings.Contains(string(body), tc.says) || !strings.Contains(string(body), "<!doctype html>") {
				t.Fatalf("status %d, want %d, page lacks %q:\n%s", status, tc.status, tc.says, body)
			}
		})
	}
	ctx := context.Background()
	if u, _ := w.db.User(ctx, fresh.ID); u.Status != matching.UserActive {
		t.Errorf("confirmed account is %s", u.Status)
	}
	if u, _ := w.db.User(ctx, late.ID); u.Status != matching.UserPending {
		t.Errorf("account with an expired link is %s", u.Status)
	}
}

func TestChangingThePassword(t *testing.T) {
	w := newWorld(t)
	this, other := w.signIn(jobseeker1), w.signIn(jobseeker1)
	const newPassword = "un'altra frase, ancora più lunga"
	for _, tc := range []struct {
		name   string
		body   map[string]string
		status int
		field  string
	}{
		{"without the current password", map[string]string{"new_password": newPassword}, 422, "current_password"},
		{"with a wrong current password", map[string]string{"current_password": "non è questa la frase", "new_password": newPassword}, 422, "current_password"},
		{"without a new password", map[string]string{"current_password": testPassword}, 422, "new_password"},
		{"with a short new password", map[string]string{"current_password": testPassword, "new_password": "breve"}, 422, "new_password"},
		{"with a common new password", map[string]string{"current_password": testPassword, "new_password": "qwertyuiop123"}, 422, "new_password"},
		{"with the same password again", map[string]string{"current_password": testPassword, "new_password": testPassword}, 422, "new_password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := this.do(http.MethodPut, "/api/v1/me/password", tc.body)
			if status != tc.status || errorOf(t, body).Field != tc.field {
				t.Fatalf("%d %s, want %d on %s", status, body, tc.status, tc.field)
			}
		})
	}
	if s, _ := other.do(http.MethodGet, "/api/v1/me", nil); s != http.StatusOK {
		t.Fatal("a refused change ended a session")
	}

	status, body := this.do(http.MethodPut, "/api/v1/me/password", map[string]string{"current_password": testPassword, "new_password": newPassword})
	if status != http.StatusOK || jsonOf[map[string]int](t, body)["sessions_ended"] != 1 {
		t.Fatalf("change: %d %s", status, body)
	}
	if s, _ := this.do(http.MethodGet, "/api/v1/me", nil); s != http.StatusOK {
		t.Errorf("the session that changed the password ended: %d", s)
	}
	if s, _ := other.do(http.MethodGet, "/api/v1/me", nil); s != http.StatusUnauthorized {
		t.Errorf("another session survived the change: %d", s)
	}
	email := w.users[jobseeker1].Email
	if s, _ := w.newClient().do(http.MethodPost, "/api/v1/session", map[string]string{"email": email, "password": testPassword}); s != http.StatusUnauthorized {
		t.Errorf("the old password still signs in: %d", s)
	}
	if s, b := w.newClient().do(http.MethodPost, "/api/v1/session", map[string]string{"email": email, "password": newPassword}); s != http.StatusOK {
		t.Errorf("the new password does not sign in: %d %s", s, b)
	}
	if got := w.auditActions(w.users[jobseeker1].ID); !slices.Contains(got, "password_changed") {
		t.Errorf("audit: %v", got)
	}
}

func TestGuessingTheCurrentPasswordIsRateLimited(t *testing.T) {
	w := newWorld(t)
	c := w.signIn(jobseeker2)
	wrong := map[string]string{"current_password": "non è questa la frase", "new_password": "un'altra frase, ancora più lunga"}
	for i := range 5 {
		if s, b := c.do(http.MethodPut, "/api/v1/me/password", wrong); s != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: %d %s", i+1, s, b)
		}
	}
	right := map[string]string{"current_password": testPassword, "new_password": "un'altra frase, ancora più lunga"}
	if s, b := c.do(http.MethodPut, "/api/v1/me/password", right); s != http.StatusTooManyRequests || !strings.Contains(errorOf(t, b).Message, "try again in") {
		t.Fatalf("sixth attempt: %d %s", s, b)
	}
}

func TestAPITokens(t *testing.T) {
	w := newWorld(t)
	owner := w.signIn(jobseeker1)

	status, body := owner.do(http.MethodPost, "/api/v1/me/tokens", map[string]string{"name": "gestionale"})
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	first := jsonOf[api.NewToken](t, body)
	if !strings.HasPrefix(first.Token, "inc_") || len(first.Token) < 40 || first.ID == 0 || first.Name != "gestionale" ||
		first.UserID != w.users[jobseeker1].ID {
		t.Fatalf("created token = %+v", first)
	}
	_, body = owner.do(http.MethodPost, "/api/v1/me/tokens", map[string]string{"name": "script notturno"})
	second := jsonOf[api.NewToken](t, body)
	if s, b := owner.do(http.MethodPost, "/api/v1/me/tokens", map[string]string{"name": ""}); s != http.StatusUnprocessableEntity || errorOf(t, b).Field != "name" {
		t.Errorf("a token without a name: %d %s", s, b)
	}

	bearer := func(token string) *client {
		c := w.newClient()
		c.header.Set("Authorization", "Bearer "+token)
		return c
	}
	b1 := bearer(first.Token)
	t.Run("the token acts with the owner's role", func(t *testing.T) {
		status, body := b1.do(http.MethodGet, "/api/v1/me", nil)
		if status != http.StatusOK {
			t.Fatalf("%d %s", status, body)
		}
		if info := jsonOf[api.SessionInfo](t, body); info.User.ID != w.users[jobseeker1].ID || info.User.Role != matching.RoleJobseeker || info.CSRFToken != "" {
			t.Errorf("me = %+v", info)
		}
		for _, tc := range []struct {
			path string
			want int
		}{
			{"/api/v1/candidates/" + fmt.Sprint(w.candidate1.ID), http.StatusOK},
			{"/api/v1/candidates/" + fmt.Sprint(w.candidate2.ID), http.StatusNotFound},
			{"/api/v1/users", http.StatusForbidden},
		} {
			if s, b := b1.do(http.MethodGet, tc.path, nil); s != tc.want {
				t.Errorf("GET %s: %d, want %d: %s", tc.path, s, tc.want, b)
			}
		}
	})
	t.Run("the token cannot mint other tokens", func(t *testing.T) {
		if s, b := b1.do(http.MethodPost, "/api/v1/me/tokens", map[string]string{"name": "figlio"}); s != http.StatusForbidden {
			t.Errorf("%d %s", s, b)
		}
	})
	t.Run("the list shows no secret and when each token was used", func(t *testing.T) {
		status, body := owner.do(http.MethodGet, "/api/v1/me/tokens", nil)
		if status != http.StatusOK {
			t.Fatalf("%d %s", status, body)
		}
		if strings.Contains(string(body), first.Token) || strings.Contains(string(body), second.Token) || strings.Contains(string(body), "inc_") {
			t.Errorf("the list shows a token: %s", body)
		}
		list := jsonOf[struct {
			Items []matching.APIToken
			Total int
		}](t, body)
		if list.Total != 2 || len(list.Items) != 2 {
			t.Fatalf("list = %+v", list)
		}
		for _, it := range list.Items {
			if used := it.LastUsedAt != nil; used != (it.ID == first.ID) {
				t.Errorf("token %q: last used %v", it.Name, it.LastUsedAt)
			}
		}
	})
	t.Run("someone else's token cannot be revoked", func(t *testing.T) {
		if s, b := w.signIn(jobseeker2).do(http.MethodDelete, "/api/v1/me/tokens/"+fmt.Sprint(second.ID), nil); s != http.StatusNotFound {
			t.Errorf("%d %s", s, b)
		}
	})
	t.Run("a Bearer request changes state without a CSRF token", func(t *testing.T) {
		if s, b := b1.do(http.MethodDelete, "/api/v1/me/tokens/"+fmt.Sprint(second.ID), nil); s != http.StatusNoContent {
			t.Fatalf("revoke with a token: %d %s", s, b)
		}
		if s, _ := bearer(second.Token).do(http.MethodGet, "/api/v1/me", nil); s != http.StatusUnauthorized {
			t.Errorf("a revoked token: %d, want 401", s)
		}
		if s, _ := b1.do(http.MethodDelete, "/api/v1/me/tokens/"+fmt.Sprint(second.ID), nil); s != http.StatusConflict {
			t.Errorf("revoke twice: %d, want 409", s)
		}
	})
	t.Run("the owner revokes a token with the session", func(t *testing.T) {
		if s, b := owner.do(http.MethodDelete, "/api/v1/me/tokens/"+fmt.Sprint(first.ID), nil); s != http.StatusNoContent {
			t.Fatalf("%d %s", s, b)
		}
		if s, _ := b1.do(http.MethodGet, "/api/v1/me", nil); s != http.StatusUnauthorized {
			t.Errorf("a revoked token: %d, want 401", s)
		}
	})
	got := w.auditActions(w.users[jobseeker1].ID)
	for _, action := range []string{"token_created", "token_revoked"} {
		n := 0
		for _, a := range got {
			if a == action {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%s %d times, want 2: %v", action, n, got)
		}
	}
}

func TestAnExpiredLinkCanBeSentAgainWithoutRevealingAccounts(t *testing.T) {
	w := newWorld(t, devMode)
	u, old := w.signUpJobseeker("franco.sei@example.org")
	w.clock.Advance(49 * time.Hour)
	if status, body := w.newClient().do(http.MethodPost, "/api/v1/verify-email", map[string]string{"token": old}); status != http.StatusUnprocessableEntity {
		t.Fatalf("an expired link: %d %s", status, body)
	}
	known, bodyKnown := w.newClient().do(http.MethodPost, "/api/v1/verify-email/resend", map[string]string{"email": u.Email})
	unknown, bodyUnknown := w.newClient().do(http.MethodPost, "/api/v1/verify-email/resend", map[string]string{"email": "nessuno.mai@example.org"})
	if known != http.StatusAccepted || unknown != http.StatusAccepted || string(bodyKnown) != string(bodyUnknown) {
		t.Fatalf("resend to a pending account %d %s; to an unknown address %d %s", known, bodyKnown, unknown, bodyUnknown)
	}
	if !slices.Contains(w.auditActions(u.ID), "verification_resent") {
		t.Errorf("audit: %v", w.auditActions(u.ID))
	}
	var links int
	if err := w.db.SQL().Get(&links, `SELECT count(*) FROM email_verifications WHERE user_id = $1 AND expires_at > $2`, u.ID, w.clock.Now()); err != nil || links != 1 {
		t.Fatalf("fresh links for the account: %d, %v", links, err)
	}
	for i := 0; i < 4; i++ {
		w.newClient().do(http.MethodPost, "/api/v1/verify-email/resend", map[string]string{"email": u.Email})
	}
	if status, _ := w.newClient().do(http.MethodPost, "/api/v1/verify-email/resend", map[string]string{"email": u.Email}); status != http.StatusTooManyRequests {
		t.Errorf("the sixth resend within the window: %d, want 429", status)
	}
	if status, body := w.newClient().do(http.MethodPost, "/api/v1/verify-email/resend", map[string]string{"email": "not an address"}); status != http.StatusUnprocessableEntity || errorOf(t, body).Field != "email" {
		t.Errorf("a bad address: %d %s", status, body)
	}
}
