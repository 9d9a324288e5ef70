package syscat

import (
	"slices"
	"testing"
)

func TestCopyUnescape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`plain`, "plain"},
		{`a\tb\nc\\d`, "a\tb\nc\\d"},
		{`\101\x42\r\b\f\v`, "AB\r\b\f\v"},
		{`\q`, "q"},
		{`end\`, `end\`},
	} {
		if got := copyUnescape(c.in); got != c.want {
			t.Errorf("copyUnescape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParseTextArray(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{`{}`, []string{}},
		{`{a,b}`, []string{"a", "b"}},
		{`{"",x,"a,b","q\"uote","back\\slash"}`, []string{"", "x", "a,b", `q"uote`, `back\slash`}},
		{`{i,o,o}`, []string{"i", "o", "o"}},
	} {
		if got := parseTextArray(c.in); !slices.Equal(got, c.want) {
			t.Errorf("parseTextArray(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestPgdataLoaded checks that every embedded file loads and that the
// merged lists stay ordered and unique by OID.
func TestPgdataLoaded(t *testing.T) {
	for _, name := range []string{"pg_type.tsv.gz", "pg_proc.tsv.gz", "pg_operator.tsv.gz", "pg_cast.tsv.gz", "pg_description.tsv.gz"} {
		d, err := loadData(name)
		if err != nil || len(d.rows) == 0 {
			t.Errorf("%s: %d rows, %v", name, len(d.rows), err)
		}
	}
	for i := 1; i < len(builtinProcs); i++ {
		if builtinProcs[i-1].oid >= builtinProcs[i].oid {
			t.Fatalf("builtinProcs out of order at %d", builtinProcs[i].oid)
		}
	}
	for i := 1; i < len(builtinTypes); i++ {
		if builtinTypes[i-1].oid >= builtinTypes[i].oid {
			t.Fatalf("builtinTypes out of order at %d", builtinTypes[i].oid)
		}
	}
	if RegprocOut(3302) != "pg_catalog.jsonb_delete" || RegprocOut(177) != "int4pl" {
		t.Errorf("RegprocOut: %q %q", RegprocOut(3302), RegprocOut(177))
	}
	if d, ok := builtinDescription(96, pgOperatorClassOID); !ok || d != "equal" {
		t.Errorf("description of operator 96: %q %v", d, ok)
	}
}
