package types

// Constructors of date/time values from numbers: to_timestamp(double),
// make_date, make_time, make_timestamp(tz), make_interval.

import (
	"math"
	"strconv"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// ToTimestampEpoch is to_timestamp(double precision): seconds since
// 1970-01-01 00:00:00 UTC as a timestamptz.
func ToTimestampEpoch(secs float64) (Value, error) {
	switch {
	case math.IsNaN(secs):
		return Null, sqlerr.New(codeDatetimeOverflow, "timestamp cannot be NaN")
	case math.IsInf(secs, 1):
		return NewTimestamp(TimestampTZ, math.MaxInt64), nil
	case math.IsInf(secs, -1):
		return NewTimestamp(TimestampTZ, math.MinInt64), nil
	}
	outOfRange := func() (Value, error) {
		return Null, sqlerr.New(codeDatetimeOverflow, "timestamp out of range: \"%s\"", strconv.FormatFloat(secs, 'g', -1, 64))
	}
	// The valid range in seconds since 1970, as float8_timestamptz checks.
	lo := float64(minTS/usPerSec + pgEpochUnix)
	hi := float64(endTS/usPerSec + pgEpochUnix)
	if secs < lo || secs >= hi {
		return outOfRange()
	}
	us := math.RoundToEven((secs - pgEpochUnix) * 1e6)
	if us < float64(minTS) || us >= float64(endTS) {
		return outOfRange()
	}
	return NewTimestamp(TimestampTZ, int64(us)), nil
}

// MakeDate is make_date(year, month, day); a negative year is BC.
func MakeDate(y, m, d int64) (Value, error) {
	bad := func() (Value, error) {
		return Null, sqlerr.New(codeDatetimeOverflow, "date field value out of range: %d-%02d-%02d", y, m, d)
	}
	if y == 0 || m < 1 || m > 12 || d < 1 || y > 5874897 || y < -4714 {
		return bad()
	}
	ay := int(y)
	if ay < 0 {
		ay++ // astronomical year
	}
	if d > int64(daysIn(ay, int(m))) {
		return bad()
	}
	days := dateToJulian(ay, int(m), int(d)) - pgEpochJDate
	if days < minDateDays || days >= endDateDays {
		return Null, sqlerr.New(codeDatetimeOverflow, "date out of range: %d-%02d-%02d", y, m, d)
	}
	return NewDate(int32(days)), nil
}

// clockUS checks hour, minute and fractional seconds as make_time does
// and returns the time of day in microseconds.
func clockUS(h, mi int64, sec float64) (int64, error) {
	us := int64(math.RoundToEven(sec * 1e6))
	if h < 0 || mi < 0 || mi > 59 || sec < 0 || sec > 60 || h > 24 ||
		h*usPerHour+mi*usPerMinute+us > usPerDay {
		return 0, sqlerr.New(codeDatetimeOverflow, "time field value out of range: %02d:%02d:%s", h, mi, cg02(sec))
	}
	return h*usPerHour + mi*usPerMinute + us, nil
}

// cg02 formats like C's "%02g".
func cg02(f float64) string {
	s := strconv.FormatFloat(f, 'g', 6, 64)
	if len(s) < 2 {
		s = "0" + s
	}
	return s
}

// MakeTime is make_time(hour, min, sec).
func MakeTime(h, mi int64, sec float64) (Value, error) {
	us, err := clockUS(h, mi, sec)
	if err != nil {
		return Null, err
	}
	return NewTime(us), nil
}

// MakeTimestamp is make_timestamp (k Timestamp) and make_timestamptz (k
// TimestampTZ, read in the session time zone).
func MakeTimestamp(env *Env, k Kind, y, m, d, h, mi int64, sec float64) (Value, error) {
	date, err := MakeDate(y, m, d)
	if err != nil {
		return Null, err
	}
	tod, err := clockUS(h, mi, sec)
	if err != nil {
		return Null, err
	}
	ts := date.i*usPerDay + tod
	if k == TimestampTZ {
		ts = localToUTC(ts, env.loc())
	}
	if ts < minTS || ts >= endTS {
		return Null, sqlerr.New(codeDatetimeOverflow, "timestamp out of range: %d-%02d-%02d %d:%02d:%s", y, m, d, h, mi, cg02(sec))
	}
	return NewTimestamp(k, ts), nil
}

// MakeInterval is make_interval(years, months, weeks, days, hours, mins,
// secs).
func MakeInterval(years, months, weeks, days, hours, mins int64, secs float64) (Value, error) {
	m := years*12 + months
	dd := weeks*7 + days
	us := math.RoundToEven(secs*1e6) + float64(hours)*float64(usPerHour) + float64(mins)*float64(usPerMinute)
	if math.IsNaN(secs) || math.IsInf(secs, 0) || m < math.MinInt32 || m > math.MaxInt32 || dd < math.MinInt32 || dd > math.MaxInt32 ||
		us < -9.223372036854775808e18 || us >= 9.223372036854775808e18 {
		return Null, intervalRangeErr()
	}
	return NewInterval(int32(m), int32(dd), int64(us)), nil
}
