package syscat

// The cumulative statistics views monitoring tools read (pgAdmin's
// dashboard, check_postgres): pg_stat_activity, pg_stat_database,
// pg_stat_{all,user,sys}_tables, pg_statio_{all,user}_tables and
// pg_stat_{all,user}_indexes, with PostgreSQL 15's columns and OIDs.
//
// Aspen does not count scans, tuples or block reads: those counters are
// 0 (NULL where PostgreSQL has NULL for a table without indexes, and for
// the TOAST counters, as Aspen has no TOAST tables). n_live_tup is the
// row count of the last ANALYZE (0 before one), last_analyze its time and
// analyze_count the number of ANALYZEs; the vacuum columns are NULL or 0
// (Aspen has no VACUUM). pg_stat_activity lists the node's client
// sessions (not background processes): Backends, filled by the planner.

import "time"

// Backend is one client session of the node, as pg_stat_activity shows
// it.
type Backend struct {
	PID                   uint32
	Database, User, App   string
	ClientAddr            string // empty: NULL (not a TCP connection)
	ClientPort            int64  // -1 for a Unix socket, 0 for NULL
	BackendStart          time.Time
	XactStart, QueryStart time.Time // zero: NULL
	StateChange           time.Time
	State, Query          string
}

func init() {
	declared = append(declared,
		&Table{Schema: "pg_catalog", Name: "pg_stat_activity", OID: 12222, RowType: 12224, ArrayType: 12223, View: true, Columns: pgStatActivityCols, rows: pgStatActivityRows},
		&Table{Schema: "pg_catalog", Name: "pg_stat_database", OID: 12266, RowType: 12268, ArrayType: 12267, View: true, Columns: pgStatDatabaseCols, rows: pgStatDatabaseRows},
		&Table{Schema: "pg_catalog", Name: "pg_stat_all_tables", OID: 12142, RowType: 12144, ArrayType: 12143, View: true, Columns: pgStatTablesCols, rows: statTablesRows(statAll)},
		&Table{Schema: "pg_catalog", Name: "pg_stat_sys_tables", OID: 12152, RowType: 12154, ArrayType: 12153, View: true, Columns: pgStatTablesCols, rows: statTablesRows(statSys)},
		&Table{Schema: "pg_catalog", Name: "pg_stat_user_tables", OID: 12161, RowType: 12163, ArrayType: 12162, View: true, Columns: pgStatTablesCols, rows: statTablesRows(statUser)},
		&Table{Schema: "pg_catalog", Name: "pg_statio_all_tables", OID: 12170, RowType: 12172, ArrayType: 12171, View: true, Columns: pgStatioTablesCols, rows: statioTablesRows(statAll)},
		&Table{Schema: "pg_catalog", Name: "pg_statio_user_tables", OID: 12179, RowType: 12181, ArrayType: 12180, View: true, Columns: pgStatioTablesCols, rows: statioTablesRows(statUser)},
		&Table{Schema: "pg_catalog", Name: "pg_stat_all_indexes", OID: 12183, RowType: 12185, ArrayType: 12184, View: true, Columns: pgStatIndexesCols, rows: statIndexesRows(statAll)},
		&Table{Schema: "pg_catalog", Name: "pg_stat_user_indexes", OID: 12192, RowType: 12194, ArrayType: 12193, View: true, Columns: pgStatIndexesCols, rows: statIndexesRows(statUser)},
		&Table{Schema: "pg_catalog", Name: "pg_statio_user_indexes", OID: 12205, RowType: 12207, ArrayType: 12206, View: true, Columns: pgStatioIndexesCols, rows: statioIndexesRows(statUser)},
	)
	sortDeclared()
}

var pgStatActivityCols = []Column{
	{"datid", oidOID, -1}, {"datname", oidName, -1}, {"pid", oidInt4, -1}, {"leader_pid", oidInt4, -1},
	{"usesysid", oidOID, -1}, {"usename", oidName, -1}, {"application_name", oidText, -1},
	{"client_addr", oidInet, -1}, {"client_hostname", oidText, -1}, {"client_port", oidInt4, -1},
	{"backend_start", oidTimestampTZ, -1}, {"xact_start", oidTimestampTZ, -1}, {"query_start", oidTimestampTZ, -1},
	{"state_change", oidTimestampTZ, -1}, {"wait_event_type", oidText, -1}, {"wait_event", oidText, -1},
	{"state", oidText, -1}, {"backend_xid", oidXID, -1}, {"backend_xmin", oidXID, -1}, {"query_id", oidInt8, -1},
	{"query", oidText, -1}, {"backend_type", oidText, -1},
}

var pgStatDatabaseCols = []Column{
	{"datid", oidOID, -1}, {"datname", oidName, -1}, {"numbackends", oidInt4, -1},
	{"xact_commit", oidInt8, -1}, {"xact_rollback", oidInt8, -1}, {"blks_read", oidInt8, -1}, {"blks_hit", oidInt8, -1},
	{"tup_returned", oidInt8, -1}, {"tup_fetched", oidInt8, -1}, {"tup_inserted", oidInt8, -1},
	{"tup_updated", oidInt8, -1}, {"tup_deleted", oidInt8, -1}, {"conflicts", oidInt8, -1},
	{"temp_files", oidInt8, -1}, {"temp_bytes", oidInt8, -1}, {"deadlocks", oidInt8, -1},
	{"checksum_failures", oidInt8, -1}, {"checksum_last_failure", oidTimestampTZ, -1},
	{"blk_read_time", oidFloat8, -1}, {"blk_write_time", oidFloat8, -1}, {"session_time", oidFloat8, -1},
	{"active_time", oidFloat8, -1}, {"idle_in_transaction_time", oidFloat8, -1}, {"sessions", oidInt8, -1},
	{"sessions_abandoned", oidInt8, -1}, {"sessions_fatal", oidInt8, -1}, {"sessions_killed", oidInt8, -1},
	{"stats_reset", oidTimestampTZ, -1},
}

var pgStatTablesCols = []Column{
	{"relid", oidOID, -1}, {"schemaname", oidName, -1}, {"relname", oidName, -1},
	{"seq_scan", oidInt8, -1}, {"seq_tup_read", oidInt8, -1}, {"idx_scan", oidInt8, -1}, {"idx_tup_fetch", oidInt8, -1},
	{"n_tup_ins", oidInt8, -1}, {"n_tup_upd", oidInt8, -1}, {"n_tup_del", oidInt8, -1}, {"n_tup_hot_upd", oidInt8, -1},
	{"n_live_tup", oidInt8, -1}, {"n_dead_tup", oidInt8, -1}, {"n_mod_since_analyze", oidInt8, -1},
	{"n_ins_since_vacuum", oidInt8, -1}, {"last_vacuum", oidTimestampTZ, -1}, {"last_autovacuum", oidTimestampTZ, -1},
	{"last_analyze", oidTimestampTZ, -1}, {"last_autoanalyze", oidTimestampTZ, -1}, {"vacuum_count", oidInt8, -1},
	{"autovacuum_count", oidInt8, -1}, {"analyze_count", oidInt8, -1}, {"autoanalyze_count", oidInt8, -1},
}

var pgStatioTablesCols = []Column{
	{"relid", oidOID, -1}, {"schemaname", oidName, -1}, {"relname", oidName, -1},
	{"heap_blks_read", oidInt8, -1}, {"heap_blks_hit", oidInt8, -1}, {"idx_blks_read", oidInt8, -1},
	{"idx_blks_hit", oidInt8, -1}, {"toast_blks_read", oidInt8, -1}, {"toast_blks_hit", oidInt8, -1},
	{"tidx_blks_read", oidInt8, -1}, {"tidx_blks_hit", oidInt8, -1},
}

var pgStatIndexesCols = []Column{
	{"relid", oidOID, -1}, {"indexrelid", oidOID, -1}, {"schemaname", oidName, -1}, {"relname", oidName, -1},
	{"indexrelname", oidName, -1}, {"idx_scan", oidInt8, -1}, {"idx_tup_read", oidInt8, -1}, {"idx_tup_fetch", oidInt8, -1},
}

var pgStatioIndexesCols = []Column{
	{"relid", oidOID, -1}, {"indexrelid", oidOID, -1}, {"schemaname", oidName, -1}, {"relname", oidName, -1},
	{"indexrelname", oidName, -1}, {"idx_blks_read", oidInt8, -1}, {"idx_blks_hit", oidInt8, -1},
}

func pgStatActivityRows(s *Snapshot) []rec {
	ix := s.get()
	var out []rec
	for _, b := range s.Backends {
		r := rec{
			"pid": int64(b.PID), "datname": b.Database, "usename": b.User, "application_name": b.App,
			"backend_start": b.BackendStart, "state_change": b.StateChange, "state": b.State,
			"query": b.Query, "backend_type": "client backend",
		}
		for _, d := range ix.dbs {
			if d.Name == b.Database {
				r["datid"] = i64(d.OID)
			}
		}
		for _, ro := range ix.roles {
			if ro.Name == b.User {
				r["usesysid"] = i64(ro.OID)
			}
		}
		if b.ClientAddr != "" {
			r["client_addr"] = b.ClientAddr
		}
		if b.ClientPort != 0 {
			r["client_port"] = b.ClientPort
		}
		if !b.XactStart.IsZero() {
			r["xact_start"] = b.XactStart
		}
		if !b.QueryStart.IsZero() {
			r["query_start"] = b.QueryStart
		}
		out = append(out, r)
	}
	return out
}

func pgStatDatabaseRows(s *Snapshot) []rec {
	ix := s.get()
	// The row of the shared catalogs: no database.
	out := []rec{statDatabaseRow(0, nil, 0)}
	for _, d := range ix.dbs {
		n := int64(0)
		for _, b := range s.Backends {
			if b.Database == d.Name {
				n++
			}
		}
		out = append(out, statDatabaseRow(d.OID, d.Name, n))
	}
	return out
}

// statDatabaseRow is a pg_stat_database row with the counters Aspen does
// not keep at 0.
func statDatabaseRow(oid uint32, name any, backends int64) rec {
	r := rec{"datid": i64(oid), "numbackends": backends}
	if name != nil {
		r["datname"] = name
	}
	for _, c := range pgStatDatabaseCols[3:] {
		switch c.Type {
		case oidInt8:
			r[c.Name] = int64(0)
		case oidFloat8:
			r[c.Name] = float64(0)
		}
	}
	return r
}

// statScope selects the relations of a pg_stat view: all, the system
// catalogs' or the user's.
type statScope int

const (
	statAll statScope = iota
	statSys
	statUser
)

// inScope reports whether r belongs to the view of scope sc.
func inScope(r *relation, sc statScope) bool {
	sys := r.nsp == PgCatalogNamespace || r.nsp == InformationSchemaNamespace || r.nsp == PgToastNamespace
	switch sc {
	case statSys:
		return sys
	case statUser:
		return !sys
	}
	return true
}

// statTables lists the tables of a pg_stat view: ordinary tables (system
// catalogs are declared as tables, information_schema's as views).
func statTables(s *Snapshot, sc statScope) []*relation {
	var out []*relation
	for _, r := range s.get().rels {
		if r.kind == 'r' && inScope(r, sc) {
			out = append(out, r)
		}
	}
	return out
}

func statTablesRows(sc statScope) func(*Snapshot) []rec {
	return func(s *Snapshot) []rec {
		var out []rec
		for _, r := range statTables(s, sc) {
			nsp, _ := namespaceName(r.nsp)
			row := rec{"relid": i64(r.oid), "schemaname": nsp, "relname": r.name}
			for _, c := range pgStatTablesCols[3:] {
				if c.Type == oidInt8 {
					row[c.Name] = int64(0)
				}
			}
			if len(r.children) == 0 {
				row["idx_scan"], row["idx_tup_fetch"] = nil, nil
			}
			if r.table != nil && r.table.Stats != nil {
				st := r.table.Stats
				row["n_live_tup"] = int64(st.Rows)
				row["analyze_count"] = st.Analyzes
				if !st.AnalyzedAt.IsZero() {
					row["last_analyze"] = st.AnalyzedAt
				}
			}
			out = append(out, row)
		}
		return out
	}
}

func statioTablesRows(sc statScope) func(*Snapshot) []rec {
	return func(s *Snapshot) []rec {
		var out []rec
		for _, r := range statTables(s, sc) {
			nsp, _ := namespaceName(r.nsp)
			row := rec{"relid": i64(r.oid), "schemaname": nsp, "relname": r.name,
				"heap_blks_read": int64(0), "heap_blks_hit": int64(0)}
			if len(r.children) > 0 {
				row["idx_blks_read"], row["idx_blks_hit"] = int64(0), int64(0)
			}
			out = append(out, row)
		}
		return out
	}
}

// statIndexes lists the indexes of the tables of a pg_stat view.
func statIndexes(s *Snapshot, sc statScope) []*relation {
	var out []*relation
	for _, r := range s.get().rels {
		if r.kind == 'i' && r.indrel != nil && r.indrel.kind == 'r' && inScope(r.indrel, sc) {
			out = append(out, r)
		}
	}
	return out
}

func statIndexesRows(sc statScope) func(*Snapshot) []rec {
	return func(s *Snapshot) []rec {
		var out []rec
		for _, r := range statIndexes(s, sc) {
			nsp, _ := namespaceName(r.nsp)
			out = append(out, rec{"relid": i64(r.indrel.oid), "indexrelid": i64(r.oid), "schemaname": nsp,
				"relname": r.indrel.name, "indexrelname": r.name,
				"idx_scan": int64(0), "idx_tup_read": int64(0), "idx_tup_fetch": int64(0)})
		}
		return out
	}
}

func statioIndexesRows(sc statScope) func(*Snapshot) []rec {
	return func(s *Snapshot) []rec {
		var out []rec
		for _, r := range statIndexes(s, sc) {
			nsp, _ := namespaceName(r.nsp)
			out = append(out, rec{"relid": i64(r.indrel.oid), "indexrelid": i64(r.oid), "schemaname": nsp,
				"relname": r.indrel.name, "indexrelname": r.name, "idx_blks_read": int64(0), "idx_blks_hit": int64(0)})
		}
		return out
	}
}
