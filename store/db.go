// Package store is incontro's system of record: PostgreSQL through sqlx and
// lib/pq. It is the one place for SQL. Public methods own their transaction;
// unexported helpers take a *sqlx.Tx so that several writes, and the outbox
// rows that tell the index about them, commit together. Methods return
// domain types and coded *matching.Error values, never (nil, nil).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"incontro/matching"
	"incontro/migrations"
)

// DB is the store: a connection pool and the clock used for timestamps.
type DB struct {
	db *sqlx.DB
	// Now returns the current time; tests and the seed set a fixed clock.
	Now func() time.Time
	// Workflow holds the periods of the request workflow (availability
	// validity, feedback reminders); the defaults unless configured.
	Workflow matching.WorkflowSettings
}

// Open connects to the database at url and checks that it answers.
func Open(ctx context.Context, url string) (*DB, error) {
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return New(db), nil
}

// New wraps an open sqlx pool.
func New(db *sqlx.DB) *DB {
	return &DB{db: db, Now: time.Now, Workflow: matching.DefaultWorkflowSettings()}
}

// Close closes the pool.
func (s *DB) Close() error { return s.db.Close() }

// SQL returns the underlying pool, for migrations and health checks.
func (s *DB) SQL() *sqlx.DB { return s.db }

// Migrate applies the pending migrations and returns their versions.
func (s *DB) Migrate(ctx context.Context) ([]int64, error) {
	return migrations.Apply(ctx, s.db.DB)
}

// SchemaCurrent returns an error unless every migration this binary knows
// has been applied.
func (s *DB) SchemaCurrent(ctx context.Context) error {
	cur, latest, err := migrations.Status(ctx, s.db.DB)
	if err != nil {
		return err
	}
	if cur != latest {
		return fmt.Errorf("schema at version %d, binary expects %d: run incontro migrate", cur, latest)
	}
	return nil
}

// Ping checks that the database answers.
func (s *DB) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// now returns the clock's time as PostgreSQL stores it (UTC, microseconds),
// so that what is written reads back equal.
func (s *DB) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// inTx runs fn in a transaction, committing when it returns nil.
func (s *DB) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return mapError(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return mapError(err)
	}
	if err := tx.Commit(); err != nil {
		return mapError(err)
	}
	return nil
}

// fieldOverrides names the field of constraints whose name does not say it
// plainly after the table prefix.
var fieldOverrides = map[string]string{
	"pipeline_entries_candidate_key":       "candidate_id",
	"applications_candidate_key":           "candidate_id",
	"shortlist_items_entry_key":            "entry_id",
	"shortlist_items_pkey":                 "position",
	"candidate_skills_pkey":                "position",
	"candidate_languages_pkey":             "language",
	"candidate_licences_pkey":              "category",
	"candidate_desired_occupations_pkey":   "position",
	"candidate_protected_pkey":             "candidate_id",
	"running_timers_pkey":                  "user_id",
	"requests_closed_check":                "outcome",
	"shortlists_presented_check":           "snapshot",
	"shortlists_one_presented_key":         "status",
	"shortlists_one_draft_key":             "status",
	"feedback_hired_check":                 "start_date",
	"email_verifications_pkey":             "token_hash",
	"availability_requests_answered_check": "answer",
	"vacancy_requirements_value_check":     "value",
	"vacancy_requirements_rank_key":        "rank",
	"candidate_experiences_position_key":   "position",
	"candidate_education_position_key":     "position",
	"match_results_pkey":                   "position",
	"availability_requests_open_key":       "entry_id",
}

// constraintField derives the field a constraint is about from its name,
// <table>_<field>_(key|check|fkey); a primary key is about the id unless an
// override says otherwise.
func constraintField(table, constraint string) string {
	if f, ok := fieldOverrides[constraint]; ok {
		return f
	}
	if strings.HasSuffix(constraint, "_pkey") {
		return "id"
	}
	f := strings.TrimPrefix(constraint, table+"_")
	for _, suffix := range []string{"_fkey", "_key", "_check", "_idx"} {
		if strings.HasSuffix(f, suffix) {
			return strings.TrimSuffix(f, suffix)
		}
	}
	return f
}

// mapError turns database errors into coded domain errors naming the field:
// no rows → ENOTFOUND, unique violation → ECONFLICT, check, foreign-key and
// not-null violations → EINVALID. Other errors become EINTERNAL.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var me *matching.Error
	if errors.As(err, &me) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &matching.Error{Code: matching.ENOTFOUND, Message: "not found", Err: err}
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			f := constraintField(pe.Table, pe.Constraint)
			return &matching.Error{Code: matching.ECONFLICT, Field: f, Message: "already exists: " + strings.ReplaceAll(f, "_", " ") + " must be unique", Err: err}
		case "23514": // check_violation
			f := constraintField(pe.Table, pe.Constraint)
			return &matching.Error{Code: matching.EINVALID, Field: f, Message: "has a value that is not allowed", Err: err}
		case "23503": // foreign_key_violation
			f := constraintField(pe.Table, pe.Constraint)
			msg := "refers to a record that does not exist"
			if strings.Contains(pe.Message, "still referenced") || strings.Contains(pe.Detail, "still referenced") {
				msg = "is still referenced by other records"
			}
			return &matching.Error{Code: matching.EINVALID, Field: f, Message: msg, Err: err}
		case "23502": // not_null_violation
			return &matching.Error{Code: matching.EINVALID, Field: pe.Column, Message: "is required", Err: err}
		case "22001": // string_data_right_truncation
			return &matching.Error{Code: matching.EINVALID, Message: "a value is too long", Err: err}
		case "22P02", "22007", "22008": // invalid text representation, datetime format, datetime overflow
			return &matching.Error{Code: matching.EINVALID, Message: "a value has the wrong format", Err: err}
		}
	}
	return &matching.Error{Code: matching.EINTERNAL, Message: "database error", Err: err}
}

// notFound returns an ENOTFOUND error for a kind of record and its id.
func notFound(kind string, id int64) error {
	return matching.Errorf(matching.ENOTFOUND, "%s %d not found", kind, id)
}

// writeOutbox records, in the caller's transaction, that a searchable
// entity changed.
func writeOutbox(ctx context.Context, tx *sqlx.Tx, entity string, id int64, op string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (entity, entity_id, op) VALUES ($1, $2, $3)`, entity, id, op)
	return err
}

// mapNotFound maps a missing row to an ENOTFOUND naming the record.
func mapNotFound(err error, kind string, id int64) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(kind, id)
	}
	return mapError(err)
}

// expectOne checks that an UPDATE or DELETE touched exactly one row.
func expectOne(res sql.Result, err error, kind string, id int64) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(kind, id)
	}
	return nil
}

// Counts are the sizes of the main tables, for the home page and the seed.
type Counts struct {
	Providers          int `db:"providers"`
	Operators          int `db:"operators"`
	Employers          int `db:"employers"`
	Candidates         int `db:"candidates"`
	OpenVacancies      int `db:"open_vacancies"`
	RequestsInProgress int `db:"requests_in_progress"`
}

// Counts returns the sizes of the main tables.
func (s *DB) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.db.GetContext(ctx, &c, `SELECT
		(SELECT count(*) FROM providers) AS providers,
		(SELECT count(*) FROM users WHERE role = 'operator') AS operators,
		(SELECT count(*) FROM employers) AS employers,
		(SELECT count(*) FROM candidates) AS candidates,
		(SELECT count(*) FROM vacancies WHERE status = 'published') AS open_vacancies,
		(SELECT count(*) FROM requests WHERE status <> 'closed') AS requests_in_progress`)
	return c, mapError(err)
}

// Reset deletes every row of every table (for reseeding demo data) and
// restarts the id sequences.
func (s *DB) Reset(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `TRUNCATE providers, employers, candidates, users, vacancies, requests,
		audit_log, outbox RESTART IDENTITY CASCADE`)
	return mapError(err)
}
