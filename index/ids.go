package index

import (
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// idColumns keeps, per segment, the candidate id of each of its documents
// by number: ordering hits by score then id, and paging after a cursor,
// need the ids of every hit that ties at the cut, and a common word's hits
// tie by the thousand. Read from the segment's stored _id one hit at a
// time, that was a third of a free-text search's time at a million CVs
// (each read a miss of the processor's cache somewhere in the segment's
// stored fields); a segment's column is read once, in document order, and
// costs 8 bytes per document.
//
// A segment never changes (deletions are the snapshot's), so its column
// lasts as long as the segment; columns of segments no longer in the
// index are dropped.
type idColumns struct {
	mu   sync.Mutex
	segs map[segment.Segment]*idColumn
}

type idColumn struct {
	once sync.Once
	ids  []int64
	err  error
}

// of returns the id columns of a snapshot's segments, by position in
// snap.Segments(), reading the ones not read yet, and drops the columns of
// segments that snap no longer has.
func (c *idColumns) of(snap *scorch.IndexSnapshot) ([][]int64, error) {
	segs := snap.Segments()
	cols := make([]*idColumn, len(segs))
	c.mu.Lock()
	if c.segs == nil {
		c.segs = map[segment.Segment]*idColumn{}
	}
	live := make(map[segment.Segment]bool, len(segs))
	for i, ss := range segs {
		seg := ss.Segment()
		live[seg] = true
		col, ok := c.segs[seg]
		if !ok {
			col = &idColumn{}
			c.segs[seg] = col
		}
		cols[i] = col
	}
	// A segment that another, newer snapshot has while this one does
	// not is dropped and read again: rare (a search on a snapshot older
	// than the last merge), and never wrong.
	dropGone(c.segs, func(seg segment.Segment) segment.Segment { return seg }, live)
	c.mu.Unlock()

	out := make([][]int64, len(segs))
	for i, col := range cols {
		col.once.Do(func() { col.ids, col.err = readIDColumn(segs[i].Segment()) })
		if col.err != nil {
			return nil, col.err
		}
		out[i] = col.ids
	}
	return out, nil
}

// dropGone deletes from a cache by segment the entries whose segment
// (seg of the key) is not in live: segments merged away are not read again.
func dropGone[K comparable, V any](m map[K]V, seg func(K) segment.Segment, live map[segment.Segment]bool) {
	for k := range m {
		if !live[seg(k)] {
			delete(m, k)
		}
	}
}

// readIDColumn reads the candidate id of every document of a segment.
func readIDColumn(seg segment.Segment) ([]int64, error) {
	type docIDs interface {
		DocID(num uint64) ([]byte, error)
	}
	s, ok := seg.(docIDs)
	if !ok {
		return nil, fmt.Errorf("index: a segment of type %T does not give its documents' ids", seg)
	}
	ids := make([]int64, seg.Count())
	for num := range ids {
		b, err := s.DocID(uint64(num))
		if err != nil {
			return nil, err
		}
		id, err := parseDocID(b)
		if err != nil {
			return nil, err
		}
		ids[num] = id
	}
	return ids, nil
}

// parseDocID reads a document id written by candidateDocID: the
// candidate's id in 19 decimal digits.
func parseDocID(b []byte) (int64, error) {
	if len(b) == 0 || len(b) > 19 {
		return 0, fmt.Errorf("index: document id %q is not a candidate id", b)
	}
	var id int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("index: document id %q is not a candidate id", b)
		}
		id = id*10 + int64(c-'0')
	}
	if id <= 0 {
		return 0, fmt.Errorf("index: document id %q is not a candidate id", b)
	}
	return id, nil
}
