package api_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"incontro/webtest"
)

// chartsReadable is a script that checks every chart of the page: drawn at
// a readable size, labelled by its own title and description, both with
// text. It answers the ids of the charts that fail, or "" when none does.
const chartsReadable = `Array.from(document.querySelectorAll('svg.mon-svg')).filter(svg => {
	const ids = (svg.getAttribute('aria-labelledby') || '').split(' ');
	const named = ids.length === 2 && ids.every(id => { const e = document.getElementById(id); return e && svg.contains(e) && e.textContent.trim() !== ''; });
	const box = svg.getBoundingClientRect();
	return !(svg.getAttribute('role') === 'img' && named && box.width > 250 && box.height > 80);
}).map(svg => svg.id).join(' ')`

// fetchBase64 downloads a link of the page within the page's session, as
// the browser would, and answers the body in base64 (or throws the status).
func fetchBase64(sel string) string {
	return `fetch(document.querySelector('` + sel + `').href, {credentials: 'same-origin'})
	.then(r => r.ok ? r.arrayBuffer() : Promise.reject(new Error('status ' + r.status)))
	.then(b => { const u = new Uint8Array(b); let s = ''; for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]); return btoa(s); })`
}

func TestBrowserMonitoringJourney(t *testing.T) {
	requireAssets(t)
	w := newMonitoringWorld(t)
	b := webtest.Start(t, w.ts.URL)

	// The Province signs in and lands on the reports: the 90 days to today.
	mon := b.NewTab(t, "monitor")
	signInByKeyboard(t, mon, w.users[monitor].Email, testPassword)
	if got := mon.Path(); got != "/monitoraggio" {
		t.Fatalf("the monitor landed on %s", got)
	}
	mon.Has("Monitoraggio del servizio", "Tutti gli enti", "Periodi rapidi:", "Scarica il rapporto")
	looksLikeBootstrapItalia(t, mon)
	mon.Screenshot("reports-default")

	// The month of activity, for provider A compared by operator, through
	// the filter's form.
	mon.Select("#from", w.from)
	mon.Select("#to", w.to)
	mon.Select("#provider_id", strconv.FormatInt(w.providerA.ID, 10))
	mon.Select("#group", "operator")
	mon.Click(`.mon-filters button[type="submit"]`)
	for _, want := range []string{"from=" + w.from, "to=" + w.to, fmt.Sprintf("provider_id=%d", w.providerA.ID)} {
		if !strings.Contains(mon.Path(), want) {
			t.Errorf("the filter's page %s lacks %s", mon.Path(), want)
		}
	}
	mon.Has("Centro per l'impiego A", "Confronto tra gli operatori", w.opA2.Name)
	// Provider A opened 4 requests; its funnel found 7 candidates and hired 1.
	if got := webtest.Eval[string](mon, `document.querySelector('.kpi-opened').textContent`); got != "4" {
		t.Errorf("provider A opened %s requests, want 4", got)
	}
	if got := webtest.Eval[string](mon, `document.querySelector('#table-funnel tr[data-stage="found"] td').textContent`); got != "7" {
		t.Errorf("provider A's funnel found %s, want 7", got)
	}
	if n := webtest.Eval[int](mon, `document.querySelectorAll('svg.mon-svg').length`); n != 6 {
		t.Errorf("%d charts drawn, want 6", n)
	}
	if bad := webtest.Eval[string](mon, chartsReadable); bad != "" {
		t.Errorf("charts without a readable size or a text alternative: %s", bad)
	}
	if desc := webtest.Eval[string](mon, `document.getElementById('chart-funnel-desc').textContent`); !strings.Contains(desc, "Individuati: 7") || !strings.Contains(desc, "Assunti: 1") {
		t.Errorf("the funnel's description says %q", desc)
	}
	if label := webtest.Eval[string](mon, `document.querySelector('#chart-hours .band-label').textContent`); label != "Standard 4–8 h" {
		t.Errorf("the histogram's band says %q", label)
	}
	mon.NoProblems()
	mon.Screenshot("reports-provider-A")

	// The workbook of the same report, downloaded within the page's session.
	raw := webtest.Eval[string](mon, fetchBase64("a.download-xlsx"))
	body, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the download is not a workbook: %v", err)
	}
	defer f.Close()
	if scope, _ := f.GetCellValue("Report", "B4"); !strings.Contains(scope, "Centro per l'impiego A") {
		t.Errorf("the workbook's scope is %q", scope)
	}
	if found, _ := f.GetCellValue("Funnel", "F2"); found != "7" {
		t.Errorf("the workbook's funnel found %q, the page 7", found)
	}
	if from, _ := f.GetCellValue("Report", "B2"); from != w.from {
		t.Errorf("the workbook's period starts %q, want %s", from, w.from)
	}

	// A ready-made period: last month, the provider kept.
	mon.Click(`.mon-presets li:nth-child(2) a`)
	if got := webtest.Eval[string](mon, `document.querySelector('.mon-presets a[aria-current="true"]').textContent`); got != "Mese scorso" {
		t.Errorf("the current preset is %q", got)
	}
	mon.Has("Centro per l'impiego A")

	// Every provider, in English.
	mon.Select("#from", w.from)
	mon.Select("#to", w.to)
	mon.Select("#provider_id", "")
	mon.Select("#group", "provider")
	mon.Click(`.mon-filters button[type="submit"]`)
	mon.Click(`.lang-switch button[value="en"]`)
	mon.Has("Service monitoring", "Every provider", "Providers compared", "Agenzia B", "From finding to hiring", "Availability rate", "71.4%")
	if bad := webtest.Eval[string](mon, chartsReadable); bad != "" {
		t.Errorf("charts without a readable size or a text alternative in English: %s", bad)
	}
	if title := webtest.Eval[string](mon, `document.getElementById('chart-trend-requests-title').textContent`); title != "Requests opened and closed per month" {
		t.Errorf("the trend's title is %q", title)
	}
	mon.Screenshot("reports-en")
	mon.Click(`.lang-switch button[value="it"]`)

	// An operator reaches its provider's report from the navigation, and
	// sees only its provider even when the address names another.
	op := b.NewTab(t, "operator")
	signInByKeyboard(t, op, w.users[operatorB].Email, testPassword)
	op.Click(`a.nav-link[href="/monitoraggio"]`)
	op.Has("Monitoraggio del servizio", "Agenzia B", "Confronto tra gli operatori")
	if webtest.Eval[bool](op, `document.getElementById('provider_id') !== null`) {
		t.Error("the operator is offered the provider filter")
	}
	if status := op.Open(fmt.Sprintf("/monitoraggio?from=%s&to=%s&provider_id=%d", w.from, w.to, w.providerA.ID)); status != http.StatusOK {
		t.Fatalf("the operator's page answered %d", status)
	}
	op.Has("Agenzia B")
	if strings.Contains(op.Text(), "Centro per l'impiego A") {
		t.Error("the operator sees provider A")
	}
	if got := webtest.Eval[string](op, `document.querySelector('.kpi-opened').textContent`); got != "1" {
		t.Errorf("provider B opened %s requests, want 1", got)
	}
	op.Screenshot("reports-provider-B")

	// An employer and a jobseeker are refused the reports.
	for _, who := range []string{employer1, jobseeker1} {
		tab := b.NewTab(t, who)
		signInByKeyboard(t, tab, w.users[who].Email, testPassword)
		if status := tab.Open("/monitoraggio"); status != http.StatusForbidden {
			t.Errorf("%s opened the reports: %d", who, status)
		}
		tab.Has("Accesso negato")
		if webtest.Eval[bool](tab, `document.querySelector('a.nav-link[href="/monitoraggio"]') !== null`) {
			t.Errorf("%s's navigation links the reports", who)
		}
		tab.Screenshot("refused")
	}
}
