package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A recall's relevance is scored from postings, not by bleve's scorer.
//
// bleve scores a document by walking every clause's postings to it,
// decoding term frequencies and field lengths: for a vacancy whose
// occupation and skills 90,000 CVs of a million share, that is most of a
// recall's 300 ms or more. Here the hits are found first, as a set (the
// relevance's recalling clauses and the filters merged as postings, see
// filtered), and each clause's terms add their weight to the hits that hold
// them, a bitmap intersection per term: a few milliseconds.
//
// The score of a hit is a weighted count of what it matches, the weights
// those of relevanceQuery:
//
//	score = coord_core·Σ_core boost·idf + coord_extra·Σ_extra boost·idf
//
// where each sum runs over the terms of the clauses the hit holds, idf is
// 1 + ln(N / (df + 1)) (the rarer a term, the more it says), and coord is
// the share of the group's clauses the hit matches (bleve's coordination
// factor): the candidate with the vacancy's occupation and all its skills
// comes first. Unlike bleve's, the score ignores how often a word appears
// and how long the field is: a CV's codes appear once, and a CV that
// repeats a word is not a better match for it.

// scoreClause is one clause of a recall's relevance: the terms whose
// postings it unites, and whether it recalls (core) or only orders.
type scoreClause struct {
	core   bool
	leaves []scoreLeaf
}

// scoreLeaf is a term of a field with its boost.
type scoreLeaf struct {
	field string
	term  string
	boost float64
}

// relevanceClauses flattens a relevance query built by relevanceQuery into
// its clauses; false when it holds a query this scorer does not know.
func relevanceClauses(q query.Query) ([]scoreClause, bool) {
	var core, extra []query.Query
	switch t := q.(type) {
	case *query.BooleanQuery:
		// query.NewBooleanQuery wraps the must clauses in a conjunction
		// and the should clauses in a disjunction: here one of each.
		mc, ok1 := t.Must.(*query.ConjunctionQuery)
		sd, ok2 := t.Should.(*query.DisjunctionQuery)
		if !ok1 || !ok2 || len(mc.Conjuncts) != 1 || len(sd.Disjuncts) != 1 || t.MustNot != nil || t.Filter != nil {
			return nil, false
		}
		c, ok1 := mc.Conjuncts[0].(*query.DisjunctionQuery)
		e, ok2 := sd.Disjuncts[0].(*query.DisjunctionQuery)
		if !ok1 || !ok2 {
			return nil, false
		}
		core, extra = c.Disjuncts, e.Disjuncts
	case *query.DisjunctionQuery:
		core = t.Disjuncts
	default:
		return nil, false
	}
	var out []scoreClause
	for _, group := range []struct {
		qs   []query.Query
		core bool
	}{{core, true}, {extra, false}} {
		for _, c := range group.qs {
			var leaves []scoreLeaf
			if !flattenLeaves(c, 1, &leaves) {
				return nil, false
			}
			out = append(out, scoreClause{core: group.core, leaves: leaves})
		}
	}
	return out, true
}

// flattenLeaves appends the terms of a clause, each with its boost times
// boost.
func flattenLeaves(q query.Query, boost float64, out *[]scoreLeaf) bool {
	switch t := q.(type) {
	case *query.TermQuery:
		*out = append(*out, scoreLeaf{field: t.FieldVal, term: t.Term, boost: boost * t.Boost()})
	case *query.MatchQuery:
		if t.FieldVal == "" || t.Analyzer != "" || t.Fuzziness != 0 || t.Prefix != 0 {
			return false
		}
		seen := map[string]bool{}
		for _, w := range matchTerms(t) {
			if !seen[w] {
				seen[w] = true
				*out = append(*out, scoreLeaf{field: t.FieldVal, term: w, boost: boost * t.Boost()})
			}
		}
	case *query.MatchNoneQuery:
		// Nothing to score: a bare number's numeric side.
	case *query.ConjunctionQuery:
		for _, c := range t.Conjuncts {
			if !flattenLeaves(c, boost*t.Boost(), out) {
				return false
			}
		}
	case *query.DisjunctionQuery:
		if t.Min > 1 {
			return false
		}
		for _, d := range t.Disjuncts {
			if !flattenLeaves(d, boost*t.Boost(), out) {
				return false
			}
		}
	default:
		return false
	}
	return true
}

// scored is a hit of a recall with its segment and number in it.
type scoredDoc struct {
	score float64
	seg   int
	num   uint32
	id    int64 // candidate id, set by topByScore
}

// scoreTop returns the top n hits of the union of queries that find
// disjoint sets, each a *filtered of the relevance clauses scores, by
// score then candidate id, and how many there are.
func (ix *Index) scoreTop(ctx context.Context, qs []query.Query, clauses []scoreClause, n int) ([]Hit, uint64, error) {
	snap, release, err := ix.snapshot()
	if err != nil {
		return nil, 0, err
	}
	defer release()
	m := ix.bleveIndex().Mapping()
	segs := snap.Segments()

	// The hits of every query, by segment.
	docs := make([]*roaring.Bitmap, len(segs))
	var total uint64
	for _, q := range qs {
		if _, ok := q.(*filtered); !ok {
			return nil, 0, fmt.Errorf("index: recall: %T is not a filtered relevance", q)
		}
		got, err := docSets(ctx, snap, m, q)
		if err != nil {
			return nil, 0, err
		}
		for i, bm := range got {
			total += bm.GetCardinality()
			if docs[i] == nil {
				docs[i] = bm
			} else {
				docs[i] = roaring.Or(docs[i], bm)
			}
		}
	}

	rs, err := newRelevanceScorer(snap, clauses)
	if err != nil {
		return nil, 0, err
	}
	for i := range docs {
		if docs[i] == nil {
			docs[i] = roaring.New()
		}
	}
	keep, err := ix.topRelevant(ctx, snap, docs, rs, n, nil)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Hit, 0, min(n, len(keep)))
	for _, d := range keep[:min(n, len(keep))] {
		out = append(out, Hit{ID: d.id, Score: d.score})
	}
	return out, total, nil
}

// positionsPool holds the arrays of positions of relevanceScorer.score,
// one entry per document of a segment: a million entries need not be
// allocated and collected for every search.
var positionsPool = sync.Pool{New: func() any { return new([]int32) }}

// relevanceScorer scores documents by the terms of clauses they hold (see
// the formula above).
type relevanceScorer struct {
	clauses     []scoreClause
	weights     [][]float64 // by clause and leaf: boost·idf
	core, extra int         // how many clauses of each group
}

// newRelevanceScorer computes the weights of clauses' terms over a
// snapshot: their idf counts the documents of every segment.
func newRelevanceScorer(snap *scorch.IndexSnapshot, clauses []scoreClause) (*relevanceScorer, error) {
	count, err := snap.DocCount()
	if err != nil {
		return nil, err
	}
	segs := snap.Segments()
	r := &relevanceScorer{clauses: clauses, weights: make([][]float64, len(clauses))}
	for i, c := range clauses {
		if c.core {
			r.core++
		} else {
			r.extra++
		}
		r.weights[i] = make([]float64, len(c.leaves))
		for j, l := range c.leaves {
			var df uint64
			for _, ss := range segs {
				bm, err := leafPostings(ss.Segment(), l)
				if err != nil {
					return nil, err
				}
				df += bm.GetCardinality()
			}
			r.weights[i][j] = l.boost * (1 + math.Log(float64(count)/float64(df+1)))
		}
	}
	return r, nil
}

// score calls each with every document of hits, a segment's, in order,
// and its score, quantized (see quantize). The sums are kept by the
// position of a document among the hits, so that their size is the hits',
// not the segment's.
func (r *relevanceScorer) score(seg segment.Segment, hits *roaring.Bitmap, each func(d uint32, score float64)) error {
	docs := hits.ToArray()
	n := len(docs)
	coreSum, coreN := make([]float64, n), make([]uint16, n)
	var extraSum []float64
	var extraN []uint16
	if r.extra > 0 {
		extraSum, extraN = make([]float64, n), make([]uint16, n)
	}
	// The position of each hit among the hits, by document number.
	pos := positionsPool.Get().(*[]int32)
	defer positionsPool.Put(pos)
	if size := int(seg.Count()); cap(*pos) < size {
		*pos = make([]int32, size)
	}
	at := (*pos)[:seg.Count()]
	for i, d := range docs {
		at[d] = int32(i)
	}
	buf := make([]uint32, 256)
	// walk calls add with the position among the hits of each document of
	// sub, a subset of the hits.
	walk := func(sub *roaring.Bitmap, add func(pos int32)) {
		it := sub.ManyIterator()
		for k := it.NextMany(buf); k > 0; k = it.NextMany(buf) {
			for _, d := range buf[:k] {
				add(at[d])
			}
		}
	}
	for i, c := range r.clauses {
		sum, matched := extraSum, extraN
		if c.core {
			sum, matched = coreSum, coreN
		}
		var held *roaring.Bitmap // the hits holding any of the clause's terms
		for j, l := range c.leaves {
			bm, err := leafPostings(seg, l)
			if err != nil {
				return err
			}
			with := roaring.And(bm, hits)
			if with.IsEmpty() {
				continue
			}
			w := r.weights[i][j]
			walk(with, func(p int32) { sum[p] += w })
			if held == nil {
				held = with
			} else {
				held.Or(with)
			}
		}
		if held != nil {
			walk(held, func(p int32) { matched[p]++ })
		}
	}
	for pos, d := range docs {
		s := 0.0
		if r.core > 0 {
			s += coreSum[pos] * float64(coreN[pos]) / float64(r.core)
		}
		if r.extra > 0 {
			s += extraSum[pos] * float64(extraN[pos]) / float64(r.extra)
		}
		each(d, quantize(s))
	}
	return nil
}

// topRelevant returns the first n hits of sets (by segment of snap) in the
// order score then candidate id, after the position after (nil: from the
// start): found by signature (see topBySignature), or, for a scorer with
// more terms than a signature holds, by scoring every hit.
//
// On a large snapshot each group of segments (see segmentGroups) finds its
// own first n, concurrently, and the page is the first n of theirs.
func (ix *Index) topRelevant(ctx context.Context, snap *scorch.IndexSnapshot, sets []*roaring.Bitmap, rs *relevanceScorer, n int, after *afterDoc) ([]scoredDoc, error) {
	groups := segmentGroups(snap.Segments())
	if len(groups) == 1 {
		return ix.topRelevantOf(ctx, snap, sets, rs, n, after)
	}
	pages := make([][]scoredDoc, len(groups))
	none := roaring.New()
	err := eachGroup(groups, func(gi int, group []int) error {
		own := make([]*roaring.Bitmap, len(sets))
		for i := range own {
			own[i] = none
		}
		for _, i := range group {
			own[i] = sets[i]
		}
		var err error
		pages[gi], err = ix.topRelevantOf(ctx, snap, own, rs, n, after)
		return err
	})
	if err != nil {
		return nil, err
	}
	page := slices.Concat(pages...)
	if len(page) > n {
		page = firstN(page, n, scoreThenID)
	}
	sortScoreThenID(page)
	return page, nil
}

// topRelevantOf is topRelevant in one goroutine.
func (ix *Index) topRelevantOf(ctx context.Context, snap *scorch.IndexSnapshot, sets []*roaring.Bitmap, rs *relevanceScorer, n int, after *afterDoc) ([]scoredDoc, error) {
	page, ok, err := ix.topBySignature(ctx, snap, sets, rs, n, after)
	if err != nil || ok {
		return page, err
	}
	all, err := scoreEvery(snap.Segments(), sets, rs)
	if err != nil {
		return nil, err
	}
	return ix.topByScore(snap, all, n, after)
}

// scoreEvery scores every hit of sets, by segment of segs.
func scoreEvery(segs []*scorch.SegmentSnapshot, sets []*roaring.Bitmap, rs *relevanceScorer) ([]scoredDoc, error) {
	var all []scoredDoc
	for si, hits := range sets {
		if hits.IsEmpty() {
			continue
		}
		if err := rs.score(segs[si].Segment(), hits, func(d uint32, score float64) {
			all = append(all, scoredDoc{score: score, seg: si, num: d})
		}); err != nil {
			return nil, err
		}
	}
	return all, nil
}

// firstN moves the n first elements of all in the order before (n ≤
// len(all)) to all[:n], in no particular order, and returns them: a heap of
// the n first so far, whose root is the last of them, so that each other
// element costs a comparison with it.
func firstN[T any](all []T, n int, before func(a, b T) bool) []T {
	h := all[:n]
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= n {
				return
			}
			if r := l + 1; r < n && before(h[l], h[r]) {
				l = r
			}
			if !before(h[i], h[l]) {
				return
			}
			h[i], h[l] = h[l], h[i]
			i = l
		}
	}
	for i := n/2 - 1; i >= 0; i-- {
		down(i)
	}
	for _, d := range all[n:] {
		if before(d, h[0]) {
			h[0] = d
			down(0)
		}
	}
	return h
}

// after is a position in the order of scoredDocs: score, then candidate id.
type afterDoc struct {
	score float64
	id    int64
}

// scoreThenID is the order of hits by relevance: score (highest first),
// then candidate id.
func scoreThenID(a, b scoredDoc) bool {
	return a.score > b.score || a.score == b.score && a.id < b.id
}

// sortScoreThenID sorts docs in the order scoreThenID.
func sortScoreThenID(docs []scoredDoc) {
	slices.SortFunc(docs, func(a, b scoredDoc) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.id, b.id))
	})
}

// topByScore returns the first n documents of all in the order score
// (highest first) then candidate id, after the position after (nil: from
// the start), with their ids. all is reordered.
func (ix *Index) topByScore(snap *scorch.IndexSnapshot, all []scoredDoc, n int, after *afterDoc) ([]scoredDoc, error) {
	cols, err := ix.ids.of(snap)
	if err != nil {
		return nil, err
	}
	keep := all[:0]
	for _, d := range all {
		d.id = cols[d.seg][d.num]
		if after != nil && !scoreThenID(scoredDoc{score: after.score, id: after.id}, d) {
			continue
		}
		keep = append(keep, d)
	}
	if len(keep) > n {
		keep = firstN(keep, n, scoreThenID)
	}
	sortScoreThenID(keep)
	return keep, nil
}

// docSets returns, for each segment of a snapshot, the documents q finds
// without scores: as bitmaps from the postings (see snapshotSets), or else
// from bleve's searcher of q.
func docSets(ctx context.Context, snap *scorch.IndexSnapshot, m mapping.IndexMapping, q query.Query) ([]*roaring.Bitmap, error) {
	segs := snap.Segments()
	if sets, ok, err := snapshotSets(ctx, segs, q); ok || err != nil {
		return sets, err
	}
	s, err := q.Searcher(ctx, snap, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	docs, err := collectDocs(ctx, s, segs)
	if err != nil {
		return nil, err
	}
	out := make([]*roaring.Bitmap, len(docs))
	for i, ds := range docs {
		out[i] = roaring.BitmapOf(ds...)
	}
	return out, nil
}

// collectDocs walks a searcher and returns its documents by segment of the
// snapshot, as numbers within each segment.
func collectDocs(ctx context.Context, s search.Searcher, segs []*scorch.SegmentSnapshot) ([][]uint32, error) {
	starts := segmentStarts(segs)
	docs := make([][]uint32, len(segs))
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	k := 0
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		d, err := s.Next(sctx)
		if err != nil {
			return nil, err
		}
		if d == nil {
			return docs, nil
		}
		num := d.IndexInternalID.Value()
		for k < len(segs) && num >= starts[k+1] {
			k++ // hits come in document order
		}
		if k == len(segs) {
			return nil, fmt.Errorf("index: document %d is beyond the snapshot's %d", num, starts[len(segs)])
		}
		docs[k] = append(docs[k], uint32(num-starts[k]))
		sctx.DocumentMatchPool.Put(d)
	}
}

// leafPostings returns the documents of a segment holding a leaf's term
// (the segment's own bitmap: not to be changed).
func leafPostings(seg segment.Segment, l scoreLeaf) (*roaring.Bitmap, error) {
	d, err := seg.Dictionary(l.field)
	if err != nil {
		return nil, err
	}
	return postingsDocs(d, l.term)
}
