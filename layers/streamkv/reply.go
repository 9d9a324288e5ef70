package streamkv

import (
	"fmt"
	"strconv"

	"github.com/aspen-db/aspen/layers/internal/wire"
)

// This file holds Reply, the protocol-neutral reply every command returns,
// and its encoding as a mutation result.

// Kind is the type of a Reply node.
type Kind byte

// The reply kinds, as RESP knows them.
const (
	KindArray     Kind = iota // Elems
	KindNullArray             // *-1 (RESP3: null)
	KindBulk                  // Str
	KindNull                  // $-1 (RESP3: null)
	KindInt                   // Int
	KindMap                   // Elems holds keys and values alternately
	KindStatus                // Str, a simple string
	KindError                 // Str, the whole error line ("ERR ...")
	// KindPairs holds keys and values alternately, like KindMap, but
	// RESP2 gets an array of two-element arrays (XREAD's reply) where
	// KindMap gives one flat array.
	KindPairs
)

// Reply is one node of a command's reply.
type Reply struct {
	Kind  Kind
	Int   int64
	Str   []byte
	Elems []Reply
}

// Reply constructors.
func bulk(b []byte) Reply       { return Reply{Kind: KindBulk, Str: b} }
func bulkStr(s string) Reply    { return Reply{Kind: KindBulk, Str: []byte(s)} }
func integer(n int64) Reply     { return Reply{Kind: KindInt, Int: n} }
func array(e []Reply) Reply     { return Reply{Kind: KindArray, Elems: e} }
func mapReply(kv []Reply) Reply { return Reply{Kind: KindMap, Elems: kv} }
func errReply(msg string) Reply { return Reply{Kind: KindError, Str: []byte(msg)} }
func status(s string) Reply     { return Reply{Kind: KindStatus, Str: []byte(s)} }
func idReply(id ID) Reply       { return Reply{Kind: KindBulk, Str: id.Append(nil)} }
func bulkInt(n int64) Reply     { return bulkStr(strconv.FormatInt(n, 10)) }

var (
	nullBulk  = Reply{Kind: KindNull}
	nullArray = Reply{Kind: KindNullArray}
	okReply   = status("OK")
)

// encode appends r to e.
func (r Reply) encode(e *wire.Enc) {
	e.Byte(byte(r.Kind))
	switch r.Kind {
	case KindArray, KindMap, KindPairs:
		e.Uvarint(uint64(len(r.Elems)))
		for _, x := range r.Elems {
			x.encode(e)
		}
	case KindBulk, KindStatus, KindError:
		e.Bytes(r.Str)
	case KindInt:
		e.Varint(r.Int)
	}
}

// Encode returns the binary form of r (a mutation's result).
func (r Reply) Encode() []byte {
	var e wire.Enc
	r.encode(&e)
	return e.B
}

// DecodeReply reads what Encode wrote. Strings alias b.
func DecodeReply(b []byte) (Reply, error) {
	d := wire.Dec{B: b}
	r := decodeReply(&d, 0)
	if err := d.Done(); err != nil {
		return Reply{}, fmt.Errorf("stream reply: %w", err)
	}
	return r, nil
}

func decodeReply(d *wire.Dec, depth int) Reply {
	if depth > 16 {
		d.Fail("reply depth")
		return Reply{}
	}
	r := Reply{Kind: Kind(d.Byte())}
	switch r.Kind {
	case KindArray, KindMap, KindPairs:
		n := d.Uvarint()
		if n > uint64(len(d.B)) { // every element takes at least a byte
			d.Fail("reply length")
			return Reply{}
		}
		r.Elems = make([]Reply, 0, n)
		for range n {
			r.Elems = append(r.Elems, decodeReply(d, depth+1))
		}
	case KindBulk, KindStatus, KindError:
		r.Str = d.Bytes()
	case KindInt:
		r.Int = d.Varint()
	case KindNull, KindNullArray:
	default:
		d.Fail("reply kind")
	}
	return r
}
