package index

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"incontro/matching"
)

var applyAsOf = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

// mustOpenIndex opens the index in dir and closes it at the end of the test.
func mustOpenIndex(tb testing.TB, dir string) *Index {
	tb.Helper()
	ix, err := Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// bulkCandidate is a valid, searchable candidate whose headline carries word.
func bulkCandidate(id int64, word string) matching.Candidate {
	start := time.Date(2015+int(id%8), time.Month(1+id%12), 1, 0, 0, 0, 0, time.UTC)
	municipalities := []string{"022205", "022161", "022006", "022050"}
	return matching.Candidate{
		ID:                  id,
		GivenName:           "Nome",
		FamilyName:          fmt.Sprintf("Cognome%d", id),
		Email:               fmt.Sprintf("c%d@example.it", id),
		Headline:            "Cameriere " + word,
		Summary:             "Servizio ai tavoli e accoglienza, candidato " + word,
		HomeMunicipality:    municipalities[id%int64(len(municipalities))],
		MobilityKm:          int(id % 50),
		WorkingTime:         []string{"full_time"},
		ContractPreferences: []string{"permanent"},
		Searchable:          true,
		Presentation:        matching.PresentBlind,
		UpdatedAt:           time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(id) * time.Minute),
		Experiences: []matching.Experience{{OccupationCode: "occ-cameriere-sala", ISCOCode: "5131",
			Title: "Cameriere", StartDate: start}},
		Languages: []matching.LanguageLevel{{Language: "it", Level: "native"}},
		Licences:  []string{"B"},
	}
}

// mustTextQuery is free text as Search searches it: over the text fields.
func mustTextQuery(tb testing.TB, words string) query.Query {
	tb.Helper()
	q, err := textQuery(words)
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

// matchIDs returns the sorted IDs of the candidates whose text matches words.
func matchIDs(tb testing.TB, b bleve.Index, words string) []int64 {
	tb.Helper()
	req := bleve.NewSearchRequestOptions(mustTextQuery(tb, words), 10000, 0, false)
	res, err := b.Search(req)
	if err != nil {
		tb.Fatal(err)
	}
	var ids []int64
	for _, h := range res.Hits {
		id, err := strconv.ParseInt(h.ID, 10, 64)
		if err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func upsert(c matching.Candidate) Change { return Change{CandidateID: c.ID, Candidate: &c} }

func remove(id int64) Change { return Change{CandidateID: id} }

func mustApply(tb testing.TB, ix *Index, pos Position, changes ...Change) {
	tb.Helper()
	if err := ix.Apply(changes, pos, applyAsOf); err != nil {
		tb.Fatal(err)
	}
}

func mustPosition(tb testing.TB, ix *Index) Position {
	tb.Helper()
	p, err := ix.Position()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func mustDocCount(tb testing.TB, ix *Index) uint64 {
	tb.Helper()
	n, err := ix.DocCount()
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func TestApplyUpsertsAndDeletesAndThePositionSurvivesReopening(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p := mustPosition(t, ix); p != (Position{}) {
		t.Errorf("a new index is at %s, want 0/0", p)
	}
	mustApply(t, ix, Position{TxID: 10, ID: 3},
		upsert(bulkCandidate(1, "alfa")), upsert(bulkCandidate(2, "alfa")), upsert(bulkCandidate(3, "alfa")))
	if n := mustDocCount(t, ix); n != 3 {
		t.Errorf("DocCount = %d after three upserts, want 3", n)
	}
	if got := matchIDs(t, ix.bleveIndex(), "alfa"); !slices.Equal(got, []int64{1, 2, 3}) {
		t.Errorf("alfa finds %v, want [1 2 3]", got)
	}

	mustApply(t, ix, Position{TxID: 11, ID: 5}, remove(2), upsert(bulkCandidate(3, "beta")))
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix = mustOpenIndex(t, dir)
	if ix.Rebuilt {
		t.Error("reopening an index that applied changes should not ask for a rebuild")
	}
	if p := mustPosition(t, ix); p != (Position{TxID: 11, ID: 5}) {
		t.Errorf("position after reopening = %s, want 11/5", p)
	}
	if n := mustDocCount(t, ix); n != 2 {
		t.Errorf("DocCount = %d, want 2", n)
	}
	if got := matchIDs(t, ix.bleveIndex(), "alfa"); !slices.Equal(got, []int64{1}) {
		t.Errorf("alfa finds %v after the delete and the update, want [1]", got)
	}
	if got := matchIDs(t, ix.bleveIndex(), "beta"); !slices.Equal(got, []int64{3}) {
		t.Errorf("beta finds %v, want [3]", got)
	}
}

func TestApplyTheLastChangeOfACandidateWins(t *testing.T) {
	ix := mustOpenIndex(t, t.TempDir())
	mustApply(t, ix, Position{TxID: 1, ID: 1}, upsert(bulkCandidate(1, "alfa")), upsert(bulkCandidate(2, "alfa")))

	t.Run("an upsert then a delete removes the candidate", func(t *testing.T) {
		mustApply(t, ix, Position{TxID: 2, ID: 3}, upsert(bulkCandidate(1, "gamma")), remove(1))
		if got := matchIDs(t, ix.bleveIndex(), "alfa"); !slices.Equal(got, []int64{2}) {
			t.Errorf("alfa finds %v, want [2]", got)
		}
		if got := matchIDs(t, ix.bleveIndex(), "gamma"); len(got) != 0 {
			t.Errorf("gamma finds %v, want none", got)
		}
	})
	t.Run("a delete then an upsert keeps the candidate", func(t *testing.T) {
		mustApply(t, ix, Position{TxID: 3, ID: 5}, remove(2), upsert(bulkCandidate(2, "delta")))
		if got := matchIDs(t, ix.bleveIndex(), "delta"); !slices.Equal(got, []int64{2}) {
			t.Errorf("found %v, want [2]", got)
		}
	})
	t.Run("of two upserts the later one is indexed", func(t *testing.T) {
		mustApply(t, ix, Position{TxID: 4, ID: 7}, upsert(bulkCandidate(2, "epsilon")), upsert(bulkCandidate(2, "zeta")))
		if got := matchIDs(t, ix.bleveIndex(), "epsilon"); len(got) != 0 {
			t.Errorf("the earlier upsert is indexed: %v", got)
		}
		if got := matchIDs(t, ix.bleveIndex(), "zeta"); !slices.Equal(got, []int64{2}) {
			t.Errorf("found %v, want [2]", got)
		}
	})
	if n := mustDocCount(t, ix); n != 1 {
		t.Errorf("DocCount = %d, want 1", n)
	}
}

func TestApplyIndexesOnlySearchableCandidates(t *testing.T) {
	ix := mustOpenIndex(t, t.TempDir())
	hidden := bulkCandidate(2, "alfa")
	hidden.Searchable = false
	mustApply(t, ix, Position{TxID: 1, ID: 1}, upsert(bulkCandidate(1, "alfa")), upsert(hidden))
	if got := matchIDs(t, ix.bleveIndex(), "alfa"); !slices.Equal(got, []int64{1}) {
		t.Errorf("found %v, want only the searchable candidate 1", got)
	}

	t.Run("a candidate who stops being searchable is removed", func(t *testing.T) {
		c := bulkCandidate(1, "alfa")
		c.Searchable = false
		mustApply(t, ix, Position{TxID: 2, ID: 2}, upsert(c))
		if n := mustDocCount(t, ix); n != 0 {
			t.Errorf("DocCount = %d, want 0", n)
		}
	})
	t.Run("and comes back when searchable again", func(t *testing.T) {
		mustApply(t, ix, Position{TxID: 3, ID: 3}, upsert(bulkCandidate(1, "alfa")))
		if got := matchIDs(t, ix.bleveIndex(), "alfa"); !slices.Equal(got, []int64{1}) {
			t.Errorf("found %v, want [1]", got)
		}
	})
}

func TestApplyWithoutChangesRecordsThePosition(t *testing.T) {
	ix := mustOpenIndex(t, t.TempDir())
	mustApply(t, ix, Position{TxID: 7, ID: 99})
	if p := mustPosition(t, ix); p != (Position{TxID: 7, ID: 99}) {
		t.Errorf("position = %s, want 7/99", p)
	}
}

func TestApplyRejectsAChangeWhoseCandidateHasAnotherIDAndChangesNothing(t *testing.T) {
	ix := mustOpenIndex(t, t.TempDir())
	mustApply(t, ix, Position{TxID: 1, ID: 1}, upsert(bulkCandidate(1, "alfa")))
	c := bulkCandidate(3, "beta")
	err := ix.Apply([]Change{upsert(bulkCandidate(2, "beta")), {CandidateID: 4, Candidate: &c}}, Position{TxID: 2, ID: 2}, applyAsOf)
	if err == nil {
		t.Fatal("a change of candidate 4 carrying candidate 3 was applied")
	}
	if p := mustPosition(t, ix); p != (Position{TxID: 1, ID: 1}) {
		t.Errorf("position moved to %s on a rejected batch", p)
	}
	if got := matchIDs(t, ix.bleveIndex(), "beta"); len(got) != 0 {
		t.Errorf("a rejected batch indexed %v", got)
	}
}

func TestGenerationChangesWithEveryApply(t *testing.T) {
	ix := mustOpenIndex(t, t.TempDir())
	g0 := ix.Generation()
	mustApply(t, ix, Position{TxID: 1, ID: 1}, upsert(bulkCandidate(1, "alfa")))
	g1 := ix.Generation()
	mustApply(t, ix, Position{TxID: 2, ID: 2})
	g2 := ix.Generation()
	if g0 == g1 || g1 == g2 || g0 == g2 {
		t.Errorf("generations %d, %d, %d should all differ", g0, g1, g2)
	}
}

func TestApplyToAClosedIndexFails(t *testing.T) {
	ix := mustOpenIndex(t, t.TempDir())
	ix.Close()
	if err := ix.Apply([]Change{upsert(bulkCandidate(1, "alfa"))}, Position{TxID: 1, ID: 1}, applyAsOf); err == nil {
		t.Error("Apply on a closed index succeeded")
	}
	if err := ix.Close(); err != nil {
		t.Errorf("closing twice: %v", err)
	}
}
