package main

import (
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
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
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{DataDir: "./var", Addr: "127.0.0.1:8080", LogLevel: "info", LogFormat: "text"}
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
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, fmt.Errorf("INCONTRO_LOG_LEVEL (--log-level) %q must be debug, info, warn or error", s)
	}
	return l, nil
}
