package matching

import (
	"cmp"
	"math"
	"slices"
	"time"

	"incontro/reference"
)

// How a candidate is scored against a vacancy
//
// Each requirement of the vacancy gets a weight from its importance rank
// (Weights). Each is assessed against the CV (assess*) as met (credit 1),
// partly met (credit strictly between 0 and 1, with the reason), not met
// (0) or unknown (0: the CV does not say, so it must be verified with the
// candidate; unknown is never scored as met).
//
// The score is counted in requirement points: a vacancy with n requirements
// has n points to give, requirement i is worth n·w_i of them, and
//
//	score = Σ n·w_i·credit_i  +  TextWeight·relevance  +  FreshnessWeight·freshness
//
// where relevance is the candidate's text relevance relative to the best of
// the run (0..1) and freshness halves every FreshnessHalfLifeDays since the
// CV was last updated (1 for a CV updated today). The two extra terms are
// kept below the worth of any one requirement (with the defaults, of up to
// fourteen: the last is worth 1/n points), so they only order candidates
// whose requirement points are close. Fit = Σ w_i·credit_i
// (0..1) is the same sum as a share, for display and for comparing
// vacancies with different numbers of requirements.
//
// Points rather than the bare weighted sum make the score monotone in what
// a candidate meets: adding to a vacancy a requirement the candidate meets
// never lowers their score (with normalized weights it could, because the
// new requirement takes weight from the others). With rank-order centroid
// weights requirement i of n is worth P_i = Σ_{k=i..n} 1/k points. Insert
// a met requirement at rank j: those ranked above it gain 1/(n+1) each;
// those at j or below move down one and lose 1/i − 1/(n+1) each, at most
// Σ_{i=j..n} 1/i − (n−j+1)/(n+1) together; the new one brings
// Σ_{k=j..n+1} 1/k, which exceeds that by (n−j+2)/(n+1). Rank-sum points
// 2(n+1−i)/(n+1) grow above j and lose at most
// (n+1−j)(n+2−j)/((n+1)(n+2)) below, less than half of the 2(n+2−j)/(n+2)
// the new requirement brings; equal weights give every requirement one
// point. Moving a met requirement from rank i+1 to i, past one of credit
// c, changes the score by (P_i − P_{i+1})(1 − c), never negative because
// weights never increase with the rank. The property tests check both on
// random vacancies and CVs.

// Evidence is what a CV says about one requirement.
type Evidence string

// Evidence values.
const (
	Met       Evidence = "met"
	PartlyMet Evidence = "partly"
	NotMet    Evidence = "not_met"
	Unknown   Evidence = "unknown"
)

// Weighting is the method that turns importance ranks into weights.
type Weighting string

// Weighting methods. Each gives weights that sum to 1 and never increase
// with the rank.
const (
	// WeightingROC is rank-order centroid: w_i = (1/n)·Σ_{k=i..n} 1/k.
	WeightingROC Weighting = "roc"
	// WeightingRankSum is w_i = 2(n+1-i) / (n(n+1)).
	WeightingRankSum Weighting = "rank_sum"
	// WeightingEqual gives every requirement 1/n.
	WeightingEqual Weighting = "equal"
)

// Weights returns the weights of n requirements ranked 1…n.
func Weights(n int, m Weighting) ([]float64, error) {
	if n < 0 {
		return nil, FieldErrorf("requirements", "cannot be a negative number")
	}
	w := make([]float64, n)
	switch m {
	case WeightingROC, "":
		for i := range n {
			var s float64
			for k := i + 1; k <= n; k++ {
				s += 1 / float64(k)
			}
			w[i] = s / float64(n)
		}
	case WeightingRankSum:
		for i := range n {
			w[i] = 2 * float64(n-i) / float64(n*(n+1))
		}
	case WeightingEqual:
		for i := range n {
			w[i] = 1 / float64(n)
		}
	default:
		return nil, FieldErrorf("weighting", "%q is not a weighting method (roc, rank_sum or equal)", m)
	}
	return w, nil
}

// ScoreParams are the parameters of scoring; DefaultScoreParams documents
// the defaults. They are stored with every match run.
type ScoreParams struct {
	Weighting             Weighting `json:"weighting"`
	TextWeight            float64   `json:"text_weight"`
	FreshnessWeight       float64   `json:"freshness_weight"`
	FreshnessHalfLifeDays float64   `json:"freshness_half_life_days"`
	// AsOf is "today": for ongoing experiences, availability and freshness.
	AsOf time.Time `json:"as_of"`
}

// DefaultScoreParams returns rank-order-centroid weights, text relevance
// worth at most 0.05 points and freshness at most 0.02 (together less than
// the 0.1 point the least important of ten requirements is worth), and a
// freshness half-life of 180 days.
func DefaultScoreParams(asOf time.Time) ScoreParams {
	return ScoreParams{Weighting: WeightingROC, TextWeight: 0.05, FreshnessWeight: 0.02, FreshnessHalfLifeDays: 180, AsOf: asOf}
}

// Validate checks the parameters.
func (p ScoreParams) Validate() error {
	var v checker
	_, err := Weights(1, p.Weighting)
	v.check(err == nil, "weighting", "%q is not a weighting method (roc, rank_sum or equal)", p.Weighting)
	v.check(p.TextWeight >= 0 && p.TextWeight <= 0.1, "text_weight", "must be between 0 and 0.1")
	v.check(p.FreshnessWeight >= 0 && p.FreshnessWeight <= 0.1, "freshness_weight", "must be between 0 and 0.1")
	v.check(p.FreshnessHalfLifeDays >= 1 && p.FreshnessHalfLifeDays <= 3650, "freshness_half_life_days", "must be between 1 and 3650")
	v.check(!p.AsOf.IsZero(), "as_of", "is required")
	return v.result()
}

// Proof is one item of a CV that an assessment rests on. Its Text, like
// every text of an explanation, travels in JSON as Italian and as phrases
// (explanation_json.go).
type Proof struct {
	Section Section `json:"section"`
	ItemID  int64   `json:"item_id,omitempty"` // the experience, education or certification
	Text    Text    `json:"-"`
}

// Assessment is the verdict on one requirement for one candidate.
type Assessment struct {
	RequirementID int64           `json:"requirement_id,omitempty"`
	Rank          int             `json:"rank"`
	Kind          RequirementKind `json:"kind"`
	Requirement   Text            `json:"-"` // the requirement in words
	Essential     bool            `json:"essential"`
	Weight        float64         `json:"weight"`
	Points        float64         `json:"points"` // what meeting it is worth: n·weight
	Evidence      Evidence        `json:"evidence"`
	Credit        float64         `json:"credit"`       // 0..1
	Contribution  float64         `json:"contribution"` // points·credit
	Reason        Text            `json:"-"`
	Proofs        []Proof         `json:"proofs,omitempty"`
	DistanceKm    *float64        `json:"distance_km,omitempty"`
}

// Explanation is a candidate's score taken apart: every requirement and
// every other contribution.
type Explanation struct {
	Score                 float64      `json:"score"`
	Fit                   float64      `json:"fit"`
	Requirements          []Assessment `json:"requirements"`
	TextRelevance         float64      `json:"text_relevance"` // 0..1, relative to the best of the run
	TextContribution      float64      `json:"text_contribution"`
	CVUpdatedAt           *time.Time   `json:"cv_updated_at,omitempty"`
	CVAgeDays             int          `json:"cv_age_days"`
	FreshnessContribution float64      `json:"freshness_contribution"`
	// Ranks of the essential requirements not met, unknown, partly met.
	MissingEssentials []int `json:"missing_essentials"`
	UnknownEssentials []int `json:"unknown_essentials"`
	PartlyEssentials  []int `json:"partly_essentials"`
	// ToVerify lists the requirements the CV says nothing about: what to
	// ask when contacting the candidate.
	ToVerify []Text `json:"-"`
}

// NearMiss reports whether the candidate fails an essential requirement.
func (e *Explanation) NearMiss() bool { return len(e.MissingEssentials) > 0 }

// round keeps the figures of an explanation readable and stable.
func round(x float64, digits int) float64 {
	p := math.Pow10(digits)
	return math.Round(x*p) / p
}

// Scorer scores candidates against one vacancy: the weights are computed
// once. A Scorer is not safe for concurrent use.
type Scorer struct {
	vac         *Vacancy
	reqs        []Requirement // by rank
	described   []Text        // the requirements in words, by rank
	weights     []float64
	params      ScoreParams
	occupations map[string]reference.Occupation // experience occupation lookups
	skills      map[string][]string             // folded names of required skills
}

// NewScorer validates the parameters and prepares the vacancy's weights.
func NewScorer(vac *Vacancy, p ScoreParams) (*Scorer, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Weighting == "" {
		p.Weighting = WeightingROC
	}
	reqs := slices.Clone(vac.Requirements)
	slices.SortStableFunc(reqs, func(a, b Requirement) int { return cmp.Compare(a.Rank, b.Rank) })
	w, err := Weights(len(reqs), p.Weighting)
	if err != nil {
		return nil, err
	}
	described := make([]Text, len(reqs))
	for i, r := range reqs {
		described[i] = DescribeRequirement(r)
	}
	return &Scorer{vac: vac, reqs: reqs, described: described, weights: w, params: p}, nil
}

// Weights returns the requirements' weights in rank order.
func (s *Scorer) Weights() []RequirementWeight {
	out := make([]RequirementWeight, len(s.reqs))
	n := float64(len(s.reqs))
	for i, r := range s.reqs {
		out[i] = RequirementWeight{RequirementID: r.ID, Rank: r.Rank, Kind: r.Kind, Requirement: s.described[i],
			Essential: r.Essential, Weight: round(s.weights[i], 4), Points: round(n*s.weights[i], 4)}
	}
	return out
}

// RequirementWeight is a requirement with the weight its rank gives it.
type RequirementWeight struct {
	RequirementID int64           `json:"requirement_id,omitempty"`
	Rank          int             `json:"rank"`
	Kind          RequirementKind `json:"kind"`
	Requirement   Text            `json:"-"`
	Essential     bool            `json:"essential"`
	Weight        float64         `json:"weight"`
	Points        float64         `json:"points"`
}

// Explain assesses one candidate; relevance is its text relevance relative
// to the best candidate of the run (0..1).
func (s *Scorer) Explain(c *Candidate, relevance float64) Explanation {
	n := float64(len(s.reqs))
	e := Explanation{Requirements: make([]Assessment, len(s.reqs)),
		MissingEssentials: []int{}, UnknownEssentials: []int{}, PartlyEssentials: []int{}, ToVerify: []Text{}}
	var points, fit float64
	for i, r := range s.reqs {
		a := s.assess(r, c)
		a.RequirementID, a.Rank, a.Kind, a.Essential = r.ID, r.Rank, r.Kind, r.Essential
		a.Requirement = s.described[i]
		a.Weight = round(s.weights[i], 4)
		a.Points = round(n*s.weights[i], 4)
		a.Credit = round(a.Credit, 4)
		a.Contribution = round(n*s.weights[i]*a.Credit, 4)
		points += n * s.weights[i] * a.Credit
		fit += s.weights[i] * a.Credit
		switch a.Evidence {
		case NotMet:
			if r.Essential {
				e.MissingEssentials = append(e.MissingEssentials, r.Rank)
			}
		case Unknown:
			if r.Essential {
				e.UnknownEssentials = append(e.UnknownEssentials, r.Rank)
			}
			e.ToVerify = append(e.ToVerify, a.Requirement)
		case PartlyMet:
			if r.Essential {
				e.PartlyEssentials = append(e.PartlyEssentials, r.Rank)
			}
		}
		e.Requirements[i] = a
	}
	relevance = unitRelevance(relevance)
	e.TextRelevance = round(relevance, 4)
	e.TextContribution = round(s.params.TextWeight*relevance, 4)
	if !c.UpdatedAt.IsZero() {
		u := c.UpdatedAt.UTC()
		e.CVUpdatedAt = &u
		age := max(0, s.params.AsOf.Sub(c.UpdatedAt).Hours()/24)
		e.CVAgeDays = int(age)
		e.FreshnessContribution = round(s.params.FreshnessWeight*math.Exp2(-age/s.params.FreshnessHalfLifeDays), 4)
	}
	e.Fit = round(fit, 4)
	e.Score = round(points+e.TextContribution+e.FreshnessContribution, 4)
	return e
}

// unitRelevance clamps a relevance to 0..1; a relevance that is not a
// number counts as none, so that it cannot make a ranking depend on input
// order.
func unitRelevance(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return min(max(x, 0), 1)
}

// Recalled is a candidate recalled for a vacancy, with its raw text
// relevance from the index.
type Recalled struct {
	Candidate *Candidate
	Relevance float64
}

// Ranked is a scored candidate.
type Ranked struct {
	CandidateID int64       `json:"candidate_id"`
	Score       float64     `json:"score"`
	Explanation Explanation `json:"explanation"`
}

// Ranking is the outcome of scoring a vacancy's recalled candidates.
type Ranking struct {
	Weights []RequirementWeight `json:"weights"`
	// Main holds the candidates who fail no essential requirement, best
	// first: score, then candidate id.
	Main []Ranked `json:"main"`
	// NearMisses holds those who fail at least one: fewest failed first,
	// then score, then candidate id.
	NearMisses []Ranked `json:"near_misses"`
}

// Rank scores the recalled candidates and orders them. Relevance is made
// relative to the best of all of them. The same input always gives the same
// ranking.
func (s *Scorer) Rank(in []Recalled) Ranking {
	var best float64
	for _, r := range in {
		if !math.IsNaN(r.Relevance) && !math.IsInf(r.Relevance, 1) {
			best = max(best, r.Relevance)
		}
	}
	out := Ranking{Weights: s.Weights(), Main: []Ranked{}, NearMisses: []Ranked{}}
	for _, r := range in {
		rel := 0.0
		if best > 0 {
			rel = r.Relevance / best
		}
		e := s.Explain(r.Candidate, rel)
		item := Ranked{CandidateID: r.Candidate.ID, Score: e.Score, Explanation: e}
		if e.NearMiss() {
			out.NearMisses = append(out.NearMisses, item)
		} else {
			out.Main = append(out.Main, item)
		}
	}
	// Stable sorts: even two entries with the same candidate id keep their order.
	slices.SortStableFunc(out.Main, func(a, b Ranked) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.CandidateID, b.CandidateID)
	})
	slices.SortStableFunc(out.NearMisses, func(a, b Ranked) int {
		if c := cmp.Compare(len(a.Explanation.MissingEssentials), len(b.Explanation.MissingEssentials)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.CandidateID, b.CandidateID)
	})
	return out
}

// VacancyFit is a vacancy scored for a jobseeker (reverse matching).
type VacancyFit struct {
	VacancyID   int64       `json:"vacancy_id"`
	Fit         float64     `json:"fit"`
	Explanation Explanation `json:"explanation"`
}

// FitVacancies scores the vacancies for one candidate with the same
// assessments as Rank (without text relevance) and returns those whose
// essential requirements the candidate does not fail, best fit first (fit,
// then the most recently published, then vacancy id), and apart those that
// fail one or more essentials.
func FitVacancies(c *Candidate, vacs []Vacancy, p ScoreParams) (fits, near []VacancyFit, err error) {
	fits, near = []VacancyFit{}, []VacancyFit{}
	published := map[int64]time.Time{}
	for i := range vacs {
		s, err := NewScorer(&vacs[i], p)
		if err != nil {
			return nil, nil, err
		}
		e := s.Explain(c, 0)
		f := VacancyFit{VacancyID: vacs[i].ID, Fit: e.Fit, Explanation: e}
		if vacs[i].PublishedAt != nil {
			published[vacs[i].ID] = *vacs[i].PublishedAt
		}
		if e.NearMiss() {
			near = append(near, f)
		} else {
			fits = append(fits, f)
		}
	}
	order := func(a, b VacancyFit) int {
		if c := cmp.Compare(b.Fit, a.Fit); c != 0 {
			return c
		}
		if c := published[b.VacancyID].Compare(published[a.VacancyID]); c != 0 {
			return c
		}
		return cmp.Compare(a.VacancyID, b.VacancyID)
	}
	slices.SortStableFunc(fits, order)
	slices.SortStableFunc(near, func(a, b VacancyFit) int {
		if c := cmp.Compare(len(a.Explanation.MissingEssentials), len(b.Explanation.MissingEssentials)); c != 0 {
			return c
		}
		return order(a, b)
	})
	return fits, near, nil
}
