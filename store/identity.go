package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"incontro/matching"
)

// The store sees only hashes of session, API and verification tokens: the
// callers make the tokens and hash them, so a leaked table grants nothing.

const sessionColumns = `id, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent`

// sessionAs selects a session's columns under the names of the Session field
// of userSession; a subquery keeps them apart from the users' columns, so
// that userColumns can be used unqualified.
const sessionAs = `id AS "session.id", user_id AS "session.user_id", csrf_token AS "session.csrf_token",
	created_at AS "session.created_at", last_seen_at AS "session.last_seen_at",
	expires_at AS "session.expires_at", ip AS "session.ip", user_agent AS "session.user_agent"`

// userSession is a session read together with its user.
type userSession struct {
	matching.User
	Session matching.Session `db:"session"`
}

// CreateSession inserts a session stored under the hash of its token,
// setting its ID and, when zero, its creation and last-seen times.
func (s *DB) CreateSession(ctx context.Context, sess *matching.Session, tokenHash []byte) error {
	switch {
	case len(tokenHash) == 0:
		return matching.FieldErrorf("token_hash", "is required")
	case strings.TrimSpace(sess.CSRFToken) == "":
		return matching.FieldErrorf("csrf_token", "is required")
	case sess.ExpiresAt.IsZero():
		return matching.FieldErrorf("expires_at", "is required")
	}
	now := s.now()
	if sess.CreatedAt.IsZero() {
		sess.CreatedAt = now
	}
	if sess.LastSeenAt.IsZero() {
		sess.LastSeenAt = now
	}
	sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt = dbTime(sess.CreatedAt), dbTime(sess.LastSeenAt), dbTime(sess.ExpiresAt)
	if !sess.ExpiresAt.After(sess.CreatedAt) {
		return matching.FieldErrorf("expires_at", "must be after the session starts")
	}
	err := s.db.QueryRowxContext(ctx, `
		INSERT INTO sessions (user_id, token_hash, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		sess.UserID, tokenHash, sess.CSRFToken, sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt,
		sess.IP, sess.UserAgent).Scan(&sess.ID)
	return mapError(err)
}

// SessionByTokenHash returns the session stored under the token hash and its
// user. It does not check expiry or the user's status: the caller does.
func (s *DB) SessionByTokenHash(ctx context.Context, hash []byte) (matching.Session, matching.User, error) {
	var row userSession
	err := s.db.GetContext(ctx, &row, `
		SELECT `+userColumns+`, s.*
		FROM (SELECT `+sessionAs+` FROM sessions WHERE token_hash = $1) s
		JOIN users ON users.id = s."session.user_id"`, hash)
	if errors.Is(err, sql.ErrNoRows) {
		return matching.Session{}, matching.User{}, matching.Errorf(matching.ENOTFOUND, "session not found")
	}
	if err != nil {
		return matching.Session{}, matching.User{}, mapError(err)
	}
	return row.Session, row.User, nil
}

// TouchSession records that the session was used at the given time.
func (s *DB) TouchSession(ctx context.Context, id int64, at time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE id = $1`, id, dbTime(at))
	return mapError(expectOne(res, err, "session", id))
}

// DeleteSession ends a session.
func (s *DB) DeleteSession(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, id)
	return mapError(expectOne(res, err, "session", id))
}

// DeleteUserSessions ends every session of the user except exceptSessionID
// (0 ends them all) and returns how many it ended.
func (s *DB) DeleteUserSessions(ctx context.Context, userID, exceptSessionID int64) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id <> $2`, userID, exceptSessionID)
	return rowsAffected(res, err)
}

// UserSessions returns the sessions of the user, newest first.
func (s *DB) UserSessions(ctx context.Context, userID int64) ([]matching.Session, error) {
	sessions := []matching.Session{}
	err := s.db.SelectContext(ctx, &sessions, `SELECT `+sessionColumns+` FROM sessions
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, mapError(err)
	}
	return sessions, nil
}

// DeleteExpiredSessions deletes the sessions idle since before idleBefore or
// past their absolute expiry at now, and returns how many it deleted.
func (s *DB) DeleteExpiredSessions(ctx context.Context, idleBefore, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen_at < $1 OR expires_at <= $2`,
		dbTime(idleBefore), dbTime(now))
	return rowsAffected(res, err)
}

// rowsAffected returns how many rows a statement touched.
func rowsAffected(res sql.Result, err error) (int, error) {
	if err != nil {
		return 0, mapError(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, mapError(err)
	}
	return int(n), nil
}

const apiTokenColumns = `id, user_id, name, created_at, last_used_at, revoked_at`

// userAPIToken is an API token read together with its user.
type userAPIToken struct {
	matching.User
	Token matching.APIToken `db:"token"`
}

// CreateAPIToken validates and inserts an API token stored under the hash of
// the token, setting its ID and creation time.
func (s *DB) CreateAPIToken(ctx context.Context, t *matching.APIToken, tokenHash []byte) error {
	t.Name = strings.TrimSpace(t.Name)
	if err := t.Validate(); err != nil {
		return err
	}
	if len(tokenHash) == 0 {
		return matching.FieldErrorf("token_hash", "is required")
	}
	t.CreatedAt, t.LastUsedAt, t.RevokedAt = s.now(), nil, nil
	err := s.db.QueryRowxContext(ctx, `
		INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		t.UserID, t.Name, tokenHash, t.CreatedAt).Scan(&t.ID)
	return mapError(err)
}

// APITokens returns the user's API tokens, revoked ones included, newest
// first.
func (s *DB) APITokens(ctx context.Context, userID int64) ([]matching.APIToken, error) {
	tokens := []matching.APIToken{}
	err := s.db.SelectContext(ctx, &tokens, `SELECT `+apiTokenColumns+` FROM api_tokens
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, mapError(err)
	}
	return tokens, nil
}

// RevokeAPIToken revokes one of the user's API tokens. A token of another
// user is not found, so that its existence is not revealed.
func (s *DB) RevokeAPIToken(ctx context.Context, userID, tokenID int64) error {
	now := s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var revoked sql.NullTime
		err := tx.GetContext(ctx, &revoked, `SELECT revoked_at FROM api_tokens WHERE id = $1 AND user_id = $2 FOR UPDATE`,
			tokenID, userID)
		if err != nil {
			return mapNotFound(err, "API token", tokenID)
		}
		if revoked.Valid {
			return matching.Errorf(matching.ECONFLICT, "API token %d is already revoked", tokenID)
		}
		_, err = tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE id = $1`, tokenID, now)
		return err
	})
}

// tokenUseResolution is how precisely the last use of an API token is
// kept: an integration calling many times a minute writes once a minute.
const tokenUseResolution = time.Minute

// APITokenByHash returns the unrevoked API token stored under the hash and
// its user, and records that the token was used now (to the minute). It
// does not check the user's status: the caller does.
func (s *DB) APITokenByHash(ctx context.Context, hash []byte) (matching.APIToken, matching.User, error) {
	var row userAPIToken
	err := s.db.GetContext(ctx, &row, `
		SELECT `+userColumns+`, t.* FROM (
			SELECT id AS "token.id", user_id AS "token.user_id", name AS "token.name", created_at AS "token.created_at",
				last_used_at AS "token.last_used_at", revoked_at AS "token.revoked_at"
			FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL) t
		JOIN users ON users.id = t."token.user_id"`, hash)
	if errors.Is(err, sql.ErrNoRows) {
		return matching.APIToken{}, matching.User{}, matching.Errorf(matching.ENOTFOUND, "API token not valid or revoked")
	}
	if err != nil {
		return matching.APIToken{}, matching.User{}, mapError(err)
	}
	now := s.now()
	if last := row.Token.LastUsedAt; last == nil || now.Sub(*last) >= tokenUseResolution {
		if _, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, row.Token.ID, now); err != nil {
			return matching.APIToken{}, matching.User{}, mapError(err)
		}
		row.Token.LastUsedAt = &now
	}
	return row.Token, row.User, nil
}

// LoginFailureCounts are the failed log-ins counted against an e-mail
// address and against a client address within a window.
type LoginFailureCounts struct {
	ByEmail, ByIP int
	// OldestByEmail and OldestByIP are the times of the oldest failure
	// counted, zero when none was.
	OldestByEmail, OldestByIP time.Time
}

// RecordLoginFailure records a failed log-in for the e-mail address, from
// the client address, now.
func (s *DB) RecordLoginFailure(ctx context.Context, email, ip string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO login_failures (at, email, ip) VALUES ($1, $2, $3)`,
		s.now(), matching.NormalizeEmail(email), ip)
	return mapError(err)
}

// LoginFailures counts the failed log-ins at or after since for the e-mail
// address and for the client address.
func (s *DB) LoginFailures(ctx context.Context, email, ip string, since time.Time) (LoginFailureCounts, error) {
	var row struct {
		ByEmail       int          `db:"by_email"`
		ByIP          int          `db:"by_ip"`
		OldestByEmail sql.NullTime `db:"oldest_by_email"`
		OldestByIP    sql.NullTime `db:"oldest_by_ip"`
	}
	err := s.db.GetContext(ctx, &row, `
		SELECT count(*) FILTER (WHERE email = $1) AS by_email, min(at) FILTER (WHERE email = $1) AS oldest_by_email,
			count(*) FILTER (WHERE ip = $2) AS by_ip, min(at) FILTER (WHERE ip = $2) AS oldest_by_ip
		FROM login_failures WHERE at >= $3 AND (email = $1 OR ip = $2)`,
		matching.NormalizeEmail(email), ip, dbTime(since))
	if err != nil {
		return LoginFailureCounts{}, mapError(err)
	}
	c := LoginFailureCounts{ByEmail: row.ByEmail, ByIP: row.ByIP}
	if row.OldestByEmail.Valid {
		c.OldestByEmail = row.OldestByEmail.Time.UTC()
	}
	if row.OldestByIP.Valid {
		c.OldestByIP = row.OldestByIP.Time.UTC()
	}
	return c, nil
}

// ClearLoginFailures forgets the failed log-ins of the e-mail address, after
// a successful log-in.
func (s *DB) ClearLoginFailures(ctx context.Context, email string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM login_failures WHERE email = $1`, matching.NormalizeEmail(email))
	return mapError(err)
}

// PruneLoginFailures deletes the failed log-ins before the given time and
// returns how many it deleted.
func (s *DB) PruneLoginFailures(ctx context.Context, before time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM login_failures WHERE at < $1`, dbTime(before))
	return rowsAffected(res, err)
}

// CreateEmailVerification stores the hash of a token that confirms the
// user's e-mail address until expiresAt.
func (s *DB) CreateEmailVerification(ctx context.Context, userID int64, tokenHash []byte, expiresAt time.Time) error {
	if len(tokenHash) == 0 {
		return matching.FieldErrorf("token_hash", "is required")
	}
	now := s.now()
	if !expiresAt.After(now) {
		return matching.FieldErrorf("expires_at", "must be in the future")
	}
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO email_verifications (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		tokenHash, userID, now, dbTime(expiresAt))
	return mapError(err)
}

// ConsumeEmailVerification uses up an unexpired verification token: the
// user's e-mail address becomes verified and a pending account active. It
// returns the user as saved.
func (s *DB) ConsumeEmailVerification(ctx context.Context, tokenHash []byte) (matching.User, error) {
	now := s.now()
	var u matching.User
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var userID int64
		err := tx.GetContext(ctx, &userID, `
			DELETE FROM email_verifications WHERE token_hash = $1 AND expires_at > $2 RETURNING user_id`, tokenHash, now)
		if errors.Is(err, sql.ErrNoRows) {
			return matching.Errorf(matching.ENOTFOUND, "link not valid or expired")
		}
		if err != nil {
			return err
		}
		return tx.GetContext(ctx, &u, `
			UPDATE users SET email_verified_at = $2, updated_at = $2,
				status = CASE WHEN status = $3 THEN $4 ELSE status END
			WHERE id = $1 RETURNING `+userColumns, userID, now, matching.UserPending, matching.UserActive)
	})
	if err != nil {
		return matching.User{}, err
	}
	return u, nil
}

// SetPassword replaces the user's password hash, an encoded (PHC) string.
func (s *DB) SetPassword(ctx context.Context, userID int64, hash string) error {
	// A value that is not an encoded hash is most likely a password passed
	// by mistake, which must never be stored.
	if !strings.HasPrefix(hash, "$") || len(hash) < 20 {
		return matching.FieldErrorf("password_hash", "is not an encoded password hash")
	}
	return s.updateUser(ctx, userID, `password_hash = $2`, hash)
}

// SetUserStatus changes the state of the user's account.
func (s *DB) SetUserStatus(ctx context.Context, userID int64, status matching.UserStatus) error {
	if status != matching.UserPending && status != matching.UserActive && status != matching.UserDisabled {
		return matching.FieldErrorf("status", "must be pending, active or disabled")
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var candidateID *int64
		err := tx.QueryRowxContext(ctx, `UPDATE users SET status = $2, updated_at = $3 WHERE id = $1 RETURNING candidate_id`,
			userID, status, s.now()).Scan(&candidateID)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user", userID)
		}
		if err != nil || candidateID == nil {
			return err
		}
		// A jobseeker's CV is searched only while the account is active.
		return writeOutbox(ctx, tx, matching.EntityCandidate, *candidateID, matching.OpUpsert)
	})
}

// SetUserLanguage changes the language of the user's pages and e-mails.
func (s *DB) SetUserLanguage(ctx context.Context, userID int64, lang string) error {
	if lang != "it" && lang != "en" {
		return matching.FieldErrorf("language", "must be it or en")
	}
	return s.updateUser(ctx, userID, `language = $2`, lang)
}

// updateUser sets one column of a user (the assignment, a constant, names
// it as $2) and the update time.
func (s *DB) updateUser(ctx context.Context, userID int64, assignment string, value any) error {
	res, err := s.db.ExecContext(ctx, `UPDATE users SET `+assignment+`, updated_at = $3 WHERE id = $1`,
		userID, value, s.now())
	return mapError(expectOne(res, err, "user", userID))
}

// prepareSignupUser gives a self-registered user the role and the defaults:
// Italian, and pending until the e-mail address is verified.
func prepareSignupUser(u *matching.User, role matching.Role) {
	u.Email = matching.NormalizeEmail(u.Email)
	u.Role = role
	if u.Language == "" {
		u.Language = "it"
	}
	if u.Status == "" {
		u.Status = matching.UserPending
	}
}

// SignupEmployer creates an employer and its first user (role employer,
// pending unless a status is given) in one transaction, validating both
// first. On failure nothing is written and the IDs are left zero.
func (s *DB) SignupEmployer(ctx context.Context, e *matching.Employer, u *matching.User) (err error) {
	defer func() {
		if err != nil {
			e.ID, u.ID, u.EmployerID = 0, 0, nil
		}
	}()
	e.Normalize()
	if err = e.Validate(); err != nil {
		return err
	}
	prepareSignupUser(u, matching.RoleEmployer)
	u.EmployerID = new(int64) // set to the employer's id once it has one
	if err = u.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.createEmployer(ctx, tx, e); err != nil {
			return err
		}
		*u.EmployerID = e.ID
		return s.createUser(ctx, tx, u)
	})
}

// SignupJobseeker creates a candidate with the whole CV and its user (role
// jobseeker, pending unless a status is given) in one transaction,
// validating both first, and tells the index. On failure nothing is written
// and the IDs are left zero.
func (s *DB) SignupJobseeker(ctx context.Context, c *matching.Candidate, u *matching.User) (err error) {
	defer func() {
		if err != nil {
			c.ID, u.ID, u.CandidateID = 0, 0, nil
		}
	}()
	c.Normalize()
	if err = c.Validate(); err != nil {
		return err
	}
	prepareSignupUser(u, matching.RoleJobseeker)
	u.CandidateID = new(int64) // set to the candidate's id once it has one
	if err = u.Validate(); err != nil {
		return err
	}
	c.CreatedAt = s.now()
	c.UpdatedAt = c.CreatedAt
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := insertCandidate(ctx, tx, c); err != nil {
			return err
		}
		if err := insertCV(ctx, tx, c); err != nil {
			return err
		}
		if err := writeOutbox(ctx, tx, matching.EntityCandidate, c.ID, matching.OpUpsert); err != nil {
			return err
		}
		*u.CandidateID = c.ID
		return s.createUser(ctx, tx, u)
	})
}

// SetUserName renames a user.
func (s *DB) SetUserName(ctx context.Context, userID int64, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return matching.FieldErrorf("name", "is required")
	}
	if utf8.RuneCountInString(name) > 200 {
		return matching.FieldErrorf("name", "must be at most 200 characters")
	}
	return s.updateUser(ctx, userID, "name = $2", name)
}
