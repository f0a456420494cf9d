package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"incontro/matching"
)

// Operator time on a request: entries recorded by hand or by stopping a
// running timer. Every change is checked against the request it belongs
// to, locked for the transaction (matching.CheckTimeEntry,
// matching.CheckTimeEntryChange), and audited as time_entry_added,
// time_entry_changed or time_entry_deleted with the minutes. The sums per
// phase are never stored: they are derived from the entries when read.

const timeEntryColumns = `t.id, t.request_id, t.user_id, COALESCE(u.name, '') AS user_name, t.phase, t.activity,
	t.started_at, t.minutes, t.note, t.created_at`

// RecordTimeEntry records operator time on a request for the actor, setting
// the entry's ID and creation time. An entry without a phase takes its
// activity's; one with a phase must agree with it.
func (s *DB) RecordTimeEntry(ctx context.Context, t *matching.TimeEntry, a Actor) error {
	now := s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		r, err := lockedRequest(ctx, tx, t.RequestID)
		if matching.ErrorCode(err) == matching.ENOTFOUND {
			return matching.FieldErrorf("request_id", "refers to a request that does not exist")
		}
		if err != nil {
			return err
		}
		return s.insertTimeEntry(ctx, tx, &r, t, a, now, nil)
	})
}

// AddTimeEntry records time as the system (the seed, imports): the same
// rules and audit as RecordTimeEntry, with no user as the actor.
func (s *DB) AddTimeEntry(ctx context.Context, t *matching.TimeEntry) error {
	return s.RecordTimeEntry(ctx, t, Actor{})
}

// insertTimeEntry checks and inserts an entry on a request locked by the
// caller's transaction and audits it; extra goes into the audit detail.
func (s *DB) insertTimeEntry(ctx context.Context, tx *sqlx.Tx, r *matching.Request, t *matching.TimeEntry, a Actor,
	now time.Time, extra map[string]any) error {
	if t.Phase == "" {
		t.Phase, _ = matching.ActivityPhase(t.Activity)
	}
	t.StartedAt = dbTime(t.StartedAt)
	if err := t.Validate(); err != nil {
		return err
	}
	if err := matching.CheckTimeEntry(r, t, now); err != nil {
		return err
	}
	t.CreatedAt = now
	err := tx.QueryRowxContext(ctx, `
		INSERT INTO time_entries (request_id, user_id, phase, activity, started_at, minutes, note, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		t.RequestID, t.UserID, t.Phase, t.Activity, t.StartedAt, t.Minutes, t.Note, t.CreatedAt).Scan(&t.ID)
	if err != nil {
		return err
	}
	if t.UserID != nil {
		if err := tx.GetContext(ctx, &t.UserName, `SELECT name FROM users WHERE id = $1`, *t.UserID); err != nil {
			return err
		}
	}
	detail := map[string]any{"minutes": t.Minutes, "activity": t.Activity, "phase": t.Phase}
	for k, v := range extra {
		detail[k] = v
	}
	return writeAudit(ctx, tx, a.event(now, "time_entry_added", "time_entry", &t.ID, &r.ID, nil, detail))
}

// TimeEntry returns the time entry with the given id.
func (s *DB) TimeEntry(ctx context.Context, id int64) (matching.TimeEntry, error) {
	var t matching.TimeEntry
	err := s.db.GetContext(ctx, &t, `SELECT `+timeEntryColumns+`
		FROM time_entries t LEFT JOIN users u ON u.id = t.user_id WHERE t.id = $1`, id)
	if err != nil {
		return t, mapNotFound(err, "time entry", id)
	}
	return t, nil
}

// TimeEntries returns the time recorded on a request, in the order it was
// spent, with the names of the operators who recorded it.
func (s *DB) TimeEntries(ctx context.Context, requestID int64) ([]matching.TimeEntry, error) {
	out := []matching.TimeEntry{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+timeEntryColumns+`
		FROM time_entries t LEFT JOIN users u ON u.id = t.user_id
		WHERE t.request_id = $1 ORDER BY t.started_at, t.id`, requestID)
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

// TimeEntryChange corrects a time entry: the fields given replace the
// entry's, the others stay. A phase, when given, must agree with the
// activity (it always follows it).
type TimeEntryChange struct {
	Activity  *string
	Phase     *matching.Phase
	StartedAt *time.Time
	Minutes   *int
	Note      *string
}

// lockedTimeEntry locks the request of a time entry, then reads the entry,
// for a change by the actor: matching.CheckTimeEntryChange decides.
func lockedTimeEntry(ctx context.Context, tx *sqlx.Tx, id int64, a Actor) (matching.Request, matching.TimeEntry, error) {
	var t matching.TimeEntry
	var requestID int64
	err := tx.GetContext(ctx, &requestID, `SELECT request_id FROM time_entries WHERE id = $1`, id)
	if err != nil {
		return matching.Request{}, t, mapNotFound(err, "time entry", id)
	}
	r, err := lockedRequest(ctx, tx, requestID)
	if err != nil {
		return r, t, err
	}
	err = tx.GetContext(ctx, &t, `SELECT `+timeEntryColumns+`
		FROM time_entries t LEFT JOIN users u ON u.id = t.user_id WHERE t.id = $1 FOR UPDATE OF t`, id)
	if err != nil {
		return r, t, mapNotFound(err, "time entry", id)
	}
	return r, t, matching.CheckTimeEntryChange(&r, &t, a.UserID)
}

// UpdateTimeEntry corrects a time entry of the actor's on an open request
// and returns it as it now is.
func (s *DB) UpdateTimeEntry(ctx context.Context, id int64, ch TimeEntryChange, a Actor) (matching.TimeEntry, error) {
	now := s.now()
	var out matching.TimeEntry
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		r, t, err := lockedTimeEntry(ctx, tx, id, a)
		if err != nil {
			return err
		}
		before := t
		if ch.Activity != nil {
			t.Activity = *ch.Activity
			t.Phase, _ = matching.ActivityPhase(t.Activity)
		}
		if ch.Phase != nil {
			t.Phase = *ch.Phase
		}
		if ch.StartedAt != nil {
			t.StartedAt = dbTime(*ch.StartedAt)
		}
		if ch.Minutes != nil {
			t.Minutes = *ch.Minutes
		}
		if ch.Note != nil {
			t.Note = *ch.Note
		}
		if err := t.Validate(); err != nil {
			return err
		}
		if err := matching.CheckTimeEntry(&r, &t, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE time_entries SET phase = $2, activity = $3, started_at = $4, minutes = $5,
			note = $6 WHERE id = $1`, id, t.Phase, t.Activity, t.StartedAt, t.Minutes, t.Note)
		if err != nil {
			return err
		}
		out = t
		detail := map[string]any{"minutes": t.Minutes, "minutes_before": before.Minutes, "activity": t.Activity}
		if before.Activity != t.Activity {
			detail["activity_before"] = before.Activity
		}
		if !before.StartedAt.Equal(t.StartedAt) {
			detail["started_at"], detail["started_at_before"] = t.StartedAt, before.StartedAt
		}
		return writeAudit(ctx, tx, a.event(now, "time_entry_changed", "time_entry", &t.ID, &r.ID, nil, detail))
	})
	return out, err
}

// DeleteTimeEntry deletes a time entry of the actor's on an open request.
func (s *DB) DeleteTimeEntry(ctx context.Context, id int64, a Actor) error {
	now := s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		r, t, err := lockedTimeEntry(ctx, tx, id, a)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM time_entries WHERE id = $1`, id); err != nil {
			return err
		}
		detail := map[string]any{"minutes": t.Minutes, "activity": t.Activity, "phase": t.Phase}
		return writeAudit(ctx, tx, a.event(now, "time_entry_deleted", "time_entry", &t.ID, &r.ID, nil, detail))
	})
}

// The running timer: one per operator (running_timers is keyed by user).

// runningTimer reads the user's timer in the transaction, locked; nil when
// none runs.
func runningTimer(ctx context.Context, tx *sqlx.Tx, userID int64) (*matching.Timer, error) {
	var t matching.Timer
	err := tx.GetContext(ctx, &t, `SELECT user_id, request_id, activity, note, started_at FROM running_timers
		WHERE user_id = $1 FOR UPDATE`, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// stopTimer turns a running timer into a time entry on its request, locked
// by the caller, and removes it.
func (s *DB) stopTimer(ctx context.Context, tx *sqlx.Tx, r *matching.Request, t *matching.Timer, a Actor, now time.Time) (matching.TimeEntry, error) {
	e := t.Entry(now)
	if err := s.insertTimeEntry(ctx, tx, r, &e, a, now, map[string]any{"timer": true}); err != nil {
		return e, err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM running_timers WHERE user_id = $1`, t.UserID)
	return e, err
}

// StartTimer starts the actor's timer on a request's activity. A timer
// already running is stopped first and its time saved as an entry, which
// is returned (nil when none ran); if that entry cannot be saved (its
// request closed more than a week ago) nothing starts and the error says
// so. The activity must be one that may be recorded on the request now.
func (s *DB) StartTimer(ctx context.Context, requestID int64, activity, note string, a Actor) (matching.Timer, *matching.TimeEntry, error) {
	now := s.now()
	t := matching.Timer{UserID: a.UserID, RequestID: requestID, Activity: activity, Note: note, StartedAt: now}
	var saved *matching.TimeEntry
	if a.UserID == 0 {
		return t, nil, matching.Errorf(matching.EFORBIDDEN, "a timer belongs to an operator")
	}
	// The entry the timer will make, checked now so that a timer that could
	// not be saved does not start.
	probe := matching.TimeEntry{RequestID: requestID, Activity: activity, StartedAt: now, Minutes: 1, Note: note}
	probe.Phase, _ = matching.ActivityPhase(activity)
	if err := probe.Validate(); err != nil {
		return t, nil, err
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		running, err := runningTimer(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		// Both requests are locked in the order of their ids, so that two
		// operators switching between the same requests cannot deadlock.
		ids := []int64{requestID}
		if running != nil && running.RequestID != requestID {
			ids = append(ids, running.RequestID)
			if ids[1] < ids[0] {
				ids[0], ids[1] = ids[1], ids[0]
			}
		}
		locked := map[int64]matching.Request{}
		for _, id := range ids {
			r, err := lockedRequest(ctx, tx, id)
			if err != nil {
				return err
			}
			locked[id] = r
		}
		r := locked[requestID]
		if err := matching.CheckTimeEntry(&r, &probe, now); err != nil {
			return err
		}
		if running != nil {
			rr := locked[running.RequestID]
			e, err := s.stopTimer(ctx, tx, &rr, running, a, now)
			if err != nil {
				var me *matching.Error
				if errors.As(err, &me) {
					return &matching.Error{Code: me.Code, Field: me.Field, Message: fmt.Sprintf(
						"the running timer on request %d cannot be saved (%s): discard it first", running.RequestID, me.Message)}
				}
				return err
			}
			saved = &e
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO running_timers (user_id, request_id, activity, note, started_at)
			VALUES ($1, $2, $3, $4, $5)`, t.UserID, t.RequestID, t.Activity, t.Note, t.StartedAt)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, a.event(now, "timer_started", "request", &r.ID, &r.ID, nil,
			map[string]any{"activity": activity}))
	})
	return t, saved, err
}

// RunningTimer returns the user's running timer, or nil when none runs.
func (s *DB) RunningTimer(ctx context.Context, userID int64) (*matching.Timer, error) {
	var t matching.Timer
	err := s.db.GetContext(ctx, &t, `SELECT user_id, request_id, activity, note, started_at FROM running_timers
		WHERE user_id = $1`, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, mapError(err)
	}
	return &t, nil
}

// StopTimer stops the actor's running timer and saves its time as an entry
// (matching.Timer.Entry), which it returns; with no timer running it is
// ENOTFOUND. A request closed since the timer started still takes the
// entry within the late-paperwork week.
func (s *DB) StopTimer(ctx context.Context, a Actor) (matching.TimeEntry, error) {
	now := s.now()
	var out matching.TimeEntry
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		t, err := s.lockedTimer(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		// The timer's row is locked first, then its request, as StartTimer does.
		r, err := lockedRequest(ctx, tx, t.RequestID)
		if err != nil {
			return err
		}
		out, err = s.stopTimer(ctx, tx, &r, t, a, now)
		return err
	})
	return out, err
}

// lockedTimer returns the user's running timer, ENOTFOUND when none runs.
func (s *DB) lockedTimer(ctx context.Context, tx *sqlx.Tx, userID int64) (*matching.Timer, error) {
	t, err := runningTimer(ctx, tx, userID)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, matching.Errorf(matching.ENOTFOUND, "no timer is running")
	}
	return t, nil
}

// DiscardTimer throws the actor's running timer away without saving its
// time; with no timer running it is ENOTFOUND.
func (s *DB) DiscardTimer(ctx context.Context, a Actor) error {
	now := s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		t, err := s.lockedTimer(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM running_timers WHERE user_id = $1`, a.UserID); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a.event(now, "timer_discarded", "request", &t.RequestID, &t.RequestID, nil,
			map[string]any{"activity": t.Activity, "elapsed_minutes": t.ElapsedMinutes(now)}))
	})
}
