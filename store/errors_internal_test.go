package store

import (
	"context"
	"errors"
	"testing"

	"github.com/jmoiron/sqlx"

	"incontro/matching"
	"incontro/store/storetest"
)

// constraintFixture is one row of each table the bad rows below refer to
// (two of some); in a fresh database their ids are 1 and 2.
const constraintFixture = `
INSERT INTO providers (code, name, kind, municipality_code, created_at)
	VALUES ('cpi-trento', 'CPI Trento', 'public_centre', '022205', now());
INSERT INTO employers (name, tax_code, ateco_code, municipality_code, email, created_at, updated_at)
	VALUES ('Ristorante', '00488410010', '56.10.11', '022161', 'info@ristorante.it', now(), now());
INSERT INTO vacancies (employer_id, title, municipality_code, lat, lon, contract_type, created_at, updated_at)
	VALUES (1, 'Cuoco', '022161', 45.86, 11.04, 'permanent', now(), now()),
	       (1, 'Aiuto cuoco', '022161', 45.86, 11.04, 'permanent', now(), now());
INSERT INTO requests (provider_id, employer_id, vacancy_id, opened_at, updated_at)
	VALUES (1, 1, 1, now(), now());
INSERT INTO candidates (given_name, family_name, email, home_municipality_code, home_lat, home_lon,
		mobility_km, created_at, updated_at)
	VALUES ('Giulia', 'Rossi', 'giulia@example.it', '022205', 46.06, 11.11, 30, now(), now()),
	       ('Marco', 'Bianchi', 'marco@example.it', '022205', 46.06, 11.11, 30, now(), now());
INSERT INTO pipeline_entries (request_id, candidate_id, pseudonym, source, created_at, updated_at)
	VALUES (1, 1, 'C-1', 'search', now(), now()), (1, 2, 'C-2', 'search', now(), now());
INSERT INTO match_runs (request_id, params, created_at) VALUES (1, '{}', now());
INSERT INTO match_results (run_id, position, candidate_id, score, explanation) VALUES (1, 1, 1, 0.5, '{}');
INSERT INTO shortlists (request_id, version, created_at) VALUES (1, 1, now());
INSERT INTO shortlist_items (shortlist_id, position, entry_id, mode) VALUES (1, 1, 1, 'named');
INSERT INTO applications (vacancy_id, candidate_id, created_at) VALUES (1, 1, now());
`

// TestConstraintsMapToCodedErrors writes rows that only the database's own
// constraints refuse, bypassing validation, and checks that each refusal
// becomes a coded error naming the field.
func TestConstraintsMapToCodedErrors(t *testing.T) {
	ctx := context.Background()
	s := New(storetest.MustDB(t))
	if _, err := s.db.ExecContext(ctx, constraintFixture); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	tests := []struct {
		name        string
		sql         string
		code, field string
	}{
		{"a closed request without closing time", `UPDATE requests SET status = 'closed', outcome = 'filled', close_reason = 'other' WHERE id = 1`, matching.EINVALID, "outcome"},
		{"an unknown request status", `UPDATE requests SET status = 'paused' WHERE id = 1`, matching.EINVALID, "status"},
		{"an unknown request outcome", `UPDATE requests SET status = 'closed', outcome = 'lost', close_reason = 'other', closed_at = now() WHERE id = 1`, matching.EINVALID, "outcome"},
		{"a second request for a vacancy", `INSERT INTO requests (provider_id, employer_id, vacancy_id, opened_at, updated_at)
			VALUES (1, 1, 1, now(), now())`, matching.ECONFLICT, "vacancy_id"},
		{"a request for a vacancy that does not exist", `INSERT INTO requests (provider_id, employer_id, vacancy_id, opened_at, updated_at)
			VALUES (1, 1, 99, now(), now())`, matching.EINVALID, "vacancy_id"},
		{"a status change of a request that does not exist", `INSERT INTO request_status_history (request_id, to_status, at)
			VALUES (99, 'intake', now())`, matching.EINVALID, "request_id"},
		{"a second match result in a position", `INSERT INTO match_results (run_id, position, score, explanation)
			VALUES (1, 1, 0.1, '{}')`, matching.ECONFLICT, "position"},
		{"a second pipeline entry for a candidate", `INSERT INTO pipeline_entries (request_id, candidate_id, pseudonym, source, created_at, updated_at)
			VALUES (1, 1, 'C-x', 'search', now(), now())`, matching.ECONFLICT, "candidate_id"},
		{"a pipeline entry for a candidate that does not exist", `INSERT INTO pipeline_entries (request_id, candidate_id, pseudonym, source, created_at, updated_at)
			VALUES (1, 99, 'C-x', 'search', now(), now())`, matching.EINVALID, "candidate_id"},
		{"an unknown pipeline source", `UPDATE pipeline_entries SET source = 'newspaper' WHERE id = 1`, matching.EINVALID, "source"},
		{"an unknown pipeline stage", `UPDATE pipeline_entries SET stage = 'lost' WHERE id = 1`, matching.EINVALID, "stage"},
		{"a rejection without reason", `UPDATE pipeline_entries SET stage = 'rejected' WHERE id = 1`, matching.EINVALID, "rejection_reason"},
		{"an unknown rejection reason", `UPDATE pipeline_entries SET stage = 'rejected', rejection_reason = 'too_old' WHERE id = 1`, matching.EINVALID, "rejection_reason"},
		{"a blank note", `INSERT INTO pipeline_notes (entry_id, body, at) VALUES (1, ' ', now())`, matching.EINVALID, "body"},
		{"an unknown contact channel", `INSERT INTO contacts (entry_id, channel, outcome, at) VALUES (1, 'pigeon', 'available', now())`, matching.EINVALID, "channel"},
		{"an unknown contact outcome", `INSERT INTO contacts (entry_id, channel, outcome, at) VALUES (1, 'sms', 'maybe', now())`, matching.EINVALID, "outcome"},
		{"an answer without time", `INSERT INTO availability_requests (entry_id, sent_at, answer) VALUES (1, now(), 'interested')`, matching.EINVALID, "answer"},
		{"an unknown answer", `INSERT INTO availability_requests (entry_id, sent_at, answer, answered_at) VALUES (1, now(), 'maybe', now())`, matching.EINVALID, "answer"},
		{"a second application", `INSERT INTO applications (vacancy_id, candidate_id, created_at) VALUES (1, 1, now())`, matching.ECONFLICT, "candidate_id"},
		{"an unknown application status", `INSERT INTO applications (vacancy_id, candidate_id, status, created_at) VALUES (2, 1, 'lost', now())`, matching.EINVALID, "status"},
		{"a blank reason for not fitting", `INSERT INTO applications (vacancy_id, candidate_id, status, reason, created_at)
			VALUES (2, 1, 'not_fitting', ' ', now())`, matching.EINVALID, "reason"},
		{"a second shortlist version 1", `INSERT INTO shortlists (request_id, version, created_at) VALUES (1, 1, now())`, matching.ECONFLICT, "version"},
		{"a shortlist version 0", `INSERT INTO shortlists (request_id, version, created_at) VALUES (1, 0, now())`, matching.EINVALID, "version"},
		{"a presented shortlist without snapshot", `UPDATE shortlists SET status = 'presented', presented_at = now() WHERE id = 1`, matching.EINVALID, "snapshot"},
		{"an unknown shortlist status", `UPDATE shortlists SET status = 'lost', presented_at = now(), snapshot = '{}' WHERE id = 1`, matching.EINVALID, "status"},
		{"a candidate twice in a shortlist", `INSERT INTO shortlist_items (shortlist_id, position, entry_id, mode) VALUES (1, 2, 1, 'named')`, matching.ECONFLICT, "entry_id"},
		{"two candidates in one shortlist position", `INSERT INTO shortlist_items (shortlist_id, position, entry_id, mode) VALUES (1, 1, 2, 'named')`, matching.ECONFLICT, "position"},
		{"an unknown shortlist mode", `INSERT INTO shortlist_items (shortlist_id, position, entry_id, mode) VALUES (1, 2, 2, 'anonymous')`, matching.EINVALID, "mode"},
		{"a shortlist item for an entry that does not exist", `INSERT INTO shortlist_items (shortlist_id, position, entry_id, mode) VALUES (1, 2, 99, 'named')`, matching.EINVALID, "entry_id"},
		{"not selected without reason", `INSERT INTO feedback (entry_id, decision, at) VALUES (1, 'not_selected', now())`, matching.EINVALID, "reason"},
		{"an unknown feedback decision", `INSERT INTO feedback (entry_id, decision, at) VALUES (1, 'maybe', now())`, matching.EINVALID, "decision"},
		{"a blank competence", `INSERT INTO competence_checks (entry_id, competence, method, result, at) VALUES (1, ' ', 'interview', 'confirmed', now())`, matching.EINVALID, "competence"},
		{"an unknown verification method", `INSERT INTO competence_checks (entry_id, competence, method, result, at) VALUES (1, 'x', 'astrology', 'confirmed', now())`, matching.EINVALID, "method"},
		{"an unknown verification result", `INSERT INTO competence_checks (entry_id, competence, method, result, at) VALUES (1, 'x', 'interview', 'great', now())`, matching.EINVALID, "result"},
		{"a time entry of 0 minutes", `INSERT INTO time_entries (request_id, phase, activity, started_at, minutes, created_at)
			VALUES (1, '4C', 'database_search', now(), 0, now())`, matching.EINVALID, "minutes"},
		{"an unknown phase", `INSERT INTO time_entries (request_id, phase, activity, started_at, minutes, created_at)
			VALUES (1, '4E', 'database_search', now(), 10, now())`, matching.EINVALID, "phase"},
		{"an unknown activity", `INSERT INTO time_entries (request_id, phase, activity, started_at, minutes, created_at)
			VALUES (1, '4C', 'coffee', now(), 10, now())`, matching.EINVALID, "activity"},
		{"a time entry without request", `INSERT INTO time_entries (phase, activity, started_at, minutes, created_at)
			VALUES ('4C', 'database_search', now(), 10, now())`, matching.EINVALID, "request_id"},
		{"an audit event without action", `INSERT INTO audit_log (at, action) VALUES (now(), ' ')`, matching.EINVALID, "action"},
		{"an audit event for a request that does not exist", `INSERT INTO audit_log (at, action, request_id) VALUES (now(), 'x', 99)`, matching.EINVALID, "request_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is "+tt.code+" on "+tt.field, func(t *testing.T) {
			err := s.inTx(ctx, func(tx *sqlx.Tx) error {
				_, err := tx.ExecContext(ctx, tt.sql)
				return err
			})
			var me *matching.Error
			if !errors.As(err, &me) {
				t.Fatalf("got %v, want a coded error", err)
			}
			if me.Code != tt.code || me.Field != tt.field {
				t.Errorf("got %s on %q (%v), want %s on %q", me.Code, me.Field, err, tt.code, tt.field)
			}
		})
	}
}
