package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"incontro/matching"
)

// jobseekerPages are the jobseeker's own pages read with GET.
var jobseekerPages = []string{"/candidato", "/candidato/cv", "/candidato/visibilita", "/candidato/visite", "/candidato/dati"}

// fullCVForm is the CV editor's form filled in the way a jobseeker fills
// it: names typed as the lists suggest them (a synonym, a label without
// its capitals), a date the way the browser sends it and one typed by
// hand, an empty row left in a section.
func fullCVForm() url.Values {
	return url.Values{
		"action":     {"save"},
		"given_name": {"Anna"}, "family_name": {"Uno"}, "phone": {"+39 0461 123456"},
		"headline": {"Cuoca con 8 anni di esperienza"}, "summary": {"Cucino piatti trentini in hotel."},
		"desired_occupations-rows": {"2"}, "desired_occupations-0-title": {"Cuoco"}, "desired_occupations-1-title": {""},
		"experiences-rows":    {"3"},
		"experiences-0-title": {"Cuoca"}, "experiences-0-employer_name": {"Hotel Lago"}, "experiences-0-municipality_code": {"Riva del Garda"},
		"experiences-0-start_date": {"2018-04-01"}, "experiences-0-ongoing": {"1"}, "experiences-0-description": {"Cucina trentina per 80 coperti."},
		"experiences-2-title": {"Cameriere di sala"}, "experiences-2-start_date": {"01/06/2015"}, "experiences-2-end_date": {"2017-10-31"},
		"education-rows": {"1"}, "education-0-eqf_level": {"4"}, "education-0-title": {"Diploma di istituto alberghiero"},
		"education-0-field": {"Enogastronomia"}, "education-0-completed_year": {"2014"},
		"skills-rows": {"2"}, "skills-0-label": {"Cucina tipica trentina"}, "skills-0-level": {"advanced"},
		"skills-1-label": {"norme haccp e igiene alimentare"}, "skills-1-level": {""},
		"languages-rows": {"2"}, "languages-0-language": {"it"}, "languages-0-level": {"native"},
		"languages-1-language": {"de"}, "languages-1-level": {"B1"},
		"licences":            {"B", "C1"},
		"certifications-rows": {"1"}, "certifications-0-name": {"Attestato HACCP"},
		"certifications-0-issued_on": {"2023-03-02"}, "certifications-0-expires_on": {"2027-03-02"},
		"available_from": {"2026-12-01"}, "weekly_hours": {"30"}, "working_time": {"full_time", "weekends"},
		"home_municipality_code": {"Pergine Valsugana"}, "mobility_km": {"35"},
		"contract_preferences": {"permanent", "seasonal"},
	}
}

// with returns a copy of the form with fields set (an empty value removes
// the field).
func with(form url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			out.Del(kv[i])
		} else {
			out.Set(kv[i], kv[i+1])
		}
	}
	return out
}

func (w *world) candidate(id int64) matching.Candidate {
	w.t.Helper()
	c, err := w.db.Candidate(context.Background(), id)
	if err != nil {
		w.t.Fatalf("candidate %d: %v", id, err)
	}
	return c
}

func TestTheJobseekersHome(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	p := b.signIn(jobseeker1)
	if p.status != http.StatusOK {
		t.Fatalf("home: %d %s", p.status, p.body)
	}
	p.has(t, "Ciao Anna", "Il tuo CV è completo al 0%.", "Sezioni ancora vuote:",
		`<a href="/candidato/cv#experiences">Esperienze di lavoro</a>`, `<a href="/candidato/cv#languages">Lingue</a>`,
		// The consent in plain words.
		"Gli operatori possono trovare il tuo CV nelle ricerche.", "Puoi essere proposto ai datori di lavoro con nome e contatti.",
		// The availability question of request 1, waiting.
		"Domande in attesa di risposta: 1", "Offerta 1", `href="/candidato/disponibilita"`,
		`href="/candidato/offerte"`, `href="/candidato/candidature"`, `href="/candidato/visite"`, `href="/candidato/dati"`,
		`href="/candidato/visibilita"`,
		// The jobseeker's navigation.
		`<a class="nav-link active" href="/candidato" aria-current="page"><span>La mia area</span></a>`,
		`href="/candidato/cv"><span>Il mio CV</span>`, `href="/candidato/offerte"><span>Offerte di lavoro</span>`)

	t.Run("a CV with some sections filled says which are still empty", func(t *testing.T) {
		if s := b.post("/candidato/cv", fullCVForm()); s.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", s.status, s.body)
		}
		p := b.get("/candidato")
		// Every section of the form is filled in.
		p.has(t, "Il tuo CV è completo al 100%.")
		p.lacks(t, "Sezioni ancora vuote:")
	})

	t.Run("in English", func(t *testing.T) {
		p := b.get("/candidato?lang=en")
		p.has(t, "Hello Anna", "Your CV is 100% complete.", "Operators can find your CV in their searches.",
			"Questions waiting for your answer: 1", "My area", "My CV", "Job vacancies")
	})

	t.Run("an answered question is no longer waiting", func(t *testing.T) {
		if _, err := w.db.SQL().Exec(`UPDATE availability_requests SET answered_at = now(), answer = 'interested' WHERE id = $1`,
			w.availability1.ID); err != nil {
			t.Fatal(err)
		}
		b.get("/candidato").lacks(t, "Domande in attesa di risposta")
	})
}

func TestTheCVEditorSavesTheWholeCV(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	b.signIn(jobseeker1)

	p := b.get("/candidato/cv")
	if p.status != http.StatusOK {
		t.Fatalf("%d %s", p.status, p.body)
	}
	p.has(t, "Il mio curriculum", `value="Anna"`, `value="anna.uno@example.org"`, " readonly",
		`<datalist id="occupation-list">`, `<option value="Cuoco">`, `<datalist id="skill-list">`, `<option value="Norme HACCP e igiene alimentare">`,
		`<datalist id="municipality-list">`, `<option value="Pergine Valsugana">`,
		`list="occupation-list"`, `list="skill-list"`, `list="municipality-list"`,
		// An empty section comes with one empty row to fill in.
		`id="experiences-0-title"`, `name="experiences-rows" value="1"`, `id="languages-0-language"`,
		`<option value="B2">B2 – intermedio superiore</option>`, `<option value="4">Diploma di scuola superiore`,
		`id="licences-C1"`, `id="working_time-nights"`, `id="contract_preferences-apprenticeship"`,
		`value="remove:experiences:0"`, `value="add:experiences"`, "Aggiungi un&#39;esperienza", `name="action" value="save"`)
	// Protected attributes are the staff's: the editor neither shows nor asks them.
	p.lacks(t, `name="sex"`, `name="birth_date"`, `name="citizenship"`, `name="disability"`, `name="tax_code"`, `name="l68_category"`)
	before := w.candidate(w.candidate1.ID)

	s := b.post("/candidato/cv", fullCVForm())
	if s.status != http.StatusSeeOther || s.location != "/candidato/cv" {
		t.Fatalf("save answered %d to %q: %s", s.status, s.location, s.body)
	}
	b.get(s.location).has(t, "Curriculum salvato.", `value="Cuoca con 8 anni di esperienza"`, `value="Cuoca"`,
		`value="Riva del Garda"`, `value="2015-06-01"`, `value="Pergine Valsugana"`, `id="experiences-0-ongoing" name="experiences-0-ongoing" value="1" data-ends="experiences-0-end_date" checked`)

	got := w.candidate(w.candidate1.ID)
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	checks := []struct {
		what string
		ok   bool
	}{
		{"names and phone", got.GivenName == "Anna" && got.FamilyName == "Uno" && got.Phone == "+39 0461 123456"},
		{"the e-mail address is the account's", got.Email == before.Email},
		{"headline and summary", got.Headline == "Cuoca con 8 anni di esperienza" && got.Summary == "Cucino piatti trentini in hotel."},
		{"the desired occupation, coded, the empty row left out", len(got.DesiredOccupations) == 1 &&
			got.DesiredOccupations[0].OccupationCode == "occ-cuoco" && got.DesiredOccupations[0].ISCOCode == "5120"},
		{"two experiences, the empty row left out", len(got.Experiences) == 2},
		{"the ongoing job, coded from a synonym", len(got.Experiences) == 2 && got.Experiences[0].Title == "Cuoca" &&
			got.Experiences[0].OccupationCode == "occ-cuoco" && got.Experiences[0].ISCOCode == "5120" &&
			got.Experiences[0].MunicipalityCode == "022153" && got.Experiences[0].EndDate == nil &&
			got.Experiences[0].StartDate.Equal(day("2018-04-01")) && got.Experiences[0].EmployerName == "Hotel Lago"},
		{"the past job, its start typed by hand", len(got.Experiences) == 2 && got.Experiences[1].OccupationCode == "occ-cameriere-sala" &&
			got.Experiences[1].StartDate.Equal(day("2015-06-01")) && got.Experiences[1].EndDate != nil && got.Experiences[1].EndDate.Equal(day("2017-10-31"))},
		{"education", len(got.Education) == 1 && got.Education[0].EQFLevel == 4 && got.Education[0].CompletedYear != nil &&
			*got.Education[0].CompletedYear == 2014 && got.Education[0].Field == "Enogastronomia"},
		{"skills by the catalogue's codes and labels", len(got.Skills) == 2 && got.Skills[0].Code == "sk-cucina-trentina" &&
			got.Skills[0].Level == "advanced" && got.Skills[1].Code == "sk-haccp" && got.Skills[1].Label == "Norme HACCP e igiene alimentare" &&
			got.Skills[1].Level == "unspecified"},
		{"languages with the CEFR levels", len(got.Languages) == 2 && fmt.Sprint(got.Languages) == "[{de B1} {it native}]"},
		{"licences", fmt.Sprint(got.Licences) == "[B C1]"},
		{"the certification with its expiry", len(got.Certifications) == 1 && got.Certifications[0].ExpiresOn != nil &&
			got.Certifications[0].ExpiresOn.Equal(day("2027-03-02"))},
		{"availability", got.AvailableFrom != nil && got.AvailableFrom.Equal(day("2026-12-01")) && got.WeeklyHours != nil &&
			*got.WeeklyHours == 30 && fmt.Sprint(got.WorkingTime) == "[full_time weekends]"},
		{"home and mobility, placed at the new municipality", got.HomeMunicipality == "022139" && got.MobilityKm == 35 &&
			got.HomeLat != before.HomeLat && got.HomeLat != 0},
		{"contracts", fmt.Sprint(got.ContractPreferences) == "[permanent seasonal]"},
		{"the consent is not the editor's", got.Searchable == before.Searchable && got.Presentation == before.Presentation},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: %+v", c.what, got)
		}
	}
	var ops []string
	if err := w.db.SQL().Select(&ops, `SELECT op FROM outbox WHERE entity = 'candidate' AND entity_id = $1 ORDER BY id`, w.candidate1.ID); err != nil {
		t.Fatal(err)
	}
	if len(ops) < 2 || ops[len(ops)-1] != "upsert" {
		t.Errorf("outbox rows %v: the save does not tell the index", ops)
	}

	t.Run("saving the form as shown changes nothing but the time", func(t *testing.T) {
		p := b.get("/candidato/cv")
		form := formValues(t, p.body, `action="/candidato/cv"`)
		form.Set("action", "save")
		if s := b.post("/candidato/cv", form); s.status != http.StatusSeeOther {
			t.Fatalf("%d %s", s.status, s.body)
		}
		again := w.candidate(w.candidate1.ID)
		again.UpdatedAt, got.UpdatedAt = time.Time{}, time.Time{}
		for i := range again.Experiences {
			again.Experiences[i].ID, got.Experiences[i].ID = 0, 0
		}
		for i := range again.Education {
			again.Education[i].ID, got.Education[i].ID = 0, 0
		}
		for i := range again.Certifications {
			again.Certifications[i].ID, got.Certifications[i].ID = 0, 0
		}
		a, _ := json.Marshal(again)
		g, _ := json.Marshal(got)
		if string(a) != string(g) {
			t.Errorf("the CV changed:\n%s\n%s", g, a)
		}
	})
}

func TestTheCVEditorShowsErrorsNextToTheirFieldsAndKeepsTheInput(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	b.signIn(jobseeker1)
	b.get("/candidato/cv")
	before := w.candidate(w.candidate1.ID)

	for _, tc := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"what the form can tell, all at once", with(fullCVForm(), "experiences-2-start_date", "31 giugno", "experiences-0-title", "Astronauta lunare",
			"home_municipality_code", "Atlantide", "skills-1-label", "Giocoleria", "weekly_hours", "trenta"),
			[]string{`id="experiences-2-start_date-error">Esperienza 3, Dal: deve essere una data, per esempio 31/12/2024.`,
				`value="31 giugno"`, `id="experiences-0-title-error">Esperienza 1, Professione: non è una professione dell&#39;elenco`,
				`value="Astronauta lunare"`, `id="home_municipality_code-error">Comune di residenza o domicilio: non è un comune`,
				`value="Atlantide"`, `id="skills-1-label-error">Competenza 2, Competenza: non è una competenza dell&#39;elenco`,
				`value="Giocoleria"`, `id="weekly_hours-error">Ore settimanali che cerchi: deve essere un numero intero.`,
				`aria-invalid="true" aria-describedby="experiences-2-start_date-error"`,
				// The rest of the form is kept too.
				`value="Cuoca con 8 anni di esperienza"`, `value="Hotel Lago"`, `id="licences-C1" name="licences" value="C1" checked`,
				`<a href="#experiences-2-start_date">`, `value="anna.uno@example.org"`}},
		{"an end before the start, in the row it was typed in", with(fullCVForm(), "experiences-2-end_date", "2014-01-01"),
			[]string{`id="experiences-2-end_date-error">Esperienza 3, Al: è prima della data di inizio.`, `value="2014-01-01"`}},
		{"a job neither ended nor ongoing", with(fullCVForm(), "experiences-0-ongoing", ""),
			[]string{`id="experiences-0-end_date-error">Esperienza 1, Al: è obbligatoria, a meno che tu ci lavori ancora.`}},
		{"a language listed twice", with(fullCVForm(), "languages-0-language", "de"),
			[]string{`id="languages-1-language-error">Lingua 2, Lingua: compare due volte.`}},
		{"a language without its level", with(fullCVForm(), "languages-1-level", ""),
			[]string{`id="languages-1-level-error">Lingua 2, Il tuo livello: scegli il livello dall&#39;elenco.`}},
		{"a qualification without its level", with(fullCVForm(), "education-0-eqf_level", ""),
			[]string{`id="education-0-eqf_level-error">Titolo di studio 1, Livello: scegli il livello dall&#39;elenco.`}},
		{"a certificate expiring before it was issued", with(fullCVForm(), "certifications-0-expires_on", "2020-01-01"),
			[]string{`id="certifications-0-expires_on-error">Certificazione 1, Scade il: è prima della data di rilascio.`}},
		{"a headline too long", with(fullCVForm(), "headline", strings.Repeat("a", 201)),
			[]string{`id="headline-error">Titolo del profilo: deve avere al massimo 200 caratteri.`}},
		{"no given name", with(fullCVForm(), "given_name", ""), []string{`id="given_name-error">Nome: è obbligatorio.`}},
		{"too many hours", with(fullCVForm(), "weekly_hours", "70"), []string{`id="weekly_hours-error">Ore settimanali che cerchi: deve essere tra 1 e 60.`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := b.post("/candidato/cv", tc.form)
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("%d, want 422: %s", p.status, p.body)
			}
			p.has(t, append(tc.want, "Correggi questi errori:")...)
			if after := w.candidate(w.candidate1.ID); !after.UpdatedAt.Equal(before.UpdatedAt) {
				t.Error("the CV was saved")
			}
		})
	}

	t.Run("in English", func(t *testing.T) {
		b.post("/lingua", url.Values{"lang": {"en"}, "next": {"/candidato/cv"}})
		p := b.post("/candidato/cv", with(fullCVForm(), "experiences-2-start_date", "31 giugno", "experiences-2-end_date", "2014-01-01"))
		p.has(t, `id="experiences-2-start_date-error">Job 3, From: must be a date, for example 31/12/2024.`, "Please correct these errors:",
			"Save the CV", "Add a job")
	})
}

func TestTheCVEditorAddsAndRemovesRowsWithoutSaving(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	b.signIn(jobseeker1)
	b.get("/candidato/cv")
	before := w.candidate(w.candidate1.ID)
	form := with(fullCVForm(), "action", "add:skills")

	p := b.post("/candidato/cv", form)
	if p.status != http.StatusOK {
		t.Fatalf("add: %d %s", p.status, p.body)
	}
	p.has(t, "Modifica non ancora salvata", `name="skills-rows" value="3"`, `id="skills-2-label" name="skills-2-label" value="" list="skill-list" autofocus`,
		`value="Cucina tipica trentina"`, `value="Hotel Lago"`)

	form = with(fullCVForm(), "action", "remove:skills:0")
	p = b.post("/candidato/cv", form)
	p.has(t, `name="skills-rows" value="1"`, `id="skills-0-label" name="skills-0-label" value="norme haccp e igiene alimentare"`,
		`id="add-skills" class="btn btn-outline-primary btn-sm jcv-add" autofocus`)
	p.lacks(t, `id="skills-1-label"`, `name="skills-0-label" value="Cucina tipica trentina"`)

	for _, bad := range []string{"add:passwords", "remove:skills:x", "remove:nothing:0"} {
		if p := b.post("/candidato/cv", with(fullCVForm(), "action", bad)); p.status != http.StatusUnprocessableEntity {
			t.Errorf("action %s: %d", bad, p.status)
		}
	}
	if after := w.candidate(w.candidate1.ID); !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Error("adding or removing a row saved the CV")
	}
}

func TestTheCVEditorKeepsWhatWasTypedFreelyBefore(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := w.candidate(w.candidate1.ID)
	// Written through the API, which takes free text the lists do not have.
	c.Skills = []matching.CandidateSkill{{Label: "Preparazione cocktail", Level: "basic"}}
	c.DesiredOccupations = []matching.DesiredOccupation{{Title: "Receptionist notturno", ISCOCode: "4224"}}
	if err := w.db.UpdateCandidate(ctx, &c); err != nil {
		t.Fatal(err)
	}
	b := w.browser()
	b.signIn(jobseeker1)
	form := formValues(t, b.get("/candidato/cv").body, `action="/candidato/cv"`)
	form.Set("action", "save")
	form.Set("headline", "Barista")
	if p := b.post("/candidato/cv", form); p.status != http.StatusSeeOther {
		t.Fatalf("%d %s", p.status, p.body)
	}
	got := w.candidate(w.candidate1.ID)
	if got.Headline != "Barista" || len(got.Skills) != 1 || got.Skills[0].Label != "Preparazione cocktail" || got.Skills[0].Code != "" ||
		len(got.DesiredOccupations) != 1 || got.DesiredOccupations[0].ISCOCode != "4224" {
		t.Errorf("after saving: %+v", got)
	}
}

func TestVisibilityAndConsent(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	b.signIn(jobseeker1)
	p := b.get("/candidato/visibilita")
	p.has(t, "Visibilità e consenso", `id="searchable-yes" value="yes" checked`, `id="presentation-named" value="named" checked`,
		"Con nome e contatti", "In forma anonima", "Per niente", "Il datore di lavoro vede il CV senza nome né contatti")

	s := b.post("/candidato/visibilita", url.Values{"searchable": {"no"}, "presentation": {"blind"}})
	if s.status != http.StatusSeeOther || s.location != "/candidato/visibilita" {
		t.Fatalf("%d %q %s", s.status, s.location, s.body)
	}
	b.get(s.location).has(t, "Le tue scelte sono salvate.", `id="searchable-no" value="no" checked`, `id="presentation-blind" value="blind" checked`)
	got := w.candidate(w.candidate1.ID)
	if got.Searchable || got.Presentation != matching.PresentBlind {
		t.Errorf("stored: searchable %v, presentation %s", got.Searchable, got.Presentation)
	}
	b.get("/candidato").has(t, "Gli operatori non possono cercare il tuo CV", "solo in forma anonima")

	p = b.post("/candidato/visibilita", url.Values{"presentation": {"everyone"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("%d", p.status)
	}
	p.has(t, `id="searchable-error">scegli sì o no`, `id="presentation-error">scegli una delle tre possibilità`)
	if again := w.candidate(w.candidate1.ID); !again.UpdatedAt.Equal(got.UpdatedAt) {
		t.Error("a refused choice was saved")
	}

	// The operator, who may edit a CV through the API, cannot change the consent.
	op := w.signIn(operatorA)
	got.Searchable = true
	if st, body := op.do(http.MethodPut, fmt.Sprintf("/api/v1/candidates/%d", w.candidate1.ID), got); st != http.StatusUnprocessableEntity ||
		errorOf(t, body).Field != "searchable" {
		t.Errorf("operator changing the consent: %d %s", st, body)
	}
}

func TestWhoReadTheCV(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	b.signIn(jobseeker1)
	b.get("/candidato/visite").has(t, "Chi ha consultato il mio CV")

	if st, body := w.signIn(operatorA).do(http.MethodGet, fmt.Sprintf("/api/v1/candidates/%d", w.candidate1.ID), nil); st != http.StatusOK {
		t.Fatalf("operator read: %d %s", st, body)
	}
	p := b.get("/candidato/visite")
	p.has(t, "Centro per l&#39;impiego A", "Utente operatorA", "Operatore", "Consultazione del profilo")

	mon := w.users[monitor].ID
	id := w.candidate1.ID
	for range 55 {
		if err := w.db.Audit(context.Background(), &matching.AuditEvent{Action: "cv_read", UserID: &mon, Role: matching.RoleMonitor,
			ObjectType: "candidate", ObjectID: &id, CandidateID: &id, Detail: json.RawMessage(`{"purpose":"profile"}`)}); err != nil {
			t.Fatal(err)
		}
	}
	_, total, err := w.db.CVReads(context.Background(), id, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	p = b.get("/candidato/visite")
	p.has(t, fmt.Sprintf("Consultazioni da 1 a 50 di %d", total), `href="/candidato/visite?pagina=2" rel="next"`, "Provincia autonoma di Trento")
	p = b.get("/candidato/visite?pagina=2")
	p.has(t, fmt.Sprintf("Consultazioni da 51 a %d di %d", total, total), `href="/candidato/visite" rel="prev"`)
	p.lacks(t, `rel="next"`)
	b.get("/candidato?lang=en").has(t, fmt.Sprintf("Who has read my CV (%d reads)", total))
}

func TestTheDataPageErasesTheAccount(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	b.signIn(jobseeker1)
	p := b.get("/candidato/dati")
	p.has(t, "I miei dati", `href="/api/v1/me/data" download`, `action="/candidato/cancella"`, `data-confirm=`,
		`autocomplete="current-password"`, "Ho capito: cancella il mio account")

	p = b.post("/candidato/cancella", url.Values{"password": {"non è questa la password"}, "confirm": {"1"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong password: %d", p.status)
	}
	p.has(t, `id="password-error">La tua password: non è corretta.`, `id="confirm" name="confirm" value="1" checked`)
	p = b.post("/candidato/cancella", url.Values{"password": {testPassword}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("no confirmation: %d", p.status)
	}
	p.has(t, `id="confirm-error">spunta la casella per confermare la cancellazione.`)
	w.candidate(w.candidate1.ID) // still there

	p = b.post("/candidato/cancella", url.Values{"password": {testPassword}, "confirm": {"1"}})
	if p.status != http.StatusSeeOther || p.location != "/candidato/cancellato" {
		t.Fatalf("erase: %d %q %s", p.status, p.location, p.body)
	}
	done := b.get(p.location)
	done.has(t, "Account cancellato", "Il tuo account e il tuo curriculum sono stati cancellati", `href="/accedi"`)
	done.lacks(t, `class="user-name"`)
	if _, err := w.db.Candidate(context.Background(), w.candidate1.ID); matching.ErrorCode(err) != matching.ENOTFOUND {
		t.Errorf("the candidate after erasure: %v", err)
	}
	if p := b.get("/candidato"); p.status != http.StatusUnauthorized {
		t.Errorf("the session outlived the account: %d", p.status)
	}
}

func TestOtherRolesAreRefusedTheJobseekersPages(t *testing.T) {
	w := newWorld(t)
	posts := map[string]url.Values{
		"/candidato/cv":         fullCVForm(),
		"/candidato/visibilita": {"searchable": {"no"}, "presentation": {"none"}},
		"/candidato/cancella":   {"password": {testPassword}, "confirm": {"1"}},
	}
	for _, actor := range []string{admin, monitor, operatorA, employer1} {
		b := w.browser()
		b.signIn(actor)
		for _, path := range jobseekerPages {
			if p := b.get(path); p.status != http.StatusForbidden {
				t.Errorf("%s GET %s: %d", actor, path, p.status)
			}
		}
		for path, form := range posts {
			if p := b.post(path, form); p.status != http.StatusForbidden {
				t.Errorf("%s POST %s: %d", actor, path, p.status)
			}
		}
	}
	anon := w.browser()
	for _, path := range jobseekerPages {
		p := anon.get(path)
		if p.status != http.StatusUnauthorized {
			t.Errorf("anonymous GET %s: %d", path, p.status)
		}
		p.has(t, `action="/accedi"`)
	}
	if p := anon.get("/candidato/cancellato"); p.status != http.StatusOK {
		t.Errorf("the erasure's last page: %d", p.status)
	}
	got := w.candidate(w.candidate1.ID)
	if !got.Searchable || got.Presentation != matching.PresentNamed || got.Headline != "" {
		t.Errorf("another role changed the CV: %+v", got)
	}
}

func TestAJobseekerNeverReachesAnothersData(t *testing.T) {
	w := newWorld(t)
	if st, _ := w.signIn(operatorA).do(http.MethodGet, fmt.Sprintf("/api/v1/candidates/%d", w.candidate1.ID), nil); st != http.StatusOK {
		t.Fatal("operator read")
	}
	b := w.browser()
	b.signIn(jobseeker2)
	other := fmt.Sprint(w.candidate1.ID)
	for _, path := range jobseekerPages {
		for _, q := range []string{"", "?id=" + other, "?candidate_id=" + other} {
			p := b.get(path + q)
			if p.status != http.StatusOK {
				t.Fatalf("%s%s: %d", path, q, p.status)
			}
			p.lacks(t, "Anna", "anna.uno@example.org", "Utente operatorA", "Offerta 1")
		}
	}
	b.get("/candidato/cv").has(t, `value="Bruno"`, `value="bruno.due@example.org"`)

	// A form with another candidate's id saves one's own CV.
	form := with(fullCVForm(), "given_name", "Bruno", "family_name", "Due", "id", other, "candidate_id", other)
	if p := b.post("/candidato/cv", form); p.status != http.StatusSeeOther {
		t.Fatalf("%d %s", p.status, p.body)
	}
	if a := w.candidate(w.candidate1.ID); a.Headline != "" || a.GivenName != "Anna" {
		t.Errorf("jobseeker 2 changed jobseeker 1's CV: %+v", a)
	}
	if c := w.candidate(w.candidate2.ID); c.Headline != "Cuoca con 8 anni di esperienza" {
		t.Errorf("jobseeker 2's own CV: %+v", c)
	}
	st, body := w.signIn(jobseeker2).do(http.MethodGet, "/api/v1/me/data?id="+other, nil)
	if st != http.StatusOK || strings.Contains(string(body), "anna.uno@example.org") || !strings.Contains(string(body), "bruno.due@example.org") {
		t.Errorf("jobseeker 2's data: %d %s", st, body)
	}
}

var (
	formInput    = regexp.MustCompile(`<input [^>]*>`)
	formTextarea = regexp.MustCompile(`(?s)<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	formSelect   = regexp.MustCompile(`(?s)<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	formOption   = regexp.MustCompile(`<option value="([^"]*)"( selected)?>`)
	formAttr     = regexp.MustCompile(`\b(type|name|value)="([^"]*)"`)
)

// formValues returns what a browser would submit of the form whose tag
// holds marker (its buttons aside): the inputs, the ticked boxes, the
// textareas and the chosen options.
func formValues(t *testing.T, body, marker string) url.Values {
	t.Helper()
	start := strings.Index(body, marker)
	if start < 0 {
		t.Fatalf("no form %s", marker)
	}
	form := body[start:]
	form = form[:strings.Index(form, "</form>")]
	out := url.Values{}
	for _, tag := range formInput.FindAllString(form, -1) {
		attrs := map[string]string{"type": "text"}
		for _, m := range formAttr.FindAllStringSubmatch(tag, -1) {
			attrs[m[1]] = html.UnescapeString(m[2])
		}
		switch attrs["type"] {
		case "submit", "button":
			continue
		case "checkbox", "radio":
			if !strings.Contains(tag, " checked") {
				continue
			}
		}
		if attrs["name"] != "" {
			out.Add(attrs["name"], attrs["value"])
		}
	}
	for _, m := range formTextarea.FindAllStringSubmatch(form, -1) {
		out.Add(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range formSelect.FindAllStringSubmatch(form, -1) {
		opts := formOption.FindAllStringSubmatch(m[2], -1)
		if len(opts) == 0 {
			continue
		}
		chosen := opts[0][1]
		for _, o := range opts {
			if o[2] != "" {
				chosen = o[1]
			}
		}
		out.Add(m[1], html.UnescapeString(chosen))
	}
	return out
}
