package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"incontro/seed"
	"incontro/store"
	"incontro/store/storetest"
)

// apiClient is a signed-in browser of a running Main.
type apiClient struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func signIn(t *testing.T, base, email string) *apiClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &apiClient{t: t, base: base, http: &http.Client{Jar: jar}}
	status, body := c.do(http.MethodPost, "/api/v1/session", map[string]string{"email": email, "password": seed.DemoPassword})
	if status != http.StatusOK {
		t.Fatalf("sign in as %s: %d %s", email, status, body)
	}
	var info struct {
		CSRFToken string `json:"csrf_token"`
	}
	if err := json.Unmarshal(body, &info); err != nil {
		t.Fatal(err)
	}
	c.csrf = info.CSRFToken
	return c
}

func (c *apiClient) do(method, path string, body any) (int, []byte) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestACVEditedThroughTheAPIIsFoundBySearch is the whole path: a jobseeker
// edits their CV, the outbox carries it, the indexer applies it, and an
// operator's search finds it.
func TestACVEditedThroughTheAPIIsFoundBySearch(t *testing.T) {
	ctx := context.Background()
	url := storetest.MustURL(t)
	if code, _, stderr := run(t, env(map[string]string{"DATABASE_URL": url}), "seed", "--candidates", "200", "--as-of", "2026-11-25"); code != 0 {
		t.Fatalf("seed: %s", stderr)
	}
	cfg := DefaultConfig()
	cfg.DatabaseURL, cfg.DataDir, cfg.Addr, cfg.LogLevel = url, t.TempDir(), "127.0.0.1:0", "warn"
	m, err := NewMain(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Close()

	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var jobseeker struct {
		Email       string `db:"email"`
		CandidateID int64  `db:"candidate_id"`
	}
	if err := db.SQL().Get(&jobseeker, `SELECT email, candidate_id FROM users WHERE role = 'jobseeker' ORDER BY id LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	var operator string
	if err := db.SQL().Get(&operator, `SELECT email FROM users WHERE role = 'operator' ORDER BY id LIMIT 1`); err != nil {
		t.Fatal(err)
	}

	js := signIn(t, m.URL(), jobseeker.Email)
	path := fmt.Sprintf("/api/v1/candidates/%d", jobseeker.CandidateID)
	status, body := js.do(http.MethodGet, path, nil)
	if status != http.StatusOK {
		t.Fatalf("read own CV: %d %s", status, body)
	}
	var cv map[string]any
	if err := json.Unmarshal(body, &cv); err != nil {
		t.Fatal(err)
	}
	cv["headline"] = "Sommelier appassionata di vini trentini"
	cv["searchable"] = true
	cv["presentation"] = "named"
	edited := time.Now()
	if status, body := js.do(http.MethodPut, path, cv); status != http.StatusOK {
		t.Fatalf("edit own CV: %d %s", status, body)
	}

	op := signIn(t, m.URL(), operator)
	deadline := edited.Add(10 * time.Second)
	for {
		status, body := op.do(http.MethodGet, "/api/v1/candidates/search?q=sommelier+trentini", nil)
		if status != http.StatusOK {
			t.Fatalf("search: %d %s", status, body)
		}
		if strings.Contains(string(body), fmt.Sprintf(`"id":%d`, jobseeker.CandidateID)) {
			t.Logf("the edited CV was found %s after the edit", time.Since(edited).Round(time.Millisecond))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the edited CV was not found within 10 s: %s", body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
