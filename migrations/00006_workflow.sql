-- The 4C/4D workflow: closing reasons, feedback details (interview date,
-- hire start date and contract, the unmet requirement), availability
-- overrides on a presented shortlist, 4D selection-support sessions, the
-- operators' running timers, and the link from a pipeline entry to the
-- self-application it came from.

-- +goose Up
ALTER TABLE requests ADD COLUMN close_reason text;
UPDATE requests SET close_reason = 'other' WHERE status = 'closed';
ALTER TABLE requests ADD CONSTRAINT requests_close_reason_check CHECK ((status = 'closed') = (close_reason IS NOT NULL)
    AND (close_reason IS NULL OR close_reason IN ('hired', 'no_suitable_candidates', 'candidates_rejected', 'no_answer',
        'employer_withdrew', 'filled_elsewhere', 'duplicate', 'entered_in_error', 'other')));
ALTER TABLE request_status_history ADD COLUMN close_reason text;
CREATE INDEX requests_opened_at_idx ON requests (opened_at);

ALTER TABLE feedback DROP CONSTRAINT feedback_decision_check;
UPDATE feedback SET decision = 'interview_planned' WHERE decision = 'interview';
ALTER TABLE feedback ADD CONSTRAINT feedback_decision_check
    CHECK (decision IN ('interview_planned', 'interview_held', 'hired', 'not_selected', 'on_hold'));
ALTER TABLE feedback ADD COLUMN interview_at timestamptz,
    ADD COLUMN start_date date,
    ADD COLUMN contract_type text NOT NULL DEFAULT '',
    ADD COLUMN requirement_id bigint REFERENCES vacancy_requirements (id) ON DELETE SET NULL;
ALTER TABLE feedback ADD CONSTRAINT feedback_hired_check
    CHECK (decision <> 'hired' OR (start_date IS NOT NULL AND contract_type <> ''));

ALTER TABLE shortlist_items ADD COLUMN override_note text NOT NULL DEFAULT '';

ALTER TABLE pipeline_entries ADD COLUMN application_id bigint REFERENCES applications (id) ON DELETE SET NULL;
CREATE INDEX pipeline_entries_request_id_idx ON pipeline_entries (request_id, stage);

CREATE TABLE selection_sessions (
    id                bigserial PRIMARY KEY,
    request_id        bigint NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    held_at           timestamptz NOT NULL,
    participants      text NOT NULL CHECK (btrim(participants) <> ''),
    note              text NOT NULL CHECK (btrim(note) <> ''),
    proposed_entry_id bigint REFERENCES pipeline_entries (id) ON DELETE SET NULL,
    at                timestamptz NOT NULL,
    by_user           bigint REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX selection_sessions_request_id_idx ON selection_sessions (request_id, held_at);

-- One running timer per operator: starting another stops the first.
CREATE TABLE running_timers (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    request_id bigint NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    activity   text NOT NULL,
    note       text NOT NULL DEFAULT '',
    started_at timestamptz NOT NULL,
    CONSTRAINT running_timers_activity_check CHECK (activity IN ('intake_interview', 'profile_definition', 'database_search',
        'vacancy_publication', 'candidate_contact', 'self_application_review', 'shortlist_presentation',
        'feedback_collection', 'skill_gap_support', 'outcome_recording', 'competence_verification', 'selection_support'))
);

CREATE INDEX time_entries_started_at_idx ON time_entries (started_at);
CREATE INDEX shortlists_presented_at_idx ON shortlists (request_id, presented_at) WHERE presented_at IS NOT NULL;

-- +goose Down
DROP INDEX shortlists_presented_at_idx, time_entries_started_at_idx;
DROP TABLE running_timers, selection_sessions;
DROP INDEX pipeline_entries_request_id_idx;
ALTER TABLE pipeline_entries DROP COLUMN application_id;
ALTER TABLE shortlist_items DROP COLUMN override_note;
ALTER TABLE feedback DROP CONSTRAINT feedback_hired_check;
ALTER TABLE feedback DROP COLUMN interview_at, DROP COLUMN start_date, DROP COLUMN contract_type, DROP COLUMN requirement_id;
ALTER TABLE feedback DROP CONSTRAINT feedback_decision_check;
UPDATE feedback SET decision = 'interview' WHERE decision IN ('interview_planned', 'interview_held');
ALTER TABLE feedback ADD CONSTRAINT feedback_decision_check CHECK (decision IN ('interview', 'hired', 'not_selected', 'on_hold'));
DROP INDEX requests_opened_at_idx;
ALTER TABLE request_status_history DROP COLUMN close_reason;
ALTER TABLE requests DROP CONSTRAINT requests_close_reason_check;
ALTER TABLE requests DROP COLUMN close_reason;
