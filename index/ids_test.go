package index

import (
	"testing"

	bleveindex "github.com/blevesearch/bleve_index_api"
)

// A segment's id column holds the candidate id of each of its documents,
// as the document's stored id says; the columns of segments that are gone
// are dropped.
func TestIDColumnsAreTheDocumentsIDs(t *testing.T) {
	ix := newSeededIndex(t, 400, classesAsOf)
	check := func() int {
		t.Helper()
		snap, release, err := ix.snapshot()
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		cols, err := ix.ids.of(snap)
		if err != nil {
			t.Fatal(err)
		}
		starts := segmentStarts(snap.Segments())
		docs := 0
		for si, ss := range snap.Segments() {
			if got, want := len(cols[si]), int(ss.Segment().Count()); got != want {
				t.Fatalf("segment %d: %d ids for %d documents", si, got, want)
			}
			for num, id := range cols[si] {
				ext, err := snap.ExternalID(bleveindex.NewIndexInternalID(nil, starts[si]+uint64(num)))
				if err != nil {
					t.Fatal(err)
				}
				if want, err := hitCandidateID(ext); err != nil || id != want {
					t.Fatalf("segment %d, document %d: id %d, stored %q", si, num, id, ext)
				}
				docs++
			}
		}
		ix.ids.mu.Lock()
		defer ix.ids.mu.Unlock()
		if len(ix.ids.segs) != len(snap.Segments()) {
			t.Errorf("%d columns kept for %d segments", len(ix.ids.segs), len(snap.Segments()))
		}
		return docs
	}
	if n := check(); n < 400 {
		t.Fatalf("%d documents checked", n)
	}
	// New segments come, merged ones go.
	for i := range 12 {
		c := bulkCandidate(int64(1000+i), "")
		mustApply(t, ix, Position{TxID: 2, ID: int64(100 + i)}, upsert(c))
		check()
	}
}
