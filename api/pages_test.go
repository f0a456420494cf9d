package api_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"incontro/matching"
)

// browser is a client that behaves like a browser on the pages: it keeps
// cookies, posts forms with the CSRF token in the hidden field (as the
// pages do, not in the header) and does not follow redirects, so that the
// tests see each post/redirect/get step.
type browser struct {
	w    *world
	http *http.Client
	csrf string
}

func (w *world) browser() *browser {
	c := w.newClient()
	hc := *c.http
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{w: w, http: &hc}
}

// page is an answer of the server.
type page struct {
	status   int
	location string
	body     string
	header   http.Header
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (b *browser) do(req *http.Request) page {
	b.w.t.Helper()
	req.Header.Set("Accept", "text/html")
	resp, err := b.http.Do(req)
	if err != nil {
		b.w.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	p := page{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(body), header: resp.Header}
	if m := csrfField.FindStringSubmatch(p.body); m != nil {
		b.csrf = m[1]
	}
	return p
}

// get loads a page.
func (b *browser) get(path string) page {
	b.w.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.w.ts.URL+path, nil)
	if err != nil {
		b.w.t.Fatal(err)
	}
	return b.do(req)
}

// post submits a form, adding the CSRF token of the last page seen.
func (b *browser) post(path string, form url.Values) page {
	b.w.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if b.csrf != "" && !form.Has("csrf_token") {
		form.Set("csrf_token", b.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, b.w.ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.w.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// signIn logs the actor in through the log-in form and follows the
// redirect to their home.
func (b *browser) signIn(actor string) page {
	b.w.t.Helper()
	p := b.post("/accedi", url.Values{"email": {b.w.users[actor].Email}, "password": {testPassword}})
	if p.status != http.StatusSeeOther {
		b.w.t.Fatalf("log in as %s: %d %s", actor, p.status, p.body)
	}
	return b.get(p.location)
}

func (p page) has(t *testing.T, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(p.body, w) {
			t.Errorf("page (%d) lacks %q\n%s", p.status, w, p.body)
		}
	}
	if strings.Contains(p.body, "⟦") {
		t.Errorf("page shows a message key missing from the catalogue:\n%s", p.body)
	}
}

func (p page) lacks(t *testing.T, notWant ...string) {
	t.Helper()
	for _, w := range notWant {
		if strings.Contains(p.body, w) {
			t.Errorf("page (%d) contains %q", p.status, w)
		}
	}
}

func TestEachRoleLandsOnItsHomeAfterLogIn(t *testing.T) {
	w := newWorld(t)
	for actor, home := range map[string]string{
		admin: "/admin/utenti", monitor: "/monitoraggio", operatorA: "/operatore", employer1: "/datore", jobseeker1: "/candidato",
	} {
		t.Run(actor, func(t *testing.T) {
			b := w.browser()
			p := b.post("/accedi", url.Values{"email": {w.users[actor].Email}, "password": {testPassword}})
			if p.status != http.StatusSeeOther || p.location != home {
				t.Fatalf("log-in answered %d to %q, want 303 to %s", p.status, p.location, home)
			}
			p = b.get(home)
			if p.status != http.StatusOK {
				t.Fatalf("home %s: %d", home, p.status)
			}
			p.has(t, `<span class="user-name">`+w.users[actor].Name+`</span>`, `action="/esci"`, `aria-current="page"`)
		})
	}
}

func TestTheLogInForm(t *testing.T) {
	w := newWorld(t)
	t.Run("a wrong password comes back with the address kept and the error by the field", func(t *testing.T) {
		b := w.browser()
		p := b.post("/accedi", url.Values{"email": {"OperatorA@example.org "}, "password": {"not the password"}})
		if p.status != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", p.status)
		}
		p.has(t, `value="OperatorA@example.org"`, `id="password-error">Indirizzo e-mail o password errati.</div>`,
			`aria-describedby="password-error"`, `class="alert alert-danger error-summary"`)
	})
	t.Run("a missing address is named in Italian", func(t *testing.T) {
		p := w.browser().post("/accedi", url.Values{"password": {"x"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", p.status)
		}
		p.has(t, `id="email-error">Indirizzo e-mail: è obbligatorio.</div>`)
	})
	t.Run("a page that needs a signed-in user answers with the form, which returns there", func(t *testing.T) {
		b := w.browser()
		p := b.get("/account?x=1")
		if p.status != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", p.status)
		}
		p.has(t, "<h1>Accesso richiesto</h1>", `<input type="hidden" name="next" value="/account?x=1">`)
		p = b.post("/accedi", url.Values{"email": {w.users[jobseeker1].Email}, "password": {testPassword}, "next": {"/account?x=1"}})
		if p.status != http.StatusSeeOther || p.location != "/account?x=1" {
			t.Fatalf("log-in answered %d to %q", p.status, p.location)
		}
	})
	t.Run("a next page elsewhere is ignored", func(t *testing.T) {
		for _, next := range []string{"//evil.example.org/x", "https://evil.example.org/", `/\evil.example.org`, "javascript:alert(1)"} {
			p := w.browser().post("/accedi", url.Values{"email": {w.users[employer1].Email}, "password": {testPassword}, "next": {next}})
			if p.location != "/datore" {
				t.Errorf("next %q sent the user to %q", next, p.location)
			}
		}
	})
	t.Run("a signed-in user opening the form goes home", func(t *testing.T) {
		b := w.browser()
		b.signIn(monitor)
		if p := b.get("/accedi"); p.status != http.StatusSeeOther || p.location != "/monitoraggio" {
			t.Fatalf("answered %d to %q", p.status, p.location)
		}
	})
	t.Run("a disabled account is told so by the address", func(t *testing.T) {
		if err := w.db.SetUserStatus(context.Background(), w.users[jobseeker2].ID, matching.UserDisabled); err != nil {
			t.Fatal(err)
		}
		p := w.browser().post("/accedi", url.Values{"email": {w.users[jobseeker2].Email}, "password": {testPassword}})
		if p.status != http.StatusForbidden {
			t.Fatalf("status %d, want 403", p.status)
		}
		p.has(t, `id="email-error">Indirizzo e-mail: Questo account è disattivato.</div>`)
	})
}

func TestLogOut(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	b.signIn(operatorA)
	t.Run("a form without the CSRF token is refused", func(t *testing.T) {
		if p := b.post("/esci", url.Values{"csrf_token": {"forged"}}); p.status != http.StatusForbidden {
			t.Fatalf("status %d, want 403", p.status)
		}
		if p := b.get("/operatore"); p.status != http.StatusOK {
			t.Fatalf("the session ended: %d", p.status)
		}
	})
	p := b.post("/esci", nil)
	if p.status != http.StatusSeeOther || p.location != "/accedi?uscito=1" {
		t.Fatalf("log-out answered %d to %q", p.status, p.location)
	}
	b.get(p.location).has(t, "Sei uscito.")
	if p := b.get("/operatore"); p.status != http.StatusUnauthorized {
		t.Fatalf("after log-out the workbench answered %d", p.status)
	}
}

func TestRoleHomesRefuseOtherRoles(t *testing.T) {
	w := newWorld(t)
	for _, actor := range []string{employer1, jobseeker1, monitor, admin} {
		t.Run(actor+" is refused the workbench", func(t *testing.T) {
			b := w.browser()
			b.signIn(actor)
			p := b.get("/operatore")
			if p.status != http.StatusForbidden {
				t.Fatalf("status %d, want 403", p.status)
			}
			p.has(t, "<h1>Accesso negato</h1>", "Non hai i permessi per accedere a questa pagina.")
			p.lacks(t, "Scrivania dell")
		})
	}
}

func TestLanguage(t *testing.T) {
	w := newWorld(t)
	t.Run("a visitor's choice is kept in a cookie", func(t *testing.T) {
		b := w.browser()
		b.get("/accedi").has(t, `<html lang="it">`, "<h1>Accedi</h1>")
		p := b.post("/lingua", url.Values{"lang": {"en"}, "next": {"/accedi?lang=it"}})
		if p.status != http.StatusSeeOther || p.location != "/accedi" {
			t.Fatalf("answered %d to %q", p.status, p.location)
		}
		b.get("/accedi").has(t, `<html lang="en">`, "<h1>Sign in</h1>", "Skip to main content")
	})
	t.Run("?lang= switches one page", func(t *testing.T) {
		b := w.browser()
		b.get("/registrati?lang=en").has(t, `<html lang="en">`, "I am looking for work")
		b.get("/registrati").has(t, `<html lang="it">`)
	})
	t.Run("the browser's language counts for a visitor who did not choose", func(t *testing.T) {
		b := w.browser()
		req, _ := http.NewRequest(http.MethodGet, w.ts.URL+"/registrati", nil)
		req.Header.Set("Accept-Language", "en-GB,en;q=0.9")
		b.do(req).has(t, `<html lang="en">`)
	})
	t.Run("a user's choice is saved in the account", func(t *testing.T) {
		b := w.browser()
		b.signIn(employer1)
		if p := b.post("/lingua", url.Values{"lang": {"en"}, "next": {"/datore"}}); p.status != http.StatusSeeOther {
			t.Fatalf("answered %d", p.status)
		}
		u, err := w.db.User(context.Background(), w.users[employer1].ID)
		if err != nil || u.Language != "en" {
			t.Fatalf("language %q (%v), want en", u.Language, err)
		}
		// A fresh browser signs in and gets the account's language.
		b2 := w.browser()
		b2.signIn(employer1).has(t, `<html lang="en">`, "My company")
	})
	t.Run("an unknown language is refused", func(t *testing.T) {
		if p := w.browser().post("/lingua", url.Values{"lang": {"de"}}); p.status != http.StatusUnprocessableEntity {
			t.Fatalf("answered %d", p.status)
		}
	})
}

func TestAPITokensOnTheAccountPage(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	b.signIn(operatorA)
	b.get("/account").has(t, "Non hai ancora creato token API.")

	t.Run("a token without a name comes back with the error", func(t *testing.T) {
		p := b.post("/account/token", url.Values{"name": {"  "}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", p.status)
		}
		p.has(t, `id="name-error">Nome del token: è obbligatorio.</div>`)
	})

	p := b.post("/account/token", url.Values{"name": {"esportazione"}})
	if p.status != http.StatusSeeOther || p.location != "/account" {
		t.Fatalf("create answered %d to %q", p.status, p.location)
	}
	p = b.get("/account")
	p.has(t, "Token «esportazione» creato.", `<label for="flash-secret" class="secret-label">Il tuo nuovo token API</label>`)
	if cc := p.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the page with the secret may be cached: Cache-Control %q", cc)
	}
	m := regexp.MustCompile(`readonly value="(inc_[^"]+)"`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("the token is not shown:\n%s", p.body)
	}
	token := m[1]
	b.get("/account").lacks(t, token)

	api := w.newClient()
	api.header.Set("Authorization", "Bearer "+token)
	if status, body := api.do(http.MethodGet, "/api/v1/me", nil); status != http.StatusOK {
		t.Fatalf("the new token does not work: %d %s", status, body)
	}
	tokens, err := w.db.APITokens(context.Background(), w.users[operatorA].ID)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens %v %v", tokens, err)
	}
	p = b.post("/account/token/"+itoa(tokens[0].ID)+"/revoca", nil)
	if p.status != http.StatusSeeOther {
		t.Fatalf("revoke answered %d", p.status)
	}
	b.get("/account").has(t, "Token revocato", `<span class="status-disabled">Revocato</span>`)
	if status, _ := api.do(http.MethodGet, "/api/v1/me", nil); status != http.StatusUnauthorized {
		t.Fatalf("the revoked token still works: %d", status)
	}
	t.Run("another user's token is not found", func(t *testing.T) {
		other := w.browser()
		other.signIn(operatorB)
		if p := other.post("/account/token/"+itoa(tokens[0].ID)+"/revoca", nil); p.status != http.StatusNotFound {
			t.Fatalf("answered %d", p.status)
		}
	})
}

func TestPasswordAndSessionsOnTheAccountPage(t *testing.T) {
	w := newWorld(t)
	other := w.browser()
	other.signIn(jobseeker1)
	b := w.browser()
	b.signIn(jobseeker1)
	b.get("/account").has(t, "Sessioni aperte con il tuo account: 2.")

	p := b.post("/account/password", url.Values{"current_password": {"sbagliata davvero"}, "new_password": {"una nuova frase lunga"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong current password: %d", p.status)
	}
	p.has(t, `id="current_password-error">Password attuale: non è corretta.</div>`)

	p = b.post("/account/password", url.Values{"current_password": {testPassword}, "new_password": {"corta"}})
	p.has(t, `id="new_password-error">Nuova password: deve avere almeno 12 caratteri.</div>`)

	p = b.post("/account/password", url.Values{"current_password": {testPassword}, "new_password": {"una nuova frase lunga"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("change answered %d: %s", p.status, p.body)
	}
	b.get("/account").has(t, "Password cambiata. Le altre sessioni aperte sono state chiuse: 1.")
	if p := other.get("/account"); p.status != http.StatusUnauthorized {
		t.Fatalf("the other session survived the change: %d", p.status)
	}

	p = b.post("/account/esci-ovunque", nil)
	if p.status != http.StatusSeeOther || p.location != "/accedi?uscito=1" {
		t.Fatalf("logout everywhere answered %d to %q", p.status, p.location)
	}
	if p := b.get("/account"); p.status != http.StatusUnauthorized {
		t.Fatalf("the session survived: %d", p.status)
	}
}

func TestSignUpPages(t *testing.T) {
	w := newWorld(t)
	t.Run("a jobseeker signs up and waits for the confirmation", func(t *testing.T) {
		b := w.browser()
		b.get("/registrati/candidato").has(t, `<option value="022205">Trento</option>`)
		form := url.Values{"given_name": {"Carla"}, "family_name": {"Nuova"}, "email": {"carla.nuova@example.org"},
			"password": {"corta"}, "home_municipality_code": {"022205"}, "mobility_km": {"35"}}
		p := b.post("/registrati/candidato", form)
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("short password: %d", p.status)
		}
		p.has(t, `value="Carla"`, `value="carla.nuova@example.org"`, `value="35"`, `<option value="022205" selected>Trento</option>`,
			`id="password-error">Nuova password: deve avere almeno 12 caratteri.</div>`)
		p.lacks(t, `value="corta"`)
		form.Set("password", "una frase per carla nuova")
		p = b.post("/registrati/candidato", form)
		if p.status != http.StatusSeeOther || p.location != "/registrati/inviata" {
			t.Fatalf("sign-up answered %d to %q: %s", p.status, p.location, p.body)
		}
		b.get(p.location).has(t, "Controlla la tua e-mail")
		u, err := w.db.UserByEmail(context.Background(), "carla.nuova@example.org")
		if err != nil || u.Role != matching.RoleJobseeker || u.Status != matching.UserPending {
			t.Fatalf("user %+v %v", u, err)
		}
		p = b.post("/accedi", url.Values{"email": {"carla.nuova@example.org"}, "password": {"una frase per carla nuova"}})
		p.has(t, "Prima conferma l&#39;indirizzo e-mail")
	})
	t.Run("an employer's wrong tax code is named by its field", func(t *testing.T) {
		b := w.browser()
		p := b.post("/registrati/datore", url.Values{"company.name": {"Forno Nuovo"}, "company.tax_code": {"123"},
			"company.ateco_code": {"10.71.10"}, "company.municipality_code": {"022205"}, "company.email": {"forno@example.org"},
			"name": {"Piero Fornaio"}, "email": {"piero@example.org"}, "password": {"una frase per il forno"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", p.status)
		}
		p.has(t, `id="company.tax_code-error">Codice fiscale dell&#39;impresa: non è un codice fiscale valido`, `value="Forno Nuovo"`)
	})
	t.Run("an employer signs up", func(t *testing.T) {
		p := w.browser().post("/registrati/datore", url.Values{"company.name": {"Forno Nuovo"}, "company.tax_code": {"00000030007"},
			"company.ateco_code": {"10.71.10"}, "company.municipality_code": {"022205"}, "company.email": {"forno@example.org"},
			"name": {"Piero Fornaio"}, "email": {"piero@example.org"}, "password": {"una frase per il forno"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", p.status, p.body)
		}
		u, err := w.db.UserByEmail(context.Background(), "piero@example.org")
		if err != nil || u.Role != matching.RoleEmployer || u.EmployerID == nil {
			t.Fatalf("user %+v %v", u, err)
		}
	})
}

func TestTheAccountsPage(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	b.signIn(admin)

	t.Run("filters and paging", func(t *testing.T) {
		p := b.get("/admin/utenti?role=operator")
		p.has(t, "Account trovati: 2", w.users[operatorA].Email, w.users[operatorB].Email, "Centro per l&#39;impiego A")
		p.lacks(t, w.users[employer1].Email)
		b.get("/admin/utenti?q=JOBSEEKER1").has(t, "Account trovati: 1", w.users[jobseeker1].Email)
		b.get("/admin/utenti?role=nobody").has(t, "must be one of")
	})

	t.Run("create a staff account: the password is shown once", func(t *testing.T) {
		p := b.post("/admin/utenti", url.Values{"email": {"nuovo.operatore@example.org"}, "name": {"Nuovo Operatore"}, "role": {"operator"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("an operator without provider: %d", p.status)
		}
		p.has(t, `id="provider_id-error">Ente erogatore: è obbligatorio per gli operatori, e solo per loro.</div>`, `value="nuovo.operatore@example.org"`)
		p = b.post("/admin/utenti", url.Values{"email": {"nuovo.operatore@example.org"}, "name": {"Nuovo Operatore"}, "role": {"operator"},
			"provider_id": {itoa(w.providerA.ID)}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("create answered %d: %s", p.status, p.body)
		}
		p = b.get(p.location)
		p.has(t, "Account nuovo.operatore@example.org creato.", "Password iniziale di nuovo.operatore@example.org")
		m := regexp.MustCompile(`readonly value="([^"]+)"`).FindStringSubmatch(p.body)
		if m == nil {
			t.Fatal("no password shown")
		}
		nb := w.browser()
		if p := nb.post("/accedi", url.Values{"email": {"nuovo.operatore@example.org"}, "password": {m[1]}}); p.location != "/operatore" {
			t.Fatalf("the new operator cannot sign in: %d %q", p.status, p.location)
		}
	})

	t.Run("disable and enable an account", func(t *testing.T) {
		victim := w.browser()
		victim.signIn(employer2)
		id := itoa(w.users[employer2].ID)
		p := b.post("/admin/utenti/"+id, url.Values{"status": {"disabled"}, "back": {"/admin/utenti?role=employer"}})
		if p.status != http.StatusSeeOther || p.location != "/admin/utenti?role=employer" {
			t.Fatalf("disable answered %d to %q", p.status, p.location)
		}
		b.get(p.location).has(t, "Account "+w.users[employer2].Email+" disattivato", `<span class="status-disabled">Disattivato</span>`)
		if p := victim.get("/datore"); p.status != http.StatusUnauthorized {
			t.Fatalf("the disabled user's session survived: %d", p.status)
		}
		b.post("/admin/utenti/"+id, url.Values{"status": {"active"}})
		b.get("/admin/utenti").has(t, "Account "+w.users[employer2].Email+" attivato")
	})

	t.Run("change a staff role, not an employer's nor one's own", func(t *testing.T) {
		p := b.post("/admin/utenti/"+itoa(w.users[operatorB].ID), url.Values{"role": {"monitor"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("role change answered %d: %s", p.status, p.body)
		}
		b.get("/admin/utenti").has(t, "Ruolo di "+w.users[operatorB].Email+" cambiato in: Monitoraggio provinciale.")
		u, _ := w.db.User(context.Background(), w.users[operatorB].ID)
		if u.Role != matching.RoleMonitor || u.ProviderID != nil {
			t.Fatalf("after the change: %+v", u)
		}
		p = b.post("/admin/utenti/"+itoa(w.users[employer1].ID), url.Values{"role": {"operator"}, "provider_id": {itoa(w.providerA.ID)}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("an employer's role changed: %d", p.status)
		}
		p.has(t, "cambiano ruolo solo gli account del personale")
		p = b.post("/admin/utenti/"+itoa(w.users[admin].ID), url.Values{"role": {"monitor"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("the admin changed their own role: %d", p.status)
		}
	})

	t.Run("the monitor reads the list without the forms", func(t *testing.T) {
		m := w.browser()
		m.signIn(monitor)
		p := m.get("/admin/utenti")
		p.has(t, "in sola lettura", w.users[operatorA].Email)
		p.lacks(t, `action="/admin/utenti/`, "Nuovo account del personale")
		if p := m.post("/admin/utenti/"+itoa(w.users[operatorA].ID), url.Values{"status": {"disabled"}}); p.status != http.StatusForbidden {
			t.Fatalf("the monitor changed an account: %d", p.status)
		}
	})
}

func TestEveryPageRendersInBothLanguages(t *testing.T) {
	w := newWorld(t)
	pages := map[string][]string{
		anonymous:  {"/", "/accedi", "/registrati", "/registrati/candidato", "/registrati/datore", "/registrati/inviata"},
		admin:      {"/admin/utenti", "/account"},
		monitor:    {"/monitoraggio", "/admin/utenti"},
		operatorA:  {"/operatore", "/account"},
		employer1:  {"/datore"},
		jobseeker1: {"/candidato"},
	}
	for actor, paths := range pages {
		for _, lang := range []string{"it", "en"} {
			b := w.browser()
			if actor != anonymous {
				b.signIn(actor)
			}
			for _, path := range paths {
				t.Run(actor+" "+path+" "+lang, func(t *testing.T) {
					sep := "?"
					if strings.Contains(path, "?") {
						sep = "&"
					}
					p := b.get(path + sep + "lang=" + lang)
					if p.status != http.StatusOK {
						t.Fatalf("status %d", p.status)
					}
					p.has(t, `<html lang="`+lang+`">`, `<main id="main"`, `class="skiplinks"`)
				})
			}
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
