// Parser tests: every script in ../../testdata/parse is parsed and dumped,
// and the dump must equal the .golden file beside it (go test -update
// rewrites the golden files; review the diff before keeping it).

package slt

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the parser's golden files")

// dump renders records one per line (plus indented SQL and results) for
// the golden files.
func dump(recs []Record) string {
	var b strings.Builder
	for _, r := range recs {
		fmt.Fprintf(&b, "line %d: %s", r.Line, r.Kind)
		switch r.Kind {
		case Statement:
			if r.ExpectError {
				fmt.Fprintf(&b, " error %q", r.ErrorPattern)
			} else {
				b.WriteString(" ok")
			}
		case Query:
			fmt.Fprintf(&b, " %s %s", r.Types, r.Sort)
			if r.Label != "" {
				fmt.Fprintf(&b, " label=%s", r.Label)
			}
		case HashThreshold:
			fmt.Fprintf(&b, " %d", r.Threshold)
		case Invalid:
			fmt.Fprintf(&b, ": %s", r.Err)
		}
		for _, c := range r.Conditions {
			if c.Only {
				fmt.Fprintf(&b, " [onlyif %s]", c.Engine)
			} else {
				fmt.Fprintf(&b, " [skipif %s]", c.Engine)
			}
		}
		b.WriteByte('\n')
		if r.SQL != "" {
			fmt.Fprintf(&b, "  sql: %q\n", r.SQL)
		}
		if r.Expected != nil {
			fmt.Fprintf(&b, "  expected: %q\n", r.Expected)
		}
		if n, h, ok := r.ExpectedHash(); ok {
			fmt.Fprintf(&b, "  hashed: %d values, %s\n", n, h)
		}
	}
	return b.String()
}

func TestParseGolden(t *testing.T) {
	scripts, err := filepath.Glob(filepath.Join("..", "..", "testdata", "parse", "*.slt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) < 3 {
		t.Fatalf("found %d parser test scripts, want at least 3", len(scripts))
	}
	for _, path := range scripts {
		t.Run(filepath.Base(path), func(t *testing.T) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			recs, err := Parse(f)
			if err != nil {
				t.Fatal(err)
			}
			got := dump(recs)
			golden := strings.TrimSuffix(path, ".slt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("parse %s:\n got:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}

func TestApplies(t *testing.T) {
	skip := func(e string) Condition { return Condition{Engine: e} }
	only := func(e string) Condition { return Condition{Only: true, Engine: e} }
	tests := []struct {
		conds []Condition
		want  bool
	}{
		{nil, true},
		{[]Condition{skip("mysql")}, true},
		{[]Condition{skip("postgresql")}, false},
		{[]Condition{skip("PostgreSQL")}, false},
		{[]Condition{only("postgresql")}, true},
		{[]Condition{only("mssql")}, false},
		{[]Condition{skip("mysql"), only("postgresql")}, true},
		{[]Condition{only("postgresql"), skip("postgresql")}, false},
		{[]Condition{only("sqlite"), only("postgresql")}, false},
	}
	for _, tt := range tests {
		if got := Applies(tt.conds, "postgresql"); got != tt.want {
			t.Errorf("Applies(%v, postgresql) = %v, want %v", tt.conds, got, tt.want)
		}
	}
}

func TestParseLongLine(t *testing.T) {
	long := strings.Repeat("x", maxLine+1)
	if _, err := Parse(strings.NewReader("statement ok\nSELECT '" + long + "'\n")); err == nil {
		t.Errorf("Parse accepted a %d-byte line", len(long))
	}
	ok := strings.Repeat("x", 1<<20)
	recs, err := Parse(strings.NewReader("statement ok\nSELECT '" + ok + "'\n"))
	if err != nil || len(recs) != 1 || len(recs[0].SQL) != len(ok)+9 {
		t.Errorf("Parse of a 1 MiB line: %d records, err %v", len(recs), err)
	}
}
