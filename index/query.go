package index

import (
	"cmp"
	"context"
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"incontro/matching"
)

// Page sizes of a search.
const (
	DefaultPageSize = 20
	MaxPageSize     = 200
)

// TextFields are the fields free text searches, with the boost of a match
// in each: what a candidate is (headline, occupations) weighs more than
// where a word appears in passing (summary).
var TextFields = []struct {
	Field string
	Boost float64
}{
	{FieldHeadline, 3},
	{FieldOccupation, 3},
	{FieldSkill, 2},
	{FieldExperience, 1},
	{FieldSummary, 1},
}

// band is a named numeric interval [Min, Max) of a facet; nil bounds are open.
type band struct {
	Name     string
	Min, Max *float64
}

func f64(v float64) *float64 { return &v }

// experienceBands are the bands of years of experience.
var experienceBands = []band{
	{"0-1", nil, f64(1)},
	{"1-3", f64(1), f64(3)},
	{"3-5", f64(3), f64(5)},
	{"5-10", f64(5), f64(10)},
	{"10+", f64(10), nil},
}

// ExperienceBands returns the names of the experience bands, shortest first.
func ExperienceBands() []string { return bandNames(experienceBands) }

// availabilityBands are the bands of the availability date, in days after
// AsOf's day: "now" is available on or before that day.
var availabilityBands = []struct {
	Name     string
	From, To int // days after AsOf's day, [From, To); -1: open
}{
	{"now", -1, 1},
	{"30d", 1, 31},
	{"90d", 31, 91},
	{"later", 91, -1},
}

// AvailabilityBands returns the names of the availability bands, soonest first.
func AvailabilityBands() []string {
	out := make([]string, len(availabilityBands))
	for i, b := range availabilityBands {
		out[i] = b.Name
	}
	return out
}

func bandNames(bs []band) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.Name
	}
	return out
}

// dateBand is an availability band as times: [Start, End), zero bounds open.
type dateBand struct {
	Name       string
	Start, End time.Time
}

// availabilityRanges returns the availability bands as of a day.
func availabilityRanges(asOf time.Time) []dateBand {
	day := dayOf(asOf)
	out := make([]dateBand, len(availabilityBands))
	for i, b := range availabilityBands {
		out[i].Name = b.Name
		if b.From >= 0 {
			out[i].Start = day.AddDate(0, 0, b.From)
		}
		if b.To >= 0 {
			out[i].End = day.AddDate(0, 0, b.To)
		}
	}
	return out
}

// dayOf returns midnight UTC of t's day, the form dates are indexed in.
func dayOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Distance bands: 10 km wide up to maxBandKm, one open band beyond.
const (
	bandWidthKm = 10
	maxBandKm   = 50
)

// distanceBand is a ring around the Near point: (FromKm, ToKm].
type distanceBand struct {
	Name         string
	FromKm, ToKm float64
}

// distanceBands returns the rings of a circle of radius r: "0-10km",
// "10-20km" … up to r, the last beyond maxBandKm being "50km+".
func distanceBands(r float64) []distanceBand {
	var out []distanceBand
	for from := 0.0; from < r; from += bandWidthKm {
		if from >= maxBandKm {
			out = append(out, distanceBand{Name: strconv.Itoa(maxBandKm) + "km+", FromKm: from, ToKm: r})
			break
		}
		to := min(from+bandWidthKm, r)
		name := strconv.FormatFloat(from, 'f', -1, 64) + "-" + strconv.FormatFloat(from+bandWidthKm, 'f', -1, 64) + "km"
		out = append(out, distanceBand{Name: name, FromKm: from, ToKm: to})
	}
	return out
}

var (
	digits       = regexp.MustCompile(`^[0-9]+$`)
	isoLanguage  = regexp.MustCompile(`^[a-z]{2}$`)
	twoDigits    = regexp.MustCompile(`^[0-9]{2}$`)
	istatCode    = regexp.MustCompile(`^[0-9]{6}$`)
	languageCode = regexp.MustCompile(`^([a-z]{2}):(A1|A2|B1|B2|C1|C2|native)$`)
)

// normalize checks q and returns it in canonical form: lists trimmed,
// deduplicated and sorted, defaults filled in, AsOf reduced to its day. Two
// queries that mean the same search normalize to the same value (the cache
// key). Errors are EINVALID naming the search API's parameter.
func normalize(q Query) (Query, error) {
	n := q
	n.Text = strings.TrimSpace(q.Text)
	if len(n.Text) > 2000 {
		return n, matching.FieldErrorf("q", "is too long (at most 2000 characters)")
	}
	n.AnyWord = q.AnyWord && n.Text != ""
	n.Occupations = cleanList(q.Occupations)
	for _, o := range n.Occupations {
		if digits.MatchString(o) && len(o) > 4 {
			return n, matching.FieldErrorf("occupation", "%q is not an ISCO-08 code (1 to 4 digits) nor an occupation code", o)
		}
	}
	n.Skills = cleanList(q.Skills)
	n.Licences = cleanList(q.Licences)
	n.Contracts = cleanList(q.Contracts)

	n.Languages = nil
	seen := map[LanguageFilter]bool{}
	for _, l := range q.Languages {
		l.Language = strings.ToLower(strings.TrimSpace(l.Language))
		l.MinLevel = strings.TrimSpace(l.MinLevel)
		if !strings.EqualFold(l.MinLevel, "native") {
			l.MinLevel = strings.ToUpper(l.MinLevel)
		} else {
			l.MinLevel = "native"
		}
		if !isoLanguage.MatchString(l.Language) {
			return n, matching.FieldErrorf("language", "%q is not an ISO 639-1 language code such as de", l.Language)
		}
		if l.MinLevel != "" && matching.CEFRRank(l.MinLevel) == 0 {
			return n, matching.FieldErrorf("language", "%q is not a CEFR level (A1–C2) or native", l.MinLevel)
		}
		if !seen[l] {
			seen[l] = true
			n.Languages = append(n.Languages, l)
		}
	}
	slices.SortFunc(n.Languages, func(a, b LanguageFilter) int {
		return cmp.Or(cmp.Compare(a.Language, b.Language), cmp.Compare(a.MinLevel, b.MinLevel))
	})

	if q.MinEducation < 0 || q.MinEducation > 8 {
		return n, matching.FieldErrorf("education", "must be an EQF level from 1 to 8")
	}
	if q.AvailableBy != nil {
		d := dayOf(*q.AvailableBy)
		n.AvailableBy = &d
	}
	if q.Near != nil {
		nr := *q.Near
		switch {
		case math.IsNaN(nr.Lat) || nr.Lat < -90 || nr.Lat > 90:
			return n, matching.FieldErrorf("lat", "must be a latitude between -90 and 90")
		case math.IsNaN(nr.Lon) || nr.Lon < -180 || nr.Lon > 180:
			return n, matching.FieldErrorf("lon", "must be a longitude between -180 and 180")
		case math.IsNaN(nr.RadiusKm) || nr.RadiusKm <= 0 || nr.RadiusKm > 1000:
			return n, matching.FieldErrorf("radius_km", "must be more than 0 and at most 1000")
		}
		n.Near = &nr
	}

	n.Municipalities = cleanList(q.Municipalities)
	for _, m := range n.Municipalities {
		if !istatCode.MatchString(m) {
			return n, matching.FieldErrorf("municipality", "%q is not an ISTAT municipality code (6 digits)", m)
		}
	}
	n.OccupationGroups = cleanList(q.OccupationGroups)
	for _, g := range n.OccupationGroups {
		if !twoDigits.MatchString(g) {
			return n, matching.FieldErrorf("occupation_group", "%q is not an ISCO-08 sub-major group (2 digits)", g)
		}
	}
	n.EducationLevels = cleanList(q.EducationLevels)
	for _, e := range n.EducationLevels {
		if v, err := strconv.Atoi(e); err != nil || v < 1 || v > 8 || e != strconv.Itoa(v) {
			return n, matching.FieldErrorf("education_level", "%q is not an EQF level from 1 to 8", e)
		}
	}
	n.LanguageLevels = cleanList(q.LanguageLevels)
	for _, l := range n.LanguageLevels {
		if !languageCode.MatchString(l) {
			return n, matching.FieldErrorf("language_level", "%q is not a language and level such as de:B2", l)
		}
	}
	n.Experience = cleanList(q.Experience)
	for _, e := range n.Experience {
		if !slices.Contains(ExperienceBands(), e) {
			return n, matching.FieldErrorf("experience", "%q is not an experience band (%s)", e, strings.Join(ExperienceBands(), ", "))
		}
	}
	n.Availability = cleanList(q.Availability)
	for _, a := range n.Availability {
		if !slices.Contains(AvailabilityBands(), a) {
			return n, matching.FieldErrorf("availability", "%q is not an availability band (%s)", a, strings.Join(AvailabilityBands(), ", "))
		}
	}

	switch n.Sort {
	case "":
		n.Sort = SortRelevance
	case SortRelevance, SortFreshness:
	case SortDistance:
		if n.Near == nil {
			return n, matching.FieldErrorf("sort", "sorting by distance needs a place (near, or lat and lon)")
		}
	default:
		return n, matching.FieldErrorf("sort", "must be relevance, distance or freshness")
	}
	switch {
	case n.Size == 0:
		n.Size = DefaultPageSize
	case n.Size < 0 || n.Size > MaxPageSize:
		return n, matching.FieldErrorf("size", "must be between 1 and %d", MaxPageSize)
	}
	n.After = strings.TrimSpace(q.After)
	if n.AsOf.IsZero() {
		// Adapters may read the clock; callers pass AsOf to be exact.
		n.AsOf = time.Now()
	}
	n.AsOf = dayOf(n.AsOf)
	return n, nil
}

// cleanList trims, drops empty values, sorts and deduplicates a list; nil
// stays nil so that equal queries compare equal.
func cleanList(in []string) []string {
	var out []string
	for _, v := range in {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Facet names of a Result.
const (
	FacetOccupationGroup = "occupation_group"
	FacetMunicipality    = "municipality"
	FacetEducation       = "education"
	FacetLanguageLevel   = "language_level"
	FacetLicence         = "licence"
	FacetExperience      = "experience"
	FacetAvailability    = "availability"
	FacetDistance        = "distance"
)

// plan is a normalized query turned into bleve queries: the text, the
// filters always applied, and the filters of the facets, kept apart so that
// a facet can be counted without its own filter.
type plan struct {
	q    Query
	text query.Query // nil: no text
	// someWords is the text with its plain words optional (any of them
	// matches), searched when no candidate holds them all; nil when it
	// would find the same as text (fewer than two plain words).
	someWords query.Query
	filters   []query.Query
	// facetFilters holds the active filter of each facet, by facet name.
	facetFilters map[string]query.Query
}

// newPlan builds the bleve queries of a normalized query.
func newPlan(q Query) (*plan, error) {
	p := &plan{q: q, facetFilters: map[string]query.Query{}}
	if q.Text != "" {
		t, some, err := parseText(q.Text)
		if err != nil {
			return nil, err
		}
		p.text, p.someWords = t, some
	}

	if !q.IncludeNotPresentable {
		p.filters = append(p.filters, term(FieldPresentable, "true"))
	}
	if len(q.Occupations) > 0 {
		qs := make([]query.Query, len(q.Occupations))
		for i, o := range q.Occupations {
			if digits.MatchString(o) {
				qs[i] = term(FieldISCO, o)
			} else {
				qs[i] = term(FieldOccupationCode, o)
			}
		}
		p.filters = append(p.filters, anyOf(qs))
	}
	for _, s := range q.Skills {
		p.filters = append(p.filters, term(FieldSkillCode, s))
	}
	for _, l := range q.Languages {
		if l.MinLevel == "" {
			p.filters = append(p.filters, term(FieldLanguage, l.Language))
			continue
		}
		var qs []query.Query
		for _, lv := range matching.CEFRLevels() {
			if matching.CEFRRank(lv) >= matching.CEFRRank(l.MinLevel) {
				qs = append(qs, term(FieldLanguageLevel, l.Language+":"+lv))
			}
		}
		p.filters = append(p.filters, anyOf(qs))
	}
	for _, l := range q.Licences {
		p.filters = append(p.filters, term(FieldLicence, l))
	}
	if q.MinEducation > 0 {
		p.filters = append(p.filters, educationAtLeast(q.MinEducation))
	}
	if q.AvailableBy != nil {
		// Available on or before the day: before the next midnight.
		p.filters = append(p.filters, availableBetween(time.Time{}, q.AvailableBy.AddDate(0, 0, 1)))
	}
	if q.Near != nil {
		p.filters = append(p.filters, within(q.Near.Lat, q.Near.Lon, q.Near.RadiusKm))
	}
	if len(q.Contracts) > 0 {
		p.filters = append(p.filters, anyOf(terms(FieldContract, q.Contracts)))
	}

	if len(q.Municipalities) > 0 {
		p.facetFilters[FacetMunicipality] = anyOf(terms(FieldMunicipality, q.Municipalities))
	}
	if len(q.OccupationGroups) > 0 {
		p.facetFilters[FacetOccupationGroup] = anyOf(terms(FieldOccupationGroup, q.OccupationGroups))
	}
	if len(q.EducationLevels) > 0 {
		p.facetFilters[FacetEducation] = anyOf(terms(FieldEducation, q.EducationLevels))
	}
	if len(q.LanguageLevels) > 0 {
		p.facetFilters[FacetLanguageLevel] = anyOf(terms(FieldLanguageLevel, q.LanguageLevels))
	}
	if len(q.Experience) > 0 {
		p.facetFilters[FacetExperience] = anyOf(terms(fieldExperienceBand, q.Experience))
	}
	if len(q.Availability) > 0 {
		var qs []query.Query
		for _, b := range availabilityRanges(q.AsOf) {
			if slices.Contains(q.Availability, b.Name) {
				qs = append(qs, availableBetween(b.Start, b.End))
			}
		}
		p.facetFilters[FacetAvailability] = anyOf(qs)
	}
	return p, nil
}

// query returns the whole search without the filter of the facet named
// except ("" keeps them all), and extra filters added.
func (p *plan) query(except string, extra ...query.Query) query.Query {
	filters := slices.Clone(p.filters)
	// A fixed order of facet filters keeps the query deterministic.
	names := make([]string, 0, len(p.facetFilters))
	for name := range p.facetFilters {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if name != except {
			filters = append(filters, p.facetFilters[name])
		}
	}
	filters = append(filters, extra...)
	var filter query.Query
	switch len(filters) {
	case 0:
	case 1:
		filter = filters[0]
	default:
		filter = query.NewConjunctionQuery(filters)
	}
	switch {
	case p.text == nil && filter == nil:
		return query.NewMatchAllQuery()
	case p.text == nil:
		return filter
	case filter == nil:
		return p.text
	}
	// Filters select and never score: a candidate with more languages or
	// licences does not rank higher for the same text. The presentable
	// CVs alone are most of the index (see filtered's Dense).
	dense := len(filters) == 1 && !p.q.IncludeNotPresentable
	return &filtered{Scored: p.text, Filter: filter, Dense: dense}
}

// textQuery parses free text in bleve's query-string syntax and points the
// terms without a field at the text fields, each with its boost (see
// parseText); every plain word is required.
func textQuery(text string) (query.Query, error) {
	q, _, err := parseText(text)
	return q, err
}

// parseText parses free text in bleve's query-string syntax and points the
// terms without a field at the text fields, each with its boost. (Left
// alone they would search the composite _all field, which can neither be
// boosted per field nor highlighted.) A syntax error is EINVALID on "q".
//
// Every plain word (one without + or -) is required, in any of the text
// fields: "saldatore tig" finds the welders who know TIG, as a search box
// is expected to, and as PostgreSQL's plainto_tsquery does. Words the
// Italian analyzer drops (stop words: "addetto alle pulizie") require
// nothing. bleve's query string would make them optional, each scoring
// what it matches: every CV holding any common word would be scored, a
// fifth of the index for a two-word search. When two or more plain words
// are required, someWords is the same text with them optional, which the
// search falls back to when no CV holds them all.
func parseText(text string) (all, someWords query.Query, err error) {
	parsed, err := query.NewQueryStringQuery(text).Parse()
	if err != nil {
		msg := strings.ReplaceAll(err.Error(), "\n", "; ")
		return nil, nil, &matching.Error{Code: matching.EINVALID, Field: "q",
			Message: "is not a valid search: " + msg + ` (use quotes for phrases, field:value, +must, -not)`, Err: err}
	}
	if err := checkRegexps(parsed); err != nil {
		return nil, nil, err
	}
	b, ok := parsed.(*query.BooleanQuery)
	if !ok || b.Should == nil {
		return toTextFields(parsed), nil, nil
	}
	var must, mustNot []query.Query
	if b.Must != nil {
		must = slices.Clone(b.Must.(*query.ConjunctionQuery).Conjuncts)
	}
	if b.MustNot != nil {
		mustNot = b.MustNot.(*query.DisjunctionQuery).Disjuncts
	}
	words := 0
	for _, w := range b.Should.(*query.DisjunctionQuery).Disjuncts {
		if stopWordsOnly(w) {
			continue
		}
		must = append(must, w)
		words++
	}
	if words == 0 {
		// Stop words only: bleve's query as it is, which finds nothing
		// (or, with +words, what they require).
		return toTextFields(parsed), nil, nil
	}
	// The query-string form of the boolean query, so that a clause that
	// matches nothing by construction (a bare number's numeric side) is
	// skipped as bleve skips it.
	all = toTextFields(query.NewBooleanQueryForQueryString(must, nil, mustNot))
	if words >= 2 {
		// Parsed again: toTextFields rewrites the leaves in place.
		again, _ := query.NewQueryStringQuery(text).Parse()
		someWords = toTextFields(again)
	}
	return all, someWords, nil
}

// italian is the analyzer of the text fields.
var italian = sync.OnceValue(func() analysis.Analyzer {
	return newMapping().AnalyzerNamed(mappingAnalyzer)
})

// stopWordsOnly reports whether a clause of a query string is a plain word
// (no field, no fuzziness) that the Italian analyzer reduces to nothing.
func stopWordsOnly(q query.Query) bool {
	m, ok := q.(*query.MatchQuery)
	if !ok || m.FieldVal != "" || m.Fuzziness != 0 {
		return false
	}
	return len(italian().Analyze([]byte(m.Match))) == 0
}

// checkRegexps refuses the /regular expressions/ of a text that bleve would
// only reject while searching: bad syntax, and what its automata do not
// support (anchors, word boundaries, lazy quantifiers).
func checkRegexps(q query.Query) error {
	switch t := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []query.Query{t.Must, t.Should, t.MustNot} {
			if sub != nil {
				if err := checkRegexps(sub); err != nil {
					return err
				}
			}
		}
	case *query.ConjunctionQuery:
		for _, sub := range t.Conjuncts {
			if err := checkRegexps(sub); err != nil {
				return err
			}
		}
	case *query.DisjunctionQuery:
		for _, sub := range t.Disjuncts {
			if err := checkRegexps(sub); err != nil {
				return err
			}
		}
	case *query.RegexpQuery:
		re, err := syntax.Parse(t.Regexp, syntax.Perl)
		if err != nil {
			return matching.FieldErrorf("q", "/%s/ is not a valid regular expression: %v", t.Regexp, err)
		}
		if !automatonRegexp(re) {
			return matching.FieldErrorf("q", "/%s/ uses anchors, word boundaries or lazy quantifiers, which the search does not support", t.Regexp)
		}
	}
	return nil
}

// automatonRegexp reports whether a regular expression has none of the
// constructs bleve's term automata refuse.
func automatonRegexp(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return false
	}
	if re.Flags&syntax.NonGreedy != 0 && (re.Op == syntax.OpStar || re.Op == syntax.OpPlus || re.Op == syntax.OpQuest || re.Op == syntax.OpRepeat) {
		return false
	}
	for _, sub := range re.Sub {
		if !automatonRegexp(sub) {
			return false
		}
	}
	return true
}

// toTextFields rewrites a parsed query-string query in place so that its
// field-less leaves search every text field.
func toTextFields(q query.Query) query.Query {
	switch t := q.(type) {
	case *query.BooleanQuery:
		if t.Must != nil {
			t.Must = toTextFields(t.Must)
		}
		if t.Should != nil {
			t.Should = toTextFields(t.Should)
		}
		if t.MustNot != nil {
			t.MustNot = toTextFields(t.MustNot)
		}
		return t
	case *query.ConjunctionQuery:
		for i := range t.Conjuncts {
			t.Conjuncts[i] = toTextFields(t.Conjuncts[i])
		}
		return t
	case *query.DisjunctionQuery:
		for i := range t.Disjuncts {
			t.Disjuncts[i] = toTextFields(t.Disjuncts[i])
		}
		return t
	case *query.MatchQuery:
		return spreadOverTextFields(t)
	case *query.MatchPhraseQuery:
		// The index keeps no word positions (see newMapping): a phrase
		// finds the CVs holding all its words in one field, which for
		// the short texts of a CV ("addetto al servizio ai tavoli" among
		// an occupation's synonyms) is nearly always the phrase itself.
		m := query.NewMatchQuery(t.MatchPhrase)
		m.SetField(t.FieldVal)
		m.SetBoost(t.Boost())
		m.SetOperator(query.MatchQueryOperatorAnd)
		return spreadOverTextFields(m)
	case *query.WildcardQuery:
		return spreadOverTextFields(t)
	case *query.RegexpQuery:
		return spreadOverTextFields(t)
	case *query.NumericRangeQuery:
		if t.FieldVal == "" {
			// A bare number is also parsed as a numeric range on the
			// default field: free text does not search the numbers.
			return query.NewMatchNoneQuery()
		}
		return numericField(t)
	case *query.DateRangeQuery:
		return dateField(t)
	}
	return q
}

// numericField rewrites a query-string range on a number field into the
// terms that field is indexed as (see the Field constants): the same
// candidates match as if the number were indexed as a number. A range on
// any other field stays as it is, and finds nothing.
func numericField(q *query.NumericRangeQuery) query.Query {
	field := q.Field()
	var out query.Query
	switch {
	case field == FieldEducationLevel:
		lo, hi, ok := intBounds(q.Min, q.Max, q.InclusiveMin, q.InclusiveMax, 1, 8)
		out = levelTerms(ok, max(lo, 1), hi, func(v int64) query.Query { return term(FieldEducation, strconv.FormatInt(v, 10)) })
	case field == FieldYearsTotal:
		out = keyRange(FieldYearsTotal, "", q, 100, maxHundredths, hundredthsWidth)
	case field == FieldMobilityKm:
		out = keyRange(FieldMobilityKm, "", q, 1, maxKm, kmWidth)
	default:
		if g, ok := groupOfYearsField(field); ok {
			out = keyRange(fieldYearsByGroup, g+":", q, 100, maxHundredths, hundredthsWidth)
		} else if lang, ok := cefrLanguageOfField(field); ok {
			lo, hi, ok := intBounds(q.Min, q.Max, q.InclusiveMin, q.InclusiveMax, 1, 7)
			out = levelTerms(ok, lo, hi, func(v int64) query.Query {
				for _, lv := range matching.CEFRLevels() {
					if int64(matching.CEFRRank(lv)) == v {
						return term(FieldLanguageLevel, lang+":"+lv)
					}
				}
				return nil
			})
		} else {
			return q
		}
	}
	return boosted(out, q.Boost())
}

// levelTerms is the disjunction of the terms of the values lo..hi (none
// when ok is false).
func levelTerms(ok bool, lo, hi int64, termOf func(int64) query.Query) query.Query {
	var qs []query.Query
	for v := lo; ok && v <= hi; v++ {
		if t := termOf(v); t != nil {
			qs = append(qs, t)
		}
	}
	if len(qs) == 0 {
		return noMatch{}
	}
	return query.NewDisjunctionQuery(qs)
}

// keyRange is the term range of a fixed-width number key (with a prefix)
// that a numeric range covers, the values scaled by scale.
func keyRange(field, prefix string, q *query.NumericRangeQuery, scale float64, limit int64, width int) query.Query {
	lo, hi, ok := intBounds(q.Min, q.Max, q.InclusiveMin, q.InclusiveMax, scale, limit)
	if !ok {
		return noMatch{}
	}
	return termRange(field, prefix+padInt(lo, width), prefix+padInt(hi, width))
}

// dateField rewrites a query-string range of dates on a date field into
// the terms that field is indexed as, like numericField.
func dateField(q *query.DateRangeQuery) query.Query {
	var lo, hi string
	var ok bool
	switch q.Field() {
	case FieldAvailableFrom:
		if lo, hi, ok = dayBounds(q.Start.Time, q.End.Time, q.InclusiveStart, q.InclusiveEnd); !ok {
			return noMatch{}
		}
		return boosted(availableDays(lo, hi), q.Boost())
	case FieldUpdatedAt:
		lo, hi, ok = nanosBounds(q.Start.Time, q.End.Time, q.InclusiveStart, q.InclusiveEnd)
	default:
		return q
	}
	if !ok {
		return noMatch{}
	}
	return boosted(termRange(q.Field(), lo, hi), q.Boost())
}

// termRange matches the terms of a field from lo to hi, both included; ""
// leaves a bound open.
func termRange(field, lo, hi string) query.Query {
	return &termsBetween{Field: field, Min: lo, Max: hi, BoostVal: 1}
}

// termsBetween is a term range that, when it covers no term, still finds
// nothing: bleve's own term range then answers with a match-none searcher,
// which conjunctions of the query string and boolean queries drop as if
// the clause were not there (as they do for stop words), so that
// "+years_total:>99" would find everyone.
type termsBetween struct {
	Field    string  `json:"field"`
	Min      string  `json:"min,omitempty"`
	Max      string  `json:"max,omitempty"`
	BoostVal float64 `json:"boost"`
}

// SetBoost implements query.BoostableQuery.
func (q *termsBetween) SetBoost(b float64) { q.BoostVal = b }

// Boost implements query.BoostableQuery.
func (q *termsBetween) Boost() float64 { return q.BoostVal }

// Searcher implements query.Query.
func (q *termsBetween) Searcher(ctx context.Context, i bleveindex.IndexReader, _ mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	var end []byte
	if q.Max != "" {
		// The dictionary's range ends before its end: just past Max.
		end = append([]byte(q.Max), 0)
	}
	dict, err := i.FieldDictRange(q.Field, []byte(q.Min), end)
	if err != nil {
		return nil, err
	}
	var terms []string
	for {
		e, err := dict.Next()
		if err != nil {
			dict.Close()
			return nil, err
		}
		if e == nil {
			break
		}
		terms = append(terms, e.Term)
	}
	if err := dict.Close(); err != nil {
		return nil, err
	}
	return multiTermSearcher(ctx, i, terms, q.Field, q.BoostVal, options)
}

// multiTermSearcher is bleve's searcher of any of terms, but a term searcher
// for one term, which (unlike a disjunction of one) bleve's unscored
// conjunctions and disjunctions merge as postings.
func multiTermSearcher(ctx context.Context, i bleveindex.IndexReader, terms []string, field string, boost float64, options search.SearcherOptions) (search.Searcher, error) {
	switch len(terms) {
	case 0:
		return emptySearcher(ctx, i, options)
	case 1:
		return searcher.NewTermSearcher(ctx, i, terms[0], field, boost, options)
	}
	return searcher.NewMultiTermSearcher(ctx, i, terms, field, boost, options, false)
}

// noTerm is a term no field of the index holds.
const noTerm = "\x00"

// emptySearcher finds nothing. Unlike bleve's match-none searcher, no
// conjunction drops it; unlike an empty disjunction, it is a term searcher,
// which unscored conjunctions and disjunctions still merge as postings
// (one clause that cannot be merged would make them walk every document).
func emptySearcher(ctx context.Context, i bleveindex.IndexReader, options search.SearcherOptions) (search.Searcher, error) {
	return searcher.NewTermSearcher(ctx, i, noTerm, FieldPresentable, 1, options)
}

// noMatch finds nothing, and unlike bleve's match-none query is not dropped
// from a conjunction (see termsBetween).
type noMatch struct{}

// Searcher implements query.Query.
func (noMatch) Searcher(ctx context.Context, i bleveindex.IndexReader, _ mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	return emptySearcher(ctx, i, options)
}

// educationAtLeast matches the highest EQF levels from level up.
func educationAtLeast(level int) query.Query {
	return levelTerms(true, int64(level), 8, func(v int64) query.Query { return term(FieldEducation, strconv.FormatInt(v, 10)) })
}

// availableBetween matches the candidates available from a day in
// [start, end), midnights; zero bounds are open.
func availableBetween(start, end time.Time) query.Query {
	no := false
	lo, hi, ok := dayBounds(start, end, nil, &no)
	if !ok {
		return noMatch{}
	}
	return availableDays(lo, hi)
}

// availableDays matches the candidates available from a day in [lo, hi],
// day keys ("" is open). A long range reads the whole months in it from
// fieldAvailableMonth: a few large postings merge faster than a day's each.
func availableDays(lo, hi string) query.Query {
	var from, to time.Time // the first and the last day of the whole months
	if lo != "" {
		d, _ := time.Parse(dayLayout, lo)
		from = d.AddDate(0, 0, 1-d.Day())
		if d.Day() != 1 {
			from = from.AddDate(0, 1, 0)
		}
	}
	if hi != "" {
		d, _ := time.Parse(dayLayout, hi)
		to = d.AddDate(0, 0, 1-d.Day()).AddDate(0, 1, -1) // its month's last day
		if !to.Equal(d) {
			to = to.AddDate(0, 0, -to.Day()) // the previous month's last day
		}
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return termRange(FieldAvailableFrom, lo, hi)
	}
	var parts []query.Query
	if lo != "" && lo < dayKey(from) {
		parts = append(parts, termRange(FieldAvailableFrom, lo, dayKey(from.AddDate(0, 0, -1))))
	}
	var mlo, mhi string
	if !from.IsZero() {
		mlo = monthKey(from)
	}
	if !to.IsZero() {
		mhi = monthKey(to)
	}
	parts = append(parts, termRange(fieldAvailableMonth, mlo, mhi))
	if hi != "" && hi > dayKey(to) {
		parts = append(parts, termRange(FieldAvailableFrom, dayKey(to.AddDate(0, 0, 1)), hi))
	}
	return anyOf(parts)
}

// overTextFields builds the disjunction of a leaf copied onto each text field.
func overTextFields(boost float64, leaf func(field string, boost float64) query.Query) query.Query {
	qs := make([]query.Query, len(TextFields))
	for i, f := range TextFields {
		qs[i] = leaf(f.Field, boost*f.Boost)
	}
	return query.NewDisjunctionQuery(qs)
}

func term(field, value string) query.Query {
	t := query.NewTermQuery(value)
	t.SetField(field)
	return t
}

func terms(field string, values []string) []query.Query {
	qs := make([]query.Query, len(values))
	for i, v := range values {
		qs[i] = term(field, v)
	}
	return qs
}

// anyOf matches any of qs.
func anyOf(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// within matches the documents whose home is at most r km from a point (see
// homesWithin).
func within(lat, lon, r float64) query.Query {
	return &homesWithin{Lat: lat, Lon: lon, Km: r}
}

// spreadOverTextFields turns a query on no field into one copy per text
// field with that field's boost; a query on a field stays as it is.
func spreadOverTextFields[T any, P interface {
	*T
	query.FieldableQuery
	query.BoostableQuery
}](q P) query.Query {
	if q.Field() != "" {
		return q
	}
	return overTextFields(q.Boost(), func(field string, boost float64) query.Query {
		c := *q
		p := P(&c)
		p.SetField(field)
		p.SetBoost(boost)
		return p
	})
}
