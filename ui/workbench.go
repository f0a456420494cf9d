package ui

import (
	"fmt"
	"time"

	"incontro/matching"
)

// The operator's workbench: the queue of requests, the request page with
// its life cycle and requirements editor, and the match page. Their
// catalogue keys start with "wb.".

// WbStatusKey is the catalogue key of a request state.
func WbStatusKey(s matching.RequestStatus) string { return "wb.status." + string(s) }

// WbOutcomeKey is the catalogue key of an outcome.
func WbOutcomeKey(o matching.Outcome) string { return "wb.outcome." + string(o) }

// WbReasonKey is the catalogue key of a closing reason.
func WbReasonKey(r matching.CloseReason) string { return "wb.reason." + string(r) }

// WbKindKey is the catalogue key of a requirement kind.
func WbKindKey(k matching.RequirementKind) string { return "wb.kind." + string(k) }

// WbEvidenceKey is the catalogue key of an assessment's evidence.
func WbEvidenceKey(e matching.Evidence) string { return "wb.evidence." + string(e) }

// WbGroundKey is the catalogue key of a ground of the wording check.
func WbGroundKey(g string) string { return "wb.ground." + g }

// WbPhaseKey is the catalogue key of a phase of the standard.
func WbPhaseKey(p matching.Phase) string { return "wb.phase." + string(p) }

// wbLabels are the translations the workbench templates look up by value.
type wbLabels struct{}

// StatusKey is the catalogue key of a request state.
func (wbLabels) StatusKey(s matching.RequestStatus) string { return WbStatusKey(s) }

// OutcomeKey is the catalogue key of an outcome.
func (wbLabels) OutcomeKey(o matching.Outcome) string { return WbOutcomeKey(o) }

// ReasonKey is the catalogue key of a closing reason.
func (wbLabels) ReasonKey(r matching.CloseReason) string { return WbReasonKey(r) }

// KindKey is the catalogue key of a requirement kind.
func (wbLabels) KindKey(k matching.RequirementKind) string { return WbKindKey(k) }

// EvidenceKey is the catalogue key of an evidence.
func (wbLabels) EvidenceKey(e matching.Evidence) string { return WbEvidenceKey(e) }

// GroundKey is the catalogue key of a ground of the wording check.
func (wbLabels) GroundKey(g string) string { return WbGroundKey(g) }

// PhaseKey is the catalogue key of a phase.
func (wbLabels) PhaseKey(p matching.Phase) string { return WbPhaseKey(p) }

// Hours renders minutes as hours and minutes.
func (wbLabels) Hours(m int) string { return matching.FormatMinutes(m) }

// Percent renders a 0..1 figure as a percentage.
func (wbLabels) Percent(x float64) string { return fmt.Sprintf("%.0f%%", x*100) }

// Badges are what a request's row and header flag: hours against the
// standard, the employer's feedback, expiring availabilities, wording.
type Badges struct {
	// Time is the request's time per phase; nil when none is shown.
	Time []matching.PhaseTime
	// FeedbackDue: a reminder to the employer is due; ProposeClose: the
	// request may be closed as "no answer".
	FeedbackDue, ProposeClose bool
	AvailabilityExpiring      int
	AvailabilityExpired       int
	FlaggedWording            bool
}

// RequestHeader is a request as the queue's rows and the request pages
// show it.
type RequestHeader struct {
	ID           int64
	VacancyID    int64
	VacancyTitle string
	EmployerName string
	ProviderName string
	OperatorName string
	Status       matching.RequestStatus
	Outcome      *matching.Outcome
	CloseReason  *matching.CloseReason
	With4D       bool
	OpenedAt     time.Time
	ClosedAt     *time.Time
	Badges       Badges
}

// Closed reports whether the request is closed.
func (h RequestHeader) Closed() bool { return h.Status == matching.StatusClosed }

// Href is the request page.
func (h RequestHeader) Href() string { return fmt.Sprintf("/operatore/richieste/%d", h.ID) }

// QueueFilter is the queue's filter as typed.
type QueueFilter struct {
	State, Status, Mine, Query string
}

// VacancyOption is a vacancy the operator may open a request for.
type VacancyOption struct {
	ID           int64
	Title        string
	EmployerName string
}

// NewRequestForm is what the operator typed in the new-request form.
type NewRequestForm struct {
	VacancyID int64
	With4D    bool
}

// QueueData is the data of the "wb_queue" page.
type QueueData struct {
	Page
	wbLabels
	Filter           QueueFilter
	Rows             []RequestHeader
	Total, From, To  int
	PrevURL, NextURL string
	Vacancies        []VacancyOption
	Form             NewRequestForm
	// Errors are the filter's (keys "f-" and the parameter) and the
	// new-request form's.
	Errors FieldErrors
}

// Statuses returns the request states, for the filter.
func (QueueData) Statuses() []matching.RequestStatus { return matching.RequestStatuses() }

// RequestTabs is the tab bar of a request's pages ("request_tabs").
type RequestTabs struct {
	Locale    Locale
	RequestID int64
	// Current is the tab shown: request, match, candidates, shortlist, time.
	Current string
}

// T translates a message of the tab bar.
func (t RequestTabs) T(key string, args ...any) string { return t.Locale.T(key, args...) }

// Base is the path of the request page the tabs hang from.
func (t RequestTabs) Base() string { return fmt.Sprintf("/operatore/richieste/%d", t.RequestID) }

// RequestTabs returns the tab bar of request id with the tab current
// (request, match, candidates, shortlist or time) selected.
func (p Page) RequestTabs(id int64, current string) RequestTabs {
	return RequestTabs{Locale: p.Locale, RequestID: id, Current: current}
}

// HistoryRow is an entry of a request's status history.
type HistoryRow struct {
	matching.StatusChange
	ByName string
}

// RequirementRow is a requirement in the editor, in rank order.
type RequirementRow struct {
	matching.Requirement
	Description matching.Text
	Weight      float64
	Points      float64
	First, Last bool
	// Focus is the move button that gets the focus after a move: "up",
	// "down" or "".
	Focus string
}

// OutcomeOption is an outcome with the closing reasons that go with it.
type OutcomeOption struct {
	Outcome matching.Outcome
	Reasons []matching.CloseReason
}

// CloseForm is what the operator typed in the close form.
type CloseForm struct {
	Outcome     string
	CloseReason string
	Note        string
}

// RequestPageData is the data of the "wb_request" page.
type RequestPageData struct {
	Page
	wbLabels
	Req   RequestHeader
	Facts matching.RequestFacts
	// Moves are the states the operator may ask for by a button (not
	// closing, which has its form).
	Moves    []matching.RequestStatus
	CanClose bool
	Outcomes []OutcomeOption
	Close    CloseForm
	History  []HistoryRow
	// The vacancy and its requirements editor.
	VacancyStatus matching.VacancyStatus
	Requirements  []RequirementRow
	Findings      []matching.Finding
	// NewReq is what the operator typed in the form that adds a
	// requirement; AddOpen keeps that form open.
	NewReq  NewRequirementForm
	AddOpen bool
	Errors  FieldErrors
}

// NewRequirementForm is a requirement as typed in the add form.
type NewRequirementForm struct {
	Kind, Code, Label, Level, Field, MinYears, MaxKm, FromDate, Values string
	Essential                                                          bool
}

// Kinds returns the requirement kinds, for the add form.
func (RequestPageData) Kinds() []matching.RequirementKind { return matching.RequirementKinds() }

// AllReasons returns every closing reason with the outcomes it goes with,
// for the close form's choice (the script narrows it to the outcome).
func (d RequestPageData) AllReasons() []ReasonOption {
	var out []ReasonOption
	seen := map[matching.CloseReason]int{}
	for _, o := range d.Outcomes {
		for _, r := range o.Reasons {
			if i, ok := seen[r]; ok {
				out[i].Outcomes += " " + string(o.Outcome)
				continue
			}
			seen[r] = len(out)
			out = append(out, ReasonOption{Reason: r, Outcomes: string(o.Outcome)})
		}
	}
	return out
}

// ReasonOption is a closing reason and the outcomes (space-separated) it
// goes with.
type ReasonOption struct {
	Reason   matching.CloseReason
	Outcomes string
}

// Editable reports whether the requirements may be changed here.
func (d RequestPageData) Editable() bool {
	return d.VacancyStatus != matching.VacancyClosed && !d.Req.Closed()
}

// RunRow is a match run in the list of a request's runs.
type RunRow struct {
	ID        int64
	CreatedAt time.Time
	Recalled  int
	Current   bool
}

// ResultRow is a candidate of a match run.
type ResultRow struct {
	Position    int
	CandidateID int64
	// Name is the candidate's name, as the pipeline shows it; empty for an
	// erased candidate.
	Name        string
	Score       float64
	Explanation matching.Explanation
	// Missing describes the essential requirements a near miss lacks.
	Missing    []matching.Text
	InPipeline bool
}

// MatchPageData is the data of the "wb_match" page.
type MatchPageData struct {
	Page
	wbLabels
	Req RequestHeader
	// NoIndex: this server cannot match.
	NoIndex bool
	Runs    []RunRow
	// RunID is the run shown (0: none yet).
	RunID      int64
	RunAt      time.Time
	Recalled   int
	Ranked     []ResultRow
	NearMisses []ResultRow
	Errors     FieldErrors
}

// BadgeView is what the "wb_badges" partial shows: a request's badges.
type BadgeView struct {
	wbLabels
	Locale Locale
	B      Badges
}

// T translates a message of the badges.
func (v BadgeView) T(key string, args ...any) string { return v.Locale.T(key, args...) }

// WbBadges returns the view of a request's badges for the "wb_badges"
// partial.
func (p Page) WbBadges(b Badges) BadgeView { return BadgeView{Locale: p.Locale, B: b} }

// ResultView is what the "wb_result" partial shows: a candidate of a run
// with what its add button posts.
type ResultView struct {
	wbLabels
	Locale    Locale
	R         ResultRow
	RequestID int64
	RunID     int64
	CSRF      string
}

// T translates a message of a result.
func (v ResultView) T(key string, args ...any) string { return v.Locale.T(key, args...) }

// Say says a text of the result's explanation in the page's language.
func (v ResultView) Say(t matching.Text) string { return v.Locale.Say(t) }

// WbResult returns the view of a result for the "wb_result" partial.
func (d MatchPageData) WbResult(r ResultRow) ResultView {
	return ResultView{Locale: d.Locale, R: r, RequestID: d.Req.ID, RunID: d.RunID, CSRF: d.CSRFToken}
}

// NewField is a text field of the add-requirement form ("wb_new_field").
type NewField struct {
	Locale Locale
	// Name is the requirement's field (the input is new_<Name>, its id
	// new-<Name>); Label a catalogue key.
	Name, Value, Label, Error string
}

// T translates the field's label.
func (f NewField) T(key string, args ...any) string { return f.Locale.T(key, args...) }

// WbNewField returns a field of the add-requirement form with its error.
func (d RequestPageData) WbNewField(name, value, label string) NewField {
	return NewField{Locale: d.Locale, Name: name, Value: value, Label: label, Error: d.Errors["new-"+name]}
}
