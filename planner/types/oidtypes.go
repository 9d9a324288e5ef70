package types

// PostgreSQL's internal types that system catalog queries use: oid, the
// reg* types (an OID shown as the object's name), name, "char",
// int2vector, oidvector and void.
//
// A reg* value holds its OID (Int) and the name it renders as (Str): the
// name lookup needs the catalog, which this package does not know, so the
// binder makes reg* values with NewReg; a reg* value without a name (made
// by a plain cast from an OID here) renders as its number, as PostgreSQL
// does for an OID that names no object. int2vector and oidvector hold
// their elements like an array (Elems) but print space-separated and are
// subscripted from 0.

import (
	"strconv"
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// OIDs of the internal types.
const (
	OIDName         uint32 = 19
	OIDChar         uint32 = 18
	OIDInt2Vector   uint32 = 22
	OIDRegproc      uint32 = 24
	OIDOid          uint32 = 26
	OIDOidVector    uint32 = 30
	OIDRegprocedure uint32 = 2202
	OIDRegclass     uint32 = 2205
	OIDRegtype      uint32 = 2206
	OIDVoid         uint32 = 2278
	OIDRegnamespace uint32 = 4089
)

// Types of the internal kinds.
var (
	TOID          = T{OID, -1}
	TName         = T{Name, -1}
	TChar         = T{Char, -1}
	TRegclass     = T{Regclass, -1}
	TRegtype      = T{Regtype, -1}
	TRegproc      = T{Regproc, -1}
	TRegnamespace = T{Regnamespace, -1}
	TRegprocedure = T{Regprocedure, -1}
	TInt2Vector   = T{Int2Vector, -1}
	TOIDVector    = T{OIDVector, -1}
	TVoid         = T{Void, -1}
)

// NameDataLen is PostgreSQL's NAMEDATALEN: a name holds at most
// NameDataLen-1 bytes.
const NameDataLen = 64

func init() {
	for _, k := range []Kind{Int2, Int4, Int8} {
		extraCasts[[2]Kind{k, OID}] = CastImplicit
		for _, r := range []Kind{Regclass, Regtype, Regproc, Regnamespace, Regprocedure} {
			extraCasts[[2]Kind{k, r}] = CastImplicit
		}
	}
	extraCasts[[2]Kind{OID, Int4}] = CastAssignment
	extraCasts[[2]Kind{OID, Int8}] = CastAssignment
	for _, r := range []Kind{Regclass, Regtype, Regproc, Regnamespace, Regprocedure} {
		extraCasts[[2]Kind{OID, r}] = CastImplicit
		extraCasts[[2]Kind{r, OID}] = CastImplicit
		extraCasts[[2]Kind{r, Int4}] = CastAssignment
		extraCasts[[2]Kind{r, Int8}] = CastAssignment
	}
	extraCasts[[2]Kind{Int2Vector, ArrayOf(Int2)}] = CastImplicit
	extraCasts[[2]Kind{OIDVector, ArrayOf(OID)}] = CastImplicit
	extraCasts[[2]Kind{Text, Char}] = CastAssignment
	extraCasts[[2]Kind{Varchar, Char}] = CastAssignment
	extraCasts[[2]Kind{BPChar, Char}] = CastAssignment
	extraCasts[[2]Kind{Char, Int4}] = CastExplicit
	extraCasts[[2]Kind{Int4, Char}] = CastExplicit
}

// IsOIDKind reports whether k is oid or a reg* type: values compared as
// unsigned OIDs.
func (k Kind) IsOIDKind() bool {
	return k == OID || k == Regclass || k == Regtype || k == Regproc || k == Regnamespace || k == Regprocedure
}

// IsRegKind reports whether k is one of the reg* types.
func (k Kind) IsRegKind() bool { return k.IsOIDKind() && k != OID }

// IsVector reports whether k is int2vector or oidvector.
func (k Kind) IsVector() bool { return k == Int2Vector || k == OIDVector }

// VectorArray returns the array kind a vector kind converts to (int2[]
// or oid[]).
func (k Kind) VectorArray() Kind {
	if k == Int2Vector {
		return ArrayOf(Int2)
	}
	return ArrayOf(OID)
}

// NewOID returns an oid.
func NewOID(oid uint32) Value { return Value{kind: OID, valid: true, i: int64(oid)} }

// NewReg returns a value of reg* kind k: an OID and the name it shows as
// (empty: the number).
func NewReg(k Kind, oid uint32, name string) Value {
	return Value{kind: k, valid: true, i: int64(oid), s: name}
}

// NewName returns a name, truncated to NameDataLen-1 bytes on a character
// boundary as PostgreSQL's namein does.
func NewName(s string) Value { return Value{kind: Name, valid: true, s: truncateName(s)} }

// NewChar returns a "char": the first byte of s (none for "").
func NewChar(s string) Value {
	if len(s) > 1 {
		s = s[:1]
	}
	return Value{kind: Char, valid: true, s: s}
}

// NewVector returns an int2vector or oidvector of the given elements.
func NewVector(k Kind, elems []Value) Value { return Value{kind: k, valid: true, x: elems} }

// VoidValue is the (non-NULL) value of a function returning void.
var VoidValue = Value{kind: Void, valid: true}

// truncateName cuts s to at most NameDataLen-1 bytes without splitting a
// UTF-8 sequence.
func truncateName(s string) string {
	if len(s) < NameDataLen {
		return s
	}
	n := NameDataLen - 1
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n]
}

// internalCategory is pg_type.typcategory of the internal kinds.
func internalCategory(k Kind) (byte, bool) {
	switch {
	case k.IsOIDKind():
		return 'N', true
	case k.IsVector():
		return 'A', true
	case k == Void:
		return 'P', true
	case k == Char:
		return 'Z', true
	}
	return 0, false
}

// appendInternal appends the text output of an internal kind; ok is false
// for other kinds.
func appendInternal(buf []byte, v Value) ([]byte, bool) {
	switch {
	case v.kind == OID:
		return strconv.AppendUint(buf, uint64(uint32(v.i)), 10), true
	case v.kind.IsRegKind():
		if v.s != "" {
			return append(buf, v.s...), true
		}
		if v.i == 0 {
			return append(buf, '-'), true
		}
		return strconv.AppendUint(buf, uint64(uint32(v.i)), 10), true
	case v.kind.IsVector():
		for i, e := range v.Elems() {
			if i > 0 {
				buf = append(buf, ' ')
			}
			buf = e.AppendText(buf)
		}
		return buf, true
	case v.kind == Void:
		return buf, true
	}
	return buf, false
}

// parseOID is oidin: a decimal number in -2147483648..4294967295, a
// negative one taken modulo 2^32.
func parseOID(s string) (Value, error) {
	t := trimSpace(s)
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value %q is out of range for type oid", s)
		}
		return Null, sqlerr.InvalidText("oid", s)
	}
	if n < -2147483648 || n > 4294967295 {
		return Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "value %q is out of range for type oid", s)
	}
	return NewOID(uint32(n)), nil
}

// parseInternal is the input function of an internal kind; ok is false
// for other kinds. A reg* kind accepts only a number here (names need
// the catalog: the binder resolves them).
func parseInternal(k Kind, s string) (Value, bool, error) {
	switch {
	case k == OID:
		v, err := parseOID(s)
		return v, true, err
	case k.IsRegKind():
		t := trimSpace(s)
		if t == "-" {
			return NewReg(k, 0, ""), true, nil
		}
		if t != "" && t[0] >= '0' && t[0] <= '9' {
			v, err := parseOID(t)
			if err != nil {
				return Null, true, err
			}
			return NewReg(k, uint32(v.i), ""), true, nil
		}
		return Null, true, sqlerr.New(sqlerr.FeatureNotSupported, "%s input of a name needs the catalog", k)
	case k == Name:
		return NewName(s), true, nil
	case k == Char:
		return NewChar(s), true, nil
	case k.IsVector():
		elem := Int2
		if k == OIDVector {
			elem = OID
		}
		var out []Value
		for _, f := range strings.Fields(s) {
			var v Value
			var err error
			if elem == OID {
				v, err = parseOID(f)
			} else {
				v, err = parseInt(Int2, f)
			}
			if err != nil {
				return Null, true, err
			}
			out = append(out, v)
		}
		return NewVector(k, out), true, nil
	case k == Void:
		return VoidValue, true, nil
	}
	return Null, false, nil
}

// castInternal converts between an internal kind and another kind; ok is
// false when neither kind is internal (or no conversion applies here).
func castInternal(v Value, to Kind) (Value, bool, error) {
	from := v.kind
	switch {
	case from.IsInteger() && to.IsOIDKind():
		n := v.i
		if from == Int8 && (n < 0 || n > 4294967295) {
			return Null, true, sqlerr.New(sqlerr.NumericValueOutOfRange, "OID out of range")
		}
		return Value{kind: to, valid: true, i: int64(uint32(n))}, true, nil
	case from.IsOIDKind() && to.IsOIDKind():
		if to == OID {
			return NewOID(uint32(v.i)), true, nil
		}
		return Value{kind: to, valid: true, i: v.i}, true, nil
	case from.IsOIDKind() && to == Int8:
		return NewInt(Int8, int64(uint32(v.i))), true, nil
	case from.IsOIDKind() && to == Int4:
		return NewInt(Int4, int64(int32(uint32(v.i)))), true, nil
	case from.IsVector() && to.IsArray():
		el := v.Elems()
		out := make([]Value, len(el))
		for i, e := range el {
			c, err := castKind(e, to.Elem())
			if err != nil {
				return Null, true, err
			}
			out[i] = c
		}
		return NewArray(to.Elem(), out), true, nil
	case from == Char && to == Int4:
		if v.s == "" {
			return NewInt(Int4, 0), true, nil
		}
		return NewInt(Int4, int64(int8(v.s[0]))), true, nil
	case from == Int4 && to == Char:
		if v.i < -128 || v.i > 127 {
			return Null, true, sqlerr.New(sqlerr.NumericValueOutOfRange, "\"char\" out of range")
		}
		if v.i == 0 {
			return NewChar(""), true, nil
		}
		return Value{kind: Char, valid: true, s: string([]byte{byte(v.i)})}, true, nil
	case to == Name && (from.IsString() || from == Unknown):
		return NewName(v.s), true, nil
	case to == Char && (from.IsString() || from == Unknown):
		s := v.s
		if from == BPChar {
			s = strings.TrimRight(s, " ")
		}
		return NewChar(s), true, nil
	}
	return Null, false, nil
}

// internalElemOID is pg_type.typelem of the internal scalar kinds that
// have one (name's is "char", the vectors' their element type).
func internalElemOID(k Kind) uint32 {
	switch k {
	case Name:
		return OIDChar
	case Int2Vector:
		return OIDInt2
	case OIDVector:
		return OIDOid
	}
	return 0
}
