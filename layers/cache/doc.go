// Package cache is the cache layer of the Redis keyspace: it counts the
// bytes of user data identically on every replica (Accounted, UsedBytes),
// chooses keys to evict under a maxmemory policy (the leader decides; the
// deletes are replicated), and offers a cache-aside helper to Go callers.
package cache
