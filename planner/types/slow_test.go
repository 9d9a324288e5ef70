package types

// Inputs of a megabyte must be read (or refused) in linear time.

import (
	"strings"
	"testing"
	"time"
)

func TestSlowInputs(t *testing.T) {
	big := []string{strings.Repeat("a", 1<<20), strings.Repeat("1", 1<<20), strings.Repeat("a/", 1<<19),
		strings.Repeat("1-", 1<<19) + "1", "{" + strings.Repeat("1,", 1<<18) + "1}", strings.Repeat("[", 100000),
		strings.Repeat("1 day ", 1<<16), "P" + strings.Repeat("1D", 1<<16), strings.Repeat(`\x00`, 1<<18),
		`"` + strings.Repeat(`\u0041`, 1<<17) + `"`, "{" + strings.Repeat(`"a":1,`, 1<<16) + `"a":1}`}
	for _, s := range big {
		for _, typ := range fuzzKinds {
			start := time.Now()
			ParseText(typ, s)
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("%s on %.20q...: %v", typ, s, d)
			}
		}
	}
}
