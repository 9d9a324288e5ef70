package planner

// A backtracking matcher for the parts of PostgreSQL's advanced regular
// expressions that Go's RE2 engine cannot run: back references (\1 to
// \9, and \nn when that many groups precede) and lookahead and
// lookbehind constraints ((?=...), (?!...), (?<=...), (?<!...)). It is
// used only for patterns that contain one of them. The pattern is
// rewritten so that RE2's parser accepts it (each back reference and
// constraint becomes a specially named group), parsed with
// regexp/syntax, and matched by backtracking over the parsed tree. A
// step budget bounds the work, so a pathological pattern fails with
// 54000 instead of holding the server.

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// Limits of the backtracking matcher: steps per search, and nesting of
// the matcher's recursion.
const (
	btMaxSteps = 5_000_000
	btMaxDepth = 50_000
)

// pgRegex is a compiled PostgreSQL pattern: an RE2 program, or a
// backtracking matcher when the pattern needs one.
type pgRegex struct {
	re *regexp.Regexp
	bt *btRegex
}

// match reports whether the pattern matches somewhere in s.
func (r *pgRegex) match(s string) (bool, error) {
	if r.bt == nil {
		return r.re.MatchString(s), nil
	}
	m, err := r.bt.findAll(s, 1)
	return len(m) > 0, err
}

// find returns the first match's submatch positions, nil for none.
func (r *pgRegex) find(s string) ([]int, error) {
	if r.bt == nil {
		return r.re.FindStringSubmatchIndex(s), nil
	}
	m, err := r.bt.findAll(s, 1)
	if err != nil || len(m) == 0 {
		return nil, err
	}
	return m[0], nil
}

// findAll returns up to n (all when n < 0) successive non-overlapping
// matches' submatch positions, as regexp's FindAllStringSubmatchIndex.
func (r *pgRegex) findAll(s string, n int) ([][]int, error) {
	if r.bt == nil {
		return r.re.FindAllStringSubmatchIndex(s, n), nil
	}
	return r.bt.findAll(s, n)
}

// Names of the groups that stand for back references and constraints in
// the rewritten pattern.
const (
	btBackref   = "zqbr"
	btAhead     = "zqla"
	btNotAhead  = "zqna"
	btBehind    = "zqlb"
	btNotBehind = "zqnb"
)

// needsBacktrack reports whether pattern p (after translateARE) uses a
// back reference or a lookaround constraint.
func needsBacktrack(p string) bool {
	if !strings.Contains(p, `\`) && !strings.Contains(p, "(?") {
		return false
	}
	_, special, _ := rewriteBacktrack(p)
	return special
}

// rewriteBacktrack rewrites back references and lookaround constraints
// as named groups RE2's parser accepts. special reports whether there
// were any; err is PostgreSQL's error for a back reference to a group
// that does not precede it.
func rewriteBacktrack(p string) (out string, special bool, err error) {
	var sb strings.Builder
	groups := 0       // capturing groups opened so far (PostgreSQL's numbering)
	var closed []bool // by group number - 1
	type open struct {
		num        int // group number, 0 for non-capturing
		lookaround bool
	}
	var stack []open
	inLook := 0 // lookaround constraints enclosing the position
	seq := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			d := p[i+1]
			if d >= '1' && d <= '9' {
				j := i + 1
				for j < len(p) && p[j] >= '0' && p[j] <= '9' {
					j++
				}
				n, _ := strconv.Atoi(p[i+1 : j])
				if j-i-1 > 1 && (n > groups || !closed[n-1]) {
					// \nn beyond the groups: an octal escape, as RE2 reads it.
					sb.WriteString(p[i:j])
					i = j - 1
					continue
				}
				n = int(d - '0')
				if n > groups || !closed[n-1] {
					return "", true, sqlerr.New("2201B", "invalid regular expression: invalid backreference number")
				}
				if inLook > 0 {
					return "", true, sqlerr.New("2201B", "invalid regular expression: invalid backreference number")
				}
				seq++
				fmt.Fprintf(&sb, "(?P<%s%dx%d>)", btBackref, n, seq)
				special = true
				i++
				continue
			}
			sb.WriteByte(c)
			sb.WriteByte(d)
			i++
		case c == '[':
			// A bracket expression, copied whole: ']' first is literal.
			j := i + 1
			if j < len(p) && p[j] == '^' {
				j++
			}
			if j < len(p) && p[j] == ']' {
				j++
			}
			for j < len(p) && p[j] != ']' {
				if p[j] == '[' && j+1 < len(p) && (p[j+1] == ':' || p[j+1] == '.' || p[j+1] == '=') {
					if k := strings.Index(p[j+2:], string(p[j+1])+"]"); k >= 0 {
						j += k + 4
						continue
					}
				}
				if p[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(p) {
				sb.WriteString(p[i:])
				i = len(p)
				continue
			}
			sb.WriteString(p[i : j+1])
			i = j
		case c == '(':
			rest := p[i+1:]
			var name string
			switch {
			case strings.HasPrefix(rest, "?="):
				name = btAhead
			case strings.HasPrefix(rest, "?!"):
				name = btNotAhead
			case strings.HasPrefix(rest, "?<="):
				name = btBehind
			case strings.HasPrefix(rest, "?<!"):
				name = btNotBehind
			}
			if name != "" {
				seq++
				fmt.Fprintf(&sb, "(?P<%s%d>", name, seq)
				special = true
				stack = append(stack, open{lookaround: true})
				inLook++
				i += 2
				if name == btBehind || name == btNotBehind {
					i++
				}
				continue
			}
			if strings.HasPrefix(rest, "?") || inLook > 0 {
				stack = append(stack, open{})
			} else {
				groups++
				closed = append(closed, false)
				stack = append(stack, open{num: groups})
			}
			sb.WriteByte(c)
		case c == ')':
			if n := len(stack); n > 0 {
				top := stack[n-1]
				stack = stack[:n-1]
				if top.num > 0 {
					closed[top.num-1] = true
				}
				if top.lookaround {
					inLook--
				}
			}
			sb.WriteByte(c)
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String(), special, nil
}

// btRegex is a pattern for the backtracking matcher.
type btRegex struct {
	root *syntax.Regexp
	// groups is the number of capturing groups (PostgreSQL's numbering);
	// capIndex maps RE2's capture index to it (0: not capturing).
	groups   int
	capIndex map[int]int
}

// btCache holds compiled backtracking patterns (immutable once built),
// at most regexCacheMax of them, as regexCache does for RE2's.
var btCache struct {
	sync.Mutex
	m map[string]*btRegex
}

// compileBacktrack compiles a rewritten pattern (with its flags prefix),
// through btCache.
func compileBacktrack(p string) (*btRegex, error) {
	btCache.Lock()
	b, ok := btCache.m[p]
	btCache.Unlock()
	if ok {
		return b, nil
	}
	b, err := parseBacktrack(p)
	if err != nil {
		return nil, err
	}
	btCache.Lock()
	if btCache.m == nil || len(btCache.m) >= regexCacheMax {
		btCache.m = map[string]*btRegex{}
	}
	btCache.m[p] = b
	btCache.Unlock()
	return b, nil
}

// parseBacktrack parses a rewritten pattern and numbers its groups.
func parseBacktrack(p string) (*btRegex, error) {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return nil, err
	}
	b := &btRegex{root: re, capIndex: map[int]int{}}
	var walk func(r *syntax.Regexp, look bool)
	walk = func(r *syntax.Regexp, look bool) {
		if r.Op == syntax.OpCapture {
			switch {
			case strings.HasPrefix(r.Name, "zq"):
				look = look || !strings.HasPrefix(r.Name, btBackref)
			case !look:
				b.groups++
				b.capIndex[r.Cap] = b.groups
			}
		}
		for _, s := range r.Sub {
			walk(s, look)
		}
	}
	walk(re, false)
	return b, nil
}

// btRun is one search's state.
type btRun struct {
	re    *btRegex
	in    string
	caps  []int
	steps int
	depth int
	err   error
}

// findAll returns successive non-overlapping matches as regexp's
// FindAllStringSubmatchIndex does: an empty match right after a match is
// skipped.
func (b *btRegex) findAll(s string, n int) ([][]int, error) {
	r := &btRun{re: b, in: s, caps: make([]int, 2*b.groups)}
	var out [][]int
	prevEnd := -1
	for pos := 0; pos <= len(s) && (n < 0 || len(out) < n); {
		m := r.search(pos)
		if r.err != nil {
			return nil, r.err
		}
		if m == nil {
			break
		}
		accept := true
		if m[1] == m[0] {
			if m[0] == prevEnd {
				accept = false
			}
			if m[0] < len(s) {
				_, w := utf8.DecodeRuneInString(s[m[0]:])
				pos = m[0] + w
			} else {
				pos = len(s) + 1
			}
		} else {
			pos = m[1]
		}
		prevEnd = m[1]
		if accept {
			out = append(out, m)
		}
	}
	return out, nil
}

// search finds the leftmost match starting at or after from.
func (r *btRun) search(from int) []int {
	for start := from; start <= len(r.in); {
		for i := range r.caps {
			r.caps[i] = -1
		}
		end := -1
		if r.match(r.re.root, start, func(e int) bool { end = e; return true }) {
			return append([]int{start, end}, r.caps...)
		}
		if r.err != nil || start == len(r.in) {
			return nil
		}
		_, w := utf8.DecodeRuneInString(r.in[start:])
		start += w
	}
	return nil
}

// tooComplex is the error of a search over the step or depth budget.
func tooComplex() error {
	return sqlerr.New(sqlerr.ProgramLimitExceeded, "regular expression is too complex to match").
		WithDetail("Matching a pattern with back references or lookaround constraints took more than %d steps.", btMaxSteps).
		WithHint("Simplify the pattern or the string it is matched against.")
}

// runeAt returns the rune at byte position pos and its width (0 at the
// end).
func (r *btRun) runeAt(pos int) (rune, int) {
	if pos >= len(r.in) {
		return -1, 0
	}
	return utf8.DecodeRuneInString(r.in[pos:])
}

// isWordByte reports whether the rune before or at a position is an
// ASCII word character, as RE2's \b sees it.
func isWordRune(c rune) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// atWordBoundary reports whether pos is between a word and a non-word
// character.
func (r *btRun) atWordBoundary(pos int) bool {
	before, after := false, false
	if pos > 0 {
		c, _ := utf8.DecodeLastRuneInString(r.in[:pos])
		before = isWordRune(c)
	}
	if c, w := r.runeAt(pos); w > 0 {
		after = isWordRune(c)
	}
	return before != after
}

// foldEq reports whether two runes are equal under simple case folding.
func foldEq(a, b rune) bool {
	if a == b {
		return true
	}
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}

// singleRune returns a predicate for a node that always matches exactly
// one rune, for the repetition fast path.
func singleRune(re *syntax.Regexp) (func(rune) bool, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) != 1 {
			return nil, false
		}
		want, fold := re.Rune[0], re.Flags&syntax.FoldCase != 0
		return func(c rune) bool { return c == want || fold && foldEq(c, want) }, true
	case syntax.OpCharClass:
		ranges := re.Rune
		return func(c rune) bool {
			for i := 0; i+1 < len(ranges); i += 2 {
				if c >= ranges[i] && c <= ranges[i+1] {
					return true
				}
			}
			return false
		}, true
	case syntax.OpAnyChar:
		return func(rune) bool { return true }, true
	case syntax.OpAnyCharNotNL:
		return func(c rune) bool { return c != '\n' }, true
	}
	return nil, false
}

// match matches re at pos and calls k with the end position; it reports
// whether k accepted.
func (r *btRun) match(re *syntax.Regexp, pos int, k func(int) bool) bool {
	if r.err != nil {
		return false
	}
	r.steps++
	r.depth++
	defer func() { r.depth-- }()
	if r.steps > btMaxSteps || r.depth > btMaxDepth {
		r.err = tooComplex()
		return false
	}
	switch re.Op {
	case syntax.OpNoMatch:
		return false
	case syntax.OpEmptyMatch:
		return k(pos)
	case syntax.OpLiteral:
		fold := re.Flags&syntax.FoldCase != 0
		p := pos
		for _, want := range re.Rune {
			c, w := r.runeAt(p)
			if w == 0 || c != want && !(fold && foldEq(c, want)) {
				return false
			}
			p += w
		}
		return k(p)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		ok, _ := singleRune(re)
		c, w := r.runeAt(pos)
		if w == 0 || !ok(c) {
			return false
		}
		return k(pos + w)
	case syntax.OpBeginLine:
		if pos == 0 || r.in[pos-1] == '\n' {
			return k(pos)
		}
		return false
	case syntax.OpEndLine:
		if pos == len(r.in) || r.in[pos] == '\n' {
			return k(pos)
		}
		return false
	case syntax.OpBeginText:
		if pos == 0 {
			return k(pos)
		}
		return false
	case syntax.OpEndText:
		if pos == len(r.in) {
			return k(pos)
		}
		return false
	case syntax.OpWordBoundary:
		if r.atWordBoundary(pos) {
			return k(pos)
		}
		return false
	case syntax.OpNoWordBoundary:
		if !r.atWordBoundary(pos) {
			return k(pos)
		}
		return false
	case syntax.OpCapture:
		return r.capture(re, pos, k)
	case syntax.OpConcat:
		return r.concat(re.Sub, pos, k)
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if r.match(s, pos, k) {
				return true
			}
			if r.err != nil {
				return false
			}
		}
		return false
	case syntax.OpStar:
		return r.repeat(re.Sub[0], 0, -1, re.Flags&syntax.NonGreedy == 0, pos, k)
	case syntax.OpPlus:
		return r.repeat(re.Sub[0], 1, -1, re.Flags&syntax.NonGreedy == 0, pos, k)
	case syntax.OpQuest:
		return r.repeat(re.Sub[0], 0, 1, re.Flags&syntax.NonGreedy == 0, pos, k)
	case syntax.OpRepeat:
		return r.repeat(re.Sub[0], re.Min, re.Max, re.Flags&syntax.NonGreedy == 0, pos, k)
	}
	r.err = fmt.Errorf("regular expression operation %v is not supported by the backtracking matcher", re.Op)
	return false
}

// concat matches a sequence.
func (r *btRun) concat(subs []*syntax.Regexp, pos int, k func(int) bool) bool {
	if len(subs) == 0 {
		return k(pos)
	}
	return r.match(subs[0], pos, func(p int) bool { return r.concat(subs[1:], p, k) })
}

// capture matches a group: a capturing group records its span, and the
// named groups of the rewritten pattern are back references and
// lookaround constraints.
func (r *btRun) capture(re *syntax.Regexp, pos int, k func(int) bool) bool {
	name := re.Name
	switch {
	case strings.HasPrefix(name, btBackref):
		n, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(name, btBackref), "x", 2)[0])
		return r.backref(n, re.Flags&syntax.FoldCase != 0, pos, k)
	case strings.HasPrefix(name, btAhead), strings.HasPrefix(name, btNotAhead):
		saved := append([]int(nil), r.caps...)
		found := r.match(re.Sub[0], pos, func(int) bool { return true })
		copy(r.caps, saved)
		if r.err != nil || found != strings.HasPrefix(name, btAhead) {
			return false
		}
		return k(pos)
	case strings.HasPrefix(name, btBehind), strings.HasPrefix(name, btNotBehind):
		saved := append([]int(nil), r.caps...)
		found := false
		for j := pos; j >= 0 && !found && r.err == nil; j-- {
			if j < len(r.in) && j > 0 && !utf8.RuneStart(r.in[j]) {
				continue
			}
			found = r.match(re.Sub[0], j, func(e int) bool { return e == pos })
		}
		copy(r.caps, saved)
		if r.err != nil || found != strings.HasPrefix(name, btBehind) {
			return false
		}
		return k(pos)
	}
	g := r.re.capIndex[re.Cap]
	if g == 0 {
		return r.match(re.Sub[0], pos, k)
	}
	i := 2 * (g - 1)
	oldStart, oldEnd := r.caps[i], r.caps[i+1]
	ok := r.match(re.Sub[0], pos, func(e int) bool {
		prevStart, prevEnd := r.caps[i], r.caps[i+1]
		r.caps[i], r.caps[i+1] = pos, e
		if k(e) {
			return true
		}
		r.caps[i], r.caps[i+1] = prevStart, prevEnd
		return false
	})
	if !ok {
		r.caps[i], r.caps[i+1] = oldStart, oldEnd
	}
	return ok
}

// backref matches the text group n captured (case-insensitively under
// the i flag); an unset group matches nothing.
func (r *btRun) backref(n int, fold bool, pos int, k func(int) bool) bool {
	i := 2 * (n - 1)
	if n < 1 || i+1 >= len(r.caps) || r.caps[i] < 0 {
		return false
	}
	want := r.in[r.caps[i]:r.caps[i+1]]
	if !fold {
		if strings.HasPrefix(r.in[pos:], want) {
			return k(pos + len(want))
		}
		return false
	}
	p := pos
	for _, c := range want {
		d, w := r.runeAt(p)
		if w == 0 || !foldEq(c, d) {
			return false
		}
		p += w
	}
	return k(p)
}

// repeat matches sub between min and max (-1: no limit) times, greedy or
// not; past min, an iteration that matches the empty string is taken
// only as the first one, as in RE2.
func (r *btRun) repeat(sub *syntax.Regexp, min, max int, greedy bool, pos int, k func(int) bool) bool {
	if ok, single := singleRune(sub); single {
		// Fast path: collect the positions one rune apart.
		ends := []int{pos}
		p := pos
		for max < 0 || len(ends)-1 < max {
			c, w := r.runeAt(p)
			if w == 0 || !ok(c) {
				break
			}
			p += w
			ends = append(ends, p)
			if r.steps++; r.steps > btMaxSteps {
				r.err = tooComplex()
				return false
			}
		}
		if len(ends)-1 < min {
			return false
		}
		if greedy {
			for i := len(ends) - 1; i >= min; i-- {
				if k(ends[i]) {
					return true
				}
				if r.err != nil {
					return false
				}
			}
			return false
		}
		for i := min; i < len(ends); i++ {
			if k(ends[i]) {
				return true
			}
			if r.err != nil {
				return false
			}
		}
		return false
	}
	var try func(count, p int) bool
	try = func(count, p int) bool {
		if count < min {
			return r.match(sub, p, func(e int) bool {
				if e == p && count+1 >= min {
					return k(e) // an empty last required iteration ends the loop
				}
				return try(count+1, e)
			})
		}
		more := func() bool {
			// An iteration that matches nothing is taken only as the
			// first one, and ends the loop.
			return (max < 0 || count < max) && r.match(sub, p, func(e int) bool {
				if e == p {
					return count == 0 && k(e)
				}
				return try(count+1, e)
			})
		}
		if greedy {
			return more() || r.err == nil && k(p)
		}
		return k(p) || r.err == nil && more()
	}
	return try(0, pos)
}
