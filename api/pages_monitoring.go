package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"incontro/matching"
	"incontro/ui"
)

// The monitoring page, GET /monitoraggio: the report of the JSON route
// GET /api/v1/reports/monitoring for the filter's period and provider (the
// same matching.ParsePeriod and store.MonitoringReport), drawn beside the
// series of GET /api/v1/reports/monitoring/series (monitoringSeries), with
// that route's own CSV and XLSX as downloads. The monitor reads every
// provider or one; an operator reads its own provider only, whatever the
// address asks, and has no provider filter.

// monitoringLabels are the catalogue keys of the filter's fields.
var monitoringLabels = map[string]string{"from": "mon.from", "to": "mon.to", "provider_id": "mon.provider", "group": "mon.group"}

// monitoringPage serves GET /monitoraggio.
func (s *Server) monitoringPage(c echo.Context) error {
	ctx := c.Request().Context()
	pr := PrincipalFrom(ctx)
	data := ui.MonitoringData{Page: s.Page(c, "mon.title")}
	loc := data.Locale
	q := c.QueryParams()
	f := ui.MonitoringFilter{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
		ProviderID: strings.TrimSpace(q.Get("provider_id")), Group: strings.TrimSpace(q.Get("group"))}
	errs := ui.FieldErrors{}
	fieldError := func(field, text string) { errs[field] = loc.T(monitoringLabels[field]) + ": " + text }

	var providerID int64
	if pr.Role == matching.RoleOperator {
		providerID, f.ProviderID = pr.ProviderID, ""
	} else {
		providers, err := s.store.Providers(ctx)
		if err != nil {
			return err
		}
		for _, p := range providers {
			data.Providers = append(data.Providers, ui.ProviderOption{ID: p.ID, Name: p.Name})
		}
		if f.ProviderID != "" {
			id, err := strconv.ParseInt(f.ProviderID, 10, 64)
			known := false
			for _, p := range providers {
				known = known || (err == nil && p.ID == id)
			}
			if !known {
				fieldError("provider_id", loc.T("mon.err.provider"))
			} else {
				providerID = id
			}
		}
	}
	switch f.Group {
	case ui.GroupByProvider, ui.GroupByOperator:
	case "":
		f.Group = ui.GroupByOperator
		if pr.Role == matching.RoleMonitor && providerID == 0 {
			f.Group = ui.GroupByProvider
		}
	default:
		fieldError("group", loc.T("mon.err.group"))
	}
	period, err := matching.ParsePeriod(f.From, f.To, s.now(), serviceZone)
	if err != nil {
		if !formError(err) {
			return err
		}
		field := matching.ErrorField(err)
		if _, ok := monitoringLabels[field]; !ok {
			field = "to"
		}
		fieldError(field, periodErrorText(loc, err, f))
	}
	kept := f // the presets keep the provider and grouping, if valid
	if errs.Invalid("provider_id") {
		kept.ProviderID = ""
	}
	if errs.Invalid("group") {
		kept.Group = ""
	}
	data.Presets = monitoringPresets(s.now(), kept, period, err == nil)
	if len(errs) > 0 {
		data.Filter, data.Errors = f, errs
		return s.render(c, http.StatusUnprocessableEntity, "mon_reports", data)
	}
	f.From, f.To = period.From, period.To
	data.Filter = f

	rep, err := s.store.MonitoringReport(ctx, period, providerID)
	if err != nil {
		return err
	}
	series, err := s.monitoringSeries(ctx, period, providerID)
	if err != nil {
		return err
	}
	data.Report = &rep
	for _, m := range series.Months {
		data.Months = append(data.Months, ui.MonthRow{From: m.From, To: m.To, Opened: m.Opened, Closed: m.Closed,
			MedianHours4C: m.MedianHours4C, WithinShare4C: m.WithinShare4C, MedianTotalHours: m.MedianTotalHours, HoursRequests: m.HoursRequests})
	}
	for _, r := range series.Requests {
		for _, ph := range r.Phases {
			if ph.Phase == matching.Phase4C {
				data.Hours4C = append(data.Hours4C, ui.RequestHours{Hours: ph.Hours, State: ph.State})
			}
		}
	}
	download := url.Values{"from": {period.From}, "to": {period.To}}
	if pr.Role != matching.RoleOperator && providerID != 0 {
		download.Set("provider_id", strconv.FormatInt(providerID, 10))
	}
	download.Set("format", "csv")
	data.CSVHref = "/api/v1/reports/monitoring?" + download.Encode()
	download.Set("format", "xlsx")
	data.XLSXHref = "/api/v1/reports/monitoring?" + download.Encode()
	data.RequestLinks = pr.Role == matching.RoleOperator
	return s.render(c, http.StatusOK, "mon_reports", data)
}

// periodErrorText says in the page's language what matching.ParsePeriod
// refused: a day that is not a date, a last day before the first, or a
// period too long.
func periodErrorText(loc ui.Locale, err error, f ui.MonitoringFilter) string {
	notDate := func(s string) bool {
		_, perr := time.Parse(time.DateOnly, s)
		return s != "" && perr != nil
	}
	switch {
	case matching.ErrorField(err) == "from" || notDate(f.To):
		return loc.T("mon.err.not_date")
	case f.From != "" && f.To < f.From:
		return loc.T("mon.err.before")
	}
	return loc.T("mon.err.too_long", matching.MaxReportYears)
}

// monitoringPresets are the ready-made periods, in the service's time zone
// at now, each a link to the page with the filter's provider and grouping;
// the one equal to the period shown (when valid) is current.
func monitoringPresets(now time.Time, f ui.MonitoringFilter, shown matching.Period, valid bool) []ui.PresetLink {
	y, m, d := now.In(serviceZone).Date()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, serviceZone) }
	today := day(y, m, d)
	quarter := time.Month((int(m)-1)/3*3 + 1)
	presets := []struct {
		key      string
		from, to time.Time
	}{
		{"mon.preset.this_month", day(y, m, 1), today},
		{"mon.preset.last_month", day(y, m-1, 1), day(y, m, 1).AddDate(0, 0, -1)},
		{"mon.preset.this_quarter", day(y, quarter, 1), today},
		{"mon.preset.this_year", day(y, 1, 1), today},
		{"mon.preset.last_12_months", day(y, m-11, 1), today},
	}
	out := make([]ui.PresetLink, 0, len(presets))
	for _, p := range presets {
		v := url.Values{"from": {p.from.Format(time.DateOnly)}, "to": {p.to.Format(time.DateOnly)}}
		if f.ProviderID != "" {
			v.Set("provider_id", f.ProviderID)
		}
		if f.Group != "" {
			v.Set("group", f.Group)
		}
		out = append(out, ui.PresetLink{Key: p.key, Href: pathReports + "?" + v.Encode(),
			Current: valid && shown.From == v.Get("from") && shown.To == v.Get("to")})
	}
	return out
}
