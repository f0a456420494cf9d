package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"

	"incontro/store"
	"incontro/store/storetest"
)

// runAsCommand, set in a child's environment, makes the test binary behave
// as the incontro command, so that tests can start and kill -9 real servers.
const runAsCommand = "INCONTRO_TEST_RUN_AS_COMMAND"

func TestMain(m *testing.M) {
	if os.Getenv(runAsCommand) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := Run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(storetest.Main(m))
}

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func run(t *testing.T, getenv func(string) string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, getenv, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestConfigErrorsNameTheSetting(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"a bad address", map[string]string{"INCONTRO_ADDR": "nowhere"}, []string{"version"}, "INCONTRO_ADDR"},
		{"a bad port", map[string]string{"INCONTRO_ADDR": "127.0.0.1:99999"}, []string{"version"}, "INCONTRO_ADDR"},
		{"a bad log level", map[string]string{"INCONTRO_LOG_LEVEL": "loud"}, []string{"version"}, "INCONTRO_LOG_LEVEL"},
		{"a bad log format", nil, []string{"--log-format", "xml", "version"}, "INCONTRO_LOG_FORMAT"},
		{"an empty data directory", nil, []string{"--data-dir", " ", "version"}, "INCONTRO_DATA_DIR"},
		{"a database URL that is not one", map[string]string{"DATABASE_URL": "mysql-server"}, []string{"version"}, "DATABASE_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, env(tt.env), tt.args...)
			if code == 0 || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want a failure naming %s", code, stderr, tt.want)
			}
		})
	}
}

func TestFlagsOverrideTheEnvironment(t *testing.T) {
	cfg := ConfigFromEnv(env(map[string]string{"INCONTRO_ADDR": "127.0.0.1:1", "INCONTRO_DATA_DIR": "/srv/incontro"}))
	if cfg.Addr != "127.0.0.1:1" || cfg.DataDir != "/srv/incontro" || cfg.LogLevel != "info" {
		t.Fatalf("config from environment = %+v", cfg)
	}
	code, _, stderr := run(t, env(map[string]string{"INCONTRO_LOG_LEVEL": "loud"}), "--log-level", "debug", "version")
	if code != 0 {
		t.Fatalf("a flag did not override a bad environment value: %s", stderr)
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, cmd := range []string{"serve", "migrate", "seed", "version"} {
		code, stdout, _ := run(t, env(nil), cmd, "--help")
		if code != 0 || !strings.Contains(stdout, "incontro "+cmd) {
			t.Errorf("%s --help: exit %d, output %q", cmd, code, stdout)
		}
	}
}

func TestMigrateTwiceChangesNothingTheSecondTime(t *testing.T) {
	url := storetest.MustURL(t)
	e := env(map[string]string{"DATABASE_URL": url})
	code, out, stderr := run(t, e, "migrate")
	if code != 0 || !strings.Contains(out, "schema is current") {
		// the template database is migrated already
		t.Fatalf("first migrate: exit %d, %q %q", code, out, stderr)
	}
	code, out, _ = run(t, e, "migrate")
	if code != 0 || !strings.Contains(out, "nothing to apply") {
		t.Fatalf("second migrate: exit %d, %q", code, out)
	}
}

func TestSeedIsRefusedOnADatabaseWithData(t *testing.T) {
	url := storetest.MustURL(t)
	e := env(map[string]string{"DATABASE_URL": url})
	code, out, stderr := run(t, e, "seed", "--candidates", "100", "--as-of", "2026-11-25")
	if code != 0 || !strings.Contains(out, "100 candidates") || !strings.Contains(out, "candidates/s") {
		t.Fatalf("seed: exit %d, %q %q", code, out, stderr)
	}
	if !strings.Contains(out, "admin@example.org") {
		t.Errorf("seed does not print the demo logins: %q", out)
	}
	demoAccountsHaveWorkToShow(t, url, out)
	code, out, _ = run(t, e, "seed", "--candidates", "100", "--if-empty")
	if code != 0 || !strings.Contains(out, "not seeding") {
		t.Fatalf("seed --if-empty on a full database: exit %d, %q", code, out)
	}
	code, _, stderr = run(t, e, "seed", "--candidates", "100")
	if code == 0 || !strings.Contains(stderr, "--reset") {
		t.Fatalf("seed on a full database should fail and point to --reset: exit %d, %q", code, stderr)
	}
	code, _, stderr = run(t, e, "seed", "--as-of", "yesterday")
	if code == 0 || !strings.Contains(stderr, "--as-of") {
		t.Fatalf("a bad --as-of: exit %d, %q", code, stderr)
	}
}

func TestServeAnswersHealthReadinessMetricsAndHome(t *testing.T) {
	cfg := DefaultConfig()
	cfg.DatabaseURL = storetest.MustURL(t)
	cfg.DataDir = t.TempDir()
	cfg.Addr = "127.0.0.1:0"
	m, err := NewMain(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()

	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(m.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz = %d", code)
	}
	code, body := get("/readyz")
	var ready struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	if err := json.Unmarshal([]byte(body), &ready); err != nil || code != 200 {
		t.Fatalf("/readyz = %d %s", code, body)
	}
	for _, check := range []string{"database", "schema", "index"} {
		if ready.Checks[check] != "ok" {
			t.Errorf("readiness check %s = %q", check, ready.Checks[check])
		}
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, "Candidati") {
		t.Errorf("home page = %d", code)
	}
	if code, _ := get("/metrics"); code != http.StatusUnauthorized {
		t.Errorf("/metrics without a token = %d, want 401", code)
	}

	// Once the database is gone the service says it is not ready.
	if err := m.DB.Close(); err != nil {
		t.Fatal(err)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "database") {
		t.Errorf("/readyz with the database closed = %d %s", code, body)
	}
}

func TestUserAddCreatesStaffAccounts(t *testing.T) {
	url := storetest.MustURL(t)
	e := env(map[string]string{"DATABASE_URL": url})
	if code, _, stderr := run(t, e, "seed", "--candidates", "100"); code != 0 {
		t.Fatalf("seed: %s", stderr)
	}
	code, out, stderr := run(t, e, "user", "add", "--email", "Nuova.Operatrice@example.org", "--name", "Nuova Operatrice", "--role", "operator", "--provider", "cpi-trento")
	if code != 0 || !strings.Contains(out, "created operator nuova.operatrice@example.org") || !strings.Contains(out, "password (shown only now): ") {
		t.Fatalf("user add: exit %d, %q %q", code, out, stderr)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"an operator without a provider", []string{"--email", "a@example.org", "--name", "A", "--role", "operator"}, "--provider"},
		{"an unknown provider", []string{"--email", "a@example.org", "--name", "A", "--role", "operator", "--provider", "nessuno"}, "no provider has the code"},
		{"a jobseeker", []string{"--email", "a@example.org", "--name", "A", "--role", "jobseeker"}, "sign up themselves"},
		{"an address already taken", []string{"--email", "nuova.operatrice@example.org", "--name", "B", "--role", "monitor"}, "email"},
		{"a missing name", []string{"--email", "a@example.org", "--role", "admin"}, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, e, append([]string{"user", "add"}, tt.args...)...)
			if code == 0 || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want a failure mentioning %q", code, stderr, tt.want)
			}
		})
	}
	var out2, errb bytes.Buffer
	code = Run(context.Background(), []string{"user", "add", "--email", "m@example.org", "--name", "M", "--role", "monitor", "--password-stdin"},
		e, strings.NewReader("123456789012\n"), &out2, &errb)
	if code == 0 || !strings.Contains(errb.String(), "password") {
		t.Fatalf("a common password from stdin: exit %d, %q", code, errb.String())
	}
}

// demoAccountsHaveWorkToShow checks that the employer and the jobseeker
// that seed prints have something to do on their pages: a presented
// shortlist to answer, an availability question to answer.
func demoAccountsHaveWorkToShow(t *testing.T, url, out string) {
	t.Helper()
	printed := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && strings.Contains(f[1], "@") {
			printed[f[0]] = f[1]
		}
	}
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	emp, err := db.UserByEmail(ctx, printed["employer"])
	if err != nil || emp.EmployerID == nil {
		t.Fatalf("the printed employer %q: %+v %v", printed["employer"], emp, err)
	}
	reqs, _, err := db.Requests(ctx, store.RequestFilter{EmployerID: *emp.EmployerID, State: "open"})
	if err != nil {
		t.Fatal(err)
	}
	presented := false
	for _, r := range reqs {
		if _, err := db.LatestPresentedShortlist(ctx, r.ID); err == nil {
			presented = true
		}
	}
	if !presented {
		t.Errorf("the printed employer %s has no open request with a presented shortlist", emp.Email)
	}
	js, err := db.UserByEmail(ctx, printed["jobseeker"])
	if err != nil || js.CandidateID == nil {
		t.Fatalf("the printed jobseeker %q: %+v %v", printed["jobseeker"], js, err)
	}
	qs, err := db.AvailabilityQuestions(ctx, *js.CandidateID)
	if err != nil {
		t.Fatal(err)
	}
	open := 0
	for _, q := range qs {
		if q.Open {
			open++
		}
	}
	if open == 0 {
		t.Errorf("the printed jobseeker %s has no availability question to answer (%d in all)", js.Email, len(qs))
	}
}
