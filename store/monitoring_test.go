package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"incontro/matching"
	"incontro/store"
)

// monitoredProvider is a provider with four requests of known history,
// written straight into the tables, around a period from 15 January to 10
// March 2026 in Trento:
//
//	R1 opened 10 Jan (before the period), closed filled 20 Jan, 4C 300 min (within)
//	R2 opened 3 Feb, with 4D, closed not filled 25 Feb, 4C 200 (under), 4D verification 150 (within), 4D selection 400 (over)
//	R3 opened 10 Feb, closed cancelled 1 Mar, 4C 30 (cancelled: no hours)
//	R4 opened 5 Mar, open, 4C 60
type monitoredProvider struct {
	s              *store.DB
	provider       matching.Provider
	operator       matching.User
	r1, r2, r3, r4 matching.Request
	period         matching.Period
}

var rome = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic(err)
	}
	return loc
}()

func newMonitoredProvider(t *testing.T) monitoredProvider {
	t.Helper()
	s := MustStore(t)
	var m monitoredProvider
	m.s = s
	m.provider = MustProvider(t, s)
	m.operator = MustOperator(t, s, m.provider.ID)
	emp := MustEmployer(t, s, m.provider.ID)
	day := func(month time.Month, d int) time.Time { return time.Date(2026, month, d, 10, 0, 0, 0, rome) }
	request := func(opened time.Time, with4D bool) matching.Request {
		v := MustVacancy(t, s, emp.ID)
		r := MustRequestFor(t, s, m.provider.ID, emp.ID, v.ID, &m.operator.ID)
		mustExec(t, s, `UPDATE requests SET opened_at = $2, with_4d = $3 WHERE id = $1`, r.ID, opened, with4D)
		return r
	}
	closeAs := func(r matching.Request, at time.Time, outcome, reason string) {
		mustExec(t, s, `UPDATE requests SET status = 'closed', outcome = $2, close_reason = $3, closed_at = $4 WHERE id = $1`,
			r.ID, outcome, reason, at)
	}
	spend := func(r matching.Request, phase string, minutes int, at time.Time) {
		mustExec(t, s, `INSERT INTO time_entries (request_id, user_id, phase, activity, started_at, minutes, created_at)
			VALUES ($1, $2, $3, 'database_search', $4, $5, $4)`, r.ID, m.operator.ID, phase, at, minutes)
	}
	m.r1 = request(day(1, 10), false)
	spend(m.r1, "4C", 300, day(1, 12))
	closeAs(m.r1, day(1, 20), "filled", "hired")
	m.r2 = request(day(2, 3), true)
	spend(m.r2, "4C", 200, day(2, 4))
	spend(m.r2, "4D_verification", 150, day(2, 10))
	spend(m.r2, "4D_selection", 400, day(2, 20))
	closeAs(m.r2, day(2, 25), "not_filled", "candidates_rejected")
	m.r3 = request(day(2, 10), false)
	spend(m.r3, "4C", 30, day(2, 11))
	closeAs(m.r3, day(3, 1), "cancelled", "entered_in_error")
	m.r4 = request(day(3, 5), false)
	spend(m.r4, "4C", 60, day(3, 5))
	stillClock(s, day(3, 10).Add(6*time.Hour))
	p, err := matching.ParsePeriod("2026-01-15", "2026-03-10", s.Now(), rome)
	mustNoError(t, err, "period")
	m.period = p
	return m
}

// sameReport compares two reports but for the time each was made.
var sameReport = cmpopts.IgnoreFields(matching.MonitoringReport{}, "GeneratedAt")

func TestMonitoringMonthsAreTheReportsOfEachMonth(t *testing.T) {
	m := newMonitoredProvider(t)
	ctx := context.Background()
	months, err := m.s.MonitoringMonths(ctx, m.period, m.provider.ID)
	mustNoError(t, err, "months")

	t.Run("the period is cut into its calendar months, the first and the last partial", func(t *testing.T) {
		var got [][2]string
		for _, rep := range months {
			got = append(got, [2]string{rep.Period.From, rep.Period.To})
		}
		want := [][2]string{{"2026-01-15", "2026-01-31"}, {"2026-02-01", "2026-02-28"}, {"2026-03-01", "2026-03-10"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("months (-want +got):\n%s", diff)
		}
	})

	t.Run("each month is the report of that month", func(t *testing.T) {
		for _, rep := range months {
			alone, err := m.s.MonitoringReport(ctx, rep.Period, m.provider.ID)
			mustNoError(t, err, "report of "+rep.Period.From)
			if diff := cmp.Diff(alone, rep, sameReport); diff != "" {
				t.Errorf("month %s differs from its report (-report +month):\n%s", rep.Period.From, diff)
			}
		}
	})

	t.Run("the months add up to the period", func(t *testing.T) {
		var opened, closed []int
		for _, rep := range months {
			opened = append(opened, rep.Total.Figures.Requests.Opened)
			closed = append(closed, rep.Total.Figures.Requests.Closed)
		}
		if !cmp.Equal(opened, []int{0, 2, 1}) || !cmp.Equal(closed, []int{1, 1, 1}) {
			t.Errorf("opened %v, closed %v per month", opened, closed)
		}
		whole, err := m.s.MonitoringReport(ctx, m.period, m.provider.ID)
		mustNoError(t, err, "report")
		if whole.Total.Figures.Requests.Opened != 3 || whole.Total.Figures.Requests.Closed != 3 {
			t.Errorf("the period opened %d and closed %d", whole.Total.Figures.Requests.Opened, whole.Total.Figures.Requests.Closed)
		}
	})

	t.Run("a period within one month is one month", func(t *testing.T) {
		p, err := matching.ParsePeriod("2026-02-05", "2026-02-05", m.s.Now(), rome)
		mustNoError(t, err, "period")
		months, err := m.s.MonitoringMonths(ctx, p, m.provider.ID)
		mustNoError(t, err, "months")
		if len(months) != 1 || months[0].Period != p {
			t.Errorf("months of one day: %+v", months)
		}
	})

	t.Run("an unknown provider is not found", func(t *testing.T) {
		_, err := m.s.MonitoringMonths(ctx, m.period, 99_999_999)
		wantError(t, err, matching.ENOTFOUND, "")
	})
}

func TestMonitoringRequestHoursAreTheValuesBehindTheHoursFigures(t *testing.T) {
	m := newMonitoredProvider(t)
	ctx := context.Background()
	got, err := m.s.MonitoringRequestHours(ctx, m.period, m.provider.ID)
	mustNoError(t, err, "request hours")
	name := m.operator.Name
	want := []store.RequestHours{
		{RequestID: m.r1.ID, ProviderID: m.provider.ID, ProviderName: m.provider.Name, OperatorID: m.operator.ID, OperatorName: name,
			TotalHours: 5, Phases: []store.RequestPhaseHours{{Phase: matching.Phase4C, Hours: 5, State: "within"}}},
		{RequestID: m.r2.ID, ProviderID: m.provider.ID, ProviderName: m.provider.Name, OperatorID: m.operator.ID, OperatorName: name,
			TotalHours: 12.5, Phases: []store.RequestPhaseHours{{Phase: matching.Phase4C, Hours: 3.33, State: "under"},
				{Phase: matching.Phase4DVerification, Hours: 2.5, State: "within"}, {Phase: matching.Phase4DSelection, Hours: 6.67, State: "over"}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("request hours (-want +got):\n%s", diff)
	}

	t.Run("they agree with the report's figures", func(t *testing.T) {
		rep, err := m.s.MonitoringReport(ctx, m.period, m.provider.ID)
		mustNoError(t, err, "report")
		h := rep.Total.Figures.Hours
		if h.Requests != len(got) {
			t.Errorf("the report counts %d requests, the hours are of %d", h.Requests, len(got))
		}
		for _, ph := range h.Phases {
			states := map[string]int{}
			for _, r := range got {
				for _, x := range r.Phases {
					if x.Phase == ph.Phase {
						states[x.State]++
					}
				}
			}
			if states["under"] != ph.Under || states["within"] != ph.Within || states["over"] != ph.Over {
				t.Errorf("phase %s: report %d/%d/%d, hours %v", ph.Phase, ph.Under, ph.Within, ph.Over, states)
			}
		}
	})

	t.Run("a period with nothing closed has no hours", func(t *testing.T) {
		p, err := matching.ParsePeriod("2026-03-02", "2026-03-10", m.s.Now(), rome)
		mustNoError(t, err, "period")
		got, err := m.s.MonitoringRequestHours(ctx, p, m.provider.ID)
		mustNoError(t, err, "request hours")
		if got == nil || len(got) != 0 {
			t.Errorf("hours %#v, want an empty list", got)
		}
	})
}
