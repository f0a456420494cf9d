package index

import (
	"cmp"
	"container/list"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"incontro/matching"
)

// termFacets are the keyword facets: name, field and how many values are
// shown (enough for every value, except for municipalities).
var termFacets = []struct {
	Name, Field string
	Size        int
}{
	{FacetOccupationGroup, FieldOccupationGroup, 50},
	{FacetMunicipality, FieldMunicipality, 20},
	{FacetEducation, FieldEducation, 8},
	{FacetLanguageLevel, FieldLanguageLevel, 60},
	{FacetLicence, FieldLicence, 20},
}

// Search runs a staff search over the CVs: free text, filters, facets, sort
// and a page of hits after q.After. Bad input is a *matching.Error EINVALID
// naming the search API's parameter ("q" for a query-string syntax error,
// "after" for a malformed cursor).
//
// How it works:
//   - Filters select without scoring, so relevance is the text's alone.
//   - The hits are found as a set before anything is scored: the text's
//     words and the filters evaluated as bitmaps of the segments' postings
//     (see snapshotSets). A search by relevance then scores only the hits,
//     from postings too (see scoreSearch); a text the sets or that scorer
//     do not know (wildcards, fuzzy words) and the other orders are
//     searched by bleve, the filter merged the same way where bleve can
//     (see filtered).
//   - Facets are counted from each value's postings intersected with the
//     hits, or from the hits' doc values when they are few (see
//     countFacets): those whose own filter is inactive on the page's
//     query, each facet with an active filter on the query without that
//     filter, so that its other options stay visible with the counts they
//     would give. The licence facet is a drill-down (licences are all
//     required), and is always counted with every filter.
//   - bleve has no geo-range facet: the distance bands around Near are
//     cumulative counts, one request without hits per inner ring edge
//     (10, 20 … km), the outer edge being the page's total; a band is the
//     difference of two edges. At most five extra counts.
//   - Every order ends with the document id, so that ties are broken the
//     same way on every page, and search-after paging never skips nor
//     repeats a hit. bleve's first page by relevance is asked by score
//     alone and put in that order here (see byScore).
//   - The browse page (no text, no filter) is answered from the segments'
//     dictionaries and postings, its facet counts kept per segment (see
//     browse), instead of a search that visits every document.
//   - Requests run concurrently; a whole Result is cached per normalized
//     query and index generation (see resultCache).
func (ix *Index) Search(ctx context.Context, q Query) (Result, error) {
	start := time.Now()
	n, err := normalize(q)
	if err != nil {
		return Result{}, err
	}
	order, kinds := sortOrder(n)
	after, err := decodeCursor(n.After, n.Sort, kinds)
	if err != nil {
		return Result{}, err
	}
	// The generation is read before searching: a result is never cached
	// under a generation newer than the data it saw.
	gen := ix.Generation()
	r, err := ix.resultCache().do(ctx, gen, cacheKey(n), func() (Result, error) {
		ix.computed.Add(1)
		if isBrowse(n) {
			var afterID string
			if after != nil {
				afterID = after[len(after)-1]
			}
			return ix.browse(n, afterID)
		}
		p, err := newPlan(n)
		if err != nil {
			return Result{}, err
		}
		if n.AnyWord && p.someWords != nil {
			p.text = p.someWords
		}
		r, err := ix.run(ctx, p, order, kinds, after)
		// Searching any word is the user's choice, not done here: it
		// scores every CV holding any of the words, a large part of the
		// index for two common ones, and finds what the user did not ask.
		r.TryAnyWord = err == nil && r.Total == 0 && !n.AnyWord && p.someWords != nil
		return r, err
	})
	if err != nil {
		return Result{}, err
	}
	r.Took = time.Since(start)
	return r, nil
}

// sortKind says what a sort value of a cursor is.
type sortKind int

const (
	sortScore sortKind = iota
	sortID
	sortDistance
	sortDate
)

// sortOrder returns bleve's order for the query and the kind of each value.
// When Near is given the distance is always among the sort values, last if
// it does not order, so that every hit carries its distance.
func sortOrder(q Query) (search.SortOrder, []sortKind) {
	var order search.SortOrder
	var kinds []sortKind
	geo := func() {
		order = append(order, newDistanceSort(q.Near.Lat, q.Near.Lon))
		kinds = append(kinds, sortDistance)
	}
	switch q.Sort {
	case SortDistance:
		geo()
	case SortFreshness:
		order = append(order, &search.SortField{Field: FieldUpdatedAt, Type: search.SortFieldAsString, Desc: true})
		kinds = append(kinds, sortDate)
	default:
		order = append(order, &search.SortScore{Desc: true})
		kinds = append(kinds, sortScore)
	}
	order = append(order, &search.SortDocID{})
	kinds = append(kinds, sortID)
	if q.Near != nil && q.Sort != SortDistance {
		geo()
	}
	return order, kinds
}

// cursor is what Result.Next encodes: the sort and the last hit's values.
type cursor struct {
	Sort   string   `json:"s"`
	Values []string `json:"v"`
}

func encodeCursor(sort string, values []string) string {
	b, _ := json.Marshal(cursor{Sort: sort, Values: values}) // strings only, cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor checks a cursor against the query's order and returns the
// search-after values; "" is the first page.
func decodeCursor(s, sort string, kinds []sortKind) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	bad := func(why string) error {
		return matching.FieldErrorf("after", "is not a cursor of this search (%s): start again from the first page", why)
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad("not base64")
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, bad("not a cursor")
	}
	if c.Sort != sort {
		return nil, bad("another sort order")
	}
	if len(c.Values) != len(kinds) {
		return nil, bad("another sort order")
	}
	for i, k := range kinds {
		v := c.Values[i]
		switch k {
		case sortScore, sortDistance:
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, bad("a sort value is not a number")
			}
		case sortDate:
			if len(v) != nanosWidth || !digits.MatchString(v) {
				return nil, bad("a sort value is not a time")
			}
		case sortID:
			if v == "" || len(v) > 64 {
				return nil, bad("no document id")
			}
		}
	}
	return c.Values, nil
}

// job is one bleve request of a search and its answer.
type job struct {
	req *bleve.SearchRequest
	res *bleve.SearchResult
	err error
	// edge is the ring edge a distance count measures.
	edge float64
}

// run executes the page's request and the extra counting requests
// concurrently and assembles the Result.
func (ix *Index) run(ctx context.Context, p *plan, order search.SortOrder, kinds []sortKind, after []string) (Result, error) {
	q := p.q
	// The page, the facets and the distance bands share the sets of
	// their text and filters (see setsMemo).
	ctx = withSetsMemo(ctx)
	main := bleve.NewSearchRequestOptions(p.query(""), q.Size+1, 0, false)
	main.SortByCustom(order)
	main.SearchAfter = searchAfter(after, kinds)
	// The first page by relevance asks for more hits by score alone (see
	// byScore), which spares loading the id of every hit.
	fast := p.text != nil && q.Sort == SortRelevance && after == nil
	if fast {
		main.Size = 2 * (q.Size + 1)
		main.SortByCustom(scoreOrder(order, kinds))
	}
	if p.text == nil {
		// Without text every hit scores the same: skip scoring.
		main.Score = bleve.ScoreNone
	}
	jobs := []*job{{req: main}}

	// Facets are counted from postings (see countFacets), concurrently
	// with the page: those without a filter of their own on the page's
	// query, each one with a filter on the query without it.
	type facetJob struct {
		names  []string
		query  query.Query
		counts map[string]map[string]int
		err    error
	}
	var fjobs []*facetJob
	var bands []distanceBand
	if q.Facets {
		plain := &facetJob{query: p.query("")}
		for _, name := range facetNames(q) {
			if name == FacetDistance {
				continue
			}
			if _, active := p.facetFilters[name]; !active {
				plain.names = append(plain.names, name)
				continue
			}
			fjobs = append(fjobs, &facetJob{names: []string{name}, query: p.query(name)})
		}
		if len(plain.names) > 0 {
			fjobs = append(fjobs, plain)
		}
		if q.Near != nil {
			bands = distanceBands(q.Near.RadiusKm)
			for _, band := range bands[:len(bands)-1] {
				req := countRequest(p.query("", within(q.Near.Lat, q.Near.Lon, band.ToKm)))
				jobs = append(jobs, &job{req: req, edge: band.ToKm})
			}
		}
	}

	var wg sync.WaitGroup
	for _, j := range jobs[1:] {
		wg.Go(func() { j.res, j.err = ix.bleveIndex().SearchInContext(ctx, j.req) })
	}
	for _, f := range fjobs {
		wg.Go(func() { f.counts, f.err = ix.countFacets(ctx, f.query, f.names) })
	}
	// The page: scored from postings when the search allows (see
	// scoreSearch), else by bleve.
	r, scored, err := ix.scoreSearch(ctx, p, kinds, after)
	if err == nil && !scored {
		jobs[0].res, jobs[0].err = ix.bleveIndex().SearchInContext(ctx, jobs[0].req)
	}
	wg.Wait()
	if err != nil {
		if ctx.Err() != nil {
			return Result{}, ctx.Err()
		}
		return Result{}, fmt.Errorf("index: search: %w", err)
	}
	if scored {
		jobs[0].res = &bleve.SearchResult{Total: r.Total}
	}
	for _, j := range jobs {
		if j.err != nil {
			if ctx.Err() != nil {
				return Result{}, ctx.Err()
			}
			return Result{}, fmt.Errorf("index: search: %w", j.err)
		}
	}
	for _, f := range fjobs {
		if f.err != nil {
			if ctx.Err() != nil {
				return Result{}, ctx.Err()
			}
			return Result{}, fmt.Errorf("index: facets: %w", f.err)
		}
	}

	res := jobs[0].res
	if !scored {
		if fast {
			var err error
			if res, err = byScore(ctx, ix.bleveIndex(), main, res, order, kinds, q.Size+1); err != nil {
				return Result{}, err
			}
		}
		r = Result{Total: res.Total, Hits: make([]Hit, 0, min(len(res.Hits), q.Size))}
		for _, h := range res.Hits[:min(len(res.Hits), q.Size)] {
			hit, err := toHit(h, kinds)
			if err != nil {
				return Result{}, err
			}
			r.Hits = append(r.Hits, hit)
		}
		if len(res.Hits) > q.Size {
			// One hit more than the page was fetched to know that a next
			// page exists; the cursor is the last hit shown.
			r.Next = encodeCursor(q.Sort, sortValues(res.Hits[q.Size-1], kinds))
		}
	}

	if q.Facets {
		r.Facets = map[string][]FacetCount{}
		for _, f := range fjobs {
			for _, name := range f.names {
				r.Facets[name] = facetFromCounts(name, f.counts[name], q)
			}
		}
		cum := map[float64]uint64{}
		for _, j := range jobs[1:] {
			cum[j.edge] = j.res.Total
		}
		if q.Near != nil {
			counts := make([]FacetCount, len(bands))
			var prev uint64
			for i, band := range bands {
				c := res.Total
				if i < len(bands)-1 {
					c = cum[band.ToKm]
				}
				// The requests may see different snapshots if an Apply
				// lands meanwhile: never a negative count.
				c = max(c, prev)
				counts[i] = FacetCount{Value: band.Name, Count: int(c - prev)}
				prev = c
			}
			r.Facets[FacetDistance] = counts
		}
	}
	return r, nil
}

// scoreOrder is order without the document id: the score, and the
// distance when order carries one (for the hits' distances).
func scoreOrder(order search.SortOrder, kinds []sortKind) search.SortOrder {
	out := search.SortOrder{&search.SortScore{Desc: true}}
	for i, k := range kinds {
		if k == sortDistance {
			out = append(out, order[i].Copy())
		}
	}
	return out
}

// byScore turns the answer to a request sorted by score alone (scoreOrder)
// into the first n hits in the query's order: score, then document id.
// bleve breaks ties of score its own way, so the answer is exact when every
// hit that scores as much as the n-th is in it: when the request got every
// hit, or its last one scores less than the n-th. Otherwise (a tie across
// the end of the answer) the request runs again in the query's order.
//
// Sorting by the document id makes bleve load the id of every hit it meets,
// which costs a third of a search that finds many; ties that the margin
// (the request asks for 2n) does not take in are rare.
func byScore(ctx context.Context, b bleve.Index, req *bleve.SearchRequest, res *bleve.SearchResult,
	order search.SortOrder, kinds []sortKind, n int) (*bleve.SearchResult, error) {
	hits := res.Hits
	exact := uint64(len(hits)) >= res.Total || len(hits) < n || hits[len(hits)-1].Score < hits[n-1].Score
	if !exact {
		// Again in the query's order, but only the hits that score at
		// least the n-th (the tie and those above it): bleve loads the id
		// of these alone. Should that find fewer than n (the index
		// changed in between), the whole search runs again.
		again := *req
		again.Query = &atLeast{Inner: req.Query, Score: hits[n-1].Score}
		again.Size = n
		again.Facets = nil
		again.SortByCustom(order)
		r, err := b.SearchInContext(ctx, &again)
		if err == nil && len(r.Hits) < n {
			again.Query = req.Query
			r, err = b.SearchInContext(ctx, &again)
		}
		if err != nil {
			return nil, err
		}
		r.Total, r.Facets = res.Total, res.Facets
		return r, nil
	}
	slices.SortStableFunc(hits, func(a, b *search.DocumentMatch) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.ID, b.ID))
	})
	hits = hits[:min(len(hits), n)]
	for _, h := range hits {
		// The sort values in the query's order: the distance moves to its place.
		sorted := make([]string, len(kinds))
		for i, k := range kinds {
			if k == sortDistance && len(h.DecodedSort) > 1 {
				sorted[i] = h.DecodedSort[1]
			}
		}
		h.DecodedSort = sorted
	}
	out := *res
	out.Hits = hits
	return &out, nil
}

// atLeast keeps the documents of Inner that score at least Score.
type atLeast struct {
	Inner query.Query `json:"inner"`
	Score float64     `json:"score"`
}

// Searcher implements query.Query.
func (q *atLeast) Searcher(ctx context.Context, i bleveindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	s, err := q.Inner.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	return searcher.NewFilteringSearcher(ctx, s, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		return d.Score >= q.Score
	}), nil
}

// countRequest is a request that only counts: no hits, no scores.
func countRequest(q query.Query) *bleve.SearchRequest {
	req := bleve.NewSearchRequestOptions(q, 0, 0, false)
	req.Score = bleve.ScoreNone
	return req
}

// facetNames returns the facets of a result.
func facetNames(q Query) []string {
	names := []string{FacetOccupationGroup, FacetMunicipality, FacetEducation, FacetLanguageLevel,
		FacetLicence, FacetExperience, FacetAvailability}
	if q.Near != nil {
		names = append(names, FacetDistance)
	}
	return names
}

// selectedValues returns the values of a facet the query filters on.
func selectedValues(name string, q Query) []string {
	switch name {
	case FacetMunicipality:
		return q.Municipalities
	case FacetOccupationGroup:
		return q.OccupationGroups
	case FacetEducation:
		return q.EducationLevels
	case FacetLanguageLevel:
		return q.LanguageLevels
	case FacetExperience:
		return q.Experience
	case FacetAvailability:
		return q.Availability
	}
	return nil
}

// searchAfter returns the search-after values of a cursor's values: a
// distance travels in km and is sorted by its prefix-coded form.
func searchAfter(after []string, kinds []sortKind) []string {
	if after == nil {
		return nil
	}
	out := slices.Clone(after)
	for i, k := range kinds {
		if k == sortDistance {
			out[i] = distanceAfter(out[i])
		}
	}
	return out
}

// sortValues returns a hit's sort values in the form SearchAfter takes.
func sortValues(h *search.DocumentMatch, kinds []sortKind) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		switch k {
		case sortScore:
			out[i] = strconv.FormatFloat(h.Score, 'g', -1, 64)
		case sortID:
			out[i] = h.ID
		default:
			if i < len(h.DecodedSort) {
				out[i] = h.DecodedSort[i]
			}
		}
	}
	return out
}

// toHit converts a bleve hit.
func toHit(h *search.DocumentMatch, kinds []sortKind) (Hit, error) {
	id, err := hitCandidateID(h.ID)
	if err != nil {
		return Hit{}, err
	}
	hit := Hit{ID: id, Score: h.Score}
	for i, k := range kinds {
		if k == sortDistance && i < len(h.DecodedSort) {
			if d, err := strconv.ParseFloat(h.DecodedSort[i], 64); err == nil {
				hit.DistanceKm = &d
			}
		}
	}
	return hit, nil
}

// hitCandidateID reads the candidate ID back from a document ID (decimal,
// see candidateDocID).
func hitCandidateID(docID string) (int64, error) {
	return parseDocID([]byte(docID))
}

func isTextField(field string) bool {
	return slices.ContainsFunc(TextFields, func(f struct {
		Field string
		Boost float64
	}) bool {
		return f.Field == field
	})
}

// clone copies a result deeply enough that a caller changing it does not
// change the cached one.
func (r Result) clone() Result {
	c := r
	c.Hits = slices.Clone(r.Hits)
	if r.Facets != nil {
		c.Facets = make(map[string][]FacetCount, len(r.Facets))
		for k, v := range r.Facets {
			c.Facets[k] = slices.Clone(v)
		}
	}
	return c
}

// cacheKey is the identity of a normalized query.
func cacheKey(q Query) string {
	b, _ := json.Marshal(q) // plain data, cannot fail
	return string(b)
}

// resultCacheSize is how many results the cache keeps.
const resultCacheSize = 64

// resultCache keeps the latest results by normalized query, valid for one
// index generation: an Apply or a rebuild bumps the generation and every
// older entry misses from then on (and is dropped when met). It spares the
// facet page that every search screen opens with ("everything, with
// facets"), which otherwise counts every document, from being recomputed
// on each visit; paging and repeated searches benefit too. Identical
// searches that miss at the same time run once (the others wait for it), so
// that a burst of visits right after an Apply costs one count, not one each.
type resultCache struct {
	mu      sync.Mutex
	order   *list.List // of *cacheEntry, most recent first
	byKey   map[string]*list.Element
	flights map[flightKey]*flight
}

type cacheEntry struct {
	key string
	gen uint64
	r   Result
}

type flightKey struct {
	gen uint64
	key string
}

// flight is a search in progress that identical searches wait for.
type flight struct {
	done chan struct{}
	r    Result
	err  error
}

func newResultCache() *resultCache {
	return &resultCache{order: list.New(), byKey: map[string]*list.Element{}, flights: map[flightKey]*flight{}}
}

// do returns the result cached for key at generation gen, or the result of
// the identical search in progress, or runs search and caches its result.
// Errors are not cached. The result is the caller's to change.
func (c *resultCache) do(ctx context.Context, gen uint64, key string, search func() (Result, error)) (Result, error) {
	c.mu.Lock()
	if r, ok := c.getLocked(gen, key); ok {
		c.mu.Unlock()
		return r, nil
	}
	fk := flightKey{gen, key}
	if f, ok := c.flights[fk]; ok {
		c.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return Result{}, ctx.Err()
		}
		if f.err == nil {
			return f.r.clone(), nil
		}
		if ctx.Err() == nil && (errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded)) {
			// The search waited for was cancelled by its own caller.
			return search()
		}
		return Result{}, f.err
	}
	f := &flight{done: make(chan struct{})}
	c.flights[fk] = f
	c.mu.Unlock()

	f.r, f.err = search()

	c.mu.Lock()
	delete(c.flights, fk)
	if f.err == nil {
		c.putLocked(gen, key, f.r)
	}
	c.mu.Unlock()
	close(f.done)
	if f.err != nil {
		return Result{}, f.err
	}
	return f.r.clone(), nil
}

// get returns a copy of the result cached for key at generation gen.
func (c *resultCache) get(gen uint64, key string) (Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.getLocked(gen, key)
}

func (c *resultCache) getLocked(gen uint64, key string) (Result, bool) {
	el, ok := c.byKey[key]
	if !ok {
		return Result{}, false
	}
	e := el.Value.(*cacheEntry)
	if e.gen != gen {
		if e.gen < gen {
			c.order.Remove(el)
			delete(c.byKey, key)
		}
		return Result{}, false
	}
	c.order.MoveToFront(el)
	return e.r.clone(), true
}

// put caches a result, evicting the least recently used beyond the size.
func (c *resultCache) put(gen uint64, key string, r Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(gen, key, r)
}

func (c *resultCache) putLocked(gen uint64, key string, r Result) {
	if el, ok := c.byKey[key]; ok {
		e := el.Value.(*cacheEntry)
		if e.gen > gen {
			return // a search of a newer generation got there first
		}
		e.gen, e.r = gen, r
		c.order.MoveToFront(el)
		return
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry{key: key, gen: gen, r: r})
	for c.order.Len() > resultCacheSize {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*cacheEntry).key)
	}
}

// resultCache returns the index's result cache.
func (ix *Index) resultCache() *resultCache { return ix.results }

// len returns how many results are cached.
func (c *resultCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// ClearCache empties the result cache, so that the next searches are
// computed afresh (the bench measures them both ways).
func (ix *Index) ClearCache() {
	c := ix.results
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.byKey)
}
