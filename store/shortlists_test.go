package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"incontro/matching"
	"incontro/store"
)

// operator is the fixture's operator as a workflow actor.
func (f requestFixture) operator() store.Actor {
	return store.Actor{UserID: f.Operator.ID, Role: matching.RoleOperator}
}

// toContacting are the states a request passes through from intake to
// contacting, where a shortlist may first be presented.
var toContacting = []matching.RequestStatus{matching.StatusRequirementsRanked, matching.StatusSearching, matching.StatusContacting}

// mustStatus moves the fixture's request through the states, as its operator.
func mustStatus(tb testing.TB, s *store.DB, f requestFixture, to ...matching.RequestStatus) matching.Request {
	tb.Helper()
	var r matching.Request
	for _, st := range to {
		var err error
		if r, err = s.TransitionRequest(context.Background(), f.Request.ID, matching.TransitionInput{To: st}, f.operator()); err != nil {
			tb.Fatalf("move request to %s: %v", st, err)
		}
	}
	return r
}

// mustAvailable adds the candidate to the request's pipeline, available
// with a confirmation at confirmed (nil: now).
func mustAvailable(tb testing.TB, s *store.DB, requestID, candidateID int64, confirmed *time.Time) matching.PipelineEntry {
	tb.Helper()
	e := matching.PipelineEntry{RequestID: requestID, CandidateID: &candidateID, Source: matching.SourceSearch,
		Stage: matching.StageAvailable, AvailabilityConfirmedAt: confirmed}
	if err := s.AddPipelineEntry(context.Background(), &e); err != nil {
		tb.Fatalf("add available entry: %v", err)
	}
	return e
}

// mustPresent creates a shortlist of the entries, named, and presents it.
func mustPresent(tb testing.TB, s *store.DB, f requestFixture, entryIDs ...int64) matching.Shortlist {
	tb.Helper()
	sl := MustShortlist(tb, s, f.Request.ID, f.operator(), entryIDs...)
	got, err := s.PresentShortlist(context.Background(), sl.ID, f.operator(), time.Time{})
	if err != nil {
		tb.Fatalf("present: %v", err)
	}
	return got
}

// stagesOf returns the current stages of the entries.
func stagesOf(tb testing.TB, s *store.DB, ids ...int64) []matching.Stage {
	tb.Helper()
	out := []matching.Stage{}
	for _, id := range ids {
		e, err := s.PipelineEntry(context.Background(), id)
		mustNoError(tb, err, "read entry")
		out = append(out, e.Stage)
	}
	return out
}

// slAudit returns a request's audit events with the action, oldest first.
func slAudit(tb testing.TB, s *store.DB, requestID int64, action string) []matching.AuditEvent {
	tb.Helper()
	evs, _, err := s.AuditLog(context.Background(), store.AuditFilter{RequestID: requestID, Action: action, Limit: 500})
	mustNoError(tb, err, "audit log")
	slices.Reverse(evs)
	return evs
}

func TestCreateShortlistDraft(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	avail := mustAvailable(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
	found := MustEntry(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentBlind).ID, nil)

	v1 := matching.Shortlist{RequestID: f.Request.ID, Note: "prima rosa", Items: []matching.ShortlistItem{
		{EntryID: avail.ID, Mode: "named", Note: " la più esperta "}, {EntryID: found.ID, Mode: "blind"}}}
	mustNoError(t, s.CreateShortlist(ctx, &v1, f.operator()), "create v1")
	if v1.Version != 1 || v1.Status != matching.ShortlistDraft || v1.CreatedBy == nil || *v1.CreatedBy != f.Operator.ID ||
		v1.Items[0].Position != 1 || v1.Items[1].Position != 2 || v1.Items[0].Note != "la più esperta" {
		t.Errorf("v1 = %+v, want draft version 1 by the operator with positions 1 and 2 and trimmed notes", v1)
	}
	got, err := s.Shortlist(ctx, v1.ID)
	mustNoError(t, err, "read v1")
	if diff := cmp.Diff(v1, got, jsonEqual); diff != "" {
		t.Errorf("shortlist read back differs (-written +read):\n%s", diff)
	}
	if diff := cmp.Diff([]matching.Stage{matching.StageShortlisted, matching.StageFound}, stagesOf(t, s, avail.ID, found.ID)); diff != "" {
		t.Errorf("an available candidate is shortlisted, others keep their stage (-want +got):\n%s", diff)
	}
	h, err := s.StageHistory(ctx, avail.ID)
	mustNoError(t, err, "history")
	last := h[len(h)-1]
	if last.From == nil || *last.From != matching.StageAvailable || last.To != matching.StageShortlisted ||
		last.Note != "shortlist version 1" || last.By == nil || *last.By != f.Operator.ID {
		t.Errorf("stage history ends with %+v", last)
	}
	if evs := slAudit(t, s, f.Request.ID, "shortlist_draft"); len(evs) != 1 || *evs[0].ObjectID != v1.ID || *evs[0].UserID != f.Operator.ID {
		t.Errorf("audit of the draft = %+v", evs)
	}

	t.Run("a second draft is a conflict", func(t *testing.T) {
		err := s.CreateShortlist(ctx, &matching.Shortlist{RequestID: f.Request.ID}, f.operator())
		wantError(t, err, matching.ECONFLICT, "status")
		wantMessage(t, err, "version 1")
	})
	all, err := s.Shortlists(ctx, f.Request.ID, false)
	mustNoError(t, err, "list")
	if diff := cmp.Diff([]matching.Shortlist{v1}, all, jsonEqual); diff != "" {
		t.Errorf("shortlists differ (-want +got):\n%s", diff)
	}
	presented, err := s.Shortlists(ctx, f.Request.ID, true)
	mustNoError(t, err, "list presented")
	if len(presented) != 0 {
		t.Errorf("a draft is listed as presented: %+v", presented)
	}
	_, err = s.Shortlist(ctx, 999999)
	wantError(t, err, matching.ENOTFOUND, "")
	_, err = s.LatestPresentedShortlist(ctx, f.Request.ID)
	wantError(t, err, matching.ENOTFOUND, "")
}

func TestCreateShortlistRefusals(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	g := MustRequest(t, s)
	closed := MustRequest(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	e := mustAvailable(t, s, f.Request.ID, c.ID, nil)
	foreign := MustEntry(t, s, g.Request.ID, c.ID, nil)
	cancelled := matching.OutcomeCancelled
	_, err := s.TransitionRequest(ctx, closed.Request.ID, matching.TransitionInput{To: matching.StatusClosed, Outcome: &cancelled,
		CloseReason: matching.CloseDuplicate}, closed.operator())
	mustNoError(t, err, "close")

	tests := []struct {
		name        string
		sl          matching.Shortlist
		a           store.Actor
		code, field string
	}{
		{"a shortlist without request", matching.Shortlist{}, f.operator(), matching.EINVALID, "request_id"},
		{"a request that does not exist", matching.Shortlist{RequestID: 999999}, f.operator(), matching.ENOTFOUND, ""},
		{"a closed request", matching.Shortlist{RequestID: closed.Request.ID}, closed.operator(), matching.ECONFLICT, "status"},
		{"another request's candidate", matching.Shortlist{RequestID: f.Request.ID,
			Items: []matching.ShortlistItem{{EntryID: e.ID, Mode: "named"}, {EntryID: foreign.ID, Mode: "named"}}}, f.operator(), matching.EINVALID, "items[1].entry_id"},
		{"an entry that does not exist", matching.Shortlist{RequestID: f.Request.ID,
			Items: []matching.ShortlistItem{{EntryID: 999999, Mode: "named"}}}, f.operator(), matching.EINVALID, "items[0].entry_id"},
		{"the same candidate twice", matching.Shortlist{RequestID: f.Request.ID,
			Items: []matching.ShortlistItem{{EntryID: e.ID, Mode: "named"}, {EntryID: e.ID, Mode: "blind"}}}, f.operator(), matching.EINVALID, "items[1].entry_id"},
		{"an unknown mode", matching.Shortlist{RequestID: f.Request.ID,
			Items: []matching.ShortlistItem{{EntryID: e.ID, Mode: "anonymous"}}}, f.operator(), matching.EINVALID, "items[0].mode"},
		{"positions out of order", matching.Shortlist{RequestID: f.Request.ID,
			Items: []matching.ShortlistItem{{Position: 2, EntryID: e.ID, Mode: "named"}}}, f.operator(), matching.EINVALID, "items[0].position"},
		{"an override note of 2001 characters", matching.Shortlist{RequestID: f.Request.ID,
			Items: []matching.ShortlistItem{{EntryID: e.ID, Mode: "named", OverrideNote: strings.Repeat("x", 2001)}}}, f.operator(), matching.EINVALID, "items[0].override_note"},
		{"an author that does not exist", matching.Shortlist{RequestID: f.Request.ID,
			Items: []matching.ShortlistItem{{EntryID: e.ID, Mode: "named"}}}, store.Actor{UserID: 999999, Role: matching.RoleOperator}, matching.EINVALID, "created_by"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.CreateShortlist(ctx, &tt.sl, tt.a), tt.code, tt.field)
		})
	}
	for _, r := range []int64{f.Request.ID, closed.Request.ID} {
		all, err := s.Shortlists(ctx, r, false)
		mustNoError(t, err, "list")
		if len(all) != 0 {
			t.Errorf("refused shortlists were written: %+v", all)
		}
	}
	if got := stagesOf(t, s, e.ID); got[0] != matching.StageAvailable {
		t.Errorf("a refused draft moved its candidate to %s", got[0])
	}
	// A refused shortlist does not use up a version.
	sl := MustShortlist(t, s, f.Request.ID, f.operator(), e.ID)
	if sl.Version != 1 {
		t.Errorf("version = %d after refusals, want 1", sl.Version)
	}
}

func TestUpdateShortlist(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	g := MustRequest(t, s)
	e1 := mustAvailable(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
	e2 := mustAvailable(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
	e3 := mustAvailable(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentBlind).ID, nil)
	foreign := MustEntry(t, s, g.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
	mustStatus(t, s, f, toContacting...)
	draft := MustShortlist(t, s, f.Request.ID, f.operator(), e1.ID, e2.ID)
	h1, err := s.StageHistory(ctx, e1.ID)
	mustNoError(t, err, "history")

	upd := matching.Shortlist{ID: draft.ID, Note: "seconda bozza", Items: []matching.ShortlistItem{
		{EntryID: e3.ID, Mode: "blind", Note: "disponibile subito"}, {EntryID: e1.ID, Mode: "named"}}}
	mustNoError(t, s.UpdateShortlist(ctx, &upd, f.operator()), "update")
	got, err := s.Shortlist(ctx, draft.ID)
	mustNoError(t, err, "read")
	want := draft
	want.Note, want.Items = "seconda bozza", []matching.ShortlistItem{
		{Position: 1, EntryID: e3.ID, Mode: "blind", Note: "disponibile subito"}, {Position: 2, EntryID: e1.ID, Mode: "named"}}
	if diff := cmp.Diff(want, got, jsonEqual); diff != "" {
		t.Errorf("updated draft differs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, upd, jsonEqual); diff != "" {
		t.Errorf("the update's answer differs from the store (-want +got):\n%s", diff)
	}
	wantStages := []matching.Stage{matching.StageShortlisted, matching.StageAvailable, matching.StageShortlisted}
	if diff := cmp.Diff(wantStages, stagesOf(t, s, e1.ID, e2.ID, e3.ID)); diff != "" {
		t.Errorf("stages after the update (-want +got):\n%s", diff)
	}
	back, err := s.PipelineEntry(ctx, e2.ID)
	mustNoError(t, err, "read e2")
	if !cmp.Equal(back.AvailabilityConfirmedAt, e2.AvailabilityConfirmedAt) {
		t.Errorf("going back to available confirmed the availability again: %v, was %v", back.AvailabilityConfirmedAt, e2.AvailabilityConfirmedAt)
	}
	if h, _ := s.StageHistory(ctx, e1.ID); len(h) != len(h1) {
		t.Errorf("a candidate kept in the draft got %d new stage changes", len(h)-len(h1))
	}
	if evs := slAudit(t, s, f.Request.ID, "shortlist_draft_updated"); len(evs) != 1 {
		t.Errorf("%d audit events for the update, want 1", len(evs))
	}

	t.Run("another request's candidate is refused and changes nothing", func(t *testing.T) {
		bad := matching.Shortlist{ID: draft.ID, Items: []matching.ShortlistItem{{EntryID: foreign.ID, Mode: "named"}}}
		wantError(t, s.UpdateShortlist(ctx, &bad, f.operator()), matching.EINVALID, "items[0].entry_id")
		again, err := s.Shortlist(ctx, draft.ID)
		mustNoError(t, err, "read")
		if diff := cmp.Diff(got, again, jsonEqual); diff != "" {
			t.Errorf("a refused update changed the draft:\n%s", diff)
		}
		if diff := cmp.Diff(wantStages, stagesOf(t, s, e1.ID, e2.ID, e3.ID)); diff != "" {
			t.Errorf("a refused update moved candidates (-want +got):\n%s", diff)
		}
	})
	t.Run("an unknown shortlist is not found", func(t *testing.T) {
		wantError(t, s.UpdateShortlist(ctx, &matching.Shortlist{ID: 999999}, f.operator()), matching.ENOTFOUND, "")
	})
	t.Run("a presented version does not change", func(t *testing.T) {
		_, err := s.PresentShortlist(ctx, draft.ID, f.operator(), time.Time{})
		mustNoError(t, err, "present")
		err = s.UpdateShortlist(ctx, &matching.Shortlist{ID: draft.ID, Note: "ritocco"}, f.operator())
		wantError(t, err, matching.ECONFLICT, "status")
	})
}

func TestPresentShortlist(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	a := f.operator()
	c1 := fullCandidate("presentata@example.org")
	c1.Presentation = matching.PresentNamed
	mustNoError(t, s.CreateCandidate(ctx, &c1), "create candidate")
	birth := time.Date(1988, 2, 3, 0, 0, 0, 0, time.UTC)
	mustNoError(t, s.SetProtected(ctx, &matching.Protected{CandidateID: c1.ID, BirthDate: &birth, Sex: "F", Citizenship: "AL",
		Disability: true, L68Category: "art1"}), "protected")
	c2 := MustCandidate(t, s, matching.PresentBlind)
	mustStatus(t, s, f, matching.StatusRequirementsRanked)
	run := matching.MatchRun{RequestID: f.Request.ID, Params: json.RawMessage(`{}`), Recalled: 1, Results: []matching.MatchResult{
		{Position: 1, CandidateID: &c1.ID, Score: 1.2, Explanation: json.RawMessage(`{"text_relevance": 0.5}`)}}}
	mustNoError(t, s.CreateMatchRun(ctx, &run, f.operator()), "match run") // moves the request to searching
	e1 := matching.PipelineEntry{RequestID: f.Request.ID, CandidateID: &c1.ID, Source: matching.SourceSearch,
		Stage: matching.StageAvailable, MatchRunID: &run.ID}
	mustNoError(t, s.AddPipelineEntry(ctx, &e1), "entry 1")
	e2 := mustAvailable(t, s, f.Request.ID, c2.ID, nil)
	mustStatus(t, s, f, matching.StatusContacting)

	v1 := matching.Shortlist{RequestID: f.Request.ID, Note: "rosa per la stagione", Items: []matching.ShortlistItem{
		{EntryID: e1.ID, Mode: "named", Note: "molto esperta"}, {EntryID: e2.ID, Mode: "blind"}}}
	mustNoError(t, s.CreateShortlist(ctx, &v1, a), "create v1")
	asOf := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	got1, err := s.PresentShortlist(ctx, v1.ID, a, asOf)
	mustNoError(t, err, "present v1")
	if got1.Status != matching.ShortlistPresented || got1.PresentedAt == nil || got1.PresentedBy == nil || *got1.PresentedBy != f.Operator.ID {
		t.Fatalf("presented v1 = %+v", got1)
	}

	t.Run("the request moves to shortlist_presented with its history", func(t *testing.T) {
		r, err := s.Request(ctx, f.Request.ID)
		mustNoError(t, err, "read")
		h, err := s.RequestHistory(ctx, f.Request.ID)
		mustNoError(t, err, "history")
		last := h[len(h)-1]
		if r.Status != matching.StatusShortlistPresented || last.From == nil || *last.From != matching.StatusContacting ||
			last.To != matching.StatusShortlistPresented || last.Note != "shortlist version 1" {
			t.Errorf("request %s, last change %+v", r.Status, last)
		}
	})
	t.Run("the candidates move to presented", func(t *testing.T) {
		if diff := cmp.Diff([]matching.Stage{matching.StagePresented, matching.StagePresented}, stagesOf(t, s, e1.ID, e2.ID)); diff != "" {
			t.Errorf("stages (-want +got):\n%s", diff)
		}
		h, err := s.StageHistory(ctx, e1.ID)
		mustNoError(t, err, "history")
		var path []matching.Stage
		for _, c := range h {
			path = append(path, c.To)
		}
		if diff := cmp.Diff([]matching.Stage{matching.StageAvailable, matching.StageShortlisted, matching.StagePresented}, path); diff != "" {
			t.Errorf("stage path (-want +got):\n%s", diff)
		}
	})
	t.Run("the snapshot holds each candidate's explanation at presentation", func(t *testing.T) {
		var snap matching.ShortlistSnapshot
		mustNoError(t, json.Unmarshal(got1.Snapshot, &snap), "decode snapshot")
		vac, err := s.Vacancy(ctx, f.Vacancy.ID)
		mustNoError(t, err, "vacancy")
		profiles, err := s.CandidateProfiles(ctx, []int64{c1.ID, c2.ID})
		mustNoError(t, err, "profiles")
		params := matching.DefaultScoreParams(asOf)
		sc, err := matching.NewScorer(&vac, params)
		mustNoError(t, err, "scorer")
		ex1, ex2 := sc.Explain(&profiles[0], 0.5), sc.Explain(&profiles[1], 0)
		want := matching.ShortlistSnapshot{RequestID: f.Request.ID, Version: 1, PresentedAt: *got1.PresentedAt, Note: "rosa per la stagione",
			Vacancy: matching.SnapshotVacancy{ID: vac.ID, Title: vac.Title}, Score: params, Weights: sc.Weights(),
			Candidates: []matching.SnapshotCandidate{
				{Position: 1, EntryID: e1.ID, Pseudonym: e1.Pseudonym, Mode: "named", Note: "molto esperta",
					AvailabilityConfirmedAt: e1.AvailabilityConfirmedAt, Score: ex1.Score, Fit: ex1.Fit, Explanation: ex1},
				{Position: 2, EntryID: e2.ID, Pseudonym: e2.Pseudonym, Mode: "blind",
					AvailabilityConfirmedAt: e2.AvailabilityConfirmedAt, Score: ex2.Score, Fit: ex2.Fit, Explanation: ex2},
			}}
		if diff := cmp.Diff(want, snap, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("snapshot differs (-want +got):\n%s", diff)
		}
		if ex1.TextRelevance != 0.5 || len(ex1.Requirements) != 2 {
			t.Errorf("the explanation did not take the match run's relevance or the requirements: %+v", ex1)
		}
		raw := string(got1.Snapshot)
		for _, banned := range []string{c1.GivenName, c1.FamilyName, c1.Email, c1.Phone, c2.FamilyName, c2.Email,
			`"birth_date"`, `"sex"`, `"citizenship"`, `"disability"`, `"l68_category"`} {
			if strings.Contains(raw, banned) {
				t.Errorf("the snapshot contains %q", banned)
			}
		}
	})
	t.Run("the presentation is audited, for the request and for each candidate", func(t *testing.T) {
		evs := slAudit(t, s, f.Request.ID, "shortlist_presented")
		if len(evs) != 1 || *evs[0].ObjectID != v1.ID || *evs[0].UserID != f.Operator.ID || evs[0].Role != matching.RoleOperator {
			t.Fatalf("presentation events = %+v", evs)
		}
		for _, c := range []int64{c1.ID, c2.ID} {
			got, err := s.AuditForCandidate(ctx, c, 10)
			mustNoError(t, err, "audit for candidate")
			if len(got) == 0 || got[0].Action != "candidate_presented" || *got[0].RequestID != f.Request.ID {
				t.Errorf("candidate %d's audit = %+v", c, got)
			}
		}
	})

	// The CV changes after the presentation: the snapshot does not.
	c1.Languages, c1.Headline = nil, "Cambio vita"
	mustNoError(t, s.UpdateCandidate(ctx, &c1), "update CV")
	e3 := mustAvailable(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
	h2, err := s.StageHistory(ctx, e2.ID)
	mustNoError(t, err, "history")
	v2 := MustShortlist(t, s, f.Request.ID, a, e2.ID, e3.ID, e1.ID)
	v2.Items[0].Mode = "blind"
	mustNoError(t, s.UpdateShortlist(ctx, &v2, a), "blind in v2")
	got2, err := s.PresentShortlist(ctx, v2.ID, a, asOf)
	mustNoError(t, err, "present v2")

	t.Run("v2 supersedes v1, which keeps its snapshot", func(t *testing.T) {
		all, err := s.Shortlists(ctx, f.Request.ID, true)
		mustNoError(t, err, "list")
		if len(all) != 2 || all[0].Status != matching.ShortlistSuperseded || all[1].Status != matching.ShortlistPresented {
			t.Fatalf("shortlists = %+v", all)
		}
		if !cmp.Equal(all[0].Snapshot, got1.Snapshot, jsonEqual) || !cmp.Equal(all[0].PresentedAt, got1.PresentedAt) {
			t.Errorf("superseding v1 changed what it froze")
		}
		var snap2 matching.ShortlistSnapshot
		mustNoError(t, json.Unmarshal(got2.Snapshot, &snap2), "decode v2")
		if len(snap2.Candidates) != 3 || snap2.Candidates[2].EntryID != e1.ID || snap2.Candidates[2].Explanation.Fit >= firstFit(t, got1.Snapshot) {
			t.Errorf("v2 does not score the changed CV anew: %+v", snap2.Candidates)
		}
		latest, err := s.LatestPresentedShortlist(ctx, f.Request.ID)
		mustNoError(t, err, "latest")
		if latest.ID != v2.ID {
			t.Errorf("latest presented = %d, want v2 %d", latest.ID, v2.ID)
		}
		evs := slAudit(t, s, f.Request.ID, "shortlist_presented")
		var d map[string]any
		mustNoError(t, json.Unmarshal(evs[len(evs)-1].Detail, &d), "detail")
		if d["superseded_version"] != float64(1) {
			t.Errorf("v2's audit detail = %v, want superseded_version 1", d)
		}
	})
	t.Run("candidates already presented keep their stage", func(t *testing.T) {
		if h, _ := s.StageHistory(ctx, e2.ID); len(h) != len(h2) {
			t.Errorf("presenting again moved a presented candidate: %+v", h)
		}
		if got := stagesOf(t, s, e3.ID); got[0] != matching.StagePresented {
			t.Errorf("the new candidate is %s", got[0])
		}
	})
	t.Run("a presented or superseded version cannot be presented again", func(t *testing.T) {
		for _, id := range []int64{v1.ID, v2.ID} {
			_, err := s.PresentShortlist(ctx, id, a, asOf)
			wantError(t, err, matching.ECONFLICT, "status")
		}
	})
	t.Run("an unknown shortlist is not found", func(t *testing.T) {
		_, err := s.PresentShortlist(ctx, 999999, a, asOf)
		wantError(t, err, matching.ENOTFOUND, "")
	})
}

// firstFit returns the fit of the first candidate of a snapshot.
func firstFit(tb testing.TB, raw json.RawMessage) float64 {
	tb.Helper()
	var snap matching.ShortlistSnapshot
	mustNoError(tb, json.Unmarshal(raw, &snap), "decode")
	return snap.Candidates[0].Explanation.Fit
}

func TestPresentShortlistRefusals(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	stale := clockStart.Add(-20 * matching.Day)
	type built struct {
		items []matching.ShortlistItem
		to    []matching.RequestStatus
	}
	avail := func(f requestFixture, p matching.Presentation, confirmed *time.Time) int64 {
		return mustAvailable(t, s, f.Request.ID, MustCandidate(t, s, p).ID, confirmed).ID
	}
	tests := []struct {
		name        string
		build       func(f requestFixture) built
		code, field string
	}{
		{"a candidate who did not agree to be presented", func(f requestFixture) built {
			return built{items: []matching.ShortlistItem{{EntryID: avail(f, matching.PresentNamed, nil), Mode: "named"},
				{EntryID: avail(f, matching.PresentNone, nil), Mode: "blind"}}}
		}, matching.EINVALID, "items[1].mode"},
		{"a blind-only candidate presented named", func(f requestFixture) built {
			return built{items: []matching.ShortlistItem{{EntryID: avail(f, matching.PresentBlind, nil), Mode: "named"}}}
		}, matching.EINVALID, "items[0].mode"},
		{"an erased candidate", func(f requestFixture) built {
			c := MustCandidate(t, s, matching.PresentNamed)
			e := mustAvailable(t, s, f.Request.ID, c.ID, nil)
			mustNoError(t, s.EraseCandidate(ctx, c.ID), "erase")
			return built{items: []matching.ShortlistItem{{EntryID: e.ID, Mode: "blind"}}}
		}, matching.EINVALID, "items[0].mode"},
		{"a stale confirmation without an override note", func(f requestFixture) built {
			return built{items: []matching.ShortlistItem{{EntryID: avail(f, matching.PresentNamed, nil), Mode: "named"},
				{EntryID: avail(f, matching.PresentNamed, &stale), Mode: "named"}}}
		}, matching.ECONFLICT, "items[1].override_note"},
		{"only stale confirmations, even with override notes", func(f requestFixture) built {
			return built{items: []matching.ShortlistItem{{EntryID: avail(f, matching.PresentNamed, &stale), Mode: "named",
				OverrideNote: "l'ho sentita a voce"}}}
		}, matching.ECONFLICT, "items"},
		{"an empty shortlist", func(f requestFixture) built {
			avail(f, matching.PresentNamed, nil) // contacting needs a candidate in the pipeline
			return built{}
		}, matching.EINVALID, "items"},
		{"a candidate not yet contacted", func(f requestFixture) built {
			return built{items: []matching.ShortlistItem{{EntryID: MustEntry(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil).ID, Mode: "named"}}}
		}, matching.ECONFLICT, "items[0].entry_id"},
		{"a request still searching", func(f requestFixture) built {
			return built{items: []matching.ShortlistItem{{EntryID: avail(f, matching.PresentNamed, nil), Mode: "named"}},
				to: toContacting[:2]}
		}, matching.ECONFLICT, "status"},
		{"a request in intake", func(f requestFixture) built {
			return built{items: []matching.ShortlistItem{{EntryID: avail(f, matching.PresentNamed, nil), Mode: "named"}}, to: []matching.RequestStatus{}}
		}, matching.ECONFLICT, "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			f := MustRequest(t, s)
			b := tt.build(f)
			if b.to == nil {
				b.to = toContacting
			}
			mustStatus(t, s, f, b.to...)
			before, err := s.Request(ctx, f.Request.ID)
			mustNoError(t, err, "read request")
			sl := matching.Shortlist{RequestID: f.Request.ID, Items: b.items}
			mustNoError(t, s.CreateShortlist(ctx, &sl, f.operator()), "create")
			entries, err := s.PipelineEntries(ctx, f.Request.ID)
			mustNoError(t, err, "entries")

			_, err = s.PresentShortlist(ctx, sl.ID, f.operator(), time.Time{})
			wantError(t, err, tt.code, tt.field)

			got, err := s.Shortlist(ctx, sl.ID)
			mustNoError(t, err, "read")
			if got.Status != matching.ShortlistDraft || got.Snapshot != nil || got.PresentedAt != nil {
				t.Errorf("a refused presentation changed the shortlist: %+v", got)
			}
			after, err := s.Request(ctx, f.Request.ID)
			mustNoError(t, err, "read request")
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("a refused presentation changed the request:\n%s", diff)
			}
			now, err := s.PipelineEntries(ctx, f.Request.ID)
			mustNoError(t, err, "entries")
			if diff := cmp.Diff(entries, now); diff != "" {
				t.Errorf("a refused presentation moved candidates:\n%s", diff)
			}
			if evs := slAudit(t, s, f.Request.ID, "shortlist_presented"); len(evs) != 0 {
				t.Errorf("a refused presentation was audited: %+v", evs)
			}
		})
	}

	t.Run("a stale confirmation with an override note beside a current one is presented", func(t *testing.T) {
		f := MustRequest(t, s)
		fresh, old := avail(f, matching.PresentNamed, nil), avail(f, matching.PresentBlind, &stale)
		mustStatus(t, s, f, toContacting...)
		sl := matching.Shortlist{RequestID: f.Request.ID, Items: []matching.ShortlistItem{{EntryID: fresh, Mode: "named"},
			{EntryID: old, Mode: "blind", OverrideNote: "confermata a voce ieri"}}}
		mustNoError(t, s.CreateShortlist(ctx, &sl, f.operator()), "create")
		got, err := s.PresentShortlist(ctx, sl.ID, f.operator(), time.Time{})
		mustNoError(t, err, "present")
		var snap matching.ShortlistSnapshot
		mustNoError(t, json.Unmarshal(got.Snapshot, &snap), "decode")
		if snap.Candidates[1].OverrideNote != "confermata a voce ieri" || snap.Candidates[0].OverrideNote != "" {
			t.Errorf("override notes in the snapshot: %+v", snap.Candidates)
		}
		evs := slAudit(t, s, f.Request.ID, "shortlist_presented")
		var d struct {
			Overrides []int `json:"overrides"`
		}
		mustNoError(t, json.Unmarshal(evs[0].Detail, &d), "detail")
		if !slices.Equal(d.Overrides, []int{2}) {
			t.Errorf("audited overrides = %v, want position 2", d.Overrides)
		}
	})
	t.Run("only an operator presents", func(t *testing.T) {
		f := MustRequest(t, s)
		e := avail(f, matching.PresentNamed, nil)
		mustStatus(t, s, f, toContacting...)
		sl := MustShortlist(t, s, f.Request.ID, f.operator(), e)
		_, err := s.PresentShortlist(ctx, sl.ID, store.Actor{Role: matching.RoleEmployer}, time.Time{})
		wantError(t, err, matching.EFORBIDDEN, "")
	})
}

func TestFeedback(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	g := MustRequest(t, s)
	a := f.operator()
	boss := matching.User{Email: "titolare@ristorante.example.it", Name: "Titolare", Role: matching.RoleEmployer, EmployerID: &f.Employer.ID}
	mustNoError(t, s.CreateUser(ctx, &boss), "create employer user")
	employer := store.Actor{UserID: boss.ID, Role: matching.RoleEmployer}
	cands := []matching.Candidate{MustCandidate(t, s, matching.PresentNamed), MustCandidate(t, s, matching.PresentNamed),
		MustCandidate(t, s, matching.PresentNamed), MustCandidate(t, s, matching.PresentNamed)}
	e1 := mustAvailable(t, s, f.Request.ID, cands[0].ID, nil)
	e2 := mustAvailable(t, s, f.Request.ID, cands[1].ID, nil)
	e3 := mustAvailable(t, s, f.Request.ID, cands[2].ID, nil)
	drafted := mustAvailable(t, s, f.Request.ID, cands[3].ID, nil)
	mustStatus(t, s, f, toContacting...)
	v1 := mustPresent(t, s, f, e1.ID, e2.ID)
	v2 := mustPresent(t, s, f, e1.ID, e3.ID)
	MustShortlist(t, s, f.Request.ID, a, drafted.ID)

	interview := time.Date(2025, 3, 20, 10, 0, 0, 0, time.UTC)
	start := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	lang := f.Vacancy.Requirements[1].ID
	steps := []struct {
		fb    matching.Feedback
		by    store.Actor
		entry int64
		stage matching.Stage
	}{
		{matching.Feedback{EntryID: e1.ID, Decision: matching.DecisionInterviewPlanned, InterviewAt: &interview, Comment: "la vediamo giovedì"}, employer, e1.ID, matching.StagePresented},
		{matching.Feedback{EntryID: e1.ID, Decision: matching.DecisionInterviewHeld}, a, e1.ID, matching.StageInterviewed},
		{matching.Feedback{EntryID: e2.ID, Decision: matching.DecisionNotSelected, Reason: "language", RequirementID: &lang}, employer, e2.ID, matching.StageRejected},
		{matching.Feedback{EntryID: e3.ID, Decision: matching.DecisionOnHold}, employer, e3.ID, matching.StagePresented},
		{matching.Feedback{EntryID: e1.ID, Decision: matching.DecisionHired, StartDate: &start, ContractType: "permanent"}, employer, e1.ID, matching.StageHired},
	}
	var written []matching.Feedback
	for _, st := range steps {
		fb := st.fb
		mustNoError(t, s.AddFeedback(ctx, &fb, st.by), "feedback "+fb.Decision)
		if fb.ID == 0 || fb.By == nil || *fb.By != st.by.UserID || fb.At.IsZero() {
			t.Errorf("feedback %s was not completed: %+v", fb.Decision, fb)
		}
		if got := stagesOf(t, s, st.entry); got[0] != st.stage {
			t.Errorf("after %s the candidate is %s, want %s", fb.Decision, got[0], st.stage)
		}
		written = append(written, fb)
	}
	t.Run("feedback refers to the latest presented version with the candidate", func(t *testing.T) {
		want := []int64{v2.ID, v2.ID, v1.ID, v2.ID, v2.ID}
		for i, fb := range written {
			if fb.ShortlistID == nil || *fb.ShortlistID != want[i] {
				t.Errorf("feedback %d refers to shortlist %v, want %d", i, fb.ShortlistID, want[i])
			}
		}
	})
	t.Run("feedback reads back", func(t *testing.T) {
		forEntry, err := s.FeedbackForEntry(ctx, e1.ID)
		mustNoError(t, err, "for entry")
		if diff := cmp.Diff([]matching.Feedback{written[0], written[1], written[4]}, forEntry); diff != "" {
			t.Errorf("feedback on the entry differs (-written +read):\n%s", diff)
		}
		forRequest, err := s.FeedbackForRequest(ctx, f.Request.ID)
		mustNoError(t, err, "for request")
		if diff := cmp.Diff(written, forRequest); diff != "" {
			t.Errorf("feedback on the request differs (-written +read):\n%s", diff)
		}
		rejected, err := s.PipelineEntry(ctx, e2.ID)
		mustNoError(t, err, "read")
		if rejected.RejectionReason != "language" {
			t.Errorf("rejection reason = %q, want language", rejected.RejectionReason)
		}
	})
	t.Run("each feedback is audited with its candidate", func(t *testing.T) {
		evs := slAudit(t, s, f.Request.ID, "feedback")
		if len(evs) != len(written) {
			t.Fatalf("%d feedback events, want %d", len(evs), len(written))
		}
		if evs[2].CandidateID == nil || *evs[2].CandidateID != cands[1].ID || evs[2].Role != matching.RoleEmployer {
			t.Errorf("the rejection's event = %+v", evs[2])
		}
		var d map[string]any
		mustNoError(t, json.Unmarshal(evs[4].Detail, &d), "detail")
		if d["decision"] != "hired" || d["from"] != "interviewed" || d["to"] != "hired" {
			t.Errorf("the hire's detail = %v", d)
		}
	})

	refusals := []struct {
		name        string
		fb          matching.Feedback
		by          store.Actor
		code, field string
	}{
		{"a candidate only in a draft", matching.Feedback{EntryID: drafted.ID, Decision: matching.DecisionOnHold}, employer, matching.ECONFLICT, "entry_id"},
		{"another vacancy's requirement", matching.Feedback{EntryID: e3.ID, Decision: matching.DecisionNotSelected, Reason: "skills_gap",
			RequirementID: &g.Vacancy.Requirements[0].ID}, employer, matching.EINVALID, "requirement_id"},
		{"hiring a rejected candidate", matching.Feedback{EntryID: e2.ID, Decision: matching.DecisionHired, StartDate: &start,
			ContractType: "permanent"}, employer, matching.ECONFLICT, "decision"},
		{"not selecting without a reason", matching.Feedback{EntryID: e3.ID, Decision: matching.DecisionNotSelected}, employer, matching.EINVALID, "reason"},
		{"a hire without a start date", matching.Feedback{EntryID: e3.ID, Decision: matching.DecisionHired, ContractType: "permanent"}, employer, matching.EINVALID, "start_date"},
		{"an entry that does not exist", matching.Feedback{EntryID: 999999, Decision: matching.DecisionOnHold}, employer, matching.ENOTFOUND, ""},
		{"a user that does not exist", matching.Feedback{EntryID: e3.ID, Decision: matching.DecisionOnHold}, store.Actor{UserID: 999999, Role: matching.RoleEmployer}, matching.EINVALID, "by_user"},
	}
	for _, tt := range refusals {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.AddFeedback(ctx, &tt.fb, tt.by), tt.code, tt.field)
		})
	}
	after, err := s.FeedbackForRequest(ctx, f.Request.ID)
	mustNoError(t, err, "for request")
	if len(after) != len(written) {
		t.Errorf("refused feedback was written: %d rows", len(after))
	}
	if diff := cmp.Diff([]matching.Stage{matching.StageHired, matching.StageRejected, matching.StagePresented}, stagesOf(t, s, e1.ID, e2.ID, e3.ID)); diff != "" {
		t.Errorf("refused feedback moved candidates (-want +got):\n%s", diff)
	}

	t.Run("a hire recorded by feedback lets the request close as filled", func(t *testing.T) {
		filled := matching.OutcomeFilled
		r, err := s.TransitionRequest(ctx, f.Request.ID, matching.TransitionInput{To: matching.StatusClosed, Outcome: &filled,
			CloseReason: matching.CloseHired, Note: "assunta a tempo indeterminato; tempo sotto lo standard: richiesta semplice"}, a)
		mustNoError(t, err, "close as filled")
		if r.Status != matching.StatusClosed || *r.Outcome != matching.OutcomeFilled {
			t.Errorf("closed request = %+v", r)
		}
		fb := matching.Feedback{EntryID: e3.ID, Decision: matching.DecisionOnHold}
		wantError(t, s.AddFeedback(ctx, &fb, employer), matching.ECONFLICT, "status")
	})
}

func TestClosingAsFilledNeedsAHire(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	e := mustAvailable(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
	mustStatus(t, s, f, toContacting...)
	mustPresent(t, s, f, e.ID)
	filled := matching.OutcomeFilled
	in := matching.TransitionInput{To: matching.StatusClosed, Outcome: &filled, CloseReason: matching.CloseHired, Note: "nota"}
	_, err := s.TransitionRequest(ctx, f.Request.ID, in, f.operator())
	wantError(t, err, matching.ECONFLICT, "status")
	start := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	fb := matching.Feedback{EntryID: e.ID, Decision: matching.DecisionHired, StartDate: &start, ContractType: "fixed_term"}
	mustNoError(t, s.AddFeedback(ctx, &fb, f.operator()), "hire")
	_, err = s.TransitionRequest(ctx, f.Request.ID, in, f.operator())
	mustNoError(t, err, "close after the hire")
}

func TestFeedbackTimes(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	answered, waiting, never := MustRequest(t, s), MustRequest(t, s), MustRequest(t, s)
	var sls []matching.Shortlist
	var entries []matching.PipelineEntry
	for _, f := range []requestFixture{answered, waiting} {
		e := mustAvailable(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
		mustStatus(t, s, f, toContacting...)
		sls = append(sls, mustPresent(t, s, f, e.ID))
		entries = append(entries, e)
	}
	fb := matching.Feedback{EntryID: entries[0].ID, Decision: matching.DecisionOnHold}
	mustNoError(t, s.AddFeedback(ctx, &fb, answered.operator()), "feedback")
	// A new version for the request waiting: its latest presentation counts.
	e := mustAvailable(t, s, waiting.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
	v2 := mustPresent(t, s, waiting, entries[1].ID, e.ID)

	got, err := s.FeedbackTimes(ctx, []int64{answered.Request.ID, waiting.Request.ID, never.Request.ID, 999999})
	mustNoError(t, err, "times")
	want := map[int64]store.FeedbackTimes{
		answered.Request.ID: {PresentedAt: sls[0].PresentedAt, LastFeedbackAt: &fb.At},
		waiting.Request.ID:  {PresentedAt: v2.PresentedAt},
		never.Request.ID:    {},
		999999:              {},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("feedback times differ (-want +got):\n%s", diff)
	}
	empty, err := s.FeedbackTimes(ctx, nil)
	mustNoError(t, err, "no requests")
	if len(empty) != 0 {
		t.Errorf("times of no request = %v", empty)
	}
}

func TestCompetenceChecks(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	g := MustRequest(t, s)
	a := f.operator()
	e1 := mustAvailable(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
	e2 := mustAvailable(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
	unpresented := mustAvailable(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
	mustStatus(t, s, f, toContacting...)
	mustPresent(t, s, f, e1.ID, e2.ID)

	lang := f.Vacancy.Requirements[1].ID
	first := matching.CompetenceCheck{EntryID: e1.ID, RequirementID: &lang, Competence: "Tedesco B1", Method: "interview",
		Result: "partly_confirmed", Note: "A2 più che B1"}
	t.Run("before competence verification it is a conflict", func(t *testing.T) {
		c := first
		wantError(t, s.AddCompetenceCheck(ctx, &c, a), matching.ECONFLICT, "status")
	})
	mustStatus(t, s, f, matching.StatusCompetenceVerification)
	mustNoError(t, s.AddCompetenceCheck(ctx, &first, a), "first check")
	if first.ID == 0 || first.By == nil || *first.By != f.Operator.ID || first.At.IsZero() {
		t.Errorf("check was not completed: %+v", first)
	}
	second := matching.CompetenceCheck{EntryID: e2.ID, Competence: "HACCP", Method: "document_check", Result: "confirmed"}
	mustNoError(t, s.AddCompetenceCheck(ctx, &second, a), "second check")
	mustStatus(t, s, f, matching.StatusSelection)
	third := matching.CompetenceCheck{EntryID: e1.ID, Competence: "Impiattamento", Method: "practical_test", Result: "confirmed"}
	mustNoError(t, s.AddCompetenceCheck(ctx, &third, a), "a check during selection")

	refusals := []struct {
		name        string
		check       matching.CompetenceCheck
		code, field string
	}{
		{"a candidate not presented", matching.CompetenceCheck{EntryID: unpresented.ID, Competence: "x", Method: "interview", Result: "confirmed"}, matching.ECONFLICT, "entry_id"},
		{"another vacancy's requirement", matching.CompetenceCheck{EntryID: e1.ID, RequirementID: &g.Vacancy.Requirements[0].ID,
			Competence: "x", Method: "interview", Result: "confirmed"}, matching.EINVALID, "requirement_id"},
		{"an unknown method", matching.CompetenceCheck{EntryID: e1.ID, Competence: "x", Method: "astrology", Result: "confirmed"}, matching.EINVALID, "method"},
		{"an unknown result", matching.CompetenceCheck{EntryID: e1.ID, Competence: "x", Method: "interview", Result: "great"}, matching.EINVALID, "result"},
		{"no competence", matching.CompetenceCheck{EntryID: e1.ID, Competence: "  ", Method: "interview", Result: "confirmed"}, matching.EINVALID, "competence"},
		{"an entry that does not exist", matching.CompetenceCheck{EntryID: 999999, Competence: "x", Method: "interview", Result: "confirmed"}, matching.ENOTFOUND, ""},
	}
	for _, tt := range refusals {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.AddCompetenceCheck(ctx, &tt.check, a), tt.code, tt.field)
		})
	}
	got, err := s.CompetenceChecks(ctx, e1.ID)
	mustNoError(t, err, "for entry")
	if diff := cmp.Diff([]matching.CompetenceCheck{first, third}, got); diff != "" {
		t.Errorf("checks of the entry differ (-written +read):\n%s", diff)
	}
	// A check of a candidate never presented (written before the rule)
	// is not shown to the employer.
	_, err = s.SQL().ExecContext(ctx, `INSERT INTO competence_checks (entry_id, competence, method, result, at)
		VALUES ($1, 'Vecchia verifica', 'interview', 'confirmed', $2)`, unpresented.ID, clockStart)
	mustNoError(t, err, "legacy check")
	all, err := s.CompetenceChecksForRequest(ctx, f.Request.ID, false)
	mustNoError(t, err, "for request")
	presented, err := s.CompetenceChecksForRequest(ctx, f.Request.ID, true)
	mustNoError(t, err, "for request, presented")
	if len(all) != 4 {
		t.Errorf("%d checks for staff, want 4", len(all))
	}
	if diff := cmp.Diff([]matching.CompetenceCheck{first, second, third}, presented); diff != "" {
		t.Errorf("checks the employer sees differ (-want +got):\n%s", diff)
	}
	if evs := slAudit(t, s, f.Request.ID, "competence_check"); len(evs) != 3 {
		t.Errorf("%d competence checks audited, want 3", len(evs))
	}
}

func TestSelectionSessions(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	g := MustRequest(t, s)
	a := f.operator()
	e1 := mustAvailable(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
	unpresented := mustAvailable(t, s, f.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
	foreign := MustEntry(t, s, g.Request.ID, MustCandidate(t, s, matching.PresentNamed).ID, nil)
	mustStatus(t, s, f, toContacting...)
	mustPresent(t, s, f, e1.ID)
	mustStatus(t, s, f, matching.StatusCompetenceVerification)
	chk := matching.CompetenceCheck{EntryID: e1.ID, Competence: "HACCP", Method: "document_check", Result: "confirmed"}
	mustNoError(t, s.AddCompetenceCheck(ctx, &chk, a), "check")

	held := time.Date(2025, 3, 12, 15, 0, 0, 0, time.UTC)
	first := matching.SelectionSession{RequestID: f.Request.ID, HeldAt: held.Add(24 * time.Hour), Participants: "titolare, operatrice",
		Note: "Scelta tra le finaliste", ProposedEntryID: &e1.ID}
	t.Run("before selection it is a conflict", func(t *testing.T) {
		ss := first
		wantError(t, s.AddSelectionSession(ctx, &ss, a), matching.ECONFLICT, "status")
	})
	mustStatus(t, s, f, matching.StatusSelection)
	mustNoError(t, s.AddSelectionSession(ctx, &first, a), "first session")
	earlier := matching.SelectionSession{RequestID: f.Request.ID, HeldAt: held, Participants: "titolare", Note: "Criteri di scelta"}
	mustNoError(t, s.AddSelectionSession(ctx, &earlier, a), "earlier session")
	if first.ID == 0 || first.By == nil || *first.By != f.Operator.ID {
		t.Errorf("session was not completed: %+v", first)
	}

	refusals := []struct {
		name        string
		ss          matching.SelectionSession
		code, field string
	}{
		{"a candidate not presented", matching.SelectionSession{RequestID: f.Request.ID, HeldAt: held, Participants: "x", Note: "x",
			ProposedEntryID: &unpresented.ID}, matching.ECONFLICT, "proposed_entry_id"},
		{"another request's candidate", matching.SelectionSession{RequestID: f.Request.ID, HeldAt: held, Participants: "x", Note: "x",
			ProposedEntryID: &foreign.ID}, matching.EINVALID, "proposed_entry_id"},
		{"no participants", matching.SelectionSession{RequestID: f.Request.ID, HeldAt: held, Participants: " ", Note: "x"}, matching.EINVALID, "participants"},
		{"no time", matching.SelectionSession{RequestID: f.Request.ID, Participants: "x", Note: "x"}, matching.EINVALID, "held_at"},
		{"a request that does not exist", matching.SelectionSession{RequestID: 999999, HeldAt: held, Participants: "x", Note: "x"}, matching.ENOTFOUND, ""},
	}
	for _, tt := range refusals {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.AddSelectionSession(ctx, &tt.ss, a), tt.code, tt.field)
		})
	}
	got, err := s.SelectionSessions(ctx, f.Request.ID)
	mustNoError(t, err, "list")
	if diff := cmp.Diff([]matching.SelectionSession{earlier, first}, got); diff != "" {
		t.Errorf("sessions differ, in the order held (-want +got):\n%s", diff)
	}
	if evs := slAudit(t, s, f.Request.ID, "selection_session"); len(evs) != 2 {
		t.Errorf("%d sessions audited, want 2", len(evs))
	}
}
