package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"incontro/matching"
)

const pipelineEntryColumns = `id, request_id, candidate_id, pseudonym, source, stage,
	COALESCE(rejection_reason, '') AS rejection_reason, match_run_id, score, availability_confirmed_at,
	application_id, created_at, created_by, updated_at`

// pseudonym returns a random pseudonym for a candidate in a request: "C-"
// and eight base32 characters. It is random, not derived from the ids, so
// that once a jobseeker is erased nothing leads back from it to them.
func pseudonym() string {
	var b [5]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return "C-" + base32.StdEncoding.EncodeToString(b[:])
}

// AddPipelineEntry validates and inserts a candidate into a request's
// pipeline as given (stage found unless set, random pseudonym unless set)
// with the first row of its stage history: the seed's and the fixtures'
// way in. The API adds candidates with AddCandidate, which checks the
// request's state and audits.
func (s *DB) AddPipelineEntry(ctx context.Context, e *matching.PipelineEntry) error {
	if e.CandidateID == nil {
		return matching.FieldErrorf("candidate_id", "is required")
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.insertEntry(ctx, tx, e); err != nil {
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
		return nil
	})
}

// insertEntry fills a new entry's defaults, validates it and inserts it
// with the first row of its stage history, in the caller's transaction.
func (s *DB) insertEntry(ctx context.Context, tx *sqlx.Tx, e *matching.PipelineEntry) error {
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
	err := tx.QueryRowxContext(ctx, `
		INSERT INTO pipeline_entries (request_id, candidate_id, pseudonym, source, stage, rejection_reason,
			match_run_id, score, availability_confirmed_at, application_id, created_at, created_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''), $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		e.RequestID, e.CandidateID, e.Pseudonym, e.Source, e.Stage, e.RejectionReason, e.MatchRunID,
		e.Score, e.AvailabilityConfirmedAt, e.ApplicationID, e.CreatedAt, e.CreatedBy, e.UpdatedAt).Scan(&e.ID)
	if err != nil {
		return err
	}
	return insertStageChange(ctx, tx, e.ID, nil, e.Stage, e.RejectionReason, "", e.CreatedAt, e.CreatedBy)
}

func insertStageChange(ctx context.Context, tx *sqlx.Tx, entryID int64, from *matching.Stage, to matching.Stage,
	reason, note string, at time.Time, by *int64) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO pipeline_stage_history (entry_id, from_stage, to_stage, reason, note, at, by_user)
		VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7)`, entryID, from, to, reason, note, at, by)
	return err
}

// NewEntry is an operator's addition of a candidate to a request's pipeline.
type NewEntry struct {
	RequestID   int64
	CandidateID int64
	Source      matching.Source
	// MatchRunID names the run the candidate was found in; the score of
	// their result is copied from it.
	MatchRunID *int64
	Note       string
}

// AddCandidate adds a searchable candidate to a request's pipeline, found
// by search (from a match run, when given) or referred, checked by
// matching.CheckAddCandidate in the transaction that writes it, with its
// first stage, its note and an audit event.
func (s *DB) AddCandidate(ctx context.Context, in NewEntry, a Actor) (matching.PipelineEntry, error) {
	e := matching.PipelineEntry{RequestID: in.RequestID, CandidateID: &in.CandidateID, Source: in.Source,
		MatchRunID: in.MatchRunID, CreatedBy: a.by()}
	switch {
	case in.CandidateID <= 0:
		return e, matching.FieldErrorf("candidate_id", "is required")
	case in.Source != matching.SourceSearch && in.Source != matching.SourceReferral:
		return e, matching.FieldErrorf("source", "must be search or referral (self-applications come in by themselves)")
	case in.MatchRunID != nil && in.Source != matching.SourceSearch:
		return e, matching.FieldErrorf("match_run_id", "is given only for a candidate found by search")
	}
	if err := checkNote(in.Note); err != nil {
		return e, err
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		r, err := lockedRequest(ctx, tx, in.RequestID)
		if err != nil {
			return err
		}
		if err := matching.CheckAddCandidate(&r, in.Source); err != nil {
			return err
		}
		var searchable sql.NullBool
		err = tx.QueryRowxContext(ctx, `SELECT searchable AND NOT `+accountInactive+` FROM candidates WHERE id = $1`,
			in.CandidateID).Scan(&searchable)
		if errors.Is(err, sql.ErrNoRows) {
			return matching.FieldErrorf("candidate_id", "refers to a candidate that does not exist")
		}
		if err != nil {
			return err
		}
		if !searchable.Bool {
			return matching.FieldErrorf("candidate_id", "candidate %d does not keep a searchable CV", in.CandidateID)
		}
		var taken bool
		if err := tx.QueryRowxContext(ctx, `SELECT EXISTS (SELECT 1 FROM pipeline_entries WHERE request_id = $1 AND candidate_id = $2)`,
			r.ID, in.CandidateID).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return &matching.Error{Code: matching.ECONFLICT, Field: "candidate_id", Message: fmt.Sprintf(
				"candidate %d is already in the pipeline of request %d", in.CandidateID, r.ID)}
		}
		if in.MatchRunID != nil {
			var run struct {
				RequestID int64    `db:"request_id"`
				Score     *float64 `db:"score"`
			}
			err := tx.GetContext(ctx, &run, `SELECT m.request_id, (SELECT max(score) FROM match_results
				WHERE run_id = m.id AND candidate_id = $2) AS score FROM match_runs m WHERE m.id = $1`, *in.MatchRunID, in.CandidateID)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && run.RequestID != r.ID) {
				return matching.FieldErrorf("match_run_id", "is not a match run of request %d", r.ID)
			}
			if err != nil {
				return err
			}
			if run.Score == nil {
				return matching.FieldErrorf("match_run_id", "candidate %d is not among the results of match run %d", in.CandidateID, *in.MatchRunID)
			}
			e.Score = run.Score
		}
		if err := s.insertEntry(ctx, tx, &e); err != nil {
			return err
		}
		if strings.TrimSpace(in.Note) != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO pipeline_notes (entry_id, body, at, by_user) VALUES ($1, $2, $3, $4)`,
				e.ID, in.Note, e.CreatedAt, a.by()); err != nil {
				return err
			}
		}
		return writeAudit(ctx, tx, a.event(e.CreatedAt, "pipeline_entry_added", "pipeline_entry", &e.ID, &r.ID, e.CandidateID,
			map[string]any{"source": e.Source, "match_run_id": e.MatchRunID, "score": e.Score}))
	})
	return e, err
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

// lockedEntry locks the request of a pipeline entry and then the entry, in
// that order (the order every write to a request's records follows), and
// returns both.
func lockedEntry(ctx context.Context, tx *sqlx.Tx, entryID int64) (matching.PipelineEntry, matching.Request, error) {
	var e matching.PipelineEntry
	var requestID int64
	err := tx.QueryRowxContext(ctx, `SELECT request_id FROM pipeline_entries WHERE id = $1`, entryID).Scan(&requestID)
	if err != nil {
		return e, matching.Request{}, mapNotFound(err, "pipeline entry", entryID)
	}
	r, err := lockedRequest(ctx, tx, requestID)
	if err != nil {
		return e, r, err
	}
	err = tx.GetContext(ctx, &e, `SELECT `+pipelineEntryColumns+` FROM pipeline_entries WHERE id = $1 FOR UPDATE`, entryID)
	if err != nil {
		return e, r, mapNotFound(err, "pipeline entry", entryID)
	}
	return e, r, nil
}

// moveStage moves an entry locked by the caller's transaction to another
// stage, as matching.CheckStageMove allows, with a compare-and-set on the
// stage it stands at, the history row and the audit event; a move to
// available confirms the availability at the time given. Callers check
// who may ask for the move first.
func (s *DB) moveStage(ctx context.Context, tx *sqlx.Tx, e *matching.PipelineEntry, to matching.Stage, reason, note string,
	confirmedAt *time.Time, a Actor) error {
	if err := matching.CheckStageMove(e.Stage, to); err != nil {
		return err
	}
	now := s.now()
	from := e.Stage
	res, err := tx.ExecContext(ctx, `
		UPDATE pipeline_entries SET stage = $3, rejection_reason = NULLIF($4, ''), updated_at = $5,
			availability_confirmed_at = CASE WHEN $3 = 'available'
				THEN GREATEST(availability_confirmed_at, $6) ELSE availability_confirmed_at END
		WHERE id = $1 AND stage = $2`, e.ID, from, to, reason, now, coalesceTime(confirmedAt, now))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return &matching.Error{Code: matching.ECONFLICT, Field: "stage",
			Message: fmt.Sprintf("pipeline entry %d is no longer %s", e.ID, from)}
	}
	if err := insertStageChange(ctx, tx, e.ID, &from, to, reason, note, now, a.by()); err != nil {
		return err
	}
	if err := tx.GetContext(ctx, e, `SELECT `+pipelineEntryColumns+` FROM pipeline_entries WHERE id = $1`, e.ID); err != nil {
		return err
	}
	detail := map[string]any{"from": from, "to": to}
	if reason != "" {
		detail["reason"] = reason
	}
	return writeAudit(ctx, tx, a.event(now, "pipeline_stage", "pipeline_entry", &e.ID, &e.RequestID, e.CandidateID, detail))
}

func coalesceTime(t *time.Time, def time.Time) time.Time {
	if t == nil {
		return def
	}
	return dbTime(*t)
}

// StageInput is a stage move asked for directly.
type StageInput struct {
	// From, when set, is the stage the caller saw: the move is refused if
	// the entry has moved since.
	From   *matching.Stage
	To     matching.Stage
	Reason string
	Note   string
}

// MoveStage moves a pipeline entry to another stage for the actor:
// matching.CheckStageMoveBy decides whether the actor's role may, in the
// transaction that writes the move; nothing moves in a closed request. A
// jobseeker's withdrawal also withdraws the self-application the entry came
// from.
func (s *DB) MoveStage(ctx context.Context, entryID int64, in StageInput, a Actor) (matching.PipelineEntry, error) {
	var out matching.PipelineEntry
	if err := checkNote(in.Note); err != nil {
		return out, err
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		e, r, err := lockedEntry(ctx, tx, entryID)
		if err != nil {
			return err
		}
		if err := matching.CheckPipelineOpen(&r); err != nil {
			return err
		}
		if in.From != nil && *in.From != e.Stage {
			return &matching.Error{Code: matching.ECONFLICT, Field: "from", Message: fmt.Sprintf(
				"the candidate is now %s, not %s: reload and try again", e.Stage, *in.From)}
		}
		if err := matching.CheckStageMoveBy(a.Role, e.Stage, in.To, in.Reason); err != nil {
			return err
		}
		if err := s.moveStage(ctx, tx, &e, in.To, in.Reason, in.Note, nil, a); err != nil {
			return err
		}
		if in.To == matching.StageWithdrew && e.ApplicationID != nil {
			if err := s.withdrawApplication(ctx, tx, *e.ApplicationID, in.Note, a); err != nil {
				return err
			}
		}
		out = e
		return nil
	})
	return out, err
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

// AddNote adds a note to a pipeline entry, setting its ID, time and
// author, with an audit event.
func (s *DB) AddNote(ctx context.Context, entryID int64, n *matching.Note, a Actor) error {
	if strings.TrimSpace(n.Body) == "" {
		return matching.FieldErrorf("body", "is required")
	}
	if len([]rune(n.Body)) > 5000 {
		return matching.FieldErrorf("body", "must be at most 5000 characters")
	}
	n.At, n.By = s.now(), a.by()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var e struct {
			RequestID   int64  `db:"request_id"`
			CandidateID *int64 `db:"candidate_id"`
		}
		if err := tx.GetContext(ctx, &e, `SELECT request_id, candidate_id FROM pipeline_entries WHERE id = $1`, entryID); err != nil {
			return mapNotFound(err, "pipeline entry", entryID)
		}
		err := tx.QueryRowxContext(ctx, `
			INSERT INTO pipeline_notes (entry_id, body, at, by_user) VALUES ($1, $2, $3, $4) RETURNING id`,
			entryID, n.Body, n.At, n.By).Scan(&n.ID)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, a.event(n.At, "pipeline_note", "pipeline_entry", &entryID, &e.RequestID, e.CandidateID,
			map[string]any{"note_id": n.ID}))
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

// LogContact records an attempt to reach the candidate of a pipeline entry
// (at now when not given; never in the future) and, in the same
// transaction, moves the entry as matching.ContactStage says and, when the
// outcome confirms availability, confirms it at the contact's time (again,
// if it was already confirmed). It returns the entry as it now stands.
func (s *DB) LogContact(ctx context.Context, c *matching.Contact, a Actor) (matching.PipelineEntry, error) {
	var out matching.PipelineEntry
	now := s.now()
	if c.At.IsZero() {
		c.At = now
	}
	c.At, c.By = dbTime(c.At), a.by()
	if err := c.Validate(); err != nil {
		return out, err
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		e, r, err := lockedEntry(ctx, tx, c.EntryID)
		if err != nil {
			return err
		}
		if err := matching.CheckPipelineOpen(&r); err != nil {
			return err
		}
		if err := matching.CheckContactTime(c.At, r.OpenedAt, now); err != nil {
			return err
		}
		if err := s.logContact(ctx, tx, &e, c, a); err != nil {
			return err
		}
		out = e
		return nil
	})
	return out, err
}

// logContact inserts a contact with the candidate of an entry locked by
// the caller's transaction and applies it to the entry.
func (s *DB) logContact(ctx context.Context, tx *sqlx.Tx, e *matching.PipelineEntry, c *matching.Contact, a Actor) error {
	if e.CandidateID == nil {
		return &matching.Error{Code: matching.ECONFLICT, Field: "entry_id", Message: "the candidate was erased: there is no one to contact"}
	}
	err := tx.QueryRowxContext(ctx, `
		INSERT INTO contacts (entry_id, channel, outcome, note, at, by_user)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		e.ID, c.Channel, c.Outcome, c.Note, c.At, c.By).Scan(&c.ID)
	if err != nil {
		return err
	}
	from := e.Stage
	if to, moves := matching.ContactStage(e.Stage, c.Outcome); moves {
		if err := s.moveStage(ctx, tx, e, to, "", "contact: "+c.Outcome, &c.At, a); err != nil {
			return err
		}
	} else if matching.RefreshesAvailability(e.Stage, c.Outcome) {
		if err := tx.GetContext(ctx, e, `UPDATE pipeline_entries SET updated_at = $3,
				availability_confirmed_at = GREATEST(availability_confirmed_at, $2)
			WHERE id = $1 RETURNING `+pipelineEntryColumns, e.ID, c.At, s.now()); err != nil {
			return err
		}
	}
	return writeAudit(ctx, tx, a.event(s.now(), "contact_logged", "pipeline_entry", &e.ID, &e.RequestID, e.CandidateID,
		map[string]any{"contact_id": c.ID, "channel": c.Channel, "outcome": c.Outcome, "from": from, "to": e.Stage,
			"availability_confirmed_at": e.AvailabilityConfirmedAt}))
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

const availabilityColumns = `id, entry_id, sent_at, sent_by, message, answered_at, COALESCE(answer, '') AS answer, reason`

// CreateAvailabilityRequest records, as given, that a jobseeker was asked
// through the portal whether they are interested, setting the ID and the
// sending time: the seed's and the fixtures' way in. The API asks with
// AskAvailability.
func (s *DB) CreateAvailabilityRequest(ctx context.Context, a *matching.AvailabilityRequest) error {
	if a.EntryID <= 0 {
		return matching.FieldErrorf("entry_id", "is required")
	}
	if a.Answer != "" || a.AnsweredAt != nil || a.Reason != "" {
		return matching.FieldErrorf("answer", "is given later, by the jobseeker")
	}
	a.SentAt = s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return insertAvailabilityRequest(ctx, tx, a) })
}

func insertAvailabilityRequest(ctx context.Context, tx *sqlx.Tx, a *matching.AvailabilityRequest) error {
	var open bool
	if err := tx.QueryRowxContext(ctx, `SELECT EXISTS (SELECT 1 FROM availability_requests
		WHERE entry_id = $1 AND answered_at IS NULL)`, a.EntryID).Scan(&open); err != nil {
		return err
	}
	if open {
		return &matching.Error{Code: matching.ECONFLICT, Field: "entry_id",
			Message: "the jobseeker has not answered the previous availability request yet"}
	}
	return tx.QueryRowxContext(ctx, `
		INSERT INTO availability_requests (entry_id, sent_at, sent_by, message) VALUES ($1, $2, $3, $4) RETURNING id`,
		a.EntryID, a.SentAt, a.SentBy, a.Message).Scan(&a.ID)
}

// AskAvailability asks the jobseeker of a pipeline entry, through the
// portal, whether they are interested and available (one question at a
// time), logs the question as a portal contact awaiting a reply, and
// audits it, in one transaction.
func (s *DB) AskAvailability(ctx context.Context, entryID int64, message string, a Actor) (matching.AvailabilityRequest, error) {
	q := matching.AvailabilityRequest{EntryID: entryID, SentBy: a.by(), Message: strings.TrimSpace(message)}
	if len([]rune(q.Message)) > 2000 {
		return q, matching.FieldErrorf("message", "must be at most 2000 characters")
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		e, r, err := lockedEntry(ctx, tx, entryID)
		if err != nil {
			return err
		}
		if err := matching.CheckPipelineOpen(&r); err != nil {
			return err
		}
		if e.CandidateID == nil {
			return &matching.Error{Code: matching.ECONFLICT, Field: "entry_id", Message: "the candidate was erased: there is no one to ask"}
		}
		q.SentAt = s.now()
		if err := insertAvailabilityRequest(ctx, tx, &q); err != nil {
			return err
		}
		c := matching.Contact{EntryID: e.ID, Channel: "portal", Outcome: "awaiting_reply", Note: q.Message, At: q.SentAt, By: a.by()}
		if err := s.logContact(ctx, tx, &e, &c, a); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a.event(q.SentAt, "availability_requested", "availability_request", &q.ID, &e.RequestID,
			e.CandidateID, map[string]any{"entry_id": e.ID}))
	})
	return q, err
}

// AnswerAvailability records the jobseeker's answer to an availability
// request, interested or not_interested with an optional reason, once
// (ECONFLICT after that), and updates the pipeline in the same transaction
// without an operator: the answer is logged as a portal contact by the
// jobseeker, whose outcome moves the entry (interested confirms the
// availability now, not interested makes them not available).
func (s *DB) AnswerAvailability(ctx context.Context, id int64, answer, reason string, a Actor) (matching.AvailabilityRequest, error) {
	var q matching.AvailabilityRequest
	outcome, err := matching.AnswerOutcome(answer)
	if err != nil {
		return q, err
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > 2000 {
		return q, matching.FieldErrorf("reason", "must be at most 2000 characters")
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		var entryID int64
		if err := tx.QueryRowxContext(ctx, `SELECT entry_id FROM availability_requests WHERE id = $1`, id).Scan(&entryID); err != nil {
			return mapNotFound(err, "availability request", id)
		}
		e, r, err := lockedEntry(ctx, tx, entryID)
		if err != nil {
			return err
		}
		if err := tx.GetContext(ctx, &q, `SELECT `+availabilityColumns+` FROM availability_requests WHERE id = $1 FOR UPDATE`, id); err != nil {
			return err
		}
		if q.AnsweredAt != nil {
			return &matching.Error{Code: matching.ECONFLICT, Field: "answer",
				Message: fmt.Sprintf("availability request %d was already answered (%s)", id, q.Answer)}
		}
		if err := matching.CheckPipelineOpen(&r); err != nil {
			return err
		}
		now := s.now()
		if err := tx.GetContext(ctx, &q, `UPDATE availability_requests SET answer = $2, reason = $3, answered_at = $4
			WHERE id = $1 RETURNING `+availabilityColumns, id, answer, reason, now); err != nil {
			return err
		}
		c := matching.Contact{EntryID: e.ID, Channel: "portal", Outcome: outcome, Note: reason, At: now, By: a.by()}
		if err := s.logContact(ctx, tx, &e, &c, a); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a.event(now, "availability_answered", "availability_request", &q.ID, &e.RequestID,
			e.CandidateID, map[string]any{"answer": answer, "stage": e.Stage}))
	})
	return q, err
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

// AvailabilityQuestion is an availability request as the jobseeker sees
// it: with the vacancy it is about, and the employer's name only once the
// vacancy is published.
type AvailabilityQuestion struct {
	matching.AvailabilityRequest
	RequestID        int64  `json:"request_id" db:"request_id"`
	VacancyID        int64  `json:"vacancy_id" db:"vacancy_id"`
	VacancyTitle     string `json:"vacancy_title" db:"vacancy_title"`
	MunicipalityCode string `json:"municipality_code" db:"municipality_code"`
	ContractType     string `json:"contract_type" db:"contract_type"`
	EmployerName     string `json:"employer_name,omitempty" db:"employer_name"`
	// Open: not answered yet, and the request is still open.
	Open bool `json:"open" db:"open"`
}

// AvailabilityQuestions returns the availability requests sent to a
// candidate, the unanswered first, newest first.
func (s *DB) AvailabilityQuestions(ctx context.Context, candidateID int64) ([]AvailabilityQuestion, error) {
	out := []AvailabilityQuestion{}
	err := s.db.SelectContext(ctx, &out, `
		SELECT q.id, q.entry_id, q.sent_at, q.sent_by, q.message, q.answered_at, COALESCE(q.answer, '') AS answer, q.reason,
			r.id AS request_id, v.id AS vacancy_id, v.title AS vacancy_title, v.municipality_code, v.contract_type,
			CASE WHEN v.status = 'published' THEN e.name ELSE '' END AS employer_name,
			q.answered_at IS NULL AND r.status <> 'closed' AS open
		FROM availability_requests q JOIN pipeline_entries p ON p.id = q.entry_id JOIN requests r ON r.id = p.request_id
			JOIN vacancies v ON v.id = r.vacancy_id JOIN employers e ON e.id = v.employer_id
		WHERE p.candidate_id = $1
		ORDER BY q.answered_at IS NULL DESC, q.sent_at DESC, q.id DESC`, candidateID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// PipelineRow is a candidate in a request's pipeline as the staff's list
// shows it.
type PipelineRow struct {
	matching.PipelineEntry
	// DisplayName is the candidate's name, or the pseudonym once erased.
	DisplayName string `json:"display_name" db:"display_name"`
	Headline    string `json:"headline" db:"headline"`
	// AvailabilityFresh: the confirmation still holds for a presentation.
	AvailabilityFresh bool `json:"availability_fresh" db:"-"`
	// AvailabilityState is fresh, expiring, expired or none.
	AvailabilityState  string     `json:"availability_state" db:"-"`
	LastContactAt      *time.Time `json:"last_contact_at,omitempty" db:"last_contact_at"`
	LastContactOutcome string     `json:"last_contact_outcome,omitempty" db:"last_contact_outcome"`
	LastContactChannel string     `json:"last_contact_channel,omitempty" db:"last_contact_channel"`
	NotesCount         int        `json:"notes_count" db:"notes_count"`
}

// PipelineOrder is how a pipeline list is sorted.
type PipelineOrder string

// Pipeline list orders.
const (
	ByStage   PipelineOrder = "stage"   // in the order of the stages, then by score
	ByScore   PipelineOrder = "score"   // best score first
	ByEntered PipelineOrder = "entered" // in the order the candidates entered
)

// PipelineRows returns the pipeline of a request with each candidate's
// name, headline, last contact and number of notes, in one query, sorted
// as asked, optionally only the candidates at one stage.
func (s *DB) PipelineRows(ctx context.Context, requestID int64, stage matching.Stage, order PipelineOrder) ([]PipelineRow, error) {
	if stage != "" && !matching.IsStage(stage) {
		return nil, matching.FieldErrorf("stage", "%q is not a pipeline stage", stage)
	}
	return s.pipelineRows(ctx, requestID, 0, stage, order)
}

// PipelineRowOf returns one entry as PipelineRows shows it.
func (s *DB) PipelineRowOf(ctx context.Context, entryID int64) (PipelineRow, error) {
	rows, err := s.pipelineRows(ctx, 0, entryID, "", ByEntered)
	if err != nil {
		return PipelineRow{}, err
	}
	if len(rows) == 0 {
		return PipelineRow{}, notFound("pipeline entry", entryID)
	}
	return rows[0], nil
}

func (s *DB) pipelineRows(ctx context.Context, requestID, entryID int64, stage matching.Stage, order PipelineOrder) ([]PipelineRow, error) {
	var orderBy string
	switch order {
	case ByStage, "":
		orderBy = `array_position($4::text[], p.stage), p.score DESC NULLS LAST, p.id`
	case ByScore:
		orderBy = `p.score DESC NULLS LAST, p.id`
	case ByEntered:
		orderBy = `p.id`
	default:
		return nil, matching.FieldErrorf("sort", "must be stage, score or entered")
	}
	stages := make([]string, 0, len(matching.Stages()))
	for _, st := range matching.Stages() {
		stages = append(stages, string(st))
	}
	out := []PipelineRow{}
	err := s.db.SelectContext(ctx, &out, `
		SELECT p.id, p.request_id, p.candidate_id, p.pseudonym, p.source, p.stage,
			COALESCE(p.rejection_reason, '') AS rejection_reason, p.match_run_id, p.score, p.availability_confirmed_at,
			p.application_id, p.created_at, p.created_by, p.updated_at,
			COALESCE(c.given_name || ' ' || c.family_name, p.pseudonym) AS display_name, COALESCE(c.headline, '') AS headline,
			lc.at AS last_contact_at, COALESCE(lc.outcome, '') AS last_contact_outcome, COALESCE(lc.channel, '') AS last_contact_channel,
			(SELECT count(*) FROM pipeline_notes n WHERE n.entry_id = p.id) AS notes_count
		FROM pipeline_entries p LEFT JOIN candidates c ON c.id = p.candidate_id
			LEFT JOIN LATERAL (SELECT at, outcome, channel FROM contacts WHERE entry_id = p.id ORDER BY at DESC, id DESC LIMIT 1) lc ON true
		WHERE ($1::bigint = 0 OR p.request_id = $1) AND ($2::bigint = 0 OR p.id = $2) AND ($3::text = '' OR p.stage = $3)
			AND ($1::bigint <> 0 OR $2::bigint <> 0) AND cardinality($4::text[]) > 0
		ORDER BY `+orderBy, requestID, entryID, string(stage), pq.Array(stages))
	if err != nil {
		return nil, mapError(err)
	}
	now := s.now()
	for i := range out {
		out[i].AvailabilityFresh = matching.AvailabilityFresh(out[i].AvailabilityConfirmedAt, now, s.Workflow)
		out[i].AvailabilityState = matching.AvailabilityState(out[i].AvailabilityConfirmedAt, now, s.Workflow)
	}
	return out, nil
}
