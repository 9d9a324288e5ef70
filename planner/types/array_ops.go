package types

// Array functions and operators on one-dimensional arrays: ||,
// array_append, array_prepend, array_cat, array_length, cardinality,
// array_lower, array_upper, array_position, array_remove,
// array_to_string, string_to_array, and = ANY / ALL.

import (
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// ArrayCat is array_cat(a, b) and a || b for two arrays of the same
// element kind; a NULL operand gives the other.
func ArrayCat(a, b Value) (Value, error) {
	switch {
	case a.IsNull():
		return b, nil
	case b.IsNull():
		return a, nil
	}
	if a.kind != b.kind {
		return Null, sqlerr.DatatypeMismatchErr("cannot concatenate incompatible arrays")
	}
	ea, eb := a.Elems(), b.Elems()
	out := make([]Value, 0, len(ea)+len(eb))
	out = append(append(out, ea...), eb...)
	return NewArray(a.kind.Elem(), out), nil
}

// ArrayAppend is array_append(a, e) and a || e: e must already be of the
// element kind. A NULL array becomes a one-element array.
func ArrayAppend(a, e Value, elem Kind) Value {
	el := a.Elems()
	out := make([]Value, 0, len(el)+1)
	out = append(append(out, el...), e)
	return NewArray(elem, out)
}

// ArrayPrepend is array_prepend(e, a) and e || a.
func ArrayPrepend(e, a Value, elem Kind) Value {
	el := a.Elems()
	out := make([]Value, 0, len(el)+1)
	out = append(append(out, e), el...)
	return NewArray(elem, out)
}

// ArrayLength is array_length(a, dim) (also array_upper): NULL for an
// empty array or a dimension other than 1.
func ArrayLength(a Value, dim int64) Value {
	n := len(a.Elems())
	if dim != 1 || n == 0 {
		return Null
	}
	return NewInt(Int4, int64(n))
}

// ArrayLower is array_lower(a, dim): 1, or NULL for an empty array or
// another dimension.
func ArrayLower(a Value, dim int64) Value {
	if dim != 1 || len(a.Elems()) == 0 {
		return Null
	}
	return NewInt(Int4, 1)
}

// Cardinality is cardinality(a): the number of elements.
func Cardinality(a Value) Value { return NewInt(Int4, int64(len(a.Elems()))) }

// notDistinct reports whether two values are equal or both NULL.
func notDistinct(a, b Value) bool {
	if a.IsNull() || b.IsNull() {
		return a.IsNull() && b.IsNull()
	}
	return Compare(a, b) == 0
}

// ArrayPosition is array_position(a, e): the 1-based index of the first
// element not distinct from e, or NULL.
func ArrayPosition(a, e Value) Value {
	for i, x := range a.Elems() {
		if notDistinct(x, e) {
			return NewInt(Int4, int64(i+1))
		}
	}
	return Null
}

// ArrayRemove is array_remove(a, e): a without the elements not distinct
// from e.
func ArrayRemove(a, e Value) Value {
	out := []Value{}
	for _, x := range a.Elems() {
		if !notDistinct(x, e) {
			out = append(out, x)
		}
	}
	return NewArray(a.kind.Elem(), out)
}

// ArrayToString is array_to_string(a, delim[, nullStr]): the elements'
// text joined by delim, NULL elements skipped or, when nullStr is not
// nil, written as *nullStr.
func ArrayToString(env *Env, a Value, delim string, nullStr *string) Value {
	var b strings.Builder
	first := true
	for _, e := range a.Elems() {
		if e.IsNull() && nullStr == nil {
			continue
		}
		if !first {
			b.WriteString(delim)
		}
		first = false
		if e.IsNull() {
			b.WriteString(*nullStr)
			continue
		}
		b.Write(e.AppendTextEnv(nil, env))
	}
	return NewText(b.String())
}

// StringToArray is string_to_array(s, delim[, nullStr]): a text[]; a
// NULL delimiter splits into characters, an empty one gives the whole
// string, and elements equal to *nullStr become NULL.
func StringToArray(s string, delim *string, nullStr *string) Value {
	var parts []string
	switch {
	case s == "":
		parts = nil
	case delim == nil:
		for _, r := range s {
			parts = append(parts, string(r))
		}
	case *delim == "":
		parts = []string{s}
	default:
		parts = strings.Split(s, *delim)
	}
	out := make([]Value, len(parts))
	for i, p := range parts {
		if nullStr != nil && p == *nullStr {
			out[i] = Null
			continue
		}
		out[i] = NewText(p)
	}
	return NewArray(Text, out)
}

// AnyAll evaluates e op ANY (a) (all false) or e op ALL (a) (all true)
// with SQL's three-valued logic, cmp giving the operator's result for two
// non-NULL values.
func AnyAll(e, a Value, all bool, cmp func(x, y Value) (bool, error)) (Value, error) {
	if e.IsNull() && len(a.Elems()) > 0 {
		return Null, nil
	}
	sawNull := false
	for _, x := range a.Elems() {
		if x.IsNull() {
			sawNull = true
			continue
		}
		r, err := cmp(e, x)
		if err != nil {
			return Null, err
		}
		if r != all {
			return NewBool(r), nil
		}
	}
	if sawNull {
		return Null, nil
	}
	return NewBool(all), nil
}
