package ui

import (
	"math"
	"strconv"
	"strings"
	"time"

	"incontro/matching"
)

// The monitoring page: the report of matching.MonitoringReport as tables
// and charts, for the Province (every provider, or one) and for a
// provider's operators (their own). Catalogue keys start with "mon.".

// Groupings of the page's comparison table and per-group chart.
const (
	GroupByProvider = "provider"
	GroupByOperator = "operator"
)

// MonitoringFilter is the page's filter as typed.
type MonitoringFilter struct {
	From, To   string
	ProviderID string
	// Group is GroupByProvider or GroupByOperator.
	Group string
}

// ProviderOption is a choice of the provider filter.
type ProviderOption struct {
	ID   int64
	Name string
}

// Selected reports whether the option is the filter's provider.
func (o ProviderOption) Selected(f MonitoringFilter) bool {
	return f.ProviderID == strconv.FormatInt(o.ID, 10)
}

// PresetLink is a ready-made period: its catalogue key (mon.preset.*),
// the page with that period, and whether it is the period shown.
type PresetLink struct {
	Key     string
	Href    string
	Current bool
}

// MonthRow is a month of the trends (the series route's MonthFigures).
type MonthRow struct {
	From, To         string
	Opened, Closed   int
	MedianHours4C    *float64
	WithinShare4C    *float64
	MedianTotalHours *float64
	HoursRequests    int
}

// RequestHours is a request's 4C time as the hours figures count it: its
// hours and its state against the band (under, within, over).
type RequestHours struct {
	Hours float64
	State string
}

// MonitoringData is the data of the "mon_reports" page.
type MonitoringData struct {
	Page
	wbLabels
	Filter MonitoringFilter
	Errors FieldErrors
	// Providers are the choices of the provider filter, the monitor's
	// alone: an operator reads its own provider only.
	Providers []ProviderOption
	Presets   []PresetLink
	// Report is the report of the filter; nil when the filter is wrong.
	Report *matching.MonitoringReport
	Months []MonthRow
	// Hours4C are the requests of the hours figures with their 4C time.
	Hours4C []RequestHours
	// CSVHref and XLSXHref download the same report.
	CSVHref, XLSXHref string
	// RequestLinks: the overdue requests link to their pages (operators).
	RequestLinks bool
}

// ChoosesProvider reports whether the page offers the provider filter.
func (d MonitoringData) ChoosesProvider() bool { return len(d.Providers) > 0 }

// Scope names whose figures the report holds.
func (d MonitoringData) Scope() string {
	if d.Report == nil || d.Report.Scope.ProviderID == nil {
		return d.T("mon.scope.all")
	}
	return d.Report.Scope.ProviderName
}

// Def is the definition of a section's figures in the page's language.
func (d MonitoringData) Def(section string) string { return d.T("mon.def." + section) }

// PeriodText is the report's period for the page.
func (d MonitoringData) PeriodText() string {
	if d.Report == nil {
		return ""
	}
	return d.T("mon.period_text", d.DayText(d.Report.Period.From), d.DayText(d.Report.Period.To))
}

// DayText writes a day (YYYY-MM-DD) the page's way.
func (d MonitoringData) DayText(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return d.Date(t)
}

// Int writes a count the page's way.
func (d MonitoringData) Int(n int) string { return d.T("number", n) }

// Dec writes a figure with at most two decimals, or "n/a" for an empty
// one (a share or median over nothing).
func (d MonitoringData) Dec(x *float64) string {
	if x == nil {
		return d.T("mon.none")
	}
	return d.decimal(*x)
}

// Pct writes a share as a percentage with at most one decimal, or "n/a".
func (d MonitoringData) Pct(x *float64) string {
	if x == nil {
		return d.T("mon.none")
	}
	return d.percent(*x)
}

func (d MonitoringData) decimal(x float64) string { return decimalText(d.Lang, x, 2) }

func (d MonitoringData) percent(x float64) string { return decimalText(d.Lang, x*100, 1) + "%" }

// decimalText writes x with at most digits decimals, with the language's
// decimal mark.
func decimalText(lang string, x float64, digits int) string {
	p := math.Pow(10, float64(digits))
	s := strconv.FormatFloat(math.Round(x*p)/p, 'f', -1, 64)
	if s == "-0" {
		s = "0"
	}
	if lang != English {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Groups are the rows of the comparison table: the report's providers or
// operators, as the filter groups them.
func (d MonitoringData) Groups() []matching.MonitoringGroup {
	if d.Report == nil {
		return nil
	}
	if d.Filter.Group == GroupByProvider {
		return d.Report.Providers
	}
	return d.Report.Operators
}

// ByOperator reports whether the groups are operators.
func (d MonitoringData) ByOperator() bool { return d.Filter.Group == GroupByOperator }

// GroupName names a group of the report: its provider, or its operator
// ("unassigned" translated for the requests with no operator).
func (d MonitoringData) GroupName(g matching.ReportGroup) string {
	switch g.Kind {
	case matching.GroupProvider:
		return g.ProviderName
	case matching.GroupOperator:
		if g.OperatorID == 0 {
			return d.T("mon.unassigned")
		}
		return g.OperatorName
	}
	return d.T("mon.total")
}

// ShowProviderColumn reports whether the operators' table names each
// operator's provider (the report covers several).
func (d MonitoringData) ShowProviderColumn() bool {
	return d.ByOperator() && d.Report != nil && len(d.Report.Providers) > 1
}

// StageKey is the catalogue key of a stage of the funnel.
func (MonitoringData) StageKey(s matching.Stage) string { return "wb2.stage." + string(s) }

// ReasonLabel names a rejection reason: its label in the catalogue, "no
// reason given" for none, the code itself for one the catalogue lacks.
func (d MonitoringData) ReasonLabel(code string) string {
	switch {
	case code == "":
		return d.T("mon.reason.none")
	case d.Locale.Has("wb2.reason." + code):
		return d.T("wb2.reason." + code)
	}
	return code
}

// Hired is the funnel's last step: the entries hired.
func (d MonitoringData) Hired(f matching.MonitoringFigures) int {
	for _, s := range f.Funnel {
		if s.Stage == matching.StageHired {
			return s.Entries
		}
	}
	return 0
}

// Phase4C is the 4C phase's hours of a group's figures.
func (MonitoringData) Phase4C(f matching.MonitoringFigures) matching.PhaseHours {
	for _, ph := range f.Hours.Phases {
		if ph.Phase == matching.Phase4C {
			return ph
		}
	}
	return matching.PhaseHours{Phase: matching.Phase4C}
}

// ClosedReasons are the closing reasons with at least one request.
func (d MonitoringData) ClosedReasons() []matching.CloseReasonCount {
	if d.Report == nil {
		return nil
	}
	var out []matching.CloseReasonCount
	for _, c := range d.Report.Total.Figures.ClosedByReason {
		if c.Requests > 0 {
			out = append(out, c)
		}
	}
	return out
}

// RejectionReasons are the rejection reasons with at least one entry.
func (d MonitoringData) RejectionReasons() []matching.RejectionReasonCount {
	if d.Report == nil {
		return nil
	}
	var out []matching.RejectionReasonCount
	for _, r := range d.Report.Total.Figures.Rejections.Reasons {
		if r.Entries > 0 {
			out = append(out, r)
		}
	}
	return out
}

// FunnelRow is a step of the funnel with its share of the entries found.
type FunnelRow struct {
	Stage   matching.Stage
	Entries int
	OfFound *float64
}

// FunnelRows are the funnel's steps with their share of the entries found.
func (d MonitoringData) FunnelRows() []FunnelRow {
	if d.Report == nil {
		return nil
	}
	steps := d.Report.Total.Figures.Funnel
	var out []FunnelRow
	for _, s := range steps {
		row := FunnelRow{Stage: s.Stage, Entries: s.Entries}
		if len(steps) > 0 && steps[0].Entries > 0 {
			share := float64(s.Entries) / float64(steps[0].Entries)
			row.OfFound = &share
		}
		out = append(out, row)
	}
	return out
}

// HoursBin is a bin of the hours histogram: its label, the requests in
// it, and whether it lies within the standard's band.
type HoursBin struct {
	Label    string
	Requests int
	Within   bool
}

// histogramHours is where the hours histogram's bins of one hour stop: the
// last bin holds everything above.
const histogramHours = 12

// HoursHistogram puts requests' hours in bins of one hour, from 0 to 12
// and a last bin above 12, by their state against the band b, so that a
// request is in a bin of the band exactly when the report counts it
// within: the band's bounds belong to the band (4 h and 8 h are within),
// so a request within falls in the band's bins even at its upper bound, one
// under in a bin below it and one over in a bin above it.
func HoursHistogram(requests []RequestHours, b matching.Band, label func(from, to int) string, above func(int) string) []HoursBin {
	lo, hi := int(b.Min.Hours()), int(b.Max.Hours())
	bins := make([]HoursBin, histogramHours+1)
	for i := range histogramHours {
		bins[i] = HoursBin{Label: label(i, i+1), Within: i >= lo && i < hi}
	}
	bins[histogramHours] = HoursBin{Label: above(histogramHours), Within: hi > histogramHours}
	for _, r := range requests {
		var i int
		switch r.State {
		case "under":
			i = min(int(math.Floor(r.Hours)), lo-1)
		case "over":
			i = max(int(math.Ceil(r.Hours))-1, hi)
		default:
			i = min(max(int(math.Floor(r.Hours)), lo), hi-1)
		}
		bins[min(max(i, 0), histogramHours)].Requests++
	}
	return bins
}

// band4C is the 4C standard's band.
func band4C() matching.Band {
	b, _ := matching.StandardBand(matching.Phase4C)
	return b
}

// BandText is the 4C standard's band as the page writes it ("4–8 h").
func (d MonitoringData) BandText() string { return d.PhaseBand(matching.Phase4C) }

// PhaseBand is a phase's band of the standard as the page writes it.
func (d MonitoringData) PhaseBand(p matching.Phase) string {
	b, ok := matching.StandardBand(p)
	if !ok {
		return ""
	}
	return d.T("mon.hours.band", int(b.Min.Hours()), int(b.Max.Hours()))
}

// HoursBins are the bins of the 4C hours histogram.
func (d MonitoringData) HoursBins() []HoursBin {
	return HoursHistogram(d.Hours4C, band4C(),
		func(from, to int) string { return d.T("mon.hours.bin", from, to) },
		func(above int) string { return d.T("mon.hours.bin_above", above) })
}

// MonthLabel names a month by its first day (YYYY-MM-DD): "mag 2026".
func (d MonitoringData) MonthLabel(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return d.T("mon.month."+strconv.Itoa(int(t.Month()))) + " " + strconv.Itoa(t.Year())
}

// --- Charts ---

func (d MonitoringData) intNumber() Number {
	return func(x float64) string { return d.T("number", int(math.Round(x))) }
}

func (d MonitoringData) decNumber() Number { return func(x float64) string { return d.decimal(x) } }

// FunnelChart draws the funnel as horizontal bars.
func (d MonitoringData) FunnelChart() HBarLayout {
	c := HBarChart{ID: "chart-funnel", Title: d.T("mon.funnel.chart"), Integer: true, Format: d.intNumber(), Empty: d.T("mon.chart.empty")}
	if d.Report != nil && len(d.Report.Total.Figures.Funnel) > 0 && d.Report.Total.Figures.Funnel[0].Entries > 0 {
		for _, s := range d.Report.Total.Figures.Funnel {
			c.Items = append(c.Items, BarItem{Label: d.T(d.StageKey(s.Stage)), Value: float64(s.Entries)})
		}
	}
	return c.Layout()
}

// ReasonsChart draws the rejection reasons as horizontal bars.
func (d MonitoringData) ReasonsChart() HBarLayout {
	c := HBarChart{ID: "chart-reasons", Title: d.T("mon.rejections.chart"), Integer: true, Format: d.intNumber(), Empty: d.T("mon.chart.empty")}
	for _, r := range d.RejectionReasons() {
		c.Items = append(c.Items, BarItem{Label: d.ReasonLabel(r.Reason), Value: float64(r.Entries)})
	}
	return c.Layout()
}

// FirstShortlistChart draws the median days to the first shortlist of
// each group that has one.
func (d MonitoringData) FirstShortlistChart() HBarLayout {
	title := d.T("mon.first.chart_providers")
	if d.ByOperator() {
		title = d.T("mon.first.chart_operators")
	}
	c := HBarChart{ID: "chart-first-shortlist", Title: title, Format: d.decNumber(), Empty: d.T("mon.chart.empty")}
	for _, g := range d.Groups() {
		if m := g.Figures.FirstShortlist.MedianDays; m != nil {
			c.Items = append(c.Items, BarItem{Label: d.GroupName(g.ReportGroup), Value: *m})
		}
	}
	return c.Layout()
}

// HoursChart draws the histogram of the requests' 4C hours with the
// standard's band marked.
func (d MonitoringData) HoursChart() ColumnLayout {
	bins := d.HoursBins()
	b := band4C()
	c := ColumnChart{ID: "chart-hours", Title: d.T("mon.hours.chart"), Integer: true, Format: d.intNumber(), Empty: d.T("mon.chart.empty"),
		CategoryBand: &Band{From: b.Min.Hours(), To: b.Max.Hours() - 1, Label: d.T("mon.hours.band_label", d.BandText())}}
	values := make([]float64, len(bins))
	for i, bin := range bins {
		c.Categories = append(c.Categories, bin.Label)
		values[i] = float64(bin.Requests)
	}
	if len(d.Hours4C) == 0 {
		values = nil
	}
	c.Series = []Series{{Name: d.T("mon.requests"), Values: values}}
	return c.Layout()
}

// TrendRequestsChart draws the requests opened and closed month by month.
func (d MonitoringData) TrendRequestsChart() ColumnLayout {
	c := ColumnChart{ID: "chart-trend-requests", Title: d.T("mon.trend.requests_chart"), Integer: true, Format: d.intNumber(), Empty: d.T("mon.chart.empty")}
	opened, closed := Series{Name: d.T("mon.requests.opened")}, Series{Name: d.T("mon.requests.closed")}
	for _, m := range d.Months {
		c.Categories = append(c.Categories, d.MonthLabel(m.From))
		opened.Values = append(opened.Values, float64(m.Opened))
		closed.Values = append(closed.Values, float64(m.Closed))
	}
	c.Series = []Series{opened, closed}
	return c.Layout()
}

// TrendHoursChart draws the median 4C hours of the requests closed each
// month against the standard's band.
func (d MonitoringData) TrendHoursChart() ColumnLayout {
	b := band4C()
	c := ColumnChart{ID: "chart-trend-hours", Title: d.T("mon.trend.hours_chart"), Format: d.decNumber(), Empty: d.T("mon.chart.empty"),
		ValueBand: &Band{From: b.Min.Hours(), To: b.Max.Hours(), Label: d.T("mon.hours.band_label", d.BandText())}}
	s := Series{Name: d.T("mon.hours.median_4c")}
	for _, m := range d.Months {
		c.Categories = append(c.Categories, d.MonthLabel(m.From))
		v := math.NaN()
		if m.MedianHours4C != nil {
			v = *m.MedianHours4C
		}
		s.Values = append(s.Values, v)
	}
	c.Series = []Series{s}
	return c.Layout()
}

// Closed is the requests of a group's figures closed with an outcome.
func (MonitoringData) Closed(f matching.MonitoringFigures, outcome string) int {
	for _, c := range f.ClosedByOutcome {
		if string(c.Outcome) == outcome {
			return c.Requests
		}
	}
	return 0
}
