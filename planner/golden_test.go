package planner

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGolden runs each testdata/golden/*.sql file in a fresh session on a
// real store and compares the output with the .golden file next to it.
// Blocks of the .sql file are separated by blank lines; each block is one
// Exec call (it may hold several statements). Run with -update to rewrite
// the golden files after checking the differences by hand against
// PostgreSQL.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden inputs")
	}
	eng := newTestEngine(t)
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".sql"), func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s := eng.NewSession()
			defer s.Close()
			var out strings.Builder
			for _, block := range strings.Split(strings.ReplaceAll(string(in), "\r\n", "\n"), "\n\n") {
				block = strings.TrimSpace(block)
				if block == "" || strings.HasPrefix(block, "--") && !strings.Contains(block, "\n") {
					continue
				}
				out.WriteString("> " + strings.ReplaceAll(block, "\n", "\n> ") + "\n")
				out.WriteString(run(t, s, block))
				out.WriteString("\n")
			}
			golden := strings.TrimSuffix(f, ".sql") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got := out.String(); got != string(want) {
				t.Errorf("output differs from %s (run with -update after checking):\n%s", golden, diffLines(string(want), got))
			}
		})
	}
}

// diffLines reports the first lines where want and got differ.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var sb strings.Builder
	n := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			sb.WriteString("line " + strconv.Itoa(i+1) + ":\n  want: " + a + "\n  got:  " + b + "\n")
			if n++; n >= 10 {
				break
			}
		}
	}
	return sb.String()
}

// TestGoldenExtended replays the golden inputs through the extended
// protocol path (Prepare, Execute, Sync) on a second store and checks that
// every block renders exactly as through Exec. Blocks of several
// statements go through Exec on both sides.
func TestGoldenExtended(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	simple, extended := newTestEngine(t), newTestEngine(t)
	ctx := context.Background()
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".sql"), func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			a, b := simple.NewSession(), extended.NewSession()
			defer a.Close()
			defer b.Close()
			for _, block := range strings.Split(string(in), "\n\n") {
				block = strings.TrimSpace(block)
				if block == "" || strings.HasPrefix(block, "--") && !strings.Contains(block, "\n") {
					continue
				}
				want := run(t, a, block)
				var got string
				if stmts, err := parse(block); err == nil && len(stmts) == 1 {
					p, err := b.Prepare(ctx, block, nil)
					if err != nil {
						got = render(nil, err)
					} else {
						res, err := b.Execute(ctx, p, nil)
						if err == nil {
							err = b.Sync(ctx)
						} else {
							_ = b.Sync(ctx)
						}
						if res != nil && err == nil {
							got = render([]*Result{res}, nil)
						} else {
							got = render(nil, err)
						}
					}
				} else {
					got = run(t, b, block)
				}
				if got != want {
					t.Errorf("%s\nextended:\n%s\nsimple:\n%s", block, got, want)
				}
			}
		})
	}
}
