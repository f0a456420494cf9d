package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"incontro/index"
	"incontro/matcher"
	"incontro/matching"
)

// query is one query of a class: run it and say whether it failed.
type query func(ctx context.Context) error

// measure runs the warm-up queries, then the measured ones one after the
// other, timing each from call to return. before runs ahead of each query,
// untimed (clearing a cache). With a budget, the class stops when it is
// spent: the warm-up may use a quarter of it, warm-up and measurement
// together all of it. A failing query is counted, not timed; the first
// error is returned with the figures when every query failed.
func measure(ctx context.Context, warm, measured []query, before func(), budget time.Duration) (Latency, error) {
	start := time.Now()
	spent := func(share float64) bool {
		return budget > 0 && time.Since(start) > time.Duration(float64(budget)*share)
	}
	l := Latency{Planned: len(measured)}
	var firstErr error
	for _, q := range warm {
		if spent(0.25) {
			break
		}
		if before != nil {
			before()
		}
		if err := q(ctx); err != nil && ctx.Err() == nil && firstErr == nil {
			firstErr = err
		}
		l.Warmup++
		if err := ctx.Err(); err != nil {
			return l, err
		}
	}
	samples := make([]time.Duration, 0, len(measured))
	errs := 0
	for _, q := range measured {
		if spent(1) {
			l.BudgetSpent = true
			break
		}
		if before != nil {
			before()
		}
		t0 := time.Now()
		err := q(ctx)
		d := time.Since(t0)
		if err := ctx.Err(); err != nil {
			return l, err
		}
		if err != nil {
			errs++
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		samples = append(samples, d)
	}
	s := Summarize(samples)
	s.Warmup, s.Planned, s.BudgetSpent, s.Errors = l.Warmup, l.Planned, l.BudgetSpent, errs
	if len(samples) == 0 && firstErr != nil {
		return s, firstErr
	}
	if firstErr != nil {
		s.FirstError = firstErr.Error()
	}
	return s, nil
}

// classQueries are the queries of a class for one engine.
type classQueries struct {
	warm, measured []query
}

// latency measures every class on incontro, then on PostgreSQL.
func (b *bench) latency(ctx context.Context) error {
	n := b.cfg.Queries
	warmN := max(1, n/10)
	wl, err := NewWorkload(b.cfg.Seed, n, b.asOf)
	if err != nil {
		return err
	}
	// The warm-up runs other queries than the measured ones, so that
	// nothing measured has been seen before.
	warmWL, err := NewWorkload(b.cfg.Seed+1, warmN, b.asOf)
	if err != nil {
		return err
	}
	m := matcher.New(b.db, b.ix)
	rnd := rand.New(rand.NewPCG(b.cfg.Seed, 0x7265_7665_7273_65)) // "reverse"
	reverseIDs := func(k int) ([]int64, error) {
		ids := make([]int64, 0, k)
		for range k {
			id, err := b.ids.pick(ctx, rnd, nil)
			if err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, nil
	}

	incontro := map[Class]classQueries{}
	for _, c := range []Class{ClassText, ClassTextFacets, ClassRadius, ClassBrowse} {
		var cq classQueries
		for _, set := range []struct {
			searches []Search
			into     *[]query
		}{{warmWL.Searches[c], &cq.warm}, {wl.Searches[c], &cq.measured}} {
			for _, s := range set.searches {
				q, err := toQuery(s, b.asOf)
				if err != nil {
					return err
				}
				*set.into = append(*set.into, func(ctx context.Context) error {
					_, err := b.ix.Search(ctx, q)
					return err
				})
			}
		}
		incontro[c] = cq
	}
	// The measured matches also add up the time of their steps.
	var steps matchSteps
	matchQ := func(vs []matching.Vacancy, sum *matchSteps) []query {
		out := make([]query, len(vs))
		for i := range vs {
			v := vs[i]
			out[i] = func(ctx context.Context) error {
				res, err := m.Match(ctx, &v, matcher.Options{K: b.cfg.MatchK}, b.asOf)
				if err == nil && sum != nil {
					sum.add(res)
				}
				return err
			}
		}
		return out
	}
	incontro[ClassMatch] = classQueries{warm: matchQ(warmWL.Vacancies, nil), measured: matchQ(wl.Vacancies, &steps)}
	reverseQ := func(k int) ([]query, error) {
		ids, err := reverseIDs(k)
		if err != nil {
			return nil, err
		}
		out := make([]query, len(ids))
		for i, id := range ids {
			out[i] = func(ctx context.Context) error {
				_, err := m.VacanciesFor(ctx, id, 20, b.asOf)
				return err
			}
		}
		return out, nil
	}
	var rq classQueries
	if rq.warm, err = reverseQ(warmN); err != nil {
		return err
	}
	if rq.measured, err = reverseQ(n); err != nil {
		return err
	}
	incontro[ClassReverse] = rq

	// Every incontro query is measured with the result cache emptied: the
	// queries of a class mostly differ, but a user does not repeat the
	// bench's queries either. Browse, the same query every time, is also
	// measured cached: what the search page's first view costs between
	// two changes of the index.
	releaseMemory()
	sampler := sampleRSS(20 * time.Millisecond)
	// The collector runs as serve runs it: Go's defaults unless GOGC or
	// GOMEMLIMIT say otherwise.
	b.rep.Run.GCPercent, b.rep.Run.MemoryLimitBytes = gcSettings()
	gcStart := readGC()
	for _, c := range Classes() {
		b.logf("incontro: class %s, %d queries after a warm-up of %d", c, n, warmN)
		l, err := measure(ctx, incontro[c].warm, incontro[c].measured, b.ix.ClearCache, 0)
		if err != nil {
			return fmt.Errorf("incontro class %s: %w", c, err)
		}
		b.rep.classFigures(c).Incontro = l
		b.logf("incontro: class %s p50 %.2f ms, p95 %.2f ms", c, l.P50, l.P95)
	}
	b.rep.MatchSteps = steps.mean()
	b.logf("incontro: class %s cached, %d queries", ClassBrowse, n)
	cached, err := measure(ctx, incontro[ClassBrowse].warm, incontro[ClassBrowse].measured, nil, 0)
	if err != nil {
		return fmt.Errorf("incontro class %s cached: %w", ClassBrowse, err)
	}
	b.rep.BrowseCached = cached
	b.rep.ServingRSSBytes = sampler.Stop()
	b.rep.ServingGC = gcStart.since()
	b.logf("RSS while serving: %s; garbage collector (%s): %s", formatBytes(b.rep.ServingRSSBytes), gcSettingsText(b.rep.Run), b.rep.ServingGC)

	if b.fts == nil {
		return nil
	}
	for _, c := range []Class{ClassText, ClassTextFacets, ClassRadius, ClassBrowse, ClassMatch} {
		var cq classQueries
		if c == ClassMatch {
			cq = classQueries{warm: b.ftsMatch(warmWL.Vacancies), measured: b.ftsMatch(wl.Vacancies)}
		} else {
			cq = classQueries{warm: b.ftsSearch(warmWL.Searches[c]), measured: b.ftsSearch(wl.Searches[c])}
		}
		b.logf("PostgreSQL: class %s, %d queries after a warm-up of %d (budget %s)", c, n, warmN, b.cfg.PGBudget)
		l, err := measure(ctx, cq.warm, cq.measured, nil, b.cfg.PGBudget)
		if err != nil {
			return fmt.Errorf("PostgreSQL class %s: %w", c, err)
		}
		b.rep.classFigures(c).PG = &l
		b.logf("PostgreSQL: class %s p50 %.2f ms, p95 %.2f ms (%d queries)", c, l.P50, l.P95, l.N)
	}
	return nil
}

func (b *bench) ftsSearch(ss []Search) []query {
	out := make([]query, len(ss))
	for i, s := range ss {
		out[i] = func(ctx context.Context) error {
			_, err := b.fts.Search(ctx, s, b.asOf)
			return err
		}
	}
	return out
}

func (b *bench) ftsMatch(vs []matching.Vacancy) []query {
	out := make([]query, len(vs))
	for i, v := range vs {
		out[i] = func(ctx context.Context) error {
			_, err := b.fts.Match(ctx, v, b.cfg.MatchK, b.asOf)
			return err
		}
	}
	return out
}

// searchable is the query that finds a text in the index at once.
func searchable(text string, asOf time.Time) index.Query {
	return index.Query{Text: text, Size: 1, AsOf: asOf}
}

// MatchSteps are the mean times of the steps of class e's matches, in ms,
// and the mean number of candidates scored: where a match's time goes.
type MatchSteps struct {
	RecallMs float64 `json:"recall_ms"`
	LoadMs   float64 `json:"load_ms"`
	ScoreMs  float64 `json:"score_ms"`
	Scored   float64 `json:"scored"`
}

// matchSteps adds up the steps of matches.
type matchSteps struct {
	n                           int
	recall, load, score, scored float64
}

func (s *matchSteps) add(r matcher.Result) {
	s.n++
	s.recall += r.Took.RecallMs
	s.load += r.Took.LoadMs
	s.score += r.Took.ScoreMs
	s.scored += float64(r.Recalled)
}

func (s *matchSteps) mean() MatchSteps {
	if s.n == 0 {
		return MatchSteps{}
	}
	n := float64(s.n)
	return MatchSteps{RecallMs: roundTo(s.recall/n, 3), LoadMs: roundTo(s.load/n, 3), ScoreMs: roundTo(s.score/n, 3),
		Scored: roundTo(s.scored/n, 1)}
}
