// Package clienttest runs the client smoke scripts of the protocol
// packages' tests (Python, Node.js and Java programs under their
// testdata/clients directories) and reports their output.
package clienttest

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Timeout bounds one script run.
const Timeout = 2 * time.Minute

// Run runs the program name with args in dir, logs its combined output,
// and fails the test when it exits with an error or runs past Timeout.
func Run(t testing.TB, dir, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	t.Logf("%s output:\n%s", filepath.Base(name), out)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}
