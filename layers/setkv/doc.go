// Package setkv is Redis sets on ordered keys, as a collection layer over
// the Redis keyspace of package strkv.
//
// A set is a key record of type strkv.TypeSet whose Meta.Value holds the
// member count as a uvarint (so SCARD is one read), and one entry per
// member under strkv.MemberSpace(db, key, version): (member) -> "". Members
// are therefore kept in byte order, which SSCAN walks and the random
// picks of SPOP and SRANDMEMBER descend.
//
// Every write is a deterministic mutation (see Mutations): SADD, SREM,
// SPOP, SMOVE and the STORE forms of SINTER, SUNION and SDIFF, which
// compute their result at apply time from the state of the commit. SPOP
// draws its random members from a generator seeded with the commit time
// and the arguments, so every replica pops the same members. Reads are
// plain functions over a *strkv.Reader.
//
// As in Redis, a set whose last member is removed is deleted, a STORE
// whose result is empty deletes its destination, and a command given a key
// of another type fails with strkv.ErrWrongType and changes nothing.
package setkv
