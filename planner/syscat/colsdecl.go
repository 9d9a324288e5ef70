package syscat

// The columns of the system tables, as PostgreSQL 15 declares them.
// information_schema domains are declared with their base types
// (sql_identifier as name, character_data as varchar, cardinal_number as
// int4, yes_or_no as varchar(3)).

// information_schema.check_constraints columns.
var isCheckConstraintsCols = []Column{
	{"constraint_catalog", oidName, -1},
	{"constraint_schema", oidName, -1},
	{"constraint_name", oidName, -1},
	{"check_clause", oidVarchar, -1},
}

// information_schema.columns columns.
var isColumnsCols = []Column{
	{"table_catalog", oidName, -1},
	{"table_schema", oidName, -1},
	{"table_name", oidName, -1},
	{"column_name", oidName, -1},
	{"ordinal_position", oidInt4, -1},
	{"column_default", oidVarchar, -1},
	{"is_nullable", oidVarchar, 7},
	{"data_type", oidVarchar, -1},
	{"character_maximum_length", oidInt4, -1},
	{"character_octet_length", oidInt4, -1},
	{"numeric_precision", oidInt4, -1},
	{"numeric_precision_radix", oidInt4, -1},
	{"numeric_scale", oidInt4, -1},
	{"datetime_precision", oidInt4, -1},
	{"interval_type", oidVarchar, -1},
	{"interval_precision", oidInt4, -1},
	{"character_set_catalog", oidName, -1},
	{"character_set_schema", oidName, -1},
	{"character_set_name", oidName, -1},
	{"collation_catalog", oidName, -1},
	{"collation_schema", oidName, -1},
	{"collation_name", oidName, -1},
	{"domain_catalog", oidName, -1},
	{"domain_schema", oidName, -1},
	{"domain_name", oidName, -1},
	{"udt_catalog", oidName, -1},
	{"udt_schema", oidName, -1},
	{"udt_name", oidName, -1},
	{"scope_catalog", oidName, -1},
	{"scope_schema", oidName, -1},
	{"scope_name", oidName, -1},
	{"maximum_cardinality", oidInt4, -1},
	{"dtd_identifier", oidName, -1},
	{"is_self_referencing", oidVarchar, 7},
	{"is_identity", oidVarchar, 7},
	{"identity_generation", oidVarchar, -1},
	{"identity_start", oidVarchar, -1},
	{"identity_increment", oidVarchar, -1},
	{"identity_maximum", oidVarchar, -1},
	{"identity_minimum", oidVarchar, -1},
	{"identity_cycle", oidVarchar, 7},
	{"is_generated", oidVarchar, -1},
	{"generation_expression", oidVarchar, -1},
	{"is_updatable", oidVarchar, 7},
}

// information_schema.constraint_column_usage columns.
var isConstraintColumnUsageCols = []Column{
	{"table_catalog", oidName, -1},
	{"table_schema", oidName, -1},
	{"table_name", oidName, -1},
	{"column_name", oidName, -1},
	{"constraint_catalog", oidName, -1},
	{"constraint_schema", oidName, -1},
	{"constraint_name", oidName, -1},
}

// information_schema.key_column_usage columns.
var isKeyColumnUsageCols = []Column{
	{"constraint_catalog", oidName, -1},
	{"constraint_schema", oidName, -1},
	{"constraint_name", oidName, -1},
	{"table_catalog", oidName, -1},
	{"table_schema", oidName, -1},
	{"table_name", oidName, -1},
	{"column_name", oidName, -1},
	{"ordinal_position", oidInt4, -1},
	{"position_in_unique_constraint", oidInt4, -1},
}

// information_schema.referential_constraints columns.
var isReferentialConstraintsCols = []Column{
	{"constraint_catalog", oidName, -1},
	{"constraint_schema", oidName, -1},
	{"constraint_name", oidName, -1},
	{"unique_constraint_catalog", oidName, -1},
	{"unique_constraint_schema", oidName, -1},
	{"unique_constraint_name", oidName, -1},
	{"match_option", oidVarchar, -1},
	{"update_rule", oidVarchar, -1},
	{"delete_rule", oidVarchar, -1},
}

// information_schema.schemata columns.
var isSchemataCols = []Column{
	{"catalog_name", oidName, -1},
	{"schema_name", oidName, -1},
	{"schema_owner", oidName, -1},
	{"default_character_set_catalog", oidName, -1},
	{"default_character_set_schema", oidName, -1},
	{"default_character_set_name", oidName, -1},
	{"sql_path", oidVarchar, -1},
}

// information_schema.sequences columns.
var isSequencesCols = []Column{
	{"sequence_catalog", oidName, -1},
	{"sequence_schema", oidName, -1},
	{"sequence_name", oidName, -1},
	{"data_type", oidVarchar, -1},
	{"numeric_precision", oidInt4, -1},
	{"numeric_precision_radix", oidInt4, -1},
	{"numeric_scale", oidInt4, -1},
	{"start_value", oidVarchar, -1},
	{"minimum_value", oidVarchar, -1},
	{"maximum_value", oidVarchar, -1},
	{"increment", oidVarchar, -1},
	{"cycle_option", oidVarchar, 7},
}

// information_schema.table_constraints columns.
var isTableConstraintsCols = []Column{
	{"constraint_catalog", oidName, -1},
	{"constraint_schema", oidName, -1},
	{"constraint_name", oidName, -1},
	{"table_catalog", oidName, -1},
	{"table_schema", oidName, -1},
	{"table_name", oidName, -1},
	{"constraint_type", oidVarchar, -1},
	{"is_deferrable", oidVarchar, 7},
	{"initially_deferred", oidVarchar, 7},
	{"enforced", oidVarchar, 7},
	{"nulls_distinct", oidVarchar, 7},
}

// information_schema.tables columns.
var isTablesCols = []Column{
	{"table_catalog", oidName, -1},
	{"table_schema", oidName, -1},
	{"table_name", oidName, -1},
	{"table_type", oidVarchar, -1},
	{"self_referencing_column_name", oidName, -1},
	{"reference_generation", oidVarchar, -1},
	{"user_defined_type_catalog", oidName, -1},
	{"user_defined_type_schema", oidName, -1},
	{"user_defined_type_name", oidName, -1},
	{"is_insertable_into", oidVarchar, 7},
	{"is_typed", oidVarchar, 7},
	{"commit_action", oidVarchar, -1},
}

// information_schema.views columns.
var isViewsCols = []Column{
	{"table_catalog", oidName, -1},
	{"table_schema", oidName, -1},
	{"table_name", oidName, -1},
	{"view_definition", oidVarchar, -1},
	{"check_option", oidVarchar, -1},
	{"is_updatable", oidVarchar, 7},
	{"is_insertable_into", oidVarchar, 7},
	{"is_trigger_updatable", oidVarchar, 7},
	{"is_trigger_deletable", oidVarchar, 7},
	{"is_trigger_insertable_into", oidVarchar, 7},
}

// pg_catalog.pg_am columns.
var pgAmCols = []Column{
	{"oid", oidOID, -1},
	{"amname", oidName, -1},
	{"amhandler", oidRegproc, -1},
	{"amtype", oidChar, -1},
}

// pg_catalog.pg_attrdef columns.
var pgAttrdefCols = []Column{
	{"oid", oidOID, -1},
	{"adrelid", oidOID, -1},
	{"adnum", oidInt2, -1},
	{"adbin", oidPgNodeTree, -1},
}

// pg_catalog.pg_attribute columns.
var pgAttributeCols = []Column{
	{"attrelid", oidOID, -1},
	{"attname", oidName, -1},
	{"atttypid", oidOID, -1},
	{"attstattarget", oidInt4, -1},
	{"attlen", oidInt2, -1},
	{"attnum", oidInt2, -1},
	{"attndims", oidInt4, -1},
	{"attcacheoff", oidInt4, -1},
	{"atttypmod", oidInt4, -1},
	{"attbyval", oidBool, -1},
	{"attalign", oidChar, -1},
	{"attstorage", oidChar, -1},
	{"attcompression", oidChar, -1},
	{"attnotnull", oidBool, -1},
	{"atthasdef", oidBool, -1},
	{"atthasmissing", oidBool, -1},
	{"attidentity", oidChar, -1},
	{"attgenerated", oidChar, -1},
	{"attisdropped", oidBool, -1},
	{"attislocal", oidBool, -1},
	{"attinhcount", oidInt4, -1},
	{"attcollation", oidOID, -1},
	{"attacl", oidACLItemArr, -1},
	{"attoptions", oidTextArray, -1},
	{"attfdwoptions", oidTextArray, -1},
	{"attmissingval", oidAnyArray, -1},
}

// pg_catalog.pg_auth_members columns.
var pgAuthMembersCols = []Column{
	{"roleid", oidOID, -1},
	{"member", oidOID, -1},
	{"grantor", oidOID, -1},
	{"admin_option", oidBool, -1},
}

// pg_catalog.pg_class columns.
var pgClassCols = []Column{
	{"oid", oidOID, -1},
	{"relname", oidName, -1},
	{"relnamespace", oidOID, -1},
	{"reltype", oidOID, -1},
	{"reloftype", oidOID, -1},
	{"relowner", oidOID, -1},
	{"relam", oidOID, -1},
	{"relfilenode", oidOID, -1},
	{"reltablespace", oidOID, -1},
	{"relpages", oidInt4, -1},
	{"reltuples", oidFloat4, -1},
	{"relallvisible", oidInt4, -1},
	{"reltoastrelid", oidOID, -1},
	{"relhasindex", oidBool, -1},
	{"relisshared", oidBool, -1},
	{"relpersistence", oidChar, -1},
	{"relkind", oidChar, -1},
	{"relnatts", oidInt2, -1},
	{"relchecks", oidInt2, -1},
	{"relhasrules", oidBool, -1},
	{"relhastriggers", oidBool, -1},
	{"relhassubclass", oidBool, -1},
	{"relrowsecurity", oidBool, -1},
	{"relforcerowsecurity", oidBool, -1},
	{"relispopulated", oidBool, -1},
	{"relreplident", oidChar, -1},
	{"relispartition", oidBool, -1},
	{"relrewrite", oidOID, -1},
	{"relfrozenxid", oidXID, -1},
	{"relminmxid", oidXID, -1},
	{"relacl", oidACLItemArr, -1},
	{"reloptions", oidTextArray, -1},
	{"relpartbound", oidPgNodeTree, -1},
}

// pg_catalog.pg_collation columns.
var pgCollationCols = []Column{
	{"oid", oidOID, -1},
	{"collname", oidName, -1},
	{"collnamespace", oidOID, -1},
	{"collowner", oidOID, -1},
	{"collprovider", oidChar, -1},
	{"collisdeterministic", oidBool, -1},
	{"collencoding", oidInt4, -1},
	{"collcollate", oidText, -1},
	{"collctype", oidText, -1},
	{"colliculocale", oidText, -1},
	{"collversion", oidText, -1},
}

// pg_catalog.pg_constraint columns.
var pgConstraintCols = []Column{
	{"oid", oidOID, -1},
	{"conname", oidName, -1},
	{"connamespace", oidOID, -1},
	{"contype", oidChar, -1},
	{"condeferrable", oidBool, -1},
	{"condeferred", oidBool, -1},
	{"convalidated", oidBool, -1},
	{"conrelid", oidOID, -1},
	{"contypid", oidOID, -1},
	{"conindid", oidOID, -1},
	{"conparentid", oidOID, -1},
	{"confrelid", oidOID, -1},
	{"confupdtype", oidChar, -1},
	{"confdeltype", oidChar, -1},
	{"confmatchtype", oidChar, -1},
	{"conislocal", oidBool, -1},
	{"coninhcount", oidInt4, -1},
	{"connoinherit", oidBool, -1},
	{"conkey", oidInt2Array, -1},
	{"confkey", oidInt2Array, -1},
	{"conpfeqop", oidOIDArray, -1},
	{"conppeqop", oidOIDArray, -1},
	{"conffeqop", oidOIDArray, -1},
	{"confdelsetcols", oidInt2Array, -1},
	{"conexclop", oidOIDArray, -1},
	{"conbin", oidPgNodeTree, -1},
}

// pg_catalog.pg_database columns.
var pgDatabaseCols = []Column{
	{"oid", oidOID, -1},
	{"datname", oidName, -1},
	{"datdba", oidOID, -1},
	{"encoding", oidInt4, -1},
	{"datlocprovider", oidChar, -1},
	{"datistemplate", oidBool, -1},
	{"datallowconn", oidBool, -1},
	{"datconnlimit", oidInt4, -1},
	{"datfrozenxid", oidXID, -1},
	{"datminmxid", oidXID, -1},
	{"dattablespace", oidOID, -1},
	{"datcollate", oidText, -1},
	{"datctype", oidText, -1},
	{"daticulocale", oidText, -1},
	{"datcollversion", oidText, -1},
	{"datacl", oidACLItemArr, -1},
}

// pg_catalog.pg_depend columns.
var pgDependCols = []Column{
	{"classid", oidOID, -1},
	{"objid", oidOID, -1},
	{"objsubid", oidInt4, -1},
	{"refclassid", oidOID, -1},
	{"refobjid", oidOID, -1},
	{"refobjsubid", oidInt4, -1},
	{"deptype", oidChar, -1},
}

// pg_catalog.pg_description columns.
var pgDescriptionCols = []Column{
	{"objoid", oidOID, -1},
	{"classoid", oidOID, -1},
	{"objsubid", oidInt4, -1},
	{"description", oidText, -1},
}

// pg_catalog.pg_enum columns.
var pgEnumCols = []Column{
	{"oid", oidOID, -1},
	{"enumtypid", oidOID, -1},
	{"enumsortorder", oidFloat4, -1},
	{"enumlabel", oidName, -1},
}

// pg_catalog.pg_extension columns.
var pgExtensionCols = []Column{
	{"oid", oidOID, -1},
	{"extname", oidName, -1},
	{"extowner", oidOID, -1},
	{"extnamespace", oidOID, -1},
	{"extrelocatable", oidBool, -1},
	{"extversion", oidText, -1},
	{"extconfig", oidOIDArray, -1},
	{"extcondition", oidTextArray, -1},
}

// pg_catalog.pg_index columns.
var pgIndexCols = []Column{
	{"indexrelid", oidOID, -1},
	{"indrelid", oidOID, -1},
	{"indnatts", oidInt2, -1},
	{"indnkeyatts", oidInt2, -1},
	{"indisunique", oidBool, -1},
	{"indnullsnotdistinct", oidBool, -1},
	{"indisprimary", oidBool, -1},
	{"indisexclusion", oidBool, -1},
	{"indimmediate", oidBool, -1},
	{"indisclustered", oidBool, -1},
	{"indisvalid", oidBool, -1},
	{"indcheckxmin", oidBool, -1},
	{"indisready", oidBool, -1},
	{"indislive", oidBool, -1},
	{"indisreplident", oidBool, -1},
	{"indkey", oidInt2Vector, -1},
	{"indcollation", oidOIDVector, -1},
	{"indclass", oidOIDVector, -1},
	{"indoption", oidInt2Vector, -1},
	{"indexprs", oidPgNodeTree, -1},
	{"indpred", oidPgNodeTree, -1},
}

// pg_catalog.pg_indexes columns.
var pgIndexesCols = []Column{
	{"schemaname", oidName, -1},
	{"tablename", oidName, -1},
	{"indexname", oidName, -1},
	{"tablespace", oidName, -1},
	{"indexdef", oidText, -1},
}

// pg_catalog.pg_inherits columns.
var pgInheritsCols = []Column{
	{"inhrelid", oidOID, -1},
	{"inhparent", oidOID, -1},
	{"inhseqno", oidInt4, -1},
	{"inhdetachpending", oidBool, -1},
}

// pg_catalog.pg_language columns.
var pgLanguageCols = []Column{
	{"oid", oidOID, -1},
	{"lanname", oidName, -1},
	{"lanowner", oidOID, -1},
	{"lanispl", oidBool, -1},
	{"lanpltrusted", oidBool, -1},
	{"lanplcallfoid", oidOID, -1},
	{"laninline", oidOID, -1},
	{"lanvalidator", oidOID, -1},
	{"lanacl", oidACLItemArr, -1},
}

// pg_catalog.pg_matviews columns.
var pgMatviewsCols = []Column{
	{"schemaname", oidName, -1},
	{"matviewname", oidName, -1},
	{"matviewowner", oidName, -1},
	{"tablespace", oidName, -1},
	{"hasindexes", oidBool, -1},
	{"ispopulated", oidBool, -1},
	{"definition", oidText, -1},
}

// pg_catalog.pg_namespace columns.
var pgNamespaceCols = []Column{
	{"oid", oidOID, -1},
	{"nspname", oidName, -1},
	{"nspowner", oidOID, -1},
	{"nspacl", oidACLItemArr, -1},
}

// pg_catalog.pg_policy columns.
var pgPolicyCols = []Column{
	{"oid", oidOID, -1},
	{"polname", oidName, -1},
	{"polrelid", oidOID, -1},
	{"polcmd", oidChar, -1},
	{"polpermissive", oidBool, -1},
	{"polroles", oidOIDArray, -1},
	{"polqual", oidPgNodeTree, -1},
	{"polwithcheck", oidPgNodeTree, -1},
}

// pg_catalog.pg_proc columns.
var pgProcCols = []Column{
	{"oid", oidOID, -1},
	{"proname", oidName, -1},
	{"pronamespace", oidOID, -1},
	{"proowner", oidOID, -1},
	{"prolang", oidOID, -1},
	{"procost", oidFloat4, -1},
	{"prorows", oidFloat4, -1},
	{"provariadic", oidOID, -1},
	{"prosupport", oidRegproc, -1},
	{"prokind", oidChar, -1},
	{"prosecdef", oidBool, -1},
	{"proleakproof", oidBool, -1},
	{"proisstrict", oidBool, -1},
	{"proretset", oidBool, -1},
	{"provolatile", oidChar, -1},
	{"proparallel", oidChar, -1},
	{"pronargs", oidInt2, -1},
	{"pronargdefaults", oidInt2, -1},
	{"prorettype", oidOID, -1},
	{"proargtypes", oidOIDVector, -1},
	{"proallargtypes", oidOIDArray, -1},
	{"proargmodes", oidCharArray, -1},
	{"proargnames", oidTextArray, -1},
	{"proargdefaults", oidPgNodeTree, -1},
	{"protrftypes", oidOIDArray, -1},
	{"prosrc", oidText, -1},
	{"probin", oidText, -1},
	{"prosqlbody", oidPgNodeTree, -1},
	{"proconfig", oidTextArray, -1},
	{"proacl", oidACLItemArr, -1},
}

// pg_catalog.pg_publication columns.
var pgPublicationCols = []Column{
	{"oid", oidOID, -1},
	{"pubname", oidName, -1},
	{"pubowner", oidOID, -1},
	{"puballtables", oidBool, -1},
	{"pubinsert", oidBool, -1},
	{"pubupdate", oidBool, -1},
	{"pubdelete", oidBool, -1},
	{"pubtruncate", oidBool, -1},
	{"pubviaroot", oidBool, -1},
}

// pg_catalog.pg_publication_namespace columns.
var pgPublicationNamespaceCols = []Column{
	{"oid", oidOID, -1},
	{"pnpubid", oidOID, -1},
	{"pnnspid", oidOID, -1},
}

// pg_catalog.pg_publication_rel columns.
var pgPublicationRelCols = []Column{
	{"oid", oidOID, -1},
	{"prpubid", oidOID, -1},
	{"prrelid", oidOID, -1},
	{"prqual", oidPgNodeTree, -1},
	{"prattrs", oidInt2Vector, -1},
}

// pg_catalog.pg_range columns.
var pgRangeCols = []Column{
	{"rngtypid", oidOID, -1},
	{"rngsubtype", oidOID, -1},
	{"rngmultitypid", oidOID, -1},
	{"rngcollation", oidOID, -1},
	{"rngsubopc", oidOID, -1},
	{"rngcanonical", oidRegproc, -1},
	{"rngsubdiff", oidRegproc, -1},
}

// pg_catalog.pg_rewrite columns.
var pgRewriteCols = []Column{
	{"oid", oidOID, -1},
	{"rulename", oidName, -1},
	{"ev_class", oidOID, -1},
	{"ev_type", oidChar, -1},
	{"ev_enabled", oidChar, -1},
	{"is_instead", oidBool, -1},
	{"ev_qual", oidPgNodeTree, -1},
	{"ev_action", oidPgNodeTree, -1},
}

// pg_catalog.pg_roles columns.
var pgRolesCols = []Column{
	{"rolname", oidName, -1},
	{"rolsuper", oidBool, -1},
	{"rolinherit", oidBool, -1},
	{"rolcreaterole", oidBool, -1},
	{"rolcreatedb", oidBool, -1},
	{"rolcanlogin", oidBool, -1},
	{"rolreplication", oidBool, -1},
	{"rolconnlimit", oidInt4, -1},
	{"rolpassword", oidText, -1},
	{"rolvaliduntil", oidTimestampTZ, -1},
	{"rolbypassrls", oidBool, -1},
	{"rolconfig", oidTextArray, -1},
	{"oid", oidOID, -1},
}

// pg_catalog.pg_sequence columns.
var pgSequenceCols = []Column{
	{"seqrelid", oidOID, -1},
	{"seqtypid", oidOID, -1},
	{"seqstart", oidInt8, -1},
	{"seqincrement", oidInt8, -1},
	{"seqmax", oidInt8, -1},
	{"seqmin", oidInt8, -1},
	{"seqcache", oidInt8, -1},
	{"seqcycle", oidBool, -1},
}

// pg_catalog.pg_sequences columns.
var pgSequencesCols = []Column{
	{"schemaname", oidName, -1},
	{"sequencename", oidName, -1},
	{"sequenceowner", oidName, -1},
	{"data_type", oidRegtype, -1},
	{"start_value", oidInt8, -1},
	{"min_value", oidInt8, -1},
	{"max_value", oidInt8, -1},
	{"increment_by", oidInt8, -1},
	{"cycle", oidBool, -1},
	{"cache_size", oidInt8, -1},
	{"last_value", oidInt8, -1},
}

// pg_catalog.pg_settings columns.
var pgSettingsCols = []Column{
	{"name", oidText, -1},
	{"setting", oidText, -1},
	{"unit", oidText, -1},
	{"category", oidText, -1},
	{"short_desc", oidText, -1},
	{"extra_desc", oidText, -1},
	{"context", oidText, -1},
	{"vartype", oidText, -1},
	{"source", oidText, -1},
	{"min_val", oidText, -1},
	{"max_val", oidText, -1},
	{"enumvals", oidTextArray, -1},
	{"boot_val", oidText, -1},
	{"reset_val", oidText, -1},
	{"sourcefile", oidText, -1},
	{"sourceline", oidInt4, -1},
	{"pending_restart", oidBool, -1},
}

// pg_catalog.pg_shdescription columns.
var pgShdescriptionCols = []Column{
	{"objoid", oidOID, -1},
	{"classoid", oidOID, -1},
	{"description", oidText, -1},
}

// pg_catalog.pg_statistic_ext columns.
var pgStatisticExtCols = []Column{
	{"oid", oidOID, -1},
	{"stxrelid", oidOID, -1},
	{"stxname", oidName, -1},
	{"stxnamespace", oidOID, -1},
	{"stxowner", oidOID, -1},
	{"stxstattarget", oidInt4, -1},
	{"stxkeys", oidInt2Vector, -1},
	{"stxkind", oidCharArray, -1},
	{"stxexprs", oidPgNodeTree, -1},
}

// pg_catalog.pg_tables columns.
var pgTablesCols = []Column{
	{"schemaname", oidName, -1},
	{"tablename", oidName, -1},
	{"tableowner", oidName, -1},
	{"tablespace", oidName, -1},
	{"hasindexes", oidBool, -1},
	{"hasrules", oidBool, -1},
	{"hastriggers", oidBool, -1},
	{"rowsecurity", oidBool, -1},
}

// pg_catalog.pg_tablespace columns.
var pgTablespaceCols = []Column{
	{"oid", oidOID, -1},
	{"spcname", oidName, -1},
	{"spcowner", oidOID, -1},
	{"spcacl", oidACLItemArr, -1},
	{"spcoptions", oidTextArray, -1},
}

// pg_catalog.pg_trigger columns.
var pgTriggerCols = []Column{
	{"oid", oidOID, -1},
	{"tgrelid", oidOID, -1},
	{"tgparentid", oidOID, -1},
	{"tgname", oidName, -1},
	{"tgfoid", oidOID, -1},
	{"tgtype", oidInt2, -1},
	{"tgenabled", oidChar, -1},
	{"tgisinternal", oidBool, -1},
	{"tgconstrrelid", oidOID, -1},
	{"tgconstrindid", oidOID, -1},
	{"tgconstraint", oidOID, -1},
	{"tgdeferrable", oidBool, -1},
	{"tginitdeferred", oidBool, -1},
	{"tgnargs", oidInt2, -1},
	{"tgattr", oidInt2Vector, -1},
	{"tgargs", oidBytea, -1},
	{"tgqual", oidPgNodeTree, -1},
	{"tgoldtable", oidName, -1},
	{"tgnewtable", oidName, -1},
}

// pg_catalog.pg_type columns.
var pgTypeCols = []Column{
	{"oid", oidOID, -1},
	{"typname", oidName, -1},
	{"typnamespace", oidOID, -1},
	{"typowner", oidOID, -1},
	{"typlen", oidInt2, -1},
	{"typbyval", oidBool, -1},
	{"typtype", oidChar, -1},
	{"typcategory", oidChar, -1},
	{"typispreferred", oidBool, -1},
	{"typisdefined", oidBool, -1},
	{"typdelim", oidChar, -1},
	{"typrelid", oidOID, -1},
	{"typsubscript", oidRegproc, -1},
	{"typelem", oidOID, -1},
	{"typarray", oidOID, -1},
	{"typinput", oidRegproc, -1},
	{"typoutput", oidRegproc, -1},
	{"typreceive", oidRegproc, -1},
	{"typsend", oidRegproc, -1},
	{"typmodin", oidRegproc, -1},
	{"typmodout", oidRegproc, -1},
	{"typanalyze", oidRegproc, -1},
	{"typalign", oidChar, -1},
	{"typstorage", oidChar, -1},
	{"typnotnull", oidBool, -1},
	{"typbasetype", oidOID, -1},
	{"typtypmod", oidInt4, -1},
	{"typndims", oidInt4, -1},
	{"typcollation", oidOID, -1},
	{"typdefaultbin", oidPgNodeTree, -1},
	{"typdefault", oidText, -1},
	{"typacl", oidACLItemArr, -1},
}

// pg_catalog.pg_user columns.
var pgUserCols = []Column{
	{"usename", oidName, -1},
	{"usesysid", oidOID, -1},
	{"usecreatedb", oidBool, -1},
	{"usesuper", oidBool, -1},
	{"userepl", oidBool, -1},
	{"usebypassrls", oidBool, -1},
	{"passwd", oidText, -1},
	{"valuntil", oidTimestampTZ, -1},
	{"useconfig", oidTextArray, -1},
}

// pg_catalog.pg_views columns.
var pgViewsCols = []Column{
	{"schemaname", oidName, -1},
	{"viewname", oidName, -1},
	{"viewowner", oidName, -1},
	{"definition", oidText, -1},
}
