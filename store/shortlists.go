package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"incontro/matching"
)

const shortlistColumns = `id, request_id, version, status, note, snapshot, created_at, created_by, presented_at,
	presented_by`

// CreateShortlist inserts a new draft version of a request's shortlist with
// its items in order; the version is one more than the request's latest.
// Every item must be a candidate in the request's pipeline. Items without a
// position are numbered in order from 1.
func (s *DB) CreateShortlist(ctx context.Context, sl *matching.Shortlist) error {
	sl.Status = matching.ShortlistDraft
	sl.Snapshot, sl.PresentedAt, sl.PresentedBy = nil, nil, nil
	if sl.Items == nil {
		sl.Items = []matching.ShortlistItem{}
	}
	for i := range sl.Items {
		if sl.Items[i].Position == 0 {
			sl.Items[i].Position = i + 1
		}
	}
	if sl.RequestID <= 0 {
		return matching.FieldErrorf("request_id", "is required")
	}
	sl.CreatedAt = s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := lockRequest(ctx, tx, sl.RequestID); err != nil {
			return err
		}
		err := tx.QueryRowxContext(ctx, `SELECT COALESCE(max(version), 0) + 1 FROM shortlists WHERE request_id = $1`,
			sl.RequestID).Scan(&sl.Version)
		if err != nil {
			return err
		}
		if err := sl.Validate(); err != nil {
			return err
		}
		err = tx.QueryRowxContext(ctx, `
			INSERT INTO shortlists (request_id, version, status, note, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			sl.RequestID, sl.Version, sl.Status, sl.Note, sl.CreatedAt, sl.CreatedBy).Scan(&sl.ID)
		if err != nil {
			return err
		}
		return insertShortlistItems(ctx, tx, sl)
	})
}

// insertShortlistItems inserts the items of a shortlist in one statement,
// after checking that each is a candidate of the shortlist's request.
func insertShortlistItems(ctx context.Context, tx *sqlx.Tx, sl *matching.Shortlist) error {
	n := len(sl.Items)
	if n == 0 {
		return nil
	}
	positions, entries := make([]int64, n), make([]int64, n)
	modes, notes := make([]string, n), make([]string, n)
	for i, it := range sl.Items {
		positions[i], entries[i], modes[i], notes[i] = int64(it.Position), it.EntryID, it.Mode, it.Note
	}
	var foreign []int64
	err := tx.SelectContext(ctx, &foreign, `
		SELECT e.id FROM unnest($1::bigint[]) AS e (id)
		WHERE NOT EXISTS (SELECT 1 FROM pipeline_entries p WHERE p.id = e.id AND p.request_id = $2)`,
		pq.Array(entries), sl.RequestID)
	if err != nil {
		return err
	}
	if len(foreign) > 0 {
		for i, id := range entries {
			if id == foreign[0] {
				return matching.FieldErrorf(fmt.Sprintf("items[%d].entry_id", i),
					"pipeline entry %d is not a candidate of request %d", id, sl.RequestID)
			}
		}
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO shortlist_items (shortlist_id, position, entry_id, mode, note)
		SELECT $1, i.position, i.entry_id, i.mode, i.note
		FROM unnest($2::int[], $3::bigint[], $4::text[], $5::text[]) AS i (position, entry_id, mode, note)`,
		sl.ID, pq.Array(positions), pq.Array(entries), pq.Array(modes), pq.Array(notes))
	return fieldError(err, "items")
}

// Shortlist returns a shortlist version with its items in order.
func (s *DB) Shortlist(ctx context.Context, id int64) (matching.Shortlist, error) {
	var sl matching.Shortlist
	err := scanShortlist(s.db.QueryRowxContext(ctx, `SELECT `+shortlistColumns+` FROM shortlists WHERE id = $1`, id), &sl)
	if err != nil {
		return sl, mapNotFound(err, "shortlist", id)
	}
	sls := []matching.Shortlist{sl}
	if err := s.loadShortlistItems(ctx, sls); err != nil {
		return sl, err
	}
	return sls[0], nil
}

// scanShortlist scans a row of shortlistColumns. The snapshot goes through
// *[]byte, which is how database/sql reads a NULL into a byte slice.
func scanShortlist(row interface{ Scan(...any) error }, sl *matching.Shortlist) error {
	return row.Scan(&sl.ID, &sl.RequestID, &sl.Version, &sl.Status, &sl.Note, (*[]byte)(&sl.Snapshot),
		&sl.CreatedAt, &sl.CreatedBy, &sl.PresentedAt, &sl.PresentedBy)
}

// Shortlists returns every shortlist version of a request, oldest first,
// with their items.
func (s *DB) Shortlists(ctx context.Context, requestID int64) ([]matching.Shortlist, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+shortlistColumns+` FROM shortlists WHERE request_id = $1
		ORDER BY version`, requestID)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	out := []matching.Shortlist{}
	for rows.Next() {
		var sl matching.Shortlist
		if err := scanShortlist(rows, &sl); err != nil {
			return nil, mapError(err)
		}
		out = append(out, sl)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	if err := s.loadShortlistItems(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// loadShortlistItems fills the items of the shortlists with one query.
func (s *DB) loadShortlistItems(ctx context.Context, sls []matching.Shortlist) error {
	if len(sls) == 0 {
		return nil
	}
	ids := make([]int64, len(sls))
	byID := make(map[int64]*matching.Shortlist, len(sls))
	for i := range sls {
		ids[i] = sls[i].ID
		sls[i].Items = []matching.ShortlistItem{}
		byID[sls[i].ID] = &sls[i]
	}
	var items []struct {
		ShortlistID int64 `db:"shortlist_id"`
		matching.ShortlistItem
	}
	err := s.db.SelectContext(ctx, &items, `SELECT shortlist_id, position, entry_id, mode, note
		FROM shortlist_items WHERE shortlist_id = ANY($1) ORDER BY shortlist_id, position`, pq.Array(ids))
	if err != nil {
		return mapError(err)
	}
	for _, it := range items {
		sl := byID[it.ShortlistID]
		sl.Items = append(sl.Items, it.ShortlistItem)
	}
	return nil
}

// PresentShortlist freezes a draft shortlist as presented to the employer:
// it stores the snapshot of what the employer is shown, the time and who
// presented it, and marks the request's previously presented version
// superseded, in one transaction. Presenting a shortlist that is not a
// draft is ECONFLICT. Every candidate must have agreed to be presented,
// and named only if they agreed to be named.
func (s *DB) PresentShortlist(ctx context.Context, id int64, snapshot json.RawMessage, by *int64) error {
	if len(snapshot) == 0 || !json.Valid(snapshot) {
		return matching.FieldErrorf("snapshot", "must be a JSON document")
	}
	now := s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var requestID int64
		err := tx.QueryRowxContext(ctx, `SELECT request_id FROM shortlists WHERE id = $1`, id).Scan(&requestID)
		if err != nil {
			return mapNotFound(err, "shortlist", id)
		}
		if err := lockRequest(ctx, tx, requestID); err != nil {
			return err
		}
		var status matching.ShortlistStatus
		if err := tx.QueryRowxContext(ctx, `SELECT status FROM shortlists WHERE id = $1`, id).Scan(&status); err != nil {
			return err
		}
		if status != matching.ShortlistDraft {
			return &matching.Error{Code: matching.ECONFLICT, Field: "status",
				Message: fmt.Sprintf("shortlist %d is %s, not a draft", id, status)}
		}
		if err := checkPresentable(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shortlists SET status = 'superseded'
			WHERE request_id = $1 AND status = 'presented'`, requestID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE shortlists SET status = 'presented', snapshot = $2, presented_at = $3, presented_by = $4
			WHERE id = $1`, id, string(snapshot), now, by)
		return err
	})
}

// checkPresentable checks that a shortlist has items and that each
// candidate may be presented in the item's mode: a candidate who chose
// "none", or who was erased, may not be presented; one who chose "blind"
// may not be presented named.
func checkPresentable(ctx context.Context, tx *sqlx.Tx, shortlistID int64) error {
	var items []struct {
		Position     int                    `db:"position"`
		Mode         string                 `db:"mode"`
		Presentation *matching.Presentation `db:"presentation"`
	}
	err := tx.SelectContext(ctx, &items, `
		SELECT i.position, i.mode, c.presentation
		FROM shortlist_items i JOIN pipeline_entries p ON p.id = i.entry_id
			LEFT JOIN candidates c ON c.id = p.candidate_id
		WHERE i.shortlist_id = $1 ORDER BY i.position`, shortlistID)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return matching.FieldErrorf("items", "an empty shortlist cannot be presented")
	}
	for i, it := range items {
		f := fmt.Sprintf("items[%d].mode", i)
		switch {
		case it.Presentation == nil:
			return matching.FieldErrorf(f, "the candidate at position %d was erased", it.Position)
		case *it.Presentation == matching.PresentNone:
			return matching.FieldErrorf(f, "the candidate at position %d has not agreed to be presented", it.Position)
		case *it.Presentation == matching.PresentBlind && it.Mode != "blind":
			return matching.FieldErrorf(f, "the candidate at position %d agreed to be presented only without name and contacts", it.Position)
		}
	}
	return nil
}

const feedbackColumns = `id, entry_id, shortlist_id, decision, COALESCE(reason, '') AS reason, comment, at,
	by_user AS "by"`

// AddFeedback validates and records the employer's feedback on a presented
// candidate, setting its ID and time. When it names a shortlist, the
// candidate must be in it.
func (s *DB) AddFeedback(ctx context.Context, f *matching.Feedback) error {
	if err := f.Validate(); err != nil {
		return err
	}
	f.At = s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.QueryRowxContext(ctx, `
			INSERT INTO feedback (entry_id, shortlist_id, decision, reason, comment, at, by_user)
			VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7) RETURNING id`,
			f.EntryID, f.ShortlistID, f.Decision, f.Reason, f.Comment, f.At, f.By).Scan(&f.ID)
		if err != nil || f.ShortlistID == nil {
			return err
		}
		var in bool
		err = tx.QueryRowxContext(ctx, `SELECT EXISTS (SELECT 1 FROM shortlist_items
			WHERE shortlist_id = $1 AND entry_id = $2)`, *f.ShortlistID, f.EntryID).Scan(&in)
		if err != nil {
			return err
		}
		if !in {
			return matching.FieldErrorf("shortlist_id", "pipeline entry %d is not in shortlist %d", f.EntryID, *f.ShortlistID)
		}
		return nil
	})
}

// FeedbackForEntry returns the feedback on a pipeline entry, oldest first.
func (s *DB) FeedbackForEntry(ctx context.Context, entryID int64) ([]matching.Feedback, error) {
	out := []matching.Feedback{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+feedbackColumns+` FROM feedback WHERE entry_id = $1
		ORDER BY at, id`, entryID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// FeedbackForRequest returns the feedback on every candidate of a request,
// oldest first.
func (s *DB) FeedbackForRequest(ctx context.Context, requestID int64) ([]matching.Feedback, error) {
	out := []matching.Feedback{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+feedbackColumns+` FROM feedback
		WHERE entry_id IN (SELECT id FROM pipeline_entries WHERE request_id = $1)
		ORDER BY at, id`, requestID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// AddCompetenceCheck validates and records a 4D verification of a
// competence, setting its ID and time. A requirement it refers to must be
// one of the request's vacancy.
func (s *DB) AddCompetenceCheck(ctx context.Context, c *matching.CompetenceCheck) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if len([]rune(c.Note)) > 2000 {
		return matching.FieldErrorf("note", "must be at most 2000 characters")
	}
	c.At = s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.QueryRowxContext(ctx, `
			INSERT INTO competence_checks (entry_id, requirement_id, competence, method, result, note, at, by_user)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			c.EntryID, c.RequirementID, c.Competence, c.Method, c.Result, c.Note, c.At, c.By).Scan(&c.ID)
		if err != nil || c.RequirementID == nil {
			return err
		}
		var ok bool
		err = tx.QueryRowxContext(ctx, `SELECT EXISTS (SELECT 1
			FROM pipeline_entries p JOIN requests r ON r.id = p.request_id
				JOIN vacancy_requirements v ON v.vacancy_id = r.vacancy_id
			WHERE p.id = $1 AND v.id = $2)`, c.EntryID, *c.RequirementID).Scan(&ok)
		if err != nil {
			return err
		}
		if !ok {
			return matching.FieldErrorf("requirement_id", "requirement %d is not one of the request's vacancy", *c.RequirementID)
		}
		return nil
	})
}

// CompetenceChecks returns the competence verifications of a pipeline
// entry, oldest first.
func (s *DB) CompetenceChecks(ctx context.Context, entryID int64) ([]matching.CompetenceCheck, error) {
	out := []matching.CompetenceCheck{}
	err := s.db.SelectContext(ctx, &out, `
		SELECT id, entry_id, requirement_id, competence, method, result, note, at, by_user AS "by"
		FROM competence_checks WHERE entry_id = $1 ORDER BY at, id`, entryID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}
