package types

// Date/time functions: extract (date_part), date_trunc, age.

import (
	"math"
	"strings"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/cockroachdb/apd/v3"
)

// brokenDown is a timestamp's wall time split into fields; year is
// astronomical (1 BC is 0).
type brokenDown struct {
	year, mon, mday int
	hour, min, sec  int
	usec            int64
	julian          int64
	tod             int64 // microseconds since midnight
	isTZ            bool  // broken down in the session time zone
}

func breakDown(local int64) brokenDown {
	days := floorDiv(local, usPerDay)
	tod := local - days*usPerDay
	y, m, d := julianToDate(days + pgEpochJDate)
	b := brokenDown{year: y, mon: m, mday: d, julian: days + pgEpochJDate, tod: tod}
	b.hour = int(tod / usPerHour)
	b.min = int(tod / usPerMinute % 60)
	b.sec = int(tod / usPerSec % 60)
	b.usec = tod % usPerSec
	return b
}

// numFromMicro returns n * 10^-scale as a numeric of that scale.
func numFromMicro(n int64, scale int32) Value {
	return NewNumeric(apd.New(n, -scale))
}

func numInt(n int64) Value { return NewNumeric(apd.New(n, 0)) }

// isoWeek returns the ISO 8601 week-numbering year and week of a date.
func isoWeek(y, m, d int) (int, int) {
	j := dateToJulian(y, m, d)
	// ISO day of week: Monday 1 .. Sunday 7 (Julian day 0 was a Monday).
	dow := int(j%7) + 1
	thursday := j - int64(dow) + 4
	ty, _, _ := julianToDate(thursday)
	jan1 := dateToJulian(ty, 1, 1)
	return ty, int((thursday-jan1)/7) + 1
}

// dayOfWeek returns 0 (Sunday) .. 6 (Saturday).
func dayOfWeek(julian int64) int { return int((julian + 1) % 7) }

// centuryOf, decadeOf and millenniumOf follow PostgreSQL's conventions
// for BC years (astronomical year <= 0).
func centuryOf(y int) int64 {
	if y > 0 {
		return int64((y + 99) / 100)
	}
	return -int64((99 - (y - 1)) / 100)
}

func decadeOf(y int) int64 {
	if y >= 0 {
		return int64(y / 10)
	}
	return -int64((8 - (y - 1)) / 10)
}

func millenniumOf(y int) int64 {
	if y > 0 {
		return int64((y + 999) / 1000)
	}
	return -int64((999 - (y - 1)) / 1000)
}

// canonicalUnit maps a unit's spellings to its canonical name.
func canonicalUnit(u string) string {
	u = strings.ToLower(trimSpace(u))
	switch u {
	case "microsecond", "microseconds", "us", "usec", "usecs", "useconds":
		return "microseconds"
	case "millisecond", "milliseconds", "ms", "msec", "msecs", "mseconds":
		return "milliseconds"
	case "second", "seconds", "s", "sec", "secs":
		return "second"
	case "minute", "minutes", "m", "min", "mins":
		return "minute"
	case "hour", "hours", "h", "hr", "hrs":
		return "hour"
	case "day", "days", "d":
		return "day"
	case "week", "weeks", "w":
		return "week"
	case "month", "months", "mon", "mons":
		return "month"
	case "quarter", "qtr":
		return "quarter"
	case "year", "years", "y", "yr", "yrs":
		return "year"
	case "decade", "decades", "dec", "decs":
		return "decade"
	case "century", "centuries", "c", "cent":
		return "century"
	case "millennium", "millennia", "mil", "mils", "millenniums":
		return "millennium"
	case "dow", "isodow", "doy", "epoch", "julian", "j", "isoyear", "timezone", "timezone_hour", "timezone_minute":
		if u == "j" {
			return "julian"
		}
		return u
	}
	return ""
}

func unitNotRecognized(u string, k Kind) *sqlerr.Error {
	return sqlerr.New(sqlerr.InvalidParameterValue, "unit \"%s\" not recognized for type %s", strings.ToLower(u), info(k).name)
}

func unitNotSupported(u string, k Kind) *sqlerr.Error {
	return sqlerr.New(sqlerr.FeatureNotSupported, "unit \"%s\" not supported for type %s", strings.ToLower(u), info(k).name)
}

// Extract is EXTRACT(unit FROM v) for a non-NULL date, time, timestamp,
// timestamptz or interval: a numeric, as PostgreSQL 14 and later return
// it (date_part is its float8 cast). A timestamptz is broken down in the
// session time zone.
func Extract(env *Env, unit string, v Value) (Value, error) {
	u := canonicalUnit(unit)
	switch v.kind {
	case Interval:
		return extractInterval(unit, u, v)
	case Time:
		return extractTime(unit, u, v)
	case Date, Timestamp, TimestampTZ:
	default:
		return Null, sqlerr.UndefinedFunctionErr("function extract(unknown, %s) does not exist", v.kind)
	}
	if u == "" {
		return Null, unitNotRecognized(unit, v.kind)
	}
	isDate := v.kind == Date
	if isDate {
		switch u {
		case "microseconds", "milliseconds", "second", "minute", "hour", "timezone", "timezone_hour", "timezone_minute":
			return Null, unitNotSupported(unit, Date)
		}
	}
	// Infinite values: monotonic units are +-Infinity, others NULL.
	inf := 0
	if isDate && isInfDate(v.i) || !isDate && isInfTS(v.i) {
		inf = 1
		if v.i < 0 {
			inf = -1
		}
		switch u {
		case "epoch", "julian", "year", "decade", "century", "millennium", "isoyear":
			return NewNumeric(&apd.Decimal{Form: apd.Infinite, Negative: inf < 0}), nil
		}
		return Null, nil
	}
	if isDate {
		switch u {
		case "microseconds", "milliseconds", "second", "minute", "hour", "timezone", "timezone_hour", "timezone_minute":
			return Null, unitNotSupported(unit, Date)
		}
	} else if v.kind == Timestamp && strings.HasPrefix(u, "timezone") {
		return Null, unitNotSupported(unit, Timestamp)
	}
	local := v.i
	if isDate {
		local = v.i * usPerDay
	}
	off := 0
	if v.kind == TimestampTZ {
		off = zoneOffset(v.i, env.loc())
		local = v.i + int64(off)*usPerSec
	}
	b := breakDown(local)
	year := int64(b.year)
	if year <= 0 {
		year--
	}
	switch u {
	case "microseconds":
		return numInt(int64(b.sec)*usPerSec + b.usec), nil
	case "milliseconds":
		return numFromMicro(int64(b.sec)*usPerSec+b.usec, 3), nil
	case "second":
		return numFromMicro(int64(b.sec)*usPerSec+b.usec, 6), nil
	case "minute":
		return numInt(int64(b.min)), nil
	case "hour":
		return numInt(int64(b.hour)), nil
	case "day":
		return numInt(int64(b.mday)), nil
	case "month":
		return numInt(int64(b.mon)), nil
	case "quarter":
		return numInt(int64((b.mon-1)/3 + 1)), nil
	case "week":
		_, w := isoWeek(b.year, b.mon, b.mday)
		return numInt(int64(w)), nil
	case "year":
		return numInt(year), nil
	case "isoyear":
		iy, _ := isoWeek(b.year, b.mon, b.mday)
		if iy <= 0 {
			iy--
		}
		return numInt(int64(iy)), nil
	case "decade":
		return numInt(decadeOf(b.year)), nil
	case "century":
		return numInt(centuryOf(b.year)), nil
	case "millennium":
		return numInt(millenniumOf(b.year)), nil
	case "dow":
		return numInt(int64(dayOfWeek(b.julian))), nil
	case "isodow":
		d := dayOfWeek(b.julian)
		if d == 0 {
			d = 7
		}
		return numInt(int64(d)), nil
	case "doy":
		return numInt(b.julian - dateToJulian(b.year, 1, 1) + 1), nil
	case "timezone":
		return numInt(int64(off)), nil
	case "timezone_hour":
		return numInt(int64(off / 3600)), nil
	case "timezone_minute":
		return numInt(int64(off / 60 % 60)), nil
	case "julian":
		if isDate {
			return numInt(b.julian), nil
		}
		frac, err := numericArith('/', apd.New(b.tod, 0), apd.New(usPerDay, 0))
		if err != nil {
			return Null, err
		}
		r, err := numericArith('+', apd.New(b.julian, 0), frac)
		if err != nil {
			return Null, err
		}
		return NewNumeric(r), nil
	case "epoch":
		if isDate {
			return numInt((v.i*usPerDay)/usPerSec + pgEpochUnix), nil
		}
		us := v.i
		// Seconds since 1970-01-01 UTC (a timestamp's wall time read as UTC).
		return numFromMicro(us+pgEpochUnix*usPerSec, 6), nil
	}
	return Null, unitNotSupported(unit, v.kind)
}

func extractTime(unit, u string, v Value) (Value, error) {
	if u == "" {
		return Null, unitNotRecognized(unit, Time)
	}
	us := v.i
	switch u {
	case "microseconds":
		return numInt(us % usPerMinute), nil
	case "milliseconds":
		return numFromMicro(us%usPerMinute, 3), nil
	case "second":
		return numFromMicro(us%usPerMinute, 6), nil
	case "minute":
		return numInt(us / usPerMinute % 60), nil
	case "hour":
		return numInt(us / usPerHour), nil
	case "epoch":
		return numFromMicro(us, 6), nil
	}
	return Null, unitNotSupported(unit, Time)
}

func extractInterval(unit, u string, v Value) (Value, error) {
	if u == "" {
		return Null, unitNotRecognized(unit, Interval)
	}
	years := int64(v.months / 12)
	mons := int64(v.months % 12)
	t := v.i
	switch u {
	case "microseconds":
		return numInt(t % usPerMinute), nil
	case "milliseconds":
		return numFromMicro(t%usPerMinute, 3), nil
	case "second":
		return numFromMicro(t%usPerMinute, 6), nil
	case "minute":
		return numInt(t / usPerMinute % 60), nil
	case "hour":
		return numInt(t / usPerHour), nil
	case "day":
		return numInt(int64(v.days)), nil
	case "month":
		return numInt(mons), nil
	case "quarter":
		return numInt(mons/3 + 1), nil
	case "year":
		return numInt(years), nil
	case "decade":
		return numInt(years / 10), nil
	case "century":
		return numInt(years / 100), nil
	case "millennium":
		return numInt(years / 1000), nil
	case "epoch":
		// 365.25-day years and 30-day months.
		secs := (int64(365.25*86400)*years + int64(daysPerMonth*86400)*mons + 86400*int64(v.days))
		r, err := numericArith('+', apd.New(secs, 0), apd.New(t, -6))
		if err != nil {
			return Null, err
		}
		return NewNumeric(r), nil
	}
	return Null, unitNotSupported(unit, Interval)
}

// DateTrunc is date_trunc(unit, v) for a timestamp, timestamptz (in the
// session time zone) or interval.
func DateTrunc(env *Env, unit string, v Value) (Value, error) {
	u := canonicalUnit(unit)
	if v.kind == Interval {
		return truncInterval(unit, u, v)
	}
	if v.kind != Timestamp && v.kind != TimestampTZ {
		return Null, sqlerr.UndefinedFunctionErr("function date_trunc(unknown, %s) does not exist", v.kind)
	}
	if isInfTS(v.i) {
		return v, nil
	}
	switch u {
	case "microseconds", "milliseconds", "second", "minute", "hour", "day", "week", "month", "quarter",
		"year", "decade", "century", "millennium":
	case "timezone", "timezone_hour", "timezone_minute":
		return Null, unitNotSupported(unit, v.kind)
	default:
		return Null, unitNotRecognized(unit, v.kind)
	}
	loc := env.loc()
	local := v.i
	if v.kind == TimestampTZ {
		local = localTime(v.i, loc)
	}
	b := breakDown(local)
	y, m, d := b.year, b.mon, b.mday
	tod := b.tod
	switch u {
	case "millennium":
		if y > 0 {
			y = (y+999)/1000*1000 - 999
		} else {
			y = -((999-(y-1))/1000)*1000 + 1
		}
		m, d, tod = 1, 1, 0
	case "century":
		if y > 0 {
			y = (y+99)/100*100 - 99
		} else {
			y = -((99-(y-1))/100)*100 + 1
		}
		m, d, tod = 1, 1, 0
	case "decade":
		if y > 0 {
			y = y / 10 * 10
		} else {
			y = -((8 - (y - 1)) / 10) * 10
		}
		m, d, tod = 1, 1, 0
	case "year":
		m, d, tod = 1, 1, 0
	case "quarter":
		m, d, tod = 3*((m-1)/3)+1, 1, 0
	case "month":
		d, tod = 1, 0
	case "week":
		dow := dayOfWeek(b.julian)
		back := (dow + 6) % 7 // days since Monday
		y, m, d = julianToDate(b.julian - int64(back))
		tod = 0
	case "day":
		tod = 0
	case "hour":
		tod -= tod % usPerHour
	case "minute":
		tod -= tod % usPerMinute
	case "second":
		tod -= tod % usPerSec
	case "milliseconds":
		tod -= tod % 1000
	}
	r := (dateToJulian(y, m, d)-pgEpochJDate)*usPerDay + tod
	if r < minTS {
		return Null, tsRangeErr()
	}
	if v.kind == TimestampTZ {
		switch u {
		case "hour", "minute", "second", "milliseconds", "microseconds":
			// Keep the original offset below a day.
			r -= local - v.i
		default:
			r = localToUTC(r, loc)
		}
	}
	return NewTimestamp(v.kind, r), nil
}

func truncInterval(unit, u string, v Value) (Value, error) {
	if u == "" {
		return Null, unitNotRecognized(unit, Interval)
	}
	months, days, t := v.months, v.days, v.i
	switch u {
	case "millennium":
		months, days, t = months/12000*12000, 0, 0
	case "century":
		months, days, t = months/1200*1200, 0, 0
	case "decade":
		months, days, t = months/120*120, 0, 0
	case "year":
		months, days, t = months/12*12, 0, 0
	case "quarter":
		months, days, t = months/12*12+months%12/3*3, 0, 0
	case "month":
		days, t = 0, 0
	case "day":
		t = 0
	case "hour":
		t = t / usPerHour * usPerHour
	case "minute":
		t = t / usPerMinute * usPerMinute
	case "second":
		t = t / usPerSec * usPerSec
	case "milliseconds":
		t = t / 1000 * 1000
	case "microseconds":
	case "dow", "isodow", "doy", "epoch", "julian", "isoyear":
		return Null, unitNotRecognized(unit, Interval)
	case "week":
		return Null, sqlerr.New(sqlerr.FeatureNotSupported, "unit \"%s\" not supported for type interval", strings.ToLower(unit)).
			WithDetail("Months usually have fractional weeks.")
	default:
		return Null, unitNotSupported(unit, Interval)
	}
	return NewInterval(months, days, t), nil
}

// Age is age(a, b) for two timestamps (or two timestamptz, broken down in
// the session time zone): the difference in years, months, days and time,
// borrowing from the month before as PostgreSQL does.
func Age(env *Env, a, b Value) (Value, error) {
	// PostgreSQL 15 breaks infinities down as their raw values.
	la, lb := a.i, b.i
	if a.kind == TimestampTZ {
		loc := env.loc()
		la, lb = localTime(a.i, loc), localTime(b.i, loc)
	}
	x, y := breakDown(la), breakDown(lb)
	fsec := x.usec - y.usec
	sec := int64(x.sec - y.sec)
	mi := int64(x.min - y.min)
	hour := int64(x.hour - y.hour)
	mday := int64(x.mday - y.mday)
	mon := int64(x.mon - y.mon)
	year := int64(x.year - y.year)
	neg := a.i < b.i
	flip := func() {
		fsec, sec, mi, hour, mday, mon, year = -fsec, -sec, -mi, -hour, -mday, -mon, -year
	}
	if neg {
		flip()
	}
	for fsec < 0 {
		fsec += usPerSec
		sec--
	}
	for sec < 0 {
		sec += 60
		mi--
	}
	for mi < 0 {
		mi += 60
		hour--
	}
	for hour < 0 {
		hour += 24
		mday--
	}
	for mday < 0 {
		if neg {
			mday += int64(daysIn(x.year, x.mon))
		} else {
			mday += int64(daysIn(y.year, y.mon))
		}
		mon--
	}
	for mon < 0 {
		mon += 12
		year--
	}
	if neg {
		flip()
	}
	months := year*12 + mon
	if months < math.MinInt32 || months > math.MaxInt32 {
		return Null, intervalRangeErr()
	}
	t := ((hour*60+mi)*60+sec)*usPerSec + fsec
	return NewInterval(int32(months), int32(mday), t), nil
}
