package planner

import (
	"context"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// TestBacktrackAgreesWithRE2 runs patterns RE2 can run through the
// backtracking matcher as well: both must find the same matches and
// groups (leftmost-first, as Go's regexp), so the matcher's semantics
// are RE2's plus back references and lookaround.
func TestBacktrackAgreesWithRE2(t *testing.T) {
	patterns := []string{
		`a`, `a*`, `a+?`, `(a|ab)(c|bcd)(d*)`, `x*`, `(?i)AbC`, `[a-c]+`, `[^a]`, `^ab`, `b$`, `(?m)^b`,
		`(\w+)\s(\w+)`, `\bfoo\b`, `\Bo`, `(a)|(b)`, `(a{2,3})+`, `a{0}`, `(?s).+`, `.+`, `((a)|b)+`, `(a*)*`,
		`(a*)+b`, `(?:ab)??c`, `é+`, `[[:digit:]]+`, `(|a)+`, `(a|)+?x`,
	}
	inputs := []string{"", "a", "abcd", "aab", "xaaxbbx", "AbC abc", "foo food foo", "ab\nb", "aaaaab", "ééa", "12 345", "bab"}
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		bt, err := compileBacktrack(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, in := range inputs {
			want := re.FindAllStringSubmatchIndex(in, -1)
			got, err := bt.findAll(in, -1)
			if err != nil {
				t.Fatalf("%s on %q: %v", p, in, err)
			}
			if len(want) == 0 && len(got) == 0 {
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s on %q: got %v, want %v", p, in, got, want)
			}
		}
	}
}

// TestBacktrackRewrite checks which patterns take the backtracking
// matcher and the group numbering of the rewritten pattern.
func TestBacktrackRewrite(t *testing.T) {
	for _, c := range []struct {
		pat     string
		special bool
		code    string
	}{
		{`abc`, false, ""},
		{`(a)\d`, false, ""},
		{`[\1]`, false, ""},
		{`(a)\1`, true, ""},
		{`(a)\10`, false, ""}, // an octal escape
		{`(?:a)\1`, true, "2201B"},
		{`(a\1)`, true, "2201B"},
		{`\1(a)`, true, "2201B"},
		{`(?=(a))\1`, true, "2201B"},
		{`a(?=b)`, true, ""},
		{`a(?!b)`, true, ""},
		{`(?<=a)b`, true, ""},
		{`(?<!a)b`, true, ""},
		{`(?:a)`, false, ""},
	} {
		_, special, err := rewriteBacktrack(c.pat)
		if special != c.special || sqlerr.Code(err) != c.code && !(c.code == "" && err == nil) {
			t.Errorf("%s: special %v, err %v; want %v, %q", c.pat, special, err, c.special, c.code)
		}
	}
}

// TestBacktrackBudget checks that a pattern whose matching explodes
// fails with 54000 in bounded time instead of holding the session.
func TestBacktrackBudget(t *testing.T) {
	s := newTestEngine(t).NewSession()
	ctx := context.Background()
	start := time.Now()
	_, err := s.Exec(ctx, "SELECT '"+strings.Repeat("a", 40)+"' ~ '^(a+)+\\1b'")
	if sqlerr.Code(err) != sqlerr.ProgramLimitExceeded {
		t.Fatalf("pathological pattern: %v, want 54000", err)
	}
	if el := time.Since(start); el > 20*time.Second {
		t.Errorf("budget took %v", el)
	}
	// The session is still usable, and ordinary back references work on
	// long strings.
	long := strings.Repeat("ab", 5000) + "xx"
	res, err := s.Exec(ctx, "SELECT '"+long+"' ~ '(x)\\1', regexp_replace('"+long+"', '(b)(?=x)', '<\\1>')")
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].Rows[0][0].Bool() || !strings.HasSuffix(res[0].Rows[0][1].Str(), "a<b>xx") {
		t.Errorf("long input: %v", res[0].Rows[0])
	}
}
