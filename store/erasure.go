package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"incontro/matching"
)

// A jobseeker's own data: the pipeline entries about them as they may see
// them (for the download of everything incontro holds about them), and the
// erasure of the jobseeker (GDPR art. 17).

// CandidateEntry is a pipeline entry about a jobseeker as the jobseeker may
// see it: the vacancy (its employer named only once it is published), how
// they came in, where they stand, and when their stage changed and they
// were contacted. The staff's notes stay with the staff.
type CandidateEntry struct {
	ID                      int64              `json:"id" db:"id"`
	RequestID               int64              `json:"request_id" db:"request_id"`
	VacancyID               int64              `json:"vacancy_id" db:"vacancy_id"`
	VacancyTitle            string             `json:"vacancy_title" db:"vacancy_title"`
	EmployerName            string             `json:"employer_name,omitempty" db:"employer_name"`
	Source                  matching.Source    `json:"source" db:"source"`
	Stage                   matching.Stage     `json:"stage" db:"stage"`
	RejectionReason         string             `json:"rejection_reason,omitempty" db:"rejection_reason"`
	AvailabilityConfirmedAt *time.Time         `json:"availability_confirmed_at,omitempty" db:"availability_confirmed_at"`
	CreatedAt               time.Time          `json:"created_at" db:"created_at"`
	UpdatedAt               time.Time          `json:"updated_at" db:"updated_at"`
	Stages                  []CandidateStage   `json:"stages" db:"-"`
	Contacts                []CandidateContact `json:"contacts" db:"-"`
}

// CandidateStage is a change of stage as the jobseeker sees it.
type CandidateStage struct {
	From *matching.Stage `json:"from,omitempty" db:"from"`
	To   matching.Stage  `json:"to" db:"to"`
	At   time.Time       `json:"at" db:"at"`
}

// CandidateContact is a contact with the jobseeker: how, with what
// outcome, when.
type CandidateContact struct {
	Channel string    `json:"channel" db:"channel"`
	Outcome string    `json:"outcome" db:"outcome"`
	At      time.Time `json:"at" db:"at"`
}

// CandidateEntries returns the pipeline entries about a candidate, newest
// first, as the candidate may see them.
func (s *DB) CandidateEntries(ctx context.Context, candidateID int64) ([]CandidateEntry, error) {
	out := []CandidateEntry{}
	err := s.db.SelectContext(ctx, &out, `
		SELECT p.id, p.request_id, v.id AS vacancy_id, v.title AS vacancy_title,
			CASE WHEN v.status = 'published' THEN e.name ELSE '' END AS employer_name,
			p.source, p.stage, COALESCE(p.rejection_reason, '') AS rejection_reason, p.availability_confirmed_at,
			p.created_at, p.updated_at
		FROM pipeline_entries p JOIN requests r ON r.id = p.request_id JOIN vacancies v ON v.id = r.vacancy_id
			JOIN employers e ON e.id = v.employer_id
		WHERE p.candidate_id = $1 ORDER BY p.created_at DESC, p.id DESC`, candidateID)
	if err != nil || len(out) == 0 {
		return out, mapError(err)
	}
	ids := make([]int64, len(out))
	byID := make(map[int64]*CandidateEntry, len(out))
	for i := range out {
		ids[i] = out[i].ID
		out[i].Stages, out[i].Contacts = []CandidateStage{}, []CandidateContact{}
		byID[out[i].ID] = &out[i]
	}
	var stages []struct {
		EntryID int64 `db:"entry_id"`
		CandidateStage
	}
	if err := s.db.SelectContext(ctx, &stages, `SELECT entry_id, from_stage AS "from", to_stage AS "to", at
		FROM pipeline_stage_history WHERE entry_id = ANY($1) ORDER BY at, id`, pq.Array(ids)); err != nil {
		return nil, mapError(err)
	}
	for _, st := range stages {
		e := byID[st.EntryID]
		e.Stages = append(e.Stages, st.CandidateStage)
	}
	var contacts []struct {
		EntryID int64 `db:"entry_id"`
		CandidateContact
	}
	if err := s.db.SelectContext(ctx, &contacts, `SELECT entry_id, channel, outcome, at
		FROM contacts WHERE entry_id = ANY($1) ORDER BY at, id`, pq.Array(ids)); err != nil {
		return nil, mapError(err)
	}
	for _, ct := range contacts {
		e := byID[ct.EntryID]
		e.Contacts = append(e.Contacts, ct.CandidateContact)
	}
	return out, nil
}

// EraseCandidate erases a jobseeker as the system (see EraseCandidateAs).
func (s *DB) EraseCandidate(ctx context.Context, id int64) error {
	return s.EraseCandidateAs(ctx, id, Actor{})
}

// EraseCandidateAs removes a jobseeker (GDPR erasure), recorded as done by
// the actor: the CV, the protected attributes and the jobseeker's account
// with its sessions, API tokens and confirmation links go (the foreign keys
// cascade); the index is told to drop the document. What the jobseeker
// wrote in the records that stay (the message of a self-application, the
// reason given when declining an availability request) is cleared, and so
// is their e-mail address in the log-in failures and the audit log.
// Historical request records keep what the statistics need under the
// pipeline entry's pseudonym: the stage, the source, the dates, the
// answers, the feedback. The audit log records the erasure, by candidate
// number only.
func (s *DB) EraseCandidateAs(ctx context.Context, id int64, a Actor) error {
	now := s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var email string
		err := tx.GetContext(ctx, &email, `SELECT email FROM candidates WHERE id = $1 FOR UPDATE`, id)
		if err != nil {
			return mapNotFound(err, "candidate", id)
		}
		var accounts []struct {
			ID    int64  `db:"id"`
			Email string `db:"email"`
		}
		if err := tx.SelectContext(ctx, &accounts, `SELECT id, email FROM users WHERE candidate_id = $1`, id); err != nil {
			return err
		}
		emails := []string{email}
		erasedUser := map[int64]bool{}
		for _, u := range accounts {
			emails = append(emails, u.Email)
			erasedUser[u.ID] = true
		}
		for _, q := range []string{
			`UPDATE applications SET message = '' WHERE candidate_id = $1 AND message <> ''`,
			`UPDATE availability_requests SET reason = '' WHERE reason <> ''
				AND entry_id IN (SELECT id FROM pipeline_entries WHERE candidate_id = $1)`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE email = ANY($1)`, pq.Array(emails)); err != nil {
			return err
		}
		// Failed log-ins record the address typed; once its owner is
		// erased, the events stay without it.
		if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET detail = detail - 'email'
			WHERE detail ? 'email' AND detail->>'email' = ANY($1)`, pq.Array(emails)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM candidates WHERE id = $1`, id)
		if err := expectOne(res, err, "candidate", id); err != nil {
			return err
		}
		if err := writeOutbox(ctx, tx, matching.EntityCandidate, id, matching.OpDelete); err != nil {
			return err
		}
		// The account that asked for its own erasure is gone: the event
		// keeps its role, not a reference to it.
		by := a
		if erasedUser[a.UserID] {
			by.UserID = 0
		}
		return writeAudit(ctx, tx, by.event(now, "candidate_erased", "candidate", &id, nil, &id, nil))
	})
}
