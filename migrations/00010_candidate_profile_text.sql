-- A candidate's scoring profile is stored as JSON text. As jsonb, printing
-- it back cost the server some 9 ms of every match (525 profiles of about
-- 1.5 KB, 15.6 against 8.6 ms for the query that reads them), and nothing
-- queries inside it: the store writes it from Go and reads it whole. As
-- with match explanations (00009), the text goes into a new column rather
-- than converting the old one, so that the migration does not rewrite a
-- large table: a profile written before it stays in the jsonb column until
-- the candidate's CV is written again; a candidate has one or the other,
-- or neither (read from the CV tables).

-- +goose Up
ALTER TABLE candidates ADD COLUMN profile_text text;

-- +goose Down
UPDATE candidates SET profile = profile_text::jsonb WHERE profile_text IS NOT NULL;
ALTER TABLE candidates DROP COLUMN profile_text;
