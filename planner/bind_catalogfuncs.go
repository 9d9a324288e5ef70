package planner

// More catalog functions psql's describe commands call
// (pg_get_function_result, pg_function_is_visible,
// pg_relation_is_publishable, pg_get_statisticsobjdef_columns) and
// pg_notify.

import (
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/syscat"
	"github.com/aspen-db/aspen/planner/types"
)

// moreCatalogFuncs binds the functions above; get reads the statement's
// catalog snapshot. ok is false for other names or argument counts.
func (b *binder) moreCatalogFuncs(name string, args []expr, get func() (*syscat.Snapshot, error)) (e expr, ok bool, err error) {
	oneOID := func(t types.T, fn func(s *syscat.Snapshot, oid uint32) types.Value) (expr, bool, error) {
		if len(args) != 1 {
			return nil, false, nil
		}
		var arg expr
		var err error
		if name == "pg_relation_is_publishable" {
			// Its argument is a regclass: a literal names the relation.
			arg, err = b.coerceReg(args[0], types.Regclass, -1)
		} else {
			arg, err = b.coerce(args[0], types.TOID, types.CastImplicit)
		}
		if err != nil {
			return nil, true, err
		}
		return &funcExpr{name: name, args: []expr{arg}, t: t, strict: true, fn: func(v []types.Value) (types.Value, error) {
			s, err := get()
			if err != nil {
				return types.Null, err
			}
			return fn(s, uint32(v[0].Int())), nil
		}}, true, nil
	}
	switch name {
	case "pg_get_function_result", "pg_get_function_arguments", "pg_get_function_identity_arguments":
		return oneOID(types.TText, func(s *syscat.Snapshot, oid uint32) types.Value {
			out, ok := s.FunctionResult(oid)
			switch name {
			case "pg_get_function_arguments":
				out, ok = s.FunctionArguments(oid)
			case "pg_get_function_identity_arguments":
				out, ok = s.FunctionIdentityArguments(oid)
			}
			if !ok {
				return types.Null
			}
			return types.NewText(out)
		})
	case "pg_function_is_visible":
		return oneOID(types.TBool, func(_ *syscat.Snapshot, oid uint32) types.Value {
			vis, ok := syscat.FunctionIsVisible(oid)
			if !ok {
				return types.Null
			}
			return types.NewBool(vis)
		})
	case "pg_relation_is_publishable":
		return oneOID(types.TBool, func(s *syscat.Snapshot, oid uint32) types.Value {
			kind, ok := s.RelKind(oid)
			if !ok {
				return types.Null
			}
			return types.NewBool((kind == 'r' || kind == 'p') && oid >= syscat.FirstNormalObjectID)
		})
	case "pg_get_statisticsobjdef_columns":
		// Aspen has no extended statistics objects.
		return oneOID(types.TText, func(*syscat.Snapshot, uint32) types.Value { return types.Null })
	case "pg_statistics_obj_is_visible":
		// Aspen has no extended statistics objects: no OID names one.
		return oneOID(types.TBool, func(*syscat.Snapshot, uint32) types.Value { return types.Null })
	case "pg_collation_is_visible", "pg_conversion_is_visible", "pg_operator_is_visible",
		"pg_opclass_is_visible", "pg_opfamily_is_visible":
		// Such objects are all built in, in pg_catalog, which is always
		// searched first.
		return oneOID(types.TBool, func(*syscat.Snapshot, uint32) types.Value { return types.NewBool(true) })
	case "pg_get_function_sqlbody":
		// Built-in functions have no SQL-standard body.
		return oneOID(types.TText, func(*syscat.Snapshot, uint32) types.Value { return types.Null })
	case "pg_tablespace_location":
		// The default tablespaces live in the data directory: empty.
		return oneOID(types.TText, func(*syscat.Snapshot, uint32) types.Value { return types.NewText("") })
	case "getdatabaseencoding":
		if len(args) != 0 {
			return nil, false, nil
		}
		return &constExpr{v: types.NewName("UTF8"), t: types.TName, loc: -1}, true, nil
	case "pg_char_to_encoding":
		if len(args) != 1 {
			return nil, false, nil
		}
		arg, err := b.coerce(args[0], types.TName, types.CastImplicit)
		if err != nil {
			return nil, true, err
		}
		return &funcExpr{name: name, args: []expr{arg}, t: types.TInt4, strict: true, fn: func(v []types.Value) (types.Value, error) {
			return types.NewInt(types.Int4, syscat.CharToEncoding(v[0].Str())), nil
		}}, true, nil
	case "current_setting":
		return b.bindCurrentSetting(args)
	case "pg_get_triggerdef":
		// Aspen has no triggers.
		if len(args) != 1 && len(args) != 2 {
			return nil, false, nil
		}
		return &funcExpr{name: name, args: args, t: types.TText, strict: true,
			fn: func([]types.Value) (types.Value, error) { return types.Null, nil }}, true, nil
	case "pg_partition_ancestors":
		// A stand-in until set-returning functions exist in select lists:
		// Aspen has no partitions, so PostgreSQL's result is always the
		// empty set; NULL behaves the same where psql uses it
		// ("confrelid IN (SELECT pg_partition_ancestors(...) UNION ALL
		// VALUES (...))"), though a select list shows one NULL row instead
		// of none.
		if len(args) != 1 {
			return nil, false, nil
		}
		arg, err := b.coerceReg(args[0], types.Regclass, -1)
		if err != nil {
			return nil, true, err
		}
		return &funcExpr{name: name, args: []expr{arg}, t: types.TRegclass, strict: true,
			fn: func([]types.Value) (types.Value, error) { return types.Null, nil }}, true, nil
	case "pg_get_ruledef":
		// Aspen has no rewrite rules beyond views' own.
		if len(args) != 1 && len(args) != 2 {
			return nil, false, nil
		}
		return &funcExpr{name: name, args: args, t: types.TText, strict: true,
			fn: func([]types.Value) (types.Value, error) { return types.Null, nil }}, true, nil
	case "current_schemas":
		// The search path ("$user", public) as it resolves: public, after
		// the implicit pg_catalog when asked for.
		if len(args) != 1 {
			return nil, false, nil
		}
		arg, err := b.coerce(args[0], types.TBool, types.CastImplicit)
		if err != nil {
			return nil, true, err
		}
		return &funcExpr{name: name, args: []expr{arg}, t: types.ArrayType(types.TName), strict: true,
			fn: func(v []types.Value) (types.Value, error) {
				out := []types.Value{types.NewName("public")}
				if v[0].Bool() {
					out = append([]types.Value{types.NewName("pg_catalog")}, out...)
				}
				return types.NewArray(types.Name, out), nil
			}}, true, nil
	case "pg_notify":
		return b.bindPgNotify(args)
	}
	return nil, false, nil
}

// bindPgNotify binds pg_notify(channel, payload), which queues a
// notification on the session's transaction exactly as NOTIFY does and
// returns void.
func (b *binder) bindPgNotify(args []expr) (expr, bool, error) {
	if len(args) != 2 {
		return nil, false, nil
	}
	for _, a := range args {
		if k := a.typ().Kind; k != types.Unknown && !k.IsString() {
			return nil, false, nil
		}
	}
	var conv []expr
	for _, a := range args {
		c, err := b.coerce(a, types.TText, types.CastImplicit)
		if err != nil {
			return nil, true, err
		}
		conv = append(conv, c)
	}
	return &funcExpr{name: "pg_notify", args: conv, t: types.TVoid, volatile: true,
		evfn: func(ev *evalCtx, v []types.Value) (types.Value, error) {
			channel, payload := v[0].Str(), v[1].Str()
			if v[0].IsNull() || channel == "" {
				return types.Null, sqlerr.New(sqlerr.InvalidParameterValue, "channel name cannot be empty")
			}
			if len(channel) >= types.NameDataLen {
				return types.Null, sqlerr.New(sqlerr.InvalidParameterValue, "channel name too long")
			}
			if v[1].IsNull() {
				payload = ""
			}
			if len(payload) > maxNotifyPayload {
				return types.Null, sqlerr.New(sqlerr.InvalidParameterValue, "payload string too long")
			}
			if ev == nil || ev.sess == nil {
				return types.Null, sqlerr.New(sqlerr.InternalError, "pg_notify evaluated outside a session")
			}
			ev.sess.queueNotify(notification{channel: channel, payload: payload})
			return types.VoidValue, nil
		}}, true, nil
}

// bindCurrentSetting binds current_setting(name [, missing_ok]): the
// session's value, as SHOW gives it; an unknown name is 42704 unless
// missing_ok, which gives NULL.
func (b *binder) bindCurrentSetting(args []expr) (expr, bool, error) {
	if len(args) != 1 && len(args) != 2 {
		return nil, false, nil
	}
	want := []types.T{types.TText, types.TBool}
	conv := make([]expr, len(args))
	for i, a := range args {
		c, err := b.coerce(a, want[i], types.CastImplicit)
		if err != nil {
			return nil, true, err
		}
		conv[i] = c
	}
	return &funcExpr{name: "current_setting", args: conv, t: types.TText, strict: true, volatile: true,
		evfn: func(ev *evalCtx, v []types.Value) (types.Value, error) {
			if ev == nil || ev.sess == nil {
				return types.Null, sqlerr.New(sqlerr.InternalError, "current_setting evaluated outside a session")
			}
			val, err := ev.sess.show(strings.ToLower(v[0].Str()))
			if err != nil {
				if len(v) == 2 && v[1].Bool() {
					return types.Null, nil
				}
				return types.Null, err
			}
			return types.NewText(val), nil
		}}, true, nil
}
