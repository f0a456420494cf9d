package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/lib/pq"

	"incontro/store"
	"incontro/store/pgcluster"
)

// DatabaseName is the database the bench creates on a DATABASE_URL server
// (and inside its private cluster), and drops afterwards unless asked to
// keep it.
const DatabaseName = "incontro_bench"

// dirMarker marks a directory as the bench's own, so that it may be wiped.
const dirMarker = ".incontro-bench"

// workspace is the bench's directory and database, and what to undo.
type workspace struct {
	dir     string
	db      *store.DB
	cluster *pgcluster.Cluster
	// admin is the connection to the DATABASE_URL server the bench database
	// was created on; nil otherwise.
	admin  *sql.DB
	logger *slog.Logger
	logf   func(format string, args ...any)
}

// prepareDir empties dir for a new run: it must be missing, empty, or a
// directory an earlier run made (with the marker), on which no PostgreSQL
// server is still running.
func prepareDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return fmt.Errorf("--dir %s: %w", dir, err)
	case len(entries) > 0:
		if _, err := os.Stat(filepath.Join(dir, dirMarker)); err != nil {
			return fmt.Errorf("--dir %s is not empty and was not made by incontro bench: refusing to wipe it", dir)
		}
		if pid, ok := runningPostmaster(filepath.Join(dir, "pg")); ok {
			return fmt.Errorf("a PostgreSQL server (pid %d) still runs on %s: stop it (pg_ctl -D %s stop) or choose another --dir",
				pid, filepath.Join(dir, "pg"), filepath.Join(dir, "pg"))
		}
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("wipe --dir %s: %w", dir, err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--dir %s: %w", dir, err)
	}
	return os.WriteFile(filepath.Join(dir, dirMarker), []byte("made by incontro bench; wiped by the next run\n"), 0o644)
}

// runningPostmaster reports the pid of a live server on the data directory.
func runningPostmaster(pgdata string) (int, bool) {
	b, err := os.ReadFile(filepath.Join(pgdata, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil || pid <= 0 {
		return 0, false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return 0, false
	}
	return pid, true
}

// openDatabase gives the bench its own database: the one given as is
// (cfg.DatabaseURL, tests), a new incontro_bench on the cfg.ServerURL
// server, or a private cluster in dir/pg. It is migrated and must be empty.
func (w *workspace) openDatabase(ctx context.Context, cfg Config) error {
	u := cfg.DatabaseURL
	switch {
	case u != "":
	case cfg.ServerURL != "":
		admin, err := sql.Open("postgres", cfg.ServerURL)
		if err != nil {
			return fmt.Errorf("DATABASE_URL: %w", err)
		}
		w.admin = admin
		var exists bool
		if err := admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, DatabaseName).Scan(&exists); err != nil {
			return fmt.Errorf("DATABASE_URL: %w", err)
		}
		if exists {
			w.logf("dropping the database %s left on the DATABASE_URL server by an earlier run", DatabaseName)
			if err := dropDatabase(ctx, admin, DatabaseName); err != nil {
				return err
			}
		}
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(DatabaseName)); err != nil {
			return fmt.Errorf("create database %s on the DATABASE_URL server: %w", DatabaseName, err)
		}
		w.logf("created the database %s on the DATABASE_URL server", DatabaseName)
		if u, err = withDatabase(cfg.ServerURL, DatabaseName); err != nil {
			return err
		}
	default:
		dir := filepath.Join(w.dir, "pg")
		w.logf("starting a private PostgreSQL cluster in %s", dir)
		// Shared buffers large enough for the baseline's tables and indexes:
		// with PostgreSQL's small default its figures would be a strawman.
		c, err := pgcluster.Start(ctx, dir, w.logger, pgcluster.WithSharedBuffers("2GB"))
		if err != nil {
			return fmt.Errorf("private PostgreSQL in %s: %w", dir, err)
		}
		w.cluster = c
		if err := c.EnsureDatabase(ctx, DatabaseName); err != nil {
			return err
		}
		u = c.URL(DatabaseName)
	}
	db, err := store.Open(ctx, u)
	if err != nil {
		return err
	}
	w.db = db
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	counts, err := db.Counts(ctx)
	if err != nil {
		return err
	}
	if counts.Candidates > 0 || counts.Providers > 0 {
		return fmt.Errorf("the bench database already holds data (%d candidates): it must start empty", counts.Candidates)
	}
	return nil
}

// close closes the database and, unless keep, drops the bench database;
// it stops the private cluster it started.
func (w *workspace) close(keep bool) error {
	var errs []error
	if w.db != nil {
		errs = append(errs, w.db.Close())
		w.db = nil
	}
	if w.admin != nil {
		if !keep {
			errs = append(errs, dropDatabase(context.Background(), w.admin, DatabaseName))
		} else {
			w.logf("kept the database %s on the DATABASE_URL server", DatabaseName)
		}
		errs = append(errs, w.admin.Close())
		w.admin = nil
	}
	if w.cluster != nil {
		if w.cluster.Started() {
			errs = append(errs, w.cluster.Stop())
		}
		w.cluster = nil
	}
	return errors.Join(errs...)
}

// dropDatabase drops a database, disconnecting its sessions where the
// server can (PostgreSQL 13 and later).
func dropDatabase(ctx context.Context, admin *sql.DB, name string) error {
	q := "DROP DATABASE IF EXISTS " + pq.QuoteIdentifier(name)
	if _, err := admin.ExecContext(ctx, q+" WITH (FORCE)"); err != nil {
		var pe *pq.Error
		if !errors.As(err, &pe) || pe.Code != "42601" { // syntax error: a server before 13
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		if _, err := admin.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
	}
	return nil
}

var dbnameParam = regexp.MustCompile(`(^|\s)dbname\s*=\s*('(?:[^'\\]|\\.)*'|\S+)`)

// withDatabase returns the connection string conn pointing at database
// name: a postgres:// URL or a key=value string.
func withDatabase(conn, name string) (string, error) {
	if strings.HasPrefix(conn, "postgres://") || strings.HasPrefix(conn, "postgresql://") {
		u, err := url.Parse(conn)
		if err != nil {
			return "", fmt.Errorf("DATABASE_URL: %w", err)
		}
		u.Path, u.RawPath = "/"+name, ""
		q := u.Query()
		if q.Has("dbname") {
			q.Set("dbname", name)
			u.RawQuery = q.Encode()
		}
		return u.String(), nil
	}
	if dbnameParam.MatchString(conn) {
		return dbnameParam.ReplaceAllString(conn, "${1}dbname="+name), nil
	}
	return strings.TrimSpace(conn) + " dbname=" + name, nil
}
