package types

// One-dimensional arrays: text input ('{1,2,NULL}', quoting and escapes),
// text output with PostgreSQL's quoting rules, order and key encoding.

import (
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// maxArrayElems bounds the elements of an array read from text, as
// MaxArraySize does.
const maxArrayElems = 134217727

func malformedArray(s, detail string) *sqlerr.Error {
	return sqlerr.New(sqlerr.InvalidTextRepresentation, "malformed array literal: \"%s\"", s).WithDetail("%s", detail)
}

// isArraySpace is array_isspace.
func isArraySpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// parseArray is array_in for a one-dimensional array of elem.
func parseArray(env *Env, elem Kind, s string) (Value, error) {
	i := 0
	for i < len(s) && isArraySpace(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '[' {
		// Dimension decoration: only [1:n]= (or [n]=) is supported.
		end := strings.Index(s[i:], "]")
		if end < 0 {
			return Null, malformedArray(s, "Missing \"]\" in array dimensions.")
		}
		dims := s[i+1 : i+end]
		i += end + 1
		if i < len(s) && s[i] == '[' {
			return Null, sqlerr.Unsupported("multidimensional arrays are not supported")
		}
		if lo, _, ok := strings.Cut(dims, ":"); ok && trimSpace(lo) != "1" {
			return Null, sqlerr.Unsupported("arrays with a lower bound other than 1 are not supported")
		}
		for i < len(s) && isArraySpace(s[i]) {
			i++
		}
		if i >= len(s) || s[i] != '=' {
			return Null, malformedArray(s, "Missing \"=\" after array dimensions.")
		}
		i++
		for i < len(s) && isArraySpace(s[i]) {
			i++
		}
	}
	if i >= len(s) || s[i] != '{' {
		return Null, malformedArray(s, "Array value must start with \"{\" or dimension information.")
	}
	i++
	var elems []Value
	for i < len(s) && isArraySpace(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '}' {
		i++
		for i < len(s) && isArraySpace(s[i]) {
			i++
		}
		if i != len(s) {
			return Null, malformedArray(s, "Junk after closing right brace.")
		}
		return NewArray(elem, []Value{}), nil
	}
	for {
		for i < len(s) && isArraySpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return Null, malformedArray(s, "Unexpected end of input.")
		}
		switch s[i] {
		case '{':
			if len(elems) == 0 {
				return Null, sqlerr.Unsupported("multidimensional arrays are not supported")
			}
			return Null, malformedArray(s, "Unexpected \"{\" character.")
		case '}', ',':
			return Null, malformedArray(s, "Unexpected \""+string(s[i])+"\" character.")
		}
		var b strings.Builder
		quoted, sawQuote := false, false
		lastNonSpace := 0 // length of b up to its last unquoted non-space
	elem:
		for {
			if i >= len(s) {
				return Null, malformedArray(s, "Unexpected end of input.")
			}
			c := s[i]
			switch {
			case c == '\\':
				if i+1 >= len(s) {
					return Null, malformedArray(s, "Unexpected end of input.")
				}
				b.WriteByte(s[i+1])
				i += 2
				lastNonSpace = b.Len()
			case c == '"':
				if !quoted && sawQuote {
					return Null, malformedArray(s, "Unexpected array element.")
				}
				if !quoted && b.Len() > 0 {
					return Null, malformedArray(s, "Unexpected array element.")
				}
				quoted = !quoted
				sawQuote = true
				i++
				lastNonSpace = b.Len()
			case quoted:
				b.WriteByte(c)
				i++
				lastNonSpace = b.Len()
			case c == ',' || c == '}':
				break elem
			case c == '{':
				return Null, malformedArray(s, "Unexpected \"{\" character.")
			case isArraySpace(c):
				if sawQuote {
					i++
					continue
				}
				b.WriteByte(c)
				i++
			default:
				if sawQuote {
					return Null, malformedArray(s, "Unexpected array element.")
				}
				b.WriteByte(c)
				i++
				lastNonSpace = b.Len()
			}
		}
		text := b.String()[:lastNonSpace]
		if !sawQuote && strings.EqualFold(text, "NULL") {
			elems = append(elems, Null)
		} else {
			v, err := parseKindEnv(env, elem, text)
			if err != nil {
				return Null, err
			}
			elems = append(elems, v)
		}
		if len(elems) > maxArrayElems {
			return Null, sqlerr.New(sqlerr.ProgramLimitExceeded, "array size exceeds the maximum allowed (%d)", maxArrayElems)
		}
		if s[i] == ',' {
			i++
			continue
		}
		i++ // }
		for i < len(s) && isArraySpace(s[i]) {
			i++
		}
		if i != len(s) {
			return Null, malformedArray(s, "Junk after closing right brace.")
		}
		return NewArray(elem, elems), nil
	}
}

// appendArray is array_out.
func appendArray(buf []byte, v Value, env *Env) []byte {
	buf = append(buf, '{')
	for i, e := range v.Elems() {
		if i > 0 {
			buf = append(buf, ',')
		}
		if e.IsNull() {
			buf = append(buf, "NULL"...)
			continue
		}
		start := len(buf)
		buf = e.AppendTextEnv(buf, env)
		text := string(buf[start:])
		if needsArrayQuote(text) {
			buf = buf[:start]
			buf = append(buf, '"')
			for j := 0; j < len(text); j++ {
				if text[j] == '"' || text[j] == '\\' {
					buf = append(buf, '\\')
				}
				buf = append(buf, text[j])
			}
			buf = append(buf, '"')
		}
	}
	return append(buf, '}')
}

// needsArrayQuote reports whether an element's text must be quoted in
// array output.
func needsArrayQuote(s string) bool {
	if s == "" || strings.EqualFold(s, "NULL") {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"', c == '\\', c == '{', c == '}', c == ',', isArraySpace(c):
			return true
		}
	}
	return false
}

// compareArrays orders arrays as array_cmp: element by element (NULL
// greater than any value), then the shorter first.
func compareArrays(a, b Value) int {
	ea, eb := a.Elems(), b.Elems()
	for i := 0; i < len(ea) && i < len(eb); i++ {
		x, y := ea[i], eb[i]
		switch {
		case x.IsNull() && y.IsNull():
			continue
		case x.IsNull():
			return 1
		case y.IsNull():
			return -1
		}
		if c := Compare(x, y); c != 0 {
			return c
		}
	}
	return cmpInt(int64(len(ea)), int64(len(eb)))
}

// arrayKey returns an order-preserving encoding of an array: each element
// as 0x02 and its key bytes (0x03 for NULL), then 0x01.
func arrayKey(v Value) []byte {
	var buf []byte
	for _, e := range v.Elems() {
		if e.IsNull() {
			buf = append(buf, 0x03)
			continue
		}
		buf = append(buf, 0x02)
		buf = appendKeyBytes(buf, e)
	}
	return append(buf, 0x01)
}
