package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"incontro/api"
	"incontro/index"
	"incontro/matching"
	"incontro/store"
)

func TestAJobseekerDownloadsAllTheirData(t *testing.T) {
	w := newWorld(t)
	if st, _ := w.signIn(operatorA).do(http.MethodGet, fmt.Sprintf("/api/v1/candidates/%d", w.candidate1.ID), nil); st != http.StatusOK {
		t.Fatal("operator read")
	}
	c := w.signIn(jobseeker1)
	req, err := http.NewRequest(http.MethodGet, w.ts.URL+"/api/v1/me/data", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="incontro-dati-`) || !strings.HasSuffix(cd, `.json"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	d := jsonOf[api.MyData](t, body)
	checks := []struct {
		what string
		ok   bool
	}{
		{"the account", d.Account.ID == w.users[jobseeker1].ID && d.Account.Email == w.users[jobseeker1].Email},
		{"the sessions", len(d.Sessions) >= 1 && d.Sessions[0].UserID == w.users[jobseeker1].ID},
		{"the CV", d.CV.ID == w.candidate1.ID && d.CV.GivenName == "Anna" && d.CV.HomeMunicipality == "022205"},
		{"the consent", d.Consent.Searchable && d.Consent.Presentation == matching.PresentNamed},
		{"the application", len(d.Applications) == 1 && d.Applications[0].ID == w.application1.ID &&
			d.Applications[0].Message == "Vorrei candidarmi." && d.Applications[0].VacancyTitle == "Offerta 1"},
		{"the availability question", len(d.AvailabilityQuestions) == 1 && d.AvailabilityQuestions[0].ID == w.availability1.ID &&
			d.AvailabilityQuestions[0].Open},
		{"the pipeline entry", len(d.PipelineEntries) == 1 && d.PipelineEntries[0].ID == w.entry1.ID &&
			d.PipelineEntries[0].Stage == matching.StagePresented && len(d.PipelineEntries[0].Stages) >= 2},
		{"the reads of the CV", len(d.CVViews) >= 1 && slices.ContainsFunc(d.CVViews, func(r store.CVRead) bool {
			return r.Role == matching.RoleOperator && r.Name == "Utente operatorA" && r.Organisation == "Centro per l'impiego A"
		})},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: %s", c.what, body)
		}
	}
	for _, secret := range []string{"password", "csrf", "pseudonym", "Bruno", testPassword} {
		if strings.Contains(string(body), secret) {
			t.Errorf("the download holds %q", secret)
		}
	}
	// Downloading is not a read of the CV by someone else.
	for _, ev := range w.cvReads(w.candidate1.ID) {
		if ev.UserID != nil && *ev.UserID == w.users[jobseeker1].ID {
			t.Errorf("the jobseeker's own download is recorded as a CV read: %+v", ev)
		}
	}

	for _, actor := range []string{admin, monitor, operatorA, employer1} {
		if st, _ := w.signIn(actor).do(http.MethodGet, "/api/v1/me/data", nil); st != http.StatusForbidden {
			t.Errorf("%s: %d", actor, st)
		}
	}
	if st, _ := w.newClient().do(http.MethodGet, "/api/v1/me/data", nil); st != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", st)
	}
}

func TestAJobseekerErasesTheirAccount(t *testing.T) {
	ix, err := index.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	w := newWorld(t, withConfig(func(c *api.Config) { c.Index = ix }))
	ctx := context.Background()
	indexer := index.NewIndexer(ix, w.db, nil)
	indexer.Now = w.clock.Now
	if err := indexer.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	found := func() []int64 {
		t.Helper()
		st, body := w.signIn(operatorA).do(http.MethodGet, "/api/v1/candidates/search?size=200", nil)
		if st != http.StatusOK {
			t.Fatalf("search: %d %s", st, body)
		}
		var ids []int64
		for _, h := range jsonOf[api.SearchResponse](t, body).Hits {
			ids = append(ids, h.ID)
		}
		return ids
	}
	if ids := found(); !slices.Contains(ids, w.candidate1.ID) {
		t.Fatalf("before the erasure the search finds %v, not candidate 1", ids)
	}

	js := w.signIn(jobseeker1)
	token := mustToken(t, js)
	for _, tc := range []struct {
		name  string
		body  any
		field string
	}{
		{"without the password", map[string]any{"confirm": true}, "password"},
		{"without the confirmation", map[string]any{"password": testPassword}, "confirm"},
		{"with a wrong password", map[string]any{"password": "una frase sbagliata", "confirm": true}, "password"},
		{"with an unknown field", map[string]any{"password": testPassword, "confirm": true, "everything": true}, "everything"},
	} {
		t.Run("refused "+tc.name, func(t *testing.T) {
			st, body := js.do(http.MethodDelete, "/api/v1/me", tc.body)
			if st != http.StatusUnprocessableEntity || errorOf(t, body).Field != tc.field {
				t.Fatalf("%d %s, want 422 on %s", st, body, tc.field)
			}
			w.candidate(w.candidate1.ID)
		})
	}
	for _, actor := range []string{admin, monitor, operatorA, employer1} {
		if st, _ := w.signIn(actor).do(http.MethodDelete, "/api/v1/me", map[string]any{"password": testPassword, "confirm": true}); st != http.StatusForbidden {
			t.Errorf("%s erasing: %d", actor, st)
		}
	}

	if st, body := js.do(http.MethodDelete, "/api/v1/me", map[string]any{"password": testPassword, "confirm": true}); st != http.StatusNoContent {
		t.Fatalf("erase: %d %s", st, body)
	}

	// Gone from PostgreSQL: the CV, the account, its sessions and tokens.
	if _, err := w.db.Candidate(ctx, w.candidate1.ID); matching.ErrorCode(err) != matching.ENOTFOUND {
		t.Errorf("candidate: %v", err)
	}
	if _, err := w.db.User(ctx, w.users[jobseeker1].ID); matching.ErrorCode(err) != matching.ENOTFOUND {
		t.Errorf("account: %v", err)
	}
	if st, _ := js.do(http.MethodGet, "/api/v1/me", nil); st != http.StatusUnauthorized {
		t.Errorf("the session still works: %d", st)
	}
	bearer := w.newClient()
	bearer.header.Set("Authorization", "Bearer "+token)
	if st, _ := bearer.do(http.MethodGet, "/api/v1/me", nil); st != http.StatusUnauthorized {
		t.Errorf("the API token still works: %d", st)
	}
	if st, _ := w.newClient().do(http.MethodPost, "/api/v1/session", map[string]string{"email": w.users[jobseeker1].Email, "password": testPassword}); st != http.StatusUnauthorized {
		t.Errorf("log-in after erasure: %d", st)
	}

	// The request's records keep a pseudonymous placeholder.
	entry, err := w.db.PipelineEntry(ctx, w.entry1.ID)
	if err != nil || entry.CandidateID != nil || entry.Pseudonym != w.entry1.Pseudonym || entry.Stage != matching.StagePresented {
		t.Errorf("pipeline entry after erasure: %+v %v", entry, err)
	}
	app, err := w.db.Application(ctx, w.application1.ID)
	if err != nil || app.CandidateID != nil || app.Message != "" {
		t.Errorf("application after erasure: %+v %v", app, err)
	}
	var n int
	if err := w.db.SQL().Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'candidate_erased' AND candidate_id = $1 AND role = 'jobseeker'`, w.candidate1.ID); err != nil || n != 1 {
		t.Errorf("erasure events: %d %v", n, err)
	}

	// Gone from the index once it has caught up with the outbox.
	if err := indexer.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if ids := found(); slices.Contains(ids, w.candidate1.ID) || !slices.Contains(ids, w.candidate2.ID) {
		t.Errorf("after the erasure the search finds %v", ids)
	}
}

// mustToken makes an API token for the client's user.
func mustToken(t *testing.T, c *client) string {
	t.Helper()
	st, body := c.do(http.MethodPost, "/api/v1/me/tokens", map[string]string{"name": "script"})
	if st != http.StatusCreated {
		t.Fatalf("token: %d %s", st, body)
	}
	return jsonOf[api.NewToken](t, body).Token
}
