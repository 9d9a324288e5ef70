package types

// interval: input (PostgreSQL's verbose and ISO 8601 formats), output in
// IntervalStyle postgres, comparison, and arithmetic with intervals.

import (
	"math"
	"math/bits"
	"strconv"
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

const daysPerMonth = 30

func intervalSyntaxErr(s string) *sqlerr.Error {
	return sqlerr.New(codeInvalidDatetimeFormat, "invalid input syntax for type interval: \"%s\"", s)
}

func intervalFieldErr(s string) *sqlerr.Error {
	return sqlerr.New(codeIntervalOverflow, "interval field value out of range: \"%s\"", s)
}

func intervalRangeErr() *sqlerr.Error {
	return sqlerr.New(codeDatetimeOverflow, "interval out of range")
}

// ivAcc accumulates an interval during input; the fractional parts of
// units cascade down as PostgreSQL does.
type ivAcc struct {
	months, days float64
	us           float64
	seen         uint32
}

// ivUnit is a unit word of interval input.
type ivUnit struct {
	mask   uint32
	months float64 // months per unit (years, decades...)
	days   float64 // days per unit (days, weeks)
	us     float64 // microseconds per unit
}

var ivUnits = func() map[string]ivUnit {
	m := map[string]ivUnit{}
	add := func(u ivUnit, names ...string) {
		for _, n := range names {
			m[n] = u
		}
	}
	add(ivUnit{mask: 1 << 0, us: 1}, "microsecond", "microseconds", "us", "usec", "usecs", "useconds")
	add(ivUnit{mask: 1 << 1, us: 1000}, "millisecond", "milliseconds", "ms", "msec", "msecs", "mseconds")
	add(ivUnit{mask: 1 << 2, us: 1e6}, "second", "seconds", "s", "sec", "secs")
	add(ivUnit{mask: 1 << 3, us: 60e6}, "minute", "minutes", "m", "min", "mins")
	add(ivUnit{mask: 1 << 4, us: 3600e6}, "hour", "hours", "h", "hr", "hrs")
	add(ivUnit{mask: 1 << 5, days: 1}, "day", "days", "d")
	add(ivUnit{mask: 1 << 6, days: 7}, "week", "weeks", "w")
	add(ivUnit{mask: 1 << 7, months: 1}, "month", "months", "mon", "mons")
	add(ivUnit{mask: 1 << 8, months: 12}, "year", "years", "y", "yr", "yrs")
	add(ivUnit{mask: 1 << 9, months: 120}, "decade", "decades", "dec", "decs")
	add(ivUnit{mask: 1 << 10, months: 1200}, "century", "centuries", "c", "cent")
	add(ivUnit{mask: 1 << 11, months: 12000}, "millennium", "millennia", "mil", "mils")
	return m
}()

// add adds n units, cascading fractions down: fractional years become
// whole months (rounded), fractional months 30-day days, fractional days
// and weeks microseconds.
func (a *ivAcc) add(n float64, u ivUnit) {
	switch {
	case u.months >= 12:
		whole := math.Trunc(n)
		a.months += whole*u.months + math.RoundToEven((n-whole)*u.months)
	case u.months > 0:
		whole := math.Trunc(n)
		a.months += whole
		fd := (n - whole) * daysPerMonth
		wd := math.Trunc(fd)
		a.days += wd
		a.us += math.RoundToEven((fd - wd) * float64(usPerDay))
	case u.days > 0:
		total := n * u.days
		wd := math.Trunc(total)
		a.days += wd
		a.us += math.RoundToEven((total - wd) * float64(usPerDay))
	default:
		a.us += math.RoundToEven(n * u.us)
	}
}

// result checks the ranges and makes the value.
func (a *ivAcc) result(s string, neg bool) (Value, error) {
	if neg {
		a.months, a.days, a.us = -a.months, -a.days, -a.us
	}
	if a.months < math.MinInt32 || a.months > math.MaxInt32 || a.days < math.MinInt32 || a.days > math.MaxInt32 ||
		a.us < -9.2e18 || a.us > 9.2e18 {
		return Null, intervalFieldErr(s)
	}
	return NewInterval(int32(a.months), int32(a.days), int64(a.us)), nil
}

// parseInterval is interval_in.
func parseInterval(s string) (Value, error) {
	t := trimSpace(s)
	if t == "" {
		return Null, intervalSyntaxErr(s)
	}
	if t[0] == 'P' {
		return parseISOInterval(s, t[1:])
	}
	fields := strings.FieldsFunc(t, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v' || r == ','
	})
	if len(fields) > 0 && fields[0] == "@" {
		fields = fields[1:]
	} else if len(fields) > 0 && strings.HasPrefix(fields[0], "@") {
		fields[0] = fields[0][1:]
	}
	// Split a unit glued to its number ("1day", "5s").
	var toks []string
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if f == "-" || f == "+" {
			// "- 1 day": the sign belongs to the next field.
			if i+1 < len(fields) {
				fields[i+1] = f + fields[i+1]
				continue
			}
			return Null, intervalSyntaxErr(s)
		}
		j := len(f)
		for j > 0 && (f[j-1] >= 'a' && f[j-1] <= 'z' || f[j-1] >= 'A' && f[j-1] <= 'Z') {
			j--
		}
		if j > 0 && j < len(f) && f[j-1] >= '0' && f[j-1] <= '9' {
			toks = append(toks, f[:j], f[j:])
			continue
		}
		toks = append(toks, f)
	}
	neg := false
	if n := len(toks); n > 0 && strings.EqualFold(toks[n-1], "ago") {
		neg = true
		toks = toks[:n-1]
	}
	if len(toks) == 0 {
		return Null, intervalSyntaxErr(s)
	}
	var acc ivAcc
	// Fields are read from the last to the first: a unit word gives its
	// unit to the number before it, and a bare number is seconds at the
	// end, days before a time field or after hours.
	const (
		tyNone = iota
		tySecond
		tyDay
		tyUnit
	)
	ty := tySecond
	var unit ivUnit
	for i := len(toks) - 1; i >= 0; i-- {
		tok := toks[i]
		low := strings.ToLower(tok)
		if u, ok := ivUnits[low]; ok {
			if ty == tyUnit {
				return Null, intervalSyntaxErr(s)
			}
			ty, unit = tyUnit, u
			continue
		}
		switch {
		case strings.Contains(tok, ":"):
			if ty != tySecond || acc.seen&(1<<2|1<<3|1<<4) != 0 {
				return Null, intervalSyntaxErr(s)
			}
			us, ok := parseIntervalTime(tok)
			if !ok {
				return Null, intervalSyntaxErr(s)
			}
			acc.us += us
			acc.seen |= 1<<2 | 1<<3 | 1<<4
			ty = tyDay
		case isYearMonth(tok):
			if ty == tyUnit || acc.seen&(1<<7|1<<8) != 0 {
				return Null, intervalSyntaxErr(s)
			}
			sign := 1.0
			body := tok
			if body[0] == '-' || body[0] == '+' {
				if body[0] == '-' {
					sign = -1
				}
				body = body[1:]
			}
			ys, ms, _ := strings.Cut(body, "-")
			y, err1 := strconv.ParseFloat(ys, 64)
			m, err2 := strconv.ParseFloat(ms, 64)
			if err1 != nil || err2 != nil {
				return Null, intervalSyntaxErr(s)
			}
			acc.months += sign * (y*12 + m)
			acc.seen |= 1<<7 | 1<<8
			ty = tyNone
		default:
			n, err := strconv.ParseFloat(tok, 64)
			if err != nil || !isPlainNumber(tok) {
				return Null, intervalSyntaxErr(s)
			}
			var u ivUnit
			switch ty {
			case tySecond:
				u = ivUnits["second"]
			case tyDay:
				u = ivUnits["day"]
			case tyUnit:
				u = unit
			default:
				return Null, intervalSyntaxErr(s)
			}
			if acc.seen&u.mask != 0 {
				return Null, intervalSyntaxErr(s)
			}
			if math.Abs(n*math.Max(math.Max(u.months, u.days), 1)) > math.MaxInt32 && u.us == 0 {
				return Null, intervalFieldErr(s)
			}
			acc.seen |= u.mask
			acc.add(n, u)
			ty = tyNone
			if u.mask == 1<<4 {
				ty = tyDay
			}
		}
	}
	if ty == tyUnit {
		return Null, intervalSyntaxErr(s)
	}
	return acc.result(s, neg)
}

// isPlainNumber reports whether s is an optionally signed decimal number.
func isPlainNumber(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			digits++
		case s[i] == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// isYearMonth reports whether s looks like Y-M ("1-2", "-1-2").
func isYearMonth(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	y, m, ok := strings.Cut(s, "-")
	return ok && y != "" && m != "" && strings.Trim(y, "0123456789") == "" && strings.Trim(m, "0123456789") == ""
}

// parseIntervalTime reads [+-]H:M[:S[.f]] as microseconds.
func parseIntervalTime(tok string) (float64, bool) {
	sign := 1.0
	if tok[0] == '-' || tok[0] == '+' {
		if tok[0] == '-' {
			sign = -1
		}
		tok = tok[1:]
	}
	parts := strings.Split(tok, ":")
	if len(parts) > 3 {
		return 0, false
	}
	var total float64
	mult := []float64{float64(usPerHour), float64(usPerMinute), float64(usPerSec)}
	for i, p := range parts {
		if p == "" || (i < len(parts)-1 || len(parts) < 3) && strings.Contains(p, ".") {
			return 0, false
		}
		if !isPlainNumber(p) || p[0] == '-' || p[0] == '+' {
			return 0, false
		}
		n, err := strconv.ParseFloat(p, 64)
		if err != nil || (i > 0 && n >= 60) {
			return 0, false
		}
		total += n * mult[i]
	}
	return sign * math.RoundToEven(total), true
}

// parseISOInterval reads the designator form P[nY][nM][nW][nD][T[nH][nM][nS]]
// and the alternative form PYYYY-MM-DDTHH:MM:SS.
func parseISOInterval(s, t string) (Value, error) {
	var acc ivAcc
	if len(t) > 0 && t[0] >= '0' && t[0] <= '9' && !strings.ContainsAny(t, "YMWDHS") {
		datePart, timePart, _ := strings.Cut(t, "T")
		ds := strings.Split(datePart, "-")
		if len(ds) != 3 {
			return Null, intervalSyntaxErr(s)
		}
		units := []string{"year", "month", "day"}
		for i, p := range ds {
			n, err := strconv.ParseFloat(p, 64)
			if err != nil || !isPlainNumber(p) {
				return Null, intervalSyntaxErr(s)
			}
			acc.add(n, ivUnits[units[i]])
		}
		if timePart != "" {
			us, ok := parseIntervalTime(timePart)
			if !ok {
				return Null, intervalSyntaxErr(s)
			}
			acc.us += us
		}
		return acc.result(s, false)
	}
	inTime := false
	if t == "" {
		return Null, intervalSyntaxErr(s)
	}
	for t != "" {
		if t[0] == 'T' {
			if inTime {
				return Null, intervalSyntaxErr(s)
			}
			inTime = true
			t = t[1:]
			if t == "" {
				return Null, intervalSyntaxErr(s)
			}
			continue
		}
		j := 0
		for j < len(t) && (t[j] >= '0' && t[j] <= '9' || t[j] == '.' || t[j] == '-' || t[j] == '+') {
			j++
		}
		if j == 0 || j == len(t) || !isPlainNumber(t[:j]) {
			return Null, intervalSyntaxErr(s)
		}
		n, _ := strconv.ParseFloat(t[:j], 64)
		var name string
		switch {
		case !inTime && t[j] == 'Y':
			name = "year"
		case !inTime && t[j] == 'M':
			name = "month"
		case !inTime && t[j] == 'W':
			name = "week"
		case !inTime && t[j] == 'D':
			name = "day"
		case inTime && t[j] == 'H':
			name = "hour"
		case inTime && t[j] == 'M':
			name = "minute"
		case inTime && t[j] == 'S':
			name = "second"
		default:
			return Null, intervalSyntaxErr(s)
		}
		acc.add(n, ivUnits[name])
		t = t[j+1:]
	}
	return acc.result(s, false)
}

// appendInterval is interval_out with IntervalStyle postgres.
func appendInterval(buf []byte, months, days int32, us int64) []byte {
	year, mon := int64(months/12), int64(months%12)
	isZero, isBefore := true, false
	part := func(n int64, unit string) {
		if n == 0 {
			return
		}
		if !isZero {
			buf = append(buf, ' ')
		}
		if isBefore && n > 0 {
			buf = append(buf, '+')
		}
		buf = strconv.AppendInt(buf, n, 10)
		buf = append(buf, ' ')
		buf = append(buf, unit...)
		if n != 1 {
			buf = append(buf, 's')
		}
		isBefore = n < 0
		isZero = false
	}
	part(year, "year")
	part(mon, "mon")
	part(int64(days), "day")
	if isZero || us != 0 {
		if !isZero {
			buf = append(buf, ' ')
		}
		u := uint64(us)
		if us < 0 {
			buf = append(buf, '-')
			u = uint64(-us) // also right for math.MinInt64
		} else if isBefore {
			buf = append(buf, '+')
		}
		h := u / uint64(usPerHour)
		u -= h * uint64(usPerHour)
		hs := strconv.FormatUint(h, 10)
		if len(hs) < 2 {
			buf = append(buf, '0')
		}
		buf = append(buf, hs...)
		buf = append(buf, ':')
		buf = appendPadded(buf, int64(u/uint64(usPerMinute)), 2)
		buf = append(buf, ':')
		buf = appendSeconds(buf, int64(u%uint64(usPerMinute)))
	}
	return buf
}

// int128 is a signed 128-bit integer for interval comparison.
type int128 struct {
	hi int64
	lo uint64
}

func mul128(a, b int64) int128 {
	neg := (a < 0) != (b < 0)
	ua, ub := abs64(a), abs64(b)
	hi, lo := bits.Mul64(ua, ub)
	r := int128{int64(hi), lo}
	if neg {
		r = r.neg()
	}
	return r
}

func abs64(a int64) uint64 {
	if a < 0 {
		return uint64(-a)
	}
	return uint64(a)
}

func (x int128) neg() int128 {
	lo := ^x.lo + 1
	hi := ^x.hi
	if lo == 0 {
		hi++
	}
	return int128{hi, lo}
}

func (x int128) add(y int128) int128 {
	lo, c := bits.Add64(x.lo, y.lo, 0)
	return int128{x.hi + y.hi + int64(c), lo}
}

func from64(a int64) int128 {
	if a < 0 {
		return int128{-1, uint64(a)}
	}
	return int128{0, uint64(a)}
}

func (x int128) cmp(y int128) int {
	switch {
	case x.hi < y.hi:
		return -1
	case x.hi > y.hi:
		return 1
	case x.lo < y.lo:
		return -1
	case x.lo > y.lo:
		return 1
	}
	return 0
}

// intervalSpan is PostgreSQL's interval_cmp_value: the interval in
// microseconds with 30-day months and 24-hour days.
func intervalSpan(months, days int32, us int64) int128 {
	d := int64(months)*daysPerMonth + int64(days)
	return mul128(d, usPerDay).add(from64(us))
}

// intervalKey returns 16 bytes ordering as interval_cmp.
func intervalKey(months, days int32, us int64) []byte {
	x := intervalSpan(months, days, us)
	var b [16]byte
	h := uint64(x.hi) ^ (1 << 63)
	for i := 0; i < 8; i++ {
		b[i] = byte(h >> (56 - 8*i))
		b[8+i] = byte(x.lo >> (56 - 8*i))
	}
	return b[:]
}

// intervalAdd adds two intervals field by field.
func intervalAdd(a, b Value, sign int64) (Value, error) {
	m := int64(a.months) + sign*int64(b.months)
	d := int64(a.days) + sign*int64(b.days)
	var us int64
	var over bool
	if sign > 0 {
		us = a.i + b.i
		over = (b.i > 0 && us < a.i) || (b.i < 0 && us > a.i)
	} else {
		us = a.i - b.i
		over = (b.i < 0 && us < a.i) || (b.i > 0 && us > a.i)
	}
	if over || m < math.MinInt32 || m > math.MaxInt32 || d < math.MinInt32 || d > math.MaxInt32 {
		return Null, intervalRangeErr()
	}
	return NewInterval(int32(m), int32(d), us), nil
}

// tsRound rounds to microsecond precision in seconds, as TSROUND.
func tsRound(x float64) float64 { return math.RoundToEven(x*1e6) / 1e6 }

// fitsInt32 reports whether a float truncates into int32 range.
func fitsInt32(f float64) bool {
	return !math.IsNaN(f) && f >= math.MinInt32 && f < -float64(math.MinInt32)
}

// intervalMul multiplies an interval by a factor (or, with div, divides
// it), cascading fractional months and days down as interval_mul and
// interval_div do.
func intervalMul(v Value, factor float64, div bool) (Value, error) {
	if div && factor == 0 {
		return Null, sqlerr.DivisionByZeroErr()
	}
	apply := func(x float64) float64 {
		if div {
			return x / factor
		}
		return x * factor
	}
	md := apply(float64(v.months))
	if !fitsInt32(md) {
		return Null, intervalRangeErr()
	}
	month := int32(md)
	dd := apply(float64(v.days))
	if !fitsInt32(dd) {
		return Null, intervalRangeErr()
	}
	day := int32(dd)
	monthRemDays := tsRound((md - float64(month)) * daysPerMonth)
	secRem := tsRound((dd - float64(day) + monthRemDays - math.Trunc(monthRemDays)) * float64(secsPerDay))
	if math.Abs(secRem) >= float64(secsPerDay) {
		wd := math.Trunc(secRem / float64(secsPerDay))
		nd := int64(day) + int64(wd)
		if nd < math.MinInt32 || nd > math.MaxInt32 {
			return Null, intervalRangeErr()
		}
		day = int32(nd)
		secRem -= wd * float64(secsPerDay)
	}
	nd := int64(day) + int64(monthRemDays)
	if nd < math.MinInt32 || nd > math.MaxInt32 {
		return Null, intervalRangeErr()
	}
	t := math.RoundToEven(apply(float64(v.i)) + secRem*float64(usPerSec))
	if math.IsNaN(t) || t < -9.223372036854775808e18 || t >= 9.223372036854775808e18 {
		return Null, intervalRangeErr()
	}
	return NewInterval(month, int32(nd), int64(t)), nil
}

// justifyHours moves whole 24-hour days of the microseconds into days,
// keeping the signs of days and time consistent (justify_hours).
func justifyHours(v Value) (Value, error) {
	whole := v.i / usPerDay
	us := v.i - whole*usPerDay
	d := int64(v.days) + whole
	if d > 0 && us < 0 {
		us += usPerDay
		d--
	} else if d < 0 && us > 0 {
		us -= usPerDay
		d++
	}
	if d < math.MinInt32 || d > math.MaxInt32 {
		return Null, intervalRangeErr()
	}
	return NewInterval(v.months, int32(d), us), nil
}

// JustifyHours is justify_hours(interval).
func JustifyHours(v Value) (Value, error) { return justifyHours(v) }

// JustifyDays is justify_days(interval): whole 30-day periods of the days
// become months.
func JustifyDays(v Value) (Value, error) {
	whole := v.days / daysPerMonth
	d := v.days - whole*daysPerMonth
	m := int64(v.months) + int64(whole)
	if m > 0 && d < 0 {
		d += daysPerMonth
		m--
	} else if m < 0 && d > 0 {
		d -= daysPerMonth
		m++
	}
	if m < math.MinInt32 || m > math.MaxInt32 {
		return Null, intervalRangeErr()
	}
	return NewInterval(int32(m), d, v.i), nil
}
