package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/store"
)

// EntryInput is the body of POST /api/v1/requests/:id/pipeline.
type EntryInput struct {
	CandidateID int64           `json:"candidate_id"`
	Source      matching.Source `json:"source"`
	MatchRunID  *int64          `json:"match_run_id"`
	Note        string          `json:"note"`
}

// addEntry adds a candidate to a request's pipeline, found by search (from
// a match run when given, whose score it keeps) or referred.
func (s *Server) addEntry(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	var in EntryInput
	if err := bind(c, &in); err != nil {
		return err
	}
	row, err := s.addToPipeline(c, id, in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/pipeline/"+strconv.FormatInt(row.ID, 10))
	return c.JSON(http.StatusCreated, row)
}

// addToPipeline adds a candidate to a request's pipeline: the core of POST
// /api/v1/requests/:id/pipeline and of the match page's buttons.
func (s *Server) addToPipeline(c echo.Context, id int64, in EntryInput) (store.PipelineRow, error) {
	if in.Source == "" {
		return store.PipelineRow{}, matching.FieldErrorf("source", "is required: search or referral")
	}
	e, err := s.store.AddCandidate(c.Request().Context(), store.NewEntry{RequestID: id, CandidateID: in.CandidateID,
		Source: in.Source, MatchRunID: in.MatchRunID, Note: strings.TrimSpace(in.Note)}, actorOf(c))
	if err != nil {
		return store.PipelineRow{}, err
	}
	return s.store.PipelineRowOf(c.Request().Context(), e.ID)
}

// PipelineList is a request's pipeline with how many candidates stand at
// each stage.
type PipelineList struct {
	Items   []store.PipelineRow    `json:"items"`
	ByStage map[matching.Stage]int `json:"by_stage"`
}

// pipeline lists a request's candidates for the staff, sorted by stage
// (default), score or entry, optionally at one stage.
func (s *Server) pipeline(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	for name := range c.QueryParams() {
		if name != "stage" && name != "sort" {
			return matching.FieldErrorf(name, "is not a parameter of this list")
		}
	}
	rows, err := s.store.PipelineRows(c.Request().Context(), id, matching.Stage(c.QueryParam("stage")),
		store.PipelineOrder(c.QueryParam("sort")))
	if err != nil {
		return err
	}
	by := map[matching.Stage]int{}
	for _, r := range rows {
		by[r.Stage]++
	}
	return c.JSON(http.StatusOK, PipelineList{Items: rows, ByStage: by})
}

// EntryView is a candidate in a request's pipeline with everything
// recorded about them there.
type EntryView struct {
	store.PipelineRow
	NextStages           []matching.Stage               `json:"next_stages"`
	History              []matching.StageChange         `json:"history"`
	Notes                []matching.Note                `json:"notes"`
	Contacts             []matching.Contact             `json:"contacts"`
	AvailabilityRequests []matching.AvailabilityRequest `json:"availability_requests"`
}

func (s *Server) entryView(c echo.Context, id int64) (EntryView, error) {
	ctx := c.Request().Context()
	var v EntryView
	var err error
	if v.PipelineRow, err = s.store.PipelineRowOf(ctx, id); err != nil {
		return v, err
	}
	if v.History, err = s.store.StageHistory(ctx, id); err != nil {
		return v, err
	}
	if v.Notes, err = s.store.Notes(ctx, id); err != nil {
		return v, err
	}
	if v.Contacts, err = s.store.Contacts(ctx, id); err != nil {
		return v, err
	}
	if v.AvailabilityRequests, err = s.store.AvailabilityRequests(ctx, id); err != nil {
		return v, err
	}
	v.NextStages = matching.NextStages(v.Stage)
	return v, nil
}

func (s *Server) respondEntry(c echo.Context, status int, id int64) error {
	v, err := s.entryView(c, id)
	if err != nil {
		return err
	}
	return c.JSON(status, v)
}

// entry returns one candidate of a pipeline with its stage history, notes,
// contacts and availability requests.
func (s *Server) entry(c echo.Context) error {
	id, err := pathID(c, "id", "pipeline entry")
	if err != nil {
		return err
	}
	return s.respondEntry(c, http.StatusOK, id)
}

// StageBody is the body of POST /api/v1/pipeline/:id/stage.
type StageBody struct {
	// From is the stage the operator saw, if they want the move refused
	// when the candidate has moved since.
	From   *matching.Stage `json:"from"`
	To     matching.Stage  `json:"to"`
	Reason string          `json:"reason"`
	Note   string          `json:"note"`
}

// moveEntry moves a candidate to another stage as the rules allow an
// operator.
func (s *Server) moveEntry(c echo.Context) error {
	id, err := pathID(c, "id", "pipeline entry")
	if err != nil {
		return err
	}
	var in StageBody
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.To == "" {
		return matching.FieldErrorf("to", "is required")
	}
	if in.From != nil && !matching.IsStage(*in.From) {
		return matching.FieldErrorf("from", "%q is not a pipeline stage", *in.From)
	}
	if _, err := s.store.MoveStage(c.Request().Context(), id, store.StageInput{From: in.From, To: in.To,
		Reason: strings.TrimSpace(in.Reason), Note: strings.TrimSpace(in.Note)}, actorOf(c)); err != nil {
		return err
	}
	return s.respondEntry(c, http.StatusOK, id)
}

// WithdrawBody is the optional body of a jobseeker's withdrawal.
type WithdrawBody struct {
	Note string `json:"note"`
}

// withdrawEntry lets a jobseeker withdraw from a request they are a
// candidate in.
func (s *Server) withdrawEntry(c echo.Context) error {
	id, err := pathID(c, "id", "pipeline entry")
	if err != nil {
		return err
	}
	var in WithdrawBody
	if err := bind(c, &in); err != nil {
		return err
	}
	e, err := s.store.MoveStage(c.Request().Context(), id, store.StageInput{To: matching.StageWithdrew,
		Note: strings.TrimSpace(in.Note)}, actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"id": e.ID, "request_id": e.RequestID, "stage": e.Stage})
}

// NoteBody is the body of POST /api/v1/pipeline/:id/notes.
type NoteBody struct {
	Body string `json:"body"`
}

// addEntryNote adds an operator's note on a candidate of a request.
func (s *Server) addEntryNote(c echo.Context) error {
	id, err := pathID(c, "id", "pipeline entry")
	if err != nil {
		return err
	}
	var in NoteBody
	if err := bind(c, &in); err != nil {
		return err
	}
	n := matching.Note{Body: strings.TrimSpace(in.Body)}
	if err := s.store.AddNote(c.Request().Context(), id, &n, actorOf(c)); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, n)
}

// ContactBody is the body of POST /api/v1/pipeline/:id/contacts.
type ContactBody struct {
	Channel string     `json:"channel"`
	Outcome string     `json:"outcome"`
	Note    string     `json:"note"`
	At      *time.Time `json:"at"`
}

// ContactAnswer answers a logged contact: the contact and where the
// candidate now stands.
type ContactAnswer struct {
	Contact matching.Contact  `json:"contact"`
	Entry   store.PipelineRow `json:"entry"`
}

// logContact records a contact with a candidate; its outcome moves the
// candidate's stage and confirms their availability in the same
// transaction.
func (s *Server) logContact(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "pipeline entry")
	if err != nil {
		return err
	}
	var in ContactBody
	if err := bind(c, &in); err != nil {
		return err
	}
	ct := matching.Contact{EntryID: id, Channel: in.Channel, Outcome: in.Outcome, Note: strings.TrimSpace(in.Note)}
	if in.At != nil {
		ct.At = *in.At
	}
	if _, err := s.store.LogContact(ctx, &ct, actorOf(c)); err != nil {
		return err
	}
	row, err := s.store.PipelineRowOf(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, ContactAnswer{Contact: ct, Entry: row})
}

// contacts lists the contacts with a candidate, oldest first.
func (s *Server) contacts(c echo.Context) error {
	id, err := pathID(c, "id", "pipeline entry")
	if err != nil {
		return err
	}
	list, err := s.store.Contacts(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": list})
}

// AskBody is the body of POST /api/v1/pipeline/:id/availability-requests.
type AskBody struct {
	Message string `json:"message"`
}

// askAvailability asks the jobseeker, in the portal, whether they are
// interested and available.
func (s *Server) askAvailability(c echo.Context) error {
	id, err := pathID(c, "id", "pipeline entry")
	if err != nil {
		return err
	}
	var in AskBody
	if err := bind(c, &in); err != nil {
		return err
	}
	q, err := s.store.AskAvailability(c.Request().Context(), id, in.Message, actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, q)
}

// myAvailabilityRequests lists the questions sent to the jobseeker, the
// open ones first.
func (s *Server) myAvailabilityRequests(c echo.Context) error {
	p := PrincipalFrom(c.Request().Context())
	list, err := s.store.AvailabilityQuestions(c.Request().Context(), p.CandidateID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": list})
}

// AnswerBody is the body of POST /api/v1/availability-requests/:id/answer.
type AnswerBody struct {
	Answer string `json:"answer"`
	Reason string `json:"reason"`
}

// answerAvailability records the jobseeker's answer, which moves them in
// the pipeline without an operator.
func (s *Server) answerAvailability(c echo.Context) error {
	id, err := pathID(c, "id", "availability request")
	if err != nil {
		return err
	}
	var in AnswerBody
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.Answer == "" {
		return matching.FieldErrorf("answer", "is required: interested or not_interested")
	}
	q, err := s.store.AnswerAvailability(c.Request().Context(), id, in.Answer, in.Reason, actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, q)
}

// ApplyBody is the body of POST /api/v1/vacancies/:id/applications.
type ApplyBody struct {
	Message string `json:"message"`
}

// apply sends a jobseeker's self-application to a published vacancy; it
// enters the pipeline of the vacancy's open request, if any.
func (s *Server) apply(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "vacancy")
	if err != nil {
		return err
	}
	var in ApplyBody
	if err := bind(c, &in); err != nil {
		return err
	}
	p := PrincipalFrom(ctx)
	a, err := s.store.Apply(ctx, id, p.CandidateID, in.Message, localDay(s.now()), actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a)
}

// myApplications lists the jobseeker's self-applications with their
// vacancy and where they stand.
func (s *Server) myApplications(c echo.Context) error {
	p := PrincipalFrom(c.Request().Context())
	list, err := s.store.CandidateApplications(c.Request().Context(), p.CandidateID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": list})
}

// withdrawApplication withdraws the jobseeker's self-application.
func (s *Server) withdrawApplication(c echo.Context) error {
	id, err := pathID(c, "id", "application")
	if err != nil {
		return err
	}
	a, err := s.store.WithdrawApplication(c.Request().Context(), id, actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// requestApplications lists the self-applications to a request's vacancy.
func (s *Server) requestApplications(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	list, err := s.store.RequestApplications(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": list})
}

// VerifyBody is the body of POST /api/v1/applications/:id/verify.
type VerifyBody struct {
	Result matching.ApplicationStatus `json:"result"`
	Reason string                     `json:"reason"`
	Note   string                     `json:"note"`
}

// verifyApplication records the operator's check of a self-application:
// verified, or not fitting with a reason, which rejects the candidate.
func (s *Server) verifyApplication(c echo.Context) error {
	id, err := pathID(c, "id", "application")
	if err != nil {
		return err
	}
	var in VerifyBody
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.Result == "" {
		return matching.FieldErrorf("result", "is required: verified or not_fitting")
	}
	a, err := s.store.VerifyApplication(c.Request().Context(), id, in.Result, strings.TrimSpace(in.Reason),
		strings.TrimSpace(in.Note), actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// CVReadList is a page of the reads of a CV with the total.
type CVReadList struct {
	Items []store.CVRead `json:"items"`
	Total int            `json:"total"`
}

// cvViews lists who read a candidate's CV, newest first.
func (s *Server) cvViews(c echo.Context) error {
	id, err := pathID(c, "id", "candidate")
	if err != nil {
		return err
	}
	limit, err := queryInt(c, "limit", 1, 500)
	if err != nil {
		return err
	}
	offset, err := queryInt(c, "offset", 0, 0)
	if err != nil {
		return err
	}
	items, total, err := s.store.CVReads(c.Request().Context(), id, int(limit), int(offset))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, CVReadList{Items: items, Total: total})
}
