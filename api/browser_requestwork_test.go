package api_test

import (
	"context"
	"testing"
	"time"

	"incontro/matching"
	"incontro/webtest"
)

// The operator's work on a request in the browser: a contact that confirms
// a candidate's availability, a shortlist built and presented, the
// employer's answer recorded (hired), and time recorded with the timer.
func TestBrowserOperatorWorksARequest(t *testing.T) {
	w, b := startBrowser(t, inIntake())
	w.toContacting()
	ctx := context.Background()
	// A second available candidate for request 1, to put in order.
	c3 := matching.Candidate{GivenName: "Carla", FamilyName: "Tre", Email: "carla.tre@example.org", HomeMunicipality: "022205",
		MobilityKm: 30, Searchable: true, Presentation: matching.PresentBlind}
	if err := w.db.CreateCandidate(ctx, &c3); err != nil {
		t.Fatal(err)
	}
	e3 := matching.PipelineEntry{RequestID: w.request1.ID, CandidateID: &c3.ID, Source: matching.SourceReferral, Stage: matching.StageAvailable}
	if err := w.db.AddPipelineEntry(ctx, &e3); err != nil {
		t.Fatal(err)
	}
	e1, e3s := itoa(w.entry1.ID), itoa(e3.ID)
	req := "/operatore/richieste/" + itoa(w.request1.ID)

	op := b.NewTab(t, "operator")
	signInByKeyboard(t, op, w.users[operatorA].Email, testPassword)

	// The board, and a contact that confirms Anna's availability.
	op.Open(req + "/candidati")
	op.Has("Candidati per fase", "Anna Uno", "Carla Tre", "Disponibili", "Autocandidature")
	looksLikeBootstrapItalia(t, op)
	op.Screenshot("board")
	op.Click(`a.candidate-link[href$="/` + e1 + `"]`)
	op.Has("Registra un contatto", "Registro dei contatti", "Nessun contatto registrato.")
	op.Select("#contact-channel", "phone")
	op.Select("#contact-outcome", "available")
	typeInto(op, "#contact-note", "conferma, disponibile da lunedì")
	op.Click(`form.contact-form button[type="submit"]`)
	op.Has("Contatto registrato.", "Telefono · Disponibile", "conferma, disponibile da lunedì", "Confermata")
	op.Screenshot("contact-logged")

	// The shortlist: both candidates, Carla first (moved with the keyboard),
	// Carla blind as she asked.
	op.Click(`.request-tabs a[href="` + req + `/rosa"]`)
	op.Has("Nuova rosa", "Anna Uno", "Carla Tre", "Acconsente solo alla presentazione anonima.")
	op.Tap("#builder-pick_" + e1)
	op.Tap("#builder-pick_" + e3s)
	if !webtest.Eval[bool](op, `(document.querySelector('button[value="up:`+e3s+`"]') || document.querySelector('button[value="down:`+e3s+`"]')) !== null`) {
		t.Fatal("no move buttons")
	}
	first := webtest.Eval[string](op, `document.querySelector('tr.builder-row').dataset.entry`)
	mover := `button[value="down:` + first + `"]`
	press(op, mover)
	if got := webtest.Eval[string](op, `document.querySelector('tr.builder-row').dataset.entry`); got == first {
		t.Fatalf("the move button did not reorder the candidates (first is still %s)", got)
	}
	if !webtest.Eval[bool](op, `document.querySelector('#builder-pick_`+e1+`').checked && document.querySelector('#builder-pick_`+e3s+`').checked`) {
		t.Error("the choices were lost when reordering")
	}
	typeInto(op, "#builder-note_"+e1, "Esperienza in hotel, patente B.")
	typeInto(op, "#builder-note", "Prima rosa per Hotel Uno")
	op.Screenshot("shortlist-builder")
	press(op, `button[name="action"][value="present"]`)
	op.Has("Rosa presentata al datore.", "Versione 1", "Presentata", "Anna Uno", "Carla Tre", "Esperienza in hotel, patente B.")
	op.Screenshot("shortlist-presented")

	// The employer's answer: Anna is hired.
	op.Select("#fb-"+e1+"-decision", "hired")
	op.Select("#fb-"+e1+"-start_date", w.clock.Now().AddDate(0, 0, 14).Format(time.DateOnly))
	op.Select("#fb-"+e1+"-contract_type", "permanent")
	typeInto(op, "#fb-"+e1+"-comment", "Inizia tra due settimane.")
	press(op, `form[action$="/`+e1+`/riscontro"] button[type="submit"]`)
	op.Has("Riscontro registrato.", "Assunto", "Tempo indeterminato", "Inizia tra due settimane.")
	op.Screenshot("feedback-hired")

	// Time with the timer.
	op.Click(`.request-tabs a[href="` + req + `/tempo"]`)
	op.Has("Tempo rispetto allo standard", "Scheda 4C", "Sotto la fascia", "45 min registrate (fascia da 4 h a 8 h)")
	op.Select("#timer-activity", "candidate_contact")
	op.Click(`button.timer-start`)
	op.Has("Cronometro avviato.", "Cronometro in corso su: Contatti con i lavoratori.", "min trascorsi")
	op.Screenshot("time-timer-running")
	w.clock.Advance(20 * time.Minute)
	op.Click(`button.timer-stop`)
	op.Has("Cronometro fermato: 20 min salvati.", "1 h 5 min registrate", "Contatti con i lavoratori")
	op.Screenshot("time")
	op.NoProblems()

	// The employer and the jobseeker are refused these pages.
	for _, actor := range []string{employer1, jobseeker1} {
		tab := b.NewTab(t, actor)
		signInByKeyboard(t, tab, w.users[actor].Email, testPassword)
		for _, path := range []string{req + "/candidati", req + "/rosa", req + "/tempo"} {
			if status := tab.Open(path); status != 403 {
				t.Errorf("%s opened %s: %d", actor, path, status)
			}
		}
	}
}

// typeInto focuses a field (a text area, which Fill cannot clear when
// empty) and types text into it.
func typeInto(tab *webtest.Tab, sel, text string) {
	webtest.Eval[bool](tab, `document.querySelector('`+sel+`').focus(), true`)
	tab.Keys(text)
}

// press focuses a button and presses Enter on it, as a keyboard user does,
// and waits for the page it loads.
func press(tab *webtest.Tab, sel string) {
	webtest.Eval[bool](tab, `document.querySelector('`+sel+`').focus(), true`)
	tab.Navigating(func() { tab.Keys(webtest.KeyEnter) })
}
