package planner

import (
	"strconv"
	"testing"
)

// TestSizePretty checks pg_size_pretty's unit boundaries and rounding
// against values printed by PostgreSQL 15.
func TestSizePretty(t *testing.T) {
	cases := []struct {
		in   int64
		want string
	}{
		{0, "0 bytes"}, {1, "1 bytes"}, {-1, "-1 bytes"}, {10239, "10239 bytes"},
		{10240, "10 kB"}, {-10240, "-10 kB"}, {10751, "10 kB"}, {10752, "11 kB"},
		{20971519, "20 MB"}, {20971520, "20 MB"}, {10485247, "10239 kB"}, {10485248, "10 MB"},
		{-20971520, "-20 MB"}, {1073741823, "1024 MB"}, {21474836479, "20 GB"}, {21474836480, "20 GB"},
		{1099511627775, "1024 GB"}, {22517998136852479, "20 PB"}, {22517998136852480, "20 PB"},
		{9223372036854775807, "8192 PB"}, {-9223372036854775807, "-8192 PB"},
	}
	for _, c := range cases {
		if got := sizePretty(c.in); got != c.want {
			t.Errorf("sizePretty(%d) = %q, want %q", c.in, got, c.want)
		}
		if got := sizePrettyNumeric(sizeText(c.in)); got != c.want {
			t.Errorf("sizePrettyNumeric(%d) = %q, want %q", c.in, got, c.want)
		}
	}
	for in, want := range map[string]string{"1.5": "1.5 bytes", "-1234567.8": "-1206 kB", "10239.9": "10239.9 bytes", "10240.9": "10 kB"} {
		if got := sizePrettyNumeric(in); got != want {
			t.Errorf("sizePrettyNumeric(%s) = %q, want %q", in, got, want)
		}
	}
}

func sizeText(n int64) string {
	return strconv.FormatInt(n, 10)
}
