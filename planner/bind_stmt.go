package planner

// Binding of statements: pg_query statement nodes become plan nodes.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// bindStmt binds one parsed statement. r reads the catalog (nil is allowed
// only for statements that need none: transaction control, SET, SHOW).
// params are the parameter types (Unknown to infer); the returned slice
// holds every parameter's type, unknowns resolved to text.
func (e *Engine) bindStmt(st *parsedStmt, r layers.Reader, params []types.T, id identity) (plan, []types.T, error) {
	b := &binder{eng: e, sql: st.sql, params: append([]types.T(nil), params...), ident: id, r: r, dml: &dmlCollector{}}
	p, err := b.bindNode(st.node, r)
	if err != nil {
		return nil, nil, err
	}
	p = wrapDML(b, p)
	for i, t := range b.params {
		if t.Kind == types.Unknown {
			b.params[i] = types.TText
		}
	}
	return p, b.params, nil
}

// needsCatalog reports whether a statement reads tables.
func needsCatalog(st *parsedStmt) bool {
	switch st.node.Node.(type) {
	case *pg_query.Node_TransactionStmt, *pg_query.Node_VariableSetStmt, *pg_query.Node_VariableShowStmt, *pg_query.Node_DiscardStmt:
		return false
	}
	return st.node != nil
}

func (b *binder) bindNode(n *pg_query.Node, r layers.Reader) (plan, error) {
	if n == nil {
		return &emptyPlan{}, nil
	}
	switch x := n.Node.(type) {
	case *pg_query.Node_SelectStmt:
		return b.bindSelect(x.SelectStmt, r)
	case *pg_query.Node_InsertStmt:
		return b.bindInsert(x.InsertStmt, r)
	case *pg_query.Node_UpdateStmt:
		return b.bindUpdate(x.UpdateStmt, r)
	case *pg_query.Node_DeleteStmt:
		return b.bindDelete(x.DeleteStmt, r)
	case *pg_query.Node_CreateStmt:
		return b.bindCreateTable(x.CreateStmt)
	case *pg_query.Node_DropStmt:
		return b.bindDrop(x.DropStmt)
	case *pg_query.Node_IndexStmt:
		return b.bindCreateIndex(x.IndexStmt, r)
	case *pg_query.Node_ViewStmt:
		return b.bindCreateView(x.ViewStmt, r)
	case *pg_query.Node_AlterTableStmt:
		return b.bindAlterTable(x.AlterTableStmt)
	case *pg_query.Node_RenameStmt:
		return b.bindRename(x.RenameStmt)
	case *pg_query.Node_TruncateStmt:
		p := &truncatePlan{restart: x.TruncateStmt.RestartSeqs}
		for _, n := range x.TruncateStmt.Relations {
			rv := n.GetRangeVar()
			if rv == nil {
				return nil, sqlerr.Syntax("malformed TRUNCATE")
			}
			ti, err := b.openRangeVar(rv, r, "truncate")
			if err != nil {
				return nil, err
			}
			p.tables = append(p.tables, ti)
		}
		return p, nil
	case *pg_query.Node_TransactionStmt:
		return b.bindTransaction(x.TransactionStmt)
	case *pg_query.Node_VariableSetStmt:
		return b.bindSet(x.VariableSetStmt)
	case *pg_query.Node_VariableShowStmt:
		return &showPlan{name: strings.ToLower(x.VariableShowStmt.Name)}, nil
	case *pg_query.Node_DiscardStmt:
		switch x.DiscardStmt.Target {
		case pg_query.DiscardMode_DISCARD_ALL:
			return &setPlan{name: "all", reset: true, discard: true, tag: "DISCARD ALL"}, nil
		case pg_query.DiscardMode_DISCARD_PLANS:
			return &setPlan{noop: true, tag: "DISCARD PLANS"}, nil
		case pg_query.DiscardMode_DISCARD_SEQUENCES:
			return &setPlan{noop: true, tag: "DISCARD SEQUENCES"}, nil
		case pg_query.DiscardMode_DISCARD_TEMP:
			return &setPlan{noop: true, tag: "DISCARD TEMP"}, nil
		}
	}
	return nil, sqlerr.Unsupported("statement %s is not supported yet", strings.TrimSuffix(nodeName(n), "Stmt"))
}

// loadRangeVar loads the table a RangeVar names.
func (b *binder) loadRangeVar(rv *pg_query.RangeVar, r layers.Reader) (*tableInfo, error) {
	if rv.Schemaname == "pg_catalog" || rv.Schemaname == "information_schema" ||
		(rv.Schemaname == "" && strings.HasPrefix(rv.Relname, "pg_")) {
		return nil, b.errAt(sqlerr.Unsupported("system catalog %s is not supported yet", rv.Relname), rv.Location)
	}
	if rv.Schemaname != "" && rv.Schemaname != "public" {
		return nil, b.errAt(sqlerr.UndefinedTableErr(rv.Schemaname+"."+rv.Relname), rv.Location)
	}
	if r == nil {
		return nil, fmt.Errorf("bind %q: no transaction to read the catalog", rv.Relname)
	}
	ti, err := b.eng.loadTable(r, rv.Relname)
	if err != nil {
		return nil, b.errAt(err, rv.Location)
	}
	return ti, nil
}

// openRangeVar loads the target table of INSERT, UPDATE, DELETE or
// TRUNCATE and makes it the binder's scope.
//
// verb names the statement for the error about a view ("insert into",
// "update", "delete from", "truncate").
func (b *binder) openRangeVar(rv *pg_query.RangeVar, r layers.Reader, verb string) (*tableInfo, error) {
	ti, err := b.loadRangeVar(rv, r)
	if err != nil {
		if sqlerr.Code(err) == sqlerr.UndefinedTable && r != nil && rv.Schemaname == "" {
			if v, verr := b.eng.cat.View(r, rv.Relname); verr == nil {
				if verb == "truncate" {
					return nil, sqlerr.New(sqlerr.WrongObjectType, "%q is not a table", rv.Relname)
				}
				return b.openUpdatableView(v, rv, r, verb)
			}
			if serr := b.sequenceTargetErr(rv, r, verb); serr != nil {
				return nil, serr
			}
		}
		return nil, err
	}
	alias, hasAlias := rv.Relname, false
	if rv.Alias != nil && rv.Alias.Aliasname != "" {
		if len(rv.Alias.Colnames) > 0 {
			return nil, b.errAt(sqlerr.Unsupported("column aliases in FROM are not supported yet"), rv.Location)
		}
		alias, hasAlias = rv.Alias.Aliasname, true
	}
	b.sc = &scope{}
	b.sc.add(alias, rv.Relname, hasAlias, ti.cols)
	return ti, nil
}

// bindWhere binds a WHERE clause as a boolean filter.
func (b *binder) bindWhere(n *pg_query.Node) (expr, error) {
	if n == nil {
		return nil, nil
	}
	b.aggAllowed, b.aggContext = false, "WHERE"
	e, err := b.bindExpr(n)
	if err != nil {
		return nil, err
	}
	return b.asBool(e, "WHERE", exprLocation(n))
}

// leftmostLocation returns where an expression's text begins (the left
// operand of an operator), or -1.
func leftmostLocation(n *pg_query.Node) int32 {
	if a := n.GetAExpr(); a != nil && a.Lexpr != nil {
		if l := leftmostLocation(a.Lexpr); l >= 0 {
			return l
		}
	}
	return exprLocation(n)
}

// exprLocation returns a node's location, or -1.
func exprLocation(n *pg_query.Node) int32 {
	if n == nil {
		return -1
	}
	switch x := n.Node.(type) {
	case *pg_query.Node_AExpr:
		return x.AExpr.Location
	case *pg_query.Node_ColumnRef:
		return x.ColumnRef.Location
	case *pg_query.Node_AConst:
		return x.AConst.Location
	case *pg_query.Node_FuncCall:
		return x.FuncCall.Location
	case *pg_query.Node_TypeCast:
		return x.TypeCast.Location
	case *pg_query.Node_BoolExpr:
		return x.BoolExpr.Location
	case *pg_query.Node_ParamRef:
		return x.ParamRef.Location
	}
	return -1
}

func (b *binder) bindSelect(s *pg_query.SelectStmt, r layers.Reader) (plan, error) {
	switch {
	case s.Op != pg_query.SetOperation_SETOP_NONE || len(s.ValuesLists) > 0:
		return b.bindQuery(s, r)
	case s.IntoClause != nil:
		return nil, sqlerr.Unsupported("SELECT INTO is not supported yet")
	case s.LimitOption == pg_query.LimitOption_LIMIT_OPTION_WITH_TIES:
		return nil, sqlerr.Unsupported("FETCH ... WITH TIES is not supported yet")
	}
	pop, err := b.pushWith(s.WithClause)
	if err != nil {
		return nil, err
	}
	defer pop()
	defer b.beginSRFLevel()()
	// The query's own scope, inside the enclosing query's; aggregates
	// found while binding belong to this query level.
	sc := &scope{parent: b.sc}
	b.sc = sc
	savedAggs := b.aggs
	b.aggs = nil
	defer func() {
		b.sc = sc.parent
		b.aggs = savedAggs
	}()
	defer b.beginWindows(s)()
	p := &selectPlan{}
	if len(s.DistinctClause) > 0 {
		if len(s.DistinctClause) == 1 && s.DistinctClause[0].Node == nil {
			p.distinct = true
		}
	}
	if len(s.FromClause) > 0 {
		var err error
		if p.table, p.from, err = b.bindFrom(s.FromClause, r); err != nil {
			return nil, err
		}
	}
	if p.filter, err = b.bindWhere(s.WhereClause); err != nil {
		return nil, err
	}
	if p.table != nil && p.filter != nil {
		p.scan = keyRange(p.table, p.filter)
	}
	if p.from != nil {
		p.filter = pushFilter(p.from, p.filter)
	}
	b.planFrom(p) // joinorder.go, decorrelate.go

	// Select list, with aggregates and window functions allowed.
	b.aggAllowed = true
	b.allowWindows(true)
	b.srf = &srfScope{}
	type target struct {
		e    expr
		name string
		raw  *pg_query.Node
		loc  int32
	}
	var targets []target
	for _, t := range s.TargetList {
		rt := t.GetResTarget()
		if rt == nil {
			return nil, sqlerr.Syntax("malformed select list")
		}
		if cr := rt.Val.GetColumnRef(); cr != nil && isStar(cr) {
			es, names, err := b.expandStar(cr)
			if err != nil {
				return nil, err
			}
			for i, e := range es {
				targets = append(targets, target{e: e, name: names[i], loc: cr.Location})
			}
			continue
		}
		e, err := b.bindExpr(rt.Val)
		if err != nil {
			return nil, err
		}
		unknown := false
		raw := e
		if e.typ().Kind == types.Unknown {
			// An unknown literal in the select list is text (PostgreSQL 10+),
			// unless a set operation resolves it.
			if e, err = b.coerce(e, types.TText, types.CastImplicit); err != nil {
				return nil, b.coerceErr(err, rt.Location)
			}
			unknown = true
		}
		for len(p.unknown) < len(targets) {
			p.unknown = append(p.unknown, nil)
		}
		if unknown {
			p.unknown = append(p.unknown, raw)
		} else {
			p.unknown = append(p.unknown, nil)
		}
		name := rt.Name
		if name == "" {
			name = figureColname(rt.Val)
		}
		targets = append(targets, target{e: e, name: name, raw: rt.Val, loc: rt.Location})
	}
	// A select list may be empty (SELECT FROM t); Columns is then empty
	// but not nil: the statement still returns rows.
	p.cols = make([]Column, 0, len(targets))
	for _, t := range targets {
		p.outputs = append(p.outputs, t.e)
		c := Column{Name: t.name, TypeOID: t.e.typ().OID(), TypeSize: t.e.typ().Size(), TypeMod: t.e.typ().Mod}
		c.TableID, c.ColumnAttr = b.exprOrigin(t.e)
		p.cols = append(p.cols, c)
	}
	p.nvisible = len(p.outputs)

	// GROUP BY, over input rows: a number names a select-list entry, a
	// bare name that is not a column may name an output.
	b.allowWindows(false)
	b.aggAllowed, b.aggContext = false, "GROUP BY"
	b.srf.off, b.srf.ctx = true, "GROUP BY"
	groupNodes, gsets, err := b.expandGroupingSets(s.GroupClause, s.GroupDistinct)
	if err != nil {
		return nil, err
	}
	for _, g := range groupNodes {
		if c := g.GetAConst(); c != nil {
			if iv, ok := c.Val.(*pg_query.A_Const_Ival); ok {
				n := int(iv.Ival.Ival)
				if n < 1 || n > len(targets) {
					return nil, b.errAt(sqlerr.New(sqlerr.InvalidColumnReference, "GROUP BY position %d is not in select list", n), c.Location)
				}
				if _, isAgg := targets[n-1].e.(*aggRef); isAgg || containsAgg(targets[n-1].e) {
					return nil, b.errAt(sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed in GROUP BY"), c.Location)
				}
				p.groups = append(p.groups, targets[n-1].e)
				continue
			}
		}
		e, err := b.bindExpr(g)
		if err != nil {
			if cr := g.GetColumnRef(); cr != nil && sqlerr.Code(err) == sqlerr.UndefinedColumn && len(cr.Fields) == 1 {
				name := cr.Fields[0].GetString_().GetSval()
				found := false
				for _, t := range targets {
					if t.name == name {
						e, err, found = t.e, nil, true
						break
					}
				}
				if !found {
					return nil, err
				}
			} else {
				return nil, err
			}
		}
		p.groups = append(p.groups, e)
	}
	if err := b.checkGroupWindows(p.groups); err != nil {
		return nil, err
	}

	// HAVING and ORDER BY may use aggregates.
	b.aggAllowed = true
	b.srf.ctx = "HAVING"
	if s.HavingClause != nil {
		h, err := b.bindExpr(s.HavingClause)
		if err != nil {
			return nil, err
		}
		if p.having, err = b.asBool(h, "HAVING", exprLocation(s.HavingClause)); err != nil {
			return nil, err
		}
	}
	b.allowWindows(true)
	b.srf.off = false
	for _, sn := range s.SortClause {
		sb := sn.GetSortBy()
		if sb == nil {
			return nil, sqlerr.Syntax("malformed ORDER BY")
		}
		if sb.SortbyDir == pg_query.SortByDir_SORTBY_USING {
			return nil, b.errAt(sqlerr.Unsupported("ORDER BY ... USING is not supported yet"), sb.Location)
		}
		key := sortKey{idx: -1, desc: sb.SortbyDir == pg_query.SortByDir_SORTBY_DESC}
		key.nullsFirst = key.desc
		switch sb.SortbyNulls {
		case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
			key.nullsFirst = true
		case pg_query.SortByNulls_SORTBY_NULLS_LAST:
			key.nullsFirst = false
		}
		if c := sb.Node.GetAConst(); c != nil {
			if iv, ok := c.Val.(*pg_query.A_Const_Ival); ok {
				n := int(iv.Ival.Ival)
				if n < 1 || n > p.nvisible {
					return nil, b.errAt(sqlerr.New(sqlerr.InvalidColumnReference, "ORDER BY position %d is not in select list", n), c.Location)
				}
				key.idx = n - 1
			}
		}
		if cr := sb.Node.GetColumnRef(); key.idx < 0 && cr != nil && len(cr.Fields) == 1 {
			if s := cr.Fields[0].GetString_(); s != nil {
				for i, t := range targets {
					if t.name == s.Sval {
						key.idx = i
						break
					}
				}
			}
		}
		if key.idx < 0 {
			e, err := b.bindExpr(sb.Node)
			if err != nil {
				return nil, err
			}
			if e.typ().Kind == types.Unknown {
				if e, err = b.coerce(e, types.TText, types.CastImplicit); err != nil {
					return nil, err
				}
			}
			for i, o := range p.outputs {
				if o.String() == e.String() {
					key.idx = i
					break
				}
			}
			if key.idx < 0 {
				if p.distinct {
					return nil, b.errAt(sqlerr.New(sqlerr.InvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list"), exprLocation(sb.Node))
				}
				p.outputs = append(p.outputs, e)
				key.idx = len(p.outputs) - 1
			}
		}
		p.sort = append(p.sort, key)
	}

	if !p.distinct && len(s.DistinctClause) > 0 {
		names := make([]string, len(targets))
		for i, t := range targets {
			names[i] = t.name
		}
		if err := b.bindDistinctOn(p, s.DistinctClause, names); err != nil {
			return nil, err
		}
	}
	if err := b.bindWindowClause(); err != nil {
		return nil, err
	}

	p.srfs, b.srf = b.srf.calls, nil

	// Aggregation: rewrite the post-grouping expressions over the grouped
	// row (group keys, then aggregate results).
	p.aggs = b.aggs
	if err := b.finishGroupingSets(p, gsets, s.GroupDistinct); err != nil {
		return nil, err
	}
	if len(p.aggs) > 0 || len(p.groups) > 0 || p.having != nil || p.gsets != nil {
		p.grouped = true
		b.repOff, b.needRep = len(p.groups)+len(p.aggs), false
		for i, o := range p.outputs {
			if p.outputs[i], err = b.rewriteGrouped(o, p.groups); err != nil {
				return nil, err
			}
		}
		if p.having != nil {
			if p.having, err = b.rewriteGrouped(p.having, p.groups); err != nil {
				return nil, err
			}
		}
		if p.window, err = b.finishWindows(s, p); err != nil {
			return nil, err
		}
		if err := b.groupSRFArgs(p.srfs, p.groups); err != nil {
			return nil, err
		}
		p.keepRep = b.needRep
	} else if p.window, err = b.finishWindows(s, p); err != nil {
		return nil, err
	}

	if err := b.checkLocking(s, p); err != nil {
		return nil, err
	}

	if p.table != nil && !p.grouped && !p.distinct && p.window == nil {
		p.keyOrder, p.reverse = sortIsKeyOrder(p)
		if !p.keyOrder && p.distinctOn == nil {
			p.indexOrder = sortIsIndexOrder(p)
		}
	}

	// LIMIT and OFFSET: constants or parameters.
	b.aggAllowed, b.aggContext = false, "LIMIT"
	if s.LimitCount != nil && !isNullConst(s.LimitCount) {
		if p.limit, err = b.bindCount(s.LimitCount, "LIMIT"); err != nil {
			return nil, err
		}
	}
	if s.LimitOffset != nil && !isNullConst(s.LimitOffset) {
		if p.offset, err = b.bindCount(s.LimitOffset, "OFFSET"); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// sortIsKeyOrder reports whether ORDER BY asks for the primary-key order
// (a prefix of the key's columns, all ascending or all descending; key
// columns are never NULL, so NULLS FIRST/LAST does not matter), and whether
// it is descending.
func sortIsKeyOrder(p *selectPlan) (ok, reverse bool) {
	ti := p.table
	if p.scan.index != 0 {
		return false, false
	}
	if len(p.sort) == 0 || len(ti.pk) == 0 || len(p.sort) > len(ti.pk) {
		return false, false
	}
	for i, k := range p.sort {
		cr, isCol := p.outputs[k.idx].(*colRef)
		if !isCol || cr.idx != ti.pk[i] || k.desc != p.sort[0].desc {
			return false, false
		}
	}
	return true, p.sort[0].desc
}

// lockingName names a FOR UPDATE/SHARE clause as PostgreSQL does.
func lockingName(lc *pg_query.LockingClause) string {
	switch lc.Strength {
	case pg_query.LockClauseStrength_LCS_FORNOKEYUPDATE:
		return "FOR NO KEY UPDATE"
	case pg_query.LockClauseStrength_LCS_FORSHARE:
		return "FOR SHARE"
	case pg_query.LockClauseStrength_LCS_FORKEYSHARE:
		return "FOR KEY SHARE"
	}
	return "FOR UPDATE"
}

// checkLocking accepts SELECT ... FOR UPDATE/SHARE [NOWAIT] where
// PostgreSQL does. There are no row locks to take: a transaction's reads
// are checked at commit, so a concurrent change of a row read FOR UPDATE
// makes one of the two transactions fail with 40001 instead of waiting.
func (b *binder) checkLocking(s *pg_query.SelectStmt, p *selectPlan) error {
	for _, n := range s.LockingClause {
		lc := n.GetLockingClause()
		if lc == nil {
			continue
		}
		name := lockingName(lc)
		switch {
		case lc.WaitPolicy == pg_query.LockWaitPolicy_LockWaitSkip:
			return sqlerr.Unsupported("%s SKIP LOCKED is not supported yet", name)
		case p.distinct || p.distinctOn != nil:
			return sqlerr.Unsupported("%s is not allowed with DISTINCT clause", name)
		case len(p.groups) > 0:
			return sqlerr.Unsupported("%s is not allowed with GROUP BY clause", name)
		case p.having != nil:
			return sqlerr.Unsupported("%s is not allowed with HAVING clause", name)
		case len(p.aggs) > 0:
			return sqlerr.Unsupported("%s is not allowed with aggregate functions", name)
		}
		for _, rn := range lc.LockedRels {
			rv := rn.GetRangeVar()
			if rv == nil {
				continue
			}
			found := false
			for _, ent := range b.sc.entries {
				if ent.alias == rv.Relname {
					found = true
				}
			}
			if !found {
				return b.errAt(sqlerr.New(sqlerr.UndefinedTable, "relation %q in %s clause not found in FROM clause", rv.Relname, name), rv.Location)
			}
		}
		p.locked = true
	}
	return nil
}

// sortIsIndexOrder returns 1 + the position of a secondary index that
// yields the ORDER BY's order when ORDER BY is one ascending NULLS LAST
// column that begins the index, and the scan is a full one or a range of
// that index on that column; 0 otherwise. (Descending order would need a
// reverse scan, which orders equal keys differently from the sort.)
func sortIsIndexOrder(p *selectPlan) int {
	if len(p.sort) != 1 || p.sort[0].desc || p.sort[0].nullsFirst {
		return 0
	}
	cr, ok := p.outputs[p.sort[0].idx].(*colRef)
	if !ok {
		return 0
	}
	for i, ix := range p.table.desc.Indexes {
		if len(ix.Columns) == 0 || ix.Columns[0] != cr.idx {
			continue
		}
		if p.scan.empty() || (p.scan.index == i+1 && len(p.scan.eq) == 0 && p.scan.in == nil) {
			return i + 1
		}
	}
	return 0
}

// isNullConst reports whether n is the NULL literal (LIMIT ALL / LIMIT NULL).
func isNullConst(n *pg_query.Node) bool {
	c := n.GetAConst()
	return c != nil && c.Isnull
}

// bindCount binds a LIMIT or OFFSET expression as bigint.
func (b *binder) bindCount(n *pg_query.Node, what string) (expr, error) {
	e, err := b.bindExpr(n)
	if err != nil {
		return nil, err
	}
	if !isConst(e) {
		return nil, b.errAt(sqlerr.New(sqlerr.SyntaxError, "argument of %s must not contain variables", what), exprLocation(n))
	}
	k := e.typ().Kind
	if k != types.Unknown && !k.IsNumeric() {
		return nil, b.errAt(sqlerr.DatatypeMismatchErr("argument of %s must be type bigint, not type %s", what, e.typ()), exprLocation(n))
	}
	out, err := b.coerce(e, types.TInt8, types.CastAssignment)
	if err != nil {
		return nil, b.coerceErr(err, exprLocation(n))
	}
	return out, nil
}

// isStar reports whether a column reference is * or t.*.
func isStar(cr *pg_query.ColumnRef) bool {
	if len(cr.Fields) == 0 {
		return false
	}
	_, ok := cr.Fields[len(cr.Fields)-1].Node.(*pg_query.Node_AStar)
	return ok
}

// figureColname names an output column as PostgreSQL's FigureColname.
func figureColname(n *pg_query.Node) string {
	if name, strength := figureColnameInternal(n); strength > 0 {
		return name
	}
	return "?column?"
}

// figureColnameInternal returns a name and its strength: 2 for a column
// or function name, 1 for a type name from a cast, 0 for none; a cast
// keeps its argument's name only when that is strong.
func figureColnameInternal(n *pg_query.Node) (string, int) {
	if n == nil {
		return "", 0
	}
	switch x := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		f := x.ColumnRef.Fields
		if len(f) > 0 {
			if s := f[len(f)-1].GetString_(); s != nil {
				return s.Sval, 2
			}
		}
	case *pg_query.Node_FuncCall:
		name := funcName(x.FuncCall)
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		return name, 2
	case *pg_query.Node_TypeCast:
		name, strength := figureColnameInternal(x.TypeCast.Arg)
		if strength <= 1 {
			if tn := x.TypeCast.TypeName; tn != nil && len(tn.Names) > 0 {
				if s := tn.Names[len(tn.Names)-1].GetString_(); s != nil {
					return s.Sval, 1
				}
			}
		}
		return name, strength
	case *pg_query.Node_SqlvalueFunction:
		switch x.SqlvalueFunction.Op {
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_USER:
			return "current_user", 2
		case pg_query.SQLValueFunctionOp_SVFOP_USER:
			return "user", 2
		case pg_query.SQLValueFunctionOp_SVFOP_SESSION_USER:
			return "session_user", 2
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:
			return "current_role", 2
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
			return "current_catalog", 2
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
			return "current_schema", 2
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
			return "current_date", 2
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
			return "current_time", 2
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
			return "current_timestamp", 2
		case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
			return "localtime", 2
		case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
			return "localtimestamp", 2
		}
	case *pg_query.Node_AArrayExpr:
		return "array", 2
	case *pg_query.Node_AIndirection:
		// A subscript keeps its array's name; a field selection names the
		// field.
		ind := x.AIndirection.Indirection
		if len(ind) > 0 {
			if s := ind[len(ind)-1].GetString_(); s != nil {
				return s.Sval, 2
			}
		}
		return figureColnameInternal(x.AIndirection.Arg)
	case *pg_query.Node_SubLink:
		switch x.SubLink.SubLinkType {
		case pg_query.SubLinkType_EXISTS_SUBLINK:
			return "exists", 2
		case pg_query.SubLinkType_ARRAY_SUBLINK:
			return "array", 2
		case pg_query.SubLinkType_EXPR_SUBLINK:
			sel := x.SubLink.Subselect.GetSelectStmt()
			for sel != nil && sel.Op != pg_query.SetOperation_SETOP_NONE {
				sel = sel.Larg
			}
			if sel != nil && len(sel.TargetList) > 0 {
				if rt := sel.TargetList[0].GetResTarget(); rt != nil {
					if rt.Name != "" {
						return rt.Name, 2
					}
					return figureColname(rt.Val), 2
				}
			}
		}
	case *pg_query.Node_CaseExpr:
		// The ELSE result's name when it is a column or function name.
		if name, strength := figureColnameInternal(x.CaseExpr.Defresult); strength > 1 {
			return name, strength
		}
		return "case", 1
	case *pg_query.Node_CoalesceExpr:
		return "coalesce", 2
	case *pg_query.Node_GroupingFunc:
		return "grouping", 2
	case *pg_query.Node_MinMaxExpr:
		if x.MinMaxExpr.Op == pg_query.MinMaxOp_IS_GREATEST {
			return "greatest", 2
		}
		return "least", 2
	case *pg_query.Node_AExpr:
		if x.AExpr.Kind == pg_query.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif", 2
		}
	}
	return "", 0
}

// bindAggregate binds count/sum/avg/min/max where aggregates are allowed,
// returning a reference to the aggregate's result.
func (b *binder) bindAggregate(name string, f *pg_query.FuncCall) (expr, error) {
	if !b.aggAllowed {
		if b.aggContext == "" {
			return nil, b.errAt(sqlerr.New(sqlerr.GroupingError, "aggregate function calls cannot be nested"), f.Location)
		}
		return nil, b.errAt(sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed in %s", b.aggContext), f.Location)
	}
	if f.AggWithinGroup || orderedSetAggNames[name] {
		return b.bindOrderedSetAggregate(name, f)
	}
	if moreAggNames[name] {
		return b.bindMoreAggregate(name, f)
	}
	if len(f.AggOrder) > 0 || f.AggWithinGroup {
		return nil, b.errAt(sqlerr.Unsupported("ORDER BY in aggregates is not supported yet"), f.Location)
	}
	call := &aggCall{name: name, distinct: f.AggDistinct}
	if f.AggFilter != nil {
		// FILTER (WHERE ...) is over the input rows, without aggregates.
		saved, savedCtx := b.aggAllowed, b.aggContext
		b.aggAllowed, b.aggContext = false, "FILTER"
		c, err := b.bindExpr(f.AggFilter)
		b.aggAllowed, b.aggContext = saved, savedCtx
		if err != nil {
			return nil, err
		}
		if call.filter, err = b.asBool(c, "FILTER", exprLocation(f.AggFilter)); err != nil {
			return nil, err
		}
	}
	if f.AggStar {
		if name != "count" {
			return nil, b.errAt(sqlerr.Syntax("%s(*) must be used to call a parameterless aggregate function", name), f.Location)
		}
		call.t = types.TInt8
	} else {
		if len(f.Args) != 1 {
			return nil, b.errAt(sqlerr.UndefinedFunctionErr("function %s with %d arguments does not exist", name, len(f.Args)), f.Location)
		}
		saved, savedCtx := b.aggAllowed, b.aggContext
		b.aggAllowed, b.aggContext = b.takeWindowAggArgs(), ""
		arg, err := b.bindExpr(f.Args[0])
		b.aggAllowed, b.aggContext = saved, savedCtx
		if err != nil {
			return nil, err
		}
		k := arg.typ().Kind
		switch name {
		case "count":
			call.t = types.TInt8
		case "sum", "avg":
			if k == types.Unknown {
				return nil, b.errAt(sqlerr.New(sqlerr.AmbiguousFunction, "function %s(unknown) is not unique", name).
					WithHint("Could not choose a best candidate function. You might need to add explicit type casts."), f.Location)
			}
			if !k.IsNumeric() {
				return nil, b.errAt(sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", name, arg.typ()), f.Location)
			}
			switch {
			case name == "avg" && (k == types.Float4 || k == types.Float8):
				call.t = types.TFloat8
			case name == "avg":
				call.t = types.TNumeric
			case k == types.Int2 || k == types.Int4:
				call.t = types.TInt8
			case k == types.Int8 || k == types.Numeric:
				call.t = types.TNumeric
			default:
				call.t = types.T{Kind: k, Mod: -1}
			}
		case "min", "max":
			if k == types.Bool {
				return nil, b.errAt(sqlerr.UndefinedFunctionErr("function %s(boolean) does not exist", name), f.Location)
			}
			if k == types.Unknown || k == types.Name || k == types.Char {
				// min and max of name and "char" are those of text.
				if arg, err = b.coerce(arg, types.TText, types.CastImplicit); err != nil {
					return nil, err
				}
			}
			// An aggregate's result has no type modifier.
			call.t = types.T{Kind: arg.typ().Kind, Mod: -1}
		}
		call.arg = arg
	}
	b.aggs = append(b.aggs, call)
	return &aggRef{idx: len(b.aggs) - 1, t: call.t}, nil
}

// containsAgg reports whether e refers to an aggregate.
func containsAgg(e expr) bool {
	found := false
	_, _ = rewriteExpr(e, func(x expr) (expr, bool, error) {
		if _, ok := x.(*aggRef); ok {
			found = true
		}
		return nil, false, nil
	})
	return found
}

// rewriteGrouped rewrites an expression bound over input rows to one over
// grouped rows: group expressions become references to the group keys,
// aggregates to their results; any other column is an error (42803).
func (b *binder) rewriteGrouped(e expr, groups []expr) (expr, error) {
	keys := make([]string, len(groups))
	for i, g := range groups {
		keys[i] = g.String()
	}
	return rewriteExpr(e, func(x expr) (expr, bool, error) {
		if a, ok := x.(*aggRef); ok {
			return &colRef{idx: len(groups) + a.idx, t: a.t, name: a.String()}, true, nil
		}
		switch y := x.(type) {
		case *constExpr, *outerRef:
			return x, true, nil
		case *subqueryExpr:
			if y.correlated {
				// It sees the group's first input row, kept after the
				// aggregates: its outer references are grouped columns.
				c := *y
				c.outerOff = b.repOff
				b.needRep = true
				if c.arg != nil {
					var err error
					if c.arg, err = b.rewriteGrouped(c.arg, groups); err != nil {
						return nil, true, err
					}
				}
				c.rowArgs = append([]expr(nil), y.rowArgs...)
				for i, a := range c.rowArgs {
					var err error
					if c.rowArgs[i], err = b.rewriteGrouped(a, groups); err != nil {
						return nil, true, err
					}
				}
				return &c, true, nil
			}
		}
		s := x.String()
		for i, k := range keys {
			if k == s {
				return &colRef{idx: i, t: x.typ(), name: "group." + s}, true, nil
			}
		}
		if c, ok := x.(*colRef); ok {
			if b.pkGrouped(c.idx, groups) {
				// Functionally dependent on a grouped primary key: read
				// it from the group's first input row.
				b.needRep = true
				return &colRef{idx: b.repOff + c.idx, t: c.t, name: c.name}, true, nil
			}
			return nil, true, b.errAt(sqlerr.New(sqlerr.GroupingError, "column %q must appear in the GROUP BY clause or be used in an aggregate function", c.name), c.loc)
		}
		return nil, false, nil
	})
}

// pkGrouped reports whether column idx of the current scope belongs to a
// table whose whole primary key is among the GROUP BY columns.
func (b *binder) pkGrouped(idx int, groups []expr) bool {
	if b.sc == nil {
		return false
	}
	ent, _ := b.sc.locate(idx)
	if ent == nil || len(ent.pk) == 0 {
		return false
	}
	if b.gsCommon != nil {
		groups = *b.gsCommon
	}
	for _, p := range ent.pk {
		found := false
		for _, g := range groups {
			if c, ok := g.(*colRef); ok && c.idx == p {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// rewriteExpr rebuilds e bottom-up after applying f top-down: when f
// reports done, its result replaces the subtree.
func rewriteExpr(e expr, f func(expr) (expr, bool, error)) (expr, error) {
	if e == nil {
		return nil, nil
	}
	if out, done, err := f(e); err != nil || done {
		return out, err
	}
	rw := func(x expr) (expr, error) { return rewriteExpr(x, f) }
	rwAll := func(xs []expr) ([]expr, error) {
		out := make([]expr, len(xs))
		for i, x := range xs {
			y, err := rw(x)
			if err != nil {
				return nil, err
			}
			out[i] = y
		}
		return out, nil
	}
	var err error
	switch x := e.(type) {
	case *castExpr:
		c := *x
		c.arg, err = rw(x.arg)
		return &c, err
	case *arithExpr:
		c := *x
		if c.l, err = rw(x.l); err != nil {
			return nil, err
		}
		c.r, err = rw(x.r)
		return &c, err
	case *negExpr:
		c := *x
		c.arg, err = rw(x.arg)
		return &c, err
	case *cmpExpr:
		c := *x
		if c.l, err = rw(x.l); err != nil {
			return nil, err
		}
		c.r, err = rw(x.r)
		return &c, err
	case *concatExpr:
		c := *x
		if c.l, err = rw(x.l); err != nil {
			return nil, err
		}
		c.r, err = rw(x.r)
		return &c, err
	case *boolExpr:
		c := *x
		c.args, err = rwAll(x.args)
		return &c, err
	case *notExpr:
		c := *x
		c.arg, err = rw(x.arg)
		return &c, err
	case *isNullExpr:
		c := *x
		c.arg, err = rw(x.arg)
		return &c, err
	case *boolTestExpr:
		c := *x
		c.arg, err = rw(x.arg)
		return &c, err
	case *caseExpr:
		c := *x
		if c.whens, err = rwAll(x.whens); err != nil {
			return nil, err
		}
		if c.thens, err = rwAll(x.thens); err != nil {
			return nil, err
		}
		c.els, err = rw(x.els)
		return &c, err
	case *coalesceExpr:
		c := *x
		c.args, err = rwAll(x.args)
		return &c, err
	case *nullifExpr:
		c := *x
		if c.a, err = rw(x.a); err != nil {
			return nil, err
		}
		c.b, err = rw(x.b)
		return &c, err
	case *inListExpr:
		c := *x
		if c.arg, err = rw(x.arg); err != nil {
			return nil, err
		}
		c.list, err = rwAll(x.list)
		return &c, err
	case *funcExpr:
		c := *x
		c.args, err = rwAll(x.args)
		return &c, err
	case *subqueryExpr:
		c := *x
		if c.arg, err = rw(x.arg); err != nil {
			return nil, err
		}
		if len(x.rowArgs) > 0 {
			c.rowArgs, err = rwAll(x.rowArgs)
		}
		return &c, err
	}
	return e, nil
}

// keyRange finds primary-key constraints among the top-level conjuncts of
// filter: equalities on a prefix of the key, then bounds on the next key
// column. The filter is still applied to every row, so the range only has
// to contain the matching rows.
func keyRange(ti *tableInfo, filter expr) scanSpec {
	conj := conjuncts(filter, nil)
	if len(ti.pk) > 0 {
		if s := rangeOn(ti, conj, ti.pk); !s.empty() {
			return s
		}
	}
	// A secondary index: the one that fixes the most columns.
	var best scanSpec
	bestScore := 0
	for i, ix := range ti.desc.Indexes {
		s := rangeOn(ti, conj, ix.Columns)
		score := 4 * len(s.eq)
		if s.lo != nil {
			score++
		}
		if s.hi != nil {
			score++
		}
		if s.in != nil {
			score = 3
		}
		if score > bestScore {
			best, bestScore = s, score
			best.index = i + 1
		}
	}
	return best
}

// rangeOn finds the constraints of conj on the key columns keyCols:
// equalities on a prefix, then bounds on the next column, or for a
// one-column key, an IN list.
func rangeOn(ti *tableInfo, conj []expr, keyCols []int) scanSpec {
	// For each key column: the constant it equals, or its bounds.
	type bounds struct {
		eq     expr
		lo, hi *rangeEnd
	}
	per := make([]bounds, len(keyCols))
	var in []expr
	for _, c := range conj {
		if il, ok := c.(*inListExpr); ok && !il.not && len(keyCols) == 1 && in == nil {
			if cr, ok := unwrapIntCast(il.arg).(*colRef); ok && cr.idx == keyCols[0] {
				all := true
				for _, it := range il.list {
					if !isConst(it) || !sameKeyKind(ti.cols[cr.idx].t.Kind, it.typ().Kind) {
						all = false
					}
				}
				if all {
					in = il.list
				}
			}
			continue
		}
		cmp, ok := c.(*cmpExpr)
		if !ok || cmp.op == cmpNE || cmp.op == cmpDistinct || cmp.op == cmpNotDistinct {
			continue
		}
		col, val, op := unwrapIntCast(cmp.l), cmp.r, cmp.op
		if _, ok := col.(*colRef); !ok {
			col, val = unwrapIntCast(cmp.r), cmp.l
			op = flipCmp(op)
		}
		cr, ok := col.(*colRef)
		if !ok || !keyConst(val) {
			continue
		}
		pos := -1
		for i, k := range keyCols {
			if k == cr.idx {
				pos = i
			}
		}
		if pos < 0 || !sameKeyKind(ti.cols[cr.idx].t.Kind, val.typ().Kind) {
			continue
		}
		switch op {
		case cmpEQ:
			per[pos].eq = val
		case cmpGT, cmpGE:
			per[pos].lo = &rangeEnd{e: val, incl: op == cmpGE}
		case cmpLT, cmpLE:
			per[pos].hi = &rangeEnd{e: val, incl: op == cmpLE}
		}
	}
	var s scanSpec
	for _, p := range per {
		if p.eq != nil {
			s.eq = append(s.eq, p.eq)
			continue
		}
		s.lo, s.hi = p.lo, p.hi
		break
	}
	if len(s.eq) == 0 && in != nil {
		return scanSpec{in: in}
	}
	return s
}

// sameKeyKind reports whether a value of kind v orders like column kind c
// in key encoding: the same kind, two string kinds, or two integer kinds
// (all integers are int64 key elements, so an int4 column compared with an
// int8 value still has a key range).
func sameKeyKind(c, v types.Kind) bool {
	switch {
	case c == v:
		return true
	case c.IsString() && v.IsString():
		return true
	}
	return c.IsInteger() && v.IsInteger()
}

// unwrapIntCast returns the column under an implicit widening cast between
// integer kinds (smallint_col = 70000 compares as integer), else e.
func unwrapIntCast(e expr) expr {
	if c, ok := e.(*castExpr); ok && c.t.Kind.IsInteger() {
		if cr, ok := c.arg.(*colRef); ok && cr.t.Kind.IsInteger() {
			return cr
		}
	}
	return e
}

func flipCmp(op cmpOp) cmpOp {
	switch op {
	case cmpLT:
		return cmpGT
	case cmpLE:
		return cmpGE
	case cmpGT:
		return cmpLT
	case cmpGE:
		return cmpLE
	}
	return op
}

// returning binds a RETURNING list over the table's rows.
func (b *binder) returning(list []*pg_query.Node) ([]expr, []Column, error) {
	if len(list) == 0 {
		return nil, nil, nil
	}
	b.aggAllowed, b.aggContext = false, "RETURNING"
	var es []expr
	var cols []Column
	for _, n := range list {
		rt := n.GetResTarget()
		if rt == nil {
			return nil, nil, sqlerr.Syntax("malformed RETURNING list")
		}
		if cr := rt.Val.GetColumnRef(); cr != nil && isStar(cr) {
			stars, names, err := b.expandStar(cr)
			if err != nil {
				return nil, nil, err
			}
			for i, e := range stars {
				es = append(es, e)
				c := e.typ()
				col := Column{Name: names[i], TypeOID: c.OID(), TypeSize: c.Size(), TypeMod: c.Mod}
				col.TableID, col.ColumnAttr = b.exprOrigin(e)
				cols = append(cols, col)
			}
			continue
		}
		e, err := b.bindExpr(rt.Val)
		if err != nil {
			return nil, nil, err
		}
		if e.typ().Kind == types.Unknown {
			if e, err = b.coerce(e, types.TText, types.CastImplicit); err != nil {
				return nil, nil, err
			}
		}
		name := rt.Name
		if name == "" {
			name = figureColname(rt.Val)
		}
		es = append(es, e)
		col := Column{Name: name, TypeOID: e.typ().OID(), TypeSize: e.typ().Size(), TypeMod: e.typ().Mod}
		col.TableID, col.ColumnAttr = b.exprOrigin(e)
		cols = append(cols, col)
	}
	return es, cols, nil
}

func (b *binder) bindInsert(s *pg_query.InsertStmt, r layers.Reader) (plan, error) {
	pop, err := b.pushWith(s.WithClause)
	if err != nil {
		return nil, err
	}
	defer pop()
	ti, err := b.openRangeVar(s.Relation, r, "insert into")
	if err != nil {
		return nil, err
	}
	p := &insertPlan{table: ti}
	view := b.view
	// Target columns.
	var targets []int
	var targetLocs []int32
	if len(s.Cols) == 0 && view != nil {
		// A view's columns, as base columns (-1: computed, checked once
		// the number of values is known).
		targets = append(targets, view.base...)
		for range view.base {
			targetLocs = append(targetLocs, -1)
		}
	} else if len(s.Cols) == 0 {
		for i := range ti.cols {
			targets = append(targets, i)
			targetLocs = append(targetLocs, -1)
		}
	} else {
		seen := map[int]bool{}
		for _, c := range s.Cols {
			rt := c.GetResTarget()
			if rt == nil {
				return nil, sqlerr.Syntax("malformed column list")
			}
			if len(rt.Indirection) > 0 {
				return nil, b.errAt(sqlerr.Unsupported("assigning to a field or element is not supported yet"), rt.Location)
			}
			i := ti.colIndex(rt.Name)
			if view != nil {
				var err error
				if i, err = view.baseColumn(rt.Name, "insert into"); err != nil {
					return nil, viewColumnErr(b, err, rt.Location)
				}
			}
			if i < 0 {
				return nil, b.errAt(sqlerr.New(sqlerr.UndefinedColumn, "column %q of relation %q does not exist", rt.Name, ti.desc.Name), rt.Location)
			}
			if seen[i] {
				return nil, b.errAt(sqlerr.New(sqlerr.DuplicateColumn, "column %q specified more than once", rt.Name), rt.Location)
			}
			seen[i] = true
			targets = append(targets, i)
			targetLocs = append(targetLocs, rt.Location)
		}
	}
	defaults := make([]expr, len(ti.cols))
	defaultOf := func(i int) (expr, error) {
		if defaults[i] == nil {
			d, err := b.bindDefault(ti.cols[i])
			if err != nil {
				return nil, err
			}
			defaults[i] = d
		}
		return defaults[i], nil
	}
	sel := s.SelectStmt.GetSelectStmt()
	if sel == nil {
		// INSERT ... DEFAULT VALUES.
		row := make([]expr, len(ti.cols))
		for i := range ti.cols {
			if row[i], err = defaultOf(i); err != nil {
				return nil, err
			}
		}
		p.rows = append(p.rows, row)
	} else if len(sel.ValuesLists) > 0 && sel.Op == pg_query.SetOperation_SETOP_NONE && len(sel.SortClause) == 0 && sel.LimitCount == nil {
		b.aggAllowed, b.aggContext = false, "VALUES"
		// VALUES expressions see no columns.
		if len(s.Cols) == 0 {
			// Without a column list, the VALUES rows fill the first
			// columns; all rows must have the same length.
			first := sel.ValuesLists[0].GetList()
			if first != nil && len(first.Items) < len(targets) {
				targets = targets[:len(first.Items)]
				targetLocs = targetLocs[:len(first.Items)]
			}
			if err := checkViewTargets(view, targets); err != nil {
				return nil, err
			}
			for _, vl := range sel.ValuesLists[1:] {
				if l := vl.GetList(); l != nil && first != nil && len(l.Items) != len(first.Items) {
					return nil, b.errAt(sqlerr.Syntax("VALUES lists must all be the same length"), exprLocation(l.Items[0]))
				}
			}
		}
		if err := b.applyOverriding(s, ti, targets, sel.ValuesLists); err != nil {
			return nil, err
		}
		if err := checkGeneratedTargets(ti, targets, sel.ValuesLists, false); err != nil {
			return nil, err
		}
		saved := b.sc
		b.sc = nil
		rows, err := b.bindValuesRows(sel.ValuesLists, ti, targets, targetLocs, len(s.Cols) > 0, defaultOf)
		b.sc = saved
		if err != nil {
			return nil, err
		}
		p.rows = rows
	} else {
		// INSERT ... SELECT: bind the query in its own scope.
		sb := &binder{eng: b.eng, sql: b.sql, params: b.params, ident: b.ident, r: r, ctes: b.ctes}
		sp, err := sb.bindSelect(sel, r)
		if err == nil && len(s.Cols) == 0 && view != nil {
			if n := len(sp.columns()); n < len(targets) {
				targets = targets[:n]
			}
			err = checkViewTargets(view, targets)
		}
		if err != nil {
			return nil, err
		}
		b.params = sb.params
		src := sp.(queryPlan)
		srcTypes := queryTypes(src)
		if len(srcTypes) > len(targets) {
			return nil, sqlerr.Syntax("INSERT has more expressions than target columns")
		}
		if len(srcTypes) < len(targets) {
			return nil, sqlerr.Syntax("INSERT has more target columns than expressions")
		}
		p.source = src
		p.targets = targets
		for j, col := range targets {
			in := &colRef{idx: j, t: srcTypes[j], name: src.columns()[j].Name}
			c, err := b.coerceAssign(in, ti.cols[col], -1)
			if err != nil {
				return nil, err
			}
			p.casts = append(p.casts, c)
		}
		if err := b.overrideSelect(s, ti, targets, p.casts, defaultOf); err != nil {
			return nil, err
		}
		if err := checkGeneratedTargets(ti, targets, nil, true); err != nil {
			return nil, err
		}
		for i := range ti.cols {
			if _, err := defaultOf(i); err != nil {
				return nil, err
			}
		}
		p.defaults = defaults
	}
	if s.OnConflictClause != nil {
		if p.onConflict, err = b.bindOnConflict(s.OnConflictClause, s.Relation, ti); err != nil {
			return nil, err
		}
	}
	if p.ret, p.retCols, err = b.returning(s.ReturningList); err != nil {
		return nil, excludedRefErr(p, err)
	}
	return p, nil
}

// viewColumnErr positions an unknown view column's error; PostgreSQL
// gives none for a computed one.
func viewColumnErr(b *binder, err error, loc int32) error {
	if sqlerr.Code(err) == sqlerr.UndefinedColumn {
		return b.errAt(err, loc)
	}
	return err
}

// checkViewTargets refuses values for computed columns of a view.
func checkViewTargets(view *viewTarget, targets []int) error {
	if view == nil {
		return nil
	}
	for i, t := range targets {
		if t < 0 {
			_, err := view.baseColumn(view.cols[i], "insert into")
			return err
		}
	}
	return nil
}

// bindDefault binds a column's default expression (NULL when it has none),
// coerced to the column's type.
func (b *binder) bindDefault(c colInfo) (expr, error) {
	if c.def == "" || c.generated != 0 {
		return &constExpr{v: types.Null, t: c.t}, nil
	}
	n, err := parseExpr(c.def)
	if err != nil {
		return nil, fmt.Errorf("column %q: stored default %q: %w", c.name, c.def, err)
	}
	db := &binder{eng: b.eng, sql: "SELECT " + c.def, ident: b.ident}
	e, err := db.bindExpr(n)
	if err != nil {
		return nil, err
	}
	return db.coerceAssign(e, c, -1)
}

func (b *binder) bindUpdate(s *pg_query.UpdateStmt, r layers.Reader) (plan, error) {
	pop, err := b.pushWith(s.WithClause)
	if err != nil {
		return nil, err
	}
	defer pop()
	ti, err := b.openRangeVar(s.Relation, r, "update")
	if err != nil {
		return nil, err
	}
	p := &updatePlan{table: ti, sets: map[int]expr{}}
	if p.from, err = b.bindDMLFrom(s.FromClause, r); err != nil {
		return nil, err
	}
	b.aggAllowed, b.aggContext = false, "UPDATE"
	for _, t := range s.TargetList {
		rt := t.GetResTarget()
		if rt == nil {
			return nil, sqlerr.Syntax("malformed SET list")
		}
		if _, multi := rt.Val.Node.(*pg_query.Node_MultiAssignRef); multi {
			return nil, b.errAt(sqlerr.Unsupported("SET (a, b) = (...) is not supported yet"), rt.Location)
		}
		if len(rt.Indirection) > 0 {
			return nil, b.errAt(sqlerr.Unsupported("assigning to a field or element is not supported yet"), rt.Location)
		}
		i := ti.colIndex(rt.Name)
		if b.view != nil {
			if i, err = b.view.baseColumn(rt.Name, "update"); err != nil {
				return nil, viewColumnErr(b, err, rt.Location)
			}
		}
		if i < 0 {
			return nil, b.errAt(sqlerr.New(sqlerr.UndefinedColumn, "column %q of relation %q does not exist", rt.Name, ti.desc.Name), rt.Location)
		}
		if _, dup := p.sets[i]; dup {
			return nil, b.errAt(sqlerr.New(sqlerr.DuplicateColumn, "multiple assignments to same column %q", rt.Name), rt.Location)
		}
		var e expr
		if _, isDef := rt.Val.Node.(*pg_query.Node_SetToDefault); isDef {
			if e, err = b.bindDefault(ti.cols[i]); err != nil {
				return nil, err
			}
		} else {
			if err := identityUpdate(ti.cols[i]); err != nil {
				return nil, err
			}
			if e, err = b.bindExpr(rt.Val); err != nil {
				return nil, err
			}
			if e, err = b.coerceAssign(e, ti.cols[i], exprLocation(rt.Val)); err != nil {
				return nil, err
			}
		}
		p.sets[i] = e
	}
	if p.filter, err = b.bindWhere(s.WhereClause); err != nil {
		return nil, err
	}
	if b.view != nil && b.view.filter != nil {
		// The view's own WHERE limits the rows the statement sees.
		p.filter = andAll(append(conjuncts(b.view.filter, nil), conjuncts(p.filter, nil)...))
	}
	if p.filter != nil {
		p.scan = keyRange(ti, p.filter)
	}
	if p.ret, p.retCols, err = b.returning(s.ReturningList); err != nil {
		return nil, err
	}
	return p, nil
}

func (b *binder) bindDelete(s *pg_query.DeleteStmt, r layers.Reader) (plan, error) {
	pop, err := b.pushWith(s.WithClause)
	if err != nil {
		return nil, err
	}
	defer pop()
	ti, err := b.openRangeVar(s.Relation, r, "delete from")
	if err != nil {
		return nil, err
	}
	p := &deletePlan{table: ti}
	if p.using, err = b.bindDMLFrom(s.UsingClause, r); err != nil {
		return nil, err
	}
	if p.filter, err = b.bindWhere(s.WhereClause); err != nil {
		return nil, err
	}
	if b.view != nil && b.view.filter != nil {
		// The view's own WHERE limits the rows the statement sees.
		p.filter = andAll(append(conjuncts(b.view.filter, nil), conjuncts(p.filter, nil)...))
	}
	if p.filter != nil {
		p.scan = keyRange(ti, p.filter)
	}
	if p.ret, p.retCols, err = b.returning(s.ReturningList); err != nil {
		return nil, err
	}
	return p, nil
}

func (b *binder) bindCreateTable(s *pg_query.CreateStmt) (plan, error) {
	rv := s.Relation
	switch {
	case rv.Schemaname != "" && rv.Schemaname != "public":
		return nil, b.errAt(sqlerr.New("3F000", "schema %q does not exist", rv.Schemaname), rv.Location)
	case rv.Relpersistence == "t":
		return nil, b.errAt(sqlerr.Unsupported("temporary tables are not supported yet"), rv.Location)
	case len(s.InhRelations) > 0:
		return nil, sqlerr.Unsupported("table inheritance is not supported")
	case s.Partspec != nil || s.Partbound != nil:
		return nil, sqlerr.Unsupported("partitioned tables are not supported yet")
	case s.OfTypename != nil:
		return nil, sqlerr.Unsupported("typed tables are not supported")
	}
	p := &createTablePlan{name: rv.Relname, ifNotExists: s.IfNotExists, sql: b.sql}
	var uniqueCols [][]string
	var uniqueLocs []int32
	var pkCols []string
	pkLoc := int32(-1)
	pkSeen := false
	gens := map[int]*pg_query.Node{} // generation expressions by column
	setPK := func(cols []string, loc int32) error {
		if pkSeen {
			return b.errAt(sqlerr.New(sqlerr.InvalidTableDefinition, "multiple primary keys for table %q are not allowed", rv.Relname), loc)
		}
		pkSeen = true
		pkCols = cols
		pkLoc = loc
		return nil
	}
	keyNames := func(keys []*pg_query.Node) []string {
		var out []string
		for _, k := range keys {
			out = append(out, k.GetString_().GetSval())
		}
		return out
	}
	tableConstraint := func(c *pg_query.Constraint) error {
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_PRIMARY:
			if err := b.checkKeyNotDeferrable(c); err != nil {
				return err
			}
			return setPK(keyNames(c.Keys), c.Location)
		case pg_query.ConstrType_CONSTR_UNIQUE:
			if err := b.checkKeyNotDeferrable(c); err != nil {
				return err
			}
			if c.NullsNotDistinct {
				return b.errAt(sqlerr.Unsupported("UNIQUE NULLS NOT DISTINCT is not supported yet"), c.Location)
			}
			uniqueCols = append(uniqueCols, keyNames(c.Keys))
			uniqueLocs = append(uniqueLocs, c.Location)
			p.uniqueNames = append(p.uniqueNames, c.Conname)
			return nil
		case pg_query.ConstrType_CONSTR_CHECK:
			d, err := b.checkDefOf(c)
			p.checks = append(p.checks, d)
			return err
		case pg_query.ConstrType_CONSTR_FOREIGN:
			d, err := b.fkDefOf(c, "")
			p.fks = append(p.fks, d)
			return err
		}
		return b.errAt(sqlerr.Unsupported("constraint %s is not supported yet", strings.TrimPrefix(c.Contype.String(), "CONSTR_")), c.Location)
	}
	for _, el := range s.TableElts {
		switch x := el.Node.(type) {
		case *pg_query.Node_ColumnDef:
			cd := x.ColumnDef
			for _, c := range p.cols {
				if c.name == cd.Colname {
					return nil, b.errAt(sqlerr.New(sqlerr.DuplicateColumn, "column %q specified more than once", cd.Colname), cd.Location)
				}
			}
			t, serial, err := b.resolveColumnType(cd.TypeName)
			if err != nil {
				return nil, err
			}
			if t.Kind == types.Unknown {
				return nil, b.errAt(sqlerr.New(sqlerr.InvalidTableDefinition, "column %q has pseudo-type unknown", cd.Colname), cd.Location)
			}
			if err := checkColumnKind(t, cd.Colname); err != nil {
				return nil, b.errAt(err, cd.Location)
			}
			col := colInfo{name: cd.Colname, t: t, notNull: cd.IsNotNull}
			if cd.CollClause != nil {
				return nil, b.errAt(sqlerr.Unsupported("COLLATE is not supported yet"), cd.Location)
			}
			if gen, err := b.generatedOf(cd, rv.Relname, serial); err != nil {
				return nil, err
			} else if gen != nil {
				col.generated = 's'
				gens[len(p.cols)] = gen.RawExpr
			}
			colCons, err := b.foldConstraintAttrs(cd.Constraints)
			if err != nil {
				return nil, err
			}
			for _, cn := range colCons {
				c := cn.GetConstraint()
				if c == nil {
					continue
				}
				switch c.Contype {
				case pg_query.ConstrType_CONSTR_NOTNULL:
					col.notNull = true
				case pg_query.ConstrType_CONSTR_NULL:
				case pg_query.ConstrType_CONSTR_DEFAULT:
					def, err := b.checkDefault(c.RawExpr, col)
					if err != nil {
						return nil, err
					}
					col.def = def
				case pg_query.ConstrType_CONSTR_PRIMARY:
					if err := setPK([]string{cd.Colname}, c.Location); err != nil {
						return nil, err
					}
				case pg_query.ConstrType_CONSTR_UNIQUE:
					uniqueCols = append(uniqueCols, []string{cd.Colname})
					uniqueLocs = append(uniqueLocs, c.Location)
					p.uniqueNames = append(p.uniqueNames, c.Conname)
				case pg_query.ConstrType_CONSTR_FOREIGN:
					d, err := b.fkDefOf(c, cd.Colname)
					if err != nil {
						return nil, err
					}
					p.fks = append(p.fks, d)
				case pg_query.ConstrType_CONSTR_IDENTITY: // see sequenceColumn
				case pg_query.ConstrType_CONSTR_GENERATED: // see generatedOf
				default:
					if err := tableConstraint(c); err != nil {
						return nil, err
					}
				}
			}
			if err := b.sequenceColumn(cd, serial, &col, p); err != nil {
				return nil, err
			}
			p.cols = append(p.cols, col)
		case *pg_query.Node_Constraint:
			if err := tableConstraint(x.Constraint); err != nil {
				return nil, err
			}
		default:
			return nil, sqlerr.Unsupported("table element %s is not supported yet", nodeName(el))
		}
	}
	if err := b.bindGeneratedCols(rv.Relname, p.cols, gens); err != nil {
		return nil, err
	}
	find := func(name string, loc int32) (int, error) {
		for i, c := range p.cols {
			if c.name == name {
				return i, nil
			}
		}
		return -1, b.errAt(sqlerr.New(sqlerr.UndefinedColumn, "column %q named in key does not exist", name), loc)
	}
	for _, name := range pkCols {
		i, err := find(name, pkLoc)
		if err != nil {
			return nil, err
		}
		p.pk = append(p.pk, i)
		p.cols[i].notNull = true
	}
	for u, cols := range uniqueCols {
		var idx []int
		for _, name := range cols {
			i, err := find(name, uniqueLocs[u])
			if err != nil {
				return nil, err
			}
			idx = append(idx, i)
		}
		p.uniques = append(p.uniques, idx)
	}
	return p, nil
}

// checkDefault binds a DEFAULT expression (no column references allowed)
// to validate it and returns its text for the catalog.
func (b *binder) checkDefault(n *pg_query.Node, col colInfo) (string, error) {
	db := &binder{eng: b.eng, sql: b.sql, ident: b.ident}
	db.aggContext = "DEFAULT expressions"
	e, err := db.bindExpr(n)
	if err != nil {
		if sqlerr.Code(err) == sqlerr.UndefinedColumn {
			return "", b.errAt(sqlerr.Unsupported("cannot use column reference in DEFAULT expression"), exprLocation(n))
		}
		return "", err
	}
	if len(db.params) > 0 {
		return "", b.errAt(sqlerr.Unsupported("there is no parameter $1"), exprLocation(n))
	}
	if _, err := db.coerceAssign(e, col, exprLocation(n)); err != nil {
		return "", err
	}
	text, err := deparseExpr(n)
	if err != nil {
		return "", fmt.Errorf("deparse default of %q: %w", col.name, err)
	}
	return text, nil
}

func (b *binder) bindDrop(s *pg_query.DropStmt) (plan, error) {
	kind, ok := dropKindName(s.RemoveType)
	if !ok {
		return nil, sqlerr.Unsupported("DROP %s is not supported yet", strings.TrimPrefix(s.RemoveType.String(), "OBJECT_"))
	}
	if s.Concurrent {
		return nil, sqlerr.Unsupported("DROP INDEX CONCURRENTLY is not supported yet")
	}
	p := &dropTablePlan{kind: kind, ifExists: s.MissingOk, cascade: s.Behavior == pg_query.DropBehavior_DROP_CASCADE}
	for _, o := range s.Objects {
		l := o.GetList()
		if l == nil || len(l.Items) == 0 {
			return nil, sqlerr.Syntax("malformed DROP")
		}
		var parts []string
		for _, it := range l.Items {
			parts = append(parts, it.GetString_().GetSval())
		}
		if len(parts) == 2 && parts[0] == "public" {
			parts = parts[1:]
		}
		if len(parts) != 1 {
			if s.MissingOk {
				return nil, sqlerr.New(sqlerr.UndefinedObject, "schema %q does not exist", parts[0])
			}
			return nil, sqlerr.UndefinedTableErr(strings.Join(parts, "."))
		}
		p.names = append(p.names, parts[0])
	}
	return p, nil
}

func (b *binder) bindTransaction(s *pg_query.TransactionStmt) (plan, error) {
	switch s.Kind {
	case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN:
		return &txnPlan{kind: "BEGIN"}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_START:
		return &txnPlan{kind: "START TRANSACTION"}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT:
		if s.Chain {
			return nil, sqlerr.Unsupported("COMMIT AND CHAIN is not supported yet")
		}
		return &txnPlan{kind: "COMMIT"}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		if s.Chain {
			return nil, sqlerr.Unsupported("ROLLBACK AND CHAIN is not supported yet")
		}
		return &txnPlan{kind: "ROLLBACK"}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		return &txnPlan{kind: "SAVEPOINT", name: s.SavepointName}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_RELEASE:
		return &txnPlan{kind: "RELEASE", name: s.SavepointName}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		return &txnPlan{kind: "ROLLBACK TO", name: s.SavepointName}, nil
	}
	return nil, b.errAt(sqlerr.Unsupported("%s is not supported yet", strings.TrimPrefix(s.Kind.String(), "TRANS_STMT_")), s.Location)
}

func (b *binder) bindSet(s *pg_query.VariableSetStmt) (plan, error) {
	name := strings.ToLower(s.Name)
	switch s.Kind {
	case pg_query.VariableSetKind_VAR_RESET_ALL:
		return &setPlan{name: "all", reset: true}, nil
	case pg_query.VariableSetKind_VAR_RESET:
		return &setPlan{name: name, reset: true}, nil
	case pg_query.VariableSetKind_VAR_SET_DEFAULT:
		return &setPlan{name: name, reset: true, tag: "SET"}, nil
	case pg_query.VariableSetKind_VAR_SET_MULTI:
		// SET TRANSACTION ..., SET SESSION CHARACTERISTICS ...: accepted;
		// every transaction is serializable.
		return &setPlan{name: name, noop: true}, nil
	case pg_query.VariableSetKind_VAR_SET_CURRENT:
		return nil, sqlerr.Unsupported("SET ... FROM CURRENT is not supported yet")
	}
	var parts []string
	for _, a := range s.Args {
		c := a.GetAConst()
		if c == nil {
			if tc := a.GetTypeCast(); tc != nil {
				c = tc.Arg.GetAConst()
			}
		}
		if c == nil {
			return nil, sqlerr.Syntax("SET %s takes constant values", name)
		}
		switch v := c.Val.(type) {
		case *pg_query.A_Const_Sval:
			parts = append(parts, v.Sval.Sval)
		case *pg_query.A_Const_Ival:
			parts = append(parts, strconv.Itoa(int(v.Ival.Ival)))
		case *pg_query.A_Const_Fval:
			parts = append(parts, v.Fval.Fval)
		case *pg_query.A_Const_Boolval:
			if v.Boolval.Boolval {
				parts = append(parts, "on")
			} else {
				parts = append(parts, "off")
			}
		}
	}
	return &setPlan{name: name, value: strings.Join(parts, ", "), local: s.IsLocal}, nil
}

// bindValuesRows binds the rows of INSERT ... VALUES: one expr per table
// column, coerced to the column's type, defaults filling the rest.
func (b *binder) bindValuesRows(lists []*pg_query.Node, ti *tableInfo, targets []int, targetLocs []int32, explicitCols bool, defaultOf func(int) (expr, error)) ([][]expr, error) {
	var out [][]expr
	var err error
	for _, vl := range lists {
		list := vl.GetList()
		if list == nil {
			return nil, sqlerr.Syntax("malformed VALUES")
		}
		if len(list.Items) > len(targets) {
			return nil, b.errAt(sqlerr.Syntax("INSERT has more expressions than target columns"), exprLocation(list.Items[len(targets)]))
		}
		if len(list.Items) < len(targets) {
			loc := int32(-1)
			if explicitCols && len(targets) > len(list.Items) {
				loc = targetLocs[len(list.Items)]
			}
			return nil, b.errAt(sqlerr.Syntax("INSERT has more target columns than expressions"), loc)
		}
		row := make([]expr, len(ti.cols))
		for j, item := range list.Items {
			col := targets[j]
			if _, isDef := item.Node.(*pg_query.Node_SetToDefault); isDef {
				if row[col], err = defaultOf(col); err != nil {
					return nil, err
				}
				continue
			}
			e, err := b.bindExpr(item)
			if err != nil {
				return nil, err
			}
			if row[col], err = b.coerceAssign(e, ti.cols[col], exprLocation(item)); err != nil {
				return nil, err
			}
		}
		for i := range row {
			if row[i] == nil {
				if row[i], err = defaultOf(i); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, row)
	}
	return out, nil
}
