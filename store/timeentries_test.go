package store_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"incontro/matching"
	"incontro/store"
)

// handClock is a clock the test moves by hand.
type handClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *handClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *handClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
func (c *handClock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// storeWithHandClock returns a fresh store whose clock stands at start.
func storeWithHandClock(t *testing.T, start time.Time) (*store.DB, *handClock) {
	t.Helper()
	s := MustStore(t)
	c := &handClock{t: start}
	s.Now = c.Now
	return s, c
}

// asOperator is the actor of an operator's action.
func asOperator(u matching.User) store.Actor {
	return store.Actor{UserID: u.ID, Role: matching.RoleOperator}
}

// must4DRequest creates a request handled by f's provider with the 4D phases.
func must4DRequest(t *testing.T, s *store.DB, f requestFixture) matching.Request {
	t.Helper()
	v := MustVacancy(t, s, f.Employer.ID)
	r := matching.Request{ProviderID: f.Provider.ID, EmployerID: f.Employer.ID, VacancyID: v.ID, OperatorID: &f.Operator.ID, With4D: true}
	mustNoError(t, s.CreateRequest(context.Background(), &r), "create 4D request")
	return r
}

// closeWithdrawn closes a request as withdrawn by the employer, by its operator.
func closeWithdrawn(t *testing.T, s *store.DB, r matching.Request, op matching.User) matching.Request {
	t.Helper()
	o := matching.OutcomeWithdrawn
	closed, err := s.TransitionRequest(context.Background(), r.ID, matching.TransitionInput{To: matching.StatusClosed,
		Outcome: &o, CloseReason: matching.CloseEmployerWithdrew, Note: "l'azienda ha rinunciato"}, asOperator(op))
	mustNoError(t, err, "close the request")
	return closed
}

// detailOf decodes an audit event's detail.
func detailOf(t *testing.T, ev matching.AuditEvent) map[string]any {
	t.Helper()
	var d map[string]any
	mustNoError(t, json.Unmarshal(ev.Detail, &d), "audit detail")
	return d
}

func TestTimeEntriesRoundTrip(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2025, 3, 11, 9, 0, 0, 500, time.FixedZone("CET", 3600))
	s, _ := storeWithHandClock(t, day.Add(48*time.Hour))
	f := MustRequest(t, s)
	g := must4DRequest(t, s, f)
	op := asOperator(f.Operator)
	entries := []matching.TimeEntry{
		{RequestID: f.Request.ID, UserID: &f.Operator.ID, Phase: matching.Phase4C, Activity: "intake_interview", StartedAt: day, Minutes: 90, Note: "colloquio in azienda"},
		{RequestID: f.Request.ID, UserID: &f.Operator.ID, Activity: "database_search", StartedAt: day.Add(2 * time.Hour), Minutes: 45},
		{RequestID: g.ID, UserID: &f.Operator.ID, Activity: "competence_verification", StartedAt: day.Add(24 * time.Hour), Minutes: 120},
		{RequestID: g.ID, Activity: "selection_support", StartedAt: day, Minutes: 30},
	}
	for i := range entries {
		mustNoError(t, s.RecordTimeEntry(ctx, &entries[i], op), "record time entry")
	}
	if entries[1].Phase != matching.Phase4C || entries[2].Phase != matching.Phase4DVerification || entries[3].Phase != matching.Phase4DSelection {
		t.Errorf("phases taken from the activities: %q, %q, %q", entries[1].Phase, entries[2].Phase, entries[3].Phase)
	}
	if entries[0].UserName != f.Operator.Name || entries[3].UserName != "" {
		t.Errorf("operator names after recording: %q, %q", entries[0].UserName, entries[3].UserName)
	}
	got, err := s.TimeEntries(ctx, f.Request.ID)
	mustNoError(t, err, "list")
	if diff := cmp.Diff(entries[:2], got); diff != "" {
		t.Errorf("time entries differ (-written +read):\n%s", diff)
	}
	one, err := s.TimeEntry(ctx, entries[2].ID)
	mustNoError(t, err, "read one")
	if diff := cmp.Diff(entries[2], one); diff != "" {
		t.Errorf("time entry differs (-written +read):\n%s", diff)
	}
	byPhase, err := s.TimeByPhase(ctx, g.ID)
	mustNoError(t, err, "by phase")
	want := map[matching.Phase]int{matching.Phase4DVerification: 120, matching.Phase4DSelection: 30}
	if diff := cmp.Diff(want, byPhase); diff != "" {
		t.Errorf("minutes per phase (-want +got):\n%s", diff)
	}

	mustNoError(t, s.DeleteTimeEntry(ctx, entries[0].ID, op), "delete")
	wantError(t, s.DeleteTimeEntry(ctx, entries[0].ID, op), matching.ENOTFOUND, "")
	wantError(t, func() error { _, err := s.TimeEntry(ctx, entries[0].ID); return err }(), matching.ENOTFOUND, "")
	byPhase, err = s.TimeByPhase(ctx, f.Request.ID)
	mustNoError(t, err, "by phase")
	if byPhase[matching.Phase4C] != 45 {
		t.Errorf("4C minutes after deleting = %d, want 45", byPhase[matching.Phase4C])
	}
	none, err := s.TimeByPhase(ctx, 999999)
	mustNoError(t, err, "by phase of an unknown request")
	if none == nil || len(none) != 0 {
		t.Errorf("an unknown request has time %v", none)
	}
}

func TestRecordTimeEntryRefusals(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 3, 11, 12, 0, 0, 0, time.UTC)
	s, _ := storeWithHandClock(t, now)
	f := MustRequest(t, s)
	start := now.Add(-3 * time.Hour)
	tests := []struct {
		name   string
		change func(te *matching.TimeEntry)
		code   string
		field  string
	}{
		{"no minutes", func(te *matching.TimeEntry) { te.Minutes = 0 }, matching.EINVALID, "minutes"},
		{"more than twelve hours", func(te *matching.TimeEntry) { te.Minutes = 721 }, matching.EINVALID, "minutes"},
		{"an unknown activity", func(te *matching.TimeEntry) { te.Activity = "coffee" }, matching.EINVALID, "activity"},
		{"the phase of another activity", func(te *matching.TimeEntry) { te.Phase = matching.Phase4DSelection }, matching.EINVALID, "phase"},
		{"no start", func(te *matching.TimeEntry) { te.StartedAt = time.Time{} }, matching.EINVALID, "started_at"},
		{"a start in the future", func(te *matching.TimeEntry) { te.StartedAt = now.Add(time.Hour) }, matching.EINVALID, "started_at"},
		{"a request that does not exist", func(te *matching.TimeEntry) { te.RequestID = 999999 }, matching.EINVALID, "request_id"},
		{"a user that does not exist", func(te *matching.TimeEntry) { te.UserID = ptr(int64(999999)) }, matching.EINVALID, "user_id"},
		{"a 4D activity on a request without 4D", func(te *matching.TimeEntry) { te.Activity = "selection_support" }, matching.ECONFLICT, "activity"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			te := matching.TimeEntry{RequestID: f.Request.ID, UserID: &f.Operator.ID, Activity: "candidate_contact", StartedAt: start, Minutes: 30}
			tt.change(&te)
			wantError(t, s.RecordTimeEntry(ctx, &te, asOperator(f.Operator)), tt.code, tt.field)
		})
	}
	got, err := s.TimeEntries(ctx, f.Request.ID)
	mustNoError(t, err, "list")
	if len(got) != 0 {
		t.Errorf("refused entries were written: %+v", got)
	}
	if evs := auditOf(t, s, f.Request.ID, "time_entry_added"); len(evs) != 0 {
		t.Errorf("refused entries were audited: %+v", evs)
	}
}

func TestFourDTimeCountsOnceTheRequestEntersFourD(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 3, 11, 12, 0, 0, 0, time.UTC)
	s, _ := storeWithHandClock(t, now)
	f := MustRequest(t, s)
	te := matching.TimeEntry{RequestID: f.Request.ID, UserID: &f.Operator.ID, Activity: "competence_verification", StartedAt: now, Minutes: 60}
	err := s.RecordTimeEntry(ctx, &te, asOperator(f.Operator))
	wantError(t, err, matching.ECONFLICT, "activity")
	wantMessage(t, err, "4D")
	// A request moved into a 4D state by hand (as older data may be) takes 4D time.
	_, err = s.SQL().ExecContext(ctx, `UPDATE requests SET status = 'competence_verification' WHERE id = $1`, f.Request.ID)
	mustNoError(t, err, "move to 4D")
	mustNoError(t, s.RecordTimeEntry(ctx, &te, asOperator(f.Operator)), "4D time in a 4D state")
}

func TestTimeOnAClosedRequestIsLatePaperworkForAWeek(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 3, 11, 12, 0, 0, 0, time.UTC)
	s, clock := storeWithHandClock(t, now)
	f := MustRequest(t, s)
	op := asOperator(f.Operator)
	before := matching.TimeEntry{RequestID: f.Request.ID, UserID: &f.Operator.ID, Activity: "intake_interview", StartedAt: now.Add(-time.Hour), Minutes: 60}
	mustNoError(t, s.RecordTimeEntry(ctx, &before, op), "time before closing")
	closeWithdrawn(t, s, f.Request, f.Operator)

	clock.Advance(6 * 24 * time.Hour)
	late := matching.TimeEntry{RequestID: f.Request.ID, UserID: &f.Operator.ID, Activity: "outcome_recording", StartedAt: now.Add(time.Hour), Minutes: 20}
	mustNoError(t, s.RecordTimeEntry(ctx, &late, op), "late paperwork six days after closing")

	t.Run("entries of a closed request are neither changed nor deleted", func(t *testing.T) {
		_, err := s.UpdateTimeEntry(ctx, before.ID, store.TimeEntryChange{Minutes: ptr(90)}, op)
		wantError(t, err, matching.ECONFLICT, "request_id")
		wantError(t, s.DeleteTimeEntry(ctx, late.ID, op), matching.ECONFLICT, "request_id")
	})
	t.Run("eight days after closing the time is final", func(t *testing.T) {
		clock.Advance(2 * 24 * time.Hour)
		tooLate := matching.TimeEntry{RequestID: f.Request.ID, UserID: &f.Operator.ID, Activity: "outcome_recording", StartedAt: now.Add(2 * time.Hour), Minutes: 20}
		err := s.RecordTimeEntry(ctx, &tooLate, op)
		wantError(t, err, matching.ECONFLICT, "request_id")
		wantMessage(t, err, "7 days")
	})
	got, err := s.TimeByPhase(ctx, f.Request.ID)
	mustNoError(t, err, "by phase")
	if got[matching.Phase4C] != 80 {
		t.Errorf("4C minutes = %d, want 80 (60 before closing, 20 of late paperwork)", got[matching.Phase4C])
	}
}

func TestOnlyTheAuthorChangesATimeEntryAndEveryChangeIsAudited(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 3, 11, 12, 0, 0, 0, time.UTC)
	s, _ := storeWithHandClock(t, now)
	f := MustRequest(t, s)
	colleague := MustOperator(t, s, f.Provider.ID)
	author := asOperator(f.Operator)
	te := matching.TimeEntry{RequestID: f.Request.ID, UserID: &f.Operator.ID, Activity: "candidate_contact", StartedAt: now.Add(-2 * time.Hour), Minutes: 30}
	mustNoError(t, s.RecordTimeEntry(ctx, &te, author), "record")

	_, err := s.UpdateTimeEntry(ctx, te.ID, store.TimeEntryChange{Minutes: ptr(45)}, asOperator(colleague))
	wantError(t, err, matching.EFORBIDDEN, "")
	wantMessage(t, err, "only the operator who recorded")
	wantError(t, s.DeleteTimeEntry(ctx, te.ID, asOperator(colleague)), matching.EFORBIDDEN, "")

	t.Run("bad corrections are refused and change nothing", func(t *testing.T) {
		_, err := s.UpdateTimeEntry(ctx, te.ID, store.TimeEntryChange{Minutes: ptr(0)}, author)
		wantError(t, err, matching.EINVALID, "minutes")
		_, err = s.UpdateTimeEntry(ctx, te.ID, store.TimeEntryChange{Activity: ptr("selection_support")}, author)
		wantError(t, err, matching.ECONFLICT, "activity")
		_, err = s.UpdateTimeEntry(ctx, te.ID, store.TimeEntryChange{StartedAt: ptr(now.Add(time.Hour))}, author)
		wantError(t, err, matching.EINVALID, "started_at")
		_, err = s.UpdateTimeEntry(ctx, te.ID, store.TimeEntryChange{Phase: ptr(matching.Phase4DSelection)}, author)
		wantError(t, err, matching.EINVALID, "phase")
		_, err = s.UpdateTimeEntry(ctx, 999999, store.TimeEntryChange{Minutes: ptr(10)}, author)
		wantError(t, err, matching.ENOTFOUND, "")
		got, err := s.TimeEntry(ctx, te.ID)
		mustNoError(t, err, "read")
		if got.Minutes != 30 || got.Activity != "candidate_contact" {
			t.Errorf("a refused correction changed the entry: %+v", got)
		}
	})

	changed, err := s.UpdateTimeEntry(ctx, te.ID, store.TimeEntryChange{Minutes: ptr(50), Activity: ptr("self_application_review"),
		Note: ptr("anche le autocandidature")}, author)
	mustNoError(t, err, "correct")
	if changed.Minutes != 50 || changed.Activity != "self_application_review" || changed.Phase != matching.Phase4C ||
		changed.Note != "anche le autocandidature" || !changed.StartedAt.Equal(te.StartedAt) || changed.UserName != f.Operator.Name {
		t.Errorf("corrected entry = %+v", changed)
	}
	mustNoError(t, s.DeleteTimeEntry(ctx, te.ID, author), "delete")

	for _, tc := range []struct {
		action string
		want   map[string]any
	}{
		{"time_entry_added", map[string]any{"minutes": 30.0, "activity": "candidate_contact", "phase": "4C"}},
		{"time_entry_changed", map[string]any{"minutes": 50.0, "minutes_before": 30.0, "activity": "self_application_review",
			"activity_before": "candidate_contact"}},
		{"time_entry_deleted", map[string]any{"minutes": 50.0, "activity": "self_application_review", "phase": "4C"}},
	} {
		evs := auditOf(t, s, f.Request.ID, tc.action)
		if len(evs) != 1 {
			t.Fatalf("%d %s events, want 1", len(evs), tc.action)
		}
		ev := evs[0]
		if ev.UserID == nil || *ev.UserID != f.Operator.ID || ev.ObjectID == nil || *ev.ObjectID != te.ID || ev.ObjectType != "time_entry" {
			t.Errorf("%s event = %+v", tc.action, ev)
		}
		if diff := cmp.Diff(tc.want, detailOf(t, ev)); diff != "" {
			t.Errorf("%s detail (-want +got):\n%s", tc.action, diff)
		}
	}
}

func TestARunningTimerMakesTimeEntries(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2025, 3, 11, 9, 0, 0, 0, time.UTC)
	s, clock := storeWithHandClock(t, t0)
	f := MustRequest(t, s)
	g := MustRequestFor(t, s, f.Provider.ID, f.Employer.ID, MustVacancy(t, s, f.Employer.ID).ID, &f.Operator.ID)
	op := asOperator(f.Operator)

	none, err := s.RunningTimer(ctx, f.Operator.ID)
	mustNoError(t, err, "no timer")
	if none != nil {
		t.Fatalf("a timer runs before any started: %+v", none)
	}
	timer, saved, err := s.StartTimer(ctx, f.Request.ID, "database_search", "ricerca in banca dati", op)
	mustNoError(t, err, "start")
	if saved != nil || timer.RequestID != f.Request.ID || !timer.StartedAt.Equal(t0) {
		t.Fatalf("started %+v, saved %+v", timer, saved)
	}

	clock.Advance(25*time.Minute + 10*time.Second)
	running, err := s.RunningTimer(ctx, f.Operator.ID)
	mustNoError(t, err, "running")
	if running == nil || running.Activity != "database_search" || running.ElapsedMinutes(clock.Now()) != 25 {
		t.Fatalf("running timer = %+v", running)
	}

	t.Run("starting another timer stops the running one and saves its time", func(t *testing.T) {
		_, saved, err := s.StartTimer(ctx, g.ID, "candidate_contact", "", op)
		mustNoError(t, err, "start another")
		if saved == nil || saved.RequestID != f.Request.ID || saved.Minutes != 26 || saved.Activity != "database_search" ||
			saved.Note != "ricerca in banca dati" || *saved.UserID != f.Operator.ID || saved.ID == 0 {
			t.Fatalf("saved entry = %+v (25 min 10 s round up to 26)", saved)
		}
		running, err := s.RunningTimer(ctx, f.Operator.ID)
		mustNoError(t, err, "running")
		if running == nil || running.RequestID != g.ID {
			t.Fatalf("running timer = %+v, want one on request %d", running, g.ID)
		}
	})

	clock.Advance(15 * time.Minute)
	entry, err := s.StopTimer(ctx, op)
	mustNoError(t, err, "stop")
	if entry.RequestID != g.ID || entry.Minutes != 15 || entry.Phase != matching.Phase4C || entry.ID == 0 {
		t.Errorf("entry of the stopped timer = %+v", entry)
	}
	_, err = s.StopTimer(ctx, op)
	wantError(t, err, matching.ENOTFOUND, "")
	if evs := auditOf(t, s, g.ID, "time_entry_added"); len(evs) != 1 || detailOf(t, evs[0])["timer"] != true {
		t.Errorf("the timer's entry was not audited as one: %+v", evs)
	}

	t.Run("a discarded timer saves nothing", func(t *testing.T) {
		_, _, err := s.StartTimer(ctx, g.ID, "feedback_collection", "", op)
		mustNoError(t, err, "start")
		clock.Advance(time.Hour)
		mustNoError(t, s.DiscardTimer(ctx, op), "discard")
		wantError(t, s.DiscardTimer(ctx, op), matching.ENOTFOUND, "")
		got, err := s.TimeByPhase(ctx, g.ID)
		mustNoError(t, err, "by phase")
		if got[matching.Phase4C] != 15 {
			t.Errorf("4C minutes = %d, want the 15 of the stopped timer only", got[matching.Phase4C])
		}
	})

	t.Run("a timer that could not be saved does not start", func(t *testing.T) {
		_, _, err := s.StartTimer(ctx, g.ID, "selection_support", "", op)
		wantError(t, err, matching.ECONFLICT, "activity")
		_, _, err = s.StartTimer(ctx, g.ID, "coffee", "", op)
		wantError(t, err, matching.EINVALID, "activity")
		_, _, err = s.StartTimer(ctx, 999999, "database_search", "", op)
		wantError(t, err, matching.ENOTFOUND, "")
		running, err := s.RunningTimer(ctx, f.Operator.ID)
		mustNoError(t, err, "running")
		if running != nil {
			t.Errorf("a refused timer runs: %+v", running)
		}
	})
}

func TestATimerOnARequestClosedMeanwhileStillSaves(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2025, 3, 11, 9, 0, 0, 0, time.UTC)
	s, clock := storeWithHandClock(t, t0)
	f := MustRequest(t, s)
	op := asOperator(f.Operator)

	_, _, err := s.StartTimer(ctx, f.Request.ID, "outcome_recording", "", op)
	mustNoError(t, err, "start")
	clock.Advance(30 * time.Minute)
	closeWithdrawn(t, s, f.Request, f.Operator)
	clock.Advance(30 * time.Minute)
	entry, err := s.StopTimer(ctx, op)
	mustNoError(t, err, "stop on a request closed meanwhile")
	if entry.Minutes != 60 || entry.RequestID != f.Request.ID {
		t.Errorf("entry = %+v, want 60 minutes on request %d", entry, f.Request.ID)
	}

	t.Run("but not once the request has been closed for more than a week", func(t *testing.T) {
		g := MustRequestFor(t, s, f.Provider.ID, f.Employer.ID, MustVacancy(t, s, f.Employer.ID).ID, &f.Operator.ID)
		_, _, err := s.StartTimer(ctx, g.ID, "outcome_recording", "", op)
		mustNoError(t, err, "start")
		closeWithdrawn(t, s, g, f.Operator)
		clock.Advance(8 * 24 * time.Hour)
		_, err = s.StopTimer(ctx, op)
		wantError(t, err, matching.ECONFLICT, "request_id")
		_, _, err = s.StartTimer(ctx, f.Request.ID, "outcome_recording", "", op)
		wantError(t, err, matching.ECONFLICT, "request_id")
		_, _, err = s.StartTimer(ctx, MustRequestFor(t, s, f.Provider.ID, f.Employer.ID, MustVacancy(t, s, f.Employer.ID).ID, &f.Operator.ID).ID,
			"database_search", "", op)
		wantError(t, err, matching.ECONFLICT, "request_id")
		wantMessage(t, err, "discard it first")
		running, err := s.RunningTimer(ctx, f.Operator.ID)
		mustNoError(t, err, "running")
		if running == nil || running.RequestID != g.ID {
			t.Fatalf("the unsaved timer was lost: %+v", running)
		}
		mustNoError(t, s.DiscardTimer(ctx, op), "discard")
	})
}
