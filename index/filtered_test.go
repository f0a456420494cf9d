package index

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	gocmp "github.com/google/go-cmp/cmp"
)

// The filtered query must find and score exactly what bleve's boolean query
// with a filter clause does, whichever side is the more selective.
func TestFilteredScoresAsBlevesFilterClause(t *testing.T) {
	asOf := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ix := newSeededIndex(t, 600, asOf)
	filters := map[string]query.Query{
		"presentable (most)":   term(FieldPresentable, "true"),
		"a licence":            term(FieldLicence, "CE"),
		"a radius":             within(46.07, 11.12, 15),
		"licence and language": allOf([]query.Query{term(FieldLicence, "B"), term(FieldLanguage, "de")}),
		"not a licence":        &query.BooleanQuery{MustNot: term(FieldLicence, "B")},
		"nothing":              noMatch{},
	}
	for _, text := range []string{"cameriere", "cuoco sala", `"aiuto cuoco"`, "muratore -headline:muratore", "magazzino OR haccp", "e"} {
		scored := mustTextQuery(t, text)
		for name, f := range filters {
			t.Run(fmt.Sprintf("%s, %s", text, name), func(t *testing.T) {
				search := func(q query.Query) []Hit {
					res, err := ix.bleveIndex().Search(bleve.NewSearchRequestOptions(q, 1000, 0, false))
					if err != nil {
						t.Fatal(err)
					}
					var out []Hit
					for _, h := range res.Hits {
						id, _ := hitCandidateID(h.ID)
						// bleve's sums may differ in the last place with
						// the path to a document (see quantize).
						out = append(out, Hit{ID: id, Score: quantize(h.Score)})
					}
					slices.SortFunc(out, func(a, b Hit) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID)) })
					return out
				}
				want := search(&query.BooleanQuery{Must: scored, Filter: f})
				got := search(&filtered{Scored: scored, Filter: f})
				if diff := gocmp.Diff(want, got); diff != "" {
					t.Errorf("(-bleve +filtered):\n%s", diff)
				}
			})
		}
	}
}
