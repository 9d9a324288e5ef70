// Package hashkv is Redis hashes on ordered keys, as a collection layer over
// the Redis keyspace of package strkv.
//
// A hash is a key record of type strkv.TypeHash and one store key per field
// under the incarnation's member subspace:
//
//	("kv", db, "m", key)                   -> Meta{Type: hash, Value: header}
//	("kv", db, "d", key, version, field)   -> value
//
// The header in Meta.Value is the field count (uvarint), so HLEN is one
// read, followed by a flags byte that remembers whether Redis would have
// converted the hash from its compact listpack encoding to a hash table (more
// than 128 fields, or a field or value longer than 64 bytes, ever): Redis
// never converts back while the key lives, and HSCAN of a compact hash
// returns everything at once, so the flag lets HSCAN page exactly when Redis
// does.
//
// Every write (HSET, HSETNX, HMSET, HDEL, HINCRBY, HINCRBYFLOAT) is a
// deterministic mutation run at apply time on every replica: see Mutations.
// Errors a client must see travel in the mutation's result, never as a Go
// error. A hash whose last field is removed is deleted, as in Redis. Reads
// go through a *strkv.Reader: see Open.
//
// Fields are kept, and so listed, in byte order; Redis lists a compact hash
// in insertion order and a large one in hash-table order, which clients must
// not rely on.
package hashkv
