package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"incontro/matching"
)

const applicationColumns = `id, vacancy_id, candidate_id, message, status, reason, verified_by, verified_at, created_at`

// CreateApplication validates and inserts a self-application as given
// (status submitted unless set): the seed's and the fixtures' way in; a
// jobseeker applies with Apply. A second application by the same candidate
// to the same vacancy is ECONFLICT on candidate_id.
func (s *DB) CreateApplication(ctx context.Context, a *matching.Application) error {
	if a.CandidateID == nil {
		return matching.FieldErrorf("candidate_id", "is required")
	}
	if a.Status == "" {
		a.Status = matching.ApplicationSubmitted
	}
	if a.VerifiedAt != nil {
		t := dbTime(*a.VerifiedAt)
		a.VerifiedAt = &t
	}
	if err := a.Validate(); err != nil {
		return err
	}
	a.CreatedAt = s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return insertApplication(ctx, tx, a) })
}

func insertApplication(ctx context.Context, tx *sqlx.Tx, a *matching.Application) error {
	return tx.QueryRowxContext(ctx, `
		INSERT INTO applications (vacancy_id, candidate_id, message, status, reason, verified_by, verified_at,
			created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		a.VacancyID, a.CandidateID, a.Message, a.Status, a.Reason, a.VerifiedBy, a.VerifiedAt,
		a.CreatedAt).Scan(&a.ID)
}

// Apply records a jobseeker's self-application to a vacancy, which must
// take applications on day asOf (matching.CheckApply). If the vacancy has
// an open request, the candidate enters its pipeline with the application
// as their source, or, when already there, the application is linked to
// their entry; all in one transaction with an audit event.
func (s *DB) Apply(ctx context.Context, vacancyID, candidateID int64, message string, asOf time.Time, a Actor) (matching.Application, error) {
	app := matching.Application{VacancyID: vacancyID, CandidateID: &candidateID, Message: strings.TrimSpace(message),
		Status: matching.ApplicationSubmitted}
	if err := app.Validate(); err != nil {
		return app, err
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		// The vacancy first, shared: a request opened at the same time for
		// it waits, and then finds this application to bring in.
		var v matching.Vacancy
		err := tx.QueryRowxContext(ctx, `SELECT id, status, closes_on FROM vacancies WHERE id = $1 FOR SHARE`, vacancyID).
			Scan(&v.ID, &v.Status, &v.ClosesOn)
		if err != nil {
			return mapNotFound(err, "vacancy", vacancyID)
		}
		if err := matching.CheckApply(&v, asOf); err != nil {
			return err
		}
		var applied bool
		if err := tx.QueryRowxContext(ctx, `SELECT EXISTS (SELECT 1 FROM applications WHERE vacancy_id = $1 AND candidate_id = $2)`,
			vacancyID, candidateID).Scan(&applied); err != nil {
			return err
		}
		if applied {
			return &matching.Error{Code: matching.ECONFLICT, Field: "vacancy_id", Message: fmt.Sprintf("you already applied to vacancy %d", vacancyID)}
		}
		var requestID int64
		err = tx.QueryRowxContext(ctx, `SELECT id FROM requests WHERE vacancy_id = $1 AND status <> 'closed'`, vacancyID).Scan(&requestID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var r matching.Request
		if requestID != 0 {
			if r, err = lockedRequest(ctx, tx, requestID); err != nil {
				return err
			}
		}
		app.CreatedAt = s.now()
		if err := insertApplication(ctx, tx, &app); err != nil {
			return err
		}
		detail := map[string]any{"vacancy_id": vacancyID}
		var rid *int64
		if requestID != 0 && r.Status != matching.StatusClosed {
			rid = &r.ID
			e, err := s.enterApplication(ctx, tx, &r, &app, a)
			if err != nil {
				return err
			}
			detail["entry_id"] = e.ID
		}
		return writeAudit(ctx, tx, a.event(app.CreatedAt, "application_submitted", "application", &app.ID, rid, &candidateID, detail))
	})
	return app, err
}

// enterApplication brings a self-application into the pipeline of an open
// request locked by the caller: a new entry from the application, or the
// candidate's existing entry linked to it.
func (s *DB) enterApplication(ctx context.Context, tx *sqlx.Tx, r *matching.Request, app *matching.Application, a Actor) (matching.PipelineEntry, error) {
	var e matching.PipelineEntry
	err := tx.GetContext(ctx, &e, `SELECT `+pipelineEntryColumns+` FROM pipeline_entries
		WHERE request_id = $1 AND candidate_id = $2 FOR UPDATE`, r.ID, *app.CandidateID)
	switch {
	case err == nil:
		if e.ApplicationID != nil {
			return e, nil
		}
		e.ApplicationID = &app.ID
		_, err := tx.ExecContext(ctx, `UPDATE pipeline_entries SET application_id = $2, updated_at = $3 WHERE id = $1`,
			e.ID, app.ID, s.now())
		return e, err
	case !errors.Is(err, sql.ErrNoRows):
		return e, err
	}
	if err := matching.CheckAddCandidate(r, matching.SourceSelfApplication); err != nil {
		return e, err
	}
	e = matching.PipelineEntry{RequestID: r.ID, CandidateID: app.CandidateID, Source: matching.SourceSelfApplication,
		ApplicationID: &app.ID, CreatedBy: a.by()}
	if err := s.insertEntry(ctx, tx, &e); err != nil {
		return e, err
	}
	return e, writeAudit(ctx, tx, a.event(e.CreatedAt, "pipeline_entry_added", "pipeline_entry", &e.ID, &r.ID, e.CandidateID,
		map[string]any{"source": e.Source, "application_id": app.ID}))
}

// attachApplications brings the self-applications already sent to the
// vacancy of a request just opened into its pipeline.
func (s *DB) attachApplications(ctx context.Context, tx *sqlx.Tx, r *matching.Request, a Actor) error {
	apps := []matching.Application{}
	if err := tx.SelectContext(ctx, &apps, `SELECT `+applicationColumns+` FROM applications
		WHERE vacancy_id = $1 AND status IN ('submitted', 'verified') AND candidate_id IS NOT NULL ORDER BY created_at, id`,
		r.VacancyID); err != nil {
		return err
	}
	for i := range apps {
		if _, err := s.enterApplication(ctx, tx, r, &apps[i], a); err != nil {
			return err
		}
	}
	return nil
}

// Application returns the self-application with the given id.
func (s *DB) Application(ctx context.Context, id int64) (matching.Application, error) {
	var a matching.Application
	err := s.db.GetContext(ctx, &a, `SELECT `+applicationColumns+` FROM applications WHERE id = $1`, id)
	if err != nil {
		return a, mapNotFound(err, "application", id)
	}
	return a, nil
}

// ApplicationFilter selects self-applications in a list; zero fields do not
// filter.
type ApplicationFilter struct {
	VacancyID   int64
	CandidateID int64
	Status      matching.ApplicationStatus
	Limit       int
	Offset      int
}

// Applications lists self-applications, newest first, with the total
// matching the filter.
func (s *DB) Applications(ctx context.Context, f ApplicationFilter) ([]matching.Application, int, error) {
	limit, offset := listPage(f.Limit, f.Offset)
	rows := []struct {
		matching.Application
		Total int `db:"total"`
	}{}
	err := s.db.SelectContext(ctx, &rows, `
		SELECT `+applicationColumns+`, COUNT(*) OVER () AS total FROM applications
		WHERE ($1::bigint = 0 OR vacancy_id = $1) AND ($2::bigint = 0 OR candidate_id = $2)
			AND ($3::text = '' OR status = $3)
		ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5`,
		f.VacancyID, f.CandidateID, string(f.Status), limit, offset)
	if err != nil {
		return nil, 0, mapError(err)
	}
	out := make([]matching.Application, len(rows))
	total := 0
	for i, r := range rows {
		out[i], total = r.Application, r.Total
	}
	return out, total, nil
}

// lockedApplication locks the open request of an application's vacancy, if
// there is one, and then the application.
func lockedApplication(ctx context.Context, tx *sqlx.Tx, id int64) (matching.Application, *matching.Request, error) {
	var app matching.Application
	var requestID sql.NullInt64
	err := tx.QueryRowxContext(ctx, `SELECT r.id FROM applications a LEFT JOIN requests r ON r.vacancy_id = a.vacancy_id
		WHERE a.id = $1`, id).Scan(&requestID)
	if err != nil {
		return app, nil, mapNotFound(err, "application", id)
	}
	var r *matching.Request
	if requestID.Valid {
		req, err := lockedRequest(ctx, tx, requestID.Int64)
		if err != nil {
			return app, nil, err
		}
		r = &req
	}
	if err := tx.GetContext(ctx, &app, `SELECT `+applicationColumns+` FROM applications WHERE id = $1 FOR UPDATE`, id); err != nil {
		return app, nil, mapNotFound(err, "application", id)
	}
	return app, r, nil
}

// applicationEntry returns, locked, the pipeline entry an application
// entered with, and whether there is one.
func applicationEntry(ctx context.Context, tx *sqlx.Tx, applicationID int64) (matching.PipelineEntry, bool, error) {
	var e matching.PipelineEntry
	err := tx.GetContext(ctx, &e, `SELECT `+pipelineEntryColumns+` FROM pipeline_entries WHERE application_id = $1 FOR UPDATE`,
		applicationID)
	if errors.Is(err, sql.ErrNoRows) {
		return e, false, nil
	}
	return e, err == nil, err
}

// WithdrawApplication withdraws a jobseeker's self-application while it is
// submitted or verified; the candidate also withdraws from the pipeline of
// the vacancy's open request, where the stages allow it. Audited.
func (s *DB) WithdrawApplication(ctx context.Context, id int64, a Actor) (matching.Application, error) {
	var out matching.Application
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		app, r, err := lockedApplication(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := matching.CheckWithdrawApplication(&app); err != nil {
			return err
		}
		if err := s.withdrawApplication(ctx, tx, id, "", a); err != nil {
			return err
		}
		if r != nil && matching.CheckPipelineOpen(r) == nil {
			e, ok, err := applicationEntry(ctx, tx, id)
			if err != nil {
				return err
			}
			if ok && matching.CheckStageMove(e.Stage, matching.StageWithdrew) == nil {
				if err := s.moveStage(ctx, tx, &e, matching.StageWithdrew, "", "application withdrawn", nil, a); err != nil {
					return err
				}
			}
		}
		return tx.GetContext(ctx, &out, `SELECT `+applicationColumns+` FROM applications WHERE id = $1`, id)
	})
	return out, err
}

// withdrawApplication marks an application locked by the caller withdrawn
// if it still may be, with an audit event.
func (s *DB) withdrawApplication(ctx context.Context, tx *sqlx.Tx, id int64, note string, a Actor) error {
	var app matching.Application
	if err := tx.GetContext(ctx, &app, `SELECT `+applicationColumns+` FROM applications WHERE id = $1 FOR UPDATE`, id); err != nil {
		return mapNotFound(err, "application", id)
	}
	if matching.CheckWithdrawApplication(&app) != nil {
		return nil
	}
	now := s.now()
	if _, err := tx.ExecContext(ctx, `UPDATE applications SET status = 'withdrawn' WHERE id = $1`, id); err != nil {
		return err
	}
	detail := map[string]any{"from": app.Status}
	if note != "" {
		detail["note"] = note
	}
	return writeAudit(ctx, tx, a.event(now, "application_withdrawn", "application", &id, nil, app.CandidateID, detail))
}

// VerifyApplication records an operator's verification of a
// self-application in the pipeline of the vacancy's open request: verified,
// or not fitting with a rejection reason code, which rejects the candidate
// in the pipeline with that reason. Checked by
// matching.CheckVerifyApplication and audited in the same transaction.
func (s *DB) VerifyApplication(ctx context.Context, id int64, result matching.ApplicationStatus, reason, note string, a Actor) (matching.Application, error) {
	var out matching.Application
	if err := checkNote(note); err != nil {
		return out, err
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		app, r, err := lockedApplication(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := matching.CheckVerifyApplication(&app, result, reason); err != nil {
			return err
		}
		if r == nil {
			return &matching.Error{Code: matching.ECONFLICT, Field: "status", Message: fmt.Sprintf(
				"vacancy %d has no request yet: an application is verified in the request's pipeline", app.VacancyID)}
		}
		if err := matching.CheckPipelineOpen(r); err != nil {
			return err
		}
		e, ok, err := applicationEntry(ctx, tx, id)
		if err != nil {
			return err
		}
		if !ok {
			return &matching.Error{Code: matching.ECONFLICT, Field: "status", Message: fmt.Sprintf(
				"application %d is not in the pipeline of request %d", id, r.ID)}
		}
		now := s.now()
		if err := tx.GetContext(ctx, &out, `UPDATE applications SET status = $2, reason = $3, verified_by = $4, verified_at = $5
			WHERE id = $1 RETURNING `+applicationColumns, id, result, reason, a.by(), now); err != nil {
			return err
		}
		if result == matching.ApplicationNotFitting {
			if err := s.moveStage(ctx, tx, &e, matching.StageRejected, reason, note, nil, a); err != nil {
				return err
			}
		}
		detail := map[string]any{"result": result, "entry_id": e.ID, "stage": e.Stage}
		if reason != "" {
			detail["reason"] = reason
		}
		if note != "" {
			detail["note"] = note
		}
		return writeAudit(ctx, tx, a.event(now, "application_verified", "application", &id, &r.ID, app.CandidateID, detail))
	})
	return out, err
}

// ApplicationRow is a self-application in a list, with its vacancy and
// where the candidate stands in the pipeline.
type ApplicationRow struct {
	matching.Application
	VacancyTitle string `json:"vacancy_title" db:"vacancy_title"`
	// DisplayName is the applicant's name (in the operator's list).
	DisplayName string          `json:"display_name,omitempty" db:"display_name"`
	Headline    string          `json:"headline,omitempty" db:"headline"`
	RequestID   *int64          `json:"request_id,omitempty" db:"request_id"`
	EntryID     *int64          `json:"entry_id,omitempty" db:"entry_id"`
	Stage       *matching.Stage `json:"stage,omitempty" db:"stage"`
}

const applicationRowSelect = `
	SELECT a.id, a.vacancy_id, a.candidate_id, a.message, a.status, a.reason, a.verified_by, a.verified_at, a.created_at,
		v.title AS vacancy_title, p.request_id, p.id AS entry_id, p.stage`

// RequestApplications returns the self-applications to a request's
// vacancy, oldest first, with each applicant's name and pipeline stage.
func (s *DB) RequestApplications(ctx context.Context, requestID int64) ([]ApplicationRow, error) {
	out := []ApplicationRow{}
	err := s.db.SelectContext(ctx, &out, applicationRowSelect+`,
			COALESCE(c.given_name || ' ' || c.family_name, '') AS display_name, COALESCE(c.headline, '') AS headline
		FROM requests r JOIN applications a ON a.vacancy_id = r.vacancy_id JOIN vacancies v ON v.id = a.vacancy_id
			LEFT JOIN candidates c ON c.id = a.candidate_id LEFT JOIN pipeline_entries p ON p.application_id = a.id
		WHERE r.id = $1 ORDER BY a.created_at, a.id`, requestID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// CandidateApplications returns a jobseeker's self-applications, newest
// first, with the vacancy's title and their pipeline stage.
func (s *DB) CandidateApplications(ctx context.Context, candidateID int64) ([]ApplicationRow, error) {
	out := []ApplicationRow{}
	err := s.db.SelectContext(ctx, &out, applicationRowSelect+`
		FROM applications a JOIN vacancies v ON v.id = a.vacancy_id LEFT JOIN pipeline_entries p ON p.application_id = a.id
		WHERE a.candidate_id = $1 ORDER BY a.created_at DESC, a.id DESC`, candidateID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}
