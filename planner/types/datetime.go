package types

// date, time, timestamp and timestamptz: PostgreSQL's representations
// (days or microseconds since 2000-01-01), their ISO text output, and
// their text input in the common formats with DateStyle ISO, MDY.

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// SQLSTATE codes of date/time errors.
const (
	codeInvalidDatetimeFormat = "22007"
	codeDatetimeOverflow      = "22008"
	codeIntervalOverflow      = "22015"
)

// Time constants; PostgreSQL's epoch is 2000-01-01 00:00:00 UTC.
const (
	pgEpochUnix  = 946684800 // Unix time of 2000-01-01
	pgEpochJDate = 2451545   // Julian day of 2000-01-01
	usPerSec     = int64(1000000)
	usPerMinute  = 60 * usPerSec
	usPerHour    = 60 * usPerMinute
	usPerDay     = 24 * usPerHour
	secsPerDay   = int64(86400)

	// The valid ranges, as PostgreSQL's IS_VALID_DATE and
	// IS_VALID_TIMESTAMP: from 4714-11-24 BC to 5874897-12-31 for dates,
	// to 294276-12-31 23:59:59.999999 for timestamps.
	minDateDays = -pgEpochJDate
	endDateDays = 2147483494 - pgEpochJDate
	minTS       = int64(-211813488000000000)
	endTS       = int64(9223371331200000000)
)

// isInfDate reports whether a date is +-infinity.
func isInfDate(d int64) bool { return d == math.MinInt32 || d == math.MaxInt32 }

// isInfTS reports whether a timestamp is +-infinity.
func isInfTS(t int64) bool { return t == math.MinInt64 || t == math.MaxInt64 }

// usToTime turns microseconds since 2000-01-01 into a Go time in UTC.
func usToTime(us int64) time.Time {
	sec := floorDiv(us, usPerSec)
	return time.Unix(pgEpochUnix+sec, (us-sec*usPerSec)*1000).UTC()
}

// floorDiv divides rounding toward minus infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// dateToJulian returns the Julian day number of a proleptic Gregorian date
// with an astronomical year (1 BC is year 0).
func dateToJulian(y, m, d int) int64 {
	a := (14 - m) / 12
	yy := int64(y) + 4800 - int64(a)
	mm := int64(m + 12*a - 3)
	return int64(d) + (153*mm+2)/5 + 365*yy + floorDiv(yy, 4) - floorDiv(yy, 100) + floorDiv(yy, 400) - 32045
}

// julianToDate is the inverse of dateToJulian.
func julianToDate(j int64) (y, m, d int) {
	a := j + 32044
	b := floorDiv(4*a+3, 146097)
	c := a - floorDiv(146097*b, 4)
	dd := floorDiv(4*c+3, 1461)
	e := c - floorDiv(1461*dd, 4)
	mm := floorDiv(5*e+2, 153)
	d = int(e - floorDiv(153*mm+2, 5) + 1)
	m = int(mm + 3 - 12*floorDiv(mm, 10))
	y = int(100*b + dd - 4800 + floorDiv(mm, 10))
	return y, m, d
}

// daysIn returns the number of days of month m of astronomical year y.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// appendYMD appends an ISO date: the year with at least four digits, and
// " BC" is left to the caller.
func appendYMD(buf []byte, y, m, d int) []byte {
	if y <= 0 {
		y = 1 - y
	}
	buf = appendPadded(buf, int64(y), 4)
	buf = append(buf, '-')
	buf = appendPadded(buf, int64(m), 2)
	buf = append(buf, '-')
	return appendPadded(buf, int64(d), 2)
}

// appendPadded appends a non-negative n with at least width digits.
func appendPadded(buf []byte, n int64, width int) []byte {
	s := strconv.FormatInt(n, 10)
	for i := len(s); i < width; i++ {
		buf = append(buf, '0')
	}
	return append(buf, s...)
}

// appendDate is date_out with DateStyle ISO.
func appendDate(buf []byte, days int64) []byte {
	switch days {
	case math.MinInt32:
		return append(buf, "-infinity"...)
	case math.MaxInt32:
		return append(buf, "infinity"...)
	}
	y, m, d := julianToDate(days + pgEpochJDate)
	buf = appendYMD(buf, y, m, d)
	if y <= 0 {
		buf = append(buf, " BC"...)
	}
	return buf
}

// appendClock appends HH:MM:SS[.ffffff] for a non-negative time of day
// in microseconds (hours may exceed 23), trailing zeros of the fraction
// trimmed.
func appendClock(buf []byte, us int64) []byte {
	h := us / usPerHour
	us -= h * usPerHour
	mi := us / usPerMinute
	us -= mi * usPerMinute
	buf = appendPadded(buf, h, 2)
	buf = append(buf, ':')
	buf = appendPadded(buf, mi, 2)
	buf = append(buf, ':')
	return appendSeconds(buf, us)
}

// appendSeconds appends SS[.ffffff] of a non-negative count of
// microseconds below one minute, trailing zeros of the fraction trimmed.
func appendSeconds(buf []byte, us int64) []byte {
	buf = appendPadded(buf, us/usPerSec, 2)
	if frac := us % usPerSec; frac != 0 {
		f := []byte(strconv.FormatInt(frac+usPerSec, 10)[1:])
		for len(f) > 0 && f[len(f)-1] == '0' {
			f = f[:len(f)-1]
		}
		buf = append(buf, '.')
		buf = append(buf, f...)
	}
	return buf
}

// appendTime is time_out.
func appendTime(buf []byte, us int64) []byte { return appendClock(buf, us) }

// appendTimestamp is timestamp_out (loc nil) or timestamptz_out in loc.
func appendTimestamp(buf []byte, us int64, loc *time.Location) []byte {
	switch us {
	case math.MinInt64:
		return append(buf, "-infinity"...)
	case math.MaxInt64:
		return append(buf, "infinity"...)
	}
	off := int64(0)
	if loc != nil {
		off = int64(zoneOffset(us, loc))
		us += off * usPerSec
	}
	days := floorDiv(us, usPerDay)
	y, m, d := julianToDate(days + pgEpochJDate)
	buf = appendYMD(buf, y, m, d)
	buf = append(buf, ' ')
	buf = appendClock(buf, us-days*usPerDay)
	if loc != nil {
		buf = appendOffset(buf, off)
	}
	if y <= 0 {
		buf = append(buf, " BC"...)
	}
	return buf
}

// appendOffset appends a UTC offset as PostgreSQL prints it: +HH, +HH:MM
// or +HH:MM:SS.
func appendOffset(buf []byte, off int64) []byte {
	if off < 0 {
		buf = append(buf, '-')
		off = -off
	} else {
		buf = append(buf, '+')
	}
	buf = appendPadded(buf, off/3600, 2)
	if off%3600 != 0 {
		buf = append(buf, ':')
		buf = appendPadded(buf, off/60%60, 2)
		if off%60 != 0 {
			buf = append(buf, ':')
			buf = appendPadded(buf, off%60, 2)
		}
	}
	return buf
}

// zoneOffset returns loc's UTC offset in seconds at the instant us.
func zoneOffset(us int64, loc *time.Location) int {
	_, off := usToTime(us).In(loc).Zone()
	return off
}

// localToUTC converts a wall time in loc (microseconds since 2000-01-01
// as if UTC) to an instant, resolving transitions as PostgreSQL does: a
// time in a spring-forward gap takes the offset before the transition, an
// ambiguous time in a fall-back overlap the offset after it.
func localToUTC(local int64, loc *time.Location) int64 {
	if loc == time.UTC {
		return local
	}
	before := zoneOffset(local-usPerDay, loc)
	after := zoneOffset(local+usPerDay, loc)
	okB := zoneOffset(local-int64(before)*usPerSec, loc) == before
	okA := zoneOffset(local-int64(after)*usPerSec, loc) == after
	off := before
	switch {
	case before == after:
		off = zoneOffset(local-int64(before)*usPerSec, loc)
	case okA:
		off = after
	case okB:
		off = before
	}
	return local - int64(off)*usPerSec
}

// localTime returns the wall time of an instant in loc, in microseconds
// since 2000-01-01.
func localTime(us int64, loc *time.Location) int64 {
	return us + int64(zoneOffset(us, loc))*usPerSec
}

// dtSyntaxErr and dtFieldErr build the errors of date/time input.
func dtSyntaxErr(k Kind, s string) *sqlerr.Error {
	name := info(k).name
	switch k {
	case Time:
		name = "time"
	case Timestamp:
		name = "timestamp"
	}
	return sqlerr.New(codeInvalidDatetimeFormat, "invalid input syntax for type %s: \"%s\"", name, s)
}

func dtFieldErr(s string, hint bool) *sqlerr.Error {
	e := sqlerr.New(codeDatetimeOverflow, "date/time field value out of range: \"%s\"", s)
	if hint {
		e = e.WithHint("Perhaps you need a different \"datestyle\" setting.")
	}
	return e
}

// dtToken is one field of a date/time string.
type dtToken struct {
	kind byte   // 'n' number, 'd' date, 't' time, 'a' word, 'z' signed number
	s    string // the text (words lower-cased)
	orig string // words: the original spelling
}

// tokenizeDateTime splits a date/time string into fields; ok is false on
// a character that no field may contain.
func tokenizeDateTime(s string) ([]dtToken, bool) {
	var toks []dtToken
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	isAlpha := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ',':
			i++
		case isDigit(c):
			start := i
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			switch {
			case i < len(s) && s[i] == ':':
				for i < len(s) && (isDigit(s[i]) || s[i] == ':' || s[i] == '.') {
					i++
				}
				toks = append(toks, dtToken{kind: 't', s: s[start:i]})
			case i+1 < len(s) && (s[i] == '-' || s[i] == '/' || s[i] == '.') && (isDigit(s[i+1]) || isAlpha(s[i+1])):
				delim := s[i]
				for i+1 < len(s) && s[i] == delim && (isDigit(s[i+1]) || isAlpha(s[i+1])) {
					i++
					if isDigit(s[i]) {
						for i < len(s) && isDigit(s[i]) {
							i++
						}
					} else {
						for i < len(s) && isAlpha(s[i]) {
							i++
						}
					}
				}
				tok := s[start:i]
				if delim == '.' && strings.Count(tok, ".") == 1 && !strings.ContainsFunc(tok, func(r rune) bool { return r >= 'A' }) {
					toks = append(toks, dtToken{kind: 'n', s: tok})
				} else {
					toks = append(toks, dtToken{kind: 'd', s: strings.ToLower(tok)})
				}
			default:
				toks = append(toks, dtToken{kind: 'n', s: s[start:i]})
			}
		case isAlpha(c):
			start := i
			slash := false
			for i < len(s) && (isAlpha(s[i]) || s[i] == '/' || s[i] == '_' ||
				(slash && (isDigit(s[i]) || s[i] == '+' || s[i] == '-'))) {
				slash = slash || s[i] == '/'
				i++
			}
			w := s[start:i]
			if (w == "T" || w == "t") && i < len(s) && isDigit(s[i]) {
				continue // ISO 8601 date/time separator
			}
			toks = append(toks, dtToken{kind: 'a', s: strings.ToLower(w), orig: w})
		case c == '+' || c == '-':
			start := i
			i++
			switch {
			case i < len(s) && isDigit(s[i]):
				for i < len(s) && (isDigit(s[i]) || s[i] == ':' || s[i] == '.') {
					i++
				}
				toks = append(toks, dtToken{kind: 'z', s: s[start:i]})
			case i < len(s) && isAlpha(s[i]):
				for i < len(s) && isAlpha(s[i]) {
					i++
				}
				toks = append(toks, dtToken{kind: 'a', s: strings.ToLower(s[start:i]), orig: s[start:i]})
			default:
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return toks, true
}

var monthNames = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
	"october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

var dayNames = map[string]bool{
	"sun": true, "sunday": true, "mon": true, "monday": true, "tue": true,
	"tues": true, "tuesday": true, "wed": true, "wednesday": true,
	"thu": true, "thur": true, "thurs": true, "thursday": true, "fri": true,
	"friday": true, "sat": true, "saturday": true,
}

// zoneAbbrevs are the common abbreviations of PostgreSQL's Default
// timezone_abbreviations set, with their UTC offsets in seconds.
var zoneAbbrevs = map[string]int{
	"utc": 0, "gmt": 0, "z": 0, "zulu": 0, "ut": 0,
	"est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
	"mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
	"akst": -9 * 3600, "akdt": -8 * 3600, "hst": -10 * 3600,
	"wet": 0, "west": 3600, "bst": 3600, "cet": 3600, "cest": 2 * 3600,
	"met": 3600, "mest": 2 * 3600, "eet": 2 * 3600, "eest": 3 * 3600,
	"msk": 3 * 3600, "ist": 2 * 3600, "jst": 9 * 3600, "kst": 9 * 3600,
	"aest": 10 * 3600, "aedt": 11 * 3600, "acst": 34200, "awst": 8 * 3600,
	"nzst": 12 * 3600, "nzdt": 13 * 3600,
}

// LoadZone finds a time zone by name as the TimeZone setting and AT TIME
// ZONE accept it: an IANA name (any letter case), UTC offsets' POSIX
// spelling is not supported. It returns false when the name is unknown.
func LoadZone(name string) (*time.Location, bool) {
	if strings.EqualFold(name, "utc") || strings.EqualFold(name, "gmt") || strings.EqualFold(name, "z") {
		return time.UTC, true
	}
	if name == "" || strings.Contains(name, "..") || strings.HasPrefix(name, "/") {
		return nil, false
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc, true
	}
	// IANA names are capitalised per component; PostgreSQL matches them
	// case-insensitively.
	parts := strings.Split(strings.ToLower(name), "/")
	for i, p := range parts {
		words := strings.Split(p, "_")
		for j, w := range words {
			if len(w) > 0 {
				words[j] = strings.ToUpper(w[:1]) + w[1:]
			}
		}
		parts[i] = strings.Join(words, "_")
	}
	if loc, err := time.LoadLocation(strings.Join(parts, "/")); err == nil {
		return loc, true
	}
	if loc, err := time.LoadLocation(strings.ToUpper(name)); err == nil {
		return loc, true
	}
	return nil, false
}

// dtFields collects what the fields of a date/time string say.
type dtFields struct {
	year, mon, mday      int
	haveYear, haveMon    bool
	haveDay              bool
	yearDigits           int
	hour, min, sec       int
	usec                 int64
	haveTime             bool
	ampm                 int // 0 none, 1 am, 2 pm
	bc                   bool
	zoneOff              int
	zoneLoc              *time.Location
	haveZone             bool
	special              string
	relDay               int // today 0, tomorrow 1, yesterday -1
	haveRel, monFromName bool
}

// parseDateTime is the input function of date, time, timestamp and
// timestamptz.
func parseDateTime(env *Env, k Kind, s string) (Value, error) {
	toks, ok := tokenizeDateTime(s)
	if !ok || len(toks) == 0 {
		return Null, dtSyntaxErr(k, s)
	}
	var f dtFields
	for i, tok := range toks {
		if err := f.take(k, s, tok, i == 0 && len(toks) == 1); err != nil {
			return Null, err
		}
	}
	return f.build(env, k, s)
}

// take interprets one field.
func (f *dtFields) take(k Kind, s string, tok dtToken, alone bool) error {
	switch tok.kind {
	case 'd':
		if f.haveYear || f.haveDay {
			return dtSyntaxErr(k, s)
		}
		return f.takeDate(k, s, tok.s)
	case 't':
		if f.haveTime {
			return dtSyntaxErr(k, s)
		}
		return f.takeTime(k, s, tok.s)
	case 'n':
		return f.takeNumber(k, s, tok.s)
	case 'z':
		if f.haveZone || !(f.haveTime || f.haveDay) {
			return dtSyntaxErr(k, s)
		}
		off, ok := parseOffset(tok.s)
		if !ok {
			return dtSyntaxErr(k, s)
		}
		if off < -15*3600-59*60-59 || off > 15*3600+59*60+59 {
			return sqlerr.New("22009", "time zone displacement out of range: \"%s\"", s)
		}
		f.zoneOff, f.haveZone = off, true
		return nil
	}
	w := tok.s
	switch w {
	case "epoch", "infinity", "+infinity", "-infinity", "now", "allballs":
		if !alone {
			return dtSyntaxErr(k, s)
		}
		f.special = w
		return nil
	case "today", "tomorrow", "yesterday":
		if f.haveRel || f.haveDay {
			return dtSyntaxErr(k, s)
		}
		f.haveRel = true
		f.relDay = map[string]int{"today": 0, "tomorrow": 1, "yesterday": -1}[w]
		return nil
	case "am", "a.m.":
		f.ampm = 1
		return nil
	case "pm", "p.m.":
		f.ampm = 2
		return nil
	case "bc":
		f.bc = true
		return nil
	case "ad", "at", "on":
		return nil
	}
	if m, ok := monthNames[w]; ok {
		if f.haveMon {
			return dtSyntaxErr(k, s)
		}
		f.mon, f.haveMon, f.monFromName = m, true, true
		return nil
	}
	if dayNames[w] {
		return nil
	}
	if f.haveZone {
		return dtSyntaxErr(k, s)
	}
	if off, ok := zoneAbbrevs[w]; ok {
		f.zoneOff, f.haveZone = off, true
		return nil
	}
	if loc, ok := LoadZone(tok.orig); ok && (strings.Contains(w, "/") || len(w) > 3) {
		f.zoneLoc, f.haveZone = loc, true
		return nil
	}
	if strings.Contains(w, "/") {
		return sqlerr.New(sqlerr.InvalidParameterValue, "time zone \"%s\" not recognized", w)
	}
	return dtSyntaxErr(k, s)
}

// parseOffset reads +HH, +HHMM, +HHMMSS, +HH:MM or +HH:MM:SS as seconds.
func parseOffset(z string) (int, bool) {
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	z = z[1:]
	var h, m, sec int
	var err error
	if strings.Contains(z, ":") {
		parts := strings.Split(z, ":")
		if len(parts) > 3 {
			return 0, false
		}
		vals := make([]int, 3)
		for i, p := range parts {
			if p == "" || len(p) > 2 && i > 0 {
				return 0, false
			}
			if vals[i], err = strconv.Atoi(p); err != nil {
				return 0, false
			}
		}
		h, m, sec = vals[0], vals[1], vals[2]
	} else {
		if strings.Contains(z, ".") {
			return 0, false
		}
		switch len(z) {
		case 1, 2:
			h, _ = strconv.Atoi(z)
		case 3, 4:
			h, _ = strconv.Atoi(z[:len(z)-2])
			m, _ = strconv.Atoi(z[len(z)-2:])
		case 5, 6:
			h, _ = strconv.Atoi(z[:len(z)-4])
			m, _ = strconv.Atoi(z[len(z)-4 : len(z)-2])
			sec, _ = strconv.Atoi(z[len(z)-2:])
		default:
			return 0, false
		}
	}
	if m > 59 || sec > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60 + sec), true
}

// takeDate reads a field like 2024-01-05, 1/2/03, 05-Jan-2024.
func (f *dtFields) takeDate(k Kind, s, d string) error {
	delim := d[strings.IndexAny(d, "-/.")]
	parts := strings.Split(d, string(delim))
	if len(parts) != 3 {
		return dtSyntaxErr(k, s)
	}
	isNum := func(p string) bool { return p != "" && p[0] >= '0' && p[0] <= '9' }
	num := func(p string) int {
		n, err := strconv.Atoi(p)
		if err != nil || len(p) > 9 {
			return math.MaxInt32
		}
		return n
	}
	alpha := -1
	for i, p := range parts {
		if !isNum(p) {
			if alpha >= 0 {
				return dtSyntaxErr(k, s)
			}
			m, ok := monthNames[p]
			if !ok {
				return dtSyntaxErr(k, s)
			}
			alpha = i
			f.mon, f.monFromName = m, true
		}
	}
	var yp, dp string
	switch {
	case alpha == 0:
		dp, yp = parts[1], parts[2]
	case alpha == 1 && len(parts[0]) >= 3:
		yp, dp = parts[0], parts[2]
	case alpha == 1:
		dp, yp = parts[0], parts[2]
	case alpha == 2:
		return dtSyntaxErr(k, s)
	case len(parts[0]) >= 3:
		yp = parts[0]
		f.mon, dp = num(parts[1]), parts[2]
	default:
		f.mon = num(parts[0])
		dp, yp = parts[1], parts[2]
	}
	if f.haveMon && f.monFromName && alpha < 0 {
		return dtSyntaxErr(k, s)
	}
	f.year, f.yearDigits, f.mday = num(yp), len(yp), num(dp)
	f.haveYear, f.haveMon, f.haveDay = true, true, true
	return nil
}

// takeTime reads HH:MM[:SS[.ffffff]].
func (f *dtFields) takeTime(k Kind, s, t string) error {
	parts := strings.Split(t, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return dtSyntaxErr(k, s)
	}
	for i, p := range parts {
		if p == "" || (i < len(parts)-1 && strings.Contains(p, ".")) {
			return dtSyntaxErr(k, s)
		}
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return dtSyntaxErr(k, s)
	}
	f.hour, f.min = h, m
	if len(parts) == 3 {
		sec, us, ok := parseSecFrac(parts[2])
		if !ok {
			return dtSyntaxErr(k, s)
		}
		f.sec, f.usec = sec, us
	}
	f.haveTime = true
	return nil
}

// parseSecFrac reads SS[.fff] into seconds and rounded microseconds.
func parseSecFrac(p string) (int, int64, bool) {
	ip, fp, hasFrac := strings.Cut(p, ".")
	if ip == "" || strings.Contains(fp, ".") {
		return 0, 0, false
	}
	sec, err := strconv.Atoi(ip)
	if err != nil {
		return 0, 0, false
	}
	var us int64
	if hasFrac && fp != "" {
		fr, err := strconv.ParseFloat("0."+fp, 64)
		if err != nil {
			return 0, 0, false
		}
		us = int64(math.RoundToEven(fr * 1e6))
	}
	return sec, us, true
}

// takeNumber reads a bare number: YYYYMMDD, YYMMDD, a day or a year.
func (f *dtFields) takeNumber(k Kind, s, n string) error {
	if strings.Contains(n, ".") {
		return dtSyntaxErr(k, s)
	}
	v, err := strconv.Atoi(n)
	if err != nil || len(n) > 9 {
		return dtSyntaxErr(k, s)
	}
	switch {
	case (len(n) == 6 || len(n) == 4) && f.haveYear && f.haveMon && f.haveDay && !f.haveTime:
		// HHMMSS or HHMM after a date.
		f.hour, _ = strconv.Atoi(n[:2])
		f.min, _ = strconv.Atoi(n[2:4])
		if len(n) == 6 {
			f.sec, _ = strconv.Atoi(n[4:])
		}
		f.haveTime = true
	case (len(n) == 8 || len(n) == 6) && !f.haveYear && !f.haveMon && !f.haveDay:
		yl := len(n) - 4
		f.year, _ = strconv.Atoi(n[:yl])
		f.mon, _ = strconv.Atoi(n[yl : yl+2])
		f.mday, _ = strconv.Atoi(n[yl+2:])
		f.yearDigits = yl
		f.haveYear, f.haveMon, f.haveDay = true, true, true
	case !f.haveDay && len(n) <= 2 && f.haveMon:
		f.mday, f.haveDay = v, true
	case !f.haveYear && (len(n) >= 3 || f.haveDay):
		f.year, f.yearDigits, f.haveYear = v, len(n), true
	case !f.haveDay && len(n) <= 2:
		f.mday, f.haveDay = v, true
	default:
		return dtSyntaxErr(k, s)
	}
	return nil
}

// build checks the fields and makes the value.
func (f *dtFields) build(env *Env, k Kind, s string) (Value, error) {
	loc := env.loc()
	if f.zoneLoc != nil {
		loc = f.zoneLoc
	}
	switch f.special {
	case "epoch":
		switch k {
		case Date:
			return NewDate(-10957), nil
		case Time:
			return Null, dtSyntaxErr(k, s)
		}
		return NewTimestamp(k, -10957*usPerDay), nil
	case "infinity", "+infinity", "-infinity":
		neg := f.special == "-infinity"
		switch k {
		case Date:
			if neg {
				return NewDate(math.MinInt32), nil
			}
			return NewDate(math.MaxInt32), nil
		case Time:
			return Null, dtSyntaxErr(k, s)
		}
		if neg {
			return NewTimestamp(k, math.MinInt64), nil
		}
		return NewTimestamp(k, math.MaxInt64), nil
	case "now":
		now := nowUS(env)
		local := localTime(now, env.loc())
		switch k {
		case Date:
			return NewDate(int32(floorDiv(local, usPerDay))), nil
		case Time:
			return NewTime(local - floorDiv(local, usPerDay)*usPerDay), nil
		case Timestamp:
			return NewTimestamp(k, local), nil
		}
		return NewTimestamp(k, now), nil
	case "allballs":
		if k != Time {
			return Null, dtSyntaxErr(k, s)
		}
		return NewTime(0), nil
	}
	if f.haveRel {
		if f.haveYear || f.haveMon || f.haveDay {
			return Null, dtSyntaxErr(k, s)
		}
		if k == Time {
			return Null, dtSyntaxErr(k, s)
		}
		local := localTime(nowUS(env), env.loc())
		y, m, d := julianToDate(floorDiv(local, usPerDay) + pgEpochJDate + int64(f.relDay))
		f.year, f.mon, f.mday, f.yearDigits = y, m, d, 4
		f.haveYear, f.haveMon, f.haveDay = true, true, true
		if y <= 0 {
			f.year, f.bc = 1-y, true
		}
	}
	hasDate := f.haveYear && f.haveMon && f.haveDay
	if (f.haveYear || f.haveMon || f.haveDay) && !hasDate {
		return Null, dtSyntaxErr(k, s)
	}
	if k != Time && !hasDate {
		return Null, dtSyntaxErr(k, s)
	}
	if k == Time && !f.haveTime && !hasDate {
		return Null, dtSyntaxErr(k, s)
	}
	if f.ampm != 0 {
		if !f.haveTime || f.hour < 0 || f.hour > 12 {
			return Null, dtFieldErr(s, false)
		}
		if f.hour == 12 {
			f.hour = 0
		}
		if f.ampm == 2 {
			f.hour += 12
		}
	}
	if f.hour < 0 || f.hour > 24 || f.min < 0 || f.min > 59 || f.sec < 0 || f.sec > 60 || f.usec > usPerSec ||
		(f.hour == 24 && (f.min != 0 || f.sec != 0 || f.usec != 0)) {
		return Null, dtFieldErr(s, false)
	}
	tod := int64(f.hour)*usPerHour + int64(f.min)*usPerMinute + int64(f.sec)*usPerSec + f.usec
	if k == Time {
		if tod > usPerDay {
			return Null, dtFieldErr(s, false)
		}
		return NewTime(tod), nil
	}
	y := f.year
	if f.yearDigits <= 2 && !f.bc && !f.haveRel {
		if y < 70 {
			y += 2000
		} else {
			y += 1900
		}
	}
	if f.bc {
		if y <= 0 {
			return Null, dtFieldErr(s, false)
		}
		y = 1 - y
	} else if y == 0 && !f.haveRel {
		return Null, dtFieldErr(s, false)
	}
	if f.mon < 1 || f.mon > 12 {
		return Null, dtFieldErr(s, true)
	}
	if f.mday < 1 || f.mday > daysIn(y, f.mon) {
		return Null, dtFieldErr(s, false)
	}
	if y < -4713 || y > 5874898 {
		if k == Date {
			return Null, sqlerr.New(codeDatetimeOverflow, "date out of range: \"%s\"", s)
		}
		return Null, sqlerr.New(codeDatetimeOverflow, "timestamp out of range: \"%s\"", s)
	}
	days := dateToJulian(y, f.mon, f.mday) - pgEpochJDate
	if k == Date {
		if days < minDateDays || days >= endDateDays {
			return Null, sqlerr.New(codeDatetimeOverflow, "date out of range: \"%s\"", s)
		}
		return NewDate(int32(days)), nil
	}
	if days < minDateDays || days > (endTS/usPerDay)+1 {
		return Null, sqlerr.New(codeDatetimeOverflow, "timestamp out of range: \"%s\"", s)
	}
	ts := days*usPerDay + tod
	if k == TimestampTZ {
		if f.haveZone && f.zoneLoc == nil {
			ts -= int64(f.zoneOff) * usPerSec
		} else {
			ts = localToUTC(ts, loc)
		}
	}
	if ts < minTS || ts >= endTS {
		return Null, sqlerr.New(codeDatetimeOverflow, "timestamp out of range: \"%s\"", s)
	}
	return NewTimestamp(k, ts), nil
}

// nowUS returns the statement time in microseconds since 2000-01-01.
func nowUS(env *Env) int64 {
	t := env.now()
	return (t.Unix()-pgEpochUnix)*usPerSec + int64(t.Nanosecond()/1000)
}

// roundTimePrecision rounds a time or timestamp to p fractional digits,
// half away from zero, as time(p) and timestamp(p) do.
func roundTimePrecision(v Value, p int) (Value, error) {
	if isInfTS(v.i) && v.kind != Time {
		return v, nil
	}
	scale := int64(math.Pow10(MaxTimePrecision - p))
	us := v.i
	if us >= 0 {
		us = (us + scale/2) / scale * scale
	} else {
		us = -((-us + scale/2) / scale * scale)
	}
	if v.kind != Time && (us < minTS || us >= endTS) {
		return Null, sqlerr.New(codeDatetimeOverflow, "timestamp out of range")
	}
	v.i = us
	return v, nil
}

// NowValue returns the current statement time as a value of kind k (Date,
// Time, Timestamp or TimestampTZ), as current_date, localtime,
// localtimestamp and now() give it.
func NowValue(env *Env, k Kind) Value {
	now := nowUS(env)
	local := localTime(now, env.loc())
	switch k {
	case Date:
		return NewDate(int32(floorDiv(local, usPerDay)))
	case Time:
		return NewTime(local - floorDiv(local, usPerDay)*usPerDay)
	case Timestamp:
		return NewTimestamp(Timestamp, local)
	}
	return NewTimestamp(TimestampTZ, now)
}
