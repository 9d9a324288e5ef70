// The command line: flags, finding the scripts, and the report.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/aspen-db/aspen/internal/pgtest"
	"github.com/aspen-db/aspen/sqllogictest/internal/slt"
)

// defaultURL is where `make run` puts Aspen's PostgreSQL listener.
const defaultURL = "postgres://aspen@127.0.0.1:5432/aspen"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is the parsed command line.
type config struct {
	opts          slt.Options
	failures      int
	times         bool
	startPostgres bool
	paths         []string
}

func parseArgs(args []string, stderr io.Writer) (config, error) {
	var c config
	fl := flag.NewFlagSet("sqllogictest", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprintf(stderr, "usage: sqllogictest [flags] FILE|DIR...\n\nflags:\n")
		fl.PrintDefaults()
	}
	url := defaultURL
	if v := os.Getenv("SLT_URL"); v != "" {
		url = v
	}
	fl.StringVar(&c.opts.URL, "url", url, "server to test (default from $SLT_URL if set)")
	fl.StringVar(&c.opts.Engine, "engine", "postgresql", "engine name for skipif/onlyif")
	fl.BoolVar(&c.opts.Extended, "extended", false, "use the extended query protocol (one statement per record) instead of the simple one")
	fl.BoolVar(&c.opts.Keep, "keep", false, "keep the objects each script created instead of dropping them when it ends")
	fl.DurationVar(&c.opts.Timeout, "timeout", 30*time.Second, "time limit for each record")
	fl.IntVar(&c.failures, "failures", 3, "failures to show per script (-1: all)")
	fl.BoolVar(&c.times, "times", true, "show each script's running time")
	fl.BoolVar(&c.startPostgres, "start-postgres", false, "start a throwaway PostgreSQL 15 server and test it instead of -url (reference results)")
	if err := fl.Parse(args); err != nil {
		return c, err
	}
	c.paths = fl.Args()
	if len(c.paths) == 0 {
		fl.Usage()
		return c, errors.New("no script given")
	}
	return c, nil
}

// run is the whole command; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "sqllogictest:", err)
		return 2
	}
	files, err := findScripts(c.paths)
	if err != nil {
		fmt.Fprintln(stderr, "sqllogictest:", err)
		return 2
	}
	if c.startPostgres {
		srv, err := pgtest.Launch(ctx, pgtest.Options{})
		if err != nil {
			fmt.Fprintln(stderr, "sqllogictest:", err)
			return 2
		}
		defer srv.Stop()
		c.opts.URL = srv.DSN()
		fmt.Fprintf(stderr, "sqllogictest: started PostgreSQL at %s\n", c.opts.URL)
	}

	r := slt.NewRunner(c.opts)
	var passed, failed, skipped int
	for _, f := range files {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "sqllogictest: interrupted")
			failed++
			break
		}
		res, err := r.RunFile(ctx, f, f)
		if err != nil {
			fmt.Fprintf(stdout, "%s: error: %v\n", f, err)
			failed++
			continue
		}
		report(stdout, res, c.failures, c.times)
		passed += res.Passed
		failed += res.Failed
		skipped += res.Skipped
	}
	fmt.Fprintf(stdout, "%d passed, %d failed, %d skipped\n", passed, failed, skipped)
	if failed > 0 {
		return 1
	}
	return 0
}

// findScripts expands directories into the *.test and *.slt files below
// them.
func findScripts(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		n := len(files)
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(path, ".test") || strings.HasSuffix(path, ".slt")) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(files) == n {
			return nil, fmt.Errorf("%s: no .test or .slt files", p)
		}
	}
	return files, nil
}

// report prints one script's line and its first failures.
func report(w io.Writer, res slt.FileResult, maxFailures int, times bool) {
	fmt.Fprintf(w, "%s: %d passed, %d failed, %d skipped", res.Name, res.Passed, res.Failed, res.Skipped)
	if res.Halted {
		fmt.Fprint(w, ", halted")
	}
	if times {
		fmt.Fprintf(w, " (%.2fs)", res.Duration.Seconds())
	}
	fmt.Fprintln(w)
	for i, f := range res.Failures {
		if maxFailures >= 0 && i >= maxFailures {
			fmt.Fprintf(w, "  ... and %d more failures\n", len(res.Failures)-i)
			break
		}
		fmt.Fprintf(w, "  %s:%d: %s: %s\n", filepath.Base(res.Name), f.Line, f.Kind, f.Reason)
		if f.SQL != "" {
			fmt.Fprintf(w, "    sql:      %s\n", oneLine(f.SQL, 300))
		}
		if f.Expected != "" {
			fmt.Fprintf(w, "    expected: %s\n", f.Expected)
		}
		if f.Got != "" {
			fmt.Fprintf(w, "    got:      %s\n", f.Got)
		}
	}
	for _, e := range res.CleanupErrors {
		fmt.Fprintf(w, "  cleanup: %s\n", e)
	}
}

// oneLine collapses whitespace runs (newlines included) and cuts s to max
// bytes.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		s = s[:max] + "..."
	}
	return s
}
