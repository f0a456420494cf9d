package store_test

import (
	"context"
	"regexp"
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
	f := MustRequest(t, s)
	c1 := MustCandidate(t, s, matching.PresentNamed)
	c2 := MustCandidate(t, s, matching.PresentNamed)
	run := matching.MatchRun{RequestID: f.Request.ID, Params: []byte(`{}`)}
	mustNoError(t, s.CreateMatchRun(ctx, &run), "create run")

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
	otherRun := matching.MatchRun{RequestID: g.Request.ID, Params: []byte(`{}`)}
	mustNoError(t, s.CreateMatchRun(ctx, &otherRun), "create run")

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

func TestSetStage(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	e := MustEntry(t, s, f.Request.ID, c.ID, &f.Operator.ID)
	by := &f.Operator.ID

	steps := []struct {
		from, to     matching.Stage
		reason, note string
	}{
		{matching.StageFound, matching.StageContacted, "", "telefonata"},
		{matching.StageContacted, matching.StageAvailable, "", ""},
		{matching.StageAvailable, matching.StageRejected, "distance", "troppo lontano"},
		{matching.StageRejected, matching.StageShortlisted, "", "ripescata"},
	}
	want := []matching.StageChange{{To: matching.StageFound, At: e.CreatedAt, By: by}}
	var confirmedAt *time.Time
	for _, st := range steps {
		mustNoError(t, s.SetStage(ctx, e.ID, st.from, st.to, st.reason, st.note, by), "set stage "+string(st.to))
		got, err := s.PipelineEntry(ctx, e.ID)
		mustNoError(t, err, "read")
		if got.Stage != st.to || got.RejectionReason != st.reason {
			t.Errorf("after %s: stage %q reason %q", st.to, got.Stage, got.RejectionReason)
		}
		if st.to == matching.StageAvailable {
			confirmedAt = got.AvailabilityConfirmedAt
			if confirmedAt == nil || !confirmedAt.Equal(got.UpdatedAt) {
				t.Errorf("availability_confirmed_at = %v, want the time of the change %v", confirmedAt, got.UpdatedAt)
			}
		}
		if diff := cmp.Diff(confirmedAt, got.AvailabilityConfirmedAt); diff != "" {
			t.Errorf("after %s availability_confirmed_at changed:\n%s", st.to, diff)
		}
		want = append(want, matching.StageChange{From: ptr(st.from), To: st.to, Reason: st.reason, Note: st.note, At: got.UpdatedAt, By: by})
	}
	history, err := s.StageHistory(ctx, e.ID)
	mustNoError(t, err, "history")
	if diff := cmp.Diff(want, history, ignoreIDs); diff != "" {
		t.Errorf("history differs (-want +got):\n%s", diff)
	}
}

func TestSetStageRefusals(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	e := MustEntry(t, s, f.Request.ID, c.ID, nil)
	tests := []struct {
		name         string
		id           int64
		from, to     matching.Stage
		reason, note string
		by           *int64
		code, field  string
	}{
		{"a stale current stage is a conflict", e.ID, matching.StageContacted, matching.StageAvailable, "", "", nil, matching.ECONFLICT, "stage"},
		{"an unknown entry is not found", 999999, matching.StageFound, matching.StageContacted, "", "", nil, matching.ENOTFOUND, ""},
		{"an unknown stage is invalid", e.ID, matching.StageFound, "lost", "", "", nil, matching.EINVALID, "stage"},
		{"a rejection without reason is invalid", e.ID, matching.StageFound, matching.StageRejected, "", "", nil, matching.EINVALID, "rejection_reason"},
		{"an unknown reason is invalid", e.ID, matching.StageFound, matching.StageRejected, "too_old", "", nil, matching.EINVALID, "rejection_reason"},
		{"a reason without rejection is invalid", e.ID, matching.StageFound, matching.StageContacted, "distance", "", nil, matching.EINVALID, "rejection_reason"},
		{"a user that does not exist is invalid", e.ID, matching.StageFound, matching.StageContacted, "", "", ptr(int64(999999)), matching.EINVALID, "by_user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.SetStage(ctx, tt.id, tt.from, tt.to, tt.reason, tt.note, tt.by)
			wantError(t, err, tt.code, tt.field)
			if tt.code == matching.ECONFLICT {
				wantMessage(t, err, string(matching.StageFound))
			}
		})
	}
	got, err := s.PipelineEntry(ctx, e.ID)
	mustNoError(t, err, "read")
	if diff := cmp.Diff(e, got); diff != "" {
		t.Errorf("refused changes changed the entry:\n%s", diff)
	}
	history, err := s.StageHistory(ctx, e.ID)
	mustNoError(t, err, "history")
	if len(history) != 1 {
		t.Errorf("refused changes wrote history: %+v", history)
	}
}

func TestNotesRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	e := MustEntry(t, s, f.Request.ID, c.ID, nil)
	n1 := matching.Note{Body: "Disponibile da aprile", By: &f.Operator.ID}
	n2 := matching.Note{Body: "Ha la patente B"}
	mustNoError(t, s.AddNote(ctx, e.ID, &n1), "add note")
	mustNoError(t, s.AddNote(ctx, e.ID, &n2), "add note")
	got, err := s.Notes(ctx, e.ID)
	mustNoError(t, err, "notes")
	if diff := cmp.Diff([]matching.Note{n1, n2}, got); diff != "" {
		t.Errorf("notes differ (-written +read):\n%s", diff)
	}

	tests := []struct {
		name    string
		entryID int64
		note    matching.Note
		field   string
	}{
		{"an empty note", e.ID, matching.Note{Body: "  "}, "body"},
		{"a note on an entry that does not exist", 999999, matching.Note{Body: "x"}, "entry_id"},
		{"a note by a user that does not exist", e.ID, matching.Note{Body: "x", By: ptr(int64(999999))}, "by_user"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.AddNote(ctx, tt.entryID, &tt.note), matching.EINVALID, tt.field)
		})
	}
}

func TestContactsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	e := MustEntry(t, s, f.Request.ID, c.ID, nil)
	earlier := time.Date(2025, 3, 9, 17, 45, 1, 999_999_999, time.FixedZone("CET", 3600))
	called := matching.Contact{EntryID: e.ID, Channel: "phone", Outcome: "no_answer", At: earlier, By: &f.Operator.ID}
	mailed := matching.Contact{EntryID: e.ID, Channel: "email", Outcome: "available", Note: "risponde subito"}
	mustNoError(t, s.AddContact(ctx, &called), "add contact")
	mustNoError(t, s.AddContact(ctx, &mailed), "add contact")
	if mailed.At.IsZero() {
		t.Error("a contact without time did not get one")
	}
	got, err := s.Contacts(ctx, e.ID)
	mustNoError(t, err, "contacts")
	if diff := cmp.Diff([]matching.Contact{called, mailed}, got); diff != "" {
		t.Errorf("contacts differ (-written +read):\n%s", diff)
	}

	tests := []struct {
		name    string
		contact matching.Contact
		field   string
	}{
		{"an unknown channel", matching.Contact{EntryID: e.ID, Channel: "pigeon", Outcome: "available"}, "channel"},
		{"an unknown outcome", matching.Contact{EntryID: e.ID, Channel: "sms", Outcome: "maybe"}, "outcome"},
		{"an entry that does not exist", matching.Contact{EntryID: 999999, Channel: "sms", Outcome: "available"}, "entry_id"},
		{"a user that does not exist", matching.Contact{EntryID: e.ID, Channel: "sms", Outcome: "available", By: ptr(int64(999999))}, "by_user"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.AddContact(ctx, &tt.contact), matching.EINVALID, tt.field)
		})
	}
}

func TestAvailabilityRequests(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	e := MustEntry(t, s, f.Request.ID, c.ID, nil)

	first := matching.AvailabilityRequest{EntryID: e.ID, SentBy: &f.Operator.ID}
	mustNoError(t, s.CreateAvailabilityRequest(ctx, &first), "create")
	second := matching.AvailabilityRequest{EntryID: e.ID}
	mustNoError(t, s.CreateAvailabilityRequest(ctx, &second), "create")
	mustNoError(t, s.AnswerAvailabilityRequest(ctx, first.ID, "not_interested", "ho già un lavoro"), "answer")

	got, err := s.AvailabilityRequests(ctx, e.ID)
	mustNoError(t, err, "list")
	if len(got) != 2 || got[0].AnsweredAt == nil {
		t.Fatalf("got %+v", got)
	}
	first.Answer, first.Reason, first.AnsweredAt = "not_interested", "ho già un lavoro", got[0].AnsweredAt
	if !got[0].AnsweredAt.After(second.SentAt) {
		t.Errorf("answered_at %v is not after the last write %v", got[0].AnsweredAt, second.SentAt)
	}
	if diff := cmp.Diff([]matching.AvailabilityRequest{first, second}, got); diff != "" {
		t.Errorf("availability requests differ (-want +got):\n%s", diff)
	}

	t.Run("answering twice is a conflict", func(t *testing.T) {
		wantError(t, s.AnswerAvailabilityRequest(ctx, first.ID, "interested", ""), matching.ECONFLICT, "answer")
		again, err := s.AvailabilityRequests(ctx, e.ID)
		mustNoError(t, err, "list")
		if again[0].Answer != "not_interested" {
			t.Errorf("the second answer replaced the first: %q", again[0].Answer)
		}
	})
	t.Run("an unknown answer is invalid", func(t *testing.T) {
		wantError(t, s.AnswerAvailabilityRequest(ctx, second.ID, "maybe", ""), matching.EINVALID, "answer")
	})
	t.Run("an unknown request is not found", func(t *testing.T) {
		wantError(t, s.AnswerAvailabilityRequest(ctx, 999999, "interested", ""), matching.ENOTFOUND, "")
	})
	t.Run("a request for an entry that does not exist is invalid", func(t *testing.T) {
		wantError(t, s.CreateAvailabilityRequest(ctx, &matching.AvailabilityRequest{EntryID: 999999}), matching.EINVALID, "entry_id")
	})
	t.Run("a request that comes with its answer is invalid", func(t *testing.T) {
		wantError(t, s.CreateAvailabilityRequest(ctx, &matching.AvailabilityRequest{EntryID: e.ID, Answer: "interested"}), matching.EINVALID, "answer")
	})
}

func TestApplicationsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c1 := MustCandidate(t, s, matching.PresentNamed)
	c2 := MustCandidate(t, s, matching.PresentNamed)
	other := MustVacancy(t, s, f.Employer.ID)

	a1 := matching.Application{VacancyID: f.Vacancy.ID, CandidateID: &c1.ID, Message: "Sono interessata"}
	a2 := matching.Application{VacancyID: f.Vacancy.ID, CandidateID: &c2.ID}
	a3 := matching.Application{VacancyID: other.ID, CandidateID: &c1.ID}
	for _, a := range []*matching.Application{&a1, &a2, &a3} {
		mustNoError(t, s.CreateApplication(ctx, a), "create application")
	}
	got, err := s.Application(ctx, a1.ID)
	mustNoError(t, err, "read")
	if diff := cmp.Diff(a1, got); diff != "" {
		t.Errorf("application read back differs (-written +read):\n%s", diff)
	}
	if a1.Status != matching.ApplicationSubmitted {
		t.Errorf("status = %q, want submitted by default", a1.Status)
	}

	mustNoError(t, s.SetApplicationStatus(ctx, a2.ID, matching.ApplicationNotFitting, "manca il tedesco", &f.Operator.ID), "verify")
	verified, err := s.Application(ctx, a2.ID)
	mustNoError(t, err, "read")
	if verified.Status != matching.ApplicationNotFitting || verified.Reason != "manca il tedesco" ||
		verified.VerifiedBy == nil || *verified.VerifiedBy != f.Operator.ID || verified.VerifiedAt == nil {
		t.Errorf("after verification: %+v", verified)
	}
	mustNoError(t, s.SetApplicationStatus(ctx, a2.ID, matching.ApplicationWithdrawn, "", nil), "withdraw")
	withdrawn, err := s.Application(ctx, a2.ID)
	mustNoError(t, err, "read")
	if withdrawn.Status != matching.ApplicationWithdrawn || withdrawn.Reason != "" || !cmp.Equal(withdrawn.VerifiedAt, verified.VerifiedAt) {
		t.Errorf("after withdrawal: %+v", withdrawn)
	}

	ids := func(as []matching.Application) []int64 {
		out := []int64{}
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	filters := []struct {
		name   string
		filter store.ApplicationFilter
		want   []int64
		total  int
	}{
		{"all, newest first", store.ApplicationFilter{}, []int64{a3.ID, a2.ID, a1.ID}, 3},
		{"by vacancy", store.ApplicationFilter{VacancyID: f.Vacancy.ID}, []int64{a2.ID, a1.ID}, 2},
		{"by candidate", store.ApplicationFilter{CandidateID: c1.ID}, []int64{a3.ID, a1.ID}, 2},
		{"by status", store.ApplicationFilter{Status: matching.ApplicationWithdrawn}, []int64{a2.ID}, 1},
		{"a page keeps the total", store.ApplicationFilter{Limit: 2}, []int64{a3.ID, a2.ID}, 3},
	}
	for _, tt := range filters {
		t.Run("listing "+tt.name, func(t *testing.T) {
			got, total, err := s.Applications(ctx, tt.filter)
			mustNoError(t, err, "list")
			if diff := cmp.Diff(tt.want, ids(got)); diff != "" || total != tt.total {
				t.Errorf("ids (-want +got):\n%s\ntotal %d, want %d", diff, total, tt.total)
			}
		})
	}
}

func TestApplicationRefusals(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	first := matching.Application{VacancyID: f.Vacancy.ID, CandidateID: &c.ID}
	mustNoError(t, s.CreateApplication(ctx, &first), "create")
	fresh := MustCandidate(t, s, matching.PresentNamed)

	tests := []struct {
		name        string
		app         matching.Application
		code, field string
	}{
		{"a second application to the same vacancy", matching.Application{VacancyID: f.Vacancy.ID, CandidateID: &c.ID}, matching.ECONFLICT, "candidate_id"},
		{"an application without candidate", matching.Application{VacancyID: f.Vacancy.ID}, matching.EINVALID, "candidate_id"},
		{"a candidate that does not exist", matching.Application{VacancyID: f.Vacancy.ID, CandidateID: ptr(int64(999999))}, matching.EINVALID, "candidate_id"},
		{"a vacancy that does not exist", matching.Application{VacancyID: 999999, CandidateID: &fresh.ID}, matching.EINVALID, "vacancy_id"},
		{"an unknown status", matching.Application{VacancyID: f.Vacancy.ID, CandidateID: &fresh.ID, Status: "lost"}, matching.EINVALID, "status"},
		// Validate accepts a blank reason; the table's CHECK does not.
		{"not fitting with a blank reason", matching.Application{VacancyID: f.Vacancy.ID, CandidateID: &fresh.ID,
			Status: matching.ApplicationNotFitting, Reason: "   "}, matching.EINVALID, "reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.CreateApplication(ctx, &tt.app), tt.code, tt.field)
		})
	}

	statuses := []struct {
		name        string
		id          int64
		status      matching.ApplicationStatus
		reason      string
		by          *int64
		code, field string
	}{
		{"not fitting without reason", first.ID, matching.ApplicationNotFitting, "", nil, matching.EINVALID, "reason"},
		{"not fitting with a blank reason", first.ID, matching.ApplicationNotFitting, " ", nil, matching.EINVALID, "reason"},
		{"an unknown status", first.ID, "lost", "", nil, matching.EINVALID, "status"},
		{"an unknown application", 999999, matching.ApplicationVerified, "", nil, matching.ENOTFOUND, ""},
		{"a verifier that does not exist", first.ID, matching.ApplicationVerified, "", ptr(int64(999999)), matching.EINVALID, "verified_by"},
	}
	for _, tt := range statuses {
		t.Run("setting "+tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.SetApplicationStatus(ctx, tt.id, tt.status, tt.reason, tt.by), tt.code, tt.field)
		})
	}
	got, err := s.Application(ctx, first.ID)
	mustNoError(t, err, "read")
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("refused changes changed the application:\n%s", diff)
	}
}
