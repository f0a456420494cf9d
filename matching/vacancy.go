package matching

import (
	"fmt"
	"strings"
	"time"
)

// VacancyStatus is the publication state of a vacancy.
type VacancyStatus string

// Vacancy states.
const (
	VacancyDraft     VacancyStatus = "draft"
	VacancyPublished VacancyStatus = "published"
	VacancyClosed    VacancyStatus = "closed"
)

// Vacancy is a position an employer wants to fill, with its requirements in
// order of importance.
type Vacancy struct {
	ID               int64         `json:"id" db:"id"`
	EmployerID       int64         `json:"employer_id" db:"employer_id"`
	Title            string        `json:"title" db:"title"`
	Description      string        `json:"description" db:"description"`
	OccupationCode   string        `json:"occupation_code" db:"occupation_code"`
	ISCOCode         string        `json:"isco_code" db:"isco_code"`
	MunicipalityCode string        `json:"municipality_code" db:"municipality_code"`
	Lat              float64       `json:"lat" db:"lat"`
	Lon              float64       `json:"lon" db:"lon"`
	ContractType     string        `json:"contract_type" db:"contract_type"`
	WorkingTime      []string      `json:"working_time" db:"working_time"`
	WeeklyHours      *int          `json:"weekly_hours,omitempty" db:"weekly_hours"`
	Positions        int           `json:"positions" db:"positions"`
	Status           VacancyStatus `json:"status" db:"status"`
	PublishedAt      *time.Time    `json:"published_at,omitempty" db:"published_at"`
	ClosesOn         *Date         `json:"closes_on,omitempty" db:"closes_on"`
	CreatedBy        *int64        `json:"created_by,omitempty" db:"created_by"`
	CreatedAt        time.Time     `json:"created_at" db:"created_at"`
	UpdatedAt        time.Time     `json:"updated_at" db:"updated_at"`

	Requirements []Requirement `json:"requirements" db:"-"`
	Findings     []Finding     `json:"findings" db:"-"`
}

// RequirementKind is the type of a vacancy requirement.
type RequirementKind string

// Requirement kinds, with the typed fields each uses.
const (
	ReqOccupation    RequirementKind = "occupation"    // Code/Label: occupation; MinYears
	ReqSkill         RequirementKind = "skill"         // Code/Label: skill; Level
	ReqEducation     RequirementKind = "education"     // Code: EQF level 1–8; Field
	ReqLanguage      RequirementKind = "language"      // Code: ISO 639-1; Level: CEFR
	ReqLicence       RequirementKind = "licence"       // Code: licence category
	ReqCertification RequirementKind = "certification" // Code/Label
	ReqDistance      RequirementKind = "distance"      // MaxKm from the workplace
	ReqAvailability  RequirementKind = "availability"  // FromDate
	ReqWorkingTime   RequirementKind = "working_time"  // Values: working-time patterns
	ReqContract      RequirementKind = "contract"      // Values: contract types
)

// RequirementKinds returns every requirement kind.
func RequirementKinds() []RequirementKind {
	return []RequirementKind{ReqOccupation, ReqSkill, ReqEducation, ReqLanguage, ReqLicence,
		ReqCertification, ReqDistance, ReqAvailability, ReqWorkingTime, ReqContract}
}

// Requirement is one requirement of a vacancy: its importance Rank (1 = most
// important), whether it is Essential, its kind and the typed value.
type Requirement struct {
	ID        int64           `json:"id" db:"id"`
	Rank      int             `json:"rank" db:"rank"`
	Essential bool            `json:"essential" db:"essential"`
	Kind      RequirementKind `json:"kind" db:"kind"`
	Code      string          `json:"code,omitempty" db:"code"`
	Label     string          `json:"label,omitempty" db:"label"`
	Level     string          `json:"level,omitempty" db:"level"`
	MinYears  *float64        `json:"min_years,omitempty" db:"min_years"`
	Field     string          `json:"field,omitempty" db:"field"`
	MaxKm     *int            `json:"max_km,omitempty" db:"max_km"`
	FromDate  *Date           `json:"from_date,omitempty" db:"from_date"`
	Values    []string        `json:"values,omitempty" db:"values"`
}

// Validate checks that the requirement has the value its kind needs.
func (r *Requirement) Validate(field string) error {
	var v checker
	v.check(r.Rank >= 1 && r.Rank <= 50, field+"rank", "must be between 1 and 50")
	switch r.Kind {
	case ReqOccupation, ReqSkill, ReqCertification:
		v.check(strings.TrimSpace(r.Code) != "" || strings.TrimSpace(r.Label) != "", field+"code", "a %s needs a code or a label", r.Kind)
		v.check(r.MinYears == nil || (*r.MinYears >= 0 && *r.MinYears <= 60), field+"min_years", "must be between 0 and 60")
		v.check(r.Kind != ReqSkill || r.Level == "" || SkillLevelRank(r.Level) >= 0, field+"level", "is not a skill level")
	case ReqEducation:
		v.check(len(r.Code) == 1 && r.Code[0] >= '1' && r.Code[0] <= '8', field+"code", "must be an EQF level from 1 to 8")
	case ReqLanguage:
		v.check(languageCode.MatchString(r.Code), field+"code", "must be an ISO 639-1 language code")
		v.check(CEFRRank(r.Level) > 0, field+"level", "must be a CEFR level (A1–C2) or native")
	case ReqLicence:
		v.check(IsLicence(r.Code), field+"code", "%q is not a licence category", r.Code)
	case ReqDistance:
		v.check(r.MaxKm != nil && *r.MaxKm >= 1 && *r.MaxKm <= 500, field+"max_km", "must be between 1 and 500 km")
	case ReqAvailability:
		v.check(r.FromDate != nil, field+"from_date", "is required")
	case ReqWorkingTime:
		v.check(len(r.Values) > 0, field+"values", "needs at least one working-time pattern")
		for i, w := range r.Values {
			v.check(IsWorkingTime(w), fmt.Sprintf("%svalues[%d]", field, i), "%q is not a working-time pattern", w)
		}
	case ReqContract:
		v.check(len(r.Values) > 0, field+"values", "needs at least one contract type")
		for i, t := range r.Values {
			v.check(IsContractType(t), fmt.Sprintf("%svalues[%d]", field, i), "%q is not a contract type", t)
		}
	default:
		v.check(false, field+"kind", "%q is not a requirement kind", r.Kind)
	}
	return v.result()
}

// Normalize trims the vacancy's text fields and fills nil slices.
func (vac *Vacancy) Normalize() {
	vac.Title = strings.TrimSpace(vac.Title)
	if vac.WorkingTime == nil {
		vac.WorkingTime = []string{}
	}
	if vac.Status == "" {
		vac.Status = VacancyDraft
	}
	if vac.Positions == 0 {
		vac.Positions = 1
	}
	for i := range vac.Requirements {
		if vac.Requirements[i].Values == nil {
			vac.Requirements[i].Values = []string{}
		}
	}
}

// Validate checks the vacancy and its requirements; ranks must be 1…n with
// no gap or repeat.
func (vac *Vacancy) Validate() error {
	var v checker
	v.check(vac.EmployerID > 0, "employer_id", "is required")
	v.required(vac.Title, "title")
	v.maxLen(vac.Title, 200, "title")
	v.maxLen(vac.Description, 10000, "description")
	v.check(iscoCode.MatchString(vac.ISCOCode), "isco_code", "must be an ISCO-08 code of 1 to 4 digits")
	v.check(validMunicipality(vac.MunicipalityCode), "municipality_code", "is not a known ISTAT municipality code")
	v.check(IsContractType(vac.ContractType), "contract_type", "%q is not a contract type", vac.ContractType)
	for i, w := range vac.WorkingTime {
		v.check(IsWorkingTime(w), fmt.Sprintf("working_time[%d]", i), "%q is not a working-time pattern", w)
	}
	v.check(vac.WeeklyHours == nil || (*vac.WeeklyHours >= 1 && *vac.WeeklyHours <= 60), "weekly_hours", "must be between 1 and 60")
	v.check(vac.Positions >= 1 && vac.Positions <= 1000, "positions", "must be between 1 and 1000")
	v.check(vac.Status == VacancyDraft || vac.Status == VacancyPublished || vac.Status == VacancyClosed, "status", "must be draft, published or closed")
	v.check(vac.Status == VacancyDraft || vac.PublishedAt != nil, "published_at", "is required once published")
	if v.err != nil {
		return v.err
	}
	seen := make(map[int]bool, len(vac.Requirements))
	for i := range vac.Requirements {
		r := &vac.Requirements[i]
		f := fmt.Sprintf("requirements[%d].", i)
		if err := r.Validate(f); err != nil {
			return err
		}
		v.check(r.Rank <= len(vac.Requirements) && !seen[r.Rank], f+"rank", "ranks must run from 1 to %d without repeats", len(vac.Requirements))
		seen[r.Rank] = true
		if v.err != nil {
			return v.err
		}
	}
	return v.result()
}

// Finding is a result of the wording check on a vacancy text: a phrase that
// may discriminate, and the operator's justification if it is accepted.
type Finding struct {
	ID            int64      `json:"id" db:"id"`
	Rule          string     `json:"rule" db:"rule"`
	Severity      string     `json:"severity" db:"severity"` // block or warn
	Excerpt       string     `json:"excerpt" db:"excerpt"`
	Message       string     `json:"message" db:"message"`
	Law           string     `json:"law" db:"law"`
	Justification string     `json:"justification,omitempty" db:"justification"`
	JustifiedBy   *int64     `json:"justified_by,omitempty" db:"justified_by"`
	JustifiedAt   *time.Time `json:"justified_at,omitempty" db:"justified_at"`
	CreatedAt     time.Time  `json:"created_at" db:"created_at"`
}

// CheckWording runs the job-ad wording check (CheckAd) on the vacancy's
// title and description, as findings to store with it.
func (vac *Vacancy) CheckWording() []Finding {
	found := CheckAd(vac.Title+"\n"+vac.Description, vac.ContractType)
	out := make([]Finding, len(found))
	for i, f := range found {
		out[i] = Finding{Rule: string(f.Ground), Severity: "warn", Excerpt: f.Excerpt, Message: f.Explanation, Law: f.Law}
	}
	return out
}

// Unjustified returns the findings that no operator has justified.
func Unjustified(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Justification == "" {
			out = append(out, f)
		}
	}
	return out
}
