package api_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"incontro/matching"
	"incontro/store"
	"incontro/webtest"
)

// The operator's whole 4C job on one request, in the browser, by keyboard:
// the queue, the request's requirements put in order, the match, two
// candidates added, their availability confirmed by contacts, a shortlist
// presented, the employer's answer (a hire), the time recorded, and the
// request closed as filled. After each step the store says the state really
// changed, and the audit log has the change.
func TestBrowserOperatorDoesTheWhole4CJob(t *testing.T) {
	sw, b := startSearchBrowser(t)
	ctx := context.Background()
	reqID := sw.request1.ID
	req := "/operatore/richieste/" + itoa(reqID)
	status := func() matching.Request {
		t.Helper()
		r, err := sw.db.Request(ctx, reqID)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	wantStatus := func(want matching.RequestStatus) {
		t.Helper()
		if got := status().Status; got != want {
			t.Fatalf("the request is %s, want %s", got, want)
		}
	}
	audited := func(action string) []matching.AuditEvent {
		t.Helper()
		evs, _, err := sw.db.AuditLog(ctx, store.AuditFilter{RequestID: reqID, Action: action, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return evs
	}
	entryOf := func(c matching.Candidate) store.PipelineRow {
		t.Helper()
		rows, err := sw.db.PipelineRows(ctx, reqID, "", store.ByEntered)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(rows, func(r store.PipelineRow) bool { return r.CandidateID != nil && *r.CandidateID == c.ID })
		if i < 0 {
			t.Fatalf("%s %s is not in the request's pipeline", c.GivenName, c.FamilyName)
		}
		return rows[i]
	}

	// Sign in by keyboard: the operator lands on the queue.
	op := b.NewTab(t, "operator")
	signInByKeyboard(t, op, sw.users[operatorA].Email, testPassword)
	if got := op.Path(); got != "/operatore" {
		t.Fatalf("the operator landed on %s", got)
	}
	op.Has("Scrivania dell'operatore", "Cuoco di ristorante", "Hotel Uno", "Accoglienza")
	op.Screenshot("01-queue")
	noBrokenText(t, op)

	// The request, from the queue's link.
	press(op, `#request-`+itoa(reqID)+` th a`)
	if got := op.Path(); got != req {
		t.Fatalf("the queue's link led to %s", got)
	}
	op.Has("Requisiti in ordine di importanza", "Patente B", "Ciclo di vita")
	op.Screenshot("02-request")
	noBrokenText(t, op)

	// Rank: the licence goes down one place with the keyboard.
	v, err := sw.db.Vacancy(ctx, sw.request1.VacancyID)
	if err != nil {
		t.Fatal(err)
	}
	licence := v.Requirements[0].ID
	press(op, `#down-`+itoa(licence))
	op.Has("Requisito spostato: «Patente B» è ora al posto 2.")
	if v, err = sw.db.Vacancy(ctx, sw.request1.VacancyID); err != nil {
		t.Fatal(err)
	}
	if v.Requirements[1].ID != licence || v.Requirements[0].Kind != matching.ReqOccupation {
		t.Fatalf("the licence is not second: %+v", v.Requirements)
	}
	// The life-cycle button: requirements ranked.
	press(op, `#to-requirements_ranked`)
	op.Has("Richiesta portata a: Requisiti ordinati.")
	wantStatus(matching.StatusRequirementsRanked)
	op.Screenshot("03-ranked")
	noBrokenText(t, op)

	// The match, and two candidates added from its results.
	press(op, `.request-tabs a[href$="/abbinamento"]`)
	op.Has("Nessun abbinamento ancora eseguito")
	press(op, `#run-match`)
	op.Has("Abbinamento eseguito:", "Carla Cucina", "Walter Sala")
	wantStatus(matching.StatusSearching)
	op.Screenshot("04-match")
	noBrokenText(t, op)
	press(op, `#cand-`+itoa(sw.cook.ID)+` button.wb-add`)
	op.Has("Carla Cucina aggiunto ai candidati della richiesta.")
	press(op, `#cand-`+itoa(sw.waiter.ID)+` button.wb-add`)
	op.Has("Walter Sala aggiunto ai candidati della richiesta.")
	op.Screenshot("05-added")
	noBrokenText(t, op)
	cook, waiter := entryOf(sw.cook), entryOf(sw.waiter)
	for _, e := range []store.PipelineRow{cook, waiter} {
		if e.MatchRunID == nil || e.Stage != matching.StageFound {
			t.Fatalf("entry %d: stage %s, match run %v", e.ID, e.Stage, e.MatchRunID)
		}
	}
	if n := len(audited("pipeline_entry_added")); n != 2 {
		t.Errorf("%d pipeline_entry_added events, want 2", n)
	}

	// Contacting, with the request page's life-cycle button.
	op.Open(req)
	press(op, `#to-contacting`)
	op.Has("Richiesta portata a: Contatto dei candidati.")
	wantStatus(matching.StatusContacting)

	// Contacts that confirm both candidates' availability: the Candidati
	// tab, a candidate's page, the contact form.
	for _, e := range []store.PipelineRow{cook, waiter} {
		press(op, `.request-tabs a[href="`+req+`/candidati"]`)
		op.Has("Candidati per fase", "Carla Cucina")
		press(op, `a.candidate-link[href$="/`+itoa(e.ID)+`"]`)
		op.Has("Registra un contatto", "Nessun contatto registrato.")
		op.Select("#contact-channel", "phone")
		op.Select("#contact-outcome", "available")
		typeInto(op, "#contact-note", "disponibile da subito")
		press(op, `form.contact-form button[type="submit"]`)
		op.Has("Contatto registrato.", "Telefono · Disponibile", "disponibile da subito", "Confermata", "Individuati → Disponibili")
		noBrokenText(t, op)
		contacts, err := sw.db.Contacts(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(contacts) != 1 || contacts[0].Outcome != "available" {
			t.Fatalf("entry %d: contacts %+v", e.ID, contacts)
		}
		if got := entryOf(sw.candidateOf(e)).Stage; got != matching.StageAvailable {
			t.Fatalf("entry %d after the contact: stage %s", e.ID, got)
		}
	}
	op.Screenshot("06-contact-logged")
	noBrokenText(t, op)
	if n := len(audited("contact_logged")); n != 2 {
		t.Errorf("%d contact_logged events, want 2", n)
	}

	// The shortlist: the two, the waiter first (moved with the keyboard).
	press(op, `.request-tabs a[href="`+req+`/rosa"]`)
	op.Has("Nuova rosa", "Carla Cucina", "Walter Sala")
	// The score reads as on the match page, a decimal (not "407%").
	if cook.Score == nil {
		t.Fatal("the cook's entry has no score")
	}
	op.Has("Punteggio " + strings.Replace(fmt.Sprintf("%.2f", *cook.Score), ".", ",", 1))
	ck, wt := itoa(cook.ID), itoa(waiter.ID)
	op.Tap("#builder-pick_" + ck)
	op.Tap("#builder-pick_" + wt)
	if webtest.Eval[string](op, `document.querySelector('tr.builder-row input:checked').closest('tr').dataset.entry`) == ck {
		press(op, `button[value="down:`+ck+`"]`)
	} else {
		press(op, `button[value="up:`+wt+`"]`)
	}
	typeInto(op, "#builder-note_"+ck, "Cuoca con dieci anni di esperienza.")
	typeInto(op, "#builder-note", "Rosa per Hotel Uno")
	op.Screenshot("07-shortlist-builder")
	noBrokenText(t, op)
	press(op, `button[name="action"][value="present"]`)
	op.Has("Rosa presentata al datore.", "Versione 1", "Presentata", "Carla Cucina", "Cuoca con dieci anni di esperienza.")
	op.Screenshot("08-shortlist-presented")
	noBrokenText(t, op)
	wantStatus(matching.StatusShortlistPresented)
	sls, err := sw.db.Shortlists(ctx, reqID, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(sls) != 1 || sls[0].Status != matching.ShortlistPresented || len(sls[0].Items) != 2 || sls[0].PresentedAt == nil {
		t.Fatalf("the presented shortlists: %+v", sls)
	}
	if first := sls[0].Items[0].EntryID; first != waiter.ID {
		t.Errorf("the shortlist's first candidate is entry %d, want the waiter's %d", first, waiter.ID)
	}
	for _, e := range []store.PipelineRow{cook, waiter} {
		if got := entryOf(sw.candidateOf(e)).Stage; got != matching.StagePresented {
			t.Errorf("entry %d after the presentation: stage %s", e.ID, got)
		}
	}
	if n := len(audited("shortlist_presented")); n != 1 {
		t.Errorf("%d shortlist_presented events, want 1", n)
	}

	// The employer's answer: the cook is hired.
	start := sw.clock.Now().AddDate(0, 0, 14).Format(time.DateOnly)
	op.Select("#fb-"+ck+"-decision", "hired")
	op.Select("#fb-"+ck+"-start_date", start)
	op.Select("#fb-"+ck+"-contract_type", "permanent")
	typeInto(op, "#fb-"+ck+"-comment", "Inizia tra due settimane.")
	press(op, `form[action$="/`+ck+`/riscontro"] button[type="submit"]`)
	op.Has("Riscontro registrato.", "Assunto", "Tempo indeterminato", "Inizia tra due settimane.")
	op.Screenshot("09-feedback-hired")
	noBrokenText(t, op)
	fb, err := sw.db.FeedbackForEntry(ctx, cook.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(fb) != 1 || fb[0].Decision != "hired" || fb[0].ContractType != "permanent" || fb[0].StartDate == nil || fb[0].StartDate.Format(time.DateOnly) != start {
		t.Fatalf("the feedback: %+v", fb)
	}
	if got := entryOf(sw.cook).Stage; got != matching.StageHired {
		t.Errorf("the cook after the hire: stage %s", got)
	}
	if n := len(audited("feedback")); n != 1 {
		t.Errorf("%d feedback events, want 1", n)
	}

	// Time: three hours by hand, then twenty minutes with the timer; with
	// the 45 minutes of the intake the 4C standard (4 h) is met.
	press(op, `.request-tabs a[href="`+req+`/tempo"]`)
	op.Has("Tempo rispetto allo standard", "Scheda 4C", "Sotto la fascia")
	op.Select("#entry-activity", "candidate_contact")
	op.Fill("#entry-minutes", "180")
	typeInto(op, "#entry-note", "telefonate ai candidati")
	press(op, `form[action="`+req+`/tempo"] button[type="submit"]`)
	op.Has("Tempo registrato.", "3 h 45 min registrate")
	op.Select("#timer-activity", "feedback_collection")
	press(op, `button.timer-start`)
	op.Has("Cronometro avviato.")
	sw.clock.Advance(20 * time.Minute)
	press(op, `button.timer-stop`)
	op.Has("Cronometro fermato: 20 min salvati.", "4 h 5 min registrate")
	op.Screenshot("10-time")
	noBrokenText(t, op)
	entries, err := sw.db.TimeEntries(ctx, reqID)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, e := range entries {
		total += e.Minutes
	}
	if len(entries) != 3 || total != 245 {
		t.Fatalf("%d time entries, %d minutes: %+v", len(entries), total, entries)
	}
	if n := len(audited("time_entry_added")); n < 2 {
		t.Errorf("%d time_entry_added events, want at least 2", n)
	}

	// Closed as filled, with the close form on the request page.
	op.Open(req)
	op.Tap(`details.wb-close summary`)
	op.Select("#outcome", "filled")
	webtest.Eval[bool](op, `(document.getElementById('outcome').dispatchEvent(new Event('change')), true)`)
	op.Select("#close_reason", "hired")
	typeInto(op, "#note", "Assunta Carla Cucina.")
	press(op, `details.wb-close button[type="submit"]`)
	op.Has("Richiesta portata a: Chiusa.", "La richiesta è chiusa.")
	op.Screenshot("11-closed")
	noBrokenText(t, op)
	r := status()
	if r.Status != matching.StatusClosed || r.Outcome == nil || *r.Outcome != matching.OutcomeFilled ||
		r.CloseReason == nil || *r.CloseReason != matching.CloseHired || r.ClosedAt == nil {
		t.Fatalf("the request after closing: %+v", r)
	}
	hist, err := sw.db.RequestHistory(ctx, reqID)
	if err != nil {
		t.Fatal(err)
	}
	var path []matching.RequestStatus
	for _, h := range hist {
		path = append(path, h.To)
	}
	for _, want := range []matching.RequestStatus{matching.StatusRequirementsRanked, matching.StatusSearching,
		matching.StatusContacting, matching.StatusShortlistPresented, matching.StatusClosed} {
		if !slices.Contains(path, want) {
			t.Errorf("the history %v lacks %s", path, want)
		}
	}
	// Five changes in the journey, each audited.
	if n := len(audited("request_status")); n != 5 {
		t.Errorf("%d request_status events, want 5 (history %v)", n, path)
	}
	op.NoProblems()

	// The employer and the jobseeker are refused the request's workbench.
	for _, actor := range []string{employer1, jobseeker1} {
		tab := b.NewTab(t, actor)
		signInByKeyboard(t, tab, sw.users[actor].Email, testPassword)
		for _, p := range []string{req, req + "/abbinamento", req + "/candidati", req + "/rosa", req + "/tempo",
			"/operatore/candidati-richiesta/" + ck} {
			if got := tab.Open(p); got != 403 {
				t.Errorf("%s opened %s: %d", actor, p, got)
			}
		}
	}
}

// candidateOf returns the search world's candidate of a pipeline row.
func (sw *searchWorld) candidateOf(e store.PipelineRow) matching.Candidate {
	for _, c := range []matching.Candidate{sw.cook, sw.waiter, sw.dev, sw.private} {
		if e.CandidateID != nil && *e.CandidateID == c.ID {
			return c
		}
	}
	sw.t.Fatalf("entry %d is not of a search-world candidate", e.ID)
	return matching.Candidate{}
}

// noBrokenText fails the test when the page shows a formatting slip: a
// printf verb that went wrong or a catalogue key that was not found.
func noBrokenText(t *testing.T, tab *webtest.Tab) {
	t.Helper()
	text := tab.Text()
	for _, bad := range []string{"%!", "[[", "<nil>", "0x"} {
		if i := strings.Index(text, bad); i >= 0 {
			t.Errorf("the page %s shows %q: …%s…", tab.Path(), bad, text[max(0, i-40):min(len(text), i+60)])
		}
	}
}
