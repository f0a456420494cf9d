package matching

import (
	"encoding/json"
	"fmt"
	"time"
)

// Phase is the service standard a piece of operator time counts against.
type Phase string

// Phases of the service, each with its own time band.
const (
	Phase4C             Phase = "4C"              // 4–8 hours per request
	Phase4DVerification Phase = "4D_verification" // 2–6 hours
	Phase4DSelection    Phase = "4D_selection"    // 2–6 hours
)

// Band is the minimum and maximum operator time the standard sets for a phase.
type Band struct {
	Min, Max time.Duration
}

// StandardBand returns the time band of a phase in the provincial standard:
// card 4C 4 to 8 hours, each 4D phase 2 to 6 hours.
func StandardBand(p Phase) (Band, bool) {
	switch p {
	case Phase4C:
		return Band{4 * time.Hour, 8 * time.Hour}, true
	case Phase4DVerification, Phase4DSelection:
		return Band{2 * time.Hour, 6 * time.Hour}, true
	}
	return Band{}, false
}

// activities maps each activity of cards 4C and 4D to its phase.
var activities = map[string]Phase{
	"intake_interview":        Phase4C, // colloquio con il referente aziendale
	"profile_definition":      Phase4C,
	"database_search":         Phase4C, // ricerche in banca dati
	"vacancy_publication":     Phase4C,
	"candidate_contact":       Phase4C, // contatti con i lavoratori
	"self_application_review": Phase4C,
	"shortlist_presentation":  Phase4C,
	"feedback_collection":     Phase4C,
	"skill_gap_support":       Phase4C,
	"outcome_recording":       Phase4C,
	"competence_verification": Phase4DVerification,
	"selection_support":       Phase4DSelection,
}

// ActivityPhase returns the phase an activity belongs to.
func ActivityPhase(activity string) (Phase, bool) {
	p, ok := activities[activity]
	return p, ok
}

// TimeEntry is operator time spent on a request for one activity.
type TimeEntry struct {
	ID        int64  `json:"id" db:"id"`
	RequestID int64  `json:"request_id" db:"request_id"`
	UserID    *int64 `json:"user_id,omitempty" db:"user_id"`
	// UserName is the name of the operator who recorded the entry, filled
	// when entries are read.
	UserName  string    `json:"user_name,omitempty" db:"user_name"`
	Phase     Phase     `json:"phase" db:"phase"`
	Activity  string    `json:"activity" db:"activity"`
	StartedAt time.Time `json:"started_at" db:"started_at"`
	Minutes   int       `json:"minutes" db:"minutes"`
	Note      string    `json:"note" db:"note"`
	CreatedAt time.Time `json:"created_at" db:"created_at"`
}

// Validate checks the entry; the phase must be the activity's.
func (t *TimeEntry) Validate() error {
	var v checker
	v.check(t.RequestID > 0, "request_id", "is required")
	p, ok := ActivityPhase(t.Activity)
	v.check(ok, "activity", "%q is not an activity of cards 4C/4D", t.Activity)
	v.check(!ok || p == t.Phase, "phase", "activity %s belongs to phase %s", t.Activity, p)
	v.check(!t.StartedAt.IsZero(), "started_at", "is required")
	v.check(t.Minutes >= 1 && t.Minutes <= 720, "minutes", "must be between 1 and 720")
	v.maxLen(t.Note, 2000, "note")
	return v.result()
}

// AuditEvent records who did or read what, when, and in which request.
type AuditEvent struct {
	ID          int64           `json:"id" db:"id"`
	At          time.Time       `json:"at" db:"at"`
	UserID      *int64          `json:"user_id,omitempty" db:"user_id"`
	Role        Role            `json:"role,omitempty" db:"role"`
	Action      string          `json:"action" db:"action"`
	ObjectType  string          `json:"object_type,omitempty" db:"object_type"`
	ObjectID    *int64          `json:"object_id,omitempty" db:"object_id"`
	RequestID   *int64          `json:"request_id,omitempty" db:"request_id"`
	CandidateID *int64          `json:"candidate_id,omitempty" db:"candidate_id"`
	IP          string          `json:"ip,omitempty" db:"ip"`
	Detail      json.RawMessage `json:"detail,omitempty" db:"detail"`
}

// Outbox entities and operations: a change to searchable data that the index
// must apply.
const (
	EntityCandidate = "candidate"
	EntityVacancy   = "vacancy"
	OpUpsert        = "upsert"
	OpDelete        = "delete"
)

// OutboxEvent is a row of the outbox log.
type OutboxEvent struct {
	ID int64 `json:"id" db:"id"`
	// TxID is the writing transaction; rows are read in (TxID, ID) order.
	TxID     uint64    `json:"txid" db:"txid"`
	At       time.Time `json:"at" db:"at"`
	Entity   string    `json:"entity" db:"entity"`
	EntityID int64     `json:"entity_id" db:"entity_id"`
	Op       string    `json:"op" db:"op"`
}

// LatePaperwork is how long after a request closes its operators may still
// record time on it (the paperwork of the last days: a feedback call, the
// outcome written up). Later the request's time is final.
const LatePaperwork = 7 * Day

// CheckTimeEntry checks the rules of recording an entry on a request at
// now, beyond the entry's own Validate: the time was spent, not planned
// (started_at not after now, with a minute's tolerance for clocks); a
// closed request takes time only within LatePaperwork of closing; a 4D
// activity counts only on a request with the 4D phases or in a 4D state.
// Breaking the last two is ECONFLICT.
func CheckTimeEntry(r *Request, e *TimeEntry, now time.Time) error {
	if e.StartedAt.After(now.Add(time.Minute)) {
		return FieldErrorf("started_at", "is in the future: record time already spent")
	}
	if r.Status == StatusClosed && r.ClosedAt != nil && now.Sub(*r.ClosedAt) > LatePaperwork {
		return &Error{Code: ECONFLICT, Field: "request_id", Message: fmt.Sprintf(
			"request %d closed on %s: time can be recorded on a closed request only within %d days of closing",
			r.ID, r.ClosedAt.Format(time.DateOnly), int(LatePaperwork/Day))}
	}
	if p, ok := ActivityPhase(e.Activity); ok && p != Phase4C && !r.With4D &&
		r.Status != StatusCompetenceVerification && r.Status != StatusSelection {
		return &Error{Code: ECONFLICT, Field: "activity", Message: fmt.Sprintf(
			"%s is a 4D activity and request %d has no 4D phases: time on it counts only once the request goes to competence verification or is opened with 4D",
			e.Activity, r.ID)}
	}
	return nil
}

// CheckTimeEntryChange checks that userID may correct or delete an entry
// of request r: only its author (EFORBIDDEN otherwise), and only while the
// request is open (ECONFLICT once it is closed: late paperwork adds
// entries, it does not rewrite them).
func CheckTimeEntryChange(r *Request, e *TimeEntry, userID int64) error {
	if e.UserID == nil || *e.UserID != userID {
		return Errorf(EFORBIDDEN, "only the operator who recorded time entry %d may change or delete it", e.ID)
	}
	if r.Status == StatusClosed {
		return &Error{Code: ECONFLICT, Field: "request_id", Message: fmt.Sprintf(
			"request %d is closed: its time entries can no longer be changed or deleted", r.ID)}
	}
	return nil
}

// ElapsedMinutes returns the whole minutes a timer has run at now.
func (t *Timer) ElapsedMinutes(now time.Time) int {
	return max(0, int(now.Sub(t.StartedAt)/time.Minute))
}
