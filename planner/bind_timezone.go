package planner

// timezone(zone, value), which AT TIME ZONE calls: a timestamptz becomes
// the wall-clock timestamp of the zone, a timestamp is read as the zone's
// wall-clock time.

import (
	"strconv"
	"strings"
	"time"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// pgEpoch is 2000-01-01 00:00 UTC, where timestamps count from.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// zoneOf resolves a time zone argument: a zone name, or a numeric offset
// ('+05', 'UTC+3', '-03:30', read POSIX-style: positive is west).
func zoneOf(name string) (*time.Location, error) {
	if loc, ok := types.LoadZone(name); ok {
		return loc, nil
	}
	s := strings.TrimSpace(name)
	for _, p := range []string{"UTC", "GMT", "utc", "gmt"} {
		if strings.HasPrefix(s, p) && len(s) > len(p) {
			s = s[len(p):]
			break
		}
	}
	if s != "" && (s[0] == '+' || s[0] == '-' || s[0] >= '0' && s[0] <= '9') {
		sign := 1
		if s[0] == '-' {
			sign = -1
		}
		body := strings.TrimLeft(s, "+-")
		h, m, _ := strings.Cut(body, ":")
		hh, err1 := strconv.Atoi(h)
		mm := 0
		var err2 error
		if m != "" {
			mm, err2 = strconv.Atoi(m)
		}
		if err1 == nil && err2 == nil && hh <= 15 && mm < 60 {
			// PostgreSQL reads a numeric zone POSIX-style: positive
			// offsets are west of Greenwich.
			off := -sign * (hh*3600 + mm*60)
			return time.FixedZone(name, off), nil
		}
	}
	return nil, sqlerr.New(sqlerr.InvalidParameterValue, "time zone %q not recognized", name)
}

// timezoneFunc binds timezone(zone, timestamp[tz]).
func (b *binder) timezoneFunc(args []expr) (expr, bool, error) {
	undefined := func() error {
		return sqlerr.UndefinedFunctionErr("function timezone(%s) does not exist", argTypes(args))
	}
	if len(args) != 2 || !isTextish(args[0]) {
		return nil, true, undefined()
	}
	z, err := b.coerce(args[0], types.TText, types.CastImplicit)
	if err != nil {
		return nil, true, err
	}
	k := args[1].typ().Kind
	var t, res types.T
	switch k {
	case types.TimestampTZ, types.Date, types.Unknown:
		t, res = types.TTimestampTZ, types.TTimestamp
	case types.Timestamp:
		t, res = types.TTimestamp, types.TTimestampTZ
	default:
		return nil, true, undefined()
	}
	v, err := b.coerce(args[1], t, types.CastImplicit)
	if err != nil {
		return nil, true, err
	}
	e, err := b.foldOrDefer(&funcExpr{name: "timezone", args: []expr{z, v}, t: res, strict: true, fn: func(a []types.Value) (types.Value, error) {
		loc, err := zoneOf(a[0].Str())
		if err != nil {
			return types.Null, err
		}
		tm, ok := a[1].Time()
		if !ok {
			// Infinities stay infinite.
			return types.NewTimestamp(res.Kind, a[1].Int()), nil
		}
		if res.Kind == types.Timestamp {
			l := tm.In(loc)
			wall := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
			return types.NewTimestamp(types.Timestamp, (wall.Unix()-pgEpoch.Unix())*1e6+int64(wall.Nanosecond()/1000)), nil
		}
		u := tm.UTC()
		inst := time.Date(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), u.Nanosecond(), loc)
		return types.NewTimestampTZ(inst), nil
	}})
	return e, true, err
}
