package matching_test

import (
	"slices"
	"testing"

	"incontro/matching"
)

func TestEmployerVisibility(t *testing.T) {
	named, blind, none := matching.PresentNamed, matching.PresentBlind, matching.PresentNone
	for _, tc := range []struct {
		name    string
		mode    string
		current *matching.Presentation
		stage   matching.Stage
		want    matching.Visibility
	}{
		{"presented named and still agreeing to be named", "named", &named, matching.StagePresented, matching.ShownNamed},
		{"presented named, now asking to be blind", "named", &blind, matching.StagePresented, matching.ShownBlind},
		{"presented blind, now agreeing to be named (a new version names them)", "blind", &named, matching.StageInterviewed, matching.ShownBlind},
		{"presented blind and still blind", "blind", &blind, matching.StagePresented, matching.ShownBlind},
		{"consent taken back", "named", &none, matching.StagePresented, matching.ShownGone},
		{"erased", "named", nil, matching.StagePresented, matching.ShownGone},
		{"withdrew from the request", "named", &named, matching.StageWithdrew, matching.ShownGone},
		{"hired, still named", "named", &named, matching.StageHired, matching.ShownNamed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := matching.EmployerVisibility(tc.mode, tc.current, tc.stage); got != tc.want {
				t.Errorf("EmployerVisibility = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestPresentationPath(t *testing.T) {
	for _, tc := range []struct {
		from matching.Stage
		want []matching.Stage
	}{
		{matching.StageAvailable, []matching.Stage{matching.StageShortlisted, matching.StagePresented}},
		{matching.StageShortlisted, []matching.Stage{matching.StagePresented}},
		{matching.StagePresented, nil},
		{matching.StageInterviewed, nil},
	} {
		t.Run("from "+string(tc.from), func(t *testing.T) {
			got, err := matching.PresentationPath(tc.from)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("PresentationPath = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	for _, from := range []matching.Stage{matching.StageFound, matching.StageRejected, matching.StageHired, matching.StageWithdrew} {
		t.Run("from "+string(from)+" is a conflict", func(t *testing.T) {
			_, err := matching.PresentationPath(from)
			if matching.ErrorCode(err) != matching.ECONFLICT {
				t.Errorf("error = %v, want a conflict", err)
			}
		})
	}
}

func TestFeedbackMove(t *testing.T) {
	for _, tc := range []struct {
		from     matching.Stage
		decision string
		to       matching.Stage
		moves    bool
	}{
		{matching.StagePresented, matching.DecisionInterviewPlanned, matching.StagePresented, false},
		{matching.StagePresented, matching.DecisionInterviewHeld, matching.StageInterviewed, true},
		{matching.StageInterviewed, matching.DecisionInterviewHeld, matching.StageInterviewed, false},
		{matching.StagePresented, matching.DecisionHired, matching.StageHired, true},
		{matching.StageInterviewed, matching.DecisionHired, matching.StageHired, true},
		{matching.StagePresented, matching.DecisionNotSelected, matching.StageRejected, true},
		{matching.StageInterviewed, matching.DecisionNotSelected, matching.StageRejected, true},
		{matching.StagePresented, matching.DecisionOnHold, matching.StagePresented, false},
	} {
		t.Run(tc.decision+" from "+string(tc.from), func(t *testing.T) {
			to, moves, err := matching.FeedbackMove(tc.from, tc.decision)
			if err != nil || to != tc.to || moves != tc.moves {
				t.Errorf("FeedbackMove = %s, %v, %v; want %s, %v", to, moves, err, tc.to, tc.moves)
			}
		})
	}
	for _, tc := range []struct {
		from     matching.Stage
		decision string
	}{
		{matching.StageRejected, matching.DecisionHired},
		{matching.StageHired, matching.DecisionInterviewHeld},
		{matching.StageWithdrew, matching.DecisionNotSelected},
		{matching.StageAvailable, matching.DecisionHired},
	} {
		t.Run(tc.decision+" from "+string(tc.from)+" is a conflict", func(t *testing.T) {
			_, _, err := matching.FeedbackMove(tc.from, tc.decision)
			if matching.ErrorCode(err) != matching.ECONFLICT || matching.ErrorField(err) != "decision" {
				t.Errorf("error = %v, want a conflict on decision", err)
			}
		})
	}
}

func Test4DStepsHappenInTheirStates(t *testing.T) {
	for _, st := range matching.RequestStatuses() {
		competence := st == matching.StatusCompetenceVerification || st == matching.StatusSelection
		if err := matching.CheckCompetenceStep(st); (err == nil) != competence || (err != nil && matching.ErrorCode(err) != matching.ECONFLICT) {
			t.Errorf("CheckCompetenceStep(%s) = %v", st, err)
		}
		selection := st == matching.StatusSelection
		if err := matching.CheckSelectionStep(st); (err == nil) != selection || (err != nil && matching.ErrorCode(err) != matching.ECONFLICT) {
			t.Errorf("CheckSelectionStep(%s) = %v", st, err)
		}
	}
}
