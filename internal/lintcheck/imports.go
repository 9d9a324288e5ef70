// Package lintcheck holds project-wide checks that `make lint` runs as Go
// tests. Today it checks the direction of imports between Aspen's own
// packages, as laid down in DESIGN.md:
//
//	cmd/aspen-server -> pgwire/, resp/ -> planner/ -> layers/ -> raftstore/ -> engine/
//
// The rules apply to the files a package is built from (including files
// excluded by build constraints on this machine), never to _test.go files,
// which may use the real store.
package lintcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Module is the module path of the Aspen repository.
const Module = "github.com/aspen-db/aspen"

// Violation is one forbidden import: package From imports package To.
type Violation struct {
	From   string // importing package, full import path
	To     string // imported package, full import path
	Reason string // the rule that forbids it
}

// String formats the violation for a test failure message.
func (v Violation) String() string {
	return fmt.Sprintf("%s imports %s: %s", v.From, v.To, v.Reason)
}

// rel returns path relative to the module ("" for the module's root package)
// and whether path belongs to the module at all.
func rel(path string) (string, bool) {
	if path == Module {
		return "", true
	}
	if r, ok := strings.CutPrefix(path, Module+"/"); ok {
		return r, true
	}
	return "", false
}

// under reports whether the module-relative path r is dir or lies below it.
func under(r, dir string) bool {
	return r == dir || strings.HasPrefix(r, dir+"/")
}

// underAny reports the first of dirs that r is under, if any.
func underAny(r string, dirs ...string) (string, bool) {
	for _, d := range dirs {
		if under(r, d) {
			return d, true
		}
	}
	return "", false
}

// cmdRoot returns "cmd/NAME" for a package at or below cmd/NAME, or "".
func cmdRoot(r string) string {
	parts := strings.SplitN(r, "/", 3)
	if len(parts) >= 2 && parts[0] == "cmd" {
		return parts[0] + "/" + parts[1]
	}
	return ""
}

// CheckImport reports whether package from may import package to (both full
// import paths). When it may not, reason names the rule. Imports of
// packages outside the module (standard library, third party) are always
// allowed, and so is any import inside the same top-level directory
// (raftstore/raftstoretest importing raftstore, say).
func CheckImport(from, to string) (reason string, ok bool) {
	f, fromOurs := rel(from)
	t, toOurs := rel(to)
	if !fromOurs || !toOurs {
		return "", true
	}
	// Commands are the top of the graph: nothing imports them, except the
	// packages of the same command (cmd/aspen-server/x from cmd/aspen-server).
	if under(t, "cmd") {
		if root := cmdRoot(t); root == "" || root != cmdRoot(f) {
			return "nothing imports cmd/...", false
		}
	}
	switch {
	case under(f, "engine"):
		if !under(t, "engine") {
			return "engine imports no other Aspen package", false
		}
	case under(f, "raftstore"):
		if !under(t, "raftstore") && !under(t, "engine") && t != "layers" {
			return "raftstore may import only engine and the root layers package (the KV interface)", false
		}
	case under(f, "layers"):
		if d, bad := underAny(t, "raftstore", "engine", "planner", "pgwire", "resp", "cmd"); bad {
			return "layers must not import " + d + " (the store is handed in through layers.KV)", false
		}
	case under(f, "planner"):
		if d, bad := underAny(t, "pgwire", "resp", "raftstore", "engine", "cmd"); bad {
			return "planner must not import " + d, false
		}
	case under(f, "resp"):
		if d, bad := underAny(t, "raftstore", "engine", "pgwire"); bad {
			return "resp must not import " + d, false
		}
	case under(f, "pgwire"):
		if d, bad := underAny(t, "raftstore", "engine", "resp"); bad {
			return "pgwire must not import " + d, false
		}
	}
	return "", true
}

// Check applies CheckImport to every import of every package in imports
// (package path -> the paths it imports) and returns the violations sorted
// by importing package, then imported package.
func Check(imports map[string][]string) []Violation {
	var out []Violation
	for from, tos := range imports {
		for _, to := range tos {
			if reason, ok := CheckImport(from, to); !ok {
				out = append(out, Violation{From: from, To: to, Reason: reason})
			}
		}
	}
	slices.SortFunc(out, func(a, b Violation) int {
		if c := strings.Compare(a.From, b.From); c != 0 {
			return c
		}
		return strings.Compare(a.To, b.To)
	})
	return slices.CompactFunc(out, func(a, b Violation) bool { return a.From == b.From && a.To == b.To })
}

// listedPackage is the part of `go list -json` output that ListImports reads.
type listedPackage struct {
	ImportPath     string
	Dir            string
	Imports        []string
	IgnoredGoFiles []string
}

// ListImports runs `go list -e -json ./...` in dir (a directory of the
// module) and returns, for every package, the packages its non-test files
// import. Files that build constraints exclude on this machine are parsed
// too, so that an import behind a build tag is not missed. Packages that do
// not compile are still listed (-e): a broken package elsewhere must not
// hide, or fake, an import violation.
func ListImports(ctx context.Context, dir string) (map[string][]string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-e", "-json=ImportPath,Dir,Imports,IgnoredGoFiles", "./...")
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go list in %s: %w: %s", dir, err, strings.TrimSpace(stderr.String()))
	}
	out := map[string][]string{}
	dec := json.NewDecoder(&stdout)
	for {
		var p listedPackage
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("decode go list output: %w", err)
		}
		imps := slices.Clone(p.Imports)
		for _, name := range p.IgnoredGoFiles {
			if strings.HasSuffix(name, "_test.go") || !strings.HasSuffix(name, ".go") {
				continue
			}
			more, err := fileImports(filepath.Join(p.Dir, name))
			if err != nil {
				return nil, err
			}
			imps = append(imps, more...)
		}
		slices.Sort(imps)
		out[p.ImportPath] = slices.Compact(imps)
	}
	return out, nil
}

// fileImports returns the import paths of one Go source file.
func fileImports(path string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
	if err != nil {
		return nil, fmt.Errorf("parse imports of %s: %w", path, err)
	}
	var out []string
	for _, spec := range f.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			return nil, fmt.Errorf("parse imports of %s: bad import path %s: %w", path, spec.Path.Value, err)
		}
		out = append(out, p)
	}
	return out, nil
}
