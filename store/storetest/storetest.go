// Package storetest gives tests a fresh, migrated PostgreSQL database each.
//
// A test package that needs PostgreSQL calls Main from its TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
//
// and each test takes its own database with MustDB (or MustURL, for
// end-to-end tests that start the whole program).
//
// With TEST_DATABASE_URL set, databases are created on that server (the URL's
// user needs the CREATEDB privilege). Otherwise, on the first MustDB/MustURL
// call, a private cluster (package pgcluster, durability off for speed) is
// started in a fresh temporary directory, listening only on a unix socket.
// That directory is made in $STORETEST_TMPDIR when set, else in /dev/shm
// when it is a RAM file system with at least 2 GiB free (database clones
// are an order of magnitude quicker there than on a disk), else in
// os.TempDir().
// In both cases one template database is created and migrated once, and
// every test database is a clone of it (CREATE DATABASE ... TEMPLATE), which
// is much quicker than migrating each one. Main removes everything when the
// tests are done; should the test process die before that (a -timeout panic,
// a kill), a small watchdog process stops the private cluster and removes its
// directory.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"incontro/migrations"
	"incontro/store/pgcluster"
)

// EnvURL names the environment variable that points the tests at an existing
// PostgreSQL server instead of a private cluster.
const EnvURL = "TEST_DATABASE_URL"

// EnvDir names the environment variable that sets the directory in which
// the private cluster's temporary directory is created.
const EnvDir = "STORETEST_TMPDIR"

const setupTimeout = 3 * time.Minute

var (
	mainRan  atomic.Bool
	setupMu  sync.Mutex
	current  *environment
	setupErr error
	counter  atomic.Int64
)

// environment is the database server the tests of this process use.
type environment struct {
	admin     *sql.DB // maintenance database, never the template
	template  string
	prefix    string // of the databases this process creates
	urlFor    func(dbname string) string
	forceDrop bool // server has DROP DATABASE ... WITH (FORCE) (13+)
	fileCopy  bool // clone with STRATEGY FILE_COPY (15+)

	cloneMu sync.Mutex

	// Private cluster only.
	cluster  *pgcluster.Cluster
	tmpDir   string
	watchdog *exec.Cmd
	wdStdin  io.WriteCloser
}

// Main runs the tests of a package that uses MustDB or MustURL and then
// removes the databases (or the private cluster) it created; call it from
// TestMain as os.Exit(storetest.Main(m)).
func Main(m *testing.M) int {
	mainRan.Store(true)
	code := m.Run()
	setupMu.Lock()
	defer setupMu.Unlock()
	if current != nil {
		if err := current.teardown(); err != nil {
			fmt.Fprintf(os.Stderr, "storetest: cleaning up: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
		current = nil
	}
	return code
}

// MustDB returns a fresh database, migrated to the newest schema and used by
// this test alone; it is closed and dropped when the test ends. Safe to call
// from parallel tests.
func MustDB(tb testing.TB) *sqlx.DB {
	tb.Helper()
	u := MustURL(tb)
	db, err := sqlx.Open("postgres", u)
	if err != nil {
		tb.Fatalf("storetest: open test database: %v", err)
	}
	// Registered after MustURL's drop, so it runs before it.
	tb.Cleanup(func() { _ = db.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		tb.Fatalf("storetest: connect to test database: %v", err)
	}
	return db
}

// MustURL creates a fresh, migrated database like MustDB and returns its
// lib/pq connection URL (for tests that start the whole program); it is
// dropped when the test ends, connections still open to it included.
func MustURL(tb testing.TB) string {
	tb.Helper()
	env, err := environmentFor()
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	name := fmt.Sprintf("%s_%d", env.prefix, counter.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := env.clone(ctx, name); err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := env.drop(ctx, name); err != nil {
			tb.Errorf("storetest: %v", err)
		}
	})
	return env.urlFor(name)
}

// environmentFor sets the database server up on first use.
func environmentFor() (*environment, error) {
	if !mainRan.Load() {
		return nil, errors.New("storetest.Main has not run: add " +
			"`func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }` to this package's tests")
	}
	setupMu.Lock()
	defer setupMu.Unlock()
	if current != nil || setupErr != nil {
		return current, setupErr
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	current, setupErr = setup(ctx)
	return current, setupErr
}

func setup(ctx context.Context) (*environment, error) {
	suffix, err := randomSuffix()
	if err != nil {
		return nil, err
	}
	env := &environment{prefix: "incontro_test_" + suffix, template: "incontro_template_" + suffix}
	if u := os.Getenv(EnvURL); u != "" {
		env.urlFor = func(dbname string) string { return withDatabase(u, dbname) }
		env.admin, err = sql.Open("postgres", u)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvURL, err)
		}
	} else if err := env.startCluster(ctx); err != nil {
		return nil, err
	}
	if err := env.prepare(ctx); err != nil {
		_ = env.teardown()
		return nil, err
	}
	return env, nil
}

func randomSuffix() (string, error) {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// withDatabase points a lib/pq URL or key=value connection string at dbname.
func withDatabase(conn, dbname string) string {
	if strings.HasPrefix(conn, "postgres://") || strings.HasPrefix(conn, "postgresql://") {
		if u, err := url.Parse(conn); err == nil {
			u.Path = "/" + dbname
			u.RawPath = ""
			return u.String()
		}
	}
	// In key=value strings the last setting of a key wins.
	return conn + " dbname='" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(dbname) + "'"
}

// startCluster starts the private cluster in a fresh temporary directory.
func (env *environment) startCluster(ctx context.Context) error {
	if _, err := pgcluster.FindBinaries(); err != nil {
		return fmt.Errorf("%w (or set %s to a server the tests may create databases on)", err, EnvURL)
	}
	dir, err := os.MkdirTemp(clusterParentDir(), "incontro-pg-")
	if err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	env.tmpDir = dir
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})).With("component", "storetest")
	c, err := pgcluster.Start(ctx, filepath.Join(dir, "data"), logger, pgcluster.WithoutDurability())
	if err != nil {
		_ = os.RemoveAll(dir)
		return fmt.Errorf("start the private PostgreSQL cluster: %w", err)
	}
	env.cluster = c
	env.urlFor = c.URL
	env.startWatchdog(logger)
	env.admin, err = sql.Open("postgres", c.URL("postgres"))
	if err != nil {
		_ = env.teardown()
		return err
	}
	return nil
}

// clusterParentDir picks where the private cluster's directory goes: $EnvDir
// when set, else /dev/shm when it is a RAM file system with room to spare
// (cloning a database there takes a fraction of the time it takes on a
// disk), else the default temporary directory.
func clusterParentDir() string {
	if d := os.Getenv(EnvDir); d != "" {
		return d
	}
	const shm, tmpfsMagic, minFree = "/dev/shm", 0x01021994, 2 << 30
	var st syscall.Statfs_t
	if runtime.GOOS == "linux" && syscall.Statfs(shm, &st) == nil && int64(st.Type) == tmpfsMagic &&
		uint64(st.Bavail)*uint64(st.Bsize) >= minFree && syscall.Access(shm, 0o2|0o1) == nil {
		return shm
	}
	return ""
}

// watchdogScript waits for its stdin to reach end of file, which happens
// when the test process exits in any way, and then shuts the cluster down
// (SIGINT: fast shutdown) and removes its directories. On a normal exit Main
// has cleaned up already and kills the watchdog first.
const watchdogScript = `trap '' INT HUP
while read -r _; do :; done
pidfile="$1/postmaster.pid"
if [ -f "$pidfile" ]; then
	kill -INT "$(head -n 1 "$pidfile")" 2>/dev/null
	i=0
	while [ -f "$pidfile" ] && [ "$i" -lt 60 ]; do sleep 1; i=$((i + 1)); done
fi
rm -rf "$2"
if [ -n "$3" ]; then rm -rf "$3"; fi
`

// startWatchdog starts the process that cleans up after a test process that
// died without running Main's cleanup. Failing to start it is not fatal.
func (env *environment) startWatchdog(logger *slog.Logger) {
	socketDir := ""
	if sd := env.cluster.SocketDir(); !strings.HasPrefix(sd, env.tmpDir+string(filepath.Separator)) {
		socketDir = sd
	}
	cmd := exec.Command("/bin/sh", "-c", watchdogScript, "storetest-watchdog", env.cluster.Dir(), env.tmpDir, socketDir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // out of reach of the terminal's ^C
	stdin, err := cmd.StdinPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		logger.Warn("no watchdog: a killed test process will leave the PostgreSQL cluster running", "err", err)
		return
	}
	env.watchdog, env.wdStdin = cmd, stdin
}

// prepare checks the server and creates and migrates the template database.
func (env *environment) prepare(ctx context.Context) error {
	env.admin.SetMaxOpenConns(8)
	var version int
	if err := env.admin.QueryRowContext(ctx, "SELECT current_setting('server_version_num')::int").Scan(&version); err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	env.forceDrop = version >= 130000
	// FILE_COPY clones a small template quicker than the default WAL_LOG and
	// writes next to no WAL.
	env.fileCopy = version >= 150000
	if _, err := env.admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(env.template)); err != nil {
		return fmt.Errorf("create template database: %w", err)
	}
	tmpl, err := sql.Open("postgres", env.urlFor(env.template))
	if err != nil {
		return err
	}
	_, err = migrations.Apply(ctx, tmpl)
	// No session may stay connected to the template, or cloning it fails.
	if cerr := tmpl.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("migrate template database: %w", err)
	}
	// Nobody connects to the template from now on.
	if _, err := env.admin.ExecContext(ctx, "ALTER DATABASE "+pq.QuoteIdentifier(env.template)+" ALLOW_CONNECTIONS false"); err != nil {
		return fmt.Errorf("lock template database: %w", err)
	}
	return nil
}

// clone creates database name from the template; one clone at a time.
func (env *environment) clone(ctx context.Context, name string) error {
	env.cloneMu.Lock()
	defer env.cloneMu.Unlock()
	q := "CREATE DATABASE " + pq.QuoteIdentifier(name) + " TEMPLATE " + pq.QuoteIdentifier(env.template)
	if env.fileCopy {
		q += " STRATEGY FILE_COPY"
	}
	if _, err := env.admin.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("create test database %s: %w", name, err)
	}
	return nil
}

// drop removes database name, ending the sessions still connected to it.
func (env *environment) drop(ctx context.Context, name string) error {
	q := "DROP DATABASE IF EXISTS " + pq.QuoteIdentifier(name)
	if env.forceDrop {
		q += " WITH (FORCE)"
	} else if _, err := env.admin.ExecContext(ctx,
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name); err != nil {
		return fmt.Errorf("disconnect test database %s: %w", name, err)
	}
	if _, err := env.admin.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("drop test database %s: %w", name, err)
	}
	return nil
}

// teardown drops the template (external server) or stops the private
// cluster and removes its directory.
func (env *environment) teardown() error {
	var errs []error
	if env.admin != nil {
		if env.cluster == nil {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			if err := env.drop(ctx, env.template); err != nil {
				errs = append(errs, err)
			}
			cancel()
		}
		errs = append(errs, env.admin.Close())
	}
	if env.cluster != nil {
		if err := env.cluster.Stop(); err != nil {
			errs = append(errs, err) // keep the directory of a server still running
		} else {
			errs = append(errs, os.RemoveAll(env.tmpDir))
		}
	}
	if env.watchdog != nil {
		_ = env.watchdog.Process.Kill()
		_ = env.wdStdin.Close()
		_ = env.watchdog.Wait()
	}
	return errors.Join(errs...)
}
