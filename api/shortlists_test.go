package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"incontro/api"
	"incontro/matching"
	"incontro/store"
)

// slCandidate creates a jobseeker who chose how to be presented, with a CV
// worth reading and protected attributes that must never show.
func (w *world) slCandidate(given, family string, p matching.Presentation) matching.Candidate {
	w.t.Helper()
	ctx := w.t.Context()
	c := matching.Candidate{GivenName: given, FamilyName: family, Email: strings.ToLower(given+"."+family) + "@example.org",
		Phone: "333 " + fmt.Sprint(len(given)*1111111), HomeMunicipality: "022205", MobilityKm: 15, Searchable: true, Presentation: p,
		Headline: "Autista patente C", Licences: []string{"B", "C"},
		Experiences: []matching.Experience{{Title: "Autista", EmployerName: "Trasporti Tre", StartDate: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)}},
		Languages:   []matching.LanguageLevel{{Language: "it", Level: "native"}}}
	if err := w.db.CreateCandidate(ctx, &c); err != nil {
		w.t.Fatalf("candidate %s: %v", given, err)
	}
	birth := time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)
	if err := w.db.SetProtected(ctx, &matching.Protected{CandidateID: c.ID, BirthDate: &birth, Sex: "M", Citizenship: "MA", Disability: true}); err != nil {
		w.t.Fatal(err)
	}
	return c
}

// slEntry adds the candidate to the request's pipeline, available since
// confirmed (nil: now).
func (w *world) slEntry(r matching.Request, c matching.Candidate, confirmed *time.Time) matching.PipelineEntry {
	w.t.Helper()
	e := matching.PipelineEntry{RequestID: r.ID, CandidateID: &c.ID, Source: matching.SourceSearch, Stage: matching.StageAvailable,
		AvailabilityConfirmedAt: confirmed}
	if err := w.db.AddPipelineEntry(w.t.Context(), &e); err != nil {
		w.t.Fatal(err)
	}
	return e
}

// setPresentation changes how a candidate agrees to be presented, as the
// jobseeker would.
func (w *world) setPresentation(c matching.Candidate, p matching.Presentation) {
	w.t.Helper()
	cur, err := w.db.Candidate(w.t.Context(), c.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	cur.Presentation = p
	if err := w.db.UpdateCandidate(w.t.Context(), &cur); err != nil {
		w.t.Fatal(err)
	}
}

// shortlistReads returns the audited CV reads of a candidate through a
// shortlist.
func (w *world) shortlistReads(candidateID int64) []matching.AuditEvent {
	w.t.Helper()
	var out []matching.AuditEvent
	for _, ev := range w.cvReads(candidateID) {
		var d map[string]any
		if json.Unmarshal(ev.Detail, &d) == nil && d["purpose"] == "shortlist" {
			out = append(out, ev)
		}
	}
	return out
}

func wantHTTP(t *testing.T, status int, body []byte, want int) {
	t.Helper()
	if status != want {
		t.Fatalf("%d %s, want %d", status, body, want)
	}
}

func wantErrorAt(t *testing.T, status int, body []byte, want int, field string) {
	t.Helper()
	if status != want {
		t.Fatalf("%d %s, want %d on %s", status, body, want, field)
	}
	if e := errorOf(t, body); e.Field != field {
		t.Fatalf("error on %q (%s), want %q", e.Field, e.Message, field)
	}
}

func candidateByEntry(t *testing.T, v api.ShortlistView, entryID int64) api.ShortlistCandidate {
	t.Helper()
	for _, c := range v.Candidates {
		if c.EntryID == entryID {
			return c
		}
	}
	t.Fatalf("entry %d is not in shortlist %d: %+v", entryID, v.ID, v.Candidates)
	return api.ShortlistCandidate{}
}

func TestAShortlistFromDraftToTheEmployer(t *testing.T) {
	w := newWorld(t)
	op, boss := w.signIn(operatorA), w.signIn(employer1)
	carlo := w.slCandidate("Carlo", "Tre", matching.PresentBlind)
	e3 := w.slEntry(w.request1, carlo, nil)
	r1 := w.request1.ID

	status, body := op.do(http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/shortlists", r1), api.ShortlistInput{Note: "seconda rosa",
		Items: []api.ShortlistItemInput{{EntryID: e3.ID, Mode: "named"}}})
	wantHTTP(t, status, body, http.StatusCreated)
	v2 := jsonOf[matching.Shortlist](t, body)
	if v2.Version != 2 || v2.Status != matching.ShortlistDraft || len(v2.Items) != 1 {
		t.Fatalf("draft = %+v", v2)
	}
	if e, _ := w.db.PipelineEntry(t.Context(), e3.ID); e.Stage != matching.StageShortlisted {
		t.Errorf("the drafted candidate is %s, want shortlisted", e.Stage)
	}

	t.Run("a second draft is a conflict", func(t *testing.T) {
		status, body := op.do(http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/shortlists", r1), api.ShortlistInput{})
		wantErrorAt(t, status, body, http.StatusConflict, "status")
	})
	t.Run("a blind-only candidate presented named is refused, naming the item", func(t *testing.T) {
		status, body := op.do(http.MethodPost, fmt.Sprintf("/api/v1/shortlists/%d/present", v2.ID), nil)
		wantErrorAt(t, status, body, http.StatusUnprocessableEntity, "items[0].mode")
	})
	status, body = op.do(http.MethodPut, fmt.Sprintf("/api/v1/shortlists/%d", v2.ID), api.ShortlistInput{Note: "seconda rosa",
		Items: []api.ShortlistItemInput{{EntryID: e3.ID, Mode: "blind", Note: "patente C, subito disponibile"},
			{EntryID: w.entry1.ID, Mode: "named", Note: "già vista"}}})
	wantHTTP(t, status, body, http.StatusOK)

	t.Run("the employer sees neither the draft nor it in the list", func(t *testing.T) {
		status, body := boss.do(http.MethodGet, fmt.Sprintf("/api/v1/shortlists/%d", v2.ID), nil)
		wantHTTP(t, status, body, http.StatusNotFound)
		status, body = boss.do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/shortlists", r1), nil)
		wantHTTP(t, status, body, http.StatusOK)
		list := jsonOf[struct{ Shortlists []api.ShortlistSummary }](t, body)
		if len(list.Shortlists) != 1 || list.Shortlists[0].ID != w.shortlist1.ID || list.Shortlists[0].Items != nil {
			t.Errorf("the employer's list = %+v", list.Shortlists)
		}
		status, body = op.do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/shortlists", r1), nil)
		wantHTTP(t, status, body, http.StatusOK)
		list = jsonOf[struct{ Shortlists []api.ShortlistSummary }](t, body)
		if len(list.Shortlists) != 2 || list.Shortlists[1].Status != matching.ShortlistDraft || len(list.Shortlists[1].Items) != 2 {
			t.Errorf("the operator's list = %+v", list.Shortlists)
		}
	})

	status, body = op.do(http.MethodPost, fmt.Sprintf("/api/v1/shortlists/%d/present", v2.ID), nil)
	wantHTTP(t, status, body, http.StatusOK)
	presented := jsonOf[matching.Shortlist](t, body)
	if presented.Status != matching.ShortlistPresented || len(presented.Snapshot) == 0 {
		t.Fatalf("presented = %+v", presented)
	}
	if evs, _, _ := w.db.AuditLog(t.Context(), store.AuditFilter{RequestID: r1, Action: "shortlist_presented"}); len(evs) != 2 {
		t.Errorf("%d presentations audited, want v1 and v2", len(evs))
	}

	t.Run("the employer lists v1 superseded and v2 presented", func(t *testing.T) {
		status, body := boss.do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/shortlists", r1), nil)
		wantHTTP(t, status, body, http.StatusOK)
		list := jsonOf[struct{ Shortlists []api.ShortlistSummary }](t, body)
		if len(list.Shortlists) != 2 || list.Shortlists[0].Status != matching.ShortlistSuperseded ||
			list.Shortlists[1].Status != matching.ShortlistPresented || list.Shortlists[1].Candidates != 2 {
			t.Errorf("list = %+v", list.Shortlists)
		}
	})

	t.Run("the employer sees the blind candidate without name and the named one with it", func(t *testing.T) {
		readsCarlo, readsAnna := len(w.shortlistReads(carlo.ID)), len(w.shortlistReads(w.candidate1.ID))
		status, body := boss.do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/shortlist", r1), nil)
		wantHTTP(t, status, body, http.StatusOK)
		v := jsonOf[api.ShortlistView](t, body)
		if v.ID != v2.ID || v.Version != 2 || len(v.Candidates) != 2 || v.Vacancy == nil || v.Vacancy.ID != w.vacancy1.ID {
			t.Fatalf("view = %+v", v)
		}
		c := candidateByEntry(t, v, e3.ID)
		if c.Shown != matching.ShownBlind || c.GivenName != "" || c.FamilyName != "" || c.Email != "" || c.Phone != "" ||
			c.CandidateID != nil || c.CV == nil || c.CV.Headline != "Autista patente C" || len(c.CV.Experiences) != 1 ||
			c.Note != "patente C, subito disponibile" || c.Explanation == nil || c.Score == nil || c.Pseudonym != e3.Pseudonym {
			t.Errorf("blind candidate = %+v", c)
		}
		a := candidateByEntry(t, v, w.entry1.ID)
		if a.Shown != matching.ShownNamed || a.GivenName != "Anna" || a.FamilyName != "Uno" || a.Email != "anna.uno@example.org" || a.CV == nil {
			t.Errorf("named candidate = %+v", a)
		}
		raw := string(body)
		for _, banned := range []string{"Carlo", "carlo.tre@example.org", carlo.Phone, `"birth_date"`, `"sex"`, `"citizenship"`,
			`"disability"`, `"candidate_id"`, `"created_by"`} {
			if strings.Contains(raw, banned) {
				t.Errorf("the employer's view contains %s", banned)
			}
		}
		for _, tc := range []struct {
			candidate int64
			before    int
		}{{carlo.ID, readsCarlo}, {w.candidate1.ID, readsAnna}} {
			reads := w.shortlistReads(tc.candidate)
			if len(reads) != tc.before+1 {
				t.Fatalf("candidate %d: %d shortlist reads audited, want %d", tc.candidate, len(reads), tc.before+1)
			}
			ev := reads[0]
			if *ev.UserID != w.users[employer1].ID || ev.Role != matching.RoleEmployer || ev.RequestID == nil || *ev.RequestID != r1 {
				t.Errorf("audited read = %+v", ev)
			}
		}
	})
	t.Run("v1 keeps its own snapshot", func(t *testing.T) {
		status, body := boss.do(http.MethodGet, fmt.Sprintf("/api/v1/shortlists/%d", w.shortlist1.ID), nil)
		wantHTTP(t, status, body, http.StatusOK)
		v := jsonOf[api.ShortlistView](t, body)
		if v.Status != matching.ShortlistSuperseded || len(v.Candidates) != 1 || v.Candidates[0].EntryID != w.entry1.ID ||
			v.Candidates[0].Note != "" {
			t.Errorf("v1 = %+v", v)
		}
	})
	t.Run("staff see names, candidate ids and who presented", func(t *testing.T) {
		for _, actor := range []string{operatorA, monitor} {
			status, body := w.signIn(actor).do(http.MethodGet, fmt.Sprintf("/api/v1/shortlists/%d", v2.ID), nil)
			wantHTTP(t, status, body, http.StatusOK)
			v := jsonOf[api.ShortlistView](t, body)
			c := candidateByEntry(t, v, e3.ID)
			if c.GivenName != "Carlo" || c.CandidateID == nil || *c.CandidateID != carlo.ID || c.Shown != matching.ShownBlind || v.PresentedBy == nil {
				t.Errorf("%s sees %+v", actor, c)
			}
			if reads := w.shortlistReads(carlo.ID); reads[0].Role != roleOf[actor] {
				t.Errorf("%s's read was not audited: %+v", actor, reads[0])
			}
		}
	})
	t.Run("a candidate who switches to blind is shown blind", func(t *testing.T) {
		w.setPresentation(w.candidate1, matching.PresentBlind)
		status, body := boss.do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/shortlist", r1), nil)
		wantHTTP(t, status, body, http.StatusOK)
		a := candidateByEntry(t, jsonOf[api.ShortlistView](t, body), w.entry1.ID)
		if a.Shown != matching.ShownBlind || a.GivenName != "" || a.Email != "" || a.CV == nil || strings.Contains(string(body), "Anna") {
			t.Errorf("candidate switched to blind = %+v", a)
		}
	})
	t.Run("a candidate who takes back consent is no longer available", func(t *testing.T) {
		w.setPresentation(w.candidate1, matching.PresentNone)
		before := len(w.shortlistReads(w.candidate1.ID))
		status, body := boss.do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/shortlist", r1), nil)
		wantHTTP(t, status, body, http.StatusOK)
		a := candidateByEntry(t, jsonOf[api.ShortlistView](t, body), w.entry1.ID)
		if a.Shown != matching.ShownGone || a.Notice != "no longer available" || a.CV != nil || a.GivenName != "" ||
			a.Explanation != nil || a.Note != "" || a.Pseudonym != w.entry1.Pseudonym {
			t.Errorf("candidate without consent = %+v", a)
		}
		if after := len(w.shortlistReads(w.candidate1.ID)); after != before {
			t.Errorf("a CV not shown was audited as read")
		}
	})
	t.Run("an erased candidate is no longer available", func(t *testing.T) {
		if err := w.db.EraseCandidate(t.Context(), carlo.ID); err != nil {
			t.Fatal(err)
		}
		status, body := boss.do(http.MethodGet, fmt.Sprintf("/api/v1/shortlists/%d", v2.ID), nil)
		wantHTTP(t, status, body, http.StatusOK)
		c := candidateByEntry(t, jsonOf[api.ShortlistView](t, body), e3.ID)
		if c.Shown != matching.ShownGone || c.Notice != "no longer available" || c.CV != nil || c.Pseudonym != e3.Pseudonym {
			t.Errorf("erased candidate = %+v", c)
		}
	})
	t.Run("other employers and providers do not see the shortlist", func(t *testing.T) {
		for _, actor := range []string{employer2, operatorB} {
			c := w.signIn(actor)
			for _, path := range []string{fmt.Sprintf("/api/v1/shortlists/%d", v2.ID), fmt.Sprintf("/api/v1/requests/%d/shortlist", r1),
				fmt.Sprintf("/api/v1/requests/%d/shortlists", r1)} {
				status, body := c.do(http.MethodGet, path, nil)
				wantHTTP(t, status, body, http.StatusNotFound)
			}
		}
	})
}

func TestPresentingAShortlistThroughTheAPIIsRefused(t *testing.T) {
	w := newWorld(t)
	op := w.signIn(operatorA)
	stale := w.clock.Now().Add(-20 * matching.Day)
	private := w.slEntry(w.request1, w.slCandidate("Dario", "Quattro", matching.PresentNone), nil)
	old := w.slEntry(w.request1, w.slCandidate("Elena", "Cinque", matching.PresentNamed), &stale)
	fresh := w.slEntry(w.request1, w.slCandidate("Franco", "Sei", matching.PresentNamed), nil)

	status, body := op.do(http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/shortlists", w.request1.ID), api.ShortlistInput{})
	wantHTTP(t, status, body, http.StatusCreated)
	draft := jsonOf[matching.Shortlist](t, body)
	for _, tc := range []struct {
		name   string
		items  []api.ShortlistItemInput
		status int
		field  string
	}{
		{"an empty shortlist", nil, http.StatusUnprocessableEntity, "items"},
		{"a candidate who did not agree to be presented", []api.ShortlistItemInput{{EntryID: fresh.ID, Mode: "named"}, {EntryID: private.ID, Mode: "blind"}},
			http.StatusUnprocessableEntity, "items[1].mode"},
		{"a stale confirmation without an override note", []api.ShortlistItemInput{{EntryID: fresh.ID, Mode: "named"}, {EntryID: old.ID, Mode: "named"}},
			http.StatusConflict, "items[1].override_note"},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			status, body := op.do(http.MethodPut, fmt.Sprintf("/api/v1/shortlists/%d", draft.ID), api.ShortlistInput{Items: tc.items})
			wantHTTP(t, status, body, http.StatusOK)
			status, body = op.do(http.MethodPost, fmt.Sprintf("/api/v1/shortlists/%d/present", draft.ID), nil)
			wantErrorAt(t, status, body, tc.status, tc.field)
			if sl, _ := w.db.Shortlist(t.Context(), draft.ID); sl.Status != matching.ShortlistDraft {
				t.Errorf("the refused draft is %s", sl.Status)
			}
		})
	}
	t.Run("a stale confirmation with an override note is presented", func(t *testing.T) {
		status, body := op.do(http.MethodPut, fmt.Sprintf("/api/v1/shortlists/%d", draft.ID), api.ShortlistInput{Items: []api.ShortlistItemInput{
			{EntryID: fresh.ID, Mode: "named"}, {EntryID: old.ID, Mode: "named", OverrideNote: "sentita ieri al telefono"}}})
		wantHTTP(t, status, body, http.StatusOK)
		status, body = op.do(http.MethodPost, fmt.Sprintf("/api/v1/shortlists/%d/present", draft.ID), nil)
		wantHTTP(t, status, body, http.StatusOK)
		status, body = w.signIn(employer1).do(http.MethodGet, fmt.Sprintf("/api/v1/requests/%d/shortlist", w.request1.ID), nil)
		wantHTTP(t, status, body, http.StatusOK)
		if c := candidateByEntry(t, jsonOf[api.ShortlistView](t, body), old.ID); c.OverrideNote != "sentita ieri al telefono" {
			t.Errorf("the employer does not see the override note: %+v", c)
		}
	})
	t.Run("a request not yet contacting candidates is refused", func(t *testing.T) {
		opB := w.signIn(operatorB)
		status, body := opB.do(http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/shortlists", w.request2.ID), api.ShortlistInput{
			Items: []api.ShortlistItemInput{{EntryID: w.entry2.ID, Mode: "blind"}}})
		wantHTTP(t, status, body, http.StatusCreated)
		sl := jsonOf[matching.Shortlist](t, body)
		status, body = opB.do(http.MethodPost, fmt.Sprintf("/api/v1/shortlists/%d/present", sl.ID), nil)
		wantErrorAt(t, status, body, http.StatusConflict, "status")
		if r, _ := w.db.Request(t.Context(), w.request2.ID); r.Status != matching.StatusIntake {
			t.Errorf("the refused presentation moved the request to %s", r.Status)
		}
	})
	t.Run("the wrong roles and providers are refused", func(t *testing.T) {
		for _, tc := range []struct {
			actor  string
			method string
			path   string
			status int
		}{
			{employer1, http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/shortlists", w.request1.ID), http.StatusForbidden},
			{monitor, http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/shortlists", w.request1.ID), http.StatusForbidden},
			{operatorB, http.MethodPost, fmt.Sprintf("/api/v1/requests/%d/shortlists", w.request1.ID), http.StatusNotFound},
			{operatorB, http.MethodPost, fmt.Sprintf("/api/v1/shortlists/%d/present", draft.ID), http.StatusNotFound},
			{employer1, http.MethodPost, fmt.Sprintf("/api/v1/shortlists/%d/present", draft.ID), http.StatusForbidden},
			{jobseeker1, http.MethodGet, fmt.Sprintf("/api/v1/shortlists/%d", w.shortlist1.ID), http.StatusForbidden},
		} {
			status, body := w.signIn(tc.actor).do(tc.method, tc.path, api.ShortlistInput{})
			if status != tc.status {
				t.Errorf("%s %s as %s: %d %s, want %d", tc.method, tc.path, tc.actor, status, body, tc.status)
			}
		}
	})
}
