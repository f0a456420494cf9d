package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"incontro/matching"
	"incontro/store"
	"incontro/store/storetest"
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
		Outcome: ptr(matching.OutcomeFilled), CloseReason: ptr(matching.CloseHired), With4D: true, OpenedAt: opened, ClosedAt: &closed}
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
	mustExec(t, s, `UPDATE vacancies SET title = 'Aiuto 100% cuoco_a' WHERE id = $1`, a2Vacancy.ID)
	MustTransition(t, s, a2.ID, matching.StatusRequirementsRanked, a.opActor())
	MustTransition(t, s, a2.ID, matching.StatusSearching, a.opActor())
	closed := ptr(matching.OutcomeCancelled)
	_, err := s.TransitionRequest(ctx, b.Request.ID, matching.TransitionInput{To: matching.StatusClosed, Outcome: closed,
		CloseReason: matching.CloseDuplicate}, b.opActor())
	mustNoError(t, err, "close b")

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
		{"open ones", store.RequestFilter{State: "open"}, []int64{a2.ID, a.Request.ID}, 2},
		{"closed ones", store.RequestFilter{State: "closed"}, []int64{b.Request.ID}, 1},
		{"by the vacancy's title, any case", store.RequestFilter{Text: "CUOCO"}, []int64{a2.ID, b.Request.ID, a.Request.ID}, 3},
		{"wildcards in the text are taken literally", store.RequestFilter{Text: "100% cuoco_"}, []int64{a2.ID}, 1},
		{"a percent sign alone matches only itself", store.RequestFilter{Text: "%"}, []int64{a2.ID}, 1},
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
			queue, qtotal, err := s.RequestQueue(ctx, tt.filter)
			mustNoError(t, err, "queue")
			qids := []int64{}
			for _, q := range queue {
				qids = append(qids, q.ID)
			}
			if !cmp.Equal(tt.wantIDs, qids) || qtotal != tt.wantTotal {
				t.Errorf("queue ids %v total %d, want %v total %d", qids, qtotal, tt.wantIDs, tt.wantTotal)
			}
		})
	}
	for _, bad := range []struct {
		filter store.RequestFilter
		field  string
	}{
		{store.RequestFilter{Status: "paused"}, "status"},
		{store.RequestFilter{State: "ajar"}, "state"},
	} {
		_, _, err := s.RequestQueue(ctx, bad.filter)
		wantError(t, err, matching.EINVALID, bad.field)
	}
}

func TestOpenRequest(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	v := MustVacancy(t, s, f.Employer.ID)
	mustNoError(t, s.PublishVacancy(ctx, v.ID, "", nil, nil), "publish")
	c1 := MustCandidate(t, s, matching.PresentNamed)
	c2 := MustCandidate(t, s, matching.PresentNamed)
	c3 := MustCandidate(t, s, matching.PresentNamed)
	applied := matching.Application{VacancyID: v.ID, CandidateID: &c1.ID, Message: "Mi candido"}
	mustNoError(t, s.CreateApplication(ctx, &applied), "apply")
	withdrawn := matching.Application{VacancyID: v.ID, CandidateID: &c2.ID, Status: matching.ApplicationWithdrawn}
	mustNoError(t, s.CreateApplication(ctx, &withdrawn), "withdrawn application")
	_ = c3

	other := MustOperator(t, s, f.Provider.ID)
	r := matching.Request{ProviderID: f.Provider.ID, EmployerID: f.Employer.ID, VacancyID: v.ID, OperatorID: &other.ID, With4D: true,
		Status: matching.StatusSearching}
	mustNoError(t, s.OpenRequest(ctx, &r, f.opActor()), "open")
	if r.Status != matching.StatusIntake || r.CreatedBy == nil || *r.CreatedBy != f.Operator.ID {
		t.Errorf("opened request = %+v, want intake created by the actor", r)
	}
	got, err := s.Request(ctx, r.ID)
	mustNoError(t, err, "read")
	if diff := cmp.Diff(r, got); diff != "" {
		t.Errorf("request read back differs:\n%s", diff)
	}
	opened := auditOf(t, s, r.ID, "request_opened")
	if len(opened) != 1 || *opened[0].UserID != f.Operator.ID || opened[0].Role != matching.RoleOperator || !opened[0].At.Equal(r.OpenedAt) {
		t.Errorf("audit of the opening = %+v", opened)
	}

	t.Run("the pending self-application enters the pipeline, the withdrawn one does not", func(t *testing.T) {
		entries, err := s.PipelineEntries(ctx, r.ID)
		mustNoError(t, err, "pipeline")
		if len(entries) != 1 || *entries[0].CandidateID != c1.ID || entries[0].Source != matching.SourceSelfApplication ||
			entries[0].ApplicationID == nil || *entries[0].ApplicationID != applied.ID || entries[0].Stage != matching.StageFound {
			t.Errorf("pipeline = %+v", entries)
		}
		if added := auditOf(t, s, r.ID, "pipeline_entry_added"); len(added) != 1 {
			t.Errorf("audit of the entry = %+v", added)
		}
	})

	refusals := []struct {
		name        string
		req         func() matching.Request
		code, field string
	}{
		{"a second request for the vacancy", func() matching.Request {
			return matching.Request{ProviderID: f.Provider.ID, EmployerID: f.Employer.ID, VacancyID: v.ID}
		}, matching.ECONFLICT, "vacancy_id"},
		{"a vacancy that does not exist", func() matching.Request {
			return matching.Request{ProviderID: f.Provider.ID, EmployerID: f.Employer.ID, VacancyID: 999999}
		}, matching.EINVALID, "vacancy_id"},
		{"a provider that does not exist", func() matching.Request {
			return matching.Request{ProviderID: 999999, EmployerID: f.Employer.ID, VacancyID: MustVacancy(t, s, f.Employer.ID).ID}
		}, matching.EINVALID, "provider_id"},
		{"an operator of another provider", func() matching.Request {
			g := MustRequest(t, s)
			return matching.Request{ProviderID: f.Provider.ID, EmployerID: f.Employer.ID, VacancyID: MustVacancy(t, s, f.Employer.ID).ID,
				OperatorID: &g.Operator.ID}
		}, matching.EINVALID, "operator_id"},
		{"a closed vacancy", func() matching.Request {
			cv := MustVacancy(t, s, f.Employer.ID)
			mustExec(t, s, `UPDATE vacancies SET status = 'closed', published_at = now() WHERE id = $1`, cv.ID)
			return matching.Request{ProviderID: f.Provider.ID, EmployerID: f.Employer.ID, VacancyID: cv.ID}
		}, matching.ECONFLICT, "vacancy_id"},
	}
	for _, tt := range refusals {
		t.Run(tt.name+" is refused and writes nothing", func(t *testing.T) {
			r := tt.req()
			before := countOf(t, s, `SELECT count(*) FROM requests`)
			audits := countOf(t, s, `SELECT count(*) FROM audit_log`)
			wantError(t, s.OpenRequest(ctx, &r, f.opActor()), tt.code, tt.field)
			if countOf(t, s, `SELECT count(*) FROM requests`) != before || countOf(t, s, `SELECT count(*) FROM audit_log`) != audits {
				t.Error("a refused opening wrote something")
			}
		})
	}
}

func TestTransitionRequestAlongTheLifeCycle(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	id := f.Request.ID
	op := f.opActor()
	c := MustCandidate(t, s, matching.PresentNamed)

	steps := []struct {
		in   matching.TransitionInput
		prep func()
	}{
		{in: matching.TransitionInput{To: matching.StatusRequirementsRanked, Note: "requisiti ordinati"}},
		{in: matching.TransitionInput{To: matching.StatusIntake, Note: "il datore cambia idea"}},
		{in: matching.TransitionInput{To: matching.StatusRequirementsRanked}},
		{in: matching.TransitionInput{To: matching.StatusSearching}},
		{in: matching.TransitionInput{To: matching.StatusContacting}, prep: func() { MustEntry(t, s, id, c.ID, &f.Operator.ID) }},
		{in: matching.TransitionInput{To: matching.StatusSearching, Note: "servono altri candidati"}},
		{in: matching.TransitionInput{To: matching.StatusClosed, Outcome: ptr(matching.OutcomeNotFilled),
			CloseReason: matching.CloseNoSuitableCandidate, Note: "nessun profilo adatto in zona"}},
	}
	want := []matching.StatusChange{{To: matching.StatusIntake, At: f.Request.OpenedAt, By: &f.Operator.ID}}
	from := matching.StatusIntake
	for _, st := range steps {
		if st.prep != nil {
			st.prep()
		}
		r, err := s.TransitionRequest(ctx, id, st.in, op)
		mustNoError(t, err, "move to "+string(st.in.To))
		if r.Status != st.in.To {
			t.Fatalf("status = %s, want %s", r.Status, st.in.To)
		}
		change := matching.StatusChange{From: ptr(from), To: st.in.To, Note: st.in.Note, At: r.UpdatedAt, By: &f.Operator.ID}
		if st.in.To == matching.StatusClosed {
			change.Outcome, change.CloseReason = st.in.Outcome, &st.in.CloseReason
		}
		want = append(want, change)
		from = st.in.To
	}
	closed, err := s.Request(ctx, id)
	mustNoError(t, err, "read")
	if closed.Outcome == nil || *closed.Outcome != matching.OutcomeNotFilled || closed.CloseReason == nil ||
		*closed.CloseReason != matching.CloseNoSuitableCandidate || closed.ClosedAt == nil || !closed.ClosedAt.Equal(closed.UpdatedAt) {
		t.Errorf("closed request = %+v", closed)
	}
	history, err := s.RequestHistory(ctx, id)
	mustNoError(t, err, "history")
	if diff := cmp.Diff(want, history, ignoreIDs); diff != "" {
		t.Errorf("history differs (-want +got):\n%s", diff)
	}

	t.Run("each change is audited at the time of its history row", func(t *testing.T) {
		events := auditOf(t, s, id, "request_status")
		if len(events) != len(steps) {
			t.Fatalf("%d audit events, want %d", len(events), len(steps))
		}
		for i, ev := range events {
			h := history[i+1]
			var d struct {
				From, To      matching.RequestStatus
				Outcome       matching.Outcome
				UnderStandard []matching.Phase `json:"under_standard"`
			}
			mustNoError(t, json.Unmarshal(ev.Detail, &d), "detail")
			if !ev.At.Equal(h.At) || d.From != *h.From || d.To != h.To || *ev.UserID != f.Operator.ID || ev.Role != matching.RoleOperator ||
				ev.IP != "192.0.2.1" || *ev.RequestID != id {
				t.Errorf("event %d = %+v %s, history %+v", i, ev, ev.Detail, h)
			}
			if h.To == matching.StatusClosed && (d.Outcome != matching.OutcomeNotFilled || len(d.UnderStandard) != 1) {
				t.Errorf("the closing event does not say it closed under the standard: %s", ev.Detail)
			}
		}
	})

	t.Run("a closed request moves no more", func(t *testing.T) {
		_, err := s.TransitionRequest(ctx, id, matching.TransitionInput{To: matching.StatusSearching}, op)
		wantError(t, err, matching.ECONFLICT, "status")
		wantMessage(t, err, "closed")
	})
}

func TestTransitionRequestRefusals(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	op := f.opActor()
	bare := MustRequestFor(t, s, f.Provider.ID, f.Employer.ID, MustVacancyWithout(t, s, f.Employer.ID).ID, &f.Operator.ID)
	searching := MustRanked(t, s)
	MustTransition(t, s, searching.Request.ID, matching.StatusSearching, searching.opActor())
	employer := store.Actor{UserID: 0, Role: matching.RoleEmployer}

	tests := []struct {
		name        string
		id          int64
		in          matching.TransitionInput
		a           store.Actor
		code, field string
		words       []string
	}{
		{"a transition the life cycle does not have", f.Request.ID, matching.TransitionInput{To: matching.StatusContacting}, op,
			matching.ECONFLICT, "status", []string{"intake", "contacting", "requirements_ranked"}},
		{"staying where it is", f.Request.ID, matching.TransitionInput{To: matching.StatusIntake}, op,
			matching.ECONFLICT, "status", []string{"already"}},
		{"a state reached only by an action", f.Request.ID, matching.TransitionInput{To: matching.StatusShortlistPresented}, op,
			matching.ECONFLICT, "status", nil},
		{"an employer ranking the requirements", f.Request.ID, matching.TransitionInput{To: matching.StatusRequirementsRanked}, employer,
			matching.EFORBIDDEN, "", nil},
		{"a jobseeker closing", f.Request.ID, matching.TransitionInput{To: matching.StatusClosed, Outcome: ptr(matching.OutcomeWithdrawn),
			CloseReason: matching.CloseEmployerWithdrew}, store.Actor{Role: matching.RoleJobseeker}, matching.EFORBIDDEN, "", nil},
		{"an employer closing other than by withdrawing", f.Request.ID, matching.TransitionInput{To: matching.StatusClosed,
			Outcome: ptr(matching.OutcomeCancelled), CloseReason: matching.CloseDuplicate}, employer, matching.EFORBIDDEN, "", nil},
		{"ranking a vacancy without requirements", bare.ID, matching.TransitionInput{To: matching.StatusRequirementsRanked}, op,
			matching.ECONFLICT, "status", []string{"requirements"}},
		{"contacting with an empty pipeline", searching.Request.ID, matching.TransitionInput{To: matching.StatusContacting}, op,
			matching.ECONFLICT, "status", []string{"pipeline"}},
		{"closing as filled without a hire", searching.Request.ID, matching.TransitionInput{To: matching.StatusClosed,
			Outcome: ptr(matching.OutcomeFilled), CloseReason: matching.CloseHired}, op, matching.ECONFLICT, "status", []string{"hired"}},
		{"closing under the standard without a note", searching.Request.ID, matching.TransitionInput{To: matching.StatusClosed,
			Outcome: ptr(matching.OutcomeNotFilled), CloseReason: matching.CloseNoSuitableCandidate}, op, matching.EINVALID, "note",
			[]string{"below the standard", "4 h"}},
		{"closing without an outcome", searching.Request.ID, matching.TransitionInput{To: matching.StatusClosed}, op,
			matching.EINVALID, "outcome", nil},
		{"a reason that does not go with the outcome", searching.Request.ID, matching.TransitionInput{To: matching.StatusClosed,
			Outcome: ptr(matching.OutcomeWithdrawn), CloseReason: matching.CloseDuplicate, Note: "x"}, op, matching.EINVALID, "close_reason", nil},
		{"an outcome without closing", searching.Request.ID, matching.TransitionInput{To: matching.StatusContacting,
			Outcome: ptr(matching.OutcomeFilled)}, op, matching.EINVALID, "outcome", nil},
		{"a request that does not exist", 999999, matching.TransitionInput{To: matching.StatusSearching}, op, matching.ENOTFOUND, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused and changes nothing", func(t *testing.T) {
			var before matching.Request
			var history, audits int
			if tt.id != 999999 {
				var err error
				before, err = s.Request(ctx, tt.id)
				mustNoError(t, err, "read")
				history = countOf(t, s, `SELECT count(*) FROM request_status_history WHERE request_id = $1`, tt.id)
				audits = len(auditOf(t, s, tt.id, ""))
			}
			_, err := s.TransitionRequest(ctx, tt.id, tt.in, tt.a)
			wantError(t, err, tt.code, tt.field)
			wantMessage(t, err, tt.words...)
			if tt.id == 999999 {
				return
			}
			after, err := s.Request(ctx, tt.id)
			mustNoError(t, err, "read")
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("the request changed:\n%s", diff)
			}
			if countOf(t, s, `SELECT count(*) FROM request_status_history WHERE request_id = $1`, tt.id) != history ||
				len(auditOf(t, s, tt.id, "")) != audits {
				t.Error("a refused transition wrote history or audit")
			}
		})
	}

	t.Run("closing under the standard with a note is allowed, and the employer may withdraw", func(t *testing.T) {
		_, err := s.TransitionRequest(ctx, searching.Request.ID, matching.TransitionInput{To: matching.StatusClosed,
			Outcome: ptr(matching.OutcomeNotFilled), CloseReason: matching.CloseNoSuitableCandidate, Note: "nessuno in zona"}, op)
		mustNoError(t, err, "close with a note")
		w, err := s.TransitionRequest(ctx, f.Request.ID, matching.TransitionInput{To: matching.StatusClosed,
			Outcome: ptr(matching.OutcomeWithdrawn), CloseReason: matching.CloseEmployerWithdrew}, employer)
		mustNoError(t, err, "withdraw")
		if w.Status != matching.StatusClosed || *w.Outcome != matching.OutcomeWithdrawn {
			t.Errorf("withdrawn request = %+v", w)
		}
	})
}

// MustVacancyWithout creates a draft vacancy with no requirements.
func MustVacancyWithout(tb testing.TB, s *store.DB, employerID int64) matching.Vacancy {
	tb.Helper()
	v := matching.Vacancy{EmployerID: employerID, Title: "Da definire", MunicipalityCode: "022161", ContractType: "fixed_term"}
	if err := s.CreateVacancy(context.Background(), &v); err != nil {
		tb.Fatalf("create vacancy: %v", err)
	}
	return v
}

func TestConcurrentTransitionsOnlyOneWins(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.TransitionRequest(ctx, f.Request.ID, matching.TransitionInput{To: matching.StatusRequirementsRanked}, f.opActor())
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch matching.ErrorCode(err) {
		case "":
			won++
		case matching.ECONFLICT:
			wantMessage(t, err, "already")
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d concurrent transitions from the same state succeeded, want 1", won)
	}
	history, err := s.RequestHistory(ctx, f.Request.ID)
	mustNoError(t, err, "history")
	if len(history) != 2 || len(auditOf(t, s, f.Request.ID, "request_status")) != 1 {
		t.Errorf("history has %d rows (want 2) and the audit %d events (want 1)", len(history), len(auditOf(t, s, f.Request.ID, "request_status")))
	}
}

func TestUpdateRequest(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	colleague := MustOperator(t, s, f.Provider.ID)
	stranger := MustRequest(t, s).Operator

	r, err := s.UpdateRequest(ctx, f.Request.ID, store.RequestPatch{OperatorID: &colleague.ID, With4D: ptr(true)}, f.opActor())
	mustNoError(t, err, "update")
	if *r.OperatorID != colleague.ID || !r.With4D {
		t.Errorf("updated request = %+v", r)
	}
	events := auditOf(t, s, f.Request.ID, "request_updated")
	if len(events) != 1 || !strings.Contains(string(events[0].Detail), `"with_4d"`) {
		t.Errorf("audit = %+v", events)
	}
	for _, tt := range []struct {
		name        string
		p           store.RequestPatch
		code, field string
	}{
		{"nothing to change", store.RequestPatch{}, matching.EINVALID, "operator_id"},
		{"an operator of another provider", store.RequestPatch{OperatorID: &stranger.ID}, matching.EINVALID, "operator_id"},
		{"a user that is no operator", store.RequestPatch{OperatorID: ptr(int64(999999))}, matching.EINVALID, "operator_id"},
	} {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			_, err := s.UpdateRequest(ctx, f.Request.ID, tt.p, f.opActor())
			wantError(t, err, tt.code, tt.field)
		})
	}
	_, err = s.TransitionRequest(ctx, f.Request.ID, matching.TransitionInput{To: matching.StatusClosed, Outcome: ptr(matching.OutcomeCancelled),
		CloseReason: matching.CloseEnteredInError}, f.opActor())
	mustNoError(t, err, "close")
	t.Run("the service of a closed request does not change", func(t *testing.T) {
		_, err := s.UpdateRequest(ctx, f.Request.ID, store.RequestPatch{With4D: ptr(false)}, f.opActor())
		wantError(t, err, matching.ECONFLICT, "with_4d")
		got, err := s.Request(ctx, f.Request.ID)
		mustNoError(t, err, "read")
		if !got.With4D || len(auditOf(t, s, f.Request.ID, "request_updated")) != 1 {
			t.Errorf("a refused change was written: %+v", got)
		}
	})
}

func TestRequestBadges(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRanked(t, s)
	op := f.opActor()
	start := time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)
	clock := stillClock(s, start)
	MustTransition(t, s, f.Request.ID, matching.StatusSearching, op)
	var entries []matching.PipelineEntry
	for _, age := range []time.Duration{1, 12, 20} { // days since the confirmation
		c := MustCandidate(t, s, matching.PresentNamed)
		confirmed := start.Add(-age * matching.Day)
		e := matching.PipelineEntry{RequestID: f.Request.ID, CandidateID: &c.ID, Source: matching.SourceSearch,
			Stage: matching.StageAvailable, AvailabilityConfirmedAt: &confirmed}
		mustNoError(t, s.AddPipelineEntry(ctx, &e), "entry")
		entries = append(entries, e)
	}
	mustExec(t, s, `INSERT INTO time_entries (request_id, user_id, phase, activity, started_at, minutes, created_at)
		VALUES ($1, $2, '4C', 'intake_interview', $3, 90, $3), ($1, $2, '4C', 'database_search', $3, 200, $3),
			($1, $2, '4C', 'database_search', $3, 250, $3)`, f.Request.ID, f.Operator.ID, start)
	flagged := MustRequest(t, s)
	mustExec(t, s, `INSERT INTO vacancy_findings (vacancy_id, rule, severity, excerpt, message, created_at)
		VALUES ($1, 'sex', 'warn', 'donna', 'x', $2)`, flagged.Vacancy.ID, start)

	badges := func() (store.QueueItem, store.QueueItem) {
		t.Helper()
		items, _, err := s.RequestQueue(ctx, store.RequestFilter{})
		mustNoError(t, err, "queue")
		byID := map[int64]store.QueueItem{}
		for _, it := range items {
			byID[it.ID] = it
		}
		return byID[f.Request.ID], byID[flagged.Request.ID]
	}
	q, fl := badges()
	if q.VacancyTitle != f.Vacancy.Title || q.EmployerName != f.Employer.Name || q.OperatorName != f.Operator.Name ||
		q.ProviderName != f.Provider.Name || q.MunicipalityCode != "022161" || q.FlaggedWording {
		t.Errorf("summary = %+v", q.RequestSummary)
	}
	if !fl.FlaggedWording {
		t.Error("a vacancy with an unjustified finding is not flagged")
	}
	want := matching.TimeSummary{Phases: []matching.PhaseTime{{Phase: matching.Phase4C, Minutes: 540, MinMinutes: 240, MaxMinutes: 480, State: "over"}},
		TotalMinutes: 540, ByActivity: map[string]int{"intake_interview": 90, "database_search": 450}, Over: []matching.Phase{matching.Phase4C}}
	if diff := cmp.Diff(&want, q.Badges.Time); diff != "" {
		t.Errorf("time badge differs (-want +got):\n%s", diff)
	}
	if q.Badges.AvailabilityExpiring != 1 || q.Badges.AvailabilityExpired != 1 {
		t.Errorf("availability badges: %d expiring, %d expired; want 1 and 1", q.Badges.AvailabilityExpiring, q.Badges.AvailabilityExpired)
	}
	if q.Badges.Feedback.PresentedAt != nil || q.Badges.Feedback.ReminderDue {
		t.Errorf("feedback badge before any presentation = %+v", q.Badges.Feedback)
	}

	// A shortlist presented 16 days ago, with no feedback since.
	presented := start.Add(-16 * matching.Day)
	mustExec(t, s, `INSERT INTO shortlists (request_id, version, status, snapshot, created_at, presented_at)
		VALUES ($1, 1, 'presented', '{}', $2, $2)`, f.Request.ID, presented)
	mustExec(t, s, `UPDATE requests SET status = 'shortlist_presented' WHERE id = $1`, f.Request.ID)
	q, _ = badges()
	if fb := q.Badges.Feedback; fb.PresentedAt == nil || !fb.PresentedAt.Equal(presented) || !fb.ReminderDue || fb.ProposeClose {
		t.Errorf("feedback badge 16 days after the presentation = %+v", fb)
	}
	clock.advance(30 * matching.Day)
	q, _ = badges()
	if fb := q.Badges.Feedback; !fb.ProposeClose || q.Badges.AvailabilityExpired != 3 || q.Badges.AvailabilityExpiring != 0 {
		t.Errorf("46 days after: feedback %+v, %d expired", fb, q.Badges.AvailabilityExpired)
	}
	mustExec(t, s, `INSERT INTO feedback (entry_id, decision, comment, at) VALUES ($1, 'on_hold', '', $2)`, entries[0].ID, clock.now())
	q, _ = badges()
	if fb := q.Badges.Feedback; fb.ReminderDue || fb.LastFeedbackAt == nil {
		t.Errorf("after feedback: %+v", fb)
	}
}

func TestMatchRunRoundTrips(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRanked(t, s)
	c1 := MustCandidate(t, s, matching.PresentNamed)
	c2 := MustCandidate(t, s, matching.PresentBlind)

	first := matching.MatchRun{RequestID: f.Request.ID, Params: json.RawMessage(`{"q":"cuoco","essential":[1]}`),
		Recalled: 2, CreatedBy: &f.Operator.ID, Results: []matching.MatchResult{
			{Position: 2, CandidateID: &c2.ID, Score: 0.5, NearMiss: true, Explanation: json.RawMessage(`{"missing":["de B1"]}`)},
			{Position: 1, CandidateID: &c1.ID, Score: 0.875, Explanation: json.RawMessage(`{"met":["cuoco"], "text": "quote \" and \\ back"}`)},
			{Position: 3, Score: 0.1, Explanation: json.RawMessage(`[]`)},
		}}
	mustNoError(t, s.CreateMatchRun(ctx, &first, f.opActor()), "create first run")
	second := matching.MatchRun{RequestID: f.Request.ID, Params: json.RawMessage(`{}`)}
	mustNoError(t, s.CreateMatchRun(ctx, &second, f.opActor()), "create second run")

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
	f := MustRanked(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	run := matching.MatchRun{RequestID: f.Request.ID, Params: json.RawMessage(`{}`), Recalled: 1000}
	for i := range 1000 {
		run.Results = append(run.Results, matching.MatchResult{CandidateID: &c.ID, Score: 1 - float64(i)/1000,
			Explanation: json.RawMessage(fmt.Sprintf(`{"i": %d}`, i))})
	}
	mustNoError(t, s.CreateMatchRun(ctx, &run, f.opActor()), "create")
	got, err := s.MatchRun(ctx, run.ID)
	mustNoError(t, err, "read")
	if diff := cmp.Diff(run, got, jsonEqual); diff != "" {
		t.Errorf("run read back differs (-want +got):\n%s", diff)
	}
}

func TestAMatchRunIsAnsweredAsStoredByteForByte(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustDB(t)
	s := store.New(db)
	var mu sync.Mutex
	next := clockStart
	s.Now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		next = next.Add(time.Second)
		return next
	}
	f := MustRanked(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	answer := func(run matching.MatchRun) []byte {
		t.Helper()
		b, err := run.AppendJSON(nil)
		mustNoError(t, err, "append")
		if want, err := json.Marshal(run); err != nil || string(want) != string(b) {
			t.Errorf("AppendJSON and encoding/json differ (%v):\n%s\n%s", err, b, want)
		}
		return b
	}

	t.Run("a new run is left as it reads back, in answer form", func(t *testing.T) {
		run := matching.MatchRun{RequestID: f.Request.ID, Params: json.RawMessage(`{"vacancy": {"title": "R&D"}, "k": 500}`),
			Recalled: 2, CreatedBy: &f.Operator.ID, Results: []matching.MatchResult{
				{CandidateID: &c.ID, Score: 0.1 + 0.2, Explanation: json.RawMessage(`{"reason": "<b>sì</b> & no", "fit": 1}`)},
				{Score: 1e-7, NearMiss: true, Explanation: json.RawMessage(` [ ] `)},
			}}
		mustNoError(t, s.CreateMatchRun(ctx, &run, f.opActor()), "create")
		got, err := s.MatchRun(ctx, run.ID)
		mustNoError(t, err, "read")
		posted, read := answer(run), answer(got)
		if string(posted) != string(read) {
			t.Errorf("the run changed:\nstored %s\nread   %s", posted, read)
		}
		if e := string(got.Results[0].Explanation); e != `{"reason":"\u003cb\u003esì\u003c/b\u003e \u0026 no","fit":1}` {
			t.Errorf("explanation = %s", e)
		}
		if p := string(got.Params); p != `{"k":500,"vacancy":{"title":"R\u0026D"}}` {
			t.Errorf("params = %s", p)
		}
	})

	t.Run("a run stored before migration 9 reads as it was answered then", func(t *testing.T) {
		var runID int64
		err := db.QueryRowContext(ctx, `INSERT INTO match_runs (request_id, params, recalled, created_at)
			VALUES ($1, '{"k": 500}', 1, now()) RETURNING id`, f.Request.ID).Scan(&runID)
		mustNoError(t, err, "old run")
		old := `{"reason": "R&D, 2 anni", "proofs": [{"text": "Cuoca"}], "fit": 0.5}`
		_, err = db.ExecContext(ctx, `INSERT INTO match_results (run_id, position, candidate_id, score, near_miss, explanation)
			VALUES ($1, 1, $2, 0.75, false, $3)`, runID, c.ID, old)
		mustNoError(t, err, "old result")
		got, err := s.MatchRun(ctx, runID)
		mustNoError(t, err, "read")
		// What the API answered: jsonb's text, compacted by encoding/json.
		var stored string
		mustNoError(t, db.GetContext(ctx, &stored, `SELECT explanation::text FROM match_results WHERE run_id = $1`, runID), "jsonb")
		want, err := json.Marshal(json.RawMessage(stored))
		mustNoError(t, err, "marshal")
		if len(got.Results) != 1 || string(got.Results[0].Explanation) != string(want) {
			t.Errorf("old explanation read as %s, want %s", got.Results[0].Explanation, want)
		}
		answer(got)
	})

	t.Run("the run and its audit event commit together or not at all", func(t *testing.T) {
		before := len(auditOf(t, s, f.Request.ID, "match_run"))
		run := matching.MatchRun{RequestID: f.Request.ID, Params: json.RawMessage(`{}`), Recalled: 40,
			Results: []matching.MatchResult{{CandidateID: &c.ID, Score: 1, Explanation: json.RawMessage(`{}`)}}}
		mustNoError(t, s.CreateMatchRun(ctx, &run, f.opActor()), "create")
		evs := auditOf(t, s, f.Request.ID, "match_run")
		if len(evs) != before+1 {
			t.Fatalf("%d match_run events, want %d", len(evs), before+1)
		}
		ev := evs[len(evs)-1]
		var detail map[string]int64
		mustNoError(t, json.Unmarshal(ev.Detail, &detail), "detail")
		if detail["run_id"] != run.ID || detail["results"] != 1 || detail["scored"] != 40 || ev.UserID == nil ||
			*ev.UserID != f.Operator.ID || ev.ObjectID == nil || *ev.ObjectID != f.Request.ID || !ev.At.Equal(run.CreatedAt) {
			t.Errorf("audit event = %+v %s", ev, ev.Detail)
		}
		bad := matching.MatchRun{RequestID: f.Request.ID, Params: json.RawMessage(`{}`),
			Results: []matching.MatchResult{{CandidateID: ptr(int64(999999)), Explanation: json.RawMessage(`{}`)}}}
		wantError(t, s.CreateMatchRun(ctx, &bad, f.opActor()), matching.EINVALID, "results.candidate_id")
		if n := len(auditOf(t, s, f.Request.ID, "match_run")); n != before+1 {
			t.Errorf("a refused run left an audit event: %d events", n)
		}
	})
}

func TestMatchRunRefusals(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRanked(t, s)
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
		{"a request still in intake", matching.MatchRun{RequestID: MustRequest(t, s).Request.ID, Params: ok}, matching.ECONFLICT, "status"},
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
			wantError(t, s.CreateMatchRun(ctx, &tt.run, f.opActor()), tt.code, tt.field)
		})
	}
	_, err := s.LatestMatchRun(ctx, f.Request.ID)
	wantError(t, err, matching.ENOTFOUND, "")
	_, err = s.MatchRun(ctx, 999999)
	wantError(t, err, matching.ENOTFOUND, "")
}

func TestTheFirstMatchRunStartsTheSearch(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRanked(t, s)
	run := matching.MatchRun{RequestID: f.Request.ID, Params: json.RawMessage(`{}`), CreatedBy: &f.Operator.ID}
	mustNoError(t, s.CreateMatchRun(ctx, &run, f.opActor()), "first run")
	r, err := s.Request(ctx, f.Request.ID)
	mustNoError(t, err, "read")
	if r.Status != matching.StatusSearching {
		t.Fatalf("after the first run the request is %s, want searching", r.Status)
	}
	history, err := s.RequestHistory(ctx, f.Request.ID)
	mustNoError(t, err, "history")
	last := history[len(history)-1]
	if *last.From != matching.StatusRequirementsRanked || last.To != matching.StatusSearching || *last.By != f.Operator.ID ||
		last.Note != fmt.Sprintf("match run %d", run.ID) {
		t.Errorf("history row = %+v", last)
	}
	events := auditOf(t, s, f.Request.ID, "request_status")
	if len(events) != 2 || !strings.Contains(string(events[1].Detail), `"action": "match_run"`) {
		t.Errorf("audit = %+v", events)
	}

	again := matching.MatchRun{RequestID: f.Request.ID, Params: json.RawMessage(`{}`)}
	mustNoError(t, s.CreateMatchRun(ctx, &again, f.opActor()), "second run")
	if h, _ := s.RequestHistory(ctx, f.Request.ID); len(h) != len(history) {
		t.Errorf("a second run moved the request again: %+v", h)
	}

	_, err = s.TransitionRequest(ctx, f.Request.ID, matching.TransitionInput{To: matching.StatusClosed, Outcome: ptr(matching.OutcomeCancelled),
		CloseReason: matching.CloseDuplicate}, f.opActor())
	mustNoError(t, err, "close")
	late := matching.MatchRun{RequestID: f.Request.ID, Params: json.RawMessage(`{}`)}
	err = s.CreateMatchRun(ctx, &late, f.opActor())
	wantError(t, err, matching.ECONFLICT, "status")
	wantMessage(t, err, "closed")
	if runs, _ := s.MatchRuns(ctx, f.Request.ID); len(runs) != 2 {
		t.Errorf("%d runs stored, want 2", len(runs))
	}
}
