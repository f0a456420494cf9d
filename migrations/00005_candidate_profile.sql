-- A candidate's scoring profile: the CV parts matching reads, as one JSON
-- document written with the CV in the same transaction, so that a match
-- loads hundreds of CVs with one index scan instead of eight. Rows written
-- before this column existed have none and are read from the tables.

-- +goose Up
ALTER TABLE candidates ADD COLUMN profile jsonb;

-- +goose Down
ALTER TABLE candidates DROP COLUMN profile;
