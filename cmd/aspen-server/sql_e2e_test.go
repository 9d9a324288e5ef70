package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pg connects to the node's PostgreSQL listener.
func (n *node) pg(ctx context.Context) (*pgx.Conn, error) {
	return pgx.Connect(ctx, "postgres://aspen@"+n.pgAddr+"/aspen?sslmode=disable&connect_timeout=10")
}

func (n *node) mustPG(ctx context.Context, t *testing.T) *pgx.Conn {
	t.Helper()
	conn, err := n.pg(ctx)
	if err != nil {
		t.Fatalf("connect to %s's PostgreSQL listener: %v", n.id, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// TestSQLAcrossNodes checks that SQL written through one node is read on
// every node, before and after the leader is killed.
func TestSQLAcrossNodes(t *testing.T) {
	c := startCluster(t, 3)
	leader := c.waitLeader(electionBound)
	var follower *node
	for _, n := range c.nodes {
		if n != leader {
			follower = n
			break
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	fc := follower.mustPG(ctx, t)
	for _, sql := range []string{
		"CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)",
		"INSERT INTO items VALUES (1, 'one'), (2, 'two')",
	} {
		if _, err := fc.Exec(ctx, sql); err != nil {
			t.Fatalf("%s through follower %s: %v", sql, follower.id, err)
		}
	}
	for _, n := range c.nodes {
		rows, err := n.mustPG(ctx, t).Query(ctx, "SELECT name FROM items ORDER BY id")
		if err != nil {
			t.Fatalf("read on %s: %v", n.id, err)
		}
		names, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil || fmt.Sprint(names) != "[one two]" {
			t.Fatalf("read on %s = %v, %v", n.id, names, err)
		}
	}
	// LISTEN on every node, NOTIFY through the follower: each listener
	// gets it, with the notifier's PID.
	listeners := map[string]*pgx.Conn{}
	for _, n := range c.nodes {
		l := n.mustPG(ctx, t)
		if _, err := l.Exec(ctx, "LISTEN events"); err != nil {
			t.Fatalf("LISTEN on %s: %v", n.id, err)
		}
		listeners[n.id] = l
	}
	if _, err := fc.Exec(ctx, "NOTIFY events, 'across nodes'"); err != nil {
		t.Fatalf("NOTIFY through %s: %v", follower.id, err)
	}
	for id, l := range listeners {
		wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		n, err := l.WaitForNotification(wctx)
		cancel()
		if err != nil || n.Channel != "events" || n.Payload != "across nodes" || n.PID != fc.PgConn().PID() {
			t.Fatalf("notification on %s: %+v, %v", id, n, err)
		}
	}

	// A unique violation on one node is reported to its client.
	var pe *pgconn.PgError
	if _, err := fc.Exec(ctx, "INSERT INTO items VALUES (1, 'again')"); !errors.As(err, &pe) || pe.Code != "23505" {
		t.Fatalf("duplicate key through %s: %v", follower.id, err)
	}

	leader.kill()
	newLeader := c.waitLeader(electionBound)
	t.Logf("leader %s killed; %s leads", leader.id, newLeader.id)
	for _, n := range c.nodes {
		if n == leader {
			continue
		}
		conn := n.mustPG(ctx, t)
		id := 10 + len(n.id)
		retry(t, electionBound, "INSERT on "+n.id, func(ctx context.Context) error {
			_, err := conn.Exec(ctx, fmt.Sprintf("INSERT INTO items VALUES (%d, '%s')", id, n.id))
			if errors.As(err, &pe) && pe.Code == "23505" {
				// An earlier attempt committed but its reply was lost.
				return nil
			}
			return err
		})
	}
	cnt := 0
	if err := newLeader.mustPG(ctx, t).QueryRow(ctx, "SELECT count(*) FROM items").Scan(&cnt); err != nil || cnt < 3 {
		t.Fatalf("count on %s after failover = %d, %v", newLeader.id, cnt, err)
	}
}

// TestSQLDurabilityKill9 checks that every INSERT acknowledged to a
// PostgreSQL client survives SIGKILL of the node.
func TestSQLDurabilityKill9(t *testing.T) {
	c := newCluster(t, 1)
	n := c.nodes[0]
	n.start()
	ctx := context.Background()
	setup := n.mustPG(ctx, t)
	if _, err := setup.Exec(ctx, "CREATE TABLE acked (w int, i int, PRIMARY KEY (w, i))"); err != nil {
		t.Fatal(err)
	}
	const writers = 4
	var killed atomic.Bool
	acked := make([]int, writers)
	var wg sync.WaitGroup
	for w := range writers {
		conn := n.mustPG(ctx, t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				if _, err := conn.Exec(ctx, "INSERT INTO acked VALUES ($1, $2)", w, i); err != nil {
					if !killed.Load() {
						t.Errorf("INSERT before the kill: %v", err)
					}
					return
				}
				acked[w] = i + 1
			}
		}()
	}
	time.Sleep(2 * time.Second)
	killed.Store(true)
	n.kill()
	wg.Wait()
	n.start()
	conn := n.mustPG(ctx, t)
	total := 0
	for w := range writers {
		total += acked[w]
		var got int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM acked WHERE w = $1 AND i < $2", w, acked[w]).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != acked[w] {
			t.Errorf("writer %d: %d of %d acknowledged rows survived SIGKILL", w, got, acked[w])
		}
	}
	t.Logf("%d acknowledged INSERTs, all present after SIGKILL and restart", total)
	if total == 0 {
		t.Fatal("no INSERT acknowledged before the kill")
	}
}
