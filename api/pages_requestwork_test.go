package api_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"incontro/matching"
	"incontro/store"
)

// The operator's pages on a request: the board and a candidate's page, the
// shortlist builder with feedback, and the time against the standard. The
// world leaves request 1 in intake with candidate 1 available; toContacting
// takes it to contacting through the store, as an operator would.

func (w *world) toContacting() {
	w.t.Helper()
	ctx := context.Background()
	a := store.Actor{UserID: w.users[operatorA].ID, Role: matching.RoleOperator}
	for _, to := range []matching.RequestStatus{matching.StatusRequirementsRanked, matching.StatusSearching, matching.StatusContacting} {
		if _, err := w.db.TransitionRequest(ctx, w.request1.ID, matching.TransitionInput{To: to}, a); err != nil {
			w.t.Fatalf("request 1 to %s: %v", to, err)
		}
	}
}

func TestRequestWorkPagesAreTheOperators(t *testing.T) {
	w := newWorld(t, inIntake())
	r, e := itoa(w.request1.ID), itoa(w.entry1.ID)
	paths := []string{"/operatore/richieste/" + r + "/candidati", "/operatore/richieste/" + r + "/rosa",
		"/operatore/richieste/" + r + "/tempo", "/operatore/candidati-richiesta/" + e}
	for _, actor := range []string{employer1, jobseeker1, operatorB} {
		b := w.browser()
		b.signIn(actor)
		for _, p := range paths {
			if pg := b.get(p); pg.status != http.StatusForbidden && pg.status != http.StatusNotFound {
				t.Errorf("%s got %d on %s", actor, pg.status, p)
			}
		}
		// Nor may they post the forms.
		if pg := b.post("/operatore/candidati-richiesta/"+e+"/contatto", url.Values{"channel": {"phone"}, "outcome": {"available"}}); pg.status != http.StatusForbidden && pg.status != http.StatusNotFound {
			t.Errorf("%s logged a contact: %d", actor, pg.status)
		}
	}
	b := w.browser()
	b.signIn(operatorA)
	for _, p := range paths {
		if pg := b.get(p); pg.status != http.StatusOK {
			t.Errorf("operator A got %d on %s", pg.status, p)
		}
		if pg := b.get(p + "?lang=en"); pg.status != http.StatusOK || pg.body == "" {
			t.Errorf("operator A got %d on %s in English", pg.status, p)
		} else {
			pg.has(t, "Candidates")
		}
	}
}

func TestTheBoardAndACandidatesPage(t *testing.T) {
	w := newWorld(t, inIntake())
	w.toContacting()
	b := w.browser()
	b.signIn(operatorA)
	board := "/operatore/richieste/" + itoa(w.request1.ID) + "/candidati"
	entry := "/operatore/candidati-richiesta/" + itoa(w.entry1.ID)

	p := b.get(board)
	p.has(t, "Candidati per fase", "Anna Uno", `href="`+entry+`"`, "Disponibili", "Ricerca", "Confermata",
		"Contatto dei candidati", "Autocandidature", "Vorrei candidarmi.", `action="/operatore/candidature/`+itoa(w.application1.ID)+`/verifica"`)

	t.Run("a contact without a channel comes back with the error by the field and the note kept", func(t *testing.T) {
		p := b.post(entry+"/contatto", url.Values{"outcome": {"available"}, "note": {"richiamare dopo le 18"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", p.status)
		}
		p.has(t, `id="contact-channel-error"`, "Canale: scegli un canale.", "richiamare dopo le 18", `<option value="available" selected>`)
	})
	t.Run("a contact confirming availability", func(t *testing.T) {
		p := b.post(entry+"/contatto", url.Values{"channel": {"phone"}, "outcome": {"available"}, "note": {"disponibile da lunedì"}})
		if p.status != http.StatusSeeOther || p.location != entry {
			t.Fatalf("status %d to %q: %s", p.status, p.location, p.body)
		}
		p = b.get(entry)
		p.has(t, "Contatto registrato.", "Telefono · Disponibile", "disponibile da lunedì", "Confermata")
		if n := w.auditCount("contact_logged"); n != 1 {
			t.Errorf("%d contact events in the audit log", n)
		}
	})
	t.Run("a rejection without a reason is refused by the reason field", func(t *testing.T) {
		p := b.post(entry+"/fase", url.Values{"from": {"available"}, "to": {"rejected"}, "note": {"troppo lontano"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", p.status)
		}
		p.has(t, `id="stage-reason-error"`, "troppo lontano", `<option value="rejected" selected>`)
		// The operator is not offered the moves the rules keep for the shortlist and feedback.
		p.lacks(t, `<option value="presented"`, `<option value="hired"`)
	})
	t.Run("a note and an availability question", func(t *testing.T) {
		if p := b.post(entry+"/nota", url.Values{"body": {"preferisce il turno di mattina"}}); p.status != http.StatusSeeOther {
			t.Fatalf("note: %d", p.status)
		}
		// The world's question to jobseeker 1 is still open: a second one is refused, the message kept.
		p := b.post(entry+"/disponibilita", url.Values{"message": {"Sei ancora interessata?"}})
		if p.status != http.StatusConflict {
			t.Fatalf("ask: %d", p.status)
		}
		p.has(t, "il candidato non ha ancora risposto alla domanda precedente.", "Sei ancora interessata?")
		b.get(entry).has(t, "preferisce il turno di mattina", "in attesa di risposta")
	})
	t.Run("a self-application not fitting needs its reason", func(t *testing.T) {
		verify := "/operatore/candidature/" + itoa(w.application1.ID) + "/verifica"
		f := "app-" + itoa(w.application1.ID)
		p := b.post(verify, url.Values{"request_id": {itoa(w.request1.ID)}, "result": {"not_fitting"}, "note": {"manca la patente"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d: %s", p.status, p.body)
		}
		p.has(t, `id="`+f+`-reason-error"`, "manca la patente", `value="not_fitting" checked`)
		// Candidate 1 entered the pipeline by search, not with this application: the store refuses it.
		p = b.post(verify, url.Values{"request_id": {itoa(w.request1.ID)}, "result": {"verified"}})
		if p.status != http.StatusConflict {
			t.Fatalf("status %d: %s", p.status, p.body)
		}
		p.has(t, "application "+itoa(w.application1.ID)+" is not in the pipeline", `value="verified" checked`)
	})
}

func TestTheShortlistBuilderAndFeedback(t *testing.T) {
	w := newWorld(t, inIntake())
	w.toContacting()
	// Candidate 1's confirmation expires.
	w.clock.Advance(15 * 24 * time.Hour)
	b := w.browser()
	b.signIn(operatorA)
	rosa := "/operatore/richieste/" + itoa(w.request1.ID) + "/rosa"
	e := itoa(w.entry1.ID)

	p := b.get(rosa)
	p.has(t, "Nuova rosa", "Anna Uno", `name="pick_`+e+`"`, `<option value="named" selected>`, "Scaduta",
		"Attenzione: la conferma di disponibilità è scaduta", `id="builder-override_`+e+`"`)

	t.Run("presenting nobody is refused with the input kept", func(t *testing.T) {
		p := b.post(rosa, url.Values{"action": {"present"}, "order": {e}, "note": {"prima rosa"}, "note_" + e: {"ottima"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", p.status)
		}
		p.has(t, "una rosa vuota non si può presentare", "prima rosa", "ottima")
	})
	t.Run("a stale confirmation without an override note is refused next to that candidate's field", func(t *testing.T) {
		p := b.post(rosa, url.Values{"action": {"present"}, "order": {e}, "pick_" + e: {"1"}, "mode_" + e: {"named"}, "note_" + e: {"ottima"}})
		if p.status != http.StatusConflict {
			t.Fatalf("status %d: %s", p.status, p.body)
		}
		p.has(t, `id="builder-override_`+e+`-error"`, `aria-describedby="builder-override_`+e+`-error"`, "ottima",
			"La conferma di disponibilità è scaduta: ricontatta il candidato")
	})
	// The candidate confirms availability; the draft (saved above) is presented.
	if p := b.post("/operatore/candidati-richiesta/"+e+"/contatto", url.Values{"channel": {"phone"}, "outcome": {"available"}}); p.status != http.StatusSeeOther {
		t.Fatalf("contact: %d", p.status)
	}
	p = b.get(rosa)
	p.has(t, "Bozza della rosa", "Confermata", `name="pick_`+e+`" value="1" checked`)
	p = b.post(rosa, url.Values{"action": {"present"}, "order": {e}, "pick_" + e: {"1"}, "mode_" + e: {"named"}, "note_" + e: {"ottima"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("present: %d %s", p.status, p.body)
	}
	p = b.get(rosa)
	p.has(t, "Rosa presentata al datore.", "Versione 1", "Presentata", "1. Anna Uno", "ottima", "Requisiti e punteggio",
		`action="/operatore/candidati-richiesta/`+e+`/riscontro"`)
	p.has(t, "Nuova versione della rosa", "Patente B: Il CV non indica patenti: patente B da verificare.",
		`<option value="`+itoa(w.vacancy1.Requirements[0].ID)+`">Patente B</option>`)
	b.get(rosa+"?lang=en").has(t, "Driving licence B: The CV lists no driving licence; to be verified: licence B.",
		`<option value="`+itoa(w.vacancy1.Requirements[0].ID)+`">Driving licence B</option>`)
	if n := w.auditCount("cv_read"); n == 0 {
		t.Error("reading the presented version wrote no cv_read")
	}

	t.Run("a hire without a start date is refused next to the field", func(t *testing.T) {
		p := b.post("/operatore/candidati-richiesta/"+e+"/riscontro", url.Values{"decision": {"hired"}, "contract_type": {"permanent"}, "comment": {"assunta"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d: %s", p.status, p.body)
		}
		p.has(t, `id="fb-`+e+`-start_date-error"`, "assunta", `<option value="permanent" selected>`)
	})
	t.Run("the employer's answer: hired", func(t *testing.T) {
		start := w.clock.Now().AddDate(0, 0, 14).Format(time.DateOnly)
		p := b.post("/operatore/candidati-richiesta/"+e+"/riscontro", url.Values{"decision": {"hired"}, "start_date": {start},
			"contract_type": {"permanent"}, "comment": {"assunta"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", p.status, p.body)
		}
		b.get(rosa).has(t, "Riscontro registrato.", "Assunto", "Tempo indeterminato", "Assunti")
	})
}

func TestTheTimePage(t *testing.T) {
	w := newWorld(t, inIntake())
	b := w.browser()
	b.signIn(operatorA)
	tempo := "/operatore/richieste/" + itoa(w.request1.ID) + "/tempo"
	p := b.get(tempo)
	p.has(t, "Tempo rispetto allo standard", "Scheda 4C", "45 min registrate (fascia da 4 h a 8 h)", "Sotto la fascia",
		"Colloquio con il referente aziendale", `action="/operatore/tempo/`+itoa(w.timeEntry1.ID)+`/elimina"`)

	t.Run("an entry without minutes comes back with the error by the field", func(t *testing.T) {
		p := b.post(tempo, url.Values{"activity": {"database_search"}, "started_at": {"2026-01-02T09:30"}, "note": {"ricerca"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", p.status)
		}
		p.has(t, `id="entry-minutes-error"`, "deve essere un numero intero", `<option value="database_search" selected>`, "ricerca")
	})
	t.Run("an entry by hand", func(t *testing.T) {
		started := w.clock.Now().Add(-2 * time.Hour).In(rome).Format("2006-01-02T15:04")
		p := b.post(tempo, url.Values{"activity": {"database_search"}, "started_at": {started}, "minutes": {"240"}, "note": {"ricerca"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", p.status, p.body)
		}
		b.get(tempo).has(t, "Tempo registrato.", "4 h 45 min registrate", "Nella fascia", "Ricerche in banca dati")
	})
	t.Run("own entry deleted", func(t *testing.T) {
		p := b.post("/operatore/tempo/"+itoa(w.timeEntry1.ID)+"/elimina", nil)
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", p.status, p.body)
		}
		b.get(tempo).has(t, "Registrazione eliminata.", "4 h registrate")
	})
	t.Run("the timer", func(t *testing.T) {
		p := b.post(tempo[:len(tempo)-len("tempo")]+"timer", url.Values{"note": {"telefonate"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("start without an activity: %d", p.status)
		}
		p.has(t, `id="timer-activity-error"`, "telefonate")
		p = b.post(tempo[:len(tempo)-len("tempo")]+"timer", url.Values{"activity": {"candidate_contact"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("start: %d %s", p.status, p.body)
		}
		w.clock.Advance(25 * time.Minute)
		b.get(tempo).has(t, "Cronometro avviato.", "Cronometro in corso su: Contatti con i lavoratori.", "25 min trascorsi", "Ferma e salva")
		p = b.post("/operatore/timer/ferma", nil)
		if p.status != http.StatusSeeOther || p.location != tempo {
			t.Fatalf("stop: %d %q", p.status, p.location)
		}
		b.get(tempo).has(t, "Cronometro fermato: 25 min salvati.", "Contatti con i lavoratori", "Avvia il cronometro")
	})
}

var rome = func() *time.Location {
	l, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic(err)
	}
	return l
}()

// auditCount counts the operator A's audit events of an action.
func (w *world) auditCount(action string) int {
	w.t.Helper()
	n := 0
	for _, a := range w.auditActions(w.users[operatorA].ID) {
		if a == action {
			n++
		}
	}
	return n
}

func TestThe4DFormsOfTheShortlistPage(t *testing.T) {
	w := newWorld(t) // request 1 presented candidate 1
	ctx := context.Background()
	a := store.Actor{UserID: w.users[operatorA].ID, Role: matching.RoleOperator}
	yes := true
	if _, err := w.db.UpdateRequest(ctx, w.request1.ID, store.RequestPatch{With4D: &yes}, a); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.TransitionRequest(ctx, w.request1.ID, matching.TransitionInput{To: matching.StatusCompetenceVerification}, a); err != nil {
		t.Fatal(err)
	}
	b := w.browser()
	b.signIn(operatorA)
	rosa := "/operatore/richieste/" + itoa(w.request1.ID) + "/rosa"
	e := itoa(w.entry1.ID)
	b.get(rosa).has(t, "Servizio 4D", "Verifica delle competenze", `action="/operatore/candidati-richiesta/`+e+`/competenza"`,
		"Sessioni di supporto alla selezione")

	p := b.post("/operatore/candidati-richiesta/"+e+"/competenza", url.Values{"method": {"interview"}, "result": {"confirmed"}, "note": {"in inglese"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("a check without its competence: %d", p.status)
	}
	p.has(t, `id="cc-`+e+`-competence-error"`, "in inglese", `<option value="interview" selected>`)
	p = b.post("/operatore/candidati-richiesta/"+e+"/competenza", url.Values{"competence": {"Accoglienza clienti"}, "method": {"interview"}, "result": {"confirmed"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("check: %d %s", p.status, p.body)
	}
	b.get(rosa).has(t, "Verifica della competenza registrata.", "Accoglienza clienti · Colloquio · Confermata")

	p = b.post("/operatore/richieste/"+itoa(w.request1.ID)+"/selezione", url.Values{"participants": {"titolare"}, "note": {"colloquio finale"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("a session without its date: %d", p.status)
	}
	p.has(t, `id="ss-held_at-error"`, "titolare", "colloquio finale")
}

// TestAClosedRequestsPagesOfferNoNewWork: once a request is closed, its
// Rosa tab shows the versions and the feedback but no builder, and a
// candidate's page in it links the CV, read for that request.
func TestAClosedRequestsPagesOfferNoNewWork(t *testing.T) {
	w := newWorld(t, inIntake())
	b := w.browser()
	b.signIn(operatorA)
	rosa := "/operatore/richieste/" + itoa(w.request1.ID) + "/rosa"
	b.get(rosa).has(t, `class="shortlist-builder"`)
	cancelled := matching.OutcomeCancelled
	if _, err := w.db.TransitionRequest(context.Background(), w.request1.ID, matching.TransitionInput{To: matching.StatusClosed,
		Outcome: &cancelled, CloseReason: matching.CloseDuplicate}, store.Actor{UserID: w.users[operatorA].ID, Role: matching.RoleOperator}); err != nil {
		t.Fatal(err)
	}
	p := b.get(rosa)
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	p.lacks(t, `class="shortlist-builder"`, `value="present"`)
	b.get("/operatore/candidati-richiesta/"+itoa(w.entry1.ID)).has(t,
		`href="/operatore/candidati/`+itoa(w.candidate1.ID)+`?richiesta=`+itoa(w.request1.ID)+`"`, "Apri il CV")
}
