package cache_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/cache"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// testColl is a minimal collection layer for the tests: "coll.add" adds a
// member, "coll.rm" removes one (deleting the key with its last member),
// "coll.trim" range-deletes every member below a bound.
func testMutations() map[string]layers.MutationFunc {
	muts := maps.Clone(strkv.Mutations())
	const typ = strkv.TypeSet
	muts["coll.add"] = func(m layers.Mutator, args []byte) ([]byte, error) {
		db, key, member, val := decode4(args)
		k, err := strkv.LoadKey(m, db, key)
		if err != nil {
			return nil, err
		}
		if k.WrongType(typ) {
			return []byte{1}, nil
		}
		meta := strkv.Meta{Type: typ, Version: k.NextVersion(typ, m.Now())}
		if k.Is(typ) {
			meta.ExpireAt = k.Meta.ExpireAt
		}
		meta.Value = []byte("header")
		strkv.PutKey(m, k, meta)
		m.Set(strkv.MemberSpace(db, key, meta.Version).Pack(tuple.Tuple{member}), val)
		return []byte{0}, nil
	}
	muts["coll.rm"] = func(m layers.Mutator, args []byte) ([]byte, error) {
		db, key, member, _ := decode4(args)
		k, err := strkv.LoadKey(m, db, key)
		if err != nil || !k.Is(typ) {
			return []byte{0}, err
		}
		sp := strkv.MemberSpace(db, key, k.Meta.Version)
		m.Delete(sp.Pack(tuple.Tuple{member}))
		begin, end := sp.Range()
		it := m.Scan(begin, end, false)
		empty := !it.Next()
		it.Close()
		if empty {
			strkv.RemoveKey(m, k)
		}
		return []byte{0}, nil
	}
	muts["coll.trim"] = func(m layers.Mutator, args []byte) ([]byte, error) {
		db, key, below, _ := decode4(args)
		k, err := strkv.LoadKey(m, db, key)
		if err != nil || !k.Is(typ) {
			return []byte{0}, err
		}
		sp := strkv.MemberSpace(db, key, k.Meta.Version)
		begin, _ := sp.Range()
		m.DeleteRange(begin, sp.Pack(tuple.Tuple{below}))
		return []byte{0}, nil
	}
	return cache.Accounted(muts)
}

func encode4(db int, key, a, b string) []byte {
	out := []byte{byte(db)}
	for _, s := range []string{key, a, b} {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return out
}

func decode4(args []byte) (db int, key, a, b []byte) {
	db, args = int(args[0]), args[1:]
	var parts [3][]byte
	for i := range parts {
		n, k := binary.Uvarint(args)
		parts[i], args = args[k:k+int(n)], args[k+int(n):]
	}
	return db, parts[0], parts[1], parts[2]
}

// recount sums len(key)+len(value) of every record and member of db by
// scanning the store: what the counters must equal.
func recount(t *testing.T, kv layers.KV, db int) int64 {
	t.Helper()
	var total int64
	err := layers.View(context.Background(), kv, func(r layers.Reader) error {
		total = 0
		for _, part := range []string{"m", "d"} {
			begin, end := strkv.DBSubspace(db).Sub(part).Range()
			it := r.Scan(begin, end, false)
			for it.Next() {
				total += int64(len(it.Key()) + len(it.Value()))
			}
			if err := it.Close(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func counted(t *testing.T, kv layers.KV, db int) int64 {
	t.Helper()
	var n int64
	err := layers.View(context.Background(), kv, func(r layers.Reader) error {
		var err error
		n, err = cache.DBBytes(r, db)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAccountingMatchesRecount drives random strings and collection
// operations (including DEL, RENAME, FLUSHDB, expiry sweeps and partial
// range deletes) and checks after each step that the counters equal a full
// recount of the store.
func TestAccountingMatchesRecount(t *testing.T) {
	kv := raftstoretest.NewWithMutations(t, testMutations())
	strs := strkv.New(kv)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	keys := []string{"a", "b", "c", "d\x00e", "long-key-name"}
	for step := range 600 {
		db := rng.IntN(2)
		key := keys[rng.IntN(len(keys))]
		member := fmt.Sprintf("m%02d", rng.IntN(20))
		val := bytes.Repeat([]byte("v"), rng.IntN(40))
		var m strkv.Mutation
		switch op := rng.IntN(100); {
		case op < 25:
			m = strkv.SetOp(db, []byte(key), val, strkv.SetOptions{})
		case op < 30:
			m = strkv.AppendOp(db, []byte(key), val)
		case op < 55:
			m = strkv.Mutation{Op: "coll.add", Args: encode4(db, key, member, string(val))}
		case op < 70:
			m = strkv.Mutation{Op: "coll.rm", Args: encode4(db, key, member, "")}
		case op < 75:
			m = strkv.Mutation{Op: "coll.trim", Args: encode4(db, key, member, "")}
		case op < 82:
			m = strkv.DelOp(db, []byte(key), []byte(keys[rng.IntN(len(keys))]))
		case op < 88:
			m = strkv.RenameOp(db, []byte(key), []byte(keys[rng.IntN(len(keys))]), false)
		case op < 94:
			m = strkv.SetOp(db, []byte(key), val, strkv.SetOptions{TTLMillis: 1})
		case op < 97:
			m = strkv.SweepOp(100)
		default:
			m = strkv.FlushOp(db)
		}
		if _, err := strs.Run(ctx, m); err != nil {
			t.Fatalf("step %d %s: %v", step, m.Op, err)
		}
		if op := m.Op; op == "strkv.set" {
			time.Sleep(time.Millisecond) // let TTL 1 ms keys expire for the sweep
		}
		for d := range 2 {
			if got, want := counted(t, kv, d), recount(t, kv, d); got != want {
				t.Fatalf("step %d (%s): db %d counted %d bytes, store holds %d", step, m.Op, d, got, want)
			}
		}
	}
	if counted(t, kv, 0)+counted(t, kv, 1) == 0 {
		t.Fatal("the run ended with no data; the test checked nothing")
	}
}
