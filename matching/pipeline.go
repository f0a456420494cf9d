package matching

import (
	"encoding/json"
	"fmt"
	"time"
)

// Source is how a candidate entered a request's pipeline.
type Source string

// Pipeline sources.
const (
	SourceSearch          Source = "search"
	SourceSelfApplication Source = "self_application"
	SourceReferral        Source = "referral"
)

// Stage is where a candidate stands in a request.
type Stage string

// Pipeline stages.
const (
	StageFound        Stage = "found"
	StageContacted    Stage = "contacted"
	StageAvailable    Stage = "available"
	StageNotAvailable Stage = "not_available"
	StageUnreachable  Stage = "unreachable"
	StageShortlisted  Stage = "shortlisted"
	StagePresented    Stage = "presented"
	StageInterviewed  Stage = "interviewed"
	StageHired        Stage = "hired"
	StageRejected     Stage = "rejected"
	StageWithdrew     Stage = "withdrew"
)

// Stages returns every pipeline stage.
func Stages() []Stage {
	return []Stage{StageFound, StageContacted, StageAvailable, StageNotAvailable, StageUnreachable,
		StageShortlisted, StagePresented, StageInterviewed, StageHired, StageRejected, StageWithdrew}
}

// PipelineEntry is a candidate considered for a request. CandidateID is nil
// once the jobseeker has been erased; Pseudonym keeps the record usable.
type PipelineEntry struct {
	ID                      int64      `json:"id" db:"id"`
	RequestID               int64      `json:"request_id" db:"request_id"`
	CandidateID             *int64     `json:"candidate_id,omitempty" db:"candidate_id"`
	Pseudonym               string     `json:"pseudonym" db:"pseudonym"`
	Source                  Source     `json:"source" db:"source"`
	Stage                   Stage      `json:"stage" db:"stage"`
	RejectionReason         string     `json:"rejection_reason,omitempty" db:"rejection_reason"`
	MatchRunID              *int64     `json:"match_run_id,omitempty" db:"match_run_id"`
	Score                   *float64   `json:"score,omitempty" db:"score"`
	AvailabilityConfirmedAt *time.Time `json:"availability_confirmed_at,omitempty" db:"availability_confirmed_at"`
	// ApplicationID is the self-application the candidate entered with.
	ApplicationID *int64    `json:"application_id,omitempty" db:"application_id"`
	CreatedAt     time.Time `json:"created_at" db:"created_at"`
	CreatedBy     *int64    `json:"created_by,omitempty" db:"created_by"`
	UpdatedAt     time.Time `json:"updated_at" db:"updated_at"`
}

// Validate checks the entry's fields.
func (p *PipelineEntry) Validate() error {
	var v checker
	v.check(p.RequestID > 0, "request_id", "is required")
	v.required(p.Pseudonym, "pseudonym")
	v.check(p.Source == SourceSearch || p.Source == SourceSelfApplication || p.Source == SourceReferral, "source", "must be search, self_application or referral")
	known := false
	for _, s := range Stages() {
		known = known || s == p.Stage
	}
	v.check(known, "stage", "%q is not a pipeline stage", p.Stage)
	v.check((p.Stage == StageRejected) == (p.RejectionReason != ""), "rejection_reason", "is required exactly when the candidate is rejected")
	v.check(p.RejectionReason == "" || IsRejectionReason(p.RejectionReason), "rejection_reason", "%q is not a rejection reason", p.RejectionReason)
	return v.result()
}

// StageChange is an entry of a pipeline entry's stage history.
type StageChange struct {
	ID     int64     `json:"id" db:"id"`
	From   *Stage    `json:"from,omitempty" db:"from"`
	To     Stage     `json:"to" db:"to"`
	Reason string    `json:"reason,omitempty" db:"reason"`
	Note   string    `json:"note" db:"note"`
	At     time.Time `json:"at" db:"at"`
	By     *int64    `json:"by,omitempty" db:"by"`
}

// Note is a free-text note on a pipeline entry.
type Note struct {
	ID   int64     `json:"id" db:"id"`
	Body string    `json:"body" db:"body"`
	At   time.Time `json:"at" db:"at"`
	By   *int64    `json:"by,omitempty" db:"by"`
}

// Contact channels and outcomes.
var (
	contactChannels = []string{"phone", "email", "sms", "portal", "in_person"}
	contactOutcomes = []string{"available", "not_available", "no_answer", "message_left", "wrong_contact", "awaiting_reply"}
)

func in(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Contact is an attempt to reach a candidate of a request (the 4C
// availability check).
type Contact struct {
	ID      int64     `json:"id" db:"id"`
	EntryID int64     `json:"entry_id" db:"entry_id"`
	Channel string    `json:"channel" db:"channel"`
	Outcome string    `json:"outcome" db:"outcome"`
	Note    string    `json:"note" db:"note"`
	At      time.Time `json:"at" db:"at"`
	By      *int64    `json:"by,omitempty" db:"by"`
}

// Validate checks the contact's fields.
func (c *Contact) Validate() error {
	var v checker
	v.check(c.EntryID > 0, "entry_id", "is required")
	v.check(in(c.Channel, contactChannels), "channel", "must be phone, email, sms, portal or in_person")
	v.check(in(c.Outcome, contactOutcomes), "outcome", "must be available, not_available, no_answer, message_left, wrong_contact or awaiting_reply")
	v.check(!c.At.IsZero(), "at", "is required")
	v.maxLen(c.Note, 2000, "note")
	return v.result()
}

// AvailabilityRequest asks a jobseeker, through the portal, whether they are
// interested in a request; the answer updates the pipeline.
type AvailabilityRequest struct {
	ID      int64     `json:"id" db:"id"`
	EntryID int64     `json:"entry_id" db:"entry_id"`
	SentAt  time.Time `json:"sent_at" db:"sent_at"`
	SentBy  *int64    `json:"sent_by,omitempty" db:"sent_by"`
	// Message is the operator's note to the jobseeker.
	Message    string     `json:"message" db:"message"`
	AnsweredAt *time.Time `json:"answered_at,omitempty" db:"answered_at"`
	Answer     string     `json:"answer,omitempty" db:"answer"` // interested or not_interested
	Reason     string     `json:"reason,omitempty" db:"reason"`
}

// ApplicationStatus is the state of a self-application.
type ApplicationStatus string

// Self-application states.
const (
	ApplicationSubmitted  ApplicationStatus = "submitted"
	ApplicationVerified   ApplicationStatus = "verified"
	ApplicationNotFitting ApplicationStatus = "not_fitting"
	ApplicationWithdrawn  ApplicationStatus = "withdrawn"
)

// Application is a jobseeker's self-application to a published vacancy,
// verified by an operator.
type Application struct {
	ID          int64             `json:"id" db:"id"`
	VacancyID   int64             `json:"vacancy_id" db:"vacancy_id"`
	CandidateID *int64            `json:"candidate_id,omitempty" db:"candidate_id"`
	Message     string            `json:"message" db:"message"`
	Status      ApplicationStatus `json:"status" db:"status"`
	Reason      string            `json:"reason,omitempty" db:"reason"`
	VerifiedBy  *int64            `json:"verified_by,omitempty" db:"verified_by"`
	VerifiedAt  *time.Time        `json:"verified_at,omitempty" db:"verified_at"`
	CreatedAt   time.Time         `json:"created_at" db:"created_at"`
}

// Validate checks the application's fields.
func (a *Application) Validate() error {
	var v checker
	v.check(a.VacancyID > 0, "vacancy_id", "is required")
	v.check(a.Status == ApplicationSubmitted || a.Status == ApplicationVerified || a.Status == ApplicationNotFitting || a.Status == ApplicationWithdrawn, "status", "must be submitted, verified, not_fitting or withdrawn")
	v.check(a.Status != ApplicationNotFitting || a.Reason != "", "reason", "is required when the application does not fit")
	v.maxLen(a.Message, 2000, "message")
	return v.result()
}

// ShortlistStatus is the state of a shortlist version.
type ShortlistStatus string

// Shortlist states.
const (
	ShortlistDraft      ShortlistStatus = "draft"
	ShortlistPresented  ShortlistStatus = "presented"
	ShortlistSuperseded ShortlistStatus = "superseded"
)

// Shortlist is a version of the "rosa" of candidates for a request. Once
// presented it carries a frozen Snapshot of what the employer was shown.
type Shortlist struct {
	ID          int64           `json:"id" db:"id"`
	RequestID   int64           `json:"request_id" db:"request_id"`
	Version     int             `json:"version" db:"version"`
	Status      ShortlistStatus `json:"status" db:"status"`
	Note        string          `json:"note" db:"note"`
	Snapshot    json.RawMessage `json:"snapshot,omitempty" db:"snapshot"`
	CreatedAt   time.Time       `json:"created_at" db:"created_at"`
	CreatedBy   *int64          `json:"created_by,omitempty" db:"created_by"`
	PresentedAt *time.Time      `json:"presented_at,omitempty" db:"presented_at"`
	PresentedBy *int64          `json:"presented_by,omitempty" db:"presented_by"`
	Items       []ShortlistItem `json:"items" db:"-"`
}

// ShortlistItem is a candidate in a shortlist, in order, presented named or blind.
type ShortlistItem struct {
	Position int    `json:"position" db:"position"`
	EntryID  int64  `json:"entry_id" db:"entry_id"`
	Mode     string `json:"mode" db:"mode"` // named or blind
	Note     string `json:"note" db:"note"`
	// OverrideNote is the operator's reason for presenting a candidate whose
	// confirmed availability is older than the period.
	OverrideNote string `json:"override_note,omitempty" db:"override_note"`
}

// Validate checks the shortlist and its items.
func (s *Shortlist) Validate() error {
	var v checker
	v.check(s.RequestID > 0, "request_id", "is required")
	v.check(s.Version >= 1, "version", "must be 1 or more")
	v.check(s.Status == ShortlistDraft || s.Status == ShortlistPresented || s.Status == ShortlistSuperseded, "status", "must be draft, presented or superseded")
	v.check(s.Status == ShortlistDraft || (s.PresentedAt != nil && len(s.Snapshot) > 0), "snapshot", "a presented shortlist needs its snapshot and time")
	seen := map[int64]bool{}
	for i, it := range s.Items {
		f := fmt.Sprintf("items[%d].", i)
		v.check(it.Position == i+1, f+"position", "positions must run from 1 in order")
		v.check(it.Mode == "named" || it.Mode == "blind", f+"mode", "must be named or blind")
		v.check(!seen[it.EntryID], f+"entry_id", "a candidate appears twice")
		seen[it.EntryID] = true
	}
	return v.result()
}

// Feedback decisions an employer gives on a presented candidate.
const (
	DecisionInterviewPlanned = "interview_planned"
	DecisionInterviewHeld    = "interview_held"
	DecisionHired            = "hired"
	DecisionNotSelected      = "not_selected"
	DecisionOnHold           = "on_hold"
)

// Decisions returns the feedback decisions.
func Decisions() []string {
	return []string{DecisionInterviewPlanned, DecisionInterviewHeld, DecisionHired, DecisionNotSelected, DecisionOnHold}
}

// Feedback is the employer's feedback on a presented candidate, given by the
// employer in the portal or recorded by the operator who collected it.
type Feedback struct {
	ID          int64      `json:"id" db:"id"`
	EntryID     int64      `json:"entry_id" db:"entry_id"`
	ShortlistID *int64     `json:"shortlist_id,omitempty" db:"shortlist_id"`
	Decision    string     `json:"decision" db:"decision"`
	Reason      string     `json:"reason,omitempty" db:"reason"`
	Comment     string     `json:"comment" db:"comment"`
	InterviewAt *time.Time `json:"interview_at,omitempty" db:"interview_at"`
	// StartDate and ContractType describe a hire.
	StartDate    *time.Time `json:"start_date,omitempty" db:"start_date"`
	ContractType string     `json:"contract_type,omitempty" db:"contract_type"`
	// RequirementID optionally names the requirement the candidate did not meet.
	RequirementID *int64    `json:"requirement_id,omitempty" db:"requirement_id"`
	At            time.Time `json:"at" db:"at"`
	By            *int64    `json:"by,omitempty" db:"by"`
}

// Validate checks the feedback's fields.
func (f *Feedback) Validate() error {
	var v checker
	v.check(f.EntryID > 0, "entry_id", "is required")
	v.check(in(f.Decision, Decisions()), "decision", "must be interview_planned, interview_held, hired, not_selected or on_hold")
	v.check((f.Decision == DecisionNotSelected) == (f.Reason != ""), "reason", "is required exactly when the candidate is not selected")
	v.check(f.Reason == "" || IsRejectionReason(f.Reason), "reason", "%q is not a reason code", f.Reason)
	v.check(f.Decision != DecisionInterviewPlanned || f.InterviewAt != nil, "interview_at", "is required when an interview is planned")
	v.check(f.Decision != DecisionHired || f.StartDate != nil, "start_date", "is required for a hire")
	v.check(f.Decision != DecisionHired || f.ContractType != "", "contract_type", "is required for a hire")
	v.check(f.ContractType == "" || IsContractType(f.ContractType), "contract_type", "%q is not a contract type", f.ContractType)
	v.check(f.Decision == DecisionNotSelected || f.RequirementID == nil, "requirement_id", "names an unmet requirement only when the candidate is not selected")
	v.maxLen(f.Comment, 2000, "comment")
	return v.result()
}

// FeedbackStage returns the pipeline stage a feedback decision moves a
// presented candidate to, if any.
func FeedbackStage(decision string) (Stage, bool) {
	switch decision {
	case DecisionInterviewHeld:
		return StageInterviewed, true
	case DecisionHired:
		return StageHired, true
	case DecisionNotSelected:
		return StageRejected, true
	}
	return "", false
}

// SelectionSession is a 4D selection-support session with the employer:
// when, who took part, what was discussed, and the candidate proposed for
// hiring, if any.
type SelectionSession struct {
	ID              int64     `json:"id" db:"id"`
	RequestID       int64     `json:"request_id" db:"request_id"`
	HeldAt          time.Time `json:"held_at" db:"held_at"`
	Participants    string    `json:"participants" db:"participants"`
	Note            string    `json:"note" db:"note"`
	ProposedEntryID *int64    `json:"proposed_entry_id,omitempty" db:"proposed_entry_id"`
	At              time.Time `json:"at" db:"at"`
	By              *int64    `json:"by,omitempty" db:"by"`
}

// Validate checks the session's fields.
func (s *SelectionSession) Validate() error {
	var v checker
	v.check(s.RequestID > 0, "request_id", "is required")
	v.check(!s.HeldAt.IsZero(), "held_at", "is required")
	v.required(s.Participants, "participants")
	v.maxLen(s.Participants, 500, "participants")
	v.required(s.Note, "note")
	v.maxLen(s.Note, 4000, "note")
	return v.result()
}

// CompetenceCheck is a 4D verification of a competence a candidate declares.
type CompetenceCheck struct {
	ID            int64     `json:"id" db:"id"`
	EntryID       int64     `json:"entry_id" db:"entry_id"`
	RequirementID *int64    `json:"requirement_id,omitempty" db:"requirement_id"`
	Competence    string    `json:"competence" db:"competence"`
	Method        string    `json:"method" db:"method"`
	Result        string    `json:"result" db:"result"`
	Note          string    `json:"note" db:"note"`
	At            time.Time `json:"at" db:"at"`
	By            *int64    `json:"by,omitempty" db:"by"`
}

// Validate checks the verification's fields.
func (c *CompetenceCheck) Validate() error {
	var v checker
	v.check(c.EntryID > 0, "entry_id", "is required")
	v.required(c.Competence, "competence")
	v.check(in(c.Method, []string{"interview", "practical_test", "document_check", "reference_check"}), "method", "must be interview, practical_test, document_check or reference_check")
	v.check(in(c.Result, []string{"confirmed", "partly_confirmed", "not_confirmed"}), "result", "must be confirmed, partly_confirmed or not_confirmed")
	return v.result()
}
