package api_test

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"incontro/matching"
)

// The figures as the Italian page writes them.
func itInt(n int) string { return strconv.Itoa(n) }

func itDec(x *float64) string {
	if x == nil {
		return "n.d."
	}
	return strings.Replace(strconv.FormatFloat(math.Round(*x*100)/100, 'f', -1, 64), ".", ",", 1)
}

func itPct(x *float64) string {
	if x == nil {
		return "n.d."
	}
	return strings.Replace(strconv.FormatFloat(math.Round(*x*1000)/10, 'f', -1, 64), ".", ",", 1) + "%"
}

// flat is a page's body with the line breaks between tags taken out, so
// that a table row can be looked for in one piece.
func flat(p page) string { return betweenTags.ReplaceAllString(p.body, "><") }

var betweenTags = regexp.MustCompile(`>\s*\n\s*<`)

// hasFigures checks that the page shows the figures of the report's total:
// the key figures, the tables of each section and the comparison rows of
// the groups.
func hasFigures(t *testing.T, p page, rep matching.MonitoringReport, groups []matching.MonitoringGroup, groupName func(matching.ReportGroup) string) {
	t.Helper()
	f := rep.Total.Figures
	var c4 matching.PhaseHours
	for _, ph := range f.Hours.Phases {
		if ph.Phase == matching.Phase4C {
			c4 = ph
		}
	}
	body := flat(p)
	want := []string{
		`<dd class="kpi-opened">` + itInt(f.Requests.Opened) + `</dd>`,
		`<dd class="kpi-closed">` + itInt(f.Requests.Closed) + `</dd>`,
		`<dd class="kpi-first">` + itDec(f.FirstShortlist.MedianDays) + `</dd>`,
		`<dd class="kpi-within">` + itPct(c4.WithinShare) + `</dd>`,
		`<dd class="kpi-hours">` + itDec(f.Hours.MedianTotalHours) + `</dd>`,
		`<dd class="kpi-contacts">` + itDec(f.Contacts.PerRequest) + `</dd>`,
		`<dd class="kpi-availability">` + itPct(f.Availability.Rate) + `</dd>`,
		`<dd class="kpi-self">` + itPct(f.SelfApplications.Share) + `</dd>`,
		`<tr><th scope="row">Contatti</th><td class="num">` + itInt(f.Contacts.Contacts) + `</td></tr>`,
		`<tr><th scope="row">Richieste con contatti</th><td class="num">` + itInt(f.Contacts.Requests) + `</td></tr>`,
		`<tr><th scope="row">Candidati contattati</th><td class="num">` + itInt(f.Availability.Contacted) + `</td></tr>`,
		`<tr><th scope="row">Candidati disponibili</th><td class="num">` + itInt(f.Availability.Available) + `</td></tr>`,
		`<tr><th scope="row">Candidati inseriti nel periodo</th><td class="num">` + itInt(f.SelfApplications.Entries) + `</td></tr>`,
		`<tr><th scope="row">Di cui autocandidature</th><td class="num">` + itInt(f.SelfApplications.SelfApplications) + `</td></tr>`,
		fmt.Sprintf(`%d candidati esclusi nel periodo: %d dal datore di lavoro, %d dal servizio.`, f.Rejections.Entries, f.Rejections.ByEmployer, f.Rejections.ByService),
		fmt.Sprintf(`(sollecito dovuto)</th><td class="num">%d</td>`, f.OverdueFeedback.ReminderDue),
		fmt.Sprintf(`(chiusura proposta)</th><td class="num">%d</td>`, f.OverdueFeedback.ProposeClose),
		fmt.Sprintf(`%s richieste chiuse con le ore contate; %s con ogni fase nella sua fascia (%s); ore totali per richiesta, mediana: %s.`,
			itInt(f.Hours.Requests), itInt(f.Hours.AllWithin), itPct(f.Hours.AllWithinShare), itDec(f.Hours.MedianTotalHours)),
		fmt.Sprintf(`Mediana: %s giorni, su %s richieste presentate per la prima volta nel periodo.`, itDec(f.FirstShortlist.MedianDays), itInt(f.FirstShortlist.Requests)),
	}
	for _, o := range f.ClosedByOutcome {
		want = append(want, fmt.Sprintf(`</th><td class="num">%d</td></tr>`, o.Requests))
	}
	for _, s := range f.Funnel {
		want = append(want, fmt.Sprintf(`<tr data-stage="%s"><th scope="row">`, s.Stage)+`[^<]*</th><td class="num">`+itInt(s.Entries)+`</td>`)
	}
	for _, ph := range f.Hours.Phases {
		want = append(want, fmt.Sprintf(`<tr data-phase="%s"><th scope="row">[^<]*</th><td>[^<]*</td>`, ph.Phase)+
			fmt.Sprintf(`<td class="num">%d</td><td class="num">%d</td><td class="num">%d</td><td class="num">%d</td>`, ph.Requests, ph.Under, ph.Within, ph.Over)+
			`<td class="num">`+regexp.QuoteMeta(itPct(ph.WithinShare))+`</td><td class="num">`+regexp.QuoteMeta(itDec(ph.MedianHours))+`</td></tr>`)
	}
	for _, r := range f.Rejections.Reasons {
		if r.Entries > 0 {
			want = append(want, fmt.Sprintf(`</th><td class="num">%d</td><td class="num">%d</td></tr>`, r.Entries, r.ByEmployer))
		}
	}
	for _, g := range groups {
		gf := g.Figures
		filled, hired := 0, 0
		for _, o := range gf.ClosedByOutcome {
			if o.Outcome == matching.OutcomeFilled {
				filled = o.Requests
			}
		}
		for _, s := range gf.Funnel {
			if s.Stage == matching.StageHired {
				hired = s.Entries
			}
		}
		var g4 matching.PhaseHours
		for _, ph := range gf.Hours.Phases {
			if ph.Phase == matching.Phase4C {
				g4 = ph
			}
		}
		cells := []string{itInt(gf.Requests.Opened), itInt(gf.Requests.Closed), itInt(filled), itDec(gf.FirstShortlist.MedianDays),
			itPct(g4.WithinShare), itDec(gf.Hours.MedianTotalHours), itDec(gf.Contacts.PerRequest), itPct(gf.Availability.Rate),
			itInt(hired), itPct(gf.SelfApplications.Share), itInt(gf.OverdueFeedback.ReminderDue)}
		row := `<th scope="row">` + html.EscapeString(groupName(g.ReportGroup)) + `</th>(<td>[^<]*</td>)?<td class="num">` +
			regexp.QuoteMeta(strings.Join(cells, `</td><td class="num">`)) + `</td></tr>`
		want = append(want, row)
	}
	for _, w := range want {
		re, err := regexp.Compile(w)
		if err != nil {
			re = regexp.MustCompile(regexp.QuoteMeta(w))
		}
		if !re.MatchString(body) && !strings.Contains(body, w) {
			t.Errorf("the page lacks %s", w)
		}
	}
	if strings.Contains(p.body, "⟦") {
		t.Error("the page shows a message key missing from the catalogue")
	}
}

func TestTheMonitoringPageShowsTheReportsFigures(t *testing.T) {
	w := newMonitoringWorld(t)
	period := "from=" + w.from + "&to=" + w.to
	byName := func(g matching.ReportGroup) string {
		if g.Kind == matching.GroupProvider {
			return g.ProviderName
		}
		return g.OperatorName
	}
	m := w.browser()
	m.signIn(monitor)

	t.Run("the Province's page has the JSON report's figures for the same period", func(t *testing.T) {
		p := m.get("/monitoraggio?" + period)
		if p.status != http.StatusOK {
			t.Fatalf("status %d", p.status)
		}
		ans := w.report(t, w.signIn(monitor), period)
		hasFigures(t, p, ans.MonitoringReport, ans.Providers, byName)
		p.has(t, "Tutti gli enti", `<h2 id="groups-title" class="h3">Confronto tra gli enti</h2>`,
			`value="`+w.from+`"`, `value="`+w.to+`"`, `<select id="provider_id" name="provider_id">`,
			// The overdue requests are named, not linked: the monitor has no request pages.
			fmt.Sprintf("n. %d, n. %d", w.req["R3"].ID, w.req["R8"].ID))
		p.lacks(t, "/operatore/richieste/")
		// The help texts are the definitions, in Italian.
		p.has(t, "Come si leggono i dati", "«Richieste aperte» conta le richieste la cui apertura cade nel periodo")
	})

	t.Run("the charts are drawn with their text alternatives beside their tables", func(t *testing.T) {
		p := m.get("/monitoraggio?" + period)
		body := flat(p)
		for _, id := range []string{"chart-funnel", "chart-reasons", "chart-first-shortlist", "chart-hours", "chart-trend-requests", "chart-trend-hours"} {
			svg := regexp.MustCompile(`<svg [^>]*id="` + id + `"[^>]*>.*?</svg>`).FindString(body)
			if svg == "" {
				t.Errorf("no chart %s", id)
				continue
			}
			for _, want := range []string{`role="img"`, `aria-labelledby="` + id + `-title ` + id + `-desc"`, `<title id="` + id + `-title">`, `<desc id="` + id + `-desc">`} {
				if !strings.Contains(svg, want) {
					t.Errorf("chart %s lacks %s", id, want)
				}
			}
		}
		// The funnel's description says what its bars show.
		p.has(t, `<desc id="chart-funnel-desc">Candidati per passo, dall&#39;individuazione all&#39;assunzione. Individuati: 9; Contattati: 7; Disponibili: 5; Presentati: 5; Colloquio svolto: 3; Assunti: 2.</desc>`)
		// The histogram: R2's 4C time (3.33 h) under, R1's (5 h) within, R7's (9 h) over.
		for bin, n := range map[string]int{"3–4 h": 1, "4–5 h": 0, "5–6 h": 1, "8–9 h": 1, "oltre 12 h": 0} {
			re := regexp.MustCompile(`<tr( class="within")?><th scope="row">` + bin + `( <span class="badge mon-within">standard</span>)?</th><td class="num">` + strconv.Itoa(n) + `</td></tr>`)
			if !re.MatchString(body) {
				t.Errorf("the histogram's bin %s does not hold %d", bin, n)
			}
		}
		if !strings.Contains(body, `<text x=`) || !strings.Contains(body, `class="band-label">Standard 4–8 h</text>`) {
			t.Error("the 4–8 h band is not marked on the charts")
		}
	})

	t.Run("the months are the series' and add up to the period", func(t *testing.T) {
		p := m.get("/monitoraggio?" + period)
		s := w.series(t, w.signIn(monitor), period)
		body := flat(p)
		for _, mo := range s.Months {
			row := fmt.Sprintf(`</th><td>%s – %s</td><td class="num">%d</td><td class="num">%d</td><td class="num">%d</td><td class="num">%s</td><td class="num">%s</td></tr>`,
				dayIt(mo.From), dayIt(mo.To), mo.Opened, mo.Closed, mo.HoursRequests, itDec(mo.MedianHours4C), itPct(mo.WithinShare4C))
			if !strings.Contains(body, row) {
				t.Errorf("the page lacks the month %s", row)
			}
		}
	})

	t.Run("the downloads are the report's CSV and XLSX in the page's session", func(t *testing.T) {
		p := m.get("/monitoraggio?" + period)
		hrefs := regexp.MustCompile(`href="(/api/v1/reports/monitoring\?[^"]+)" download`).FindAllStringSubmatch(p.body, -1)
		if len(hrefs) != 2 {
			t.Fatalf("download links %v", hrefs)
		}
		xlsx := html.UnescapeString(hrefs[1][1])
		if want := "/api/v1/reports/monitoring?format=xlsx&from=" + w.from + "&to=" + w.to; xlsx != want {
			t.Errorf("XLSX link %s, want %s", xlsx, want)
		}
		got := m.get(xlsx)
		if got.status != http.StatusOK || !strings.HasPrefix(got.header.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("download: %d %v", got.status, got.header)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(got.body)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if v, _ := f.GetCellValue("Funnel", "F2"); v != "9" {
			t.Errorf("the workbook's funnel starts with %q found, the page with 9", v)
		}
		csv := m.get(html.UnescapeString(hrefs[0][1]))
		if csv.status != http.StatusOK || !strings.Contains(csv.body, "availability,total,,,,,rate,0.7143") {
			t.Errorf("CSV download: %d", csv.status)
		}
	})

	t.Run("the Province can look at one provider, compared by operator", func(t *testing.T) {
		q := fmt.Sprintf("%s&provider_id=%d", period, w.providerA.ID)
		p := m.get("/monitoraggio?" + q)
		ans := w.report(t, w.signIn(monitor), q)
		hasFigures(t, p, ans.MonitoringReport, ans.Operators, byName)
		p.has(t, fmt.Sprintf(`<option value="%d" selected>Centro per l&#39;impiego A</option>`, w.providerA.ID),
			`<strong class="mon-scope">Centro per l&#39;impiego A</strong>`, "Confronto tra gli operatori", w.opA2.Name,
			fmt.Sprintf(`provider_id=%d`, w.providerA.ID))
		p.lacks(t, "<th scope=\"row\">Agenzia B</th>")
	})

	t.Run("every provider compared by operator names each operator's provider", func(t *testing.T) {
		p := m.get("/monitoraggio?" + period + "&group=operator")
		ans := w.report(t, w.signIn(monitor), period)
		hasFigures(t, p, ans.MonitoringReport, ans.Operators, byName)
		if !strings.Contains(flat(p), `<th scope="row">Utente operatorB</th><td>Agenzia B</td>`) {
			t.Error("operator B's row does not name its provider")
		}
	})

	t.Run("in English the figures are written the English way", func(t *testing.T) {
		p := m.get("/monitoraggio?" + period + "&lang=en")
		p.has(t, "Service monitoring", "Every provider", `<dd class="kpi-availability">71.4%</dd>`, `<dd class="kpi-contacts">2.5</dd>`,
			"Providers compared", matching.MonitoringDefinitions()[0].Text, "From finding to hiring", "Standard 4–8 h")
		p.lacks(t, "Tutti gli enti")
	})
}

// dayIt writes a day the Italian page's way.
func dayIt(day string) string {
	t, _ := time.Parse(time.DateOnly, day)
	return t.Format("02/01/2006")
}

func TestAnOperatorReadsOnlyItsOwnProvidersReport(t *testing.T) {
	w := newMonitoringWorld(t)
	period := "from=" + w.from + "&to=" + w.to
	b := w.browser()
	b.signIn(operatorB)

	for name, query := range map[string]string{
		"asked for nothing in particular":  period,
		"asking for another provider's id": fmt.Sprintf("%s&provider_id=%d", period, w.providerA.ID),
		"asking for a provider by hand":    period + "&provider_id=abc",
	} {
		t.Run(name, func(t *testing.T) {
			p := b.get("/monitoraggio?" + query)
			if p.status != http.StatusOK {
				t.Fatalf("status %d", p.status)
			}
			ans := w.report(t, w.signIn(operatorB), period)
			hasFigures(t, p, ans.MonitoringReport, ans.Operators, func(g matching.ReportGroup) string { return g.OperatorName })
			p.has(t, `<strong class="mon-scope">Agenzia B</strong>`, "Confronto tra gli operatori",
				// The operator's overdue requests link to their pages.
				fmt.Sprintf(`<a href="/operatore/richieste/%d">n. %d</a>`, w.req["R8"].ID, w.req["R8"].ID),
				`<a class="nav-link active" href="/monitoraggio" aria-current="page"><span>Monitoraggio</span></a>`)
			p.lacks(t, "Centro per l&#39;impiego A", "Centro per l'impiego A", `id="provider_id"`, "Tutti gli enti")
			if links := regexp.MustCompile(`href="[^"]*provider_id=[^"]*"`).FindAllString(p.body, -1); len(links) > 0 {
				t.Errorf("links name a provider: %v", links)
			}
		})
	}

	t.Run("the operator downloads its own provider's workbook", func(t *testing.T) {
		p := b.get("/monitoraggio?" + period)
		href := regexp.MustCompile(`href="(/api/v1/reports/monitoring\?format=xlsx[^"]+)"`).FindStringSubmatch(p.body)
		if href == nil {
			t.Fatal("no XLSX link")
		}
		got := b.get(html.UnescapeString(href[1]))
		if got.status != http.StatusOK || !strings.Contains(got.header.Get("Content-Disposition"), fmt.Sprintf("_provider-%d.xlsx", w.providerB.ID)) {
			t.Fatalf("download: %d %v", got.status, got.header.Get("Content-Disposition"))
		}
	})
}

func TestTheMonitoringPageRefusesBadPeriodsNextToTheirField(t *testing.T) {
	w := newWorld(t)
	m := w.browser()
	m.signIn(monitor)
	for _, tc := range []struct {
		name, query, field, text, kept string
	}{
		{"a first day that is not a date", "from=2026-13-01&to=2026-12-31", "from", "Dal giorno: non è una data: scrivila come AAAA-MM-GG.", `value="2026-13-01"`},
		{"a last day that is not a date", "from=2026-01-01&to=31/12/2026", "to", "Al giorno: non è una data: scrivila come AAAA-MM-GG.", `value="31/12/2026"`},
		{"a last day before the first", "from=2026-02-01&to=2026-01-31", "to", "Al giorno: viene prima del giorno di inizio.", `value="2026-02-01"`},
		{"three years", "from=2023-01-01&to=2026-01-01", "to", "Al giorno: il periodo deve essere più breve di 3 anni.", `value="2023-01-01"`},
		{"a provider that is not a number", "provider_id=abc", "provider_id", "Ente: scegli un ente dall&#39;elenco.", ""},
		{"a provider that does not exist", "provider_id=999999", "provider_id", "Ente: scegli un ente dall&#39;elenco.", ""},
		{"an unknown grouping", "group=employer", "group", "Confronto per: scegli ente o operatore.", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := m.get("/monitoraggio?" + tc.query)
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", p.status)
			}
			p.has(t, `<div class="invalid-feedback d-block" id="`+tc.field+`-error">`+tc.text+`</div>`, `aria-describedby="`+tc.field+`-error"`,
				`class="alert alert-danger error-summary"`, "Correggi il periodo per vedere il rapporto.", tc.kept)
			p.lacks(t, `class="mon-section"`, "download-xlsx")
		})
	}
	t.Run("in English", func(t *testing.T) {
		p := m.get("/monitoraggio?from=nope&lang=en")
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", p.status)
		}
		p.has(t, `<div class="invalid-feedback d-block" id="from-error">From: is not a date: write it as YYYY-MM-DD.</div>`)
	})
}

func TestTheMonitoringPageOffersReadyMadePeriods(t *testing.T) {
	w := newWorld(t)
	m := w.browser()
	m.signIn(monitor)
	p := m.get("/monitoraggio")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	// Without dates the page shows the report's default period: 90 days to today.
	today := w.clock.Now().In(trentoZone)
	p.has(t, `value="`+today.AddDate(0, 0, -89).Format(time.DateOnly)+`"`, `value="`+today.Format(time.DateOnly)+`"`)
	y, mo, _ := today.Date()
	first := time.Date(y, mo, 1, 0, 0, 0, 0, trentoZone)
	q := (int(mo)-1)/3*3 + 1
	want := map[string][2]time.Time{
		"Questo mese":      {first, today},
		"Mese scorso":      {first.AddDate(0, -1, 0), first.AddDate(0, 0, -1)},
		"Questo trimestre": {time.Date(y, time.Month(q), 1, 0, 0, 0, 0, trentoZone), today},
		"Quest&#39;anno":   {time.Date(y, 1, 1, 0, 0, 0, 0, trentoZone), today},
		"Ultimi 12 mesi":   {first.AddDate(0, -11, 0), today},
	}
	for label, span := range want {
		href := fmt.Sprintf(`/monitoraggio?from=%s&amp;group=provider&amp;to=%s`, span[0].Format(time.DateOnly), span[1].Format(time.DateOnly))
		p.has(t, `<a href="`+href+`" class="preset">`+label+`</a>`)
	}
	last := m.get(html.UnescapeString(fmt.Sprintf(`/monitoraggio?from=%s&group=provider&to=%s`,
		first.AddDate(0, -1, 0).Format(time.DateOnly), first.AddDate(0, 0, -1).Format(time.DateOnly))))
	if last.status != http.StatusOK {
		t.Fatalf("last month: %d", last.status)
	}
	last.has(t, `class="preset current" aria-current="true">Mese scorso</a>`)
}

func TestOnlyTheMonitorAndOperatorsOpenTheMonitoringPage(t *testing.T) {
	w := newWorld(t)
	for actor, want := range map[string]int{monitor: http.StatusOK, operatorA: http.StatusOK, admin: http.StatusForbidden,
		employer1: http.StatusForbidden, jobseeker1: http.StatusForbidden, anonymous: http.StatusUnauthorized} {
		t.Run(actor, func(t *testing.T) {
			b := w.browser()
			if actor != anonymous {
				b.signIn(actor)
			}
			for _, lang := range []string{"it", "en"} {
				p := b.get("/monitoraggio?lang=" + lang)
				if p.status != want {
					t.Fatalf("%s: status %d, want %d", lang, p.status, want)
				}
				switch want {
				case http.StatusOK:
					p.has(t, `<html lang="`+lang+`">`, `id="chart-funnel"`, "download-xlsx")
				case http.StatusForbidden:
					p.lacks(t, "kpi-opened", "download-xlsx")
				case http.StatusUnauthorized:
					p.has(t, `action="/accedi"`)
				}
			}
		})
	}
}
