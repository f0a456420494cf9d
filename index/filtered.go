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
// exactly as it does, but walks its two sides in step. bleve's own filter
// takes every document the scored side finds, scores it, and only then
// asks the filter; here each side skips ahead to the other's next
// document, so that a selective filter (a licence, a language, a radius)
// spares scoring the text's other matches, and a selective text the
// filter's.
type filtered struct {
	Scored query.Query `json:"scored"`
	Filter query.Query `json:"filter"`
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
	// The scored side as bleve's boolean query with a filter builds it, so
	// that scores are normalised the same way.
	scored, err := searcher.NewBooleanSearcher(ctx, i, must, nil, nil, options)
	if err != nil {
		must.Close()
		return nil, err
	}
	// As bleve's filter clause: no scores, term vectors nor explanations.
	filter, err := q.Filter.Searcher(ctx, i, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		scored.Close()
		return nil, err
	}
	return &filteredSearcher{scored: scored, filter: filter}, nil
}

// filteredSearcher walks a scored searcher and a filter in step (see
// filtered). The filter's current document is kept: the searchers of bleve
// must never be asked to go back.
type filteredSearcher struct {
	scored, filter search.Searcher
	f              *search.DocumentMatch // the filter's current document
	done           bool                  // the filter is exhausted
	steps          int                   // steps taken towards the filter's document
}

// Next implements search.Searcher.
func (s *filteredSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	t, err := s.scored.Next(ctx)
	if err != nil {
		return nil, err
	}
	return s.align(ctx, t)
}

// Advance implements search.Searcher.
func (s *filteredSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	t, err := s.scored.Advance(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.align(ctx, t)
}

// align returns the first document from t on that both sides have.
func (s *filteredSearcher) align(ctx *search.SearchContext, t *search.DocumentMatch) (*search.DocumentMatch, error) {
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
		switch s.f.IndexInternalID.Compare(t.IndexInternalID) {
		case 0:
			s.steps = 0
			return t, nil
		default:
			// The filter is ahead. The scored side's next document is
			// often there already (the filter is dense): a step forward
			// costs less than a skip, which only a sparse filter repays.
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
			continue
		}
	}
	if t != nil {
		ctx.DocumentMatchPool.Put(t)
	}
	return nil, nil
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
