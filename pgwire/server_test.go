package pgwire

// Test servers over a real store, and the session tests with pgx.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/aspen-db/aspen/planner"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// testServer is a pgwire server on a loopback port over a real
// single-node Raft+Pebble store.
type testServer struct {
	srv  *Server
	addr string
}

func startServer(t testing.TB, cfg Config) *testServer {
	t.Helper()
	return startServerOn(t, cfg, "127.0.0.1:0")
}

func startServerOn(t testing.TB, cfg Config, addr string) *testServer {
	t.Helper()
	if cfg.Engine == nil {
		cfg.Engine = planner.NewEngine(raftstoretest.NewWithMutations(t, planner.Mutations()))
	}
	// Spilling statements write under the test's own directory, which the
	// test removes, not under the system's temporary directory.
	if err := cfg.Engine.SetTempDir(filepath.Join(t.TempDir(), "sqltmp"), -1); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(cfg)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v", err)
		}
	})
	return &testServer{srv: srv, addr: ln.Addr().String()}
}

func (ts *testServer) url(user, password string) string {
	cred := user
	if password != "" {
		cred += ":" + password
	}
	return fmt.Sprintf("postgres://%s@%s/aspen?sslmode=disable", cred, ts.addr)
}

func (ts *testServer) connect(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, ts.url("aspen", ""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// sqlstate returns the SQLSTATE of a pgx error, "" for none.
func sqlstate(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	if err != nil {
		return "not a PgError: " + err.Error()
	}
	return ""
}

func mustExec(t testing.TB, conn *pgx.Conn, sql string, args ...any) {
	t.Helper()
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestStartupParameters(t *testing.T) {
	ts := startServer(t, Config{})
	ctx := context.Background()
	cfg, err := pgx.ParseConfig(ts.url("alice", "") + "&application_name=tester&DateStyle=ISO,DMY&options=-c%20search_path%3Dpublic")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	pc := conn.PgConn()
	for name, want := range map[string]string{
		"server_version":              "15.0",
		"server_encoding":             "UTF8",
		"client_encoding":             "UTF8",
		"DateStyle":                   "ISO,DMY",
		"TimeZone":                    "UTC",
		"integer_datetimes":           "on",
		"standard_conforming_strings": "on",
		"application_name":            "tester",
		"session_authorization":       "alice",
	} {
		if got := pc.ParameterStatus(name); got != want {
			t.Errorf("ParameterStatus %s = %q, want %q", name, got, want)
		}
	}
	if pc.PID() == 0 || len(pc.SecretKey()) != 4 {
		t.Errorf("BackendKeyData pid %d key %x", pc.PID(), pc.SecretKey())
	}
	var user, db, path string
	if err := conn.QueryRow(ctx, "SELECT current_user, current_database()").Scan(&user, &db); err != nil {
		t.Fatal(err)
	}
	if user != "alice" || db != "aspen" {
		t.Errorf("current_user, current_database() = %q, %q", user, db)
	}
	if err := conn.QueryRow(ctx, "SHOW search_path").Scan(&path); err != nil || path != "public" {
		t.Errorf("search_path from options = %q, %v", path, err)
	}
	// A SET of a reported setting sends ParameterStatus again.
	mustExec(t, conn, "SET application_name = 'renamed'")
	if got := pc.ParameterStatus("application_name"); got != "renamed" {
		t.Errorf("after SET, application_name = %q", got)
	}
}

func TestUnknownStartupSettingIsFatal(t *testing.T) {
	ts := startServer(t, Config{})
	_, err := pgx.Connect(context.Background(), ts.url("aspen", "")+"&no_such_setting=1")
	if got := sqlstate(err); got != "42704" {
		t.Fatalf("connect with an unknown setting: %v (SQLSTATE %s), want 42704", err, got)
	}
}

func TestQueryModes(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ctx := context.Background()
	mustExec(t, conn, "CREATE TABLE kinds (id int PRIMARY KEY, s smallint, b bigint, r real, d double precision, n numeric(12,4), t text, v varchar(5), ok boolean)")
	modes := []pgx.QueryExecMode{
		pgx.QueryExecModeCacheStatement,
		pgx.QueryExecModeCacheDescribe,
		pgx.QueryExecModeDescribeExec,
		pgx.QueryExecModeExec,
		pgx.QueryExecModeSimpleProtocol,
	}
	for i, mode := range modes {
		t.Run(mode.String(), func(t *testing.T) {
			_, err := conn.Exec(ctx, "INSERT INTO kinds VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", mode,
				i, int16(-7), int64(1)<<40, float32(1.5), 2.25, "-1234.5678", "héllo", "abc", true)
			if err != nil {
				t.Fatal(err)
			}
			var (
				s  int16
				b  int64
				r  float32
				d  float64
				n  string
				tx string
				v  string
				ok bool
			)
			err = conn.QueryRow(ctx, "SELECT s, b, r, d, n::text, t, v, ok FROM kinds WHERE id = $1", mode, i).Scan(&s, &b, &r, &d, &n, &tx, &v, &ok)
			if err != nil {
				t.Fatal(err)
			}
			if s != -7 || b != 1<<40 || r != 1.5 || d != 2.25 || n != "-1234.5678" || tx != "héllo" || v != "abc" || !ok {
				t.Errorf("got %v %v %v %v %v %v %v %v", s, b, r, d, n, tx, v, ok)
			}
		})
	}
}

func TestNumericBinaryRoundTrip(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ctx := context.Background()
	mustExec(t, conn, "CREATE TABLE nums (id int PRIMARY KEY, n numeric)")
	values := []string{"0", "1", "-1", "10000", "0.0001", "123456789.987654321", "-0.5", "100000000", "1.10", "NaN", "99999999999999999999999999999.000000001"}
	for i, v := range values {
		// The parameter goes in binary (pgx encodes a pgtype.Numeric as
		// binary) and the result comes back in binary.
		var num pgtype.Numeric
		if err := num.Scan(v); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, "INSERT INTO nums VALUES ($1, $2)", i, num); err != nil {
			t.Fatalf("insert %s: %v", v, err)
		}
		var back pgtype.Numeric
		if err := conn.QueryRow(ctx, "SELECT n FROM nums WHERE id = $1", i).Scan(&back); err != nil {
			t.Fatalf("select %s: %v", v, err)
		}
		var text string
		if err := conn.QueryRow(ctx, "SELECT n::text FROM nums WHERE id = $1", i).Scan(&text); err != nil {
			t.Fatal(err)
		}
		if text != v {
			t.Errorf("stored %s, reads back as text %s", v, text)
		}
		if got := numericText(t, back); got != v {
			t.Errorf("binary round trip of %s gives %s", v, got)
		}
	}
}

func TestPortalRowLimit(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ctx := context.Background()
	mustExec(t, conn, "CREATE TABLE seq (n int PRIMARY KEY)")
	mustExec(t, conn, "INSERT INTO seq VALUES (1), (2), (3), (4), (5)")
	pc := conn.PgConn()
	sd, err := pc.Prepare(ctx, "lim", "SELECT n FROM seq ORDER BY n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sd.Fields) != 1 || string(sd.Fields[0].Name) != "n" || sd.Fields[0].DataTypeOID != 23 {
		t.Fatalf("describe: %+v", sd.Fields)
	}
	// Drive Execute with a row limit by hand through pgproto3 frames.
	rows, tags, err := executeInParts(ctx, ts.addr, "SELECT n FROM seq ORDER BY n", 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := "1,2|3,4|5"; rows != want {
		t.Errorf("rows in parts = %q, want %q", rows, want)
	}
	if want := "suspended,suspended,SELECT 1"; tags != want {
		t.Errorf("part endings = %q, want %q", tags, want)
	}
}

func TestErrorsKeepSession(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ctx := context.Background()
	mustExec(t, conn, "CREATE TABLE u (id int PRIMARY KEY, name text NOT NULL, n smallint)")
	mustExec(t, conn, "INSERT INTO u VALUES (1, 'a', 1)")
	cases := []struct {
		sql  string
		code string
		pos  int32
	}{
		{"SELEC 1", "42601", 1},
		{"SELECT * FROM missing", "42P01", 15},
		{"SELECT nope FROM u", "42703", 8},
		{"INSERT INTO u VALUES (1, 'b', 1)", "23505", 0},
		{"INSERT INTO u VALUES (2, NULL, 1)", "23502", 0},
		{"SELECT 1/0", "22012", 0},
		{"INSERT INTO u VALUES (3, 'c', 40000)", "22003", 0},
		{"SELECT 'abc'::int", "22P02", 8},
	}
	for _, tc := range cases {
		for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
			_, err := conn.Exec(ctx, tc.sql, mode)
			var pe *pgconn.PgError
			if !errors.As(err, &pe) {
				t.Errorf("%s (%v): error %v, want SQLSTATE %s", tc.sql, mode, err, tc.code)
				continue
			}
			if pe.Code != tc.code || pe.Severity != "ERROR" || pe.Message == "" {
				t.Errorf("%s (%v): %s %s %q, want %s", tc.sql, mode, pe.Severity, pe.Code, pe.Message, tc.code)
			}
			if tc.pos != 0 && pe.Position != tc.pos {
				t.Errorf("%s (%v): position %d, want %d", tc.sql, mode, pe.Position, tc.pos)
			}
		}
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM u").Scan(&n); err != nil || n != 1 {
		t.Errorf("after the errors: count = %d, %v", n, err)
	}
}

func TestTransactionStates(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ctx := context.Background()
	pc := conn.PgConn()
	mustExec(t, conn, "CREATE TABLE acct (id int PRIMARY KEY, bal int)")
	if s := pc.TxStatus(); s != 'I' {
		t.Errorf("idle status %c", s)
	}
	mustExec(t, conn, "BEGIN ISOLATION LEVEL READ COMMITTED")
	if s := pc.TxStatus(); s != 'T' {
		t.Errorf("in block status %c", s)
	}
	mustExec(t, conn, "INSERT INTO acct VALUES (1, 10)")
	if _, err := conn.Exec(ctx, "SELECT 1/0"); sqlstate(err) != "22012" {
		t.Fatalf("error in block: %v", err)
	}
	if s := pc.TxStatus(); s != 'E' {
		t.Errorf("failed block status %c", s)
	}
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
		if _, err := conn.Exec(ctx, "SELECT 1", mode); sqlstate(err) != "25P02" {
			t.Errorf("statement in failed block (%v): %v, want 25P02", mode, err)
		}
	}
	mustExec(t, conn, "ROLLBACK")
	if s := pc.TxStatus(); s != 'I' {
		t.Errorf("after rollback status %c", s)
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM acct").Scan(&n); err != nil || n != 0 {
		t.Errorf("rolled back insert visible: %d, %v", n, err)
	}

	// pgx's transaction helper: commit, and rollback on error.
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO acct VALUES (2, 20)")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO acct VALUES (3, 30)"); err != nil {
			return err
		}
		return errors.New("give up")
	})
	if err == nil || err.Error() != "give up" {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM acct").Scan(&n); err != nil || n != 1 {
		t.Errorf("after commit and rollback: count %d, %v", n, err)
	}

	// Several statements in one Query message share one implicit
	// transaction: an error rolls back the earlier ones.
	_, err = pc.Exec(ctx, "INSERT INTO acct VALUES (4, 40); SELECT 1/0").ReadAll()
	if sqlstate(err) != "22012" {
		t.Fatalf("multi-statement query: %v", err)
	}
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM acct WHERE id = 4").Scan(&n); err != nil || n != 0 {
		t.Errorf("implicit transaction not rolled back: %d, %v", n, err)
	}
}

func TestSerializationFailure(t *testing.T) {
	ts := startServer(t, Config{})
	a, b := ts.connect(t), ts.connect(t)
	ctx := context.Background()
	mustExec(t, a, "CREATE TABLE ctr (id int PRIMARY KEY, n int)")
	mustExec(t, a, "INSERT INTO ctr VALUES (1, 0)")
	mustExec(t, a, "BEGIN")
	mustExec(t, b, "BEGIN")
	var n int
	if err := a.QueryRow(ctx, "SELECT n FROM ctr WHERE id = 1").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if err := b.QueryRow(ctx, "SELECT n FROM ctr WHERE id = 1").Scan(&n); err != nil {
		t.Fatal(err)
	}
	mustExec(t, a, "UPDATE ctr SET n = n + 1 WHERE id = 1")
	mustExec(t, b, "UPDATE ctr SET n = n + 1 WHERE id = 1")
	mustExec(t, a, "COMMIT")
	_, err := b.Exec(ctx, "COMMIT")
	if got := sqlstate(err); got != "40001" {
		t.Fatalf("second commit: %v (%s), want 40001", err, got)
	}
	if err := a.QueryRow(ctx, "SELECT n FROM ctr WHERE id = 1").Scan(&n); err != nil || n != 1 {
		t.Errorf("counter = %d, %v; want 1", n, err)
	}
}

func TestBatchAndPrepared(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ctx := context.Background()
	mustExec(t, conn, "CREATE TABLE kv (k int PRIMARY KEY, v text)")
	batch := &pgx.Batch{}
	for i := range 100 {
		batch.Queue("INSERT INTO kv VALUES ($1, $2)", i, fmt.Sprint("v", i))
	}
	batch.Queue("SELECT count(*) FROM kv")
	br := conn.SendBatch(ctx, batch)
	for i := range 100 {
		if _, err := br.Exec(); err != nil {
			t.Fatalf("batch insert %d: %v", i, err)
		}
	}
	var n int
	if err := br.QueryRow().Scan(&n); err != nil || n != 100 {
		t.Fatalf("count in batch = %d, %v", n, err)
	}
	if err := br.Close(); err != nil {
		t.Fatal(err)
	}
	// A named prepared statement, executed many times.
	if _, err := conn.Prepare(ctx, "get", "SELECT v FROM kv WHERE k = $1"); err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		var v string
		if err := conn.QueryRow(ctx, "get", i).Scan(&v); err != nil || v != fmt.Sprint("v", i) {
			t.Fatalf("get %d = %q, %v", i, v, err)
		}
	}
	// Preparing the same name twice is 42P05, and the session goes on.
	pc := conn.PgConn()
	if _, err := pc.Prepare(ctx, "dup", "SELECT 1", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := pc.Prepare(ctx, "dup", "SELECT 2", nil); sqlstate(err) != "42P05" {
		t.Errorf("duplicate prepare: %v", err)
	}
	if err := pc.Deallocate(ctx, "dup"); err != nil {
		t.Errorf("close statement: %v", err)
	}
	// An error inside a batch skips the rest up to Sync.
	batch = &pgx.Batch{}
	batch.Queue("INSERT INTO kv VALUES (1000, 'x')")
	batch.Queue("SELECT 1/0")
	batch.Queue("INSERT INTO kv VALUES (1001, 'y')")
	if err := conn.SendBatch(ctx, batch).Close(); sqlstate(err) != "22012" {
		t.Fatalf("failing batch: %v", err)
	}
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM kv WHERE k >= 1000").Scan(&n); err != nil || n != 0 {
		t.Errorf("a failed batch left %d rows (%v); its implicit transaction must roll back", n, err)
	}
}

func TestCancelRequest(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ctx := context.Background()
	mustExec(t, conn, "CREATE TABLE big (n int PRIMARY KEY, s text)")
	var sb strings.Builder
	for chunk := range 10 {
		sb.Reset()
		sb.WriteString("INSERT INTO big VALUES ")
		for i := range 2000 {
			if i > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "(%d, 'row %d')", chunk*2000+i, i)
		}
		mustExec(t, conn, sb.String())
	}
	// Run a slow aggregate and cancel it from another connection, as
	// psql's Ctrl-C does; keep sending cancels until the query ends, as a
	// cancel that arrives between statements does nothing.
	slow := "SELECT count(*) FROM big a WHERE a.s || a.s || a.s || a.s <> '' AND (SELECT count(*) FROM big) > 0"
	if _, err := conn.Exec(ctx, slow); err != nil && sqlstate(err) == "0A000" {
		slow = "SELECT sum(length(s || s || s || s || s || s)) FROM big"
	}
	errc := make(chan error, 1)
	go func() {
		for {
			_, err := conn.Exec(ctx, slow)
			if err != nil {
				errc <- err
				return
			}
		}
	}()
	pc := conn.PgConn()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case err := <-errc:
			if got := sqlstate(err); got != "57014" {
				t.Fatalf("canceled query: %v (%s), want 57014", err, got)
			}
			var one int
			if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
				t.Fatalf("session after cancel: %v", err)
			}
			return
		case <-deadline:
			t.Fatal("cancel never took effect")
		case <-time.After(20 * time.Millisecond):
			cctx, cancel := context.WithTimeout(ctx, time.Second)
			err := pc.CancelRequest(cctx)
			cancel()
			if err != nil {
				t.Fatalf("CancelRequest: %v", err)
			}
		}
	}
}

func TestStatementTimeout(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ctx := context.Background()
	mustExec(t, conn, "CREATE TABLE big (n int PRIMARY KEY)")
	var sb strings.Builder
	sb.WriteString("INSERT INTO big VALUES (0)")
	for i := 1; i < 5000; i++ {
		fmt.Fprintf(&sb, ", (%d)", i)
	}
	mustExec(t, conn, sb.String())
	mustExec(t, conn, "SET statement_timeout = '1us'")
	_, err := conn.Exec(ctx, "SELECT count(*) FROM big")
	if got := sqlstate(err); got != "57014" {
		t.Fatalf("with statement_timeout: %v (%s), want 57014", err, got)
	}
	mustExec(t, conn, "SET statement_timeout = 0")
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM big").Scan(&n); err != nil || n != 5000 {
		t.Fatalf("after reset: %d, %v", n, err)
	}
}

func TestMaxConnections(t *testing.T) {
	ts := startServer(t, Config{MaxConnections: 2})
	a, b := ts.connect(t), ts.connect(t)
	_, err := pgx.Connect(context.Background(), ts.url("aspen", ""))
	if got := sqlstate(err); got != "53300" {
		t.Fatalf("third connection: %v (%s), want 53300", err, got)
	}
	// The two sessions go on, and a slot frees when one closes.
	var one int
	if err := a.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil {
		t.Fatal(err)
	}
	b.Close(context.Background())
	waitFor(t, func() bool { return ts.srv.ActiveConnections() == 1 })
	c, err := pgx.Connect(context.Background(), ts.url("aspen", ""))
	if err != nil {
		t.Fatalf("connection after one closed: %v", err)
	}
	c.Close(context.Background())
}

func TestIdleSessionTimeout(t *testing.T) {
	ts := startServer(t, Config{IdleSessionTimeout: 200 * time.Millisecond})
	conn := ts.connect(t)
	ctx := context.Background()
	// Inside a transaction block the timeout does not apply.
	mustExec(t, conn, "BEGIN")
	time.Sleep(400 * time.Millisecond)
	mustExec(t, conn, "COMMIT")
	time.Sleep(600 * time.Millisecond)
	_, err := conn.Exec(ctx, "SELECT 1")
	if err == nil {
		t.Fatal("idle session still open")
	}
	waitFor(t, func() bool { return ts.srv.ActiveConnections() == 0 })
}

func TestIdleInTransactionTimeout(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ctx := context.Background()
	mustExec(t, conn, "SET idle_in_transaction_session_timeout = '200ms'")
	// Outside a transaction it does not apply.
	time.Sleep(400 * time.Millisecond)
	mustExec(t, conn, "BEGIN")
	time.Sleep(600 * time.Millisecond)
	_, err := conn.Exec(ctx, "SELECT 1")
	if got := sqlstate(err); got != "25P03" {
		t.Fatalf("after idling in a transaction: %v (%s), want 25P03", err, got)
	}
	waitFor(t, func() bool { return ts.srv.ActiveConnections() == 0 })
}

func TestMaxMessageSize(t *testing.T) {
	ts := startServer(t, Config{MaxMessageSize: 1024})
	conn := ts.connect(t)
	other := ts.connect(t)
	_, err := conn.Exec(context.Background(), "SELECT '"+strings.Repeat("x", 2000)+"'")
	if got := sqlstate(err); got != "08P01" {
		t.Fatalf("oversized message: %v (%s), want 08P01", err, got)
	}
	var one int
	if err := other.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil {
		t.Fatalf("other session after the oversized message: %v", err)
	}
}

func TestConcurrentSessions(t *testing.T) {
	ts := startServer(t, Config{})
	setup := ts.connect(t)
	mustExec(t, setup, "CREATE TABLE hits (id int PRIMARY KEY, who int)")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		conn := ts.connect(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				if _, err := conn.Exec(context.Background(), "INSERT INTO hits VALUES ($1, $2)", w*1000+i, w); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var n int
	if err := setup.QueryRow(context.Background(), "SELECT count(*) FROM hits").Scan(&n); err != nil || n != 200 {
		t.Errorf("count = %d, %v; want 200", n, err)
	}
}

func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
