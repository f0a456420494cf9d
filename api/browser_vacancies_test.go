package api_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"incontro/matching"
	"incontro/store"
	"incontro/webtest"
)

// TestBrowserVacanciesAndTheJobseekersAnswers: an anonymous visitor finds a
// vacancy and reads it (its JobPosting parsed in the page), in Italian and
// in English; jobseeker 1 signs in from the vacancy to apply and comes back
// to it, answers the availability question operator A asked (first
// forgetting to choose), applies to the vacancy, sees the application and
// withdraws it.
func TestBrowserVacanciesAndTheJobseekersAnswers(t *testing.T) {
	// Request 1 in intake: candidate 1 stands available and the answer
	// moves them. The world has a CV index, for the recommended vacancies.
	requireAssets(t)
	sw := newSearchWorld(t, inIntake())
	w, b := sw.world, webtest.Start(t, sw.ts.URL)
	ctx := context.Background()
	if err := w.db.PublishVacancy(ctx, w.vacancy1.ID, "", nil, nil); err != nil {
		t.Fatal(err)
	}
	years := 2.0
	cook := w.publishVacancy(func(v *matching.Vacancy) {
		v.Title, v.Description = "Cuoco/a di linea", "Cucina trentina per il ristorante dell'hotel.\n\nTurni serali, due giorni liberi."
		v.OccupationCode, v.ISCOCode, v.WorkingTime = "occ-cuoco", "5120", []string{"full_time", "shifts"}
		v.Requirements = []matching.Requirement{
			{Rank: 1, Essential: true, Kind: matching.ReqOccupation, Code: "occ-cuoco", MinYears: &years},
			{Rank: 2, Kind: matching.ReqLanguage, Code: "de", Level: "B1"},
		}
	})
	vacancyPath := fmt.Sprintf("/offerte/%d", cook.ID)
	// Candidate 1 has cooked for a year and speaks German.
	c1, err := w.db.Candidate(ctx, w.candidate1.ID)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().AddDate(-1, -1, 0)
	c1.Experiences = []matching.Experience{{OccupationCode: "occ-cuoco", ISCOCode: "5120", Title: "Cuoca", StartDate: start}}
	c1.Languages = []matching.LanguageLevel{{Language: "de", Level: "B2"}}
	if err := w.db.UpdateCandidate(ctx, &c1); err != nil {
		t.Fatal(err)
	}

	// An anonymous visitor: from the home page to the list, a search, the vacancy.
	anon := b.NewTab(t, "visitor")
	anon.Open("/")
	anon.Click(`a.nav-link[href="/offerte"]`)
	anon.Has("Offerte di lavoro", "Offerte trovate: 2", "Cuoco/a di linea", "Offerta 1", "Hotel Uno")
	looksLikeBootstrapItalia(t, anon)
	anon.Fill("#q", "cuoco")
	anon.Navigating(func() { anon.Keys(webtest.KeyEnter) })
	anon.Has("Offerte trovate: 1", "Cuoco/a di linea")
	anon.Screenshot("search")
	anon.Click(fmt.Sprintf(`#vacancy-%d h3 a`, cook.ID))
	if got := anon.Path(); got != vacancyPath {
		t.Fatalf("the vacancy's page is %s", got)
	}
	anon.Has("Cuoco/a di linea", "Hotel Uno", "Trento", "Tempo indeterminato", "Tempo pieno, Turni",
		"Cuoco, almeno 2 anni di esperienza", "Indispensabile", "Tedesco almeno B1", "Accedi per candidarti")
	noBrokenText(t, anon)
	type posting struct {
		Type, Title, Org, Locality, Country, Posted string
		Employment                                  []string
		Direct                                      bool
	}
	read := webtest.Eval[posting](anon, `(() => { const j = JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent);
		return {Type: j["@type"], Title: j.title, Org: j.hiringOrganization.name, Locality: j.jobLocation.address.addressLocality,
			Country: j.jobLocation.address.addressCountry, Posted: j.datePosted, Employment: j.employmentType, Direct: j.directApply} })()`)
	if read.Type != "JobPosting" || read.Title != cook.Title || read.Org != "Hotel Uno" || read.Locality != "Trento" ||
		read.Country != "IT" || len(read.Posted) != 10 || fmt.Sprint(read.Employment) != "[FULL_TIME]" || !read.Direct {
		t.Errorf("the page's JobPosting reads %+v", read)
	}
	anon.Screenshot("vacancy")
	anon.NoProblems()

	// The same page in English, with the header's switch, and back.
	anon.Click(`.lang-switch button[value="en"]`)
	anon.Has("Workplace", "Permanent", "Full time, Shifts", "Cuoco, at least 2 years of experience", "German, at least B1",
		"Essential", "Sign in to apply")
	if lang := webtest.Eval[string](anon, `document.documentElement.lang`); lang != "en" {
		t.Errorf("lang attribute %q after switching to English", lang)
	}
	anon.Screenshot("vacancy-en")
	anon.Click(`.lang-switch button[value="it"]`)
	anon.Has("Luogo di lavoro")

	// Jobseeker 1 signs in from the vacancy and comes back to it.
	js := b.NewTab(t, "jobseeker")
	js.Open(vacancyPath)
	js.Click(".sign-in-to-apply")
	js.Has("Accedi")
	js.Fill("#email", w.users[jobseeker1].Email)
	js.Fill("#password", testPassword)
	js.Navigating(func() { js.Keys(webtest.KeyEnter) })
	if got := js.Path(); got != vacancyPath {
		t.Fatalf("after signing in the jobseeker is on %s, want back on %s", got, vacancyPath)
	}
	js.Has("Invia la candidatura", "Messaggio per il centro per l'impiego (facoltativo)")

	// The vacancies recommended for their CV: the cook's, explained; vacancy
	// 1, which asks a licence the CV does not mention, is no recommendation.
	js.Open("/candidato/offerte")
	js.Has("Offerte per te", "Adatte al tuo profilo: 1", "Cuoco/a di linea", "Affinità", "Perché te la proponiamo", "Cerca tra tutte le offerte")
	js.Tap(fmt.Sprintf("#rec-%d summary", cook.ID))
	js.Has("In parte Cuoco, almeno 2 anni di esperienza", "Lo hai Tedesco almeno B1")
	js.Screenshot("recommended")
	if n := webtest.Eval[int](js, fmt.Sprintf(`document.querySelectorAll('#rec-%d').length`, w.vacancy1.ID)); n != 0 {
		t.Error("a vacancy nothing in the CV supports is recommended")
	}

	// The availability question operator A asked.
	q := fmt.Sprintf("#question-%d", w.availability1.ID)
	form := fmt.Sprintf("answer-%d", w.availability1.ID)
	js.Open("/candidato/disponibilita")
	js.Has("Richieste di disponibilità", "Da rispondere: 1", "Offerta 1", "La tua risposta")
	js.Screenshot("availability")
	typeInto(js, "#"+form+"-reason", "Posso iniziare da lunedì.")
	js.Click(q + " .answer-submit")
	if st := js.Status(); st != 422 {
		t.Errorf("an answer without a choice answered %d", st)
	}
	js.Has("Correggi questi errori:", "Scegli se l'offerta ti interessa o no.")
	if got := js.Value("#" + form + "-reason"); got != "Posso iniziare da lunedì." {
		t.Errorf("the reason was not kept: %q", got)
	}
	js.Screenshot("availability-error")
	js.Tap("#" + form + "-interested")
	js.Click(q + " .answer-submit")
	js.Has("Risposta inviata: l'operatore sa che sei interessato/a e disponibile.", "Da rispondere: 0", "Domande a cui hai risposto",
		"Interessato/a", "Posso iniziare da lunedì.")
	js.Screenshot("availability-answered")
	if e := w.entryOf(w.entry1.ID); e.Stage != matching.StageAvailable || e.AvailabilityConfirmedAt == nil {
		t.Errorf("after the answer candidate 1 is %s (confirmed %v)", e.Stage, e.AvailabilityConfirmedAt)
	}

	// The application: from the list to the vacancy, a message, sent.
	js.Open("/offerte")
	js.Click(fmt.Sprintf(`#vacancy-%d h3 a`, cook.ID))
	typeInto(js, "#message", "Ho lavorato sei anni nella cucina di un albergo.")
	js.Click(".apply-submit")
	if got := js.Path(); got != "/candidato/candidature" {
		t.Fatalf("after applying the jobseeker is on %s", got)
	}
	js.Has("Candidatura inviata: il centro per l'impiego la verificherà.", "Le mie candidature", "Cuoco/a di linea",
		"inviata, da verificare", "Ho lavorato sei anni nella cucina di un albergo.", "Offerta 1")
	js.Screenshot("applications")
	apps, _, err := w.db.Applications(ctx, store.ApplicationFilter{VacancyID: cook.ID, CandidateID: w.candidate1.ID})
	if err != nil || len(apps) != 1 || apps[0].Status != matching.ApplicationSubmitted {
		t.Fatalf("applications to the cook's vacancy: %+v %v", apps, err)
	}

	// In English, then withdrawn (the confirmation is accepted).
	js.Click(`.lang-switch button[value="en"]`)
	js.Has("My applications", "sent, to be checked", "Withdraw the application")
	js.Screenshot("applications-en")
	js.Click(fmt.Sprintf(`#application-%d .withdraw`, apps[0].ID))
	js.Has("Application withdrawn.", "withdrawn")
	if a, err := w.db.Application(ctx, apps[0].ID); err != nil || a.Status != matching.ApplicationWithdrawn {
		t.Errorf("the application is %s (%v) after withdrawing", a.Status, err)
	}
	if n := webtest.Eval[int](js, fmt.Sprintf(`document.querySelectorAll('#application-%d .withdraw').length`, apps[0].ID)); n != 0 {
		t.Error("a withdrawn application still offers to withdraw")
	}
	js.Screenshot("withdrawn-en")
	js.Click(`.lang-switch button[value="it"]`)
	js.Has("Le mie candidature", "ritirata")
	noBrokenText(t, js)
	js.NoProblems()
}
