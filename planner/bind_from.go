package planner

// Binding of FROM clauses and name scopes: tables, aliases, joins, views
// and subqueries in FROM, and the resolution of (qualified) column names
// against them and the enclosing queries' scopes.

import (
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// rangeEntry is one FROM item visible by name: a table, a view or a
// subquery, whose columns occupy [offset, offset+len(cols)) of the row.
type rangeEntry struct {
	alias    string // the name that qualifies its columns
	relname  string // the table's own name when it has an alias, for hints
	hasAlias bool
	cols     []colInfo
	offset   int
	// hidden columns are not expanded by * (columns merged by USING are
	// expanded once, by the join).
	hidden map[int]bool
	// exprs, when set, are what the columns read (a view that is the
	// target of INSERT, UPDATE or DELETE shows its base table's row).
	exprs []expr
	// pk holds the row positions of a table's primary key columns: other
	// columns depend on them functionally (GROUP BY pk).
	pk []int
	// rel is a table's pg_class OID, its tableoid system column; 0 for
	// other FROM items.
	rel uint32
}

// usingCol is a column merged by JOIN ... USING: an unqualified reference
// to its name means expr, and it shadows the two columns it merges.
type usingCol struct {
	name string
	e    expr
	l, r int // the merged columns' row positions
}

// scope is the names one query level sees: its FROM items, then the
// enclosing query's scope.
type scope struct {
	entries []*rangeEntry
	width   int
	using   []usingCol
	// star lists, in order, what * expands to: row positions, or -1-i for
	// using[i].
	star   []int
	parent *scope
	// correlated is set when a column of an enclosing scope is
	// referenced from this scope or a scope nested in it.
	correlated bool
	// marker scopes hold no columns and have no row: they stand between
	// a subquery and its enclosing query, to learn whether the subquery
	// is correlated.
	marker bool
}

// add appends a FROM item of the given columns.
func (s *scope) add(alias, relname string, hasAlias bool, cols []colInfo) *rangeEntry {
	e := &rangeEntry{alias: alias, relname: relname, hasAlias: hasAlias, cols: cols, offset: s.width}
	s.entries = append(s.entries, e)
	for i := range cols {
		s.star = append(s.star, s.width+i)
	}
	s.width += len(cols)
	return e
}

// starExprs returns the columns * expands to, with their names.
func (s *scope) starExprs() ([]expr, []string) {
	var es []expr
	var names []string
	for _, p := range s.star {
		if p < 0 {
			u := s.using[-1-p]
			es = append(es, u.e)
			names = append(names, u.name)
			continue
		}
		ent, i := s.locate(p)
		c := ent.cols[i]
		if ent.exprs != nil {
			es = append(es, ent.exprs[i])
		} else {
			es = append(es, &colRef{idx: p, t: c.t, name: ent.alias + "." + c.name})
		}
		names = append(names, c.name)
	}
	return es, names
}

// locate returns the entry holding row position p and the column's
// position in it.
func (s *scope) locate(p int) (*rangeEntry, int) {
	for _, e := range s.entries {
		if p >= e.offset && p < e.offset+len(e.cols) {
			return e, p - e.offset
		}
	}
	return nil, -1
}

// outerRef reads a column of an enclosing query's current row: depth 1
// is the immediately enclosing query.
type outerRef struct {
	depth int
	idx   int
	t     types.T
	name  string
}

func (e *outerRef) typ() types.T { return e.t }
func (e *outerRef) eval(ev *evalCtx, _ []types.Value) (types.Value, error) {
	if ev == nil || len(ev.outer) < e.depth {
		return types.Null, fmt.Errorf("outer reference %s evaluated outside its subquery", e.name)
	}
	row := ev.outer[len(ev.outer)-e.depth]
	if e.idx >= len(row) {
		// A group over no rows has no representative row.
		return types.Null, nil
	}
	return row[e.idx], nil
}
func (e *outerRef) String() string { return fmt.Sprintf("outer%d.%s#%d", e.depth, e.name, e.idx) }

// resolveColumn finds [qual.]col in the scope and its parents.
func (b *binder) resolveColumn(qual, col, full string, loc int32) (expr, error) {
	depth := 0
	for s := b.sc; s != nil; s = s.parent {
		if s.marker {
			continue
		}
		e, found, err := b.resolveIn(s, qual, col, loc)
		if err != nil {
			return nil, err
		}
		if !found {
			depth++
			continue
		}
		if depth == 0 {
			return e, nil
		}
		for m := b.sc; m != s; m = m.parent {
			m.correlated = true
		}
		switch x := e.(type) {
		case *colRef:
			return &outerRef{depth: depth, idx: x.idx, t: x.t, name: x.name}, nil
		default:
			// A merged USING column of an outer scope: rebuild it over
			// outer references.
			return rewriteExpr(e, func(y expr) (expr, bool, error) {
				if c, ok := y.(*colRef); ok {
					return &outerRef{depth: depth, idx: c.idx, t: c.t, name: c.name}, true, nil
				}
				return nil, false, nil
			})
		}
	}
	if qual != "" {
		for s := b.sc; s != nil; s = s.parent {
			for _, ent := range s.entries {
				if ent.hasAlias && ent.relname == qual {
					return nil, b.errAt(sqlerr.New(sqlerr.UndefinedTable, "invalid reference to FROM-clause entry for table %q", qual).
						WithHint("Perhaps you meant to reference the table alias %q.", ent.alias), loc)
				}
			}
		}
		return nil, b.errAt(sqlerr.New(sqlerr.UndefinedTable, "missing FROM-clause entry for table %q", qual), loc)
	}
	return nil, b.errAt(sqlerr.UndefinedColumnErr(full), loc)
}

// resolveIn looks a column up in one scope level.
func (b *binder) resolveIn(s *scope, qual, col string, loc int32) (expr, bool, error) {
	if qual != "" {
		for _, ent := range s.entries {
			if ent.alias != qual {
				continue
			}
			for i, c := range ent.cols {
				if c.name == col {
					if ent.exprs != nil {
						return ent.exprs[i], true, nil
					}
					return &colRef{idx: ent.offset + i, t: c.t, name: ent.alias + "." + col, loc: loc}, true, nil
				}
			}
			if e := systemColumn(ent, col); e != nil {
				return e, true, nil
			}
			return nil, false, b.errAt(sqlerr.New(sqlerr.UndefinedColumn, "column %s.%s does not exist", qual, col), loc)
		}
		return nil, false, nil
	}
	for _, u := range s.using {
		if u.name == col {
			return u.e, true, nil
		}
	}
	var found expr
	for _, ent := range s.entries {
		for i, c := range ent.cols {
			if c.name != col || ent.hidden[i] {
				continue
			}
			if found != nil {
				return nil, false, b.errAt(sqlerr.New(sqlerr.AmbiguousColumn, "column reference %q is ambiguous", col), loc)
			}
			found = &colRef{idx: ent.offset + i, t: c.t, name: ent.alias + "." + col, loc: loc}
			if ent.exprs != nil {
				found = ent.exprs[i]
			}
		}
	}
	if found == nil {
		for _, ent := range s.entries {
			if e := systemColumn(ent, col); e != nil {
				if found != nil {
					return nil, false, b.errAt(sqlerr.New(sqlerr.AmbiguousColumn, "column reference %q is ambiguous", col), loc)
				}
				found = e
			}
		}
	}
	return found, found != nil, nil
}

// joinKind is the kind of a join.
type joinKind uint8

const (
	joinInner joinKind = iota
	joinLeft
	joinRight
	joinFull
)

// fromNode is a bound FROM item producing rows of width() columns.
type fromNode interface {
	width() int
}

// fromTable scans a table, keeping the rows that pass filter (over the
// table's own row).
type fromTable struct {
	ti     *tableInfo
	scan   scanSpec
	filter expr
}

func (f *fromTable) width() int { return len(f.ti.cols) }

// fromQuery runs a subquery (or a view's query) in FROM.
type fromQuery struct {
	q queryPlan
	n int
}

func (f *fromQuery) width() int { return f.n }

// fromLateral runs a LATERAL subquery once per row of the FROM items
// before it (the left side of the join it is the right side of), which it
// reads as an enclosing query's row of before columns.
type fromLateral struct {
	q      queryPlan
	n      int
	before int
}

func (f *fromLateral) width() int { return f.n }

// fromJoin joins two FROM items. The row is the left row then the right
// row. lkeys and rkeys are equi-join keys (over the left and right rows)
// used to hash the right side; cond is the rest of the condition over the
// joined row (nil for true).
type fromJoin struct {
	kind        joinKind
	left, right fromNode
	lkeys       []expr
	rkeys       []expr
	cond        expr
}

func (f *fromJoin) width() int { return f.left.width() + f.right.width() }

// bindFrom binds a FROM list into the binder's current scope. With one
// plain table it returns that table (so the single-table paths apply) and
// a nil node.
func (b *binder) bindFrom(items []*pg_query.Node, r layers.Reader) (*tableInfo, fromNode, error) {
	if len(items) == 1 {
		if rv := items[0].GetRangeVar(); rv != nil {
			ti, q, err := b.openRelation(rv, r)
			if err != nil {
				return nil, nil, err
			}
			if ti != nil {
				return ti, nil, nil
			}
			return nil, q, nil
		}
	}
	var node fromNode
	for _, it := range items {
		n, err := b.bindFromItem(it, r)
		if err != nil {
			return nil, nil, err
		}
		if node == nil {
			node = n
		} else {
			node = &fromJoin{kind: joinInner, left: node, right: n}
		}
	}
	return nil, node, nil
}

// openRelation adds a table or view named in FROM to the scope. It
// returns the table, or for a view the bound view query.
func (b *binder) openRelation(rv *pg_query.RangeVar, r layers.Reader) (*tableInfo, fromNode, error) {
	if q, err := b.bindCTE(rv, r); q != nil || err != nil {
		return nil, q, err
	}
	if q, ok, err := b.bindSystemTable(rv, r); ok {
		return nil, q, err
	}
	ti, err := b.loadRangeVar(rv, r)
	if err == nil {
		b.addDep(rv.Relname)
	}
	if err != nil {
		if sqlerr.Code(err) == sqlerr.UndefinedTable && rv.Schemaname == "" && r != nil {
			v, verr := b.eng.cat.View(r, rv.Relname)
			if verr == nil {
				b.addDep(rv.Relname)
				q, err := b.bindView(v, rv, r)
				return nil, q, err
			}
			if !errors.Is(verr, sqlrows.ErrTableNotFound) {
				return nil, nil, fmt.Errorf("load view %q: %w", rv.Relname, verr)
			}
			if q, ok, err := b.bindSequenceRel(rv, r); ok {
				return nil, q, err
			}
			if b.hiddenCTE(rv.Relname) {
				return nil, nil, b.errAt(sqlerr.New(sqlerr.UndefinedTable, "relation %q does not exist", rv.Relname).
					WithDetail("There is a WITH item named %q, but it cannot be referenced from this part of the query.", rv.Relname).
					WithHint("Use WITH RECURSIVE, or re-order the WITH items to remove forward references."), rv.Location)
			}
		}
		return nil, nil, err
	}
	alias, hasAlias := rv.Relname, false
	cols := ti.cols
	if rv.Alias != nil && rv.Alias.Aliasname != "" {
		alias, hasAlias = rv.Alias.Aliasname, true
		if cols, err = b.aliasColumns(rv.Alias, ti.cols, rv.Relname); err != nil {
			return nil, nil, err
		}
	}
	if err := b.checkDupAlias(alias, rv.Location); err != nil {
		return nil, nil, err
	}
	ent := b.sc.add(alias, rv.Relname, hasAlias, cols)
	ent.rel, _ = columnOrigin(ti.desc.ID, 0)
	for _, c := range ti.pk {
		ent.pk = append(ent.pk, ent.offset+c)
	}
	return ti, nil, nil
}

// checkDupAlias refuses two FROM items of the same name.
func (b *binder) checkDupAlias(alias string, _ int32) error {
	for _, e := range b.sc.entries {
		if e.alias == alias {
			return sqlerr.New(sqlerr.DuplicateAlias, "table name %q specified more than once", alias)
		}
	}
	return nil
}

// aliasColumns applies an alias's column names (t AS x(a, b)).
func (b *binder) aliasColumns(a *pg_query.Alias, cols []colInfo, rel string) ([]colInfo, error) {
	if len(a.Colnames) == 0 {
		return cols, nil
	}
	if len(a.Colnames) > len(cols) {
		return nil, sqlerr.New(sqlerr.InvalidColumnReference, "table %q has %d columns available but %d columns specified", rel, len(cols), len(a.Colnames))
	}
	out := append([]colInfo(nil), cols...)
	for i, n := range a.Colnames {
		if s := n.GetString_(); s != nil {
			out[i].name = s.Sval
		}
	}
	return out, nil
}

// bindView binds a view's stored query as a subquery in FROM.
func (b *binder) bindView(v *sqlrows.ViewDesc, rv *pg_query.RangeVar, r layers.Reader) (fromNode, error) {
	if b.viewDepth > 32 {
		return nil, sqlerr.New(sqlerr.InvalidObjectDefinition, "infinite recursion detected in rules for relation %q", v.Name)
	}
	stmts, err := parse(v.SQL)
	if err != nil || len(stmts) != 1 {
		return nil, fmt.Errorf("view %q: stored query %q does not parse: %v", v.Name, v.SQL, err)
	}
	sel := stmts[0].node.GetSelectStmt()
	if sel == nil {
		return nil, fmt.Errorf("view %q: stored query is not a SELECT", v.Name)
	}
	vb := &binder{eng: b.eng, sql: v.SQL, ident: b.ident, r: r, viewDepth: b.viewDepth + 1}
	q, err := vb.bindQuery(sel, r)
	if err != nil {
		return nil, err
	}
	alias, hasAlias := rv.Relname, false
	cols := queryColInfos(q)
	for i := range cols {
		if i < len(v.Columns) {
			cols[i].name = v.Columns[i]
		}
		// A view's columns are its own (PostgreSQL marks origins before
		// rewriting the view into its query).
		cols[i].rel, cols[i].attnum = viewColumnOrigin(v.Name, i)
	}
	if rv.Alias != nil && rv.Alias.Aliasname != "" {
		alias, hasAlias = rv.Alias.Aliasname, true
		if cols, err = b.aliasColumns(rv.Alias, cols, rv.Relname); err != nil {
			return nil, err
		}
	}
	if err := b.checkDupAlias(alias, rv.Location); err != nil {
		return nil, err
	}
	b.sc.add(alias, rv.Relname, hasAlias, cols)
	return &fromQuery{q: q, n: len(cols)}, nil
}

// queryColInfos returns a query's visible output columns as colInfos.
func queryColInfos(q queryPlan) []colInfo {
	cols := q.columns()
	ts := queryTypes(q)
	out := make([]colInfo, len(cols))
	for i, c := range cols {
		out[i] = colInfo{name: c.Name, t: ts[i], rel: c.TableID, attnum: c.ColumnAttr, fields: queryRecordFields(q, i)}
	}
	return out
}

// bindFromItem binds one FROM item into the scope.
func (b *binder) bindFromItem(n *pg_query.Node, r layers.Reader) (fromNode, error) {
	switch x := n.Node.(type) {
	case *pg_query.Node_RangeVar:
		ti, q, err := b.openRelation(x.RangeVar, r)
		if err != nil {
			return nil, err
		}
		if ti != nil {
			return &fromTable{ti: ti}, nil
		}
		return q, nil
	case *pg_query.Node_JoinExpr:
		return b.bindJoin(x.JoinExpr, r)
	case *pg_query.Node_RangeSubselect:
		rs := x.RangeSubselect
		sel := rs.Subquery.GetSelectStmt()
		if sel == nil {
			return nil, sqlerr.Syntax("malformed subquery in FROM")
		}
		if rs.Alias == nil || rs.Alias.Aliasname == "" {
			return nil, sqlerr.Syntax("subquery in FROM must have an alias").WithHint("For example, FROM (SELECT ...) [AS] foo.")
		}
		// A subquery in FROM sees the enclosing queries' scopes but not
		// its siblings.
		// A LATERAL one sees the items before it too, as the row of an
		// enclosing query.
		saved := b.sc
		savedAggs := b.aggs
		parent := saved.parent
		if rs.Lateral {
			parent = saved
		}
		b.sc, b.aggs = &scope{parent: parent, marker: true}, nil
		q, err := b.bindQuery(sel, r)
		b.sc, b.aggs = saved, savedAggs
		if err != nil {
			return nil, err
		}
		cols, err := b.aliasColumns(rs.Alias, queryColInfos(q), rs.Alias.Aliasname)
		if err != nil {
			return nil, err
		}
		if err := b.checkDupAlias(rs.Alias.Aliasname, -1); err != nil {
			return nil, err
		}
		before := b.sc.width
		b.sc.add(rs.Alias.Aliasname, "", true, cols)
		if rs.Lateral {
			return &fromLateral{q: q, n: len(cols), before: before}, nil
		}
		return &fromQuery{q: q, n: len(cols)}, nil
	case *pg_query.Node_RangeFunction:
		return b.bindRangeFunction(x.RangeFunction, r)
	}
	return nil, sqlerr.Unsupported("this FROM item is not supported yet")
}

// bindJoin binds a JOIN expression.
func (b *binder) bindJoin(j *pg_query.JoinExpr, r layers.Reader) (fromNode, error) {
	if j.Alias != nil {
		return nil, sqlerr.Unsupported("aliases of joins are not supported yet")
	}
	base := b.sc.width
	starStart := len(b.sc.star)
	left, err := b.bindFromItem(j.Larg, r)
	if err != nil {
		return nil, err
	}
	lw := b.sc.width
	right, err := b.bindFromItem(j.Rarg, r)
	if err != nil {
		return nil, err
	}
	node := &fromJoin{left: left, right: right}
	if _, lateral := right.(*fromLateral); lateral && (j.Jointype == pg_query.JoinType_JOIN_RIGHT || j.Jointype == pg_query.JoinType_JOIN_FULL) {
		name := ""
		if ent, _ := b.sc.locate(base); ent != nil {
			name = ent.alias
		}
		return nil, sqlerr.New(sqlerr.InvalidColumnReference, "invalid reference to FROM-clause entry for table %q", name).
			WithDetail("The combining JOIN type must be INNER or LEFT for a LATERAL reference.")
	}
	switch j.Jointype {
	case pg_query.JoinType_JOIN_INNER:
		node.kind = joinInner
	case pg_query.JoinType_JOIN_LEFT:
		node.kind = joinLeft
	case pg_query.JoinType_JOIN_RIGHT:
		node.kind = joinRight
	case pg_query.JoinType_JOIN_FULL:
		node.kind = joinFull
	default:
		return nil, sqlerr.Unsupported("this join type is not supported yet")
	}
	var using []string
	if j.IsNatural {
		// Common column names, in the left side's order.
		for p := base; p < lw; p++ {
			ent, i := b.sc.locate(p)
			name := ent.cols[i].name
			for q := lw; q < b.sc.width; q++ {
				e2, i2 := b.sc.locate(q)
				if e2.cols[i2].name == name {
					using = append(using, name)
					break
				}
			}
		}
	}
	for _, u := range j.UsingClause {
		if s := u.GetString_(); s != nil {
			using = append(using, s.Sval)
		}
	}
	if len(using) > 0 || j.IsNatural {
		var conds []expr
		var merged []usingCol
		for _, name := range using {
			lp, err := b.findUsing(name, base, lw, "left")
			if err != nil {
				return nil, err
			}
			rp, err := b.findUsing(name, lw, b.sc.width, "right")
			if err != nil {
				return nil, err
			}
			le, li := b.sc.locate(lp)
			re, ri := b.sc.locate(rp)
			lc := &colRef{idx: lp, t: le.cols[li].t, name: le.alias + "." + name}
			rc := &colRef{idx: rp, t: re.cols[ri].t, name: re.alias + "." + name}
			c, err := b.bindBinary("=", lc, rc, -1)
			if err != nil {
				return nil, err
			}
			conds = append(conds, c)
			var m expr = lc
			switch node.kind {
			case joinRight:
				m = rc
			case joinFull:
				l2, r2, k, ok, err := b.unify(lc, rc)
				if err != nil || !ok {
					return nil, fmt.Errorf("JOIN USING %s: %v", name, err)
				}
				m = &coalesceExpr{args: []expr{l2, r2}, t: types.T{Kind: k, Mod: -1}}
			}
			merged = append(merged, usingCol{name: name, e: m, l: lp, r: rp})
		}
		if len(conds) == 1 {
			node.cond = conds[0]
		} else if len(conds) > 1 {
			node.cond = &boolExpr{and: true, args: conds}
		}
		// The merged columns come first in *, then the others.
		var star []int
		for i := range merged {
			star = append(star, -1-(len(b.sc.using)+i))
		}
		for _, p := range b.sc.star[starStart:] {
			skip := false
			for _, m := range merged {
				if p == m.l || p == m.r {
					skip = true
				}
			}
			if !skip {
				star = append(star, p)
			}
		}
		b.sc.using = append(b.sc.using, merged...)
		b.sc.star = append(b.sc.star[:starStart], star...)
		for _, m := range merged {
			for _, p := range []int{m.l, m.r} {
				ent, i := b.sc.locate(p)
				if ent.hidden == nil {
					ent.hidden = map[int]bool{}
				}
				ent.hidden[i] = true
			}
		}
	} else if j.Quals != nil {
		saved, savedCtx := b.aggAllowed, b.aggContext
		b.aggAllowed, b.aggContext = false, "JOIN conditions"
		c, err := b.bindExpr(j.Quals)
		b.aggAllowed, b.aggContext = saved, savedCtx
		if err != nil {
			return nil, err
		}
		if node.cond, err = b.asBool(c, "JOIN/ON", exprLocation(j.Quals)); err != nil {
			return nil, err
		}
	}
	// Conditions are over the whole scope row; shift them to the join's
	// own row.
	if base > 0 && node.cond != nil {
		node.cond = shiftCols(node.cond, -base)
	}
	splitJoinKeys(node, lw-base)
	if node.kind == joinInner && node.cond != nil {
		// An inner join's other conditions may filter one side early.
		rest := node.cond
		node.cond = nil
		left := pushFilter(node, rest)
		node.cond = andAll(append(conjuncts(node.cond, nil), conjuncts(left, nil)...))
	}
	return node, nil
}

// findUsing finds the one column named name in row positions [lo, hi).
func (b *binder) findUsing(name string, lo, hi int, side string) (int, error) {
	found := -1
	for p := lo; p < hi; p++ {
		ent, i := b.sc.locate(p)
		if ent.cols[i].name == name && !ent.hidden[i] {
			if found >= 0 {
				return 0, sqlerr.New(sqlerr.AmbiguousColumn, "common column name %q appears more than once in %s table", name, side)
			}
			found = p
		}
	}
	if found < 0 {
		return 0, sqlerr.New(sqlerr.UndefinedColumn, "column %q specified in USING clause does not exist in %s table", name, side)
	}
	return found, nil
}

// shiftCols moves every column reference of e by delta.
func shiftCols(e expr, delta int) expr {
	out, _ := rewriteExpr(e, func(x expr) (expr, bool, error) {
		if c, ok := x.(*colRef); ok {
			d := *c
			d.idx += delta
			return &d, true, nil
		}
		return nil, false, nil
	})
	return out
}

// colRange returns the lowest and highest column positions e reads, and
// whether e can be evaluated below a join (no subqueries, no aggregates).
func colRange(e expr) (lo, hi int, movable bool) {
	lo, hi, movable = 1<<30, -1, true
	_, _ = rewriteExpr(e, func(x expr) (expr, bool, error) {
		switch c := x.(type) {
		case *colRef:
			lo, hi = min(lo, c.idx), max(hi, c.idx)
		case *subqueryExpr, *aggRef:
			movable = false
		}
		return nil, false, nil
	})
	return lo, hi, movable
}

// conjuncts flattens nested ANDs.
func conjuncts(e expr, out []expr) []expr {
	if e == nil {
		return out
	}
	if be, ok := e.(*boolExpr); ok && be.and {
		for _, a := range be.args {
			out = conjuncts(a, out)
		}
		return out
	}
	return append(out, e)
}

// andAll joins conjuncts back (nil for none).
func andAll(es []expr) expr {
	switch len(es) {
	case 0:
		return nil
	case 1:
		return es[0]
	}
	return &boolExpr{and: true, args: es}
}

// splitJoinKeys moves equalities between a left and a right column out of
// the join condition into hash keys.
func splitJoinKeys(j *fromJoin, lw int) {
	if j.cond == nil {
		return
	}
	var rest []expr
	for _, c := range conjuncts(j.cond, nil) {
		if l, r, ok := equiKey(c, lw); ok {
			j.lkeys = append(j.lkeys, l)
			j.rkeys = append(j.rkeys, shiftCols(r, -lw))
			continue
		}
		rest = append(rest, c)
	}
	j.cond = andAll(rest)
}

// equiKey reports whether c is "left expr = right expr" across a join
// whose left side has lw columns.
func equiKey(c expr, lw int) (l, r expr, ok bool) {
	cmp, isCmp := c.(*cmpExpr)
	if !isCmp || cmp.op != cmpEQ {
		return nil, nil, false
	}
	llo, lhi, lm := colRange(cmp.l)
	rlo, rhi, rm := colRange(cmp.r)
	if !lm || !rm || lhi < 0 || rhi < 0 {
		return nil, nil, false
	}
	if hasOuter(cmp.l) || hasOuter(cmp.r) {
		return nil, nil, false
	}
	switch {
	case lhi < lw && rlo >= lw:
		return cmp.l, cmp.r, true
	case rhi < lw && llo >= lw:
		return cmp.r, cmp.l, true
	}
	return nil, nil, false
}

// hasOuter reports whether e reads an enclosing query's row.
func hasOuter(e expr) bool {
	found := false
	_, _ = rewriteExpr(e, func(x expr) (expr, bool, error) {
		if _, ok := x.(*outerRef); ok {
			found = true
		}
		return nil, false, nil
	})
	return found
}

// pushFilter moves the WHERE conjuncts that read only one table below
// inner joins, and cross-table equalities into hash keys, returning what
// is left for the top.
func pushFilter(node fromNode, filter expr) expr {
	if filter == nil || node == nil {
		return filter
	}
	var rest []expr
	for _, c := range conjuncts(filter, nil) {
		if !pushConj(node, 0, c) {
			rest = append(rest, c)
		}
	}
	return andAll(rest)
}

// pushConj tries to place conjunct c (over the row of node, which starts
// at column off of c's row) inside node.
func pushConj(node fromNode, off int, c expr) bool {
	lo, hi, movable := colRange(c)
	if !movable || hi < 0 || lo < off || hi >= off+node.width() {
		return false
	}
	switch n := node.(type) {
	case *fromTable:
		n.filter = andAll(append(conjuncts(n.filter, nil), shiftCols(c, -off)))
		n.scan = keyRange(n.ti, n.filter)
		return true
	case *fromJoin:
		if n.kind != joinInner {
			return false
		}
		lw := n.left.width()
		if pushConj(n.left, off, c) || pushConj(n.right, off+lw, c) {
			return true
		}
		local := shiftCols(c, -off)
		if l, r, ok := equiKey(local, lw); ok {
			n.lkeys = append(n.lkeys, l)
			n.rkeys = append(n.rkeys, shiftCols(r, -lw))
			return true
		}
		n.cond = andAll(append(conjuncts(n.cond, nil), local))
		return true
	}
	return false
}

// expandStar expands * or alias.* in a select or RETURNING list.
func (b *binder) expandStar(cr *pg_query.ColumnRef) ([]expr, []string, error) {
	if b.sc == nil || len(b.sc.entries) == 0 {
		return nil, nil, b.errAt(sqlerr.Syntax("SELECT * with no tables specified is not valid"), cr.Location)
	}
	if len(cr.Fields) < 2 {
		es, names := b.sc.starExprs()
		return es, names, nil
	}
	q := cr.Fields[0].GetString_().GetSval()
	for _, ent := range b.sc.entries {
		if ent.alias != q {
			continue
		}
		var es []expr
		var names []string
		for i, c := range ent.cols {
			if ent.exprs != nil {
				es = append(es, ent.exprs[i])
			} else {
				es = append(es, &colRef{idx: ent.offset + i, t: c.t, name: ent.alias + "." + c.name})
			}
			names = append(names, c.name)
		}
		return es, names, nil
	}
	return nil, nil, b.errAt(sqlerr.New(sqlerr.UndefinedTable, "missing FROM-clause entry for table %q", q), cr.Location)
}

// bindDMLFrom binds UPDATE's FROM or DELETE's USING list after the target
// table in the scope, as one left-deep join (nil for none).
func (b *binder) bindDMLFrom(items []*pg_query.Node, r layers.Reader) (fromNode, error) {
	var node fromNode
	for _, it := range items {
		n, err := b.bindFromItem(it, r)
		if err != nil {
			return nil, err
		}
		if node == nil {
			node = n
		} else {
			node = &fromJoin{kind: joinInner, left: node, right: n}
		}
	}
	return node, nil
}

// addDep records that the statement reads the named table or view.
func (b *binder) addDep(name string) {
	if b.deps == nil {
		b.deps = map[string]bool{}
	}
	b.deps[name] = true
}
