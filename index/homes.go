package index

import (
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"incontro/reference"
)

// Circles of homes as cached sets of documents. A radius is the set of the
// homes within it (see homesWithin), a few dozen municipalities, each a
// posting list of thousands of documents at a million CVs; bleve merges
// them into one for every query that names the radius, which was a fifth
// of a search with a radius. The merged set of a segment depends only on
// the segment and the circle, and the segments of an index change rarely
// (one large one after a build, small ones as CVs change, merged now and
// then): it is kept, and a query only walks it, skipping the documents
// deleted since.

// homeSetsSize is how many sets (segment and circle) the cache keeps.
const homeSetsSize = 256

// homeSetKey identifies the documents of a segment whose home is in a circle.
type homeSetKey struct {
	seg          segment.Segment
	lat, lon, km float64
	orNone       bool
}

// homeSets caches the sets, evicting the oldest.
type homeSets struct {
	mu    sync.Mutex
	sets  map[homeSetKey]*roaring.Bitmap
	order []homeSetKey
}

var cachedHomeSets = &homeSets{sets: map[homeSetKey]*roaring.Bitmap{}}

// of returns the documents of seg (deleted ones included) whose home is in
// the circle of q.
func (c *homeSets) of(seg segment.Segment, q *homesWithin) (*roaring.Bitmap, error) {
	key := homeSetKey{seg: seg, lat: q.Lat, lon: q.Lon, km: q.Km, orNone: q.OrNone}
	c.mu.Lock()
	bm, ok := c.sets[key]
	c.mu.Unlock()
	if ok {
		return bm, nil
	}
	bm, err := homeSet(seg, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.sets[key]; !ok {
		c.sets[key] = bm
		c.order = append(c.order, key)
		if len(c.order) > homeSetsSize {
			delete(c.sets, c.order[0])
			c.order = c.order[1:]
		}
	}
	return bm, nil
}

// homeSet reads from seg's dictionary the homes in the circle of q and
// merges their postings.
func homeSet(seg segment.Segment, q *homesWithin) (*roaring.Bitmap, error) {
	dict, err := seg.Dictionary(fieldHome)
	if err != nil {
		return nil, err
	}
	out := roaring.New()
	it := dict.AutomatonIterator(nil, nil, nil)
	for {
		e, err := it.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		in := q.OrNone && e.Term == noHomeKey
		if e.Term != noHomeKey {
			if lat, lon, ok := homePoint(e.Term); ok && reference.HaversineKm(q.Lat, q.Lon, lat, lon) <= q.Km {
				in = true
			}
		}
		if in {
			bm, err := postingsBitmap(dict, []byte(e.Term), nil)
			if err != nil {
				return nil, err
			}
			out.Or(bm)
		}
	}
	out.RunOptimize()
	return out, nil
}

// homeSetSearcher walks the cached sets of a snapshot's segments as one
// list of documents, in the snapshot's numbering (a segment's documents
// follow those of the segments before it, deleted ones included, as scorch
// numbers them). It never scores: it is a filter.
type homeSetSearcher struct {
	offsets []uint64            // the first number of each segment
	sets    []*roaring.Bitmap   // the documents of each segment in the circle
	deleted []*roaring.Bitmap   // each segment's deleted documents, nil for none
	seg     int                 // the segment being walked
	it      roaring.IntPeekable // its iterator
	count   uint64
}

// newHomeSetSearcher returns the searcher of q on a scorch snapshot, or
// nil when r is not one (bleve's own searcher is used then).
func newHomeSetSearcher(r bleveindex.IndexReader, q *homesWithin) (*homeSetSearcher, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, nil
	}
	s := &homeSetSearcher{}
	var running uint64
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		bm, err := cachedHomeSets.of(seg, q)
		if err != nil {
			return nil, fmt.Errorf("index: homes within %g km: %w", q.Km, err)
		}
		s.offsets = append(s.offsets, running)
		s.sets = append(s.sets, bm)
		del := ss.Deleted()
		if del != nil && del.IsEmpty() {
			del = nil
		}
		s.deleted = append(s.deleted, del)
		n := bm.GetCardinality()
		if del != nil {
			n -= bm.AndCardinality(del)
		}
		s.count += n
		running += seg.Count()
	}
	if running > math.MaxUint32 {
		return nil, nil
	}
	if len(s.sets) > 0 {
		s.it = s.sets[0].Iterator()
	}
	return s, nil
}

// next returns the next document at or after the global number from, or
// false when there is none.
func (s *homeSetSearcher) next(from uint64) (uint64, bool) {
	for s.seg < len(s.sets) {
		if from > s.offsets[s.seg] {
			s.it.AdvanceIfNeeded(uint32(from - s.offsets[s.seg]))
		}
		for s.it.HasNext() {
			local := s.it.Next()
			if d := s.deleted[s.seg]; d != nil && d.Contains(local) {
				continue
			}
			return s.offsets[s.seg] + uint64(local), true
		}
		s.seg++
		if s.seg < len(s.sets) {
			s.it = s.sets[s.seg].Iterator()
		}
	}
	return 0, false
}

func (s *homeSetSearcher) match(ctx *search.SearchContext, num uint64) *search.DocumentMatch {
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = bleveindex.NewIndexInternalID(dm.IndexInternalID, num)
	return dm
}

// Next implements search.Searcher.
func (s *homeSetSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	num, ok := s.next(0)
	if !ok {
		return nil, nil
	}
	return s.match(ctx, num), nil
}

// Advance implements search.Searcher.
func (s *homeSetSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	target := id.Value()
	// The segment of the target: the last whose first number is at most it.
	if i := sort.Search(len(s.offsets), func(i int) bool { return s.offsets[i] > target }) - 1; i > s.seg {
		s.seg = i
		s.it = s.sets[i].Iterator()
	}
	num, ok := s.next(target)
	if !ok {
		return nil, nil
	}
	return s.match(ctx, num), nil
}

// Weight implements search.Searcher.
func (s *homeSetSearcher) Weight() float64 { return 1 }

// SetQueryNorm implements search.Searcher.
func (s *homeSetSearcher) SetQueryNorm(float64) {}

// Count implements search.Searcher.
func (s *homeSetSearcher) Count() uint64 { return s.count }

// Min implements search.Searcher.
func (s *homeSetSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *homeSetSearcher) Size() int { return 64 + 24*len(s.sets) }

// DocumentMatchPoolSize implements search.Searcher.
func (s *homeSetSearcher) DocumentMatchPoolSize() int { return 1 }

// Close implements search.Searcher.
func (s *homeSetSearcher) Close() error { return nil }
