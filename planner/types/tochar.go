package types

// to_char(timestamp/timestamptz/interval, format): PostgreSQL's date/time
// template patterns (YYYY, MM, DD, HH24, MI, SS, MS, US, Mon, Day, AM,
// TZ, OF, ...), with the FM prefix and TH/th suffixes.

import (
	"strconv"
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// toCharPatterns lists the template patterns, longest first where one is a
// prefix of another (matching is case-sensitive for the spelled-out
// names, whose case selects the output's).
var toCharPatterns = []string{
	"A.D.", "a.d.", "A.M.", "a.m.", "B.C.", "b.c.", "P.M.", "p.m.",
	"Y,YYY", "y,yyy",
	"HH24", "hh24", "HH12", "hh12", "IDDD", "iddd", "IYYY", "iyyy", "YYYY", "yyyy", "SSSSS", "sssss", "SSSS", "ssss",
	"MONTH", "Month", "month", "DAY", "Day", "day",
	"FF1", "FF2", "FF3", "FF4", "FF5", "FF6", "ff1", "ff2", "ff3", "ff4", "ff5", "ff6",
	"IYY", "iyy", "YYY", "yyy", "DDD", "ddd", "MON", "Mon", "mon", "TZH", "tzh", "TZM", "tzm",
	"AD", "ad", "AM", "am", "BC", "bc", "PM", "pm", "CC", "cc", "DD", "dd", "DY", "Dy", "dy", "HH", "hh",
	"ID", "id", "IW", "iw", "IY", "iy", "MI", "mi", "MM", "mm", "MS", "ms", "OF", "of", "RM", "rm", "SS", "ss",
	"TZ", "tz", "US", "us", "WW", "ww", "YY", "yy",
	"D", "d", "I", "i", "J", "j", "Q", "q", "W", "w", "Y", "y",
}

var (
	monthFull = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September",
		"October", "November", "December"}
	dayFull = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	romanM  = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}
)

// ordinal returns the English ordinal suffix of n.
func ordinal(n int64) string {
	if n < 0 {
		n = -n
	}
	if n%100 >= 11 && n%100 <= 13 {
		return "th"
	}
	switch n % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

// casedAs returns word in the case of the pattern: all upper, capitalised
// or all lower.
func casedAs(pattern, word string) string {
	switch {
	case pattern == strings.ToUpper(pattern) && len(pattern) > 1 && pattern[1] >= 'A' && pattern[1] <= 'Z':
		return strings.ToUpper(word)
	case pattern[0] >= 'A' && pattern[0] <= 'Z':
		return word
	}
	return strings.ToLower(word)
}

// ToChar is to_char for a timestamp, a timestamptz (shown in the session
// time zone) or an interval. Infinite timestamps give NULL.
func ToChar(env *Env, v Value, format string) (Value, error) {
	var b brokenDown
	isInterval := v.kind == Interval
	var off int
	var zoneName string
	switch v.kind {
	case Timestamp, TimestampTZ:
		if isInfTS(v.i) {
			return Null, nil
		}
		local := v.i
		if v.kind == TimestampTZ {
			t := usToTime(v.i).In(env.loc())
			zoneName, off = t.Zone()
			local = v.i + int64(off)*usPerSec
			b.isTZ = true
		}
		b = breakDownKeepTZ(local, b.isTZ)
	case Interval:
		b.year, b.mon = int(v.months/12), int(v.months%12)
		b.mday = int(v.days)
		b.hour = int(v.i / usPerHour)
		b.min = int(v.i / usPerMinute % 60)
		b.sec = int(v.i / usPerSec % 60)
		b.usec = v.i % usPerSec
		b.tod = v.i
	default:
		return Null, sqlerr.UndefinedFunctionErr("function to_char(%s, unknown) does not exist", v.kind)
	}
	var out strings.Builder
	f := format
	for len(f) > 0 {
		if f[0] == '"' {
			// Quoted literal text; a backslash escapes the next character.
			f = f[1:]
			for len(f) > 0 && f[0] != '"' {
				if f[0] == '\\' && len(f) > 1 {
					f = f[1:]
				}
				out.WriteByte(f[0])
				f = f[1:]
			}
			if len(f) > 0 {
				f = f[1:]
			}
			continue
		}
		if f[0] == '\\' && len(f) > 1 && f[1] == '"' {
			out.WriteByte('"')
			f = f[2:]
			continue
		}
		fm := false
		rest := f
		for {
			switch {
			case strings.HasPrefix(rest, "FM") || strings.HasPrefix(rest, "fm"):
				fm = true
				rest = rest[2:]
				continue
			case strings.HasPrefix(rest, "FX") || strings.HasPrefix(rest, "fx"):
				rest = rest[2:]
				continue
			}
			break
		}
		pat := ""
		for _, p := range toCharPatterns {
			if strings.HasPrefix(rest, p) {
				pat = p
				break
			}
		}
		if pat == "" {
			if rest != f {
				f = rest
				continue
			}
			out.WriteByte(f[0])
			f = f[1:]
			continue
		}
		rest = rest[len(pat):]
		th := ""
		if strings.HasPrefix(rest, "TH") {
			th, rest = "TH", rest[2:]
		} else if strings.HasPrefix(rest, "th") {
			th, rest = "th", rest[2:]
		}
		f = rest
		s, num, isNum, err := toCharField(b, pat, fm, isInterval, off, zoneName, v.kind)
		if err != nil {
			return Null, err
		}
		out.WriteString(s)
		if isNum && th != "" {
			suffix := ordinal(num)
			if th == "TH" {
				suffix = strings.ToUpper(suffix)
			}
			out.WriteString(suffix)
		}
	}
	return NewText(out.String()), nil
}

// breakDownKeepTZ is breakDown, keeping the time zone flag.
func breakDownKeepTZ(local int64, tz bool) brokenDown {
	b := breakDown(local)
	b.isTZ = tz
	return b
}

// pgDate2J is PostgreSQL's date2j, whose results for out-of-range month
// and day fields (as to_char computes them for intervals) follow its own
// arithmetic; for valid dates it equals dateToJulian.
func pgDate2J(y, m, d int) int64 {
	yy, mm := int64(y), int64(m)
	if mm > 2 {
		mm++
		yy += 4800
	} else {
		mm += 13
		yy += 4799
	}
	century := yy / 100
	j := yy*365 - 32167
	j += yy/4 - century + century/4
	return j + 7834*mm/256 + int64(d)
}

// pgJ2Day is j2day: the day of the week, 0 = Sunday.
func pgJ2Day(j int64) int64 {
	d := (j + 1) % 7
	if d < 0 {
		d += 7
	}
	return d
}

// pgISOWeek is date2isoweek.
func pgISOWeek(y, m, d int) int64 {
	dayn := pgDate2J(y, m, d)
	day4 := pgDate2J(y, 1, 4)
	day0 := pgJ2Day(day4 - 1)
	if dayn < day4-day0 {
		day4 = pgDate2J(y-1, 1, 4)
		day0 = pgJ2Day(day4 - 1)
	}
	r := (dayn-(day4-day0))/7 + 1
	if r >= 52 {
		day4 = pgDate2J(y+1, 1, 4)
		day0 = pgJ2Day(day4 - 1)
		if dayn >= day4-day0 {
			r = (dayn-(day4-day0))/7 + 1
		}
	}
	return r
}

// pgISOYear is date2isoyear.
func pgISOYear(y, m, d int) int64 {
	dayn := pgDate2J(y, m, d)
	day4 := pgDate2J(y, 1, 4)
	day0 := pgJ2Day(day4 - 1)
	year := int64(y)
	if dayn < day4-day0 {
		day4 = pgDate2J(y-1, 1, 4)
		day0 = pgJ2Day(day4 - 1)
		year--
	}
	r := (dayn-(day4-day0))/7 + 1
	if r >= 52 {
		day4 = pgDate2J(int(year)+1, 1, 4)
		day0 = pgJ2Day(day4 - 1)
		if dayn >= day4-day0 {
			year++
		}
	}
	return year
}

// pgISOYearDay is date2isoyearday.
func pgISOYearDay(y, m, d int) int64 {
	iy := pgISOYear(y, m, d)
	day4 := pgDate2J(int(iy), 1, 4)
	day0 := pgJ2Day(day4 - 1)
	return pgDate2J(y, m, d) - day4 + day0 + 1
}

// cfmt formats n as C's "%0*d": zero-padded to width characters, the
// minus sign included.
func cfmt(n int64, width int) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		digits := s[1:]
		for len(digits) < width-1 {
			digits = "0" + digits
		}
		return "-" + digits
	}
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// errIntervalFormat is to_char's refusal of calendar patterns for
// intervals.
func errIntervalFormat() *sqlerr.Error {
	return sqlerr.New(codeInvalidDatetimeFormat, "invalid format specification for an interval value").
		WithHint("Intervals are not tied to specific calendar dates.")
}

// toCharField renders one pattern; num is its numeric value for TH.
func toCharField(b brokenDown, pat string, fm, isInterval bool, off int, zoneName string, k Kind) (string, int64, bool, error) {
	// w returns the width of a field: fixed, or one more for negatives.
	w := func(n int64, pos, neg int) int {
		if fm {
			return 0
		}
		if n < 0 {
			return neg
		}
		return pos
	}
	word := func(s string, width int) string {
		s = casedAs(pat, s)
		if !fm {
			for len(s) < width {
				s += " "
			}
		}
		return s
	}
	up := strings.ToUpper(pat)
	if isInterval {
		switch up {
		case "AD", "BC", "A.D.", "B.C.", "MONTH", "MON", "DAY", "DY", "D", "ID", "TZ", "OF", "TZH", "TZM":
			return "", 0, false, errIntervalFormat()
		}
	}
	year := int64(b.year)
	if !isInterval && year <= 0 {
		year = -(year - 1)
	}
	hour := int64(b.hour)
	hour12 := hour % 12
	if hour12 == 0 {
		hour12 = 12
	}
	var yday int64
	if isInterval {
		yday = (int64(b.year)*12+int64(b.mon))*daysPerMonth + int64(b.mday)
	} else {
		yday = b.julian - dateToJulian(b.year, 1, 1) + 1
	}
	num := func(n int64, width int) (string, int64, bool, error) { return cfmt(n, width), n, true, nil }
	switch up {
	case "HH", "HH12":
		return num(hour12, w(hour, 2, 3))
	case "HH24":
		return num(hour, w(hour, 2, 3))
	case "MI":
		return num(int64(b.min), w(int64(b.min), 2, 3))
	case "SS":
		return num(int64(b.sec), w(int64(b.sec), 2, 3))
	case "MS":
		return num(b.usec/1000, w(0, 3, 3))
	case "US":
		return num(b.usec, w(0, 6, 6))
	case "FF1", "FF2", "FF3", "FF4", "FF5", "FF6":
		digits := int(up[2] - '0')
		n := b.usec
		for i := digits; i < 6; i++ {
			n /= 10
		}
		return num(n, w(0, digits, digits))
	case "SSSS", "SSSSS":
		n := hour*3600 + int64(b.min)*60 + int64(b.sec)
		return num(n, 0)
	case "AM", "PM":
		if hour%24 >= 12 {
			return casedAs(pat, "PM"), 0, false, nil
		}
		return casedAs(pat, "AM"), 0, false, nil
	case "A.M.", "P.M.":
		if hour%24 >= 12 {
			return casedAs(pat, "P.M."), 0, false, nil
		}
		return casedAs(pat, "A.M."), 0, false, nil
	case "AD", "BC":
		if b.year <= 0 {
			return casedAs(pat, "BC"), 0, false, nil
		}
		return casedAs(pat, "AD"), 0, false, nil
	case "A.D.", "B.C.":
		if b.year <= 0 {
			return casedAs(pat, "B.C."), 0, false, nil
		}
		return casedAs(pat, "A.D."), 0, false, nil
	case "Y,YYY":
		return strconv.FormatInt(year/1000, 10) + "," + cfmt(year%1000, 3), year, true, nil
	case "YYYY":
		return num(year, w(year, 4, 5))
	case "YYY":
		return num(year%1000, w(year, 3, 4))
	case "YY":
		return num(year%100, w(year, 2, 3))
	case "Y":
		return num(year%10, w(0, 1, 1))
	case "IYYY", "IYY", "IY", "I":
		n := pgISOYear(b.year, b.mon, b.mday)
		if !isInterval && n <= 0 {
			n = -(n - 1)
		}
		// The width follows the sign of the calendar year, not the ISO one.
		switch up {
		case "IYYY":
			return num(n, w(year, 4, 5))
		case "IYY":
			return num(n%1000, w(year, 3, 4))
		case "IY":
			return num(n%100, w(year, 2, 3))
		}
		return num(n%10, w(0, 1, 1))
	case "MONTH":
		if b.mon < 1 || b.mon > 12 {
			return "", 0, false, nil
		}
		return word(monthFull[b.mon-1], 9), 0, false, nil
	case "MON":
		if b.mon < 1 || b.mon > 12 {
			return "", 0, false, nil
		}
		return casedAs(pat, monthFull[b.mon-1][:3]), 0, false, nil
	case "MM":
		return num(int64(b.mon), w(int64(b.mon), 2, 3))
	case "DAY":
		return word(dayFull[dayOfWeek(b.julian)], 9), 0, false, nil
	case "DY":
		return casedAs(pat, dayFull[dayOfWeek(b.julian)][:3]), 0, false, nil
	case "DDD":
		return num(yday, w(0, 3, 3))
	case "IDDD":
		return num(pgISOYearDay(b.year, b.mon, b.mday), w(0, 3, 3))
	case "DD":
		return num(int64(b.mday), w(0, 2, 2))
	case "D":
		return num(int64(dayOfWeek(b.julian))+1, 0)
	case "ID":
		n := int64(dayOfWeek(b.julian))
		if n == 0 {
			n = 7
		}
		return num(n, 0)
	case "WW":
		return num((yday-1)/7+1, w(0, 2, 2))
	case "IW":
		return num(pgISOWeek(b.year, b.mon, b.mday), w(0, 2, 2))
	case "W":
		return num(int64((b.mday-1)/7+1), 0)
	case "Q":
		if b.mon == 0 {
			return "", 0, false, nil
		}
		return num(int64((b.mon-1)/3+1), 0)
	case "CC":
		var n int64
		switch {
		case isInterval:
			n = int64(b.year / 100)
		case b.year > 0:
			n = int64((b.year-1)/100 + 1)
		default:
			n = int64(b.year/100 - 1)
		}
		if n <= 99 && n >= -99 {
			return num(n, w(n, 2, 3))
		}
		return num(n, 0)
	case "J":
		return num(pgDate2J(b.year, b.mon, b.mday), 0)
	case "RM":
		// Intervals: a zero month of a whole number of years is XII (or
		// I when negative), a negative month counts back from December.
		var m int
		switch {
		case b.mon == 0 && b.year == 0:
			return "", 0, false, nil
		case b.mon == 0 && b.year >= 0:
			m = 12
		case b.mon == 0:
			m = 1
		case b.mon < 0:
			m = 13 + b.mon
		default:
			m = b.mon
		}
		if m < 1 || m > 12 {
			return "", 0, false, nil
		}
		r := romanM[m-1]
		if pat == "rm" {
			r = strings.ToLower(r)
		}
		if !fm {
			for len(r) < 4 {
				r += " "
			}
		}
		return r, 0, false, nil
	case "TZ":
		if k != TimestampTZ {
			return "", 0, false, nil
		}
		name := zoneName
		if name == "" {
			name = string(appendOffset(nil, int64(off)))
		}
		if pat == "tz" {
			name = strings.ToLower(name)
		}
		return name, 0, false, nil
	case "OF":
		return string(appendOffset(nil, int64(off))), 0, false, nil
	case "TZH":
		h := off / 3600
		sign := "+"
		if off < 0 {
			sign, h = "-", -h
		}
		return sign + cfmt(int64(h), 2), int64(h), true, nil
	case "TZM":
		m := off / 60 % 60
		if m < 0 {
			m = -m
		}
		return num(int64(m), 2)
	}
	return pat, 0, false, nil
}
