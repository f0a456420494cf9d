package ui

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"incontro/matching"
)

// The employer's portal: the home with its vacancies and requests, the
// vacancy form (a new vacancy or a draft), and a request's page with the
// shortlist presented and the feedback forms. Their catalogue keys start
// with "emp.".

// EmpRequestPath is the employer's page of a request.
func EmpRequestPath(id int64) string { return "/datore/richieste/" + strconv.FormatInt(id, 10) }

// EmpVacancyPath is the employer's page of a vacancy without a request
// (a draft, or a vacancy published without asking for the service).
func EmpVacancyPath(id int64) string { return "/datore/offerte/" + strconv.FormatInt(id, 10) }

// EmpNewVacancyPath is the form of a new vacancy.
const EmpNewVacancyPath = "/datore/offerte/nuova"

// empLabels are the translations the employer's templates look up by value.
type empLabels struct{}

// StatusKey is the catalogue key of a request state in the employer's words.
func (empLabels) StatusKey(s matching.RequestStatus) string { return "emp.status." + string(s) }

// StatusHelpKey is the catalogue key of what a request state means for the
// employer: what happens now and who acts.
func (empLabels) StatusHelpKey(s matching.RequestStatus) string {
	return "emp.status_help." + string(s)
}

// OutcomeKey is the catalogue key of a closed request's outcome.
func (empLabels) OutcomeKey(o matching.Outcome) string { return "emp.outcome." + string(o) }

// ReasonKey is the catalogue key of a closing reason.
func (empLabels) ReasonKey(r matching.CloseReason) string { return "emp.close." + string(r) }

// VacancyStatusKey is the catalogue key of a vacancy's publication state.
func (empLabels) VacancyStatusKey(s matching.VacancyStatus) string {
	return "emp.vacancy_status." + string(s)
}

// KindKey is the catalogue key of a requirement kind.
func (empLabels) KindKey(k matching.RequirementKind) string { return "emp.kind." + string(k) }

// GroundKey is the catalogue key of a ground of the wording check.
func (empLabels) GroundKey(g string) string { return "emp.ground." + g }

// ContractKey is the catalogue key of a contract type.
func (empLabels) ContractKey(code string) string { return "emp.contract." + code }

// WorkingTimeKey is the catalogue key of a working-time pattern.
func (empLabels) WorkingTimeKey(code string) string { return "emp.wt." + code }

// EvidenceKey is the catalogue key of what a CV says about a requirement.
func (empLabels) EvidenceKey(e matching.Evidence) string { return "emp.ev." + string(e) }

// EvidenceClass is the badge class of an evidence (its name is always
// written in the badge).
func (empLabels) EvidenceClass(e matching.Evidence) string {
	switch e {
	case matching.Met:
		return "bg-success"
	case matching.PartlyMet:
		return "bg-warning text-dark"
	case matching.NotMet:
		return "bg-danger"
	}
	return "bg-secondary"
}

// StageKey is the catalogue key of a presented candidate's stage.
func (empLabels) StageKey(s matching.Stage) string { return "emp.stage." + string(s) }

// DecisionKey is the catalogue key of a feedback decision.
func (empLabels) DecisionKey(d string) string { return "emp.decision." + d }

// RejectionKey is the catalogue key of a reason for not selecting a candidate.
func (empLabels) RejectionKey(r string) string { return "emp.reason." + r }

// Percent renders a 0..1 share as a whole percentage.
func (empLabels) Percent(x float64) string { return strconv.Itoa(int(x*100+0.5)) + "%" }

// EmpLanguages are the languages the vacancy form offers for a language
// requirement (ISO 639-1), each named by the catalogue key emp.lang.<code>.
func EmpLanguages() []string {
	return []string{"it", "de", "en", "fr", "es", "pt", "ro", "sq", "ar", "ru", "uk", "pl", "zh", "hi", "ur", "bn", "nl", "sl",
		"hr", "sr", "tr"}
}

// EmpSkillLevels are the levels a skill requirement may ask for.
func EmpSkillLevels() []string { return []string{"basic", "intermediate", "advanced", "expert"} }

// --- The home ---

// EmpRequestRow is a request as the employer's home shows it.
type EmpRequestRow struct {
	ID           int64
	Status       matching.RequestStatus
	Outcome      *matching.Outcome
	OpenedAt     time.Time
	ProviderName string
	// Awaiting: a shortlist was presented and no feedback came since;
	// ReminderDue and ProposeClose follow the workflow's periods.
	Awaiting, ReminderDue, ProposeClose bool
}

// Href is the request's page.
func (r EmpRequestRow) Href() string { return EmpRequestPath(r.ID) }

// Closed reports whether the request is closed.
func (r EmpRequestRow) Closed() bool { return r.Status == matching.StatusClosed }

// EmpVacancyRow is a vacancy of the employer with its request, if any.
type EmpVacancyRow struct {
	ID        int64
	Title     string
	Status    matching.VacancyStatus
	Place     string
	CreatedAt time.Time
	ClosesOn  *time.Time
	Request   *EmpRequestRow
}

// Href is where the vacancy's link goes: its request, or the vacancy's
// own page when no request was opened.
func (v EmpVacancyRow) Href() string {
	if v.Request != nil {
		return v.Request.Href()
	}
	return EmpVacancyPath(v.ID)
}

// EmployerHomeData is the data of the "emp_home" page.
type EmployerHomeData struct {
	Page
	empLabels
	Company      string
	ProviderName string
	Rows         []EmpVacancyRow
	// Todo are the rows whose request waits on the employer.
	Todo []EmpVacancyRow
	// Total is the number of vacancies; Rows shows at most the newest
	// HomeLimit.
	Total int
}

// HomeLimit is how many vacancies the home lists.
const HomeLimit = 100

// More reports whether the home lists only part of the vacancies.
func (d EmployerHomeData) More() bool { return d.Total > len(d.Rows) }

// NewVacancyHref is the new-vacancy form.
func (EmployerHomeData) NewVacancyHref() string { return EmpNewVacancyPath }

// --- The vacancy form ---

// EmpReqRow is a requirement row of the vacancy form, as typed. Its kind
// is fixed when the row is added; the fields it shows depend on it.
type EmpReqRow struct {
	// ID is the stored requirement (a draft being edited), 0 for a new one.
	ID        int64
	Kind      matching.RequirementKind
	Value     string
	Level     string
	Years     string
	Field     string
	MaxKm     string
	FromDate  string
	Values    []string
	Essential bool
}

// Has reports whether a multiple choice of the row includes code.
func (r EmpReqRow) Has(code string) bool { return slices.Contains(r.Values, code) }

// VacancyForm is the vacancy form as typed.
type VacancyForm struct {
	// ID is the draft being edited, 0 for a new vacancy.
	ID           int64
	Title        string
	Occupation   string
	Municipality string
	ContractType string
	WorkingTime  []string
	WeeklyHours  string
	Positions    string
	ClosesOn     string
	Description  string
	Requirements []EmpReqRow
	// AddKind is the kind chosen for the next requirement.
	AddKind    string
	ProviderID string
	With4D     bool
	// Checked: the server checked the text and found nothing to rewrite.
	Checked bool
}

// HasWorkingTime reports whether a working-time pattern is ticked.
func (f VacancyForm) HasWorkingTime(code string) bool { return slices.Contains(f.WorkingTime, code) }

// EmpFinding is a passage the wording check flags, with its ground, why
// and the law; Justified is an operator's written acceptance.
type EmpFinding struct {
	Ground      string
	Excerpt     string
	Explanation string
	Law         string
	Justified   bool
}

// ProviderChoice is a provider the employer may ask for the service.
type ProviderChoice struct {
	ID   int64
	Name string
}

// VacancyFormData is the data of the "emp_vacancy" page.
type VacancyFormData struct {
	Page
	empLabels
	Form   VacancyForm
	Errors FieldErrors
	// Findings are what the wording check says of the text: the check of
	// the text as posted, or the stored findings of a draft.
	Findings []EmpFinding
	// Status is the vacancy's state (a draft, or published without a
	// request); Editable: its text may be changed here.
	Status   matching.VacancyStatus
	Editable bool
	// AssignedProvider names the provider that serves the employer; without
	// one, the employer chooses among Providers.
	AssignedProvider string
	Providers        []ProviderChoice
	Municipalities   []Municipality
	Occupations      []Choice
	Skills           []Choice
	// Focus is the id of the button that gets the focus after a move.
	Focus string
}

// Action is where the form posts.
func (d VacancyFormData) Action() string {
	if d.Form.ID != 0 {
		return EmpVacancyPath(d.Form.ID)
	}
	return EmpNewVacancyPath
}

// Kinds returns the requirement kinds, for the add-a-requirement choice.
func (VacancyFormData) Kinds() []matching.RequirementKind { return matching.RequirementKinds() }

// Contracts returns the contract type codes.
func (VacancyFormData) Contracts() []string { return termCodes(matching.ContractTypes()) }

// WorkingTimes returns the working-time pattern codes.
func (VacancyFormData) WorkingTimes() []string { return termCodes(matching.WorkingTimes()) }

// Licences returns the licence codes.
func (VacancyFormData) Licences() []string { return termCodes(matching.Licences()) }

// CEFR returns the CEFR levels.
func (VacancyFormData) CEFR() []string { return matching.CEFRLevels() }

// SkillLevels returns the levels of a skill requirement.
func (VacancyFormData) SkillLevels() []string { return EmpSkillLevels() }

// EQF returns the EQF levels, 1 to 8.
func (VacancyFormData) EQF() []string {
	out := make([]string, 0, 8)
	for _, l := range matching.EQFLevels() {
		out = append(out, strconv.Itoa(l.Level))
	}
	return out
}

// Last reports whether i is the last requirement row.
func (d VacancyFormData) Last(i int) bool { return i == len(d.Form.Requirements)-1 }

// RowID is the id of a field of requirement row i ("req-<i>-<field>").
func (VacancyFormData) RowID(i int, field string) string { return fmt.Sprintf("req-%d-%s", i, field) }

// RowErr returns the error of a field of requirement row i.
func (d VacancyFormData) RowErr(i int, field string) FieldError {
	return d.Errors.For(d.RowID(i, field))
}

// RowInvalid reports whether a field of requirement row i has an error.
func (d VacancyFormData) RowInvalid(i int, field string) bool {
	return d.Errors.Invalid(d.RowID(i, field))
}

// Flagged reports whether some finding is not justified: the form cannot
// publish the text as it is.
func (d VacancyFormData) Flagged() bool {
	for _, f := range d.Findings {
		if !f.Justified {
			return true
		}
	}
	return false
}

func termCodes(ts []matching.Term) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Code
	}
	return out
}

// --- A request ---

// EmpRequirementLine is a requirement of the vacancy in words.
type EmpRequirementLine struct {
	ID        int64
	Rank      int
	Essential bool
	Kind      matching.RequirementKind
	Text      matching.Text
}

// EmpVacancySummary is the vacancy of a request as its page shows it.
type EmpVacancySummary struct {
	ID           int64
	Title        string
	Status       matching.VacancyStatus
	Place        string
	ContractType string
	WorkingTime  []string
	WeeklyHours  *int
	Positions    int
	ClosesOn     *time.Time
	Description  string
	Requirements []EmpRequirementLine
	Findings     []EmpFinding
}

// EmpHistoryRow is a change of a request's state.
type EmpHistoryRow struct {
	At          time.Time
	To          matching.RequestStatus
	Outcome     *matching.Outcome
	CloseReason *matching.CloseReason
	Note        string
	// ByYou: the employer's own account made the change.
	ByYou bool
}

// EmpCV is the professional part of a presented candidate's CV.
type EmpCV struct {
	Headline       string
	Experiences    []matching.Experience
	Education      []matching.Education
	Skills         []matching.CandidateSkill
	Languages      []matching.LanguageLevel
	Licences       []string
	Certifications []matching.Certification
	AvailableFrom  *time.Time
	WeeklyHours    *int
	WorkingTime    []string
}

// Empty reports whether the CV says nothing.
func (cv EmpCV) Empty() bool {
	return cv.Headline == "" && len(cv.Experiences) == 0 && len(cv.Education) == 0 && len(cv.Skills) == 0 &&
		len(cv.Languages) == 0 && len(cv.Licences) == 0 && len(cv.Certifications) == 0 && cv.AvailableFrom == nil
}

// EmpCandidate is a candidate of the shortlist presented to the employer,
// as the employer may see them now.
type EmpCandidate struct {
	Position  int
	EntryID   int64
	Pseudonym string
	// Shown is named, blind or unavailable (the candidate took back their
	// consent, withdrew or was erased).
	Shown       matching.Visibility
	Name        string
	Email       string
	Phone       string
	Stage       matching.Stage
	Note        string
	Fit         *float64
	Explanation *matching.Explanation
	CV          *EmpCV
	Feedback    []matching.Feedback
	// Checks are the 4D verifications of the candidate's competences.
	Checks []matching.CompetenceCheck
}

// Gone reports whether the candidate is no longer available to the employer.
func (c EmpCandidate) Gone() bool { return c.Shown == matching.ShownGone }

// Named reports whether the employer sees the candidate's name.
func (c EmpCandidate) Named() bool { return c.Shown == matching.ShownNamed }

// Title is how the page names the candidate: the name, or the pseudonym.
func (c EmpCandidate) Title() string {
	if c.Name != "" {
		return c.Name
	}
	return c.Pseudonym
}

// Answerable reports whether the employer may still give feedback: the
// candidate is presented or interviewed (a hire or a refusal is final).
func (c EmpCandidate) Answerable() bool {
	return !c.Gone() && (c.Stage == matching.StagePresented || c.Stage == matching.StageInterviewed)
}

// Waiting reports whether the candidate has had no answer yet.
func (c EmpCandidate) Waiting() bool { return c.Answerable() && len(c.Feedback) == 0 }

// EmpShortlist is the shortlist presented now.
type EmpShortlist struct {
	Version     int
	PresentedAt *time.Time
	Note        string
	Candidates  []EmpCandidate
}

// EmpRequestData is the data of the "emp_request" page.
type EmpRequestData struct {
	Page
	empLabels
	ID           int64
	Status       matching.RequestStatus
	Outcome      *matching.Outcome
	CloseReason  *matching.CloseReason
	ProviderName string
	OperatorName string
	With4D       bool
	OpenedAt     time.Time
	ClosedAt     *time.Time
	Vacancy      EmpVacancySummary
	History      []EmpHistoryRow
	Feedback     matching.FeedbackState
	Shortlist    *EmpShortlist
	// Sessions are the 4D selection-support sessions, each with the
	// candidate proposed for hiring (named as the shortlist names them).
	Sessions []EmpSession
	// Versions is how many shortlist versions were presented.
	Versions    int
	CanWithdraw bool
	// WithdrawReasons are the closing reasons of a withdrawal.
	WithdrawReasons []matching.CloseReason
	Decisions       []string
	Reasons         []string
	Contracts       []string
	Form            FormState
	Errors          FieldErrors
}

// Closed reports whether the request is closed.
func (d EmpRequestData) Closed() bool { return d.Status == matching.StatusClosed }

// Waiting counts the presented candidates still waiting for an answer.
func (d EmpRequestData) Waiting() int {
	if d.Shortlist == nil || d.Closed() {
		return 0
	}
	n := 0
	for _, c := range d.Shortlist.Candidates {
		if c.Waiting() {
			n++
		}
	}
	return n
}

// FeedbackAction is where a candidate's feedback form posts.
func (EmpRequestData) FeedbackAction(entryID int64) string {
	return "/datore/candidati-richiesta/" + strconv.FormatInt(entryID, 10) + "/riscontro"
}

// FormID is the id prefix of a candidate's feedback form.
func (EmpRequestData) FormID(entryID int64) string { return "fb-" + strconv.FormatInt(entryID, 10) }

// ReqRowView is a requirement row of the vacancy form as the
// "emp_req_row" template shows it.
type ReqRowView struct {
	I int
	D VacancyFormData
	R EmpReqRow
}

// ReqRowView returns the view of requirement row i.
func (d VacancyFormData) ReqRowView(i int) ReqRowView {
	return ReqRowView{I: i, D: d, R: d.Form.Requirements[i]}
}

// Rank is the row's rank: 1 is the most important.
func (v ReqRowView) Rank() int { return v.I + 1 }

// ReqField is a field of a requirement row: its id (and name)
// "req-<i>-<field>", what was typed, its label (a catalogue key), the
// datalist it suggests from, and its error.
type ReqField struct {
	Locale   Locale
	ID       string
	Value    string
	Label    string
	List     string
	Error    string
	Focus    bool
	Options  []Option
	Optional bool
}

// T translates a message of the field.
func (f ReqField) T(key string, args ...any) string { return f.Locale.T(key, args...) }

// Err is the field's error for the "field-error" partial.
func (f ReqField) Err() FieldError { return FieldError{ID: f.ID, Text: f.Error} }

// Field returns a text field of the row.
func (v ReqRowView) Field(name, value, label, list string) ReqField {
	id := v.D.RowID(v.I, name)
	return ReqField{Locale: v.D.Locale, ID: id, Value: value, Label: label, List: list, Error: v.D.Errors[id], Focus: v.D.Focus == id}
}

// Choice returns a choice of the row among codes, each labelled by the
// catalogue key prefix+code; an optional choice may stay empty.
func (v ReqRowView) Choice(name, value, label string, codes []string, prefix string, optional bool) ReqField {
	f := v.Field(name, value, label, "")
	f.Options, f.Optional = Options(prefix, codes...), optional
	return f
}

// Multi returns the choices of a working-time or contract requirement.
func (v ReqRowView) Multi() []Option {
	if v.R.Kind == matching.ReqContract {
		return Options("emp.contract.", termCodes(matching.ContractTypes())...)
	}
	return Options("emp.wt.", termCodes(matching.WorkingTimes())...)
}

// SkillLevels returns the levels of a skill requirement.
func (ReqRowView) SkillLevels() []string { return EmpSkillLevels() }

// Languages returns the languages of a language requirement.
func (ReqRowView) Languages() []string { return EmpLanguages() }

// CEFR returns the CEFR levels.
func (ReqRowView) CEFR() []string { return matching.CEFRLevels() }

// Licences returns the licence categories.
func (ReqRowView) Licences() []string { return termCodes(matching.Licences()) }

// EQF returns the EQF levels.
func (v ReqRowView) EQF() []string { return v.D.EQF() }

// WordingText is what employer.js writes around the live wording check's
// findings, in the page's language.
func (d VacancyFormData) WordingText() map[string]any {
	grounds := map[string]string{}
	for _, g := range matching.Grounds() {
		grounds[string(g)] = d.T(d.GroundKey(string(g)))
	}
	return map[string]any{"found": d.T("emp.wording.found"), "rewrite": d.T("emp.wording.rewrite"), "law": d.T("emp.wording.law"),
		"ok": d.T("emp.wording.ok"), "idle": d.T("emp.wording.idle"), "error": d.T("emp.wording.error"),
		"checking": d.T("emp.wording.checking"), "grounds": grounds}
}

// Hours is the vacancy's weekly hours, 0 when not given.
func (v EmpVacancySummary) Hours() int {
	if v.WeeklyHours == nil {
		return 0
	}
	return *v.WeeklyHours
}

// CandidateView is a candidate of the shortlist as the "emp_candidate"
// template shows it, with the page around it.
type CandidateView struct {
	D EmpRequestData
	C EmpCandidate
}

// CandidateView returns the view of a candidate of the shortlist.
func (d EmpRequestData) CandidateView(c EmpCandidate) CandidateView { return CandidateView{D: d, C: c} }

// LanguageName names a language (ISO 639-1) in the page's language.
func (d EmpRequestData) LanguageName(code string) string {
	if key := "emp.lang." + code; d.Locale.Has(key) {
		return d.T(key)
	}
	return matching.LanguageName(code)
}

// RequirementText is a requirement of the vacancy in words, by its id ("" when
// it is no longer one of the vacancy's).
func (d EmpRequestData) RequirementText(id int64) string {
	for _, q := range d.Vacancy.Requirements {
		if q.ID == id {
			return d.Say(q.Text)
		}
	}
	return ""
}

// EmpSession is a 4D selection-support session with the employer.
type EmpSession struct {
	HeldAt       time.Time
	Participants string
	Note         string
	Proposed     string
}

// MethodKey is the catalogue key of how a competence was verified.
func (empLabels) MethodKey(m string) string { return "emp.method." + m }

// ResultKey is the catalogue key of a competence verification's result.
func (empLabels) ResultKey(r string) string { return "emp.result." + r }
