package store_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"incontro/matching"
	"incontro/store"
)

type cursor struct {
	txid uint64
	id   int64
}

// readAll reads the outbox from c to the end, in batches.
func readAll(t *testing.T, s *store.DB, c *cursor) []matching.OutboxEvent {
	t.Helper()
	var out []matching.OutboxEvent
	for {
		rows, err := s.OutboxAfter(context.Background(), c.txid, c.id, 7)
		mustNoError(t, err, "read outbox")
		if len(rows) == 0 {
			return out
		}
		for _, r := range rows {
			if r.TxID < c.txid || (r.TxID == c.txid && r.ID <= c.id) {
				t.Fatalf("row %d/%d read after position %d/%d", r.TxID, r.ID, c.txid, c.id)
			}
			c.txid, c.id = r.TxID, r.ID
		}
		out = append(out, rows...)
	}
}

func TestTheOutboxReaderWaitsForATransactionThatCommitsLate(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	var c cursor
	// A takes the lower id and commits last.
	a, err := s.SQL().BeginTxx(ctx, nil)
	mustNoError(t, err, "begin A")
	_, err = a.ExecContext(ctx, `INSERT INTO outbox (entity, entity_id, op) VALUES ('candidate', 1, 'upsert')`)
	mustNoError(t, err, "A writes")
	cand := MustCandidate(t, s, matching.PresentNamed) // B: another transaction, committed
	if got := readAll(t, s, &c); len(got) != 0 {
		t.Fatalf("the reader went past a transaction in progress: %+v", got)
	}
	mustNoError(t, a.Commit(), "commit A")
	got := readAll(t, s, &c)
	if len(got) != 2 || got[0].EntityID != 1 || got[1].EntityID != cand.ID {
		t.Fatalf("after A commits the reader got %+v, want A's row then B's", got)
	}
	if got[0].ID >= got[1].ID {
		t.Fatalf("the test did not make A take the lower id: %+v", got)
	}
}

func TestTheOutboxReaderMissesNothingUnderConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	const writers, perWriter = 6, 25
	var wg sync.WaitGroup
	done := make(chan struct{})
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 7))
			for i := 0; i < perWriter; i++ {
				tx, err := s.SQL().BeginTxx(ctx, nil)
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (entity, entity_id, op) VALUES ('candidate', $1, 'upsert')`, w*1000+i); err != nil {
					t.Error(err)
					return
				}
				time.Sleep(time.Duration(r.IntN(3000)) * time.Microsecond) // commit late, out of id order
				if r.IntN(10) == 0 {
					_ = tx.Rollback() // an aborted row is never read
					continue
				}
				if err := tx.Commit(); err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	go func() { wg.Wait(); close(done) }()
	var c cursor
	seen := map[int64]bool{}
	var read []matching.OutboxEvent
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		for _, r := range readAll(t, s, &c) {
			if seen[r.ID] {
				t.Fatalf("row %d read twice", r.ID)
			}
			seen[r.ID] = true
			read = append(read, r)
		}
	}
	read = append(read, readAll(t, s, &c)...)
	var committed []int64
	mustNoError(t, s.SQL().SelectContext(ctx, &committed, `SELECT id FROM outbox`), "list outbox")
	if len(committed) < writers*perWriter/2 || len(read) != len(committed) {
		t.Fatalf("the reader read %d rows, the outbox holds %d", len(read), len(committed))
	}
	for _, id := range committed {
		if !seen[id] {
			t.Errorf("row %d was skipped", id)
		}
	}
}

func TestPruningMovesTheHorizon(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	for i := 0; i < 3; i++ {
		MustCandidate(t, s, matching.PresentNamed)
	}
	tx, id, err := s.OutboxHorizon(ctx)
	if err != nil || tx != 0 || id != 0 {
		t.Fatalf("horizon of a fresh outbox = %d/%d, %v", tx, id, err)
	}
	headTx, headID, err := s.OutboxHead(ctx)
	mustNoError(t, err, "head")
	n, err := s.PruneOutbox(ctx, time.Now().Add(time.Hour))
	mustNoError(t, err, "prune")
	if n != 3 {
		t.Fatalf("pruned %d rows, want 3", n)
	}
	tx, id, err = s.OutboxHorizon(ctx)
	if err != nil || tx != headTx || id != headID {
		t.Fatalf("horizon after pruning = %d/%d, want the head %d/%d", tx, id, headTx, headID)
	}
	// With the outbox empty, the head is the horizon.
	if ht, hi, err := s.OutboxHead(ctx); err != nil || ht != headTx || hi != headID {
		t.Fatalf("head of an empty outbox = %d/%d, %v", ht, hi, err)
	}
	if n, err := s.PruneOutbox(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("pruning again deleted %d, %v", n, err)
	}
}
