package main

// This file is the harness of the end-to-end tests: they build the real
// aspen-server binary once (TestMain) and run it as separate processes on
// loopback, talking to it with go-redis and the HTTP admin endpoint only.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// serverBin is the aspen-server binary TestMain builds, or "" when the build
// failed (buildErr says why).
var (
	serverBin string
	buildErr  error
)

func TestMain(m *testing.M) {
	flag.Parse()
	// The tests see every client error themselves; go-redis's own log of
	// refused dials while a node is down is noise.
	redis.SetLogger(quietLog{})
	dir, err := os.MkdirTemp("", "aspen-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: temp dir:", err)
		os.Exit(1)
	}
	if !testing.Short() {
		serverBin = filepath.Join(dir, "aspen-server")
		// The binary is built without -race even when the tests are: the
		// processes under test are separate, and the race detector would
		// slow them down enough to change the timing of elections.
		cmd := exec.Command("go", "build", "-o", serverBin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build aspen-server: %w\n%s", err, out)
			serverBin = ""
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// quietLog drops go-redis's internal log lines.
type quietLog struct{}

func (quietLog) Printf(context.Context, string, ...any) {}

// Bounds on the waits of the harness. None of them is a speed requirement:
// each is far above what the operation takes, and only turns a hang into a
// failure.
const (
	startBound    = 60 * time.Second // process start to /health 200
	stopBound     = 30 * time.Second // SIGTERM to exit
	electionBound = 30 * time.Second // leader lost to a new leader known
)

// requireBinary skips the e2e tests in -short mode and fails them when the
// binary did not build.
func requireBinary(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: runs the server binary; skipped in -short mode")
	}
	if buildErr != nil {
		t.Fatal(buildErr)
	}
}

// freeAddr returns a loopback address with a port that was free a moment
// ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	for {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("pick a free port: %v", err)
		}
		addr := ln.Addr().String()
		ln.Close()
		// The kernel may hand the same port out again once it is closed:
		// never give one address to two listeners of the test binary.
		handedOut.Lock()
		dup := handedOut.m[addr]
		if !dup {
			if handedOut.m == nil {
				handedOut.m = map[string]bool{}
			}
			handedOut.m[addr] = true
		}
		handedOut.Unlock()
		if !dup {
			return addr
		}
	}
}

// handedOut holds the addresses freeAddr returned.
var handedOut struct {
	sync.Mutex
	m map[string]bool
}

// node is one aspen-server process (and its restarts on the same data
// directory and ports).
type node struct {
	t        *testing.T
	id       string
	dir      string
	httpAddr string
	respAddr string
	raftAddr string
	pgAddr   string
	join     string // used only by the first start
	stdout   string // path of the stdout log (all starts, appended)
	stderr   string // path of the stderr log (all starts, appended)

	mu        sync.Mutex
	cmd       *exec.Cmd
	done      chan struct{} // closed when the current process has exited
	state     *os.ProcessState
	starts    int
	errOffset int64 // size of the stderr log when the current process started
	clients   []*redis.Client
}

// cluster is a set of nodes that the test cleans up when it ends.
type cluster struct {
	t     *testing.T
	nodes []*node
	http  *http.Client
}

// newCluster prepares n nodes (ids n1..nN) with their own data directories
// and ports; it starts none of them. Every process is killed when the test
// ends, and on failure the tail of each node's stderr is logged.
func newCluster(t *testing.T, n int) *cluster {
	t.Helper()
	requireBinary(t)
	root := t.TempDir() // registered before our cleanup, so removed after it
	c := &cluster{t: t, http: &http.Client{Timeout: 3 * time.Second}}
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("n%d", i)
		c.nodes = append(c.nodes, &node{
			t:        t,
			id:       id,
			dir:      filepath.Join(root, id, "data"),
			httpAddr: freeAddr(t),
			respAddr: freeAddr(t),
			raftAddr: freeAddr(t),
			pgAddr:   freeAddr(t),
			stdout:   filepath.Join(root, id+".stdout"),
			stderr:   filepath.Join(root, id+".stderr"),
		})
	}
	t.Cleanup(func() {
		for _, nd := range c.nodes {
			nd.closeClients()
			nd.kill()
		}
		if t.Failed() {
			for _, nd := range c.nodes {
				t.Logf("--- %s stderr (tail) ---\n%s", nd.id, tailFile(nd.stderr, 40))
			}
		}
	})
	return c
}

// args are the command-line flags of the node's next start.
func (n *node) args() []string {
	a := []string{
		"--data-dir", n.dir,
		"--node-id", n.id,
		"--http-addr", n.httpAddr,
		"--resp-addr", n.respAddr,
		"--raft-addr", n.raftAddr,
		"--pg-addr", n.pgAddr,
		"--log-level", "info",
	}
	if n.starts == 0 && n.join != "" {
		a = append(a, "--join", n.join)
	}
	return a
}

// launch starts the process without waiting for it to serve.
func (n *node) launch() {
	n.t.Helper()
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cmd != nil && !n.exited() {
		n.t.Fatalf("%s: start: already running", n.id)
	}
	outF, err := os.OpenFile(n.stdout, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		n.t.Fatalf("%s: %v", n.id, err)
	}
	errF, err := os.OpenFile(n.stderr, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		outF.Close()
		n.t.Fatalf("%s: %v", n.id, err)
	}
	args := n.args()
	fmt.Fprintf(errF, "=== harness: start %d: aspen-server %s\n", n.starts+1, strings.Join(args, " "))
	off, _ := errF.Seek(0, io.SeekEnd)
	n.errOffset = off
	cmd := exec.Command(serverBin, args...)
	cmd.Stdout = outF
	cmd.Stderr = errF
	cmd.Env = cleanEnv()
	setDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		outF.Close()
		errF.Close()
		n.t.Fatalf("%s: start aspen-server: %v", n.id, err)
	}
	n.starts++
	n.cmd = cmd
	done := make(chan struct{})
	n.done = done
	n.state = nil
	go func() {
		cmd.Wait()
		outF.Close()
		errF.Close()
		n.mu.Lock()
		n.state = cmd.ProcessState
		n.mu.Unlock()
		close(done)
	}()
}

// cleanEnv is the test's environment without ASPEN_* variables, so that a
// developer's settings cannot change what the flags say.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ASPEN_") {
			env = append(env, kv)
		}
	}
	return env
}

// exited reports whether the current process has exited; n.mu is held.
func (n *node) exited() bool {
	select {
	case <-n.done:
		return true
	default:
		return false
	}
}

// running reports whether the node has a live process.
func (n *node) running() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.cmd != nil && !n.exited()
}

// doneCh is closed when the current process exits.
func (n *node) doneCh() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.done
}

// start launches the node and waits until /health answers 200.
func (n *node) start() {
	n.t.Helper()
	n.launch()
	n.waitHealthy()
}

// waitHealthy waits for /health to answer 200; it fails the test if the
// process exits first or the bound passes.
func (n *node) waitHealthy() {
	n.t.Helper()
	hc := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(startBound)
	done := n.doneCh()
	for {
		resp, err := hc.Get("http://" + n.httpAddr + "/health")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-done:
			n.t.Fatalf("%s exited before serving (%v); stderr:\n%s", n.id, n.exitState(), n.stderrSinceStart())
		default:
		}
		if time.Now().After(deadline) {
			n.t.Fatalf("%s: /health not 200 after %v (last error %v)", n.id, startBound, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill sends SIGKILL and waits for the process to be gone. It does nothing
// when the node is not running.
func (n *node) kill() {
	n.mu.Lock()
	cmd, done := n.cmd, n.done
	n.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Kill()
	<-done // a SIGKILLed process always exits
}

// terminate sends SIGTERM and waits up to bound for the exit; it returns
// the exit code, or fails the test (after a SIGKILL) if the process does not
// stop in time.
func (n *node) terminate(bound time.Duration) int {
	n.t.Helper()
	n.mu.Lock()
	cmd, done := n.cmd, n.done
	n.mu.Unlock()
	if cmd == nil {
		n.t.Fatalf("%s: terminate: never started", n.id)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(bound):
		cmd.Process.Kill()
		<-done
		n.t.Fatalf("%s did not exit within %v of SIGTERM", n.id, bound)
	}
	return n.exitState().ExitCode()
}

// exitState is the state of the last process that exited.
func (n *node) exitState() *os.ProcessState {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.state
}

// stderrSinceStart is what the current (or last) process wrote to stderr.
func (n *node) stderrSinceStart() string {
	n.mu.Lock()
	off := n.errOffset
	n.mu.Unlock()
	b, err := os.ReadFile(n.stderr)
	if err != nil {
		return fmt.Sprintf("(read %s: %v)", n.stderr, err)
	}
	if off > int64(len(b)) {
		off = 0
	}
	return string(b[off:])
}

// tailFile returns the last lines of a file.
func tailFile(path string, lines int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(read %s: %v)", path, err)
	}
	return tail(string(b), lines)
}

// client returns a new go-redis client of the node's Redis address. The
// client never retries a command by itself (a retried INCR or SET would
// blur what the tests record), and is closed when the test ends.
func (n *node) client(readTimeout time.Duration) *redis.Client {
	rc := redis.NewClient(&redis.Options{
		Addr:            n.respAddr,
		Protocol:        2,
		DisableIdentity: true,
		MaxRetries:      -1,
		DialTimeout:     2 * time.Second,
		DialerRetries:   1,
		ReadTimeout:     readTimeout,
		// A command's context bounds it too.
		ContextTimeoutEnabled: true,
		WriteTimeout:          5 * time.Second,
		PoolSize:              16,
	})
	n.mu.Lock()
	n.clients = append(n.clients, rc)
	n.mu.Unlock()
	return rc
}

func (n *node) closeClients() {
	n.mu.Lock()
	cs := n.clients
	n.clients = nil
	n.mu.Unlock()
	for _, c := range cs {
		c.Close()
	}
}

// clusterJSON is the JSON of GET /cluster, as a client reads it (declared
// apart from the server's type so that the tests check the wire format).
type clusterJSON struct {
	Leader       string `json:"leader"`
	AppliedIndex uint64 `json:"applied_index"`
	Node         string `json:"node"`
	State        string `json:"state"`
	Term         uint64 `json:"term"`
	Nodes        []struct {
		ID       string `json:"id"`
		RaftAddr string `json:"raft_addr"`
		HTTPAddr string `json:"http_addr"`
		PGAddr   string `json:"pg_addr"`
		RESPAddr string `json:"resp_addr"`
		Suffrage string `json:"suffrage"`
		State    string `json:"state"`
	} `json:"nodes"`
}

// view fetches the node's /cluster.
func (c *cluster) view(n *node) (clusterJSON, error) {
	var v clusterJSON
	resp, err := c.http.Get("http://" + n.httpAddr + "/cluster")
	if err != nil {
		return v, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return v, fmt.Errorf("%s /cluster: %w", n.id, err)
	}
	if resp.StatusCode != http.StatusOK {
		return v, fmt.Errorf("%s /cluster: status %d: %s", n.id, resp.StatusCode, bytes.TrimSpace(body))
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return v, fmt.Errorf("%s /cluster: %w: %s", n.id, err, body)
	}
	return v, nil
}

// node returns the node with the given id, or nil.
func (c *cluster) node(id string) *node {
	for _, n := range c.nodes {
		if n.id == id {
			return n
		}
	}
	return nil
}

// leader returns the running node that says it is the leader and whose
// leadership every other running node that knows a leader agrees with, or
// nil.
func (c *cluster) leader() *node {
	var lead *node
	for _, n := range c.nodes {
		if !n.running() {
			continue
		}
		v, err := c.view(n)
		if err != nil {
			continue
		}
		if strings.EqualFold(v.State, "leader") && v.Leader == n.id {
			if lead != nil {
				return nil // two nodes claim it: an election is settling
			}
			lead = n
		}
	}
	return lead
}

// waitLeader waits until a running node leads and returns it; it fails the
// test after bound.
func (c *cluster) waitLeader(bound time.Duration) *node {
	c.t.Helper()
	deadline := time.Now().Add(bound)
	for {
		if l := c.leader(); l != nil {
			return l
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("no leader among the running nodes after %v", bound)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitFor polls cond until it returns nil, and fails the test with its last
// error after bound.
func waitFor(t *testing.T, bound time.Duration, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(bound)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not done after %v: %v", what, bound, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// retry runs op until it succeeds or bound passes, each attempt bounded by
// a context, and fails the test with the last error.
func retry(t *testing.T, bound time.Duration, what string, op func(ctx context.Context) error) {
	t.Helper()
	waitFor(t, bound, what, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return op(ctx)
	})
}

// isServerError reports whether err is an error reply from the server (as
// opposed to a network error or a client-side timeout).
func isServerError(err error) bool {
	var re redis.Error
	return errors.As(err, &re) && !errors.Is(err, redis.Nil)
}
