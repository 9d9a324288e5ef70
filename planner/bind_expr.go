package planner

// Binding of expressions: pg_query expression nodes become typed exprs,
// with PostgreSQL's operator resolution and implicit casts.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// maxExprDepth bounds expression nesting (PostgreSQL reports 54001 when its
// stack runs out; we stop earlier and deterministically).
const maxExprDepth = 1000

// binder binds one statement.
type binder struct {
	eng *Engine
	sql string
	// params holds the parameters' types; Unknown ones are inferred from
	// context and resolved to text at the end.
	params []types.T
	// sc is the scope column names resolve in (nil for none); its
	// parents are the enclosing queries' scopes.
	sc *scope
	// r reads the catalog (nil for statements that need none).
	r layers.Reader
	// repOff and needRep: see selectPlan.keepRep.
	repOff  int
	needRep bool
	// gsCommon, with grouping sets, holds the group expressions common to
	// all sets: only they make other columns functionally dependent.
	gsCommon *[]expr
	// deps collects the tables and views the statement reads by name
	// (for a view's dependencies).
	deps map[string]bool
	// view is set when INSERT, UPDATE or DELETE targets an updatable view.
	view *viewTarget
	// ctes are the WITH clauses in effect, innermost last.
	ctes []*cteFrame
	// dml collects data-modifying WITH queries; set on the statement's
	// top-level binder only (with_dml.go).
	dml *dmlCollector
	// viewDepth counts the views being expanded, against recursion.
	viewDepth int
	// aggs collects aggregate calls while aggregates are allowed.
	aggs       []*aggCall
	aggAllowed bool
	aggContext string // where aggregates are refused, for the message
	depth      int
	ident      identity
	// win is the window state of the SELECT being bound (bind_window.go).
	win *winScope
	// srf collects the select list's set-returning calls (bind_srf.go).
	srf *srfScope
}

// errAt attaches the position of loc to an *sqlerr.Error.
func (b *binder) errAt(err error, loc int32) error {
	if e, ok := err.(*sqlerr.Error); ok {
		return e.WithPosition(charPos(b.sql, loc))
	}
	return err
}

// bindExpr binds an expression node in the binder's scope.
func (b *binder) bindExpr(n *pg_query.Node) (expr, error) {
	if n == nil {
		return nil, sqlerr.Syntax("missing expression")
	}
	b.depth++
	defer func() { b.depth-- }()
	if b.depth > maxExprDepth {
		return nil, sqlerr.New(sqlerr.StatementTooComplex, "stack depth limit exceeded").
			WithHint("Expressions may nest at most %d levels.", maxExprDepth)
	}
	switch x := n.Node.(type) {
	case *pg_query.Node_AConst:
		return b.bindConst(x.AConst)
	case *pg_query.Node_ColumnRef:
		return b.bindColumnRef(x.ColumnRef)
	case *pg_query.Node_GroupingFunc:
		return b.bindGroupingFunc(x.GroupingFunc)
	case *pg_query.Node_ParamRef:
		return b.bindParam(x.ParamRef)
	case *pg_query.Node_TypeCast:
		return b.bindTypeCast(x.TypeCast)
	case *pg_query.Node_AExpr:
		return b.bindAExpr(x.AExpr)
	case *pg_query.Node_BoolExpr:
		return b.bindBoolExpr(x.BoolExpr)
	case *pg_query.Node_NullTest:
		arg, err := b.bindExpr(x.NullTest.Arg)
		if err != nil {
			return nil, err
		}
		return &isNullExpr{arg: arg, not: x.NullTest.Nulltesttype == pg_query.NullTestType_IS_NOT_NULL}, nil
	case *pg_query.Node_BooleanTest:
		return b.bindBooleanTest(x.BooleanTest)
	case *pg_query.Node_FuncCall:
		return b.bindFuncCall(x.FuncCall)
	case *pg_query.Node_CaseExpr:
		return b.bindCase(x.CaseExpr)
	case *pg_query.Node_CoalesceExpr:
		return b.bindCoalesce(x.CoalesceExpr)
	case *pg_query.Node_MinMaxExpr:
		return b.bindMinMax(x.MinMaxExpr)
	case *pg_query.Node_SubLink:
		return b.bindSubLink(x.SubLink)
	case *pg_query.Node_AArrayExpr:
		return b.bindArrayExpr(x.AArrayExpr)
	case *pg_query.Node_AIndirection:
		return b.bindIndirection(x.AIndirection)
	case *pg_query.Node_CollateClause:
		if isDefaultCollation(x.CollateClause) {
			return b.bindExpr(x.CollateClause.Arg)
		}
		return nil, b.errAt(sqlerr.Unsupported("COLLATE is not supported yet"), x.CollateClause.Location)
	case *pg_query.Node_SqlvalueFunction:
		if e, ok := b.bindSQLValueDateTime(x.SqlvalueFunction); ok {
			return e, nil
		}
		switch x.SqlvalueFunction.Op {
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_USER, pg_query.SQLValueFunctionOp_SVFOP_USER,
			pg_query.SQLValueFunctionOp_SVFOP_SESSION_USER, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:
			return &constExpr{v: types.NewText(b.ident.user), t: types.TText, loc: -1}, nil
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
			return &constExpr{v: types.NewText(b.ident.database), t: types.TText, loc: -1}, nil
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
			return &constExpr{v: types.NewText("public"), t: types.TText, loc: -1}, nil
		}
		return nil, b.errAt(sqlerr.Unsupported("function %s is not supported yet", strings.ToLower(strings.TrimPrefix(x.SqlvalueFunction.Op.String(), "SVFOP_"))), x.SqlvalueFunction.Location)
	case *pg_query.Node_SetToDefault:
		return nil, b.errAt(sqlerr.Syntax("DEFAULT is not allowed in this context"), x.SetToDefault.Location)
	}
	return nil, sqlerr.Unsupported("expression %s is not supported yet", nodeName(n))
}

// nodeName names a node's type for messages: "RowExpr" and so on.
func nodeName(n *pg_query.Node) string {
	s := fmt.Sprintf("%T", n.Node)
	s = strings.TrimPrefix(s, "*pg_query.Node_")
	return s
}

// bindConst binds a literal: integers are int4 (int8 or numeric when
// larger), decimals numeric, strings unknown, booleans bool.
func (b *binder) bindConst(c *pg_query.A_Const) (expr, error) {
	if c.Isnull {
		return &constExpr{v: types.Null, t: types.TUnknown}, nil
	}
	switch v := c.Val.(type) {
	case *pg_query.A_Const_Ival:
		return &constExpr{v: types.NewInt(types.Int4, int64(v.Ival.Ival)), t: types.TInt4}, nil
	case *pg_query.A_Const_Fval:
		s := v.Fval.Fval
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				if types.IntInRange(types.Int4, i) {
					return &constExpr{v: types.NewInt(types.Int4, i), t: types.TInt4}, nil
				}
				return &constExpr{v: types.NewInt(types.Int8, i), t: types.TInt8}, nil
			}
		}
		val, err := types.ParseText(types.TNumeric, s)
		if err != nil {
			return nil, b.errAt(err, c.Location)
		}
		return &constExpr{v: val, t: types.TNumeric}, nil
	case *pg_query.A_Const_Boolval:
		return &constExpr{v: types.NewBool(v.Boolval.Boolval), t: types.TBool}, nil
	case *pg_query.A_Const_Sval:
		return &constExpr{v: types.NewUnknown(v.Sval.Sval), t: types.TUnknown, loc: c.Location}, nil
	case *pg_query.A_Const_Bsval:
		return nil, b.errAt(sqlerr.Unsupported("bit string literals are not supported yet"), c.Location)
	}
	return nil, b.errAt(sqlerr.Unsupported("literal is not supported"), c.Location)
}

// bindColumnRef resolves a column name against the statement's table.
func (b *binder) bindColumnRef(c *pg_query.ColumnRef) (expr, error) {
	var names []string
	for _, f := range c.Fields {
		switch x := f.Node.(type) {
		case *pg_query.Node_String_:
			names = append(names, x.String_.Sval)
		case *pg_query.Node_AStar:
			return nil, b.errAt(sqlerr.Syntax("* is not allowed here"), c.Location)
		}
	}
	var qual, col string
	switch len(names) {
	case 1:
		col = names[0]
	case 2:
		qual, col = names[0], names[1]
	default:
		return nil, b.errAt(sqlerr.Unsupported("qualified column name %s is not supported", strings.Join(names, ".")), c.Location)
	}
	full := col
	if qual != "" {
		full = qual + "." + col
	}
	return b.resolveColumn(qual, col, full, c.Location)
}

// bindParam binds $n. Its type is the one the client declared, or Unknown
// until the context decides.
func (b *binder) bindParam(p *pg_query.ParamRef) (expr, error) {
	n := int(p.Number)
	if n < 1 || n > 65535 {
		return nil, b.errAt(sqlerr.New(sqlerr.UndefinedParameter, "there is no parameter $%d", n), p.Location)
	}
	for len(b.params) < n {
		b.params = append(b.params, types.TUnknown)
	}
	return &paramRef{n: n, t: b.params[n-1]}, nil
}

// bindTypeCast binds expr::type and CAST(expr AS type).
func (b *binder) bindTypeCast(c *pg_query.TypeCast) (expr, error) {
	if e, ok, err := b.regCast(c); ok {
		return e, err
	}
	t, err := b.resolveType(c.TypeName)
	if err != nil {
		return nil, err
	}
	arg, err := b.bindExpr(c.Arg)
	if err != nil {
		return nil, err
	}
	e, err := b.coerce(arg, t, types.CastExplicit)
	if err != nil {
		return nil, b.coerceErr(err, c.Location)
	}
	return e, nil
}

// resolveType turns a TypeName into a type.
func (b *binder) resolveType(tn *pg_query.TypeName) (types.T, error) {
	if tn == nil {
		return types.T{}, sqlerr.Syntax("missing type name")
	}
	var names []string
	for _, n := range tn.Names {
		if s := n.GetString_(); s != nil {
			names = append(names, s.Sval)
		}
	}
	if len(names) == 0 {
		return types.T{}, b.errAt(sqlerr.Syntax("missing type name"), tn.Location)
	}
	name := names[len(names)-1]
	if len(names) > 1 && names[0] != "pg_catalog" && names[0] != "public" {
		return types.T{}, b.errAt(sqlerr.New(sqlerr.UndefinedObject, "type %q does not exist", strings.Join(names, ".")), tn.Location)
	}
	isArray := len(tn.ArrayBounds) > 0
	var mods []int64
	for _, m := range tn.Typmods {
		c := m.GetAConst()
		if c == nil {
			return types.T{}, b.errAt(sqlerr.Syntax("type modifiers must be simple constants or identifiers"), tn.Location)
		}
		iv, ok := c.Val.(*pg_query.A_Const_Ival)
		if !ok {
			return types.T{}, b.errAt(sqlerr.Syntax("type modifiers must be simple constants or identifiers"), tn.Location)
		}
		mods = append(mods, int64(iv.Ival.Ival))
	}
	var t types.T
	switch name {
	case "int2", "smallint":
		t = types.TInt2
	case "int4", "int", "integer":
		t = types.TInt4
	case "int8", "bigint":
		t = types.TInt8
	case "float4", "real":
		t = types.TFloat4
	case "float8", "double precision":
		t = types.TFloat8
	case "float":
		t = types.TFloat8
		if len(mods) == 1 {
			switch p := mods[0]; {
			case p < 1:
				return types.T{}, b.errAt(sqlerr.New(sqlerr.InvalidParameterValue, "precision for type float must be at least 1 bit"), tn.Location)
			case p <= 24:
				t = types.TFloat4
			case p <= 53:
			default:
				return types.T{}, b.errAt(sqlerr.New(sqlerr.InvalidParameterValue, "precision for type float must be less than 54 bits"), tn.Location)
			}
			mods = nil
		}
	case "numeric", "decimal":
		t = types.TNumeric
		switch len(mods) {
		case 0:
		case 1, 2:
			p, s := mods[0], int64(0)
			if len(mods) == 2 {
				s = mods[1]
			}
			if p < 1 || p > 1000 {
				return types.T{}, b.errAt(sqlerr.New(sqlerr.InvalidParameterValue, "NUMERIC precision %d must be between 1 and 1000", p), tn.Location)
			}
			if s < 0 || s > p {
				return types.T{}, b.errAt(sqlerr.New(sqlerr.InvalidParameterValue, "NUMERIC scale %d must be between 0 and precision %d", s, p), tn.Location)
			}
			t.Mod = types.NumericMod(int(p), int(s))
		default:
			return types.T{}, b.errAt(sqlerr.Syntax("invalid NUMERIC type modifier"), tn.Location)
		}
		mods = nil
	case "bool", "boolean":
		t = types.TBool
	case "text":
		t = types.TText
	case "varchar", "character varying":
		t = types.TVarchar
		if len(mods) == 1 {
			if mods[0] < 1 {
				return types.T{}, b.errAt(sqlerr.Syntax("length for type varchar must be at least 1"), tn.Location)
			}
			if mods[0] > 10485760 {
				return types.T{}, b.errAt(sqlerr.Syntax("length for type varchar cannot exceed 10485760"), tn.Location)
			}
			t.Mod = types.VarcharMod(int(mods[0]))
			mods = nil
		}
	case "unknown":
		t = types.TUnknown
	default:
		if it, ok := internalTypeByName(name); ok {
			t = it
			break
		}
		if lt, _, ok, err := types.LookupType(name, mods); ok {
			if err != nil {
				return types.T{}, b.errAt(err, tn.Location)
			}
			t, mods = lt, nil
			break
		}
		if _, ok := knownUnsupportedTypes[name]; ok {
			return types.T{}, b.errAt(sqlerr.Unsupported("type %s is not supported yet", name), tn.Location)
		}
		return types.T{}, b.errAt(sqlerr.New(sqlerr.UndefinedObject, "type %q does not exist", name), tn.Location)
	}
	if len(mods) > 0 {
		return types.T{}, b.errAt(sqlerr.Syntax("type modifier is not allowed for type %q", name), tn.Location)
	}
	if isArray {
		t = types.ArrayType(t)
	}
	return t, nil
}

// ServerVersionString is what version() returns: PostgreSQL's format,
// which client libraries parse for the major version.
const ServerVersionString = "PostgreSQL 15.0 (Aspen) on x86_64-pc-linux-gnu, compiled by Go, 64-bit"

// knownUnsupportedTypes are PostgreSQL types a later increment will add;
// they get 0A000 rather than "does not exist".
var knownUnsupportedTypes = map[string]struct{}{
	"timetz": {}, "serial": {},
	"bigserial": {}, "smallserial": {}, "serial4": {}, "serial8": {}, "serial2": {},
	"inet": {}, "cidr": {}, "money": {}, "xml": {},
	"bit": {}, "varbit": {}, "tsvector": {}, "point": {},
}

// coerce converts e to type t if a cast in context ctx allows it: an
// unknown literal is read with t's input function, an unknown parameter
// takes type t, other values get a cast node (folded when constant).
func (b *binder) coerce(e expr, t types.T, ctx types.CastContext) (expr, error) {
	from := e.typ()
	if from == t {
		return e, nil
	}
	if p, ok := e.(*paramRef); ok && from.Kind == types.Unknown {
		if t.Kind == types.Unknown {
			return e, nil
		}
		b.params[p.n-1] = types.T{Kind: t.Kind, Mod: -1}
		np := &paramRef{n: p.n, t: b.params[p.n-1]}
		if t.Mod >= 0 {
			return &castExpr{arg: np, t: t, ctx: ctx}, nil
		}
		return np, nil
	}
	if c, ok := e.(*constExpr); ok {
		if c.v.IsNull() {
			return &constExpr{v: types.Null, t: t}, nil
		}
		if from.Kind == types.Unknown {
			v, err := types.ParseTextEnv(b.ident.env, types.T{Kind: t.Kind, Mod: -1}, c.v.Str())
			if err != nil {
				if se, ok := err.(*sqlerr.Error); ok && c.loc >= 0 {
					return nil, se.WithPosition(charPos(b.sql, c.loc))
				}
				return nil, err
			}
			v, err = types.ApplyMod(v, t, ctx == types.CastExplicit)
			if err != nil {
				return nil, err
			}
			return &constExpr{v: v, t: t}, nil
		}
	}
	if from.Kind == t.Kind && t.Mod < 0 {
		// Same kind, dropping a modifier: nothing to do but retype.
		return &castExpr{arg: e, t: t, ctx: ctx}, nil
	}
	if !types.CanCast(from.Kind, t.Kind, ctx) {
		return nil, sqlerr.New(sqlerr.CannotCoerce, "cannot cast type %s to %s", from, t)
	}
	ce := &castExpr{arg: e, t: t, ctx: ctx}
	if c, ok := e.(*constExpr); ok {
		v, err := types.CastEnv(b.ident.env, c.v, t, ctx)
		if err != nil {
			return nil, err
		}
		return &constExpr{v: v, t: t}, nil
	}
	return ce, nil
}

// coerceAssign converts e to a column's type for INSERT and UPDATE, with
// PostgreSQL's 42804 message when no assignment cast exists.
func (b *binder) coerceAssign(e expr, col colInfo, loc int32) (expr, error) {
	from := e.typ()
	if from.Kind != types.Unknown && !types.CanCast(from.Kind, col.t.Kind, types.CastAssignment) {
		return nil, b.errAt(sqlerr.DatatypeMismatchErr("column %q is of type %s but expression is of type %s", col.name, col.t, from).
			WithHint("You will need to rewrite or cast the expression."), loc)
	}
	out, err := b.coerce(e, col.t, types.CastAssignment)
	if err != nil {
		return nil, b.coerceErr(err, loc)
	}
	return out, nil
}

// widen returns the kind two numeric kinds are computed in.
func widen(a, b types.Kind) types.Kind {
	if a == b {
		return a
	}
	if a == types.Float4 || b == types.Float4 || a == types.Float8 || b == types.Float8 {
		return types.Float8
	}
	if a > b {
		return a
	}
	return b
}

// unify gives two operands a common type for a comparison or arithmetic:
// an unknown operand takes the other's type; numeric kinds widen; string
// kinds compare as text. ok is false when no operator exists.
func (b *binder) unify(l, r expr) (expr, expr, types.Kind, bool, error) {
	lk, rk := l.typ().Kind, r.typ().Kind
	var k types.Kind
	switch {
	case lk == types.Unknown && rk == types.Unknown:
		k = types.Text
	case lk == types.Unknown:
		k = rk
	case rk == types.Unknown:
		k = lk
	case lk.IsNumeric() && rk.IsNumeric():
		k = widen(lk, rk)
	case lk.IsOIDKind() || rk.IsOIDKind() || lk.IsVector() || rk.IsVector():
		var ok bool
		if k, ok = unifyInternal(lk, rk); !ok {
			return nil, nil, 0, false, nil
		}
	case lk.IsString() && rk.IsString():
		if lk == rk {
			k = lk
		} else {
			k = types.Text
		}
	case lk == rk:
		k = lk
	default:
		c, ok := types.CommonDateTime(lk, rk)
		if !ok {
			return nil, nil, 0, false, nil
		}
		k = c
	}
	var err error
	if l, err = b.coerce(l, types.T{Kind: k, Mod: -1}, types.CastImplicit); err != nil {
		return nil, nil, 0, false, err
	}
	if r, err = b.coerce(r, types.T{Kind: k, Mod: -1}, types.CastImplicit); err != nil {
		return nil, nil, 0, false, err
	}
	return l, r, k, true, nil
}

// opName returns an A_Expr's operator name.
func opName(a *pg_query.A_Expr) string {
	if len(a.Name) == 0 {
		return ""
	}
	if s := a.Name[len(a.Name)-1].GetString_(); s != nil {
		return s.Sval
	}
	return ""
}

func (b *binder) bindAExpr(a *pg_query.A_Expr) (expr, error) {
	op := opName(a)
	switch a.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP:
		if a.Lexpr == nil {
			return b.bindUnary(op, a)
		}
		l, err := b.bindExpr(a.Lexpr)
		if err != nil {
			return nil, err
		}
		r, err := b.bindExpr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		return b.bindBinary(op, l, r, a.Location)
	case pg_query.A_Expr_Kind_AEXPR_DISTINCT, pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		l, err := b.bindExpr(a.Lexpr)
		if err != nil {
			return nil, err
		}
		r, err := b.bindExpr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		l2, r2, _, ok, err := b.unify(l, r)
		if err != nil {
			return nil, b.coerceErr(err, a.Location)
		}
		if !ok {
			return nil, b.errAt(sqlerr.UndefinedOperatorErr("operator does not exist: %s = %s", l.typ(), r.typ()), a.Location)
		}
		c := &cmpExpr{op: cmpDistinct, l: l2, r: r2}
		if a.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT {
			c.op = cmpNotDistinct
		}
		return c, nil
	case pg_query.A_Expr_Kind_AEXPR_NULLIF:
		l, err := b.bindExpr(a.Lexpr)
		if err != nil {
			return nil, err
		}
		r, err := b.bindExpr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		l2, r2, _, ok, err := b.unify(l, r)
		if err != nil {
			return nil, b.errAt(err, a.Location)
		}
		if !ok {
			return nil, b.errAt(sqlerr.UndefinedOperatorErr("operator does not exist: %s = %s", l.typ(), r.typ()), a.Location)
		}
		return &nullifExpr{a: l2, b: r2}, nil
	case pg_query.A_Expr_Kind_AEXPR_IN:
		return b.bindIn(a, op == "<>")
	case pg_query.A_Expr_Kind_AEXPR_BETWEEN, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN:
		list := a.Rexpr.GetList()
		if list == nil || len(list.Items) != 2 {
			return nil, b.errAt(sqlerr.Syntax("BETWEEN needs two bounds"), a.Location)
		}
		x, err := b.bindExpr(a.Lexpr)
		if err != nil {
			return nil, err
		}
		lo, err := b.bindExpr(list.Items[0])
		if err != nil {
			return nil, err
		}
		hi, err := b.bindExpr(list.Items[1])
		if err != nil {
			return nil, err
		}
		ge, err := b.bindBinary(">=", x, lo, a.Location)
		if err != nil {
			return nil, err
		}
		le, err := b.bindBinary("<=", x, hi, a.Location)
		if err != nil {
			return nil, err
		}
		var e expr = &boolExpr{and: true, args: []expr{ge, le}}
		if a.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN {
			e = &notExpr{arg: e}
		}
		return e, nil
	case pg_query.A_Expr_Kind_AEXPR_SIMILAR:
		return b.bindSimilar(a)
	case pg_query.A_Expr_Kind_AEXPR_LIKE, pg_query.A_Expr_Kind_AEXPR_ILIKE:
		l, err := b.bindExpr(a.Lexpr)
		if err != nil {
			return nil, err
		}
		r, err := b.bindExpr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		return b.bindLike(op, l, r, a.Location)
	}
	if a.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ANY || a.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ALL {
		return b.bindAnyAll(a)
	}
	return nil, b.errAt(sqlerr.Unsupported("operator kind %s is not supported yet", strings.TrimPrefix(a.Kind.String(), "AEXPR_")), a.Location)
}

func (b *binder) bindUnary(op string, a *pg_query.A_Expr) (expr, error) {
	arg, err := b.bindExpr(a.Rexpr)
	if err != nil {
		return nil, err
	}
	if e, ok, err := b.bindBitNot(op, arg); ok {
		return e, err
	}
	if e, ok, err := b.bindMathUnary(op, arg); ok {
		if err != nil {
			return nil, b.errAt(err, a.Location)
		}
		return e, nil
	}
	switch op {
	case "-", "+":
		k := arg.typ().Kind
		if k == types.Interval {
			if op == "+" {
				return arg, nil
			}
			return b.fold(&funcExpr{name: "-", args: []expr{arg}, t: types.TInterval, strict: true,
				fn: func(v []types.Value) (types.Value, error) { return types.Negate(v[0]) }}, a.Location)
		}
		if k == types.Unknown {
			return nil, b.errAt(sqlerr.New(sqlerr.AmbiguousFunction, "operator is not unique: %s unknown", op), a.Location)
		}
		if !k.IsNumeric() {
			return nil, b.errAt(sqlerr.UndefinedOperatorErr("operator does not exist: %s %s", op, arg.typ()), a.Location)
		}
		if op == "+" {
			return arg, nil
		}
		if c, ok := arg.(*constExpr); ok {
			v, err := types.Negate(c.v)
			if err != nil {
				return nil, b.errAt(err, a.Location)
			}
			return &constExpr{v: v, t: types.T{Kind: c.t.Kind, Mod: -1}, loc: -1}, nil
		}
		return &negExpr{arg: arg}, nil
	}
	return nil, b.errAt(sqlerr.UndefinedOperatorErr("operator does not exist: %s %s", op, arg.typ()), a.Location)
}

// bindBinary resolves a binary operator.
func (b *binder) bindBinary(op string, l, r expr, loc int32) (expr, error) {
	noOp := func() error {
		return b.errAt(sqlerr.UndefinedOperatorErr("operator does not exist: %s %s %s", l.typ(), op, r.typ()), loc)
	}
	if e, ok, err := b.bindJSONArrayOp(op, l, r, loc); ok || err != nil {
		return e, err
	}
	switch op {
	case "=", "<>", "!=", "<", "<=", ">", ">=":
		l2, r2, _, ok, err := b.unify(l, r)
		if err != nil {
			return nil, b.errAt(err, loc)
		}
		if !ok {
			return nil, noOp()
		}
		c := map[string]cmpOp{"=": cmpEQ, "<>": cmpNE, "!=": cmpNE, "<": cmpLT, "<=": cmpLE, ">": cmpGT, ">=": cmpGE}[op]
		return b.fold(&cmpExpr{op: c, l: l2, r: r2}, loc)
	case "+", "-", "*", "/", "%":
		lk, rk := l.typ().Kind, r.typ().Kind
		if lk == types.Unknown && rk == types.Unknown {
			return nil, b.errAt(sqlerr.New(sqlerr.AmbiguousFunction, "operator is not unique: unknown %s unknown", op).
				WithHint("Could not choose a best candidate operator. You might need to add explicit type casts."), loc)
		}
		if e, ok, err := b.bindDateTimeOp(op, l, r, loc); ok || err != nil {
			return e, err
		}
		if (lk != types.Unknown && !lk.IsNumeric()) || (rk != types.Unknown && !rk.IsNumeric()) {
			return nil, noOp()
		}
		l2, r2, k, ok, err := b.unify(l, r)
		if err != nil {
			return nil, b.errAt(err, loc)
		}
		if !ok {
			return nil, noOp()
		}
		if op == "%" && (k == types.Float4 || k == types.Float8) {
			return nil, b.errAt(sqlerr.UndefinedOperatorErr("operator does not exist: %s %% %s", types.T{Kind: k}, types.T{Kind: k}), loc)
		}
		return b.fold(&arithExpr{op: op[0], l: l2, r: r2, t: types.T{Kind: k, Mod: -1}}, loc)
	case "^":
		lk, rk := l.typ().Kind, r.typ().Kind
		if (lk != types.Unknown && !lk.IsNumeric()) || (rk != types.Unknown && !rk.IsNumeric()) {
			return nil, noOp()
		}
		e, err := b.bindPower(l, r, "^")
		if err != nil {
			return nil, b.coerceErr(err, loc)
		}
		return e, nil
	case "||":
		lk, rk := l.typ().Kind, r.typ().Kind
		if !(lk == types.Unknown || lk.IsString() || rk == types.Unknown || rk.IsString()) {
			return nil, noOp()
		}
		var err error
		if lk == types.Unknown {
			if l, err = b.coerce(l, types.TText, types.CastImplicit); err != nil {
				return nil, b.coerceErr(err, loc)
			}
		}
		if rk == types.Unknown {
			if r, err = b.coerce(r, types.TText, types.CastImplicit); err != nil {
				return nil, b.coerceErr(err, loc)
			}
		}
		return b.fold(&concatExpr{l: l, r: r}, loc)
	case "~~", "!~~", "~~*", "!~~*":
		return b.bindLike(op, l, r, loc)
	case "~", "!~", "~*", "!~*":
		return b.bindRegexMatch(op, l, r, loc)
	}
	if e, ok, err := b.bindBitwise(op, l, r, loc); ok {
		return e, err
	}
	return nil, noOp()
}

// fold evaluates an expression over constants at bind time.
func (b *binder) fold(e expr, loc int32) (expr, error) {
	switch x := e.(type) {
	case *cmpExpr:
		if !isFoldable(x.l) || !isFoldable(x.r) {
			return e, nil
		}
	case *arithExpr:
		if !isFoldable(x.l) || !isFoldable(x.r) {
			return e, nil
		}
	case *concatExpr:
		if !isFoldable(x.l) || !isFoldable(x.r) {
			return e, nil
		}
	case *funcExpr:
		if x.volatile {
			return e, nil
		}
		for _, a := range x.args {
			if !isFoldable(a) {
				return e, nil
			}
		}
	default:
		return e, nil
	}
	v, err := e.eval(&evalCtx{env: b.ident.env}, nil)
	if err != nil {
		// Like PostgreSQL's constant folding, run-time errors of constant
		// expressions carry no position.
		return nil, err
	}
	return &constExpr{v: v, t: e.typ(), loc: -1}, nil
}

// isFoldable reports whether e is a constant (not a parameter).
func isFoldable(e expr) bool {
	_, ok := e.(*constExpr)
	return ok
}

func (b *binder) bindLike(op string, l, r expr, loc int32) (expr, error) {
	var err error
	for _, p := range []*expr{&l, &r} {
		k := (*p).typ().Kind
		if k != types.Unknown && !k.IsString() {
			return nil, b.errAt(sqlerr.UndefinedOperatorErr("operator does not exist: %s %s %s", l.typ(), op, r.typ()), loc)
		}
		if *p, err = b.coerce(*p, types.TText, types.CastImplicit); err != nil {
			return nil, b.coerceErr(err, loc)
		}
	}
	not := strings.HasPrefix(op, "!")
	fold := strings.HasSuffix(op, "*")
	return &funcExpr{name: likeFuncNames[op], args: []expr{l, r}, t: types.TBool, strict: true,
		fn: func(args []types.Value) (types.Value, error) {
			s, pat := args[0].Str(), args[1].Str()
			if fold {
				s, pat = strings.ToLower(s), strings.ToLower(pat)
			}
			m, err := likeMatch(s, pat)
			if err != nil {
				return types.Null, err
			}
			return types.NewBool(m != not), nil
		}}, nil
}

// likeMatch matches s against a LIKE pattern (% any string, _ any
// character, backslash escapes).
func likeMatch(s, pat string) (bool, error) {
	sr, pr := []rune(s), []rune(pat)
	// Iterative matcher with backtracking on the last %.
	si, pi := 0, 0
	starP, starS := -1, 0
	for si < len(sr) {
		if pi < len(pr) {
			c := pr[pi]
			switch {
			case c == '%':
				starP, starS = pi, si
				pi++
				continue
			case c == '\\':
				if pi+1 >= len(pr) {
					return false, sqlerr.New("22025", "LIKE pattern must not end with escape character")
				}
				if pr[pi+1] == sr[si] {
					pi += 2
					si++
					continue
				}
			case c == '_' || c == sr[si]:
				pi++
				si++
				continue
			}
		}
		if starP < 0 {
			return false, nil
		}
		starS++
		si = starS
		pi = starP + 1
	}
	for pi < len(pr) && pr[pi] == '%' {
		pi++
	}
	if pi < len(pr) && pr[pi] == '\\' && pi+1 >= len(pr) {
		return false, sqlerr.New("22025", "LIKE pattern must not end with escape character")
	}
	return pi == len(pr), nil
}

func (b *binder) bindIn(a *pg_query.A_Expr, not bool) (expr, error) {
	list := a.Rexpr.GetList()
	if list == nil {
		return nil, b.errAt(sqlerr.Unsupported("IN with a subquery is not supported yet"), a.Location)
	}
	x, err := b.bindExpr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	items := make([]expr, len(list.Items))
	for i, it := range list.Items {
		if items[i], err = b.bindExpr(it); err != nil {
			return nil, err
		}
	}
	// Find the common type of all operands, as PostgreSQL's
	// select_common_type does for IN lists.
	all := append([]expr{x}, items...)
	t, err := b.commonType(all, "IN", a.Location)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i], err = b.coerce(all[i], t, types.CastImplicit); err != nil {
			return nil, b.coerceErr(err, a.Location)
		}
	}
	return &inListExpr{arg: all[0], list: all[1:], not: not}, nil
}

// commonType is PostgreSQL's select_common_type for the supported types:
// unknowns follow the others; numeric kinds widen; strings are text.
func (b *binder) commonType(es []expr, ctxName string, loc int32) (types.T, error) {
	var k types.Kind = types.Unknown
	for _, e := range es {
		ek := e.typ().Kind
		switch {
		case ek == types.Unknown:
		case k == types.Unknown:
			k = ek
		case k == ek:
		case k.IsNumeric() && ek.IsNumeric():
			k = widen(k, ek)
		case k.IsString() && ek.IsString():
			k = types.Text
		case k.IsDateTime() && ek.IsDateTime() && k != types.Time && ek != types.Time:
			k, _ = types.CommonDateTime(k, ek)
		case (k.IsOIDKind() || ek.IsOIDKind()) && isOIDUnifiable(k, ek):
			k, _ = unifyInternal(k, ek)
		default:
			return types.T{}, b.errAt(sqlerr.DatatypeMismatchErr("%s types %s and %s cannot be matched", ctxName, types.T{Kind: k}, types.T{Kind: ek}), loc)
		}
	}
	if k == types.Unknown {
		k = types.Text
	}
	// Keep a shared modifier (varchar(n) columns) only if all agree.
	mod := int32(-1)
	for i, e := range es {
		if e.typ().Kind != k {
			mod = -1
			break
		}
		if i == 0 {
			mod = e.typ().Mod
		} else if e.typ().Mod != mod {
			mod = -1
		}
	}
	return types.T{Kind: k, Mod: mod}, nil
}

func (b *binder) bindBoolExpr(x *pg_query.BoolExpr) (expr, error) {
	args := make([]expr, 0, len(x.Args))
	for _, a := range x.Args {
		e, err := b.bindExpr(a)
		if err != nil {
			return nil, err
		}
		loc := exprLocation(a)
		if loc < 0 {
			loc = x.Location
		}
		if e, err = b.asBool(e, boolExprName(x.Boolop), loc); err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	switch x.Boolop {
	case pg_query.BoolExprType_AND_EXPR:
		return &boolExpr{and: true, args: args}, nil
	case pg_query.BoolExprType_OR_EXPR:
		return &boolExpr{and: false, args: args}, nil
	case pg_query.BoolExprType_NOT_EXPR:
		if len(args) != 1 {
			return nil, sqlerr.Syntax("NOT takes one argument")
		}
		return &notExpr{arg: args[0]}, nil
	}
	return nil, sqlerr.Unsupported("boolean operator %s", x.Boolop)
}

func boolExprName(t pg_query.BoolExprType) string {
	switch t {
	case pg_query.BoolExprType_AND_EXPR:
		return "AND"
	case pg_query.BoolExprType_OR_EXPR:
		return "OR"
	}
	return "NOT"
}

// asBool checks that e is boolean (resolving unknowns), as PostgreSQL's
// coerce_to_boolean: "argument of AND must be type boolean, not type
// integer".
func (b *binder) asBool(e expr, what string, loc int32) (expr, error) {
	k := e.typ().Kind
	if k == types.Bool {
		return e, nil
	}
	if k == types.Unknown {
		out, err := b.coerce(e, types.TBool, types.CastImplicit)
		if err != nil {
			return nil, b.coerceErr(err, loc)
		}
		return out, nil
	}
	return nil, b.errAt(sqlerr.DatatypeMismatchErr("argument of %s must be type boolean, not type %s", what, e.typ()), loc)
}

func (b *binder) bindBooleanTest(x *pg_query.BooleanTest) (expr, error) {
	arg, err := b.bindExpr(x.Arg)
	if err != nil {
		return nil, err
	}
	names := map[pg_query.BoolTestType]struct {
		want int
		not  bool
		name string
	}{
		pg_query.BoolTestType_IS_TRUE:        {1, false, "IS TRUE"},
		pg_query.BoolTestType_IS_NOT_TRUE:    {1, true, "IS NOT TRUE"},
		pg_query.BoolTestType_IS_FALSE:       {0, false, "IS FALSE"},
		pg_query.BoolTestType_IS_NOT_FALSE:   {0, true, "IS NOT FALSE"},
		pg_query.BoolTestType_IS_UNKNOWN:     {-1, false, "IS UNKNOWN"},
		pg_query.BoolTestType_IS_NOT_UNKNOWN: {-1, true, "IS NOT UNKNOWN"},
	}
	n, ok := names[x.Booltesttype]
	if !ok {
		return nil, sqlerr.Unsupported("boolean test %s", x.Booltesttype)
	}
	if arg, err = b.asBool(arg, n.name, x.Location); err != nil {
		return nil, err
	}
	return &boolTestExpr{arg: arg, want: n.want, not: n.not, name: n.name}, nil
}

func (b *binder) bindCase(c *pg_query.CaseExpr) (expr, error) {
	defer b.srfNotIn("CASE")()
	var operand expr
	var err error
	if c.Arg != nil {
		if operand, err = b.bindExpr(c.Arg); err != nil {
			return nil, err
		}
	}
	out := &caseExpr{}
	var results []expr
	for _, w := range c.Args {
		cw := w.GetCaseWhen()
		if cw == nil {
			return nil, sqlerr.Syntax("malformed CASE")
		}
		cond, err := b.bindExpr(cw.Expr)
		if err != nil {
			return nil, err
		}
		if operand != nil {
			if cond, err = b.bindBinary("=", operand, cond, cw.Location); err != nil {
				return nil, err
			}
		} else if cond, err = b.asBool(cond, "CASE/WHEN", cw.Location); err != nil {
			return nil, err
		}
		res, err := b.bindExpr(cw.Result)
		if err != nil {
			return nil, err
		}
		out.whens = append(out.whens, cond)
		results = append(results, res)
	}
	if c.Defresult != nil {
		d, err := b.bindExpr(c.Defresult)
		if err != nil {
			return nil, err
		}
		results = append(results, d)
	}
	t, err := b.commonType(results, "CASE", c.Location)
	if err != nil {
		return nil, err
	}
	for i := range results {
		if results[i], err = b.coerce(results[i], t, types.CastImplicit); err != nil {
			return nil, b.coerceErr(err, c.Location)
		}
	}
	out.thens = results[:len(out.whens)]
	if c.Defresult != nil {
		out.els = results[len(results)-1]
	}
	out.t = t
	return out, nil
}

func (b *binder) bindCoalesce(c *pg_query.CoalesceExpr) (expr, error) {
	defer b.srfNotIn("COALESCE")()
	args := make([]expr, len(c.Args))
	var err error
	for i, a := range c.Args {
		if args[i], err = b.bindExpr(a); err != nil {
			return nil, err
		}
	}
	t, err := b.commonType(args, "COALESCE", c.Location)
	if err != nil {
		return nil, err
	}
	for i := range args {
		if args[i], err = b.coerce(args[i], t, types.CastImplicit); err != nil {
			return nil, b.coerceErr(err, c.Location)
		}
	}
	return &coalesceExpr{args: args, t: t}, nil
}

func (b *binder) bindMinMax(m *pg_query.MinMaxExpr) (expr, error) {
	args := make([]expr, len(m.Args))
	var err error
	for i, a := range m.Args {
		if args[i], err = b.bindExpr(a); err != nil {
			return nil, err
		}
	}
	name := "GREATEST"
	greatest := m.Op == pg_query.MinMaxOp_IS_GREATEST
	if !greatest {
		name = "LEAST"
	}
	t, err := b.commonType(args, name, m.Location)
	if err != nil {
		return nil, err
	}
	for i := range args {
		if args[i], err = b.coerce(args[i], t, types.CastImplicit); err != nil {
			return nil, b.coerceErr(err, m.Location)
		}
	}
	return &funcExpr{name: strings.ToLower(name), args: args, t: t, fn: func(vals []types.Value) (types.Value, error) {
		best := types.Null
		for _, v := range vals {
			if v.IsNull() {
				continue
			}
			if best.IsNull() || (types.Compare(v, best) > 0) == greatest && types.Compare(v, best) != 0 {
				best = v
			}
		}
		return best, nil
	}}, nil
}

// funcName returns a FuncCall's unqualified name (pg_catalog. stripped).
func funcName(f *pg_query.FuncCall) string {
	var parts []string
	for _, n := range f.Funcname {
		if s := n.GetString_(); s != nil {
			parts = append(parts, s.Sval)
		}
	}
	if len(parts) == 2 && parts[0] == "pg_catalog" {
		parts = parts[1:]
	}
	return strings.Join(parts, ".")
}

var aggregateNames = map[string]bool{"count": true, "sum": true, "avg": true, "min": true, "max": true}

func (b *binder) bindFuncCall(f *pg_query.FuncCall) (expr, error) {
	name := funcName(f)
	if isHypotheticalCall(name, f) {
		return b.bindAggregate(name, f)
	}
	if isWindowCall(name, f) {
		return b.bindWindowFunc(name, f)
	}
	if aggregateNames[name] || moreAggNames[name] {
		return b.bindAggregate(name, f)
	}
	if e, ok, err := b.bindSRFCall(name, f); ok {
		return e, err
	}
	// PostgreSQL's messages for aggregate syntax on a plain function (f(*)
	// is looked up as f() and does not exist).
	switch {
	case f.AggDistinct:
		return nil, b.errAt(sqlerr.New(sqlerr.WrongObjectType, "DISTINCT specified, but %s is not an aggregate function", name), f.Location)
	case len(f.AggOrder) > 0:
		return nil, b.errAt(sqlerr.New(sqlerr.WrongObjectType, "ORDER BY specified, but %s is not an aggregate function", name), f.Location)
	case f.AggFilter != nil:
		return nil, b.errAt(sqlerr.New(sqlerr.WrongObjectType, "FILTER specified, but %s is not an aggregate function", name), f.Location)
	}
	args := make([]expr, len(f.Args))
	var err error
	for i, a := range f.Args {
		if args[i], err = b.bindExpr(a); err != nil {
			return nil, err
		}
	}
	e, err := b.builtin(name, args)
	if err != nil {
		if sqlerr.Code(err) == sqlerr.UndefinedFunction && isKnownPGFunction(name) {
			err = sqlerr.Unsupported("function %s is not supported yet", name)
		}
		return nil, b.errAt(err, f.Location)
	}
	return e, nil
}

// knownPGFunctions are PostgreSQL built-ins later increments will add:
// calling one is 0A000 (not supported yet) rather than 42883 (does not
// exist), so users can tell the two apart.
var knownPGFunctions = map[string]bool{
	"now": true, "clock_timestamp": true, "statement_timestamp": true, "transaction_timestamp": true,
	"date_trunc": true, "date_part": true, "extract": true, "age": true, "to_char": true, "to_date": true,
	"to_timestamp": true, "to_number": true, "make_date": true, "make_interval": true, "timezone": true,
	"round": true, "trunc": true, "floor": true, "ceil": true, "ceiling": true, "sqrt": true, "cbrt": true,
	"power": true, "pow": true, "exp": true, "ln": true, "log": true, "log10": true, "mod": true, "sign": true,
	"div": true, "pi": true, "random": true, "setseed": true, "width_bucket": true, "gcd": true, "lcm": true,
	"concat": true, "concat_ws": true, "substring": true, "substr": true, "position": true,
	"trim": true, "btrim": true, "ltrim": true, "rtrim": true,
	"lpad": true, "rpad": true,
	"bit_length": true, "sha256": true, "encode": true, "decode": true,
	"format": true, "quote_ident": true, "quote_literal": true, "quote_nullable": true, "regexp_replace": true,
	"regexp_match": true, "regexp_matches": true, "regexp_split_to_array": true,
	"translate": true, "to_hex": true, "string_to_array": true,
	"array_to_string": true, "array_length": true, "array_upper": true, "array_lower": true, "array_position": true,
	"array_agg": true, "string_agg": true, "bool_and": true, "bool_or": true, "every": true, "stddev": true,
	"stddev_pop": true, "stddev_samp": true, "variance": true, "var_pop": true, "var_samp": true,
	"percentile_cont": true, "percentile_disc": true, "mode": true, "json_agg": true, "jsonb_agg": true,
	"json_object_agg": true, "jsonb_object_agg": true, "json_build_object": true, "jsonb_build_object": true,
	"json_build_array": true, "jsonb_build_array": true, "to_json": true, "to_jsonb": true, "jsonb_set": true,
	"jsonb_array_elements": true, "jsonb_each": true, "json_array_elements": true, "json_each": true,
	"jsonb_typeof": true, "jsonb_array_length": true, "jsonb_pretty": true, "row_to_json": true,
	"generate_series": true, "generate_subscripts": true, "unnest": true,
	"row_number": true, "rank": true, "dense_rank": true, "ntile": true,
	"lag": true, "lead": true, "first_value": true, "last_value": true, "nth_value": true, "percent_rank": true,
	"cume_dist": true, "gen_random_uuid": true, "uuid_generate_v4": true, "format_type": true,
	"obj_description": true, "col_description": true, "set_config": true, "current_setting": true,
	"current_schemas": true, "has_table_privilege": true, "has_schema_privilege": true, "txid_current": true,
	"inet_client_addr": true, "inet_server_addr": true, "inet_server_port": true,
}

// isKnownPGFunction reports whether name is a PostgreSQL built-in not yet
// implemented (catalog functions pg_* included).
func isKnownPGFunction(name string) bool {
	return knownPGFunctions[name] && !implementedFuncs[name] || strings.HasPrefix(name, "pg_") || strings.HasPrefix(name, "information_schema.")
}

// argTypes renders argument types for "function f(integer) does not exist".
func argTypes(args []expr) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.typ().String()
	}
	return strings.Join(parts, ", ")
}

// builtin resolves a scalar built-in function.
func (b *binder) builtin(name string, args []expr) (expr, error) {
	if e, ok, err := b.catalogFunc(name, args); ok {
		return e, err
	}
	undefined := func() error {
		return sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", name, argTypes(args))
	}
	one := func(t types.T) (expr, error) {
		if len(args) != 1 {
			return nil, undefined()
		}
		return b.coerce(args[0], t, types.CastImplicit)
	}
	text := func(v string) (expr, error) {
		if len(args) != 0 {
			return nil, undefined()
		}
		return &constExpr{v: types.NewText(v), t: types.TText, loc: -1}, nil
	}
	if e, ok, err := b.sequenceFunc(name, args); ok {
		return e, err
	}
	if e, ok, err := b.stringFunc2(name, args); ok || err != nil {
		return e, err
	}
	if e, ok, err := b.dateTimeFunc(name, args); ok || err != nil {
		return e, err
	}
	if e, ok, err := b.jsonArrayFunc(name, args); ok || err != nil {
		return e, err
	}
	if e, ok, err := b.mathFunc(name, args); ok || err != nil {
		return e, err
	}
	switch name {
	case "version":
		return text(ServerVersionString)
	case "current_schema":
		return text("public")
	case "current_database":
		return text(b.ident.database)
	case "octet_length", "initcap", "reverse", "repeat", "left", "right", "strpos", "replace",
		"starts_with", "md5", "ascii", "chr", "split_part":
		e, _, err := b.stringFunc(name, args)
		return e, err
	case "lower", "upper":
		if len(args) != 1 || !(args[0].typ().Kind.IsString() || args[0].typ().Kind == types.Unknown) {
			return nil, undefined()
		}
		a, err := one(types.TText)
		if err != nil {
			return nil, err
		}
		f := strings.ToLower
		if name == "upper" {
			f = strings.ToUpper
		}
		return &funcExpr{name: name, args: []expr{a}, t: types.TText, strict: true,
			fn: func(v []types.Value) (types.Value, error) { return types.NewText(f(v[0].Str())), nil }}, nil
	case "length", "char_length", "character_length":
		if len(args) != 1 || !(args[0].typ().Kind.IsString() || args[0].typ().Kind == types.Unknown) {
			return nil, undefined()
		}
		a, err := one(types.TText)
		if err != nil {
			return nil, err
		}
		return &funcExpr{name: name, args: []expr{a}, t: types.TInt4, strict: true,
			fn: func(v []types.Value) (types.Value, error) {
				return types.NewInt(types.Int4, int64(len([]rune(v[0].Str())))), nil
			}}, nil
	case "abs":
		if len(args) != 1 {
			return nil, undefined()
		}
		k := args[0].typ().Kind
		if k == types.Unknown {
			k = types.Float8
		}
		if !k.IsNumeric() {
			return nil, undefined()
		}
		a, err := one(types.T{Kind: k, Mod: -1})
		if err != nil {
			return nil, err
		}
		return &funcExpr{name: name, args: []expr{a}, t: types.T{Kind: k, Mod: -1}, strict: true,
			fn: func(v []types.Value) (types.Value, error) {
				neg := types.Compare(v[0], types.NewInt(types.Int8, 0)) < 0
				if k == types.Float4 || k == types.Float8 {
					neg = v[0].Float() < 0
				}
				if neg {
					return types.Negate(v[0])
				}
				return v[0], nil
			}}, nil
	}
	return nil, undefined()
}

// coerceErr positions an error from coerce: a missing cast points at the
// expression, as PostgreSQL's parser reports it; a value that does not fit
// (raised by PostgreSQL at run time) has no position.
func (b *binder) coerceErr(err error, loc int32) error {
	if e, ok := err.(*sqlerr.Error); ok && (e.Code == sqlerr.CannotCoerce || e.Code == sqlerr.DatatypeMismatch) {
		return e.WithPosition(charPos(b.sql, loc))
	}
	return err
}
