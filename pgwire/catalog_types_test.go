package pgwire

// The catalog's internal types (oid, name, "char", regclass, int2vector,
// void) through pgx, which reads oid, name and "char" in binary: Aspen
// must give what PostgreSQL 15 gives.

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/aspen-db/aspen/internal/pgtest"
)

func TestCatalogTypesPgx(t *testing.T) {
	ctx := context.Background()
	queries := []string{
		"SELECT oid, typname, typtype, typcategory FROM pg_catalog.pg_type WHERE oid IN (18, 19, 26, 2205) ORDER BY oid",
		"SELECT c.relname, c.relkind, c.oid::regclass::text, c.relowner FROM pg_catalog.pg_class c WHERE c.oid = 'pg_catalog.pg_class'::regclass",
		"SELECT ''::\"char\", 'ab'::\"char\", 4294967295::oid, 'x'::name",
		"SELECT indkey::text, indkey[0] FROM pg_catalog.pg_index WHERE indexrelid = 't_pkey'::regclass",
		"SELECT ARRAY(SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0 ORDER BY attnum)::text",
		"SELECT $1::oid, $2::name, $3::regclass::oid = 't'::regclass",
		"SELECT '{1,4294967295}'::oid[], ARRAY['a', 'b']::name[], '{a,b}'::\"char\"[], ARRAY(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = 'public')",
	}
	args := [][]any{nil, nil, nil, nil, nil, {uint32(4000000000), "nm", "t"}, nil}
	run := func(conn *pgx.Conn) []string {
		var out []string
		for i, q := range queries {
			rows, err := conn.Query(ctx, q, args[i]...)
			if err != nil {
				out = append(out, "error: "+err.Error())
				continue
			}
			for rows.Next() {
				vals, err := rows.Values()
				if err != nil {
					out = append(out, "error: "+err.Error())
					break
				}
				out = append(out, fmt.Sprintf("%#v", vals))
			}
			if err := rows.Err(); err != nil {
				out = append(out, "error: "+err.Error())
			}
			rows.Close()
		}
		return out
	}
	setup := "CREATE TABLE t (id int PRIMARY KEY, b text)"
	ts := startServer(t, Config{})
	aspen := ts.connect(t)
	mustExec(t, aspen, setup)
	got := run(aspen)
	for _, line := range got {
		t.Log(line)
	}
	if !pgInstalled() {
		return
	}
	ref, err := pgx.Connect(ctx, pgtest.Shared(t).FreshDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close(ctx)
	mustExec(t, ref, setup)
	want := run(ref)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("pgx sees different values:\nPostgreSQL: %q\nAspen:      %q", want, got)
	}
}
