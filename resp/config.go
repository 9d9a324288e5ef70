package resp

import (
	"bytes"
	"fmt"
	"github.com/aspen-db/aspen/internal/glob"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aspen-db/aspen/layers/strkv"
)

// CONFIG GET/SET/RESETSTAT/REWRITE and the settings they read and write.
//
// The settings are node-local in this increment: CONFIG SET changes the
// node it is sent to, and nothing is replicated or persisted (a restart
// returns to the defaults and the command-line flags). The exception is
// notify-keyspace-events, committed through the log so that every node
// publishes the same keyspace notifications (keyspace_events.go).

// Eviction policies, as maxmemory-policy names them, in Redis's order.
var maxmemoryPolicies = []string{
	"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
	"allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction",
}

// policyNoEviction is the index of "noeviction" in maxmemoryPolicies.
const policyNoEviction = 7

// Keyspace notification classes, as notify-keyspace-events spells them.
const (
	NotifyKeyspace = 1 << iota // K
	NotifyKeyevent             // E
	NotifyGeneric              // g
	NotifyString               // $
	NotifyList                 // l
	NotifySet                  // s
	NotifyHash                 // h
	NotifyZset                 // z
	NotifyExpired              // x
	NotifyEvicted              // e
	NotifyStream               // t
	NotifyKeyMiss              // m
	NotifyModule               // d
	NotifyNew                  // n
	// NotifyAll is what 'A' stands for.
	NotifyAll = NotifyGeneric | NotifyString | NotifyList | NotifySet | NotifyHash |
		NotifyZset | NotifyExpired | NotifyEvicted | NotifyStream | NotifyModule
)

// Defaults of the settings, as Redis 7.0's.
const (
	DefaultProtoMaxBulkLen  = 512 << 20
	defaultMaxmemorySamples = 5
	defaultEvictionTenacity = 10
)

// settings holds what CONFIG GET and SET read and write. Numbers are
// atomics so the hot paths (framing, eviction) read them without a lock;
// the password is behind mu.
type settings struct {
	maxmemory        atomic.Uint64
	maxmemoryPolicy  atomic.Int32
	maxmemorySamples atomic.Int64
	evictionTenacity atomic.Int64
	maxmemoryClients atomic.Uint64
	notify           atomic.Int64
	timeout          atomic.Int64
	protoMaxBulkLen  atomic.Int64
	obuf             obufConfig // client-output-buffer-limit (pubsub.go)

	mu   sync.Mutex // serializes CONFIG SET; guards pass
	pass string
}

func (st *settings) init() {
	st.obuf.setDefaults()
	st.maxmemoryPolicy.Store(policyNoEviction)
	st.maxmemorySamples.Store(defaultMaxmemorySamples)
	st.evictionTenacity.Store(defaultEvictionTenacity)
	st.protoMaxBulkLen.Store(DefaultProtoMaxBulkLen)
}

func (st *settings) requirePass() string {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.pass
}

// SetRequirePass sets the password every connection made afterwards must
// give with AUTH or HELLO before other commands ("" for none), as
// --resp-password and CONFIG SET requirepass do. Node-local.
func (s *Server) SetRequirePass(pass string) {
	s.ext.cfg.mu.Lock()
	s.ext.cfg.pass = pass
	s.ext.cfg.mu.Unlock()
}

// MaxMemory returns the maxmemory setting in bytes; 0 means no limit.
// Eviction reads it. Node-local.
func (s *Server) MaxMemory() uint64 { return s.ext.cfg.maxmemory.Load() }

// MaxMemoryPolicy returns the maxmemory-policy setting, one of
// volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru,
// allkeys-lfu, allkeys-random and noeviction. Node-local.
func (s *Server) MaxMemoryPolicy() string {
	return maxmemoryPolicies[s.ext.cfg.maxmemoryPolicy.Load()]
}

// MaxMemorySamples returns the maxmemory-samples setting: the keys
// eviction samples to pick one. Node-local.
func (s *Server) MaxMemorySamples() int { return int(s.ext.cfg.maxmemorySamples.Load()) }

// NotifyKeyspaceEvents returns the notify-keyspace-events setting as a
// mask of the Notify* classes. Replicated: every node applies a change
// at the same point of the log (keyspace_events.go).
func (s *Server) NotifyKeyspaceEvents() int { return int(s.ext.cfg.notify.Load()) }

// ProtoMaxBulkLen returns the proto-max-bulk-len setting: the longest
// bulk string a client may send. Node-local.
func (s *Server) ProtoMaxBulkLen() int64 { return s.ext.cfg.protoMaxBulkLen.Load() }

// SetProtoMaxBulkLen sets proto-max-bulk-len (at least 1 MB, as Redis
// requires; smaller values are raised to 1 MB).
func (s *Server) SetProtoMaxBulkLen(n int64) {
	s.ext.cfg.protoMaxBulkLen.Store(max(n, 1<<20))
}

// IdleTimeout returns the timeout setting in seconds (0: never). Aspen
// does not close idle connections yet; the setting is kept for CONFIG.
func (s *Server) IdleTimeout() int64 { return s.ext.cfg.timeout.Load() }

// configParam is one parameter CONFIG knows.
type configParam struct {
	name string
	// get returns the current value as CONFIG GET shows it.
	get func(st *settings) string
	// parse validates a new value and returns the function that stores
	// it, or Redis's reason for refusing it. nil: immutable.
	parse func(v []byte) (apply func(st *settings), errstr string)
}

// configParams lists the parameters, in the order CONFIG GET with a
// pattern returns them.
var configParams = []*configParam{
	{name: "maxmemory",
		get: func(st *settings) string { return strconv.FormatUint(st.maxmemory.Load(), 10) },
		parse: func(v []byte) (func(*settings), string) {
			n, ok := parseMemory(v)
			if !ok {
				return nil, "argument must be a memory value"
			}
			return func(st *settings) { st.maxmemory.Store(n) }, ""
		}},
	{name: "maxmemory-policy",
		get: func(st *settings) string { return maxmemoryPolicies[st.maxmemoryPolicy.Load()] },
		parse: func(v []byte) (func(*settings), string) {
			for i, p := range maxmemoryPolicies {
				if bytes.EqualFold(v, []byte(p)) {
					return func(st *settings) { st.maxmemoryPolicy.Store(int32(i)) }, ""
				}
			}
			return nil, "argument(s) must be one of the following: " + strings.Join(maxmemoryPolicies, ", ")
		}},
	{name: "maxmemory-samples",
		get:   func(st *settings) string { return strconv.FormatInt(st.maxmemorySamples.Load(), 10) },
		parse: intParam(1, 1<<31-1, func(st *settings, n int64) { st.maxmemorySamples.Store(n) })},
	{name: "maxmemory-eviction-tenacity",
		get:   func(st *settings) string { return strconv.FormatInt(st.evictionTenacity.Load(), 10) },
		parse: intParam(0, 100, func(st *settings, n int64) { st.evictionTenacity.Store(n) })},
	{name: "maxmemory-clients",
		get: func(st *settings) string { return strconv.FormatUint(st.maxmemoryClients.Load(), 10) },
		parse: func(v []byte) (func(*settings), string) {
			n, ok := parseMemory(v)
			if !ok {
				return nil, "argument must be a memory value"
			}
			if n > 1<<63-1 {
				return nil, "argument must be between 0 and 9223372036854775807 inclusive"
			}
			return func(st *settings) { st.maxmemoryClients.Store(n) }, ""
		}},
	{name: "notify-keyspace-events",
		get: func(st *settings) string { return notifyFlagsString(int(st.notify.Load())) },
		parse: func(v []byte) (func(*settings), string) {
			f, ok := parseNotifyFlags(v)
			if !ok {
				return nil, "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
			}
			return func(st *settings) { st.notify.Store(int64(f)) }, ""
		}},
	{name: "requirepass",
		get: func(st *settings) string { return st.pass },
		parse: func(v []byte) (func(*settings), string) {
			p := string(v)
			return func(st *settings) { st.pass = p }, ""
		}},
	{name: "timeout",
		get: func(st *settings) string { return strconv.FormatInt(st.timeout.Load(), 10) },
		// timeout is unsigned in Redis: a negative value is out of range.
		parse: intParam(0, 1<<31-1, func(st *settings, n int64) { st.timeout.Store(n) })},
	{name: "proto-max-bulk-len",
		get: func(st *settings) string { return strconv.FormatInt(st.protoMaxBulkLen.Load(), 10) },
		parse: func(v []byte) (func(*settings), string) {
			u, ok := parseMemory(v)
			if !ok {
				return nil, "argument must be a memory value"
			}
			n := int64(u) // Redis reads it as signed: a huge value wraps negative
			if n < 1<<20 {
				return nil, "argument must be between 1048576 and 9223372036854775807 inclusive"
			}
			return func(st *settings) { st.protoMaxBulkLen.Store(n) }, ""
		}},
	{name: "databases",
		get: func(*settings) string { return "16" }},
	// Aspen persists through its Raft log and store: save and appendonly
	// accept Redis's values, so tools that set them keep working, and
	// always read as off.
	{name: "save",
		get: func(*settings) string { return "" },
		parse: func(v []byte) (func(*settings), string) {
			f := strings.Fields(string(v))
			if len(f)%2 != 0 {
				return nil, "Invalid save parameters"
			}
			for _, x := range f {
				if _, ok := parseStrictInt(x); !ok {
					return nil, "Invalid save parameters"
				}
			}
			return func(*settings) {}, ""
		}},
	{name: "appendonly",
		get: func(*settings) string { return "no" },
		parse: func(v []byte) (func(*settings), string) {
			if !bytes.EqualFold(v, []byte("yes")) && !bytes.EqualFold(v, []byte("no")) {
				return nil, "argument must be 'yes' or 'no'"
			}
			return func(*settings) {}, ""
		}},
}

// intParam parses an integer parameter in [lo, hi].
func intParam(lo, hi int64, store func(st *settings, n int64)) func(v []byte) (func(*settings), string) {
	return func(v []byte) (func(*settings), string) {
		n, ok := parseStrictInt(string(v))
		if !ok {
			return nil, "argument couldn't be parsed into an integer"
		}
		if n < lo || n > hi {
			return nil, fmt.Sprintf("argument must be between %d and %d inclusive", lo, hi)
		}
		return func(st *settings) { store(st, n) }, ""
	}
}

// parseStrictInt parses an integer as Redis's string2ll does.
func parseStrictInt(s string) (int64, bool) {
	return strkv.ParseInt([]byte(s))
}

// lookupConfig finds a parameter by name, case-insensitively.
func lookupConfig(name []byte) *configParam {
	for _, p := range configParams {
		if bytes.EqualFold(name, []byte(p.name)) {
			return p
		}
	}
	return nil
}

// parseMemory parses a memory value as Redis does: digits and an optional
// unit b, k (1000), kb (1024), m, mb, g or gb, case-insensitive. Like
// Redis, it saturates a number too large for 64 bits and wraps the
// product with the unit.
func parseMemory(v []byte) (uint64, bool) {
	if len(v) > 0 && v[0] == '-' {
		return 0, false
	}
	i := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	var mul uint64
	switch strings.ToLower(string(v[i:])) {
	case "", "b":
		mul = 1
	case "k":
		mul = 1000
	case "kb":
		mul = 1024
	case "m":
		mul = 1000 * 1000
	case "mb":
		mul = 1024 * 1024
	case "g":
		mul = 1000 * 1000 * 1000
	case "gb":
		mul = 1024 * 1024 * 1024
	default:
		return 0, false
	}
	if i >= 128 {
		return 0, false
	}
	var n uint64
	for _, d := range v[:i] {
		if n > (1<<64-1-uint64(d-'0'))/10 {
			n = 1<<64 - 1
			break
		}
		n = n*10 + uint64(d-'0')
	}
	return n * mul, true
}

// parseNotifyFlags parses notify-keyspace-events' class letters.
func parseNotifyFlags(v []byte) (int, bool) {
	f := 0
	for _, c := range v {
		switch c {
		case 'A':
			f |= NotifyAll
		case 'g':
			f |= NotifyGeneric
		case '$':
			f |= NotifyString
		case 'l':
			f |= NotifyList
		case 's':
			f |= NotifySet
		case 'h':
			f |= NotifyHash
		case 'z':
			f |= NotifyZset
		case 'x':
			f |= NotifyExpired
		case 'e':
			f |= NotifyEvicted
		case 'K':
			f |= NotifyKeyspace
		case 'E':
			f |= NotifyKeyevent
		case 't':
			f |= NotifyStream
		case 'm':
			f |= NotifyKeyMiss
		case 'd':
			f |= NotifyModule
		case 'n':
			f |= NotifyNew
		default:
			return 0, false
		}
	}
	return f, true
}

// notifyFlagsString spells flags as CONFIG GET notify-keyspace-events
// does: A for all the classes it covers, then K, E and m.
func notifyFlagsString(f int) string {
	var b []byte
	if f&NotifyAll == NotifyAll {
		b = append(b, 'A')
	} else {
		for _, x := range []struct {
			flag int
			c    byte
		}{
			{NotifyGeneric, 'g'}, {NotifyString, '$'}, {NotifyList, 'l'}, {NotifySet, 's'},
			{NotifyHash, 'h'}, {NotifyZset, 'z'}, {NotifyExpired, 'x'}, {NotifyEvicted, 'e'},
			{NotifyStream, 't'}, {NotifyModule, 'd'}, {NotifyNew, 'n'},
		} {
			if f&x.flag != 0 {
				b = append(b, x.c)
			}
		}
	}
	if f&NotifyKeyspace != 0 {
		b = append(b, 'K')
	}
	if f&NotifyKeyevent != 0 {
		b = append(b, 'E')
	}
	if f&NotifyKeyMiss != 0 {
		b = append(b, 'm')
	}
	return string(b)
}

// configSubArity is the arity of each CONFIG subcommand.
var configSubArity = map[string]int{"get": -3, "set": -4, "resetstat": 2, "rewrite": 2}

// cmdConfig serves CONFIG GET, SET, RESETSTAT and REWRITE.
func cmdConfig(c *client, args [][]byte) action {
	sub := strings.ToLower(string(args[1]))
	arity := configSubArity[sub]
	switch {
	case arity == 0:
		return errAction(unknownSubcommandMsg(args))
	case !arityOK(arity, len(args)):
		return errAction(arityMsg("config|" + sub))
	case c.inExec:
		return errAction(msgNotInExec)
	}
	st := &c.s.ext.cfg
	switch sub {
	case "get":
		patterns := args[2:]
		return replyAction(func(w *writer) {
			// Each parameter once, named as the client spelled an exact
			// name, as Redis replies.
			var match []*configParam
			names := map[*configParam]string{}
			for _, pat := range patterns {
				for _, p := range configParams {
					if _, seen := names[p]; seen || !configMatch(pat, p.name) {
						continue
					}
					names[p] = p.name
					if !isGlob(pat) {
						names[p] = string(pat)
					}
					match = append(match, p)
				}
			}
			st.mu.Lock()
			vals := make([]string, len(match))
			for i, p := range match {
				vals[i] = p.get(st)
			}
			st.mu.Unlock()
			w.WriteMap(len(match))
			for i, p := range match {
				w.WriteBulkString(names[p])
				w.WriteBulkString(vals[i])
			}
		})
	case "set":
		return configSet(c, args)
	case "resetstat":
		return replyAction(func(w *writer) {
			c.s.resetStats()
			w.WriteString("OK")
		})
	default: // rewrite
		return errAction("ERR The server is running without a config file")
	}
}

// configMatch reports whether CONFIG GET's argument pat names param: an
// exact name unless it holds a glob character, case-insensitively.
func configMatch(pat []byte, name string) bool {
	if !isGlob(pat) {
		return bytes.EqualFold(pat, []byte(name))
	}
	return glob.Match(bytes.ToLower(pat), []byte(name))
}

// isGlob reports whether a CONFIG GET argument is a pattern.
func isGlob(pat []byte) bool { return bytes.ContainsAny(pat, "[*?") }

// configSet serves CONFIG SET param value [param value...]: every value is
// checked before any is stored, so the command applies all or nothing.
func configSet(c *client, args [][]byte) action {
	if len(args)%2 != 0 {
		return errAction(msgSyntax)
	}
	n := (len(args) - 2) / 2
	params := make([]*configParam, 0, n)
	var unknown []byte
	errArg, errStr := "", ""
	for i := range n {
		name := args[2+2*i]
		p := lookupConfig(name)
		if p == nil {
			if unknown == nil && errStr == "" {
				unknown = name
			}
			continue
		}
		if unknown != nil || errStr != "" {
			continue
		}
		if p.parse == nil {
			errArg, errStr = string(name), "can't set immutable config"
			continue
		}
		for _, q := range params {
			if q == p {
				errArg, errStr = string(name), "duplicate parameter"
			}
		}
		params = append(params, p)
	}
	switch {
	case unknown != nil:
		return errAction(fmt.Sprintf("ERR Unknown option or number of arguments for CONFIG SET - '%s'", cString(unknown, 128)))
	case errStr != "":
		return errAction(fmt.Sprintf("ERR CONFIG SET failed (possibly related to argument '%s') - %s", cString([]byte(errArg), 128), errStr))
	}
	applies := make([]func(*settings), len(params))
	for i, p := range params {
		apply, reason := p.parse(args[3+2*i])
		if apply == nil {
			return errAction(fmt.Sprintf("ERR CONFIG SET failed (possibly related to argument '%s') - %s", p.name, reason))
		}
		applies[i] = apply
	}
	srv := c.s
	st := &srv.ext.cfg
	reply := func(w *writer) {
		st.mu.Lock()
		for _, apply := range applies {
			apply(st)
		}
		st.mu.Unlock()
		srv.syncCacheConfig()
		w.WriteString("OK")
	}
	// notify-keyspace-events is replicated (keyspace_events.go): every
	// node switches when it applies the commit.
	for i, p := range params {
		if p.name == "notify-keyspace-events" {
			mask, _ := parseNotifyFlags(args[3+2*i])
			return writeAction(func(w *writer, _ [][]byte) { reply(w) }, strkv.NotifyConfigOp(strkv.Class(mask)))
		}
	}
	return replyAction(reply)
}
