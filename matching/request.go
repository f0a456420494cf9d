package matching

import (
	"encoding/json"
	"slices"
	"time"
)

// RequestStatus is a state in the life cycle of a 4C/4D request.
type RequestStatus string

// Request states, in the order of the life cycle.
const (
	StatusIntake                 RequestStatus = "intake"
	StatusRequirementsRanked     RequestStatus = "requirements_ranked"
	StatusSearching              RequestStatus = "searching"
	StatusContacting             RequestStatus = "contacting"
	StatusShortlistPresented     RequestStatus = "shortlist_presented"
	StatusAwaitingFeedback       RequestStatus = "awaiting_feedback"
	StatusCompetenceVerification RequestStatus = "competence_verification"
	StatusSelection              RequestStatus = "selection"
	StatusClosed                 RequestStatus = "closed"
)

// RequestStatuses returns the states in life-cycle order.
func RequestStatuses() []RequestStatus {
	return []RequestStatus{StatusIntake, StatusRequirementsRanked, StatusSearching, StatusContacting,
		StatusShortlistPresented, StatusAwaitingFeedback, StatusCompetenceVerification, StatusSelection, StatusClosed}
}

// Outcome is how a closed request ended.
type Outcome string

// Outcomes of a closed request.
const (
	OutcomeFilled    Outcome = "filled"
	OutcomeNotFilled Outcome = "not_filled"
	OutcomeWithdrawn Outcome = "withdrawn" // by the employer
	OutcomeCancelled Outcome = "cancelled"
)

// Request is an employer's request for candidates, handled by a provider
// under card 4C, optionally followed by the two 4D phases.
type Request struct {
	ID         int64         `json:"id" db:"id"`
	ProviderID int64         `json:"provider_id" db:"provider_id"`
	EmployerID int64         `json:"employer_id" db:"employer_id"`
	VacancyID  int64         `json:"vacancy_id" db:"vacancy_id"`
	OperatorID *int64        `json:"operator_id,omitempty" db:"operator_id"`
	Status     RequestStatus `json:"status" db:"status"`
	Outcome    *Outcome      `json:"outcome,omitempty" db:"outcome"`
	// CloseReason says why the request closed (with the outcome).
	CloseReason *CloseReason `json:"close_reason,omitempty" db:"close_reason"`
	With4D      bool         `json:"with_4d" db:"with_4d"`
	OpenedAt    time.Time    `json:"opened_at" db:"opened_at"`
	ClosedAt    *time.Time   `json:"closed_at,omitempty" db:"closed_at"`
	CreatedBy   *int64       `json:"created_by,omitempty" db:"created_by"`
	UpdatedAt   time.Time    `json:"updated_at" db:"updated_at"`
}

// Validate checks the request's fields (the transitions between states are
// checked by the life cycle, not here).
func (r *Request) Validate() error {
	var v checker
	v.check(r.ProviderID > 0, "provider_id", "is required")
	v.check(r.EmployerID > 0, "employer_id", "is required")
	v.check(r.VacancyID > 0, "vacancy_id", "is required")
	known := false
	for _, s := range RequestStatuses() {
		known = known || s == r.Status
	}
	v.check(known, "status", "%q is not a request state", r.Status)
	v.check((r.Status == StatusClosed) == (r.Outcome != nil), "outcome", "is set exactly when the request is closed")
	v.check((r.Status == StatusClosed) == (r.ClosedAt != nil), "closed_at", "is set exactly when the request is closed")
	v.check((r.Status == StatusClosed) == (r.CloseReason != nil), "close_reason", "is set exactly when the request is closed")
	if r.Outcome != nil {
		o := *r.Outcome
		v.check(o == OutcomeFilled || o == OutcomeNotFilled || o == OutcomeWithdrawn || o == OutcomeCancelled, "outcome", "%q is not an outcome", o)
	}
	if r.Outcome != nil && r.CloseReason != nil {
		v.check(slices.Contains(closeReasons[*r.Outcome], *r.CloseReason), "close_reason", "%q does not go with outcome %s", *r.CloseReason, *r.Outcome)
	}
	return v.result()
}

// StatusChange is an entry of a request's status history.
type StatusChange struct {
	ID      int64          `json:"id" db:"id"`
	From    *RequestStatus `json:"from,omitempty" db:"from"`
	To      RequestStatus  `json:"to" db:"to"`
	Outcome *Outcome       `json:"outcome,omitempty" db:"outcome"`
	// CloseReason is set on the change that closes the request.
	CloseReason *CloseReason `json:"close_reason,omitempty" db:"close_reason"`
	Note        string       `json:"note" db:"note"`
	At          time.Time    `json:"at" db:"at"`
	By          *int64       `json:"by,omitempty" db:"by"`
}

// MatchRun is a stored search for a request: its parameters and results.
type MatchRun struct {
	ID        int64           `json:"id" db:"id"`
	RequestID int64           `json:"request_id" db:"request_id"`
	Params    json.RawMessage `json:"params" db:"params"`
	Recalled  int             `json:"recalled" db:"recalled"`
	CreatedAt time.Time       `json:"created_at" db:"created_at"`
	CreatedBy *int64          `json:"created_by,omitempty" db:"created_by"`
	Results   []MatchResult   `json:"results" db:"-"`
}

// MatchResult is one ranked candidate of a match run, with its explanation.
type MatchResult struct {
	Position    int             `json:"position" db:"position"`
	CandidateID *int64          `json:"candidate_id,omitempty" db:"candidate_id"`
	Score       float64         `json:"score" db:"score"`
	NearMiss    bool            `json:"near_miss" db:"near_miss"`
	Explanation json.RawMessage `json:"explanation" db:"explanation"`
}
