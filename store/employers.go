package store

import (
	"context"

	"github.com/jmoiron/sqlx"

	"incontro/matching"
)

const employerColumns = `id, name, tax_code, COALESCE(vat_number, '') AS vat_number, ateco_code, municipality_code,
	address, email, phone, contact_person, website, provider_id, created_at, updated_at`

// CreateEmployer validates and inserts an employer, setting its ID and times.
func (s *DB) CreateEmployer(ctx context.Context, e *matching.Employer) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return s.createEmployer(ctx, tx, e) })
}

func (s *DB) createEmployer(ctx context.Context, tx *sqlx.Tx, e *matching.Employer) error {
	e.CreatedAt = s.now()
	e.UpdatedAt = e.CreatedAt
	return tx.QueryRowxContext(ctx, `
		INSERT INTO employers (name, tax_code, vat_number, ateco_code, municipality_code, address, email,
			phone, contact_person, website, provider_id, created_at, updated_at)
		VALUES ($1, $2, NULLIF($3, ''), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		e.Name, e.TaxCode, e.VATNumber, e.ATECOCode, e.MunicipalityCode, e.Address, e.Email,
		e.Phone, e.ContactPerson, e.Website, e.ProviderID, e.CreatedAt, e.UpdatedAt).Scan(&e.ID)
}

// UpdateEmployer validates and saves an employer's changed fields.
func (s *DB) UpdateEmployer(ctx context.Context, e *matching.Employer) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	e.UpdatedAt = s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE employers SET name = $2, tax_code = $3, vat_number = NULLIF($4, ''), ateco_code = $5,
				municipality_code = $6, address = $7, email = $8, phone = $9, contact_person = $10,
				website = $11, provider_id = $12, updated_at = $13
			WHERE id = $1`,
			e.ID, e.Name, e.TaxCode, e.VATNumber, e.ATECOCode, e.MunicipalityCode, e.Address, e.Email,
			e.Phone, e.ContactPerson, e.Website, e.ProviderID, e.UpdatedAt)
		return expectOne(res, err, "employer", e.ID)
	})
}

// Employer returns the employer with the given id.
func (s *DB) Employer(ctx context.Context, id int64) (matching.Employer, error) {
	var e matching.Employer
	err := s.db.GetContext(ctx, &e, `SELECT `+employerColumns+` FROM employers WHERE id = $1`, id)
	if err != nil {
		return e, mapNotFound(err, "employer", id)
	}
	return e, nil
}

// Employers lists employers by name with the total count.
func (s *DB) Employers(ctx context.Context, limit, offset int) ([]matching.Employer, int, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows := []struct {
		matching.Employer
		Total int `db:"total"`
	}{}
	err := s.db.SelectContext(ctx, &rows, `SELECT `+employerColumns+`, COUNT(*) OVER () AS total
		FROM employers ORDER BY name, id LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, 0, mapError(err)
	}
	out := make([]matching.Employer, len(rows))
	total := 0
	for i, r := range rows {
		out[i], total = r.Employer, r.Total
	}
	return out, total, nil
}
