package index

import (
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// labelsAnalyzer is the analyzer of the text fields whose values are
// mostly labels of the catalogues: occupations (the CV's titles with the
// catalogue's title and synonyms) and skills. The same few thousand labels
// come back in CV after CV, and analysing each anew (tokenising, elision,
// stop words, stemming) was a fifth of the CPU of an index build. It gives
// the tokens of bleve's Italian analyzer, remembering those of short values:
// a value is analysed once per process.
const labelsAnalyzer = "incontro_it_labels"

// Limits of what labelsAnalyzer remembers: values up to labelMaxLen bytes,
// up to labelMaxEntries of them, some 20 MB at most (the built-in
// catalogues have under a thousand labels, ESCO's some tens of thousands;
// free text typed into an occupation's title is remembered until the limit
// and then analysed each time).
const (
	labelMaxLen     = 160
	labelMaxEntries = 20000
)

func init() {
	err := registry.RegisterAnalyzer(labelsAnalyzer, func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		it, err := cache.AnalyzerNamed(mappingAnalyzer)
		if err != nil {
			return nil, err
		}
		return &rememberingAnalyzer{inner: it}, nil
	})
	if err != nil {
		panic(err)
	}
}

// rememberingAnalyzer gives an analyzer's tokens of a value, analysed once:
// the tokens are shared by every caller, which only read them (bleve counts
// their terms; nothing in a search changes a token).
type rememberingAnalyzer struct {
	inner analysis.Analyzer
}

// labelTokens are the remembered token streams, by value, of every
// rememberingAnalyzer: they depend on the value alone.
var (
	labelTokens sync.Map // string → analysis.TokenStream
	labelCount  atomic.Int64
)

func (a *rememberingAnalyzer) Analyze(input []byte) analysis.TokenStream {
	if len(input) > labelMaxLen {
		return a.inner.Analyze(input)
	}
	// The key is taken first: the analyzer lowers the case of the
	// input's bytes in place.
	key := string(input)
	if ts, ok := labelTokens.Load(key); ok {
		return ts.(analysis.TokenStream)
	}
	ts := a.inner.Analyze(input)
	if labelCount.Load() < labelMaxEntries {
		// Kept apart from the input, which a token's term may share.
		own := make(analysis.TokenStream, len(ts))
		for i, t := range ts {
			c := *t
			c.Term = append([]byte(nil), t.Term...)
			own[i] = &c
		}
		ts = own
		if _, loaded := labelTokens.LoadOrStore(key, ts); !loaded {
			labelCount.Add(1)
		}
	}
	return ts
}
