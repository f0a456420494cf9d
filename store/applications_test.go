package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"incontro/matching"
	"incontro/store"
)

// mustJobseeker creates the candidate's account and returns them acting.
func mustJobseeker(tb testing.TB, s *store.DB, c matching.Candidate) store.Actor {
	tb.Helper()
	u := matching.User{Email: fmt.Sprintf("js%d@example.org", nextSeq()), Name: c.GivenName, Role: matching.RoleJobseeker, CandidateID: &c.ID}
	if err := s.CreateUser(context.Background(), &u); err != nil {
		tb.Fatalf("create jobseeker: %v", err)
	}
	return store.Actor{UserID: u.ID, Role: matching.RoleJobseeker}
}

// MustPublished creates a published vacancy of the employer.
func MustPublished(tb testing.TB, s *store.DB, employerID int64) matching.Vacancy {
	tb.Helper()
	v := MustVacancy(tb, s, employerID)
	if err := s.PublishVacancy(context.Background(), v.ID, "", nil, nil); err != nil {
		tb.Fatalf("publish: %v", err)
	}
	v.Status = matching.VacancyPublished
	return v
}

func TestCreateApplicationAndTheList(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c1 := MustCandidate(t, s, matching.PresentNamed)
	c2 := MustCandidate(t, s, matching.PresentNamed)
	other := MustVacancy(t, s, f.Employer.ID)

	a1 := matching.Application{VacancyID: f.Vacancy.ID, CandidateID: &c1.ID, Message: "Sono interessata"}
	a2 := matching.Application{VacancyID: f.Vacancy.ID, CandidateID: &c2.ID, Status: matching.ApplicationWithdrawn}
	a3 := matching.Application{VacancyID: other.ID, CandidateID: &c1.ID}
	for _, a := range []*matching.Application{&a1, &a2, &a3} {
		mustNoError(t, s.CreateApplication(ctx, a), "create application")
	}
	got, err := s.Application(ctx, a1.ID)
	mustNoError(t, err, "read")
	if diff := cmp.Diff(a1, got); diff != "" || a1.Status != matching.ApplicationSubmitted {
		t.Errorf("application read back differs (-written +read):\n%s", diff)
	}
	ids := func(as []matching.Application) []int64 {
		out := []int64{}
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	for _, tt := range []struct {
		name   string
		filter store.ApplicationFilter
		want   []int64
		total  int
	}{
		{"all, newest first", store.ApplicationFilter{}, []int64{a3.ID, a2.ID, a1.ID}, 3},
		{"by vacancy", store.ApplicationFilter{VacancyID: f.Vacancy.ID}, []int64{a2.ID, a1.ID}, 2},
		{"by candidate", store.ApplicationFilter{CandidateID: c1.ID}, []int64{a3.ID, a1.ID}, 2},
		{"by status", store.ApplicationFilter{Status: matching.ApplicationWithdrawn}, []int64{a2.ID}, 1},
		{"a page keeps the total", store.ApplicationFilter{Limit: 2}, []int64{a3.ID, a2.ID}, 3},
	} {
		t.Run("listing "+tt.name, func(t *testing.T) {
			got, total, err := s.Applications(ctx, tt.filter)
			mustNoError(t, err, "list")
			if diff := cmp.Diff(tt.want, ids(got)); diff != "" || total != tt.total {
				t.Errorf("ids (-want +got):\n%s\ntotal %d, want %d", diff, total, tt.total)
			}
		})
	}
	for _, tt := range []struct {
		name        string
		app         matching.Application
		code, field string
	}{
		{"a second application to the same vacancy", matching.Application{VacancyID: f.Vacancy.ID, CandidateID: &c1.ID}, matching.ECONFLICT, "candidate_id"},
		{"an application without candidate", matching.Application{VacancyID: f.Vacancy.ID}, matching.EINVALID, "candidate_id"},
		{"a vacancy that does not exist", matching.Application{VacancyID: 999999, CandidateID: &c2.ID}, matching.EINVALID, "vacancy_id"},
		{"an unknown status", matching.Application{VacancyID: other.ID, CandidateID: &c2.ID, Status: "lost"}, matching.EINVALID, "status"},
		{"not fitting with a blank reason", matching.Application{VacancyID: other.ID, CandidateID: &c2.ID,
			Status: matching.ApplicationNotFitting, Reason: "   "}, matching.EINVALID, "reason"},
	} {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			wantError(t, s.CreateApplication(ctx, &tt.app), tt.code, tt.field)
		})
	}
}

func TestApplyingVerifyingAndWithdrawing(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	v := MustPublished(t, s, f.Employer.ID)
	r := MustRequestFor(t, s, f.Provider.ID, f.Employer.ID, v.ID, &f.Operator.ID)
	day := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	c1, c2, c3 := MustCandidate(t, s, matching.PresentNamed), MustCandidate(t, s, matching.PresentNamed), MustCandidate(t, s, matching.PresentNamed)
	js1, js2, js3 := mustJobseeker(t, s, c1), mustJobseeker(t, s, c2), mustJobseeker(t, s, c3)

	a1, err := s.Apply(ctx, v.ID, c1.ID, " Ho esperienza ", day, js1)
	mustNoError(t, err, "apply")
	if a1.Message != "Ho esperienza" || a1.Status != matching.ApplicationSubmitted {
		t.Errorf("application = %+v", a1)
	}
	entries, err := s.PipelineEntries(ctx, r.ID)
	mustNoError(t, err, "pipeline")
	if len(entries) != 1 || entries[0].Source != matching.SourceSelfApplication || *entries[0].ApplicationID != a1.ID ||
		*entries[0].CreatedBy != js1.UserID {
		t.Fatalf("pipeline after applying = %+v", entries)
	}
	e1 := entries[0]
	if events := auditOf(t, s, r.ID, "application_submitted"); len(events) != 1 || *events[0].CandidateID != c1.ID {
		t.Errorf("audit = %+v", events)
	}

	t.Run("a candidate already in the pipeline has the application linked to their entry", func(t *testing.T) {
		MustTransition(t, s, r.ID, matching.StatusRequirementsRanked, f.opActor())
		found, err := s.AddCandidate(ctx, store.NewEntry{RequestID: r.ID, CandidateID: c2.ID, Source: matching.SourceSearch}, f.opActor())
		mustNoError(t, err, "add")
		a2, err := s.Apply(ctx, v.ID, c2.ID, "", day, js2)
		mustNoError(t, err, "apply")
		linked, err := s.PipelineEntry(ctx, found.ID)
		mustNoError(t, err, "read")
		if linked.ApplicationID == nil || *linked.ApplicationID != a2.ID || linked.Source != matching.SourceSearch {
			t.Errorf("entry = %+v", linked)
		}
		if n := countOf(t, s, `SELECT count(*) FROM pipeline_entries WHERE request_id = $1`, r.ID); n != 2 {
			t.Errorf("%d entries, want 2", n)
		}
	})

	for _, tt := range []struct {
		name        string
		vacancyID   int64
		code, field string
	}{
		{"applying twice", v.ID, matching.ECONFLICT, "vacancy_id"},
		{"a draft", MustVacancy(t, s, f.Employer.ID).ID, matching.ENOTFOUND, ""},
		{"a vacancy that does not exist", 999999, matching.ENOTFOUND, ""},
	} {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			_, err := s.Apply(ctx, tt.vacancyID, c1.ID, "", day, js1)
			wantError(t, err, tt.code, tt.field)
		})
	}
	t.Run("a vacancy past its closing day is refused", func(t *testing.T) {
		late := MustPublished(t, s, f.Employer.ID)
		mustExec(t, s, `UPDATE vacancies SET closes_on = '2025-03-09' WHERE id = $1`, late.ID)
		_, err := s.Apply(ctx, late.ID, c1.ID, "", day, js1)
		wantError(t, err, matching.ECONFLICT, "vacancy_id")
	})

	t.Run("verifying", func(t *testing.T) {
		_, err := s.VerifyApplication(ctx, a1.ID, matching.ApplicationNotFitting, "", "", f.opActor())
		wantError(t, err, matching.EINVALID, "reason")
		got, err := s.VerifyApplication(ctx, a1.ID, matching.ApplicationNotFitting, "experience", "solo un anno", f.opActor())
		mustNoError(t, err, "verify")
		if got.Status != matching.ApplicationNotFitting || got.Reason != "experience" || *got.VerifiedBy != f.Operator.ID || got.VerifiedAt == nil {
			t.Errorf("application = %+v", got)
		}
		entry, _ := s.PipelineEntry(ctx, e1.ID)
		if entry.Stage != matching.StageRejected || entry.RejectionReason != "experience" {
			t.Errorf("entry = %+v", entry)
		}
		h, _ := s.StageHistory(ctx, e1.ID)
		if last := h[len(h)-1]; last.Note != "solo un anno" || last.Reason != "experience" {
			t.Errorf("history = %+v", last)
		}
		_, err = s.VerifyApplication(ctx, a1.ID, matching.ApplicationVerified, "", "", f.opActor())
		wantError(t, err, matching.ECONFLICT, "status")
		if n := len(auditOf(t, s, r.ID, "application_verified")); n != 1 {
			t.Errorf("%d verifications audited", n)
		}
	})

	t.Run("withdrawing from the pipeline withdraws the application", func(t *testing.T) {
		a3, err := s.Apply(ctx, v.ID, c3.ID, "", day, js3)
		mustNoError(t, err, "apply")
		var e3 matching.PipelineEntry
		entries, _ := s.PipelineEntries(ctx, r.ID)
		for _, e := range entries {
			if *e.CandidateID == c3.ID {
				e3 = e
			}
		}
		_, err = s.MoveStage(ctx, e3.ID, store.StageInput{To: matching.StageWithdrew}, js3)
		mustNoError(t, err, "withdraw")
		if got, _ := s.Application(ctx, a3.ID); got.Status != matching.ApplicationWithdrawn {
			t.Errorf("the application is %s", got.Status)
		}
		_, err = s.WithdrawApplication(ctx, a3.ID, js3)
		wantError(t, err, matching.ECONFLICT, "status")
	})

	t.Run("withdrawing the application withdraws from the pipeline", func(t *testing.T) {
		c4 := MustCandidate(t, s, matching.PresentNamed)
		js4 := mustJobseeker(t, s, c4)
		a4, err := s.Apply(ctx, v.ID, c4.ID, "", day, js4)
		mustNoError(t, err, "apply")
		got, err := s.WithdrawApplication(ctx, a4.ID, js4)
		mustNoError(t, err, "withdraw")
		if got.Status != matching.ApplicationWithdrawn {
			t.Errorf("application = %+v", got)
		}
		rows, _ := s.CandidateApplications(ctx, c4.ID)
		if len(rows) != 1 || rows[0].Stage == nil || *rows[0].Stage != matching.StageWithdrew || rows[0].VacancyTitle != v.Title {
			t.Errorf("the jobseeker's applications = %+v", rows)
		}
	})

	t.Run("an application without a request is verified once the request opens", func(t *testing.T) {
		lone := MustPublished(t, s, f.Employer.ID)
		a, err := s.Apply(ctx, lone.ID, c1.ID, "", day, js1)
		mustNoError(t, err, "apply")
		_, err = s.VerifyApplication(ctx, a.ID, matching.ApplicationVerified, "", "", f.opActor())
		wantError(t, err, matching.ECONFLICT, "status")
		nr := matching.Request{ProviderID: f.Provider.ID, EmployerID: f.Employer.ID, VacancyID: lone.ID}
		mustNoError(t, s.OpenRequest(ctx, &nr, f.opActor()), "open")
		_, err = s.VerifyApplication(ctx, a.ID, matching.ApplicationVerified, "", "", f.opActor())
		mustNoError(t, err, "verify")
		rows, err := s.RequestApplications(ctx, nr.ID)
		mustNoError(t, err, "list")
		if len(rows) != 1 || rows[0].Status != matching.ApplicationVerified || rows[0].EntryID == nil || rows[0].DisplayName == "" {
			t.Errorf("the request's applications = %+v", rows)
		}
	})
}

func TestApplyingWhileTheRequestOpensEntersThePipelineOnce(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	day := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	for range 5 {
		v := MustPublished(t, s, f.Employer.ID)
		c := MustCandidate(t, s, matching.PresentNamed)
		js := mustJobseeker(t, s, c)
		var wg sync.WaitGroup
		var applyErr, openErr error
		r := matching.Request{ProviderID: f.Provider.ID, EmployerID: f.Employer.ID, VacancyID: v.ID}
		wg.Go(func() { _, applyErr = s.Apply(ctx, v.ID, c.ID, "", day, js) })
		wg.Go(func() { openErr = s.OpenRequest(ctx, &r, f.opActor()) })
		wg.Wait()
		mustNoError(t, applyErr, "apply")
		mustNoError(t, openErr, "open")
		if n := countOf(t, s, `SELECT count(*) FROM pipeline_entries WHERE request_id = $1`, r.ID); n != 1 {
			t.Fatalf("the application entered the pipeline %d times, want once", n)
		}
	}
}

func TestCVReads(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	c := MustCandidate(t, s, matching.PresentNamed)
	boss := matching.User{Email: fmt.Sprintf("boss%d@example.org", nextSeq()), Name: "Titolare", Role: matching.RoleEmployer, EmployerID: &f.Employer.ID}
	mustNoError(t, s.CreateUser(ctx, &boss), "employer user")
	read := func(u matching.User, detail string, requestID *int64) {
		ev := &matching.AuditEvent{UserID: &u.ID, Role: u.Role, Action: "cv_read", ObjectType: "candidate", ObjectID: &c.ID,
			CandidateID: &c.ID, RequestID: requestID, Detail: []byte(detail)}
		mustNoError(t, s.Audit(ctx, ev), "audit")
	}
	read(f.Operator, `{"purpose": "request"}`, &f.Request.ID)
	read(boss, `{"purpose": "colloquio"}`, &f.Request.ID)
	mustNoError(t, s.Audit(ctx, &matching.AuditEvent{UserID: &f.Operator.ID, Role: matching.RoleOperator, Action: "cv_updated",
		CandidateID: &c.ID}), "another action")

	got, total, err := s.CVReads(ctx, c.ID, 10, 0)
	mustNoError(t, err, "reads")
	if total != 2 || len(got) != 2 {
		t.Fatalf("reads = %+v (total %d)", got, total)
	}
	if got[0].Role != matching.RoleEmployer || got[0].Organisation != f.Employer.Name || got[0].Name != "" || got[0].Purpose != "colloquio" {
		t.Errorf("the employer's read = %+v", got[0])
	}
	if got[1].Organisation != f.Provider.Name || got[1].Name != f.Operator.Name || *got[1].RequestID != f.Request.ID {
		t.Errorf("the operator's read = %+v", got[1])
	}
	page, total, err := s.CVReads(ctx, c.ID, 1, 1)
	mustNoError(t, err, "page")
	if total != 2 || len(page) != 1 || page[0].ID != got[1].ID {
		t.Errorf("page = %+v (total %d)", page, total)
	}
}
