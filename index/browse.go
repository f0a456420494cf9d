package index

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// isBrowse reports whether a normalized query is the browse page: every
// candidate (every presentable one, unless asked otherwise) in id order,
// with no text, filter or place. browse answers it without a search.
func isBrowse(q Query) bool {
	return q.Text == "" && len(q.Occupations) == 0 && len(q.Skills) == 0 && len(q.Languages) == 0 &&
		len(q.Licences) == 0 && q.MinEducation == 0 && q.AvailableBy == nil && q.Near == nil &&
		len(q.Contracts) == 0 && len(q.Municipalities) == 0 && len(q.OccupationGroups) == 0 &&
		len(q.EducationLevels) == 0 && len(q.LanguageLevels) == 0 && len(q.Experience) == 0 &&
		len(q.Availability) == 0 && q.Sort == SortRelevance
}

// browse answers the browse page (see isBrowse) from the segments of the
// index instead of a search, which would visit every document: the page
// of hits from the dictionary of document ids, which is in id order, and
// each facet value's count over the candidates shown, kept per segment
// (from the facet columns, see facetColumns). Its result is the one the search gives: every hit
// scores 0, ties broken by id.
//
// after is the id of the last hit of the previous page ("" for the first).
func (ix *Index) browse(q Query, after string) (Result, error) {
	snap, release, err := ix.snapshot()
	if err != nil {
		return Result{}, err
	}
	defer release()

	var (
		r     = Result{Hits: []Hit{}}
		found []string
		terms = map[string]map[string]int{} // by facet
	)
	seen := map[segment.Segment]bool{}
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		seen[seg] = true
		base, err := ix.browseCache.of(seg, q.IncludeNotPresentable, ix.countField)
		if err != nil {
			return Result{}, err
		}
		shown := base.docs
		deleted := ss.Deleted()
		if deleted != nil && !deleted.IsEmpty() {
			shown = roaring.AndNot(base.docs, deleted)
		}
		r.Total += shown.GetCardinality()
		ids, err := firstIDs(seg, shown, after, q.Size+1)
		if err != nil {
			return Result{}, err
		}
		found = append(found, ids...)
		if !q.Facets {
			continue
		}
		if err := base.addLive(seg, deleted, terms, ix.countField); err != nil {
			return Result{}, err
		}
	}
	ix.browseCache.keepOnly(seen)
	slices.Sort(found)
	for _, id := range found[:min(len(found), q.Size)] {
		cid, err := hitCandidateID(id)
		if err != nil {
			return Result{}, err
		}
		r.Hits = append(r.Hits, Hit{ID: cid})
	}
	if len(found) > q.Size {
		r.Next = encodeCursor(q.Sort, []string{"0", found[q.Size-1]})
	}
	if q.Facets {
		r.Facets = map[string][]FacetCount{}
		for _, name := range facetNames(q) {
			r.Facets[name] = countsToFacet(name, terms[name], q)
		}
	}
	return r, nil
}

// facetField returns the field a facet counts.
func facetField(name string) string {
	for _, tf := range termFacets {
		if tf.Name == name {
			return tf.Field
		}
	}
	switch name {
	case FacetExperience:
		return fieldExperienceBand
	case FacetAvailability:
		return FieldAvailableFrom
	}
	return ""
}

// browseCache keeps, per segment, what the browse page needs of it, deleted
// documents included: a segment never changes, only which of its
// documents are deleted. Segments that are gone are dropped.
type browseCache struct {
	mu   sync.Mutex
	segs map[browseKey]*segmentCounts
}

type browseKey struct {
	seg segment.Segment
	all bool // not presentable too
}

// segmentCounts are a segment's documents that the browse page shows
// (presentable ones, or all), deleted ones included, and how many of them
// have each term of each facet's field, by facet.
type segmentCounts struct {
	docs   *roaring.Bitmap
	counts map[string]map[string]int

	// Documents are deleted from a segment, never undeleted: live are the
	// counts without the deleted documents seen so far, so that each
	// browse takes out only the documents deleted since the last one.
	mu      sync.Mutex
	deleted *roaring.Bitmap // of docs
	live    map[string]map[string]int
}

// addLive adds to counts, by facet, the segment's counts without its
// deleted documents.
func (sc *segmentCounts) addLive(seg segment.Segment, deleted *roaring.Bitmap, counts map[string]map[string]int, count fieldCounter) error {
	del := roaring.New()
	if deleted != nil {
		del = roaring.And(deleted, sc.docs)
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	live := sc.live
	switch {
	case live == nil || !roaring.AndNot(sc.deleted, del).IsEmpty():
		// The first browse of the segment, or one of an older snapshot,
		// which deleted less: from the counts of all.
		live = cloneCounts(sc.counts)
		if err := uncount(count, seg, del, live); err != nil {
			return err
		}
		if sc.live == nil {
			sc.live, sc.deleted = live, del
		}
	case del.GetCardinality() > sc.deleted.GetCardinality():
		if err := uncount(count, seg, roaring.AndNot(del, sc.deleted), live); err != nil {
			sc.live, sc.deleted = nil, nil // partly taken out: start again
			return err
		}
		sc.deleted = del
	}
	for name, c := range live {
		if counts[name] == nil {
			counts[name] = map[string]int{}
		}
		for term, n := range c {
			counts[name][term] += n
		}
	}
	return nil
}

func cloneCounts(c map[string]map[string]int) map[string]map[string]int {
	out := make(map[string]map[string]int, len(c))
	for name, terms := range c {
		out[name] = maps.Clone(terms)
	}
	return out
}

// fieldCounter adds to counts, for each value of a segment's field, how
// many of docs have it (see Index.countField).
type fieldCounter func(seg segment.Segment, field string, docs *roaring.Bitmap, counts map[string]int) error

// of returns the counts of a segment, computing them the first time.
func (c *browseCache) of(seg segment.Segment, all bool, count fieldCounter) (*segmentCounts, error) {
	key := browseKey{seg, all}
	c.mu.Lock()
	sc, ok := c.segs[key]
	c.mu.Unlock()
	if ok {
		return sc, nil
	}
	sc = &segmentCounts{counts: map[string]map[string]int{}}
	if all {
		sc.docs = roaring.New()
		sc.docs.AddRange(0, seg.Count())
	} else {
		dict, err := seg.Dictionary(FieldPresentable)
		if err != nil {
			return nil, err
		}
		docs, err := postingsDocs(dict, "true")
		if err != nil {
			return nil, err
		}
		sc.docs = docs.Clone() // kept: not the segment's own

	}
	for _, name := range browseFacets {
		sc.counts[name] = map[string]int{}
		if err := count(seg, facetField(name), sc.docs, sc.counts[name]); err != nil {
			return nil, err
		}
	}
	c.mu.Lock()
	if c.segs == nil {
		c.segs = map[browseKey]*segmentCounts{}
	}
	c.segs[key] = sc
	c.mu.Unlock()
	return sc, nil
}

// keepOnly drops the counts of the segments not in seen.
func (c *browseCache) keepOnly(seen map[segment.Segment]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	dropGone(c.segs, func(k browseKey) segment.Segment { return k.seg }, seen)
}

// browseFacets are the facets of the browse page: every facet but the
// distance, which needs a place.
var browseFacets = []string{FacetOccupationGroup, FacetMunicipality, FacetEducation, FacetLanguageLevel,
	FacetLicence, FacetExperience, FacetAvailability}

// uncount takes the given documents of a segment out of the counts.
func uncount(count fieldCounter, seg segment.Segment, docs *roaring.Bitmap, counts map[string]map[string]int) error {
	if docs.IsEmpty() {
		return nil
	}
	for _, name := range browseFacets {
		c := counts[name]
		if c == nil {
			continue
		}
		gone := map[string]int{}
		if err := count(seg, facetField(name), docs, gone); err != nil {
			return err
		}
		for term, n := range gone {
			c[term] -= n
		}
	}
	return nil
}

// firstIDs returns, in order, up to n document ids of a segment's shown
// documents that come after the id after.
func firstIDs(seg segment.Segment, shown *roaring.Bitmap, after string, n int) ([]string, error) {
	dict, err := seg.Dictionary("_id")
	if err != nil {
		return nil, err
	}
	var start []byte
	if after != "" {
		start = append([]byte(after), 0) // just past it
	}
	var out []string
	if n <= 0 {
		return out, nil
	}
	err = eachTerm(dict, start, nil, func(term string) (bool, error) {
		docs, err := postingsDocs(dict, term)
		if err != nil {
			return false, err
		}
		if docs.Intersects(shown) {
			out = append(out, term)
		}
		return len(out) < n, nil
	})
	return out, err
}

// countsToFacet turns the count of each term of a facet's field into the
// facet's values, as facetCounts does with bleve's facet result: the top
// values by count (ties by value) of a keyword facet, every band of a band
// facet.
func countsToFacet(name string, counts map[string]int, q Query) []FacetCount {
	switch name {
	case FacetExperience, FacetAvailability:
		return bandCounts(name, counts, q)
	}
	out := make([]FacetCount, 0, len(counts))
	for v, n := range counts {
		if n > 0 {
			out = append(out, FacetCount{Value: v, Count: n})
		}
	}
	slices.SortFunc(out, func(a, b FacetCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
	})
	for _, tf := range termFacets {
		if tf.Name == name && len(out) > tf.Size {
			out = out[:tf.Size]
		}
	}
	return out
}

// bandCounts sums the counts of the terms of a band facet into its bands:
// experience band names, or availability days.
func bandCounts(name string, counts map[string]int, q Query) []FacetCount {
	got := map[string]int{}
	names := ExperienceBands()
	if name == FacetAvailability {
		names = AvailabilityBands()
	}
	var bands []dateBand
	if name == FacetAvailability {
		bands = availabilityRanges(q.AsOf)
	}
	for term, n := range counts {
		if n <= 0 {
			continue
		}
		if name == FacetExperience {
			got[term] += n
			continue
		}
		for _, b := range bands {
			if (b.Start.IsZero() || term >= dayKey(b.Start)) && (b.End.IsZero() || term < dayKey(b.End)) {
				got[b.Name] += n
				break
			}
		}
	}
	out := make([]FacetCount, 0, len(names))
	for _, n := range names {
		out = append(out, FacetCount{Value: n, Count: got[n]})
	}
	return out
}

// snapshot returns the current snapshot of the live index, and a function
// that releases it. A Swap waits for the snapshots taken before it.
func (ix *Index) snapshot() (*scorch.IndexSnapshot, func(), error) {
	ix.curMu.RLock()
	if ix.cur == nil {
		ix.curMu.RUnlock()
		return nil, nil, errors.New("index: closed")
	}
	adv, err := ix.cur.Advanced()
	if err != nil {
		ix.curMu.RUnlock()
		return nil, nil, fmt.Errorf("index: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		ix.curMu.RUnlock()
		return nil, nil, fmt.Errorf("index: %w", err)
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		r.Close()
		ix.curMu.RUnlock()
		return nil, nil, fmt.Errorf("index: the index is not a scorch index but %T", r)
	}
	return snap, func() {
		snap.Close()
		ix.curMu.RUnlock()
	}, nil
}
