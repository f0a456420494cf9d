package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"

	"incontro/matching"
)

// Actor is who does something in the workflow: the user, their role and
// where from, for the status histories and the audit log. A zero UserID is
// the system (the seed, housekeeping).
type Actor struct {
	UserID int64
	Role   matching.Role
	IP     string
}

// by returns the user id for the history columns, nil for the system.
func (a Actor) by() *int64 {
	if a.UserID == 0 {
		return nil
	}
	id := a.UserID
	return &id
}

// event returns an audit event by the actor at the given time.
func (a Actor) event(at time.Time, action, objectType string, objectID, requestID, candidateID *int64, detail any) *matching.AuditEvent {
	ev := &matching.AuditEvent{At: at, UserID: a.by(), Role: a.Role, Action: action, ObjectType: objectType,
		ObjectID: objectID, RequestID: requestID, CandidateID: candidateID, IP: a.IP}
	if detail != nil {
		if b, err := json.Marshal(detail); err == nil {
			ev.Detail = b
		}
	}
	return ev
}

// lockedRequest reads a request and locks its row for the rest of the
// transaction: every change of a request's state, and every write whose
// rules depend on that state, goes one at a time.
func lockedRequest(ctx context.Context, tx *sqlx.Tx, id int64) (matching.Request, error) {
	var r matching.Request
	err := tx.GetContext(ctx, &r, `SELECT `+requestColumns+` FROM requests WHERE id = $1 FOR UPDATE`, id)
	if err != nil {
		return r, mapNotFound(err, "request", id)
	}
	return r, nil
}

// requestFacts gathers what the life cycle's preconditions look at.
func requestFacts(ctx context.Context, q sqlx.QueryerContext, r *matching.Request) (matching.RequestFacts, error) {
	var f struct {
		Requirements      int `db:"requirements"`
		MatchRuns         int `db:"match_runs"`
		Entries           int `db:"entries"`
		Presented         int `db:"presented"`
		PresentedVersions int `db:"presented_versions"`
		Feedback          int `db:"feedback"`
		Hired             int `db:"hired"`
		CompetenceChecks  int `db:"competence_checks"`
		SelectionSessions int `db:"selection_sessions"`
	}
	err := sqlx.GetContext(ctx, q, &f, `
		SELECT
			(SELECT count(*) FROM vacancy_requirements WHERE vacancy_id = $2) AS requirements,
			(SELECT count(*) FROM match_runs WHERE request_id = $1) AS match_runs,
			(SELECT count(*) FROM pipeline_entries WHERE request_id = $1) AS entries,
			(SELECT count(DISTINCT i.entry_id) FROM shortlist_items i JOIN shortlists s ON s.id = i.shortlist_id
				WHERE s.request_id = $1 AND s.status <> 'draft') AS presented,
			(SELECT count(*) FROM shortlists WHERE request_id = $1 AND status <> 'draft') AS presented_versions,
			(SELECT count(*) FROM feedback f JOIN pipeline_entries p ON p.id = f.entry_id WHERE p.request_id = $1) AS feedback,
			(SELECT count(*) FROM pipeline_entries WHERE request_id = $1 AND stage = 'hired') AS hired,
			(SELECT count(*) FROM competence_checks c JOIN pipeline_entries p ON p.id = c.entry_id
				WHERE p.request_id = $1) AS competence_checks,
			(SELECT count(*) FROM selection_sessions WHERE request_id = $1) AS selection_sessions`, r.ID, r.VacancyID)
	if err != nil {
		return matching.RequestFacts{}, err
	}
	out := matching.RequestFacts{Requirements: f.Requirements, MatchRuns: f.MatchRuns, Entries: f.Entries,
		Presented: f.Presented, PresentedVersions: f.PresentedVersions, Feedback: f.Feedback, Hired: f.Hired,
		CompetenceChecks: f.CompetenceChecks, SelectionSessions: f.SelectionSessions, Minutes: map[matching.Phase]int{}}
	rows := []struct {
		Phase   matching.Phase `db:"phase"`
		Minutes int            `db:"minutes"`
	}{}
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT phase, sum(minutes) AS minutes FROM time_entries
		WHERE request_id = $1 GROUP BY phase`, r.ID); err != nil {
		return out, err
	}
	for _, row := range rows {
		out.Minutes[row.Phase] = row.Minutes
	}
	return out, nil
}

// RequestFacts returns the facts the life cycle's preconditions look at,
// for showing which steps are possible.
func (s *DB) RequestFacts(ctx context.Context, id int64) (matching.RequestFacts, error) {
	r, err := s.Request(ctx, id)
	if err != nil {
		return matching.RequestFacts{}, err
	}
	f, err := requestFacts(ctx, s.db, &r)
	return f, mapError(err)
}

// TransitionRequest moves a request to another state if the life cycle
// allows it for the actor's role (matching.CheckTransition), in one
// transaction with its status history row and an audit event, and returns
// the request as it now is. Closing the request closes its vacancy in the
// same transaction (closeRequestVacancy).
func (s *DB) TransitionRequest(ctx context.Context, id int64, in matching.TransitionInput, a Actor) (matching.Request, error) {
	var out matching.Request
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if in.To == matching.StatusClosed {
			// The vacancy is locked before the request, in the order an
			// application and the opening of a request take them.
			if err := lockRequestVacancy(ctx, tx, id); err != nil {
				return err
			}
		}
		r, err := lockedRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.transition(ctx, tx, &r, in, a); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// transition checks and applies a change of state to a request locked by
// the caller's transaction, updating r.
func (s *DB) transition(ctx context.Context, tx *sqlx.Tx, r *matching.Request, in matching.TransitionInput, a Actor) error {
	f, err := requestFacts(ctx, tx, r)
	if err != nil {
		return err
	}
	if err := matching.CheckTransition(r, a.Role, &in, &f); err != nil {
		return err
	}
	now := s.now()
	from := r.Status
	r.Status, r.UpdatedAt = in.To, now
	if in.To == matching.StatusCompetenceVerification {
		r.With4D = true
	}
	if in.To == matching.StatusClosed {
		reason := in.CloseReason
		r.Outcome, r.CloseReason, r.ClosedAt = in.Outcome, &reason, &now
	}
	_, err = tx.ExecContext(ctx, `
		UPDATE requests SET status = $2, outcome = $3, close_reason = $4, closed_at = $5, with_4d = $6, updated_at = $7
		WHERE id = $1`, r.ID, r.Status, r.Outcome, r.CloseReason, r.ClosedAt, r.With4D, now)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO request_status_history (request_id, from_status, to_status, outcome, close_reason, note, at, by_user)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, r.ID, from, r.Status, r.Outcome, r.CloseReason, in.Note, now, a.by())
	if err != nil {
		return err
	}
	detail := map[string]any{"from": from, "to": r.Status}
	if in.Action != "" {
		detail["action"] = in.Action
	}
	if r.Outcome != nil {
		detail["outcome"], detail["close_reason"] = *r.Outcome, *r.CloseReason
		if under := r.UnderStandard(&f); len(under) > 0 {
			detail["under_standard"] = under
		}
	}
	if err := writeAudit(ctx, tx, a.event(now, "request_status", "request", &r.ID, &r.ID, nil, detail)); err != nil {
		return err
	}
	if r.Status == matching.StatusClosed {
		return s.closeRequestVacancy(ctx, tx, r, now, a)
	}
	return nil
}
