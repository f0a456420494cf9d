package bench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	"incontro/matching"
)

// NRT timing: how often a probe looks for its change, and how long at most.
const (
	nrtPoll    = 5 * time.Millisecond
	nrtTimeout = 10 * time.Second
	nrtWriters = 4
)

// NRTFigures are the near-real-time lag: from a committed change of a CV to
// the change being found by a search.
type NRTFigures struct {
	Probes int `json:"probes"`
	// Missed probes were not visible within the timeout; they count in the
	// percentiles at the timeout.
	Missed int     `json:"missed"`
	P50    float64 `json:"p50_ms"`
	P95    float64 `json:"p95_ms"`
	Max    float64 `json:"max_ms"`
	// Writes is how many background updates committed meanwhile, at
	// WritesPerSecond (the aim was TargetWrites a second).
	Writes          int     `json:"writes"`
	WritesPerSecond float64 `json:"writes_per_second"`
	TargetWrites    int     `json:"target_writes_per_second"`
	IndexerPollMs   float64 `json:"indexer_poll_ms"`
}

// startIndexer runs the indexer's tailing loop, as serve does, until the
// end of the run.
func (b *bench) startIndexer(ctx context.Context) {
	if b.tail != nil {
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	b.tail = &background{cancel: cancel}
	b.tail.wg.Go(func() {
		if err := b.idx.Run(ctx); err != nil {
			b.logf("the indexer stopped: %v", err)
		}
	})
}

// nearRealTime times probes (a headline set to a word nobody else has, then
// searched for every 5 ms until found) while a background writer updates
// other candidates through the store, outbox row included.
func (b *bench) nearRealTime(ctx context.Context) error {
	b.startIndexer(ctx)
	b.logf("near-real-time: %d probes under %d background updates/s", b.cfg.NRTProbes, b.cfg.NRTWrites)

	// Writers take even ids, probes odd ones, so that a background update
	// never overwrites a probe's change with an older copy.
	wctx, stopWriter := context.WithCancel(ctx)
	writer := &background{cancel: stopWriter}
	var writes atomic.Int64
	var writeErr atomic.Pointer[error]
	writeStart := time.Now()
	// A pacer hands out the writes; a few writers take them, so that one
	// slow commit does not lower the rate. A write no writer is free for is
	// skipped (the rate achieved is reported).
	ticks := make(chan struct{})
	writer.wg.Go(func() {
		t := time.NewTicker(time.Second / time.Duration(b.cfg.NRTWrites))
		defer t.Stop()
		defer close(ticks)
		for {
			select {
			case <-wctx.Done():
				return
			case <-t.C:
			}
			select {
			case ticks <- struct{}{}:
			default:
			}
		}
	})
	for w := range nrtWriters {
		writer.wg.Go(func() {
			rnd := rand.New(rand.NewPCG(b.cfg.Seed, 0x7772_6974_6572+uint64(w))) // "writer"
			for range ticks {
				if err := b.touch(wctx, rnd, w); err != nil {
					if wctx.Err() == nil {
						writeErr.CompareAndSwap(nil, &err)
					}
					continue
				}
				writes.Add(1)
			}
		})
	}

	rnd := rand.New(rand.NewPCG(b.cfg.Seed, 0x7072_6f62_65)) // "probe"
	lags := make([]time.Duration, 0, b.cfg.NRTProbes)
	missed := 0
	for i := range b.cfg.NRTProbes {
		lag, found, err := b.probe(ctx, rnd, i)
		if err != nil {
			writer.stop()
			return err
		}
		if !found {
			missed++
		}
		lags = append(lags, lag)
		// Probes start at random moments of the indexer's cycle.
		select {
		case <-ctx.Done():
			writer.stop()
			return ctx.Err()
		case <-time.After(time.Duration(rnd.IntN(100)) * time.Millisecond):
		}
	}
	writer.stop()
	elapsed := time.Since(writeStart)
	if p := writeErr.Load(); p != nil {
		return fmt.Errorf("background writer: %w", *p)
	}
	s := Summarize(lags)
	b.rep.NRT = NRTFigures{Probes: len(lags), Missed: missed, P50: s.P50, P95: s.P95, Max: s.Max,
		Writes: int(writes.Load()), WritesPerSecond: rate(int(writes.Load()), elapsed), TargetWrites: b.cfg.NRTWrites,
		IndexerPollMs: millis(b.idx.Poll)}
	b.logf("near-real-time: p50 %.0f ms, p95 %.0f ms, %d missed; %d background writes (%.1f/s)",
		s.P50, s.P95, missed, b.rep.NRT.Writes, b.rep.NRT.WritesPerSecond)
	return nil
}

// touch updates the summary of a random candidate of writer w (even ids,
// a share for each writer, so that no two write the same CV at once): a CV
// change with its outbox row, as a jobseeker's edit makes.
func (b *bench) touch(ctx context.Context, rnd *rand.Rand, w int) error {
	id, err := b.ids.pick(ctx, rnd, func(id int64) bool { return id%(2*nrtWriters) == int64(2*w) })
	if err != nil {
		return err
	}
	c, err := b.db.Candidate(ctx, id)
	if err != nil {
		return err
	}
	const mark = " (aggiornato)"
	if s, ok := strings.CutSuffix(c.Summary, mark); ok {
		c.Summary = s
	} else if len(c.Summary)+len(mark) <= 5000 {
		c.Summary += mark
	}
	return b.db.UpdateCandidate(ctx, &c)
}

// probe sets a searchable odd-id candidate's headline to a word of its own
// and returns how long after the commit a search found it.
func (b *bench) probe(ctx context.Context, rnd *rand.Rand, i int) (time.Duration, bool, error) {
	var c matching.Candidate
	for tries := 0; ; tries++ {
		id, err := b.ids.pick(ctx, rnd, func(id int64) bool { return id%2 == 1 })
		if err != nil {
			return 0, false, err
		}
		if c, err = b.db.Candidate(ctx, id); err != nil {
			return 0, false, err
		}
		if c.Searchable && !c.AccountInactive && c.Presentation != matching.PresentNone {
			break
		}
		if tries > 1000 {
			return 0, false, errors.New("no searchable candidate to probe")
		}
	}
	word := probeWord(rnd, i)
	c.Headline = word
	if err := b.db.UpdateCandidate(ctx, &c); err != nil {
		return 0, false, err
	}
	committed := time.Now()
	q := searchable(word, b.asOf)
	for {
		res, err := b.ix.Search(ctx, q)
		if err != nil {
			return 0, false, err
		}
		if res.Total > 0 && res.Hits[0].ID == c.ID {
			return time.Since(committed), true, nil
		}
		if time.Since(committed) > nrtTimeout {
			return nrtTimeout, false, nil
		}
		select {
		case <-ctx.Done():
			return 0, false, ctx.Err()
		case <-time.After(nrtPoll):
		}
	}
}

// probeWord is a word no CV holds: consonants only, which no stemmer
// shortens, with the probe's number in four fixed places so that two
// probes never share one.
func probeWord(rnd *rand.Rand, i int) string {
	const letters = "bcdfghjklmnpqrstvwxz"
	var sb strings.Builder
	sb.WriteString("qzx")
	n := i
	for range 4 {
		sb.WriteByte(letters[n%len(letters)])
		n /= len(letters)
	}
	for range 4 {
		sb.WriteByte(letters[rnd.IntN(len(letters))])
	}
	return sb.String()
}
