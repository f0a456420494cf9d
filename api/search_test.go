package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"incontro/api"
	"incontro/index"
	"incontro/matching"
)

// searchWorld is the world with a CV index filled from its candidates, and
// three candidates with a CV besides the world's two.
type searchWorld struct {
	*world
	ix                *index.Index
	cook, waiter, dev matching.Candidate
	private           matching.Candidate // did not consent to be presented
}

func newSearchWorld(t *testing.T, opts ...worldOption) *searchWorld {
	t.Helper()
	ix, err := index.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	sw := &searchWorld{world: newWorld(t, append(opts, withConfig(func(c *api.Config) { c.Index = ix }))...), ix: ix}
	ctx := context.Background()
	day := func(s string) *time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	sw.cook = matching.Candidate{GivenName: "Carla", FamilyName: "Cucina", Email: "carla.cucina@example.org", Phone: "+39 0461 000001",
		HomeMunicipality: "022205", Searchable: true, Presentation: matching.PresentNamed, Headline: "Cuoca di ristorante",
		AvailableFrom: day("2026-12-01"), Licences: []string{"B"},
		Languages:   []matching.LanguageLevel{{Language: "it", Level: "native"}, {Language: "de", Level: "B2"}},
		Experiences: []matching.Experience{{OccupationCode: "occ-cuoco", ISCOCode: "5120", Title: "Cuoca", StartDate: *day("2016-06-01")}}}
	sw.waiter = matching.Candidate{GivenName: "Walter", FamilyName: "Sala", Email: "walter.sala@example.org",
		HomeMunicipality: "022161", Searchable: true, Presentation: matching.PresentBlind, Headline: "Cameriere di sala",
		Languages:   []matching.LanguageLevel{{Language: "it", Level: "native"}, {Language: "en", Level: "B1"}},
		Experiences: []matching.Experience{{OccupationCode: "occ-cameriere-sala", ISCOCode: "5131", Title: "Cameriere", StartDate: *day("2022-03-01"), EndDate: day("2025-10-31")}}}
	sw.dev = matching.Candidate{GivenName: "Diego", FamilyName: "Codice", Email: "diego.codice@example.org",
		HomeMunicipality: "022139", Searchable: true, Presentation: matching.PresentNamed, Headline: "Sviluppatore software, cuoco per passione",
		Experiences: []matching.Experience{{OccupationCode: "occ-sviluppatore-software", ISCOCode: "2512", Title: "Sviluppatore", StartDate: *day("2019-01-01")}}}
	sw.private = matching.Candidate{GivenName: "Paola", FamilyName: "Privata", Email: "paola.privata@example.org",
		HomeMunicipality: "022205", Searchable: true, Presentation: matching.PresentNone, Headline: "Cuoca"}
	for _, c := range []*matching.Candidate{&sw.cook, &sw.waiter, &sw.dev, &sw.private} {
		if err := sw.db.CreateCandidate(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	// Fill the index from what the store reads back, as the indexer does.
	cands, err := sw.db.CandidatesByID(ctx, []int64{sw.candidate1.ID, sw.candidate2.ID, sw.cook.ID, sw.waiter.ID, sw.dev.ID, sw.private.ID})
	if err != nil {
		t.Fatal(err)
	}
	changes := make([]index.Change, len(cands))
	for i := range cands {
		changes[i] = index.Change{CandidateID: cands[i].ID, Candidate: &cands[i]}
	}
	if err := ix.Apply(changes, index.Position{TxID: 1, ID: 1}, sw.clock.Now()); err != nil {
		t.Fatal(err)
	}
	return sw
}

// search runs a search as the actor and decodes a 200 answer.
func (sw *searchWorld) search(t *testing.T, actor, query string) api.SearchResponse {
	t.Helper()
	status, body := sw.signIn(actor).do(http.MethodGet, "/api/v1/candidates/search?"+query, nil)
	if status != http.StatusOK {
		t.Fatalf("search %q as %s: %d %s", query, actor, status, body)
	}
	var r api.SearchResponse
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func searchIDs(r api.SearchResponse) []int64 {
	ids := make([]int64, len(r.Hits))
	for i, h := range r.Hits {
		ids[i] = h.ID
	}
	return ids
}

func TestSearchFindsCandidatesAndLoadsTheirListFields(t *testing.T) {
	sw := newSearchWorld(t)
	r := sw.search(t, operatorA, "q=cuoca&highlight=1")
	// The cook who did not consent to be presented is not found.
	if got := searchIDs(r); !slices.Equal(got, []int64{sw.cook.ID}) || r.Total != 1 {
		t.Fatalf("hits %v (total %d), want the cook %d", got, r.Total, sw.cook.ID)
	}
	h := r.Hits[0]
	c := h.Candidate
	if c.ID != sw.cook.ID || c.Headline != "Cuoca di ristorante" || c.HomeMunicipality != (api.MunicipalityRef{Code: "022205", Name: "Trento"}) ||
		!slices.Equal(c.Licences, []string{"B"}) || len(c.Languages) != 2 || c.Presentation != matching.PresentNamed ||
		c.AvailableFrom == nil || !c.AvailableFrom.Equal(*sw.cook.AvailableFrom) || c.UpdatedAt.IsZero() {
		t.Errorf("candidate %+v", c)
	}
	// 2016-06-01 to the world's 2026-11-25.
	if c.ExperienceYears < 10.4 || c.ExperienceYears > 10.6 {
		t.Errorf("experience %g years", c.ExperienceYears)
	}
	if h.Score <= 0 || !strings.Contains(strings.Join(h.Fragments["headline"], " "), "<mark>Cuoca</mark>") {
		t.Errorf("score %g, fragments %v", h.Score, h.Fragments)
	}
	if r.Facets == nil || len(r.Facets["occupation_group"]) == 0 {
		t.Errorf("the first page has no facets: %v", r.Facets)
	}
	// The developer cooks for passion: his headline says so.
	r = sw.search(t, operatorA, "q=cuoco")
	if got := slices.Sorted(slices.Values(searchIDs(r))); !slices.Equal(got, []int64{sw.cook.ID, sw.dev.ID}) {
		t.Errorf("cuoco: %v, want %v", got, []int64{sw.cook.ID, sw.dev.ID})
	}

	// A list shows no names nor contacts.
	_, body := sw.signIn(operatorA).do(http.MethodGet, "/api/v1/candidates/search?q=cuoca", nil)
	for _, secret := range []string{"Carla", "Cucina", "carla.cucina@example.org", "0461"} {
		if strings.Contains(string(body), secret) {
			t.Errorf("the result list shows %q: %s", secret, body)
		}
	}
}

func TestSearchRequiresEveryWordUnlessAnyIsEnough(t *testing.T) {
	sw := newSearchWorld(t)
	r := sw.search(t, operatorA, "q=cuoco+software")
	if got := searchIDs(r); !slices.Equal(got, []int64{sw.dev.ID}) || r.TryAnyWord {
		t.Errorf("cuoco software: %v (try any word %v), want the developer %d alone", got, r.TryAnyWord, sw.dev.ID)
	}
	r = sw.search(t, operatorA, "q=cuoco+cameriere")
	if r.Total != 0 || len(r.Hits) != 0 || !r.TryAnyWord {
		t.Errorf("cuoco cameriere: total %d, try any word %v; want none found and any word offered", r.Total, r.TryAnyWord)
	}
	r = sw.search(t, operatorA, "q=cuoco+cameriere&words=any")
	want := []int64{sw.cook.ID, sw.waiter.ID, sw.dev.ID}
	if got := slices.Sorted(slices.Values(searchIDs(r))); !slices.Equal(got, slices.Sorted(slices.Values(want))) || r.TryAnyWord {
		t.Errorf("cuoco cameriere, any word: %v (try any word %v), want %v", got, r.TryAnyWord, want)
	}
}

func TestSearchIsForStaffOnly(t *testing.T) {
	sw := newSearchWorld(t)
	for _, actor := range []string{monitor, operatorA, operatorB} {
		// Operators search the shared pool: both see every presentable candidate.
		r := sw.search(t, actor, "")
		want := []int64{sw.candidate1.ID, sw.candidate2.ID, sw.cook.ID, sw.waiter.ID, sw.dev.ID}
		if got := slices.Sorted(slices.Values(searchIDs(r))); !slices.Equal(got, want) {
			t.Errorf("%s found %v, want %v", actor, got, want)
		}
	}
	// The admin manages accounts and does not read CVs.
	for actor, want := range map[string]int{anonymous: http.StatusUnauthorized, jobseeker1: http.StatusForbidden, employer1: http.StatusForbidden, admin: http.StatusForbidden} {
		if status, body := sw.signIn(actor).do(http.MethodGet, "/api/v1/candidates/search?q=cuoca", nil); status != want {
			t.Errorf("%s: %d %s, want %d", actor, status, body, want)
		}
	}
}

func TestSearchFiltersSortsAndPages(t *testing.T) {
	sw := newSearchWorld(t)
	if got := searchIDs(sw.search(t, operatorA, "language=de:B1&licence=B")); !slices.Equal(got, []int64{sw.cook.ID}) {
		t.Errorf("language and licence: %v", got)
	}
	if got := searchIDs(sw.search(t, operatorA, "occupation=51&municipality=022161")); !slices.Equal(got, []int64{sw.waiter.ID}) {
		t.Errorf("occupation group and municipality: %v", got)
	}

	// Near Trento without a sort: by distance, each hit with its distance.
	r := sw.search(t, operatorA, "near=022205&radius_km=15")
	want := []int64{sw.candidate1.ID, sw.cook.ID, sw.dev.ID} // Trento, Trento, Pergine (9.7 km)
	if got := searchIDs(r); !slices.Equal(got, want) {
		t.Errorf("near Trento: %v, want %v", got, want)
	}
	for _, h := range r.Hits {
		if h.DistanceKm == nil {
			t.Errorf("hit %d without distance", h.ID)
		}
	}
	if len(r.Facets["distance"]) != 2 {
		t.Errorf("distance bands %v", r.Facets["distance"])
	}

	// Pages of one, following next; facets only on the first page.
	var got []int64
	query := url.Values{"size": {"1"}, "sort": {"freshness"}}
	for page := 0; ; page++ {
		if page > 10 {
			t.Fatal("too many pages")
		}
		r := sw.search(t, operatorA, query.Encode())
		if (page == 0) != (r.Facets != nil) {
			t.Errorf("page %d: facets %v", page, r.Facets)
		}
		got = append(got, searchIDs(r)...)
		if r.Next == "" {
			break
		}
		query.Set("after", r.Next)
	}
	all := searchIDs(sw.search(t, operatorA, "sort=freshness&size=200"))
	if len(all) != 5 || !slices.Equal(got, all) {
		t.Errorf("pages %v, one page %v", got, all)
	}
}

func TestSearchRefusesBadParametersNamingThem(t *testing.T) {
	sw := newSearchWorld(t)
	c := sw.signIn(operatorA)
	for query, field := range map[string]string{
		"size=0":                  "size",
		"q=cuoco&words=some":      "words",
		"size=201":                "size",
		"size=ten":                "size",
		"q=a&q=b":                 "q",
		"q=%22cuoco":              "q",
		"q=headline:":             "q",
		"language=de:B3":          "language",
		"language=deutsch":        "language",
		"licence=Z":               "licence",
		"contract=forever":        "contract",
		"education=9":             "education",
		"available_by=2026-13-01": "available_by",
		"near=999999":             "near",
		"near=022205&lat=46":      "near",
		"lat=46":                  "lon",
		"lat=north&lon=11":        "lat",
		"radius_km=5":             "radius_km",
		"near=022205&radius_km=0": "radius_km",
		"sort=distance":           "sort",
		"sort=name":               "sort",
		"after=garbage":           "after",
		"highlight=maybe":         "highlight",
		"facets=2":                "facets",
		"municipality=000000":     "municipality",
		"occupation_group=5":      "occupation_group",
		"education_level=x":       "education_level",
		"language_level=de":       "language_level",
		"experience=2-4":          "experience",
		"availability=soon":       "availability",
		"occupation=51311":        "occupation",
		"bogus=1":                 "bogus",
	} {
		status, body := c.do(http.MethodGet, "/api/v1/candidates/search?"+query, nil)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s, want 422", query, status, body)
			continue
		}
		if e := errorOf(t, body); e.Code != matching.EINVALID || e.Field != field {
			t.Errorf("%s: %+v, want field %s", query, e, field)
		}
	}
}

func TestSearchWithoutAnIndexSaysSo(t *testing.T) {
	w := newWorld(t)
	status, body := w.signIn(operatorA).do(http.MethodGet, "/api/v1/candidates/search?q=cuoca", nil)
	if status != http.StatusServiceUnavailable {
		t.Fatalf("%d %s", status, body)
	}
	if e := errorOf(t, body); !strings.Contains(e.Message, "no index") {
		t.Errorf("message %q", e.Message)
	}
}

func TestSearchRefusesProtectedAttributesByName(t *testing.T) {
	sw := newSearchWorld(t)
	c := sw.signIn(operatorA)
	for query, field := range map[string]string{
		"sex=F":                 "sex",
		"age=30":                "age",
		"birth_date=1990-01-01": "birth_date",
		"citizenship=IT":        "citizenship",
		"disability=true":       "disability",
		"l68_category=art1":     "l68_category",
		"sort=age":              "sort",
		"sort=sex":              "sort",
		"q=cuoco%20sex:F":       "q",
		"q=%2Bnationality:IT":   "q",
		"q=cuoco%20religion:x":  "q",
	} {
		status, body := c.do(http.MethodGet, "/api/v1/candidates/search?"+query, nil)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s, want 422", query, status, body)
			continue
		}
		e := errorOf(t, body)
		if e.Code != matching.EINVALID || e.Field != field || !strings.Contains(e.Message, "protected attribute") {
			t.Errorf("%s: %+v, want field %s and a message about a protected attribute", query, e, field)
		}
	}
}
