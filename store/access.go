package store

import (
	"context"
	"database/sql"
	"errors"
)

// PresentedMode reports whether a candidate has been presented to an
// employer in a shortlist, and how (named or blind) in the latest
// presentation. Employers see only candidates presented to them, and only
// while the candidate still consents to be presented and has not withdrawn.
func (s *DB) PresentedMode(ctx context.Context, candidateID, employerID int64) (mode string, presented bool, err error) {
	err = s.db.GetContext(ctx, &mode, `
		SELECT si.mode FROM shortlist_items si
		JOIN shortlists sl ON sl.id = si.shortlist_id
		JOIN pipeline_entries pe ON pe.id = si.entry_id
		JOIN requests r ON r.id = sl.request_id
		JOIN candidates c ON c.id = pe.candidate_id
		WHERE pe.candidate_id = $1 AND r.employer_id = $2 AND sl.status IN ('presented', 'superseded')
			AND c.presentation <> 'none' AND pe.stage <> 'withdrew'
		ORDER BY sl.presented_at DESC LIMIT 1`, candidateID, employerID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, mapError(err)
	}
	return mode, true, nil
}

// EmployerServedBy reports whether a provider serves an employer: it follows
// the employer or handles one of its requests.
func (s *DB) EmployerServedBy(ctx context.Context, employerID, providerID int64) (bool, error) {
	var ok bool
	err := s.db.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM employers WHERE id = $1 AND provider_id = $2)
		OR EXISTS (SELECT 1 FROM requests WHERE employer_id = $1 AND provider_id = $2)`, employerID, providerID)
	return ok, mapError(err)
}

// VacancyEmployer returns the employer a vacancy belongs to.
func (s *DB) VacancyEmployer(ctx context.Context, vacancyID int64) (int64, error) {
	var id int64
	err := s.db.GetContext(ctx, &id, `SELECT employer_id FROM vacancies WHERE id = $1`, vacancyID)
	return id, mapNotFound(err, "vacancy", vacancyID)
}
