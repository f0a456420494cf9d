package matching

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"incontro/reference"
)

// Presentation says whether and how a candidate may be presented to employers.
type Presentation string

// Presentation choices.
const (
	PresentNone  Presentation = "none"
	PresentNamed Presentation = "named"
	PresentBlind Presentation = "blind" // without name and contacts
)

// Date is a calendar day without a time zone, stored as a PostgreSQL date.
// It is a time.Time at midnight UTC.
type Date = time.Time

// Candidate is a jobseeker with a structured CV. It carries no protected
// attribute: those are in Protected, which only staff code paths read.
type Candidate struct {
	ID                  int64        `json:"id" db:"id"`
	GivenName           string       `json:"given_name" db:"given_name"`
	FamilyName          string       `json:"family_name" db:"family_name"`
	Email               string       `json:"email" db:"email"`
	Phone               string       `json:"phone" db:"phone"`
	Headline            string       `json:"headline" db:"headline"`
	Summary             string       `json:"summary" db:"summary"`
	HomeMunicipality    string       `json:"home_municipality_code" db:"home_municipality_code"`
	HomeLat             float64      `json:"home_lat" db:"home_lat"`
	HomeLon             float64      `json:"home_lon" db:"home_lon"`
	MobilityKm          int          `json:"mobility_km" db:"mobility_km"`
	AvailableFrom       *Date        `json:"available_from,omitempty" db:"available_from"`
	WeeklyHours         *int         `json:"weekly_hours,omitempty" db:"weekly_hours"`
	WorkingTime         []string     `json:"working_time" db:"working_time"`
	ContractPreferences []string     `json:"contract_preferences" db:"contract_preferences"`
	Searchable          bool         `json:"searchable" db:"searchable"`
	Presentation        Presentation `json:"presentation" db:"presentation"`
	CreatedAt           time.Time    `json:"created_at" db:"created_at"`
	UpdatedAt           time.Time    `json:"updated_at" db:"updated_at"`
	// AccountInactive is set, when read, for a candidate whose jobseeker
	// account is pending or disabled: such a CV is not searched. It is not
	// stored with the candidate.
	AccountInactive bool `json:"-" db:"-"`

	Experiences        []Experience        `json:"experiences" db:"-"`
	Education          []Education         `json:"education" db:"-"`
	Skills             []CandidateSkill    `json:"skills" db:"-"`
	Languages          []LanguageLevel     `json:"languages" db:"-"`
	Licences           []string            `json:"licences" db:"licences"`
	Certifications     []Certification     `json:"certifications" db:"-"`
	DesiredOccupations []DesiredOccupation `json:"desired_occupations" db:"-"`
}

// Experience is a job in the CV.
type Experience struct {
	ID               int64  `json:"id" db:"id"`
	OccupationCode   string `json:"occupation_code" db:"occupation_code"`
	ISCOCode         string `json:"isco_code" db:"isco_code"`
	Title            string `json:"title" db:"title"`
	EmployerName     string `json:"employer_name" db:"employer_name"`
	MunicipalityCode string `json:"municipality_code" db:"municipality_code"`
	StartDate        Date   `json:"start_date" db:"start_date"`
	EndDate          *Date  `json:"end_date,omitempty" db:"end_date"`
	Description      string `json:"description" db:"description"`
}

// Years returns the length of the experience in years, counting an open one
// up to asOf.
func (e Experience) Years(asOf time.Time) float64 {
	end := asOf
	if e.EndDate != nil {
		end = *e.EndDate
	}
	d := end.Sub(e.StartDate)
	if d < 0 {
		return 0
	}
	return d.Hours() / 24 / 365.25
}

// Education is a qualification on the EQF scale with its Italian title.
type Education struct {
	ID            int64  `json:"id" db:"id"`
	EQFLevel      int    `json:"eqf_level" db:"eqf_level"`
	Title         string `json:"title" db:"title"`
	Field         string `json:"field" db:"field"`
	Institution   string `json:"institution" db:"institution"`
	CompletedYear *int   `json:"completed_year,omitempty" db:"completed_year"`
}

// CandidateSkill is a skill in the CV, coded or free text.
type CandidateSkill struct {
	Code  string `json:"code" db:"code"`
	Label string `json:"label" db:"label"`
	Level string `json:"level" db:"level"`
}

// LanguageLevel is a language (ISO 639-1) with a CEFR level or "native".
type LanguageLevel struct {
	Language string `json:"language" db:"language"`
	Level    string `json:"level" db:"level"`
}

// Certification is a certificate or licence to practise (HACCP, forklift
// licence, first aid …).
type Certification struct {
	ID        int64  `json:"id" db:"id"`
	Code      string `json:"code" db:"code"`
	Name      string `json:"name" db:"name"`
	IssuedOn  *Date  `json:"issued_on,omitempty" db:"issued_on"`
	ExpiresOn *Date  `json:"expires_on,omitempty" db:"expires_on"`
}

// DesiredOccupation is an occupation the candidate is looking for, in order of preference.
type DesiredOccupation struct {
	OccupationCode string `json:"occupation_code" db:"occupation_code"`
	ISCOCode       string `json:"isco_code" db:"isco_code"`
	Title          string `json:"title" db:"title"`
}

// Protected holds a candidate's protected attributes. They are never indexed
// and never ranked on; L. 68/99 status is special-category data shown to
// employers only when the candidate agrees.
type Protected struct {
	CandidateID            int64     `json:"candidate_id" db:"candidate_id"`
	TaxCode                string    `json:"tax_code,omitempty" db:"tax_code"`
	BirthDate              *Date     `json:"birth_date,omitempty" db:"birth_date"`
	Sex                    string    `json:"sex,omitempty" db:"sex"`
	Citizenship            string    `json:"citizenship,omitempty" db:"citizenship"`
	Disability             bool      `json:"disability" db:"disability"`
	L68Category            string    `json:"l68_category,omitempty" db:"l68_category"`
	L68RegisteredOn        *Date     `json:"l68_registered_on,omitempty" db:"l68_registered_on"`
	L68DiscloseToEmployers bool      `json:"l68_disclose_to_employers" db:"l68_disclose_to_employers"`
	UpdatedAt              time.Time `json:"updated_at" db:"updated_at"`
}

var (
	iscoCode     = regexp.MustCompile(`^([0-9]{1,4})?$`)
	languageCode = regexp.MustCompile(`^[a-z]{2}$`)
	countryCode  = regexp.MustCompile(`^[A-Z]{2}$`)
)

// Normalize trims the candidate's fields, lower-cases the e-mail and fills
// the home coordinates from the municipality.
func (c *Candidate) Normalize() {
	c.GivenName = strings.TrimSpace(c.GivenName)
	c.FamilyName = strings.TrimSpace(c.FamilyName)
	c.Email = NormalizeEmail(c.Email)
	if m, ok := reference.MunicipalityByCode(c.HomeMunicipality); ok && c.HomeLat == 0 && c.HomeLon == 0 {
		c.HomeLat, c.HomeLon = m.Lat, m.Lon
	}
	if c.Presentation == "" {
		c.Presentation = PresentNone
	}
	if c.WorkingTime == nil {
		c.WorkingTime = []string{}
	}
	if c.ContractPreferences == nil {
		c.ContractPreferences = []string{}
	}
}

// Validate checks the candidate and every part of the CV, naming the field
// of the first failure with its index (e.g. "languages[1].level").
func (c *Candidate) Validate() error {
	var v checker
	v.required(c.GivenName, "given_name")
	v.maxLen(c.GivenName, 100, "given_name")
	v.required(c.FamilyName, "family_name")
	v.maxLen(c.FamilyName, 100, "family_name")
	v.check(ValidEmail(c.Email), "email", "is not a valid e-mail address")
	v.maxLen(c.Headline, 200, "headline")
	v.maxLen(c.Summary, 5000, "summary")
	v.check(validMunicipality(c.HomeMunicipality), "home_municipality_code", "is not a known ISTAT municipality code")
	v.check(c.HomeLat >= -90 && c.HomeLat <= 90, "home_lat", "must be a latitude between -90 and 90")
	v.check(c.HomeLon >= -180 && c.HomeLon <= 180, "home_lon", "must be a longitude between -180 and 180")
	v.check(c.MobilityKm >= 0 && c.MobilityKm <= 1000, "mobility_km", "must be between 0 and 1000")
	v.check(c.WeeklyHours == nil || (*c.WeeklyHours >= 1 && *c.WeeklyHours <= 60), "weekly_hours", "must be between 1 and 60")
	for i, w := range c.WorkingTime {
		v.check(IsWorkingTime(w), fmt.Sprintf("working_time[%d]", i), "%q is not a working-time pattern", w)
	}
	for i, t := range c.ContractPreferences {
		v.check(IsContractType(t), fmt.Sprintf("contract_preferences[%d]", i), "%q is not a contract type", t)
	}
	v.check(c.Presentation == PresentNone || c.Presentation == PresentNamed || c.Presentation == PresentBlind, "presentation", "must be none, named or blind")
	for i, e := range c.Experiences {
		f := fmt.Sprintf("experiences[%d].", i)
		v.required(e.Title, f+"title")
		v.check(iscoCode.MatchString(e.ISCOCode), f+"isco_code", "must be an ISCO-08 code of 1 to 4 digits")
		v.check(!e.StartDate.IsZero(), f+"start_date", "is required")
		v.check(e.EndDate == nil || !e.EndDate.Before(e.StartDate), f+"end_date", "is before the start date")
		v.check(e.MunicipalityCode == "" || validMunicipality(e.MunicipalityCode), f+"municipality_code", "is not a known ISTAT municipality code")
		v.maxLen(e.Description, 5000, f+"description")
	}
	for i, e := range c.Education {
		f := fmt.Sprintf("education[%d].", i)
		v.check(e.EQFLevel >= 1 && e.EQFLevel <= 8, f+"eqf_level", "must be an EQF level from 1 to 8")
		v.required(e.Title, f+"title")
		v.check(e.CompletedYear == nil || (*e.CompletedYear >= 1940 && *e.CompletedYear <= 2100), f+"completed_year", "is out of range")
	}
	seenSkill := map[string]bool{}
	for i, s := range c.Skills {
		f := fmt.Sprintf("skills[%d].", i)
		v.required(s.Label, f+"label")
		key := strings.ToLower(strings.TrimSpace(s.Label))
		v.check(!seenSkill[key], f+"label", "is listed twice")
		seenSkill[key] = true
		v.check(SkillLevelRank(s.Level) >= 0, f+"level", "must be unspecified, basic, intermediate, advanced or expert")
	}
	seenLang := map[string]bool{}
	for i, l := range c.Languages {
		f := fmt.Sprintf("languages[%d].", i)
		v.check(languageCode.MatchString(l.Language), f+"language", "must be an ISO 639-1 code such as de or en")
		v.check(!seenLang[l.Language], f+"language", "is listed twice")
		seenLang[l.Language] = true
		v.check(CEFRRank(l.Level) > 0, f+"level", "must be a CEFR level (A1–C2) or native")
	}
	seenLic := map[string]bool{}
	for i, l := range c.Licences {
		f := fmt.Sprintf("licences[%d]", i)
		v.check(IsLicence(l), f, "%q is not a licence category", l)
		v.check(!seenLic[l], f, "is listed twice")
		seenLic[l] = true
	}
	for i, cert := range c.Certifications {
		f := fmt.Sprintf("certifications[%d].", i)
		v.required(cert.Name, f+"name")
		v.check(cert.ExpiresOn == nil || cert.IssuedOn == nil || !cert.ExpiresOn.Before(*cert.IssuedOn), f+"expires_on", "is before the issue date")
	}
	for i, d := range c.DesiredOccupations {
		f := fmt.Sprintf("desired_occupations[%d].", i)
		v.required(d.Title, f+"title")
		v.check(iscoCode.MatchString(d.ISCOCode), f+"isco_code", "must be an ISCO-08 code of 1 to 4 digits")
	}
	return v.result()
}

// Validate checks the protected attributes.
func (p *Protected) Validate() error {
	var v checker
	v.check(p.TaxCode == "" || ValidPersonalTaxCode(p.TaxCode), "tax_code", "is not a valid codice fiscale")
	v.check(p.Sex == "" || p.Sex == "F" || p.Sex == "M" || p.Sex == "X", "sex", "must be F, M or X")
	v.check(p.Citizenship == "" || countryCode.MatchString(p.Citizenship), "citizenship", "must be an ISO 3166-1 alpha-2 code")
	v.check(p.L68Category == "" || p.L68Category == "art1" || p.L68Category == "art18", "l68_category", "must be art1 or art18")
	v.check(p.L68RegisteredOn == nil || p.L68Category != "", "l68_registered_on", "needs an L. 68/99 category")
	return v.result()
}

// TotalExperienceYears returns the years of experience in the CV, counting
// overlapping jobs once.
func (c *Candidate) TotalExperienceYears(asOf time.Time) float64 {
	type span struct{ from, to time.Time }
	spans := make([]span, 0, len(c.Experiences))
	for _, e := range c.Experiences {
		to := asOf
		if e.EndDate != nil {
			to = *e.EndDate
		}
		if to.After(e.StartDate) {
			spans = append(spans, span{e.StartDate, to})
		}
	}
	// insertion sort: CVs hold few experiences
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j].from.Before(spans[j-1].from); j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	var total time.Duration
	var cur span
	for i, s := range spans {
		switch {
		case i == 0:
			cur = s
		case !s.from.After(cur.to):
			if s.to.After(cur.to) {
				cur.to = s.to
			}
		default:
			total += cur.to.Sub(cur.from)
			cur = s
		}
	}
	if len(spans) > 0 {
		total += cur.to.Sub(cur.from)
	}
	return total.Hours() / 24 / 365.25
}
