// Package ui holds the server-rendered pages of incontro: html/template
// templates and static assets embedded in the binary, parsed once at start.
// Every page has its own typed data, which embeds the common Page.
package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strconv"
	"strings"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// layoutFile is the base layout every page is rendered in.
const layoutFile = "templates/layout.html"

// pageNames lists the pages the renderer must provide; each is the file
// templates/<name>.html defining the "content" template.
func pageNames() []string {
	return []string{"home", "error", "verified"}
}

// DefaultLang is the language of the pages when Page.Lang is empty.
const DefaultLang = "it"

// Page is the data common to every page, embedded in each page's data.
type Page struct {
	Title     string
	Lang      string
	Version   string
	RequestID string
}

// Figures are the live figures of the service shown on the home page.
type Figures struct {
	Providers          int
	Operators          int
	Employers          int
	Candidates         int
	OpenVacancies      int
	RequestsInProgress int
}

// HomeData is the data of the "home" page; Figures is nil when the figures
// are not available.
type HomeData struct {
	Page
	Figures *Figures
}

// ErrorData is the data of the "error" page.
type ErrorData struct {
	Page
	Status  int
	Message string
}

// Renderer renders the embedded pages; it is safe for concurrent use.
type Renderer struct {
	pages map[string]*template.Template
}

// New parses the layout and every page once; a missing or malformed page is
// an error here rather than at request time.
func New() (*Renderer, error) {
	layout, err := template.New("layout.html").Funcs(template.FuncMap{
		"thousands": thousands,
	}).ParseFS(templateFiles, layoutFile)
	if err != nil {
		return nil, fmt.Errorf("ui: layout: %w", err)
	}
	r := &Renderer{pages: make(map[string]*template.Template)}
	for _, name := range pageNames() {
		t, err := layout.Clone()
		if err != nil {
			return nil, fmt.Errorf("ui: page %s: %w", name, err)
		}
		if _, err := t.ParseFS(templateFiles, "templates/"+name+".html"); err != nil {
			return nil, fmt.Errorf("ui: page %s: %w", name, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("ui: page %s: no \"content\" template", name)
		}
		r.pages[name] = t
	}
	return r, nil
}

// Render executes the page name with data and writes it to w only when the
// whole page rendered, so a failure never leaves a truncated page behind.
func (r *Renderer) Render(w io.Writer, name string, data any) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("ui: unknown page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("ui: render %s: %w", name, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// StaticFS returns the embedded static assets, rooted so that "style.css"
// is the stylesheet.
func StaticFS() fs.FS {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		// fs.Sub fails only on an invalid directory name, a constant here.
		panic(err)
	}
	return sub
}

// thousands formats n the Italian way, with a dot every three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(d)
	}
	return b.String()
}
