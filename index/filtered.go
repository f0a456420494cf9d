package index

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// filtered is a scored query restricted to the documents of a filter that
// does not score: bleve's boolean query with a filter clause, which scores
// exactly as it does, but finds its hits another way. bleve's own filter
// takes every document the scored side finds, scores it, and only then
// asks the filter. Here the hits are known before anything is scored: the
// scored query's own match set (its words, with no scores, merged as
// postings: a conjunction of each word's fields) intersected with the
// filter's, as roaring bitmaps; then only those documents are scored, the
// scored side skipping straight to each. A text that many CVs hold, or a
// selective filter (a licence, a language, a radius), no longer walks
// every document the other side rejects.
//
// When the filter keeps most of the index (Dense: the presentable CVs
// only), merging it with the text's words costs more than it spares: the
// scored side then leads, and the filter follows it.
type filtered struct {
	Scored query.Query `json:"scored"`
	Filter query.Query `json:"filter"`
	Dense  bool        `json:"dense,omitempty"`
}

// Searcher implements query.Query.
func (q *filtered) Searcher(ctx context.Context, i bleveindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	must, err := q.Scored.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	if _, none := must.(*searcher.MatchNoneSearcher); none {
		// bleve's boolean query then keeps every document of the filter
		// (a text of stop words only): let it.
		must.Close()
		return (&query.BooleanQuery{Must: q.Scored, Filter: q.Filter}).Searcher(ctx, i, m, options)
	}
	unscored := search.SearcherOptions{Score: "none"}
	if options.Score == "none" && !options.IncludeTermVectors && !options.Explain {
		// Counting: one merged set.
		if s, err := setSearcher(ctx, i, q); s != nil || err != nil {
			must.Close()
			return s, err
		}
		return q.hits(ctx, i, m, must, unscored)
	}
	// The scored side as bleve's boolean query with a filter builds it, so
	// that scores are normalised the same way.
	scored, err := searcher.NewBooleanSearcher(ctx, i, must, nil, nil, options)
	if err != nil {
		must.Close()
		return nil, err
	}
	if q.Dense {
		filter, err := q.Filter.Searcher(ctx, i, m, unscored)
		if err != nil {
			scored.Close()
			return nil, err
		}
		return &scoredLeads{filteredSearcher: filteredSearcher{scored: scored, filter: filter}}, nil
	}
	hits, err := q.hitsSearcher(ctx, i, m)
	if err != nil {
		scored.Close()
		return nil, err
	}
	return &filterLeads{filteredSearcher: filteredSearcher{scored: scored, filter: hits}}, nil
}

// hitsSearcher returns a searcher, without scores, of the documents q
// finds: from the segments' postings as bitmaps (see setSearcher), or else
// as bleve merges them.
func (q *filtered) hitsSearcher(ctx context.Context, i bleveindex.IndexReader, m mapping.IndexMapping) (search.Searcher, error) {
	if s, err := setSearcher(ctx, i, q); s != nil || err != nil {
		return s, err
	}
	unscored := search.SearcherOptions{Score: "none"}
	set, err := matchSet(q.Scored).Searcher(ctx, i, m, unscored)
	if err != nil {
		return nil, err
	}
	return q.hits(ctx, i, m, set, unscored)
}

// hits is the conjunction of a searcher of the scored side's documents
// and the filter, without scores: bleve merges the two as postings when
// both are (see multiTermSearcher). It takes over set, closing it on error.
func (q *filtered) hits(ctx context.Context, i bleveindex.IndexReader, m mapping.IndexMapping, set search.Searcher, options search.SearcherOptions) (search.Searcher, error) {
	filter, err := q.Filter.Searcher(ctx, i, m, options)
	if err != nil {
		set.Close()
		return nil, err
	}
	s, err := searcher.NewConjunctionSearcher(ctx, i, []search.Searcher{set, filter}, options)
	if err != nil {
		set.Close()
		filter.Close()
		return nil, err
	}
	return s, nil
}

// matchSet is a query that finds the same documents as q, for a searcher
// that does not score: the optional clauses of a boolean query with
// required ones change scores only, and are dropped (bleve would walk
// them all the same).
//
// A conjunction of one clause is that clause: bleve's conjunction searcher
// of one searcher cannot be merged with others as postings.
func matchSet(q query.Query) query.Query {
	switch t := q.(type) {
	case *query.ConjunctionQuery:
		if len(t.Conjuncts) == 1 {
			return matchSet(t.Conjuncts[0])
		}
	case *query.BooleanQuery:
		if t.Filter != nil || t.Must == nil {
			return q
		}
		if t.Should != nil {
			if d, ok := t.Should.(*query.DisjunctionQuery); !ok || d.Min > 0 {
				return q
			}
		}
		if t.MustNot == nil {
			return matchSet(t.Must)
		}
		return &query.BooleanQuery{Must: matchSet(t.Must), MustNot: t.MustNot}
	}
	return q
}

// filterLeads scores the documents a filter finds, which the scored
// searcher must also find (see filtered): the filter leads, the scored
// side skips to each of its documents. Should the two disagree, the walk
// goes on to the next document both have, each side skipping to the
// other's.
type filterLeads struct {
	filteredSearcher
	t *search.DocumentMatch // the scored side's current document
}

// Next implements search.Searcher.
func (s *filterLeads) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	f, err := s.filter.Next(ctx)
	if err != nil {
		return nil, err
	}
	return s.align(ctx, f)
}

// Advance implements search.Searcher.
func (s *filterLeads) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	f, err := s.filter.Advance(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.align(ctx, f)
}

// align returns the scored side's match of the first document from f on
// that both sides have. bleve's searchers are never asked to go back: the
// scored side's document, when ahead, is kept for the next call.
func (s *filterLeads) align(ctx *search.SearchContext, f *search.DocumentMatch) (*search.DocumentMatch, error) {
	var err error
	for f != nil {
		if s.t == nil || s.t.IndexInternalID.Compare(f.IndexInternalID) < 0 {
			if s.t, err = s.scored.Advance(ctx, f.IndexInternalID); err != nil || s.t == nil {
				ctx.DocumentMatchPool.Put(f)
				return nil, err
			}
		}
		if s.t.IndexInternalID.Equals(f.IndexInternalID) {
			ctx.DocumentMatchPool.Put(f)
			t := s.t
			s.t = nil
			return t, nil
		}
		// The scored side is ahead: the filter skips to it.
		ctx.DocumentMatchPool.Put(f)
		if f, err = s.filter.Advance(ctx, s.t.IndexInternalID); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// scoredLeads walks a scored searcher and a dense filter in step: the
// scored side leads, the filter skips to each of its documents. The
// filter's current document is kept: the searchers of bleve must never be
// asked to go back.
type scoredLeads struct {
	filteredSearcher
	f     *search.DocumentMatch // the filter's current document
	done  bool                  // the filter is exhausted
	steps int                   // steps taken towards the filter's document
}

// Next implements search.Searcher.
func (s *scoredLeads) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	t, err := s.scored.Next(ctx)
	if err != nil {
		return nil, err
	}
	return s.align(ctx, t)
}

// Advance implements search.Searcher.
func (s *scoredLeads) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	t, err := s.scored.Advance(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.align(ctx, t)
}

// align returns the first document from t on that both sides have.
func (s *scoredLeads) align(ctx *search.SearchContext, t *search.DocumentMatch) (*search.DocumentMatch, error) {
	var err error
	for t != nil && !s.done {
		if s.f == nil || s.f.IndexInternalID.Compare(t.IndexInternalID) < 0 {
			if s.f != nil {
				ctx.DocumentMatchPool.Put(s.f)
			}
			if s.f, err = s.filter.Advance(ctx, t.IndexInternalID); err != nil {
				return nil, err
			}
			if s.f == nil {
				s.done = true
				break
			}
		}
		if s.f.IndexInternalID.Equals(t.IndexInternalID) {
			s.steps = 0
			return t, nil
		}
		// The filter is ahead. The scored side's next document is
		// often there already (the filter is dense): a step forward
		// costs less than a skip.
		ctx.DocumentMatchPool.Put(t)
		if s.steps < 2 {
			s.steps++
			t, err = s.scored.Next(ctx)
		} else {
			t, err = s.scored.Advance(ctx, s.f.IndexInternalID)
		}
		if err != nil {
			return nil, err
		}
	}
	if t != nil {
		ctx.DocumentMatchPool.Put(t)
	}
	return nil, nil
}

// filteredSearcher is what both walks share: a scored searcher and a
// filter that does not score.
type filteredSearcher struct {
	scored, filter search.Searcher
}

// Close implements search.Searcher.
func (s *filteredSearcher) Close() error {
	err := s.scored.Close()
	if ferr := s.filter.Close(); err == nil {
		err = ferr
	}
	return err
}

// Weight implements search.Searcher.
func (s *filteredSearcher) Weight() float64 { return s.scored.Weight() }

// SetQueryNorm implements search.Searcher.
func (s *filteredSearcher) SetQueryNorm(n float64) { s.scored.SetQueryNorm(n) }

// Count implements search.Searcher.
func (s *filteredSearcher) Count() uint64 { return min(s.scored.Count(), s.filter.Count()) }

// Min implements search.Searcher.
func (s *filteredSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *filteredSearcher) Size() int { return s.scored.Size() + s.filter.Size() }

// DocumentMatchPoolSize implements search.Searcher.
func (s *filteredSearcher) DocumentMatchPoolSize() int {
	return s.scored.DocumentMatchPoolSize() + s.filter.DocumentMatchPoolSize() + 1
}
