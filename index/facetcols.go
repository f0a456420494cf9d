package index

import (
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// facetColumns keeps, per segment and facet field, the field's values of
// each document as small numbers (ordinals of the field's terms): counting
// a facet over hits is then one addition per hit and value.
//
// Counting from postings intersects the hits with every value's postings:
// its cost follows the field's postings, not the hits, so that a text
// held by 20,000 CVs of a million cost 30 ms of CPU for the search page's
// facets; doc values decompress a chunk of documents per hit. A column is
// read once per segment from the postings (a segment never changes, its
// deletions are the snapshot's and are not in the hits), and costs 2 bytes
// per document and value, and 4 per document for fields with several
// values.
type facetColumns struct {
	mu   sync.Mutex
	cols map[facetColumnKey]*facetColumn
}

type facetColumnKey struct {
	seg   segment.Segment
	field string
}

// facetColumn is a field's values of each document of a segment: terms by
// ordinal, and either one ordinal + 1 per document (single; 0 is none) or
// the ordinals of document d at ords[start[d]:start[d+1]].
type facetColumn struct {
	once   sync.Once
	err    error
	ok     bool // false: the field has too many terms for 16-bit ordinals
	terms  []string
	single []uint16
	start  []uint32
	ords   []uint16
}

// of returns the column of a field of a segment, reading it the first time;
// nil when the field has more terms than a column holds.
func (c *facetColumns) of(seg segment.Segment, field string) (*facetColumn, error) {
	key := facetColumnKey{seg, field}
	c.mu.Lock()
	if c.cols == nil {
		c.cols = map[facetColumnKey]*facetColumn{}
	}
	col, ok := c.cols[key]
	if !ok {
		col = &facetColumn{}
		c.cols[key] = col
	}
	c.mu.Unlock()
	col.once.Do(func() { col.err = col.read(seg, field) })
	if col.err != nil || !col.ok {
		return nil, col.err
	}
	return col, nil
}

// keepOnly drops the columns of segments not in live.
func (c *facetColumns) keepOnly(live map[segment.Segment]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	dropGone(c.cols, func(k facetColumnKey) segment.Segment { return k.seg }, live)
}

// read fills the column from the field's postings.
func (col *facetColumn) read(seg segment.Segment, field string) error {
	dict, err := seg.Dictionary(field)
	if err != nil {
		return err
	}
	var postings []*roaring.Bitmap
	tooMany := false
	err = eachTerm(dict, nil, nil, func(term string) (bool, error) {
		if len(col.terms) == 1<<16-1 {
			tooMany = true
			return false, nil
		}
		bm, err := postingsDocs(dict, term)
		if err != nil {
			return false, err
		}
		col.terms = append(col.terms, term)
		postings = append(postings, bm)
		return true, nil
	})
	if err != nil || tooMany {
		return err // too many: not ok, counted from postings
	}
	n := seg.Count()
	perDoc := make([]uint32, n+1)
	multi := false
	buf := make([]uint32, 256)
	walk := func(bm *roaring.Bitmap, each func(d uint32)) {
		it := bm.ManyIterator()
		for k := it.NextMany(buf); k > 0; k = it.NextMany(buf) {
			for _, d := range buf[:k] {
				each(d)
			}
		}
	}
	for _, bm := range postings {
		walk(bm, func(d uint32) {
			perDoc[d]++
			multi = multi || perDoc[d] > 1
		})
	}
	if !multi {
		col.single = make([]uint16, n)
		for ord, bm := range postings {
			walk(bm, func(d uint32) { col.single[d] = uint16(ord + 1) })
		}
		col.ok = true
		return nil
	}
	// start[d] is where document d's ordinals begin: the counts summed.
	col.start = make([]uint32, n+1)
	for d := range n {
		col.start[d+1] = col.start[d] + perDoc[d]
	}
	col.ords = make([]uint16, col.start[n])
	next := perDoc[:n] // the next free place of each document
	copy(next, col.start[:n])
	for ord, bm := range postings {
		walk(bm, func(d uint32) {
			col.ords[next[d]] = uint16(ord)
			next[d]++
		})
	}
	col.ok = true
	return nil
}

// count adds to counts how many of docs have each value.
func (col *facetColumn) count(docs *roaring.Bitmap, counts map[string]int) {
	byOrd := make([]int, len(col.terms))
	buf := make([]uint32, 256)
	it := docs.ManyIterator()
	for k := it.NextMany(buf); k > 0; k = it.NextMany(buf) {
		if col.single != nil {
			for _, d := range buf[:k] {
				if o := col.single[d]; o > 0 {
					byOrd[o-1]++
				}
			}
			continue
		}
		for _, d := range buf[:k] {
			for _, o := range col.ords[col.start[d]:col.start[d+1]] {
				byOrd[o]++
			}
		}
	}
	for ord, n := range byOrd {
		if n > 0 {
			counts[col.terms[ord]] += n
		}
	}
}
