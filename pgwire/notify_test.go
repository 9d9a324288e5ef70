package pgwire

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aspen-db/aspen/layers/pubsub"
	"github.com/aspen-db/aspen/planner"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// startNotifyServer is a server whose store registers the pub/sub
// mutations, with a hub for LISTEN.
func startNotifyServer(t *testing.T) *testServer {
	t.Helper()
	muts := pubsub.Mutations()
	maps.Copy(muts, planner.Mutations())
	store := raftstoretest.NewWithMutations(t, muts)
	hub, err := pubsub.New(store)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hub.Close)
	return startServer(t, Config{Engine: planner.NewEngine(store), PubSub: hub})
}

// waitNotification waits up to d for a notification on conn; nil if none.
func waitNotification(t *testing.T, conn *pgx.Conn, d time.Duration) *pgconn.Notification {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	n, err := conn.WaitForNotification(ctx)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
			return nil
		}
		t.Fatalf("WaitForNotification: %v", err)
	}
	return n
}

func TestListenNotify(t *testing.T) {
	ts := startNotifyServer(t)
	a, b := ts.connect(t), ts.connect(t)
	ctx := context.Background()
	mustExec(t, a, "LISTEN jobs")
	mustExec(t, a, `LISTEN "Mixed Case"`)

	mustExec(t, b, "NOTIFY jobs, 'first'")
	n := waitNotification(t, a, 10*time.Second)
	if n == nil || n.Channel != "jobs" || n.Payload != "first" || n.PID != b.PgConn().PID() {
		t.Fatalf("notification = %+v, want jobs/first from pid %d", n, b.PgConn().PID())
	}
	mustExec(t, b, `NOTIFY "Mixed Case"`)
	if n := waitNotification(t, a, 10*time.Second); n == nil || n.Channel != "Mixed Case" || n.Payload != "" {
		t.Fatalf("quoted channel: %+v", n)
	}

	// Inside a transaction: nothing before COMMIT, once after it, and a
	// duplicate in the same transaction is sent once.
	mustExec(t, b, "BEGIN")
	mustExec(t, b, "NOTIFY jobs, 'tx'")
	mustExec(t, b, "NOTIFY jobs, 'tx'")
	if n := waitNotification(t, a, 300*time.Millisecond); n != nil {
		t.Fatalf("notification before commit: %+v", n)
	}
	mustExec(t, b, "COMMIT")
	if n := waitNotification(t, a, 10*time.Second); n == nil || n.Payload != "tx" {
		t.Fatalf("after commit: %+v", n)
	}
	if n := waitNotification(t, a, 300*time.Millisecond); n != nil {
		t.Fatalf("duplicate delivered: %+v", n)
	}
	// A rolled-back NOTIFY is never sent.
	mustExec(t, b, "BEGIN")
	mustExec(t, b, "NOTIFY jobs, 'rolled back'")
	mustExec(t, b, "ROLLBACK")
	if n := waitNotification(t, a, 300*time.Millisecond); n != nil {
		t.Fatalf("rolled-back notification delivered: %+v", n)
	}
	// A listener inside a transaction block gets it when the block ends.
	mustExec(t, a, "BEGIN")
	mustExec(t, b, "NOTIFY jobs, 'while busy'")
	time.Sleep(200 * time.Millisecond)
	mustExec(t, a, "COMMIT")
	if n := waitNotification(t, a, 10*time.Second); n == nil || n.Payload != "while busy" {
		t.Fatalf("delivered after the listener's transaction: %+v", n)
	}
	// Self-notification carries the session's own PID.
	mustExec(t, a, "NOTIFY jobs, 'self'")
	if n := waitNotification(t, a, 10*time.Second); n == nil || n.PID != a.PgConn().PID() {
		t.Fatalf("self-notification: %+v", n)
	}
	// UNLISTEN stops one channel, UNLISTEN * all of them.
	mustExec(t, a, "UNLISTEN jobs")
	mustExec(t, b, "NOTIFY jobs, 'gone'")
	mustExec(t, b, `NOTIFY "Mixed Case", 'still'`)
	if n := waitNotification(t, a, 10*time.Second); n == nil || n.Payload != "still" {
		t.Fatalf("after UNLISTEN jobs: %+v", n)
	}
	mustExec(t, a, "UNLISTEN *")
	mustExec(t, b, `NOTIFY "Mixed Case", 'none'`)
	if n := waitNotification(t, a, 300*time.Millisecond); n != nil {
		t.Fatalf("after UNLISTEN *: %+v", n)
	}
	// Payloads are limited as in PostgreSQL.
	long := make([]byte, 8000)
	for i := range long {
		long[i] = 'x'
	}
	if _, err := b.Exec(ctx, "NOTIFY jobs, '"+string(long)+"'"); sqlstate(err) != "22023" {
		t.Fatalf("8000-byte payload: %v", err)
	}
}

func TestListenWithoutHub(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	if _, err := conn.Exec(context.Background(), "LISTEN x"); sqlstate(err) != "0A000" {
		t.Fatalf("LISTEN without a hub: %v", err)
	}
	var one int
	if err := conn.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil {
		t.Fatal(err)
	}
}
