package ui_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"incontro/matching"
	"incontro/ui"
)

func TestTheHoursHistogramPutsEachRequestWhereTheReportCountsIt(t *testing.T) {
	band := matching.Band{Min: 4 * time.Hour, Max: 8 * time.Hour}
	label := func(from, to int) string { return fmt.Sprintf("%d-%d", from, to) }
	above := func(h int) string { return fmt.Sprintf(">%d", h) }
	bins := ui.HoursHistogram([]ui.RequestHours{
		{Hours: 0, State: "under"}, {Hours: 3.98, State: "under"}, // bins 0 and 3
		{Hours: 4, State: "within"}, {Hours: 5, State: "within"}, {Hours: 8, State: "within"}, // bins 4, 5, 7
		{Hours: 8.02, State: "over"}, {Hours: 9, State: "over"}, {Hours: 12, State: "over"}, {Hours: 30, State: "over"}, // bins 8, 8, 11, 12
	}, band, label, above)
	if len(bins) != 13 || bins[0].Label != "0-1" || bins[11].Label != "11-12" || bins[12].Label != ">12" {
		t.Fatalf("bins %+v", bins)
	}
	want := []int{1, 0, 0, 1, 1, 1, 0, 1, 2, 0, 0, 1, 1}
	within := 0
	for i, b := range bins {
		if b.Requests != want[i] {
			t.Errorf("bin %s holds %d, want %d", b.Label, b.Requests, want[i])
		}
		if b.Within != (i >= 4 && i <= 7) {
			t.Errorf("bin %s within the band: %v", b.Label, b.Within)
		}
		if b.Within {
			within += b.Requests
		}
	}
	if within != 3 {
		t.Errorf("%d requests in the band's bins, 3 are within", within)
	}
	if empty := ui.HoursHistogram(nil, band, label, above); len(empty) != 13 || empty[5].Requests != 0 {
		t.Errorf("empty histogram %+v", empty)
	}
}

// The page quotes matching's definitions of the figures: word for word in
// English, translated in Italian, one for every section of the report.
func TestTheMonitoringPageQuotesTheDefinitionsOfTheFigures(t *testing.T) {
	r, err := ui.New()
	if err != nil {
		t.Fatal(err)
	}
	it, en := ui.MonitoringData{Page: ui.Page{Lang: "it", Locale: r.Locale("it")}}, ui.MonitoringData{Page: ui.Page{Lang: "en", Locale: r.Locale("en")}}
	defs := matching.MonitoringDefinitions()
	if len(defs) == 0 {
		t.Fatal("no definitions")
	}
	for _, d := range defs {
		if got := en.Def(d.Section); got != d.Text {
			t.Errorf("English definition of %s:\n got %q\nwant %q", d.Section, got, d.Text)
		}
		if got := it.Def(d.Section); got == d.Text || strings.Contains(got, "⟦") || strings.Contains(got, "%!") {
			t.Errorf("Italian definition of %s: %q", d.Section, got)
		}
	}
	if got := en.T("mon.preamble"); got != matching.MonitoringPreamble() {
		t.Errorf("English preamble %q", got)
	}
}

func TestTheMonitoringPageWritesFiguresInItsLanguage(t *testing.T) {
	r, err := ui.New()
	if err != nil {
		t.Fatal(err)
	}
	it, en := ui.MonitoringData{Page: ui.Page{Lang: "it", Locale: r.Locale("it")}}, ui.MonitoringData{Page: ui.Page{Lang: "en", Locale: r.Locale("en")}}
	v := func(x float64) *float64 { return &x }
	for _, tc := range []struct {
		name     string
		it, en   string
		got, gEn string
	}{
		{"a median", "6,67", "6.67", it.Dec(v(6.6667)), en.Dec(v(6.6667))},
		{"a whole median", "4", "4", it.Dec(v(4)), en.Dec(v(4))},
		{"a share", "71,4%", "71.4%", it.Pct(v(0.7143)), en.Pct(v(0.7143))},
		{"a whole share", "100%", "100%", it.Pct(v(1)), en.Pct(v(1))},
		{"a share over nothing", "n.d.", "n/a", it.Pct(nil), en.Pct(nil)},
		{"a median over nothing", "n.d.", "n/a", it.Dec(nil), en.Dec(nil)},
		{"a count", "1.234", "1,234", it.Int(1234), en.Int(1234)},
		{"a month", "mag 2026", "May 2026", it.MonthLabel("2026-05-01"), en.MonthLabel("2026-05-01")},
		{"a day", "03/05/2026", "3 May 2026", it.DayText("2026-05-03"), en.DayText("2026-05-03")},
		{"the 4C band", "4–8 h", "4–8 h", it.PhaseBand(matching.Phase4C), en.PhaseBand(matching.Phase4C)},
		{"a 4D band", "2–6 h", "2–6 h", it.PhaseBand(matching.Phase4DSelection), en.PhaseBand(matching.Phase4DVerification)},
	} {
		if tc.got != tc.it || tc.gEn != tc.en {
			t.Errorf("%s: %q and %q, want %q and %q", tc.name, tc.got, tc.gEn, tc.it, tc.en)
		}
	}
	for _, tc := range []struct{ code, it string }{{"distance", "Distanza / mobilità"}, {"", "Motivo non indicato"}, {"legacy_code", "legacy_code"}} {
		if got := it.ReasonLabel(tc.code); got != tc.it {
			t.Errorf("reason %q is %q, want %q", tc.code, got, tc.it)
		}
	}
	for _, tc := range []struct {
		g    matching.ReportGroup
		want string
	}{
		{matching.ReportGroup{Kind: matching.GroupProvider, ProviderName: "Agenzia B"}, "Agenzia B"},
		{matching.ReportGroup{Kind: matching.GroupOperator, OperatorID: 3, OperatorName: "Olga"}, "Olga"},
		{matching.ReportGroup{Kind: matching.GroupOperator, OperatorName: "unassigned"}, "Senza operatore"},
	} {
		if got := it.GroupName(tc.g); got != tc.want {
			t.Errorf("group %+v is named %q", tc.g, got)
		}
	}
}
