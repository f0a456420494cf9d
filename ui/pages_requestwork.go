package ui

import (
	"net/url"
	"strconv"
	"time"

	"incontro/matching"
)

// The operator's work on one request: the pipeline board and a candidate's
// detail, the shortlist builder with its versions, feedback and 4D, and the
// time against the standard. Each page's forms share one FormState: the
// form that came back with an error, what was typed in it and the errors,
// keyed by the id of the field ("<form>-<field>").

// FormState is the form of a page that came back with an error.
type FormState struct {
	// Name is the form that failed ("contact", "feedback-12", …).
	Name   string
	Values url.Values
	Errors FieldErrors
}

// Is reports whether form is the one that came back.
func (f FormState) Is(form string) bool { return f.Name != "" && f.Name == form }

// Val returns what was typed in a field of form, when form came back.
func (f FormState) Val(form, field string) string {
	if !f.Is(form) {
		return ""
	}
	return f.Values.Get(field)
}

// ValOr returns what was typed in a field of form when it came back, def
// otherwise.
func (f FormState) ValOr(form, field, def string) string {
	if !f.Is(form) {
		return def
	}
	return f.Values.Get(field)
}

// Checked reports whether a check box of form was ticked when it came back,
// def otherwise.
func (f FormState) Checked(form, field string, def bool) bool {
	if !f.Is(form) {
		return def
	}
	return f.Values.Get(field) != ""
}

// Err returns the error of a field of form.
func (f FormState) Err(form, field string) FieldError { return f.Errors.For(form + "-" + field) }

// Invalid reports whether a field of form has an error.
func (f FormState) Invalid(form, field string) bool { return f.Errors.Invalid(form + "-" + field) }

// General returns the error of form not tied to a field.
func (f FormState) General(form string) string {
	if !f.Is(form) {
		return ""
	}
	return f.Errors[""]
}

// RequestHead is the request as the tabs of its pages show it.
type RequestHead struct {
	ID           int64
	Title        string
	EmployerName string
	Status       matching.RequestStatus
	With4D       bool
	// Tab is the tab shown: candidates, shortlist or time.
	Tab string
}

// StatusKey is the catalogue key of the request's status.
func (h RequestHead) StatusKey() string { return WbStatusKey(h.Status) }

// Href returns the path of a tab of the request ("" is its main page).
func (h RequestHead) Href(tab string) string {
	p := "/operatore/richieste/" + strconv.FormatInt(h.ID, 10)
	if tab != "" {
		p += "/" + tab
	}
	return p
}

// Option is an entry of a choice: a value and the catalogue key of its label.
type Option struct {
	Value string
	Label string
}

// Options builds the options of codes whose labels are prefix+code.
func Options(prefix string, codes ...string) []Option {
	out := make([]Option, len(codes))
	for i, c := range codes {
		out[i] = Option{Value: c, Label: prefix + c}
	}
	return out
}

// BoardCandidate is a candidate on the pipeline board.
type BoardCandidate struct {
	EntryID int64
	// CandidateID is 0 once the jobseeker is erased.
	CandidateID int64
	Name        string
	Headline    string
	Source      matching.Source
	Score       *float64
	Stage       matching.Stage
	Reason      string
	Available   string // fresh, expiring, expired or none
	LastContact *time.Time
	LastOutcome string
	LastChannel string
	Notes       int
}

// BoardColumn is a stage of the board with its candidates.
type BoardColumn struct {
	Stage      matching.Stage
	Candidates []BoardCandidate
}

// ApplicationItem is a self-application to the request's vacancy.
type ApplicationItem struct {
	ID      int64
	Name    string
	Message string
	Status  matching.ApplicationStatus
	Reason  string
	At      time.Time
	EntryID *int64
}

// CandidatesData is the data of the "wb2_candidates" page.
type CandidatesData struct {
	Page
	Request      RequestHead
	Columns      []BoardColumn
	Total        int
	Applications []ApplicationItem
	Reasons      []Option
	Form         FormState
	Errors       FieldErrors
}

// EntryData is the data of the "wb2_entry" page: one candidate of a
// request's pipeline.
type EntryData struct {
	Page
	Request      RequestHead
	Candidate    BoardCandidate
	Contacts     []matching.Contact
	Notes        []matching.Note
	History      []matching.StageChange
	Asked        []matching.AvailabilityRequest
	NextStages   []Option
	Channels     []Option
	Outcomes     []Option
	Reasons      []Option
	Form         FormState
	Errors       FieldErrors
	ContactedNow string
}

// BuilderRow is a candidate the builder offers, as typed or as the draft has it.
type BuilderRow struct {
	EntryID   int64
	Name      string
	Stage     matching.Stage
	Score     *float64
	Available string
	Confirmed *time.Time
	// Consent is what the candidate allows: named, blind or none.
	Consent  matching.Presentation
	Picked   bool
	Mode     string
	Note     string
	Override string
}

// Stale reports whether the row's confirmation no longer holds.
func (r BuilderRow) Stale() bool { return r.Available == "expired" || r.Available == "none" }

// VersionCandidate is a candidate of a presented version.
type VersionCandidate struct {
	Position     int
	EntryID      int64
	Name         string
	Mode         string
	Shown        string
	Stage        matching.Stage
	Note         string
	OverrideNote string
	Score        *float64
	Fit          *float64
	Explanation  *matching.Explanation
	Feedback     []matching.Feedback
	Checks       []matching.CompetenceCheck
}

// Version is a shortlist version as the builder page lists it.
type Version struct {
	ID          int64
	Version     int
	Status      matching.ShortlistStatus
	Note        string
	CreatedAt   time.Time
	PresentedAt *time.Time
	Candidates  []VersionCandidate
}

// ShortlistData is the data of the "wb2_shortlist" page.
type ShortlistData struct {
	Page
	Request RequestHead
	// DraftID is the draft being built, 0 when there is none yet.
	DraftID int64
	// NewVersion: no draft, the builder starts from the version presented.
	NewVersion bool
	Note       string
	Rows       []BuilderRow
	Versions   []Version
	// Presented are the candidates of the version presented now, for the
	// feedback and 4D forms.
	Presented     []VersionCandidate
	FeedbackState matching.FeedbackState
	In4D          bool
	Sessions      []matching.SelectionSession
	Decisions     []Option
	Reasons       []Option
	Contracts     []Option
	Methods       []Option
	Results       []Option
	Form          FormState
	Errors        FieldErrors
}

// PhaseBar is a phase's time against its band, for the bar and its text.
type PhaseBar struct {
	Phase      matching.Phase
	Minutes    int
	MinMinutes int
	MaxMinutes int
	State      string
	// Percent is the bar's fill against the band's maximum (at most 100),
	// MinPercent where the band starts.
	Percent    int
	MinPercent int
}

// ActivityTime is the time recorded on an activity.
type ActivityTime struct {
	Activity string
	Minutes  int
}

// TimerView is the operator's running timer.
type TimerView struct {
	RequestID int64
	Activity  string
	StartedAt time.Time
	Elapsed   int
	// Here: the timer runs on this request.
	Here bool
}

// TimeData is the data of the "wb2_time" page.
type TimeData struct {
	Page
	Request    RequestHead
	Phases     []PhaseBar
	Total      int
	ByActivity []ActivityTime
	Entries    []matching.TimeEntry
	UserID     int64
	Timer      *TimerView
	Activities []Option
	Now        string
	Form       FormState
	Errors     FieldErrors
}

// HM formats minutes as hours and minutes for the page.
func (p Page) HM(m int) string { return matching.FormatMinutes(m) }

// FromStageLabel is the label of the stage a change started from, or ""
// for an entry's first stage (the template cannot print the stage a
// pointer holds).
func (p Page) FromStageLabel(s *matching.Stage) string {
	if s == nil {
		return ""
	}
	return p.T("wb2.stage." + string(*s))
}

// ScoreText formats a match score as the match page does: a decimal
// number in the page's language (the score is a weighted sum of the
// requirements' points, not a fraction: it is not a percentage).
func (p Page) ScoreText(s *float64) string {
	if s == nil {
		return "–"
	}
	return p.T("wb.decimal", *s)
}

// Own reports whether a time entry is the user's.
func (d TimeData) Own(e matching.TimeEntry) bool { return e.UserID != nil && *e.UserID == d.UserID }

// InputLocal formats a time for a datetime-local field, in Italian time.
func (p Page) InputLocal(t time.Time) string { return t.In(rome()).Format("2006-01-02T15:04") }

// AvailClass is the badge class of an availability state (the state's
// name is always written next to it).
func (p Page) AvailClass(state string) string {
	switch state {
	case "fresh":
		return "avail avail-fresh bg-success"
	case "expiring":
		return "avail avail-expiring bg-warning"
	case "expired":
		return "avail avail-expired bg-danger"
	}
	return "avail avail-none bg-secondary"
}

// BandClass is the class of a band state (under, within, over).
func (p Page) BandClass(state string) string {
	switch state {
	case "within":
		return "bg-success"
	case "over":
		return "bg-danger"
	}
	return "bg-warning"
}

// Last reports whether i is the builder's last row.
func (d ShortlistData) Last(i int) bool { return i == len(d.Rows)-1 }
