package pgcluster_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"

	"incontro/store/pgcluster"
)

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func startCluster(t *testing.T, dir string, opts ...pgcluster.Option) *pgcluster.Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	begin := time.Now()
	c, err := pgcluster.Start(ctx, dir, testLogger(t), opts...)
	if err != nil {
		t.Fatalf("Start(%s): %v", dir, err)
	}
	t.Logf("Start took %v (started=%v)", time.Since(begin).Round(time.Millisecond), c.Started())
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("Stop at cleanup: %v", err)
		}
	})
	return c
}

func connect(t *testing.T, url string) *sqlx.DB {
	t.Helper()
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	return db
}

func queryString(t *testing.T, db *sqlx.DB, query string) string {
	t.Helper()
	var s string
	if err := db.Get(&s, query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return s
}

func postmasterPID(t *testing.T, dir string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		t.Fatalf("read postmaster.pid: %v", err)
	}
	pid, err := strconv.Atoi(strings.SplitN(string(data), "\n", 2)[0])
	if err != nil {
		t.Fatalf("postmaster.pid: %v", err)
	}
	return pid
}

// gone reports whether pid no longer runs (or is a zombie nobody reaps).
func gone(pid int) bool {
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

func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !gone(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still running", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestFindBinaries(t *testing.T) {
	dir, err := pgcluster.FindBinaries()
	if err != nil {
		t.Fatalf("FindBinaries: %v", err)
	}
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s in %s: %v", name, dir, err)
		}
		if st.Mode().Perm()&0o111 == 0 {
			t.Errorf("%s in %s is not executable", name, dir)
		}
	}
	if !strings.Contains(pgcluster.ErrNoBinaries.Error(), "install PostgreSQL server binaries") {
		t.Errorf("ErrNoBinaries does not say what to install: %v", pgcluster.ErrNoBinaries)
	}
}

func TestStartConnectReuseStop(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	c := startCluster(t, dir, pgcluster.WithoutDurability(), pgcluster.WithSharedBuffers("48MB"))
	if !c.Started() {
		t.Fatal("Started() = false for a cluster this process created")
	}
	if c.SocketDir() != dir {
		t.Errorf("SocketDir() = %q, want the data directory %q", c.SocketDir(), dir)
	}
	if st, err := os.Stat(filepath.Join(dir, ".s.PGSQL.5432")); err != nil || st.Mode()&os.ModeSocket == 0 {
		t.Fatalf("no unix socket in the data directory: %v", err)
	}
	url := c.URL("postgres")
	if !strings.HasPrefix(url, "postgres://"+pgcluster.SuperUser+"@/postgres?") {
		t.Errorf("URL = %q", url)
	}

	db := connect(t, url)
	if got := queryString(t, db, "SELECT current_user"); got != pgcluster.SuperUser {
		t.Errorf("current_user = %q, want %q", got, pgcluster.SuperUser)
	}
	if got := queryString(t, db, "SHOW listen_addresses"); got != "" {
		t.Errorf("listen_addresses = %q, want empty (no TCP)", got)
	}
	if got := queryString(t, db, "SHOW unix_socket_directories"); got != dir {
		t.Errorf("unix_socket_directories = %q, want %q", got, dir)
	}
	if got := queryString(t, db, "SELECT coalesce(inet_server_addr()::text, 'unix')"); got != "unix" {
		t.Errorf("connected through %q, want the unix socket", got)
	}
	if got := queryString(t, db, "SHOW fsync"); got != "off" {
		t.Errorf("fsync = %q with WithoutDurability", got)
	}
	if got := queryString(t, db, "SHOW shared_buffers"); got != "48MB" {
		t.Errorf("shared_buffers = %q with WithSharedBuffers(48MB)", got)
	}
	if got := queryString(t, db, "SHOW server_encoding"); got != "UTF8" {
		t.Errorf("server_encoding = %q", got)
	}

	ctx := context.Background()
	for i := range 2 {
		if err := c.EnsureDatabase(ctx, "app-db"); err != nil {
			t.Fatalf("EnsureDatabase #%d: %v", i+1, err)
		}
	}
	var n int
	if err := db.Get(&n, "SELECT count(*) FROM pg_database WHERE datname = 'app-db'"); err != nil || n != 1 {
		t.Fatalf("databases named app-db: %d (%v), want 1", n, err)
	}
	appDB := connect(t, c.URL("app-db"))
	if got := queryString(t, appDB, "SELECT current_database()"); got != "app-db" {
		t.Errorf("current_database() = %q", got)
	}
	if _, err := appDB.Exec("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('hello')"); err != nil {
		t.Fatal(err)
	}

	// Starting again on the same directory reuses the running server.
	pid := postmasterPID(t, dir)
	again := startCluster(t, dir, pgcluster.WithoutDurability())
	if again.Started() {
		t.Error("second Start on a running cluster: Started() = true, want false (reused)")
	}
	if got := postmasterPID(t, dir); got != pid {
		t.Errorf("postmaster pid changed from %d to %d: the server was restarted, not reused", pid, got)
	}
	if got := queryString(t, connect(t, again.URL("app-db")), "SELECT v FROM kept"); got != "hello" {
		t.Errorf("reused cluster: kept = %q", got)
	}
	// Stopping the reusing handle leaves the server running.
	if err := again.Stop(); err != nil {
		t.Fatalf("Stop on reused cluster: %v", err)
	}
	if err := db.Ping(); err != nil {
		t.Fatalf("server went away after Stop of a reusing handle: %v", err)
	}

	_ = db.Close()
	_ = appDB.Close()
	if err := c.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := c.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("postmaster.pid still there after Stop: %v", err)
	}
	waitGone(t, pid)

	// A stopped cluster starts again with its data.
	restarted := startCluster(t, dir, pgcluster.WithoutDurability())
	if !restarted.Started() {
		t.Error("Start after Stop: Started() = false")
	}
	if got := queryString(t, connect(t, restarted.URL("app-db")), "SELECT v FROM kept"); got != "hello" {
		t.Errorf("after restart: kept = %q", got)
	}
}

func TestStartAfterCrash(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	c := startCluster(t, dir) // durable settings: committed data must survive kill -9
	db := connect(t, c.URL("postgres"))
	if got := queryString(t, db, "SHOW fsync"); got != "on" {
		t.Errorf("fsync = %q, want on by default", got)
	}
	if _, err := db.Exec("CREATE TABLE survivor (v text); INSERT INTO survivor VALUES ('still here')"); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()

	pid := postmasterPID(t, dir)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 %d: %v", pid, err)
	}
	waitGone(t, pid)
	if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); err != nil {
		t.Fatalf("expected the crash to leave postmaster.pid behind: %v", err)
	}

	after := startCluster(t, dir)
	if !after.Started() {
		t.Fatal("Start after a crash reused the dead server (Started() = false)")
	}
	if got := postmasterPID(t, dir); got == pid {
		t.Errorf("postmaster pid still %d after restart", got)
	}
	if got := queryString(t, connect(t, after.URL("postgres")), "SELECT v FROM survivor"); got != "still here" {
		t.Errorf("after crash recovery: survivor = %q", got)
	}
	// Stopping the crashed handle must neither fail nor stop the new server.
	if err := c.Stop(); err != nil {
		t.Errorf("Stop of the crashed handle: %v", err)
	}
	if got := queryString(t, connect(t, after.URL("postgres")), "SELECT 'up'"); got != "up" {
		t.Errorf("new server after Stop of the crashed handle: %q", got)
	}
}

func TestStalePidFileOfAnotherProcess(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	c := startCluster(t, dir, pgcluster.WithoutDurability())
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	// After a crash and a reboot, the pid in postmaster.pid may belong to an
	// unrelated live process: PostgreSQL would refuse to start over it.
	pidFile := filepath.Join(dir, "postmaster.pid")
	stale := strconv.Itoa(os.Getpid()) + "\n" + dir + "\n0\n5432\n" + dir + "\n\n" + "  5432001   999999999\nready   \n"
	if err := os.WriteFile(pidFile, []byte(stale), 0o600); err != nil {
		t.Fatal(err)
	}
	again := startCluster(t, dir, pgcluster.WithoutDurability())
	if !again.Started() {
		t.Fatal("Start over a stale postmaster.pid reused it (Started() = false)")
	}
	if pid := postmasterPID(t, dir); pid == os.Getpid() {
		t.Fatal("postmaster.pid still names the test process")
	}
	connect(t, again.URL("postgres"))
}

func TestLongDataDirectoryPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for len(filepath.Join(dir, ".s.PGSQL.5432")) <= 110 {
		dir = filepath.Join(dir, "a-rather-long-directory-name")
	}
	c := startCluster(t, dir, pgcluster.WithoutDurability())
	sock := c.SocketDir()
	if sock == dir {
		t.Fatalf("socket put in the data directory %q although its path is too long", dir)
	}
	if !strings.HasPrefix(sock, os.TempDir()) {
		t.Errorf("socket directory %q is not under os.TempDir() %q", sock, os.TempDir())
	}
	db := connect(t, c.URL("postgres"))
	if got := queryString(t, db, "SHOW unix_socket_directories"); got != sock {
		t.Errorf("unix_socket_directories = %q, want %q", got, sock)
	}
	_ = db.Close()
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket directory %s not removed by Stop: %v", sock, err)
	}
}
