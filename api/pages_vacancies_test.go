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
	"incontro/store"
)

// The public vacancy pages and the jobseeker's vacancies, applications and
// availability questions. The world's vacancies are drafts; the tests
// publish the ones they need.

// publishVacancy creates a vacancy of employer 1 (in Trento, permanent,
// with a licence B requirement unless edit says otherwise) and publishes it.
func (w *world) publishVacancy(edit func(*matching.Vacancy)) matching.Vacancy {
	w.t.Helper()
	ctx := context.Background()
	v := matching.Vacancy{EmployerID: w.employer1.ID, Title: "Magazziniere", Description: "Carico e scarico merci.",
		MunicipalityCode: "022205", ContractType: "permanent",
		Requirements: []matching.Requirement{{Rank: 1, Kind: matching.ReqLicence, Code: "B"}}}
	if edit != nil {
		edit(&v)
	}
	if err := w.db.CreateVacancy(ctx, &v); err != nil {
		w.t.Fatalf("create vacancy %q: %v", v.Title, err)
	}
	if err := w.db.PublishVacancy(ctx, v.ID, "", nil, nil); err != nil {
		w.t.Fatalf("publish vacancy %q: %v", v.Title, err)
	}
	v, err := w.db.Vacancy(ctx, v.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

// closeRequest1 closes request 1 as withdrawn by the employer, as operator A.
func (w *world) closeRequest1() {
	w.t.Helper()
	a := store.Actor{UserID: w.users[operatorA].ID, Role: matching.RoleOperator}
	outcome := matching.OutcomeWithdrawn
	_, err := w.db.TransitionRequest(context.Background(), w.request1.ID, matching.TransitionInput{To: matching.StatusClosed,
		Outcome: &outcome, CloseReason: matching.CloseEmployerWithdrew, Note: "l'impresa ha rinunciato"}, a)
	if err != nil {
		w.t.Fatalf("close request 1: %v", err)
	}
}

var vacancyLinks = regexp.MustCompile(`<h3 class="h5 mb-1"><a href="/offerte/([0-9]+)">`)

// listed returns the ids of the vacancies a list page links, in order.
func listed(p page) []string {
	var out []string
	for _, m := range vacancyLinks.FindAllStringSubmatch(p.body, -1) {
		out = append(out, m[1])
	}
	return out
}

var jsonLDScript = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// jobPosting decodes the JSON-LD of a vacancy's page.
func jobPosting(t *testing.T, p page) map[string]any {
	t.Helper()
	m := jsonLDScript.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("the page has no JSON-LD script:\n%s", p.body)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(m[1]), &out); err != nil {
		t.Fatalf("the JSON-LD is not JSON (%v):\n%s", err, m[1])
	}
	return out
}

func TestThePublicVacancyList(t *testing.T) {
	w := newWorld(t)
	cook := w.publishVacancy(func(v *matching.Vacancy) {
		v.Title, v.Description, v.OccupationCode, v.ISCOCode = "Cuoco/a di linea", "Cucina trentina, turni serali.", "occ-cuoco", "5120"
	})
	waiter := w.publishVacancy(func(v *matching.Vacancy) {
		v.Title, v.MunicipalityCode, v.ContractType = "Cameriere/a di sala", "022161", "seasonal"
	})
	draft := matching.Vacancy{EmployerID: w.employer1.ID, Title: "Bozza riservata", MunicipalityCode: "022205", ContractType: "permanent"}
	if err := w.db.CreateVacancy(context.Background(), &draft); err != nil {
		t.Fatal(err)
	}
	// Vacancy 1 is published, then its request closes.
	if err := w.db.PublishVacancy(context.Background(), w.vacancy1.ID, "", nil, nil); err != nil {
		t.Fatal(err)
	}
	w.closeRequest1()

	b := w.browser()
	p := b.get("/offerte")
	if p.status != http.StatusOK {
		t.Fatalf("the list answered %d", p.status)
	}
	p.has(t, "Offerte di lavoro", "Offerte trovate: 2", cook.Title, waiter.Title, "Hotel Uno", "Rovereto", "Stagionale",
		`<a class="nav-link active" href="/offerte" aria-current="page">`)
	p.lacks(t, draft.Title, w.vacancy1.Title, "occ-cuoco")
	if got := listed(p); strings.Join(got, ",") != itoa(waiter.ID)+","+itoa(cook.ID) {
		t.Errorf("listed %v, want the newest first: %d, %d", got, waiter.ID, cook.ID)
	}

	for _, tc := range []struct {
		name, query string
		want        []int64
	}{
		{"by a word of the title", "q=cuoco", []int64{cook.ID}},
		{"by a word of the description", "q=serali", []int64{cook.ID}},
		{"by municipality name", "place=Rovereto", []int64{waiter.ID}},
		{"by occupation as typed", "occupation=" + url.QueryEscape("Cuoco"), []int64{cook.ID}},
		{"by contract", "contract=seasonal", []int64{waiter.ID}},
		{"with nothing found", "q=astronauta", nil},
	} {
		t.Run("search "+tc.name, func(t *testing.T) {
			p := b.get("/offerte?" + tc.query)
			var want []string
			for _, id := range tc.want {
				want = append(want, itoa(id))
			}
			if p.status != http.StatusOK || strings.Join(listed(p), ",") != strings.Join(want, ",") {
				t.Errorf("%s: %d, listed %v, want %v", tc.query, p.status, listed(p), want)
			}
			if tc.want == nil {
				p.has(t, "Nessuna offerta corrisponde alla ricerca")
			}
		})
	}

	t.Run("a place that is not a municipality is named next to its field, the search kept", func(t *testing.T) {
		p := b.get("/offerte?q=cuoco&place=Atlantide")
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("answered %d", p.status)
		}
		p.has(t, `id="place-error"`, "Questo non è un comune", `value="Atlantide"`, `value="cuoco"`, `aria-invalid="true"`)
	})

	t.Run("in English", func(t *testing.T) {
		p := b.get("/offerte?lang=en")
		p.has(t, "Job vacancies", "Vacancies found: 2", "Seasonal")
	})

	t.Run("pages of twenty, newest first", func(t *testing.T) {
		var made []int64
		for i := range 21 {
			made = append(made, w.publishVacancy(func(v *matching.Vacancy) { v.Title = fmt.Sprintf("Magazziniere %d", i+1) }).ID)
		}
		p := b.get("/offerte?contract=permanent")
		p.has(t, "Offerte trovate: 22", "Offerte da 1 a 20 di 22", `href="/offerte?contract=permanent&amp;pagina=2" rel="next"`)
		p.lacks(t, `rel="prev"`)
		if got := listed(p); len(got) != 20 || got[0] != itoa(made[20]) {
			t.Errorf("first page lists %v", got)
		}
		p = b.get("/offerte?contract=permanent&pagina=2")
		p.has(t, "Offerte da 21 a 22 di 22", `href="/offerte?contract=permanent" rel="prev"`)
		p.lacks(t, `rel="next"`)
		if got := listed(p); strings.Join(got, ",") != itoa(made[0])+","+itoa(cook.ID) {
			t.Errorf("second page lists %v", got)
		}
	})
}

func TestAPublicVacancyPage(t *testing.T) {
	w := newWorld(t)
	today := time.Now().In(time.UTC)
	closes := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
	hours := 30
	years := 2.0
	v := w.publishVacancy(func(v *matching.Vacancy) {
		v.Title = "Cuoco/a di linea"
		v.Description = "Cucina trentina.\n\nNiente </script><b>markup</b> nel testo & altro."
		v.OccupationCode, v.ISCOCode = "occ-cuoco", "5120"
		v.ContractType, v.WorkingTime, v.WeeklyHours, v.Positions, v.ClosesOn = "fixed_term", []string{"part_time"}, &hours, 2, &closes
		v.Requirements = []matching.Requirement{
			{Rank: 1, Essential: true, Kind: matching.ReqOccupation, Code: "occ-cuoco", MinYears: &years},
			{Rank: 2, Kind: matching.ReqLanguage, Code: "de", Level: "B1"},
			{Rank: 3, Kind: matching.ReqLicence, Code: "B"},
			{Rank: 4, Kind: matching.ReqEducation, Code: "4"},
		}
	})
	path := "/offerte/" + itoa(v.ID)
	b := w.browser()
	p := b.get(path)
	if p.status != http.StatusOK {
		t.Fatalf("the page answered %d", p.status)
	}
	p.has(t, "<h1 id=\"vacancy-title\">Cuoco/a di linea</h1>", "Hotel Uno", "Trento", "Tempo determinato", "Part-time",
		"30 ore a settimana", "Cucina trentina.", "&lt;/script&gt;&lt;b&gt;markup&lt;/b&gt;",
		"Cuoco, almeno 2 anni di esperienza", "Indispensabile", "Tedesco almeno B1", "Patente B", "Titolo di studio: diploma di scuola superiore (EQF 4) o superiore")
	p.lacks(t, "occ-cuoco", "</script><b>", "hotel.uno@example.org")

	t.Run("the JSON-LD is a JobPosting with the vacancy's facts", func(t *testing.T) {
		jp := jobPosting(t, p)
		for k, want := range map[string]any{"@context": "https://schema.org", "@type": "JobPosting", "title": v.Title,
			"datePosted": v.PublishedAt.In(rome).Format(time.DateOnly), "directApply": true, "totalJobOpenings": 2.0,
			"occupationalCategory": "5120", "url": w.ts.URL + path} {
			if jp[k] != want {
				t.Errorf("%s = %#v, want %#v", k, jp[k], want)
			}
		}
		valid, err := time.Parse(time.RFC3339, fmt.Sprint(jp["validThrough"]))
		if err != nil || valid.In(rome).Format("2006-01-02 15:04") != closes.Format("2006-01-02")+" 23:59" {
			t.Errorf("validThrough = %v (%v), want the end of %s in Trento", jp["validThrough"], err, closes.Format(time.DateOnly))
		}
		if got := fmt.Sprint(jp["employmentType"]); got != "[PART_TIME TEMPORARY]" {
			t.Errorf("employmentType = %s", got)
		}
		org, _ := jp["hiringOrganization"].(map[string]any)
		place, _ := jp["jobLocation"].(map[string]any)
		addr, _ := place["address"].(map[string]any)
		if org["@type"] != "Organization" || org["name"] != "Hotel Uno" || place["@type"] != "Place" || addr["@type"] != "PostalAddress" ||
			addr["addressLocality"] != "Trento" || addr["addressRegion"] != "TN" || addr["addressCountry"] != "IT" {
			t.Errorf("organisation %v, place %v", org, place)
		}
		id, _ := jp["identifier"].(map[string]any)
		exp, _ := jp["experienceRequirements"].(map[string]any)
		edu, _ := jp["educationRequirements"].(map[string]any)
		if id["value"] != itoa(v.ID) || exp["monthsOfExperience"] != 24.0 || edu["credentialCategory"] != "high school" {
			t.Errorf("identifier %v, experience %v, education %v", id, exp, edu)
		}
		desc := fmt.Sprint(jp["description"])
		if !strings.Contains(desc, "<p>Cucina trentina.</p>") || !strings.Contains(desc, "&lt;/script&gt;") || strings.Contains(desc, "</script>") ||
			!strings.Contains(desc, "<li>Tedesco almeno B1</li>") {
			t.Errorf("description = %s", desc)
		}
	})

	t.Run("an anonymous visitor is asked to sign in, and comes back", func(t *testing.T) {
		p.has(t, "Accedi per candidarti", `href="/accedi?next=%2Fofferte%2F`+itoa(v.ID)+`%23candidatura"`)
		p.lacks(t, `action="/offerte/`+itoa(v.ID)+`/candidatura"`)
		login := b.get("/accedi?next=" + url.QueryEscape(path+"#candidatura"))
		login.has(t, `name="next" value="`+path+`#candidatura"`)
		in := b.post("/accedi", url.Values{"email": {w.users[jobseeker2].Email}, "password": {testPassword}, "next": {path + "#candidatura"}})
		if in.status != http.StatusSeeOther || in.location != path+"#candidatura" {
			t.Fatalf("log-in answered %d to %q", in.status, in.location)
		}
		back := b.get(path)
		back.has(t, `action="/offerte/`+itoa(v.ID)+`/candidatura"`, `<textarea id="message" name="message"`)
		back.lacks(t, "Accedi per candidarti")
	})

	t.Run("staff and employers read it without an application form", func(t *testing.T) {
		for _, actor := range []string{operatorA, employer1} {
			b := w.browser()
			b.signIn(actor)
			p := b.get(path)
			p.has(t, "Solo i candidati possono candidarsi")
			p.lacks(t, `action="/offerte/`+itoa(v.ID)+`/candidatura"`)
		}
	})

	t.Run("in English, the requirements in English words", func(t *testing.T) {
		p := w.browser().get(path + "?lang=en")
		p.has(t, "Cuoco, at least 2 years of experience", "German, at least B1", "Driving licence B",
			"Education: upper secondary diploma (EQF 4) or higher", "Essential", "Sign in to apply", "Fixed term")
	})

	t.Run("a draft is not found", func(t *testing.T) {
		p := w.browser().get("/offerte/" + itoa(w.vacancy2.ID))
		if p.status != http.StatusNotFound {
			t.Errorf("a draft answered %d", p.status)
		}
		p.lacks(t, w.vacancy2.Title, "application/ld+json")
	})

	t.Run("a vacancy whose request closed is gone", func(t *testing.T) {
		if err := w.db.PublishVacancy(context.Background(), w.vacancy1.ID, "", nil, nil); err != nil {
			t.Fatal(err)
		}
		if p := w.browser().get("/offerte/" + itoa(w.vacancy1.ID)); p.status != http.StatusOK {
			t.Fatalf("published: %d", p.status)
		}
		w.closeRequest1()
		p := w.browser().get("/offerte/" + itoa(w.vacancy1.ID))
		if p.status != http.StatusGone {
			t.Fatalf("a closed vacancy answered %d", p.status)
		}
		p.has(t, "Offerta chiusa", "«Offerta 1» è chiusa", `href="/offerte"`)
		p.lacks(t, "application/ld+json", "Accedi per candidarti")
		if p := w.browser().get("/offerte/" + itoa(w.vacancy1.ID) + "?lang=en"); p.status != http.StatusGone {
			t.Errorf("in English: %d", p.status)
		} else {
			p.has(t, "Vacancy closed", "is closed: the selection is over")
		}
	})

	t.Run("a vacancy past its closing date is gone", func(t *testing.T) {
		past := closes.AddDate(0, -2, 0)
		old := w.publishVacancy(func(v *matching.Vacancy) { v.Title, v.ClosesOn = "Scaduta", &past })
		if p := w.browser().get("/offerte/" + itoa(old.ID)); p.status != http.StatusGone {
			t.Errorf("an expired vacancy answered %d", p.status)
		}
	})
}

func TestApplyingFromTheVacancyPage(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	v := w.publishVacancy(nil)
	path := "/offerte/" + itoa(v.ID)
	applications := func() []matching.Application {
		t.Helper()
		list, _, err := w.db.Applications(ctx, store.ApplicationFilter{VacancyID: v.ID})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	b := w.browser()
	b.signIn(jobseeker2)
	b.get(path)

	t.Run("a message too long comes back next to its field, kept, and nothing is sent", func(t *testing.T) {
		long := strings.Repeat("a", 2001)
		p := b.post(path+"/candidatura", url.Values{"message": {long}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("answered %d", p.status)
		}
		p.has(t, `id="message-error"`, "Il messaggio può avere al massimo 2000 caratteri", `aria-invalid="true"`, ">"+long+"</textarea>",
			`<a href="#message">`)
		if n := len(applications()); n != 0 {
			t.Errorf("%d applications after a refused one", n)
		}
	})

	t.Run("an application is sent and listed", func(t *testing.T) {
		p := b.post(path+"/candidatura", url.Values{"message": {"Ho esperienza in magazzino."}})
		if p.status != http.StatusSeeOther || p.location != "/candidato/candidature" {
			t.Fatalf("answered %d to %q: %s", p.status, p.location, p.body)
		}
		list := applications()
		if len(list) != 1 || *list[0].CandidateID != w.candidate2.ID || list[0].Message != "Ho esperienza in magazzino." ||
			list[0].Status != matching.ApplicationSubmitted {
			t.Fatalf("applications = %+v", list)
		}
		p = b.get(p.location)
		p.has(t, "Candidatura inviata: il centro per l&#39;impiego la verificherà.", v.Title, "inviata, da verificare",
			"Ho esperienza in magazzino.", `action="/candidato/candidature/`+itoa(list[0].ID)+`/ritira"`)
		p = b.get(path)
		p.has(t, "Ti sei candidato/a il", "inviata, da verificare")
		p.lacks(t, `<textarea id="message"`)
	})

	t.Run("applying twice is refused with a general error", func(t *testing.T) {
		p := b.post(path+"/candidatura", url.Values{"message": {"di nuovo"}})
		if p.status != http.StatusConflict {
			t.Fatalf("answered %d", p.status)
		}
		p.has(t, "La candidatura non è stata inviata", "Ti sei candidato/a il")
		if n := len(applications()); n != 1 {
			t.Errorf("%d applications", n)
		}
	})

	t.Run("only a jobseeker applies", func(t *testing.T) {
		for _, actor := range []string{anonymous, employer1, operatorA} {
			b := w.browser()
			if actor != anonymous {
				b.signIn(actor)
			}
			b.get(path)
			if p := b.post(path+"/candidatura", url.Values{"message": {"x"}}); p.status < 400 || p.status == http.StatusNotFound {
				t.Errorf("%s applied: %d", actor, p.status)
			}
		}
		if n := len(applications()); n != 1 {
			t.Errorf("%d applications", n)
		}
	})

	t.Run("a draft takes no application", func(t *testing.T) {
		b.get(path)
		if p := b.post("/offerte/"+itoa(w.vacancy2.ID)+"/candidatura", url.Values{}); p.status != http.StatusNotFound {
			t.Errorf("applying to a draft answered %d", p.status)
		}
	})
}

func TestTheJobseekersApplicationsAndWithdrawing(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if err := w.db.PublishVacancy(ctx, w.vacancy1.ID, "", nil, nil); err != nil {
		t.Fatal(err)
	}
	path := "/candidato/candidature/" + itoa(w.application1.ID) + "/ritira"

	t.Run("another jobseeker's application is not found, and stays", func(t *testing.T) {
		b := w.browser()
		b.signIn(jobseeker2)
		p := b.get("/candidato/candidature")
		p.has(t, "Non ti sei ancora candidato/a")
		p.lacks(t, w.vacancy1.Title)
		if p := b.post(path, nil); p.status != http.StatusNotFound {
			t.Errorf("jobseeker 2 withdrawing jobseeker 1's application: %d", p.status)
		}
		if a, _ := w.db.Application(ctx, w.application1.ID); a.Status != matching.ApplicationSubmitted {
			t.Errorf("the application is %s", a.Status)
		}
	})

	b := w.browser()
	b.signIn(jobseeker1)
	p := b.get("/candidato/candidature")
	if p.status != http.StatusOK {
		t.Fatalf("the page answered %d", p.status)
	}
	p.has(t, "Le mie candidature", `<a href="/offerte/`+itoa(w.vacancy1.ID)+`">Offerta 1</a>`, "Hotel Uno", "inviata, da verificare",
		"Vorrei candidarmi.", `action="`+path+`"`, `data-confirm="Vuoi davvero ritirare questa candidatura?"`)

	p = b.post(path, nil)
	if p.status != http.StatusSeeOther || p.location != "/candidato/candidature" {
		t.Fatalf("withdraw answered %d to %q", p.status, p.location)
	}
	if a, _ := w.db.Application(ctx, w.application1.ID); a.Status != matching.ApplicationWithdrawn {
		t.Errorf("the application is %s after withdrawing", a.Status)
	}
	p = b.get(p.location)
	p.has(t, "Candidatura ritirata.", "ritirata")
	p.lacks(t, `action="`+path+`"`)

	t.Run("withdrawing twice says it cannot", func(t *testing.T) {
		p := b.post(path, nil)
		if p.status != http.StatusConflict {
			t.Fatalf("answered %d", p.status)
		}
		p.has(t, "Questa candidatura non si può più ritirare.")
	})

	t.Run("once the request closes the vacancy reads as closed", func(t *testing.T) {
		w.closeRequest1()
		p := b.get("/candidato/candidature?lang=en")
		p.has(t, "My applications", "Vacancy closed", "withdrawn")
		p.lacks(t, `<a href="/offerte/`+itoa(w.vacancy1.ID)+`">`)
	})
}

func TestTheJobseekerAnswersAvailabilityQuestions(t *testing.T) {
	// Request 1 in intake: candidate 1 stands available, and moves.
	w := newWorld(t, inIntake())
	ctx := context.Background()
	id := itoa(w.availability1.ID)
	form := "answer-" + id

	t.Run("another jobseeker's question is not found, and stays open", func(t *testing.T) {
		b := w.browser()
		b.signIn(jobseeker2)
		b.get("/candidato/disponibilita").has(t, "Nessuna domanda in attesa di risposta.")
		if p := b.post("/candidato/disponibilita/"+id, url.Values{"answer": {"interested"}}); p.status != http.StatusNotFound {
			t.Errorf("jobseeker 2 answering jobseeker 1's question: %d", p.status)
		}
		if qs, _ := w.db.AvailabilityRequests(ctx, w.entry1.ID); qs[0].AnsweredAt != nil {
			t.Errorf("the question was answered: %+v", qs[0])
		}
	})

	b := w.browser()
	b.signIn(jobseeker1)
	p := b.get("/candidato/disponibilita")
	p.has(t, "Richieste di disponibilità", "Da rispondere: 1", "Offerta 1", "Ti interessa questa offerta e sei disponibile?",
		`action="/candidato/disponibilita/`+id+`"`, `<legend class="h6">La tua risposta</legend>`)

	t.Run("no answer comes back next to the choice, the reason kept", func(t *testing.T) {
		p := b.post("/candidato/disponibilita/"+id, url.Values{"reason": {"dipende dagli orari"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("answered %d", p.status)
		}
		p.has(t, `id="`+form+`-answer-error"`, "Scegli se l&#39;offerta ti interessa o no.", `aria-describedby="`+form+`-answer-error"`,
			">dipende dagli orari</textarea>", `<a href="#`+form+`-answer">`)
	})

	p = b.post("/candidato/disponibilita/"+id, url.Values{"answer": {"not_interested"}, "reason": {"mi sono trasferita"}})
	if p.status != http.StatusSeeOther || p.location != "/candidato/disponibilita" {
		t.Fatalf("answer: %d to %q", p.status, p.location)
	}
	if e := w.entryOf(w.entry1.ID); e.Stage != matching.StageNotAvailable {
		t.Errorf("after declining the candidate is %s", e.Stage)
	}
	if ev := w.requestAudit(w.request1.ID, "availability_answered"); len(ev) != 1 || ev[0].Role != matching.RoleJobseeker {
		t.Errorf("audit = %+v", ev)
	}
	p = b.get(p.location)
	p.has(t, "l&#39;operatore sa che questa offerta non fa per te", "Da rispondere: 0", "Domande a cui hai risposto", "Non interessato/a",
		"mi sono trasferita")
	p.lacks(t, `action="/candidato/disponibilita/`+id+`"`)

	t.Run("answering twice is refused", func(t *testing.T) {
		p := b.post("/candidato/disponibilita/"+id, url.Values{"answer": {"interested"}})
		if p.status != http.StatusConflict {
			t.Fatalf("answered %d", p.status)
		}
		p.has(t, "La risposta non è stata registrata")
	})

	t.Run("in English", func(t *testing.T) {
		b.get("/candidato/disponibilita?lang=en").has(t, "Availability questions", "Questions you answered", "Not interested")
	})
}

func TestTheJobseekerPagesAreTheJobseekers(t *testing.T) {
	w := newWorld(t)
	pages := []string{"/candidato/offerte", "/candidato/candidature", "/candidato/disponibilita"}
	for _, actor := range []string{admin, monitor, operatorA, employer1} {
		b := w.browser()
		b.signIn(actor)
		for _, p := range pages {
			if pg := b.get(p); pg.status != http.StatusForbidden {
				t.Errorf("%s got %d on %s", actor, pg.status, p)
			}
		}
	}
	for _, p := range pages {
		pg := w.browser().get(p)
		if pg.status != http.StatusUnauthorized {
			t.Errorf("anonymous got %d on %s", pg.status, p)
		}
		pg.has(t, `name="next" value="`+p+`"`)
	}
	b := w.browser()
	b.signIn(jobseeker1)
	for _, p := range pages {
		if pg := b.get(p); pg.status != http.StatusOK {
			t.Errorf("jobseeker 1 got %d on %s", pg.status, p)
		}
	}
	t.Run("without an index the recommendations say so", func(t *testing.T) {
		b.get("/candidato/offerte").has(t, "Le offerte consigliate non sono disponibili su questo server", `href="/offerte"`)
	})
}

func TestRecommendedVacanciesAreExplainedInWords(t *testing.T) {
	sw := newSearchWorld(t)
	ctx := context.Background()
	// The cook signs in as a jobseeker.
	u := matching.User{Email: "carla.cucina.login@example.org", Name: "Carla Cucina", Role: matching.RoleJobseeker, CandidateID: &sw.cook.ID}
	u.PasswordHash = sw.users[jobseeker1].PasswordHash
	if err := sw.db.CreateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	sw.users["cook"] = u
	years := 3.0
	job := sw.publishVacancy(func(v *matching.Vacancy) {
		v.Title, v.OccupationCode, v.ISCOCode = "Cuoco/a di ristorante", "occ-cuoco", "5120"
		v.Requirements = []matching.Requirement{
			{Rank: 1, Kind: matching.ReqOccupation, Code: "occ-cuoco", MinYears: &years},
			{Rank: 2, Kind: matching.ReqLanguage, Code: "de", Level: "B1"},
			{Rank: 3, Kind: matching.ReqLicence, Code: "B"},
		}
	})
	french := sw.publishVacancy(func(v *matching.Vacancy) {
		v.Title = "Chef de rang"
		v.Requirements = []matching.Requirement{{Rank: 1, Essential: true, Kind: matching.ReqLanguage, Code: "fr", Level: "C1"},
			{Rank: 2, Kind: matching.ReqLicence, Code: "B"}}
	})
	// A vacancy nothing in the CV supports (0%) is no recommendation.
	nothing := sw.publishVacancy(func(v *matching.Vacancy) {
		v.Title = "Autista di autobus"
		v.Requirements = []matching.Requirement{{Rank: 1, Kind: matching.ReqLicence, Code: "D"}}
	})
	b := sw.browser()
	b.signIn("cook")
	p := b.get("/candidato/offerte")
	if p.status != http.StatusOK {
		t.Fatalf("answered %d", p.status)
	}
	p.has(t, "Offerte per te", `id="rec-`+itoa(job.ID)+`"`, job.Title, "Affinità", "Perché te la proponiamo",
		"Lo hai</span> Cuoco, almeno 3 anni di esperienza", "Lo hai</span> Tedesco almeno B1", "Lo hai</span> Patente B",
		"Quasi adatte", `id="rec-`+itoa(french.ID)+`"`, "Ti manca</span> Francese almeno C1", `href="/offerte"`)
	p.lacks(t, "occ-cuoco", `id="rec-`+itoa(nothing.ID)+`"`)
	if i, j := strings.Index(p.body, `id="rec-`+itoa(job.ID)+`"`), strings.Index(p.body, "Quasi adatte"); i > j {
		t.Error("the fitting vacancy should come before the near misses")
	}
	p = b.get("/candidato/offerte?lang=en")
	p.has(t, "Vacancies for you", "You have it</span> Cuoco, at least 3 years of experience", "You have it</span> Driving licence B",
		"Missing</span> French, at least C1", "Why we suggest it")
	// The scorer's own reasons are Italian: they show on Italian pages only.
	if strings.Contains(html.UnescapeString(p.body), "richiesto") {
		t.Error("the English page shows the scorer's Italian reasons")
	}
}
