package api

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/reference"
	"incontro/store"
	"incontro/ui"
)

// The public vacancy pages (anyone) and the jobseeker's activity on them:
// the vacancies recommended by reverse matching, applying, the
// applications with their state, and the availability questions. Each
// calls the core of its JSON route: searchPublicVacancies, publicVacancy,
// the matcher's VacanciesFor, and the store's Apply, CandidateApplications,
// WithdrawApplication, AvailabilityQuestions and AnswerAvailability.

const (
	pathVacancies      = "/offerte"
	pathMyVacancies    = "/candidato/offerte"
	pathMyApplications = "/candidato/candidature"
	pathMyAvailability = "/candidato/disponibilita"
	// recommendedShown is how many recommended vacancies (and near misses)
	// the jobseeker's page shows.
	recommendedShown = 10
)

func vacancyPath(id int64) string { return pathVacancies + "/" + strconv.FormatInt(id, 10) }

// contractKey and workingTimeKey are the catalogue keys of a contract type
// and of a working-time pattern.
func contractKey(code string) string    { return "wb2.contract." + code }
func workingTimeKey(code string) string { return "pub.wt." + code }

// vacancyCard is a vacancy as the lists show it.
func vacancyCard(v PublicVacancy) ui.PubVacancyCard {
	card := ui.PubVacancyCard{ID: v.ID, Title: v.Title, EmployerName: v.EmployerName, Place: v.Municipality,
		Contract: contractKey(v.ContractType), ClosesOn: v.ClosesOn}
	if v.PublishedAt != nil {
		t := v.PublishedAt.In(serviceZone)
		card.PublishedAt = &t
	}
	for _, w := range v.WorkingTime {
		card.WorkingTime = append(card.WorkingTime, workingTimeKey(w))
	}
	return card
}

// --- The public list ---

// vacancyListPage serves GET /offerte: the published vacancies, newest
// first, with the search (q, place, occupation, contract) and pagina, the
// page number.
func (s *Server) vacancyListPage(c echo.Context) error {
	in := c.QueryParams()
	data := ui.PubListData{Page: s.Page(c, "pub.list.title"), Municipalities: ui.TrentinoMunicipalities(),
		Occupations: ui.OccupationChoices(),
		Form:        ui.PubSearchForm{Query: in.Get("q"), Place: in.Get("place"), Occupation: in.Get("occupation"), Contract: in.Get("contract")}}
	for _, t := range matching.ContractTypes() {
		data.Contracts = append(data.Contracts, ui.Option{Value: t.Code, Label: contractKey(t.Code)})
	}
	f := data.Form
	data.Searched = strings.TrimSpace(f.Query+f.Place+f.Occupation+f.Contract) != ""
	pageNo := 1
	if n, err := strconv.Atoi(in.Get("pagina")); err == nil && n > 1 {
		pageNo = n
	}
	list, err := s.searchPublicVacancies(c.Request().Context(), PublicSearch{Query: f.Query, Place: f.Place,
		Occupation: f.Occupation, Contract: f.Contract, Limit: publicPageSize, Offset: (pageNo - 1) * publicPageSize})
	if err != nil {
		if !formError(err) {
			return err
		}
		data.Errors = publicSearchErrors(data.Locale, err)
		return s.render(c, formStatus(err), "pub_list", data)
	}
	data.Total = list.Total
	for _, v := range list.Items {
		data.Vacancies = append(data.Vacancies, vacancyCard(v))
	}
	if len(list.Items) > 0 {
		data.From = list.Offset + 1
		data.To = list.Offset + len(list.Items)
	}
	pageURL := func(n int) string {
		q := url.Values{}
		for k, v := range in {
			if k != "pagina" && k != "lang" && strings.Join(v, "") != "" {
				q[k] = v
			}
		}
		if n > 1 {
			q.Set("pagina", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return pathVacancies
		}
		return pathVacancies + "?" + q.Encode()
	}
	if pageNo > 1 {
		data.PrevURL = pageURL(pageNo - 1)
	}
	if data.To < list.Total {
		data.NextURL = pageURL(pageNo + 1)
	}
	return s.render(c, http.StatusOK, "pub_list", data)
}

// publicSearchErrors puts a search's error next to its field, in the
// page's words.
func publicSearchErrors(loc ui.Locale, err error) ui.FieldErrors {
	field := matching.ErrorField(err)
	switch field {
	case "q", "place", "occupation", "contract":
		return ui.FieldErrors{field: loc.T("pub.err." + field)}
	}
	return ui.FieldErrors{"": loc.ErrorText(err)}
}

// --- A vacancy's page ---

// vacancyPage serves GET /offerte/:id: a published vacancy with its
// JobPosting, and the application form for a signed-in jobseeker. A draft
// is not found; a vacancy that closed is gone (410).
func (s *Server) vacancyPage(c echo.Context) error {
	id, err := pathID(c, "id", "vacancy")
	if err != nil {
		return err
	}
	return s.renderVacancy(c, id, http.StatusOK, "", nil)
}

// renderVacancy renders a vacancy's page with what was typed in the
// application form and its errors.
func (s *Server) renderVacancy(c echo.Context, id int64, status int, message string, errs ui.FieldErrors) error {
	ctx := c.Request().Context()
	v, err := s.publicVacancy(ctx, id)
	if g, ok := asGone(err); ok {
		return s.renderGone(c, g)
	}
	if err != nil {
		return err
	}
	data := ui.PubVacancyData{Page: s.Page(c, "pub.vacancy.title"), Message: message, Errors: errs,
		LoginURL: pathLogin + "?" + url.Values{"next": {vacancyPath(id) + "#candidatura"}}.Encode()}
	data.Title = v.Title
	loc := data.Locale
	d := ui.PubVacancyDetail{PubVacancyCard: vacancyCard(v), Occupation: v.Occupation, Positions: v.Positions,
		Paragraphs: paragraphs(v.Description)}
	if v.WeeklyHours != nil {
		d.WeeklyHours = *v.WeeklyHours
	}
	for _, r := range v.Requirements {
		d.Requirements = append(d.Requirements, ui.PubRequirementLine{Text: matching.DescribeRequirement(r.requirement()).In(loc.Lang()), Essential: r.Essential})
	}
	data.V = d
	ld, err := json.Marshal(jobPostingOf(v, c.Scheme()+"://"+c.Request().Host+vacancyPath(id)))
	if err != nil {
		return err
	}
	// encoding/json escapes <, > and & inside strings: the JSON cannot end
	// the script element it is written into.
	data.JSONLD = template.JS(ld) //nolint:gosec // JSON made by encoding/json, HTML-escaped
	if p := PrincipalFrom(ctx); p != nil && p.Role == matching.RoleJobseeker && p.CandidateID != 0 {
		apps, _, err := s.store.Applications(ctx, store.ApplicationFilter{VacancyID: id, CandidateID: p.CandidateID, Limit: 1})
		if err != nil {
			return err
		}
		if len(apps) > 0 {
			data.Applied = &ui.PubAppliedInfo{At: apps[0].CreatedAt, Status: apps[0].Status}
		} else {
			data.CanApply = true
		}
	}
	return s.render(c, status, "pub_vacancy", data)
}

// renderGone answers for a vacancy that closed: 410 Gone, kindly.
func (s *Server) renderGone(c echo.Context, g *goneError) error {
	data := ui.PubGoneData{Page: s.Page(c, "pub.gone.title"), VacancyTitle: g.Title}
	return s.render(c, http.StatusGone, "pub_gone", data)
}

// applySubmit serves POST /offerte/:id/candidatura: a jobseeker applies
// with an optional message, as POST /api/v1/vacancies/:id/applications.
func (s *Server) applySubmit(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "vacancy")
	if err != nil {
		return err
	}
	message := c.FormValue("message")
	p := PrincipalFrom(ctx)
	_, err = s.store.Apply(ctx, id, p.CandidateID, message, localDay(s.now()), actorOf(c))
	if err == nil {
		s.setFlash(c, flash{Kind: "success", Key: "pub.apply.done"})
		return see303(c, pathMyApplications)
	}
	if !formError(err) {
		return err
	}
	loc := s.renderer.Locale(s.lang(c))
	var errs ui.FieldErrors
	switch {
	case matching.ErrorField(err) == "message":
		errs = ui.FieldErrors{"message": loc.T("pub.err.message")}
	case matching.ErrorCode(err) == matching.ECONFLICT:
		// Already applied, or the vacancy closed meanwhile: the page says
		// which when it is rendered again.
		errs = ui.FieldErrors{"": loc.T("act.err.not_applied")}
	default:
		return err
	}
	return s.renderVacancy(c, id, formStatus(err), message, errs)
}

// --- The jobseeker's recommended vacancies ---

// recommendedPage serves GET /candidato/offerte: the published vacancies
// that fit the jobseeker's CV (reverse matching, as GET
// /api/v1/candidates/:id/vacancies), each with why in plain words.
func (s *Server) recommendedPage(c echo.Context) error {
	ctx := c.Request().Context()
	data := ui.ActVacanciesData{Page: s.Page(c, "act.rec.title")}
	if s.matcher == nil {
		data.NoIndex = true
		return s.render(c, http.StatusOK, "act_vacancies", data)
	}
	p := PrincipalFrom(ctx)
	rev, err := s.matcher.VacanciesFor(ctx, p.CandidateID, recommendedShown, localDay(s.now()))
	if err != nil {
		return err
	}
	data.Considered = rev.Considered
	ids := make([]int64, 0, len(rev.Matches)+len(rev.NearMisses))
	for _, m := range append(rev.Matches, rev.NearMisses...) {
		ids = append(ids, m.Vacancy.ID)
	}
	vacs, err := s.store.VacanciesWithEmployer(ctx, ids)
	if err != nil {
		return err
	}
	byID := make(map[int64]store.PublicVacancy, len(vacs))
	for _, v := range vacs {
		byID[v.ID] = v
	}
	loc := data.Locale
	for i, m := range append(rev.Matches, rev.NearMisses...) {
		v, ok := byID[m.Vacancy.ID]
		if !ok || m.Fit <= 0 {
			// Nothing in the CV supports a vacancy that fits 0%: it is
			// not a recommendation.
			continue
		}
		rec := ui.ActRecommendation{PubVacancyCard: vacancyCard(publicVacancyOf(v.Vacancy, v.EmployerName)), Fit: m.Fit}
		for _, a := range m.Explanation.Requirements {
			rec.Lines = append(rec.Lines, ui.ActExplanationLine{Text: a.Requirement.In(loc.Lang()), Evidence: a.Evidence,
				Essential: a.Essential, Reason: a.Reason.In(loc.Lang())})
		}
		if i < len(rev.Matches) {
			data.Matches = append(data.Matches, rec)
		} else {
			data.NearMisses = append(data.NearMisses, rec)
		}
	}
	return s.render(c, http.StatusOK, "act_vacancies", data)
}

// --- The jobseeker's applications ---

// applicationsPage serves GET /candidato/candidature.
func (s *Server) applicationsPage(c echo.Context) error {
	return s.renderApplications(c, http.StatusOK, ui.FormState{})
}

func (s *Server) renderApplications(c echo.Context, status int, form ui.FormState) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	rows, err := s.store.CandidateApplications(ctx, p.CandidateID)
	if err != nil {
		return err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.VacancyID
	}
	vacs, err := s.store.VacanciesWithEmployer(ctx, ids)
	if err != nil {
		return err
	}
	byID := make(map[int64]store.PublicVacancy, len(vacs))
	for _, v := range vacs {
		byID[v.ID] = v
	}
	data := ui.ActApplicationsData{Page: s.Page(c, "act.apps.title"), Form: form, Errors: form.Errors}
	today := localDay(s.now())
	for _, r := range rows {
		v := byID[r.VacancyID]
		a := ui.ActApplication{ID: r.ID, VacancyID: r.VacancyID, VacancyTitle: r.VacancyTitle, EmployerName: v.EmployerName,
			VacancyOpen: v.Status == matching.VacancyPublished && (v.ClosesOn == nil || !v.ClosesOn.Before(today)),
			Message:     r.Message, Status: r.Status, At: r.CreatedAt,
			CanWithdraw: matching.CheckWithdrawApplication(&r.Application) == nil}
		if m, ok := reference.MunicipalityByCode(v.MunicipalityCode); ok {
			a.Place = m.Name
		}
		if r.Stage != nil {
			a.Stage = *r.Stage
		}
		if r.Reason != "" {
			a.Reason = "wb2.reason." + r.Reason
		}
		data.Applications = append(data.Applications, a)
	}
	return s.render(c, status, "act_applications", data)
}

// withdrawSubmit serves POST /candidato/candidature/:id/ritira: the
// jobseeker withdraws an application, as POST
// /api/v1/applications/:id/withdraw.
func (s *Server) withdrawSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "application")
	if err != nil {
		return err
	}
	_, err = s.store.WithdrawApplication(c.Request().Context(), id, actorOf(c))
	if err == nil {
		s.setFlash(c, flash{Kind: "success", Key: "act.apps.withdrawn"})
		return see303(c, pathMyApplications)
	}
	if !formError(err) || matching.ErrorCode(err) != matching.ECONFLICT {
		return err
	}
	loc := s.renderer.Locale(s.lang(c))
	form := ui.FormState{Name: ui.ActApplicationsData{}.FormID(id), Values: url.Values{},
		Errors: ui.FieldErrors{"": loc.T("act.err.cannot_withdraw")}}
	return s.renderApplications(c, formStatus(err), form)
}

// --- The availability questions ---

// availabilityPage serves GET /candidato/disponibilita.
func (s *Server) availabilityPage(c echo.Context) error {
	return s.renderAvailability(c, http.StatusOK, ui.FormState{})
}

func (s *Server) renderAvailability(c echo.Context, status int, form ui.FormState) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	qs, err := s.store.AvailabilityQuestions(ctx, p.CandidateID)
	if err != nil {
		return err
	}
	data := ui.ActAvailabilityData{Page: s.Page(c, "act.av.title"), Form: form, Errors: form.Errors}
	for _, q := range qs {
		v := ui.ActQuestion{ID: q.ID, VacancyID: q.VacancyID, VacancyTitle: q.VacancyTitle, EmployerName: q.EmployerName,
			Contract: contractKey(q.ContractType), Message: q.Message, SentAt: q.SentAt, Open: q.Open, Answer: q.Answer,
			Reason: q.Reason, AnsweredAt: q.AnsweredAt}
		if m, ok := reference.MunicipalityByCode(q.MunicipalityCode); ok {
			v.Place = m.Name
		}
		switch {
		case q.Open:
			data.Open = append(data.Open, v)
		case q.AnsweredAt != nil:
			data.Answered = append(data.Answered, v)
		default:
			data.Closed = append(data.Closed, v)
		}
	}
	return s.render(c, status, "act_availability", data)
}

// answerSubmit serves POST /candidato/disponibilita/:id: the jobseeker's
// answer, interested or not, with an optional reason, as POST
// /api/v1/availability-requests/:id/answer.
func (s *Server) answerSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "availability request")
	if err != nil {
		return err
	}
	answer := c.FormValue("answer")
	if answer == "" {
		err = matching.FieldErrorf("answer", "is required: interested or not_interested")
	} else {
		_, err = s.store.AnswerAvailability(c.Request().Context(), id, answer, c.FormValue("reason"), actorOf(c))
	}
	if err == nil {
		key := "act.av.done_interested"
		if answer == matching.AnswerNotInterested {
			key = "act.av.done_not_interested"
		}
		s.setFlash(c, flash{Kind: "success", Key: key})
		return see303(c, pathMyAvailability)
	}
	if !formError(err) {
		return err
	}
	loc := s.renderer.Locale(s.lang(c))
	name := ui.ActAvailabilityData{}.FormID(id)
	form := ui.FormState{Name: name, Values: formValues(c), Errors: ui.FieldErrors{}}
	switch field := matching.ErrorField(err); {
	case matching.ErrorCode(err) == matching.ECONFLICT:
		form.Errors[""] = loc.T("act.err.not_answered")
	case field == "answer" || field == "reason":
		form.Errors[name+"-"+field] = loc.T("act.err." + field)
	default:
		return err
	}
	return s.renderAvailability(c, formStatus(err), form)
}
