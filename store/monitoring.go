package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"incontro/matching"
)

// The monitoring report: this file gathers the facts of a period, and
// matching.Monitor computes the figures from them (their definitions are
// in the doc comment of matching.MonitoringReport). The queries select
// every row a figure may count; what counts is decided there.

// monitoredRequests are the requests of the scope ($1, 0 for all) that any
// figure of the period [$2, $3) may count: those open at some moment of
// the period (which covers those opened, closed or first presented in it),
// those open now (overdue feedback), and those with an entry created, a
// contact or a rejection in the period.
const monitoredRequests = `
	SELECT r.id, r.provider_id, r.employer_id, r.vacancy_id, r.operator_id, r.status, r.outcome, r.close_reason,
		r.with_4d, r.opened_at, r.closed_at, r.created_by, r.updated_at,
		p.name AS provider_name, COALESCE(u.name, '') AS operator_name,
		sl.first_presented_at, sl.last_presented_at,
		(SELECT max(f.at) FROM feedback f JOIN pipeline_entries e ON e.id = f.entry_id
			WHERE e.request_id = r.id) AS last_feedback_at,
		(SELECT count(*) FROM contacts c JOIN pipeline_entries e ON e.id = c.entry_id
			WHERE e.request_id = r.id AND c.at >= $2 AND c.at < $3) AS contacts,
		COALESCE(t.minutes_4c, 0) AS minutes_4c, COALESCE(t.minutes_4d_verification, 0) AS minutes_4d_verification,
		COALESCE(t.minutes_4d_selection, 0) AS minutes_4d_selection
	FROM requests r
	JOIN providers p ON p.id = r.provider_id
	LEFT JOIN users u ON u.id = r.operator_id
	LEFT JOIN LATERAL (SELECT min(presented_at) AS first_presented_at, max(presented_at) AS last_presented_at
		FROM shortlists WHERE request_id = r.id AND presented_at IS NOT NULL) sl ON true
	LEFT JOIN LATERAL (SELECT sum(minutes) FILTER (WHERE phase = '4C') AS minutes_4c,
			sum(minutes) FILTER (WHERE phase = '4D_verification') AS minutes_4d_verification,
			sum(minutes) FILTER (WHERE phase = '4D_selection') AS minutes_4d_selection
		FROM time_entries WHERE request_id = r.id) t ON true
	WHERE ($1::bigint = 0 OR r.provider_id = $1) AND (
		(r.opened_at < $3 AND (r.closed_at IS NULL OR r.closed_at >= $2))
		OR r.status <> 'closed'
		OR EXISTS (SELECT 1 FROM pipeline_entries e WHERE e.request_id = r.id AND e.created_at >= $2 AND e.created_at < $3)
		OR EXISTS (SELECT 1 FROM contacts c JOIN pipeline_entries e ON e.id = c.entry_id
			WHERE e.request_id = r.id AND c.at >= $2 AND c.at < $3)
		OR EXISTS (SELECT 1 FROM pipeline_stage_history h JOIN pipeline_entries e ON e.id = h.entry_id
			WHERE e.request_id = r.id AND h.to_stage = 'rejected' AND h.at >= $2 AND h.at < $3)
		OR EXISTS (SELECT 1 FROM feedback f JOIN pipeline_entries e ON e.id = f.entry_id
			WHERE e.request_id = r.id AND f.decision = 'not_selected' AND f.at >= $2 AND f.at < $3))
	ORDER BY r.id`

// monitoredEntries are the pipeline entries of the requests of the scope
// opened in the period (the funnel's cohort) and those created in the
// period, with every stage each has been in.
const monitoredEntries = `
	SELECT e.id, e.request_id, e.source, e.created_at,
		ARRAY(SELECT DISTINCT h.to_stage FROM pipeline_stage_history h WHERE h.entry_id = e.id) || e.stage AS stages
	FROM pipeline_entries e JOIN requests r ON r.id = e.request_id
	WHERE ($1::bigint = 0 OR r.provider_id = $1)
		AND ((r.opened_at >= $2 AND r.opened_at < $3) OR (e.created_at >= $2 AND e.created_at < $3))
	ORDER BY e.id`

// monitoredRejections are the events of the period that rejected an entry
// of the scope: a change of stage to rejected, or the employer's
// not_selected feedback.
const monitoredRejections = `
	SELECT h.entry_id, e.request_id, COALESCE(h.reason, '') AS reason, false AS by_employer, h.at
	FROM pipeline_stage_history h JOIN pipeline_entries e ON e.id = h.entry_id JOIN requests r ON r.id = e.request_id
	WHERE ($1::bigint = 0 OR r.provider_id = $1) AND h.to_stage = 'rejected' AND h.at >= $2 AND h.at < $3
	UNION ALL
	SELECT f.entry_id, e.request_id, COALESCE(f.reason, '') AS reason, true AS by_employer, f.at
	FROM feedback f JOIN pipeline_entries e ON e.id = f.entry_id JOIN requests r ON r.id = e.request_id
	WHERE ($1::bigint = 0 OR r.provider_id = $1) AND f.decision = 'not_selected' AND f.at >= $2 AND f.at < $3
	ORDER BY 5, 1`

// MonitoringReport computes the monitoring report of a period, at the
// store's clock, for one provider or, with providerID 0, for every one. An
// unknown provider is ENOTFOUND. The facts are read in one read-only
// snapshot, so that the figures agree with each other.
func (s *DB) MonitoringReport(ctx context.Context, p matching.Period, providerID int64) (matching.MonitoringReport, error) {
	at := s.now()
	var rep matching.MonitoringReport
	err := s.inSnapshot(ctx, func(tx *sqlx.Tx) error {
		facts, scope, err := monitoringFacts(ctx, tx, p, providerID)
		if err != nil {
			return err
		}
		rep = matching.Monitor(p, at, s.Workflow, scope, facts)
		return nil
	})
	return rep, mapError(err)
}

// MonitoringMonths computes the monitoring report of each calendar month
// the period touches, each month cut to the period (the first and the last
// may be partial), in order, from one snapshot of the database: the trends
// of the monitoring pages. Each is the report MonitoringReport computes for
// that month.
func (s *DB) MonitoringMonths(ctx context.Context, p matching.Period, providerID int64) ([]matching.MonitoringReport, error) {
	at := s.now()
	months, err := monthsOf(p, at)
	if err != nil {
		return nil, err
	}
	out := make([]matching.MonitoringReport, 0, len(months))
	err = s.inSnapshot(ctx, func(tx *sqlx.Tx) error {
		for _, m := range months {
			facts, scope, err := monitoringFacts(ctx, tx, m, providerID)
			if err != nil {
				return err
			}
			out = append(out, matching.Monitor(m, at, s.Workflow, scope, facts))
		}
		return nil
	})
	return out, mapError(err)
}

// monthsOf splits a period into the calendar months it touches, in the
// period's time zone, the first and the last cut to the period.
func monthsOf(p matching.Period, now time.Time) ([]matching.Period, error) {
	loc := p.Start.Location()
	last := p.End.AddDate(0, 0, -1)
	var out []matching.Period
	for first := p.Start; !first.After(last); {
		y, m, _ := first.Date()
		end := time.Date(y, m+1, 1, 0, 0, 0, 0, loc).AddDate(0, 0, -1)
		if end.After(last) {
			end = last
		}
		month, err := matching.ParsePeriod(first.Format(time.DateOnly), end.Format(time.DateOnly), now, loc)
		if err != nil {
			return nil, err
		}
		out = append(out, month)
		first = time.Date(y, m+1, 1, 0, 0, 0, 0, loc)
	}
	return out, nil
}

// RequestHours is a request that the hours figures of a monitoring report
// count, with the operator time recorded on it: the values behind the
// report's medians and shares, for a histogram.
type RequestHours struct {
	RequestID    int64  `json:"request_id"`
	ProviderID   int64  `json:"provider_id"`
	ProviderName string `json:"provider_name"`
	// OperatorID is 0 and OperatorName "unassigned" for a request with no
	// operator, as in the report's groups.
	OperatorID   int64  `json:"operator_id,omitempty"`
	OperatorName string `json:"operator_name"`
	// TotalHours is the time in all phases, in hours rounded to 2 decimals.
	TotalHours float64 `json:"total_hours"`
	// Phases are the phases of the standard the request has (4C, and the
	// two 4D phases for a request with 4D).
	Phases []RequestPhaseHours `json:"phases"`
}

// RequestPhaseHours is a request's time in one phase against its band.
type RequestPhaseHours struct {
	Phase matching.Phase `json:"phase"`
	Hours float64        `json:"hours"`
	// State is under, within or over the phase's band.
	State string `json:"state"`
}

// MonitoringRequestHours returns the requests whose hours the report of the
// period counts (the "hours" section: closed in the period, not cancelled),
// by id, each with its hours per phase. Each is worked out by the report's
// own rules (matching.Monitor over that request alone), so that the values
// are exactly those behind the report's figures: as many requests as
// hours.requests, as many within a phase's band as its within.
func (s *DB) MonitoringRequestHours(ctx context.Context, p matching.Period, providerID int64) ([]RequestHours, error) {
	at := s.now()
	var facts matching.MonitoringFacts
	var scope matching.MonitoringScope
	err := s.inSnapshot(ctx, func(tx *sqlx.Tx) error {
		var err error
		facts, scope, err = monitoringFacts(ctx, tx, p, providerID)
		return err
	})
	if err != nil {
		return nil, mapError(err)
	}
	out := []RequestHours{}
	for _, r := range facts.Requests {
		one := matching.Monitor(p, at, s.Workflow, scope, matching.MonitoringFacts{Requests: []matching.MonitoredRequest{r}})
		h := one.Total.Figures.Hours
		if h.Requests != 1 || h.MedianTotalHours == nil || len(one.Operators) != 1 {
			continue
		}
		g := one.Operators[0]
		rh := RequestHours{RequestID: r.ID, ProviderID: r.ProviderID, ProviderName: r.ProviderName, OperatorID: g.OperatorID,
			OperatorName: g.OperatorName, TotalHours: *h.MedianTotalHours, Phases: []RequestPhaseHours{}}
		for _, ph := range h.Phases {
			if ph.Requests != 1 || ph.MedianHours == nil {
				continue
			}
			state := "within"
			switch {
			case ph.Under == 1:
				state = "under"
			case ph.Over == 1:
				state = "over"
			}
			rh.Phases = append(rh.Phases, RequestPhaseHours{Phase: ph.Phase, Hours: *ph.MedianHours, State: state})
		}
		out = append(out, rh)
	}
	return out, nil
}

// inSnapshot runs fn in a read-only transaction that sees one snapshot of
// the database.
func (s *DB) inSnapshot(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	return fn(tx)
}

func monitoringFacts(ctx context.Context, tx *sqlx.Tx, p matching.Period, providerID int64) (matching.MonitoringFacts, matching.MonitoringScope, error) {
	var f matching.MonitoringFacts
	var scope matching.MonitoringScope
	var providers []struct {
		ID   int64  `db:"id"`
		Name string `db:"name"`
	}
	if err := tx.SelectContext(ctx, &providers, `SELECT id, name FROM providers WHERE ($1::bigint = 0 OR id = $1)
		ORDER BY name, id`, providerID); err != nil {
		return f, scope, err
	}
	if providerID != 0 {
		if len(providers) == 0 {
			return f, scope, notFound("provider", providerID)
		}
		scope = matching.MonitoringScope{ProviderID: &providerID, ProviderName: providers[0].Name}
	}
	for _, pr := range providers {
		f.Providers = append(f.Providers, matching.ProviderName{ID: pr.ID, Name: pr.Name})
	}

	args := []any{providerID, p.Start, p.End}
	var requests []struct {
		matching.Request
		ProviderName          string     `db:"provider_name"`
		OperatorName          string     `db:"operator_name"`
		FirstPresentedAt      *time.Time `db:"first_presented_at"`
		LastPresentedAt       *time.Time `db:"last_presented_at"`
		LastFeedbackAt        *time.Time `db:"last_feedback_at"`
		Contacts              int        `db:"contacts"`
		Minutes4C             int        `db:"minutes_4c"`
		Minutes4DVerification int        `db:"minutes_4d_verification"`
		Minutes4DSelection    int        `db:"minutes_4d_selection"`
	}
	if err := tx.SelectContext(ctx, &requests, monitoredRequests, args...); err != nil {
		return f, scope, err
	}
	for _, r := range requests {
		minutes := map[matching.Phase]int{}
		for ph, m := range map[matching.Phase]int{matching.Phase4C: r.Minutes4C,
			matching.Phase4DVerification: r.Minutes4DVerification, matching.Phase4DSelection: r.Minutes4DSelection} {
			if m > 0 {
				minutes[ph] = m
			}
		}
		f.Requests = append(f.Requests, matching.MonitoredRequest{Request: r.Request, ProviderName: r.ProviderName,
			OperatorName: r.OperatorName, FirstPresentedAt: r.FirstPresentedAt, LastPresentedAt: r.LastPresentedAt,
			LastFeedbackAt: r.LastFeedbackAt, Minutes: minutes, Contacts: r.Contacts})
	}

	var entries []struct {
		ID        int64           `db:"id"`
		RequestID int64           `db:"request_id"`
		Source    matching.Source `db:"source"`
		CreatedAt time.Time       `db:"created_at"`
		Stages    pq.StringArray  `db:"stages"`
	}
	if err := tx.SelectContext(ctx, &entries, monitoredEntries, args...); err != nil {
		return f, scope, err
	}
	for _, e := range entries {
		stages := make([]matching.Stage, len(e.Stages))
		for i, st := range e.Stages {
			stages[i] = matching.Stage(st)
		}
		f.Entries = append(f.Entries, matching.MonitoredEntry{ID: e.ID, RequestID: e.RequestID, Source: e.Source,
			CreatedAt: e.CreatedAt, Stages: stages})
	}

	var rejections []struct {
		EntryID    int64     `db:"entry_id"`
		RequestID  int64     `db:"request_id"`
		Reason     string    `db:"reason"`
		ByEmployer bool      `db:"by_employer"`
		At         time.Time `db:"at"`
	}
	if err := tx.SelectContext(ctx, &rejections, monitoredRejections, args...); err != nil {
		return f, scope, err
	}
	for _, r := range rejections {
		f.Rejections = append(f.Rejections, matching.MonitoredRejection{EntryID: r.EntryID, RequestID: r.RequestID,
			Reason: r.Reason, ByEmployer: r.ByEmployer, At: r.At})
	}
	return f, scope, nil
}
