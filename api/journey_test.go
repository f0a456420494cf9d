package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"incontro/api"
	"incontro/matching"
	"incontro/store"
)

// The acceptance test of the 4C/4D workflow (issue 7): one request walked
// from intake to a hire through the JSON API alone, every step also tried
// by a role that must not take it, and then the monitoring report, whose
// figures are worked out by hand from what the walk did.

// journeyZone is Trento's time zone, in which the report counts its days.
var journeyZone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic(err)
	}
	return loc
}()

// journey is the world with a CV index, walked by signed-in clients on a
// clock that only the walk moves.
type journey struct {
	*searchWorld
	t *testing.T
	// start is midnight (in Trento) of the day after the world was built,
	// so that the world's own records fall before the reported period.
	start   time.Time
	clients map[string]*client
}

func newJourney(t *testing.T) *journey {
	sw := newSearchWorld(t, inIntake())
	y, m, d := sw.clock.Now().In(journeyZone).Date()
	return &journey{searchWorld: sw, t: t, start: time.Date(y, m, d+1, 0, 0, 0, 0, journeyZone), clients: map[string]*client{}}
}

// at is a moment of the walk: day, hour and minute from its start.
func (j *journey) at(day, hour, minute int) time.Time {
	return j.start.Add(time.Duration(day)*24*time.Hour + time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

// jump moves the clock forward to t. The sessions, which may have ended
// meanwhile, are opened again when next needed.
func (j *journey) jump(t time.Time) {
	j.t.Helper()
	d := t.Sub(j.clock.Now())
	if d < 0 {
		j.t.Fatalf("the walk goes back in time: %s is before %s", t, j.clock.Now())
	}
	j.clock.Advance(d)
	clear(j.clients)
}

// as returns the actor's signed-in client.
func (j *journey) as(actor string) *client {
	j.t.Helper()
	c, ok := j.clients[actor]
	if !ok {
		c = j.signIn(actor)
		j.clients[actor] = c
	}
	return c
}

// call makes a call as the actor, which must answer the status (and
// mention what is given), and returns the body.
func (j *journey) call(actor, method, path string, body any, status int, mentions ...string) []byte {
	j.t.Helper()
	got, b := j.as(actor).do(method, path, body)
	if got != status {
		j.t.Fatalf("%s %s as %s: %d %s, want %d", method, path, actor, got, b, status)
	}
	return want(j.t, got, b, status, mentions...)
}

// refused makes a call that must be refused with the status (and, when
// field is given, an error naming that field) and checks that it changed
// nothing: every request's status and history, the pipelines and their
// stage histories, contacts, answers, applications, shortlists, feedback,
// 4D records, time and timers stay as they were.
func (j *journey) refused(actor, method, path string, body any, status int, field string) api.ErrorDetail {
	j.t.Helper()
	c := j.as(actor)
	before := j.fingerprint()
	got, b := c.do(method, path, body)
	if got != status {
		j.t.Fatalf("%s %s as %s: %d %s, want it refused with %d", method, path, actor, got, b, status)
	}
	e := errorOf(j.t, b)
	if field != "" && e.Field != field {
		j.t.Errorf("%s %s as %s: the error names %q, want %q: %s", method, path, actor, e.Field, field, b)
	}
	if after := j.fingerprint(); after != before {
		j.t.Fatalf("%s %s as %s was refused (%d) but changed the records:\nbefore %s\nafter  %s", method, path, actor, got, before, after)
	}
	return e
}

// fingerprint sums up the workflow's records, to see that a refused call
// wrote nothing.
func (j *journey) fingerprint() string {
	j.t.Helper()
	var s string
	err := j.db.SQL().GetContext(context.Background(), &s, `SELECT concat_ws(' | ',
		(SELECT string_agg(id || ':' || status || ':' || with_4d, ',' ORDER BY id) FROM requests),
		(SELECT count(*) FROM request_status_history),
		(SELECT count(*) FROM match_runs),
		(SELECT string_agg(id || ':' || stage, ',' ORDER BY id) FROM pipeline_entries),
		(SELECT count(*) FROM pipeline_stage_history),
		(SELECT count(*) FROM pipeline_notes),
		(SELECT count(*) FROM contacts),
		(SELECT string_agg(id || ':' || COALESCE(answer, '-'), ',' ORDER BY id) FROM availability_requests),
		(SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM applications),
		(SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM shortlists),
		(SELECT count(*) FROM shortlist_items),
		(SELECT count(*) FROM feedback),
		(SELECT count(*) FROM competence_checks),
		(SELECT count(*) FROM selection_sessions),
		(SELECT count(*) || ':' || COALESCE(sum(minutes), 0) FROM time_entries),
		(SELECT count(*) FROM running_timers),
		(SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM vacancies))`)
	if err != nil {
		j.t.Fatal(err)
	}
	return s
}

// request reads a request's view as the actor.
func (j *journey) request(actor string, id int64) api.RequestView {
	j.t.Helper()
	return jsonOf[api.RequestView](j.t, j.call(actor, http.MethodGet, fmt.Sprintf("/api/v1/requests/%d", id), nil, http.StatusOK))
}

// move asks for a transition as the actor, which must succeed.
func (j *journey) move(actor string, id int64, to matching.RequestStatus) api.RequestView {
	j.t.Helper()
	return jsonOf[api.RequestView](j.t, j.call(actor, http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/transitions", id),
		map[string]any{"to": to}, http.StatusOK))
}

// logTime records the operator's minutes of an activity on a request,
// started the minutes before now.
func (j *journey) logTime(actor string, requestID int64, activity string, minutes int) matching.TimeEntry {
	j.t.Helper()
	e := jsonOf[matching.TimeEntry](j.t, j.call(actor, http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/time-entries", requestID),
		map[string]any{"activity": activity, "minutes": minutes, "started_at": j.clock.Now().Add(-time.Duration(minutes) * time.Minute)},
		http.StatusCreated))
	if e.Minutes != minutes || e.Activity != activity {
		j.t.Fatalf("time entry = %+v", e)
	}
	return e
}

// timeSheet reads a request's time against the standard.
func (j *journey) timeSheet(requestID int64) api.TimeSheet {
	j.t.Helper()
	return jsonOf[api.TimeSheet](j.t, j.call(operatorA, http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/time-entries", requestID), nil,
		http.StatusOK))
}

// phaseStates returns phase:minutes:state of a time summary.
func phaseStates(s matching.TimeSummary) []string {
	out := []string{}
	for _, p := range s.Phases {
		out = append(out, fmt.Sprintf("%s:%d:%s", p.Phase, p.Minutes, p.State))
	}
	return out
}

// entryByCandidate finds a candidate's row in a request's pipeline.
func entryByCandidate(t *testing.T, list api.PipelineList, candidateID int64) store.PipelineRow {
	t.Helper()
	for _, r := range list.Items {
		if r.CandidateID != nil && *r.CandidateID == candidateID {
			return r
		}
	}
	t.Fatalf("candidate %d is not in the pipeline", candidateID)
	return store.PipelineRow{}
}

// auditDetail decodes the detail of an audit event.
func auditDetail(t *testing.T, ev matching.AuditEvent) map[string]any {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal(ev.Detail, &d); err != nil {
		t.Fatalf("audit event %d: %v: %s", ev.ID, err, ev.Detail)
	}
	return d
}

func TestA4CRequestFromIntakeToHireThroughTheAPI(t *testing.T) {
	j := newJourney(t)
	const (
		get, post, put = http.MethodGet, http.MethodPost, http.MethodPut
	)
	p := fmt.Sprintf
	opA, emp1 := j.users[operatorA].ID, j.users[employer1].ID
	c1, c2, cook, waiter, dev := j.candidate1.ID, j.candidate2.ID, j.cook.ID, j.waiter.ID, j.dev.ID

	// ---- Day 0, 9:00. Employer 1 writes and publishes a vacancy; two
	// smaller ones stay drafts. The operator of provider A opens a request
	// with 4D for the first and a plain 4C request for each of the others.
	j.jump(j.at(0, 9, 0))
	vacancy := jsonOf[api.VacancyView](t, j.call(employer1, post, "/api/v1/vacancies", map[string]any{
		"title": "Cuoco/a di ristorante", "description": "Cucina trentina per il nostro ristorante in centro.",
		"occupation_code": "occ-cuoco", "isco_code": "5120", "municipality_code": "022205", "contract_type": "permanent",
		"requirements": []map[string]any{
			{"rank": 1, "kind": "occupation", "code": "occ-cuoco", "label": "Cuoco"},
			{"rank": 2, "kind": "licence", "code": "B"},
			{"rank": 3, "kind": "language", "code": "de", "level": "B1"},
		}}, http.StatusCreated))
	var reqOccupation, reqLanguage int64
	for _, r := range vacancy.Requirements {
		switch r.Kind {
		case matching.ReqOccupation:
			reqOccupation = r.ID
		case matching.ReqLanguage:
			reqLanguage = r.ID
		}
	}
	if reqOccupation == 0 || reqLanguage == 0 {
		t.Fatalf("requirements = %+v", vacancy.Requirements)
	}
	j.refused(jobseeker1, post, p("/api/v1/vacancies/%d/publish", vacancy.ID), nil, http.StatusForbidden, "")
	j.call(employer1, post, p("/api/v1/vacancies/%d/publish", vacancy.ID), nil, http.StatusOK, `"status":"published"`)
	small := map[string]matching.Vacancy{}
	for _, title := range []string{"Aiuto cuoco/a", "Lavapiatti"} {
		v := jsonOf[api.VacancyView](t, j.call(employer1, post, "/api/v1/vacancies", map[string]any{
			"title": title, "municipality_code": "022205", "contract_type": "seasonal",
			"requirements": []map[string]any{{"rank": 1, "kind": "licence", "code": "B"}}}, http.StatusCreated))
		small[title] = v.Vacancy
	}

	open := map[string]any{"vacancy_id": vacancy.ID, "with_4d": true}
	j.refused(jobseeker1, post, "/api/v1/requests", open, http.StatusForbidden, "")
	j.refused(monitor, post, "/api/v1/requests", open, http.StatusForbidden, "")
	j.refused(operatorB, post, "/api/v1/requests", open, http.StatusUnprocessableEntity, "vacancy_id") // B does not serve employer 1
	r := jsonOf[api.RequestView](t, j.call(operatorA, post, "/api/v1/requests", open, http.StatusCreated, `"status":"intake"`))
	if r.ProviderID != j.providerA.ID || r.EmployerID != j.employer1.ID || r.OperatorID == nil || *r.OperatorID != opA || !r.With4D ||
		!r.OpenedAt.Equal(j.at(0, 9, 0)) || len(r.History) != 1 {
		t.Fatalf("opened request = %+v", r)
	}
	req := p("/api/v1/requests/%d", r.ID)
	under := jsonOf[api.RequestView](t, j.call(operatorA, post, "/api/v1/requests", map[string]any{"vacancy_id": small["Aiuto cuoco/a"].ID},
		http.StatusCreated))
	over := jsonOf[api.RequestView](t, j.call(operatorA, post, "/api/v1/requests", map[string]any{"vacancy_id": small["Lavapiatti"].ID},
		http.StatusCreated))

	// ---- The requirements are ranked; a match in intake is refused, and
	// only the request's provider's operator runs one, which moves the
	// request to searching.
	j.refused(operatorA, post, req+"/matches", map[string]any{}, http.StatusConflict, "status")
	rank := map[string]any{"to": matching.StatusRequirementsRanked}
	j.refused(employer1, post, req+"/transitions", rank, http.StatusForbidden, "")
	j.refused(operatorB, post, req+"/transitions", rank, http.StatusNotFound, "")
	j.refused(monitor, post, req+"/transitions", rank, http.StatusForbidden, "")
	j.move(operatorA, r.ID, matching.StatusRequirementsRanked)

	j.refused(employer1, post, req+"/matches", map[string]any{}, http.StatusForbidden, "")
	j.refused(operatorB, post, req+"/matches", map[string]any{}, http.StatusNotFound, "")
	run := decodeRun(t, j.call(operatorA, post, req+"/matches", map[string]any{}, http.StatusCreated))
	for _, id := range []int64{cook, waiter, dev} {
		if _, ok := resultFor(run, id); !ok {
			t.Fatalf("candidate %d is not among the results of the run: %+v", id, run.Results)
		}
	}
	if got := j.request(operatorA, r.ID); got.Status != matching.StatusSearching || got.Facts.MatchRuns != 1 {
		t.Fatalf("after the match: %s, %d runs", got.Status, got.Facts.MatchRuns)
	}

	// ---- Three candidates from the run enter the pipeline with their
	// score; jobseeker 1, not among the results, is referred.
	entry := map[int64]int64{} // candidate → pipeline entry
	fromRun := func(id int64) map[string]any {
		return map[string]any{"candidate_id": id, "source": matching.SourceSearch, "match_run_id": run.ID}
	}
	j.refused(jobseeker1, post, req+"/pipeline", fromRun(cook), http.StatusForbidden, "")
	j.refused(operatorB, post, req+"/pipeline", fromRun(cook), http.StatusNotFound, "")
	j.refused(employer1, post, req+"/pipeline", fromRun(cook), http.StatusForbidden, "")
	for _, id := range []int64{cook, waiter, dev} {
		row := jsonOf[store.PipelineRow](t, j.call(operatorA, post, req+"/pipeline", fromRun(id), http.StatusCreated))
		res, _ := resultFor(run, id)
		if row.Source != matching.SourceSearch || row.MatchRunID == nil || *row.MatchRunID != run.ID || row.Score == nil ||
			*row.Score != res.Score || row.Stage != matching.StageFound {
			t.Fatalf("entry from the run = %+v", row)
		}
		entry[id] = row.ID
	}
	j.refused(operatorA, post, req+"/pipeline", fromRun(c1), http.StatusUnprocessableEntity, "match_run_id")
	row := jsonOf[store.PipelineRow](t, j.call(operatorA, post, req+"/pipeline",
		map[string]any{"candidate_id": c1, "source": matching.SourceReferral, "note": "Segnalata dallo sportello."}, http.StatusCreated))
	entry[c1] = row.ID
	contacting := map[string]any{"to": matching.StatusContacting}
	j.refused(employer1, post, req+"/transitions", contacting, http.StatusForbidden, "")
	j.move(operatorA, r.ID, matching.StatusContacting)

	// ---- Contacts: the cook confirms by phone, the waiter does not answer;
	// jobseeker 1 is asked in the portal.
	pipe := func(id int64, what string) string { return p("/api/v1/pipeline/%d/%s", entry[id], what) }
	available := map[string]any{"channel": "phone", "outcome": "available", "note": "Disponibile da subito."}
	j.refused(employer1, post, pipe(cook, "contacts"), available, http.StatusForbidden, "")
	j.refused(operatorB, post, pipe(cook, "contacts"), available, http.StatusNotFound, "")
	j.refused(jobseeker1, post, pipe(cook, "contacts"), available, http.StatusForbidden, "")
	ca := jsonOf[api.ContactAnswer](t, j.call(operatorA, post, pipe(cook, "contacts"), available, http.StatusCreated))
	if ca.Entry.Stage != matching.StageAvailable || ca.Entry.AvailabilityConfirmedAt == nil ||
		!ca.Entry.AvailabilityConfirmedAt.Equal(j.at(0, 9, 0)) {
		t.Fatalf("after the cook's confirmation: %+v", ca.Entry)
	}
	ca = jsonOf[api.ContactAnswer](t, j.call(operatorA, post, pipe(waiter, "contacts"),
		map[string]any{"channel": "phone", "outcome": "no_answer"}, http.StatusCreated))
	if ca.Entry.Stage != matching.StageUnreachable {
		t.Fatalf("after no answer: %+v", ca.Entry)
	}
	ask := map[string]any{"message": "Le interessa un posto da cuoca a Trento?"}
	j.refused(monitor, post, pipe(c1, "availability-requests"), ask, http.StatusForbidden, "")
	j.refused(jobseeker1, post, pipe(c1, "availability-requests"), ask, http.StatusForbidden, "")
	question := jsonOf[matching.AvailabilityRequest](t, j.call(operatorA, post, pipe(c1, "availability-requests"), ask, http.StatusCreated))
	mine := jsonOf[struct {
		Items []store.AvailabilityQuestion `json:"items"`
	}](t, j.call(jobseeker1, get, "/api/v1/me/availability-requests", nil, http.StatusOK))
	if len(mine.Items) == 0 || mine.Items[0].ID != question.ID || !mine.Items[0].Open || mine.Items[0].RequestID != r.ID {
		t.Fatalf("jobseeker 1's questions = %+v", mine.Items)
	}
	answer := p("/api/v1/availability-requests/%d/answer", question.ID)
	j.refused(jobseeker2, post, answer, map[string]any{"answer": "interested"}, http.StatusNotFound, "")
	j.refused(operatorA, post, answer, map[string]any{"answer": "interested"}, http.StatusForbidden, "")

	// Time of day 0, by hand and once with the timer; the small requests
	// get theirs: 2 h on one (under the standard), 9 h on the other (over).
	j.jump(j.at(0, 12, 0))
	entryBody := map[string]any{"activity": "intake_interview", "minutes": 60, "started_at": j.at(0, 8, 0)}
	j.refused(employer1, post, req+"/time-entries", entryBody, http.StatusForbidden, "")
	j.refused(operatorB, post, req+"/time-entries", entryBody, http.StatusNotFound, "")
	j.refused(monitor, post, req+"/time-entries", entryBody, http.StatusForbidden, "")
	j.logTime(operatorA, r.ID, "intake_interview", 60)
	j.logTime(operatorA, r.ID, "database_search", 60)
	j.refused(employer1, post, req+"/timer", map[string]any{"activity": "candidate_contact"}, http.StatusForbidden, "")
	j.refused(operatorB, post, req+"/timer", map[string]any{"activity": "candidate_contact"}, http.StatusNotFound, "")
	j.call(operatorA, post, req+"/timer", map[string]any{"activity": "candidate_contact", "note": "Richiami"}, http.StatusCreated)
	j.jump(j.at(0, 12, 30))
	running := jsonOf[api.RunningTimer](t, j.call(operatorA, get, "/api/v1/me/timer", nil, http.StatusOK))
	if running.RequestID != r.ID || running.ElapsedMinutes != 30 || running.Phase != matching.Phase4C {
		t.Fatalf("running timer = %+v", running)
	}
	j.refused(operatorB, post, "/api/v1/me/timer/stop", nil, http.StatusNotFound, "") // B has no timer running
	stopped := jsonOf[matching.TimeEntry](t, j.call(operatorA, post, "/api/v1/me/timer/stop", nil, http.StatusCreated))
	if stopped.Minutes != 30 || stopped.Activity != "candidate_contact" || stopped.RequestID != r.ID {
		t.Fatalf("the timer saved %+v", stopped)
	}
	j.call(operatorA, get, "/api/v1/me/timer", nil, http.StatusOK, "null")
	j.logTime(operatorA, under.ID, "intake_interview", 60)
	j.logTime(operatorA, under.ID, "database_search", 60)
	j.logTime(operatorA, over.ID, "intake_interview", 180)
	j.logTime(operatorA, over.ID, "database_search", 360)
	if s := j.timeSheet(over.ID).Summary; !slices.Equal(s.Over, []matching.Phase{matching.Phase4C}) ||
		!slices.Equal(phaseStates(s), []string{"4C:540:over"}) {
		t.Fatalf("9 h are not flagged over the standard: %+v", s)
	}
	if s := j.timeSheet(under.ID).Summary; !slices.Equal(phaseStates(s), []string{"4C:120:under"}) || len(s.Over) != 0 {
		t.Fatalf("2 h: %+v", s)
	}

	// ---- Day 15, 9:00: the cook's confirmation is 15 days old, past the
	// 14 days it holds. Jobseeker 1 answers the question: interested.
	j.jump(j.at(15, 9, 0))
	q := jsonOf[matching.AvailabilityRequest](t, j.call(jobseeker1, post, answer, map[string]any{"answer": "interested"}, http.StatusOK))
	if q.Answer != "interested" || q.AnsweredAt == nil {
		t.Fatalf("answer = %+v", q)
	}
	j.refused(jobseeker1, post, answer, map[string]any{"answer": "not_interested"}, http.StatusConflict, "answer")
	list := jsonOf[api.PipelineList](t, j.call(operatorA, get, req+"/pipeline", nil, http.StatusOK))
	if e := entryByCandidate(t, list, c1); e.Stage != matching.StageAvailable || e.AvailabilityState != "fresh" || !e.AvailabilityFresh {
		t.Fatalf("jobseeker 1 after answering: %+v", e)
	}
	if e := entryByCandidate(t, list, cook); e.Stage != matching.StageAvailable || e.AvailabilityState != "expired" || e.AvailabilityFresh {
		t.Fatalf("the cook 15 days later: %+v", e)
	}

	// ---- Day 15, 9:30: jobseeker 2 applies to the published vacancy and
	// enters the pipeline as a self-application, which the operator
	// verifies.
	j.jump(j.at(15, 9, 30))
	apply := p("/api/v1/vacancies/%d/applications", vacancy.ID)
	j.refused(operatorA, post, apply, map[string]any{"message": "x"}, http.StatusForbidden, "")
	j.refused(employer1, post, apply, map[string]any{"message": "x"}, http.StatusForbidden, "")
	app := jsonOf[matching.Application](t, j.call(jobseeker2, post, apply, map[string]any{"message": "Ho lavorato in cucina."}, http.StatusCreated))
	apps := jsonOf[struct {
		Items []store.ApplicationRow `json:"items"`
	}](t, j.call(operatorA, get, req+"/applications", nil, http.StatusOK))
	if len(apps.Items) != 1 || apps.Items[0].ID != app.ID || apps.Items[0].EntryID == nil || apps.Items[0].RequestID == nil ||
		*apps.Items[0].RequestID != r.ID {
		t.Fatalf("applications = %+v", apps.Items)
	}
	entry[c2] = *apps.Items[0].EntryID
	list = jsonOf[api.PipelineList](t, j.call(operatorA, get, req+"/pipeline", nil, http.StatusOK))
	if e := entryByCandidate(t, list, c2); e.Source != matching.SourceSelfApplication || e.Stage != matching.StageFound {
		t.Fatalf("the self-application in the pipeline: %+v", e)
	}
	verify := p("/api/v1/applications/%d/verify", app.ID)
	j.refused(jobseeker2, post, verify, map[string]any{"result": "verified"}, http.StatusForbidden, "")
	j.refused(operatorB, post, verify, map[string]any{"result": "verified"}, http.StatusNotFound, "")
	j.refused(employer1, post, verify, map[string]any{"result": "verified"}, http.StatusForbidden, "")
	j.call(operatorA, post, verify, map[string]any{"result": "verified", "note": "Esperienza in cucina confermata."}, http.StatusOK,
		`"status":"verified"`)
	j.logTime(operatorA, r.ID, "self_application_review", 30)

	// ---- Day 15, 11:00: shortlist version 1 with jobseeker 1 and the
	// cook, whose confirmation expired: presenting is refused, naming the
	// cook's place, until the operator writes an override note.
	j.jump(j.at(15, 11, 0))
	items := []map[string]any{
		{"entry_id": entry[c1], "mode": "named", "note": "Motivata, disponibile da subito."},
		{"entry_id": entry[cook], "mode": "named", "note": "Dieci anni di cucina."},
	}
	draft := map[string]any{"note": "Prima rosa", "items": items}
	j.refused(employer1, post, req+"/shortlists", draft, http.StatusForbidden, "")
	j.refused(operatorB, post, req+"/shortlists", draft, http.StatusNotFound, "")
	v1 := jsonOf[matching.Shortlist](t, j.call(operatorA, post, req+"/shortlists", draft, http.StatusCreated))
	present1 := p("/api/v1/shortlists/%d/present", v1.ID)
	j.refused(jobseeker1, post, present1, nil, http.StatusForbidden, "")
	j.refused(employer1, post, present1, nil, http.StatusForbidden, "")
	j.refused(operatorB, post, present1, nil, http.StatusNotFound, "")
	if e := j.refused(operatorA, post, present1, nil, http.StatusConflict, "items[1].override_note"); !mentionsAll(e.Message, "position 2", "15 days ago") {
		t.Errorf("the refusal does not say whose confirmation expired: %+v", e)
	}
	items[1]["override_note"] = "Confermata a voce il giorno 15, in attesa di un nuovo contatto registrato."
	j.refused(employer1, put, p("/api/v1/shortlists/%d", v1.ID), draft, http.StatusForbidden, "")
	j.call(operatorA, put, p("/api/v1/shortlists/%d", v1.ID), draft, http.StatusOK)
	presented := jsonOf[matching.Shortlist](t, j.call(operatorA, post, present1, nil, http.StatusOK))
	if presented.Status != matching.ShortlistPresented || presented.Version != 1 || presented.PresentedAt == nil ||
		!presented.PresentedAt.Equal(j.at(15, 11, 0)) {
		t.Fatalf("version 1 = %+v", presented)
	}
	if got := j.request(operatorA, r.ID); got.Status != matching.StatusShortlistPresented {
		t.Fatalf("after presenting: %s", got.Status)
	}
	j.logTime(operatorA, r.ID, "shortlist_presentation", 60)

	// The employer reads it: both named, every candidate a CV read in the
	// audit log, which jobseeker 1 sees. Employer 2 does not see it.
	j.refused(employer2, get, req+"/shortlist", nil, http.StatusNotFound, "")
	j.refused(employer2, get, p("/api/v1/shortlists/%d", v1.ID), nil, http.StatusNotFound, "")
	j.refused(jobseeker1, get, req+"/shortlist", nil, http.StatusForbidden, "")
	view := jsonOf[api.ShortlistView](t, j.call(employer1, get, req+"/shortlist", nil, http.StatusOK))
	if view.Version != 1 || len(view.Candidates) != 2 || view.Candidates[0].Shown != matching.ShownNamed ||
		view.Candidates[0].GivenName != j.candidate1.GivenName || view.Candidates[1].GivenName != j.cook.GivenName ||
		view.Candidates[0].CandidateID != nil || view.Candidates[0].Explanation == nil {
		t.Fatalf("the employer's shortlist = %+v", view)
	}
	reads := map[int64]int{}
	for _, ev := range j.requestAudit(r.ID, "cv_read") {
		if ev.UserID != nil && *ev.UserID == emp1 && ev.CandidateID != nil {
			reads[*ev.CandidateID]++
			if d := auditDetail(t, ev); d["purpose"] != "shortlist" {
				t.Errorf("cv read for %v", d)
			}
		}
	}
	if !reflect.DeepEqual(reads, map[int64]int{c1: 1, cook: 1}) {
		t.Fatalf("the employer's CV reads in the audit log: %v", reads)
	}
	views := jsonOf[api.CVReadList](t, j.call(jobseeker1, get, p("/api/v1/candidates/%d/views", c1), nil, http.StatusOK))
	if views.Total == 0 || views.Items[0].Role != matching.RoleEmployer || views.Items[0].Organisation != j.employer1.Name ||
		views.Items[0].Purpose != "shortlist" || views.Items[0].RequestID == nil || *views.Items[0].RequestID != r.ID ||
		!views.Items[0].At.Equal(j.at(15, 11, 0)) {
		t.Fatalf("jobseeker 1's CV views = %+v", views.Items)
	}
	j.refused(jobseeker2, get, p("/api/v1/candidates/%d/views", c1), nil, http.StatusNotFound, "")

	// ---- Day 16, 10:00: the employer does not select the cook (German).
	j.jump(j.at(16, 10, 0))
	notSelected := map[string]any{"decision": "not_selected", "reason": "language", "requirement_id": reqLanguage,
		"comment": "Serve il tedesco in sala."}
	j.refused(jobseeker1, post, pipe(cook, "feedback"), notSelected, http.StatusForbidden, "")
	j.refused(employer2, post, pipe(cook, "feedback"), notSelected, http.StatusNotFound, "")
	j.refused(monitor, post, pipe(cook, "feedback"), notSelected, http.StatusForbidden, "")
	fb := jsonOf[api.FeedbackView](t, j.call(employer1, post, pipe(cook, "feedback"), notSelected, http.StatusCreated))
	if fb.Stage != matching.StageRejected || fb.ShortlistID == nil || *fb.ShortlistID != v1.ID {
		t.Fatalf("feedback = %+v", fb)
	}
	j.logTime(operatorA, r.ID, "feedback_collection", 30)

	// ---- Day 16, 11:00: jobseeker 2 confirms by phone; version 2 with
	// jobseeker 1 and, blind, jobseeker 2 supersedes version 1, which stays
	// readable.
	j.jump(j.at(16, 11, 0))
	j.call(operatorA, post, pipe(c2, "contacts"), map[string]any{"channel": "phone", "outcome": "available"}, http.StatusCreated,
		`"stage":"available"`)
	j.logTime(operatorA, r.ID, "candidate_contact", 30)
	j.jump(j.at(16, 12, 0))
	draft2 := map[string]any{"note": "Seconda rosa", "items": []map[string]any{
		{"entry_id": entry[c1], "mode": "named", "note": "Confermata."},
		{"entry_id": entry[c2], "mode": "blind", "note": "Candidatura spontanea verificata."},
	}}
	v2 := jsonOf[matching.Shortlist](t, j.call(operatorA, post, req+"/shortlists", draft2, http.StatusCreated))
	j.refused(jobseeker2, post, p("/api/v1/shortlists/%d/present", v2.ID), nil, http.StatusForbidden, "")
	presented = jsonOf[matching.Shortlist](t, j.call(operatorA, post, p("/api/v1/shortlists/%d/present", v2.ID), nil, http.StatusOK))
	if presented.Version != 2 || presented.Status != matching.ShortlistPresented {
		t.Fatalf("version 2 = %+v", presented)
	}
	old := jsonOf[api.ShortlistView](t, j.call(employer1, get, p("/api/v1/shortlists/%d", v1.ID), nil, http.StatusOK))
	if old.Status != matching.ShortlistSuperseded || old.Version != 1 || len(old.Candidates) != 2 ||
		old.Candidates[1].EntryID != entry[cook] || old.Candidates[1].Stage != matching.StageRejected {
		t.Fatalf("version 1 after version 2 = %+v", old)
	}
	versions := jsonOf[struct {
		Shortlists []api.ShortlistSummary `json:"shortlists"`
	}](t, j.call(employer1, get, req+"/shortlists", nil, http.StatusOK))
	if len(versions.Shortlists) != 2 || versions.Shortlists[0].Status != matching.ShortlistSuperseded ||
		versions.Shortlists[1].Status != matching.ShortlistPresented {
		t.Fatalf("the employer's versions = %+v", versions.Shortlists)
	}
	view = jsonOf[api.ShortlistView](t, j.call(employer1, get, req+"/shortlist", nil, http.StatusOK))
	if view.Version != 2 || len(view.Candidates) != 2 || view.Candidates[1].Shown != matching.ShownBlind ||
		view.Candidates[1].GivenName != "" || view.Candidates[1].Email != "" {
		t.Fatalf("the employer's version 2 = %+v", view)
	}
	j.refused(employer2, get, p("/api/v1/shortlists/%d", v2.ID), nil, http.StatusNotFound, "")

	// ---- Days 17–18: the employer plans an interview with jobseeker 1
	// and holds it.
	j.jump(j.at(17, 9, 0))
	planned := map[string]any{"decision": "interview_planned", "interview_at": j.at(18, 10, 0).Format(time.RFC3339)}
	j.refused(employer2, post, pipe(c1, "feedback"), planned, http.StatusNotFound, "")
	fb = jsonOf[api.FeedbackView](t, j.call(employer1, post, pipe(c1, "feedback"), planned, http.StatusCreated))
	if fb.Stage != matching.StagePresented || fb.InterviewAt == nil || !fb.InterviewAt.Equal(j.at(18, 10, 0)) {
		t.Fatalf("interview planned = %+v", fb)
	}
	j.jump(j.at(18, 12, 0))
	j.call(employer1, post, pipe(c1, "feedback"), map[string]any{"decision": "interview_held"}, http.StatusCreated, `"stage":"interviewed"`)

	// ---- Day 19: 4D. Competence verification of jobseeker 1.
	j.jump(j.at(19, 9, 0))
	j.move(operatorA, r.ID, matching.StatusAwaitingFeedback)
	verification := map[string]any{"to": matching.StatusCompetenceVerification}
	j.refused(employer1, post, req+"/transitions", verification, http.StatusForbidden, "")
	j.refused(operatorB, post, req+"/transitions", verification, http.StatusNotFound, "")
	j.move(operatorA, r.ID, matching.StatusCompetenceVerification)
	check := map[string]any{"requirement_id": reqOccupation, "competence": "Cucina trentina", "method": "practical_test",
		"result": "confirmed", "note": "Prova pratica: canederli e strangolapreti."}
	j.refused(employer1, post, pipe(c1, "competence-checks"), check, http.StatusForbidden, "")
	j.refused(operatorB, post, pipe(c1, "competence-checks"), check, http.StatusNotFound, "")
	j.refused(jobseeker1, post, pipe(c1, "competence-checks"), check, http.StatusForbidden, "")
	j.call(operatorA, post, pipe(c1, "competence-checks"), check, http.StatusCreated, `"result":"confirmed"`)
	checks := jsonOf[struct {
		Checks []api.CompetenceCheckView `json:"checks"`
	}](t, j.call(employer1, get, req+"/competence-checks", nil, http.StatusOK))
	if len(checks.Checks) != 1 || checks.Checks[0].EntryID != entry[c1] {
		t.Fatalf("the employer reads the checks: %+v", checks.Checks)
	}
	j.logTime(operatorA, r.ID, "competence_verification", 180)

	// ---- Day 20: selection; a session proposes jobseeker 1, whom the
	// employer hires.
	j.jump(j.at(20, 9, 0))
	j.move(operatorA, r.ID, matching.StatusSelection)
	session := map[string]any{"held_at": j.at(20, 8, 0).Format(time.RFC3339), "participants": "Titolare, operatore",
		"note": "Confronto finale sulle due candidature.", "proposed_entry_id": entry[c1]}
	j.refused(employer1, post, req+"/selection-sessions", session, http.StatusForbidden, "")
	j.refused(operatorB, post, req+"/selection-sessions", session, http.StatusNotFound, "")
	ss := jsonOf[api.SelectionSessionView](t, j.call(operatorA, post, req+"/selection-sessions", session, http.StatusCreated))
	if ss.ProposedEntryID == nil || *ss.ProposedEntryID != entry[c1] || ss.ProposedPseudonym == "" {
		t.Fatalf("selection session = %+v", ss)
	}
	j.logTime(operatorA, r.ID, "selection_support", 150)
	j.jump(j.at(20, 15, 0))
	hired := map[string]any{"decision": "hired", "start_date": j.at(35, 12, 0).Format(time.DateOnly), "contract_type": "permanent"}
	j.refused(employer2, post, pipe(c1, "feedback"), hired, http.StatusNotFound, "")
	j.refused(jobseeker1, post, pipe(c1, "feedback"), hired, http.StatusForbidden, "")
	fb = jsonOf[api.FeedbackView](t, j.call(employer1, post, pipe(c1, "feedback"), hired, http.StatusCreated))
	if fb.Stage != matching.StageHired || fb.StartDate == nil || fb.ContractType != "permanent" {
		t.Fatalf("hired = %+v", fb)
	}
	j.logTime(operatorA, r.ID, "outcome_recording", 30)

	// ---- The request's time is within the standard in every phase, and
	// the operator closes it as filled; the employer may not.
	sheet := j.timeSheet(r.ID)
	if !slices.Equal(phaseStates(sheet.Summary), []string{"4C:330:within", "4D_verification:180:within", "4D_selection:150:within"}) ||
		len(sheet.Summary.Over) != 0 || sheet.Summary.TotalMinutes != 660 || len(sheet.Entries) != 10 {
		t.Fatalf("the request's time: %+v", sheet.Summary)
	}
	filled := map[string]any{"to": matching.StatusClosed, "outcome": matching.OutcomeFilled, "close_reason": matching.CloseHired}
	j.refused(employer1, post, req+"/transitions", filled, http.StatusForbidden, "")
	j.refused(monitor, post, req+"/transitions", filled, http.StatusForbidden, "")
	j.refused(operatorB, post, req+"/transitions", filled, http.StatusNotFound, "")
	closed := jsonOf[api.RequestView](t, j.call(operatorA, post, req+"/transitions", filled, http.StatusOK))
	if closed.Status != matching.StatusClosed || closed.Outcome == nil || *closed.Outcome != matching.OutcomeFilled ||
		closed.ClosedAt == nil || !closed.ClosedAt.Equal(j.at(20, 15, 0)) {
		t.Fatalf("closed = %+v", closed.Request)
	}

	// ---- The small requests close: under the standard only with a
	// justification; the one over the standard is withdrawn by the employer.
	j.jump(j.at(20, 16, 0))
	notFilled := map[string]any{"to": matching.StatusClosed, "outcome": matching.OutcomeNotFilled,
		"close_reason": matching.CloseNoSuitableCandidate}
	if e := j.refused(operatorA, post, p("/api/v1/requests/%d/transitions", under.ID), notFilled, http.StatusUnprocessableEntity, "note"); !mentionsAll(e.Message, "below the standard") {
		t.Errorf("the refusal does not say why: %+v", e)
	}
	notFilled["note"] = "Nessun profilo disponibile in zona: ricerca chiusa in anticipo d'accordo con l'azienda."
	j.call(operatorA, post, p("/api/v1/requests/%d/transitions", under.ID), notFilled, http.StatusOK, `"status":"closed"`)
	j.refused(employer1, post, p("/api/v1/requests/%d/transitions", over.ID),
		map[string]any{"to": matching.StatusClosed, "outcome": matching.OutcomeFilled, "close_reason": matching.CloseHired},
		http.StatusForbidden, "")
	j.refused(employer2, post, p("/api/v1/requests/%d/transitions", over.ID),
		map[string]any{"to": matching.StatusClosed, "outcome": matching.OutcomeWithdrawn, "close_reason": matching.CloseEmployerWithdrew},
		http.StatusNotFound, "")
	j.call(employer1, post, p("/api/v1/requests/%d/transitions", over.ID),
		map[string]any{"to": matching.StatusClosed, "outcome": matching.OutcomeWithdrawn, "close_reason": matching.CloseEmployerWithdrew},
		http.StatusOK, `"status":"closed"`)

	// ---- The status histories list every transition with who made it.
	type step struct {
		to matching.RequestStatus
		by int64
	}
	stepsOf := func(id int64) []step {
		h := jsonOf[struct {
			History []matching.StatusChange `json:"history"`
		}](t, j.call(employer1, get, p("/api/v1/requests/%d/history", id), nil, http.StatusOK))
		out := []step{}
		for _, c := range h.History {
			s := step{to: c.To}
			if c.By != nil {
				s.by = *c.By
			}
			out = append(out, s)
		}
		return out
	}
	wantSteps := []step{{matching.StatusIntake, opA}, {matching.StatusRequirementsRanked, opA}, {matching.StatusSearching, opA},
		{matching.StatusContacting, opA}, {matching.StatusShortlistPresented, opA}, {matching.StatusShortlistPresented, opA},
		{matching.StatusAwaitingFeedback, opA}, {matching.StatusCompetenceVerification, opA}, {matching.StatusSelection, opA},
		{matching.StatusClosed, opA}}
	if got := stepsOf(r.ID); !slices.Equal(got, wantSteps) {
		t.Errorf("history of the request = %+v, want %+v", got, wantSteps)
	}
	if got := stepsOf(under.ID); !slices.Equal(got, []step{{matching.StatusIntake, opA}, {matching.StatusClosed, opA}}) {
		t.Errorf("history of the request under the standard = %+v", got)
	}
	if got := stepsOf(over.ID); !slices.Equal(got, []step{{matching.StatusIntake, opA}, {matching.StatusClosed, emp1}}) {
		t.Errorf("history of the request over the standard = %+v", got)
	}

	// ---- The audit log has every state change, by whom.
	var moves []string
	for _, ev := range j.requestAudit(r.ID, "request_status") {
		d := auditDetail(t, ev)
		if ev.UserID == nil || *ev.UserID != opA {
			t.Errorf("state change by %v: %v", ev.UserID, d)
		}
		moves = append(moves, fmt.Sprint(d["from"], "→", d["to"]))
	}
	wantMoves := []string{"intake→requirements_ranked", "requirements_ranked→searching", "searching→contacting",
		"contacting→shortlist_presented", "shortlist_presented→shortlist_presented", "shortlist_presented→awaiting_feedback",
		"awaiting_feedback→competence_verification", "competence_verification→selection", "selection→closed"}
	if !slices.Equal(moves, wantMoves) {
		t.Errorf("audited state changes = %v, want %v", moves, wantMoves)
	}
	counts := map[string]int{}
	for _, action := range []string{"request_opened", "pipeline_entry_added", "contact_logged", "availability_requested",
		"availability_answered", "application_submitted", "application_verified", "shortlist_draft", "shortlist_draft_updated",
		"shortlist_presented", "candidate_presented", "feedback", "competence_check", "selection_session", "time_entry_added",
		"timer_started"} {
		counts[action] = len(j.requestAudit(r.ID, action))
	}
	wantCounts := map[string]int{"request_opened": 1, "pipeline_entry_added": 5,
		"contact_logged":         5, // two phone calls, the question and its answer in the portal, one more call
		"availability_requested": 1, "availability_answered": 1, "application_submitted": 1, "application_verified": 1,
		"shortlist_draft": 2, "shortlist_draft_updated": 1, "shortlist_presented": 2, "candidate_presented": 4,
		"feedback": 4, "competence_check": 1, "selection_session": 1,
		"time_entry_added": 10, // 9 by hand and the timer's
		"timer_started":    1}
	if !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("audit events of the request = %v, want %v", counts, wantCounts)
	}
	reads = map[int64]int{}
	for _, ev := range j.requestAudit(r.ID, "cv_read") {
		if ev.UserID != nil && *ev.UserID == emp1 && ev.CandidateID != nil {
			reads[*ev.CandidateID]++
		}
	}
	// Version 1 read once as the current shortlist and once superseded,
	// version 2 once.
	if !reflect.DeepEqual(reads, map[int64]int{c1: 3, cook: 2, c2: 1}) {
		t.Errorf("the employer's CV reads = %v", reads)
	}

	// ---- The monitoring report of the period: from the walk's first day
	// to today, in Trento. The world's own records date from before the
	// period and stay open: they count in no figure.
	j.jump(j.at(20, 17, 0))
	q2 := url.Values{"from": {j.start.Format(time.DateOnly)}, "to": {j.clock.Now().In(journeyZone).Format(time.DateOnly)}}
	report := "/api/v1/reports/monitoring?" + q2.Encode()
	for _, who := range []string{employer1, jobseeker1, admin} {
		j.refused(who, get, report, nil, http.StatusForbidden, "")
	}
	j.refused(operatorB, get, report+p("&provider_id=%d", j.providerA.ID), nil, http.StatusForbidden, "")
	j.refused(monitor, post, "/api/v1/requests", map[string]any{"vacancy_id": small["Lavapiatti"].ID}, http.StatusForbidden, "")
	rep := jsonOf[api.MonitoringAnswer](t, j.call(monitor, get, report+"&format=json", nil, http.StatusOK))

	// Worked out by hand from the walk:
	//   requests: 3 opened on day 0; closed: the walked one filled (hired),
	//     the 2 h one not filled (no suitable candidates), the 9 h one
	//     withdrawn by the employer.
	//   first shortlist: only the walked one, opened day 0 9:00, first
	//     presented day 15 11:00: 15 days and 2 hours = 15.08 days.
	//   hours (3 requests, none cancelled): the walked one 4C 330 min
	//     (within), 4D verification 180 (within), selection 150 (within):
	//     11 h in all, the only one all within (1/3 = 0.3333); 2 h (under);
	//     9 h (over). Median of 2, 9, 11 h: 9. 4C: 2, 5.5, 9 h → median 5.5.
	//   contacts: cook (phone), waiter (phone), jobseeker 1 (question and
	//     answer in the portal), jobseeker 2 (phone) = 5, all on 1 request.
	//   funnel of the 5 entries: found 5; contacted: cook, waiter,
	//     jobseeker 1 and 2 = 4; available: cook, jobseeker 1 and 2 = 3;
	//     presented 3; interviewed: jobseeker 1; hired: jobseeker 1.
	//   availability: 3 of 4 = 0.75.
	//   rejections: the cook, by the employer, for language.
	//   self-applications: 1 of the 5 entries = 0.2.
	//   overdue feedback: every request is closed.
	f := func(x float64) *float64 { return &x }
	closedBy := map[string]int{"filled:hired": 1, "not_filled:no_suitable_candidates": 1, "withdrawn:employer_withdrew": 1}
	wantFig := matching.MonitoringFigures{
		Requests:       matching.RequestCounts{Opened: 3, Closed: 3},
		FirstShortlist: matching.FirstShortlistFigures{Requests: 1, MedianDays: f(15.08)},
		Hours: matching.HoursFigures{Requests: 3, AllWithin: 1, AllWithinShare: f(0.3333), MedianTotalHours: f(9),
			Phases: []matching.PhaseHours{
				{Phase: matching.Phase4C, Requests: 3, Under: 1, Within: 1, Over: 1, WithinShare: f(0.3333), MedianHours: f(5.5)},
				{Phase: matching.Phase4DVerification, Requests: 1, Within: 1, WithinShare: f(1), MedianHours: f(3)},
				{Phase: matching.Phase4DSelection, Requests: 1, Within: 1, WithinShare: f(1), MedianHours: f(2.5)},
			}},
		Contacts:     matching.ContactFigures{Contacts: 5, Requests: 1, PerRequest: f(5)},
		Availability: matching.AvailabilityFigures{Contacted: 4, Available: 3, Rate: f(0.75)},
		Funnel: []matching.FunnelStep{{Stage: matching.StageFound, Entries: 5}, {Stage: matching.StageContacted, Entries: 4},
			{Stage: matching.StageAvailable, Entries: 3}, {Stage: matching.StagePresented, Entries: 3},
			{Stage: matching.StageInterviewed, Entries: 1}, {Stage: matching.StageHired, Entries: 1}},
		Rejections:       matching.RejectionFigures{Entries: 1, ByEmployer: 1, ByService: 0},
		SelfApplications: matching.SelfApplicationFigures{Entries: 5, SelfApplications: 1, Share: f(0.2)},
		OverdueFeedback:  matching.OverdueFeedback{RequestIDs: []int64{}},
	}
	for _, o := range matching.Outcomes() {
		n := 0
		for _, reason := range matching.CloseReasons(o) {
			k := string(o) + ":" + string(reason)
			wantFig.ClosedByReason = append(wantFig.ClosedByReason, matching.CloseReasonCount{Outcome: o, Reason: reason, Requests: closedBy[k]})
			n += closedBy[k]
		}
		wantFig.ClosedByOutcome = append(wantFig.ClosedByOutcome, matching.OutcomeCount{Outcome: o, Requests: n})
	}
	for _, reason := range matching.RejectionReasons() {
		c := matching.RejectionReasonCount{Reason: reason.Code}
		if reason.Code == "language" {
			c.Entries, c.ByEmployer = 1, 1
		}
		wantFig.Rejections.Reasons = append(wantFig.Rejections.Reasons, c)
	}
	sameFigures := func(label string, got matching.MonitoringFigures) {
		t.Helper()
		if !reflect.DeepEqual(got, wantFig) {
			g, _ := json.MarshalIndent(got, "", " ")
			w, _ := json.MarshalIndent(wantFig, "", " ")
			t.Errorf("%s: the figures are\n%s\nwant\n%s", label, g, w)
		}
	}
	if rep.Period.From != q2.Get("from") || rep.Scope.ProviderID != nil || len(rep.Definitions) == 0 {
		t.Errorf("report period %+v, scope %+v", rep.Period, rep.Scope)
	}
	sameFigures("total", rep.Total.Figures)
	var providerB *matching.MonitoringGroup
	for i, g := range rep.Providers {
		switch g.ProviderID {
		case j.providerA.ID:
			sameFigures("provider A", g.Figures)
		case j.providerB.ID:
			providerB = &rep.Providers[i]
		}
	}
	if providerB == nil || providerB.Figures.Requests != (matching.RequestCounts{}) || providerB.Figures.Contacts.Contacts != 0 ||
		providerB.Figures.Hours.Requests != 0 || providerB.Figures.Funnel[0].Entries != 0 {
		t.Errorf("provider B did nothing in the period: %+v", providerB)
	}
	var operatorRow bool
	for _, g := range rep.Operators {
		if g.OperatorID == opA {
			operatorRow = true
			sameFigures("operator A", g.Figures)
		}
	}
	if !operatorRow {
		t.Errorf("no row for operator A: %+v", rep.Operators)
	}
	// The operator reads the same figures for its own provider.
	own := jsonOf[api.MonitoringAnswer](t, j.call(operatorA, get, report, nil, http.StatusOK))
	if own.Scope.ProviderID == nil || *own.Scope.ProviderID != j.providerA.ID {
		t.Errorf("operator A's report scope = %+v", own.Scope)
	}
	sameFigures("operator A's own report", own.Total.Figures)
}

// mentionsAll reports whether s contains every part.
func mentionsAll(s string, parts ...string) bool {
	for _, part := range parts {
		if !strings.Contains(s, part) {
			return false
		}
	}
	return true
}
