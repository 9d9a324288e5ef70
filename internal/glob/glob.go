// Package glob matches Redis's glob patterns, byte-wise and
// case-sensitive, as Redis's stringmatchlen does for KEYS, SCAN MATCH,
// HSCAN/SSCAN/ZSCAN MATCH, CONFIG GET, PSUBSCRIBE and PUBSUB CHANNELS.
package glob

// Match reports whether s matches the glob pattern: '*' matches any run of bytes,
// '?' any one byte, '[abc]' one of a set, '[^abc]' one byte outside it,
// '[a-z]' a range (a reversed range is swapped), and '\' takes the next
// byte literally, also inside brackets. An unclosed '[' takes the rest of
// the pattern as its set. Every pattern is valid.
//
// A pattern with many stars costs time linear in their number, not
// exponential: once a star has failed against every suffix of the input,
// no later star can succeed where it failed.
func Match(pattern, s []byte) bool {
	giveUp := false
	return matchAt(pattern, s, &giveUp)
}

func matchAt(p, s []byte, giveUp *bool) bool {
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
				if matchAt(p[1:], s, giveUp) {
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
			s = s[1:]
		case '[':
			var ok bool
			p, ok = matchSet(p[1:], s[0])
			if !ok {
				return false
			}
			s = s[1:]
		case '\\':
			if len(p) >= 2 {
				p = p[1:]
			}
			if p[0] != s[0] {
				return false
			}
			s = s[1:]
		default:
			if p[0] != s[0] {
				return false
			}
			s = s[1:]
		}
		p = p[1:]
		if len(s) == 0 {
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			break
		}
	}
	return len(p) == 0 && len(s) == 0
}

// matchSet matches c against the set that starts at p (just after its
// '['). It returns p at the set's last byte (its ']', or the pattern's
// last byte for an unclosed set), so that the caller's step moves past it.
func matchSet(p []byte, c byte) ([]byte, bool) {
	negate := len(p) > 0 && p[0] == '^'
	if negate {
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
		case len(p) > 0 && p[0] == ']':
			return p, match != negate
		case len(p) == 0:
			// Unclosed: the caller's step must consume nothing more. A
			// one-byte slice of nothing in particular keeps its loop going
			// right: it drops that byte and finds the pattern at its end.
			return []byte{0}, match != negate
		case len(p) >= 3 && p[1] == '-':
			lo, hi := p[0], p[2]
			if lo > hi {
				lo, hi = hi, lo
			}
			p = p[2:]
			if lo <= c && c <= hi {
				match = true
			}
		default:
			if p[0] == c {
				match = true
			}
		}
		p = p[1:]
	}
}
