package planner

// The engine's registry of client sessions, which pg_stat_activity and
// pg_stat_database list: each session registers when it is made (Close
// removes it), and records what it runs as it runs it. Reads take a copy
// under the registry's lock, so a session never reads another's fields.

import (
	"net"
	"sort"
	"sync"
	"time"

	"github.com/aspen-db/aspen/planner/syscat"
)

// activityRegistry holds the engine's sessions' activity. The zero value
// is ready to use.
type activityRegistry struct {
	mu       sync.Mutex
	sessions map[*Session]*syscat.Backend
}

// SetClientAddr records the client's network address for
// pg_stat_activity (client_addr and client_port; a Unix socket shows a
// NULL address and port -1). Call it once the startup parameters are
// applied.
func (s *Session) SetClientAddr(addr net.Addr) {
	s.eng.act.update(s, func(b *syscat.Backend) {
		switch a := addr.(type) {
		case *net.TCPAddr:
			b.ClientAddr, b.ClientPort = a.IP.String(), int64(a.Port)
		case *net.UnixAddr:
			b.ClientPort = -1
		}
	})
}

// register adds a new session to the registry.
func (r *activityRegistry) register(s *Session) {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sessions == nil {
		r.sessions = map[*Session]*syscat.Backend{}
	}
	r.sessions[s] = &syscat.Backend{PID: s.pid, Database: s.ident.database, User: s.ident.user,
		BackendStart: now, StateChange: now, State: "idle"}
}

// setPID records s's backend PID.
func (r *activityRegistry) setPID(s *Session, pid uint32) {
	r.update(s, func(b *syscat.Backend) { b.PID = pid })
}

// unregister removes s (the connection ended).
func (r *activityRegistry) unregister(s *Session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.sessions, s)
}

// update changes s's entry, if it has one, with s's identity and
// application_name refreshed. Only s's own goroutine calls it.
func (r *activityRegistry) update(s *Session, f func(b *syscat.Backend)) {
	app, _ := s.Setting("application_name")
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.sessions[s]
	if b == nil {
		return
	}
	b.Database, b.User, b.App = s.ident.database, s.ident.user, app
	f(b)
}

// startQuery marks s active, running sql.
func (s *Session) startQuery(sql string) {
	now := time.Now()
	s.eng.act.update(s, func(b *syscat.Backend) {
		b.State, b.Query, b.QueryStart, b.StateChange = "active", sql, now, now
		if b.XactStart.IsZero() {
			b.XactStart = now
		}
	})
}

// endQuery records s's state once a statement (or a Sync) is done: idle,
// idle in transaction, or idle in transaction (aborted); the
// transaction's start is kept while it is open.
func (s *Session) endQuery() {
	now := time.Now()
	state := "idle"
	switch s.TxStatus() {
	case 'T':
		state = "idle in transaction"
	case 'E':
		state = "idle in transaction (aborted)"
	}
	open := s.tx != nil || s.explicit
	s.eng.act.update(s, func(b *syscat.Backend) {
		if b.State != state {
			b.State, b.StateChange = state, now
		}
		if !open {
			b.XactStart = time.Time{}
		}
	})
}

// list returns a copy of the registered sessions, by PID.
func (r *activityRegistry) list() []syscat.Backend {
	r.mu.Lock()
	out := make([]syscat.Backend, 0, len(r.sessions))
	for _, b := range r.sessions {
		out = append(out, *b)
	}
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].PID < out[j].PID })
	return out
}
