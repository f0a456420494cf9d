package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"incontro/api"
	"incontro/matching"
	"incontro/store"
)

// series asks for the monitoring series and decodes the answer.
func (w *monitoringWorld) series(t *testing.T, c *client, query string) api.MonitoringSeries {
	t.Helper()
	status, body := c.do(http.MethodGet, "/api/v1/reports/monitoring/series?"+query, nil)
	wantStatus(t, status, body, http.StatusOK, "")
	var s api.MonitoringSeries
	decode(t, body, &s)
	return s
}

func TestTheMonitoringSeriesAreTheReportMonthByMonthAndRequestByRequest(t *testing.T) {
	w := newMonitoringWorld(t)
	period := "from=" + w.from + "&to=" + w.to
	mon := w.signIn(monitor)

	t.Run("the months add up to the period's report", func(t *testing.T) {
		s := w.series(t, mon, period)
		if s.Period.From != w.from || s.Period.To != w.to || s.Scope.ProviderID != nil || len(s.Months) < 1 || len(s.Months) > 2 {
			t.Fatalf("period %+v, scope %+v, %d months", s.Period, s.Scope, len(s.Months))
		}
		if s.Months[0].From != w.from || s.Months[len(s.Months)-1].To != w.to {
			t.Errorf("months from %s to %s", s.Months[0].From, s.Months[len(s.Months)-1].To)
		}
		opened, closed, hours := 0, 0, 0
		for _, m := range s.Months {
			opened, closed, hours = opened+m.Opened, closed+m.Closed, hours+m.HoursRequests
			// Each month is the report of that month.
			rep := w.report(t, mon, "from="+m.From+"&to="+m.To)
			if m.Opened != rep.Total.Figures.Requests.Opened || m.Closed != rep.Total.Figures.Requests.Closed ||
				!sameFigure(m.MedianTotalHours, rep.Total.Figures.Hours.MedianTotalHours) ||
				!sameFigure(m.FirstShortlistMedianDays, rep.Total.Figures.FirstShortlist.MedianDays) {
				t.Errorf("month %s–%s: %+v, its report %+v", m.From, m.To, m, rep.Total.Figures)
			}
		}
		if opened != wantTotal["requests.opened"] || closed != wantTotal["requests.closed"] || hours != wantTotal["hours.requests"] {
			t.Errorf("the months opened %d, closed %d, counted the hours of %d", opened, closed, hours)
		}
	})

	t.Run("the requests are those behind the hours figures", func(t *testing.T) {
		s := w.series(t, mon, period)
		type hours struct {
			total float64
			c4    float64
			state string
		}
		got := map[int64]hours{}
		for _, r := range s.Requests {
			h := hours{total: r.TotalHours}
			for _, ph := range r.Phases {
				if ph.Phase == matching.Phase4C {
					h.c4, h.state = ph.Hours, ph.State
				}
			}
			got[r.RequestID] = h
		}
		// R1 5 h within; R2 3.33 h of 4C under, 12.5 h in all; R7 9 h over;
		// R5 is cancelled and has no hours.
		want := map[int64]hours{w.req["R1"].ID: {5, 5, "within"}, w.req["R2"].ID: {12.5, 3.33, "under"}, w.req["R7"].ID: {9, 9, "over"}}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("request hours %v, want %v", got, want)
		}
		var r2 store.RequestHours
		for _, r := range s.Requests {
			if r.RequestID == w.req["R2"].ID {
				r2 = r
			}
		}
		if len(r2.Phases) != 3 || r2.Phases[2].Phase != matching.Phase4DSelection || r2.Phases[2].State != "over" ||
			r2.OperatorID != w.users[operatorA].ID || r2.ProviderName != w.providerA.Name {
			t.Errorf("R2 %+v", r2)
		}
	})

	t.Run("an operator reads its own provider's series and not another's", func(t *testing.T) {
		b := w.signIn(operatorB)
		s := w.series(t, b, period)
		if s.Scope.ProviderID == nil || *s.Scope.ProviderID != w.providerB.ID || len(s.Requests) != 1 || s.Requests[0].RequestID != w.req["R7"].ID {
			t.Errorf("operator B's series: scope %+v, requests %+v", s.Scope, s.Requests)
		}
		status, body := b.do(http.MethodGet, fmt.Sprintf("/api/v1/reports/monitoring/series?%s&provider_id=%d", period, w.providerA.ID), nil)
		wantStatus(t, status, body, http.StatusForbidden, "")
	})

	t.Run("bad questions are refused naming the parameter", func(t *testing.T) {
		for query, field := range map[string]string{"from=2026-13-01": "from", "from=2026-02-01&to=2026-01-31": "to",
			"provider_id=A": "provider_id", "format=csv": "format"} {
			status, body := mon.do(http.MethodGet, "/api/v1/reports/monitoring/series?"+query, nil)
			wantStatus(t, status, body, http.StatusUnprocessableEntity, field)
		}
		status, body := mon.do(http.MethodGet, "/api/v1/reports/monitoring/series?provider_id=999999", nil)
		wantStatus(t, status, body, http.StatusNotFound, "")
		for actor, want := range map[string]int{anonymous: http.StatusUnauthorized, admin: http.StatusForbidden,
			employer1: http.StatusForbidden, jobseeker1: http.StatusForbidden} {
			status, body := w.signIn(actor).do(http.MethodGet, "/api/v1/reports/monitoring/series", nil)
			wantStatus(t, status, body, want, "")
		}
	})
}

// sameFigure compares two optional figures.
func sameFigure(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
