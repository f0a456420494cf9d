package store

import (
	"context"

	"github.com/jmoiron/sqlx"

	"incontro/matching"
)

// AddTimeEntry validates and records operator time on a request, setting
// its ID and creation time. An entry without a phase takes its activity's.
func (s *DB) AddTimeEntry(ctx context.Context, t *matching.TimeEntry) error {
	if t.Phase == "" {
		t.Phase, _ = matching.ActivityPhase(t.Activity)
	}
	t.StartedAt = dbTime(t.StartedAt)
	if err := t.Validate(); err != nil {
		return err
	}
	t.CreatedAt = s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		return tx.QueryRowxContext(ctx, `
			INSERT INTO time_entries (request_id, user_id, phase, activity, started_at, minutes, note, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			t.RequestID, t.UserID, t.Phase, t.Activity, t.StartedAt, t.Minutes, t.Note, t.CreatedAt).Scan(&t.ID)
	})
}

// TimeEntries returns the time recorded on a request, in the order it was spent.
func (s *DB) TimeEntries(ctx context.Context, requestID int64) ([]matching.TimeEntry, error) {
	out := []matching.TimeEntry{}
	err := s.db.SelectContext(ctx, &out, `
		SELECT id, request_id, user_id, phase, activity, started_at, minutes, note, created_at
		FROM time_entries WHERE request_id = $1 ORDER BY started_at, id`, requestID)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// TimeByPhase returns the minutes recorded on a request per phase; phases
// without time are left out.
func (s *DB) TimeByPhase(ctx context.Context, requestID int64) (map[matching.Phase]int, error) {
	var rows []struct {
		Phase   matching.Phase `db:"phase"`
		Minutes int            `db:"minutes"`
	}
	err := s.db.SelectContext(ctx, &rows, `SELECT phase, SUM(minutes) AS minutes FROM time_entries
		WHERE request_id = $1 GROUP BY phase`, requestID)
	if err != nil {
		return nil, mapError(err)
	}
	out := make(map[matching.Phase]int, len(rows))
	for _, r := range rows {
		out[r.Phase] = r.Minutes
	}
	return out, nil
}

// DeleteTimeEntry deletes a time entry.
func (s *DB) DeleteTimeEntry(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM time_entries WHERE id = $1`, id)
		return expectOne(res, err, "time entry", id)
	})
}
