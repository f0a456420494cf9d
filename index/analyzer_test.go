package index

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

// The labels' analyzer gives the Italian analyzer's tokens, the first time
// and when it remembers them, and what it remembers does not change with
// the buffer it was given.
func TestLabelsAnalyzerGivesTheItalianTokens(t *testing.T) {
	m := newMapping()
	labels, it := m.AnalyzerNamed(labelsAnalyzer), m.AnalyzerNamed(mappingAnalyzer)
	if labels == nil || it == nil {
		t.Fatal("an analyzer is missing")
	}
	same := func(a, b analysis.TokenStream) bool {
		return slices.EqualFunc(a, b, func(x, y *analysis.Token) bool {
			return string(x.Term) == string(y.Term) && x.Start == y.Start && x.End == y.End && x.Position == y.Position && x.Type == y.Type
		})
	}
	values := []string{"Cameriere di sala", "Addetta all'accoglienza", "l'operatore dell'impianto", "Cuochi, cuoche e chef",
		"HACCP", "Lingua tedesca (livello B2)", "e", "", string(make([]byte, labelMaxLen+1))}
	for round := range 3 {
		for _, v := range values {
			buf := []byte(v)
			got := labels.Analyze(buf)
			want := it.Analyze([]byte(v))
			if !same(got, want) {
				t.Errorf("round %d, %q: %v, want %v", round, v, got, want)
			}
			for i := range buf {
				buf[i] = 'x' // the caller's buffer changes; the tokens kept must not
			}
		}
	}
	// Each value is remembered under what it was, not as the analyzer
	// left the buffer (in lower case).
	for _, v := range values[:6] {
		if _, ok := labelTokens.Load(v); !ok {
			t.Errorf("%q is not remembered", v)
		}
	}
}
