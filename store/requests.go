package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"incontro/matching"
)

const requestColumns = `id, provider_id, employer_id, vacancy_id, operator_id, status, outcome, close_reason, with_4d,
	opened_at, closed_at, created_by, updated_at`

// CreateRequest validates and inserts a request as given (status intake
// unless set) together with the first row of its status history, for the
// seed and for imports; the API opens requests with OpenRequest. The
// vacancy must be the employer's. Self-applications already sent to the
// vacancy enter an open request's pipeline.
func (s *DB) CreateRequest(ctx context.Context, r *matching.Request) error {
	if err := s.prepareRequest(r); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return s.createRequest(ctx, tx, r, Actor{}) })
}

// OpenRequest opens a request for a vacancy in intake, for the actor: an
// operator opens it for its provider, an employer for its own vacancy with
// the provider it chooses. The assigned operator, if any, must be an active
// operator of the request's provider; a closed vacancy takes no request.
// The opening is audited, and the self-applications already sent to the
// vacancy enter the request's pipeline, in the same transaction.
func (s *DB) OpenRequest(ctx context.Context, r *matching.Request, a Actor) error {
	r.ID, r.Status, r.Outcome, r.CloseReason, r.ClosedAt = 0, matching.StatusIntake, nil, nil, nil
	r.OpenedAt, r.CreatedBy = time.Time{}, a.by()
	if err := s.prepareRequest(r); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var vacancyStatus matching.VacancyStatus
		err := tx.QueryRowxContext(ctx, `SELECT status FROM vacancies WHERE id = $1 FOR UPDATE`, r.VacancyID).Scan(&vacancyStatus)
		if errors.Is(err, sql.ErrNoRows) {
			return matching.FieldErrorf("vacancy_id", "refers to a vacancy that does not exist")
		}
		if err != nil {
			return err
		}
		if vacancyStatus == matching.VacancyClosed {
			return &matching.Error{Code: matching.ECONFLICT, Field: "vacancy_id", Message: fmt.Sprintf("vacancy %d is closed", r.VacancyID)}
		}
		var exists bool
		if err := tx.QueryRowxContext(ctx, `SELECT EXISTS (SELECT 1 FROM requests WHERE vacancy_id = $1)`, r.VacancyID).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return &matching.Error{Code: matching.ECONFLICT, Field: "vacancy_id", Message: fmt.Sprintf("vacancy %d already has a request", r.VacancyID)}
		}
		if err := checkProvider(ctx, tx, r.ProviderID); err != nil {
			return err
		}
		if r.OperatorID != nil {
			if err := checkOperatorOf(ctx, tx, *r.OperatorID, r.ProviderID); err != nil {
				return err
			}
		}
		if err := s.createRequest(ctx, tx, r, a); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a.event(r.OpenedAt, "request_opened", "request", &r.ID, &r.ID, nil, map[string]any{
			"vacancy_id": r.VacancyID, "provider_id": r.ProviderID, "operator_id": r.OperatorID, "with_4d": r.With4D}))
	})
}

// checkProvider checks that a provider exists, naming provider_id.
func checkProvider(ctx context.Context, tx *sqlx.Tx, id int64) error {
	var ok bool
	if err := tx.QueryRowxContext(ctx, `SELECT EXISTS (SELECT 1 FROM providers WHERE id = $1)`, id).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return matching.FieldErrorf("provider_id", "refers to a provider that does not exist")
	}
	return nil
}

// checkOperatorOf checks that a user is an active operator of the provider.
func checkOperatorOf(ctx context.Context, tx *sqlx.Tx, userID, providerID int64) error {
	var ok bool
	err := tx.QueryRowxContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = 'operator'
		AND provider_id = $2 AND status = 'active')`, userID, providerID).Scan(&ok)
	if err != nil {
		return err
	}
	if !ok {
		return matching.FieldErrorf("operator_id", "user %d is not an active operator of the request's provider", userID)
	}
	return nil
}

// prepareRequest fills a new request's defaults and validates it.
func (s *DB) prepareRequest(r *matching.Request) error {
	if r.Status == "" {
		r.Status = matching.StatusIntake
	}
	now := s.now()
	if r.OpenedAt.IsZero() {
		r.OpenedAt = now
	}
	r.OpenedAt = dbTime(r.OpenedAt)
	if r.ClosedAt != nil {
		t := dbTime(*r.ClosedAt)
		r.ClosedAt = &t
	}
	r.UpdatedAt = now
	if err := r.Validate(); err != nil {
		return err
	}
	// Validate, like the table's CHECK, lets an open request carry an outcome
	// or a closing time as long as it does not carry both.
	if r.Status != matching.StatusClosed && r.Outcome != nil {
		return matching.FieldErrorf("outcome", "is set only when the request is closed")
	}
	if r.Status != matching.StatusClosed && r.ClosedAt != nil {
		return matching.FieldErrorf("closed_at", "is set only when the request is closed")
	}
	return nil
}

// createRequest inserts a prepared request and its first history row, and
// brings the vacancy's pending self-applications into an open request's
// pipeline.
func (s *DB) createRequest(ctx context.Context, tx *sqlx.Tx, r *matching.Request, a Actor) error {
	var employerID int64
	err := tx.QueryRowxContext(ctx, `SELECT employer_id FROM vacancies WHERE id = $1`, r.VacancyID).Scan(&employerID)
	if errors.Is(err, sql.ErrNoRows) {
		return matching.FieldErrorf("vacancy_id", "refers to a vacancy that does not exist")
	}
	if err != nil {
		return err
	}
	if employerID != r.EmployerID {
		return matching.FieldErrorf("vacancy_id", "vacancy %d belongs to another employer", r.VacancyID)
	}
	err = tx.QueryRowxContext(ctx, `
		INSERT INTO requests (provider_id, employer_id, vacancy_id, operator_id, status, outcome, close_reason, with_4d,
			opened_at, closed_at, created_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		r.ProviderID, r.EmployerID, r.VacancyID, r.OperatorID, r.Status, r.Outcome, r.CloseReason, r.With4D,
		r.OpenedAt, r.ClosedAt, r.CreatedBy, r.UpdatedAt).Scan(&r.ID)
	if err != nil {
		return err
	}
	if err := insertStatusChange(ctx, tx, r.ID, nil, r.Status, r.Outcome, "", r.OpenedAt, r.CreatedBy); err != nil {
		return err
	}
	if r.Status == matching.StatusClosed {
		return nil
	}
	return s.attachApplications(ctx, tx, r, a)
}

func insertStatusChange(ctx context.Context, tx *sqlx.Tx, requestID int64, from *matching.RequestStatus,
	to matching.RequestStatus, outcome *matching.Outcome, note string, at time.Time, by *int64) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO request_status_history (request_id, from_status, to_status, outcome, note, at, by_user)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, requestID, from, to, outcome, note, at, by)
	return err
}

// Request returns the request with the given id.
func (s *DB) Request(ctx context.Context, id int64) (matching.Request, error) {
	var r matching.Request
	err := s.db.GetContext(ctx, &r, `SELECT `+requestColumns+` FROM requests WHERE id = $1`, id)
	if err != nil {
		return r, mapNotFound(err, "request", id)
	}
	return r, nil
}

// RequestFilter selects requests in a list; zero fields do not filter.
type RequestFilter struct {
	ProviderID int64
	EmployerID int64
	OperatorID int64
	Status     matching.RequestStatus
	// State is "open" (any state but closed), "closed" or "" (both).
	State string
	// Text searches the vacancy's title.
	Text   string
	Limit  int
	Offset int
}

// likeEscaper escapes the wildcards of LIKE in user text.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// requestWhere is the WHERE clause of RequestFilter over requests r joined
// with their vacancy v, on parameters $1 to $6.
const requestWhere = `
	WHERE ($1::bigint = 0 OR r.provider_id = $1) AND ($2::bigint = 0 OR r.employer_id = $2)
		AND ($3::bigint = 0 OR r.operator_id = $3) AND ($4::text = '' OR r.status = $4)
		AND ($5::text = '' OR ($5 = 'open') = (r.status <> 'closed'))
		AND ($6::text = '' OR v.title ILIKE '%' || $6 || '%')`

func (f *RequestFilter) args() ([]any, error) {
	if f.Status != "" && !validRequestStatus(f.Status) {
		return nil, matching.FieldErrorf("status", "%q is not a request state", f.Status)
	}
	if f.State != "" && f.State != "open" && f.State != "closed" {
		return nil, matching.FieldErrorf("state", "must be open or closed")
	}
	if len([]rune(f.Text)) > 200 {
		return nil, matching.FieldErrorf("q", "must be at most 200 characters")
	}
	limit, offset := listPage(f.Limit, f.Offset)
	return []any{f.ProviderID, f.EmployerID, f.OperatorID, string(f.Status), f.State,
		likeEscaper.Replace(strings.TrimSpace(f.Text)), limit, offset}, nil
}

// Requests lists requests, newest first, with the total matching the filter.
func (s *DB) Requests(ctx context.Context, f RequestFilter) ([]matching.Request, int, error) {
	args, err := f.args()
	if err != nil {
		return nil, 0, err
	}
	rows := []struct {
		matching.Request
		Total int `db:"total"`
	}{}
	err = s.db.SelectContext(ctx, &rows, `
		SELECT `+prefixed("r", requestColumns)+`, COUNT(*) OVER () AS total
		FROM requests r JOIN vacancies v ON v.id = r.vacancy_id`+requestWhere+`
		ORDER BY r.opened_at DESC, r.id DESC LIMIT $7 OFFSET $8`, args...)
	if err != nil {
		return nil, 0, mapError(err)
	}
	out := make([]matching.Request, len(rows))
	total := 0
	for i, r := range rows {
		out[i], total = r.Request, r.Total
	}
	return out, total, nil
}

// prefixed qualifies a list of plain column names (no expressions) with a
// table alias.
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// RequestSummary is a request with what a queue shows of its vacancy,
// employer and operator.
type RequestSummary struct {
	matching.Request
	VacancyTitle     string                 `json:"vacancy_title" db:"vacancy_title"`
	VacancyStatus    matching.VacancyStatus `json:"vacancy_status" db:"vacancy_status"`
	MunicipalityCode string                 `json:"municipality_code" db:"municipality_code"`
	ContractType     string                 `json:"contract_type" db:"contract_type"`
	EmployerName     string                 `json:"employer_name" db:"employer_name"`
	ProviderName     string                 `json:"provider_name" db:"provider_name"`
	OperatorName     string                 `json:"operator_name,omitempty" db:"operator_name"`
	// FlaggedWording: the vacancy's text has wording findings no operator
	// has justified.
	FlaggedWording bool `json:"flagged_wording" db:"flagged_wording"`
}

const requestSummarySelect = `
	SELECT ` + "%s" + `, v.title AS vacancy_title, v.status AS vacancy_status, v.municipality_code, v.contract_type,
		e.name AS employer_name, p.name AS provider_name, COALESCE(u.name, '') AS operator_name,
		EXISTS (SELECT 1 FROM vacancy_findings f WHERE f.vacancy_id = v.id AND f.justification = '') AS flagged_wording`

const requestSummaryFrom = `
	FROM requests r JOIN vacancies v ON v.id = r.vacancy_id JOIN employers e ON e.id = r.employer_id
		JOIN providers p ON p.id = r.provider_id LEFT JOIN users u ON u.id = r.operator_id`

// RequestBadges are what a request's row signals, computed from the
// workflow's rules at the time of reading: hours per phase against the
// standard, whether the employer owes feedback, and the candidates whose
// confirmed availability has run out or will within
// matching.AvailabilityExpiresSoon.
type RequestBadges struct {
	Time                 *matching.TimeSummary  `json:"time,omitempty"`
	Feedback             matching.FeedbackState `json:"feedback"`
	AvailabilityExpiring int                    `json:"availability_expiring"`
	AvailabilityExpired  int                    `json:"availability_expired"`
}

// QueueItem is a row of the request queue.
type QueueItem struct {
	RequestSummary
	Badges RequestBadges `json:"badges"`
}

// RequestQueue lists requests with their summaries and badges, newest
// first, with the total matching the filter: four queries for a page,
// whatever its size.
func (s *DB) RequestQueue(ctx context.Context, f RequestFilter) ([]QueueItem, int, error) {
	args, err := f.args()
	if err != nil {
		return nil, 0, err
	}
	rows := []struct {
		RequestSummary
		Total int `db:"total"`
	}{}
	err = s.db.SelectContext(ctx, &rows, fmt.Sprintf(requestSummarySelect, prefixed("r", requestColumns))+`,
		COUNT(*) OVER () AS total`+requestSummaryFrom+requestWhere+`
		ORDER BY r.opened_at DESC, r.id DESC LIMIT $7 OFFSET $8`, args...)
	if err != nil {
		return nil, 0, mapError(err)
	}
	out := make([]QueueItem, len(rows))
	reqs := make([]matching.Request, len(rows))
	total := 0
	for i, r := range rows {
		out[i].RequestSummary, total = r.RequestSummary, r.Total
		reqs[i] = r.Request
	}
	badges, err := s.RequestBadges(ctx, reqs)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].Badges = badges[out[i].ID]
	}
	return out, total, nil
}

// RequestSummaryOf returns one request with its summary.
func (s *DB) RequestSummaryOf(ctx context.Context, id int64) (RequestSummary, error) {
	var out RequestSummary
	err := s.db.GetContext(ctx, &out, fmt.Sprintf(requestSummarySelect, prefixed("r", requestColumns))+
		requestSummaryFrom+` WHERE r.id = $1`, id)
	if err != nil {
		return out, mapNotFound(err, "request", id)
	}
	return out, nil
}

// RequestBadges computes the badges of the requests with three queries,
// whatever their number, by the store's clock and workflow settings.
func (s *DB) RequestBadges(ctx context.Context, reqs []matching.Request) (map[int64]RequestBadges, error) {
	out := make(map[int64]RequestBadges, len(reqs))
	if len(reqs) == 0 {
		return out, nil
	}
	ids := make([]int64, len(reqs))
	for i, r := range reqs {
		ids[i] = r.ID
	}
	var times []struct {
		RequestID int64          `db:"request_id"`
		Phase     matching.Phase `db:"phase"`
		Activity  string         `db:"activity"`
		Minutes   int            `db:"minutes"`
	}
	if err := s.db.SelectContext(ctx, &times, `SELECT request_id, phase, activity, sum(minutes) AS minutes
		FROM time_entries WHERE request_id = ANY($1) GROUP BY request_id, phase, activity`, pq.Array(ids)); err != nil {
		return nil, mapError(err)
	}
	entries := map[int64][]matching.TimeEntry{}
	for _, t := range times {
		entries[t.RequestID] = append(entries[t.RequestID], matching.TimeEntry{RequestID: t.RequestID, Phase: t.Phase,
			Activity: t.Activity, Minutes: t.Minutes})
	}
	var feedback []struct {
		RequestID    int64      `db:"request_id"`
		PresentedAt  *time.Time `db:"presented_at"`
		LastFeedback *time.Time `db:"last_feedback"`
	}
	if err := s.db.SelectContext(ctx, &feedback, `
		SELECT q.id AS request_id,
			(SELECT max(presented_at) FROM shortlists WHERE request_id = q.id AND presented_at IS NOT NULL) AS presented_at,
			(SELECT max(f.at) FROM feedback f JOIN pipeline_entries pe ON pe.id = f.entry_id WHERE pe.request_id = q.id) AS last_feedback
		FROM unnest($1::bigint[]) AS q (id)`, pq.Array(ids)); err != nil {
		return nil, mapError(err)
	}
	times2 := map[int64][2]*time.Time{}
	for _, f := range feedback {
		times2[f.RequestID] = [2]*time.Time{f.PresentedAt, f.LastFeedback}
	}
	var confirmations []struct {
		RequestID   int64      `db:"request_id"`
		ConfirmedAt *time.Time `db:"availability_confirmed_at"`
	}
	if err := s.db.SelectContext(ctx, &confirmations, `SELECT request_id, availability_confirmed_at FROM pipeline_entries
		WHERE request_id = ANY($1) AND stage IN ('available', 'shortlisted') AND availability_confirmed_at IS NOT NULL`,
		pq.Array(ids)); err != nil {
		return nil, mapError(err)
	}
	now := s.now()
	expiring, expired := map[int64]int{}, map[int64]int{}
	for _, c := range confirmations {
		switch matching.AvailabilityState(c.ConfirmedAt, now, s.Workflow) {
		case "expiring":
			expiring[c.RequestID]++
		case "expired":
			expired[c.RequestID]++
		}
	}
	for i := range reqs {
		r := &reqs[i]
		ts := matching.SummarizeTime(r, entries[r.ID])
		b := RequestBadges{Time: &ts}
		ft := times2[r.ID]
		b.Feedback = matching.FeedbackDue(r.Status, ft[0], ft[1], now, s.Workflow)
		if r.Status != matching.StatusClosed {
			b.AvailabilityExpiring, b.AvailabilityExpired = expiring[r.ID], expired[r.ID]
		}
		out[r.ID] = b
	}
	return out, nil
}

// RequestPatch is a change to a request's assignment or service; nil
// fields stay as they are.
type RequestPatch struct {
	OperatorID *int64
	With4D     *bool
}

// UpdateRequest assigns a request to another operator of its provider, or
// says whether it includes the 4D phases (only while it is open, and not
// off in a 4D phase), audited in the same transaction.
func (s *DB) UpdateRequest(ctx context.Context, id int64, p RequestPatch, a Actor) (matching.Request, error) {
	if p.OperatorID == nil && p.With4D == nil {
		return matching.Request{}, matching.FieldErrorf("operator_id", "nothing to change: give operator_id or with_4d")
	}
	var out matching.Request
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		r, err := lockedRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		detail := map[string]any{}
		if p.OperatorID != nil {
			if err := checkOperatorOf(ctx, tx, *p.OperatorID, r.ProviderID); err != nil {
				return err
			}
			detail["operator_id"] = map[string]any{"from": r.OperatorID, "to": *p.OperatorID}
			op := *p.OperatorID
			r.OperatorID = &op
		}
		if p.With4D != nil {
			if err := matching.CheckWith4D(&r, *p.With4D); err != nil {
				return err
			}
			detail["with_4d"] = map[string]any{"from": r.With4D, "to": *p.With4D}
			r.With4D = *p.With4D
		}
		r.UpdatedAt = s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE requests SET operator_id = $2, with_4d = $3, updated_at = $4 WHERE id = $1`,
			r.ID, r.OperatorID, r.With4D, r.UpdatedAt); err != nil {
			return err
		}
		out = r
		return writeAudit(ctx, tx, a.event(r.UpdatedAt, "request_updated", "request", &r.ID, &r.ID, nil, detail))
	})
	return out, err
}

// listPage returns the limit and offset of a list page: 100 rows unless a limit
// from 1 to 500 is asked for, from a non-negative offset.
func listPage(limit, offset int) (int, int) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return limit, max(offset, 0)
}

// validRequestStatus reports whether st is a request state.
func validRequestStatus(st matching.RequestStatus) bool {
	for _, x := range matching.RequestStatuses() {
		if x == st {
			return true
		}
	}
	return false
}

// checkNote checks the length of a free-text note on a change.
func checkNote(note string) error {
	if len([]rune(note)) > 2000 {
		return matching.FieldErrorf("note", "must be at most 2000 characters")
	}
	return nil
}

// RequestHistory returns the status changes of a request, oldest first.
func (s *DB) RequestHistory(ctx context.Context, id int64) ([]matching.StatusChange, error) {
	out := []matching.StatusChange{}
	err := s.db.SelectContext(ctx, &out, `
		SELECT id, from_status AS "from", to_status AS "to", outcome, close_reason, note, at, by_user AS "by"
		FROM request_status_history WHERE request_id = $1 ORDER BY at, id`, id)
	if err != nil {
		return nil, mapError(err)
	}
	return out, nil
}

// CreateMatchRun inserts a match run of a request with its ranked results
// and the audit event of the run (it read the CVs it ranked) in one
// transaction. The request must be matchable (matching.CheckMatchable:
// its requirements ranked, not closed); the first run moves it from
// requirements_ranked to searching through the life cycle, as the actor.
// Results without a position are numbered in order from 1.
//
// The run is left as MatchRun reads it back: its ID, time and parameters
// as stored, its explanations in the form matching.CanonicalJSON gives,
// which is how they are stored and answered, byte for byte.
func (s *DB) CreateMatchRun(ctx context.Context, run *matching.MatchRun, a Actor) error {
	if run.RequestID <= 0 {
		return matching.FieldErrorf("request_id", "is required")
	}
	if !json.Valid(run.Params) {
		return matching.FieldErrorf("params", "must be a JSON document")
	}
	if run.Recalled < 0 {
		return matching.FieldErrorf("recalled", "must not be negative")
	}
	if run.Results == nil {
		run.Results = []matching.MatchResult{}
	}
	seen := make(map[int]bool, len(run.Results))
	for i := range run.Results {
		r := &run.Results[i]
		if r.Position == 0 {
			r.Position = i + 1
		}
		f := fmt.Sprintf("results[%d].", i)
		if r.Position < 1 || seen[r.Position] {
			return matching.FieldErrorf(f+"position", "positions must be 1 or more, without repeats")
		}
		seen[r.Position] = true
		if math.IsNaN(r.Score) || math.IsInf(r.Score, 0) {
			return matching.FieldErrorf(f+"score", "must be a number")
		}
		e, err := matching.CanonicalJSON(r.Explanation)
		if err != nil {
			return matching.FieldErrorf(f+"explanation", "must be a JSON document")
		}
		r.Explanation = e
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		req, err := lockedRequest(ctx, tx, run.RequestID)
		if matching.ErrorCode(err) == matching.ENOTFOUND {
			return matching.FieldErrorf("request_id", "refers to a request that does not exist")
		}
		if err != nil {
			return err
		}
		if err := matching.CheckMatchable(&req); err != nil {
			return err
		}
		// The parameters and the time come back as a later read gives them
		// (jsonb orders the keys its own way).
		var params []byte
		err = tx.QueryRowxContext(ctx, `
			INSERT INTO match_runs (request_id, params, recalled, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5) RETURNING id, params, created_at`,
			run.RequestID, string(run.Params), run.Recalled, s.now(), run.CreatedBy).Scan(&run.ID, &params, &run.CreatedAt)
		if err != nil {
			return err
		}
		if run.Params, err = matching.CanonicalJSON(params); err != nil {
			return fmt.Errorf("store: match run %d: params: %w", run.ID, err)
		}
		if err := copyMatchResults(ctx, tx, run); err != nil {
			return fieldError(err, "results")
		}
		ev := a.event(run.CreatedAt, "match_run", "request", &run.RequestID, &run.RequestID, nil,
			map[string]any{"run_id": run.ID, "results": len(run.Results), "scored": run.Recalled})
		if err := writeAudit(ctx, tx, ev); err != nil {
			return err
		}
		if matching.MatchMoves(&req) {
			return s.transition(ctx, tx, &req, matching.TransitionInput{To: matching.StatusSearching,
				Action: matching.ActionMatchRun, Note: fmt.Sprintf("match run %d", run.ID)}, a)
		}
		return nil
	})
}

// copyMatchResults writes a run's results with COPY: a run has some 150
// results of 3 KB each, which an INSERT would send as array literals for
// the server to parse.
func copyMatchResults(ctx context.Context, tx *sqlx.Tx, run *matching.MatchRun) error {
	if len(run.Results) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `COPY match_results (run_id, position, candidate_id, score, near_miss, explanation_text) FROM STDIN`)
	if err != nil {
		return err
	}
	for i := range run.Results {
		r := &run.Results[i]
		var candidate any
		if r.CandidateID != nil {
			candidate = *r.CandidateID
		}
		if _, err = stmt.ExecContext(ctx, run.ID, int64(r.Position), candidate, r.Score, r.NearMiss, string(r.Explanation)); err != nil {
			break
		}
	}
	if err == nil {
		_, err = stmt.ExecContext(ctx)
	}
	if cerr := stmt.Close(); err == nil {
		err = cerr
	}
	return err
}

const matchRunColumns = `id, request_id, params, recalled, created_at, created_by`

// MatchRun returns a match run with its results in position order, its
// parameters and explanations in the form matching.CanonicalJSON gives.
func (s *DB) MatchRun(ctx context.Context, id int64) (matching.MatchRun, error) {
	var run matching.MatchRun
	err := s.db.GetContext(ctx, &run, `SELECT `+matchRunColumns+` FROM match_runs WHERE id = $1`, id)
	if err != nil {
		return run, mapNotFound(err, "match run", id)
	}
	return run, s.loadMatchResults(ctx, &run)
}

// MatchRuns returns the runs of a request, newest first, without results.
func (s *DB) MatchRuns(ctx context.Context, requestID int64) ([]matching.MatchRun, error) {
	runs := []matching.MatchRun{}
	err := s.db.SelectContext(ctx, &runs, `SELECT `+matchRunColumns+` FROM match_runs WHERE request_id = $1
		ORDER BY created_at DESC, id DESC`, requestID)
	if err != nil {
		return nil, mapError(err)
	}
	for i := range runs {
		if runs[i].Params, err = matching.CanonicalJSON(runs[i].Params); err != nil {
			return nil, fmt.Errorf("store: match run %d: params: %w", runs[i].ID, err)
		}
	}
	return runs, nil
}

// LatestMatchRun returns the newest match run of a request with its results.
func (s *DB) LatestMatchRun(ctx context.Context, requestID int64) (matching.MatchRun, error) {
	var run matching.MatchRun
	err := s.db.GetContext(ctx, &run, `SELECT `+matchRunColumns+` FROM match_runs WHERE request_id = $1
		ORDER BY created_at DESC, id DESC LIMIT 1`, requestID)
	if errors.Is(err, sql.ErrNoRows) {
		return run, matching.Errorf(matching.ENOTFOUND, "request %d has no match run", requestID)
	}
	if err != nil {
		return run, mapError(err)
	}
	return run, s.loadMatchResults(ctx, &run)
}

// loadMatchResults reads a run's results, and puts its parameters in
// answer form. An explanation stored as text is the answer's already; one
// stored as jsonb, before migration 9, is compacted.
func (s *DB) loadMatchResults(ctx context.Context, run *matching.MatchRun) error {
	var err error
	if run.Params, err = matching.CanonicalJSON(run.Params); err != nil {
		return fmt.Errorf("store: match run %d: params: %w", run.ID, err)
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT position, candidate_id, score, near_miss, explanation_text IS NULL, COALESCE(explanation_text, explanation::text)
		FROM match_results WHERE run_id = $1 ORDER BY position`, run.ID)
	if err != nil {
		return mapError(err)
	}
	defer rows.Close()
	run.Results = []matching.MatchResult{}
	for rows.Next() {
		var r matching.MatchResult
		var jsonb bool
		var explanation []byte
		if err := rows.Scan(&r.Position, &r.CandidateID, &r.Score, &r.NearMiss, &jsonb, &explanation); err != nil {
			return mapError(err)
		}
		r.Explanation = explanation
		if jsonb {
			if r.Explanation, err = matching.CanonicalJSON(r.Explanation); err != nil {
				return fmt.Errorf("store: match run %d: result %d: %w", run.ID, r.Position, err)
			}
		}
		run.Results = append(run.Results, r)
	}
	return mapError(rows.Err())
}

// dbTime returns t as PostgreSQL stores it: UTC, to the microsecond.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
