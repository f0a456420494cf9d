package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"incontro/matching"
)

const requestColumns = `id, provider_id, employer_id, vacancy_id, operator_id, status, outcome, close_reason, with_4d,
	opened_at, closed_at, created_by, updated_at`

// CreateRequest validates and inserts a request (status intake unless set)
// together with the first row of its status history. The vacancy must be
// the employer's.
func (s *DB) CreateRequest(ctx context.Context, r *matching.Request) error {
	if err := s.prepareRequest(r); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return createRequest(ctx, tx, r) })
}

// prepareRequest fills a new request's defaults and validates it.
func (s *DB) prepareRequest(r *matching.Request) error {
	if r.Status == "" {
		r.Status = matching.StatusIntake
	}
	now := s.now()
	if r.OpenedAt.IsZero() {
		r.OpenedAt = now
	}
	r.OpenedAt = dbTime(r.OpenedAt)
	if r.ClosedAt != nil {
		t := dbTime(*r.ClosedAt)
		r.ClosedAt = &t
	}
	r.UpdatedAt = now
	if err := r.Validate(); err != nil {
		return err
	}
	// Validate, like the table's CHECK, lets an open request carry an outcome
	// or a closing time as long as it does not carry both.
	if r.Status != matching.StatusClosed && r.Outcome != nil {
		return matching.FieldErrorf("outcome", "is set only when the request is closed")
	}
	if r.Status != matching.StatusClosed && r.ClosedAt != nil {
		return matching.FieldErrorf("closed_at", "is set only when the request is closed")
	}
	return nil
}

// createRequest inserts a prepared request and its first history row.
func createRequest(ctx context.Context, tx *sqlx.Tx, r *matching.Request) error {
	var employerID int64
	err := tx.QueryRowxContext(ctx, `SELECT employer_id FROM vacancies WHERE id = $1`, r.VacancyID).Scan(&employerID)
	if errors.Is(err, sql.ErrNoRows) {
		return matching.FieldErrorf("vacancy_id", "refers to a vacancy that does not exist")
	}
	if err != nil {
		return err
	}
	if employerID != r.EmployerID {
		return matching.FieldErrorf("vacancy_id", "vacancy %d belongs to another employer", r.VacancyID)
	}
	err = tx.QueryRowxContext(ctx, `
		INSERT INTO requests (provider_id, employer_id, vacancy_id, operator_id, status, outcome, close_reason, with_4d,
			opened_at, closed_at, created_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		r.ProviderID, r.EmployerID, r.VacancyID, r.OperatorID, r.Status, r.Outcome, r.CloseReason, r.With4D,
		r.OpenedAt, r.ClosedAt, r.CreatedBy, r.UpdatedAt).Scan(&r.ID)
	if err != nil {
		return err
	}
	return insertStatusChange(ctx, tx, r.ID, nil, r.Status, r.Outcome, "", r.OpenedAt, r.CreatedBy)
}

func insertStatusChange(ctx context.Context, tx *sqlx.Tx, requestID int64, from *matching.RequestStatus,
	to matching.RequestStatus, outcome *matching.Outcome, note string, at time.Time, by *int64) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO request_status_history (request_id, from_status, to_status, outcome, note, at, by_user)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, requestID, from, to, outcome, note, at, by)
	return err
}

// Request returns the request with the given id.
func (s *DB) Request(ctx context.Context, id int64) (matching.Request, error) {
	var r matching.Request
	err := s.db.GetContext(ctx, &r, `SELECT `+requestColumns+` FROM requests WHERE id = $1`, id)
	if err != nil {
		return r, mapNotFound(err, "request", id)
	}
	return r, nil
}

// RequestFilter selects requests in a list; zero fields do not filter.
type RequestFilter struct {
	ProviderID int64
	EmployerID int64
	OperatorID int64
	Status     matching.RequestStatus
	Limit      int
	Offset     int
}

// Requests lists requests, newest first, with the total matching the filter.
func (s *DB) Requests(ctx context.Context, f RequestFilter) ([]matching.Request, int, error) {
	limit, offset := listPage(f.Limit, f.Offset)
	rows := []struct {
		matching.Request
		Total int `db:"total"`
	}{}
	err := s.db.SelectContext(ctx, &rows, `
		SELECT `+requestColumns+`, COUNT(*) OVER () AS total FROM requests
		WHERE ($1::bigint = 0 OR provider_id = $1) AND ($2::bigint = 0 OR employer_id = $2)
			AND ($3::bigint = 0 OR operator_id = $3) AND ($4::text = '' OR status = $4)
		ORDER BY opened_at DESC, id DESC LIMIT $5 OFFSET $6`,
		f.ProviderID, f.EmployerID, f.OperatorID, string(f.Status), limit, offset)
	if err != nil {
		return nil, 0, mapError(err)
	}
	out := make([]matching.Request, len(rows))
	total := 0
	for i, r := range rows {
		out[i], total = r.Request, r.Total
	}
	return out, total, nil
}

// listPage returns the limit and offset of a list page: 100 rows unless a limit
// from 1 to 500 is asked for, from a non-negative offset.
func listPage(limit, offset int) (int, int) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return limit, max(offset, 0)
}

// validRequestStatus reports whether st is a request state.
func validRequestStatus(st matching.RequestStatus) bool {
	for _, x := range matching.RequestStatuses() {
		if x == st {
			return true
		}
	}
	return false
}

// checkNote checks the length of a free-text note on a change.
func checkNote(note string) error {
	if len([]rune(note)) > 2000 {
		return matching.FieldErrorf("note", "must be at most 2000 characters")
	}
	return nil
}

// RequestHistory returns the status changes of a request, oldest first.
func (s *DB) RequestHistory(ctx context.Context, id int64) ([]matching.StatusChange, error) {
	out := []matching.StatusChange{}
	err := s.db.SelectContext(ctx, &out, `
		SELECT id, from_status AS "from", to_status AS "to", outcome, close_reason, note, at, by_user AS "by"
		FROM request_status_history WHERE request_id = $1 ORDER BY at, id`, id)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// CreateMatchRun inserts a match run with its ranked results in one
// transaction. Results without a position are numbered in order from 1.
func (s *DB) CreateMatchRun(ctx context.Context, run *matching.MatchRun) error {
	if run.RequestID <= 0 {
		return matching.FieldErrorf("request_id", "is required")
	}
	if !json.Valid(run.Params) {
		return matching.FieldErrorf("params", "must be a JSON document")
	}
	if run.Recalled < 0 {
		return matching.FieldErrorf("recalled", "must not be negative")
	}
	if run.Results == nil {
		run.Results = []matching.MatchResult{}
	}
	n := len(run.Results)
	positions, candidates := make([]int64, n), make([]*int64, n)
	scores, nearMiss, explanations := make([]float64, n), make([]bool, n), make([]string, n)
	seen := make(map[int]bool, n)
	for i := range run.Results {
		r := &run.Results[i]
		if r.Position == 0 {
			r.Position = i + 1
		}
		f := fmt.Sprintf("results[%d].", i)
		if r.Position < 1 || seen[r.Position] {
			return matching.FieldErrorf(f+"position", "positions must be 1 or more, without repeats")
		}
		seen[r.Position] = true
		if !json.Valid(r.Explanation) {
			return matching.FieldErrorf(f+"explanation", "must be a JSON document")
		}
		positions[i], candidates[i] = int64(r.Position), r.CandidateID
		scores[i], nearMiss[i], explanations[i] = r.Score, r.NearMiss, string(r.Explanation)
	}
	run.CreatedAt = s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.QueryRowxContext(ctx, `
			INSERT INTO match_runs (request_id, params, recalled, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			run.RequestID, string(run.Params), run.Recalled, run.CreatedAt, run.CreatedBy).Scan(&run.ID)
		if err != nil || n == 0 {
			return err
		}
		// One statement for every result: the arrays are unnested in parallel.
		_, err = tx.ExecContext(ctx, `
			INSERT INTO match_results (run_id, position, candidate_id, score, near_miss, explanation)
			SELECT $1, r.position, r.candidate_id, r.score, r.near_miss, r.explanation
			FROM unnest($2::int[], $3::bigint[], $4::float8[], $5::bool[], $6::jsonb[])
				AS r (position, candidate_id, score, near_miss, explanation)`,
			run.ID, pq.Array(positions), pq.Array(candidates), pq.Array(scores), pq.Array(nearMiss),
			pq.Array(explanations))
		return fieldError(err, "results")
	})
}

const matchRunColumns = `id, request_id, params, recalled, created_at, created_by`

// MatchRun returns a match run with its results in position order.
func (s *DB) MatchRun(ctx context.Context, id int64) (matching.MatchRun, error) {
	var run matching.MatchRun
	err := s.db.GetContext(ctx, &run, `SELECT `+matchRunColumns+` FROM match_runs WHERE id = $1`, id)
	if err != nil {
		return run, mapNotFound(err, "match run", id)
	}
	return run, s.loadMatchResults(ctx, &run)
}

// MatchRuns returns the runs of a request, newest first, without results.
func (s *DB) MatchRuns(ctx context.Context, requestID int64) ([]matching.MatchRun, error) {
	runs := []matching.MatchRun{}
	err := s.db.SelectContext(ctx, &runs, `SELECT `+matchRunColumns+` FROM match_runs WHERE request_id = $1
		ORDER BY created_at DESC, id DESC`, requestID)
	return runs, mapError(err)
}

// LatestMatchRun returns the newest match run of a request with its results.
func (s *DB) LatestMatchRun(ctx context.Context, requestID int64) (matching.MatchRun, error) {
	var run matching.MatchRun
	err := s.db.GetContext(ctx, &run, `SELECT `+matchRunColumns+` FROM match_runs WHERE request_id = $1
		ORDER BY created_at DESC, id DESC LIMIT 1`, requestID)
	if errors.Is(err, sql.ErrNoRows) {
		return run, matching.Errorf(matching.ENOTFOUND, "request %d has no match run", requestID)
	}
	if err != nil {
		return run, mapError(err)
	}
	return run, s.loadMatchResults(ctx, &run)
}

func (s *DB) loadMatchResults(ctx context.Context, run *matching.MatchRun) error {
	run.Results = []matching.MatchResult{}
	err := s.db.SelectContext(ctx, &run.Results, `
		SELECT position, candidate_id, score, near_miss, explanation
		FROM match_results WHERE run_id = $1 ORDER BY position`, run.ID)
	return mapError(err)
}

// dbTime returns t as PostgreSQL stores it: UTC, to the microsecond.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
