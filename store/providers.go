package store

import (
	"context"

	"github.com/jmoiron/sqlx"

	"incontro/matching"
)

// CreateProvider validates and inserts a provider, setting its ID and time.
func (s *DB) CreateProvider(ctx context.Context, p *matching.Provider) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return s.createProvider(ctx, tx, p) })
}

func (s *DB) createProvider(ctx context.Context, tx *sqlx.Tx, p *matching.Provider) error {
	p.CreatedAt = s.now()
	return tx.QueryRowxContext(ctx, `
		INSERT INTO providers (code, name, kind, municipality_code, email, phone, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		p.Code, p.Name, p.Kind, p.MunicipalityCode, p.Email, p.Phone, p.CreatedAt).Scan(&p.ID)
}

// Provider returns the provider with the given id.
func (s *DB) Provider(ctx context.Context, id int64) (matching.Provider, error) {
	var p matching.Provider
	err := s.db.GetContext(ctx, &p, `SELECT * FROM providers WHERE id = $1`, id)
	if err != nil {
		return p, mapNotFound(err, "provider", id)
	}
	return p, nil
}

// Providers lists every provider by name.
func (s *DB) Providers(ctx context.Context) ([]matching.Provider, error) {
	ps := []matching.Provider{}
	err := s.db.SelectContext(ctx, &ps, `SELECT * FROM providers ORDER BY name`)
	return ps, mapError(err)
}

// ProviderByCode returns the provider with the given code.
func (s *DB) ProviderByCode(ctx context.Context, code string) (matching.Provider, error) {
	var p matching.Provider
	err := s.db.GetContext(ctx, &p, `SELECT * FROM providers WHERE code = $1`, code)
	if err != nil {
		return p, mapError(err)
	}
	return p, nil
}
