package index

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"incontro/matching"
	"incontro/seed"
)

// forceParallel makes the rest of the test work on every snapshot of two
// segments or more in parallel, with at least three processors to share,
// and Rebuild leave an index in as many segments. It returns the function
// that turns the parallel work off and on again.
func forceParallel(t *testing.T) (parallel func(on bool)) {
	t.Helper()
	oldMin, oldProcs := parallelMinDocs, runtime.GOMAXPROCS(0)
	parallel = func(on bool) {
		parallelMinDocs = math.MaxUint64
		if on {
			parallelMinDocs = 0
		}
	}
	parallel(true)
	runtime.GOMAXPROCS(max(oldProcs, 3))
	t.Cleanup(func() {
		parallelMinDocs = oldMin
		runtime.GOMAXPROCS(oldProcs)
	})
	return parallel
}

func TestGroupBySize(t *testing.T) {
	tests := []struct {
		name  string
		sizes []uint64
		procs int
		min   uint64
		want  [][]int
	}{
		{"two large segments and small ones, two processors", []uint64{500, 20, 480, 10, 5}, 2, 100,
			[][]int{{0, 3}, {2, 1, 4}}},
		{"more processors than segments", []uint64{300, 700}, 8, 100, [][]int{{1}, {0}}},
		{"three even segments, three processors", []uint64{400, 400, 400}, 3, 100, [][]int{{0}, {1}, {2}}},
		{"below the minimum: one group", []uint64{50, 40}, 2, 100, [][]int{{0, 1}}},
		{"one processor: one group", []uint64{500, 500}, 1, 100, [][]int{{0, 1}}},
		{"one segment: one group", []uint64{1000}, 4, 100, [][]int{{0}}},
		{"no segment", nil, 4, 0, [][]int{{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := groupBySize(tt.sizes, tt.procs, tt.min)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("groups differ (-want +got):\n%s", diff)
			}
		})
	}
}

// Searches and recalls worked on in parallel, a group of segments per
// goroutine, answer what they answer in one goroutine: the same hits,
// scores, totals, facets and cursors, first pages and later ones.
func TestParallelSearchesAnswerAsInOne(t *testing.T) {
	parallel := forceParallel(t)
	// Four segments that no merge folds together, then changes: small
	// segments more, and deleted documents in the large ones.
	cands := benchCandidates(t, 1500, classesAsOf)
	dir := t.TempDir()
	b, _, _ := unmergedIndex(t, dir+"/idx", cands, func(int) int { return 375 })
	ix := newIndex(dir, dir+"/idx", b, false)
	t.Cleanup(func() { ix.Close() })
	var changes []Change
	for i := 0; i < len(cands); i += 9 {
		c := cands[i]
		c.Headline = "cuoco capo partita"
		changes = append(changes, upsert(c))
	}
	for i := 4; i < len(cands); i += 13 {
		changes = append(changes, remove(cands[i].ID))
	}
	mustApply(t, ix, Position{TxID: 2, ID: 2}, changes...)
	var qs []Query
	for _, cls := range []string{"a_text", "b_text_facets", "c_text_radius", "d_browse"} {
		qs = append(qs, classQueries(12)[cls]...)
	}
	for _, q := range classQueries(12)["a_text"] {
		q.AnyWord, q.Size = true, 7
		qs = append(qs, q)
	}
	qs = append(qs, Query{Text: "addetto", Size: 5, AsOf: classesAsOf}, Query{Text: "cuoco", Sort: SortFreshness, AsOf: classesAsOf})

	g, err := seed.New(seed.Options{Seed: 5, Candidates: 10, AsOf: classesAsOf})
	if err != nil {
		t.Fatal(err)
	}
	_, sectors := g.Employers()
	var recalls []RecallQuery
	for i := range 12 {
		recalls = append(recalls, RecallQuery{Vacancy: g.Vacancy(i%len(sectors), i/len(sectors)%3, sectors[i%len(sectors)]), AsOf: classesAsOf})
	}

	// Each search, then each of its next two pages.
	answer := func() ([]Result, []Recall) {
		var results []Result
		for _, q := range qs {
			for page := 0; page < 3; page++ {
				ix.ClearCache()
				r, err := ix.Search(context.Background(), q)
				if err != nil {
					t.Fatalf("search %+v: %v", q, err)
				}
				results = append(results, r)
				if r.Next == "" {
					break
				}
				q.After = r.Next
			}
		}
		var out []Recall
		for _, rq := range recalls {
			r, err := ix.Recall(context.Background(), rq)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return results, out
	}
	parallel(false)
	oneResults, oneRecalls := answer()

	parallel(true)
	snap, release, err := ix.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	groups := len(segmentGroups(snap.Segments()))
	release()
	if groups < 2 {
		t.Fatalf("the index makes %d group of segments: the test would compare a goroutine with itself", groups)
	}
	parResults, parRecalls := answer()

	ignore := cmpopts.IgnoreFields(Result{}, "Took")
	if diff := cmp.Diff(oneResults, parResults, ignore, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("searches in parallel differ (-one goroutine +parallel):\n%s", diff)
	}
	if diff := cmp.Diff(oneRecalls, parRecalls, cmpopts.IgnoreFields(Recall{}, "Took"), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("recalls in parallel differ (-one goroutine +parallel):\n%s", diff)
	}
	hits, paged := 0, 0
	for _, r := range oneResults {
		hits += len(r.Hits)
		if r.Next != "" {
			paged++
		}
	}
	recalled := 0
	for _, r := range oneRecalls {
		recalled += len(r.Hits) + len(r.NearMisses)
	}
	if hits < 200 || paged < 10 || recalled < 100 {
		t.Errorf("%d hits, %d pages with a next one, %d recalled: the comparison says little", hits, paged, recalled)
	}
	t.Logf("%d segments in %d groups; compared %d pages (%d hits) and %d recalls (%d candidates)",
		len(snap.Segments()), groups, len(oneResults), hits, len(oneRecalls), recalled)
}

// forceMerge leaves an index of many small segments in as many segments as
// asked, each less than the largest original segment short of an even
// share, and perhaps one small segment more, every document kept.
func TestForceMergeParts(t *testing.T) {
	cands := benchCandidates(t, 1300, classesAsOf)
	for _, parts := range []int{1, 2, 3} {
		t.Run(fmt.Sprint(parts, " parts"), func(t *testing.T) {
			// Batches of uneven sizes: 40 to 130 candidates.
			b, docs, largest := unmergedIndex(t, t.TempDir()+"/idx", cands, func(from int) int { return 40 + from%91 })
			defer b.Close()
			before := docsBySegment(t, b)
			if len(before) < 10 {
				t.Fatalf("the batches left %d segments: the build merged them", len(before))
			}
			if err := forceMerge(context.Background(), b, parts); err != nil {
				t.Fatal(err)
			}
			after := docsBySegment(t, b) // fewest first
			var sum uint64
			for _, n := range after {
				sum += n
			}
			share := (docs + uint64(parts) - 1) / uint64(parts)
			large, small := after, []uint64(nil)
			if len(after) > parts {
				large, small = after[len(after)-parts:], after[:len(after)-parts]
			}
			for _, n := range large {
				if n > share || n+largest <= share {
					t.Errorf("a segment of %d documents, not within %d (the largest batch) under a share of %d", n, largest, share)
				}
			}
			if len(small) > 1 || len(small) == 1 && small[0] >= uint64(parts)*largest || len(large) != parts || sum != docs {
				t.Errorf("%d segments of %v documents (%d) from %d segments (%d), want %d and perhaps a small one", len(after), after, sum, len(before), docs, parts)
			}
			t.Logf("%d segments of %d documents: %v", len(before), docs, after)
		})
	}
}

// unmergedIndex returns a new index at path of the documents of cands,
// indexed in batches of size(first) candidates, which bleve's merger
// leaves alone (segments of fewer than half MaxSegmentSize documents are
// merged: none), with how many documents it holds and the most in one
// segment.
func unmergedIndex(t *testing.T, path string, cands []matching.Candidate, size func(first int) int) (b bleve.Index, docs, largest uint64) {
	t.Helper()
	noMerges := map[string]any{"scorchMergePlanOptions": map[string]any{"MaxSegmentSize": 1}}
	b, err := createUsing(path, noMerges)
	if err != nil {
		t.Fatal(err)
	}
	for from := 0; from < len(cands); {
		n := size(from)
		batch := b.NewBatch()
		var docsOf uint64
		for _, c := range cands[from:min(from+n, len(cands))] {
			if doc, ok := Document(c, classesAsOf); ok {
				if err := batch.Index(candidateDocID(c.ID), doc); err != nil {
					t.Fatal(err)
				}
				docsOf++
			}
		}
		if err := b.Batch(batch); err != nil {
			t.Fatal(err)
		}
		docs, largest = docs+docsOf, max(largest, docsOf)
		from += n
	}
	return b, docs, largest
}

// docsBySegment returns the documents of each segment of an index, fewest first.
func docsBySegment(t *testing.T, b bleve.Index) []uint64 {
	t.Helper()
	adv, err := b.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []uint64
	for _, ss := range r.(*scorch.IndexSnapshot).Segments() {
		out = append(out, ss.Count())
	}
	slices.Sort(out)
	return out
}
