package syscat

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aspen-db/aspen/internal/pgtest"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// schemaDDL creates, on PostgreSQL, the user catalog testSnapshot
// describes.
const schemaDDL = `
CREATE TABLE demo (id int PRIMARY KEY, name varchar(20) NOT NULL DEFAULT 'x', price numeric(10,2),
	created timestamptz DEFAULT now(), flag boolean, code char(3) UNIQUE, n int DEFAULT 42);
CREATE UNIQUE INDEX demo_name_idx ON demo (name);
CREATE INDEX demo_price_idx ON demo (price, flag);
CREATE TABLE nopk (a bigint, b text, c double precision, d date, e bytea, f jsonb, g uuid, h interval, i time(3), j smallint, k real, l timestamp);
CREATE VIEW v AS SELECT id, name FROM demo;
CREATE SEQUENCE s1;
CREATE TABLE ser (id serial PRIMARY KEY, t text);
CREATE TABLE "Mixed" ("Col A" int PRIMARY KEY, "select" text UNIQUE, arr int[]);
`

// testSnapshot is the Aspen side of schemaDDL, with defaults as
// PostgreSQL deparses them.
func testSnapshot(db string, roles []Role, settings []Setting) *Snapshot {
	return &Snapshot{
		Database: db, User: "aspen", Roles: roles, Settings: settings,
		Databases: []Database{{Name: db}},
		Tables: []UserTable{
			{ID: 1, Name: "demo", PrimaryKey: []int{0}, PKName: "demo_pkey", Columns: []UserColumn{
				{Name: "id", TypeOID: 23, TypeMod: -1, NotNull: true},
				{Name: "name", TypeOID: 1043, TypeMod: 24, NotNull: true, Default: "'x'::character varying"},
				{Name: "price", TypeOID: 1700, TypeMod: 10<<16 | 2 + 4},
				{Name: "created", TypeOID: 1184, TypeMod: -1, Default: "now()"},
				{Name: "flag", TypeOID: 16, TypeMod: -1},
				{Name: "code", TypeOID: 1042, TypeMod: 7},
				{Name: "n", TypeOID: 23, TypeMod: -1, Default: "42"},
			}, Indexes: []UserIndex{
				{ID: 1, Name: "demo_code_key", Columns: []int{5}, Unique: true, Constraint: true},
				{ID: 2, Name: "demo_name_idx", Columns: []int{1}, Unique: true},
				{ID: 3, Name: "demo_price_idx", Columns: []int{2, 4}},
			}},
			{ID: 2, Name: "nopk", Columns: []UserColumn{
				{Name: "a", TypeOID: 20, TypeMod: -1}, {Name: "b", TypeOID: 25, TypeMod: -1},
				{Name: "c", TypeOID: 701, TypeMod: -1}, {Name: "d", TypeOID: 1082, TypeMod: -1},
				{Name: "e", TypeOID: 17, TypeMod: -1}, {Name: "f", TypeOID: 3802, TypeMod: -1},
				{Name: "g", TypeOID: 2950, TypeMod: -1}, {Name: "h", TypeOID: 1186, TypeMod: -1},
				{Name: "i", TypeOID: 1083, TypeMod: 3}, {Name: "j", TypeOID: 21, TypeMod: -1},
				{Name: "k", TypeOID: 700, TypeMod: -1}, {Name: "l", TypeOID: 1114, TypeMod: -1},
			}},
			{ID: 5, Name: "ser", PrimaryKey: []int{0}, PKName: "ser_pkey", Columns: []UserColumn{
				{Name: "id", TypeOID: 23, TypeMod: -1, NotNull: true, Default: "nextval('ser_id_seq'::regclass)"},
				{Name: "t", TypeOID: 25, TypeMod: -1},
			}},
			{ID: 6, Name: "Mixed", PrimaryKey: []int{0}, PKName: "Mixed_pkey", Columns: []UserColumn{
				{Name: "Col A", TypeOID: 23, TypeMod: -1, NotNull: true},
				{Name: "select", TypeOID: 25, TypeMod: -1},
				{Name: "arr", TypeOID: 1007, TypeMod: -1},
			}, Indexes: []UserIndex{{ID: 1, Name: "Mixed_select_key", Columns: []int{1}, Unique: true, Constraint: true}}},
		},
		Views: []UserView{{ID: 3, Name: "v", Definition: " SELECT demo.id,\n    demo.name\n   FROM demo;", Columns: []UserColumn{
			{Name: "id", TypeOID: 23, TypeMod: -1}, {Name: "name", TypeOID: 1043, TypeMod: 24},
		}}},
		Sequences: []UserSequence{
			{ID: 4, Name: "s1", Start: 1, Increment: 1, Min: 1, Max: 9223372036854775807, Cache: 1},
			{Name: "ser_id_seq", TypeOID: 23, Start: 1, Increment: 1, Min: 1, Max: 2147483647, Cache: 1, OwnerTable: "ser", OwnerColumn: "id"},
		},
	}
}

// pgSide is a PostgreSQL database holding schemaDDL and the matching
// snapshot.
type pgSide struct {
	conn *pgconn.PgConn
	snap *Snapshot
}

// comparedSettings are the settings whose pg_settings rows are compared.
var comparedSettings = []string{"application_name", "bytea_output", "client_encoding", "client_min_messages",
	"DateStyle", "default_transaction_isolation", "extra_float_digits", "integer_datetimes", "IntervalStyle",
	"lc_messages", "lock_timeout", "max_identifier_length", "search_path", "server_encoding",
	"standard_conforming_strings", "statement_timeout", "TimeZone", "transaction_isolation", "work_mem"}

func setupPG(t *testing.T) *pgSide {
	t.Helper()
	srv := pgtest.Shared(t)
	dsn := srv.FreshDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgconn.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, schemaDDL).ReadAll(); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	var roles []Role
	for _, row := range query(t, conn, `SELECT oid, rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,
		rolreplication, rolbypassrls, rolconnlimit FROM pg_roles WHERE rolname !~ '^pg_'`) {
		oid, _ := strconv.ParseUint(*row[0], 10, 32)
		limit, _ := strconv.ParseInt(*row[9], 10, 64)
		b := func(i int) bool { return *row[i] == "t" }
		roles = append(roles, Role{OID: uint32(oid), Name: *row[1], Superuser: b(2), Inherit: b(3), CreateRole: b(4),
			CreateDB: b(5), Login: b(6), Replication: b(7), Bypass: b(8), ConnLimit: limit})
	}
	var settings []Setting
	for _, name := range comparedSettings {
		v := query(t, conn, "SHOW "+name)[0][0]
		settings = append(settings, Setting{Name: name, Value: *v})
	}
	db := *query(t, conn, "SELECT current_database()")[0][0]
	return &pgSide{conn: conn, snap: testSnapshot(db, roles, settings)}
}

// query runs sql on PostgreSQL and returns its text values (nil for NULL).
func query(t *testing.T, conn *pgconn.PgConn, sql string) [][]*string {
	t.Helper()
	rows, _ := queryCols(t, conn, sql)
	return rows
}

func queryCols(t *testing.T, conn *pgconn.PgConn, sql string) ([][]*string, []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	last := conn.ExecParams(ctx, sql, nil, nil, nil, nil).Read()
	if last.Err != nil {
		t.Fatalf("%s: %v", sql, last.Err)
	}
	var names []string
	for _, f := range last.FieldDescriptions {
		names = append(names, f.Name)
	}
	if len(names) == 0 && strings.HasPrefix(sql, "SELECT * FROM ") {
		// No rows: read the column names from the catalog.
		rel := strings.TrimPrefix(sql, "SELECT * FROM ")
		for _, r := range query(t, conn, "SELECT attname FROM pg_attribute WHERE attrelid = '"+rel+"'::regclass AND attnum > 0 ORDER BY attnum") {
			names = append(names, *r[0])
		}
	}
	var out [][]*string
	for _, r := range last.Rows {
		row := make([]*string, len(r))
		for i, v := range r {
			if v != nil {
				s := string(v)
				row[i] = &s
			}
		}
		out = append(out, row)
	}
	return out, names
}

// render turns a row value into PostgreSQL's text form.
func render(v any, typ uint32) *string {
	var s string
	switch x := v.(type) {
	case nil:
		return nil
	case int64:
		s = strconv.FormatInt(x, 10)
		if typ == oidRegproc {
			s = RegprocOut(uint32(x))
		}
	case float64:
		s = strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		s = "f"
		if x {
			s = "t"
		}
	case string:
		s = x
	case []int64:
		parts := make([]string, len(x))
		for i, n := range x {
			parts[i] = strconv.FormatInt(n, 10)
		}
		if typ == oidInt2Vector || typ == oidOIDVector {
			s = strings.Join(parts, " ")
		} else {
			s = "{" + strings.Join(parts, ",") + "}"
		}
	case []string:
		parts := make([]string, len(x))
		for i, e := range x {
			if e == "" || strings.ContainsAny(e, ` ,{}"\`) || strings.EqualFold(e, "null") {
				e = `"` + strings.ReplaceAll(strings.ReplaceAll(e, `\`, `\\`), `"`, `\"`) + `"`
			}
			parts[i] = e
		}
		s = "{" + strings.Join(parts, ",") + "}"
	default:
		s = fmt.Sprintf("unexpected %T", v)
	}
	return &s
}

// isOIDType reports whether values of a column type are OIDs to
// normalise.
func isOIDType(typ uint32) bool {
	return typ == oidOID || typ == oidRegclass || typ == oidOIDArray || typ == oidOIDVector
}

// normaliser maps user-object OIDs to names, so that both sides compare.
type normaliser map[string]string

func (n normaliser) apply(s *string, typ uint32) string {
	if s == nil {
		return "NULL"
	}
	if !isOIDType(typ) {
		return *s
	}
	v := *s
	trimmed := strings.Trim(v, "{}")
	sep := " "
	if strings.HasPrefix(v, "{") {
		sep = ","
	}
	var parts []string
	for _, p := range strings.Split(trimmed, sep) {
		if tok, ok := n[p]; ok {
			p = tok
		}
		parts = append(parts, p)
	}
	if strings.HasPrefix(v, "{") {
		return "{" + strings.Join(parts, ",") + "}"
	}
	return strings.Join(parts, " ")
}

// objectNames is the normaliser query: user objects' OIDs and names.
const objectNames = `SELECT oid, 'rel:' || relname FROM pg_class WHERE oid >= 16384
	UNION ALL SELECT oid, 'type:' || typname FROM pg_type WHERE oid >= 16384
	UNION ALL SELECT oid, 'con:' || conname FROM pg_constraint WHERE oid >= 16384
	UNION ALL SELECT d.oid, 'def:' || c.relname || '.' || d.adnum FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid`

func pgNormaliser(t *testing.T, conn *pgconn.PgConn) normaliser {
	n := normaliser{}
	for _, r := range query(t, conn, objectNames) {
		n[*r[0]] = *r[1]
	}
	return n
}

func aspenNormaliser(s *Snapshot) normaliser {
	n := normaliser{}
	ix := s.get()
	for _, r := range ix.rels {
		if r.sys == nil {
			n[strconv.FormatUint(uint64(r.oid), 10)] = "rel:" + r.name
			if r.conOID != 0 {
				n[strconv.FormatUint(uint64(r.conOID), 10)] = "con:" + r.name
			}
			for i, c := range r.cols {
				if c.defOID != 0 {
					n[strconv.FormatUint(uint64(c.defOID), 10)] = fmt.Sprintf("def:%s.%d", r.name, i+1)
				}
			}
		}
	}
	for _, t := range ix.types {
		if t.oid >= FirstNormalObjectID {
			n[strconv.FormatUint(uint64(t.oid), 10)] = "type:" + t.name
		}
	}
	return n
}

// catalogCase compares one system table's rows, restricted by filter
// (over the normalised text values by column name), minus skip columns.
type catalogCase struct {
	schema, table string
	filter        func(r map[string]string) bool
	skip          []string
}

func inSet(vals ...string) func(string) bool {
	return func(s string) bool {
		for _, v := range vals {
			if v == s {
				return true
			}
		}
		return false
	}
}

func TestCatalogsMatchPostgres(t *testing.T) {
	side := setupPG(t)
	pgNorm := pgNormaliser(t, side.conn)
	myNorm := aspenNormaliser(side.snap)
	public := func(col string) func(map[string]string) bool {
		return func(r map[string]string) bool { return r[col] == "2200" }
	}
	publicName := func(col string) func(map[string]string) bool {
		return func(r map[string]string) bool { return r[col] == "public" }
	}
	userRel := func(col string) func(map[string]string) bool {
		return func(r map[string]string) bool {
			return strings.HasPrefix(r[col], "rel:") && !strings.HasPrefix(r[col], "rel:pg_toast")
		}
	}
	all := func(map[string]string) bool { return true }
	var procOIDs []string
	for _, p := range builtinProcs {
		procOIDs = append(procOIDs, strconv.FormatUint(uint64(p.oid), 10))
	}
	var typeOIDs []string
	for _, ty := range builtinTypes {
		typeOIDs = append(typeOIDs, strconv.FormatUint(uint64(ty.oid), 10))
	}
	settingNames := inSet(comparedSettings...)
	cases := []catalogCase{
		{"pg_catalog", "pg_namespace", all, []string{"nspacl"}},
		{"pg_catalog", "pg_class", public("relnamespace"), []string{"reltoastrelid", "relfrozenxid", "relminmxid", "relpages", "reltuples", "relallvisible"}},
		{"pg_catalog", "pg_attribute", func(r map[string]string) bool {
			n, _ := strconv.Atoi(r["attnum"])
			return userRel("attrelid")(r) && n > 0
		}, nil},
		{"pg_catalog", "pg_attrdef", all, []string{"adbin"}},
		{"pg_catalog", "pg_type", public("typnamespace"), nil},
		{"pg_catalog", "pg_type", func(r map[string]string) bool { return inSet(typeOIDs...)(r["oid"]) }, nil},
		{"pg_catalog", "pg_proc", func(r map[string]string) bool { return inSet(procOIDs...)(r["oid"]) }, []string{"prosrc", "prosqlbody", "prosupport", "proleakproof", "proallargtypes", "proargmodes"}},
		{"pg_catalog", "pg_operator", all, nil},
		{"pg_catalog", "pg_cast", all, nil},
		{"pg_catalog", "pg_description", func(r map[string]string) bool {
			return inSet("1255", "1247", "2617", "2612", "2601", "2605")(r["classoid"]) && !strings.HasPrefix(r["objoid"], "rel:")
		}, nil},
		{"pg_catalog", "pg_range", all, nil},
		{"pg_catalog", "pg_index", userRel("indrelid"), nil},
		{"pg_catalog", "pg_constraint", public("connamespace"), nil},
		{"pg_catalog", "pg_description", userRel("objoid"), nil},
		{"pg_catalog", "pg_database", func(r map[string]string) bool { return r["datname"] == side.snap.Database }, []string{"oid", "datfrozenxid", "datminmxid"}},
		{"pg_catalog", "pg_roles", all, nil},
		{"pg_catalog", "pg_user", all, nil},
		{"pg_catalog", "pg_settings", func(r map[string]string) bool { return settingNames(r["name"]) }, []string{"short_desc", "extra_desc", "source", "sourcefile", "sourceline", "reset_val"}},
		{"pg_catalog", "pg_tablespace", all, nil},
		{"pg_catalog", "pg_am", all, nil},
		{"pg_catalog", "pg_extension", all, nil},
		{"pg_catalog", "pg_language", all, nil},
		{"pg_catalog", "pg_trigger", all, nil},
		{"pg_catalog", "pg_depend", func(r map[string]string) bool {
			return r["classid"] == "1259" && r["refclassid"] == "1259" && r["deptype"] == "a" && strings.HasSuffix(r["objid"], "_seq")
		}, nil},
		{"pg_catalog", "pg_collation", func(r map[string]string) bool { return inSet("100", "950", "951", "12340")(r["oid"]) }, []string{"collversion"}},
		{"pg_catalog", "pg_inherits", all, nil},
		{"pg_catalog", "pg_policy", all, nil},
		{"pg_catalog", "pg_statistic_ext", all, nil},
		{"pg_catalog", "pg_publication", all, nil},
		{"pg_catalog", "pg_publication_rel", all, nil},
		{"pg_catalog", "pg_publication_namespace", all, nil},
		{"pg_catalog", "pg_auth_members", all, nil},
		{"pg_catalog", "pg_sequence", all, nil},
		{"pg_catalog", "pg_sequences", all, []string{"last_value"}},
		{"pg_catalog", "pg_tables", publicName("schemaname"), nil},
		{"pg_catalog", "pg_views", publicName("schemaname"), nil},
		{"pg_catalog", "pg_indexes", publicName("schemaname"), nil},
		{"pg_catalog", "pg_matviews", all, nil},
		{"pg_catalog", "pg_enum", all, nil},
		{"information_schema", "tables", publicName("table_schema"), nil},
		{"information_schema", "columns", publicName("table_schema"), nil},
		{"information_schema", "schemata", all, nil},
		{"information_schema", "sequences", all, nil},
		{"information_schema", "key_column_usage", publicName("table_schema"), nil},
		{"information_schema", "table_constraints", func(r map[string]string) bool {
			return r["table_schema"] == "public" && r["constraint_type"] != "CHECK"
		}, nil},
		{"information_schema", "constraint_column_usage", publicName("table_schema"), nil},
		{"information_schema", "views", publicName("table_schema"), nil},
		{"information_schema", "referential_constraints", all, nil},
	}
	for _, c := range cases {
		t.Run(c.schema+"."+c.table, func(t *testing.T) {
			decl, ok := Lookup(c.schema, c.table)
			if !ok {
				t.Fatalf("no declaration")
			}
			skip := inSet(c.skip...)
			var cols []string
			for _, col := range decl.Columns {
				if !skip(col.Name) {
					cols = append(cols, col.Name)
				}
			}
			// PostgreSQL's rows.
			pgRows, pgCols := queryCols(t, side.conn, fmt.Sprintf("SELECT * FROM %s.%s", c.schema, c.table))
			if len(pgCols) != len(decl.Columns) {
				t.Errorf("PostgreSQL has %d columns %v, declared %d", len(pgCols), pgCols, len(decl.Columns))
			}
			for i, col := range decl.Columns {
				if i < len(pgCols) && pgCols[i] != col.Name {
					t.Errorf("column %d: PostgreSQL %q, declared %q", i+1, pgCols[i], col.Name)
				}
			}
			typeOf := map[string]uint32{}
			for _, col := range decl.Columns {
				typeOf[col.Name] = col.Type
			}
			var want []string
			for _, r := range pgRows {
				m := map[string]string{}
				for i, name := range pgCols {
					m[name] = pgNorm.apply(r[i], typeOf[name])
				}
				if c.filter(m) {
					want = append(want, line(m, cols))
				}
			}
			var got []string
			for _, r := range decl.Rows(side.snap) {
				m := map[string]string{}
				for i, col := range decl.Columns {
					m[col.Name] = myNorm.apply(render(r[i], col.Type), col.Type)
				}
				if c.filter(m) {
					got = append(got, line(m, cols))
				}
			}
			sort.Strings(want)
			sort.Strings(got)
			if onlyPG, onlyAspen := diff(want, got); len(onlyPG)+len(onlyAspen) > 0 {
				t.Errorf("rows differ (%d rows in PostgreSQL, %d in Aspen)\nPostgreSQL only:\n%s\nAspen only:\n%s",
					len(want), len(got), strings.Join(onlyPG, "\n"), strings.Join(onlyAspen, "\n"))
			}
		})
	}
}

// diff returns the lines only in a and only in b (sorted inputs).
func diff(a, b []string) (onlyA, onlyB []string) {
	count := map[string]int{}
	for _, l := range a {
		count[l]++
	}
	for _, l := range b {
		count[l]--
	}
	for _, l := range a {
		if count[l] > 0 {
			onlyA = append(onlyA, l)
			count[l]--
		}
	}
	for _, l := range b {
		if count[l] < 0 {
			onlyB = append(onlyB, l)
			count[l]++
		}
	}
	return onlyA, onlyB
}

// line renders the compared columns of a row.
func line(m map[string]string, cols []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + "=" + m[c]
	}
	return strings.Join(parts, " | ")
}
