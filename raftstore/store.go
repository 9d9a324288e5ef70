// Package raftstore is Aspen's replicated transactional key-value store: one
// hashicorp/raft group whose log is the write-ahead log, and whose state
// machine applies committed transactions to the engine (Pebble).
//
// Transactions follow FoundationDB's model on one Raft group. A transaction
// reads at a read version, the applied Raft index when it began, confirmed
// by the leader (linearizable reads, also on followers: the ReadIndex
// protocol). Writes are buffered. Commit proposes one Raft entry with the
// read version, the read ranges and the writes; every replica's state machine
// checks the read ranges against the keys written after the read version (a
// window of recent entries, persisted so that every replica decides alike)
// and applies or rejects the entry. An entry may also carry deterministic
// mutations that run against the state at apply time and never conflict.
// Many concurrent commits share one log fsync: the leader batches pending
// entries into one append, and the state machine applies a batch of entries
// in one engine batch.
//
// A node may be asked anything: a follower forwards commits and read-index
// requests to the leader over HTTP (see Handler).
package raftstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"

	"github.com/aspen-db/aspen/layers"
)

// NodeMeta is what a node advertises to the cluster. It is stored in the
// replicated state, so every node can find every other node's addresses.
type NodeMeta struct {
	ID       string `json:"id"`
	RaftAddr string `json:"raft_addr"`
	HTTPAddr string `json:"http_addr"`
	PGAddr   string `json:"pg_addr"`
	RESPAddr string `json:"resp_addr"`
}

// Config configures Open.
type Config struct {
	// Dir is the node's data directory.
	Dir string
	// Meta is this node's identity and advertised addresses. Meta.RaftAddr
	// is also the address the Raft transport listens on, and Meta.HTTPAddr
	// must serve Handler.
	Meta NodeMeta
	// Join is the HTTP address of any cluster member. It is used only when
	// the data directory holds no Raft state; otherwise the node resumes its
	// membership. Without Join, a new node bootstraps a one-node cluster.
	Join string
	// Mutations are the deterministic operations entries may carry. Every
	// node must register the same set.
	Mutations map[string]layers.MutationFunc
	// Logger receives the store's logs; nil means slog.Default().
	Logger *slog.Logger
	// ConflictWindow is how many log entries the conflict check remembers;
	// a transaction whose read version is older fails with ErrTooOld.
	// 0 means 100000.
	ConflictWindow uint64
	// CacheSize is the engine's block cache in bytes; 0 means 64 MiB.
	CacheSize int64
	// HeartbeatTimeout and ElectionTimeout tune Raft; 0 means 1 s each.
	HeartbeatTimeout time.Duration
	ElectionTimeout  time.Duration
	// SnapshotThreshold is how many entries trigger a snapshot; 0 means 8192.
	SnapshotThreshold uint64
	// VerifyOnStart reads the whole engine and Raft log at start-up so that
	// a damaged file stops the node before it serves, not when a read
	// reaches the damaged block. Its cost grows with the data.
	VerifyOnStart bool
	// SnapshotInterval is how often the threshold is checked; 0 means 60 s.
	SnapshotInterval time.Duration
	// TrailingLogs is how many entries stay in the log behind a snapshot,
	// so that a briefly lagging follower catches up without a snapshot
	// install; 0 means 10240.
	TrailingLogs uint64
}

// Store is an open replicated store. It satisfies layers.KV.
type Store struct {
	cfg    Config
	logger *slog.Logger

	handle  atomic.Pointer[dbHandle]
	snapMu  sync.Mutex    // orders "commit batch + advance applied" against "read applied + snapshot"
	curSnap *sharedSnap   // the newest shared read snapshot, under snapMu (sharedsnap.go)
	applied atomic.Uint64 // last log index applied to the engine

	notifyMu sync.Mutex
	notifyCh chan struct{} // closed and replaced whenever applied advances

	fsm       *fsm
	mutations map[string]layers.MutationFunc
	listeners listeners     // node-local event listeners (Listen)
	watches   prefixWatches // WatchPrefix (watch.go)
	raft      *raft.Raft
	logs      *LogStore
	transport *raft.NetworkTransport

	// readyTerm is the term in which this node, as leader, applied a barrier
	// entry of its own: from then on its commit index covers every write
	// acknowledged by earlier leaders, and it may answer read-index requests.
	readyTerm atomic.Uint64
	readIdx   batcher
	lease     atomic.Pointer[readLease] // leaseReadIndex
	fwd       forwarder
	client    *http.Client
	hints     hintHandlers
	metrics   *storeMetrics

	closeOnce sync.Once
	closing   chan struct{}
	wg        sync.WaitGroup
	fatalErr  atomic.Pointer[error]
}

var _ layers.KV = (*Store)(nil)

// Open opens the node's data directory and starts Raft. A new node either
// bootstraps a single-node cluster or, with cfg.Join, asks a member to add it
// as a voter; ctx bounds that request. A data directory whose files are
// corrupt makes Open fail with the file and the reason.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Meta.ID == "" || cfg.Meta.RaftAddr == "" {
		return nil, errors.New("open store: node id and raft address are required")
	}
	if cfg.ConflictWindow == 0 {
		cfg.ConflictWindow = 100000
	}
	if cfg.HeartbeatTimeout == 0 {
		cfg.HeartbeatTimeout = time.Second
	}
	if cfg.ElectionTimeout == 0 {
		cfg.ElectionTimeout = time.Second
	}
	if cfg.SnapshotThreshold == 0 {
		cfg.SnapshotThreshold = 8192
	}
	if cfg.SnapshotInterval == 0 {
		cfg.SnapshotInterval = 60 * time.Second
	}
	if cfg.TrailingLogs == 0 {
		cfg.TrailingLogs = 10240
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger = logger.With("node", cfg.Meta.ID)
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	s := &Store{
		cfg:       cfg,
		logger:    logger,
		notifyCh:  make(chan struct{}),
		mutations: cfg.Mutations,
		closing:   make(chan struct{}),
		client: &http.Client{Transport: &http.Transport{
			MaxIdleConnsPerHost: 64,
			DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
		}},
		metrics: newStoreMetrics(),
	}
	s.readIdx.round = s.readIndexRound
	s.fwd.s = s
	s.fsm = &fsm{s: s, window: newConflictWindow(cfg.ConflictWindow)}
	if err := s.openState(); err != nil {
		return nil, err
	}
	if err := s.startRaft(ctx); err != nil {
		s.closeState()
		return nil, err
	}
	return s, nil
}

func (s *Store) openState() error {
	name, err := s.activeEngineDir()
	if err != nil {
		return err
	}
	h, err := s.openEngine(name)
	if err != nil {
		return err
	}
	s.handle.Store(h)
	if err := s.fsm.loadState(); err != nil {
		h.db.Close()
		return fmt.Errorf("open store %s: %w", h.dir, err)
	}
	if err := s.checkFloor(h.dir, s.applied.Load()); err != nil {
		h.db.Close()
		return err
	}
	if s.cfg.VerifyOnStart {
		start := time.Now()
		if err := h.db.Verify(context.Background()); err != nil {
			h.db.Close()
			return fmt.Errorf("refusing to start: %w", err)
		}
		s.logger.Info("verified engine", "dir", h.dir, "bytes", h.db.DiskUsage(), "took", time.Since(start))
	}
	// Leftovers of a snapshot or restore interrupted by a crash.
	matches, _ := filepath.Glob(filepath.Join(s.cfg.Dir, "snapshot-*"))
	more, _ := filepath.Glob(filepath.Join(s.cfg.Dir, "restore-*"))
	for _, m := range append(matches, more...) {
		os.RemoveAll(m)
	}
	logs, err := OpenLogStore(filepath.Join(s.cfg.Dir, "raft"), s.logger)
	if err != nil {
		h.db.Close()
		return err
	}
	s.logs = logs
	if s.cfg.VerifyOnStart {
		start := time.Now()
		if err := logs.Verify(context.Background()); err != nil {
			s.closeState()
			return fmt.Errorf("refusing to start: %w", err)
		}
		s.logger.Info("verified raft log", "dir", logs.Dir(), "took", time.Since(start))
	}
	return nil
}

func (s *Store) closeState() {
	if s.logs != nil {
		s.logs.Close()
	}
	s.dropCurSnap()
	if h := s.handle.Load(); h != nil {
		// Drop the store's own reference without marking the handle
		// retired: release removes a retired engine's directory, and this
		// one holds the live data that the next Open resumes from.
		if n := h.refs.Add(-1); n == 0 {
			// Flush, so the next start need not replay the log, and record
			// the floor that start must find.
			if err := h.db.Flush(); err != nil {
				s.logger.Warn("flush engine at close", "dir", h.dir, "err", err)
			} else if err := s.writeFloor(h.dir, s.applied.Load()); err != nil {
				s.logger.Warn("close", "err", err)
			}
			if err := h.db.Close(); err != nil {
				s.logger.Warn("close engine", "dir", h.dir, "err", err)
			}
		} else {
			s.logger.Warn("engine left open: transactions still hold it", "dir", h.dir, "refs", n)
		}
	}
}

func (s *Store) startRaft(ctx context.Context) error {
	hl := hclog.New(&hclog.LoggerOptions{
		Name:   "raft",
		Level:  hclog.Warn,
		Output: slogWriter{s.logger.With("component", "raft")},
	})
	snaps, err := newCheckpointStore(filepath.Join(s.cfg.Dir, "snapshots"), 2, s.logger)
	if err != nil {
		return err
	}
	addr, err := net.ResolveTCPAddr("tcp", s.cfg.Meta.RaftAddr)
	if err != nil {
		return fmt.Errorf("raft address %q: %w", s.cfg.Meta.RaftAddr, err)
	}
	trans, err := raft.NewTCPTransportWithLogger(s.cfg.Meta.RaftAddr, addr, 4, 10*time.Second, hl)
	if err != nil {
		return fmt.Errorf("raft transport on %s: %w", s.cfg.Meta.RaftAddr, err)
	}
	s.transport = trans

	rc := raft.DefaultConfig()
	rc.LocalID = raft.ServerID(s.cfg.Meta.ID)
	rc.Logger = hl
	rc.HeartbeatTimeout = s.cfg.HeartbeatTimeout
	rc.ElectionTimeout = s.cfg.ElectionTimeout
	rc.LeaderLeaseTimeout = s.cfg.HeartbeatTimeout / 2
	rc.CommitTimeout = 5 * time.Millisecond
	rc.MaxAppendEntries = 512
	rc.BatchApplyCh = true
	rc.SnapshotThreshold = s.cfg.SnapshotThreshold
	rc.SnapshotInterval = s.cfg.SnapshotInterval
	rc.TrailingLogs = s.cfg.TrailingLogs
	// The engine holds its own applied index, so raft must not restore the
	// last snapshot over it at start-up; it replays only what is missing.
	rc.NoSnapshotRestoreOnStart = true

	// raft panics when it cannot read its last entry; check it here so a
	// damaged log is an error that names the file.
	if last, err := s.logs.LastIndex(); err != nil {
		return fmt.Errorf("raft log: %w", err)
	} else if last > 0 {
		var l raft.Log
		if err := s.logs.GetLog(last, &l); err != nil {
			return fmt.Errorf("raft log %s: read last entry %d: %w", s.logs.Dir(), last, err)
		}
	}
	hasState, err := raft.HasExistingState(s.logs, s.logs, snaps)
	if err != nil {
		trans.Close()
		return fmt.Errorf("read raft state: %w", err)
	}
	// Followers read every entry back from the log to apply it; a cache of
	// the newest entries keeps that off the disk and out of Pebble.
	cached, err := raft.NewLogCache(4096, s.logs)
	if err != nil {
		trans.Close()
		return fmt.Errorf("log cache: %w", err)
	}
	r, err := raft.NewRaft(rc, s.fsm, cached, s.logs, snaps, trans)
	if err != nil {
		trans.Close()
		return fmt.Errorf("start raft: %w", err)
	}
	s.raft = r
	s.wg.Add(1)
	go s.watchLeadership()

	switch {
	case hasState:
		if s.cfg.Join != "" {
			s.logger.Info("data directory holds raft state; resuming membership and ignoring --join", "join", s.cfg.Join)
		}
	case s.cfg.Join == "":
		s.logger.Info("bootstrapping a new single-node cluster")
		f := r.BootstrapCluster(raft.Configuration{Servers: []raft.Server{{
			ID: rc.LocalID, Address: raft.ServerAddress(s.cfg.Meta.RaftAddr), Suffrage: raft.Voter,
		}}})
		if err := f.Error(); err != nil && !errors.Is(err, raft.ErrCantBootstrap) {
			s.shutdownRaft()
			return fmt.Errorf("bootstrap: %w", err)
		}
	default:
		if err := s.join(ctx); err != nil {
			s.shutdownRaft()
			return err
		}
	}
	s.wg.Add(1)
	go s.publishMeta()
	return nil
}

// watchLeadership tracks whether this node is a leader ready to serve
// linearizable reads: it must have applied an entry of its own term, which
// the barrier guarantees.
func (s *Store) watchLeadership() {
	defer s.wg.Done()
	ch := s.raft.LeaderCh()
	for {
		select {
		case <-s.closing:
			return
		case leader := <-ch:
			if !leader {
				s.logger.Info("lost leadership")
				continue
			}
			s.logger.Info("became leader", "term", s.raft.CurrentTerm())
			go func() {
				for s.raft.State() == raft.Leader {
					// A command entry, not raft's Barrier: barriers and raft's own
					// no-ops never reach the state machine, so the applied index
					// would stop short of the commit index after them. Every entry
					// after this one is a command or a configuration change, which
					// the state machine sees.
					term := s.raft.CurrentTerm()
					f := s.raft.Apply([]byte{entryFormat, kindNoop}, 10*time.Second)
					if err := f.Error(); err == nil {
						if s.raft.State() == raft.Leader && s.raft.CurrentTerm() == term {
							s.readyTerm.Store(term)
							s.notifyApplied()
						}
						return
					}
					select {
					case <-s.closing:
						return
					case <-time.After(100 * time.Millisecond):
					}
				}
			}()
		}
	}
}

// publishMeta writes this node's advertised addresses into the replicated
// state once a leader is known, and again if they changed.
func (s *Store) publishMeta() {
	defer s.wg.Done()
	for {
		cur, ok := s.NodeMeta(s.cfg.Meta.ID)
		if ok && cur == s.cfg.Meta {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := s.proposeMeta(ctx, s.cfg.Meta)
		cancel()
		if err == nil {
			continue
		}
		s.logger.Debug("publish node metadata", "err", err)
		select {
		case <-s.closing:
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (s *Store) proposeMeta(ctx context.Context, m NodeMeta) error {
	data, err := encodeNodeMeta(m)
	if err != nil {
		return err
	}
	o, err := s.proposeOrForward(ctx, data)
	if err != nil {
		return err
	}
	if o.status != outcomeOK {
		return fmt.Errorf("publish node metadata: %s", o.msg)
	}
	// Make sure the local engine has it before returning.
	return s.waitApplied(ctx, o.version)
}

// Close stops Raft and closes the engine and the log. It does not hand
// leadership over; the others elect a new leader.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.closing)
		err = s.shutdownRaft()
		s.wg.Wait()
		s.closeState()
	})
	return err
}

func (s *Store) shutdownRaft() error {
	var err error
	if s.raft != nil {
		err = s.raft.Shutdown().Error()
	}
	if s.transport != nil {
		s.transport.Close()
	}
	return err
}

// fatal records an error after which this node must not serve; Err
// reports it, and the server stops.
func (s *Store) fatal(err error) {
	s.fatalErr.CompareAndSwap(nil, &err)
}

// Err reports a fatal error that stopped the node from applying the log.
func (s *Store) Err() error {
	if p := s.fatalErr.Load(); p != nil {
		return *p
	}
	if h := s.handle.Load(); h != nil {
		if err := h.db.Corruption(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) notifyApplied() {
	s.notifyMu.Lock()
	close(s.notifyCh)
	s.notifyCh = make(chan struct{})
	s.notifyMu.Unlock()
}

func (s *Store) appliedCh() <-chan struct{} {
	s.notifyMu.Lock()
	defer s.notifyMu.Unlock()
	return s.notifyCh
}

// AppliedIndex is the last log index applied to this node's engine.
func (s *Store) AppliedIndex() uint64 { return s.applied.Load() }

// waitApplied blocks until the engine has applied idx.
func (s *Store) waitApplied(ctx context.Context, idx uint64) error {
	for {
		ch := s.appliedCh()
		if s.applied.Load() >= idx {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("wait for index %d (applied %d): %w", idx, s.applied.Load(), ErrNoLeader)
		case <-s.closing:
			return ErrClosed
		}
	}
}

// WaitRead blocks until this node's engine holds every write acknowledged
// before the call (the ReadIndex protocol): the leader confirms its
// leadership and names its commit index, and this node waits to apply it.
func (s *Store) WaitRead(ctx context.Context) error {
	// The common case on a leader with a lease, already applied up to
	// the commit index: no round, no wait, and no bounded context to make.
	if idx, ok := s.leaseReadIndex(); ok && s.applied.Load() >= idx {
		return nil
	}
	ctx, cancel := s.boundCtx(ctx)
	defer cancel()
	for {
		idx, err := s.readIndex(ctx)
		if err == nil {
			return s.waitApplied(ctx, idx)
		}
		if !IsRetryable(err) {
			return err
		}
		if !s.pause(ctx) {
			return err
		}
	}
}

// boundCtx gives a context without deadline a bounded one, so a request to
// a node that cannot reach a leader fails instead of hanging.
func (s *Store) boundCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, 10*time.Second)
}

func (s *Store) pause(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-s.closing:
		return false
	case <-time.After(20 * time.Millisecond):
		return true
	}
}

// readIndex returns an index that is at least the cluster's commit index at
// the moment of the call, confirmed by the leader. Concurrent callers share
// rounds: one round (a heartbeat quorum on the leader, one HTTP request on a
// follower) answers every caller that was waiting when it started.
func (s *Store) readIndex(ctx context.Context) (uint64, error) {
	if idx, ok := s.leaseReadIndex(); ok {
		return idx, nil
	}
	return s.readIdx.wait(ctx)
}

// A leader's read lease. After a leadership confirmation that started at
// time T, no other node can become leader before T plus the followers'
// heartbeat timeout: a follower that heard from this leader after T
// refuses votes until its own heartbeat timeout (at least
// HeartbeatTimeout) passes without contact, and a quorum of them did hear
// from it. Until half of that has passed (a margin for clock rate drift
// between machines), this node's commit index is at least the commit index
// of any write acknowledged so far, so reads need no new round. A change
// of term ends the lease; Aspen never transfers leadership, the one case
// where followers vote while they still know a leader.
type readLease struct {
	term  uint64
	until time.Time // monotonic
}

// leaseReadIndex returns the commit index without a confirmation round
// while the lease of the current term holds.
func (s *Store) leaseReadIndex() (uint64, bool) {
	l := s.lease.Load()
	if l == nil || time.Now().After(l.until) || s.raft.State() != raft.Leader {
		return 0, false
	}
	term := s.raft.CurrentTerm()
	if l.term != term || s.readyTerm.Load() != term {
		return 0, false
	}
	return s.raft.CommitIndex(), true
}

// readIndexRound does one confirmation, for all the callers batched into it.
func (s *Store) readIndexRound() (uint64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if s.raft.State() == raft.Leader {
		return s.leaderReadIndex(ctx)
	}
	addr, err := s.leaderHTTP()
	if err != nil {
		return 0, ErrNoLeader
	}
	return s.forwardReadIndex(ctx, addr)
}

func (s *Store) leaderReadIndex(ctx context.Context) (uint64, error) {
	for s.readyTerm.Load() != s.raft.CurrentTerm() {
		if s.raft.State() != raft.Leader {
			return 0, ErrNoLeader
		}
		ch := s.appliedCh()
		select {
		case <-ch:
		case <-time.After(10 * time.Millisecond):
		case <-ctx.Done():
			return 0, ErrNoLeader
		}
	}
	term := s.raft.CurrentTerm()
	idx := s.raft.CommitIndex()
	start := time.Now()
	if err := s.raft.VerifyLeader().Error(); err != nil {
		return 0, ErrNoLeader
	}
	if s.raft.CurrentTerm() != term {
		return 0, ErrNoLeader
	}
	s.lease.Store(&readLease{term: term, until: start.Add(s.cfg.HeartbeatTimeout / 2)})
	return idx, nil
}

// batcher shares one round of an expensive operation among the callers that
// were waiting when the round started. A caller that arrives during a round
// waits for the next one, so every answer is at least as fresh as its call.
type batcher struct {
	round   func() (uint64, error)
	mu      sync.Mutex
	pending []chan batchResult
	running bool
}

type batchResult struct {
	idx uint64
	err error
}

// wait returns the result of a round that started after the call. The
// first caller to find no round running runs that round itself (no
// goroutine per round when reads come one at a time); callers that
// arrived during it get a goroutine that runs rounds until none is left.
func (b *batcher) wait(ctx context.Context) (uint64, error) {
	ch := make(chan batchResult, 1)
	b.mu.Lock()
	b.pending = append(b.pending, ch)
	if !b.running {
		b.running = true
		b.mu.Unlock()
		if b.runRound() {
			go b.loop()
		}
		r := <-ch // answered by the round just run
		return r.idx, r.err
	}
	b.mu.Unlock()
	select {
	case r := <-ch:
		return r.idx, r.err
	case <-ctx.Done():
		return 0, ErrNoLeader
	}
}

// runRound answers the waiting callers with one round and reports whether
// more callers arrived meanwhile; when none did, the batcher stops
// running.
func (b *batcher) runRound() (more bool) {
	b.mu.Lock()
	batch := b.pending
	b.pending = nil
	b.mu.Unlock()
	idx, err := b.round()
	for _, ch := range batch {
		ch <- batchResult{idx, err}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.pending) == 0 {
		b.running = false
		return false
	}
	return true
}

func (b *batcher) loop() {
	for b.runRound() {
	}
}

// proposeOrForward commits an encoded entry through the leader.
func (s *Store) proposeOrForward(ctx context.Context, data []byte) (*commitOutcome, error) {
	ctx, cancel := s.boundCtx(ctx)
	defer cancel()
	for {
		var o *commitOutcome
		var err error
		if s.raft.State() == raft.Leader {
			o, err = s.propose(ctx, data)
		} else {
			var addr string
			addr, err = s.leaderHTTP()
			if err == nil {
				o, err = s.fwd.forward(ctx, addr, data)
			}
		}
		if err == nil {
			return o, nil
		}
		// Only errors that guarantee the entry was not appended are retried
		// here; the others reach the caller.
		if !errors.Is(err, errNotSent) {
			return nil, err
		}
		if !s.pause(ctx) {
			return nil, ErrNoLeader
		}
	}
}

// errNotSent marks a failure after which the entry certainly did not reach
// a log, so sending it again cannot apply it twice.
var errNotSent = errors.New("entry not sent")

func (s *Store) propose(ctx context.Context, data []byte) (*commitOutcome, error) {
	if kind, _ := entryKind(data); kind == kindTxn {
		if err := stampEntry(data, time.Now().UnixMicro()); err != nil {
			return nil, err
		}
	}
	timeout := 10 * time.Second
	if dl, ok := ctx.Deadline(); ok {
		timeout = time.Until(dl)
	}
	f := s.raft.Apply(data, timeout)
	done := make(chan error, 1)
	go func() { done <- f.Error() }()
	select {
	case err := <-done:
		switch {
		case err == nil:
		case errors.Is(err, raft.ErrNotLeader), errors.Is(err, raft.ErrEnqueueTimeout):
			return nil, fmt.Errorf("%w: %v", errNotSent, err)
		case errors.Is(err, raft.ErrRaftShutdown):
			return nil, ErrClosed
		default:
			return nil, ErrUnknownResult
		}
	case <-ctx.Done():
		return nil, ErrUnknownResult
	}
	res, ok := f.Response().(applyResult)
	if !ok || res.outcome == nil {
		return nil, fmt.Errorf("commit: no outcome for index %d", f.Index())
	}
	return res.outcome, nil
}

// leaderHTTP is the HTTP address of the current leader.
func (s *Store) leaderHTTP() (string, error) {
	_, id := s.raft.LeaderWithID()
	if id == "" {
		return "", fmt.Errorf("%w: %w", errNotSent, ErrNoLeader)
	}
	if string(id) == s.cfg.Meta.ID {
		return "", fmt.Errorf("%w: leadership is changing", errNotSent)
	}
	m, ok := s.NodeMeta(string(id))
	if !ok || m.HTTPAddr == "" {
		return "", fmt.Errorf("%w: leader %s has not published its address", errNotSent, id)
	}
	return m.HTTPAddr, nil
}

// slogWriter turns hclog's lines into slog records.
type slogWriter struct{ l *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	msg := strings.TrimSpace(string(p))
	switch {
	case strings.Contains(msg, "[ERROR]"):
		w.l.Error(msg)
	case strings.Contains(msg, "[WARN]"):
		w.l.Warn(msg)
	default:
		w.l.Info(msg)
	}
	return len(p), nil
}

var _ io.Writer = slogWriter{}
