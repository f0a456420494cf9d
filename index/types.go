package index

import (
	"fmt"
	"time"

	"incontro/matching"
)

// Field names of a candidate document. They are the contract between the
// document builder, the mapping and the queries; the search API documents
// them for query-string users.
const (
	DocType = "candidate"

	// Text, Italian analysis, searched by free text.
	FieldHeadline   = "headline"
	FieldSummary    = "summary"
	FieldExperience = "experience" // job titles and descriptions
	FieldOccupation = "occupation" // titles and synonyms of experienced and desired occupations
	FieldSkill      = "skill"      // skill labels

	// Keywords.
	FieldISCO            = "isco"             // ISCO codes at every level (5, 51, 513, 5131) of experienced and desired occupations
	FieldOccupationGroup = "occupation_group" // ISCO sub-major groups (2 digits), for the facet
	FieldOccupationCode  = "occupation_code"  // incontro's or ESCO's occupation codes
	FieldSkillCode       = "skill_code"
	FieldEducation       = "education"      // EQF level as a keyword ("1".."8"), for the facet
	FieldLanguage        = "language"       // ISO 639-1
	FieldLanguageLevel   = "language_level" // "de:B2"
	FieldLicence         = "licence"
	FieldCertification   = "certification"
	FieldContract        = "contract"
	FieldWorkingTime     = "working_time"
	FieldMunicipality    = "municipality" // ISTAT code of the home municipality
	FieldPresentable     = "presentable"  // "true" when the candidate may be presented
	// FieldDeclared holds the CV sections the candidate filled in
	// (matching.DeclaredSections: "languages", "licences" …). A section left
	// empty makes its requirements unknown rather than failed, so recall
	// keeps a candidate who does not declare it ("NOT declared:licences").
	FieldDeclared = "declared"

	// Numbers, searchable with the query-string ranges of numbers
	// (years_total:>=5). Each is indexed as one fixed-width keyword whose
	// lexical order is its numeric order (see keys.go), or answered from
	// another field, and a range on it becomes a term range or a set of
	// terms (see numericField).
	FieldEducationLevel = "education_level" // highest EQF level; answered from FieldEducation
	FieldYearsTotal     = "years_total"     // years of experience, overlaps counted once; hundredths, five digits
	FieldMobilityKm     = "mobility_km"     // four digits
	// FieldCEFRPrefix + language ("cefr_de") is the CEFR rank (A1 = 1 … C2 = 6, native = 7)
	// for the languages of CEFRLanguages; answered from FieldLanguageLevel.
	FieldCEFRPrefix = "cefr_"
	// FieldYearsPrefix + ISCO sub-major group ("years_51") is the years of
	// experience in that group; indexed together in fieldYearsByGroup.
	FieldYearsPrefix = "years_"

	// Dates and places.
	FieldAvailableFrom = "available_from" // the day, YYYYMMDD
	FieldUpdatedAt     = "updated_at"     // Unix nanoseconds, 19 digits
	// FieldLocation was the geo point of the home; homes are now the
	// keyword fieldHome, and radius searches sets of municipalities.
	FieldLocation = "location"

	// fieldYearsByGroup holds "51:00700": an ISCO sub-major group and the
	// years of experience in it, in hundredths (see yearsByGroupKey).
	fieldYearsByGroup = "years_by_group"
	// fieldAvailableMonth is the month of FieldAvailableFrom, YYYYMM: a
	// range of days reads its whole months here (see availableDays).
	fieldAvailableMonth = "available_month"
	// fieldExperienceBand is the band of FieldYearsTotal (see
	// experienceBands), for the experience facet and its filter.
	fieldExperienceBand = "experience_band"
	// fieldHome is where the candidate lives: the ISTAT code of the home
	// municipality when the home is its centroid (as nearly every home is),
	// else "@lat,lon" (see homeKey), or "-" without a home.
	fieldHome = "home"
)

// CEFRLanguages are the languages with a numeric CEFR field.
var CEFRLanguages = []string{"it", "de", "en", "fr", "es"}

// Position is a place in the outbox log. Rows are applied in (TxID, ID)
// order, the order in which their transactions are known to be complete.
type Position struct {
	TxID uint64
	ID   int64
}

// Less reports whether p comes before q.
func (p Position) Less(q Position) bool {
	return p.TxID < q.TxID || (p.TxID == q.TxID && p.ID < q.ID)
}

// String renders the position as txid/id.
func (p Position) String() string { return fmt.Sprintf("%d/%d", p.TxID, p.ID) }

// Change is a candidate to (re)index, or, with Candidate nil, one to remove.
type Change struct {
	CandidateID int64
	Candidate   *matching.Candidate
}

// Sort orders of a search.
const (
	SortRelevance = "relevance"
	SortDistance  = "distance"
	SortFreshness = "freshness"
)

// Query is a staff search over the CVs.
type Query struct {
	// Text is free text; bleve's query-string syntax works (field:value,
	// +must, -not, "phrases"). Every plain word is required, in any text
	// field, unless AnyWord.
	Text string
	// AnyWord makes the plain words of Text optional: a candidate holding
	// any of them is found, and the more they hold the higher they rank.
	AnyWord bool
	// Occupations are ISCO codes at any level (a group finds its members) or
	// occupation codes.
	Occupations []string
	Skills      []string // skill codes, all required
	Languages   []LanguageFilter
	Licences    []string // all required
	// MinEducation is the lowest EQF level accepted (0: any).
	MinEducation int
	// AvailableBy keeps candidates available on or before that day.
	AvailableBy *time.Time
	// Near keeps candidates within RadiusKm of a point.
	Near      *Near
	Contracts []string // any of them

	// Facet filters: the value of a facet the user clicked.
	Municipalities   []string
	OccupationGroups []string
	EducationLevels  []string
	LanguageLevels   []string
	Experience       []string // experience band names
	Availability     []string // availability band names

	// IncludeNotPresentable also finds candidates who did not consent to be
	// presented (for staff work that is not a shortlist).
	IncludeNotPresentable bool

	Facets bool
	Sort   string
	// Size is the page size (default 20, at most 200); After is the cursor
	// of the previous page's last hit.
	Size  int
	After string
	// AsOf is "today" for availability bands and freshness.
	AsOf time.Time
}

// LanguageFilter requires a language at a minimum CEFR level.
type LanguageFilter struct {
	Language string
	MinLevel string
}

// Near is a circle around a point.
type Near struct {
	Lat, Lon float64
	RadiusKm float64
}

// Result is a page of hits with facet counts.
type Result struct {
	Total  uint64
	Hits   []Hit
	Facets map[string][]FacetCount
	// Next is the cursor of the next page, "" on the last.
	Next string
	// TryAnyWord says that no candidate holds every plain word of the
	// text, of which there are several: the same search with AnyWord may
	// find those holding some of them.
	TryAnyWord bool
	Took       time.Duration
}

// Hit is a candidate found, with its score. What a page shows is loaded
// from PostgreSQL by ID, and the words that matched marked in it by
// Highlighter.
type Hit struct {
	ID         int64    `json:"id"`
	Score      float64  `json:"score"`
	DistanceKm *float64 `json:"distance_km,omitempty"`
}

// FacetCount is a value of a facet and how many hits have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}
