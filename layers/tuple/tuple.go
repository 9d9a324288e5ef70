// Package tuple implements FoundationDB's tuple encoding: an order-preserving,
// self-describing byte encoding of ordered lists of typed values, used to build
// keys for an ordered key-value store.
//
// The encoding is byte-for-byte the one described in design/tuple.md of
// apple/foundationdb, so keys written here can be read by FoundationDB's own
// bindings and the other way round. Its central property is that the byte
// order of packed tuples equals the tuple order given by Compare: for tuples a
// and b, bytes.Compare(a.Pack(), b.Pack()) == Compare(a, b).
//
// Supported element types and their type codes:
//
//	nil                       0x00 (0x00 0xff inside a nested tuple)
//	[]byte                    0x01, 0x00 bytes escaped as 0x00 0xff, ends with 0x00
//	string                    0x02, same escaping (the string's bytes, UTF-8 by convention)
//	Tuple                     0x05 nested tuple, ends with 0x00
//	integers                  0x0b..0x1d (int, int8..int64, uint, uint8..uint64,
//	                          uintptr, *big.Int; up to 255 bytes of magnitude)
//	float32                   0x20
//	float64                   0x21
//	bool                      0x26 false, 0x27 true
//	UUID                      0x30
//	Versionstamp              0x33
//
// Unpack returns integers as int64 when the value fits, as uint64 when it is
// positive and fits in a uint64, and as *big.Int otherwise; so the Go type of
// a decoded integer depends only on its value, never on how it was packed.
package tuple

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
)

// Tuple is an ordered list of elements of the types listed in the package
// documentation.
type Tuple []any

// UUID is an RFC 4122 UUID in network byte order.
type UUID [16]byte

// String formats u in the canonical 8-4-4-4-12 lower-case hexadecimal form.
func (u UUID) String() string {
	var buf [36]byte
	hex.Encode(buf[0:8], u[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], u[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], u[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], u[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:], u[10:])
	return string(buf[:])
}

// Versionstamp is FoundationDB's 96-bit versionstamp: a 10-byte transaction
// version (8-byte commit version and 2-byte batch order, big-endian) followed
// by a 2-byte user version that orders writes within one transaction.
// Versionstamps order by TransactionVersion, then UserVersion.
type Versionstamp struct {
	TransactionVersion [10]byte
	UserVersion        uint16
}

// String formats v as Versionstamp(<hex transaction version>, <user version>).
func (v Versionstamp) String() string {
	return fmt.Sprintf("Versionstamp(%x, %d)", v.TransactionVersion[:], v.UserVersion)
}

// MaxDepth is the deepest nesting of tuples that Pack, Append and Unpack
// accept. The top-level tuple has depth 0.
const MaxDepth = 1000

// maxBigIntBytes is the largest integer magnitude, in bytes, the encoding can
// express (the length is stored in one byte).
const maxBigIntBytes = 255

// ErrMalformed is wrapped by every error Unpack returns for input that is not
// a valid tuple encoding.
var ErrMalformed = errors.New("malformed tuple")

// ErrUnsupported is wrapped by every error Append returns for a tuple it
// cannot encode: an element of an unsupported type, a nil *big.Int, an
// integer of more than 255 bytes, or nesting deeper than MaxDepth.
var ErrUnsupported = errors.New("unsupported tuple element")

// Type codes, from design/tuple.md.
const (
	codeNil          = 0x00
	codeBytes        = 0x01
	codeString       = 0x02
	codeNested       = 0x05
	codeNegBigInt    = 0x0b
	codeIntZero      = 0x14
	codePosBigInt    = 0x1d
	codeFloat        = 0x20
	codeDouble       = 0x21
	codeFalse        = 0x26
	codeTrue         = 0x27
	codeUUID         = 0x30
	codeVersionstamp = 0x33

	escapeByte = 0xff
)

// Pack returns the encoding of t. The result is a new slice owned by the
// caller; the empty tuple packs to an empty slice.
//
// Pack panics if t cannot be encoded (see ErrUnsupported): that is a
// programming error, like an impossible type assertion. Code that packs
// values of types it does not control should call Append, which returns an
// error instead.
func (t Tuple) Pack() []byte {
	b, err := Append(make([]byte, 0, t.sizeHint()), t)
	if err != nil {
		panic(err)
	}
	return b
}

// Append appends the encoding of t to dst and returns the extended slice.
// It returns an error wrapping ErrUnsupported if t cannot be encoded; dst's
// contents up to its original length are unchanged in that case.
func Append(dst []byte, t Tuple) ([]byte, error) {
	for i, e := range t {
		var err error
		dst, err = appendElem(dst, e, false, 0)
		if err != nil {
			return dst, fmt.Errorf("tuple element %d: %w", i, err)
		}
	}
	return dst, nil
}

// Range returns the key range [begin, end) that holds every key that has
// t's encoding as a strict prefix and continues with another tuple element:
// begin = t.Pack()+0x00 and end = t.Pack()+0xff. It panics like Pack.
func (t Tuple) Range() (begin, end []byte) {
	p := t.Pack()
	begin = make([]byte, len(p)+1)
	copy(begin, p)
	begin[len(p)] = 0x00
	end = make([]byte, len(p)+1)
	copy(end, p)
	end[len(p)] = 0xff
	return begin, end
}

// sizeHint guesses the packed size of t to size Pack's buffer.
func (t Tuple) sizeHint() int {
	n := 0
	for _, e := range t {
		switch e := e.(type) {
		case string:
			n += len(e) + 2
		case []byte:
			n += len(e) + 2
		case Tuple:
			n += e.sizeHint() + 2
		default:
			n += 9
		}
	}
	return n
}

func appendElem(dst []byte, e any, nested bool, depth int) ([]byte, error) {
	switch e := e.(type) {
	case nil:
		if nested {
			return append(dst, codeNil, escapeByte), nil
		}
		return append(dst, codeNil), nil
	case []byte:
		return appendEscaped(append(dst, codeBytes), e), nil
	case string:
		return appendEscaped(append(dst, codeString), e), nil
	case Tuple:
		if depth >= MaxDepth {
			return dst, fmt.Errorf("tuples nested deeper than %d: %w", MaxDepth, ErrUnsupported)
		}
		dst = append(dst, codeNested)
		for i, x := range e {
			var err error
			dst, err = appendElem(dst, x, true, depth+1)
			if err != nil {
				return dst, fmt.Errorf("nested element %d: %w", i, err)
			}
		}
		return append(dst, 0x00), nil
	case bool:
		if e {
			return append(dst, codeTrue), nil
		}
		return append(dst, codeFalse), nil
	case int:
		return appendInt64(dst, int64(e)), nil
	case int8:
		return appendInt64(dst, int64(e)), nil
	case int16:
		return appendInt64(dst, int64(e)), nil
	case int32:
		return appendInt64(dst, int64(e)), nil
	case int64:
		return appendInt64(dst, e), nil
	case uint:
		return appendUint64(dst, uint64(e)), nil
	case uint8:
		return appendUint64(dst, uint64(e)), nil
	case uint16:
		return appendUint64(dst, uint64(e)), nil
	case uint32:
		return appendUint64(dst, uint64(e)), nil
	case uint64:
		return appendUint64(dst, e), nil
	case uintptr:
		return appendUint64(dst, uint64(e)), nil
	case *big.Int:
		return appendBigInt(dst, e)
	case float32:
		return binary.BigEndian.AppendUint32(append(dst, codeFloat), encodeFloat32(e)), nil
	case float64:
		return binary.BigEndian.AppendUint64(append(dst, codeDouble), encodeFloat64(e)), nil
	case UUID:
		return append(append(dst, codeUUID), e[:]...), nil
	case Versionstamp:
		dst = append(append(dst, codeVersionstamp), e.TransactionVersion[:]...)
		return binary.BigEndian.AppendUint16(dst, e.UserVersion), nil
	default:
		return dst, fmt.Errorf("type %T: %w", e, ErrUnsupported)
	}
}

// appendEscaped appends s with every 0x00 written as 0x00 0xff, then the
// terminating 0x00.
func appendEscaped[S string | []byte](dst []byte, s S) []byte {
	for i := 0; i < len(s); i++ {
		dst = append(dst, s[i])
		if s[i] == 0x00 {
			dst = append(dst, escapeByte)
		}
	}
	return append(dst, 0x00)
}

func appendUint64(dst []byte, u uint64) []byte {
	n := (bits.Len64(u) + 7) / 8
	dst = append(dst, byte(codeIntZero+n))
	return appendLowBytes(dst, u, n)
}

func appendInt64(dst []byte, v int64) []byte {
	if v >= 0 {
		return appendUint64(dst, uint64(v))
	}
	mag := uint64(^v) + 1 // |v|, also right for math.MinInt64
	n := (bits.Len64(mag) + 7) / 8
	dst = append(dst, byte(codeIntZero-n))
	// A negative number is stored as v + (2^(8n) - 1), which within n bytes
	// is the one's complement of its magnitude.
	return appendLowBytes(dst, ^mag, n)
}

// appendLowBytes appends the low n bytes of u, big-endian.
func appendLowBytes(dst []byte, u uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, byte(u>>(8*i)))
	}
	return dst
}

func appendBigInt(dst []byte, v *big.Int) ([]byte, error) {
	if v == nil {
		return dst, fmt.Errorf("nil *big.Int: %w", ErrUnsupported)
	}
	if v.IsInt64() {
		return appendInt64(dst, v.Int64()), nil
	}
	if v.IsUint64() {
		return appendUint64(dst, v.Uint64()), nil
	}
	// Only large magnitudes reach this point: more than 8 bytes, or a
	// negative number below math.MinInt64.
	n := (v.BitLen() + 7) / 8
	if n > maxBigIntBytes {
		return dst, fmt.Errorf("integer of %d bytes, more than %d: %w", n, maxBigIntBytes, ErrUnsupported)
	}
	mag := v.Bytes() // absolute value, big-endian, no leading zeros: len == n
	if v.Sign() > 0 {
		if n <= 8 {
			dst = append(dst, byte(codeIntZero+n))
		} else {
			dst = append(dst, codePosBigInt, byte(n))
		}
		return append(dst, mag...), nil
	}
	if n <= 8 {
		dst = append(dst, byte(codeIntZero-n))
	} else {
		dst = append(dst, codeNegBigInt, byte(n)^0xff)
	}
	for _, c := range mag {
		dst = append(dst, ^c)
	}
	return dst, nil
}

// encodeFloat32 returns the order-preserving form of f's IEEE bits: negative
// numbers have every bit flipped, others only the sign bit.
func encodeFloat32(f float32) uint32 {
	u := math.Float32bits(f)
	if u&(1<<31) != 0 {
		return ^u
	}
	return u ^ (1 << 31)
}

func decodeFloat32(u uint32) float32 {
	if u&(1<<31) == 0 {
		u = ^u
	} else {
		u ^= 1 << 31
	}
	return math.Float32frombits(u)
}

func encodeFloat64(f float64) uint64 {
	u := math.Float64bits(f)
	if u&(1<<63) != 0 {
		return ^u
	}
	return u ^ (1 << 63)
}

func decodeFloat64(u uint64) float64 {
	if u&(1<<63) == 0 {
		u = ^u
	} else {
		u ^= 1 << 63
	}
	return math.Float64frombits(u)
}
