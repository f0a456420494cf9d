package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"incontro/matching"
	"incontro/store"
)

// opActor is the fixture's operator acting in the workflow.
func (f requestFixture) opActor() store.Actor {
	return store.Actor{UserID: f.Operator.ID, Role: matching.RoleOperator, IP: "192.0.2.1"}
}

// MustTransition moves a request through the life cycle, or stops the test.
func MustTransition(tb testing.TB, s *store.DB, id int64, to matching.RequestStatus, a store.Actor) matching.Request {
	tb.Helper()
	r, err := s.TransitionRequest(context.Background(), id, matching.TransitionInput{To: to}, a)
	if err != nil {
		tb.Fatalf("move request %d to %s: %v", id, to, err)
	}
	return r
}

// MustRanked creates a request whose requirements are ranked.
func MustRanked(tb testing.TB, s *store.DB) requestFixture {
	tb.Helper()
	f := MustRequest(tb, s)
	f.Request = MustTransition(tb, s, f.Request.ID, matching.StatusRequirementsRanked, f.opActor())
	return f
}

// auditOf returns the audit events of a request with the action, oldest
// first.
func auditOf(tb testing.TB, s *store.DB, requestID int64, action string) []matching.AuditEvent {
	tb.Helper()
	events, _, err := s.AuditLog(context.Background(), store.AuditFilter{RequestID: requestID, Action: action, Limit: 500})
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]matching.AuditEvent, 0, len(events))
	for i := len(events) - 1; i >= 0; i-- {
		out = append(out, events[i])
	}
	return out
}

// settableClock is a store clock that stands still until moved.
type settableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *settableClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *settableClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// stillClock makes the store's clock stand still at t until moved.
func stillClock(s *store.DB, t time.Time) *settableClock {
	c := &settableClock{t: t}
	s.Now = c.now
	return c
}

// mustExec runs SQL that sets up what another part of the workflow
// writes (a presented shortlist, feedback, time), so that these tests do not
// depend on how that part writes it.
func mustExec(tb testing.TB, s *store.DB, query string, args ...any) {
	tb.Helper()
	if _, err := s.SQL().ExecContext(context.Background(), query, args...); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
}

// countOf returns the count a query reads.
func countOf(tb testing.TB, s *store.DB, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := s.SQL().GetContext(context.Background(), &n, query, args...); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}
