// Package pgtest starts throwaway real PostgreSQL servers for side-by-side
// tests: Aspen's PostgreSQL side is checked against the real thing, and the
// reference is PostgreSQL 15 (Debian's postgresql-15 package, which
// scripts/install-test-deps.sh installs).
//
// A server lives in a fresh temporary directory (data directory, Unix socket
// directory and log), listens on a free TCP port on 127.0.0.1, trusts every
// local connection, runs with fsync off, UTF8 encoding and the C locale, and
// has a superuser role and a database both named aspen besides the usual
// postgres ones, so the DSN shape that reaches Aspen,
// postgres://aspen@127.0.0.1:PORT/aspen, reaches PostgreSQL too.
//
// PostgreSQL refuses to run as root; when the test runs as root, initdb and
// postgres run as the postgres system user (which the Debian package
// creates) and the directory is handed to that user.
//
// In tests, use [Start] for a server of one's own (stopped by t.Cleanup), or
// [Shared] for one server per test binary, stopped by [Main] from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
//	func TestX(t *testing.T) {
//		srv := pgtest.Shared(t)
//		dsn := srv.FreshDatabase(t) // optional: a database of this test's own
//		...
//	}
//
// Outside tests (commands, scripts), [Launch] starts a server and
// [Server.Stop] stops it.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// DefaultBinDir is where Debian's postgresql-15 package puts initdb and
// postgres. The PGTEST_BINDIR environment variable or [Options.BinDir]
// points elsewhere.
const DefaultBinDir = "/usr/lib/postgresql/15/bin"

// User and Database are the role and database every server has besides
// postgres, the names Aspen answers to.
const (
	User     = "aspen"
	Database = "aspen"
)

// installHint tells a reader of a skip message how to get the binaries.
const installHint = "`make test` installs them via scripts/install-test-deps.sh (Debian package postgresql-15)"

// ErrNotInstalled is wrapped by the error [Launch] returns when the
// PostgreSQL binaries (or, when running as root, the postgres user) are
// missing; [Start] and [Shared] skip the test then.
var ErrNotInstalled = errors.New("PostgreSQL 15 is not installed")

// Options configure [Launch]. The zero value is a PostgreSQL 15 server from
// [DefaultBinDir] on a free port.
type Options struct {
	// BinDir holds initdb and postgres. Empty: $PGTEST_BINDIR, else
	// DefaultBinDir.
	BinDir string
	// Port to listen on; 0 picks a free one.
	Port int
	// Settings are extra server settings (postgres -c NAME=VALUE); they
	// override the defaults this package sets (fsync=off, TimeZone=UTC, ...).
	Settings map[string]string
	// StartTimeout bounds initdb plus start-up; 0 means one minute.
	StartTimeout time.Duration
}

// Server is a running throwaway PostgreSQL server.
type Server struct {
	// Host is the TCP address the server listens on (127.0.0.1).
	Host string
	// Port is the server's TCP port.
	Port int
	// Dir is the temporary directory holding everything; Stop removes it.
	Dir string
	// DataDir is the cluster's data directory (inside Dir).
	DataDir string
	// SocketDir holds the server's Unix socket (inside Dir).
	SocketDir string
	// LogPath is the server's log file (inside Dir).
	LogPath string

	cmd      *exec.Cmd
	exited   chan struct{} // closed when the postgres process has been reaped
	exitErr  error         // the process's exit status, valid after exited
	stopOnce sync.Once
	stopErr  error
}

// DSN returns the URL that connects as the aspen superuser to the aspen
// database over TCP: postgres://aspen@127.0.0.1:PORT/aspen?sslmode=disable.
func (s *Server) DSN() string { return s.DSNFor(User, Database) }

// DSNFor returns the URL that connects as user to database over TCP.
func (s *Server) DSNFor(user, database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(user),
		Host:     net.JoinHostPort(s.Host, strconv.Itoa(s.Port)),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// PID returns the process id of the postmaster.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Start launches a server of the test's own and stops it when the test
// ends. It skips the test, saying how to install them, when the PostgreSQL
// binaries are missing, and fails it on any other error.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s, err := Launch(context.Background(), Options{})
	if errors.Is(err, ErrNotInstalled) {
		tb.Skipf("pgtest: %v", err)
	}
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Stop(); err != nil {
			tb.Errorf("pgtest: %v", err)
		}
	})
	return s
}

var shared struct {
	once sync.Once
	mu   sync.Mutex
	srv  *Server
	err  error
}

// Shared returns the test binary's one shared server, launching it on the
// first call. Tests sharing it should keep to objects of their own (or use
// [Server.FreshDatabase]). The package's TestMain must call [Main] (or
// [StopShared] after m.Run), which stops it; should the test binary die
// first, the server is told to shut down when its parent goes away, but its
// temporary directory stays behind. Skips and failures are as for [Start].
func Shared(tb testing.TB) *Server {
	tb.Helper()
	shared.once.Do(func() {
		s, err := Launch(context.Background(), Options{})
		shared.mu.Lock()
		shared.srv, shared.err = s, err
		shared.mu.Unlock()
	})
	shared.mu.Lock()
	s, err := shared.srv, shared.err
	shared.mu.Unlock()
	if errors.Is(err, ErrNotInstalled) {
		tb.Skipf("pgtest: %v", err)
	}
	if err != nil {
		tb.Fatalf("pgtest: shared server: %v", err)
	}
	if s == nil {
		tb.Fatalf("pgtest: shared server already stopped (Shared called after StopShared)")
	}
	return s
}

// StopShared stops the shared server if [Shared] started one. Later calls to
// Shared fail the test.
func StopShared() error {
	shared.once.Do(func() {}) // no server may start after this
	shared.mu.Lock()
	s := shared.srv
	shared.srv = nil
	shared.mu.Unlock()
	if s == nil {
		return nil
	}
	return s.Stop()
}

// Main runs the tests and then stops the shared server; use it from
// TestMain as os.Exit(pgtest.Main(m)). A failure to stop turns a passing
// run into a failing one.
func Main(m *testing.M) int {
	code := m.Run()
	if err := StopShared(); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// FreshDatabase creates an empty database owned by aspen, named after the
// test, drops it when the test ends, and returns its DSN.
func (s *Server) FreshDatabase(tb testing.TB) string {
	tb.Helper()
	name := dbName(tb.Name())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.exec(ctx, Database, fmt.Sprintf("CREATE DATABASE %s OWNER %s", name, User)); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.exec(ctx, Database, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: %v", err)
		}
	})
	return s.DSNFor(User, name)
}

var dbSeq struct {
	sync.Mutex
	n int
}

// dbName turns a test name into a unique, safe database name.
func dbName(test string) string {
	var b strings.Builder
	b.WriteString("t_")
	for _, r := range strings.ToLower(test) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 40 {
			break
		}
	}
	dbSeq.Lock()
	dbSeq.n++
	n := dbSeq.n
	dbSeq.Unlock()
	return fmt.Sprintf("%s_%d", b.String(), n)
}

// Launch creates a cluster in a new temporary directory and starts a server
// on it, returning once it accepts connections as aspen. The error wraps
// [ErrNotInstalled] when the binaries are missing. The caller must call
// [Server.Stop].
func Launch(ctx context.Context, opts Options) (*Server, error) {
	bin, err := binDir(opts.BinDir)
	if err != nil {
		return nil, err
	}
	cred, err := credential()
	if err != nil {
		return nil, err
	}
	timeout := opts.StartTimeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	dir, err := makeDir(cred)
	if err != nil {
		return nil, err
	}
	s := &Server{
		Host:      "127.0.0.1",
		Dir:       dir,
		DataDir:   filepath.Join(dir, "data"),
		SocketDir: filepath.Join(dir, "sock"),
		LogPath:   filepath.Join(dir, "postgres.log"),
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(dir)
		}
	}()
	if err := os.Mkdir(s.SocketDir, 0o700); err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	if err := chown(s.SocketDir, cred); err != nil {
		return nil, err
	}
	if err := initdb(ctx, bin, s, cred); err != nil {
		return nil, err
	}
	// A free port can be taken by someone else before postgres binds it;
	// try a few.
	for attempt := 0; ; attempt++ {
		port := opts.Port
		if port == 0 {
			if port, err = freePort(); err != nil {
				return nil, err
			}
		}
		err = s.startPostgres(ctx, bin, port, opts.Settings, cred)
		if err == nil {
			break
		}
		if opts.Port != 0 || attempt >= 2 || !strings.Contains(s.logTail(), "could not bind") {
			return nil, err
		}
	}
	if err := s.bootstrap(ctx); err != nil {
		s.Stop()
		return nil, err
	}
	ok = true
	return s, nil
}

// binDir finds the directory holding initdb and postgres.
func binDir(dir string) (string, error) {
	if dir == "" {
		dir = os.Getenv("PGTEST_BINDIR")
	}
	if dir == "" {
		dir = DefaultBinDir
	}
	for _, name := range []string{"initdb", "postgres"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			msg := fmt.Sprintf("%s not found in %s", name, dir)
			if others, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres"); len(others) > 0 {
				msg += fmt.Sprintf(" (found %s; set PGTEST_BINDIR to use another version)", strings.Join(others, ", "))
			}
			return "", fmt.Errorf("%w: %s; %s", ErrNotInstalled, msg, installHint)
		}
	}
	return dir, nil
}

// credential returns the postgres user's ids when running as root (nil
// otherwise: the server runs as the current user).
func credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("%w: running as root and there is no postgres user to run the server as (%v); %s", ErrNotInstalled, err, installHint)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("pgtest: postgres user has non-numeric ids %q:%q", u.Uid, u.Gid)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// makeDir creates the server's temporary directory, owned by the user the
// server runs as. The Unix socket path must stay under about 100 bytes, so a
// long $TMPDIR is passed over for /tmp.
func makeDir(cred *syscall.Credential) (string, error) {
	parent := os.TempDir()
	if len(parent) > 60 {
		parent = "/tmp"
	}
	dir, err := os.MkdirTemp(parent, "pgtest-")
	if err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	if err := chown(dir, cred); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

func chown(path string, cred *syscall.Credential) error {
	if cred == nil {
		return nil
	}
	if err := os.Chown(path, int(cred.Uid), int(cred.Gid)); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	return nil
}

// command prepares a PostgreSQL program to run as the server's user, in
// the server's directory, with a plain environment.
func command(ctx context.Context, path string, dir string, cred *syscall.Credential, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "LC_ALL=C", "TZ=UTC", "PATH=/usr/bin:/bin"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	return cmd
}

// initdb creates the cluster.
func initdb(ctx context.Context, bin string, s *Server, cred *syscall.Credential) error {
	cmd := command(ctx, filepath.Join(bin, "initdb"), s.Dir, cred,
		"-D", s.DataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pgtest: initdb: %w\n%s", err, out.Bytes())
	}
	return nil
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// defaultSettings make a server fast and deterministic for tests.
var defaultSettings = map[string]string{
	"listen_addresses":   "127.0.0.1",
	"fsync":              "off",
	"synchronous_commit": "off",
	"full_page_writes":   "off",
	"TimeZone":           "UTC",
	"log_timezone":       "UTC",
	"max_connections":    "100",
}

// startPostgres runs the postmaster and waits until it accepts
// connections.
func (s *Server) startPostgres(ctx context.Context, bin string, port int, extra map[string]string, cred *syscall.Credential) error {
	settings := map[string]string{}
	for k, v := range defaultSettings {
		settings[k] = v
	}
	for k, v := range extra {
		settings[k] = v
	}
	names := make([]string, 0, len(settings))
	for k := range settings {
		names = append(names, k)
	}
	sort.Strings(names)
	args := []string{"-D", s.DataDir, "-p", strconv.Itoa(port), "-k", s.SocketDir}
	for _, k := range names {
		args = append(args, "-c", k+"="+settings[k])
	}
	logf, err := os.OpenFile(s.LogPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer logf.Close() // the child keeps its own copy
	// Not tied to ctx: the server outlives Launch. Should this process die
	// without stopping it, the kernel tells it to shut down (fast mode).
	cmd := command(context.Background(), filepath.Join(bin, "postgres"), s.Dir, cred, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr.Pdeathsig = syscall.SIGINT
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("pgtest: start postgres: %w", err)
	}
	s.cmd = cmd
	s.Port = port
	s.exited = make(chan struct{})
	go func() {
		s.exitErr = cmd.Wait()
		close(s.exited)
	}()
	return s.waitReady(ctx)
}

// waitReady polls until the server accepts a connection, the process exits,
// or ctx ends.
func (s *Server) waitReady(ctx context.Context) error {
	dsn := s.DSNFor("postgres", "postgres")
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		c, err := pgconn.Connect(cctx, dsn)
		cancel()
		if err == nil {
			c.Close(ctx)
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("pgtest: postgres exited during start-up (%v); log:\n%s", s.exitErr, s.logTail())
		case <-ctx.Done():
			s.kill()
			return fmt.Errorf("pgtest: postgres not ready: %w (last error: %v); log:\n%s", ctx.Err(), err, s.logTail())
		case <-tick.C:
		}
	}
}

// bootstrap creates the aspen role and database.
func (s *Server) bootstrap(ctx context.Context) error {
	if err := s.execAs(ctx, "postgres", "postgres", "CREATE ROLE "+User+" SUPERUSER LOGIN"); err != nil {
		return err
	}
	return s.execAs(ctx, "postgres", "postgres", "CREATE DATABASE "+Database+" OWNER "+User)
}

// exec runs sql as aspen in database db.
func (s *Server) exec(ctx context.Context, db, sql string) error {
	return s.execAs(ctx, User, db, sql)
}

func (s *Server) execAs(ctx context.Context, user, db, sql string) error {
	c, err := pgconn.Connect(ctx, s.DSNFor(user, db))
	if err != nil {
		return fmt.Errorf("pgtest: connect as %s to %s: %w", user, db, err)
	}
	defer c.Close(context.Background())
	if _, err := c.Exec(ctx, sql).ReadAll(); err != nil {
		return fmt.Errorf("pgtest: %s: %w", sql, err)
	}
	return nil
}

// logTail returns the end of the server log, for error messages.
func (s *Server) logTail() string {
	b, err := os.ReadFile(s.LogPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	const max = 4000
	if len(b) > max {
		b = b[len(b)-max:]
	}
	return string(b)
}

// kill stops the process at once (SIGKILL) and waits for it.
func (s *Server) kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
}

// Stop shuts the server down (fast shutdown: clients are disconnected),
// waits for it to exit, and removes its directory. It is safe to call more
// than once; later calls return the first call's result.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.stop() })
	return s.stopErr
}

func (s *Server) stop() error {
	var errs []error
	if s.cmd != nil && s.cmd.Process != nil {
		select {
		case <-s.exited:
			errs = append(errs, fmt.Errorf("pgtest: postgres had exited before Stop (%v); log:\n%s", s.exitErr, s.logTail()))
		default:
			if err := s.cmd.Process.Signal(syscall.SIGINT); err != nil {
				errs = append(errs, fmt.Errorf("pgtest: signal postgres: %w", err))
			}
			select {
			case <-s.exited:
			case <-time.After(30 * time.Second):
				s.kill()
				errs = append(errs, errors.New("pgtest: postgres did not shut down within 30s; killed"))
			}
		}
	}
	if err := os.RemoveAll(s.Dir); err != nil {
		errs = append(errs, fmt.Errorf("pgtest: remove %s: %w", s.Dir, err))
	}
	return errors.Join(errs...)
}
