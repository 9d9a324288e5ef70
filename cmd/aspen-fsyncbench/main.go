// Command aspen-fsyncbench measures how many durable 4 KiB writes per second
// the disk under a directory sustains: it writes a block and calls fdatasync
// in a loop for a fixed time, then prints the rate and latency percentiles:
//
//	fsync/s: 5123
//	p50: 182µs
//	p99: 451µs
//
// `make bench` divides the Raft log's group-commit throughput by this rate.
//
// By default the blocks overwrite a file that was written and synced
// beforehand (wrapping around at -file-size), so each fdatasync flushes data
// only, as for a recycled or preallocated write-ahead log; -append grows the
// file instead, which also makes every sync update the file size.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"time"
)

// config holds the command-line settings.
type config struct {
	dir      string
	duration time.Duration
	block    int
	fileSize int64
	append   bool
}

func main() {
	var cfg config
	flag.StringVar(&cfg.dir, "dir", os.TempDir(), "directory for the temporary test file (on the disk to measure)")
	flag.DurationVar(&cfg.duration, "duration", 5*time.Second, "how long to measure")
	flag.IntVar(&cfg.block, "block", 4096, "bytes written before each fdatasync")
	flag.Int64Var(&cfg.fileSize, "file-size", 64<<20, "size of the preallocated file the writes wrap around in")
	flag.BoolVar(&cfg.append, "append", false, "append to a growing file instead of overwriting a preallocated one")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "aspen-fsyncbench: %v\n", err)
		os.Exit(1)
	}
}

// result is what one measurement found.
type result struct {
	syncs    int
	elapsed  time.Duration
	p50, p99 time.Duration
}

// run measures and prints the result to out. It stops early, still
// printing, if ctx is cancelled after at least one sync.
func run(ctx context.Context, cfg config, out io.Writer) error {
	res, err := measure(ctx, cfg)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "fsync/s: %.0f\np50: %v\np99: %v\n",
		float64(res.syncs)/res.elapsed.Seconds(), res.p50, res.p99)
	return err
}

func measure(ctx context.Context, cfg config) (res result, err error) {
	if cfg.duration <= 0 || cfg.block <= 0 || (!cfg.append && cfg.fileSize < int64(cfg.block)) {
		return result{}, fmt.Errorf("need -duration > 0, -block > 0 and -file-size >= -block")
	}
	f, err := os.CreateTemp(cfg.dir, "aspen-fsyncbench-*")
	if err != nil {
		return result{}, fmt.Errorf("create test file: %w", err)
	}
	defer func() {
		err = errors.Join(err, f.Close(), os.Remove(f.Name()))
	}()

	if !cfg.append {
		if err := preallocate(ctx, f, cfg.fileSize); err != nil {
			return result{}, fmt.Errorf("preallocate %s: %w", f.Name(), err)
		}
	}

	block := make([]byte, cfg.block)
	lat := make([]time.Duration, 0, 1<<16)
	var off int64
	start := time.Now()
	deadline := start.Add(cfg.duration)
	for time.Now().Before(deadline) && (ctx.Err() == nil || len(lat) == 0) {
		if !cfg.append && off+int64(cfg.block) > cfg.fileSize {
			off = 0
		}
		block[0]++ // never write the same bytes twice in a row
		t0 := time.Now()
		if _, err := f.WriteAt(block, off); err != nil {
			return result{}, fmt.Errorf("write %s: %w", f.Name(), err)
		}
		if err := fdatasync(f); err != nil {
			return result{}, fmt.Errorf("fdatasync %s: %w", f.Name(), err)
		}
		lat = append(lat, time.Since(t0))
		off += int64(cfg.block)
	}
	res.elapsed = time.Since(start)
	res.syncs = len(lat)
	slices.Sort(lat)
	res.p50 = percentile(lat, 50)
	res.p99 = percentile(lat, 99)
	return res, nil
}

// preallocate writes size bytes of zeros to f and syncs it, so that later
// overwrites change no file metadata that fdatasync must flush.
func preallocate(ctx context.Context, f *os.File, size int64) error {
	buf := make([]byte, 1<<20)
	for off := int64(0); off < size; off += int64(len(buf)) {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(int64(len(buf)), size-off)
		if _, err := f.WriteAt(buf[:n], off); err != nil {
			return err
		}
	}
	return f.Sync()
}

// percentile returns the p-th percentile of sorted (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100 // ceil(n*p/100), 1-based rank
	return sorted[max(i, 1)-1]
}
