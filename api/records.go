package api

import (
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

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
	p := PrincipalFrom(c.Request().Context())
	id, err := pathID(c, "id", "candidate")
	if err != nil {
		return err
	}
	requestID, purpose, err := s.readPurpose(c, p)
	if err != nil {
		return err
	}
	view, err := s.readCV(c, p, id, requestID, purpose)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, view)
}

// readCV is a read of a CV by the JSON route and by the candidate page:
// the CV as the caller may see it, the read written to the audit log (with
// the request it is for and its purpose) before the CV is returned.
func (s *Server) readCV(c echo.Context, p *matching.Principal, id int64, requestID *int64, purpose string) (CandidateView, error) {
	ctx := c.Request().Context()
	cand, err := s.store.Candidate(ctx, id)
	if err != nil {
		return CandidateView{}, err
	}
	view := CandidateView{Candidate: cand}
	detail := map[string]any{"purpose": purpose}
	if p.Role == matching.RoleEmployer {
		mode, presented, err := s.store.PresentedMode(ctx, id, p.EmployerID)
		if err != nil {
			return CandidateView{}, err
		}
		if !presented {
			// The presentation was withdrawn since the policy looked.
			return CandidateView{}, notFound("candidate")
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
			RequestID: requestID, Detail: jsonDetail(detail)}
		if err := s.recordAudit(c, ev); err != nil {
			return CandidateView{}, err
		}
	}
	return view, nil
}

// readPurpose reads why a CV is read: the request it is read for
// (?request_id=, one the caller may see) and a purpose (?purpose=, by
// default "request" with a request and "profile" without).
func (s *Server) readPurpose(c echo.Context, p *matching.Principal) (*int64, string, error) {
	purpose := strings.TrimSpace(c.QueryParam("purpose"))
	if utf8.RuneCountInString(purpose) > 100 {
		return nil, "", matching.FieldErrorf("purpose", "must be at most 100 characters")
	}
	rid, err := queryInt(c, "request_id", 1, 0)
	if err != nil {
		return nil, "", err
	}
	return s.purposeOf(c.Request().Context(), p, "request_id", rid, purpose)
}

// purposeOf checks the request a CV is read for (0: none), which must be
// one the caller may see (an error names field), and gives the purpose its
// default: "request" with a request, "profile" without.
func (s *Server) purposeOf(ctx context.Context, p *matching.Principal, field string, rid int64, purpose string) (*int64, string, error) {
	if rid == 0 {
		if purpose == "" {
			purpose = "profile"
		}
		return nil, purpose, nil
	}
	r, err := s.store.Request(ctx, rid)
	if matching.ErrorCode(err) == matching.ENOTFOUND ||
		(err == nil && ((p.Role == matching.RoleOperator && r.ProviderID != p.ProviderID) ||
			(p.Role == matching.RoleEmployer && r.EmployerID != p.EmployerID) || p.Role == matching.RoleJobseeker)) {
		return nil, "", matching.FieldErrorf(field, "is not a request of yours")
	}
	if err != nil {
		return nil, "", err
	}
	if purpose == "" {
		purpose = "request"
	}
	return &rid, purpose, nil
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

// updateCandidate replaces a CV: the jobseeker edits their own, an operator
// may edit one on a jobseeker's behalf (intake at the job centre). The
// change reaches the search index through the outbox. An edit by anyone but
// the candidate is audited.
func (s *Server) updateCandidate(c echo.Context) error {
	id, err := pathID(c, "id", "candidate")
	if err != nil {
		return err
	}
	var in matching.Candidate
	if err := bind(c, &in); err != nil {
		return err
	}
	updated, err := s.saveCandidate(c, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, CandidateView{Candidate: updated})
}

// saveCandidate is the core of PUT /api/v1/candidates/:id, which the
// jobseeker's CV and consent pages share: the whole candidate replaced
// (validated by the store, with the outbox row that updates the index),
// consent left to the jobseeker alone, an edit by anyone else audited. It
// returns the candidate as stored.
func (s *Server) saveCandidate(c echo.Context, id int64, in matching.Candidate) (matching.Candidate, error) {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	current, err := s.store.Candidate(ctx, id)
	if err != nil {
		return matching.Candidate{}, err
	}
	in.ID, in.CreatedAt = id, current.CreatedAt
	if p.Role != matching.RoleJobseeker {
		// Whether the CV may be searched and presented is the jobseeker's
		// decision alone.
		if in.Searchable != current.Searchable {
			return matching.Candidate{}, &matching.Error{Code: matching.EINVALID, Field: "searchable", Message: "only the jobseeker decides whether the CV may be searched"}
		}
		if in.Presentation != current.Presentation {
			return matching.Candidate{}, &matching.Error{Code: matching.EINVALID, Field: "presentation", Message: "only the jobseeker decides whether and how the CV may be presented"}
		}
	}
	var ev *matching.AuditEvent
	if p.Role != matching.RoleJobseeker {
		ev = &matching.AuditEvent{Action: "cv_updated", ObjectType: "candidate", ObjectID: &id, CandidateID: &id,
			UserID: &p.UserID, Role: p.Role, IP: clientIP(c), At: s.now()}
	}
	if err := s.store.UpdateCandidateAudited(ctx, &in, ev); err != nil {
		return matching.Candidate{}, err
	}
	return s.store.Candidate(ctx, id)
}
