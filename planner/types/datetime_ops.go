package types

// Casts between the date/time types, their comparison, and the
// arithmetic operators PostgreSQL defines on dates, times, timestamps and
// intervals.

import (
	"math"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// extraCasts lists pg_cast entries among the newer kinds, with the least
// restrictive context allowing each (implicit 'i', assignment 'a',
// explicit 'e'). Casts to and from the string kinds follow the general
// rules in CanCast.
var extraCasts = map[[2]Kind]CastContext{
	{Date, Timestamp}:        CastImplicit,
	{Date, TimestampTZ}:      CastImplicit,
	{Timestamp, TimestampTZ}: CastImplicit,
	{TimestampTZ, Timestamp}: CastAssignment,
	{Timestamp, Date}:        CastAssignment,
	{TimestampTZ, Date}:      CastAssignment,
	{Timestamp, Time}:        CastAssignment,
	{TimestampTZ, Time}:      CastAssignment,
	{Time, Interval}:         CastImplicit,
	{Interval, Time}:         CastAssignment,
	{JSON, JSONB}:            CastAssignment,
	{JSONB, JSON}:            CastAssignment,
	{JSONB, Bool}:            CastExplicit,
	{JSONB, Int2}:            CastExplicit,
	{JSONB, Int4}:            CastExplicit,
	{JSONB, Int8}:            CastExplicit,
	{JSONB, Numeric}:         CastExplicit,
	{JSONB, Float4}:          CastExplicit,
	{JSONB, Float8}:          CastExplicit,
	{Text, BPChar}:           CastImplicit,
	{Varchar, BPChar}:        CastImplicit,
	{BPChar, Text}:           CastImplicit,
	{BPChar, Varchar}:        CastImplicit,
}

func tsRangeErr() *sqlerr.Error { return sqlerr.New(codeDatetimeOverflow, "timestamp out of range") }

func dateRangeErr() *sqlerr.Error { return sqlerr.New(codeDatetimeOverflow, "date out of range") }

// dateToTS converts a date to a timestamp at midnight (wall time).
func dateToTS(days int64) (int64, error) {
	switch days {
	case math.MinInt32:
		return math.MinInt64, nil
	case math.MaxInt32:
		return math.MaxInt64, nil
	}
	if days >= endTS/usPerDay {
		return 0, sqlerr.New(codeDatetimeOverflow, "date out of range for timestamp")
	}
	return days * usPerDay, nil
}

// tsToDate converts a timestamp's wall time to its date.
func tsToDate(us int64) int64 {
	switch us {
	case math.MinInt64:
		return math.MinInt32
	case math.MaxInt64:
		return math.MaxInt32
	}
	return floorDiv(us, usPerDay)
}

// castDateTime converts among date, time, timestamp, timestamptz and
// interval; ok is false when the pair is not one of these casts.
func castDateTime(env *Env, v Value, to Kind) (out Value, ok bool, err error) {
	loc := env.loc()
	from := v.kind
	switch {
	case from == Date && (to == Timestamp || to == TimestampTZ):
		ts, err := dateToTS(v.i)
		if err != nil {
			return Null, true, err
		}
		if to == TimestampTZ && !isInfTS(ts) {
			ts = localToUTC(ts, loc)
			if ts < minTS || ts >= endTS {
				return Null, true, sqlerr.New(codeDatetimeOverflow, "date out of range for timestamp")
			}
		}
		return NewTimestamp(to, ts), true, nil
	case from == Timestamp && to == TimestampTZ:
		ts := v.i
		if !isInfTS(ts) {
			ts = localToUTC(ts, loc)
			if ts < minTS || ts >= endTS {
				return Null, true, tsRangeErr()
			}
		}
		return NewTimestamp(to, ts), true, nil
	case from == TimestampTZ && to == Timestamp:
		ts := v.i
		if !isInfTS(ts) {
			ts = localTime(ts, loc)
			if ts < minTS || ts >= endTS {
				return Null, true, tsRangeErr()
			}
		}
		return NewTimestamp(to, ts), true, nil
	case (from == Timestamp || from == TimestampTZ) && to == Date:
		ts := v.i
		if from == TimestampTZ && !isInfTS(ts) {
			ts = localTime(ts, loc)
		}
		return NewDate(int32(tsToDate(ts))), true, nil
	case (from == Timestamp || from == TimestampTZ) && to == Time:
		ts := v.i
		if isInfTS(ts) {
			return Null, true, nil
		}
		if from == TimestampTZ {
			ts = localTime(ts, loc)
		}
		return NewTime(ts - floorDiv(ts, usPerDay)*usPerDay), true, nil
	case from == Time && to == Interval:
		return NewInterval(0, 0, v.i), true, nil
	case from == Interval && to == Time:
		t := v.i % usPerDay
		if t < 0 {
			t += usPerDay
		}
		return NewTime(t), true, nil
	}
	return Null, false, nil
}

// tsDomain returns a date or timestamp in microseconds of wall time (a
// timestamptz as UTC), for comparisons across kinds.
func tsDomain(v Value) int64 {
	if v.kind == Date {
		ts, err := dateToTS(v.i)
		if err != nil {
			if v.i > 0 {
				return math.MaxInt64 - 1
			}
			return math.MinInt64 + 1
		}
		return ts
	}
	return v.i
}

// compareDateTime orders two date/time values; mixed date and timestamp
// kinds compare as timestamps (a timestamp against a timestamptz as if
// the session time zone were UTC: the binder should cast first).
func compareDateTime(a, b Value) int {
	if a.kind == b.kind || a.kind == Time || b.kind == Time {
		return cmpInt(a.i, b.i)
	}
	return cmpInt(tsDomain(a), tsDomain(b))
}

// addMonthsDays adds months then days to a wall time, clamping the day
// to the end of a shorter month, as timestamp_pl_interval.
func addMonthsDays(local int64, months, days int32) (int64, error) {
	if months != 0 {
		d := floorDiv(local, usPerDay)
		tod := local - d*usPerDay
		y, m, md := julianToDate(d + pgEpochJDate)
		total := int64(y)*12 + int64(m-1) + int64(months)
		y, m = int(floorDiv(total, 12)), int(total-floorDiv(total, 12)*12)+1
		if y < -4713 || y > 294277 {
			return 0, tsRangeErr()
		}
		if md > daysIn(y, m) {
			md = daysIn(y, m)
		}
		local = (dateToJulian(y, m, md)-pgEpochJDate)*usPerDay + tod
	}
	if days != 0 {
		local += int64(days) * usPerDay
	}
	if local < minTS || local >= endTS {
		return 0, tsRangeErr()
	}
	return local, nil
}

// timestampPlusInterval is timestamp_pl_interval (and, with a location,
// timestamptz_pl_interval: months and days move the wall time in the
// session time zone).
func timestampPlusInterval(env *Env, k Kind, ts int64, iv Value) (Value, error) {
	if isInfTS(ts) {
		return NewTimestamp(k, ts), nil
	}
	if iv.months != 0 || iv.days != 0 {
		if k == TimestampTZ {
			loc := env.loc()
			local, err := addMonthsDays(localTime(ts, loc), iv.months, iv.days)
			if err != nil {
				return Null, err
			}
			ts = localToUTC(local, loc)
		} else {
			var err error
			if ts, err = addMonthsDays(ts, iv.months, iv.days); err != nil {
				return Null, err
			}
		}
	}
	r := ts + iv.i
	if (iv.i > 0 && r < ts) || (iv.i < 0 && r > ts) || r < minTS || r >= endTS {
		return Null, tsRangeErr()
	}
	return NewTimestamp(k, r), nil
}

// negInterval returns -iv or an error on overflow.
func negInterval(iv Value) (Value, error) { return intervalAdd(NewInterval(0, 0, 0), iv, -1) }

// dtRank orders date < timestamp < timestamptz for implicit promotion.
func dtRank(k Kind) int {
	switch k {
	case Date:
		return 1
	case Timestamp:
		return 2
	case TimestampTZ:
		return 3
	}
	return 0
}

// isIntArg reports whether k is accepted as the integer of date +- n.
func isIntArg(k Kind) bool { return k == Int4 || k == Int2 }

// OperatorResult returns the result kind of the date/time and interval
// operator a op b (op one of + - * /), as PostgreSQL's operators (with
// the implicit casts date -> timestamp -> timestamptz between mixed
// operands), and false when there is none.
func OperatorResult(op byte, a, b Kind) (Kind, bool) {
	switch op {
	case '+':
		switch {
		case a == Date && isIntArg(b), isIntArg(a) && b == Date:
			return Date, true
		case a == Date && b == Interval, a == Interval && b == Date,
			a == Date && b == Time, a == Time && b == Date:
			return Timestamp, true
		case (a == Timestamp || a == TimestampTZ) && b == Interval:
			return a, true
		case a == Interval && (b == Timestamp || b == TimestampTZ):
			return b, true
		case a == Time && b == Interval, a == Interval && b == Time:
			return Time, true
		case a == Interval && b == Interval:
			return Interval, true
		}
	case '-':
		switch {
		case a == Date && isIntArg(b):
			return Date, true
		case a == Date && b == Date:
			return Int4, true
		case a == Date && b == Interval:
			return Timestamp, true
		case (a == Timestamp || a == TimestampTZ) && b == Interval:
			return a, true
		case dtRank(a) > 0 && dtRank(b) > 0:
			return Interval, true
		case a == Time && b == Interval:
			return Time, true
		case a == Time && b == Time, a == Interval && b == Interval:
			return Interval, true
		}
	case '*':
		if a == Interval && b.IsNumeric() || a.IsNumeric() && b == Interval {
			return Interval, true
		}
	case '/':
		if a == Interval && b.IsNumeric() {
			return Interval, true
		}
	}
	return Unknown, false
}

// numberArg returns a numeric-kind value as a float64.
func numberArg(v Value) (float64, error) {
	switch {
	case v.kind.IsInteger():
		return float64(v.i), nil
	case v.kind == Float4 || v.kind == Float8:
		return v.f, nil
	case v.kind == Numeric:
		return numericToFloat(v.d, Float8)
	}
	return 0, sqlerr.DatatypeMismatchErr("%s is not a number", v.kind)
}

// EvalOperator computes a date/time or interval operator (see
// OperatorResult) on two non-NULL values, with PostgreSQL's range errors.
// env gives the time zone in which timestamptz arithmetic moves by days
// and months.
func EvalOperator(env *Env, op byte, a, b Value) (Value, error) {
	ak, bk := a.kind, b.kind
	if _, ok := OperatorResult(op, ak, bk); !ok {
		return Null, sqlerr.UndefinedOperatorErr("operator does not exist: %s %c %s", ak, op, bk)
	}
	switch op {
	case '+':
		switch {
		case isIntArg(ak) && bk == Date:
			return EvalOperator(env, op, b, a)
		case ak == Date && isIntArg(bk):
			return dateAddDays(a.i, b.i)
		case ak == Interval && bk != Interval:
			return EvalOperator(env, op, b, a)
		case ak == Time && bk == Date:
			return EvalOperator(env, op, b, a)
		case ak == Date && bk == Time:
			ts, err := dateToTS(a.i)
			if err != nil {
				return Null, err
			}
			if isInfTS(ts) {
				return NewTimestamp(Timestamp, ts), nil
			}
			if ts+b.i >= endTS {
				return Null, tsRangeErr()
			}
			return NewTimestamp(Timestamp, ts+b.i), nil
		case ak == Date && bk == Interval:
			ts, err := dateToTS(a.i)
			if err != nil {
				return Null, err
			}
			return timestampPlusInterval(env, Timestamp, ts, b)
		case ak == Timestamp || ak == TimestampTZ:
			return timestampPlusInterval(env, ak, a.i, b)
		case ak == Time:
			return NewTime(timeWrap(a.i + b.i)), nil
		case ak == Interval:
			return intervalAdd(a, b, 1)
		}
	case '-':
		switch {
		case ak == Date && isIntArg(bk):
			if b.i == math.MinInt64 {
				return Null, dateRangeErr()
			}
			return dateAddDays(a.i, -b.i)
		case ak == Date && bk == Date:
			if isInfDate(a.i) || isInfDate(b.i) {
				return Null, sqlerr.New(codeDatetimeOverflow, "cannot subtract infinite dates")
			}
			return NewInt(Int4, a.i-b.i), nil
		case bk == Interval && (ak == Date || ak == Timestamp || ak == TimestampTZ):
			n, err := negInterval(b)
			if err != nil {
				return Null, err
			}
			return EvalOperator(env, '+', a, n)
		case dtRank(ak) > 0 && dtRank(bk) > 0:
			x, y, err := promotePair(env, a, b)
			if err != nil {
				return Null, err
			}
			if isInfTS(x.i) || isInfTS(y.i) {
				return Null, sqlerr.New(codeDatetimeOverflow, "cannot subtract infinite timestamps")
			}
			d := x.i - y.i
			if (y.i < 0 && d < x.i) || (y.i > 0 && d > x.i) {
				return Null, intervalRangeErr()
			}
			return justifyHours(NewInterval(0, 0, d))
		case ak == Time && bk == Interval:
			return NewTime(timeWrap(a.i - b.i)), nil
		case ak == Time && bk == Time:
			return NewInterval(0, 0, a.i-b.i), nil
		case ak == Interval && bk == Interval:
			return intervalAdd(a, b, -1)
		}
	case '*':
		if ak != Interval {
			a, b = b, a
		}
		f, err := numberArg(b)
		if err != nil {
			return Null, err
		}
		return intervalMul(a, f, false)
	case '/':
		f, err := numberArg(b)
		if err != nil {
			return Null, err
		}
		return intervalMul(a, f, true)
	}
	return Null, sqlerr.UndefinedOperatorErr("operator does not exist: %s %c %s", ak, op, bk)
}

// promotePair casts two date/timestamp values to the wider of their kinds.
func promotePair(env *Env, a, b Value) (Value, Value, error) {
	k := a.kind
	if dtRank(b.kind) > dtRank(k) {
		k = b.kind
	}
	if k == Date {
		k = Timestamp
	}
	x, err := castKindEnv(env, a, k)
	if err != nil {
		return Null, Null, err
	}
	y, err := castKindEnv(env, b, k)
	if err != nil {
		return Null, Null, err
	}
	return x, y, nil
}

// timeWrap reduces a time of day modulo 24 hours into [0, 24h).
func timeWrap(us int64) int64 {
	us -= us / usPerDay * usPerDay
	if us < 0 {
		us += usPerDay
	}
	return us
}

// dateAddDays is date_pli.
func dateAddDays(d, n int64) (Value, error) {
	if isInfDate(d) {
		return NewDate(int32(d)), nil
	}
	r := d + n
	if r < minDateDays || r >= endDateDays {
		return Null, dateRangeErr()
	}
	return NewDate(int32(r)), nil
}

// CommonDateTime returns the kind two date/timestamp kinds compare and
// combine in (date -> timestamp -> timestamptz, PostgreSQL's implicit
// casts), and false unless both are date, timestamp or timestamptz.
func CommonDateTime(a, b Kind) (Kind, bool) {
	ra, rb := dtRank(a), dtRank(b)
	if ra == 0 || rb == 0 {
		return Unknown, false
	}
	if rb > ra {
		return b, true
	}
	return a, true
}

// UnknownOperand chooses the kind of an unknown operand (a quoted literal)
// of the date/time operator op whose other operand has kind known, as
// PostgreSQL's operator resolution does: the known kind when an operator
// takes it on both sides, else the only candidate. ok is false when no
// operator fits; ambiguous is set when several do (42725).
func UnknownOperand(op byte, known Kind, unknownOnLeft bool) (k Kind, ok, ambiguous bool) {
	try := func(c Kind) bool {
		if unknownOnLeft {
			_, ok := OperatorResult(op, c, known)
			return ok
		}
		_, ok := OperatorResult(op, known, c)
		return ok
	}
	if try(known) {
		return known, true, false
	}
	candidates := []Kind{Int4, Interval, Time, Date, Timestamp, TimestampTZ}
	if op == '*' || op == '/' {
		candidates = []Kind{Float8, Interval}
	}
	var found []Kind
	for _, c := range candidates {
		if try(c) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		return Unknown, false, false
	case 1:
		return found[0], true, false
	}
	// Several fit: assume the unknown has the known operand's type and
	// keep the candidates that accept it by an implicit cast (time +
	// '1 hour' is time + interval).
	var accept []Kind
	for _, c := range found {
		if CanCast(known, c, CastImplicit) {
			accept = append(accept, c)
		}
	}
	if len(accept) == 1 {
		return accept[0], true, false
	}
	return Unknown, false, true
}
