package api_test

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"incontro/api"
	"incontro/matching"
	"incontro/webtest"
)

// waitUntil polls a JavaScript condition until it holds (a script's work
// that loads no page, such as the live wording check).
func waitUntil(t *testing.T, tab *webtest.Tab, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(webtest.StepTimeout)
	for !webtest.Eval[bool](tab, cond) {
		if time.Now().After(deadline) {
			tab.Screenshot("failed")
			t.Fatalf("%s: not within %s; the page says:\n%s", what, webtest.StepTimeout, tab.Text())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// tick activates a check box or a radio button (as a click does, without
// depending on where the layout has put it yet) and checks that it is on.
func tick(t *testing.T, tab *webtest.Tab, sel string) {
	t.Helper()
	q := "document.querySelector('" + sel + "')"
	if !webtest.Eval[bool](tab, "("+q+".checked || "+q+".click(), "+q+".checked)") {
		tab.Screenshot("failed")
		t.Fatalf("%s is not ticked", sel)
	}
}

// The employer's journey in the browser: a company signs up and confirms
// its address, posts a vacancy whose text discriminates and sees the live
// warning, is refused on sending, rewrites the text and sends it; then the
// world's employer 1 reads the shortlist presented to it, with the
// explanations, and answers on both candidates, the second time in English.
func TestBrowserEmployerJourney(t *testing.T) {
	logs := &logBuffer{}
	w, b := startBrowser(t, withConfig(func(c *api.Config) { c.Logger = slog.New(slog.NewJSONHandler(logs, nil)) }))
	ctx := context.Background()
	carla, carlaEntry := w.presentSecondVersion()

	// Sign-up of a new company, confirmed by the link of the e-mail.
	co := b.NewTab(t, "company")
	co.Open("/")
	co.Click(`a.btn[href="/registrati"]`)
	co.Click(`a[href="/registrati/datore"]`)
	co.Fill(`[id="company.name"]`, "Trattoria Quattro")
	co.Fill(`[id="company.tax_code"]`, "00000030007")
	co.Fill(`[id="company.ateco_code"]`, "56.10.11")
	co.Select(`[id="company.municipality_code"]`, "022205")
	co.Fill(`[id="company.email"]`, "trattoria.quattro@example.org")
	co.Fill("#name", "Marta Oste")
	co.Fill("#email", "marta@trattoria-quattro.example.org")
	co.Fill("#password", "una frase per la trattoria")
	co.Screenshot("signup")
	co.Click(`form[action="/registrati/datore"] button[type="submit"]`)
	co.Has("Controlla la tua e-mail")
	recs := logs.find(t, "e-mail verification link")
	if len(recs) != 1 {
		t.Fatalf("verification links logged: %v", recs)
	}
	link, _ := recs[0]["link"].(string)
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	co.Open(u.RequestURI())
	co.Screenshot("verified")
	signInByKeyboard(t, co, "marta@trattoria-quattro.example.org", "una frase per la trattoria")
	if got := co.Path(); got != "/datore" {
		t.Fatalf("the new employer landed on %s", got)
	}
	co.Has("La mia impresa", "Trattoria Quattro", "Non hai ancora offerte.", "lo scegli quando invii la prima offerta")
	looksLikeBootstrapItalia(t, co)
	co.Screenshot("home-empty")

	// A vacancy whose text discriminates: the warning comes while typing.
	co.Click(`a.emp-new`)
	co.Has("Nuova offerta di lavoro", "Controllo del testo")
	co.Fill("#title", "Cameriere/a di sala")
	typeInto(co, "#description", "Cerchiamo personale di sala di bella presenza, età massima 30 anni, per la stagione estiva.")
	waitUntil(t, co, "the live wording warning",
		`document.querySelector('#wording-results').innerText.includes('Aspetto fisico') && document.querySelector('#wording-results').innerText.includes('Età')`)
	co.Has("Il testo contiene passaggi da riscrivere:", "bella presenza", "Riferimento normativo")
	co.Screenshot("live-warning")

	// The place, the contract and two requirements, the language moved
	// first with the keyboard.
	co.Fill("#municipality", "Trento")
	co.Select("#contract_type", "seasonal")
	tick(t, co, "#working_time-full_time")
	co.Select("#add_kind", "skill")
	co.Click("button.emp-add-button")
	if got := co.Focused(); got != "#req-0-value" {
		t.Errorf("after adding a requirement the focus is on %q", got)
	}
	typeInto(co, "#req-0-value", "Servizio ai tavoli")
	tick(t, co, "#req-0-essential")
	co.Select("#add_kind", "language")
	co.Click("button.emp-add-button")
	co.Select("#req-1-value", "de")
	co.Select("#req-1-level", "B1")
	press(co, "#req-1-up")
	if got := webtest.Eval[string](co, `document.querySelector('input[name="req-0-kind"]').value`); got != "language" {
		t.Fatalf("the language is not first: %s", got)
	}
	if got := co.Focused(); got != "#req-0-down" {
		t.Errorf("after the move the focus is on %q", got)
	}
	if v := co.Value("#req-1-value"); v != "Servizio ai tavoli" {
		t.Errorf("the skill typed was lost: %q", v)
	}
	co.Select("#provider_id", itoa(w.providerA.ID))
	co.Screenshot("requirements")

	// Sending is refused: an employer cannot justify the wording.
	co.Click("button.emp-send")
	if status := co.Status(); status != 422 {
		t.Fatalf("sending a discriminatory ad answered %d", status)
	}
	co.Has("Correggi questi errori:", "passaggi da riscrivere", "un'impresa non può giustificarli", "Età", "Aspetto fisico")
	co.Screenshot("refused")
	if n := w.vacancyCount(mustEmployerOf(t, w, "marta@trattoria-quattro.example.org")); n != 0 {
		t.Fatalf("a refused ad was saved: %d", n)
	}

	// Rewritten, checked live, and sent.
	webtest.Eval[bool](co, `document.querySelector('#description').value = '', true`)
	typeInto(co, "#description", "Cerchiamo personale di sala per la stagione estiva: servizio ai tavoli, presa delle comande, riassetto. Richiesta conoscenza del tedesco.")
	waitUntil(t, co, "the live check of the rewritten text",
		`document.querySelector('#wording-results').innerText.includes('Nessun problema trovato')`)
	co.Screenshot("rewritten")
	co.Click("button.emp-send")
	co.Has("Offerta pubblicata e richiesta inviata a Centro per l'impiego A.", "Cameriere/a di sala", "Ricevuta",
		"Tedesco almeno B1", "Servizio ai tavoli", "indispensabile")
	co.Screenshot("sent")
	co.Click(`a[href="/datore"]`)
	co.Has("Cameriere/a di sala", "Pubblicata", "Ricevuta")
	co.NoProblems()

	// Employer 1 reads the shortlist presented to it.
	boss := b.NewTab(t, "employer1")
	signInByKeyboard(t, boss, w.users[employer1].Email, testPassword)
	boss.Has("Hotel Uno", "Da fare", "Rosa da valutare")
	boss.Click(`.emp-todo a`)
	boss.Has("Rosa di candidati presentata", "Versione 2", "Anna Uno", "Con nome", carlaEntry.Pseudonym, "In forma anonima",
		"Requisito per requisito", "Patente B", "Candidati della rosa in attesa del tuo riscontro: 2.")
	if text := boss.Text(); strings.Contains(text, "Carla Tre") || strings.Contains(text, "carla.tre@example.org") {
		t.Fatal("the blind candidate's name or address is shown")
	}
	tre := itoa(carlaEntry.ID)
	webtest.Eval[bool](boss, `(document.querySelector('#cand-`+tre+` details.emp-cv').open = true)`)
	boss.Has("Autista patente C", "Esperienze")
	boss.Screenshot("shortlist")

	// Not selected, with the reason and the requirement not met.
	form := `form[action$="/` + tre + `/riscontro"]`
	if !webtest.Eval[bool](boss, `document.querySelector('`+form+` [data-for="not_selected"]').hidden`) {
		t.Error("with the script, the reason is shown before the answer is chosen")
	}
	tick(t, boss, "#fb-"+tre+"-decision-not_selected")
	if webtest.Eval[bool](boss, `document.querySelector('`+form+` [data-for="not_selected"]').hidden`) {
		t.Fatal("choosing «not selected» did not show the reason")
	}
	boss.Select("#fb-"+tre+"-reason", "distance")
	v1, err := w.db.Vacancy(ctx, w.vacancy1.ID)
	if err != nil {
		t.Fatal(err)
	}
	boss.Select("#fb-"+tre+"-requirement_id", itoa(v1.Requirements[0].ID))
	typeInto(boss, "#fb-"+tre+"-comment", "Abita troppo lontano dall'hotel.")
	boss.Screenshot("not-selected-form")
	press(boss, form+` button[type="submit"]`)
	boss.Has("Riscontro inviato: grazie.", "Non lo seleziono", "Distanza / mobilità", "Abita troppo lontano dall'hotel.",
		"Candidati della rosa in attesa del tuo riscontro: 1.")
	boss.Screenshot("not-selected")

	// In English: Anna is hired.
	boss.Click(`.lang-switch button[value="en"]`)
	boss.Has("The shortlist", "Requirement by requirement", "Your feedback", "Not selected")
	anna := itoa(w.entry1.ID)
	tick(t, boss, "#fb-"+anna+"-decision-hired")
	start := w.clock.Now().AddDate(0, 0, 14).Format(time.DateOnly)
	boss.Select("#fb-"+anna+"-start_date", start)
	boss.Select("#fb-"+anna+"-contract_type", "permanent")
	press(boss, `form[action$="/`+anna+`/riscontro"] button[type="submit"]`)
	boss.Has("Feedback sent: thank you.", "I am hiring them", "Hire recorded", "Permanent")
	boss.Screenshot("hired-en")
	boss.NoProblems()

	fbs, err := w.db.FeedbackForRequest(ctx, w.request1.ID)
	if err != nil || len(fbs) != 2 || fbs[0].EntryID != carlaEntry.ID || fbs[0].Reason != "distance" ||
		fbs[1].EntryID != w.entry1.ID || fbs[1].Decision != matching.DecisionHired || fbs[1].StartDate == nil ||
		fbs[1].StartDate.Format(time.DateOnly) != start {
		t.Fatalf("feedback recorded: %+v %v", fbs, err)
	}
	if len(w.shortlistReads(carla.ID)) == 0 {
		t.Error("reading the shortlist wrote no CV read of the blind candidate")
	}

	// A jobseeker is refused the employer's pages.
	js := b.NewTab(t, "jobseeker")
	signInByKeyboard(t, js, w.users[jobseeker1].Email, testPassword)
	if status := js.Open("/datore/offerte/nuova"); status != 403 {
		t.Fatalf("a jobseeker opened the vacancy form: %d", status)
	}
}

// mustEmployerOf returns the employer of the account with the address.
func mustEmployerOf(t *testing.T, w *world, email string) int64 {
	t.Helper()
	u, err := w.db.UserByEmail(context.Background(), email)
	if err != nil || u.EmployerID == nil {
		t.Fatalf("the account %s: %+v %v", email, u, err)
	}
	return *u.EmployerID
}
