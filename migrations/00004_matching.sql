-- Matching: a wording finding names the law it rests on.

-- +goose Up
ALTER TABLE vacancy_findings ADD COLUMN law text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE vacancy_findings DROP COLUMN law;
