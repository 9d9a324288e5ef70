package types

// bytea (hex and escape input, hex output) and uuid.

import (
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

const hexDigits = "0123456789abcdef"

// appendByteaHex is byteaout with bytea_output = hex.
func appendByteaHex(buf []byte, b string) []byte {
	buf = append(buf, '\\', 'x')
	for i := 0; i < len(b); i++ {
		buf = append(buf, hexDigits[b[i]>>4], hexDigits[b[i]&15])
	}
	return buf
}

// unhex returns the value of a hex digit, or -1.
func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// parseBytea is byteain: \x followed by hex pairs (whitespace allowed
// between pairs), or the escape format (\\ and \ooo octal escapes).
func parseBytea(s string) (Value, error) {
	if len(s) >= 2 && s[0] == '\\' && s[1] == 'x' {
		out := make([]byte, 0, (len(s)-2)/2)
		for i := 2; i < len(s); {
			c := s[i]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				i++
				continue
			}
			hi := unhex(c)
			if hi < 0 {
				return Null, sqlerr.New(sqlerr.InvalidParameterValue, "invalid hexadecimal digit: \"%s\"", s[i:i+utf8Len(s[i:])])
			}
			if i+1 >= len(s) {
				return Null, sqlerr.New(sqlerr.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
			}
			lo := unhex(s[i+1])
			if lo < 0 {
				return Null, sqlerr.New(sqlerr.InvalidParameterValue, "invalid hexadecimal digit: \"%s\"", s[i+1:i+1+utf8Len(s[i+1:])])
			}
			out = append(out, byte(hi<<4|lo))
			i += 2
		}
		return NewBytea(out), nil
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			out = append(out, s[i])
			i++
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			out = append(out, '\\')
			i += 2
		case i+3 < len(s)+0 && s[i+1] >= '0' && s[i+1] <= '3' && s[i+2] >= '0' && s[i+2] <= '7' && s[i+3] >= '0' && s[i+3] <= '7':
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 4
		default:
			return Null, sqlerr.New(sqlerr.InvalidTextRepresentation, "invalid input syntax for type bytea")
		}
	}
	return NewBytea(out), nil
}

// utf8Len returns the byte length of the first character of s.
func utf8Len(s string) int {
	for i := range s {
		if i > 0 {
			return i
		}
	}
	return len(s)
}

// appendUUID is uuid_out: 8-4-4-4-12 lower-case hex digits.
func appendUUID(buf []byte, u string) []byte {
	for i := 0; i < len(u); i++ {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			buf = append(buf, '-')
		}
		buf = append(buf, hexDigits[u[i]>>4], hexDigits[u[i]&15])
	}
	return buf
}

// parseUUID is uuid_in: 32 hex digits, optionally in braces, with a
// hyphen allowed after any group of four digits.
func parseUUID(s string) (Value, error) {
	bad := func() (Value, error) {
		return Null, sqlerr.New(sqlerr.InvalidTextRepresentation, "invalid input syntax for type uuid: \"%s\"", s)
	}
	t := s
	braces := strings.HasPrefix(t, "{")
	if braces {
		t = t[1:]
	}
	var u [16]byte
	n := 0
	i := 0
	for n < 32 {
		if i+1 >= len(t) {
			return bad()
		}
		hi, lo := unhex(t[i]), unhex(t[i+1])
		if hi < 0 || lo < 0 {
			return bad()
		}
		u[n/2] = byte(hi<<4 | lo)
		n += 2
		i += 2
		if n%4 == 0 && n < 32 && i < len(t) && t[i] == '-' {
			i++
		}
	}
	if braces {
		if i >= len(t) || t[i] != '}' {
			return bad()
		}
		i++
	}
	if i != len(t) {
		return bad()
	}
	return NewUUID(u), nil
}

// RandomUUID returns a random (version 4) uuid, as gen_random_uuid().
func RandomUUID() (Value, error) {
	var u [16]byte
	if _, err := rand.Read(u[:]); err != nil {
		return Null, fmt.Errorf("gen_random_uuid: %w", err)
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return NewUUID(u), nil
}
