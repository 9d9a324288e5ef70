package planner

// Binding of queries inside queries: subquery expressions (scalar, EXISTS,
// IN, ANY, ALL; correlated or not) and the set operations UNION,
// INTERSECT and EXCEPT.

import (
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// queryPlan is a plan that produces rows: *selectPlan or *setOpPlan.
type queryPlan interface {
	plan
}

// queryTypes returns the types of a query's visible output columns.
func queryTypes(q queryPlan) []types.T {
	switch p := q.(type) {
	case *selectPlan:
		out := make([]types.T, p.nvisible)
		for i := range out {
			out[i] = p.outputs[i].typ()
		}
		return out
	case *setOpPlan:
		return p.types
	case *valuesPlan:
		return p.types
	case *recursivePlan:
		if p.wt == nil {
			return nil
		}
		return p.wt.types
	case *dmlCTEPlan:
		return p.wt.types
	}
	return nil
}

// queryUnknown reports which output columns of q are untyped literals.
func queryUnknown(q queryPlan) []bool {
	out := make([]bool, len(q.columns()))
	if p, ok := q.(*selectPlan); ok {
		for i, u := range p.unknown {
			if i < len(out) {
				out[i] = u != nil
			}
		}
	}
	return out
}

// bindQuery binds a SELECT, VALUES or set operation in a new scope whose
// parent is the binder's current scope.
func (b *binder) bindQuery(s *pg_query.SelectStmt, r layers.Reader) (queryPlan, error) {
	if s.Op != pg_query.SetOperation_SETOP_NONE {
		return b.bindSetOp(s, r)
	}
	if len(s.ValuesLists) > 0 {
		pop, err := b.pushWith(s.WithClause)
		if err != nil {
			return nil, err
		}
		defer pop()
		return b.bindValues(s, r)
	}
	p, err := b.bindSelect(s, r)
	if err != nil {
		return nil, err
	}
	return p.(queryPlan), nil
}

// setOpPlan is UNION, INTERSECT or EXCEPT [ALL] of two queries, with the
// ORDER BY, LIMIT and OFFSET that apply to the result.
type setOpPlan struct {
	op          string // UNION, INTERSECT or EXCEPT
	all         bool
	left, right queryPlan
	types       []types.T
	cols        []Column
	sort        []sortKey
	limit       expr
	offset      expr
}

func (p *setOpPlan) columns() []Column { return p.cols }

// setOpName names a set operation for messages.
func setOpName(op pg_query.SetOperation) string {
	switch op {
	case pg_query.SetOperation_SETOP_INTERSECT:
		return "INTERSECT"
	case pg_query.SetOperation_SETOP_EXCEPT:
		return "EXCEPT"
	}
	return "UNION"
}

// bindSetOp binds a set operation.
func (b *binder) bindSetOp(s *pg_query.SelectStmt, r layers.Reader) (queryPlan, error) {
	if len(s.LockingClause) > 0 {
		if lc := s.LockingClause[0].GetLockingClause(); lc != nil {
			return nil, sqlerr.Unsupported("%s is not allowed with UNION/INTERSECT/EXCEPT", lockingName(lc))
		}
	}
	pop, err := b.pushWith(s.WithClause)
	if err != nil {
		return nil, err
	}
	defer pop()
	name := setOpName(s.Op)
	left, err := b.bindQuery(s.Larg, r)
	if err != nil {
		return nil, err
	}
	right, err := b.bindQuery(s.Rarg, r)
	if err != nil {
		return nil, err
	}
	lt, rt := queryTypes(left), queryTypes(right)
	if len(lt) != len(rt) {
		e := sqlerr.Syntax("each %s query must have the same number of columns", name)
		side := s.Rarg
		if len(lt) > len(rt) {
			side = s.Larg
		}
		if side != nil && side.Op == pg_query.SetOperation_SETOP_NONE && len(side.TargetList) > 0 {
			if rt := side.TargetList[0].GetResTarget(); rt != nil {
				return nil, b.errAt(e, exprLocation(rt.Val))
			}
		}
		return nil, e
	}
	p := &setOpPlan{op: name, all: s.All, left: left, right: right}
	lu, ru := queryUnknown(left), queryUnknown(right)
	for i := range lt {
		l, r := &colRef{t: lt[i]}, &colRef{t: rt[i]}
		if lu[i] {
			l.t = types.TUnknown
		}
		if ru[i] {
			r.t = types.TUnknown
		}
		t, err := b.commonType([]expr{l, r}, name, -1)
		if err != nil {
			return nil, b.errAt(err, setOpTargetLoc(s.Rarg, i))
		}
		// Untyped literals of the branches take the column's type now.
		for _, q := range []queryPlan{left, right} {
			if sp, ok := q.(*selectPlan); ok && i < len(sp.unknown) && sp.unknown[i] != nil && t.Kind != types.Text {
				c, err := b.coerce(sp.unknown[i], types.T{Kind: t.Kind, Mod: -1}, types.CastImplicit)
				if err != nil {
					return nil, err
				}
				sp.outputs[i], sp.unknown[i] = c, nil
			}
		}
		if lt[i].Kind != t.Kind || rt[i].Kind != t.Kind {
			t.Mod = -1
		}
		p.types = append(p.types, t)
		p.cols = append(p.cols, Column{Name: left.columns()[i].Name, TypeOID: t.OID(), TypeSize: t.Size(), TypeMod: t.Mod})
	}
	var err2 error
	if p.sort, p.limit, p.offset, err2 = b.bindResultOrder(s, p.cols); err2 != nil {
		return nil, err2
	}
	return p, nil
}

// setOpTargetLoc returns the location of select-list entry i of a set
// operation's branch, or -1.
func setOpTargetLoc(s *pg_query.SelectStmt, i int) int32 {
	for s != nil && s.Op != pg_query.SetOperation_SETOP_NONE {
		s = s.Larg
	}
	if s == nil || i >= len(s.TargetList) {
		return -1
	}
	if rt := s.TargetList[i].GetResTarget(); rt != nil {
		return exprLocation(rt.Val)
	}
	return -1
}

// sortKeyOf reads the direction and NULLS placement of an ORDER BY item.
func sortKeyOf(sb *pg_query.SortBy) sortKey {
	key := sortKey{idx: -1, desc: sb.SortbyDir == pg_query.SortByDir_SORTBY_DESC}
	key.nullsFirst = key.desc
	switch sb.SortbyNulls {
	case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
		key.nullsFirst = true
	case pg_query.SortByNulls_SORTBY_NULLS_LAST:
		key.nullsFirst = false
	}
	return key
}

// subKind is the kind of a subquery expression.
type subKind uint8

const (
	subScalar subKind = iota
	subExists
	subAny
	subAll
	subArray // ARRAY(subquery)
)

// subqueryExpr is a subquery used as an expression. For ANY and ALL, arg
// is the left operand and conv the subquery's column converted to the
// comparison type (an expression over the one-column subquery row).
type subqueryExpr struct {
	kind       subKind
	q          queryPlan
	op         cmpOp
	arg        expr
	conv       expr
	correlated bool
	t          types.T
	// rowArgs and rowConvs are the further columns of a row comparison
	// (a, b) IN (SELECT x, y ...): = needs all equal, <> any different.
	rowArgs  []expr
	rowConvs []expr
	// outerOff is where, in the row the expression is evaluated over,
	// the row the subquery's outer references read begins (non-zero after
	// grouping: see selectPlan.keepRep).
	outerOff int
}

func (e *subqueryExpr) typ() types.T { return e.t }
func (e *subqueryExpr) String() string {
	switch e.kind {
	case subExists:
		return "EXISTS(subquery)"
	case subArray:
		return "ARRAY(subquery)"
	case subAny, subAll:
		arg := e.arg.String()
		if len(e.rowArgs) > 0 {
			parts := []string{arg}
			for _, a := range e.rowArgs {
				parts = append(parts, a.String())
			}
			arg = "ROW(" + strings.Join(parts, ", ") + ")"
		}
		q := " ANY(subquery))"
		if e.kind == subAll {
			q = " ALL(subquery))"
		}
		return "(" + arg + " " + cmpNames[e.op] + q
	}
	return "(subquery)"
}

// bindSubLink binds a subquery expression.
func (b *binder) bindSubLink(sl *pg_query.SubLink) (expr, error) {
	sel := sl.Subselect.GetSelectStmt()
	if sel == nil {
		return nil, b.errAt(sqlerr.Syntax("malformed subquery"), sl.Location)
	}
	e := &subqueryExpr{}
	switch sl.SubLinkType {
	case pg_query.SubLinkType_EXISTS_SUBLINK:
		e.kind, e.t = subExists, types.TBool
	case pg_query.SubLinkType_EXPR_SUBLINK:
		e.kind = subScalar
	case pg_query.SubLinkType_ANY_SUBLINK:
		e.kind, e.t = subAny, types.TBool
	case pg_query.SubLinkType_ALL_SUBLINK:
		e.kind, e.t = subAll, types.TBool
	case pg_query.SubLinkType_ARRAY_SUBLINK:
		e.kind = subArray
	default:
		return nil, b.errAt(sqlerr.Unsupported("this kind of subquery is not supported yet"), sl.Location)
	}
	// The left operand is bound in the current scope, before the subquery.
	var left []expr
	if e.kind == subAny || e.kind == subAll {
		items := []*pg_query.Node{sl.Testexpr}
		if row := sl.Testexpr.GetRowExpr(); row != nil {
			items = row.Args
		}
		for _, it := range items {
			l, err := b.bindExpr(it)
			if err != nil {
				return nil, err
			}
			left = append(left, l)
		}
	}
	saved := b.sc
	savedAggs, savedAllowed, savedCtx := b.aggs, b.aggAllowed, b.aggContext
	marker := &scope{parent: saved, marker: true}
	b.sc = marker
	b.aggs = nil
	q, err := b.bindQuery(sel, b.r)
	b.sc = saved
	b.aggs, b.aggAllowed, b.aggContext = savedAggs, savedAllowed, savedCtx
	if err != nil {
		return nil, err
	}
	e.q = q
	e.correlated = marker.correlated
	qt := queryTypes(q)
	switch e.kind {
	case subScalar:
		if len(qt) != 1 {
			return nil, b.errAt(sqlerr.Syntax("subquery must return only one column"), sl.Location)
		}
		e.t = types.T{Kind: qt[0].Kind, Mod: qt[0].Mod}
	case subArray:
		if err := b.arraySubqueryType(e, qt, sl.Location); err != nil {
			return nil, err
		}
	case subAny, subAll:
		if len(qt) > len(left) {
			return nil, b.errAt(sqlerr.Syntax("subquery has too many columns"), sl.Location)
		}
		if len(qt) < len(left) {
			return nil, b.errAt(sqlerr.Syntax("subquery has too few columns"), sl.Location)
		}
		op := "="
		if len(sl.OperName) > 0 {
			if str := sl.OperName[len(sl.OperName)-1].GetString_(); str != nil {
				op = str.Sval
			}
		}
		if len(left) > 1 && op != "=" && op != "<>" {
			return nil, b.errAt(sqlerr.Unsupported("row comparison %s with a subquery is not supported yet", op), sl.Location)
		}
		for i := range left {
			c, err := b.bindBinary(op, left[i], &colRef{idx: i, t: qt[i], name: "subquery"}, sl.Location)
			if err != nil {
				return nil, err
			}
			cmp, ok := c.(*cmpExpr)
			if !ok || cmp.op == cmpDistinct || cmp.op == cmpNotDistinct {
				return nil, b.errAt(sqlerr.Unsupported("operator %s with ANY/ALL is not supported yet", op), sl.Location)
			}
			e.op = cmp.op
			if i == 0 {
				e.arg, e.conv = cmp.l, cmp.r
			} else {
				e.rowArgs = append(e.rowArgs, cmp.l)
				e.rowConvs = append(e.rowConvs, cmp.r)
			}
		}
	}
	return e, nil
}

// bindResultOrder binds the ORDER BY, LIMIT and OFFSET of a set operation
// or VALUES list: ORDER BY names output columns (by name or position).
func (b *binder) bindResultOrder(s *pg_query.SelectStmt, cols []Column) (sort []sortKey, limit, offset expr, err error) {
	for _, sn := range s.SortClause {
		sb := sn.GetSortBy()
		if sb == nil {
			return nil, nil, nil, sqlerr.Syntax("malformed ORDER BY")
		}
		key := sortKeyOf(sb)
		key.idx = -1
		if c := sb.Node.GetAConst(); c != nil {
			if iv, ok := c.Val.(*pg_query.A_Const_Ival); ok {
				n := int(iv.Ival.Ival)
				if n < 1 || n > len(cols) {
					return nil, nil, nil, b.errAt(sqlerr.New(sqlerr.InvalidColumnReference, "ORDER BY position %d is not in select list", n), c.Location)
				}
				key.idx = n - 1
			}
		}
		if cr := sb.Node.GetColumnRef(); key.idx < 0 && cr != nil && len(cr.Fields) == 1 {
			if str := cr.Fields[0].GetString_(); str != nil {
				for i, c := range cols {
					if c.Name == str.Sval {
						key.idx = i
						break
					}
				}
				if key.idx < 0 {
					return nil, nil, nil, b.errAt(sqlerr.UndefinedColumnErr(str.Sval), cr.Location)
				}
			}
		}
		if key.idx < 0 {
			return nil, nil, nil, b.errAt(sqlerr.Unsupported("invalid UNION/INTERSECT/EXCEPT ORDER BY clause").
				WithDetail("Only result column names can be used, not expressions or functions.").
				WithHint("Add the expression/function to every SELECT, or move the UNION into a FROM clause."), leftmostLocation(sb.Node))
		}
		sort = append(sort, key)
	}
	b.aggAllowed, b.aggContext = false, "LIMIT"
	if s.LimitCount != nil && !isNullConst(s.LimitCount) {
		if limit, err = b.bindCount(s.LimitCount, "LIMIT"); err != nil {
			return nil, nil, nil, err
		}
	}
	if s.LimitOffset != nil && !isNullConst(s.LimitOffset) {
		if offset, err = b.bindCount(s.LimitOffset, "OFFSET"); err != nil {
			return nil, nil, nil, err
		}
	}
	return sort, limit, offset, nil
}

// bindDistinctOn binds SELECT DISTINCT ON (...): each expression is a
// select-list position, an output name or an expression (added as a
// hidden output); with ORDER BY, the leftmost sort keys must be among
// them.
func (b *binder) bindDistinctOn(p *selectPlan, list []*pg_query.Node, names []string) error {
	saved := b.aggAllowed
	b.aggAllowed = true
	defer func() { b.aggAllowed = saved }()
	on := map[int]bool{}
	for _, n := range list {
		idx := -1
		if c := n.GetAConst(); c != nil {
			if iv, ok := c.Val.(*pg_query.A_Const_Ival); ok {
				k := int(iv.Ival.Ival)
				if k < 1 || k > p.nvisible {
					return b.errAt(sqlerr.New(sqlerr.InvalidColumnReference, "DISTINCT ON position %d is not in select list", k), c.Location)
				}
				idx = k - 1
			}
		}
		if cr := n.GetColumnRef(); idx < 0 && cr != nil && len(cr.Fields) == 1 {
			if str := cr.Fields[0].GetString_(); str != nil {
				for i, name := range names {
					if name == str.Sval {
						idx = i
						break
					}
				}
			}
		}
		if idx < 0 {
			e, err := b.bindExpr(n)
			if err != nil {
				return err
			}
			for i, o := range p.outputs {
				if o.String() == e.String() {
					idx = i
					break
				}
			}
			if idx < 0 {
				p.outputs = append(p.outputs, e)
				idx = len(p.outputs) - 1
			}
		}
		if !on[idx] {
			on[idx] = true
			p.distinctOn = append(p.distinctOn, idx)
		}
	}
	for i, k := range p.sort {
		if i >= len(p.distinctOn) {
			break
		}
		if !on[k.idx] {
			return b.errAt(sqlerr.New(sqlerr.InvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions"), leftmostLocation(list[0]))
		}
	}
	return nil
}
