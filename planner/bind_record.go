package planner

// information_schema._pg_expandarray, the set-returning function JDBC's
// DatabaseMetaData.getPrimaryKeys and getIndexInfo call, and field
// selection on records: (f(...)).field on a set-returning call of several
// columns, and (col).field on a subquery column that such a call made.
// Aspen has no record type: a record travels as record_out's text, and the
// binder remembers its fields (srfCall.record, colInfo.fields).

import (
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// expandArrayName is the function's name as funcName spells it.
const expandArrayName = "information_schema._pg_expandarray"

func init() { srfNames[expandArrayName] = true }

// bindExpandArray binds _pg_expandarray(anyarray): one row (x, n) per
// element, x the element and n its 1-based position. int2vector and
// oidvector arguments (pg_index.indkey) count as arrays, as in PostgreSQL.
func (b *binder) bindExpandArray(args []expr) (*srfCall, error) {
	if len(args) != 1 {
		return nil, sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", expandArrayName, argTypes(args))
	}
	a := args[0]
	at := a.typ()
	var elem types.T
	switch {
	case at.Kind.IsVector():
		elem = types.T{Kind: at.Kind.VectorArray().Elem(), Mod: -1}
	case at.Kind.IsArray():
		elem = at.ElemType()
	default:
		return nil, sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", expandArrayName, argTypes(args))
	}
	return &srfCall{name: "_pg_expandarray", args: []expr{a}, strict: true,
		cols: []colInfo{{name: "x", t: elem}, {name: "n", t: types.TInt4}},
		open: func(_ *evalCtx, v []types.Value) (srfIter, error) {
			el := v[0].Elems()
			rows := make([][]types.Value, len(el))
			for i, x := range el {
				rows[i] = []types.Value{x, types.NewInt(types.Int4, int64(i+1))}
			}
			return &sliceIter{rows: rows}, nil
		}}, nil
}

// fieldSRF narrows a call of several columns to its column named field.
func fieldSRF(c *srfCall, field string) (*srfCall, error) {
	idx := -1
	for i, col := range c.cols {
		if col.name == field {
			idx = i
		}
	}
	if idx < 0 {
		return nil, sqlerr.New(sqlerr.UndefinedColumn, "could not identify column %q in record data type", field)
	}
	inner := c.open
	out := *c
	out.cols = []colInfo{c.cols[idx]}
	out.open = func(ev *evalCtx, v []types.Value) (srfIter, error) {
		it, err := inner(ev, v)
		if err != nil || it == nil {
			return it, err
		}
		return funcIter(func() ([]types.Value, bool, error) {
			r, ok, err := it.next()
			if !ok || err != nil {
				return nil, ok, err
			}
			return []types.Value{r[idx]}, true, nil
		}), nil
	}
	return &out, nil
}

// bindFieldSelect binds (expr).field; ok is false when ind is not a field
// selection.
func (b *binder) bindFieldSelect(ind *pg_query.A_Indirection) (expr, bool, error) {
	if len(ind.Indirection) != 1 {
		return nil, false, nil
	}
	fs := ind.Indirection[0].GetString_()
	if fs == nil {
		return nil, false, nil
	}
	field := fs.Sval
	if f := ind.Arg.GetFuncCall(); f != nil {
		if name := funcName(f); srfNames[name] {
			e, _, err := b.bindSRFCallField(name, f, field)
			return e, true, err
		}
	}
	arg, err := b.bindExpr(ind.Arg)
	if err != nil {
		return nil, true, err
	}
	fields := b.recordFieldsOf(arg)
	if fields == nil {
		return nil, true, sqlerr.Unsupported("field selection is not supported yet")
	}
	idx := -1
	for i, c := range fields {
		if c.name == field {
			idx = i
		}
	}
	if idx < 0 {
		err := sqlerr.New(sqlerr.UndefinedColumn, "could not identify column %q in record data type", field)
		if cr := ind.Arg.GetColumnRef(); cr != nil {
			return nil, true, b.errAt(err, cr.Location)
		}
		return nil, true, err
	}
	ft := fields[idx].t
	return &funcExpr{name: "fieldselect", args: []expr{arg}, t: ft, strict: true,
		fn: func(v []types.Value) (types.Value, error) {
			parts, nulls := splitRecordText(v[0].Str())
			if idx >= len(parts) || nulls[idx] {
				return types.Null, nil
			}
			return types.ParseText(ft, parts[idx])
		}}, true, nil
}

// recordFieldsOf returns the fields of a record-valued column reference,
// nil for anything else.
func (b *binder) recordFieldsOf(e expr) []colInfo {
	switch x := e.(type) {
	case *srfRef:
		return x.call.record
	case *colRef:
		for s := b.sc; s != nil; s = s.parent {
			if s.marker {
				continue
			}
			ent, i := s.locate(x.idx)
			if ent == nil || i < 0 || i >= len(ent.cols) {
				return nil
			}
			return ent.cols[i].fields
		}
	}
	return nil
}

// queryRecordFields returns the record fields of a query's output column
// i when a set-returning call of several columns makes it.
func queryRecordFields(q queryPlan, i int) []colInfo {
	p, ok := q.(*selectPlan)
	if !ok || i >= p.nvisible || i >= len(p.outputs) {
		return nil
	}
	if r, ok := p.outputs[i].(*srfRef); ok {
		return r.call.record
	}
	return nil
}

// splitRecordText splits record_out's text "(a,,"b c")" into its fields
// and whether each is NULL (empty and unquoted).
func splitRecordText(s string) ([]string, []bool) {
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return nil, nil
	}
	s = s[1 : len(s)-1]
	var parts []string
	var nulls []bool
	var sb strings.Builder
	quoted, inQuote := false, false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case inQuote && ch == '"' && i+1 < len(s) && s[i+1] == '"':
			sb.WriteByte('"')
			i++
		case inQuote && ch == '\\' && i+1 < len(s):
			sb.WriteByte(s[i+1])
			i++
		case ch == '"':
			inQuote, quoted = !inQuote, true
		case ch == ',' && !inQuote:
			parts = append(parts, sb.String())
			nulls = append(nulls, !quoted && sb.Len() == 0)
			sb.Reset()
			quoted = false
		default:
			sb.WriteByte(ch)
		}
	}
	parts = append(parts, sb.String())
	nulls = append(nulls, !quoted && sb.Len() == 0)
	return parts, nulls
}
