package pgwire

// Django's ORM against Aspen: migrations, queries, transactions and
// catalog introspection (inspectdb) through psycopg2.

import (
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aspen-db/aspen/internal/clienttest"
	"github.com/aspen-db/aspen/internal/pgtest"
)

// TestDjangoORM runs testdata/clients/django_orm.py (Debian's
// python3-django with python3-psycopg2) against PostgreSQL 15, when it is
// installed, to prove the script's expectations, and then against Aspen.
func TestDjangoORM(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import django, psycopg2").Run(); err != nil {
		t.Skip("python3-django or python3-psycopg2 is not installed (scripts/install-test-deps.sh installs them)")
	}
	dir, err := filepath.Abs("testdata/clients")
	if err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, dsn string) {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		clienttest.Run(t, dir, py, "django_orm.py", u.Hostname(), u.Port(), u.User.Username(), strings.TrimPrefix(u.Path, "/"))
	}
	if pgInstalled() {
		t.Run("postgres", func(t *testing.T) { run(t, pgtest.Shared(t).FreshDatabase(t)) })
	}
	t.Run("aspen", func(t *testing.T) {
		ts := startServer(t, Config{})
		run(t, "postgres://aspen@"+ts.addr+"/aspen")
	})
}
