package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"incontro/matching"
	"incontro/reference"
)

const vacancyColumns = `id, employer_id, title, description, occupation_code, isco_code, municipality_code, lat, lon,
	contract_type, working_time, weekly_hours, positions, status, published_at, closes_on, created_by,
	created_at, updated_at`

func scanVacancy(row interface{ Scan(...any) error }, v *matching.Vacancy) error {
	return row.Scan(&v.ID, &v.EmployerID, &v.Title, &v.Description, &v.OccupationCode, &v.ISCOCode,
		&v.MunicipalityCode, &v.Lat, &v.Lon, &v.ContractType, pq.Array(&v.WorkingTime), &v.WeeklyHours,
		&v.Positions, &v.Status, &v.PublishedAt, &v.ClosesOn, &v.CreatedBy, &v.CreatedAt, &v.UpdatedAt)
}

func prepareVacancy(v *matching.Vacancy) error {
	v.Normalize()
	if m, ok := reference.MunicipalityByCode(v.MunicipalityCode); ok {
		v.Lat, v.Lon = m.Lat, m.Lon
	}
	return v.Validate()
}

// CreateVacancy validates and inserts a vacancy with its requirements and
// tells the index in the same transaction.
func (s *DB) CreateVacancy(ctx context.Context, v *matching.Vacancy) error {
	if err := prepareVacancy(v); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return s.createVacancy(ctx, tx, v) })
}

func (s *DB) createVacancy(ctx context.Context, tx *sqlx.Tx, v *matching.Vacancy) error {
	for i := range v.Requirements {
		v.Requirements[i].ID = 0 // a new vacancy's requirements are new, even when copied
	}
	v.CreatedAt = s.now()
	v.UpdatedAt = v.CreatedAt
	err := tx.QueryRowxContext(ctx, `
		INSERT INTO vacancies (employer_id, title, description, occupation_code, isco_code, municipality_code,
			lat, lon, contract_type, working_time, weekly_hours, positions, status, published_at, closes_on,
			created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
		v.EmployerID, v.Title, v.Description, v.OccupationCode, v.ISCOCode, v.MunicipalityCode, v.Lat, v.Lon,
		v.ContractType, pq.Array(v.WorkingTime), v.WeeklyHours, v.Positions, v.Status, v.PublishedAt,
		v.ClosesOn, v.CreatedBy, v.CreatedAt, v.UpdatedAt).Scan(&v.ID)
	if err != nil {
		return err
	}
	if err := saveRequirements(ctx, tx, v); err != nil {
		return err
	}
	if err := s.checkWording(ctx, tx, v); err != nil {
		return err
	}
	return writeOutbox(ctx, tx, matching.EntityVacancy, v.ID, matching.OpUpsert)
}

// UpdateVacancy validates and saves a vacancy, replacing its requirements,
// and tells the index.
func (s *DB) UpdateVacancy(ctx context.Context, v *matching.Vacancy) error {
	if err := prepareVacancy(v); err != nil {
		return err
	}
	v.UpdatedAt = s.now()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE vacancies SET employer_id = $2, title = $3, description = $4, occupation_code = $5, isco_code = $6,
				municipality_code = $7, lat = $8, lon = $9, contract_type = $10, working_time = $11, weekly_hours = $12,
				positions = $13, status = $14, published_at = $15, closes_on = $16, updated_at = $17
			WHERE id = $1`,
			v.ID, v.EmployerID, v.Title, v.Description, v.OccupationCode, v.ISCOCode, v.MunicipalityCode, v.Lat, v.Lon,
			v.ContractType, pq.Array(v.WorkingTime), v.WeeklyHours, v.Positions, v.Status, v.PublishedAt,
			v.ClosesOn, v.UpdatedAt)
		if err := expectOne(res, err, "vacancy", v.ID); err != nil {
			return err
		}
		if err := saveRequirements(ctx, tx, v); err != nil {
			return err
		}
		if err := s.checkWording(ctx, tx, v); err != nil {
			return err
		}
		return writeOutbox(ctx, tx, matching.EntityVacancy, v.ID, matching.OpUpsert)
	})
}

// saveRequirements makes the stored requirements of a vacancy those of v:
// requirements with an ID are updated in place (so that what refers to them,
// such as 4D competence checks, stays linked), new ones are inserted, and
// those no longer listed are deleted.
func saveRequirements(ctx context.Context, tx *sqlx.Tx, v *matching.Vacancy) error {
	keep := []int64{}
	for _, r := range v.Requirements {
		if r.ID > 0 {
			keep = append(keep, r.ID)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM vacancy_requirements WHERE vacancy_id = $1 AND NOT (id = ANY($2))`,
		v.ID, pq.Array(keep)); err != nil {
		return err
	}
	var fresh []matching.Requirement
	var freshAt []int
	for i := range v.Requirements {
		r := &v.Requirements[i]
		if r.ID == 0 {
			fresh = append(fresh, *r)
			freshAt = append(freshAt, i)
			continue
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE vacancy_requirements SET rank = $3, essential = $4, kind = $5, code = $6, label = $7, level = $8,
				min_years = $9, field = $10, max_km = $11, from_date = $12, "values" = $13
			WHERE id = $1 AND vacancy_id = $2`,
			r.ID, v.ID, r.Rank, r.Essential, r.Kind, r.Code, r.Label, r.Level, r.MinYears, r.Field, r.MaxKm,
			r.FromDate, pq.Array(r.Values))
		if err != nil {
			return fieldError(err, fmt.Sprintf("requirements[%d]", i))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return matching.FieldErrorf(fmt.Sprintf("requirements[%d].id", i), "requirement %d is not one of this vacancy", r.ID)
		}
	}
	for k, r := range fresh {
		i := freshAt[k]
		err := tx.QueryRowxContext(ctx, `
			INSERT INTO vacancy_requirements (vacancy_id, rank, essential, kind, code, label, level, min_years,
				field, max_km, from_date, "values")
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			v.ID, r.Rank, r.Essential, r.Kind, r.Code, r.Label, r.Level, r.MinYears, r.Field, r.MaxKm,
			r.FromDate, pq.Array(r.Values)).Scan(&v.Requirements[i].ID)
		if err != nil {
			return fieldError(err, fmt.Sprintf("requirements[%d]", i))
		}
	}
	return nil
}

// Vacancy returns a vacancy with its requirements (in rank order) and findings.
func (s *DB) Vacancy(ctx context.Context, id int64) (matching.Vacancy, error) {
	var v matching.Vacancy
	err := scanVacancy(s.db.QueryRowxContext(ctx, `SELECT `+vacancyColumns+` FROM vacancies WHERE id = $1`, id), &v)
	if err != nil {
		return v, mapNotFound(err, "vacancy", id)
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT id, rank, essential, kind, code, label, level, min_years::float8, field, max_km, from_date, "values"
		FROM vacancy_requirements WHERE vacancy_id = $1 ORDER BY rank`, id)
	if err != nil {
		return v, mapError(err)
	}
	defer rows.Close()
	v.Requirements = []matching.Requirement{}
	for rows.Next() {
		var r matching.Requirement
		if err := rows.Scan(&r.ID, &r.Rank, &r.Essential, &r.Kind, &r.Code, &r.Label, &r.Level, &r.MinYears,
			&r.Field, &r.MaxKm, &r.FromDate, pq.Array(&r.Values)); err != nil {
			return v, mapError(err)
		}
		v.Requirements = append(v.Requirements, r)
	}
	if err := rows.Err(); err != nil {
		return v, mapError(err)
	}
	v.Findings = []matching.Finding{}
	err = s.db.SelectContext(ctx, &v.Findings, `
		SELECT id, rule, severity, excerpt, message, law, justification, justified_by, justified_at, created_at
		FROM vacancy_findings WHERE vacancy_id = $1 ORDER BY id`, id)
	return v, mapError(err)
}

// VacancyFilter selects vacancies in a list.
type VacancyFilter struct {
	EmployerID int64
	Status     matching.VacancyStatus
	Limit      int
	Offset     int
}

// Vacancies lists vacancies, newest first, without requirements, with the
// total matching the filter.
func (s *DB) Vacancies(ctx context.Context, f VacancyFilter) ([]matching.Vacancy, int, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT `+vacancyColumns+`, COUNT(*) OVER () FROM vacancies
		WHERE ($1 = 0 OR employer_id = $1) AND ($2 = '' OR status = $2)
		ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`, f.EmployerID, string(f.Status), f.Limit, f.Offset)
	if err != nil {
		return nil, 0, mapError(err)
	}
	defer rows.Close()
	out := []matching.Vacancy{}
	total := 0
	for rows.Next() {
		var v matching.Vacancy
		err := rows.Scan(&v.ID, &v.EmployerID, &v.Title, &v.Description, &v.OccupationCode, &v.ISCOCode,
			&v.MunicipalityCode, &v.Lat, &v.Lon, &v.ContractType, pq.Array(&v.WorkingTime), &v.WeeklyHours,
			&v.Positions, &v.Status, &v.PublishedAt, &v.ClosesOn, &v.CreatedBy, &v.CreatedAt, &v.UpdatedAt, &total)
		if err != nil {
			return nil, 0, mapError(err)
		}
		out = append(out, v)
	}
	return out, total, mapError(rows.Err())
}

// ReplaceFindings stores the findings of the wording check for a vacancy,
// keeping the justifications of findings that are found again (same rule
// and excerpt).
func (s *DB) ReplaceFindings(ctx context.Context, vacancyID int64, findings []matching.Finding) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return s.replaceFindings(ctx, tx, vacancyID, findings) })
}

func (s *DB) replaceFindings(ctx context.Context, tx *sqlx.Tx, vacancyID int64, findings []matching.Finding) error {
	now := s.now()
	old := []matching.Finding{}
	if err := tx.SelectContext(ctx, &old, `
		SELECT id, rule, severity, excerpt, message, law, justification, justified_by, justified_at, created_at
		FROM vacancy_findings WHERE vacancy_id = $1`, vacancyID); err != nil {
		return err
	}
	kept := map[string]matching.Finding{}
	for _, f := range old {
		if f.Justification != "" {
			kept[f.Rule+"\x00"+f.Excerpt] = f
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM vacancy_findings WHERE vacancy_id = $1`, vacancyID); err != nil {
		return err
	}
	for i := range findings {
		f := &findings[i]
		if k, ok := kept[f.Rule+"\x00"+f.Excerpt]; ok && f.Justification == "" {
			f.Justification, f.JustifiedBy, f.JustifiedAt = k.Justification, k.JustifiedBy, k.JustifiedAt
		}
		f.CreatedAt = now
		err := tx.QueryRowxContext(ctx, `
			INSERT INTO vacancy_findings (vacancy_id, rule, severity, excerpt, message, law, justification,
				justified_by, justified_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			vacancyID, f.Rule, f.Severity, f.Excerpt, f.Message, f.Law, f.Justification, f.JustifiedBy,
			f.JustifiedAt, f.CreatedAt).Scan(&f.ID)
		if err != nil {
			return fieldError(err, fmt.Sprintf("findings[%d]", i))
		}
	}
	return nil
}

// checkWording runs the wording check on a vacancy being saved, stores the
// findings (justifications of findings found again are kept) and refuses a
// published vacancy with findings no operator has justified: publishing
// goes through PublishVacancy.
func (s *DB) checkWording(ctx context.Context, tx *sqlx.Tx, v *matching.Vacancy) error {
	v.Findings = v.CheckWording()
	if err := s.replaceFindings(ctx, tx, v.ID, v.Findings); err != nil {
		return err
	}
	if open := matching.Unjustified(v.Findings); v.Status == matching.VacancyPublished && len(open) > 0 {
		return flaggedError(open)
	}
	return nil
}

func flaggedError(open []matching.Finding) error {
	grounds := make([]string, 0, len(open))
	for _, f := range open {
		if !slices.Contains(grounds, f.Rule) {
			grounds = append(grounds, f.Rule)
		}
	}
	return &matching.Error{Code: matching.ECONFLICT, Field: "justification", Message: fmt.Sprintf(
		"the ad has %d wording finding(s) (%s): an operator must justify them in writing before it is published",
		len(open), strings.Join(grounds, ", "))}
}

// PublishVacancy publishes a vacancy. If the wording check flags its text,
// justification (an operator's written reason, at least 20 characters) is
// required: it is stored on every open finding and in the audit log, in
// the same transaction. by is the user who publishes.
func (s *DB) PublishVacancy(ctx context.Context, id int64, justification string, by *int64, ev *matching.AuditEvent) error {
	justification = strings.TrimSpace(justification)
	if justification != "" && (utf8.RuneCountInString(justification) < 20 || utf8.RuneCountInString(justification) > 2000) {
		return matching.FieldErrorf("justification", "must be between 20 and 2000 characters")
	}
	now := s.now()
	if ev == nil {
		ev = &matching.AuditEvent{UserID: by}
	}
	if ev.At.IsZero() {
		ev.At = now
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var v matching.Vacancy
		err := tx.QueryRowxContext(ctx, `SELECT title, description, contract_type, status FROM vacancies
			WHERE id = $1 FOR UPDATE`, id).Scan(&v.Title, &v.Description, &v.ContractType, &v.Status)
		if err != nil {
			return mapNotFound(err, "vacancy", id)
		}
		if v.Status != matching.VacancyDraft {
			return matching.Errorf(matching.ECONFLICT, "vacancy %d is %s: only a draft can be published", id, v.Status)
		}
		// A draft whose request closed stays unpublished: the search it was
		// written for is over.
		var requestClosed bool
		if err := tx.QueryRowxContext(ctx, `SELECT EXISTS (SELECT 1 FROM requests WHERE vacancy_id = $1 AND status = 'closed')`,
			id).Scan(&requestClosed); err != nil {
			return err
		}
		if requestClosed {
			return matching.Errorf(matching.ECONFLICT, "vacancy %d belongs to a closed request: it cannot be published", id)
		}
		v.ID = id
		v.Findings = v.CheckWording()
		if err := s.replaceFindings(ctx, tx, id, v.Findings); err != nil {
			return err
		}
		open := matching.Unjustified(v.Findings)
		if len(open) > 0 {
			if justification == "" {
				return flaggedError(open)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE vacancy_findings SET justification = $2, justified_by = $3,
				justified_at = $4 WHERE vacancy_id = $1 AND justification = ''`, id, justification, by, now); err != nil {
				return err
			}
			ev.Action, ev.ObjectType, ev.ObjectID = "vacancy_flagged_published", "vacancy", &id
			detail, err := json.Marshal(map[string]any{"justification": justification, "findings": open})
			if err != nil {
				return err
			}
			ev.Detail = detail
			if err := writeAudit(ctx, tx, ev); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE vacancies SET status = 'published', published_at = $2, updated_at = $2
			WHERE id = $1`, id, now)
		if err := expectOne(res, err, "vacancy", id); err != nil {
			return err
		}
		return writeOutbox(ctx, tx, matching.EntityVacancy, id, matching.OpUpsert)
	})
}

// PublishedVacancies returns every published vacancy still open on day asOf
// (no closing date, or not before it), with requirements in rank order, by
// id. Two queries whatever the number.
func (s *DB) PublishedVacancies(ctx context.Context, asOf time.Time) ([]matching.Vacancy, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT `+vacancyColumns+` FROM vacancies
		WHERE status = 'published' AND (closes_on IS NULL OR closes_on >= $1::date)
		ORDER BY id`, asOf.Format(time.DateOnly))
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	out := []matching.Vacancy{}
	byID := map[int64]int{}
	for rows.Next() {
		var v matching.Vacancy
		if err := scanVacancy(rows, &v); err != nil {
			return nil, mapError(err)
		}
		v.Requirements, v.Findings = []matching.Requirement{}, []matching.Finding{}
		byID[v.ID] = len(out)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	ids := make([]int64, len(out))
	for i, v := range out {
		ids[i] = v.ID
	}
	reqs, err := s.db.QueryContext(ctx, `
		SELECT vacancy_id, id, rank, essential, kind, code, label, level, min_years::float8, field, max_km, from_date, "values"
		FROM vacancy_requirements WHERE vacancy_id = ANY($1) ORDER BY vacancy_id, rank`, pq.Array(ids))
	if err != nil {
		return nil, mapError(err)
	}
	defer reqs.Close()
	for reqs.Next() {
		var vid int64
		var r matching.Requirement
		if err := reqs.Scan(&vid, &r.ID, &r.Rank, &r.Essential, &r.Kind, &r.Code, &r.Label, &r.Level, &r.MinYears,
			&r.Field, &r.MaxKm, &r.FromDate, pq.Array(&r.Values)); err != nil {
			return nil, mapError(err)
		}
		v := &out[byID[vid]]
		v.Requirements = append(v.Requirements, r)
	}
	return out, mapError(reqs.Err())
}

// PublishedVersion changes whenever a vacancy is created, changed or
// deleted: a cache of PublishedVacancies is fresh while it stays the same.
func (s *DB) PublishedVersion(ctx context.Context) (string, error) {
	var n int64
	var latest *time.Time
	var maxID *int64
	err := s.db.QueryRowContext(ctx, `SELECT count(*), max(updated_at), max(id) FROM vacancies`).Scan(&n, &latest, &maxID)
	if err != nil {
		return "", mapError(err)
	}
	v := fmt.Sprintf("%d", n)
	if latest != nil {
		v += "/" + latest.UTC().Format(time.RFC3339Nano)
	}
	if maxID != nil {
		v += fmt.Sprintf("/%d", *maxID)
	}
	return v, nil
}

// lockRequestVacancy locks the vacancy of a request for the rest of the
// transaction; a request that does not exist is left to lockedRequest.
func lockRequestVacancy(ctx context.Context, tx *sqlx.Tx, requestID int64) error {
	_, err := tx.ExecContext(ctx, `SELECT v.id FROM vacancies v JOIN requests r ON r.vacancy_id = v.id
		WHERE r.id = $1 FOR UPDATE OF v`, requestID)
	return err
}

// closeRequestVacancy closes the published vacancy of a request that has
// just closed, in the caller's transaction: the vacancy leaves the public
// pages and the reverse match and takes no more applications. The index
// hears of it through the outbox, and the closing is audited. A vacancy
// still in draft was never public and stays a draft (PublishVacancy then
// refuses it); one already closed is left as it is.
func (s *DB) closeRequestVacancy(ctx context.Context, tx *sqlx.Tx, r *matching.Request, now time.Time, a Actor) error {
	res, err := tx.ExecContext(ctx, `UPDATE vacancies SET status = 'closed', updated_at = $2
		WHERE id = $1 AND status = 'published'`, r.VacancyID, now)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	if err := writeOutbox(ctx, tx, matching.EntityVacancy, r.VacancyID, matching.OpUpsert); err != nil {
		return err
	}
	detail := map[string]any{"request_id": r.ID}
	if r.Outcome != nil {
		detail["outcome"] = *r.Outcome
	}
	return writeAudit(ctx, tx, a.event(now, "vacancy_closed", "vacancy", &r.VacancyID, &r.ID, nil, detail))
}

// PublicVacancyFilter selects published vacancies for anyone to read; zero
// fields do not filter.
type PublicVacancyFilter struct {
	// Query is free text, looked for in the title and the description
	// (Italian word forms, or a part of a word). A slash separates words,
	// as in "cuoco/a", which the text search would otherwise read as a path.
	Query            string
	MunicipalityCode string
	// OccupationCode finds the vacancies for the occupation, and ISCOCode
	// (the occupation's ISCO-08 unit group) those for similar ones.
	OccupationCode string
	ISCOCode       string
	ContractType   string
	// AsOf is the day: vacancies whose closing date is before it are left out.
	AsOf          time.Time
	Limit, Offset int
}

// PublicVacancy is a published vacancy with its employer's name, as a
// public list shows it (without requirements).
type PublicVacancy struct {
	matching.Vacancy
	EmployerName string `json:"employer_name"`
}

// likePattern escapes the wildcards of LIKE in text.
func likePattern(text string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(text)
}

// PublicVacancies lists the published vacancies still open on f.AsOf that
// match the filter, the most recently published first, with the total.
func (s *DB) PublicVacancies(ctx context.Context, f PublicVacancyFilter) ([]PublicVacancy, int, error) {
	limit, offset := listPage(f.Limit, f.Offset)
	if f.AsOf.IsZero() {
		f.AsOf = s.now()
	}
	q := strings.TrimSpace(f.Query)
	rows, err := s.db.QueryContext(ctx, `
		SELECT `+vacancyColumns+`, (SELECT e.name FROM employers e WHERE e.id = vacancies.employer_id) AS employer_name,
			COUNT(*) OVER ()
		FROM vacancies
		WHERE status = 'published' AND (closes_on IS NULL OR closes_on >= $1::date)
			AND ($2::text = '' OR to_tsvector('italian', translate(title || ' ' || description, '/', ' '))
					@@ websearch_to_tsquery('italian', $2)
				OR title ILIKE '%' || $3::text || '%' OR description ILIKE '%' || $3::text || '%')
			AND ($4::text = '' OR municipality_code = $4)
			AND ($5::text = '' OR occupation_code = $5 OR ($6::text <> '' AND isco_code = $6))
			AND ($7::text = '' OR contract_type = $7)
		ORDER BY published_at DESC, id DESC LIMIT $8 OFFSET $9`,
		f.AsOf.Format(time.DateOnly), q, likePattern(q), f.MunicipalityCode, f.OccupationCode, f.ISCOCode, f.ContractType,
		limit, offset)
	if err != nil {
		return nil, 0, mapError(err)
	}
	defer rows.Close()
	out := []PublicVacancy{}
	total := 0
	for rows.Next() {
		var v PublicVacancy
		err := rows.Scan(&v.ID, &v.EmployerID, &v.Title, &v.Description, &v.OccupationCode, &v.ISCOCode,
			&v.MunicipalityCode, &v.Lat, &v.Lon, &v.ContractType, pq.Array(&v.WorkingTime), &v.WeeklyHours,
			&v.Positions, &v.Status, &v.PublishedAt, &v.ClosesOn, &v.CreatedBy, &v.CreatedAt, &v.UpdatedAt,
			&v.EmployerName, &total)
		if err != nil {
			return nil, 0, mapError(err)
		}
		v.Requirements, v.Findings = []matching.Requirement{}, []matching.Finding{}
		out = append(out, v)
	}
	return out, total, mapError(rows.Err())
}

// VacanciesWithEmployer returns the vacancies with the given ids, whatever
// their state, each with its requirements in rank order and its employer's
// name, in the order of ids (an id not found is left out). Two queries
// whatever the number.
func (s *DB) VacanciesWithEmployer(ctx context.Context, ids []int64) ([]PublicVacancy, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT `+vacancyColumns+`, (SELECT e.name FROM employers e WHERE e.id = vacancies.employer_id)
		FROM vacancies WHERE id = ANY($1) ORDER BY array_position($1, id)`, pq.Array(ids))
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	out := []PublicVacancy{}
	byID := map[int64]int{}
	for rows.Next() {
		var v PublicVacancy
		err := rows.Scan(&v.ID, &v.EmployerID, &v.Title, &v.Description, &v.OccupationCode, &v.ISCOCode,
			&v.MunicipalityCode, &v.Lat, &v.Lon, &v.ContractType, pq.Array(&v.WorkingTime), &v.WeeklyHours,
			&v.Positions, &v.Status, &v.PublishedAt, &v.ClosesOn, &v.CreatedBy, &v.CreatedAt, &v.UpdatedAt, &v.EmployerName)
		if err != nil {
			return nil, mapError(err)
		}
		v.Requirements, v.Findings = []matching.Requirement{}, []matching.Finding{}
		byID[v.ID] = len(out)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	reqs, err := s.db.QueryContext(ctx, `
		SELECT vacancy_id, id, rank, essential, kind, code, label, level, min_years::float8, field, max_km, from_date, "values"
		FROM vacancy_requirements WHERE vacancy_id = ANY($1) ORDER BY vacancy_id, rank`, pq.Array(ids))
	if err != nil {
		return nil, mapError(err)
	}
	defer reqs.Close()
	for reqs.Next() {
		var vid int64
		var r matching.Requirement
		if err := reqs.Scan(&vid, &r.ID, &r.Rank, &r.Essential, &r.Kind, &r.Code, &r.Label, &r.Level, &r.MinYears,
			&r.Field, &r.MaxKm, &r.FromDate, pq.Array(&r.Values)); err != nil {
			return nil, mapError(err)
		}
		if i, ok := byID[vid]; ok {
			out[i].Requirements = append(out[i].Requirements, r)
		}
	}
	return out, mapError(reqs.Err())
}
