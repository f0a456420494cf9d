-- The request's pipeline as the operators and jobseekers work it: the
-- operator's message on an availability request, at most one unanswered
-- availability request per candidate of a request, and at most one pipeline
-- entry per self-application.

-- +goose Up
ALTER TABLE availability_requests ADD COLUMN message text NOT NULL DEFAULT '';
ALTER TABLE availability_requests ADD CONSTRAINT availability_requests_message_check CHECK (char_length(message) <= 2000);
CREATE UNIQUE INDEX availability_requests_open_key ON availability_requests (entry_id) WHERE answered_at IS NULL;

CREATE UNIQUE INDEX pipeline_entries_application_id_key ON pipeline_entries (application_id) WHERE application_id IS NOT NULL;

-- +goose Down
DROP INDEX pipeline_entries_application_id_key;
DROP INDEX availability_requests_open_key;
ALTER TABLE availability_requests DROP CONSTRAINT availability_requests_message_check;
ALTER TABLE availability_requests DROP COLUMN message;
