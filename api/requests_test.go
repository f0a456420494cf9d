package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"incontro/api"
	"incontro/matching"
	"incontro/store"
)

// want checks a response's status and, when given, that the body mentions
// a text; it returns the body.
func want(t *testing.T, status int, body []byte, wantStatus int, mentions ...string) []byte {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("answered %d %s, want %d", status, body, wantStatus)
	}
	for _, m := range mentions {
		if !strings.Contains(string(body), m) {
			t.Errorf("the answer does not mention %q: %s", m, body)
		}
	}
	return body
}

// wantField checks a refusal: the status and the field the error names.
func wantField(t *testing.T, status int, body []byte, wantStatus int, field string) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("answered %d %s, want %d on %q", status, body, wantStatus, field)
	}
	if e := errorOf(t, body); e.Field != field {
		t.Errorf("the error names %q, want %q: %s", e.Field, field, body)
	}
}

// tableCount counts the rows of a table, to check that a refusal wrote
// nothing.
func (w *world) tableCount(table string) int {
	w.t.Helper()
	var n int
	if err := w.db.SQL().GetContext(context.Background(), &n, `SELECT count(*) FROM `+table); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// requestAudit returns the actions audited in a request, oldest first.
func (w *world) requestAudit(requestID int64, action string) []matching.AuditEvent {
	w.t.Helper()
	events, _, err := w.db.AuditLog(context.Background(), store.AuditFilter{RequestID: requestID, Action: action, Limit: 500})
	if err != nil {
		w.t.Fatal(err)
	}
	slices.Reverse(events)
	return events
}

// newVacancy creates a draft vacancy of the employer with one requirement,
// published if asked.
func (w *world) newVacancy(e matching.Employer, title string, publish bool) matching.Vacancy {
	w.t.Helper()
	ctx := context.Background()
	v := matching.Vacancy{EmployerID: e.ID, Title: title, MunicipalityCode: e.MunicipalityCode, ContractType: "fixed_term",
		Requirements: []matching.Requirement{{Rank: 1, Kind: matching.ReqLicence, Code: "B"}}}
	if err := w.db.CreateVacancy(ctx, &v); err != nil {
		w.t.Fatal(err)
	}
	if publish {
		if err := w.db.PublishVacancy(ctx, v.ID, "", nil, nil); err != nil {
			w.t.Fatal(err)
		}
		v.Status = matching.VacancyPublished
	}
	return v
}

// move asks for a transition and returns the answer.
func (c *client) move(requestID int64, body map[string]any) (int, []byte) {
	return c.do(http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/transitions", requestID), body)
}

func TestOpeningARequest(t *testing.T) {
	w := newWorld(t, inIntake())
	op, emp := w.signIn(operatorA), w.signIn(employer1)

	t.Run("an operator opens a request for an employer its provider serves", func(t *testing.T) {
		v := w.newVacancy(w.employer1, "Receptionist", false)
		status, body := op.do(http.MethodPost, "/api/v1/requests", map[string]any{"vacancy_id": v.ID, "with_4d": true})
		r := jsonOf[api.RequestView](t, want(t, status, body, http.StatusCreated, `"status":"intake"`, `"vacancy_title":"Receptionist"`))
		if r.ProviderID != w.providerA.ID || r.OperatorID == nil || *r.OperatorID != w.users[operatorA].ID || !r.With4D ||
			r.EmployerName != w.employer1.Name || len(r.History) != 1 || !slices.Equal(r.NextStates,
			[]matching.RequestStatus{matching.StatusRequirementsRanked, matching.StatusClosed}) || r.Time == nil {
			t.Errorf("request = %+v", r)
		}
		events := w.requestAudit(r.ID, "request_opened")
		if len(events) != 1 || *events[0].UserID != w.users[operatorA].ID || events[0].Role != matching.RoleOperator {
			t.Errorf("audit = %+v", events)
		}
	})
	t.Run("an employer opens one with its own provider, or the one it chooses", func(t *testing.T) {
		v := w.newVacancy(w.employer1, "Cameriere/a", false)
		status, body := emp.do(http.MethodPost, "/api/v1/requests", map[string]any{"vacancy_id": v.ID})
		r := jsonOf[api.RequestView](t, want(t, status, body, http.StatusCreated))
		if r.ProviderID != w.providerA.ID || r.OperatorID != nil || r.Time != nil ||
			!slices.Equal(r.NextStates, []matching.RequestStatus{matching.StatusClosed}) {
			t.Errorf("request = %+v", r)
		}
		v2 := w.newVacancy(w.employer1, "Lavapiatti", false)
		status, body = emp.do(http.MethodPost, "/api/v1/requests", map[string]any{"vacancy_id": v2.ID, "provider_id": w.providerB.ID})
		if r := jsonOf[api.RequestView](t, want(t, status, body, http.StatusCreated)); r.ProviderID != w.providerB.ID {
			t.Errorf("the employer chose provider B, the request is %d's", r.ProviderID)
		}
	})

	free := w.newVacancy(w.employer1, "Portiere", false)
	other := w.newVacancy(w.employer2, "Autista", false)
	refusals := []struct {
		name   string
		c      *client
		body   map[string]any
		status int
		field  string
	}{
		{"without a vacancy", op, map[string]any{}, 422, "vacancy_id"},
		{"a vacancy that does not exist", op, map[string]any{"vacancy_id": 999999}, 422, "vacancy_id"},
		{"an unknown field", op, map[string]any{"vacancy_id": free.ID, "status": "searching"}, 422, "status"},
		{"an operator for an employer its provider does not serve", op, map[string]any{"vacancy_id": other.ID}, 422, "vacancy_id"},
		{"an operator for another provider", op, map[string]any{"vacancy_id": free.ID, "provider_id": w.providerB.ID}, 422, "provider_id"},
		{"an operator assigning another provider's operator", op, map[string]any{"vacancy_id": free.ID, "operator_id": w.users[operatorB].ID}, 422, "operator_id"},
		{"an employer for another's vacancy", emp, map[string]any{"vacancy_id": other.ID}, 422, "vacancy_id"},
		{"an employer assigning an operator", emp, map[string]any{"vacancy_id": free.ID, "operator_id": w.users[operatorA].ID}, 422, "operator_id"},
		{"an employer choosing a provider that does not exist", emp, map[string]any{"vacancy_id": free.ID, "provider_id": 999999}, 422, "provider_id"},
		{"a second request for a vacancy", op, map[string]any{"vacancy_id": w.vacancy1.ID}, 409, "vacancy_id"},
		{"the monitor", w.signIn(monitor), map[string]any{"vacancy_id": free.ID}, 403, ""},
		{"a jobseeker", w.signIn(jobseeker1), map[string]any{"vacancy_id": free.ID}, 403, ""},
	}
	for _, tt := range refusals {
		t.Run(tt.name+" is refused and nothing is written", func(t *testing.T) {
			requests, audits := w.tableCount("requests"), w.tableCount("audit_log")
			status, body := tt.c.do(http.MethodPost, "/api/v1/requests", tt.body)
			wantField(t, status, body, tt.status, tt.field)
			if w.tableCount("requests") != requests || w.tableCount("audit_log") != audits {
				t.Error("a refused opening wrote something")
			}
		})
	}
}

func TestTheRequestQueue(t *testing.T) {
	w := newWorld(t)
	// Request 1 is closed for this test's filters: a third request of
	// provider A stays open, assigned to nobody.
	third := w.newVacancy(w.employer1, "Aiuto cuoco", false)
	status, body := w.signIn(employer1).do(http.MethodPost, "/api/v1/requests", map[string]any{"vacancy_id": third.ID})
	r3 := jsonOf[api.RequestView](t, want(t, status, body, http.StatusCreated))
	status, body = w.signIn(operatorA).move(w.request1.ID, map[string]any{"to": "closed", "outcome": "cancelled", "close_reason": "duplicate"})
	want(t, status, body, http.StatusOK)

	ids := func(c *client, query string) []int64 {
		t.Helper()
		status, body := c.do(http.MethodGet, "/api/v1/requests"+query, nil)
		q := jsonOf[api.RequestQueue](t, want(t, status, body, http.StatusOK))
		out := []int64{}
		for _, it := range q.Items {
			out = append(out, it.ID)
		}
		if q.Total < len(out) {
			t.Errorf("total %d below the page's %d rows", q.Total, len(out))
		}
		return out
	}
	tests := []struct {
		name  string
		actor string
		query string
		want  []int64
	}{
		{"an operator sees its provider's", operatorA, "", []int64{r3.ID, w.request1.ID}},
		{"the other provider's operator sees its own", operatorB, "", []int64{w.request2.ID}},
		{"the monitor sees all", monitor, "", []int64{r3.ID, w.request2.ID, w.request1.ID}},
		{"the monitor filters by provider", monitor, fmt.Sprintf("?provider_id=%d", w.providerB.ID), []int64{w.request2.ID}},
		{"an employer sees its own", employer2, "", []int64{w.request2.ID}},
		{"mine: the operator's own", operatorA, "?mine=true", []int64{w.request1.ID}},
		{"by operator", operatorA, fmt.Sprintf("?operator_id=%d", w.users[operatorA].ID), []int64{w.request1.ID}},
		{"open ones", operatorA, "?state=open", []int64{r3.ID}},
		{"closed ones", operatorA, "?state=closed", []int64{w.request1.ID}},
		{"by status", monitor, "?status=intake", []int64{r3.ID, w.request2.ID}},
		{"by the vacancy's title", monitor, "?q=cuoco", []int64{r3.ID}},
		{"a page", monitor, "?limit=1&offset=1", []int64{w.request2.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(w.signIn(tt.actor), tt.query); !slices.Equal(got, tt.want) {
				t.Errorf("ids = %v, want %v", got, tt.want)
			}
		})
	}

	t.Run("each row carries its badges; the employer's without the service's working figures", func(t *testing.T) {
		status, body := w.signIn(operatorA).do(http.MethodGet, "/api/v1/requests?state=closed", nil)
		q := jsonOf[api.RequestQueue](t, want(t, status, body, http.StatusOK, `"vacancy_title":"Offerta 1"`, `"employer_name":"Hotel Uno"`,
			`"operator_name":"Utente operatorA"`, `"flagged_wording":false`))
		b := q.Items[0].Badges
		if b.Time == nil || b.Time.TotalMinutes != 45 || b.Time.Phases[0].State != "under" || b.Feedback.PresentedAt == nil {
			t.Errorf("badges = %+v", b)
		}
		status, body = w.signIn(employer1).do(http.MethodGet, "/api/v1/requests", nil)
		for _, it := range jsonOf[api.RequestQueue](t, want(t, status, body, http.StatusOK)).Items {
			if it.Badges.Time != nil {
				t.Errorf("the employer sees the hours of request %d", it.ID)
			}
		}
	})

	for _, tt := range []struct {
		name, actor, query, field string
		status                    int
	}{
		{"an unknown status", operatorA, "?status=paused", "status", 422},
		{"an unknown state", operatorA, "?state=ajar", "state", 422},
		{"an unknown parameter", operatorA, "?colour=blue", "colour", 422},
		{"mine for the monitor", monitor, "?mine=true", "mine", 422},
		{"mine that is not a boolean", operatorA, "?mine=yes", "mine", 422},
		{"another provider", operatorA, fmt.Sprintf("?provider_id=%d", w.providerB.ID), "provider_id", 422},
		{"an employer by operator", employer1, fmt.Sprintf("?operator_id=%d", w.users[operatorA].ID), "operator_id", 422},
		{"a bad limit", monitor, "?limit=0", "limit", 422},
		{"a jobseeker", jobseeker1, "", "", 403},
	} {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			status, body := w.signIn(tt.actor).do(http.MethodGet, "/api/v1/requests"+tt.query, nil)
			wantField(t, status, body, tt.status, tt.field)
		})
	}
}

func TestUpdatingARequest(t *testing.T) {
	w := newWorld(t, inIntake())
	ctx := context.Background()
	colleague := matching.User{Email: "collega@example.org", Name: "Collega A", Role: matching.RoleOperator, ProviderID: &w.providerA.ID}
	if err := w.db.CreateUser(ctx, &colleague); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/requests/%d", w.request1.ID)
	op := w.signIn(operatorA)
	status, body := op.do(http.MethodPatch, path, map[string]any{"operator_id": colleague.ID, "with_4d": true})
	r := jsonOf[api.RequestView](t, want(t, status, body, http.StatusOK, `"operator_name":"Collega A"`))
	if *r.OperatorID != colleague.ID || !r.With4D {
		t.Errorf("request = %+v", r)
	}
	if events := w.requestAudit(w.request1.ID, "request_updated"); len(events) != 1 || *events[0].UserID != w.users[operatorA].ID {
		t.Errorf("audit = %+v", events)
	}
	for _, tt := range []struct {
		name   string
		c      *client
		path   string
		body   map[string]any
		status int
		field  string
	}{
		{"nothing to change", op, path, map[string]any{}, 422, "operator_id"},
		{"another provider's operator", op, path, map[string]any{"operator_id": w.users[operatorB].ID}, 422, "operator_id"},
		{"a value of the wrong type", op, path, map[string]any{"with_4d": "yes"}, 422, "with_4d"},
		{"the employer", w.signIn(employer1), path, map[string]any{"with_4d": false}, 403, ""},
		{"the other provider's operator", w.signIn(operatorB), path, map[string]any{"with_4d": false}, 404, ""},
	} {
		t.Run(tt.name+" is refused and changes nothing", func(t *testing.T) {
			status, body := tt.c.do(http.MethodPatch, tt.path, tt.body)
			wantField(t, status, body, tt.status, tt.field)
			got, err := w.db.Request(ctx, w.request1.ID)
			if err != nil || *got.OperatorID != colleague.ID || !got.With4D {
				t.Errorf("request = %+v (%v)", got, err)
			}
		})
	}
	status, body = op.move(w.request1.ID, map[string]any{"to": "closed", "outcome": "cancelled", "close_reason": "entered_in_error"})
	want(t, status, body, http.StatusOK)
	status, body = op.do(http.MethodPatch, path, map[string]any{"with_4d": false})
	wantField(t, status, body, http.StatusConflict, "with_4d")
}

func TestMovingARequestThroughItsLifeCycle(t *testing.T) {
	w := newWorld(t, inIntake())
	op, emp := w.signIn(operatorA), w.signIn(employer1)
	id := w.request1.ID

	status, body := op.move(id, map[string]any{"to": "requirements_ranked", "note": "requisiti in ordine"})
	r := jsonOf[api.RequestView](t, want(t, status, body, http.StatusOK, `"status":"requirements_ranked"`))
	if len(r.History) != 2 || r.History[1].Note != "requisiti in ordine" || *r.History[1].By != w.users[operatorA].ID {
		t.Errorf("history = %+v", r.History)
	}

	refusals := []struct {
		name   string
		c      *client
		body   map[string]any
		status int
		field  string
	}{
		{"a move the life cycle does not have", op, map[string]any{"to": "shortlist_presented"}, 409, "status"},
		{"contacting before searching", op, map[string]any{"to": "contacting"}, 409, "status"},
		{"no state", op, map[string]any{"note": "x"}, 422, "to"},
		{"an unknown state", op, map[string]any{"to": "paused"}, 422, "to"},
		{"closing without an outcome", op, map[string]any{"to": "closed"}, 422, "outcome"},
		{"closing under the standard without a note", op, map[string]any{"to": "closed", "outcome": "not_filled", "close_reason": "no_suitable_candidates"}, 422, "note"},
		{"closing as filled without a hire", op, map[string]any{"to": "closed", "outcome": "filled", "close_reason": "hired", "note": "x"}, 409, "status"},
		{"the employer moving the request on", emp, map[string]any{"to": "searching"}, 403, ""},
		{"the employer cancelling", emp, map[string]any{"to": "closed", "outcome": "cancelled", "close_reason": "duplicate"}, 403, ""},
		{"the other provider's operator", w.signIn(operatorB), map[string]any{"to": "searching"}, 404, ""},
		{"another employer", w.signIn(employer2), map[string]any{"to": "closed", "outcome": "withdrawn", "close_reason": "employer_withdrew"}, 404, ""},
		{"the monitor", w.signIn(monitor), map[string]any{"to": "searching"}, 403, ""},
	}
	for _, tt := range refusals {
		t.Run(tt.name+" is refused and changes nothing", func(t *testing.T) {
			history, audits := w.tableCount("request_status_history"), w.tableCount("audit_log")
			status, body := tt.c.move(id, tt.body)
			wantField(t, status, body, tt.status, tt.field)
			if w.tableCount("request_status_history") != history || w.tableCount("audit_log") != audits {
				t.Error("a refused move wrote something")
			}
		})
	}

	status, body = op.move(id, map[string]any{"to": "searching"})
	want(t, status, body, http.StatusOK, `"status":"searching"`)
	status, body = op.move(id, map[string]any{"to": "contacting"})
	want(t, status, body, http.StatusOK, `"status":"contacting"`)
	status, body = emp.move(id, map[string]any{"to": "closed", "outcome": "withdrawn", "close_reason": "filled_elsewhere"})
	r = jsonOf[api.RequestView](t, want(t, status, body, http.StatusOK, `"status":"closed"`, `"close_reason":"filled_elsewhere"`))
	if len(r.NextStates) != 0 {
		t.Errorf("a closed request offers %v", r.NextStates)
	}

	t.Run("the history is read by staff and the employer", func(t *testing.T) {
		path := fmt.Sprintf("/api/v1/requests/%d/history", id)
		status, body := w.signIn(monitor).do(http.MethodGet, path, nil)
		h := jsonOf[struct {
			History []matching.StatusChange `json:"history"`
		}](t, want(t, status, body, http.StatusOK)).History
		tos := []matching.RequestStatus{}
		for _, c := range h {
			tos = append(tos, c.To)
		}
		if !slices.Equal(tos, []matching.RequestStatus{"intake", "requirements_ranked", "searching", "contacting", "closed"}) {
			t.Errorf("history = %v", tos)
		}
		status, body = emp.do(http.MethodGet, path, nil)
		want(t, status, body, http.StatusOK)
		status, _ = w.signIn(employer2).do(http.MethodGet, path, nil)
		if status != http.StatusNotFound {
			t.Errorf("another employer read the history: %d", status)
		}
		status, _ = w.signIn(jobseeker1).do(http.MethodGet, path, nil)
		if status != http.StatusForbidden {
			t.Errorf("a jobseeker read the history: %d", status)
		}
	})
	t.Run("every change is audited with who made it", func(t *testing.T) {
		events := w.requestAudit(id, "request_status")
		if len(events) != 4 || events[3].Role != matching.RoleEmployer || *events[3].UserID != w.users[employer1].ID ||
			!strings.Contains(string(events[3].Detail), `"outcome": "withdrawn"`) {
			t.Errorf("audit = %+v", events)
		}
	})
	t.Run("a closed request does not move", func(t *testing.T) {
		status, body := op.move(id, map[string]any{"to": "searching"})
		wantField(t, status, body, http.StatusConflict, "status")
	})
}

func TestAMatchRunStartsTheSearchOnlyOnceTheRequirementsAreRanked(t *testing.T) {
	sw := newMatchWorld(t) // request 1 has its requirements ranked
	op := sw.signIn(operatorA)
	id := sw.request1.ID
	path := fmt.Sprintf("/api/v1/requests/%d/matches", id)

	status, body := op.move(id, map[string]any{"to": "intake", "note": "rivediamo i requisiti"})
	want(t, status, body, http.StatusOK)
	status, body = op.do(http.MethodPost, path, nil)
	wantField(t, status, body, http.StatusConflict, "status")
	if !strings.Contains(errorOf(t, body).Message, "rank the requirements first") {
		t.Errorf("the refusal does not say what to do: %s", body)
	}

	status, body = op.move(id, map[string]any{"to": "requirements_ranked"})
	want(t, status, body, http.StatusOK)
	status, body = op.do(http.MethodPost, path, nil)
	run := decodeRun(t, want(t, status, body, http.StatusCreated))
	r, err := sw.db.Request(context.Background(), id)
	if err != nil || r.Status != matching.StatusSearching {
		t.Fatalf("after the first run the request is %s (%v)", r.Status, err)
	}
	events := sw.requestAudit(id, "request_status")
	last := events[len(events)-1]
	if !strings.Contains(string(last.Detail), `"action": "match_run"`) || *last.UserID != sw.users[operatorA].ID {
		t.Errorf("the move by the run is audited as %+v %s", last, last.Detail)
	}
	h, _ := sw.db.RequestHistory(context.Background(), id)
	if note := h[len(h)-1].Note; note != fmt.Sprintf("match run %d", run.ID) {
		t.Errorf("history note %q", note)
	}

	status, body = op.do(http.MethodPost, path, nil)
	want(t, status, body, http.StatusCreated)
	if h2, _ := sw.db.RequestHistory(context.Background(), id); len(h2) != len(h) {
		t.Error("a second run moved the request again")
	}

	status, body = op.move(id, map[string]any{"to": "closed", "outcome": "cancelled", "close_reason": "duplicate"})
	want(t, status, body, http.StatusOK)
	status, body = op.do(http.MethodPost, path, nil)
	wantField(t, status, body, http.StatusConflict, "status")
	if runs, _ := sw.db.MatchRuns(context.Background(), id); len(runs) != 2 {
		t.Errorf("%d runs stored, want 2", len(runs))
	}
}

func TestTheRequestViewShowsWhatTheRoleMayDo(t *testing.T) {
	w := newWorld(t)
	path := fmt.Sprintf("/api/v1/requests/%d", w.request1.ID)
	status, body := w.signIn(operatorA).do(http.MethodGet, path, nil)
	r := jsonOf[api.RequestView](t, want(t, status, body, http.StatusOK, `"facts":{"requirements":1`, `"availability_expiring":0`))
	if r.Facts.Entries != 1 || r.Facts.Presented != 1 || r.Time == nil || r.Time.TotalMinutes != 45 ||
		r.Feedback.PresentedAt == nil || r.VacancyTitle != "Offerta 1" {
		t.Errorf("operator's view = %+v", r)
	}
	status, body = w.signIn(employer1).do(http.MethodGet, path, nil)
	r = jsonOf[api.RequestView](t, want(t, status, body, http.StatusOK))
	if r.Time != nil || r.Facts.Minutes != nil || r.AvailabilityExpiring != nil || !slices.Equal(r.NextStates, []matching.RequestStatus{matching.StatusClosed}) {
		t.Errorf("employer's view = %+v", r)
	}
	status, body = w.signIn(monitor).do(http.MethodGet, path, nil)
	if r = jsonOf[api.RequestView](t, want(t, status, body, http.StatusOK)); len(r.NextStates) != 0 || r.Time == nil {
		t.Errorf("monitor's view = %+v", r)
	}
}
