package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"incontro/matcher"
	"incontro/matching"
	"incontro/store"
	"incontro/ui"
)

// The operator's workbench (pages): the queue, the request page and the
// match page. Each form calls the core its JSON route calls: requestQueue,
// openRequest, moveRequest, saveVacancy, matchRequest, readMatchRun and
// addToPipeline.

const queuePageSize = 25

// badgesOf turns a request's summary and badges into what the pages show.
func badgesOf(sum store.RequestSummary, b store.RequestBadges) ui.Badges {
	out := ui.Badges{FeedbackDue: b.Feedback.ReminderDue, ProposeClose: b.Feedback.ProposeClose,
		AvailabilityExpiring: b.AvailabilityExpiring, AvailabilityExpired: b.AvailabilityExpired, FlaggedWording: sum.FlaggedWording}
	if b.Time != nil {
		out.Time = b.Time.Phases
	}
	return out
}

// headerOf is a request as the workbench's pages show it.
func headerOf(sum store.RequestSummary, b store.RequestBadges) ui.RequestHeader {
	return ui.RequestHeader{ID: sum.ID, VacancyID: sum.VacancyID, VacancyTitle: sum.VacancyTitle, EmployerName: sum.EmployerName,
		ProviderName: sum.ProviderName, OperatorName: sum.OperatorName, Status: sum.Status, Outcome: sum.Outcome,
		CloseReason: sum.CloseReason, With4D: sum.With4D, OpenedAt: sum.OpenedAt, ClosedAt: sum.ClosedAt, Badges: badgesOf(sum, b)}
}

// queueParams are the parameters of the queue page that the queue's core
// reads (the page's own, such as lang, are left out).
func queueParams(c echo.Context) url.Values {
	q := url.Values{}
	for _, k := range []string{"state", "status", "mine", "q", "offset"} {
		if v := strings.TrimSpace(c.QueryParam(k)); v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// queueLabels are the fields of the queue's filter.
var queueLabels = map[string]string{"status": "wb.status", "state": "wb.queue.state", "mine": "wb.queue.whose", "q": "wb.queue.search"}

// queueData loads the queue page for the filter of the query.
func (s *Server) queueData(c echo.Context) (ui.QueueData, error) {
	ctx := c.Request().Context()
	data := ui.QueueData{Page: s.Page(c, "workbench.title")}
	params := queueParams(c)
	data.Filter = ui.QueueFilter{State: params.Get("state"), Status: params.Get("status"), Mine: params.Get("mine"), Query: params.Get("q")}
	params.Set("limit", strconv.Itoa(queuePageSize))
	offset, _ := strconv.Atoi(params.Get("offset"))
	q, err := s.requestQueue(c, params)
	if err != nil {
		if !formError(err) {
			return data, err
		}
		// A filter typed by hand into the address: the queue shows every
		// request and says what was wrong, next to the filter's field.
		data.Errors = fieldErrors(data.Locale, err, queueLabels)
		if field := matching.ErrorField(err); data.Errors.Invalid(field) {
			data.Errors = ui.FieldErrors{"f-" + field: data.Errors[field]}
		}
		offset = 0
		if q, err = s.requestQueue(c, url.Values{"limit": {strconv.Itoa(queuePageSize)}}); err != nil {
			return data, err
		}
	}
	data.Total = q.Total
	for _, it := range q.Items {
		data.Rows = append(data.Rows, headerOf(it.RequestSummary, it.Badges))
	}
	if len(data.Rows) > 0 {
		data.From, data.To = offset+1, offset+len(data.Rows)
	}
	if offset > 0 {
		data.PrevURL = queuePageURL(c, max(0, offset-queuePageSize))
	}
	if offset+len(data.Rows) < data.Total {
		data.NextURL = queuePageURL(c, offset+queuePageSize)
	}
	p := PrincipalFrom(ctx)
	vs, err := s.store.VacanciesServedBy(ctx, p.ProviderID, 0)
	if err != nil {
		return data, err
	}
	for _, v := range vs {
		data.Vacancies = append(data.Vacancies, ui.VacancyOption{ID: v.ID, Title: v.Title, EmployerName: v.EmployerName})
	}
	return data, nil
}

// queuePageURL is the queue with the request's filter at offset.
func queuePageURL(c echo.Context, offset int) string {
	q := queueParams(c)
	q.Del("offset")
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	if len(q) == 0 {
		return pathWorkbench
	}
	return pathWorkbench + "?" + q.Encode()
}

// queuePage serves GET /operatore: the queue of the operator's provider.
func (s *Server) queuePage(c echo.Context) error {
	data, err := s.queueData(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "wb_queue", data)
}

var newRequestLabels = map[string]string{"vacancy_id": "wb.vacancy", "provider_id": "wb.provider", "operator_id": "wb.operator"}

// newRequestSubmit serves POST /operatore/richieste with the API's opening
// of a request; the new request's page follows.
func (s *Server) newRequestSubmit(c echo.Context) error {
	form := ui.NewRequestForm{With4D: c.FormValue("with_4d") == "true"}
	vid, err := formID(c, "vacancy_id")
	if vid != nil {
		form.VacancyID = *vid
	}
	var r matching.Request
	if err == nil {
		r, err = s.openRequest(c, RequestInput{VacancyID: form.VacancyID, With4D: form.With4D})
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		data, lerr := s.queueData(c)
		if lerr != nil {
			return lerr
		}
		data.Form = form
		data.Errors = fieldErrors(data.Locale, err, newRequestLabels)
		return s.render(c, formStatus(err), "wb_queue", data)
	}
	sum, err := s.store.RequestSummaryOf(c.Request().Context(), r.ID)
	if err != nil {
		return err
	}
	s.setFlash(c, flash{Kind: "success", Key: "wb.new.opened", Args: []string{sum.VacancyTitle}})
	return see303(c, requestPath(r.ID, ""))
}

// --- The request page ---

// requestPageData loads the request page: the request's view (the JSON
// route's), its vacancy with the weights and findings, the history with
// who made each change.
func (s *Server) requestPageData(c echo.Context, id int64) (ui.RequestPageData, error) {
	ctx := c.Request().Context()
	v, err := s.requestView(c, id)
	if err != nil {
		return ui.RequestPageData{}, err
	}
	data := ui.RequestPageData{Page: s.Page(c, "wb.tab.request"), Facts: v.Facts}
	data.Title = v.VacancyTitle
	b := store.RequestBadges{Feedback: v.Feedback, Time: v.Time}
	if v.AvailabilityExpiring != nil {
		b.AvailabilityExpiring, b.AvailabilityExpired = *v.AvailabilityExpiring, *v.AvailabilityExpired
	}
	data.Req = headerOf(v.RequestSummary, b)
	for _, st := range v.NextStates {
		if st == matching.StatusClosed {
			data.CanClose = true
		} else {
			data.Moves = append(data.Moves, st)
		}
	}
	for _, o := range matching.Outcomes() {
		data.Outcomes = append(data.Outcomes, ui.OutcomeOption{Outcome: o, Reasons: matching.CloseReasons(o)})
	}
	var ids []int64
	for _, h := range v.History {
		if h.By != nil {
			ids = append(ids, *h.By)
		}
	}
	names, err := s.store.UserNames(ctx, ids)
	if err != nil {
		return data, err
	}
	for _, h := range v.History {
		row := ui.HistoryRow{StatusChange: h}
		if h.By != nil {
			row.ByName = names[*h.By]
		}
		data.History = append(data.History, row)
	}
	vac, err := s.store.Vacancy(ctx, v.VacancyID)
	if err != nil {
		return data, err
	}
	view, err := s.vacancyView(vac)
	if err != nil {
		return data, err
	}
	data.VacancyStatus = vac.Status
	data.Findings = vac.Findings
	for i, w := range view.Weights {
		r := vac.Requirements[i] // both in rank order
		data.Requirements = append(data.Requirements, ui.RequirementRow{Requirement: r, Description: w.Requirement,
			Weight: w.Weight, Points: w.Points, First: i == 0, Last: i == len(view.Weights)-1})
	}
	return data, nil
}

// requestPage serves GET /operatore/richieste/:id. After a move of a
// requirement (?spostato=id&verso=up|down) the focus goes back to the
// moved requirement's button, so the keyboard carries on from there.
func (s *Server) requestPage(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	data, err := s.requestPageData(c, id)
	if err != nil {
		return err
	}
	if moved, _ := strconv.ParseInt(c.QueryParam("spostato"), 10, 64); moved > 0 {
		dir := c.QueryParam("verso")
		for i := range data.Requirements {
			r := &data.Requirements[i]
			if r.ID != moved {
				continue
			}
			switch {
			case dir == "up" && !r.First, dir == "down" && r.Last:
				r.Focus = "up"
			case dir == "down", dir == "up":
				r.Focus = "down"
			}
		}
	}
	return s.render(c, http.StatusOK, "wb_request", data)
}

var closeLabels = map[string]string{"to": "wb.status", "outcome": "wb.close.outcome", "close_reason": "wb.close.reason", "note": "wb.close.note"}

// transitionSubmit serves POST /operatore/richieste/:id/stato: a life-cycle
// button or the close form, with the API's transition.
func (s *Server) transitionSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	in := TransitionBody{To: matching.RequestStatus(c.FormValue("to")), CloseReason: matching.CloseReason(c.FormValue("close_reason")),
		Note: c.FormValue("note")}
	if o := matching.Outcome(c.FormValue("outcome")); o != "" {
		in.Outcome = &o
	}
	err = s.moveRequest(c, id, in)
	if err == nil {
		loc := s.renderer.Locale(s.lang(c))
		s.setFlash(c, flash{Kind: "success", Key: "wb.life.moved", Args: []string{loc.T(ui.WbStatusKey(in.To))}})
		return see303(c, requestPath(id, ""))
	}
	if !formError(err) {
		return err
	}
	data, lerr := s.requestPageData(c, id)
	if lerr != nil {
		return lerr
	}
	data.Close = ui.CloseForm{Outcome: c.FormValue("outcome"), CloseReason: c.FormValue("close_reason"), Note: c.FormValue("note")}
	data.Errors = s.transitionErrors(data, err)
	return s.render(c, formStatus(err), "wb_request", data)
}

// transitionErrors places a refused transition's error: the close form's
// fields next to them; the time under the standard, which the note must
// justify, spelled out from the request's own facts.
func (s *Server) transitionErrors(data ui.RequestPageData, err error) ui.FieldErrors {
	loc := data.Locale
	field := matching.ErrorField(err)
	if field == "note" && strings.HasPrefix(matching.ErrorMessage(err), "the recorded time is below the standard") {
		r := matching.Request{With4D: data.Req.With4D}
		var parts []string
		for _, p := range r.UnderStandard(&data.Facts) {
			b, _ := matching.StandardBand(p)
			parts = append(parts, loc.T("wb.close.under_phase", loc.T(ui.WbPhaseKey(p)), matching.FormatMinutes(data.Facts.Minutes[p]),
				matching.FormatMinutes(int(b.Min.Minutes()))))
		}
		return ui.FieldErrors{"note": loc.T("wb.close.note") + ": " + loc.T("wb.close.under_standard", strings.Join(parts, "; "))}
	}
	if field == "close_reason" && matching.ErrorCode(err) == matching.EINVALID {
		return ui.FieldErrors{"close_reason": loc.T("wb.close.reason") + ": " + loc.T("wb.close.reason_error")}
	}
	if field == "status" {
		// A precondition of the life cycle: about the request, not a field.
		return ui.FieldErrors{"": loc.ErrorText(err)}
	}
	return fieldErrors(loc, err, closeLabels)
}

// requirementsSubmit serves POST /operatore/richieste/:id/requisiti: the
// requirements editor. The form posts the requirements in their order
// (order), the essential ones (essential) and the button pressed: move
// (up:id or down:id), remove (id) or save. The new order is saved through
// the vacancy's update (PUT /api/v1/vacancies/:id).
func (s *Server) requirementsSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	r, err := s.store.Request(ctx, id)
	if err != nil {
		return err
	}
	vac, err := s.store.Vacancy(ctx, r.VacancyID)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return matching.Errorf(matching.EINVALID, "the form could not be read")
	}
	byID := map[int64]matching.Requirement{}
	for _, q := range vac.Requirements {
		byID[q.ID] = q
	}
	// The order as posted; requirements the page did not show (changed
	// meanwhile) keep their place after those it did.
	var reqs []matching.Requirement
	seen := map[int64]bool{}
	for _, v := range form["order"] {
		rid, perr := strconv.ParseInt(v, 10, 64)
		if q, ok := byID[rid]; perr == nil && ok && !seen[rid] {
			reqs = append(reqs, q)
			seen[rid] = true
		}
	}
	for _, q := range vac.Requirements {
		if !seen[q.ID] {
			reqs = append(reqs, q)
		}
	}
	essential := map[int64]bool{}
	for _, v := range form["essential"] {
		if rid, perr := strconv.ParseInt(v, 10, 64); perr == nil {
			essential[rid] = true
		}
	}
	if len(form["order"]) > 0 {
		for i := range reqs {
			reqs[i].Essential = essential[reqs[i].ID]
		}
	}
	fl := flash{Kind: "success", Key: "wb.req.saved"}
	lang := s.lang(c) // the flash names the requirement in the language of the page it shows on
	back := requestPath(id, "") + "#requisiti"
	if mv := form.Get("move"); mv != "" {
		dir, ridText, _ := strings.Cut(mv, ":")
		rid, perr := strconv.ParseInt(ridText, 10, 64)
		i := slices.IndexFunc(reqs, func(q matching.Requirement) bool { return q.ID == rid })
		if perr != nil || i < 0 || (dir != "up" && dir != "down") {
			return matching.FieldErrorf("move", "names no requirement of this vacancy")
		}
		j := i - 1
		if dir == "down" {
			j = i + 1
		}
		if j >= 0 && j < len(reqs) {
			reqs[i], reqs[j] = reqs[j], reqs[i]
			i = j
		}
		fl = flash{Kind: "success", Key: "wb.req.moved", Args: []string{matching.DescribeRequirement(reqs[i]).In(lang), strconv.Itoa(i + 1)}}
		// No fragment: a page with one ignores autofocus.
		back = fmt.Sprintf("%s?spostato=%d&verso=%s", requestPath(id, ""), rid, dir)
	} else if form.Get("add") != "" {
		nf := newRequirementForm(form)
		q, ferr := requirement(nf)
		if ferr == nil {
			reqs = append(reqs, q)
			fl = flash{Kind: "success", Key: "wb.add.added", Args: []string{matching.DescribeRequirement(q).In(lang)}}
			ferr = s.saveRequirements(ctx, vac, reqs)
		}
		if ferr != nil {
			if !formError(ferr) {
				return ferr
			}
			data, lerr := s.requestPageData(c, id)
			if lerr != nil {
				return lerr
			}
			data.NewReq, data.AddOpen = nf, true
			data.Errors = newRequirementErrors(data.Locale, ferr, len(reqs)-1)
			return s.render(c, formStatus(ferr), "wb_request", data)
		}
		s.setFlash(c, fl)
		return see303(c, back)
	} else if rm := form.Get("remove"); rm != "" {
		rid, perr := strconv.ParseInt(rm, 10, 64)
		i := slices.IndexFunc(reqs, func(q matching.Requirement) bool { return q.ID == rid })
		if perr != nil || i < 0 {
			return matching.FieldErrorf("remove", "names no requirement of this vacancy")
		}
		fl = flash{Kind: "success", Key: "wb.req.removed", Args: []string{matching.DescribeRequirement(reqs[i]).In(lang)}}
		reqs = slices.Delete(reqs, i, i+1)
	}
	if err := s.saveRequirements(ctx, vac, reqs); err != nil {
		if !formError(err) {
			return err
		}
		data, lerr := s.requestPageData(c, id)
		if lerr != nil {
			return lerr
		}
		data.Errors = ui.FieldErrors{"": data.Locale.ErrorText(err)}
		return s.render(c, formStatus(err), "wb_request", data)
	}
	s.setFlash(c, fl)
	return see303(c, back)
}

// --- The match page ---

// matchPageData loads the match page: the request, its runs and the run
// asked for (?run=) or the latest, whose read is audited as the JSON
// route's is. Candidates show by name, as in the pipeline; no CV is read.
func (s *Server) matchPageData(c echo.Context, id int64) (ui.MatchPageData, error) {
	ctx := c.Request().Context()
	data := ui.MatchPageData{Page: s.Page(c, "wb.match.title"), NoIndex: s.matcher == nil}
	sum, err := s.store.RequestSummaryOf(ctx, id)
	if err != nil {
		return data, err
	}
	badges, err := s.store.RequestBadges(ctx, []matching.Request{sum.Request})
	if err != nil {
		return data, err
	}
	data.Req = headerOf(sum, badges[id])
	data.Title = sum.VacancyTitle + " · " + data.T("wb.match.title")
	runs, err := s.store.MatchRuns(ctx, id)
	if err != nil {
		return data, err
	}
	if len(runs) == 0 {
		return data, nil
	}
	runID := runs[0].ID
	if v := c.QueryParam("run"); v != "" {
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || n <= 0 {
			return data, matching.FieldErrorf("run", "must be a whole number")
		}
		runID = n
	}
	run, err := s.readMatchRun(c, id, runID)
	if err != nil {
		return data, err
	}
	for _, r := range runs {
		data.Runs = append(data.Runs, ui.RunRow{ID: r.ID, CreatedAt: r.CreatedAt, Recalled: r.Recalled, Current: r.ID == run.ID})
	}
	data.RunID, data.RunAt, data.Recalled = run.ID, run.CreatedAt, run.Recalled
	var ids []int64
	for _, r := range run.Results {
		if r.CandidateID != nil {
			ids = append(ids, *r.CandidateID)
		}
	}
	names, err := s.store.CandidateNames(ctx, ids)
	if err != nil {
		return data, err
	}
	rows, err := s.store.PipelineRows(ctx, id, "", store.ByEntered)
	if err != nil {
		return data, err
	}
	inPipeline := map[int64]bool{}
	for _, p := range rows {
		if p.CandidateID != nil {
			inPipeline[*p.CandidateID] = true
		}
	}
	for _, r := range run.Results {
		row := ui.ResultRow{Position: r.Position, Score: r.Score}
		if err := json.Unmarshal(r.Explanation, &row.Explanation); err != nil {
			return data, err
		}
		if r.CandidateID != nil {
			row.CandidateID, row.Name, row.InPipeline = *r.CandidateID, names[*r.CandidateID], inPipeline[*r.CandidateID]
		}
		if r.NearMiss {
			for _, a := range row.Explanation.Requirements {
				if a.Essential && slices.Contains(row.Explanation.MissingEssentials, a.Rank) {
					row.Missing = append(row.Missing, a.Requirement)
				}
			}
			data.NearMisses = append(data.NearMisses, row)
		} else {
			data.Ranked = append(data.Ranked, row)
		}
	}
	return data, nil
}

// matchPage serves GET /operatore/richieste/:id/abbinamento.
func (s *Server) matchPage(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	data, err := s.matchPageData(c, id)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "wb_match", data)
}

// matchSubmit serves POST /operatore/richieste/:id/abbinamento: a match run
// with the API's defaults; the page of the new run follows. A server
// without an index answers with the error page, 503.
func (s *Server) matchSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	if s.matcher == nil {
		s.logger.Warn("matching without an index", "request_id", RequestID(c.Request().Context()))
		data := ui.ErrorData{Page: s.Page(c, "wb.match.no_index_title"), Status: http.StatusServiceUnavailable}
		data.Message = data.T("wb.match.no_index")
		return s.render(c, http.StatusServiceUnavailable, "error", data)
	}
	run, err := s.matchRequest(c, id, matcher.Options{})
	if err != nil {
		if !formError(err) {
			return err
		}
		data, lerr := s.matchPageData(c, id)
		if lerr != nil {
			return lerr
		}
		data.Errors = ui.FieldErrors{"": data.Locale.ErrorText(err)}
		return s.render(c, formStatus(err), "wb_match", data)
	}
	s.setFlash(c, flash{Kind: "success", Key: "wb.match.done", Args: []string{strconv.Itoa(len(run.Results))}})
	return see303(c, fmt.Sprintf("%s/abbinamento?run=%d", requestPath(id, ""), run.ID))
}

// matchAddSubmit serves POST /operatore/richieste/:id/abbinamento/candidati:
// a candidate of a run joins the request's pipeline with the API's
// addition (source search, the run's score kept).
func (s *Server) matchAddSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	cid, err := formID(c, "candidate_id")
	if err == nil && cid == nil {
		err = matching.FieldErrorf("candidate_id", "is required")
	}
	var runID *int64
	if err == nil {
		runID, err = formID(c, "match_run_id")
	}
	var row store.PipelineRow
	if err == nil {
		row, err = s.addToPipeline(c, id, EntryInput{CandidateID: *cid, Source: matching.SourceSearch, MatchRunID: runID})
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		data, lerr := s.matchPageData(c, id)
		if lerr != nil {
			return lerr
		}
		data.Errors = ui.FieldErrors{"": data.Locale.ErrorText(err)}
		return s.render(c, formStatus(err), "wb_match", data)
	}
	s.setFlash(c, flash{Kind: "success", Key: "wb.match.added", Args: []string{row.DisplayName}})
	back := requestPath(id, "") + "/abbinamento"
	if runID != nil {
		back = fmt.Sprintf("%s?run=%d", back, *runID)
	}
	return see303(c, back+"#cand-"+strconv.FormatInt(*cid, 10))
}

// saveRequirements saves a vacancy's requirements in the order given, ranked
// 1…n, through the vacancy's update.
func (s *Server) saveRequirements(ctx context.Context, vac matching.Vacancy, reqs []matching.Requirement) error {
	for i := range reqs {
		reqs[i].Rank = i + 1
	}
	in := vacancyInputOf(vac)
	in.Requirements = reqs
	return s.saveVacancy(ctx, vac.ID, in)
}

// newRequirementForm reads the add-requirement form.
func newRequirementForm(form url.Values) ui.NewRequirementForm {
	f := func(name string) string { return strings.TrimSpace(form.Get("new_" + name)) }
	return ui.NewRequirementForm{Kind: f("kind"), Code: f("code"), Label: f("label"), Level: f("level"), Field: f("field"),
		MinYears: f("min_years"), MaxKm: f("max_km"), FromDate: f("from_date"), Values: f("values"), Essential: f("essential") == "true"}
}

// requirement is the typed requirement of the add form; the vacancy's
// validation checks what its kind needs.
func requirement(nf ui.NewRequirementForm) (matching.Requirement, error) {
	q := matching.Requirement{Kind: matching.RequirementKind(nf.Kind), Code: nf.Code, Label: nf.Label, Level: nf.Level,
		Field: nf.Field, Essential: nf.Essential, Values: []string{}}
	if nf.Kind == "" {
		return q, matching.FieldErrorf("kind", "is required")
	}
	if nf.MinYears != "" {
		y, err := strconv.ParseFloat(strings.ReplaceAll(nf.MinYears, ",", "."), 64)
		if err != nil {
			return q, matching.FieldErrorf("min_years", "must be a number")
		}
		q.MinYears = &y
	}
	if nf.MaxKm != "" {
		km, err := strconv.Atoi(nf.MaxKm)
		if err != nil {
			return q, matching.FieldErrorf("max_km", "must be a whole number")
		}
		q.MaxKm = &km
	}
	if nf.FromDate != "" {
		d, err := time.Parse(time.DateOnly, nf.FromDate)
		if err != nil {
			return q, matching.FieldErrorf("from_date", "must be a date (YYYY-MM-DD)")
		}
		q.FromDate = &d
	}
	for _, v := range strings.Split(nf.Values, ",") {
		if v = strings.TrimSpace(v); v != "" {
			q.Values = append(q.Values, v)
		}
	}
	return q, nil
}

// newRequirementErrors places an error of the added requirement (the
// vacancy's validation names it requirements[at].<field>) next to its
// field of the add form.
func newRequirementErrors(loc ui.Locale, err error, at int) ui.FieldErrors {
	field := strings.TrimPrefix(matching.ErrorField(err), fmt.Sprintf("requirements[%d].", at))
	if i := strings.IndexByte(field, '['); i > 0 {
		field = field[:i] // values[0]
	}
	labels := map[string]string{"kind": "wb.req.kind", "code": "wb.add.code", "label": "wb.add.label", "level": "wb.add.level",
		"min_years": "wb.add.min_years", "max_km": "wb.add.max_km", "from_date": "wb.add.from_date", "values": "wb.add.values",
		"field": "wb.add.field", "rank": "wb.req.rank"}
	if label, ok := labels[field]; ok {
		if field == "rank" {
			return ui.FieldErrors{"": loc.ErrorText(err)}
		}
		return ui.FieldErrors{"new-" + field: loc.T(label) + ": " + loc.ErrorText(err)}
	}
	return ui.FieldErrors{"": loc.ErrorText(err)}
}
