package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"incontro/matching"
	"incontro/reference"
)

// Sizes of the lists of a recall.
const (
	DefaultRecallK    = 500
	MaxRecallK        = 5000
	DefaultNearMissK  = 100
	MaxNearMissK      = 1000
	maxRecallTitleLen = 200 // as matching.Vacancy.Validate allows
)

// RecallQuery asks for the candidates a vacancy should consider.
type RecallQuery struct {
	Vacancy   matching.Vacancy // title, occupation, location, requirements (ranked, essential flags)
	K         int              // main list size; 0 means 500; at most 5000
	NearMissK int              // near-miss list size; 0 means 100; at most 1000
	// AsOf is "today", the day of the match; it is required so that recall
	// and scoring run for the same day. (The filters compare availability
	// with the requirement's own date, as scoring does.)
	AsOf time.Time
}

// Recall is what the index found; the caller loads the candidates and scores them (package matching).
type Recall struct {
	Hits          []Hit  // candidates that pass every essential filter, best text relevance first, ties by candidate id ascending; at most K
	Total         uint64 // how many candidates pass every essential filter
	NearMisses    []Hit  // candidates that fail exactly one essential filter, same order; at most NearMissK
	NearMissTotal uint64
	Took          time.Duration
}

// Boosts of the relevance part of a recall. The clauses that recall (see
// relevanceQuery) are the disjuncts of one disjunction and those that only
// order of another, so besides its boost a candidate earns the
// coordination factor (see relevanceScorer) for each further clause it
// matches: the candidate
// with the vacancy's exact occupation and its skills matches the most
// clauses with the highest boosts and comes first.
//
//   - the occupation's code (10) outweighs anything else: it is the
//     requirement scoring weighs most and the one a CV proves best;
//   - its ISCO unit group (5) comes next, the partial credit scoring gives
//     a same-group occupation, then its minor group (2), the broader one;
//   - a coded skill (4) weighs more than its label as text on the skill
//     field (2), which also finds uncoded CVs;
//   - the title and the occupation's label search the text fields with the
//     field boosts of free text (TextFields: headline and occupation 3,
//     skill 2, experience and summary 1), so they place candidates without
//     codes too;
//   - a certification (2), a language at the level (1) and a licence that
//     covers the one required (1) order candidates that tie on the above.
const (
	boostOccupationCode = 10
	boostISCOUnit       = 5
	boostISCOMinor      = 2
	boostSkillCode      = 4
	boostSkillText      = 2
	boostText           = 1
	boostCertification  = 2
	boostLanguage       = 1
	boostLicence        = 1
)

// Recall finds the candidates a vacancy should consider: those that pass
// every essential requirement the index can check (Hits), and apart those
// that fail exactly one (NearMisses). Both lists are ordered by text
// relevance, ties by candidate id. Bad input is a *matching.Error EINVALID
// naming the field ("k", "near_miss_k", "as_of", "requirements[2].code" …).
//
// What is checked, and how it mirrors scoring (package matching, whose
// tolerances in tolerance.go are the single source of the numbers):
//   - Always: the candidate consents to be presented.
//   - Relevance: the vacancy's title and occupation, the requirements'
//     codes, labels, languages, licences and certifications, essential or
//     not (see the boosts above). A candidate must match at least one
//     clause that recalls (the occupation, its groups, the skills, the
//     rare words of the title and labels; see relevanceQuery), or, when
//     the vacancy has none, any clause; without any clause every candidate
//     that passes the filters is recalled, in id order.
//   - Essential filters, one per essential requirement that the index can
//     check exactly; each keeps every candidate that scoring would not fail
//     on it (met, partly met, or unknown because the CV leaves the section
//     empty, see FieldDeclared):
//     licence: a covering licence (matching.LicencesCovering), or none declared;
//     language: no level below matching.LanguageFloor, and the language
//     listed or no language declared (Italian not listed is unknown);
//     education: the highest EQF level at least matching.EducationFloor, or
//     none declared;
//     distance: home within matching.DistanceReach of the workplace (the
//     candidate's own mobility radius is scoring's business);
//     availability: available before the required day plus
//     matching.AvailabilityGraceDays, or no date declared;
//     working time and contract: one of the values, or none declared.
//     Occupations, skills and certifications are never filters: scoring
//     gives partial credit for related ones.
//   - A distance requirement that is not essential still bounds recall at
//     twice its reach: candidates that far earn nothing for it, and a
//     vacancy is about a place.
//
// The lists come from two or three bleve requests run concurrently (see
// nearMissQueries and topHits); they return only ids and scores (no stored
// fields, highlighting or facets). Distances are sets of municipalities
// (see located). Results are not cached: a match is an operator's action,
// recorded as a run, not a page that many open.
func (ix *Index) Recall(ctx context.Context, q RecallQuery) (Recall, error) {
	start := time.Now()
	snap, release, err := ix.snapshot()
	if err != nil {
		return Recall{}, err
	}
	p, err := newRecallPlan(q, indexVocabulary(ctx, snap))
	release()
	if err != nil {
		return Recall{}, err
	}
	scored := p.relevance != nil
	// The hits and the near misses share the sets of their filters (see
	// setsMemo).
	ctx = withSetsMemo(ctx)
	// The relevance is scored from postings (see relevanceScorer); bleve
	// scores what that scorer cannot read (relevanceQuery builds none).
	clauses, fromPostings := relevanceClauses(p.relevance)
	top := func(qs []query.Query, n int) ([]Hit, uint64, error) {
		if scored && fromPostings {
			return ix.scoreTop(ctx, qs, clauses, n)
		}
		return ix.topHits(ctx, qs, n, scored)
	}
	r := Recall{Hits: []Hit{}, NearMisses: []Hit{}}
	var hitsErr, nearErr error
	var wg sync.WaitGroup
	wg.Go(func() { r.Hits, r.Total, hitsErr = top([]query.Query{p.hitsQuery()}, p.k) })
	if nq := p.nearMissQueries(); len(nq) > 0 {
		wg.Go(func() { r.NearMisses, r.NearMissTotal, nearErr = top(nq, p.nearK) })
	}
	wg.Wait()
	if err := cmp.Or(hitsErr, nearErr); err != nil {
		if ctx.Err() != nil {
			return Recall{}, ctx.Err()
		}
		return Recall{}, err
	}
	r.Took = time.Since(start)
	return r, nil
}

// topHits returns the top n hits of the union of queries that find
// disjoint sets, by score (quantized, see quantize) then candidate id, and
// how many there are.
//
// Sorting by document id makes bleve load the id of every hit it meets,
// which costs about a quarter of a recall. So a scored list first asks each
// query for its top 2n+1 by score alone and sorts them here: the result is
// exact unless a hit left out could tie with the last one kept, and only
// then are the queries asked again with the id among the sort values. Ties
// at the cut come from CVs that match the same way (same codes, same
// words); the margin of n more hits takes in their group nearly always,
// where n+1 would fall back for a third of the seeded vacancies. Without
// relevance every hit ties, and the id order is asked for at once.
func (ix *Index) topHits(ctx context.Context, qs []query.Query, n int, scored bool) ([]Hit, uint64, error) {
	if scored {
		hits, total, exact, err := ix.searchTop(ctx, qs, n, true, false)
		if err != nil || exact {
			return hits, total, err
		}
	}
	hits, total, _, err := ix.searchTop(ctx, qs, n, scored, true)
	return hits, total, err
}

// searchTop runs the queries concurrently and merges their hits (see
// topHits); exact reports whether the merged top n is the true one.
func (ix *Index) searchTop(ctx context.Context, qs []query.Query, n int, scored, byID bool) (hits []Hit, total uint64, exact bool, err error) {
	jobs := make([]*job, len(qs))
	for i, q := range qs {
		req := bleve.NewSearchRequestOptions(q, 2*n+1, 0, false)
		if byID {
			req.Size = n
			req.SortByCustom(search.SortOrder{&quantizedScore{}, &search.SortDocID{}})
		}
		if !scored {
			req.Score = bleve.ScoreNone
		}
		jobs[i] = &job{req: req}
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() { j.res, j.err = ix.bleveIndex().SearchInContext(ctx, j.req) })
	}
	wg.Wait()
	hits = []Hit{}
	for _, j := range jobs {
		if j.err != nil {
			return nil, 0, false, fmt.Errorf("index: recall: %w", j.err)
		}
		total += j.res.Total
		for _, h := range j.res.Hits {
			id, err := hitCandidateID(h.ID)
			if err != nil {
				return nil, 0, false, err
			}
			hits = append(hits, Hit{ID: id, Score: quantize(h.Score)})
		}
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID))
	})
	exact = true
	if len(hits) > n {
		cut := hits[n-1].Score
		for _, j := range jobs {
			// A query that found more than it returned may have left out
			// hits that score as much as its last one.
			if k := len(j.res.Hits); k > 0 && uint64(k) < j.res.Total && quantize(j.res.Hits[k-1].Score) >= cut {
				exact = false
			}
		}
		hits = hits[:n]
	}
	return hits, total, exact || byID, nil
}

// recallPlan is a recall query turned into bleve queries.
type recallPlan struct {
	// relevance is the disjunction of the Should clauses; nil when the
	// vacancy yields none.
	relevance query.Query
	// base are the filters of both lists: consent.
	base []query.Query
	// essentials holds one filter per essential requirement the index can
	// check with its inverted index, in rank order.
	essentials []query.Query
	// circles are the essential distance filters, bounds the recall
	// bounds of the other distance requirements (see located).
	circles, bounds []circle
	k, nearK        int
}

// newRecallPlan checks q and builds its queries, always in the same order
// for the same input and index.
func newRecallPlan(q RecallQuery, voc vocabulary) (*recallPlan, error) {
	p := &recallPlan{k: q.K, nearK: q.NearMissK}
	switch {
	case q.K == 0:
		p.k = DefaultRecallK
	case q.K < 0 || q.K > MaxRecallK:
		return nil, matching.FieldErrorf("k", "must be between 1 and %d", MaxRecallK)
	}
	switch {
	case q.NearMissK == 0:
		p.nearK = DefaultNearMissK
	case q.NearMissK < 0 || q.NearMissK > MaxNearMissK:
		return nil, matching.FieldErrorf("near_miss_k", "must be between 1 and %d", MaxNearMissK)
	}
	if q.AsOf.IsZero() {
		return nil, matching.FieldErrorf("as_of", "is required")
	}
	vac := &q.Vacancy
	if utf8.RuneCountInString(vac.Title) > maxRecallTitleLen {
		return nil, matching.FieldErrorf("title", "must be at most %d characters", maxRecallTitleLen)
	}
	if math.IsNaN(vac.Lat) || vac.Lat < -90 || vac.Lat > 90 {
		return nil, matching.FieldErrorf("lat", "must be a latitude between -90 and 90")
	}
	if math.IsNaN(vac.Lon) || vac.Lon < -180 || vac.Lon > 180 {
		return nil, matching.FieldErrorf("lon", "must be a longitude between -180 and 180")
	}
	// Requirements in rank order; the stable sort keeps the given order of
	// equal ranks, so the same vacancy always gives the same query.
	idx := make([]int, len(vac.Requirements))
	for i := range idx {
		idx[i] = i
	}
	for _, i := range idx {
		r := vac.Requirements[i]
		if err := r.Validate(fmt.Sprintf("requirements[%d].", i)); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return vac.Requirements[a].Rank - vac.Requirements[b].Rank })
	reqs := make([]matching.Requirement, len(idx))
	for i, j := range idx {
		reqs[i] = vac.Requirements[j]
	}

	p.relevance = relevanceQuery(vac, reqs, voc)
	p.base = append(p.base, term(FieldPresentable, "true"))
	for _, r := range reqs {
		switch {
		case r.Kind == matching.ReqDistance && vac.Lat == 0 && vac.Lon == 0:
			// Scoring cannot measure it either: unknown for everyone.
		case r.Kind == matching.ReqDistance && r.Essential:
			p.circles = append(p.circles, circle{Lat: vac.Lat, Lon: vac.Lon, Km: matching.DistanceReach(*r.MaxKm)})
		case r.Kind == matching.ReqDistance:
			p.bounds = append(p.bounds, circle{Lat: vac.Lat, Lon: vac.Lon, Km: 2 * matching.DistanceReach(*r.MaxKm)})
		case r.Essential:
			if f := essentialFilter(r); f != nil {
				p.essentials = append(p.essentials, f)
			}
		}
	}
	return p, nil
}

// relevanceQuery builds the Should part: one disjunct per clause (see the
// boosts), nil when there is none.
func relevanceQuery(vac *matching.Vacancy, reqs []matching.Requirement, voc vocabulary) query.Query {
	// core are the clauses that recall: what the candidate does (the
	// occupation, its groups, the skills); extra the clauses that only
	// order those (the title's words, languages, licences,
	// certifications), which half of every CV would match.
	var core, extra []query.Query
	seen := map[string]bool{}
	// add keeps the first of equal clauses: the same code twice would only
	// count twice.
	add := func(to *[]query.Query, key string, q query.Query) {
		if !seen[key] {
			seen[key] = true
			*to = append(*to, q)
		}
	}
	// text searches s on every text field, which orders, and recalls by
	// its words that are not common on the fields that say what the
	// candidate is (headline, occupations): a common word ("addetto" is
	// in most CVs' occupations) would recall most of the index for
	// nothing but its low score, as Lucene's common-terms query keeps
	// such words for scoring only.
	text := func(s string) {
		s = strings.TrimSpace(s)
		words := voc.words(s)
		if s == "" || len(words) == 0 {
			return
		}
		key := "text\x00" + strings.ToLower(s)
		var rare []query.Query
		for _, w := range words {
			if voc.common(w) {
				continue
			}
			for _, f := range TextFields {
				if f.Field == FieldHeadline || f.Field == FieldOccupation {
					rare = append(rare, boosted(term(f.Field, w), boostText*f.Boost))
				}
			}
		}
		if len(rare) > 0 {
			add(&core, key+"\x00rare", anyOf(rare))
		}
		add(&extra, key, overTextFields(boostText, func(field string, boost float64) query.Query {
			return match(field, s, boost)
		}))
	}
	occupation := func(code, isco string) {
		if code != "" {
			add(&core, FieldOccupationCode+"\x00"+code, boosted(term(FieldOccupationCode, code), boostOccupationCode))
		}
		if digits.MatchString(isco) && len(isco) == 4 {
			add(&core, FieldISCO+"\x00"+isco, boosted(term(FieldISCO, isco), boostISCOUnit))
		}
		if digits.MatchString(isco) && len(isco) >= 3 {
			add(&core, FieldISCO+"\x00"+isco[:3], boosted(term(FieldISCO, isco[:3]), boostISCOMinor))
		}
	}

	text(vac.Title)
	hasOccupation := false
	for _, r := range reqs {
		switch r.Kind {
		case matching.ReqOccupation:
			hasOccupation = true
			text(r.Label)
			// The occupation scoring compares with: by code, else the
			// catalogue's best match of the label.
			o, ok := reference.OccupationByCode(r.Code)
			if !ok && r.Label != "" {
				if found := reference.FindOccupations(r.Label); len(found) > 0 {
					o, ok = found[0], true
				}
			}
			code, isco := strings.TrimSpace(r.Code), strings.TrimSpace(vac.ISCOCode)
			if ok {
				code, isco = o.Code, o.ISCO
			}
			occupation(code, isco)
		case matching.ReqSkill:
			code := strings.TrimSpace(r.Code)
			label := r.Label
			if code != "" {
				add(&core, FieldSkillCode+"\x00"+code, boosted(term(FieldSkillCode, code), boostSkillCode))
				if k, ok := reference.SkillByCode(code); ok && strings.TrimSpace(label) == "" {
					label = k.Label
				}
			}
			if label = strings.TrimSpace(label); len(voc.words(label)) > 0 {
				skill := match(FieldSkill, label, boostSkillText)
				skill.(*query.MatchQuery).SetOperator(query.MatchQueryOperatorAnd)
				add(&core, FieldSkill+"\x00"+strings.ToLower(label), skill)
			}
		case matching.ReqLanguage:
			var qs []query.Query
			for _, lv := range matching.CEFRLevels() {
				if matching.CEFRRank(lv) >= matching.CEFRRank(r.Level) {
					qs = append(qs, term(FieldLanguageLevel, r.Code+":"+lv))
				}
			}
			add(&extra, FieldLanguageLevel+"\x00"+r.Code+":"+r.Level, boosted(anyOf(qs), boostLanguage))
		case matching.ReqLicence:
			add(&extra, FieldLicence+"\x00"+r.Code, boosted(anyOf(terms(FieldLicence, matching.LicencesCovering(r.Code))), boostLicence))
		case matching.ReqCertification:
			for _, v := range []string{strings.TrimSpace(r.Code), strings.TrimSpace(r.Label)} {
				if v != "" {
					add(&extra, FieldCertification+"\x00"+v, boosted(term(FieldCertification, v), boostCertification))
				}
			}
		}
	}
	if !hasOccupation {
		// Without an occupation requirement, the vacancy's own occupation.
		code, isco := strings.TrimSpace(vac.OccupationCode), strings.TrimSpace(vac.ISCOCode)
		if o, ok := reference.OccupationByCode(code); ok && isco == "" {
			isco = o.ISCO
		}
		occupation(code, isco)
	}
	switch {
	case len(core) == 0 && len(extra) == 0:
		return nil
	case len(core) == 0:
		// Nothing says what the candidate does: every clause recalls.
		return query.NewDisjunctionQuery(extra)
	case len(extra) == 0:
		return query.NewDisjunctionQuery(core)
	}
	return query.NewBooleanQuery([]query.Query{query.NewDisjunctionQuery(core)}, []query.Query{query.NewDisjunctionQuery(extra)}, nil)
}

// essentialFilter is the filter of an essential requirement: it keeps the
// candidates scoring would not fail on it. Nil when the inverted index
// cannot check the requirement (distances are circles, see located), or
// when no candidate can fail it.
func essentialFilter(r matching.Requirement) query.Query {
	switch r.Kind {
	case matching.ReqLicence:
		return anyOf([]query.Query{
			anyOf(terms(FieldLicence, matching.LicencesCovering(r.Code))),
			undeclared(matching.SectionLicences),
		})
	case matching.ReqLanguage:
		var tooLow []query.Query
		floor := matching.LanguageFloor(r.Level)
		for _, lv := range matching.CEFRLevels() {
			if matching.CEFRRank(lv) < floor {
				tooLow = append(tooLow, term(FieldLanguageLevel, r.Code+":"+lv))
			}
		}
		// Italian not listed is unknown: a CV written in Italian rarely
		// says so. Any other language not listed, in a CV that lists
		// languages, is not met.
		var listed query.Query
		if r.Code != "it" {
			listed = anyOf([]query.Query{term(FieldLanguage, r.Code), undeclared(matching.SectionLanguages)})
		}
		switch {
		case len(tooLow) == 0:
			return listed
		case listed == nil:
			return &query.BooleanQuery{MustNot: anyOf(tooLow)}
		}
		return &query.BooleanQuery{Must: listed, MustNot: anyOf(tooLow)}
	case matching.ReqEducation:
		level := int(r.Code[0] - '0') // validated: "1".."8"
		return anyOf([]query.Query{
			educationAtLeast(matching.EducationFloor(level)),
			undeclared(matching.SectionEducation),
		})
	case matching.ReqAvailability:
		// Available before the day after the last day of grace.
		end := dayOf(*r.FromDate).AddDate(0, 0, matching.AvailabilityGraceDays+1)
		return anyOf([]query.Query{
			availableBetween(time.Time{}, end),
			undeclared(matching.SectionAvailability),
		})
	case matching.ReqWorkingTime:
		return anyOf([]query.Query{
			anyOf(terms(FieldWorkingTime, cleanList(r.Values))),
			undeclared(matching.SectionWorkingTime),
		})
	case matching.ReqContract:
		return anyOf([]query.Query{
			anyOf(terms(FieldContract, cleanList(r.Values))),
			undeclared(matching.SectionContract),
		})
	}
	return nil
}

// undeclared matches the candidates whose CV leaves a section empty.
func undeclared(s matching.Section) query.Query {
	return &query.BooleanQuery{MustNot: term(FieldDeclared, string(s))}
}

// hitsQuery is the main list: every filter passed.
func (p *recallPlan) hitsQuery() query.Query {
	return p.withRelevance(allOf(p.located(append(slices.Clone(p.base), p.essentials...), 0)))
}

// nearMissQueries are the queries of the near-miss list, which fail exactly
// one essential filter: either one of the inverted index's (at least m-1 of
// its m passed and not all of them) and no circle, or one circle and none
// of the others. The two find disjoint sets; none without essential filters.
func (p *recallPlan) nearMissQueries() []query.Query {
	var out []query.Query
	if m := len(p.essentials); m > 0 {
		must := slices.Clone(p.base)
		if m > 1 {
			atLeast := query.NewDisjunctionQuery(slices.Clone(p.essentials))
			atLeast.SetMin(float64(m - 1))
			must = append(must, atLeast)
		}
		out = append(out, p.withRelevance(allOf(append(p.located(must, 0),
			&query.BooleanQuery{MustNot: allOf(p.essentials)}))))
	}
	if len(p.circles) > 0 {
		out = append(out, p.withRelevance(allOf(p.located(append(slices.Clone(p.base), p.essentials...), 1))))
	}
	return out
}

// located adds to the filters of q the distance checks: every bound passed
// and exactly fail of the circles failed. A candidate without a home passes
// when none may fail (scoring says the distance is unknown).
//
// Every circle and bound is centred on the workplace, so the checks are a
// ring of distance: within the smallest radius that none may exceed and,
// for the near misses, beyond the smallest circle but within the next
// one. Each edge is the set of municipalities within it (see within),
// which the filters intersect as postings, never reading a document.
func (p *recallPlan) located(filters []query.Query, fail int) []query.Query {
	if len(p.circles) == 0 && len(p.bounds) == 0 {
		return filters
	}
	lat, lon := p.center()
	radii := make([]float64, len(p.circles))
	for i, c := range p.circles {
		radii[i] = c.Km
	}
	slices.Sort(radii)
	bound := math.Inf(1)
	for _, b := range p.bounds {
		bound = min(bound, b.Km)
	}
	if fail == 0 {
		r := bound
		if len(radii) > 0 {
			r = min(r, radii[0])
		}
		return append(filters, &homesWithin{Lat: lat, Lon: lon, Km: r, OrNone: true})
	}
	upper := bound
	if len(radii) > 1 {
		upper = min(upper, radii[1])
	}
	if upper <= radii[0] {
		return append(filters, noMatch{})
	}
	if math.IsInf(upper, 1) {
		return append(filters, &query.BooleanQuery{MustNot: &homesWithin{Lat: lat, Lon: lon, Km: radii[0], OrNone: true}})
	}
	return append(filters, &query.BooleanQuery{Must: within(lat, lon, upper), MustNot: within(lat, lon, radii[0])})
}

// center returns the workplace, the centre of every circle and bound.
func (p *recallPlan) center() (lat, lon float64) {
	if len(p.circles) > 0 {
		return p.circles[0].Lat, p.circles[0].Lon
	}
	return p.bounds[0].Lat, p.bounds[0].Lon
}

// withRelevance adds the relevance part to a filter: the filter selects
// without scoring, the relevance scores and must match.
func (p *recallPlan) withRelevance(filter query.Query) query.Query {
	if p.relevance == nil {
		return filter
	}
	return &filtered{Scored: p.relevance, Filter: filter}
}

// allOf matches the documents that match every query of qs.
func allOf(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

// Common words (see relevanceQuery): a word is common when more than
// commonShare of the documents, and at least commonMinDocs, hold it in
// their headline or their occupations.
const (
	commonShare   = 0.10
	commonMinDocs = 1000
)

// vocabulary is what a recall plan asks the index about words.
type vocabulary struct {
	// analyze returns the words of a text as the text fields index them.
	analyze func(string) []string
	// isCommon reports whether a word is common; nil: none is.
	isCommon func(string) bool
}

func (v vocabulary) words(s string) []string {
	if v.analyze == nil {
		v.analyze = analyzeItalian
	}
	return v.analyze(s)
}

func (v vocabulary) common(w string) bool { return v.isCommon != nil && v.isCommon(w) }

// analyzeItalian returns the words of s as the text fields index them.
func analyzeItalian(s string) []string {
	var out []string
	for _, t := range italian().Analyze([]byte(s)) {
		out = append(out, string(t.Term))
	}
	return out
}

// indexVocabulary counts words in a snapshot of the index.
func indexVocabulary(ctx context.Context, snap *scorch.IndexSnapshot) vocabulary {
	n, err := snap.DocCount()
	if err != nil {
		return vocabulary{}
	}
	cutoff := max(commonMinDocs, uint64(commonShare*float64(n)))
	return vocabulary{isCommon: func(w string) bool {
		for _, f := range []string{FieldHeadline, FieldOccupation} {
			r, err := snap.TermFieldReader(ctx, []byte(w), f, false, false, false)
			if err != nil {
				return false
			}
			c := r.Count()
			r.Close()
			if c > cutoff {
				return true
			}
		}
		return false
	}}
}

// match is a match query (analyzed text, any word) on a field.
func match(field, text string, boost float64) query.Query {
	q := query.NewMatchQuery(text)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// boosted sets the boost of a query built by term or anyOf.
func boosted(q query.Query, boost float64) query.Query {
	if b, ok := q.(query.BoostableQuery); ok {
		b.SetBoost(boost)
	}
	return q
}

// circle is a distance from the workplace, in km.
type circle struct {
	Lat, Lon, Km float64
}

// quantize drops the last 20 of the 52 bits of a score's mantissa. bleve
// sums the scores of a disjunction of more than ten clauses (a vacancy's
// relevance has more) in the order its heap gives, which depends on how the
// search reached the document (a step or a skip, see filtered): two
// candidates alike may score a few units in the last place apart.
// Quantized, such scores are equal, so that ties are broken by id. A score
// within a few units of the last place of a quantum's edge could still
// fall either side: about one in a million.
func quantize(score float64) float64 {
	return math.Float64frombits(math.Float64bits(score) &^ (1<<20 - 1))
}

// quantizedScore sorts by the quantized score, highest first.
type quantizedScore struct {
	asc bool
	tmp []byte
}

// UpdateVisitor implements search.SearchSort.
func (s *quantizedScore) UpdateVisitor(string, []byte) {}

// Value implements search.SearchSort.
func (s *quantizedScore) Value(d *search.DocumentMatch) string {
	s.tmp = numeric.MustNewPrefixCodedInt64Prealloc(numeric.Float64ToInt64(quantize(d.Score)), 0, s.tmp)
	return string(s.tmp)
}

// DecodeValue implements search.SearchSort.
func (s *quantizedScore) DecodeValue(value string) string {
	i, err := numeric.PrefixCoded(value).Int64()
	if err != nil {
		return ""
	}
	return strconv.FormatFloat(numeric.Int64ToFloat64(i), 'g', -1, 64)
}

// Descending implements search.SearchSort.
func (s *quantizedScore) Descending() bool { return !s.asc }

// RequiresDocID implements search.SearchSort.
func (s *quantizedScore) RequiresDocID() bool { return false }

// RequiresScoring implements search.SearchSort.
func (s *quantizedScore) RequiresScoring() bool { return true }

// RequiresFields implements search.SearchSort.
func (s *quantizedScore) RequiresFields() []string { return nil }

// Reverse implements search.SearchSort.
func (s *quantizedScore) Reverse() { s.asc = !s.asc }

// Copy implements search.SearchSort.
func (s *quantizedScore) Copy() search.SearchSort { return &quantizedScore{asc: s.asc} }
