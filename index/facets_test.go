package index

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	gocmp "github.com/google/go-cmp/cmp"
)

// maxFacetDays is more than the days of availability a facet meets.
const maxFacetDays = 100000

// selectedSuffix names the companion facet that counts the selected values
// of a facet, so that they stay visible even outside its top values.
const selectedSuffix = "#selected"

// addFacet adds the bleve facet of the name to a request.
func addFacet(req *bleve.SearchRequest, name string, q Query) {
	for _, tf := range termFacets {
		if tf.Name == name {
			req.AddFacet(name, bleve.NewFacetRequest(tf.Field, tf.Size))
			return
		}
	}
	switch name {
	case FacetExperience:
		req.AddFacet(name, bleve.NewFacetRequest(fieldExperienceBand, len(experienceBands)))
	case FacetAvailability:
		// Every day, summed into the bands by facetCounts.
		req.AddFacet(name, bleve.NewFacetRequest(FieldAvailableFrom, maxFacetDays))
	}
}

// addSelected adds, for a keyword facet with selected values, a facet that
// counts exactly those values.
func addSelected(req *bleve.SearchRequest, name string, q Query) {
	sel := selectedValues(name, q)
	if len(sel) == 0 {
		return
	}
	for _, tf := range termFacets {
		if tf.Name == name {
			quoted := make([]string, len(sel))
			for i, v := range sel {
				quoted[i] = regexp.QuoteMeta(v)
			}
			fr := bleve.NewFacetRequest(tf.Field, len(sel))
			fr.SetRegexFilter("^(?:" + strings.Join(quoted, "|") + ")$")
			req.AddFacet(name+selectedSuffix, fr)
		}
	}
}

// facetCounts converts a bleve facet: keyword values by count (then value),
// bands in their own order with every band present.
func facetCounts(fr search.FacetResults, name string, q Query) []FacetCount {
	f := fr[name]
	out := []FacetCount{}
	switch name {
	case FacetExperience, FacetAvailability:
		counts := map[string]int{}
		for _, t := range f.Terms.Terms() {
			counts[t.Term] += t.Count
		}
		return bandCounts(name, counts, q)
	}
	for _, t := range f.Terms.Terms() {
		out = append(out, FacetCount{Value: t.Term, Count: t.Count})
	}
	if sel := selectedValues(name, q); len(sel) > 0 {
		var counted map[string]int
		if s := fr[name+selectedSuffix]; s != nil {
			counted = map[string]int{}
			for _, t := range s.Terms.Terms() {
				counted[t.Term] = t.Count
			}
		}
		for _, v := range sel {
			if !slices.ContainsFunc(out, func(fc FacetCount) bool { return fc.Value == v }) {
				out = append(out, FacetCount{Value: v, Count: counted[v]})
			}
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

// bleveFacets counts a query's facets with bleve's own facets, as the
// search did before countFacets: the oracle countFacets is checked against.
func bleveFacets(t *testing.T, ix *Index, q Query) map[string][]FacetCount {
	t.Helper()
	p := mustPlan(t, q)
	n := p.q
	out := map[string][]FacetCount{}
	for _, name := range facetNames(n) {
		if name == FacetDistance {
			continue
		}
		except := ""
		if _, active := p.facetFilters[name]; active {
			except = name
		}
		req := countRequest(p.query(except))
		addFacet(req, name, n)
		addSelected(req, name, n)
		res, err := ix.bleveIndex().SearchInContext(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = facetCounts(res.Facets, name, n)
	}
	return out
}

// The facets counted from the facet columns and from postings are bleve's
// own, with and without text, filters and selected values, on an index of
// several segments with deletions.
func TestFacetsCountAsBleves(t *testing.T) {
	ix := newSeededIndex(t, 3000, classesAsOf)
	queries := []Query{
		{Text: "cameriere"},
		{Text: "addetto"},
		{Text: "cuoco sala", Licences: []string{"B"}},
		{Text: "e"}, // stop words only: every presentable CV
		{Text: "magazzino OR haccp", OccupationGroups: []string{"93", "51"}, EducationLevels: []string{"3"}},
		{Text: "muratore", Near: &Near{Lat: 46.07, Lon: 11.12, RadiusKm: 30}, Availability: []string{"now"}},
		{Languages: []LanguageFilter{{Language: "de", MinLevel: "B1"}}, Municipalities: []string{"022205", "022006"}},
		{Experience: []string{"10+"}, LanguageLevels: []string{"en:B2"}},
		{Text: "infermiere", IncludeNotPresentable: true},
	}
	defer func(on bool) { facetsFromColumns = on }(facetsFromColumns)
	for _, columns := range []bool{true, false} {
		// Every segment's hits counted from the facet columns, then from
		// postings.
		facetsFromColumns = columns
		ix.ClearCache()
		for _, q := range queries {
			q.AsOf, q.Facets = classesAsOf, true
			t.Run(fmt.Sprintf("%s/columns=%v", q.Text, columns), func(t *testing.T) {
				got, err := ix.Search(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				want := bleveFacets(t, ix, q)
				delete(got.Facets, FacetDistance)
				if diff := gocmp.Diff(want, got.Facets); diff != "" {
					t.Errorf("facets (-bleve +postings):\n%s", diff)
				}
				total := 0
				for _, fc := range got.Facets[FacetEducation] {
					total += fc.Count
				}
				if total == 0 && got.Total > 0 {
					t.Errorf("no education counted for %d hits", got.Total)
				}
			})
		}
	}
}
