package planner

// Binding of sequences: CREATE/ALTER/DROP SEQUENCE and their options,
// SERIAL and IDENTITY columns of CREATE TABLE, OVERRIDING in INSERT,
// nextval/currval/setval/lastval, and a sequence named in FROM. The
// session half is in sequence.go.

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// seqOpts are the options of CREATE/ALTER SEQUENCE or of an identity
// column, as written (nil: not given).
type seqOpts struct {
	typ        uint32 // AS type; 0 when not given
	inc        *int64
	cycle      *bool
	maxSet     bool
	max        *int64 // nil with maxSet: NO MAXVALUE
	minSet     bool
	min        *int64
	start      *int64
	restartSet bool
	restart    *int64 // nil with restartSet: RESTART (to the start)
	cache      *int64
	ownedSet   bool
	owned      []string // nil with ownedSet: OWNED BY NONE
	name       string   // SEQUENCE NAME (identity columns)
}

// seqStmt is CREATE, ALTER or DROP SEQUENCE.
type seqStmt struct {
	kind        string // "CREATE", "ALTER", "DROP"
	names       []string
	ifNotExists bool // CREATE ... IF NOT EXISTS
	missingOk   bool // ALTER/DROP ... IF EXISTS
	cascade     bool
	opts        seqOpts
}

// seqStmtOf recognizes the sequence statements; nil for others.
func seqStmtOf(e *Engine, st *parsedStmt) (*seqStmt, error) {
	if st.node == nil {
		return nil, nil
	}
	b := &binder{eng: e, sql: st.sql}
	switch x := st.node.Node.(type) {
	case *pg_query.Node_CreateSeqStmt:
		s := x.CreateSeqStmt
		name, err := b.seqRangeVar(s.Sequence)
		if err != nil {
			return nil, err
		}
		spec := &seqStmt{kind: "CREATE", names: []string{name}, ifNotExists: s.IfNotExists}
		if err := b.seqOptions(s.Options, &spec.opts); err != nil {
			return nil, err
		}
		return spec, nil
	case *pg_query.Node_AlterSeqStmt:
		s := x.AlterSeqStmt
		name, err := b.seqRangeVar(s.Sequence)
		if err != nil {
			return nil, err
		}
		spec := &seqStmt{kind: "ALTER", names: []string{name}, missingOk: s.MissingOk}
		if err := b.seqOptions(s.Options, &spec.opts); err != nil {
			return nil, err
		}
		return spec, nil
	case *pg_query.Node_DropStmt:
		s := x.DropStmt
		if s.RemoveType != pg_query.ObjectType_OBJECT_SEQUENCE {
			return nil, nil
		}
		spec := &seqStmt{kind: "DROP", missingOk: s.MissingOk, cascade: s.Behavior == pg_query.DropBehavior_DROP_CASCADE}
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
			spec.names = append(spec.names, parts[0])
		}
		return spec, nil
	}
	return nil, nil
}

// isSeqStmt reports whether st is CREATE, ALTER or DROP SEQUENCE.
func isSeqStmt(st *parsedStmt) bool {
	if st.node == nil {
		return false
	}
	switch x := st.node.Node.(type) {
	case *pg_query.Node_CreateSeqStmt, *pg_query.Node_AlterSeqStmt:
		return true
	case *pg_query.Node_DropStmt:
		return x.DropStmt.RemoveType == pg_query.ObjectType_OBJECT_SEQUENCE
	}
	return false
}

// discardSequences runs the sequence half of DISCARD SEQUENCES and
// DISCARD ALL (outside a transaction block): the session forgets its
// cached values, currval and lastval.
func (s *Session) discardSequences(st *parsedStmt) {
	if st.node == nil {
		return
	}
	if d := st.node.GetDiscardStmt(); d != nil {
		if d.Target == pg_query.DiscardMode_DISCARD_SEQUENCES || d.Target == pg_query.DiscardMode_DISCARD_ALL && !s.explicit {
			s.seq = seqSession{}
		}
	}
}

// seqRangeVar checks a sequence's name: public schema, not temporary.
func (b *binder) seqRangeVar(rv *pg_query.RangeVar) (string, error) {
	if rv == nil {
		return "", sqlerr.Syntax("missing sequence name")
	}
	switch {
	case rv.Schemaname != "" && rv.Schemaname != "public":
		return "", sqlerr.New("3F000", "schema %q does not exist", rv.Schemaname)
	case rv.Relpersistence == "t":
		return "", b.errAt(sqlerr.Unsupported("temporary sequences are not supported yet"), rv.Location)
	}
	return rv.Relname, nil
}

// seqOptions reads sequence options (DefElems) into o.
func (b *binder) seqOptions(opts []*pg_query.Node, o *seqOpts) error {
	seen := map[string]bool{}
	for _, n := range opts {
		d := n.GetDefElem()
		if d == nil {
			return sqlerr.Syntax("malformed sequence option")
		}
		if seen[d.Defname] {
			return b.errAt(sqlerr.New(sqlerr.SyntaxError, "conflicting or redundant options"), d.Location)
		}
		seen[d.Defname] = true
		num := func() (*int64, error) {
			if d.Arg == nil {
				return nil, nil
			}
			v, err := defInt64(d)
			if err != nil {
				return nil, err
			}
			return &v, nil
		}
		var err error
		switch d.Defname {
		case "as":
			tn := d.Arg.GetTypeName()
			if tn == nil {
				return sqlerr.Syntax("malformed AS option")
			}
			t, err := b.resolveType(tn)
			if err != nil {
				return err
			}
			switch t.Kind {
			case types.Int2, types.Int4, types.Int8:
				if len(tn.ArrayBounds) == 0 {
					o.typ = t.OID()
					continue
				}
			}
			return sqlerr.New(sqlerr.InvalidParameterValue, "sequence type must be smallint, integer, or bigint")
		case "increment":
			o.inc, err = num()
			if err == nil && o.inc == nil {
				err = sqlerr.New(sqlerr.SyntaxError, "increment requires a numeric value")
			}
		case "cycle":
			v := true
			if bv := d.Arg.GetBoolean(); bv != nil {
				v = bv.Boolval
			} else if iv := d.Arg.GetInteger(); iv != nil {
				v = iv.Ival != 0
			}
			o.cycle = &v
		case "maxvalue":
			o.maxSet = true
			o.max, err = num()
		case "minvalue":
			o.minSet = true
			o.min, err = num()
		case "start":
			o.start, err = num()
			if err == nil && o.start == nil {
				err = sqlerr.New(sqlerr.SyntaxError, "start requires a numeric value")
			}
		case "restart":
			o.restartSet = true
			o.restart, err = num()
		case "cache":
			o.cache, err = num()
			if err == nil && o.cache == nil {
				err = sqlerr.New(sqlerr.SyntaxError, "cache requires a numeric value")
			}
		case "owned_by":
			o.ownedSet = true
			l := d.Arg.GetList()
			var parts []string
			if l != nil {
				for _, it := range l.Items {
					parts = append(parts, it.GetString_().GetSval())
				}
			}
			if len(parts) == 1 && strings.EqualFold(parts[0], "none") {
				o.owned = nil
				continue
			}
			if len(parts) == 3 && parts[0] == "public" {
				parts = parts[1:]
			}
			if len(parts) < 2 {
				return sqlerr.New(sqlerr.SyntaxError, "invalid OWNED BY option").
					WithHint("Specify OWNED BY table.column or OWNED BY NONE.")
			}
			o.owned = parts
		case "sequence_name":
			l := d.Arg.GetList()
			if l == nil || len(l.Items) == 0 {
				return sqlerr.Syntax("malformed SEQUENCE NAME option")
			}
			parts := []string{}
			for _, it := range l.Items {
				parts = append(parts, it.GetString_().GetSval())
			}
			o.name = parts[len(parts)-1]
		default:
			return b.errAt(sqlerr.New(sqlerr.SyntaxError, "option %q not recognized", d.Defname), d.Location)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// defInt64 reads a DefElem's numeric argument as PostgreSQL's
// defGetInt64 does.
func defInt64(d *pg_query.DefElem) (int64, error) {
	switch a := d.Arg.Node.(type) {
	case *pg_query.Node_Integer:
		return int64(a.Integer.Ival), nil
	case *pg_query.Node_Float:
		v, err := strconv.ParseInt(a.Float.Fval, 10, 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				return 0, sqlerr.New(sqlerr.NumericValueOutOfRange, "value \"%s\" is out of range for type bigint", a.Float.Fval)
			}
			return 0, sqlerr.New(sqlerr.InvalidTextRepresentation, "invalid input syntax for type bigint: \"%s\"", a.Float.Fval)
		}
		return v, nil
	}
	return 0, sqlerr.New(sqlerr.SyntaxError, "%s requires a numeric value", d.Defname)
}

// seqTypeRange returns the range of a sequence type and its SQL name.
func seqTypeRange(oid uint32) (lo, hi int64, name string) {
	switch oid {
	case types.OIDInt2:
		return math.MinInt16, math.MaxInt16, "smallint"
	case types.OIDInt4:
		return math.MinInt32, math.MaxInt32, "integer"
	}
	return math.MinInt64, math.MaxInt64, "bigint"
}

// applySeqOpts applies options to a descriptor as PostgreSQL's
// init_params does (init: CREATE; otherwise ALTER). state is the current
// state (ALTER) or nil; the returned state is the one to write, nil when
// it does not change.
func applySeqOpts(d *sqlrows.SequenceDesc, o *seqOpts, init bool, state *sqlrows.SeqState) (*sqlrows.SeqState, error) {
	resetMax, resetMin := false, false
	if o.typ != 0 {
		if !init {
			lo, hi, _ := seqTypeRange(d.TypeOID)
			resetMax = d.Max == hi
			resetMin = d.Min == lo
		}
		d.TypeOID = o.typ
	} else if init {
		d.TypeOID = types.OIDInt8
	}
	if o.inc != nil {
		if *o.inc == 0 {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "INCREMENT must not be zero")
		}
		d.Increment = *o.inc
	} else if init {
		d.Increment = 1
	}
	if o.cycle != nil {
		d.Cycle = *o.cycle
	} else if init {
		d.Cycle = false
	}
	lo, hi, tname := seqTypeRange(d.TypeOID)
	if o.max != nil {
		d.Max = *o.max
	} else if init || o.maxSet || resetMax {
		if d.Increment > 0 || resetMax {
			d.Max = hi
		} else {
			d.Max = -1
		}
	}
	if d.Max < lo || d.Max > hi {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "MAXVALUE (%d) is out of range for sequence data type %s", d.Max, tname)
	}
	if o.min != nil {
		d.Min = *o.min
	} else if init || o.minSet || resetMin {
		if d.Increment < 0 || resetMin {
			d.Min = lo
		} else {
			d.Min = 1
		}
	}
	if d.Min < lo || d.Min > hi {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "MINVALUE (%d) is out of range for sequence data type %s", d.Min, tname)
	}
	if d.Min >= d.Max {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "MINVALUE (%d) must be less than MAXVALUE (%d)", d.Min, d.Max)
	}
	if o.start != nil {
		d.Start = *o.start
	} else if init {
		if d.Increment > 0 {
			d.Start = d.Min
		} else {
			d.Start = d.Max
		}
	}
	if d.Start < d.Min {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "START value (%d) cannot be less than MINVALUE (%d)", d.Start, d.Min)
	}
	if d.Start > d.Max {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "START value (%d) cannot be greater than MAXVALUE (%d)", d.Start, d.Max)
	}
	var out *sqlrows.SeqState
	cur := sqlrows.SeqState{Last: d.Start}
	if state != nil {
		cur = *state
	}
	switch {
	case o.restartSet:
		v := d.Start
		if o.restart != nil {
			v = *o.restart
		}
		cur = sqlrows.SeqState{Last: v}
		out = &cur
	case init:
		cur = sqlrows.SeqState{Last: d.Start}
	}
	if cur.Last < d.Min {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "RESTART value (%d) cannot be less than MINVALUE (%d)", cur.Last, d.Min)
	}
	if cur.Last > d.Max {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "RESTART value (%d) cannot be greater than MAXVALUE (%d)", cur.Last, d.Max)
	}
	if o.cache != nil {
		if *o.cache <= 0 {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "CACHE (%d) must be greater than zero", *o.cache)
		}
		d.Cache = *o.cache
	} else if init {
		d.Cache = 1
	}
	return out, nil
}

// serialTypes maps the SERIAL pseudo-types to their column types.
var serialTypes = map[string]types.T{
	"smallserial": {Kind: types.Int2, Mod: -1}, "serial2": {Kind: types.Int2, Mod: -1},
	"serial": types.TInt4, "serial4": types.TInt4,
	"bigserial": types.TInt8, "serial8": types.TInt8,
}

// ownedSeq is a sequence CREATE TABLE makes for a SERIAL or identity
// column.
type ownedSeq struct {
	col      int
	desc     sqlrows.SequenceDesc // options applied; Name empty: chosen
	identity byte                 // 'a', 'd', or 0 for SERIAL
}

// resolveColumnType resolves a CREATE TABLE column's type, SERIAL types
// included (serial is true for them).
func (b *binder) resolveColumnType(tn *pg_query.TypeName) (t types.T, serial bool, err error) {
	if tn != nil && len(tn.Names) >= 1 && len(tn.ArrayBounds) == 0 && len(tn.Typmods) == 0 {
		last := tn.Names[len(tn.Names)-1].GetString_().GetSval()
		first := tn.Names[0].GetString_().GetSval()
		if st, ok := serialTypes[last]; ok && (len(tn.Names) == 1 || len(tn.Names) == 2 && first == "pg_catalog") {
			return st, true, nil
		}
	}
	t, err = b.resolveType(tn)
	return t, false, err
}

// sequenceColumn completes a CREATE TABLE column that is SERIAL or an
// identity column: its sequence (recorded in p), NOT NULL and default.
// The default's text is filled in when the sequence is named, at
// execution.
func (b *binder) sequenceColumn(cd *pg_query.ColumnDef, serial bool, col *colInfo, p *createTablePlan) error {
	col.def = normalizeNextval(col.def)
	var ident *pg_query.Constraint
	hasDefault, hasNull := false, false
	both := func(c *pg_query.Constraint) error {
		return b.errAt(sqlerr.New(sqlerr.SyntaxError, "both default and identity specified for column %q of table %q", cd.Colname, p.name), c.Location)
	}
	for _, cn := range cd.Constraints {
		c := cn.GetConstraint()
		if c == nil {
			continue
		}
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_IDENTITY:
			if ident != nil {
				return b.errAt(sqlerr.New(sqlerr.SyntaxError, "multiple identity specifications for column %q of table %q", cd.Colname, p.name), c.Location)
			}
			if hasDefault {
				return both(c)
			}
			ident = c
		case pg_query.ConstrType_CONSTR_DEFAULT:
			if ident != nil {
				return both(c)
			}
			hasDefault = true
		case pg_query.ConstrType_CONSTR_NULL:
			hasNull = true
		}
	}
	if !serial && ident == nil {
		return nil
	}
	switch {
	case serial && hasDefault:
		return sqlerr.New(sqlerr.SyntaxError, "multiple default values specified for column %q of table %q", cd.Colname, p.name)
	case hasNull:
		return sqlerr.New(sqlerr.SyntaxError, "conflicting NULL/NOT NULL declarations for column %q of table %q", cd.Colname, p.name)
	case serial && ident != nil:
		return both(ident)
	}
	o := &seqOpts{typ: col.t.OID()}
	if ident != nil {
		switch col.t.Kind {
		case types.Int2, types.Int4, types.Int8:
		default:
			return sqlerr.New(sqlerr.InvalidParameterValue, "identity column type must be smallint, integer, or bigint")
		}
		if err := b.seqOptions(ident.Options, o); err != nil {
			return err
		}
		// OWNED BY is accepted and ignored: the column owns it.
		o.ownedSet, o.owned = false, nil
	}
	o.typ = col.t.OID()
	d := sqlrows.SequenceDesc{Name: o.name}
	if _, err := applySeqOpts(&d, o, true, nil); err != nil {
		return err
	}
	d.OwnerTable, d.OwnerColumn = p.name, cd.Colname
	s := ownedSeq{col: len(p.cols), desc: d}
	if ident != nil {
		s.identity = 'd'
		if ident.GeneratedWhen == "a" {
			s.identity = 'a'
		}
		d.Identity = true
		s.desc.Identity = true
	}
	col.notNull = true
	col.identity = s.identity
	p.seqs = append(p.seqs, s)
	return nil
}

// seqDefault is the default expression of a column that takes its values
// from the sequence named.
func seqDefault(name string) string {
	return "nextval(" + sqlLiteral(pgQuoteIdent(name)) + "::regclass)"
}

// normalizeNextval rewrites a default nextval('name') as PostgreSQL stores
// it, nextval('name'::regclass): the literal is a regclass constant.
func normalizeNextval(def string) string {
	const pre, suf = "nextval('", "')"
	if !strings.HasPrefix(def, pre) || !strings.HasSuffix(def, suf) {
		return def
	}
	lit := def[len(pre) : len(def)-len(suf)]
	if strings.Contains(strings.ReplaceAll(lit, "''", ""), "'") {
		return def
	}
	name, err := parseRelName(strings.ReplaceAll(lit, "''", "'"))
	if err != nil {
		return def
	}
	return seqDefault(name)
}

// sqlLiteral quotes a string as an SQL literal the way pg_get_expr
// prints one (standard_conforming_strings: backslashes as they are).
func sqlLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// applyOverriding enforces GENERATED ALWAYS identity columns and applies
// OVERRIDING USER VALUE to an INSERT's VALUES rows: a value other than
// DEFAULT for an ALWAYS column is 428C9 unless OVERRIDING SYSTEM VALUE;
// with OVERRIDING USER VALUE identity columns take their defaults.
func (b *binder) applyOverriding(s *pg_query.InsertStmt, ti *tableInfo, targets []int, rows []*pg_query.Node) error {
	for j, col := range targets {
		if col < 0 || col >= len(ti.cols) || ti.cols[col].identity == 0 {
			continue
		}
		for _, vl := range rows {
			l := vl.GetList()
			if l == nil || j >= len(l.Items) {
				continue
			}
			if _, isDef := l.Items[j].Node.(*pg_query.Node_SetToDefault); isDef {
				continue
			}
			if err := b.identityOverride(s, ti, col); err != nil {
				return err
			}
			if s.Override == pg_query.OverridingKind_OVERRIDING_USER_VALUE {
				l.Items[j] = &pg_query.Node{Node: &pg_query.Node_SetToDefault{SetToDefault: &pg_query.SetToDefault{Location: -1}}}
			}
		}
	}
	return nil
}

// identityOverride checks a value for an identity column: ok unless the
// column is GENERATED ALWAYS and the INSERT does not say OVERRIDING.
func (b *binder) identityOverride(s *pg_query.InsertStmt, ti *tableInfo, col int) error {
	if ti.cols[col].identity == 'a' && s.Override == pg_query.OverridingKind_OVERRIDING_NOT_SET {
		return sqlerr.New("428C9", "cannot insert a non-DEFAULT value into column %q", ti.cols[col].name).
			WithDetail("Column %q is an identity column defined as GENERATED ALWAYS.", ti.cols[col].name).
			WithHint("Use OVERRIDING SYSTEM VALUE to override.")
	}
	return nil
}

// identityUpdate refuses to UPDATE a GENERATED ALWAYS identity column to
// anything but DEFAULT.
func identityUpdate(c colInfo) error {
	if c.identity != 'a' {
		return generatedUpdateErr(c)
	}
	return sqlerr.New("428C9", "column %q can only be updated to DEFAULT", c.name).
		WithDetail("Column %q is an identity column defined as GENERATED ALWAYS.", c.name)
}

// overrideSelect applies identity rules to INSERT ... SELECT: casts holds
// the value of each target; with OVERRIDING USER VALUE an identity
// column's value is replaced by its default.
func (b *binder) overrideSelect(s *pg_query.InsertStmt, ti *tableInfo, targets []int, casts []expr, defaultOf func(int) (expr, error)) error {
	for j, col := range targets {
		if col < 0 || col >= len(ti.cols) || ti.cols[col].identity == 0 {
			continue
		}
		if err := b.identityOverride(s, ti, col); err != nil {
			return err
		}
		if s.Override == pg_query.OverridingKind_OVERRIDING_USER_VALUE {
			d, err := defaultOf(col)
			if err != nil {
				return err
			}
			casts[j] = d
		}
	}
	return nil
}

// errNoSession is the error of a sequence function evaluated where no
// session runs the statement (a bug: every statement's evalCtx has one).
var errNoSession = errors.New("sequence function evaluated outside a session")

// seqArg is how a sequence function names its sequence: a name known at
// bind time, or an expression (text: a name; integer: an OID).
type seqArg struct {
	name string
	e    expr
}

// sequenceFunc binds nextval, currval, setval and lastval; ok is false for
// other names.
func (b *binder) sequenceFunc(name string, args []expr) (e expr, ok bool, err error) {
	switch name {
	case "nextval", "currval", "setval", "lastval":
	default:
		return nil, false, nil
	}
	sig := argTypes(args)
	undefined := func() error {
		return sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", name, sig)
	}
	if name == "lastval" {
		if len(args) != 0 {
			return nil, true, undefined()
		}
		return &funcExpr{name: name, t: types.TInt8, volatile: true, evfn: func(ev *evalCtx, _ []types.Value) (types.Value, error) {
			if ev == nil || ev.sess == nil {
				return types.Null, errNoSession
			}
			return ev.sess.lastval(ev)
		}}, true, nil
	}
	if name == "setval" && len(args) != 2 && len(args) != 3 || name != "setval" && len(args) != 1 {
		return nil, true, undefined()
	}
	arg, err := b.seqNameArg(args[0])
	if errors.Is(err, errBadSeqArg) {
		return nil, true, undefined()
	}
	if err != nil {
		return nil, true, err
	}
	if arg.e == nil {
		// The name, for the expression's text (EXPLAIN, GROUP BY).
		args[0] = &constExpr{v: types.NewText(arg.name), t: types.TText, loc: -1}
	} else {
		args[0] = arg.e
	}
	const off = 1
	if name == "setval" {
		if args[off], err = b.coerce(args[off], types.TInt8, types.CastImplicit); err != nil {
			return nil, true, undefined()
		}
		if len(args) == off+2 {
			if args[off+1], err = b.coerce(args[off+1], types.TBool, types.CastImplicit); err != nil {
				return nil, true, undefined()
			}
		}
	}
	return &funcExpr{name: name, args: args, t: types.TInt8, volatile: true, strict: true,
		evfn: func(ev *evalCtx, v []types.Value) (types.Value, error) {
			if ev == nil || ev.sess == nil {
				return types.Null, errNoSession
			}
			seqName := arg.name
			if arg.e != nil {
				n, err := ev.seqNameOf(v[0])
				if err != nil {
					return types.Null, err
				}
				seqName = n
			}
			v = v[1:]
			switch name {
			case "nextval":
				return ev.sess.nextval(ev, seqName)
			case "currval":
				return ev.sess.currval(ev, seqName)
			}
			called := true
			if len(v) == 2 {
				called = v[1].Bool()
			}
			return ev.sess.setval(ev, seqName, v[0].Int(), called)
		}}, true, nil
}

// seqNameArg reads a sequence function's first argument: a literal (or
// 'name'::regclass) is a name known now; text or an OID is read when the
// function runs.
func (b *binder) seqNameArg(a expr) (seqArg, error) {
	if f, ok := a.(*funcExpr); ok && f.name == "regclassin" && len(f.args) == 1 {
		if c, ok := f.args[0].(*constExpr); ok && !c.v.IsNull() {
			return b.seqLiteral(c)
		}
	}
	if c, ok := a.(*constExpr); ok && !c.v.IsNull() && c.t.Kind == types.Regclass {
		// 'name'::regclass, already resolved: its output is the name.
		name, err := parseRelName(c.v.String())
		if err != nil {
			return seqArg{}, b.errAt(err, c.loc)
		}
		return seqArg{name: name}, nil
	}
	if c, ok := a.(*constExpr); ok && !c.v.IsNull() && (c.t.Kind == types.Unknown || c.t.Kind.IsString()) {
		if c.t.Kind == types.Unknown {
			return b.seqLiteral(c)
		}
	}
	k := a.typ().Kind
	switch {
	case k == types.Unknown:
		// NULL: the strict function returns NULL.
		e, err := b.coerce(a, types.TText, types.CastImplicit)
		return seqArg{e: e}, err
	case k == types.Int2 || k == types.Int4 || k == types.Int8:
		e, err := b.coerce(a, types.TInt8, types.CastImplicit)
		return seqArg{e: e}, err
	case k.IsString():
		e, err := b.coerce(a, types.TText, types.CastImplicit)
		return seqArg{e: e}, err
	case k == types.Regclass:
		// A computed regclass: its name, looked up when the call runs.
		e, err := b.coerce(a, types.TText, types.CastExplicit)
		return seqArg{e: e}, err
	}
	return seqArg{}, errBadSeqArg
}

// sequenceTargetErr is the error for INSERT, UPDATE, DELETE or TRUNCATE
// of a sequence (42809), nil when rv names no sequence.
func (b *binder) sequenceTargetErr(rv *pg_query.RangeVar, r layers.Reader, verb string) error {
	if _, err := b.eng.cat.Sequence(r, rv.Relname); err != nil {
		return nil
	}
	if verb == "truncate" {
		return sqlerr.New(sqlerr.WrongObjectType, "%q is not a table", rv.Relname)
	}
	return sqlerr.New(sqlerr.WrongObjectType, "cannot change sequence %q", rv.Relname)
}

// errBadSeqArg reports a sequence function argument of the wrong type.
var errBadSeqArg = errors.New("not a sequence argument")

// seqLiteral resolves a sequence name literal: its relation must exist
// (42P01 at the literal otherwise), checked when the binder has a
// reader.
func (b *binder) seqLiteral(c *constExpr) (seqArg, error) {
	name, err := parseRelName(c.v.Str())
	if err != nil {
		return seqArg{}, b.errAt(err, c.loc)
	}
	if b.r != nil {
		exists, err := b.eng.cat.RelationExists(b.r, name)
		if err != nil {
			return seqArg{}, err
		}
		if !exists {
			return seqArg{}, b.errAt(sqlerr.UndefinedTableErr(name), c.loc)
		}
	}
	return seqArg{name: name}, nil
}

// parseRelName reads a relation name as regclass input does: an
// identifier, case-folded unless quoted, optionally public-qualified.
func parseRelName(s string) (string, error) {
	s = strings.TrimSpace(s)
	var parts []string
	for len(s) > 0 {
		var part string
		if s[0] == '"' {
			end := -1
			var sb strings.Builder
			for i := 1; i < len(s); i++ {
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						sb.WriteByte('"')
						i++
						continue
					}
					end = i
					break
				}
				sb.WriteByte(s[i])
			}
			if end < 0 {
				return "", sqlerr.New("42602", "invalid name syntax")
			}
			part, s = sb.String(), s[end+1:]
		} else {
			i := strings.IndexByte(s, '.')
			if i < 0 {
				i = len(s)
			}
			part, s = strings.ToLower(strings.TrimSpace(s[:i])), s[i:]
			if part == "" {
				return "", sqlerr.New("42602", "invalid name syntax")
			}
		}
		parts = append(parts, part)
		s = strings.TrimSpace(s)
		if s == "" {
			break
		}
		if s[0] != '.' {
			return "", sqlerr.New("42602", "invalid name syntax")
		}
		s = strings.TrimSpace(s[1:])
		if s == "" {
			return "", sqlerr.New("42602", "invalid name syntax")
		}
	}
	switch {
	case len(parts) == 0:
		return "", sqlerr.New("42602", "invalid name syntax")
	case len(parts) == 1:
		return parts[0], nil
	case len(parts) == 2 && parts[0] == "public":
		return parts[1], nil
	case len(parts) == 2:
		return "", sqlerr.New("3F000", "schema %q does not exist", parts[0])
	case len(parts) == 3:
		return "", sqlerr.New(sqlerr.FeatureNotSupported, "cross-database references are not implemented: %q", strings.Join(parts, "."))
	}
	return "", sqlerr.New(sqlerr.SyntaxError, "improper relation name (too many dotted names): %s", strings.Join(parts, "."))
}

// bindSequenceRel binds a sequence named in FROM: one row, last_value,
// log_cnt and is_called, read when the statement is bound (outside the
// transaction, as PostgreSQL reads a sequence). ok is false when rv names
// no sequence.
func (b *binder) bindSequenceRel(rv *pg_query.RangeVar, r layers.Reader) (fromNode, bool, error) {
	if rv.Schemaname != "" && rv.Schemaname != "public" {
		return nil, false, nil
	}
	desc, err := b.eng.cat.Sequence(r, rv.Relname)
	if err != nil {
		return nil, false, nil
	}
	st, err := b.eng.seqState(desc)
	if err != nil {
		return nil, true, err
	}
	p := &valuesPlan{types: []types.T{types.TInt8, types.TInt8, types.TBool}}
	cols := []colInfo{{name: "last_value", t: types.TInt8}, {name: "log_cnt", t: types.TInt8}, {name: "is_called", t: types.TBool}}
	oid := seqRelOID(desc)
	for i, c := range cols {
		p.cols = append(p.cols, Column{Name: c.name, TableID: oid, ColumnAttr: int16(i + 1), TypeOID: c.t.OID(), TypeSize: -1, TypeMod: -1})
	}
	p.rows = [][]expr{{
		&constExpr{v: types.NewInt(types.Int8, st.Last), t: types.TInt8, loc: -1},
		&constExpr{v: types.NewInt(types.Int8, st.LogCnt), t: types.TInt8, loc: -1},
		&constExpr{v: types.NewBool(st.Called), t: types.TBool, loc: -1},
	}}
	alias, hasAlias := rv.Relname, false
	if rv.Alias != nil && rv.Alias.Aliasname != "" {
		alias, hasAlias = rv.Alias.Aliasname, true
		if cols, err = b.aliasColumns(rv.Alias, cols, rv.Relname); err != nil {
			return nil, true, err
		}
	}
	if err := b.checkDupAlias(alias, rv.Location); err != nil {
		return nil, true, err
	}
	b.sc.add(alias, rv.Relname, hasAlias, cols)
	return &fromQuery{q: p, n: len(cols)}, true, nil
}

// seqStmtString renders a sequence statement kind for messages.
func (s *seqStmt) String() string {
	return fmt.Sprintf("%s SEQUENCE %s", s.kind, strings.Join(s.names, ", "))
}
