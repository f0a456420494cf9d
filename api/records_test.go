package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"incontro/api"
	"incontro/matching"
)

// cvReads returns the audited reads of a candidate's CV, newest first.
func (w *world) cvReads(candidateID int64) []matching.AuditEvent {
	w.t.Helper()
	events, err := w.db.AuditForCandidate(w.t.Context(), candidateID, 500)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []matching.AuditEvent
	for _, ev := range events {
		if ev.Action == "cv_read" {
			out = append(out, ev)
		}
	}
	return out
}

// presentBlind adds a third candidate, Carlo Tre, who chose to be
// presented blind, and presents them blind to employer 1 in a new request
// of provider A.
func (w *world) presentBlind() matching.Candidate {
	w.t.Helper()
	ctx := w.t.Context()
	must := func(err error, what string) {
		w.t.Helper()
		if err != nil {
			w.t.Fatalf("%s: %v", what, err)
		}
	}
	c := matching.Candidate{GivenName: "Carlo", FamilyName: "Tre", Email: "carlo.tre@example.org", Phone: "333 0000000",
		HomeMunicipality: "022205", MobilityKm: 10, Searchable: true, Presentation: matching.PresentBlind}
	must(w.db.CreateCandidate(ctx, &c), "candidate 3")
	v := matching.Vacancy{EmployerID: w.employer1.ID, Title: "Offerta riservata", MunicipalityCode: w.employer1.MunicipalityCode,
		ContractType: "permanent", Requirements: []matching.Requirement{{Rank: 1, Kind: matching.ReqLicence, Code: "B"}}}
	must(w.db.CreateVacancy(ctx, &v), "vacancy")
	op := w.users[operatorA].ID
	r := matching.Request{ProviderID: w.providerA.ID, EmployerID: w.employer1.ID, VacancyID: v.ID, OperatorID: &op}
	must(w.db.CreateRequest(ctx, &r), "request")
	e := matching.PipelineEntry{RequestID: r.ID, CandidateID: &c.ID, Source: matching.SourceSearch, Stage: matching.StageAvailable}
	must(w.db.AddPipelineEntry(ctx, &e), "pipeline entry")
	_, err := presentShortlist(ctx, w.db, &r, op, matching.ShortlistItem{EntryID: e.ID, Mode: "blind"})
	must(err, "present")
	return c
}

func TestReadingACandidate(t *testing.T) {
	w := newWorld(t)
	birth := time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)
	if err := w.db.SetProtected(t.Context(), &matching.Protected{CandidateID: w.candidate1.ID, BirthDate: &birth, Sex: "F",
		Citizenship: "IT", Disability: true, L68Category: "art1"}); err != nil {
		t.Fatal(err)
	}
	blind := w.presentBlind()
	for _, tc := range []struct {
		name      string
		actor     string
		candidate matching.Candidate
		status    int
		given     string // the given name the caller sees
		audited   bool
	}{
		{"a jobseeker reads their own CV", jobseeker1, w.candidate1, 200, "Anna", false},
		{"a jobseeker cannot read another's CV", jobseeker1, w.candidate2, 404, "", false},
		{"an employer reads a candidate presented to it", employer1, w.candidate1, 200, "Anna", true},
		{"an employer reads a candidate presented blind without name", employer1, blind, 200, "Candidato/a riservato/a", true},
		{"an employer cannot read a candidate presented to another", employer2, w.candidate1, 404, "", false},
		{"an employer cannot read a candidate never presented to it", employer1, w.candidate2, 404, "", false},
		{"an operator reads the shared pool", operatorB, w.candidate2, 200, "Bruno", true},
		{"an operator sees the name of a candidate presented blind", operatorA, blind, 200, "Carlo", true},
		{"the monitor reads a CV", monitor, w.candidate1, 200, "Anna", true},
		{"a CV that does not exist", monitor, matching.Candidate{ID: 999999}, 404, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(w.cvReads(tc.candidate.ID))
			status, body := w.signIn(tc.actor).do(http.MethodGet, fmt.Sprintf("/api/v1/candidates/%d", tc.candidate.ID), nil)
			if status != tc.status {
				t.Fatalf("%d %s, want %d", status, body, tc.status)
			}
			reads := w.cvReads(tc.candidate.ID)
			if got := len(reads) - before; got != map[bool]int{false: 0, true: 1}[tc.audited] {
				t.Fatalf("%d reads audited, want audited = %v", got, tc.audited)
			}
			if tc.audited {
				ev := reads[0]
				if ev.UserID == nil || *ev.UserID != w.users[tc.actor].ID || ev.Role != roleOf[tc.actor] || ev.CandidateID == nil ||
					*ev.CandidateID != tc.candidate.ID || ev.ObjectType != "candidate" {
					t.Errorf("audit event = %+v", ev)
				}
			}
			if status != http.StatusOK {
				return
			}
			for _, protected := range []string{"birth_date", "1990-05-17", "sex", "citizenship", "disability", "l68", "art1"} {
				if strings.Contains(string(body), protected) {
					t.Errorf("the CV shows the protected attribute %q: %s", protected, body)
				}
			}
			v := jsonOf[api.CandidateView](t, body)
			if v.ID != tc.candidate.ID || v.GivenName != tc.given {
				t.Errorf("got candidate %d named %q, want %q", v.ID, v.GivenName, tc.given)
			}
			if masked := v.GivenName == "Candidato/a riservato/a"; masked {
				if !v.Blind || v.FamilyName != "" || v.Email != "" || v.Phone != "" || strings.Contains(string(body), "carlo.tre") ||
					strings.Contains(string(body), "333 0000000") {
					t.Errorf("a blind CV shows who the candidate is: %s", body)
				}
			} else if v.Blind || v.Email != tc.candidate.Email || v.FamilyName != tc.candidate.FamilyName {
				t.Errorf("a named CV lacks name or contacts: %+v", v)
			}
		})
	}
}

func TestACVReadThatCannotBeAuditedFails(t *testing.T) {
	w := newWorld(t)
	operator, jobseeker := w.signIn(operatorA), w.signIn(jobseeker1)
	_, err := w.db.SQL().ExecContext(t.Context(), `
		CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'the audit log is unavailable'; END $$;
		CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit();`)
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/candidates/%d", w.candidate1.ID)
	status, body := operator.do(http.MethodGet, path, nil)
	if status != http.StatusInternalServerError || strings.Contains(string(body), "Anna") {
		t.Errorf("an unaudited read by an operator: %d %s", status, body)
	}
	if status, body := jobseeker.do(http.MethodGet, path, nil); status != http.StatusOK {
		t.Errorf("the candidate's own read, which is not audited: %d %s", status, body)
	}
}

func TestReadingEmployersAndRequests(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		actor  string
		path   string
		status int
		want   string
	}{
		{employer1, fmt.Sprintf("/api/v1/employers/%d", w.employer1.ID), 200, "Hotel Uno"},
		{employer1, fmt.Sprintf("/api/v1/employers/%d", w.employer2.ID), 404, ""},
		{operatorA, fmt.Sprintf("/api/v1/employers/%d", w.employer1.ID), 200, "Hotel Uno"},
		{operatorB, fmt.Sprintf("/api/v1/employers/%d", w.employer1.ID), 404, ""},
		{monitor, fmt.Sprintf("/api/v1/employers/%d", w.employer2.ID), 200, "Trasporti Due"},
		{jobseeker1, fmt.Sprintf("/api/v1/employers/%d", w.employer1.ID), 403, ""},
		{employer1, fmt.Sprintf("/api/v1/requests/%d", w.request1.ID), 200, `"status":"shortlist_presented"`},
		{employer2, fmt.Sprintf("/api/v1/requests/%d", w.request1.ID), 404, ""},
		{operatorA, fmt.Sprintf("/api/v1/requests/%d", w.request1.ID), 200, `"status":"shortlist_presented"`},
		{operatorB, fmt.Sprintf("/api/v1/requests/%d", w.request1.ID), 404, ""},
		{operatorB, fmt.Sprintf("/api/v1/requests/%d", w.request2.ID), 200, `"status":"intake"`},
		{monitor, fmt.Sprintf("/api/v1/requests/%d", w.request2.ID), 200, `"status":"intake"`},
		{jobseeker1, fmt.Sprintf("/api/v1/requests/%d", w.request1.ID), 403, ""},
		{monitor, "/api/v1/requests/999999", 404, ""},
	} {
		t.Run(tc.actor+" GET "+tc.path, func(t *testing.T) {
			status, body := w.signIn(tc.actor).do(http.MethodGet, tc.path, nil)
			if status != tc.status || !strings.Contains(string(body), tc.want) {
				t.Fatalf("%d %s, want %d with %s", status, body, tc.status, tc.want)
			}
		})
	}
	status, body := w.signIn(employer1).do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d", w.request1.ID), nil)
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	r := jsonOf[api.RequestView](t, body)
	if r.ID != w.request1.ID || r.EmployerID != w.employer1.ID || len(r.History) != 5 || r.History[0].To != matching.StatusIntake ||
		r.History[4].To != matching.StatusShortlistPresented {
		t.Errorf("request = %+v", r)
	}
}

func TestEditingACV(t *testing.T) {
	w := newWorld(t)
	cv := func(c *client, id int64) matching.Candidate {
		t.Helper()
		status, body := c.do(http.MethodGet, fmt.Sprintf("/api/v1/candidates/%d", id), nil)
		if status != http.StatusOK {
			t.Fatalf("read CV %d: %d %s", id, status, body)
		}
		return jsonOf[matching.Candidate](t, body)
	}
	own := w.signIn(jobseeker1)
	mine := cv(own, w.candidate1.ID)
	mine.Headline = "Cameriera di sala con dieci anni di esperienza"
	mine.Languages = []matching.LanguageLevel{{Language: "de", Level: "B2"}}
	status, body := own.do(http.MethodPut, fmt.Sprintf("/api/v1/candidates/%d", mine.ID), mine)
	if status != http.StatusOK || jsonOf[matching.Candidate](t, body).Headline != mine.Headline {
		t.Fatalf("the jobseeker edits their CV: %d %s", status, body)
	}
	if got := cv(own, mine.ID); len(got.Languages) != 1 || got.Languages[0].Level != "B2" {
		t.Errorf("the edit was not saved: %+v", got.Languages)
	}

	bad := mine
	bad.Languages = []matching.LanguageLevel{{Language: "de", Level: "B3"}}
	status, body = own.do(http.MethodPut, fmt.Sprintf("/api/v1/candidates/%d", mine.ID), bad)
	if status != http.StatusUnprocessableEntity || errorOf(t, body).Field != "languages[0].level" {
		t.Errorf("a bad level: %d %s", status, body)
	}
	if got := cv(own, mine.ID); got.Languages[0].Level != "B2" {
		t.Errorf("a refused edit changed the CV: %+v", got.Languages)
	}

	other := cv(w.signIn(operatorB), w.candidate2.ID)
	if status, _ := own.do(http.MethodPut, fmt.Sprintf("/api/v1/candidates/%d", other.ID), other); status != http.StatusNotFound {
		t.Errorf("a jobseeker editing another CV: %d, want 404", status)
	}
	if status, _ := w.signIn(employer1).do(http.MethodPut, fmt.Sprintf("/api/v1/candidates/%d", mine.ID), mine); status != http.StatusForbidden {
		t.Errorf("an employer editing a CV: %d, want 403", status)
	}
	mine.Summary = "Aggiornato allo sportello"
	if status, body := w.signIn(operatorB).do(http.MethodPut, fmt.Sprintf("/api/v1/candidates/%d", mine.ID), mine); status != http.StatusOK {
		t.Fatalf("an operator edits a CV at the desk: %d %s", status, body)
	}
	if !slices.Contains(w.auditActions(w.users[operatorB].ID), "cv_updated") {
		t.Errorf("the operator's edit is not in the audit log: %v", w.auditActions(w.users[operatorB].ID))
	}
}

func TestOnlyTheJobseekerDecidesAboutConsent(t *testing.T) {
	w := newWorld(t)
	op := w.signIn(operatorB)
	path := fmt.Sprintf("/api/v1/candidates/%d", w.candidate1.ID)
	_, body := op.do(http.MethodGet, path, nil)
	cv := jsonOf[matching.Candidate](t, body)
	for field, change := range map[string]func(*matching.Candidate){
		"searchable":   func(c *matching.Candidate) { c.Searchable = !c.Searchable },
		"presentation": func(c *matching.Candidate) { c.Presentation = matching.PresentNone },
	} {
		edited := cv
		change(&edited)
		if status, body := op.do(http.MethodPut, path, edited); status != http.StatusUnprocessableEntity || errorOf(t, body).Field != field {
			t.Errorf("an operator changing %s: %d %s", field, status, body)
		}
	}
	// Once the jobseeker withdraws consent, the employer it was presented to
	// no longer reads the CV.
	if status, _ := w.signIn(employer1).do(http.MethodGet, path, nil); status != http.StatusOK {
		t.Fatalf("employer 1 reads the presented CV: %d", status)
	}
	own := w.signIn(jobseeker1)
	cv.Presentation = matching.PresentNone
	if status, body := own.do(http.MethodPut, path, cv); status != http.StatusOK {
		t.Fatalf("the jobseeker withdraws consent: %d %s", status, body)
	}
	if status, _ := w.signIn(employer1).do(http.MethodGet, path, nil); status != http.StatusNotFound {
		t.Errorf("after the withdrawal employer 1 still reads the CV: %d", status)
	}
}
