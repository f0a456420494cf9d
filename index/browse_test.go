package index

import (
	gocmp "cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"incontro/matching"
	"incontro/seed"
)

// searchWithoutShortcuts runs a query the general way, as bleve searches,
// whatever shortcut Search would take.
func searchWithoutShortcuts(tb testing.TB, ix *Index, q Query) Result {
	tb.Helper()
	n, err := normalize(q)
	if err != nil {
		tb.Fatal(err)
	}
	order, kinds := sortOrder(n)
	after, err := decodeCursor(n.After, n.Sort, kinds)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := newPlan(n)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := ix.run(context.Background(), p, order, kinds, after)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// newSeededIndex indexes n seeded candidates in several batches, so in
// several segments, then changes some (their old documents are deleted in
// the older segments) and erases others.
func newSeededIndex(tb testing.TB, n int, asOf time.Time) *Index {
	tb.Helper()
	g, err := seed.New(seed.Options{Seed: 7, Candidates: n, AsOf: asOf})
	if err != nil {
		tb.Fatal(err)
	}
	ix := mustOpenIndex(tb, tb.TempDir())
	cands := make([]matching.Candidate, n)
	for i := range n {
		cands[i], _ = g.Candidate(i)
		cands[i].ID = int64(i + 1)
	}
	pos := int64(0)
	apply := func(changes []Change) {
		pos++
		if err := ix.Apply(changes, Position{TxID: 1, ID: pos}, asOf); err != nil {
			tb.Fatal(err)
		}
	}
	const batches = 5
	for b := range batches {
		var changes []Change
		for i := b; i < n; i += batches {
			changes = append(changes, upsert(cands[i]))
		}
		apply(changes)
	}
	var changes []Change
	for i := 0; i < n; i += 7 {
		c := cands[i]
		if c.Presentation == matching.PresentNone {
			c.Presentation = matching.PresentNamed
		} else {
			c.Presentation = matching.PresentNone
		}
		c.HomeMunicipality, c.HomeLat, c.HomeLon = "022205", 0, 0
		changes = append(changes, upsert(c))
	}
	for i := 3; i < n; i += 11 {
		changes = append(changes, remove(int64(i+1)))
	}
	apply(changes)
	return ix
}

func TestBrowseGivesWhatTheSearchGives(t *testing.T) {
	asOf := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ix := newSeededIndex(t, 400, asOf)
	check := func(t *testing.T) {
		for _, all := range []bool{false, true} {
			q := Query{Facets: true, IncludeNotPresentable: all, Size: 37, AsOf: asOf}
			if !isBrowse(mustNormalize(t, q)) {
				t.Fatal("the query is not the browse page")
			}
			pages := 0
			for {
				want := searchWithoutShortcuts(t, ix, q)
				got, err := ix.Search(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				got.Took = 0
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("not presentable too %v, page %d (-search +browse):\n%s", all, pages, diff)
				}
				pages++
				if got.Next == "" {
					break
				}
				q.After, q.Facets = got.Next, false
			}
			if pages < 5 {
				t.Errorf("only %d pages", pages)
			}
		}
	}
	t.Run("on segments with deleted documents", check)
	// The counts of the segments are kept: changes delete documents in them.
	var changes []Change
	for id := int64(2); id <= 400; id += 13 {
		changes = append(changes, remove(id))
	}
	mustApply(t, ix, Position{TxID: 2, ID: 1}, changes...)
	t.Run("after more changes", check)
	// Counts kept without the documents deleted so far lose only the new ones.
	changes = nil
	for id := int64(5); id <= 400; id += 17 {
		changes = append(changes, remove(id))
	}
	mustApply(t, ix, Position{TxID: 3, ID: 1}, changes...)
	t.Run("after changes again", check)
}

func mustNormalize(tb testing.TB, q Query) Query {
	tb.Helper()
	n, err := normalize(q)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// relevanceReference returns every hit of a text in the relevance order,
// score then id, from one page that holds them all, and checks that order.
func relevanceReference(tb testing.TB, ix *Index, text string) []Hit {
	tb.Helper()
	r, err := ix.Search(context.Background(), Query{Text: text, Size: MaxPageSize, AsOf: time.Now()})
	if err != nil {
		tb.Fatal(err)
	}
	if r.Next != "" {
		tb.Fatalf("%d hits do not fit a page", r.Total)
	}
	if !slices.IsSortedFunc(r.Hits, func(a, b Hit) int { return gocmp.Or(gocmp.Compare(b.Score, a.Score), gocmp.Compare(a.ID, b.ID)) }) {
		tb.Fatalf("the page is not in the order score, then id: %v", r.Hits)
	}
	return r.Hits
}

func TestRelevancePagesBreakTiesByIDWhateverTheirLength(t *testing.T) {
	ix := mustOpenIndex(t, t.TempDir())
	var changes []Change
	// Many CVs alike tie on score; a few score more or less.
	for id := int64(1000); id < 1080; id++ {
		changes = append(changes, upsert(bulkCandidate(id, "uguale")))
	}
	for id := int64(1080); id < 1090; id++ {
		c := bulkCandidate(id, "uguale uguale")
		c.Summary = ""
		changes = append(changes, upsert(c))
	}
	for id := int64(1090); id < 1100; id++ {
		c := bulkCandidate(id, "uguale")
		c.Summary += " e altro testo ancora, molto più lungo del solito"
		changes = append(changes, upsert(c))
	}
	mustApply(t, ix, Position{TxID: 1, ID: 1}, changes...)
	want := relevanceReference(t, ix, "uguale")
	if len(want) != 100 {
		t.Fatalf("%d hits", len(want))
	}
	scores := map[float64]int{}
	for _, h := range want {
		scores[h.Score]++
	}
	if len(scores) < 2 || len(scores) > 50 {
		t.Fatalf("the case needs large ties and more than one score: %v", scores)
	}
	for _, size := range []int{1, 3, 9, 10, 11, 25, 89, 90, 99, 100, 200} {
		var got []Hit
		q := Query{Text: "uguale", Size: size, AsOf: time.Now()}
		for {
			r, err := ix.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, r.Hits...)
			if r.Next == "" {
				break
			}
			q.After = r.Next
		}
		if !slices.EqualFunc(got, want, func(a, b Hit) bool { return a.ID == b.ID && a.Score == b.Score }) {
			t.Errorf("pages of %d: %v\nwant %v", size, hitIDs(Result{Hits: got}), hitIDs(Result{Hits: want}))
		}
	}
}

// Browse pages may run while changes land and segments merge.
func TestBrowseWhileChangesLand(t *testing.T) {
	asOf := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ix := newSeededIndex(t, 200, asOf)
	done := make(chan struct{})
	errs := make(chan error, 4)
	for range 2 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				ix.ClearCache()
				r, err := ix.Search(context.Background(), Query{Facets: true, AsOf: asOf})
				if err != nil {
					errs <- err
					return
				}
				n := 0
				for _, fc := range r.Facets[FacetEducation] {
					n += fc.Count
				}
				if uint64(n) > r.Total {
					errs <- fmt.Errorf("education counts %d candidates of %d", n, r.Total)
					return
				}
			}
		}()
	}
	for i := range 30 {
		id := int64(1 + i*6)
		mustApply(t, ix, Position{TxID: 9, ID: int64(i + 1)}, remove(id), remove(id+1))
	}
	close(done)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	// And the counts are right once the changes are in.
	q := Query{Facets: true, AsOf: asOf}
	want := searchWithoutShortcuts(t, ix, q)
	ix.ClearCache()
	got, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	got.Took = 0
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-search +browse):\n%s", diff)
	}
}
