package bench

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"incontro/store/storetest"
)

func TestPrepareDirWipesOnlyItsOwnDirectory(t *testing.T) {
	t.Run("a missing directory is made and marked", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "bench")
		if err := prepareDir(dir); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, dirMarker)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("an earlier run's directory is wiped", func(t *testing.T) {
		dir := t.TempDir()
		if err := prepareDir(dir); err != nil {
			t.Fatal(err)
		}
		old := filepath.Join(dir, "index", "old")
		if err := os.MkdirAll(old, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := prepareDir(dir); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(old); !os.IsNotExist(err) {
			t.Errorf("the earlier run's data survived: %v", err)
		}
	})
	t.Run("somebody else's directory is refused untouched", func(t *testing.T) {
		dir := t.TempDir()
		file := filepath.Join(dir, "thesis.tex")
		if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		err := prepareDir(dir)
		if err == nil || !strings.Contains(err.Error(), "--dir") {
			t.Fatalf("prepareDir = %v, want a refusal naming --dir", err)
		}
		if _, err := os.Stat(file); err != nil {
			t.Errorf("the file is gone: %v", err)
		}
	})
	t.Run("a directory with a live server is refused", func(t *testing.T) {
		dir := t.TempDir()
		if err := prepareDir(dir); err != nil {
			t.Fatal(err)
		}
		pg := filepath.Join(dir, "pg")
		if err := os.MkdirAll(pg, 0o755); err != nil {
			t.Fatal(err)
		}
		// This process stands for the postmaster: it is alive.
		pid := []byte(strconv.Itoa(os.Getpid()) + "\n" + pg + "\n")
		if err := os.WriteFile(filepath.Join(pg, "postmaster.pid"), pid, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := prepareDir(dir); err == nil || !strings.Contains(err.Error(), "still runs") {
			t.Fatalf("prepareDir = %v, want a refusal", err)
		}
	})
}

func TestWithDatabaseRewritesBothForms(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://u:p@db:5432/incontro?sslmode=disable", "postgres://u:p@db:5432/incontro_bench?sslmode=disable"},
		{"postgresql://db/", "postgresql://db/incontro_bench"},
		{"postgres:///incontro?host=/run/pg&dbname=incontro", "postgres:///incontro_bench?dbname=incontro_bench&host=%2Frun%2Fpg"},
		{"host=/run/pg dbname=incontro sslmode=disable", "host=/run/pg dbname=incontro_bench sslmode=disable"},
		{"dbname='my db' host=x", "dbname=incontro_bench host=x"},
		{"host=db user=me", "host=db user=me dbname=incontro_bench"},
	}
	for _, tt := range tests {
		got, err := withDatabase(tt.in, DatabaseName)
		if err != nil || got != tt.want {
			t.Errorf("withDatabase(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestADatabaseURLServerGetsItsOwnBenchDatabase(t *testing.T) {
	server := storetest.MustURL(t)
	ctx := context.Background()
	w := &workspace{dir: t.TempDir(), logf: t.Logf}
	if err := w.openDatabase(ctx, Config{ServerURL: server}); err != nil {
		t.Fatal(err)
	}
	var name string
	if err := w.db.SQL().GetContext(ctx, &name, `SELECT current_database()`); err != nil || name != DatabaseName {
		t.Fatalf("connected to %q (%v), want %s", name, err, DatabaseName)
	}
	if err := w.close(false); err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("postgres", server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, DatabaseName).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Errorf("the bench database was not dropped")
	}
}
