package index

import (
	"cmp"
	"container/heap"
	"context"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// A page of hits by relevance needs the few best of thousands: scoring
// every hit (relevanceScorer.score) spends most of a free-text search on
// hits no page shows. But a hit's score depends only on which of the
// query's terms it holds, its signature, and a search has few terms (a
// word in each of five fields): the hits of a segment can be split by
// term, best first, into groups that share a signature, and only the
// groups that can still reach the page are split further.
//
// topBySignature keeps a queue of groups, each with the terms decided so
// far and a bound: the score its hits would have if they held every term
// not yet decided (the score grows with each term held). It takes the
// group of the highest bound, splits it by the next term (heaviest first)
// into the hits that hold it and those that do not, and puts both back;
// a group whose every term is decided has its bound for exact score, and
// its hits join the page. It stops when the page is full and no group left
// can reach the score of the page's last hit, ties included (they are
// ordered by candidate id).

// maxSignatureTerms is how many terms topBySignature takes: a signature is
// a bit per term.
const maxSignatureTerms = 64

// sigGroup is a set of hits of a segment whose first depth terms, in the
// order of topBySignature, are decided: held are the ones they hold.
type sigGroup struct {
	seg   int
	docs  *roaring.Bitmap
	depth int
	held  uint64
	bound float64
}

type sigQueue []*sigGroup

func (q sigQueue) Len() int { return len(q) }
func (q sigQueue) Less(i, j int) bool {
	return q[i].bound > q[j].bound || q[i].bound == q[j].bound && q[i].depth > q[j].depth
}
func (q sigQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *sigQueue) Push(x any)   { *q = append(*q, x.(*sigGroup)) }
func (q *sigQueue) Pop() any {
	old := *q
	g := old[len(old)-1]
	*q = old[:len(old)-1]
	return g
}

// terms returns the scorer's terms in the order of the bits of a
// signature: by clause, then leaf.
func (r *relevanceScorer) terms() []scoreLeaf {
	var out []scoreLeaf
	for _, c := range r.clauses {
		out = append(out, c.leaves...)
	}
	return out
}

// signatureScore is the score, as relevanceScorer.score gives it, of a hit
// holding the terms of held (bits in the order of terms).
func (r *relevanceScorer) signatureScore(held uint64) float64 {
	var coreSum, extraSum float64
	var coreN, extraN uint16
	k := 0
	for i, c := range r.clauses {
		sum, matched := &extraSum, &extraN
		if c.core {
			sum, matched = &coreSum, &coreN
		}
		any := false
		for j := range c.leaves {
			if held&(1<<k) != 0 {
				*sum += r.weights[i][j]
				any = true
			}
			k++
		}
		if any {
			*matched++
		}
	}
	s := 0.0
	if r.core > 0 {
		s += coreSum * float64(coreN) / float64(r.core)
	}
	if r.extra > 0 {
		s += extraSum * float64(extraN) / float64(r.extra)
	}
	return quantize(s)
}

// topBySignature returns the first n hits (sets, by segment of snap) in the
// order score then candidate id, after the position after (nil: from the
// start), as topByScore would from every hit scored; false when the
// scorer has more terms than a signature holds.
func (ix *Index) topBySignature(ctx context.Context, snap *scorch.IndexSnapshot, sets []*roaring.Bitmap, rs *relevanceScorer, n int, after *afterDoc) ([]scoredDoc, bool, error) {
	terms := rs.terms()
	if len(terms) > maxSignatureTerms || n <= 0 {
		return nil, false, nil
	}
	cols, err := ix.ids.of(snap)
	if err != nil {
		return nil, false, err
	}
	segs := snap.Segments()
	// The order of splitting: the heaviest terms first, so that the
	// bounds fall fastest.
	weight := make([]float64, 0, len(terms))
	for i := range rs.clauses {
		weight = append(weight, rs.weights[i]...)
	}
	order := make([]int, len(terms))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(weight[b], weight[a]) })
	all := uint64(1)<<len(terms) - 1
	if len(terms) == maxSignatureTerms {
		all = ^uint64(0)
	}
	// undecided[d] are the terms not decided at depth d.
	undecided := make([]uint64, len(terms)+1)
	for d := len(terms) - 1; d >= 0; d-- {
		undecided[d] = undecided[d+1] | 1<<order[d]
	}

	// Each term's postings in each segment, looked up once: the groups
	// of a segment at one depth all split by the same term.
	looked := make([][]*roaring.Bitmap, len(segs))
	termPostings := func(seg, k int) (*roaring.Bitmap, error) {
		if looked[seg] == nil {
			looked[seg] = make([]*roaring.Bitmap, len(terms))
		}
		if looked[seg][k] == nil {
			bm, err := leafPostings(segs[seg].Segment(), terms[k])
			if err != nil {
				return nil, err
			}
			looked[seg][k] = bm
		}
		return looked[seg][k], nil
	}

	q := &sigQueue{}
	top := rs.signatureScore(all)
	for si, docs := range sets {
		if !docs.IsEmpty() {
			*q = append(*q, &sigGroup{seg: si, docs: docs, bound: top})
		}
	}
	heap.Init(q)
	// The page: every hit that may be on it. Once there are many, it is
	// cut to the first n, and a hit after the last of them is not kept.
	var page []scoredDoc
	var last scoredDoc
	cutDown := false
	count := 0 // hits taken, cut or not
	add := func(hit scoredDoc) {
		count++
		if cutDown && !scoreThenID(hit, last) {
			return
		}
		page = append(page, hit)
		if len(page) >= 4*n {
			page = firstN(page, n, scoreThenID)
			last, cutDown = page[0], true // the root: the last of the n
		}
	}
	cut, full := 0.0, false
	for taken := 0; q.Len() > 0; taken++ {
		if taken%256 == 255 && ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		g := (*q)[0]
		if full && g.bound < cut {
			break
		}
		heap.Pop(q)
		if g.depth == len(terms) {
			score := g.bound
			if after != nil && score > after.score {
				continue // an earlier page's
			}
			col := cols[g.seg]
			it := g.docs.Iterator()
			for it.HasNext() {
				d := it.Next()
				hit := scoredDoc{score: score, seg: g.seg, num: d, id: col[d]}
				if after != nil && score == after.score && hit.id <= after.id {
					continue
				}
				add(hit)
			}
			if !full && count >= n {
				full, cut = true, score
			}
			continue
		}
		k := order[g.depth]
		postings, err := termPostings(g.seg, k)
		if err != nil {
			return nil, false, err
		}
		with := roaring.And(g.docs, postings)
		rest := undecided[g.depth+1]
		if !with.IsEmpty() {
			held := g.held | 1<<k
			heap.Push(q, &sigGroup{seg: g.seg, docs: with, depth: g.depth + 1, held: held, bound: rs.signatureScore(held | rest)})
		}
		if with.GetCardinality() < g.docs.GetCardinality() {
			without := g.docs
			if !with.IsEmpty() {
				without = roaring.AndNot(g.docs, with)
			}
			heap.Push(q, &sigGroup{seg: g.seg, docs: without, depth: g.depth + 1, held: g.held, bound: rs.signatureScore(g.held | rest)})
		}
	}
	if len(page) > n {
		page = firstN(page, n, scoreThenID)
	}
	sortScoreThenID(page)
	return page, true, nil
}
