package matching_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"incontro/matching"
)

// wantCode checks that err carries the code and field (field "" when the
// error names none).
func wantCode(tb testing.TB, err error, code, field string) {
	tb.Helper()
	if got := matching.ErrorCode(err); got != code {
		tb.Fatalf("ErrorCode = %q, want %q (error: %v)", got, code, err)
	}
	if code != "" && matching.ErrorField(err) != field {
		tb.Errorf("ErrorField = %q, want %q (error: %v)", matching.ErrorField(err), field, err)
	}
}

const (
	intake      = matching.StatusIntake
	ranked      = matching.StatusRequirementsRanked
	searching   = matching.StatusSearching
	contacting  = matching.StatusContacting
	presented   = matching.StatusShortlistPresented
	awaiting    = matching.StatusAwaitingFeedback
	verifying   = matching.StatusCompetenceVerification
	selecting   = matching.StatusSelection
	closedState = matching.StatusClosed
)

// lifeCycle is the life cycle as the issue states it, written out apart
// from the table in lifecycle.go: where an operator may move a request
// from each state, and which moves are taken by an action.
var lifeCycle = map[matching.RequestStatus][]matching.RequestStatus{
	intake:      {ranked, closedState},
	ranked:      {intake, searching, closedState},
	searching:   {contacting, closedState},
	contacting:  {searching, presented, closedState},
	presented:   {presented, awaiting, contacting, verifying, closedState},
	awaiting:    {presented, contacting, verifying, closedState},
	verifying:   {selecting, closedState},
	selecting:   {closedState},
	closedState: {},
}

// fullFacts satisfies every precondition: a request with all of it done
// and the time of the standard recorded.
func fullFacts() matching.RequestFacts {
	return matching.RequestFacts{Requirements: 3, MatchRuns: 1, Entries: 4, Presented: 2, PresentedVersions: 1, Feedback: 1,
		Hired: 0, CompetenceChecks: 1, SelectionSessions: 1,
		Minutes: map[matching.Phase]int{matching.Phase4C: 300, matching.Phase4DVerification: 150, matching.Phase4DSelection: 150}}
}

func requestIn(s matching.RequestStatus) *matching.Request {
	r := validRequest()
	r.ID, r.Status = 7, s
	if s == closedState {
		o, cr := matching.OutcomeCancelled, matching.CloseDuplicate
		r.Outcome, r.CloseReason = &o, &cr
	}
	return &r
}

// inputFor is a well-formed request to move to s.
func inputFor(to matching.RequestStatus) matching.TransitionInput {
	in := matching.TransitionInput{To: to}
	switch to {
	case closedState:
		in.Outcome, in.CloseReason = ptr(matching.OutcomeCancelled), matching.CloseDuplicate
	case presented:
		in.Action = matching.ActionPresent
	}
	return in
}

func TestEveryTransitionOfTheTable(t *testing.T) {
	for _, from := range matching.RequestStatuses() {
		for _, to := range matching.RequestStatuses() {
			allowed := slices.Contains(lifeCycle[from], to)
			t.Run(fmt.Sprintf("%s to %s", from, to), func(t *testing.T) {
				in, f := inputFor(to), fullFacts()
				err := matching.CheckTransition(requestIn(from), matching.RoleOperator, &in, &f)
				if allowed {
					wantCode(t, err, "", "")
					return
				}
				wantCode(t, err, matching.ECONFLICT, "status")
			})
		}
	}
}

func TestAStateReachedByAnActionIsNotAskedFor(t *testing.T) {
	f := fullFacts()
	in := matching.TransitionInput{To: presented}
	err := matching.CheckTransition(requestIn(contacting), matching.RoleOperator, &in, &f)
	wantCode(t, err, matching.ECONFLICT, "status")
	if !strings.Contains(matching.ErrorMessage(err), "present shortlist") {
		t.Errorf("message %q does not say which action", matching.ErrorMessage(err))
	}
	if got := matching.ReachedBy(contacting, presented); got != matching.ActionPresent {
		t.Errorf("ReachedBy = %q", got)
	}
	t.Run("a match run starts the search from ranked requirements", func(t *testing.T) {
		in := matching.TransitionInput{To: searching, Action: matching.ActionMatchRun}
		wantCode(t, matching.CheckTransition(requestIn(ranked), matching.RoleOperator, &in, &f), "", "")
		if !matching.MatchMoves(requestIn(ranked)) || matching.MatchMoves(requestIn(searching)) || matching.MatchMoves(requestIn(contacting)) {
			t.Error("MatchMoves should hold only from requirements_ranked")
		}
	})
}

func TestNextStates(t *testing.T) {
	for _, from := range matching.RequestStatuses() {
		t.Run("an operator from "+string(from), func(t *testing.T) {
			var want []matching.RequestStatus
			for _, s := range matching.RequestStatuses() { // in life-cycle order
				if slices.Contains(lifeCycle[from], s) && s != presented {
					want = append(want, s)
				}
			}
			if got := matching.NextStates(requestIn(from), matching.RoleOperator); !slices.Equal(got, want) {
				t.Errorf("NextStates = %v, want %v", got, want)
			}
		})
		t.Run("an employer from "+string(from), func(t *testing.T) {
			var want []matching.RequestStatus
			if from != closedState {
				want = []matching.RequestStatus{closedState}
			}
			if got := matching.NextStates(requestIn(from), matching.RoleEmployer); !slices.Equal(got, want) {
				t.Errorf("NextStates = %v, want %v", got, want)
			}
		})
	}
	if got := matching.NextStates(requestIn(searching), matching.RoleMonitor); len(got) != 0 {
		t.Errorf("the monitor may move a request to %v", got)
	}
}

func TestTransitionRolesAndPreconditions(t *testing.T) {
	withFacts := func(change func(*matching.RequestFacts)) matching.RequestFacts {
		f := fullFacts()
		change(&f)
		return f
	}
	closeAs := func(o matching.Outcome, r matching.CloseReason, note string) matching.TransitionInput {
		return matching.TransitionInput{To: closedState, Outcome: &o, CloseReason: r, Note: note}
	}
	under := withFacts(func(f *matching.RequestFacts) { f.Minutes = map[matching.Phase]int{matching.Phase4C: 90} })
	hired := withFacts(func(f *matching.RequestFacts) { f.Hired = 1 })
	tests := []struct {
		name        string
		from        matching.RequestStatus
		role        matching.Role
		in          matching.TransitionInput
		facts       matching.RequestFacts
		code, field string
		words       string
	}{
		{"ranking needs requirements", intake, matching.RoleOperator, inputFor(ranked),
			withFacts(func(f *matching.RequestFacts) { f.Requirements = 0 }), matching.ECONFLICT, "status", "requirements"},
		{"contacting needs candidates", searching, matching.RoleOperator, inputFor(contacting),
			withFacts(func(f *matching.RequestFacts) { f.Entries = 0 }), matching.ECONFLICT, "status", "pipeline"},
		{"competence verification needs a presented candidate", presented, matching.RoleOperator, inputFor(verifying),
			withFacts(func(f *matching.RequestFacts) { f.Presented = 0 }), matching.ECONFLICT, "status", "presented"},
		{"selection needs a competence check", verifying, matching.RoleOperator, inputFor(selecting),
			withFacts(func(f *matching.RequestFacts) { f.CompetenceChecks = 0 }), matching.ECONFLICT, "status", "competence"},
		{"an employer may not rank", intake, matching.RoleEmployer, inputFor(ranked), fullFacts(), matching.EFORBIDDEN, "", "employer"},
		{"a jobseeker may not close", searching, matching.RoleJobseeker, closeAs(matching.OutcomeWithdrawn, matching.CloseEmployerWithdrew, ""),
			fullFacts(), matching.EFORBIDDEN, "", ""},
		{"the monitor may not close", searching, matching.RoleMonitor, inputFor(closedState), fullFacts(), matching.EFORBIDDEN, "", ""},
		{"an employer closes only by withdrawing", searching, matching.RoleEmployer, inputFor(closedState), fullFacts(),
			matching.EFORBIDDEN, "", "withdrawing"},
		{"an employer withdraws, under the standard and without a note", searching, matching.RoleEmployer,
			closeAs(matching.OutcomeWithdrawn, matching.CloseFilledElsewhere, ""), under, "", "", ""},
		{"closing needs an outcome", searching, matching.RoleOperator, matching.TransitionInput{To: closedState}, fullFacts(),
			matching.EINVALID, "outcome", "required"},
		{"an unknown outcome", searching, matching.RoleOperator, closeAs("lost", matching.CloseOther, "x"), fullFacts(),
			matching.EINVALID, "outcome", "lost"},
		{"closing needs a reason", searching, matching.RoleOperator, closeAs(matching.OutcomeNotFilled, "", ""), fullFacts(),
			matching.EINVALID, "close_reason", "no_suitable_candidates"},
		{"a reason of another outcome", searching, matching.RoleOperator, closeAs(matching.OutcomeNotFilled, matching.CloseDuplicate, ""),
			fullFacts(), matching.EINVALID, "close_reason", "duplicate"},
		{"the reason other needs a note", searching, matching.RoleOperator, closeAs(matching.OutcomeNotFilled, matching.CloseOther, " "),
			fullFacts(), matching.EINVALID, "note", ""},
		{"filled needs a hire", awaiting, matching.RoleOperator, closeAs(matching.OutcomeFilled, matching.CloseHired, ""), fullFacts(),
			matching.ECONFLICT, "status", "hired"},
		{"filled from a presented shortlist", contacting, matching.RoleOperator, closeAs(matching.OutcomeFilled, matching.CloseHired, ""), hired,
			matching.ECONFLICT, "status", "present"},
		{"filled with a hire after the presentation", awaiting, matching.RoleOperator, closeAs(matching.OutcomeFilled, matching.CloseHired, ""),
			hired, "", "", ""},
		{"not filled with a hire", awaiting, matching.RoleOperator, closeAs(matching.OutcomeNotFilled, matching.CloseCandidatesRejected, ""),
			hired, matching.ECONFLICT, "status", "filled"},
		{"no answer without a presentation", contacting, matching.RoleOperator, closeAs(matching.OutcomeNotFilled, matching.CloseNoAnswer, ""),
			withFacts(func(f *matching.RequestFacts) { f.PresentedVersions = 0 }), matching.ECONFLICT, "status", "presented"},
		{"under the standard without a note", searching, matching.RoleOperator,
			closeAs(matching.OutcomeNotFilled, matching.CloseNoSuitableCandidate, ""), under, matching.EINVALID, "note", "1 h 30 min"},
		{"under the standard with a note", searching, matching.RoleOperator,
			closeAs(matching.OutcomeNotFilled, matching.CloseNoSuitableCandidate, "nessuno"), under, "", "", ""},
		{"a cancelled request is not held to the standard", searching, matching.RoleOperator,
			closeAs(matching.OutcomeCancelled, matching.CloseEnteredInError, ""), under, "", "", ""},
		{"a 4D request is held to each phase", verifying, matching.RoleOperator,
			closeAs(matching.OutcomeNotFilled, matching.CloseCandidatesRejected, ""),
			withFacts(func(f *matching.RequestFacts) { f.Minutes[matching.Phase4DSelection] = 30 }), matching.EINVALID, "note", "4D_selection"},
		{"an outcome without closing", searching, matching.RoleOperator,
			matching.TransitionInput{To: contacting, Outcome: ptr(matching.OutcomeFilled)}, fullFacts(), matching.EINVALID, "outcome", ""},
		{"a note too long", searching, matching.RoleOperator,
			matching.TransitionInput{To: contacting, Note: strings.Repeat("n", 2001)}, fullFacts(), matching.EINVALID, "note", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := requestIn(tt.from)
			r.With4D = tt.from == verifying
			in, f := tt.in, tt.facts
			err := matching.CheckTransition(r, tt.role, &in, &f)
			wantCode(t, err, tt.code, tt.field)
			if tt.words != "" && !strings.Contains(matching.ErrorMessage(err), tt.words) {
				t.Errorf("message %q does not mention %q", matching.ErrorMessage(err), tt.words)
			}
		})
	}
	t.Run("an illegal move names where the request can go", func(t *testing.T) {
		in, f := inputFor(contacting), fullFacts()
		err := matching.CheckTransition(requestIn(intake), matching.RoleOperator, &in, &f)
		if msg := matching.ErrorMessage(err); !strings.Contains(msg, "requirements_ranked, closed") {
			t.Errorf("message %q", msg)
		}
	})
}

// stageMoves is the pipeline's table as the issue describes it, written
// out apart from lifecycle.go.
var stageMoves = map[matching.Stage][]matching.Stage{
	matching.StageFound:        {matching.StageContacted, matching.StageAvailable, matching.StageNotAvailable, matching.StageUnreachable, matching.StageRejected, matching.StageWithdrew},
	matching.StageContacted:    {matching.StageAvailable, matching.StageNotAvailable, matching.StageUnreachable, matching.StageRejected, matching.StageWithdrew},
	matching.StageUnreachable:  {matching.StageContacted, matching.StageAvailable, matching.StageNotAvailable, matching.StageRejected, matching.StageWithdrew},
	matching.StageNotAvailable: {matching.StageContacted, matching.StageAvailable, matching.StageWithdrew},
	matching.StageAvailable:    {matching.StageShortlisted, matching.StageNotAvailable, matching.StageRejected, matching.StageWithdrew},
	matching.StageShortlisted:  {matching.StagePresented, matching.StageAvailable, matching.StageNotAvailable, matching.StageRejected, matching.StageWithdrew},
	matching.StagePresented:    {matching.StageInterviewed, matching.StageHired, matching.StageRejected, matching.StageWithdrew},
	matching.StageInterviewed:  {matching.StageHired, matching.StageRejected, matching.StageWithdrew},
	matching.StageHired:        {matching.StageWithdrew},
	matching.StageRejected:     {},
	matching.StageWithdrew:     {matching.StageAvailable},
}

func TestCheckStageMoveAndNextStages(t *testing.T) {
	for _, from := range matching.Stages() {
		for _, to := range matching.Stages() {
			allowed := slices.Contains(stageMoves[from], to)
			err := matching.CheckStageMove(from, to)
			if allowed != (err == nil) {
				t.Errorf("%s → %s: %v, want allowed %v", from, to, err, allowed)
			}
			if !allowed {
				wantCode(t, err, matching.ECONFLICT, "stage")
			}
		}
		if got := matching.NextStages(from); !slices.Equal(got, stageMoves[from]) {
			t.Errorf("NextStages(%s) = %v, want %v", from, got, stageMoves[from])
		}
	}
	if msg := matching.ErrorMessage(matching.CheckStageMove(matching.StageRejected, matching.StageFound)); !strings.Contains(msg, "no other stage") {
		t.Errorf("a rejected candidate's message: %q", msg)
	}
}

func TestCheckStageMoveBy(t *testing.T) {
	tests := []struct {
		name        string
		role        matching.Role
		from, to    matching.Stage
		reason      string
		code, field string
	}{
		{"an operator contacts", matching.RoleOperator, matching.StageFound, matching.StageContacted, "", "", ""},
		{"an operator rejects with a reason", matching.RoleOperator, matching.StageAvailable, matching.StageRejected, "distance", "", ""},
		{"an operator rejects without one", matching.RoleOperator, matching.StageAvailable, matching.StageRejected, "", matching.EINVALID, "reason"},
		{"an unknown reason", matching.RoleOperator, matching.StageAvailable, matching.StageRejected, "age", matching.EINVALID, "reason"},
		{"a reason without a rejection", matching.RoleOperator, matching.StageFound, matching.StageContacted, "distance", matching.EINVALID, "reason"},
		{"an unknown stage", matching.RoleOperator, matching.StageFound, "lost", "", matching.EINVALID, "to"},
		{"presenting by hand", matching.RoleOperator, matching.StageShortlisted, matching.StagePresented, "", matching.ECONFLICT, "to"},
		{"interviewed by hand", matching.RoleOperator, matching.StagePresented, matching.StageInterviewed, "", matching.ECONFLICT, "to"},
		{"hired by hand", matching.RoleOperator, matching.StagePresented, matching.StageHired, "", matching.ECONFLICT, "to"},
		{"a move the table refuses", matching.RoleOperator, matching.StageFound, matching.StageShortlisted, "", matching.ECONFLICT, "stage"},
		{"a jobseeker withdraws", matching.RoleJobseeker, matching.StagePresented, matching.StageWithdrew, "", "", ""},
		{"a jobseeker withdraws twice", matching.RoleJobseeker, matching.StageWithdrew, matching.StageWithdrew, "", matching.ECONFLICT, "stage"},
		{"a jobseeker makes themselves available", matching.RoleJobseeker, matching.StageFound, matching.StageAvailable, "", matching.EFORBIDDEN, ""},
		{"an employer moves a candidate", matching.RoleEmployer, matching.StagePresented, matching.StageInterviewed, "", matching.EFORBIDDEN, ""},
		{"the monitor moves a candidate", matching.RoleMonitor, matching.StageFound, matching.StageContacted, "", matching.EFORBIDDEN, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, matching.CheckStageMoveBy(tt.role, tt.from, tt.to, tt.reason), tt.code, tt.field)
		})
	}
}

func TestContactStage(t *testing.T) {
	tests := []struct {
		from    matching.Stage
		outcome string
		to      matching.Stage
		moves   bool
	}{
		{matching.StageFound, "available", matching.StageAvailable, true},
		{matching.StageFound, "not_available", matching.StageNotAvailable, true},
		{matching.StageFound, "no_answer", matching.StageUnreachable, true},
		{matching.StageFound, "wrong_contact", matching.StageUnreachable, true},
		{matching.StageFound, "message_left", matching.StageContacted, true},
		{matching.StageContacted, "awaiting_reply", matching.StageContacted, false},
		{matching.StageUnreachable, "awaiting_reply", matching.StageContacted, true},
		{matching.StageAvailable, "available", matching.StageAvailable, false},
		{matching.StageAvailable, "no_answer", matching.StageAvailable, false},
		{matching.StageNotAvailable, "available", matching.StageAvailable, true},
		{matching.StageShortlisted, "available", matching.StageShortlisted, false},
		{matching.StageShortlisted, "no_answer", matching.StageShortlisted, false},
		{matching.StageShortlisted, "not_available", matching.StageNotAvailable, true},
		{matching.StagePresented, "not_available", matching.StagePresented, false},
		{matching.StageRejected, "available", matching.StageRejected, false},
		{matching.StageWithdrew, "available", matching.StageAvailable, true},
		{matching.StageFound, "whatever", matching.StageFound, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s after %s", tt.outcome, tt.from), func(t *testing.T) {
			to, moves := matching.ContactStage(tt.from, tt.outcome)
			if to != tt.to || moves != tt.moves {
				t.Errorf("ContactStage = %s %v, want %s %v", to, moves, tt.to, tt.moves)
			}
		})
	}
	for _, tt := range []struct {
		after   matching.Stage
		outcome string
		want    bool
	}{
		{matching.StageAvailable, "available", true},
		{matching.StageShortlisted, "available", true},
		{matching.StagePresented, "available", true},
		{matching.StageInterviewed, "available", true},
		{matching.StageRejected, "available", false},
		{matching.StageHired, "available", false},
		{matching.StageAvailable, "message_left", false},
	} {
		if got := matching.RefreshesAvailability(tt.after, tt.outcome); got != tt.want {
			t.Errorf("RefreshesAvailability(%s, %s) = %v, want %v", tt.after, tt.outcome, got, tt.want)
		}
	}
}

func TestAvailabilityFreshAndItsState(t *testing.T) {
	s := matching.DefaultWorkflowSettings()
	now := monday
	tests := []struct {
		name      string
		confirmed *time.Time
		fresh     bool
		state     string
	}{
		{"never confirmed", nil, false, "none"},
		{"confirmed today", ptr(now.Add(-time.Hour)), true, "fresh"},
		{"confirmed 10 days ago", ptr(now.Add(-10 * matching.Day)), true, "fresh"},
		{"confirmed 11 days and a minute ago, running out within 3 days", ptr(now.Add(-11*matching.Day - time.Minute)), true, "expiring"},
		{"confirmed exactly 14 days ago", ptr(now.Add(-14 * matching.Day)), true, "expiring"},
		{"confirmed 14 days and a second ago", ptr(now.Add(-14*matching.Day - time.Second)), false, "expired"},
		{"a confirmation within a minute of the clock", ptr(now.Add(30 * time.Second)), true, "fresh"},
		{"a confirmation in the future", ptr(now.Add(time.Hour)), false, "expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := matching.AvailabilityFresh(tt.confirmed, now, s); got != tt.fresh {
				t.Errorf("AvailabilityFresh = %v, want %v", got, tt.fresh)
			}
			if got := matching.AvailabilityState(tt.confirmed, now, s); got != tt.state {
				t.Errorf("AvailabilityState = %q, want %q", got, tt.state)
			}
		})
	}
	t.Run("an office may set a longer period", func(t *testing.T) {
		long := s
		long.AvailabilityValidity = 30 * matching.Day
		if !matching.AvailabilityFresh(ptr(now.Add(-20*matching.Day)), now, long) {
			t.Error("a 20-day-old confirmation should hold for 30 days")
		}
	})
	t.Run("the settings are checked", func(t *testing.T) {
		wantValid(t, s.Validate())
		bad := s
		bad.AvailabilityValidity = time.Hour
		wantInvalid(t, bad.Validate(), "availability_validity")
		bad = s
		bad.FeedbackGiveUp = bad.FeedbackReminder
		wantInvalid(t, bad.Validate(), "feedback_give_up")
	})
}

func TestFeedbackDue(t *testing.T) {
	s := matching.DefaultWorkflowSettings()
	shown := monday
	tests := []struct {
		name         string
		status       matching.RequestStatus
		presentedAt  *time.Time
		feedback     *time.Time
		now          time.Time
		reminder     bool
		proposeClose bool
		hasDates     bool
	}{
		{"nothing presented", searching, nil, nil, shown.Add(100 * matching.Day), false, false, false},
		{"presented a week ago", presented, &shown, nil, shown.Add(7 * matching.Day), false, false, true},
		{"presented 15 days ago", awaiting, &shown, nil, shown.Add(15 * matching.Day), true, false, true},
		{"presented 45 days ago", awaiting, &shown, nil, shown.Add(45 * matching.Day), true, true, true},
		{"feedback since the presentation", awaiting, &shown, ptr(shown.Add(2 * matching.Day)), shown.Add(60 * matching.Day), false, false, false},
		{"feedback only on an earlier version", awaiting, &shown, ptr(shown.Add(-matching.Day)), shown.Add(20 * matching.Day), true, false, true},
		{"a request in 4D owes no reminder", verifying, &shown, nil, shown.Add(60 * matching.Day), false, false, false},
		{"a closed request owes no reminder", closedState, &shown, nil, shown.Add(60 * matching.Day), false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := matching.FeedbackDue(tt.status, tt.presentedAt, tt.feedback, tt.now, s)
			if st.ReminderDue != tt.reminder || st.ProposeClose != tt.proposeClose || (st.ReminderAt != nil) != tt.hasDates {
				t.Errorf("FeedbackDue = %+v", st)
			}
			if tt.hasDates && (!st.ReminderAt.Equal(shown.Add(15*matching.Day)) || !st.ProposeAt.Equal(shown.Add(45*matching.Day))) {
				t.Errorf("reminder at %v, propose at %v", st.ReminderAt, st.ProposeAt)
			}
		})
	}
}

func TestCheckPresentable(t *testing.T) {
	s := matching.DefaultWorkflowSettings()
	now := monday
	named, blind, none := matching.PresentNamed, matching.PresentBlind, matching.PresentNone
	fresh, stale := ptr(now.Add(-2*matching.Day)), ptr(now.Add(-20*matching.Day))
	item := func(p *matching.Presentation, mode string, st matching.Stage, at *time.Time, override string) matching.PresentableItem {
		return matching.PresentableItem{Position: 1, Stage: st, Presentation: p, Mode: mode, ConfirmedAt: at, Override: override}
	}
	ok := item(&named, "named", matching.StageShortlisted, fresh, "")
	tests := []struct {
		name        string
		items       []matching.PresentableItem
		code, field string
	}{
		{"a named and a blind candidate, both confirmed", []matching.PresentableItem{ok, item(&blind, "blind", matching.StageAvailable, fresh, "")}, "", ""},
		{"a stale confirmation with an override beside a fresh one", []matching.PresentableItem{ok,
			item(&named, "named", matching.StagePresented, stale, "confermata a voce ieri")}, "", ""},
		{"an empty shortlist", nil, matching.EINVALID, "items"},
		{"a candidate erased", []matching.PresentableItem{item(nil, "named", matching.StageAvailable, fresh, "")}, matching.EINVALID, "items[0].mode"},
		{"a candidate who did not agree", []matching.PresentableItem{item(&none, "named", matching.StageAvailable, fresh, "")}, matching.EINVALID, "items[0].mode"},
		{"a blind candidate named", []matching.PresentableItem{ok, item(&blind, "named", matching.StageAvailable, fresh, "")}, matching.EINVALID, "items[1].mode"},
		{"a candidate not available", []matching.PresentableItem{item(&named, "named", matching.StageContacted, fresh, "")}, matching.ECONFLICT, "items[0].entry_id"},
		{"a stale confirmation without an override", []matching.PresentableItem{ok, item(&named, "named", matching.StageAvailable, stale, "")},
			matching.ECONFLICT, "items[1].override_note"},
		{"a candidate never confirmed", []matching.PresentableItem{item(&named, "named", matching.StageAvailable, nil, "")},
			matching.ECONFLICT, "items[0].override_note"},
		{"only overrides, no current confirmation", []matching.PresentableItem{item(&named, "named", matching.StageAvailable, stale, "ok")},
			matching.ECONFLICT, "items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, matching.CheckPresentable(tt.items, now, s), tt.code, tt.field)
		})
	}
}

func TestSummarizeTime(t *testing.T) {
	entry := func(p matching.Phase, activity string, minutes int) matching.TimeEntry {
		return matching.TimeEntry{Phase: p, Activity: activity, Minutes: minutes}
	}
	r4c := validRequest()
	r4d := validRequest()
	r4d.With4D = true
	tests := []struct {
		name    string
		r       matching.Request
		entries []matching.TimeEntry
		want    map[matching.Phase]string
		total   int
		over    []matching.Phase
	}{
		{"no time is under", r4c, nil, map[matching.Phase]string{matching.Phase4C: "under"}, 0, []matching.Phase{}},
		{"4 hours is within", r4c, []matching.TimeEntry{entry(matching.Phase4C, "intake_interview", 60), entry(matching.Phase4C, "database_search", 180)},
			map[matching.Phase]string{matching.Phase4C: "within"}, 240, []matching.Phase{}},
		{"8 hours is within", r4c, []matching.TimeEntry{entry(matching.Phase4C, "candidate_contact", 480)},
			map[matching.Phase]string{matching.Phase4C: "within"}, 480, []matching.Phase{}},
		{"8 hours and a minute is over", r4c, []matching.TimeEntry{entry(matching.Phase4C, "candidate_contact", 480), entry(matching.Phase4C, "outcome_recording", 1)},
			map[matching.Phase]string{matching.Phase4C: "over"}, 481, []matching.Phase{matching.Phase4C}},
		{"a 4D request shows each phase", r4d, []matching.TimeEntry{entry(matching.Phase4C, "candidate_contact", 300),
			entry(matching.Phase4DVerification, "competence_verification", 119), entry(matching.Phase4DSelection, "selection_support", 400)},
			map[matching.Phase]string{matching.Phase4C: "within", matching.Phase4DVerification: "under", matching.Phase4DSelection: "over"},
			819, []matching.Phase{matching.Phase4DSelection}},
		{"4D time on a request not marked 4D still shows", r4c, []matching.TimeEntry{entry(matching.Phase4DVerification, "competence_verification", 150)},
			map[matching.Phase]string{matching.Phase4C: "under", matching.Phase4DVerification: "within"}, 150, []matching.Phase{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum := matching.SummarizeTime(&tt.r, tt.entries)
			got := map[matching.Phase]string{}
			for _, p := range sum.Phases {
				got[p.Phase] = p.State
				b, _ := matching.StandardBand(p.Phase)
				if p.MinMinutes != int(b.Min/time.Minute) || p.MaxMinutes != int(b.Max/time.Minute) {
					t.Errorf("phase %s band %d–%d", p.Phase, p.MinMinutes, p.MaxMinutes)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || sum.TotalMinutes != tt.total || !slices.Equal(sum.Over, tt.over) {
				t.Errorf("SummarizeTime = %+v", sum)
			}
			if sum.Phases[0].Phase != matching.Phase4C {
				t.Errorf("the first phase is %s, want 4C", sum.Phases[0].Phase)
			}
		})
	}
	t.Run("minutes are summed per activity", func(t *testing.T) {
		sum := matching.SummarizeTime(&r4c, []matching.TimeEntry{entry(matching.Phase4C, "database_search", 30), entry(matching.Phase4C, "database_search", 45)})
		if sum.ByActivity["database_search"] != 75 {
			t.Errorf("by activity = %v", sum.ByActivity)
		}
	})
}

func TestTimerEntry(t *testing.T) {
	start := monday
	tests := []struct {
		name    string
		stop    time.Time
		minutes int
	}{
		{"a few seconds count as a minute", start.Add(5 * time.Second), 1},
		{"a timer stopped at once counts a minute", start, 1},
		{"part of a minute rounds up", start.Add(90 * time.Second), 2},
		{"whole minutes stay", start.Add(45 * time.Minute), 45},
		{"a timer left overnight is cut at 12 hours", start.Add(20 * time.Hour), 720},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := matching.Timer{UserID: 9, RequestID: 3, Activity: "competence_verification", Note: "colloquio", StartedAt: start}
			e := tm.Entry(tt.stop)
			if e.Minutes != tt.minutes || e.Phase != matching.Phase4DVerification || e.RequestID != 3 || *e.UserID != 9 ||
				!e.StartedAt.Equal(start) || e.Note != "colloquio" {
				t.Errorf("Entry = %+v, want %d minutes", e, tt.minutes)
			}
			wantValid(t, e.Validate())
		})
	}
}

func TestTheWorkOnARequestAroundItsStates(t *testing.T) {
	t.Run("a match needs ranked requirements and an open request", func(t *testing.T) {
		wantCode(t, matching.CheckMatchable(requestIn(intake)), matching.ECONFLICT, "status")
		wantCode(t, matching.CheckMatchable(requestIn(closedState)), matching.ECONFLICT, "status")
		for _, s := range []matching.RequestStatus{ranked, searching, contacting, awaiting, selecting} {
			wantCode(t, matching.CheckMatchable(requestIn(s)), "", "")
		}
		if !strings.Contains(matching.ErrorMessage(matching.CheckMatchable(requestIn(intake))), "rank the requirements first") {
			t.Error("the refusal in intake does not say what to do")
		}
	})
	t.Run("candidates enter an open pipeline after the intake, applications at once", func(t *testing.T) {
		wantCode(t, matching.CheckAddCandidate(requestIn(intake), matching.SourceSearch), matching.ECONFLICT, "status")
		wantCode(t, matching.CheckAddCandidate(requestIn(intake), matching.SourceSelfApplication), "", "")
		wantCode(t, matching.CheckAddCandidate(requestIn(ranked), matching.SourceReferral), "", "")
		wantCode(t, matching.CheckAddCandidate(requestIn(closedState), matching.SourceSelfApplication), matching.ECONFLICT, "status")
		wantCode(t, matching.CheckAddCandidate(requestIn(ranked), "newspaper"), matching.EINVALID, "source")
		wantCode(t, matching.CheckPipelineOpen(requestIn(selecting)), "", "")
		wantCode(t, matching.CheckPipelineOpen(requestIn(closedState)), matching.ECONFLICT, "status")
	})
	t.Run("4D is switched only while open, and not off in a 4D phase", func(t *testing.T) {
		wantCode(t, matching.CheckWith4D(requestIn(searching), true), "", "")
		wantCode(t, matching.CheckWith4D(requestIn(searching), false), "", "")
		wantCode(t, matching.CheckWith4D(requestIn(verifying), true), "", "")
		wantCode(t, matching.CheckWith4D(requestIn(verifying), false), matching.ECONFLICT, "with_4d")
		wantCode(t, matching.CheckWith4D(requestIn(selecting), false), matching.ECONFLICT, "with_4d")
		wantCode(t, matching.CheckWith4D(requestIn(closedState), true), matching.ECONFLICT, "with_4d")
	})
	t.Run("a contact happens between the opening and now", func(t *testing.T) {
		opened := monday
		wantCode(t, matching.CheckContactTime(opened.Add(time.Hour), opened, opened.Add(2*time.Hour)), "", "")
		wantCode(t, matching.CheckContactTime(opened.Add(3*time.Hour), opened, opened.Add(2*time.Hour)), matching.EINVALID, "at")
		wantCode(t, matching.CheckContactTime(opened.Add(-time.Hour), opened, opened.Add(2*time.Hour)), matching.EINVALID, "at")
	})
	t.Run("an answer stands for a contact's outcome", func(t *testing.T) {
		if o, err := matching.AnswerOutcome(matching.AnswerInterested); err != nil || o != "available" {
			t.Errorf("interested = %q %v", o, err)
		}
		if o, err := matching.AnswerOutcome(matching.AnswerNotInterested); err != nil || o != "not_available" {
			t.Errorf("not interested = %q %v", o, err)
		}
		_, err := matching.AnswerOutcome("maybe")
		wantCode(t, err, matching.EINVALID, "answer")
	})
}

func TestSelfApplicationRules(t *testing.T) {
	day := monday.Truncate(24 * time.Hour)
	published := matching.Vacancy{ID: 4, Status: matching.VacancyPublished}
	wantCode(t, matching.CheckApply(&published, day), "", "")
	draft := matching.Vacancy{ID: 4, Status: matching.VacancyDraft}
	wantCode(t, matching.CheckApply(&draft, day), matching.ENOTFOUND, "")
	closed := matching.Vacancy{ID: 4, Status: matching.VacancyClosed}
	wantCode(t, matching.CheckApply(&closed, day), matching.ECONFLICT, "vacancy_id")
	lastDay := published
	lastDay.ClosesOn = &day
	wantCode(t, matching.CheckApply(&lastDay, day), "", "")
	past := published
	past.ClosesOn = ptr(day.AddDate(0, 0, -1))
	wantCode(t, matching.CheckApply(&past, day), matching.ECONFLICT, "vacancy_id")

	submitted := matching.Application{ID: 1, Status: matching.ApplicationSubmitted}
	tests := []struct {
		name        string
		app         matching.Application
		result      matching.ApplicationStatus
		reason      string
		code, field string
	}{
		{"verified", submitted, matching.ApplicationVerified, "", "", ""},
		{"not fitting with a reason code", submitted, matching.ApplicationNotFitting, "language", "", ""},
		{"not fitting without a reason", submitted, matching.ApplicationNotFitting, " ", matching.EINVALID, "reason"},
		{"not fitting with free text for a reason", submitted, matching.ApplicationNotFitting, "non parla tedesco", matching.EINVALID, "reason"},
		{"verified with a reason", submitted, matching.ApplicationVerified, "language", matching.EINVALID, "reason"},
		{"an unknown result", submitted, "maybe", "", matching.EINVALID, "result"},
		{"withdrawn as a result", submitted, matching.ApplicationWithdrawn, "", matching.EINVALID, "result"},
		{"verifying twice", matching.Application{ID: 1, Status: matching.ApplicationVerified}, matching.ApplicationNotFitting, "language",
			matching.ECONFLICT, "status"},
		{"verifying a withdrawn application", matching.Application{ID: 1, Status: matching.ApplicationWithdrawn}, matching.ApplicationVerified, "",
			matching.ECONFLICT, "status"},
	}
	for _, tt := range tests {
		t.Run("verifying: "+tt.name, func(t *testing.T) {
			wantCode(t, matching.CheckVerifyApplication(&tt.app, tt.result, tt.reason), tt.code, tt.field)
		})
	}
	for st, ok := range map[matching.ApplicationStatus]bool{matching.ApplicationSubmitted: true, matching.ApplicationVerified: true,
		matching.ApplicationNotFitting: false, matching.ApplicationWithdrawn: false} {
		err := matching.CheckWithdrawApplication(&matching.Application{ID: 1, Status: st})
		if (err == nil) != ok {
			t.Errorf("withdrawing a %s application: %v", st, err)
		}
	}
}
