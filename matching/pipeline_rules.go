package matching

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The rules of the work on a request that are not moves of the request
// itself: when it may be matched, when candidates may enter or move in its
// pipeline and who may move them, what a contact or a jobseeker's answer
// does to a candidate's stage, and the states of a self-application.

// CheckMatchable checks that a request may be matched: its requirements
// must have been ranked first, and a closed request is not matched again.
func CheckMatchable(r *Request) error {
	switch r.Status {
	case StatusClosed:
		return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf("request %d is closed: it cannot be matched again", r.ID)}
	case StatusIntake:
		return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf(
			"request %d is still in intake: rank the requirements first (move it to %s)", r.ID, StatusRequirementsRanked)}
	}
	return nil
}

// MatchMoves reports whether running a match moves the request to
// searching: it does from requirements_ranked, the first search; later
// matches leave the state alone.
func MatchMoves(r *Request) bool { return r.Status == StatusRequirementsRanked }

// CheckPipelineOpen checks that a request's pipeline may change: nothing
// moves in the pipeline of a closed request.
func CheckPipelineOpen(r *Request) error {
	if r.Status == StatusClosed {
		return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf("request %d is closed (%s): its pipeline no longer changes",
			r.ID, outcomeText(r.Outcome))}
	}
	return nil
}

// CheckAddCandidate checks that a candidate may enter a request's pipeline
// from source: never once it is closed; by search or referral only after
// the intake, when the requirements are ranked; a self-application enters
// as soon as the request is open.
func CheckAddCandidate(r *Request, src Source) error {
	if err := CheckPipelineOpen(r); err != nil {
		return err
	}
	switch src {
	case SourceSearch, SourceReferral, SourceSelfApplication:
	default:
		return FieldErrorf("source", "must be search, referral or self_application")
	}
	if r.Status == StatusIntake && src != SourceSelfApplication {
		return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf(
			"request %d is still in intake: rank the requirements before adding candidates", r.ID)}
	}
	return nil
}

// IsStage reports whether s is a pipeline stage.
func IsStage(s Stage) bool { return slices.Contains(Stages(), s) }

// CheckStageMoveBy checks a stage move asked for directly by someone in
// role: an operator moves candidates along the stages, but a candidate is
// presented by presenting a shortlist and interviewed or hired by the
// employer's feedback; a jobseeker may only withdraw. A rejection carries
// its reason code, and only a rejection does.
func CheckStageMoveBy(role Role, from, to Stage, reason string) error {
	if !IsStage(to) {
		return FieldErrorf("to", "%q is not a pipeline stage", to)
	}
	switch role {
	case RoleOperator:
		switch to {
		case StagePresented:
			return &Error{Code: ECONFLICT, Field: "to", Message: "a candidate is presented by presenting a shortlist, not by moving the stage"}
		case StageInterviewed, StageHired:
			return &Error{Code: ECONFLICT, Field: "to", Message: fmt.Sprintf("a candidate is %s on the employer's feedback: record the feedback", to)}
		}
	case RoleJobseeker:
		if to != StageWithdrew {
			return Errorf(EFORBIDDEN, "a jobseeker may only withdraw from a request")
		}
	default:
		return Errorf(EFORBIDDEN, "your role (%s) may not move candidates in a pipeline", role)
	}
	if to == StageRejected {
		if strings.TrimSpace(reason) == "" {
			return FieldErrorf("reason", "is required to reject a candidate: one of %s", rejectionCodes())
		}
		if !IsRejectionReason(reason) {
			return FieldErrorf("reason", "%q is not a rejection reason: use one of %s", reason, rejectionCodes())
		}
	} else if reason != "" {
		return FieldErrorf("reason", "is given only when the candidate is rejected")
	}
	return CheckStageMove(from, to)
}

func rejectionCodes() string {
	rs := RejectionReasons()
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = r.Code
	}
	return strings.Join(s, ", ")
}

// RefreshesAvailability reports whether a contact with outcome, after
// which the candidate stands at stage after, confirms (or confirms again)
// their availability: a confirmed "available" for a candidate still in
// the running.
func RefreshesAvailability(after Stage, outcome string) bool {
	if !ConfirmsAvailability(outcome) {
		return false
	}
	switch after {
	case StageAvailable, StageShortlisted, StagePresented, StageInterviewed:
		return true
	}
	return false
}

// ContactChannels returns the channels of a contact.
func ContactChannels() []string { return slices.Clone(contactChannels) }

// ContactOutcomes returns the outcomes of a contact.
func ContactOutcomes() []string { return slices.Clone(contactOutcomes) }

// CheckContactTime checks when a contact happened: not in the future (a
// minute's grace for clocks), not before the request was opened.
func CheckContactTime(at, opened, now time.Time) error {
	if at.After(now.Add(time.Minute)) {
		return FieldErrorf("at", "is in the future")
	}
	if at.Before(opened) {
		return FieldErrorf("at", "is before the request was opened")
	}
	return nil
}

// Answers of a jobseeker to an availability request.
const (
	AnswerInterested    = "interested"
	AnswerNotInterested = "not_interested"
)

// AnswerOutcome returns the contact outcome a jobseeker's answer to an
// availability request stands for: interested confirms availability, not
// interested declines it.
func AnswerOutcome(answer string) (string, error) {
	switch answer {
	case AnswerInterested:
		return "available", nil
	case AnswerNotInterested:
		return "not_available", nil
	}
	return "", FieldErrorf("answer", "must be interested or not_interested")
}

// CheckWith4D checks a change of whether a request includes the 4D phases:
// only while it is open, and not off while it is in a 4D phase.
func CheckWith4D(r *Request, with bool) error {
	if r.Status == StatusClosed {
		return &Error{Code: ECONFLICT, Field: "with_4d", Message: fmt.Sprintf("request %d is closed: its service no longer changes", r.ID)}
	}
	if !with && (r.Status == StatusCompetenceVerification || r.Status == StatusSelection) {
		return &Error{Code: ECONFLICT, Field: "with_4d", Message: fmt.Sprintf("request %d is in %s, a 4D phase", r.ID, r.Status)}
	}
	return nil
}

// CheckApply checks that a jobseeker may apply to a vacancy: only a
// published vacancy still open on day asOf takes applications. A draft is
// not shown to jobseekers at all (ENOTFOUND).
func CheckApply(v *Vacancy, asOf time.Time) error {
	switch v.Status {
	case VacancyDraft:
		return Errorf(ENOTFOUND, "vacancy %d not found", v.ID)
	case VacancyClosed:
		return &Error{Code: ECONFLICT, Field: "vacancy_id", Message: fmt.Sprintf("vacancy %d is closed: it takes no applications", v.ID)}
	}
	if v.ClosesOn != nil {
		day := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
		if v.ClosesOn.Before(day) {
			return &Error{Code: ECONFLICT, Field: "vacancy_id", Message: fmt.Sprintf("vacancy %d closed to applications on %s",
				v.ID, v.ClosesOn.Format(time.DateOnly))}
		}
	}
	return nil
}

// CheckVerifyApplication checks an operator's verification of a
// self-application: once, while it is submitted; the result is verified or
// not_fitting, and not fitting carries a rejection reason code.
func CheckVerifyApplication(a *Application, result ApplicationStatus, reason string) error {
	switch result {
	case ApplicationVerified:
		if reason != "" {
			return FieldErrorf("reason", "is given only when the application does not fit")
		}
	case ApplicationNotFitting:
		if strings.TrimSpace(reason) == "" {
			return FieldErrorf("reason", "is required when the application does not fit: one of %s", rejectionCodes())
		}
		if !IsRejectionReason(reason) {
			return FieldErrorf("reason", "%q is not a rejection reason: use one of %s", reason, rejectionCodes())
		}
	default:
		return FieldErrorf("result", "must be verified or not_fitting")
	}
	if a.Status != ApplicationSubmitted {
		return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf("application %d is already %s", a.ID, a.Status)}
	}
	return nil
}

// CheckWithdrawApplication checks that a jobseeker may withdraw an
// application: while it is submitted or verified.
func CheckWithdrawApplication(a *Application) error {
	if a.Status == ApplicationSubmitted || a.Status == ApplicationVerified {
		return nil
	}
	return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf("application %d is %s: it can no longer be withdrawn", a.ID, a.Status)}
}

// AvailabilityExpiresSoon is how long before its end a confirmed
// availability is flagged in a request's queue.
const AvailabilityExpiresSoon = 3 * Day

// AvailabilityState places a confirmation: "fresh", "expiring" (fresh now
// but not in AvailabilityExpiresSoon), "expired" or "none".
func AvailabilityState(confirmed *time.Time, now time.Time, s WorkflowSettings) string {
	switch {
	case confirmed == nil:
		return "none"
	case !AvailabilityFresh(confirmed, now, s):
		return "expired"
	case !AvailabilityFresh(confirmed, now.Add(AvailabilityExpiresSoon), s):
		return "expiring"
	}
	return "fresh"
}
