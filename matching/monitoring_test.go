package matching_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"incontro/matching"
)

var rome = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic(err)
	}
	return loc
}()

func TestParsePeriod(t *testing.T) {
	now := time.Date(2026, 3, 29, 23, 30, 0, 0, time.UTC) // already the 30th in Trento
	t.Run("the default is the 90 days ending today in Trento", func(t *testing.T) {
		p, err := matching.ParsePeriod("", "", now, rome)
		wantValid(t, err)
		if p.From != "2025-12-31" || p.To != "2026-03-30" {
			t.Errorf("period = %s – %s", p.From, p.To)
		}
		if !p.Start.Equal(time.Date(2025, 12, 31, 0, 0, 0, 0, rome)) || !p.End.Equal(time.Date(2026, 3, 31, 0, 0, 0, 0, rome)) {
			t.Errorf("start %v, end %v", p.Start, p.End)
		}
	})
	t.Run("a period across the change to summer time ends at local midnight", func(t *testing.T) {
		p, err := matching.ParsePeriod("2026-03-01", "2026-03-31", now, rome)
		wantValid(t, err)
		if got := p.End.Sub(p.Start); got != 31*24*time.Hour-time.Hour {
			t.Errorf("length %v, want 31 days less the hour of summer time", got)
		}
		if !p.Contains(p.Start) || p.Contains(p.End) || !p.Contains(p.End.Add(-time.Nanosecond)) {
			t.Error("a period contains its start and not its end")
		}
	})
	t.Run("only a last day gives the 90 days ending then", func(t *testing.T) {
		p, err := matching.ParsePeriod("", "2025-03-31", now, rome)
		wantValid(t, err)
		if p.From != "2025-01-01" {
			t.Errorf("from = %s", p.From)
		}
	})
	t.Run("a single day is a period", func(t *testing.T) {
		p, err := matching.ParsePeriod("2026-01-05", "2026-01-05", now, rome)
		wantValid(t, err)
		if p.End.Sub(p.Start) != 24*time.Hour {
			t.Errorf("one day lasts %v", p.End.Sub(p.Start))
		}
	})
	t.Run("almost three years is a period", func(t *testing.T) {
		_, err := matching.ParsePeriod("2023-01-01", "2025-12-31", now, rome)
		wantValid(t, err)
	})
	for _, tc := range []struct {
		name, from, to, field string
	}{
		{"a first day that is not a date", "2026-02-30", "2026-03-01", "from"},
		{"a first day in another format", "01/02/2026", "2026-03-01", "from"},
		{"a last day that is not a date", "2026-01-01", "tomorrow", "to"},
		{"a last day before the first", "2026-03-02", "2026-03-01", "to"},
		{"three years", "2023-01-01", "2026-01-01", "to"},
		{"only a first day after today", "2026-06-01", "", "to"},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := matching.ParsePeriod(tc.from, tc.to, now, rome)
			wantInvalid(t, err, tc.field)
		})
	}
}

func TestEveryMonitoringFigureIsDefinedOnce(t *testing.T) {
	defs := matching.MonitoringDefinitions()
	var sections []string
	for _, d := range defs {
		sections = append(sections, d.Section)
		if len(strings.Fields(d.Text)) < 8 {
			t.Errorf("the definition of %s is too short: %q", d.Section, d.Text)
		}
		if strings.Contains(d.Text, "//") || strings.Contains(d.Text, "  ") {
			t.Errorf("the definition of %s was not read cleanly: %q", d.Section, d.Text)
		}
	}
	rep := matching.Monitor(matching.Period{}, time.Now(), matching.DefaultWorkflowSettings(), matching.MonitoringScope{}, matching.MonitoringFacts{})
	var tables []string
	for _, tb := range rep.Tables() {
		tables = append(tables, tb.Section)
		def := defs[slices.IndexFunc(defs, func(d matching.Definition) bool { return d.Section == tb.Section })]
		for _, col := range tb.Columns {
			if strings.Contains(col, ":") || tb.Section == "closed_by_outcome" || tb.Section == "funnel" || strings.HasPrefix(tb.Section, "rejection_reasons") {
				continue // the columns are outcomes, reasons or stages
			}
			if !strings.Contains(def.Text, col) {
				t.Errorf("the definition of %s does not define %s: %q", tb.Section, col, def.Text)
			}
		}
	}
	if !slices.Equal(sections, tables) {
		t.Errorf("definitions %v\ndo not match the tables %v one to one, in order", sections, tables)
	}
	if p := matching.MonitoringPreamble(); !strings.HasPrefix(p, "The period runs from its first day at 00:00") || !strings.Contains(p, "unassigned") {
		t.Errorf("preamble = %q", p)
	}
}

func TestMonitorCountsEachRejectedEntryOnceAndLeavesEmptySharesEmpty(t *testing.T) {
	p, err := matching.ParsePeriod("2026-01-01", "2026-01-31", monday, time.UTC)
	wantValid(t, err)
	day := func(d int) time.Time { return time.Date(2026, 1, d, 10, 0, 0, 0, time.UTC) }
	op := int64(7)
	facts := matching.MonitoringFacts{
		Providers: []matching.ProviderName{{ID: 1, Name: "CPI"}},
		Requests: []matching.MonitoredRequest{{Request: matching.Request{ID: 10, ProviderID: 1, OperatorID: &op,
			Status: matching.StatusSearching, OpenedAt: day(2)}, OperatorName: "Operatrice"}},
		Entries: []matching.MonitoredEntry{
			{ID: 1, RequestID: 10, Source: matching.SourceSearch, CreatedAt: day(2), Stages: []matching.Stage{"found", "available", "presented", "rejected"}},
			{ID: 2, RequestID: 10, Source: matching.SourceReferral, CreatedAt: day(3), Stages: []matching.Stage{"found", "withdrew"}},
			{ID: 3, RequestID: 99, Source: matching.SourceSelfApplication, CreatedAt: day(3)}, // another scope's
		},
		Rejections: []matching.MonitoredRejection{
			{EntryID: 1, RequestID: 10, Reason: "language", At: day(5)},
			{EntryID: 1, RequestID: 10, Reason: "interview", ByEmployer: true, At: day(5)},
			{EntryID: 2, RequestID: 10, Reason: "salary", At: day(1).Add(-24 * time.Hour)}, // before the period
		},
	}
	rep := matching.Monitor(p, day(31), matching.DefaultWorkflowSettings(), matching.MonitoringScope{}, facts)
	f := rep.Total.Figures
	if f.Rejections.Entries != 1 || f.Rejections.ByEmployer != 1 || f.Rejections.ByService != 0 {
		t.Errorf("rejections = %+v", f.Rejections)
	}
	for _, r := range f.Rejections.Reasons {
		want := 0
		if r.Reason == "interview" {
			want = 1
		}
		if r.Entries != want {
			t.Errorf("reason %s counts %d, want %d", r.Reason, r.Entries, want)
		}
	}
	var steps []int
	for _, s := range f.Funnel {
		steps = append(steps, s.Entries)
	}
	// Entry 1 reached presented skipping contacted; entry 2 was only found.
	if !slices.Equal(steps, []int{2, 1, 1, 1, 0, 0}) {
		t.Errorf("funnel = %v", steps)
	}
	if f.Availability.Rate == nil || *f.Availability.Rate != 1 {
		t.Errorf("availability = %+v", f.Availability)
	}
	if f.SelfApplications.Entries != 2 || f.SelfApplications.SelfApplications != 0 || *f.SelfApplications.Share != 0 {
		t.Errorf("self-applications = %+v", f.SelfApplications)
	}
	if f.FirstShortlist.MedianDays != nil || f.Hours.AllWithinShare != nil || f.Contacts.PerRequest != nil || f.Hours.Phases[0].MedianHours != nil {
		t.Errorf("figures over nothing are not empty: %+v %+v %+v", f.FirstShortlist, f.Hours, f.Contacts)
	}
	if len(rep.Operators) != 1 || rep.Operators[0].OperatorName != "Operatrice" || rep.Operators[0].ProviderName != "CPI" {
		t.Errorf("operators = %+v", rep.Operators)
	}
}
