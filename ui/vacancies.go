package ui

import (
	"fmt"
	"html/template"
	"time"

	"incontro/matching"
)

// The public vacancy pages (templates pub_*, keys "pub.") and the
// jobseeker's activity on them (templates act_*, keys "act."): the
// recommended vacancies, the applications and the availability questions.

// PubVacancyCard is a vacancy in a list: the public one and the recommended
// ones. Contract and WorkingTime are catalogue keys.
type PubVacancyCard struct {
	ID           int64
	Title        string
	EmployerName string
	Place        string
	Contract     string
	WorkingTime  []string
	PublishedAt  *time.Time
	ClosesOn     *time.Time
}

// Href is the vacancy's public page.
func (v PubVacancyCard) Href() string { return fmt.Sprintf("/offerte/%d", v.ID) }

// PubSearchForm is the search of the public list as typed.
type PubSearchForm struct {
	Query, Place, Occupation, Contract string
}

// PubListData is the data of the "pub_list" page.
type PubListData struct {
	Page
	Form      PubSearchForm
	Vacancies []PubVacancyCard
	// Searched: the visitor gave a filter.
	Searched         bool
	Total, From, To  int
	PrevURL, NextURL string
	Contracts        []Option
	Municipalities   []Municipality
	Occupations      []Choice
	Errors           FieldErrors
}

// PubRequirementLine is a requirement of a vacancy in words.
type PubRequirementLine struct {
	Text      string
	Essential bool
}

// PubVacancyDetail is a vacancy as its public page shows it.
type PubVacancyDetail struct {
	PubVacancyCard
	Occupation string
	// WeeklyHours is 0 when not stated.
	WeeklyHours int
	Positions   int
	// Paragraphs are the description's paragraphs.
	Paragraphs   []string
	Requirements []PubRequirementLine
}

// PubAppliedInfo is the jobseeker's application to the vacancy shown.
type PubAppliedInfo struct {
	At     time.Time
	Status matching.ApplicationStatus
}

// PubVacancyData is the data of the "pub_vacancy" page.
type PubVacancyData struct {
	Page
	V PubVacancyDetail
	// JSONLD is the vacancy's schema.org JobPosting, already JSON (made by
	// encoding/json, which escapes <, > and &, so it cannot close the script).
	JSONLD template.JS
	// CanApply shows the application form (a signed-in jobseeker who has
	// not applied yet); Applied is their application when there is one;
	// LoginURL is where an anonymous visitor signs in to apply and comes back.
	CanApply bool
	Applied  *PubAppliedInfo
	LoginURL string
	Message  string
	Errors   FieldErrors
}

// PubGoneData is the data of the "pub_gone" page: a vacancy that closed.
type PubGoneData struct {
	Page
	VacancyTitle string
}

// ActExplanationLine is a requirement of a recommended vacancy with how the
// jobseeker's CV meets it: met, partly, not_met or unknown. Reason is the
// scorer's own words (Italian), shown on Italian pages.
type ActExplanationLine struct {
	Text      string
	Evidence  matching.Evidence
	Essential bool
	Reason    string
}

// ActRecommendation is a vacancy that fits the jobseeker, with why.
type ActRecommendation struct {
	PubVacancyCard
	// Fit is the share of the requirements' points the CV earns (0–1).
	Fit   float64
	Lines []ActExplanationLine
}

// ActVacanciesData is the data of the "act_vacancies" page.
type ActVacanciesData struct {
	Page
	// NoIndex: this server cannot match.
	NoIndex    bool
	Matches    []ActRecommendation
	NearMisses []ActRecommendation
	Considered int
}

// ActFit renders a fit as a whole percentage in the page's language.
func (p Page) ActFit(fit float64) string { return p.T("act.fit", int(fit*100+0.5)) }

// ActEvidenceClass is the badge class of an evidence (its name is always
// written next to it).
func (p Page) ActEvidenceClass(e matching.Evidence) string {
	switch e {
	case matching.Met:
		return "bg-success"
	case matching.PartlyMet:
		return "bg-warning"
	case matching.NotMet:
		return "bg-danger"
	}
	return "bg-secondary"
}

// ActApplication is one of the jobseeker's applications.
type ActApplication struct {
	ID           int64
	VacancyID    int64
	VacancyTitle string
	EmployerName string
	Place        string
	// VacancyOpen: the vacancy is still published (its page can be read).
	VacancyOpen bool
	Message     string
	Status      matching.ApplicationStatus
	// Reason is the catalogue key of why it did not fit, or "".
	Reason string
	At     time.Time
	// Stage is where the jobseeker stands in the request, when the
	// application entered one ("" otherwise).
	Stage       matching.Stage
	CanWithdraw bool
}

// ActApplicationsData is the data of the "act_applications" page.
type ActApplicationsData struct {
	Page
	Applications []ActApplication
	Form         FormState
	Errors       FieldErrors
}

// ActQuestion is an availability question an operator sent.
type ActQuestion struct {
	ID           int64
	VacancyID    int64
	VacancyTitle string
	EmployerName string
	Place        string
	Contract     string
	Message      string
	SentAt       time.Time
	Open         bool
	Answer       string
	Reason       string
	AnsweredAt   *time.Time
}

// ActAvailabilityData is the data of the "act_availability" page.
type ActAvailabilityData struct {
	Page
	Open     []ActQuestion
	Answered []ActQuestion
	// Closed are unanswered questions of requests that closed meanwhile.
	Closed []ActQuestion
	Form   FormState
	Errors FieldErrors
}

// FormID is the name of a question's answer form.
func (ActAvailabilityData) FormID(id int64) string { return fmt.Sprintf("answer-%d", id) }

// FormID is the name of an application's withdraw form.
func (ActApplicationsData) FormID(id int64) string { return fmt.Sprintf("withdraw-%d", id) }

// PubDate formats a day for the page's language.
func (p Page) PubDate(t time.Time) string {
	if p.Lang == English {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// ActRecView is what the "act_recommendation" template shows: a
// recommendation and the page it is on.
type ActRecView struct {
	P Page
	R ActRecommendation
}

// T translates a message of a recommendation.
func (v ActRecView) T(key string, args ...any) string { return v.P.T(key, args...) }

// ActRec returns the view of a recommendation.
func (d ActVacanciesData) ActRec(r ActRecommendation) ActRecView { return ActRecView{P: d.Page, R: r} }
