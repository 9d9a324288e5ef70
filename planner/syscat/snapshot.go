package syscat

// The input of the catalogs: a snapshot of the user catalog, and the
// object identifiers derived from it.

import (
	"sort"
	"sync"
)

// Well-known OIDs of PostgreSQL 15.
const (
	// FirstNormalObjectID is the first OID of a user object.
	FirstNormalObjectID = 16384
	// BootstrapSuperuserOID is the OID of the bootstrap superuser,
	// Aspen's default user.
	BootstrapSuperuserOID = 10
	// DatabaseOwnerRoleOID is pg_database_owner, the owner of public.
	DatabaseOwnerRoleOID = 6171

	PgCatalogNamespace         = 11
	PgToastNamespace           = 99
	PublicNamespace            = 2200
	InformationSchemaNamespace = 13207

	DefaultTablespace = 1663
	GlobalTablespace  = 1664

	HeapAM  = 2
	BtreeAM = 403

	DefaultCollation = 100
	CCollation       = 950

	// Catalog relation OIDs, the classid/classoid of pg_depend and
	// pg_description.
	PgClassOID      = 1259
	PgTypeOID       = 1247
	PgProcOID       = 1255
	PgConstraintOID = 2606
	PgAttrdefOID    = 2604
	PgNamespaceOID  = 2615

	// UTF8Encoding is the encoding number of UTF8.
	UTF8Encoding = 6
)

// Type OIDs used by the declarations.
const (
	oidBool        = 16
	oidBytea       = 17
	oidChar        = 18
	oidName        = 19
	oidInt8        = 20
	oidInt2        = 21
	oidInt2Vector  = 22
	oidInt4        = 23
	oidRegproc     = 24
	oidText        = 25
	oidOID         = 26
	oidXID         = 28
	oidOIDVector   = 30
	oidPgNodeTree  = 194
	oidFloat4      = 700
	oidFloat8      = 701
	oidInet        = 869
	oidInt2Array   = 1005
	oidTextArray   = 1009
	oidCharArray   = 1002
	oidOIDArray    = 1028
	oidACLItemArr  = 1034
	oidBPChar      = 1042
	oidVarchar     = 1043
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestampTZ = 1184
	oidInterval    = 1186
	oidTimeTZ      = 1266
	oidBit         = 1560
	oidVarbit      = 1562
	oidNumeric     = 1700
	oidRegclass    = 2205
	oidRegtype     = 2206
	oidRecord      = 2249
	oidAnyArray    = 2277
)

// MaxTableID is the largest store table id that maps to OIDs (see the
// package documentation).
const MaxTableID = (1<<31-FirstNormalObjectID)>>12 - 1

// maxIndexID is the largest store index id that maps to OIDs.
const maxIndexID = 1016

// RelationOID returns the OID of the table (or view or sequence) with
// store id id, and false when the id is out of the mapped range.
func RelationOID(id int64) (uint32, bool) {
	if id < 1 || id > MaxTableID {
		return 0, false
	}
	return FirstNormalObjectID + uint32(id)<<12, true
}

// IndexOID returns the OID of the secondary index with store id ix of the
// table with store id table, and false when either is out of range.
func IndexOID(table, ix int64) (uint32, bool) {
	base, ok := RelationOID(table)
	if !ok || ix < 1 || ix > maxIndexID {
		return 0, false
	}
	return base + 16 + 2*uint32(ix-1), true
}

// Offsets of a table's derived objects from its relation OID.
const (
	offRowType     = 1
	offArrayType   = 2
	offPKIndex     = 3
	offPKConstr    = 4
	offAttrdef     = 2048
	hashedOIDStart = 1 << 31
)

// Snapshot is the user catalog as one transaction sees it, with the
// session's identity and settings: the input of every system table. The
// zero values of the optional fields give PostgreSQL's defaults. A
// Snapshot must not be changed after its first use; it is safe for
// concurrent reads.
type Snapshot struct {
	// Database is the current database's name; User the current user's.
	Database string
	User     string
	// Settings are the session's settings (SHOW names and values), for
	// pg_settings and current_setting.
	Settings []Setting
	// Roles lists the roles; empty means one: User, superuser, OID 10.
	// PostgreSQL's predefined pg_* roles are always added.
	Roles []Role
	// Databases lists the databases; empty means Database only.
	Databases []Database
	// Backends are the node's client sessions (pg_stat_activity).
	Backends []Backend

	Tables    []UserTable
	Views     []UserView
	Sequences []UserSequence

	once sync.Once
	ix   *index
}

// Setting is one session setting.
type Setting struct {
	Name, Value string
}

// Role is a role of pg_roles.
type Role struct {
	OID                                  uint32
	Name                                 string
	Superuser, Inherit, CreateRole       bool
	CreateDB, Login, Replication, Bypass bool
	ConnLimit                            int64
}

// Database is a database of pg_database. An OID of 0 is filled in: 1, 4
// and 5 for template1, template0 and postgres, 16384 and up for others in
// name order.
type Database struct {
	OID  uint32
	Name string
}

// UserTable is a user table: a store descriptor with SQL types.
type UserTable struct {
	// ID is the store's table id; the OIDs derive from it.
	ID      int64
	Name    string
	Columns []UserColumn
	// PrimaryKey lists the primary key's column positions (0-based);
	// empty when the table has none. PKName names its constraint and
	// index.
	PrimaryKey []int
	PKName     string
	Indexes    []UserIndex
	// Checks and ForeignKeys are the CHECK and FOREIGN KEY constraints.
	Checks      []UserCheck
	ForeignKeys []UserForeignKey
	// Stats are the table's statistics from ANALYZE; nil before one.
	Stats *TableStats
}

// UserColumn is a column of a table or view.
type UserColumn struct {
	Name    string
	TypeOID uint32
	TypeMod int32
	NotNull bool
	// Default is the SQL text of the default expression as pg_get_expr
	// shows it; empty for none.
	Default string
	// Identity is "a" (GENERATED ALWAYS AS IDENTITY) or "d" (BY
	// DEFAULT) for an identity column, whose Default is then not shown.
	Identity string
	// Generated is "s" for a stored generated column, whose Default is
	// then its generation expression.
	Generated string
	// GenerationExpr is a generated column's expression as pg_get_expr
	// shows it without its pretty flag.
	GenerationExpr string
}

// UserIndex is a secondary index of a table.
type UserIndex struct {
	// ID is the store's index id, unique within its table.
	ID      int64
	Name    string
	Columns []int // column positions, 0-based
	Unique  bool
	// Constraint marks an index that backs a UNIQUE constraint (from
	// CREATE TABLE or ALTER TABLE ADD UNIQUE) rather than one made with
	// CREATE UNIQUE INDEX: it has a pg_constraint row.
	Constraint bool
}

// UserView is a view.
type UserView struct {
	// ID is a store id from the table id counter; 0 when the store has
	// none (the OID is then hashed from the name).
	ID   int64
	Name string
	// Definition is the view's query text, as pg_get_viewdef returns it;
	// PrettyDefinition as it returns it with its pretty flag (empty means
	// Definition).
	Definition       string
	PrettyDefinition string
	Columns          []UserColumn
}

// UserSequence is a sequence.
type UserSequence struct {
	// ID is a store id from the table id counter, or 0 (see UserView).
	ID                                int64
	Name                              string
	TypeOID                           uint32 // int2, int4 or int8; 0 means int8
	Start, Increment, Min, Max, Cache int64
	Cycle                             bool
	// OwnerTable and OwnerColumn name the serial column that owns the
	// sequence (OWNED BY), empty for none.
	OwnerTable, OwnerColumn string
	// Identity marks an identity column's sequence (an internal
	// dependency rather than an automatic one).
	Identity bool
	// LastValue is the last value handed out, nil before the first
	// (pg_sequences.last_value).
	LastValue *int64
}

// relation is a pg_class entry with its OIDs resolved.
type relation struct {
	oid     uint32
	name    string
	nsp     uint32
	kind    byte // r table, v view, i index, S sequence
	rowType uint32
	cols    []column
	table   *UserTable
	view    *UserView
	seq     *UserSequence
	sys     *Table
	// For an index: the table, the key columns (attnums), and the
	// constraint it backs (0 for none).
	indrel   *relation
	indkey   []int64
	unique   bool
	primary  bool
	conOID   uint32
	conType  byte
	children []*relation // a table's indexes: primary key first
}

// column is a pg_attribute entry.
type column struct {
	name    string
	typ     uint32
	mod     int32
	notNull bool
	def     string
	defOID  uint32
	ident   string // attidentity
	gen     string // attgenerated
	genExpr string // generation expression, non-pretty
}

// index is the resolved snapshot: every relation by OID and by name.
type index struct {
	rels      []*relation // ordered by OID
	byOID     map[uint32]*relation
	byName    map[nameKey]*relation
	types     map[uint32]*typeRow
	typeNames map[nameKey]*typeRow
	roles     []Role
	dbs       []Database
}

// nameKey is a schema-qualified name.
type nameKey struct {
	nsp  uint32
	name string
}

// typeRow is a pg_type row: built-in or a relation's row type (or its
// array).
type typeRow struct {
	typeInfo
	nsp   uint32
	relid uint32
}

// get returns the resolved snapshot, building it on first use.
func (s *Snapshot) get() *index {
	s.once.Do(func() { s.ix = s.build() })
	return s.ix
}

// build resolves OIDs.
func (s *Snapshot) build() *index {
	ix := &index{
		byOID:     map[uint32]*relation{},
		byName:    map[nameKey]*relation{},
		types:     map[uint32]*typeRow{},
		typeNames: map[nameKey]*typeRow{},
	}
	for i := range builtinTypes {
		t := &typeRow{typeInfo: builtinTypes[i], nsp: PgCatalogNamespace}
		ix.types[t.oid] = t
		ix.typeNames[nameKey{PgCatalogNamespace, t.name}] = t
	}
	add := func(r *relation) {
		if _, dup := ix.byOID[r.oid]; dup {
			return
		}
		if _, dup := ix.byName[nameKey{r.nsp, r.name}]; dup {
			return
		}
		ix.byOID[r.oid] = r
		ix.byName[nameKey{r.nsp, r.name}] = r
		ix.rels = append(ix.rels, r)
		if r.rowType != 0 {
			ix.addRowType(r)
		}
	}
	for _, t := range declared {
		r := &relation{oid: t.OID, name: t.Name, nsp: t.namespace(), kind: t.kind(), rowType: t.RowType, sys: t}
		for _, c := range t.Columns {
			r.cols = append(r.cols, column{name: c.Name, typ: c.Type, mod: c.TypeMod})
		}
		add(r)
	}
	for i := range s.Tables {
		t := &s.Tables[i]
		base, ok := RelationOID(t.ID)
		if !ok {
			continue
		}
		r := &relation{oid: base, name: t.Name, nsp: PublicNamespace, kind: 'r', rowType: base + offRowType, table: t}
		for n, c := range t.Columns {
			col := column{name: c.Name, typ: c.TypeOID, mod: c.TypeMod, notNull: c.NotNull, def: c.Default, ident: c.Identity, gen: c.Generated, genExpr: c.GenerationExpr}
			if c.Identity != "" {
				col.def = ""
			}
			if col.def != "" && n < 2048 {
				col.defOID = base + offAttrdef + uint32(n)
			}
			if containsInt(t.PrimaryKey, n) {
				col.notNull = true
			}
			r.cols = append(r.cols, col)
		}
		add(r)
		if len(t.PrimaryKey) > 0 {
			name := t.PKName
			if name == "" {
				name = t.Name + "_pkey"
			}
			pk := &relation{oid: base + offPKIndex, name: name, nsp: PublicNamespace, kind: 'i', indrel: r,
				indkey: attnums(t.PrimaryKey), unique: true, primary: true, conOID: base + offPKConstr, conType: 'p'}
			pk.cols = indexColumns(r, t.PrimaryKey)
			add(pk)
			r.children = append(r.children, pk)
		}
		for j := range t.Indexes {
			x := &t.Indexes[j]
			oid, ok := IndexOID(t.ID, x.ID)
			if !ok {
				continue
			}
			ir := &relation{oid: oid, name: x.Name, nsp: PublicNamespace, kind: 'i', indrel: r, indkey: attnums(x.Columns), unique: x.Unique}
			if x.Constraint && x.Unique {
				ir.conOID, ir.conType = oid+1, 'u'
			}
			ir.cols = indexColumns(r, x.Columns)
			add(ir)
			r.children = append(r.children, ir)
		}
	}
	// Views and sequences without a store id get hashed OIDs, assigned
	// in name order so that collisions resolve the same way every time.
	type pending struct {
		name string
		set  func(oid uint32)
	}
	var hashed []pending
	for i := range s.Views {
		v := &s.Views[i]
		mk := func(oid uint32) {
			r := &relation{oid: oid, name: v.Name, nsp: PublicNamespace, kind: 'v', view: v}
			if oid < hashedOIDStart {
				r.rowType = oid + offRowType
			}
			for _, c := range v.Columns {
				r.cols = append(r.cols, column{name: c.Name, typ: c.TypeOID, mod: c.TypeMod})
			}
			add(r)
		}
		if oid, ok := RelationOID(v.ID); ok {
			mk(oid)
		} else {
			hashed = append(hashed, pending{v.Name, mk})
		}
	}
	for i := range s.Sequences {
		q := &s.Sequences[i]
		mk := func(oid uint32) {
			// A sequence has no row type in PostgreSQL 15.
			r := &relation{oid: oid, name: q.Name, nsp: PublicNamespace, kind: 'S', seq: q}
			r.cols = []column{
				{name: "last_value", typ: oidInt8, mod: -1, notNull: true},
				{name: "log_cnt", typ: oidInt8, mod: -1, notNull: true},
				{name: "is_called", typ: oidBool, mod: -1, notNull: true},
			}
			add(r)
		}
		if oid, ok := RelationOID(q.ID); ok {
			mk(oid)
		} else {
			hashed = append(hashed, pending{q.Name, mk})
		}
	}
	sort.Slice(hashed, func(i, j int) bool { return hashed[i].name < hashed[j].name })
	for _, p := range hashed {
		oid := HashedRelationOID(p.name)
		for ix.byOID[oid] != nil {
			oid++
			if oid == 0 {
				oid = hashedOIDStart
			}
		}
		p.set(oid)
	}
	sort.Slice(ix.rels, func(i, j int) bool { return ix.rels[i].oid < ix.rels[j].oid })
	ix.roles = s.roles()
	ix.dbs = s.databases()
	return ix
}

// addRowType adds the composite type of a table or view and its array.
func (ix *index) addRowType(r *relation) {
	row := &typeRow{nsp: r.nsp, relid: r.oid, typeInfo: typeInfo{
		oid: r.rowType, name: r.name, len: -1, typtype: 'c', category: 'C', delim: ',',
		array: r.rowType + 1, input: "record_in", output: "record_out", receive: "record_recv", send: "record_send",
		modin: "-", modout: "-", analyze: "-", align: 'd', storage: 'x', subscript: "-",
	}}
	if r.sys != nil {
		row.array = r.sys.ArrayType
	}
	ix.types[row.oid] = row
	ix.typeNames[nameKey{row.nsp, row.name}] = row
	if row.array == 0 {
		return
	}
	arr := &typeRow{nsp: r.nsp, typeInfo: typeInfo{
		oid: row.array, name: "_" + r.name, len: -1, typtype: 'b', category: 'A', delim: ',',
		elem: row.oid, input: "array_in", output: "array_out", receive: "array_recv", send: "array_send",
		modin: "-", modout: "-", analyze: "array_typanalyze", align: 'd', storage: 'x', subscript: "array_subscript_handler",
	}}
	ix.types[arr.oid] = arr
	ix.typeNames[nameKey{arr.nsp, arr.name}] = arr
}

// roles returns the roles with the predefined ones.
func (s *Snapshot) roles() []Role {
	out := append([]Role(nil), s.Roles...)
	if len(out) == 0 {
		out = append(out, Role{OID: BootstrapSuperuserOID, Name: s.User, Superuser: true, Inherit: true,
			CreateRole: true, CreateDB: true, Login: true, Replication: true, Bypass: true, ConnLimit: -1})
	}
	for _, p := range predefinedRoles {
		out = append(out, Role{OID: p.oid, Name: p.name, Inherit: true, ConnLimit: -1})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OID < out[j].OID })
	return out
}

// predefinedRoles are PostgreSQL 15's built-in roles.
var predefinedRoles = []struct {
	oid  uint32
	name string
}{
	{3373, "pg_monitor"}, {3374, "pg_read_all_settings"}, {3375, "pg_read_all_stats"},
	{3377, "pg_stat_scan_tables"}, {4200, "pg_signal_backend"}, {4544, "pg_checkpoint"},
	{4569, "pg_read_server_files"}, {4570, "pg_write_server_files"}, {4571, "pg_execute_server_program"},
	{DatabaseOwnerRoleOID, "pg_database_owner"}, {6181, "pg_read_all_data"}, {6182, "pg_write_all_data"},
}

// bootstrapName is the name of the bootstrap superuser (OID 10).
func (s *Snapshot) bootstrapName() string {
	for _, r := range s.get().roles {
		if r.OID == BootstrapSuperuserOID {
			return QuoteIdent(r.Name)
		}
	}
	return "aspen"
}

// StandardDatabases are the databases initdb makes, which pg_database
// lists besides the current one.
var StandardDatabases = []string{"postgres", "template0", "template1"}

// IsStandardDatabase reports whether name is one of StandardDatabases.
func IsStandardDatabase(name string) bool {
	for _, d := range StandardDatabases {
		if d == name {
			return true
		}
	}
	return false
}

// databases returns the databases with their OIDs.
func (s *Snapshot) databases() []Database {
	out := append([]Database(nil), s.Databases...)
	if len(out) == 0 {
		out = append(out, Database{Name: s.Database})
	}
	// Every PostgreSQL cluster has template0, template1 and postgres, and
	// tools look for them (psql's \l, pgAdmin): Aspen lists them too, as
	// empty databases (a client connecting to any of them reaches Aspen's
	// single database under that name).
	for _, std := range StandardDatabases {
		has := false
		for _, d := range out {
			has = has || d.Name == std
		}
		if !has {
			out = append(out, Database{Name: std})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	next := uint32(FirstNormalObjectID)
	for i := range out {
		if out[i].OID != 0 {
			continue
		}
		switch out[i].Name {
		case "template1":
			out[i].OID = 1
		case "template0":
			out[i].OID = 4
		case "postgres":
			out[i].OID = 5
		default:
			out[i].OID = next
			next++
		}
	}
	return out
}

// DatabaseOID returns the current database's OID.
func (s *Snapshot) DatabaseOID() uint32 {
	for _, d := range s.get().dbs {
		if d.Name == s.Database {
			return d.OID
		}
	}
	return 0
}

// UserOID returns the current user's OID.
func (s *Snapshot) UserOID() uint32 {
	for _, r := range s.get().roles {
		if r.Name == s.User {
			return r.OID
		}
	}
	return BootstrapSuperuserOID
}

// TableOID returns the OID of the named table, view, index or sequence,
// looked up in the search path (pg_catalog, then public), for a
// RowDescription's TableID; 0 when there is none.
func (s *Snapshot) TableOID(name string) uint32 {
	if r := s.get().lookup("", name); r != nil {
		return r.oid
	}
	return 0
}

// lookup finds a relation by schema (empty: the search path) and name.
func (ix *index) lookup(schema, name string) *relation {
	if schema != "" {
		nsp, ok := namespaceOID(schema)
		if !ok {
			return nil
		}
		return ix.byName[nameKey{nsp, name}]
	}
	for _, nsp := range searchPath {
		if r := ix.byName[nameKey{nsp, name}]; r != nil {
			return r
		}
	}
	return nil
}

// searchPath is the effective search path: pg_catalog is searched first,
// then public ($user has no schema).
var searchPath = []uint32{PgCatalogNamespace, PublicNamespace}

// namespaces are the schemas, in OID order.
var namespaces = []struct {
	oid   uint32
	name  string
	owner uint32
}{
	{PgCatalogNamespace, "pg_catalog", BootstrapSuperuserOID},
	{PgToastNamespace, "pg_toast", BootstrapSuperuserOID},
	{PublicNamespace, "public", DatabaseOwnerRoleOID},
	{InformationSchemaNamespace, "information_schema", BootstrapSuperuserOID},
}

// namespaceOID returns the OID of a schema.
func namespaceOID(name string) (uint32, bool) {
	for _, n := range namespaces {
		if n.name == name {
			return n.oid, true
		}
	}
	return 0, false
}

// namespaceName returns the name of a schema OID.
func namespaceName(oid uint32) (string, bool) {
	for _, n := range namespaces {
		if n.oid == oid {
			return n.name, true
		}
	}
	return "", false
}

// indexColumns returns the pg_attribute columns of an index on cols.
func indexColumns(r *relation, cols []int) []column {
	var out []column
	for _, c := range cols {
		if c >= 0 && c < len(r.cols) {
			out = append(out, column{name: r.cols[c].name, typ: r.cols[c].typ, mod: r.cols[c].mod})
		}
	}
	return out
}

// attnums turns 0-based positions into attnums.
func attnums(cols []int) []int64 {
	out := make([]int64, len(cols))
	for i, c := range cols {
		out[i] = int64(c) + 1
	}
	return out
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
