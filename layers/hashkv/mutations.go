package hashkv

import "github.com/aspen-db/aspen/layers"

// Mutations returns the deterministic operations this layer commits. The
// store must be opened with them registered (every replica alike).
func Mutations() map[string]layers.MutationFunc {
	return map[string]layers.MutationFunc{}
}
