package index

import (
	"context"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// facetsFromColumns makes countFacets read the facet columns (see
// facetColumns); tests turn it off to check them against the postings.
var facetsFromColumns = true

// countFacets counts, for each named facet, how many documents q finds
// with each value of the facet's field. q is searched without scores (its
// filters and words merged as postings, see snapshotSets); each segment's
// hits are then counted from the facet columns (see facetColumns), or from
// each value's postings for a field with too many values for a column.
// bleve's facets read the doc values of every hit, which for a text that
// 20,000 CVs of a million hold costs several times the search itself.
func (ix *Index) countFacets(ctx context.Context, q query.Query, names []string) (map[string]map[string]int, error) {
	snap, release, err := ix.snapshot()
	if err != nil {
		return nil, err
	}
	defer release()
	segs := snap.Segments()
	docs, err := docSets(ctx, snap, ix.bleveIndex().Mapping(), q)
	if err != nil {
		return nil, err
	}

	counts := make(map[string]map[string]int, len(names))
	fields := make([]string, len(names))
	for i, name := range names {
		counts[name] = map[string]int{}
		fields[i] = facetField(name)
	}
	live := make(map[segment.Segment]bool, len(segs))
	for i, bm := range docs {
		seg := segs[i].Segment()
		live[seg] = true
		if bm.IsEmpty() {
			continue
		}
		for j, field := range fields {
			if err := ix.countField(seg, field, bm, counts[names[j]]); err != nil {
				return nil, err
			}
		}
	}
	ix.facetCols.keepOnly(live)
	return counts, nil
}

// countField adds to counts, for each value of a segment's field, how many
// of docs have it: from the field's facet column (see facetColumns), or
// from its postings for a field with too many values for a column.
func (ix *Index) countField(seg segment.Segment, field string, docs *roaring.Bitmap, counts map[string]int) error {
	if facetsFromColumns {
		col, err := ix.facetCols.of(seg, field)
		if err != nil {
			return err
		}
		if col != nil {
			col.count(docs, counts)
			return nil
		}
	}
	return countPostings(seg, field, docs, counts)
}

// countPostings adds to counts, for each term of a segment's field, how
// many of docs have it, intersecting docs with the term's postings.
func countPostings(seg segment.Segment, field string, docs *roaring.Bitmap, counts map[string]int) error {
	dict, err := seg.Dictionary(field)
	if err != nil {
		return err
	}
	return eachTerm(dict, nil, nil, func(term string) (bool, error) {
		with, err := postingsDocs(dict, term)
		if err != nil {
			return false, err
		}
		if n := with.AndCardinality(docs); n > 0 {
			counts[term] += int(n)
		}
		return true, nil
	})
}

// facetFromCounts turns the counts of a facet's values into the facet as
// facetCounts does with bleve's: the top values by count (ties by value)
// and the selected ones of a keyword facet, every band of a band facet.
func facetFromCounts(name string, counts map[string]int, q Query) []FacetCount {
	out := countsToFacet(name, counts, q)
	switch name {
	case FacetExperience, FacetAvailability:
		return out
	}
	for _, v := range selectedValues(name, q) {
		if !slices.ContainsFunc(out, func(fc FacetCount) bool { return fc.Value == v }) {
			out = append(out, FacetCount{Value: v, Count: counts[v]})
		}
	}
	slices.SortStableFunc(out, func(a, b FacetCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out
}
