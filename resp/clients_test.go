package resp

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aspen-db/aspen/internal/clienttest"
)

// TestClientLibraries runs the smoke scripts of testdata/clients with the
// Redis clients of other languages: redis-py (Debian's python3-redis) and
// ioredis (npm, installed into testdata/clients/node by
// scripts/install-test-deps.sh). Each skips with a message when its
// runtime or library is missing.
func TestClientLibraries(t *testing.T) {
	ts := startServer(t, nil)
	host, port, _ := net.SplitHostPort(ts.addr)
	dir, err := filepath.Abs("testdata/clients")
	if err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, name string, args ...string) {
		t.Helper()
		clienttest.Run(t, dir, name, args...)
	}
	t.Run("redis-py", func(t *testing.T) {
		py := "/usr/bin/python3"
		if err := exec.Command(py, "-c", "import redis").Run(); err != nil {
			t.Skip("python3-redis is not installed (scripts/install-test-deps.sh installs it)")
		}
		run(t, py, "redispy_smoke.py", host, port)
	})
	t.Run("ioredis", func(t *testing.T) {
		node, err := exec.LookPath("node")
		if err != nil {
			t.Skip("node is not installed")
		}
		if _, err := os.Stat(filepath.Join(dir, "node", "node_modules", "ioredis")); err != nil {
			t.Skip("npm package ioredis is not installed in testdata/clients/node (scripts/install-test-deps.sh installs it)")
		}
		run(t, node, "node/smoke.js", port)
	})
}
