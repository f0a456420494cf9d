package store_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"incontro/matching"
	"incontro/store"
)

// ignoreIDs leaves the generated ids of history rows out of comparisons.
var ignoreIDs = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".ID" }, cmp.Ignore())

func TestAddPipelineEntryRoundTrips(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRanked(t, s)
	c1 := MustCandidate(t, s, matching.PresentNamed)
	c2 := MustCandidate(t, s, matching.PresentNamed)
	run := matching.MatchRun{RequestID: f.Request.ID, Params: []byte(`{}`)}
	mustNoError(t, s.CreateMatchRun(ctx, &run, f.opActor()), "create run")

	found := matching.PipelineEntry{RequestID: f.Request.ID, CandidateID: &c1.ID, Source: matching.SourceSearch,
		MatchRunID: &run.ID, Score: ptr(0.8125), CreatedBy: &f.Operator.ID}
	mustNoError(t, s.AddPipelineEntry(ctx, &found), "add found entry")
	available := matching.PipelineEntry{RequestID: f.Request.ID, CandidateID: &c2.ID, Source: matching.SourceReferral,
		Stage: matching.StageAvailable, Pseudonym: "Segnalata-1"}
	mustNoError(t, s.AddPipelineEntry(ctx, &available), "add available entry")

	for _, want := range []matching.PipelineEntry{found, available} {
		got, err := s.PipelineEntry(ctx, want.ID)
		mustNoError(t, err, "read entry")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("entry read back differs (-written +read):\n%s", diff)
		}
	}
	list, err := s.PipelineEntries(ctx, f.Request.ID)
	mustNoError(t, err, "list")
	if diff := cmp.Diff([]matching.PipelineEntry{found, available}, list); diff != "" {
		t.Errorf("pipeline differs (-want +got):\n%s", diff)
	}

	if found.Stage != matching.StageFound {
		t.Errorf("stage = %q, want found by default", found.Stage)
	}
	if !regexp.MustCompile(`^C-[A-Z2-7]{8}$`).MatchString(found.Pseudonym) {
		t.Errorf("derived pseudonym %q is not C- and eight base32 characters", found.Pseudonym)
	}
	if available.Pseudonym != "Segnalata-1" {
		t.Errorf("a given pseudonym was replaced by %q", available.Pseudonym)
	}
	if available.AvailabilityConfirmedAt == nil || !available.AvailabilityConfirmedAt.Equal(available.CreatedAt) {
		t.Errorf("an entry added as available has availability_confirmed_at %v", available.AvailabilityConfirmedAt)
	}

	history, err := s.StageHistory(ctx, found.ID)
	mustNoError(t, err, "history")
	want := []matching.StageChange{{To: matching.StageFound, At: found.CreatedAt, By: &f.Operator.ID}}
	if diff := cmp.Diff(want, history, ignoreIDs); diff != "" {
		t.Errorf("history differs (-want +got):\n%s", diff)
	}
}

func TestPseudonymsAreDistinctAndNotDerivedFromIDs(t *testing.T) {
	ctx := context.Background()
	// Two fresh databases filled the same way give the records the same ids,
	// but the pseudonyms must not follow from them.
	fill := func(s *store.DB) []string {
		f := MustRequest(t, s)
		for range 3 {
			c := MustCandidate(t, s, matching.PresentNamed)
			MustEntry(t, s, f.Request.ID, c.ID, nil)
		}
		entries, err := s.PipelineEntries(ctx, f.Request.ID)
		mustNoError(t, err, "list")
		var out []string
		for _, e := range entries {
			out = append(out, e.Pseudonym)
		}
		return out
	}
	a, b := fill(MustStore(t)), fill(MustStore(t))
	if len(a) != 3 {
		t.Fatalf("got %d entries, want 3", len(a))
	}
	seen := map[string]bool{}
	for _, p := range append(a, b...) {
		if seen[p] {
			t.Errorf("pseudonym %q repeats in %v and %v", p, a, b)
		}
		seen[p] = true
	}
}

func TestAddPipelineEntryRefusals(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	g := MustRequest(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	taken := MustCandidate(t, s, matching.PresentNamed)
	MustEntry(t, s, f.Request.ID, taken.ID, nil)
	MustTransition(t, s, g.Request.ID, matching.StatusRequirementsRanked, g.opActor())
	otherRun := matching.MatchRun{RequestID: g.Request.ID, Params: []byte(`{}`)}
	mustNoError(t, s.CreateMatchRun(ctx, &otherRun, g.opActor()), "create run")

	tests := []struct {
		name   string
		change func(e *matching.PipelineEntry)
		code   string
		field  string
	}{
		{"an entry without candidate", func(e *matching.PipelineEntry) { e.CandidateID = nil }, matching.EINVALID, "candidate_id"},
		{"a candidate that does not exist", func(e *matching.PipelineEntry) { e.CandidateID = ptr(int64(999999)) }, matching.EINVALID, "candidate_id"},
		{"a candidate already in the pipeline", func(e *matching.PipelineEntry) { e.CandidateID = &taken.ID }, matching.ECONFLICT, "candidate_id"},
		{"a request that does not exist", func(e *matching.PipelineEntry) { e.RequestID = 999999 }, matching.EINVALID, "request_id"},
		{"a match run that does not exist", func(e *matching.PipelineEntry) { e.MatchRunID = ptr(int64(999999)) }, matching.EINVALID, "match_run_id"},
		{"another request's match run", func(e *matching.PipelineEntry) { e.MatchRunID = &otherRun.ID }, matching.EINVALID, "match_run_id"},
		{"an author that does not exist", func(e *matching.PipelineEntry) { e.CreatedBy = ptr(int64(999999)) }, matching.EINVALID, "created_by"},
		{"an unknown source", func(e *matching.PipelineEntry) { e.Source = "newspaper" }, matching.EINVALID, "source"},
		{"an unknown stage", func(e *matching.PipelineEntry) { e.Stage = "lost" }, matching.EINVALID, "stage"},
		{"a rejection without reason", func(e *matching.PipelineEntry) { e.Stage = matching.StageRejected }, matching.EINVALID, "rejection_reason"},
		{"a reason without rejection", func(e *matching.PipelineEntry) { e.RejectionReason = "distance" }, matching.EINVALID, "rejection_reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			e := matching.PipelineEntry{RequestID: f.Request.ID, CandidateID: &c.ID, Source: matching.SourceSearch}
			tt.change(&e)
			wantError(t, s.AddPipelineEntry(ctx, &e), tt.code, tt.field)
		})
	}
	entries, err := s.PipelineEntries(ctx, f.Request.ID)
	mustNoError(t, err, "list")
	if len(entries) != 1 {
		t.Errorf("refused entries were written: %d entries", len(entries))
	}
	_, err = s.PipelineEntry(ctx, 999999)
	wantError(t, err, matching.ENOTFOUND, "")
}

func TestAddCandidate(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRanked(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	referred := MustCandidate(t, s, matching.PresentBlind)
	absent := MustCandidate(t, s, matching.PresentNamed)
	hidden := MustCandidate(t, s, matching.PresentNamed)
	mustExec(t, s, `UPDATE candidates SET searchable = false WHERE id = $1`, hidden.ID)
	run := matching.MatchRun{RequestID: f.Request.ID, Params: []byte(`{}`), Results: []matching.MatchResult{
		{CandidateID: &c.ID, Score: 3.25, Explanation: []byte(`{}`)}}}
	mustNoError(t, s.CreateMatchRun(ctx, &run, f.opActor()), "run")

	e, err := s.AddCandidate(ctx, store.NewEntry{RequestID: f.Request.ID, CandidateID: c.ID, Source: matching.SourceSearch,
		MatchRunID: &run.ID, Note: "Prima della lista"}, f.opActor())
	mustNoError(t, err, "add from the run")
	if e.Stage != matching.StageFound || e.Score == nil || *e.Score != 3.25 || *e.MatchRunID != run.ID || *e.CreatedBy != f.Operator.ID {
		t.Errorf("entry = %+v", e)
	}
	notes, err := s.Notes(ctx, e.ID)
	mustNoError(t, err, "notes")
	if len(notes) != 1 || notes[0].Body != "Prima della lista" {
		t.Errorf("notes = %+v", notes)
	}
	r, err := s.AddCandidate(ctx, store.NewEntry{RequestID: f.Request.ID, CandidateID: referred.ID, Source: matching.SourceReferral}, f.opActor())
	mustNoError(t, err, "add a referral")
	if r.Score != nil || r.Source != matching.SourceReferral {
		t.Errorf("referral = %+v", r)
	}
	added := auditOf(t, s, f.Request.ID, "pipeline_entry_added")
	if len(added) != 2 || *added[0].CandidateID != c.ID || *added[0].ObjectID != e.ID {
		t.Errorf("audit = %+v", added)
	}

	other := MustRanked(t, s)
	otherRun := matching.MatchRun{RequestID: other.Request.ID, Params: []byte(`{}`)}
	mustNoError(t, s.CreateMatchRun(ctx, &otherRun, other.opActor()), "other run")
	intake := MustRequest(t, s)
	closed := MustRanked(t, s)
	_, err = s.TransitionRequest(ctx, closed.Request.ID, matching.TransitionInput{To: matching.StatusClosed,
		Outcome: ptr(matching.OutcomeCancelled), CloseReason: matching.CloseDuplicate}, closed.opActor())
	mustNoError(t, err, "close")
	tests := []struct {
		name        string
		in          store.NewEntry
		code, field string
	}{
		{"a candidate already in the pipeline", store.NewEntry{RequestID: f.Request.ID, CandidateID: c.ID, Source: matching.SourceReferral}, matching.ECONFLICT, "candidate_id"},
		{"a request in intake", store.NewEntry{RequestID: intake.Request.ID, CandidateID: absent.ID, Source: matching.SourceSearch}, matching.ECONFLICT, "status"},
		{"a closed request", store.NewEntry{RequestID: closed.Request.ID, CandidateID: absent.ID, Source: matching.SourceSearch}, matching.ECONFLICT, "status"},
		{"a candidate whose CV is not searchable", store.NewEntry{RequestID: f.Request.ID, CandidateID: hidden.ID, Source: matching.SourceReferral}, matching.EINVALID, "candidate_id"},
		{"a candidate that does not exist", store.NewEntry{RequestID: f.Request.ID, CandidateID: 999999, Source: matching.SourceSearch}, matching.EINVALID, "candidate_id"},
		{"no candidate", store.NewEntry{RequestID: f.Request.ID, Source: matching.SourceSearch}, matching.EINVALID, "candidate_id"},
		{"a self-application added by hand", store.NewEntry{RequestID: f.Request.ID, CandidateID: absent.ID, Source: matching.SourceSelfApplication}, matching.EINVALID, "source"},
		{"a run of another request", store.NewEntry{RequestID: f.Request.ID, CandidateID: absent.ID, Source: matching.SourceSearch, MatchRunID: &otherRun.ID}, matching.EINVALID, "match_run_id"},
		{"a candidate not in the run", store.NewEntry{RequestID: f.Request.ID, CandidateID: absent.ID, Source: matching.SourceSearch, MatchRunID: &run.ID}, matching.EINVALID, "match_run_id"},
		{"a run for a referral", store.NewEntry{RequestID: f.Request.ID, CandidateID: absent.ID, Source: matching.SourceReferral, MatchRunID: &run.ID}, matching.EINVALID, "match_run_id"},
		{"a request that does not exist", store.NewEntry{RequestID: 999999, CandidateID: absent.ID, Source: matching.SourceSearch}, matching.ENOTFOUND, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			before := countOf(t, s, `SELECT count(*) FROM pipeline_entries`)
			audits := countOf(t, s, `SELECT count(*) FROM audit_log`)
			_, err := s.AddCandidate(ctx, tt.in, f.opActor())
			wantError(t, err, tt.code, tt.field)
			if countOf(t, s, `SELECT count(*) FROM pipeline_entries`) != before || countOf(t, s, `SELECT count(*) FROM audit_log`) != audits {
				t.Error("a refused addition wrote something")
			}
		})
	}
}

func TestMoveStageByAnOperator(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRanked(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	e := MustEntry(t, s, f.Request.ID, c.ID, &f.Operator.ID)
	by := &f.Operator.ID

	steps := []struct {
		to           matching.Stage
		reason, note string
	}{
		{matching.StageContacted, "", "telefonata"},
		{matching.StageAvailable, "", ""},
		{matching.StageShortlisted, "", ""},
		{matching.StageAvailable, "", "tolta dalla rosa"},
		{matching.StageRejected, "distance", "troppo lontano"},
	}
	want := []matching.StageChange{{To: matching.StageFound, At: e.CreatedAt, By: by}}
	from := matching.StageFound
	var confirmedAt *time.Time
	for i, st := range steps {
		got, err := s.MoveStage(ctx, e.ID, store.StageInput{From: ptr(from), To: st.to, Reason: st.reason, Note: st.note}, f.opActor())
		mustNoError(t, err, "move to "+string(st.to))
		if got.Stage != st.to || got.RejectionReason != st.reason {
			t.Errorf("after %s: stage %q reason %q", st.to, got.Stage, got.RejectionReason)
		}
		if i == 1 {
			confirmedAt = got.AvailabilityConfirmedAt
			if confirmedAt == nil || !confirmedAt.Equal(got.UpdatedAt) {
				t.Errorf("availability_confirmed_at = %v, want the time of the change %v", confirmedAt, got.UpdatedAt)
			}
		}
		if i == 3 && !got.AvailabilityConfirmedAt.After(*confirmedAt) {
			t.Errorf("moving back to available did not confirm again: %v", got.AvailabilityConfirmedAt)
		}
		want = append(want, matching.StageChange{From: ptr(from), To: st.to, Reason: st.reason, Note: st.note, At: got.UpdatedAt, By: by})
		from = st.to
	}
	history, err := s.StageHistory(ctx, e.ID)
	mustNoError(t, err, "history")
	if diff := cmp.Diff(want, history, ignoreIDs); diff != "" {
		t.Errorf("history differs (-want +got):\n%s", diff)
	}
	events := auditOf(t, s, f.Request.ID, "pipeline_stage")
	if len(events) != len(steps) {
		t.Fatalf("%d audit events, want %d", len(events), len(steps))
	}
	for i, ev := range events {
		if !ev.At.Equal(history[i+1].At) || *ev.ObjectID != e.ID || *ev.CandidateID != c.ID || *ev.UserID != f.Operator.ID {
			t.Errorf("event %d = %+v", i, ev)
		}
	}
	if !strings.Contains(string(events[4].Detail), `"reason": "distance"`) {
		t.Errorf("the rejection's event does not carry the reason: %s", events[4].Detail)
	}
}

func TestMoveStageRefusals(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRanked(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	e := MustEntry(t, s, f.Request.ID, c.ID, nil)
	closed := MustRanked(t, s)
	ce := MustEntry(t, s, closed.Request.ID, c.ID, nil)
	_, err := s.TransitionRequest(ctx, closed.Request.ID, matching.TransitionInput{To: matching.StatusClosed,
		Outcome: ptr(matching.OutcomeCancelled), CloseReason: matching.CloseDuplicate}, closed.opActor())
	mustNoError(t, err, "close")
	op := f.opActor()
	jobseeker := store.Actor{Role: matching.RoleJobseeker}
	employer := store.Actor{Role: matching.RoleEmployer}

	tests := []struct {
		name        string
		id          int64
		in          store.StageInput
		a           store.Actor
		code, field string
		words       []string
	}{
		{"a move the stages do not allow", e.ID, store.StageInput{To: matching.StageShortlisted}, op, matching.ECONFLICT, "stage",
			[]string{"found", "shortlisted", "contacted"}},
		{"presenting by hand", e.ID, store.StageInput{To: matching.StagePresented}, op, matching.ECONFLICT, "to", []string{"shortlist"}},
		{"hiring by hand", e.ID, store.StageInput{To: matching.StageHired}, op, matching.ECONFLICT, "to", []string{"feedback"}},
		{"a stale stage", e.ID, store.StageInput{From: ptr(matching.StageContacted), To: matching.StageAvailable}, op,
			matching.ECONFLICT, "from", []string{"found"}},
		{"an unknown stage", e.ID, store.StageInput{To: "lost"}, op, matching.EINVALID, "to", nil},
		{"a rejection without reason", e.ID, store.StageInput{To: matching.StageRejected}, op, matching.EINVALID, "reason", []string{"skills_gap"}},
		{"an unknown reason", e.ID, store.StageInput{To: matching.StageRejected, Reason: "too_old"}, op, matching.EINVALID, "reason", nil},
		{"a reason without rejection", e.ID, store.StageInput{To: matching.StageContacted, Reason: "distance"}, op, matching.EINVALID, "reason", nil},
		{"a jobseeker moving other than withdrawing", e.ID, store.StageInput{To: matching.StageAvailable}, jobseeker, matching.EFORBIDDEN, "", nil},
		{"an employer moving a candidate", e.ID, store.StageInput{To: matching.StageContacted}, employer, matching.EFORBIDDEN, "", nil},
		{"a move in a closed request", ce.ID, store.StageInput{To: matching.StageContacted}, op, matching.ECONFLICT, "status", []string{"closed"}},
		{"an entry that does not exist", 999999, store.StageInput{To: matching.StageContacted}, op, matching.ENOTFOUND, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			_, err := s.MoveStage(ctx, tt.id, tt.in, tt.a)
			wantError(t, err, tt.code, tt.field)
			wantMessage(t, err, tt.words...)
		})
	}
	got, err := s.PipelineEntry(ctx, e.ID)
	mustNoError(t, err, "read")
	if diff := cmp.Diff(e, got); diff != "" {
		t.Errorf("refused moves changed the entry:\n%s", diff)
	}
	if n := countOf(t, s, `SELECT count(*) FROM pipeline_stage_history WHERE entry_id = $1`, e.ID); n != 1 {
		t.Errorf("refused moves wrote history: %d rows", n)
	}
	if events := auditOf(t, s, f.Request.ID, "pipeline_stage"); len(events) != 0 {
		t.Errorf("refused moves were audited: %+v", events)
	}

	t.Run("the jobseeker withdraws", func(t *testing.T) {
		got, err := s.MoveStage(ctx, e.ID, store.StageInput{To: matching.StageWithdrew, Note: "ho trovato lavoro"}, jobseeker)
		mustNoError(t, err, "withdraw")
		if got.Stage != matching.StageWithdrew {
			t.Errorf("stage = %s", got.Stage)
		}
		_, err = s.MoveStage(ctx, e.ID, store.StageInput{To: matching.StageWithdrew}, jobseeker)
		wantError(t, err, matching.ECONFLICT, "stage")
	})
}

func TestConcurrentStageMovesOnlyOneWins(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRanked(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	e := MustEntry(t, s, f.Request.ID, c.ID, nil)
	targets := []matching.Stage{matching.StageContacted, matching.StageAvailable, matching.StageUnreachable, matching.StageNotAvailable,
		matching.StageContacted, matching.StageAvailable}
	errs := make([]error, len(targets))
	var wg sync.WaitGroup
	for i, to := range targets {
		wg.Go(func() {
			_, errs[i] = s.MoveStage(ctx, e.ID, store.StageInput{From: ptr(matching.StageFound), To: to}, f.opActor())
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch matching.ErrorCode(err) {
		case "":
			won++
		case matching.ECONFLICT:
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d concurrent moves from found succeeded, want 1", won)
	}
	if n := countOf(t, s, `SELECT count(*) FROM pipeline_stage_history WHERE entry_id = $1`, e.ID); n != 2 {
		t.Errorf("history has %d rows, want 2", n)
	}
}

func TestNotesRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRanked(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	e := MustEntry(t, s, f.Request.ID, c.ID, nil)
	n1 := matching.Note{Body: "Disponibile da aprile"}
	n2 := matching.Note{Body: "Ha la patente B"}
	mustNoError(t, s.AddNote(ctx, e.ID, &n1, f.opActor()), "add note")
	mustNoError(t, s.AddNote(ctx, e.ID, &n2, f.opActor()), "add note")
	got, err := s.Notes(ctx, e.ID)
	mustNoError(t, err, "notes")
	if diff := cmp.Diff([]matching.Note{n1, n2}, got); diff != "" || *got[0].By != f.Operator.ID {
		t.Errorf("notes differ (-written +read):\n%s", diff)
	}
	if events := auditOf(t, s, f.Request.ID, "pipeline_note"); len(events) != 2 || *events[0].CandidateID != c.ID {
		t.Errorf("audit = %+v", events)
	}

	tests := []struct {
		name    string
		entryID int64
		note    matching.Note
		code    string
		field   string
	}{
		{"an empty note", e.ID, matching.Note{Body: "  "}, matching.EINVALID, "body"},
		{"a note on an entry that does not exist", 999999, matching.Note{Body: "x"}, matching.ENOTFOUND, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.AddNote(ctx, tt.entryID, &tt.note, f.opActor()), tt.code, tt.field)
		})
	}
}

func TestLogContactMovesTheCandidate(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRanked(t, s)
	clock := stillClock(s, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	c := MustCandidate(t, s, matching.PresentNamed)
	e := MustEntry(t, s, f.Request.ID, c.ID, nil)
	op := f.opActor()

	contact := func(channel, outcome string, at time.Time) matching.PipelineEntry {
		t.Helper()
		ct := matching.Contact{EntryID: e.ID, Channel: channel, Outcome: outcome, At: at}
		got, err := s.LogContact(ctx, &ct, op)
		mustNoError(t, err, "contact "+outcome)
		if ct.ID == 0 || *ct.By != f.Operator.ID {
			t.Errorf("contact = %+v", ct)
		}
		return got
	}
	clock.advance(time.Hour)
	if got := contact("phone", "no_answer", time.Time{}); got.Stage != matching.StageUnreachable {
		t.Errorf("no answer: %s, want unreachable", got.Stage)
	}
	yesterday := clock.now().Add(-20 * time.Minute)
	got := contact("phone", "available", yesterday)
	if got.Stage != matching.StageAvailable || got.AvailabilityConfirmedAt == nil || !got.AvailabilityConfirmedAt.Equal(yesterday) {
		t.Errorf("available: %s confirmed %v, want available confirmed at the contact's time %v", got.Stage, got.AvailabilityConfirmedAt, yesterday)
	}
	clock.advance(10 * matching.Day)
	again := contact("sms", "available", time.Time{})
	if again.Stage != matching.StageAvailable || !again.AvailabilityConfirmedAt.Equal(clock.now()) {
		t.Errorf("a new confirmation of an available candidate: %s %v, want refreshed to %v", again.Stage, again.AvailabilityConfirmedAt, clock.now())
	}
	older := contact("email", "available", clock.now().Add(-48*time.Hour))
	if !older.AvailabilityConfirmedAt.Equal(clock.now()) {
		t.Errorf("an older contact logged late moved the confirmation back to %v", older.AvailabilityConfirmedAt)
	}
	if got := contact("phone", "message_left", time.Time{}); got.Stage != matching.StageAvailable {
		t.Errorf("a message left changed an available candidate to %s", got.Stage)
	}
	if got := contact("in_person", "not_available", time.Time{}); got.Stage != matching.StageNotAvailable {
		t.Errorf("not available: %s", got.Stage)
	}

	contacts, err := s.Contacts(ctx, e.ID)
	mustNoError(t, err, "contacts")
	if len(contacts) != 6 {
		t.Errorf("%d contacts, want 6", len(contacts))
	}
	if n := len(auditOf(t, s, f.Request.ID, "contact_logged")); n != 6 {
		t.Errorf("%d contacts audited, want 6", n)
	}
	if n := len(auditOf(t, s, f.Request.ID, "pipeline_stage")); n != 3 {
		t.Errorf("%d stage moves audited, want 3 (unreachable, available, not available)", n)
	}

	closed := MustRanked(t, s)
	ce := MustEntry(t, s, closed.Request.ID, c.ID, nil)
	_, err = s.TransitionRequest(ctx, closed.Request.ID, matching.TransitionInput{To: matching.StatusClosed,
		Outcome: ptr(matching.OutcomeCancelled), CloseReason: matching.CloseDuplicate}, closed.opActor())
	mustNoError(t, err, "close")
	refusals := []struct {
		name        string
		ct          matching.Contact
		code, field string
	}{
		{"a contact in the future", matching.Contact{EntryID: e.ID, Channel: "phone", Outcome: "available", At: clock.now().Add(time.Hour)}, matching.EINVALID, "at"},
		{"a contact before the request opened", matching.Contact{EntryID: e.ID, Channel: "phone", Outcome: "available", At: f.Request.OpenedAt.Add(-time.Hour)}, matching.EINVALID, "at"},
		{"an unknown channel", matching.Contact{EntryID: e.ID, Channel: "pigeon", Outcome: "available"}, matching.EINVALID, "channel"},
		{"an unknown outcome", matching.Contact{EntryID: e.ID, Channel: "sms", Outcome: "maybe"}, matching.EINVALID, "outcome"},
		{"a contact in a closed request", matching.Contact{EntryID: ce.ID, Channel: "sms", Outcome: "available"}, matching.ECONFLICT, "status"},
		{"an entry that does not exist", matching.Contact{EntryID: 999999, Channel: "sms", Outcome: "available"}, matching.ENOTFOUND, ""},
	}
	for _, tt := range refusals {
		t.Run(tt.name+" is refused and changes nothing", func(t *testing.T) {
			before := countOf(t, s, `SELECT count(*) FROM contacts`)
			_, err := s.LogContact(ctx, &tt.ct, op)
			wantError(t, err, tt.code, tt.field)
			if countOf(t, s, `SELECT count(*) FROM contacts`) != before {
				t.Error("a refused contact was written")
			}
		})
	}
}

func TestAskingAndAnsweringAvailability(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRanked(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	e := MustEntry(t, s, f.Request.ID, c.ID, nil)
	jobseeker := matching.User{Email: fmt.Sprintf("js%d@example.org", nextSeq()), Name: "Giulia", Role: matching.RoleJobseeker, CandidateID: &c.ID}
	mustNoError(t, s.CreateUser(ctx, &jobseeker), "jobseeker")
	js := store.Actor{UserID: jobseeker.ID, Role: matching.RoleJobseeker}

	q, err := s.AskAvailability(ctx, e.ID, "Le interessa un posto da cuoco a Rovereto?", f.opActor())
	mustNoError(t, err, "ask")
	if q.ID == 0 || *q.SentBy != f.Operator.ID || q.Message == "" {
		t.Errorf("question = %+v", q)
	}
	entry, err := s.PipelineEntry(ctx, e.ID)
	mustNoError(t, err, "read")
	if entry.Stage != matching.StageContacted {
		t.Errorf("after asking the candidate is %s, want contacted", entry.Stage)
	}
	_, err = s.AskAvailability(ctx, e.ID, "", f.opActor())
	wantError(t, err, matching.ECONFLICT, "entry_id")

	questions, err := s.AvailabilityQuestions(ctx, c.ID)
	mustNoError(t, err, "questions")
	if len(questions) != 1 || !questions[0].Open || questions[0].VacancyTitle != f.Vacancy.Title || questions[0].EmployerName != "" {
		t.Errorf("questions of a draft vacancy = %+v", questions)
	}

	_, err = s.AnswerAvailability(ctx, q.ID, "maybe", "", js)
	wantError(t, err, matching.EINVALID, "answer")
	answered, err := s.AnswerAvailability(ctx, q.ID, matching.AnswerInterested, "", js)
	mustNoError(t, err, "answer")
	if answered.Answer != matching.AnswerInterested || answered.AnsweredAt == nil {
		t.Errorf("answer = %+v", answered)
	}
	entry, err = s.PipelineEntry(ctx, e.ID)
	mustNoError(t, err, "read")
	if entry.Stage != matching.StageAvailable || entry.AvailabilityConfirmedAt == nil || !entry.AvailabilityConfirmedAt.Equal(*answered.AnsweredAt) {
		t.Errorf("after the answer: %s confirmed %v, want available confirmed at %v", entry.Stage, entry.AvailabilityConfirmedAt, answered.AnsweredAt)
	}
	contacts, err := s.Contacts(ctx, e.ID)
	mustNoError(t, err, "contacts")
	if len(contacts) != 2 || contacts[1].Channel != "portal" || contacts[1].Outcome != "available" || *contacts[1].By != jobseeker.ID {
		t.Errorf("contacts = %+v", contacts)
	}
	if events := auditOf(t, s, f.Request.ID, "availability_answered"); len(events) != 1 || *events[0].UserID != jobseeker.ID ||
		events[0].Role != matching.RoleJobseeker {
		t.Errorf("audit = %+v", events)
	}
	_, err = s.AnswerAvailability(ctx, q.ID, matching.AnswerNotInterested, "", js)
	wantError(t, err, matching.ECONFLICT, "answer")
	if again, _ := s.PipelineEntry(ctx, e.ID); again.Stage != matching.StageAvailable {
		t.Errorf("a refused second answer moved the candidate to %s", again.Stage)
	}

	second, err := s.AskAvailability(ctx, e.ID, "", f.opActor())
	mustNoError(t, err, "ask again")
	_, err = s.AnswerAvailability(ctx, second.ID, matching.AnswerNotInterested, "ho già trovato", js)
	mustNoError(t, err, "decline")
	if declined, _ := s.PipelineEntry(ctx, e.ID); declined.Stage != matching.StageNotAvailable {
		t.Errorf("after declining the candidate is %s", declined.Stage)
	}
	questions, err = s.AvailabilityQuestions(ctx, c.ID)
	mustNoError(t, err, "questions")
	if len(questions) != 2 || questions[0].Open || questions[0].ID != second.ID {
		t.Errorf("answered questions, newest first = %+v", questions)
	}
	_, err = s.AnswerAvailability(ctx, 999999, matching.AnswerInterested, "", js)
	wantError(t, err, matching.ENOTFOUND, "")
}

func TestPipelineRows(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRanked(t, s)
	clock := stillClock(s, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	a := MustCandidate(t, s, matching.PresentNamed)
	b := MustCandidate(t, s, matching.PresentNamed)
	ea := matching.PipelineEntry{RequestID: f.Request.ID, CandidateID: &a.ID, Source: matching.SourceSearch, Score: ptr(1.5)}
	eb := matching.PipelineEntry{RequestID: f.Request.ID, CandidateID: &b.ID, Source: matching.SourceReferral, Score: ptr(2.5)}
	mustNoError(t, s.AddPipelineEntry(ctx, &ea), "a")
	mustNoError(t, s.AddPipelineEntry(ctx, &eb), "b")
	ct := matching.Contact{EntryID: eb.ID, Channel: "phone", Outcome: "available"}
	_, err := s.LogContact(ctx, &ct, f.opActor())
	mustNoError(t, err, "contact")
	mustNoError(t, s.AddNote(ctx, ea.ID, &matching.Note{Body: "da richiamare"}, f.opActor()), "note")
	clock.advance(12 * matching.Day)

	rows, err := s.PipelineRows(ctx, f.Request.ID, "", store.ByStage)
	mustNoError(t, err, "rows")
	if len(rows) != 2 || rows[0].ID != ea.ID || rows[1].ID != eb.ID {
		t.Fatalf("by stage: %+v", rows)
	}
	if rows[0].DisplayName != a.GivenName+" "+a.FamilyName || rows[0].Headline != "Cuoca" || rows[0].NotesCount != 1 ||
		rows[0].LastContactAt != nil || rows[0].AvailabilityState != "none" {
		t.Errorf("found row = %+v", rows[0])
	}
	if rows[1].LastContactOutcome != "available" || rows[1].LastContactChannel != "phone" || !rows[1].AvailabilityFresh ||
		rows[1].AvailabilityState != "expiring" {
		t.Errorf("available row = %+v", rows[1])
	}
	byScore, err := s.PipelineRows(ctx, f.Request.ID, "", store.ByScore)
	mustNoError(t, err, "by score")
	if byScore[0].ID != eb.ID {
		t.Errorf("by score the first is %d, want %d", byScore[0].ID, eb.ID)
	}
	only, err := s.PipelineRows(ctx, f.Request.ID, matching.StageAvailable, "")
	mustNoError(t, err, "one stage")
	if len(only) != 1 || only[0].ID != eb.ID {
		t.Errorf("available only: %+v", only)
	}
	_, err = s.PipelineRows(ctx, f.Request.ID, "lost", "")
	wantError(t, err, matching.EINVALID, "stage")
	_, err = s.PipelineRows(ctx, f.Request.ID, "", "random")
	wantError(t, err, matching.EINVALID, "sort")
	mustExec(t, s, `DELETE FROM candidates WHERE id = $1`, a.ID)
	erased, err := s.PipelineRowOf(ctx, ea.ID)
	mustNoError(t, err, "erased row")
	if erased.DisplayName != ea.Pseudonym || erased.CandidateID != nil {
		t.Errorf("an erased candidate shows as %q", erased.DisplayName)
	}
}
