package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"text/tabwriter"
)

// TargetCandidates is the size the performance targets are set for.
const TargetCandidates = 1_000_000

// Report is every figure of a bench run; it is written as a table and as
// JSON.
type Report struct {
	Machine Machine      `json:"machine"`
	Run     RunInfo      `json:"run"`
	Load    LoadFigures  `json:"load"`
	Build   BuildFigures `json:"build"`
	// PG is the PostgreSQL baseline's build; nil when it was skipped.
	PG      *PGBuild       `json:"pg,omitempty"`
	Classes []ClassFigures `json:"classes"`
	// BrowseCached is class d answered from incontro's result cache.
	BrowseCached Latency `json:"browse_cached"`
	// MatchSteps is where class e's time goes, on average.
	MatchSteps MatchSteps `json:"match_steps"`
	// ServingRSSBytes is the largest resident set while answering queries.
	ServingRSSBytes int64 `json:"serving_rss_bytes"`
	// ServingGC is the garbage collector's work while incontro answered
	// the query classes.
	ServingGC GCFigures    `json:"serving_gc"`
	NRT       NRTFigures   `json:"nrt"`
	HTTP      *HTTPFigures `json:"http,omitempty"`
	Quality   Quality      `json:"quality"`
	// Evaluation is the evaluation report as text.
	Evaluation   string   `json:"evaluation"`
	Targets      []Target `json:"targets"`
	TotalSeconds float64  `json:"total_seconds"`
}

// Machine is where the bench ran.
type Machine struct {
	CPUs        int    `json:"cpus"`
	GOMAXPROCS  int    `json:"gomaxprocs"`
	CPUModel    string `json:"cpu_model,omitempty"`
	MemoryBytes int64  `json:"memory_bytes,omitempty"`
	GoVersion   string `json:"go_version"`
	OS          string `json:"os"`
	Arch        string `json:"arch"`
}

// RunInfo is what the run was asked to do.
type RunInfo struct {
	Candidates      int     `json:"candidates"`
	Queries         int     `json:"queries"`
	Seed            uint64  `json:"seed"`
	AsOf            string  `json:"as_of"`
	Date            string  `json:"date"`
	PGBudgetSeconds float64 `json:"pg_budget_seconds"`
	MatchK          int     `json:"match_k"`
	// GCPercent and MemoryLimitBytes are the garbage collector's target
	// and soft limit while the run answered queries (Go's defaults unless
	// GOGC or GOMEMLIMIT set them, as for serve); a negative target is
	// GOGC=off.
	GCPercent        int   `json:"gc_percent"`
	MemoryLimitBytes int64 `json:"memory_limit_bytes"`
}

// LoadFigures are the seed load into PostgreSQL.
type LoadFigures struct {
	Candidates int     `json:"candidates"`
	Employers  int     `json:"employers"`
	Vacancies  int     `json:"vacancies"`
	Requests   int     `json:"requests"`
	Seconds    float64 `json:"seconds"`
	PerSecond  float64 `json:"candidates_per_second"`
}

// BuildFigures are the index build from PostgreSQL.
type BuildFigures struct {
	Candidates        int     `json:"candidates"`
	Documents         uint64  `json:"documents"` // searchable CVs
	Seconds           float64 `json:"seconds"`
	PerSecond         float64 `json:"candidates_per_second"`
	DocsPerSecond     float64 `json:"documents_per_second"`
	IndexBytes        int64   `json:"index_bytes"`
	BytesPerCandidate float64 `json:"bytes_per_candidate"`
	PeakRSSBytes      int64   `json:"peak_rss_bytes"`
	PeakRSSMethod     string  `json:"peak_rss_method"`
}

// PGBuild is the PostgreSQL baseline's build: its search table and indexes.
type PGBuild struct {
	Rows              int     `json:"rows"`
	Seconds           float64 `json:"seconds"`
	PerSecond         float64 `json:"candidates_per_second"`
	SizeBytes         int64   `json:"size_bytes"`
	BytesPerCandidate float64 `json:"bytes_per_candidate"`
}

// ClassFigures are the latencies of a query class on both engines.
type ClassFigures struct {
	Class    Class    `json:"class"`
	Incontro Latency  `json:"incontro"`
	PG       *Latency `json:"pg,omitempty"` // nil: not measured or no SQL equivalent
}

// Ratio is PostgreSQL's p95 over incontro's: how many times faster
// incontro is; 0 when either is missing.
func (c ClassFigures) Ratio() float64 {
	if c.PG == nil || c.PG.N == 0 || c.Incontro.N == 0 || c.Incontro.P95 <= 0 {
		return 0
	}
	return roundTo(c.PG.P95/c.Incontro.P95, 2)
}

// Quality is the matching quality on the labelled evaluation set.
type Quality struct {
	Vacancies          int     `json:"vacancies"`
	Candidates         int     `json:"candidates"`
	NDCG10             float64 `json:"ndcg10"`
	RandomNDCG10       float64 `json:"random_ndcg10"`
	EssentialMissTop10 float64 `json:"essential_miss_top10"`
	LabelledMissTop10  float64 `json:"labelled_miss_top10"`
	UnsuitableTop10    float64 `json:"unsuitable_top10"`
}

// Target is a performance target and whether the run met it.
type Target struct {
	Figure string  `json:"figure"`
	Target string  `json:"target"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	// Met is nil when the figure was not measured (a phase skipped).
	Met *bool `json:"met"`
}

// classLabels name the classes in the table.
var classLabels = map[Class]string{
	ClassText:       "a free text",
	ClassTextFacets: "b text + 3 facets",
	ClassRadius:     "c text + filters + 30 km",
	ClassBrowse:     "d browse with facets",
	ClassMatch:      "e vacancy match (K=500, explained)",
	ClassReverse:    "f reverse match",
}

// classP95Targets are the p95 targets of the classes, in ms.
var classP95Targets = map[Class]float64{
	ClassText: 5, ClassTextFacets: 20, ClassRadius: 20, ClassBrowse: 50, ClassMatch: 50,
}

// Other targets.
const (
	targetBuildPerSecond = 10_000
	targetNRTP95Ms       = 1000
	targetServingRSS     = 1 << 30
	targetBytesPerCV     = 800
	targetHTTPMatch      = 250
	targetRatio          = 3
)

// classFigures returns the figures of a class, adding them in report order.
func (r *Report) classFigures(c Class) *ClassFigures {
	for i := range r.Classes {
		if r.Classes[i].Class == c {
			return &r.Classes[i]
		}
	}
	r.Classes = append(r.Classes, ClassFigures{Class: c})
	return &r.Classes[len(r.Classes)-1]
}

// Class returns the figures of a class, and whether it was measured.
func (r *Report) Class(c Class) (ClassFigures, bool) {
	for _, f := range r.Classes {
		if f.Class == c {
			return f, true
		}
	}
	return ClassFigures{}, false
}

// Endpoint returns the HTTP figures of an endpoint, and whether it was driven.
func (r *Report) Endpoint(name string) (HTTPEndpoint, bool) {
	if r.HTTP == nil {
		return HTTPEndpoint{}, false
	}
	for _, e := range r.HTTP.Endpoints {
		if e.Name == name {
			return e, true
		}
	}
	return HTTPEndpoint{}, false
}

// checkTargets checks every target of the issue against the report.
func checkTargets(r *Report) []Target {
	var ts []Target
	add := func(figure, target string, value float64, unit string, measured, met bool) {
		t := Target{Figure: figure, Target: target, Value: value, Unit: unit}
		if measured {
			t.Met = &met
		}
		ts = append(ts, t)
	}
	for _, c := range Classes() {
		want, ok := classP95Targets[c]
		if !ok {
			continue
		}
		f, measured := r.Class(c)
		measured = measured && f.Incontro.N > 0
		add(classLabels[c]+" p95", fmt.Sprintf("≤ %g ms", want), f.Incontro.P95, "ms", measured, f.Incontro.P95 <= want)
	}
	add("index build", fmt.Sprintf("≥ %s CVs/s", thousands(targetBuildPerSecond)), r.Build.PerSecond, "CVs/s", r.Build.Seconds > 0,
		r.Build.PerSecond >= targetBuildPerSecond)
	add("change visible in search p95", fmt.Sprintf("≤ %d ms", targetNRTP95Ms), r.NRT.P95, "ms", r.NRT.Probes > 0,
		r.NRT.P95 <= targetNRTP95Ms)
	serving := r.servingRSS()
	add("RSS while serving", "≤ 1 GiB", float64(serving), "bytes", serving > 0, serving <= targetServingRSS)
	add("index size per CV", fmt.Sprintf("≤ %d bytes", targetBytesPerCV), r.Build.BytesPerCandidate, "bytes", r.Build.IndexBytes > 0,
		r.Build.BytesPerCandidate <= targetBytesPerCV)
	m, driven := r.Endpoint(EndpointMatch)
	add("HTTP vacancy match sustained", fmt.Sprintf("≥ %d req/s at p95 ≤ %d ms", targetHTTPMatch, httpMaxP95Ms), float64(m.Sustained),
		"req/s", driven, m.Sustained >= targetHTTPMatch)
	for _, c := range Classes() {
		f, ok := r.Class(c)
		if _, has := classP95Targets[c]; !has {
			continue
		}
		ratio := 0.0
		if ok {
			ratio = f.Ratio()
		}
		add(classLabels[c]+" vs PostgreSQL p95", fmt.Sprintf("≥ %d× faster", targetRatio), ratio, "×", ratio > 0, ratio >= targetRatio)
	}
	return ts
}

// servingRSS is the largest resident set while serving: answering the
// query classes, or under the HTTP load when it ran.
func (r *Report) servingRSS() int64 {
	if r.HTTP != nil {
		return max(r.ServingRSSBytes, r.HTTP.PeakRSSBytes)
	}
	return r.ServingRSSBytes
}

// Missed returns the targets the run did not meet.
func (r *Report) Missed() []Target {
	var out []Target
	for _, t := range r.Targets {
		if t.Met != nil && !*t.Met {
			out = append(out, t)
		}
	}
	return out
}

// WriteJSON writes the report as indented JSON to a file.
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// row is a line of the table.
type row struct{ figure, incontro, pg, ratio, target, met string }

// WriteTable writes the report as a table: each figure for incontro and
// PostgreSQL, their ratio, the target and whether it is met; then the
// missed targets, the HTTP steps and the evaluation.
func (r *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	m := r.Machine
	fmt.Fprintf(&b, "incontro bench: %s candidates, %d queries per class, seed %d, as of %s\n",
		thousands(r.Run.Candidates), r.Run.Queries, r.Run.Seed, r.Run.AsOf)
	fmt.Fprintf(&b, "machine: %d CPUs (GOMAXPROCS %d) %s, %s RAM, %s %s/%s; run %s, %.0f s in all\n",
		m.CPUs, m.GOMAXPROCS, m.CPUModel, formatBytes(m.MemoryBytes), m.GoVersion, m.OS, m.Arch, r.Run.Date, r.TotalSeconds)
	// The targets are for a million CVs: at other sizes the target column
	// says so, and met? is only indicative.
	targetHead, otherSize := "target", r.Run.Candidates != TargetCandidates
	if otherSize {
		targetHead = "target (for 1,000,000 CVs)"
		fmt.Fprintf(&b, "this run has %s CVs and the targets are for 1,000,000: read met? as indicative\n", thousands(r.Run.Candidates))
	}
	b.WriteString("\n")

	targets := map[string]Target{}
	for _, t := range r.Targets {
		targets[t.Figure] = t
	}
	tcol := func(figure string) (string, string) {
		t, ok := targets[figure]
		if !ok {
			return "", ""
		}
		met := "not measured"
		if t.Met != nil {
			met = map[bool]string{true: "yes", false: "NO"}[*t.Met]
		}
		return t.Target, met
	}
	var rows []row
	add := func(figure, inc, pg, ratio, targetKey string) {
		t, met := tcol(targetKey)
		rows = append(rows, row{figure, inc, pg, ratio, t, met})
	}
	pgOr := func(f func(p *PGBuild) string) string {
		if r.PG == nil {
			return "—"
		}
		return f(r.PG)
	}
	add("load into PostgreSQL (COPY)", fmt.Sprintf("%s CVs/s", thousands(int(r.Load.PerSecond))), "", "", "")
	add("index build", fmt.Sprintf("%s CVs/s (%.1f s)", thousands(int(r.Build.PerSecond)), r.Build.Seconds),
		pgOr(func(p *PGBuild) string {
			return fmt.Sprintf("%s CVs/s (%.1f s)", thousands(int(p.PerSecond)), p.Seconds)
		}), "", "index build")
	add("index size", formatBytes(r.Build.IndexBytes), pgOr(func(p *PGBuild) string { return formatBytes(p.SizeBytes) }), "", "")
	add("index size per CV", fmt.Sprintf("%.0f bytes", r.Build.BytesPerCandidate),
		pgOr(func(p *PGBuild) string { return fmt.Sprintf("%.0f bytes", p.BytesPerCandidate) }), "", "index size per CV")
	add("peak RSS while building", formatBytes(r.Build.PeakRSSBytes), "", "", "")
	add("RSS while serving", formatBytes(r.ServingRSSBytes), "", "", "RSS while serving")
	if r.HTTP != nil && r.HTTP.PeakRSSBytes > 0 {
		add("peak RSS under HTTP load", formatBytes(r.HTTP.PeakRSSBytes), "", "", "")
	}
	for _, f := range r.Classes {
		label := classLabels[f.Class]
		pgLat := func(v func(Latency) float64) string {
			if f.PG == nil || f.PG.N == 0 {
				return "—"
			}
			return formatMs(v(*f.PG))
		}
		ratio := func(v func(Latency) float64) string {
			if f.PG == nil || f.PG.N == 0 || v(f.Incontro) <= 0 {
				return ""
			}
			return fmt.Sprintf("%.1f×", v(*f.PG)/v(f.Incontro))
		}
		p50 := func(l Latency) float64 { return l.P50 }
		p95 := func(l Latency) float64 { return l.P95 }
		p99 := func(l Latency) float64 { return l.P99 }
		add(label+" p50", formatMs(f.Incontro.P50), pgLat(p50), ratio(p50), "")
		add(label+" p95", formatMs(f.Incontro.P95), pgLat(p95), ratio(p95), label+" p95")
		add(label+" p99", formatMs(f.Incontro.P99), pgLat(p99), ratio(p99), "")
		queries := fmt.Sprintf("%d", f.Incontro.N)
		if f.Incontro.Errors > 0 {
			queries += fmt.Sprintf(" (%d failed)", f.Incontro.Errors)
		}
		pgq := "—"
		if f.PG != nil {
			pgq = fmt.Sprintf("%d", f.PG.N)
			if f.PG.BudgetSpent {
				pgq += fmt.Sprintf(" of %d (budget %.0f s spent)", f.PG.Planned, r.Run.PGBudgetSeconds)
			}
			if f.PG.Errors > 0 {
				pgq += fmt.Sprintf(" (%d failed)", f.PG.Errors)
			}
		}
		add(label+" queries", queries, pgq, "", "")
		if _, has := classP95Targets[f.Class]; has {
			t, met := tcol(label + " vs PostgreSQL p95")
			rows = append(rows, row{label + " vs PostgreSQL at p95", "", "", ratio(p95), t, met})
		}
		if f.Class == ClassBrowse {
			add("d browse, cached p50", formatMs(r.BrowseCached.P50), "", "", "")
			add("d browse, cached p95", formatMs(r.BrowseCached.P95), "", "", "")
		}
	}
	nrt := fmt.Sprintf("%s (p50 %s", formatMs(r.NRT.P95), formatMs(r.NRT.P50))
	if r.NRT.Missed > 0 {
		nrt += fmt.Sprintf(", %d of %d not seen in 10 s", r.NRT.Missed, r.NRT.Probes)
	}
	nrt += ")"
	add("change visible in search p95", nrt, "", "", "change visible in search p95")
	if e, ok := r.Endpoint(EndpointMatch); ok {
		add("HTTP vacancy match sustained", fmt.Sprintf("%d req/s", e.Sustained), "", "", "HTTP vacancy match sustained")
	} else {
		add("HTTP vacancy match sustained", "not run (--http)", "", "", "HTTP vacancy match sustained")
	}
	if e, ok := r.Endpoint(EndpointSearch); ok {
		add("HTTP search sustained", fmt.Sprintf("%d req/s", e.Sustained), "", "", "")
	}
	q := r.Quality
	add("matching nDCG@10 (evaluation set)", fmt.Sprintf("%.3f (random %.3f)", q.NDCG10, q.RandomNDCG10), "", "", "")
	add("first 10 shown missing an essential", fmt.Sprintf("%.1f%%", 100*q.EssentialMissTop10), "", "", "")

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "figure\tincontro\tPostgreSQL\tratio\t%s\tmet?\n", targetHead)
	fmt.Fprintf(tw, "------\t--------\t----------\t-----\t%s\t----\n", strings.Repeat("-", len([]rune(targetHead))))
	for _, rw := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", rw.figure, rw.incontro, rw.pg, rw.ratio, rw.target, rw.met)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("ratio: PostgreSQL's latency over incontro's (how many times faster incontro is)\n")
	if r.PG == nil {
		b.WriteString("the PostgreSQL baseline was skipped (--no-pg)\n")
	}

	b.WriteString("\n")
	missed := r.Missed()
	switch {
	case len(missed) == 0:
		b.WriteString("every measured target is met")
		if otherSize {
			b.WriteString(" at this size; the targets are for 1,000,000 CVs")
		}
		b.WriteString("\n")
	default:
		fmt.Fprintf(&b, "MISSED %d of %d targets", len(missed), len(r.Targets))
		if otherSize {
			fmt.Fprintf(&b, " at %s CVs (the targets are for 1,000,000)", thousands(r.Run.Candidates))
		}
		b.WriteString(":\n")
		for _, t := range missed {
			fmt.Fprintf(&b, "  - %s: %s, target %s\n", t.Figure, formatValue(t), t.Target)
		}
	}
	for _, t := range r.Targets {
		if t.Met == nil {
			fmt.Fprintf(&b, "  not measured: %s\n", t.Figure)
		}
	}

	if r.HTTP != nil {
		fmt.Fprintf(&b, "\nHTTP load over loopback (%g s per step; sustained: ≥ %.0f%% success and p95 ≤ %d ms):\n",
			r.HTTP.StepSeconds, 100*httpMinSuccess, httpMaxP95Ms)
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  endpoint\trate\trequests\tsuccess\tthroughput\tp50\tp95\tp99\tsustained")
		for _, e := range r.HTTP.Endpoints {
			for _, s := range e.Steps {
				fmt.Fprintf(tw, "  %s\t%d/s\t%d\t%.1f%%\t%.0f/s\t%s\t%s\t%s\t%s\n", e.Name, s.Rate, s.Requests, 100*s.Success, s.Throughput,
					formatMs(s.Latency.P50), formatMs(s.Latency.P95), formatMs(s.Latency.P99), map[bool]string{true: "yes", false: "no"}[s.Sustained])
				for _, why := range s.Errors {
					fmt.Fprintf(tw, "  \t\tfailure: %s\n", why)
				}
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if ms := r.MatchSteps; ms.Scored > 0 {
		fmt.Fprintf(&b, "\ne vacancy match, mean per step: recall from the index %s, load %.0f CVs from PostgreSQL %s, score and explain %s\n",
			formatMs(ms.RecallMs), ms.Scored, formatMs(ms.LoadMs), formatMs(ms.ScoreMs))
	}
	if r.ServingGC.Cycles > 0 || r.ServingGC.HeapLiveBytes > 0 {
		fmt.Fprintf(&b, "\ngarbage collector (%s): in the query classes %s", gcSettingsText(r.Run), r.ServingGC)
		if r.HTTP != nil {
			fmt.Fprintf(&b, "; under HTTP load %s", r.HTTP.GC)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\nnear-real-time: %d probes, indexer polling every %.0f ms, %d background CV updates (%.1f/s)\n",
		r.NRT.Probes, r.NRT.IndexerPollMs, r.NRT.Writes, r.NRT.WritesPerSecond)
	if r.Evaluation != "" {
		b.WriteString("\nMatching quality\n")
		b.WriteString(r.Evaluation)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// formatValue renders a target's value in its unit.
func formatValue(t Target) string {
	switch t.Unit {
	case "ms":
		return formatMs(t.Value)
	case "bytes":
		if t.Value >= 1<<20 {
			return formatBytes(int64(t.Value))
		}
		return fmt.Sprintf("%.0f bytes", t.Value)
	case "×":
		return fmt.Sprintf("%.1f×", t.Value)
	default:
		return fmt.Sprintf("%s %s", thousands(int(t.Value)), t.Unit)
	}
}

// formatMs renders milliseconds with a sensible precision.
func formatMs(ms float64) string {
	switch {
	case ms == 0:
		return "—"
	case ms < 0.1:
		return fmt.Sprintf("%.0f µs", ms*1000)
	case ms < 10:
		return fmt.Sprintf("%.2f ms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.1f ms", ms)
	default:
		return fmt.Sprintf("%.2f s", ms/1000)
	}
}

// formatBytes renders a size in binary units.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d B", n)
	}
}

// thousands renders an integer with comma separators.
func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// roundTo rounds to a number of decimals.
func roundTo(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// gcSettingsText says how the garbage collector was set while serving.
func gcSettingsText(run RunInfo) string {
	target := fmt.Sprintf("target %d%%", run.GCPercent)
	if run.GCPercent < 0 {
		target = "GOGC=off"
	}
	if run.MemoryLimitBytes <= 0 || run.MemoryLimitBytes == math.MaxInt64 {
		return target + ", no memory limit"
	}
	return target + ", soft memory limit " + formatBytes(run.MemoryLimitBytes)
}
