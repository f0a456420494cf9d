package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"incontro/matching"
	"incontro/store"
)

// jobseekerFixture is a jobseeker with an account, a session, an API token,
// a pending confirmation link, a failed log-in, a pipeline entry with a
// contact and an answered availability request, and a self-application.
type jobseekerFixture struct {
	Request   requestFixture
	Candidate matching.Candidate
	User      matching.User
	Entry     matching.PipelineEntry
	Question  matching.AvailabilityRequest
	App       matching.Application
}

func mustErasable(t *testing.T, s *store.DB, f requestFixture, email string) jobseekerFixture {
	t.Helper()
	ctx := context.Background()
	js := jobseekerFixture{Request: f, Candidate: fullCandidate(email)}
	mustNoError(t, s.CreateCandidate(ctx, &js.Candidate), "create candidate")
	js.User = matching.User{Email: email, Name: "Martina Dalpiaz", Role: matching.RoleJobseeker, CandidateID: &js.Candidate.ID}
	mustNoError(t, s.CreateUser(ctx, &js.User), "create the account")
	sess := matching.Session{UserID: js.User.ID, CSRFToken: "csrf-" + email, ExpiresAt: clockStart.Add(24 * time.Hour)}
	mustNoError(t, s.CreateSession(ctx, &sess, []byte("session-"+email)), "create a session")
	tok := matching.APIToken{UserID: js.User.ID, Name: "script"}
	mustNoError(t, s.CreateAPIToken(ctx, &tok, []byte("token-"+email)), "create an API token")
	mustNoError(t, s.CreateEmailVerification(ctx, js.User.ID, []byte("verify-"+email), clockStart.Add(48*time.Hour)), "create a link")
	mustNoError(t, s.RecordLoginFailure(ctx, email, "192.0.2.1"), "record a failed log-in")
	mustNoError(t, s.Audit(ctx, &matching.AuditEvent{Action: "login_failed", Detail: json.RawMessage(`{"email":"` + email + `"}`)}), "audit")
	js.Entry = MustEntry(t, s, f.Request.ID, js.Candidate.ID, &f.Operator.ID)
	mustExec(t, s, `INSERT INTO contacts (entry_id, channel, outcome, note, at, by_user) VALUES ($1, 'phone', 'available', 'parla bene il tedesco', $2, $3)`,
		js.Entry.ID, clockStart, f.Operator.ID)
	js.Question = matching.AvailabilityRequest{EntryID: js.Entry.ID, SentBy: &f.Operator.ID}
	mustNoError(t, s.CreateAvailabilityRequest(ctx, &js.Question), "ask")
	mustExec(t, s, `UPDATE availability_requests SET answered_at = $2, answer = 'not_interested', reason = 'Mi trasferisco a Bolzano'
		WHERE id = $1`, js.Question.ID, clockStart.Add(time.Hour))
	js.App = matching.Application{VacancyID: f.Vacancy.ID, CandidateID: &js.Candidate.ID, Message: "Lavoro da sei anni in sala."}
	mustNoError(t, s.CreateApplication(ctx, &js.App), "apply")
	return js
}

func TestErasingAJobseekerRemovesTheAccountAndWhatTheyWroteAndKeepsThePseudonymousRecord(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	gone := mustErasable(t, s, f, "martina.va.via@example.org")
	stays := mustErasable(t, s, f, "martina.resta@example.org")

	mustNoError(t, s.EraseCandidateAs(ctx, gone.Candidate.ID, store.Actor{UserID: gone.User.ID, Role: matching.RoleJobseeker, IP: "192.0.2.7"}), "erase")

	_, err := s.Candidate(ctx, gone.Candidate.ID)
	wantError(t, err, matching.ENOTFOUND, "")
	_, err = s.User(ctx, gone.User.ID)
	wantError(t, err, matching.ENOTFOUND, "")
	for _, tc := range []struct {
		what  string
		query string
		arg   any
		want  int
	}{
		{"sessions", `SELECT count(*) FROM sessions WHERE user_id = $1`, gone.User.ID, 0},
		{"API tokens", `SELECT count(*) FROM api_tokens WHERE user_id = $1`, gone.User.ID, 0},
		{"confirmation links", `SELECT count(*) FROM email_verifications WHERE user_id = $1`, gone.User.ID, 0},
		{"failed log-ins", `SELECT count(*) FROM login_failures WHERE email = $1`, gone.User.Email, 0},
		{"audit events naming the address", `SELECT count(*) FROM audit_log WHERE detail->>'email' = $1`, gone.User.Email, 0},
		{"CV rows", `SELECT count(*) FROM candidate_experiences WHERE candidate_id = $1`, gone.Candidate.ID, 0},
		// The other jobseeker keeps everything.
		{"the other's sessions", `SELECT count(*) FROM sessions WHERE user_id = $1`, stays.User.ID, 1},
		{"the other's API tokens", `SELECT count(*) FROM api_tokens WHERE user_id = $1`, stays.User.ID, 1},
		{"the other's failed log-ins", `SELECT count(*) FROM login_failures WHERE email = $1`, stays.User.Email, 1},
		{"the other's audit events", `SELECT count(*) FROM audit_log WHERE detail->>'email' = $1`, stays.User.Email, 1},
		{"the other's application message", `SELECT count(*) FROM applications WHERE id = $1 AND message <> ''`, stays.App.ID, 1},
		{"the other's reason", `SELECT count(*) FROM availability_requests WHERE id = $1 AND reason <> ''`, stays.Question.ID, 1},
	} {
		if got := countOf(t, s, tc.query, tc.arg); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.what, got, tc.want)
		}
	}

	// The request's records stay for the statistics, under the pseudonym.
	entry, err := s.PipelineEntry(ctx, gone.Entry.ID)
	mustNoError(t, err, "read the pipeline entry")
	if entry.CandidateID != nil || entry.Pseudonym != gone.Entry.Pseudonym || entry.Stage != gone.Entry.Stage || entry.Source != matching.SourceSearch {
		t.Errorf("pipeline entry after erasure = %+v", entry)
	}
	if n := countOf(t, s, `SELECT count(*) FROM contacts WHERE entry_id = $1`, gone.Entry.ID); n != 1 {
		t.Errorf("contacts of the entry: %d, want 1", n)
	}
	qs, err := s.AvailabilityRequests(ctx, gone.Entry.ID)
	mustNoError(t, err, "read the availability requests")
	if len(qs) != 1 || qs[0].Answer != "not_interested" || qs[0].Reason != "" {
		t.Errorf("availability requests after erasure = %+v; want the answer without the reason", qs)
	}
	app, err := s.Application(ctx, gone.App.ID)
	mustNoError(t, err, "read the application")
	if app.CandidateID != nil || app.Message != "" || app.Status != matching.ApplicationSubmitted {
		t.Errorf("application after erasure = %+v; want no candidate and no message", app)
	}

	// The erasure is in the audit log, by number, without the account.
	events, err := s.AuditForCandidate(ctx, gone.Candidate.ID, 10)
	mustNoError(t, err, "read the audit log")
	if len(events) == 0 || events[0].Action != "candidate_erased" || events[0].UserID != nil ||
		events[0].Role != matching.RoleJobseeker || events[0].IP != "192.0.2.7" {
		t.Errorf("latest audit event = %+v; want candidate_erased by a jobseeker without the account", events)
	}
	if ops := outboxRows(t, s, matching.EntityCandidate, gone.Candidate.ID); len(ops) == 0 || ops[len(ops)-1] != "delete" {
		t.Errorf("outbox rows = %v, want a delete last", ops)
	}
	wantError(t, s.EraseCandidate(ctx, gone.Candidate.ID), matching.ENOTFOUND, "")
}

func TestAJobseekerSeesTheirPipelineEntriesWithoutTheStaffsNotes(t *testing.T) {
	ctx := context.Background()
	s := MustStore(t)
	f := MustRequest(t, s)
	js := mustErasable(t, s, f, "martina.vede@example.org")
	other := MustCandidate(t, s, matching.PresentNamed)
	MustEntry(t, s, f.Request.ID, other.ID, &f.Operator.ID)

	got, err := s.CandidateEntries(ctx, js.Candidate.ID)
	mustNoError(t, err, "read the entries")
	if len(got) != 1 {
		t.Fatalf("entries = %+v, want the jobseeker's one", got)
	}
	e := got[0]
	if e.ID != js.Entry.ID || e.RequestID != f.Request.ID || e.VacancyID != f.Vacancy.ID || e.VacancyTitle != f.Vacancy.Title ||
		e.Stage != matching.StageFound || e.Source != matching.SourceSearch {
		t.Errorf("entry = %+v", e)
	}
	// A draft vacancy does not name its employer to the jobseeker.
	if e.EmployerName != "" {
		t.Errorf("the employer of an unpublished vacancy is named: %q", e.EmployerName)
	}
	if len(e.Stages) != 1 || e.Stages[0].To != matching.StageFound || len(e.Contacts) != 1 || e.Contacts[0].Channel != "phone" ||
		e.Contacts[0].Outcome != "available" {
		t.Errorf("stages %+v, contacts %+v", e.Stages, e.Contacts)
	}
	b, err := json.Marshal(got)
	mustNoError(t, err, "encode")
	for _, secret := range []string{"parla bene il tedesco", "pseudonym", "score"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the jobseeker's view holds %q: %s", secret, b)
		}
	}
	none, err := s.CandidateEntries(ctx, other.ID+1000)
	mustNoError(t, err, "read no entries")
	if none == nil || len(none) != 0 {
		t.Errorf("entries of nobody = %#v, want an empty list", none)
	}
}
