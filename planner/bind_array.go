package planner

// ARRAY(subquery), the one-column result of a subquery as an array.

import (
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
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
