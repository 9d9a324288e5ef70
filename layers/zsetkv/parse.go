package zsetkv

import (
	"math"
	"strconv"
	"strings"
)

// This file parses scores and ranges the way Redis 7.0 reads them from
// command arguments: C's strtod, with Redis's checks around it.

// isSpace reports whether c is a C isspace character.
func isSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// hasFold reports whether b starts with the lower-case word w, ignoring
// case.
func hasFold(b []byte, w string) bool {
	return len(b) >= len(w) && strings.EqualFold(string(b[:len(w)]), w)
}

// strtod parses the longest prefix of b that C's strtod accepts: leading
// white space, a sign, then a decimal or hexadecimal number, "inf",
// "infinity" or "nan". n is the number of bytes used (0 when none form a
// number); zeroed reports a non-zero number that underflowed to 0, which
// strtod flags with ERANGE. An overflow gives an infinity.
func strtod(b []byte) (v float64, n int, zeroed bool) {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	rest := b[i:]
	switch {
	case hasFold(rest, "infinity"):
		return math.Inf(sign(neg)), i + 8, false
	case hasFold(rest, "inf"):
		return math.Inf(sign(neg)), i + 3, false
	case hasFold(rest, "nan"):
		j := i + 3
		if j < len(b) && b[j] == '(' {
			k := j + 1
			for k < len(b) && (isHex(b[k]) || b[k] == '_' || (b[k]|0x20 >= 'a' && b[k]|0x20 <= 'z')) {
				k++
			}
			if k < len(b) && b[k] == ')' {
				j = k + 1
			}
		}
		return math.NaN(), j, false
	}
	hex := len(rest) >= 2 && rest[0] == '0' && rest[1]|0x20 == 'x'
	digit := isDigit
	if hex {
		j := i + 2
		if j < len(b) && (isHex(b[j]) || (b[j] == '.' && j+1 < len(b) && isHex(b[j+1]))) {
			i = j
			digit = isHex
		} else {
			hex = false
		}
	}
	j := i
	nonzero, digits := false, 0
	for j < len(b) && digit(b[j]) {
		nonzero = nonzero || b[j] != '0'
		digits++
		j++
	}
	if j < len(b) && b[j] == '.' {
		j++
		for j < len(b) && digit(b[j]) {
			nonzero = nonzero || b[j] != '0'
			digits++
			j++
		}
	}
	if digits == 0 {
		return 0, 0, false
	}
	mant := string(b[i:j])
	expMark := byte('e')
	if hex {
		expMark = 'p'
	}
	exp := ""
	if j < len(b) && b[j]|0x20 == expMark {
		k := j + 1
		if k < len(b) && (b[k] == '+' || b[k] == '-') {
			k++
		}
		if k < len(b) && isDigit(b[k]) {
			for k < len(b) && isDigit(b[k]) {
				k++
			}
			exp = string(b[j+1 : k])
			j = k
		}
	}
	var text string
	if hex {
		if exp == "" {
			exp = "0"
		}
		text = "0x" + mant + "p" + exp
	} else {
		text = mant
		if exp != "" {
			text += "e" + exp
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !math.IsInf(f, 0) {
		// An exponent too long for strconv: the value is 0 or infinite.
		if strings.HasPrefix(exp, "-") {
			f = 0
		} else {
			f = math.Inf(1)
		}
	}
	if !nonzero {
		f = 0
	}
	if neg {
		f = -f
	}
	return f, j, nonzero && f == 0
}

func sign(neg bool) int {
	if neg {
		return -1
	}
	return 1
}

// ParseScore parses a score, increment or weight as Redis does: the whole
// argument a strtod number without leading space, neither NaN nor out of
// the double range (overflow or underflow to 0).
func ParseScore(b []byte) (float64, bool) {
	if len(b) == 0 || isSpace(b[0]) {
		return 0, false
	}
	f, n, zeroed := strtod(b)
	if n != len(b) || math.IsNaN(f) || zeroed || (math.IsInf(f, 0) && !infText(b)) {
		return 0, false
	}
	return f, true
}

// infText reports whether b spells an infinity rather than overflowing.
func infText(b []byte) bool {
	s := strings.TrimLeft(string(b), " \t\n\v\f\r")
	s = strings.TrimLeft(s, "+-")
	return hasFold([]byte(s), "inf")
}

// parseBoundValue reads a range bound as Redis's zslParseRange does: strtod
// on the C string, which must end where the number ends (or at a NUL
// byte), and must not be NaN. Overflow and leading space are allowed, and
// an empty string is 0.
func parseBoundValue(b []byte) (float64, bool) {
	f, n, _ := strtod(b)
	if n < len(b) && b[n] != 0 || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// ParseScoreBound parses one end of a score range: a number, or "(" and a
// number for an exclusive bound.
func ParseScoreBound(b []byte) (ScoreBound, bool) {
	if len(b) > 0 && b[0] == '(' {
		f, ok := parseBoundValue(b[1:])
		return ScoreBound{Value: f, Exclusive: true}, ok
	}
	f, ok := parseBoundValue(b)
	return ScoreBound{Value: f}, ok
}

// ParseScoreRange parses the min and max of ZRANGEBYSCORE and ZCOUNT.
func ParseScoreRange(min, max []byte) (ScoreRange, bool) {
	lo, ok1 := ParseScoreBound(min)
	hi, ok2 := ParseScoreBound(max)
	return ScoreRange{Min: lo, Max: hi}, ok1 && ok2
}

// ParseLexBound parses one end of a lexicographic range: "-", "+", or "["
// (inclusive) or "(" (exclusive) and a string.
func ParseLexBound(b []byte) (LexBound, bool) {
	if len(b) == 0 {
		return LexBound{}, false
	}
	switch b[0] {
	case '+', '-':
		// Redis reads the argument as a C string: "+\x00..." is "+".
		if len(b) > 1 && b[1] != 0 {
			return LexBound{}, false
		}
		if b[0] == '+' {
			return LexBound{Inf: 1, Exclusive: true}, true
		}
		return LexBound{Inf: -1, Exclusive: true}, true
	case '(':
		return LexBound{Value: b[1:], Exclusive: true}, true
	case '[':
		return LexBound{Value: b[1:]}, true
	}
	return LexBound{}, false
}

// ParseLexRange parses the min and max of ZRANGEBYLEX and ZLEXCOUNT.
func ParseLexRange(min, max []byte) (LexRange, bool) {
	lo, ok1 := ParseLexBound(min)
	hi, ok2 := ParseLexBound(max)
	return LexRange{Min: lo, Max: hi}, ok1 && ok2
}
