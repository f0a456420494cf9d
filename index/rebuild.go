package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"incontro/matching"
)

// rebuildPage is how many candidates Rebuild loads and indexes per batch.
const rebuildPage = 1000

// rebuildGCPercent is the garbage collector's target while Rebuild runs.
const rebuildGCPercent = 400

// rebuildGC raises the collector's target to rebuildGCPercent, unless it
// is higher, and returns the function that restores it when the last
// rebuild running ends.
func rebuildGC() func() {
	gcMu.Lock()
	defer gcMu.Unlock()
	if gcRebuilds == 0 {
		gcSaved = debug.SetGCPercent(rebuildGCPercent)
		if gcSaved > rebuildGCPercent || gcSaved < 0 {
			debug.SetGCPercent(gcSaved)
		}
	}
	gcRebuilds++
	return func() {
		gcMu.Lock()
		defer gcMu.Unlock()
		if gcRebuilds--; gcRebuilds == 0 {
			debug.SetGCPercent(gcSaved)
		}
	}
}

var (
	gcMu       sync.Mutex
	gcRebuilds int // rebuilds running
	gcSaved    int // the target before the first of them
)

// rebuildWorkers is how many batches Rebuild indexes at once: bleve builds
// a batch's segment in the goroutine that hands it over, one core each.
func rebuildWorkers() int { return max(2, runtime.GOMAXPROCS(0)) }

// Rebuild builds a complete new index of the candidates that load returns,
// in a fresh directory next to the live one (dir/candidates.bleve.new-<time>),
// and records from as its position. load pages through the candidates in
// increasing ID order: up to limit of them with an ID above afterID, none at
// the end. progress, if not nil, gets the number of candidates read so far
// after each batch. The result is not live: hand it to (*Index).Swap.
//
// from should be the outbox position the database had when the rebuild
// started: changes committed while it runs may or may not be in the pages
// read, and applying them again after the Swap is harmless, since a change
// indexes the candidate's current state.
//
// dir must be the directory of the live Index of this process (or one no
// process has open). If Rebuild fails, or the process dies, the live index
// is untouched; the partial directory is removed here or by the next Open.
//
// Loading and indexing overlap: one goroutine reads the pages while
// rebuildWorkers goroutines turn them into documents and index them, each
// page a batch of its own (a candidate is in one page only, so the order in
// which batches land does not matter). Every batch is durable before the
// next one it hands over, as in Apply.
func Rebuild(ctx context.Context, dir string, from Position,
	load func(ctx context.Context, afterID int64, limit int) ([]matching.Candidate, error),
	asOf time.Time, progress func(done int)) (*Index, error) {
	// Indexing allocates much and keeps little: the collector runs a
	// quarter as often while the rebuild lasts (a fifth less CPU per CV
	// measured at 100,000 CVs, for a few hundred MB more at the peak).
	// A GOGC set higher by the user is kept.
	defer rebuildGC()()
	path := newPath(dir)
	b, err := bleve.New(path, newMapping())
	if err != nil {
		os.RemoveAll(path)
		return nil, fmt.Errorf("index: rebuild: create %s: %w", path, err)
	}
	fail := func(err error) (*Index, error) {
		b.Close()
		os.RemoveAll(path)
		return nil, fmt.Errorf("index: rebuild: %w", err)
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	pages := make(chan []matching.Candidate, rebuildWorkers())
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(pages)
		var afterID int64
		for ctx.Err() == nil {
			page, err := load(ctx, afterID, rebuildPage)
			if err != nil {
				cancel(fmt.Errorf("load candidates after %d: %w", afterID, err))
				return
			}
			if len(page) == 0 {
				return
			}
			for _, c := range page {
				if c.ID <= afterID {
					cancel(fmt.Errorf("load returned candidate %d after %d: pages must follow ID order", c.ID, afterID))
					return
				}
				afterID = c.ID
			}
			select {
			case pages <- page:
			case <-ctx.Done():
				return
			}
		}
	})
	var mu sync.Mutex // guards done and the calls of progress
	done := 0
	for range rebuildWorkers() {
		wg.Go(func() {
			for page := range pages {
				if ctx.Err() != nil {
					continue // drain, so that the loader ends
				}
				batch := b.NewBatch()
				for _, c := range page {
					if doc, ok := Document(c, asOf); ok {
						if err := batch.Index(candidateDocID(c.ID), doc); err != nil {
							cancel(fmt.Errorf("candidate %d: %w", c.ID, err))
							break
						}
					}
				}
				if ctx.Err() != nil {
					continue
				}
				if err := b.Batch(batch); err != nil {
					cancel(err)
					continue
				}
				mu.Lock()
				done += len(page)
				if progress != nil {
					progress(done)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return fail(err)
	}

	// One segment: a search pays for every segment it reads (their
	// dictionaries, postings and doc values are looked up one by one), and
	// the batches leave a dozen per 100,000 candidates. Merging them costs
	// a few per cent of the build and spares a quarter to a third of every
	// search. Changes applied later make small segments again, which
	// bleve's merger folds in as usual.
	if err := forceMerge(ctx, b); err != nil {
		return fail(err)
	}

	// The mapping version goes last, with the position: it marks the index
	// complete for Open (see tidy).
	final := b.NewBatch()
	final.SetInternal(keyPosition, encodePosition(from))
	final.SetInternal(keyMappingVersion, []byte(strconv.Itoa(MappingVersion)))
	if err := b.Batch(final); err != nil {
		return fail(err)
	}
	return newIndex(dir, path, b, false), nil
}

// forceMerge merges the segments of an index into one.
func forceMerge(ctx context.Context, b bleve.Index) error {
	adv, err := b.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	if err := s.ForceMerge(ctx, nil); err != nil {
		return fmt.Errorf("merge segments: %w", err)
	}
	return nil
}

// Swap makes fresh, an index that Rebuild returned for the same directory,
// the live one: searches that start after Swap see it, searches in flight
// finish on the old one, which is then closed and removed. fresh must not be
// used afterwards. On disk the new index keeps its .new- name until the next
// Open renames it to candidates.bleve; should the process die in between,
// that Open does the same.
func (ix *Index) Swap(fresh *Index) error {
	if fresh == ix {
		return errors.New("index: swap an index with itself")
	}
	fresh.mu.Lock()
	if fresh.closed || fresh.lock != nil || !sameDir(filepath.Dir(fresh.path), ix.dir) {
		fresh.mu.Unlock()
		return errors.New("index: swap needs an open index that Rebuild built in the same directory")
	}
	fb, fpath := fresh.cur, fresh.path
	fresh.closed, fresh.cur = true, nil
	fresh.alias.Close()
	fresh.mu.Unlock()

	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		fb.Close()
		return errors.New("index: swap into a closed index")
	}
	old, oldPath := ix.cur, ix.path
	// The alias takes its write lock: it waits for searches in flight on
	// the old index, and later searches go to the new one.
	ix.alias.Swap([]bleve.Index{fb}, []bleve.Index{old})
	ix.curMu.Lock() // waits for the snapshots of the old index in use
	ix.cur, ix.path = fb, fpath
	ix.curMu.Unlock()
	ix.gen.Add(1)

	err := old.Close()
	if err != nil {
		err = fmt.Errorf("index: close replaced index: %w", err)
	}
	return errors.Join(err, retire(ix.dir, oldPath))
}

// sameDir reports whether a and b name the same directory.
func sameDir(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}
