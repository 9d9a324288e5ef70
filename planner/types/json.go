package types

// json (validated text) and jsonb (a normalised tree: keys sorted by
// length then bytes, duplicates resolved to the last value, numbers as
// numerics), with jsonb's text output and btree order.

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/cockroachdb/apd/v3"
)

// maxJSONDepth bounds the nesting of JSON input, as max_stack_depth does
// in PostgreSQL.
const maxJSONDepth = 6000

// jsonNode is a parsed JSON value.
type jsonNode struct {
	kind  byte         // 'n' null, 'b' boolean, 'N' number, 's' string, 'a' array, 'o' object
	b     bool         // boolean
	num   *apd.Decimal // number
	str   string       // string
	elems []*jsonNode  // array elements, object values
	keys  []string     // object keys, in jsonb order
	raw   string       // the source text (json operators only)
}

// jsonParser is a recursive-descent JSON parser that reports errors as
// PostgreSQL's JSON lexer does.
type jsonParser struct {
	s     string
	pos   int
	depth int
	jsonb bool // refuse \u0000
	build bool // build the tree (jsonb) or only validate (json)
	raw   bool // keep source texts, key order and duplicates (json)
}

func (p *jsonParser) fail(detail string, args ...any) *sqlerr.Error {
	return sqlerr.New(sqlerr.InvalidTextRepresentation, "invalid input syntax for type json").WithDetail(detail, args...)
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// isDelim reports whether c ends a bare token.
func isJSONDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '{', '}', '[', ']', ',', ':', '"':
		return true
	}
	return false
}

// token returns the text of the token at pos, for messages.
func (p *jsonParser) token() string {
	if p.pos >= len(p.s) {
		return ""
	}
	c := p.s[p.pos]
	if c == '"' {
		end := p.pos + 1
		for end < len(p.s) && p.s[end] != '"' {
			if p.s[end] == '\\' {
				end++
			}
			end++
		}
		return p.s[p.pos:min(end+1, len(p.s))]
	}
	if isJSONDelim(c) {
		return string(c)
	}
	end := p.pos
	for end < len(p.s) && !isJSONDelim(p.s[end]) {
		end++
	}
	return p.s[p.pos:end]
}

func (p *jsonParser) unexpected(expect string) *sqlerr.Error {
	if p.pos >= len(p.s) {
		return p.fail("The input string ended unexpectedly.")
	}
	tok := p.token()
	if !isJSONDelim(p.s[p.pos]) && !validBareToken(tok) {
		return p.fail("Token \"%s\" is invalid.", tok)
	}
	return p.fail("Expected %s, but found \"%s\".", expect, tok)
}

// validBareToken reports whether tok is a JSON number or keyword.
func validBareToken(tok string) bool {
	switch tok {
	case "true", "false", "null":
		return true
	}
	return jsonNumberLen(tok) == len(tok) && tok != ""
}

// jsonNumberLen returns the length of the JSON number at the start of s.
func jsonNumberLen(s string) int {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return -1
	}
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return -1
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return -1
		}
	}
	return i
}

func (p *jsonParser) value() (*jsonNode, error) {
	p.skipSpace()
	if p.raw {
		start := p.pos
		n, err := p.value1()
		if err != nil {
			return nil, err
		}
		n.raw = p.s[start:p.pos]
		return n, nil
	}
	return p.value1()
}

func (p *jsonParser) value1() (*jsonNode, error) {
	if p.pos >= len(p.s) {
		return nil, p.fail("The input string ended unexpectedly.")
	}
	switch c := p.s[p.pos]; c {
	case '{':
		return p.object()
	case '[':
		return p.array()
	case '"':
		s, err := p.string()
		if err != nil {
			return nil, err
		}
		return &jsonNode{kind: 's', str: s}, nil
	case '}', ']', ',', ':':
		return nil, p.fail("Expected JSON value, but found \"%c\".", c)
	}
	tok := p.token()
	p.pos += len(tok)
	switch tok {
	case "true":
		return &jsonNode{kind: 'b', b: true}, nil
	case "false":
		return &jsonNode{kind: 'b'}, nil
	case "null":
		return &jsonNode{kind: 'n'}, nil
	}
	if jsonNumberLen(tok) != len(tok) {
		return nil, p.fail("Token \"%s\" is invalid.", tok)
	}
	if !p.build {
		return &jsonNode{kind: 'N'}, nil
	}
	d, err := parseNumeric(tok)
	if err != nil {
		return nil, err
	}
	return &jsonNode{kind: 'N', num: NewNumeric(d).d}, nil
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return sqlerr.New(sqlerr.StatementTooComplex, "stack depth limit exceeded").
			WithHint("Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), after ensuring the platform's stack depth limit is adequate.")
	}
	return nil
}

func (p *jsonParser) array() (*jsonNode, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.pos++ // [
	n := &jsonNode{kind: 'a'}
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == ']' {
		p.pos++
		return n, nil
	}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if p.build {
			n.elems = append(n.elems, v)
		}
		p.skipSpace()
		if p.pos < len(p.s) && p.s[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.s) && p.s[p.pos] == ']' {
			p.pos++
			return n, nil
		}
		return nil, p.unexpected(`"," or "]"`)
	}
}

func (p *jsonParser) object() (*jsonNode, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.pos++ // {
	n := &jsonNode{kind: 'o'}
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == '}' {
		p.pos++
		return n, nil
	}
	first := true
	for {
		p.skipSpace()
		if p.pos >= len(p.s) || p.s[p.pos] != '"' {
			if first {
				return nil, p.unexpected(`string or "}"`)
			}
			return nil, p.unexpected("string")
		}
		first = false
		k, err := p.string()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.s) || p.s[p.pos] != ':' {
			return nil, p.unexpected(`":"`)
		}
		p.pos++
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if p.build {
			n.keys = append(n.keys, k)
			n.elems = append(n.elems, v)
		}
		p.skipSpace()
		if p.pos < len(p.s) && p.s[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.s) && p.s[p.pos] == '}' {
			p.pos++
			if p.build && !p.raw {
				n.normalize()
			}
			return n, nil
		}
		return nil, p.unexpected(`"," or "}"`)
	}
}

// string reads a JSON string at pos (on its opening quote).
func (p *jsonParser) string() (string, error) {
	start := p.pos
	p.pos++
	var b strings.Builder
	for {
		if p.pos >= len(p.s) {
			return "", p.fail("Token \"%s\" is invalid.", p.s[start:])
		}
		c := p.s[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c < 0x20:
			return "", p.fail("Character with value 0x%02x must be escaped.", c)
		case c != '\\':
			b.WriteByte(c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.s) {
			return "", p.fail("The input string ended unexpectedly.")
		}
		e := p.s[p.pos+1]
		p.pos += 2
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, err := p.hex4()
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) && p.build {
				if r >= 0xDC00 {
					return "", p.fail("Unicode low surrogate must follow a high surrogate.")
				}
				if p.pos+1 >= len(p.s) || p.s[p.pos] != '\\' || p.s[p.pos+1] != 'u' {
					return "", p.fail("Unicode low surrogate must follow a high surrogate.")
				}
				p.pos += 2
				r2, err := p.hex4()
				if err != nil {
					return "", err
				}
				if r2 < 0xDC00 || r2 > 0xDFFF {
					return "", p.fail("Unicode low surrogate must follow a high surrogate.")
				}
				r = utf16.DecodeRune(r, r2)
			}
			if r == 0 && p.jsonb {
				return "", sqlerr.New("22P05", "unsupported Unicode escape sequence").
					WithDetail("\\u0000 cannot be converted to text.")
			}
			b.WriteRune(r)
		default:
			return "", p.fail("Escape sequence \"\\%s\" is invalid.", p.s[p.pos-1:p.pos-1+utf8Len(p.s[p.pos-1:])])
		}
	}
}

func (p *jsonParser) hex4() (rune, error) {
	if p.pos+4 > len(p.s) {
		return 0, p.fail("\"\\u\" must be followed by four hexadecimal digits.")
	}
	var r rune
	for i := 0; i < 4; i++ {
		h := unhex(p.s[p.pos+i])
		if h < 0 {
			return 0, p.fail("\"\\u\" must be followed by four hexadecimal digits.")
		}
		r = r<<4 | rune(h)
	}
	p.pos += 4
	return r, nil
}

// parseJSONText parses a whole JSON document.
func parseJSONText(s string, build, jsonb bool) (*jsonNode, error) {
	if !utf8.ValidString(s) {
		return nil, sqlerr.New("22021", "invalid byte sequence for encoding \"UTF8\"")
	}
	p := &jsonParser{s: s, build: build, jsonb: jsonb}
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.s) {
		tok := p.token()
		if !isJSONDelim(p.s[p.pos]) && !validBareToken(tok) {
			return nil, p.fail("Token \"%s\" is invalid.", tok)
		}
		return nil, p.fail("Expected end of input, but found \"%s\".", tok)
	}
	return n, nil
}

// validateJSON is json_in's check.
func validateJSON(s string) error {
	_, err := parseJSONText(s, false, false)
	return err
}

// parseJSONB is jsonb_in.
func parseJSONB(s string) (Value, error) {
	n, err := parseJSONText(s, true, true)
	if err != nil {
		return Null, err
	}
	return Value{kind: JSONB, valid: true, x: n}, nil
}

// jsonKeyLess orders object keys as jsonb stores them: shorter first,
// then bytewise.
func jsonKeyLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// normalize sorts an object's keys and keeps the last of duplicates.
func (n *jsonNode) normalize() {
	idx := make([]int, len(n.keys))
	for i := range idx {
		idx[i] = i
	}
	// A stable insertion-friendly sort: equal keys keep input order.
	sortStable(idx, func(a, b int) bool { return jsonKeyLess(n.keys[a], n.keys[b]) })
	keys := make([]string, 0, len(idx))
	vals := make([]*jsonNode, 0, len(idx))
	for _, i := range idx {
		if len(keys) > 0 && keys[len(keys)-1] == n.keys[i] {
			vals[len(vals)-1] = n.elems[i]
			continue
		}
		keys = append(keys, n.keys[i])
		vals = append(vals, n.elems[i])
	}
	n.keys, n.elems = keys, vals
}

// sortStable is a merge sort of idx by less.
func sortStable(idx []int, less func(a, b int) bool) {
	if len(idx) < 2 {
		return
	}
	mid := len(idx) / 2
	sortStable(idx[:mid], less)
	sortStable(idx[mid:], less)
	merged := make([]int, 0, len(idx))
	i, j := 0, mid
	for i < mid && j < len(idx) {
		if less(idx[j], idx[i]) {
			merged = append(merged, idx[j])
			j++
		} else {
			merged = append(merged, idx[i])
			i++
		}
	}
	merged = append(merged, idx[i:mid]...)
	merged = append(merged, idx[j:]...)
	copy(idx, merged)
}

// appendJSONString appends s as a JSON string literal, as escape_json.
func appendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			buf = append(buf, '\\', '"')
		case '\\':
			buf = append(buf, '\\', '\\')
		case '\b':
			buf = append(buf, '\\', 'b')
		case '\f':
			buf = append(buf, '\\', 'f')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		default:
			if c < 0x20 {
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			} else {
				buf = append(buf, c)
			}
		}
	}
	return append(buf, '"')
}

// appendText is jsonb_out.
func (n *jsonNode) appendText(buf []byte) []byte {
	switch n.kind {
	case 'n':
		return append(buf, "null"...)
	case 'b':
		if n.b {
			return append(buf, "true"...)
		}
		return append(buf, "false"...)
	case 'N':
		return appendNumeric(buf, n.num)
	case 's':
		return appendJSONString(buf, n.str)
	case 'a':
		buf = append(buf, '[')
		for i, e := range n.elems {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = e.appendText(buf)
		}
		return append(buf, ']')
	}
	buf = append(buf, '{')
	for i, k := range n.keys {
		if i > 0 {
			buf = append(buf, ", "...)
		}
		buf = appendJSONString(buf, k)
		buf = append(buf, ": "...)
		buf = n.elems[i].appendText(buf)
	}
	return append(buf, '}')
}

// jsonbTypeRank orders jsonb values of different types: null < string <
// number < boolean < array < object.
func jsonbTypeRank(n *jsonNode) int {
	switch n.kind {
	case 'n':
		return 1
	case 's':
		return 2
	case 'N':
		return 3
	case 'b':
		return 4
	case 'a':
		return 5
	}
	return 6
}

// compareJSONB orders two jsonb documents as PostgreSQL's jsonb btree
// operators: by type, objects and arrays first by size, then member by
// member (object keys in storage order); an empty top-level array sorts
// below everything, and a top-level scalar below any top-level array.
func compareJSONB(a, b *jsonNode) int {
	topRank := func(n *jsonNode) int {
		switch {
		case n.kind == 'a' && len(n.elems) == 0:
			return 0
		case n.kind == 'a':
			return 2
		case n.kind == 'o':
			return 3
		}
		return 1 // scalar
	}
	ra, rb := topRank(a), topRank(b)
	if ra != rb {
		return cmpInt(int64(ra), int64(rb))
	}
	return compareJSONNode(a, b)
}

func compareJSONNode(a, b *jsonNode) int {
	ra, rb := jsonbTypeRank(a), jsonbTypeRank(b)
	if ra != rb {
		return cmpInt(int64(ra), int64(rb))
	}
	switch a.kind {
	case 'n':
		return 0
	case 's':
		return strings.Compare(a.str, b.str)
	case 'N':
		return compareNumeric(a.num, b.num)
	case 'b':
		return cmpInt(boolInt(a.b), boolInt(b.b))
	case 'a':
		if c := cmpInt(int64(len(a.elems)), int64(len(b.elems))); c != 0 {
			return c
		}
		for i := range a.elems {
			if c := compareJSONNode(a.elems[i], b.elems[i]); c != 0 {
				return c
			}
		}
		return 0
	}
	if c := cmpInt(int64(len(a.keys)), int64(len(b.keys))); c != 0 {
		return c
	}
	for i := range a.keys {
		if c := strings.Compare(a.keys[i], b.keys[i]); c != 0 {
			return c
		}
		if c := compareJSONNode(a.elems[i], b.elems[i]); c != 0 {
			return c
		}
	}
	return 0
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// jsonbKey appends an order-preserving encoding of a jsonb document
// (matching compareJSONB) to buf.
func jsonbKey(buf []byte, n *jsonNode) []byte {
	switch {
	case n.kind == 'a' && len(n.elems) == 0:
		buf = append(buf, 0x01)
	case n.kind == 'a':
		buf = append(buf, 0x03)
	case n.kind == 'o':
		buf = append(buf, 0x04)
	default:
		buf = append(buf, 0x02)
	}
	return jsonNodeKey(buf, n)
}

func jsonNodeKey(buf []byte, n *jsonNode) []byte {
	buf = append(buf, byte(jsonbTypeRank(n)))
	switch n.kind {
	case 's':
		return appendEscapedKey(buf, n.str)
	case 'N':
		buf = append(buf, numericKey(n.num)...)
		return append(buf, 0x00)
	case 'b':
		return append(buf, byte(boolInt(n.b)))
	case 'a':
		buf = appendUint32(buf, uint32(len(n.elems)))
		for _, e := range n.elems {
			buf = jsonNodeKey(buf, e)
		}
	case 'o':
		buf = appendUint32(buf, uint32(len(n.keys)))
		for i, k := range n.keys {
			buf = appendEscapedKey(buf, k)
			buf = jsonNodeKey(buf, n.elems[i])
		}
	}
	return buf
}

func appendUint32(buf []byte, u uint32) []byte {
	return append(buf, byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
}

// appendEscapedKey appends s so that the encodings of strings order as
// the strings and none is a prefix of another: 0x00 becomes 0x00 0xff and
// the end is 0x00 0x01.
func appendEscapedKey(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		buf = append(buf, s[i])
		if s[i] == 0 {
			buf = append(buf, 0xff)
		}
	}
	return append(buf, 0x00, 0x01)
}

// jsonScalarName names a jsonb value's type in cast errors.
func jsonScalarName(n *jsonNode) string {
	switch n.kind {
	case 'n':
		return "null"
	case 's':
		return "string"
	case 'N':
		return "numeric"
	case 'b':
		return "boolean"
	case 'a':
		return "array"
	}
	return "object"
}

// jsonbToScalar casts a jsonb to boolean or a numeric kind.
func jsonbToScalar(n *jsonNode, to Kind) (Value, error) {
	want := byte('N')
	if to == Bool {
		want = 'b'
	}
	if n.kind != want {
		return Null, sqlerr.New(sqlerr.InvalidParameterValue, "cannot cast jsonb %s to type %s", jsonScalarName(n), info(to).name)
	}
	if to == Bool {
		return NewBool(n.b), nil
	}
	return castKind(NewNumeric(n.num), to)
}

// JSONBFromText parses s as jsonb (for functions building jsonb).
func JSONBFromText(s string) (Value, error) { return parseJSONB(s) }
