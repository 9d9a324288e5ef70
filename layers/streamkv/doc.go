// Package streamkv is the Redis stream model over the ordered store: XADD,
// XRANGE, XREAD, consumer groups (XGROUP, XREADGROUP, XACK, XPENDING,
// XCLAIM, XAUTOCLAIM) and XINFO, with Redis 7.0's replies.
//
// A stream is a key record of type TypeStream whose Meta.Value holds a
// small header (length, last id, max deleted id, entries added, first id,
// group count, and the last node, which XADD updates). Everything else
// lives in the key's member subspace (strkv.MemberSpace), in byte-ordered
// sub-ranges:
//
//	'e' id                 -> entry (fields and values)
//	'n' master-id          -> node but the last: the simulated listpack of Redis
//	'g' group              -> group (last delivered id, entries read, counts)
//	'p' group id           -> pending entry (consumer, delivery time, count)
//	'c' group consumer     -> consumer (seen time, pending count)
//	'q' group consumer id  -> the consumer's own pending index
//
// Ids are 16 bytes big-endian (ms, seq), so byte order is id order; names
// are tuple-encoded, so a group's ranges are exact prefixes. Nodes mirror
// how Redis packs entries into listpacks of at most 100 entries and 4096
// bytes, so that approximate trimming (MAXLEN ~, MINID ~), which removes
// only whole nodes, removes exactly what Redis removes.
//
// Every command runs as one function over the store: writes as the
// deterministic mutation CmdOp (ids for '*' and all times come from the
// commit's clock, so replicas agree), reads over a strkv.Reader. Each
// returns a Reply, a small tree the protocol layer writes as RESP2 or RESP3.
// Arguments are checked at apply time, in Redis's order, so errors come
// out exactly as Redis reports them.
package streamkv
