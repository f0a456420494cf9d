package api

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"incontro/index"
	"incontro/matching"
	"incontro/reference"
	"incontro/store"
	"incontro/ui"
)

// The candidate pages of the workbench: the search over the CV index and
// the candidate's page with who has read the CV. Both call the JSON
// routes' cores (search, readCV, purposeOf) and the same store functions.

const (
	pathCandidates = "/operatore/candidati"
	// searchPageSize is how many candidates a page of results shows.
	searchPageSize = 20
	// cvReadsShown is how many reads of a CV the candidate page lists.
	cvReadsShown = 50
	// readPurposeWorkbench is the purpose of a read from the candidate page.
	readPurposeWorkbench = "workbench"
)

// searchPageOnly are the parameters of the search page that are not the
// search's: the language, the request the search is for, the page number.
var searchPageOnly = []string{"lang", "richiesta", "pagina"}

// facetParams are the facets of the search page in the order shown: the
// index's facet name, the search parameter its values set ("": counted
// only) and the catalogue key of its legend.
var facetParams = []struct{ Facet, Param, Legend string }{
	{index.FacetOccupationGroup, "occupation_group", "search.facet.occupation_group"},
	{index.FacetMunicipality, "municipality", "search.facet.municipality"},
	{index.FacetAvailability, "availability", "search.facet.availability"},
	{index.FacetExperience, "experience", "search.facet.experience"},
	{index.FacetEducation, "education_level", "search.facet.education"},
	{index.FacetLanguageLevel, "language_level", "search.facet.language_level"},
	{index.FacetLicence, "licence", "search.facet.licence"},
	{index.FacetDistance, "", "search.facet.distance"},
}

// searchLabels are the fields of the search form, for errors next to them.
var searchLabels = func() map[string]string {
	m := map[string]string{"q": "search.q", "words": "search.any_word", "near": "search.near", "radius_km": "search.radius", "sort": "search.sort"}
	for _, f := range facetParams {
		if f.Param != "" {
			m[f.Param] = f.Legend
		}
	}
	return m
}()

// highlightFields are the fields whose matched fragments a result shows, in order.
var highlightFields = []string{index.FieldHeadline, index.FieldOccupation, index.FieldSkill, index.FieldExperience, index.FieldSummary}

// candidateSearchPage serves GET /operatore/candidati: the search form with
// its facets, and a page of results. Its parameters are the search route's
// (the place may be a municipality's name), plus richiesta (the request the
// search is for) and pagina (the page number after a cursor).
func (s *Server) candidateSearchPage(c echo.Context) error {
	in := c.QueryParams()
	data := ui.CandidateSearchData{Page: s.Page(c, "search.title"), Municipalities: ui.TrentinoMunicipalities(),
		Form: ui.CandidateSearchForm{Query: in.Get("q"), AnyWord: in.Get("words") == "any", Near: in.Get("near"), RadiusKm: in.Get("radius_km"), Sort: in.Get("sort")}}
	if rid, err := strconv.ParseInt(in.Get("richiesta"), 10, 64); err == nil && rid > 0 {
		data.RequestID = rid
	}
	if s.index == nil {
		data.NoIndex = true
		return s.render(c, http.StatusServiceUnavailable, "candidates", data)
	}
	params := url.Values{}
	for k, v := range in {
		if !slices.Contains(searchPageOnly, k) {
			params[k] = v
		}
	}
	var err error
	if near := strings.TrimSpace(in.Get("near")); near != "" && len(in["near"]) == 1 {
		var code string
		code, err = municipalityCode("near", near)
		params.Set("near", code)
	}
	if !params.Has("size") {
		params.Set("size", strconv.Itoa(searchPageSize))
	}
	params.Set("facets", "1")
	if strings.TrimSpace(in.Get("q")) != "" && !params.Has("highlight") {
		params.Set("highlight", "1")
	}
	var res SearchResponse
	if err == nil {
		res, err = s.search(c.Request().Context(), params)
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		data.Errors = fieldErrors(data.Locale, err, searchLabels)
		if strings.Contains(matching.ErrorMessage(err), "is a protected attribute") {
			for k, v := range data.Errors {
				data.Errors[k] = data.T("search.protected") + " " + v
			}
		}
		data.Facets = facetGroups(data.Locale, nil, in)
		return s.render(c, formStatus(err), "candidates", data)
	}
	data.Searched = true
	data.Total = res.Total
	if res.TryAnyWord {
		q := pageQuery(in)
		q.Set("words", "any")
		data.AnyWordURL = pathCandidates + "?" + q.Encode()
	}
	pageNo := 1
	if n, err := strconv.Atoi(in.Get("pagina")); err == nil && n > 1 && in.Get("after") != "" {
		pageNo = n
	}
	size, _ := strconv.Atoi(params.Get("size"))
	if len(res.Hits) > 0 {
		data.From = (pageNo-1)*size + 1
		data.To = data.From + len(res.Hits) - 1
	}
	today := localDay(s.now())
	for _, h := range res.Hits {
		data.Hits = append(data.Hits, hitOf(data.Locale, h, data.RequestID, today))
	}
	data.Facets = facetGroups(data.Locale, res.Facets, in)
	if res.Next != "" {
		q := pageQuery(in)
		q.Set("after", res.Next)
		q.Set("pagina", strconv.Itoa(pageNo+1))
		data.NextURL = pathCandidates + "?" + q.Encode()
	}
	if pageNo > 1 {
		data.FirstURL = pathCandidates
		if q := pageQuery(in); len(q) > 0 {
			data.FirstURL += "?" + q.Encode()
		}
	}
	return s.render(c, http.StatusOK, "candidates", data)
}

// pageQuery is the search of the page without its paging and language.
func pageQuery(in url.Values) url.Values {
	q := url.Values{}
	for k, v := range in {
		if k != "after" && k != "pagina" && k != "lang" {
			q[k] = v
		}
	}
	return q
}

// hitOf is a result as the list shows it.
func hitOf(loc ui.Locale, h SearchHit, requestID int64, today matching.Date) ui.CandidateHit {
	c := h.Candidate
	out := ui.CandidateHit{ID: h.ID, Href: candidateHref(h.ID, requestID), Headline: c.Headline, Municipality: c.HomeMunicipality.Name,
		DistanceKm: h.DistanceKm, ExperienceYears: c.ExperienceYears, Licences: c.Licences, Presentation: c.Presentation, UpdatedAt: c.UpdatedAt}
	out.Availability, out.AvailableFrom = availabilityOf(c.AvailableFrom, today)
	for _, l := range c.Languages {
		out.Languages = append(out.Languages, languageLabel(loc, l.Language, l.Level))
	}
	for _, f := range highlightFields {
		for _, frag := range h.Fragments[f] {
			// The index leaves only <mark> and </mark> as markup in a
			// fragment (index.safeFragment).
			out.Highlights = append(out.Highlights, template.HTML(frag)) //nolint:gosec // sanitized by the index
		}
	}
	return out
}

// availabilityOf says when a candidate is available: a catalogue key, and
// the day when it is after today.
func availabilityOf(from *matching.Date, today matching.Date) (string, *matching.Date) {
	switch {
	case from == nil:
		return "search.available_unknown", nil
	case !from.After(today):
		return "search.available_now", nil
	}
	return "search.available_from", from
}

// candidateHref is a candidate's page, for the request when there is one.
func candidateHref(id, requestID int64) string {
	h := pathCandidates + "/" + strconv.FormatInt(id, 10)
	if requestID > 0 {
		h += "?richiesta=" + strconv.FormatInt(requestID, 10)
	}
	return h
}

// languageLabel names a language and its level.
func languageLabel(loc ui.Locale, lang, level string) string {
	name := matching.LanguageName(lang)
	if key := "language." + lang; loc.Has(key) {
		name = loc.T(key)
	}
	if level == "native" {
		level = loc.T("search.native")
	}
	if level == "" {
		return name
	}
	return name + " " + level
}

// facetGroups are the facets of the page: the counts of the search (nil
// after an error) with every ticked value kept, even at zero.
func facetGroups(loc ui.Locale, counts map[string][]index.FacetCount, in url.Values) []ui.FacetGroup {
	var out []ui.FacetGroup
	for _, f := range facetParams {
		g := ui.FacetGroup{Name: f.Facet, Param: f.Param, Legend: f.Legend}
		ticked := in[f.Param]
		seen := map[string]bool{}
		for _, fc := range counts[f.Facet] {
			seen[fc.Value] = true
			g.Values = append(g.Values, ui.FacetValue{Value: fc.Value, Label: facetLabel(loc, f.Facet, fc.Value), Count: fc.Count,
				Checked: f.Param != "" && slices.Contains(ticked, fc.Value)})
		}
		if f.Param != "" {
			for _, v := range ticked {
				if !seen[v] {
					seen[v] = true
					g.Values = append(g.Values, ui.FacetValue{Value: v, Label: facetLabel(loc, f.Facet, v), Checked: true, Uncounted: counts == nil})
				}
			}
		}
		if len(g.Values) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// facetLabel names a value of a facet.
func facetLabel(loc ui.Locale, facet, v string) string {
	switch facet {
	case index.FacetOccupationGroup:
		if g, ok := reference.ISCOByCode(v); ok {
			return g.Label
		}
	case index.FacetMunicipality:
		if m, ok := reference.MunicipalityByCode(v); ok {
			return m.Name
		}
	case index.FacetEducation:
		return loc.T("search.eqf", v)
	case index.FacetLanguageLevel:
		if lang, level, ok := strings.Cut(v, ":"); ok {
			return languageLabel(loc, lang, level)
		}
	case index.FacetLicence:
		return ui.Term(matching.Licences(), v)
	case index.FacetExperience, index.FacetAvailability:
		if key := "search." + facet + "." + v; loc.Has(key) {
			return loc.T(key)
		}
	case index.FacetDistance:
		return strings.Replace(strings.Replace(v, "-", "–", 1), "km", " km", 1)
	}
	return v
}

// candidatePage serves GET /operatore/candidati/:id: the CV as the caller
// may see it, read like GET /api/v1/candidates/:id with the purpose
// "workbench" and the request of ?richiesta= (audited as a cv_read), and
// who has read the CV, newest first. An operator can add the candidate to
// one of the provider's open requests.
func (s *Server) candidatePage(c echo.Context) error {
	id, err := pathID(c, "id", "candidate")
	if err != nil {
		return err
	}
	var rid int64
	if v := c.QueryParam("richiesta"); v != "" {
		if rid, err = strconv.ParseInt(v, 10, 64); err != nil || rid <= 0 {
			return matching.FieldErrorf("richiesta", "must be a request number")
		}
	}
	return s.showCandidate(c, http.StatusOK, id, rid, ui.AddToRequestForm{RequestID: rid}, nil)
}

// showCandidate renders the candidate page, reading (and auditing) the CV
// for the request rid (0: none); form and errs are the add-to-request form
// as it came back.
func (s *Server) showCandidate(c echo.Context, status int, id, rid int64, form ui.AddToRequestForm, errs ui.FieldErrors) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	requestID, purpose, err := s.purposeOf(ctx, p, "richiesta", rid, readPurposeWorkbench)
	if err != nil {
		return err
	}
	view, err := s.readCV(c, p, id, requestID, purpose)
	if err != nil {
		return err
	}
	reads, total, err := s.store.CVReads(ctx, id, cvReadsShown, 0)
	if err != nil {
		return err
	}
	data := ui.CandidateData{Page: s.Page(c, "cv.title"), Candidate: view.Candidate, Reads: reads, ReadsTotal: total,
		RequestID: rid, SelfName: p.Name, BackURL: pathCandidates, Form: form, Errors: errs}
	if rid > 0 {
		data.BackURL += "?richiesta=" + strconv.FormatInt(rid, 10)
	}
	if m, ok := reference.MunicipalityByCode(view.HomeMunicipality); ok {
		data.Municipality = m.Name
	}
	data.Available, _ = availabilityOf(view.AvailableFrom, localDay(s.now()))
	if name := data.FullName(); strings.TrimSpace(name) != "" {
		data.Title = name
	}
	for _, l := range view.Languages {
		data.LanguageLabels = append(data.LanguageLabels, languageLabel(data.Locale, l.Language, l.Level))
	}
	for _, l := range view.Licences {
		data.LicenceLabels = append(data.LicenceLabels, ui.Term(matching.Licences(), l))
	}
	if p.Role == matching.RoleOperator {
		data.CanAdd = true
		open, _, err := s.store.RequestQueue(ctx, store.RequestFilter{ProviderID: p.ProviderID, State: "open", Limit: 200})
		if err != nil {
			return err
		}
		for _, r := range open {
			data.OpenRequests = append(data.OpenRequests, ui.RequestOption{ID: r.ID, Title: r.VacancyTitle, Employer: r.EmployerName})
		}
	}
	return s.render(c, status, "candidate", data)
}

var addToRequestLabels = map[string]string{"request_id": "cv.add_request", "note": "cv.add_note"}

// addToRequestSubmit serves POST /operatore/candidati/:id/pipeline: the
// operator adds the candidate found by search to one of the provider's
// requests, with the pipeline's own rules (store.AddCandidate, as POST
// /api/v1/requests/:id/pipeline with source "search"); the request must
// pass the request policy.
func (s *Server) addToRequestSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	id, err := pathID(c, "id", "candidate")
	if err != nil {
		return err
	}
	form := ui.AddToRequestForm{Note: c.FormValue("note")}
	rid, err := formID(c, "request_id")
	switch {
	case err != nil:
	case rid == nil:
		err = matching.FieldErrorf("request_id", "is required")
	default:
		form.RequestID = *rid
		if perr := requestPolicy(s.store).check(ctx, p, *rid); matching.ErrorCode(perr) == matching.ENOTFOUND {
			err = matching.FieldErrorf("request_id", "is not a request of yours")
		} else if perr != nil {
			return perr
		}
	}
	if err == nil {
		_, err = s.store.AddCandidate(ctx, store.NewEntry{RequestID: form.RequestID, CandidateID: id, Source: matching.SourceSearch,
			Note: strings.TrimSpace(form.Note)}, actorOf(c))
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		if matching.ErrorField(err) == "candidate_id" {
			// About this candidate in the chosen request: shown by the request.
			err = &matching.Error{Code: matching.ErrorCode(err), Field: "request_id", Message: matching.ErrorMessage(err)}
		}
		// The page comes back with the error next to the field; the CV is
		// shown (and its read recorded) for the request it was opened for.
		back, _ := strconv.ParseInt(c.FormValue("richiesta"), 10, 64)
		loc := s.renderer.Locale(s.lang(c))
		return s.showCandidate(c, formStatus(err), id, max(back, 0), form, fieldErrors(loc, err, addToRequestLabels))
	}
	rs := strconv.FormatInt(form.RequestID, 10)
	s.setFlash(c, flash{Kind: "success", Key: "cv.added", Args: []string{rs}})
	return see303(c, candidateHref(id, form.RequestID))
}
