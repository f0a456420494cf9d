package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"incontro/matching"
)

func TestTimeEntriesRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	g := MustRequest(t, s)
	day := time.Date(2025, 3, 11, 9, 0, 0, 500, time.FixedZone("CET", 3600))
	entries := []matching.TimeEntry{
		{RequestID: f.Request.ID, UserID: &f.Operator.ID, Phase: matching.Phase4C, Activity: "intake_interview", StartedAt: day, Minutes: 90, Note: "colloquio in azienda"},
		{RequestID: f.Request.ID, UserID: &f.Operator.ID, Activity: "database_search", StartedAt: day.Add(2 * time.Hour), Minutes: 45},
		{RequestID: f.Request.ID, Activity: "competence_verification", StartedAt: day.Add(24 * time.Hour), Minutes: 120},
		{RequestID: g.Request.ID, Activity: "selection_support", StartedAt: day, Minutes: 30},
	}
	for i := range entries {
		mustNoError(t, s.AddTimeEntry(ctx, &entries[i]), "add time entry")
	}
	if entries[1].Phase != matching.Phase4C || entries[2].Phase != matching.Phase4DVerification {
		t.Errorf("phases taken from the activities: %q, %q", entries[1].Phase, entries[2].Phase)
	}
	got, err := s.TimeEntries(ctx, f.Request.ID)
	mustNoError(t, err, "list")
	if diff := cmp.Diff(entries[:3], got); diff != "" {
		t.Errorf("time entries differ (-written +read):\n%s", diff)
	}
	byPhase, err := s.TimeByPhase(ctx, f.Request.ID)
	mustNoError(t, err, "by phase")
	want := map[matching.Phase]int{matching.Phase4C: 135, matching.Phase4DVerification: 120}
	if diff := cmp.Diff(want, byPhase); diff != "" {
		t.Errorf("minutes per phase (-want +got):\n%s", diff)
	}

	mustNoError(t, s.DeleteTimeEntry(ctx, entries[0].ID), "delete")
	wantError(t, s.DeleteTimeEntry(ctx, entries[0].ID), matching.ENOTFOUND, "")
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

func TestAddTimeEntryRefusals(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	start := time.Date(2025, 3, 11, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		change func(te *matching.TimeEntry)
		field  string
	}{
		{"no minutes", func(te *matching.TimeEntry) { te.Minutes = 0 }, "minutes"},
		{"more than twelve hours", func(te *matching.TimeEntry) { te.Minutes = 721 }, "minutes"},
		{"an unknown activity", func(te *matching.TimeEntry) { te.Activity = "coffee" }, "activity"},
		{"the phase of another activity", func(te *matching.TimeEntry) { te.Phase = matching.Phase4DSelection }, "phase"},
		{"no start", func(te *matching.TimeEntry) { te.StartedAt = time.Time{} }, "started_at"},
		{"a request that does not exist", func(te *matching.TimeEntry) { te.RequestID = 999999 }, "request_id"},
		{"a user that does not exist", func(te *matching.TimeEntry) { te.UserID = ptr(int64(999999)) }, "user_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			te := matching.TimeEntry{RequestID: f.Request.ID, Activity: "candidate_contact", StartedAt: start, Minutes: 30}
			tt.change(&te)
			wantError(t, s.AddTimeEntry(ctx, &te), matching.EINVALID, tt.field)
		})
	}
	got, err := s.TimeEntries(ctx, f.Request.ID)
	mustNoError(t, err, "list")
	if len(got) != 0 {
		t.Errorf("refused entries were written: %+v", got)
	}
}
