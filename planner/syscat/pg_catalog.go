package syscat

// The pg_catalog tables: one declaration each (columns in colsdecl.go).

import (
	"sort"
	"strings"
)

// declared lists every system table, pg_catalog's first, by name. It is
// filled by init because the rows functions refer back to it.
var declared []*Table

func init() {
	declared = []*Table{
		{Schema: "pg_catalog", Name: "pg_am", OID: 2601, RowType: 10015, ArrayType: 10014, Columns: pgAmCols, rows: pgAmRows},
		{Schema: "pg_catalog", Name: "pg_attrdef", OID: 2604, RowType: 10001, ArrayType: 10000, Columns: pgAttrdefCols, rows: pgAttrdefRows},
		{Schema: "pg_catalog", Name: "pg_attribute", OID: 1249, RowType: 75, ArrayType: 270, Columns: pgAttributeCols, rows: pgAttributeRows},
		{Schema: "pg_catalog", Name: "pg_auth_members", OID: 1261, RowType: 2843, ArrayType: 10057, Columns: pgAuthMembersCols, rows: pgAuthMembersRows},
		{Schema: "pg_catalog", Name: "pg_class", OID: PgClassOID, RowType: 83, ArrayType: 273, Columns: pgClassCols, rows: pgClassRows},
		{Schema: "pg_catalog", Name: "pg_collation", OID: 3456, RowType: 10095, ArrayType: 10094, Columns: pgCollationCols, rows: pgCollationRows},
		{Schema: "pg_catalog", Name: "pg_constraint", OID: PgConstraintOID, RowType: 10003, ArrayType: 10002, Columns: pgConstraintCols, rows: pgConstraintRows},
		{Schema: "pg_catalog", Name: "pg_database", OID: 1262, RowType: 1248, ArrayType: 10052, Columns: pgDatabaseCols, rows: pgDatabaseRows},
		{Schema: "pg_catalog", Name: "pg_depend", OID: 2608, RowType: 10051, ArrayType: 10050, Columns: pgDependCols, rows: pgDependRows},
		{Schema: "pg_catalog", Name: "pg_description", OID: 2609, RowType: 10041, ArrayType: 10040, Columns: pgDescriptionCols, rows: pgDescriptionRows},
		{Schema: "pg_catalog", Name: "pg_enum", OID: 3501, RowType: 10045, ArrayType: 10044, Columns: pgEnumCols, rows: noRows},
		{Schema: "pg_catalog", Name: "pg_extension", OID: 3079, RowType: 10074, ArrayType: 10073, Columns: pgExtensionCols, rows: pgExtensionRows},
		{Schema: "pg_catalog", Name: "pg_index", OID: 2610, RowType: 10007, ArrayType: 10006, Columns: pgIndexCols, rows: pgIndexRows},
		{Schema: "pg_catalog", Name: "pg_indexes", OID: 12043, RowType: 12045, ArrayType: 12044, View: true, Columns: pgIndexesCols, rows: pgIndexesRows},
		{Schema: "pg_catalog", Name: "pg_inherits", OID: 2611, RowType: 10005, ArrayType: 10004, Columns: pgInheritsCols, rows: noRows},
		{Schema: "pg_catalog", Name: "pg_language", OID: 2612, RowType: 10021, ArrayType: 10020, Columns: pgLanguageCols, rows: pgLanguageRows},
		{Schema: "pg_catalog", Name: "pg_matviews", OID: 12038, RowType: 12040, ArrayType: 12039, View: true, Columns: pgMatviewsCols, rows: noRows},
		{Schema: "pg_catalog", Name: "pg_namespace", OID: PgNamespaceOID, RowType: 10047, ArrayType: 10046, Columns: pgNamespaceCols, rows: pgNamespaceRows},
		{Schema: "pg_catalog", Name: "pg_policy", OID: 3256, RowType: 10084, ArrayType: 10083, Columns: pgPolicyCols, rows: noRows},
		{Schema: "pg_catalog", Name: "pg_proc", OID: PgProcOID, RowType: 81, ArrayType: 272, Columns: pgProcCols, rows: pgProcRows},
		{Schema: "pg_catalog", Name: "pg_publication", OID: 6104, RowType: 10107, ArrayType: 10106, Columns: pgPublicationCols, rows: noRows},
		{Schema: "pg_catalog", Name: "pg_publication_namespace", OID: 6237, RowType: 10109, ArrayType: 10108, Columns: pgPublicationNamespaceCols, rows: noRows},
		{Schema: "pg_catalog", Name: "pg_publication_rel", OID: 6106, RowType: 10111, ArrayType: 10110, Columns: pgPublicationRelCols, rows: noRows},
		{Schema: "pg_catalog", Name: "pg_range", OID: 3541, RowType: 10101, ArrayType: 10100, Columns: pgRangeCols, rows: pgRangeRows},
		{Schema: "pg_catalog", Name: "pg_rewrite", OID: 2618, RowType: 10035, ArrayType: 10034, Columns: pgRewriteCols, rows: noRows},
		{Schema: "pg_catalog", Name: "pg_roles", OID: 12000, RowType: 12002, ArrayType: 12001, View: true, Columns: pgRolesCols, rows: pgRolesRows},
		{Schema: "pg_catalog", Name: "pg_sequence", OID: 2224, RowType: 10105, ArrayType: 10104, Columns: pgSequenceCols, rows: pgSequenceRows},
		{Schema: "pg_catalog", Name: "pg_sequences", OID: 12048, RowType: 12050, ArrayType: 12049, View: true, Columns: pgSequencesCols, rows: pgSequencesRows},
		{Schema: "pg_catalog", Name: "pg_settings", OID: 12104, RowType: 12106, ArrayType: 12105, View: true, Columns: pgSettingsCols, rows: pgSettingsRows},
		{Schema: "pg_catalog", Name: "pg_shdescription", OID: 2396, RowType: 10062, ArrayType: 10061, Columns: pgShdescriptionCols, rows: pgShdescriptionRows},
		{Schema: "pg_catalog", Name: "pg_statistic_ext", OID: 3381, RowType: 10031, ArrayType: 10030, Columns: pgStatisticExtCols, rows: noRows},
		{Schema: "pg_catalog", Name: "pg_tables", OID: 12033, RowType: 12035, ArrayType: 12034, View: true, Columns: pgTablesCols, rows: pgTablesRows},
		{Schema: "pg_catalog", Name: "pg_tablespace", OID: 1213, RowType: 10056, ArrayType: 10055, Columns: pgTablespaceCols, rows: pgTablespaceRows},
		{Schema: "pg_catalog", Name: "pg_trigger", OID: 2620, RowType: 10037, ArrayType: 10036, Columns: pgTriggerCols, rows: noRows},
		{Schema: "pg_catalog", Name: "pg_type", OID: PgTypeOID, RowType: 71, ArrayType: 210, Columns: pgTypeCols, rows: pgTypeRows},
		{Schema: "pg_catalog", Name: "pg_user", OID: 12014, RowType: 12016, ArrayType: 12015, View: true, Columns: pgUserCols, rows: pgUserRows},
		{Schema: "pg_catalog", Name: "pg_views", OID: 12028, RowType: 12030, ArrayType: 12029, View: true, Columns: pgViewsCols, rows: pgViewsRows},

		{Schema: "information_schema", Name: "check_constraints", OID: 13260, RowType: 13262, ArrayType: 13261, View: true, Columns: isCheckConstraintsCols, rows: isCheckConstraintsRows},
		{Schema: "information_schema", Name: "columns", OID: 13295, RowType: 13297, ArrayType: 13296, View: true, Columns: isColumnsCols, rows: isColumnsRows},
		{Schema: "information_schema", Name: "constraint_column_usage", OID: 13300, RowType: 13302, ArrayType: 13301, View: true, Columns: isConstraintColumnUsageCols, rows: isConstraintColumnUsageRows},
		{Schema: "information_schema", Name: "key_column_usage", OID: 13329, RowType: 13331, ArrayType: 13330, View: true, Columns: isKeyColumnUsageCols, rows: isKeyColumnUsageRows},
		{Schema: "information_schema", Name: "referential_constraints", OID: 13339, RowType: 13341, ArrayType: 13340, View: true, Columns: isReferentialConstraintsCols, rows: isReferentialConstraintsRows},
		{Schema: "information_schema", Name: "schemata", OID: 13382, RowType: 13384, ArrayType: 13383, View: true, Columns: isSchemataCols, rows: isSchemataRows},
		{Schema: "information_schema", Name: "sequences", OID: 13386, RowType: 13388, ArrayType: 13387, View: true, Columns: isSequencesCols, rows: isSequencesRows},
		{Schema: "information_schema", Name: "table_constraints", OID: 13411, RowType: 13413, ArrayType: 13412, View: true, Columns: isTableConstraintsCols, rows: isTableConstraintsRows},
		{Schema: "information_schema", Name: "tables", OID: 13425, RowType: 13427, ArrayType: 13426, View: true, Columns: isTablesCols, rows: isTablesRows},
		{Schema: "information_schema", Name: "views", OID: 13483, RowType: 13485, ArrayType: 13484, View: true, Columns: isViewsCols, rows: isViewsRows},
	}
}

func noRows(*Snapshot) []rec { return nil }

// typ returns the pg_type row of an OID, or nil.
func (ix *index) typ(oid uint32) *typeRow { return ix.types[oid] }

// owner returns the owner OID of a relation.
func (s *Snapshot) owner(r *relation) int64 {
	if r.sys != nil {
		return BootstrapSuperuserOID
	}
	return i64(s.UserOID())
}

// isShared reports whether a system table is shared by all databases.
func isShared(r *relation) bool {
	if r.sys == nil {
		return false
	}
	switch r.sys.Name {
	case "pg_database", "pg_tablespace", "pg_auth_members", "pg_shdescription":
		return r.sys.Schema == "pg_catalog"
	}
	return false
}

func pgClassRows(s *Snapshot) []rec {
	ix := s.get()
	out := make([]rec, 0, len(ix.rels))
	for _, r := range ix.rels {
		row := rec{
			"oid": i64(r.oid), "relname": r.name, "relnamespace": i64(r.nsp), "reltype": i64(r.rowType),
			"reloftype": int64(0), "relowner": s.owner(r), "relam": int64(0), "relfilenode": int64(0),
			"reltablespace": int64(0), "relpages": int64(0), "reltuples": float64(-1), "relallvisible": int64(0),
			"reltoastrelid": int64(0), "relhasindex": len(r.children) > 0, "relisshared": isShared(r),
			"relpersistence": "p", "relkind": char(r.kind), "relnatts": i64(len(r.cols)), "relchecks": relChecks(r),
			"relhasrules": r.kind == 'v', "relhastriggers": ix.hasRITriggers(r), "relhassubclass": false,
			"relrowsecurity": false, "relforcerowsecurity": false, "relispopulated": true,
			"relreplident": "n", "relispartition": false, "relrewrite": int64(0),
			"relfrozenxid": int64(0), "relminmxid": int64(0),
		}
		switch r.kind {
		case 'r':
			row["relam"] = int64(HeapAM)
			row["relreplident"] = "d"
			if r.sys == nil {
				row["relfilenode"] = i64(r.oid)
			}
			if r.table != nil && r.table.Stats != nil {
				row["reltuples"] = r.table.Stats.Rows
			}
			if isShared(r) {
				row["reltablespace"] = int64(GlobalTablespace)
			}
		case 'i':
			row["relam"] = int64(BtreeAM)
			row["relfilenode"] = i64(r.oid)
			row["relpages"] = int64(1)
			row["reltuples"] = float64(0)
		case 'S':
			row["relfilenode"] = i64(r.oid)
			row["relpages"] = int64(1)
			row["reltuples"] = float64(1)
		}
		out = append(out, row)
	}
	return out
}

func pgNamespaceRows(s *Snapshot) []rec {
	var out []rec
	for _, n := range namespaces {
		out = append(out, rec{"oid": i64(n.oid), "nspname": n.name, "nspowner": i64(n.owner), "nspacl": s.namespaceACL(n.oid, n.owner)})
	}
	return out
}

func pgAttributeRows(s *Snapshot) []rec {
	ix := s.get()
	var out []rec
	for _, r := range ix.rels {
		for i, c := range r.cols {
			row := rec{
				"attrelid": i64(r.oid), "attname": c.name, "atttypid": i64(c.typ), "attstattarget": int64(-1),
				"attlen": int64(-1), "attnum": int64(i + 1), "attndims": int64(0), "attcacheoff": int64(-1),
				"atttypmod": i64(c.mod), "attbyval": false, "attalign": "i", "attstorage": "x",
				"attcompression": "", "attnotnull": c.notNull, "atthasdef": c.def != "", "atthasmissing": false,
				"attidentity": c.ident, "attgenerated": c.gen, "attisdropped": false, "attislocal": true,
				"attinhcount": int64(0), "attcollation": int64(0),
			}
			if t := ix.typ(c.typ); t != nil {
				row["attlen"] = t.len
				row["attbyval"] = t.byval
				row["attalign"] = char(t.align)
				row["attstorage"] = char(t.storage)
				row["attcollation"] = i64(t.collation)
				if t.category == 'A' && r.table != nil {
					row["attndims"] = int64(1)
				}
			}
			out = append(out, row)
		}
	}
	return out
}

func pgAttrdefRows(s *Snapshot) []rec {
	var out []rec
	for _, r := range s.get().rels {
		for i, c := range r.cols {
			if c.defOID != 0 {
				out = append(out, rec{"oid": i64(c.defOID), "adrelid": i64(r.oid), "adnum": int64(i + 1), "adbin": c.def})
			}
		}
	}
	return out
}

func pgTypeRows(s *Snapshot) []rec {
	ix := s.get()
	oids := make([]uint32, 0, len(ix.types))
	for oid := range ix.types {
		oids = append(oids, oid)
	}
	sort.Slice(oids, func(i, j int) bool { return oids[i] < oids[j] })
	out := make([]rec, 0, len(oids))
	for _, oid := range oids {
		t := ix.types[oid]
		owner := int64(BootstrapSuperuserOID)
		if t.nsp == PublicNamespace {
			owner = i64(s.UserOID())
		}
		out = append(out, rec{
			"oid": i64(t.oid), "typname": t.name, "typnamespace": i64(t.nsp), "typowner": owner,
			"typlen": t.len, "typbyval": t.byval, "typtype": char(t.typtype), "typcategory": char(t.category),
			"typispreferred": t.preferred, "typisdefined": true, "typdelim": char(t.delim), "typrelid": i64(t.relid),
			"typsubscript": t.subscript, "typelem": i64(t.elem), "typarray": i64(t.array),
			"typinput": t.input, "typoutput": t.output, "typreceive": t.receive, "typsend": t.send,
			"typmodin": t.modin, "typmodout": t.modout, "typanalyze": t.analyze,
			"typalign": char(t.align), "typstorage": char(t.storage), "typnotnull": false,
			"typbasetype": int64(0), "typtypmod": int64(-1), "typndims": int64(0), "typcollation": i64(t.collation),
		})
	}
	return out
}

func pgRangeRows(*Snapshot) []rec {
	ranges := []struct {
		typ, sub, multi, opc uint32
		canonical, diff      string
	}{
		{3904, 23, 4451, 1978, "int4range_canonical", "int4range_subdiff"},
		{3906, 1700, 4532, 3125, "-", "numrange_subdiff"},
		{3908, 1114, 4533, 3128, "-", "tsrange_subdiff"},
		{3910, 1184, 4534, 3127, "-", "tstzrange_subdiff"},
		{3912, 1082, 4535, 3122, "daterange_canonical", "daterange_subdiff"},
		{3926, 20, 4536, 3124, "int8range_canonical", "int8range_subdiff"},
	}
	var out []rec
	for _, r := range ranges {
		out = append(out, rec{"rngtypid": i64(r.typ), "rngsubtype": i64(r.sub), "rngmultitypid": i64(r.multi),
			"rngcollation": int64(0), "rngsubopc": i64(r.opc), "rngcanonical": r.canonical, "rngsubdiff": r.diff})
	}
	return out
}

func pgProcRows(*Snapshot) []rec {
	out := make([]rec, 0, len(builtinProcs))
	for _, p := range builtinProcs {
		if d, ok := dataProcs[p.oid]; ok {
			out = append(out, d.row)
			continue
		}
		args := oidList(p.argtypes)
		row := rec{
			"oid": i64(p.oid), "proname": p.name, "pronamespace": int64(PgCatalogNamespace),
			"proowner": int64(BootstrapSuperuserOID), "prolang": i64(p.lang), "procost": p.cost, "prorows": p.rows,
			"provariadic": i64(p.variadic), "prosupport": "-", "prokind": char(p.kind), "prosecdef": false,
			"proleakproof": false, "proisstrict": p.strict, "proretset": p.retset, "provolatile": char(p.volatile),
			"proparallel": char(p.parallel), "pronargs": int64(len(args)), "pronargdefaults": p.nargdefaults,
			"prorettype": i64(p.rettype), "proargtypes": args, "prosrc": p.src,
		}
		if p.argnames != "" {
			row["proargnames"] = strings.Fields(p.argnames)
		}
		out = append(out, row)
	}
	return out
}

// oidList parses a space-separated OID list.
func oidList(s string) []int64 {
	out := []int64{}
	for _, f := range strings.Fields(s) {
		var n int64
		for _, c := range f {
			n = n*10 + int64(c-'0')
		}
		out = append(out, n)
	}
	return out
}

// defaultOpclass is the default btree operator class of a type.
var defaultOpclass = map[uint32]int64{
	16: 10003, 17: 10006, 18: 10007, 19: 10028, 20: 3124, 21: 1979, 23: 1978, 25: 3126, 26: 1981,
	700: 10012, 701: 3123, 869: 10015, 1042: 10004, 1043: 3126, 1082: 3122, 1083: 10038, 1114: 3128,
	1184: 3127, 1186: 10022, 1266: 10041, 1560: 10002, 1562: 10043, 1700: 3125, 2950: 10065, 3802: 10088,
}

func pgIndexRows(s *Snapshot) []rec {
	ix := s.get()
	var out []rec
	for _, r := range ix.rels {
		if r.kind != 'i' {
			continue
		}
		n := int64(len(r.indkey))
		coll := make([]int64, 0, n)
		class := make([]int64, 0, n)
		opts := make([]int64, 0, n)
		for _, c := range r.cols {
			var cl int64
			if t := ix.typ(c.typ); t != nil {
				cl = i64(t.collation)
			}
			coll = append(coll, cl)
			class = append(class, defaultOpclass[c.typ])
			opts = append(opts, 0)
		}
		out = append(out, rec{
			"indexrelid": i64(r.oid), "indrelid": i64(r.indrel.oid), "indnatts": n, "indnkeyatts": n,
			"indisunique": r.unique, "indnullsnotdistinct": false, "indisprimary": r.primary,
			"indisexclusion": false, "indimmediate": true, "indisclustered": false, "indisvalid": true,
			"indcheckxmin": false, "indisready": true, "indislive": true, "indisreplident": false,
			"indkey": r.indkey, "indcollation": coll, "indclass": class, "indoption": opts,
		})
	}
	return out
}

func pgConstraintRows(s *Snapshot) []rec {
	var out []rec
	for _, r := range s.get().rels {
		if r.kind != 'i' || r.conOID == 0 {
			continue
		}
		out = append(out, rec{
			"oid": i64(r.conOID), "conname": r.name, "connamespace": i64(r.nsp), "contype": char(r.conType),
			"condeferrable": false, "condeferred": false, "convalidated": true, "conrelid": i64(r.indrel.oid),
			"contypid": int64(0), "conindid": i64(r.oid), "conparentid": int64(0), "confrelid": int64(0),
			"confupdtype": " ", "confdeltype": " ", "confmatchtype": " ", "conislocal": true,
			"coninhcount": int64(0), "connoinherit": true, "conkey": r.indkey,
		})
	}
	return append(out, s.get().constraintRows()...)
}

func pgDatabaseRows(s *Snapshot) []rec {
	var out []rec
	for _, d := range s.get().dbs {
		template := d.Name == "template0" || d.Name == "template1"
		owner := int64(s.UserOID())
		if d.Name != s.Database && IsStandardDatabase(d.Name) {
			// initdb's databases belong to the bootstrap superuser.
			owner = int64(BootstrapSuperuserOID)
		}
		r := rec{
			"oid": i64(d.OID), "datname": d.Name, "datdba": owner, "encoding": int64(UTF8Encoding),
			"datlocprovider": "c", "datistemplate": template,
			"datallowconn": d.Name != "template0", "datconnlimit": int64(-1), "datfrozenxid": int64(0),
			"datminmxid": int64(1), "dattablespace": int64(DefaultTablespace), "datcollate": "C", "datctype": "C",
		}
		if template {
			// As initdb leaves them: connect for all, everything for the owner.
			su := s.bootstrapName()
			r["datacl"] = []string{"=c/" + su, su + "=CTc/" + su}
		}
		out = append(out, r)
	}
	return out
}

func pgRolesRows(s *Snapshot) []rec {
	var out []rec
	for _, r := range s.get().roles {
		out = append(out, rec{
			"rolname": r.Name, "rolsuper": r.Superuser, "rolinherit": r.Inherit, "rolcreaterole": r.CreateRole,
			"rolcreatedb": r.CreateDB, "rolcanlogin": r.Login, "rolreplication": r.Replication,
			"rolconnlimit": r.ConnLimit, "rolpassword": "********", "rolbypassrls": r.Bypass, "oid": i64(r.OID),
		})
	}
	return out
}

func pgUserRows(s *Snapshot) []rec {
	var out []rec
	for _, r := range s.get().roles {
		if !r.Login {
			continue
		}
		out = append(out, rec{
			"usename": r.Name, "usesysid": i64(r.OID), "usecreatedb": r.CreateDB, "usesuper": r.Superuser,
			"userepl": r.Replication, "usebypassrls": r.Bypass, "passwd": "********",
		})
	}
	return out
}

func pgTablespaceRows(*Snapshot) []rec {
	return []rec{
		{"oid": int64(DefaultTablespace), "spcname": "pg_default", "spcowner": int64(BootstrapSuperuserOID)},
		{"oid": int64(GlobalTablespace), "spcname": "pg_global", "spcowner": int64(BootstrapSuperuserOID)},
	}
}

func pgAmRows(*Snapshot) []rec {
	ams := []struct {
		oid           int64
		name, handler string
		typ           string
	}{
		{2, "heap", "heap_tableam_handler", "t"}, {403, "btree", "bthandler", "i"}, {405, "hash", "hashhandler", "i"},
		{783, "gist", "gisthandler", "i"}, {2742, "gin", "ginhandler", "i"}, {4000, "spgist", "spghandler", "i"},
		{3580, "brin", "brinhandler", "i"},
	}
	var out []rec
	for _, a := range ams {
		out = append(out, rec{"oid": a.oid, "amname": a.name, "amhandler": a.handler, "amtype": a.typ})
	}
	return out
}

// plpgsqlExtensionOID is the OID of plpgsql's pg_extension row, as
// PostgreSQL 15's initdb assigns it.
const plpgsqlExtensionOID = 13559

func pgExtensionRows(*Snapshot) []rec {
	return []rec{{
		"oid": int64(plpgsqlExtensionOID), "extname": "plpgsql", "extowner": int64(BootstrapSuperuserOID),
		"extnamespace": int64(PgCatalogNamespace), "extrelocatable": false, "extversion": "1.0",
	}}
}

func pgLanguageRows(*Snapshot) []rec {
	langs := []struct {
		oid              int64
		name             string
		pl, trusted      bool
		call, inl, valid int64
	}{
		{12, "internal", false, false, 0, 0, 2246}, {13, "c", false, false, 0, 0, 2247},
		{14, "sql", false, true, 0, 0, 2248}, {13563, "plpgsql", true, true, 13560, 13561, 13562},
	}
	var out []rec
	for _, l := range langs {
		out = append(out, rec{"oid": l.oid, "lanname": l.name, "lanowner": int64(BootstrapSuperuserOID),
			"lanispl": l.pl, "lanpltrusted": l.trusted, "lanplcallfoid": l.call, "laninline": l.inl, "lanvalidator": l.valid})
	}
	return out
}

func pgCollationRows(*Snapshot) []rec {
	colls := []struct {
		oid      int64
		name     string
		provider string
		encoding int64
		collate  any
		ctype    any
	}{
		{DefaultCollation, "default", "d", -1, nil, nil},
		{CCollation, "C", "c", -1, "C", "C"},
		{951, "POSIX", "c", -1, "POSIX", "POSIX"},
		{12340, "ucs_basic", "c", UTF8Encoding, "C", "C"},
	}
	var out []rec
	for _, c := range colls {
		out = append(out, rec{"oid": c.oid, "collname": c.name, "collnamespace": int64(PgCatalogNamespace),
			"collowner": int64(BootstrapSuperuserOID), "collprovider": c.provider, "collisdeterministic": true,
			"collencoding": c.encoding, "collcollate": c.collate, "collctype": c.ctype})
	}
	return out
}

// pgDependRows lists the dependencies clients read: a table's row type
// and its array, a table's namespace, defaults, constraints and indexes on
// their columns, indexes on their constraints, and sequences owned by
// columns (pg_get_serial_sequence).
func pgDependRows(s *Snapshot) []rec {
	ix := s.get()
	dep := func(classid, objid uint32, refclassid, refobjid uint32, refsub int64, typ string) rec {
		return rec{"classid": i64(classid), "objid": i64(objid), "objsubid": int64(0), "refclassid": i64(refclassid),
			"refobjid": i64(refobjid), "refobjsubid": refsub, "deptype": typ}
	}
	var out []rec
	for _, r := range ix.rels {
		if r.sys != nil {
			continue
		}
		if r.rowType != 0 {
			out = append(out, dep(PgTypeOID, r.rowType, PgClassOID, r.oid, 0, "i"))
			if t := ix.typ(r.rowType); t != nil && t.array != 0 {
				out = append(out, dep(PgTypeOID, t.array, PgTypeOID, r.rowType, 0, "i"))
			}
		}
		switch r.kind {
		case 'r', 'v', 'S':
			out = append(out, dep(PgClassOID, r.oid, PgNamespaceOID, r.nsp, 0, "n"))
		case 'i':
			if r.conOID != 0 {
				for _, k := range r.indkey {
					out = append(out, dep(PgConstraintOID, r.conOID, PgClassOID, r.indrel.oid, k, "a"))
				}
				out = append(out, dep(PgClassOID, r.oid, PgConstraintOID, r.conOID, 0, "i"))
			} else {
				for _, k := range r.indkey {
					out = append(out, dep(PgClassOID, r.oid, PgClassOID, r.indrel.oid, k, "a"))
				}
			}
		}
		for i, c := range r.cols {
			if c.defOID != 0 {
				out = append(out, dep(PgAttrdefOID, c.defOID, PgClassOID, r.oid, int64(i+1), "a"))
				// A default that calls nextval depends on the sequence.
				if seq := ix.defaultSequence(c.def); seq != nil {
					out = append(out, dep(PgAttrdefOID, c.defOID, PgClassOID, seq.oid, 0, "n"))
				}
			}
		}
		if r.seq != nil && r.seq.OwnerTable != "" {
			if t := ix.byName[nameKey{PublicNamespace, r.seq.OwnerTable}]; t != nil {
				for i, c := range t.cols {
					if c.name == r.seq.OwnerColumn {
						typ := "a"
						if r.seq.Identity {
							typ = "i"
						}
						out = append(out, dep(PgClassOID, r.oid, PgClassOID, t.oid, int64(i+1), typ))
					}
				}
			}
		}
	}
	return append(out, extensionMemberDeps()...)
}

// seqType returns a sequence's type OID, int8 by default.
func seqType(q *UserSequence) uint32 {
	if q.TypeOID == 0 {
		return oidInt8
	}
	return q.TypeOID
}

func pgSequenceRows(s *Snapshot) []rec {
	var out []rec
	for _, r := range s.get().rels {
		if r.seq == nil {
			continue
		}
		q := r.seq
		out = append(out, rec{"seqrelid": i64(r.oid), "seqtypid": i64(seqType(q)), "seqstart": q.Start,
			"seqincrement": q.Increment, "seqmax": q.Max, "seqmin": q.Min, "seqcache": q.Cache, "seqcycle": q.Cycle})
	}
	return out
}

func pgSequencesRows(s *Snapshot) []rec {
	var out []rec
	for _, r := range s.get().rels {
		if r.seq == nil {
			continue
		}
		q := r.seq
		row := rec{"schemaname": "public", "sequencename": r.name, "sequenceowner": s.User,
			"data_type": s.RegtypeOut(seqType(q)), "start_value": q.Start, "min_value": q.Min, "max_value": q.Max,
			"increment_by": q.Increment, "cycle": q.Cycle, "cache_size": q.Cache}
		if q.LastValue != nil {
			row["last_value"] = *q.LastValue
		}
		out = append(out, row)
	}
	return out
}

// userRels returns the user relations of the given kinds, by name.
func (ix *index) userRels(kinds string) []*relation {
	var out []*relation
	for _, r := range ix.rels {
		if r.sys == nil && strings.IndexByte(kinds, r.kind) >= 0 {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func pgTablesRows(s *Snapshot) []rec {
	var out []rec
	for _, r := range s.get().rels {
		if r.kind != 'r' {
			continue
		}
		nsp, _ := namespaceName(r.nsp)
		owner := s.User
		if r.sys != nil {
			owner = s.roleName(BootstrapSuperuserOID)
		}
		out = append(out, rec{"schemaname": nsp, "tablename": r.name, "tableowner": owner,
			"hasindexes": len(r.children) > 0, "hasrules": false, "hastriggers": false, "rowsecurity": false})
	}
	return out
}

func pgViewsRows(s *Snapshot) []rec {
	var out []rec
	for _, r := range s.get().userRels("v") {
		out = append(out, rec{"schemaname": "public", "viewname": r.name, "viewowner": s.User, "definition": r.view.Definition})
	}
	return out
}

func pgIndexesRows(s *Snapshot) []rec {
	var out []rec
	for _, r := range s.get().userRels("i") {
		out = append(out, rec{"schemaname": "public", "tablename": r.indrel.name, "indexname": r.name,
			"indexdef": s.indexDef(r, 0)})
	}
	return out
}

// pgAuthMembersRows lists the built-in memberships: pg_monitor is a member
// of pg_read_all_settings, pg_read_all_stats and pg_stat_scan_tables.
func pgAuthMembersRows(*Snapshot) []rec {
	var out []rec
	for _, role := range []int64{3374, 3375, 3377} {
		out = append(out, rec{"roleid": role, "member": int64(3373), "grantor": int64(BootstrapSuperuserOID), "admin_option": false})
	}
	return out
}
