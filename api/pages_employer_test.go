package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"incontro/matching"
	"incontro/password"
	"incontro/store"
)

// The employer's portal: the home, the vacancy form with its wording check
// and the request's page with the shortlist, the feedback and the
// withdrawal.

// employerWithoutProvider adds a company that no provider serves yet, with
// its employer account, and returns the account's browser, signed in.
func (w *world) employerWithoutProvider() (*browser, matching.Employer) {
	w.t.Helper()
	ctx := context.Background()
	e := matching.Employer{Name: "Forno Tre", TaxCode: "00000030007", ATECOCode: "10.71.10", MunicipalityCode: "022205",
		Email: "forno.tre@example.org"}
	if err := w.db.CreateEmployer(ctx, &e); err != nil {
		w.t.Fatal(err)
	}
	h, err := password.Hash(testPassword, fastHash)
	if err != nil {
		w.t.Fatal(err)
	}
	u := matching.User{Role: matching.RoleEmployer, EmployerID: &e.ID, Email: "piero@forno-tre.example.org", Name: "Piero Fornaio",
		PasswordHash: h}
	if err := w.db.CreateUser(ctx, &u); err != nil {
		w.t.Fatal(err)
	}
	w.users["employer3"] = u
	b := w.browser()
	b.signIn("employer3")
	return b, e
}

// presentSecondVersion presents a second version of request 1's shortlist:
// Anna Uno by name and Carla Tre, blind as she asked.
func (w *world) presentSecondVersion() (matching.Candidate, matching.PipelineEntry) {
	w.t.Helper()
	c := w.slCandidate("Carla", "Tre", matching.PresentBlind)
	e := w.slEntry(w.request1, c, nil)
	sl, err := presentShortlist(context.Background(), w.db, &w.request1, w.users[operatorA].ID,
		matching.ShortlistItem{EntryID: w.entry1.ID, Mode: "named", Note: "Esperienza in hotel."},
		matching.ShortlistItem{EntryID: e.ID, Mode: "blind", Note: "Disponibile subito."})
	if err != nil {
		w.t.Fatalf("present the second version: %v", err)
	}
	w.shortlist1 = sl
	return c, e
}

// vacancyCount counts the employer's vacancies.
func (w *world) vacancyCount(employerID int64) int {
	w.t.Helper()
	_, n, err := w.db.Vacancies(context.Background(), store.VacancyFilter{EmployerID: employerID})
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// aVacancy is a vacancy form that sends a clean ad with two requirements.
func aVacancy() url.Values {
	return url.Values{
		"title": {"Cuoco/a per ristorante"}, "occupation": {""}, "municipality": {"Trento"}, "contract_type": {"permanent"},
		"working_time": {"full_time", "weekends"}, "weekly_hours": {"40"}, "positions": {"1"},
		"description": {"Cerchiamo una persona per la cucina del nostro ristorante: preparazione dei piatti, ordini, pulizia."},
		"req":         {"0", "1"}, "req-0-kind": {"skill"}, "req-0-value": {"Norme HACCP e igiene alimentare"}, "req-0-essential": {"1"},
		"req-1-kind": {"language"}, "req-1-value": {"de"}, "req-1-level": {"B1"},
		"action": {"send"},
	}
}

// vacancyWith returns a copy of the form with some fields set.
func vacancyWith(form url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

var requestLocation = regexp.MustCompile(`^/datore/richieste/(\d+)$`)

func TestEmployerHome(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	p := b.signIn(employer1)
	req := fmt.Sprintf("/datore/richieste/%d", w.request1.ID)
	p.has(t, "La mia impresa", "Hotel Uno", "Le tue richieste le segue: Centro per l&#39;impiego A.",
		`href="/datore/offerte/nuova"`, "Offerta 1", `href="`+req+`"`, "Rosa di candidati presentata", "Rosa da valutare", "Da fare",
		`<a class="nav-link" href="/datore/offerte/nuova"><span>Nuova offerta</span></a>`)
	p.lacks(t, "Offerta 2", "Trasporti Due")

	t.Run("in English", func(t *testing.T) {
		b.get("/datore?lang=en").has(t, `<html lang="en">`, "My company", "Shortlist presented", "Shortlist to review", "Post a new vacancy")
	})
	t.Run("a reminder is due once the period passes without feedback", func(t *testing.T) {
		w.clock.Advance(16 * 24 * time.Hour)
		defer w.clock.Advance(-16 * 24 * time.Hour)
		later := w.browser() // the session of 16 days ago has expired
		later.signIn(employer1).has(t, "Riscontro in ritardo")
	})
	t.Run("the other employer sees its own request, with nothing to do", func(t *testing.T) {
		o := w.browser()
		p := o.signIn(employer2)
		p.has(t, "Offerta 2", "Ricevuta", "Niente")
		p.lacks(t, "Offerta 1", "Rosa da valutare")
	})
	t.Run("a company without a provider is told it chooses one", func(t *testing.T) {
		nb, _ := w.employerWithoutProvider()
		nb.get("/datore").has(t, "lo scegli quando invii la prima offerta", "Non hai ancora offerte.")
	})
}

func TestEmployerPostsAVacancy(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	b.signIn(employer1)
	before := w.vacancyCount(w.employer1.ID)

	t.Run("the form", func(t *testing.T) {
		p := b.get("/datore/offerte/nuova")
		if p.status != http.StatusOK {
			t.Fatalf("status %d", p.status)
		}
		p.has(t, "Nuova offerta di lavoro", `list="municipality-list"`, `<datalist id="occupation-list">`, `<option value="Trento">`,
			"Controllo del testo", `data-check="/api/v1/vacancies/check"`, "/static/employer.js",
			"La richiesta andrà a: Centro per l&#39;impiego A, che segue la tua impresa.", `name="action" value="send"`, `name="action" value="save"`)
		p.lacks(t, `name="provider_id"`)
		b.get("/datore/offerte/nuova?lang=en").has(t, "New vacancy", "Requirements in order of importance", "Wording check")
	})

	t.Run("errors come back next to their fields with the input kept, nothing saved", func(t *testing.T) {
		form := vacancyWith(aVacancy(), "title", "", "municipality", "Atlantide", "occupation", "astronauta lunare", "weekly_hours", "tante",
			"req-0-value", "Giocoleria")
		p := b.post("/datore/offerte/nuova", form)
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", p.status)
		}
		p.has(t, `id="title-error">Titolo dell&#39;offerta: è obbligatorio.</div>`,
			`id="municipality-error">Comune della sede di lavoro: non è un comune: scegline uno dall&#39;elenco.`,
			`id="occupation-error">Professione: non è una professione dell&#39;elenco`,
			`id="weekly_hours-error">Ore settimanali: deve essere un numero intero.</div>`,
			`id="req-0-value-error">Requisito 1: non è una competenza dell&#39;elenco`,
			`value="Atlantide"`, `value="astronauta lunare"`, `value="Giocoleria"`, `aria-invalid="true"`, "error-summary",
			"Cerchiamo una persona per la cucina")
		if n := w.vacancyCount(w.employer1.ID); n != before {
			t.Fatalf("a refused form saved a vacancy: %d, was %d", n, before)
		}
		b.post("/datore/offerte/nuova?lang=en", vacancyWith(aVacancy(), "title", "")).has(t, `id="title-error">Vacancy title: is required.</div>`)
	})

	t.Run("a requirement's own fields are checked by its kind", func(t *testing.T) {
		p := b.post("/datore/offerte/nuova", vacancyWith(aVacancy(), "req-1-level", ""))
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", p.status)
		}
		p.has(t, `id="req-1-level-error">Requisito 2: scegli il livello`)
	})

	t.Run("the requirement rows move, go and come without scripts", func(t *testing.T) {
		p := b.post("/datore/offerte/nuova", vacancyWith(aVacancy(), "action", "down:0"))
		if p.status != http.StatusOK {
			t.Fatalf("status %d", p.status)
		}
		// The language is first now, the skill second, and the focus is on
		// the moved row's button.
		first := strings.Index(p.body, `name="req-0-kind" value="language"`)
		second := strings.Index(p.body, `name="req-1-kind" value="skill"`)
		if first < 0 || second < 0 || first > second {
			t.Fatalf("the rows were not swapped:\n%s", p.body)
		}
		p.has(t, `id="req-1-up" name="action" value="up:1" class="btn btn-outline-primary btn-sm emp-up" autofocus`,
			`name="req-1-value" value="Norme HACCP e igiene alimentare"`)
		p = b.post("/datore/offerte/nuova", vacancyWith(aVacancy(), "action", "add", "add_kind", "licence"))
		p.has(t, `name="req-2-kind" value="licence"`, `id="req-2-value" name="req-2-value" autofocus`)
		p = b.post("/datore/offerte/nuova", vacancyWith(aVacancy(), "action", "remove:0"))
		p.has(t, `name="req-0-kind" value="language"`)
		p.lacks(t, `name="req-1-kind"`, `name="req-0-value" value="Norme HACCP`)
		p = b.post("/datore/offerte/nuova", vacancyWith(aVacancy(), "action", "add", "add_kind", ""))
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("add without a kind: %d", p.status)
		}
		p.has(t, `id="add_kind-error">Tipo di requisito da aggiungere: è obbligatorio.</div>`)
		if n := w.vacancyCount(w.employer1.ID); n != before {
			t.Fatalf("moving rows saved a vacancy")
		}
	})

	t.Run("a discriminatory ad is not sent: the findings say what to rewrite", func(t *testing.T) {
		form := vacancyWith(aVacancy(), "description", "Cerchiamo cuoca di bella presenza, età massima 30 anni.")
		p := b.post("/datore/offerte/nuova", form)
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", p.status)
		}
		p.has(t, "Il testo contiene passaggi da riscrivere:", "<strong>Età</strong>", "<strong>Aspetto fisico</strong>",
			"<mark>bella presenza</mark>", "Riferimento normativo: D.Lgs. 216/2003", "un&#39;impresa non può giustificarli",
			`id="description-error">Descrizione: ci sono`, "età massima 30 anni")
		if n := w.vacancyCount(w.employer1.ID); n != before {
			t.Fatalf("a flagged ad was saved")
		}
		// Checking runs the same check and saves nothing either.
		p = b.post("/datore/offerte/nuova", vacancyWith(form, "action", "check"))
		if p.status != http.StatusOK {
			t.Fatalf("check: %d", p.status)
		}
		p.has(t, "<mark>bella presenza</mark>", `data-server="1"`)
		b.post("/datore/offerte/nuova", vacancyWith(aVacancy(), "action", "check")).has(t, "Nessun problema trovato nel testo.")
		if n := w.vacancyCount(w.employer1.ID); n != before {
			t.Fatalf("a check saved a vacancy")
		}
	})

	t.Run("a draft is kept, finished and sent", func(t *testing.T) {
		p := b.post("/datore/offerte/nuova", vacancyWith(aVacancy(), "action", "save", "title", "Aiuto cuoco/a"))
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/datore/offerte/") {
			t.Fatalf("save answered %d to %q: %s", p.status, p.location, p.body)
		}
		draft := p.location
		p = b.get(draft)
		p.has(t, "Bozza salvata", "Aiuto cuoco/a", `name="req-0-value" value="Norme HACCP e igiene alimentare"`, `name="req-0-id"`, "nessuno la vede finché non la invii")
		b.get("/datore").has(t, "Aiuto cuoco/a", "Bozza da completare e inviare")
		p = b.post(draft, vacancyWith(aVacancy(), "title", "Aiuto cuoco/a", "req-0-essential", ""))
		if p.status != http.StatusSeeOther || !requestLocation.MatchString(p.location) {
			t.Fatalf("send answered %d to %q: %s", p.status, p.location, p.body)
		}
		b.get(p.location).has(t, "Offerta pubblicata e richiesta inviata a Centro per l&#39;impiego A.", "Aiuto cuoco/a", "Ricevuta",
			"Norme HACCP e igiene alimentare", "Tedesco almeno B1")
		// The draft's page now leads to the request.
		if p2 := b.get(draft); p2.status != http.StatusSeeOther || p2.location != p.location {
			t.Fatalf("the sent draft's page answered %d to %q", p2.status, p2.location)
		}
	})

	t.Run("sent: the vacancy is published and its request opened for the employer's provider", func(t *testing.T) {
		p := b.post("/datore/offerte/nuova", aVacancy())
		m := requestLocation.FindStringSubmatch(p.location)
		if p.status != http.StatusSeeOther || m == nil {
			t.Fatalf("send answered %d to %q: %s", p.status, p.location, p.body)
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		r, err := w.db.Request(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		v, err := w.db.Vacancy(context.Background(), r.VacancyID)
		if err != nil {
			t.Fatal(err)
		}
		if r.ProviderID != w.providerA.ID || r.EmployerID != w.employer1.ID || r.Status != matching.StatusIntake ||
			v.Status != matching.VacancyPublished || v.MunicipalityCode != "022205" || len(v.Requirements) != 2 ||
			v.Requirements[0].Kind != matching.ReqSkill || !v.Requirements[0].Essential || v.Requirements[1].Level != "B1" ||
			len(v.WorkingTime) != 2 || v.WeeklyHours == nil || *v.WeeklyHours != 40 {
			t.Fatalf("request %+v, vacancy %+v", r, v)
		}
		// Operator A finds it in the queue.
		op := w.browser()
		op.signIn(operatorA)
		op.get("/operatore").has(t, "Cuoco/a per ristorante")
	})

	t.Run("a company without a provider chooses one", func(t *testing.T) {
		nb, e := w.employerWithoutProvider()
		nb.get("/datore/offerte/nuova").has(t, `name="provider_id"`, "Agenzia B", "Centro per l&#39;impiego A")
		p := nb.post("/datore/offerte/nuova", aVacancy())
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("no provider chosen: %d", p.status)
		}
		p.has(t, `id="provider_id-error">Servizio per l&#39;impiego: scegli il servizio per l&#39;impiego che seguirà la richiesta.</div>`)
		if n := w.vacancyCount(e.ID); n != 0 {
			t.Fatalf("a vacancy was saved without a provider")
		}
		p = nb.post("/datore/offerte/nuova", vacancyWith(aVacancy(), "provider_id", fmt.Sprint(w.providerB.ID), "with_4d", "true"))
		m := requestLocation.FindStringSubmatch(p.location)
		if p.status != http.StatusSeeOther || m == nil {
			t.Fatalf("send answered %d to %q: %s", p.status, p.location, p.body)
		}
		nb.get(p.location).has(t, "richiesta inviata a Agenzia B", "Preselezione, verifica delle competenze e selezione (4C e 4D)")
		op := w.browser()
		op.signIn(operatorB)
		op.get("/operatore").has(t, "Cuoco/a per ristorante", "Forno Tre")
	})

	t.Run("every kind of requirement has its fields, in both languages", func(t *testing.T) {
		form := vacancyWith(aVacancy(), "action", "up:0") // the first row cannot go up: the form comes back as it is
		form["req"] = nil
		for i, k := range matching.RequirementKinds() {
			form.Add("req", itoa(int64(i)))
			form.Set(fmt.Sprintf("req-%d-kind", i), string(k))
		}
		for _, lang := range []string{"it", "en"} {
			p := b.post("/datore/offerte/nuova?lang="+lang, form)
			if p.status != http.StatusOK {
				t.Fatalf("%s: status %d", lang, p.status)
			}
			p.has(t, `id="req-0-value"`, `id="req-0-years"`, `id="req-1-level"`, `id="req-2-field"`, `id="req-3-level"`, `id="req-4-value"`,
				`id="req-5-value"`, `id="req-6-max_km"`, `id="req-7-from_date"`, `id="req-8-values-nights"`, `id="req-9-values-seasonal"`)
		}
		b.post("/datore/offerte/nuova?lang=en", form).has(t, "B – cars", "B2 – upper intermediate", "Master&#39;s degree", "Night shifts")
	})

	t.Run("a vacancy published without a request asks for the service", func(t *testing.T) {
		v := w.newVacancy(w.employer1, "Portiere di notte", true)
		path := fmt.Sprintf("/datore/offerte/%d", v.ID)
		p := b.get(path)
		p.has(t, "Portiere di notte", "pubblicata ma non hai ancora chiesto la preselezione", "Pubblicata", `value="send"`)
		p.lacks(t, `value="save"`, `name="title"`)
		p = b.post(path, url.Values{"action": {"send"}})
		if p.status != http.StatusSeeOther || !requestLocation.MatchString(p.location) {
			t.Fatalf("asking for the service answered %d to %q: %s", p.status, p.location, p.body)
		}
		b.get(p.location).has(t, "Portiere di notte", "richiesta inviata a Centro per l&#39;impiego A")
	})

	t.Run("another employer's draft is not found", func(t *testing.T) {
		other := w.newVacancy(w.employer2, "Magazziniere", false)
		path := fmt.Sprintf("/datore/offerte/%d", other.ID)
		if p := b.get(path); p.status != http.StatusNotFound {
			t.Fatalf("employer 1 opened employer 2's draft: %d", p.status)
		}
		if p := b.post(path, aVacancy()); p.status != http.StatusNotFound {
			t.Fatalf("employer 1 sent employer 2's draft: %d", p.status)
		}
	})
}

func TestEmployerReadsTheShortlistAndAnswers(t *testing.T) {
	w := newWorld(t)
	carla, carlaEntry := w.presentSecondVersion()
	b := w.browser()
	b.signIn(employer1)
	req := fmt.Sprintf("/datore/richieste/%d", w.request1.ID)
	anna, tre := itoa(w.entry1.ID), itoa(carlaEntry.ID)

	t.Run("the shortlist, named and blind, with the explanations; every CV read audited", func(t *testing.T) {
		readsBefore := len(w.shortlistReads(carla.ID))
		p := b.get(req)
		if p.status != http.StatusOK {
			t.Fatalf("status %d", p.status)
		}
		p.has(t, "Offerta 1", "Rosa di candidati presentata", "Versione 2", "Anna Uno", "anna.uno@example.org", "Con nome",
			"In forma anonima", carlaEntry.Pseudonym, "Esperienza in hotel.", "Disponibile subito.", "Requisito per requisito",
			"Patente B", "Autista patente C", "Candidati della rosa in attesa del tuo riscontro: 2.",
			`action="/datore/candidati-richiesta/`+anna+`/riscontro"`, `action="/datore/candidati-richiesta/`+tre+`/riscontro"`)
		p.lacks(t, "Carla Tre", "carla.tre@example.org", "5555555", "1970", "45 min")
		if n := len(w.shortlistReads(carla.ID)); n != readsBefore+1 {
			t.Errorf("reading the page wrote %d CV reads of the blind candidate, want 1", n-readsBefore)
		}
		b.get(req+"?lang=en").has(t, `<html lang="en">`, "The shortlist", "Named", "Anonymous", "Requirement by requirement", "How did it go?")
	})

	t.Run("a reminder when feedback is due", func(t *testing.T) {
		w.clock.Advance(16 * 24 * time.Hour)
		defer w.clock.Advance(-16 * 24 * time.Hour)
		later := w.browser() // the session of 16 days ago has expired
		later.signIn(employer1)
		later.get(req).has(t, "non abbiamo ancora un tuo riscontro", "emp-reminder")
	})

	t.Run("a refused answer comes back next to its field with the input kept", func(t *testing.T) {
		p := b.post("/datore/candidati-richiesta/"+tre+"/riscontro", url.Values{"decision": {"not_selected"}, "comment": {"troppo lontano"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", p.status)
		}
		p.has(t, `id="fb-`+tre+`-reason-error">Perché non lo selezioni: è obbligatorio quando il candidato non è selezionato.</div>`,
			">troppo lontano</textarea>", `id="fb-`+tre+`-decision-not_selected" name="decision" value="not_selected" checked`)
		p = b.post("/datore/candidati-richiesta/"+anna+"/riscontro", url.Values{"decision": {"hired"}, "contract_type": {"permanent"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("a hire without a start date: %d", p.status)
		}
		p.has(t, `id="fb-`+anna+`-start_date-error">Data di inizio:`)
	})

	t.Run("not selected with a reason and the requirement not met; hired", func(t *testing.T) {
		v, err := w.db.Vacancy(context.Background(), w.vacancy1.ID)
		if err != nil {
			t.Fatal(err)
		}
		p := b.post("/datore/candidati-richiesta/"+tre+"/riscontro", url.Values{"decision": {"not_selected"}, "reason": {"distance"},
			"requirement_id": {itoa(v.Requirements[0].ID)}, "comment": {"abita troppo lontano"}, "start_date": {"2030-01-01"}})
		if p.status != http.StatusSeeOther || p.location != req+"#cand-"+tre {
			t.Fatalf("answered %d to %q: %s", p.status, p.location, p.body)
		}
		start := w.clock.Now().AddDate(0, 0, 14).Format(time.DateOnly)
		p = b.post("/datore/candidati-richiesta/"+anna+"/riscontro", url.Values{"decision": {"hired"}, "start_date": {start},
			"contract_type": {"permanent"}, "reason": {"salary"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("hire answered %d: %s", p.status, p.body)
		}
		p = b.get(p.location)
		p.has(t, "Riscontro inviato: grazie.", "Non lo seleziono", "Distanza / mobilità", "abita troppo lontano", "requisito non soddisfatto: Patente B", "Lo assumo", "Assunzione registrata",
			"Non selezionato")
		p.lacks(t, `action="/datore/candidati-richiesta/`+anna+`/riscontro"`, "in attesa del tuo riscontro:")
		fbs, err := w.db.FeedbackForRequest(context.Background(), w.request1.ID)
		if err != nil || len(fbs) != 2 {
			t.Fatalf("feedback %+v %v", fbs, err)
		}
		if fbs[0].Decision != matching.DecisionNotSelected || fbs[0].Reason != "distance" || fbs[0].RequirementID == nil ||
			fbs[0].StartDate != nil || fbs[1].Decision != matching.DecisionHired || fbs[1].Reason != "" || fbs[1].ContractType != "permanent" {
			t.Errorf("feedback %+v", fbs)
		}
		if e := w.entryOf(carlaEntry.ID); e.Stage != matching.StageRejected {
			t.Errorf("Carla's stage %s", e.Stage)
		}
	})

	t.Run("the employer withdraws, saying why", func(t *testing.T) {
		p := b.post(req+"/ritiro", url.Values{})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("no reason: %d", p.status)
		}
		p.has(t, `id="withdraw-close_reason-error">Motivo: è obbligatorio.</div>`)
		p = b.post(req+"/ritiro", url.Values{"close_reason": {"other"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("other without a note: %d", p.status)
		}
		p.has(t, `id="withdraw-note-error">Nota per l&#39;operatore:`)
		p = b.post(req+"/ritiro", url.Values{"close_reason": {"filled_elsewhere"}, "note": {"assunto tramite passaparola"}})
		if p.status != http.StatusSeeOther || p.location != req {
			t.Fatalf("withdraw answered %d to %q: %s", p.status, p.location, p.body)
		}
		b.get(req).has(t, "Richiesta ritirata", "Chiusa", "Ritirata da te", "posto coperto in altro modo", "da te")
		r, err := w.db.Request(context.Background(), w.request1.ID)
		if err != nil || r.Status != matching.StatusClosed || r.Outcome == nil || *r.Outcome != matching.OutcomeWithdrawn {
			t.Fatalf("request %+v %v", r, err)
		}
	})
}

func TestEmployerPagesAreTheEmployersOwn(t *testing.T) {
	w := newWorld(t)
	req := fmt.Sprintf("/datore/richieste/%d", w.request1.ID)
	feedback := fmt.Sprintf("/datore/candidati-richiesta/%d/riscontro", w.entry1.ID)

	t.Run("another employer's request and candidates are not found", func(t *testing.T) {
		b := w.browser()
		b.signIn(employer2)
		if p := b.get(req); p.status != http.StatusNotFound {
			t.Fatalf("employer 2 read employer 1's request: %d", p.status)
		}
		if p := b.post(feedback, url.Values{"decision": {"on_hold"}}); p.status != http.StatusNotFound {
			t.Fatalf("employer 2 answered on employer 1's candidate: %d", p.status)
		}
		if p := b.post(req+"/ritiro", url.Values{"close_reason": {"employer_withdrew"}}); p.status != http.StatusNotFound {
			t.Fatalf("employer 2 withdrew employer 1's request: %d", p.status)
		}
		if len(w.shortlistReads(w.candidate1.ID)) != 0 {
			t.Error("a refused page read a CV")
		}
	})
	t.Run("a candidate not presented is not the employer's", func(t *testing.T) {
		c := w.slCandidate("Gino", "Sette", matching.PresentNamed)
		e := w.slEntry(w.request1, c, nil)
		b := w.browser()
		b.signIn(employer1)
		if p := b.post(fmt.Sprintf("/datore/candidati-richiesta/%d/riscontro", e.ID), url.Values{"decision": {"on_hold"}}); p.status != http.StatusNotFound {
			t.Fatalf("feedback on a candidate never presented: %d", p.status)
		}
	})
	t.Run("staff and jobseekers are refused, visitors asked to sign in", func(t *testing.T) {
		for _, actor := range []string{operatorA, monitor, admin, jobseeker1} {
			b := w.browser()
			b.signIn(actor)
			for _, path := range []string{"/datore", "/datore/offerte/nuova", req} {
				if p := b.get(path); p.status != http.StatusForbidden {
					t.Errorf("%s opened %s: %d", actor, path, p.status)
				}
			}
			if p := b.post("/datore/offerte/nuova", aVacancy()); p.status != http.StatusForbidden {
				t.Errorf("%s posted a vacancy as an employer: %d", actor, p.status)
			}
		}
		if p := w.browser().get("/datore/offerte/nuova"); p.status != http.StatusUnauthorized {
			t.Errorf("a visitor got %d", p.status)
		}
	})
}

func TestEmployerPagesRenderInBothLanguages(t *testing.T) {
	w := newWorld(t)
	draft := w.newVacancy(w.employer1, "Bozza di prova", false)
	for _, lang := range []string{"it", "en"} {
		b := w.browser()
		b.signIn(employer1)
		for _, path := range []string{"/datore", "/datore/offerte/nuova", fmt.Sprintf("/datore/offerte/%d", draft.ID),
			fmt.Sprintf("/datore/richieste/%d", w.request1.ID)} {
			t.Run(path+" "+lang, func(t *testing.T) {
				p := b.get(path + "?lang=" + lang)
				if p.status != http.StatusOK {
					t.Fatalf("status %d", p.status)
				}
				p.has(t, `<html lang="`+lang+`">`, `<main id="main"`)
			})
		}
	}
}

func TestEmployerReads4D(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a := store.Actor{UserID: w.users[operatorA].ID, Role: matching.RoleOperator}
	w.moveRequest1(matching.StatusCompetenceVerification)
	chk := matching.CompetenceCheck{EntryID: w.entry1.ID, Competence: "Guida di furgoni", Method: "practical_test", Result: "confirmed",
		Note: "prova su strada superata"}
	if err := w.db.AddCompetenceCheck(ctx, &chk, a); err != nil {
		t.Fatal(err)
	}
	w.moveRequest1(matching.StatusSelection)
	ss := matching.SelectionSession{RequestID: w.request1.ID, HeldAt: w.clock.Now().Add(-time.Hour), Participants: "titolare e operatrice",
		Note: "colloqui finali", ProposedEntryID: &w.entry1.ID}
	if err := w.db.AddSelectionSession(ctx, &ss, a); err != nil {
		t.Fatal(err)
	}
	b := w.browser()
	b.signIn(employer1)
	p := b.get(fmt.Sprintf("/datore/richieste/%d", w.request1.ID))
	p.has(t, "Supporto alla selezione", "Verifiche delle competenze", "Guida di furgoni", "prova pratica", "confermata",
		"prova su strada superata", "Incontri di supporto alla selezione", "titolare e operatrice",
		"Candidato proposto per l&#39;assunzione: Anna Uno")
	b.get(fmt.Sprintf("/datore/richieste/%d?lang=en", w.request1.ID)).has(t, "Selection support", "Competence verifications", "practical test",
		"Candidate proposed for hiring: Anna Uno")
}
