package store

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"incontro/matching"
)

const pipelineEntryColumns = `id, request_id, candidate_id, pseudonym, source, stage,
	COALESCE(rejection_reason, '') AS rejection_reason, match_run_id, score, availability_confirmed_at,
	created_at, created_by, updated_at`

// pseudonym returns a random pseudonym for a candidate in a request: "C-"
// and eight base32 characters. It is random, not derived from the ids, so
// that once a jobseeker is erased nothing leads back from it to them.
func pseudonym() string {
	var b [5]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return "C-" + base32.StdEncoding.EncodeToString(b[:])
}

// AddPipelineEntry validates and inserts a candidate into a request's
// pipeline (stage found unless set, random pseudonym unless set) with the
// first row of its stage history.
func (s *DB) AddPipelineEntry(ctx context.Context, e *matching.PipelineEntry) error {
	if e.CandidateID == nil {
		return matching.FieldErrorf("candidate_id", "is required")
	}
	if e.Stage == "" {
		e.Stage = matching.StageFound
	}
	if e.Pseudonym == "" {
		e.Pseudonym = pseudonym()
	}
	if err := e.Validate(); err != nil {
		return err
	}
	e.CreatedAt = s.now()
	e.UpdatedAt = e.CreatedAt
	if e.Stage == matching.StageAvailable && e.AvailabilityConfirmedAt == nil {
		t := e.CreatedAt
		e.AvailabilityConfirmedAt = &t
	} else if e.AvailabilityConfirmedAt != nil {
		t := dbTime(*e.AvailabilityConfirmedAt)
		e.AvailabilityConfirmedAt = &t
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.QueryRowxContext(ctx, `
			INSERT INTO pipeline_entries (request_id, candidate_id, pseudonym, source, stage, rejection_reason,
				match_run_id, score, availability_confirmed_at, created_at, created_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''), $7, $8, $9, $10, $11, $12) RETURNING id`,
			e.RequestID, e.CandidateID, e.Pseudonym, e.Source, e.Stage, e.RejectionReason, e.MatchRunID,
			e.Score, e.AvailabilityConfirmedAt, e.CreatedAt, e.CreatedBy, e.UpdatedAt).Scan(&e.ID)
		if err != nil {
			return err
		}
		if e.MatchRunID != nil {
			var runRequest int64
			err := tx.QueryRowxContext(ctx, `SELECT request_id FROM match_runs WHERE id = $1`, *e.MatchRunID).Scan(&runRequest)
			if err != nil {
				return err
			}
			if runRequest != e.RequestID {
				return matching.FieldErrorf("match_run_id", "match run %d belongs to another request", *e.MatchRunID)
			}
		}
		return insertStageChange(ctx, tx, e.ID, nil, e.Stage, e.RejectionReason, "", e.CreatedAt, e.CreatedBy)
	})
}

func insertStageChange(ctx context.Context, tx *sqlx.Tx, entryID int64, from *matching.Stage, to matching.Stage,
	reason, note string, at time.Time, by *int64) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO pipeline_stage_history (entry_id, from_stage, to_stage, reason, note, at, by_user)
		VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7)`, entryID, from, to, reason, note, at, by)
	return err
}

// PipelineEntry returns the pipeline entry with the given id.
func (s *DB) PipelineEntry(ctx context.Context, id int64) (matching.PipelineEntry, error) {
	var e matching.PipelineEntry
	err := s.db.GetContext(ctx, &e, `SELECT `+pipelineEntryColumns+` FROM pipeline_entries WHERE id = $1`, id)
	if err != nil {
		return e, mapNotFound(err, "pipeline entry", id)
	}
	return e, nil
}

// PipelineEntries returns the pipeline of a request in the order the
// candidates entered it.
func (s *DB) PipelineEntries(ctx context.Context, requestID int64) ([]matching.PipelineEntry, error) {
	out := []matching.PipelineEntry{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+pipelineEntryColumns+` FROM pipeline_entries
		WHERE request_id = $1 ORDER BY id`, requestID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// SetStage moves a pipeline entry from one stage to another if it is still
// in from (a compare-and-set: otherwise ECONFLICT naming the current stage),
// sets the rejection reason for a rejection and clears it otherwise, records
// when availability was confirmed, and appends the change to the history.
func (s *DB) SetStage(ctx context.Context, entryID int64, from, to matching.Stage, reason, note string, by *int64) error {
	known := false
	for _, st := range matching.Stages() {
		known = known || st == to
	}
	if !known {
		return matching.FieldErrorf("stage", "%q is not a pipeline stage", to)
	}
	if (to == matching.StageRejected) != (reason != "") {
		return matching.FieldErrorf("rejection_reason", "is required exactly when the candidate is rejected")
	}
	if reason != "" && !matching.IsRejectionReason(reason) {
		return matching.FieldErrorf("rejection_reason", "%q is not a rejection reason", reason)
	}
	if err := checkNote(note); err != nil {
		return err
	}
	now := s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE pipeline_entries SET stage = $3, rejection_reason = NULLIF($4, ''), updated_at = $5,
				availability_confirmed_at = CASE WHEN $3 = 'available' THEN $5 ELSE availability_confirmed_at END
			WHERE id = $1 AND stage = $2`, entryID, from, to, reason, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			var cur matching.Stage
			err := tx.QueryRowxContext(ctx, `SELECT stage FROM pipeline_entries WHERE id = $1`, entryID).Scan(&cur)
			if err != nil {
				return mapNotFound(err, "pipeline entry", entryID)
			}
			return &matching.Error{Code: matching.ECONFLICT, Field: "stage",
				Message: fmt.Sprintf("pipeline entry %d is %s, not %s", entryID, cur, from)}
		}
		return insertStageChange(ctx, tx, entryID, &from, to, reason, note, now, by)
	})
}

// StageHistory returns the stage changes of a pipeline entry, oldest first.
func (s *DB) StageHistory(ctx context.Context, entryID int64) ([]matching.StageChange, error) {
	out := []matching.StageChange{}
	err := s.db.SelectContext(ctx, &out, `
		SELECT id, from_stage AS "from", to_stage AS "to", COALESCE(reason, '') AS reason, note, at, by_user AS "by"
		FROM pipeline_stage_history WHERE entry_id = $1 ORDER BY at, id`, entryID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// AddNote adds a note to a pipeline entry, setting its ID and time.
func (s *DB) AddNote(ctx context.Context, entryID int64, n *matching.Note) error {
	if strings.TrimSpace(n.Body) == "" {
		return matching.FieldErrorf("body", "is required")
	}
	if len([]rune(n.Body)) > 5000 {
		return matching.FieldErrorf("body", "must be at most 5000 characters")
	}
	n.At = s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		return tx.QueryRowxContext(ctx, `
			INSERT INTO pipeline_notes (entry_id, body, at, by_user) VALUES ($1, $2, $3, $4) RETURNING id`,
			entryID, n.Body, n.At, n.By).Scan(&n.ID)
	})
}

// Notes returns the notes on a pipeline entry, oldest first.
func (s *DB) Notes(ctx context.Context, entryID int64) ([]matching.Note, error) {
	out := []matching.Note{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, body, at, by_user AS "by" FROM pipeline_notes
		WHERE entry_id = $1 ORDER BY at, id`, entryID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// AddContact validates and records an attempt to reach a candidate; a
// contact without a time is taken as happening now.
func (s *DB) AddContact(ctx context.Context, c *matching.Contact) error {
	if c.At.IsZero() {
		c.At = s.now()
	}
	c.At = dbTime(c.At)
	if err := c.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		return tx.QueryRowxContext(ctx, `
			INSERT INTO contacts (entry_id, channel, outcome, note, at, by_user)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			c.EntryID, c.Channel, c.Outcome, c.Note, c.At, c.By).Scan(&c.ID)
	})
}

// Contacts returns the contacts with the candidate of a pipeline entry,
// oldest first.
func (s *DB) Contacts(ctx context.Context, entryID int64) ([]matching.Contact, error) {
	out := []matching.Contact{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, entry_id, channel, outcome, note, at, by_user AS "by"
		FROM contacts WHERE entry_id = $1 ORDER BY at, id`, entryID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

const availabilityColumns = `id, entry_id, sent_at, sent_by, answered_at, COALESCE(answer, '') AS answer, reason`

// CreateAvailabilityRequest records that a jobseeker was asked, through the
// portal, whether they are interested; it sets the ID and the sending time.
func (s *DB) CreateAvailabilityRequest(ctx context.Context, a *matching.AvailabilityRequest) error {
	if a.EntryID <= 0 {
		return matching.FieldErrorf("entry_id", "is required")
	}
	if a.Answer != "" || a.AnsweredAt != nil || a.Reason != "" {
		return matching.FieldErrorf("answer", "is given later, by the jobseeker")
	}
	a.SentAt = s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		return tx.QueryRowxContext(ctx, `
			INSERT INTO availability_requests (entry_id, sent_at, sent_by) VALUES ($1, $2, $3) RETURNING id`,
			a.EntryID, a.SentAt, a.SentBy).Scan(&a.ID)
	})
}

// AnswerAvailabilityRequest records the jobseeker's answer, interested or
// not_interested, with an optional reason; a request is answered once
// (ECONFLICT after that).
func (s *DB) AnswerAvailabilityRequest(ctx context.Context, id int64, answer, reason string) error {
	if answer != "interested" && answer != "not_interested" {
		return matching.FieldErrorf("answer", "must be interested or not_interested")
	}
	if len([]rune(reason)) > 2000 {
		return matching.FieldErrorf("reason", "must be at most 2000 characters")
	}
	now := s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var answered *time.Time
		err := tx.QueryRowxContext(ctx, `
			SELECT answered_at FROM availability_requests WHERE id = $1 FOR UPDATE`, id).Scan(&answered)
		if err != nil {
			return mapNotFound(err, "availability request", id)
		}
		if answered != nil {
			return &matching.Error{Code: matching.ECONFLICT, Field: "answer",
				Message: fmt.Sprintf("availability request %d was already answered", id)}
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE availability_requests SET answer = $2, reason = $3, answered_at = $4 WHERE id = $1`,
			id, answer, reason, now)
		return err
	})
}

// AvailabilityRequests returns the availability requests of a pipeline
// entry, oldest first.
func (s *DB) AvailabilityRequests(ctx context.Context, entryID int64) ([]matching.AvailabilityRequest, error) {
	out := []matching.AvailabilityRequest{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+availabilityColumns+` FROM availability_requests
		WHERE entry_id = $1 ORDER BY sent_at, id`, entryID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

const applicationColumns = `id, vacancy_id, candidate_id, message, status, reason, verified_by, verified_at, created_at`

// CreateApplication validates and inserts a jobseeker's self-application
// (status submitted unless set); a second application by the same candidate
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
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		return tx.QueryRowxContext(ctx, `
			INSERT INTO applications (vacancy_id, candidate_id, message, status, reason, verified_by, verified_at,
				created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			a.VacancyID, a.CandidateID, a.Message, a.Status, a.Reason, a.VerifiedBy, a.VerifiedAt,
			a.CreatedAt).Scan(&a.ID)
	})
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

// SetApplicationStatus sets the status of a self-application with its
// reason (required when it does not fit). Verifying it, as fitting or not,
// records who did so and when.
func (s *DB) SetApplicationStatus(ctx context.Context, id int64, status matching.ApplicationStatus, reason string, by *int64) error {
	switch status {
	case matching.ApplicationSubmitted, matching.ApplicationVerified, matching.ApplicationNotFitting, matching.ApplicationWithdrawn:
	default:
		return matching.FieldErrorf("status", "must be submitted, verified, not_fitting or withdrawn")
	}
	if status == matching.ApplicationNotFitting && reason == "" {
		return matching.FieldErrorf("reason", "is required when the application does not fit")
	}
	if len([]rune(reason)) > 2000 {
		return matching.FieldErrorf("reason", "must be at most 2000 characters")
	}
	verified := status == matching.ApplicationVerified || status == matching.ApplicationNotFitting
	now := s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE applications SET status = $2, reason = $3,
				verified_by = CASE WHEN $4 THEN $5 ELSE verified_by END,
				verified_at = CASE WHEN $4 THEN $6 ELSE verified_at END
			WHERE id = $1`, id, status, reason, verified, by, now)
		return expectOne(res, err, "application", id)
	})
}
