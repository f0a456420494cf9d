package matching_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"incontro/matching"
)

var monday = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func validRequest() matching.Request {
	return matching.Request{ProviderID: 1, EmployerID: 2, VacancyID: 3, Status: matching.StatusSearching, OpenedAt: monday}
}

func closedRequest(o matching.Outcome) matching.Request {
	r := validRequest()
	r.Status, r.Outcome, r.ClosedAt = matching.StatusClosed, &o, ptr(monday.Add(72*time.Hour))
	r.CloseReason = ptr(matching.CloseOther) // "other" goes with every outcome
	return r
}

func TestRequestValidate(t *testing.T) {
	for _, s := range matching.RequestStatuses() {
		if s == matching.StatusClosed {
			continue
		}
		t.Run("an open request in state "+string(s)+" passes", func(t *testing.T) {
			r := validRequest()
			r.Status = s
			wantValid(t, r.Validate())
		})
	}
	for _, o := range []matching.Outcome{matching.OutcomeFilled, matching.OutcomeNotFilled, matching.OutcomeWithdrawn, matching.OutcomeCancelled} {
		t.Run("a request closed as "+string(o)+" passes", func(t *testing.T) {
			r := closedRequest(o)
			wantValid(t, r.Validate())
		})
	}

	fails := []struct {
		name  string
		req   func() matching.Request
		field string
	}{
		{"a request without a provider is refused", func() matching.Request { r := validRequest(); r.ProviderID = 0; return r }, "provider_id"},
		{"a request without an employer is refused", func() matching.Request { r := validRequest(); r.EmployerID = 0; return r }, "employer_id"},
		{"a request without a vacancy is refused", func() matching.Request { r := validRequest(); r.VacancyID = -1; return r }, "vacancy_id"},
		{"an unknown state is refused", func() matching.Request { r := validRequest(); r.Status = "paused"; return r }, "status"},
		{"an empty state is refused", func() matching.Request { r := validRequest(); r.Status = ""; return r }, "status"},
		{"a closed request without an outcome is refused", func() matching.Request {
			r := closedRequest(matching.OutcomeFilled)
			r.Outcome = nil
			return r
		}, "outcome"},
		{"a closed request without its closing time is refused", func() matching.Request {
			r := closedRequest(matching.OutcomeFilled)
			r.ClosedAt = nil
			return r
		}, "closed_at"},
		{"an open request with an outcome is refused", func() matching.Request {
			r := validRequest()
			r.Outcome = ptr(matching.OutcomeFilled)
			return r
		}, "outcome"},
		{"an open request with a closing time is refused", func() matching.Request {
			r := validRequest()
			r.ClosedAt = ptr(monday)
			return r
		}, "closed_at"},
		{"a closed request with an unknown outcome is refused", func() matching.Request {
			return closedRequest("abandoned")
		}, "outcome"},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.req()
			wantInvalid(t, r.Validate(), tc.field)
		})
	}
}

func validEntry() matching.PipelineEntry {
	return matching.PipelineEntry{RequestID: 1, CandidateID: ptr(int64(5)), Pseudonym: "C-0005", Source: matching.SourceSearch, Stage: matching.StageFound}
}

func TestPipelineEntryValidate(t *testing.T) {
	for _, s := range matching.Stages() {
		if s == matching.StageRejected {
			continue
		}
		t.Run("an entry at stage "+string(s)+" without a rejection reason passes", func(t *testing.T) {
			e := validEntry()
			e.Stage = s
			wantValid(t, e.Validate())
		})
	}
	passes := []struct {
		name   string
		mutate func(*matching.PipelineEntry)
	}{
		{"a rejected entry with a known reason passes", func(e *matching.PipelineEntry) { e.Stage, e.RejectionReason = matching.StageRejected, "skills_gap" }},
		{"a self-application passes", func(e *matching.PipelineEntry) { e.Source = matching.SourceSelfApplication }},
		{"a referral passes", func(e *matching.PipelineEntry) { e.Source = matching.SourceReferral }},
		{"an erased candidate kept by pseudonym passes", func(e *matching.PipelineEntry) { e.CandidateID = nil }},
	}
	for _, tc := range passes {
		t.Run(tc.name, func(t *testing.T) {
			e := validEntry()
			tc.mutate(&e)
			wantValid(t, e.Validate())
		})
	}

	fails := []struct {
		name   string
		mutate func(*matching.PipelineEntry)
		field  string
	}{
		{"an entry without a request is refused", func(e *matching.PipelineEntry) { e.RequestID = 0 }, "request_id"},
		{"a blank pseudonym is refused", func(e *matching.PipelineEntry) { e.Pseudonym = " " }, "pseudonym"},
		{"an unknown source is refused", func(e *matching.PipelineEntry) { e.Source = "headhunter" }, "source"},
		{"an unknown stage is refused", func(e *matching.PipelineEntry) { e.Stage = "ghosted" }, "stage"},
		{"a rejected entry without a reason is refused", func(e *matching.PipelineEntry) { e.Stage = matching.StageRejected }, "rejection_reason"},
		{"a reason on an entry that is not rejected is refused", func(e *matching.PipelineEntry) { e.RejectionReason = "distance" }, "rejection_reason"},
		{"a rejected entry with an unknown reason is refused", func(e *matching.PipelineEntry) {
			e.Stage, e.RejectionReason = matching.StageRejected, "rude"
		}, "rejection_reason"},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			e := validEntry()
			tc.mutate(&e)
			wantInvalid(t, e.Validate(), tc.field)
		})
	}
}

func TestContactValidate(t *testing.T) {
	valid := func() matching.Contact {
		return matching.Contact{EntryID: 1, Channel: "phone", Outcome: "available", Note: "Disponibile da aprile", At: monday}
	}
	for _, ch := range []string{"phone", "email", "sms", "portal", "in_person"} {
		for _, out := range []string{"available", "not_available", "no_answer", "message_left", "wrong_contact", "awaiting_reply"} {
			t.Run("a contact by "+ch+" with outcome "+out+" passes", func(t *testing.T) {
				c := valid()
				c.Channel, c.Outcome = ch, out
				wantValid(t, c.Validate())
			})
		}
	}
	fails := []struct {
		name   string
		mutate func(*matching.Contact)
		field  string
	}{
		{"a contact without an entry is refused", func(c *matching.Contact) { c.EntryID = 0 }, "entry_id"},
		{"an unknown channel is refused", func(c *matching.Contact) { c.Channel = "pigeon" }, "channel"},
		{"an unknown outcome is refused", func(c *matching.Contact) { c.Outcome = "maybe" }, "outcome"},
		{"a contact without a time is refused", func(c *matching.Contact) { c.At = time.Time{} }, "at"},
		{"a note of 2001 characters is refused", func(c *matching.Contact) { c.Note = strings.Repeat("n", 2001) }, "note"},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.mutate(&c)
			wantInvalid(t, c.Validate(), tc.field)
		})
	}
}

func TestApplicationValidate(t *testing.T) {
	valid := func() matching.Application {
		return matching.Application{VacancyID: 1, CandidateID: ptr(int64(5)), Message: "Sono interessata.", Status: matching.ApplicationSubmitted}
	}
	for _, s := range []matching.ApplicationStatus{matching.ApplicationSubmitted, matching.ApplicationVerified, matching.ApplicationWithdrawn} {
		t.Run("an application in state "+string(s)+" passes", func(t *testing.T) {
			a := valid()
			a.Status = s
			wantValid(t, a.Validate())
		})
	}
	t.Run("a non-fitting application with a reason passes", func(t *testing.T) {
		a := valid()
		a.Status, a.Reason = matching.ApplicationNotFitting, "manca la patente C"
		wantValid(t, a.Validate())
	})
	fails := []struct {
		name   string
		mutate func(*matching.Application)
		field  string
	}{
		{"an application without a vacancy is refused", func(a *matching.Application) { a.VacancyID = 0 }, "vacancy_id"},
		{"an unknown state is refused", func(a *matching.Application) { a.Status = "pending" }, "status"},
		{"a non-fitting application without a reason is refused", func(a *matching.Application) { a.Status = matching.ApplicationNotFitting }, "reason"},
		{"a message of 2001 characters is refused", func(a *matching.Application) { a.Message = strings.Repeat("m", 2001) }, "message"},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			a := valid()
			tc.mutate(&a)
			wantInvalid(t, a.Validate(), tc.field)
		})
	}
}

func TestShortlistValidate(t *testing.T) {
	valid := func() matching.Shortlist {
		return matching.Shortlist{
			RequestID: 1, Version: 1, Status: matching.ShortlistDraft,
			Items: []matching.ShortlistItem{
				{Position: 1, EntryID: 10, Mode: "named"},
				{Position: 2, EntryID: 11, Mode: "blind"},
				{Position: 3, EntryID: 12, Mode: "named"},
			},
		}
	}
	presented := func(s *matching.Shortlist) {
		s.Status, s.PresentedAt, s.Snapshot = matching.ShortlistPresented, ptr(monday), json.RawMessage(`{"items":[]}`)
	}
	passes := []struct {
		name   string
		mutate func(*matching.Shortlist)
	}{
		{"a draft shortlist passes", func(*matching.Shortlist) {}},
		{"an empty draft shortlist passes", func(s *matching.Shortlist) { s.Items = nil }},
		{"a presented shortlist with its snapshot and time passes", presented},
		{"a superseded shortlist with its snapshot and time passes", func(s *matching.Shortlist) {
			presented(s)
			s.Status = matching.ShortlistSuperseded
		}},
	}
	for _, tc := range passes {
		t.Run(tc.name, func(t *testing.T) {
			s := valid()
			tc.mutate(&s)
			wantValid(t, s.Validate())
		})
	}
	fails := []struct {
		name   string
		mutate func(*matching.Shortlist)
		field  string
	}{
		{"a shortlist without a request is refused", func(s *matching.Shortlist) { s.RequestID = 0 }, "request_id"},
		{"version 0 is refused", func(s *matching.Shortlist) { s.Version = 0 }, "version"},
		{"an unknown state is refused", func(s *matching.Shortlist) { s.Status = "final" }, "status"},
		{"a presented shortlist without a snapshot is refused", func(s *matching.Shortlist) {
			presented(s)
			s.Snapshot = nil
		}, "snapshot"},
		{"a presented shortlist without its time is refused", func(s *matching.Shortlist) {
			presented(s)
			s.PresentedAt = nil
		}, "snapshot"},
		{"a superseded shortlist without a snapshot is refused", func(s *matching.Shortlist) {
			s.Status, s.PresentedAt = matching.ShortlistSuperseded, ptr(monday)
		}, "snapshot"},
		{"positions starting at 0 are refused", func(s *matching.Shortlist) {
			for i := range s.Items {
				s.Items[i].Position = i
			}
		}, "items[0].position"},
		{"a gap in the positions is refused", func(s *matching.Shortlist) { s.Items[2].Position = 4 }, "items[2].position"},
		{"positions out of order are refused", func(s *matching.Shortlist) { s.Items[0].Position, s.Items[1].Position = 2, 1 }, "items[0].position"},
		{"an unknown presentation mode is refused", func(s *matching.Shortlist) { s.Items[1].Mode = "anonymous" }, "items[1].mode"},
		{"a candidate appearing twice is refused", func(s *matching.Shortlist) { s.Items[2].EntryID = 10 }, "items[2].entry_id"},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			s := valid()
			tc.mutate(&s)
			wantInvalid(t, s.Validate(), tc.field)
		})
	}
}

func TestFeedbackValidate(t *testing.T) {
	valid := func() matching.Feedback {
		return matching.Feedback{EntryID: 1, ShortlistID: ptr(int64(2)), Decision: matching.DecisionInterviewHeld, Comment: "Colloquio giovedì", At: monday}
	}
	for _, tc := range []struct {
		decision string
		with     func(*matching.Feedback)
	}{
		{matching.DecisionInterviewPlanned, func(f *matching.Feedback) { f.InterviewAt = ptr(monday.Add(72 * time.Hour)) }},
		{matching.DecisionInterviewHeld, func(*matching.Feedback) {}},
		{matching.DecisionHired, func(f *matching.Feedback) { f.StartDate, f.ContractType = ptr(monday.AddDate(0, 0, 14)), "permanent" }},
		{matching.DecisionOnHold, func(*matching.Feedback) {}},
	} {
		t.Run("a decision of "+tc.decision+" without a reason passes", func(t *testing.T) {
			f := valid()
			f.Decision = tc.decision
			tc.with(&f)
			wantValid(t, f.Validate())
		})
	}
	t.Run("not selecting names the unmet requirement", func(t *testing.T) {
		f := valid()
		f.Decision, f.Reason, f.RequirementID = matching.DecisionNotSelected, "language", ptr(int64(7))
		wantValid(t, f.Validate())
	})
	t.Run("not selecting with a known reason passes", func(t *testing.T) {
		f := valid()
		f.Decision, f.Reason = matching.DecisionNotSelected, "salary"
		wantValid(t, f.Validate())
	})
	fails := []struct {
		name   string
		mutate func(*matching.Feedback)
		field  string
	}{
		{"feedback without an entry is refused", func(f *matching.Feedback) { f.EntryID = 0 }, "entry_id"},
		{"an unknown decision is refused", func(f *matching.Feedback) { f.Decision = "maybe" }, "decision"},
		{"not selecting without a reason is refused", func(f *matching.Feedback) { f.Decision = matching.DecisionNotSelected }, "reason"},
		{"a reason with another decision is refused", func(f *matching.Feedback) { f.Reason = "salary" }, "reason"},
		{"not selecting with an unknown reason is refused", func(f *matching.Feedback) {
			f.Decision, f.Reason = matching.DecisionNotSelected, "rude"
		}, "reason"},
		{"a comment of 2001 characters is refused", func(f *matching.Feedback) { f.Comment = strings.Repeat("c", 2001) }, "comment"},
		{"planning an interview without its time is refused", func(f *matching.Feedback) { f.Decision = matching.DecisionInterviewPlanned }, "interview_at"},
		{"a hire without a start date is refused", func(f *matching.Feedback) { f.Decision, f.ContractType = matching.DecisionHired, "permanent" }, "start_date"},
		{"a hire without a contract type is refused", func(f *matching.Feedback) { f.Decision, f.StartDate = matching.DecisionHired, ptr(monday) }, "contract_type"},
		{"an unknown contract type is refused", func(f *matching.Feedback) {
			f.Decision, f.StartDate, f.ContractType = matching.DecisionHired, ptr(monday), "forever"
		}, "contract_type"},
		{"an unmet requirement without a rejection is refused", func(f *matching.Feedback) { f.RequirementID = ptr(int64(7)) }, "requirement_id"},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			f := valid()
			tc.mutate(&f)
			wantInvalid(t, f.Validate(), tc.field)
		})
	}
}

func TestCompetenceCheckValidate(t *testing.T) {
	valid := func() matching.CompetenceCheck {
		return matching.CompetenceCheck{EntryID: 1, RequirementID: ptr(int64(4)), Competence: "HACCP", Method: "document_check", Result: "confirmed", At: monday}
	}
	for _, m := range []string{"interview", "practical_test", "document_check", "reference_check"} {
		for _, r := range []string{"confirmed", "partly_confirmed", "not_confirmed"} {
			t.Run("a check by "+m+" with result "+r+" passes", func(t *testing.T) {
				c := valid()
				c.Method, c.Result = m, r
				wantValid(t, c.Validate())
			})
		}
	}
	fails := []struct {
		name   string
		mutate func(*matching.CompetenceCheck)
		field  string
	}{
		{"a check without an entry is refused", func(c *matching.CompetenceCheck) { c.EntryID = 0 }, "entry_id"},
		{"a check without a competence is refused", func(c *matching.CompetenceCheck) { c.Competence = "  " }, "competence"},
		{"an unknown method is refused", func(c *matching.CompetenceCheck) { c.Method = "vibes" }, "method"},
		{"an unknown result is refused", func(c *matching.CompetenceCheck) { c.Result = "maybe" }, "result"},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.mutate(&c)
			wantInvalid(t, c.Validate(), tc.field)
		})
	}
}

func TestTimeEntryValidate(t *testing.T) {
	valid := func() matching.TimeEntry {
		return matching.TimeEntry{RequestID: 1, UserID: ptr(int64(7)), Phase: matching.Phase4C, Activity: "database_search", StartedAt: monday, Minutes: 45}
	}
	activities := map[string]matching.Phase{
		"intake_interview": matching.Phase4C, "profile_definition": matching.Phase4C, "database_search": matching.Phase4C,
		"vacancy_publication": matching.Phase4C, "candidate_contact": matching.Phase4C, "self_application_review": matching.Phase4C,
		"shortlist_presentation": matching.Phase4C, "feedback_collection": matching.Phase4C, "skill_gap_support": matching.Phase4C,
		"outcome_recording": matching.Phase4C, "competence_verification": matching.Phase4DVerification, "selection_support": matching.Phase4DSelection,
	}
	for activity, phase := range activities {
		t.Run("time on "+activity+" in phase "+string(phase)+" passes", func(t *testing.T) {
			e := valid()
			e.Activity, e.Phase = activity, phase
			wantValid(t, e.Validate())
		})
	}
	t.Run("1 and 720 minutes pass", func(t *testing.T) {
		for _, m := range []int{1, 720} {
			e := valid()
			e.Minutes = m
			wantValid(t, e.Validate())
		}
	})
	fails := []struct {
		name   string
		mutate func(*matching.TimeEntry)
		field  string
	}{
		{"time without a request is refused", func(e *matching.TimeEntry) { e.RequestID = 0 }, "request_id"},
		{"an unknown activity is refused", func(e *matching.TimeEntry) { e.Activity = "coffee_break" }, "activity"},
		{"a 4D verification activity booked to 4C is refused", func(e *matching.TimeEntry) {
			e.Activity, e.Phase = "competence_verification", matching.Phase4C
		}, "phase"},
		{"a 4C activity booked to 4D selection is refused", func(e *matching.TimeEntry) {
			e.Activity, e.Phase = "database_search", matching.Phase4DSelection
		}, "phase"},
		{"a 4D selection activity booked to 4D verification is refused", func(e *matching.TimeEntry) {
			e.Activity, e.Phase = "selection_support", matching.Phase4DVerification
		}, "phase"},
		{"a known activity without a phase is refused", func(e *matching.TimeEntry) { e.Phase = "" }, "phase"},
		{"time without a start is refused", func(e *matching.TimeEntry) { e.StartedAt = time.Time{} }, "started_at"},
		{"0 minutes are refused", func(e *matching.TimeEntry) { e.Minutes = 0 }, "minutes"},
		{"721 minutes are refused", func(e *matching.TimeEntry) { e.Minutes = 721 }, "minutes"},
		{"a note of 2001 characters is refused", func(e *matching.TimeEntry) { e.Note = strings.Repeat("n", 2001) }, "note"},
	}
	for _, tc := range fails {
		t.Run(tc.name, func(t *testing.T) {
			e := valid()
			tc.mutate(&e)
			wantInvalid(t, e.Validate(), tc.field)
		})
	}
}
