// Command aspen-sqlbench measures SQL workloads over the PostgreSQL
// protocol against any server that speaks it: Aspen or PostgreSQL itself,
// so that `make bench` can print the ratio of the two on the same machine.
//
// It loads a fact table (-rows rows, with COPY) and a dimension table
// (-dims rows), then runs each workload for -duration with -clients
// connections and prints one line per workload:
//
//	<label> <workload> clients=N ops/s=X p50=Yms p99=Zms errors=E
//
// A workload the server rejects prints "n/a (<error>)" instead of numbers.
// The load line reports rows/s of the COPY.
//
//	aspen-sqlbench -url postgres://aspen@127.0.0.1:5432/aspen -rows 100000
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// workload is one timed query shape. args returns the parameters of the
// next execution.
type workload struct {
	name    string
	sql     string
	args    func(rng *rand.Rand, cfg *config) []any
	clients int // 0: -clients
}

type config struct {
	url      string
	label    string
	rows     int
	dims     int
	clients  int
	duration time.Duration
	only     string
	skipLoad bool
}

func workloads(cfg *config) []workload {
	return []workload{
		{name: "point-pk", sql: "SELECT amount FROM bench_fact WHERE id = $1",
			args: func(r *rand.Rand, c *config) []any { return []any{int64(r.IntN(c.rows))} }},
		{name: "point-index", sql: "SELECT id FROM bench_fact WHERE ref = $1",
			args: func(r *rand.Rand, c *config) []any { return []any{int64(r.IntN(c.rows)) * 7} }},
		{name: "range-100", sql: "SELECT sum(amount) FROM bench_fact WHERE id >= $1 AND id < $1 + 100",
			args: func(r *rand.Rand, c *config) []any { return []any{int64(r.IntN(max(c.rows-100, 1)))} }},
		{name: "group-by", sql: "SELECT category, count(*), sum(amount) FROM bench_fact GROUP BY category", clients: 1},
		{name: "hash-join", sql: "SELECT d.region, sum(f.amount) FROM bench_fact f JOIN bench_dim d ON f.dim_id = d.id GROUP BY d.region", clients: 1},
		{name: "order-limit", sql: "SELECT id, amount FROM bench_fact ORDER BY amount DESC LIMIT 10", clients: 1},
		{name: "insert", sql: "INSERT INTO bench_ins VALUES ($1, $2)",
			args: func(r *rand.Rand, c *config) []any { return []any{r.Int64(), "v"} }},
	}
}

func main() {
	var cfg config
	flag.StringVar(&cfg.url, "url", "postgres://aspen@127.0.0.1:5432/aspen?sslmode=disable", "server URL")
	flag.StringVar(&cfg.label, "label", "aspen", "label printed first on each line")
	flag.IntVar(&cfg.rows, "rows", 1000000, "rows of the fact table")
	flag.IntVar(&cfg.dims, "dims", 10000, "rows of the dimension table")
	flag.IntVar(&cfg.clients, "clients", 8, "connections for the concurrent workloads")
	flag.DurationVar(&cfg.duration, "duration", 5*time.Second, "how long each workload runs")
	flag.StringVar(&cfg.only, "only", "", "comma-separated workloads to run (default all)")
	flag.BoolVar(&cfg.skipLoad, "skip-load", false, "reuse the tables of an earlier run")
	flag.Parse()
	if cfg.rows < 1 || cfg.dims < 1 || cfg.clients < 1 || cfg.duration <= 0 {
		fmt.Fprintln(os.Stderr, "aspen-sqlbench: -rows, -dims, -clients and -duration must be positive")
		os.Exit(2)
	}
	ctx := context.Background()
	if !cfg.skipLoad {
		if err := load(ctx, &cfg); err != nil {
			fmt.Fprintln(os.Stderr, "aspen-sqlbench: load:", err)
			os.Exit(1)
		}
	}
	for _, w := range workloads(&cfg) {
		if cfg.only != "" && !contains(strings.Split(cfg.only, ","), w.name) {
			continue
		}
		clients := w.clients
		if clients == 0 {
			clients = cfg.clients
		}
		r, err := run(ctx, &cfg, w, clients)
		if err != nil {
			fmt.Printf("%s %s clients=%d n/a (%s)\n", cfg.label, w.name, clients, oneLine(err))
			continue
		}
		fmt.Printf("%s %s clients=%d ops/s=%.1f p50=%.3fms p99=%.3fms errors=%d\n",
			cfg.label, w.name, clients, r.opsPerSec, ms(r.p50), ms(r.p99), r.errors)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.TrimSpace(x) == s {
			return true
		}
	}
	return false
}

func ms(d time.Duration) float64 { return d.Seconds() * 1000 }

func oneLine(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code + " " + pe.Message
	}
	return strings.ReplaceAll(err.Error(), "\n", " ")
}

// load creates and fills the tables: the fact table with COPY (timed and
// reported), the dimension table, and the secondary index.
func load(ctx context.Context, cfg *config) error {
	conn, err := pgx.Connect(ctx, cfg.url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, sql := range []string{
		"DROP TABLE IF EXISTS bench_fact",
		"DROP TABLE IF EXISTS bench_dim",
		"DROP TABLE IF EXISTS bench_ins",
		"CREATE TABLE bench_fact (id bigint PRIMARY KEY, ref bigint NOT NULL, dim_id int NOT NULL, category text NOT NULL, amount numeric(12,2) NOT NULL)",
		"CREATE TABLE bench_dim (id int PRIMARY KEY, region text NOT NULL)",
		"CREATE TABLE bench_ins (id bigint PRIMARY KEY, v text)",
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("%s: %w", sql, err)
		}
	}
	categories := []string{"books", "games", "garden", "music", "tools", "toys", "video", "wine"}
	const batch = 50000
	start := time.Now()
	for lo := 0; lo < cfg.rows; lo += batch {
		hi := min(lo+batch, cfg.rows)
		src := pgx.CopyFromSlice(hi-lo, func(i int) ([]any, error) {
			id := int64(lo + i)
			return []any{id, id * 7, int32(id % int64(cfg.dims)), categories[id%int64(len(categories))], fmt.Sprintf("%d.%02d", id%10000, id%100)}, nil
		})
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"bench_fact"}, []string{"id", "ref", "dim_id", "category", "amount"}, src); err != nil {
			return fmt.Errorf("copy rows %d..%d: %w", lo, hi, err)
		}
	}
	el := time.Since(start)
	fmt.Printf("%s load-copy rows=%d rows/s=%.0f seconds=%.1f\n", cfg.label, cfg.rows, float64(cfg.rows)/el.Seconds(), el.Seconds())
	regions := []string{"north", "south", "east", "west"}
	src := pgx.CopyFromSlice(cfg.dims, func(i int) ([]any, error) { return []any{int32(i), regions[i%len(regions)]}, nil })
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"bench_dim"}, []string{"id", "region"}, src); err != nil {
		return fmt.Errorf("copy dimension rows: %w", err)
	}
	start = time.Now()
	if _, err := conn.Exec(ctx, "CREATE INDEX bench_fact_ref ON bench_fact (ref)"); err != nil {
		fmt.Printf("%s create-index n/a (%s)\n", cfg.label, oneLine(err))
	} else {
		fmt.Printf("%s create-index seconds=%.1f\n", cfg.label, time.Since(start).Seconds())
	}
	// Statistics for the planner, where the server keeps them.
	conn.Exec(ctx, "ANALYZE")
	return nil
}

type result struct {
	opsPerSec float64
	p50, p99  time.Duration
	errors    int
}

// run executes one workload with prepared statements on each connection
// for cfg.duration and returns its rate and latencies. A workload whose
// first execution fails is not run: its error is returned.
func run(ctx context.Context, cfg *config, w workload, clients int) (result, error) {
	conns := make([]*pgx.Conn, clients)
	for i := range conns {
		c, err := pgx.Connect(ctx, cfg.url)
		if err != nil {
			return result{}, err
		}
		defer c.Close(ctx)
		conns[i] = c
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var args []any
	if w.args != nil {
		args = w.args(rng, cfg)
	}
	if err := execOnce(ctx, conns[0], w.sql, args); err != nil {
		return result{}, err
	}
	var (
		mu   sync.Mutex
		lats []time.Duration
		errs int
		wg   sync.WaitGroup
	)
	rctx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	start := time.Now()
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i)+10, 3))
			local := make([]time.Duration, 0, 1024)
			nerr := 0
			for rctx.Err() == nil {
				var args []any
				if w.args != nil {
					args = w.args(rng, cfg)
				}
				t0 := time.Now()
				if err := execOnce(rctx, c, w.sql, args); err != nil {
					if rctx.Err() == nil {
						nerr++
					}
					continue
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			lats = append(lats, local...)
			errs += nerr
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	if len(lats) == 0 {
		return result{}, fmt.Errorf("no execution finished in %v", cfg.duration)
	}
	sort.Slice(lats, func(i, j int) bool { return lats[i] < lats[j] })
	return result{
		opsPerSec: float64(len(lats)) / el.Seconds(),
		p50:       lats[len(lats)/2],
		p99:       lats[len(lats)*99/100],
		errors:    errs,
	}, nil
}

// execOnce runs sql (prepared and cached by pgx) and reads every row.
func execOnce(ctx context.Context, c *pgx.Conn, sql string, args []any) error {
	rows, err := c.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	rows.Close()
	return rows.Err()
}
