package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"incontro/matching"
)

const candidateColumns = `id, given_name, family_name, email, phone, headline, summary, home_municipality_code,
	home_lat, home_lon, mobility_km, available_from, weekly_hours, working_time, contract_preferences,
	searchable, presentation, created_at, updated_at`

func scanCandidate(row interface{ Scan(...any) error }, c *matching.Candidate) error {
	return row.Scan(&c.ID, &c.GivenName, &c.FamilyName, &c.Email, &c.Phone, &c.Headline, &c.Summary,
		&c.HomeMunicipality, &c.HomeLat, &c.HomeLon, &c.MobilityKm, &c.AvailableFrom, &c.WeeklyHours,
		pq.Array(&c.WorkingTime), pq.Array(&c.ContractPreferences), &c.Searchable, &c.Presentation,
		&c.CreatedAt, &c.UpdatedAt, &c.AccountInactive)
}

// accountInactive is the SQL for Candidate.AccountInactive: the candidate's
// jobseeker account exists and is not active.
const accountInactive = `EXISTS (SELECT 1 FROM users u WHERE u.candidate_id = candidates.id AND u.status <> 'active')`

// CreateCandidate validates and inserts a candidate with the whole CV, and
// tells the index in the same transaction.
func (s *DB) CreateCandidate(ctx context.Context, c *matching.Candidate) error {
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	c.CreatedAt = s.now()
	c.UpdatedAt = c.CreatedAt
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := insertCandidate(ctx, tx, c)
		if err != nil {
			return err
		}
		if err := insertCV(ctx, tx, c); err != nil {
			return err
		}
		return writeOutbox(ctx, tx, matching.EntityCandidate, c.ID, matching.OpUpsert)
	})
}

// UpdateCandidate validates and saves a candidate, replacing the CV parts,
// and tells the index in the same transaction.
func (s *DB) UpdateCandidate(ctx context.Context, c *matching.Candidate) error {
	return s.UpdateCandidateAudited(ctx, c, nil)
}

// UpdateCandidateAudited is UpdateCandidate that also writes the audit
// event (when not nil) in the same transaction: the change and its record
// commit together or not at all.
func (s *DB) UpdateCandidateAudited(ctx context.Context, c *matching.Candidate, ev *matching.AuditEvent) error {
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	c.UpdatedAt = s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE candidates SET given_name = $2, family_name = $3, email = $4, phone = $5, headline = $6,
				summary = $7, home_municipality_code = $8, home_lat = $9, home_lon = $10, mobility_km = $11,
				available_from = $12, weekly_hours = $13, working_time = $14, contract_preferences = $15,
				searchable = $16, presentation = $17, updated_at = $18
			WHERE id = $1`,
			c.ID, c.GivenName, c.FamilyName, c.Email, c.Phone, c.Headline, c.Summary, c.HomeMunicipality,
			c.HomeLat, c.HomeLon, c.MobilityKm, c.AvailableFrom, c.WeeklyHours, pq.Array(c.WorkingTime),
			pq.Array(c.ContractPreferences), c.Searchable, c.Presentation, c.UpdatedAt)
		if err := expectOne(res, err, "candidate", c.ID); err != nil {
			return err
		}
		for _, table := range []string{"candidate_experiences", "candidate_education", "candidate_skills",
			"candidate_languages", "candidate_licences", "candidate_certifications", "candidate_desired_occupations"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE candidate_id = $1`, c.ID); err != nil {
				return err
			}
		}
		if err := insertCV(ctx, tx, c); err != nil {
			return err
		}
		if ev != nil {
			if ev.At.IsZero() {
				ev.At = c.UpdatedAt
			}
			if err := writeAudit(ctx, tx, ev); err != nil {
				return err
			}
		}
		return writeOutbox(ctx, tx, matching.EntityCandidate, c.ID, matching.OpUpsert)
	})
}

// insertCV inserts the CV parts of a candidate whose ID is set.
func insertCV(ctx context.Context, tx *sqlx.Tx, c *matching.Candidate) error {
	for i := range c.Experiences {
		e := &c.Experiences[i]
		err := tx.QueryRowxContext(ctx, `
			INSERT INTO candidate_experiences (candidate_id, position, occupation_code, isco_code, title, employer_name,
				municipality_code, start_date, end_date, description)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			c.ID, i+1, e.OccupationCode, e.ISCOCode, e.Title, e.EmployerName, e.MunicipalityCode,
			e.StartDate, e.EndDate, e.Description).Scan(&e.ID)
		if err != nil {
			return fieldError(err, fmt.Sprintf("experiences[%d]", i))
		}
	}
	for i := range c.Education {
		e := &c.Education[i]
		err := tx.QueryRowxContext(ctx, `
			INSERT INTO candidate_education (candidate_id, position, eqf_level, title, field, institution, completed_year)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			c.ID, i+1, e.EQFLevel, e.Title, e.Field, e.Institution, e.CompletedYear).Scan(&e.ID)
		if err != nil {
			return fieldError(err, fmt.Sprintf("education[%d]", i))
		}
	}
	for i, sk := range c.Skills {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO candidate_skills (candidate_id, position, skill_code, label, level) VALUES ($1, $2, $3, $4, $5)`,
			c.ID, i+1, sk.Code, sk.Label, sk.Level); err != nil {
			return fieldError(err, fmt.Sprintf("skills[%d]", i))
		}
	}
	for i, l := range c.Languages {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO candidate_languages (candidate_id, language, level) VALUES ($1, $2, $3)`,
			c.ID, l.Language, l.Level); err != nil {
			return fieldError(err, fmt.Sprintf("languages[%d]", i))
		}
	}
	for i, l := range c.Licences {
		if _, err := tx.ExecContext(ctx, `INSERT INTO candidate_licences (candidate_id, category) VALUES ($1, $2)`,
			c.ID, l); err != nil {
			return fieldError(err, fmt.Sprintf("licences[%d]", i))
		}
	}
	for i := range c.Certifications {
		ce := &c.Certifications[i]
		err := tx.QueryRowxContext(ctx, `
			INSERT INTO candidate_certifications (candidate_id, code, name, issued_on, expires_on)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			c.ID, ce.Code, ce.Name, ce.IssuedOn, ce.ExpiresOn).Scan(&ce.ID)
		if err != nil {
			return fieldError(err, fmt.Sprintf("certifications[%d]", i))
		}
	}
	for i, d := range c.DesiredOccupations {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO candidate_desired_occupations (candidate_id, position, occupation_code, isco_code, title)
			VALUES ($1, $2, $3, $4, $5)`, c.ID, i+1, d.OccupationCode, d.ISCOCode, d.Title); err != nil {
			return fieldError(err, fmt.Sprintf("desired_occupations[%d]", i))
		}
	}
	return writeProfile(ctx, tx, c)
}

// Candidate returns a candidate with the whole CV. It never includes the
// protected attributes.
func (s *DB) Candidate(ctx context.Context, id int64) (matching.Candidate, error) {
	cs, err := s.CandidatesByID(ctx, []int64{id})
	if err != nil {
		return matching.Candidate{}, err
	}
	if len(cs) == 0 {
		return matching.Candidate{}, notFound("candidate", id)
	}
	return cs[0], nil
}

// CandidatesByID returns the candidates with the given ids, with their CVs,
// in the order of ids; ids that do not exist are left out.
func (s *DB) CandidatesByID(ctx context.Context, ids []int64) ([]matching.Candidate, error) {
	if len(ids) == 0 {
		return []matching.Candidate{}, nil
	}
	tx, err := s.db.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, mapError(err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	rows, err := tx.QueryContext(ctx, `SELECT `+candidateColumns+`, `+accountInactive+` FROM candidates WHERE id = ANY($1)`, pq.Array(ids))
	if err != nil {
		return nil, mapError(err)
	}
	byID := make(map[int64]*matching.Candidate, len(ids))
	for rows.Next() {
		c := &matching.Candidate{}
		if err := scanCandidate(rows, c); err != nil {
			rows.Close()
			return nil, mapError(err)
		}
		c.Experiences, c.Education, c.Skills = []matching.Experience{}, []matching.Education{}, []matching.CandidateSkill{}
		c.Languages, c.Licences, c.Certifications = []matching.LanguageLevel{}, []string{}, []matching.Certification{}
		c.DesiredOccupations = []matching.DesiredOccupation{}
		byID[c.ID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	rows.Close()
	if err := loadCVParts(ctx, tx, byID, pq.Array(ids)); err != nil {
		return nil, mapError(err)
	}
	out := make([]matching.Candidate, 0, len(byID))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, *c)
		}
	}
	return out, nil
}

func loadCVParts(ctx context.Context, tx *sqlx.Tx, byID map[int64]*matching.Candidate, ids any) error {
	var exps []struct {
		CandidateID int64 `db:"candidate_id"`
		matching.Experience
	}
	if err := tx.SelectContext(ctx, &exps, `SELECT candidate_id, id, occupation_code, isco_code, title, employer_name,
		municipality_code, start_date, end_date, description
		FROM candidate_experiences WHERE candidate_id = ANY($1) ORDER BY candidate_id, position`, ids); err != nil {
		return err
	}
	for _, e := range exps {
		c := byID[e.CandidateID]
		c.Experiences = append(c.Experiences, e.Experience)
	}
	var edus []struct {
		CandidateID int64 `db:"candidate_id"`
		matching.Education
	}
	if err := tx.SelectContext(ctx, &edus, `SELECT candidate_id, id, eqf_level, title, field, institution, completed_year
		FROM candidate_education WHERE candidate_id = ANY($1) ORDER BY candidate_id, position`, ids); err != nil {
		return err
	}
	for _, e := range edus {
		c := byID[e.CandidateID]
		c.Education = append(c.Education, e.Education)
	}
	var skills []struct {
		CandidateID int64 `db:"candidate_id"`
		matching.CandidateSkill
	}
	if err := tx.SelectContext(ctx, &skills, `SELECT candidate_id, skill_code AS code, label, level
		FROM candidate_skills WHERE candidate_id = ANY($1) ORDER BY candidate_id, position`, ids); err != nil {
		return err
	}
	for _, sk := range skills {
		c := byID[sk.CandidateID]
		c.Skills = append(c.Skills, sk.CandidateSkill)
	}
	var langs []struct {
		CandidateID int64 `db:"candidate_id"`
		matching.LanguageLevel
	}
	if err := tx.SelectContext(ctx, &langs, `SELECT candidate_id, language, level
		FROM candidate_languages WHERE candidate_id = ANY($1) ORDER BY candidate_id, language`, ids); err != nil {
		return err
	}
	for _, l := range langs {
		c := byID[l.CandidateID]
		c.Languages = append(c.Languages, l.LanguageLevel)
	}
	var lics []struct {
		CandidateID int64  `db:"candidate_id"`
		Category    string `db:"category"`
	}
	if err := tx.SelectContext(ctx, &lics, `SELECT candidate_id, category
		FROM candidate_licences WHERE candidate_id = ANY($1) ORDER BY candidate_id, category`, ids); err != nil {
		return err
	}
	for _, l := range lics {
		c := byID[l.CandidateID]
		c.Licences = append(c.Licences, l.Category)
	}
	var certs []struct {
		CandidateID int64 `db:"candidate_id"`
		matching.Certification
	}
	if err := tx.SelectContext(ctx, &certs, `SELECT candidate_id, id, code, name, issued_on, expires_on
		FROM candidate_certifications WHERE candidate_id = ANY($1) ORDER BY candidate_id, id`, ids); err != nil {
		return err
	}
	for _, ce := range certs {
		c := byID[ce.CandidateID]
		c.Certifications = append(c.Certifications, ce.Certification)
	}
	var desired []struct {
		CandidateID int64 `db:"candidate_id"`
		matching.DesiredOccupation
	}
	if err := tx.SelectContext(ctx, &desired, `SELECT candidate_id, occupation_code, isco_code, title
		FROM candidate_desired_occupations WHERE candidate_id = ANY($1) ORDER BY candidate_id, position`, ids); err != nil {
		return err
	}
	for _, d := range desired {
		c := byID[d.CandidateID]
		c.DesiredOccupations = append(c.DesiredOccupations, d.DesiredOccupation)
	}
	return nil
}

// CandidateIDs pages through every candidate id in order, after the given
// id, for rebuilding the index.
func (s *DB) CandidateIDs(ctx context.Context, after int64, limit int) ([]int64, error) {
	ids := []int64{}
	err := s.db.SelectContext(ctx, &ids, `SELECT id FROM candidates WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
	return ids, mapError(err)
}

// SetProtected stores a candidate's protected attributes (staff only).
func (s *DB) SetProtected(ctx context.Context, p *matching.Protected) error {
	if err := p.Validate(); err != nil {
		return err
	}
	p.UpdatedAt = s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO candidate_protected (candidate_id, tax_code, birth_date, sex, citizenship, disability,
				l68_category, l68_registered_on, l68_disclose_to_employers, updated_at)
			VALUES ($1, NULLIF($2, ''), $3, NULLIF($4, ''), NULLIF($5, ''), $6, NULLIF($7, ''), $8, $9, $10)
			ON CONFLICT (candidate_id) DO UPDATE SET tax_code = EXCLUDED.tax_code, birth_date = EXCLUDED.birth_date,
				sex = EXCLUDED.sex, citizenship = EXCLUDED.citizenship, disability = EXCLUDED.disability,
				l68_category = EXCLUDED.l68_category, l68_registered_on = EXCLUDED.l68_registered_on,
				l68_disclose_to_employers = EXCLUDED.l68_disclose_to_employers, updated_at = EXCLUDED.updated_at`,
			p.CandidateID, p.TaxCode, p.BirthDate, p.Sex, p.Citizenship, p.Disability, p.L68Category,
			p.L68RegisteredOn, p.L68DiscloseToEmployers, p.UpdatedAt)
		return err
	})
}

// Protected returns a candidate's protected attributes (staff only).
func (s *DB) Protected(ctx context.Context, candidateID int64) (matching.Protected, error) {
	var p matching.Protected
	err := s.db.GetContext(ctx, &p, `
		SELECT candidate_id, COALESCE(tax_code, '') AS tax_code, birth_date, COALESCE(sex, '') AS sex,
			COALESCE(citizenship, '') AS citizenship, disability, COALESCE(l68_category, '') AS l68_category,
			l68_registered_on, l68_disclose_to_employers, updated_at
		FROM candidate_protected WHERE candidate_id = $1`, candidateID)
	if err != nil {
		return p, mapNotFound(err, "protected attributes of candidate", candidateID)
	}
	return p, nil
}

// fieldError prefixes the field of a coded error with the path of the CV
// part it came from.
func fieldError(err error, prefix string) error {
	err = mapError(err)
	if me, ok := err.(*matching.Error); ok && me.Field != "" {
		cp := *me
		cp.Field = prefix + "." + me.Field
		return &cp
	}
	return err
}

// insertCandidate inserts the candidate's row, without the CV, setting its
// ID; CreateCandidate and SignupJobseeker share it.
func insertCandidate(ctx context.Context, tx *sqlx.Tx, c *matching.Candidate) error {
	return tx.QueryRowxContext(ctx, `
		INSERT INTO candidates (given_name, family_name, email, phone, headline, summary, home_municipality_code,
			home_lat, home_lon, mobility_km, available_from, weekly_hours, working_time, contract_preferences,
			searchable, presentation, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
		c.GivenName, c.FamilyName, c.Email, c.Phone, c.Headline, c.Summary, c.HomeMunicipality,
		c.HomeLat, c.HomeLon, c.MobilityKm, c.AvailableFrom, c.WeeklyHours, pq.Array(c.WorkingTime),
		pq.Array(c.ContractPreferences), c.Searchable, c.Presentation, c.CreatedAt, c.UpdatedAt).Scan(&c.ID)
}
