package ui

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"incontro/matching"
	"incontro/store"
)

// CandidateSearchForm is the search form as typed: the free text, the
// place and radius, the sort, and the ticked facet values by parameter.
type CandidateSearchForm struct {
	Query string
	// AnyWord: any word of Query is enough (words=any).
	AnyWord  bool
	Near     string
	RadiusKm string
	Sort     string
}

// FacetValue is a value of a facet with how many candidates have it.
type FacetValue struct {
	Value   string
	Label   string
	Count   int
	Checked bool
	// Uncounted is set when the search failed: the count is unknown.
	Uncounted bool
}

// FacetGroup is a facet of the search page: Param is the search parameter
// its checkboxes set ("" for a facet only counted, such as distance),
// Legend a catalogue key.
type FacetGroup struct {
	Name   string
	Param  string
	Legend string
	Values []FacetValue
}

// CandidateHit is a candidate of the result list: no name nor contacts,
// as the search route gives them.
type CandidateHit struct {
	ID              int64
	Href            string
	Headline        string
	Municipality    string
	DistanceKm      *float64
	ExperienceYears float64
	// Availability is a catalogue key, AvailableFrom its date when later
	// than today.
	Availability  string
	AvailableFrom *time.Time
	Languages     []string
	Licences      []string
	Presentation  matching.Presentation
	UpdatedAt     time.Time
	// Highlights are the fragments where the text matched, safe HTML with
	// the matches in <mark>.
	Highlights []template.HTML
}

// CandidateSearchData is the data of the "candidates" page.
type CandidateSearchData struct {
	Page
	Form   CandidateSearchForm
	Errors FieldErrors
	// NoIndex says that this server cannot search (it has no CV index).
	NoIndex bool
	// Searched is set when a list of results is shown.
	Searched          bool
	Total             uint64
	From, To          int
	Hits              []CandidateHit
	Facets            []FacetGroup
	NextURL, FirstURL string
	// AnyWordURL is the same search with any word enough, offered when no
	// CV holds every word.
	AnyWordURL string
	// RequestID is the request the search is for (?richiesta=), carried to
	// the candidate pages; 0 without.
	RequestID      int64
	Municipalities []Municipality
}

// SortOptions are the orders of the result list, "" the automatic one.
func (CandidateSearchData) SortOptions() []string {
	return []string{"", "relevance", "distance", "freshness"}
}

// Km formats a distance in km with one decimal.
func (p Page) Km(km float64) string {
	s := strconv.FormatFloat(km, 'f', 1, 64)
	if p.Lang != English {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Date formats a day for the page's language.
func (p Page) Date(t time.Time) string {
	if p.Lang == English {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// CandidateFact is a line of the candidate page: a label (catalogue key)
// and its value.
type CandidateFact struct {
	Label string
	Value string
}

// CVRead is a read of the CV as the candidate page lists it.
type CVRead = store.CVRead

// CandidateData is the data of the "candidate" page: the CV as an
// operator (or the monitor) may see it, and who has read it.
type CandidateData struct {
	Page
	Candidate    matching.Candidate
	Municipality string
	// Available is a catalogue key (see CandidateHit.Availability).
	Available string
	// LanguageLabels and LicenceLabels name the CV's languages and
	// licences (Languages is the page's language switch).
	LanguageLabels []string
	LicenceLabels  []string
	// RequestID is the request the CV is read for, 0 without.
	RequestID int64
	// BackURL is the search the operator came from.
	BackURL string
	Reads   []CVRead
	// ReadsTotal counts every read; Reads holds the latest.
	ReadsTotal int
	SelfName   string
	// CanAdd shows the form that adds the candidate to one of
	// OpenRequests (the operator's provider's open requests).
	CanAdd       bool
	OpenRequests []RequestOption
	Form         AddToRequestForm
	Errors       FieldErrors
}

// RequestOption is a request a candidate can be added to.
type RequestOption struct {
	ID       int64
	Title    string
	Employer string
}

// AddToRequestForm is the add-to-request form as typed.
type AddToRequestForm struct {
	RequestID int64
	Note      string
}

// RequestNo is the number of the request a read was for (0: none).
func (CandidateData) RequestNo(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// Hours is the candidate's weekly hours (0: not stated).
func (d CandidateData) Hours() int {
	if d.Candidate.WeeklyHours == nil {
		return 0
	}
	return *d.Candidate.WeeklyHours
}

// FullName is the candidate's name.
func (d CandidateData) FullName() string {
	if d.Candidate.FamilyName == "" {
		return d.Candidate.GivenName
	}
	return d.Candidate.GivenName + " " + d.Candidate.FamilyName
}

// PurposeKey is the catalogue key of a read's purpose, "" for a purpose
// the catalogue does not know (shown as written).
func (d CandidateData) PurposeKey(purpose string) string {
	if key := "cv.purpose." + purpose; d.Locale.Has(key) {
		return key
	}
	return ""
}

// RoleKey is the catalogue key of a role.
func (CandidateData) RoleKey(r matching.Role) string { return RoleKey(r) }

// PresentationKey is the catalogue key of a presentation choice.
func (CandidateData) PresentationKey(p matching.Presentation) string {
	return "cv.presentation." + string(p)
}

// PresentationKey is the catalogue key of a presentation choice.
func (CandidateSearchData) PresentationKey(p matching.Presentation) string {
	return "cv.presentation." + string(p)
}

// Term labels a code of a domain list (contract types, working times),
// the code itself when unknown.
func Term(list []matching.Term, code string) string {
	for _, t := range list {
		if t.Code == code {
			return t.Label
		}
	}
	return code
}

// ContractLabel names a contract type.
func (CandidateData) ContractLabel(code string) string { return Term(matching.ContractTypes(), code) }

// WorkingTimeLabel names a working-time pattern.
func (CandidateData) WorkingTimeLabel(code string) string { return Term(matching.WorkingTimes(), code) }

// Year formats the year of a date.
func (CandidateData) Year(t time.Time) string { return strconv.Itoa(t.Year()) }
