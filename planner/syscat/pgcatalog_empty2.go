package syscat

// pg_catalog tables that psql's \do, \dC and \dd read: pg_cast and
// pg_operator hold PostgreSQL 15's built-in rows (pgdata.go); the operator
// classes and families are built into the engine rather than catalogued,
// so those have PostgreSQL 15's columns and no rows.

func init() {
	declared = append(declared,
		&Table{Schema: "pg_catalog", Name: "pg_cast", OID: 2605, RowType: 10043, ArrayType: 10042, Columns: pgCastCols, rows: pgCastRows},
		&Table{Schema: "pg_catalog", Name: "pg_opclass", OID: 2616, RowType: 10013, ArrayType: 10012, Columns: pgOpclassCols, rows: noRows},
		&Table{Schema: "pg_catalog", Name: "pg_operator", OID: 2617, RowType: 10009, ArrayType: 10008, Columns: pgOperatorCols, rows: pgOperatorRows},
		&Table{Schema: "pg_catalog", Name: "pg_opfamily", OID: 2753, RowType: 10011, ArrayType: 10010, Columns: pgOpfamilyCols, rows: noRows},
	)
	sortDeclared()
}

// pg_cast columns.
var pgCastCols = []Column{
	{"oid", oidOID, -1},
	{"castsource", oidOID, -1},
	{"casttarget", oidOID, -1},
	{"castfunc", oidOID, -1},
	{"castcontext", oidChar, -1},
	{"castmethod", oidChar, -1},
}

// pg_opclass columns.
var pgOpclassCols = []Column{
	{"oid", oidOID, -1},
	{"opcmethod", oidOID, -1},
	{"opcname", oidName, -1},
	{"opcnamespace", oidOID, -1},
	{"opcowner", oidOID, -1},
	{"opcfamily", oidOID, -1},
	{"opcintype", oidOID, -1},
	{"opcdefault", oidBool, -1},
	{"opckeytype", oidOID, -1},
}

// pg_operator columns.
var pgOperatorCols = []Column{
	{"oid", oidOID, -1},
	{"oprname", oidName, -1},
	{"oprnamespace", oidOID, -1},
	{"oprowner", oidOID, -1},
	{"oprkind", oidChar, -1},
	{"oprcanmerge", oidBool, -1},
	{"oprcanhash", oidBool, -1},
	{"oprleft", oidOID, -1},
	{"oprright", oidOID, -1},
	{"oprresult", oidOID, -1},
	{"oprcom", oidOID, -1},
	{"oprnegate", oidOID, -1},
	{"oprcode", oidRegproc, -1},
	{"oprrest", oidRegproc, -1},
	{"oprjoin", oidRegproc, -1},
}

// pg_opfamily columns.
var pgOpfamilyCols = []Column{
	{"oid", oidOID, -1},
	{"opfmethod", oidOID, -1},
	{"opfname", oidName, -1},
	{"opfnamespace", oidOID, -1},
	{"opfowner", oidOID, -1},
}
