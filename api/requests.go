package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/store"
)

// actorOf is who acts in the workflow for this HTTP request: the signed-in
// user, their role and address, for the histories and the audit log.
func actorOf(c echo.Context) store.Actor {
	a := store.Actor{IP: clientIP(c)}
	if p := PrincipalFrom(c.Request().Context()); p != nil {
		a.UserID, a.Role = p.UserID, p.Role
	}
	return a
}

// RequestView is a 4C/4D request as its page shows it: the request with
// its vacancy, employer and operator, the facts its life cycle looks at,
// the states the caller may move it to, the employer's feedback state and
// the status history, oldest first. Staff also see the time recorded
// against the standard and the candidates whose availability is running
// out.
type RequestView struct {
	store.RequestSummary
	Facts                matching.RequestFacts    `json:"facts"`
	NextStates           []matching.RequestStatus `json:"next_states"`
	Feedback             matching.FeedbackState   `json:"feedback"`
	Time                 *matching.TimeSummary    `json:"time,omitempty"`
	AvailabilityExpiring *int                     `json:"availability_expiring,omitempty"`
	AvailabilityExpired  *int                     `json:"availability_expired,omitempty"`
	History              []matching.StatusChange  `json:"history"`
}

// requestView reads the view of a request for the principal.
func (s *Server) requestView(c echo.Context, id int64) (RequestView, error) {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	sum, err := s.store.RequestSummaryOf(ctx, id)
	if err != nil {
		return RequestView{}, err
	}
	facts, err := s.store.RequestFacts(ctx, id)
	if err != nil {
		return RequestView{}, err
	}
	badges, err := s.store.RequestBadges(ctx, []matching.Request{sum.Request})
	if err != nil {
		return RequestView{}, err
	}
	h, err := s.store.RequestHistory(ctx, id)
	if err != nil {
		return RequestView{}, err
	}
	b := badges[id]
	next := matching.NextStates(&sum.Request, p.Role)
	if next == nil {
		next = []matching.RequestStatus{}
	}
	v := RequestView{RequestSummary: sum, Facts: facts, NextStates: next, Feedback: b.Feedback, History: h}
	if p.Role == matching.RoleEmployer {
		// The hours are the service's working figures, not the employer's.
		v.Facts.Minutes = nil
	} else {
		v.Time, v.AvailabilityExpiring, v.AvailabilityExpired = b.Time, &b.AvailabilityExpiring, &b.AvailabilityExpired
	}
	return v, nil
}

// request returns a request's view.
func (s *Server) request(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	v, err := s.requestView(c, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// RequestInput is the body of POST /api/v1/requests.
type RequestInput struct {
	VacancyID int64 `json:"vacancy_id"`
	// ProviderID is the employer's choice of provider; an operator's
	// request is its own provider's.
	ProviderID int64 `json:"provider_id"`
	With4D     bool  `json:"with_4d"`
	// OperatorID is the operator assigned (an operator's request: by
	// default the one opening it).
	OperatorID *int64 `json:"operator_id"`
}

// createRequest opens a request for a vacancy: an operator for an employer
// its provider serves, an employer for its own vacancy with the provider
// it chooses (its assigned one when it does not say).
func (s *Server) createRequest(c echo.Context) error {
	var in RequestInput
	if err := bind(c, &in); err != nil {
		return err
	}
	r, err := s.openRequest(c, in)
	if err != nil {
		return err
	}
	v, err := s.requestView(c, r.ID)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/requests/"+strconv.FormatInt(r.ID, 10))
	return c.JSON(http.StatusCreated, v)
}

// openRequest opens a request as the caller (the core of POST
// /api/v1/requests and of the workbench's new-request form).
func (s *Server) openRequest(c echo.Context, in RequestInput) (matching.Request, error) {
	ctx := c.Request().Context()
	if in.VacancyID <= 0 {
		return matching.Request{}, matching.FieldErrorf("vacancy_id", "is required")
	}
	p := PrincipalFrom(ctx)
	employerID, err := s.store.VacancyEmployer(ctx, in.VacancyID)
	if matching.ErrorCode(err) == matching.ENOTFOUND {
		return matching.Request{}, matching.FieldErrorf("vacancy_id", "refers to a vacancy that does not exist")
	}
	if err != nil {
		return matching.Request{}, err
	}
	r := matching.Request{VacancyID: in.VacancyID, EmployerID: employerID, With4D: in.With4D}
	switch p.Role {
	case matching.RoleOperator:
		if in.ProviderID != 0 && in.ProviderID != p.ProviderID {
			return matching.Request{}, matching.FieldErrorf("provider_id", "an operator opens requests for its own provider")
		}
		ok, err := s.store.EmployerServedBy(ctx, employerID, p.ProviderID)
		if err != nil {
			return matching.Request{}, err
		}
		if !ok {
			return matching.Request{}, matching.FieldErrorf("vacancy_id", "is not a vacancy of an employer your provider serves")
		}
		r.ProviderID = p.ProviderID
		r.OperatorID = &p.UserID
		if in.OperatorID != nil {
			r.OperatorID = in.OperatorID
		}
	case matching.RoleEmployer:
		if employerID != p.EmployerID {
			return matching.Request{}, matching.FieldErrorf("vacancy_id", "is not a vacancy of your company")
		}
		if in.OperatorID != nil {
			return matching.Request{}, matching.FieldErrorf("operator_id", "the provider assigns its operator")
		}
		r.ProviderID = in.ProviderID
		if r.ProviderID == 0 {
			e, err := s.store.Employer(ctx, employerID)
			if err != nil {
				return matching.Request{}, err
			}
			if e.ProviderID == nil {
				return matching.Request{}, matching.FieldErrorf("provider_id", "is required: choose the employment service that handles the request")
			}
			r.ProviderID = *e.ProviderID
		}
	default:
		return matching.Request{}, matching.Errorf(matching.EFORBIDDEN, "your role (%s) may not open requests", p.Role)
	}
	err = s.store.OpenRequest(ctx, &r, actorOf(c))
	return r, err
}

// RequestQueue is a page of the request queue with the total matching the
// filter.
type RequestQueue struct {
	Items []store.QueueItem `json:"items"`
	Total int               `json:"total"`
}

// requests is the queue of requests: an operator's provider's, an
// employer's own, every provider's for the monitor; filtered by status,
// operator (mine=true: the caller's), open or closed, and the vacancy's
// title, a page at a time, each row with its badges.
func (s *Server) requests(c echo.Context) error {
	q, err := s.requestQueue(c, c.QueryParams())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, q)
}

// requestQueue reads the queue for the caller with the filter of params
// (the parameters of GET /api/v1/requests): the core of that route and of
// the workbench's queue.
func (s *Server) requestQueue(c echo.Context, params url.Values) (RequestQueue, error) {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	for name := range params {
		switch name {
		case "status", "operator_id", "mine", "state", "q", "provider_id", "limit", "offset":
		default:
			return RequestQueue{}, matching.FieldErrorf(name, "is not a parameter of this list")
		}
	}
	f := store.RequestFilter{Status: matching.RequestStatus(params.Get("status")), State: params.Get("state"),
		Text: params.Get("q")}
	var err error
	if f.OperatorID, err = paramInt(params, "operator_id", 1, 0); err != nil {
		return RequestQueue{}, err
	}
	if f.ProviderID, err = paramInt(params, "provider_id", 1, 0); err != nil {
		return RequestQueue{}, err
	}
	switch params.Get("mine") {
	case "", "false":
	case "true":
		if p.Role != matching.RoleOperator {
			return RequestQueue{}, matching.FieldErrorf("mine", "lists an operator's own requests")
		}
		if f.OperatorID != 0 && f.OperatorID != p.UserID {
			return RequestQueue{}, matching.FieldErrorf("mine", "contradicts operator_id")
		}
		f.OperatorID = p.UserID
	default:
		return RequestQueue{}, matching.FieldErrorf("mine", "must be true or false")
	}
	switch p.Role {
	case matching.RoleOperator:
		if f.ProviderID != 0 && f.ProviderID != p.ProviderID {
			return RequestQueue{}, matching.FieldErrorf("provider_id", "an operator lists its own provider's requests")
		}
		f.ProviderID = p.ProviderID
	case matching.RoleEmployer:
		if f.ProviderID != 0 {
			return RequestQueue{}, matching.FieldErrorf("provider_id", "an employer lists its own requests")
		}
		if f.OperatorID != 0 {
			return RequestQueue{}, matching.FieldErrorf("operator_id", "an employer lists its own requests")
		}
		f.EmployerID = p.EmployerID
	}
	limit, err := paramInt(params, "limit", 1, 500)
	if err != nil {
		return RequestQueue{}, err
	}
	offset, err := paramInt(params, "offset", 0, 0)
	if err != nil {
		return RequestQueue{}, err
	}
	f.Limit, f.Offset = int(limit), int(offset)
	items, total, err := s.store.RequestQueue(ctx, f)
	if err != nil {
		return RequestQueue{}, err
	}
	if p.Role == matching.RoleEmployer {
		// The hours and the candidates' availability are the service's
		// working figures, not the employer's.
		for i := range items {
			items[i].Badges.Time = nil
			items[i].Badges.AvailabilityExpiring, items[i].Badges.AvailabilityExpired = 0, 0
		}
	}
	return RequestQueue{Items: items, Total: total}, nil
}

// RequestPatchInput is the body of PATCH /api/v1/requests/:id; absent
// fields stay as they are.
type RequestPatchInput struct {
	OperatorID *int64 `json:"operator_id"`
	With4D     *bool  `json:"with_4d"`
}

// updateRequest assigns a request to an operator of its provider or says
// whether it includes the 4D phases.
func (s *Server) updateRequest(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	var in RequestPatchInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if _, err := s.store.UpdateRequest(c.Request().Context(), id, store.RequestPatch{OperatorID: in.OperatorID, With4D: in.With4D},
		actorOf(c)); err != nil {
		return err
	}
	return s.respondRequest(c, http.StatusOK, id)
}

func (s *Server) respondRequest(c echo.Context, status int, id int64) error {
	v, err := s.requestView(c, id)
	if err != nil {
		return err
	}
	return c.JSON(status, v)
}

// TransitionBody is the body of POST /api/v1/requests/:id/transitions.
type TransitionBody struct {
	To          matching.RequestStatus `json:"to"`
	Outcome     *matching.Outcome      `json:"outcome"`
	CloseReason matching.CloseReason   `json:"close_reason"`
	Note        string                 `json:"note"`
}

// transitionRequest moves a request along its life cycle as the caller's
// role may (an employer only withdraws it); an illegal move is 409.
func (s *Server) transitionRequest(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	var in TransitionBody
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.moveRequest(c, id, in); err != nil {
		return err
	}
	return s.respondRequest(c, http.StatusOK, id)
}

// moveRequest moves a request along its life cycle as the caller (the core
// of POST /api/v1/requests/:id/transitions and of the request page's
// buttons).
func (s *Server) moveRequest(c echo.Context, id int64, in TransitionBody) error {
	if in.To == "" {
		return matching.FieldErrorf("to", "is required")
	}
	if !slices.Contains(matching.RequestStatuses(), in.To) {
		return matching.FieldErrorf("to", "%q is not a request state", in.To)
	}
	ti := matching.TransitionInput{To: in.To, Outcome: in.Outcome, CloseReason: in.CloseReason, Note: strings.TrimSpace(in.Note)}
	_, err := s.store.TransitionRequest(c.Request().Context(), id, ti, actorOf(c))
	return err
}

// requestHistory returns a request's status history, oldest first.
func (s *Server) requestHistory(c echo.Context) error {
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	h, err := s.store.RequestHistory(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"history": h})
}
