package api_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"incontro/api"
	"incontro/matching"
	"incontro/webtest"
)

// setDate sets a date field as the browser's date picker does: the value
// in YYYY-MM-DD, and an input event.
func setDate(t *testing.T, tab *webtest.Tab, sel, value string) {
	t.Helper()
	js := `(() => { const e = document.querySelector(` + jsString(sel) + `); e.value = ` + jsString(value) +
		`; e.dispatchEvent(new Event('input', {bubbles: true})); return e.value })()`
	if got := webtest.Eval[string](tab, js); got != value {
		t.Fatalf("%s holds %q after setting %q", sel, got, value)
	}
}

// tickByKeyboard ticks a checkbox or chooses a radio button with the keyboard, as
// the search's browser test does: focus, then Space.
func tickByKeyboard(t *testing.T, tab *webtest.Tab, sel string) {
	t.Helper()
	webtest.Eval[bool](tab, `(document.querySelector(`+jsString(sel)+`).focus(), true)`)
	tab.Keys(" ")
	if !webtest.Eval[bool](tab, `document.querySelector(`+jsString(sel)+`).checked`) {
		t.Fatalf("Space did not tick %s", sel)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestBrowserJobseekerJourney(t *testing.T) {
	logs := &logBuffer{}
	w, b := startBrowser(t, withConfig(func(c *api.Config) { c.Logger = slog.New(slog.NewJSONHandler(logs, nil)) }))
	ctx := context.Background()
	js := b.NewTab(t, "jobseeker")
	const email, password = "carla.nuova@example.org", "una frase per carla nuova"

	// Sign up, and confirm the address with the link of the e-mail.
	js.Open("/registrati/candidato")
	js.Fill("#given_name", "Carla")
	js.Fill("#family_name", "Nuova")
	js.Select("#home_municipality_code", "022205")
	js.Fill("#email", email)
	js.Fill("#password", password)
	js.Click(`form[action="/registrati/candidato"] button[type="submit"]`)
	js.Has("Controlla la tua e-mail")
	links := logs.find(t, "e-mail verification link")
	if len(links) != 1 {
		t.Fatalf("verification links logged: %v", links)
	}
	link, err := url.Parse(links[0]["link"].(string))
	if err != nil {
		t.Fatal(err)
	}
	js.Open(link.RequestURI())
	js.Has("Indirizzo e-mail confermato: ora puoi accedere.")

	signInByKeyboard(t, js, email, password)
	if got := js.Path(); got != "/candidato" {
		t.Fatalf("the jobseeker landed on %s", got)
	}
	js.Has("Ciao Carla", "Il tuo CV è completo al 0%.", "Sezioni ancora vuote:", "Chi può vedere il tuo CV")
	looksLikeBootstrapItalia(t, js)
	js.Screenshot("home-new")

	// The CV: several sections, names typed as the lists suggest them.
	js.Click(`a.nav-link[href="/candidato/cv"]`)
	js.Has("Il mio curriculum", "Lavori che cerchi", "Esperienze di lavoro", "Competenze", "Lingue")
	if n := webtest.Eval[int](js, `document.querySelectorAll('#occupation-list option').length`); n < 50 {
		t.Errorf("the occupations' list offers %d choices", n)
	}
	js.Fill("#headline", "Cuoca con 8 anni di esperienza in hotel")
	js.Fill("#desired_occupations-0-title", "Cuoco")
	js.Fill("#experiences-0-title", "Cuoca")
	if list := webtest.Eval[string](js, `document.querySelector('#experiences-0-title').list.id`); list != "occupation-list" {
		t.Errorf("the occupation field suggests from %q", list)
	}
	js.Fill("#experiences-0-employer_name", "Hotel Lago")
	js.Fill("#experiences-0-municipality_code", "Atlantide")
	setDate(t, js, "#experiences-0-start_date", "2018-04-01")
	tickByKeyboard(t, js, "#experiences-0-ongoing")
	if !webtest.Eval[bool](js, `document.querySelector('#experiences-0-end_date').disabled`) {
		t.Error("ticking «Ci lavoro ancora» leaves the end date to fill")
	}
	js.Fill("#skills-0-label", "Cucina tipica trentina")
	js.Select("#skills-0-level", "advanced")

	// A row added without JavaScript's help: the page comes back with it,
	// focused, and nothing saved yet.
	js.Click(`button[value="add:skills"]`)
	js.Has("Modifica non ancora salvata")
	if got := js.Focused(); got != "#skills-1-label" {
		t.Errorf("after adding a skill the focus is on %q", got)
	}
	if got := js.Value("#skills-0-label"); got != "Cucina tipica trentina" {
		t.Errorf("the first skill was not kept: %q", got)
	}
	js.Fill("#skills-1-label", "norme haccp e igiene alimentare")
	js.Select("#languages-0-language", "it")
	js.Select("#languages-0-level", "native")
	js.Click(`button[value="add:languages"]`)
	js.Select("#languages-1-language", "de")
	js.Select("#languages-1-level", "B2")
	tickByKeyboard(t, js, "#licences-B")
	tickByKeyboard(t, js, "#working_time-full_time")
	js.Fill("#mobility_km", "30")
	js.Screenshot("cv-filled")

	// A place not in the list comes back next to its field, the rest kept.
	js.Click(`.jcv-savebar button[value="save"]`)
	if st := js.Status(); st != 422 {
		t.Fatalf("saving with an unknown place answered %d", st)
	}
	js.Has("Correggi questi errori:", "Esperienza 1, Comune: non è un comune: scegline uno dall'elenco.")
	if got := js.Focused(); !strings.HasPrefix(got, "div") {
		t.Errorf("the focus is on %q, want the error summary", got)
	}
	if got := js.Value("#email"); got != email {
		t.Errorf("the address shown after the error is %q", got)
	}
	if got := js.Value("#skills-1-label"); got != "norme haccp e igiene alimentare" {
		t.Errorf("the second skill was not kept: %q", got)
	}
	js.Screenshot("cv-error")
	js.Fill("#experiences-0-municipality_code", "Riva del Garda")
	js.Click(`.jcv-savebar button[value="save"]`)
	js.Has("Curriculum salvato.")
	js.Screenshot("cv-saved")

	u, err := w.db.UserByEmail(ctx, email)
	if err != nil || u.CandidateID == nil {
		t.Fatalf("the account: %+v %v", u, err)
	}
	cand := w.candidate(*u.CandidateID)
	if cand.Headline != "Cuoca con 8 anni di esperienza in hotel" || len(cand.Experiences) != 1 ||
		cand.Experiences[0].OccupationCode != "occ-cuoco" || cand.Experiences[0].MunicipalityCode != "022153" ||
		cand.Experiences[0].EndDate != nil || len(cand.Skills) != 2 || cand.Skills[1].Code != "sk-haccp" ||
		len(cand.Languages) != 2 || len(cand.Licences) != 1 || cand.MobilityKm != 30 || len(cand.DesiredOccupations) != 1 {
		t.Errorf("the CV saved: %+v", cand)
	}

	// In English from here on, with the header's switch.
	js.Click(`a.nav-link[href="/candidato"]`)
	js.Click(`.lang-switch button[value="en"]`)
	// A new CV is neither searched nor presented until the jobseeker says so.
	js.Has("Hello Carla", "Your CV is", "Operators cannot search for your CV", "You do not want to be proposed to employers.")
	js.Screenshot("home-en")

	js.Click(`a[href="/candidato/visibilita"].btn`)
	js.Has("Visibility and consent", "May operators search for your CV?", "Anonymously")
	tickByKeyboard(t, js, "#searchable-yes")
	tickByKeyboard(t, js, "#presentation-blind")
	js.Screenshot("visibility-en")
	js.Click(`form.jcv-visibility button[type="submit"]`)
	js.Has("Your choices are saved.")
	if c := w.candidate(cand.ID); !c.Searchable || c.Presentation != matching.PresentBlind {
		t.Errorf("the consent saved: searchable %v, presentation %s", c.Searchable, c.Presentation)
	}

	// The data, downloaded as the link does.
	js.Open("/candidato/dati")
	js.Has("My data", "Download my data (JSON)", "Erase your account")
	js.Screenshot("data-en")
	got := webtest.Eval[string](js, `fetch(document.querySelector('a.jcv-download').href).then(r =>
		r.headers.get('Content-Disposition') + '\n' + r.headers.get('Content-Type') + '\n' + (r.status) + '\n').then(h =>
		fetch(document.querySelector('a.jcv-download').href).then(r => r.text()).then(t => h + t))`)
	head, body, _ := strings.Cut(got, "\n")
	if !strings.HasPrefix(head, `attachment; filename="incontro-dati-`) {
		t.Errorf("the download's Content-Disposition is %q", head)
	}
	_, body, _ = strings.Cut(body, "\n") // the content type
	_, body, _ = strings.Cut(body, "\n") // the status
	var data api.MyData
	if err := json.Unmarshal([]byte(body), &data); err != nil {
		t.Fatalf("the download is not the data: %v: %s", err, body)
	}
	if data.Account.Email != email || data.CV.Headline != "Cuoca con 8 anni di esperienza in hotel" || len(data.CV.Skills) != 2 ||
		data.CV.Experiences[0].Title != "Cuoca" || !data.Consent.Searchable || data.Consent.Presentation != matching.PresentBlind {
		t.Errorf("the download: %s", body)
	}

	// The erasure: the password again, the box ticked, the dialog accepted.
	js.Fill("#password", password)
	tickByKeyboard(t, js, "#confirm")
	js.Click(`form[action="/candidato/cancella"] button[type="submit"]`)
	if got := js.Path(); got != "/candidato/cancellato" {
		t.Fatalf("after the erasure the page is %s", got)
	}
	js.Has("Account erased", "Your account and your CV have been erased", "Sign in")
	js.Screenshot("erased-en")
	if _, err := w.db.Candidate(ctx, cand.ID); matching.ErrorCode(err) != matching.ENOTFOUND {
		t.Errorf("the candidate after the erasure: %v", err)
	}
	if _, err := w.db.UserByEmail(ctx, email); matching.ErrorCode(err) != matching.ENOTFOUND {
		t.Errorf("the account after the erasure: %v", err)
	}
	if st := js.Open("/candidato"); st != 401 {
		t.Errorf("the jobseeker's home after the erasure answered %d", st)
	}
	js.NoProblems()
}
