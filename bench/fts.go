package bench

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"incontro/index"
	"incontro/matching"
	"incontro/reference"
)

// The baseline is what a competent team would build on PostgreSQL alone:
// one denormalised row per searchable candidate in schema bench_fts, with a
// weighted tsvector in the 'italian' configuration and the filter and facet
// columns, a GIN index on the tsvector and on the array columns, btree
// indexes on the scalar ones, facet counts by GROUP BY, and a radius turned
// into the set of municipalities within it (homes are municipality points).
//
// Server settings: JIT compilation costs more than it saves on queries of a
// few milliseconds, and plans are better with random_page_cost for data in
// memory, so the searches run on connections with the settings a team would
// put in the role's configuration (see searchSettings). The schema is a
// snapshot: later changes to the candidate tables do not reach it.

// ftsSchema holds everything of the baseline, apart from the application's tables.
const ftsSchema = "bench_fts"

// searchSettings are the session settings of the connections that search.
const searchSettings = `SET jit = off; SET work_mem = '32MB'; SET random_page_cost = 1.1`

// buildSettings are the session settings of the connections that build.
const buildSettings = `SET jit = off; SET work_mem = '256MB'; SET maintenance_work_mem = '1GB'; SET synchronous_commit = off`

// ftsRankWeights are the ts_rank weights of the labels {D, C, B, A}:
// summary and experience 1, skills 2, headline and occupations 3, as
// incontro's text field boosts (index.TextFields), scaled to at most 1.
const ftsRankWeights = `'{0.333, 0.333, 0.667, 1.0}'::real[]`

// Limits of a search, as incontro's (index.MaxPageSize, the text length).
const (
	ftsDefaultSize = index.DefaultPageSize
	ftsMaxSize     = index.MaxPageSize
	ftsMaxText     = 2000
	ftsDefaultK    = index.DefaultRecallK
	ftsMaxK        = index.MaxRecallK
)

// FTS is the PostgreSQL full-text search baseline, in schema bench_fts of
// the bench's database. Its methods are safe for concurrent use.
type FTS struct {
	db *sqlx.DB
	// places are the home municipalities of the candidates with their point,
	// from which a radius becomes a set of municipality codes.
	places []ftsPlace
	conns  *connPool
}

// ftsPlace is a municipality where candidates live.
type ftsPlace struct {
	Code string  `db:"code"`
	Lat  float64 `db:"lat"`
	Lon  float64 `db:"lon"`
}

// FTSBuild reports how the baseline was built.
type FTSBuild struct {
	Rows int
	Took time.Duration
	// SizeBytes is the size of the schema's tables, TOAST and indexes.
	SizeBytes int64
}

// FTSResult is a page of a search with the total and the facet counts.
type FTSResult struct {
	IDs    []int64
	Total  int
	Facets map[string]map[string]int
}

// SetupFTS (re)creates schema bench_fts from the candidate tables: one row
// per candidate that incontro indexes (searchable, account not pending or
// disabled; presentable or not), with a tsvector weighted A headline and
// occupations (the CV's titles and the catalogue's titles and synonyms of
// coded ones), B skills (the CV's labels and the catalogue's), C experience
// titles and descriptions, D summary, and the filter and facet columns.
// It builds the indexes, runs VACUUM ANALYZE and returns what it cost. asOf
// is "today" for the years of experience.
//
// The rows are written by INSERT … SELECT over ranges of ids (ftsInsert),
// one connection per CPU; the indexes are built afterwards, also on
// parallel connections.
func SetupFTS(ctx context.Context, db *sqlx.DB, asOf time.Time) (*FTS, FTSBuild, error) {
	start := time.Now()
	var b FTSBuild
	fail := func(step string, err error) (*FTS, FTSBuild, error) {
		// Best effort: a half-built schema is dropped (the next SetupFTS
		// would drop it anyway).
		cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		db.ExecContext(cleanup, `DROP SCHEMA IF EXISTS bench_fts CASCADE`) //nolint:errcheck // best effort
		return nil, b, fmt.Errorf("bench: postgresql fts: %s: %w", step, err)
	}
	if asOf.IsZero() {
		return fail("setup", matching.FieldErrorf("as_of", "is required"))
	}
	if err := execOn(ctx, db, buildSettings,
		`DROP SCHEMA IF EXISTS bench_fts CASCADE`,
		`CREATE SCHEMA bench_fts`,
		ftsTableDDL,
	); err != nil {
		return fail("create schema", err)
	}
	if err := loadCatalogue(ctx, db); err != nil {
		return fail("load catalogue", err)
	}

	// Ranges of ids, filled by one connection per CPU: to_tsvector is most
	// of the cost, and a statement uses one CPU.
	var lo, hi sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT min(id), max(id) FROM candidates`).Scan(&lo, &hi); err != nil {
		return fail("id range", err)
	}
	ranges := make(chan [2]int64)
	go func() {
		defer close(ranges)
		for from := lo.Int64; lo.Valid && from <= hi.Int64; from += ftsFillRange {
			select {
			case ranges <- [2]int64{from, from + ftsFillRange - 1}:
			case <-ctx.Done():
				return
			}
		}
	}()
	workers := max(1, runtime.NumCPU())
	rows := make([]int64, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			// Whatever happens, the ranges are drained so that the sender ends.
			defer func() {
				for range ranges {
				}
			}()
			errs[w] = func() error {
				conn, err := db.Connx(ctx)
				if err != nil {
					return err
				}
				defer conn.Close()
				if _, err := conn.ExecContext(ctx, buildSettings); err != nil {
					return err
				}
				for r := range ranges {
					res, err := conn.ExecContext(ctx, ftsInsert, asOf.UTC().Format("2006-01-02 15:04:05.999999"), r[0], r[1])
					if err != nil {
						return err
					}
					n, err := res.RowsAffected()
					if err != nil {
						return err
					}
					rows[w] += n
				}
				return nil
			}()
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fail("fill table", err)
	}
	for _, n := range rows {
		b.Rows += int(n)
	}

	// Indexes: the tsvector's GIN index is by far the longest, so it is
	// built on its own connection while another builds the rest.
	idx := [][]string{
		// Every search and match is of presentable candidates only.
		{`CREATE INDEX candidates_tsv_idx ON bench_fts.candidates USING gin (tsv) WHERE presentable`},
		{
			// Not ALTER TABLE … ADD PRIMARY KEY, whose lock would wait for
			// the other connection's index.
			`CREATE UNIQUE INDEX candidates_id_idx ON bench_fts.candidates (id)`,
			`CREATE INDEX candidates_occupation_groups_idx ON bench_fts.candidates USING gin (occupation_groups)`,
			`CREATE INDEX candidates_language_levels_idx ON bench_fts.candidates USING gin (language_levels)`,
			`CREATE INDEX candidates_languages_idx ON bench_fts.candidates USING gin (languages)`,
			`CREATE INDEX candidates_licences_idx ON bench_fts.candidates USING gin (licences)`,
			`CREATE INDEX candidates_contracts_idx ON bench_fts.candidates USING gin (contracts)`,
			`CREATE INDEX candidates_municipality_idx ON bench_fts.candidates (municipality)`,
			`CREATE INDEX candidates_education_idx ON bench_fts.candidates (education)`,
			`CREATE INDEX candidates_available_from_idx ON bench_fts.candidates (available_from)`,
			// The browse page: presentable candidates, most recently updated
			// first; its facet columns are included so that counting every
			// presentable candidate is an index-only scan of a narrow index
			// rather than a scan of the heap, whose rows carry the tsvector.
			`CREATE INDEX candidates_fresh_idx ON bench_fts.candidates (updated_at DESC, id)
				INCLUDE (municipality, education, years_total, available_from, occupation_groups, language_levels, licences)
				WHERE presentable`,
		},
	}
	errs = make([]error, len(idx))
	for i, stmts := range idx {
		wg.Go(func() { errs[i] = execOn(ctx, db, buildSettings, stmts...) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fail("create indexes", err)
	}
	if err := execOn(ctx, db, buildSettings, `VACUUM (ANALYZE) bench_fts.candidates`); err != nil {
		return fail("vacuum", err)
	}

	f := &FTS{db: db, conns: newConnPool(db, searchSettings)}
	// The point of each home municipality, as stored with the candidates.
	if err := db.SelectContext(ctx, &f.places, `
		SELECT c.home_municipality_code AS code, avg(c.home_lat) AS lat, avg(c.home_lon) AS lon
		FROM candidates c
		WHERE c.home_municipality_code IN (SELECT DISTINCT municipality FROM bench_fts.candidates)
		GROUP BY 1 ORDER BY 1`); err != nil {
		return fail("municipalities", err)
	}
	if err := db.GetContext(ctx, &b.SizeBytes, `
		SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind = 'r'`, ftsSchema); err != nil {
		return fail("size", err)
	}
	b.Took = time.Since(start)
	return f, b, nil
}

// ftsFillRange is how many ids one INSERT … SELECT covers: large enough for
// set-based joins, small enough that their sorts stay in memory.
const ftsFillRange = 50_000

// ftsTableDDL is the denormalised table. Array columns hold codes; an
// empty array is a CV section left empty.
const ftsTableDDL = `CREATE TABLE bench_fts.candidates (
    id                bigint NOT NULL,
    presentable       boolean NOT NULL,
    municipality      text NOT NULL,
    education         smallint,               -- highest EQF level
    years_total       numeric(6, 2) NOT NULL, -- years of experience, overlaps counted once
    available_from    date,
    updated_at        timestamptz NOT NULL,
    occupation_groups text[] NOT NULL,        -- ISCO-08 sub-major groups
    languages         text[] NOT NULL,        -- "de"
    language_levels   text[] NOT NULL,        -- "de:B2"
    licences          text[] NOT NULL,
    contracts         text[] NOT NULL,
    working_time      text[] NOT NULL,
    tsv               tsvector NOT NULL
)`

// loadCatalogue copies the occupation and skill catalogue and the ISCO
// sub-major groups into the schema, as a team would keep them in tables.
func loadCatalogue(ctx context.Context, db *sqlx.DB) error {
	occs := reference.Occupations()
	n := len(occs)
	codes, iscos, titles, names := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, o := range occs {
		codes[i], iscos[i], titles[i] = o.Code, o.ISCO, o.Title
		names[i] = strings.Join(append([]string{o.Title}, o.Synonyms...), "\n")
	}
	skills := reference.Skills()
	skCodes, skLabels := make([]string, len(skills)), make([]string, len(skills))
	for i, s := range skills {
		skCodes[i], skLabels[i] = s.Code, s.Label
	}
	// The sub-major group of every ISCO code that has one (ISCOAncestors).
	var iscoCodes, groups []string
	for _, g := range reference.ISCOGroups() {
		for _, a := range reference.ISCOAncestors(g.Code) {
			if len(a) == 2 {
				iscoCodes, groups = append(iscoCodes, g.Code), append(groups, a)
			}
		}
	}
	stmts := []struct {
		sql  string
		args []any
	}{
		// names: the title and the synonyms, one a line.
		{`CREATE TABLE bench_fts.occupations (code text PRIMARY KEY, isco text NOT NULL, title text NOT NULL, names text NOT NULL)`, nil},
		{`INSERT INTO bench_fts.occupations SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
			[]any{pq.Array(codes), pq.Array(iscos), pq.Array(titles), pq.Array(names)}},
		{`CREATE TABLE bench_fts.skills (code text PRIMARY KEY, label text NOT NULL)`, nil},
		{`INSERT INTO bench_fts.skills SELECT * FROM unnest($1::text[], $2::text[])`, []any{pq.Array(skCodes), pq.Array(skLabels)}},
		{`CREATE TABLE bench_fts.isco_groups (code text PRIMARY KEY, grp text NOT NULL)`, nil},
		{`INSERT INTO bench_fts.isco_groups SELECT * FROM unnest($1::text[], $2::text[])`, []any{pq.Array(iscoCodes), pq.Array(groups)}},
		// Statistics before the fill, whose plan joins them.
		{`ANALYZE bench_fts.occupations, bench_fts.skills, bench_fts.isco_groups`, nil},
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s.sql, s.args...); err != nil {
			return err
		}
	}
	return nil
}

// ftsInsert fills the table for the candidates with ids in [$2, $3]; $1 is
// asOf, in UTC, for open experiences. It mirrors index.Document: the text of
// each field, the highest education, the languages at their levels, the
// licences, and the years of experience with overlapping jobs counted once
// (matching.Candidate.TotalExperienceYears, rounded to two decimals). Each
// part is aggregated per candidate over the range and merged on the id:
// set-based, the catalogue tables are hashed once rather than probed per CV.
const ftsInsert = `
WITH occ AS (
    -- Titles of experienced and desired occupations with the catalogue's
    -- title and synonyms, each occupation once; their ISCO sub-major groups.
    SELECT o.candidate_id,
           string_agg(DISTINCT CASE WHEN ro.title IS NULL THEN o.title
                                    WHEN ro.title = o.title THEN ro.names
                                    ELSE o.title || E'\n' || ro.names END, E'\n') AS names,
           array_agg(DISTINCT ig.grp ORDER BY ig.grp) FILTER (WHERE ig.grp IS NOT NULL) AS groups
    FROM (SELECT e.candidate_id, e.occupation_code, e.isco_code, e.title FROM candidate_experiences e WHERE e.candidate_id BETWEEN $2 AND $3
          UNION ALL
          SELECT d.candidate_id, d.occupation_code, d.isco_code, d.title FROM candidate_desired_occupations d WHERE d.candidate_id BETWEEN $2 AND $3) o
    LEFT JOIN bench_fts.occupations ro ON ro.code = o.occupation_code
    LEFT JOIN bench_fts.isco_groups ig ON ig.code = coalesce(nullif(o.isco_code, ''), ro.isco)
    GROUP BY o.candidate_id
), ex AS (
    SELECT e.candidate_id, string_agg(e.title || E'\n' || e.description, E'\n' ORDER BY e.position) AS text
    FROM candidate_experiences e WHERE e.candidate_id BETWEEN $2 AND $3
    GROUP BY e.candidate_id
), yr AS (
    -- Gaps and islands: a job starts a new island when it starts after
    -- every earlier job of the CV has ended.
    SELECT candidate_id, round((sum(extract(epoch FROM hi - lo)) / 86400 / 365.25)::numeric, 2) AS years
    FROM (SELECT candidate_id, min(s) AS lo, max(t) AS hi
          FROM (SELECT candidate_id, s, t,
                       count(*) FILTER (WHERE prev IS NULL OR s > prev) OVER (PARTITION BY candidate_id ORDER BY s, t ROWS UNBOUNDED PRECEDING) AS island
                FROM (SELECT candidate_id, s, t,
                             max(t) OVER (PARTITION BY candidate_id ORDER BY s, t ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev
                      FROM (SELECT e.candidate_id, e.start_date::timestamp AS s, coalesce(e.end_date::timestamp, $1::timestamp) AS t
                            FROM candidate_experiences e WHERE e.candidate_id BETWEEN $2 AND $3) spans
                      WHERE t > s) ordered) islands
          GROUP BY candidate_id, island) i
    GROUP BY candidate_id
), sk AS (
    -- The CV's skill labels and the catalogue's label of coded skills.
    SELECT s.candidate_id, string_agg(DISTINCT v.label, E'\n') AS labels
    FROM candidate_skills s
    LEFT JOIN bench_fts.skills rs ON rs.code = s.skill_code
    CROSS JOIN LATERAL (VALUES (s.label), (rs.label)) AS v(label)
    WHERE s.candidate_id BETWEEN $2 AND $3 AND v.label IS NOT NULL
    GROUP BY s.candidate_id
), ed AS (
    SELECT ce.candidate_id, max(ce.eqf_level) AS level
    FROM candidate_education ce WHERE ce.candidate_id BETWEEN $2 AND $3
    GROUP BY ce.candidate_id
), la AS (
    SELECT l.candidate_id, array_agg(l.language ORDER BY l.language) AS languages,
           array_agg(l.language || ':' || l.level ORDER BY l.language) AS levels
    FROM candidate_languages l WHERE l.candidate_id BETWEEN $2 AND $3
    GROUP BY l.candidate_id
), li AS (
    SELECT l.candidate_id, array_agg(l.category ORDER BY l.category) AS licences
    FROM candidate_licences l WHERE l.candidate_id BETWEEN $2 AND $3
    GROUP BY l.candidate_id
)
INSERT INTO bench_fts.candidates (id, presentable, municipality, education, years_total, available_from, updated_at,
    occupation_groups, languages, language_levels, licences, contracts, working_time, tsv)
SELECT c.id, c.presentation <> 'none', c.home_municipality_code, ed.level, coalesce(yr.years, 0), c.available_from, c.updated_at,
    coalesce(occ.groups, '{}'), coalesce(la.languages, '{}'), coalesce(la.levels, '{}'), coalesce(li.licences, '{}'),
    c.contract_preferences, c.working_time,
    setweight(to_tsvector('italian', c.headline || E'\n' || coalesce(occ.names, '')), 'A')
    || setweight(to_tsvector('italian', coalesce(sk.labels, '')), 'B')
    || setweight(to_tsvector('italian', coalesce(ex.text, '')), 'C')
    || setweight(to_tsvector('italian', c.summary), 'D')
FROM candidates c
LEFT JOIN occ ON occ.candidate_id = c.id
LEFT JOIN ex ON ex.candidate_id = c.id
LEFT JOIN yr ON yr.candidate_id = c.id
LEFT JOIN sk ON sk.candidate_id = c.id
LEFT JOIN ed ON ed.candidate_id = c.id
LEFT JOIN la ON la.candidate_id = c.id
LEFT JOIN li ON li.candidate_id = c.id
WHERE c.id BETWEEN $2 AND $3
  AND c.searchable
  AND NOT EXISTS (SELECT 1 FROM users u WHERE u.candidate_id = c.id AND u.status <> 'active')`

// execOn runs statements in order on one connection with the session settings.
func execOn(ctx context.Context, db *sqlx.DB, settings string, stmts ...string) error {
	conn, err := db.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, settings); err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%.60s…: %w", strings.Join(strings.Fields(s), " "), err)
		}
	}
	return nil
}

// Drop removes schema bench_fts and releases the connections of the searches.
func (f *FTS) Drop(ctx context.Context) error {
	f.conns.close()
	if _, err := f.db.ExecContext(ctx, `DROP SCHEMA IF EXISTS bench_fts CASCADE`); err != nil {
		return fmt.Errorf("bench: postgresql fts: drop: %w", err)
	}
	return nil
}

// Size limits of the term facets, as incontro's (index/search.go termFacets).
var ftsFacetSizes = map[string]int{
	index.FacetOccupationGroup: 50,
	index.FacetMunicipality:    20,
	index.FacetEducation:       8,
	index.FacetLanguageLevel:   60,
	index.FacetLicence:         20,
}

// ftsExperienceBands are incontro's experience bands [Min, Max) in years
// (index.ExperienceBands; the edges are in index/query.go).
var ftsExperienceBands = []struct {
	Name string
	Max  float64 // upper bound, exclusive; the last band is open
}{
	{"0-1", 1}, {"1-3", 3}, {"3-5", 5}, {"5-10", 10}, {"10+", math.Inf(1)},
}

// ftsAvailabilityBands are incontro's availability bands in days after the
// day of asOf, [previous To, To) (index.AvailabilityBands).
var ftsAvailabilityBands = []struct {
	Name string
	To   int // days after the day, exclusive; 0 for the last, open band
}{
	{"now", 1}, {"30d", 31}, {"90d", 91}, {"later", 0},
}

var (
	ftsTwoDigits     = regexp.MustCompile(`^[0-9]{2}$`)
	ftsISOLanguage   = regexp.MustCompile(`^[a-z]{2}$`)
	ftsLanguageLevel = regexp.MustCompile(`^[a-z]{2}:(A1|A2|B1|B2|C1|C2|native)$`)
)

// cond is a condition whose parameters are written "$?"; a sqlBuilder
// numbers them. Values never enter the SQL text.
type cond struct {
	sql  string
	args []any
}

// sqlBuilder collects the arguments of one statement.
type sqlBuilder struct{ args []any }

// param adds an argument and returns its placeholder.
func (b *sqlBuilder) param(v any) string {
	b.args = append(b.args, v)
	return "$" + strconv.Itoa(len(b.args))
}

// cond returns the condition with its placeholders numbered, in parentheses.
func (b *sqlBuilder) cond(c cond) string {
	var out strings.Builder
	out.WriteByte('(')
	s, args := c.sql, c.args
	for {
		j := strings.Index(s, "$?")
		if j < 0 {
			break
		}
		out.WriteString(s[:j])
		out.WriteString(b.param(args[0]))
		s, args = s[j+2:], args[1:]
	}
	out.WriteString(s)
	out.WriteByte(')')
	return out.String()
}

// and returns the conditions joined by AND ("true" for none).
func (b *sqlBuilder) and(conds []cond) string {
	if len(conds) == 0 {
		return "true"
	}
	parts := make([]string, len(conds))
	for i, c := range conds {
		parts[i] = b.cond(c)
	}
	return strings.Join(parts, " AND ")
}

// ftsPlan is a validated search: the conditions always applied, those of
// the facets (kept apart so that each facet is counted without its own),
// and what the page and the facets need.
type ftsPlan struct {
	text   string
	base   []cond
	facet  map[string]cond // active facet filters by facet name
	size   int
	day    time.Time
	rings  []ftsRing // distance facet: the municipalities of each ring
	facets bool
}

// ftsRing is a band of the distance facet and its municipalities.
type ftsRing struct {
	Name  string
	Codes []string
}

// newPlan checks a search and turns it into conditions. Errors are
// *matching.Error EINVALID naming the field, as incontro's.
func (f *FTS) newPlan(s Search, asOf time.Time) (*ftsPlan, error) {
	p := &ftsPlan{text: strings.TrimSpace(s.Text), facet: map[string]cond{}, size: s.Size, facets: s.Facets}
	switch {
	case p.size == 0:
		p.size = ftsDefaultSize
	case p.size < 0 || p.size > ftsMaxSize:
		return nil, matching.FieldErrorf("size", "must be between 1 and %d", ftsMaxSize)
	}
	if utf8.RuneCountInString(p.text) > ftsMaxText || !utf8.ValidString(p.text) || strings.ContainsRune(p.text, 0) {
		return nil, matching.FieldErrorf("q", "must be valid text of at most %d characters", ftsMaxText)
	}
	if asOf.IsZero() {
		return nil, matching.FieldErrorf("as_of", "is required")
	}
	p.day = utcDay(asOf)

	p.base = append(p.base, cond{sql: "c.presentable"})
	if p.text != "" {
		p.base = append(p.base, cond{"c.tsv @@ plainto_tsquery('italian', $?)", []any{p.text}})
	}
	if s.Licence != "" {
		if !matching.IsLicence(s.Licence) {
			return nil, matching.FieldErrorf("licence", "%q is not a licence category", s.Licence)
		}
		p.base = append(p.base, cond{"c.licences @> $?::text[]", []any{pq.Array([]string{s.Licence})}})
	}
	if s.Language != "" || s.MinLevel != "" {
		if !ftsISOLanguage.MatchString(s.Language) {
			return nil, matching.FieldErrorf("language", "%q is not an ISO 639-1 language code such as de", s.Language)
		}
		if s.MinLevel == "" {
			p.base = append(p.base, cond{"c.languages @> $?::text[]", []any{pq.Array([]string{s.Language})}})
		} else {
			if matching.CEFRRank(s.MinLevel) == 0 {
				return nil, matching.FieldErrorf("language", "%q is not a CEFR level (A1–C2) or native", s.MinLevel)
			}
			p.base = append(p.base, cond{"c.language_levels && $?::text[]", []any{pq.Array(levelsFrom(s.Language, matching.CEFRRank(s.MinLevel)))}})
		}
	}
	if s.AvailableBy != nil {
		p.base = append(p.base, cond{"c.available_from <= $?::date", []any{utcDay(*s.AvailableBy)}})
	}
	if s.Near != "" || s.RadiusKm != 0 {
		centre, ok := reference.MunicipalityByCode(s.Near)
		if !ok {
			return nil, matching.FieldErrorf("near", "%q is not an ISTAT municipality code", s.Near)
		}
		if math.IsNaN(s.RadiusKm) || s.RadiusKm <= 0 || s.RadiusKm > 1000 {
			return nil, matching.FieldErrorf("radius_km", "must be more than 0 and at most 1000")
		}
		within := f.within([]circle{{centre.Lat, centre.Lon, s.RadiusKm}})
		p.base = append(p.base, cond{"c.municipality = ANY($?::text[])", []any{pq.Array(within)}})
		if s.Facets {
			p.rings = f.rings(centre.Lat, centre.Lon, s.RadiusKm)
		}
	}

	if s.OccupationGroup != "" {
		if !ftsTwoDigits.MatchString(s.OccupationGroup) {
			return nil, matching.FieldErrorf("occupation_group", "%q is not an ISCO-08 sub-major group (2 digits)", s.OccupationGroup)
		}
		p.facet[index.FacetOccupationGroup] = cond{"c.occupation_groups @> $?::text[]", []any{pq.Array([]string{s.OccupationGroup})}}
	}
	if s.EducationLevel != "" {
		v, err := strconv.Atoi(s.EducationLevel)
		if err != nil || v < 1 || v > 8 || s.EducationLevel != strconv.Itoa(v) {
			return nil, matching.FieldErrorf("education_level", "%q is not an EQF level from 1 to 8", s.EducationLevel)
		}
		p.facet[index.FacetEducation] = cond{"c.education = $?", []any{v}}
	}
	if s.LanguageLevel != "" {
		if !ftsLanguageLevel.MatchString(s.LanguageLevel) {
			return nil, matching.FieldErrorf("language_level", "%q is not a language and level such as de:B2", s.LanguageLevel)
		}
		p.facet[index.FacetLanguageLevel] = cond{"c.language_levels @> $?::text[]", []any{pq.Array([]string{s.LanguageLevel})}}
	}
	return p, nil
}

// utcDay returns midnight UTC of t's day.
func utcDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// levelsFrom returns the language_levels values of a language at a CEFR
// rank or above.
func levelsFrom(language string, rank int) []string {
	var out []string
	for _, lv := range matching.CEFRLevels() {
		if matching.CEFRRank(lv) >= rank {
			out = append(out, language+":"+lv)
		}
	}
	return out
}

// facetNames returns the names of the active facet filters in a fixed order.
func (p *ftsPlan) facetNames() []string {
	names := make([]string, 0, len(p.facet))
	for name := range p.facet {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// allConds returns every condition of the search, facet filters included.
func (p *ftsPlan) allConds() []cond {
	out := slices.Clone(p.base)
	for _, name := range p.facetNames() {
		out = append(out, p.facet[name])
	}
	return out
}

// circle is a distance around a point, in km.
type circle struct{ Lat, Lon, Km float64 }

// within returns the codes of the home municipalities inside every circle.
func (f *FTS) within(cs []circle) []string {
	out := []string{}
	for _, pl := range f.places {
		in := true
		for _, c := range cs {
			if reference.HaversineKm(c.Lat, c.Lon, pl.Lat, pl.Lon) > c.Km {
				in = false
				break
			}
		}
		if in {
			out = append(out, pl.Code)
		}
	}
	return out
}

// rings returns the bands of the distance facet with their municipalities:
// 10 km wide, (from, to], the last beyond 50 km open up to r, as incontro's.
func (f *FTS) rings(lat, lon, r float64) []ftsRing {
	const width, maxBand = 10.0, 50.0
	var out []ftsRing
	for from := 0.0; from < r; from += width {
		ring := ftsRing{Codes: []string{}}
		to := min(from+width, r)
		if from >= maxBand {
			ring.Name, to = strconv.FormatFloat(maxBand, 'f', -1, 64)+"km+", r
		} else {
			ring.Name = strconv.FormatFloat(from, 'f', -1, 64) + "-" + strconv.FormatFloat(from+width, 'f', -1, 64) + "km"
		}
		for _, pl := range f.places {
			d := reference.HaversineKm(lat, lon, pl.Lat, pl.Lon)
			if (d > from || from == 0) && d <= to {
				ring.Codes = append(ring.Codes, pl.Code)
			}
		}
		out = append(out, ring)
		if from >= maxBand {
			break
		}
	}
	return out
}

// ftsRank is the relevance of a row for a tsquery: ts_rank with the weights
// of ftsRankWeights, divided by 1 + log of the document length (bleve's
// scoring normalises by field length too). Ranking is most of the cost of a
// text query, and ts_rank_cd (cover density) measured here about 1.7 times
// slower than ts_rank on the workload's texts and 4 times slower on the long
// OR queries of Match: a team would choose ts_rank.
func ftsRank(tsquery string) string {
	return `ts_rank(` + ftsRankWeights + `, c.tsv, ` + tsquery + `, 1)`
}

// Search answers a search of classes a–d (see Search) as a competent team
// would with SQL:
//   - The text is plainto_tsquery('italian'): every word must match (what
//     PostgreSQL users expect; incontro's bleve query matches any word and
//     ranks by how many). Hits are ordered by ftsRank, then id; the total is
//     COUNT(*) OVER () of the page query, nearly free since ranking reads
//     every match anyway.
//   - Without text, the page is the most recently updated first, read from
//     the covering partial index on (updated_at DESC, id), and the total is
//     counted apart (with the facets when there are facets).
//   - Filters are WHERE conditions on the array (GIN) and scalar (btree)
//     columns; the radius is the set of home municipalities within it.
//   - Facets are GROUP BY: one scan per connection with GROUPING SETS, one
//     set per facet, so that every facet is counted in the same pass. A
//     facet with an active filter is counted without it, as incontro does:
//     the scan keeps the rows that pass every filter but at most one facet
//     filter, and each facet's key is NULL on the rows it must not count.
//     The licence facet is counted with every filter (incontro's is a
//     drill-down). Array columns are grouped by their whole value — there
//     are few distinct arrays — and expanded into their elements here,
//     which is cheaper than unnest. Without text the facets are split over
//     one scan per CPU (PostgreSQL does not parallelise grouping sets), run
//     concurrently with the page; with text one scan suffices.
func (f *FTS) Search(ctx context.Context, s Search, asOf time.Time) (FTSResult, error) {
	p, err := f.newPlan(s, asOf)
	if err != nil {
		return FTSResult{}, err
	}
	res := FTSResult{IDs: []int64{}}
	var mu sync.Mutex
	total := 0
	setTotal := func(n int) {
		mu.Lock()
		total = n
		mu.Unlock()
	}
	add := func(facet, value string, n int) {
		mu.Lock()
		defer mu.Unlock()
		if res.Facets[facet] == nil {
			res.Facets[facet] = map[string]int{}
		}
		res.Facets[facet][value] += n
	}

	var jobs []func(*sqlx.Conn) error
	var b sqlBuilder
	where := b.and(p.allConds())
	if p.text != "" {
		// The rank's tsquery is the text's again: a constant once planned.
		q := `SELECT c.id, count(*) OVER () FROM bench_fts.candidates c WHERE ` + where +
			` ORDER BY ` + ftsRank(`plainto_tsquery('italian', `+b.param(p.text)+`)`) + ` DESC, c.id LIMIT ` + b.param(p.size)
		jobs = append(jobs, func(conn *sqlx.Conn) error {
			rows, err := conn.QueryContext(ctx, q, b.args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id, &n); err != nil {
					return err
				}
				res.IDs = append(res.IDs, id)
			}
			if err := rows.Err(); err != nil {
				return err
			}
			setTotal(n)
			return nil
		})
	} else {
		countArgs := slices.Clone(b.args)
		q := `SELECT c.id FROM bench_fts.candidates c WHERE ` + where + ` ORDER BY c.updated_at DESC, c.id LIMIT ` + b.param(p.size)
		jobs = append(jobs, func(conn *sqlx.Conn) error { return conn.SelectContext(ctx, &res.IDs, q, b.args...) })
		if !p.facets {
			jobs = append(jobs, func(conn *sqlx.Conn) error {
				var n int
				if err := conn.GetContext(ctx, &n, `SELECT count(*) FROM bench_fts.candidates c WHERE `+where, countArgs...); err != nil {
					return err
				}
				setTotal(n)
				return nil
			})
		}
	}

	if p.facets {
		res.Facets = map[string]map[string]int{}
		names := []string{index.FacetOccupationGroup, index.FacetLicence, index.FacetMunicipality, index.FacetLanguageLevel,
			index.FacetEducation, index.FacetExperience, index.FacetAvailability}
		if len(p.rings) > 0 {
			names = append(names, index.FacetDistance)
		}
		if p.text == "" {
			names = append(names, ftsFacetTotal)
		}
		chunks := 1
		if p.text == "" {
			chunks = min(runtime.NumCPU(), len(names))
		}
		for c := range chunks {
			var chunk []string
			for i := c; i < len(names); i += chunks {
				chunk = append(chunk, names[i])
			}
			jobs = append(jobs, p.facetJob(ctx, chunk, add, setTotal))
		}
	}

	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() { errs[i] = f.conns.do(ctx, job) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		if ctx.Err() != nil {
			return FTSResult{}, ctx.Err()
		}
		return FTSResult{}, fmt.Errorf("bench: postgresql fts: search: %w", err)
	}
	res.Total = total
	if p.facets {
		trimFacets(res.Facets)
		// Every band is present and every facet has a map, as in
		// incontro's results.
		for _, b := range ftsExperienceBands {
			add(index.FacetExperience, b.Name, 0)
		}
		for _, b := range ftsAvailabilityBands {
			add(index.FacetAvailability, b.Name, 0)
		}
		for _, r := range p.rings {
			add(index.FacetDistance, r.Name, 0)
		}
		for name := range ftsFacetSizes {
			if res.Facets[name] == nil {
				res.Facets[name] = map[string]int{}
			}
		}
	}
	return res, nil
}

// ftsFacetTotal is the pseudo-facet that counts the hits in a facet scan.
const ftsFacetTotal = "#total"

// facetJob counts the facets named in one scan (see Search).
func (p *ftsPlan) facetJob(ctx context.Context, names []string, add func(string, string, int), setTotal func(int)) func(*sqlx.Conn) error {
	var b sqlBuilder
	active := p.facetNames()
	flags := make([]string, len(active))
	for i, name := range active {
		// A NULL (no education) fails the filter.
		flags[i] = "coalesce(" + b.cond(p.facet[name]) + ", false)"
	}
	// Without facet filters the total is the empty grouping set: no key
	// to hash.
	emptySet := false
	if i := slices.Index(names, ftsFacetTotal); i >= 0 && len(flags) == 0 {
		names, emptySet = slices.Delete(slices.Clone(names), i, i+1), true
	}
	// counted returns the condition under which a facet counts a row:
	// every facet filter passes, but its own (the licence has none).
	counted := func(name string) string {
		var need []string
		for i, a := range active {
			if a != name {
				need = append(need, flags[i])
			}
		}
		return strings.Join(need, " AND ")
	}
	keys := make([]string, len(names))
	array := make([]bool, len(names))
	for i, name := range names {
		var key string
		switch name {
		case index.FacetOccupationGroup:
			key, array[i] = "c.occupation_groups", true
		case index.FacetLanguageLevel:
			key, array[i] = "c.language_levels", true
		case index.FacetLicence:
			key, array[i] = "c.licences", true
		case index.FacetMunicipality:
			key = "c.municipality"
		case index.FacetEducation:
			key = "c.education::text"
		case index.FacetExperience:
			var k strings.Builder
			k.WriteString("CASE")
			for _, band := range ftsExperienceBands {
				if math.IsInf(band.Max, 1) {
					k.WriteString(" ELSE " + b.param(band.Name) + "::text")
				} else {
					k.WriteString(" WHEN c.years_total < " + b.param(band.Max) + "::numeric THEN " + b.param(band.Name) + "::text")
				}
			}
			key = k.String() + " END"
		case index.FacetAvailability:
			var k strings.Builder
			k.WriteString("CASE WHEN c.available_from IS NULL THEN NULL")
			for _, band := range ftsAvailabilityBands {
				if band.To == 0 {
					k.WriteString(" ELSE " + b.param(band.Name) + "::text")
				} else {
					k.WriteString(" WHEN c.available_from < " + b.param(p.day.AddDate(0, 0, band.To)) + "::date THEN " + b.param(band.Name) + "::text")
				}
			}
			key = k.String() + " END"
		case index.FacetDistance:
			var k strings.Builder
			k.WriteString("CASE")
			for _, r := range p.rings {
				k.WriteString(" WHEN c.municipality = ANY(" + b.param(pq.Array(r.Codes)) + "::text[]) THEN " + b.param(r.Name) + "::text")
			}
			key = k.String() + " END"
		case ftsFacetTotal:
			key = "''::text"
		}
		if c := counted(name); c != "" {
			key = "CASE WHEN " + c + " THEN " + key + " END"
		}
		keys[i] = key + fmt.Sprintf(" AS k%d", i)
	}
	// The rows a facet may count: every filter but at most one facet filter.
	where := b.and(p.base)
	if len(flags) > 0 {
		passed := make([]string, len(flags))
		for i, f := range flags {
			passed[i] = f + "::int"
		}
		where += " AND " + strings.Join(passed, " + ") + " >= " + strconv.Itoa(len(flags)-1)
	}
	sets := make([]string, len(names))
	cols := make([]string, len(names))
	for i := range names {
		cols[i] = fmt.Sprintf("k%d", i)
		sets[i] = "(" + cols[i] + ")"
	}
	if emptySet {
		sets = append(sets, "()")
	}
	if len(names) == 0 {
		q := `SELECT count(*) FROM bench_fts.candidates c WHERE ` + where
		return func(conn *sqlx.Conn) error {
			var n int
			if err := conn.GetContext(ctx, &n, q, b.args...); err != nil {
				return err
			}
			setTotal(n)
			return nil
		}
	}
	q := `SELECT ` + strings.Join(cols, ", ") + `, GROUPING(` + strings.Join(cols, ", ") + `), count(*)
		FROM (SELECT ` + strings.Join(keys, ", ") + ` FROM bench_fts.candidates c WHERE ` + where + `) s
		GROUP BY GROUPING SETS (` + strings.Join(sets, ", ") + `)`
	all := 1<<len(names) - 1
	return func(conn *sqlx.Conn) error {
		rows, err := conn.QueryContext(ctx, q, b.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		scalars := make([]sql.NullString, len(names))
		arrays := make([]pq.StringArray, len(names))
		dest := make([]any, len(names), len(names)+2)
		for i := range names {
			if array[i] {
				dest[i] = &arrays[i]
			} else {
				dest[i] = &scalars[i]
			}
		}
		var mask, n int
		dest = append(dest, &mask, &n)
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			if mask == all {
				// The empty set: every row of the scan.
				setTotal(n)
				continue
			}
			for i, name := range names {
				// GROUPING sets the bit of each column not grouped, the
				// first column's being the highest.
				if mask != all&^(1<<(len(names)-1-i)) {
					continue
				}
				switch {
				case name == ftsFacetTotal:
					if scalars[i].Valid {
						setTotal(n)
					}
				case array[i]:
					// NULL (not counted) and empty arrays add nothing.
					for _, v := range arrays[i] {
						add(name, v, n)
					}
				case scalars[i].Valid:
					add(name, scalars[i].String, n)
				}
			}
		}
		return rows.Err()
	}
}

// trimFacets keeps the top values of each term facet, by count then value,
// as many as incontro shows.
func trimFacets(facets map[string]map[string]int) {
	for name, size := range ftsFacetSizes {
		counts := facets[name]
		if len(counts) <= size {
			continue
		}
		type vc struct {
			v string
			n int
		}
		all := make([]vc, 0, len(counts))
		for v, n := range counts {
			all = append(all, vc{v, n})
		}
		slices.SortFunc(all, func(a, b vc) int { return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.v, b.v)) })
		for _, x := range all[size:] {
			delete(counts, x.v)
		}
	}
}

// Match is the closest SQL to a vacancy match (class e): the candidates
// that pass every essential requirement SQL can check exactly, by text
// relevance to the vacancy, the first k ids (0: 500, at most 5000).
//
// Like incontro's recall (index.Recall), each essential requirement keeps
// the candidates scoring would not fail on it, an empty CV section being
// unknown rather than failed: a covering licence (matching.LicencesCovering)
// or none; the language listed at matching.LanguageFloor or above, or no
// language listed (Italian not listed is unknown); the highest education at
// matching.EducationFloor or none; available by the required day plus
// matching.AvailabilityGraceDays or no date; one of the working-time
// patterns or contract types, or none. A distance becomes the set of home
// municipalities within matching.DistanceReach of the workplace (essential)
// or twice as far (not essential: a vacancy is about a place). Occupations,
// skills and certifications are never filters.
//
// Relevance is one OR tsquery: every word of the vacancy's title and of its
// occupation requirements anywhere in the CV, and every word of its skill
// requirements among the skills (weight B), as incontro searches them; the
// query's words are the distinct lexemes of the texts, so that a word
// repeated in several labels is ranked once. Hits are ordered by ftsRank
// then id. The tsquery is built by PostgreSQL's Italian configuration in a
// first, short statement, so that the main one gets it as a constant.
//
// What SQL cannot express, and incontro does: the requirements' codes and
// ISCO groups as relevance, the near misses (candidates failing exactly one
// essential requirement), and the re-ranking of the recalled candidates by
// the ranked requirements with partial credit per requirement and an
// explanation of each score. Match returns the recall only.
func (f *FTS) Match(ctx context.Context, v matching.Vacancy, k int, asOf time.Time) ([]int64, error) {
	switch {
	case k == 0:
		k = ftsDefaultK
	case k < 0 || k > ftsMaxK:
		return nil, matching.FieldErrorf("k", "must be between 1 and %d", ftsMaxK)
	}
	if asOf.IsZero() {
		return nil, matching.FieldErrorf("as_of", "is required")
	}
	if utf8.RuneCountInString(v.Title) > 200 || !utf8.ValidString(v.Title) || strings.ContainsRune(v.Title, 0) {
		return nil, matching.FieldErrorf("title", "must be valid text of at most 200 characters")
	}
	if math.IsNaN(v.Lat) || v.Lat < -90 || v.Lat > 90 {
		return nil, matching.FieldErrorf("lat", "must be a latitude between -90 and 90")
	}
	if math.IsNaN(v.Lon) || v.Lon < -180 || v.Lon > 180 {
		return nil, matching.FieldErrorf("lon", "must be a longitude between -180 and 180")
	}
	anywhere, skills := []string{v.Title}, []string{}
	conds := []cond{{sql: "c.presentable"}}
	var circles []circle
	for i, r := range v.Requirements {
		if err := r.Validate(fmt.Sprintf("requirements[%d].", i)); err != nil {
			return nil, err
		}
		if !utf8.ValidString(r.Label) || strings.ContainsRune(r.Label, 0) {
			return nil, matching.FieldErrorf(fmt.Sprintf("requirements[%d].label", i), "must be valid text")
		}
		switch r.Kind {
		case matching.ReqOccupation:
			label := r.Label
			if o, ok := reference.OccupationByCode(r.Code); ok && strings.TrimSpace(label) == "" {
				label = o.Title
			}
			anywhere = append(anywhere, label)
		case matching.ReqSkill:
			label := r.Label
			if sk, ok := reference.SkillByCode(r.Code); ok && strings.TrimSpace(label) == "" {
				label = sk.Label
			}
			skills = append(skills, label)
		}
		switch {
		case r.Kind == matching.ReqDistance && v.Lat == 0 && v.Lon == 0:
			// No workplace to measure from: unknown for everyone.
		case r.Kind == matching.ReqDistance && r.Essential:
			circles = append(circles, circle{v.Lat, v.Lon, matching.DistanceReach(*r.MaxKm)})
		case r.Kind == matching.ReqDistance:
			circles = append(circles, circle{v.Lat, v.Lon, 2 * matching.DistanceReach(*r.MaxKm)})
		case r.Essential:
			if c, ok := essentialCond(r); ok {
				conds = append(conds, c)
			}
		}
	}
	if len(circles) > 0 {
		conds = append(conds, cond{"c.municipality = ANY($?::text[])", []any{pq.Array(f.within(circles))}})
	}

	ids := []int64{}
	err := f.conns.do(ctx, func(conn *sqlx.Conn) error {
		var tsquery string
		if err := conn.GetContext(ctx, &tsquery, ftsMatchQuery, strings.Join(anywhere, "\n"), strings.Join(skills, "\n")); err != nil {
			return err
		}
		var b sqlBuilder
		var q string
		if tsquery == "" {
			// No word (stop words only): every candidate that passes the
			// filters, in id order, as incontro recalls them.
			q = `SELECT c.id FROM bench_fts.candidates c WHERE ` + b.and(conds) + ` ORDER BY c.id LIMIT ` + b.param(k)
		} else {
			tsq := b.param(tsquery) + "::tsquery"
			q = `SELECT c.id FROM bench_fts.candidates c WHERE c.tsv @@ ` + tsq + ` AND ` + b.and(conds) +
				` ORDER BY ` + ftsRank(tsq) + ` DESC, c.id LIMIT ` + b.param(k)
		}
		return conn.SelectContext(ctx, &ids, q, b.args...)
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("bench: postgresql fts: match: %w", err)
	}
	return ids, nil
}

// ftsMatchQuery turns the texts searched anywhere ($1) and among the skills
// ($2) into the text of one OR tsquery of their distinct lexemes; "" when
// they have none.
const ftsMatchQuery = `
WITH anywhere AS (SELECT unnest(tsvector_to_array(to_tsvector('italian', $1))) AS l),
     skill AS (SELECT unnest(tsvector_to_array(to_tsvector('italian', $2))) AS l EXCEPT SELECT l FROM anywhere)
SELECT coalesce(string_agg(t, ' | '), '') FROM (
    SELECT quote_literal(l) AS t FROM anywhere
    UNION ALL
    SELECT quote_literal(l) || ':B' FROM skill) q`

// essentialCond is the condition of an essential requirement that SQL
// checks exactly (see Match); ok is false for the kinds it does not filter.
func essentialCond(r matching.Requirement) (cond, bool) {
	switch r.Kind {
	case matching.ReqLicence:
		return cond{"c.licences && $?::text[] OR c.licences = '{}'", []any{pq.Array(matching.LicencesCovering(r.Code))}}, true
	case matching.ReqLanguage:
		var tooLow []string
		floor := matching.LanguageFloor(r.Level)
		for _, lv := range matching.CEFRLevels() {
			if matching.CEFRRank(lv) < floor {
				tooLow = append(tooLow, r.Code+":"+lv)
			}
		}
		if r.Code == "it" {
			return cond{"NOT c.language_levels && $?::text[]", []any{pq.Array(tooLow)}}, true
		}
		return cond{"NOT c.language_levels && $?::text[] AND (c.languages @> $?::text[] OR c.languages = '{}')",
			[]any{pq.Array(tooLow), pq.Array([]string{r.Code})}}, true
	case matching.ReqEducation:
		level := int(r.Code[0] - '0') // validated: "1".."8"
		return cond{"c.education >= $? OR c.education IS NULL", []any{matching.EducationFloor(level)}}, true
	case matching.ReqAvailability:
		by := utcDay(*r.FromDate).AddDate(0, 0, matching.AvailabilityGraceDays)
		return cond{"c.available_from <= $?::date OR c.available_from IS NULL", []any{by}}, true
	case matching.ReqWorkingTime:
		return cond{"c.working_time && $?::text[] OR c.working_time = '{}'", []any{pq.Array(r.Values)}}, true
	case matching.ReqContract:
		return cond{"c.contracts && $?::text[] OR c.contracts = '{}'", []any{pq.Array(r.Values)}}, true
	}
	return cond{}, false
}

// connPool lends connections that carry the session settings of the
// searches, at most size at once; idle ones are kept for the next search.
type connPool struct {
	db       *sqlx.DB
	settings string
	slots    chan struct{}
	idle     chan *sqlx.Conn
	mu       sync.Mutex
	closed   bool
}

// ftsConns is how many connections the searches use at most.
const ftsConns = 8

func newConnPool(db *sqlx.DB, settings string) *connPool {
	return &connPool{db: db, settings: settings, slots: make(chan struct{}, ftsConns), idle: make(chan *sqlx.Conn, ftsConns)}
}

// do runs fn on a connection of the pool. A connection whose work failed is
// closed rather than reused: its state is unknown.
func (p *connPool) do(ctx context.Context, fn func(*sqlx.Conn) error) error {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-p.slots }()
	var conn *sqlx.Conn
	select {
	case conn = <-p.idle:
	default:
		c, err := p.db.Connx(ctx)
		if err != nil {
			return err
		}
		if _, err := c.ExecContext(ctx, p.settings); err != nil {
			c.Close()
			return err
		}
		conn = c
	}
	if err := fn(conn); err != nil {
		conn.Close()
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return conn.Close()
	}
	select {
	case p.idle <- conn:
	default:
		conn.Close()
	}
	return nil
}

// close closes the idle connections; those in use are closed when returned.
func (p *connPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for {
		select {
		case c := <-p.idle:
			c.Close()
		default:
			return
		}
	}
}
