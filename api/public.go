package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/reference"
	"incontro/store"
)

// The published vacancies, readable by anyone: the JSON routes and the
// cores the public pages share with them. A draft is not found; a vacancy
// that closed (its request closed, or its closing date passed) is gone.

// PublicSearch is a search of the published vacancies: free text, a place
// and an occupation as typed (a code or a name), a contract type, a page.
type PublicSearch struct {
	Query      string
	Place      string
	Occupation string
	Contract   string
	Limit      int
	Offset     int
}

// Default and largest page of the public list.
const (
	publicPageSize = 20
	publicMaxPage  = 100
)

// PublicVacancy is a vacancy as anyone may read it: never a contact of the
// employer, nor who wrote it, nor the wording check's findings.
type PublicVacancy struct {
	ID           int64  `json:"id"`
	Title        string `json:"title"`
	Description  string `json:"description,omitempty"`
	EmployerName string `json:"employer_name"`
	// MunicipalityCode is the ISTAT code of the workplace, Municipality its
	// name and Province its province's acronym.
	MunicipalityCode string `json:"municipality_code"`
	Municipality     string `json:"municipality"`
	Province         string `json:"province"`
	// Occupation is the catalogue's title of the occupation, ISCOCode its
	// ISCO-08 unit group.
	Occupation   string              `json:"occupation,omitempty"`
	ISCOCode     string              `json:"isco_code,omitempty"`
	ContractType string              `json:"contract_type"`
	WorkingTime  []string            `json:"working_time"`
	WeeklyHours  *int                `json:"weekly_hours,omitempty"`
	Positions    int                 `json:"positions"`
	PublishedAt  *time.Time          `json:"published_at,omitempty"`
	ClosesOn     *matching.Date      `json:"closes_on,omitempty"`
	Requirements []PublicRequirement `json:"requirements,omitempty"`
	// employerWebsite is the employer's site, for the JobPosting's sameAs.
	employerWebsite string
}

// PublicRequirement is a requirement of a published vacancy in rank order:
// its kind and typed value, and Text, the requirement in Italian words.
type PublicRequirement struct {
	Rank      int                      `json:"rank"`
	Essential bool                     `json:"essential"`
	Kind      matching.RequirementKind `json:"kind"`
	Text      string                   `json:"text"`
	Code      string                   `json:"code,omitempty"`
	Label     string                   `json:"label,omitempty"`
	Level     string                   `json:"level,omitempty"`
	MinYears  *float64                 `json:"min_years,omitempty"`
	Field     string                   `json:"field,omitempty"`
	MaxKm     *int                     `json:"max_km,omitempty"`
	FromDate  *matching.Date           `json:"from_date,omitempty"`
	Values    []string                 `json:"values,omitempty"`
}

// PublicVacancyList is a page of published vacancies with the total.
type PublicVacancyList struct {
	Items  []PublicVacancy `json:"items"`
	Total  int             `json:"total"`
	Limit  int             `json:"limit"`
	Offset int             `json:"offset"`
}

// publicVacancyOf is what anyone may read of a stored vacancy.
func publicVacancyOf(v matching.Vacancy, employerName string) PublicVacancy {
	out := PublicVacancy{ID: v.ID, Title: v.Title, Description: v.Description, EmployerName: employerName,
		MunicipalityCode: v.MunicipalityCode, ISCOCode: v.ISCOCode, ContractType: v.ContractType,
		WorkingTime: v.WorkingTime, WeeklyHours: v.WeeklyHours, Positions: v.Positions, PublishedAt: v.PublishedAt,
		ClosesOn: v.ClosesOn}
	if out.WorkingTime == nil {
		out.WorkingTime = []string{}
	}
	if m, ok := reference.MunicipalityByCode(v.MunicipalityCode); ok {
		out.Municipality, out.Province = m.Name, m.ProvinceCode
	}
	if o, ok := reference.OccupationByCode(v.OccupationCode); ok {
		out.Occupation = o.Title
		if out.ISCOCode == "" {
			out.ISCOCode = o.ISCO
		}
	}
	for _, r := range v.Requirements {
		out.Requirements = append(out.Requirements, PublicRequirement{Rank: r.Rank, Essential: r.Essential, Kind: r.Kind,
			Text: matching.DescribeRequirement(r).String(), Code: r.Code, Label: r.Label, Level: r.Level, MinYears: r.MinYears,
			Field: r.Field, MaxKm: r.MaxKm, FromDate: r.FromDate, Values: r.Values})
	}
	return out
}

// requirement is the stored form of a public requirement.
func (r PublicRequirement) requirement() matching.Requirement {
	return matching.Requirement{Rank: r.Rank, Essential: r.Essential, Kind: r.Kind, Code: r.Code, Label: r.Label,
		Level: r.Level, MinYears: r.MinYears, Field: r.Field, MaxKm: r.MaxKm, FromDate: r.FromDate, Values: r.Values}
}

// searchPublicVacancies is the core of GET /api/v1/public/vacancies and of
// the public list page: it resolves the place and the occupation as typed
// (an error names the field) and lists the published vacancies open today.
func (s *Server) searchPublicVacancies(ctx context.Context, in PublicSearch) (PublicVacancyList, error) {
	f := store.PublicVacancyFilter{Query: strings.TrimSpace(in.Query), ContractType: strings.TrimSpace(in.Contract),
		AsOf: localDay(s.now()), Limit: in.Limit, Offset: in.Offset}
	switch {
	case utf8.RuneCountInString(f.Query) > 200:
		return PublicVacancyList{}, matching.FieldErrorf("q", "must be at most 200 characters")
	case f.ContractType != "" && !matching.IsContractType(f.ContractType):
		return PublicVacancyList{}, matching.FieldErrorf("contract", "%q is not a contract type", f.ContractType)
	case f.Limit < 0 || f.Limit > publicMaxPage:
		return PublicVacancyList{}, matching.FieldErrorf("limit", "must be a whole number from 1 to %d", publicMaxPage)
	case f.Offset < 0:
		return PublicVacancyList{}, matching.FieldErrorf("offset", "must be a whole number of at least 0")
	}
	if f.Limit == 0 {
		f.Limit = publicPageSize
	}
	if strings.TrimSpace(in.Place) != "" {
		code, err := municipalityCode("place", in.Place)
		if err != nil {
			return PublicVacancyList{}, err
		}
		f.MunicipalityCode = code
	}
	if strings.TrimSpace(in.Occupation) != "" {
		code, err := occupationCode("occupation", in.Occupation)
		if err != nil {
			return PublicVacancyList{}, err
		}
		o, _ := reference.OccupationByCode(code)
		f.OccupationCode, f.ISCOCode = o.Code, o.ISCO
	}
	rows, total, err := s.store.PublicVacancies(ctx, f)
	if err != nil {
		return PublicVacancyList{}, err
	}
	out := PublicVacancyList{Items: make([]PublicVacancy, 0, len(rows)), Total: total, Limit: f.Limit, Offset: f.Offset}
	for _, r := range rows {
		out.Items = append(out.Items, publicVacancyOf(r.Vacancy, r.EmployerName))
	}
	return out, nil
}

// publicSearchParams are the parameters of GET /api/v1/public/vacancies.
var publicSearchParams = []string{"q", "place", "occupation", "contract", "limit", "offset"}

// publicVacancies serves GET /api/v1/public/vacancies: the published
// vacancies, newest first (q, place, occupation, contract, limit, offset).
func (s *Server) publicVacancies(c echo.Context) error {
	params := c.QueryParams()
	for name := range params {
		if !slices.Contains(publicSearchParams, name) {
			return matching.FieldErrorf(name, "is not a parameter of this list")
		}
	}
	limit, err := paramInt(params, "limit", 1, publicMaxPage)
	if err != nil {
		return err
	}
	offset, err := paramInt(params, "offset", 0, 0)
	if err != nil {
		return err
	}
	list, err := s.searchPublicVacancies(c.Request().Context(), PublicSearch{Query: params.Get("q"), Place: params.Get("place"),
		Occupation: params.Get("occupation"), Contract: params.Get("contract"), Limit: int(limit), Offset: int(offset)})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// goneError is a vacancy that was published and is no longer open: its
// request closed, or its closing date passed. Its pages answer 410 Gone.
type goneError struct {
	ID    int64
	Title string
}

func (e *goneError) Error() string { return fmt.Sprintf("vacancy %d is closed", e.ID) }

// asGone reports whether err says the vacancy is gone.
func asGone(err error) (*goneError, bool) {
	var g *goneError
	ok := errors.As(err, &g)
	return g, ok
}

// publicVacancy is the core of GET /api/v1/public/vacancies/:id and of the
// vacancy's page: a published vacancy open today, with its requirements
// and its employer's name. A draft is not found; a vacancy closed, or past
// its closing date, is a *goneError.
func (s *Server) publicVacancy(ctx context.Context, id int64) (PublicVacancy, error) {
	v, err := s.store.Vacancy(ctx, id)
	if err != nil {
		return PublicVacancy{}, err
	}
	switch {
	case v.Status == matching.VacancyDraft:
		return PublicVacancy{}, notFound("vacancy")
	case v.Status == matching.VacancyClosed, v.ClosesOn != nil && v.ClosesOn.Before(localDay(s.now())):
		return PublicVacancy{}, &goneError{ID: v.ID, Title: v.Title}
	}
	e, err := s.store.Employer(ctx, v.EmployerID)
	if err != nil {
		return PublicVacancy{}, err
	}
	out := publicVacancyOf(v, e.Name)
	out.employerWebsite = e.Website
	return out, nil
}

// publicVacancyRoute serves GET /api/v1/public/vacancies/:id; a vacancy
// that closed answers 410 Gone.
func (s *Server) publicVacancyRoute(c echo.Context) error {
	id, err := pathID(c, "id", "vacancy")
	if err != nil {
		return err
	}
	v, err := s.publicVacancy(c.Request().Context(), id)
	if g, ok := asGone(err); ok {
		return c.JSON(http.StatusGone, ErrorBody{Error: ErrorDetail{Code: matching.ENOTFOUND,
			Message: g.Error() + ": it takes no more applications", RequestID: RequestID(c.Request().Context())}})
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// --- schema.org JobPosting ---

// JobPosting is the schema.org JobPosting of a vacancy's public page, with
// the properties Google's job search reads. It is encoded with
// encoding/json into the page's application/ld+json script.
type JobPosting struct {
	Context                string              `json:"@context"`
	Type                   string              `json:"@type"`
	Title                  string              `json:"title"`
	Description            string              `json:"description"`
	Identifier             jsonLDPropertyValue `json:"identifier"`
	URL                    string              `json:"url,omitempty"`
	DatePosted             string              `json:"datePosted"`
	ValidThrough           string              `json:"validThrough,omitempty"`
	EmploymentType         []string            `json:"employmentType"`
	HiringOrganization     jsonLDOrganization  `json:"hiringOrganization"`
	JobLocation            jsonLDPlace         `json:"jobLocation"`
	DirectApply            bool                `json:"directApply"`
	TotalJobOpenings       int                 `json:"totalJobOpenings,omitempty"`
	OccupationalCategory   string              `json:"occupationalCategory,omitempty"`
	WorkHours              string              `json:"workHours,omitempty"`
	Skills                 string              `json:"skills,omitempty"`
	ExperienceRequirements *jsonLDExperience   `json:"experienceRequirements,omitempty"`
	EducationRequirements  *jsonLDCredential   `json:"educationRequirements,omitempty"`
	JobStartDate           string              `json:"jobStartDate,omitempty"`
	Qualifications         string              `json:"qualifications,omitempty"`
}

type jsonLDPropertyValue struct {
	Type  string `json:"@type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

type jsonLDOrganization struct {
	Type   string `json:"@type"`
	Name   string `json:"name"`
	SameAs string `json:"sameAs,omitempty"`
}

type jsonLDPlace struct {
	Type    string        `json:"@type"`
	Address jsonLDAddress `json:"address"`
}

type jsonLDAddress struct {
	Type            string `json:"@type"`
	AddressLocality string `json:"addressLocality"`
	AddressRegion   string `json:"addressRegion,omitempty"`
	AddressCountry  string `json:"addressCountry"`
}

type jsonLDExperience struct {
	Type               string `json:"@type"`
	MonthsOfExperience int    `json:"monthsOfExperience"`
}

type jsonLDCredential struct {
	Type               string `json:"@type"`
	CredentialCategory string `json:"credentialCategory"`
}

// employmentTypes maps a vacancy's working time and contract to the
// employment types Google reads (FULL_TIME, PART_TIME, CONTRACTOR,
// TEMPORARY, INTERN, PER_DIEM, OTHER), each once.
func employmentTypes(workingTime []string, contract string) []string {
	var out []string
	add := func(t string) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, w := range workingTime {
		switch w {
		case "full_time":
			add("FULL_TIME")
		case "part_time":
			add("PART_TIME")
		case "on_call":
			add("PER_DIEM")
		}
	}
	switch contract {
	case "fixed_term", "seasonal", "agency":
		add("TEMPORARY")
	case "internship":
		add("INTERN")
	case "freelance":
		add("CONTRACTOR")
	case "intermittent":
		add("PER_DIEM")
	}
	if len(out) == 0 {
		add("OTHER")
	}
	return out
}

// credentialCategory maps an EQF level to the education categories
// Google reads; levels below upper secondary school have none.
func credentialCategory(eqf string) string {
	switch eqf {
	case "3":
		return "professional certificate"
	case "4":
		return "high school"
	case "5":
		return "associate degree"
	case "6":
		return "bachelor degree"
	case "7", "8":
		return "postgraduate degree"
	}
	return ""
}

// descriptionHTML is a vacancy's description as the HTML Google's job
// search reads (paragraphs, line breaks and a list of requirements), with
// the text escaped.
func descriptionHTML(v PublicVacancy) string {
	var b strings.Builder
	for _, p := range paragraphs(v.Description) {
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(htmlEscape(p), "\n", "<br>"))
		b.WriteString("</p>")
	}
	if len(v.Requirements) > 0 {
		b.WriteString("<p>Requisiti:</p><ul>")
		for _, r := range v.Requirements {
			b.WriteString("<li>")
			b.WriteString(htmlEscape(r.Text))
			if r.Essential {
				b.WriteString(" (indispensabile)")
			}
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	}
	if b.Len() == 0 {
		b.WriteString("<p>" + htmlEscape(v.Title) + "</p>")
	}
	return b.String()
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// paragraphs splits a text at its blank lines, trimming each paragraph.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// jobPostingOf is the schema.org JobPosting of a published vacancy whose
// page is at pageURL. The dates are days in Trento; a closing date is
// valid through the end of that day.
func jobPostingOf(v PublicVacancy, pageURL string) JobPosting {
	jp := JobPosting{Context: "https://schema.org", Type: "JobPosting", Title: v.Title, Description: descriptionHTML(v),
		Identifier:         jsonLDPropertyValue{Type: "PropertyValue", Name: "incontro", Value: strconv.FormatInt(v.ID, 10)},
		URL:                pageURL,
		EmploymentType:     employmentTypes(v.WorkingTime, v.ContractType),
		HiringOrganization: jsonLDOrganization{Type: "Organization", Name: v.EmployerName},
		JobLocation: jsonLDPlace{Type: "Place", Address: jsonLDAddress{Type: "PostalAddress",
			AddressLocality: v.Municipality, AddressRegion: v.Province, AddressCountry: "IT"}},
		// A jobseeker applies on the page itself, once signed in.
		DirectApply:          true,
		TotalJobOpenings:     v.Positions,
		OccupationalCategory: v.ISCOCode,
	}
	if u, err := url.Parse(v.employerWebsite); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		jp.HiringOrganization.SameAs = u.String()
	}
	if v.PublishedAt != nil {
		jp.DatePosted = v.PublishedAt.In(serviceZone).Format(time.DateOnly)
	}
	if v.ClosesOn != nil {
		y, m, d := v.ClosesOn.Date()
		jp.ValidThrough = time.Date(y, m, d, 23, 59, 59, 0, serviceZone).Format(time.RFC3339)
	}
	if v.WeeklyHours != nil {
		jp.WorkHours = fmt.Sprintf("%d ore settimanali", *v.WeeklyHours)
	}
	var skills, qualifications []string
	for _, r := range v.Requirements {
		switch r.Kind {
		case matching.ReqOccupation:
			if r.MinYears != nil && *r.MinYears > 0 && jp.ExperienceRequirements == nil {
				jp.ExperienceRequirements = &jsonLDExperience{Type: "OccupationalExperienceRequirements",
					MonthsOfExperience: int(*r.MinYears*12 + 0.5)}
			}
		case matching.ReqEducation:
			if cat := credentialCategory(r.Code); cat != "" && jp.EducationRequirements == nil {
				jp.EducationRequirements = &jsonLDCredential{Type: "EducationalOccupationalCredential", CredentialCategory: cat}
			}
		case matching.ReqSkill, matching.ReqLanguage:
			skills = append(skills, r.Text)
		case matching.ReqLicence, matching.ReqCertification:
			qualifications = append(qualifications, r.Text)
		case matching.ReqAvailability:
			if r.FromDate != nil {
				jp.JobStartDate = r.FromDate.Format(time.DateOnly)
			}
		}
	}
	jp.Skills = strings.Join(skills, ", ")
	jp.Qualifications = strings.Join(qualifications, ", ")
	return jp
}
