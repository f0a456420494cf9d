package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"incontro/matching"
)

// Bulk is one transaction for loading much data at once (the seed and the
// benchmark): small aggregates go through the same validated inserts as
// everywhere else, candidates go through COPY. Nothing is visible until
// Commit, so an interrupted load leaves the database as it was.
type Bulk struct {
	s  *DB
	tx *sqlx.Tx
}

// BeginBulk starts a bulk load.
func (s *DB) BeginBulk(ctx context.Context) (*Bulk, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, mapError(err)
	}
	return &Bulk{s: s, tx: tx}, nil
}

// Commit makes the load visible.
func (b *Bulk) Commit() error { return mapError(b.tx.Commit()) }

// Rollback abandons the load; it is safe after Commit.
func (b *Bulk) Rollback() { _ = b.tx.Rollback() }

// Provider validates and inserts a provider.
func (b *Bulk) Provider(ctx context.Context, p *matching.Provider) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return mapError(b.s.createProvider(ctx, b.tx, p))
}

// Employer validates and inserts an employer.
func (b *Bulk) Employer(ctx context.Context, e *matching.Employer) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	return mapError(b.s.createEmployer(ctx, b.tx, e))
}

// User validates and inserts a user.
func (b *Bulk) User(ctx context.Context, u *matching.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return mapError(b.s.createUser(ctx, b.tx, u))
}

// Vacancy validates and inserts a vacancy with its requirements.
func (b *Bulk) Vacancy(ctx context.Context, v *matching.Vacancy) error {
	if err := prepareVacancy(v); err != nil {
		return err
	}
	return mapError(b.s.createVacancy(ctx, b.tx, v))
}

// Request validates and inserts a request with its first history row.
func (b *Bulk) Request(ctx context.Context, r *matching.Request) error {
	if err := b.s.prepareRequest(r); err != nil {
		return err
	}
	return mapError(b.s.createRequest(ctx, b.tx, r, Actor{}))
}

// Candidates validates candidates and their protected attributes (prot[i]
// belongs to cs[i]; prot may be nil) and loads them with COPY, keeping the
// CreatedAt and UpdatedAt they carry. It sets their IDs and writes one
// outbox row each.
func (b *Bulk) Candidates(ctx context.Context, cs []matching.Candidate, prot []matching.Protected) error {
	if prot != nil && len(prot) != len(cs) {
		return fmt.Errorf("bulk: %d candidates but %d protected records", len(cs), len(prot))
	}
	for i := range cs {
		cs[i].Normalize()
		if err := cs[i].Validate(); err != nil {
			return fmt.Errorf("candidate %d (%s): %w", i, cs[i].Email, err)
		}
		if prot != nil {
			if err := prot[i].Validate(); err != nil {
				return fmt.Errorf("candidate %d (%s): %w", i, cs[i].Email, err)
			}
		}
	}
	ids := make([]int64, 0, len(cs))
	if err := b.tx.SelectContext(ctx, &ids, `SELECT nextval('candidates_id_seq') FROM generate_series(1, $1)`, len(cs)); err != nil {
		return mapError(err)
	}
	for i := range cs {
		cs[i].ID = ids[i]
	}
	// The CV parts that explanations point at get their IDs here, so that
	// the scoring profile written with the candidate carries them.
	for _, seq := range []struct {
		name string
		set  func(next func() int64)
	}{
		{"candidate_experiences_id_seq", func(next func() int64) {
			for i := range cs {
				for k := range cs[i].Experiences {
					cs[i].Experiences[k].ID = next()
				}
			}
		}},
		{"candidate_education_id_seq", func(next func() int64) {
			for i := range cs {
				for k := range cs[i].Education {
					cs[i].Education[k].ID = next()
				}
			}
		}},
		{"candidate_certifications_id_seq", func(next func() int64) {
			for i := range cs {
				for k := range cs[i].Certifications {
					cs[i].Certifications[k].ID = next()
				}
			}
		}},
	} {
		n := 0
		seq.set(func() int64 { n++; return 0 })
		var got []int64
		if err := b.tx.SelectContext(ctx, &got, `SELECT nextval($1::regclass) FROM generate_series(1, $2)`, seq.name, n); err != nil {
			return mapError(err)
		}
		k := 0
		seq.set(func() int64 { k++; return got[k-1] })
	}
	profiles := make([]string, len(cs))
	for i := range cs {
		p, err := profileJSON(&cs[i])
		if err != nil {
			return err
		}
		profiles[i] = string(p)
	}
	now := b.s.now()
	err := b.copy(ctx, "candidates", []string{"id", "given_name", "family_name", "email", "phone", "headline", "summary",
		"home_municipality_code", "home_lat", "home_lon", "mobility_km", "available_from", "weekly_hours", "working_time",
		"contract_preferences", "searchable", "presentation", "created_at", "updated_at", "profile_text"}, func(row func(...any) error) error {
		for i := range cs {
			c := &cs[i]
			if c.CreatedAt.IsZero() {
				c.CreatedAt, c.UpdatedAt = now, now
			}
			if err := row(c.ID, c.GivenName, c.FamilyName, c.Email, c.Phone, c.Headline, c.Summary, c.HomeMunicipality,
				c.HomeLat, c.HomeLon, c.MobilityKm, c.AvailableFrom, c.WeeklyHours, pq.Array(c.WorkingTime),
				pq.Array(c.ContractPreferences), c.Searchable, c.Presentation, c.CreatedAt, c.UpdatedAt, profiles[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	steps := []struct {
		table string
		cols  []string
		rows  func(row func(...any) error) error
	}{
		{"candidate_experiences", []string{"id", "candidate_id", "position", "occupation_code", "isco_code", "title",
			"employer_name", "municipality_code", "start_date", "end_date", "description"}, func(row func(...any) error) error {
			for _, c := range cs {
				for k, e := range c.Experiences {
					if err := row(e.ID, c.ID, k+1, e.OccupationCode, e.ISCOCode, e.Title, e.EmployerName, e.MunicipalityCode,
						e.StartDate, e.EndDate, e.Description); err != nil {
						return err
					}
				}
			}
			return nil
		}},
		{"candidate_education", []string{"id", "candidate_id", "position", "eqf_level", "title", "field", "institution",
			"completed_year"}, func(row func(...any) error) error {
			for _, c := range cs {
				for k, e := range c.Education {
					if err := row(e.ID, c.ID, k+1, e.EQFLevel, e.Title, e.Field, e.Institution, e.CompletedYear); err != nil {
						return err
					}
				}
			}
			return nil
		}},
		{"candidate_skills", []string{"candidate_id", "position", "skill_code", "label", "level"}, func(row func(...any) error) error {
			for _, c := range cs {
				for k, s := range c.Skills {
					if err := row(c.ID, k+1, s.Code, s.Label, s.Level); err != nil {
						return err
					}
				}
			}
			return nil
		}},
		{"candidate_languages", []string{"candidate_id", "language", "level"}, func(row func(...any) error) error {
			for _, c := range cs {
				for _, l := range c.Languages {
					if err := row(c.ID, l.Language, l.Level); err != nil {
						return err
					}
				}
			}
			return nil
		}},
		{"candidate_licences", []string{"candidate_id", "category"}, func(row func(...any) error) error {
			for _, c := range cs {
				for _, l := range c.Licences {
					if err := row(c.ID, l); err != nil {
						return err
					}
				}
			}
			return nil
		}},
		{"candidate_certifications", []string{"id", "candidate_id", "code", "name", "issued_on", "expires_on"}, func(row func(...any) error) error {
			for _, c := range cs {
				for _, ce := range c.Certifications {
					if err := row(ce.ID, c.ID, ce.Code, ce.Name, ce.IssuedOn, ce.ExpiresOn); err != nil {
						return err
					}
				}
			}
			return nil
		}},
		{"candidate_desired_occupations", []string{"candidate_id", "position", "occupation_code", "isco_code", "title"}, func(row func(...any) error) error {
			for _, c := range cs {
				for k, d := range c.DesiredOccupations {
					if err := row(c.ID, k+1, d.OccupationCode, d.ISCOCode, d.Title); err != nil {
						return err
					}
				}
			}
			return nil
		}},
		{"candidate_protected", []string{"candidate_id", "tax_code", "birth_date", "sex", "citizenship", "disability",
			"l68_category", "l68_registered_on", "l68_disclose_to_employers", "updated_at"}, func(row func(...any) error) error {
			for i, p := range prot {
				if err := row(cs[i].ID, nullString(p.TaxCode), p.BirthDate, nullString(p.Sex), nullString(p.Citizenship),
					p.Disability, nullString(p.L68Category), p.L68RegisteredOn, p.L68DiscloseToEmployers, cs[i].CreatedAt); err != nil {
					return err
				}
			}
			return nil
		}},
		{"outbox", []string{"entity", "entity_id", "op"}, func(row func(...any) error) error {
			for _, c := range cs {
				if err := row(matching.EntityCandidate, c.ID, matching.OpUpsert); err != nil {
					return err
				}
			}
			return nil
		}},
	}
	for _, st := range steps {
		if err := b.copy(ctx, st.table, st.cols, st.rows); err != nil {
			return err
		}
	}
	return nil
}

// copy streams rows into table with COPY FROM STDIN inside the bulk
// transaction. Table and column names are constants of this file.
func (b *Bulk) copy(ctx context.Context, table string, cols []string, rows func(row func(...any) error) error) error {
	stmt, err := b.tx.PrepareContext(ctx, "COPY "+table+" ("+strings.Join(cols, ", ")+") FROM STDIN")
	if err != nil {
		return mapError(err)
	}
	err = rows(func(v ...any) error {
		_, err := stmt.ExecContext(ctx, v...)
		return err
	})
	if err == nil {
		_, err = stmt.ExecContext(ctx)
	}
	if cerr := stmt.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("copy into %s: %w", table, mapError(err))
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
