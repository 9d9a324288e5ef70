package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestCorruptDataRefusesToStart stops a node cleanly, damages one file of
// its data directory (a copy per case), and starts it again: the process
// must exit non-zero, name the damaged file or its directory on stderr with
// the reason, and never answer /health with 200 meanwhile. A copy left
// intact must start and serve the data, so a refusal is the damage's doing.
func TestCorruptDataRefusesToStart(t *testing.T) {
	c := newCluster(t, 1)
	n := c.nodes[0]
	golden := n.dir
	n.start()

	// Enough data that both Pebble instances (the engine in db.1 and the
	// Raft log in raft) hold sstables, not only a memtable and its WAL.
	rdb := n.client(30 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	big := strings.Repeat("0123456789abcdef", 1<<16) // 1 MiB
	for i := range 80 {
		if err := rdb.Set(ctx, fmt.Sprintf("big%02d", i), big, 0).Err(); err != nil {
			t.Fatalf("SET big%02d: %v", i, err)
		}
	}
	for i := range 200 {
		if err := rdb.Set(ctx, fmt.Sprintf("ck%d", i), fmt.Sprintf("cv%d", i), 0).Err(); err != nil {
			t.Fatalf("SET ck%d: %v", i, err)
		}
	}
	if code := n.terminate(stopBound); code != 0 {
		t.Fatalf("exit code after SIGTERM = %d, want 0", code)
	}
	t.Logf("data directory after a clean stop:\n%s", listDir(golden))
	if fi, err := os.Stat(filepath.Join(golden, "db.1")); err != nil || !fi.IsDir() {
		t.Fatalf("the engine directory db.1 is missing after a clean stop (%v): the next start can only replay the Raft log", err)
	}

	cases := []struct {
		name string
		pick func(t *testing.T, dir string) string // the file to damage
	}{
		{"engine MANIFEST", newest(filepath.Join("db.1"), "MANIFEST-*")},
		{"engine sstable", largest("db.1", "*.sst")},
		{"raft log MANIFEST", newest("raft", "MANIFEST-*")},
		{"raft log WAL", newest("raft", "*.log")},
		{"raft log sstable", largest("raft", "*.sst")},
		{"raft log floor", exact(filepath.Join("raft", "ASPEN-RAFTLOG-FLOOR"))},
	}

	run := func(st *testing.T, name string, damage func(st *testing.T, dir string)) {
		dir := filepath.Join(st.TempDir(), "data")
		if err := copyTree(golden, dir); err != nil {
			st.Fatal(err)
		}
		if damage != nil {
			damage(st, dir)
		}
		n.t, n.dir = st, dir
		defer func() { n.kill(); n.t, n.dir = t, golden }()
		n.launch()
		if damage == nil {
			n.waitHealthy()
			for i := range 200 {
				if got, err := n.client(15*time.Second).Get(ctx, fmt.Sprintf("ck%d", i)).Result(); err != nil || got != fmt.Sprintf("cv%d", i) {
					st.Fatalf("intact copy: GET ck%d = %q, %v", i, got, err)
				}
			}
			if code := n.terminate(stopBound); code != 0 {
				st.Fatalf("intact copy: exit code after SIGTERM = %d", code)
			}
			return
		}
		served, exited := watchRefusal(n, refuseBound)
		stderr := n.stderrSinceStart()
		if !exited {
			st.Fatalf("%s: the store did not refuse: the process still runs %v after start on a damaged data directory (served /health 200: %v); stderr:\n%s",
				name, refuseBound, served, tail(stderr, 4))
		}
		code := n.exitState().ExitCode()
		if code == 0 {
			st.Errorf("%s: exit code 0, want non-zero", name)
		}
		if served {
			st.Errorf("%s: /health answered 200 before the process exited (code %d): it served on damaged data", name, code)
		}
		st.Logf("%s: exit code %d; stderr errors:\n%s", name, code, errorLines(stderr))
	}

	t.Run("intact copy starts", func(st *testing.T) { run(st, "intact", nil) })
	reason := regexp.MustCompile(`(?i)corrupt|checksum|malformed|invalid|mismatch|lost|damaged|does not exist`)
	for _, tc := range cases {
		t.Run(tc.name, func(st *testing.T) {
			var target string
			run(st, tc.name, func(st *testing.T, dir string) {
				target = tc.pick(st, dir)
				damageMiddle(st, target)
			})
			// The paths hold the test's name, which says "corrupt": take
			// them out before looking for the reason.
			stderr := strings.ReplaceAll(n.stderrSinceStart(), target, "<file>")
			stderr = strings.ReplaceAll(stderr, filepath.Dir(target), "<dir>")
			if !strings.Contains(stderr, "<file>") && !strings.Contains(stderr, "<dir>") && !strings.Contains(stderr, filepath.Dir(target)) {
				st.Errorf("stderr names neither %s nor its directory:\n%s", target, errorLines(stderr))
			}
			if !reason.MatchString(stderr) {
				st.Errorf("stderr does not say why (no word like corrupt, checksum, malformed):\n%s", errorLines(stderr))
			}
		})
	}
}

// refuseBound is how long a start on damaged data may run before the test
// decides the store did not refuse it; a refusal takes well under a second.
const refuseBound = 20 * time.Second

// watchRefusal polls /health until the process exits or bound passes. It
// reports whether /health ever answered 200 and whether the process exited.
func watchRefusal(n *node, bound time.Duration) (served, exited bool) {
	hc := &http.Client{Timeout: time.Second}
	done := n.doneCh()
	deadline := time.After(bound)
	for {
		select {
		case <-done:
			return served, true
		case <-deadline:
			return served, false
		case <-time.After(20 * time.Millisecond):
		}
		if resp, err := hc.Get("http://" + n.httpAddr + "/health"); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				served = true
			}
		}
	}
}

// damageMiddle flips 16 bytes in the middle of a file (fewer for a small
// one), so that the damage is neither at the start nor a torn tail.
func damageMiddle(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	size := fi.Size()
	if size == 0 {
		t.Fatalf("%s is empty; nothing to damage", path)
	}
	n := min(int64(16), max(1, size/4))
	off := size/2 - n/2
	buf := make([]byte, n)
	if _, err := f.ReadAt(buf, off); err != nil {
		t.Fatal(err)
	}
	for i := range buf {
		buf[i] ^= 0xA5
	}
	if _, err := f.WriteAt(buf, off); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	t.Logf("flipped %d bytes at offset %d of %s (%d bytes)", n, off, path, size)
}

// newest picks the file matching pattern in sub with the greatest name
// (Pebble numbers its files in order).
func newest(sub, pattern string) func(t *testing.T, dir string) string {
	return func(t *testing.T, dir string) string {
		t.Helper()
		m := globFiles(t, filepath.Join(dir, sub), pattern)
		sort.Strings(m)
		return m[len(m)-1]
	}
}

// largest picks the largest file matching pattern in sub.
func largest(sub, pattern string) func(t *testing.T, dir string) string {
	return func(t *testing.T, dir string) string {
		t.Helper()
		best, bestSize := "", int64(-1)
		for _, p := range globFiles(t, filepath.Join(dir, sub), pattern) {
			if fi, err := os.Stat(p); err == nil && fi.Size() > bestSize {
				best, bestSize = p, fi.Size()
			}
		}
		return best
	}
}

// exact picks one named file.
func exact(rel string) func(t *testing.T, dir string) string {
	return func(t *testing.T, dir string) string {
		t.Helper()
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("expected file: %v", err)
		}
		return p
	}
}

func globFiles(t *testing.T, dir, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	if len(m) == 0 {
		t.Fatalf("no file %s in %s; the data directory holds:\n%s", pattern, dir, listDir(filepath.Dir(dir)))
	}
	return m
}

// copyTree copies the regular files and directories under src to dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return fmt.Errorf("copy %s: %w", p, err)
		}
		return out.Close()
	})
}

// listDir lists the files under dir with their sizes.
func listDir(dir string) string {
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&b, "  %-50s %10d\n", rel, fi.Size())
		return nil
	})
	return b.String()
}

// tail returns the last lines of s, each cut to a readable length.
func tail(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	for i, l := range all {
		if len(l) > 600 {
			all[i] = l[:600] + " ..."
		}
	}
	return strings.Join(all, "\n")
}

// errorLines returns the lines of a server's stderr that report the
// failure: error-level logs and a panic's first line.
func errorLines(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "level=ERROR") || strings.HasPrefix(l, "panic:") {
			if len(l) > 600 {
				l = l[:600] + " ..."
			}
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
