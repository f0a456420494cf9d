package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
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
//
// Everything goes through the workflow's own actions, each at the time the
// clock is set to, so that the rules of the life cycle and the pipeline
// hold as they do for a real request: a request opens in intake and is
// taken to contacting; candidates are added by the operator or apply
// themselves; a contact moves its candidate (message left → contacted,
// available → available, not available, no answer → unreachable); a draft
// shortlist takes its available candidates to shortlisted and presenting it
// takes them to presented; the employer's feedback moves presented
// candidates to interviewed, hired or rejected. The operator moves a
// candidate by hand only where no action does (a rejection by the service,
// a withdrawal, a confirmation of availability without a logged contact).
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
	actor := func(u matching.User) store.Actor { return store.Actor{UserID: u.ID, Role: u.Role} }

	w.opA2 = w.addOperator("operatorA2", w.providerA.ID)
	opA, opB := w.users[operatorA], w.users[operatorB]
	bosses := map[int64]matching.User{w.employer1.ID: w.users[employer1], w.employer2.ID: w.users[employer2]}
	// Three jobseekers with a searchable CV, each with an account to apply with.
	var cands []matching.Candidate
	var seekers []matching.User
	for i := range 3 {
		c := matching.Candidate{GivenName: "Carla", FamilyName: fmt.Sprintf("Monitor %d", i), Email: fmt.Sprintf("carla.monitor%d@example.org", i),
			HomeMunicipality: "022205", MobilityKm: 20, Searchable: true, Presentation: matching.PresentNamed}
		must(db.CreateCandidate(ctx, &c), "candidate")
		u := matching.User{Email: c.Email, Name: c.GivenName + " " + c.FamilyName, Role: matching.RoleJobseeker, CandidateID: &c.ID}
		must(db.CreateUser(ctx, &u), "jobseeker")
		cands, seekers = append(cands, c), append(seekers, u)
	}

	// open publishes a vacancy of the employer and opens its request in
	// intake as the operator.
	open := func(name string, provider matching.Provider, employer matching.Employer, op matching.User, with4D bool,
		opened time.Time) matching.Request {
		w.clock.jumpTo(opened)
		v := matching.Vacancy{EmployerID: employer.ID, Title: "Offerta " + name, MunicipalityCode: employer.MunicipalityCode, ContractType: "permanent",
			Requirements: []matching.Requirement{{Rank: 1, Kind: matching.ReqLicence, Code: "B"}}}
		must(db.CreateVacancy(ctx, &v), "vacancy "+name)
		must(db.PublishVacancy(ctx, v.ID, "", &op.ID, nil), "publish "+name)
		r := matching.Request{ProviderID: provider.ID, EmployerID: employer.ID, VacancyID: v.ID, OperatorID: &op.ID, With4D: with4D}
		must(db.OpenRequest(ctx, &r, actor(op)), "request "+name)
		w.req[name] = r
		return r
	}
	// advance takes a request through states of its life cycle.
	advance := func(r matching.Request, op matching.User, when time.Time, states ...matching.RequestStatus) {
		w.clock.jumpTo(when)
		for _, to := range states {
			_, err := db.TransitionRequest(ctx, r.ID, matching.TransitionInput{To: to}, actor(op))
			must(err, fmt.Sprintf("request %d to %s", r.ID, to))
		}
	}
	// add adds a candidate found by search or referred.
	add := func(r matching.Request, op matching.User, cand int, source matching.Source, when time.Time) matching.PipelineEntry {
		w.clock.jumpTo(when)
		e, err := db.AddCandidate(ctx, store.NewEntry{RequestID: r.ID, CandidateID: cands[cand].ID, Source: source}, actor(op))
		must(err, "add a candidate")
		return e
	}
	// apply has a jobseeker apply to the request's vacancy, which brings
	// them into its pipeline as a self-application.
	apply := func(r matching.Request, cand int, when time.Time) matching.PipelineEntry {
		w.clock.jumpTo(when)
		_, err := db.Apply(ctx, r.VacancyID, cands[cand].ID, "Vorrei candidarmi.", when, actor(seekers[cand]))
		must(err, "apply")
		entries, err := db.PipelineEntries(ctx, r.ID)
		must(err, "pipeline")
		for _, e := range entries {
			if e.CandidateID != nil && *e.CandidateID == cands[cand].ID && e.Source == matching.SourceSelfApplication {
				return e
			}
		}
		t.Fatalf("monitoring world: candidate %d applied and is not in the pipeline of request %d", cands[cand].ID, r.ID)
		return matching.PipelineEntry{}
	}
	// byHand is an operator's stage move where no action makes it.
	byHand := func(e matching.PipelineEntry, op matching.User, when time.Time, to matching.Stage, reason string) {
		w.clock.jumpTo(when)
		_, err := db.MoveStage(ctx, e.ID, store.StageInput{To: to, Reason: reason}, actor(op))
		must(err, fmt.Sprintf("entry %d to %s", e.ID, to))
	}
	// contact logs a phone call, which moves the candidate as its outcome says.
	contact := func(e matching.PipelineEntry, op matching.User, when time.Time, outcome string) {
		w.clock.jumpTo(when)
		c := matching.Contact{EntryID: e.ID, Channel: "phone", Outcome: outcome, At: when}
		_, err := db.LogContact(ctx, &c, actor(op))
		must(err, "contact "+outcome)
	}
	// draft creates the request's shortlist, which shortlists its candidates.
	draft := func(r matching.Request, op matching.User, when time.Time, entries ...matching.PipelineEntry) matching.Shortlist {
		w.clock.jumpTo(when)
		sl := matching.Shortlist{RequestID: r.ID}
		for _, e := range entries {
			sl.Items = append(sl.Items, matching.ShortlistItem{EntryID: e.ID, Mode: "named"})
		}
		must(db.CreateShortlist(ctx, &sl, actor(op)), "shortlist")
		return sl
	}
	// present presents a draft: the request goes to shortlist_presented and
	// its candidates to presented.
	present := func(sl matching.Shortlist, op matching.User, when time.Time) {
		w.clock.jumpTo(when)
		_, err := db.PresentShortlist(ctx, sl.ID, actor(op), time.Time{})
		must(err, "present")
	}
	// feedback is the employer's answer on a presented candidate; a hire
	// starts a fortnight later on a permanent contract.
	feedback := func(r matching.Request, e matching.PipelineEntry, when time.Time, decision, reason string) {
		w.clock.jumpTo(when)
		fb := matching.Feedback{EntryID: e.ID, Decision: decision, Reason: reason}
		switch decision {
		case matching.DecisionInterviewPlanned:
			iv := when.Add(48 * time.Hour)
			fb.InterviewAt = &iv
		case matching.DecisionHired:
			start := when.AddDate(0, 0, 14)
			fb.StartDate, fb.ContractType = &start, "permanent"
		}
		must(db.AddFeedback(ctx, &fb, actor(bosses[r.EmployerID])), "feedback "+decision)
	}
	spend := func(r matching.Request, op matching.User, when time.Time, activity string, minutes int) {
		w.clock.jumpTo(when)
		te := matching.TimeEntry{RequestID: r.ID, UserID: &op.ID, Activity: activity, StartedAt: when, Minutes: minutes}
		must(db.RecordTimeEntry(ctx, &te, actor(op)), "time on "+activity)
	}
	closeAs := func(r matching.Request, op matching.User, when time.Time, o matching.Outcome, reason matching.CloseReason) {
		w.clock.jumpTo(when)
		_, err := db.TransitionRequest(ctx, r.ID, matching.TransitionInput{To: matching.StatusClosed, Outcome: &o, CloseReason: reason,
			Note: "chiusura con le ore registrate"}, actor(op))
		must(err, "close as "+string(o))
	}
	const (
		ranked, searching, contacting = matching.StatusRequirementsRanked, matching.StatusSearching, matching.StatusContacting
		contacted, rejected, withdrew = matching.StageContacted, matching.StageRejected, matching.StageWithdrew
		interviewHeld, notSelected    = matching.DecisionInterviewHeld, matching.DecisionNotSelected
	)
	search := matching.SourceSearch

	// R1
	r1 := open("R1", w.providerA, w.employer1, opA, false, at(1, 10))
	advance(r1, opA, at(1, 10), ranked, searching)
	e1, e2 := add(r1, opA, 0, search, at(1, 10)), add(r1, opA, 1, search, at(1, 10))
	advance(r1, opA, at(1, 10), contacting)
	spend(r1, opA, at(1, 11), "intake_interview", 60)
	spend(r1, opA, at(2, 9), "database_search", 90)
	contact(e1, opA, at(2, 10), "message_left") // found → contacted
	contact(e2, opA, at(2, 10), "no_answer")    // found → unreachable
	spend(r1, opA, at(3, 9), "candidate_contact", 90)
	e3 := apply(r1, 2, at(3, 10))
	contact(e1, opA, at(3, 10), "available") // contacted → available
	byHand(e3, opA, at(3, 10), contacted, "")
	contact(e3, opA, at(3, 11), "available") // contacted → available
	sl1 := draft(r1, opA, at(4, 10), e1, e3)
	spend(r1, opA, at(5, 9), "shortlist_presentation", 60)
	present(sl1, opA, at(5, 10))
	byHand(e2, opA, at(6, 10), rejected, "availability")
	feedback(r1, e1, at(8, 10), interviewHeld, "")           // presented → interviewed
	feedback(r1, e3, at(9, 10), notSelected, "experience")   // presented → rejected
	feedback(r1, e1, at(10, 10), matching.DecisionHired, "") // interviewed → hired
	closeAs(r1, opA, at(12, 10), matching.OutcomeFilled, matching.CloseHired)

	// R2, with the 4D phases: competence verification after the interview,
	// then selection support, and the employer chooses nobody.
	r2 := open("R2", w.providerA, w.employer1, opA, true, at(2, 10))
	advance(r2, opA, at(2, 10), ranked, searching)
	e4, e5 := add(r2, opA, 0, search, at(2, 10)), add(r2, opA, 1, search, at(2, 10))
	advance(r2, opA, at(2, 10), contacting)
	spend(r2, opA, at(2, 11), "intake_interview", 60)
	contact(e4, opA, at(3, 10), "available") // found → available
	spend(r2, opA, at(3, 11), "candidate_contact", 80)
	contact(e5, opA, at(4, 10), "awaiting_reply") // found → contacted
	spend(r2, opA, at(4, 11), "database_search", 60)
	contact(e5, opA, at(5, 10), "not_available") // contacted → not_available
	sl2 := draft(r2, opA, at(6, 10), e4)
	present(sl2, opA, at(7, 10))
	feedback(r2, e4, at(9, 10), interviewHeld, "") // presented → interviewed
	advance(r2, opA, at(9, 11), matching.StatusCompetenceVerification)
	must(db.AddCompetenceCheck(ctx, &matching.CompetenceCheck{EntryID: e4.ID, Competence: "patente B", Method: "document_check",
		Result: "confirmed"}, actor(opA)), "competence check")
	spend(r2, opA, at(9, 11), "competence_verification", 150)
	advance(r2, opA, at(15, 9), matching.StatusSelection)
	must(db.AddSelectionSession(ctx, &matching.SelectionSession{RequestID: r2.ID, HeldAt: at(15, 9), Participants: "titolare, operatore",
		Note: "confronto sui candidati presentati"}, actor(opA)), "selection session")
	spend(r2, opA, at(15, 9), "selection_support", 400)
	feedback(r2, e4, at(19, 10), notSelected, "skills_gap") // interviewed → rejected
	closeAs(r2, opA, at(20, 10), matching.OutcomeNotFilled, matching.CloseCandidatesRejected)

	// R3
	r3 := open("R3", w.providerA, w.employer1, w.opA2, false, at(5, 10))
	advance(r3, w.opA2, at(5, 10), ranked, searching)
	e6 := add(r3, w.opA2, 0, search, at(5, 10))
	advance(r3, w.opA2, at(5, 10), contacting)
	spend(r3, w.opA2, at(5, 11), "intake_interview", 120)
	e7 := add(r3, w.opA2, 1, matching.SourceReferral, at(6, 10))
	contact(e6, w.opA2, at(6, 10), "message_left") // found → contacted
	contact(e6, w.opA2, at(7, 10), "available")    // contacted → available
	byHand(e7, w.opA2, at(7, 10), rejected, "distance")
	sl3 := draft(r3, w.opA2, at(7, 11), e6)
	present(sl3, w.opA2, at(8, 10))
	contact(e6, w.opA2, at(31, 10), "message_left") // after the period; a presented candidate stays presented

	// R4
	r4 := open("R4", w.providerA, w.employer1, w.opA2, false, at(-10, 10))
	advance(r4, w.opA2, at(-10, 10), ranked, searching)
	e8 := add(r4, w.opA2, 0, search, at(-10, 10))
	advance(r4, w.opA2, at(-10, 10), contacting)
	contact(e8, w.opA2, at(-5, 10), "available") // found → available
	sl4 := draft(r4, w.opA2, at(2, 10), e8)
	present(sl4, w.opA2, at(3, 10)) // the availability confirmed on d-5 is 8 days old
	feedback(r4, e8, at(4, 10), matching.DecisionInterviewPlanned, "")

	// R5 and R6
	r5 := open("R5", w.providerA, w.employer1, opA, false, at(25, 10))
	spend(r5, opA, at(25, 11), "intake_interview", 30)
	closeAs(r5, opA, at(26, 10), matching.OutcomeCancelled, matching.CloseEnteredInError)
	r6 := open("R6", w.providerA, w.employer1, opA, false, at(-40, 10))
	closeAs(r6, opA, at(-35, 10), matching.OutcomeWithdrawn, matching.CloseEmployerWithdrew)

	// R7
	r7 := open("R7", w.providerB, w.employer2, opB, false, at(3, 10))
	advance(r7, opB, at(3, 10), ranked, searching)
	e9, e10 := apply(r7, 0, at(3, 10)), add(r7, opB, 1, search, at(3, 10))
	advance(r7, opB, at(3, 10), contacting)
	spend(r7, opB, at(3, 11), "intake_interview", 120)
	contact(e9, opB, at(4, 10), "available") // found → available
	spend(r7, opB, at(4, 11), "candidate_contact", 120)
	sl7 := draft(r7, opB, at(4, 12), e9)
	present(sl7, opB, at(5, 10))
	spend(r7, opB, at(5, 11), "shortlist_presentation", 150)
	byHand(e10, opB, at(6, 10), withdrew, "")
	feedback(r7, e9, at(15, 10), matching.DecisionHired, "") // presented → hired
	spend(r7, opB, at(15, 11), "outcome_recording", 150)
	closeAs(r7, opB, at(16, 10), matching.OutcomeFilled, matching.CloseHired)

	// R8
	r8 := open("R8", w.providerB, w.employer2, opB, false, at(32, 10))
	advance(r8, opB, at(32, 10), ranked, searching)
	e11, e12 := apply(r8, 0, at(32, 10)), add(r8, opB, 1, search, at(32, 10))
	advance(r8, opB, at(32, 10), contacting)
	byHand(e11, opB, at(33, 10), matching.StageAvailable, "") // confirmed in person, without a logged contact
	byHand(e12, opB, at(33, 10), rejected, "salary")
	sl8 := draft(r8, opB, at(33, 10), e11)
	present(sl8, opB, at(40, 10))

	// The actions left every candidate and request where the table says.
	for i, want := range []struct {
		e     matching.PipelineEntry
		stage matching.Stage
	}{
		{e1, matching.StageHired}, {e2, rejected}, {e3, rejected}, {e4, rejected}, {e5, matching.StageNotAvailable},
		{e6, matching.StagePresented}, {e7, rejected}, {e8, matching.StagePresented}, {e9, matching.StageHired}, {e10, withdrew},
		{e11, matching.StagePresented}, {e12, rejected},
	} {
		got, err := db.PipelineEntry(ctx, want.e.ID)
		must(err, "entry")
		if got.Stage != want.stage {
			t.Fatalf("monitoring world: e%d is %s, want %s", i+1, got.Stage, want.stage)
		}
	}
	for name, want := range map[string]matching.RequestStatus{"R1": matching.StatusClosed, "R2": matching.StatusClosed,
		"R3": matching.StatusShortlistPresented, "R4": matching.StatusShortlistPresented, "R5": matching.StatusClosed,
		"R6": matching.StatusClosed, "R7": matching.StatusClosed, "R8": matching.StatusShortlistPresented} {
		r, err := db.Request(ctx, w.req[name].ID)
		must(err, "request "+name)
		if r.Status != want {
			t.Fatalf("monitoring world: %s is %s, want %s", name, r.Status, want)
		}
		w.req[name] = r
	}

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
