-- Identity: demo accounts, e-mail verification, log-in failures for rate
-- limiting (kept in the database so that every replica sees them).

-- +goose Up
ALTER TABLE users ADD COLUMN demo boolean NOT NULL DEFAULT false;

CREATE TABLE email_verifications (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX email_verifications_user_id_idx ON email_verifications (user_id);

CREATE TABLE login_failures (
    id    bigserial PRIMARY KEY,
    at    timestamptz NOT NULL,
    email text NOT NULL,
    ip    text NOT NULL
);
CREATE INDEX login_failures_email_idx ON login_failures (email, at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);

CREATE INDEX sessions_last_seen_at_idx ON sessions (last_seen_at);

-- +goose Down
DROP INDEX sessions_last_seen_at_idx;
DROP TABLE login_failures, email_verifications;
ALTER TABLE users DROP COLUMN demo;
