package matcher_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"incontro/index"
	"incontro/matcher"
	"incontro/matching"
	"incontro/store"
	"incontro/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

var today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// world is a store with an employer, a cook vacancy and n cooks, and an
// index that has seen them.
func world(t *testing.T, n int) (*store.DB, *index.Index, matching.Vacancy, []matching.Candidate) {
	t.Helper()
	ctx := context.Background()
	db := store.New(storetest.MustDB(t))
	db.Now = func() time.Time { return today.Add(9 * time.Hour) }
	p := matching.Provider{Code: "cpi", Name: "Centro per l'impiego", Kind: matching.PublicCentre, MunicipalityCode: "022205"}
	if err := db.CreateProvider(ctx, &p); err != nil {
		t.Fatal(err)
	}
	e := matching.Employer{Name: "Hotel", TaxCode: "00000010009", ATECOCode: "55.10.00", MunicipalityCode: "022205",
		Email: "hotel@example.org", ProviderID: &p.ID}
	if err := db.CreateEmployer(ctx, &e); err != nil {
		t.Fatal(err)
	}
	years := 2.0
	v := matching.Vacancy{EmployerID: e.ID, Title: "Cuoco", OccupationCode: "occ-cuoco", ISCOCode: "5120", MunicipalityCode: "022205",
		ContractType: "permanent", Requirements: []matching.Requirement{
			{Rank: 1, Kind: matching.ReqOccupation, Code: "occ-cuoco", MinYears: &years},
			{Rank: 2, Kind: matching.ReqLicence, Code: "B", Essential: true},
		}}
	if err := db.CreateVacancy(ctx, &v); err != nil {
		t.Fatal(err)
	}
	var cands []matching.Candidate
	for i := range n {
		licences := []string{"B"}
		if i%3 == 2 {
			licences = []string{"AM"} // fails the essential licence
		}
		c := matching.Candidate{GivenName: "Nome", FamilyName: fmt.Sprint("Cuoco ", i), Email: fmt.Sprintf("cuoco%d@example.org", i),
			HomeMunicipality: "022205", Searchable: true, Presentation: matching.PresentNamed, Licences: licences,
			Experiences: []matching.Experience{{OccupationCode: "occ-cuoco", ISCOCode: "5120", Title: "Cuoco",
				StartDate: today.AddDate(-1-i%4, 0, 0)}}}
		if err := db.CreateCandidate(ctx, &c); err != nil {
			t.Fatal(err)
		}
		cands = append(cands, c)
	}
	ix, err := index.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ids := make([]int64, len(cands))
	for i, c := range cands {
		ids[i] = c.ID
	}
	loaded, err := db.CandidatesByID(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	changes := make([]index.Change, len(loaded))
	for i := range loaded {
		changes[i] = index.Change{CandidateID: loaded[i].ID, Candidate: &loaded[i]}
	}
	if err := ix.Apply(changes, index.Position{TxID: 1, ID: 1}, today); err != nil {
		t.Fatal(err)
	}
	return db, ix, v, cands
}

func TestMatchKeepsTheLimitsAndSplitsTheNearMisses(t *testing.T) {
	db, ix, v, _ := world(t, 12)
	m := matcher.New(db, ix)
	res, err := m.Match(context.Background(), &v, matcher.Options{Limit: 3, NearMissLimit: 2}, today)
	if err != nil {
		t.Fatal(err)
	}
	if res.Recalled != 12 || res.Total != 8 || res.NearMissTotal != 4 {
		t.Errorf("recalled %d, total %d, near-miss total %d; want 12, 8, 4", res.Recalled, res.Total, res.NearMissTotal)
	}
	if len(res.Ranking.Main) != 3 || len(res.Ranking.NearMisses) != 2 {
		t.Fatalf("main %d, near misses %d; want 3 and 2", len(res.Ranking.Main), len(res.Ranking.NearMisses))
	}
	for i := 1; i < len(res.Ranking.Main); i++ {
		if res.Ranking.Main[i-1].Score < res.Ranking.Main[i].Score {
			t.Errorf("main list out of order at %d", i)
		}
	}
	for _, r := range res.Ranking.NearMisses {
		if len(r.Explanation.MissingEssentials) != 1 {
			t.Errorf("near miss %d misses %v", r.CandidateID, r.Explanation.MissingEssentials)
		}
	}
}

func TestTheStoreHasTheLastWordOnConsent(t *testing.T) {
	db, ix, v, cands := world(t, 4)
	ctx := context.Background()
	// Consent withdrawn: the store knows at once, the index only when the
	// indexer catches up, which it has not yet done here.
	withdrawn := cands[0]
	withdrawn.Presentation = matching.PresentNone
	if err := db.UpdateCandidate(ctx, &withdrawn); err != nil {
		t.Fatal(err)
	}
	res, err := matcher.New(db, ix).Match(ctx, &v, matcher.Options{}, today)
	if err != nil {
		t.Fatal(err)
	}
	for _, list := range [][]matching.Ranked{res.Ranking.Main, res.Ranking.NearMisses} {
		for _, r := range list {
			if r.CandidateID == withdrawn.ID {
				t.Fatal("a candidate who withdrew consent was matched")
			}
		}
	}
	if res.Recalled != 3 {
		t.Errorf("scored %d, want 3", res.Recalled)
	}
}

func TestOptionsAreCheckedNamingTheField(t *testing.T) {
	for _, tc := range []struct {
		opt   matcher.Options
		field string
	}{
		{matcher.Options{K: 5001}, "k"},
		{matcher.Options{K: -1}, "k"},
		{matcher.Options{NearMissK: 1001}, "near_miss_k"},
		{matcher.Options{Limit: 1001}, "limit"},
		{matcher.Options{NearMissLimit: -2}, "near_miss_limit"},
		{matcher.Options{Weighting: "vibes"}, "weighting"},
	} {
		err := tc.opt.Normalize()
		if matching.ErrorField(err) != tc.field {
			t.Errorf("%+v: %v, want an error on %s", tc.opt, err, tc.field)
		}
	}
	var o matcher.Options
	if err := o.Normalize(); err != nil || o.K != matcher.DefaultK || o.Limit != matcher.DefaultLimit || o.Weighting != matching.WeightingROC {
		t.Errorf("defaults: %+v %v", o, err)
	}
}
