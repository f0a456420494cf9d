package index

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"incontro/matching"
)

// fakeLoader pages through n candidates with IDs 1..n whose headlines carry
// word, as the store does by ID.
func fakeLoader(n int, word string) func(ctx context.Context, afterID int64, limit int) ([]matching.Candidate, error) {
	return func(ctx context.Context, afterID int64, limit int) ([]matching.Candidate, error) {
		var page []matching.Candidate
		for id := afterID + 1; id <= int64(n) && len(page) < limit; id++ {
			page = append(page, bulkCandidate(id, word))
		}
		return page, nil
	}
}

func dirNames(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestOpenCreatesThenReopensTheIndex(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !ix.Rebuilt {
		t.Error("a new index should be marked for rebuilding")
	}
	if err := ix.Ready(); err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "candidates.bleve"); ix.Path() != want {
		t.Errorf("Path = %s, want %s", ix.Path(), want)
	}
	mustApply(t, ix, Position{TxID: 1, ID: 1}, upsert(bulkCandidate(1, "alfa")))
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Ready(); err == nil {
		t.Error("a closed index says it is ready")
	}
	if fi, err := os.Stat(filepath.Join(dir, "candidates.bleve")); err != nil || !fi.IsDir() {
		t.Fatalf("index is not a directory on disk: %v", err)
	}

	ix = mustOpenIndex(t, dir)
	if ix.Rebuilt {
		t.Error("reopening a filled index of the current mapping version should not rebuild it")
	}
	if n := mustDocCount(t, ix); n != 1 {
		t.Errorf("DocCount = %d, want 1", n)
	}
}

func TestOpenAsksToFillAnIndexThatNeverRecordedAPosition(t *testing.T) {
	// The process died between creating the index and filling it.
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix = mustOpenIndex(t, dir)
	if !ix.Rebuilt {
		t.Error("an index without a position should be marked for rebuilding")
	}
}

func TestOpenRecreatesAnIndexOfAnotherMappingVersion(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	mustApply(t, ix, Position{TxID: 5, ID: 5}, upsert(bulkCandidate(1, "alfa")), upsert(bulkCandidate(2, "alfa")))
	if err := ix.cur.SetInternal(keyMappingVersion, []byte("1")); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	ix = mustOpenIndex(t, dir)
	if !ix.Rebuilt {
		t.Error("an index built with another mapping version must be rebuilt")
	}
	if n := mustDocCount(t, ix); n != 0 {
		t.Errorf("DocCount = %d after recreating, want 0", n)
	}
	if p := mustPosition(t, ix); p != (Position{}) {
		t.Errorf("position = %s after recreating, want 0/0", p)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"candidates.bleve", "candidates.lock"}) {
		t.Errorf("directory holds %v", names)
	}
}

func TestOpenStoresTheMappingAsBuilt(t *testing.T) {
	// The flags (store, doc values, dynamic) must survive bleve's JSON
	// round trip, or a reopened index would index differently.
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix = mustOpenIndex(t, dir)
	got, err := json.Marshal(ix.bleveIndex().Mapping())
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(newMapping())
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("reopened mapping differs:\n got %s\nwant %s", got, want)
	}
}

func TestOpenRemovesLeftoversOfAnInterruptedRebuild(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	mustApply(t, ix, Position{TxID: 1, ID: 1}, upsert(bulkCandidate(1, "alfa")))
	ix.Close()

	// A rebuild that died half-way: an index without the mapping version.
	partial, err := bleve.New(filepath.Join(dir, "candidates.bleve.new-20250101T000000.000000000"), newMapping())
	if err != nil {
		t.Fatal(err)
	}
	partial.Close()
	// A rebuild that died before bleve wrote anything, and a removal that died.
	for _, name := range []string{"candidates.bleve.new-20250102T000000.000000000", "candidates.bleve.old-20250103T000000.000000000"} {
		if err := os.MkdirAll(filepath.Join(dir, name, "store"), 0o755); err != nil {
			t.Fatal(err)
		}
	}

	ix = mustOpenIndex(t, dir)
	if names := dirNames(t, dir); !slices.Equal(names, []string{"candidates.bleve", "candidates.lock"}) {
		t.Errorf("directory holds %v, want only the live index and the lock", names)
	}
	if n := mustDocCount(t, ix); n != 1 || ix.Rebuilt {
		t.Errorf("the live index was touched: DocCount %d, Rebuilt %v", n, ix.Rebuilt)
	}
}

func TestOpenKeepsTheLiveIndexWhenARebuildFinishedButWasNotSwapped(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	mustApply(t, ix, Position{TxID: 1, ID: 1}, upsert(bulkCandidate(1, "alfa")))
	fresh, err := Rebuild(context.Background(), dir, Position{TxID: 9, ID: 9}, fakeLoader(5, "beta"), applyAsOf, nil)
	if err != nil {
		t.Fatal(err)
	}
	fresh.Close()
	ix.Close()

	ix = mustOpenIndex(t, dir)
	if p := mustPosition(t, ix); p != (Position{TxID: 1, ID: 1}) {
		t.Errorf("position = %s, want the live index's 1/1", p)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"candidates.bleve", "candidates.lock"}) {
		t.Errorf("directory holds %v", names)
	}
}

func TestOpenRefusesADirectoryThatIsOpen(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if second, err := Open(dir); err == nil {
		second.Close()
		t.Fatal("a second Open of an open directory succeeded")
	} else if !strings.Contains(err.Error(), "in use") {
		t.Errorf("error %q does not say the directory is in use", err)
	}
	ix.Close()
	again, err := Open(dir)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	again.Close()
}

func TestRebuildIndexesEveryCandidateAndRecordsThePosition(t *testing.T) {
	dir := t.TempDir()
	ix := mustOpenIndex(t, dir)
	for id := int64(1); id <= 3; id++ {
		c := bulkCandidate(id, "alfa")
		if err := c.Validate(); err != nil {
			t.Fatalf("fake candidate %d is not valid: %v", id, err)
		}
	}
	var pages []int
	load := fakeLoader(2500, "beta")
	counted := func(ctx context.Context, afterID int64, limit int) ([]matching.Candidate, error) {
		page, err := load(ctx, afterID, limit)
		pages = append(pages, len(page))
		return page, err
	}
	var progress []int
	from := Position{TxID: 77, ID: 1234}
	fresh, err := Rebuild(context.Background(), dir, from, counted, applyAsOf, func(done int) { progress = append(progress, done) })
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if n := mustDocCount(t, fresh); n != 2500 {
		t.Errorf("DocCount = %d, want 2500", n)
	}
	if p := mustPosition(t, fresh); p != from {
		t.Errorf("position = %s, want %s", p, from)
	}
	if !slices.Equal(pages, []int{1000, 1000, 500, 0}) {
		t.Errorf("pages loaded: %v, want 1000, 1000, 500 and the empty end", pages)
	}
	// Pages are indexed concurrently: the last, shorter one may land
	// before another.
	var steps []int
	for i, done := range progress {
		if i == 0 {
			steps = append(steps, done)
		} else {
			steps = append(steps, done-progress[i-1])
		}
	}
	slices.Sort(steps)
	if !slices.Equal(steps, []int{500, 1000, 1000}) || progress[len(progress)-1] != 2500 {
		t.Errorf("progress reported %v", progress)
	}
	if !strings.HasPrefix(filepath.Base(fresh.Path()), "candidates.bleve.new-") {
		t.Errorf("the rebuilt index is at %s, not in a fresh .new- directory", fresh.Path())
	}
	if n := mustDocCount(t, ix); n != 0 {
		t.Errorf("the live index changed: DocCount %d", n)
	}
}

func TestRebuildThatFailsLeavesTheLiveIndexAndNoDirectory(t *testing.T) {
	dir := t.TempDir()
	ix := mustOpenIndex(t, dir)
	mustApply(t, ix, Position{TxID: 1, ID: 1}, upsert(bulkCandidate(1, "alfa")))
	load := fakeLoader(2500, "beta")
	broken := func(ctx context.Context, afterID int64, limit int) ([]matching.Candidate, error) {
		if afterID >= 1000 {
			return nil, errors.New("connection reset")
		}
		return load(ctx, afterID, limit)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, run := range map[string]func() (*Index, error){
		"load error": func() (*Index, error) {
			return Rebuild(context.Background(), dir, Position{TxID: 2, ID: 2}, broken, applyAsOf, nil)
		},
		"cancelled": func() (*Index, error) {
			return Rebuild(ctx, dir, Position{TxID: 2, ID: 2}, load, applyAsOf, nil)
		},
	} {
		t.Run(name, func(t *testing.T) {
			if fresh, err := run(); err == nil {
				fresh.Close()
				t.Fatal("Rebuild succeeded")
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"candidates.bleve", "candidates.lock"}) {
				t.Errorf("directory holds %v", names)
			}
			if got := matchIDs(t, ix.bleveIndex(), "alfa"); !slices.Equal(got, []int64{1}) {
				t.Errorf("the live index finds %v, want [1]", got)
			}
		})
	}
}

func TestSearchesKeepAnsweringDuringARebuildAndSeeTheNewIndexAfterTheSwap(t *testing.T) {
	dir := t.TempDir()
	ix := mustOpenIndex(t, dir)
	var old []Change
	for id := int64(1); id <= 200; id++ {
		old = append(old, upsert(bulkCandidate(id, "vecchio")))
	}
	mustApply(t, ix, Position{TxID: 1, ID: 200}, old...)
	gen := ix.Generation()

	// Searches run in a loop from before the rebuild until after the swap.
	var searches, failures, empty atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				q, err := textQuery("cameriere")
				if err != nil {
					t.Error(err)
					return
				}
				res, err := ix.bleveIndex().Search(bleve.NewSearchRequest(q))
				searches.Add(1)
				if err != nil {
					failures.Add(1)
					t.Errorf("search during the rebuild: %v", err)
				} else if res.Total == 0 {
					empty.Add(1)
				}
			}
		})
	}

	type built struct {
		ix  *Index
		err error
	}
	done := make(chan built)
	go func() {
		fresh, err := Rebuild(context.Background(), dir, Position{TxID: 50, ID: 9000}, fakeLoader(2500, "nuovo"), applyAsOf, nil)
		done <- built{fresh, err}
	}()
	r := <-done
	if r.err != nil {
		close(stop)
		wg.Wait()
		t.Fatal(r.err)
	}
	during := searches.Load()
	if err := ix.Swap(r.ix); err != nil {
		t.Fatal(err)
	}
	after := searches.Load()
	for searches.Load() < after+20 {
		time.Sleep(time.Millisecond)
	}
	close(stop)
	wg.Wait()

	if during == 0 {
		t.Error("no search ran while rebuilding")
	}
	if failures.Load() != 0 || empty.Load() != 0 {
		t.Errorf("%d of %d searches failed and %d found nothing", failures.Load(), searches.Load(), empty.Load())
	}
	if got := matchIDs(t, ix.bleveIndex(), "vecchio"); len(got) != 0 {
		t.Errorf("after the swap the old data is still found: %d hits", len(got))
	}
	if got := matchIDs(t, ix.bleveIndex(), "nuovo"); len(got) != 2500 {
		t.Errorf("after the swap the new data gives %d hits, want 2500", len(got))
	}
	if p := mustPosition(t, ix); p != (Position{TxID: 50, ID: 9000}) {
		t.Errorf("position after the swap = %s, want the rebuild's 50/9000", p)
	}
	if ix.Generation() == gen {
		t.Error("the generation did not change with the swap")
	}

	// The new index takes changes; the old directory is gone.
	mustApply(t, ix, Position{TxID: 51, ID: 9001}, remove(1))
	if n := mustDocCount(t, ix); n != 2499 {
		t.Errorf("DocCount = %d after a delete on the swapped index, want 2499", n)
	}
	if names := dirNames(t, dir); len(names) != 2 || names[0] != filepath.Base(ix.Path()) || names[1] != "candidates.lock" {
		t.Errorf("directory holds %v, want the rebuilt index (%s) and the lock", names, filepath.Base(ix.Path()))
	}
	if err := r.ix.Ready(); err == nil {
		t.Error("the Index handed to Swap is still usable")
	}

	t.Run("the next Open finds the swapped index under the stable name", func(t *testing.T) {
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		ix := mustOpenIndex(t, dir)
		if ix.Rebuilt {
			t.Error("the swapped index is asked to be rebuilt")
		}
		if want := filepath.Join(dir, "candidates.bleve"); ix.Path() != want {
			t.Errorf("Path = %s, want %s", ix.Path(), want)
		}
		if n := mustDocCount(t, ix); n != 2499 {
			t.Errorf("DocCount = %d, want 2499", n)
		}
		if p := mustPosition(t, ix); p != (Position{TxID: 51, ID: 9001}) {
			t.Errorf("position = %s, want 51/9001", p)
		}
		if names := dirNames(t, dir); !slices.Equal(names, []string{"candidates.bleve", "candidates.lock"}) {
			t.Errorf("directory holds %v", names)
		}
	})
}

func TestSwapRefusesAnIndexFromElsewhere(t *testing.T) {
	ix := mustOpenIndex(t, t.TempDir())
	other := t.TempDir()
	fresh, err := Rebuild(context.Background(), other, Position{}, fakeLoader(1, "alfa"), applyAsOf, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if err := ix.Swap(fresh); err == nil {
		t.Error("Swap took an index built in another directory")
	}
	opened := mustOpenIndex(t, t.TempDir())
	if err := ix.Swap(opened); err == nil {
		t.Error("Swap took an index that Open returned")
	}
}

// Rebuilds raise the collector's target while any runs, and the last to
// end puts back the one before.
func TestRebuildRestoresTheCollectorsTarget(t *testing.T) {
	old := debug.SetGCPercent(150)
	defer debug.SetGCPercent(old)
	// read returns the target, leaving it as it was.
	read := func() int {
		p := debug.SetGCPercent(0)
		debug.SetGCPercent(p)
		return p
	}
	end1, end2 := rebuildGC(), rebuildGC()
	if p := read(); p != rebuildGCPercent {
		t.Errorf("during two rebuilds: %d", p)
	}
	end1()
	if p := read(); p != rebuildGCPercent {
		t.Errorf("during the second rebuild: %d", p)
	}
	end2()
	if p := read(); p != 150 {
		t.Errorf("after both: %d, want 150", p)
	}
	debug.SetGCPercent(1000)
	end := rebuildGC()
	if p := read(); p != 1000 {
		t.Errorf("a higher target was lowered to %d", p)
	}
	end()
}
