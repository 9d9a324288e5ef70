package syscat

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// pgText returns the single value of a PostgreSQL query, "NULL" for NULL.
func pgText(t *testing.T, side *pgSide, sql string) string {
	t.Helper()
	v := query(t, side.conn, sql)[0][0]
	if v == nil {
		return "NULL"
	}
	return *v
}

func orNull(s string, ok bool) string {
	if !ok {
		return "NULL"
	}
	return s
}

func TestFunctionsMatchPostgres(t *testing.T) {
	side := setupPG(t)
	snap := side.snap
	// relOID resolves a relation on both sides.
	pgOID := func(name string) string {
		return pgText(t, side, fmt.Sprintf("SELECT %s::regclass::oid", quoteLit(name)))
	}
	myOID := func(name string) uint32 {
		oid, ok := snap.RegclassIn(name)
		if !ok {
			t.Fatalf("RegclassIn(%q) failed", name)
		}
		return oid
	}

	t.Run("format_type", func(t *testing.T) {
		type tc struct {
			oid uint32
			mod int32
		}
		var cases []tc
		for _, ty := range builtinTypes {
			cases = append(cases, tc{ty.oid, -1}, tc{ty.oid, NoTypmod})
		}
		cases = append(cases, tc{1042, 7}, tc{1043, 24}, tc{1015, 24}, tc{1700, 655366}, tc{1231, 655366},
			tc{1114, 3}, tc{1184, 0}, tc{1083, 6}, tc{1266, 2}, tc{1186, 2147418115}, tc{1186, 2<<16 | 0xffff},
			tc{1186, (1<<3|1<<10|1<<11|1<<12)<<16 | 3}, tc{1560, 5}, tc{1562, 9}, tc{23, 5}, tc{0, -1}, tc{999999, -1},
			tc{1700, 5<<16 | 0x7fe + 4})
		for _, c := range cases {
			mod := strconv.Itoa(int(c.mod))
			if c.mod == NoTypmod {
				mod = "NULL"
			}
			want := pgText(t, side, fmt.Sprintf("SELECT format_type(%d, %s)", c.oid, mod))
			if got := snap.FormatType(c.oid, c.mod); got != want {
				t.Errorf("format_type(%d, %s) = %q, PostgreSQL %q", c.oid, mod, got, want)
			}
		}
		for _, rel := range []string{"demo", "\"Mixed\"", "v"} {
			want := pgText(t, side, fmt.Sprintf("SELECT format_type(%s::regtype, -1)", quoteLit(rel)))
			oid, ok := snap.RegtypeIn(rel)
			if !ok {
				t.Fatalf("RegtypeIn(%q) failed", rel)
			}
			if got := snap.FormatType(oid, -1); got != want {
				t.Errorf("format_type(%s) = %q, PostgreSQL %q", rel, got, want)
			}
		}
	})

	t.Run("indexes and constraints", func(t *testing.T) {
		for _, ix := range []string{"demo_pkey", "demo_code_key", "demo_name_idx", "demo_price_idx", "ser_pkey", `"Mixed_pkey"`, `"Mixed_select_key"`} {
			for _, args := range []struct {
				col    int
				pretty bool
			}{{0, true}, {0, false}, {1, true}, {2, true}, {3, false}} {
				want := pgText(t, side, fmt.Sprintf("SELECT pg_get_indexdef(%s, %d, %t)", pgOID(ix), args.col, args.pretty))
				got := orNull(snap.IndexDef(myOID(ix), args.col, args.pretty))
				if got != want {
					t.Errorf("pg_get_indexdef(%s, %d, %t) = %q, PostgreSQL %q", ix, args.col, args.pretty, got, want)
				}
			}
		}
		for _, c := range query(t, side.conn, "SELECT conname, pg_get_constraintdef(oid), pg_get_constraintdef(oid, true) FROM pg_constraint WHERE connamespace = 2200") {
			name := *c[0]
			var oid uint32
			for _, r := range snap.get().rels {
				if r.name == name && r.conOID != 0 {
					oid = r.conOID
				}
			}
			got := orNull(snap.ConstraintDef(oid))
			if got != *c[1] || got != *c[2] {
				t.Errorf("pg_get_constraintdef(%s) = %q, PostgreSQL %q / %q", name, got, *c[1], *c[2])
			}
		}
		if _, ok := snap.ConstraintDef(12345); ok {
			t.Errorf("pg_get_constraintdef of an unknown OID is not NULL")
		}
	})

	t.Run("defaults and views", func(t *testing.T) {
		for _, d := range query(t, side.conn, "SELECT c.relname, d.adnum, pg_get_expr(d.adbin, d.adrelid, true) FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid") {
			n, _ := strconv.Atoi(*d[1])
			r := snap.relByOID(myOID(QuoteIdent(*d[0])))
			if got := Expr(r.cols[n-1].def); got != *d[2] {
				t.Errorf("pg_get_expr(%s.%d) = %q, PostgreSQL %q", *d[0], n, got, *d[2])
			}
		}
		want := pgText(t, side, "SELECT pg_get_viewdef('v'::regclass, true)")
		if got := orNull(snap.ViewDef(myOID("v"))); got != want {
			t.Errorf("pg_get_viewdef(v) = %q, PostgreSQL %q", got, want)
		}
		if got := orNull(snap.ViewDef(myOID("demo"))); got != "NULL" {
			t.Errorf("pg_get_viewdef(demo) = %q, want NULL", got)
		}
	})

	t.Run("names", func(t *testing.T) {
		aspen := pgText(t, side, "SELECT oid FROM pg_roles WHERE rolname = 'aspen'")
		for _, oid := range []string{aspen, "10", "6171", "12345"} {
			n, _ := strconv.ParseUint(oid, 10, 32)
			want := pgText(t, side, "SELECT pg_get_userbyid("+oid+")")
			if got := snap.UserByID(uint32(n)); got != want {
				t.Errorf("pg_get_userbyid(%s) = %q, PostgreSQL %q", oid, got, want)
			}
		}
		for _, n := range []int64{0, 6, 8, 41, 42, -1, 999} {
			want := pgText(t, side, fmt.Sprintf("SELECT pg_encoding_to_char(%d)", n))
			if got := EncodingToChar(n); got != want {
				t.Errorf("pg_encoding_to_char(%d) = %q, PostgreSQL %q", n, got, want)
			}
		}
		for _, name := range []string{"demo", "public.demo", "DEMO", `"Mixed"`, "Mixed", "pg_class", "pg_catalog.pg_class",
			"information_schema.tables", "tables", "nosuch", "demo_pkey", "s1", "ser_id_seq", "v", " demo ", `public."Mixed"`} {
			want := pgText(t, side, fmt.Sprintf("SELECT to_regclass(%s)::oid", quoteLit(name)))
			oid, ok := snap.RegclassIn(name)
			got := "NULL"
			if ok {
				got = snap.RegclassOut(oid)
				want = pgText(t, side, fmt.Sprintf("SELECT to_regclass(%s)::text", quoteLit(name)))
			}
			if got != want {
				t.Errorf("to_regclass(%q) = %q, PostgreSQL %q", name, got, want)
			}
			if ok {
				vis := pgText(t, side, fmt.Sprintf("SELECT pg_table_is_visible(to_regclass(%s))", quoteLit(name)))
				if v, _ := snap.TableIsVisible(oid); (vis == "t") != v {
					t.Errorf("pg_table_is_visible(%q) = %t, PostgreSQL %s", name, v, vis)
				}
			}
		}
		for _, name := range []string{"int4", "integer", "int", "character varying", "varchar", "text[]", "int[]",
			"timestamp with time zone", "double precision", `"char"`, "char", "numeric(10,2)", "demo", "pg_catalog.bool",
			"regclass", "name", "nosuch", "bpchar", "character varying(20)[]"} {
			want := pgText(t, side, fmt.Sprintf("SELECT to_regtype(%s)::oid", quoteLit(name)))
			oid, ok := snap.RegtypeIn(name)
			got := "NULL"
			if ok {
				// User type OIDs differ between servers: compare the
				// rendered names.
				got = snap.RegtypeOut(oid)
				want = pgText(t, side, fmt.Sprintf("SELECT to_regtype(%s)::text", quoteLit(name)))
			}
			if got != want {
				t.Errorf("to_regtype(%q) = %q, PostgreSQL %q", name, got, want)
			}
		}
		for _, name := range []string{"int4in", "boolout", "version", "pg_catalog.now", "abs", "nosuch"} {
			want := pgText(t, side, fmt.Sprintf("SELECT to_regproc(%s)::oid", quoteLit(name)))
			oid, ok := RegprocIn(name)
			got := orNull(strconv.FormatUint(uint64(oid), 10), ok)
			if got != want {
				t.Errorf("to_regproc(%q) = %q, PostgreSQL %q", name, got, want)
			}
			if ok && RegprocOut(oid) != pgText(t, side, fmt.Sprintf("SELECT %d::regproc::text", oid)) {
				t.Errorf("regproc out of %d = %q", oid, RegprocOut(oid))
			}
		}
		for _, oid := range []uint32{11, 2200, 99, 13207} {
			want := pgText(t, side, fmt.Sprintf("SELECT %d::regnamespace::text", oid))
			if got := RegnamespaceOut(oid); got != want {
				t.Errorf("regnamespace out of %d = %q, PostgreSQL %q", oid, got, want)
			}
		}
		for _, tc := range [][2]string{{"ser", "id"}, {"demo", "id"}, {"PUBLIC.SER", "id"}, {`"Mixed"`, "Col A"}} {
			want := pgText(t, side, fmt.Sprintf("SELECT pg_get_serial_sequence(%s, %s)", quoteLit(tc[0]), quoteLit(tc[1])))
			seq, ok, err := snap.SerialSequence(tc[0], tc[1])
			if err != nil {
				t.Errorf("pg_get_serial_sequence(%q, %q): %v", tc[0], tc[1], err)
				continue
			}
			if got := orNull(seq, ok); got != want {
				t.Errorf("pg_get_serial_sequence(%q, %q) = %q, PostgreSQL %q", tc[0], tc[1], got, want)
			}
		}
		if _, _, err := snap.SerialSequence("nosuch", "id"); err == nil {
			t.Errorf("pg_get_serial_sequence of a missing table: no error")
		}
		if _, _, err := snap.SerialSequence("ser", "ID"); err == nil {
			t.Errorf("pg_get_serial_sequence of column ID (taken literally): no error")
		}
		if _, _, err := snap.SerialSequence("demo", "nosuch"); err == nil {
			t.Errorf("pg_get_serial_sequence of a missing column: no error")
		}
	})

	t.Run("type visibility", func(t *testing.T) {
		for _, name := range []string{"int4", "demo", "_demo", "text"} {
			want := pgText(t, side, fmt.Sprintf("SELECT pg_type_is_visible(%s::regtype)", quoteLit(name)))
			oid, _ := snap.RegtypeIn(name)
			v, ok := snap.TypeIsVisible(oid)
			if !ok || (want == "t") != v {
				t.Errorf("pg_type_is_visible(%s) = %t/%t, PostgreSQL %s", name, v, ok, want)
			}
		}
	})
}

// quoteLit renders a string literal.
func quoteLit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func TestOIDMapping(t *testing.T) {
	seen := map[uint32]string{}
	add := func(oid uint32, ok bool, what string) {
		t.Helper()
		if !ok {
			t.Fatalf("%s: not mapped", what)
		}
		if oid < FirstNormalObjectID {
			t.Errorf("%s: OID %d below %d", what, oid, FirstNormalObjectID)
		}
		if prev, dup := seen[oid]; dup {
			t.Errorf("%s and %s share OID %d", what, prev, oid)
		}
		seen[oid] = what
	}
	for _, table := range []int64{1, 2, 77, MaxTableID} {
		base, ok := RelationOID(table)
		add(base, ok, fmt.Sprintf("table %d", table))
		for _, off := range []uint32{offRowType, offArrayType, offPKIndex, offPKConstr} {
			add(base+off, true, fmt.Sprintf("table %d +%d", table, off))
		}
		for _, ix := range []int64{1, 2, maxIndexID} {
			oid, ok := IndexOID(table, ix)
			add(oid, ok, fmt.Sprintf("table %d index %d", table, ix))
			add(oid+1, ok, fmt.Sprintf("table %d index %d constraint", table, ix))
		}
		for _, attnum := range []uint32{1, 2048} {
			add(base+offAttrdef+attnum-1, true, fmt.Sprintf("table %d default %d", table, attnum))
		}
	}
	if base, _ := RelationOID(MaxTableID); base+4095 >= hashedOIDStart {
		t.Errorf("table OIDs reach the hashed range: %d", base+4095)
	}
	for _, bad := range []int64{0, -1, MaxTableID + 1} {
		if _, ok := RelationOID(bad); ok {
			t.Errorf("RelationOID(%d) mapped", bad)
		}
	}
	if _, ok := IndexOID(1, maxIndexID+1); ok {
		t.Errorf("index id %d mapped", maxIndexID+1)
	}
	// Stable across snapshots, whatever the order of the input.
	a := testSnapshot("db", nil, nil)
	b := testSnapshot("db", nil, nil)
	b.Tables[0], b.Tables[1] = b.Tables[1], b.Tables[0]
	b.Sequences[0], b.Sequences[1] = b.Sequences[1], b.Sequences[0]
	for _, name := range []string{"demo", "nopk", "v", "s1", "ser_id_seq", "demo_price_idx", "Mixed_pkey"} {
		if a.TableOID(name) == 0 || a.TableOID(name) != b.TableOID(name) {
			t.Errorf("OID of %s: %d and %d", name, a.TableOID(name), b.TableOID(name))
		}
	}
}

// TestDeclarations checks every declaration against its rows: values of
// the Go type the column's type calls for, and no unknown column names.
func TestDeclarations(t *testing.T) {
	snap := testSnapshot("db", nil, []Setting{{"work_mem", "4MB"}, {"TimeZone", "UTC"}, {"custom.x", "1"}})
	names := map[string]bool{}
	for _, d := range Tables() {
		key := d.Schema + "." + d.Name
		if names[key] {
			t.Errorf("%s declared twice", key)
		}
		names[key] = true
		if got, ok := Lookup(d.Schema, d.Name); !ok || got != d {
			t.Errorf("Lookup(%s) failed", key)
		}
		cols := map[string]bool{}
		for _, c := range d.Columns {
			if cols[c.Name] {
				t.Errorf("%s: column %s twice", key, c.Name)
			}
			cols[c.Name] = true
		}
		for _, r := range d.rows(snap) {
			for k := range r {
				if !cols[k] {
					t.Errorf("%s: row sets unknown column %q", key, k)
				}
			}
		}
		for _, row := range d.Rows(snap) {
			for i, v := range row {
				if v == nil {
					continue
				}
				got := fmt.Sprintf("%T", v)
				if d.Columns[i].Type == oidRegproc && got == "int64" {
					continue // a regproc may hold its OID (pgdata.go)
				}
				if want := goType(d.Columns[i].Type); want != got {
					t.Errorf("%s.%s: value %v is %T, want %s", key, d.Columns[i].Name, v, v, want)
				}
			}
		}
	}
	if _, ok := Lookup("", "pg_class"); !ok {
		t.Errorf("Lookup without schema does not find pg_class")
	}
	if _, ok := Lookup("", "tables"); ok {
		t.Errorf("Lookup without schema finds information_schema.tables")
	}
	var workMem string
	for _, r := range pgSettingsRows(snap) {
		if r["name"] == "work_mem" {
			workMem = r["setting"].(string)
		}
	}
	if workMem != "4096" {
		t.Errorf("pg_settings work_mem = %q, want 4096", workMem)
	}
}

// goType is the Go type of row values of a column type.
func goType(typ uint32) string {
	switch typ {
	case oidBool:
		return "bool"
	case oidInt2, oidInt4, oidInt8, oidOID, oidXID, oidRegclass:
		return "int64"
	case oidFloat4, oidFloat8:
		return "float64"
	case oidInt2Vector, oidOIDVector, oidInt2Array, oidOIDArray:
		return "[]int64"
	case oidTextArray, oidCharArray, oidACLItemArr:
		return "[]string"
	}
	return "string"
}

func TestHashedOIDs(t *testing.T) {
	mk := func(names ...string) *Snapshot {
		s := &Snapshot{Database: "db", User: "u"}
		for _, n := range names {
			s.Views = append(s.Views, UserView{Name: n, Definition: "SELECT 1"})
		}
		return s
	}
	a := mk("alpha", "beta", "gamma")
	b := mk("gamma", "alpha", "beta", "delta")
	seen := map[uint32]bool{}
	for _, n := range []string{"alpha", "beta", "gamma"} {
		oid := a.TableOID(n)
		if oid < hashedOIDStart {
			t.Errorf("view %s without id: OID %d below the hashed range", n, oid)
		}
		if seen[oid] {
			t.Errorf("view %s: OID %d taken", n, oid)
		}
		seen[oid] = true
		if b.TableOID(n) != oid {
			t.Errorf("view %s: OID %d, then %d in a larger snapshot", n, oid, b.TableOID(n))
		}
		if def, ok := a.ViewDef(oid); !ok || def != "SELECT 1" {
			t.Errorf("ViewDef(%s) = %q, %t", n, def, ok)
		}
	}
	// An empty snapshot still has the system catalogs.
	empty := &Snapshot{Database: "db", User: "u"}
	if empty.TableOID("pg_class") != PgClassOID || empty.UserOID() != BootstrapSuperuserOID {
		t.Errorf("empty snapshot: pg_class %d, user %d", empty.TableOID("pg_class"), empty.UserOID())
	}
	if got := empty.UserByID(BootstrapSuperuserOID); got != "u" {
		t.Errorf("pg_get_userbyid(10) = %q, want u", got)
	}
}
