package ui

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"incontro/matching"
)

// The pages' text lives in a message catalogue of golang.org/x/text
// (messages.go): the Go team's package already in our module graph, whose
// printer formats numbers the way each language writes them ("1.234" in
// Italian, "1,234" in English), chooses plural forms, and whose language
// matcher reads a browser's Accept-Language. A key missing from the
// catalogue is found when the templates are parsed (New fails) or by the
// tests, never by a user.

// Supported page languages, the default first.
const (
	Italian = "it"
	English = "en"
)

// DefaultLang is the language of the pages when nothing else decides.
const DefaultLang = Italian

// Languages returns the codes of the page languages, the default first.
func Languages() []string { return []string{Italian, English} }

// SupportedLang reports whether code names a page language.
func SupportedLang(code string) bool { return code == Italian || code == English }

var tags = map[string]language.Tag{Italian: language.Italian, English: language.English}

// catalogue holds the pages' messages in every language; keys is the set of
// message keys, so that a missing key can be told from a translated one.
type catalogue struct {
	cat  catalog.Catalog
	keys map[string]bool
}

// buildCatalogue loads the message table; a key given twice or a message
// without its English text is an error.
func buildCatalogue(table []Message) (*catalogue, error) {
	b := catalog.NewBuilder(catalog.Fallback(language.Italian))
	keys := make(map[string]bool, len(table))
	var errs []error
	for _, m := range table {
		switch {
		case m.Key == "":
			errs = append(errs, fmt.Errorf("a message has no key (Italian %q)", m.It))
			continue
		case keys[m.Key]:
			errs = append(errs, fmt.Errorf("message %q is defined twice", m.Key))
		case m.It == "" || m.En == "":
			errs = append(errs, fmt.Errorf("message %q lacks its Italian or English text", m.Key))
		}
		keys[m.Key] = true
		if err := b.SetString(language.Italian, m.Key, m.It); err != nil {
			errs = append(errs, fmt.Errorf("message %q: %w", m.Key, err))
		}
		if err := b.SetString(language.English, m.Key, m.En); err != nil {
			errs = append(errs, fmt.Errorf("message %q: %w", m.Key, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("ui: message catalogue: %w", err)
	}
	return &catalogue{cat: b, keys: keys}, nil
}

// Locale translates the pages' messages into one language.
type Locale struct {
	lang    string
	printer *message.Printer
	keys    map[string]bool
}

// Locale returns the locale of a page language; an unsupported code gives
// the default language.
func (r *Renderer) Locale(lang string) Locale {
	if !SupportedLang(lang) {
		lang = DefaultLang
	}
	return Locale{lang: lang, printer: message.NewPrinter(tags[lang], message.Catalog(r.cat.cat)), keys: r.cat.keys}
}

// Lang returns the locale's language code.
func (l Locale) Lang() string { return l.lang }

// T returns the message key in the locale's language with args formatted
// into it. A key missing from the catalogue shows as ⟦key⟧, which the tests
// look for.
func (l Locale) T(key string, args ...any) string {
	if l.printer == nil {
		return "⟦" + key + "⟧"
	}
	if !l.keys[key] {
		return "⟦" + key + "⟧"
	}
	return l.printer.Sprintf(key, args...)
}

// Say says a text of a match's explanation (a requirement in words, a
// reason, a proof, a requirement to verify) in the locale's language. A
// text stored before explanations had phrases is known only in Italian and
// says its Italian in every language.
func (l Locale) Say(t matching.Text) string { return t.In(l.lang) }

// Has reports whether the catalogue has a message key.
func (l Locale) Has(key string) bool { return l.keys[key] }

// ErrorText returns the message of a coded error for a user of the locale:
// the catalogue's translation of the domain message (key "error." followed
// by the English message) when there is one, the domain message otherwise.
// Internal errors are never detailed.
func (l Locale) ErrorText(err error) string {
	if matching.ErrorCode(err) == matching.EINTERNAL {
		return l.T("error.internal")
	}
	msg := matching.ErrorMessage(err)
	if key := "error." + msg; l.keys[key] {
		return l.T(key)
	}
	// A message with figures in it ("must be at most 200 characters") is
	// found as its form with %s for each figure, which keeps the figures
	// as they were written.
	var figures []any
	form := figure.ReplaceAllStringFunc(msg, func(f string) string {
		figures = append(figures, f)
		return "%s"
	})
	if key := "error." + form; len(figures) > 0 && l.keys[key] {
		return l.T(key, figures...)
	}
	return msg
}

// figure is a number inside a domain message.
var figure = regexp.MustCompile(`[0-9]+(?:\.[0-9]+)?`)

// MatchLang returns the page language that best fits an Accept-Language
// header, or "" when the header names none of them.
func MatchLang(acceptLanguage string) string {
	if strings.TrimSpace(acceptLanguage) == "" {
		return ""
	}
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 {
		return ""
	}
	_, idx, conf := matcher.Match(prefs...)
	if conf == language.No {
		return ""
	}
	return Languages()[idx]
}

var matcher = language.NewMatcher([]language.Tag{language.Italian, language.English})

// LangFromRequest is the language a request asks for with ?lang=, or "".
func LangFromRequest(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); SupportedLang(l) {
		return l
	}
	return ""
}
