package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

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
	b, err := createUsing(path, rebuildConfig)
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

	// A search pays for every segment it reads (their dictionaries,
	// postings and columns are looked up one by one): the segments are
	// merged into one per processor, of about the same size, which a search
	// reads in parallel (see segmentGroups). Changes applied later make
	// small segments again, which bleve's merger folds in as usual.
	parts := 1
	if n, err := b.DocCount(); err != nil {
		return fail(err)
	} else if n >= parallelMinDocs {
		parts = rebuildParts()
	}
	if err := forceMerge(ctx, b, parts); err != nil {
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
	// Opened again with bleve's own options, so that the changes applied
	// from now on are merged as usual (and the segments merged away leave
	// the disk now rather than at the next start).
	// (Not through fail, which would close it again.)
	err = b.Close()
	if err == nil {
		b, err = bleve.Open(path)
	}
	if err != nil {
		os.RemoveAll(path)
		return nil, fmt.Errorf("index: rebuild: reopen %s: %w", path, err)
	}
	return newIndex(dir, path, b, false), nil
}

// createUsing creates an empty index at path and opens it with config,
// which, given at open rather than at creation, is not kept with the index:
// the next Open uses bleve's defaults.
func createUsing(path string, config map[string]any) (bleve.Index, error) {
	b, err := bleve.New(path, newMapping())
	if err == nil {
		err = b.Close()
	}
	if err != nil {
		return nil, err
	}
	return bleve.OpenUsing(path, config)
}

// rebuildConfig is the configuration of an index while Rebuild fills it.
// bleve's merger merges the batches' segments tier by tier as they come, as
// it must: every batch looks its documents up in every segment (to delete
// their older versions), which with a segment per batch would cost as much
// as the rest of a million-CV build. But it makes no segment of more than
// rebuildMaxSegment documents, so that forceMerge can share them out evenly
// into parts at the end. It is given at open (see createUsing).
var rebuildConfig = map[string]any{
	"scorchMergePlanOptions": map[string]any{
		"MaxSegmentSize": rebuildMaxSegment,
	},
}

// rebuildMaxSegment is the most documents in a segment that bleve's merger
// makes while Rebuild runs; segments of half as many are not merged again.
const rebuildMaxSegment = 100_000

// rebuildParts is how many segments Rebuild leaves: one per processor.
func rebuildParts() int { return min(runtime.GOMAXPROCS(0), 16) }

// forceMerge merges the segments of an index into parts segments of about
// the same number of documents, and perhaps one small segment more.
//
// bleve's merge planner takes the segments largest first and fills a merge
// with each one that still fits under MaxSegmentSize, then the next merge
// with the segments left: with that bound at an even share of the
// documents, each merge stops less than a segment short of its share, and
// the few segments that fit in none, if any, are merged last. A segment of
// half a share or more is left as it is: Rebuild's are smaller than that
// from 2·parts·rebuildMaxSegment documents on (400,000 on two cores); on a
// smaller index the parts are less even.
func forceMerge(ctx context.Context, b bleve.Index, parts int) error {
	adv, err := b.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	r, err := s.Reader()
	if err != nil {
		return err
	}
	var docs uint64
	for _, ss := range r.(*scorch.IndexSnapshot).Segments() {
		docs += ss.Count()
	}
	if err := r.Close(); err != nil {
		return err
	}
	opts := mergeplan.SingleSegmentMergePlanOptions
	opts.SegmentsPerMergeTask = math.MaxInt32 // bounded by size alone
	if parts > 1 {
		share := (docs + uint64(parts) - 1) / uint64(parts)
		opts.MaxSegmentSize = min(int64(share+1), mergeplan.MaxSegmentSizeLimit)
		// Of the merges that start at each segment, the largest.
		opts.ScoreSegments = func(segs []mergeplan.Segment, _ *mergeplan.MergePlanOptions) float64 {
			var live int64
			for _, seg := range segs {
				live += seg.LiveSize()
			}
			return -float64(live)
		}
	}
	if err := s.ForceMerge(ctx, &opts); err != nil {
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
