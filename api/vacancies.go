package api

import (
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"incontro/matching"
)

// VacancyView is a vacancy with the weights its requirements' ranks give
// them, as the operator sees them while ranking.
type VacancyView struct {
	matching.Vacancy
	Weights   []matching.RequirementWeight `json:"weights"`
	Weighting matching.Weighting           `json:"weighting"`
}

func (s *Server) vacancyView(v matching.Vacancy) (VacancyView, error) {
	sc, err := matching.NewScorer(&v, matching.DefaultScoreParams(localDay(s.now())))
	if err != nil {
		return VacancyView{}, err
	}
	return VacancyView{Vacancy: v, Weights: sc.Weights(), Weighting: matching.WeightingROC}, nil
}

// respondVacancy answers with a vacancy as the store has it now, with its
// weights and findings.
func (s *Server) respondVacancy(c echo.Context, status int, id int64) error {
	v, err := s.store.Vacancy(c.Request().Context(), id)
	if err != nil {
		return err
	}
	view, err := s.vacancyView(v)
	if err != nil {
		return err
	}
	return c.JSON(status, view)
}

// AdCheckInput is the text of a job ad to check.
type AdCheckInput struct {
	Title        string `json:"title" form:"title"`
	Description  string `json:"description" form:"description"`
	ContractType string `json:"contract_type" form:"contract_type"`
}

// checkAd runs the job-ad wording check on a text without saving anything.
func (s *Server) checkAd(c echo.Context) error {
	var in AdCheckInput
	if err := bind(c, &in); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(in.Title) == "" && strings.TrimSpace(in.Description) == "":
		return matching.FieldErrorf("description", "is required (or a title)")
	case utf8.RuneCountInString(in.Title) > 200:
		return matching.FieldErrorf("title", "must be at most 200 characters")
	case utf8.RuneCountInString(in.Description) > 10000:
		return matching.FieldErrorf("description", "must be at most 10000 characters")
	case in.ContractType != "" && !matching.IsContractType(in.ContractType):
		return matching.FieldErrorf("contract_type", "%q is not a contract type", in.ContractType)
	}
	found := matching.CheckAd(in.Title+"\n"+in.Description, in.ContractType)
	if found == nil {
		found = []matching.AdFinding{}
	}
	return c.JSON(http.StatusOK, map[string]any{"findings": found})
}

// vacancy returns a vacancy with its requirements, weights and wording
// findings.
func (s *Server) vacancy(c echo.Context) error {
	id, err := pathID(c, "id", "vacancy")
	if err != nil {
		return err
	}
	return s.respondVacancy(c, http.StatusOK, id)
}

// VacancyInput is what an employer or an operator writes of a vacancy; the
// state changes (publication, closing) have their own routes.
type VacancyInput struct {
	EmployerID       int64                  `json:"employer_id"`
	Title            string                 `json:"title"`
	Description      string                 `json:"description"`
	OccupationCode   string                 `json:"occupation_code"`
	ISCOCode         string                 `json:"isco_code"`
	MunicipalityCode string                 `json:"municipality_code"`
	ContractType     string                 `json:"contract_type"`
	WorkingTime      []string               `json:"working_time"`
	WeeklyHours      *int                   `json:"weekly_hours"`
	Positions        int                    `json:"positions"`
	ClosesOn         *matching.Date         `json:"closes_on"`
	Requirements     []matching.Requirement `json:"requirements"`
}

func (in *VacancyInput) apply(v *matching.Vacancy) {
	v.Title, v.Description, v.OccupationCode, v.ISCOCode = in.Title, in.Description, in.OccupationCode, in.ISCOCode
	v.MunicipalityCode, v.ContractType, v.WorkingTime, v.WeeklyHours = in.MunicipalityCode, in.ContractType, in.WorkingTime, in.WeeklyHours
	v.Positions, v.ClosesOn, v.Requirements = in.Positions, in.ClosesOn, in.Requirements
}

// createVacancy saves a new draft vacancy. An employer writes for its own
// company; an operator for an employer its provider serves. The wording
// check runs on save and its findings come back with the vacancy.
func (s *Server) createVacancy(c echo.Context) error {
	var in VacancyInput
	if err := bind(c, &in); err != nil {
		return err
	}
	v, err := s.newVacancy(c, in)
	if err != nil {
		return err
	}
	return s.respondVacancy(c, http.StatusCreated, v.ID)
}

// newVacancy saves a new draft vacancy as the caller: the core of POST
// /api/v1/vacancies and of the employer's vacancy form.
func (s *Server) newVacancy(c echo.Context, in VacancyInput) (matching.Vacancy, error) {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	switch p.Role {
	case matching.RoleEmployer:
		if in.EmployerID != 0 && in.EmployerID != p.EmployerID {
			return matching.Vacancy{}, matching.FieldErrorf("employer_id", "an employer writes vacancies for its own company only")
		}
		in.EmployerID = p.EmployerID
	case matching.RoleOperator:
		if in.EmployerID <= 0 {
			return matching.Vacancy{}, matching.FieldErrorf("employer_id", "is required")
		}
		ok, err := s.store.EmployerServedBy(ctx, in.EmployerID, p.ProviderID)
		if err != nil {
			return matching.Vacancy{}, err
		}
		if !ok {
			return matching.Vacancy{}, matching.FieldErrorf("employer_id", "is not an employer your provider serves")
		}
	}
	v := matching.Vacancy{EmployerID: in.EmployerID, Status: matching.VacancyDraft, CreatedBy: &p.UserID}
	in.apply(&v)
	err := s.store.CreateVacancy(ctx, &v)
	return v, err
}

// updateVacancy saves a vacancy's text and requirements (in rank order).
// The employer it belongs to and its state do not change here. A published
// vacancy whose new text is flagged is refused until an operator justifies
// it.
func (s *Server) updateVacancy(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id", "vacancy")
	if err != nil {
		return err
	}
	var in VacancyInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.saveVacancy(ctx, id, in); err != nil {
		return err
	}
	return s.respondVacancy(c, http.StatusOK, id)
}

// saveVacancy writes a vacancy's text and requirements: the core of PUT
// /api/v1/vacancies/:id and of the workbench's requirements editor.
func (s *Server) saveVacancy(ctx context.Context, id int64, in VacancyInput) error {
	v, err := s.store.Vacancy(ctx, id)
	if err != nil {
		return err
	}
	if in.EmployerID != 0 && in.EmployerID != v.EmployerID {
		return matching.FieldErrorf("employer_id", "cannot change: a vacancy stays with its employer")
	}
	if v.Status == matching.VacancyClosed {
		return matching.Errorf(matching.ECONFLICT, "vacancy %d is closed", id)
	}
	in.apply(&v)
	return s.store.UpdateVacancy(ctx, &v)
}

// vacancyInputOf is what a vacancy as stored says of itself, for an edit
// that changes part of it.
func vacancyInputOf(v matching.Vacancy) VacancyInput {
	return VacancyInput{EmployerID: v.EmployerID, Title: v.Title, Description: v.Description, OccupationCode: v.OccupationCode,
		ISCOCode: v.ISCOCode, MunicipalityCode: v.MunicipalityCode, ContractType: v.ContractType, WorkingTime: v.WorkingTime,
		WeeklyHours: v.WeeklyHours, Positions: v.Positions, ClosesOn: v.ClosesOn, Requirements: v.Requirements}
}

// PublishInput carries the operator's justification for publishing an ad
// the wording check flags.
type PublishInput struct {
	Justification string `json:"justification" form:"justification"`
}

// publishVacancy publishes a draft. A flagged text needs an operator's
// written justification, stored on the findings and in the audit log; an
// employer cannot give one.
func (s *Server) publishVacancy(c echo.Context) error {
	id, err := pathID(c, "id", "vacancy")
	if err != nil {
		return err
	}
	var in PublishInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.publish(c, id, in.Justification); err != nil {
		return err
	}
	return s.respondVacancy(c, http.StatusOK, id)
}

// publish publishes a draft vacancy as the caller: the core of POST
// /api/v1/vacancies/:id/publish and of the employer's vacancy form.
func (s *Server) publish(c echo.Context, id int64, justification string) error {
	ctx := c.Request().Context()
	p := PrincipalFrom(ctx)
	if strings.TrimSpace(justification) != "" && p.Role != matching.RoleOperator {
		return &matching.Error{Code: matching.EFORBIDDEN, Field: "justification",
			Message: "only an operator may justify the wording of an ad; change the text or ask your employment centre"}
	}
	ev := &matching.AuditEvent{UserID: &p.UserID, Role: p.Role, IP: clientIP(c)}
	return s.store.PublishVacancy(ctx, id, justification, &p.UserID, ev)
}
