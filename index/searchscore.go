package index

import (
	"context"
	"fmt"
	"strconv"

	"github.com/blevesearch/bleve/v2/search/query"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"incontro/reference"
)

// A search by relevance is scored from postings, as a recall is (see
// relevanceScorer): its hits are found as a set (the words and the filters
// merged as bitmaps, see snapshotSets), and each word's terms add their
// field's boost times their idf to the hits that hold them, a bitmap
// intersection per term and field. bleve's scorer would walk every hit's
// postings to decode frequencies and field lengths, which for a word that
// 20,000 CVs of a million hold costs tens of milliseconds.
//
// A hit's score is what relevanceScorer gives with every clause of the
// text (each word, phrase or field:value) a core clause: the sum of
// boost·idf over the terms it holds, times the share of the clauses it
// matches. Every word being required, that share is 1, unless the search
// asks for any of the words (AnyWord), when a CV holding more of them
// ranks higher. A word in the headline or an occupation (boost 3) weighs
// more than in the skills (2), the experiences or the summary (1), and a
// rare word more than a common one.

// textClauses flattens a free-text query built by parseText into one
// scoring clause per word, phrase or field:value; false when it holds a
// query that relevanceScorer cannot score (wildcards, regular expressions,
// fuzzy words, ranges), which bleve then scores.
func textClauses(q query.Query) ([]scoreClause, bool) {
	var parts []query.Query
	if b, ok := q.(*query.BooleanQuery); ok {
		if b.Filter != nil {
			return nil, false
		}
		if c, ok := b.Must.(*query.ConjunctionQuery); ok {
			parts = append(parts, c.Conjuncts...)
		} else if b.Must != nil {
			parts = append(parts, b.Must)
		}
		if d, ok := b.Should.(*query.DisjunctionQuery); ok {
			parts = append(parts, d.Disjuncts...)
		} else if b.Should != nil {
			parts = append(parts, b.Should)
		}
	} else {
		parts = []query.Query{q}
	}
	var out []scoreClause
	for _, p := range parts {
		var leaves []scoreLeaf
		if !flattenLeaves(p, 1, &leaves) {
			return nil, false
		}
		if len(leaves) > 0 {
			out = append(out, scoreClause{core: true, leaves: leaves})
		}
	}
	return out, len(out) > 0
}

// scoreSearch answers a search by relevance with a text from postings (see
// above); false when its text or filters are not ones it knows, and bleve
// answers. The page, its cursor and the total are those bleve's search
// gives in the order score then document id.
func (ix *Index) scoreSearch(ctx context.Context, p *plan, kinds []sortKind, after []string) (Result, bool, error) {
	q := p.q
	if p.text == nil || q.Sort != SortRelevance {
		return Result{}, false, nil
	}
	clauses, ok := textClauses(p.text)
	if !ok {
		return Result{}, false, nil
	}
	snap, release, err := ix.snapshot()
	if err != nil {
		return Result{}, false, err
	}
	defer release()
	segs := snap.Segments()
	sets, ok, err := snapshotSets(ctx, segs, p.query(""))
	if !ok || err != nil {
		return Result{}, false, err
	}
	rs, err := newRelevanceScorer(snap, clauses)
	if err != nil {
		return Result{}, false, err
	}
	var r Result
	for _, hits := range sets {
		r.Total += hits.GetCardinality()
	}
	var from *afterDoc
	if after != nil {
		// decodeCursor checked the values: a number and a document id.
		score, _ := strconv.ParseFloat(after[0], 64)
		id, err := hitCandidateID(after[1])
		if err != nil {
			return Result{}, false, err
		}
		from = &afterDoc{score: score, id: id}
	}
	page, err := ix.topRelevant(ctx, snap, sets, rs, q.Size+1, from)
	if err != nil {
		return Result{}, false, err
	}
	page = page[:min(len(page), q.Size+1)]
	r.Hits = make([]Hit, 0, min(len(page), q.Size))
	values := make([][]string, len(page))
	for i, d := range page {
		hit := Hit{ID: d.id, Score: d.score}
		values[i] = []string{strconv.FormatFloat(d.score, 'g', -1, 64), candidateDocID(d.id)}
		if q.Near != nil {
			km, ok, err := homeDistance(segs[d.seg].Segment(), d.num, q.Near.Lat, q.Near.Lon)
			if err != nil {
				return Result{}, false, err
			}
			if ok {
				hit.DistanceKm = &km
				values[i] = append(values[i], strconv.FormatFloat(km, 'f', -1, 64))
			} else {
				values[i] = append(values[i], "NaN")
			}
		}
		if i < q.Size {
			r.Hits = append(r.Hits, hit)
		}
	}
	if len(page) > q.Size {
		r.Next = encodeCursor(q.Sort, values[q.Size-1])
	}
	return r, true, nil
}

// homeDistance returns the distance in km of a document's home from a
// point, as distanceSort measures it; false without a home.
func homeDistance(seg segment.Segment, num uint32, lat, lon float64) (float64, bool, error) {
	var home string
	if err := countDocValues(seg, []uint32{num}, []string{fieldHome}, func(_ string, term []byte) {
		home = string(term)
	}); err != nil {
		return 0, false, err
	}
	hlat, hlon, ok := homePoint(home)
	if !ok {
		return 0, false, nil
	}
	return reference.HaversineKm(lat, lon, hlat, hlon), true, nil
}

// countDocValues visits the values of fields of each of a segment's docs.
func countDocValues(seg segment.Segment, docs []uint32, fields []string, visit func(field string, term []byte)) error {
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return fmt.Errorf("index: segment %T has no doc values", seg)
	}
	var state segment.DocVisitState
	var err error
	for _, d := range docs {
		if state, err = dv.VisitDocValues(uint64(d), fields, visit, state); err != nil {
			return err
		}
	}
	return nil
}
