package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"incontro/matching"
)

// blindName replaces the name of a candidate presented blind.
const blindName = "Candidato/a riservato/a"

// CandidateView is a CV as the caller may see it. Blind is set when the
// caller is an employer to whom the candidate was presented without name
// and contacts, which are then left out.
type CandidateView struct {
	matching.Candidate
	Blind bool `json:"blind,omitempty"`
}

// candidate returns a CV. The route's policy has decided that the caller
// may see it; every read by someone other than the candidate is written to
// the audit log before the CV is sent, and the read fails if it cannot be.
func (s *Server) candidate(c echo.Context) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	id, err := pathID(c, "id", "candidate")
	if err != nil {
		return err
	}
	cand, err := s.store.Candidate(ctx, id)
	if err != nil {
		return err
	}
	view := CandidateView{Candidate: cand}
	detail := map[string]any{}
	if p.Role == matching.RoleEmployer {
		mode, presented, err := s.store.PresentedMode(ctx, id, p.EmployerID)
		if err != nil {
			return err
		}
		if !presented {
			// The presentation was withdrawn since the policy looked.
			return notFound("candidate")
		}
		// A candidate who now asks to be presented blind is masked even
		// where an earlier shortlist named them.
		if mode == string(matching.PresentBlind) || cand.Presentation == matching.PresentBlind {
			maskCandidate(&view)
		}
		detail["mode"] = mode
		detail["blind"] = view.Blind
	}
	if p.Role != matching.RoleJobseeker || p.CandidateID != id {
		ev := &matching.AuditEvent{Action: "cv_read", ObjectType: "candidate", ObjectID: &id, CandidateID: &id,
			Detail: jsonDetail(detail)}
		if err := s.recordAudit(c, ev); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, view)
}

// maskCandidate removes what identifies a candidate presented blind: name
// and contacts.
func maskCandidate(v *CandidateView) {
	v.GivenName, v.FamilyName, v.Email, v.Phone = blindName, "", "", ""
	v.Blind = true
}

// employer returns an employer's record.
func (s *Server) employer(c echo.Context) error {
	id, err := pathID(c, "id", "employer")
	if err != nil {
		return err
	}
	e, err := s.store.Employer(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, e)
}

// RequestView is a 4C/4D request with its status history, oldest first.
type RequestView struct {
	matching.Request
	History []matching.StatusChange `json:"history"`
}

// request returns a request and its status history.
func (s *Server) request(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "request")
	if err != nil {
		return err
	}
	r, err := s.store.Request(ctx, id)
	if err != nil {
		return err
	}
	h, err := s.store.RequestHistory(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, RequestView{Request: r, History: h})
}

// updateCandidate replaces a CV: the jobseeker edits their own, an operator
// may edit one on a jobseeker's behalf (intake at the job centre). The
// change reaches the search index through the outbox. An edit by anyone but
// the candidate is audited.
func (s *Server) updateCandidate(c echo.Context) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	id, err := pathID(c, "id", "candidate")
	if err != nil {
		return err
	}
	var in matching.Candidate
	if err := bind(c, &in); err != nil {
		return err
	}
	current, err := s.store.Candidate(ctx, id)
	if err != nil {
		return err
	}
	in.ID, in.CreatedAt = id, current.CreatedAt
	if p.Role != matching.RoleJobseeker {
		// Whether the CV may be searched and presented is the jobseeker's
		// decision alone.
		if in.Searchable != current.Searchable {
			return &matching.Error{Code: matching.EINVALID, Field: "searchable", Message: "only the jobseeker decides whether the CV may be searched"}
		}
		if in.Presentation != current.Presentation {
			return &matching.Error{Code: matching.EINVALID, Field: "presentation", Message: "only the jobseeker decides whether and how the CV may be presented"}
		}
	}
	var ev *matching.AuditEvent
	if p.Role != matching.RoleJobseeker {
		ev = &matching.AuditEvent{Action: "cv_updated", ObjectType: "candidate", ObjectID: &id, CandidateID: &id,
			UserID: &p.UserID, Role: p.Role, IP: clientIP(c), At: s.now()}
	}
	if err := s.store.UpdateCandidateAudited(ctx, &in, ev); err != nil {
		return err
	}
	updated, err := s.store.Candidate(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, CandidateView{Candidate: updated})
}
