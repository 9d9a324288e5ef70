package cache

import "strings"

// Policy is a maxmemory-policy: what to evict when the data outgrows
// maxmemory.
type Policy int

// The policies, as Redis names them.
const (
	NoEviction     Policy = iota // refuse writes that add data (OOM)
	AllKeysLRU                   // least recently used of all keys
	AllKeysLFU                   // least frequently used of all keys
	AllKeysRandom                // any key
	VolatileLRU                  // least recently used of the keys with an expiry
	VolatileLFU                  // least frequently used of the keys with an expiry
	VolatileRandom               // any key with an expiry
	VolatileTTL                  // the key with the nearest expiry
)

var policyNames = [...]string{
	NoEviction:     "noeviction",
	AllKeysLRU:     "allkeys-lru",
	AllKeysLFU:     "allkeys-lfu",
	AllKeysRandom:  "allkeys-random",
	VolatileLRU:    "volatile-lru",
	VolatileLFU:    "volatile-lfu",
	VolatileRandom: "volatile-random",
	VolatileTTL:    "volatile-ttl",
}

// String returns the policy's Redis name.
func (p Policy) String() string {
	if p < 0 || int(p) >= len(policyNames) {
		return "unknown"
	}
	return policyNames[p]
}

// ParsePolicy reads a policy name, case-insensitively.
func ParsePolicy(s string) (Policy, bool) {
	for p, name := range policyNames {
		if strings.EqualFold(s, name) {
			return Policy(p), true
		}
	}
	return 0, false
}

// Volatile reports whether p only evicts keys with an expiry.
func (p Policy) Volatile() bool { return p >= VolatileLRU }

// LFU reports whether p ranks keys by access frequency.
func (p Policy) LFU() bool { return p == AllKeysLFU || p == VolatileLFU }

// LRU reports whether p ranks keys by idle time.
func (p Policy) LRU() bool { return p == AllKeysLRU || p == VolatileLRU }
