// Package listkv is Redis lists on ordered keys, as a collection layer over
// the Redis keyspace of package strkv.
//
// Layout: a list key has its record in strkv (type TypeList) whose
// Meta.Value is the list header, a signed varint head position followed by
// an unsigned varint length. Its elements live under the key's member
// subspace, one per position:
//
//	strkv.MemberSpace(db, key, version) + (pos int64)  -> element
//
// The positions of a list's elements are always contiguous: element i (from
// the head) is at head+i. So LPUSH and RPUSH write one key just before the
// head or just after the tail, LPOP and RPOP read and delete the exact
// position named by the header, and LINDEX, LSET and LRANGE go straight to
// the positions they need. Nothing ever scans over the positions of popped
// elements, so a list used as a queue for a long time stays fast however
// many deletions it has seen. LINSERT, LREM and LTRIM keep the positions
// contiguous: LINSERT shifts the shorter side by one, LREM rewrites the
// elements after the first removed one, and LTRIM deletes its trimmed ends
// with range deletions.
//
// Every write is a deterministic mutation (see Mutations) run at apply time
// on every replica. A list whose last element is removed is deleted, as in
// Redis. Pushes announce themselves with an event of topic PushTopic (see
// layers.Notifier), so that blocked pops on any node can wake up.
package listkv
