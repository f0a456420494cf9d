package store

import (
	"context"
	"encoding/json"
	"time"

	"incontro/matching"
)

// CVRead is a read of a candidate's CV as the candidate may see it: who
// (the reader's role, their organisation, and their name when they are
// staff of a provider or of the Province), when, why and in which request.
type CVRead struct {
	ID           int64         `json:"id" db:"id"`
	At           time.Time     `json:"at" db:"at"`
	Role         matching.Role `json:"role" db:"role"`
	Organisation string        `json:"organisation,omitempty" db:"organisation"`
	Name         string        `json:"name,omitempty" db:"name"`
	Purpose      string        `json:"purpose,omitempty" db:"purpose"`
	RequestID    *int64        `json:"request_id,omitempty" db:"request_id"`
}

// CVReads returns the reads of a candidate's CV in the audit log, newest
// first, a page at a time with the total. Employer users are named by
// their company only.
func (s *DB) CVReads(ctx context.Context, candidateID int64, limit, offset int) ([]CVRead, int, error) {
	limit, offset = listPage(limit, offset)
	rows := []struct {
		CVRead
		Detail json.RawMessage `db:"detail"`
		Total  int             `db:"total"`
	}{}
	err := s.db.SelectContext(ctx, &rows, `
		SELECT l.id, l.at, l.role, l.request_id, l.detail,
			COALESCE(p.name, e.name, CASE WHEN l.role IN ('monitor', 'admin') THEN 'Provincia autonoma di Trento' END, '') AS organisation,
			CASE WHEN l.role IN ('operator', 'monitor', 'admin') THEN COALESCE(u.name, '') ELSE '' END AS name,
			COUNT(*) OVER () AS total
		FROM audit_log l LEFT JOIN users u ON u.id = l.user_id
			LEFT JOIN providers p ON p.id = u.provider_id LEFT JOIN employers e ON e.id = u.employer_id
		WHERE l.candidate_id = $1 AND l.action = 'cv_read'
		ORDER BY l.at DESC, l.id DESC LIMIT $2 OFFSET $3`, candidateID, limit, offset)
	if err != nil {
		return nil, 0, mapError(err)
	}
	out := make([]CVRead, len(rows))
	total := 0
	for i, r := range rows {
		out[i], total = r.CVRead, r.Total
		var d struct {
			Purpose string `json:"purpose"`
		}
		if json.Unmarshal(r.Detail, &d) == nil {
			out[i].Purpose = d.Purpose
		}
	}
	return out, total, nil
}
