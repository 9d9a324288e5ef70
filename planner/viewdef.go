package planner

// pg_get_viewdef's pretty layout for views, as psql's \d+ prints it:
//
//	 SELECT items.id,
//	    items.name
//	   FROM items
//	  WHERE items.price < 10::numeric;
//
// The view's query is bound (for column qualification, implicit casts and
// constant types) and printed back the way PostgreSQL's rule deparser
// prints simple queries: one table (or none) in FROM, a select list,
// WHERE, GROUP BY, HAVING, ORDER BY, OFFSET and LIMIT, over columns,
// constants, casts, arithmetic, comparisons, AND/OR/NOT, IS [NOT] NULL,
// LIKE, || and function and aggregate calls. Other queries keep their
// stored text.

import (
	"strconv"
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// viewDefinitions returns the texts pg_get_viewdef shows for v, without
// and with its pretty flag: the deparsed query when its shape allows it,
// else the stored text.
func (b *binder) viewDefinitions(v *sqlrows.ViewDesc, r layers.Reader) (plain, pretty string) {
	plain, ok1 := b.deparseView(v, r, false)
	pretty, ok2 := b.deparseView(v, r, true)
	if !ok1 || !ok2 {
		return v.SQL, v.SQL
	}
	return plain, pretty
}

// deparseView deparses v's query, fully parenthesized unless pretty; ok
// is false for shapes it does not handle.
func (b *binder) deparseView(v *sqlrows.ViewDesc, r layers.Reader, pretty bool) (out string, ok bool) {
	defer func() {
		if recover() != nil {
			out, ok = "", false
		}
	}()
	stmts, err := parse(v.SQL)
	if err != nil || len(stmts) != 1 || b.viewDepth > 32 {
		return "", false
	}
	sel := stmts[0].node.GetSelectStmt()
	switch {
	case sel == nil, sel.Op != pg_query.SetOperation_SETOP_NONE, len(sel.ValuesLists) > 0, sel.WithClause != nil,
		len(sel.WindowClause) > 0, len(sel.LockingClause) > 0, sel.IntoClause != nil,
		sel.LimitOption == pg_query.LimitOption_LIMIT_OPTION_WITH_TIES:
		return "", false
	case len(sel.DistinctClause) > 0 && !(len(sel.DistinctClause) == 1 && sel.DistinctClause[0].Node == nil):
		return "", false
	}
	vb := &binder{eng: b.eng, sql: v.SQL, ident: b.ident, r: r, viewDepth: b.viewDepth + 1}
	vb.sc = &scope{}
	p := &vdPrinter{b: vb, plain: !pretty}
	from := ""
	if len(sel.FromClause) > 0 {
		if _, _, err := vb.bindFrom(sel.FromClause, r); err != nil {
			return "", false
		}
		items := make([]string, len(sel.FromClause))
		for i, n := range sel.FromClause {
			if items[i], ok = p.fromItem(n); !ok {
				return "", false
			}
		}
		from = strings.Join(items, ",\n    ")
	}
	vb.aggAllowed = true
	var sb strings.Builder
	sb.WriteString(" SELECT ")
	if len(sel.DistinctClause) > 0 {
		sb.WriteString("DISTINCT ")
	}
	col := 0
	for i, t := range sel.TargetList {
		rt := t.GetResTarget()
		if rt == nil {
			return "", false
		}
		var es []expr
		var names []string
		if cr := rt.Val.GetColumnRef(); cr != nil && isStar(cr) {
			if es, names, err = vb.expandStar(cr); err != nil {
				return "", false
			}
		} else {
			e, err := vb.bindExpr(rt.Val)
			if err != nil {
				return "", false
			}
			name := rt.Name
			if name == "" {
				name = figureColname(rt.Val)
			}
			es, names = []expr{e}, []string{name}
		}
		for j, e := range es {
			if e.typ().Kind == types.Unknown {
				if e, err = vb.coerce(e, types.TText, types.CastImplicit); err != nil {
					return "", false
				}
			}
			text, ok := p.expr(e, 0)
			if !ok {
				return "", false
			}
			name := names[j]
			if col < len(v.Columns) {
				name = v.Columns[col]
			}
			if c, isCol := e.(*colRef); !isCol || c.name[strings.LastIndexByte(c.name, '.')+1:] != name {
				text += " AS " + quoteLabel(name)
			}
			if i > 0 || j > 0 {
				sb.WriteString(",\n    ")
			}
			sb.WriteString(text)
			col++
		}
	}
	if from != "" {
		sb.WriteString("\n   FROM " + from)
	}
	clause := func(kw string, n *pg_query.Node) bool {
		if n == nil {
			return true
		}
		e, err := vb.bindExpr(n)
		if err != nil {
			return false
		}
		text, ok := p.expr(e, 0)
		if !ok {
			return false
		}
		sb.WriteString(kw + text)
		return true
	}
	vb.aggAllowed = false
	if !clause("\n  WHERE ", sel.WhereClause) {
		return "", false
	}
	vb.aggAllowed = true
	if len(sel.GroupClause) > 0 {
		var parts []string
		for _, g := range sel.GroupClause {
			e, err := vb.bindExpr(g)
			if err != nil || isConst(e) {
				return "", false
			}
			text, ok := p.expr(e, 0)
			if !ok {
				return "", false
			}
			parts = append(parts, text)
		}
		sb.WriteString("\n  GROUP BY " + strings.Join(parts, ", "))
	}
	if !clause("\n HAVING ", sel.HavingClause) {
		return "", false
	}
	if len(sel.SortClause) > 0 {
		var parts []string
		for _, n := range sel.SortClause {
			sbn := n.GetSortBy()
			if sbn == nil || len(sbn.UseOp) > 0 {
				return "", false
			}
			if c := sbn.Node.GetAConst(); c != nil {
				return "", false // ORDER BY position
			}
			e, err := vb.bindExpr(sbn.Node)
			if err != nil {
				return "", false
			}
			text, ok := p.expr(e, 0)
			if !ok {
				return "", false
			}
			desc := sbn.SortbyDir == pg_query.SortByDir_SORTBY_DESC
			if desc {
				text += " DESC"
			}
			switch sbn.SortbyNulls {
			case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
				if !desc {
					text += " NULLS FIRST"
				}
			case pg_query.SortByNulls_SORTBY_NULLS_LAST:
				if desc {
					text += " NULLS LAST"
				}
			}
			parts = append(parts, text)
		}
		sb.WriteString("\n  ORDER BY " + strings.Join(parts, ", "))
	}
	vb.aggAllowed = false
	if !clause("\n OFFSET ", sel.LimitOffset) || !clause("\n LIMIT ", sel.LimitCount) {
		return "", false
	}
	sb.WriteString(";")
	return sb.String(), true
}

// fromItem prints a FROM item: a table with its alias, or a join tree of
// them with ON or CROSS joins (nested joins parenthesized when plain).
func (p *vdPrinter) fromItem(n *pg_query.Node) (string, bool) {
	if rv := n.GetRangeVar(); rv != nil {
		if rv.Schemaname != "" || rv.Alias != nil && len(rv.Alias.Colnames) > 0 {
			return "", false
		}
		if rv.Alias != nil && rv.Alias.Aliasname != "" {
			return rv.Relname + " " + rv.Alias.Aliasname, true
		}
		return rv.Relname, true
	}
	j := n.GetJoinExpr()
	if j == nil || j.IsNatural || len(j.UsingClause) > 0 || j.Alias != nil || j.JoinUsingAlias != nil || j.Rarg.GetRangeVar() == nil {
		return "", false
	}
	left, ok := p.fromItem(j.Larg)
	if !ok {
		return "", false
	}
	right, _ := p.fromItem(j.Rarg)
	if right == "" {
		return "", false
	}
	var kw string
	switch j.Jointype {
	case pg_query.JoinType_JOIN_INNER:
		kw = "JOIN"
		if j.Quals == nil {
			kw = "CROSS JOIN"
		}
	case pg_query.JoinType_JOIN_LEFT:
		kw = "LEFT JOIN"
	case pg_query.JoinType_JOIN_RIGHT:
		kw = "RIGHT JOIN"
	case pg_query.JoinType_JOIN_FULL:
		kw = "FULL JOIN"
	default:
		return "", false
	}
	text := left + "\n     " + kw + " " + right
	if j.Quals != nil {
		e, err := p.b.bindExpr(j.Quals)
		if err != nil {
			return "", false
		}
		q, ok := p.expr(e, 0)
		if !ok {
			return "", false
		}
		if p.plain {
			q = "(" + q + ")"
		}
		text += " ON " + q
	}
	if p.plain {
		text = "(" + text + ")"
	}
	return text, true
}

// vdPrinter prints bound expressions as PostgreSQL's deparser: in pretty
// mode with only the parentheses precedence needs, else (plain) with
// every operator expression and cast argument parenthesized.
type vdPrinter struct {
	b     *binder
	plain bool
}

// Precedence levels, loosest first.
const (
	precOr = iota + 1
	precAnd
	precNot
	precIs
	precCmp
	precOp
	precAdd
	precMul
	precUnary
	precAtom
)

// expr prints e; ctx is the precedence of the enclosing operator (0 at the
// top), and the result is parenthesized when e binds more loosely.
func (p *vdPrinter) expr(e expr, ctx int) (string, bool) {
	text, prec, ok := p.node(e)
	if !ok {
		return "", false
	}
	if prec < ctx || p.plain && prec < precAtom {
		text = "(" + text + ")"
	}
	return text, true
}

// castArg prints the argument of a cast: parenthesized unless an atom,
// always in plain mode.
func (p *vdPrinter) castArg(e expr) (string, bool) {
	text, prec, ok := p.node(e)
	if !ok {
		return "", false
	}
	if p.plain || prec < precAtom {
		text = "(" + text + ")"
	}
	return text, true
}

func (p *vdPrinter) node(e expr) (string, int, bool) {
	switch x := e.(type) {
	case *colRef:
		return x.name, precAtom, true
	case *constExpr:
		return constText(x.v, x.t, p.plain), precAtom, true
	case *castExpr:
		if x.ctx == types.CastImplicit && x.arg.typ().Kind == x.t.Kind {
			return p.node(x.arg) // a type modifier dropped
		}
		arg, ok := p.castArg(x.arg)
		if !ok {
			return "", 0, false
		}
		return arg + "::" + x.t.String(), precAtom, true
	case *negExpr:
		arg, ok := p.expr(x.arg, precUnary)
		return "- " + arg, precUnary, ok
	case *arithExpr:
		prec := precAdd
		if x.op == '*' || x.op == '/' || x.op == '%' {
			prec = precMul
		}
		l, ok1 := p.operand(x.l, x.r, prec)
		r, ok2 := p.operand(x.r, x.l, prec+1)
		return l + " " + string(x.op) + " " + r, prec, ok1 && ok2
	case *concatExpr:
		l, ok1 := p.operand(x.l, x.r, precOp)
		r, ok2 := p.operand(x.r, x.l, precOp+1)
		return l + " || " + r, precOp, ok1 && ok2
	case *cmpExpr:
		ops := map[cmpOp]string{cmpEQ: "=", cmpNE: "<>", cmpLT: "<", cmpLE: "<=", cmpGT: ">", cmpGE: ">="}
		op, known := ops[x.op]
		if !known {
			return "", 0, false
		}
		l, ok1 := p.operand(x.l, x.r, precCmp+1)
		r, ok2 := p.operand(x.r, x.l, precCmp+1)
		return l + " " + op + " " + r, precCmp, ok1 && ok2
	case *boolExpr:
		prec, kw := precOr, " OR "
		if x.and {
			prec, kw = precAnd, " AND "
		}
		parts := make([]string, len(x.args))
		for i, a := range x.args {
			s, ok := p.expr(a, prec+1)
			if !ok {
				return "", 0, false
			}
			parts[i] = s
		}
		return strings.Join(parts, kw), prec, true
	case *notExpr:
		arg, ok := p.expr(x.arg, precNot+1)
		return "NOT " + arg, precNot, ok
	case *isNullExpr:
		arg, ok := p.expr(x.arg, precIs+1)
		if x.not {
			return arg + " IS NOT NULL", precIs, ok
		}
		return arg + " IS NULL", precIs, ok
	case *funcExpr:
		if op := likeOperators[x.name]; op != "" && len(x.args) == 2 {
			l, ok1 := p.operand(x.args[0], x.args[1], precCmp+1)
			r, ok2 := p.operand(x.args[1], x.args[0], precCmp+1)
			return l + " " + op + " " + r, precCmp, ok1 && ok2
		}
		if !isPlainFuncName(x.name) {
			return "", 0, false
		}
		parts := make([]string, len(x.args))
		for i, a := range x.args {
			s, ok := p.textArg(a, x.t)
			if !ok {
				return "", 0, false
			}
			parts[i] = s
		}
		return x.name + "(" + strings.Join(parts, ", ") + ")", precAtom, true
	case *aggRef:
		if x.idx < 0 || x.idx >= len(p.b.aggs) {
			return "", 0, false
		}
		a := p.b.aggs[x.idx]
		if a.ext != nil || a.filter != nil {
			return "", 0, false
		}
		if a.arg == nil {
			return a.name + "(*)", precAtom, true
		}
		arg, ok := p.expr(a.arg, 0)
		if a.distinct {
			arg = "DISTINCT " + arg
		}
		return a.name + "(" + arg + ")", precAtom, ok
	}
	return "", 0, false
}

// operand prints one side of a binary operator: a character varying
// column meeting text is shown cast to text, and an integer constant
// meeting another integer type keeps its literal form (PostgreSQL has
// cross-type integer operators where Aspen casts the constant).
func (p *vdPrinter) operand(e, other expr, ctx int) (string, bool) {
	e, other = stripIntWidening(e), stripIntWidening(other)
	et, ot := e.typ(), other.typ()
	if c, ok := e.(*constExpr); ok && !c.v.IsNull() && (et.Kind == types.Int8 || et.Kind == types.Int2) && ot.Kind == et.Kind {
		if n := c.v.Int(); n >= -1<<31 && n < 1<<31 {
			return constText(types.NewInt(types.Int4, n), types.TInt4, p.plain), true
		}
	}
	if et.Kind == types.Varchar && (ot.Kind == types.Text || ot.Kind == types.Varchar) {
		// PostgreSQL compares and concatenates character varying as text.
		if c, ok := e.(*constExpr); ok {
			return constText(c.v, types.TText, p.plain), true
		}
		s, ok := p.castArg(e)
		return s + "::text", ok
	}
	return p.expr(e, ctx)
}

// stripIntWidening removes an implicit cast between integer types, which
// PostgreSQL's cross-type integer operators make unnecessary.
func stripIntWidening(e expr) expr {
	if c, ok := e.(*castExpr); ok && c.ctx == types.CastImplicit && c.t.Kind.IsInteger() && c.arg.typ().Kind.IsInteger() {
		return c.arg
	}
	return e
}

// textArg prints a function argument, a character varying one cast to
// text as PostgreSQL's text functions take it.
func (p *vdPrinter) textArg(e expr, _ types.T) (string, bool) {
	if k := e.typ().Kind; k == types.Varchar || k == types.BPChar {
		s, ok := p.castArg(e)
		return s + "::text", ok
	}
	return p.expr(e, 0)
}

// isPlainFuncName reports whether a funcExpr's name is a real function
// name (internal nodes such as subscripts are named otherwise).
func isPlainFuncName(name string) bool {
	if name == "" || name == "subscript" || name == "fieldselect" || likeOperators[name] != "" {
		return false
	}
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// constText prints a constant as PostgreSQL's deparser does: integers and
// numbers bare (a number without a decimal point labelled ::numeric, in
// parentheses when plain), negative ones and everything else quoted and
// labelled with the type.
func constText(v types.Value, t types.T, plain bool) string {
	if v.IsNull() {
		return "NULL::" + t.String()
	}
	text := string(v.AppendTextEnv(nil, nil))
	labelled := func() string {
		if plain {
			return "(" + text + ")::" + t.String()
		}
		return text + "::" + t.String()
	}
	switch t.Kind {
	case types.Int4:
		if !strings.HasPrefix(text, "-") {
			return text
		}
	case types.Numeric:
		if text != "" && text[0] >= '0' && text[0] <= '9' && strings.Trim(text, "0123456789.") == "" {
			if strings.Contains(text, ".") {
				return text
			}
			return labelled()
		}
	case types.Int2, types.Int8, types.Float4, types.Float8:
		if text != "" && text[0] >= '0' && text[0] <= '9' {
			return labelled()
		}
	case types.Bool:
		return strconv.FormatBool(v.Bool())
	}
	return "'" + strings.ReplaceAll(text, "'", "''") + "'::" + t.String()
}

// quoteLabel quotes a column label that is not a plain lower-case
// identifier or is a reserved word.
func quoteLabel(s string) string {
	if isReservedWord(s) {
		return `"` + s + `"`
	}
	return quoteIdentIfNeeded(s)
}

// isReservedWord reports the keywords PostgreSQL quotes as column labels.
func isReservedWord(s string) bool {
	switch s {
	case "all", "and", "any", "array", "as", "asc", "case", "cast", "check", "column", "constraint", "create",
		"default", "desc", "distinct", "do", "else", "end", "false", "for", "foreign", "from", "grant", "group",
		"having", "in", "into", "limit", "not", "null", "offset", "on", "only", "or", "order", "primary",
		"references", "select", "table", "then", "to", "true", "union", "unique", "user", "using", "when", "where", "with":
		return true
	}
	return false
}

// likeFuncNames name the functions bindLike makes for each LIKE operator;
// likeOperators maps them back.
var (
	likeFuncNames = map[string]string{"~~": "like", "!~~": "notlike", "~~*": "ilike", "!~~*": "notilike"}
	likeOperators = map[string]string{"like": "~~", "notlike": "!~~", "ilike": "~~*", "notilike": "!~~*"}
)
