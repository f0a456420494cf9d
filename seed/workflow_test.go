package seed_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"incontro/matching"
	"incontro/password"
	"incontro/seed"
	"incontro/store"
	"incontro/store/storetest"
)

// TestTheWorkflowSeedReachesEveryStateThroughTheRules loads a small demo and
// works its requests: every state of the life cycle and every outcome is
// reached through the store's own actions, with the records each screen and
// report needs.
func TestTheWorkflowSeedReachesEveryStateThroughTheRules(t *testing.T) {
	// The demo of make run (seed 1, 5,000 candidates) and a smaller one.
	for _, c := range []struct {
		seed       uint64
		candidates int
	}{{1, 5000}, {3, 1500}} {
		t.Run(fmt.Sprintf("seed %d, %d candidates", c.seed, c.candidates), func(t *testing.T) {
			testWorkflowSeed(t, c.seed, c.candidates)
		})
	}
}

func testWorkflowSeed(t *testing.T, seedValue uint64, candidates int) {
	ctx := context.Background()
	db := store.New(storetest.MustDB(t))
	db.Now = func() time.Time { return asOf.Add(8 * time.Hour) }
	fast := password.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}
	g := mustGenerator(t, seedValue, candidates)
	sum, err := seed.Load(ctx, db, g, seed.LoadOptions{EmployerUsers: 5, JobseekerUsers: 5, PasswordParams: fast})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Openings) < 16 {
		t.Fatalf("only %d openings: the demo needs one per scenario", len(sum.Openings))
	}
	wf, err := seed.Workflow(ctx, db, g, sum)
	if err != nil {
		t.Fatal(err)
	}
	if wf.Requests != len(sum.Openings) {
		t.Errorf("worked %d requests of %d openings", wf.Requests, len(sum.Openings))
	}
	for _, st := range matching.RequestStatuses() {
		if wf.ByStatus[st] == 0 {
			t.Errorf("no demo request is %s", st)
		}
	}

	count := func(query string, args ...any) int {
		t.Helper()
		var n int
		if err := db.SQL().GetContext(ctx, &n, query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return n
	}
	for _, o := range matching.Outcomes() {
		if count(`SELECT count(*) FROM requests WHERE outcome = $1`, o) == 0 {
			t.Errorf("no demo request closed %s", o)
		}
	}
	// Every state change was taken through the life cycle: each request's
	// history starts at intake and each change starts where the last ended.
	if n := count(`SELECT count(*) FROM (SELECT request_id, from_status, to_status,
		lag(to_status) OVER (PARTITION BY request_id ORDER BY at, id) AS prev FROM request_status_history) h
		WHERE (prev IS NULL AND to_status <> 'intake') OR (prev IS NOT NULL AND from_status IS DISTINCT FROM prev)`); n != 0 {
		t.Errorf("%d status changes do not follow from the previous state", n)
	}
	if n := count(`SELECT count(*) FROM request_status_history h WHERE h.from_status IS NOT NULL AND NOT EXISTS
		(SELECT 1 FROM audit_log a WHERE a.action = 'request_status' AND a.request_id = h.request_id AND a.at = h.at)`); n != 0 {
		t.Errorf("%d status changes have no audit event", n)
	}

	now := asOf
	settings := matching.DefaultWorkflowSettings()
	var confirmed []time.Time
	if err := db.SQL().SelectContext(ctx, &confirmed, `SELECT availability_confirmed_at FROM pipeline_entries
		WHERE availability_confirmed_at IS NOT NULL AND stage = 'available'`); err != nil {
		t.Fatal(err)
	}
	fresh, expired := 0, 0
	for _, c := range confirmed {
		if matching.AvailabilityFresh(&c, now, settings) {
			fresh++
		} else {
			expired++
		}
	}
	if fresh == 0 || expired == 0 {
		t.Errorf("availabilities: %d fresh, %d expired; the demo needs both", fresh, expired)
	}
	checks := []struct {
		what  string
		query string
	}{
		{"contacts by phone", `SELECT count(*) FROM contacts WHERE channel = 'phone'`},
		{"an unanswered availability question in the portal", `SELECT count(*) FROM availability_requests WHERE answered_at IS NULL`},
		{"a self-application verified", `SELECT count(*) FROM applications WHERE status = 'verified'`},
		{"a self-application not fitting", `SELECT count(*) FROM applications WHERE status = 'not_fitting'`},
		{"a self-application waiting", `SELECT count(*) FROM applications WHERE status = 'submitted'`},
		{"a superseded shortlist version", `SELECT count(*) FROM shortlists WHERE status = 'superseded'`},
		{"a presentation on an override note", `SELECT count(*) FROM shortlist_items WHERE override_note <> ''`},
		{"a hire with its start date", `SELECT count(*) FROM feedback WHERE decision = 'hired' AND start_date IS NOT NULL`},
		{"a candidate not selected", `SELECT count(*) FROM feedback WHERE decision = 'not_selected'`},
		{"an interview planned", `SELECT count(*) FROM feedback WHERE decision = 'interview_planned'`},
		{"a 4D competence check", `SELECT count(*) FROM competence_checks`},
		{"a 4D selection session", `SELECT count(*) FROM selection_sessions`},
		{"4D time", `SELECT count(*) FROM time_entries WHERE phase <> '4C'`},
	}
	for _, c := range checks {
		if count(c.query) == 0 {
			t.Errorf("the demo has no %s", c.what)
		}
	}

	// Time under, within and over the 4C standard, among closed requests
	// and open ones.
	var minutes []int
	if err := db.SQL().SelectContext(ctx, &minutes, `SELECT COALESCE(sum(t.minutes), 0) FROM requests r
		LEFT JOIN time_entries t ON t.request_id = r.id AND t.phase = '4C' GROUP BY r.id`); err != nil {
		t.Fatal(err)
	}
	band, _ := matching.StandardBand(matching.Phase4C)
	states := map[string]int{}
	for _, m := range minutes {
		states[matching.BandState(m, band)]++
	}
	for _, s := range []string{"under", "within", "over"} {
		if states[s] == 0 {
			t.Errorf("no demo request has 4C time %s the standard (%v)", s, states)
		}
	}
	// A request presented long ago without feedback has its reminder due.
	ids := []int64{}
	if err := db.SQL().SelectContext(ctx, &ids, `SELECT id FROM requests WHERE status IN ('shortlist_presented', 'awaiting_feedback')`); err != nil {
		t.Fatal(err)
	}
	times, err := db.FeedbackTimes(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	due := slices.ContainsFunc(ids, func(id int64) bool {
		ft := times[id]
		r, err := db.Request(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return matching.FeedbackDue(r.Status, ft.PresentedAt, ft.LastFeedbackAt, now, settings).ReminderDue
	})
	if !due {
		t.Error("no demo request has a feedback reminder due")
	}
}
