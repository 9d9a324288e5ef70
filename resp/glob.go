package resp

// globMatch reports whether s matches the Redis glob pattern p, as KEYS and
// SCAN MATCH read it: '*' any run, '?' any byte, '[abc]', '[^abc]', '[a-z]'
// (a reversed range is swapped), and '\' quoting the next byte, also inside
// brackets. An unclosed '[' takes the rest of the pattern as its set.
func globMatch(p, s []byte) bool {
	giveUp := false
	return globMatchAt(p, s, &giveUp)
}

// globMatchAt matches p against s. giveUp is set once a '*' has failed
// against every suffix: a later '*' cannot succeed where it failed, which
// keeps patterns with many stars linear instead of exponential.
func globMatchAt(p, s []byte, giveUp *bool) bool {
	for len(p) > 0 && len(s) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 1 && p[1] == '*' {
				p = p[1:]
			}
			if len(p) == 1 {
				return true
			}
			for len(s) > 0 {
				if globMatchAt(p[1:], s, giveUp) {
					return true
				}
				if *giveUp {
					return false
				}
				s = s[1:]
			}
			*giveUp = true
			return false
		case '?':
			p, s = p[1:], s[1:]
		case '[':
			var ok bool
			p, ok = matchClass(p[1:], s[0])
			if !ok {
				return false
			}
			s = s[1:]
		case '\\':
			if len(p) >= 2 {
				p = p[1:]
			}
			fallthrough
		default:
			if p[0] != s[0] {
				return false
			}
			p, s = p[1:], s[1:]
		}
		if len(s) == 0 {
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			break
		}
	}
	return len(p) == 0 && len(s) == 0
}

// matchClass matches c against the bracket set that p starts with (after
// the '['). It returns the pattern after the set's closing ']' (nothing
// when unclosed) and whether c is in the set.
func matchClass(p []byte, c byte) ([]byte, bool) {
	not := len(p) > 0 && p[0] == '^'
	if not {
		p = p[1:]
	}
	match := false
	for {
		switch {
		case len(p) >= 2 && p[0] == '\\':
			p = p[1:]
			if p[0] == c {
				match = true
			}
		case len(p) == 0:
			return p, match != not // unclosed
		case p[0] == ']':
			return p[1:], match != not
		case len(p) >= 3 && p[1] == '-':
			lo, hi := p[0], p[2]
			if lo > hi {
				lo, hi = hi, lo
			}
			if c >= lo && c <= hi {
				match = true
			}
			p = p[2:]
		default:
			if p[0] == c {
				match = true
			}
		}
		p = p[1:]
	}
}
