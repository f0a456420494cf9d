package bench

import (
	"context"
	"maps"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"incontro/index"
	"incontro/matching"
	"incontro/password"
	"incontro/reference"
	"incontro/seed"
	"incontro/store"
	"incontro/store/storetest"
)

var ftsAsOf = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// ftsFixture is a database with seeded candidates and a few made by hand,
// its baseline and incontro's index of the same candidates.
type ftsFixture struct {
	db  *sqlx.DB
	fts *FTS
	ix  *index.Index
	// The hand-made candidates, all "zampognaro" (a bagpiper: no seeded CV
	// has the word).
	centre, far, noLicence, amOnly, hidden, pending, notPresentable int64
}

// trento is the centre of the radius searches.
const trento = "022205"

// mustFTSFixture loads 300 seeded candidates and the hand-made ones, and
// builds both engines.
func mustFTSFixture(t *testing.T) *ftsFixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.MustDB(t)
	st := store.New(db)
	g, err := seed.New(seed.Options{Seed: 3, Candidates: 300, AsOf: ftsAsOf})
	if err != nil {
		t.Fatal(err)
	}
	fast := password.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}
	if _, err := seed.Load(ctx, st, g, seed.LoadOptions{BatchSize: 100, PasswordParams: fast}); err != nil {
		t.Fatal(err)
	}

	f := &ftsFixture{db: db}
	farCode := farFrom(t, trento, 60, 90)
	mk := func(email, home string, licences []string, edit func(*matching.Candidate)) int64 {
		t.Helper()
		m, _ := reference.MunicipalityByCode(home)
		from := ftsAsOf.AddDate(0, 0, -3)
		c := matching.Candidate{
			GivenName: "Nome", FamilyName: "Cognome", Email: email,
			Headline:         "Zampognaro di valle",
			Summary:          "Suono la zampogna alle feste di paese.",
			HomeMunicipality: home, HomeLat: m.Lat, HomeLon: m.Lon, MobilityKm: 20,
			AvailableFrom: &from, Searchable: true, Presentation: matching.PresentNamed,
			Experiences: []matching.Experience{{Title: "Zampognaro", StartDate: ftsAsOf.AddDate(-3, 0, 0),
				Description: "Musica tradizionale alle sagre."}},
			Skills:    []matching.CandidateSkill{{Label: "Suonare la zampogna", Level: "advanced"}},
			Languages: []matching.LanguageLevel{{Language: "de", Level: "B2"}},
			Education: []matching.Education{{EQFLevel: 4, Title: "Diploma"}},
			Licences:  licences,
		}
		if edit != nil {
			edit(&c)
		}
		if err := st.CreateCandidate(ctx, &c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	f.centre = mk("centre@example.org", trento, []string{"B"}, nil)
	f.far = mk("far@example.org", farCode, []string{"B"}, nil)
	f.noLicence = mk("nolicence@example.org", trento, nil, nil)
	f.amOnly = mk("am@example.org", trento, []string{"AM"}, nil)
	f.hidden = mk("hidden@example.org", trento, []string{"B"}, func(c *matching.Candidate) { c.Searchable = false })
	f.notPresentable = mk("none@example.org", trento, []string{"B"}, func(c *matching.Candidate) { c.Presentation = matching.PresentNone })
	f.pending = mk("pending@example.org", trento, []string{"B"}, nil)
	if _, err := db.Exec(`INSERT INTO users (email, name, role, candidate_id, status, created_at, updated_at)
		VALUES ('pending@example.org', 'Pending', 'jobseeker', $1, 'pending', now(), now())`, f.pending); err != nil {
		t.Fatal(err)
	}

	fts, build, err := SetupFTS(ctx, db, ftsAsOf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := fts.Drop(context.Background()); err != nil {
			t.Errorf("drop: %v", err)
		}
	})
	// 300 seeded (about 5% not searchable) and 5 of the hand-made ones.
	if build.Rows < 270 || build.Rows > 305 || build.SizeBytes <= 0 || build.Took <= 0 {
		t.Fatalf("build = %+v", build)
	}
	f.fts = fts

	ix, err := index.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ids, err := st.CandidateIDs(ctx, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := st.CandidatesByID(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	changes := make([]index.Change, len(cs))
	for i := range cs {
		changes[i] = index.Change{CandidateID: cs[i].ID, Candidate: &cs[i]}
	}
	if err := ix.Apply(changes, index.Position{}, ftsAsOf); err != nil {
		t.Fatal(err)
	}
	f.ix = ix
	return f
}

// farFrom returns a Trentino municipality between lo and hi km from code.
func farFrom(t *testing.T, code string, lo, hi float64) string {
	t.Helper()
	c, _ := reference.MunicipalityByCode(code)
	for _, m := range reference.MunicipalitiesInProvince("TN") {
		if d := reference.DistanceKm(c, m); d > lo && d < hi {
			return m.Code
		}
	}
	t.Fatalf("no municipality %.0f–%.0f km from %s", lo, hi, code)
	return ""
}

func TestFTS(t *testing.T) {
	f := mustFTSFixture(t)
	ctx := context.Background()
	search := func(t *testing.T, s Search) FTSResult {
		t.Helper()
		r, err := f.fts.Search(ctx, s, ftsAsOf)
		if err != nil {
			t.Fatalf("search %+v: %v", s, err)
		}
		return r
	}

	t.Run("a word of the occupation finds the searchable, presentable candidates with it", func(t *testing.T) {
		r := search(t, Search{Class: ClassText, Text: "zampognaro"})
		want := []int64{f.centre, f.far, f.noLicence, f.amOnly}
		got := slices.Sorted(slices.Values(r.IDs))
		if !slices.Equal(got, want) || r.Total != len(want) {
			t.Errorf("ids %v total %d, want %v (not the hidden %d, the pending %d nor the not presentable %d)",
				r.IDs, r.Total, want, f.hidden, f.pending, f.notPresentable)
		}
		ir, err := f.ix.Search(ctx, index.Query{Text: "zampognaro", AsOf: ftsAsOf})
		if err != nil {
			t.Fatal(err)
		}
		if int(ir.Total) != r.Total {
			t.Errorf("incontro finds %d, PostgreSQL %d", ir.Total, r.Total)
		}
	})

	t.Run("a common occupation word finds about as many as incontro", func(t *testing.T) {
		for _, word := range []string{"magazziniere", "cuoco", "muratore"} {
			r := search(t, Search{Class: ClassText, Text: word, Size: 200})
			ir, err := f.ix.Search(ctx, index.Query{Text: word, AsOf: ftsAsOf, Size: 200})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: PostgreSQL %d, incontro %d", word, r.Total, ir.Total)
			// The stemmers differ (Snowball against bleve's light Italian
			// one), so the totals need not be equal; most hits must be shared.
			if r.Total == 0 || ir.Total == 0 {
				t.Fatalf("%s: PostgreSQL %d, incontro %d", word, r.Total, ir.Total)
			}
			var shared int
			for _, h := range ir.Hits {
				if slices.Contains(r.IDs, h.ID) {
					shared++
				}
			}
			if shared*10 < min(len(r.IDs), len(ir.Hits))*8 {
				t.Errorf("%s: only %d shared hits of %d and %d", word, shared, len(r.IDs), len(ir.Hits))
			}
		}
	})

	t.Run("hits are ranked and paged", func(t *testing.T) {
		r := search(t, Search{Class: ClassText, Text: "magazziniere", Size: 3})
		if len(r.IDs) != 3 || r.Total <= 3 {
			t.Fatalf("ids %v total %d", r.IDs, r.Total)
		}
	})

	t.Run("browse counts every facet over the presentable candidates", func(t *testing.T) {
		r := search(t, Search{Class: ClassBrowse, Facets: true, Size: 20})
		var presentable, withDate, withEducation int
		if err := f.db.QueryRow(`SELECT count(*), count(available_from), count(education) FROM bench_fts.candidates WHERE presentable`).
			Scan(&presentable, &withDate, &withEducation); err != nil {
			t.Fatal(err)
		}
		if r.Total != presentable || len(r.IDs) != 20 {
			t.Fatalf("total %d with %d ids, want %d", r.Total, len(r.IDs), presentable)
		}
		sums := map[string]int{}
		for name, counts := range r.Facets {
			for _, n := range counts {
				sums[name] += n
			}
		}
		for name, want := range map[string]int{
			index.FacetExperience: presentable, index.FacetAvailability: withDate, index.FacetEducation: withEducation,
		} {
			if sums[name] != want {
				t.Errorf("facet %s sums to %d, want %d: %v", name, sums[name], want, r.Facets[name])
			}
		}
		if got, want := len(r.Facets[index.FacetExperience]), len(index.ExperienceBands()); got != want {
			t.Errorf("%d experience bands, want %d", got, want)
		}
		for _, name := range index.AvailabilityBands() {
			if _, ok := r.Facets[index.FacetAvailability][name]; !ok {
				t.Errorf("availability band %s missing: %v", name, r.Facets[index.FacetAvailability])
			}
		}
		if n := len(r.Facets[index.FacetMunicipality]); n == 0 || n > 20 {
			t.Errorf("%d municipalities, want 1 to 20", n)
		}
		// The first page is the most recently updated.
		var newest int64
		if err := f.db.Get(&newest, `SELECT id FROM bench_fts.candidates WHERE presentable ORDER BY updated_at DESC, id LIMIT 1`); err != nil {
			t.Fatal(err)
		}
		if r.IDs[0] != newest {
			t.Errorf("first id %d, want %d", r.IDs[0], newest)
		}
		// incontro counts the same.
		ir, err := f.ix.Search(ctx, index.Query{Facets: true, AsOf: ftsAsOf})
		if err != nil {
			t.Fatal(err)
		}
		if int(ir.Total) != r.Total {
			t.Errorf("incontro browses %d, PostgreSQL %d", ir.Total, r.Total)
		}
		for _, name := range []string{index.FacetEducation, index.FacetExperience, index.FacetAvailability, index.FacetOccupationGroup, index.FacetLicence} {
			for _, fc := range ir.Facets[name] {
				if got := r.Facets[name][fc.Value]; got != fc.Count {
					t.Errorf("facet %s %s: PostgreSQL %d, incontro %d", name, fc.Value, got, fc.Count)
				}
			}
		}
	})

	t.Run("a facet is counted without its own filter and with the others", func(t *testing.T) {
		all := search(t, Search{Class: ClassTextFacets, Facets: true})
		edu := search(t, Search{Class: ClassTextFacets, Facets: true, EducationLevel: "4"})
		if edu.Total != all.Facets[index.FacetEducation]["4"] || edu.Total == 0 {
			t.Errorf("filtered total %d, want the unfiltered count of level 4, %d", edu.Total, all.Facets[index.FacetEducation]["4"])
		}
		if !maps.Equal(edu.Facets[index.FacetEducation], all.Facets[index.FacetEducation]) {
			t.Errorf("education facet with its own filter %v, want %v", edu.Facets[index.FacetEducation], all.Facets[index.FacetEducation])
		}
		var sum int
		for _, n := range edu.Facets[index.FacetExperience] {
			sum += n
		}
		if sum != edu.Total {
			t.Errorf("experience facet sums to %d under the education filter, want %d", sum, edu.Total)
		}

		// Three filters: each facet is counted with the two others.
		s := Search{Class: ClassTextFacets, Facets: true, EducationLevel: "4", LanguageLevel: "de:B2", OccupationGroup: "93"}
		three := search(t, s)
		for _, c := range []struct {
			facet string
			drop  func(*Search)
		}{
			{index.FacetEducation, func(s *Search) { s.EducationLevel = "" }},
			{index.FacetLanguageLevel, func(s *Search) { s.LanguageLevel = "" }},
			{index.FacetOccupationGroup, func(s *Search) { s.OccupationGroup = "" }},
		} {
			other := s
			c.drop(&other)
			two := search(t, other)
			if len(two.Facets[c.facet]) == 0 || !maps.Equal(three.Facets[c.facet], two.Facets[c.facet]) {
				t.Errorf("facet %s: %v with its filter, %v without", c.facet, three.Facets[c.facet], two.Facets[c.facet])
			}
		}
		// With text, against incontro.
		q := index.Query{Text: "zampognaro", EducationLevels: []string{"4"}, Facets: true, AsOf: ftsAsOf}
		ir, err := f.ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		r := search(t, Search{Class: ClassTextFacets, Text: "zampognaro", EducationLevel: "4", Facets: true})
		for _, name := range []string{index.FacetEducation, index.FacetLanguageLevel, index.FacetLicence, index.FacetMunicipality} {
			for _, fc := range ir.Facets[name] {
				if r.Facets[name][fc.Value] != fc.Count {
					t.Errorf("facet %s %s: PostgreSQL %d, incontro %d", name, fc.Value, r.Facets[name][fc.Value], fc.Count)
				}
			}
		}
	})

	t.Run("the radius keeps the centre and leaves out a candidate 60 km away", func(t *testing.T) {
		r := search(t, Search{Class: ClassRadius, Text: "zampognaro", Near: trento, RadiusKm: 30,
			Licence: "B", Language: "de", MinLevel: "B1", AvailableBy: &ftsAsOf})
		if !slices.Equal(r.IDs, []int64{f.centre}) {
			t.Errorf("ids %v, want only the centre %d (far %d, no licence %d, AM only %d)", r.IDs, f.centre, f.far, f.noLicence, f.amOnly)
		}
		wide := search(t, Search{Class: ClassRadius, Text: "zampognaro", Near: trento, RadiusKm: 100, Facets: true})
		if !slices.Contains(wide.IDs, f.far) {
			t.Errorf("100 km: ids %v, want the far %d too", wide.IDs, f.far)
		}
		var sum int
		for _, n := range wide.Facets[index.FacetDistance] {
			sum += n
		}
		if sum != wide.Total || wide.Facets[index.FacetDistance]["0-10km"] != 3 {
			t.Errorf("distance facet %v, want 3 at 0-10 km and %d in all", wide.Facets[index.FacetDistance], wide.Total)
		}
		late := ftsAsOf.AddDate(0, 0, -10)
		if r := search(t, Search{Class: ClassRadius, Text: "zampognaro", AvailableBy: &late}); r.Total != 0 {
			t.Errorf("available 10 days ago: %v", r.IDs)
		}
		if r := search(t, Search{Class: ClassRadius, Text: "zampognaro", Language: "de", MinLevel: "C1"}); r.Total != 0 {
			t.Errorf("German C1: %v", r.IDs)
		}
	})

	t.Run("years of experience count overlapping jobs once, as incontro does", func(t *testing.T) {
		type row struct {
			ID    int64   `db:"id"`
			Years float64 `db:"years_total"`
		}
		var rows []row
		if err := f.db.Select(&rows, `SELECT id, years_total FROM bench_fts.candidates ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		cs, err := store.New(f.db).CandidatesByID(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range cs {
			if want := math.Round(c.TotalExperienceYears(ftsAsOf)*100) / 100; math.Abs(rows[i].Years-want) > 0.005 {
				t.Errorf("candidate %d: %.2f years, want %.2f", c.ID, rows[i].Years, want)
			}
		}
	})

	t.Run("a match keeps who meets an essential licence or declares none", func(t *testing.T) {
		m, _ := reference.MunicipalityByCode(trento)
		km := 20
		v := matching.Vacancy{Title: "Zampognaro", Lat: m.Lat, Lon: m.Lon, MunicipalityCode: trento,
			Requirements: []matching.Requirement{
				{Rank: 1, Kind: matching.ReqOccupation, Label: "Zampognaro"},
				{Rank: 2, Kind: matching.ReqLicence, Code: "B", Essential: true},
				{Rank: 3, Kind: matching.ReqDistance, MaxKm: &km, Essential: true},
				{Rank: 4, Kind: matching.ReqLanguage, Code: "de", Level: "B2", Essential: true},
			}}
		ids, err := f.fts.Match(ctx, v, 500, ftsAsOf)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []int64{f.centre, f.noLicence} {
			if !slices.Contains(ids, want) {
				t.Errorf("ids %v lack %d", ids, want)
			}
		}
		for _, not := range []int64{f.amOnly, f.far, f.hidden, f.pending, f.notPresentable} {
			if slices.Contains(ids, not) {
				t.Errorf("ids %v hold %d", ids, not)
			}
		}
		if len(ids) > 2 && !slices.Contains(ids[:2], f.centre) {
			t.Errorf("the zampognari are not first: %v", ids)
		}
		// Without words (stop words only), the filters alone, in id order.
		v.Title, v.Requirements[0].Label = "di", "e"
		ids, err = f.fts.Match(ctx, v, 5000, ftsAsOf)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.IsSorted(ids) || !slices.Contains(ids, f.centre) || slices.Contains(ids, f.amOnly) {
			t.Errorf("without words: %v", ids)
		}
	})

	t.Run("the workload runs", func(t *testing.T) {
		w, err := NewWorkload(1, 3, ftsAsOf)
		if err != nil {
			t.Fatal(err)
		}
		for class, ss := range w.Searches {
			for _, s := range ss {
				if _, err := f.fts.Search(ctx, s, ftsAsOf); err != nil {
					t.Errorf("%s %+v: %v", class, s, err)
				}
			}
		}
		for _, v := range w.Vacancies {
			ids, err := f.fts.Match(ctx, v, 500, ftsAsOf)
			if err != nil {
				t.Errorf("%s: %v", v.Title, err)
			}
			if len(ids) == 0 {
				t.Errorf("%s: nobody", v.Title)
			}
		}
	})

	t.Run("bad input is refused, not run", func(t *testing.T) {
		nan := math.NaN()
		for _, s := range []Search{
			{Size: -1}, {Size: 1000}, {Near: "000000", RadiusKm: 30}, {Near: trento, RadiusKm: nan},
			{Near: trento}, {EducationLevel: "9"}, {EducationLevel: "04"}, {LanguageLevel: "de:Z9"},
			{OccupationGroup: "1"}, {Licence: "ZZ"}, {Language: "deu", MinLevel: "B1"}, {Language: "de", MinLevel: "D1"},
			{Text: "a\x00b"}, {Text: "\xff"},
		} {
			if _, err := f.fts.Search(ctx, s, ftsAsOf); matching.ErrorCode(err) != matching.EINVALID {
				t.Errorf("%+v: %v, want EINVALID", s, err)
			}
		}
		if _, err := f.fts.Search(ctx, Search{}, time.Time{}); matching.ErrorCode(err) != matching.EINVALID {
			t.Errorf("no as-of: %v", err)
		}
		for _, text := range []string{"'; DROP TABLE candidates; --", "a & b | !c", "di", "(((", "zampognaro:*"} {
			if _, err := f.fts.Search(ctx, Search{Text: text}, ftsAsOf); err != nil {
				t.Errorf("%q: %v", text, err)
			}
		}
		for _, v := range []matching.Vacancy{
			{Title: "x", Lat: nan},
			{Title: "x", Requirements: []matching.Requirement{{Rank: 1, Kind: matching.ReqLicence, Code: "ZZ"}}},
			{Title: "x", Requirements: []matching.Requirement{{Rank: 1, Kind: matching.ReqDistance}}},
		} {
			if _, err := f.fts.Match(ctx, v, 10, ftsAsOf); matching.ErrorCode(err) != matching.EINVALID {
				t.Errorf("%+v: %v, want EINVALID", v, err)
			}
		}
		if _, err := f.fts.Match(ctx, matching.Vacancy{Title: "x"}, -1, ftsAsOf); matching.ErrorCode(err) != matching.EINVALID {
			t.Errorf("k -1: %v", err)
		}
	})

	t.Run("searches run concurrently", func(t *testing.T) {
		errs := make(chan error, 16)
		for i := range 16 {
			go func() {
				_, err := f.fts.Search(ctx, Search{Text: "magazziniere", Facets: i%2 == 0, EducationLevel: "4"}, ftsAsOf)
				errs <- err
			}()
		}
		for range 16 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
	})
}

func TestFTSDropRemovesTheSchema(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustDB(t)
	f, build, err := SetupFTS(ctx, db, ftsAsOf)
	if err != nil {
		t.Fatal(err)
	}
	if build.Rows != 0 {
		t.Errorf("rows %d from an empty database", build.Rows)
	}
	if r, err := f.Search(ctx, Search{Facets: true}, ftsAsOf); err != nil || r.Total != 0 || len(r.IDs) != 0 {
		t.Errorf("search of an empty baseline: %+v, %v", r, err)
	}
	if err := f.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM pg_namespace WHERE nspname = 'bench_fts'`); err != nil || n != 0 {
		t.Errorf("schema left: %d, %v", n, err)
	}
}

func TestFTSBandsAreIncontros(t *testing.T) {
	var exp, avail []string
	for _, b := range ftsExperienceBands {
		exp = append(exp, b.Name)
	}
	for _, b := range ftsAvailabilityBands {
		avail = append(avail, b.Name)
	}
	if !slices.Equal(exp, index.ExperienceBands()) || !slices.Equal(avail, index.AvailabilityBands()) {
		t.Errorf("bands %v %v, incontro's %v %v", exp, avail, index.ExperienceBands(), index.AvailabilityBands())
	}
}
