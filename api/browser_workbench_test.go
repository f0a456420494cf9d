package api_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"incontro/matching"
	"incontro/store"
	"incontro/ui"
	"incontro/webtest"
)

// startSearchBrowser is startBrowser on a world with a CV index whose
// request 1 is in intake, its vacancy a cook's with four requirements.
func startSearchBrowser(t *testing.T) (*searchWorld, *webtest.Browser) {
	t.Helper()
	r, err := ui.New()
	if err != nil {
		t.Fatal(err)
	}
	if !r.AssetsPresent() {
		msg := "the Bootstrap Italia assets are not in ui/static/vendor: run `make assets` (make test does)"
		if os.Getenv(webtest.EnvBrowserTests) == "optional" {
			t.Skip(msg)
		}
		t.Fatal(msg)
	}
	sw := newSearchWorld(t, inIntake())
	ctx := context.Background()
	v, err := sw.db.Vacancy(ctx, sw.request1.VacancyID)
	if err != nil {
		t.Fatal(err)
	}
	years, km := 3.0, 30
	v.Title = "Cuoco di ristorante"
	v.OccupationCode, v.ISCOCode = "occ-cuoco", "5120"
	v.Requirements = []matching.Requirement{
		{Rank: 1, Kind: matching.ReqLicence, Code: "B"},
		{Rank: 2, Kind: matching.ReqOccupation, Code: "occ-cuoco", Label: "Cuoco", MinYears: &years},
		{Rank: 3, Kind: matching.ReqLanguage, Code: "de", Level: "B2", Essential: true},
		{Rank: 4, Kind: matching.ReqDistance, MaxKm: &km},
	}
	if err := sw.db.UpdateVacancy(ctx, &v); err != nil {
		t.Fatal(err)
	}
	return sw, webtest.Start(t, sw.ts.URL)
}

func TestBrowserOperatorRanksAndMatchesARequest(t *testing.T) {
	sw, b := startSearchBrowser(t)
	ctx := context.Background()
	op := b.NewTab(t, "operator")
	signInByKeyboard(t, op, sw.users[operatorA].Email, testPassword)
	if got := op.Path(); got != "/operatore" {
		t.Fatalf("the operator landed on %s", got)
	}
	op.Has("Scrivania dell'operatore", "Richieste trovate: 1", "Cuoco di ristorante", "Hotel Uno", "Accoglienza", "4C: 45 min / 4 h–8 h · sotto lo standard")
	looksLikeBootstrapItalia(t, op)
	op.Screenshot("queue")

	// The request page, from the queue's link.
	op.Click(`#request-` + itoa(sw.request1.ID) + ` th a`)
	op.Has("Cuoco di ristorante", "Requisiti in ordine di importanza", "Patente B", "Peso: 52%", "Ciclo di vita", "Porta a: Requisiti ordinati")
	op.Screenshot("request")

	// The licence goes down twice with the keyboard: Enter on its "down"
	// button, and the focus stays on it after each move.
	v, err := sw.db.Vacancy(ctx, sw.request1.VacancyID)
	if err != nil {
		t.Fatal(err)
	}
	licence := itoa(v.Requirements[0].ID)
	webtest.Eval[bool](op, `(document.getElementById('down-`+licence+`').focus(), true)`)
	op.Navigating(func() { op.Keys(webtest.KeyEnter) })
	if got := op.Focused(); got != "#down-"+licence {
		t.Fatalf("after the move the focus is on %q", got)
	}
	op.Has("Requisito spostato: «Patente B» è ora al posto 2.")
	op.Navigating(func() { op.Keys(webtest.KeyEnter) })
	op.Has("Requisito spostato: «Patente B» è ora al posto 3.")
	v, err = sw.db.Vacancy(ctx, sw.request1.VacancyID)
	if err != nil {
		t.Fatal(err)
	}
	if kinds := []matching.RequirementKind{v.Requirements[0].Kind, v.Requirements[1].Kind, v.Requirements[2].Kind, v.Requirements[3].Kind}; !slices.Equal(kinds,
		[]matching.RequirementKind{matching.ReqOccupation, matching.ReqLanguage, matching.ReqLicence, matching.ReqDistance}) {
		t.Fatalf("the order is %v", kinds)
	}
	op.Screenshot("reordered")

	// The close form offers only the reasons of the chosen outcome.
	op.Tap(`details.wb-close summary`)
	op.Select("#outcome", "cancelled")
	webtest.Eval[bool](op, `(document.getElementById('outcome').dispatchEvent(new Event('change')), true)`)
	if hidden := webtest.Eval[bool](op, `document.querySelector('#close_reason option[value="hired"]').hidden`); !hidden {
		t.Error("the reason «hired» is offered with the outcome «cancelled»")
	}
	if hidden := webtest.Eval[bool](op, `document.querySelector('#close_reason option[value="duplicate"]').hidden`); hidden {
		t.Error("the reason «duplicate» is not offered with the outcome «cancelled»")
	}
	// Closing without a note while the time is under the standard: the
	// error is by the note, the choice kept.
	op.Select("#outcome", "not_filled")
	op.Select("#close_reason", "no_suitable_candidates")
	op.Click(`details.wb-close button[type="submit"]`)
	if status := op.Status(); status != 422 {
		t.Fatalf("closing without the note answered %d", status)
	}
	op.Has("Nota: il tempo registrato è sotto lo standard (4C: 45 min su almeno 4 h): giustifica la chiusura nella nota.")
	if v := op.Value("#outcome"); v != "not_filled" {
		t.Errorf("the outcome was not kept: %q", v)
	}
	op.Tap(`details.wb-add-req summary`)
	op.Screenshot("close-error")

	// Requirements ranked, then the match.
	op.Click(`#to-requirements_ranked`)
	op.Has("Richiesta portata a: Requisiti ordinati.")
	op.Click(`.request-tabs a[href$="/abbinamento"]`)
	op.Has("Nessun abbinamento ancora eseguito")
	op.Click(`#run-match`)
	op.Has("Abbinamento eseguito:", "Carla Cucina", "Quasi in linea", "Walter Sala", "Manca: Tedesco almeno B2")
	if strings.Contains(op.Text(), "Paola Privata") {
		t.Error("a candidate who did not consent is listed")
	}
	op.Tap(`#cand-` + itoa(sw.cook.ID) + ` details summary`)
	op.Has("Soddisfatto", "Dal CV", "Tedesco almeno B2")
	looksLikeBootstrapItalia(t, op)
	op.Screenshot("match-results")

	op.Click(`#cand-` + itoa(sw.cook.ID) + ` button.wb-add`)
	op.Has("Carla Cucina aggiunto ai candidati della richiesta.", "Già tra i candidati")
	rows, err := sw.db.PipelineRows(ctx, sw.request1.ID, "", store.ByEntered)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rows, func(r store.PipelineRow) bool {
		return r.CandidateID != nil && *r.CandidateID == sw.cook.ID && r.MatchRunID != nil
	}) {
		t.Fatalf("the cook is not in the pipeline: %+v", rows)
	}
	op.Screenshot("added")
	op.NoProblems()
}
