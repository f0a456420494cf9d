package index

import (
	"html"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"incontro/matching"
)

// Highlighting. The index keeps no copy of the CVs' text (see newMapping):
// a result page loads its candidates from PostgreSQL anyway, and the
// fragments are cut from them here, with the words of the search marked.
// A word is marked when the Italian analyzer reduces it to a term the
// search looks for, as the index matched it: "Cameriera" for "camerieri".
// The text of each field is the one the index searched (see Document), so
// that a synonym from the catalogue shows why an occupation matched (see
// Highlighter).

// Highlight limits and marks.
const (
	maxFragmentsPerField = 3
	fragmentBytes        = 160 // the window around the first marked word of a long text
	markOpen             = "<mark>"
	markClose            = "</mark>"
)

// Highlighter marks the words of one free-text search in the candidates
// it finds: the search is parsed and analyzed once, for every hit.
type Highlighter struct {
	terms map[string]map[string]bool // see searchTerms
}

// NewHighlighter returns the highlighter of a free-text search. Words
// excluded with -, wildcards, fuzzy words and regular expressions mark
// nothing, nor does a text that is not a valid search.
func NewHighlighter(text string) *Highlighter {
	return &Highlighter{terms: searchTerms(text)}
}

// Fragments returns, by text field, fragments of the candidate's text with
// the words of the search marked (<mark>…</mark>), in safe HTML: the rest
// of the text escaped. Fields without a marked word are left out; nil when
// nothing is marked.
func (h *Highlighter) Fragments(c matching.Candidate, asOf time.Time) map[string][]string {
	terms := h.terms
	if len(terms) == 0 {
		return nil
	}
	doc, ok := Document(c, asOf)
	if !ok {
		return nil
	}
	var out map[string][]string
	for _, f := range TextFields {
		var values []string
		switch v := doc[f.Field].(type) {
		case string:
			values = []string{v}
		case []string:
			values = v
		}
		for _, v := range values {
			frag, ok := markTerms(v, terms[""], terms[f.Field])
			if !ok {
				continue
			}
			if out == nil {
				out = map[string][]string{}
			}
			if len(out[f.Field]) < maxFragmentsPerField {
				out[f.Field] = append(out[f.Field], frag)
			}
		}
	}
	return out
}

// searchTerms returns the analyzed terms a free-text search looks for, by
// field ("" for every text field).
func searchTerms(text string) map[string]map[string]bool {
	parsed, err := query.NewQueryStringQuery(text).Parse()
	if err != nil {
		return nil
	}
	out := map[string]map[string]bool{}
	add := func(field, s string) {
		if field != "" && !isTextField(field) {
			return
		}
		for _, w := range analyzeItalian(s) {
			if out[field] == nil {
				out[field] = map[string]bool{}
			}
			out[field][w] = true
		}
	}
	var walk func(q query.Query)
	walk = func(q query.Query) {
		switch t := q.(type) {
		case *query.BooleanQuery:
			// MustNot is left out: excluded words are not in the hits.
			if t.Must != nil {
				walk(t.Must)
			}
			if t.Should != nil {
				walk(t.Should)
			}
		case *query.ConjunctionQuery:
			for _, sub := range t.Conjuncts {
				walk(sub)
			}
		case *query.DisjunctionQuery:
			for _, sub := range t.Disjuncts {
				walk(sub)
			}
		case *query.MatchQuery:
			if t.Fuzziness == 0 {
				add(t.FieldVal, t.Match)
			}
		case *query.MatchPhraseQuery:
			add(t.FieldVal, t.MatchPhrase)
		}
	}
	walk(parsed)
	return out
}

// markTerms marks the words of s whose term is in any or in field, and
// escapes the rest; a long s is cut to a window around the first marked
// word. ok is false when no word is marked.
func markTerms(s string, anyField, field map[string]bool) (frag string, ok bool) {
	type span struct{ start, end int }
	var marks []span
	for _, t := range italian().Analyze([]byte(s)) {
		if anyField[string(t.Term)] || field[string(t.Term)] {
			marks = append(marks, span{t.Start, t.End})
		}
	}
	if len(marks) == 0 {
		return "", false
	}
	from, to := 0, len(s)
	if len(s) > fragmentBytes {
		from = max(0, marks[0].start-fragmentBytes/4)
		to = min(len(s), from+fragmentBytes)
		// Whole runes, and whole words where a space is near.
		for from > 0 && !utf8.RuneStart(s[from]) {
			from--
		}
		for to < len(s) && !utf8.RuneStart(s[to]) {
			to++
		}
		if i := strings.IndexByte(s[from:marks[0].start], ' '); from > 0 && i >= 0 {
			from += i + 1
		}
		if i := strings.LastIndexByte(s[from:to], ' '); to < len(s) && i > 0 && from+i >= marks[0].end {
			to = from + i
		}
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	at := from
	for _, m := range marks {
		if m.start < at || m.end > to {
			continue
		}
		b.WriteString(html.EscapeString(s[at:m.start]))
		b.WriteString(markOpen)
		b.WriteString(html.EscapeString(s[m.start:m.end]))
		b.WriteString(markClose)
		at = m.end
	}
	b.WriteString(html.EscapeString(s[at:to]))
	if to < len(s) {
		b.WriteString("…")
	}
	return b.String(), true
}
