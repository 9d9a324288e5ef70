package planner

// More string functions: substring/substr, position, overlay, lpad, rpad,
// ltrim/rtrim/btrim (TRIM), concat, concat_ws, format, translate,
// quote_ident, quote_literal, quote_nullable, to_hex, encode, decode,
// to_char and to_number for numbers, bit_length, and the regular
// expression functions (regex.go), with PostgreSQL's semantics.

import (
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// maxStringResult bounds the bytes of strings built from a user-supplied
// length (PostgreSQL's limit is 1 GB; Aspen's is lower, as a single value
// is held whole in memory).
const maxStringResult = 1 << 26

func tooLarge() error {
	return sqlerr.New("54000", "requested length too large")
}

// isTextish reports whether e can be an argument of type text without an
// explicit cast.
func isTextish(e expr) bool {
	k := e.typ().Kind
	return k == types.Unknown || k.IsString()
}

// stringFunc2 binds the functions of this file; ok is false for another
// name.
func (b *binder) stringFunc2(name string, args []expr) (e expr, ok bool, err error) {
	undefined := func() error {
		return sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", name, argTypes(args))
	}
	sig := func(ts ...types.T) ([]expr, error) {
		if len(args) != len(ts) {
			return nil, undefined()
		}
		out := make([]expr, len(args))
		for i, a := range args {
			k := a.typ().Kind
			if ts[i].Kind == types.Text && !isTextish(a) {
				return nil, undefined()
			}
			if ts[i].Kind != types.Text && k != types.Unknown && k != ts[i].Kind && !types.CanCast(k, ts[i].Kind, types.CastImplicit) {
				return nil, undefined()
			}
			c, err := b.coerce(a, ts[i], types.CastImplicit)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	mk := func(t types.T, ts []types.T, fn func(v []types.Value) (types.Value, error)) (expr, bool, error) {
		a, err := sig(ts...)
		if err != nil {
			return nil, true, err
		}
		f, err := b.foldOrDefer(&funcExpr{name: name, args: a, t: t, strict: true, fn: fn})
		return f, true, err
	}
	txt, i4 := types.TText, types.TInt4
	switch name {
	case "substring", "substr":
		if name == "substring" && len(args) >= 2 && isTextish(args[1]) {
			e, err := b.regexSubstring(args)
			return e, true, err
		}
		if len(args) == 2 {
			return mk(txt, []types.T{txt, i4}, func(v []types.Value) (types.Value, error) {
				return substrText(v[0].Str(), v[1].Int(), -1, false)
			})
		}
		return mk(txt, []types.T{txt, i4, i4}, func(v []types.Value) (types.Value, error) {
			return substrText(v[0].Str(), v[1].Int(), v[2].Int(), true)
		})
	case "position":
		return mk(i4, []types.T{txt, txt}, func(v []types.Value) (types.Value, error) {
			return types.NewInt(types.Int4, int64(runePos(v[0].Str(), v[1].Str()))), nil
		})
	case "overlay":
		f := func(v []types.Value) (types.Value, error) {
			s, r := v[0].Str(), v[1].Str()
			from := v[2].Int()
			n := int64(utf8.RuneCountInString(r))
			if len(v) == 4 {
				n = v[3].Int()
			}
			head, err := substrText(s, 1, from-1, true)
			if err != nil {
				return types.Null, err
			}
			if from+n < from {
				return types.Null, sqlerr.OutOfRange("integer")
			}
			tail, err := substrText(s, from+n, -1, false)
			if err != nil {
				return types.Null, err
			}
			return types.NewText(head.Str() + r + tail.Str()), nil
		}
		if len(args) == 3 {
			return mk(txt, []types.T{txt, txt, i4}, f)
		}
		return mk(txt, []types.T{txt, txt, i4, i4}, f)
	case "lpad", "rpad":
		left := name == "lpad"
		f := func(v []types.Value) (types.Value, error) {
			fill := " "
			if len(v) == 3 {
				fill = v[2].Str()
			}
			return padText(v[0].Str(), v[1].Int(), fill, left)
		}
		if len(args) == 2 {
			return mk(txt, []types.T{txt, i4}, f)
		}
		return mk(txt, []types.T{txt, i4, txt}, f)
	case "ltrim", "rtrim", "btrim":
		f := func(v []types.Value) (types.Value, error) {
			set := " "
			if len(v) == 2 {
				set = v[1].Str()
			}
			s := v[0].Str()
			if name != "rtrim" {
				s = strings.TrimLeft(s, set)
			}
			if name != "ltrim" {
				s = strings.TrimRight(s, set)
			}
			return types.NewText(s), nil
		}
		if len(args) == 1 {
			return mk(txt, []types.T{txt}, f)
		}
		return mk(txt, []types.T{txt, txt}, f)
	case "translate":
		return mk(txt, []types.T{txt, txt, txt}, func(v []types.Value) (types.Value, error) {
			from, to := []rune(v[1].Str()), []rune(v[2].Str())
			var sb strings.Builder
			for _, r := range v[0].Str() {
				i := -1
				for j, f := range from {
					if f == r {
						i = j
						break
					}
				}
				switch {
				case i < 0:
					sb.WriteRune(r)
				case i < len(to):
					sb.WriteRune(to[i])
				}
			}
			return types.NewText(sb.String()), nil
		})
	case "concat", "concat_ws":
		if name == "concat_ws" && len(args) == 0 || name == "concat" && len(args) == 0 {
			return nil, true, undefined()
		}
		a := make([]expr, len(args))
		copy(a, args)
		for i := range a {
			if a[i].typ().Kind == types.Unknown {
				if a[i], err = b.coerce(a[i], txt, types.CastImplicit); err != nil {
					return nil, true, err
				}
			}
		}
		if name == "concat_ws" {
			if !isTextish(args[0]) {
				return nil, true, undefined()
			}
		}
		ws := name == "concat_ws"
		return &funcExpr{name: name, args: a, t: txt, evfn: func(ev *evalCtx, v []types.Value) (types.Value, error) {
			sep := ""
			start := 0
			if ws {
				if v[0].IsNull() {
					return types.Null, nil
				}
				sep, start = v[0].Str(), 1
			}
			var buf []byte
			first := true
			for _, x := range v[start:] {
				if x.IsNull() {
					continue
				}
				if !first {
					buf = append(buf, sep...)
				}
				first = false
				buf = x.AppendTextEnv(buf, ev.envOf())
				if len(buf) > maxStringResult {
					return types.Null, tooLarge()
				}
			}
			return types.NewText(string(buf)), nil
		}}, true, nil
	case "format":
		if len(args) == 0 || !isTextish(args[0]) {
			return nil, true, undefined()
		}
		a := make([]expr, len(args))
		copy(a, args)
		for i := range a {
			if a[i].typ().Kind == types.Unknown {
				if a[i], err = b.coerce(a[i], txt, types.CastImplicit); err != nil {
					return nil, true, err
				}
			}
		}
		return &funcExpr{name: name, args: a, t: txt, evfn: func(ev *evalCtx, v []types.Value) (types.Value, error) {
			if v[0].IsNull() {
				return types.Null, nil
			}
			return formatText(ev.envOf(), v[0].Str(), v[1:])
		}}, true, nil
	case "quote_ident":
		return mk(txt, []types.T{txt}, func(v []types.Value) (types.Value, error) {
			return types.NewText(pgQuoteIdent(v[0].Str())), nil
		})
	case "quote_literal", "quote_nullable":
		if len(args) != 1 {
			return nil, true, undefined()
		}
		a, err := b.coerce(args[0], txt, types.CastImplicit)
		if err != nil {
			a, err = b.coerce(args[0], txt, types.CastAssignment)
		}
		if err != nil {
			return nil, true, undefined()
		}
		nullable := name == "quote_nullable"
		return &funcExpr{name: name, args: []expr{a}, t: txt, strict: !nullable, fn: func(v []types.Value) (types.Value, error) {
			if v[0].IsNull() {
				return types.NewText("NULL"), nil
			}
			return types.NewText(quoteLiteral(v[0].Str())), nil
		}}, true, nil
	case "to_hex":
		if len(args) != 1 {
			return nil, true, undefined()
		}
		k := args[0].typ().Kind
		t := types.TInt4
		if k == types.Int8 {
			t = types.TInt8
		}
		return mk(txt, []types.T{t}, func(v []types.Value) (types.Value, error) {
			n := v[0].Int()
			if t.Kind == types.Int4 {
				return types.NewText(strconv.FormatUint(uint64(uint32(int32(n))), 16)), nil
			}
			return types.NewText(strconv.FormatUint(uint64(n), 16)), nil
		})
	case "encode":
		return mk(txt, []types.T{types.TBytea, txt}, func(v []types.Value) (types.Value, error) {
			return encodeBytes(v[0].Str(), v[1].Str())
		})
	case "decode":
		return mk(types.TBytea, []types.T{txt, txt}, func(v []types.Value) (types.Value, error) {
			return decodeBytes(v[0].Str(), v[1].Str())
		})
	case "bit_length":
		return mk(i4, []types.T{txt}, func(v []types.Value) (types.Value, error) {
			return types.NewInt(types.Int4, int64(len(v[0].Str())*8)), nil
		})
	case "to_char":
		if len(args) != 2 {
			return nil, false, nil
		}
		k := args[0].typ().Kind
		if !k.IsNumeric() {
			return nil, false, nil
		}
		if k == types.Float4 || k == types.Float8 {
			if args[0], err = b.coerce(args[0], types.TNumeric, types.CastAssignment); err != nil {
				return nil, true, err
			}
		}
		return mk(txt, []types.T{types.TNumeric, txt}, func(v []types.Value) (types.Value, error) {
			return numToChar(v[0], v[1].Str())
		})
	case "to_number":
		return mk(types.TNumeric, []types.T{txt, txt}, func(v []types.Value) (types.Value, error) {
			return toNumber(v[0].Str(), v[1].Str())
		})
	}
	if e, ok, err := b.regexFunc(name, args); ok || err != nil {
		return e, ok, err
	}
	return nil, false, nil
}

// substrText is substr(s, start[, count]) over characters.
func substrText(s string, start, count int64, hasCount bool) (types.Value, error) {
	if hasCount && count < 0 {
		return types.Null, sqlerr.New("22011", "negative substring length not allowed")
	}
	r := []rune(s)
	lo := start
	var hi int64
	if hasCount {
		hi = start + count
		if hi < start { // overflow
			hi = int64(len(r)) + 1
		}
	} else {
		hi = int64(len(r)) + 1
	}
	lo = max(lo, 1)
	hi = min(hi, int64(len(r))+1)
	if lo >= hi {
		return types.NewText(""), nil
	}
	return types.NewText(string(r[lo-1 : hi-1])), nil
}

// runePos is the 1-based character position of sub in s, 0 if absent.
func runePos(s, sub string) int {
	i := strings.Index(s, sub)
	if i < 0 {
		return 0
	}
	return utf8.RuneCountInString(s[:i]) + 1
}

// padText is lpad/rpad.
func padText(s string, n int64, fill string, left bool) (types.Value, error) {
	if n <= 0 {
		return types.NewText(""), nil
	}
	r := []rune(s)
	if int64(len(r)) >= n {
		return types.NewText(string(r[:n])), nil
	}
	f := []rune(fill)
	if len(f) == 0 {
		return types.NewText(s), nil
	}
	need := n - int64(len(r))
	if need*int64(utf8.UTFMax) > maxStringResult {
		return types.Null, tooLarge()
	}
	var pad strings.Builder
	for i := int64(0); i < need; i++ {
		pad.WriteRune(f[i%int64(len(f))])
	}
	if left {
		return types.NewText(pad.String() + s), nil
	}
	return types.NewText(s + pad.String()), nil
}

// pgQuoteIdent quotes an identifier when PostgreSQL's quote_ident would:
// anything but lower-case letters, digits and underscores (not starting
// with a digit), or a keyword that is not unreserved.
func pgQuoteIdent(s string) string {
	safe := s != "" && (s[0] >= 'a' && s[0] <= 'z' || s[0] == '_')
	for i := 0; safe && i < len(s); i++ {
		c := s[i]
		safe = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	if safe {
		if res, err := pg_query.Scan(s); err == nil && len(res.Tokens) == 1 {
			kk := res.Tokens[0].KeywordKind
			safe = kk == pg_query.KeywordKind_NO_KEYWORD || kk == pg_query.KeywordKind_UNRESERVED_KEYWORD
		}
	}
	if safe {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// quoteLiteral is quote_literal: single quotes doubled, and with an E
// prefix and doubled backslashes when there is a backslash.
func quoteLiteral(s string) string {
	q := strings.ReplaceAll(s, "'", "''")
	if strings.Contains(s, `\`) {
		return `E'` + strings.ReplaceAll(q, `\`, `\\`) + `'`
	}
	return "'" + q + "'"
}

// formatText is format(): %s, %I, %L and %% with optional argument
// positions (%2$s), flags (-) and widths (10 or * or *n$).
func formatText(env *types.Env, f string, args []types.Value) (types.Value, error) {
	var sb strings.Builder
	next := 0
	bad := func(msg string, a ...any) *sqlerr.Error { return sqlerr.New(sqlerr.InvalidParameterValue, msg, a...) }
	readNum := func(i int) (int, int, bool) {
		j := i
		n := 0
		for j < len(f) && f[j] >= '0' && f[j] <= '9' {
			n = n*10 + int(f[j]-'0')
			if n > 1<<24 {
				return 0, j, false
			}
			j++
		}
		return n, j, j > i
	}
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' {
			sb.WriteByte(c)
			continue
		}
		i++
		if i >= len(f) {
			return types.Null, bad("unterminated format() type specifier").WithHint("For a single \"%%\" use \"%%%%\".")
		}
		if f[i] == '%' {
			sb.WriteByte('%')
			continue
		}
		argPos := -1
		if n, j, ok := readNum(i); ok && j < len(f) && f[j] == '$' {
			if n == 0 {
				return types.Null, bad("format specifies argument 0, but arguments are numbered from 1")
			}
			argPos = n - 1
			i = j + 1
		}
		minus := false
		for i < len(f) && f[i] == '-' {
			minus = true
			i++
		}
		width := 0
		if i < len(f) && f[i] == '*' {
			i++
			wpos := -1
			if n, j, ok := readNum(i); ok && j < len(f) && f[j] == '$' {
				wpos = n - 1
				i = j + 1
			}
			if wpos < 0 {
				wpos = next
				next++
			}
			if wpos >= len(args) {
				return types.Null, bad("too few arguments for format()")
			}
			if !args[wpos].IsNull() {
				w, err := types.Cast(args[wpos], types.TInt4, types.CastAssignment)
				if err != nil {
					return types.Null, err
				}
				width = int(w.Int())
				if width < 0 {
					minus = true
					width = -width
				}
			}
		} else if n, j, ok := readNum(i); ok {
			width = n
			i = j
		}
		if i >= len(f) {
			return types.Null, bad("unterminated format() type specifier").WithHint("For a single \"%%\" use \"%%%%\".")
		}
		conv := f[i]
		if conv != 's' && conv != 'I' && conv != 'L' {
			return types.Null, bad("unrecognized format() type specifier \"%c\"", conv).WithHint("For a single \"%%\" use \"%%%%\".")
		}
		if argPos < 0 {
			argPos = next
		}
		next = argPos + 1
		if argPos >= len(args) {
			return types.Null, bad("too few arguments for format()")
		}
		v := args[argPos]
		var s string
		switch conv {
		case 's':
			if !v.IsNull() {
				s = string(v.AppendTextEnv(nil, env))
			}
		case 'I':
			if v.IsNull() {
				return types.Null, sqlerr.New("22004", "null values cannot be formatted as an SQL identifier")
			}
			s = pgQuoteIdent(string(v.AppendTextEnv(nil, env)))
		case 'L':
			if v.IsNull() {
				s = "NULL"
			} else {
				s = quoteLiteral(string(v.AppendTextEnv(nil, env)))
			}
		}
		if n := utf8.RuneCountInString(s); n < width {
			pad := strings.Repeat(" ", width-n)
			if minus {
				s += pad
			} else {
				s = pad + s
			}
		}
		sb.WriteString(s)
		if sb.Len() > maxStringResult {
			return types.Null, tooLarge()
		}
	}
	return types.NewText(sb.String()), nil
}

// encodeBytes is encode(bytea, format).
func encodeBytes(data, format string) (types.Value, error) {
	switch strings.ToLower(format) {
	case "hex":
		return types.NewText(hex.EncodeToString([]byte(data))), nil
	case "base64":
		s := base64.StdEncoding.EncodeToString([]byte(data))
		var sb strings.Builder
		for len(s) > 76 {
			sb.WriteString(s[:76])
			sb.WriteByte('\n')
			s = s[76:]
		}
		sb.WriteString(s)
		return types.NewText(sb.String()), nil
	case "escape":
		var sb strings.Builder
		for i := 0; i < len(data); i++ {
			c := data[i]
			switch {
			case c == '\\':
				sb.WriteString(`\\`)
			case c == 0 || c >= 0x80:
				sb.WriteString(`\`)
				sb.WriteString(strconv.FormatInt(int64(c)>>6&7, 8))
				sb.WriteString(strconv.FormatInt(int64(c)>>3&7, 8))
				sb.WriteString(strconv.FormatInt(int64(c)&7, 8))
			default:
				sb.WriteByte(c)
			}
		}
		return types.NewText(sb.String()), nil
	}
	return types.Null, sqlerr.New(sqlerr.InvalidParameterValue, "unrecognized encoding: %q", format)
}

// decodeBytes is decode(text, format).
func decodeBytes(s, format string) (types.Value, error) {
	switch strings.ToLower(format) {
	case "hex":
		var out []byte
		for i := 0; i < len(s); {
			c := s[i]
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
				i++
				continue
			}
			hi := unhexDigit(c)
			if hi < 0 {
				return types.Null, sqlerr.New(sqlerr.InvalidParameterValue, "invalid hexadecimal digit: \"%c\"", c)
			}
			if i+1 >= len(s) {
				return types.Null, sqlerr.New(sqlerr.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
			}
			lo := unhexDigit(s[i+1])
			if lo < 0 {
				return types.Null, sqlerr.New(sqlerr.InvalidParameterValue, "invalid hexadecimal digit: \"%c\"", s[i+1])
			}
			out = append(out, byte(hi<<4|lo))
			i += 2
		}
		return types.NewBytea(out), nil
	case "base64":
		var clean []byte
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=':
				clean = append(clean, c)
			default:
				return types.Null, sqlerr.New(sqlerr.InvalidParameterValue, "invalid symbol \"%c\" found while decoding base64 sequence", c)
			}
		}
		out, err := base64.StdEncoding.DecodeString(string(clean))
		if err != nil {
			out, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(string(clean), "="))
			if err != nil {
				return types.Null, sqlerr.New(sqlerr.InvalidParameterValue, "invalid base64 end sequence").
					WithHint("Input data is missing padding, is truncated, or is otherwise corrupted.")
			}
		}
		return types.NewBytea(out), nil
	case "escape":
		var out []byte
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c != '\\' {
				out = append(out, c)
				continue
			}
			if i+1 < len(s) && s[i+1] == '\\' {
				out = append(out, '\\')
				i++
				continue
			}
			if i+3 < len(s) && isOct(s[i+1]) && isOct(s[i+2]) && isOct(s[i+3]) && s[i+1] <= '3' {
				out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
				i += 3
				continue
			}
			return types.Null, sqlerr.New("22P02", "invalid input syntax for type bytea")
		}
		return types.NewBytea(out), nil
	}
	return types.Null, sqlerr.New(sqlerr.InvalidParameterValue, "unrecognized encoding: %q", format)
}

func isOct(c byte) bool { return c >= '0' && c <= '7' }

func unhexDigit(c byte) int {
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

// numFormat is a parsed number format of to_char and to_number.
type numFormat struct {
	items    []numItem
	pre      int // digit positions before the decimal point
	post     int // digit positions after it
	zeroAt   int // index among pre positions of the first 0 (pre if none)
	fm       bool
	hasPoint bool
	sign     bool // S, MI, PL or SG given
}

type numItem struct {
	kind byte // '9', '0', '.', ',', 'S' (sign), 'M' (MI), 'P' (PL), 'G' (SG), 'L' literal
	lit  string
}

func parseNumFormat(f string) numFormat {
	nf := numFormat{zeroAt: -1}
	// Upper-case ASCII only, so that up and f keep the same offsets.
	up := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, f)
	for i := 0; i < len(f); {
		switch {
		case strings.HasPrefix(up[i:], "FM"):
			nf.fm = true
			i += 2
		case up[i] == '9' || up[i] == '0':
			if nf.hasPoint {
				nf.post++
			} else {
				if up[i] == '0' && nf.zeroAt < 0 {
					nf.zeroAt = nf.pre
				}
				nf.pre++
			}
			nf.items = append(nf.items, numItem{kind: up[i]})
			i++
		case (up[i] == '.' || up[i] == 'D') && !nf.hasPoint:
			nf.hasPoint = true
			nf.items = append(nf.items, numItem{kind: '.'})
			i++
		case up[i] == ',' || up[i] == 'G':
			nf.items = append(nf.items, numItem{kind: ','})
			i++
		case strings.HasPrefix(up[i:], "MI"), strings.HasPrefix(up[i:], "PL"), strings.HasPrefix(up[i:], "SG"):
			// PL keeps the implicit sign position; the others replace it.
			nf.sign = nf.sign || up[i:i+2] != "PL"
			nf.items = append(nf.items, numItem{kind: map[string]byte{"MI": 'M', "PL": 'P', "SG": 'G'}[up[i:i+2]]})
			i += 2
		case up[i] == 'S':
			nf.sign = true
			nf.items = append(nf.items, numItem{kind: 'S'})
			i++
		case f[i] == '"':
			j := strings.IndexByte(f[i+1:], '"')
			if j < 0 {
				nf.items = append(nf.items, numItem{kind: 'L', lit: f[i+1:]})
				i = len(f)
			} else {
				nf.items = append(nf.items, numItem{kind: 'L', lit: f[i+1 : i+1+j]})
				i += j + 2
			}
		default:
			_, n := utf8.DecodeRuneInString(f[i:])
			nf.items = append(nf.items, numItem{kind: 'L', lit: f[i : i+n]})
			i += n
		}
	}
	if nf.zeroAt < 0 {
		nf.zeroAt = nf.pre
	}
	return nf
}

// numToChar is to_char(numeric, format) for the digit patterns 9 and 0,
// the decimal point (. D), group separators (, G), FM and the signs S, MI,
// PL, SG.
func numToChar(v types.Value, format string) (types.Value, error) {
	nf := parseNumFormat(format)
	if s := v.String(); s == "NaN" || strings.HasSuffix(s, "Infinity") {
		return types.Null, sqlerr.Unsupported("to_char of NaN or infinite numbers is not supported yet")
	}
	r, err := types.NumericRound(v, int64(nf.post))
	if err != nil {
		return types.Null, err
	}
	s := r.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "0" && nf.hasPoint {
		intPart = ""
	}
	frac += strings.Repeat("0", max(nf.post-len(frac), 0))
	overflow := len(intPart) > nf.pre
	// out holds the characters; fill marks padding FM removes.
	var out []rune
	var fill []bool
	put := func(c rune, isFill bool) {
		out = append(out, c)
		fill = append(fill, isFill)
	}
	preIdx, postIdx := 0, 0
	started, afterPoint := false, false
	signAt := -1 // the implicit sign's position, just before the number
	firstPrinted := -1
	fracTrim := -1 // start of trailing zeros of 9 positions
	for _, it := range nf.items {
		if signAt < 0 && !nf.sign && (it.kind == '9' || it.kind == '0' || it.kind == '.') {
			signAt = len(out)
			put(' ', true)
		}
		switch it.kind {
		case '9', '0':
			if !afterPoint {
				d := preIdx - (nf.pre - len(intPart))
				c, isFill := ' ', true
				switch {
				case overflow:
					c, isFill = '#', false
				case d >= 0:
					c, isFill = rune(intPart[d]), false
					started = true
				case preIdx >= nf.zeroAt:
					c, isFill = '0', false
					started = true
				}
				if !isFill && firstPrinted < 0 {
					firstPrinted = len(out)
				}
				put(c, isFill)
				preIdx++
				continue
			}
			c := rune(frac[postIdx])
			if overflow {
				c = '#'
			}
			if it.kind == '9' && c == '0' {
				if fracTrim < 0 {
					fracTrim = len(out)
				}
			} else {
				fracTrim = -1
			}
			put(c, false)
			postIdx++
		case '.':
			if firstPrinted < 0 {
				firstPrinted = len(out)
			}
			put('.', false)
			afterPoint = true
			fracTrim = -1
		case ',':
			if started {
				put(',', false)
			} else {
				put(' ', true)
			}
		case 'S', 'G':
			if neg {
				put('-', false)
			} else {
				put('+', false)
			}
		case 'M':
			if neg {
				put('-', false)
			} else {
				put(' ', true)
			}
		case 'P':
			if neg {
				put(' ', true)
			} else {
				put('+', false)
			}
		case 'L':
			for _, c := range it.lit {
				put(c, false)
			}
		}
	}
	if signAt >= 0 && neg {
		at := firstPrinted - 1
		if firstPrinted < 0 {
			at = len(out) - 1
		}
		// The sign goes in the blank before the first printed character.
		for at > 0 && !fill[at] {
			at--
		}
		at = max(at, 0)
		out[at], fill[at] = '-', false
	}
	if !nf.fm {
		return types.NewText(string(out)), nil
	}
	end := len(out)
	if fracTrim >= 0 {
		end = fracTrim
	}
	var sb strings.Builder
	for i := 0; i < end; i++ {
		if !fill[i] {
			sb.WriteRune(out[i])
		}
	}
	for i := end; i < len(out); i++ {
		// Text after the fraction (MI, literals) stays.
		if i >= fracTrim && fracTrim >= 0 && isDigitRune(out[i]) {
			continue
		}
		if !fill[i] {
			sb.WriteRune(out[i])
		}
	}
	return types.NewText(sb.String()), nil
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

// toNumber is to_number(text, format): the digits, decimal point and
// sign of s read through the format.
func toNumber(s, format string) (types.Value, error) {
	nf := parseNumFormat(format)
	var sb strings.Builder
	neg := false
	post := 0
	inFrac := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if inFrac {
				if post >= nf.post {
					continue
				}
				post++
			}
			sb.WriteRune(r)
		case r == '.' && nf.hasPoint && !inFrac:
			inFrac = true
			sb.WriteRune('.')
		case r == '-' || r == '<' || r == '(':
			neg = true
		}
	}
	t := sb.String()
	if t == "" || t == "." {
		return types.Null, sqlerr.New("22P02", "invalid input syntax for type numeric: \" \"")
	}
	if neg {
		t = "-" + t
	}
	v, err := types.ParseText(types.TNumeric, t)
	if err != nil {
		return types.Null, err
	}
	if nf.post > 0 && inFrac {
		return types.NumericRound(v, int64(nf.post))
	}
	return v, nil
}
