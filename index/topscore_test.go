package index

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"incontro/seed"
)

// topBySignature gives the pages topByScore gives from every hit scored:
// the same hits, scores and order, first pages and pages after a cursor,
// for every-word and any-word searches, on an index of several segments
// with deletions.
func TestTopBySignatureIsTopByScore(t *testing.T) {
	ix := newSeededIndex(t, 1500, classesAsOf)
	var qs []Query
	for _, cls := range []string{"a_text", "b_text_facets", "c_text_radius"} {
		for _, q := range classQueries(20)[cls] {
			qs = append(qs, q)
			if cls == "a_text" {
				q.AnyWord = true
				qs = append(qs, q)
			}
		}
	}
	qs = append(qs, Query{Text: "cuoco cameriere barista", AnyWord: true, AsOf: classesAsOf},
		Query{Text: "addetto", AsOf: classesAsOf}, Query{Text: "operaio magazziniere", AnyWord: true, AsOf: classesAsOf})

	snap, release, err := ix.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	compared, ties, paged := 0, 0, 0
	for i, q := range qs {
		t.Run(fmt.Sprint(i, " ", q.Text), func(t *testing.T) {
			p := mustPlan(t, q)
			clauses, ok := textClauses(p.text)
			if !ok {
				t.Fatalf("the text %q does not flatten", q.Text)
			}
			sets, ok, err := snapshotSets(context.Background(), snap.Segments(), p.query(""))
			if err != nil || !ok {
				t.Fatalf("sets: %v %v", ok, err)
			}
			rs, err := newRelevanceScorer(snap, clauses)
			if err != nil {
				t.Fatal(err)
			}
			all, err := scoreEvery(snap.Segments(), sets, rs)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) == 0 {
				return
			}
			compared++
			for _, size := range []int{1, 7, 25, 200} {
				var from *afterDoc
				for page := 0; page < 4; page++ {
					want, err := ix.topByScore(snap, slices.Clone(all), size, from)
					if err != nil {
						t.Fatal(err)
					}
					got, ok, err := ix.topBySignature(context.Background(), snap, sets, rs, size, from)
					if err != nil || !ok {
						t.Fatalf("topBySignature: %v %v", ok, err)
					}
					if !slices.Equal(got, want) {
						t.Fatalf("size %d, page %d after %v:\n got %v\nwant %v", size, page, from, got, want)
					}
					if len(want) > 1 && want[0].score == want[len(want)-1].score {
						ties++
					}
					if len(want) < size {
						break
					}
					if page > 0 {
						paged++
					}
					last := want[len(want)-1]
					from = &afterDoc{score: last.score, id: last.id}
				}
			}
		})
	}
	if compared < 20 || ties == 0 || paged == 0 {
		t.Errorf("compared %d queries of %d, %d pages all ties, %d pages after a cursor: the comparison says little", compared, len(qs), ties, paged)
	}
	t.Logf("compared %d queries, %d pages all ties, %d pages after a cursor", compared, ties, paged)
}

// The same for recalls: a vacancy's relevance (its occupation, skills and
// the rest, core and extra clauses) over its hits and its near misses, for
// a recall's K and shorter lists.
func TestTopBySignatureIsTopByScoreForRecalls(t *testing.T) {
	ix := newSeededIndex(t, 1500, classesAsOf)
	g, err := seed.New(seed.Options{Seed: 5, Candidates: 10, AsOf: classesAsOf})
	if err != nil {
		t.Fatal(err)
	}
	_, sectors := g.Employers()
	snap, release, err := ix.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	m := ix.bleveIndex().Mapping()
	compared, extra, most := 0, 0, 0
	for i := range 40 {
		v := g.Vacancy(i%len(sectors), i/len(sectors)%3, sectors[i%len(sectors)])
		p, err := newRecallPlan(RecallQuery{Vacancy: v, AsOf: classesAsOf}, vocabulary{})
		if err != nil {
			t.Fatal(err)
		}
		if p.relevance == nil {
			continue
		}
		clauses, ok := relevanceClauses(p.relevance)
		if !ok {
			t.Fatalf("vacancy %d: the relevance does not flatten", i)
		}
		rs, err := newRelevanceScorer(snap, clauses)
		if err != nil {
			t.Fatal(err)
		}
		if rs.extra > 0 {
			extra++
		}
		most = max(most, len(rs.terms()))
		for _, qs := range [][]query.Query{{p.hitsQuery()}, p.nearMissQueries()} {
			if len(qs) == 0 {
				continue
			}
			docs := make([]*roaring.Bitmap, len(snap.Segments()))
			for k := range docs {
				docs[k] = roaring.New()
			}
			for _, q := range qs {
				got, err := docSets(context.Background(), snap, m, q)
				if err != nil {
					t.Fatal(err)
				}
				for k := range docs {
					docs[k].Or(got[k])
				}
			}
			all, err := scoreEvery(snap.Segments(), docs, rs)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) == 0 {
				continue
			}
			compared++
			for _, n := range []int{1, 10, 500} {
				want, err := ix.topByScore(snap, slices.Clone(all), n, nil)
				if err != nil {
					t.Fatal(err)
				}
				got, ok, err := ix.topBySignature(context.Background(), snap, docs, rs, n, nil)
				if err != nil || !ok {
					t.Fatalf("vacancy %d: topBySignature: %v %v (%d terms)", i, ok, err, len(rs.terms()))
				}
				if !slices.Equal(got, want) {
					t.Fatalf("vacancy %d, n %d:\n got %v\nwant %v", i, n, got, want)
				}
			}
		}
	}
	if compared < 30 || extra == 0 {
		t.Errorf("compared %d lists, %d vacancies with extra clauses: the comparison says little", compared, extra)
	}
	t.Logf("compared %d lists; the most terms of a relevance %d", compared, most)
}
