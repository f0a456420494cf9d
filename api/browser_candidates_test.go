package api_test

import (
	"fmt"
	"strings"
	"testing"

	"incontro/webtest"
)

func TestBrowserOperatorSearchesCandidates(t *testing.T) {
	requireAssets(t)
	sw := newSearchWorld(t)
	b := webtest.Start(t, sw.ts.URL)
	op := b.NewTab(t, "operator")
	signInByKeyboard(t, op, sw.users[operatorA].Email, testPassword)
	op.Click(`a.nav-link[href="/operatore/candidati"]`)
	op.Has("Ricerca candidati", "Candidati trovati: 5", "Filtri", "Professione")
	looksLikeBootstrapItalia(t, op)

	// Free text, submitted with Enter.
	op.Fill("#q", "cuoco")
	op.Navigating(func() { op.Keys(webtest.KeyEnter) })
	op.Has("Candidati trovati: 2", "Sviluppatore software, cuoco per passione", "Dove corrisponde")
	if n := webtest.Eval[int](op, `document.querySelectorAll('.hit-highlights mark').length`); n == 0 {
		t.Error("no highlighted match")
	}

	// A facet ticked with the keyboard: focus the box, Space, then the filters' button.
	box := `input[name="occupation_group"][value="51"]`
	webtest.Eval[bool](op, `(document.querySelector('`+box+`').focus(), true)`)
	op.Keys(" ")
	if !webtest.Eval[bool](op, `document.querySelector('`+box+`').checked`) {
		t.Fatal("Space did not tick the facet")
	}
	op.Screenshot("facet-focused")
	op.Click(".facets-apply")
	op.Has("Candidati trovati: 1", "Cuoca di ristorante")
	if !webtest.Eval[bool](op, `document.querySelector('`+box+`').checked`) {
		t.Error("the facet is not ticked after the search")
	}

	// A radius around a municipality typed by name (the list suggests it).
	op.Fill("#near", "Trento")
	op.Fill("#radius_km", "5")
	op.Navigating(func() { op.Keys(webtest.KeyEnter) })
	op.Has("Candidati trovati: 1", "Cuoca di ristorante", "a 0,0 km", "Distanza")
	if got := op.Value("#near"); got != "Trento" {
		t.Errorf("the place was not kept: %q", got)
	}
	op.Screenshot("search-with-facets")

	// A place that is not a municipality comes back next to its field.
	op.Fill("#near", "Atlantide")
	op.Navigating(func() { op.Keys(webtest.KeyEnter) })
	if st := op.Status(); st != 422 {
		t.Errorf("an unknown place answered %d", st)
	}
	op.Has("Correggi questi errori:", "Vicino al comune: non è un comune: scegline uno dall'elenco.")
	if got := op.Focused(); !strings.HasPrefix(got, "div") {
		t.Errorf("the focus is on %q, want the error summary", got)
	}
	op.Screenshot("search-error")
	op.Fill("#near", "Trento")
	op.Navigating(func() { op.Keys(webtest.KeyEnter) })

	// The candidate's page: the CV, and the operator among its readers.
	op.Click(fmt.Sprintf(`#hit-%d h3 a`, sw.cook.ID))
	if got := op.Path(); got != fmt.Sprintf("/operatore/candidati/%d", sw.cook.ID) {
		t.Fatalf("the candidate page is %s", got)
	}
	op.Has("Carla Cucina", "carla.cucina@example.org", "Esperienze di lavoro", "Chi ha consultato questo CV",
		"Utente operatorA (tu)", "Consultazione dalla scrivania", "Centro per l'impiego A")
	op.Screenshot("candidate")
	if n := len(sw.cvReads(sw.cook.ID)); n != 1 {
		t.Errorf("reads audited: %d, want 1", n)
	}

	// Added to one of the provider's open requests, found by search.
	op.Select("#request_id", fmt.Sprint(sw.request1.ID))
	op.Fill("#note", "profilo interessante")
	op.Click(`form[action$="/pipeline"] button[type="submit"]`)
	op.Has(fmt.Sprintf("Candidato aggiunto alla richiesta n. %d", sw.request1.ID),
		fmt.Sprintf("Consultato per la richiesta n. %d.", sw.request1.ID))
	op.Screenshot("candidate-added")
	if n := len(sw.cvReads(sw.cook.ID)); n != 2 {
		t.Errorf("reads audited: %d, want 2", n)
	}
	op.NoProblems()
}
