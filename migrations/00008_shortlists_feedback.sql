-- Shortlists and feedback: a request has at most one draft shortlist at a
-- time (the store checks it with the request locked; the index makes it a
-- rule of the schema); shortlist items are looked up by pipeline entry
-- (was this candidate presented?) and feedback by shortlist.

-- +goose Up
-- Before this rule a request could collect several drafts; none was ever
-- shown to an employer, and the newest is the one an operator works on.
DELETE FROM shortlists s WHERE s.status = 'draft'
    AND EXISTS (SELECT 1 FROM shortlists t WHERE t.request_id = s.request_id AND t.status = 'draft' AND t.version > s.version);
CREATE UNIQUE INDEX shortlists_one_draft_key ON shortlists (request_id) WHERE status = 'draft';
CREATE INDEX feedback_shortlist_id_idx ON feedback (shortlist_id);
CREATE INDEX shortlist_items_entry_id_idx ON shortlist_items (entry_id);

-- +goose Down
DROP INDEX shortlist_items_entry_id_idx, feedback_shortlist_id_idx, shortlists_one_draft_key;
