package matching

import (
	"fmt"
	"time"
)

// What a shortlist ("rosa") froze when it was presented, what the employer
// may see of its candidates later, and which steps the employer's answer
// and the 4D phases may take.

// ShortlistSnapshot is what the employer was shown when a shortlist version
// was presented: the candidates in order, each with the operator's note
// and the match explanation computed at that moment. It holds no name, no
// contact and no protected attribute: names are resolved when the
// shortlist is read, from what each candidate allows then.
type ShortlistSnapshot struct {
	RequestID   int64               `json:"request_id"`
	Version     int                 `json:"version"`
	PresentedAt time.Time           `json:"presented_at"`
	Note        string              `json:"note"`
	Vacancy     SnapshotVacancy     `json:"vacancy"`
	Score       ScoreParams         `json:"score"`
	Weights     []RequirementWeight `json:"weights"`
	Candidates  []SnapshotCandidate `json:"candidates"`
}

// SnapshotVacancy names the vacancy a shortlist was presented for.
type SnapshotVacancy struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// SnapshotCandidate is a candidate as presented, under the pseudonym of
// their pipeline entry.
type SnapshotCandidate struct {
	Position  int    `json:"position"`
	EntryID   int64  `json:"entry_id"`
	Pseudonym string `json:"pseudonym"`
	Mode      string `json:"mode"` // named or blind
	Note      string `json:"note"`
	// OverrideNote is the operator's reason for presenting a candidate
	// whose confirmation of availability was older than the period.
	OverrideNote            string      `json:"override_note,omitempty"`
	AvailabilityConfirmedAt *time.Time  `json:"availability_confirmed_at,omitempty"`
	Score                   float64     `json:"score"`
	Fit                     float64     `json:"fit"`
	Explanation             Explanation `json:"explanation"`
}

// Visibility is how an employer sees a presented candidate now.
type Visibility string

// Visibilities of a presented candidate.
const (
	ShownNamed Visibility = "named" // name and contacts, and the CV
	ShownBlind Visibility = "blind" // the pseudonym and the CV
	// ShownGone: the candidate withdrew their consent or from the request,
	// or was erased; only the pseudonym remains.
	ShownGone Visibility = "unavailable"
)

// EmployerVisibility says how the employer sees, now, a candidate presented
// in mode: named only while the candidate still agrees to be presented
// named and was presented so (the operator's choice of blind holds until a
// new version names them); blind while they agree to be presented at all;
// no longer available once they take back their consent (presentation
// nil, erased, or none) or withdraw from the request.
func EmployerVisibility(mode string, current *Presentation, stage Stage) Visibility {
	switch {
	case current == nil || *current == PresentNone || stage == StageWithdrew:
		return ShownGone
	case mode == string(PresentNamed) && *current == PresentNamed:
		return ShownNamed
	}
	return ShownBlind
}

// PresentationPath returns the stages an entry passes through when it is
// presented: an available candidate is shortlisted and presented, a
// shortlisted one presented, one already presented (or interviewed) stays.
func PresentationPath(cur Stage) ([]Stage, error) {
	var path []Stage
	switch cur {
	case StagePresented, StageInterviewed:
		return nil, nil
	case StageAvailable:
		path = []Stage{StageShortlisted, StagePresented}
	default:
		path = []Stage{StagePresented}
	}
	from := cur
	for _, to := range path {
		if err := CheckStageMove(from, to); err != nil {
			return nil, err
		}
		from = to
	}
	return path, nil
}

// FeedbackMove returns the stage the employer's decision moves a presented
// candidate to, and whether it moves them: ECONFLICT when the decision
// needs a move the candidate's stage does not allow (hiring a candidate
// already rejected, for one).
func FeedbackMove(cur Stage, decision string) (Stage, bool, error) {
	to, ok := FeedbackStage(decision)
	if !ok || to == cur {
		return cur, false, nil
	}
	if err := CheckStageMove(cur, to); err != nil {
		return cur, false, &Error{Code: ECONFLICT, Field: "decision", Message: fmt.Sprintf(
			"a candidate %s cannot be recorded as %s", cur, decision)}
	}
	return to, true, nil
}

// CheckCompetenceStep checks that a 4D competence verification may be
// recorded for a request in status: during competence verification, and
// still during selection (a check the employer asks for while choosing).
func CheckCompetenceStep(status RequestStatus) error {
	if status == StatusCompetenceVerification || status == StatusSelection {
		return nil
	}
	return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf(
		"competence verifications are recorded while a request is in competence_verification or selection; this one is %s", status)}
}

// CheckSelectionStep checks that a 4D selection-support session may be
// recorded for a request in status: only during selection.
func CheckSelectionStep(status RequestStatus) error {
	if status == StatusSelection {
		return nil
	}
	return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf(
		"selection-support sessions are recorded while a request is in selection; this one is %s", status)}
}
