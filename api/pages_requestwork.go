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
	"incontro/store"
	"incontro/ui"
)

// The operator's work on one request, in pages (issue 8): the pipeline
// board and a candidate's detail with the contact log, the shortlist
// builder with its versions, the employer's feedback and 4D, and the time
// against the standard. Every form calls the store action its JSON route
// calls; a form that fails comes back with what was typed and the error by
// its field (ui.FormState), one that succeeds redirects with a flash.

// requestPath is the page of a request, or one of its tabs.
func requestPath(id int64, tab string) string {
	p := "/operatore/richieste/" + strconv.FormatInt(id, 10)
	if tab != "" {
		p += "/" + tab
	}
	return p
}

func entryPath(id int64) string { return "/operatore/candidati-richiesta/" + strconv.FormatInt(id, 10) }

// requestHead reads the request as the tabs of its pages show it.
func (s *Server) requestHead(c echo.Context, id int64, tab string) (ui.RequestHead, store.RequestSummary, error) {
	sum, err := s.store.RequestSummaryOf(c.Request().Context(), id)
	if err != nil {
		return ui.RequestHead{}, sum, err
	}
	return ui.RequestHead{ID: sum.ID, Title: sum.VacancyTitle, EmployerName: sum.EmployerName, Status: sum.Status,
		With4D: sum.With4D, Tab: tab}, sum, nil
}

// formFailure turns the error of a form into its state: the error next to
// its field when the form has that field (labels maps each field to the
// catalogue key of its label), as the form's general error otherwise.
func formFailure(loc ui.Locale, form string, err error, labels map[string]string, values url.Values) ui.FormState {
	text := loc.ErrorText(err)
	field := matching.ErrorField(err)
	st := ui.FormState{Name: form, Values: values, Errors: ui.FieldErrors{}}
	if label, ok := labels[field]; ok && field != "" {
		st.Errors[form+"-"+field] = loc.T(label) + ": " + text
	} else {
		st.Errors[""] = text
	}
	return st
}

// formValues returns the posted form without the CSRF token.
func formValues(c echo.Context) url.Values {
	v, err := c.FormParams()
	if err != nil {
		return url.Values{}
	}
	out := url.Values{}
	for k, vs := range v {
		if k != "csrf_token" {
			out[k] = vs
		}
	}
	return out
}

// localInput reads a datetime-local field (Italian time); empty is none.
func localInput(field, v string) (*time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", v, serviceZone)
	if err != nil {
		return nil, matching.FieldErrorf(field, "must be a date and time")
	}
	return &t, nil
}

func reasonOptions() []ui.Option {
	var out []ui.Option
	for _, r := range matching.RejectionReasons() {
		out = append(out, ui.Option{Value: r.Code, Label: "wb2.reason." + r.Code})
	}
	return out
}

func boardCandidate(r store.PipelineRow) ui.BoardCandidate {
	return ui.BoardCandidate{EntryID: r.ID, Name: r.DisplayName, Headline: r.Headline, Source: r.Source, Score: r.Score,
		Stage: r.Stage, Reason: r.RejectionReason, Available: r.AvailabilityState, LastContact: r.LastContactAt,
		LastOutcome: r.LastContactOutcome, LastChannel: r.LastContactChannel, Notes: r.NotesCount,
		CandidateID: derefID(r.CandidateID)}
}

// derefID is an optional id, 0 for none (an erased jobseeker).
func derefID(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// --- The pipeline board ---

var applicationLabels = map[string]string{"result": "wb2.app.result", "reason": "wb2.reason", "note": "wb2.note"}

// candidatesPage serves GET /operatore/richieste/:id/candidati.
func (s *Server) candidatesPage(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	return s.renderCandidates(c, id, http.StatusOK, ui.FormState{})
}

func (s *Server) renderCandidates(c echo.Context, id int64, status int, form ui.FormState) error {
	ctx := c.Request().Context()
	head, _, err := s.requestHead(c, id, "candidati")
	if err != nil {
		return err
	}
	rows, err := s.store.PipelineRows(ctx, id, "", store.ByStage)
	if err != nil {
		return err
	}
	apps, err := s.store.RequestApplications(ctx, id)
	if err != nil {
		return err
	}
	data := ui.CandidatesData{Page: s.Page(c, "wb2.candidates.title"), Request: head, Total: len(rows),
		Reasons: reasonOptions(), Form: form, Errors: form.Errors}
	data.Title = data.T("wb2.candidates.title") + " · " + head.Title
	for _, st := range matching.Stages() {
		col := ui.BoardColumn{Stage: st}
		for _, r := range rows {
			if r.Stage == st {
				col.Candidates = append(col.Candidates, boardCandidate(r))
			}
		}
		data.Columns = append(data.Columns, col)
	}
	for _, a := range apps {
		data.Applications = append(data.Applications, ui.ApplicationItem{ID: a.ID, Name: a.DisplayName, Message: a.Message,
			Status: a.Status, Reason: a.Reason, At: a.CreatedAt, EntryID: a.EntryID})
	}
	return s.render(c, status, "wb2_candidates", data)
}

// verifyApplicationSubmit serves POST /operatore/candidature/:id/verifica:
// the operator's check of a self-application, as the JSON route records it.
func (s *Server) verifyApplicationSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "application")
	if err != nil {
		return err
	}
	result := matching.ApplicationStatus(c.FormValue("result"))
	reason := strings.TrimSpace(c.FormValue("reason"))
	if result == matching.ApplicationVerified {
		reason = "" // the reason list stays in the form; only not fitting uses it
	}
	var a matching.Application
	if result == "" {
		err = matching.FieldErrorf("result", "is required: verified or not_fitting")
	} else {
		a, err = s.store.VerifyApplication(ctx, id, result, reason, strings.TrimSpace(c.FormValue("note")), actorOf(c))
	}
	requestID, rerr := strconv.ParseInt(c.FormValue("request_id"), 10, 64)
	if err == nil {
		s.setFlash(c, flash{Kind: "success", Key: "wb2.app.done"})
		if a.ID != 0 && rerr == nil {
			return see303(c, requestPath(requestID, "candidati")+"#candidature")
		}
		return see303(c, pathWorkbench)
	}
	if !formError(err) || rerr != nil {
		return err
	}
	// The page to come back to is the request's, which the operator must see.
	if err := requestPolicy(s.store).check(ctx, PrincipalFrom(ctx), requestID); err != nil {
		return err
	}
	loc := s.renderer.Locale(s.lang(c))
	return s.renderCandidates(c, requestID, formStatus(err),
		formFailure(loc, "app-"+strconv.FormatInt(id, 10), err, applicationLabels, formValues(c)))
}

// --- A candidate of the pipeline ---

var entryLabels = map[string]string{
	"channel": "wb2.contact.channel", "outcome": "wb2.contact.outcome", "note": "wb2.note", "at": "wb2.contact.at",
	"message": "wb2.ask.message", "body": "wb2.note", "to": "wb2.stage.to", "reason": "wb2.reason", "stage": "wb2.stage.to",
}

// entryPage serves GET /operatore/candidati-richiesta/:id.
func (s *Server) entryPage(c echo.Context) error {
	id, err := pathID(c, "id", "pipeline entry")
	if err != nil {
		return err
	}
	return s.renderEntry(c, id, http.StatusOK, ui.FormState{})
}

func (s *Server) renderEntry(c echo.Context, id int64, status int, form ui.FormState) error {
	v, err := s.entryView(c, id)
	if err != nil {
		return err
	}
	head, _, err := s.requestHead(c, v.RequestID, "candidati")
	if err != nil {
		return err
	}
	data := ui.EntryData{Page: s.Page(c, "wb2.entry.title"), Request: head, Candidate: boardCandidate(v.PipelineRow),
		Contacts: v.Contacts, Notes: v.Notes, History: v.History, Asked: v.AvailabilityRequests,
		Channels: ui.Options("wb2.channel.", matching.ContactChannels()...), Outcomes: ui.Options("wb2.outcome.", matching.ContactOutcomes()...),
		Reasons: reasonOptions(), Form: form, Errors: form.Errors}
	data.Title = v.DisplayName + " · " + head.Title
	slices.Reverse(data.Contacts) // the latest first
	for _, to := range v.NextStages {
		reason := ""
		if to == matching.StageRejected {
			reason = matching.RejectionReasons()[0].Code
		}
		if matching.CheckStageMoveBy(matching.RoleOperator, v.Stage, to, reason) == nil {
			data.NextStages = append(data.NextStages, ui.Option{Value: string(to), Label: "wb2.stage." + string(to)})
		}
	}
	return s.render(c, status, "wb2_entry", data)
}

// entryForm answers a form of the candidate's page: back to the page with
// a flash when it worked, the page again with the error otherwise.
func (s *Server) entryForm(c echo.Context, form string, do func(id int64) error, done string) error {
	id, err := pathID(c, "id", "pipeline entry")
	if err != nil {
		return err
	}
	err = do(id)
	if err == nil {
		s.setFlash(c, flash{Kind: "success", Key: done})
		return see303(c, entryPath(id))
	}
	if !formError(err) {
		return err
	}
	loc := s.renderer.Locale(s.lang(c))
	return s.renderEntry(c, id, formStatus(err), formFailure(loc, form, err, entryLabels, formValues(c)))
}

// contactSubmit serves POST /operatore/candidati-richiesta/:id/contatto:
// the contact log's form, recorded as the JSON route records it.
func (s *Server) contactSubmit(c echo.Context) error {
	return s.entryForm(c, "contact", func(id int64) error {
		ct := matching.Contact{EntryID: id, Channel: c.FormValue("channel"), Outcome: c.FormValue("outcome"),
			Note: strings.TrimSpace(c.FormValue("note"))}
		_, err := s.store.LogContact(c.Request().Context(), &ct, actorOf(c))
		return err
	}, "wb2.contact.done")
}

// askSubmit serves POST /operatore/candidati-richiesta/:id/disponibilita:
// the question of availability sent to the jobseeker in the portal.
func (s *Server) askSubmit(c echo.Context) error {
	return s.entryForm(c, "ask", func(id int64) error {
		_, err := s.store.AskAvailability(c.Request().Context(), id, c.FormValue("message"), actorOf(c))
		return err
	}, "wb2.ask.done")
}

// noteSubmit serves POST /operatore/candidati-richiesta/:id/nota.
func (s *Server) noteSubmit(c echo.Context) error {
	return s.entryForm(c, "note", func(id int64) error {
		n := matching.Note{Body: strings.TrimSpace(c.FormValue("body"))}
		return s.store.AddNote(c.Request().Context(), id, &n, actorOf(c))
	}, "wb2.note.done")
}

// stageSubmit serves POST /operatore/candidati-richiesta/:id/fase: a stage
// move as the rules allow an operator (a rejection with its reason code).
func (s *Server) stageSubmit(c echo.Context) error {
	return s.entryForm(c, "stage", func(id int64) error {
		to := matching.Stage(c.FormValue("to"))
		if to == "" {
			return matching.FieldErrorf("to", "is required")
		}
		reason := strings.TrimSpace(c.FormValue("reason"))
		if to != matching.StageRejected {
			reason = "" // the reason list stays in the form; only a rejection uses it
		}
		in := store.StageInput{To: to, Reason: reason, Note: strings.TrimSpace(c.FormValue("note"))}
		if from := matching.Stage(c.FormValue("from")); from != "" {
			in.From = &from
		}
		_, err := s.store.MoveStage(c.Request().Context(), id, in, actorOf(c))
		return err
	}, "wb2.stage.done")
}

// --- The shortlist builder ---

var shortlistLabels = map[string]string{"note": "wb2.sl.note", "items": "wb2.sl.candidates"}

var itemField = regexp.MustCompile(`^items\[(\d+)\]\.(\w+)$`)

// shortlistPage serves GET /operatore/richieste/:id/rosa.
func (s *Server) shortlistPage(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	return s.renderShortlist(c, id, http.StatusOK, ui.FormState{})
}

func presentableStage(st matching.Stage) bool {
	switch st {
	case matching.StageAvailable, matching.StageShortlisted, matching.StagePresented, matching.StageInterviewed:
		return true
	}
	return false
}

func (s *Server) renderShortlist(c echo.Context, id int64, status int, form ui.FormState) error {
	ctx := c.Request().Context()
	head, sum, err := s.requestHead(c, id, "rosa")
	if err != nil {
		return err
	}
	rows, err := s.store.PipelineRows(ctx, id, "", store.ByScore)
	if err != nil {
		return err
	}
	sls, err := s.store.Shortlists(ctx, id, false)
	if err != nil {
		return err
	}
	data := ui.ShortlistData{Page: s.Page(c, "wb2.sl.title"), Request: head, Form: form, Errors: form.Errors,
		Decisions: ui.Options("wb2.decision.", matching.Decisions()...), Reasons: reasonOptions(),
		Methods: ui.Options("wb2.method.", "interview", "practical_test", "document_check", "reference_check"),
		Results: ui.Options("wb2.result.", "confirmed", "partly_confirmed", "not_confirmed"),
		In4D:    sum.Status == matching.StatusCompetenceVerification || sum.Status == matching.StatusSelection}
	data.Title = data.T("wb2.sl.title") + " · " + head.Title
	for _, t := range matching.ContractTypes() {
		data.Contracts = append(data.Contracts, ui.Option{Value: t.Code, Label: "wb2.contract." + t.Code})
	}
	var draft *matching.Shortlist
	for i := range sls {
		if sls[i].Status == matching.ShortlistDraft {
			draft = &sls[i]
		}
	}
	// The candidates' consent to be presented (not their CV).
	var ids []int64
	for _, r := range rows {
		if r.CandidateID != nil {
			ids = append(ids, *r.CandidateID)
		}
	}
	cands, err := s.store.CandidatesByID(ctx, ids)
	if err != nil {
		return err
	}
	consent := map[int64]matching.Presentation{}
	for _, cd := range cands {
		consent[cd.ID] = cd.Presentation
	}
	byEntry := map[int64]ui.BuilderRow{}
	var order []int64
	inDraft := map[int64]matching.ShortlistItem{}
	// The builder starts from the draft or, without one, from the version
	// presented now (a new version changes it).
	base, fromPresented := draft, false
	if base == nil {
		for i := range sls {
			if sls[i].Status == matching.ShortlistPresented {
				base, fromPresented = &sls[i], true
			}
		}
	}
	if draft != nil {
		data.DraftID, data.Note = draft.ID, draft.Note
	}
	data.NewVersion = fromPresented
	if base != nil {
		for _, it := range base.Items {
			inDraft[it.EntryID] = it
			order = append(order, it.EntryID)
		}
	}
	for _, r := range rows {
		it, picked := inDraft[r.ID]
		if (!picked || fromPresented) && !presentableStage(r.Stage) {
			continue
		}
		br := ui.BuilderRow{EntryID: r.ID, Name: r.DisplayName, Stage: r.Stage, Score: r.Score, Available: r.AvailabilityState,
			Confirmed: r.AvailabilityConfirmedAt, Consent: matching.PresentNone, Picked: picked, Mode: it.Mode, Note: it.Note,
			Override: it.OverrideNote}
		if r.CandidateID != nil {
			br.Consent = consent[*r.CandidateID]
		}
		if br.Mode == "" {
			br.Mode = "blind"
			if br.Consent == matching.PresentNamed {
				br.Mode = "named"
			}
		}
		byEntry[r.ID] = br
		if !picked {
			order = append(order, r.ID)
		}
	}
	if form.Is("builder") {
		// The builder as typed: its order, choices and notes.
		data.Note = form.Values.Get("note")
		var typed []int64
		for _, v := range form.Values["order"] {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				if _, ok := byEntry[n]; ok && !slices.Contains(typed, n) {
					typed = append(typed, n)
				}
			}
		}
		for _, n := range order {
			if !slices.Contains(typed, n) {
				typed = append(typed, n)
			}
		}
		order = typed
		for n, br := range byEntry {
			k := strconv.FormatInt(n, 10)
			br.Picked = form.Values.Get("pick_"+k) != ""
			if m := form.Values.Get("mode_" + k); m != "" {
				br.Mode = m
			}
			br.Note, br.Override = form.Values.Get("note_"+k), form.Values.Get("override_"+k)
			byEntry[n] = br
		}
	}
	for _, n := range order {
		if br, ok := byEntry[n]; ok {
			data.Rows = append(data.Rows, br)
		}
	}

	// The versions presented, each as its snapshot froze it (CV reads,
	// audited as the JSON route does).
	fbs, err := s.store.FeedbackForRequest(ctx, id)
	if err != nil {
		return err
	}
	checks, err := s.store.CompetenceChecksForRequest(ctx, id, false)
	if err != nil {
		return err
	}
	for i := len(sls) - 1; i >= 0; i-- {
		sl := sls[i]
		if sl.Status == matching.ShortlistDraft {
			continue
		}
		view, err := s.shortlistView(c, sl)
		if err != nil {
			return err
		}
		v := ui.Version{ID: sl.ID, Version: sl.Version, Status: sl.Status, Note: sl.Note, CreatedAt: sl.CreatedAt, PresentedAt: sl.PresentedAt}
		for _, sc := range view.Candidates {
			name := strings.TrimSpace(sc.GivenName + " " + sc.FamilyName)
			if name == "" {
				name = sc.Pseudonym
			}
			vc := ui.VersionCandidate{Position: sc.Position, EntryID: sc.EntryID, Name: name, Mode: sc.Mode, Shown: string(sc.Shown),
				Stage: sc.Stage, Note: sc.Note, OverrideNote: sc.OverrideNote, Score: sc.Score, Fit: sc.Fit, Explanation: sc.Explanation}
			for _, f := range fbs {
				if f.EntryID == sc.EntryID {
					vc.Feedback = append(vc.Feedback, f)
				}
			}
			for _, ch := range checks {
				if ch.EntryID == sc.EntryID {
					vc.Checks = append(vc.Checks, ch)
				}
			}
			v.Candidates = append(v.Candidates, vc)
		}
		if sl.Status == matching.ShortlistPresented {
			data.Presented = v.Candidates
		}
		data.Versions = append(data.Versions, v)
	}
	if data.FeedbackState, err = s.feedbackState(c, sum.Request); err != nil {
		return err
	}
	if data.Sessions, err = s.store.SelectionSessions(ctx, id); err != nil {
		return err
	}
	return s.render(c, status, "wb2_shortlist", data)
}

// shortlistSubmit serves POST /operatore/richieste/:id/rosa: the builder.
// Its move buttons reorder the candidates as typed; saving keeps the draft
// (created, or the request's draft replaced, as the JSON routes do); and
// presenting saves it and presents it to the employer.
func (s *Server) shortlistSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	values := formValues(c)
	action := values.Get("action")
	if dir, n, ok := strings.Cut(action, ":"); ok && (dir == "up" || dir == "down") {
		order := values["order"]
		if i := slices.Index(order, n); i >= 0 {
			j := i - 1
			if dir == "down" {
				j = i + 1
			}
			if j >= 0 && j < len(order) {
				order[i], order[j] = order[j], order[i]
			}
		}
		values["order"] = order
		values.Set("focus", action)
		return s.renderShortlist(c, id, http.StatusOK, ui.FormState{Name: "builder", Values: values, Errors: ui.FieldErrors{}})
	}
	// The candidates picked, in the order shown.
	in := ShortlistInput{Note: strings.TrimSpace(values.Get("note"))}
	for _, k := range values["order"] {
		if values.Get("pick_"+k) == "" {
			continue
		}
		n, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return matching.FieldErrorf("order", "is not valid")
		}
		in.Items = append(in.Items, ShortlistItemInput{EntryID: n, Mode: values.Get("mode_" + k),
			Note: strings.TrimSpace(values.Get("note_" + k)), OverrideNote: strings.TrimSpace(values.Get("override_" + k))})
	}
	err = s.saveDraft(c, id, in, action == "present")
	if err == nil {
		key := "wb2.sl.saved"
		if action == "present" {
			key = "wb2.sl.presented"
		}
		s.setFlash(c, flash{Kind: "success", Key: key})
		return see303(c, requestPath(id, "rosa"))
	}
	if !formError(err) {
		return err
	}
	loc := s.renderer.Locale(s.lang(c))
	st := formFailure(loc, "builder", err, shortlistLabels, values)
	// An item's error goes next to that candidate's field.
	if m := itemField.FindStringSubmatch(matching.ErrorField(err)); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i < len(in.Items) {
			field := map[string]string{"override_note": "override_", "mode": "mode_", "note": "note_", "entry_id": "pick_"}[m[2]]
			if field == "" {
				field = "pick_"
			}
			text := loc.ErrorText(err)
			// The store's message names the candidate by position; by the
			// field, the catalogue says it in the page's language.
			if key := "wb2.sl.err." + m[2]; loc.Has(key) {
				text = loc.T(key)
			}
			st.Errors = ui.FieldErrors{"builder-" + field + strconv.FormatInt(in.Items[i].EntryID, 10): text}
		}
	}
	return s.renderShortlist(c, id, formStatus(err), st)
}

// saveDraft saves the request's draft shortlist (creating it when there is
// none) and, when asked, presents it.
func (s *Server) saveDraft(c echo.Context, requestID int64, in ShortlistInput, present bool) error {
	ctx := c.Request().Context()
	sls, err := s.store.Shortlists(ctx, requestID, false)
	if err != nil {
		return err
	}
	sl := in.shortlist()
	sl.RequestID = requestID
	for _, x := range sls {
		if x.Status == matching.ShortlistDraft {
			sl.ID = x.ID
		}
	}
	if sl.ID == 0 {
		err = s.store.CreateShortlist(ctx, &sl, workflowActor(c))
	} else {
		err = s.store.UpdateShortlist(ctx, &sl, workflowActor(c))
	}
	if err != nil || !present {
		return err
	}
	_, err = s.store.PresentShortlist(ctx, sl.ID, workflowActor(c), localDay(s.now()))
	return err
}

var feedbackLabels = map[string]string{
	"decision": "wb2.fb.decision", "reason": "wb2.reason", "requirement_id": "wb2.fb.requirement", "interview_at": "wb2.fb.interview_at",
	"start_date": "wb2.fb.start_date", "contract_type": "wb2.fb.contract", "comment": "wb2.fb.comment",
	"competence": "wb2.cc.competence", "method": "wb2.cc.method", "result": "wb2.cc.result", "note": "wb2.note",
	"held_at": "wb2.ss.held_at", "participants": "wb2.ss.participants", "proposed_entry_id": "wb2.ss.proposed",
}

// shortlistForm answers a form of the shortlist page about one candidate.
func (s *Server) shortlistForm(c echo.Context, form string, do func(e matching.PipelineEntry) error, done string) error {
	id, err := pathID(c, "id", "pipeline entry")
	if err != nil {
		return err
	}
	e, err := s.store.PipelineEntry(c.Request().Context(), id)
	if err != nil {
		return err
	}
	err = do(e)
	if err == nil {
		s.setFlash(c, flash{Kind: "success", Key: done})
		return see303(c, requestPath(e.RequestID, "rosa"))
	}
	if !formError(err) {
		return err
	}
	loc := s.renderer.Locale(s.lang(c))
	return s.renderShortlist(c, e.RequestID, formStatus(err),
		formFailure(loc, form+"-"+strconv.FormatInt(id, 10), err, feedbackLabels, formValues(c)))
}

// feedbackSubmit serves POST /operatore/candidati-richiesta/:id/riscontro:
// the employer's answer on a presented candidate, recorded by the operator
// with the JSON route's core.
func (s *Server) feedbackSubmit(c echo.Context) error {
	return s.shortlistForm(c, "fb", func(e matching.PipelineEntry) error {
		in := FeedbackInput{Decision: c.FormValue("decision"), Reason: strings.TrimSpace(c.FormValue("reason")),
			StartDate: c.FormValue("start_date"), ContractType: c.FormValue("contract_type"), Comment: strings.TrimSpace(c.FormValue("comment"))}
		if in.Decision != matching.DecisionNotSelected {
			in.Reason = ""
		} else {
			var err error
			if in.RequirementID, err = formID(c, "requirement_id"); err != nil {
				return err
			}
		}
		if in.Decision != matching.DecisionHired {
			in.StartDate, in.ContractType = "", ""
		}
		at, err := localInput("interview_at", c.FormValue("interview_at"))
		if err != nil {
			return err
		}
		if at != nil {
			in.InterviewAt = at.Format(time.RFC3339)
		}
		_, err = s.recordFeedback(c, e.ID, in)
		return err
	}, "wb2.fb.done")
}

// competenceSubmit serves POST /operatore/candidati-richiesta/:id/competenza:
// a 4D competence verification.
func (s *Server) competenceSubmit(c echo.Context) error {
	return s.shortlistForm(c, "cc", func(e matching.PipelineEntry) error {
		chk := matching.CompetenceCheck{EntryID: e.ID, Competence: strings.TrimSpace(c.FormValue("competence")),
			Method: c.FormValue("method"), Result: c.FormValue("result"), Note: strings.TrimSpace(c.FormValue("note"))}
		return s.store.AddCompetenceCheck(c.Request().Context(), &chk, workflowActor(c))
	}, "wb2.cc.done")
}

// selectionSubmit serves POST /operatore/richieste/:id/selezione: a 4D
// selection-support session.
func (s *Server) selectionSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	ss := matching.SelectionSession{RequestID: id, Participants: strings.TrimSpace(c.FormValue("participants")),
		Note: strings.TrimSpace(c.FormValue("note"))}
	err = func() error {
		held, err := localInput("held_at", c.FormValue("held_at"))
		if err != nil {
			return err
		}
		if held != nil {
			ss.HeldAt = *held
		}
		if ss.ProposedEntryID, err = formID(c, "proposed_entry_id"); err != nil {
			return err
		}
		return s.store.AddSelectionSession(c.Request().Context(), &ss, workflowActor(c))
	}()
	if err == nil {
		s.setFlash(c, flash{Kind: "success", Key: "wb2.ss.done"})
		return see303(c, requestPath(id, "rosa"))
	}
	if !formError(err) {
		return err
	}
	loc := s.renderer.Locale(s.lang(c))
	return s.renderShortlist(c, id, formStatus(err), formFailure(loc, "ss", err, feedbackLabels, formValues(c)))
}

// --- Time against the standard ---

var timeLabels = map[string]string{
	"activity": "wb2.time.activity", "started_at": "wb2.time.started_at", "minutes": "wb2.time.minutes", "note": "wb2.note",
	"phase": "wb2.time.activity",
}

// timePage serves GET /operatore/richieste/:id/tempo.
func (s *Server) timePage(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	return s.renderTime(c, id, http.StatusOK, ui.FormState{})
}

func (s *Server) renderTime(c echo.Context, id int64, status int, form ui.FormState) error {
	ctx := c.Request().Context()
	head, sum, err := s.requestHead(c, id, "tempo")
	if err != nil {
		return err
	}
	entries, err := s.store.TimeEntries(ctx, id)
	if err != nil {
		return err
	}
	p := PrincipalFrom(ctx)
	t := matching.SummarizeTime(&sum.Request, entries)
	data := ui.TimeData{Page: s.Page(c, "wb2.time.title"), Request: head, Total: t.TotalMinutes, Entries: entries, UserID: p.UserID,
		Activities: ui.Options("wb2.activity.", matching.Activities()...), Now: ui.Page{}.InputLocal(s.now()),
		Form: form, Errors: form.Errors}
	data.Title = data.T("wb2.time.title") + " · " + head.Title
	slices.Reverse(data.Entries) // the latest first
	for _, ph := range t.Phases {
		b := ui.PhaseBar{Phase: ph.Phase, Minutes: ph.Minutes, MinMinutes: ph.MinMinutes, MaxMinutes: ph.MaxMinutes, State: ph.State}
		if ph.MaxMinutes > 0 {
			b.Percent = min(100, ph.Minutes*100/ph.MaxMinutes)
			b.MinPercent = ph.MinMinutes * 100 / ph.MaxMinutes
		}
		data.Phases = append(data.Phases, b)
	}
	for _, a := range matching.Activities() {
		if m := t.ByActivity[a]; m > 0 {
			data.ByActivity = append(data.ByActivity, ui.ActivityTime{Activity: a, Minutes: m})
		}
	}
	timer, err := s.store.RunningTimer(ctx, p.UserID)
	if err != nil {
		return err
	}
	if timer != nil {
		data.Timer = &ui.TimerView{RequestID: timer.RequestID, Activity: timer.Activity, StartedAt: timer.StartedAt,
			Elapsed: timer.ElapsedMinutes(s.now()), Here: timer.RequestID == id}
	}
	return s.render(c, status, "wb2_time", data)
}

// timeForm answers a form of the time page.
func (s *Server) timeForm(c echo.Context, requestID int64, form string, err error, done string) error {
	if err == nil {
		s.setFlash(c, flash{Kind: "success", Key: done})
		return see303(c, requestPath(requestID, "tempo"))
	}
	if !formError(err) {
		return err
	}
	loc := s.renderer.Locale(s.lang(c))
	return s.renderTime(c, requestID, formStatus(err), formFailure(loc, form, err, timeLabels, formValues(c)))
}

// timeEntrySubmit serves POST /operatore/richieste/:id/tempo: time recorded
// by hand, as the JSON route records it.
func (s *Server) timeEntrySubmit(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	err = func() error {
		started, err := localInput("started_at", c.FormValue("started_at"))
		if err != nil {
			return err
		}
		if started == nil {
			return matching.FieldErrorf("started_at", "is required: when the time was spent")
		}
		minutes, convErr := strconv.Atoi(strings.TrimSpace(c.FormValue("minutes")))
		if convErr != nil {
			return matching.FieldErrorf("minutes", "must be a whole number")
		}
		a := timeActor(c)
		phase, _ := matching.ActivityPhase(c.FormValue("activity"))
		t := matching.TimeEntry{RequestID: id, UserID: &a.UserID, Phase: phase, Activity: c.FormValue("activity"),
			StartedAt: *started, Minutes: minutes, Note: strings.TrimSpace(c.FormValue("note"))}
		return s.store.RecordTimeEntry(c.Request().Context(), &t, a)
	}()
	return s.timeForm(c, id, "entry", err, "wb2.time.saved")
}

// timeEntryDeleteSubmit serves POST /operatore/tempo/:id/elimina: one of the
// operator's own entries deleted.
func (s *Server) timeEntryDeleteSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "time entry")
	if err != nil {
		return err
	}
	t, err := s.store.TimeEntry(c.Request().Context(), id)
	if err != nil {
		return err
	}
	requestID := t.RequestID
	err = s.store.DeleteTimeEntry(c.Request().Context(), id, timeActor(c))
	return s.timeForm(c, requestID, "delete", err, "wb2.time.deleted")
}

// timerStartSubmit serves POST /operatore/richieste/:id/timer.
func (s *Server) timerStartSubmit(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	_, stopped, err := s.store.StartTimer(c.Request().Context(), id, c.FormValue("activity"), strings.TrimSpace(c.FormValue("note")), timeActor(c))
	if err == nil && stopped != nil {
		s.setFlash(c, flash{Kind: "info", Key: "wb2.timer.switched", Args: []string{matching.FormatMinutes(stopped.Minutes)}})
		return see303(c, requestPath(id, "tempo"))
	}
	return s.timeForm(c, id, "timer", err, "wb2.timer.started")
}

// timerStopSubmit serves POST /operatore/timer/ferma: the operator's timer
// stopped, its time saved as an entry of its request.
func (s *Server) timerStopSubmit(c echo.Context) error {
	t, err := s.store.StopTimer(c.Request().Context(), timeActor(c))
	if err != nil {
		if !formError(err) {
			return err
		}
		s.setFlash(c, flash{Kind: "warning", Key: "wb2.timer.none"})
		return see303(c, localPath(c.FormValue("next"), pathWorkbench))
	}
	s.setFlash(c, flash{Kind: "success", Key: "wb2.timer.stopped", Args: []string{matching.FormatMinutes(t.Minutes)}})
	return see303(c, requestPath(t.RequestID, "tempo"))
}
