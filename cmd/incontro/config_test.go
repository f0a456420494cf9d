package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"incontro/matching"
	"incontro/store/storetest"
)

func TestWorkflowPeriodsComeFromDefaultsEnvironmentAndFlags(t *testing.T) {
	def, err := DefaultConfig().Workflow()
	if err != nil {
		t.Fatal(err)
	}
	if def != matching.DefaultWorkflowSettings() {
		t.Errorf("default periods = %+v, want the standard's %+v", def, matching.DefaultWorkflowSettings())
	}
	cfg := ConfigFromEnv(env(map[string]string{"INCONTRO_AVAILABILITY_DAYS": "10", "INCONTRO_FEEDBACK_REMINDER_DAYS": " 20 ",
		"INCONTRO_FEEDBACK_GIVEUP_DAYS": "60"}))
	got, err := cfg.Workflow()
	if err != nil {
		t.Fatal(err)
	}
	want := matching.WorkflowSettings{AvailabilityValidity: 10 * matching.Day, FeedbackReminder: 20 * matching.Day, FeedbackGiveUp: 60 * matching.Day}
	if got != want {
		t.Errorf("periods from the environment = %+v, want %+v", got, want)
	}
	code, _, stderr := run(t, env(map[string]string{"INCONTRO_FEEDBACK_GIVEUP_DAYS": "never"}), "--feedback-giveup-days", "30", "version")
	if code != 0 {
		t.Errorf("a flag did not override a bad environment value: %s", stderr)
	}
}

func TestBadWorkflowPeriodsAreNamed(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"availability that is not a number", map[string]string{"INCONTRO_AVAILABILITY_DAYS": "two weeks"}, nil, "INCONTRO_AVAILABILITY_DAYS"},
		{"availability of no days", map[string]string{"INCONTRO_AVAILABILITY_DAYS": "0"}, nil, "INCONTRO_AVAILABILITY_DAYS"},
		{"a negative reminder", nil, []string{"--feedback-reminder-days", "-1"}, "INCONTRO_FEEDBACK_REMINDER_DAYS"},
		{"a reminder of over ten years", map[string]string{"INCONTRO_FEEDBACK_REMINDER_DAYS": "4000"}, nil, "INCONTRO_FEEDBACK_REMINDER_DAYS"},
		{"giving up before the reminder", map[string]string{"INCONTRO_FEEDBACK_REMINDER_DAYS": "30"}, []string{"--feedback-giveup-days", "30"},
			"INCONTRO_FEEDBACK_GIVEUP_DAYS (--feedback-giveup-days): must be longer than the feedback reminder"},
		{"a give-up period that is not whole days", map[string]string{"INCONTRO_FEEDBACK_GIVEUP_DAYS": "45.5"}, nil, "INCONTRO_FEEDBACK_GIVEUP_DAYS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, env(tt.env), append(tt.args, "version")...)
			if code == 0 || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want a failure naming %s", code, stderr, tt.want)
			}
		})
	}
}

func TestTheStoreOpensWithTheConfiguredWorkflowPeriods(t *testing.T) {
	cfg := DefaultConfig()
	cfg.DatabaseURL = storetest.MustURL(t)
	cfg.DataDir = t.TempDir()
	cfg.AvailabilityDays, cfg.FeedbackReminderDays, cfg.FeedbackGiveUpDays = "7", "10", "30"
	m, err := NewMain(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.OpenDatabase(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := matching.WorkflowSettings{AvailabilityValidity: 7 * matching.Day, FeedbackReminder: 10 * matching.Day, FeedbackGiveUp: 30 * matching.Day}
	if m.DB.Workflow != want {
		t.Errorf("store workflow periods = %+v, want %+v", m.DB.Workflow, want)
	}
}
