package pgwire

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aspen-db/aspen/internal/clienttest"
)

// TestClientDrivers runs the smoke scripts of testdata/clients with the
// drivers of other languages: psycopg2 (Debian's python3-psycopg2),
// node-postgres (npm pg, installed into testdata/clients/node by
// scripts/install-test-deps.sh) and JDBC (Debian's libpostgresql-jdbc-java).
// Each skips with a message when its runtime or driver is missing.
func TestClientDrivers(t *testing.T) {
	ts := startServer(t, Config{})
	url := fmt.Sprintf("postgresql://aspen@%s/aspen", ts.addr)
	dir, err := filepath.Abs("testdata/clients")
	if err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, name string, args ...string) {
		t.Helper()
		clienttest.Run(t, dir, name, args...)
	}
	t.Run("psycopg2", func(t *testing.T) {
		// Debian's python3: a python3 earlier on PATH may not see the
		// Debian package.
		py := "/usr/bin/python3"
		if err := exec.Command(py, "-c", "import psycopg2").Run(); err != nil {
			t.Skip("python3-psycopg2 is not installed (scripts/install-test-deps.sh installs it)")
		}
		run(t, py, "psycopg2_smoke.py", "host=127.0.0.1 port="+port(ts.addr)+" user=aspen dbname=aspen")
	})
	t.Run("sqlalchemy", func(t *testing.T) {
		py := "/usr/bin/python3"
		if err := exec.Command(py, "-c", "import sqlalchemy, psycopg2").Run(); err != nil {
			t.Skip("python3-sqlalchemy is not installed")
		}
		run(t, py, "sqlalchemy_reflect.py", "postgresql://aspen@"+ts.addr+"/aspen")
	})
	t.Run("node-postgres", func(t *testing.T) {
		node, err := exec.LookPath("node")
		if err != nil {
			t.Skip("node is not installed")
		}
		if _, err := os.Stat(filepath.Join(dir, "node", "node_modules", "pg")); err != nil {
			t.Skip("npm package pg is not installed in testdata/clients/node (scripts/install-test-deps.sh installs it)")
		}
		run(t, node, "node/smoke.js", url)
	})
	t.Run("jdbc", func(t *testing.T) {
		java, err := exec.LookPath("java")
		if err != nil {
			t.Skip("java is not installed")
		}
		jar := "/usr/share/java/postgresql.jar"
		if _, err := os.Stat(jar); err != nil {
			t.Skip("the PostgreSQL JDBC driver is not installed (scripts/install-test-deps.sh installs libpostgresql-jdbc-java)")
		}
		run(t, java, "-cp", jar, "JdbcSmoke.java", "jdbc:postgresql://"+ts.addr+"/aspen?user=aspen")
	})
}

func port(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}
