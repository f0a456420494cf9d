package ui

import (
	"bytes"
	"encoding/json"
	"html/template"
	"io/fs"
	"strings"
	"testing"
	"time"

	"incontro/matching"
)

func mustRenderer(t *testing.T) *Renderer {
	t.Helper()
	r, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

func TestRender(t *testing.T) {
	r := mustRenderer(t)
	page := func(lang string) Page {
		return Page{Title: "Titolo di prova", Lang: lang, Version: "1.2.3", RequestID: "rid-42", Path: "/", Locale: r.Locale(lang)}
	}
	signedIn := page("it")
	signedIn.User = &User{Name: "Olga Operatrice", Email: "olga@example.org", Role: matching.RoleOperator, Home: "/operatore"}
	signedIn.CSRFToken = "csrf-xyz"
	signedIn.Nav = []NavItem{{Label: "nav.workbench", Href: "/operatore", Current: true}, {Label: "nav.account", Href: "/account"}}
	tests := []struct {
		name    string
		page    string
		data    any
		want    []string
		notWant []string
	}{
		{
			name: "home with figures, in Italian",
			page: "home",
			data: HomeData{Page: page("it"), Figures: &Figures{
				Providers: 12, Operators: 345, Employers: 6789,
				Candidates: 1234567, OpenVacancies: 89, RequestsInProgress: 0,
			}},
			want: []string{
				`<html lang="it">`,
				"<title>Titolo di prova · incontro</title>",
				`<a class="visually-hidden-focusable skip-link" href="#main">Vai al contenuto principale</a>`,
				`<main id="main" tabindex="-1">`,
				`Versione <span class="version">1.2.3</span>`,
				"<dt>Enti erogatori</dt><dd>12</dd>",
				"<dt>Datori di lavoro</dt><dd>6.789</dd>",
				"<dt>Candidati</dt><dd>1.234.567</dd>",
				"<dt>Richieste in corso</dt><dd>0</dd>",
				`href="/healthz"`, `href="/readyz"`, `href="/metrics"`,
				`href="/static/style.css"`,
				`<a class="btn btn-primary btn-sm btn-icon login" href="/accedi">`,
				`name="lang" value="en" lang="en"`,
			},
			notWant: []string{"non sono momentaneamente disponibili", "⟦", "/esci"},
		},
		{
			name: "home in English writes numbers the English way",
			page: "home",
			data: HomeData{Page: page("en"), Figures: &Figures{Candidates: 1234567}},
			want: []string{`<html lang="en">`, "<dt>Candidates</dt><dd>1,234,567</dd>", "Skip to main content",
				`value="en" lang="en" class="btn btn-link lang-option current" aria-current="true"`},
			notWant: []string{"⟦"},
		},
		{
			name:    "home without figures",
			page:    "home",
			data:    HomeData{Page: page("it")},
			want:    []string{"I dati non sono momentaneamente disponibili.", `href="/readyz"`},
			notWant: []string{"<dl"},
		},
		{
			name: "the header names the signed-in user and role and logs out with the CSRF token",
			page: "home",
			data: HomeData{Page: signedIn},
			want: []string{
				`<span class="user-name">Olga Operatrice</span> <span class="badge role-badge">Operatore</span>`,
				`<form method="post" action="/esci" class="d-inline">`,
				`<input type="hidden" name="csrf_token" value="csrf-xyz">`,
				`<a class="nav-link active" href="/operatore" aria-current="page"><span>Scrivania</span></a>`,
				`<a class="nav-link" href="/account"><span>Il mio account</span></a>`,
			},
			notWant: []string{`class="btn btn-primary btn-sm btn-icon login"`},
		},
		{
			name: "client error",
			page: "error",
			data: ErrorData{Page: Page{Title: "Richiesta non valida", RequestID: "rid-7", Locale: r.Locale("it")}, Status: 422, Message: "partita IVA non valida"},
			want: []string{
				"<h1>Richiesta non valida</h1>",
				"Errore 422",
				`<p class="message">partita IVA non valida</p>`,
				"Codice di riferimento della richiesta: <code class=\"request-id\">rid-7</code>",
			},
			notWant: []string{"contatta l&#39;assistenza"},
		},
		{
			name: "internal error quotes the request id",
			page: "error",
			data: ErrorData{Page: Page{Title: "Errore interno", RequestID: "rid-9", Locale: r.Locale("it")}, Status: 500, Message: "Si è verificato un errore imprevisto."},
			want: []string{
				"<h1>Errore interno</h1>",
				"contatta l&#39;assistenza indicando questo codice di riferimento: <code class=\"request-id\">rid-9</code>",
			},
		},
		{
			name:    "message is escaped",
			page:    "error",
			data:    ErrorData{Page: Page{Title: "Richiesta non valida", Locale: r.Locale("it")}, Status: 400, Message: `<script>alert("x")</script>`},
			want:    []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"},
			notWant: []string{`<script>alert`, "Codice di riferimento"},
		},
		{
			name: "a log-in form that came back keeps the e-mail and shows the error by its field",
			page: "login",
			data: LoginData{Page: page("it"), Email: "olga@example.org", Errors: FieldErrors{"password": "Indirizzo e-mail o password errati."}},
			want: []string{
				`value="olga@example.org"`,
				`class="form-control is-invalid" aria-invalid="true" aria-describedby="password-error"`,
				`<div class="invalid-feedback d-block" id="password-error">Indirizzo e-mail o password errati.</div>`,
				`<a href="#password">Indirizzo e-mail o password errati.</a>`,
				`<label for="email" class="active">Indirizzo e-mail</label>`,
			},
		},
		{
			name: "a flash secret is shown in a labelled read-only field",
			page: "home",
			data: HomeData{Page: func() Page {
				p := page("en")
				p.Flash = &Flash{Kind: "success", Text: "Token created.", Secret: "inc_abc", SecretLabel: "Your new API token"}
				return p
			}()},
			want: []string{`<div class="alert alert-success flash" role="status">`, `<label for="flash-secret" class="secret-label">Your new API token</label>`,
				`readonly value="inc_abc"`, "it will not be shown again"},
		},
		{
			name: "assets present: Bootstrap Italia's stylesheet and bundle",
			page: "home",
			data: HomeData{Page: func() Page { p := page("it"); p.Assets = true; return p }()},
			want: []string{`href="/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css"`, `href="/static/fonts.css"`,
				`src="/static/vendor/bootstrap-italia/js/bootstrap-italia.bundle.min.js" defer`},
		},
		{
			name:    "assets missing: only the plain stylesheet",
			page:    "home",
			data:    HomeData{Page: page("it")},
			notWant: []string{"bootstrap-italia.min.css", "bootstrap-italia.bundle.min.js"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := r.Render(&buf, tt.page, tt.data); err != nil {
				t.Fatalf("Render: %v", err)
			}
			got := buf.String()
			if !strings.HasPrefix(got, "<!doctype html>") {
				t.Errorf("page does not start with the doctype: %.40q", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("page lacks %q\n%s", w, got)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("page contains %q\n%s", w, got)
				}
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	r := mustRenderer(t)
	tests := []struct {
		name string
		page string
		data any
	}{
		{"unknown page", "nope", HomeData{}},
		{"layout is not a page", "layout", HomeData{}},
		{"wrong data type", "error", struct{ Title string }{"x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := r.Render(&buf, tt.page, tt.data); err == nil {
				t.Fatal("Render succeeded, want an error")
			}
			if buf.Len() != 0 {
				t.Errorf("a failed render wrote %d bytes", buf.Len())
			}
		})
	}
}

func TestTheCatalogueHasEveryMessageInBothLanguages(t *testing.T) {
	if _, err := buildCatalogue(Messages()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		table []Message
	}{
		{"a key given twice", []Message{{"a", "uno", "one"}, {"a", "due", "two"}}},
		{"no English", []Message{{"a", "uno", ""}}},
		{"no key", []Message{{"", "uno", "one"}}},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			if _, err := buildCatalogue(tc.table); err == nil {
				t.Fatal("the catalogue was accepted")
			}
		})
	}
	// The keys the pages build at run time, which the template check cannot see.
	r := mustRenderer(t)
	for _, lang := range Languages() {
		loc := r.Locale(lang)
		for _, role := range matching.Roles() {
			if !loc.Has(RoleKey(role)) {
				t.Errorf("no name for role %s", role)
			}
		}
		for _, st := range (AdminUsersData{}).Statuses() {
			if !loc.Has("status." + string(st)) {
				t.Errorf("no name for status %s", st)
			}
		}
	}
}

func TestATemplateKeyMissingFromTheCatalogueIsFound(t *testing.T) {
	tmpl := template.Must(template.New("x").Parse(`{{define "content"}}{{.T "known"}} {{with .X}}{{$.T "nested" .}}{{end}} {{.T .Dynamic}}{{end}}`))
	got := templateKeys(tmpl)
	if strings.Join(got, ",") != "known,nested" {
		t.Fatalf("keys = %v, want known, nested", got)
	}
	loc := mustRenderer(t).Locale("it")
	if got := loc.T("no.such.key"); got != "⟦no.such.key⟧" {
		t.Errorf("a missing key renders as %q", got)
	}
}

func TestLocale(t *testing.T) {
	r := mustRenderer(t)
	if got := r.Locale("de").Lang(); got != DefaultLang {
		t.Errorf("an unsupported language gives %q, want the default", got)
	}
	it, en := r.Locale("it"), r.Locale("en")
	if got := it.T("login.rate_limited", 37); got != "Troppi tentativi non riusciti: riprova tra 37 secondi." {
		t.Errorf("Italian with an argument: %q", got)
	}
	err := matching.FieldErrorf("password", "is too easy to guess: choose a longer phrase")
	if got := it.ErrorText(err); got != "è troppo facile da indovinare: scegli una frase più lunga." {
		t.Errorf("translated domain message: %q", got)
	}
	if got := it.ErrorText(matching.FieldErrorf("x", "an untranslated message")); got != "an untranslated message" {
		t.Errorf("an untranslated domain message: %q", got)
	}
	if got := en.ErrorText(matching.Errorf(matching.EINTERNAL, "secret detail")); strings.Contains(got, "secret") {
		t.Errorf("an internal error shows its detail: %q", got)
	}
}

func TestAPageSaysAnExplanationInItsLanguage(t *testing.T) {
	r := mustRenderer(t)
	text := matching.DescribeRequirement(matching.Requirement{Kind: matching.ReqLanguage, Code: "de", Level: "B2"})
	var stored matching.Assessment // an assessment stored before explanations had phrases
	if err := json.Unmarshal([]byte(`{"requirement":"Tedesco almeno B2","reason":"Tedesco B2."}`), &stored); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		page      Page
		text, old string
	}{
		{Page{Lang: "en", Locale: r.Locale("en")}, "German, at least B2", "Tedesco B2."},
		{Page{Lang: "it", Locale: r.Locale("it")}, "Tedesco almeno B2", "Tedesco B2."},
		{Page{}, "Tedesco almeno B2", "Tedesco B2."},
	} {
		if got := tc.page.Say(text); got != tc.text {
			t.Errorf("%q page: %q, want %q", tc.page.Lang, got, tc.text)
		}
		if got := tc.page.Say(stored.Reason); got != tc.old {
			t.Errorf("%q page, stored reason: %q, want %q", tc.page.Lang, got, tc.old)
		}
	}
	var b bytes.Buffer
	tpl := template.Must(template.New("t").Parse(`{{.Say .R}} | {{.R}}`))
	if err := tpl.Execute(&b, struct {
		Page
		R matching.Text
	}{Page{Locale: r.Locale("en")}, text}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "German, at least B2 | Tedesco almeno B2" {
		t.Errorf("a template says %q: Say in the page's language, a bare text in Italian", got)
	}
}

func TestMatchLang(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"", ""},
		{"en-GB,en;q=0.9", "en"},
		{"it-IT,it;q=0.9,en;q=0.8", "it"},
		{"de-DE,en;q=0.5", "en"},
		{"fr", ""},
		{"!!!", ""},
	} {
		if got := MatchLang(tc.header); got != tc.want {
			t.Errorf("MatchLang(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

func TestDateTimeIsInItalianTime(t *testing.T) {
	at := time.Date(2026, 1, 2, 13, 5, 0, 0, time.UTC)
	if got := (Page{Lang: "it"}).DateTime(at); got != "02/01/2026 14:05" {
		t.Errorf("Italian: %q", got)
	}
	if got := (Page{Lang: "en"}).DateTime(at); got != "2 Jan 2026 14:05" {
		t.Errorf("English: %q", got)
	}
}

func TestStaticFS(t *testing.T) {
	css, err := fs.ReadFile(StaticFS(), "style.css")
	if err != nil {
		t.Fatalf("read style.css: %v", err)
	}
	for _, w := range []string{":focus-visible", "outline"} {
		if !bytes.Contains(css, []byte(w)) {
			t.Errorf("style.css lacks %q", w)
		}
	}
	for _, name := range []string{"fonts.css", "app.js"} {
		if _, err := fs.Stat(StaticFS(), name); err != nil {
			t.Errorf("%s is not embedded: %v", name, err)
		}
	}
	if _, err := fs.Stat(StaticFS(), "templates/layout.html"); err == nil {
		t.Error("templates are served as static assets")
	}
}

func TestHistoryNotesTheStoreWritesAreTranslated(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	it, en := r.Locale(Italian), r.Locale(English)
	cases := []struct{ note, it, en string }{
		{"contact: available", "contatto: Disponibile", "contact: Available"},
		{"feedback: hired", "riscontro del datore: Assunto", "employer's feedback: Hired"},
		{"shortlist version 2", "rosa versione 2", "shortlist version 2"},
		{"presented in shortlist version 1", "presentato nella rosa versione 1", "presented in shortlist version 1"},
		{"taken out of shortlist version 3", "tolto dalla rosa versione 3", "taken out of shortlist version 3"},
		{"match run 1234", "abbinamento n. 1234", "match run 1234"},
		{"application withdrawn", "candidatura ritirata", "application withdrawn"},
		// What a person typed, and unknown codes, stay as they are.
		{"contact: by the back door", "contact: by the back door", "contact: by the back door"},
		{"contact: teleported", "contact: teleported", "contact: teleported"},
		{"Richiamare lunedì", "Richiamare lunedì", "Richiamare lunedì"},
	}
	for _, c := range cases {
		if got := it.Note(c.note); got != c.it {
			t.Errorf("Italian %q: %q, want %q", c.note, got, c.it)
		}
		if got := en.Note(c.note); got != c.en {
			t.Errorf("English %q: %q, want %q", c.note, got, c.en)
		}
	}
}

func TestDomainMessagesWithFiguresAreTranslatedByTheirForm(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	it, en := r.Locale(Italian), r.Locale(English)
	for _, c := range []struct{ msg, it, en string }{
		{"must be at most 200 characters", "deve avere al massimo 200 caratteri.", "must be at most 200 characters."},
		{"must be between 20 and 4000 characters", "deve avere tra 20 e 4000 caratteri.", "must be between 20 and 4000 characters."},
		{"must be at least 12 characters long", "deve avere almeno 12 caratteri.", "must be at least 12 characters long."},
		// Without a form in the catalogue the message stays as the domain wrote it.
		{"request 12 is closed", "request 12 is closed", "request 12 is closed"},
	} {
		err := matching.FieldErrorf("note", "%s", c.msg)
		if got := it.ErrorText(err); got != c.it {
			t.Errorf("Italian %q: %q, want %q", c.msg, got, c.it)
		}
		if got := en.ErrorText(err); got != c.en {
			t.Errorf("English %q: %q, want %q", c.msg, got, c.en)
		}
	}
}
