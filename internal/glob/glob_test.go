package glob

import (
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pat, s string
		want   bool
	}{
		{"*", "", false}, // as Redis: a star needs a byte to start on
		{"*", "anything", true},
		{"", "", true},
		{"", "a", false},
		{"a", "", false},
		{"h?llo", "hello", true},
		{"h?llo", "hllo", false},
		{"h*llo", "hllo", true},
		{"h*llo", "heeeello", true},
		{"h[ae]llo", "hallo", true},
		{"h[ae]llo", "hillo", false},
		{"h[^e]llo", "hallo", true},
		{"h[^e]llo", "hello", false},
		{"h[a-b]llo", "hbllo", true},
		{"h[b-a]llo", "hallo", true}, // reversed range
		{"h[a-b]llo", "hcllo", false},
		{`h\*llo`, "h*llo", true},
		{`h\*llo`, "hello", false},
		{`[\]]`, "]", true},
		{"[a", "a", true}, // unclosed set
		{"[a", "b", false},
		{"[", "a", false},
		{"[]", "a", false},
		{"[^]", "a", true},
		{"a*", "a", true},
		{"a**", "a", true},
		{"*a*b*c*", "xaybzc", true},
		{"*a*b*c*", "xaybz", false},
		{`\`, `\`, true},
		{"news.*", "news.art", true},
		{"news.*", "new", false},
	} {
		if got := Match([]byte(tc.pat), []byte(tc.s)); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.pat, tc.s, got, tc.want)
		}
	}
	// Many stars against a long non-matching input: a backtracking
	// matcher without the give-up rule would not finish.
	pat := []byte(strings.Repeat("*a", 50) + "b")
	s := []byte(strings.Repeat("a", 5000))
	if Match(pat, s) {
		t.Fatal("matched")
	}
}

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pat, s string
		want   bool
	}{
		{"*", "", false}, // Redis's matcher: only KEYS * itself lists ""
		{"*", "abc", true},
		{"a*", "abc", true},
		{"a*c", "abbbc", true},
		{"a*c", "abcd", false},
		{"a**c", "ac", true},
		{"?", "", false},
		{"?", "x", true},
		{"a?c", "abc", true},
		{"[abc]", "b", true},
		{"[abc]", "d", false},
		{"[^abc]", "d", true},
		{"[^abc]", "a", false},
		{"[a-c]x", "bx", true},
		{"[c-a]x", "bx", true},
		{"[a-c]x", "dx", false},
		{"[a-]", "]", true},
		{"[\\]]", "]", true},
		{"\\*", "*", true},
		{"\\*", "a", false},
		{"\\", "\\", true},
		{"a\\", "a\\", true},
		{"[abc", "b", true},
		{"[abc", "bc", false},
		{"[", "x", false},
		{"x[]", "x", false},
		{"*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
	}
	for _, tc := range tests {
		if got := Match([]byte(tc.pat), []byte(tc.s)); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.pat, tc.s, got, tc.want)
		}
	}
}
