package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"incontro/matching"
	"incontro/store"
)

// The workbench's pages: the queue, the request page and the match page,
// each through its forms as a browser posts them.

func TestTheQueueShowsTheProvidersRequestsWithBadgesAndFilters(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	b.signIn(operatorA)
	p := b.get("/operatore")
	if p.status != http.StatusOK {
		t.Fatalf("queue: %d", p.status)
	}
	// Request 1 is provider A's: 45 minutes of 4C, its vacancy, its employer.
	p.has(t, "Scrivania dell&#39;operatore", "Richieste trovate: 1", `href="/operatore/richieste/`+itoa(w.request1.ID)+`">Offerta 1</a>`,
		"Hotel Uno", "Rosa presentata", "Utente operatorA", "4C: 45 min / 4 h–8 h · sotto lo standard", `wb-hours-under`)
	p.lacks(t, "Offerta 2", "Trasporti Due")

	t.Run("the filters narrow the list and are kept in the form", func(t *testing.T) {
		p := b.get("/operatore?state=closed&q=Offerta")
		p.has(t, "Richieste trovate: 0", "Nessuna richiesta corrisponde al filtro.", `<option value="closed" selected>`, `value="Offerta"`)
		p = b.get("/operatore?status=shortlist_presented&mine=true")
		p.has(t, "Richieste trovate: 1", `<option value="shortlist_presented" selected>`, `<option value="true" selected>`)
		p = b.get("/operatore?q=Cuoco")
		p.has(t, "Richieste trovate: 0")
	})
	t.Run("a filter typed by hand shows its error by the field and the whole queue", func(t *testing.T) {
		p := b.get("/operatore?status=sleeping")
		if p.status != http.StatusOK {
			t.Fatalf("status %d", p.status)
		}
		p.has(t, `id="f-status-error">Stato: `, `aria-invalid="true" aria-describedby="f-status-error"`, "Richieste trovate: 1")
	})
	t.Run("badges: flagged wording, expired availability, feedback reminder", func(t *testing.T) {
		ctx := context.Background()
		v, err := w.db.Vacancy(ctx, w.vacancy1.ID)
		if err != nil {
			t.Fatal(err)
		}
		v.Description = "Cerchiamo un cameriere di bella presenza, età massima 30 anni."
		if err := w.db.UpdateVacancy(ctx, &v); err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(16 * matching.Day)
		b.signIn(operatorA) // the session has expired meanwhile
		p := b.get("/operatore")
		p.has(t, "Formulazione da rivedere", "Sollecitare il riscontro")
		w.clock.Advance(30 * matching.Day)
		b.signIn(operatorA)
		b.get("/operatore").has(t, "Nessun riscontro: proporre la chiusura")
	})
	t.Run("in English", func(t *testing.T) {
		b.get("/operatore?lang=en").has(t, "Operator&#39;s workbench", "Requests found: 1", "Shortlist presented", "under the standard")
	})
}

func TestTheQueuePages(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	op := store.Actor{UserID: w.users[operatorA].ID, Role: matching.RoleOperator}
	for i := range 26 {
		v := newVacancy(t, w, fmt.Sprintf("Offerta in coda %d", i))
		r := matching.Request{ProviderID: w.providerA.ID, EmployerID: w.employer1.ID, VacancyID: v.ID, OperatorID: &op.UserID}
		if err := w.db.OpenRequest(ctx, &r, op); err != nil {
			t.Fatal(err)
		}
	}
	b := w.browser()
	b.signIn(operatorA)
	p := b.get("/operatore?state=open")
	p.has(t, "Richieste trovate: 27", "Richieste da 1 a 25 di 27", `href="/operatore?offset=25&amp;state=open" rel="next"`)
	p = b.get("/operatore?offset=25&state=open")
	p.has(t, "Richieste da 26 a 27 di 27", `href="/operatore?state=open" rel="prev"`)
	p.lacks(t, `rel="next"`)
}

// newVacancy writes a draft vacancy of employer 1.
func newVacancy(t *testing.T, w *world, title string) matching.Vacancy {
	t.Helper()
	v := matching.Vacancy{EmployerID: w.employer1.ID, Title: title, MunicipalityCode: w.employer1.MunicipalityCode,
		ContractType: "permanent", Requirements: []matching.Requirement{{Rank: 1, Kind: matching.ReqLicence, Code: "B"}}}
	if err := w.db.CreateVacancy(context.Background(), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestTheNewRequestForm(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	b.signIn(operatorA)
	b.get("/operatore").has(t, "Nessuna offerta senza richiesta dei datori serviti dal tuo ente.")
	v3 := newVacancy(t, w, "Offerta 3")
	p := b.get("/operatore")
	p.has(t, `<form method="post" action="/operatore/richieste"`, `<option value="`+itoa(v3.ID)+`">Hotel Uno — Offerta 3</option>`)
	p.lacks(t, "Hotel Uno — Offerta 1", "Trasporti Due — Offerta 2")

	t.Run("without a vacancy the form comes back with the error by the field and the input kept", func(t *testing.T) {
		p := b.post("/operatore/richieste", url.Values{"vacancy_id": {""}, "with_4d": {"true"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", p.status)
		}
		p.has(t, `id="vacancy_id-error">Offerta: è obbligatorio.</div>`, `id="with_4d" name="with_4d" value="true" checked`, "error-summary")
	})
	t.Run("another provider's employer's vacancy is refused by the field", func(t *testing.T) {
		p := b.post("/operatore/richieste", url.Values{"vacancy_id": {itoa(w.vacancy2.ID)}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", p.status)
		}
		p.has(t, `id="vacancy_id-error">Offerta: non è un&#39;offerta di un datore servito dal tuo ente.</div>`)
	})
	t.Run("a request opens and its page follows", func(t *testing.T) {
		p := b.post("/operatore/richieste", url.Values{"vacancy_id": {itoa(v3.ID)}, "with_4d": {"true"}})
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/operatore/richieste/") {
			t.Fatalf("answered %d to %q: %s", p.status, p.location, p.body)
		}
		page := b.get(p.location)
		page.has(t, "Richiesta aperta per «Offerta 3».", "<h1 class=\"h2\">Offerta 3</h1>", "Accoglienza", "· 4D")
		reqs, _, err := w.db.RequestQueue(context.Background(), store.RequestFilter{ProviderID: w.providerA.ID, Status: matching.StatusIntake})
		if err != nil || len(reqs) != 1 || !reqs[0].With4D || *reqs[0].OperatorID != w.users[operatorA].ID {
			t.Fatalf("the new request: %+v %v", reqs, err)
		}
	})
}

func TestTheWorkbenchIsTheOperatorsAlone(t *testing.T) {
	w := newWorld(t)
	paths := []string{"/operatore", "/operatore/richieste/" + itoa(w.request1.ID), "/operatore/richieste/" + itoa(w.request1.ID) + "/abbinamento"}
	for _, actor := range []string{employer1, jobseeker1} {
		b := w.browser()
		b.signIn(actor)
		for _, path := range paths {
			if p := b.get(path); p.status != http.StatusForbidden {
				t.Errorf("%s opened %s: %d", actor, path, p.status)
			}
		}
		b.get("/datore") // a page with the session's token for the posts
		for _, path := range []string{"/operatore/richieste", paths[1] + "/stato", paths[1] + "/requisiti", paths[2], paths[2] + "/candidati"} {
			if p := b.post(path, url.Values{"to": {"closed"}}); p.status != http.StatusForbidden {
				t.Errorf("%s posted to %s: %d", actor, path, p.status)
			}
		}
	}
	b := w.browser()
	b.signIn(operatorB)
	for _, path := range paths[1:] {
		if p := b.get(path); p.status != http.StatusNotFound {
			t.Errorf("operator B opened another provider's %s: %d", path, p.status)
		}
	}
}

func TestTheRequestPageMovesTheRequestAlongItsLifeCycle(t *testing.T) {
	w := newWorld(t, inIntake())
	b := w.browser()
	b.signIn(operatorA)
	path := "/operatore/richieste/" + itoa(w.request1.ID)
	p := b.get(path)
	if p.status != http.StatusOK {
		t.Fatalf("request page: %d", p.status)
	}
	p.has(t, "<h1 class=\"h2\">Offerta 1</h1>", "Hotel Uno", "Centro per l&#39;impiego A", "Utente operatorA", "Accoglienza",
		`aria-label="Sezioni della richiesta"`, `href="`+path+`/abbinamento"`, `href="`+path+`/candidati"`, `href="`+path+`/rosa"`, `href="`+path+`/tempo"`,
		`id="to-requirements_ranked"`, "Porta a: Requisiti ordinati", "Chiudi la richiesta", "Storia degli stati",
		"Patente B", "Peso: <strong>100%</strong>", "Il testo dell&#39;offerta non ha formulazioni da rivedere.")
	p.lacks(t, `id="to-searching"`)

	p = b.post(path+"/stato", url.Values{"to": {"requirements_ranked"}})
	if p.status != http.StatusSeeOther || p.location != path {
		t.Fatalf("transition answered %d to %q: %s", p.status, p.location, p.body)
	}
	p = b.get(path)
	p.has(t, "Richiesta portata a: Requisiti ordinati.", `<span class="wb-status wb-status-requirements_ranked">Requisiti ordinati</span>`,
		"Accoglienza → <strong>Requisiti ordinati</strong>", "— Utente operatorA", `id="to-searching"`, `id="to-intake"`)

	t.Run("an unmet precondition is said at the top and nothing moves", func(t *testing.T) {
		p := b.post(path+"/stato", url.Values{"to": {"contacting"}})
		if p.status != http.StatusConflict {
			t.Fatalf("status %d, want 409", p.status)
		}
		p.has(t, "error-summary")
		if r, _ := w.db.Request(context.Background(), w.request1.ID); r.Status != matching.StatusRequirementsRanked {
			t.Errorf("the request moved to %s", r.Status)
		}
	})
	t.Run("closing under the standard needs the note, said by the note with the input kept", func(t *testing.T) {
		p := b.post(path+"/stato", url.Values{"to": {"closed"}, "outcome": {"not_filled"}, "close_reason": {"no_suitable_candidates"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422: %s", p.status, p.body)
		}
		p.has(t, `id="note-error">Nota: il tempo registrato è sotto lo standard (4C: 45 min su almeno 4 h): giustifica la chiusura nella nota.</div>`,
			`<option value="not_filled" selected>`, `<option value="no_suitable_candidates" data-outcomes="not_filled" selected>`,
			`<details class="wb-close" open>`)
	})
	t.Run("a reason that does not go with the outcome is said by the reason", func(t *testing.T) {
		p := b.post(path+"/stato", url.Values{"to": {"closed"}, "outcome": {"cancelled"}, "close_reason": {"hired"}, "note": {"prova"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", p.status)
		}
		p.has(t, `id="close_reason-error">Motivo della chiusura: `, `>prova</textarea>`)
	})
	t.Run("with the note the request closes", func(t *testing.T) {
		p := b.post(path+"/stato", url.Values{"to": {"closed"}, "outcome": {"not_filled"}, "close_reason": {"no_suitable_candidates"},
			"note": {"Nessun profilo nel bacino: il datore è informato."}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", p.status, p.body)
		}
		b.get(path).has(t, "Richiesta portata a: Chiusa.", "La richiesta è chiusa.", "Non coperta", "Nessun profilo nel bacino")
	})
}

// setRequirements gives vacancy 1 four requirements.
func setRequirements(t *testing.T, w *world) matching.Vacancy {
	t.Helper()
	ctx := context.Background()
	v, err := w.db.Vacancy(ctx, w.vacancy1.ID)
	if err != nil {
		t.Fatal(err)
	}
	years, km := 3.0, 30
	v.Requirements = []matching.Requirement{
		{Rank: 1, Kind: matching.ReqOccupation, Code: "occ-cuoco", Label: "Cuoco", MinYears: &years},
		{Rank: 2, Kind: matching.ReqLanguage, Code: "de", Level: "B2", Essential: true},
		{Rank: 3, Kind: matching.ReqLicence, Code: "B"},
		{Rank: 4, Kind: matching.ReqDistance, MaxKm: &km},
	}
	if err := w.db.UpdateVacancy(ctx, &v); err != nil {
		t.Fatal(err)
	}
	v, err = w.db.Vacancy(ctx, w.vacancy1.ID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestTheRequirementsEditor(t *testing.T) {
	w := newWorld(t, inIntake())
	v := setRequirements(t, w)
	b := w.browser()
	b.signIn(operatorA)
	path := "/operatore/richieste/" + itoa(w.request1.ID)
	p := b.get(path)
	// ROC weights of four requirements: 52%, 27%, 15%, 6%.
	p.has(t, "Cuoco, almeno 3 anni di esperienza", "Tedesco almeno B2", "Patente B", "Domicilio entro 30 km dal luogo di lavoro",
		"Peso: <strong>52%</strong> · punti: 2,08", "Peso: <strong>27%</strong>", "Peso: <strong>15%</strong>", "Peso: <strong>6%</strong>",
		`name="move" value="down:`+itoa(v.Requirements[0].ID)+`"`, `id="essential-`+itoa(v.Requirements[1].ID)+`" name="essential" value="`+itoa(v.Requirements[1].ID)+`" checked`)
	order := func(v matching.Vacancy) url.Values {
		f := url.Values{}
		for _, r := range v.Requirements {
			f.Add("order", itoa(r.ID))
			if r.Essential {
				f.Add("essential", itoa(r.ID))
			}
		}
		return f
	}
	ids := func() []int64 {
		got, err := w.db.Vacancy(context.Background(), v.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := []int64{}
		for _, r := range got.Requirements {
			out = append(out, r.ID)
		}
		return out
	}
	r := v.Requirements

	t.Run("moving the language up saves the new order and keeps the focus on it", func(t *testing.T) {
		f := order(v)
		f.Set("move", "up:"+itoa(r[1].ID))
		p := b.post(path+"/requisiti", f)
		want := fmt.Sprintf("%s?spostato=%d&verso=up", path, r[1].ID)
		if p.status != http.StatusSeeOther || p.location != want {
			t.Fatalf("answered %d to %q, want %q: %s", p.status, p.location, want, p.body)
		}
		if got := ids(); !slices.Equal(got, []int64{r[1].ID, r[0].ID, r[2].ID, r[3].ID}) {
			t.Fatalf("order %v", got)
		}
		page := b.get(p.location)
		page.has(t, "Requisito spostato: «Tedesco almeno B2» è ora al posto 1.",
			`id="down-`+itoa(r[1].ID)+`" name="move" value="down:`+itoa(r[1].ID)+`" class="btn btn-outline-primary btn-sm wb-down" autofocus`)
	})
	t.Run("marking essential and removing", func(t *testing.T) {
		f := url.Values{"order": {itoa(r[1].ID), itoa(r[0].ID), itoa(r[2].ID), itoa(r[3].ID)}, "essential": {itoa(r[2].ID)}, "remove": {itoa(r[3].ID)}}
		if p := b.post(path+"/requisiti", f); p.status != http.StatusSeeOther {
			t.Fatalf("answered %d: %s", p.status, p.body)
		}
		got, err := w.db.Vacancy(context.Background(), v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Requirements) != 3 || got.Requirements[0].Essential || !got.Requirements[2].Essential || got.Requirements[2].ID != r[2].ID {
			t.Fatalf("requirements %+v", got.Requirements)
		}
		b.get(path).has(t, "Requisito tolto: «Domicilio entro 30 km dal luogo di lavoro».")
	})
	t.Run("adding a requirement: an error by its field with the input kept, then at the end", func(t *testing.T) {
		before := ids()
		p := b.post(path+"/requisiti", url.Values{"add": {"1"}, "new_kind": {"language"}, "new_level": {"B1"}, "new_essential": {"true"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", p.status)
		}
		p.has(t, `id="new-code-error">Codice (professione`, `<option value="language" selected>`, `name="new_level" value="B1"`,
			`id="new-essential" name="new_essential" value="true" checked`, `<details class="wb-add-req mt-3" open>`)
		if got := ids(); !slices.Equal(got, before) {
			t.Fatalf("order %v, was %v", got, before)
		}
		p = b.post(path+"/requisiti", url.Values{"add": {"1"}, "new_kind": {"language"}, "new_code": {"en"}, "new_level": {"B1"}, "order": {itoa(before[0]), itoa(before[1]), itoa(before[2])}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", p.status, p.body)
		}
		got, err := w.db.Vacancy(context.Background(), v.ID)
		if err != nil || len(got.Requirements) != 4 || got.Requirements[3].Code != "en" || got.Requirements[3].Rank != 4 {
			t.Fatalf("requirements %+v %v", got.Requirements, err)
		}
		b.get(path).has(t, "Requisito aggiunto in fondo: «Inglese almeno B1».")
	})
	t.Run("a move naming another vacancy's requirement changes nothing", func(t *testing.T) {
		before := ids()
		p := b.post(path+"/requisiti", url.Values{"move": {"up:999999"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", p.status)
		}
		if got := ids(); !slices.Equal(got, before) {
			t.Errorf("order %v, was %v", got, before)
		}
	})
	t.Run("the wording findings show inline with their state", func(t *testing.T) {
		ctx := context.Background()
		got, _ := w.db.Vacancy(ctx, v.ID)
		got.Description = "Cerchiamo un cuoco di bella presenza."
		if err := w.db.UpdateVacancy(ctx, &got); err != nil {
			t.Fatal(err)
		}
		b.get(path).has(t, "Controllo della formulazione", "Aspetto fisico", "«bella presenza»", "Norma:", "Non ancora giustificata")
	})
	t.Run("in English the requirements and the flash that names one are in English", func(t *testing.T) {
		if p := b.post("/lingua", url.Values{"lang": {"en"}, "next": {path}}); p.status != http.StatusSeeOther {
			t.Fatalf("language: %d", p.status)
		}
		b.get(path).has(t, "German, at least B2", "Cuoco, at least 3 years of experience", "Driving licence B", "English, at least B1")
		got, _ := w.db.Vacancy(context.Background(), v.ID)
		f := order(got)
		f.Set("move", "up:"+itoa(r[2].ID))
		p := b.post(path+"/requisiti", f)
		if p.status != http.StatusSeeOther {
			t.Fatalf("answered %d: %s", p.status, p.body)
		}
		b.get(p.location).has(t, "Requirement moved: “Driving licence B” is now at rank 2.")
	})
}

func TestTheMatchPage(t *testing.T) {
	sw := newMatchWorld(t)
	b := sw.browser()
	b.signIn(operatorA)
	path := "/operatore/richieste/" + itoa(sw.request1.ID) + "/abbinamento"
	p := b.get(path)
	if p.status != http.StatusOK {
		t.Fatalf("match page: %d", p.status)
	}
	p.has(t, "Esegui l&#39;abbinamento", "Nessun abbinamento ancora eseguito", `aria-current="page">Abbinamento</a>`)

	p = b.post(path, nil)
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, path+"?run=") {
		t.Fatalf("run answered %d to %q: %s", p.status, p.location, p.body)
	}
	runs, err := sw.db.MatchRuns(context.Background(), sw.request1.ID)
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs %v %v", runs, err)
	}
	runID := runs[0].ID
	p = b.get(p.location)
	p.has(t, "Abbinamento eseguito:", fmt.Sprintf("Candidati dell&#39;esecuzione n. %d", runID),
		"Carla Cucina", "Quasi in linea", "Walter Sala", "Manca: Tedesco almeno B2", "Soddisfatto", "Non soddisfatto", "Non si sa",
		`<details class="mt-2 wb-explain">`, `name="candidate_id" value="`+itoa(sw.cook.ID)+`"`)
	p.lacks(t, "Paola Privata", "carla.cucina@example.org", "0461")
	if i, j := strings.Index(p.body, "Carla Cucina"), strings.Index(p.body, "Quasi in linea"); i < 0 || i > j {
		t.Error("the cook is not in the ranked list before the near misses")
	}
	actions := sw.auditActions(sw.users[operatorA].ID)
	if !slices.Contains(actions, "match_run") || !slices.Contains(actions, "match_run_read") || slices.Contains(actions, "cv_read") {
		t.Errorf("audit %v: want the run and its read, no CV read", actions)
	}

	t.Run("a candidate joins the pipeline from the run", func(t *testing.T) {
		p := b.post(path+"/candidati", url.Values{"candidate_id": {itoa(sw.cook.ID)}, "match_run_id": {itoa(runID)}})
		if p.status != http.StatusSeeOther || p.location != fmt.Sprintf("%s?run=%d#cand-%d", path, runID, sw.cook.ID) {
			t.Fatalf("answered %d to %q: %s", p.status, p.location, p.body)
		}
		rows, err := sw.db.PipelineRows(context.Background(), sw.request1.ID, "", store.ByEntered)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range rows {
			if r.CandidateID != nil && *r.CandidateID == sw.cook.ID {
				found = r.MatchRunID != nil && *r.MatchRunID == runID && r.Source == matching.SourceSearch && r.Score != nil
			}
		}
		if !found {
			t.Fatalf("the cook is not in the pipeline from run %d: %+v", runID, rows)
		}
		b.get(fmt.Sprintf("%s?run=%d", path, runID)).has(t, "Carla Cucina aggiunto ai candidati della richiesta.", "Già tra i candidati")
	})
	t.Run("twice is an error shown at the top", func(t *testing.T) {
		p := b.post(path+"/candidati", url.Values{"candidate_id": {itoa(sw.cook.ID)}, "match_run_id": {itoa(runID)}})
		if p.status != http.StatusConflict {
			t.Fatalf("status %d, want 409", p.status)
		}
		p.has(t, "error-summary", "Carla Cucina")
	})
	t.Run("another request's run is not found", func(t *testing.T) {
		if p := b.get(fmt.Sprintf("/operatore/richieste/%d/abbinamento?run=%d", sw.request1.ID, runID+1000)); p.status != http.StatusNotFound {
			t.Fatalf("status %d", p.status)
		}
	})
}

func TestTheMatchPageSaysTheExplanationInThePagesLanguage(t *testing.T) {
	sw := newMatchWorld(t)
	b := sw.browser()
	b.signIn(operatorA)
	path := "/operatore/richieste/" + itoa(sw.request1.ID) + "/abbinamento"
	if p := b.post(path, nil); p.status != http.StatusSeeOther {
		t.Fatalf("run answered %d: %s", p.status, p.body)
	}

	t.Run("in English", func(t *testing.T) {
		p := b.get(path + "?lang=en")
		p.has(t, `<html lang="en">`,
			// The requirements in words.
			"Cuoco, at least 3 years of experience", "German, at least B2", "Driving licence B", "Home within 30 km of the workplace",
			// The cook's reasons and proofs.
			"German: B2 (required: B2).", "<li>German: B2</li>", "Driving licence B.", "years as Cuoco (3 years required).",
			// The near miss and the candidate to verify.
			"Missing: German, at least B2", "German is not among the languages listed in the CV.",
			"The CV does not state their level of German: to be verified.", "To verify when contacting: German, at least B2")
		p.lacks(t, "Tedesco", "richiesto", "richiesti", "Patente", "da verificare", " anni", "Abita", "Dichiara")
	})
	t.Run("in Italian, as it always was", func(t *testing.T) {
		p := b.get(path + "?lang=it")
		p.has(t, "Cuoco, almeno 3 anni di esperienza", "Tedesco almeno B2", "Tedesco B2 (richiesto B2).", "<li>Tedesco B2</li>",
			"anni come Cuoco (richiesti 3 anni).", "Manca: Tedesco almeno B2", "Tedesco non risulta tra le lingue dichiarate.",
			"Il CV non indica il livello di tedesco: da verificare.", "Da verificare al contatto: Tedesco almeno B2")
	})
	t.Run("a run stored before explanations had phrases shows its Italian in every language", func(t *testing.T) {
		old := `{"score":1.8,"fit":0.6,"requirements":[{"rank":2,"kind":"language","requirement":"Tedesco almeno B2",` +
			`"essential":true,"weight":0.27,"points":1.08,"evidence":"met","credit":1,"contribution":1.08,` +
			`"reason":"Tedesco B2 (richiesto B2), come da vecchia esecuzione.","proofs":[{"section":"languages","text":"Tedesco B2 (vecchia)"}]}],` +
			`"text_relevance":1,"text_contribution":0.05,"cv_age_days":3,"freshness_contribution":0.02,` +
			`"missing_essentials":[],"unknown_essentials":[],"partly_essentials":[],"to_verify":["Patente B (vecchia)"]}`
		id := sw.cook.ID
		run := matching.MatchRun{RequestID: sw.request1.ID, Params: json.RawMessage(`{}`), Recalled: 1,
			Results: []matching.MatchResult{{CandidateID: &id, Score: 1.8, Explanation: json.RawMessage(old)}}}
		op := store.Actor{UserID: sw.users[operatorA].ID, Role: matching.RoleOperator}
		if err := sw.db.CreateMatchRun(context.Background(), &run, op); err != nil {
			t.Fatal(err)
		}
		p := b.get(fmt.Sprintf("%s?run=%d&lang=en", path, run.ID))
		p.has(t, `<html lang="en">`, "Tedesco almeno B2", "Tedesco B2 (richiesto B2), come da vecchia esecuzione.",
			"<li>Tedesco B2 (vecchia)</li>", "To verify when contacting: Patente B (vecchia)")
	})
}

func TestTheMatchPageWithoutAnIndex(t *testing.T) {
	w := newWorld(t, inIntake())
	b := w.browser()
	b.signIn(operatorA)
	path := "/operatore/richieste/" + itoa(w.request1.ID) + "/abbinamento"
	b.get(path).has(t, "Questo server non ha l&#39;indice dei CV")
	p := b.post(path, nil)
	if p.status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", p.status)
	}
	p.has(t, "<h1>Abbinamento non disponibile</h1>", "Questo server non ha l&#39;indice dei CV", "Errore 503")
}
