package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"incontro/matching"
)

// The employer's answer on each presented candidate and the 4D records:
// competence verifications and selection-support sessions. The employer
// gives feedback itself or the operator records what it said; 4D is the
// operator's, and the employer reads it for the candidates presented to it.

// optionalTime reads an instant (RFC 3339) of the body; empty is none.
func optionalTime(field, v string) (*time.Time, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
	if err != nil {
		return nil, matching.FieldErrorf(field, "must be a date and time like 2026-03-02T09:30:00+01:00")
	}
	return &t, nil
}

// optionalDate reads a day (YYYY-MM-DD) of the body; empty is none.
func optionalDate(field, v string) (*time.Time, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(v))
	if err != nil {
		return nil, matching.FieldErrorf(field, "must be a date YYYY-MM-DD")
	}
	return &t, nil
}

// FeedbackInput is the employer's answer on a presented candidate.
type FeedbackInput struct {
	// Decision: interview_planned, interview_held, hired, not_selected or on_hold.
	Decision string `json:"decision"`
	// Reason is the rejection reason code, required for not_selected.
	Reason string `json:"reason"`
	// RequirementID optionally names the requirement not met.
	RequirementID *int64 `json:"requirement_id"`
	InterviewAt   string `json:"interview_at"`
	StartDate     string `json:"start_date"`
	ContractType  string `json:"contract_type"`
	Comment       string `json:"comment"`
}

// FeedbackView is a feedback row with the pseudonym of its candidate and,
// when just recorded, the stage the candidate stands at now.
type FeedbackView struct {
	matching.Feedback
	Pseudonym string         `json:"pseudonym"`
	Stage     matching.Stage `json:"stage,omitempty"`
}

// addFeedback records the employer's feedback on a presented candidate.
func (s *Server) addFeedback(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "pipeline entry")
	if err != nil {
		return err
	}
	var in FeedbackInput
	if err := bind(c, &in); err != nil {
		return err
	}
	f, err := s.recordFeedback(c, id, in)
	if err != nil {
		return err
	}
	e, err := s.store.PipelineEntry(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, FeedbackView{Feedback: f, Pseudonym: e.Pseudonym, Stage: e.Stage})
}

// recordFeedback records feedback on the presented candidate of pipeline
// entry id: the core of the JSON route and the page's form.
func (s *Server) recordFeedback(c echo.Context, id int64, in FeedbackInput) (matching.Feedback, error) {
	f := matching.Feedback{EntryID: id, Decision: in.Decision, Reason: in.Reason, RequirementID: in.RequirementID,
		ContractType: in.ContractType, Comment: in.Comment}
	var err error
	if f.InterviewAt, err = optionalTime("interview_at", in.InterviewAt); err != nil {
		return f, err
	}
	if f.StartDate, err = optionalDate("start_date", in.StartDate); err != nil {
		return f, err
	}
	err = s.store.AddFeedback(c.Request().Context(), &f, workflowActor(c))
	return f, err
}

// RequestFeedback is a request's feedback and whether the employer owes
// some: a reminder due, or closing as "no answer" proposed.
type RequestFeedback struct {
	Feedback []FeedbackView         `json:"feedback"`
	State    matching.FeedbackState `json:"state"`
}

// pseudonyms maps a request's pipeline entries to their pseudonyms.
func (s *Server) pseudonyms(c echo.Context, requestID int64) (map[int64]string, error) {
	entries, err := s.store.PipelineEntries(c.Request().Context(), requestID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(entries))
	for _, e := range entries {
		out[e.ID] = e.Pseudonym
	}
	return out, nil
}

// requestFeedback lists the feedback on a request's candidates, oldest
// first, with the feedback reminders of the request.
func (s *Server) requestFeedback(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	r, err := s.store.Request(ctx, id)
	if err != nil {
		return err
	}
	fs, err := s.store.FeedbackForRequest(ctx, id)
	if err != nil {
		return err
	}
	names, err := s.pseudonyms(c, id)
	if err != nil {
		return err
	}
	state, err := s.feedbackState(c, r)
	if err != nil {
		return err
	}
	out := RequestFeedback{Feedback: make([]FeedbackView, len(fs)), State: state}
	for i, f := range fs {
		out.Feedback[i] = FeedbackView{Feedback: f, Pseudonym: names[f.EntryID]}
	}
	return c.JSON(http.StatusOK, out)
}

// feedbackState says whether the employer of a request owes feedback now.
func (s *Server) feedbackState(c echo.Context, r matching.Request) (matching.FeedbackState, error) {
	times, err := s.store.FeedbackTimes(c.Request().Context(), []int64{r.ID})
	if err != nil {
		return matching.FeedbackState{}, err
	}
	t := times[r.ID]
	return matching.FeedbackDue(r.Status, t.PresentedAt, t.LastFeedbackAt, s.now(), s.store.Workflow), nil
}

// CompetenceCheckInput is a 4D verification of a competence a presented
// candidate declares.
type CompetenceCheckInput struct {
	RequirementID *int64 `json:"requirement_id"`
	Competence    string `json:"competence"`
	// Method: interview, practical_test, document_check or reference_check.
	Method string `json:"method"`
	// Result: confirmed, partly_confirmed or not_confirmed.
	Result string `json:"result"`
	Note   string `json:"note"`
}

// CompetenceCheckView is a competence verification with its candidate's
// pseudonym.
type CompetenceCheckView struct {
	matching.CompetenceCheck
	Pseudonym string `json:"pseudonym"`
}

// addCompetenceCheck records a 4D competence verification.
func (s *Server) addCompetenceCheck(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "pipeline entry")
	if err != nil {
		return err
	}
	var in CompetenceCheckInput
	if err := bind(c, &in); err != nil {
		return err
	}
	chk := matching.CompetenceCheck{EntryID: id, RequirementID: in.RequirementID, Competence: in.Competence, Method: in.Method,
		Result: in.Result, Note: in.Note}
	if err := s.store.AddCompetenceCheck(ctx, &chk, workflowActor(c)); err != nil {
		return err
	}
	e, err := s.store.PipelineEntry(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, CompetenceCheckView{CompetenceCheck: chk, Pseudonym: e.Pseudonym})
}

// requestCompetenceChecks lists a request's competence verifications,
// oldest first. The employer reads them too, for the candidates presented
// to it: 4D verifies the competences for the employer's choice, and the
// list names candidates only by pseudonym.
func (s *Server) requestCompetenceChecks(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	employer := PrincipalFrom(ctx).Role == matching.RoleEmployer
	checks, err := s.store.CompetenceChecksForRequest(ctx, id, employer)
	if err != nil {
		return err
	}
	names, err := s.pseudonyms(c, id)
	if err != nil {
		return err
	}
	out := make([]CompetenceCheckView, len(checks))
	for i, chk := range checks {
		out[i] = CompetenceCheckView{CompetenceCheck: chk, Pseudonym: names[chk.EntryID]}
	}
	return c.JSON(http.StatusOK, map[string]any{"checks": out})
}

// SelectionSessionInput is a 4D selection-support session with the employer.
type SelectionSessionInput struct {
	HeldAt       string `json:"held_at"`
	Participants string `json:"participants"`
	Note         string `json:"note"`
	// ProposedEntryID is the candidate proposed for hiring, if any.
	ProposedEntryID *int64 `json:"proposed_entry_id"`
}

// SelectionSessionView is a session with the pseudonym of the candidate it
// proposed for hiring.
type SelectionSessionView struct {
	matching.SelectionSession
	ProposedPseudonym string `json:"proposed_pseudonym,omitempty"`
}

// addSelectionSession records a 4D selection-support session.
func (s *Server) addSelectionSession(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	var in SelectionSessionInput
	if err := bind(c, &in); err != nil {
		return err
	}
	ss := matching.SelectionSession{RequestID: id, Participants: in.Participants, Note: in.Note, ProposedEntryID: in.ProposedEntryID}
	held, err := optionalTime("held_at", in.HeldAt)
	if err != nil {
		return err
	}
	if held != nil {
		ss.HeldAt = *held
	}
	if err := s.store.AddSelectionSession(ctx, &ss, workflowActor(c)); err != nil {
		return err
	}
	view := SelectionSessionView{SelectionSession: ss}
	if ss.ProposedEntryID != nil {
		e, err := s.store.PipelineEntry(ctx, *ss.ProposedEntryID)
		if err != nil {
			return err
		}
		view.ProposedPseudonym = e.Pseudonym
	}
	return c.JSON(http.StatusCreated, view)
}

// requestSelectionSessions lists a request's selection-support sessions in
// the order they were held.
func (s *Server) requestSelectionSessions(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	sessions, err := s.store.SelectionSessions(ctx, id)
	if err != nil {
		return err
	}
	names, err := s.pseudonyms(c, id)
	if err != nil {
		return err
	}
	out := make([]SelectionSessionView, len(sessions))
	for i, ss := range sessions {
		out[i] = SelectionSessionView{SelectionSession: ss}
		if ss.ProposedEntryID != nil {
			out[i].ProposedPseudonym = names[*ss.ProposedEntryID]
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"sessions": out})
}
