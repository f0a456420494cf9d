package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"incontro/api"
	"incontro/matching"
	"incontro/store"
)

// moveRequest1 moves request 1 to a state as operator A, through the life
// cycle's rules.
func (w *world) moveRequest1(to matching.RequestStatus) {
	w.t.Helper()
	a := store.Actor{UserID: w.users[operatorA].ID, Role: matching.RoleOperator}
	r, err := w.db.TransitionRequest(w.t.Context(), w.request1.ID, matching.TransitionInput{To: to}, a)
	if err != nil {
		w.t.Fatalf("move request 1 to %s: %v", to, err)
	}
	w.request1 = r
}

// auditedBy returns the request's audit events with the action.
func (w *world) auditedBy(requestID int64, action string) []matching.AuditEvent {
	w.t.Helper()
	evs, _, err := w.db.AuditLog(w.t.Context(), store.AuditFilter{RequestID: requestID, Action: action, Limit: 500})
	if err != nil {
		w.t.Fatal(err)
	}
	return evs
}

func TestFeedbackThroughTheAPI(t *testing.T) {
	w := newWorld(t)
	boss, op := w.signIn(employer1), w.signIn(operatorA)
	feedbackOn := func(entryID int64) string { return fmt.Sprintf("/api/v1/pipeline/%d/feedback", entryID) }
	unpresented := w.slEntry(w.request1, w.slCandidate("Gino", "Sette", matching.PresentNamed), nil)

	status, body := boss.do(http.MethodPost, feedbackOn(w.entry1.ID), api.FeedbackInput{Decision: matching.DecisionInterviewPlanned,
		InterviewAt: "2026-03-05T10:00:00+01:00", Comment: "la vediamo giovedì"})
	wantHTTP(t, status, body, http.StatusCreated)
	planned := jsonOf[api.FeedbackView](t, body)
	if planned.Stage != matching.StagePresented || planned.Pseudonym != w.entry1.Pseudonym || planned.ShortlistID == nil ||
		*planned.ShortlistID != w.shortlist1.ID || planned.InterviewAt == nil || *planned.By != w.users[employer1].ID {
		t.Errorf("planned interview = %+v", planned)
	}

	for _, tc := range []struct {
		name   string
		actor  string
		entry  int64
		in     api.FeedbackInput
		status int
		field  string
	}{
		{"another employer", employer2, w.entry1.ID, api.FeedbackInput{Decision: matching.DecisionOnHold}, http.StatusNotFound, ""},
		{"another provider's operator", operatorB, w.entry1.ID, api.FeedbackInput{Decision: matching.DecisionOnHold}, http.StatusNotFound, ""},
		{"the candidate", jobseeker1, w.entry1.ID, api.FeedbackInput{Decision: matching.DecisionOnHold}, http.StatusForbidden, ""},
		{"the monitor", monitor, w.entry1.ID, api.FeedbackInput{Decision: matching.DecisionOnHold}, http.StatusForbidden, ""},
		{"the employer on a candidate not presented to it", employer1, unpresented.ID, api.FeedbackInput{Decision: matching.DecisionOnHold}, http.StatusNotFound, ""},
		{"the operator on a candidate not presented", operatorA, unpresented.ID, api.FeedbackInput{Decision: matching.DecisionOnHold}, http.StatusConflict, "entry_id"},
		{"not selected without a reason", employer1, w.entry1.ID, api.FeedbackInput{Decision: matching.DecisionNotSelected}, http.StatusUnprocessableEntity, "reason"},
		{"a start date that is not a date", employer1, w.entry1.ID, api.FeedbackInput{Decision: matching.DecisionHired, StartDate: "01/04/2026",
			ContractType: "permanent"}, http.StatusUnprocessableEntity, "start_date"},
		{"an interview time that is not a time", employer1, w.entry1.ID, api.FeedbackInput{Decision: matching.DecisionInterviewPlanned,
			InterviewAt: "giovedì"}, http.StatusUnprocessableEntity, "interview_at"},
		{"another vacancy's requirement", employer1, w.entry1.ID, api.FeedbackInput{Decision: matching.DecisionNotSelected, Reason: "skills_gap",
			RequirementID: &w.vacancy2.Requirements[0].ID}, http.StatusUnprocessableEntity, "requirement_id"},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			status, body := w.signIn(tc.actor).do(http.MethodPost, feedbackOn(tc.entry), tc.in)
			if tc.field == "" {
				wantHTTP(t, status, body, tc.status)
				return
			}
			wantErrorAt(t, status, body, tc.status, tc.field)
		})
	}

	status, body = op.do(http.MethodPost, feedbackOn(w.entry1.ID), api.FeedbackInput{Decision: matching.DecisionInterviewHeld,
		Comment: "riferito al telefono dal titolare"})
	wantHTTP(t, status, body, http.StatusCreated)
	if fb := jsonOf[api.FeedbackView](t, body); fb.Stage != matching.StageInterviewed {
		t.Errorf("after the interview the candidate is %s", fb.Stage)
	}
	status, body = boss.do(http.MethodPost, feedbackOn(w.entry1.ID), api.FeedbackInput{Decision: matching.DecisionHired,
		StartDate: "2026-04-01", ContractType: "permanent"})
	wantHTTP(t, status, body, http.StatusCreated)
	hired := jsonOf[api.FeedbackView](t, body)
	if hired.Stage != matching.StageHired || hired.StartDate == nil || hired.StartDate.Format(time.DateOnly) != "2026-04-01" {
		t.Errorf("hire = %+v", hired)
	}

	t.Run("the request lists the feedback and owes none", func(t *testing.T) {
		for _, actor := range []string{employer1, operatorA, monitor} {
			status, body := w.signIn(actor).do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/feedback", w.request1.ID), nil)
			wantHTTP(t, status, body, http.StatusOK)
			got := jsonOf[api.RequestFeedback](t, body)
			if len(got.Feedback) != 3 || got.Feedback[0].Pseudonym != w.entry1.Pseudonym || got.Feedback[2].Decision != matching.DecisionHired {
				t.Errorf("%s: feedback = %+v", actor, got.Feedback)
			}
			if got.State.PresentedAt == nil || got.State.LastFeedbackAt == nil || got.State.ReminderDue || got.State.ProposeClose {
				t.Errorf("%s: state = %+v", actor, got.State)
			}
		}
		for _, actor := range []string{employer2, operatorB} {
			status, body := w.signIn(actor).do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/feedback", w.request1.ID), nil)
			wantHTTP(t, status, body, http.StatusNotFound)
		}
	})
	t.Run("every feedback is audited with who gave it", func(t *testing.T) {
		evs := w.auditedBy(w.request1.ID, "feedback")
		if len(evs) != 3 {
			t.Fatalf("%d feedback events, want 3", len(evs))
		}
		roles := []matching.Role{evs[2].Role, evs[1].Role, evs[0].Role}
		if roles[0] != matching.RoleEmployer || roles[1] != matching.RoleOperator || roles[2] != matching.RoleEmployer ||
			*evs[0].CandidateID != w.candidate1.ID {
			t.Errorf("feedback events = %+v", evs)
		}
	})
	t.Run("the hire lets the operator close the request as filled", func(t *testing.T) {
		filled := matching.OutcomeFilled
		_, err := w.db.TransitionRequest(t.Context(), w.request1.ID, matching.TransitionInput{To: matching.StatusClosed, Outcome: &filled,
			CloseReason: matching.CloseHired, Note: "assunta; richiesta semplice, tempo sotto lo standard"},
			store.Actor{UserID: w.users[operatorA].ID, Role: matching.RoleOperator})
		if err != nil {
			t.Fatal(err)
		}
		status, body := boss.do(http.MethodPost, feedbackOn(w.entry1.ID), api.FeedbackInput{Decision: matching.DecisionOnHold})
		wantErrorAt(t, status, body, http.StatusConflict, "status")
	})
}

func TestFeedbackReminders(t *testing.T) {
	w := newWorld(t)
	path := fmt.Sprintf("/api/v1/requests/%d/feedback", w.request1.ID)
	state := func() matching.FeedbackState {
		t.Helper()
		status, body := w.signIn(operatorA).do(http.MethodGet, path, nil)
		wantHTTP(t, status, body, http.StatusOK)
		return jsonOf[api.RequestFeedback](t, body).State
	}
	presented := *w.shortlist1.PresentedAt
	if s := state(); s.ReminderDue || s.ProposeClose || s.ReminderAt == nil || !s.ReminderAt.Equal(presented.Add(15*matching.Day)) ||
		!s.ProposeAt.Equal(presented.Add(45*matching.Day)) {
		t.Errorf("just presented: %+v", s)
	}
	w.clock.Advance(16 * matching.Day)
	if s := state(); !s.ReminderDue || s.ProposeClose {
		t.Errorf("after 16 days: %+v", s)
	}
	w.clock.Advance(30 * matching.Day)
	if s := state(); !s.ReminderDue || !s.ProposeClose {
		t.Errorf("after 46 days: %+v", s)
	}
	status, body := w.signIn(employer1).do(http.MethodPost, fmt.Sprintf("/api/v1/pipeline/%d/feedback", w.entry1.ID),
		api.FeedbackInput{Decision: matching.DecisionOnHold, Comment: "ci pensiamo"})
	wantHTTP(t, status, body, http.StatusCreated)
	if s := state(); s.ReminderDue || s.ProposeClose || s.LastFeedbackAt == nil {
		t.Errorf("after the employer's answer: %+v", s)
	}
}

func Test4DThroughTheAPI(t *testing.T) {
	w := newWorld(t)
	op, boss := w.signIn(operatorA), w.signIn(employer1)
	checks := fmt.Sprintf("/api/v1/pipeline/%d/competence-checks", w.entry1.ID)
	sessions := fmt.Sprintf("/api/v1/requests/%d/selection-sessions", w.request1.ID)
	check := api.CompetenceCheckInput{RequirementID: &w.vacancy1.Requirements[0].ID, Competence: "Patente B", Method: "document_check",
		Result: "confirmed", Note: "patente vista in originale"}

	status, body := op.do(http.MethodPost, checks, check)
	wantErrorAt(t, status, body, http.StatusConflict, "status")
	w.moveRequest1(matching.StatusCompetenceVerification)
	status, body = op.do(http.MethodPost, sessions, api.SelectionSessionInput{HeldAt: "2026-03-10T15:00:00+01:00",
		Participants: "titolare", Note: "primo incontro"})
	wantErrorAt(t, status, body, http.StatusConflict, "status")

	status, body = op.do(http.MethodPost, checks, check)
	wantHTTP(t, status, body, http.StatusCreated)
	saved := jsonOf[api.CompetenceCheckView](t, body)
	if saved.ID == 0 || saved.Pseudonym != w.entry1.Pseudonym || saved.Result != "confirmed" {
		t.Errorf("check = %+v", saved)
	}
	for _, tc := range []struct {
		name   string
		actor  string
		in     api.CompetenceCheckInput
		status int
		field  string
	}{
		{"by the employer", employer1, check, http.StatusForbidden, ""},
		{"by another provider", operatorB, check, http.StatusNotFound, ""},
		{"with an unknown method", operatorA, api.CompetenceCheckInput{Competence: "Patente B", Method: "intuition", Result: "confirmed"},
			http.StatusUnprocessableEntity, "method"},
		{"against another vacancy's requirement", operatorA, api.CompetenceCheckInput{RequirementID: &w.vacancy2.Requirements[0].ID,
			Competence: "Patente B", Method: "interview", Result: "confirmed"}, http.StatusUnprocessableEntity, "requirement_id"},
	} {
		t.Run("a check "+tc.name+" is refused", func(t *testing.T) {
			status, body := w.signIn(tc.actor).do(http.MethodPost, checks, tc.in)
			if tc.field == "" {
				wantHTTP(t, status, body, tc.status)
				return
			}
			wantErrorAt(t, status, body, tc.status, tc.field)
		})
	}
	t.Run("the employer and staff read the checks", func(t *testing.T) {
		for _, actor := range []string{employer1, operatorA, monitor} {
			status, body := w.signIn(actor).do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/competence-checks", w.request1.ID), nil)
			wantHTTP(t, status, body, http.StatusOK)
			got := jsonOf[struct{ Checks []api.CompetenceCheckView }](t, body)
			if len(got.Checks) != 1 || got.Checks[0].ID != saved.ID || got.Checks[0].Pseudonym != w.entry1.Pseudonym {
				t.Errorf("%s reads %+v", actor, got.Checks)
			}
		}
		status, body := w.signIn(employer2).do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/competence-checks", w.request1.ID), nil)
		wantHTTP(t, status, body, http.StatusNotFound)
	})

	w.moveRequest1(matching.StatusSelection)
	status, body = op.do(http.MethodPost, sessions, api.SelectionSessionInput{HeldAt: "ieri", Participants: "titolare", Note: "x"})
	wantErrorAt(t, status, body, http.StatusUnprocessableEntity, "held_at")
	status, body = op.do(http.MethodPost, sessions, api.SelectionSessionInput{HeldAt: "2026-03-10T15:00:00+01:00",
		Participants: "titolare, operatrice", Note: "scelta la candidata", ProposedEntryID: &w.entry1.ID})
	wantHTTP(t, status, body, http.StatusCreated)
	session := jsonOf[api.SelectionSessionView](t, body)
	if session.ProposedPseudonym != w.entry1.Pseudonym || !session.HeldAt.Equal(time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)) {
		t.Errorf("session = %+v", session)
	}
	status, body = w.signIn(employer1).do(http.MethodPost, sessions, api.SelectionSessionInput{})
	wantHTTP(t, status, body, http.StatusForbidden)
	status, body = boss.do(http.MethodGet, sessions, nil)
	wantHTTP(t, status, body, http.StatusOK)
	if got := jsonOf[struct{ Sessions []api.SelectionSessionView }](t, body); len(got.Sessions) != 1 || got.Sessions[0].ID != session.ID {
		t.Errorf("the employer reads %+v", got.Sessions)
	}

	t.Run("every 4D write is audited", func(t *testing.T) {
		if evs := w.auditedBy(w.request1.ID, "competence_check"); len(evs) != 1 || *evs[0].UserID != w.users[operatorA].ID {
			t.Errorf("competence check events = %+v", evs)
		}
		evs := w.auditedBy(w.request1.ID, "selection_session")
		if len(evs) != 1 {
			t.Fatalf("%d selection session events", len(evs))
		}
		var d map[string]any
		if err := json.Unmarshal(evs[0].Detail, &d); err != nil || d["pseudonym"] != w.entry1.Pseudonym {
			t.Errorf("selection session detail = %s", evs[0].Detail)
		}
	})
}
