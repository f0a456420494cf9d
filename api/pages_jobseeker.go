package api

import (
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
	"incontro/ui"
)

// The jobseeker's own pages: the home, the CV editor, visibility and
// consent, who read the CV, and their data (the download and the erasure of
// the account). Every page acts on the signed-in jobseeker's own record,
// named by the session and never by the address, through the cores of the
// JSON routes: readCV (GET /api/v1/candidates/:id), saveCandidate (PUT
// /api/v1/candidates/:id), the reads of GET /api/v1/candidates/:id/views,
// collectMyData and eraseOwnAccount (me.go).

const (
	pathJobseekerCV         = "/candidato/cv"
	pathJobseekerVisibility = "/candidato/visibilita"
	pathJobseekerViews      = "/candidato/visite"
	pathJobseekerData       = "/candidato/dati"
	pathJobseekerErased     = "/candidato/cancellato"
	// The vacancies, applications and availability answers have pages of
	// their own, which the home links to.
	pathJobseekerVacancies = "/candidato/offerte"
	// maxCVRows bounds the rows of a repeatable section of the CV form.
	maxCVRows = 50
	// viewsPageSize is how many reads of the CV a page lists.
	viewsPageSize = 50
)

// --- The home ---

// jobseekerHomePage serves GET /candidato: how complete the CV is, the
// consent in plain words, the availability questions waiting for an
// answer, and the links to the rest.
func (s *Server) jobseekerHomePage(c echo.Context) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	view, err := s.readCV(c, p, p.CandidateID, nil, "profile")
	if err != nil {
		return err
	}
	cand := view.Candidate
	questions, err := s.store.AvailabilityQuestions(ctx, p.CandidateID)
	if err != nil {
		return err
	}
	_, views, err := s.store.CVReads(ctx, p.CandidateID, 1, 0)
	if err != nil {
		return err
	}
	data := ui.JobseekerHomeData{Page: s.Page(c, "jcv.home.title"), FirstName: cand.GivenName, Sections: cvSections(cand),
		UpdatedAt: cand.UpdatedAt, Searchable: cand.Searchable, Presentation: cand.Presentation, Views: views}
	for _, q := range questions {
		if q.Open {
			data.Questions = append(data.Questions, q)
		}
	}
	return s.render(c, http.StatusOK, "js_home", data)
}

// cvSections says which sections of the CV say something, in the
// editor's order.
func cvSections(c matching.Candidate) []ui.CVSection {
	sec := func(anchor string, filled bool) ui.CVSection {
		return ui.CVSection{Key: "jcv.sec." + anchor, Anchor: anchor, Filled: filled}
	}
	return []ui.CVSection{
		sec("profile", c.Headline != "" || c.Summary != ""),
		sec("desired", len(c.DesiredOccupations) > 0),
		sec("experiences", len(c.Experiences) > 0),
		sec("education", len(c.Education) > 0),
		sec("skills", len(c.Skills) > 0),
		sec("languages", len(c.Languages) > 0),
		sec("licences", len(c.Licences) > 0),
		sec("certifications", len(c.Certifications) > 0),
		sec("availability", c.AvailableFrom != nil || c.WeeklyHours != nil || len(c.WorkingTime) > 0),
		sec("contracts", len(c.ContractPreferences) > 0),
	}
}

// --- The CV editor ---

// cvSectionFirst is the first field of a row of each repeatable section,
// which takes the focus when a row is added.
var cvSectionFirst = map[string]string{
	"desired_occupations": "title", "experiences": "title", "education": "eqf_level",
	"skills": "label", "languages": "language", "certifications": "name",
}

// cvPage serves GET /candidato/cv: the CV as stored, in the editor.
func (s *Server) cvPage(c echo.Context) error {
	p := PrincipalFrom(c.Request().Context())
	view, err := s.readCV(c, p, p.CandidateID, nil, "profile")
	if err != nil {
		return err
	}
	return s.renderCV(c, http.StatusOK, padCVForm(cvFormOf(view.Candidate)), nil, false, "")
}

// renderCV shows the CV editor with the form as typed.
func (s *Server) renderCV(c echo.Context, status int, form ui.CVForm, errs ui.FieldErrors, unsaved bool, focus string) error {
	data := ui.CVData{Page: s.Page(c, "jcv.cv.title"), Form: form, Errors: errs, Unsaved: unsaved, Focus: focus,
		Occupations: ui.OccupationChoices(), Skills: ui.SkillChoices(), Municipalities: ui.TrentinoMunicipalities()}
	for _, code := range cvLanguages {
		data.LanguageChoices = append(data.LanguageChoices, ui.CVOption{Value: code, Label: data.T("jcv.lang." + code)})
	}
	return s.render(c, status, "js_cv", data)
}

// cvLanguages are the languages the editor offers, Italy's and Trentino's
// first.
var cvLanguages = []string{"it", "de", "en", "fr", "es", "pt", "ro", "sq", "ar", "ru", "uk", "pl", "zh", "hi", "ur", "bn",
	"nl", "sl", "hr", "sr", "tr"}

// cvSubmit serves POST /candidato/cv. A button that adds or removes a row
// shows the form again with the change, saving nothing; saving replaces
// the CV through the core of PUT /api/v1/candidates/:id (its validation,
// its outbox row for the index). An error comes back next to its field,
// with everything typed kept.
func (s *Server) cvSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	form, err := cvFormFromRequest(c)
	if err != nil {
		return err
	}
	current, err := s.store.Candidate(ctx, p.CandidateID)
	if err != nil {
		return err
	}
	// The address is the account's: shown, never taken from the form.
	form.Email = current.Email
	action := c.FormValue("action")
	if section, ok := strings.CutPrefix(action, "add:"); ok {
		if _, known := cvSectionFirst[section]; !known {
			return matching.FieldErrorf("action", "%q is not a section of the CV", section)
		}
		n := addCVRow(&form, section)
		focus := ui.RowField(section, n-1, cvSectionFirst[section])
		if n > maxCVRows {
			focus = ""
		}
		return s.renderCV(c, http.StatusOK, form, nil, true, focus)
	}
	if rest, ok := strings.CutPrefix(action, "remove:"); ok {
		section, idx, _ := strings.Cut(rest, ":")
		i, err := strconv.Atoi(idx)
		if _, known := cvSectionFirst[section]; !known || err != nil {
			return matching.FieldErrorf("action", "%q is not a row of the CV", rest)
		}
		removeCVRow(&form, section, i)
		return s.renderCV(c, http.StatusOK, form, nil, true, "add-"+section)
	}
	loc := s.renderer.Locale(s.lang(c))
	in, rows, errs := candidateOfForm(loc, form, current)
	if len(errs) == 0 {
		_, err = s.saveCandidate(c, p.CandidateID, in)
		if err == nil {
			s.setFlash(c, flash{Kind: "success", Key: "jcv.cv.saved"})
			return see303(c, pathJobseekerCV)
		}
		if !formError(err) {
			return err
		}
		errs = rows.errorsOf(loc, err)
	}
	return s.renderCV(c, http.StatusUnprocessableEntity, form, errs, false, "")
}

// cvFormOf is the stored CV as the editor shows it.
func cvFormOf(c matching.Candidate) ui.CVForm {
	f := ui.CVForm{GivenName: c.GivenName, FamilyName: c.FamilyName, Email: c.Email, Phone: c.Phone,
		Headline: c.Headline, Summary: c.Summary, Home: municipalityName(c.HomeMunicipality),
		MobilityKm: strconv.Itoa(c.MobilityKm), AvailableFrom: formDay(c.AvailableFrom),
		WorkingTime: c.WorkingTime, Contracts: c.ContractPreferences, Licences: c.Licences}
	if c.WeeklyHours != nil {
		f.Hours = strconv.Itoa(*c.WeeklyHours)
	}
	for _, e := range c.Experiences {
		start := e.StartDate
		f.Experiences = append(f.Experiences, ui.ExperienceRow{Occupation: e.Title, Employer: e.EmployerName,
			Place: municipalityName(e.MunicipalityCode), From: formDay(&start), To: formDay(e.EndDate), Ongoing: e.EndDate == nil,
			Description: e.Description})
	}
	for _, e := range c.Education {
		row := ui.EducationRow{Level: strconv.Itoa(e.EQFLevel), Field: e.Field, Title: e.Title, Institution: e.Institution}
		if e.CompletedYear != nil {
			row.Year = strconv.Itoa(*e.CompletedYear)
		}
		f.Education = append(f.Education, row)
	}
	for _, sk := range c.Skills {
		f.Skills = append(f.Skills, ui.SkillRow{Skill: sk.Label, Level: sk.Level})
	}
	for _, l := range c.Languages {
		f.Languages = append(f.Languages, ui.LanguageRow{Language: l.Language, Level: l.Level})
	}
	for _, ce := range c.Certifications {
		f.Certifications = append(f.Certifications, ui.CertificationRow{Name: ce.Name, Issued: formDay(ce.IssuedOn), Expires: formDay(ce.ExpiresOn)})
	}
	for _, d := range c.DesiredOccupations {
		f.Desired = append(f.Desired, ui.DesiredRow{Occupation: d.Title})
	}
	return f
}

// padCVForm gives every empty repeatable section one empty row to fill
// in, which saving ignores if it stays empty.
func padCVForm(f ui.CVForm) ui.CVForm {
	for section := range cvSectionFirst {
		if cvRows(&f, section) == 0 {
			addCVRow(&f, section)
		}
	}
	return f
}

// cvRows counts the rows of a section.
func cvRows(f *ui.CVForm, section string) int {
	switch section {
	case "experiences":
		return len(f.Experiences)
	case "education":
		return len(f.Education)
	case "skills":
		return len(f.Skills)
	case "languages":
		return len(f.Languages)
	case "certifications":
		return len(f.Certifications)
	case "desired_occupations":
		return len(f.Desired)
	}
	return 0
}

// addCVRow adds an empty row to a section (up to maxCVRows) and returns
// how many rows it has.
func addCVRow(f *ui.CVForm, section string) int {
	if cvRows(f, section) >= maxCVRows {
		return maxCVRows + 1
	}
	switch section {
	case "experiences":
		f.Experiences = append(f.Experiences, ui.ExperienceRow{})
	case "education":
		f.Education = append(f.Education, ui.EducationRow{})
	case "skills":
		f.Skills = append(f.Skills, ui.SkillRow{})
	case "languages":
		f.Languages = append(f.Languages, ui.LanguageRow{})
	case "certifications":
		f.Certifications = append(f.Certifications, ui.CertificationRow{})
	case "desired_occupations":
		f.Desired = append(f.Desired, ui.DesiredRow{})
	}
	return cvRows(f, section)
}

// removeCVRow removes row i of a section, if there is one.
func removeCVRow(f *ui.CVForm, section string, i int) {
	if i < 0 || i >= cvRows(f, section) {
		return
	}
	switch section {
	case "experiences":
		f.Experiences = slices.Delete(f.Experiences, i, i+1)
	case "education":
		f.Education = slices.Delete(f.Education, i, i+1)
	case "skills":
		f.Skills = slices.Delete(f.Skills, i, i+1)
	case "languages":
		f.Languages = slices.Delete(f.Languages, i, i+1)
	case "certifications":
		f.Certifications = slices.Delete(f.Certifications, i, i+1)
	case "desired_occupations":
		f.Desired = slices.Delete(f.Desired, i, i+1)
	}
}

// cvFormFromRequest reads the CV editor's form as typed.
func cvFormFromRequest(c echo.Context) (ui.CVForm, error) {
	params, err := c.FormParams()
	if err != nil {
		return ui.CVForm{}, matching.Errorf(matching.EINVALID, "the form could not be read: %v", err)
	}
	get := params.Get
	rows := func(section string) int {
		n, _ := strconv.Atoi(get(section + "-rows"))
		return min(max(n, 0), maxCVRows)
	}
	cell := func(section string, i int, name string) string { return params.Get(ui.RowField(section, i, name)) }
	f := ui.CVForm{GivenName: get("given_name"), FamilyName: get("family_name"), Phone: get("phone"),
		Headline: get("headline"), Summary: get("summary"), Home: get("home_municipality_code"), MobilityKm: get("mobility_km"),
		AvailableFrom: get("available_from"), Hours: get("weekly_hours"),
		WorkingTime: params["working_time"], Contracts: params["contract_preferences"], Licences: params["licences"]}
	for i := range rows("experiences") {
		f.Experiences = append(f.Experiences, ui.ExperienceRow{Occupation: cell("experiences", i, "title"),
			Employer: cell("experiences", i, "employer_name"), Place: cell("experiences", i, "municipality_code"),
			From: cell("experiences", i, "start_date"), To: cell("experiences", i, "end_date"),
			Ongoing: cell("experiences", i, "ongoing") != "", Description: cell("experiences", i, "description")})
	}
	for i := range rows("education") {
		f.Education = append(f.Education, ui.EducationRow{Level: cell("education", i, "eqf_level"), Field: cell("education", i, "field"),
			Title: cell("education", i, "title"), Institution: cell("education", i, "institution"), Year: cell("education", i, "completed_year")})
	}
	for i := range rows("skills") {
		f.Skills = append(f.Skills, ui.SkillRow{Skill: cell("skills", i, "label"), Level: cell("skills", i, "level")})
	}
	for i := range rows("languages") {
		f.Languages = append(f.Languages, ui.LanguageRow{Language: cell("languages", i, "language"), Level: cell("languages", i, "level")})
	}
	for i := range rows("certifications") {
		f.Certifications = append(f.Certifications, ui.CertificationRow{Name: cell("certifications", i, "name"),
			Issued: cell("certifications", i, "issued_on"), Expires: cell("certifications", i, "expires_on")})
	}
	for i := range rows("desired_occupations") {
		f.Desired = append(f.Desired, ui.DesiredRow{Occupation: cell("desired_occupations", i, "title")})
	}
	return f, nil
}

// cvRowIndex maps each row of the candidate, by section, to the row of
// the form it came from (empty rows of the form are not saved, so the
// numbers differ), for errors to land next to the right field.
type cvRowIndex map[string][]int

// candidateOfForm turns the form into the candidate to save: the current
// record with the form's fields in place of the CV's (the e-mail address
// and the consent stay as they are). Empty rows are left out. What the
// form alone can tell is wrong (a date, a number, a municipality, an
// occupation or a skill not in the lists) comes back as errors by field,
// all at once; the rest the store's validation checks.
func candidateOfForm(loc ui.Locale, f ui.CVForm, current matching.Candidate) (matching.Candidate, cvRowIndex, ui.FieldErrors) {
	errs := cvErrors{loc: loc, out: ui.FieldErrors{}}
	rows := cvRowIndex{}
	trim := strings.TrimSpace
	in := current
	in.GivenName, in.FamilyName, in.Phone = trim(f.GivenName), trim(f.FamilyName), trim(f.Phone)
	in.Headline, in.Summary = trim(f.Headline), trim(f.Summary)
	if trim(f.Home) == "" {
		errs.top("home_municipality_code", matching.FieldErrorf("home_municipality_code", "is required"))
	} else if code, err := municipalityCode("home_municipality_code", f.Home); err != nil {
		errs.top("home_municipality_code", err)
	} else {
		if code != current.HomeMunicipality {
			// The store places the home at the new municipality.
			in.HomeLat, in.HomeLon = 0, 0
		}
		in.HomeMunicipality = code
	}
	in.MobilityKm = 0
	if n, err := formInt("mobility_km", f.MobilityKm); err != nil {
		errs.top("mobility_km", err)
	} else if n != nil {
		in.MobilityKm = *n
	}
	var err error
	if in.AvailableFrom, err = formDate("available_from", f.AvailableFrom); err != nil {
		errs.top("available_from", err)
	}
	if in.WeeklyHours, err = formInt("weekly_hours", f.Hours); err != nil {
		errs.top("weekly_hours", err)
	}
	in.WorkingTime = append([]string{}, f.WorkingTime...)
	in.ContractPreferences = append([]string{}, f.Contracts...)
	in.Licences = append([]string{}, f.Licences...)

	in.DesiredOccupations = []matching.DesiredOccupation{}
	for i, r := range f.Desired {
		if trim(r.Occupation) == "" {
			continue
		}
		d := matching.DesiredOccupation{Title: trim(r.Occupation)}
		d.OccupationCode, d.ISCOCode = occupationOf(d.Title, current, func(err error) { errs.row("desired_occupations", i, "title", err) })
		rows["desired_occupations"] = append(rows["desired_occupations"], i)
		in.DesiredOccupations = append(in.DesiredOccupations, d)
	}
	in.Experiences = []matching.Experience{}
	for i, r := range f.Experiences {
		if trim(r.Occupation+r.Employer+r.Place+r.From+r.To+r.Description) == "" {
			continue
		}
		e := matching.Experience{Title: trim(r.Occupation), EmployerName: trim(r.Employer), Description: trim(r.Description)}
		if e.Title != "" {
			e.OccupationCode, e.ISCOCode = occupationOf(e.Title, current, func(err error) { errs.row("experiences", i, "title", err) })
		}
		if trim(r.Place) != "" {
			if e.MunicipalityCode, err = municipalityCode("municipality_code", r.Place); err != nil {
				errs.row("experiences", i, "municipality_code", err)
			}
		}
		if from, err := formDate("start_date", r.From); err != nil {
			errs.row("experiences", i, "start_date", err)
		} else if from != nil {
			e.StartDate = *from
		}
		switch {
		case r.Ongoing:
		case trim(r.To) == "":
			errs.row("experiences", i, "end_date", matching.FieldErrorf("end_date", "is required unless you still work there"))
		default:
			if e.EndDate, err = formDate("end_date", r.To); err != nil {
				errs.row("experiences", i, "end_date", err)
			}
		}
		rows["experiences"] = append(rows["experiences"], i)
		in.Experiences = append(in.Experiences, e)
	}
	in.Education = []matching.Education{}
	for i, r := range f.Education {
		if trim(r.Level+r.Field+r.Title+r.Institution+r.Year) == "" {
			continue
		}
		e := matching.Education{Title: trim(r.Title), Field: trim(r.Field), Institution: trim(r.Institution)}
		e.EQFLevel, _ = strconv.Atoi(r.Level)
		if e.CompletedYear, err = formInt("completed_year", r.Year); err != nil {
			errs.row("education", i, "completed_year", err)
		}
		rows["education"] = append(rows["education"], i)
		in.Education = append(in.Education, e)
	}
	in.Skills = []matching.CandidateSkill{}
	for i, r := range f.Skills {
		typed := trim(r.Skill)
		if typed == "" {
			continue
		}
		sk := matching.CandidateSkill{Label: typed, Level: r.Level}
		if sk.Level == "" {
			sk.Level = "unspecified"
		}
		if prev, ok := currentSkill(current, typed); ok {
			// A skill already in the CV keeps its code, even one typed
			// freely before the catalogue had it.
			sk.Code, sk.Label = prev.Code, prev.Label
		} else if code, err := skillCode("label", typed); err != nil {
			errs.row("skills", i, "label", err)
		} else if known, ok := reference.SkillByCode(code); ok {
			sk.Code, sk.Label = known.Code, known.Label
		}
		rows["skills"] = append(rows["skills"], i)
		in.Skills = append(in.Skills, sk)
	}
	in.Languages = []matching.LanguageLevel{}
	for i, r := range f.Languages {
		if r.Language == "" && r.Level == "" {
			continue
		}
		rows["languages"] = append(rows["languages"], i)
		in.Languages = append(in.Languages, matching.LanguageLevel{Language: r.Language, Level: r.Level})
	}
	in.Certifications = []matching.Certification{}
	for i, r := range f.Certifications {
		if trim(r.Name+r.Issued+r.Expires) == "" {
			continue
		}
		ce := matching.Certification{Name: trim(r.Name)}
		for _, prev := range current.Certifications {
			if prev.Name == ce.Name {
				ce.Code = prev.Code
			}
		}
		if ce.IssuedOn, err = formDate("issued_on", r.Issued); err != nil {
			errs.row("certifications", i, "issued_on", err)
		}
		if ce.ExpiresOn, err = formDate("expires_on", r.Expires); err != nil {
			errs.row("certifications", i, "expires_on", err)
		}
		rows["certifications"] = append(rows["certifications"], i)
		in.Certifications = append(in.Certifications, ce)
	}
	return in, rows, errs.out
}

// occupationOf resolves an occupation typed in the form to its code and
// ISCO group: one already in the CV under the same title keeps its codes,
// otherwise the catalogue's (fail is called when it has none).
func occupationOf(title string, current matching.Candidate, fail func(error)) (code, isco string) {
	same := func(t string) bool { return reference.Fold(t) == reference.Fold(title) }
	for _, e := range current.Experiences {
		if same(e.Title) {
			return e.OccupationCode, e.ISCOCode
		}
	}
	for _, d := range current.DesiredOccupations {
		if same(d.Title) {
			return d.OccupationCode, d.ISCOCode
		}
	}
	c, err := occupationCode("title", title)
	if err != nil {
		fail(err)
		return "", ""
	}
	o, _ := reference.OccupationByCode(c)
	return o.Code, o.ISCO
}

// currentSkill finds a skill of the CV by its label.
func currentSkill(current matching.Candidate, label string) (matching.CandidateSkill, bool) {
	for _, sk := range current.Skills {
		if reference.Fold(sk.Label) == reference.Fold(label) {
			return sk, true
		}
	}
	return matching.CandidateSkill{}, false
}

// formDate reads a day typed in a form: the date field's YYYY-MM-DD, or
// day/month/year as typed where the browser has no date field.
func formDate(field, typed string) (*matching.Date, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return nil, nil
	}
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006", "2006-01"} {
		if t, err := time.Parse(layout, typed); err == nil {
			return &t, nil
		}
	}
	return nil, matching.FieldErrorf(field, "must be a date such as 31/12/2024")
}

// formDay writes a day for a date field.
func formDay(d *matching.Date) string {
	if d == nil {
		return ""
	}
	return d.Format(time.DateOnly)
}

// formInt reads an optional whole number typed in a form.
func formInt(field, typed string) (*int, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(typed)
	if err != nil {
		return nil, matching.FieldErrorf(field, "must be a whole number")
	}
	return &n, nil
}

// municipalityName names a municipality by its ISTAT code ("" for none).
func municipalityName(code string) string {
	if m, ok := reference.MunicipalityByCode(code); ok {
		return m.Name
	}
	return code
}

// cvTopLabels are the labels of the CV form's fields outside the rows;
// the coordinates of the home are the municipality's.
var cvTopLabels = map[string]string{
	"given_name": "form.given_name", "family_name": "form.family_name", "email": "form.email", "phone": "form.phone",
	"headline": "jcv.headline", "summary": "jcv.summary", "home_municipality_code": "form.home_municipality",
	"mobility_km": "form.mobility_km", "available_from": "jcv.available_from", "weekly_hours": "jcv.weekly_hours",
	"working_time": "jcv.working_time_legend", "contract_preferences": "jcv.contracts_legend", "licences": "jcv.licences_legend",
}

// cvFieldAliases are the fields of the domain shown by another field of
// the form.
var cvFieldAliases = map[string]string{"home_lat": "home_municipality_code", "home_lon": "home_municipality_code"}

// cvRowLabels name each repeatable section's rows (a catalogue key with
// the row's number) and label their fields; aliases map the domain's
// fields that the form shows in another field (the ISCO group in the
// occupation, a skill's code in the skill).
var cvRowLabels = map[string]struct {
	Row     string
	Fields  map[string]string
	Aliases map[string]string
}{
	"desired_occupations": {"jcv.row.desired", map[string]string{"title": "jcv.desired_occupation"},
		map[string]string{"isco_code": "title", "occupation_code": "title"}},
	"experiences": {"jcv.row.experience", map[string]string{"title": "jcv.exp.occupation", "employer_name": "jcv.exp.employer",
		"municipality_code": "jcv.exp.place", "start_date": "jcv.exp.from", "end_date": "jcv.exp.to", "description": "jcv.exp.description"},
		map[string]string{"isco_code": "title", "occupation_code": "title"}},
	"education": {"jcv.row.education", map[string]string{"eqf_level": "jcv.edu.level", "title": "jcv.edu.title", "field": "jcv.edu.field",
		"institution": "jcv.edu.institution", "completed_year": "jcv.edu.year"}, nil},
	"skills":    {"jcv.row.skill", map[string]string{"label": "jcv.skill", "level": "jcv.skill_level"}, map[string]string{"code": "label", "skill_code": "label"}},
	"languages": {"jcv.row.language", map[string]string{"language": "jcv.language", "level": "jcv.cefr_level"}, nil},
	"certifications": {"jcv.row.certification", map[string]string{"name": "jcv.cert.name", "issued_on": "jcv.cert.issued",
		"expires_on": "jcv.cert.expires"}, map[string]string{"code": "name"}},
}

// cvErrors collects the CV form's errors by the id of their field, each
// named by its label (and its row).
type cvErrors struct {
	loc ui.Locale
	out ui.FieldErrors
}

// top records the error of a field outside the rows.
func (e cvErrors) top(id string, err error) {
	if _, ok := e.out[id]; ok {
		return
	}
	e.out[id] = e.loc.T("jcv.err.field", e.loc.T(cvTopLabels[id]), e.loc.ErrorText(err))
}

// row records the error of the field name of row i (of the form) of a
// section.
func (e cvErrors) row(section string, i int, name string, err error) {
	id := ui.RowField(section, i, name)
	if _, ok := e.out[id]; ok {
		return
	}
	l := cvRowLabels[section]
	e.out[id] = e.loc.T("jcv.err.row", e.loc.T(l.Row, i+1), e.loc.T(l.Fields[name]), e.loc.ErrorText(err))
}

// domainField splits a field named by the domain's validation: a section,
// a row and a field within it ("experiences[2].start_date"), or a
// section's element ("licences[1]").
var domainField = regexp.MustCompile(`^([a-z_]+)\[([0-9]+)\](?:\.([a-z_]+))?$`)

// errorsOf places an error of the store's validation next to the field of
// the form it is about; one the form has no field for is shown above it.
func (rows cvRowIndex) errorsOf(loc ui.Locale, err error) ui.FieldErrors {
	errs := cvErrors{loc: loc, out: ui.FieldErrors{}}
	field := matching.ErrorField(err)
	if alias, ok := cvFieldAliases[field]; ok {
		field = alias
	}
	if _, ok := cvTopLabels[field]; ok {
		errs.top(field, err)
		return errs.out
	}
	if m := domainField.FindStringSubmatch(field); m != nil {
		section, sub := m[1], m[3]
		if _, ok := cvTopLabels[section]; ok && sub == "" {
			// An element of a group of checkboxes: the group.
			errs.top(section, err)
			return errs.out
		}
		k, _ := strconv.Atoi(m[2])
		l, known := cvRowLabels[section]
		if alias, ok := l.Aliases[sub]; ok {
			sub = alias
		}
		if _, labelled := l.Fields[sub]; known && labelled && k < len(rows[section]) {
			errs.row(section, rows[section][k], sub, err)
			return errs.out
		}
	}
	return ui.FieldErrors{"": loc.ErrorText(err)}
}

// --- Visibility and consent ---

// visibilityPage serves GET /candidato/visibilita.
func (s *Server) visibilityPage(c echo.Context) error {
	p := PrincipalFrom(c.Request().Context())
	view, err := s.readCV(c, p, p.CandidateID, nil, "profile")
	if err != nil {
		return err
	}
	form := ui.VisibilityForm{Searchable: "no", Presentation: string(view.Presentation)}
	if view.Searchable {
		form.Searchable = "yes"
	}
	return s.render(c, http.StatusOK, "js_visibility", ui.VisibilityData{Page: s.Page(c, "jcv.vis.title"), Form: form})
}

var visibilityLabels = map[string]string{"searchable": "jcv.vis.searchable_legend", "presentation": "jcv.vis.presentation_legend"}

// visibilitySubmit serves POST /candidato/visibilita: the jobseeker's
// consent, saved as PUT /api/v1/candidates/:id saves it (the only route
// that changes it, and only for the jobseeker).
func (s *Server) visibilitySubmit(c echo.Context) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	form := ui.VisibilityForm{Searchable: c.FormValue("searchable"), Presentation: c.FormValue("presentation")}
	data := ui.VisibilityData{Page: s.Page(c, "jcv.vis.title"), Form: form, Errors: ui.FieldErrors{}}
	if form.Searchable != "yes" && form.Searchable != "no" {
		data.Errors["searchable"] = data.T("jcv.vis.choose_searchable")
	}
	if !slices.Contains(data.Presentations(), form.Presentation) {
		data.Errors["presentation"] = data.T("jcv.vis.choose_presentation")
	}
	if len(data.Errors) > 0 {
		return s.render(c, http.StatusUnprocessableEntity, "js_visibility", data)
	}
	in, err := s.store.Candidate(ctx, p.CandidateID)
	if err != nil {
		return err
	}
	in.Searchable, in.Presentation = form.Searchable == "yes", matching.Presentation(form.Presentation)
	if _, err := s.saveCandidate(c, p.CandidateID, in); err != nil {
		if !formError(err) {
			return err
		}
		data.Errors = fieldErrors(data.Locale, err, visibilityLabels)
		return s.render(c, formStatus(err), "js_visibility", data)
	}
	s.setFlash(c, flash{Kind: "success", Key: "jcv.vis.saved"})
	return see303(c, pathJobseekerVisibility)
}

// --- Who read the CV ---

// viewsPage serves GET /candidato/visite: who read the CV, newest first,
// a page at a time (?pagina=), as GET /api/v1/candidates/:id/views lists
// them.
func (s *Server) viewsPage(c echo.Context) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	pageNo := 1
	if n, err := strconv.Atoi(c.QueryParam("pagina")); err == nil && n > 1 {
		pageNo = n
	}
	offset := (pageNo - 1) * viewsPageSize
	reads, total, err := s.store.CVReads(ctx, p.CandidateID, viewsPageSize, offset)
	if err != nil {
		return err
	}
	data := ui.ViewsData{Page: s.Page(c, "jcv.views.title"), Reads: reads, Total: total}
	if len(reads) > 0 {
		data.From, data.To = offset+1, offset+len(reads)
	}
	pageURL := func(n int) string {
		if n <= 1 {
			return pathJobseekerViews
		}
		return pathJobseekerViews + "?" + url.Values{"pagina": {strconv.Itoa(n)}}.Encode()
	}
	if pageNo > 1 {
		data.PrevURL = pageURL(pageNo - 1)
	}
	if offset+len(reads) < total {
		data.NextURL = pageURL(pageNo + 1)
	}
	return s.render(c, http.StatusOK, "js_views", data)
}

// --- My data: the download and the erasure ---

// dataPage serves GET /candidato/dati.
func (s *Server) dataPage(c echo.Context) error {
	p := PrincipalFrom(c.Request().Context())
	return s.render(c, http.StatusOK, "js_data", ui.MyDataData{Page: s.Page(c, "jcv.data.title"), Email: p.Email})
}

// eraseSubmit serves POST /candidato/cancella: the account's erasure, as
// DELETE /api/v1/me, with the password typed again and the confirmation
// ticked. The session ends with the account; the page that says so is
// public.
func (s *Server) eraseSubmit(c echo.Context) error {
	p := PrincipalFrom(c.Request().Context())
	in := EraseInput{Password: c.FormValue("password"), Confirm: c.FormValue("confirm") != ""}
	err := s.eraseOwnAccount(c, in)
	if err == nil {
		return see303(c, pathJobseekerErased)
	}
	if !formError(err) {
		return err
	}
	data := ui.MyDataData{Page: s.Page(c, "jcv.data.title"), Email: p.Email, Confirmed: in.Confirm}
	switch field := matching.ErrorField(err); {
	case matching.ErrorCode(err) == matching.ERATELIMITED:
		wait, convErr := strconv.Atoi(c.Response().Header().Get("Retry-After"))
		if convErr != nil {
			wait = 60
		}
		data.Errors = ui.FieldErrors{"": data.T("login.rate_limited", wait)}
	case field == "password":
		data.Errors = ui.FieldErrors{field: data.T("jcv.err.field", data.T("jcv.data.password"), data.Locale.ErrorText(err))}
	case field == "confirm":
		data.Errors = ui.FieldErrors{field: data.Locale.ErrorText(err)}
	default:
		data.Errors = ui.FieldErrors{"": data.Locale.ErrorText(err)}
	}
	return s.render(c, formStatus(err), "js_data", data)
}

// erasedPage serves GET /candidato/cancellato, where the erasure lands.
func (s *Server) erasedPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "js_erased", ui.ErasedData{Page: s.Page(c, "jcv.erased.title")})
}
