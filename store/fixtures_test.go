package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"incontro/matching"
	"incontro/store"
	"incontro/store/storetest"
)

// fixtureSeq makes the unique values (codes, e-mail addresses, tax codes)
// of the records the fixtures create.
var fixtureSeq atomic.Int64

func nextSeq() int64 { return fixtureSeq.Add(1) }

// clockStart is the first reading of the test clock: not UTC and with
// nanoseconds, so that the store's normalisation is exercised.
var clockStart = time.Date(2025, 3, 10, 9, 15, 30, 123456789, time.FixedZone("CET", 3600))

// MustStore returns a store on a fresh database whose clock starts at
// clockStart and moves one second at every reading, so that every write has
// its own time.
func MustStore(tb testing.TB) *store.DB {
	tb.Helper()
	s := store.New(storetest.MustDB(tb))
	var mu sync.Mutex
	next := clockStart
	s.Now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t := next
		next = next.Add(time.Second)
		return t
	}
	return s
}

// vatNumber returns a valid partita IVA whose first ten digits end with n.
func vatNumber(tb testing.TB, n int64) string {
	tb.Helper()
	base := fmt.Sprintf("0%09d", n%1_000_000_000)
	for d := 0; d < 10; d++ {
		if v := fmt.Sprintf("%s%d", base, d); matching.ValidVATNumber(v) {
			return v
		}
	}
	tb.Fatalf("no check digit for %s", base)
	return ""
}

// MustProvider creates a public job centre in Trento.
func MustProvider(tb testing.TB, s *store.DB) matching.Provider {
	tb.Helper()
	n := nextSeq()
	p := matching.Provider{Code: fmt.Sprintf("cpi-%d", n), Name: fmt.Sprintf("Centro per l'impiego %d", n),
		Kind: matching.PublicCentre, MunicipalityCode: "022205", Email: fmt.Sprintf("cpi%d@example.it", n)}
	if err := s.CreateProvider(context.Background(), &p); err != nil {
		tb.Fatalf("create provider: %v", err)
	}
	return p
}

// MustEmployer creates a restaurant in Rovereto followed by the provider.
func MustEmployer(tb testing.TB, s *store.DB, providerID int64) matching.Employer {
	tb.Helper()
	n := nextSeq()
	vat := vatNumber(tb, n)
	e := matching.Employer{Name: fmt.Sprintf("Ristorante %d", n), TaxCode: vat, VATNumber: vat, ATECOCode: "56.10.11",
		MunicipalityCode: "022161", Email: fmt.Sprintf("info%d@ristorante.example.it", n), ProviderID: &providerID}
	if err := s.CreateEmployer(context.Background(), &e); err != nil {
		tb.Fatalf("create employer: %v", err)
	}
	return e
}

// MustOperator creates an operator of the provider.
func MustOperator(tb testing.TB, s *store.DB, providerID int64) matching.User {
	tb.Helper()
	n := nextSeq()
	u := matching.User{Email: fmt.Sprintf("operatore%d@cpi.example.it", n), Name: fmt.Sprintf("Operatore %d", n),
		Role: matching.RoleOperator, ProviderID: &providerID}
	if err := s.CreateUser(context.Background(), &u); err != nil {
		tb.Fatalf("create operator: %v", err)
	}
	return u
}

// MustCandidate creates a jobseeker in Trento who chose how to be presented.
func MustCandidate(tb testing.TB, s *store.DB, presentation matching.Presentation) matching.Candidate {
	tb.Helper()
	n := nextSeq()
	c := matching.Candidate{GivenName: "Giulia", FamilyName: fmt.Sprintf("Rossi %d", n),
		Email: fmt.Sprintf("giulia.rossi%d@example.it", n), HomeMunicipality: "022205", MobilityKm: 30,
		Searchable: true, Presentation: presentation, Headline: "Cuoca"}
	if err := s.CreateCandidate(context.Background(), &c); err != nil {
		tb.Fatalf("create candidate: %v", err)
	}
	return c
}

// MustVacancy creates a draft vacancy of the employer with two ranked
// requirements.
func MustVacancy(tb testing.TB, s *store.DB, employerID int64) matching.Vacancy {
	tb.Helper()
	v := matching.Vacancy{EmployerID: employerID, Title: "Cuoco/a di linea", MunicipalityCode: "022161",
		ContractType: "fixed_term", Requirements: []matching.Requirement{
			{Rank: 1, Essential: true, Kind: matching.ReqOccupation, Label: "Cuoco"},
			{Rank: 2, Kind: matching.ReqLanguage, Code: "de", Level: "B1"},
		}}
	if err := s.CreateVacancy(context.Background(), &v); err != nil {
		tb.Fatalf("create vacancy: %v", err)
	}
	return v
}

// requestFixture is a 4C request with everything it hangs on.
type requestFixture struct {
	Provider matching.Provider
	Employer matching.Employer
	Operator matching.User
	Vacancy  matching.Vacancy
	Request  matching.Request
}

// MustRequest creates a provider, an operator, an employer, a vacancy and a
// request for it handled by the operator.
func MustRequest(tb testing.TB, s *store.DB) requestFixture {
	tb.Helper()
	var f requestFixture
	f.Provider = MustProvider(tb, s)
	f.Operator = MustOperator(tb, s, f.Provider.ID)
	f.Employer = MustEmployer(tb, s, f.Provider.ID)
	f.Vacancy = MustVacancy(tb, s, f.Employer.ID)
	f.Request = MustRequestFor(tb, s, f.Provider.ID, f.Employer.ID, f.Vacancy.ID, &f.Operator.ID)
	return f
}

// MustRequestFor creates a request for the vacancy.
func MustRequestFor(tb testing.TB, s *store.DB, providerID, employerID, vacancyID int64, operatorID *int64) matching.Request {
	tb.Helper()
	r := matching.Request{ProviderID: providerID, EmployerID: employerID, VacancyID: vacancyID,
		OperatorID: operatorID, CreatedBy: operatorID}
	if err := s.CreateRequest(context.Background(), &r); err != nil {
		tb.Fatalf("create request: %v", err)
	}
	return r
}

// MustEntry adds the candidate to the request's pipeline, found by search.
func MustEntry(tb testing.TB, s *store.DB, requestID, candidateID int64, by *int64) matching.PipelineEntry {
	tb.Helper()
	e := matching.PipelineEntry{RequestID: requestID, CandidateID: &candidateID, Source: matching.SourceSearch, CreatedBy: by}
	if err := s.AddPipelineEntry(context.Background(), &e); err != nil {
		tb.Fatalf("add pipeline entry: %v", err)
	}
	return e
}

// MustShortlist creates a draft shortlist of the entries, in order, named.
func MustShortlist(tb testing.TB, s *store.DB, requestID int64, a store.Actor, entryIDs ...int64) matching.Shortlist {
	tb.Helper()
	sl := matching.Shortlist{RequestID: requestID}
	for _, id := range entryIDs {
		sl.Items = append(sl.Items, matching.ShortlistItem{EntryID: id, Mode: "named"})
	}
	if err := s.CreateShortlist(context.Background(), &sl, a); err != nil {
		tb.Fatalf("create shortlist: %v", err)
	}
	return sl
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// jsonEqual compares JSON documents by meaning, since PostgreSQL's jsonb
// does not keep spacing and key order.
var jsonEqual = cmp.Comparer(func(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
})

// wantError checks that err is a coded error with the code and field.
func wantError(tb testing.TB, err error, code, field string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want %s on %q", code, field)
	}
	var me *matching.Error
	if !errors.As(err, &me) {
		tb.Fatalf("got %T %v, want a *matching.Error", err, err)
	}
	if me.Code != code || me.Field != field {
		tb.Fatalf("got %s on %q (%v), want %s on %q", me.Code, me.Field, err, code, field)
	}
}

// wantMessage checks that err's message mentions each of the words.
func wantMessage(tb testing.TB, err error, words ...string) {
	tb.Helper()
	for _, w := range words {
		if !strings.Contains(matching.ErrorMessage(err), w) {
			tb.Errorf("message %q does not mention %q", matching.ErrorMessage(err), w)
		}
	}
}

// mustNoError stops the test on an unexpected error.
func mustNoError(tb testing.TB, err error, what string) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}
