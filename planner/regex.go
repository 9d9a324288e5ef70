package planner

// POSIX regular expression functions: regexp_replace, regexp_match,
// regexp_split_to_array, substring(s FROM pattern), SIMILAR TO (through
// similar_to_escape), and the matching helpers of the set-returning
// regexp_matches and regexp_split_to_table (srf.go). Patterns run on Go's
// RE2 engine after PostgreSQL's flags are translated: '.' matches a
// newline unless the n flag is given, as in PostgreSQL's AREs. Patterns
// with back references or lookaround constraints, which RE2 lacks, run on
// the backtracking matcher of regex_backtrack.go.

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// regexFlags are the parsed flags argument of a regexp function.
type regexFlags struct {
	global bool
	prefix string // Go flags group for the pattern
}

// parseRegexFlags reads PostgreSQL's regexp flag letters.
func parseRegexFlags(f string) (regexFlags, error) {
	var rf regexFlags
	icase, newline := false, false
	for _, c := range f {
		switch c {
		case 'g':
			rf.global = true
		case 'i':
			icase = true
		case 'c':
			icase = false
		case 'n', 'm':
			newline = true
		case 's':
			newline = false
		case 'p', 'w', 'x', 'e', 'q', 't', 'b':
			if c == 'p' || c == 'w' || c == 't' {
				continue
			}
			return rf, sqlerr.Unsupported("regular expression option %q is not supported yet", string(c))
		default:
			return rf, sqlerr.New(sqlerr.InvalidParameterValue, "invalid regular expression option: \"%c\"", c)
		}
	}
	switch {
	case icase && newline:
		rf.prefix = "(?im)"
	case icase:
		rf.prefix = "(?is)"
	case newline:
		rf.prefix = "(?m)"
	default:
		rf.prefix = "(?s)"
	}
	return rf, nil
}

// compilePG compiles a PostgreSQL pattern with flags.
func compilePG(pat string, rf regexFlags) (*pgRegex, error) {
	p := translateARE(pat)
	if needsBacktrack(p) {
		// Back references and lookaround: the backtracking matcher
		// (regex_backtrack.go).
		rw, _, err := rewriteBacktrack(p)
		if err != nil {
			return nil, err
		}
		bt, err := compileBacktrack(rf.prefix + rw)
		if err != nil {
			return nil, sqlerr.New("2201B", "invalid regular expression: %s", regexErrText(err))
		}
		return &pgRegex{bt: bt}, nil
	}
	re, err := compileRegex(rf.prefix + p)
	if err != nil {
		return nil, sqlerr.New("2201B", "invalid regular expression: %s", regexErrText(err))
	}
	return &pgRegex{re: re}, nil
}

// regexErrText words a pattern error as PostgreSQL's regex library does.
func regexErrText(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		switch se.Code {
		case syntax.ErrMissingParen, syntax.ErrUnexpectedParen:
			return "parentheses () not balanced"
		case syntax.ErrMissingBracket:
			return "brackets [] not balanced"
		case syntax.ErrMissingRepeatArgument, syntax.ErrInvalidRepeatOp:
			return "quantifier operand invalid"
		case syntax.ErrInvalidRepeatSize:
			return "invalid repetition count(s)"
		case syntax.ErrInvalidEscape, syntax.ErrTrailingBackslash:
			return "invalid escape \\ sequence"
		case syntax.ErrInvalidCharRange:
			return "invalid character range"
		case syntax.ErrInvalidCharClass:
			return "invalid character class"
		}
		return string(se.Code)
	}
	return err.Error()
}

// translateARE rewrites the ARE escapes RE2 spells differently: \m and
// \M (word start and end) and \y (word boundary) become \b.
func translateARE(p string) string {
	if !strings.Contains(p, `\`) {
		return p
	}
	var sb strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			switch p[i+1] {
			case 'm', 'M', 'y':
				sb.WriteString(`\b`)
				i++
				continue
			case 'Y':
				sb.WriteString(`\B`)
				i++
				continue
			}
			sb.WriteByte(p[i])
			sb.WriteByte(p[i+1])
			i++
			continue
		}
		sb.WriteByte(p[i])
	}
	return sb.String()
}

// regexReplace is regexp_replace: \1-\9 insert groups, \& the match, \\ a
// backslash.
func regexReplace(s, pat, rep, flags string) (types.Value, error) {
	rf, err := parseRegexFlags(flags)
	if err != nil {
		return types.Null, err
	}
	re, err := compilePG(pat, rf)
	if err != nil {
		return types.Null, err
	}
	n := 1
	if rf.global {
		n = -1
	}
	all, err := re.findAll(s, n)
	if err != nil {
		return types.Null, err
	}
	var sb strings.Builder
	last := 0
	for _, m := range all {
		sb.WriteString(s[last:m[0]])
		for i := 0; i < len(rep); i++ {
			c := rep[i]
			if c != '\\' || i+1 >= len(rep) {
				sb.WriteByte(c)
				continue
			}
			n := rep[i+1]
			switch {
			case n >= '1' && n <= '9':
				g := int(n - '0')
				if 2*g+1 < len(m) && m[2*g] >= 0 {
					sb.WriteString(s[m[2*g]:m[2*g+1]])
				}
				i++
			case n == '&':
				sb.WriteString(s[m[0]:m[1]])
				i++
			case n == '\\':
				sb.WriteByte('\\')
				i++
			default:
				sb.WriteByte(c)
			}
		}
		last = m[1]
		if sb.Len() > maxStringResult {
			return types.Null, tooLarge()
		}
		if !rf.global {
			break
		}
	}
	sb.WriteString(s[last:])
	return types.NewText(sb.String()), nil
}

// matchArray is one match as regexp_match returns it: the groups, or the
// whole match when the pattern has none.
func matchArray(s string, m []int) types.Value {
	if len(m) == 2 {
		return types.NewArray(types.Text, []types.Value{types.NewText(s[m[0]:m[1]])})
	}
	out := make([]types.Value, 0, len(m)/2-1)
	for g := 1; g < len(m)/2; g++ {
		if m[2*g] < 0 {
			out = append(out, types.Null)
		} else {
			out = append(out, types.NewText(s[m[2*g]:m[2*g+1]]))
		}
	}
	return types.NewArray(types.Text, out)
}

// regexMatches returns regexp_matches' rows: one array per match (all of
// them with the g flag).
func regexMatches(s, pat, flags string, fn string) ([]types.Value, error) {
	rf, err := parseRegexFlags(flags)
	if err != nil {
		return nil, err
	}
	if fn == "regexp_match" && rf.global {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "regexp_match() does not support the \"global\" option").
			WithHint("Use the regexp_matches function instead.")
	}
	re, err := compilePG(pat, rf)
	if err != nil {
		return nil, err
	}
	n := 1
	if rf.global {
		n = -1
	}
	all, err := re.findAll(s, n)
	if err != nil {
		return nil, err
	}
	var out []types.Value
	for _, m := range all {
		out = append(out, matchArray(s, m))
	}
	return out, nil
}

// regexSplit splits s at the matches of pat, as regexp_split_to_table:
// empty matches at the start, at the end or right after a match split
// nothing.
func regexSplit(s, pat, flags, fn string) ([]types.Value, error) {
	rf, err := parseRegexFlags(flags)
	if err != nil {
		return nil, err
	}
	if rf.global {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "%s() does not support the \"global\" option", fn)
	}
	re, err := compilePG(pat, rf)
	if err != nil {
		return nil, err
	}
	all, err := re.findAll(s, -1)
	if err != nil {
		return nil, err
	}
	var out []types.Value
	prev := 0
	for _, m := range all {
		if m[0] >= len(s) || m[1] <= prev {
			continue
		}
		out = append(out, types.NewText(s[prev:m[0]]))
		prev = m[1]
	}
	out = append(out, types.NewText(s[prev:]))
	return out, nil
}

// regexFunc binds the scalar regexp functions; ok is false for another
// name.
func (b *binder) regexFunc(name string, args []expr) (expr, bool, error) {
	undefined := func() error {
		return sqlerr.UndefinedFunctionErr("function %s(%s) does not exist", name, argTypes(args))
	}
	textArgs := func(min, max int) ([]expr, error) {
		if len(args) < min || len(args) > max {
			return nil, undefined()
		}
		out := make([]expr, len(args))
		for i, a := range args {
			if !isTextish(a) {
				return nil, undefined()
			}
			c, err := b.coerce(a, types.TText, types.CastImplicit)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	mk := func(t types.T, a []expr, fn func(v []types.Value) (types.Value, error)) (expr, bool, error) {
		e, err := b.foldOrDefer(&funcExpr{name: name, args: a, t: t, strict: true, fn: fn})
		return e, true, err
	}
	flagOf := func(v []types.Value, i int) string {
		if len(v) > i {
			return v[i].Str()
		}
		return ""
	}
	switch name {
	case "regexp_replace":
		a, err := textArgs(3, 4)
		if err != nil {
			return nil, true, err
		}
		return mk(types.TText, a, func(v []types.Value) (types.Value, error) {
			return regexReplace(v[0].Str(), v[1].Str(), v[2].Str(), flagOf(v, 3))
		})
	case "regexp_match":
		a, err := textArgs(2, 3)
		if err != nil {
			return nil, true, err
		}
		return mk(types.ArrayType(types.TText), a, func(v []types.Value) (types.Value, error) {
			ms, err := regexMatches(v[0].Str(), v[1].Str(), flagOf(v, 2), name)
			if err != nil || len(ms) == 0 {
				return types.Null, err
			}
			return ms[0], nil
		})
	case "regexp_split_to_array":
		a, err := textArgs(2, 3)
		if err != nil {
			return nil, true, err
		}
		return mk(types.ArrayType(types.TText), a, func(v []types.Value) (types.Value, error) {
			parts, err := regexSplit(v[0].Str(), v[1].Str(), flagOf(v, 2), name)
			if err != nil {
				return types.Null, err
			}
			return types.NewArray(types.Text, parts), nil
		})
	case "regexp_like":
		a, err := textArgs(2, 3)
		if err != nil {
			return nil, true, err
		}
		return mk(types.TBool, a, func(v []types.Value) (types.Value, error) {
			rf, err := parseRegexFlags(flagOf(v, 2))
			if err != nil {
				return types.Null, err
			}
			re, err := compilePG(v[1].Str(), rf)
			if err != nil {
				return types.Null, err
			}
			ok, err := re.match(v[0].Str())
			if err != nil {
				return types.Null, err
			}
			return types.NewBool(ok), nil
		})
	case "regexp_count", "regexp_instr", "regexp_substr":
		// Argument types: text, text, then int options and a text flags
		// argument in the function's own order.
		var kinds []types.T
		switch name {
		case "regexp_count":
			kinds = []types.T{types.TText, types.TText, types.TInt4, types.TText}
		case "regexp_instr":
			kinds = []types.T{types.TText, types.TText, types.TInt4, types.TInt4, types.TInt4, types.TText, types.TInt4}
		default:
			kinds = []types.T{types.TText, types.TText, types.TInt4, types.TInt4, types.TText, types.TInt4}
		}
		if len(args) < 2 || len(args) > len(kinds) {
			return nil, true, undefined()
		}
		a := make([]expr, len(args))
		for i, x := range args {
			k := x.typ().Kind
			if kinds[i].Kind == types.Text && !isTextish(x) || kinds[i].Kind == types.Int4 && k != types.Unknown && !k.IsInteger() {
				return nil, true, undefined()
			}
			c, err := b.coerce(x, kinds[i], types.CastImplicit)
			if err != nil {
				return nil, true, undefined()
			}
			a[i] = c
		}
		t := types.TInt4
		if name == "regexp_substr" {
			t = types.TText
		}
		return mk(t, a, func(v []types.Value) (types.Value, error) { return regexPositional(name, v) })
	case "similar_to_escape", "similar_escape":
		a, err := textArgs(1, 2)
		if err != nil {
			return nil, true, err
		}
		return mk(types.TText, a, func(v []types.Value) (types.Value, error) {
			esc := `\`
			if len(v) == 2 {
				esc = v[1].Str()
			}
			return similarToRegex(v[0].Str(), esc)
		})
	}
	return nil, false, nil
}

// regexSubstring binds substring(s FROM pattern) (POSIX: the first
// group, or the whole match) and substring(s SIMILAR pattern ESCAPE e).
func (b *binder) regexSubstring(args []expr) (expr, error) {
	a := make([]expr, len(args))
	for i, x := range args {
		if !isTextish(x) {
			return nil, sqlerr.UndefinedFunctionErr("function substring(%s) does not exist", argTypes(args))
		}
		c, err := b.coerce(x, types.TText, types.CastImplicit)
		if err != nil {
			return nil, err
		}
		a[i] = c
	}
	similar := len(a) == 3
	return b.foldOrDefer(&funcExpr{name: "substring", args: a, t: types.TText, strict: true, fn: func(v []types.Value) (types.Value, error) {
		pat := v[1].Str()
		if similar {
			p, err := similarToRegex(pat, v[2].Str())
			if err != nil {
				return types.Null, err
			}
			pat = p.Str()
		}
		re, err := compilePG(pat, regexFlags{prefix: "(?s)"})
		if err != nil {
			return types.Null, err
		}
		m, err := re.find(v[0].Str())
		if err != nil {
			return types.Null, err
		}
		if m == nil {
			return types.Null, nil
		}
		s := v[0].Str()
		if len(m) > 2 {
			if m[2] < 0 {
				return types.Null, nil
			}
			return types.NewText(s[m[2]:m[3]]), nil
		}
		return types.NewText(s[m[0]:m[1]]), nil
	}})
}

// similarToRegex is similar_to_escape: a SIMILAR TO pattern as an
// anchored POSIX regular expression.
func similarToRegex(pat, esc string) (types.Value, error) {
	if len([]rune(esc)) > 1 {
		return types.Null, sqlerr.New("22019", "invalid escape string").WithHint("Escape string must be empty or one character.")
	}
	var escR rune = -1
	if esc != "" {
		escR = []rune(esc)[0]
	}
	var sb strings.Builder
	sb.WriteString("^(?:")
	inBracket := false
	afterEsc := false
	nquotes := 0
	for _, c := range pat {
		switch {
		case afterEsc:
			if c == '"' {
				// Escaped double quotes separate the substring parts.
				if nquotes == 0 {
					sb.WriteString("){1,1}?(")
				} else {
					sb.WriteString("){1,1}(?:")
				}
				nquotes++
			} else {
				sb.WriteString(regexp.QuoteMeta(string(c)))
			}
			afterEsc = false
		case c == escR:
			afterEsc = true
		case inBracket:
			if c == ']' {
				inBracket = false
			}
			if c == '\\' {
				sb.WriteString(`\\`)
			} else {
				sb.WriteRune(c)
			}
		case c == '[':
			inBracket = true
			sb.WriteRune(c)
		case c == '%':
			sb.WriteString(".*")
		case c == '_':
			sb.WriteString(".")
		case c == '(':
			sb.WriteString("(?:")
		case c == '.' || c == '^' || c == '$' || c == '\\':
			sb.WriteString(`\`)
			sb.WriteRune(c)
		default:
			sb.WriteRune(c)
		}
	}
	sb.WriteString(")$")
	return types.NewText(sb.String()), nil
}

// bindSimilar binds x [NOT] SIMILAR TO pattern [ESCAPE e]: the parser
// wraps the pattern in similar_to_escape, and the operator is ~ or !~.
func (b *binder) bindSimilar(a *pg_query.A_Expr) (expr, error) {
	l, err := b.bindExpr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	r, err := b.bindExpr(a.Rexpr)
	if err != nil {
		return nil, err
	}
	for _, p := range []*expr{&l, &r} {
		if !isTextish(*p) {
			return nil, b.errAt(sqlerr.UndefinedOperatorErr("operator does not exist: %s %s %s", l.typ(), opName(a), r.typ()), a.Location)
		}
		if *p, err = b.coerce(*p, types.TText, types.CastImplicit); err != nil {
			return nil, b.coerceErr(err, a.Location)
		}
	}
	not := opName(a) == "!~"
	return b.foldOrDefer(&funcExpr{name: "similar", args: []expr{l, r}, t: types.TBool, strict: true,
		fn: func(v []types.Value) (types.Value, error) {
			re, err := compilePG(v[1].Str(), regexFlags{prefix: "(?s)"})
			if err != nil {
				return types.Null, err
			}
			ok, err := re.match(v[0].Str())
			if err != nil {
				return types.Null, err
			}
			return types.NewBool(ok != not), nil
		}})
}

// regexPositional is regexp_count, regexp_instr and regexp_substr
// (PostgreSQL 15): matches searched from character start, the n-th
// taken, optionally one group of it.
func regexPositional(name string, v []types.Value) (types.Value, error) {
	s := v[0].Str()
	start, n, endopt, sub := int64(1), int64(1), int64(0), int64(0)
	flags := ""
	arg := func(i int) (int64, bool) {
		if i < len(v) {
			return v[i].Int(), true
		}
		return 0, false
	}
	if x, ok := arg(2); ok {
		start = x
	}
	switch name {
	case "regexp_count":
		if len(v) > 3 {
			flags = v[3].Str()
		}
	case "regexp_instr":
		if x, ok := arg(3); ok {
			n = x
		}
		if x, ok := arg(4); ok {
			endopt = x
		}
		if len(v) > 5 {
			flags = v[5].Str()
		}
		if x, ok := arg(6); ok {
			sub = x
		}
	default:
		if x, ok := arg(3); ok {
			n = x
		}
		if len(v) > 4 {
			flags = v[4].Str()
		}
		if x, ok := arg(5); ok {
			sub = x
		}
	}
	bad := func(p string, x int64) error {
		return sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for parameter \"%s\": %d", p, x)
	}
	switch {
	case start <= 0:
		return types.Null, bad("start", start)
	case n <= 0:
		return types.Null, bad("n", n)
	case endopt != 0 && endopt != 1:
		return types.Null, bad("endoption", endopt)
	case sub < 0:
		return types.Null, bad("subexpr", sub)
	}
	rf, err := parseRegexFlags(flags)
	if err != nil {
		return types.Null, err
	}
	if rf.global {
		return types.Null, sqlerr.New(sqlerr.InvalidParameterValue, "%s() does not support the \"global\" option", name)
	}
	re, err := compilePG(v[1].Str(), rf)
	if err != nil {
		return types.Null, err
	}
	// The byte offset of character start.
	off := 0
	for i := int64(1); i < start && off < len(s); i++ {
		_, w := utf8.DecodeRuneInString(s[off:])
		off += w
	}
	if start > 1 && off >= len(s) && int64(utf8.RuneCountInString(s)) < start-1 {
		off = len(s)
	}
	ms, err := re.findAll(s[off:], -1)
	if err != nil {
		return types.Null, err
	}
	if name == "regexp_count" {
		return types.NewInt(types.Int4, int64(len(ms))), nil
	}
	none := types.NewInt(types.Int4, 0)
	if name == "regexp_substr" {
		none = types.Null
	}
	if int64(len(ms)) < n {
		return none, nil
	}
	m := ms[n-1]
	if int(sub)*2+1 >= len(m) {
		return none, nil
	}
	lo, hi := m[2*sub], m[2*sub+1]
	if lo < 0 {
		return none, nil
	}
	lo, hi = lo+off, hi+off
	if name == "regexp_substr" {
		return types.NewText(s[lo:hi]), nil
	}
	at := lo
	if endopt == 1 {
		at = hi
	}
	return types.NewInt(types.Int4, int64(utf8.RuneCountInString(s[:at]))+1), nil
}
