package raftstore

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb"
	wal "github.com/hashicorp/raft-wal"
)

// The benchmarks in this file compare the Pebble log store with the two
// durable stores hashicorp ships for raft: raft-wal (segment files) and
// raft-boltdb (a bbolt B+tree). Each StoreLogs call is one durable commit,
// so commits/s is the rate of fsync groups (bbolt issues two fdatasyncs per
// commit, for the data pages and then the meta page), and entries/s is what
// group commit buys on top of it. Run them with, for example:
//
//	go test -run xxx -bench 'StoreLogs|GetLog' -benchtime 2s ./raftstore/
//
// Compare the commits/s of batch=1 with the machine's raw fsync rate from
// cmd/aspen-fsyncbench.

// lsBenchStore is a log store under benchmark and how to close it.
type lsBenchStore struct {
	name string
	open func(b *testing.B) (raft.LogStore, func() error)
}

var lsBenchStores = []lsBenchStore{
	{"pebble", func(b *testing.B) (raft.LogStore, func() error) {
		s, err := OpenLogStore(b.TempDir(), lsTestLogger())
		if err != nil {
			b.Fatal(err)
		}
		return s, s.Close
	}},
	// pebble-steady is the Pebble store after about 320 MiB of appends, when
	// every WAL file it keeps for reuse has been written in full, so it
	// writes into a recycled WAL file as a long-running node does. A fresh
	// store writes into newly preallocated WAL files (and its memtables, and
	// so its WALs, start small and grow to lsMemTableSize); on ext4 the first
	// write to each preallocated block also commits a metadata change, which
	// makes those syncs slower.
	{"pebble-steady", func(b *testing.B) (raft.LogStore, func() error) {
		s, err := OpenLogStore(b.TempDir(), lsTestLogger())
		if err != nil {
			b.Fatal(err)
		}
		lsBenchWarmUp(b, s, 10*lsMemTableSize)
		return s, s.Close
	}},
	{"raftwal", func(b *testing.B) (raft.LogStore, func() error) {
		s, err := wal.Open(b.TempDir(), wal.WithLogger(hclog.NewNullLogger()))
		if err != nil {
			b.Fatal(err)
		}
		return s, s.Close
	}},
	{"boltdb", func(b *testing.B) (raft.LogStore, func() error) {
		s, err := raftboltdb.NewBoltStore(filepath.Join(b.TempDir(), "raft.db"))
		if err != nil {
			b.Fatal(err)
		}
		return s, s.Close
	}},
}

const lsBenchEntrySize = 100

// lsBenchWarmUp appends about size bytes to s in 1 MiB batches.
func lsBenchWarmUp(b *testing.B, s raft.LogStore, size int) {
	logs := make([]*raft.Log, 64)
	for i := range logs {
		logs[i] = &raft.Log{Term: 1, Type: raft.LogCommand, Data: make([]byte, 16<<10)}
	}
	next := uint64(1)
	for written := 0; written < size; written += 1 << 20 { // 64 entries of 16 KiB
		for _, l := range logs {
			l.Index = next
			next++
		}
		if err := s.StoreLogs(logs); err != nil {
			b.Fatal(err)
		}
	}
}

// lsBenchBatch returns n entries with 100-byte payloads; the caller sets
// their indexes before each StoreLogs.
func lsBenchBatch(n int) []*raft.Log {
	logs := make([]*raft.Log, n)
	for i := range logs {
		data := make([]byte, lsBenchEntrySize)
		for j := range data {
			data[j] = byte(i + j)
		}
		logs[i] = &raft.Log{Term: 1, Type: raft.LogCommand, Data: data}
	}
	return logs
}

// BenchmarkStoreLogs appends batches of 1, 16 and 64 entries of 100 bytes,
// each batch in one StoreLogs call (one durable commit).
func BenchmarkStoreLogs(b *testing.B) {
	for _, st := range lsBenchStores {
		for _, batch := range []int{1, 16, 64} {
			b.Run(fmt.Sprintf("%s/batch=%d", st.name, batch), func(b *testing.B) {
				s, closeStore := st.open(b)
				defer func() {
					if err := closeStore(); err != nil {
						b.Error(err)
					}
				}()
				logs := lsBenchBatch(batch)
				last, err := s.LastIndex()
				if err != nil {
					b.Fatal(err)
				}
				next := last + 1
				commits := 0
				b.SetBytes(int64(batch * lsBenchEntrySize))
				b.ResetTimer()
				for b.Loop() {
					for _, l := range logs {
						l.Index = next
						next++
					}
					if err := s.StoreLogs(logs); err != nil {
						b.Fatal(err)
					}
					commits++
				}
				secs := b.Elapsed().Seconds()
				b.ReportMetric(float64(commits*batch)/secs, "entries/s")
				b.ReportMetric(float64(commits)/secs, "commits/s")
			})
		}
	}
}

// BenchmarkGetLog reads random entries from a log of 10,000 entries of 100
// bytes. For Pebble it reads once with the log still in the memtable (the
// common case: recent entries) and once after a flush to an sstable.
func BenchmarkGetLog(b *testing.B) {
	const n = 10_000
	type variant struct {
		name  string
		store lsBenchStore
		flush bool
	}
	byName := map[string]lsBenchStore{}
	for _, st := range lsBenchStores {
		byName[st.name] = st
	}
	variants := []variant{
		{"pebble-memtable", byName["pebble"], false},
		{"pebble-flushed", byName["pebble"], true},
		{"raftwal", byName["raftwal"], false},
		{"boltdb", byName["boltdb"], false},
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			s, closeStore := v.store.open(b)
			defer func() {
				if err := closeStore(); err != nil {
					b.Error(err)
				}
			}()
			logs := lsBenchBatch(64)
			for next := uint64(1); next <= n; {
				batch := logs[:min(len(logs), int(n-next+1))]
				for _, l := range batch {
					l.Index = next
					next++
				}
				if err := s.StoreLogs(batch); err != nil {
					b.Fatal(err)
				}
			}
			if v.flush {
				if err := s.(*LogStore).db.Flush(); err != nil {
					b.Fatal(err)
				}
			}
			rng := rand.New(rand.NewPCG(1, 2))
			var l raft.Log
			b.ResetTimer()
			for b.Loop() {
				if err := s.GetLog(1+rng.Uint64N(n), &l); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
