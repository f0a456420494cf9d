package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"incontro/matching"
	"incontro/store"
)

func TestAuditRoundTrips(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	other := MustCandidate(t, s, matching.PresentNamed)

	viewed := matching.AuditEvent{UserID: &f.Operator.ID, Role: matching.RoleOperator, Action: "candidate.view",
		ObjectType: "candidate", ObjectID: &c.ID, RequestID: &f.Request.ID, CandidateID: &c.ID, IP: "192.0.2.7",
		Detail: json.RawMessage(`{"fields": ["cv", "contacts"]}`)}
	mustNoError(t, s.Audit(ctx, &viewed), "audit view")
	if viewed.ID == 0 || viewed.At.IsZero() {
		t.Fatalf("the event got no id or time: %+v", viewed)
	}
	plain := matching.AuditEvent{Action: "candidate.export", CandidateID: &c.ID}
	mustNoError(t, s.Audit(ctx, &plain), "audit export")
	if string(plain.Detail) != "{}" {
		t.Errorf("empty detail became %q, want {}", plain.Detail)
	}
	mustNoError(t, s.Audit(ctx, &matching.AuditEvent{Action: "candidate.view", CandidateID: &other.ID}), "audit other")

	got, err := s.AuditForCandidate(ctx, c.ID, 0)
	mustNoError(t, err, "for candidate")
	if diff := cmp.Diff([]matching.AuditEvent{plain, viewed}, got, jsonEqual); diff != "" {
		t.Errorf("events about the candidate, newest first (-want +got):\n%s", diff)
	}
	latest, err := s.AuditForCandidate(ctx, c.ID, 1)
	mustNoError(t, err, "for candidate")
	if len(latest) != 1 || latest[0].ID != plain.ID {
		t.Errorf("limit 1 gave %+v", latest)
	}
}

func TestAuditLogFilters(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	g := MustRequest(t, s)
	events := []*matching.AuditEvent{
		{UserID: &f.Operator.ID, Action: "candidate.view", RequestID: &f.Request.ID},
		{UserID: &f.Operator.ID, Action: "shortlist.present", RequestID: &f.Request.ID},
		{UserID: &g.Operator.ID, Action: "candidate.view", RequestID: &g.Request.ID},
		{Action: "candidate.view"},
	}
	for _, ev := range events {
		mustNoError(t, s.Audit(ctx, ev), "audit")
	}
	tests := []struct {
		name   string
		filter store.AuditFilter
		want   []int64
		total  int
	}{
		{"everything, newest first", store.AuditFilter{}, []int64{events[3].ID, events[2].ID, events[1].ID, events[0].ID}, 4},
		{"by user", store.AuditFilter{UserID: f.Operator.ID}, []int64{events[1].ID, events[0].ID}, 2},
		{"by request", store.AuditFilter{RequestID: g.Request.ID}, []int64{events[2].ID}, 1},
		{"by action", store.AuditFilter{Action: "candidate.view"}, []int64{events[3].ID, events[2].ID, events[0].ID}, 3},
		{"by user and action", store.AuditFilter{UserID: f.Operator.ID, Action: "candidate.view"}, []int64{events[0].ID}, 1},
		{"a page keeps the total", store.AuditFilter{Limit: 2, Offset: 1}, []int64{events[2].ID, events[1].ID}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.AuditLog(ctx, tt.filter)
			mustNoError(t, err, "audit log")
			ids := []int64{}
			for _, ev := range got {
				ids = append(ids, ev.ID)
			}
			if diff := cmp.Diff(tt.want, ids); diff != "" || total != tt.total {
				t.Errorf("ids (-want +got):\n%s\ntotal %d, want %d", diff, total, tt.total)
			}
		})
	}
	all, _, err := s.AuditLog(ctx, store.AuditFilter{Limit: 1})
	mustNoError(t, err, "audit log")
	if diff := cmp.Diff(*events[3], all[0], jsonEqual); diff != "" {
		t.Errorf("event read back differs (-written +read):\n%s", diff)
	}
}

func TestAuditRefusals(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	tests := []struct {
		name  string
		ev    matching.AuditEvent
		field string
	}{
		{"an event without action", matching.AuditEvent{Action: " "}, "action"},
		{"an unknown role", matching.AuditEvent{Action: "x", Role: "king"}, "role"},
		{"a detail that is not JSON", matching.AuditEvent{Action: "x", Detail: json.RawMessage(`{`)}, "detail"},
		{"a user that does not exist", matching.AuditEvent{Action: "x", UserID: ptr(int64(999999))}, "user_id"},
		{"a request that does not exist", matching.AuditEvent{Action: "x", RequestID: ptr(int64(999999))}, "request_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.Audit(ctx, &tt.ev), matching.EINVALID, tt.field)
		})
	}
	_, total, err := s.AuditLog(ctx, store.AuditFilter{})
	mustNoError(t, err, "audit log")
	if total != 0 {
		t.Errorf("refused events were written: %d", total)
	}
}
