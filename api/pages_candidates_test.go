package api_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"incontro/matching"
)

// hitIDs are the candidates a result page lists, in order.
var hitID = regexp.MustCompile(`<li class="candidate-hit" id="hit-([0-9]+)">`)

func hitsOf(p page) []string {
	var out []string
	for _, m := range hitID.FindAllStringSubmatch(p.body, -1) {
		out = append(out, m[1])
	}
	return out
}

func ids(cs ...matching.Candidate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = fmt.Sprint(c.ID)
	}
	return out
}

func sameIDs(got, want []string) bool {
	return strings.Join(got, ",") == strings.Join(want, ",")
}

var nextLink = regexp.MustCompile(`href="([^"]+)" rel="next"`)

func TestTheCandidateSearchPage(t *testing.T) {
	sw := newSearchWorld(t)
	b := sw.browser()
	b.signIn(operatorA)

	t.Run("every presentable candidate with the facets and their counts, no names", func(t *testing.T) {
		p := b.get("/operatore/candidati")
		if p.status != http.StatusOK {
			t.Fatalf("%d %s", p.status, p.body)
		}
		p.has(t, "Ricerca candidati", "Candidati trovati: 5", "Risultati da 1 a 5 di 5", "Filtri",
			"Professione", "Comune di residenza", "Disponibilità", "Anni di esperienza",
			// Two candidates in sub-major group 51 (the cook and the waiter).
			`name="occupation_group" value="51">`, `Professioni nei servizi alle persone <span class="facet-count">(2)</span>`,
			`name="municipality" value="022205">`, `Trento <span class="facet-count">(`,
			`<datalist id="municipality-list">`, `<option value="Pergine Valsugana">`,
			`aria-current="page"`)
		p.lacks(t, "Carla", "Cucina", "carla.cucina@example.org", "Paola", "Privata")
		if got := hitsOf(p); len(got) != 5 {
			t.Errorf("hits %v", got)
		}
	})

	t.Run("every word is required; when no CV holds them all, the page offers any of them", func(t *testing.T) {
		p := b.get("/operatore/candidati?q=cuoco+cameriere&near=Trento&radius_km=100")
		p.has(t, "Candidati trovati: 0", "Nessun CV contiene tutte le parole cercate.",
			`id="any-word-link" href="/operatore/candidati?near=Trento&amp;q=cuoco&#43;cameriere&amp;radius_km=100&amp;words=any"`)
		p = b.get("/operatore/candidati?q=cuoco+cameriere&near=Trento&radius_km=100&words=any")
		p.has(t, `name="words" value="any" checked`)
		p.lacks(t, "Nessun CV contiene tutte le parole cercate.")
		if got := hitsOf(p); !sameIDs(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(ids(sw.cook, sw.waiter, sw.dev)))) {
			t.Errorf("any word: hits %v, want the cook, the waiter and the developer", got)
		}
	})

	t.Run("free text with its highlights", func(t *testing.T) {
		p := b.get("/operatore/candidati?q=cuoca")
		p.has(t, "Candidati trovati: 1", `<mark>Cuoca</mark>`, `value="cuoca"`, "Disponibile dal 01/12/2026",
			"Tedesco B2", "Italiano madrelingua", "Patenti: B", "Può essere presentato con nome e contatti",
			fmt.Sprintf(`href="/operatore/candidati/%d"`, sw.cook.ID))
		if got := hitsOf(p); !sameIDs(got, ids(sw.cook)) {
			t.Errorf("hits %v, want the cook", got)
		}
	})

	t.Run("a ticked facet filters and stays ticked", func(t *testing.T) {
		p := b.get("/operatore/candidati?occupation_group=51&sort=freshness")
		p.has(t, "Candidati trovati: 2", `name="occupation_group" value="51" checked>`)
		if got := hitsOf(p); len(got) != 2 || !strings.Contains(strings.Join(got, ","), fmt.Sprint(sw.waiter.ID)) {
			t.Errorf("hits %v", got)
		}
		// The facet is counted without its own filter: the other groups remain choosable.
		p.has(t, `name="occupation_group" value="25">`)
	})

	t.Run("a radius around a municipality typed by name", func(t *testing.T) {
		p := b.get("/operatore/candidati?" + url.Values{"near": {"pergine valsugana"}, "radius_km": {"15"}}.Encode())
		if p.status != http.StatusOK {
			t.Fatalf("%d %s", p.status, p.body)
		}
		// Pergine first, Trento's two 9.6 km away; sorted by distance.
		if got := hitsOf(p); !sameIDs(got[:1], ids(sw.dev)) || len(got) != 3 {
			t.Errorf("hits %v, want the developer first then Trento's two", got)
		}
		p.has(t, `value="pergine valsugana"`, `value="15"`, "Distanza", `<span class="hit-distance">a 0,0 km</span>`, `<span class="hit-distance">a 9,6 km</span>`, "0–10 km")
	})

	t.Run("pages with the total, next and first", func(t *testing.T) {
		p := b.get("/operatore/candidati?sort=freshness&size=2")
		p.has(t, "Candidati trovati: 5", "Risultati da 1 a 2 di 5", `rel="next"`)
		p.lacks(t, `rel="first"`)
		seen := hitsOf(p)
		for _, want := range []string{"Risultati da 3 a 4 di 5", "Risultati da 5 a 5 di 5"} {
			m := nextLink.FindStringSubmatch(p.body)
			if m == nil {
				t.Fatalf("no next page before %q", want)
			}
			p = b.get(html.UnescapeString(m[1]))
			p.has(t, want, `rel="first"`, `<option value="freshness" selected>`)
			seen = append(seen, hitsOf(p)...)
		}
		p.lacks(t, `rel="next"`)
		all := hitsOf(b.get("/operatore/candidati?sort=freshness&size=200"))
		if !sameIDs(seen, all) {
			t.Errorf("paged %v, one page %v", seen, all)
		}
	})

	t.Run("bad input comes back next to its field, kept", func(t *testing.T) {
		for query, want := range map[string][]string{
			"q=cuoco&near=Atlantide":  {`value="Atlantide"`, `value="cuoco"`, `aria-invalid="true"`, `id="near-error">Vicino al comune: non è un comune: scegline uno dall&#39;elenco.`},
			"radius_km=5":             {`value="5"`, `id="radius_km-error">Raggio (km): serve un comune intorno a cui cercare.`},
			"near=Trento&radius_km=0": {`value="Trento"`, `id="radius_km-error">Raggio (km): deve essere una distanza in km, più di 0 e al massimo 1000.`},
			"sort=distance":           {`id="sort-error">Ordina per: per ordinare per distanza serve un comune.`},
			"availability=soon":       {`id="availability-error">Disponibilità: `, `name="availability" value="soon" checked>`},
		} {
			p := b.get("/operatore/candidati?" + query)
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d, want 422", query, p.status)
			}
			p.has(t, append(want, "Correggi questi errori:")...)
			p.lacks(t, `class="candidate-hit"`)
		}
	})

	t.Run("a protected attribute is refused with the API's message", func(t *testing.T) {
		p := b.get("/operatore/candidati?" + url.Values{"q": {"cuoco sex:F"}}.Encode())
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("%d", p.status)
		}
		p.has(t, `value="cuoco sex:F"`, `id="q-error">Ricerca rifiutata: incontro non cerca né filtra mai per attributi protetti. Testo libero: &#34;sex&#34; is a protected attribute`)
		p.lacks(t, `class="candidate-hit"`)
		// A parameter of its own: the refusal heads the form.
		p = b.get("/operatore/candidati?q=cuoco&birth_date=1990-01-01")
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("%d", p.status)
		}
		p.has(t, "Correggi questi errori:", "Ricerca rifiutata", `&#34;birth_date&#34; is a protected attribute`, `value="cuoco"`)
	})

	t.Run("a search for a request carries it to the candidates", func(t *testing.T) {
		p := b.get(fmt.Sprintf("/operatore/candidati?q=cuoca&richiesta=%d", sw.request1.ID))
		p.has(t, fmt.Sprintf("Ricerca per la richiesta n. %d", sw.request1.ID),
			fmt.Sprintf(`href="/operatore/candidati/%d?richiesta=%d"`, sw.cook.ID, sw.request1.ID),
			fmt.Sprintf(`<input type="hidden" name="richiesta" value="%d">`, sw.request1.ID))
	})

	t.Run("English", func(t *testing.T) {
		p := b.get("/operatore/candidati?q=cuoca&lang=en")
		p.has(t, "Candidate search", "Candidates found: 1", "Available from 1 Dec 2026", "German B2")
	})
}

func TestTheCandidateSearchPageIsForStaff(t *testing.T) {
	sw := newSearchWorld(t)
	for actor, want := range map[string]int{monitor: 200, operatorB: 200, admin: 403, employer1: 403, jobseeker1: 403, anonymous: 401} {
		b := sw.browser()
		if actor != anonymous {
			b.signIn(actor)
		}
		p := b.get("/operatore/candidati?q=cuoca")
		if p.status != want {
			t.Errorf("%s: %d, want %d", actor, p.status, want)
		}
		if want != 200 && strings.Contains(p.body, "candidate-hit") {
			t.Errorf("%s sees results", actor)
		}
	}
}

func TestTheCandidateSearchPageWithoutAnIndex(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	b.signIn(operatorA)
	p := b.get("/operatore/candidati?q=cuoca")
	if p.status != http.StatusServiceUnavailable {
		t.Fatalf("%d", p.status)
	}
	p.has(t, "Ricerca non disponibile", "Questo server non ha l&#39;indice dei CV")
	p.lacks(t, `<form method="get" action="/operatore/candidati"`)
}

func TestTheCandidatePage(t *testing.T) {
	sw := newSearchWorld(t)
	ctx := context.Background()
	born := time.Date(1987, 3, 14, 0, 0, 0, 0, time.UTC)
	if err := sw.db.SetProtected(ctx, &matching.Protected{CandidateID: sw.cook.ID, BirthDate: &born, Sex: "F", Citizenship: "MA",
		Disability: true, L68Category: "art1", L68RegisteredOn: &born}); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/operatore/candidati/%d", sw.cook.ID)
	b := sw.browser()
	b.signIn(operatorA)

	p := b.get(path)
	if p.status != http.StatusOK {
		t.Fatalf("%d %s", p.status, p.body)
	}
	p.has(t, "<h1>Carla Cucina</h1>", "Cuoca di ristorante", `href="mailto:carla.cucina@example.org"`, "0461 000001", "Trento",
		"Disponibile dal 01/12/2026", "Tedesco B2", "B – autovetture", "Cuoca", "dal 01/06/2016",
		"Accetta di essere cercato", "Questa consultazione è stata registrata (finalità: Consultazione dalla scrivania).",
		"Chi ha consultato questo CV", "Consultazioni: 1.", "Utente operatorA <span class=\"small\">(tu)</span>", "Centro per l&#39;impiego A")
	p.lacks(t, "14/03/1987", "1987-03-14", "art1", "Marocco", ">MA<", "disabilit\u00e0:")
	reads := sw.cvReads(sw.cook.ID)
	if len(reads) != 1 || reads[0].RequestID != nil || !strings.Contains(string(reads[0].Detail), `"workbench"`) ||
		reads[0].UserID == nil || *reads[0].UserID != sw.users[operatorA].ID {
		t.Fatalf("audited reads %+v", reads)
	}

	// For a request of the operator's provider: one more read, with the request.
	sw.clock.Advance(time.Minute)
	p = b.get(fmt.Sprintf("%s?richiesta=%d", path, sw.request1.ID))
	p.has(t, fmt.Sprintf("Consultato per la richiesta n. %d.", sw.request1.ID), "Consultazioni: 2.", fmt.Sprintf("<td>n. %d</td>", sw.request1.ID),
		fmt.Sprintf(`href="/operatore/candidati?richiesta=%d"`, sw.request1.ID))
	reads = sw.cvReads(sw.cook.ID)
	if len(reads) != 2 || reads[0].RequestID == nil || *reads[0].RequestID != sw.request1.ID || !strings.Contains(string(reads[0].Detail), `"workbench"`) {
		t.Fatalf("audited reads %+v", reads)
	}

	// Another provider's request, or no request at all: refused, not audited.
	for _, q := range []string{fmt.Sprintf("?richiesta=%d", sw.request2.ID), "?richiesta=999999", "?richiesta=abc"} {
		if p := b.get(path + q); p.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", q, p.status)
		}
	}
	if n := len(sw.cvReads(sw.cook.ID)); n != 2 {
		t.Errorf("refused reads were audited: %d reads", n)
	}

	// The monitor reads too, audited; operator B (the shared pool) as well.
	for _, actor := range []string{monitor, operatorB} {
		mb := sw.browser()
		mb.signIn(actor)
		if p := mb.get(path); p.status != http.StatusOK {
			t.Errorf("%s: %d", actor, p.status)
		} else {
			p.has(t, sw.users[actor].Name+` <span class="small">(tu)</span>`)
		}
	}
	if n := len(sw.cvReads(sw.cook.ID)); n != 4 {
		t.Errorf("reads %d, want 4", n)
	}

	// Employers (even one the cook was presented to), jobseekers and the admin are refused; nothing is audited.
	for actor, want := range map[string]int{employer1: 403, jobseeker1: 403, admin: 403, anonymous: 401} {
		xb := sw.browser()
		if actor != anonymous {
			xb.signIn(actor)
		}
		if p := xb.get(path); p.status != want {
			t.Errorf("%s: %d, want %d", actor, p.status, want)
		}
		if p := xb.get(fmt.Sprintf("/operatore/candidati/%d", sw.candidate1.ID)); p.status != want {
			t.Errorf("%s on candidate 1: %d, want %d", actor, p.status, want)
		}
	}
	if n := len(sw.cvReads(sw.cook.ID)); n != 4 {
		t.Errorf("refused reads were audited: %d", n)
	}
	if p := b.get("/operatore/candidati/999999"); p.status != http.StatusNotFound {
		t.Errorf("an unknown candidate: %d", p.status)
	}
}

func TestAddingACandidateFromTheCandidatePage(t *testing.T) {
	sw := newSearchWorld(t)
	ctx := context.Background()
	path := fmt.Sprintf("/operatore/candidati/%d", sw.cook.ID)
	b := sw.browser()
	b.signIn(operatorA)
	p := b.get(path)
	p.has(t, "Aggiungi a una richiesta", fmt.Sprintf(`<option value="%d">n. %d · `, sw.request1.ID, sw.request1.ID))
	p.lacks(t, fmt.Sprintf(`<option value="%d">`, sw.request2.ID))
	inPipeline := func() int {
		rows, err := sw.db.PipelineRows(ctx, sw.request1.ID, "", "")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range rows {
			if r.CandidateID != nil && *r.CandidateID == sw.cook.ID {
				n++
				if r.Source != matching.SourceSearch {
					t.Errorf("source %s", r.Source)
				}
			}
		}
		return n
	}

	t.Run("refused input comes back next to the field, nothing added", func(t *testing.T) {
		for form, want := range map[string]string{
			"":                         `id="request_id-error">Richiesta: è obbligatorio.`,
			fmt.Sprint(sw.request2.ID): `id="request_id-error">Richiesta: non è una richiesta del tuo ente.`,
			"999999":                   `id="request_id-error">Richiesta: non è una richiesta del tuo ente.`,
		} {
			p := b.post(path+"/pipeline", url.Values{"request_id": {form}, "note": {"da risentire"}})
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("%q: %d, want 422", form, p.status)
			}
			p.has(t, want, `value="da risentire"`, "Carla Cucina")
		}
		if n := inPipeline(); n != 0 {
			t.Errorf("added %d times", n)
		}
	})

	t.Run("added with source search, then refused as a duplicate", func(t *testing.T) {
		p := b.post(path+"/pipeline", url.Values{"request_id": {fmt.Sprint(sw.request1.ID)}, "note": {"vista in ricerca"}})
		if p.status != http.StatusSeeOther || p.location != fmt.Sprintf("%s?richiesta=%d", path, sw.request1.ID) {
			t.Fatalf("%d to %q: %s", p.status, p.location, p.body)
		}
		p = b.get(p.location)
		p.has(t, fmt.Sprintf("Candidato aggiunto alla richiesta n. %d", sw.request1.ID))
		if n := inPipeline(); n != 1 {
			t.Fatalf("in the pipeline %d times", n)
		}
		p = b.post(path+"/pipeline", url.Values{"request_id": {fmt.Sprint(sw.request1.ID)}})
		if p.status != http.StatusConflict {
			t.Errorf("a second add: %d", p.status)
		}
		p.has(t, `id="request_id-error">Richiesta: `, fmt.Sprintf(`<option value="%d" selected>`, sw.request1.ID))
		if n := inPipeline(); n != 1 {
			t.Errorf("in the pipeline %d times", n)
		}
	})

	t.Run("only operators add", func(t *testing.T) {
		for actor, want := range map[string]int{monitor: 403, employer1: 403, jobseeker1: 403} {
			xb := sw.browser()
			xb.signIn(actor)
			if p := xb.post(fmt.Sprintf("/operatore/candidati/%d/pipeline", sw.dev.ID), url.Values{"request_id": {fmt.Sprint(sw.request1.ID)}}); p.status != want {
				t.Errorf("%s: %d, want %d", actor, p.status, want)
			}
		}
		mb := sw.browser()
		mb.signIn(monitor)
		mb.get(path).lacks(t, "Aggiungi a una richiesta")
	})
}
