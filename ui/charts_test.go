package ui_test

import (
	"bytes"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"incontro/matching"
	"incontro/ui"
)

func TestNiceScalesCoverTheLargestValueWithRoundSteps(t *testing.T) {
	for _, tc := range []struct {
		name    string
		max     float64
		integer bool
		want    ui.Scale
	}{
		{"no data is the scale 0 to 1", 0, true, ui.Scale{Max: 1, Step: 1}},
		{"a negative maximum is no data", -3, false, ui.Scale{Max: 1, Step: 1}},
		{"NaN is no data", math.NaN(), false, ui.Scale{Max: 1, Step: 1}},
		{"a single count of 1", 1, true, ui.Scale{Max: 1, Step: 1}},
		{"counts never step by less than 1", 3, true, ui.Scale{Max: 3, Step: 1}},
		{"9 goes up to 10 by 2", 9, true, ui.Scale{Max: 10, Step: 2}},
		{"7 goes up to 8 by 2", 7, true, ui.Scale{Max: 8, Step: 2}},
		{"100 goes by 20", 100, true, ui.Scale{Max: 100, Step: 20}},
		{"counts skip the step of 2.5", 12, true, ui.Scale{Max: 15, Step: 5}},
		{"decimals may step by 2.5", 12.5, false, ui.Scale{Max: 12.5, Step: 2.5}},
		{"a share below 1", 0.7143, false, ui.Scale{Max: 0.8, Step: 0.2}},
		{"days with decimals", 4.5, false, ui.Scale{Max: 5, Step: 1}},
		{"a tiny value", 0.05, false, ui.Scale{Max: 0.05, Step: 0.01}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ui.NiceScale(tc.max, 5, tc.integer)
			if got != tc.want {
				t.Fatalf("NiceScale(%v) = %+v, want %+v", tc.max, got, tc.want)
			}
			if !math.IsNaN(tc.max) && got.Max < tc.max {
				t.Errorf("the scale ends at %v, below %v", got.Max, tc.max)
			}
		})
	}
	t.Run("ticks run from 0 to the top by the step", func(t *testing.T) {
		if got := (ui.Scale{Max: 10, Step: 2}).Ticks(); !slices.Equal(got, []float64{0, 2, 4, 6, 8, 10}) {
			t.Errorf("ticks %v", got)
		}
		if got := (ui.Scale{Max: 0.8, Step: 0.2}).Ticks(); !slices.Equal(got, []float64{0, 0.2, 0.4, 0.6, 0.8}) {
			t.Errorf("ticks %v", got)
		}
	})
}

func TestHorizontalBarCharts(t *testing.T) {
	t.Run("without items there is nothing to draw and the empty text stays", func(t *testing.T) {
		l := ui.HBarChart{ID: "c", Title: "Imbuto", Empty: "Nessun dato"}.Layout()
		if l.HasData() || len(l.Bars) != 0 || len(l.Ticks) != 0 || l.Empty != "Nessun dato" || l.Desc != "Imbuto" {
			t.Errorf("empty chart %+v", l)
		}
	})
	t.Run("one value fills the plot and is described", func(t *testing.T) {
		l := ui.HBarChart{ID: "c", Title: "Imbuto", Integer: true, Items: []ui.BarItem{{Label: "Individuati", Value: 1}}}.Layout()
		if len(l.Bars) != 1 {
			t.Fatalf("%d bars", len(l.Bars))
		}
		b := l.Bars[0]
		last := l.Ticks[len(l.Ticks)-1]
		if b.W <= 0 || math.Abs(b.X+b.W-last.X) > 0.1 {
			t.Errorf("the bar runs from %v for %v, the last tick is at %v", b.X, b.W, last.X)
		}
		if b.Text != "1" || b.Label != "Individuati" || l.Desc != "Imbuto. Individuati: 1." {
			t.Errorf("bar %+v, description %q", b, l.Desc)
		}
		if l.TitleID() != "c-title" || l.DescID() != "c-desc" {
			t.Errorf("ids %s %s", l.TitleID(), l.DescID())
		}
	})
	t.Run("bars are proportional to their values, each in its row", func(t *testing.T) {
		l := ui.HBarChart{ID: "c", Title: "t", Integer: true, Items: []ui.BarItem{{Label: "a", Value: 9}, {Label: "b", Value: 3}, {Label: "c", Value: 0}}}.Layout()
		a, b, c := l.Bars[0], l.Bars[1], l.Bars[2]
		if math.Abs(a.W/b.W-3) > 0.01 || c.W != 0 {
			t.Errorf("widths %v %v %v", a.W, b.W, c.W)
		}
		if !(a.Y < b.Y && b.Y < c.Y) || l.Height <= c.Y+c.H {
			t.Errorf("rows at %v %v %v in a chart %v high", a.Y, b.Y, c.Y, l.Height)
		}
		var ticks []string
		for _, tk := range l.Ticks {
			ticks = append(ticks, tk.Label)
		}
		if !slices.Equal(ticks, []string{"0", "2", "4", "6", "8", "10"}) {
			t.Errorf("ticks %v", ticks)
		}
	})
	t.Run("values are written the chart's way", func(t *testing.T) {
		comma := func(x float64) string { return strings.Replace(strconv.FormatFloat(x, 'f', -1, 64), ".", ",", 1) }
		l := ui.HBarChart{ID: "c", Title: "t", Format: comma, Items: []ui.BarItem{{Label: "a", Value: 4.5}, {Label: "b", Value: 2, Text: "due"}}}.Layout()
		if l.Bars[0].Text != "4,5" || l.Bars[1].Text != "due" || l.Desc != "t. a: 4,5; b: due." {
			t.Errorf("texts %q %q, description %q", l.Bars[0].Text, l.Bars[1].Text, l.Desc)
		}
	})
}

func TestColumnCharts(t *testing.T) {
	nan := math.NaN()
	t.Run("a chart of missing values has nothing to draw", func(t *testing.T) {
		l := ui.ColumnChart{ID: "c", Title: "Ore", Categories: []string{"gen", "feb"}, Series: []ui.Series{{Name: "ore", Values: []float64{nan, nan}}},
			Empty: "Nessun dato"}.Layout()
		if l.HasData() || len(l.Columns) != 0 || l.Empty != "Nessun dato" {
			t.Errorf("chart %+v", l)
		}
		if l.Desc != "Ore. gen: –; feb: –." {
			t.Errorf("description %q", l.Desc)
		}
	})
	t.Run("no categories is no data", func(t *testing.T) {
		if l := (ui.ColumnChart{ID: "c", Title: "t"}).Layout(); l.HasData() {
			t.Errorf("chart %+v", l)
		}
	})
	t.Run("one value stands on the axis at its height", func(t *testing.T) {
		l := ui.ColumnChart{ID: "c", Title: "t", Integer: true, Categories: []string{"mag 2026"}, Series: []ui.Series{{Name: "aperte", Values: []float64{3}}}}.Layout()
		if len(l.Columns) != 1 {
			t.Fatalf("%d columns", len(l.Columns))
		}
		c := l.Columns[0]
		if math.Abs(c.Y+c.H-l.PlotBottom) > 0.1 || math.Abs(c.Y-l.PlotTop) > 0.1 {
			t.Errorf("column from %v to %v, plot from %v to %v", c.Y, c.Y+c.H, l.PlotTop, l.PlotBottom)
		}
		if c.Text != "3" || c.Title != "mag 2026: 3" || len(l.Categories) != 1 || l.Categories[0].Label != "mag 2026" || len(l.Legend) != 0 {
			t.Errorf("column %+v, categories %+v, legend %+v", c, l.Categories, l.Legend)
		}
	})
	t.Run("a missing value leaves its category without a column", func(t *testing.T) {
		l := ui.ColumnChart{ID: "c", Title: "t", Categories: []string{"gen", "feb", "mar"}, Series: []ui.Series{{Name: "ore", Values: []float64{5, nan, 2.5}}}}.Layout()
		if len(l.Columns) != 2 || !(l.Columns[0].X < l.Columns[1].X) || math.Abs(l.Columns[0].H/l.Columns[1].H-2) > 0.01 {
			t.Errorf("columns %+v", l.Columns)
		}
	})
	t.Run("two series stand side by side with a legend", func(t *testing.T) {
		l := ui.ColumnChart{ID: "c", Title: "Richieste", Integer: true, Categories: []string{"gen", "feb"},
			Series: []ui.Series{{Name: "aperte", Values: []float64{3, 1}}, {Name: "chiuse", Values: []float64{0, 4}}}}.Layout()
		if len(l.Columns) != 4 || len(l.Legend) != 2 || l.Legend[0].Fill == l.Legend[1].Fill {
			t.Fatalf("columns %d, legend %+v", len(l.Columns), l.Legend)
		}
		if !l.Columns[0].ShowText || l.Columns[2].ShowText || l.Columns[2].H != 0 {
			t.Errorf("gen's 3 opened is written, its 0 closed is not drawn nor written: %+v, %+v", l.Columns[0], l.Columns[2])
		}
		opened, closed := l.Columns[0], l.Columns[2]
		if math.Abs(opened.X+opened.W-closed.X) > 0.1 || opened.Fill == closed.Fill {
			t.Errorf("gen's columns %+v and %+v", opened, closed)
		}
		if l.Desc != "Richieste. gen: aperte 3, chiuse 0; feb: aperte 1, chiuse 4." {
			t.Errorf("description %q", l.Desc)
		}
	})
	t.Run("a band of values is inside the scale even above the values", func(t *testing.T) {
		l := ui.ColumnChart{ID: "c", Title: "t", Categories: []string{"gen"}, Series: []ui.Series{{Name: "ore", Values: []float64{2}}},
			ValueBand: &ui.Band{From: 4, To: 8, Label: "Standard 4–8 h"}}.Layout()
		if len(l.Bands) != 1 {
			t.Fatalf("bands %+v", l.Bands)
		}
		b := l.Bands[0]
		top := l.Ticks[len(l.Ticks)-1]
		if top.Label != "8" || math.Abs(b.Y-top.Y) > 0.1 {
			t.Errorf("the band starts at %v, the scale's top (%s) is at %v", b.Y, top.Label, top.Y)
		}
		var four ui.Tick
		for _, tk := range l.Ticks {
			if tk.Label == "4" {
				four = tk
			}
		}
		if math.Abs(b.Y+b.H-four.Y) > 0.1 || b.Label != "Standard 4–8 h" {
			t.Errorf("the band ends at %v, 4 is at %v", b.Y+b.H, four.Y)
		}
	})
	t.Run("a band of categories covers its bins and no other", func(t *testing.T) {
		cats := make([]string, 13)
		values := make([]float64, 13)
		for i := range cats {
			cats[i] = strconv.Itoa(i)
			values[i] = 1
		}
		l := ui.ColumnChart{ID: "c", Title: "t", Integer: true, Categories: cats, Series: []ui.Series{{Name: "n", Values: values}},
			CategoryBand: &ui.Band{From: 4, To: 7, Label: "standard"}}.Layout()
		b := l.Bands[0]
		for i, c := range l.Columns {
			inside := c.X >= b.X && c.X+c.W <= b.X+b.W
			if inside != (i >= 4 && i <= 7) {
				t.Errorf("column %d (%v–%v) inside the band (%v–%v): %v", i, c.X, c.X+c.W, b.X, b.X+b.W, inside)
			}
		}
		if b.LabelY >= l.PlotTop-4 {
			t.Errorf("the band's label at %v is not above the values (plot from %v)", b.LabelY, l.PlotTop)
		}
	})
	t.Run("crowded category labels are thinned out", func(t *testing.T) {
		cats := make([]string, 36)
		values := make([]float64, 36)
		for i := range cats {
			cats[i] = "set 2026"
			values[i] = float64(i)
		}
		l := ui.ColumnChart{ID: "c", Title: "t", Integer: true, Categories: cats, Series: []ui.Series{{Name: "n", Values: values}}}.Layout()
		if len(l.Categories) >= 36 || len(l.Categories) < 6 {
			t.Fatalf("%d category labels", len(l.Categories))
		}
		for i := 1; i < len(l.Categories); i++ {
			if gap := l.Categories[i].X - l.Categories[i-1].X; gap < 8*7 {
				t.Errorf("labels %d and %d are %v apart", i-1, i, gap)
			}
		}
	})
}

// The charts are drawn by the page's templates: every label is escaped and
// each chart has its title and description for assistive technologies.
func TestChartsAreDrawnWithTextAlternativesAndEscapedLabels(t *testing.T) {
	r, err := ui.New()
	if err != nil {
		t.Fatal(err)
	}
	loc := r.Locale("it")
	evil := `<script>alert("x")</script> & Figli`
	f := matching.MonitoringFigures{Funnel: []matching.FunnelStep{{Stage: matching.StageFound, Entries: 4}, {Stage: matching.StageContacted, Entries: 2}}}
	median := 3.5
	group := matching.MonitoringGroup{ReportGroup: matching.ReportGroup{Kind: matching.GroupProvider, ProviderID: 7, ProviderName: evil},
		Figures: matching.MonitoringFigures{FirstShortlist: matching.FirstShortlistFigures{Requests: 2, MedianDays: &median}}}
	rep := matching.MonitoringReport{Period: matching.Period{From: "2026-01-01", To: "2026-01-31"}, Total: matching.MonitoringGroup{Figures: f},
		Providers: []matching.MonitoringGroup{group}}
	data := ui.MonitoringData{Page: ui.Page{Title: "Monitoraggio", Lang: "it", Locale: loc}, Report: &rep,
		Filter: ui.MonitoringFilter{Group: ui.GroupByProvider}, Months: []ui.MonthRow{{From: "2026-01-01", To: "2026-01-31", Opened: 3}}}
	var buf bytes.Buffer
	if err := r.Render(&buf, "mon_reports", data); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if strings.Contains(page, `<script>alert`) || !strings.Contains(page, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Figli`) {
		t.Error("a provider's name is not escaped in the page")
	}
	svgs := regexp.MustCompile(`(?s)<svg [^>]*class="mon-svg"[^>]*>.*?</svg>`).FindAllString(page, -1)
	ids := map[string]bool{}
	for _, svg := range svgs {
		id := regexp.MustCompile(`id="([^"]+)"`).FindStringSubmatch(svg)[1]
		ids[id] = true
		for _, want := range []string{`role="img"`, `aria-labelledby="` + id + `-title ` + id + `-desc"`, `<title id="` + id + `-title">`, `<desc id="` + id + `-desc">`} {
			if !strings.Contains(svg, want) {
				t.Errorf("chart %s lacks %s", id, want)
			}
		}
		if strings.Contains(svg, "<script") {
			t.Errorf("chart %s carries a script tag", id)
		}
	}
	// The funnel, the days per provider and the months are drawn; the hours
	// histogram, the monthly hours and the reasons have no data.
	for id, drawn := range map[string]bool{"chart-funnel": true, "chart-first-shortlist": true, "chart-trend-requests": true,
		"chart-hours": false, "chart-trend-hours": false, "chart-reasons": false} {
		if ids[id] != drawn {
			t.Errorf("chart %s drawn: %v, want %v", id, ids[id], drawn)
		}
		if !drawn && !strings.Contains(page, `<p class="mon-empty" id="`+id+`">`+loc.T("mon.chart.empty")+`</p>`) {
			t.Errorf("chart %s does not say it has no data", id)
		}
	}
	first := regexp.MustCompile(`(?s)<svg [^>]*id="chart-first-shortlist".*?</svg>`).FindString(page)
	if !strings.Contains(first, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Figli: 3,5.</desc>`) ||
		!strings.Contains(first, `class="bar-label">&lt;script&gt;`) {
		t.Errorf("the provider's label is not escaped in its chart:\n%s", first)
	}
	if strings.Contains(page, "⟦") {
		t.Error("the page shows a message key missing from the catalogue")
	}
}
