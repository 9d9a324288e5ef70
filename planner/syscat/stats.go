package syscat

// Planner statistics in the catalogs: pg_class.reltuples and the pg_stats
// view, from what ANALYZE stored (the planner fills UserTable.Stats).

import "time"

// TableStats are a user table's statistics from its last ANALYZE.
type TableStats struct {
	// Rows is the table's row count then.
	Rows float64
	// Columns holds the analyzed columns' statistics.
	Columns []ColumnStats
	// AnalyzedAt is when the last ANALYZE ran (zero: unknown, statistics
	// stored before Aspen recorded it); Analyzes counts the ANALYZEs.
	AnalyzedAt time.Time
	Analyzes   int64
}

// ColumnStats are one column's statistics, as pg_stats shows them.
type ColumnStats struct {
	Name     string
	NullFrac float64
	AvgWidth int32
	// Distinct is n_distinct: a count, or minus a fraction of the rows.
	Distinct float64
}

func init() {
	declared = append(declared,
		&Table{Schema: "pg_catalog", Name: "pg_stats", OID: 12053, RowType: 12055, ArrayType: 12054, View: true, Columns: pgStatsCols, rows: pgStatsRows},
	)
	sortDeclared()
}

// pg_stats columns.
var pgStatsCols = []Column{
	{"schemaname", oidName, -1},
	{"tablename", oidName, -1},
	{"attname", oidName, -1},
	{"inherited", oidBool, -1},
	{"null_frac", oidFloat4, -1},
	{"avg_width", oidInt4, -1},
	{"n_distinct", oidFloat4, -1},
	{"most_common_vals", oidAnyArray, -1},
	{"most_common_freqs", oidFloat4Array, -1},
	{"histogram_bounds", oidAnyArray, -1},
	{"correlation", oidFloat4, -1},
	{"most_common_elems", oidAnyArray, -1},
	{"most_common_elem_freqs", oidFloat4Array, -1},
	{"elem_count_histogram", oidFloat4Array, -1},
}

// oidFloat4Array is real[].
const oidFloat4Array = 1021

func pgStatsRows(s *Snapshot) []rec {
	var out []rec
	for i := range s.Tables {
		t := &s.Tables[i]
		if t.Stats == nil {
			continue
		}
		for _, c := range t.Stats.Columns {
			out = append(out, rec{
				"schemaname": "public", "tablename": t.Name, "attname": c.Name, "inherited": false,
				"null_frac": c.NullFrac, "avg_width": int64(c.AvgWidth), "n_distinct": c.Distinct,
			})
		}
	}
	return out
}
