package store

import (
	"context"
	"testing"

	"incontro/store/storetest"
)

// pseudoFields are fields named by constraints that span several columns;
// they are names of the domain, not columns.
var pseudoFields = map[string]bool{"value": true}

// TestEveryConstraintNamesARealField walks every CHECK, UNIQUE and FOREIGN
// KEY constraint (and unique index) in the schema and checks that the field
// the store reports for its violation is a column of the table, so that no
// constraint added later can produce an error that names nothing.
func TestEveryConstraintNamesARealField(t *testing.T) {
	db := storetest.MustDB(t)
	rows, err := db.QueryContext(context.Background(), `
		SELECT cl.relname, con.conname
		FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid
		JOIN pg_namespace ns ON ns.oid = cl.relnamespace
		WHERE ns.nspname = 'public' AND con.contype IN ('c', 'u', 'f', 'p') AND cl.relname <> 'goose_db_version'
		UNION ALL
		SELECT t.relname, i.relname
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
		JOIN pg_namespace ns ON ns.oid = t.relnamespace
		WHERE ns.nspname = 'public' AND x.indisunique AND NOT x.indisprimary
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type tc struct{ table, constraint string }
	var all []tc
	for rows.Next() {
		var c tc
		if err := rows.Scan(&c.table, &c.constraint); err != nil {
			t.Fatal(err)
		}
		all = append(all, c)
	}
	if len(all) < 100 {
		t.Fatalf("found only %d constraints; the query is wrong", len(all))
	}
	for _, c := range all {
		field := constraintField(c.table, c.constraint)
		if pseudoFields[field] {
			continue
		}
		var n int
		err := db.GetContext(context.Background(), &n, `SELECT count(*) FROM information_schema.columns
			WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2`, c.table, field)
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("constraint %s on %s names field %q, which is not a column of the table", c.constraint, c.table, field)
		}
	}
}
