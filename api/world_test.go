package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"incontro/api"
	"incontro/matching"
	"incontro/password"
	"incontro/store"
	"incontro/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// fastHash keeps test accounts cheap to sign in to.
var fastHash = password.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// testPassword is the password of every account of the world.
const testPassword = "una frase abbastanza lunga"

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Actor names of the world; "anonymous" signs in as nobody.
const (
	anonymous  = "anonymous"
	admin      = "admin"
	monitor    = "monitor"
	operatorA  = "operatorA"
	operatorB  = "operatorB"
	employer1  = "employer1"
	employer2  = "employer2"
	jobseeker1 = "jobseeker1"
	jobseeker2 = "jobseeker2"
)

var actors = []string{anonymous, admin, monitor, operatorA, operatorB, employer1, employer2, jobseeker1, jobseeker2}

// world is a small instance of incontro with one account of every kind and
// records that belong to some and not to others: provider A serves
// employer 1, whose request presented candidate 1 (jobseeker 1); provider B
// serves employer 2, whose request has candidate 2 (jobseeker 2), not
// presented.
type world struct {
	t     *testing.T
	db    *store.DB
	srv   *api.Server
	ts    *httptest.Server
	clock *clock
	users map[string]matching.User

	providerA, providerB matching.Provider
	employer1, employer2 matching.Employer
	candidate1           matching.Candidate
	candidate2           matching.Candidate
	request1, request2   matching.Request
	vacancy1, vacancy2   matching.Vacancy
	// Workflow records of request 1: candidate 1's pipeline entry, the
	// presented shortlist, candidate 1's self-application to vacancy 1, an
	// availability request to jobseeker 1, and operator A's time entry.
	entry1, entry2 matching.PipelineEntry
	shortlist1     matching.Shortlist
	application1   matching.Application
	availability1  matching.AvailabilityRequest
	timeEntry1     matching.TimeEntry
}

// worldOption changes how the world is built.
type worldOption func(*worldSetup)

type worldSetup struct {
	cfg *api.Config
	// intake leaves request 1 in intake with candidate 1 available, for the
	// tests that take it along the life cycle themselves: no shortlist is
	// presented (shortlist1 stays zero, employer 1 sees no candidate).
	intake bool
}

// withConfig changes the server's configuration.
func withConfig(f func(*api.Config)) worldOption { return func(s *worldSetup) { f(s.cfg) } }

// inIntake leaves request 1 in intake (see worldSetup).
func inIntake() worldOption { return func(s *worldSetup) { s.intake = true } }

func newWorld(t *testing.T, opts ...worldOption) *world {
	t.Helper()
	ctx := context.Background()
	cfg := api.Config{Registry: prometheus.NewRegistry(), Version: "test"}
	setup := worldSetup{cfg: &cfg}
	for _, o := range opts {
		o(&setup)
	}
	w := &world{t: t, db: store.New(storetest.MustDB(t)), users: map[string]matching.User{},
		// The clock starts at the real time: the client's cookie jar drops
		// cookies whose expiry (set from this clock) is past by the wall
		// clock, so a fixed start would fail the tests later in the day.
		clock: &clock{t: time.Now().UTC().Truncate(time.Second)}}
	w.db.Now = w.clock.Now // the server and the store share one clock
	must := func(err error, what string) {
		t.Helper()
		if err != nil {
			t.Fatalf("world: %s: %v", what, err)
		}
	}
	w.providerA = matching.Provider{Code: "cpi-a", Name: "Centro per l'impiego A", Kind: matching.PublicCentre, MunicipalityCode: "022205"}
	w.providerB = matching.Provider{Code: "agenzia-b", Name: "Agenzia B", Kind: matching.AccreditedAgency, MunicipalityCode: "022161"}
	must(w.db.CreateProvider(ctx, &w.providerA), "provider A")
	must(w.db.CreateProvider(ctx, &w.providerB), "provider B")
	w.employer1 = matching.Employer{Name: "Hotel Uno", TaxCode: "00000010009", ATECOCode: "55.10.00", MunicipalityCode: "022205",
		Email: "hotel.uno@example.org", ProviderID: &w.providerA.ID}
	w.employer2 = matching.Employer{Name: "Trasporti Due", TaxCode: "00000020008", ATECOCode: "49.41.00", MunicipalityCode: "022161",
		Email: "trasporti.due@example.org", ProviderID: &w.providerB.ID}
	must(w.db.CreateEmployer(ctx, &w.employer1), "employer 1")
	must(w.db.CreateEmployer(ctx, &w.employer2), "employer 2")
	w.candidate1 = matching.Candidate{GivenName: "Anna", FamilyName: "Uno", Email: "anna.uno@example.org", HomeMunicipality: "022205",
		MobilityKm: 20, Searchable: true, Presentation: matching.PresentNamed}
	w.candidate2 = matching.Candidate{GivenName: "Bruno", FamilyName: "Due", Email: "bruno.due@example.org", HomeMunicipality: "022161",
		MobilityKm: 20, Searchable: true, Presentation: matching.PresentBlind}
	must(w.db.CreateCandidate(ctx, &w.candidate1), "candidate 1")
	must(w.db.CreateCandidate(ctx, &w.candidate2), "candidate 2")

	accounts := []struct {
		name string
		u    matching.User
	}{
		{admin, matching.User{Role: matching.RoleAdmin}},
		{monitor, matching.User{Role: matching.RoleMonitor}},
		{operatorA, matching.User{Role: matching.RoleOperator, ProviderID: &w.providerA.ID}},
		{operatorB, matching.User{Role: matching.RoleOperator, ProviderID: &w.providerB.ID}},
		{employer1, matching.User{Role: matching.RoleEmployer, EmployerID: &w.employer1.ID}},
		{employer2, matching.User{Role: matching.RoleEmployer, EmployerID: &w.employer2.ID}},
		{jobseeker1, matching.User{Role: matching.RoleJobseeker, CandidateID: &w.candidate1.ID}},
		{jobseeker2, matching.User{Role: matching.RoleJobseeker, CandidateID: &w.candidate2.ID}},
	}
	for _, a := range accounts {
		u := a.u
		u.Email = strings.ToLower(a.name) + "@example.org"
		u.Name = "Utente " + a.name
		h, err := password.Hash(testPassword, fastHash)
		must(err, "hash")
		u.PasswordHash = h
		must(w.db.CreateUser(ctx, &u), "user "+a.name)
		w.users[a.name] = u
	}

	for i, side := range []struct {
		provider matching.Provider
		employer matching.Employer
		cand     matching.Candidate
		operator string
		present  bool
		out      *matching.Request
		vacancy  *matching.Vacancy
		entry    *matching.PipelineEntry
	}{
		{w.providerA, w.employer1, w.candidate1, operatorA, true, &w.request1, &w.vacancy1, &w.entry1},
		{w.providerB, w.employer2, w.candidate2, operatorB, false, &w.request2, &w.vacancy2, &w.entry2},
	} {
		v := matching.Vacancy{EmployerID: side.employer.ID, Title: fmt.Sprintf("Offerta %d", i+1), MunicipalityCode: side.employer.MunicipalityCode,
			ContractType: "permanent", Requirements: []matching.Requirement{{Rank: 1, Kind: matching.ReqLicence, Code: "B"}}}
		must(w.db.CreateVacancy(ctx, &v), "vacancy")
		*side.vacancy = v
		op := w.users[side.operator].ID
		r := matching.Request{ProviderID: side.provider.ID, EmployerID: side.employer.ID, VacancyID: v.ID, OperatorID: &op}
		must(w.db.CreateRequest(ctx, &r), "request")
		*side.out = r
		cid := side.cand.ID
		e := matching.PipelineEntry{RequestID: r.ID, CandidateID: &cid, Source: matching.SourceSearch, Stage: matching.StageAvailable}
		must(w.db.AddPipelineEntry(ctx, &e), "pipeline entry")
		*side.entry = e
		if side.present && !setup.intake {
			sl, err := presentShortlist(ctx, w.db, side.out, op, matching.ShortlistItem{EntryID: e.ID, Mode: "named"})
			must(err, "present")
			w.shortlist1 = sl
		}
	}
	opA := w.users[operatorA].ID
	c1 := w.candidate1.ID
	w.application1 = matching.Application{VacancyID: w.vacancy1.ID, CandidateID: &c1, Message: "Vorrei candidarmi."}
	must(w.db.CreateApplication(ctx, &w.application1), "application")
	w.availability1 = matching.AvailabilityRequest{EntryID: w.entry1.ID, SentBy: &opA}
	must(w.db.CreateAvailabilityRequest(ctx, &w.availability1), "availability request")
	w.timeEntry1 = matching.TimeEntry{RequestID: w.request1.ID, UserID: &opA, Phase: matching.Phase4C, Activity: "intake_interview",
		StartedAt: w.clock.Now().Add(-time.Hour), Minutes: 45}
	must(w.db.AddTimeEntry(ctx, &w.timeEntry1), "time entry")

	cfg.Store, cfg.Now = w.db, w.clock.Now
	srv, err := api.New(cfg)
	must(err, "server")
	w.srv = srv
	w.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(w.ts.Close)
	return w
}

// presentShortlist presents a shortlist of the items to the employer of a
// request as its operator, through the store's rules: a request still in
// intake is first taken to contacting. r is updated.
func presentShortlist(ctx context.Context, db *store.DB, r *matching.Request, operatorID int64, items ...matching.ShortlistItem) (matching.Shortlist, error) {
	a := store.Actor{UserID: operatorID, Role: matching.RoleOperator}
	if r.Status == matching.StatusIntake {
		for _, to := range []matching.RequestStatus{matching.StatusRequirementsRanked, matching.StatusSearching, matching.StatusContacting} {
			if _, err := db.TransitionRequest(ctx, r.ID, matching.TransitionInput{To: to}, a); err != nil {
				return matching.Shortlist{}, err
			}
		}
	}
	sl := matching.Shortlist{RequestID: r.ID, Items: items}
	if err := db.CreateShortlist(ctx, &sl, a); err != nil {
		return sl, err
	}
	sl, err := db.PresentShortlist(ctx, sl.ID, a, time.Time{})
	if err != nil {
		return sl, err
	}
	*r, err = db.Request(ctx, r.ID)
	return sl, err
}

// client is an actor's browser: a cookie jar and the session's CSRF token.
type client struct {
	w    *world
	http *http.Client
	csrf string
	// header is added to every request (e.g. Authorization).
	header http.Header
}

// newClient returns a client with no session.
func (w *world) newClient() *client {
	jar, _ := cookiejar.New(nil)
	return &client{w: w, http: &http.Client{Jar: jar}, header: http.Header{}}
}

// signIn returns a client signed in as the actor (anonymous: not signed in).
func (w *world) signIn(actor string) *client {
	w.t.Helper()
	c := w.newClient()
	if actor == anonymous {
		return c
	}
	status, body := c.do(http.MethodPost, "/api/v1/session", map[string]string{"email": w.users[actor].Email, "password": testPassword})
	if status != http.StatusOK {
		w.t.Fatalf("sign in as %s: %d %s", actor, status, body)
	}
	var info api.SessionInfo
	if err := json.Unmarshal(body, &info); err != nil {
		w.t.Fatal(err)
	}
	c.csrf = info.CSRFToken
	return c
}

// do sends a request with a JSON body (nil: none) and the CSRF token of the
// session, and returns the status and body.
func (c *client) do(method, path string, body any) (int, []byte) {
	c.w.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.w.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.w.ts.URL+path, r)
	if err != nil {
		c.w.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set(api.CSRFHeader, c.csrf)
	}
	for k, vs := range c.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// errorOf decodes the JSON error of a response body.
func errorOf(t *testing.T, body []byte) api.ErrorDetail {
	t.Helper()
	var e api.ErrorBody
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("not a JSON error: %s", body)
	}
	return e.Error
}

// auditActions returns the actions in the audit log, oldest first.
func (w *world) auditActions(userID int64) []string {
	w.t.Helper()
	events, _, err := w.db.AuditLog(context.Background(), store.AuditFilter{UserID: userID, Limit: 500})
	if err != nil {
		w.t.Fatal(err)
	}
	out := []string{}
	for i := len(events) - 1; i >= 0; i-- {
		out = append(out, events[i].Action)
	}
	return out
}
