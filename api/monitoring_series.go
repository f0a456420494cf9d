package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/store"
)

// The monitoring report's series: GET /api/v1/reports/monitoring/series
// ?from=YYYY-MM-DD&to=YYYY-MM-DD[&provider_id=N], with the period, the
// scope and the access of GET /api/v1/reports/monitoring. It answers what
// the monitoring pages draw beside the report: the main figures month by
// month (each month's own report, the first and the last month cut to the
// period) and the hours of each request the report's hours figures count.

// MonitoringSeries is the answer of the series route.
type MonitoringSeries struct {
	Period matching.Period          `json:"period"`
	Scope  matching.MonitoringScope `json:"scope"`
	// Months are the calendar months of the period, in order.
	Months []MonthFigures `json:"months"`
	// Requests are the requests of the report's "hours" section, by id.
	Requests []store.RequestHours `json:"requests"`
}

// MonthFigures are figures of the report of one month, as the report of
// that month (from, to) defines them.
type MonthFigures struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Opened and Closed are requests.opened and requests.closed.
	Opened int `json:"opened"`
	Closed int `json:"closed"`
	// FirstShortlistMedianDays is first_shortlist.median_days.
	FirstShortlistMedianDays *float64 `json:"first_shortlist_median_days"`
	// HoursRequests, MedianTotalHours are hours.requests and
	// hours.median_total_hours; MedianHours4C and WithinShare4C are
	// hours_4C.median_hours and hours_4C.within_share.
	HoursRequests    int      `json:"hours_requests"`
	MedianTotalHours *float64 `json:"median_total_hours"`
	MedianHours4C    *float64 `json:"median_hours_4C"`
	WithinShare4C    *float64 `json:"within_share_4C"`
}

// monthFiguresOf takes a month's figures from its report.
func monthFiguresOf(rep matching.MonitoringReport) MonthFigures {
	f := rep.Total.Figures
	m := MonthFigures{From: rep.Period.From, To: rep.Period.To, Opened: f.Requests.Opened, Closed: f.Requests.Closed,
		FirstShortlistMedianDays: f.FirstShortlist.MedianDays, HoursRequests: f.Hours.Requests, MedianTotalHours: f.Hours.MedianTotalHours}
	for _, ph := range f.Hours.Phases {
		if ph.Phase == matching.Phase4C {
			m.MedianHours4C, m.WithinShare4C = ph.MedianHours, ph.WithinShare
		}
	}
	return m
}

// monitoringSeries is the core of the series route and of the monitoring
// page's trends and histogram: the store's months and request hours of the
// period for a provider (0: every one).
func (s *Server) monitoringSeries(ctx context.Context, p matching.Period, providerID int64) (MonitoringSeries, error) {
	months, err := s.store.MonitoringMonths(ctx, p, providerID)
	if err != nil {
		return MonitoringSeries{}, err
	}
	hours, err := s.store.MonitoringRequestHours(ctx, p, providerID)
	if err != nil {
		return MonitoringSeries{}, err
	}
	out := MonitoringSeries{Period: p, Months: make([]MonthFigures, 0, len(months)), Requests: hours}
	for _, m := range months {
		out.Months = append(out.Months, monthFiguresOf(m))
		out.Scope = m.Scope
	}
	return out, nil
}

// monitoringSeriesRoute answers GET /api/v1/reports/monitoring/series.
func (s *Server) monitoringSeriesRoute(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	for name := range q {
		switch name {
		case "from", "to", "provider_id":
		default:
			return matching.FieldErrorf(name, "is not a parameter of this report (from, to, provider_id)")
		}
	}
	period, err := matching.ParsePeriod(q.Get("from"), q.Get("to"), s.now(), serviceZone)
	if err != nil {
		return err
	}
	providerID, err := queryInt(c, "provider_id", 1, 0)
	if err != nil {
		return err
	}
	if p := PrincipalFrom(ctx); p.Role == matching.RoleOperator {
		if providerID != 0 && providerID != p.ProviderID {
			return matching.Errorf(matching.EFORBIDDEN, "an operator reads the figures of its own provider only")
		}
		providerID = p.ProviderID
	}
	series, err := s.monitoringSeries(ctx, period, providerID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, series)
}
