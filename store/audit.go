package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/jmoiron/sqlx"

	"incontro/matching"
)

const auditColumns = `id, at, user_id, role, action, object_type, object_id, request_id, candidate_id, ip, detail`

// checkAudit validates an audit event and fills the empty detail with {}.
func checkAudit(ev *matching.AuditEvent) error {
	if strings.TrimSpace(ev.Action) == "" {
		return matching.FieldErrorf("action", "is required")
	}
	if ev.Role != "" {
		known := false
		for _, r := range matching.Roles() {
			known = known || r == ev.Role
		}
		if !known {
			return matching.FieldErrorf("role", "%q is not a role", ev.Role)
		}
	}
	if len(ev.Detail) == 0 {
		ev.Detail = json.RawMessage(`{}`)
	}
	if !json.Valid(ev.Detail) {
		return matching.FieldErrorf("detail", "must be a JSON document")
	}
	return nil
}

// writeAudit appends an event, whose time the caller has set, to the audit
// log in the caller's transaction, setting its ID.
func writeAudit(ctx context.Context, tx *sqlx.Tx, ev *matching.AuditEvent) error {
	if ev.At.IsZero() {
		return errors.New("audit event without a time")
	}
	if err := checkAudit(ev); err != nil {
		return err
	}
	return tx.QueryRowxContext(ctx, `
		INSERT INTO audit_log (at, user_id, role, action, object_type, object_id, request_id, candidate_id, ip, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		ev.At, ev.UserID, ev.Role, ev.Action, ev.ObjectType, ev.ObjectID, ev.RequestID, ev.CandidateID, ev.IP,
		string(ev.Detail)).Scan(&ev.ID)
}

// Audit appends an event to the audit log at the current time, setting its
// ID and time; an empty detail is stored as {}.
func (s *DB) Audit(ctx context.Context, ev *matching.AuditEvent) error {
	if err := checkAudit(ev); err != nil {
		return err
	}
	ev.At = s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return writeAudit(ctx, tx, ev) })
}

// AuditForCandidate returns the latest events about a candidate, such as
// who read the CV, newest first (at most limit, 100 unless 1 to 500).
func (s *DB) AuditForCandidate(ctx context.Context, candidateID int64, limit int) ([]matching.AuditEvent, error) {
	limit, _ = listPage(limit, 0)
	out := []matching.AuditEvent{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+auditColumns+` FROM audit_log WHERE candidate_id = $1
		ORDER BY at DESC, id DESC LIMIT $2`, candidateID, limit)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// AuditFilter selects audit events in a list; zero fields do not filter.
type AuditFilter struct {
	UserID    int64
	RequestID int64
	Action    string
	Limit     int
	Offset    int
}

// AuditLog lists audit events, newest first, with the total matching the
// filter.
func (s *DB) AuditLog(ctx context.Context, f AuditFilter) ([]matching.AuditEvent, int, error) {
	limit, offset := listPage(f.Limit, f.Offset)
	rows := []struct {
		matching.AuditEvent
		Total int `db:"total"`
	}{}
	err := s.db.SelectContext(ctx, &rows, `
		SELECT `+auditColumns+`, COUNT(*) OVER () AS total FROM audit_log
		WHERE ($1::bigint = 0 OR user_id = $1) AND ($2::bigint = 0 OR request_id = $2)
			AND ($3::text = '' OR action = $3)
		ORDER BY at DESC, id DESC LIMIT $4 OFFSET $5`, f.UserID, f.RequestID, f.Action, limit, offset)
	if err != nil {
		return nil, 0, mapError(err)
	}
	out := make([]matching.AuditEvent, len(rows))
	total := 0
	for i, r := range rows {
		out[i], total = r.AuditEvent, r.Total
	}
	return out, total, nil
}

// AuditBatch appends several events to the audit log in one transaction,
// all at the current time (a page that shows several candidates reads
// several CVs); an event with an empty detail is stored with {}.
func (s *DB) AuditBatch(ctx context.Context, evs []*matching.AuditEvent) error {
	if len(evs) == 0 {
		return nil
	}
	now := s.now()
	for _, ev := range evs {
		if err := checkAudit(ev); err != nil {
			return err
		}
		ev.At = now
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		for _, ev := range evs {
			if err := writeAudit(ctx, tx, ev); err != nil {
				return err
			}
		}
		return nil
	})
}
