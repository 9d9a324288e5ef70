package lintcheck

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCheckImport(t *testing.T) {
	const m = Module + "/"
	tests := []struct {
		from, to string
		ok       bool
	}{
		// Outside the module: always allowed.
		{m + "engine", "github.com/cockroachdb/pebble/v2", true},
		{m + "layers", "context", true},
		{"example.com/other", m + "cmd/aspen-server", true},
		{m + "engine", "github.com/aspen-db/aspenx/raftstore", true}, // a different module sharing the prefix

		// engine: nothing of ours but itself.
		{m + "engine", m + "engine/internal/keys", true},
		{m + "engine", m + "layers", false},
		{m + "engine", m + "raftstore", false},
		{m + "engine", m + "layers/tuple", false},
		{m + "engine/sub", m + "internal/lintcheck", false},

		// raftstore: engine and the root layers package only.
		{m + "raftstore", m + "engine", true},
		{m + "raftstore", m + "layers", true},
		{m + "raftstore/raftstoretest", m + "raftstore", true},
		{m + "raftstore/raftstoretest", m + "layers", true},
		{m + "raftstore", m + "layers/tuple", false},
		{m + "raftstore", m + "layers/strkv", false},
		{m + "raftstore", m + "planner", false},
		{m + "raftstore", m + "resp", false},
		{m + "raftstore", m + "pgwire", false},
		{m + "raftstore", m + "cmd/aspen-server", false},

		// layers: nothing at or above its own level but layers.
		{m + "layers/index", m + "layers/tuple", true},
		{m + "layers/strkv", m + "layers", true},
		{m + "layers", m + "layers/tuple", true},
		{m + "layers/strkv", m + "raftstore", false},
		{m + "layers/strkv", m + "raftstore/raftstoretest", false},
		{m + "layers", m + "engine", false},
		{m + "layers/geo", m + "planner", false},
		{m + "layers/geo", m + "pgwire", false},
		{m + "layers/geo", m + "resp", false},
		{m + "layers/geo", m + "cmd/aspen-server", false},

		// planner: layers below it, no protocol, no store.
		{m + "planner", m + "layers", true},
		{m + "planner/exec", m + "layers/tuple", true},
		{m + "planner", m + "planner/plan", true},
		{m + "planner", m + "pgwire", false},
		{m + "planner", m + "resp", false},
		{m + "planner", m + "raftstore", false},
		{m + "planner/exec", m + "engine", false},
		{m + "planner", m + "cmd/aspen-server", false},

		// resp and pgwire: layers and planner, never the store or each other.
		{m + "resp", m + "layers/strkv", true},
		{m + "resp", m + "planner", true},
		{m + "pgwire", m + "planner", true},
		{m + "pgwire", m + "layers", true},
		{m + "resp", m + "raftstore", false},
		{m + "resp", m + "engine", false},
		{m + "resp", m + "pgwire", false},
		{m + "pgwire", m + "resp", false},
		{m + "pgwire/auth", m + "raftstore", false},
		{m + "pgwire", m + "engine", false},

		// cmd: imports anything, is imported by nothing but its own subpackages.
		{m + "cmd/aspen-server", m + "raftstore", true},
		{m + "cmd/aspen-server", m + "resp", true},
		{m + "cmd/aspen-server", m + "cmd/aspen-server/admin", true},
		{m + "cmd/aspen-bench", m + "cmd/aspen-server", false},
		{m + "cmd/aspen-bench", m + "cmd/aspen-server/admin", false},
		{m + "sqllogictest", m + "cmd/aspen-server", false},
		{m + "internal/lintcheck", m + "cmd", false},
		{m, m + "cmd/aspen-server", false},
	}
	for _, tt := range tests {
		reason, ok := CheckImport(tt.from, tt.to)
		if ok != tt.ok {
			t.Errorf("CheckImport(%s, %s) = %v (%q), want %v", tt.from, tt.to, ok, reason, tt.ok)
		}
		if !ok && reason == "" {
			t.Errorf("CheckImport(%s, %s) forbids without a reason", tt.from, tt.to)
		}
	}
}

func TestCheckSortsAndDeduplicates(t *testing.T) {
	const m = Module + "/"
	got := Check(map[string][]string{
		m + "resp":   {m + "raftstore", "fmt", m + "engine", m + "layers"},
		m + "engine": {m + "layers", m + "layers"},
		m + "layers": {"context"},
	})
	want := []Violation{
		{From: m + "engine", To: m + "layers"},
		{From: m + "resp", To: m + "engine"},
		{From: m + "resp", To: m + "raftstore"},
	}
	if len(got) != len(want) {
		t.Fatalf("Check = %v, want %d violations", got, len(want))
	}
	for i := range want {
		if got[i].From != want[i].From || got[i].To != want[i].To || got[i].Reason == "" {
			t.Errorf("violation %d = %+v, want %s -> %s with a reason", i, got[i], want[i].From, want[i].To)
		}
	}
}

// TestListImportsScratchModule runs the whole check on a throwaway module
// with Aspen's module path: a forbidden import in a plain file and one behind
// a build tag are found; the same import in a _test.go file is not.
func TestListImportsScratchModule(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":                  "module " + Module + "\n\ngo 1.26\n",
		"engine/engine.go":        "package engine\n\nimport _ \"" + Module + "/layers\"\n",
		"layers/kv.go":            "package layers\n",
		"layers/kv_test.go":       "package layers\n\nimport _ \"" + Module + "/raftstore\"\n",
		"layers/geo/geo.go":       "package geo\n\nimport _ \"" + Module + "/layers\"\n",
		"layers/geo/geo_other.go": "//go:build aspen_never_set\n\npackage geo\n\nimport _ \"" + Module + "/raftstore\"\n",
		"raftstore/store.go":      "package raftstore\n\nimport _ \"" + Module + "/engine\"\n",
		"resp/resp.go":            "package resp\n\nimport (\n\t_ \"fmt\"\n\t_ \"" + Module + "/layers/geo\"\n)\n",
	}
	for name, body := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("GOWORK", "off")
	t.Setenv("GOFLAGS", "-mod=mod")

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	imports, err := ListImports(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := imports[Module+"/layers"]; len(got) != 0 {
		t.Errorf("layers imports %v; want none (the _test.go import is exempt)", got)
	}
	if got := imports[Module+"/resp"]; !slices.Equal(got, []string{"fmt", Module + "/layers/geo"}) {
		t.Errorf("resp imports %v", got)
	}
	var got []string
	for _, v := range Check(imports) {
		got = append(got, strings.TrimPrefix(v.From, Module+"/")+" -> "+strings.TrimPrefix(v.To, Module+"/"))
	}
	want := []string{"engine -> layers", "layers/geo -> raftstore"}
	if !slices.Equal(got, want) {
		t.Errorf("violations = %q, want %q", got, want)
	}
}

// TestImportDirection applies the rules to the real tree. `make lint` runs it.
func TestImportDirection(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		t.Fatal("not inside a module")
	}
	root := filepath.Dir(gomod)
	imports, err := ListImports(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := imports[Module+"/engine"]; !ok {
		t.Fatalf("go list in %s did not list %s/engine; listed %d packages", root, Module, len(imports))
	}
	for _, v := range Check(imports) {
		t.Error(v)
	}
}
