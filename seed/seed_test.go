package seed_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"incontro/matching"
	"incontro/password"
	"incontro/seed"
	"incontro/store"
	"incontro/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

var asOf = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func mustGenerator(tb testing.TB, s uint64, n int) *seed.Generator {
	tb.Helper()
	g, err := seed.New(seed.Options{Seed: s, Candidates: n, AsOf: asOf})
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

func TestTheSameSeedGivesTheSameData(t *testing.T) {
	a, b := mustGenerator(t, 7, 300), mustGenerator(t, 7, 300)
	for i := 0; i < 300; i++ {
		ca, pa := a.Candidate(i)
		cb, pb := b.Candidate(i)
		if diff := cmp.Diff(ca, cb); diff != "" {
			t.Fatalf("candidate %d differs between two generators with one seed:\n%s", i, diff)
		}
		if diff := cmp.Diff(pa, pb); diff != "" {
			t.Fatalf("protected attributes of candidate %d differ:\n%s", i, diff)
		}
	}
	ea, _ := a.Employers()
	eb, _ := b.Employers()
	if diff := cmp.Diff(ea, eb); diff != "" {
		t.Fatalf("employers differ:\n%s", diff)
	}
	if diff := cmp.Diff(a.Vacancy(3, 1, "turismo"), b.Vacancy(3, 1, "turismo")); diff != "" {
		t.Fatalf("vacancies differ:\n%s", diff)
	}

	other := mustGenerator(t, 8, 300)
	same := 0
	for i := 0; i < 300; i++ {
		ca, _ := a.Candidate(i)
		co, _ := other.Candidate(i)
		if cmp.Equal(ca, co) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d of 300 candidates are identical under two different seeds", same)
	}
}

func TestGeneratedDataPassTheDomainValidation(t *testing.T) {
	g := mustGenerator(t, 1, 3000)
	for i, p := range g.Providers() {
		if err := p.Validate(); err != nil {
			t.Errorf("provider %d: %v", i, err)
		}
	}
	employers, sectors := g.Employers()
	for i := range employers {
		e := employers[i]
		e.Normalize()
		if err := e.Validate(); err != nil {
			t.Errorf("employer %d (%s): %v", i, e.Name, err)
		}
		for k := 0; k < 3; k++ {
			v := g.Vacancy(i, k, sectors[i])
			v.EmployerID = int64(i + 1)
			v.Normalize()
			if err := v.Validate(); err != nil {
				t.Errorf("vacancy %d/%d (%s): %v", i, k, v.Title, err)
			}
			if n := len(v.Requirements); n < 3 || n > 8 {
				t.Errorf("vacancy %d/%d has %d requirements, want 3 to 8", i, k, n)
			}
		}
	}
	one := int64(1)
	for _, u := range append(g.StaffUsers(), g.EmployerUsers(employers, 5)...) {
		user := u.User
		if u.ProviderIndex >= 0 {
			user.ProviderID = &one
		}
		if u.EmployerIndex >= 0 {
			user.EmployerID = &one
		}
		if err := user.Validate(); err != nil {
			t.Errorf("user %s: %v", user.Email, err)
		}
	}
	emails := map[string]bool{}
	withExperience, withGerman, blind := 0, 0, 0
	for i := 0; i < 3000; i++ {
		c, p := g.Candidate(i)
		c.Normalize()
		if err := c.Validate(); err != nil {
			t.Fatalf("candidate %d: %v", i, err)
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("protected attributes of candidate %d: %v", i, err)
		}
		if emails[c.Email] {
			t.Fatalf("candidate %d repeats e-mail %s", i, c.Email)
		}
		emails[c.Email] = true
		if len(c.Experiences) > 0 {
			withExperience++
		}
		for _, l := range c.Languages {
			if l.Language == "de" {
				withGerman++
			}
		}
		if c.Presentation == matching.PresentBlind {
			blind++
		}
		if c.UpdatedAt.After(asOf) || c.CreatedAt.After(c.UpdatedAt) {
			t.Fatalf("candidate %d has created %v, updated %v for data as of %v", i, c.CreatedAt, c.UpdatedAt, asOf)
		}
	}
	// The demo must look like Trentino's pool: most have worked, many speak German.
	if withExperience < 2400 {
		t.Errorf("only %d of 3000 candidates have an experience", withExperience)
	}
	if withGerman < 1000 || withGerman > 1800 {
		t.Errorf("%d of 3000 candidates speak German, want roughly 45%%", withGerman)
	}
	if blind < 450 || blind > 1050 {
		t.Errorf("%d of 3000 candidates chose blind presentation, want roughly 25%%", blind)
	}
}

func TestCandidatesLiveInTrentinoWeightedByPopulation(t *testing.T) {
	g := mustGenerator(t, 3, 4000)
	inTrento := 0
	for i := 0; i < 4000; i++ {
		c, _ := g.Candidate(i)
		if c.HomeMunicipality[:3] != "022" {
			t.Fatalf("candidate %d lives outside the province of Trento: %s", i, c.HomeMunicipality)
		}
		if c.HomeMunicipality == "022205" {
			inTrento++
		}
	}
	// Trento holds about a fifth of the province's residents.
	if inTrento < 400 || inTrento > 1400 {
		t.Errorf("%d of 4000 candidates live in Trento, want roughly a fifth", inTrento)
	}
}

type snapshot struct {
	Counts     store.Counts
	Candidates []matching.Candidate
	Protected  []matching.Protected
	Vacancy    matching.Vacancy
	Users      []matching.User
}

func loadAndRead(t *testing.T, s uint64) snapshot {
	t.Helper()
	ctx := context.Background()
	db := store.New(storetest.MustDB(t))
	db.Now = func() time.Time { return asOf.Add(8 * time.Hour) }
	fast := password.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}
	sum, err := seed.Load(ctx, db, mustGenerator(t, s, 250), seed.LoadOptions{BatchSize: 100, EmployerUsers: 2, JobseekerUsers: 2, PasswordParams: fast})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Candidates != 250 || sum.Providers == 0 || sum.Employers == 0 || sum.Vacancies == 0 {
		t.Fatalf("load summary %+v", sum)
	}
	var snap snapshot
	if snap.Counts, err = db.Counts(ctx); err != nil {
		t.Fatal(err)
	}
	ids, err := db.CandidateIDs(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Candidates, err = db.CandidatesByID(ctx, ids); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids[:20] {
		p, err := db.Protected(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		snap.Protected = append(snap.Protected, p)
	}
	if snap.Vacancy, err = db.Vacancy(ctx, 1); err != nil {
		t.Fatal(err)
	}
	users, _, err := db.Users(ctx, store.UserFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for i := range users {
		users[i].PasswordHash = "" // salted: differs by design
	}
	snap.Users = users
	return snap
}

func TestLoadingTheSameSeedTwiceWritesTheSameDatabase(t *testing.T) {
	a := loadAndRead(t, 11)
	b := loadAndRead(t, 11)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("two loads of one seed differ:\n%s", diff)
	}
	if a.Counts.Candidates != 250 || a.Counts.Operators != 20 {
		t.Errorf("counts %+v, want 250 candidates and 20 operators", a.Counts)
	}
	for _, c := range a.Candidates {
		if err := c.Validate(); err != nil {
			t.Fatalf("candidate %d read back fails validation: %v", c.ID, err)
		}
	}
}

func TestDemoAccountsCanSignIn(t *testing.T) {
	ctx := context.Background()
	db := store.New(storetest.MustDB(t))
	fast := password.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}
	sum, err := seed.Load(ctx, db, mustGenerator(t, 1, 10), seed.LoadOptions{EmployerUsers: 1, JobseekerUsers: 1, PasswordParams: fast})
	if err != nil {
		t.Fatal(err)
	}
	roles := map[matching.Role]bool{}
	for _, a := range sum.Accounts {
		u, err := db.UserByEmail(ctx, a.User.Email)
		if err != nil {
			t.Fatalf("account %s: %v", a.User.Email, err)
		}
		ok, err := password.Verify(u.PasswordHash, seed.DemoPassword)
		if err != nil || !ok {
			t.Fatalf("account %s does not accept the demo password (%v)", u.Email, err)
		}
		roles[u.Role] = true
	}
	for _, r := range matching.Roles() {
		if !roles[r] {
			t.Errorf("no demo account with role %s", r)
		}
	}
}
