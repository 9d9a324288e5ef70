// Tests of the throwaway PostgreSQL helper against the real PostgreSQL 15
// binaries: it starts, answers as aspen and as postgres, isolates fresh
// databases, and leaves no process or directory behind.

package pgtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// execSQL runs one statement through pgx.
func execSQL(t *testing.T, dsn, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// queryRow runs one single-row query through pgx and scans its columns
// into dest.
func queryRow(t *testing.T, dsn, sql string, dest ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, sql).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestStartAnswersAndStops(t *testing.T) {
	ctx := context.Background()
	s, err := Launch(ctx, Options{})
	if errors.Is(err, ErrNotInstalled) {
		t.Skipf("%v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			s.Stop()
		}
	}()

	want := "postgres://aspen@127.0.0.1:" + strconv.Itoa(s.Port) + "/aspen?sslmode=disable"
	if got := s.DSN(); got != want {
		t.Errorf("DSN() = %q, want %q", got, want)
	}

	var user, db, version, encoding, collate, tz string
	var super bool
	queryRow(t, s.DSN(), `SELECT current_user, current_database(), current_setting('server_version'),
		current_setting('server_encoding'), current_setting('lc_collate'), current_setting('TimeZone'),
		(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)`,
		&user, &db, &version, &encoding, &collate, &tz, &super)
	if user != "aspen" || db != "aspen" || !super {
		t.Errorf("connected as %q to %q (superuser %v), want aspen superuser on aspen", user, db, super)
	}
	if !strings.HasPrefix(version, "15.") {
		t.Errorf("server_version = %q, want 15.x", version)
	}
	if encoding != "UTF8" || collate != "C" || tz != "UTC" {
		t.Errorf("encoding %q, collate %q, TimeZone %q; want UTF8, C, UTC", encoding, collate, tz)
	}

	// The postgres role and database are there too, and the simple query
	// protocol (which the sqllogictest runner uses) works.
	var n int
	queryRow(t, s.DSNFor("postgres", "postgres")+"&default_query_exec_mode=simple_protocol", "SELECT 40 + 2", &n)
	if n != 42 {
		t.Errorf("SELECT 40 + 2 = %d", n)
	}

	// The server process runs as a user PostgreSQL accepts, never root.
	if st, err := os.Stat(filepath.Join("/proc", strconv.Itoa(s.PID()))); err != nil {
		t.Fatalf("postmaster %d: %v", s.PID(), err)
	} else if uid := st.Sys().(*syscall.Stat_t).Uid; uid == 0 {
		t.Errorf("postmaster runs as root")
	}

	pid, dir := s.PID(), s.Dir
	// Hold a connection open across Stop: fast shutdown must not wait for it.
	conn, err := pgx.Connect(ctx, s.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	children := childrenOf(pid)
	if len(children) == 0 {
		t.Errorf("postmaster %d has no child processes before Stop; the leak check below would prove nothing", pid)
	}
	start := time.Now()
	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	stopped = true
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Stop took %v with a client connected", d)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if alive(pid) {
		t.Errorf("postmaster %d still running after Stop", pid)
	}
	for _, c := range children {
		if alive(c) {
			t.Errorf("child %d of the postmaster still running after Stop", c)
		}
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("directory %s still there after Stop (err %v)", dir, err)
	}
	if err := conn.Ping(ctx); err == nil {
		t.Errorf("connection still answers after Stop")
	}
}

func TestSharedAndFreshDatabase(t *testing.T) {
	s := Shared(t)
	if s2 := Shared(t); s2 != s {
		t.Fatalf("Shared returned two servers")
	}
	a, b := s.FreshDatabase(t), s.FreshDatabase(t)
	if a == b {
		t.Fatalf("FreshDatabase returned %q twice", a)
	}
	execSQL(t, a, "CREATE TABLE only_here(x int)")
	const count = "SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'"
	var inA, inB int
	queryRow(t, a, count, &inA)
	queryRow(t, b, count, &inB)
	if inA != 1 || inB != 0 {
		t.Errorf("table only_here: %d in the database that made it, %d in the other; want 1, 0", inA, inB)
	}
}

// TestServerDiesWithItsParent runs this test binary again as a helper that
// launches a server and exits without stopping it: the server must shut
// down by itself (the parent-death signal), not linger.
func TestServerDiesWithItsParent(t *testing.T) {
	if os.Getenv("PGTEST_HELPER") == "1" {
		s, err := Launch(context.Background(), Options{})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println("pid", s.PID(), s.Dir)
		os.Exit(0) // no Stop
	}
	if _, err := binDir(""); err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestServerDiesWithItsParent$")
	cmd.Env = append(os.Environ(), "PGTEST_HELPER=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	var pid int
	var dir string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if _, err := fmt.Sscanf(sc.Text(), "pid %d %s", &pid, &dir); err == nil {
			break
		}
	}
	if pid == 0 || !strings.Contains(dir, "pgtest-") {
		t.Fatalf("helper did not report a server: %q", out)
	}
	defer os.RemoveAll(dir)
	deadline := time.Now().Add(15 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("postmaster %d still running 15s after its parent exited", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestMissingBinaries(t *testing.T) {
	_, err := Launch(context.Background(), Options{BinDir: t.TempDir()})
	if !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("Launch with an empty BinDir: err = %v, want ErrNotInstalled", err)
	}
	if !strings.Contains(err.Error(), "install-test-deps.sh") {
		t.Errorf("error %q does not say how to install", err)
	}
}

func TestDBName(t *testing.T) {
	for _, test := range []string{"TestX", "TestX/sub case", strings.Repeat("TestLong", 20)} {
		name := dbName(test)
		if len(name) > 63 {
			t.Errorf("dbName(%q) = %q, longer than PostgreSQL's 63-byte limit", test, name)
		}
		for _, r := range name {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
				t.Errorf("dbName(%q) = %q has %q", test, name, r)
			}
		}
	}
	if a, b := dbName("TestX"), dbName("TestX"); a == b {
		t.Errorf("dbName gave %q twice", a)
	}
}

// alive reports whether process pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	// pid (comm) state ...; comm may hold spaces, so look after the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || !strings.HasPrefix(s[i+1:], " Z")
}

// childrenOf lists the processes whose parent is pid.
func childrenOf(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			out = append(out, p)
		}
	}
	return out
}
