package api

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Rome even without the system zone database

	"github.com/labstack/echo/v4"

	"incontro/index"
	"incontro/matching"
	"incontro/reference"
)

// SearchResponse is the body of GET /api/v1/candidates/search.
type SearchResponse struct {
	Total uint64      `json:"total"`
	Hits  []SearchHit `json:"hits"`
	// Facets are counted on the first page (or with facets=1): by facet, the
	// values and how many candidates have them.
	Facets map[string][]index.FacetCount `json:"facets,omitempty"`
	// Next is the cursor of the next page (the after parameter), "" on the last.
	Next string `json:"next,omitempty"`
	// TryAnyWord says that no candidate holds every word of q, which has
	// several: the same search with words=any may find those holding some.
	TryAnyWord bool    `json:"try_any_word,omitempty"`
	TookMs     float64 `json:"took_ms"`
}

// SearchHit is a candidate found: why (score, distance, highlighted
// fragments) and what a result list shows of them. The whole CV is read
// with GET /api/v1/candidates/:id, which is audited.
type SearchHit struct {
	ID         int64               `json:"id"`
	Score      float64             `json:"score"`
	DistanceKm *float64            `json:"distance_km,omitempty"`
	Fragments  map[string][]string `json:"fragments,omitempty"`
	Candidate  CandidateSummary    `json:"candidate"`
}

// CandidateSummary is a candidate as a list of search results shows them:
// no name, no contacts.
type CandidateSummary struct {
	ID               int64                    `json:"id"`
	Headline         string                   `json:"headline"`
	HomeMunicipality MunicipalityRef          `json:"home_municipality"`
	ExperienceYears  float64                  `json:"experience_years"`
	Languages        []matching.LanguageLevel `json:"languages"`
	Licences         []string                 `json:"licences"`
	AvailableFrom    *matching.Date           `json:"available_from,omitempty"`
	UpdatedAt        time.Time                `json:"updated_at"`
	Presentation     matching.Presentation    `json:"presentation"`
}

// MunicipalityRef is a municipality by ISTAT code and name.
type MunicipalityRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Parameters of the search: the repeatable ones may be given several times.
var (
	searchSingle = []string{"q", "words", "education", "available_by", "near", "lat", "lon", "radius_km",
		"sort", "size", "after", "highlight", "facets"}
	searchRepeatable = []string{"occupation", "skill", "language", "licence", "contract",
		"municipality", "occupation_group", "education_level", "language_level", "experience", "availability"}
)

// defaultRadiusKm is the radius around a place given without radius_km.
const defaultRadiusKm = 30

var (
	searchISCO     = regexp.MustCompile(`^[0-9]{1,4}$`)
	searchCode     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$`)
	searchLanguage = regexp.MustCompile(`^([a-z]{2})(?::(A1|A2|B1|B2|C1|C2|native))?$`)
)

// searchCandidates serves GET /api/v1/candidates/search for staff: a page
// of candidates from the index, their list fields loaded from PostgreSQL in
// one query.
//
// Parameters (repeatable ones marked *): q (free text, bleve query-string
// syntax; fields: headline, summary, experience, occupation, skill and the
// keyword fields isco, occupation_code, skill_code, language, language_level,
// licence, certification, contract, working_time, municipality), words (all:
// every plain word of q required, the default; any: any of them),
// occupation* (ISCO code of 1–4 digits or occupation code), skill* (code,
// all required), language* ("de" or "de:B2", at least that level), licence*
// (all required), education (minimum EQF level), available_by (YYYY-MM-DD),
// near (ISTAT municipality code) or lat and lon, radius_km (default 30),
// contract* (any); the facet filters municipality*, occupation_group*,
// education_level*, language_level*, experience* (0-1, 1-3, 3-5, 5-10, 10+),
// availability* (now, 30d, 90d, later); sort (relevance, distance,
// freshness; default relevance with q, else distance with a place, else
// freshness), size (1–200, default 20), after (the previous page's next),
// highlight=1, facets=1 (default on the first page). A bad or unknown
// parameter is 422 naming it.
func (s *Server) searchCandidates(c echo.Context) error {
	if s.index == nil {
		// A deployment without an index (or a test server) cannot search;
		// the message says so plainly instead of a hidden internal error.
		s.logger.Warn("candidate search without an index", "request_id", RequestID(c.Request().Context()))
		return c.JSON(http.StatusServiceUnavailable, ErrorBody{Error: ErrorDetail{
			Code: matching.EINTERNAL, Message: "the CV search is not available: this server has no index",
			RequestID: RequestID(c.Request().Context()),
		}})
	}
	out, err := s.search(c.Request().Context(), c.QueryParams())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// search is the candidate search of the JSON route and of the search page:
// the parameters checked, the index asked, the list fields loaded. The
// server must have an index.
func (s *Server) search(ctx context.Context, params url.Values) (SearchResponse, error) {
	now := localDay(s.now())
	q, err := parseSearch(params, now)
	if err != nil {
		return SearchResponse{}, err
	}
	// Not a parameter of the index's search: fragments are cut here.
	highlight, err := boolParam(params, "highlight", false)
	if err != nil {
		return SearchResponse{}, err
	}
	var marker *index.Highlighter
	if highlight && q.Text != "" {
		marker = index.NewHighlighter(q.Text)
	}
	res, err := s.index.Search(ctx, q)
	if err != nil {
		return SearchResponse{}, err
	}
	ids := make([]int64, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	cands, err := s.store.CandidatesByID(ctx, ids)
	if err != nil {
		return SearchResponse{}, err
	}
	byID := make(map[int64]*matching.Candidate, len(cands))
	for i := range cands {
		byID[cands[i].ID] = &cands[i]
	}
	out := SearchResponse{Total: res.Total, Hits: make([]SearchHit, 0, len(res.Hits)), Facets: res.Facets, Next: res.Next,
		TryAnyWord: res.TryAnyWord, TookMs: float64(res.Took.Microseconds()) / 1000}
	for _, h := range res.Hits {
		cand, ok := byID[h.ID]
		if !ok {
			// Erased since the index saw it; the index drops it shortly.
			continue
		}
		hit := SearchHit{ID: h.ID, Score: h.Score, DistanceKm: h.DistanceKm, Candidate: summarize(cand, now)}
		if marker != nil {
			hit.Fragments = marker.Fragments(*cand, now)
		}
		out.Hits = append(out.Hits, hit)
	}
	return out, nil
}

// summarize returns what a result list shows of a candidate.
func summarize(c *matching.Candidate, now time.Time) CandidateSummary {
	m, _ := reference.MunicipalityByCode(c.HomeMunicipality)
	return CandidateSummary{
		ID: c.ID, Headline: c.Headline,
		HomeMunicipality: MunicipalityRef{Code: c.HomeMunicipality, Name: m.Name},
		ExperienceYears:  math.Round(c.TotalExperienceYears(now)*10) / 10,
		Languages:        c.Languages, Licences: c.Licences,
		AvailableFrom: c.AvailableFrom, UpdatedAt: c.UpdatedAt, Presentation: c.Presentation,
	}
}

// parseSearch reads the query parameters of a search; an error names the
// parameter. The index checks the rest (band names, cursor, query syntax)
// and names the same parameters.
func parseSearch(v url.Values, now time.Time) (index.Query, error) {
	q := index.Query{AsOf: now}
	for name, vals := range v {
		switch {
		case slices.Contains(searchRepeatable, name):
		case slices.Contains(searchSingle, name):
			if len(vals) > 1 {
				return q, matching.FieldErrorf(name, "is given more than once")
			}
		case matching.ProtectedGround(name) != "":
			return q, matching.ProtectedError(name, name)
		default:
			return q, matching.FieldErrorf(name, "is not a parameter of the search")
		}
	}
	q.Text = v.Get("q")
	if err := matching.CheckProtectedText("q", q.Text); err != nil {
		return q, err
	}
	switch v.Get("words") {
	case "", "all":
	case "any":
		q.AnyWord = true
	default:
		return q, matching.FieldErrorf("words", `must be "all" (every word of q required) or "any" (any of them)`)
	}

	for _, o := range v["occupation"] {
		if !searchISCO.MatchString(o) && !searchCode.MatchString(o) {
			return q, matching.FieldErrorf("occupation", "%q is neither an ISCO-08 code (1 to 4 digits) nor an occupation code", o)
		}
		q.Occupations = append(q.Occupations, o)
	}
	for _, sk := range v["skill"] {
		if !searchCode.MatchString(sk) {
			return q, matching.FieldErrorf("skill", "%q is not a skill code", sk)
		}
		q.Skills = append(q.Skills, sk)
	}
	for _, l := range v["language"] {
		m := searchLanguage.FindStringSubmatch(l)
		if m == nil {
			return q, matching.FieldErrorf("language", "%q is not a language with an optional minimum level, such as de or de:B2", l)
		}
		q.Languages = append(q.Languages, index.LanguageFilter{Language: m[1], MinLevel: m[2]})
	}
	for _, l := range v["licence"] {
		if !matching.IsLicence(l) {
			return q, matching.FieldErrorf("licence", "%q is not a licence category", l)
		}
		q.Licences = append(q.Licences, l)
	}
	for _, ct := range v["contract"] {
		if !matching.IsContractType(ct) {
			return q, matching.FieldErrorf("contract", "%q is not a contract type", ct)
		}
		q.Contracts = append(q.Contracts, ct)
	}
	if e := v.Get("education"); e != "" {
		n, err := strconv.Atoi(e)
		if err != nil || n < 1 || n > 8 {
			return q, matching.FieldErrorf("education", "must be an EQF level from 1 to 8")
		}
		q.MinEducation = n
	}
	if d := v.Get("available_by"); d != "" {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return q, matching.FieldErrorf("available_by", "must be a day as YYYY-MM-DD")
		}
		q.AvailableBy = &t
	}

	near, err := parseNear(v)
	if err != nil {
		return q, err
	}
	q.Near = near

	for _, m := range v["municipality"] {
		if _, ok := reference.MunicipalityByCode(m); !ok {
			return q, matching.FieldErrorf("municipality", "%q is not an ISTAT municipality code", m)
		}
	}
	q.Municipalities = v["municipality"]
	q.OccupationGroups = v["occupation_group"]
	q.EducationLevels = v["education_level"]
	q.LanguageLevels = v["language_level"]
	q.Experience = v["experience"]
	q.Availability = v["availability"]

	q.Sort = v.Get("sort")
	if matching.ProtectedGround(q.Sort) != "" {
		return q, matching.ProtectedError("sort", q.Sort)
	}
	if q.Sort == "" {
		switch {
		case strings.TrimSpace(q.Text) != "":
			q.Sort = index.SortRelevance
		case q.Near != nil:
			q.Sort = index.SortDistance
		default:
			q.Sort = index.SortFreshness
		}
	}
	if sz := v.Get("size"); sz != "" {
		n, err := strconv.Atoi(sz)
		if err != nil || n < 1 || n > index.MaxPageSize {
			return q, matching.FieldErrorf("size", "must be a number from 1 to %d", index.MaxPageSize)
		}
		q.Size = n
	}
	q.After = v.Get("after")
	if q.Facets, err = boolParam(v, "facets", q.After == ""); err != nil {
		return q, err
	}
	return q, nil
}

// parseNear reads the place of a search: near (an ISTAT code) or lat and
// lon, and radius_km.
func parseNear(v url.Values) (*index.Near, error) {
	code, lat, lon, radius := v.Get("near"), v.Get("lat"), v.Get("lon"), v.Get("radius_km")
	var n index.Near
	switch {
	case code != "" && (lat != "" || lon != ""):
		return nil, matching.FieldErrorf("near", "give either near or lat and lon, not both")
	case code != "":
		m, ok := reference.MunicipalityByCode(code)
		if !ok {
			return nil, matching.FieldErrorf("near", "%q is not an ISTAT municipality code", code)
		}
		n.Lat, n.Lon = m.Lat, m.Lon
	case lat != "" || lon != "":
		var err error
		if n.Lat, err = strconv.ParseFloat(lat, 64); err != nil || n.Lat < -90 || n.Lat > 90 {
			return nil, matching.FieldErrorf("lat", "must be a latitude between -90 and 90 (with lon)")
		}
		if n.Lon, err = strconv.ParseFloat(lon, 64); err != nil || n.Lon < -180 || n.Lon > 180 {
			return nil, matching.FieldErrorf("lon", "must be a longitude between -180 and 180 (with lat)")
		}
	default:
		if radius != "" {
			return nil, matching.FieldErrorf("radius_km", "needs a place: near, or lat and lon")
		}
		return nil, nil
	}
	n.RadiusKm = defaultRadiusKm
	if radius != "" {
		r, err := strconv.ParseFloat(radius, 64)
		if err != nil || !(r > 0 && r <= 1000) {
			return nil, matching.FieldErrorf("radius_km", "must be a distance in km, more than 0 and at most 1000")
		}
		n.RadiusKm = r
	}
	return &n, nil
}

// boolParam reads a 1/0 (true/false) parameter.
func boolParam(v url.Values, name string, def bool) (bool, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, matching.FieldErrorf(name, "must be 1 or 0")
	}
	return b, nil
}

// serviceZone is where "today" is: availability bands and dates in filters
// are days in Trento, not in UTC.
var serviceZone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		return time.FixedZone("CET", 3600) // unreachable: time/tzdata is embedded
	}
	return loc
}()

// localDay returns the calendar day of t in Trento, as midnight UTC (the
// form dates take in incontro).
func localDay(t time.Time) time.Time {
	y, m, d := t.In(serviceZone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
