// Package types implements the SQL types the engine supports, with
// PostgreSQL 15's semantics: their OIDs and sizes, their text input and
// output functions, casts, arithmetic and comparison. It knows nothing of
// parsing or storage beyond the element encodings in encode.go.
//
// The types: boolean, smallint, integer, bigint, numeric, real, double
// precision, text, character varying(n), character(n), date, time,
// timestamp, timestamptz, interval, bytea, uuid, json, jsonb, and
// one-dimensional arrays of any of them (ArrayOf, ArrayType); and the
// internal types of the system catalogs: oid, name, "char", regclass,
// regtype, regproc, regnamespace, int2vector, oidvector and void.
//
// # Files
//
//	types.go         kinds, OIDs, typmods, format_type names, LookupType
//	value.go         Value, its constructors, text output and input
//	numeric.go       numeric with PostgreSQL's scales and rounding
//	datetime.go      date/time representations, ISO output, input parsing
//	datetime_ops.go  date/time casts, comparison, + - * / operators
//	datetime_funcs.go extract, date_trunc, age
//	datetime_make.go to_timestamp(double), make_date, make_time, make_interval...
//	tochar.go        to_char for timestamps and intervals
//	fromchar.go      to_date and to_timestamp(text, format)
//	interval.go      interval input, output, arithmetic
//	bytea.go         bytea and uuid
//	json.go          json validation, jsonb trees, jsonb order
//	json_ops.go      -> ->> #> #>> @> ? || - and the json(b) functions
//	array.go         array text input and output, order
//	array_ops.go     array functions and = ANY / ALL
//	oidtypes.go      oid, reg*, name, "char", int2vector, oidvector, void
//	ops.go           casts, comparison and arithmetic
//	encode.go        store and order-preserving key encodings
//	binary.go        binary wire formats (send/recv) for pgwire
//
// # Session settings
//
// Date/time input and output depend on the session: an *Env carries the
// TimeZone (timestamptz values are stored in UTC and shown in it) and the
// statement time ('now', 'today'). ParseTextEnv, CastEnv, AppendTextEnv
// and the date/time functions take one; ParseText, Cast and AppendText
// use UTC and the current time. A result value can carry its display zone
// (Value.InZone) so that AppendText, which pgwire calls, shows it in the
// session's TimeZone. DateStyle is ISO, MDY and IntervalStyle postgres,
// PostgreSQL's defaults.
package types

import (
	"fmt"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// Kind is a SQL type without its modifier.
type Kind uint8

// The supported kinds. Unknown is the type of a quoted literal or parameter
// whose type is not yet resolved (PostgreSQL's "unknown", OID 705).
const (
	Unknown Kind = iota
	Bool
	Int2
	Int4
	Int8
	Numeric
	Float4
	Float8
	Text
	Varchar
	BPChar      // character(n), blank-padded
	Date        // days since 2000-01-01
	Time        // time without time zone: microseconds since midnight
	Timestamp   // timestamp without time zone: microseconds since 2000-01-01
	TimestampTZ // timestamp with time zone: microseconds since 2000-01-01 UTC
	Interval    // months, days and microseconds
	Bytea
	UUID
	JSON  // text kept as given, validated
	JSONB // normalised JSON

	// PostgreSQL's internal types that catalog queries use (oidtypes.go).
	OID          // oid: an unsigned 32-bit object identifier
	Name         // name: an identifier of at most 63 bytes
	Char         // "char": a single byte
	Regclass     // regclass: a relation's OID, shown as its name
	Regtype      // regtype: a type's OID, shown as its name
	Regproc      // regproc: a function's OID, shown as its name
	Regnamespace // regnamespace: a schema's OID, shown as its name
	Int2Vector   // int2vector: a vector of smallints, subscripted from 0
	OIDVector    // oidvector: a vector of OIDs, subscripted from 0
	Void         // void: the result of a function that returns nothing
	Regprocedure // regprocedure: a function's OID, shown as its signature

	numKinds // the number of scalar kinds; not a kind
)

// arrayBit marks an array kind: ArrayOf(k) is k|arrayBit. Arrays are
// one-dimensional; their elements are of the scalar kind k.
const arrayBit Kind = 0x80

// PostgreSQL type OIDs.
const (
	OIDBool    uint32 = 16
	OIDInt8    uint32 = 20
	OIDInt2    uint32 = 21
	OIDInt4    uint32 = 23
	OIDText    uint32 = 25
	OIDFloat4  uint32 = 700
	OIDFloat8  uint32 = 701
	OIDUnknown uint32 = 705
	OIDVarchar uint32 = 1043
	OIDNumeric uint32 = 1700

	OIDBytea       uint32 = 17
	OIDJSON        uint32 = 114
	OIDBPChar      uint32 = 1042
	OIDDate        uint32 = 1082
	OIDTime        uint32 = 1083
	OIDTimestamp   uint32 = 1114
	OIDTimestampTZ uint32 = 1184
	OIDInterval    uint32 = 1186
	OIDUUID        uint32 = 2950
	OIDJSONB       uint32 = 3802
)

// T is a SQL type: a kind and a type modifier as PostgreSQL encodes it
// (atttypmod): -1 for none, n+4 for varchar(n) and character(n),
// ((p<<16)|s)+4 for numeric(p,s), p for time(p), timestamp(p) and
// timestamptz(p). An array type's modifier is its elements' (varchar(3)[]
// has the modifier of varchar(3)), as in PostgreSQL.
type T struct {
	Kind Kind
	Mod  int32
}

// Common types without modifiers.
var (
	TUnknown = T{Unknown, -1}
	TBool    = T{Bool, -1}
	TInt2    = T{Int2, -1}
	TInt4    = T{Int4, -1}
	TInt8    = T{Int8, -1}
	TNumeric = T{Numeric, -1}
	TFloat4  = T{Float4, -1}
	TFloat8  = T{Float8, -1}
	TText    = T{Text, -1}
	TVarchar = T{Varchar, -1}

	TBPChar      = T{BPChar, -1}
	TDate        = T{Date, -1}
	TTime        = T{Time, -1}
	TTimestamp   = T{Timestamp, -1}
	TTimestampTZ = T{TimestampTZ, -1}
	TInterval    = T{Interval, -1}
	TBytea       = T{Bytea, -1}
	TUUID        = T{UUID, -1}
	TJSON        = T{JSON, -1}
	TJSONB       = T{JSONB, -1}
)

// kindData describes a kind as pg_type has it.
type kindData struct {
	oid      uint32
	size     int16
	name     string // format_type name, as in messages
	internal string // pg_type.typname, used for column names of casts
	arrayOID uint32 // pg_type.typarray
}

var kindInfo = [numKinds]kindData{
	Unknown:     {OIDUnknown, -2, "unknown", "unknown", 0},
	Bool:        {OIDBool, 1, "boolean", "bool", 1000},
	Int2:        {OIDInt2, 2, "smallint", "int2", 1005},
	Int4:        {OIDInt4, 4, "integer", "int4", 1007},
	Int8:        {OIDInt8, 8, "bigint", "int8", 1016},
	Numeric:     {OIDNumeric, -1, "numeric", "numeric", 1231},
	Float4:      {OIDFloat4, 4, "real", "float4", 1021},
	Float8:      {OIDFloat8, 8, "double precision", "float8", 1022},
	Text:        {OIDText, -1, "text", "text", 1009},
	Varchar:     {OIDVarchar, -1, "character varying", "varchar", 1015},
	BPChar:      {OIDBPChar, -1, "character", "bpchar", 1014},
	Date:        {OIDDate, 4, "date", "date", 1182},
	Time:        {OIDTime, 8, "time without time zone", "time", 1183},
	Timestamp:   {OIDTimestamp, 8, "timestamp without time zone", "timestamp", 1115},
	TimestampTZ: {OIDTimestampTZ, 8, "timestamp with time zone", "timestamptz", 1185},
	Interval:    {OIDInterval, 16, "interval", "interval", 1187},
	Bytea:       {OIDBytea, -1, "bytea", "bytea", 1001},
	UUID:        {OIDUUID, 16, "uuid", "uuid", 2951},
	JSON:        {OIDJSON, -1, "json", "json", 199},
	JSONB:       {OIDJSONB, -1, "jsonb", "jsonb", 3807},

	OID:          {OIDOid, 4, "oid", "oid", 1028},
	Name:         {OIDName, 64, "name", "name", 1003},
	Char:         {OIDChar, 1, `"char"`, "char", 1002},
	Regclass:     {OIDRegclass, 4, "regclass", "regclass", 2210},
	Regtype:      {OIDRegtype, 4, "regtype", "regtype", 2211},
	Regproc:      {OIDRegproc, 4, "regproc", "regproc", 1008},
	Regnamespace: {OIDRegnamespace, 4, "regnamespace", "regnamespace", 4090},
	Int2Vector:   {OIDInt2Vector, -1, "int2vector", "int2vector", 1006},
	OIDVector:    {OIDOidVector, -1, "oidvector", "oidvector", 1013},
	Void:         {OIDVoid, 4, "void", "void", 0},
	Regprocedure: {OIDRegprocedure, 4, "regprocedure", "regprocedure", 2207},
}

// info returns the description of a scalar kind; an array kind or an
// out-of-range kind gets the unknown type's.
func info(k Kind) kindData {
	if k < numKinds {
		return kindInfo[k]
	}
	return kindInfo[Unknown]
}

// ArrayOf returns the kind of one-dimensional arrays of elem (a scalar
// kind other than Unknown).
func ArrayOf(elem Kind) Kind { return elem&^arrayBit | arrayBit }

// IsArray reports whether k is an array kind.
func (k Kind) IsArray() bool { return k&arrayBit != 0 }

// Elem returns the element kind of an array kind (k itself otherwise).
func (k Kind) Elem() Kind { return k &^ arrayBit }

// ArrayType returns the array type whose elements are of type t (t's
// modifier applies to the elements).
func ArrayType(t T) T { return T{ArrayOf(t.Kind), t.Mod} }

// ElemType returns the element type of an array type.
func (t T) ElemType() T { return T{t.Kind.Elem(), t.Mod} }

// OID returns the type's PostgreSQL OID (the array type's OID for an
// array kind: 1007 for integer[]).
func (t T) OID() uint32 {
	if t.Kind.IsArray() {
		return info(t.Kind.Elem()).arrayOID
	}
	return info(t.Kind).oid
}

// Size returns pg_type.typlen: the fixed size in bytes, -1 for
// variable-length types, -2 for unknown.
func (t T) Size() int16 {
	if t.Kind.IsArray() {
		return -1
	}
	return info(t.Kind).size
}

// TypName returns pg_type.typname (int4, varchar, _int4 for integer[]...).
func (t T) TypName() string {
	if t.Kind.IsArray() {
		return "_" + info(t.Kind.Elem()).internal
	}
	return info(t.Kind).internal
}

// String returns the type as PostgreSQL's format_type prints it in
// messages: integer, character varying(10), numeric(10,2), integer[],
// timestamp(3) without time zone.
func (t T) String() string {
	if t.Kind.IsArray() {
		return t.ElemType().String() + "[]"
	}
	name := info(t.Kind).name
	switch {
	case (t.Kind == Varchar || t.Kind == BPChar) && t.Mod >= 4:
		return fmt.Sprintf("%s(%d)", name, t.Mod-4)
	case t.Kind == BPChar:
		// format_type shows an unbounded character as bpchar.
		return "bpchar"
	case t.Kind == Numeric && t.Mod >= 4:
		p, s := t.NumericPrecScale()
		return fmt.Sprintf("%s(%d,%d)", name, p, s)
	case t.Kind == Time && t.Mod >= 0:
		return fmt.Sprintf("time(%d) without time zone", t.Mod)
	case t.Kind == Timestamp && t.Mod >= 0:
		return fmt.Sprintf("timestamp(%d) without time zone", t.Mod)
	case t.Kind == TimestampTZ && t.Mod >= 0:
		return fmt.Sprintf("timestamp(%d) with time zone", t.Mod)
	}
	return name
}

// NumericPrecScale returns the precision and scale of numeric(p,s); it is
// meaningful only when Mod >= 4.
func (t T) NumericPrecScale() (prec, scale int) {
	m := t.Mod - 4
	return int(m>>16) & 0xffff, int(int16(m & 0xffff))
}

// VarcharLen returns n of varchar(n) or character(n), or -1 when
// unbounded.
func (t T) VarcharLen() int {
	if (t.Kind.Elem() != Varchar && t.Kind.Elem() != BPChar) || t.Mod < 4 {
		return -1
	}
	return int(t.Mod - 4)
}

// BPCharMod returns the type modifier of character(n). Note that
// character without a length means character(1), while bpchar without one
// is unbounded (modifier -1).
func BPCharMod(n int) int32 { return int32(n) + 4 }

// MaxTimePrecision is the largest precision of time(p) and timestamp(p).
const MaxTimePrecision = 6

// NumericMod returns the type modifier of numeric(prec, scale).
func NumericMod(prec, scale int) int32 { return int32(prec<<16|scale&0xffff) + 4 }

// VarcharMod returns the type modifier of varchar(n).
func VarcharMod(n int) int32 { return int32(n) + 4 }

// FromOID returns the type with the given OID and no modifier, and false
// when the OID is not supported.
func FromOID(oid uint32) (T, bool) {
	for k, ki := range kindInfo {
		if ki.oid == oid {
			return T{Kind(k), -1}, true
		}
		if ki.arrayOID == oid && ki.arrayOID != 0 {
			return T{ArrayOf(Kind(k)), -1}, true
		}
	}
	return T{}, false
}

// IsNumeric reports whether k is in PostgreSQL's numeric category.
func (k Kind) IsNumeric() bool { return k >= Int2 && k <= Float8 }

// IsInteger reports whether k is smallint, integer or bigint.
func (k Kind) IsInteger() bool { return k >= Int2 && k <= Int8 }

// IsString reports whether k is in the string category (text, varchar,
// character).
func (k Kind) IsString() bool {
	return k == Text || k == Varchar || k == BPChar || k == Name || k == Char
}

// IsDateTime reports whether k is in the date/time category (date, time,
// timestamp, timestamptz), interval excluded.
func (k Kind) IsDateTime() bool { return k >= Date && k <= TimestampTZ }

// String returns the kind's format_type name ("integer[]" for arrays).
func (k Kind) String() string {
	if k.IsArray() {
		return info(k.Elem()).name + "[]"
	}
	return info(k).name
}

// LookupType resolves a type name as pg_query spells it (the last part of
// the TypeName, lower case: "bpchar", "timestamptz", "date"...) with its
// modifiers, for the types of this package beyond the numeric and text
// ones the binder knows itself. An unknown name gives ok false; a bad
// modifier gives an error with PostgreSQL's message, and notices (such as
// "TIMESTAMP(7) precision reduced to maximum allowed, 6") are returned for
// the caller to send.
func LookupType(name string, mods []int64) (t T, notices []*sqlerr.Error, ok bool, err error) {
	noMods := func(k Kind) (T, []*sqlerr.Error, bool, error) {
		if len(mods) > 0 {
			return T{}, nil, true, sqlerr.Syntax("type modifier is not allowed for type %q", name)
		}
		return T{k, -1}, nil, true, nil
	}
	switch name {
	case "bpchar", "char", "character":
		switch len(mods) {
		case 0:
			if name == "bpchar" {
				return TBPChar, nil, true, nil
			}
			return T{BPChar, BPCharMod(1)}, nil, true, nil
		case 1:
			if mods[0] < 1 {
				return T{}, nil, true, sqlerr.New(sqlerr.InvalidParameterValue, "length for type char must be at least 1")
			}
			if mods[0] > 10485760 {
				return T{}, nil, true, sqlerr.New(sqlerr.InvalidParameterValue, "length for type char cannot exceed 10485760")
			}
			return T{BPChar, BPCharMod(int(mods[0]))}, nil, true, nil
		}
		return T{}, nil, true, sqlerr.Syntax("invalid type modifier")
	case "date":
		return noMods(Date)
	case "bytea":
		return noMods(Bytea)
	case "uuid":
		return noMods(UUID)
	case "json":
		return noMods(JSON)
	case "jsonb":
		return noMods(JSONB)
	case "interval":
		// Interval field restrictions (YEAR TO MONTH...) and precision are
		// accepted and not enforced.
		return TInterval, nil, true, nil
	case "time", "timestamp", "timestamptz":
		k := map[string]Kind{"time": Time, "timestamp": Timestamp, "timestamptz": TimestampTZ}[name]
		label := "TIMESTAMP"
		if k == Time {
			label = "TIME"
		}
		switch len(mods) {
		case 0:
			return T{k, -1}, nil, true, nil
		case 1:
			p := mods[0]
			if p < 0 {
				return T{}, nil, true, sqlerr.New(sqlerr.InvalidParameterValue, "%s(%d)%s precision must not be negative", label, p, tzSuffix(k))
			}
			if p > MaxTimePrecision {
				n := sqlerr.WarningNotice(sqlerr.InvalidParameterValue, "%s(%d)%s precision reduced to maximum allowed, %d", label, p, tzSuffix(k), MaxTimePrecision)
				return T{k, MaxTimePrecision}, []*sqlerr.Error{n}, true, nil
			}
			return T{k, int32(p)}, nil, true, nil
		}
		return T{}, nil, true, sqlerr.Syntax("invalid type modifier")
	}
	return T{}, nil, false, nil
}

// tzSuffix is the " WITH TIME ZONE" of messages about timestamptz(p).
func tzSuffix(k Kind) string {
	if k == TimestampTZ {
		return " WITH TIME ZONE"
	}
	return ""
}

// Category returns pg_type.typcategory: 'B' boolean, 'N' numeric, 'S'
// string, 'D' date/time, 'T' timespan, 'U' user-defined (bytea, uuid,
// json, jsonb), 'A' array, 'X' unknown.
func (t T) Category() byte {
	k := t.Kind
	switch {
	case k.IsArray():
		return 'A'
	case k == Char:
		return 'Z'
	case k == Bool:
		return 'B'
	case k.IsNumeric():
		return 'N'
	case k.IsString():
		return 'S'
	case k.IsDateTime():
		return 'D'
	case k == Interval:
		return 'T'
	case k == Unknown:
		return 'X'
	}
	if c, ok := internalCategory(k); ok {
		return c
	}
	return 'U'
}

// ArrayOID returns pg_type.typarray: the OID of the array type of t (0
// for arrays and unknown).
func (t T) ArrayOID() uint32 {
	if t.Kind.IsArray() {
		return 0
	}
	return info(t.Kind).arrayOID
}

// ElemOID returns pg_type.typelem of an array type (0 otherwise).
func (t T) ElemOID() uint32 {
	if !t.Kind.IsArray() {
		return internalElemOID(t.Kind)
	}
	return info(t.Kind.Elem()).oid
}

// BuiltinTypes lists every supported type without modifier, scalar types
// then their array types, for catalogs such as pg_type.
func BuiltinTypes() []T {
	var out []T
	for k := Kind(1); k < numKinds; k++ {
		out = append(out, T{k, -1})
	}
	for k := Kind(1); k < numKinds; k++ {
		if info(k).arrayOID != 0 {
			out = append(out, T{ArrayOf(k), -1})
		}
	}
	return out
}
