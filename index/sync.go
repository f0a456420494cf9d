package index

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"

	"incontro/matching"
)

// Source is where the indexer reads: the outbox log and the candidates
// (the store implements it).
type Source interface {
	// OutboxAfter returns outbox rows after a position, in (txid, id) order,
	// written by transactions that have all ended.
	OutboxAfter(ctx context.Context, txid uint64, id int64, limit int) ([]matching.OutboxEvent, error)
	// OutboxHead is the last position safe to read now.
	OutboxHead(ctx context.Context) (txid uint64, id int64, err error)
	// OutboxHorizon is the position up to which rows were pruned.
	OutboxHorizon(ctx context.Context) (txid uint64, id int64, err error)
	// CandidatesByID loads candidates with their CVs; missing ids are left out.
	CandidatesByID(ctx context.Context, ids []int64) ([]matching.Candidate, error)
	// CandidatesAfter pages through every candidate by id.
	CandidatesAfter(ctx context.Context, afterID int64, limit int) ([]matching.Candidate, error)
}

// Indexer keeps an index in step with PostgreSQL: it tails the outbox from
// the position recorded inside the index and applies the changes in
// batches, each batch together with its new position. Every replica runs
// its own indexer over its own index; nothing is shared but the log.
type Indexer struct {
	ix     *Index
	src    Source
	logger *slog.Logger
	// Now gives "today" for the documents (years of experience).
	Now func() time.Time
	// Poll is how often an idle indexer looks for new rows; Batch is the
	// most rows applied at once.
	Poll  time.Duration
	Batch int

	// mu serialises the changes to the live index (tailing, the swap);
	// rebuilding lets one rebuild run at a time.
	mu         sync.Mutex
	rebuilding sync.Mutex
}

// NewIndexer returns an indexer of ix reading from src.
func NewIndexer(ix *Index, src Source, logger *slog.Logger) *Indexer {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Indexer{ix: ix, src: src, logger: logger, Now: time.Now, Poll: 100 * time.Millisecond, Batch: 1000}
}

// NeedsRebuild reports why the index must be rebuilt from the tables before
// tailing the log: it is new or of an old mapping, or its position is behind
// the pruning horizon (it has missed rows). The empty string means it need not.
func (r *Indexer) NeedsRebuild(ctx context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ix.Rebuilt {
		return "the index is new or was built with another mapping", nil
	}
	pos, err := r.ix.Position()
	if err != nil {
		return "", err
	}
	htx, hid, err := r.src.OutboxHorizon(ctx)
	if err != nil {
		return "", err
	}
	if pos.Less(Position{TxID: htx, ID: hid}) {
		return fmt.Sprintf("its position %s is behind the pruned outbox (%d/%d)", pos, htx, hid), nil
	}
	return "", nil
}

// Rebuild builds the index anew from the candidates table and swaps it in
// while searches go on. The position it records is the outbox head taken
// before reading the table, so that the log replays whatever the snapshot
// might have missed. The live index keeps following the log while the new
// one is built; the new one catches up with the log before the swap, so
// that changes stay visible within the usual delay throughout.
func (r *Indexer) Rebuild(ctx context.Context, progress func(done int)) error {
	r.rebuilding.Lock()
	defer r.rebuilding.Unlock()
	htx, hid, err := r.src.OutboxHead(ctx)
	if err != nil {
		return err
	}
	fresh, err := Rebuild(ctx, r.ix.dir, Position{TxID: htx, ID: hid}, r.src.CandidatesAfter, r.Now(), progress)
	if err != nil {
		return err
	}
	// Most of the gap is closed without stopping the live index; the rest,
	// under the lock, just before the swap.
	for {
		n, err := r.stepOn(ctx, fresh)
		if err != nil {
			fresh.Close()
			return err
		}
		if n < r.Batch {
			break
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		n, err := r.stepOn(ctx, fresh)
		if err != nil {
			fresh.Close()
			return err
		}
		if n == 0 {
			break
		}
	}
	if err := r.ix.Swap(fresh); err != nil {
		return err
	}
	r.ix.Rebuilt = false
	return nil
}

// Step applies the next batch of the log and returns how many outbox rows it
// consumed (0 when the index is up to date).
func (r *Indexer) Step(ctx context.Context) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stepOn(ctx, r.ix)
}

// stepOn applies the next batch of the log to ix.
func (r *Indexer) stepOn(ctx context.Context, ix *Index) (int, error) {
	pos, err := ix.Position()
	if err != nil {
		return 0, err
	}
	rows, err := r.src.OutboxAfter(ctx, pos.TxID, pos.ID, r.Batch)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, row := range rows {
		if row.Entity == matching.EntityCandidate && !seen[row.EntityID] {
			seen[row.EntityID] = true
			ids = append(ids, row.EntityID)
		}
	}
	changes := make([]Change, 0, len(ids))
	if len(ids) > 0 {
		cs, err := r.src.CandidatesByID(ctx, ids)
		if err != nil {
			return 0, err
		}
		found := make(map[int64]*matching.Candidate, len(cs))
		for i := range cs {
			found[cs[i].ID] = &cs[i]
		}
		// The row's operation matters less than the table's state now: a
		// candidate gone from the table is removed, one present is indexed
		// as it is now, so replaying a row twice is harmless.
		for _, id := range ids {
			changes = append(changes, Change{CandidateID: id, Candidate: found[id]})
		}
	}
	last := rows[len(rows)-1]
	if err := ix.Apply(changes, Position{TxID: last.TxID, ID: last.ID}, r.Now()); err != nil {
		return 0, err
	}
	return len(rows), nil
}

// CatchUp applies the log until the index is up to date.
func (r *Indexer) CatchUp(ctx context.Context) error {
	for {
		n, err := r.Step(ctx)
		if err != nil || n == 0 {
			return err
		}
	}
}

// Run rebuilds the index if it must, then tails the log until ctx ends.
// Errors are logged and retried with a growing pause, so that a database
// restart does not stop the indexer.
func (r *Indexer) Run(ctx context.Context) error {
	why, err := r.NeedsRebuild(ctx)
	if err != nil {
		return err
	}
	if why != "" {
		r.logger.Info("rebuilding the index", "why", why)
		start := time.Now()
		if err := r.Rebuild(ctx, nil); err != nil {
			return fmt.Errorf("rebuild the index: %w", err)
		}
		n, _ := r.ix.DocCount()
		r.logger.Info("index rebuilt", "documents", n, "took", time.Since(start).Round(time.Millisecond))
	}
	backoff := r.Poll
	lastCheck := time.Now()
	for {
		// Now and then, make sure the log was not pruned past this replica
		// while it could not keep up (a long outage, a failing batch).
		if time.Since(lastCheck) > time.Minute {
			lastCheck = time.Now()
			if why, err := r.NeedsRebuild(ctx); err == nil && why != "" {
				r.logger.Info("rebuilding the index", "why", why)
				if err := r.Rebuild(ctx, nil); err != nil && ctx.Err() == nil {
					r.logger.Error("rebuild the index", "error", err.Error())
				}
			}
		}
		n, err := r.Step(ctx)
		switch {
		case errors.Is(err, context.Canceled) || ctx.Err() != nil:
			return nil
		case err != nil:
			r.logger.Error("index sync", "error", err.Error(), "retry_in", backoff)
			backoff = min(backoff*2, 30*time.Second)
		default:
			backoff = r.Poll
		}
		if n > 0 && err == nil {
			continue // more may be waiting
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
	}
}

// IDs returns the ids of every candidate in the index, in no order; for
// checking the index against the database.
func (ix *Index) IDs() ([]int64, error) {
	b := ix.bleveIndex()
	var ids []int64
	const page = 10000
	for from := 0; ; from += page {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), page, from, false)
		res, err := b.Search(req)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			id, err := strconv.ParseInt(h.ID, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("index: document id %q is not a candidate id", h.ID)
			}
			ids = append(ids, id)
		}
		if len(res.Hits) < page {
			return ids, nil
		}
	}
}
