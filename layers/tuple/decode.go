package tuple

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
)

// Unpack decodes b, the encoding of a tuple, into a new Tuple. It returns an
// error wrapping ErrMalformed if b is not a valid encoding; it never panics.
// The result shares no memory with b.
//
// Unpack accepts integers in non-minimal forms that other FoundationDB
// bindings may write (for example FoundationDB's Python binding writes
// 2^64-1 with type code 0x1d). Pack always writes the minimal form, so for
// such input Pack(Unpack(b)) is shorter than b but decodes to the same tuple.
func Unpack(b []byte) (Tuple, error) {
	t, _, err := unpack(b)
	return t, err
}

// unpack is Unpack that also reports whether b was in canonical form, that is
// whether Pack of the result gives back exactly b.
func unpack(b []byte) (Tuple, bool, error) {
	d := decoder{b: b, canonical: true}
	t := Tuple{}
	for d.pos < len(d.b) {
		e, err := d.elem(0)
		if err != nil {
			return nil, false, err
		}
		t = append(t, e)
	}
	return t, d.canonical, nil
}

type decoder struct {
	b         []byte
	pos       int
	canonical bool
}

func (d *decoder) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// take returns the next n bytes, or an error naming what was being read.
func (d *decoder) take(n int, what string, start int) ([]byte, error) {
	if n > len(d.b)-d.pos {
		return nil, d.errorf("%s at offset %d: need %d bytes, have %d", what, start, n, len(d.b)-d.pos)
	}
	p := d.b[d.pos : d.pos+n]
	d.pos += n
	return p, nil
}

// elem decodes the element at d.pos; depth is the nesting depth of the tuple
// that holds it.
func (d *decoder) elem(depth int) (any, error) {
	start := d.pos
	code := d.b[d.pos]
	d.pos++
	switch {
	case code == codeNil:
		return nil, nil
	case code == codeBytes:
		b, fresh, err := d.escaped(start, "byte string")
		if err != nil {
			return nil, err
		}
		if !fresh {
			b = bytes.Clone(b)
			if b == nil {
				b = []byte{}
			}
		}
		return b, nil
	case code == codeString:
		s, _, err := d.escaped(start, "string")
		if err != nil {
			return nil, err
		}
		return string(s), nil
	case code == codeNested:
		return d.nested(start, depth+1)
	case code > codeNegBigInt && code < codePosBigInt:
		return d.integer(code, start)
	case code == codePosBigInt || code == codeNegBigInt:
		return d.bigInteger(code, start)
	case code == codeFloat:
		p, err := d.take(4, "float32", start)
		if err != nil {
			return nil, err
		}
		return decodeFloat32(binary.BigEndian.Uint32(p)), nil
	case code == codeDouble:
		p, err := d.take(8, "float64", start)
		if err != nil {
			return nil, err
		}
		return decodeFloat64(binary.BigEndian.Uint64(p)), nil
	case code == codeFalse:
		return false, nil
	case code == codeTrue:
		return true, nil
	case code == codeUUID:
		p, err := d.take(16, "UUID", start)
		if err != nil {
			return nil, err
		}
		return UUID(p), nil
	case code == codeVersionstamp:
		p, err := d.take(12, "versionstamp", start)
		if err != nil {
			return nil, err
		}
		return Versionstamp{
			TransactionVersion: [10]byte(p[:10]),
			UserVersion:        binary.BigEndian.Uint16(p[10:]),
		}, nil
	default:
		return nil, d.errorf("unknown type code 0x%02x at offset %d", code, start)
	}
}

// escaped decodes the body of a byte string or string: bytes up to a 0x00
// that is not followed by 0xff, with each 0x00 0xff read as 0x00. When the
// body has no escapes the result aliases d.b (fresh is false) and the caller
// must copy it.
func (d *decoder) escaped(start int, what string) (body []byte, fresh bool, err error) {
	var out []byte
	from := d.pos
	for {
		i := bytes.IndexByte(d.b[d.pos:], 0x00)
		if i < 0 {
			return nil, false, d.errorf("unterminated %s at offset %d", what, start)
		}
		end := d.pos + i
		d.pos = end + 1
		if d.pos < len(d.b) && d.b[d.pos] == escapeByte {
			if out == nil {
				out = make([]byte, 0, len(d.b)-from)
			}
			out = append(out, d.b[from:end+1]...) // keeps the 0x00
			d.pos++
			from = d.pos
			continue
		}
		if out == nil {
			return d.b[from:end], false, nil
		}
		return append(out, d.b[from:end]...), true, nil
	}
}

func (d *decoder) nested(start, depth int) (Tuple, error) {
	if depth > MaxDepth {
		return nil, d.errorf("tuple at offset %d nested deeper than %d", start, MaxDepth)
	}
	t := Tuple{}
	for {
		if d.pos >= len(d.b) {
			return nil, d.errorf("unterminated nested tuple at offset %d", start)
		}
		if d.b[d.pos] == 0x00 {
			if d.pos+1 < len(d.b) && d.b[d.pos+1] == escapeByte {
				t = append(t, nil)
				d.pos += 2
				continue
			}
			d.pos++
			return t, nil
		}
		e, err := d.elem(depth)
		if err != nil {
			return nil, err
		}
		t = append(t, e)
	}
}

// integer decodes type codes 0x0c..0x1c: an integer of up to 8 bytes.
func (d *decoder) integer(code byte, start int) (any, error) {
	n := int(code) - codeIntZero
	neg := n < 0
	if neg {
		n = -n
	}
	p, err := d.take(n, "integer", start)
	if err != nil {
		return nil, err
	}
	var u uint64
	for _, c := range p {
		u = u<<8 | uint64(c)
	}
	if !neg {
		if n > 0 && p[0] == 0x00 {
			d.canonical = false
		}
		return normalizeUint(u), nil
	}
	if p[0] == 0xff {
		d.canonical = false
	}
	// The stored value is v + (2^(8n) - 1): the magnitude is its one's
	// complement within n bytes.
	mag := ^u
	if n < 8 {
		mag &= 1<<(8*n) - 1
	}
	return negateMagnitude(mag), nil
}

// bigInteger decodes type codes 0x1d and 0x0b: a length byte (bit-flipped
// for negative numbers) then that many bytes of magnitude (one's complement
// for negative numbers).
func (d *decoder) bigInteger(code byte, start int) (any, error) {
	lb, err := d.take(1, "integer length", start)
	if err != nil {
		return nil, err
	}
	neg := code == codeNegBigInt
	n := int(lb[0])
	if neg {
		n ^= 0xff
	}
	p, err := d.take(n, "integer", start)
	if err != nil {
		return nil, err
	}
	mag := make([]byte, n)
	copy(mag, p)
	if neg {
		for i := range mag {
			mag[i] = ^mag[i]
		}
	}
	if n <= 8 || mag[0] == 0x00 {
		d.canonical = false
	}
	trimmed := bytes.TrimLeft(mag, "\x00")
	if len(trimmed) <= 8 {
		var u uint64
		for _, c := range trimmed {
			u = u<<8 | uint64(c)
		}
		if !neg {
			return normalizeUint(u), nil
		}
		return negateMagnitude(u), nil
	}
	v := new(big.Int).SetBytes(trimmed)
	if neg {
		v.Neg(v)
	}
	return v, nil
}

// normalizeUint returns u as int64 when it fits, else as uint64.
func normalizeUint(u uint64) any {
	if u <= math.MaxInt64 {
		return int64(u)
	}
	return u
}

// negateMagnitude returns -mag as int64 when it fits, else as *big.Int.
func negateMagnitude(mag uint64) any {
	if mag <= 1<<63 {
		return -int64(mag) // for mag == 1<<63 this wraps to math.MinInt64, as wanted
	}
	v := new(big.Int).SetUint64(mag)
	return v.Neg(v)
}
