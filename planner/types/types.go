// Package types implements the SQL types the engine supports, with
// PostgreSQL's semantics: their OIDs and sizes, their text input and output
// functions, casts, arithmetic and comparison. It knows nothing of parsing
// or storage beyond the element encodings in encode.go.
package types

import (
	"fmt"
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
)

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
)

// T is a SQL type: a kind and a type modifier as PostgreSQL encodes it
// (atttypmod): -1 for none, n+4 for varchar(n), ((p<<16)|s)+4 for
// numeric(p,s).
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
)

var kindInfo = [...]struct {
	oid      uint32
	size     int16
	name     string // format_type name, as in messages
	internal string // pg_type.typname, used for column names of casts
}{
	Unknown: {OIDUnknown, -2, "unknown", "unknown"},
	Bool:    {OIDBool, 1, "boolean", "bool"},
	Int2:    {OIDInt2, 2, "smallint", "int2"},
	Int4:    {OIDInt4, 4, "integer", "int4"},
	Int8:    {OIDInt8, 8, "bigint", "int8"},
	Numeric: {OIDNumeric, -1, "numeric", "numeric"},
	Float4:  {OIDFloat4, 4, "real", "float4"},
	Float8:  {OIDFloat8, 8, "double precision", "float8"},
	Text:    {OIDText, -1, "text", "text"},
	Varchar: {OIDVarchar, -1, "character varying", "varchar"},
}

// OID returns the type's PostgreSQL OID.
func (t T) OID() uint32 { return kindInfo[t.Kind].oid }

// Size returns pg_type.typlen: the fixed size in bytes, -1 for
// variable-length types, -2 for unknown.
func (t T) Size() int16 { return kindInfo[t.Kind].size }

// TypName returns pg_type.typname (int4, varchar...).
func (t T) TypName() string { return kindInfo[t.Kind].internal }

// String returns the type as PostgreSQL's format_type prints it in
// messages: integer, character varying(10), numeric(10,2).
func (t T) String() string {
	name := kindInfo[t.Kind].name
	switch {
	case t.Kind == Varchar && t.Mod >= 4:
		return fmt.Sprintf("%s(%d)", name, t.Mod-4)
	case t.Kind == Numeric && t.Mod >= 4:
		p, s := t.NumericPrecScale()
		return fmt.Sprintf("%s(%d,%d)", name, p, s)
	}
	return name
}

// NumericPrecScale returns the precision and scale of numeric(p,s); it is
// meaningful only when Mod >= 4.
func (t T) NumericPrecScale() (prec, scale int) {
	m := t.Mod - 4
	return int(m>>16) & 0xffff, int(int16(m & 0xffff))
}

// VarcharLen returns n of varchar(n), or -1 when unbounded.
func (t T) VarcharLen() int {
	if t.Kind != Varchar || t.Mod < 4 {
		return -1
	}
	return int(t.Mod - 4)
}

// NumericMod returns the type modifier of numeric(prec, scale).
func NumericMod(prec, scale int) int32 { return int32(prec<<16|scale&0xffff) + 4 }

// VarcharMod returns the type modifier of varchar(n).
func VarcharMod(n int) int32 { return int32(n) + 4 }

// FromOID returns the type with the given OID and no modifier, and false
// when the OID is not supported.
func FromOID(oid uint32) (T, bool) {
	for k, info := range kindInfo {
		if info.oid == oid {
			return T{Kind(k), -1}, true
		}
	}
	return T{}, false
}

// IsNumeric reports whether k is in PostgreSQL's numeric category.
func (k Kind) IsNumeric() bool { return k >= Int2 && k <= Float8 }

// IsInteger reports whether k is smallint, integer or bigint.
func (k Kind) IsInteger() bool { return k >= Int2 && k <= Int8 }

// IsString reports whether k is in the string category (text, varchar).
func (k Kind) IsString() bool { return k == Text || k == Varchar }

// String returns the kind's format_type name.
func (k Kind) String() string { return kindInfo[k].name }
