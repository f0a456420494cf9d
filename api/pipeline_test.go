package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"incontro/api"
	"incontro/matching"
	"incontro/store"
)

// rankRequest1 moves the world's request 1 to requirements_ranked, where
// candidates may be added.
func (w *world) rankRequest1() {
	w.t.Helper()
	status, body := w.signIn(operatorA).move(w.request1.ID, map[string]any{"to": "requirements_ranked"})
	if status != http.StatusOK {
		w.t.Fatalf("rank request 1: %d %s", status, body)
	}
}

// entryOf reads a pipeline entry from the store.
func (w *world) entryOf(id int64) matching.PipelineEntry {
	w.t.Helper()
	e, err := w.db.PipelineEntry(context.Background(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	return e
}

// addCandidate2 adds candidate 2 to request 1 as a referral and returns
// the entry's row.
func (w *world) addCandidate2() store.PipelineRow {
	w.t.Helper()
	status, body := w.signIn(operatorA).do(http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/pipeline", w.request1.ID),
		map[string]any{"candidate_id": w.candidate2.ID, "source": "referral", "note": "segnalato dal CPI di Rovereto"})
	if status != http.StatusCreated {
		w.t.Fatalf("add candidate 2: %d %s", status, body)
	}
	return jsonOf[store.PipelineRow](w.t, body)
}

func TestAddingCandidatesToThePipeline(t *testing.T) {
	w := newWorld(t, inIntake())
	op := w.signIn(operatorA)
	path := fmt.Sprintf("/api/v1/requests/%d/pipeline", w.request1.ID)
	add := map[string]any{"candidate_id": w.candidate2.ID, "source": "referral"}

	status, body := op.do(http.MethodPost, path, add)
	wantField(t, status, body, http.StatusConflict, "status")
	if !strings.Contains(errorOf(t, body).Message, "intake") {
		t.Errorf("the refusal in intake does not say why: %s", body)
	}

	w.rankRequest1()
	row := w.addCandidate2()
	if row.DisplayName != "Bruno Due" || row.Stage != matching.StageFound || row.Source != matching.SourceReferral || row.NotesCount != 1 ||
		row.AvailabilityState != "none" {
		t.Errorf("row = %+v", row)
	}
	if events := w.requestAudit(w.request1.ID, "pipeline_entry_added"); len(events) != 1 || *events[0].CandidateID != w.candidate2.ID {
		t.Errorf("audit = %+v", events)
	}

	hidden := matching.Candidate{GivenName: "Nora", FamilyName: "Nascosta", Email: "nora@example.org", HomeMunicipality: "022205",
		MobilityKm: 10, Searchable: false, Presentation: matching.PresentNamed}
	if err := w.db.CreateCandidate(context.Background(), &hidden); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		c      *client
		path   string
		body   map[string]any
		status int
		field  string
	}{
		{"without a source", op, path, map[string]any{"candidate_id": hidden.ID}, 422, "source"},
		{"a self-application by hand", op, path, map[string]any{"candidate_id": hidden.ID, "source": "self_application"}, 422, "source"},
		{"a candidate whose CV is not searchable", op, path, map[string]any{"candidate_id": hidden.ID, "source": "referral"}, 422, "candidate_id"},
		{"a candidate that does not exist", op, path, map[string]any{"candidate_id": 999999, "source": "search"}, 422, "candidate_id"},
		{"a match run that is not the request's", op, path, map[string]any{"candidate_id": hidden.ID, "source": "search", "match_run_id": 999999}, 422, "candidate_id"},
		{"a candidate already in the pipeline", op, path, map[string]any{"candidate_id": w.candidate1.ID, "source": "search"}, 409, "candidate_id"},
		{"the other provider's operator", w.signIn(operatorB), path, add, 404, ""},
		{"the employer", w.signIn(employer1), path, add, 403, ""},
		{"the monitor", w.signIn(monitor), path, add, 403, ""},
	} {
		t.Run(tt.name+" is refused and nothing is written", func(t *testing.T) {
			entries, audits := w.tableCount("pipeline_entries"), w.tableCount("audit_log")
			status, body := tt.c.do(http.MethodPost, tt.path, tt.body)
			wantField(t, status, body, tt.status, tt.field)
			if w.tableCount("pipeline_entries") != entries || w.tableCount("audit_log") != audits {
				t.Error("a refused addition wrote something")
			}
		})
	}

	t.Run("staff list the pipeline by stage", func(t *testing.T) {
		for _, actor := range []string{operatorA, monitor} {
			status, body := w.signIn(actor).do(http.MethodGet, path, nil)
			list := jsonOf[api.PipelineList](t, want(t, status, body, http.StatusOK))
			if len(list.Items) != 2 || list.Items[0].Stage != matching.StageFound || list.Items[1].Stage != matching.StageAvailable ||
				list.ByStage[matching.StageFound] != 1 || list.ByStage[matching.StageAvailable] != 1 {
				t.Errorf("%s: pipeline = %+v", actor, list)
			}
			if !list.Items[1].AvailabilityFresh || list.Items[1].DisplayName != "Anna Uno" {
				t.Errorf("%s: the available candidate = %+v", actor, list.Items[1])
			}
		}
		status, body := op.do(http.MethodGet, path+"?stage=available", nil)
		if list := jsonOf[api.PipelineList](t, want(t, status, body, http.StatusOK)); len(list.Items) != 1 {
			t.Errorf("only the available: %+v", list.Items)
		}
		for q, field := range map[string]string{"?stage=lost": "stage", "?sort=age": "sort", "?colour=blue": "colour"} {
			status, body := op.do(http.MethodGet, path+q, nil)
			wantField(t, status, body, http.StatusUnprocessableEntity, field)
		}
		for actor, code := range map[string]int{employer1: 403, jobseeker1: 403, operatorB: 404} {
			if status, _ := w.signIn(actor).do(http.MethodGet, path, nil); status != code {
				t.Errorf("%s listed the pipeline: %d, want %d", actor, status, code)
			}
		}
	})
}

func TestAddingACandidateFromAMatchRunKeepsTheirScore(t *testing.T) {
	sw := newMatchWorld(t)
	op := sw.signIn(operatorA)
	status, body := op.do(http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/matches", sw.request1.ID), nil)
	run := decodeRun(t, want(t, status, body, http.StatusCreated))
	res, ok := resultFor(run, sw.cook.ID)
	if !ok {
		t.Fatal("the cook is not in the run")
	}
	path := fmt.Sprintf("/api/v1/requests/%d/pipeline", sw.request1.ID)
	status, body = op.do(http.MethodPost, path, map[string]any{"candidate_id": sw.cook.ID, "source": "search", "match_run_id": run.ID})
	row := jsonOf[store.PipelineRow](t, want(t, status, body, http.StatusCreated))
	if row.Score == nil || *row.Score != res.Score || *row.MatchRunID != run.ID {
		t.Errorf("row = %+v, want the run's score %v", row, res.Score)
	}
	status, body = op.do(http.MethodPost, path, map[string]any{"candidate_id": sw.private.ID, "source": "search", "match_run_id": run.ID})
	wantField(t, status, body, http.StatusUnprocessableEntity, "match_run_id")
}

func TestMovingACandidateInThePipeline(t *testing.T) {
	w := newWorld(t, inIntake())
	w.rankRequest1()
	row := w.addCandidate2()
	op := w.signIn(operatorA)
	path := fmt.Sprintf("/api/v1/pipeline/%d", row.ID)

	status, body := op.do(http.MethodPost, path+"/stage", map[string]any{"from": "found", "to": "contacted", "note": "primo contatto"})
	v := jsonOf[api.EntryView](t, want(t, status, body, http.StatusOK, `"stage":"contacted"`))
	if len(v.History) != 2 || v.History[1].Note != "primo contatto" || !slices.Contains(v.NextStages, matching.StageAvailable) {
		t.Errorf("view = %+v", v)
	}
	if events := w.requestAudit(w.request1.ID, "pipeline_stage"); len(events) != 1 || *events[0].ObjectID != row.ID {
		t.Errorf("audit = %+v", events)
	}

	for _, tt := range []struct {
		name   string
		c      *client
		body   map[string]any
		status int
		field  string
	}{
		{"a move the stages do not allow", op, map[string]any{"to": "shortlisted"}, 409, "stage"},
		{"presenting by hand", op, map[string]any{"to": "presented"}, 409, "to"},
		{"hiring by hand", op, map[string]any{"to": "hired"}, 409, "to"},
		{"a stage the candidate left", op, map[string]any{"from": "found", "to": "available"}, 409, "from"},
		{"no stage", op, map[string]any{"note": "x"}, 422, "to"},
		{"an unknown stage", op, map[string]any{"to": "lost"}, 422, "to"},
		{"an unknown current stage", op, map[string]any{"from": "lost", "to": "available"}, 422, "from"},
		{"a rejection without reason", op, map[string]any{"to": "rejected"}, 422, "reason"},
		{"a rejection with an unknown reason", op, map[string]any{"to": "rejected", "reason": "too_old"}, 422, "reason"},
		{"the employer", w.signIn(employer1), map[string]any{"to": "available"}, 403, ""},
		{"the candidate", w.signIn(jobseeker2), map[string]any{"to": "available"}, 403, ""},
		{"the other provider's operator", w.signIn(operatorB), map[string]any{"to": "available"}, 404, ""},
	} {
		t.Run(tt.name+" is refused and changes nothing", func(t *testing.T) {
			history := w.tableCount("pipeline_stage_history")
			status, body := tt.c.do(http.MethodPost, path+"/stage", tt.body)
			wantField(t, status, body, tt.status, tt.field)
			if e := w.entryOf(row.ID); e.Stage != matching.StageContacted || w.tableCount("pipeline_stage_history") != history {
				t.Errorf("a refused move changed the entry: %+v", e)
			}
		})
	}

	t.Run("notes", func(t *testing.T) {
		status, body := op.do(http.MethodPost, path+"/notes", map[string]any{"body": "preferisce il turno serale"})
		want(t, status, body, http.StatusCreated, "preferisce il turno serale")
		status, body = op.do(http.MethodPost, path+"/notes", map[string]any{"body": "  "})
		wantField(t, status, body, http.StatusUnprocessableEntity, "body")
		status, _ = w.signIn(employer1).do(http.MethodPost, path+"/notes", map[string]any{"body": "x"})
		if status != http.StatusForbidden {
			t.Errorf("the employer wrote a note: %d", status)
		}
		status, body = w.signIn(monitor).do(http.MethodGet, path, nil)
		v := jsonOf[api.EntryView](t, want(t, status, body, http.StatusOK))
		if len(v.Notes) != 2 || v.NotesCount != 2 {
			t.Errorf("notes = %+v", v.Notes)
		}
		if len(w.requestAudit(w.request1.ID, "pipeline_note")) != 1 {
			t.Error("the note was not audited")
		}
	})
	t.Run("the entry is read by staff only", func(t *testing.T) {
		for actor, code := range map[string]int{employer1: 403, jobseeker2: 403, operatorB: 404, operatorA: 200} {
			if status, _ := w.signIn(actor).do(http.MethodGet, path, nil); status != code {
				t.Errorf("%s read the entry: %d, want %d", actor, status, code)
			}
		}
	})
	t.Run("the operator rejects with a reason", func(t *testing.T) {
		status, body := op.do(http.MethodPost, path+"/stage", map[string]any{"to": "rejected", "reason": "language", "note": "niente tedesco"})
		want(t, status, body, http.StatusOK, `"stage":"rejected"`, `"rejection_reason":"language"`)
	})
}

func TestAJobseekerWithdrawsFromARequest(t *testing.T) {
	w := newWorld(t, inIntake())
	path := fmt.Sprintf("/api/v1/pipeline/%d/withdraw", w.entry1.ID)
	for actor, code := range map[string]int{jobseeker2: 404, operatorA: 403, employer1: 403} {
		status, body := w.signIn(actor).do(http.MethodPost, path, nil)
		if status != code {
			t.Errorf("%s: %d %s, want %d", actor, status, body, code)
		}
	}
	if e := w.entryOf(w.entry1.ID); e.Stage != matching.StageAvailable {
		t.Fatalf("refused withdrawals moved the entry to %s", e.Stage)
	}
	js := w.signIn(jobseeker1)
	status, body := js.do(http.MethodPost, path, map[string]any{"note": "ho trovato lavoro"})
	want(t, status, body, http.StatusOK, `"stage":"withdrew"`)
	events := w.requestAudit(w.request1.ID, "pipeline_stage")
	if len(events) != 1 || events[0].Role != matching.RoleJobseeker || *events[0].UserID != w.users[jobseeker1].ID {
		t.Errorf("audit = %+v", events)
	}
	status, body = js.do(http.MethodPost, path, nil)
	wantField(t, status, body, http.StatusConflict, "stage")
}

func TestContactsWithACandidate(t *testing.T) {
	w := newWorld(t, inIntake())
	w.rankRequest1()
	row := w.addCandidate2()
	w.clock.Advance(3 * time.Hour) // the contacts come some hours after the request opened
	op := w.signIn(operatorA)
	path := fmt.Sprintf("/api/v1/pipeline/%d/contacts", row.ID)

	status, body := op.do(http.MethodPost, path, map[string]any{"channel": "phone", "outcome": "no_answer"})
	ans := jsonOf[api.ContactAnswer](t, want(t, status, body, http.StatusCreated))
	if ans.Entry.Stage != matching.StageUnreachable || ans.Contact.ID == 0 || *ans.Contact.By != w.users[operatorA].ID {
		t.Errorf("answer = %+v", ans)
	}
	earlier := w.clock.Now().Add(-2 * time.Hour)
	status, body = op.do(http.MethodPost, path, map[string]any{"channel": "email", "outcome": "available", "note": "conferma via mail", "at": earlier})
	ans = jsonOf[api.ContactAnswer](t, want(t, status, body, http.StatusCreated))
	if ans.Entry.Stage != matching.StageAvailable || !ans.Entry.AvailabilityConfirmedAt.Equal(earlier) || !ans.Entry.AvailabilityFresh ||
		ans.Entry.LastContactOutcome != "no_answer" { // the latest contact by time is the call

		t.Errorf("after confirming: %+v", ans.Entry)
	}

	for _, tt := range []struct {
		name   string
		c      *client
		body   map[string]any
		status int
		field  string
	}{
		{"an unknown channel", op, map[string]any{"channel": "pigeon", "outcome": "available"}, 422, "channel"},
		{"no outcome", op, map[string]any{"channel": "sms"}, 422, "outcome"},
		{"a contact in the future", op, map[string]any{"channel": "sms", "outcome": "available", "at": w.clock.Now().Add(time.Hour)}, 422, "at"},
		{"a time that is not a time", op, map[string]any{"channel": "sms", "outcome": "available", "at": "ieri"}, 422, ""},
		{"the employer", w.signIn(employer1), map[string]any{"channel": "sms", "outcome": "available"}, 403, ""},
		{"the monitor", w.signIn(monitor), map[string]any{"channel": "sms", "outcome": "available"}, 403, ""},
		{"the other provider's operator", w.signIn(operatorB), map[string]any{"channel": "sms", "outcome": "available"}, 404, ""},
	} {
		t.Run(tt.name+" is refused and nothing is written", func(t *testing.T) {
			contacts := w.tableCount("contacts")
			status, body := tt.c.do(http.MethodPost, path, tt.body)
			if status != tt.status {
				t.Fatalf("%d %s, want %d", status, body, tt.status)
			}
			if tt.field != "" {
				wantField(t, status, body, tt.status, tt.field)
			}
			if w.tableCount("contacts") != contacts {
				t.Error("a refused contact was written")
			}
		})
	}

	status, body = w.signIn(monitor).do(http.MethodGet, path, nil)
	list := jsonOf[struct {
		Items []matching.Contact `json:"items"`
	}](t, want(t, status, body, http.StatusOK))
	if len(list.Items) != 2 || list.Items[0].Channel != "email" { // in the order they happened
		t.Errorf("contacts = %+v", list.Items)
	}
	if n := len(w.requestAudit(w.request1.ID, "contact_logged")); n != 2 {
		t.Errorf("%d contacts audited, want 2", n)
	}

	t.Run("a confirmation runs out, and the queue says so", func(t *testing.T) {
		w.clock.Advance(15 * matching.Day)
		op := w.signIn(operatorA)
		status, body := op.do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/pipeline?stage=available", w.request1.ID), nil)
		for _, it := range jsonOf[api.PipelineList](t, want(t, status, body, http.StatusOK)).Items {
			if it.AvailabilityFresh || it.AvailabilityState != "expired" {
				t.Errorf("after 15 days entry %d is %s", it.ID, it.AvailabilityState)
			}
		}
		status, body = op.do(http.MethodGet, "/api/v1/requests?state=open", nil)
		q := jsonOf[api.RequestQueue](t, want(t, status, body, http.StatusOK))
		if len(q.Items) != 1 || q.Items[0].Badges.AvailabilityExpired != 2 {
			t.Errorf("queue badges = %+v", q.Items)
		}
		// A new contact confirms again.
		status, body = op.do(http.MethodPost, path, map[string]any{"channel": "phone", "outcome": "available"})
		if ans := jsonOf[api.ContactAnswer](t, want(t, status, body, http.StatusCreated)); !ans.Entry.AvailabilityFresh {
			t.Errorf("a new confirmation is not fresh: %+v", ans.Entry)
		}
	})
	t.Run("a closed request takes no contact", func(t *testing.T) {
		op := w.signIn(operatorA)
		status, body := op.move(w.request1.ID, map[string]any{"to": "closed", "outcome": "cancelled", "close_reason": "duplicate"})
		want(t, status, body, http.StatusOK)
		status, body = op.do(http.MethodPost, path, map[string]any{"channel": "phone", "outcome": "available"})
		wantField(t, status, body, http.StatusConflict, "status")
	})
}

func TestAvailabilityQuestionsAnsweredInThePortal(t *testing.T) {
	w := newWorld(t, inIntake())
	w.rankRequest1()
	row := w.addCandidate2()
	op := w.signIn(operatorA)
	ask := fmt.Sprintf("/api/v1/pipeline/%d/availability-requests", row.ID)

	status, body := op.do(http.MethodPost, ask, map[string]any{"message": "Le interessa un posto in hotel a Trento?"})
	q := jsonOf[matching.AvailabilityRequest](t, want(t, status, body, http.StatusCreated))
	if q.Message == "" || *q.SentBy != w.users[operatorA].ID || w.entryOf(row.ID).Stage != matching.StageContacted {
		t.Errorf("question = %+v", q)
	}
	for _, tt := range []struct {
		name   string
		c      *client
		body   map[string]any
		status int
		field  string
	}{
		{"a second question before the answer", op, map[string]any{}, 409, "entry_id"},
		{"a message too long", op, map[string]any{"message": strings.Repeat("m", 2001)}, 422, "message"},
		{"the employer", w.signIn(employer1), map[string]any{}, 403, ""},
		{"the candidate", w.signIn(jobseeker2), map[string]any{}, 403, ""},
	} {
		t.Run("asking: "+tt.name+" is refused", func(t *testing.T) {
			questions := w.tableCount("availability_requests")
			status, body := tt.c.do(http.MethodPost, ask, tt.body)
			wantField(t, status, body, tt.status, tt.field)
			if w.tableCount("availability_requests") != questions {
				t.Error("a refused question was written")
			}
		})
	}

	js := w.signIn(jobseeker2)
	mine := func() []store.AvailabilityQuestion {
		t.Helper()
		status, body := js.do(http.MethodGet, "/api/v1/me/availability-requests", nil)
		return jsonOf[struct {
			Items []store.AvailabilityQuestion `json:"items"`
		}](t, want(t, status, body, http.StatusOK)).Items
	}
	list := mine()
	if len(list) != 1 || !list[0].Open || list[0].VacancyTitle != "Offerta 1" || list[0].ContractType != "permanent" || list[0].EmployerName != "" {
		t.Errorf("the jobseeker's questions, about a draft vacancy = %+v", list)
	}
	if err := w.db.PublishVacancy(context.Background(), w.vacancy1.ID, "", nil, nil); err != nil {
		t.Fatal(err)
	}
	if list = mine(); list[0].EmployerName != "Hotel Uno" {
		t.Errorf("once published the employer's name shows: %+v", list[0])
	}

	answer := fmt.Sprintf("/api/v1/availability-requests/%d/answer", q.ID)
	for _, tt := range []struct {
		name   string
		c      *client
		body   map[string]any
		status int
		field  string
	}{
		{"no answer", js, map[string]any{"reason": "x"}, 422, "answer"},
		{"an unknown answer", js, map[string]any{"answer": "maybe"}, 422, "answer"},
		{"another jobseeker", w.signIn(jobseeker1), map[string]any{"answer": "interested"}, 404, ""},
		{"the operator", op, map[string]any{"answer": "interested"}, 403, ""},
	} {
		t.Run("answering: "+tt.name+" is refused", func(t *testing.T) {
			status, body := tt.c.do(http.MethodPost, answer, tt.body)
			wantField(t, status, body, tt.status, tt.field)
			if e := w.entryOf(row.ID); e.Stage != matching.StageContacted {
				t.Errorf("a refused answer moved the candidate to %s", e.Stage)
			}
		})
	}
	status, body = js.do(http.MethodPost, answer, map[string]any{"answer": "interested"})
	want(t, status, body, http.StatusOK, `"answer":"interested"`)
	e := w.entryOf(row.ID)
	if e.Stage != matching.StageAvailable || e.AvailabilityConfirmedAt == nil || !e.AvailabilityConfirmedAt.Equal(w.clock.Now().UTC()) {
		t.Errorf("after the answer: %+v", e)
	}
	contacts, _ := w.db.Contacts(context.Background(), row.ID)
	if last := contacts[len(contacts)-1]; last.Channel != "portal" || last.Outcome != "available" || *last.By != w.users[jobseeker2].ID {
		t.Errorf("the answer's contact = %+v", last)
	}
	if events := w.requestAudit(w.request1.ID, "availability_answered"); len(events) != 1 || events[0].Role != matching.RoleJobseeker {
		t.Errorf("audit = %+v", events)
	}
	status, body = js.do(http.MethodPost, answer, map[string]any{"answer": "not_interested"})
	wantField(t, status, body, http.StatusConflict, "answer")
	if list = mine(); list[0].Open || list[0].Answer != "interested" {
		t.Errorf("after answering: %+v", list[0])
	}

	t.Run("the world's question to jobseeker 1, declined", func(t *testing.T) {
		path := fmt.Sprintf("/api/v1/availability-requests/%d/answer", w.availability1.ID)
		status, body := w.signIn(jobseeker1).do(http.MethodPost, path, map[string]any{"answer": "not_interested", "reason": "mi sono trasferita"})
		want(t, status, body, http.StatusOK)
		if e := w.entryOf(w.entry1.ID); e.Stage != matching.StageNotAvailable {
			t.Errorf("after declining the candidate is %s", e.Stage)
		}
	})
}

func TestSelfApplications(t *testing.T) {
	w := newWorld(t, inIntake())
	ctx := context.Background()
	if err := w.db.PublishVacancy(ctx, w.vacancy1.ID, "", nil, nil); err != nil {
		t.Fatal(err)
	}
	js := w.signIn(jobseeker2)
	apply := fmt.Sprintf("/api/v1/vacancies/%d/applications", w.vacancy1.ID)

	status, body := js.do(http.MethodPost, apply, map[string]any{"message": "Ho esperienza in hotel."})
	app := jsonOf[matching.Application](t, want(t, status, body, http.StatusCreated, `"status":"submitted"`))
	entries, _ := w.db.PipelineEntries(ctx, w.request1.ID)
	var entry matching.PipelineEntry
	for _, e := range entries {
		if *e.CandidateID == w.candidate2.ID {
			entry = e
		}
	}
	if entry.Source != matching.SourceSelfApplication || entry.ApplicationID == nil || *entry.ApplicationID != app.ID {
		t.Fatalf("the application did not enter the pipeline: %+v", entries)
	}
	if events := w.requestAudit(w.request1.ID, "application_submitted"); len(events) != 1 || *events[0].UserID != w.users[jobseeker2].ID {
		t.Errorf("audit = %+v", events)
	}

	draft := w.newVacancy(w.employer1, "Bozza", false)
	closed := w.newVacancy(w.employer1, "Chiusa", true)
	if _, err := w.db.SQL().ExecContext(ctx, `UPDATE vacancies SET status = 'closed' WHERE id = $1`, closed.ID); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		c      *client
		path   string
		body   map[string]any
		status int
		field  string
	}{
		{"applying twice", js, apply, map[string]any{}, 409, "vacancy_id"},
		{"a draft", js, fmt.Sprintf("/api/v1/vacancies/%d/applications", draft.ID), map[string]any{}, 404, ""},
		{"a closed vacancy", js, fmt.Sprintf("/api/v1/vacancies/%d/applications", closed.ID), map[string]any{}, 409, "vacancy_id"},
		{"a vacancy that does not exist", js, "/api/v1/vacancies/999999/applications", map[string]any{}, 404, ""},
		{"a message too long", w.signIn(jobseeker1), apply, map[string]any{"message": strings.Repeat("m", 2001)}, 422, "message"},
		{"an operator", w.signIn(operatorA), apply, map[string]any{}, 403, ""},
		{"an employer", w.signIn(employer1), apply, map[string]any{}, 403, ""},
	} {
		t.Run("applying: "+tt.name+" is refused and nothing is written", func(t *testing.T) {
			apps, entries := w.tableCount("applications"), w.tableCount("pipeline_entries")
			status, body := tt.c.do(http.MethodPost, tt.path, tt.body)
			wantField(t, status, body, tt.status, tt.field)
			if w.tableCount("applications") != apps || w.tableCount("pipeline_entries") != entries {
				t.Error("a refused application wrote something")
			}
		})
	}

	t.Run("the jobseeker sees their applications and where they stand", func(t *testing.T) {
		status, body := js.do(http.MethodGet, "/api/v1/me/applications", nil)
		list := jsonOf[struct {
			Items []store.ApplicationRow `json:"items"`
		}](t, want(t, status, body, http.StatusOK))
		if len(list.Items) != 1 || list.Items[0].VacancyTitle != "Offerta 1" || list.Items[0].Stage == nil ||
			*list.Items[0].Stage != matching.StageFound || *list.Items[0].EntryID != entry.ID {
			t.Errorf("applications = %+v", list.Items)
		}
	})
	t.Run("staff list a request's applications", func(t *testing.T) {
		path := fmt.Sprintf("/api/v1/requests/%d/applications", w.request1.ID)
		status, body := w.signIn(operatorA).do(http.MethodGet, path, nil)
		list := jsonOf[struct {
			Items []store.ApplicationRow `json:"items"`
		}](t, want(t, status, body, http.StatusOK, "Bruno Due"))
		if len(list.Items) != 2 { // the world's application of candidate 1, and this one
			t.Errorf("applications = %+v", list.Items)
		}
		for actor, code := range map[string]int{employer1: 403, operatorB: 404, jobseeker2: 403} {
			if status, _ := w.signIn(actor).do(http.MethodGet, path, nil); status != code {
				t.Errorf("%s listed the applications: %d, want %d", actor, status, code)
			}
		}
	})

	verify := fmt.Sprintf("/api/v1/applications/%d/verify", app.ID)
	op := w.signIn(operatorA)
	for _, tt := range []struct {
		name   string
		c      *client
		body   map[string]any
		status int
		field  string
	}{
		{"no result", op, map[string]any{}, 422, "result"},
		{"not fitting without a reason", op, map[string]any{"result": "not_fitting"}, 422, "reason"},
		{"not fitting with free text for a reason", op, map[string]any{"result": "not_fitting", "reason": "non parla tedesco"}, 422, "reason"},
		{"an unknown result", op, map[string]any{"result": "maybe"}, 422, "result"},
		{"the employer", w.signIn(employer1), map[string]any{"result": "verified"}, 403, ""},
		{"the other provider's operator", w.signIn(operatorB), map[string]any{"result": "verified"}, 404, ""},
	} {
		t.Run("verifying: "+tt.name+" is refused and changes nothing", func(t *testing.T) {
			status, body := tt.c.do(http.MethodPost, verify, tt.body)
			wantField(t, status, body, tt.status, tt.field)
			if a, _ := w.db.Application(ctx, app.ID); a.Status != matching.ApplicationSubmitted {
				t.Errorf("a refused verification set %s", a.Status)
			}
		})
	}
	status, body = op.do(http.MethodPost, verify, map[string]any{"result": "not_fitting", "reason": "language", "note": "serve il tedesco B2"})
	want(t, status, body, http.StatusOK, `"status":"not_fitting"`, `"reason":"language"`)
	if e := w.entryOf(entry.ID); e.Stage != matching.StageRejected || e.RejectionReason != "language" {
		t.Errorf("a not fitting application left the candidate %s (%s)", e.Stage, e.RejectionReason)
	}
	if events := w.requestAudit(w.request1.ID, "application_verified"); len(events) != 1 || *events[0].UserID != w.users[operatorA].ID {
		t.Errorf("audit = %+v", events)
	}
	status, body = op.do(http.MethodPost, verify, map[string]any{"result": "verified"})
	wantField(t, status, body, http.StatusConflict, "status")

	t.Run("withdrawing", func(t *testing.T) {
		path := fmt.Sprintf("/api/v1/applications/%d/withdraw", w.application1.ID)
		for actor, code := range map[string]int{jobseeker2: 404, operatorA: 403} {
			if status, _ := w.signIn(actor).do(http.MethodPost, path, nil); status != code {
				t.Errorf("%s withdrew another's application: %d, want %d", actor, status, code)
			}
		}
		js1 := w.signIn(jobseeker1)
		status, body := js1.do(http.MethodPost, path, nil)
		want(t, status, body, http.StatusOK, `"status":"withdrawn"`)
		status, body = js1.do(http.MethodPost, path, nil)
		wantField(t, status, body, http.StatusConflict, "status")
		// A not fitting application is no longer the jobseeker's to withdraw.
		status, body = js.do(http.MethodPost, fmt.Sprintf("/api/v1/applications/%d/withdraw", app.ID), nil)
		wantField(t, status, body, http.StatusConflict, "status")
	})
}

func TestAnApplicationBeforeTheRequestEntersItsPipelineWhenItOpens(t *testing.T) {
	w := newWorld(t, inIntake())
	v := w.newVacancy(w.employer1, "Barista", true)
	js := w.signIn(jobseeker1)
	status, body := js.do(http.MethodPost, fmt.Sprintf("/api/v1/vacancies/%d/applications", v.ID), map[string]any{"message": "Eccomi"})
	app := jsonOf[matching.Application](t, want(t, status, body, http.StatusCreated))
	status, body = js.do(http.MethodGet, "/api/v1/me/applications", nil)
	if !strings.Contains(string(want(t, status, body, http.StatusOK)), `"vacancy_title":"Barista"`) || strings.Contains(string(body), `"entry_id"`) {
		t.Errorf("before the request the application has no entry: %s", body)
	}
	status, body = w.signIn(operatorA).do(http.MethodPost, fmt.Sprintf("/api/v1/applications/%d/verify", app.ID), map[string]any{"result": "verified"})
	wantField(t, status, body, http.StatusConflict, "status")

	status, body = w.signIn(employer1).do(http.MethodPost, "/api/v1/requests", map[string]any{"vacancy_id": v.ID})
	r := jsonOf[api.RequestView](t, want(t, status, body, http.StatusCreated))
	if r.Facts.Entries != 1 {
		t.Errorf("the new request has %d entries, want the application's", r.Facts.Entries)
	}
	status, body = w.signIn(operatorA).do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/pipeline", r.ID), nil)
	list := jsonOf[api.PipelineList](t, want(t, status, body, http.StatusOK))
	if len(list.Items) != 1 || list.Items[0].Source != matching.SourceSelfApplication || *list.Items[0].ApplicationID != app.ID {
		t.Errorf("pipeline = %+v", list.Items)
	}
	status, body = w.signIn(operatorA).do(http.MethodPost, fmt.Sprintf("/api/v1/applications/%d/verify", app.ID), map[string]any{"result": "verified"})
	want(t, status, body, http.StatusOK, `"status":"verified"`)
}

func TestWhoReadMyCV(t *testing.T) {
	w := newWorld(t)
	cv := fmt.Sprintf("/api/v1/candidates/%d", w.candidate1.ID)
	views := cv + "/views"

	status, body := w.signIn(operatorA).do(http.MethodGet, fmt.Sprintf("%s?request_id=%d", cv, w.request1.ID), nil)
	want(t, status, body, http.StatusOK)
	w.clock.Advance(time.Minute)
	status, body = w.signIn(employer1).do(http.MethodGet, fmt.Sprintf("%s?request_id=%d&purpose=colloquio", cv, w.request1.ID), nil)
	want(t, status, body, http.StatusOK)
	w.clock.Advance(time.Minute)
	status, body = w.signIn(monitor).do(http.MethodGet, cv, nil)
	want(t, status, body, http.StatusOK)

	reads := w.cvReads(w.candidate1.ID)
	if len(reads) != 3 || reads[2].RequestID == nil || *reads[2].RequestID != w.request1.ID || reads[0].RequestID != nil {
		t.Fatalf("audited reads = %+v", reads)
	}
	for actor, q := range map[string]string{
		operatorA: fmt.Sprintf("?request_id=%d", w.request2.ID), // another provider's request
		employer1: fmt.Sprintf("?request_id=%d", w.request2.ID),
		monitor:   "?request_id=999999",
	} {
		status, body := w.signIn(actor).do(http.MethodGet, cv+q, nil)
		wantField(t, status, body, http.StatusUnprocessableEntity, "request_id")
	}
	status, body = w.signIn(operatorA).do(http.MethodGet, cv+"?purpose="+strings.Repeat("p", 101), nil)
	wantField(t, status, body, http.StatusUnprocessableEntity, "purpose")
	if n := len(w.cvReads(w.candidate1.ID)); n != 3 {
		t.Errorf("refused reads were audited: %d reads", n)
	}

	status, body = w.signIn(jobseeker1).do(http.MethodGet, views, nil)
	list := jsonOf[api.CVReadList](t, want(t, status, body, http.StatusOK))
	if list.Total != 3 || len(list.Items) != 3 {
		t.Fatalf("views = %+v", list)
	}
	m, e, o := list.Items[0], list.Items[1], list.Items[2]
	if m.Role != matching.RoleMonitor || m.Name != "Utente monitor" || m.Purpose != "profile" || m.RequestID != nil {
		t.Errorf("the monitor's read = %+v", m)
	}
	if e.Role != matching.RoleEmployer || e.Organisation != "Hotel Uno" || e.Name != "" || e.Purpose != "colloquio" || *e.RequestID != w.request1.ID {
		t.Errorf("the employer's read = %+v", e)
	}
	if o.Role != matching.RoleOperator || o.Organisation != "Centro per l'impiego A" || o.Name != "Utente operatorA" || o.Purpose != "request" {
		t.Errorf("the operator's read = %+v", o)
	}
	status, body = w.signIn(jobseeker1).do(http.MethodGet, views+"?limit=1&offset=1", nil)
	if page := jsonOf[api.CVReadList](t, want(t, status, body, http.StatusOK)); page.Total != 3 || len(page.Items) != 1 || page.Items[0].Role != matching.RoleEmployer {
		t.Errorf("page = %+v", page)
	}
	status, body = w.signIn(jobseeker1).do(http.MethodGet, views+"?limit=0", nil)
	wantField(t, status, body, http.StatusUnprocessableEntity, "limit")
	for actor, code := range map[string]int{jobseeker2: 404, employer1: 403, operatorA: 200, admin: 403} {
		if status, _ := w.signIn(actor).do(http.MethodGet, views, nil); status != code {
			t.Errorf("%s listed the reads: %d, want %d", actor, status, code)
		}
	}
}
