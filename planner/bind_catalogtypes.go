package planner

// The internal types of the system catalogs in the binder: the engine
// types of catalog columns, their values, and the casts to the reg* types
// (oid shown as a name), which need the catalog.

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/syscat"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// sysType is the engine type of a catalog column type.
func sysType(oid uint32) types.T {
	switch oid {
	case 28: // xid: an unsigned 32-bit number, shown as one
		return types.TInt8
	case 1034: // aclitem[]
		return types.ArrayType(types.TText)
	case 194: // pg_node_tree
		return types.TText
	}
	if t, ok := types.FromOID(oid); ok {
		return t
	}
	return types.TText
}

// sysValue converts a syscat row value to t; snap resolves the names
// that regproc and regtype columns hold to their OIDs.
func sysValue(v any, t types.T, snap *syscat.Snapshot) types.Value {
	switch x := v.(type) {
	case bool:
		return types.NewBool(x)
	case int64:
		switch {
		case t.Kind.IsString():
			return types.NewText(fmt.Sprint(x))
		case t.Kind == types.OID:
			return types.NewOID(uint32(x))
		case t.Kind.IsRegKind():
			return regValue(snap, t.Kind, uint32(x))
		}
		return types.NewInt(t.Kind, x)
	case float64:
		return types.NewFloat(t.Kind, x)
	case time.Time:
		return types.NewTimestampTZ(x)
	case string:
		switch t.Kind {
		case types.Name:
			return types.NewName(x)
		case types.Char:
			return types.NewChar(x)
		case types.Regproc:
			oid, _ := syscat.RegprocIn(x)
			if x == "-" {
				oid = 0
			}
			return types.NewReg(types.Regproc, oid, x)
		case types.Regtype:
			oid, _ := snap.RegtypeIn(x)
			return types.NewReg(types.Regtype, oid, x)
		case types.Varchar:
			return types.NewVarchar(x)
		}
		return types.NewText(x)
	case []int64:
		elem := t.Kind.Elem()
		if t.Kind.IsVector() {
			elem = t.Kind.VectorArray().Elem()
		}
		vals := make([]types.Value, len(x))
		for i, n := range x {
			if elem == types.OID {
				vals[i] = types.NewOID(uint32(n))
			} else {
				vals[i] = types.NewInt(elem, n)
			}
		}
		if t.Kind.IsVector() {
			return types.NewVector(t.Kind, vals)
		}
		return types.NewArray(elem, vals)
	case []string:
		elem := t.Kind.Elem()
		vals := make([]types.Value, len(x))
		for i, s := range x {
			switch elem {
			case types.Name:
				vals[i] = types.NewName(s)
			case types.Char:
				vals[i] = types.NewChar(s)
			default:
				elem = types.Text
				vals[i] = types.NewText(s)
			}
		}
		return types.NewArray(elem, vals)
	}
	return types.Null
}

// regValue makes a reg* value of kind k for an OID, with the name the
// type's output function shows.
func regValue(snap *syscat.Snapshot, k types.Kind, oid uint32) types.Value {
	var name string
	switch k {
	case types.Regclass:
		name = snap.RegclassOut(oid)
	case types.Regtype:
		name = snap.RegtypeOut(oid)
	case types.Regproc:
		name = syscat.RegprocOut(oid)
	case types.Regprocedure:
		name = snap.RegprocedureOut(oid)
	default:
		name = syscat.RegnamespaceOut(oid)
		if oid == 0 {
			name = "-"
		}
	}
	return types.NewReg(k, oid, name)
}

// regIn is the input function of reg* kind k: a name (or a number) to a
// value, with PostgreSQL's error for a name that does not resolve.
func regIn(snap *syscat.Snapshot, k types.Kind, name string) (types.Value, error) {
	var oid uint32
	var ok bool
	if k != types.Regtype && k != types.Regprocedure && strings.TrimSpace(name) == "" {
		return types.Null, sqlerr.New("42602", "invalid name syntax")
	}
	switch k {
	case types.Regclass:
		if oid, ok = snap.RegclassIn(name); !ok {
			return types.Null, sqlerr.New(sqlerr.UndefinedTable, "relation %q does not exist", identifierText(name))
		}
	case types.Regtype:
		if oid, ok = snap.RegtypeIn(name); !ok {
			return types.Null, sqlerr.New(sqlerr.UndefinedObject, "type %q does not exist", name)
		}
	case types.Regproc:
		if oid, ok = syscat.RegprocIn(name); !ok {
			if syscat.RegprocAmbiguous(name) {
				return types.Null, sqlerr.New(sqlerr.AmbiguousFunction, "more than one function named %q", name)
			}
			return types.Null, sqlerr.New(sqlerr.UndefinedFunction, "function %q does not exist", name)
		}
	case types.Regprocedure:
		var why syscat.RegprocedureErr
		var detail string
		if oid, why, detail = snap.RegprocedureIn(name); why != syscat.RegprocedureOK {
			return types.Null, regprocedureErr(why, detail)
		}
	default:
		if oid, ok = syscat.RegnamespaceIn(name); !ok {
			return types.Null, sqlerr.New("3F000", "schema %q does not exist", name)
		}
	}
	return regValue(snap, k, oid), nil
}

// regKindByName maps the reg* type names to their kinds.
var regKindByName = map[string]types.Kind{
	"regclass": types.Regclass, "regtype": types.Regtype, "regproc": types.Regproc, "regnamespace": types.Regnamespace,
	"regprocedure": types.Regprocedure,
}

// regprocedureErr is PostgreSQL's error for a regprocedure input that
// does not resolve.
func regprocedureErr(why syscat.RegprocedureErr, detail string) error {
	switch why {
	case syscat.RegprocedureNoLeftParen:
		return sqlerr.New(sqlerr.InvalidTextRepresentation, "expected a left parenthesis")
	case syscat.RegprocedureNoRightParen:
		return sqlerr.New(sqlerr.InvalidTextRepresentation, "expected a right parenthesis")
	case syscat.RegprocedureNoTypeName:
		return sqlerr.New(sqlerr.InvalidTextRepresentation, "expected a type name")
	case syscat.RegprocedureBadName:
		return sqlerr.New("42602", "invalid name syntax")
	case syscat.RegprocedureNoSchema:
		return sqlerr.New("3F000", "schema %q does not exist", detail)
	case syscat.RegprocedureNoType:
		return sqlerr.New(sqlerr.UndefinedObject, "type %q does not exist", detail)
	}
	return sqlerr.New(sqlerr.UndefinedFunction, "function %q does not exist", detail)
}

// regCast binds casts to the reg* types, whose input and output
// functions read the catalog: a string (a name) or a number (an OID)
// becomes a value that compares as the OID and prints as the name. ok is
// false for other casts.
func (b *binder) regCast(c *pg_query.TypeCast) (e expr, ok bool, err error) {
	tn := c.TypeName
	if tn == nil || len(tn.ArrayBounds) > 0 || len(tn.Names) == 0 || len(tn.Names) > 2 {
		return nil, false, nil
	}
	if len(tn.Names) == 2 {
		if s := tn.Names[0].GetString_(); s == nil || s.Sval != "pg_catalog" {
			return nil, false, nil
		}
	}
	last := tn.Names[len(tn.Names)-1].GetString_()
	if last == nil {
		return nil, false, nil
	}
	k, isReg := regKindByName[last.Sval]
	if !isReg {
		return nil, false, nil
	}
	arg, err := b.bindExpr(c.Arg)
	if err != nil {
		return nil, true, err
	}
	e, err = b.coerceReg(arg, k, c.Location)
	return e, true, err
}

// coerceReg converts arg to reg* kind k: an integer or OID gets its
// object's name, a string is looked up by name (at once when it is a
// literal, so that its error points at it).
func (b *binder) coerceReg(arg expr, k types.Kind, loc int32) (expr, error) {
	at := arg.typ().Kind
	t := types.T{Kind: k, Mod: -1}
	if at == k {
		return arg, nil
	}
	fromName := at == types.Unknown || at.IsString()
	if !fromName && !at.IsInteger() && !at.IsOIDKind() {
		return nil, b.errAt(sqlerr.New(sqlerr.CannotCoerce, "cannot cast type %s to %s", arg.typ(), t), loc)
	}
	var once sync.Once
	var snap *syscat.Snapshot
	var snapErr error
	r := b.r
	get := func() (*syscat.Snapshot, error) {
		once.Do(func() { snap, snapErr = b.sysSnapshot(r) })
		return snap, snapErr
	}
	fn := &funcExpr{name: t.String() + "in", args: []expr{arg}, t: t, strict: true, fn: func(v []types.Value) (types.Value, error) {
		s, err := get()
		if err != nil {
			return types.Null, err
		}
		if fromName {
			return regIn(s, k, v[0].Str())
		}
		oid := uint32(v[0].Int())
		if v[0].Kind() == types.Int8 && (v[0].Int() < 0 || v[0].Int() > 4294967295) {
			return types.Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "OID out of range")
		}
		return regValue(s, k, oid), nil
	}}
	// A literal is looked up now, so that its error points at it; not
	// where the binder has no reader (a stored default bound for later
	// use), which looks it up when it runs.
	if c, ok := arg.(*constExpr); ok && at == types.Unknown && !c.v.IsNull() && b.r != nil {
		v, err := fn.fn([]types.Value{c.v})
		if err != nil {
			if se, ok := err.(*sqlerr.Error); ok && c.loc >= 0 {
				return nil, se.WithPosition(charPos(b.sql, c.loc))
			}
			return nil, err
		}
		return &constExpr{v: v, t: t, loc: -1}, nil
	}
	return fn, nil
}

// internalTypeByName resolves the names of the internal catalog types.
// "char" (quoted) is the one-byte type: the grammar turns an unquoted
// char into bpchar.
func internalTypeByName(name string) (types.T, bool) {
	switch name {
	case "oid":
		return types.TOID, true
	case "name":
		return types.TName, true
	case "char":
		return types.TChar, true
	case "regclass":
		return types.TRegclass, true
	case "regtype":
		return types.TRegtype, true
	case "regproc":
		return types.TRegproc, true
	case "regnamespace":
		return types.TRegnamespace, true
	case "regprocedure":
		return types.TRegprocedure, true
	case "int2vector":
		return types.TInt2Vector, true
	case "oidvector":
		return types.TOIDVector, true
	case "void":
		return types.TVoid, true
	}
	return types.T{}, false
}

// unifyInternal is the common kind of a comparison involving oid, a reg*
// type or a vector: integers convert to the OID kind, two different OID
// kinds compare as oid, vectors compare with their own kind only.
func unifyInternal(lk, rk types.Kind) (types.Kind, bool) {
	switch {
	case lk == rk:
		return lk, true
	case lk.IsOIDKind() && rk.IsOIDKind():
		return types.OID, true
	case lk.IsOIDKind() && rk.IsInteger():
		return lk, true
	case rk.IsOIDKind() && lk.IsInteger():
		return rk, true
	}
	return 0, false
}

// isOIDUnifiable reports whether unifyInternal finds a common kind.
func isOIDUnifiable(lk, rk types.Kind) bool {
	_, ok := unifyInternal(lk, rk)
	return ok
}

// vectorSubscript binds v[i] of an int2vector or oidvector, whose
// subscripts start at 0 (NULL out of range); slices are not supported.
func (b *binder) vectorSubscript(v expr, ai *pg_query.A_Indices) (expr, error) {
	if ai.IsSlice || ai.Uidx == nil {
		return nil, sqlerr.Unsupported("slices of %s are not supported yet", v.typ())
	}
	i, err := b.bindExpr(ai.Uidx)
	if err != nil {
		return nil, err
	}
	if k := i.typ().Kind; k != types.Unknown && !k.IsInteger() {
		return nil, sqlerr.DatatypeMismatchErr("array subscript must have type integer")
	}
	if i, err = b.coerce(i, types.TInt4, types.CastImplicit); err != nil {
		return nil, err
	}
	elem := types.T{Kind: v.typ().Kind.VectorArray().Elem(), Mod: -1}
	return b.fold(&funcExpr{name: "subscript", args: []expr{v, i}, t: elem, strict: true,
		fn: func(x []types.Value) (types.Value, error) {
			el := x[0].Elems()
			k := x[1].Int()
			if k < 0 || k >= int64(len(el)) {
				return types.Null, nil
			}
			return el[k], nil
		}}, -1)
}

// addSnapshotRoles lists the roles for pg_roles: the bootstrap superuser
// (OID 10, Aspen's default user) and the roles CREATE ROLE made, whose
// OIDs are 16384 plus a 12-bit FNV-1a hash of the name (the next free
// one on a collision, in name order), stable while the set of names is.
func (b *binder) addSnapshotRoles(snap *syscat.Snapshot, r layers.Reader) error {
	descs, err := b.eng.cat.Roles(r)
	if err != nil {
		return fmt.Errorf("system catalog roles: %w", err)
	}
	if len(descs) == 0 {
		return nil
	}
	snap.Roles = append(snap.Roles, syscat.Role{OID: syscat.BootstrapSuperuserOID, Name: "aspen", Superuser: true, Inherit: true,
		CreateRole: true, CreateDB: true, Login: true, Replication: true, Bypass: true, ConnLimit: -1})
	sort.Slice(descs, func(i, j int) bool { return descs[i].Name < descs[j].Name })
	used := map[uint32]bool{}
	for _, d := range descs {
		if d.Name == "aspen" || len(used) >= 4096 {
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(d.Name))
		oid := 16384 + h.Sum32()%4096
		for used[oid] {
			oid = 16384 + (oid-16384+1)%4096
		}
		used[oid] = true
		snap.Roles = append(snap.Roles, syscat.Role{OID: oid, Name: d.Name, Superuser: d.Superuser, Inherit: true,
			CreateDB: d.CreateDB, Login: d.Login, ConnLimit: int64(d.ConnLimit)})
	}
	return nil
}

// checkColumnKind refuses table columns of the internal types a table
// cannot hold yet: void (a pseudo-type, as in PostgreSQL), the reg* types
// (a stored value would lose the name it shows as) and the vectors.
func checkColumnKind(t types.T, name string) error {
	k := t.Kind.Elem()
	switch {
	case k == types.Void:
		return sqlerr.New(sqlerr.InvalidTableDefinition, "column %q has pseudo-type void", name)
	case k.IsRegKind() || k.IsVector():
		return sqlerr.Unsupported("columns of type %s are not supported yet", types.T{Kind: k, Mod: -1})
	}
	return nil
}

// identifierText renders a possibly qualified, possibly quoted name as
// PostgreSQL's messages show it: unquoted parts folded to lower case,
// quoted ones as written, joined by dots.
func identifierText(s string) string {
	var parts []string
	var cur strings.Builder
	quoted, wasQuoted := false, false
	flush := func() {
		p := cur.String()
		if !wasQuoted {
			p = strings.ToLower(strings.TrimSpace(p))
		}
		parts = append(parts, p)
		cur.Reset()
		wasQuoted = false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' && quoted && i+1 < len(s) && s[i+1] == '"':
			cur.WriteByte('"')
			i++
		case c == '"':
			quoted = !quoted
			wasQuoted = true
		case c == '.' && !quoted:
			flush()
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return strings.Join(parts, ".")
}
