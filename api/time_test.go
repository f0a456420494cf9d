package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"incontro/api"
	"incontro/matching"
	"incontro/password"
	"incontro/store"
)

// addOperator creates another operator of a provider who can sign in as name.
func (w *world) addOperator(name string, providerID int64) matching.User {
	w.t.Helper()
	h, err := password.Hash(testPassword, fastHash)
	if err != nil {
		w.t.Fatal(err)
	}
	u := matching.User{Email: strings.ToLower(name) + "@example.org", Name: "Utente " + name, Role: matching.RoleOperator,
		ProviderID: &providerID, PasswordHash: h}
	if err := w.db.CreateUser(context.Background(), &u); err != nil {
		w.t.Fatalf("operator %s: %v", name, err)
	}
	w.users[name] = u
	return u
}

// decode decodes a JSON body into v or fails the test.
func decode(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
}

// wantStatus fails unless the answer has the status (and, for an error, the field).
func wantStatus(t *testing.T, status int, body []byte, want int, field string) {
	t.Helper()
	if status != want {
		t.Fatalf("status %d, want %d: %s", status, want, body)
	}
	if field != "" {
		if got := errorOf(t, body).Field; got != field {
			t.Fatalf("error on %q, want %q: %s", got, field, body)
		}
	}
}

func TestOperatorsRecordTimeAgainstTheStandard(t *testing.T) {
	w := newWorld(t)
	now := w.clock.Now()
	opA := w.signIn(operatorA)
	path := fmt.Sprintf("/api/v1/requests/%d/time-entries", w.request1.ID)
	entry := func(activity string, ago time.Duration, minutes int) map[string]any {
		return map[string]any{"activity": activity, "started_at": now.Add(-ago), "minutes": minutes, "note": "telefonate"}
	}

	t.Run("an entry without a phase takes its activity's", func(t *testing.T) {
		status, body := opA.do(http.MethodPost, path, entry("candidate_contact", 3*time.Hour, 120))
		wantStatus(t, status, body, http.StatusCreated, "")
		var te matching.TimeEntry
		decode(t, body, &te)
		if te.Phase != matching.Phase4C || te.Minutes != 120 || *te.UserID != w.users[operatorA].ID || te.UserName != w.users[operatorA].Name {
			t.Errorf("recorded %+v", te)
		}
	})
	t.Run("bad entries are refused naming the field", func(t *testing.T) {
		withPhase := entry("candidate_contact", time.Hour, 10)
		withPhase["phase"] = "4D_selection"
		noStart := entry("candidate_contact", time.Hour, 10)
		delete(noStart, "started_at")
		for _, tc := range []struct {
			name   string
			body   map[string]any
			status int
			field  string
		}{
			{"a phase that is not the activity's", withPhase, http.StatusUnprocessableEntity, "phase"},
			{"no start", noStart, http.StatusUnprocessableEntity, "started_at"},
			{"a start in the future", entry("candidate_contact", -2*time.Hour, 10), http.StatusUnprocessableEntity, "started_at"},
			{"no minutes", entry("candidate_contact", time.Hour, 0), http.StatusUnprocessableEntity, "minutes"},
			{"an unknown activity", entry("coffee", time.Hour, 10), http.StatusUnprocessableEntity, "activity"},
			{"a 4D activity on a 4C request", entry("competence_verification", time.Hour, 10), http.StatusConflict, "activity"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				status, body := opA.do(http.MethodPost, path, tc.body)
				wantStatus(t, status, body, tc.status, tc.field)
			})
		}
	})
	t.Run("only the request's provider records time on it", func(t *testing.T) {
		for actor, want := range map[string]int{operatorB: http.StatusNotFound, monitor: http.StatusForbidden,
			employer1: http.StatusForbidden, admin: http.StatusForbidden} {
			status, body := w.signIn(actor).do(http.MethodPost, path, entry("candidate_contact", time.Hour, 10))
			wantStatus(t, status, body, want, "")
		}
	})

	sheet := func(actor string) api.TimeSheet {
		t.Helper()
		status, body := w.signIn(actor).do(http.MethodGet, path, nil)
		wantStatus(t, status, body, http.StatusOK, "")
		var ts api.TimeSheet
		decode(t, body, &ts)
		return ts
	}
	ts := sheet(monitor)
	// The world's entry of 45 minutes and the 120 just recorded.
	if len(ts.Entries) != 2 || ts.Entries[1].UserName != w.users[operatorA].Name {
		t.Fatalf("entries = %+v", ts.Entries)
	}
	want4C := matching.PhaseTime{Phase: matching.Phase4C, Minutes: 165, MinMinutes: 240, MaxMinutes: 480, State: "under"}
	if len(ts.Summary.Phases) != 1 || ts.Summary.Phases[0] != want4C || ts.Summary.TotalMinutes != 165 || len(ts.Summary.Over) != 0 {
		t.Errorf("summary = %+v, want 4C %+v", ts.Summary, want4C)
	}

	status, body := opA.do(http.MethodPost, path, entry("database_search", 8*time.Hour, 400))
	wantStatus(t, status, body, http.StatusCreated, "")
	ts = sheet(operatorA)
	if p := ts.Summary.Phases[0]; p.Minutes != 565 || p.State != "over" || !slices.Equal(ts.Summary.Over, []matching.Phase{matching.Phase4C}) ||
		ts.Summary.ByActivity["database_search"] != 400 {
		t.Errorf("past the maximum: %+v", ts.Summary)
	}
	for actor, want := range map[string]int{operatorB: http.StatusNotFound, employer1: http.StatusForbidden, admin: http.StatusForbidden} {
		status, body := w.signIn(actor).do(http.MethodGet, path, nil)
		wantStatus(t, status, body, want, "")
	}
}

func TestOnlyTheAuthorCorrectsOrDeletesTimeWhileTheRequestIsOpen(t *testing.T) {
	w := newWorld(t)
	colleague := w.addOperator("operatorA2", w.providerA.ID)
	opA, opA2 := w.signIn(operatorA), w.signIn("operatorA2")
	entryPath := fmt.Sprintf("/api/v1/time-entries/%d", w.timeEntry1.ID)

	status, body := opA2.do(http.MethodPut, entryPath, map[string]any{"minutes": 60})
	wantStatus(t, status, body, http.StatusForbidden, "")
	if !strings.Contains(errorOf(t, body).Message, "only the operator who recorded") {
		t.Errorf("message: %s", body)
	}
	status, body = opA2.do(http.MethodDelete, entryPath, nil)
	wantStatus(t, status, body, http.StatusForbidden, "")
	status, body = w.signIn(operatorB).do(http.MethodPut, entryPath, map[string]any{"minutes": 60})
	wantStatus(t, status, body, http.StatusNotFound, "")

	status, body = opA.do(http.MethodPut, entryPath, map[string]any{"minutes": 0})
	wantStatus(t, status, body, http.StatusUnprocessableEntity, "minutes")
	status, body = opA.do(http.MethodPut, entryPath, map[string]any{"minutes": 60, "note": "colloquio più lungo"})
	wantStatus(t, status, body, http.StatusOK, "")
	var te matching.TimeEntry
	decode(t, body, &te)
	if te.Minutes != 60 || te.Note != "colloquio più lungo" || te.Activity != "intake_interview" {
		t.Errorf("corrected entry = %+v", te)
	}

	// A second entry by the colleague, then the request closes.
	other := matching.TimeEntry{RequestID: w.request1.ID, UserID: &colleague.ID, Activity: "database_search",
		StartedAt: w.clock.Now().Add(-time.Hour), Minutes: 30}
	if err := w.db.RecordTimeEntry(context.Background(), &other, store.Actor{UserID: colleague.ID, Role: matching.RoleOperator}); err != nil {
		t.Fatal(err)
	}
	status, body = opA2.do(http.MethodDelete, fmt.Sprintf("/api/v1/time-entries/%d", other.ID), nil)
	wantStatus(t, status, body, http.StatusNoContent, "")

	withdrawn := matching.OutcomeWithdrawn
	if _, err := w.db.TransitionRequest(context.Background(), w.request1.ID, matching.TransitionInput{To: matching.StatusClosed,
		Outcome: &withdrawn, CloseReason: matching.CloseEmployerWithdrew, Note: "l'hotel chiude"},
		store.Actor{UserID: w.users[operatorA].ID, Role: matching.RoleOperator}); err != nil {
		t.Fatal(err)
	}
	status, body = opA.do(http.MethodPut, entryPath, map[string]any{"minutes": 90})
	wantStatus(t, status, body, http.StatusConflict, "request_id")
	status, body = opA.do(http.MethodDelete, entryPath, nil)
	wantStatus(t, status, body, http.StatusConflict, "request_id")

	events, _, err := w.db.AuditLog(context.Background(), store.AuditFilter{RequestID: w.request1.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, ev := range events {
		if strings.HasPrefix(ev.Action, "time_entry_") {
			got[ev.Action]++
		}
	}
	// The world's entry and the colleague's were added; one correction; one deletion.
	want := map[string]int{"time_entry_added": 2, "time_entry_changed": 1, "time_entry_deleted": 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("time entry audit events = %v, want %v", got, want)
	}
}

func TestTheRunningTimer(t *testing.T) {
	w := newWorld(t)
	opA := w.signIn(operatorA)
	ctx := context.Background()
	// A second request of provider A to switch to.
	v := matching.Vacancy{EmployerID: w.employer1.ID, Title: "Cameriere/a", MunicipalityCode: "022205", ContractType: "seasonal"}
	if err := w.db.CreateVacancy(ctx, &v); err != nil {
		t.Fatal(err)
	}
	op := w.users[operatorA].ID
	r2 := matching.Request{ProviderID: w.providerA.ID, EmployerID: w.employer1.ID, VacancyID: v.ID, OperatorID: &op}
	if err := w.db.CreateRequest(ctx, &r2); err != nil {
		t.Fatal(err)
	}

	status, body := opA.do(http.MethodGet, "/api/v1/me/timer", nil)
	wantStatus(t, status, body, http.StatusOK, "")
	if strings.TrimSpace(string(body)) != "null" {
		t.Fatalf("no timer runs, got %s", body)
	}
	status, body = opA.do(http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/timer", w.request1.ID),
		map[string]string{"activity": "candidate_contact", "note": "giro di telefonate"})
	wantStatus(t, status, body, http.StatusCreated, "")
	var started api.TimerStarted
	decode(t, body, &started)
	if started.Stopped != nil || started.Timer.RequestID != w.request1.ID || started.Timer.Phase != matching.Phase4C {
		t.Fatalf("started = %+v", started)
	}

	w.clock.Advance(20 * time.Minute)
	status, body = opA.do(http.MethodGet, "/api/v1/me/timer", nil)
	wantStatus(t, status, body, http.StatusOK, "")
	var running api.RunningTimer
	decode(t, body, &running)
	if running.ElapsedMinutes != 20 || running.Activity != "candidate_contact" || running.Note != "giro di telefonate" {
		t.Errorf("running = %+v", running)
	}
	// Other operators have their own (no) timer.
	status, body = w.signIn(operatorB).do(http.MethodGet, "/api/v1/me/timer", nil)
	if status != http.StatusOK || strings.TrimSpace(string(body)) != "null" {
		t.Errorf("operator B's timer: %d %s", status, body)
	}

	t.Run("starting another stops the running one, saves it and says so", func(t *testing.T) {
		status, body := opA.do(http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/timer", r2.ID), map[string]string{"activity": "intake_interview"})
		wantStatus(t, status, body, http.StatusCreated, "")
		var started api.TimerStarted
		decode(t, body, &started)
		if started.Stopped == nil || started.Stopped.Minutes != 20 || started.Stopped.RequestID != w.request1.ID ||
			!strings.Contains(started.Message, "was stopped and its 20 min saved") {
			t.Fatalf("started = %+v", started)
		}
		if started.Timer.RequestID != r2.ID {
			t.Errorf("the new timer runs on request %d", started.Timer.RequestID)
		}
	})

	w.clock.Advance(90 * time.Minute)
	status, body = opA.do(http.MethodPost, "/api/v1/me/timer/stop", nil)
	wantStatus(t, status, body, http.StatusCreated, "")
	var te matching.TimeEntry
	decode(t, body, &te)
	if te.RequestID != r2.ID || te.Minutes != 90 || te.Activity != "intake_interview" || te.ID == 0 {
		t.Errorf("stopped timer's entry = %+v", te)
	}
	status, body = opA.do(http.MethodPost, "/api/v1/me/timer/stop", nil)
	wantStatus(t, status, body, http.StatusNotFound, "")

	t.Run("a timer on a request closed meanwhile still saves on stop", func(t *testing.T) {
		status, body := opA.do(http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/timer", r2.ID), map[string]string{"activity": "outcome_recording"})
		wantStatus(t, status, body, http.StatusCreated, "")
		w.clock.Advance(10 * time.Minute)
		withdrawn := matching.OutcomeWithdrawn
		if _, err := w.db.TransitionRequest(ctx, r2.ID, matching.TransitionInput{To: matching.StatusClosed, Outcome: &withdrawn,
			CloseReason: matching.CloseEmployerWithdrew, Note: "assunto altrove"}, store.Actor{UserID: op, Role: matching.RoleOperator}); err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(5 * time.Minute)
		status, body = opA.do(http.MethodPost, "/api/v1/me/timer/stop", nil)
		wantStatus(t, status, body, http.StatusCreated, "")
		var te matching.TimeEntry
		decode(t, body, &te)
		if te.RequestID != r2.ID || te.Minutes != 15 {
			t.Errorf("entry = %+v", te)
		}
	})

	t.Run("a discarded timer saves nothing", func(t *testing.T) {
		status, body := opA.do(http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/timer", w.request1.ID), map[string]string{"activity": "feedback_collection"})
		wantStatus(t, status, body, http.StatusCreated, "")
		status, body = opA.do(http.MethodDelete, "/api/v1/me/timer", nil)
		wantStatus(t, status, body, http.StatusNoContent, "")
		status, body = opA.do(http.MethodDelete, "/api/v1/me/timer", nil)
		wantStatus(t, status, body, http.StatusNotFound, "")
		entries, err := w.db.TimeEntries(ctx, w.request1.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Activity == "feedback_collection" {
				t.Errorf("the discarded timer saved %+v", e)
			}
		}
	})

	t.Run("timers are refused to other roles and on other providers' requests", func(t *testing.T) {
		for actor, want := range map[string]int{operatorB: http.StatusNotFound, monitor: http.StatusForbidden, employer1: http.StatusForbidden} {
			status, body := w.signIn(actor).do(http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/timer", w.request1.ID),
				map[string]string{"activity": "database_search"})
			wantStatus(t, status, body, want, "")
		}
		status, body := w.signIn(monitor).do(http.MethodGet, "/api/v1/me/timer", nil)
		wantStatus(t, status, body, http.StatusForbidden, "")
		status, body = opA.do(http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/timer", w.request1.ID), map[string]string{"activity": "selection_support"})
		wantStatus(t, status, body, http.StatusConflict, "activity")
	})
}
