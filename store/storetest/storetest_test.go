package storetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"incontro/migrations"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// assertMigrated checks that db carries the goose version table and the
// newest schema version.
func assertMigrated(t *testing.T, db *sqlx.DB) {
	t.Helper()
	var hasTable bool
	if err := db.Get(&hasTable, "SELECT to_regclass('goose_db_version') IS NOT NULL"); err != nil {
		t.Fatal(err)
	}
	if !hasTable {
		t.Fatal("goose_db_version table missing: database not migrated")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cur, latest, err := migrations.Status(ctx, db.DB)
	if err != nil {
		t.Fatalf("migrations.Status: %v", err)
	}
	if latest == 0 || cur != latest {
		t.Fatalf("schema version %d, want the newest %d", cur, latest)
	}
}

func currentDatabase(t *testing.T, db *sqlx.DB) string {
	t.Helper()
	var name string
	if err := db.Get(&name, "SELECT current_database()"); err != nil {
		t.Fatal(err)
	}
	return name
}

// databaseExists looks name up from a connection of db's server.
func databaseExists(t *testing.T, db *sqlx.DB, name string) bool {
	t.Helper()
	var n int
	if err := db.Get(&n, "SELECT count(*) FROM pg_database WHERE datname = $1", name); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

func TestMustDBGivesDistinctMigratedDatabases(t *testing.T) {
	begin := time.Now()
	a := MustDB(t)
	t.Logf("first MustDB (includes any cluster start and template migration): %v", time.Since(begin).Round(time.Millisecond))
	begin = time.Now()
	b := MustDB(t)
	t.Logf("second MustDB (a clone): %v", time.Since(begin).Round(time.Millisecond))

	nameA, nameB := currentDatabase(t, a), currentDatabase(t, b)
	if nameA == nameB {
		t.Fatalf("both MustDB calls gave database %q", nameA)
	}
	assertMigrated(t, a)
	assertMigrated(t, b)

	if _, err := a.Exec("CREATE TABLE only_in_a (v int)"); err != nil {
		t.Fatal(err)
	}
	var inB bool
	if err := b.Get(&inB, "SELECT to_regclass('only_in_a') IS NOT NULL"); err != nil {
		t.Fatal(err)
	}
	if inB {
		t.Error("a table created in one test database shows up in the other")
	}
}

func TestMustDBParallel(t *testing.T) {
	const n = 8
	var mu sync.Mutex
	names := map[string]bool{}
	t.Run("group", func(t *testing.T) {
		for i := range n {
			t.Run(fmt.Sprintf("db%d", i), func(t *testing.T) {
				t.Parallel()
				db := MustDB(t)
				assertMigrated(t, db)
				if _, err := db.Exec("CREATE TABLE mine (v int)"); err != nil {
					t.Fatal(err)
				}
				if _, err := db.Exec("INSERT INTO mine VALUES ($1)", i); err != nil {
					t.Fatal(err)
				}
				var got []int
				if err := db.Select(&got, "SELECT v FROM mine"); err != nil {
					t.Fatal(err)
				}
				if len(got) != 1 || got[0] != i {
					t.Errorf("rows in this test's database: %v, want [%d]", got, i)
				}
				mu.Lock()
				names[currentDatabase(t, db)] = true
				mu.Unlock()
			})
		}
	})
	if len(names) != n {
		t.Fatalf("%d parallel MustDB calls gave %d distinct databases", n, len(names))
	}
	probe := MustDB(t)
	for name := range names {
		if databaseExists(t, probe, name) {
			t.Errorf("database %s still exists after its test ended", name)
		}
	}
}

func TestMustURL(t *testing.T) {
	var name string
	t.Run("e2e", func(t *testing.T) {
		u := MustURL(t)
		if !strings.HasPrefix(u, "postgres://") {
			t.Errorf("MustURL = %q, want a postgres:// URL", u)
		}
		db, err := sqlx.Open("postgres", u)
		if err != nil {
			t.Fatal(err)
		}
		// Deliberately left open, as a program under test might: the
		// database must be dropped all the same.
		name = currentDatabase(t, db)
		assertMigrated(t, db)
	})
	if name == "" {
		t.Fatal("no database name recorded")
	}
	if databaseExists(t, MustDB(t), name) {
		t.Errorf("database %s of MustURL still exists after its test ended", name)
	}
}

func TestWithoutMain(t *testing.T) {
	// Not parallel: parallel tests only resume once this one is over.
	mainRan.Store(false)
	defer mainRan.Store(true)
	_, err := environmentFor()
	if err == nil {
		t.Fatal("no error without Main")
	}
	if !strings.Contains(err.Error(), "func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }") {
		t.Errorf("error does not tell how to fix it: %v", err)
	}
}

func TestWithDatabase(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://u:p@db.example:5432/main?sslmode=disable", "postgres://u:p@db.example:5432/other?sslmode=disable"},
		{"postgresql://u@/main?host=%2Ftmp%2Fpg", "postgresql://u@/other?host=%2Ftmp%2Fpg"},
		{"host=/tmp/pg dbname=main", "host=/tmp/pg dbname=main dbname='other'"},
	} {
		if got := withDatabase(tc.in, "other"); got != tc.want {
			t.Errorf("withDatabase(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestWatchdogCleansUpAfterKilledProcess kills a test process that has a
// private cluster running and checks that the watchdog stops the cluster and
// removes its directory.
func TestWatchdogCleansUpAfterKilledProcess(t *testing.T) {
	const childEnv = "STORETEST_WATCHDOG_CHILD"
	if os.Getenv(childEnv) == "1" {
		env, err := environmentFor()
		if err != nil {
			t.Fatal(err)
		}
		pf, err := os.ReadFile(filepath.Join(env.cluster.Dir(), "postmaster.pid"))
		if err != nil {
			t.Fatal(err)
		}
		pid, _, _ := strings.Cut(string(pf), "\n")
		fmt.Printf("\nTMPDIR=%s\nPID=%s\n", env.tmpDir, pid)
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestWatchdogCleansUpAfterKilledProcess$", "-test.count=1")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, EnvURL+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, childEnv+"=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err == nil {
		t.Fatalf("child test process was not killed; output:\n%s", out)
	}
	var tmpDir string
	var pid int
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "TMPDIR="); ok {
			tmpDir = v
		}
		if v, ok := strings.CutPrefix(line, "PID="); ok {
			pid, _ = strconv.Atoi(v)
		}
	}
	if tmpDir == "" || pid == 0 {
		t.Fatalf("child did not report its cluster (%v); stdout:\n%s\nstderr:\n%s", err, out, stderr.String())
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		_, statErr := os.Stat(tmpDir)
		if errors.Is(statErr, os.ErrNotExist) && processGone(pid) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("90s after the test process died: cluster dir %s stat=%v, postmaster %d gone=%v",
				tmpDir, statErr, pid, processGone(pid))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestExternalServer runs some of these tests in a child process pointed at
// a server with TEST_DATABASE_URL (this process's own server), and checks
// that they pass and leave no database behind.
func TestExternalServer(t *testing.T) {
	env, err := environmentFor()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^(TestMustDBGivesDistinctMigratedDatabases|TestMustURL)$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), EnvURL+"="+env.urlFor("postgres"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tests against %s=%s: %v\n%s", EnvURL, env.urlFor("postgres"), err, out)
	}
	if got := strings.Count(string(out), "--- PASS"); got < 3 {
		t.Fatalf("expected 3 passing tests in the child, got %d:\n%s", got, out)
	}
	if strings.Contains(string(out), "started PostgreSQL") {
		t.Errorf("child started a private cluster although %s was set:\n%s", EnvURL, out)
	}
	db := MustDB(t)
	var left []string
	if err := db.Select(&left, `SELECT datname FROM pg_database
		WHERE (datname LIKE 'incontro\_test\_%' OR datname LIKE 'incontro\_template\_%')
		AND datname NOT LIKE $1 AND datname <> $2`, env.prefix+"\\_%", env.template); err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("the child left databases behind: %v", left)
	}
}

// processGone reports whether pid has exited (a zombie nobody reaps counts).
func processGone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && (s[i+2] == 'Z' || s[i+2] == 'X')
}

// BenchmarkClone measures the cloning of the template that MustDB does.
func BenchmarkClone(b *testing.B) {
	env, err := environmentFor()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		name := fmt.Sprintf("%s_bench_%d", env.prefix, counter.Add(1))
		if err := env.clone(ctx, name); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := env.drop(ctx, name); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
