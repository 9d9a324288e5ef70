package planner

// ANALYZE: table statistics (row count, and per column the fraction of
// NULLs, the number of distinct values and the most common values),
// computed from one scan of the table and a reservoir sample of its rows,
// and stored in the catalog (sqlrows.TableStats) in the statement's
// transaction. The join planner (joinorder.go) reads them back to
// estimate cardinalities.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/syscat"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// statsSampleRows is the size of ANALYZE's row sample (PostgreSQL's
// default statistics target of 100 gives 300 * 100 rows).
const statsSampleRows = 30000

// statsMaxMCV bounds the most common values kept per column.
const statsMaxMCV = 100

// wantsAnalyze reports whether a VACUUM or ANALYZE statement analyzes.
func wantsAnalyze(v *pg_query.VacuumStmt) bool {
	if !v.IsVacuumcmd {
		return true
	}
	for _, o := range v.Options {
		if d := o.GetDefElem(); d != nil && d.Defname == "analyze" {
			if d.Arg == nil {
				return true
			}
			if s := d.Arg.GetString_(); s != nil {
				return s.Sval != "false" && s.Sval != "off" && s.Sval != "0"
			}
			if i := d.Arg.GetInteger(); i != nil {
				return i.Ival != 0
			}
			return true
		}
	}
	return false
}

// analyzeStmt computes and stores the statistics of the tables v names
// (every table when it names none). With fresh (the statement began the
// transaction tx, which holds no writes yet) the rows are read in a
// separate read-only transaction at the same point in time or later, so
// that tx's commit is not checked against every row of the table: a
// concurrent write to the table does not make ANALYZE fail with 40001.
func (s *Session) analyzeStmt(ctx context.Context, tx layers.Txn, v *pg_query.VacuumStmt, fresh bool) error {
	var rows layers.Reader = tx
	if fresh {
		rtx, err := s.eng.kv.Begin(ctx)
		if err != nil {
			return storeErr("begin", err)
		}
		defer rtx.Rollback()
		rows = rtx
	}
	type target struct {
		ti   *tableInfo
		cols []int // nil: all
	}
	var targets []target
	if len(v.Rels) == 0 {
		descs, err := s.eng.cat.Tables(tx)
		if err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
		for _, d := range descs {
			ti, err := s.eng.openTable(d)
			if err != nil {
				return err
			}
			targets = append(targets, target{ti: ti})
		}
	}
	for _, n := range v.Rels {
		rel := n.GetVacuumRelation()
		if rel == nil || rel.Relation == nil {
			continue
		}
		ti, err := s.eng.loadTable(tx, rel.Relation.Relname)
		if err != nil {
			return err
		}
		t := target{ti: ti}
		for _, c := range rel.VaCols {
			str := c.GetString_()
			if str == nil {
				continue
			}
			i := ti.colIndex(str.Sval)
			if i < 0 {
				return sqlerr.New(sqlerr.UndefinedColumn, "column %q of relation %q does not exist", str.Sval, ti.desc.Name)
			}
			t.cols = append(t.cols, i)
		}
		targets = append(targets, t)
	}
	for _, t := range targets {
		st, err := analyzeTable(ctx, rows, t.ti, t.cols)
		if err != nil {
			return err
		}
		old, err := s.eng.cat.TableStats(tx, t.ti.desc.ID)
		if err != nil {
			return err
		}
		// When it ran, and how many times (pg_stat_user_tables): the
		// session's clock, carried to every replica in the entry.
		st.AnalyzedAt = time.Now().UnixMicro()
		st.Analyzes = 1
		if old != nil {
			st.Analyzes = old.Analyzes + 1
		}
		if t.cols != nil {
			// Keep what an earlier ANALYZE found for the other columns.
			if old != nil {
				for _, oc := range old.Columns {
					if st.Column(oc.Name, oc.TypeOID) == nil && t.ti.colIndex(oc.Name) >= 0 {
						st.Columns = append(st.Columns, oc)
					}
				}
				sort.Slice(st.Columns, func(i, j int) bool {
					return t.ti.colIndex(st.Columns[i].Name) < t.ti.colIndex(st.Columns[j].Name)
				})
			}
		}
		if err := s.eng.cat.PutTableStats(tx, t.ti.desc.ID, st); err != nil {
			return err
		}
	}
	return nil
}

// analyzeTable scans ti and computes the statistics of the columns cols
// (all when nil).
func analyzeTable(ctx context.Context, r layers.Reader, ti *tableInfo, cols []int) (*sqlrows.TableStats, error) {
	if cols == nil {
		for i := range ti.cols {
			cols = append(cols, i)
		}
	}
	// A fixed seed: the same rows give the same statistics.
	rng := rand.New(rand.NewPCG(uint64(ti.desc.ID), 0x5eed))
	var rows int64
	nulls := make([]int64, len(cols))
	var sample [][]types.Value
	err := scanRows(ctx, r, ti, scanSpec{}, nil, func(_ tuple.Tuple, row []types.Value) error {
		if rows%1024 == 0 {
			if err := canceled(ctx); err != nil {
				return err
			}
		}
		rows++
		vals := make([]types.Value, len(cols))
		for i, c := range cols {
			vals[i] = row[c]
			if row[c].IsNull() {
				nulls[i]++
			}
		}
		switch {
		case len(sample) < statsSampleRows:
			sample = append(sample, vals)
		default:
			if j := rng.Int64N(rows); j < statsSampleRows {
				sample[j] = vals
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analyze %q: %w", ti.desc.Name, err)
	}
	st := &sqlrows.TableStats{Rows: float64(rows)}
	for i, c := range cols {
		cs := sqlrows.ColumnStats{Name: ti.cols[c].name, TypeOID: ti.desc.Columns[c].TypeOID}
		if rows > 0 {
			cs.NullFrac = float64(nulls[i]) / float64(rows)
		}
		columnStats(&cs, sample, i, rows, ti.cols[c].t.Size())
		st.Columns = append(st.Columns, cs)
	}
	return st, nil
}

// columnStats fills in the distinct count, width and most common values of
// column i of the sample, from a table of total rows, as PostgreSQL's
// compute_distinct_stats estimates them (Haas and Stokes' estimator).
// size is the type's fixed width, or negative for a variable width (then
// the width is the text's, plus a one-byte header as PostgreSQL stores
// short values).
func columnStats(cs *sqlrows.ColumnStats, sample [][]types.Value, i int, total int64, size int16) {
	counts := map[string]int{}
	text := map[string]string{}
	var nonNull, width int64
	for _, row := range sample {
		v := row[i]
		if v.IsNull() {
			continue
		}
		nonNull++
		k := rowKey([]types.Value{v})
		if _, ok := counts[k]; !ok {
			text[k] = string(v.AppendText(nil))
		}
		counts[k]++
		if size > 0 {
			width += int64(size)
		} else {
			width += int64(len(text[k])) + 1
		}
	}
	if nonNull == 0 {
		return
	}
	cs.AvgWidth = int32(width / nonNull)
	d := float64(len(counts))
	f1 := 0.0
	for _, n := range counts {
		if n == 1 {
			f1++
		}
	}
	n := float64(nonNull)
	switch {
	case f1 == d:
		// Every sampled value is unique: assume the column is.
		cs.Distinct = -1 * (1 - cs.NullFrac)
	case f1 == 0:
		// Every value appeared more than once: assume all were seen.
		cs.Distinct = d
	default:
		bigN := float64(total) * (1 - cs.NullFrac)
		est := n * d / ((n - f1) + f1*n/bigN)
		est = math.Max(d, math.Min(est, bigN))
		cs.Distinct = math.Floor(est + 0.5)
	}
	if cs.Distinct > 0.1*float64(total) {
		cs.Distinct = -(cs.Distinct / float64(total))
	}
	// Most common values: those clearly more frequent than average.
	type vc struct {
		k string
		n int
	}
	var common []vc
	avg := n / d
	for k, c := range counts {
		if c > 1 && float64(c) > 1.25*avg || c > 1 && len(counts) <= statsMaxMCV {
			common = append(common, vc{k, c})
		}
	}
	sort.Slice(common, func(a, b int) bool {
		if common[a].n != common[b].n {
			return common[a].n > common[b].n
		}
		return common[a].k < common[b].k
	})
	if len(common) > statsMaxMCV {
		common = common[:statsMaxMCV]
	}
	for _, c := range common {
		cs.MCV = append(cs.MCV, text[c.k])
		cs.MCF = append(cs.MCF, float64(c.n)/float64(len(sample)))
	}
}

// ndistinct returns the estimated number of distinct non-null values of a
// column of a table of rows rows.
func ndistinct(cs *sqlrows.ColumnStats, rows float64) float64 {
	if cs.Distinct < 0 {
		return math.Max(1, -cs.Distinct*rows)
	}
	return math.Max(1, cs.Distinct)
}

// snapshotStats gives the statistics of the table d for the system
// catalogs, nil when it was never analyzed.
func (e *Engine) snapshotStats(r layers.Reader, d *sqlrows.TableDesc) (*syscat.TableStats, error) {
	st, err := e.cat.TableStats(r, d.ID)
	if err != nil || st == nil {
		return nil, err
	}
	out := &syscat.TableStats{Rows: st.Rows, Analyzes: st.Analyzes}
	if st.AnalyzedAt != 0 {
		out.AnalyzedAt = time.UnixMicro(st.AnalyzedAt)
	}
	for _, c := range d.Columns {
		if cs := st.Column(c.Name, c.TypeOID); cs != nil {
			out.Columns = append(out.Columns, syscat.ColumnStats{Name: c.Name, NullFrac: cs.NullFrac, AvgWidth: cs.AvgWidth, Distinct: cs.Distinct})
		}
	}
	return out, nil
}
