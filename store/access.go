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

// Owners are the parties a workflow record belongs to, for the ownership
// policies: the provider handling its request, the employer, the
// candidate, whether the candidate was presented to the employer (for a
// pipeline entry) or the record is a presented shortlist, and the user who
// wrote it (a time entry).
type Owners struct {
	RequestID   int64 `db:"request_id"`
	ProviderID  int64 `db:"provider_id"`
	EmployerID  int64 `db:"employer_id"`
	CandidateID int64 `db:"candidate_id"`
	Presented   bool  `db:"presented"`
	UserID      int64 `db:"user_id"`
}

// ownerQueries read the owners of each kind of workflow record.
var ownerQueries = map[string]string{
	"pipeline entry": `
		SELECT r.id AS request_id, r.provider_id, r.employer_id, COALESCE(p.candidate_id, 0) AS candidate_id,
			EXISTS (SELECT 1 FROM shortlist_items i JOIN shortlists s ON s.id = i.shortlist_id
				WHERE i.entry_id = p.id AND s.status <> 'draft') AS presented, 0 AS user_id
		FROM pipeline_entries p JOIN requests r ON r.id = p.request_id WHERE p.id = $1`,
	"shortlist": `
		SELECT r.id AS request_id, r.provider_id, r.employer_id, 0 AS candidate_id, s.status <> 'draft' AS presented, 0 AS user_id
		FROM shortlists s JOIN requests r ON r.id = s.request_id WHERE s.id = $1`,
	// An application belongs to the vacancy's employer and to the providers
	// serving it (through the vacancy's request, or the employer's provider).
	"application": `
		SELECT COALESCE(r.id, 0) AS request_id, COALESCE(r.provider_id, e.provider_id, 0) AS provider_id,
			v.employer_id, COALESCE(a.candidate_id, 0) AS candidate_id, false AS presented, 0 AS user_id
		FROM applications a JOIN vacancies v ON v.id = a.vacancy_id JOIN employers e ON e.id = v.employer_id
			LEFT JOIN requests r ON r.vacancy_id = v.id
		WHERE a.id = $1`,
	"availability request": `
		SELECT r.id AS request_id, r.provider_id, r.employer_id, COALESCE(p.candidate_id, 0) AS candidate_id,
			false AS presented, 0 AS user_id
		FROM availability_requests q JOIN pipeline_entries p ON p.id = q.entry_id JOIN requests r ON r.id = p.request_id
		WHERE q.id = $1`,
	"time entry": `
		SELECT r.id AS request_id, r.provider_id, r.employer_id, 0 AS candidate_id, false AS presented,
			COALESCE(t.user_id, 0) AS user_id
		FROM time_entries t JOIN requests r ON r.id = t.request_id WHERE t.id = $1`,
}

// OwnersOf returns the owners of a workflow record of the given kind
// ("pipeline entry", "shortlist", "application", "availability request",
// "time entry"); a missing record is ENOTFOUND.
func (s *DB) OwnersOf(ctx context.Context, kind string, id int64) (Owners, error) {
	var o Owners
	q, ok := ownerQueries[kind]
	if !ok {
		return o, errors.New("store: no owners for " + kind)
	}
	if err := s.db.GetContext(ctx, &o, q, id); err != nil {
		return o, mapNotFound(err, kind, id)
	}
	return o, nil
}
