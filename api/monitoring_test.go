package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"incontro/api"
	"incontro/matching"
	"incontro/store"
)

// trentoZone is where the report's days are.
var trentoZone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic(err)
	}
	return loc
}()

// jumpTo sets the clock, for building a past by hand.
func (c *clock) jumpTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// monitoringWorld is the world with a month of activity built by hand two
// months ago, at known times, by the store's own functions.
type monitoringWorld struct {
	*world
	from, to string
	reportAt time.Time
	opA2     matching.User
	// Requests by their name in the test: R1 … R8.
	req map[string]matching.Request
}

// newMonitoringWorld builds the month. Day k of the period is at(k, h):
// k×24 h + h hours after the first day's midnight in Trento, so that the
// days between events are whole whatever the summer time does.
//
//	R1 A opA   opened d1, 3 entries (one self-applied), 4 contacts, presented d5, hired, closed filled d12, 4C 300 min (within)
//	R2 A opA   opened d2, with 4D, 2 entries, 3 contacts, presented d7, rejected by the employer d19,
//	           closed not filled d20, 4C 200 (under), 4D verification 150 (within), 4D selection 400 (over)
//	R3 A opA2  opened d5, 2 entries (one referral rejected d7), 2 contacts (a third after the period), presented d8,
//	           no feedback since: reminder due and closing proposed at the report time
//	R4 A opA2  opened d-10, contact d-5, first presented d3, feedback d4; open
//	R5 A opA   opened d25, cancelled d26, 30 min
//	R6 A opA   opened d-40, withdrawn d-35: outside everything
//	R7 B opB   opened d3, 2 entries (one self-applied, one withdrew), 1 contact, presented d5, hired, closed filled d16, 4C 540 (over)
//	R8 B opB   opened d32 (after the period), a rejection d33, presented d40: reminder due at the report time
func newMonitoringWorld(t *testing.T) *monitoringWorld {
	w := &monitoringWorld{world: newWorld(t), req: map[string]matching.Request{}}
	ctx := context.Background()
	db := w.db
	w.reportAt = w.clock.Now()
	y, m, d := w.reportAt.In(trentoZone).AddDate(0, 0, -60).Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, trentoZone)
	w.from, w.to = start.Format(time.DateOnly), start.AddDate(0, 0, 29).Format(time.DateOnly)
	at := func(k, h int) time.Time { return start.Add(time.Duration(k)*24*time.Hour + time.Duration(h)*time.Hour) }
	must := func(err error, what string) {
		t.Helper()
		if err != nil {
			t.Fatalf("monitoring world: %s: %v", what, err)
		}
	}

	w.opA2 = w.addOperator("operatorA2", w.providerA.ID)
	opA, opB := w.users[operatorA], w.users[operatorB]
	var cands []matching.Candidate
	for i := range 3 {
		c := matching.Candidate{GivenName: "Carla", FamilyName: fmt.Sprintf("Monitor %d", i), Email: fmt.Sprintf("carla.monitor%d@example.org", i),
			HomeMunicipality: "022205", MobilityKm: 20, Searchable: true, Presentation: matching.PresentNamed}
		must(db.CreateCandidate(ctx, &c), "candidate")
		cands = append(cands, c)
	}
	open := func(name string, provider matching.Provider, employer matching.Employer, op matching.User, status matching.RequestStatus,
		with4D bool, opened time.Time) matching.Request {
		w.clock.jumpTo(opened)
		v := matching.Vacancy{EmployerID: employer.ID, Title: "Offerta " + name, MunicipalityCode: employer.MunicipalityCode, ContractType: "permanent"}
		must(db.CreateVacancy(ctx, &v), "vacancy "+name)
		r := matching.Request{ProviderID: provider.ID, EmployerID: employer.ID, VacancyID: v.ID, OperatorID: &op.ID,
			Status: status, With4D: with4D, OpenedAt: opened}
		must(db.CreateRequest(ctx, &r), "request "+name)
		w.req[name] = r
		return r
	}
	entry := func(r matching.Request, cand int, source matching.Source, when time.Time) matching.PipelineEntry {
		w.clock.jumpTo(when)
		cid := cands[cand].ID
		e := matching.PipelineEntry{RequestID: r.ID, CandidateID: &cid, Source: source}
		must(db.AddPipelineEntry(ctx, &e), "entry")
		return e
	}
	move := func(e matching.PipelineEntry, when time.Time, reason string, stages ...matching.Stage) {
		w.clock.jumpTo(when)
		for i := 1; i < len(stages); i++ {
			r := ""
			if stages[i] == matching.StageRejected {
				r = reason
			}
			must(db.SetStage(ctx, e.ID, stages[i-1], stages[i], r, "", nil), fmt.Sprintf("entry %d to %s", e.ID, stages[i]))
		}
	}
	contact := func(e matching.PipelineEntry, when time.Time, outcome string) {
		c := matching.Contact{EntryID: e.ID, Channel: "phone", Outcome: outcome, At: when}
		must(db.AddContact(ctx, &c), "contact")
	}
	present := func(r matching.Request, op matching.User, when time.Time, entries ...matching.PipelineEntry) matching.Shortlist {
		w.clock.jumpTo(when)
		sl := matching.Shortlist{RequestID: r.ID}
		for _, e := range entries {
			sl.Items = append(sl.Items, matching.ShortlistItem{EntryID: e.ID, Mode: "named"})
		}
		must(db.CreateShortlist(ctx, &sl), "shortlist")
		must(db.PresentShortlist(ctx, sl.ID, json.RawMessage(`{"candidates":[]}`), &op.ID), "present")
		return sl
	}
	feedback := func(e matching.PipelineEntry, sl matching.Shortlist, when time.Time, decision, reason string) {
		w.clock.jumpTo(when)
		fb := matching.Feedback{EntryID: e.ID, ShortlistID: &sl.ID, Decision: decision, Reason: reason}
		if decision == matching.DecisionInterviewPlanned {
			iv := when.Add(48 * time.Hour)
			fb.InterviewAt = &iv
		}
		must(db.AddFeedback(ctx, &fb), "feedback "+decision)
	}
	spend := func(r matching.Request, op matching.User, when time.Time, activity string, minutes int) {
		w.clock.jumpTo(when)
		te := matching.TimeEntry{RequestID: r.ID, UserID: &op.ID, Activity: activity, StartedAt: when, Minutes: minutes}
		must(db.RecordTimeEntry(ctx, &te, store.Actor{UserID: op.ID, Role: matching.RoleOperator}), "time on "+activity)
	}
	closeAs := func(r matching.Request, op matching.User, when time.Time, o matching.Outcome, reason matching.CloseReason) {
		w.clock.jumpTo(when)
		_, err := db.TransitionRequest(ctx, r.ID, matching.TransitionInput{To: matching.StatusClosed, Outcome: &o, CloseReason: reason,
			Note: "chiusura con le ore registrate"}, store.Actor{UserID: op.ID, Role: matching.RoleOperator})
		must(err, "close as "+string(o))
	}
	const (
		found, contacted, available, shortlisted = matching.StageFound, matching.StageContacted, matching.StageAvailable, matching.StageShortlisted
		presented, interviewed, hired, rejected  = matching.StagePresented, matching.StageInterviewed, matching.StageHired, matching.StageRejected
	)
	search, self := matching.SourceSearch, matching.SourceSelfApplication

	// R1
	r1 := open("R1", w.providerA, w.employer1, opA, matching.StatusAwaitingFeedback, false, at(1, 10))
	e1, e2 := entry(r1, 0, search, at(1, 10)), entry(r1, 1, search, at(1, 10))
	spend(r1, opA, at(1, 11), "intake_interview", 60)
	spend(r1, opA, at(2, 9), "database_search", 90)
	contact(e1, at(2, 10), "message_left")
	move(e1, at(2, 10), "", found, contacted)
	contact(e2, at(2, 10), "no_answer")
	move(e2, at(2, 10), "", found, matching.StageUnreachable)
	spend(r1, opA, at(3, 9), "candidate_contact", 90)
	e3 := entry(r1, 2, self, at(3, 10))
	contact(e1, at(3, 10), "available")
	move(e1, at(3, 10), "", contacted, available)
	move(e3, at(3, 10), "", found, contacted)
	contact(e3, at(3, 11), "available")
	move(e3, at(3, 11), "", contacted, available)
	move(e1, at(4, 10), "", available, shortlisted)
	move(e3, at(4, 10), "", available, shortlisted)
	spend(r1, opA, at(5, 9), "shortlist_presentation", 60)
	sl1 := present(r1, opA, at(5, 10), e1, e3)
	move(e1, at(5, 10), "", shortlisted, presented)
	move(e3, at(5, 10), "", shortlisted, presented)
	move(e2, at(6, 10), "availability", matching.StageUnreachable, rejected)
	feedback(e1, sl1, at(8, 10), matching.DecisionInterviewHeld, "")
	move(e1, at(8, 10), "", presented, interviewed)
	feedback(e3, sl1, at(9, 10), matching.DecisionNotSelected, "experience")
	move(e3, at(9, 10), "experience", presented, rejected)
	move(e1, at(10, 10), "", interviewed, hired)
	closeAs(r1, opA, at(12, 10), matching.OutcomeFilled, matching.CloseHired)

	// R2
	r2 := open("R2", w.providerA, w.employer1, opA, matching.StatusAwaitingFeedback, true, at(2, 10))
	e4, e5 := entry(r2, 0, search, at(2, 10)), entry(r2, 1, search, at(2, 10))
	spend(r2, opA, at(2, 11), "intake_interview", 60)
	contact(e4, at(3, 10), "available")
	move(e4, at(3, 10), "", found, available)
	spend(r2, opA, at(3, 11), "candidate_contact", 80)
	contact(e5, at(4, 10), "awaiting_reply")
	move(e5, at(4, 10), "", found, contacted)
	spend(r2, opA, at(4, 11), "database_search", 60)
	contact(e5, at(5, 10), "not_available")
	move(e5, at(5, 10), "", contacted, matching.StageNotAvailable)
	move(e4, at(6, 10), "", available, shortlisted)
	sl2 := present(r2, opA, at(7, 10), e4)
	move(e4, at(7, 10), "", shortlisted, presented)
	feedback(e4, sl2, at(9, 10), matching.DecisionInterviewHeld, "")
	move(e4, at(9, 10), "", presented, interviewed)
	spend(r2, opA, at(9, 11), "competence_verification", 150)
	spend(r2, opA, at(15, 9), "selection_support", 400)
	feedback(e4, sl2, at(19, 10), matching.DecisionNotSelected, "skills_gap")
	move(e4, at(19, 10), "skills_gap", interviewed, rejected)
	closeAs(r2, opA, at(20, 10), matching.OutcomeNotFilled, matching.CloseCandidatesRejected)

	// R3
	r3 := open("R3", w.providerA, w.employer1, w.opA2, matching.StatusAwaitingFeedback, false, at(5, 10))
	e6 := entry(r3, 0, search, at(5, 10))
	spend(r3, w.opA2, at(5, 11), "intake_interview", 120)
	e7 := entry(r3, 1, matching.SourceReferral, at(6, 10))
	contact(e6, at(6, 10), "message_left")
	move(e6, at(6, 10), "", found, contacted)
	contact(e6, at(7, 10), "available")
	move(e6, at(7, 10), "", contacted, available)
	move(e7, at(7, 10), "distance", found, rejected)
	move(e6, at(7, 11), "", available, shortlisted)
	present(r3, w.opA2, at(8, 10), e6)
	move(e6, at(8, 10), "", shortlisted, presented)
	contact(e6, at(31, 10), "message_left") // after the period

	// R4
	r4 := open("R4", w.providerA, w.employer1, w.opA2, matching.StatusAwaitingFeedback, false, at(-10, 10))
	e8 := entry(r4, 0, search, at(-10, 10))
	contact(e8, at(-5, 10), "available")
	move(e8, at(-5, 10), "", found, available)
	move(e8, at(2, 10), "", available, shortlisted)
	sl4 := present(r4, w.opA2, at(3, 10), e8)
	move(e8, at(3, 10), "", shortlisted, presented)
	feedback(e8, sl4, at(4, 10), matching.DecisionInterviewPlanned, "")

	// R5 and R6
	r5 := open("R5", w.providerA, w.employer1, opA, matching.StatusIntake, false, at(25, 10))
	spend(r5, opA, at(25, 11), "intake_interview", 30)
	closeAs(r5, opA, at(26, 10), matching.OutcomeCancelled, matching.CloseEnteredInError)
	r6 := open("R6", w.providerA, w.employer1, opA, matching.StatusIntake, false, at(-40, 10))
	closeAs(r6, opA, at(-35, 10), matching.OutcomeWithdrawn, matching.CloseEmployerWithdrew)

	// R7
	r7 := open("R7", w.providerB, w.employer2, opB, matching.StatusAwaitingFeedback, false, at(3, 10))
	e9, e10 := entry(r7, 0, self, at(3, 10)), entry(r7, 1, search, at(3, 10))
	spend(r7, opB, at(3, 11), "intake_interview", 120)
	contact(e9, at(4, 10), "available")
	move(e9, at(4, 10), "", found, contacted, available)
	spend(r7, opB, at(4, 11), "candidate_contact", 120)
	move(e9, at(4, 12), "", available, shortlisted)
	present(r7, opB, at(5, 10), e9)
	move(e9, at(5, 10), "", shortlisted, presented)
	spend(r7, opB, at(5, 11), "shortlist_presentation", 150)
	move(e10, at(6, 10), "", found, matching.StageWithdrew)
	move(e9, at(15, 10), "", presented, hired)
	spend(r7, opB, at(15, 11), "outcome_recording", 150)
	closeAs(r7, opB, at(16, 10), matching.OutcomeFilled, matching.CloseHired)

	// R8
	r8 := open("R8", w.providerB, w.employer2, opB, matching.StatusAwaitingFeedback, false, at(32, 10))
	e11, e12 := entry(r8, 0, self, at(32, 10)), entry(r8, 1, search, at(32, 10))
	move(e11, at(33, 10), "", found, available, shortlisted)
	move(e12, at(33, 10), "salary", found, rejected)
	present(r8, opB, at(40, 10), e11)
	move(e11, at(40, 10), "", shortlisted, presented)

	w.clock.jumpTo(w.reportAt)
	return w
}

// figures are the expected values of a group, "section.figure" → value;
// a figure not listed must be 0, and nil means an empty value (a share or
// a median over nothing).
type figures map[string]any

// checkGroup compares every figure of every table for one group.
func checkGroup(t *testing.T, label string, tables []matching.MonitoringTable, match func(matching.ReportGroup) bool, want figures) {
	t.Helper()
	found := false
	seen := map[string]bool{}
	for _, tb := range tables {
		for _, row := range tb.Rows {
			if !match(row.Group) {
				continue
			}
			found = true
			for i, col := range tb.Columns {
				key := tb.Section + "." + col
				seen[key] = true
				w, listed := want[key]
				got := row.Values[i]
				switch {
				case listed && w == nil:
					if got != nil {
						t.Errorf("%s %s = %v, want empty", label, key, *got)
					}
				case got == nil:
					t.Errorf("%s %s is empty, want %v", label, key, w)
				case !listed:
					if *got != 0 {
						t.Errorf("%s %s = %v, want 0", label, key, *got)
					}
				default:
					var wf float64
					switch v := w.(type) {
					case int:
						wf = float64(v)
					case float64:
						wf = v
					}
					if *got != wf {
						t.Errorf("%s %s = %v, want %v", label, key, *got, wf)
					}
				}
			}
		}
	}
	if !found {
		t.Fatalf("no row for %s", label)
	}
	for key := range want {
		if !seen[key] {
			t.Errorf("%s: the expected figure %s is not in the report", label, key)
		}
	}
}

// The figures below are worked out by hand from newMonitoringWorld.
var (
	wantTotal = figures{
		"requests.opened": 5, "requests.closed": 4, // R1 R2 R3 R5 R7; R1 R2 R5 R7
		"closed_by_outcome.filled": 2, "closed_by_outcome.not_filled": 1, "closed_by_outcome.cancelled": 1,
		"closed_by_reason.filled:hired": 2, "closed_by_reason.not_filled:candidates_rejected": 1, "closed_by_reason.cancelled:entered_in_error": 1,
		// R1 4 days, R2 5, R3 3, R4 13 (opened before the period), R7 2: median 4.
		"first_shortlist.requests": 5, "first_shortlist.median_days": 4.0,
		// R1 5 h, R2 12.5 h, R7 9 h (R5 is cancelled).
		"hours.requests": 3, "hours.all_within": 1, "hours.all_within_share": 0.3333, "hours.median_total_hours": 9.0,
		"hours_4C.requests": 3, "hours_4C.under": 1, "hours_4C.within": 1, "hours_4C.over": 1, "hours_4C.within_share": 0.3333, "hours_4C.median_hours": 5.0,
		"hours_4D_verification.requests": 1, "hours_4D_verification.within": 1, "hours_4D_verification.within_share": 1.0, "hours_4D_verification.median_hours": 2.5,
		"hours_4D_selection.requests": 1, "hours_4D_selection.over": 1, "hours_4D_selection.within_share": 0.0, "hours_4D_selection.median_hours": 6.67,
		// R1 4, R2 3, R3 2, R7 1.
		"contacts.contacts": 10, "contacts.requests": 4, "contacts.per_request": 2.5,
		"availability.contacted": 7, "availability.available": 5, "availability.rate": 0.7143,
		"funnel.found": 9, "funnel.contacted": 7, "funnel.available": 5, "funnel.presented": 5, "funnel.interviewed": 3, "funnel.hired": 2,
		"rejections.entries": 4, "rejections.by_employer": 2, "rejections.by_service": 2,
		"rejection_reasons.availability": 1, "rejection_reasons.experience": 1, "rejection_reasons.skills_gap": 1, "rejection_reasons.distance": 1,
		"rejection_reasons_by_employer.experience": 1, "rejection_reasons_by_employer.skills_gap": 1,
		"self_applications.entries": 9, "self_applications.self_applications": 2, "self_applications.share": 0.2222,
		"overdue_feedback.reminder_due": 2, "overdue_feedback.propose_close": 1, // R3 both, R8 the reminder
	}
	wantA = figures{
		"requests.opened": 4, "requests.closed": 3,
		"closed_by_outcome.filled": 1, "closed_by_outcome.not_filled": 1, "closed_by_outcome.cancelled": 1,
		"closed_by_reason.filled:hired": 1, "closed_by_reason.not_filled:candidates_rejected": 1, "closed_by_reason.cancelled:entered_in_error": 1,
		"first_shortlist.requests": 4, "first_shortlist.median_days": 4.5,
		"hours.requests": 2, "hours.all_within": 1, "hours.all_within_share": 0.5, "hours.median_total_hours": 8.75,
		"hours_4C.requests": 2, "hours_4C.under": 1, "hours_4C.within": 1, "hours_4C.within_share": 0.5, "hours_4C.median_hours": 4.17,
		"hours_4D_verification.requests": 1, "hours_4D_verification.within": 1, "hours_4D_verification.within_share": 1.0, "hours_4D_verification.median_hours": 2.5,
		"hours_4D_selection.requests": 1, "hours_4D_selection.over": 1, "hours_4D_selection.within_share": 0.0, "hours_4D_selection.median_hours": 6.67,
		"contacts.contacts": 9, "contacts.requests": 3, "contacts.per_request": 3.0,
		"availability.contacted": 6, "availability.available": 4, "availability.rate": 0.6667,
		"funnel.found": 7, "funnel.contacted": 6, "funnel.available": 4, "funnel.presented": 4, "funnel.interviewed": 2, "funnel.hired": 1,
		"rejections.entries": 4, "rejections.by_employer": 2, "rejections.by_service": 2,
		"rejection_reasons.availability": 1, "rejection_reasons.experience": 1, "rejection_reasons.skills_gap": 1, "rejection_reasons.distance": 1,
		"rejection_reasons_by_employer.experience": 1, "rejection_reasons_by_employer.skills_gap": 1,
		"self_applications.entries": 7, "self_applications.self_applications": 1, "self_applications.share": 0.1429,
		"overdue_feedback.reminder_due": 1, "overdue_feedback.propose_close": 1,
	}
	wantB = figures{
		"requests.opened": 1, "requests.closed": 1,
		"closed_by_outcome.filled": 1, "closed_by_reason.filled:hired": 1,
		"first_shortlist.requests": 1, "first_shortlist.median_days": 2.0,
		"hours.requests": 1, "hours.all_within_share": 0.0, "hours.median_total_hours": 9.0,
		"hours_4C.requests": 1, "hours_4C.over": 1, "hours_4C.within_share": 0.0, "hours_4C.median_hours": 9.0,
		"hours_4D_verification.within_share": nil, "hours_4D_verification.median_hours": nil,
		"hours_4D_selection.within_share": nil, "hours_4D_selection.median_hours": nil,
		"contacts.contacts": 1, "contacts.requests": 1, "contacts.per_request": 1.0,
		"availability.contacted": 1, "availability.available": 1, "availability.rate": 1.0,
		"funnel.found": 2, "funnel.contacted": 1, "funnel.available": 1, "funnel.presented": 1, "funnel.interviewed": 1, "funnel.hired": 1,
		"self_applications.entries": 2, "self_applications.self_applications": 1, "self_applications.share": 0.5,
		"overdue_feedback.reminder_due": 1,
	}
	wantOpA = figures{
		"requests.opened": 3, "requests.closed": 3,
		"closed_by_outcome.filled": 1, "closed_by_outcome.not_filled": 1, "closed_by_outcome.cancelled": 1,
		"closed_by_reason.filled:hired": 1, "closed_by_reason.not_filled:candidates_rejected": 1, "closed_by_reason.cancelled:entered_in_error": 1,
		"first_shortlist.requests": 2, "first_shortlist.median_days": 4.5,
		"hours.requests": 2, "hours.all_within": 1, "hours.all_within_share": 0.5, "hours.median_total_hours": 8.75,
		"hours_4C.requests": 2, "hours_4C.under": 1, "hours_4C.within": 1, "hours_4C.within_share": 0.5, "hours_4C.median_hours": 4.17,
		"hours_4D_verification.requests": 1, "hours_4D_verification.within": 1, "hours_4D_verification.within_share": 1.0, "hours_4D_verification.median_hours": 2.5,
		"hours_4D_selection.requests": 1, "hours_4D_selection.over": 1, "hours_4D_selection.within_share": 0.0, "hours_4D_selection.median_hours": 6.67,
		"contacts.contacts": 7, "contacts.requests": 2, "contacts.per_request": 3.5,
		"availability.contacted": 5, "availability.available": 3, "availability.rate": 0.6,
		"funnel.found": 5, "funnel.contacted": 5, "funnel.available": 3, "funnel.presented": 3, "funnel.interviewed": 2, "funnel.hired": 1,
		"rejections.entries": 3, "rejections.by_employer": 2, "rejections.by_service": 1,
		"rejection_reasons.availability": 1, "rejection_reasons.experience": 1, "rejection_reasons.skills_gap": 1,
		"rejection_reasons_by_employer.experience": 1, "rejection_reasons_by_employer.skills_gap": 1,
		"self_applications.entries": 5, "self_applications.self_applications": 1, "self_applications.share": 0.2,
	}
	wantOpA2 = figures{
		"requests.opened":          1,
		"first_shortlist.requests": 2, "first_shortlist.median_days": 8.0, // R3 3 days, R4 13
		"hours.all_within_share": nil, "hours.median_total_hours": nil,
		"hours_4C.within_share": nil, "hours_4C.median_hours": nil,
		"hours_4D_verification.within_share": nil, "hours_4D_verification.median_hours": nil,
		"hours_4D_selection.within_share": nil, "hours_4D_selection.median_hours": nil,
		"contacts.contacts": 2, "contacts.requests": 1, "contacts.per_request": 2.0,
		"availability.contacted": 1, "availability.available": 1, "availability.rate": 1.0,
		"funnel.found": 2, "funnel.contacted": 1, "funnel.available": 1, "funnel.presented": 1,
		"rejections.entries": 1, "rejections.by_service": 1, "rejection_reasons.distance": 1,
		"self_applications.entries": 2, "self_applications.share": 0.0,
		"overdue_feedback.reminder_due": 1, "overdue_feedback.propose_close": 1,
	}
)

func isTotal(g matching.ReportGroup) bool { return g.Kind == matching.GroupTotal }
func isProvider(id int64) func(matching.ReportGroup) bool {
	return func(g matching.ReportGroup) bool { return g.Kind == matching.GroupProvider && g.ProviderID == id }
}
func isOperator(id int64) func(matching.ReportGroup) bool {
	return func(g matching.ReportGroup) bool { return g.Kind == matching.GroupOperator && g.OperatorID == id }
}

// report asks for the monitoring report and decodes the JSON answer.
func (w *monitoringWorld) report(t *testing.T, c *client, query string) api.MonitoringAnswer {
	t.Helper()
	status, body := c.do(http.MethodGet, "/api/v1/reports/monitoring?"+query, nil)
	wantStatus(t, status, body, http.StatusOK, "")
	var ans api.MonitoringAnswer
	decode(t, body, &ans)
	return ans
}

func TestTheMonitoringReportShowsExactlyWhatHappened(t *testing.T) {
	w := newMonitoringWorld(t)
	period := "from=" + w.from + "&to=" + w.to
	opA, opB := w.users[operatorA], w.users[operatorB]

	t.Run("the Province sees every provider and every operator", func(t *testing.T) {
		ans := w.report(t, w.signIn(monitor), period)
		if ans.Period.From != w.from || ans.Period.To != w.to || ans.Scope.ProviderID != nil || !ans.GeneratedAt.Equal(w.reportAt.UTC().Truncate(time.Microsecond)) {
			t.Errorf("period %+v, scope %+v, generated at %v", ans.Period, ans.Scope, ans.GeneratedAt)
		}
		tables := ans.Tables()
		checkGroup(t, "total", tables, isTotal, wantTotal)
		checkGroup(t, "provider A", tables, isProvider(w.providerA.ID), wantA)
		checkGroup(t, "provider B", tables, isProvider(w.providerB.ID), wantB)
		checkGroup(t, "operator A", tables, isOperator(opA.ID), wantOpA)
		checkGroup(t, "operator A2", tables, isOperator(w.opA2.ID), wantOpA2)
		checkGroup(t, "operator B", tables, isOperator(opB.ID), wantB)
		var providers, operators []string
		for _, g := range ans.Providers {
			providers = append(providers, g.ProviderName)
		}
		for _, g := range ans.Operators {
			operators = append(operators, g.OperatorName)
		}
		if !slices.Equal(providers, []string{"Agenzia B", "Centro per l'impiego A"}) ||
			!slices.Equal(operators, []string{opB.Name, opA.Name, w.opA2.Name}) {
			t.Errorf("providers %v, operators %v", providers, operators)
		}
		if want := []int64{w.req["R3"].ID, w.req["R8"].ID}; !slices.Equal(ans.Total.Figures.OverdueFeedback.RequestIDs, want) {
			t.Errorf("overdue requests %v, want %v", ans.Total.Figures.OverdueFeedback.RequestIDs, want)
		}
		if len(ans.Definitions) != len(tables) || ans.Preamble == "" || ans.FeedbackReminderDays != 15 || ans.FeedbackGiveUpDays != 45 {
			t.Errorf("definitions %d for %d tables, preamble %q, periods %d/%d", len(ans.Definitions), len(tables), ans.Preamble,
				ans.FeedbackReminderDays, ans.FeedbackGiveUpDays)
		}
	})

	t.Run("the Province can look at one provider", func(t *testing.T) {
		ans := w.report(t, w.signIn(monitor), fmt.Sprintf("%s&provider_id=%d", period, w.providerA.ID))
		checkGroup(t, "total of A", ans.Tables(), isTotal, wantA)
		if ans.Scope.ProviderID == nil || *ans.Scope.ProviderID != w.providerA.ID || len(ans.Providers) != 1 || len(ans.Operators) != 2 {
			t.Errorf("scope %+v, %d providers, %d operators", ans.Scope, len(ans.Providers), len(ans.Operators))
		}
	})

	t.Run("an operator sees its own provider and not another's", func(t *testing.T) {
		b := w.signIn(operatorB)
		ans := w.report(t, b, period)
		checkGroup(t, "operator B's total", ans.Tables(), isTotal, wantB)
		if len(ans.Providers) != 1 || ans.Providers[0].ProviderID != w.providerB.ID || len(ans.Operators) != 1 {
			t.Errorf("operator B sees providers %+v and operators %+v", ans.Providers, ans.Operators)
		}
		for _, format := range []string{"json", "csv", "xlsx"} {
			status, body := b.do(http.MethodGet, fmt.Sprintf("/api/v1/reports/monitoring?%s&provider_id=%d&format=%s", period, w.providerA.ID, format), nil)
			wantStatus(t, status, body, http.StatusForbidden, "")
			if bytes.Contains(body, []byte("Centro per l'impiego A")) {
				t.Errorf("the refusal shows provider A: %s", body)
			}
		}
		own := w.report(t, w.signIn(operatorA), fmt.Sprintf("%s&provider_id=%d", period, w.providerA.ID))
		checkGroup(t, "operator A's total", own.Tables(), isTotal, wantA)
	})

	t.Run("the CSV reads back into the same figures", func(t *testing.T) {
		status, body, header := rawGet(t, w.signIn(monitor), "/api/v1/reports/monitoring?"+period+"&format=csv")
		wantStatus(t, status, body, http.StatusOK, "")
		if cd := header.Get("Content-Disposition"); cd != fmt.Sprintf(`attachment; filename="incontro-monitoring_%s_%s.csv"`, w.from, w.to) {
			t.Errorf("Content-Disposition = %q", cd)
		}
		if !strings.HasPrefix(header.Get("Content-Type"), "text/csv") {
			t.Errorf("Content-Type = %q", header.Get("Content-Type"))
		}
		records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(records[0], api.MonitoringCSVHeader) {
			t.Fatalf("header %v", records[0])
		}
		// Rebuild the tables from the lines and check them like the JSON.
		tables := tablesFromCSV(t, records[1:])
		checkGroup(t, "CSV total", tables, isTotal, wantTotal)
		checkGroup(t, "CSV provider B", tables, isProvider(w.providerB.ID), wantB)
		checkGroup(t, "CSV operator A2", tables, isOperator(w.opA2.ID), wantOpA2)
		want := []string{"hours_4D_selection", "operator", strconv.FormatInt(w.providerA.ID, 10), "Centro per l'impiego A",
			strconv.FormatInt(w.opA2.ID, 10), w.opA2.Name, "median_hours", ""}
		if !slices.ContainsFunc(records, func(r []string) bool { return slices.Equal(r, want) }) {
			t.Errorf("no line %v", want)
		}
		if !slices.ContainsFunc(records, func(r []string) bool {
			return slices.Equal(r, []string{"availability", "total", "", "", "", "", "rate", "0.7143"})
		}) {
			t.Error("no line for the total availability rate")
		}
	})

	t.Run("the XLSX opens with a sheet per section and numbers as numbers", func(t *testing.T) {
		status, body, header := rawGet(t, w.signIn(operatorA), "/api/v1/reports/monitoring?"+period+"&format=xlsx")
		wantStatus(t, status, body, http.StatusOK, "")
		if cd := header.Get("Content-Disposition"); cd != fmt.Sprintf(`attachment; filename="incontro-monitoring_%s_%s_provider-%d.xlsx"`, w.from, w.to, w.providerA.ID) {
			t.Errorf("Content-Disposition = %q", cd)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) != 17 || sheets[0] != "Report" || sheets[11] != "Funnel" {
			t.Fatalf("sheets %v", sheets)
		}
		cell := func(sheet, ref string) string {
			t.Helper()
			v, err := f.GetCellValue(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if cell("Report", "B2") != w.from || cell("Report", "B3") != w.to || !strings.Contains(cell("Report", "B4"), "Centro per l'impiego A") {
			t.Errorf("report sheet: from %q to %q scope %q", cell("Report", "B2"), cell("Report", "B3"), cell("Report", "B4"))
		}
		if cell("Report", "A12") != "requests" || !strings.HasPrefix(cell("Report", "C12"), "opened counts the requests") {
			t.Errorf("first definition: %q %q", cell("Report", "A12"), cell("Report", "C12"))
		}
		rows, err := f.GetRows("Funnel")
		if err != nil {
			t.Fatal(err)
		}
		wantHeader := []string{"Group", "Provider ID", "Provider", "Operator ID", "Operator", "found", "contacted", "available", "presented", "interviewed", "hired"}
		if !slices.Equal(rows[0], wantHeader) || !slices.Equal(rows[1], []string{"total", "", "", "", "", "7", "6", "4", "4", "2", "1"}) {
			t.Errorf("funnel sheet rows %v", rows[:2])
		}
		for _, ref := range []string{"F2", "K2"} {
			if typ, _ := f.GetCellType("Funnel", ref); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("Funnel!%s is text, want a number", ref)
			}
		}
		if v := cell("Hours 4C", "J2"); v != "0.5" {
			t.Errorf("the 4C share within the standard of A is %q, want 0.5", v)
		}
		if v := cell("Hours 4D selection", "K4"); v != "6.67" { // operator A
			t.Errorf("operator A's 4D selection median is %q, want 6.67", v)
		}
		if v := cell("Hours 4D selection", "K5"); v != "" { // operator A2 has no 4D time
			t.Errorf("an empty median is %q", v)
		}
	})
}

// rawGet answers a GET with its headers.
func rawGet(t *testing.T, c *client, path string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.w.ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b.Bytes(), resp.Header
}

// tablesFromCSV rebuilds the tables of the long CSV form.
func tablesFromCSV(t *testing.T, records [][]string) []matching.MonitoringTable {
	t.Helper()
	var out []matching.MonitoringTable
	rows := map[string]*matching.MonitoringRow{}
	for _, r := range records {
		section, kind, figure, value := r[0], r[1], r[6], r[7]
		if len(out) == 0 || out[len(out)-1].Section != section {
			out = append(out, matching.MonitoringTable{Section: section})
		}
		tb := &out[len(out)-1]
		id := func(s string) int64 {
			if s == "" {
				return 0
			}
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				t.Fatalf("id %q", s)
			}
			return n
		}
		g := matching.ReportGroup{Kind: kind, ProviderID: id(r[2]), ProviderName: r[3], OperatorID: id(r[4]), OperatorName: r[5]}
		key := fmt.Sprint(section, g)
		row := rows[key]
		if row == nil {
			tb.Rows = append(tb.Rows, matching.MonitoringRow{Group: g})
			row = &tb.Rows[len(tb.Rows)-1]
			rows = map[string]*matching.MonitoringRow{key: row} // rows of a section are contiguous
		}
		if len(tb.Rows) == 1 {
			tb.Columns = append(tb.Columns, figure)
		}
		var v *float64
		if value != "" {
			f, err := strconv.ParseFloat(value, 64)
			if err != nil {
				t.Fatalf("value %q of %s.%s is not a number", value, section, figure)
			}
			v = &f
		}
		row.Values = append(row.Values, v)
	}
	return out
}

func TestMonitoringReportRefusesBadQuestions(t *testing.T) {
	w := newWorld(t)
	mon := w.signIn(monitor)
	for _, tc := range []struct {
		name, query string
		status      int
		field       string
	}{
		{"a first day that is not a date", "from=2026-13-01&to=2026-12-31", http.StatusUnprocessableEntity, "from"},
		{"a last day that is not a date", "from=2026-01-01&to=31/12/2026", http.StatusUnprocessableEntity, "to"},
		{"a first day after the last", "from=2026-02-01&to=2026-01-31", http.StatusUnprocessableEntity, "to"},
		{"three years", "from=2023-01-01&to=2026-01-01", http.StatusUnprocessableEntity, "to"},
		{"a provider that is not a number", "provider_id=A", http.StatusUnprocessableEntity, "provider_id"},
		{"an unknown format", "format=pdf", http.StatusUnprocessableEntity, "format"},
		{"an unknown parameter", "operator_id=3", http.StatusUnprocessableEntity, "operator_id"},
		{"a provider that does not exist", "provider_id=999999", http.StatusNotFound, ""},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			status, body := mon.do(http.MethodGet, "/api/v1/reports/monitoring?"+tc.query, nil)
			wantStatus(t, status, body, tc.status, tc.field)
		})
	}
	t.Run("only the monitor and operators read it", func(t *testing.T) {
		for actor, want := range map[string]int{anonymous: http.StatusUnauthorized, admin: http.StatusForbidden,
			employer1: http.StatusForbidden, jobseeker1: http.StatusForbidden} {
			status, body := w.signIn(actor).do(http.MethodGet, "/api/v1/reports/monitoring", nil)
			wantStatus(t, status, body, want, "")
		}
	})
	t.Run("without dates it covers the 90 days ending today", func(t *testing.T) {
		status, body := mon.do(http.MethodGet, "/api/v1/reports/monitoring", nil)
		wantStatus(t, status, body, http.StatusOK, "")
		var ans api.MonitoringAnswer
		decode(t, body, &ans)
		today := w.clock.Now().In(trentoZone)
		if ans.Period.To != today.Format(time.DateOnly) || ans.Period.From != today.AddDate(0, 0, -89).Format(time.DateOnly) {
			t.Errorf("default period %s – %s", ans.Period.From, ans.Period.To)
		}
		// The world's requests were opened today.
		if ans.Total.Figures.Requests.Opened != 2 || len(ans.Providers) != 2 {
			t.Errorf("opened %d, providers %d", ans.Total.Figures.Requests.Opened, len(ans.Providers))
		}
	})
}
