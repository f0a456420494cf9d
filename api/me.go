package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/store"
)

// A jobseeker's own data: everything incontro holds about them as one JSON
// file (GET /api/v1/me/data), and the erasure of their account (DELETE
// /api/v1/me). The pages of /candidato/dati call the same cores.

// MyData is everything incontro holds about a jobseeker, as they may see it:
// the account with its sessions and API tokens, the CV with the consent,
// the self-applications, the availability questions with the answers, the
// pipeline entries about them (without the staff's notes) and who read the
// CV. Protected attributes are kept by the staff and are not in it.
type MyData struct {
	ExportedAt            time.Time                    `json:"exported_at"`
	Account               matching.User                `json:"account"`
	Sessions              []matching.Session           `json:"sessions"`
	APITokens             []matching.APIToken          `json:"api_tokens"`
	CV                    matching.Candidate           `json:"cv"`
	Consent               MyConsent                    `json:"consent"`
	Applications          []store.ApplicationRow       `json:"applications"`
	AvailabilityQuestions []store.AvailabilityQuestion `json:"availability_questions"`
	PipelineEntries       []store.CandidateEntry       `json:"pipeline_entries"`
	CVViews               []store.CVRead               `json:"cv_views"`
}

// MyConsent is what the jobseeker decided about their CV: whether operators
// may search it, and whether and how it may be presented to employers.
type MyConsent struct {
	Searchable   bool                  `json:"searchable"`
	Presentation matching.Presentation `json:"presentation"`
}

// cvViewsPage is how many reads of the CV the export loads at a time.
const cvViewsPage = 500

// myData serves GET /api/v1/me/data: the jobseeker's data as a file to
// download.
func (s *Server) myData(c echo.Context) error {
	data, err := s.collectMyData(c)
	if err != nil {
		return err
	}
	name := "incontro-dati-" + localDay(data.ExportedAt).Format(time.DateOnly) + ".json"
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSONPretty(http.StatusOK, data, "  ")
}

// collectMyData loads everything about the signed-in jobseeker, through the
// cores of the JSON routes that show each part: the CV as GET
// /api/v1/candidates/:id gives it to its owner, the questions, applications
// and reads as their own routes list them.
func (s *Server) collectMyData(c echo.Context) (MyData, error) {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	out := MyData{ExportedAt: s.now()}
	var err error
	if out.Account, err = s.store.User(ctx, p.UserID); err != nil {
		return out, err
	}
	if out.Sessions, err = s.store.UserSessions(ctx, p.UserID); err != nil {
		return out, err
	}
	if out.APITokens, err = s.store.APITokens(ctx, p.UserID); err != nil {
		return out, err
	}
	view, err := s.readCV(c, p, p.CandidateID, nil, "profile")
	if err != nil {
		return out, err
	}
	out.CV = view.Candidate
	out.Consent = MyConsent{Searchable: out.CV.Searchable, Presentation: out.CV.Presentation}
	if out.Applications, err = s.store.CandidateApplications(ctx, p.CandidateID); err != nil {
		return out, err
	}
	if out.AvailabilityQuestions, err = s.store.AvailabilityQuestions(ctx, p.CandidateID); err != nil {
		return out, err
	}
	if out.PipelineEntries, err = s.store.CandidateEntries(ctx, p.CandidateID); err != nil {
		return out, err
	}
	out.CVViews = []store.CVRead{}
	for {
		page, total, err := s.store.CVReads(ctx, p.CandidateID, cvViewsPage, len(out.CVViews))
		if err != nil {
			return out, err
		}
		out.CVViews = append(out.CVViews, page...)
		if len(page) == 0 || len(out.CVViews) >= total {
			break
		}
	}
	return out, nil
}

// EraseInput is the body of DELETE /api/v1/me: the account's password typed
// again, and the explicit confirmation.
type EraseInput struct {
	Password string `json:"password"`
	Confirm  bool   `json:"confirm"`
}

// eraseMe serves DELETE /api/v1/me: the jobseeker erases their account.
func (s *Server) eraseMe(c echo.Context) error {
	var in EraseInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.eraseOwnAccount(c, in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// eraseOwnAccount erases the signed-in jobseeker once they have typed their
// password again and confirmed: the account, its sessions and tokens, the
// CV (from PostgreSQL, and from the index through the outbox), as
// store.EraseCandidateAs does. The session's cookie is cleared.
func (s *Server) eraseOwnAccount(c echo.Context, in EraseInput) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	if in.Password == "" {
		return matching.FieldErrorf("password", "is required")
	}
	if !in.Confirm {
		return matching.FieldErrorf("confirm", "must be ticked to erase the account")
	}
	u, err := s.store.User(ctx, p.UserID)
	if err != nil {
		return err
	}
	if err := s.checkOwnPassword(c, u, in.Password, "password", "erasure_refused"); err != nil {
		return err
	}
	if err := s.store.EraseCandidateAs(ctx, p.CandidateID, actorOf(c)); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return nil
}
