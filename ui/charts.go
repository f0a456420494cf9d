package ui

import (
	"math"
	"strconv"
	"strings"
)

// Charts drawn on the server as inline SVG: the Go code here computes the
// geometry (scales, bars, ticks, labels) and the templates (the "mon_hbar"
// and "mon_columns" templates of mon_reports.html) write it out, escaping
// every label. A chart needs no script and no stylesheet: its colours are
// attributes, Bootstrap Italia's, each at least 3:1 against the white
// background (WCAG 1.4.11) and the text on it at least 4.5:1. Each chart has
// a title and a description for assistive technologies, and the page
// prints the same figures in a table beside it.

// Chart colours.
const (
	colourPrimary = "#0066cc" // Bootstrap Italia primary: 5.6:1 on white
	colourDark    = "#17324d" // dark blue-grey: 12.6:1
	colourGrey    = "#5c6f82" // text grey: 5.2:1
	colourGrid    = "#d9dadb"
	colourBand    = "#d4eedf" // light green of the standard's band
	colourBandInk = "#00512f" // its label: 8.6:1 on the band
	colourText    = "#1a1a1a"
)

// seriesColours are the colours of a column chart's series, in order.
var seriesColours = [...]string{colourPrimary, colourDark, colourGrey}

// Number formats a value of a chart (an axis tick, a bar's value) for the
// page; nil writes it the plain Go way.
type Number func(float64) string

func (n Number) format(x float64) string {
	if n == nil {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return n(x)
}

// Scale is a linear scale from 0 to Max with a tick every Step.
type Scale struct {
	Max, Step float64
}

// NiceScale returns a scale from 0 that covers highest with about ticks steps
// of 1, 2, 2.5 or 5 times a power of ten; integer scales (counts) never
// step by less than 1 nor by 2.5. A highest value of 0 or less (no data) gives the
// scale 0 to 1.
func NiceScale(highest float64, ticks int, integer bool) Scale {
	if ticks < 1 {
		ticks = 1
	}
	if !(highest > 0) || math.IsInf(highest, 0) {
		return Scale{Max: 1, Step: 1}
	}
	raw := highest / float64(ticks)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if integer && m == 2.5 {
			continue
		}
		if m*mag >= raw-1e-12 {
			step = m * mag
			break
		}
	}
	if integer && step < 1 {
		step = 1
	}
	top := math.Ceil(highest/step-1e-9) * step
	return Scale{Max: round1(top, 1e6), Step: step}
}

// Ticks returns the values of the scale's ticks, from 0 to Max.
func (s Scale) Ticks() []float64 {
	var out []float64
	for i := 0; ; i++ {
		v := round1(float64(i)*s.Step, 1e6)
		if v > s.Max+1e-9 {
			break
		}
		out = append(out, v)
	}
	return out
}

// round1 rounds x to 1/unit.
func round1(x, unit float64) float64 { return math.Round(x*unit) / unit }

// px rounds a coordinate to a tenth of a pixel, which keeps the SVG short.
func px(x float64) float64 { return round1(x, 10) }

// BarItem is a bar: its label, its value, and the value as the page writes
// it (empty: the chart's Number).
type BarItem struct {
	Label string
	Value float64
	Text  string
}

// HBarChart is a chart of horizontal bars, one per item, each label above
// its bar: the funnel, reasons, a figure per group.
type HBarChart struct {
	// ID is unique on the page: the ids of the title and description are
	// made from it.
	ID    string
	Title string
	// Desc describes the chart in words for assistive technologies; empty,
	// it lists the items and their values.
	Desc    string
	Items   []BarItem
	Integer bool   // the values are counts
	Format  Number // how values and ticks are written
	// Empty is said instead of the chart when there is nothing to draw.
	Empty string
}

// Geometry of the horizontal bar charts, in SVG user units.
const (
	hbarWidth     = 640.0
	hbarPlotLeft  = 4.0
	hbarPlotRight = 580.0 // room for the value after the longest bar
	hbarRow       = 42.0
	hbarBar       = 18.0
	hbarTop       = 6.0
	hbarAxis      = 26.0
)

// HBarLayout is an HBarChart with its geometry, as the "mon_hbar" template
// draws it.
type HBarLayout struct {
	ID, Title, Desc string
	Width, Height   float64
	Bars            []HBar
	Ticks           []Tick
	// AxisY is where the tick labels are written.
	AxisY float64
	// PlotTop and PlotBottom bound the grid lines.
	PlotTop, PlotBottom float64
	// Empty is the text shown when there is no data (no bars then).
	Empty string
}

// HBar is a bar of an HBarLayout with its label and value text.
type HBar struct {
	Label          string
	LabelX, LabelY float64
	X, Y, W, H     float64
	Text           string
	TextX, TextY   float64
	// TextInside: the value is written inside the end of the bar, in white.
	TextInside bool
	Fill       string
}

// Tick is a tick of an axis: its position and label.
type Tick struct {
	X, Y  float64
	Label string
}

// TitleID and DescID are the ids of the chart's title and description.
func (l HBarLayout) TitleID() string { return l.ID + "-title" }

// DescID is the id of the chart's description.
func (l HBarLayout) DescID() string { return l.ID + "-desc" }

// HasData reports whether there are bars to draw.
func (l HBarLayout) HasData() bool { return len(l.Bars) > 0 }

// describe lists labels with their values, for a chart's description.
func describe(title string, labels, values []string) string {
	parts := make([]string, len(labels))
	for i := range labels {
		parts[i] = labels[i] + ": " + values[i]
	}
	if len(parts) == 0 {
		return title
	}
	return title + ". " + strings.Join(parts, "; ") + "."
}

// Layout computes the chart's geometry: bars from 0 on a nice scale of
// their largest value, a row each, ticks below.
func (c HBarChart) Layout() HBarLayout {
	l := HBarLayout{ID: c.ID, Title: c.Title, Desc: c.Desc, Width: hbarWidth, Empty: c.Empty}
	highest := 0.0
	for _, it := range c.Items {
		highest = math.Max(highest, it.Value)
	}
	texts := make([]string, len(c.Items))
	labels := make([]string, len(c.Items))
	for i, it := range c.Items {
		texts[i] = it.Text
		if texts[i] == "" {
			texts[i] = c.Format.format(it.Value)
		}
		labels[i] = it.Label
	}
	if l.Desc == "" {
		l.Desc = describe(c.Title, labels, texts)
	}
	if len(c.Items) == 0 {
		l.Height = 40
		return l
	}
	scale := NiceScale(highest, 5, c.Integer)
	plotW := hbarPlotRight - hbarPlotLeft
	x := func(v float64) float64 { return hbarPlotLeft + plotW*math.Max(0, v)/scale.Max }
	l.PlotTop = hbarTop
	for i, it := range c.Items {
		top := hbarTop + float64(i)*hbarRow
		b := HBar{Label: it.Label, LabelX: hbarPlotLeft, LabelY: px(top + 14), X: hbarPlotLeft, Y: px(top + 20),
			W: px(x(it.Value) - hbarPlotLeft), H: hbarBar, Text: texts[i], Fill: colourPrimary}
		// A value that would not fit after its bar is written inside it.
		b.TextY = px(b.Y + 13.5)
		if b.W > plotW-8*float64(len(b.Text))-12 && b.W > 8*float64(len(b.Text))+12 {
			b.TextInside, b.TextX = true, px(b.X+b.W-6)
		} else {
			b.TextX = px(b.X + b.W + 6)
		}
		l.Bars = append(l.Bars, b)
	}
	l.PlotBottom = px(hbarTop + float64(len(c.Items))*hbarRow)
	l.AxisY = px(l.PlotBottom + 18)
	l.Height = px(l.PlotBottom + hbarAxis)
	for _, v := range scale.Ticks() {
		l.Ticks = append(l.Ticks, Tick{X: px(x(v)), Label: c.Format.format(v)})
	}
	return l
}

// Series is a series of a column chart: a value per category, NaN where
// there is none.
type Series struct {
	Name   string
	Values []float64
}

// Band marks a span of a column chart: on the value axis (From to To of
// the values), or on the category axis (from category From to category To,
// both included).
type Band struct {
	From, To float64
	Label    string
}

// ColumnChart is a chart of vertical columns: a group of columns per
// category, one per series (a histogram, a monthly trend).
type ColumnChart struct {
	ID, Title string
	// Desc describes the chart in words; empty, it lists the categories
	// with the values of each series.
	Desc       string
	Categories []string
	Series     []Series
	// ValueBand shades a span of values (the standard's hours);
	// CategoryBand a span of categories (the histogram's bins within the
	// standard). Either may be nil.
	ValueBand, CategoryBand *Band
	Integer                 bool
	Format                  Number
	Empty                   string
}

// Geometry of the column charts.
const (
	colWidth      = 640.0
	colPlotLeft   = 44.0
	colPlotRight  = 632.0
	colPlotHeight = 200.0
	colLegend     = 24.0
	colTop        = 22.0 // room for the values above the tallest columns
	colBandLabel  = 20.0 // room for a category band's label
	colAxis       = 34.0
	colCharWidth  = 7.0 // a label's character, for spacing the category labels
)

// ColumnLayout is a ColumnChart with its geometry, as the "mon_columns"
// template draws it.
type ColumnLayout struct {
	ID, Title, Desc     string
	Width, Height       float64
	PlotLeft, PlotRight float64
	PlotTop, PlotBottom float64
	Columns             []Column
	Categories          []Tick
	Ticks               []Tick
	Legend              []LegendItem
	Bands               []BandRect
	Empty               string
}

// Column is a column of a ColumnLayout.
type Column struct {
	X, Y, W, H float64
	Fill       string
	// Text is the value, written above the column when there is room and
	// the value is not 0 (ShowText): the axis says 0, and the table beside
	// the chart every value.
	Text         string
	TextX, TextY float64
	ShowText     bool
	// Title names the column for a pointer's tooltip: category, series,
	// value.
	Title string
}

// LegendItem is a series' swatch and name.
type LegendItem struct {
	X, Y  float64
	Fill  string
	Label string
	// TextX, TextY place the name after the swatch.
	TextX, TextY float64
}

// BandRect is a shaded span with its label.
type BandRect struct {
	X, Y, W, H   float64
	Label        string
	LabelX       float64
	LabelY       float64
	LabelAnchor  string
	Fill, Stroke string
}

// TitleID is the id of the chart's title.
func (l ColumnLayout) TitleID() string { return l.ID + "-title" }

// DescID is the id of the chart's description.
func (l ColumnLayout) DescID() string { return l.ID + "-desc" }

// HasData reports whether there are columns to draw.
func (l ColumnLayout) HasData() bool { return len(l.Columns) > 0 }

// Layout computes the chart's geometry.
func (c ColumnChart) Layout() ColumnLayout {
	l := ColumnLayout{ID: c.ID, Title: c.Title, Desc: c.Desc, Width: colWidth, Empty: c.Empty,
		PlotLeft: colPlotLeft, PlotRight: colPlotRight}
	highest, hasValue := 0.0, false
	for _, s := range c.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				hasValue = true
				highest = math.Max(highest, v)
			}
		}
	}
	if l.Desc == "" {
		labels := make([]string, len(c.Categories))
		values := make([]string, len(c.Categories))
		for i, cat := range c.Categories {
			labels[i] = cat
			var vs []string
			for _, s := range c.Series {
				v := "–"
				if i < len(s.Values) && !math.IsNaN(s.Values[i]) {
					v = c.Format.format(s.Values[i])
				}
				if len(c.Series) > 1 {
					v = s.Name + " " + v
				}
				vs = append(vs, v)
			}
			values[i] = strings.Join(vs, ", ")
		}
		l.Desc = describe(c.Title, labels, values)
	}
	if !hasValue || len(c.Categories) == 0 {
		l.Height = 40
		return l
	}
	if c.ValueBand != nil {
		highest = math.Max(highest, c.ValueBand.To)
	}
	scale := NiceScale(highest, 5, c.Integer)
	top := colTop
	if len(c.Series) > 1 {
		top += colLegend
	}
	if c.CategoryBand != nil {
		top += colBandLabel // the band's label, above the values
	}
	l.PlotTop, l.PlotBottom = px(top), px(top+colPlotHeight)
	y := func(v float64) float64 {
		return l.PlotBottom - colPlotHeight*math.Max(0, math.Min(v, scale.Max))/scale.Max
	}
	n := len(c.Categories)
	catW := (colPlotRight - colPlotLeft) / float64(n)
	groupW := catW * 0.8
	colW := groupW / float64(max(len(c.Series), 1))

	if b := c.ValueBand; b != nil {
		y0, y1 := y(b.To), y(b.From)
		l.Bands = append(l.Bands, BandRect{X: colPlotLeft, Y: px(y0), W: px(colPlotRight - colPlotLeft), H: px(y1 - y0),
			Label: b.Label, LabelX: colPlotRight - 4, LabelY: px(y0 + 13), LabelAnchor: "end", Fill: colourBand, Stroke: colourBandInk})
	}
	if b := c.CategoryBand; b != nil && n > 0 {
		from := math.Max(0, math.Min(b.From, float64(n-1)))
		to := math.Max(from, math.Min(b.To, float64(n-1)))
		x0 := colPlotLeft + from*catW
		x1 := colPlotLeft + (to+1)*catW
		l.Bands = append(l.Bands, BandRect{X: px(x0), Y: px(l.PlotTop - colTop - colBandLabel + 4), W: px(x1 - x0),
			H: px(colPlotHeight + colTop + colBandLabel - 4), Label: b.Label, LabelX: px((x0 + x1) / 2),
			LabelY: px(l.PlotTop - colTop - 2), LabelAnchor: "middle", Fill: colourBand, Stroke: colourBandInk})
	}
	textRoom := colW >= 8*float64(maxLen(c, scale))
	for si, s := range c.Series {
		fill := seriesColours[si%len(seriesColours)]
		for i := 0; i < n && i < len(s.Values); i++ {
			v := s.Values[i]
			if math.IsNaN(v) {
				continue
			}
			x := colPlotLeft + float64(i)*catW + (catW-groupW)/2 + float64(si)*colW
			yv := y(v)
			text := c.Format.format(v)
			title := c.Categories[i] + ": " + text
			if len(c.Series) > 1 {
				title = c.Categories[i] + ", " + s.Name + ": " + text
			}
			l.Columns = append(l.Columns, Column{X: px(x), Y: px(yv), W: px(colW), H: px(l.PlotBottom - yv), Fill: fill,
				Text: text, TextX: px(x + colW/2), TextY: px(yv - 4), ShowText: textRoom && v != 0, Title: title})
		}
	}
	// Category labels, every step-th one so that they do not overlap.
	longest := 1
	for _, cat := range c.Categories {
		longest = max(longest, len([]rune(cat)))
	}
	step := int(math.Ceil((float64(longest)*colCharWidth + 6) / catW))
	if step < 1 {
		step = 1
	}
	for i, cat := range c.Categories {
		if i%step != 0 {
			continue
		}
		l.Categories = append(l.Categories, Tick{X: px(colPlotLeft + (float64(i)+0.5)*catW), Y: px(l.PlotBottom + 18), Label: cat})
	}
	for _, v := range scale.Ticks() {
		l.Ticks = append(l.Ticks, Tick{X: colPlotLeft - 6, Y: px(y(v)), Label: c.Format.format(v)})
	}
	if len(c.Series) > 1 {
		x := colPlotLeft
		for si, s := range c.Series {
			l.Legend = append(l.Legend, LegendItem{X: px(x), Y: 4, Fill: seriesColours[si%len(seriesColours)], Label: s.Name,
				TextX: px(x + 20), TextY: 16})
			x += 14 + 6 + float64(len([]rune(s.Name)))*colCharWidth + 18
		}
	}
	l.Height = px(l.PlotBottom + colAxis)
	return l
}

// maxLen is the length of the longest value text of a chart.
func maxLen(c ColumnChart, s Scale) int {
	n := len([]rune(c.Format.format(s.Max)))
	for _, se := range c.Series {
		for _, v := range se.Values {
			if !math.IsNaN(v) {
				n = max(n, len([]rune(c.Format.format(v))))
			}
		}
	}
	return n
}
