package resp

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/aspen-db/aspen/internal/glob"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aspen-db/aspen/layers/hashkv"
	"github.com/aspen-db/aspen/layers/setkv"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/zsetkv"
)

// Keyspace commands: DEL, UNLINK, EXISTS, TTL, PTTL, TYPE.

func isWrongType(err error) bool { return errors.Is(err, strkv.ErrWrongType) }

// cmdDel serves DEL and UNLINK (which Aspen runs the same way: the
// metadata and any collection range go in one commit).
func cmdDel(c *client, args [][]byte) action {
	name := lowerName(args[0])
	return writeAction(func(w *writer, res [][]byte) {
		n, err := strkv.DecodeDel(res[0])
		if err != nil {
			c.replyErr(w, name, err)
			return
		}
		w.WriteInt(n)
	}, strkv.DelOp(c.db, args[1:]...))
}

func cmdExists(c *client, args [][]byte) action {
	db, keys := c.db, args[1:]
	return readAction(func(w *writer, r *strkv.Reader) {
		n, err := r.Exists(db, keys...)
		if err != nil {
			c.replyErr(w, "exists", err)
			return
		}
		w.WriteInt(n)
	})
}

// ttlAction replies with key's time to live in ms, or rounded to seconds
// as Redis rounds it.
func ttlAction(c *client, name string, key []byte, ms bool) action {
	db := c.db
	return readAction(func(w *writer, r *strkv.Reader) {
		ttl, err := r.PTTL(db, key)
		switch {
		case err != nil:
			c.replyErr(w, name, err)
		case ttl < 0 || ms:
			w.WriteInt64(ttl)
		default:
			w.WriteInt64((ttl + 500) / 1000)
		}
	})
}

func cmdTTL(c *client, args [][]byte) action { return ttlAction(c, "ttl", args[1], false) }

func cmdPTTL(c *client, args [][]byte) action { return ttlAction(c, "pttl", args[1], true) }

func cmdType(c *client, args [][]byte) action {
	db, key := c.db, args[1]
	return readAction(func(w *writer, r *strkv.Reader) {
		m, ok, err := r.Meta(db, key)
		switch {
		case err != nil:
			c.replyErr(w, "type", err)
		case !ok:
			w.WriteString("none")
		default:
			w.WriteString(m.Type.String())
		}
	})
}

// lowerName returns a command name as the table spells it.
func lowerName(name []byte) string {
	if cmd := lookup(name); cmd != nil {
		return cmd.name
	}
	return string(name)
}

// Keyspace commands added later: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT,
// EXPIRETIME, PEXPIRETIME, PERSIST, TOUCH, DBSIZE, RENAME, RENAMENX, KEYS,
// SCAN, RANDOMKEY.

// expireAction serves the EXPIRE family: key, time, then NX|XX|GT|LT.
// Options are checked before the time, as Redis does.
func expireAction(c *client, name string, args [][]byte, seconds, relative bool) action {
	var cond byte
	for _, a := range args[3:] {
		switch {
		case bytes.EqualFold(a, []byte("nx")):
			cond |= strkv.ExpireNX
		case bytes.EqualFold(a, []byte("xx")):
			cond |= strkv.ExpireXX
		case bytes.EqualFold(a, []byte("gt")):
			cond |= strkv.ExpireGT
		case bytes.EqualFold(a, []byte("lt")):
			cond |= strkv.ExpireLT
		default:
			return errAction("ERR Unsupported option " + string(cString(a, len(a))))
		}
	}
	if cond&strkv.ExpireNX != 0 && cond&(strkv.ExpireXX|strkv.ExpireGT|strkv.ExpireLT) != 0 {
		return errAction("ERR NX and XX, GT or LT options at the same time are not compatible")
	}
	if cond&strkv.ExpireGT != 0 && cond&strkv.ExpireLT != 0 {
		return errAction("ERR GT and LT options at the same time are not compatible")
	}
	when, ok := strkv.ParseInt(args[2])
	if !ok {
		return errAction(msgNotInteger)
	}
	if seconds {
		if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
			return errAction(expireMsg(name))
		}
		when *= 1000
	}
	return writeAction(replyInt(c, name), strkv.ExpireOp(c.db, args[1], when, relative, cond))
}

func cmdExpire(c *client, args [][]byte) action {
	return expireAction(c, "expire", args, true, true)
}

func cmdPExpire(c *client, args [][]byte) action {
	return expireAction(c, "pexpire", args, false, true)
}

func cmdExpireAt(c *client, args [][]byte) action {
	return expireAction(c, "expireat", args, true, false)
}

func cmdPExpireAt(c *client, args [][]byte) action {
	return expireAction(c, "pexpireat", args, false, false)
}

// expireTimeAction replies with key's absolute expiry in ms or rounded s, -1 when
// it has none, -2 when it does not exist.
func expireTimeAction(c *client, name string, key []byte, ms bool) action {
	db := c.db
	return readAction(func(w *writer, r *strkv.Reader) {
		m, ok, err := r.Meta(db, key)
		switch {
		case err != nil:
			c.replyErr(w, name, err)
		case !ok:
			w.WriteInt(-2)
		case m.ExpireAt == 0:
			w.WriteInt(-1)
		case ms:
			w.WriteInt64(m.ExpireAt)
		default:
			w.WriteInt64((m.ExpireAt + 500) / 1000) // rounded, as Redis does
		}
	})
}

func cmdExpireTime(c *client, args [][]byte) action {
	return expireTimeAction(c, "expiretime", args[1], false)
}

func cmdPExpireTime(c *client, args [][]byte) action {
	return expireTimeAction(c, "pexpiretime", args[1], true)
}

func cmdPersist(c *client, args [][]byte) action {
	return writeAction(replyInt(c, "persist"), strkv.PersistOp(c.db, args[1]))
}

// cmdTouch counts the keys that exist, as EXISTS does; Aspen keeps no
// access times to update.
func cmdTouch(c *client, args [][]byte) action {
	db, keys := c.db, args[1:]
	return readAction(func(w *writer, r *strkv.Reader) {
		n, err := r.Exists(db, keys...)
		if err != nil {
			c.replyErr(w, "touch", err)
			return
		}
		w.WriteInt(n)
	})
}

func cmdDBSize(c *client, args [][]byte) action {
	db := c.db
	return readAction(func(w *writer, r *strkv.Reader) {
		n, err := r.DBSize(db)
		if err != nil {
			c.replyErr(w, "dbsize", err)
			return
		}
		w.WriteInt64(n)
	})
}

func cmdRename(c *client, args [][]byte) action {
	return writeAction(func(w *writer, res [][]byte) {
		if _, err := strkv.DecodeInt(res[0]); err != nil {
			c.replyErr(w, "rename", err)
			return
		}
		w.WriteString("OK")
	}, strkv.RenameOp(c.db, args[1], args[2], false))
}

func cmdRenameNX(c *client, args [][]byte) action {
	return writeAction(replyInt(c, "renamenx"), strkv.RenameOp(c.db, args[1], args[2], true))
}

// cmdCopy serves COPY source destination [DB destination-db] [REPLACE],
// checking its arguments in Redis's order.
func cmdCopy(c *client, args [][]byte) action {
	dstDB, replace := int64(c.db), false
	for j := 3; j < len(args); j++ {
		switch {
		case bytes.EqualFold(args[j], []byte("replace")):
			replace = true
		case bytes.EqualFold(args[j], []byte("db")) && j+1 < len(args):
			n, ok := strkv.ParseInt(args[j+1])
			switch {
			case !ok:
				return errAction(msgNotInteger)
			case n < math.MinInt32 || n > math.MaxInt32:
				return errAction(fmt.Sprintf("ERR value is out of range, value must between %d and %d", math.MinInt32, math.MaxInt32))
			case n < 0 || n >= strkv.NumDBs:
				return errAction("ERR DB index is out of range")
			}
			dstDB = n
			j++
		default:
			return errAction(msgSyntax)
		}
	}
	if int(dstDB) == c.db && bytes.Equal(args[1], args[2]) {
		return errAction("ERR source and destination objects are the same")
	}
	return writeAction(replyInt(c, "copy"), strkv.CopyOp(c.db, args[1], int(dstDB), args[2], replace))
}

// cmdObject serves OBJECT ENCODING, FREQ, IDLETIME, REFCOUNT and HELP.
// Encodings are the ones Redis 7.0 would report for the key's current
// contents (Aspen stores every type one way); FREQ and IDLETIME come from
// this node's access clocks, which exist under an LFU or LRU policy.
func cmdObject(c *client, args [][]byte) action {
	sub := strings.ToLower(string(args[1]))
	if sub == "help" && len(args) == 2 {
		return replyAction(func(w *writer) {
			lines := []string{
				"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
				"ENCODING <key>",
				"    Return the kind of internal representation used in order to store the value",
				"    associated with a <key>.",
				"FREQ <key>",
				"    Return the access frequency index of the <key>. The returned integer is",
				"    proportional to the logarithm of the recent access frequency of the key.",
				"IDLETIME <key>",
				"    Return the idle time of the <key>, that is the approximated number of",
				"    seconds elapsed since the last access to the key.",
				"REFCOUNT <key>",
				"    Return the number of references of the value associated with the specified",
				"    <key>.",
				"HELP",
				"    Prints this help.",
			}
			w.WriteArray(len(lines))
			for _, l := range lines {
				w.WriteString(l)
			}
		})
	}
	switch {
	case sub != "encoding" && sub != "freq" && sub != "idletime" && sub != "refcount":
		return errAction(unknownSubcommandMsg(args))
	case len(args) != 3:
		return errAction(arityMsg("object|" + sub))
	}
	db, key := c.db, args[2]
	policy := c.s.MaxMemoryPolicy()
	lfu := strings.HasSuffix(policy, "-lfu")
	tracker := c.s.cache.Tracker()
	return readAction(func(w *writer, r *strkv.Reader) {
		m, ok, err := r.Meta(db, key)
		switch {
		case err != nil:
			c.replyErr(w, "object", err)
			return
		case !ok:
			w.WriteNull()
			return
		}
		switch sub {
		case "encoding":
			enc, err := objectEncoding(r, db, key, m)
			if err != nil {
				c.replyErr(w, "object", err)
				return
			}
			w.WriteBulkString(enc)
		case "freq":
			if !lfu {
				w.WriteError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
				return
			}
			w.WriteInt(int(tracker.Freq(db, key, time.Now())))
		case "idletime":
			if lfu {
				w.WriteError("ERR An LRU maxmemory policy is not selected, access time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
				return
			}
			w.WriteInt64(int64(tracker.Idle(db, key, time.Now()) / time.Second))
		case "refcount":
			// Redis shares the objects of small integer strings unless an
			// LRU or LFU policy needs per-key clocks.
			if m.Type == strkv.TypeString && !c.s.ext.trackAccess.Load() {
				if n, ok := strkv.ParseInt(m.Value); ok && n >= 0 && n < 10000 {
					w.WriteInt64(math.MaxInt32)
					return
				}
			}
			w.WriteInt(1)
		}
	})
}

// objectEncoding names the encoding Redis 7.0 would use for the key's
// current value.
func objectEncoding(r *strkv.Reader, db int, key []byte, m strkv.Meta) (string, error) {
	switch m.Type {
	case strkv.TypeString:
		if _, ok := strkv.ParseInt(m.Value); ok && len(m.Value) <= 20 {
			return "int", nil
		}
		if len(m.Value) <= 44 {
			return "embstr", nil
		}
		return "raw", nil
	case strkv.TypeHash:
		h, ok, err := hashkv.Open(r, db, key)
		if err != nil || !ok {
			return "", err
		}
		if h.Compact() {
			return "listpack", nil
		}
		return "hashtable", nil
	case strkv.TypeList:
		return "quicklist", nil
	case strkv.TypeSet:
		n, err := setkv.Card(r, db, key)
		if err != nil {
			return "", err
		}
		if n > 512 {
			return "hashtable", nil
		}
		members, err := setkv.Members(r, db, key)
		if err != nil {
			return "", err
		}
		for _, mb := range members {
			if _, ok := strkv.ParseInt(mb); !ok {
				return "hashtable", nil
			}
		}
		return "intset", nil
	case strkv.TypeStream:
		return "stream", nil
	case strkv.TypeZSet:
		z, err := zsetkv.Open(r, db, key)
		if err != nil {
			return "", err
		}
		if z.Card() > 128 {
			return "skiplist", nil
		}
		all, err := z.All()
		if err != nil {
			return "", err
		}
		for _, e := range all {
			if len(e.Member) > 64 {
				return "skiplist", nil
			}
		}
		return "listpack", nil
	}
	return "unknown", nil
}

// parseScanCursor reads a SCAN, HSCAN, SSCAN or ZSCAN cursor as Redis does (C's strtoul, base 10): an
// optional sign (a negative cursor wraps around), digits, nothing after
// them but a NUL; the empty string is 0; leading space and values past
// 2^64-1 are refused.
func parseScanCursor(b []byte) (uint64, bool) {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if len(b) == 0 {
		return 0, true
	}
	switch b[0] {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return 0, false
	}
	neg := b[0] == '-'
	if b[0] == '+' || b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 || b[0] < '0' || b[0] > '9' {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b), 10, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// cmdKeys replies with every live key matching the glob pattern, in key
// order.
func cmdKeys(c *client, args [][]byte) action {
	db, pat := c.db, args[1]
	all := len(pat) == 1 && pat[0] == '*'
	return readAction(func(w *writer, r *strkv.Reader) {
		var keys [][]byte
		err := r.ScanKeys(db, nil, func(k []byte, _ strkv.Meta) bool {
			if all || glob.Match(pat, k) {
				keys = append(keys, bytes.Clone(k))
			}
			return true
		})
		if err != nil {
			c.replyErr(w, "keys", err)
			return
		}
		w.WriteArray(len(keys))
		for _, k := range keys {
			w.WriteBulk(k)
		}
	})
}

// SCAN cursors. The keyspace is walked in key order, and a cursor names
// where to resume: the shortest name S with last < S <= next, where last is
// the last key the batch visited and next the first it did not. Keys are
// never returned twice and every key present for the whole scan is
// returned. When S has at most scanCursorBytes bytes it is packed into the
// number itself, as (len+1)<<56 | bytes (never 0, the same on every node);
// a longer S is kept in the server's cursor table under a number with bit
// 62 set (cursors stay below 2^63 for clients that parse them as signed). A table cursor is only valid on the node that issued it and
// until cursorTableSize newer ones push it out; then SCAN replies "ERR
// invalid cursor".
const (
	scanCursorBytes = 7
	cursorTableBit  = uint64(1) << 62
	cursorTableSize = 1 << 14
)

func encodeCursor(prefix []byte) uint64 {
	c := uint64(len(prefix)+1) << 56
	for i, b := range prefix {
		c |= uint64(b) << (8 * (6 - i))
	}
	return c
}

// decodeCursor returns the key name a packed cursor resumes at; cursor 0
// starts from the beginning.
func decodeCursor(c uint64) ([]byte, bool) {
	if c == 0 {
		return nil, true
	}
	n := int(c>>56) - 1
	if n < 0 || n > scanCursorBytes {
		return nil, false
	}
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(c >> (8 * (6 - i)))
	}
	if encodeCursor(p) != c {
		return nil, false // bytes set past the length
	}
	return p, true
}

// separator returns the shortest name S with last < S <= next, for keys
// last < next.
func separator(last, next []byte) []byte {
	i := 0
	for i < len(last) && i < len(next) && last[i] == next[i] {
		i++
	}
	return next[:min(i+1, len(next))]
}

// cursorTable keeps SCAN resume points too long to pack into a cursor,
// the oldest pushed out first. It is safe for concurrent use.
type cursorTable struct {
	mu    sync.Mutex
	next  uint64
	names map[uint64][]byte
	order []uint64 // ring of ids, oldest at head
	head  int
}

// put stores name and returns its cursor.
func (t *cursorTable) put(name []byte) uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.names == nil {
		t.names = make(map[uint64][]byte)
		t.next = rand.Uint64()
	}
	t.next++
	id := t.next&(cursorTableBit-1) | cursorTableBit
	if len(t.order) < cursorTableSize {
		t.order = append(t.order, id)
	} else {
		delete(t.names, t.order[t.head])
		t.order[t.head] = id
		t.head = (t.head + 1) % cursorTableSize
	}
	t.names[id] = bytes.Clone(name)
	return id
}

// get returns the name stored under cursor id.
func (t *cursorTable) get(id uint64) ([]byte, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	name, ok := t.names[id]
	return name, ok
}

// resumeAt returns the key name cursor c resumes at.
func (s *Server) resumeAt(c uint64) ([]byte, bool) {
	if c >= cursorTableBit {
		return s.cursors.get(c)
	}
	return decodeCursor(c)
}

// cursorFor returns the cursor that resumes at name.
func (s *Server) cursorFor(name []byte) uint64 {
	if len(name) <= scanCursorBytes {
		return encodeCursor(name)
	}
	return s.cursors.put(name)
}

// cmdScan serves SCAN cursor [MATCH pattern] [COUNT n] [TYPE type].
func cmdScan(c *client, args [][]byte) action {
	cur, ok := parseScanCursor(args[1])
	if !ok {
		return errAction(msgBadCursor)
	}
	from, ok := c.s.resumeAt(cur)
	if !ok {
		return errAction(msgBadCursor)
	}
	count := int64(10)
	var pat, typ []byte
	for i := 2; i < len(args); i += 2 {
		if i+1 >= len(args) {
			return errAction(msgSyntax)
		}
		switch v := args[i+1]; {
		case bytes.EqualFold(args[i], []byte("count")):
			n, ok := strkv.ParseInt(v)
			if !ok {
				return errAction(msgNotInteger)
			}
			if n < 1 {
				return errAction(msgSyntax)
			}
			count = n
		case bytes.EqualFold(args[i], []byte("match")):
			pat = v
			if len(pat) == 1 && pat[0] == '*' {
				pat = nil
			}
		case bytes.EqualFold(args[i], []byte("type")):
			typ = v
		default:
			return errAction(msgSyntax)
		}
	}
	db := c.db
	return readAction(func(w *writer, r *strkv.Reader) {
		var keys [][]byte
		var last, resume []byte
		seen := int64(0)
		err := r.ScanKeys(db, from, func(k []byte, m strkv.Meta) bool {
			if seen >= count {
				resume = bytes.Clone(separator(last, k))
				return false
			}
			seen++
			last = append(last[:0], k...)
			if (pat == nil || glob.Match(pat, k)) &&
				(typ == nil || bytes.EqualFold(typ, []byte(m.Type.String()))) {
				keys = append(keys, bytes.Clone(k))
			}
			return true
		})
		if err != nil {
			c.replyErr(w, "scan", err)
			return
		}
		w.WriteArray(2)
		if resume == nil {
			w.WriteBulkString("0")
		} else {
			w.WriteBulkString(strconv.FormatUint(c.s.cursorFor(resume), 10))
		}
		w.WriteArray(len(keys))
		for _, k := range keys {
			w.WriteBulk(k)
		}
	})
}

// cmdRandomKey replies with a live key from a random point of the
// keyspace, or nil when the database is empty.
func cmdRandomKey(c *client, args [][]byte) action {
	db, pick := c.db, rand.Uint64()
	return readAction(func(w *writer, r *strkv.Reader) {
		k, ok, err := r.RandomKey(db, pick)
		switch {
		case err != nil:
			c.replyErr(w, "randomkey", err)
		case !ok:
			w.WriteNull()
		default:
			w.WriteBulk(k)
		}
	})
}

// keyCommands lists this file's commands for the command table.
func keyCommands() []*command {
	return []*command{
		{name: "copy", arity: -3, flags: []string{flagWrite, flagDenyOOM}, group: "keyspace", firstKey: 1, lastKey: 2, step: 1, run: cmdCopy},
		{name: "dbsize", arity: 1, flags: []string{flagReadonly, flagFast}, group: "keyspace", run: cmdDBSize},
		{name: "del", arity: -2, flags: []string{flagWrite}, group: "keyspace", firstKey: 1, lastKey: -1, step: 1, run: cmdDel},
		{name: "exists", arity: -2, flags: []string{flagReadonly, flagFast}, group: "keyspace", firstKey: 1, lastKey: -1, step: 1, run: cmdExists},
		{name: "expire", arity: -3, flags: []string{flagWrite, flagFast}, group: "keyspace", firstKey: 1, lastKey: 1, step: 1, run: cmdExpire},
		{name: "expireat", arity: -3, flags: []string{flagWrite, flagFast}, group: "keyspace", firstKey: 1, lastKey: 1, step: 1, run: cmdExpireAt},
		{name: "expiretime", arity: 2, flags: []string{flagReadonly, flagFast}, group: "keyspace", firstKey: 1, lastKey: 1, step: 1, run: cmdExpireTime},
		{name: "keys", arity: 2, flags: []string{flagReadonly}, group: "keyspace", run: cmdKeys},
		{name: "object", arity: -2, flags: []string{flagReadonly}, group: "keyspace", firstKey: 2, lastKey: 2, step: 1, run: cmdObject},
		{name: "persist", arity: 2, flags: []string{flagWrite, flagFast}, group: "keyspace", firstKey: 1, lastKey: 1, step: 1, run: cmdPersist},
		{name: "pexpire", arity: -3, flags: []string{flagWrite, flagFast}, group: "keyspace", firstKey: 1, lastKey: 1, step: 1, run: cmdPExpire},
		{name: "pexpireat", arity: -3, flags: []string{flagWrite, flagFast}, group: "keyspace", firstKey: 1, lastKey: 1, step: 1, run: cmdPExpireAt},
		{name: "pexpiretime", arity: 2, flags: []string{flagReadonly, flagFast}, group: "keyspace", firstKey: 1, lastKey: 1, step: 1, run: cmdPExpireTime},
		{name: "pttl", arity: 2, flags: []string{flagReadonly, flagFast}, group: "keyspace", firstKey: 1, lastKey: 1, step: 1, run: cmdPTTL},
		{name: "randomkey", arity: 1, flags: []string{flagReadonly}, group: "keyspace", run: cmdRandomKey},
		{name: "rename", arity: 3, flags: []string{flagWrite}, group: "keyspace", firstKey: 1, lastKey: 2, step: 1, run: cmdRename},
		{name: "renamenx", arity: 3, flags: []string{flagWrite, flagFast}, group: "keyspace", firstKey: 1, lastKey: 2, step: 1, run: cmdRenameNX},
		{name: "scan", arity: -2, flags: []string{flagReadonly}, group: "keyspace", run: cmdScan},
		{name: "touch", arity: -2, flags: []string{flagReadonly, flagFast}, group: "keyspace", firstKey: 1, lastKey: -1, step: 1, run: cmdTouch},
		{name: "ttl", arity: 2, flags: []string{flagReadonly, flagFast}, group: "keyspace", firstKey: 1, lastKey: 1, step: 1, run: cmdTTL},
		{name: "type", arity: 2, flags: []string{flagReadonly, flagFast}, group: "keyspace", firstKey: 1, lastKey: 1, step: 1, run: cmdType},
		{name: "unlink", arity: -2, flags: []string{flagWrite, flagFast}, group: "keyspace", firstKey: 1, lastKey: -1, step: 1, run: cmdDel},
	}
}
