package types

// Text I/O, casts, ordering, keys and wire formats of the internal catalog
// types (oidtypes.go).

import (
	"strings"
	"testing"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

func TestInternalTypesText(t *testing.T) {
	for _, c := range []struct {
		t        T
		in, want string
		code     string
	}{
		{TOID, "42", "42", ""},
		{TOID, " 4294967295 ", "4294967295", ""},
		{TOID, "-1", "4294967295", ""},
		{TOID, "-2147483648", "2147483648", ""},
		{TOID, "4294967296", "", sqlerr.NumericValueOutOfRange},
		{TOID, "-2147483649", "", sqlerr.NumericValueOutOfRange},
		{TOID, "x", "", sqlerr.InvalidTextRepresentation},
		{TOID, "", "", sqlerr.InvalidTextRepresentation},
		{TName, "abc", "abc", ""},
		{TName, strings.Repeat("n", 70), strings.Repeat("n", 63), ""},
		{TName, strings.Repeat("é", 40), strings.Repeat("é", 31), ""},
		{TChar, "xyz", "x", ""},
		{TChar, "", "", ""},
		{TRegclass, "1259", "1259", ""},
		{TRegclass, "-", "-", ""},
		{TInt2Vector, "1 3  2", "1 3 2", ""},
		{TInt2Vector, "", "", ""},
		{TInt2Vector, "1 x", "", sqlerr.InvalidTextRepresentation},
		{TOIDVector, "23 4294967295", "23 4294967295", ""},
		{TVoid, "", "", ""},
	} {
		v, err := ParseText(c.t, c.in)
		if c.code != "" {
			if sqlerr.Code(err) != c.code {
				t.Errorf("%s %q: err %v, want %s", c.t, c.in, err, c.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %q: %v", c.t, c.in, err)
			continue
		}
		if got := string(v.AppendText(nil)); got != c.want || v.Kind() != c.t.Kind {
			t.Errorf("%s %q = %q (%s), want %q", c.t, c.in, got, v.Kind(), c.want)
		}
	}
}

func TestInternalTypesCast(t *testing.T) {
	for _, c := range []struct {
		v    Value
		to   T
		want string
		code string
	}{
		{NewInt(Int4, -1), TOID, "4294967295", ""},
		{NewInt(Int2, 7), TOID, "7", ""},
		{NewInt(Int8, 4294967295), TOID, "4294967295", ""},
		{NewInt(Int8, 4294967296), TOID, "", sqlerr.NumericValueOutOfRange},
		{NewInt(Int8, -1), TOID, "", sqlerr.NumericValueOutOfRange},
		{NewOID(4294967295), TInt4, "-1", ""},
		{NewOID(4294967295), TInt8, "4294967295", ""},
		{NewReg(Regclass, 1259, "pg_class"), TOID, "1259", ""},
		{NewReg(Regclass, 1259, "pg_class"), TText, "pg_class", ""},
		{NewOID(1259), TRegclass, "1259", ""},
		{NewText("abc"), TName, "abc", ""},
		{NewName("abc"), TText, "abc", ""},
		{NewText("xy"), TChar, "x", ""},
		{NewBPChar("a  "), TChar, "a", ""},
		{NewChar("A"), TInt4, "65", ""},
		{NewInt(Int4, 66), TChar, "B", ""},
		{NewInt(Int4, 300), TChar, "", sqlerr.NumericValueOutOfRange},
		{NewVector(Int2Vector, []Value{NewInt(Int2, 1), NewInt(Int2, 3)}), ArrayType(TInt2), "{1,3}", ""},
		{NewVector(OIDVector, []Value{NewOID(23)}), ArrayType(TOID), "{23}", ""},
		{NewVector(Int2Vector, []Value{NewInt(Int2, 1), NewInt(Int2, 3)}), TText, "1 3", ""},
	} {
		got, err := Cast(c.v, c.to, CastExplicit)
		if c.code != "" {
			if sqlerr.Code(err) != c.code {
				t.Errorf("%s::%s: err %v, want %s", c.v, c.to, err, c.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s::%s: %v", c.v, c.to, err)
			continue
		}
		if s := got.String(); s != c.want || got.Kind() != c.to.Kind {
			t.Errorf("%s::%s = %s (%s), want %s", c.v, c.to, s, got.Kind(), c.want)
		}
	}
}

func TestInternalTypesCompareAndKeys(t *testing.T) {
	// OIDs order unsigned, also against integers and across reg* kinds.
	pairs := [][2]Value{
		{NewOID(1), NewOID(4294967295)},
		{NewOID(2147483647), NewOID(2147483648)},
		{NewInt(Int4, 5), NewOID(6)},
		{NewReg(Regclass, 10, "b"), NewReg(Regclass, 11, "a")},
		{NewReg(Regtype, 23, "integer"), NewOID(25)},
		{NewVector(Int2Vector, []Value{NewInt(Int2, 1)}), NewVector(Int2Vector, []Value{NewInt(Int2, 1), NewInt(Int2, 0)})},
	}
	for _, p := range pairs {
		if Compare(p[0], p[1]) >= 0 || Compare(p[1], p[0]) <= 0 {
			t.Errorf("Compare(%s, %s): want less", p[0], p[1])
		}
	}
	if Compare(NewReg(Regclass, 10, "x"), NewOID(10)) != 0 {
		t.Error("a regclass and its OID must compare equal")
	}
	ka, kb := appendKeyBytes(nil, NewOID(2147483647)), appendKeyBytes(nil, NewOID(2147483648))
	if string(ka) >= string(kb) {
		t.Error("OID key bytes must order unsigned")
	}
	if KeyElem(NewOID(7)) != KeyElem(NewReg(Regclass, 7, "t")) {
		t.Error("equal OIDs must have equal keys")
	}
}

func TestInternalTypesStoreAndBinary(t *testing.T) {
	for _, v := range []Value{NewOID(4294967295), NewName("abc"), NewChar("z"), NewChar("")} {
		back, err := FromStore(T{v.Kind(), -1}, StoreElem(v))
		if err != nil || Compare(back, v) != 0 || back.Kind() != v.Kind() {
			t.Errorf("store %s: got %s, %v", v, back, err)
		}
		b, err := AppendBinary(nil, v)
		if err != nil {
			t.Fatalf("binary %s: %v", v, err)
		}
		back, err = FromBinary(T{v.Kind(), -1}.OID(), b)
		if err != nil || Compare(back, v) != 0 {
			t.Errorf("binary %s: got %s, %v", v, back, err)
		}
	}
	if HasBinary(OIDInt2Vector) || HasBinary(OIDVoid) {
		t.Error("vectors and void have no binary format here: clients must get text")
	}
	if !HasBinary(OIDOid) || !HasBinary(OIDName) || !HasBinary(OIDRegclass) {
		t.Error("oid, name and regclass have binary formats")
	}
}
