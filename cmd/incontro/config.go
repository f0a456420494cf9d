package main

import (
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"incontro/matching"
)

// Config is the whole configuration of incontro: defaults, then the
// environment, then flags. It is validated before anything is opened.
type Config struct {
	// DatabaseURL is the PostgreSQL to use (DATABASE_URL). Empty: a private
	// cluster in DataDir/pg, started from the machine's PostgreSQL binaries.
	DatabaseURL string
	// DataDir holds the private cluster and the bleve index (INCONTRO_DATA_DIR).
	DataDir string
	// Addr is where serve listens (INCONTRO_ADDR).
	Addr string
	// LogLevel is debug, info, warn or error (INCONTRO_LOG_LEVEL).
	LogLevel string
	// LogFormat is text or json (INCONTRO_LOG_FORMAT).
	LogFormat string
	// Dev marks a development server (INCONTRO_DEV=1): the demo accounts'
	// shared password works from any address, not only from this machine.
	Dev bool
	// The periods of the request workflow, in days (whole numbers, read as
	// text like the other settings and checked by Validate):
	// AvailabilityDays is how long a confirmed availability holds for
	// presenting a candidate (INCONTRO_AVAILABILITY_DAYS, default 14);
	// FeedbackReminderDays how long after a presentation without feedback a
	// reminder is due (INCONTRO_FEEDBACK_REMINDER_DAYS, 15);
	// FeedbackGiveUpDays how long until the request is proposed for closing
	// as "no answer" (INCONTRO_FEEDBACK_GIVEUP_DAYS, 45).
	AvailabilityDays, FeedbackReminderDays, FeedbackGiveUpDays string
}

// workflowSettings names each workflow period's variable and flag, and the
// field of matching.WorkflowSettings it sets.
var workflowSettings = []struct {
	env, flag, field string
	days             func(c *Config) *string
	set              func(s *matching.WorkflowSettings, d time.Duration)
}{
	{"INCONTRO_AVAILABILITY_DAYS", "availability-days", "availability_validity",
		func(c *Config) *string { return &c.AvailabilityDays },
		func(s *matching.WorkflowSettings, d time.Duration) { s.AvailabilityValidity = d }},
	{"INCONTRO_FEEDBACK_REMINDER_DAYS", "feedback-reminder-days", "feedback_reminder",
		func(c *Config) *string { return &c.FeedbackReminderDays },
		func(s *matching.WorkflowSettings, d time.Duration) { s.FeedbackReminder = d }},
	{"INCONTRO_FEEDBACK_GIVEUP_DAYS", "feedback-giveup-days", "feedback_give_up",
		func(c *Config) *string { return &c.FeedbackGiveUpDays },
		func(s *matching.WorkflowSettings, d time.Duration) { s.FeedbackGiveUp = d }},
}

// maxWorkflowDays bounds every workflow period: ten years.
const maxWorkflowDays = 3650

// Workflow returns the workflow periods of the configuration, or an error
// naming the variable (and flag) of the first bad one.
func (c Config) Workflow() (matching.WorkflowSettings, error) {
	var s matching.WorkflowSettings
	for _, w := range workflowSettings {
		v := strings.TrimSpace(*w.days(&c))
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxWorkflowDays {
			return s, fmt.Errorf("%s (--%s) %q must be a whole number of days from 1 to %d", w.env, w.flag, v, maxWorkflowDays)
		}
		w.set(&s, time.Duration(n)*matching.Day)
	}
	if err := s.Validate(); err != nil {
		field := matching.ErrorField(err)
		for _, w := range workflowSettings {
			if w.field == field {
				return s, fmt.Errorf("%s (--%s): %s", w.env, w.flag, matching.ErrorMessage(err))
			}
		}
		return s, err
	}
	return s, nil
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{DataDir: "./var", Addr: "127.0.0.1:8080", LogLevel: "info", LogFormat: "text",
		AvailabilityDays: "14", FeedbackReminderDays: "15", FeedbackGiveUpDays: "45"}
}

// ConfigFromEnv returns the defaults overridden by the environment.
func ConfigFromEnv(getenv func(string) string) Config {
	c := DefaultConfig()
	set := func(dst *string, key string) {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			*dst = v
		}
	}
	set(&c.DatabaseURL, "DATABASE_URL")
	set(&c.DataDir, "INCONTRO_DATA_DIR")
	set(&c.Addr, "INCONTRO_ADDR")
	set(&c.LogLevel, "INCONTRO_LOG_LEVEL")
	set(&c.LogFormat, "INCONTRO_LOG_FORMAT")
	for _, w := range workflowSettings {
		set(w.days(&c), w.env)
	}
	switch strings.ToLower(strings.TrimSpace(getenv("INCONTRO_DEV"))) {
	case "1", "true", "yes", "on":
		c.Dev = true
	}
	return c
}

// Validate names the first bad setting.
func (c Config) Validate() error {
	if strings.TrimSpace(c.DataDir) == "" {
		return fmt.Errorf("INCONTRO_DATA_DIR (--data-dir) must not be empty")
	}
	_, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("INCONTRO_ADDR (--addr) %q is not host:port: %v", c.Addr, err)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("INCONTRO_ADDR (--addr) %q has an invalid port", c.Addr)
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		return err
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("INCONTRO_LOG_FORMAT (--log-format) %q must be text or json", c.LogFormat)
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") && !strings.Contains(c.DatabaseURL, "=") {
		return fmt.Errorf("DATABASE_URL (--database-url) must be a postgres:// URL or a key=value connection string")
	}
	if _, err := c.Workflow(); err != nil {
		return err
	}
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, fmt.Errorf("INCONTRO_LOG_LEVEL (--log-level) %q must be debug, info, warn or error", s)
	}
	return l, nil
}
