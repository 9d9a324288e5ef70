package pgwire

import (
	"context"
	"os/exec"
	"strings"
	"testing"
)

// TestPgbenchInit runs the real `pgbench -i`: it creates its tables
// without primary keys, loads them with COPY, then runs ALTER TABLE ...
// ADD PRIMARY KEY on each; afterwards point lookups use the new keys.
func TestPgbenchInit(t *testing.T) {
	pgbench, err := exec.LookPath("pgbench")
	if err != nil {
		t.Skip("pgbench is not installed")
	}
	ts := startServer(t, Config{})
	out, err := exec.Command(pgbench, "-i", "-s", "1", "-q", ts.url("aspen", "")).CombinedOutput()
	if err != nil {
		t.Fatalf("pgbench -i: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "creating primary keys...") {
		t.Errorf("pgbench -i did not create its primary keys:\n%s", out)
	}
	conn := ts.connect(t)
	ctx := context.Background()
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pgbench_accounts").Scan(&n); err != nil || n != 100000 {
		t.Fatalf("pgbench_accounts: %d rows, %v", n, err)
	}
	for table, key := range map[string]string{"pgbench_accounts": "aid", "pgbench_branches": "bid", "pgbench_tellers": "tid"} {
		rows, err := conn.Query(ctx, "EXPLAIN SELECT * FROM "+table+" WHERE "+key+" = 1")
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		rows.Close()
		if want := "Index Scan using " + table + "_pkey on " + table; len(plan) == 0 || plan[0] != want {
			t.Errorf("%s: plan %q, want %q", table, plan, want)
		}
	}
}
