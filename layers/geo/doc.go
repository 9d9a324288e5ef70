// Package geo is Redis's GEO model on the sorted set layer (package
// zsetkv): a GEO key is a sorted set whose scores are 52-bit interleaved
// geohashes of its members' positions, exactly as Redis stores them, so
// the sorted set commands work on GEO keys and the GEO commands work on
// sorted sets.
//
// The package computes what Redis 7.0 computes, bit for bit: the score of
// a position (Encode), the position a score decodes to (Decode), the
// standard geohash string (Hash), distances (Distance, with the C
// library's trigonometry when cgo is available), and searches (Search):
// the same nine geohash cells read, the same members kept, the same
// order of results, ties included. A search reads only score ranges: the
// parts of Redis's cells that a cover of the shape in finer cells
// reaches (cover.go), so its cost depends on the members near the
// centre, not on the size of the key, and is usually below Redis's own
// nine cells.
//
// Nearest is a k-nearest-neighbour search that, unlike Redis's
// GEOSEARCH ... COUNT, widens until it has k members.
//
// Writes are sorted set mutations (AddOp, RemoveOp); Store writes search
// results into another key from inside a mutation. The package does not
// depend on the Redis protocol.
package geo
