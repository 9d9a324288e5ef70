package raftstore

import (
	"bytes"
	"testing"
)

func TestTxnEntryRoundTrip(t *testing.T) {
	e := &txnEntry{
		readVersion: 42, nowMicros: 1700000000000000,
		reads:     []span{{[]byte("a"), []byte("b")}, {[]byte{}, []byte{0}}},
		rangeDels: []span{{[]byte("x"), []byte("y")}},
		points:    []bufEntry{{key: []byte("k1"), pointWrite: pointWrite{value: []byte("v1")}}, {key: []byte("k2"), pointWrite: pointWrite{del: true}}},
		muts:      []mutation{{op: "strkv.set", args: []byte{1, 2, 3}}, {op: "noargs"}},
	}
	data := e.encode()
	got, err := decodeTxn(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.encode(), data) {
		t.Fatalf("round trip changed the entry:\n%x\n%x", got.encode(), data)
	}
	if got.readVersion != 42 || got.nowMicros != e.nowMicros || len(got.points) != 2 || !got.points[1].del || got.muts[0].op != "strkv.set" {
		t.Fatalf("decoded %+v", got)
	}
	if err := stampEntry(data, 7); err != nil {
		t.Fatal(err)
	}
	if got, _ := decodeTxn(data); got.nowMicros != 7 {
		t.Fatalf("stamp: now = %d", got.nowMicros)
	}
	for i := 0; i < len(data); i++ {
		if _, err := decodeTxn(data[:i]); err == nil {
			t.Fatalf("truncated entry of %d/%d bytes decoded", i, len(data))
		}
	}
}

// FuzzDecodeTxn feeds the decoder of entries that arrive from peers over
// HTTP: it must never panic or allocate by an unchecked count, and what it
// accepts must re-encode to the same bytes.
func FuzzDecodeTxn(f *testing.F) {
	f.Add((&txnEntry{readVersion: 1, points: []bufEntry{{key: []byte("k"), pointWrite: pointWrite{value: []byte("v")}}}}).encode())
	f.Add((&txnEntry{muts: []mutation{{op: "x", args: []byte("y")}}, reads: []span{{[]byte("a"), []byte("b")}}}).encode())
	f.Add([]byte{entryFormat, kindTxn, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := decodeTxn(data)
		if err != nil {
			return
		}
		again, err := decodeTxn(e.encode())
		if err != nil {
			t.Fatalf("re-encoded entry does not decode: %v", err)
		}
		if !bytes.Equal(again.encode(), e.encode()) {
			t.Fatal("encoding is not stable")
		}
		if o, err := decodeOutcome(data); err == nil {
			_ = o.encode()
		}
	})
}
