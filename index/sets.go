package index

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"incontro/reference"
)

// The documents a query finds, without scores, as bitmaps.
//
// bleve merges unscored conjunctions and disjunctions of terms as postings,
// but walks document by document as soon as a clause is anything else: a
// NOT ("or this section not declared"), "at least m-1 of m", a clause
// that finds nothing. A recall's filters have all of these, and walking a
// million documents costs far more than the set they give. Here the
// queries the index builds (terms, their unions, intersections and
// differences, term ranges, the homes within a radius, match queries on a
// field) are evaluated segment by segment with roaring bitmaps, from the
// segments' postings; anything else says so, and the caller lets bleve
// search as usual.

// segmentSets evaluates queries on one segment of a snapshot. Its bitmaps
// may be the segment's own postings: never change one.
type segmentSets struct {
	memo    *setsMemo // nil: none
	seg     segment.Segment
	deleted *roaring.Bitmap // nil: none
	all     *roaring.Bitmap // every document, deleted ones included; lazily
	dicts   map[string]segment.TermDictionary
}

func newSegmentSets(ss *scorch.SegmentSnapshot, memo *setsMemo) *segmentSets {
	s := &segmentSets{memo: memo, seg: ss.Segment(), dicts: map[string]segment.TermDictionary{}}
	if d := ss.Deleted(); d != nil && !d.IsEmpty() {
		s.deleted = d
	}
	return s
}

// live returns the documents of the segment that q finds, deleted ones
// left out; false when q is not a query evaluateSet knows.
func (s *segmentSets) live(q query.Query) (*roaring.Bitmap, bool, error) {
	bm, ok, err := s.eval(q)
	if !ok || err != nil {
		return nil, ok, err
	}
	if s.deleted != nil {
		bm = roaring.AndNot(bm, s.deleted)
	}
	return bm, true, nil
}

func (s *segmentSets) dict(field string) (segment.TermDictionary, error) {
	if d, ok := s.dicts[field]; ok {
		return d, nil
	}
	d, err := s.seg.Dictionary(field)
	if err != nil {
		return nil, err
	}
	s.dicts[field] = d
	return d, nil
}

// everyDoc is every document of the segment, deleted ones included (they
// are taken out at the end, see live).
func (s *segmentSets) everyDoc() *roaring.Bitmap {
	if s.all == nil {
		s.all = roaring.New()
		s.all.AddRange(0, s.seg.Count())
	}
	return s.all
}

// term returns the documents holding a term of a field.
func (s *segmentSets) term(field, term string) (*roaring.Bitmap, error) {
	d, err := s.dict(field)
	if err != nil {
		return nil, err
	}
	return postingsDocs(d, term)
}

// postingsDocs returns the documents of a term's postings: the segment's
// own bitmap when it has one (not to be changed).
func postingsDocs(d segment.TermDictionary, term string) (*roaring.Bitmap, error) {
	pl, err := d.PostingsList([]byte(term), nil, nil)
	if err != nil {
		return nil, err
	}
	if pl == nil {
		return roaring.New(), nil
	}
	it := pl.Iterator(false, false, false, nil)
	if o, ok := it.(segment.OptimizablePostingsIterator); ok {
		if n, ok := o.DocNum1Hit(); ok {
			return roaring.BitmapOf(uint32(n)), nil
		}
		if bm := o.ActualBitmap(); bm != nil {
			return bm, nil
		}
		return roaring.New(), nil
	}
	out := roaring.New()
	for {
		p, err := it.Next()
		if err != nil {
			return nil, err
		}
		if p == nil {
			return out, nil
		}
		out.Add(uint32(p.Number()))
	}
}

// eachTerm calls visit with each term of a dictionary from start
// (included) to end (excluded; nil: open), in order, until visit says
// there is no need for more.
func eachTerm(d segment.TermDictionary, start, end []byte, visit func(term string) (more bool, err error)) error {
	it := d.AutomatonIterator(nil, start, end)
	for {
		e, err := it.Next()
		if err != nil || e == nil {
			return err
		}
		if more, err := visit(e.Term); err != nil || !more {
			return err
		}
	}
}

// matchesNothing reports whether bleve builds a match-none searcher for q,
// which its query-string conjunctions and boolean queries drop as if the
// clause were not there: such queries are left to bleve.
func matchesNothing(q query.Query) bool {
	switch t := q.(type) {
	case *query.MatchNoneQuery:
		return true
	case *query.MatchQuery:
		return len(matchTerms(t)) == 0
	}
	return false
}

// matchTerms returns the terms a match query on a field looks for.
func matchTerms(m *query.MatchQuery) []string {
	if !isTextField(m.FieldVal) {
		return []string{m.Match} // keyword fields: the value as it is
	}
	var out []string
	for _, t := range italian().Analyze([]byte(m.Match)) {
		out = append(out, string(t.Term))
	}
	return out
}

// eval returns the documents q finds, deleted ones included: from the
// memo when the search has one and q is a query it keeps.
func (s *segmentSets) eval(q query.Query) (*roaring.Bitmap, bool, error) {
	if s.memo != nil {
		switch q.(type) {
		case *query.MatchQuery, *query.ConjunctionQuery, *query.DisjunctionQuery, *query.BooleanQuery, *termsBetween, *homesWithin:
			e := s.memo.entry(s.seg, q)
			e.once.Do(func() { e.bm, e.ok, e.err = s.evalQuery(q) })
			return e.bm, e.ok, e.err
		}
	}
	return s.evalQuery(q)
}

// evalQuery returns the documents q finds, deleted ones included.
func (s *segmentSets) evalQuery(q query.Query) (*roaring.Bitmap, bool, error) {
	switch t := q.(type) {
	case *query.TermQuery:
		if t.FieldVal == "" {
			return nil, false, nil
		}
		bm, err := s.term(t.FieldVal, t.Term)
		return bm, err == nil, err
	case *query.MatchQuery:
		if t.FieldVal == "" || t.Analyzer != "" || t.Fuzziness != 0 || t.Prefix != 0 {
			return nil, false, nil
		}
		terms := matchTerms(t)
		if len(terms) == 0 {
			return nil, false, nil
		}
		bms := make([]*roaring.Bitmap, len(terms))
		for i, w := range terms {
			var err error
			if bms[i], err = s.term(t.FieldVal, w); err != nil {
				return nil, false, err
			}
		}
		if t.Operator == query.MatchQueryOperatorAnd {
			return intersect(bms), true, nil
		}
		return union(bms), true, nil
	case *query.MatchAllQuery:
		return s.everyDoc(), true, nil
	case *query.MatchNoneQuery, noMatch:
		return roaring.New(), true, nil
	case *query.ConjunctionQuery:
		if len(t.Conjuncts) == 0 {
			return roaring.New(), true, nil
		}
		bms := make([]*roaring.Bitmap, len(t.Conjuncts))
		for i, c := range t.Conjuncts {
			if matchesNothing(c) {
				return nil, false, nil
			}
			bm, ok, err := s.eval(c)
			if !ok || err != nil {
				return nil, ok, err
			}
			bms[i] = bm
		}
		return intersect(bms), true, nil
	case *query.DisjunctionQuery:
		if t.Min > 1 {
			return s.atLeast(t.Disjuncts, int(t.Min))
		}
		bms := make([]*roaring.Bitmap, 0, len(t.Disjuncts))
		for _, d := range t.Disjuncts {
			bm, ok, err := s.eval(d)
			if !ok || err != nil {
				return nil, ok, err
			}
			bms = append(bms, bm)
		}
		return union(bms), true, nil
	case *query.BooleanQuery:
		if t.Filter != nil {
			return nil, false, nil
		}
		var base *roaring.Bitmap
		for _, c := range []query.Query{t.Must, t.Should, t.MustNot} {
			if c != nil && matchesNothing(c) {
				return nil, false, nil
			}
		}
		if t.Must != nil {
			bm, ok, err := s.eval(t.Must)
			if !ok || err != nil {
				return nil, ok, err
			}
			base = bm
		}
		if t.Should != nil {
			d, isDisjunction := t.Should.(*query.DisjunctionQuery)
			if !isDisjunction {
				return nil, false, nil
			}
			// With required clauses, optional ones only score unless
			// a minimum is asked; alone, at least one must match.
			if base == nil || d.Min > 0 {
				bm, ok, err := s.eval(t.Should)
				if !ok || err != nil {
					return nil, ok, err
				}
				if base == nil {
					base = bm
				} else {
					base = roaring.And(base, bm)
				}
			}
		}
		if base == nil {
			if t.MustNot == nil {
				return roaring.New(), true, nil
			}
			base = s.everyDoc()
		}
		if t.MustNot != nil {
			bm, ok, err := s.eval(t.MustNot)
			if !ok || err != nil {
				return nil, ok, err
			}
			base = roaring.AndNot(base, bm)
		}
		return base, true, nil
	case *termsBetween:
		var end []byte
		if t.Max != "" {
			end = append([]byte(t.Max), 0)
		}
		bm, err := s.termsUnion(t.Field, []byte(t.Min), end, func(string) bool { return true })
		return bm, err == nil, err
	case *homesWithin:
		bm, err := s.termsUnion(fieldHome, nil, nil, func(home string) bool {
			if home == noHomeKey {
				return t.OrNone
			}
			lat, lon, ok := homePoint(home)
			return ok && reference.HaversineKm(t.Lat, t.Lon, lat, lon) <= t.Km
		})
		return bm, err == nil, err
	case *filtered:
		return s.eval(query.NewConjunctionQuery([]query.Query{matchSet(t.Scored), t.Filter}))
	}
	return nil, false, nil
}

// termsUnion returns the documents holding any term of a field from start
// (included) to end (excluded; nil: open) that keep accepts.
func (s *segmentSets) termsUnion(field string, start, end []byte, keep func(term string) bool) (*roaring.Bitmap, error) {
	d, err := s.dict(field)
	if err != nil {
		return nil, err
	}
	var bms []*roaring.Bitmap
	err = eachTerm(d, start, end, func(term string) (bool, error) {
		if keep(term) {
			bm, err := postingsDocs(d, term)
			if err != nil {
				return false, err
			}
			bms = append(bms, bm)
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return union(bms), nil
}

// atLeast returns the documents that at least min of qs find.
func (s *segmentSets) atLeast(qs []query.Query, min int) (*roaring.Bitmap, bool, error) {
	if min > len(qs) {
		return roaring.New(), true, nil
	}
	// Those found by i of the queries seen so far, for i up to min.
	byCount := make([]*roaring.Bitmap, min+1)
	for i := range byCount {
		byCount[i] = roaring.New()
	}
	for _, q := range qs {
		if matchesNothing(q) {
			return nil, false, nil
		}
		bm, ok, err := s.eval(q)
		if !ok || err != nil {
			return nil, ok, err
		}
		for i := min; i >= 1; i-- {
			var from *roaring.Bitmap
			if i == 1 {
				from = bm
			} else {
				from = roaring.And(byCount[i-1], bm)
			}
			byCount[i].Or(from)
		}
	}
	return byCount[min], true, nil
}

// setsMemo keeps the sets of one search's queries by segment and query:
// a search with facets evaluates its text and filters once for its page
// and again for each facet's counts (a facet counts without its own
// filter), and these share their text and other filters, the same query
// values. A segment's sets do not depend on the snapshot (deleted
// documents are taken out after, see live), so the page and the facets,
// each on its own snapshot, may share them.
type setsMemo struct {
	mu sync.Mutex
	m  map[setsMemoEntryKey]*setsMemoEntry
}

type setsMemoEntryKey struct {
	seg segment.Segment
	q   query.Query // a pointer: the same query value
}

type setsMemoEntry struct {
	once sync.Once
	bm   *roaring.Bitmap
	ok   bool
	err  error
}

// setsMemoKey is the context key of a search's setsMemo.
type setsMemoKey struct{}

// withSetsMemo returns a context whose searches share a setsMemo.
func withSetsMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, setsMemoKey{}, &setsMemo{m: map[setsMemoEntryKey]*setsMemoEntry{}})
}

func (m *setsMemo) entry(seg segment.Segment, q query.Query) *setsMemoEntry {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := setsMemoEntryKey{seg, q}
	e, ok := m.m[k]
	if !ok {
		e = &setsMemoEntry{}
		m.m[k] = e
	}
	return e
}

// union returns the documents of any of bms, in a new bitmap.
func union(bms []*roaring.Bitmap) *roaring.Bitmap {
	switch len(bms) {
	case 0:
		return roaring.New()
	case 1:
		return bms[0]
	case 2:
		return roaring.Or(bms[0], bms[1])
	}
	return roaring.FastOr(bms...)
}

// intersect returns the documents of all of bms, smallest first.
func intersect(bms []*roaring.Bitmap) *roaring.Bitmap {
	if len(bms) == 1 {
		return bms[0]
	}
	sorted := make([]*roaring.Bitmap, len(bms))
	copy(sorted, bms)
	for i := 1; i < len(sorted); i++ {
		for j := i; j > 0 && sorted[j].GetCardinality() < sorted[j-1].GetCardinality(); j-- {
			sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
		}
	}
	out := roaring.And(sorted[0], sorted[1])
	for _, bm := range sorted[2:] {
		if out.IsEmpty() {
			break
		}
		out.And(bm)
	}
	return out
}

// snapshotSets returns, for each segment of a snapshot, the live documents
// q finds; false when q is not a query the sets know.
func snapshotSets(ctx context.Context, segs []*scorch.SegmentSnapshot, q query.Query) ([]*roaring.Bitmap, bool, error) {
	memo, _ := ctx.Value(setsMemoKey{}).(*setsMemo)
	out := make([]*roaring.Bitmap, len(segs))
	var unknown atomic.Bool // q is not a query the sets know
	err := eachGroup(segmentGroups(segs), func(_ int, group []int) error {
		for _, i := range group {
			if err := ctx.Err(); err != nil {
				return err
			}
			bm, ok, err := newSegmentSets(segs[i], memo).live(q)
			if !ok {
				unknown.Store(true)
			}
			if !ok || err != nil {
				return err
			}
			out[i] = bm
		}
		return nil
	})
	if unknown.Load() || err != nil {
		return nil, false, err
	}
	return out, true, nil
}

// segmentStarts returns each segment's first document number in the
// snapshot, and after them the snapshot's end: the documents of the
// segments before it, deleted ones included.
func segmentStarts(segs []*scorch.SegmentSnapshot) []uint64 {
	starts := make([]uint64, len(segs)+1)
	for i, ss := range segs {
		starts[i+1] = starts[i] + ss.Segment().Count()
	}
	return starts
}

// setSearcher returns a searcher of the documents of q (see snapshotSets),
// or nil when q is not a query the sets know or the reader is not a scorch
// snapshot.
func setSearcher(ctx context.Context, i bleveindex.IndexReader, q query.Query) (search.Searcher, error) {
	snap, ok := i.(*scorch.IndexSnapshot)
	if !ok {
		return nil, nil
	}
	segs := snap.Segments()
	sets, ok, err := snapshotSets(ctx, segs, q)
	if !ok || err != nil {
		return nil, err
	}
	s := &bitmapSearcher{sets: sets, starts: segmentStarts(segs)}
	for _, bm := range sets {
		s.count += bm.GetCardinality()
	}
	return s, nil
}

// bitmapSearcher is a searcher of the documents of bitmaps, one per segment
// of a snapshot, in document order; they do not score.
type bitmapSearcher struct {
	sets   []*roaring.Bitmap
	starts []uint64 // each segment's first document number in the snapshot (see segmentStarts)
	count  uint64
	k      int // the segment being walked
	it     roaring.IntPeekable
}

// Next implements search.Searcher.
func (s *bitmapSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for s.k < len(s.sets) {
		if s.it == nil {
			s.it = s.sets[s.k].Iterator()
		}
		if s.it.HasNext() {
			return s.match(ctx, s.starts[s.k]+uint64(s.it.Next())), nil
		}
		s.k++
		s.it = nil
	}
	return nil, nil
}

// Advance implements search.Searcher.
func (s *bitmapSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	num := id.Value()
	for s.k < len(s.sets) && num >= s.starts[s.k+1] {
		s.k++
		s.it = nil
	}
	if s.k < len(s.sets) && num >= s.starts[s.k] {
		if s.it == nil {
			s.it = s.sets[s.k].Iterator()
		}
		s.it.AdvanceIfNeeded(uint32(num - s.starts[s.k]))
	}
	return s.Next(ctx)
}

func (s *bitmapSearcher) match(ctx *search.SearchContext, num uint64) *search.DocumentMatch {
	m := ctx.DocumentMatchPool.Get()
	m.IndexInternalID = bleveindex.NewIndexInternalID(m.IndexInternalID, num)
	return m
}

// Close implements search.Searcher.
func (s *bitmapSearcher) Close() error { return nil }

// Weight implements search.Searcher.
func (s *bitmapSearcher) Weight() float64 { return 0 }

// SetQueryNorm implements search.Searcher.
func (s *bitmapSearcher) SetQueryNorm(float64) {}

// Count implements search.Searcher.
func (s *bitmapSearcher) Count() uint64 { return s.count }

// Min implements search.Searcher.
func (s *bitmapSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *bitmapSearcher) Size() int { return 64 + 8*len(s.starts) }

// DocumentMatchPoolSize implements search.Searcher.
func (s *bitmapSearcher) DocumentMatchPoolSize() int { return 1 }
