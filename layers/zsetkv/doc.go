// Package zsetkv is Redis sorted sets on ordered keys, as a collection layer
// over the Redis keyspace of package strkv. GEO keys are sorted sets too:
// the GEO commands build on the same Go API (Set for reads, the *Op
// mutations and Edit for writes).
//
// # Layout
//
// The members of one incarnation of a key live under
// strkv.MemberSpace(db, key, version) in two indexes:
//
//	("s", score float64, member []byte) -> ""        the score index
//	("m", member []byte)               -> score     the member index (8 bytes, IEEE 754 big-endian)
//
// The tuple encoding of float64 orders the score index by score, then by
// member bytes, exactly as Redis orders a sorted set. Redis treats -0 and
// 0 as equal scores (and replies "0" for both), so a score of -0 is stored
// as 0. NaN is never stored: the commands refuse it. The key record's
// Meta.Value holds the member count as a uvarint, so ZCARD is one read,
// then optionally the floor and ceiling described below.
//
// Ranks are not indexed: a range by rank walks the score index from the
// nearer end, which costs O(rank) key visits.
//
// # Tombstones
//
// A hot sorted set kept capped by ZADD + ZREMRANGEBYRANK 0 -N (a
// leaderboard, a sliding window) deletes at the low end of the score index
// what the next range read walks first. Point deletes there would pile up
// in the LSM and every later walk would step over them. So every command
// that removes a run of neighbouring entries of the score index
// (ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX, ZPOPMIN, ZPOPMAX)
// removes the run with one range delete from its first to its last key:
// a range tombstone, which the storage engine skips in one step. The
// member index entries of the removed members are still deleted one by
// one; that index is only read by point lookups, which tombstones do not
// slow down the same way. ZREM and score updates delete single entries.
//
// The key record also keeps a floor and a ceiling of the score index: when
// a removed run or entry was at the low (high) end of the set, the floor
// (ceiling) moves past it, and a new member below (above) it moves it
// back. Every
// walk of the score index starts at the floor and ends at the ceiling, so
// even while the deleted entries and their tombstones are still in the
// LSM (before compaction drops them) a walk seeks past them instead of
// stepping through them: a capped leaderboard reads in the same time
// after a million trims as after one, and a queue consumed by ZREM of its
// lowest member does not slow down either.
//
// # Lexicographic ranges
//
// Redis defines ZRANGEBYLEX and friends only for sets whose members all
// have the same score. Aspen walks the score index from the first member
// of the lowest score (the highest, in reverse) that is inside the range
// and stops at the first member outside it, which is Redis's result
// whenever the scores are equal.
package zsetkv
