package resp

import (
	"maps"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/cache"
	"github.com/aspen-db/aspen/layers/hashkv"
	"github.com/aspen-db/aspen/layers/listkv"
	"github.com/aspen-db/aspen/layers/setkv"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/zsetkv"
)

// Mutations returns every deterministic operation the Redis commands
// commit: those of the layers they use, each wrapped to keep the memory
// accounting of package cache. A store serving this package must
// be opened with them registered, on every replica alike.
func Mutations() map[string]layers.MutationFunc {
	all := map[string]layers.MutationFunc{}
	for _, m := range []map[string]layers.MutationFunc{
		strkv.Mutations(),
		hashkv.Mutations(),
		listkv.Mutations(),
		setkv.Mutations(),
		zsetkv.Mutations(),
		cache.Mutations(),
		geoMutations(),
		pubsubMutations(),
		streamMutations(),
	} {
		maps.Copy(all, m)
	}
	// EXEC replays the queued commands' mutations unwrapped: its own
	// accounting wrapper already counts their writes.
	all[opExec] = execMutation(maps.Clone(all))
	return cache.Accounted(all)
}
