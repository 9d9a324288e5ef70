package planner

import (
	"sync/atomic"

	"github.com/aspen-db/aspen/planner/types"
)

// Plan nodes are plain data built by the binder and run by exec.go. Each
// statement kind has one node; expressions inside are bound exprs.

// plan is one of the *...Plan types below.
type plan interface {
	// columns returns the result columns (nil for statements without rows).
	columns() []Column
}

// scanSpec restricts a table scan to a primary-key range: equality on the
// first len(eq) key columns, then optionally bounds on the next one. The
// exprs are constant (literals, parameters) and already of the key
// columns' types. An empty spec is a full scan.
type scanSpec struct {
	eq     []expr
	lo, hi *rangeEnd
	// in, for a one-column key, lists the key values of "k IN (...)":
	// one point read (or index prefix scan) each.
	in []expr
	// index is 0 for the primary key, or 1 + the position of the
	// secondary index in the table's descriptor whose columns eq, lo, hi
	// and in constrain; rows then come in index order.
	index int
}

// rangeEnd is one end of a key range.
type rangeEnd struct {
	e    expr
	incl bool
}

// empty reports whether the spec restricts nothing.
func (s *scanSpec) empty() bool {
	return len(s.eq) == 0 && s.lo == nil && s.hi == nil && s.in == nil
}

// point reports whether the spec fixes every primary-key column.
func (s *scanSpec) point(ti *tableInfo) bool {
	return s.index == 0 && len(ti.pk) > 0 && len(s.eq) == len(ti.pk)
}

// sortKey orders output rows by output column idx.
type sortKey struct {
	idx        int
	desc       bool
	nullsFirst bool
}

// aggCall is one aggregate function call.
type aggCall struct {
	name     string
	arg      expr // nil for count(*)
	distinct bool
	t        types.T // result type
	// filter is FILTER (WHERE ...): rows it does not keep are skipped.
	filter expr
	// ext is set for the aggregates of agg_more.go.
	ext *aggExt
}

// selectPlan is a SELECT over at most one table.
type selectPlan struct {
	table *tableInfo // the one table of FROM; nil otherwise
	// from is the FROM clause when it is not one plain table (joins,
	// several items, views, subqueries); its row is all items' columns.
	from   fromNode
	scan   scanSpec
	filter expr // over table rows; nil for none
	// grouped is true when the query aggregates: the rows after grouping
	// are the group keys followed by the aggregate results.
	grouped bool
	groups  []expr // over table rows
	aggs    []*aggCall
	// gsets, when set, are the grouping sets (grouping_sets.go).
	gsets  *groupingSets
	having expr // over grouped rows
	// window, when set, computes window functions over the rows after
	// grouping and HAVING; it appends their results to each row.
	window *windowPlan
	// outputs are the select list followed by hidden sort columns.
	outputs  []expr
	nvisible int
	// unknown holds, for select-list entries that were untyped literals
	// (now text), the literal, whose type a set operation may still
	// choose; nil for the others.
	unknown []expr
	// keepRep, in a grouped query, appends to each grouped row the first
	// input row of its group, for correlated subqueries evaluated after
	// grouping (their outer references are to grouped columns).
	keepRep  bool
	cols     []Column
	distinct bool
	// distinctOn lists the output columns of DISTINCT ON: after sorting,
	// the first row of each of their value combinations is kept.
	distinctOn []int
	sort       []sortKey
	// keyOrder is set when the sort is the primary-key order (reverse
	// for descending): the scan then yields rows already sorted, and the
	// sort is skipped so that LIMIT can stop the scan early.
	keyOrder bool
	reverse  bool
	// indexOrder, when not 0, is 1 + the position of the secondary index
	// whose first column is the one ascending (NULLS LAST) sort key: the
	// scan reads that index in order and LIMIT stops it early.
	indexOrder int
	limit      expr // nil for none
	offset     expr
	// srfs are the select list's set-returning calls (srf.go).
	srfs []*srfCall
	// sel caches the columns execution reads (scan_sel.go).
	sel atomic.Pointer[selInfo]

	// locked is set by FOR UPDATE/SHARE: scans read every row (not
	// only index entries), so a change to any of its columns conflicts.
	locked bool
}

func (p *selectPlan) columns() []Column { return p.cols }

// insertPlan is INSERT INTO table [(cols)] VALUES ... | SELECT.
type insertPlan struct {
	table *tableInfo
	// rows holds, per VALUES row, one expr per table column (defaults
	// filled in), already of the column's type.
	rows [][]expr
	// source, when set, produces the rows instead (INSERT ... SELECT);
	// targets maps its outputs to table columns, defaults fills the rest.
	source   queryPlan
	targets  []int
	defaults []expr
	casts    []expr // per target, a cast of colRef(i) to the column type
	retCols  []Column
	ret      []expr // RETURNING, over the new row
	// onConflict is the ON CONFLICT clause, nil without one (upsert.go).
	onConflict *onConflictPlan
}

func (p *insertPlan) columns() []Column { return p.retCols }

// updatePlan is UPDATE table SET ... [FROM ...] [WHERE] [RETURNING].
// With FROM, expressions are over the table's row followed by the FROM
// items' row, and a row is updated once, with the first FROM row that
// matches.
type updatePlan struct {
	table   *tableInfo
	from    fromNode
	scan    scanSpec
	filter  expr
	sets    map[int]expr // column -> new value over the old row
	retCols []Column
	ret     []expr
}

func (p *updatePlan) columns() []Column { return p.retCols }

// deletePlan is DELETE FROM table [USING ...] [WHERE] [RETURNING]; with
// USING, expressions are over the table's row followed by the USING
// items' row.
type deletePlan struct {
	table   *tableInfo
	using   fromNode
	scan    scanSpec
	filter  expr
	retCols []Column
	ret     []expr
}

func (p *deletePlan) columns() []Column { return p.retCols }

// createTablePlan is CREATE TABLE.
type createTablePlan struct {
	name        string
	ifNotExists bool
	cols        []colInfo
	pk          []int
	uniques     [][]int
	uniqueNames []string
	seqs        []ownedSeq // SERIAL and identity columns' sequences
	// checks and fks are the CHECK and FOREIGN KEY constraints; sql is
	// the statement text their locations refer to.
	checks []checkDef
	fks    []fkDef
	sql    string
}

func (p *createTablePlan) columns() []Column { return nil }

// dropTablePlan is DROP TABLE, DROP VIEW or DROP INDEX.
type dropTablePlan struct {
	kind     string // "table", "view" or "index"
	cascade  bool   // DROP ... CASCADE: dependent views go too
	names    []string
	ifExists bool
}

func (p *dropTablePlan) columns() []Column { return nil }

// truncatePlan is TRUNCATE.
type truncatePlan struct {
	tables  []*tableInfo
	restart bool // RESTART IDENTITY
}

func (p *truncatePlan) columns() []Column { return nil }

// txnPlan is BEGIN, COMMIT or ROLLBACK.
type txnPlan struct {
	// kind is "BEGIN", "START TRANSACTION", "COMMIT", "ROLLBACK",
	// "SAVEPOINT", "RELEASE" or "ROLLBACK TO"; name is the savepoint's.
	kind string
	name string
}

func (p *txnPlan) columns() []Column { return nil }

// setPlan is SET name = value, RESET name, RESET ALL (name "all").
type setPlan struct {
	name  string
	value string
	reset bool
	// noop accepts a SET that has no session effect (SET TRANSACTION ...).
	noop bool
	// tag overrides the command tag (SET x TO DEFAULT resets but says SET).
	tag string
	// local is SET LOCAL: the value lasts until the transaction ends.
	local bool
	// discard is DISCARD ALL: also ends nothing, but is refused in a
	// transaction block.
	discard bool
}

func (p *setPlan) columns() []Column { return nil }

// showPlan is SHOW name.
type showPlan struct {
	name string
}

func (p *showPlan) columns() []Column {
	if p.name == "all" {
		return []Column{
			{Name: "name", TypeOID: types.OIDText, TypeSize: -1, TypeMod: -1},
			{Name: "setting", TypeOID: types.OIDText, TypeSize: -1, TypeMod: -1},
			{Name: "description", TypeOID: types.OIDText, TypeSize: -1, TypeMod: -1},
		}
	}
	name := p.name
	if d, ok := settingDisplayName[name]; ok {
		name = d
	}
	return []Column{{Name: name, TypeOID: types.OIDText, TypeSize: -1, TypeMod: -1}}
}

// emptyPlan is an empty query string.
type emptyPlan struct{}

func (p *emptyPlan) columns() []Column { return nil }
