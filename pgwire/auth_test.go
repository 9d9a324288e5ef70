package pgwire

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/md5"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/hex"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/lib/pq"
)

func TestPasswordAuthentication(t *testing.T) {
	for _, method := range []string{"scram-sha-256", "md5"} {
		t.Run(method, func(t *testing.T) {
			ts := startServer(t, Config{Password: "s3cret", AuthMethod: method})
			ctx := context.Background()
			// pgx answers both SCRAM and md5.
			conn, err := pgx.Connect(ctx, ts.url("aspen", "s3cret"))
			if err != nil {
				t.Fatalf("right password: %v", err)
			}
			var one int
			if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
				t.Fatal(err)
			}
			conn.Close(ctx)
			_, err = pgx.Connect(ctx, ts.url("aspen", "wrong"))
			if got := sqlstate(err); got != "28P01" {
				t.Errorf("wrong password: %v (%s), want 28P01", err, got)
			}
			// lib/pq as well.
			db, err := sql.Open("postgres", ts.url("aspen", "s3cret"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.QueryRow("SELECT 2").Scan(&one); err != nil || one != 2 {
				t.Errorf("lib/pq with password: %d, %v", one, err)
			}
			// The closed and refused connections end on the server's
			// side asynchronously: allow them a moment to go.
			for deadline := time.Now().Add(5 * time.Second); ts.srv.ActiveConnections() > 1; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Errorf("%d sessions open", ts.srv.ActiveConnections())
					break
				}
			}
		})
	}
}

func TestRemoteClientsNeedPassword(t *testing.T) {
	// Without a password only loopback clients are trusted. The test
	// cannot connect from another host, so it checks the decision itself
	// and that TrustRemote lifts it.
	if !isLoopback(&net.TCPAddr{IP: net.ParseIP("127.0.0.1")}) || !isLoopback(&net.TCPAddr{IP: net.ParseIP("::1")}) {
		t.Fatal("loopback not recognised")
	}
	if isLoopback(&net.TCPAddr{IP: net.ParseIP("10.1.2.3")}) {
		t.Fatal("10.1.2.3 taken for loopback")
	}
	// A server listening on a non-loopback address of this machine, if it
	// has one, refuses a client connecting through it with 28000.
	ip := nonLoopbackIP()
	if ip == nil {
		t.Skip("no non-loopback address on this machine")
	}
	ts := startServerOn(t, Config{}, net.JoinHostPort(ip.String(), "0"))
	_, err := pgx.Connect(context.Background(), ts.url("aspen", ""))
	if got := sqlstate(err); got != "28000" {
		t.Fatalf("remote client without password: %v (%s), want 28000", err, got)
	}
	ts2 := startServerOn(t, Config{TrustRemote: true}, net.JoinHostPort(ip.String(), "0"))
	conn, err := pgx.Connect(context.Background(), ts2.url("aspen", ""))
	if err != nil {
		t.Fatalf("TrustRemote: %v", err)
	}
	conn.Close(context.Background())
}

func nonLoopbackIP() net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP
		}
	}
	return nil
}

func TestTLS(t *testing.T) {
	cert := selfSigned(t)
	ts := startServer(t, Config{TLS: &tls.Config{Certificates: []tls.Certificate{cert}}})
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, "postgres://aspen@"+ts.addr+"/aspen?sslmode=require")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, ok := conn.PgConn().Conn().(*tls.Conn); !ok {
		t.Fatalf("connection is %T, not TLS", conn.PgConn().Conn())
	}
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatal(one, err)
	}
	// Without TLS configured the server says 'N' and a client that
	// prefers TLS goes on in plain text; one that requires it gives up.
	plain := startServer(t, Config{})
	conn2, err := pgx.Connect(ctx, "postgres://aspen@"+plain.addr+"/aspen?sslmode=prefer")
	if err != nil {
		t.Fatalf("sslmode=prefer against a plain server: %v", err)
	}
	conn2.Close(ctx)
	if _, err := pgx.Connect(ctx, "postgres://aspen@"+plain.addr+"/aspen?sslmode=require"); err == nil {
		t.Fatal("sslmode=require connected without TLS")
	}
}

func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "aspen-test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestRolePasswords(t *testing.T) {
	ts := startServer(t, Config{})
	admin := ts.connect(t)
	ctx := context.Background()
	sum := md5.Sum([]byte("md5pw" + "carol"))
	for _, sql := range []string{
		"CREATE ROLE alice LOGIN PASSWORD 'wonder'",
		"CREATE ROLE bob PASSWORD 'builder'",
		"CREATE USER carol PASSWORD 'md5" + hex.EncodeToString(sum[:]) + "'",
	} {
		mustExec(t, admin, sql)
	}
	connect := func(user, password string) error {
		conn, err := pgx.Connect(ctx, ts.url(user, password))
		if err == nil {
			conn.Close(ctx)
		}
		return err
	}
	if err := connect("alice", "wonder"); err != nil {
		t.Fatalf("alice with her password: %v", err)
	}
	// The catalog keeps a SCRAM verifier, never the password.
	if ra, err := ts.srv.cfg.Engine.LookupRole(ctx, "alice"); err != nil || !strings.HasPrefix(ra.Verifier, "SCRAM-SHA-256$4096:") || strings.Contains(ra.Verifier, "wonder") {
		t.Errorf("alice's stored password: %+v, %v", ra, err)
	}
	if got := sqlstate(connect("alice", "wrong")); got != "28P01" {
		t.Errorf("alice with a wrong password: %s, want 28P01", got)
	}
	if got := sqlstate(connect("bob", "builder")); got != "28000" {
		t.Errorf("bob without LOGIN: %s, want 28000", got)
	}
	// carol's stored md5 verifier: lib/pq answers the md5 challenge.
	db, err := sql.Open("postgres", ts.url("carol", "md5pw"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Errorf("carol with her md5 password: %v", err)
	}
	mustExec(t, admin, "ALTER ROLE alice PASSWORD 'land'")
	if got := sqlstate(connect("alice", "wonder")); got != "28P01" {
		t.Errorf("alice's old password after ALTER ROLE: %s", got)
	}
	if err := connect("alice", "land"); err != nil {
		t.Errorf("alice's new password: %v", err)
	}
	if _, err := admin.Exec(ctx, "CREATE ROLE alice"); sqlstate(err) != "42710" {
		t.Errorf("duplicate role: %v", err)
	}
	if _, err := admin.Exec(ctx, "DROP ROLE nobody"); sqlstate(err) != "42704" {
		t.Errorf("drop of a missing role: %v", err)
	}
	mustExec(t, admin, "DROP ROLE IF EXISTS nobody, bob")
	if _, err := admin.Exec(ctx, "ALTER ROLE bob LOGIN"); sqlstate(err) != "42704" {
		t.Errorf("alter of a dropped role: %v", err)
	}
}
