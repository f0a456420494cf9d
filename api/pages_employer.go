package api

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/reference"
	"incontro/store"
	"incontro/ui"
)

// The employer's portal (pages, issue 9): the home with the company's
// vacancies and the requests they opened, the vacancy form that posts a
// vacancy and asks an employment service for the 4C service, and a
// request's page with the shortlist presented to the employer, a feedback
// form for each candidate and the withdrawal. Every form calls the core its
// JSON route calls: requestQueue, newVacancy, saveVacancy, publish,
// openRequest, requestView, shortlistView (which audits every CV shown),
// recordFeedback and moveRequest.
//
// A vacancy is saved as a draft until the employer sends it: sending
// publishes it and opens the request in one step, so a request never waits
// on a vacancy nobody may read. A draft keeps its page (/datore/offerte/:id)
// to be finished later.

// placeName is the name of a municipality, or its code when unknown.
func placeName(code string) string {
	if m, ok := reference.MunicipalityByCode(code); ok {
		return m.Name
	}
	return code
}

// empRequestRow is a row of the queue as the employer's home shows it.
func empRequestRow(it store.QueueItem) ui.EmpRequestRow {
	fb := it.Badges.Feedback
	presented := it.Status == matching.StatusShortlistPresented || it.Status == matching.StatusAwaitingFeedback
	return ui.EmpRequestRow{ID: it.ID, Status: it.Status, Outcome: it.Outcome, OpenedAt: it.OpenedAt, ProviderName: it.ProviderName,
		Awaiting:    presented && fb.PresentedAt != nil && fb.LastFeedbackAt == nil,
		ReminderDue: fb.ReminderDue, ProposeClose: fb.ProposeClose}
}

// employerHomePage serves GET /datore: the company's vacancies, newest
// first, each with its request (the queue's core, the employer's own) and
// what waits on the employer.
func (s *Server) employerHomePage(c echo.Context) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	data := ui.EmployerHomeData{Page: s.Page(c, "employer_home.title")}
	e, err := s.store.Employer(ctx, p.EmployerID)
	if err != nil {
		return err
	}
	data.Company = e.Name
	if e.ProviderID != nil {
		prov, err := s.store.Provider(ctx, *e.ProviderID)
		if err != nil {
			return err
		}
		data.ProviderName = prov.Name
	}
	q, err := s.requestQueue(c, url.Values{"limit": {strconv.Itoa(ui.HomeLimit)}})
	if err != nil {
		return err
	}
	vs, total, err := s.store.Vacancies(ctx, store.VacancyFilter{EmployerID: p.EmployerID, Limit: ui.HomeLimit})
	if err != nil {
		return err
	}
	byVacancy := map[int64]store.QueueItem{}
	for _, it := range q.Items {
		byVacancy[it.VacancyID] = it
	}
	listed := map[int64]bool{}
	for _, v := range vs {
		row := ui.EmpVacancyRow{ID: v.ID, Title: v.Title, Status: v.Status, Place: placeName(v.MunicipalityCode), CreatedAt: v.CreatedAt,
			ClosesOn: v.ClosesOn}
		if it, ok := byVacancy[v.ID]; ok {
			r := empRequestRow(it)
			row.Request = &r
		}
		listed[v.ID] = true
		data.Rows = append(data.Rows, row)
	}
	// A request whose vacancy is older than the vacancies listed.
	for _, it := range q.Items {
		if !listed[it.VacancyID] {
			r := empRequestRow(it)
			data.Rows = append(data.Rows, ui.EmpVacancyRow{ID: it.VacancyID, Title: it.VacancyTitle, Status: it.VacancyStatus,
				Place: placeName(it.MunicipalityCode), CreatedAt: it.OpenedAt, Request: &r})
		}
	}
	data.Total = max(total, len(data.Rows))
	for _, row := range data.Rows {
		r := row.Request
		if (r == nil && row.Status == matching.VacancyDraft) || (r != nil && !r.Closed() && (r.Awaiting || r.ReminderDue || r.ProposeClose)) {
			data.Todo = append(data.Todo, row)
		}
	}
	return s.render(c, http.StatusOK, "emp_home", data)
}

// --- The vacancy form ---

// vacancyFormLabels are the catalogue keys of the vacancy form's fields.
var vacancyFormLabels = map[string]string{
	"title": "emp.vac.title", "occupation": "emp.vac.occupation", "municipality": "emp.vac.place",
	"contract_type": "emp.vac.contract", "working_time": "emp.vac.working_time", "weekly_hours": "emp.vac.weekly_hours",
	"positions": "emp.vac.positions", "closes_on": "emp.vac.closes_on", "description": "emp.vac.description",
	"provider_id": "emp.vac.provider", "add_kind": "emp.req.add_kind",
}

// vacancyFields maps the vacancy's fields, as the domain names them, to the
// form's.
var vacancyFields = map[string]string{
	"title": "title", "description": "description", "occupation_code": "occupation", "isco_code": "occupation",
	"municipality_code": "municipality", "contract_type": "contract_type", "weekly_hours": "weekly_hours",
	"positions": "positions", "closes_on": "closes_on", "provider_id": "provider_id",
}

// requirementFields maps a requirement's fields to its row's.
var requirementFields = map[string]string{
	"code": "value", "label": "value", "kind": "value", "id": "value", "level": "level", "min_years": "years",
	"field": "field", "max_km": "max_km", "from_date": "from_date", "values": "values",
}

var (
	domainRequirementField = regexp.MustCompile(`^requirements\[(\d+)\]\.([a-z_]+)`)
	formRequirementField   = regexp.MustCompile(`^req-(\d+)-([a-z_]+)$`)
)

// vacancyErrors adds an error of the vacancy form to errs, next to its
// field when the form has it: a requirement's by its row ("Requisito 2:
// …"), the vacancy's by its label, anything else as the form's general
// error.
func vacancyErrors(loc ui.Locale, errs ui.FieldErrors, err error) {
	text := loc.ErrorText(err)
	field := matching.ErrorField(err)
	if m := domainRequirementField.FindStringSubmatch(field); m != nil {
		if f, ok := requirementFields[m[2]]; ok {
			field = "req-" + m[1] + "-" + f
		}
	}
	if m := formRequirementField.FindStringSubmatch(field); m != nil {
		i, _ := strconv.Atoi(m[1])
		errs[field] = loc.T("emp.req.row", i+1) + ": " + text
		return
	}
	if strings.HasPrefix(field, "working_time") {
		field = "working_time"
	}
	if f, ok := vacancyFields[field]; ok {
		field = f
	}
	if label, ok := vacancyFormLabels[field]; ok {
		errs[field] = loc.T(label) + ": " + text
		return
	}
	errs[""] = text
}

// readVacancyForm reads the vacancy form as typed; the requirement rows
// come in the order posted (the hidden field "req" carries each row's
// index).
func readVacancyForm(v url.Values) ui.VacancyForm {
	g := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	f := ui.VacancyForm{Title: g("title"), Occupation: g("occupation"), Municipality: g("municipality"),
		ContractType: g("contract_type"), WorkingTime: v["working_time"], WeeklyHours: g("weekly_hours"), Positions: g("positions"),
		ClosesOn: g("closes_on"), Description: strings.TrimSpace(v.Get("description")), AddKind: g("add_kind"),
		ProviderID: g("provider_id"), With4D: v.Get("with_4d") != ""}
	for _, k := range v["req"] {
		r := func(name string) string { return strings.TrimSpace(v.Get("req-" + k + "-" + name)) }
		row := ui.EmpReqRow{Kind: matching.RequirementKind(r("kind")), Value: r("value"), Level: r("level"), Years: r("years"),
			Field: r("field"), MaxKm: r("max_km"), FromDate: r("from_date"), Values: v["req-"+k+"-values"],
			Essential: r("essential") != ""}
		row.ID, _ = strconv.ParseInt(r("id"), 10, 64)
		f.Requirements = append(f.Requirements, row)
	}
	return f
}

// vacancyFormOf is a stored vacancy as the form shows it.
func vacancyFormOf(v matching.Vacancy) ui.VacancyForm {
	f := ui.VacancyForm{ID: v.ID, Title: v.Title, Municipality: placeName(v.MunicipalityCode), ContractType: v.ContractType,
		WorkingTime: v.WorkingTime, Positions: strconv.Itoa(v.Positions), Description: v.Description}
	if o, ok := reference.OccupationByCode(v.OccupationCode); ok {
		f.Occupation = o.Title
	}
	if v.WeeklyHours != nil {
		f.WeeklyHours = strconv.Itoa(*v.WeeklyHours)
	}
	if v.ClosesOn != nil {
		f.ClosesOn = v.ClosesOn.Format(time.DateOnly)
	}
	for _, q := range v.Requirements {
		row := ui.EmpReqRow{ID: q.ID, Kind: q.Kind, Value: q.Code, Level: q.Level, Field: q.Field, Values: q.Values, Essential: q.Essential}
		switch q.Kind {
		case matching.ReqOccupation:
			if o, ok := reference.OccupationByCode(q.Code); ok {
				row.Value = o.Title
			}
		case matching.ReqSkill:
			if sk, ok := reference.SkillByCode(q.Code); ok {
				row.Value = sk.Label
			}
		case matching.ReqCertification:
			row.Value = q.Label
		}
		if q.MinYears != nil {
			row.Years = strconv.FormatFloat(*q.MinYears, 'f', -1, 64)
		}
		if q.MaxKm != nil {
			row.MaxKm = strconv.Itoa(*q.MaxKm)
		}
		if q.FromDate != nil {
			row.FromDate = q.FromDate.Format(time.DateOnly)
		}
		f.Requirements = append(f.Requirements, row)
	}
	return f
}

// optionalInt reads a whole number of the form; empty is none.
func optionalInt(field, v string) (*int, error) {
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return nil, matching.FieldErrorf(field, "must be a whole number")
	}
	return &n, nil
}

// requirementOf is the requirement of row i of the form, ranked i+1; the
// occupation and the skill are resolved from what was typed. The vacancy's
// validation checks what the kind needs.
func requirementOf(row ui.EmpReqRow, i int) (matching.Requirement, error) {
	field := func(name string) string { return fmt.Sprintf("req-%d-%s", i, name) }
	q := matching.Requirement{ID: row.ID, Rank: i + 1, Kind: row.Kind, Essential: row.Essential, Values: []string{}}
	switch row.Kind {
	case matching.ReqOccupation:
		if row.Value == "" {
			return q, matching.FieldErrorf(field("value"), "is required")
		}
		code, err := occupationCode(field("value"), row.Value)
		if err != nil {
			return q, err
		}
		o, _ := reference.OccupationByCode(code)
		q.Code, q.Label = code, o.Title
		if row.Years != "" {
			y, err := strconv.ParseFloat(strings.ReplaceAll(row.Years, ",", "."), 64)
			if err != nil {
				return q, matching.FieldErrorf(field("years"), "must be a number")
			}
			q.MinYears = &y
		}
	case matching.ReqSkill:
		if row.Value == "" {
			return q, matching.FieldErrorf(field("value"), "is required")
		}
		code, err := skillCode(field("value"), row.Value)
		if err != nil {
			return q, err
		}
		sk, _ := reference.SkillByCode(code)
		q.Code, q.Label, q.Level = code, sk.Label, row.Level
	case matching.ReqCertification:
		q.Label = row.Value
	case matching.ReqLicence:
		if row.Value == "" {
			return q, matching.FieldErrorf(field("value"), "is required")
		}
		q.Code = row.Value
	case matching.ReqLanguage:
		q.Code, q.Level = row.Value, row.Level
	case matching.ReqEducation:
		q.Code, q.Field = row.Value, row.Field
	case matching.ReqDistance:
		km, err := optionalInt(field("max_km"), row.MaxKm)
		if err != nil {
			return q, err
		}
		q.MaxKm = km
	case matching.ReqAvailability:
		d, err := optionalDate(field("from_date"), row.FromDate)
		if err != nil {
			return q, err
		}
		q.FromDate = d
	case matching.ReqWorkingTime, matching.ReqContract:
		q.Values = append(q.Values, row.Values...)
	default:
		return q, matching.FieldErrorf(field("value"), "%q is not a requirement kind", row.Kind)
	}
	return q, nil
}

// vacancyInputOfForm turns the form into the vacancy's input, resolving
// the place and the occupation; every field that cannot be read is in errs.
func vacancyInputOfForm(loc ui.Locale, f ui.VacancyForm) (VacancyInput, ui.FieldErrors) {
	errs := ui.FieldErrors{}
	fail := func(err error) { vacancyErrors(loc, errs, err) }
	in := VacancyInput{Title: f.Title, Description: f.Description, ContractType: f.ContractType,
		WorkingTime: append([]string{}, f.WorkingTime...), Requirements: []matching.Requirement{}}
	if f.Title == "" {
		fail(matching.FieldErrorf("title", "is required"))
	}
	if f.Municipality == "" {
		fail(matching.FieldErrorf("municipality", "is required"))
	} else if code, err := municipalityCode("municipality", f.Municipality); err != nil {
		fail(err)
	} else {
		in.MunicipalityCode = code
	}
	if f.Occupation != "" {
		if code, err := occupationCode("occupation", f.Occupation); err != nil {
			fail(err)
		} else {
			o, _ := reference.OccupationByCode(code)
			in.OccupationCode, in.ISCOCode = o.Code, o.ISCO
		}
	}
	if f.ContractType == "" {
		fail(matching.FieldErrorf("contract_type", "is required"))
	}
	var err error
	if in.WeeklyHours, err = optionalInt("weekly_hours", f.WeeklyHours); err != nil {
		fail(err)
	}
	if n, err := optionalInt("positions", f.Positions); err != nil {
		fail(err)
	} else if n != nil {
		in.Positions = *n
	}
	if d, err := optionalDate("closes_on", f.ClosesOn); err != nil {
		fail(err)
	} else {
		in.ClosesOn = d
	}
	for i, row := range f.Requirements {
		q, err := requirementOf(row, i)
		if err != nil {
			fail(err)
		}
		in.Requirements = append(in.Requirements, q)
	}
	return in, errs
}

// findingsOf are the findings of the wording check on a text, as the form
// shows them.
func findingsOf(found []matching.AdFinding) []ui.EmpFinding {
	out := make([]ui.EmpFinding, len(found))
	for i, f := range found {
		out[i] = ui.EmpFinding{Ground: string(f.Ground), Excerpt: f.Excerpt, Explanation: f.Explanation, Law: f.Law}
	}
	return out
}

// storedFindings are a vacancy's stored findings as the pages show them.
func storedFindings(fs []matching.Finding) []ui.EmpFinding {
	out := make([]ui.EmpFinding, len(fs))
	for i, f := range fs {
		out[i] = ui.EmpFinding{Ground: f.Rule, Excerpt: f.Excerpt, Explanation: f.Message, Law: f.Law, Justified: f.Justification != ""}
	}
	return out
}

// vacancyFormPage is what the vacancy form shows around the form itself.
type vacancyFormPage struct {
	form     ui.VacancyForm
	vac      *matching.Vacancy
	errs     ui.FieldErrors
	findings []ui.EmpFinding
	focus    string
}

// renderVacancyForm renders the vacancy form: a new vacancy (vac nil) or a
// vacancy without a request.
func (s *Server) renderVacancyForm(c echo.Context, status int, in vacancyFormPage) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	data := ui.VacancyFormData{Page: s.Page(c, "emp.vac.new_title"), Form: in.form, Errors: in.errs, Findings: in.findings,
		Status: matching.VacancyDraft, Editable: true, Focus: in.focus, Municipalities: ui.TrentinoMunicipalities(),
		Occupations: ui.OccupationChoices(), Skills: ui.SkillChoices()}
	if data.Errors == nil {
		data.Errors = ui.FieldErrors{}
	}
	if in.vac != nil {
		data.Title = in.vac.Title
		data.Status, data.Editable = in.vac.Status, in.vac.Status == matching.VacancyDraft
		if in.findings == nil {
			data.Findings = storedFindings(in.vac.Findings)
		}
	}
	e, err := s.store.Employer(ctx, p.EmployerID)
	if err != nil {
		return err
	}
	if e.ProviderID != nil {
		prov, err := s.store.Provider(ctx, *e.ProviderID)
		if err != nil {
			return err
		}
		data.AssignedProvider = prov.Name
	} else {
		ps, err := s.store.Providers(ctx)
		if err != nil {
			return err
		}
		for _, pr := range ps {
			data.Providers = append(data.Providers, ui.ProviderChoice{ID: pr.ID, Name: pr.Name})
		}
	}
	return s.render(c, status, "emp_vacancy", data)
}

// newVacancyPage serves GET /datore/offerte/nuova.
func (s *Server) newVacancyPage(c echo.Context) error {
	return s.renderVacancyForm(c, http.StatusOK, vacancyFormPage{form: ui.VacancyForm{Positions: "1", AddKind: string(matching.ReqOccupation)}})
}

// newVacancySubmit serves POST /datore/offerte/nuova.
func (s *Server) newVacancySubmit(c echo.Context) error { return s.vacancyFormSubmit(c, nil) }

// employerVacancy reads a vacancy of the employer without a request; the
// page of a vacancy with a request is the request's, where the answer
// goes (redirect is its path).
func (s *Server) employerVacancy(c echo.Context) (vac matching.Vacancy, redirect string, err error) {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "vacancy")
	if err != nil {
		return vac, "", err
	}
	if vac, err = s.store.Vacancy(ctx, id); err != nil {
		return vac, "", err
	}
	rs, _, err := s.store.Requests(ctx, store.RequestFilter{EmployerID: vac.EmployerID, Limit: 500})
	if err != nil {
		return vac, "", err
	}
	for _, r := range rs {
		if r.VacancyID == vac.ID {
			return vac, ui.EmpRequestPath(r.ID), nil
		}
	}
	if vac.Status == matching.VacancyClosed {
		return vac, "", matching.Errorf(matching.ECONFLICT, "vacancy %d is closed", vac.ID)
	}
	return vac, "", nil
}

// employerVacancyPage serves GET /datore/offerte/:id: a draft to finish, or a
// vacancy published without a request, which may still ask for the service.
func (s *Server) employerVacancyPage(c echo.Context) error {
	vac, redirect, err := s.employerVacancy(c)
	if err != nil {
		return err
	}
	if redirect != "" {
		return see303(c, redirect)
	}
	return s.renderVacancyForm(c, http.StatusOK, vacancyFormPage{form: vacancyFormOf(vac), vac: &vac})
}

// vacancySubmit serves POST /datore/offerte/:id.
func (s *Server) vacancySubmit(c echo.Context) error {
	vac, redirect, err := s.employerVacancy(c)
	if err != nil {
		return err
	}
	if redirect != "" {
		return see303(c, redirect)
	}
	return s.vacancyFormSubmit(c, &vac)
}

// vacancyFormSubmit answers the vacancy form. The requirement rows' buttons
// (add, up, down, remove) change the form as typed and show it again;
// "check" runs the wording check and the validation without saving;
// "save" keeps a draft; "send" saves, publishes the vacancy and opens the
// 4C request with the provider (the employer's own, or the one chosen).
// A text the wording check flags is not sent: an employer cannot justify
// it, so the page says what to rewrite.
func (s *Server) vacancyFormSubmit(c echo.Context, vac *matching.Vacancy) error {
	values := formValues(c)
	form := readVacancyForm(values)
	page := vacancyFormPage{form: form, vac: vac}
	if vac != nil {
		page.form.ID = vac.ID
		if vac.Status != matching.VacancyDraft {
			// Published without a request: only the request may be asked for.
			page.form = vacancyFormOf(*vac)
			page.form.ProviderID, page.form.With4D = form.ProviderID, form.With4D
			return s.sendVacancy(c, page, VacancyInput{}, false)
		}
	}
	action := values.Get("action")
	rows := page.form.Requirements
	verb, arg, _ := strings.Cut(action, ":")
	k, convErr := strconv.Atoi(arg)
	switch {
	case action == "add":
		kind := matching.RequirementKind(form.AddKind)
		if !slices.Contains(matching.RequirementKinds(), kind) {
			page.errs = ui.FieldErrors{}
			vacancyErrors(s.renderer.Locale(s.lang(c)), page.errs, matching.FieldErrorf("add_kind", "is required"))
			return s.renderVacancyForm(c, http.StatusUnprocessableEntity, page)
		}
		page.form.Requirements = append(rows, ui.EmpReqRow{Kind: kind})
		page.focus = firstFieldID(len(rows), kind)
		return s.renderVacancyForm(c, http.StatusOK, page)
	case (verb == "up" || verb == "down") && convErr == nil && k >= 0 && k < len(rows):
		j := k - 1
		if verb == "down" {
			j = k + 1
		}
		if j >= 0 && j < len(rows) {
			rows[k], rows[j] = rows[j], rows[k]
			k = j
		}
		// The focus stays on the button pressed, or on its twin when the
		// row reached the end.
		switch {
		case verb == "up" && k == 0, verb == "down" && k < len(rows)-1:
			page.focus = fmt.Sprintf("req-%d-down", k)
		default:
			page.focus = fmt.Sprintf("req-%d-up", k)
		}
		if len(rows) == 1 {
			page.focus = "req-0-remove"
		}
		return s.renderVacancyForm(c, http.StatusOK, page)
	case verb == "remove" && convErr == nil && k >= 0 && k < len(rows):
		page.form.Requirements = slices.Delete(rows, k, k+1)
		page.focus = "add_kind"
		return s.renderVacancyForm(c, http.StatusOK, page)
	}

	loc := s.renderer.Locale(s.lang(c))
	in, errs := vacancyInputOfForm(loc, page.form)
	page.errs = errs
	if len(errs) > 0 {
		return s.renderVacancyForm(c, http.StatusUnprocessableEntity, page)
	}
	switch action {
	case "save":
		return s.saveDraftVacancy(c, page, in)
	case "send":
		return s.sendVacancy(c, page, in, true)
	}
	// "check", and Enter in a field: the validation and the wording check,
	// nothing saved.
	if err := s.validateVacancy(c, in); err != nil {
		if !formError(err) {
			return err
		}
		vacancyErrors(loc, page.errs, err)
		return s.renderVacancyForm(c, formStatus(err), page)
	}
	page.findings = findingsOf(matching.CheckAd(in.Title+"\n"+in.Description, in.ContractType))
	if len(page.findings) == 0 {
		page.form.Checked = true
	}
	return s.renderVacancyForm(c, http.StatusOK, page)
}

// firstFieldID is the id of the first field of a requirement row of kind.
func firstFieldID(i int, kind matching.RequirementKind) string {
	switch kind {
	case matching.ReqDistance:
		return fmt.Sprintf("req-%d-max_km", i)
	case matching.ReqAvailability:
		return fmt.Sprintf("req-%d-from_date", i)
	case matching.ReqWorkingTime:
		return fmt.Sprintf("req-%d-values-%s", i, matching.WorkingTimes()[0].Code)
	case matching.ReqContract:
		return fmt.Sprintf("req-%d-values-%s", i, matching.ContractTypes()[0].Code)
	}
	return fmt.Sprintf("req-%d-value", i)
}

// validateVacancy checks the vacancy as the store will, before anything is
// saved.
func (s *Server) validateVacancy(c echo.Context, in VacancyInput) error {
	v := matching.Vacancy{EmployerID: PrincipalFrom(c.Request().Context()).EmployerID, Status: matching.VacancyDraft}
	in.apply(&v)
	v.Requirements = slices.Clone(v.Requirements)
	v.Normalize()
	return v.Validate()
}

// saveDraftVacancy saves the form as a draft (a new one, or the draft being
// edited) with the vacancy routes' cores, and shows the draft's page.
func (s *Server) saveDraftVacancy(c echo.Context, page vacancyFormPage, in VacancyInput) error {
	ctx := c.Request().Context()
	id := int64(0)
	var err error
	if page.vac == nil {
		var v matching.Vacancy
		v, err = s.newVacancy(c, in)
		id = v.ID
	} else {
		id = page.vac.ID
		err = s.saveVacancy(ctx, id, in)
	}
	if err != nil {
		return s.vacancyFormFailed(c, page, err)
	}
	s.setFlash(c, flash{Kind: "success", Key: "emp.vac.saved"})
	return see303(c, ui.EmpVacancyPath(id))
}

// vacancyFormFailed shows the form again with a refused save's error.
func (s *Server) vacancyFormFailed(c echo.Context, page vacancyFormPage, err error) error {
	if !formError(err) {
		return err
	}
	if page.errs == nil {
		page.errs = ui.FieldErrors{}
	}
	vacancyErrors(s.renderer.Locale(s.lang(c)), page.errs, err)
	return s.renderVacancyForm(c, formStatus(err), page)
}

// sendVacancy sends the vacancy to the employment service: it checks the
// provider and the text first, then saves the draft (save), publishes it
// and opens the 4C request, each with its JSON route's core. A step that
// fails after the draft is saved leaves the draft, with the reason, on its
// own page.
func (s *Server) sendVacancy(c echo.Context, page vacancyFormPage, in VacancyInput, save bool) error {
	ctx := c.Request().Context()
	loc := s.renderer.Locale(s.lang(c))
	p := PrincipalFrom(ctx)
	e, err := s.store.Employer(ctx, p.EmployerID)
	if err != nil {
		return err
	}
	var providerID int64
	if e.ProviderID == nil {
		// The employer chooses; openRequest checks the choice again.
		n, perr := strconv.ParseInt(page.form.ProviderID, 10, 64)
		if page.form.ProviderID == "" || perr != nil || n <= 0 {
			return s.vacancyFormFailed(c, page, matching.FieldErrorf("provider_id", "is required: choose the employment service that handles the request"))
		}
		if _, err := s.store.Provider(ctx, n); err != nil {
			if matching.ErrorCode(err) == matching.ENOTFOUND {
				err = matching.FieldErrorf("provider_id", "refers to a provider that does not exist")
			}
			return s.vacancyFormFailed(c, page, err)
		}
		providerID = n
	}
	if save {
		if err := s.validateVacancy(c, in); err != nil {
			return s.vacancyFormFailed(c, page, err)
		}
		if found := matching.CheckAd(in.Title+"\n"+in.Description, in.ContractType); len(found) > 0 {
			page.findings = findingsOf(found)
			page.errs = ui.FieldErrors{"description": loc.T("emp.vac.description") + ": " + loc.T("emp.wording.refused", len(found))}
			return s.renderVacancyForm(c, http.StatusUnprocessableEntity, page)
		}
	}
	var vacancyID int64
	switch {
	case !save:
		vacancyID = page.vac.ID
	case page.vac == nil:
		v, err := s.newVacancy(c, in)
		if err != nil {
			return s.vacancyFormFailed(c, page, err)
		}
		vacancyID = v.ID
	default:
		vacancyID = page.vac.ID
		if err := s.saveVacancy(ctx, vacancyID, in); err != nil {
			return s.vacancyFormFailed(c, page, err)
		}
	}
	if save {
		if err := s.publish(c, vacancyID, ""); err != nil {
			return s.sendStopped(c, vacancyID, err)
		}
	}
	r, err := s.openRequest(c, RequestInput{VacancyID: vacancyID, ProviderID: providerID, With4D: page.form.With4D})
	if err != nil {
		if page.vac != nil && !save && formError(err) {
			return s.vacancyFormFailed(c, page, err)
		}
		return s.sendStopped(c, vacancyID, err)
	}
	sum, err := s.store.RequestSummaryOf(ctx, r.ID)
	if err != nil {
		return err
	}
	s.setFlash(c, flash{Kind: "success", Key: "emp.vac.sent", Args: []string{sum.ProviderName}})
	return see303(c, ui.EmpRequestPath(r.ID))
}

// sendStopped answers a sending that stopped after the vacancy was saved:
// the vacancy's page says why.
func (s *Server) sendStopped(c echo.Context, vacancyID int64, err error) error {
	if !formError(err) {
		return err
	}
	loc := s.renderer.Locale(s.lang(c))
	s.setFlash(c, flash{Kind: "warning", Key: "emp.vac.not_sent", Args: []string{loc.ErrorText(err)}})
	return see303(c, ui.EmpVacancyPath(vacancyID))
}

// --- A request ---

// requirementLines are a vacancy's requirements in words, in rank order.
func requirementLines(reqs []matching.Requirement) []ui.EmpRequirementLine {
	out := make([]ui.EmpRequirementLine, len(reqs))
	for i, q := range reqs {
		out[i] = ui.EmpRequirementLine{ID: q.ID, Rank: q.Rank, Essential: q.Essential, Kind: q.Kind, Text: matching.DescribeRequirement(q)}
	}
	return out
}

// employerRequestPage serves GET /datore/richieste/:id.
func (s *Server) employerRequestPage(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	return s.renderEmployerRequest(c, id, http.StatusOK, ui.FormState{})
}

// renderEmployerRequest renders a request's page for its employer: the
// request's view (the JSON route's), the vacancy, the history, and the
// shortlist presented now as the shortlist route shows it to the employer
// (every candidate shown is a CV read in the audit log), with the feedback
// given on each candidate.
func (s *Server) renderEmployerRequest(c echo.Context, id int64, status int, form ui.FormState) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	v, err := s.requestView(c, id)
	if err != nil {
		return err
	}
	data := ui.EmpRequestData{Page: s.Page(c, "emp.req.page"), ID: v.ID, Status: v.Status, Outcome: v.Outcome,
		CloseReason: v.CloseReason, ProviderName: v.ProviderName, OperatorName: v.OperatorName, With4D: v.With4D,
		OpenedAt: v.OpenedAt, ClosedAt: v.ClosedAt, Feedback: v.Feedback, Form: form, Errors: form.Errors,
		CanWithdraw:     slices.Contains(v.NextStates, matching.StatusClosed),
		WithdrawReasons: matching.CloseReasons(matching.OutcomeWithdrawn), Decisions: employerDecisions(),
		Reasons: termCodes(matching.RejectionReasons()), Contracts: termCodes(matching.ContractTypes())}
	data.Title = v.VacancyTitle
	vac, err := s.store.Vacancy(ctx, v.VacancyID)
	if err != nil {
		return err
	}
	data.Vacancy = ui.EmpVacancySummary{ID: vac.ID, Title: vac.Title, Status: vac.Status, Place: placeName(vac.MunicipalityCode),
		ContractType: vac.ContractType, WorkingTime: vac.WorkingTime, WeeklyHours: vac.WeeklyHours, Positions: vac.Positions,
		ClosesOn: vac.ClosesOn, Description: vac.Description, Requirements: requirementLines(vac.Requirements),
		Findings: storedFindings(vac.Findings)}
	for _, h := range v.History {
		data.History = append(data.History, ui.EmpHistoryRow{At: h.At, To: h.To, Outcome: h.Outcome, CloseReason: h.CloseReason,
			Note: h.Note, ByYou: h.By != nil && *h.By == p.UserID})
	}
	sl, err := s.store.LatestPresentedShortlist(ctx, id)
	switch {
	case matching.ErrorCode(err) == matching.ENOTFOUND:
	case err != nil:
		return err
	default:
		view, err := s.shortlistView(c, sl)
		if err != nil {
			return err
		}
		fbs, err := s.store.FeedbackForRequest(ctx, id)
		if err != nil {
			return err
		}
		checks, err := s.store.CompetenceChecksForRequest(ctx, id, true)
		if err != nil {
			return err
		}
		data.Shortlist = &ui.EmpShortlist{Version: view.Version, PresentedAt: view.PresentedAt, Note: view.Note}
		names := map[int64]string{}
		for _, sc := range view.Candidates {
			ec := empCandidate(sc, fbs)
			for _, chk := range checks {
				if chk.EntryID == sc.EntryID {
					ec.Checks = append(ec.Checks, chk)
				}
			}
			names[sc.EntryID] = ec.Title()
			data.Shortlist.Candidates = append(data.Shortlist.Candidates, ec)
		}
		sessions, err := s.store.SelectionSessions(ctx, id)
		if err != nil {
			return err
		}
		for _, ss := range sessions {
			es := ui.EmpSession{HeldAt: ss.HeldAt, Participants: ss.Participants, Note: ss.Note}
			if ss.ProposedEntryID != nil {
				es.Proposed = names[*ss.ProposedEntryID]
			}
			data.Sessions = append(data.Sessions, es)
		}
	}
	return s.render(c, status, "emp_request", data)
}

// employerDecisions are the answers an employer gives on a candidate.
func employerDecisions() []string {
	return []string{matching.DecisionInterviewPlanned, matching.DecisionInterviewHeld, matching.DecisionHired,
		matching.DecisionNotSelected, matching.DecisionOnHold}
}

// termCodes are the codes of a code list.
func termCodes(ts []matching.Term) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Code
	}
	return out
}

// empCandidate is a candidate of the shortlist view as the employer's page
// shows it, with the feedback given on them.
func empCandidate(sc ShortlistCandidate, fbs []matching.Feedback) ui.EmpCandidate {
	out := ui.EmpCandidate{Position: sc.Position, EntryID: sc.EntryID, Pseudonym: sc.Pseudonym, Shown: sc.Shown, Stage: sc.Stage,
		Note: sc.Note, Fit: sc.Fit, Explanation: sc.Explanation, Email: sc.Email, Phone: sc.Phone,
		Name: strings.TrimSpace(sc.GivenName + " " + sc.FamilyName)}
	if cv := sc.CV; cv != nil {
		out.CV = &ui.EmpCV{Headline: cv.Headline, Experiences: cv.Experiences, Education: cv.Education, Skills: cv.Skills,
			Languages: cv.Languages, Licences: cv.Licences, Certifications: cv.Certifications, AvailableFrom: cv.AvailableFrom,
			WeeklyHours: cv.WeeklyHours, WorkingTime: cv.WorkingTime}
	}
	for _, f := range fbs {
		if f.EntryID == sc.EntryID {
			out.Feedback = append(out.Feedback, f)
		}
	}
	return out
}

// employerFeedbackLabels are the fields of the feedback form.
var employerFeedbackLabels = map[string]string{
	"decision": "emp.fb.decision", "reason": "emp.fb.reason", "requirement_id": "emp.fb.requirement",
	"interview_at": "emp.fb.interview_at", "start_date": "emp.fb.start_date", "contract_type": "emp.fb.contract",
	"comment": "emp.fb.comment",
}

// employerFeedbackSubmit serves POST /datore/candidati-richiesta/:id/riscontro:
// the employer's answer on a presented candidate, with the feedback
// route's core.
func (s *Server) employerFeedbackSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "pipeline entry")
	if err != nil {
		return err
	}
	e, err := s.store.PipelineEntry(ctx, id)
	if err != nil {
		return err
	}
	in := FeedbackInput{Decision: c.FormValue("decision"), Reason: strings.TrimSpace(c.FormValue("reason")),
		StartDate: strings.TrimSpace(c.FormValue("start_date")), ContractType: c.FormValue("contract_type"),
		Comment: strings.TrimSpace(c.FormValue("comment"))}
	err = func() error {
		// The form shows every field; only those of the decision count.
		if in.Decision == matching.DecisionNotSelected {
			var err error
			if in.RequirementID, err = formID(c, "requirement_id"); err != nil {
				return err
			}
		} else {
			in.Reason = ""
		}
		if in.Decision != matching.DecisionHired {
			in.StartDate, in.ContractType = "", ""
		}
		if in.Decision == matching.DecisionInterviewPlanned {
			at, err := localInput("interview_at", c.FormValue("interview_at"))
			if err != nil {
				return err
			}
			if at != nil {
				in.InterviewAt = at.Format(time.RFC3339)
			}
		}
		_, err := s.recordFeedback(c, id, in)
		return err
	}()
	if err == nil {
		s.setFlash(c, flash{Kind: "success", Key: "emp.fb.done"})
		return see303(c, fmt.Sprintf("%s#cand-%d", ui.EmpRequestPath(e.RequestID), id))
	}
	if !formError(err) {
		return err
	}
	loc := s.renderer.Locale(s.lang(c))
	st := formFailure(loc, fmt.Sprintf("fb-%d", id), err, employerFeedbackLabels, formValues(c))
	return s.renderEmployerRequest(c, e.RequestID, formStatus(err), st)
}

// withdrawLabels are the fields of the withdrawal form.
var withdrawLabels = map[string]string{"close_reason": "emp.withdraw.reason", "note": "emp.withdraw.note", "outcome": "emp.withdraw.reason"}

// employerWithdrawSubmit serves POST /datore/richieste/:id/ritiro: the employer
// withdraws its request (the only move an employer makes), with the
// transitions route's core.
func (s *Server) employerWithdrawSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	o := matching.OutcomeWithdrawn
	in := TransitionBody{To: matching.StatusClosed, Outcome: &o, CloseReason: matching.CloseReason(c.FormValue("close_reason")),
		Note: c.FormValue("note")}
	if in.CloseReason == "" {
		err = matching.FieldErrorf("close_reason", "is required")
	} else {
		err = s.moveRequest(c, id, in)
	}
	if err == nil {
		s.setFlash(c, flash{Kind: "success", Key: "emp.withdraw.done"})
		return see303(c, ui.EmpRequestPath(id))
	}
	if !formError(err) {
		return err
	}
	loc := s.renderer.Locale(s.lang(c))
	return s.renderEmployerRequest(c, id, formStatus(err), formFailure(loc, "withdraw", err, withdrawLabels, formValues(c)))
}
