package ui

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	page := Page{Title: "Titolo di prova", Version: "1.2.3", RequestID: "rid-42"}
	tests := []struct {
		name    string
		page    string
		data    any
		want    []string
		notWant []string
	}{
		{
			name: "home with figures",
			page: "home",
			data: HomeData{Page: page, Figures: &Figures{
				Providers: 12, Operators: 345, Employers: 6789,
				Candidates: 1234567, OpenVacancies: 89, RequestsInProgress: 0,
			}},
			want: []string{
				`<html lang="it">`,
				"<title>Titolo di prova · incontro</title>",
				`<a href="/">incontro</a> — Incontro domanda-offerta di lavoro · Provincia autonoma di Trento`,
				"versione <span class=\"version\">1.2.3</span>",
				"<dt>Enti erogatori</dt><dd>12</dd>",
				"<dt>Operatori</dt><dd>345</dd>",
				"<dt>Datori di lavoro</dt><dd>6.789</dd>",
				"<dt>Candidati</dt><dd>1.234.567</dd>",
				"<dt>Offerte di lavoro aperte</dt><dd>89</dd>",
				"<dt>Richieste in corso</dt><dd>0</dd>",
				`href="/healthz"`, `href="/readyz"`, `href="/metrics"`,
				`href="/static/style.css"`,
			},
			notWant: []string{"non sono momentaneamente disponibili"},
		},
		{
			name:    "home without figures",
			page:    "home",
			data:    HomeData{Page: page},
			want:    []string{"I dati non sono momentaneamente disponibili.", `href="/readyz"`},
			notWant: []string{"<dl"},
		},
		{
			name: "explicit language",
			page: "home",
			data: HomeData{Page: Page{Title: "x", Lang: "de"}},
			want: []string{`<html lang="de">`},
		},
		{
			name: "client error",
			page: "error",
			data: ErrorData{Page: Page{Title: "Richiesta non valida", RequestID: "rid-7"}, Status: 422, Message: "partita IVA non valida"},
			want: []string{
				"<h1>Richiesta non valida</h1>",
				"Errore 422",
				`<p class="message">partita IVA non valida</p>`,
				"Codice di riferimento della richiesta: <code class=\"request-id\">rid-7</code>",
			},
			notWant: []string{"contatta l'assistenza"},
		},
		{
			name: "internal error quotes the request id",
			page: "error",
			data: ErrorData{Page: Page{Title: "Errore interno", RequestID: "rid-9"}, Status: 500, Message: "Si è verificato un errore imprevisto."},
			want: []string{
				"<h1>Errore interno</h1>",
				"contatta l'assistenza indicando questo codice di riferimento: <code class=\"request-id\">rid-9</code>",
			},
		},
		{
			name:    "message is escaped",
			page:    "error",
			data:    ErrorData{Page: Page{Title: "Richiesta non valida"}, Status: 400, Message: `<script>alert("x")</script>`},
			want:    []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"},
			notWant: []string{"<script>", "Codice di riferimento"},
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
	r, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
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
	if _, err := fs.Stat(StaticFS(), "templates/layout.html"); err == nil {
		t.Error("templates are served as static assets")
	}
}

func TestThousands(t *testing.T) {
	tests := []struct {
		in   int
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1.000"}, {12345, "12.345"},
		{1234567, "1.234.567"}, {-1234, "-1.234"}, {-12, "-12"},
	}
	for _, tt := range tests {
		if got := thousands(tt.in); got != tt.want {
			t.Errorf("thousands(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
