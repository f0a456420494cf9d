package index

import (
	"context"
	"slices"
	"testing"
	"time"

	"incontro/reference"
)

// A radius (homesWithin) follows every change of an index of several
// segments: the candidates found within it are those a brute-force
// distance keeps, after deletions and moves, with and without text, the
// second time as the first.
func TestHomesWithinOverSegmentsAndDeletions(t *testing.T) {
	ix := mustOpenIndex(t, t.TempDir())
	homes := map[int64]string{}
	tx := int64(1)
	apply := func(changes ...Change) {
		t.Helper()
		mustApply(t, ix, Position{TxID: uint64(tx), ID: tx}, changes...)
		tx++
	}
	// Five batches, so five segments at least (bulkCandidate spreads them
	// over Trento, Rovereto, Arco and Cles).
	for batch := int64(0); batch < 5; batch++ {
		var changes []Change
		for id := batch*40 + 1; id <= batch*40+40; id++ {
			c := bulkCandidate(id, "alfa")
			homes[id] = c.HomeMunicipality
			changes = append(changes, upsert(c))
		}
		apply(changes...)
	}
	lat, lon := municipalityPoint("022205") // Trento
	want := func() []int64 {
		var out []int64
		for id, code := range homes {
			m, _ := reference.MunicipalityByCode(code)
			if reference.HaversineKm(lat, lon, m.Lat, m.Lon) <= 25 {
				out = append(out, id)
			}
		}
		slices.Sort(out)
		return out
	}
	check := func(step string) {
		t.Helper()
		for _, text := range []string{"", "alfa"} {
			for round := range 2 {
				ix.ClearCache()
				r, err := ix.Search(context.Background(), Query{Text: text, Near: &Near{Lat: lat, Lon: lon, RadiusKm: 25},
					Size: MaxPageSize, AsOf: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
				if err != nil {
					t.Fatal(err)
				}
				got := hitIDs(r)
				slices.Sort(got)
				if w := want(); !slices.Equal(got, w) || int(r.Total) != len(w) {
					t.Errorf("%s, text %q, round %d: %d found (total %d), want %d\n got  %v\n want %v", step, text, round, len(got), r.Total, len(w), got, w)
				}
			}
		}
	}
	check("five batches")

	// Deletions in the first and the last segment, moves to Trento and away.
	var changes []Change
	for _, id := range []int64{1, 5, 9, 161, 165, 200} {
		changes = append(changes, remove(id))
		delete(homes, id)
	}
	for _, id := range []int64{2, 3, 4, 122, 123} {
		c := bulkCandidate(id, "alfa")
		c.HomeMunicipality = "022205"
		if id%2 == 1 {
			c.HomeMunicipality = "022062" // Cles, far from Trento
		}
		homes[id] = c.HomeMunicipality
		changes = append(changes, upsert(c))
	}
	apply(changes...)
	check("after deletions and moves")
	if len(want()) == 0 || len(want()) == len(homes) {
		t.Fatalf("the radius keeps %d of %d: the test proves nothing", len(want()), len(homes))
	}
}
