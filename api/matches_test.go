package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"incontro/index"
	"incontro/matching"
	"incontro/store"
)

// matchWorld is the search world whose request 1 asks for a cook with
// German and a licence, near Trento.
func newMatchWorld(t *testing.T) *searchWorld {
	t.Helper()
	sw := newSearchWorld(t, inIntake())
	ctx := context.Background()
	v, err := sw.db.Vacancy(ctx, sw.request1.VacancyID)
	if err != nil {
		t.Fatal(err)
	}
	years, km := 3.0, 30
	v.Title = "Cuoco di ristorante"
	v.OccupationCode, v.ISCOCode = "occ-cuoco", "5120"
	v.Requirements = []matching.Requirement{
		{Rank: 1, Kind: matching.ReqOccupation, Code: "occ-cuoco", Label: "Cuoco", MinYears: &years},
		{Rank: 2, Kind: matching.ReqLanguage, Code: "de", Level: "B2", Essential: true},
		{Rank: 3, Kind: matching.ReqLicence, Code: "B"},
		{Rank: 4, Kind: matching.ReqDistance, MaxKm: &km},
	}
	if err := sw.db.UpdateVacancy(ctx, &v); err != nil {
		t.Fatal(err)
	}
	// Matching starts once the requirements are ranked.
	op := store.Actor{UserID: sw.users[operatorA].ID, Role: matching.RoleOperator}
	if _, err := sw.db.TransitionRequest(ctx, sw.request1.ID, matching.TransitionInput{To: matching.StatusRequirementsRanked}, op); err != nil {
		t.Fatal(err)
	}
	return sw
}

func decodeRun(t *testing.T, body []byte) matching.MatchRun {
	t.Helper()
	var run matching.MatchRun
	if err := json.Unmarshal(body, &run); err != nil {
		t.Fatalf("not a match run: %v: %s", err, body)
	}
	return run
}

func explanationOf(t *testing.T, r matching.MatchResult) matching.Explanation {
	t.Helper()
	var e matching.Explanation
	if err := json.Unmarshal(r.Explanation, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

func resultFor(run matching.MatchRun, id int64) (matching.MatchResult, bool) {
	for _, r := range run.Results {
		if r.CandidateID != nil && *r.CandidateID == id {
			return r, true
		}
	}
	return matching.MatchResult{}, false
}

func TestAMatchRunRanksExplainsAndReadsBackByteForByte(t *testing.T) {
	sw := newMatchWorld(t)
	op := sw.signIn(operatorA)
	path := fmt.Sprintf("/api/v1/requests/%d/matches", sw.request1.ID)
	status, posted := op.do(http.MethodPost, path, map[string]any{})
	if status != http.StatusCreated {
		t.Fatalf("run: %d %s", status, posted)
	}
	run := decodeRun(t, posted)
	if len(run.Results) == 0 || run.Results[0].CandidateID == nil || *run.Results[0].CandidateID != sw.cook.ID {
		t.Fatalf("the cook with German B2 should rank first: %s", posted)
	}
	if _, found := resultFor(run, sw.private.ID); found {
		t.Error("a candidate who did not consent to be presented was matched")
	}

	t.Run("the explanation carries the evidence", func(t *testing.T) {
		e := explanationOf(t, run.Results[0])
		if len(e.Requirements) != 4 {
			t.Fatalf("requirements = %+v", e.Requirements)
		}
		lang := e.Requirements[1]
		if lang.Evidence != matching.Met || !strings.Contains(lang.Reason.String(), "B2") || len(lang.Proofs) == 0 {
			t.Errorf("language assessment = %+v", lang)
		}
		dist := e.Requirements[3]
		if dist.DistanceKm == nil || dist.Evidence != matching.Met {
			t.Errorf("distance assessment = %+v", dist)
		}
		var sum float64
		for _, a := range e.Requirements {
			sum += a.Contribution
		}
		sum += e.TextContribution + e.FreshnessContribution
		if d := sum - e.Score; d > 0.001 || d < -0.001 {
			t.Errorf("contributions add up to %.4f, the score is %.4f", sum, e.Score)
		}
	})

	t.Run("a candidate missing the essential language is a near miss", func(t *testing.T) {
		r, found := resultFor(run, sw.waiter.ID)
		if !found || !r.NearMiss {
			t.Fatalf("the waiter (Italian and English, no German) should be a near miss: %+v", r)
		}
		if e := explanationOf(t, r); len(e.MissingEssentials) != 1 || e.MissingEssentials[0] != 2 {
			t.Errorf("missing essentials = %v, want rank 2", e.MissingEssentials)
		}
	})

	t.Run("an unknown essential keeps the candidate in the main list, to verify", func(t *testing.T) {
		r, found := resultFor(run, sw.dev.ID)
		if !found || r.NearMiss {
			t.Fatalf("the developer lists no language: unknown, so in the main list: %+v", r)
		}
		e := explanationOf(t, r)
		if len(e.UnknownEssentials) != 1 || len(e.ToVerify) == 0 {
			t.Errorf("unknown essentials %v, to verify %v", e.UnknownEssentials, e.ToVerify)
		}
	})

	t.Run("the stored run reads back as the same bytes", func(t *testing.T) {
		for range 2 {
			status, got := op.do(http.MethodGet, fmt.Sprintf("%s/%d", path, run.ID), nil)
			if status != http.StatusOK {
				t.Fatalf("get: %d %s", status, got)
			}
			if !bytes.Equal(got, posted) {
				t.Fatalf("the run changed:\nposted %s\nread   %s", posted, got)
			}
		}
	})

	t.Run("the run records its parameters, weights and data version", func(t *testing.T) {
		var p struct {
			Scoring string `json:"scoring"`
			Weights []struct {
				Weight float64 `json:"weight"`
			} `json:"weights"`
			Vacancy matching.Vacancy `json:"vacancy"`
			Data    struct {
				IndexPosition  string `json:"index_position"`
				MappingVersion int    `json:"mapping_version"`
			} `json:"data"`
		}
		if err := json.Unmarshal(run.Params, &p); err != nil {
			t.Fatal(err)
		}
		if p.Scoring == "" || len(p.Weights) != 4 || p.Weights[0].Weight != 0.5208 || len(p.Vacancy.Requirements) != 4 ||
			p.Data.IndexPosition == "" || p.Data.MappingVersion != index.MappingVersion {
			t.Errorf("params = %s", run.Params)
		}
		status, body := op.do(http.MethodGet, path, nil)
		if status != http.StatusOK || !strings.Contains(string(body), fmt.Sprintf(`"id":%d`, run.ID)) {
			t.Errorf("list of runs: %d %s", status, body)
		}
	})

	t.Run("running a match is audited", func(t *testing.T) {
		evs, _, err := sw.db.AuditLog(context.Background(), store.AuditFilter{Action: "match_run"})
		if err != nil || len(evs) == 0 {
			t.Fatalf("no match_run audit event (%v)", err)
		}
	})

	t.Run("a run of another request is not found under this one", func(t *testing.T) {
		status, _ := sw.signIn(admin).do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/matches/%d", sw.request2.ID, run.ID), nil)
		if status != http.StatusNotFound && status != http.StatusForbidden {
			t.Errorf("got %d", status)
		}
	})
}

func TestProtectedAttributesChangeNoScore(t *testing.T) {
	sw := newMatchWorld(t)
	op := sw.signIn(operatorA)
	path := fmt.Sprintf("/api/v1/requests/%d/matches", sw.request1.ID)
	scores := func() map[int64]string {
		status, body := op.do(http.MethodPost, path, nil)
		if status != http.StatusCreated {
			t.Fatalf("run: %d %s", status, body)
		}
		out := map[int64]string{}
		for _, r := range decodeRun(t, body).Results {
			out[*r.CandidateID] = fmt.Sprintf("%v %v %s", r.Score, r.NearMiss, r.Explanation)
		}
		return out
	}
	before := scores()
	ctx := context.Background()
	born := time.Date(1961, 4, 2, 0, 0, 0, 0, time.UTC)
	young := time.Date(2004, 9, 30, 0, 0, 0, 0, time.UTC)
	for i, c := range []matching.Candidate{sw.cook, sw.waiter, sw.dev, sw.candidate1} {
		p := matching.Protected{CandidateID: c.ID, Sex: []string{"F", "M", "X", "F"}[i], BirthDate: &born,
			Citizenship: []string{"IT", "MA", "RO", "UA"}[i], Disability: i%2 == 0}
		if i%2 == 1 {
			p.BirthDate = &young
			p.L68Category = "art1"
		}
		if err := sw.db.SetProtected(ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	after := scores()
	if len(before) == 0 || len(before) != len(after) {
		t.Fatalf("before %d results, after %d", len(before), len(after))
	}
	for id, s := range before {
		if after[id] != s {
			t.Errorf("candidate %d: score changed with protected attributes:\nbefore %s\nafter  %s", id, s, after[id])
		}
	}
}

func TestMatchOptionsAreCheckedAndProtectedOnesRefused(t *testing.T) {
	sw := newMatchWorld(t)
	op := sw.signIn(operatorA)
	path := fmt.Sprintf("/api/v1/requests/%d/matches", sw.request1.ID)
	for _, tc := range []struct {
		body      string
		field     string
		protected bool
	}{
		{`{"sex":"F"}`, "sex", true},
		{`{"age":30}`, "age", true},
		{`{"citizenship":"IT"}`, "citizenship", true},
		{`{"sort":"age"}`, "sort", true},
		{`{"k":9999}`, "k", false},
		{`{"near_miss_limit":-1}`, "near_miss_limit", false},
		{`{"weighting":"gut"}`, "weighting", false},
		{`{"colour":"blue"}`, "colour", false},
	} {
		status, body := op.do(http.MethodPost, path, json.RawMessage(tc.body))
		if status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s, want 422", tc.body, status, body)
			continue
		}
		e := errorOf(t, body)
		if e.Field != tc.field || strings.Contains(e.Message, "protected attribute") != tc.protected {
			t.Errorf("%s: %+v", tc.body, e)
		}
	}
	runs, err := sw.db.MatchRuns(context.Background(), sw.request1.ID)
	if err != nil || len(runs) != 0 {
		t.Errorf("a refused match stored %d runs (%v)", len(runs), err)
	}
}

func TestAMatchNeedsRankedRequirements(t *testing.T) {
	sw := newMatchWorld(t)
	ctx := context.Background()
	v, err := sw.db.Vacancy(ctx, sw.request1.VacancyID)
	if err != nil {
		t.Fatal(err)
	}
	v.Requirements = nil
	if err := sw.db.UpdateVacancy(ctx, &v); err != nil {
		t.Fatal(err)
	}
	status, body := sw.signIn(operatorA).do(http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/matches", sw.request1.ID), nil)
	if status != http.StatusUnprocessableEntity || errorOf(t, body).Field != "requirements" {
		t.Errorf("%d %s", status, body)
	}
}

func TestReverseMatchingListsThePublishedVacanciesThatFit(t *testing.T) {
	sw := newMatchWorld(t)
	ctx := context.Background()
	published := sw.clock.Now().Add(-time.Hour)
	mk := func(title, occ, isco, lang string) matching.Vacancy {
		v := matching.Vacancy{EmployerID: sw.employer1.ID, Title: title, OccupationCode: occ, ISCOCode: isco, MunicipalityCode: "022205",
			ContractType: "permanent", Status: matching.VacancyPublished, PublishedAt: &published,
			Requirements: []matching.Requirement{
				{Rank: 1, Kind: matching.ReqOccupation, Code: occ},
				{Rank: 2, Kind: matching.ReqLanguage, Code: lang, Level: "B1", Essential: true},
			}}
		if err := sw.db.CreateVacancy(ctx, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	cookJob := mk("Cuoco", "occ-cuoco", "5120", "de")
	waiterJob := mk("Cameriere di sala", "occ-cameriere-sala", "5131", "de")
	frenchJob := mk("Cuoco per brasserie", "occ-cuoco", "5120", "fr")

	var rev struct {
		Matches []struct {
			Vacancy struct {
				ID int64 `json:"id"`
			} `json:"vacancy"`
			Fit float64 `json:"fit"`
		} `json:"matches"`
		NearMisses []struct {
			Vacancy struct {
				ID int64 `json:"id"`
			} `json:"vacancy"`
		} `json:"near_misses"`
	}
	status, body := sw.signIn(operatorA).do(http.MethodGet, fmt.Sprintf("/api/v1/candidates/%d/vacancies", sw.cook.ID), nil)
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	if err := json.Unmarshal(body, &rev); err != nil {
		t.Fatal(err)
	}
	if len(rev.Matches) != 2 || rev.Matches[0].Vacancy.ID != cookJob.ID || rev.Matches[1].Vacancy.ID != waiterJob.ID ||
		rev.Matches[0].Fit <= rev.Matches[1].Fit {
		t.Errorf("the cook's matches should be the cook job, then the waiter job: %s", body)
	}
	if len(rev.NearMisses) != 1 || rev.NearMisses[0].Vacancy.ID != frenchJob.ID {
		t.Errorf("the French-speaking job is a near miss for a cook without French: %s", body)
	}
	evs, _, err := sw.db.AuditLog(ctx, store.AuditFilter{Action: "cv_read"})
	if err != nil || len(evs) == 0 || !strings.Contains(string(evs[0].Detail), "reverse_match") {
		t.Errorf("a staff reverse match is a CV read and must be audited: %+v %v", evs, err)
	}

	t.Run("the jobseeker sees their own", func(t *testing.T) {
		status, body := sw.signIn(jobseeker1).do(http.MethodGet, fmt.Sprintf("/api/v1/candidates/%d/vacancies?limit=5", sw.candidate1.ID), nil)
		if status != http.StatusOK || !strings.Contains(string(body), `"matches"`) {
			t.Errorf("%d %s", status, body)
		}
	})
	t.Run("bad and protected parameters are refused", func(t *testing.T) {
		for q, field := range map[string]string{"limit=0": "limit", "sex=F": "sex", "page=2": "page"} {
			status, body := sw.signIn(operatorA).do(http.MethodGet, fmt.Sprintf("/api/v1/candidates/%d/vacancies?%s", sw.cook.ID, q), nil)
			if status != http.StatusUnprocessableEntity || errorOf(t, body).Field != field {
				t.Errorf("%s: %d %s", q, status, body)
			}
		}
	})
}
