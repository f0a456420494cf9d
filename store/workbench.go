package store

import (
	"context"

	"github.com/lib/pq"

	"incontro/matching"
)

// ServedVacancy is a vacancy an operator may open a request for, with its
// employer's name.
type ServedVacancy struct {
	ID           int64                  `db:"id"`
	Title        string                 `db:"title"`
	Status       matching.VacancyStatus `db:"status"`
	EmployerID   int64                  `db:"employer_id"`
	EmployerName string                 `db:"employer_name"`
}

// VacanciesServedBy lists the vacancies without a request (a vacancy has
// at most one) and not closed of the employers a provider serves (as
// EmployerServedBy decides: it follows the employer or handles one of its
// requests), by employer and newest first, at most limit.
func (s *DB) VacanciesServedBy(ctx context.Context, providerID int64, limit int) ([]ServedVacancy, error) {
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	out := []ServedVacancy{}
	err := s.db.SelectContext(ctx, &out, `
		SELECT v.id, v.title, v.status, v.employer_id, e.name AS employer_name
		FROM vacancies v JOIN employers e ON e.id = v.employer_id
		WHERE v.status <> 'closed' AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.vacancy_id = v.id) AND (e.provider_id = $1
			OR EXISTS (SELECT 1 FROM requests r WHERE r.employer_id = e.id AND r.provider_id = $1))
		ORDER BY e.name, v.created_at DESC, v.id DESC LIMIT $2`, providerID, limit)
	return out, mapError(err)
}

// CandidateNames returns the names of candidates as a pipeline shows them
// (given and family name; the erased are absent), without reading their
// CVs.
func (s *DB) CandidateNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows := []struct {
		ID   int64  `db:"id"`
		Name string `db:"name"`
	}{}
	if err := s.db.SelectContext(ctx, &rows, `SELECT id, given_name || ' ' || family_name AS name
		FROM candidates WHERE id = ANY($1)`, pq.Array(ids)); err != nil {
		return nil, mapError(err)
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// UserNames returns the names of users by id, for the histories of the
// pages.
func (s *DB) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows := []struct {
		ID   int64  `db:"id"`
		Name string `db:"name"`
	}{}
	if err := s.db.SelectContext(ctx, &rows, `SELECT id, name FROM users WHERE id = ANY($1)`, pq.Array(ids)); err != nil {
		return nil, mapError(err)
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}
