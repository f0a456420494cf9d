package matching

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The life cycle of a 4C/4D request is a state machine. Each transition
// says from which states it starts, which roles may take it and which
// preconditions must hold; the store gathers the facts inside the
// transaction that writes the change and asks CheckTransition, so the rules
// live here once and every path (the API, the seed, the pages) goes through
// them.
//
//	intake → requirements_ranked → searching → contacting → shortlist_presented
//	  → awaiting_feedback → [4D: competence_verification → selection] → closed
//
// with the ways back an operator needs (reopen the intake, search again,
// look for more candidates after the employer's answer, present a new
// version of the shortlist) and closing from any open state.

// WorkflowSettings are the periods an office may configure.
type WorkflowSettings struct {
	// AvailabilityValidity is how long a confirmed availability holds for
	// presenting the candidate (default 14 days).
	AvailabilityValidity time.Duration
	// FeedbackReminder is how long after a presentation without feedback a
	// reminder to the employer is due (default 15 days).
	FeedbackReminder time.Duration
	// FeedbackGiveUp is how long after a presentation without feedback the
	// request is proposed for closing as "no answer" (default 45 days).
	FeedbackGiveUp time.Duration
}

// Day is 24 hours, the unit of the workflow's periods.
const Day = 24 * time.Hour

// DefaultWorkflowSettings returns the standard periods.
func DefaultWorkflowSettings() WorkflowSettings {
	return WorkflowSettings{AvailabilityValidity: 14 * Day, FeedbackReminder: 15 * Day, FeedbackGiveUp: 45 * Day}
}

// Validate checks the periods.
func (s WorkflowSettings) Validate() error {
	var v checker
	v.check(s.AvailabilityValidity >= Day, "availability_validity", "must be at least one day")
	v.check(s.FeedbackReminder >= Day, "feedback_reminder", "must be at least one day")
	v.check(s.FeedbackGiveUp > s.FeedbackReminder, "feedback_give_up", "must be longer than the feedback reminder")
	return v.result()
}

// CloseReason says why a request was closed; each belongs to one outcome.
type CloseReason string

// Closing reasons.
const (
	CloseHired               CloseReason = "hired"                  // filled from the shortlist
	CloseNoSuitableCandidate CloseReason = "no_suitable_candidates" // not filled: nobody fitted
	CloseCandidatesRejected  CloseReason = "candidates_rejected"    // not filled: the employer chose nobody
	CloseNoAnswer            CloseReason = "no_answer"              // not filled: the employer stopped answering
	CloseEmployerWithdrew    CloseReason = "employer_withdrew"      // withdrawn: the need is gone
	CloseFilledElsewhere     CloseReason = "filled_elsewhere"       // withdrawn: hired through another channel
	CloseDuplicate           CloseReason = "duplicate"              // cancelled: the same need twice
	CloseEnteredInError      CloseReason = "entered_in_error"       // cancelled
	CloseOther               CloseReason = "other"                  // any outcome, with a note
)

var closeReasons = map[Outcome][]CloseReason{
	OutcomeFilled:    {CloseHired, CloseOther},
	OutcomeNotFilled: {CloseNoSuitableCandidate, CloseCandidatesRejected, CloseNoAnswer, CloseOther},
	OutcomeWithdrawn: {CloseEmployerWithdrew, CloseFilledElsewhere, CloseOther},
	OutcomeCancelled: {CloseDuplicate, CloseEnteredInError, CloseOther},
}

// Outcomes returns the outcomes of a closed request.
func Outcomes() []Outcome {
	return []Outcome{OutcomeFilled, OutcomeNotFilled, OutcomeWithdrawn, OutcomeCancelled}
}

// CloseReasons returns the closing reasons allowed with an outcome.
func CloseReasons(o Outcome) []CloseReason { return slices.Clone(closeReasons[o]) }

// RequestFacts are what the preconditions of the life cycle look at,
// gathered by the store in the transaction that changes the state.
type RequestFacts struct {
	Requirements      int `json:"requirements"` // requirements of the vacancy
	MatchRuns         int `json:"match_runs"`
	Entries           int `json:"entries"`            // candidates in the pipeline
	Presented         int `json:"presented"`          // candidates presented in some shortlist version
	PresentedVersions int `json:"presented_versions"` // shortlist versions presented
	Feedback          int `json:"feedback"`           // employer feedback rows
	Hired             int `json:"hired"`              // candidates hired
	CompetenceChecks  int `json:"competence_checks"`
	SelectionSessions int `json:"selection_sessions"`
	// Minutes is the operator time recorded per phase.
	Minutes map[Phase]int `json:"minutes"`
}

// TransitionInput is what the caller asks for.
type TransitionInput struct {
	To          RequestStatus
	Outcome     *Outcome
	CloseReason CloseReason
	Note        string
	// Action is set by the store when a transition is the effect of an
	// action (running a match, presenting a shortlist) rather than asked
	// for directly.
	Action string
}

// Actions that move a request by themselves.
const (
	ActionMatchRun        = "match_run"
	ActionPresent         = "present_shortlist"
	ActionTransitionAsked = ""
)

type transition struct {
	from  []RequestStatus
	to    RequestStatus
	roles []Role
	// action, when set, is the only way to take the transition.
	action string
	pre    func(r *Request, f *RequestFacts, in *TransitionInput) error
}

var open = []RequestStatus{StatusIntake, StatusRequirementsRanked, StatusSearching, StatusContacting,
	StatusShortlistPresented, StatusAwaitingFeedback, StatusCompetenceVerification, StatusSelection}

func unmet(format string, args ...any) error {
	return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf(format, args...)}
}

var operator = []Role{RoleOperator}

var transitions = []transition{
	{from: []RequestStatus{StatusIntake}, to: StatusRequirementsRanked, roles: operator,
		pre: func(r *Request, f *RequestFacts, in *TransitionInput) error {
			if f.Requirements == 0 {
				return unmet("the vacancy has no requirements to rank yet")
			}
			return nil
		}},
	{from: []RequestStatus{StatusRequirementsRanked}, to: StatusIntake, roles: operator},
	{from: []RequestStatus{StatusRequirementsRanked, StatusContacting}, to: StatusSearching, roles: operator},
	{from: []RequestStatus{StatusSearching}, to: StatusContacting, roles: operator,
		pre: func(r *Request, f *RequestFacts, in *TransitionInput) error {
			if f.Entries == 0 {
				return unmet("add at least one candidate to the pipeline before contacting")
			}
			return nil
		}},
	// Presenting a shortlist (the first version or a new one) is an action:
	// the shortlist's own checks (consent, confirmed availability) run there.
	{from: []RequestStatus{StatusContacting, StatusShortlistPresented, StatusAwaitingFeedback}, to: StatusShortlistPresented,
		roles: operator, action: ActionPresent},
	{from: []RequestStatus{StatusShortlistPresented}, to: StatusAwaitingFeedback, roles: operator},
	{from: []RequestStatus{StatusShortlistPresented, StatusAwaitingFeedback}, to: StatusContacting, roles: operator},
	{from: []RequestStatus{StatusShortlistPresented, StatusAwaitingFeedback}, to: StatusCompetenceVerification, roles: operator,
		pre: func(r *Request, f *RequestFacts, in *TransitionInput) error {
			if f.Presented == 0 {
				return unmet("competence verification needs a presented candidate")
			}
			return nil
		}},
	{from: []RequestStatus{StatusCompetenceVerification}, to: StatusSelection, roles: operator,
		pre: func(r *Request, f *RequestFacts, in *TransitionInput) error {
			if f.CompetenceChecks == 0 {
				return unmet("record at least one competence verification before selection")
			}
			return nil
		}},
	{from: open, to: StatusClosed, roles: []Role{RoleOperator, RoleEmployer}, pre: checkClose},
}

// checkClose is the precondition of closing: the outcome and its reason,
// a hire for "filled" and none for "not filled", and the time standard.
func checkClose(r *Request, f *RequestFacts, in *TransitionInput) error {
	if in.Outcome == nil {
		return FieldErrorf("outcome", "is required to close a request (filled, not_filled, withdrawn or cancelled)")
	}
	o := *in.Outcome
	reasons, ok := closeReasons[o]
	if !ok {
		return FieldErrorf("outcome", "%q is not an outcome", o)
	}
	if in.CloseReason == "" {
		return FieldErrorf("close_reason", "is required; for %s: %s", o, joinReasons(reasons))
	}
	if !slices.Contains(reasons, in.CloseReason) {
		return FieldErrorf("close_reason", "%q does not go with outcome %s; use %s", in.CloseReason, o, joinReasons(reasons))
	}
	if in.CloseReason == CloseOther && strings.TrimSpace(in.Note) == "" {
		return FieldErrorf("note", "say why the request closes when the reason is \"other\"")
	}
	switch o {
	case OutcomeFilled:
		if f.Hired == 0 {
			return unmet("a request is filled only when a candidate is recorded as hired")
		}
		if r.Status == StatusIntake || r.Status == StatusRequirementsRanked || r.Status == StatusSearching || r.Status == StatusContacting {
			return unmet("a request is filled from a presented shortlist; present one first")
		}
	case OutcomeNotFilled:
		if f.Hired > 0 {
			return unmet("a candidate is recorded as hired: close the request as filled")
		}
		if in.CloseReason == CloseNoAnswer && f.PresentedVersions == 0 {
			return unmet("\"no answer\" closes a request whose shortlist was presented")
		}
	}
	return nil
}

// UnderStandard returns the phases whose recorded time is below the
// standard's minimum, for a request that closes; a request that is
// cancelled or withdrawn by the employer is not held to the minimum.
func (r *Request) UnderStandard(f *RequestFacts) []Phase {
	var out []Phase
	for _, p := range r.Phases() {
		b, _ := StandardBand(p)
		if time.Duration(f.Minutes[p])*time.Minute < b.Min {
			out = append(out, p)
		}
	}
	return out
}

// Phases returns the phases of the standard that apply to the request: 4C,
// and the two 4D phases when it has them.
func (r *Request) Phases() []Phase {
	if r.With4D {
		return []Phase{Phase4C, Phase4DVerification, Phase4DSelection}
	}
	return []Phase{Phase4C}
}

func joinReasons(rs []CloseReason) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// CheckTransition checks that a request may move to in.To, taken by role:
// an ECONFLICT error names the states it may go to when the transition does
// not exist or its precondition does not hold, EFORBIDDEN when the role may
// not take it, EINVALID naming the field when input is missing.
func CheckTransition(r *Request, role Role, in *TransitionInput, f *RequestFacts) error {
	if r.Status == StatusClosed {
		return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf("request %d is closed (%s)", r.ID, outcomeText(r.Outcome))}
	}
	if in.To == r.Status && in.To != StatusShortlistPresented {
		return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf("request %d is already %s", r.ID, r.Status)}
	}
	t := findTransition(r.Status, in.To)
	if t == nil {
		return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf("a request in %s cannot go to %s; it can go to %s",
			r.Status, in.To, joinStates(NextStates(r, role)))}
	}
	if t.action != "" && in.Action != t.action {
		return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf("a request reaches %s by %s, not by asking for the state",
			in.To, strings.ReplaceAll(t.action, "_", " "))}
	}
	if !slices.Contains(t.roles, role) {
		return Errorf(EFORBIDDEN, "your role (%s) may not move a request to %s", role, in.To)
	}
	if in.To == StatusClosed && role == RoleEmployer && (in.Outcome == nil || *in.Outcome != OutcomeWithdrawn) {
		return Errorf(EFORBIDDEN, "an employer may close its request only by withdrawing it")
	}
	if in.To != StatusClosed && (in.Outcome != nil || in.CloseReason != "") {
		return FieldErrorf("outcome", "is given only when the request closes")
	}
	if len([]rune(in.Note)) > 2000 {
		return FieldErrorf("note", "must be at most 2000 characters")
	}
	if t.pre != nil {
		if err := t.pre(r, f, in); err != nil {
			return err
		}
	}
	if in.To == StatusClosed && role == RoleOperator && *in.Outcome != OutcomeCancelled {
		if under := r.UnderStandard(f); len(under) > 0 && strings.TrimSpace(in.Note) == "" {
			parts := make([]string, len(under))
			for i, p := range under {
				b, _ := StandardBand(p)
				parts[i] = fmt.Sprintf("%s %s of at least %s", p, FormatMinutes(f.Minutes[p]), FormatMinutes(int(b.Min/time.Minute)))
			}
			return FieldErrorf("note", "the recorded time is below the standard (%s): justify closing in the note", strings.Join(parts, "; "))
		}
	}
	return nil
}

func findTransition(from, to RequestStatus) *transition {
	for i := range transitions {
		t := &transitions[i]
		if t.to == to && slices.Contains(t.from, from) {
			return t
		}
	}
	return nil
}

// NextStates returns the states the role may move the request to directly
// (not counting those reached by an action), in life-cycle order.
func NextStates(r *Request, role Role) []RequestStatus {
	var out []RequestStatus
	for _, s := range RequestStatuses() {
		t := findTransition(r.Status, s)
		if t != nil && t.action == "" && slices.Contains(t.roles, role) && (s != r.Status) {
			out = append(out, s)
		}
	}
	return out
}

// ReachedBy returns the action that moves a request into state s, or "".
func ReachedBy(from, to RequestStatus) string {
	if t := findTransition(from, to); t != nil {
		return t.action
	}
	return ""
}

func joinStates(ss []RequestStatus) string {
	if len(ss) == 0 {
		return "no other state"
	}
	s := make([]string, len(ss))
	for i, x := range ss {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

func outcomeText(o *Outcome) string {
	if o == nil {
		return "no outcome"
	}
	return string(*o)
}

// FormatMinutes renders minutes as hours and minutes: "4 h 30 min".
func FormatMinutes(m int) string {
	switch {
	case m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	case m < 60:
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

// The pipeline of a request: each candidate moves through stages. The
// operator moves them by hand or through a contact; the jobseeker answers
// availability requests and may withdraw; the employer's feedback moves
// presented candidates.

var stageMoves = map[Stage][]Stage{
	StageFound:        {StageContacted, StageAvailable, StageNotAvailable, StageUnreachable, StageRejected, StageWithdrew},
	StageContacted:    {StageAvailable, StageNotAvailable, StageUnreachable, StageRejected, StageWithdrew},
	StageUnreachable:  {StageContacted, StageAvailable, StageNotAvailable, StageRejected, StageWithdrew},
	StageNotAvailable: {StageContacted, StageAvailable, StageWithdrew},
	StageAvailable:    {StageShortlisted, StageNotAvailable, StageRejected, StageWithdrew},
	StageShortlisted:  {StagePresented, StageAvailable, StageNotAvailable, StageRejected, StageWithdrew},
	StagePresented:    {StageInterviewed, StageHired, StageRejected, StageWithdrew},
	StageInterviewed:  {StageHired, StageRejected, StageWithdrew},
	StageHired:        {StageWithdrew},
	StageRejected:     {},
	StageWithdrew:     {StageAvailable},
}

// CheckStageMove checks that a pipeline entry may move from one stage to
// another: ECONFLICT naming the stages it may go to otherwise.
func CheckStageMove(from, to Stage) error {
	if slices.Contains(stageMoves[from], to) {
		return nil
	}
	next := stageMoves[from]
	s := make([]string, len(next))
	for i, x := range next {
		s[i] = string(x)
	}
	where := strings.Join(s, ", ")
	if where == "" {
		where = "no other stage"
	}
	return &Error{Code: ECONFLICT, Field: "stage", Message: fmt.Sprintf("a candidate %s cannot move to %s; they can move to %s", from, to, where)}
}

// NextStages returns the stages an entry may move to.
func NextStages(from Stage) []Stage { return slices.Clone(stageMoves[from]) }

// ContactStage returns the stage a contact's outcome moves an entry to, and
// whether it moves it at all: a confirmed availability makes it available
// (and refreshes the confirmation when it already was), a refusal not
// available, no answer or a wrong number unreachable, a message left or a
// pending reply contacted. Entries already shortlisted or further on keep
// their stage unless the candidate is no longer available.
func ContactStage(cur Stage, outcome string) (Stage, bool) {
	var to Stage
	switch outcome {
	case "available":
		to = StageAvailable
	case "not_available":
		to = StageNotAvailable
	case "no_answer", "wrong_contact":
		to = StageUnreachable
	case "message_left", "awaiting_reply":
		to = StageContacted
	default:
		return cur, false
	}
	if to == cur || CheckStageMove(cur, to) != nil {
		return cur, false
	}
	switch cur {
	case StageShortlisted, StagePresented, StageInterviewed, StageHired:
		// Only a refusal changes where a chosen candidate stands.
		if to != StageNotAvailable {
			return cur, false
		}
	}
	return to, true
}

// ConfirmsAvailability reports whether a contact outcome confirms it.
func ConfirmsAvailability(outcome string) bool { return outcome == "available" }

// AvailabilityFresh reports whether an availability confirmed at t still
// holds at now.
func AvailabilityFresh(confirmed *time.Time, now time.Time, s WorkflowSettings) bool {
	return confirmed != nil && !confirmed.After(now.Add(time.Minute)) && now.Sub(*confirmed) <= s.AvailabilityValidity
}

// PresentableItem is what presenting a shortlist checks of each candidate.
type PresentableItem struct {
	Position     int
	Stage        Stage
	Presentation *Presentation // nil once the jobseeker is erased
	Mode         string
	ConfirmedAt  *time.Time
	Override     string // the operator's note presenting a stale confirmation
}

// CheckPresentable checks a shortlist before it is presented: it has
// candidates, each agreed to be presented (named only if they agreed to be
// named), stands available or shortlisted or was already presented, and has
// an availability confirmed within the period — or an operator's override
// note; at least one confirmation must be current.
func CheckPresentable(items []PresentableItem, now time.Time, s WorkflowSettings) error {
	if len(items) == 0 {
		return FieldErrorf("items", "an empty shortlist cannot be presented")
	}
	fresh := 0
	for i, it := range items {
		f := fmt.Sprintf("items[%d]", i)
		switch {
		case it.Presentation == nil:
			return FieldErrorf(f+".mode", "the candidate at position %d was erased", it.Position)
		case *it.Presentation == PresentNone:
			return FieldErrorf(f+".mode", "the candidate at position %d has not agreed to be presented", it.Position)
		case *it.Presentation == PresentBlind && it.Mode != "blind":
			return FieldErrorf(f+".mode", "the candidate at position %d agreed to be presented only without name and contacts", it.Position)
		}
		switch it.Stage {
		case StageAvailable, StageShortlisted, StagePresented, StageInterviewed:
		default:
			return &Error{Code: ECONFLICT, Field: f + ".entry_id", Message: fmt.Sprintf(
				"the candidate at position %d is %s: only available candidates are presented", it.Position, it.Stage)}
		}
		if AvailabilityFresh(it.ConfirmedAt, now, s) {
			fresh++
			continue
		}
		if strings.TrimSpace(it.Override) == "" {
			when := "never confirmed"
			if it.ConfirmedAt != nil {
				when = fmt.Sprintf("confirmed %d days ago", int(now.Sub(*it.ConfirmedAt)/Day))
			}
			return &Error{Code: ECONFLICT, Field: f + ".override_note", Message: fmt.Sprintf(
				"the availability of the candidate at position %d is %s (valid for %d days): contact them again or write an override note",
				it.Position, when, int(s.AvailabilityValidity/Day))}
		}
	}
	if fresh == 0 {
		return &Error{Code: ECONFLICT, Field: "items", Message: "no candidate in the shortlist has a current confirmation of availability"}
	}
	return nil
}

// FeedbackState says whether an employer owes feedback on a presented shortlist.
type FeedbackState struct {
	// PresentedAt is when the latest shortlist version was presented.
	PresentedAt *time.Time `json:"presented_at,omitempty"`
	// LastFeedbackAt is the latest feedback since then, if any.
	LastFeedbackAt *time.Time `json:"last_feedback_at,omitempty"`
	// ReminderDue: no feedback since the presentation for longer than the
	// reminder period.
	ReminderDue bool       `json:"reminder_due"`
	ReminderAt  *time.Time `json:"reminder_at,omitempty"`
	// ProposeClose: still none after the longer period; the operator is
	// offered to close the request as "no answer".
	ProposeClose bool       `json:"propose_close"`
	ProposeAt    *time.Time `json:"propose_at,omitempty"`
}

// FeedbackDue computes the feedback reminders of an open request from the
// time its latest shortlist was presented and its latest feedback.
func FeedbackDue(status RequestStatus, presentedAt, lastFeedback *time.Time, now time.Time, s WorkflowSettings) FeedbackState {
	st := FeedbackState{PresentedAt: presentedAt}
	if lastFeedback != nil && presentedAt != nil && !lastFeedback.Before(*presentedAt) {
		st.LastFeedbackAt = lastFeedback
	}
	if presentedAt == nil || (status != StatusShortlistPresented && status != StatusAwaitingFeedback) {
		return st
	}
	if st.LastFeedbackAt != nil {
		return st
	}
	r := presentedAt.Add(s.FeedbackReminder)
	p := presentedAt.Add(s.FeedbackGiveUp)
	st.ReminderAt, st.ProposeAt = &r, &p
	st.ReminderDue = !now.Before(r)
	st.ProposeClose = !now.Before(p)
	return st
}

// PhaseTime is the time recorded against one phase of the standard.
type PhaseTime struct {
	Phase      Phase  `json:"phase"`
	Minutes    int    `json:"minutes"`
	MinMinutes int    `json:"min_minutes"`
	MaxMinutes int    `json:"max_minutes"`
	State      string `json:"state"` // under, within or over
}

// TimeSummary is a request's time against the standard, derived from its
// entries every time (never stored).
type TimeSummary struct {
	Phases       []PhaseTime    `json:"phases"`
	TotalMinutes int            `json:"total_minutes"`
	ByActivity   map[string]int `json:"by_activity"`
	// Over names the phases past their maximum (flagged).
	Over []Phase `json:"over"`
}

// SummarizeTime sums time entries per phase and activity and compares each
// phase of the request with its band.
func SummarizeTime(r *Request, entries []TimeEntry) TimeSummary {
	byPhase := map[Phase]int{}
	sum := TimeSummary{ByActivity: map[string]int{}, Over: []Phase{}}
	for _, e := range entries {
		byPhase[e.Phase] += e.Minutes
		sum.ByActivity[e.Activity] += e.Minutes
		sum.TotalMinutes += e.Minutes
	}
	phases := r.Phases()
	for p := range byPhase {
		if !slices.Contains(phases, p) {
			phases = append(phases, p) // 4D time on a request not marked 4D still shows
		}
	}
	for _, p := range phases {
		b, _ := StandardBand(p)
		pt := PhaseTime{Phase: p, Minutes: byPhase[p], MinMinutes: int(b.Min / time.Minute), MaxMinutes: int(b.Max / time.Minute)}
		pt.State = BandState(pt.Minutes, b)
		if pt.State == "over" {
			sum.Over = append(sum.Over, p)
		}
		sum.Phases = append(sum.Phases, pt)
	}
	return sum
}

// BandState places minutes against a band: under, within or over.
func BandState(minutes int, b Band) string {
	d := time.Duration(minutes) * time.Minute
	switch {
	case d < b.Min:
		return "under"
	case d > b.Max:
		return "over"
	}
	return "within"
}

// Activities returns the activities of cards 4C and 4D in the order of the
// standard.
func Activities() []string {
	return []string{"intake_interview", "profile_definition", "database_search", "vacancy_publication",
		"candidate_contact", "self_application_review", "shortlist_presentation", "feedback_collection",
		"skill_gap_support", "outcome_recording", "competence_verification", "selection_support"}
}

// Timer is an operator's running timer on a request's activity; stopping it
// makes a time entry.
type Timer struct {
	UserID    int64     `json:"user_id" db:"user_id"`
	RequestID int64     `json:"request_id" db:"request_id"`
	Activity  string    `json:"activity" db:"activity"`
	Note      string    `json:"note" db:"note"`
	StartedAt time.Time `json:"started_at" db:"started_at"`
}

// Entry turns a timer stopped at now into a time entry: the elapsed time
// rounded up to the minute, at least one minute, at most the 720 minutes an
// entry may hold (a timer left running overnight is cut there, not lost).
func (t *Timer) Entry(now time.Time) TimeEntry {
	d := now.Sub(t.StartedAt)
	m := int((d + time.Minute - 1) / time.Minute)
	m = max(1, min(m, 720))
	p, _ := ActivityPhase(t.Activity)
	uid := t.UserID
	return TimeEntry{RequestID: t.RequestID, UserID: &uid, Phase: p, Activity: t.Activity, StartedAt: t.StartedAt, Minutes: m, Note: t.Note}
}
