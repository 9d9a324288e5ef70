package planner

// Bitwise operators on integers: & | # (and, or, xor), << and >> (shifts)
// and prefix ~ (not), as PostgreSQL's int2, int4 and int8 operators.
// JDBC's DatabaseMetaData.getIndexInfo reads pg_index.indoption with &.

import (
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// bindBitwise binds l op r for a bitwise operator; ok is false for other
// operators.
func (b *binder) bindBitwise(op string, l, r expr, loc int32) (e expr, ok bool, err error) {
	noOp := func() error {
		return b.errAt(sqlerr.UndefinedOperatorErr("operator does not exist: %s %s %s", l.typ(), op, r.typ()), loc)
	}
	switch op {
	case "&", "|", "#":
		lk, rk := l.typ().Kind, r.typ().Kind
		if lk == types.Unknown && rk == types.Unknown {
			return nil, true, b.errAt(sqlerr.New(sqlerr.AmbiguousFunction, "operator is not unique: unknown %s unknown", op).
				WithHint("Could not choose a best candidate operator. You might need to add explicit type casts."), loc)
		}
		if lk != types.Unknown && !lk.IsInteger() || rk != types.Unknown && !rk.IsInteger() {
			return nil, true, noOp()
		}
		l2, r2, k, ok, err := b.unify(l, r)
		if err != nil {
			return nil, true, b.errAt(err, loc)
		}
		if !ok || !k.IsInteger() {
			return nil, true, noOp()
		}
		t := types.T{Kind: k, Mod: -1}
		e, err := b.fold(&funcExpr{name: op, args: []expr{l2, r2}, t: t, strict: true,
			fn: func(v []types.Value) (types.Value, error) {
				x, y := v[0].Int(), v[1].Int()
				switch op {
				case "&":
					x &= y
				case "|":
					x |= y
				default:
					x ^= y
				}
				return types.NewInt(k, x), nil
			}}, loc)
		return e, true, err
	case "<<", ">>":
		lk, rk := l.typ().Kind, r.typ().Kind
		if lk == types.Unknown {
			lk = types.Int4
		}
		if !lk.IsInteger() || rk != types.Unknown && !rk.IsInteger() || rk == types.Int8 {
			return nil, true, noOp()
		}
		t := types.T{Kind: lk, Mod: -1}
		l2, err := b.coerce(l, t, types.CastImplicit)
		if err != nil {
			return nil, true, b.coerceErr(err, loc)
		}
		r2, err := b.coerce(r, types.TInt4, types.CastImplicit)
		if err != nil {
			return nil, true, b.coerceErr(err, loc)
		}
		e, err := b.fold(&funcExpr{name: op, args: []expr{l2, r2}, t: t, strict: true,
			fn: func(v []types.Value) (types.Value, error) {
				return types.NewInt(lk, shiftInt(lk, v[0].Int(), v[1].Int(), op == "<<")), nil
			}}, loc)
		return e, true, err
	}
	return nil, false, nil
}

// shiftInt shifts as PostgreSQL does on x86-64: int2 and int4 in 32 bits
// with the count taken modulo 32, int8 in 64 bits modulo 64, and the
// result truncated to the type.
func shiftInt(k types.Kind, x, n int64, left bool) int64 {
	if k == types.Int8 {
		s := uint(n & 63)
		if left {
			return x << s
		}
		return x >> s
	}
	s := uint(n & 31)
	var r int32
	if left {
		r = int32(x) << s
	} else {
		r = int32(x) >> s
	}
	if k == types.Int2 {
		return int64(int16(r))
	}
	return int64(r)
}

// bindBitNot binds prefix ~ on an integer; ok is false for another
// operator or argument type.
func (b *binder) bindBitNot(op string, arg expr) (expr, bool, error) {
	k := arg.typ().Kind
	if op != "~" || !k.IsInteger() {
		return nil, false, nil
	}
	e, err := b.fold(&funcExpr{name: "~", args: []expr{arg}, t: types.T{Kind: k, Mod: -1}, strict: true,
		fn: func(v []types.Value) (types.Value, error) { return types.NewInt(k, ^v[0].Int()), nil }}, -1)
	return e, true, err
}
