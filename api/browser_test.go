package api_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"incontro/matching"
	"incontro/ui"
	"incontro/webtest"
)

// The browser tests drive headless Chromium through the pages of the test
// world (webtest says how Chromium is found and where screenshots go).
// Each test starts the real server on a loopback port with a world of its
// own, so that the tests stay independent.

// startBrowser starts the world and a browser for it, after checking that
// the pages' assets are in this build: a browser test of unstyled pages
// would pass while the pages look wrong.
func startBrowser(t *testing.T, opts ...worldOption) (*world, *webtest.Browser) {
	t.Helper()
	requireAssets(t)
	w := newWorld(t, opts...)
	return w, webtest.Start(t, w.ts.URL)
}

// requireAssets fails (or skips, see webtest) a browser test in a build
// without the pages' assets.
func requireAssets(t *testing.T) {
	t.Helper()
	r, err := ui.New()
	if err != nil {
		t.Fatal(err)
	}
	if !r.AssetsPresent() {
		msg := "the Bootstrap Italia assets are not in ui/static/vendor: run `make assets` (make test does)"
		if os.Getenv(webtest.EnvBrowserTests) == "optional" {
			t.Skip(msg)
		}
		t.Fatal(msg)
	}
}

// signInByKeyboard logs a user in on the log-in page with the keyboard
// alone: the skip link, then the form.
func signInByKeyboard(t *testing.T, tab *webtest.Tab, email, password string) {
	t.Helper()
	tab.Open("/accedi")
	tab.Keys(webtest.KeyTab)
	if got := tab.Focused(); !strings.Contains(got, "Vai al contenuto principale") {
		t.Fatalf("the first Tab focuses %q, want the skip link", got)
	}
	tab.Screenshot("skip-link-focused")
	tab.Keys(webtest.KeyEnter)
	tab.Keys(webtest.KeyTab)
	if got := tab.Focused(); got != "#email" {
		t.Fatalf("after the skip link, Tab focuses %q, want the e-mail field", got)
	}
	tab.Keys(email + webtest.KeyTab)
	if got := tab.Focused(); got != "#password" {
		t.Fatalf("Tab from the e-mail field focuses %q, want the password", got)
	}
	tab.Navigating(func() { tab.Keys(password + webtest.KeyEnter) })
}

// looksLikeBootstrapItalia checks that the design system's stylesheet and
// fonts are applied, and that nothing failed to load.
func looksLikeBootstrapItalia(t *testing.T, tab *webtest.Tab) {
	t.Helper()
	if bg := webtest.Eval[string](tab, `getComputedStyle(document.querySelector('.it-header-center-wrapper')).backgroundColor`); bg != "rgb(0, 102, 204)" {
		t.Errorf("the header's background is %s, not Bootstrap Italia's blue: is the stylesheet loaded?", bg)
	}
	if ok := webtest.Eval[bool](tab, `document.fonts.ready.then(() => document.fonts.check('16px "Titillium Web"'))`); !ok {
		t.Error("the Titillium Web font is not loaded")
	}
	tab.NoProblems()
}

func TestBrowserOperatorJourney(t *testing.T) {
	w, b := startBrowser(t)
	op := b.NewTab(t, "operator")

	signInByKeyboard(t, op, w.users[operatorA].Email, testPassword)
	if got := op.Path(); got != "/operatore" {
		t.Fatalf("the operator landed on %s", got)
	}
	op.Has("Scrivania dell'operatore", "Utente operatorA", "Operatore", "La coda delle richieste")
	looksLikeBootstrapItalia(t, op)
	op.Screenshot("workbench")

	// English and back, with the header's switch.
	op.Click(`.lang-switch button[value="en"]`)
	op.Has("Operator's workbench", "Skip to main content", "Sign out")
	if lang := webtest.Eval[string](op, `document.documentElement.lang`); lang != "en" {
		t.Errorf("lang attribute %q after switching to English", lang)
	}
	op.Screenshot("workbench-en")
	u, err := w.db.User(context.Background(), w.users[operatorA].ID)
	if err != nil || u.Language != "en" {
		t.Errorf("the choice is not saved: %q %v", u.Language, err)
	}
	op.Click(`.lang-switch button[value="it"]`)
	op.Has("Scrivania dell'operatore")

	// An API token, created, shown once, revoked.
	op.Click(`a.nav-link[href="/account"]`)
	op.Has("Il mio account", "Token API", "Non hai ancora creato token API.")
	op.Fill("#name", "esportazione mensile")
	op.Click(`form[action="/account/token"] button[type="submit"]`)
	op.Has("Token «esportazione mensile» creato.", "Il tuo nuovo token API", "non sarà più mostrato")
	token := op.Value("#flash-secret")
	if !strings.HasPrefix(token, "inc_") {
		t.Fatalf("the token shown is %q", token)
	}
	if visible := webtest.Eval[bool](op, `!document.querySelector('button[data-copy]').hidden`); !visible {
		t.Error("the copy button is not shown with JavaScript on")
	}
	op.Screenshot("token-created")
	api := w.newClient()
	api.header.Set("Authorization", "Bearer "+token)
	if status, _ := api.do("GET", "/api/v1/me", nil); status != 200 {
		t.Fatalf("the token does not work: %d", status)
	}
	op.Click(`form[action$="/revoca"] button[type="submit"]`) // the confirmation dialog is accepted
	op.Has("Token revocato: non funziona più.", "Revocato")
	op.Screenshot("token-revoked")
	if status, _ := api.do("GET", "/api/v1/me", nil); status != 401 {
		t.Fatalf("the revoked token still works: %d", status)
	}
	if strings.Contains(op.Text(), token) {
		t.Error("the token is shown again")
	}

	op.Click(`form[action="/esci"] button`)
	if got := op.Path(); got != "/accedi?uscito=1" {
		t.Fatalf("after log-out the page is %s", got)
	}
	op.Has("Sei uscito.")
	op.Screenshot("signed-out")
	if status := op.Open("/operatore"); status != 401 {
		t.Fatalf("after log-out the workbench answered %d", status)
	}
	op.Has("Accesso richiesto", "Per vedere questa pagina devi prima accedere.")
	op.NoProblems()
}

func TestBrowserJobseekerSignsUp(t *testing.T) {
	w, b := startBrowser(t)
	js := b.NewTab(t, "jobseeker")
	js.Open("/")
	js.Click(`a.btn[href="/registrati"]`)
	js.Screenshot("signup-choice")
	js.Click(`a[href="/registrati/candidato"]`)
	js.Fill("#given_name", "Carla")
	js.Fill("#family_name", "Nuova")
	js.Select("#home_municipality_code", "022205")
	js.Fill("#email", "carla.nuova@example.org")
	js.Fill("#password", "corta")
	js.Click(`form[action="/registrati/candidato"] button[type="submit"]`)
	if status := js.Status(); status != 422 {
		t.Fatalf("a short password answered %d", status)
	}
	js.Has("Correggi questi errori:", "Nuova password: deve avere almeno 12 caratteri.")
	if got := js.Focused(); !strings.HasPrefix(got, "div") {
		t.Errorf("the focus is on %q, want the error summary", got)
	}
	if v := js.Value("#given_name"); v != "Carla" {
		t.Errorf("the given name was not kept: %q", v)
	}
	js.Screenshot("signup-error")
	js.Fill("#password", "una frase per carla nuova")
	js.Click(`form[action="/registrati/candidato"] button[type="submit"]`)
	js.Has("Controlla la tua e-mail", "Registrazione ricevuta.")
	js.Screenshot("signup-sent")
	looksLikeBootstrapItalia(t, js)
	u, err := w.db.UserByEmail(context.Background(), "carla.nuova@example.org")
	if err != nil || u.Role != matching.RoleJobseeker || u.Status != matching.UserPending {
		t.Fatalf("the new account: %+v %v", u, err)
	}
}

func TestBrowserAdminDisablesAnAccount(t *testing.T) {
	w, b := startBrowser(t)
	ad := b.NewTab(t, "admin")
	signInByKeyboard(t, ad, w.users[admin].Email, testPassword)
	if got := ad.Path(); got != "/admin/utenti" {
		t.Fatalf("the admin landed on %s", got)
	}
	ad.Has("Account utenti", "Account trovati: 8", "Nuovo account del personale")
	looksLikeBootstrapItalia(t, ad)
	ad.Screenshot("accounts")

	ad.Select("#f-role", "employer")
	ad.Click(`form.filters button[type="submit"]`)
	ad.Has("Account trovati: 2", w.users[employer2].Email)
	row := "#user-" + itoa(w.users[employer2].ID)
	ad.Click(row + ` form[data-confirm] button`)
	ad.Has("Account " + w.users[employer2].Email + " disattivato: le sue sessioni sono state chiuse.")
	if got := webtest.Eval[string](ad, `document.querySelector('`+row+` .status-disabled').textContent`); got != "Disattivato" {
		t.Errorf("the row says %q", got)
	}
	ad.Screenshot("account-disabled")

	// A member of staff changes role: operator B becomes a monitor.
	ad.Open("/admin/utenti?role=operator")
	opRow := "#user-" + itoa(w.users[operatorB].ID)
	ad.Tap(opRow + " details.role-change summary")
	ad.Select(opRow+` select[name="role"]`, "monitor")
	ad.Select(opRow+` select[name="provider_id"]`, "")
	ad.Screenshot("role-change-open")
	ad.Click(opRow + " .role-form button")
	ad.Has("Ruolo di " + w.users[operatorB].Email + " cambiato in: Monitoraggio provinciale.")
	if u, err := w.db.User(context.Background(), w.users[operatorB].ID); err != nil || u.Role != matching.RoleMonitor {
		t.Fatalf("operator B after the change: %+v %v", u, err)
	}

	em := b.NewTab(t, "employer2")
	em.Open("/accedi")
	em.Fill("#email", w.users[employer2].Email)
	em.Fill("#password", testPassword)
	em.Click(`form[action="/accedi"] button[type="submit"]`)
	if status := em.Status(); status != 403 {
		t.Fatalf("the disabled account's log-in answered %d", status)
	}
	em.Has("Questo account è disattivato.")
	em.Screenshot("disabled-login")
}

func TestBrowserEmployerAndJobseekerAreRefusedTheWorkbench(t *testing.T) {
	w, b := startBrowser(t)
	for _, actor := range []string{employer1, jobseeker1} {
		tab := b.NewTab(t, actor)
		signInByKeyboard(t, tab, w.users[actor].Email, testPassword)
		tab.Screenshot("home")
		if status := tab.Open("/operatore"); status != 403 {
			t.Fatalf("%s opened the workbench: %d", actor, status)
		}
		tab.Has("Accesso negato", "Non hai i permessi per accedere a questa pagina.")
		if strings.Contains(tab.Text(), "Scrivania dell'operatore") {
			t.Errorf("%s sees the workbench", actor)
		}
		tab.Screenshot("refused")
		tab.NoProblems()
	}
}
