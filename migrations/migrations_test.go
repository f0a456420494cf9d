package migrations_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/lib/pq"

	"incontro/migrations"
	"incontro/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// mustEmptyDB creates a database with no schema at all on the test server.
func mustEmptyDB(t *testing.T) *sql.DB {
	t.Helper()
	ctx := context.Background()
	base := storetest.MustURL(t)
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := "incontro_empty_" + strings.ToLower(t.Name())
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE template0`); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	db, err := sql.Open("postgres", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		admin, err := sql.Open("postgres", base)
		if err == nil {
			_, _ = admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
			admin.Close()
		}
	})
	return db
}

func tables(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	err := db.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'goose_db_version'`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMigrationsApplyToAnEmptyDatabaseOnce(t *testing.T) {
	ctx := context.Background()
	db := mustEmptyDB(t)
	if n := tables(t, db); n != 0 {
		t.Fatalf("the empty database has %d tables", n)
	}
	applied, err := migrations.Apply(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) == 0 || applied[0] != 1 {
		t.Fatalf("applied %v, want every migration from 1", applied)
	}
	created := tables(t, db)
	if created < 30 {
		t.Fatalf("the schema has %d tables, want the whole domain", created)
	}
	current, latest, err := migrations.Status(ctx, db)
	if err != nil || current != latest || latest != applied[len(applied)-1] {
		t.Fatalf("status = %d, %d, %v; want current = latest = %d", current, latest, err, applied[len(applied)-1])
	}

	again, err := migrations.Apply(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 {
		t.Fatalf("a second run applied %v", again)
	}
	if n := tables(t, db); n != created {
		t.Fatalf("a second run changed the table count from %d to %d", created, n)
	}
}

func TestConcurrentStartsMigrateOnce(t *testing.T) {
	ctx := context.Background()
	db := mustEmptyDB(t)
	results := make(chan []int64, 3)
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			applied, err := migrations.Apply(ctx, db)
			results <- applied
			errs <- err
		}()
	}
	total := 0
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		total += len(<-results)
	}
	_, latest, err := migrations.Status(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if int64(total) != latest {
		t.Fatalf("three concurrent runs applied %d migrations between them, want %d", total, latest)
	}
}

func TestEveryMigrationRollsBackCleanly(t *testing.T) {
	ctx := context.Background()
	db := mustEmptyDB(t)
	if _, err := migrations.Apply(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := migrations.DownTo(ctx, db, 0); err != nil {
		t.Fatal(err)
	}
	if n := tables(t, db); n != 0 {
		t.Fatalf("%d tables left after rolling everything back", n)
	}
	if _, err := migrations.Apply(ctx, db); err != nil {
		t.Fatalf("re-applying after a rollback: %v", err)
	}
}

func TestMatchExplanationsAreCompressedWithLz4WhereTheServerHasIt(t *testing.T) {
	ctx := context.Background()
	db := mustEmptyDB(t)
	if _, err := migrations.Apply(ctx, db); err != nil {
		t.Fatal(err)
	}
	var version int
	if err := db.QueryRowContext(ctx, `SELECT current_setting('server_version_num')::int`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version < 140000 {
		return // no compression per column before PostgreSQL 14; the migration applied
	}
	// A server has lz4 when it takes it as the default compression.
	_, err := db.ExecContext(ctx, `SET default_toast_compression = 'lz4'`)
	hasLz4 := err == nil
	var method string
	err = db.QueryRowContext(ctx, `SELECT attcompression::text FROM pg_attribute
		WHERE attrelid = 'match_results'::regclass AND attname = 'explanation_text'`).Scan(&method)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[bool]string{true: "l", false: ""}[hasLz4]; method != want {
		t.Errorf("explanation_text is compressed with %q, want %q (server has lz4: %v)", method, want, hasLz4)
	}
}
