package store

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"incontro/matching"
)

const userColumns = `id, email, name, role, provider_id, employer_id, candidate_id, password_hash,
	language, status, email_verified_at, demo, created_at, updated_at`

// CreateUser validates and inserts a user, setting its ID and times.
func (s *DB) CreateUser(ctx context.Context, u *matching.User) error {
	u.Email = matching.NormalizeEmail(u.Email)
	if u.Language == "" {
		u.Language = "it"
	}
	if u.Status == "" {
		u.Status = matching.UserActive
	}
	if err := u.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return s.createUser(ctx, tx, u) })
}

func (s *DB) createUser(ctx context.Context, tx *sqlx.Tx, u *matching.User) error {
	u.CreatedAt = s.now()
	u.UpdatedAt = u.CreatedAt
	return tx.QueryRowxContext(ctx, `
		INSERT INTO users (email, name, role, provider_id, employer_id, candidate_id, password_hash,
			language, status, email_verified_at, demo, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		u.Email, u.Name, u.Role, u.ProviderID, u.EmployerID, u.CandidateID, u.PasswordHash,
		u.Language, u.Status, u.EmailVerifiedAt, u.Demo, u.CreatedAt, u.UpdatedAt).Scan(&u.ID)
}

// User returns the user with the given id.
func (s *DB) User(ctx context.Context, id int64) (matching.User, error) {
	var u matching.User
	err := s.db.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
	if err != nil {
		return u, mapNotFound(err, "user", id)
	}
	return u, nil
}

// UserByEmail returns the user with the given e-mail address.
func (s *DB) UserByEmail(ctx context.Context, email string) (matching.User, error) {
	var u matching.User
	err := s.db.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users WHERE email = $1`, matching.NormalizeEmail(email))
	if err != nil {
		return u, mapError(err)
	}
	return u, nil
}

// UserFilter selects users in a list; zero fields select everyone.
type UserFilter struct {
	Role       matching.Role
	ProviderID int64
	Status     matching.UserStatus
	// Query matches a part of the name or of the e-mail address, ignoring case.
	Query  string
	Limit  int
	Offset int
}

// Users lists users by e-mail, with the total matching the filter.
func (s *DB) Users(ctx context.Context, f UserFilter) ([]matching.User, int, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	rows := []struct {
		matching.User
		Total int `db:"total"`
	}{}
	err := s.db.SelectContext(ctx, &rows, `
		SELECT `+userColumns+`, COUNT(*) OVER () AS total FROM users
		WHERE ($1 = '' OR role = $1) AND ($2 = 0 OR provider_id = $2) AND ($5 = '' OR status = $5)
			AND ($6 = '' OR strpos(lower(name), $6) > 0 OR strpos(email, $6) > 0)
		ORDER BY email LIMIT $3 OFFSET $4`, string(f.Role), f.ProviderID, f.Limit, f.Offset, string(f.Status),
		strings.ToLower(strings.TrimSpace(f.Query)))
	if err != nil {
		return nil, 0, mapError(err)
	}
	users := make([]matching.User, len(rows))
	total := 0
	for i, r := range rows {
		users[i] = r.User
		total = r.Total
	}
	return users, total, nil
}

// SetUserRole moves a member of staff to another staff role (admin,
// monitor, operator); an operator belongs to providerID, the other roles to
// no provider. Employers and jobseekers keep their roles, which tie them to
// their records.
func (s *DB) SetUserRole(ctx context.Context, userID int64, role matching.Role, providerID *int64) error {
	if !role.IsStaff() {
		return matching.FieldErrorf("role", "must be admin, monitor or operator")
	}
	if (role == matching.RoleOperator) != (providerID != nil) {
		return matching.FieldErrorf("provider_id", "is required for operators and only for them")
	}
	res, err := s.db.ExecContext(ctx, `
		UPDATE users SET role = $2, provider_id = $3, updated_at = $4
		WHERE id = $1 AND role IN ('admin', 'monitor', 'operator')`, userID, role, providerID, s.now())
	if err != nil {
		return mapError(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		if _, err := s.User(ctx, userID); err != nil {
			return err
		}
		return matching.FieldErrorf("role", "only staff roles change: employers and jobseekers keep theirs")
	}
	return nil
}
