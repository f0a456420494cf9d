package index

import (
	"context"
	"math"
	"testing"
	"time"
)

// A search by relevance ranks by the fields a word is in, how rare the word
// is and, for any-word searches, how many of the words a CV holds; its
// scores are the weighted count relevanceScorer documents.
func TestSearchScoresByFieldRarityAndCoordination(t *testing.T) {
	ix := mustOpenIndex(t, t.TempDir())
	var changes []Change
	add := func(id int64, headline, summary string) {
		c := bulkCandidate(id, "")
		c.Headline, c.Summary = headline, summary
		changes = append(changes, upsert(c))
	}
	add(1, "Saldatore", "Lavoro in officina")               // the word in the headline
	add(2, "Operaio", "Esperienza come saldatore")          // in the summary only
	add(3, "Saldatore tig carpentiere", "Saldatura a filo") // every word
	add(4, "Operaio tig", "Saldature speciali in cantiere") // the rare word only
	for id := int64(10); id < 40; id++ {
		add(id, "Carpentiere", "Lavoro in cantiere") // a common word
	}
	mustApply(t, ix, Position{TxID: 1, ID: 1}, changes...)
	search := func(q Query) map[int64]float64 {
		t.Helper()
		q.Size, q.AsOf = MaxPageSize, time.Now()
		r, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]float64{}
		for _, h := range r.Hits {
			out[h.ID] = h.Score
		}
		if uint64(len(out)) != r.Total {
			t.Fatalf("%d hits of %d", len(out), r.Total)
		}
		return out
	}

	one := search(Query{Text: "saldatore"})
	if _, ok := one[4]; ok {
		t.Errorf("a CV without the word is a hit: %v", one)
	}
	if !(one[1] > one[2]) {
		t.Errorf("the headline (%g) should outweigh the summary (%g)", one[1], one[2])
	}
	// boost·idf with N = 34 documents; "saldatore" is in two headlines
	// and one summary.
	idf := func(df float64) float64 { return 1 + math.Log(34/(df+1)) }
	if want := quantize(3 * idf(2)); one[1] != want {
		t.Errorf("headline score %g, want 3·idf = %g", one[1], want)
	}
	if want := quantize(1 * idf(1)); one[2] != want {
		t.Errorf("summary score %g, want 1·idf = %g", one[2], want)
	}

	all := search(Query{Text: "tig carpentiere"})
	if len(all) != 1 || all[3] == 0 {
		t.Errorf("every word is required: %v", all)
	}
	common := search(Query{Text: "carpentiere"})
	any := search(Query{Text: "tig carpentiere", AnyWord: true})
	if !(any[3] > any[4] && any[3] > any[10]) {
		t.Errorf("holding both words should rank first: %v", any)
	}
	if !(any[4] > any[10]) {
		t.Errorf("the rare word (%g) should outweigh the common one (%g)", any[4], any[10])
	}
	if any[10] != quantize(common[10]/2) {
		t.Errorf("one word of two counts half: %g, alone %g", any[10], common[10])
	}
}

// With a place, hits by relevance carry their distance, as the distance
// order measures it.
func TestSearchByRelevanceNearCarriesDistances(t *testing.T) {
	ix := mustOpenIndex(t, t.TempDir())
	var changes []Change
	for id := int64(1); id <= 12; id++ {
		changes = append(changes, upsert(bulkCandidate(id, "saldatore")))
	}
	mustApply(t, ix, Position{TxID: 1, ID: 1}, changes...)
	near := &Near{Lat: 46.07, Lon: 11.12, RadiusKm: 60}
	byDistance, err := ix.Search(context.Background(), Query{Text: "saldatore", Near: near, Sort: SortDistance, Size: 50, AsOf: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	km := map[int64]float64{}
	for _, h := range byDistance.Hits {
		km[h.ID] = *h.DistanceKm
	}
	q := Query{Text: "saldatore", Near: near, Size: 5, AsOf: time.Now()}
	seen := 0
	for {
		r, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range r.Hits {
			seen++
			if h.DistanceKm == nil || *h.DistanceKm != km[h.ID] {
				t.Errorf("hit %d: distance %v, want %g", h.ID, h.DistanceKm, km[h.ID])
			}
		}
		if r.Next == "" {
			break
		}
		q.After = r.Next
	}
	if seen != len(km) || seen == 0 {
		t.Errorf("pages gave %d hits, the distance order %d", seen, len(km))
	}
}
