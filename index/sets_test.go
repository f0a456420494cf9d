package index

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"incontro/seed"
)

// bleveOnly is the same query as q for bleve's own searchers: a filtered
// query becomes bleve's boolean query with a filter clause.
// mustPlan returns the plan of a query, normalized (its p.q).
func mustPlan(tb testing.TB, q Query) *plan {
	tb.Helper()
	n, err := normalize(q)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := newPlan(n)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func bleveOnly(q query.Query) query.Query {
	if f, ok := q.(*filtered); ok {
		return &query.BooleanQuery{Must: f.Scored, Filter: f.Filter}
	}
	return q
}

// The sets evaluated from postings hold exactly the documents bleve's own
// searchers find, for the queries of searches and of recalls (NOT, at
// least m-1 of m, radii, ranges, words on several fields), on an index of
// several segments with deletions; and the queries the sets do not know
// are left to bleve.
func TestSetsFindWhatBleveFinds(t *testing.T) {
	ix := newSeededIndex(t, 1500, classesAsOf)
	var qs []query.Query
	for _, cls := range []string{"a_text", "b_text_facets", "c_text_radius"} {
		for _, q := range classQueries(15)[cls] {
			p := mustPlan(t, q)
			qs = append(qs, p.query(""))
			for name := range p.facetFilters {
				qs = append(qs, p.query(name))
			}
		}
	}
	g, err := seed.New(seed.Options{Seed: 3, Candidates: 10, AsOf: classesAsOf})
	if err != nil {
		t.Fatal(err)
	}
	_, sectors := g.Employers()
	for i := range 40 {
		v := g.Vacancy(i%len(sectors), i/len(sectors)%3, sectors[i%len(sectors)])
		// Every requirement essential, so that every filter is there.
		for j := range v.Requirements {
			v.Requirements[j].Essential = v.Requirements[j].Essential || i%2 == 0
		}
		p, err := newRecallPlan(RecallQuery{Vacancy: v, AsOf: classesAsOf}, vocabulary{})
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, p.hitsQuery())
		qs = append(qs, p.nearMissQueries()...)
	}
	known, found := 0, 0
	snap, release, err := ix.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	for i, q := range qs {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			sets, ok, err := snapshotSets(context.Background(), snap.Segments(), q)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				return
			}
			known++
			var got []string
			var start uint64
			for k, ss := range snap.Segments() {
				for it := sets[k].Iterator(); it.HasNext(); {
					id, err := snap.ExternalID(bleveindex.NewIndexInternalID(nil, start+uint64(it.Next())))
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, id)
				}
				start += ss.Segment().Count()
			}
			req := bleve.NewSearchRequestOptions(bleveOnly(q), 100000, 0, false)
			req.Score = bleve.ScoreNone
			res, err := ix.bleveIndex().Search(req)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, h := range res.Hits {
				want = append(want, h.ID)
			}
			slices.Sort(got)
			slices.Sort(want)
			if len(got) > 0 {
				found++
			}
			if !slices.Equal(got, want) {
				t.Errorf("sets found %d documents, bleve %d", len(got), len(want))
			}
		})
	}
	if known < len(qs)*9/10 {
		t.Errorf("the sets knew %d of %d queries", known, len(qs))
	}
	if found < known/2 {
		t.Errorf("only %d of %d sets found anything: the comparison says little", found, known)
	}
	t.Logf("the sets knew %d of %d queries, %d found documents", known, len(qs), found)

	// A wildcard is bleve's business.
	if _, ok, err := snapshotSets(context.Background(), snap.Segments(), mustTextQuery(t, "cuoc*")); ok || err != nil {
		t.Errorf("a wildcard was evaluated as a set (err %v)", err)
	}
}
