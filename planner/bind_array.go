package planner

// ARRAY(subquery), the one-column result of a subquery as an array, and
// string_agg, which catalog queries use to list column names.

import (
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// arraySubqueryType sets the type of ARRAY(subquery) from the subquery's
// column types: an array of its one column's type (text for an untyped
// literal).
func (b *binder) arraySubqueryType(e *subqueryExpr, qt []types.T, loc int32) error {
	if len(qt) != 1 {
		return b.errAt(sqlerr.Syntax("subquery must return only one column"), loc)
	}
	el := qt[0]
	switch {
	case el.Kind == types.Unknown:
		el = types.TText
	case el.Kind.IsArray():
		return b.errAt(sqlerr.Unsupported("ARRAY(subquery) of arrays is not supported yet"), loc)
	case el.Kind == types.Void:
		return b.errAt(sqlerr.New(sqlerr.UndefinedObject, "could not find array type for data type %s", el), loc)
	}
	e.t = types.ArrayType(types.T{Kind: el.Kind, Mod: el.Mod})
	return nil
}

// arrayOfRows builds the value of ARRAY(subquery) from its rows: their
// first column in order (an empty array for no rows, never NULL).
func arrayOfRows(rows [][]types.Value, t types.T) types.Value {
	elem := t.Kind.Elem()
	out := make([]types.Value, len(rows))
	for i, r := range rows {
		v := r[0]
		if !v.IsNull() && v.Kind() == types.Unknown {
			v = types.NewText(v.Str())
		}
		out[i] = v
	}
	return types.NewArray(elem, out)
}

// bindStringAgg binds string_agg(value, delimiter) over text (or bytea):
// both arguments are evaluated per input row, as in PostgreSQL.
func (b *binder) bindStringAgg(call *aggCall, f *pg_query.FuncCall) error {
	saved, savedCtx := b.aggAllowed, b.aggContext
	b.aggAllowed, b.aggContext = false, ""
	defer func() { b.aggAllowed, b.aggContext = saved, savedCtx }()
	args := make([]expr, len(f.Args))
	for i, a := range f.Args {
		e, err := b.bindExpr(a)
		if err != nil {
			return err
		}
		args[i] = e
	}
	if len(args) != 2 {
		return b.errAt(sqlerr.UndefinedFunctionErr("function string_agg(%s) does not exist", argTypes(args)), f.Location)
	}
	t := types.TText
	if args[0].typ().Kind == types.Bytea || args[1].typ().Kind == types.Bytea {
		t = types.TBytea
	}
	for i := range args {
		k := args[i].typ().Kind
		ok := k == types.Unknown || (t.Kind == types.Text && k.IsString()) || k == t.Kind
		if !ok {
			return b.errAt(sqlerr.UndefinedFunctionErr("function string_agg(%s, %s) does not exist", args[0].typ(), args[1].typ()), f.Location)
		}
		c, err := b.coerce(args[i], t, types.CastImplicit)
		if err != nil {
			return b.errAt(err, f.Location)
		}
		args[i] = c
	}
	call.arg, call.delim, call.t = args[0], args[1], t
	return nil
}

// addString adds a non-NULL value to string_agg's result: after the
// first, each value is preceded by its row's delimiter (none when NULL).
// The result counts against maxQueryMemory.
func (s *aggState) addString(ev *evalCtx, row []types.Value, v types.Value) error {
	if s.started {
		d, err := s.call.delim.eval(ev, row)
		if err != nil {
			return err
		}
		s.buf = append(s.buf, d.Str()...)
	}
	s.started = true
	s.buf = append(s.buf, v.Str()...)
	if int64(len(s.buf)) > maxQueryMemory {
		return sqlerr.New("53200", "out of memory").
			WithDetail("string_agg's result is longer than %d MB.", maxQueryMemory>>20)
	}
	return nil
}

// stringResult is string_agg's value: NULL when no value came.
func (s *aggState) stringResult() types.Value {
	if !s.started {
		return types.Null
	}
	if s.call.t.Kind == types.Bytea {
		return types.NewBytea(append([]byte(nil), s.buf...))
	}
	return types.NewText(string(s.buf))
}
