package types

// to_date(text, format) and to_timestamp(text, format): reading dates and
// times with the to_char template patterns (YYYY, MM, DD, HH24, MI, SS,
// MS, US, Mon, Month, AM, TZH, TZM ...), without the FX option.

import (
	"strconv"
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// fromCharFields collects the fields read from the input.
type fromCharFields struct {
	year, mon, mday, hour, min, sec int
	usec                            int64
	haveYear, pm, am, bc            bool
	hour12                          bool
	tzh, tzm                        int
	tzSign                          int
	haveTZ                          bool
}

// digitPattern reports whether a pattern reads digits, and its nominal
// width.
func digitPattern(up string) (int, bool) {
	switch up {
	case "YYYY", "IYYY":
		return 4, true
	case "YYY", "IYY", "DDD", "MS":
		return 3, true
	case "YY", "IY", "MM", "DD", "HH", "HH12", "HH24", "MI", "SS", "CC", "WW", "IW":
		return 2, true
	case "Y", "I", "D", "ID", "Q", "W":
		return 1, true
	case "US":
		return 6, true
	case "SSSS", "SSSSS", "J":
		return 10, true
	case "TZH", "TZM":
		return 2, true
	case "FF1", "FF2", "FF3", "FF4", "FF5", "FF6":
		return int(up[2] - '0'), true
	}
	return 0, false
}

// fcToken is a parsed template element: a pattern or literal text.
type fcToken struct {
	pat     string // the pattern as written ("" for literal text)
	literal string // literal text, or a separator
	sep     bool   // literal is a single separator character
}

func tokenizeFormat(f string) []fcToken {
	var out []fcToken
	for len(f) > 0 {
		if f[0] == '"' {
			f = f[1:]
			var b strings.Builder
			for len(f) > 0 && f[0] != '"' {
				if f[0] == '\\' && len(f) > 1 {
					f = f[1:]
				}
				b.WriteByte(f[0])
				f = f[1:]
			}
			if len(f) > 0 {
				f = f[1:]
			}
			out = append(out, fcToken{literal: b.String()})
			continue
		}
		if strings.HasPrefix(f, "FM") || strings.HasPrefix(f, "fm") || strings.HasPrefix(f, "FX") || strings.HasPrefix(f, "fx") {
			f = f[2:]
			continue
		}
		pat := ""
		for _, p := range toCharPatterns {
			if strings.HasPrefix(f, p) {
				pat = p
				break
			}
		}
		if pat != "" {
			f = f[len(pat):]
			if strings.HasPrefix(f, "TH") || strings.HasPrefix(f, "th") {
				f = f[2:]
			}
			out = append(out, fcToken{pat: pat})
			continue
		}
		c := f[0]
		isAlnum := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		out = append(out, fcToken{literal: f[:1], sep: !isAlnum})
		f = f[1:]
	}
	return out
}

// isSep reports whether c separates fields of the input.
func isSep(c byte) bool {
	return !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80)
}

// fromChar reads s by the template f.
func fromChar(s, f string) (*fromCharFields, error) {
	toks := tokenizeFormat(f)
	fs := &fromCharFields{mon: 1, mday: 1}
	i := 0
	for ti, tok := range toks {
		if i >= len(s) {
			break
		}
		if tok.pat == "" {
			if tok.sep {
				if tok.literal == " " {
					for i < len(s) && s[i] == ' ' {
						i++
					}
				} else if isSep(s[i]) {
					i++
				}
				continue
			}
			i += len(tok.literal)
			continue
		}
		// Fields skip leading blanks.
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i >= len(s) {
			break
		}
		up := strings.ToUpper(tok.pat)
		if width, ok := digitPattern(up); ok {
			adjacent := false
			if ti+1 < len(toks) && toks[ti+1].pat != "" {
				_, adjacent = digitPattern(strings.ToUpper(toks[ti+1].pat))
			}
			j := i
			if j < len(s) && (s[j] == '-' || s[j] == '+') && (up == "YYYY" || up == "TZH") {
				j++
			}
			start := j
			for j < len(s) && s[j] >= '0' && s[j] <= '9' && (!adjacent || j-start < width) {
				j++
			}
			if j == start {
				end := min(i+width, len(s))
				return nil, sqlerr.New(codeInvalidDatetimeFormat, "invalid value \"%s\" for \"%s\"", s[i:end], tok.pat).
					WithDetail("Value must be an integer.")
			}
			digits := s[start:j]
			n, err := strconv.Atoi(s[i:j])
			if err != nil || len(digits) > 9 {
				return nil, sqlerr.New(codeDatetimeOverflow, "value for \"%s\" in source string is out of range", tok.pat).
					WithDetail("Value must be in the range %d to %d.", -2147483648, 2147483647)
			}
			if err := fs.setNumber(up, n, digits, s[i:j]); err != nil {
				return nil, err
			}
			i = j
			continue
		}
		j := i
		for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] == '.') {
			j++
		}
		word := strings.ToLower(s[i:j])
		bad := func() error {
			return sqlerr.New(codeInvalidDatetimeFormat, "invalid value \"%s\" for \"%s\"", s[i:j], tok.pat).
				WithDetail("The given value did not match any of the allowed values for this field.")
		}
		switch up {
		case "MON", "MONTH":
			found := false
			for m, name := range monthFull {
				full := strings.ToLower(name)
				if (up == "MON" && strings.HasPrefix(word, full[:3])) || (up == "MONTH" && strings.HasPrefix(word, full)) {
					fs.mon, found = m+1, true
					if up == "MON" {
						j = i + 3
					} else {
						j = i + len(full)
					}
					break
				}
			}
			if !found {
				return nil, bad()
			}
		case "DY", "DAY":
			found := false
			for _, name := range dayFull {
				full := strings.ToLower(name)
				if (up == "DY" && strings.HasPrefix(word, full[:3])) || (up == "DAY" && strings.HasPrefix(word, full)) {
					found = true
					if up == "DY" {
						j = i + 3
					} else {
						j = i + len(full)
					}
					break
				}
			}
			if !found {
				return nil, bad()
			}
		case "AM", "PM", "A.M.", "P.M.":
			switch {
			case strings.HasPrefix(word, "am") || strings.HasPrefix(word, "a.m."):
				fs.am = true
			case strings.HasPrefix(word, "pm") || strings.HasPrefix(word, "p.m."):
				fs.pm = true
			default:
				return nil, bad()
			}
			j = i + len(up)
		case "AD", "BC", "A.D.", "B.C.":
			switch {
			case strings.HasPrefix(word, "bc") || strings.HasPrefix(word, "b.c."):
				fs.bc = true
			case strings.HasPrefix(word, "ad") || strings.HasPrefix(word, "a.d."):
			default:
				return nil, bad()
			}
			j = i + len(up)
		default:
			return nil, sqlerr.Unsupported("formatting field \"%s\" is only supported in to_char", tok.pat)
		}
		i = j
	}
	return fs, nil
}

// setNumber stores a numeric field.
func (fs *fromCharFields) setNumber(up string, n int, digits, raw string) error {
	switch up {
	case "YYYY":
		fs.year, fs.haveYear = n, true
	case "YYY":
		if len(digits) < 4 {
			n += 1000
			if n < 1520 {
				n += 1000
			}
		}
		fs.year, fs.haveYear = n, true
	case "YY":
		if len(digits) < 3 {
			if n < 70 {
				n += 2000
			} else if n < 100 {
				n += 1900
			}
		}
		fs.year, fs.haveYear = n, true
	case "Y":
		if len(digits) < 2 {
			n += 2000
		}
		fs.year, fs.haveYear = n, true
	case "MM":
		fs.mon = n
	case "DD":
		fs.mday = n
	case "HH", "HH12":
		fs.hour, fs.hour12 = n, true
	case "HH24":
		fs.hour = n
	case "MI":
		fs.min = n
	case "SS":
		fs.sec = n
	case "MS":
		for k := len(digits); k < 3; k++ {
			n *= 10
		}
		fs.usec += int64(n) * 1000
	case "US", "FF1", "FF2", "FF3", "FF4", "FF5", "FF6":
		for k := len(digits); k < 6; k++ {
			n *= 10
		}
		fs.usec += int64(n)
	case "TZH":
		fs.haveTZ = true
		fs.tzSign = 1
		if strings.HasPrefix(raw, "-") {
			fs.tzSign = -1
			n = -n
		}
		fs.tzh = n
	case "TZM":
		fs.haveTZ = true
		if fs.tzSign == 0 {
			fs.tzSign = 1
		}
		fs.tzm = n
	default:
		return sqlerr.Unsupported("formatting field \"%s\" is not supported in to_timestamp yet", up)
	}
	return nil
}

// build turns the fields into a date (k Date) or timestamptz.
func (fs *fromCharFields) build(env *Env, k Kind, s string) (Value, error) {
	rangeErr := func() (Value, error) {
		return Null, sqlerr.New(codeDatetimeOverflow, "date/time field value out of range: \"%s\"", s)
	}
	if fs.hour12 || fs.am || fs.pm {
		if fs.hour < 1 || fs.hour > 12 {
			return Null, sqlerr.New(codeInvalidDatetimeFormat, "hour \"%d\" is invalid for the 12-hour clock", fs.hour).
				WithHint("Use the 24-hour clock, or give an hour between 1 and 12.")
		}
		if fs.pm && fs.hour < 12 {
			fs.hour += 12
		} else if !fs.pm && fs.hour == 12 {
			fs.hour = 0
		}
	}
	y := fs.year
	if !fs.haveYear {
		y = 0 // PostgreSQL's default year is 1 BC
	} else if fs.bc || y < 0 {
		if y < 0 {
			y = -y
		}
		y = 1 - y
	}
	if fs.mon < 1 || fs.mon > 12 || fs.mday < 1 || fs.mday > daysIn(y, fs.mon) {
		return rangeErr()
	}
	if fs.hour < 0 || fs.hour > 24 || fs.min < 0 || fs.min > 59 || fs.sec < 0 || fs.sec > 60 {
		return rangeErr()
	}
	days := dateToJulian(y, fs.mon, fs.mday) - pgEpochJDate
	if k == Date {
		if days < minDateDays || days >= endDateDays {
			return Null, sqlerr.New(codeDatetimeOverflow, "date out of range: \"%s\"", s)
		}
		return NewDate(int32(days)), nil
	}
	ts := days*usPerDay + int64(fs.hour)*usPerHour + int64(fs.min)*usPerMinute + int64(fs.sec)*usPerSec + fs.usec
	if fs.haveTZ {
		ts -= int64(fs.tzSign) * (int64(fs.tzh)*usPerHour + int64(fs.tzm)*usPerMinute)
	} else {
		ts = localToUTC(ts, env.loc())
	}
	if ts < minTS || ts >= endTS {
		return Null, sqlerr.New(codeDatetimeOverflow, "timestamp out of range")
	}
	return NewTimestamp(TimestampTZ, ts), nil
}

// ToDate is to_date(s, format).
func ToDate(s, format string) (Value, error) {
	fs, err := fromChar(s, format)
	if err != nil {
		return Null, err
	}
	return fs.build(nil, Date, s)
}

// ToTimestampFormat is to_timestamp(s, format): a timestamptz, read in
// the session time zone unless the input gives TZH/TZM.
func ToTimestampFormat(env *Env, s, format string) (Value, error) {
	fs, err := fromChar(s, format)
	if err != nil {
		return Null, err
	}
	return fs.build(env, TimestampTZ, s)
}
