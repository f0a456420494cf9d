// Package matcher runs matches: it recalls candidates for a vacancy from the
// index, loads them from the store and has package matching score and
// explain them; it stores a request's runs so that a shortlist presented
// later can be reproduced and contested; and it matches the other way, the
// published vacancies that fit a jobseeker. It is where the index and the
// store meet, so that the JSON API and the bench command run the very same
// code.
package matcher

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"incontro/index"
	"incontro/matching"
	"incontro/store"
)

// Scoring names the scoring method and its version, stored with every run.
const Scoring = "incontro-score/1"

// Matcher runs matches. It is safe for concurrent use.
type Matcher struct {
	store *store.DB
	index *index.Index

	mu        sync.Mutex
	published publishedCache
}

type publishedCache struct {
	version string
	day     time.Time
	vacs    []matching.Vacancy
}

// New returns a matcher over the store and the index.
func New(db *store.DB, ix *index.Index) *Matcher {
	return &Matcher{store: db, index: ix}
}

// Options are the parameters of a match.
type Options struct {
	// K is how many candidates the index recalls for scoring (default 500).
	K int `json:"k"`
	// NearMissK is how many candidates failing one essential filter the
	// index recalls (default 100).
	NearMissK int `json:"near_miss_k"`
	// Limit and NearMissLimit are how many of the main list and of the near
	// misses a run keeps (default 100 and 50).
	Limit         int `json:"limit"`
	NearMissLimit int `json:"near_miss_limit"`
	// Weighting turns ranks into weights (default rank-order centroid).
	Weighting matching.Weighting `json:"weighting"`
}

// Defaults of Options.
const (
	DefaultK             = 500
	DefaultNearMissK     = 100
	DefaultLimit         = 100
	DefaultNearMissLimit = 50
)

// Normalize fills the defaults and checks the options, naming the field.
func (o *Options) Normalize() error {
	if o.K == 0 {
		o.K = DefaultK
	}
	if o.NearMissK == 0 {
		o.NearMissK = DefaultNearMissK
	}
	if o.Limit == 0 {
		o.Limit = DefaultLimit
	}
	if o.NearMissLimit == 0 {
		o.NearMissLimit = DefaultNearMissLimit
	}
	if o.Weighting == "" {
		o.Weighting = matching.WeightingROC
	}
	switch {
	case o.K < 1 || o.K > 5000:
		return matching.FieldErrorf("k", "must be between 1 and 5000")
	case o.NearMissK < 0 || o.NearMissK > 1000:
		return matching.FieldErrorf("near_miss_k", "must be between 0 and 1000")
	case o.Limit < 1 || o.Limit > 1000:
		return matching.FieldErrorf("limit", "must be between 1 and 1000")
	case o.NearMissLimit < 0 || o.NearMissLimit > 500:
		return matching.FieldErrorf("near_miss_limit", "must be between 0 and 500")
	}
	if _, err := matching.Weights(1, o.Weighting); err != nil {
		return err
	}
	return nil
}

// Result is a match: the ranking, trimmed to the options' limits, and what
// it was computed from.
type Result struct {
	Ranking matching.Ranking
	Score   matching.ScoreParams
	// Recalled is how many candidates were scored; Total and NearMissTotal
	// how many the index found passing every essential filter, and failing
	// exactly one.
	Recalled      int
	Total         uint64
	NearMissTotal uint64
	// Position is the index's outbox position: the data version.
	Position index.Position
	Took     Timings
}

// Timings are the durations of a match's steps, in milliseconds.
type Timings struct {
	RecallMs float64 `json:"recall_ms"`
	LoadMs   float64 `json:"load_ms"`
	ScoreMs  float64 `json:"score_ms"`
	TotalMs  float64 `json:"total_ms"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Match recalls, loads and scores the candidates for a vacancy as of asOf.
func (m *Matcher) Match(ctx context.Context, vac *matching.Vacancy, opt Options, asOf time.Time) (Result, error) {
	if m.index == nil {
		return Result{}, matching.Errorf(matching.EINTERNAL, "matching is not available: this server has no index")
	}
	if err := opt.Normalize(); err != nil {
		return Result{}, err
	}
	params := matching.DefaultScoreParams(asOf)
	params.Weighting = opt.Weighting
	scorer, err := matching.NewScorer(vac, params)
	if err != nil {
		return Result{}, err
	}
	start := time.Now()
	pos, err := m.index.Position()
	if err != nil {
		return Result{}, err
	}
	rec, err := m.index.Recall(ctx, index.RecallQuery{Vacancy: *vac, K: opt.K, NearMissK: opt.NearMissK, AsOf: asOf})
	if err != nil {
		return Result{}, err
	}
	recalled := time.Now()

	ids := make([]int64, 0, len(rec.Hits)+len(rec.NearMisses))
	relevance := make(map[int64]float64, cap(ids))
	for _, hs := range [][]index.Hit{rec.Hits, rec.NearMisses} {
		for _, h := range hs {
			if _, dup := relevance[h.ID]; !dup {
				ids = append(ids, h.ID)
				relevance[h.ID] = h.Score
			}
		}
	}
	cands, err := m.store.CandidateProfiles(ctx, ids)
	if err != nil {
		return Result{}, err
	}
	loaded := time.Now()

	in := make([]matching.Recalled, 0, len(cands))
	for i := range cands {
		c := &cands[i]
		// The index may lag a moment behind a withdrawn consent or a
		// disabled account: the store has the last word.
		if !c.Searchable || c.AccountInactive || c.Presentation == matching.PresentNone {
			continue
		}
		in = append(in, matching.Recalled{Candidate: c, Relevance: relevance[c.ID]})
	}
	ranking := scorer.Rank(in)
	ranking.Main = ranking.Main[:min(len(ranking.Main), opt.Limit)]
	ranking.NearMisses = ranking.NearMisses[:min(len(ranking.NearMisses), opt.NearMissLimit)]
	done := time.Now()
	return Result{
		Ranking: ranking, Score: params, Recalled: len(in), Total: rec.Total, NearMissTotal: rec.NearMissTotal, Position: pos,
		Took: Timings{RecallMs: ms(recalled.Sub(start)), LoadMs: ms(loaded.Sub(recalled)), ScoreMs: ms(done.Sub(loaded)), TotalMs: ms(done.Sub(start))},
	}, nil
}

// RunParams is what a stored run records beside its results: enough to
// say how every score came about.
type RunParams struct {
	Scoring string                       `json:"scoring"`
	Options Options                      `json:"options"`
	Score   matching.ScoreParams         `json:"score"`
	Weights []matching.RequirementWeight `json:"weights"`
	// Vacancy is the vacancy as it was matched, requirements included.
	Vacancy matching.Vacancy `json:"vacancy"`
	Data    DataVersion      `json:"data"`
	Recall  RecallCounts     `json:"recall"`
	Took    Timings          `json:"took"`
}

// DataVersion says which data a run saw.
type DataVersion struct {
	IndexPosition  string `json:"index_position"`
	MappingVersion int    `json:"mapping_version"`
}

// RecallCounts are the sizes of a run's recall.
type RecallCounts struct {
	Total         uint64 `json:"total"`
	NearMissTotal uint64 `json:"near_miss_total"`
	Scored        int    `json:"scored"`
	Main          int    `json:"main"`
	NearMisses    int    `json:"near_misses"`
}

// RunRequest matches the vacancy of a request and stores the run, as the
// actor, with the audit event of the run; the first run of a request whose
// requirements are ranked moves it to searching (the store checks the life
// cycle again when it writes). The run is returned as the store leaves it,
// which is as every later read of it returns it: the same bytes.
func (m *Matcher) RunRequest(ctx context.Context, requestID int64, a store.Actor, opt Options, asOf time.Time) (matching.MatchRun, error) {
	if err := opt.Normalize(); err != nil {
		return matching.MatchRun{}, err
	}
	req, err := m.store.Request(ctx, requestID)
	if err != nil {
		return matching.MatchRun{}, err
	}
	if err := matching.CheckMatchable(&req); err != nil {
		return matching.MatchRun{}, err
	}
	vac, err := m.store.Vacancy(ctx, req.VacancyID)
	if err != nil {
		return matching.MatchRun{}, err
	}
	if len(vac.Requirements) == 0 {
		return matching.MatchRun{}, matching.FieldErrorf("requirements",
			"the vacancy of request %d has no requirements: rank its requirements before matching", requestID)
	}
	res, err := m.Match(ctx, &vac, opt, asOf)
	if err != nil {
		return matching.MatchRun{}, err
	}
	snapshot := vac
	snapshot.Findings = nil
	params, err := json.Marshal(RunParams{
		Scoring: Scoring, Options: opt, Score: res.Score, Weights: res.Ranking.Weights, Vacancy: snapshot,
		Data:   DataVersion{IndexPosition: res.Position.String(), MappingVersion: index.MappingVersion},
		Recall: RecallCounts{Total: res.Total, NearMissTotal: res.NearMissTotal, Scored: res.Recalled, Main: len(res.Ranking.Main), NearMisses: len(res.Ranking.NearMisses)},
		Took:   res.Took,
	})
	if err != nil {
		return matching.MatchRun{}, fmt.Errorf("matcher: encode run parameters: %w", err)
	}
	var by *int64
	if a.UserID != 0 {
		by = &a.UserID
	}
	run := matching.MatchRun{RequestID: requestID, Params: params, Recalled: res.Recalled, CreatedBy: by,
		Results: make([]matching.MatchResult, 0, len(res.Ranking.Main)+len(res.Ranking.NearMisses))}
	for _, list := range []struct {
		items []matching.Ranked
		near  bool
	}{{res.Ranking.Main, false}, {res.Ranking.NearMisses, true}} {
		for _, r := range list.items {
			// The explanation's own encoding is compact JSON already:
			// json.Marshal would only read it through once more.
			e, err := r.Explanation.MarshalJSON()
			if err != nil {
				return matching.MatchRun{}, fmt.Errorf("matcher: encode explanation: %w", err)
			}
			id := r.CandidateID
			run.Results = append(run.Results, matching.MatchResult{Position: len(run.Results) + 1, CandidateID: &id,
				Score: r.Score, NearMiss: list.near, Explanation: e})
		}
	}
	if err := m.store.CreateMatchRun(ctx, &run, a); err != nil {
		return matching.MatchRun{}, err
	}
	return run, nil
}

// VacancyMatch is a published vacancy that fits a jobseeker.
type VacancyMatch struct {
	Vacancy     VacancySummary       `json:"vacancy"`
	Fit         float64              `json:"fit"`
	Explanation matching.Explanation `json:"explanation"`
}

// VacancySummary is what a list of vacancies shows of each.
type VacancySummary struct {
	ID               int64      `json:"id"`
	EmployerID       int64      `json:"employer_id"`
	Title            string     `json:"title"`
	MunicipalityCode string     `json:"municipality_code"`
	ContractType     string     `json:"contract_type"`
	PublishedAt      *time.Time `json:"published_at,omitempty"`
	ClosesOn         *time.Time `json:"closes_on,omitempty"`
}

// Reverse is the outcome of matching a jobseeker to the published
// vacancies.
type Reverse struct {
	Matches    []VacancyMatch `json:"matches"`
	NearMisses []VacancyMatch `json:"near_misses"`
	Considered int            `json:"considered"`
	TookMs     float64        `json:"took_ms"`
}

// VacanciesFor returns the published vacancies that fit a candidate, with
// the same scoring as a vacancy's match, best first, at most limit of each
// list.
func (m *Matcher) VacanciesFor(ctx context.Context, candidateID int64, limit int, asOf time.Time) (Reverse, error) {
	start := time.Now()
	if limit < 1 || limit > 200 {
		return Reverse{}, matching.FieldErrorf("limit", "must be between 1 and 200")
	}
	c, err := m.store.Candidate(ctx, candidateID)
	if err != nil {
		return Reverse{}, err
	}
	vacs, err := m.publishedVacancies(ctx, asOf)
	if err != nil {
		return Reverse{}, err
	}
	fits, near, err := matching.FitVacancies(&c, vacs, matching.DefaultScoreParams(asOf))
	if err != nil {
		return Reverse{}, err
	}
	byID := make(map[int64]*matching.Vacancy, len(vacs))
	for i := range vacs {
		byID[vacs[i].ID] = &vacs[i]
	}
	list := func(fs []matching.VacancyFit) []VacancyMatch {
		out := make([]VacancyMatch, 0, min(limit, len(fs)))
		for _, f := range fs[:min(limit, len(fs))] {
			v := byID[f.VacancyID]
			out = append(out, VacancyMatch{Fit: f.Fit, Explanation: f.Explanation, Vacancy: VacancySummary{
				ID: v.ID, EmployerID: v.EmployerID, Title: v.Title, MunicipalityCode: v.MunicipalityCode,
				ContractType: v.ContractType, PublishedAt: v.PublishedAt, ClosesOn: v.ClosesOn}})
		}
		return out
	}
	return Reverse{Matches: list(fits), NearMisses: list(near), Considered: len(vacs), TookMs: ms(time.Since(start))}, nil
}

// publishedVacancies returns the open published vacancies, from a cache
// that lasts while no vacancy changes and the day stays the same.
func (m *Matcher) publishedVacancies(ctx context.Context, asOf time.Time) ([]matching.Vacancy, error) {
	version, err := m.store.PublishedVersion(ctx)
	if err != nil {
		return nil, err
	}
	day := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, asOf.Location())
	m.mu.Lock()
	c := m.published
	m.mu.Unlock()
	if c.vacs != nil && c.version == version && c.day.Equal(day) {
		return c.vacs, nil
	}
	vacs, err := m.store.PublishedVacancies(ctx, day)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.published = publishedCache{version: version, day: day, vacs: vacs}
	m.mu.Unlock()
	return vacs, nil
}
