// Package pgcluster runs a private PostgreSQL cluster for incontro from the
// machine's PostgreSQL server binaries (initdb, pg_ctl, postgres).
//
// The cluster lives in a data directory of its own and listens only on a unix
// socket (listen_addresses is empty), never on a TCP port, so it cannot clash
// with, or be reached through, any other PostgreSQL server on the machine.
// Clients connect as the trusted superuser [SuperUser] with the URL returned
// by [Cluster.URL].
//
// The socket is created inside the data directory whenever its path fits the
// unix socket path limit (107 bytes on Linux, 103 elsewhere). When the data
// directory's path is too long for that, the socket is put in a short private
// directory created under os.TempDir() (owned by the user the server runs
// as), a log line says so, and [Cluster.Stop] removes that directory.
//
// PostgreSQL refuses to run as root. When the process runs as root, the
// server binaries are run as the unprivileged "postgres" system user (which
// Debian's postgresql package creates): the data directory is chowned to that
// user, and every ancestor directory that user could not traverse gets o+x
// (and only that), with an info log line naming it.
//
// Start reuses a server that is already running on the data directory (it
// then leaves it running on Stop), recognises a postmaster.pid left behind by
// a crash, and otherwise starts the server with pg_ctl.
package pgcluster

import (
	"bufio"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/lib/pq"
)

// SuperUser is the name of the superuser initdb creates in the cluster.
const SuperUser = "incontro"

// ErrNoBinaries reports that the PostgreSQL server binaries were not found.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH, " +
	"in `pg_config --bindir` or under /usr/lib/postgresql/*/bin: " +
	"install PostgreSQL server binaries, e.g. Debian's `postgresql` package (apt-get install postgresql)")

const (
	// port only names the socket file (.s.PGSQL.5432): no TCP port is opened.
	port            = 5432
	logFileName     = "server.log"
	confFileName    = "incontro.conf"
	includeLine     = "include_if_exists = '" + confFileName + "'"
	clusterUserName = "postgres"
	pidFileName     = "postmaster.pid"
	versionFileName = "PG_VERSION"
	socketDirPrefix = "pgsock-"
)

var serverBinaries = []string{"initdb", "pg_ctl", "postgres"}

// FindBinaries returns the directory holding initdb, pg_ctl and postgres,
// looking on PATH, then in `pg_config --bindir`, then in the highest version
// under /usr/lib/postgresql/*/bin.
func FindBinaries() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if dir := filepath.Dir(p); hasServerBinaries(dir) {
			return absOrSelf(dir), nil
		}
	}
	if pgConfig, err := exec.LookPath("pg_config"); err == nil {
		if out, err := exec.Command(pgConfig, "--bindir").Output(); err == nil {
			if dir := strings.TrimSpace(string(out)); dir != "" && hasServerBinaries(dir) {
				return absOrSelf(dir), nil
			}
		}
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(matches, func(i, j int) bool {
		return versionLess(filepath.Base(filepath.Dir(matches[j])), filepath.Base(filepath.Dir(matches[i])))
	})
	for _, dir := range matches {
		if hasServerBinaries(dir) {
			return dir, nil
		}
	}
	return "", ErrNoBinaries
}

func absOrSelf(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

func hasServerBinaries(dir string) bool {
	for _, name := range serverBinaries {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || !st.Mode().IsRegular() || st.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

// versionLess orders PostgreSQL major version directory names ("9.6", "15")
// numerically, component by component.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return a < b
}

// Options tunes a cluster started by Start.
type Options struct {
	// Fast turns fsync, synchronous_commit and full_page_writes off and skips
	// initdb's sync: much quicker, but an OS crash may corrupt the cluster.
	// For tests only.
	Fast bool
	// StartTimeout bounds how long Start waits for the server to accept
	// connections; zero means one minute.
	StartTimeout time.Duration
	// SharedBuffers is PostgreSQL's shared_buffers; empty means 32MB, enough
	// for tests. The service asks for more (see WithSharedBuffers): a match
	// reads hundreds of random CVs, and what the buffers do not hold comes
	// through the operating system's cache at a higher cost.
	SharedBuffers string
}

// WithSharedBuffers sets shared_buffers, such as "256MB".
func WithSharedBuffers(size string) Option {
	return func(o *Options) { o.SharedBuffers = size }
}

// Option changes the Options of Start.
type Option func(*Options)

// WithoutDurability turns fsync, synchronous_commit and full_page_writes off
// (Options.Fast); meant for throw-away test clusters.
func WithoutDurability() Option {
	return func(o *Options) { o.Fast = true }
}

// WithStartTimeout sets how long Start waits for the server to come up.
func WithStartTimeout(d time.Duration) Option {
	return func(o *Options) { o.StartTimeout = d }
}

// Cluster is a private PostgreSQL cluster reachable through a unix socket.
type Cluster struct {
	dir          string
	bin          string
	socketDir    string
	ownSocketDir bool
	started      bool
	pid          int // postmaster pid, when started by this process
	runAs        *osUser
	logger       *slog.Logger

	mu      sync.Mutex
	stopped bool
}

// osUser is the unprivileged account the server binaries run as when this
// process is root.
type osUser struct {
	name   string
	home   string
	uid    uint32
	gid    uint32
	groups []uint32
}

// Start makes sure a PostgreSQL server runs on the data directory dir and
// returns once it accepts connections. It creates dir and the cluster in it
// when missing, reuses a server already running on it, and otherwise starts
// one with pg_ctl. A nil logger discards the log.
func Start(ctx context.Context, dir string, logger *slog.Logger, opts ...Option) (*Cluster, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	o := Options{StartTimeout: time.Minute}
	for _, opt := range opts {
		opt(&o)
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, o.StartTimeout)
	defer cancel()

	bin, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: data directory %q: %w", dir, err)
	}
	runAs, err := clusterUser()
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: abs, bin: bin, runAs: runAs, logger: logger.With("pgdata", abs)}

	if err := c.prepareDir(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(abs, versionFileName)); errors.Is(err, fs.ErrNotExist) {
		if err := c.initdb(ctx, o.Fast); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, fmt.Errorf("pgcluster: %w", err)
	}

	reused, err := c.reuseRunning(ctx)
	if err != nil {
		return nil, err
	}
	if reused {
		return c, nil
	}
	if err := c.start(ctx, o); err != nil {
		return nil, err
	}
	return c, nil
}

// Dir returns the cluster's data directory.
func (c *Cluster) Dir() string { return c.dir }

// SocketDir returns the directory holding the server's unix socket.
func (c *Cluster) SocketDir() string { return c.socketDir }

// Started reports whether this process started the server (and Stop will
// stop it); false when an already running server was reused.
func (c *Cluster) Started() bool { return c.started }

// URL returns a lib/pq connection URL for database dbname over the unix
// socket, as SuperUser.
func (c *Cluster) URL(dbname string) string {
	q := url.Values{}
	q.Set("host", c.socketDir)
	q.Set("port", strconv.Itoa(port))
	q.Set("sslmode", "disable")
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(SuperUser),
		Path:     "/" + dbname,
		RawQuery: q.Encode(),
	}
	return u.String()
}

// EnsureDatabase creates database name when it does not exist yet.
func (c *Cluster) EnsureDatabase(ctx context.Context, name string) error {
	db, err := sql.Open("postgres", c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	defer func() { _ = db.Close() }()
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("pgcluster: look up database %q: %w", name, err)
	}
	if exists {
		return nil
	}
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		var pqErr *pq.Error
		// 42P04 duplicate_database, 23505 unique_violation: someone else
		// created it between our check and our CREATE.
		if errors.As(err, &pqErr) && (pqErr.Code == "42P04" || pqErr.Code == "23505") {
			return nil
		}
		return fmt.Errorf("pgcluster: create database %q: %w", name, err)
	}
	c.logger.Info("created database", "database", name)
	return nil
}

// Stop shuts the server down (pg_ctl stop -m fast) when this process started
// it; it does nothing for a reused server, nor once it has succeeded.
func (c *Cluster) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || !c.started {
		c.stopped = true
		return nil
	}
	if pf, _ := readPidFile(c.dir); pf == nil || pf.pid != c.pid || !isAlive(pf.pid, c.dir) {
		// It crashed or was stopped by someone else; a server running there
		// now is not ours to stop.
		c.logger.Info("the PostgreSQL server this process started is not running any more", "pid", c.pid)
	} else {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		out, err := c.command(ctx, "pg_ctl", "stop", "-D", c.dir, "-m", "fast", "-w", "-t", "90").CombinedOutput()
		if err != nil {
			if pf, _ := readPidFile(c.dir); pf != nil && isAlive(pf.pid, c.dir) {
				return fmt.Errorf("pgcluster: pg_ctl stop: %w: %s", err, strings.TrimSpace(string(out)))
			}
		}
		c.logger.Info("stopped PostgreSQL", "pid", c.pid)
	}
	c.stopped = true
	if c.ownSocketDir {
		if err := os.RemoveAll(c.socketDir); err != nil {
			return fmt.Errorf("pgcluster: remove socket directory: %w", err)
		}
	}
	return nil
}

// clusterUser returns the account to run the server binaries as: nil (this
// process's own) unless running as root, when it is the "postgres" user.
func clusterUser() (*osUser, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(clusterUserName)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: running as root, and PostgreSQL refuses to run as root: "+
			"it must run as the unprivileged %q system user, which does not exist here (%v); "+
			"install Debian's `postgresql` package (it creates the user) or create the user, or run as a non-root user",
			clusterUserName, err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("pgcluster: user %q has a non-numeric uid/gid %q/%q", clusterUserName, u.Uid, u.Gid)
	}
	ou := &osUser{name: u.Username, home: u.HomeDir, uid: uint32(uid), gid: uint32(gid), groups: []uint32{uint32(gid)}}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if g, err := strconv.ParseUint(id, 10, 32); err == nil && uint32(g) != ou.gid {
				ou.groups = append(ou.groups, uint32(g))
			}
		}
	}
	return ou, nil
}

// command prepares a server binary to run as the cluster user, with the
// libpq PG* variables of this process's environment left out.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	cmd.Dir = "/"
	cmd.WaitDelay = 5 * time.Second
	env := make([]string, 0, len(os.Environ()))
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") {
			continue
		}
		if c.runAs != nil && (strings.HasPrefix(kv, "HOME=") || strings.HasPrefix(kv, "USER=") || strings.HasPrefix(kv, "LOGNAME=")) {
			continue
		}
		env = append(env, kv)
	}
	if c.runAs != nil {
		env = append(env, "HOME="+c.runAs.home, "USER="+c.runAs.name, "LOGNAME="+c.runAs.name)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{
			Uid: c.runAs.uid, Gid: c.runAs.gid, Groups: c.runAs.groups,
		}}
	}
	cmd.Env = env
	return cmd
}

// prepareDir creates the data directory and, when running as root, hands it
// to the cluster user and lets that user reach it.
func (c *Cluster) prepareDir() error {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return fmt.Errorf("pgcluster: create data directory: %w", err)
	}
	if c.runAs == nil {
		return nil
	}
	if err := c.chownTree(c.dir); err != nil {
		return err
	}
	return c.ensureTraversable(c.dir)
}

// chownTree gives dir (and everything in it, when dir itself is not owned by
// the cluster user yet) to the cluster user.
func (c *Cluster) chownTree(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok && sys.Uid == c.runAs.uid && sys.Gid == c.runAs.gid {
		return nil
	}
	err = filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, int(c.runAs.uid), int(c.runAs.gid))
	})
	if err != nil {
		return fmt.Errorf("pgcluster: give %s to user %q: %w", dir, c.runAs.name, err)
	}
	c.logger.Info("gave directory to the PostgreSQL user, since PostgreSQL refuses to run as root",
		"dir", dir, "user", c.runAs.name)
	return nil
}

// ensureTraversable adds o+x to every ancestor of dir that the cluster user
// cannot search, so that it can reach dir.
func (c *Cluster) ensureTraversable(dir string) error {
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		if !c.runAs.canSearch(st) {
			mode := st.Mode().Perm() | 0o001
			if err := os.Chmod(p, mode|(st.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky))); err != nil {
				return fmt.Errorf("pgcluster: let user %q traverse %s: %w", c.runAs.name, p, err)
			}
			c.logger.Info("added o+x to a directory so that the PostgreSQL user can reach the cluster directory inside it",
				"dir", p, "user", c.runAs.name, "cluster_dir", dir)
			st, err = os.Stat(p)
			if err != nil {
				return fmt.Errorf("pgcluster: %w", err)
			}
			if !c.runAs.canSearch(st) {
				return fmt.Errorf("pgcluster: user %q cannot traverse %s (mode %v): give it search permission",
					c.runAs.name, p, st.Mode().Perm())
			}
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

// canSearch tells whether u has search (x) permission on a directory.
func (u *osUser) canSearch(st fs.FileInfo) bool {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return true
	}
	perm := st.Mode().Perm()
	if sys.Uid == u.uid {
		return perm&0o100 != 0
	}
	for _, g := range u.groups {
		if sys.Gid == g {
			return perm&0o010 != 0
		}
	}
	return perm&0o001 != 0
}

// initdb creates the cluster in the (empty) data directory.
func (c *Cluster) initdb(ctx context.Context, fast bool) error {
	start := time.Now()
	var lastErr error
	for _, locale := range []string{"C.UTF-8", "C"} {
		args := []string{
			"-D", c.dir,
			"-U", SuperUser,
			"-E", "UTF8",
			"--locale=" + locale,
			"--auth-local=trust",
			"--auth-host=reject",
		}
		if fast {
			args = append(args, "--no-sync")
		}
		out, err := c.command(ctx, "initdb", args...).CombinedOutput()
		if err == nil {
			c.logger.Info("created PostgreSQL cluster", "locale", locale, "took", time.Since(start).Round(time.Millisecond))
			return nil
		}
		lastErr = fmt.Errorf("pgcluster: initdb: %w: %s", err, tail(string(out), 20))
		if !strings.Contains(strings.ToLower(string(out)), "locale") {
			break
		}
	}
	return lastErr
}

// pidFile holds what postmaster.pid says about a server.
type pidFile struct {
	pid       int
	socketDir string
}

// readPidFile parses the data directory's postmaster.pid; nil, nil when there
// is none.
func readPidFile(dir string) (*pidFile, error) {
	data, err := os.ReadFile(filepath.Join(dir, pidFileName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pgcluster: %w", err)
	}
	lines := strings.Split(string(data), "\n")
	line := func(n int) string {
		if n-1 < len(lines) {
			return strings.TrimSpace(lines[n-1])
		}
		return ""
	}
	pf := &pidFile{socketDir: line(5)}
	pf.pid, _ = strconv.Atoi(line(1))
	return pf, nil
}

// postmasterState tells whether pid is a live PostgreSQL postmaster serving
// dir; when not, why, and whether the pid is still taken by some process
// (a zombie, or an unrelated process that got the pid after a crash).
func postmasterState(pid int, dir string) (alive, pidTaken bool, why string) {
	if pid <= 0 {
		return false, false, "no valid pid in postmaster.pid"
	}
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false, false, fmt.Sprintf("process %d no longer exists", pid)
	}
	if runtime.GOOS != "linux" {
		return true, true, ""
	}
	comm, state, ok := procStat(pid)
	if !ok {
		return true, true, ""
	}
	if state == 'Z' || state == 'X' {
		return false, true, fmt.Sprintf("process %d is dead (a zombie nobody reaped)", pid)
	}
	if comm != "postgres" && comm != "postmaster" {
		return false, true, fmt.Sprintf("pid %d now belongs to %q, not to PostgreSQL", pid, comm)
	}
	if cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid)); err == nil {
		want := dir
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			want = r
		}
		if cwd != want {
			return false, true, fmt.Sprintf("pid %d is a PostgreSQL server of another data directory (%s)", pid, cwd)
		}
	}
	return true, true, ""
}

func isAlive(pid int, dir string) bool {
	alive, _, _ := postmasterState(pid, dir)
	return alive
}

// reuseRunning looks for a server already running on the data directory.
// It returns true when one answers (and the cluster then reuses it), false
// when none runs; a stale postmaster.pid that pg_ctl would trip over is
// removed.
func (c *Cluster) reuseRunning(ctx context.Context) (bool, error) {
	pf, err := readPidFile(c.dir)
	if err != nil || pf == nil {
		return false, err
	}
	alive, pidTaken, why := postmasterState(pf.pid, c.dir)
	if !alive {
		c.removeStaleSocketDir(pf.socketDir)
		if !pidTaken {
			// PostgreSQL itself recognises and replaces this kind of stale file.
			c.logger.Info("found a stale postmaster.pid, left by a crash; starting afresh", "reason", why)
			return false, nil
		}
		// PostgreSQL would take the pid for a running server and refuse to
		// start: remove the file (and the socket lock file naming the same
		// pid), once no process of the dead server is left.
		c.logger.Warn("removing a stale postmaster.pid, left by a crash", "reason", why)
		if err := waitNoProcessIn(ctx, c.dir); err != nil {
			return false, err
		}
		if pf.socketDir != "" {
			if err := removeLockNaming(socketFile(pf.socketDir)+".lock", pf.pid); err != nil {
				return false, err
			}
		}
		if err := os.Remove(filepath.Join(c.dir, pidFileName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false, fmt.Errorf("pgcluster: remove stale postmaster.pid: %w", err)
		}
		return false, nil
	}
	if pf.socketDir == "" {
		return false, fmt.Errorf("pgcluster: a PostgreSQL server (pid %d) runs on %s without a unix socket; stop it (pg_ctl stop -D %s)",
			pf.pid, c.dir, c.dir)
	}
	c.socketDir = pf.socketDir
	if err := c.waitReady(ctx); err != nil {
		return false, fmt.Errorf("pgcluster: a PostgreSQL server (pid %d) runs on %s but does not answer: %w; server log:\n%s",
			pf.pid, c.dir, err, c.logTail())
	}
	c.logger.Info("reusing the PostgreSQL server already running on the data directory", "pid", pf.pid, "socket_dir", c.socketDir)
	return true, nil
}

// removeLockNaming removes the lock file at path when it names pid.
func removeLockNaming(path string, pid int) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	first, _, _ := strings.Cut(string(data), "\n")
	if n, err := strconv.Atoi(strings.TrimSpace(first)); err != nil || n != pid {
		return nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("pgcluster: remove stale socket lock file: %w", err)
	}
	return nil
}

// removeStaleSocketDir removes the short socket directory a crashed server
// of this cluster used under os.TempDir(), if any.
func (c *Cluster) removeStaleSocketDir(dir string) {
	if dir == "" || dir == c.dir || filepath.Dir(dir) != filepath.Clean(os.TempDir()) ||
		!strings.HasPrefix(filepath.Base(dir), socketDirPrefix) {
		return
	}
	if err := os.RemoveAll(dir); err == nil {
		c.logger.Info("removed the socket directory of a crashed server", "socket_dir", dir)
	}
}

// waitNoProcessIn waits until no live process works in dir: the processes
// of a crashed server (its backends have the data directory as working
// directory) exit soon after their postmaster died. Linux only, as is the
// case that needs it.
func waitNoProcessIn(ctx context.Context, dir string) error {
	want := dir
	if r, err := filepath.EvalSymlinks(dir); err == nil {
		want = r
	}
	for {
		busy := 0
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			if cwd, err := os.Readlink("/proc/" + e.Name() + "/cwd"); err == nil && cwd == want && !isZombie(pid) {
				busy = pid
				break
			}
		}
		if busy == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pgcluster: process %d of a crashed PostgreSQL server still runs in %s: stop it first", busy, dir)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// procStat returns the command name and state of pid from /proc/<pid>/stat.
func procStat(pid int) (comm string, state byte, ok bool) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", 0, false
	}
	// Format: pid (comm) state ...; comm may contain spaces and parentheses.
	s := string(stat)
	open, closing := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || closing < open || closing+2 >= len(s) {
		return "", 0, false
	}
	return s[open+1 : closing], s[closing+2], true
}

func isZombie(pid int) bool {
	_, state, ok := procStat(pid)
	return ok && (state == 'Z' || state == 'X')
}

// socketPathMax is the longest unix socket path the platform accepts.
func socketPathMax() int {
	if runtime.GOOS == "linux" {
		return 107
	}
	return 103
}

func socketFile(dir string) string {
	return filepath.Join(dir, ".s.PGSQL."+strconv.Itoa(port))
}

// chooseSocketDir uses the data directory for the socket when the path fits
// and a short private directory under os.TempDir() otherwise.
func (c *Cluster) chooseSocketDir() error {
	if len(socketFile(c.dir)) <= socketPathMax() {
		c.socketDir = c.dir
		return nil
	}
	dir, err := os.MkdirTemp("", socketDirPrefix+"*")
	if err != nil {
		return fmt.Errorf("pgcluster: create socket directory: %w", err)
	}
	if len(socketFile(dir)) > socketPathMax() {
		_ = os.Remove(dir)
		return fmt.Errorf("pgcluster: the unix socket path is too long both in the data directory %s and in %s (limit %d bytes): use a shorter path or TMPDIR",
			c.dir, dir, socketPathMax())
	}
	if c.runAs != nil {
		if err := os.Chown(dir, int(c.runAs.uid), int(c.runAs.gid)); err != nil {
			_ = os.Remove(dir)
			return fmt.Errorf("pgcluster: give socket directory to user %q: %w", c.runAs.name, err)
		}
		if err := c.ensureTraversable(dir); err != nil {
			_ = os.Remove(dir)
			return err
		}
	}
	c.socketDir, c.ownSocketDir = dir, true
	c.logger.Info("the data directory's path is too long for a unix socket; the socket goes in a short directory instead",
		"socket_dir", dir, "limit_bytes", socketPathMax())
	return nil
}

// confString quotes s as a postgresql.conf string value.
func confString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + "'"
}

// writeConfig writes the settings of this run into incontro.conf and makes
// sure postgresql.conf includes it.
func (c *Cluster) writeConfig(o Options) error {
	durable := "on"
	if o.Fast {
		durable = "off"
	}
	conf := strings.Join([]string{
		"# Written by incontro's pgcluster at every start: edits are lost.",
		"listen_addresses = ''",
		"port = " + strconv.Itoa(port),
		"unix_socket_directories = " + confString(c.socketDir),
		"unix_socket_permissions = 0700",
		"max_connections = 100",
		"shared_buffers = " + confString(cmp.Or(o.SharedBuffers, "32MB")),
		"max_wal_size = '256MB'",
		"fsync = " + durable,
		"synchronous_commit = " + durable,
		"full_page_writes = " + durable,
		"logging_collector = off",
		"log_timezone = 'UTC'",
		"timezone = 'UTC'",
		"",
	}, "\n")
	confPath := filepath.Join(c.dir, confFileName)
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		return fmt.Errorf("pgcluster: write %s: %w", confFileName, err)
	}
	if c.runAs != nil {
		if err := os.Chown(confPath, int(c.runAs.uid), int(c.runAs.gid)); err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
	}
	mainConf := filepath.Join(c.dir, "postgresql.conf")
	data, err := os.ReadFile(mainConf)
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == includeLine {
			return nil
		}
	}
	f, err := os.OpenFile(mainConf, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	_, err = f.WriteString("\n# incontro's settings (unix socket only, no TCP).\n" + includeLine + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	return nil
}

// start runs pg_ctl start and waits until the server accepts connections.
func (c *Cluster) start(ctx context.Context, o Options) error {
	begin := time.Now()
	if err := c.chooseSocketDir(); err != nil {
		return err
	}
	cleanup := func() {
		if c.ownSocketDir {
			_ = os.RemoveAll(c.socketDir)
		}
	}
	if err := c.writeConfig(o); err != nil {
		cleanup()
		return err
	}
	wait := 60
	if dl, ok := ctx.Deadline(); ok {
		wait = max(1, int(math.Ceil(time.Until(dl).Seconds())))
	}
	logFile := filepath.Join(c.dir, logFileName)
	out, err := c.command(ctx, "pg_ctl", "start", "-D", c.dir, "-l", logFile, "-w", "-t", strconv.Itoa(wait)).CombinedOutput()
	if err != nil {
		// Another process may have started the server meanwhile.
		if pf, _ := readPidFile(c.dir); pf != nil {
			if isAlive(pf.pid, c.dir) {
				cleanup()
				c.ownSocketDir = false
				if reused, rerr := c.reuseRunning(ctx); rerr == nil && reused {
					return nil
				}
			}
		}
		cleanup()
		return fmt.Errorf("pgcluster: pg_ctl start: %w: %s; server log:\n%s", err, strings.TrimSpace(string(out)), c.logTail())
	}
	if err := c.waitReady(ctx); err != nil {
		stopCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = c.command(stopCtx, "pg_ctl", "stop", "-D", c.dir, "-m", "immediate", "-w").Run()
		cleanup()
		return fmt.Errorf("pgcluster: PostgreSQL started but does not accept connections: %w; server log:\n%s", err, c.logTail())
	}
	if pf, _ := readPidFile(c.dir); pf != nil {
		c.pid = pf.pid
	}
	c.started = true
	c.logger.Info("started PostgreSQL", "pid", c.pid, "socket_dir", c.socketDir, "fast", o.Fast, "took", time.Since(begin).Round(time.Millisecond))
	return nil
}

// waitReady waits until the server accepts connections on the socket.
func (c *Cluster) waitReady(ctx context.Context) error {
	for {
		err := c.ping(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("gave up waiting: %w (last attempt: %v)", ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (c *Cluster) ping(ctx context.Context) error {
	db, err := sql.Open("postgres", c.URL("postgres"))
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var one int
	return db.QueryRowContext(pctx, "SELECT 1").Scan(&one)
}

// logTail returns the last lines of the server log.
func (c *Cluster) logTail() string {
	f, err := os.Open(filepath.Join(c.dir, logFileName))
	if err != nil {
		return "(no server log: " + err.Error() + ")"
	}
	defer func() { _ = f.Close() }()
	if st, err := f.Stat(); err == nil && st.Size() > 16<<10 {
		_, _ = f.Seek(st.Size()-16<<10, 0)
	}
	var b strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		b.WriteString(sc.Text())
		b.WriteByte('\n')
	}
	return tail(b.String(), 20)
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
