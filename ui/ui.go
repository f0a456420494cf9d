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
	"slices"
	"strings"
	"text/template/parse"

	"incontro/matching"
)

//go:embed templates
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// layoutFile is the base layout every page is rendered in.
const layoutFile = "templates/layout.html"

// pageNames lists the pages the renderer must provide; each is the file
// templates/<name>.html defining the "content" template.
func pageNames() []string {
	return []string{"home", "error", "verified", "login", "signup", "signup_employer", "signup_jobseeker",
		"signup_sent", "account", "admin_users",
		"candidates", "candidate", "wb_queue", "wb_request", "wb_match",
		"wb2_candidates", "wb2_entry", "wb2_shortlist", "wb2_time",
		"mon_reports",
		"pub_list", "pub_vacancy", "pub_gone", "act_vacancies", "act_applications", "act_availability",
		"emp_home", "emp_vacancy", "emp_request",
		"js_home", "js_cv", "js_visibility", "js_views", "js_data", "js_erased"}
}

// VendorStylesheet is the Bootstrap Italia stylesheet inside StaticFS;
// without it (a build that skipped `make assets`) the pages fall back to
// the plain style.css.
const VendorStylesheet = "vendor/bootstrap-italia/css/bootstrap-italia.min.css"

// Page is the data common to every page, embedded in each page's data.
type Page struct {
	Title     string
	Lang      string
	Version   string
	RequestID string
	// Path is the request's path and query, where the language switch
	// comes back to.
	Path string
	// User is the signed-in user, nil for an anonymous visitor.
	User *User
	// CSRFToken is the session's token, sent back by every form.
	CSRFToken string
	// Flash is the message of the previous form, shown once.
	Flash *Flash
	// Nav is the main navigation of the user's role.
	Nav []NavItem
	// Assets is true when the Bootstrap Italia assets are embedded.
	Assets bool
	// Locale translates the page's text; its zero value marks every key.
	Locale Locale
}

// T returns a message of the catalogue in the page's language.
func (p Page) T(key string, args ...any) string { return p.Locale.T(key, args...) }

// Say says a text of a match's explanation in the page's language:
// {{$.Say .Reason}}, {{$.Say .Requirement}}, {{range .Proofs}}{{$.Say .Text}}…
// (see Locale.Say).
func (p Page) Say(t matching.Text) string { return p.Locale.Say(t) }

// LangOption is an entry of the language switch.
type LangOption struct {
	Code    string
	Name    string
	Current bool
}

// Languages returns the language switch's entries, each named in its own
// language.
func (p Page) Languages() []LangOption {
	names := map[string]string{Italian: "Italiano", English: "English"}
	out := make([]LangOption, 0, 2)
	for _, code := range Languages() {
		out = append(out, LangOption{Code: code, Name: names[code], Current: code == p.Lang || (p.Lang == "" && code == DefaultLang)})
	}
	return out
}

// User is the signed-in user as the header shows them.
type User struct {
	Name  string
	Email string
	Role  matching.Role
	// Home is the page the user lands on after signing in.
	Home string
}

// RoleKey is the catalogue key of the user's role.
func (u User) RoleKey() string { return RoleKey(u.Role) }

// RoleKey is the catalogue key of a role's name.
func RoleKey(r matching.Role) string { return "role." + string(r) }

// NavItem is a link of the main navigation; Label is a catalogue key.
type NavItem struct {
	Label   string
	Href    string
	Current bool
}

// Flash is a message left by a form for the page it redirects to. Kind is
// a Bootstrap alert kind (success, info, warning, danger); Secret, when
// set, is shown once in a read-only field labelled SecretLabel.
type Flash struct {
	Kind        string
	Text        string
	Secret      string
	SecretLabel string
}

// FieldErrors are a form's errors by field name, already translated.
type FieldErrors map[string]string

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
	// Detail is what the error itself says, when it says more.
	Detail string
	// SignIn shows the sign-in link (the page asks for a signed-in user).
	SignIn bool
}

// Renderer renders the embedded pages; it is safe for concurrent use.
type Renderer struct {
	pages  map[string]*template.Template
	cat    *catalogue
	assets bool
}

// New parses the layout and every page once and loads the message
// catalogue; a missing or malformed page, or a message key a template uses
// that the catalogue lacks, is an error here rather than at request time.
func New() (*Renderer, error) {
	cat, err := buildCatalogue(Messages())
	if err != nil {
		return nil, err
	}
	layout, err := template.New("layout.html").ParseFS(templateFiles, layoutFile, "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("ui: layout: %w", err)
	}
	r := &Renderer{pages: make(map[string]*template.Template), cat: cat}
	var missing []string
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
		for _, key := range templateKeys(t) {
			if !cat.keys[key] {
				missing = append(missing, name+": "+key)
			}
		}
		r.pages[name] = t
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, fmt.Errorf("ui: message keys missing from the catalogue: %s", strings.Join(slices.Compact(missing), ", "))
	}
	_, err = fs.Stat(StaticFS(), VendorStylesheet)
	r.assets = err == nil
	return r, nil
}

// AssetsPresent reports whether the Bootstrap Italia assets are embedded.
func (r *Renderer) AssetsPresent() bool { return r.assets }

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

// templateKeys returns the message keys a template set names literally, as
// in {{.T "login.title"}} or {{$.T "login.title" .Email}}.
func templateKeys(t *template.Template) []string {
	var keys []string
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			if len(n.Args) >= 2 && isTranslate(n.Args[0]) {
				if s, ok := n.Args[1].(*parse.StringNode); ok {
					keys = append(keys, s.Text)
				}
			}
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
		}
	}
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			walk(tt.Tree.Root)
		}
	}
	return keys
}

// isTranslate reports whether a command's first argument is the T method
// of the page (.T, $.T).
func isTranslate(n parse.Node) bool {
	switch n := n.(type) {
	case *parse.FieldNode:
		return len(n.Ident) == 1 && n.Ident[0] == "T"
	case *parse.VariableNode:
		return len(n.Ident) == 2 && n.Ident[0] == "$" && n.Ident[1] == "T"
	}
	return false
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

// FieldError is one field's error as the "field-error" partial shows it.
type FieldError struct {
	ID   string
	Text string
}

// For returns the error of a field, empty when it has none.
func (e FieldErrors) For(field string) FieldError { return FieldError{ID: field, Text: e[field]} }

// Invalid reports whether a field has an error.
func (e FieldErrors) Invalid(field string) bool { return e[field] != "" }
