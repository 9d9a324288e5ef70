package resp

import (
	"bytes"

	"github.com/aspen-db/aspen/layers/strkv"
)

// Keyspace notifications of class 'm': the "keymiss" event Redis raises
// when a read command looks up a key that does not exist (or has
// expired), published on __keyspace@<db>__:<key> and
// __keyevent@<db>__:keymiss as notify-keyspace-events enables.
//
// Reads run in read snapshots outside the replicated log, so unlike the
// other events these are node-local: the node that served the read
// publishes them to its own subscribers only, as each node of a Redis
// Cluster announces the misses of the commands it served. The setting
// itself is the replicated one; when it lacks 'm' (or both K and E), a
// read pays one atomic load. The misses are those the store's reader
// counts in keyspace_misses (strkv.Reader.SetMissHook), so a read command
// raises one event per lookup of a missing key as Redis's lookupKeyRead
// does; OBJECT, which Redis looks up without notifying, raises none.
// Inside MULTI/EXEC the reads run at apply time, on every node: their
// misses are announced like the writes' events, by every node. Not
// announced: the misses of the write commands Redis looks up for
// reading (GETDEL, GETEX, SET ... GET, COPY, the *STORE commands' inputs),
// which Aspen runs at apply time.

// keyMiss collects one read command's misses.
type keyMiss struct {
	keys [][]byte
	dbs  []int
	hook func(db int, key []byte)
}

// keyMissMask returns the notify-keyspace-events mask when it asks for
// keymiss messages, 0 otherwise.
func (s *Server) keyMissMask() int {
	mask := int(s.ext.cfg.notify.Load())
	if mask&NotifyKeyMiss == 0 || mask&(NotifyKeyspace|NotifyKeyevent) == 0 {
		return 0
	}
	return mask
}

// watch makes r report the misses of the read a runs to km, unless
// the command is one Redis looks keys up for without notifying.
func (km *keyMiss) watch(r *strkv.Reader, a *action) {
	if a.cmd != nil && a.cmd.name == "object" {
		r.SetMissHook(nil)
		return
	}
	if km.hook == nil {
		km.hook = func(db int, key []byte) {
			km.dbs = append(km.dbs, db)
			km.keys = append(km.keys, bytes.Clone(key))
		}
	}
	r.SetMissHook(km.hook)
}

// publish sends the collected misses to this node's subscribers, in the
// order of the lookups, and forgets them.
func (km *keyMiss) publish(s *Server, mask int) {
	if len(km.keys) == 0 {
		return
	}
	if h := s.ext.ps.hub.Load(); h != nil { // no hub: nobody ever subscribed
		for i, key := range km.keys {
			for _, msg := range keyspaceMessages(mask, km.dbs[i], []byte("keymiss"), key) {
				h.Dispatch(msg)
			}
		}
	}
	clear(km.keys)
	km.keys, km.dbs = km.keys[:0], km.dbs[:0]
}
