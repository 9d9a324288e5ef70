package raftstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
)

// lsTestLogger discards log output so test output stays readable.
func lsTestLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// lsOpenTest opens a log store in dir and closes it when the test ends.
func lsOpenTest(t testing.TB, dir string) *LogStore {
	t.Helper()
	s, err := OpenLogStore(dir, lsTestLogger())
	if err != nil {
		t.Fatalf("OpenLogStore(%s): %v", dir, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// lsTestEntry returns a command entry whose data depends on index and term.
func lsTestEntry(index, term uint64) *raft.Log {
	return &raft.Log{
		Index: index,
		Term:  term,
		Type:  raft.LogCommand,
		Data:  fmt.Appendf(nil, "entry-%d-term-%d", index, term),
	}
}

func lsEntries(lo, hi, term uint64) []*raft.Log {
	var out []*raft.Log
	for i := lo; i <= hi; i++ {
		out = append(out, lsTestEntry(i, term))
	}
	return out
}

// lsEqualLog compares entries field by field (AppendedAt with Equal, since
// the decoded time has no monotonic reading and the local location).
func lsEqualLog(a, b *raft.Log) bool {
	return a.Index == b.Index && a.Term == b.Term && a.Type == b.Type &&
		bytes.Equal(a.Data, b.Data) && bytes.Equal(a.Extensions, b.Extensions) &&
		a.AppendedAt.Equal(b.AppendedAt)
}

func TestLogStoreEncodingRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		log  raft.Log
	}{
		{"empty command", raft.Log{Index: 1, Term: 1}},
		{"data", raft.Log{Index: 7, Term: 3, Type: raft.LogCommand, Data: []byte("hello")}},
		{"extensions only", raft.Log{Index: 8, Term: 3, Type: raft.LogNoop, Extensions: []byte{0, 1, 2}}},
		{"data and extensions", raft.Log{Index: 9, Term: 4, Type: raft.LogConfiguration, Data: []byte("cfg"), Extensions: []byte("ext")}},
		{"appended at", raft.Log{Index: 10, Term: 4, Type: raft.LogBarrier, AppendedAt: time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)}},
		{"appended before epoch", raft.Log{Index: 11, Term: 4, AppendedAt: time.Date(1901, 1, 1, 0, 0, 0, 1, time.UTC)}},
		{"appended far future", raft.Log{Index: 12, Term: 4, AppendedAt: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)}},
		{"max index and term", raft.Log{Index: math.MaxUint64, Term: math.MaxUint64, Type: raft.LogType(255)}},
		{"large data", raft.Log{Index: 13, Term: 5, Data: bytes.Repeat([]byte("x"), 1<<20)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			enc := make([]byte, lsEncodedLogLen(&tc.log))
			lsEncodeLog(enc, &tc.log)
			var got raft.Log
			if err := lsDecodeLog(tc.log.Index, enc, &got); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !lsEqualLog(&got, &tc.log) {
				t.Fatalf("round trip mismatch:\n got %+v\nwant %+v", got, tc.log)
			}
			// The decoded slices must not alias the encoded value.
			clear(enc)
			if !lsEqualLog(&got, &tc.log) {
				t.Fatal("decoded entry changed when the encoded value was overwritten")
			}
		})
	}
}

// TestLogStoreEncodingFormat pins the on-disk encoding: changing it breaks
// every existing log, so it needs a new format version, not an edit here.
func TestLogStoreEncodingFormat(t *testing.T) {
	l := raft.Log{
		Index:      300,
		Term:       2,
		Type:       raft.LogCommand,
		Data:       []byte("ab"),
		Extensions: []byte("x"),
		AppendedAt: time.Unix(1700000000, 5),
	}
	enc := make([]byte, lsEncodedLogLen(&l))
	lsEncodeLog(enc, &l)
	const want = "010001" + "ac02" + "02" + "80c49fd50c" + "05" + "02" + "6162" + "01" + "78"
	if got := hex.EncodeToString(enc[:len(enc)-lsCRCLen]); got != want {
		t.Fatalf("encoding changed:\n got %s\nwant %s", got, want)
	}
	if got := hex.EncodeToString(lsEncodeStable([]byte{7})); got[:4] != "0107" || len(got) != 12 {
		t.Fatalf("stable encoding changed: %s", got)
	}
}

func TestLogStoreDecodeErrors(t *testing.T) {
	good := raft.Log{Index: 42, Term: 3, Data: []byte("payload"), Extensions: []byte("e"), AppendedAt: time.Unix(1, 2)}
	enc := make([]byte, lsEncodedLogLen(&good))
	lsEncodeLog(enc, &good)

	body := enc[:len(enc)-lsCRCLen]
	// reseal appends a valid checksum to a (damaged) body, so that decoding
	// gets past the checksum to the damaged field.
	reseal := func(b []byte) []byte {
		return binary.LittleEndian.AppendUint32(slices.Clone(b), crc32.Checksum(b, lsCRCTable))
	}
	mutate := func(f func(b []byte) []byte) []byte { return f(slices.Clone(enc)) }
	withBody := func(f func(b []byte) []byte) []byte { return reseal(f(slices.Clone(body))) }

	tests := []struct {
		name   string
		index  uint64
		val    []byte
		reason string
	}{
		{"empty", 42, nil, "shorter than any valid entry"},
		{"bad version", 42, mutate(func(b []byte) []byte { b[0] = 9; return b }), "unknown format version 9"},
		{"flipped data byte", 42, mutate(func(b []byte) []byte { b[len(b)-8] ^= 0xff; return b }), "checksum mismatch"},
		{"flipped checksum", 42, mutate(func(b []byte) []byte { b[len(b)-1] ^= 1; return b }), "checksum mismatch"},
		{"truncated", 42, enc[:len(enc)-3], "checksum mismatch"},
		{"unknown flags", 42, withBody(func(b []byte) []byte { b[2] |= 0x80; return b }), "unknown flags"},
		{"wrong index", 41, enc, "entry says index 42"},
		{"trailing bytes", 42, withBody(func(b []byte) []byte { return append(b, 0) }), "1 unexpected trailing bytes"},
		{"length past end", 42, reseal([]byte{1, 0, 0, 42, 3, 0xff, 0xff, 0xff, 0x7f}), "data length 268435455 exceeds the 0 bytes left"},
		{"truncated varint", 42, reseal([]byte{1, 0, 0, 0x80}), "truncated or malformed index"},
		{"nanoseconds out of range", 42, reseal([]byte{1, 0, 1, 42, 3, 0, 0x80, 0x94, 0xeb, 0xdc, 0x03, 0, 0}), "nanoseconds 1000000000 out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var l raft.Log
			err := lsDecodeLog(tc.index, tc.val, &l)
			if err == nil {
				t.Fatal("decode succeeded, want error")
			}
			if !errors.Is(err, ErrLogStoreCorrupt) {
				t.Errorf("error %v does not match ErrLogStoreCorrupt", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, fmt.Sprintf("log entry %d", tc.index)) || !strings.Contains(msg, tc.reason) {
				t.Errorf("error %q should name entry %d and contain %q", msg, tc.index, tc.reason)
			}
		})
	}

	// Every strict prefix of a valid encoding must be rejected.
	for n := range len(enc) {
		var l raft.Log
		if err := lsDecodeLog(42, enc[:n], &l); err == nil {
			t.Errorf("decode of %d-byte prefix succeeded", n)
		}
	}
}

// lsOp is one step of a log store scenario.
type lsOp struct {
	store  []*raft.Log // StoreLogs (or StoreLog if one entry and single is set)
	single bool
	delLo  uint64 // DeleteRange(delLo, delHi) when del is set
	delHi  uint64
	del    bool
}

func lsStore(logs ...*raft.Log) lsOp { return lsOp{store: logs} }
func lsStoreOne(l *raft.Log) lsOp    { return lsOp{store: []*raft.Log{l}, single: true} }
func lsDelete(lo, hi uint64) lsOp    { return lsOp{delLo: lo, delHi: hi, del: true} }

func TestLogStoreLogs(t *testing.T) {
	tests := []struct {
		name        string
		ops         []lsOp
		first, last uint64
	}{
		{"empty", nil, 0, 0},
		{"store one", []lsOp{lsStoreOne(lsTestEntry(1, 1))}, 1, 1},
		{"store batch", []lsOp{lsStore(lsEntries(1, 10, 1)...)}, 1, 10},
		{"store one by one", []lsOp{lsStoreOne(lsTestEntry(1, 1)), lsStoreOne(lsTestEntry(2, 1)), lsStoreOne(lsTestEntry(3, 1))}, 1, 3},
		{"unsorted batch", []lsOp{lsStore(lsTestEntry(3, 1), lsTestEntry(1, 1), lsTestEntry(2, 1))}, 1, 3},
		{"empty batch", []lsOp{lsStore()}, 0, 0},
		{"delete prefix", []lsOp{lsStore(lsEntries(1, 10, 1)...), lsDelete(1, 3)}, 4, 10},
		{"delete suffix", []lsOp{lsStore(lsEntries(1, 10, 1)...), lsDelete(8, 10)}, 1, 7},
		{"delete middle", []lsOp{lsStore(lsEntries(1, 10, 1)...), lsDelete(4, 6)}, 1, 10},
		{"delete all", []lsOp{lsStore(lsEntries(1, 10, 1)...), lsDelete(1, 10)}, 0, 0},
		{"delete whole key space", []lsOp{lsStore(lsEntries(5, 10, 1)...), lsDelete(0, math.MaxUint64)}, 0, 0},
		{"delete prefix past a hole", []lsOp{lsStore(lsEntries(1, 10, 1)...), lsDelete(4, 6), lsDelete(1, 3)}, 7, 10},
		{"delete suffix past a hole", []lsOp{lsStore(lsEntries(1, 10, 1)...), lsDelete(5, 7), lsDelete(8, 10)}, 1, 4},
		{"delete outside the log", []lsOp{lsStore(lsEntries(5, 10, 1)...), lsDelete(1, 3), lsDelete(12, 20)}, 5, 10},
		{"delete empty range", []lsOp{lsStore(lsEntries(1, 3, 1)...), lsDelete(3, 2)}, 1, 3},
		{"delete on empty store", []lsOp{lsDelete(1, 100)}, 0, 0},
		{"store after delete all (snapshot restore gap)", []lsOp{lsStore(lsEntries(1, 10, 1)...), lsDelete(1, 10), lsStore(lsEntries(100, 105, 2)...)}, 100, 105},
		{"store with a gap", []lsOp{lsStore(lsEntries(1, 5, 1)...), lsStore(lsEntries(10, 12, 1)...)}, 1, 12},
		{"store below first", []lsOp{lsStore(lsEntries(10, 12, 1)...), lsStore(lsEntries(5, 6, 1)...)}, 5, 12},
		{"follower conflict truncation", []lsOp{lsStore(lsEntries(1, 10, 1)...), lsDelete(6, 10), lsStore(lsEntries(6, 8, 2)...)}, 1, 8},
		{"overwrite in place", []lsOp{lsStore(lsEntries(1, 10, 1)...), lsStore(lsEntries(5, 6, 2)...)}, 1, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := OpenLogStore(dir, lsTestLogger())
			if err != nil {
				t.Fatal(err)
			}
			model := map[uint64]*raft.Log{}
			for i, op := range tc.ops {
				switch {
				case op.del:
					if err := s.DeleteRange(op.delLo, op.delHi); err != nil {
						t.Fatalf("op %d: DeleteRange(%d, %d): %v", i, op.delLo, op.delHi, err)
					}
					for idx := range model {
						if idx >= op.delLo && idx <= op.delHi {
							delete(model, idx)
						}
					}
				case op.single:
					if err := s.StoreLog(op.store[0]); err != nil {
						t.Fatalf("op %d: StoreLog: %v", i, err)
					}
					model[op.store[0].Index] = op.store[0]
				default:
					if err := s.StoreLogs(op.store); err != nil {
						t.Fatalf("op %d: StoreLogs: %v", i, err)
					}
					for _, l := range op.store {
						model[l.Index] = l
					}
				}
			}
			lsCheckLogs(t, "after ops", s, model, tc.first, tc.last)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = lsOpenTest(t, dir)
			lsCheckLogs(t, "after reopen", s, model, tc.first, tc.last)
		})
	}
}

// lsCheckLogs checks bounds and the presence and content of every index
// around the model's.
func lsCheckLogs(t *testing.T, when string, s *LogStore, model map[uint64]*raft.Log, first, last uint64) {
	t.Helper()
	gotFirst, err := s.FirstIndex()
	if err != nil {
		t.Fatalf("%s: FirstIndex: %v", when, err)
	}
	gotLast, err := s.LastIndex()
	if err != nil {
		t.Fatalf("%s: LastIndex: %v", when, err)
	}
	if gotFirst != first || gotLast != last {
		t.Errorf("%s: first, last = %d, %d; want %d, %d", when, gotFirst, gotLast, first, last)
	}
	for idx := uint64(0); idx <= last+2 || idx <= 12; idx++ {
		var got raft.Log
		err := s.GetLog(idx, &got)
		want, ok := model[idx]
		switch {
		case !ok && !errors.Is(err, raft.ErrLogNotFound):
			t.Errorf("%s: GetLog(%d) = %v, %+v; want ErrLogNotFound", when, idx, err, got)
		case ok && err != nil:
			t.Errorf("%s: GetLog(%d): %v", when, idx, err)
		case ok && !lsEqualLog(&got, want):
			t.Errorf("%s: GetLog(%d) = %+v; want %+v", when, idx, got, *want)
		}
	}
}

func TestLogStoreGetLogOwnsData(t *testing.T) {
	s := lsOpenTest(t, t.TempDir())
	in := &raft.Log{Index: 1, Term: 1, Data: []byte("data"), Extensions: []byte("ext"), AppendedAt: time.Now()}
	if err := s.StoreLog(in); err != nil {
		t.Fatal(err)
	}
	in.Data[0] = 'X' // the store must have copied the input
	var a, b raft.Log
	if err := s.GetLog(1, &a); err != nil {
		t.Fatal(err)
	}
	if string(a.Data) != "data" {
		t.Fatalf("stored data changed with the caller's slice: %q", a.Data)
	}
	a.Data = append(a.Data, "more"...) // must not spill into Extensions
	a.Extensions[0] = 'Y'
	if err := s.GetLog(1, &b); err != nil {
		t.Fatal(err)
	}
	if string(b.Data) != "data" || string(b.Extensions) != "ext" {
		t.Fatalf("second read = %q, %q; want data, ext", b.Data, b.Extensions)
	}
}

func TestLogStoreStable(t *testing.T) {
	type step struct {
		op      string // "set", "setu", "get", "getu"
		key     string
		val     []byte
		u       uint64
		wantErr string // substring; "" means success
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"get missing", []step{{op: "get", key: "k", wantErr: "not found"}}},
		{"get uint64 missing", []step{{op: "getu", key: "CurrentTerm", wantErr: "not found"}}},
		{"set get", []step{{op: "set", key: "k", val: []byte("v")}, {op: "get", key: "k", val: []byte("v")}}},
		{"overwrite", []step{{op: "set", key: "k", val: []byte("v1")}, {op: "set", key: "k", val: []byte("v2")}, {op: "get", key: "k", val: []byte("v2")}}},
		{"empty value", []step{{op: "set", key: "k", val: []byte{}}, {op: "get", key: "k", val: []byte{}}}},
		{"empty key", []step{{op: "set", key: "", val: []byte("v")}, {op: "get", key: "", val: []byte("v")}}},
		{"keys are distinct", []step{{op: "set", key: "a", val: []byte("1")}, {op: "get", key: "ab", wantErr: "not found"}}},
		{"uint64", []step{{op: "setu", key: "CurrentTerm", u: 7}, {op: "getu", key: "CurrentTerm", u: 7}}},
		{"uint64 zero", []step{{op: "setu", key: "t", u: 0}, {op: "getu", key: "t", u: 0}}},
		{"uint64 max", []step{{op: "setu", key: "t", u: math.MaxUint64}, {op: "getu", key: "t", u: math.MaxUint64}}},
		{"uint64 of bytes value", []step{{op: "set", key: "k", val: []byte("abc")}, {op: "getu", key: "k", wantErr: "value is 3 bytes, want 8"}}},
		{"shared key space", []step{{op: "setu", key: "k", u: 258}, {op: "get", key: "k", val: []byte{0, 0, 0, 0, 0, 0, 1, 2}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := OpenLogStore(dir, lsTestLogger())
			if err != nil {
				t.Fatal(err)
			}
			run := func(when string) {
				for i, st := range tc.steps {
					var err error
					switch st.op {
					case "set":
						if when != "first" {
							continue
						}
						err = s.Set([]byte(st.key), st.val)
					case "setu":
						if when != "first" {
							continue
						}
						err = s.SetUint64([]byte(st.key), st.u)
					case "get":
						var got []byte
						got, err = s.Get([]byte(st.key))
						if err == nil && (!bytes.Equal(got, st.val) || got == nil) {
							t.Errorf("%s: step %d: Get(%q) = %q; want %q", when, i, st.key, got, st.val)
						}
					case "getu":
						var got uint64
						got, err = s.GetUint64([]byte(st.key))
						if got != st.u {
							t.Errorf("%s: step %d: GetUint64(%q) = %d; want %d", when, i, st.key, got, st.u)
						}
					}
					switch {
					case st.wantErr == "" && err != nil:
						t.Errorf("%s: step %d (%s %q): %v", when, i, st.op, st.key, err)
					case st.wantErr != "" && (err == nil || !strings.Contains(err.Error(), st.wantErr)):
						t.Errorf("%s: step %d (%s %q): error %v; want %q", when, i, st.op, st.key, err, st.wantErr)
					}
				}
			}
			run("first")
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = lsOpenTest(t, dir)
			run("after reopen")
		})
	}
}

// TestLogStoreMissingKeyMatchesRaft checks the exact not-found contract raft
// relies on when it starts on a fresh store.
func TestLogStoreMissingKeyMatchesRaft(t *testing.T) {
	s := lsOpenTest(t, t.TempDir())
	_, err := s.Get([]byte("LastVoteCand"))
	if err == nil || err.Error() != "not found" || !errors.Is(err, ErrStableKeyNotFound) {
		t.Errorf("Get of a missing key: %v; want exactly %q", err, "not found")
	}
	if _, err := s.GetUint64([]byte("CurrentTerm")); err == nil || err.Error() != "not found" {
		t.Errorf("GetUint64 of a missing key: %v; want exactly %q", err, "not found")
	}

	snaps := raft.NewInmemSnapshotStore()
	has, err := raft.HasExistingState(s, s, snaps)
	if err != nil || has {
		t.Fatalf("HasExistingState on a fresh store = %v, %v; want false, nil", has, err)
	}
	if err := s.SetUint64([]byte("CurrentTerm"), 1); err != nil {
		t.Fatal(err)
	}
	has, err = raft.HasExistingState(s, s, snaps)
	if err != nil || !has {
		t.Fatalf("HasExistingState after setting the term = %v, %v; want true, nil", has, err)
	}
}

func TestLogStoreClosed(t *testing.T) {
	s, err := OpenLogStore(t.TempDir(), lsTestLogger())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	var l raft.Log
	calls := map[string]error{
		"StoreLogs":   s.StoreLogs([]*raft.Log{lsTestEntry(1, 1)}),
		"GetLog":      s.GetLog(1, &l),
		"DeleteRange": s.DeleteRange(1, 2),
		"Set":         s.Set([]byte("k"), nil),
		"SetUint64":   s.SetUint64([]byte("k"), 1),
		"Verify":      s.Verify(context.Background()),
	}
	_, calls["FirstIndex"] = s.FirstIndex()
	_, calls["LastIndex"] = s.LastIndex()
	_, calls["Get"] = s.Get([]byte("k"))
	_, calls["GetUint64"] = s.GetUint64([]byte("k"))
	for name, err := range calls {
		if !errors.Is(err, ErrLogStoreClosed) {
			t.Errorf("%s after Close: %v; want ErrLogStoreClosed", name, err)
		}
	}
}

func TestLogStoreStoreLogsNilEntry(t *testing.T) {
	s := lsOpenTest(t, t.TempDir())
	if err := s.StoreLogs([]*raft.Log{lsTestEntry(1, 1), nil}); err == nil {
		t.Fatal("StoreLogs with a nil entry succeeded")
	}
	if last, _ := s.LastIndex(); last != 0 {
		t.Fatalf("a rejected batch changed LastIndex to %d", last)
	}
}

// TestLogStoreConcurrent appends, reads and truncates at once, as raft does
// (leader loop, replication goroutines, snapshot goroutine); run with -race.
func TestLogStoreConcurrent(t *testing.T) {
	s := lsOpenTest(t, t.TempDir())
	const batches, batchSize = 50, 8
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	wg.Add(1)
	go func() { // writer
		defer wg.Done()
		defer cancel()
		for b := range uint64(batches) {
			if err := s.StoreLogs(lsEntries(b*batchSize+1, (b+1)*batchSize, 1)); err != nil {
				errs <- err
				return
			}
		}
	}()
	for range 2 { // readers
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				last, _ := s.LastIndex()
				if last == 0 {
					continue
				}
				var l raft.Log
				err := s.GetLog(last, &l)
				if err == nil && !lsEqualLog(&l, lsTestEntry(last, 1)) {
					errs <- fmt.Errorf("GetLog(%d) = %+v", last, l)
					return
				}
				if err != nil && !errors.Is(err, raft.ErrLogNotFound) {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() { // truncator: keeps the last 16 entries
		defer wg.Done()
		for ctx.Err() == nil {
			last, _ := s.LastIndex()
			if last > 16 {
				if err := s.DeleteRange(0, last-16); err != nil {
					errs <- err
					return
				}
			}
			time.Sleep(time.Millisecond)
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	first, _ := s.FirstIndex()
	last, _ := s.LastIndex()
	if last != batches*batchSize {
		t.Fatalf("LastIndex = %d; want %d", last, batches*batchSize)
	}
	wantFirst, wantLast, err := s.seekBounds(0, math.MaxUint64)
	if err != nil {
		t.Fatal(err)
	}
	if first != wantFirst || last != wantLast {
		t.Fatalf("cached bounds %d..%d disagree with the stored %d..%d", first, last, wantFirst, wantLast)
	}
}

// TestLogStoreCrashKeepsAcknowledgedWrites checks durability: every write
// that returned must survive a crash, here a clone of Pebble's in-memory file
// system that keeps only synced data.
func TestLogStoreCrashKeepsAcknowledgedWrites(t *testing.T) {
	tests := []struct {
		name        string
		ops         []lsOp
		first, last uint64
	}{
		{"stable values only", nil, 0, 0},
		{"one entry", []lsOp{lsStoreOne(lsTestEntry(1, 1))}, 1, 1},
		{"batches", []lsOp{lsStore(lsEntries(1, 16, 1)...), lsStore(lsEntries(17, 80, 1)...)}, 1, 80},
		{"prefix deleted", []lsOp{lsStore(lsEntries(1, 16, 1)...), lsDelete(1, 10)}, 11, 16},
		{"tail replaced", []lsOp{lsStore(lsEntries(1, 16, 1)...), lsDelete(9, 16), lsStore(lsEntries(9, 12, 2)...)}, 1, 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := vfs.NewCrashableMem()
			s, err := openLogStore("/raftlog", lsTestLogger(), fs)
			if err != nil {
				t.Fatal(err)
			}
			// Stable writes first: a later synced write would also make
			// earlier unsynced ones durable and hide a missing sync.
			if err := s.SetUint64([]byte("CurrentTerm"), 2); err != nil {
				t.Fatal(err)
			}
			if err := s.Set([]byte("LastVoteCand"), []byte("n2")); err != nil {
				t.Fatal(err)
			}
			model := map[uint64]*raft.Log{}
			for _, op := range tc.ops {
				var err error
				switch {
				case op.del:
					err = s.DeleteRange(op.delLo, op.delHi)
					for idx := op.delLo; idx <= op.delHi; idx++ {
						delete(model, idx)
					}
				default:
					err = s.StoreLogs(op.store)
					for _, l := range op.store {
						model[l.Index] = l
					}
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			crashed := fs.CrashClone(vfs.CrashCloneCfg{}) // synced data only
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}

			s, err = openLogStore("/raftlog", lsTestLogger(), crashed)
			if err != nil {
				t.Fatalf("open after crash: %v", err)
			}
			defer s.Close()
			lsCheckLogs(t, "after crash", s, model, tc.first, tc.last)
			if term, err := s.GetUint64([]byte("CurrentTerm")); err != nil || term != 2 {
				t.Errorf("CurrentTerm after crash = %d, %v; want 2", term, err)
			}
			if v, err := s.Get([]byte("LastVoteCand")); err != nil || string(v) != "n2" {
				t.Errorf("LastVoteCand after crash = %q, %v; want n2", v, err)
			}
		})
	}
}

// lsCorruptFixture writes entries 1..n with 100-byte payloads and two stable
// values, flushes them into an sstable and closes the store.
func lsCorruptFixture(t *testing.T, dir string, n uint64, before func(s *LogStore)) {
	t.Helper()
	s, err := OpenLogStore(dir, lsTestLogger())
	if err != nil {
		t.Fatal(err)
	}
	var logs []*raft.Log
	for i := uint64(1); i <= n; i++ {
		logs = append(logs, &raft.Log{Index: i, Term: 1, Data: bytes.Repeat([]byte{byte(i)}, 100)})
	}
	if err := s.StoreLogs(logs); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUint64([]byte("CurrentTerm"), 1); err != nil {
		t.Fatal(err)
	}
	if err := s.Set([]byte("LastVoteCand"), []byte("n1")); err != nil {
		t.Fatal(err)
	}
	if before != nil {
		before(s)
	}
	if err := s.db.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// lsOnlyFile returns the single file in dir matching pattern.
func lsOnlyFile(t *testing.T, dir, pattern string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil || len(m) != 1 {
		t.Fatalf("glob %s in %s = %v, %v; want one file", pattern, dir, m, err)
	}
	return m[0]
}

func lsFlipBytes(t *testing.T, path string, at func(size int) int, n int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	off := at(len(b))
	for i := off; i < off+n && i < len(b); i++ {
		b[i] ^= 0xff
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func lsTruncate(t *testing.T, path string, frac float64) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, int64(float64(fi.Size())*frac)); err != nil {
		t.Fatal(err)
	}
}

func TestLogStoreCorruptionFailsOpen(t *testing.T) {
	tests := []struct {
		name    string
		before  func(s *LogStore) // runs on the open store before flush
		corrupt func(t *testing.T, dir string)
		reason  string // substring of the error; the dir is always checked
		// unmarked is set where Pebble reports the damage with an error
		// that it does not mark as corruption.
		unmarked bool
	}{
		{
			name: "sst bytes flipped at start",
			corrupt: func(t *testing.T, dir string) {
				lsFlipBytes(t, lsOnlyFile(t, dir, "*.sst"), func(int) int { return 64 }, 16)
			},
			reason: "checksum",
		},
		{
			name: "sst bytes flipped in the middle",
			corrupt: func(t *testing.T, dir string) {
				lsFlipBytes(t, lsOnlyFile(t, dir, "*.sst"), func(n int) int { return n / 2 }, 16)
			},
		},
		{
			name: "sst footer damaged",
			corrupt: func(t *testing.T, dir string) {
				lsFlipBytes(t, lsOnlyFile(t, dir, "*.sst"), func(n int) int { return n - 8 }, 8)
			},
		},
		{
			name:     "sst truncated",
			corrupt:  func(t *testing.T, dir string) { lsTruncate(t, lsOnlyFile(t, dir, "*.sst"), 0.5) },
			reason:   "000005.sst",
			unmarked: true,
		},
		{
			name:     "sst deleted",
			corrupt:  func(t *testing.T, dir string) { lsRemove(t, lsOnlyFile(t, dir, "*.sst")) },
			reason:   "000005",
			unmarked: true,
		},
		{
			name:    "manifest truncated",
			before:  lsMoreGenerations,
			corrupt: func(t *testing.T, dir string) { lsTruncate(t, lsOnlyFile(t, dir, "MANIFEST-*"), 0.2) },
			reason:  "values were lost (damaged or truncated MANIFEST or WAL?)",
		},
		{
			name: "floor file damaged",
			corrupt: func(t *testing.T, dir string) {
				lsFlipBytes(t, filepath.Join(dir, lsFloorFile), func(int) int { return 10 }, 1)
			},
			reason: lsFloorFile + ": checksum mismatch",
		},
		{
			name: "last entry value damaged",
			before: func(s *LogStore) {
				k := lsLogKey(40)
				_ = s.db.Set(k[:], []byte{1, 0, 0, 40, 1, 0, 0, 0, 0, 0}, nil)
			},
			corrupt: func(*testing.T, string) {},
			reason:  "log entry 40: checksum mismatch",
		},
		{
			name: "first entry from another index",
			before: func(s *LogStore) {
				l := lsTestEntry(2, 1)
				v := make([]byte, lsEncodedLogLen(l))
				lsEncodeLog(v, l)
				k := lsLogKey(1)
				_ = s.db.Set(k[:], v, nil)
			},
			corrupt: func(*testing.T, string) {},
			reason:  "log entry 1: entry says index 2",
		},
		{
			name: "malformed log key",
			before: func(s *LogStore) {
				_ = s.db.Set([]byte{lsLogPrefix, 0xff}, []byte("x"), nil)
			},
			corrupt: func(*testing.T, string) {},
			reason:  "malformed log key",
		},
		{
			name: "stable value damaged",
			before: func(s *LogStore) {
				_ = s.db.Set(lsStableKey([]byte("CurrentTerm")), []byte{1, 0, 0, 0, 0, 0, 0, 0, 1, 9, 9, 9, 9}, nil)
			},
			corrupt: func(*testing.T, string) {},
			reason:  `stable key "CurrentTerm": checksum mismatch`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			lsCorruptFixture(t, dir, 40, tc.before)
			tc.corrupt(t, dir)
			s, err := OpenLogStore(dir, lsTestLogger())
			if err == nil {
				_ = s.Close()
				t.Fatal("OpenLogStore of a corrupt store succeeded")
			}
			if !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("error %q should name %s and contain %q", err, dir, tc.reason)
			}
			if !tc.unmarked && !errors.Is(err, ErrLogStoreCorrupt) {
				t.Errorf("error %q does not match ErrLogStoreCorrupt", err)
			}
		})
	}
}

// lsMoreGenerations adds two more flushed generations to the fixture, so
// that the WAL holding the first entries has been recycled.
func lsMoreGenerations(s *LogStore) {
	_ = s.db.Flush()
	_ = s.StoreLogs(lsEntries(41, 60, 1))
	_ = s.db.Flush()
	_ = s.StoreLogs(lsEntries(61, 80, 1))
}

// TestLogStoreManifestDamage damages Pebble's MANIFEST in several places.
// Pebble reads a MANIFEST that ends in a damaged record as a torn write and
// replays the WAL from the last edit it could read; depending on what the
// WAL still holds, the store is then complete or has lost data. Either
// OpenLogStore fails, or every entry and stable value reads back exactly.
func TestLogStoreManifestDamage(t *testing.T) {
	tests := []struct {
		name    string
		corrupt func(t *testing.T, path string)
	}{
		{"truncated to 20%", func(t *testing.T, p string) { lsTruncate(t, p, 0.2) }},
		{"truncated to 50%", func(t *testing.T, p string) { lsTruncate(t, p, 0.5) }},
		{"truncated to 80%", func(t *testing.T, p string) { lsTruncate(t, p, 0.8) }},
		{"last byte removed", func(t *testing.T, p string) { lsTruncate(t, p, 0.999) }},
		{"flipped at 20%", func(t *testing.T, p string) { lsFlipBytes(t, p, func(n int) int { return n / 5 }, 4) }},
		{"flipped at 50%", func(t *testing.T, p string) { lsFlipBytes(t, p, func(n int) int { return n / 2 }, 4) }},
		{"flipped at 80%", func(t *testing.T, p string) { lsFlipBytes(t, p, func(n int) int { return n * 4 / 5 }, 4) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			lsCorruptFixture(t, dir, 40, lsMoreGenerations)
			tc.corrupt(t, lsOnlyFile(t, dir, "MANIFEST-*"))
			s, err := OpenLogStore(dir, lsTestLogger())
			if err != nil {
				if !strings.Contains(err.Error(), dir) {
					t.Fatalf("error %q does not name %s", err, dir)
				}
				t.Logf("open failed as allowed: %v", err)
				return
			}
			defer s.Close()
			model := map[uint64]*raft.Log{}
			for i := uint64(1); i <= 80; i++ {
				model[i] = lsTestEntry(i, 1)
				if i <= 40 {
					model[i] = &raft.Log{Index: i, Term: 1, Data: bytes.Repeat([]byte{byte(i)}, 100)}
				}
			}
			lsCheckLogs(t, "after damage", s, model, 1, 80)
			if term, err := s.GetUint64([]byte("CurrentTerm")); err != nil || term != 1 {
				t.Errorf("CurrentTerm = %d, %v; want 1", term, err)
			}
			if v, err := s.Get([]byte("LastVoteCand")); err != nil || string(v) != "n1" {
				t.Errorf("LastVoteCand = %q, %v; want n1", v, err)
			}
		})
	}
}

// TestLogStoreWALTruncatedFailsOpen damages entries that live only in
// Pebble's WAL (never flushed). Pebble reads a WAL that ends mid-record as a
// torn write and opens without the lost entries; the floor must catch it.
func TestLogStoreWALTruncatedFailsOpen(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenLogStore(dir, lsTestLogger())
	if err != nil {
		t.Fatal(err)
	}
	for i := uint64(1); i <= 40; i++ {
		if err := s.StoreLog(&raft.Log{Index: i, Term: 1, Data: bytes.Repeat([]byte{byte(i)}, 100)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	lsTruncate(t, lsOnlyFile(t, dir, "*.log"), 0.5)
	s, err = OpenLogStore(dir, lsTestLogger())
	if err == nil {
		last, _ := s.LastIndex()
		_ = s.Close()
		t.Fatalf("OpenLogStore after truncating the WAL succeeded with last index %d", last)
	}
	if !errors.Is(err, ErrLogStoreCorrupt) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("error %q should name %s and match ErrLogStoreCorrupt", err, dir)
	}
}

// TestLogStoreFloorFollowsTailDeletes checks that deleting the tail of the
// log (as a follower does on a conflict, or on installing a snapshot) and
// then crashing, without a clean close, does not look like lost entries.
func TestLogStoreFloorFollowsTailDeletes(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi uint64
		last   uint64
	}{
		{"suffix", 6, 10, 5},
		{"everything", 1, 10, 0},
		{"everything from below", 0, 20, 0},
		{"prefix only", 1, 4, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := OpenLogStore(dir, lsTestLogger())
			if err != nil {
				t.Fatal(err)
			}
			if err := s.StoreLogs(lsEntries(1, 10, 1)); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil { // floor = 10
				t.Fatal(err)
			}
			s, err = OpenLogStore(dir, lsTestLogger())
			if err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteRange(tc.lo, tc.hi); err != nil {
				t.Fatal(err)
			}
			// Simulate a crash: close Pebble without the store's Close,
			// so the floor is only what DeleteRange wrote.
			if err := s.db.Close(); err != nil {
				t.Fatal(err)
			}
			s = lsOpenTest(t, dir)
			if last, _ := s.LastIndex(); last != tc.last {
				t.Fatalf("LastIndex = %d; want %d", last, tc.last)
			}
		})
	}
}

func lsRemove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

func TestLogStoreVerify(t *testing.T) {
	dir := t.TempDir()
	lsCorruptFixture(t, dir, 40, func(s *LogStore) {
		// Damage an entry in the middle, which OpenLogStore does not read.
		k := lsLogKey(20)
		_ = s.db.Set(k[:], []byte{1, 0, 0, 20, 1, 0, 0, 0, 0, 0}, nil)
	})
	s := lsOpenTest(t, dir)
	err := s.Verify(context.Background())
	if err == nil || !errors.Is(err, ErrLogStoreCorrupt) || !strings.Contains(err.Error(), "log entry 20") {
		t.Fatalf("Verify = %v; want a corruption error naming entry 20", err)
	}
	if err := s.DeleteRange(20, 20); err != nil {
		t.Fatal(err)
	}
	if err := s.Verify(context.Background()); err != nil {
		t.Fatalf("Verify after removing the bad entry: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Verify(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Verify with a cancelled context = %v; want context.Canceled", err)
	}
}

// lsTestFSM is a trivial FSM: it records the data of every command.
type lsTestFSM struct {
	mu      sync.Mutex
	applied []string
}

func (f *lsTestFSM) Apply(l *raft.Log) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.applied = append(f.applied, string(l.Data))
	return len(f.applied)
}

func (f *lsTestFSM) Snapshot() (raft.FSMSnapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &lsTestSnapshot{items: slices.Clone(f.applied)}, nil
}

func (f *lsTestFSM) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	var items []string
	if err := json.NewDecoder(rc).Decode(&items); err != nil {
		return fmt.Errorf("restore test fsm: %w", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.applied = items
	return nil
}

func (f *lsTestFSM) items() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.applied)
}

type lsTestSnapshot struct{ items []string }

func (s *lsTestSnapshot) Persist(sink raft.SnapshotSink) error {
	if err := json.NewEncoder(sink).Encode(s.items); err != nil {
		_ = sink.Cancel()
		return err
	}
	return sink.Close()
}

func (s *lsTestSnapshot) Release() {}

// TestLogStoreRaftSingleNode runs a real single-node hashicorp/raft on the
// store: bootstrap, apply, snapshot (which truncates the log), apply more,
// restart on the reopened store, and check the FSM state is recovered.
func TestLogStoreRaftSingleNode(t *testing.T) {
	dir := t.TempDir()
	logDir, snapDir := filepath.Join(dir, "log"), filepath.Join(dir, "snap")
	const id = raft.ServerID("n1")

	conf := raft.DefaultConfig()
	conf.LocalID = id
	conf.HeartbeatTimeout = 50 * time.Millisecond
	conf.ElectionTimeout = 50 * time.Millisecond
	conf.LeaderLeaseTimeout = 50 * time.Millisecond
	conf.CommitTimeout = 5 * time.Millisecond
	conf.SnapshotThreshold = 1 << 30
	conf.SnapshotInterval = time.Hour
	conf.TrailingLogs = 5
	conf.Logger = hclog.NewNullLogger()

	start := func() (*raft.Raft, *LogStore, *lsTestFSM) {
		t.Helper()
		store, err := OpenLogStore(logDir, lsTestLogger())
		if err != nil {
			t.Fatal(err)
		}
		snaps, err := raft.NewFileSnapshotStoreWithLogger(snapDir, 2, hclog.NewNullLogger())
		if err != nil {
			t.Fatal(err)
		}
		addr, trans := raft.NewInmemTransport("n1")
		fsm := &lsTestFSM{}
		r, err := raft.NewRaft(conf, fsm, store, store, snaps, trans)
		if err != nil {
			t.Fatal(err)
		}
		err = r.BootstrapCluster(raft.Configuration{Servers: []raft.Server{{ID: id, Address: addr}}}).Error()
		if err != nil && !errors.Is(err, raft.ErrCantBootstrap) {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for r.State() != raft.Leader {
			select {
			case <-ctx.Done():
				t.Fatal("no leader elected")
			case <-time.After(5 * time.Millisecond):
			}
		}
		return r, store, fsm
	}
	stop := func(r *raft.Raft, store *LogStore) {
		t.Helper()
		if err := r.Shutdown().Error(); err != nil {
			t.Fatal(err)
		}
		if err := store.Close(); err != nil {
			t.Fatal(err)
		}
	}
	apply := func(r *raft.Raft, lo, hi int) {
		t.Helper()
		for i := lo; i < hi; i++ {
			if err := r.Apply(fmt.Appendf(nil, "cmd-%d", i), 5*time.Second).Error(); err != nil {
				t.Fatalf("apply %d: %v", i, err)
			}
		}
	}
	var want []string
	for i := range 40 {
		want = append(want, fmt.Sprintf("cmd-%d", i))
	}

	r, store, fsm := start()
	apply(r, 0, 30)
	if err := r.Snapshot().Error(); err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	apply(r, 30, 40)
	if got := fsm.items(); !slices.Equal(got, want) {
		t.Fatalf("fsm before restart = %v; want %v", got, want)
	}
	first, _ := store.FirstIndex()
	last, _ := store.LastIndex()
	if first <= 1 {
		t.Errorf("FirstIndex = %d after a snapshot with TrailingLogs=5; want the log truncated", first)
	}
	stop(r, store)

	r, store, fsm = start()
	defer stop(r, store)
	if err := r.Barrier(5 * time.Second).Error(); err != nil {
		t.Fatal(err)
	}
	if got := fsm.items(); !slices.Equal(got, want) {
		t.Fatalf("fsm after restart = %v; want %v", got, want)
	}
	if got, _ := store.LastIndex(); got <= last {
		t.Errorf("LastIndex after restart = %d; want above %d (a new term's entries)", got, last)
	}
	term, err := store.GetUint64([]byte("CurrentTerm"))
	if err != nil || term < 2 {
		t.Errorf("stored current term = %d, %v; want at least 2 after a restart", term, err)
	}
}
