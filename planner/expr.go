package planner

// Bound, typed scalar expressions and their evaluation with SQL NULL semantics.

import (
	"context"
	"fmt"
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// evalCtx is what expressions see while they are evaluated: the statement's
// parameter values.
type evalCtx struct {
	params []types.Value
	// ctx and r run subqueries; attach sets them.
	ctx context.Context
	r   layers.Reader
	// outer holds the rows of the enclosing queries of a correlated
	// subquery, innermost last.
	outer [][]types.Value
	// subq caches uncorrelated subqueries' results for the statement.
	subq map[*subqueryExpr]*subqueryResult
	// work holds recursive WITH queries' working tables.
	work map[*workTable][][]types.Value
	// env is the session's TimeZone and the statement time.
	env *types.Env
	// sess is the session running the statement (the sequence functions
	// and pg_notify use it); nil at bind time.
	sess *Session
	// srf holds the current values of select-list set-returning calls.
	srf map[*srfCall]types.Value
}

// expr is a bound, typed scalar expression. Plan nodes hold exprs; eval
// computes one over a row of the scope it was bound in. String renders the
// expression for plans and for matching GROUP BY expressions.
type expr interface {
	typ() types.T
	eval(ev *evalCtx, row []types.Value) (types.Value, error)
	String() string
}

// constExpr is a constant.
type constExpr struct {
	v types.Value
	t types.T
	// loc is the literal's location in the statement (-1 when the
	// constant was computed), for input errors.
	loc int32
}

func (e *constExpr) typ() types.T                                      { return e.t }
func (e *constExpr) eval(*evalCtx, []types.Value) (types.Value, error) { return e.v, nil }
func (e *constExpr) String() string {
	if e.v.IsNull() {
		return "NULL::" + e.t.TypName()
	}
	return fmt.Sprintf("'%s'::%s", e.v.String(), e.t.TypName())
}

// colRef reads one column of the row.
type colRef struct {
	idx  int
	t    types.T
	name string
	loc  int32 // where the statement names the column, for errors
}

func (e *colRef) typ() types.T { return e.t }
func (e *colRef) eval(_ *evalCtx, row []types.Value) (types.Value, error) {
	return row[e.idx], nil
}
func (e *colRef) String() string { return fmt.Sprintf("%s#%d", e.name, e.idx) }

// paramRef reads parameter $n (1-based), already converted to its type.
type paramRef struct {
	n int
	t types.T
}

func (e *paramRef) typ() types.T { return e.t }
func (e *paramRef) eval(ev *evalCtx, _ []types.Value) (types.Value, error) {
	if ev == nil || e.n > len(ev.params) {
		return types.Null, sqlerr.New(sqlerr.UndefinedParameter, "there is no parameter $%d", e.n)
	}
	return ev.params[e.n-1], nil
}
func (e *paramRef) String() string { return fmt.Sprintf("$%d", e.n) }

// castExpr converts its argument to type t.
type castExpr struct {
	arg expr
	t   types.T
	ctx types.CastContext
}

func (e *castExpr) typ() types.T { return e.t }
func (e *castExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	v, err := e.arg.eval(ev, row)
	if err != nil {
		return types.Null, err
	}
	return types.CastEnv(ev.envOf(), v, e.t, e.ctx)
}
func (e *castExpr) String() string { return fmt.Sprintf("(%s)::%s", e.arg, e.t.TypName()) }

// arithExpr is + - * / % over two operands of kind t.Kind.
type arithExpr struct {
	op   byte
	l, r expr
	t    types.T
}

func (e *arithExpr) typ() types.T { return e.t }
func (e *arithExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	l, err := e.l.eval(ev, row)
	if err != nil || l.IsNull() {
		return types.Null, err
	}
	r, err := e.r.eval(ev, row)
	if err != nil || r.IsNull() {
		return types.Null, err
	}
	return types.Arith(e.op, l, r, e.t.Kind)
}
func (e *arithExpr) String() string { return fmt.Sprintf("(%s %c %s)", e.l, e.op, e.r) }

// negExpr is unary minus.
type negExpr struct{ arg expr }

func (e *negExpr) typ() types.T { return types.T{Kind: e.arg.typ().Kind, Mod: -1} }
func (e *negExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	v, err := e.arg.eval(ev, row)
	if err != nil {
		return types.Null, err
	}
	return types.Negate(v)
}
func (e *negExpr) String() string { return fmt.Sprintf("(-%s)", e.arg) }

// cmpOp is a comparison operator.
type cmpOp uint8

const (
	cmpEQ cmpOp = iota
	cmpNE
	cmpLT
	cmpLE
	cmpGT
	cmpGE
	cmpDistinct    // IS DISTINCT FROM
	cmpNotDistinct // IS NOT DISTINCT FROM
)

var cmpNames = [...]string{"=", "<>", "<", "<=", ">", ">=", "IS DISTINCT FROM", "IS NOT DISTINCT FROM"}

// cmpExpr compares two operands of comparable types.
type cmpExpr struct {
	op   cmpOp
	l, r expr
}

func (e *cmpExpr) typ() types.T { return types.TBool }
func (e *cmpExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	l, err := e.l.eval(ev, row)
	if err != nil {
		return types.Null, err
	}
	r, err := e.r.eval(ev, row)
	if err != nil {
		return types.Null, err
	}
	return compareOp(e.op, l, r), nil
}
func (e *cmpExpr) String() string { return fmt.Sprintf("(%s %s %s)", e.l, cmpNames[e.op], e.r) }

// concatExpr is text || text.
type concatExpr struct{ l, r expr }

func (e *concatExpr) typ() types.T { return types.TText }
func (e *concatExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	l, err := e.l.eval(ev, row)
	if err != nil || l.IsNull() {
		return types.Null, err
	}
	r, err := e.r.eval(ev, row)
	if err != nil || r.IsNull() {
		return types.Null, err
	}
	return types.ConcatEnv(ev.envOf(), l, r), nil
}
func (e *concatExpr) String() string { return fmt.Sprintf("(%s || %s)", e.l, e.r) }

// boolExpr is AND or OR with three-valued logic over any number of
// arguments.
type boolExpr struct {
	and  bool
	args []expr
}

func (e *boolExpr) typ() types.T { return types.TBool }
func (e *boolExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	sawNull := false
	for _, a := range e.args {
		v, err := a.eval(ev, row)
		if err != nil {
			return types.Null, err
		}
		switch {
		case v.IsNull():
			sawNull = true
		case v.Bool() != e.and:
			// false in AND, true in OR decides.
			return types.NewBool(!e.and), nil
		}
	}
	if sawNull {
		return types.Null, nil
	}
	return types.NewBool(e.and), nil
}
func (e *boolExpr) String() string {
	parts := make([]string, len(e.args))
	for i, a := range e.args {
		parts[i] = a.String()
	}
	op := " OR "
	if e.and {
		op = " AND "
	}
	return "(" + strings.Join(parts, op) + ")"
}

// notExpr is NOT.
type notExpr struct{ arg expr }

func (e *notExpr) typ() types.T { return types.TBool }
func (e *notExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	v, err := e.arg.eval(ev, row)
	if err != nil || v.IsNull() {
		return types.Null, err
	}
	return types.NewBool(!v.Bool()), nil
}
func (e *notExpr) String() string { return fmt.Sprintf("(NOT %s)", e.arg) }

// isNullExpr is IS [NOT] NULL.
type isNullExpr struct {
	arg expr
	not bool
}

func (e *isNullExpr) typ() types.T { return types.TBool }
func (e *isNullExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	v, err := e.arg.eval(ev, row)
	if err != nil {
		return types.Null, err
	}
	return types.NewBool(v.IsNull() != e.not), nil
}
func (e *isNullExpr) String() string {
	if e.not {
		return fmt.Sprintf("(%s IS NOT NULL)", e.arg)
	}
	return fmt.Sprintf("(%s IS NULL)", e.arg)
}

// boolTestExpr is IS [NOT] TRUE / FALSE / UNKNOWN.
type boolTestExpr struct {
	arg  expr
	want int // 1 true, 0 false, -1 unknown
	not  bool
	name string
}

func (e *boolTestExpr) typ() types.T { return types.TBool }
func (e *boolTestExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	v, err := e.arg.eval(ev, row)
	if err != nil {
		return types.Null, err
	}
	got := -1
	if !v.IsNull() {
		got = 0
		if v.Bool() {
			got = 1
		}
	}
	return types.NewBool((got == e.want) != e.not), nil
}
func (e *boolTestExpr) String() string { return fmt.Sprintf("(%s %s)", e.arg, e.name) }

// caseExpr is a searched CASE (a simple CASE is bound into one).
type caseExpr struct {
	whens []expr
	thens []expr
	els   expr
	t     types.T
}

func (e *caseExpr) typ() types.T { return e.t }
func (e *caseExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	for i, w := range e.whens {
		c, err := w.eval(ev, row)
		if err != nil {
			return types.Null, err
		}
		if !c.IsNull() && c.Bool() {
			return e.thens[i].eval(ev, row)
		}
	}
	if e.els == nil {
		return types.Null, nil
	}
	return e.els.eval(ev, row)
}
func (e *caseExpr) String() string {
	var sb strings.Builder
	sb.WriteString("CASE")
	for i := range e.whens {
		fmt.Fprintf(&sb, " WHEN %s THEN %s", e.whens[i], e.thens[i])
	}
	if e.els != nil {
		fmt.Fprintf(&sb, " ELSE %s", e.els)
	}
	sb.WriteString(" END")
	return sb.String()
}

// coalesceExpr returns its first non-NULL argument.
type coalesceExpr struct {
	args []expr
	t    types.T
}

func (e *coalesceExpr) typ() types.T { return e.t }
func (e *coalesceExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	for _, a := range e.args {
		v, err := a.eval(ev, row)
		if err != nil {
			return types.Null, err
		}
		if !v.IsNull() {
			return v, nil
		}
	}
	return types.Null, nil
}
func (e *coalesceExpr) String() string {
	parts := make([]string, len(e.args))
	for i, a := range e.args {
		parts[i] = a.String()
	}
	return "COALESCE(" + strings.Join(parts, ", ") + ")"
}

// nullifExpr is NULLIF(a, b).
type nullifExpr struct {
	a, b expr
}

func (e *nullifExpr) typ() types.T { return e.a.typ() }
func (e *nullifExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	// Both arguments are evaluated, as in PostgreSQL (an error in the
	// second one shows even when the first is NULL).
	a, err := e.a.eval(ev, row)
	if err != nil {
		return types.Null, err
	}
	b, err := e.b.eval(ev, row)
	if err != nil || a.IsNull() {
		return a, err
	}
	if !b.IsNull() && types.Compare(a, b) == 0 {
		return types.Null, nil
	}
	return a, nil
}
func (e *nullifExpr) String() string { return fmt.Sprintf("NULLIF(%s, %s)", e.a, e.b) }

// inListExpr is x IN (list) with SQL's NULL rules.
type inListExpr struct {
	arg  expr
	list []expr
	not  bool
}

func (e *inListExpr) typ() types.T { return types.TBool }
func (e *inListExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	v, err := e.arg.eval(ev, row)
	if err != nil || v.IsNull() {
		return types.Null, err
	}
	sawNull := false
	for _, it := range e.list {
		w, err := it.eval(ev, row)
		if err != nil {
			return types.Null, err
		}
		if w.IsNull() {
			sawNull = true
			continue
		}
		if types.Compare(v, w) == 0 {
			return types.NewBool(!e.not), nil
		}
	}
	if sawNull {
		return types.Null, nil
	}
	return types.NewBool(e.not), nil
}
func (e *inListExpr) String() string {
	parts := make([]string, len(e.list))
	for i, a := range e.list {
		parts[i] = a.String()
	}
	op := "IN"
	if e.not {
		op = "NOT IN"
	}
	return fmt.Sprintf("(%s %s (%s))", e.arg, op, strings.Join(parts, ", "))
}

// funcExpr is a call of a scalar built-in function.
type funcExpr struct {
	name string
	args []expr
	t    types.T
	fn   func(args []types.Value) (types.Value, error)
	// evfn, when set, is used instead of fn: it sees the session's
	// settings (time zone, statement time).
	evfn func(ev *evalCtx, args []types.Value) (types.Value, error)
	// strict functions return NULL when any argument is NULL.
	strict bool
	// volatile functions (now()) are not evaluated at bind time.
	volatile bool
}

func (e *funcExpr) typ() types.T { return e.t }
func (e *funcExpr) eval(ev *evalCtx, row []types.Value) (types.Value, error) {
	vals := make([]types.Value, len(e.args))
	for i, a := range e.args {
		v, err := a.eval(ev, row)
		if err != nil {
			return types.Null, err
		}
		if v.IsNull() && e.strict {
			return types.Null, nil
		}
		vals[i] = v
	}
	if e.evfn != nil {
		return e.evfn(ev, vals)
	}
	return e.fn(vals)
}
func (e *funcExpr) String() string {
	parts := make([]string, len(e.args))
	for i, a := range e.args {
		parts[i] = a.String()
	}
	return e.name + "(" + strings.Join(parts, ", ") + ")"
}

// aggRef stands for the result of aggregate number idx while a statement
// with aggregates is being bound; rewriteAgg replaces it by a colRef into
// the grouped row.
type aggRef struct {
	idx int
	t   types.T
}

func (e *aggRef) typ() types.T { return e.t }
func (e *aggRef) eval(*evalCtx, []types.Value) (types.Value, error) {
	return types.Null, fmt.Errorf("aggregate %d evaluated outside its group", e.idx)
}
func (e *aggRef) String() string { return fmt.Sprintf("agg#%d", e.idx) }

// isConst reports whether e reads no column (constants, parameters and
// expressions over them), so it can be evaluated before a scan.
func isConst(e expr) bool {
	switch x := e.(type) {
	case *constExpr, *paramRef:
		return true
	case *castExpr:
		return isConst(x.arg)
	case *negExpr:
		return isConst(x.arg)
	case *arithExpr:
		return isConst(x.l) && isConst(x.r)
	case *concatExpr:
		return isConst(x.l) && isConst(x.r)
	}
	return false
}
