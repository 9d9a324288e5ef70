package planner

// Binding of VALUES lists as queries and of WITH (non-recursive common
// table expressions), which FROM items name like tables.

import (
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// valuesPlan is a VALUES list used as a query: its rows are expressions
// of the column types, evaluated over no row.
type valuesPlan struct {
	rows   [][]expr
	types  []types.T
	cols   []Column
	sort   []sortKey
	limit  expr
	offset expr
}

func (p *valuesPlan) columns() []Column { return p.cols }

// bindValues binds VALUES (...), (...) [ORDER BY ...] [LIMIT ...].
func (b *binder) bindValues(s *pg_query.SelectStmt, r layers.Reader) (queryPlan, error) {
	sc := &scope{parent: b.sc}
	b.sc = sc
	savedAllowed, savedCtx := b.aggAllowed, b.aggContext
	defer func() {
		b.sc = sc.parent
		b.aggAllowed, b.aggContext = savedAllowed, savedCtx
	}()
	b.aggAllowed, b.aggContext = false, "VALUES"
	p := &valuesPlan{}
	width := -1
	for _, vl := range s.ValuesLists {
		l := vl.GetList()
		if l == nil {
			return nil, sqlerr.Syntax("malformed VALUES list")
		}
		if width >= 0 && len(l.Items) != width {
			return nil, b.errAt(sqlerr.Syntax("VALUES lists must all be the same length"), exprLocation(l.Items[0]))
		}
		width = len(l.Items)
		row := make([]expr, len(l.Items))
		for i, it := range l.Items {
			if it.GetSetToDefault() != nil {
				return nil, b.errAt(sqlerr.Syntax("DEFAULT is not allowed in this context"), it.GetSetToDefault().Location)
			}
			e, err := b.bindExpr(it)
			if err != nil {
				return nil, err
			}
			row[i] = e
		}
		p.rows = append(p.rows, row)
	}
	for c := 0; c < width; c++ {
		col := make([]expr, len(p.rows))
		for i, row := range p.rows {
			col[i] = row[c]
		}
		t, err := b.commonType(col, "VALUES", -1)
		if err != nil {
			return nil, err
		}
		for i, row := range p.rows {
			if row[c], err = b.coerce(row[c], t, types.CastImplicit); err != nil {
				return nil, b.coerceErr(err, -1)
			}
			p.rows[i] = row
		}
		p.types = append(p.types, t)
		p.cols = append(p.cols, Column{Name: fmt.Sprintf("column%d", c+1), TypeOID: t.OID(), TypeSize: t.Size(), TypeMod: t.Mod})
	}
	var err error
	if p.sort, p.limit, p.offset, err = b.bindResultOrder(s, p.cols); err != nil {
		return nil, err
	}
	return p, nil
}

// execValues evaluates a VALUES list.
func execValues(ev *evalCtx, p *valuesPlan) ([][]types.Value, error) {
	out := make([][]types.Value, 0, len(p.rows))
	for _, row := range p.rows {
		vals := make([]types.Value, len(row))
		for i, e := range row {
			v, err := e.eval(ev, nil)
			if err != nil {
				return nil, err
			}
			vals[i] = v
		}
		out = append(out, vals)
	}
	return orderResult(ev, out, p.sort, p.limit, p.offset)
}

// cteFrame is one WITH clause's definitions; while the body of
// definition i is bound, only the first visible ones can be named.
type cteFrame struct {
	defs    []*pg_query.CommonTableExpr
	plans   []queryPlan
	visible int
	// While the recursive term of definition visible is bound, its name
	// reads work (from directly inside the scope under recMarker).
	work      *workTable
	recMarker *scope
}

// workTable is the rows of a recursive WITH query's previous iteration,
// which its recursive term reads.
type workTable struct {
	name  string
	types []types.T
}

// fromWork reads a recursive query's working table.
type fromWork struct {
	wt *workTable
}

func (f *fromWork) width() int { return len(f.wt.types) }

// recursivePlan is WITH RECURSIVE's query: the non-recursive term, then
// the recursive term run over the previous iteration's new rows until it
// yields none. Without all, rows already produced are dropped.
type recursivePlan struct {
	nonrec queryPlan
	rec    queryPlan
	all    bool
	wt     *workTable
	cols   []Column
}

func (p *recursivePlan) columns() []Column { return p.cols }

// pushWith makes a WITH clause's definitions visible; the returned func
// hides them again.
func (b *binder) pushWith(w *pg_query.WithClause) (func(), error) {
	if w == nil {
		return func() {}, nil
	}
	f := &cteFrame{}
	seen := map[string]bool{}
	for _, n := range w.Ctes {
		c := n.GetCommonTableExpr()
		if c == nil {
			return nil, sqlerr.Syntax("malformed WITH")
		}
		if seen[c.Ctename] {
			return nil, b.errAt(sqlerr.New(sqlerr.DuplicateAlias, "WITH query name %q specified more than once", c.Ctename), c.Location)
		}
		seen[c.Ctename] = true
		if c.Ctequery.GetSelectStmt() == nil && !isDMLNode(c.Ctequery) {
			return nil, b.errAt(sqlerr.Unsupported("data-modifying statements in WITH are not supported yet"), c.Location)
		}
		f.defs = append(f.defs, c)
	}
	top := b.dml != nil && b.sc == nil
	saved := b.ctes
	b.ctes = append(b.ctes[:len(b.ctes):len(b.ctes)], f)
	// Bind every body now, as PostgreSQL does (so errors show even for
	// unused ones), each seeing only the definitions before it.
	savedSc := b.sc
	for i, c := range f.defs {
		f.visible = i
		b.sc = &scope{marker: true}
		var q queryPlan
		var err error
		if isDMLNode(c.Ctequery) {
			q, err = b.bindDMLCTE(c, top)
		} else if sel := c.Ctequery.GetSelectStmt(); w.Recursive && sel.Op == pg_query.SetOperation_SETOP_UNION && refersTo(sel.Rarg, c.Ctename) {
			q, err = b.bindRecursive(f, c, sel)
		} else {
			q, err = b.bindQuery(sel, b.r)
		}
		b.sc = savedSc
		if err != nil {
			b.ctes = saved
			return nil, err
		}
		f.plans = append(f.plans, q)
	}
	f.visible = len(f.defs)
	return func() { b.ctes = saved }, nil
}

// hiddenCTE reports whether a WITH query of the name exists but cannot be
// referenced from here (a forward reference).
func (b *binder) hiddenCTE(name string) bool {
	for _, f := range b.ctes {
		for i := f.visible; i < len(f.defs); i++ {
			if f.defs[i].Ctename == name {
				return true
			}
		}
	}
	return false
}

// bindCTE binds a FROM reference to a WITH query, or returns nil when
// no WITH query has the name.
func (b *binder) bindCTE(rv *pg_query.RangeVar, r layers.Reader) (fromNode, error) {
	if rv.Schemaname != "" {
		return nil, nil
	}
	for fi := len(b.ctes) - 1; fi >= 0; fi-- {
		f := b.ctes[fi]
		if f.work != nil && f.work.name == rv.Relname {
			if b.sc.parent != f.recMarker {
				return nil, b.errAt(sqlerr.New("42P19", "recursive reference to query %q must not appear within a subquery", rv.Relname), rv.Location)
			}
			cols := make([]colInfo, len(f.work.types))
			for i, c := range f.plans[len(f.plans)-1].columns() {
				cols[i] = colInfo{name: c.Name, t: f.work.types[i]}
			}
			alias, hasAlias := rv.Relname, false
			if rv.Alias != nil && rv.Alias.Aliasname != "" {
				alias, hasAlias = rv.Alias.Aliasname, true
			}
			b.sc.add(alias, rv.Relname, hasAlias, cols)
			return &fromWork{wt: f.work}, nil
		}
		for i := 0; i < f.visible; i++ {
			c := f.defs[i]
			if c.Ctename != rv.Relname {
				continue
			}
			q := f.plans[i]
			if err := b.checkDMLRef(q, rv); err != nil {
				return nil, err
			}
			var err error
			cols := queryColInfos(q)
			if len(c.Aliascolnames) > 0 {
				if cols, err = b.aliasColumns(&pg_query.Alias{Aliasname: c.Ctename, Colnames: c.Aliascolnames}, cols, c.Ctename); err != nil {
					return nil, err
				}
			}
			alias, hasAlias := rv.Relname, false
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
	}
	return nil, nil
}

// refersTo reports whether a query names rel in a FROM clause anywhere
// (a recursive WITH query's self-reference).
func refersTo(s *pg_query.SelectStmt, rel string) bool {
	found := false
	var walk func(n *pg_query.Node)
	walkSel := func(s *pg_query.SelectStmt) {
		if s == nil {
			return
		}
		for _, f := range s.FromClause {
			walk(f)
		}
		if s.Larg != nil {
			walk(&pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: s.Larg}})
		}
		if s.Rarg != nil {
			walk(&pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: s.Rarg}})
		}
		walk(s.WhereClause)
	}
	walk = func(n *pg_query.Node) {
		if n == nil || found {
			return
		}
		switch x := n.Node.(type) {
		case *pg_query.Node_RangeVar:
			found = x.RangeVar.Schemaname == "" && x.RangeVar.Relname == rel
		case *pg_query.Node_JoinExpr:
			walk(x.JoinExpr.Larg)
			walk(x.JoinExpr.Rarg)
		case *pg_query.Node_RangeSubselect:
			walk(x.RangeSubselect.Subquery)
		case *pg_query.Node_SelectStmt:
			walkSel(x.SelectStmt)
		case *pg_query.Node_SubLink:
			walk(x.SubLink.Subselect)
		case *pg_query.Node_BoolExpr:
			for _, a := range x.BoolExpr.Args {
				walk(a)
			}
		case *pg_query.Node_AExpr:
			walk(x.AExpr.Lexpr)
			walk(x.AExpr.Rexpr)
		}
	}
	walkSel(s)
	return found
}

// bindRecursive binds a recursive WITH query: non-recursive term UNION
// [ALL] recursive term.
func (b *binder) bindRecursive(f *cteFrame, c *pg_query.CommonTableExpr, sel *pg_query.SelectStmt) (queryPlan, error) {
	if len(sel.SortClause) > 0 || sel.LimitCount != nil || sel.LimitOffset != nil {
		return nil, sqlerr.Unsupported("ORDER BY/LIMIT in a recursive query is not supported yet")
	}
	nonrec, err := b.bindQuery(sel.Larg, b.r)
	if err != nil {
		return nil, err
	}
	p := &recursivePlan{nonrec: nonrec, all: sel.All}
	p.cols = append([]Column(nil), nonrec.columns()...)
	for i, a := range c.Aliascolnames {
		if i < len(p.cols) {
			p.cols[i].Name = a.GetString_().GetSval()
		}
	}
	if len(c.Aliascolnames) > len(p.cols) {
		return nil, sqlerr.New(sqlerr.InvalidColumnReference, "WITH query %q has %d columns available but %d columns specified", c.Ctename, len(p.cols), len(c.Aliascolnames))
	}
	p.wt = &workTable{name: c.Ctename, types: queryTypes(nonrec)}
	// The recursive term sees the working table under the query's name.
	f.plans = append(f.plans, &recursivePlan{cols: p.cols})
	f.work, f.recMarker = p.wt, b.sc
	rec, err := b.bindQuery(sel.Rarg, b.r)
	f.work, f.recMarker = nil, nil
	f.plans = f.plans[:len(f.plans)-1]
	if err != nil {
		return nil, err
	}
	rt := queryTypes(rec)
	if len(rt) != len(p.wt.types) {
		return nil, sqlerr.Syntax("each UNION query must have the same number of columns")
	}
	for i, t := range rt {
		if t.Kind != p.wt.types[i].Kind {
			return nil, b.errAt(sqlerr.New(sqlerr.DatatypeMismatch, "recursive query %q column %d has type %s in non-recursive term but type %s overall",
				c.Ctename, i+1, p.wt.types[i], types.T{Kind: widen(t.Kind, p.wt.types[i].Kind), Mod: -1}).
				WithHint("Cast the output of the non-recursive term to the correct type."), setOpTargetLoc(sel.Larg, i))
		}
	}
	p.rec = rec
	return p, nil
}

// execRecursive runs a recursive WITH query to its fixpoint.
func execRecursive(ev *evalCtx, p *recursivePlan) ([][]types.Value, error) {
	rows, err := execQuery(ev, p.nonrec, -1)
	if err != nil {
		return nil, err
	}
	var mem memBudget
	seen := map[string]bool{}
	keep := func(in [][]types.Value) ([][]types.Value, error) {
		var out [][]types.Value
		for _, r := range in {
			if !p.all {
				k := rowKey(r)
				if seen[k] {
					continue
				}
				seen[k] = true
			}
			if err := mem.add(r); err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	}
	work, err := keep(rows)
	if err != nil {
		return nil, err
	}
	result := append([][]types.Value(nil), work...)
	for len(work) > 0 {
		if err := canceled(ev.ctx); err != nil {
			return nil, err
		}
		ev.work[p.wt] = work
		next, err := execQuery(ev, p.rec, -1)
		if err != nil {
			return nil, err
		}
		if work, err = keep(next); err != nil {
			return nil, err
		}
		result = append(result, work...)
	}
	delete(ev.work, p.wt)
	return result, nil
}
