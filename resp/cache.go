package resp

import (
	"slices"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/cache"
)

// The cache layer's hooks: maxmemory and its policy (CONFIG, INFO), the
// OOM refusal of commands that add data, and the access clocks of the LRU
// and LFU policies. The bytes in use are counted in the store by every
// mutation (cache.Accounted); this node caches the total, refreshed by
// Cache.Run, which cmd/aspen-server starts with the leader check.

// msgOOM is Redis's refusal of a write over maxmemory.
const msgOOM = "OOM command not allowed when used memory > 'maxmemory'."

// startCache creates the Server's cache and makes it count the expired and
// evicted keys this replica applies.
func (s *Server) startCache() {
	s.cache = cache.New(s.strs, s.logger)
	if s.strs == nil {
		return
	}
	if n, ok := s.strs.KV().(layers.Notifier); ok {
		s.cacheStop = s.cache.Listen(n)
	}
	s.syncCacheConfig()
}

// Cache returns the server's cache layer, for the eviction loop.
func (s *Server) Cache() *cache.Cache { return s.cache }

// syncCacheConfig hands the maxmemory settings to the cache; CONFIG SET
// calls it after every change.
func (s *Server) syncCacheConfig() {
	p, ok := cache.ParsePolicy(s.MaxMemoryPolicy())
	if !ok {
		p = cache.NoEviction
	}
	s.ext.trackAccess.Store(p.LRU() || p.LFU())
	s.cache.SetConfig(cache.Config{
		MaxMemory: int64(min(s.MaxMemory(), 1<<62)),
		Policy:    p,
		Samples:   s.MaxMemorySamples(),
	})
}

// SetMaxMemory sets maxmemory (bytes, 0 for none) and maxmemory-policy, as
// CONFIG SET does; the server flags use it. It reports false for an
// unknown policy.
func (s *Server) SetMaxMemory(bytes uint64, policy string) bool {
	for i, p := range maxmemoryPolicies {
		if p == policy {
			s.ext.cfg.mu.Lock()
			s.ext.cfg.maxmemory.Store(bytes)
			s.ext.cfg.maxmemoryPolicy.Store(int32(i))
			s.ext.cfg.mu.Unlock()
			s.syncCacheConfig()
			return true
		}
	}
	return false
}

// admit applies the cache to a command about to be planned: it records
// the access to its keys for LRU/LFU and returns msgOOM when the command
// may add data and the data is over maxmemory with nothing to evict.
func (c *client) admit(cmd *command, args [][]byte) string {
	if c.s.cache == nil {
		return ""
	}
	if c.s.ext.trackAccess.Load() && cmd.firstKey > 0 && !noTouch[cmd.name] {
		last := cmd.lastKey
		if last < 0 {
			last = len(args) + last
		}
		step := max(cmd.step, 1)
		for i := cmd.firstKey; i <= last && i < len(args); i += step {
			c.s.cache.Touch(c.db, args[i])
		}
	}
	if cmd.denyOOM && !c.s.cache.AllowWrite() {
		return msgOOM
	}
	return ""
}

// ParseMemory reads a memory size as Redis's configuration does: bytes,
// or a number with k, kb, m, mb, g or gb (k = 1000, kb = 1024).
func ParseMemory(v string) (uint64, bool) { return parseMemory([]byte(v)) }

// ValidPolicy reports whether name is a maxmemory-policy.
func ValidPolicy(name string) bool { return slices.Contains(maxmemoryPolicies, name) }

// noTouch lists the commands that, as in Redis, look at keys without
// counting as an access to them.
var noTouch = map[string]bool{
	"object": true, "type": true, "ttl": true, "pttl": true, "exists": true,
	"expiretime": true, "pexpiretime": true,
}
