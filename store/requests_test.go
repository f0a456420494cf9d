package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"incontro/matching"
	"incontro/store"
)

func TestCreateRequestRoundTrips(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)

	got, err := s.Request(ctx, f.Request.ID)
	mustNoError(t, err, "read request")
	if diff := cmp.Diff(f.Request, got); diff != "" {
		t.Errorf("request read back differs (-written +read):\n%s", diff)
	}
	if got.Status != matching.StatusIntake {
		t.Errorf("status = %q, want intake by default", got.Status)
	}
	if got.OpenedAt.Location() != time.UTC || got.OpenedAt.Nanosecond()%1000 != 0 {
		t.Errorf("opened_at %v is not UTC to the microsecond", got.OpenedAt)
	}

	history, err := s.RequestHistory(ctx, f.Request.ID)
	mustNoError(t, err, "read history")
	want := []matching.StatusChange{{ID: history[0].ID, To: matching.StatusIntake, At: f.Request.OpenedAt, By: &f.Operator.ID}}
	if diff := cmp.Diff(want, history); diff != "" {
		t.Errorf("history differs (-want +got):\n%s", diff)
	}
}

func TestCreateRequestOfAClosedRequestRoundTrips(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	p := MustProvider(t, s)
	e := MustEmployer(t, s, p.ID)
	v := MustVacancy(t, s, e.ID)
	opened := time.Date(2024, 11, 4, 10, 0, 0, 999, time.UTC)
	closed := opened.Add(72 * time.Hour)
	r := matching.Request{ProviderID: p.ID, EmployerID: e.ID, VacancyID: v.ID, Status: matching.StatusClosed,
		Outcome: ptr(matching.OutcomeFilled), With4D: true, OpenedAt: opened, ClosedAt: &closed}
	mustNoError(t, s.CreateRequest(ctx, &r), "create")
	got, err := s.Request(ctx, r.ID)
	mustNoError(t, err, "read")
	if diff := cmp.Diff(r, got); diff != "" {
		t.Errorf("request read back differs (-written +read):\n%s", diff)
	}
	if !got.OpenedAt.Equal(opened.Truncate(time.Microsecond)) {
		t.Errorf("opened_at = %v, want the given time %v", got.OpenedAt, opened)
	}
}

func TestCreateRequestRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	other := MustEmployer(t, s, f.Provider.ID)
	otherVacancy := MustVacancy(t, s, other.ID)
	freeVacancy := MustVacancy(t, s, f.Employer.ID)

	tests := []struct {
		name   string
		change func(r *matching.Request)
		code   string
		field  string
	}{
		{"a request without a provider", func(r *matching.Request) { r.ProviderID = 0 }, matching.EINVALID, "provider_id"},
		{"a provider that does not exist", func(r *matching.Request) { r.ProviderID = 999999 }, matching.EINVALID, "provider_id"},
		{"an operator that does not exist", func(r *matching.Request) { r.OperatorID = ptr(int64(999999)) }, matching.EINVALID, "operator_id"},
		{"an author that does not exist", func(r *matching.Request) { r.CreatedBy = ptr(int64(999999)) }, matching.EINVALID, "created_by"},
		{"a vacancy that does not exist", func(r *matching.Request) { r.VacancyID = 999999 }, matching.EINVALID, "vacancy_id"},
		{"another employer's vacancy", func(r *matching.Request) { r.VacancyID = otherVacancy.ID }, matching.EINVALID, "vacancy_id"},
		{"a second request for the same vacancy", func(r *matching.Request) { r.VacancyID = f.Vacancy.ID }, matching.ECONFLICT, "vacancy_id"},
		{"an unknown status", func(r *matching.Request) { r.Status = "paused" }, matching.EINVALID, "status"},
		{"a closed request without outcome", func(r *matching.Request) { r.Status = matching.StatusClosed }, matching.EINVALID, "outcome"},
		{"an outcome on an open request", func(r *matching.Request) { r.Outcome = ptr(matching.OutcomeFilled) }, matching.EINVALID, "outcome"},
		{"a closing time on an open request", func(r *matching.Request) { r.ClosedAt = ptr(time.Now()) }, matching.EINVALID, "closed_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			r := matching.Request{ProviderID: f.Provider.ID, EmployerID: f.Employer.ID, VacancyID: freeVacancy.ID}
			tt.change(&r)
			wantError(t, s.CreateRequest(ctx, &r), tt.code, tt.field)
		})
	}
	list, total, err := s.Requests(ctx, store.RequestFilter{})
	mustNoError(t, err, "list")
	if total != 1 || len(list) != 1 {
		t.Errorf("after refused writes there are %d requests (total %d), want 1", len(list), total)
	}
}

func TestRequestThatDoesNotExistIsNotFound(t *testing.T) {
	s := MustStore(t)
	_, err := s.Request(context.Background(), 424242)
	wantError(t, err, matching.ENOTFOUND, "")
}

func TestRequestsFilterAndCount(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	a := MustRequest(t, s)
	b := MustRequest(t, s)
	a2Vacancy := MustVacancy(t, s, a.Employer.ID)
	a2 := MustRequestFor(t, s, a.Provider.ID, a.Employer.ID, a2Vacancy.ID, nil)
	for _, to := range []matching.RequestStatus{matching.StatusRequirementsRanked, matching.StatusSearching} {
		_, err := s.TransitionRequest(ctx, a2.ID, matching.TransitionInput{To: to}, store.Actor{Role: matching.RoleOperator})
		mustNoError(t, err, "change")
	}

	ids := func(rs []matching.Request) []int64 {
		out := []int64{}
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	tests := []struct {
		name      string
		filter    store.RequestFilter
		wantIDs   []int64
		wantTotal int
	}{
		{"no filter lists all, newest first", store.RequestFilter{}, []int64{a2.ID, b.Request.ID, a.Request.ID}, 3},
		{"by provider", store.RequestFilter{ProviderID: a.Provider.ID}, []int64{a2.ID, a.Request.ID}, 2},
		{"by employer", store.RequestFilter{EmployerID: b.Employer.ID}, []int64{b.Request.ID}, 1},
		{"by operator", store.RequestFilter{OperatorID: a.Operator.ID}, []int64{a.Request.ID}, 1},
		{"by status", store.RequestFilter{Status: matching.StatusSearching}, []int64{a2.ID}, 1},
		{"a page keeps the total", store.RequestFilter{Limit: 1, Offset: 1}, []int64{b.Request.ID}, 3},
		{"past the end", store.RequestFilter{Offset: 10}, []int64{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.Requests(ctx, tt.filter)
			mustNoError(t, err, "list")
			if diff := cmp.Diff(tt.wantIDs, ids(got)); diff != "" {
				t.Errorf("ids differ (-want +got):\n%s", diff)
			}
			if total != tt.wantTotal {
				t.Errorf("total = %d, want %d", total, tt.wantTotal)
			}
		})
	}
}

func TestMatchRunRoundTrips(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c1 := MustCandidate(t, s, matching.PresentNamed)
	c2 := MustCandidate(t, s, matching.PresentBlind)

	first := matching.MatchRun{RequestID: f.Request.ID, Params: json.RawMessage(`{"q":"cuoco","essential":[1]}`),
		Recalled: 2, CreatedBy: &f.Operator.ID, Results: []matching.MatchResult{
			{Position: 2, CandidateID: &c2.ID, Score: 0.5, NearMiss: true, Explanation: json.RawMessage(`{"missing":["de B1"]}`)},
			{Position: 1, CandidateID: &c1.ID, Score: 0.875, Explanation: json.RawMessage(`{"met":["cuoco"], "text": "quote \" and \\ back"}`)},
			{Position: 3, Score: 0.1, Explanation: json.RawMessage(`[]`)},
		}}
	mustNoError(t, s.CreateMatchRun(ctx, &first), "create first run")
	second := matching.MatchRun{RequestID: f.Request.ID, Params: json.RawMessage(`{}`)}
	mustNoError(t, s.CreateMatchRun(ctx, &second), "create second run")

	got, err := s.MatchRun(ctx, first.ID)
	mustNoError(t, err, "read run")
	want := first
	want.Results = []matching.MatchResult{first.Results[1], first.Results[0], first.Results[2]}
	if diff := cmp.Diff(want, got, jsonEqual); diff != "" {
		t.Errorf("run read back differs (-want +got):\n%s", diff)
	}

	latest, err := s.LatestMatchRun(ctx, f.Request.ID)
	mustNoError(t, err, "latest")
	if diff := cmp.Diff(second, latest, jsonEqual); diff != "" {
		t.Errorf("latest run differs (-want +got):\n%s", diff)
	}
}

func TestMatchRunManyResultsAreInsertedInOrder(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	run := matching.MatchRun{RequestID: f.Request.ID, Params: json.RawMessage(`{}`), Recalled: 1000}
	for i := range 1000 {
		run.Results = append(run.Results, matching.MatchResult{CandidateID: &c.ID, Score: 1 - float64(i)/1000,
			Explanation: json.RawMessage(fmt.Sprintf(`{"i": %d}`, i))})
	}
	mustNoError(t, s.CreateMatchRun(ctx, &run), "create")
	got, err := s.MatchRun(ctx, run.ID)
	mustNoError(t, err, "read")
	if diff := cmp.Diff(run, got, jsonEqual); diff != "" {
		t.Errorf("run read back differs (-want +got):\n%s", diff)
	}
}

func TestMatchRunRefusals(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	ok := json.RawMessage(`{}`)
	tests := []struct {
		name  string
		run   matching.MatchRun
		code  string
		field string
	}{
		{"a run without request", matching.MatchRun{Params: ok}, matching.EINVALID, "request_id"},
		{"a request that does not exist", matching.MatchRun{RequestID: 999999, Params: ok}, matching.EINVALID, "request_id"},
		{"parameters that are not JSON", matching.MatchRun{RequestID: f.Request.ID, Params: json.RawMessage(`{`)}, matching.EINVALID, "params"},
		{"a negative recall", matching.MatchRun{RequestID: f.Request.ID, Params: ok, Recalled: -1}, matching.EINVALID, "recalled"},
		{"a result for a candidate that does not exist", matching.MatchRun{RequestID: f.Request.ID, Params: ok,
			Results: []matching.MatchResult{{CandidateID: &c.ID, Explanation: ok}, {CandidateID: ptr(int64(999999)), Explanation: ok}}},
			matching.EINVALID, "results.candidate_id"},
		{"two results in the same position", matching.MatchRun{RequestID: f.Request.ID, Params: ok,
			Results: []matching.MatchResult{{Position: 1, Explanation: ok}, {Position: 1, Explanation: ok}}},
			matching.EINVALID, "results[1].position"},
		{"a result without explanation", matching.MatchRun{RequestID: f.Request.ID, Params: ok,
			Results: []matching.MatchResult{{CandidateID: &c.ID}}}, matching.EINVALID, "results[0].explanation"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.CreateMatchRun(ctx, &tt.run), tt.code, tt.field)
		})
	}
	_, err := s.LatestMatchRun(ctx, f.Request.ID)
	wantError(t, err, matching.ENOTFOUND, "")
	_, err = s.MatchRun(ctx, 999999)
	wantError(t, err, matching.ENOTFOUND, "")
}
