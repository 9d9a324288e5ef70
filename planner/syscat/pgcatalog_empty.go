package syscat

// Empty pg_catalog tables that psql's less common describe commands read
// (\dy, \dc, \des, \dew, \det, \deu, \ddp, \drds): Aspen has no event
// triggers, conversions, foreign data, default privileges or per-role
// settings, so they have PostgreSQL 15's columns and no rows.

import "sort"

func init() {
	declared = append(declared,
		&Table{Schema: "pg_catalog", Name: "pg_conversion", OID: 2607, RowType: 10049, ArrayType: 10048, Columns: pgConversionCols, rows: noRows},
		&Table{Schema: "pg_catalog", Name: "pg_db_role_setting", OID: 2964, RowType: 10054, ArrayType: 10053, Columns: pgDbRoleSettingCols, rows: noRows},
		&Table{Schema: "pg_catalog", Name: "pg_default_acl", OID: 826, RowType: 10088, ArrayType: 10087, Columns: pgDefaultAclCols, rows: noRows},
		&Table{Schema: "pg_catalog", Name: "pg_event_trigger", OID: 3466, RowType: 10039, ArrayType: 10038, Columns: pgEventTriggerCols, rows: noRows},
		&Table{Schema: "pg_catalog", Name: "pg_foreign_data_wrapper", OID: 2328, RowType: 10076, ArrayType: 10075, Columns: pgForeignDataWrapperCols, rows: noRows},
		&Table{Schema: "pg_catalog", Name: "pg_foreign_server", OID: 1417, RowType: 10078, ArrayType: 10077, Columns: pgForeignServerCols, rows: noRows},
		&Table{Schema: "pg_catalog", Name: "pg_foreign_table", OID: 3118, RowType: 10082, ArrayType: 10081, Columns: pgForeignTableCols, rows: noRows},
		&Table{Schema: "pg_catalog", Name: "pg_user_mappings", OID: 12327, RowType: 12329, ArrayType: 12328, View: true, Columns: pgUserMappingsCols, rows: noRows},
	)
	sortDeclared()
}

// pg_conversion columns.
var pgConversionCols = []Column{
	{"oid", oidOID, -1},
	{"conname", oidName, -1},
	{"connamespace", oidOID, -1},
	{"conowner", oidOID, -1},
	{"conforencoding", oidInt4, -1},
	{"contoencoding", oidInt4, -1},
	{"conproc", oidRegproc, -1},
	{"condefault", oidBool, -1},
}

// pg_db_role_setting columns.
var pgDbRoleSettingCols = []Column{
	{"setdatabase", oidOID, -1},
	{"setrole", oidOID, -1},
	{"setconfig", oidTextArray, -1},
}

// pg_default_acl columns.
var pgDefaultAclCols = []Column{
	{"oid", oidOID, -1},
	{"defaclrole", oidOID, -1},
	{"defaclnamespace", oidOID, -1},
	{"defaclobjtype", oidChar, -1},
	{"defaclacl", oidACLItemArr, -1},
}

// pg_event_trigger columns.
var pgEventTriggerCols = []Column{
	{"oid", oidOID, -1},
	{"evtname", oidName, -1},
	{"evtevent", oidName, -1},
	{"evtowner", oidOID, -1},
	{"evtfoid", oidOID, -1},
	{"evtenabled", oidChar, -1},
	{"evttags", oidTextArray, -1},
}

// pg_foreign_data_wrapper columns.
var pgForeignDataWrapperCols = []Column{
	{"oid", oidOID, -1},
	{"fdwname", oidName, -1},
	{"fdwowner", oidOID, -1},
	{"fdwhandler", oidOID, -1},
	{"fdwvalidator", oidOID, -1},
	{"fdwacl", oidACLItemArr, -1},
	{"fdwoptions", oidTextArray, -1},
}

// pg_foreign_server columns.
var pgForeignServerCols = []Column{
	{"oid", oidOID, -1},
	{"srvname", oidName, -1},
	{"srvowner", oidOID, -1},
	{"srvfdw", oidOID, -1},
	{"srvtype", oidText, -1},
	{"srvversion", oidText, -1},
	{"srvacl", oidACLItemArr, -1},
	{"srvoptions", oidTextArray, -1},
}

// pg_foreign_table columns.
var pgForeignTableCols = []Column{
	{"ftrelid", oidOID, -1},
	{"ftserver", oidOID, -1},
	{"ftoptions", oidTextArray, -1},
}

// pg_user_mappings columns.
var pgUserMappingsCols = []Column{
	{"umid", oidOID, -1},
	{"srvid", oidOID, -1},
	{"srvname", oidName, -1},
	{"umuser", oidOID, -1},
	{"usename", oidName, -1},
	{"umoptions", oidTextArray, -1},
}

// sortDeclared keeps declared in its documented order: pg_catalog's
// tables first, each schema's by name.
func sortDeclared() {
	sort.SliceStable(declared, func(i, j int) bool {
		a, b := declared[i], declared[j]
		if (a.Schema == "pg_catalog") != (b.Schema == "pg_catalog") {
			return a.Schema == "pg_catalog"
		}
		return a.Name < b.Name
	})
}
