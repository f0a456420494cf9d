-- A match result's explanation is stored as the compact JSON the API
-- answers with, in a text column, and read back verbatim. As jsonb, every
-- run's 150 explanations (some 500 KB) were parsed into jsonb when written
-- and printed back when read: the bulk of the cost of storing a run.
-- Results stored before keep their jsonb explanation, which the store
-- compacts when it reads them; a result has one or the other. The column
-- is added rather than converted so that the migration does not rewrite a
-- large table.
--
-- The new column is compressed with lz4 where the server has it
-- (PostgreSQL 14 and later, built with lz4, as Debian's is): PostgreSQL's
-- own pglz took some 9 ms of the server's time to compress a run's
-- explanations, lz4 under 1 ms, for some 13% more space.

-- +goose Up
ALTER TABLE match_results ADD COLUMN explanation_text text;
ALTER TABLE match_results ALTER COLUMN explanation DROP NOT NULL;
ALTER TABLE match_results ADD CONSTRAINT match_results_explanation_check
    CHECK ((explanation IS NULL) <> (explanation_text IS NULL));

-- +goose StatementBegin
DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 140000 THEN
        EXECUTE 'ALTER TABLE match_results ALTER COLUMN explanation_text SET COMPRESSION lz4';
    END IF;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no lz4: match explanations are compressed with pglz';
END
$$;
-- +goose StatementEnd

-- +goose Down
UPDATE match_results SET explanation = explanation_text::jsonb WHERE explanation IS NULL;
ALTER TABLE match_results DROP CONSTRAINT match_results_explanation_check;
ALTER TABLE match_results DROP COLUMN explanation_text;
ALTER TABLE match_results ALTER COLUMN explanation SET NOT NULL;
