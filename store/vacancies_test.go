package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"incontro/matching"
	"incontro/store"
)

func TestClosingARequestClosesItsVacancy(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		outcome matching.Outcome
		reason  matching.CloseReason
		by      func(f requestFixture, s *store.DB) store.Actor
	}{
		{"withdrawn by the employer", matching.OutcomeWithdrawn, matching.CloseEmployerWithdrew, func(f requestFixture, s *store.DB) store.Actor {
			u := matching.User{Email: "datore" + f.Employer.TaxCode + "@example.org", Name: "Datore", Role: matching.RoleEmployer,
				EmployerID: &f.Employer.ID}
			mustNoError(t, s.CreateUser(ctx, &u), "employer user")
			return store.Actor{UserID: u.ID, Role: matching.RoleEmployer}
		}},
		{"cancelled by the operator", matching.OutcomeCancelled, matching.CloseDuplicate, func(f requestFixture, _ *store.DB) store.Actor {
			return f.opActor()
		}},
		{"not filled", matching.OutcomeNotFilled, matching.CloseNoSuitableCandidate, func(f requestFixture, _ *store.DB) store.Actor {
			return f.opActor()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := MustStore(t)
			f := MustRequest(t, s)
			mustNoError(t, s.PublishVacancy(ctx, f.Vacancy.ID, "", nil, nil), "publish")
			a := tc.by(f, s)
			outboxBefore := countOf(t, s, `SELECT count(*) FROM outbox WHERE entity = 'vacancy' AND entity_id = $1`, f.Vacancy.ID)

			r, err := s.TransitionRequest(ctx, f.Request.ID, matching.TransitionInput{To: matching.StatusClosed,
				Outcome: ptr(tc.outcome), CloseReason: tc.reason, Note: "chiusa in prova"}, a)
			mustNoError(t, err, "close")
			v, err := s.Vacancy(ctx, f.Vacancy.ID)
			mustNoError(t, err, "read vacancy")
			if v.Status != matching.VacancyClosed || !v.UpdatedAt.Equal(*r.ClosedAt) || v.PublishedAt == nil {
				t.Errorf("vacancy after closing its request: status %s, updated %s (closed at %s), published %v",
					v.Status, v.UpdatedAt, r.ClosedAt, v.PublishedAt)
			}
			if n := countOf(t, s, `SELECT count(*) FROM outbox WHERE entity = 'vacancy' AND entity_id = $1`, f.Vacancy.ID); n != outboxBefore+1 {
				t.Errorf("%d outbox rows for the vacancy after closing, want %d", n, outboxBefore+1)
			}
			events := auditOf(t, s, f.Request.ID, "vacancy_closed")
			if len(events) != 1 {
				t.Fatalf("%d vacancy_closed events, want 1", len(events))
			}
			ev := events[0]
			var d struct {
				RequestID int64            `json:"request_id"`
				Outcome   matching.Outcome `json:"outcome"`
			}
			mustNoError(t, json.Unmarshal(ev.Detail, &d), "detail")
			if ev.ObjectType != "vacancy" || *ev.ObjectID != f.Vacancy.ID || *ev.UserID != a.UserID || ev.Role != a.Role ||
				!ev.At.Equal(*r.ClosedAt) || d.RequestID != f.Request.ID || d.Outcome != tc.outcome {
				t.Errorf("vacancy_closed event = %+v %s", ev, ev.Detail)
			}
			published, err := s.PublishedVacancies(ctx, clockStart)
			mustNoError(t, err, "published")
			for _, p := range published {
				if p.ID == f.Vacancy.ID {
					t.Error("the closed vacancy is still among the published ones")
				}
			}
			c := MustCandidate(t, s, matching.PresentNamed)
			_, err = s.Apply(ctx, f.Vacancy.ID, c.ID, "", clockStart, mustJobseeker(t, s, c))
			wantError(t, err, matching.ECONFLICT, "vacancy_id")
		})
	}

	t.Run("a failed closing leaves the vacancy published", func(t *testing.T) {
		s := MustStore(t)
		f := MustRequest(t, s)
		mustNoError(t, s.PublishVacancy(ctx, f.Vacancy.ID, "", nil, nil), "publish")
		_, err := s.TransitionRequest(ctx, f.Request.ID, matching.TransitionInput{To: matching.StatusClosed,
			Outcome: ptr(matching.OutcomeFilled), CloseReason: matching.CloseHired}, f.opActor())
		wantError(t, err, matching.ECONFLICT, "status")
		v, err := s.Vacancy(ctx, f.Vacancy.ID)
		mustNoError(t, err, "read")
		if v.Status != matching.VacancyPublished {
			t.Errorf("vacancy is %s after a refused closing", v.Status)
		}
		if n := len(auditOf(t, s, f.Request.ID, "vacancy_closed")); n != 0 {
			t.Errorf("%d vacancy_closed events after a refused closing", n)
		}
	})

	t.Run("a draft stays a draft and can no longer be published", func(t *testing.T) {
		s := MustStore(t)
		f := MustRequest(t, s)
		_, err := s.TransitionRequest(ctx, f.Request.ID, matching.TransitionInput{To: matching.StatusClosed,
			Outcome: ptr(matching.OutcomeCancelled), CloseReason: matching.CloseEnteredInError}, f.opActor())
		mustNoError(t, err, "close")
		v, err := s.Vacancy(ctx, f.Vacancy.ID)
		mustNoError(t, err, "read")
		if v.Status != matching.VacancyDraft || len(auditOf(t, s, f.Request.ID, "vacancy_closed")) != 0 {
			t.Errorf("a draft's request closed: vacancy %s", v.Status)
		}
		err = s.PublishVacancy(ctx, f.Vacancy.ID, "", nil, nil)
		wantError(t, err, matching.ECONFLICT, "")
		wantMessage(t, err, "closed request")
	})

	t.Run("moves that do not close leave the vacancy alone", func(t *testing.T) {
		s := MustStore(t)
		f := MustRequest(t, s)
		mustNoError(t, s.PublishVacancy(ctx, f.Vacancy.ID, "", nil, nil), "publish")
		MustTransition(t, s, f.Request.ID, matching.StatusRequirementsRanked, f.opActor())
		v, err := s.Vacancy(ctx, f.Vacancy.ID)
		mustNoError(t, err, "read")
		if v.Status != matching.VacancyPublished {
			t.Errorf("vacancy is %s after ranking its request", v.Status)
		}
	})
}

func TestPublicVacanciesFilterPageAndLeaveOutWhatIsNotOpen(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	p := MustProvider(t, s)
	emp := MustEmployer(t, s, p.ID)
	day := func(d string) *matching.Date {
		at, err := time.Parse(time.DateOnly, d)
		mustNoError(t, err, "day")
		return &at
	}
	mk := func(title, description, place, occupation, isco, contract string, closes *matching.Date, publish bool) matching.Vacancy {
		t.Helper()
		v := matching.Vacancy{EmployerID: emp.ID, Title: title, Description: description, MunicipalityCode: place,
			OccupationCode: occupation, ISCOCode: isco, ContractType: contract, ClosesOn: closes}
		mustNoError(t, s.CreateVacancy(ctx, &v), "create "+title)
		if publish {
			mustNoError(t, s.PublishVacancy(ctx, v.ID, "", nil, nil), "publish "+title)
		}
		return v
	}
	// Published one after the other: the last is the newest.
	cook := mk("Cuoco/a di linea", "Cucina tradizionale trentina, turni serali.", "022205", "occ-cuoco", "5120", "permanent", nil, true)
	waiter := mk("Cameriere/a di sala", "Servizio ai tavoli in ristorante, 100% stagione estiva.", "022161", "occ-cameriere-sala", "5131", "seasonal", day("2025-09-30"), true)
	driver := mk("Autista patente C", "Consegne in valle con camion.", "022205", "", "8332", "fixed_term", nil, true)
	mk("Cuoco/a per la stagione invernale", "Cucina d'albergo.", "022205", "occ-cuoco", "5120", "seasonal", day("2025-03-01"), true)
	// Neither a draft nor a vacancy past its closing date is listed.
	mk("Cuoco/a in bozza", "Non ancora pubblicata.", "022205", "occ-cuoco", "5120", "permanent", nil, false)
	asOf := clockStart

	ids := func(vs []store.PublicVacancy) []int64 {
		out := []int64{}
		for _, v := range vs {
			out = append(out, v.ID)
		}
		return out
	}
	for _, tt := range []struct {
		name   string
		filter store.PublicVacancyFilter
		want   []int64
		total  int
	}{
		{"every open published one, newest first", store.PublicVacancyFilter{}, []int64{driver.ID, waiter.ID, cook.ID}, 3},
		{"a word in the title, in another form", store.PublicVacancyFilter{Query: "cuoca"}, []int64{cook.ID}, 1},
		{"a word of the description", store.PublicVacancyFilter{Query: "camion"}, []int64{driver.ID}, 1},
		{"a part of a word", store.PublicVacancyFilter{Query: "camer"}, []int64{waiter.ID}, 1},
		{"wildcards are plain text", store.PublicVacancyFilter{Query: "100%"}, []int64{waiter.ID}, 1},
		{"a lone wildcard is a character too", store.PublicVacancyFilter{Query: "_"}, []int64{}, 0},
		{"a place", store.PublicVacancyFilter{MunicipalityCode: "022161"}, []int64{waiter.ID}, 1},
		{"an occupation", store.PublicVacancyFilter{OccupationCode: "occ-cuoco"}, []int64{cook.ID}, 1},
		{"an occupation's unit group", store.PublicVacancyFilter{OccupationCode: "occ-autista-camion", ISCOCode: "8332"}, []int64{driver.ID}, 1},
		{"a contract", store.PublicVacancyFilter{ContractType: "seasonal"}, []int64{waiter.ID}, 1},
		{"filters together", store.PublicVacancyFilter{MunicipalityCode: "022205", ContractType: "permanent"}, []int64{cook.ID}, 1},
		{"a page keeps the total", store.PublicVacancyFilter{Limit: 2, Offset: 1}, []int64{waiter.ID, cook.ID}, 3},
		{"after the closing date", store.PublicVacancyFilter{AsOf: asOf.AddDate(0, 7, 0)}, []int64{driver.ID, cook.ID}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.filter.AsOf.IsZero() {
				tt.filter.AsOf = asOf
			}
			got, total, err := s.PublicVacancies(ctx, tt.filter)
			mustNoError(t, err, "list")
			if diff := cmp.Diff(tt.want, ids(got)); diff != "" || (len(got) > 0 && total != tt.total) {
				t.Errorf("ids (-want +got):\n%s\ntotal %d, want %d", diff, total, tt.total)
			}
		})
	}
	t.Run("rows carry the employer's name and no requirements", func(t *testing.T) {
		got, _, err := s.PublicVacancies(ctx, store.PublicVacancyFilter{Query: "cuoco", AsOf: asOf})
		mustNoError(t, err, "list")
		if len(got) != 1 || got[0].EmployerName != emp.Name || got[0].Requirements == nil || len(got[0].Requirements) != 0 ||
			got[0].PublishedAt == nil || got[0].Status != matching.VacancyPublished {
			t.Errorf("row = %+v", got)
		}
	})
}

func TestVacanciesWithEmployerKeepTheOrderAsked(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	other := MustPublished(t, s, f.Employer.ID)
	got, err := s.VacanciesWithEmployer(ctx, []int64{other.ID, 999999, f.Vacancy.ID})
	mustNoError(t, err, "read")
	if len(got) != 2 || got[0].ID != other.ID || got[1].ID != f.Vacancy.ID {
		t.Fatalf("got %+v, want vacancies %d then %d", got, other.ID, f.Vacancy.ID)
	}
	for _, v := range got {
		if v.EmployerName != f.Employer.Name || len(v.Requirements) != 2 || v.Requirements[0].Rank != 1 || v.Requirements[1].Rank != 2 {
			t.Errorf("vacancy %d: employer %q, requirements %+v", v.ID, v.EmployerName, v.Requirements)
		}
	}
	if got[0].Status != matching.VacancyPublished || got[1].Status != matching.VacancyDraft {
		t.Errorf("states %s and %s, want published and draft", got[0].Status, got[1].Status)
	}
}
