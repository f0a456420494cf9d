package api

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"incontro/matcher"
	"incontro/matching"
)

// noMatcher answers when the server has no index to match with.
func (s *Server) noMatcher(c echo.Context) error {
	s.logger.Warn("matching without an index", "request_id", RequestID(c.Request().Context()))
	return c.JSON(http.StatusServiceUnavailable, ErrorBody{Error: ErrorDetail{
		Code: matching.EINTERNAL, Message: "matching is not available: this server has no index",
		RequestID: RequestID(c.Request().Context()),
	}})
}

// bindMatchOptions reads the options of a match. A field naming a protected
// attribute is refused with its own message before any other check, so
// that nobody mistakes the refusal for a typo.
func bindMatchOptions(c echo.Context, opt *matcher.Options) error {
	req := c.Request()
	if req.ContentLength == 0 && req.Header.Get(echo.HeaderContentType) == "" {
		return nil
	}
	if !strings.HasPrefix(req.Header.Get(echo.HeaderContentType), echo.MIMEApplicationJSON) {
		return matching.Errorf(matching.EINVALID, "the body must be JSON")
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, 1<<16))
	if err != nil {
		return matching.Errorf(matching.EINVALID, "the body could not be read: %v", err)
	}
	var fields map[string]json.RawMessage
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := json.Unmarshal(body, &fields); err != nil {
			return matching.Errorf(matching.EINVALID, "the body is not a JSON object: %v", err)
		}
	}
	for name, raw := range fields {
		if matching.ProtectedGround(name) != "" {
			return matching.ProtectedError(name, name)
		}
		if name == "sort" || name == "filter" || name == "filters" {
			var v string
			_ = json.Unmarshal(raw, &v)
			if matching.ProtectedGround(v) != "" {
				return matching.ProtectedError(name, v)
			}
		}
	}
	req.Body = io.NopCloser(strings.NewReader(string(body)))
	req.ContentLength = int64(len(body))
	return bind(c, opt)
}

// runMatch matches a request's vacancy and stores the run: parameters,
// weights, data version and every result with its explanation. The answer
// is the stored run, the same bytes a later GET returns.
func (s *Server) runMatch(c echo.Context) error {
	if s.matcher == nil {
		return s.noMatcher(c)
	}
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	var opt matcher.Options
	if err := bindMatchOptions(c, &opt); err != nil {
		return err
	}
	run, err := s.matchRequest(c, id, opt)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, c.Request().URL.Path+"/"+strconv.FormatInt(run.ID, 10))
	return answerRun(c, http.StatusCreated, &run)
}

// answerRun answers with a run as c.JSON would, without reading its
// explanations through once more: they are in answer form already.
// ?pretty goes through c.JSON, which indents.
func answerRun(c echo.Context, status int, run *matching.MatchRun) error {
	if c.QueryParams().Has("pretty") {
		return c.JSON(status, run)
	}
	b, err := run.AppendJSON(nil)
	if err != nil {
		return err
	}
	// json.Encoder, behind c.JSON, ends with a newline.
	return c.JSONBlob(status, append(b, '\n'))
}

// errNoMatcher is matching on a server without an index.
var errNoMatcher = matching.Errorf(matching.EINTERNAL, "matching is not available: this server has no index")

// matchRequest runs and stores a match for a request, audited in the same
// transaction (the run read the CVs it ranked): the core of POST
// /api/v1/requests/:id/matches and of the workbench's match page.
func (s *Server) matchRequest(c echo.Context, id int64, opt matcher.Options) (matching.MatchRun, error) {
	if s.matcher == nil {
		return matching.MatchRun{}, errNoMatcher
	}
	return s.matcher.RunRequest(c.Request().Context(), id, actorOf(c), opt, localDay(s.now()))
}

// MatchRunSummary is a run in a list: without its results.
type MatchRunSummary struct {
	ID        int64           `json:"id"`
	RequestID int64           `json:"request_id"`
	Params    json.RawMessage `json:"params"`
	Recalled  int             `json:"recalled"`
	CreatedAt time.Time       `json:"created_at"`
	CreatedBy *int64          `json:"created_by,omitempty"`
}

// matchRuns lists a request's runs, newest first, without their results.
func (s *Server) matchRuns(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	runs, err := s.store.MatchRuns(c.Request().Context(), id)
	if err != nil {
		return err
	}
	out := make([]MatchRunSummary, len(runs))
	for i, r := range runs {
		out[i] = MatchRunSummary{ID: r.ID, RequestID: r.RequestID, Params: r.Params, Recalled: r.Recalled,
			CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy}
	}
	return c.JSON(http.StatusOK, map[string]any{"runs": out})
}

// matchRun returns a stored run with its results.
func (s *Server) matchRun(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	runID, err := pathID(c, "run", "match run")
	if err != nil {
		return err
	}
	run, err := s.readMatchRun(c, id, runID)
	if err != nil {
		return err
	}
	return answerRun(c, http.StatusOK, &run)
}

// readMatchRun reads a stored run of a request and audits the read: the
// core of GET /api/v1/requests/:id/matches/:run and of the match page.
func (s *Server) readMatchRun(c echo.Context, id, runID int64) (matching.MatchRun, error) {
	run, err := s.store.MatchRun(c.Request().Context(), runID)
	if err != nil {
		return run, err
	}
	if run.RequestID != id {
		return matching.MatchRun{}, notFound("match run")
	}
	ev := &matching.AuditEvent{Action: "match_run_read", ObjectType: "request", ObjectID: &id,
		Detail: jsonDetail(map[string]any{"run_id": run.ID, "results": len(run.Results)})}
	return run, s.recordAudit(c, ev)
}

// candidateVacancies is reverse matching: the published vacancies that fit
// a jobseeker, scored like a vacancy's match. A read by staff is a CV read
// and is audited.
func (s *Server) candidateVacancies(c echo.Context) error {
	if s.matcher == nil {
		return s.noMatcher(c)
	}
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "candidate")
	if err != nil {
		return err
	}
	limit := int64(20)
	if c.QueryParam("limit") != "" {
		if limit, err = queryInt(c, "limit", 1, 200); err != nil {
			return err
		}
	}
	for name := range c.QueryParams() {
		if name != "limit" {
			if matching.ProtectedGround(name) != "" {
				return matching.ProtectedError(name, name)
			}
			return matching.FieldErrorf(name, "is not a parameter of this list")
		}
	}
	p := PrincipalFrom(ctx)
	if p.Role != matching.RoleJobseeker || p.CandidateID != id {
		ev := &matching.AuditEvent{Action: "cv_read", ObjectType: "candidate", ObjectID: &id, CandidateID: &id,
			Detail: jsonDetail(map[string]any{"purpose": "reverse_match"})}
		if err := s.recordAudit(c, ev); err != nil {
			return err
		}
	}
	rev, err := s.matcher.VacanciesFor(ctx, id, int(limit), localDay(s.now()))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rev)
}
