package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"incontro/matching"
)

func TestCreateShortlistRoundTrips(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c1 := MustCandidate(t, s, matching.PresentNamed)
	c2 := MustCandidate(t, s, matching.PresentBlind)
	e1 := MustEntry(t, s, f.Request.ID, c1.ID, nil)
	e2 := MustEntry(t, s, f.Request.ID, c2.ID, nil)

	v1 := matching.Shortlist{RequestID: f.Request.ID, Note: "prima rosa", CreatedBy: &f.Operator.ID,
		Items: []matching.ShortlistItem{{EntryID: e2.ID, Mode: "blind", Note: "la più esperta"}, {EntryID: e1.ID, Mode: "named"}}}
	mustNoError(t, s.CreateShortlist(ctx, &v1), "create v1")
	v2 := matching.Shortlist{RequestID: f.Request.ID}
	mustNoError(t, s.CreateShortlist(ctx, &v2), "create v2")

	if v1.Version != 1 || v2.Version != 2 {
		t.Errorf("versions %d and %d, want 1 and 2", v1.Version, v2.Version)
	}
	if v1.Status != matching.ShortlistDraft || v1.Items[0].Position != 1 || v1.Items[1].Position != 2 {
		t.Errorf("v1 = %+v, want a draft with positions 1 and 2", v1)
	}
	got, err := s.Shortlist(ctx, v1.ID)
	mustNoError(t, err, "read v1")
	if diff := cmp.Diff(v1, got, jsonEqual); diff != "" {
		t.Errorf("shortlist read back differs (-written +read):\n%s", diff)
	}
	all, err := s.Shortlists(ctx, f.Request.ID)
	mustNoError(t, err, "list")
	if diff := cmp.Diff([]matching.Shortlist{v1, v2}, all, jsonEqual); diff != "" {
		t.Errorf("shortlists differ (-want +got):\n%s", diff)
	}
	_, err = s.Shortlist(ctx, 999999)
	wantError(t, err, matching.ENOTFOUND, "")
}

func TestCreateShortlistRefusals(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	g := MustRequest(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	e := MustEntry(t, s, f.Request.ID, c.ID, nil)
	foreign := MustEntry(t, s, g.Request.ID, c.ID, nil)

	tests := []struct {
		name        string
		sl          matching.Shortlist
		code, field string
	}{
		{"a shortlist without request", matching.Shortlist{}, matching.EINVALID, "request_id"},
		{"a request that does not exist", matching.Shortlist{RequestID: 999999}, matching.EINVALID, "request_id"},
		{"another request's candidate", matching.Shortlist{RequestID: f.Request.ID,
			Items: []matching.ShortlistItem{{EntryID: e.ID, Mode: "named"}, {EntryID: foreign.ID, Mode: "named"}}}, matching.EINVALID, "items[1].entry_id"},
		{"an entry that does not exist", matching.Shortlist{RequestID: f.Request.ID,
			Items: []matching.ShortlistItem{{EntryID: 999999, Mode: "named"}}}, matching.EINVALID, "items[0].entry_id"},
		{"the same candidate twice", matching.Shortlist{RequestID: f.Request.ID,
			Items: []matching.ShortlistItem{{EntryID: e.ID, Mode: "named"}, {EntryID: e.ID, Mode: "blind"}}}, matching.EINVALID, "items[1].entry_id"},
		{"an unknown mode", matching.Shortlist{RequestID: f.Request.ID,
			Items: []matching.ShortlistItem{{EntryID: e.ID, Mode: "anonymous"}}}, matching.EINVALID, "items[0].mode"},
		{"positions out of order", matching.Shortlist{RequestID: f.Request.ID,
			Items: []matching.ShortlistItem{{Position: 2, EntryID: e.ID, Mode: "named"}}}, matching.EINVALID, "items[0].position"},
		{"an author that does not exist", matching.Shortlist{RequestID: f.Request.ID, CreatedBy: ptr(int64(999999))}, matching.EINVALID, "created_by"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.CreateShortlist(ctx, &tt.sl), tt.code, tt.field)
		})
	}
	all, err := s.Shortlists(ctx, f.Request.ID)
	mustNoError(t, err, "list")
	if len(all) != 0 {
		t.Errorf("refused shortlists were written: %+v", all)
	}
	// A refused shortlist does not use up a version.
	sl := MustShortlist(t, s, f.Request.ID, nil, e.ID)
	if sl.Version != 1 {
		t.Errorf("version = %d after refusals, want 1", sl.Version)
	}
}

func TestPresentShortlist(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c1 := MustCandidate(t, s, matching.PresentNamed)
	c2 := MustCandidate(t, s, matching.PresentNamed)
	e1 := MustEntry(t, s, f.Request.ID, c1.ID, nil)
	e2 := MustEntry(t, s, f.Request.ID, c2.ID, nil)
	by := &f.Operator.ID

	v1 := MustShortlist(t, s, f.Request.ID, by, e1.ID)
	snap1 := json.RawMessage(`{"candidates":[{"name":"Giulia Rossi","score":0.9}]}`)
	mustNoError(t, s.PresentShortlist(ctx, v1.ID, snap1, by), "present v1")
	got1, err := s.Shortlist(ctx, v1.ID)
	mustNoError(t, err, "read v1")
	want1 := v1
	want1.Status, want1.Snapshot, want1.PresentedAt, want1.PresentedBy = matching.ShortlistPresented, snap1, got1.PresentedAt, by
	if got1.PresentedAt == nil || !got1.PresentedAt.After(v1.CreatedAt) {
		t.Errorf("presented_at = %v, want a time after creation %v", got1.PresentedAt, v1.CreatedAt)
	}
	if diff := cmp.Diff(want1, got1, jsonEqual); diff != "" {
		t.Errorf("presented shortlist differs (-want +got):\n%s", diff)
	}

	t.Run("presenting twice is a conflict", func(t *testing.T) {
		err := s.PresentShortlist(ctx, v1.ID, json.RawMessage(`{"candidates":[]}`), nil)
		wantError(t, err, matching.ECONFLICT, "status")
		again, err := s.Shortlist(ctx, v1.ID)
		mustNoError(t, err, "read")
		if diff := cmp.Diff(got1, again, jsonEqual); diff != "" {
			t.Errorf("the frozen snapshot changed:\n%s", diff)
		}
	})

	v2 := MustShortlist(t, s, f.Request.ID, by, e2.ID, e1.ID)
	snap2 := json.RawMessage(`{"candidates":[{"name":"Giulia Rossi"},{"name":"Giulia Rossi"}]}`)
	mustNoError(t, s.PresentShortlist(ctx, v2.ID, snap2, by), "present v2")
	all, err := s.Shortlists(ctx, f.Request.ID)
	mustNoError(t, err, "list")
	statuses := []matching.ShortlistStatus{}
	for _, sl := range all {
		statuses = append(statuses, sl.Status)
	}
	if diff := cmp.Diff([]matching.ShortlistStatus{matching.ShortlistSuperseded, matching.ShortlistPresented}, statuses); diff != "" {
		t.Errorf("statuses after presenting v2 (-want +got):\n%s", diff)
	}
	if !cmp.Equal(all[0].Snapshot, snap1, jsonEqual) || !cmp.Equal(all[0].PresentedAt, got1.PresentedAt) {
		t.Errorf("superseding v1 changed what it froze: %+v", all[0])
	}
	t.Run("a superseded version cannot be presented again", func(t *testing.T) {
		wantError(t, s.PresentShortlist(ctx, v1.ID, snap1, by), matching.ECONFLICT, "status")
	})
}

func TestPresentShortlistRefusals(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	named := MustEntry(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
	blind := MustEntry(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentBlind).ID, nil)
	private := MustEntry(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentNone).ID, nil)
	erased := MustCandidate(t, s, matching.PresentNamed)
	erasedEntry := MustEntry(t, s, f.Request.ID, erased.ID, nil)
	mustNoError(t, s.EraseCandidate(ctx, erased.ID), "erase")

	blindAsBlind := matching.Shortlist{RequestID: f.Request.ID, Items: []matching.ShortlistItem{
		{EntryID: named.ID, Mode: "blind"}, {EntryID: blind.ID, Mode: "blind"}}}
	mustNoError(t, s.CreateShortlist(ctx, &blindAsBlind), "create")
	snap := json.RawMessage(`{"candidates":[]}`)
	tests := []struct {
		name        string
		items       []int64
		modes       []string
		snapshot    json.RawMessage
		code, field string
	}{
		{"a snapshot that is not JSON", []int64{named.ID}, []string{"named"}, json.RawMessage(`{"x":`), matching.EINVALID, "snapshot"},
		{"no snapshot", []int64{named.ID}, []string{"named"}, nil, matching.EINVALID, "snapshot"},
		{"an empty shortlist", nil, nil, snap, matching.EINVALID, "items"},
		{"a candidate who did not agree to be presented", []int64{named.ID, private.ID}, []string{"named", "blind"}, snap, matching.EINVALID, "items[1].mode"},
		{"a blind-only candidate presented named", []int64{blind.ID}, []string{"named"}, snap, matching.EINVALID, "items[0].mode"},
		{"an erased candidate", []int64{erasedEntry.ID}, []string{"blind"}, snap, matching.EINVALID, "items[0].mode"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			sl := matching.Shortlist{RequestID: f.Request.ID}
			for i, id := range tt.items {
				sl.Items = append(sl.Items, matching.ShortlistItem{EntryID: id, Mode: tt.modes[i]})
			}
			mustNoError(t, s.CreateShortlist(ctx, &sl), "create")
			wantError(t, s.PresentShortlist(ctx, sl.ID, tt.snapshot, nil), tt.code, tt.field)
			got, err := s.Shortlist(ctx, sl.ID)
			mustNoError(t, err, "read")
			if got.Status != matching.ShortlistDraft || got.Snapshot != nil || got.PresentedAt != nil {
				t.Errorf("a refused presentation changed the shortlist: %+v", got)
			}
		})
	}
	t.Run("an unknown shortlist is not found", func(t *testing.T) {
		wantError(t, s.PresentShortlist(ctx, 999999, snap, nil), matching.ENOTFOUND, "")
	})
	t.Run("a presenter that does not exist is refused", func(t *testing.T) {
		wantError(t, s.PresentShortlist(ctx, blindAsBlind.ID, snap, ptr(int64(999999))), matching.EINVALID, "presented_by")
	})
	t.Run("named and blind-only candidates may be presented blind", func(t *testing.T) {
		mustNoError(t, s.PresentShortlist(ctx, blindAsBlind.ID, snap, nil), "present")
	})
}

func TestFeedbackRoundTrips(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	g := MustRequest(t, s)
	c1 := MustCandidate(t, s, matching.PresentNamed)
	c2 := MustCandidate(t, s, matching.PresentNamed)
	e1 := MustEntry(t, s, f.Request.ID, c1.ID, nil)
	e2 := MustEntry(t, s, f.Request.ID, c2.ID, nil)
	elsewhere := MustEntry(t, s, g.Request.ID, c1.ID, nil)
	sl := MustShortlist(t, s, f.Request.ID, nil, e1.ID, e2.ID)
	employerUser := matching.User{Email: "titolare@ristorante.example.it", Name: "Titolare", Role: matching.RoleEmployer, EmployerID: &f.Employer.ID}
	mustNoError(t, s.CreateUser(ctx, &employerUser), "create employer user")

	fb1 := matching.Feedback{EntryID: e1.ID, ShortlistID: &sl.ID, Decision: matching.DecisionInterviewHeld, Comment: "la vediamo martedì", By: &employerUser.ID}
	fb2 := matching.Feedback{EntryID: e2.ID, ShortlistID: &sl.ID, Decision: matching.DecisionNotSelected, Reason: "language"}
	fb3 := matching.Feedback{EntryID: e1.ID, Decision: matching.DecisionOnHold}
	fbElsewhere := matching.Feedback{EntryID: elsewhere.ID, Decision: matching.DecisionOnHold}
	for _, fb := range []*matching.Feedback{&fb1, &fb2, &fb3, &fbElsewhere} {
		mustNoError(t, s.AddFeedback(ctx, fb), "add feedback")
	}
	forEntry, err := s.FeedbackForEntry(ctx, e1.ID)
	mustNoError(t, err, "for entry")
	if diff := cmp.Diff([]matching.Feedback{fb1, fb3}, forEntry); diff != "" {
		t.Errorf("feedback on the entry differs (-written +read):\n%s", diff)
	}
	forRequest, err := s.FeedbackForRequest(ctx, f.Request.ID)
	mustNoError(t, err, "for request")
	if diff := cmp.Diff([]matching.Feedback{fb1, fb2, fb3}, forRequest); diff != "" {
		t.Errorf("feedback on the request differs (-written +read):\n%s", diff)
	}

	tests := []struct {
		name  string
		fb    matching.Feedback
		field string
	}{
		{"not selected without reason", matching.Feedback{EntryID: e1.ID, Decision: matching.DecisionNotSelected}, "reason"},
		{"a reason without rejection", matching.Feedback{EntryID: e1.ID, Decision: matching.DecisionOnHold, Reason: "salary"}, "reason"},
		{"an unknown decision", matching.Feedback{EntryID: e1.ID, Decision: "maybe"}, "decision"},
		{"an entry that does not exist", matching.Feedback{EntryID: 999999, Decision: matching.DecisionOnHold}, "entry_id"},
		{"a shortlist that does not exist", matching.Feedback{EntryID: e1.ID, ShortlistID: ptr(int64(999999)), Decision: matching.DecisionOnHold}, "shortlist_id"},
		{"a shortlist without the candidate", matching.Feedback{EntryID: elsewhere.ID, ShortlistID: &sl.ID, Decision: matching.DecisionOnHold}, "shortlist_id"},
		{"a user that does not exist", matching.Feedback{EntryID: e1.ID, Decision: matching.DecisionOnHold, By: ptr(int64(999999))}, "by_user"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.AddFeedback(ctx, &tt.fb), matching.EINVALID, tt.field)
		})
	}
	after, err := s.FeedbackForRequest(ctx, f.Request.ID)
	mustNoError(t, err, "for request")
	if len(after) != 3 {
		t.Errorf("refused feedback was written: %d rows", len(after))
	}
}

func TestCompetenceChecksRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	g := MustRequest(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	e := MustEntry(t, s, f.Request.ID, c.ID, nil)

	checks := []matching.CompetenceCheck{
		{EntryID: e.ID, RequirementID: &f.Vacancy.Requirements[1].ID, Competence: "Tedesco B1", Method: "interview",
			Result: "partly_confirmed", Note: "A2 più che B1", By: &f.Operator.ID},
		{EntryID: e.ID, Competence: "HACCP", Method: "document_check", Result: "confirmed"},
	}
	for i := range checks {
		mustNoError(t, s.AddCompetenceCheck(ctx, &checks[i]), "add check")
	}
	got, err := s.CompetenceChecks(ctx, e.ID)
	mustNoError(t, err, "list")
	if diff := cmp.Diff(checks, got); diff != "" {
		t.Errorf("checks differ (-written +read):\n%s", diff)
	}

	tests := []struct {
		name  string
		check matching.CompetenceCheck
		field string
	}{
		{"an unknown method", matching.CompetenceCheck{EntryID: e.ID, Competence: "x", Method: "astrology", Result: "confirmed"}, "method"},
		{"an unknown result", matching.CompetenceCheck{EntryID: e.ID, Competence: "x", Method: "interview", Result: "great"}, "result"},
		{"no competence", matching.CompetenceCheck{EntryID: e.ID, Method: "interview", Result: "confirmed"}, "competence"},
		{"an entry that does not exist", matching.CompetenceCheck{EntryID: 999999, Competence: "x", Method: "interview", Result: "confirmed"}, "entry_id"},
		{"a requirement that does not exist", matching.CompetenceCheck{EntryID: e.ID, RequirementID: ptr(int64(999999)),
			Competence: "x", Method: "interview", Result: "confirmed"}, "requirement_id"},
		{"another vacancy's requirement", matching.CompetenceCheck{EntryID: e.ID, RequirementID: &g.Vacancy.Requirements[0].ID,
			Competence: "x", Method: "interview", Result: "confirmed"}, "requirement_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.AddCompetenceCheck(ctx, &tt.check), matching.EINVALID, tt.field)
		})
	}
	after, err := s.CompetenceChecks(ctx, e.ID)
	mustNoError(t, err, "list")
	if len(after) != 2 {
		t.Errorf("refused checks were written: %d rows", len(after))
	}
}
