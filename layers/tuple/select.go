package tuple

// Partial decoding: the elements a caller asks for, without allocating for
// the ones it skips.

import (
	"bytes"
	"math"
)

// UnpackSelect decodes the top-level elements of b whose positions are
// true in want, appending them to dst[:0] and returning the result. A
// skipped element, and any element at or past len(want), is left nil in
// the result; decoding stops after the last wanted element, so the result
// holds at most len(want) elements and may be shorter than the encoded
// tuple. Skipped elements are checked only as far as needed to find their
// end. The decoded elements share no memory with b. It returns an error
// wrapping ErrMalformed if the part of b it reads is not a valid encoding;
// it never panics.
func UnpackSelect(dst Tuple, b []byte, want []bool) (Tuple, error) {
	last := len(want) - 1
	for last >= 0 && !want[last] {
		last--
	}
	t := dst[:0]
	d := decoder{b: b, canonical: true}
	for i := 0; i <= last && d.pos < len(d.b); i++ {
		if !want[i] {
			if err := d.skip(0); err != nil {
				return nil, err
			}
			t = append(t, nil)
			continue
		}
		e, err := d.elem(0)
		if err != nil {
			return nil, err
		}
		t = append(t, e)
	}
	return t, nil
}

// skip moves past the element at d.pos without building it; depth is the
// nesting depth of the tuple that holds it.
func (d *decoder) skip(depth int) error {
	start := d.pos
	code := d.b[d.pos]
	d.pos++
	var n int
	switch {
	case code == codeNil, code == codeFalse, code == codeTrue:
		return nil
	case code == codeBytes || code == codeString:
		return d.skipEscaped(start)
	case code == codeNested:
		if depth+1 > MaxDepth {
			return d.errorf("tuple at offset %d nested deeper than %d", start, MaxDepth)
		}
		for {
			if d.pos >= len(d.b) {
				return d.errorf("unterminated nested tuple at offset %d", start)
			}
			if d.b[d.pos] == 0x00 {
				if d.pos+1 < len(d.b) && d.b[d.pos+1] == escapeByte {
					d.pos += 2
					continue
				}
				d.pos++
				return nil
			}
			if err := d.skip(depth + 1); err != nil {
				return err
			}
		}
	case code > codeNegBigInt && code < codePosBigInt:
		n = int(code) - codeIntZero
		if n < 0 {
			n = -n
		}
	case code == codePosBigInt || code == codeNegBigInt:
		lb, err := d.take(1, "integer length", start)
		if err != nil {
			return err
		}
		n = int(lb[0])
		if code == codeNegBigInt {
			n ^= 0xff
		}
	case code == codeFloat:
		n = 4
	case code == codeDouble:
		n = 8
	case code == codeUUID:
		n = 16
	case code == codeVersionstamp:
		n = 12
	default:
		return d.errorf("unknown type code 0x%02x at offset %d", code, start)
	}
	_, err := d.take(n, "element", start)
	return err
}

// skipEscaped moves past the body of a byte string or string.
func (d *decoder) skipEscaped(start int) error {
	for {
		i := bytes.IndexByte(d.b[d.pos:], 0x00)
		if i < 0 {
			return d.errorf("unterminated string at offset %d", start)
		}
		d.pos += i + 1
		if d.pos < len(d.b) && d.b[d.pos] == escapeByte {
			d.pos++
			continue
		}
		return nil
	}
}

// AppendInt appends the encoding of the integer element v to dst: the bytes
// Append adds for a tuple holding just v.
func AppendInt(dst []byte, v int64) []byte { return appendInt64(dst, v) }

// AppendString appends the encoding of the string element s to dst: the
// bytes Append adds for a tuple holding just s.
func AppendString(dst []byte, s string) []byte {
	return appendEscaped(append(dst, codeString), s)
}

// UnpackRaw finds the top-level elements of b whose positions are true in
// want and appends their encodings to dst[:0], nil for the others, like
// UnpackSelect but without decoding: the encodings alias b. Decode them
// with RawInt, RawString or Unpack.
func UnpackRaw(dst [][]byte, b []byte, want []bool) ([][]byte, error) {
	last := len(want) - 1
	for last >= 0 && !want[last] {
		last--
	}
	t := dst[:0]
	d := decoder{b: b, canonical: true}
	for i := 0; i <= last && d.pos < len(d.b); i++ {
		start := d.pos
		if err := d.skip(0); err != nil {
			return nil, err
		}
		if want[i] {
			t = append(t, b[start:d.pos:d.pos])
		} else {
			t = append(t, nil)
		}
	}
	return t, nil
}

// RawInt decodes the encoding of one element when it is an integer that
// fits an int64; ok is false otherwise.
func RawInt(raw []byte) (v int64, ok bool) {
	if len(raw) == 0 || raw[0] <= codeNegBigInt || raw[0] >= codePosBigInt {
		return 0, false
	}
	n := int(raw[0]) - codeIntZero
	neg := n < 0
	if neg {
		n = -n
	}
	if len(raw) != 1+n {
		return 0, false
	}
	var u uint64
	for _, c := range raw[1:] {
		u = u<<8 | uint64(c)
	}
	if !neg {
		if u > math.MaxInt64 {
			return 0, false
		}
		return int64(u), true
	}
	mag := ^u
	if n < 8 {
		mag &= 1<<(8*n) - 1
	}
	if mag > 1<<63 {
		return 0, false
	}
	return -int64(mag), true
}

// RawString decodes the encoding of one element when it is a string; ok
// is false otherwise.
func RawString(raw []byte) (s string, ok bool) {
	if len(raw) < 2 || raw[0] != codeString || raw[len(raw)-1] != 0x00 {
		return "", false
	}
	body := raw[1 : len(raw)-1]
	if bytes.IndexByte(body, 0x00) < 0 {
		return string(body), true
	}
	d := decoder{b: raw, pos: 1}
	b, _, err := d.escaped(0, "string")
	if err != nil || d.pos != len(raw) {
		return "", false
	}
	return string(b), true
}
