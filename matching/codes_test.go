package matching_test

import (
	"testing"
	"time"

	"incontro/matching"
)

func TestCEFRRank(t *testing.T) {
	tests := []struct {
		level string
		want  int
	}{
		{"A1", 1}, {"A2", 2}, {"B1", 3}, {"B2", 4}, {"C1", 5}, {"C2", 6}, {"native", 7},
		{"C3", 0}, {"a1", 0}, {"Native", 0}, {"", 0}, {" B1", 0},
	}
	for _, tc := range tests {
		t.Run("level "+quoted(tc.level)+" ranks "+itoa(tc.want), func(t *testing.T) {
			if got := matching.CEFRRank(tc.level); got != tc.want {
				t.Fatalf("CEFRRank(%q) = %d, want %d", tc.level, got, tc.want)
			}
		})
	}
}

func TestCEFRLevelsAreInIncreasingOrderWithNativeLast(t *testing.T) {
	levels := matching.CEFRLevels()
	want := []string{"A1", "A2", "B1", "B2", "C1", "C2", "native"}
	if len(levels) != len(want) {
		t.Fatalf("CEFRLevels() = %v, want %v", levels, want)
	}
	for i := range want {
		if levels[i] != want[i] {
			t.Fatalf("CEFRLevels() = %v, want %v", levels, want)
		}
		if i > 0 && matching.CEFRRank(levels[i]) <= matching.CEFRRank(levels[i-1]) {
			t.Errorf("CEFRRank(%s) = %d is not above CEFRRank(%s) = %d", levels[i], matching.CEFRRank(levels[i]), levels[i-1], matching.CEFRRank(levels[i-1]))
		}
	}
	levels[0] = "changed"
	if matching.CEFRLevels()[0] != "A1" || matching.CEFRRank("A1") != 1 {
		t.Fatal("changing the slice returned by CEFRLevels changed the package's levels")
	}
}

func TestSkillLevelRank(t *testing.T) {
	tests := []struct {
		level string
		want  int
	}{
		{"unspecified", 0}, {"basic", 1}, {"intermediate", 2}, {"advanced", 3}, {"expert", 4},
		{"", -1}, {"Expert", -1}, {"guru", -1},
	}
	for _, tc := range tests {
		t.Run("skill level "+quoted(tc.level)+" ranks "+itoa(tc.want), func(t *testing.T) {
			if got := matching.SkillLevelRank(tc.level); got != tc.want {
				t.Fatalf("SkillLevelRank(%q) = %d, want %d", tc.level, got, tc.want)
			}
		})
	}
}

func TestEQFLevelsRunFromOneToEightWithTitles(t *testing.T) {
	levels := matching.EQFLevels()
	if len(levels) != 8 {
		t.Fatalf("EQFLevels() has %d levels, want 8", len(levels))
	}
	for i, l := range levels {
		if l.Level != i+1 {
			t.Errorf("EQFLevels()[%d].Level = %d, want %d", i, l.Level, i+1)
		}
		if l.Titles == "" {
			t.Errorf("EQF level %d has no Italian titles", l.Level)
		}
	}
	levels[0].Level = 99
	if matching.EQFLevels()[0].Level != 1 {
		t.Fatal("changing the slice returned by EQFLevels changed the package's levels")
	}
}

func TestCodeLists(t *testing.T) {
	tests := []struct {
		name    string
		list    func() []matching.Term
		is      func(string) bool
		known   []string
		unknown []string
	}{
		{
			name: "licences", list: matching.Licences, is: matching.IsLicence,
			known:   []string{"AM", "A1", "A2", "A", "B1", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE", "CQC_goods", "CQC_passengers"},
			unknown: []string{"", "b", "Z", "CQC", "B "},
		},
		{
			name: "contract types", list: matching.ContractTypes, is: matching.IsContractType,
			known:   []string{"permanent", "fixed_term", "apprenticeship", "agency", "intermittent", "internship", "seasonal", "freelance"},
			unknown: []string{"", "Permanent", "zero_hours", "full_time"},
		},
		{
			name: "working-time patterns", list: matching.WorkingTimes, is: matching.IsWorkingTime,
			known:   []string{"full_time", "part_time", "shifts", "nights", "weekends", "seasonal", "on_call"},
			unknown: []string{"", "Full_time", "permanent", "sometimes"},
		},
		{
			name: "rejection reasons", list: matching.RejectionReasons, is: matching.IsRejectionReason,
			known:   []string{"skills_gap", "experience", "language", "availability", "distance", "salary", "contract", "interview", "position_filled", "other"},
			unknown: []string{"", "Other", "rude"},
		},
	}
	for _, tc := range tests {
		t.Run("the "+tc.name+" list holds exactly the known codes, each with a label", func(t *testing.T) {
			list := tc.list()
			if len(list) != len(tc.known) {
				t.Fatalf("the list has %d codes, want %d: %v", len(list), len(tc.known), list)
			}
			for i, term := range list {
				if term.Code != tc.known[i] {
					t.Errorf("code %d = %q, want %q", i, term.Code, tc.known[i])
				}
				if term.Label == "" {
					t.Errorf("code %q has no Italian label", term.Code)
				}
			}
		})
		t.Run("every code of the "+tc.name+" list is recognized", func(t *testing.T) {
			for _, c := range tc.known {
				if !tc.is(c) {
					t.Errorf("%q is not recognized", c)
				}
			}
		})
		t.Run("codes outside the "+tc.name+" list are not recognized", func(t *testing.T) {
			for _, c := range tc.unknown {
				if tc.is(c) {
					t.Errorf("%q is recognized", c)
				}
			}
		})
		t.Run("changing the returned "+tc.name+" list does not change the package's", func(t *testing.T) {
			list := tc.list()
			first := list[0].Code
			list[0].Code = "changed"
			if tc.list()[0].Code != first || !tc.is(first) {
				t.Fatal("the package's list was changed through the returned slice")
			}
		})
	}
}

func TestStandardBand(t *testing.T) {
	tests := []struct {
		name   string
		phase  matching.Phase
		want   matching.Band
		wantOK bool
	}{
		{"card 4C takes 4 to 8 hours", matching.Phase4C, matching.Band{Min: 4 * time.Hour, Max: 8 * time.Hour}, true},
		{"the 4D verification phase takes 2 to 6 hours", matching.Phase4DVerification, matching.Band{Min: 2 * time.Hour, Max: 6 * time.Hour}, true},
		{"the 4D selection phase takes 2 to 6 hours", matching.Phase4DSelection, matching.Band{Min: 2 * time.Hour, Max: 6 * time.Hour}, true},
		{"an unknown phase has no band", matching.Phase("4E"), matching.Band{}, false},
		{"an empty phase has no band", matching.Phase(""), matching.Band{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := matching.StandardBand(tc.phase)
			if got != tc.want || ok != tc.wantOK {
				t.Fatalf("StandardBand(%q) = %+v, %v; want %+v, %v", tc.phase, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestActivityPhase(t *testing.T) {
	tests := []struct {
		activity string
		want     matching.Phase
	}{
		{"intake_interview", matching.Phase4C},
		{"profile_definition", matching.Phase4C},
		{"database_search", matching.Phase4C},
		{"vacancy_publication", matching.Phase4C},
		{"candidate_contact", matching.Phase4C},
		{"self_application_review", matching.Phase4C},
		{"shortlist_presentation", matching.Phase4C},
		{"feedback_collection", matching.Phase4C},
		{"skill_gap_support", matching.Phase4C},
		{"outcome_recording", matching.Phase4C},
		{"competence_verification", matching.Phase4DVerification},
		{"selection_support", matching.Phase4DSelection},
	}
	for _, tc := range tests {
		t.Run(tc.activity+" belongs to phase "+string(tc.want), func(t *testing.T) {
			got, ok := matching.ActivityPhase(tc.activity)
			if !ok || got != tc.want {
				t.Fatalf("ActivityPhase(%q) = %q, %v; want %q, true", tc.activity, got, ok, tc.want)
			}
		})
	}
	for _, activity := range []string{"", "coffee_break", "Database_search", "4C"} {
		t.Run(quoted(activity)+" is not an activity", func(t *testing.T) {
			if got, ok := matching.ActivityPhase(activity); ok || got != "" {
				t.Fatalf("ActivityPhase(%q) = %q, %v; want \"\", false", activity, got, ok)
			}
		})
	}
}
