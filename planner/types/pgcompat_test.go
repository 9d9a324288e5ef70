package types

// Side-by-side tests against a real PostgreSQL 15 (internal/pgtest): text
// input and output, casts, operators, ordering, binary send/receive. Every
// expectation is what the real server answers for the same input.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	mathrand "math/rand"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aspen-db/aspen/internal/pgtest"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// pg is a connection to the shared reference server.
type pg struct {
	t *testing.T
	c *pgconn.PgConn
}

func connectPG(t *testing.T) *pg {
	t.Helper()
	srv := pgtest.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgconn.Connect(ctx, srv.DSN())
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return &pg{t: t, c: c}
}

// outcome is a value's text or an error, from either side.
type outcome struct {
	text string
	null bool
	err  *sqlerr.Error
}

func (o outcome) String() string {
	switch {
	case o.err != nil:
		s := fmt.Sprintf("ERROR %s: %s", o.err.Code, o.err.Message)
		if o.err.Detail != "" {
			s += " DETAIL: " + o.err.Detail
		}
		if o.err.Hint != "" {
			s += " HINT: " + o.err.Hint
		}
		return s
	case o.null:
		return "NULL"
	}
	return o.text
}

func ours(v Value, err error, env *Env) outcome {
	if err != nil {
		return outcome{err: sqlerr.As(err)}
	}
	if v.IsNull() {
		return outcome{null: true}
	}
	return outcome{text: string(v.AppendTextEnv(nil, env))}
}

// query runs one statement (after SET TimeZone) and returns the first
// column of its only row.
func (p *pg) query(tz, sql string) outcome {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if tz == "" {
		tz = "UTC"
	}
	if _, err := p.c.Exec(ctx, "SET TimeZone TO '"+tz+"'").ReadAll(); err != nil {
		p.t.Fatalf("set timezone: %v", err)
	}
	res, err := p.c.Exec(ctx, sql).ReadAll()
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return outcome{err: &sqlerr.Error{Code: pe.Code, Message: pe.Message, Detail: pe.Detail, Hint: pe.Hint}}
	}
	if err != nil {
		p.t.Fatalf("%s: %v", sql, err)
	}
	last := res[len(res)-1]
	if len(last.Rows) != 1 || len(last.Rows[0]) < 1 {
		p.t.Fatalf("%s: %d rows", sql, len(last.Rows))
	}
	if last.Rows[0][0] == nil {
		return outcome{null: true}
	}
	return outcome{text: string(last.Rows[0][0])}
}

// text is query for a statement that must succeed.
func (p *pg) text(tz, sql string) string {
	p.t.Helper()
	o := p.query(tz, sql)
	if o.err != nil {
		p.t.Fatalf("%s: %s", sql, o)
	}
	return o.text
}

func lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// same compares outcomes: equal text, or the same SQLSTATE, message,
// detail and hint.
func same(a, b outcome) bool {
	if (a.err == nil) != (b.err == nil) {
		return false
	}
	if a.err != nil {
		return a.err.Code == b.err.Code && a.err.Message == b.err.Message &&
			a.err.Detail == b.err.Detail && a.err.Hint == b.err.Hint
	}
	return a.null == b.null && a.text == b.text
}

func envFor(t *testing.T, tz string) *Env {
	t.Helper()
	if tz == "" {
		return &Env{Loc: time.UTC}
	}
	loc, ok := LoadZone(tz)
	if !ok {
		t.Fatalf("zone %q not found", tz)
	}
	return &Env{Loc: loc}
}

// typeCase names a SQL type both ways.
type typeCase struct {
	sql string
	t   T
}

var (
	tcDate      = typeCase{"date", TDate}
	tcTime      = typeCase{"time", TTime}
	tcTS        = typeCase{"timestamp", TTimestamp}
	tcTSTZ      = typeCase{"timestamptz", TTimestampTZ}
	tcInterval  = typeCase{"interval", TInterval}
	tcBytea     = typeCase{"bytea", TBytea}
	tcUUID      = typeCase{"uuid", TUUID}
	tcJSON      = typeCase{"json", TJSON}
	tcJSONB     = typeCase{"jsonb", TJSONB}
	tcText      = typeCase{"text", TText}
	tcInt4      = typeCase{"int4", TInt4}
	tcInt8      = typeCase{"int8", TInt8}
	tcInt2      = typeCase{"int2", TInt2}
	tcFloat8    = typeCase{"float8", TFloat8}
	tcFloat4    = typeCase{"float4", TFloat4}
	tcNumeric   = typeCase{"numeric", TNumeric}
	tcBool      = typeCase{"bool", TBool}
	tcVarchar   = typeCase{"varchar", TVarchar}
	tcBPChar    = typeCase{"bpchar", TBPChar}
	tcChar3     = typeCase{"char(3)", T{BPChar, BPCharMod(3)}}
	tcVarchar3  = typeCase{"varchar(3)", T{Varchar, VarcharMod(3)}}
	tcTS0       = typeCase{"timestamp(0)", T{Timestamp, 0}}
	tcTSTZ2     = typeCase{"timestamptz(2)", T{TimestampTZ, 2}}
	tcTime3     = typeCase{"time(3)", T{Time, 3}}
	tcInt4Arr   = typeCase{"int4[]", ArrayType(TInt4)}
	tcTextArr   = typeCase{"text[]", ArrayType(TText)}
	tcTSArr     = typeCase{"timestamp[]", ArrayType(TTimestamp)}
	tcNumArr    = typeCase{"numeric[]", ArrayType(TNumeric)}
	tcBoolArr   = typeCase{"bool[]", ArrayType(TBool)}
	tcDateArr   = typeCase{"date[]", ArrayType(TDate)}
	tcJSONBArr  = typeCase{"jsonb[]", ArrayType(TJSONB)}
	tcByteaArr  = typeCase{"bytea[]", ArrayType(TBytea)}
	tcVc3Arr    = typeCase{"varchar(3)[]", ArrayType(T{Varchar, VarcharMod(3)})}
	tcFloat8Arr = typeCase{"float8[]", ArrayType(TFloat8)}
	tcUUIDArr   = typeCase{"uuid[]", ArrayType(TUUID)}
	tcIvArr     = typeCase{"interval[]", ArrayType(TInterval)}
)

// inputCases are (type, text) pairs for the input/output comparison; the
// zone, when set, is the session TimeZone.
var inputCases = []struct {
	tc typeCase
	in string
	tz string
}{
	// date
	{tcDate, "2024-01-05", ""}, {tcDate, "foo", ""}, {tcDate, "", ""}, {tcDate, "2024-13-01", ""},
	{tcDate, "2024-02-30", ""}, {tcDate, "2024-02-29", ""}, {tcDate, "2023-02-29", ""}, {tcDate, "13/01/2024", ""},
	{tcDate, "1/2/03", ""}, {tcDate, "1/2/1999", ""}, {tcDate, "12/31/70", ""}, {tcDate, "20240105", ""},
	{tcDate, "Jan 5 2024", ""}, {tcDate, "5 Jan 2024", ""}, {tcDate, "January 5, 2024", ""},
	{tcDate, "2024-Jan-05", ""}, {tcDate, "05-Jan-2024", ""}, {tcDate, "44-03-15 BC", ""},
	{tcDate, "0044-03-15 BC", ""}, {tcDate, "0001-01-01 BC", ""}, {tcDate, "4714-11-24 BC", ""},
	{tcDate, "4714-11-23 BC", ""}, {tcDate, "5874897-12-31", ""}, {tcDate, "5874898-01-01", ""},
	{tcDate, "6000000-01-01", ""}, {tcDate, "epoch", ""}, {tcDate, "infinity", ""}, {tcDate, "-infinity", ""},
	{tcDate, "1999-01-08 04:05:06", ""}, {tcDate, " 2024-01-05 ", ""}, {tcDate, "2024.01.05", ""},
	{tcDate, "2024/01/05", ""}, {tcDate, "10000-01-01", ""}, {tcDate, "0000-01-01", ""},
	{tcDate, "Fri Jan 05 2024", ""}, {tcDate, "2024-01-05 foo", ""}, {tcDate, "10:00", ""},
	{tcDate, "2024-01-05T10:00:00Z", ""},
	// time
	{tcTime, "10:11", ""}, {tcTime, "10:11:12", ""}, {tcTime, "10:11:12.123456", ""},
	{tcTime, "10:11:12.1234567", ""}, {tcTime, "10:11 PM", ""}, {tcTime, "12:00 AM", ""},
	{tcTime, "12:30 pm", ""}, {tcTime, "13:00 PM", ""}, {tcTime, "24:00:00", ""}, {tcTime, "24:00:01", ""},
	{tcTime, "25:00", ""}, {tcTime, "10:60", ""}, {tcTime, "allballs", ""}, {tcTime, "2024-01-05 04:05:06", ""},
	{tcTime, "04:05:06 PST", ""}, {tcTime, "04:05:06+05", ""}, {tcTime, "foo", ""}, {tcTime, "", ""},
	{tcTime, "10:11:12.5", ""}, {tcTime3, "10:11:12.12351", ""}, {tcTime, "23:59:59.9999995", ""},
	// timestamp
	{tcTS, "2024-01-05 10:11:12", ""}, {tcTS, "2024-01-05T10:11:12", ""}, {tcTS, "2024-01-05 10:11", ""},
	{tcTS, "2024-01-05", ""}, {tcTS, "2024-01-01 24:00", ""}, {tcTS, "2024-01-01 25:00", ""},
	{tcTS, "2024-01-05 10:11:12.1234567", ""}, {tcTS, "2024-01-05 10:11:12+05", ""},
	{tcTS, "2024-01-05 10:11:12 America/New_York", ""}, {tcTS, "Fri Jan 05 10:11:12 2024", ""},
	{tcTS, "300000-01-01", ""}, {tcTS, "294276-12-31 23:59:59.999999", ""}, {tcTS, "294277-01-01", ""},
	{tcTS, "4714-11-24 00:00:00 BC", ""}, {tcTS, "4714-11-23 23:59:59 BC", ""},
	{tcTS, "0044-03-15 10:00 BC", ""}, {tcTS, "epoch", ""}, {tcTS, "infinity", ""}, {tcTS, "-infinity", ""},
	{tcTS, "10:00", ""}, {tcTS, "2024-01-05 10:00 foo", ""}, {tcTS, "January 8, 1999 04:05:06 PM", ""},
	{tcTS, "1999-01-08 04:05:06.789", ""}, {tcTS0, "2024-01-05 10:11:12.5", ""},
	{tcTS0, "2024-01-05 10:11:12.4999", ""}, {tcTS, "20240105 101112", ""},
	// timestamptz
	{tcTSTZ, "2024-01-05 10:11:12", ""}, {tcTSTZ, "2024-01-05 10:11:12", "America/New_York"},
	{tcTSTZ, "2024-07-05 10:11:12", "America/New_York"}, {tcTSTZ, "2024-01-05 10:11:12+05:30", ""},
	{tcTSTZ, "2024-01-05 10:11:12-0800", ""}, {tcTSTZ, "2024-01-05 10:11:12Z", ""},
	{tcTSTZ, "2024-01-05T10:11:12.1234567Z", ""}, {tcTSTZ, "2024-01-05 10:11:12 EST", ""},
	{tcTSTZ, "2024-07-05 10:11:12 America/New_York", ""}, {tcTSTZ, "2024-07-05 10:11:12 america/new_york", "Asia/Kolkata"},
	{tcTSTZ, "2024-01-01 12:00 America/Nowhere", ""}, {tcTSTZ, "2024-01-01 12:00 foo", ""},
	{tcTSTZ, "2024-03-10 02:30:00", "America/New_York"}, {tcTSTZ, "2024-11-03 01:30:00", "America/New_York"},
	{tcTSTZ, "2024-03-31 02:30:00", "Europe/Berlin"}, {tcTSTZ, "2024-10-27 02:30:00", "Europe/Berlin"},
	{tcTSTZ, "2024-01-05 10:11:12", "Asia/Kolkata"}, {tcTSTZ, "2024-01-05 10:11:12", "Asia/Kathmandu"},
	{tcTSTZ, "1850-01-01 00:00", "Europe/Amsterdam"}, {tcTSTZ, "0044-03-15 10:00", ""},
	{tcTSTZ, "0044-03-15 10:00 BC", ""}, {tcTSTZ, "epoch", "Asia/Tokyo"}, {tcTSTZ, "infinity", ""},
	{tcTSTZ, "2024-01-05 10:11:12 UTC", "Asia/Tokyo"}, {tcTSTZ, "2024-01-05 10:11:12+05:30:15", ""},
	{tcTSTZ, "2024-01-05 10:11:12+16", ""}, {tcTSTZ2, "2024-01-05 10:11:12.125", ""},
	{tcTSTZ, "2024-01-05 10:11:12 +0100", ""}, {tcTSTZ, "2024-01-05 10:11:12 -01:00", ""},
	// interval
	{tcInterval, "1 day 2 hours", ""}, {tcInterval, "1-2", ""}, {tcInterval, "P1DT2H", ""},
	{tcInterval, "@ 1 day", ""}, {tcInterval, "1.5 years", ""}, {tcInterval, "1.01 years", ""},
	{tcInterval, "1.99 years", ""}, {tcInterval, "-1.5 years", ""}, {tcInterval, "1.5 mons", ""},
	{tcInterval, "1.5 days", ""}, {tcInterval, "-1 day +02:03", ""}, {tcInterval, "P1Y2M3DT4H5M6.5S", ""},
	{tcInterval, "@ 1 day 2 hours ago", ""}, {tcInterval, "5", ""}, {tcInterval, "1 week", ""},
	{tcInterval, "0", ""}, {tcInterval, "-1 days -02:00", ""}, {tcInterval, "1 day -1 hour", ""},
	{tcInterval, "25 hours", ""}, {tcInterval, "PT1.5S", ""}, {tcInterval, "1.7 mons", ""},
	{tcInterval, "1.123 days", ""}, {tcInterval, "2 decades", ""}, {tcInterval, "1 mon -1 day", ""},
	{tcInterval, "-1 mon 1 day", ""}, {tcInterval, "foo", ""}, {tcInterval, "1 dayss", ""},
	{tcInterval, "99999999999 days", ""}, {tcInterval, "2147483648 days", ""}, {tcInterval, "1 day 1 day", ""},
	{tcInterval, "P1.5Y", ""}, {tcInterval, "P0.5M", ""}, {tcInterval, "1:2", ""}, {tcInterval, "1:2:3.25", ""},
	{tcInterval, "-1:2:3", ""}, {tcInterval, "1 2:03", ""}, {tcInterval, "3 4", ""}, {tcInterval, "P1Y-2M", ""},
	{tcInterval, "P1W", ""}, {tcInterval, "P0001-02-03T04:05:06", ""}, {tcInterval, "pt1h", ""},
	{tcInterval, "1 mon 2 d 3 h 4 m 5 s", ""}, {tcInterval, "1 millisecond 2 us", ""},
	{tcInterval, "@ -1 day 2 hours ago", ""}, {tcInterval, "- 1 day", ""}, {tcInterval, "1 day ago", ""},
	{tcInterval, "10 centuries", ""}, {tcInterval, "1 millennium", ""}, {tcInterval, "2 hours 30", ""},
	{tcInterval, "30 2 hours", ""}, {tcInterval, "30 2 mins", ""}, {tcInterval, "1:2:3 4", ""},
	{tcInterval, "1-2 3", ""}, {tcInterval, "1-2 3 4:05", ""}, {tcInterval, "-1-2", ""},
	{tcInterval, "+1 -2:00", ""}, {tcInterval, "1 day -00:00:01", ""}, {tcInterval, "0.123 mons", ""},
	{tcInterval, "1 year 1.5 mons", ""}, {tcInterval, "1.5 weeks", ""}, {tcInterval, "1.0000001 sec", ""},
	{tcInterval, "", ""}, {tcInterval, "1 year 2 mons 3 days 04:05:06.789", ""}, {tcInterval, "-00:00:00.5", ""},
	{tcInterval, "100000 hours", ""}, {tcInterval, "1day", ""}, {tcInterval, "1 hour 1 hour", ""},
	{tcInterval, "12 months", ""}, {tcInterval, "-12 months", ""}, {tcInterval, "1 year -1 mon", ""},
	// bytea
	{tcBytea, `\x0102ff`, ""}, {tcBytea, `\xzz`, ""}, {tcBytea, `\x1`, ""}, {tcBytea, `\x 01 02`, ""},
	{tcBytea, `a\\b\001`, ""}, {tcBytea, ``, ""}, {tcBytea, `abc`, ""}, {tcBytea, `a\b`, ""},
	{tcBytea, `\X0A0b`, ""}, {tcBytea, `é`, ""},
	// uuid
	{tcUUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", ""}, {tcUUID, "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", ""},
	{tcUUID, "A0EEBC999C0B4EF8BB6D6BB9BD380A11", ""}, {tcUUID, "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", ""},
	{tcUUID, "a0eebc99-9c0b4ef8-bb6d6bb9bd380a11-", ""}, {tcUUID, "a0eebc99", ""}, {tcUUID, "", ""},
	{tcUUID, "{a0eebc999c0b4ef8bb6d6bb9bd380a11", ""}, {tcUUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g", ""},
	// json, jsonb
	{tcJSON, ` [1, {"x": "y"}] `, ""}, {tcJSON, `{"a":1}x`, ""}, {tcJSON, `01`, ""}, {tcJSON, `"\u0000"`, ""},
	{tcJSON, `{"a":1,"a":2}`, ""}, {tcJSON, `1.`, ""}, {tcJSON, `-`, ""}, {tcJSON, `[1,]`, ""},
	{tcJSON, `{"a" 1}`, ""}, {tcJSON, `{,}`, ""}, {tcJSON, `{"a":1,}`, ""}, {tcJSON, `"abc`, ""},
	{tcJSON, `"\q"`, ""}, {tcJSON, `"\ud800"`, ""}, {tcJSON, `"\u12"`, ""}, {tcJSON, "\"a\nb\"", ""},
	{tcJSON, ``, ""}, {tcJSON, `tru`, ""}, {tcJSON, `[1 2]`, ""}, {tcJSON, `{"a":1 "b":2}`, ""},
	{tcJSONB, `{"b":1,"a":2,"aa":[1.50,-0,1e2,true,null],"a":3}`, ""}, {tcJSONB, `"a\u0041\n\u001f\/"`, ""},
	{tcJSONB, `{"a" 1}`, ""}, {tcJSONB, `[1,2`, ""}, {tcJSONB, `"\u0000"`, ""}, {tcJSONB, `1E-2`, ""},
	{tcJSONB, `-0.0`, ""}, {tcJSONB, `{}`, ""}, {tcJSONB, `[]`, ""}, {tcJSONB, ` null `, ""},
	{tcJSONB, `{"bb":{"z":1,"y":[{}]},"a":"\ud83d\ude00"}`, ""}, {tcJSONB, `12345678901234567890.1234567890`, ""},
	{tcJSONB, `"\"\\\b\f\r\t"`, ""},
	// character
	{tcChar3, "ab", ""}, {tcChar3, "abc", ""}, {tcChar3, "abcd", ""}, {tcChar3, "abc   ", ""},
	{tcChar3, "", ""}, {tcChar3, "éé", ""}, {tcBPChar, "ab  ", ""}, {typeCase{"char", T{BPChar, BPCharMod(1)}}, "xyz", ""},
	// float output: PostgreSQL's shortest digits refuse halfway decimals
	{tcFloat4, "15000000000", ""}, {tcFloat4, "16777217", ""}, {tcFloat4, "33554434", ""}, {tcFloat4, "3.4028235e38", ""},
	{tcFloat4, "1e-45", ""}, {tcFloat4, "-1.5e10", ""}, {tcFloat4, "123456789", ""}, {tcFloat4, "1e20", ""},
	{tcFloat8, "9007199254740993", ""}, {tcFloat8, "1e23", ""}, {tcFloat8, "5e-324", ""}, {tcFloat8, "-1e23", ""},
	{tcFloat8, "1e22", ""}, {tcFloat8, "123456789012345678901234567890", ""}, {tcFloat8, "9.5e15", ""},
	{tcFloat8, "1.7976931348623157e308", ""}, {tcFloat8, "4.35e24", ""}, {tcFloat8, "8.41e21", ""},
	// numeric size limits
	{tcNumeric, "1e-16383", ""}, {tcNumeric, "1e-16384", ""}, {tcNumeric, "0." + strings.Repeat("0", 16383) + "1", ""},
	{tcNumeric, "0." + strings.Repeat("0", 16382) + "1", ""}, {tcNumeric, "1" + strings.Repeat("0", 99999), ""},
	{tcNumeric, "1" + strings.Repeat("0", 131072), ""}, {tcNumeric, "0." + strings.Repeat("0", 20000), ""},
	{tcNumeric, "0." + strings.Repeat("0", 16383), ""}, {tcNumeric, "0e-16384", ""}, {tcNumeric, "-0.00e5", ""},
	{tcNumeric, "1e131072", ""}, {tcNumeric, "0e999999", ""}, {tcNumeric, "1e1000000", ""},
	// formats client libraries send
	{tcTSTZ, "2024-01-05 10:11:12.123456+01", ""}, {tcTSTZ, "2024-01-05T10:11:12.123456+00:00", ""},
	{tcTSTZ, "2024-01-05 10:11:12.123+01:30:00", ""}, {tcTSTZ, "0044-03-15 10:11:12+00 BC", ""},
	{tcTS, "2024-01-05 10:11:12.000", ""}, {tcDate, "2024-01-05 BC", ""}, {tcTime, "10:11:12.123456", ""},
	{tcInterval, "1 day 02:00:00", ""}, {tcInterval, "00:00:01.5", ""}, {tcInterval, "-1 days +02:03:04.5", ""},
	{tcInterval, "3 mons", ""}, {tcUUID, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", ""},
	// arrays
	{tcInt4Arr, "{1,2,NULL}", ""}, {tcInt4Arr, "{}", ""}, {tcInt4Arr, " { 1 , 2 } ", ""},
	{tcInt4Arr, "{1,a}", ""}, {tcInt4Arr, "1,2", ""}, {tcInt4Arr, "{1,2", ""}, {tcInt4Arr, "{1,,2}", ""},
	{tcInt4Arr, "{1,2}x", ""}, {tcInt4Arr, "[1:2]={1,2}", ""}, {tcInt4Arr, `{"1",null}`, ""},
	{tcTextArr, `{a,"b c","",NULL,"NULL","null",x\,y,"q\"t","b\\s",{}}`, ""},
	{tcTextArr, `{a,"b c","",NULL,"NULL","null",x\,y,"q\"t","b\\s"}`, ""}, {tcTextArr, `{ a b , c }`, ""},
	{tcTextArr, `{"a"b}`, ""}, {tcTextArr, `{a"b"}`, ""}, {tcTextArr, `{é,ü}`, ""},
	{tcTSArr, `{"2024-01-05 10:00",infinity}`, ""}, {tcNumArr, "{1.50,NaN,-0}", ""},
	{tcBoolArr, "{t,false,yes}", ""}, {tcDateArr, "{2024-01-05,epoch}", ""},
	{tcJSONBArr, `{"{\"b\":1,\"a\":2}","[1, 2]"}`, ""}, {tcByteaArr, `{"\\x0102",abc}`, ""},
	{tcVc3Arr, "{ab,abcd}", ""}, {tcVc3Arr, "{ab,\"abc  \"}", ""}, {tcFloat8Arr, "{1.5,Infinity,NaN}", ""},
	{tcUUIDArr, "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", ""}, {tcIvArr, `{"1 day","-1 mon"}`, ""},
}

func TestCompatInput(t *testing.T) {
	p := connectPG(t)
	for _, c := range inputCases {
		want := p.query(c.tz, "SELECT "+lit(c.in)+"::"+c.tc.sql)
		env := envFor(t, c.tz)
		// The :: cast is explicit: the modifier truncates.
		v, err := ParseTextEnv(env, T{c.tc.t.Kind, -1}, c.in)
		if err == nil {
			v, err = ApplyMod(v, c.tc.t, true)
		}
		got := ours(v, err, env)
		if !same(got, want) {
			t.Errorf("%s::%s (TimeZone %s):\n got  %s\n want %s", lit(c.in), c.tc.sql, c.tz, got, want)
		}
	}
}

// castCases are explicit casts 'in'::from::to.
var castCases = []struct {
	from typeCase
	in   string
	to   typeCase
	tz   string
}{
	{tcDate, "2024-01-05", tcTS, ""}, {tcDate, "2024-01-05", tcTSTZ, ""}, {tcDate, "2024-01-05", tcTSTZ, "America/New_York"},
	{tcDate, "infinity", tcTS, ""}, {tcDate, "-infinity", tcTSTZ, ""}, {tcDate, "5874897-12-31", tcTS, ""},
	{tcDate, "2024-01-05", tcText, ""}, {tcDate, "0044-03-15 BC", tcText, ""},
	{tcTS, "2024-01-05 10:11:12.5", tcDate, ""}, {tcTS, "2024-01-05 10:11:12.5", tcTime, ""},
	{tcTS, "2024-01-05 10:11:12.5", tcTSTZ, "Asia/Tokyo"}, {tcTS, "0044-03-15 10:00 BC", tcDate, ""},
	{tcTS, "infinity", tcDate, ""}, {tcTS, "infinity", tcTime, ""}, {tcTS, "2024-03-10 02:30", tcTSTZ, "America/New_York"},
	{tcTSTZ, "2024-01-05 23:11:12+00", tcDate, "Asia/Tokyo"}, {tcTSTZ, "2024-01-05 23:11:12+00", tcTime, "Asia/Tokyo"},
	{tcTSTZ, "2024-01-05 23:11:12+00", tcTS, "America/Los_Angeles"}, {tcTSTZ, "2024-01-05 23:11:12+00", tcText, "Asia/Kolkata"},
	{tcTSTZ, "-infinity", tcTS, ""}, {tcTSTZ, "2024-07-05 23:11:12.25+00", tcTSTZ2, ""},
	{tcTime, "10:11:12.5", tcInterval, ""}, {tcInterval, "1 day 25:00:01", tcTime, ""}, {tcInterval, "-01:00", tcTime, ""},
	{tcInterval, "1 year 2 mons", tcText, ""}, {tcText, "1 day", tcInterval, ""}, {tcText, "2024-01-05", tcDate, ""},
	{tcJSON, `{"b":1, "a":2, "a":3}`, tcJSONB, ""}, {tcJSONB, `{"b":1, "a":2}`, tcJSON, ""},
	{tcJSONB, `1.5`, tcNumeric, ""}, {tcJSONB, `1.5`, tcInt4, ""}, {tcJSONB, `2.5`, tcInt8, ""},
	{tcJSONB, `"1"`, tcInt4, ""}, {tcJSONB, `true`, tcBool, ""}, {tcJSONB, `1`, tcBool, ""},
	{tcJSONB, `1e300`, tcFloat4, ""}, {tcNumeric, "1e-300", tcFloat4, ""}, {tcNumeric, "1e-400", tcFloat8, ""},
	{tcNumeric, "1e39", tcFloat4, ""}, {tcJSONB, `[1]`, tcFloat8, ""}, {tcJSONB, `null`, tcInt4, ""},
	{tcJSONB, `{"a":1}`, tcNumeric, ""}, {tcJSONB, `{"a": [1, "x"]}`, tcText, ""},
	{tcChar3, "ab", tcText, ""}, {tcChar3, "ab", tcVarchar, ""}, {tcText, "ab  ", tcChar3, ""},
	{tcText, "abcdef", tcChar3, ""}, {tcChar3, "a", tcChar3, ""},
	{tcInt4Arr, "{1,2,NULL}", tcTextArr, ""}, {tcTextArr, "{1,2,NULL}", tcInt4Arr, ""}, {tcInt4Arr, "{1,2}", tcText, ""},
	{tcTextArr, "{1,x}", tcInt4Arr, ""}, {tcTextArr, "{abcd,ab}", tcVc3Arr, ""}, {tcInt4Arr, "{1,2}", tcNumArr, ""},
	{typeCase{"timestamptz[]", ArrayType(TTimestampTZ)}, "{2024-01-05 10:00+00}", tcText, "Asia/Tokyo"},
	{tcBytea, `\x01ff`, tcText, ""}, {tcUUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", tcText, ""},
	{tcText, "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", tcUUID, ""},
}

func TestCompatCast(t *testing.T) {
	p := connectPG(t)
	for _, c := range castCases {
		want := p.query(c.tz, "SELECT "+lit(c.in)+"::"+c.from.sql+"::"+c.to.sql)
		env := envFor(t, c.tz)
		v, err := ParseTextEnv(env, T{c.from.t.Kind, -1}, c.in)
		if err == nil {
			v, err = ApplyMod(v, c.from.t, true)
		}
		if err != nil {
			t.Errorf("%s::%s: %v", lit(c.in), c.from.sql, err)
			continue
		}
		if !CanCast(c.from.t.Kind, c.to.t.Kind, CastExplicit) {
			t.Errorf("CanCast(%s, %s, explicit) = false", c.from.t, c.to.t)
		}
		out, err := CastEnv(env, v, c.to.t, CastExplicit)
		got := ours(out, err, env)
		if !same(got, want) {
			t.Errorf("%s::%s::%s (TimeZone %s):\n got  %s\n want %s", lit(c.in), c.from.sql, c.to.sql, c.tz, got, want)
		}
	}
}

// TestCompatCastContexts checks CanCast against pg_cast (and the I/O
// conversion rules: anything to a string type by assignment, from one
// explicitly).
func TestCompatCastContexts(t *testing.T) {
	p := connectPG(t)
	kinds := []typeCase{tcDate, tcTime, tcTS, tcTSTZ, tcInterval, tcBytea, tcUUID, tcJSON, tcJSONB, tcText,
		tcBPChar, tcVarchar, tcInt4, tcInt8, tcNumeric, tcFloat8, tcBool, tcInt4Arr, tcTextArr}
	ctxOf := map[string]CastContext{"i": CastImplicit, "a": CastAssignment, "e": CastExplicit}
	for _, a := range kinds {
		for _, b := range kinds {
			if a.t.Kind == b.t.Kind {
				continue
			}
			q := fmt.Sprintf(`SELECT coalesce((SELECT castcontext::text FROM pg_cast WHERE castsource = %s::regtype AND casttarget = %s::regtype),
				CASE WHEN %s::regtype IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype) THEN 'a'
				     WHEN %s::regtype IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype) THEN 'e'
				     WHEN %s::regtype::text LIKE '%%[]' AND %s::regtype::text LIKE '%%[]' THEN 'array' ELSE 'none' END)`,
				lit(a.sql), lit(b.sql), lit(b.sql), lit(a.sql), lit(a.sql), lit(b.sql))
			want := p.text("", q)
			if want == "array" {
				continue // element casts: checked by TestCompatCast
			}
			for _, ctx := range []CastContext{CastImplicit, CastAssignment, CastExplicit} {
				c, ok := ctxOf[want]
				wantOK := ok && ctx >= c
				if got := CanCast(a.t.Kind, b.t.Kind, ctx); got != wantOK {
					t.Errorf("CanCast(%s, %s, %d) = %v; pg_cast says %q", a.sql, b.sql, ctx, got, want)
				}
			}
		}
	}
}

// opCases are binary operators on typed literals.
var opCases = []struct {
	a  typeCase
	av string
	op byte
	b  typeCase
	bv string
	tz string
}{
	{tcDate, "2024-01-31", '+', tcInt4, "1", ""}, {tcInt4, "30", '+', tcDate, "2024-01-31", ""},
	{tcDate, "2024-03-01", '-', tcInt4, "1", ""}, {tcDate, "2024-03-01", '-', tcDate, "2024-01-01", ""},
	{tcDate, "infinity", '-', tcDate, "2024-01-01", ""}, {tcDate, "infinity", '+', tcInt4, "1", ""},
	{tcDate, "5874897-12-31", '+', tcInt4, "1", ""}, {tcDate, "2024-01-31", '+', tcInterval, "1 mon", ""},
	{tcDate, "2024-01-31", '-', tcInterval, "1 mon 1 day 01:00", ""}, {tcInterval, "1 day", '+', tcDate, "2024-02-28", ""},
	{tcDate, "2024-01-05", '+', tcTime, "10:11:12", ""}, {tcTime, "10:11:12", '+', tcDate, "2024-01-05", ""},
	{tcTS, "2024-01-31 10:00", '+', tcInterval, "1 mon", ""}, {tcTS, "2024-03-31 10:00", '-', tcInterval, "1 mon", ""},
	{tcTS, "2023-02-28 10:00", '+', tcInterval, "1 year 1 day 25:00", ""}, {tcTS, "infinity", '+', tcInterval, "1 day", ""},
	{tcTS, "294276-12-31 10:00", '+', tcInterval, "1 day", ""}, {tcTS, "2024-01-05 10:00", '-', tcTS, "2024-01-01 11:30:00.5", ""},
	{tcTS, "2024-01-01", '-', tcTS, "2024-01-05 10:00", ""}, {tcTS, "infinity", '-', tcTS, "2024-01-05 10:00", ""},
	{tcTS, "2024-01-05 10:00", '-', tcDate, "2024-01-01", ""}, {tcDate, "2024-01-05", '-', tcTS, "2024-01-01 12:00", ""},
	{tcTSTZ, "2024-03-09 12:00", '+', tcInterval, "1 day", "America/New_York"},
	{tcTSTZ, "2024-03-09 12:00", '+', tcInterval, "24 hours", "America/New_York"},
	{tcTSTZ, "2024-02-10 02:30", '+', tcInterval, "1 mon", "America/New_York"},
	{tcTSTZ, "2024-03-11 12:00", '-', tcTSTZ, "2024-03-09 12:00", "America/New_York"},
	{tcTSTZ, "2024-01-31 12:00+00", '+', tcInterval, "1 mon", "Asia/Tokyo"},
	{tcInterval, "1 day", '+', tcTSTZ, "2024-03-09 12:00", "America/New_York"},
	{tcTime, "23:00", '+', tcInterval, "2 hours 1 day", ""}, {tcTime, "01:00", '-', tcInterval, "2 hours", ""},
	{tcTime, "01:00", '-', tcTime, "02:30", ""}, {tcInterval, "01:00", '+', tcTime, "23:30", ""},
	{tcInterval, "1 mon 2 days 03:00", '+', tcInterval, "-1 mon 1 day 10:00", ""},
	{tcInterval, "1 mon", '-', tcInterval, "1 day", ""}, {tcInterval, "2147483647 mons", '+', tcInterval, "1 mon", ""},
	{tcInterval, "1 mon", '*', tcFloat8, "1.5", ""}, {tcInterval, "1 day", '*', tcFloat8, "0.3", ""},
	{tcInterval, "1 hour", '/', tcFloat8, "7", ""}, {tcInterval, "1 mon", '/', tcFloat8, "7", ""},
	{tcInterval, "1 mon 3 days 10:00", '*', tcFloat8, "-2.25", ""}, {tcInterval, "1 day", '/', tcFloat8, "0", ""},
	{tcFloat8, "3", '*', tcInterval, "1 year 1 mon 1 day 00:00:01.5", ""}, {tcInterval, "1 mon", '*', tcFloat8, "1e10", ""},
	{tcInterval, "1 mon 1 day", '*', tcInt4, "3", ""}, {tcInterval, "1 mon 1 day", '*', tcNumeric, "0.5", ""},
	{tcInterval, "1 mon 1 day", '/', tcNumeric, "3", ""}, {tcInterval, "29 days 23:59:59.999999", '*', tcFloat8, "1.0000001", ""},
}

func TestCompatOperators(t *testing.T) {
	p := connectPG(t)
	for _, c := range opCases {
		q := fmt.Sprintf("SELECT %s::%s %c %s::%s", lit(c.av), c.a.sql, c.op, lit(c.bv), c.b.sql)
		want := p.query(c.tz, q)
		env := envFor(t, c.tz)
		a, err1 := ParseTextEnv(env, c.a.t, c.av)
		b, err2 := ParseTextEnv(env, c.b.t, c.bv)
		if err1 != nil || err2 != nil {
			t.Errorf("%s: parse: %v %v", q, err1, err2)
			continue
		}
		if _, ok := OperatorResult(c.op, a.Kind(), b.Kind()); !ok {
			t.Errorf("%s: OperatorResult says no operator", q)
			continue
		}
		v, err := EvalOperator(env, c.op, a, b)
		got := ours(v, err, env)
		if !same(got, want) {
			t.Errorf("%s (TimeZone %s):\n got  %s\n want %s", q, c.tz, got, want)
		}
	}
}

// orderCases are values whose pairwise order (and equality) must match
// PostgreSQL's btree operators, and whose keys must sort the same way.
var orderCases = []struct {
	tc   typeCase
	vals []string
}{
	{tcDate, []string{"2024-01-05", "-infinity", "infinity", "0044-03-15 BC", "1999-12-31", "2000-01-01", "2024-01-05"}},
	{tcTime, []string{"10:00", "00:00", "24:00", "23:59:59.999999", "10:00:00.000001"}},
	{tcTS, []string{"2024-01-05 10:00", "-infinity", "infinity", "1900-01-01", "2024-01-05 10:00:00.000001", "0044-03-15 BC"}},
	{tcTSTZ, []string{"2024-01-05 10:00+00", "2024-01-05 11:00+01", "2024-01-05 10:00:01+00", "infinity", "1969-12-31 23:59:59+00"}},
	{tcInterval, []string{"1 mon", "30 days", "720 hours", "1 day", "24:00", "-1 day", "1 year", "11 mons 30 days 00:00:01",
		"-178000000 years", "178000000 years", "0", "00:00:00.000001", "-00:00:00.000001"}},
	{tcBytea, []string{`\x`, `\x00`, `\x0000`, `\x01`, `\xff`, `\x00ff`, `\xff00`}},
	{tcUUID, []string{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "00000000-0000-0000-0000-000000000000",
		"ffffffff-ffff-ffff-ffff-ffffffffffff", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12"}},
	{tcJSONB, []string{`null`, `"a"`, `"b"`, `""`, `1`, `1.0`, `-1`, `true`, `false`, `[]`, `[1]`, `[1,2]`, `[2]`,
		`{}`, `{"a":1}`, `{"b":1}`, `{"aa":1}`, `{"a":2}`, `{"a":1,"b":2}`, `[null]`, `[[]]`, `{"a":[]}`, `{"a":{}}`,
		`["a"]`, `[true]`, `[{}]`, `1e2`, `100`, `"ab"`, `{"b":1,"aa":1}`, `[1,"a"]`, `[1,2,3]`}},
	{tcChar3, []string{"a", "a  ", "ab", "b", "", " a", "a\t"}},
	{tcInt4Arr, []string{"{}", "{1}", "{1,2}", "{2}", "{NULL}", "{1,NULL}", "{NULL,1}", "{1,2,3}", "{-1}", "{0}"}},
	{tcTextArr, []string{"{}", "{a}", "{a,b}", "{\"\"}", "{b}", "{NULL}", "{ab}"}},
	{tcNumArr, []string{"{1.0}", "{1}", "{1.5,2}", "{NaN}", "{-1}"}},
	{tcFloat8Arr, []string{"{1}", "{-0}", "{0}", "{NaN}", "{-Infinity}", "{Infinity}"}},
}

func TestCompatOrder(t *testing.T) {
	p := connectPG(t)
	for _, c := range orderCases {
		vals := make([]Value, len(c.vals))
		for i, s := range c.vals {
			v, err := ParseText(c.tc.t, s)
			if err != nil {
				t.Fatalf("%s %q: %v", c.tc.sql, s, err)
			}
			vals[i] = v
		}
		for i := range c.vals {
			for j := range c.vals {
				a, b := lit(c.vals[i]), lit(c.vals[j])
				q := fmt.Sprintf("SELECT CASE WHEN %s::%s < %s::%s THEN -1 WHEN %s::%s = %s::%s THEN 0 ELSE 1 END",
					a, c.tc.sql, b, c.tc.sql, a, c.tc.sql, b, c.tc.sql)
				want := p.text("", q)
				got := Compare(vals[i], vals[j])
				if fmt.Sprint(got) != want {
					t.Errorf("%s: compare %s, %s = %d, PostgreSQL says %s", c.tc.sql, a, b, got, want)
				}
				ka := tuple.Tuple{KeyElem(vals[i])}.Pack()
				kb := tuple.Tuple{KeyElem(vals[j])}.Pack()
				if kc := bytes.Compare(ka, kb); kc != got {
					t.Errorf("%s: keys of %s, %s compare %d, values %d", c.tc.sql, a, b, kc, got)
				}
			}
		}
	}
}

// binaryCases are values whose binary send form must match PostgreSQL's,
// and whose binary form PostgreSQL must read back to the same text.
var binaryCases = []struct {
	tc typeCase
	in string
}{
	{tcBool, "t"}, {tcBool, "f"}, {tcInt2, "-32768"}, {tcInt4, "123456"}, {tcInt8, "-9223372036854775808"},
	{tcFloat4, "1.5"}, {tcFloat8, "-0.1"}, {tcFloat8, "NaN"}, {tcNumeric, "0"}, {tcNumeric, "0.00"},
	{tcNumeric, "-12.3400"}, {tcNumeric, "123456789.000000001"}, {tcNumeric, "1e20"}, {tcNumeric, "0.0001"},
	{tcNumeric, "NaN"}, {tcNumeric, "-Infinity"}, {tcNumeric, "10000"}, {tcNumeric, "99999999.99999999"},
	{tcText, "héllo"}, {tcVarchar, ""}, {tcBPChar, "ab  "},
	{tcDate, "2024-01-05"}, {tcDate, "1999-12-31"}, {tcDate, "infinity"}, {tcDate, "0044-03-15 BC"},
	{tcTime, "10:11:12.5"}, {tcTime, "24:00"}, {tcTS, "2024-01-05 10:11:12.123456"}, {tcTS, "-infinity"},
	{tcTS, "1900-01-01"}, {tcTSTZ, "2024-01-05 10:11:12+05:30"}, {tcInterval, "1 year 2 mons -3 days 04:05:06.5"},
	{tcInterval, "-00:00:01"}, {tcBytea, `\x00ff10`}, {tcBytea, `\x`}, {tcUUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
	{tcJSON, ` {"b": 1, "a":2} `}, {tcJSONB, `{"b": 1, "a":[2, "x"]}`},
	{tcInt4Arr, "{1,2,NULL}"}, {tcInt4Arr, "{}"}, {tcTextArr, `{a,"b c",NULL,""}`}, {tcNumArr, "{1.50,-2}"},
	{tcTSArr, "{2024-01-05,infinity}"}, {tcBoolArr, "{t,f}"}, {tcJSONBArr, `{"{\"a\":1}"}`}, {tcUUIDArr, "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"},
	{tcIvArr, `{"1 day",NULL}`}, {tcByteaArr, `{"\\x01"}`}, {tcFloat8Arr, "{1.5,-Infinity}"},
}

func TestCompatBinary(t *testing.T) {
	p := connectPG(t)
	ctx := context.Background()
	for _, c := range binaryCases {
		v, err := ParseText(c.tc.t, c.in)
		if err != nil {
			t.Fatalf("%s %q: %v", c.tc.sql, c.in, err)
		}
		mine, err := AppendBinary(nil, v)
		if err != nil {
			t.Errorf("%s %q: AppendBinary: %v", c.tc.sql, c.in, err)
			continue
		}
		// PostgreSQL's send.
		res := p.c.ExecParams(ctx, "SELECT "+lit(c.in)+"::"+c.tc.sql, nil, nil, nil, []int16{1}).Read()
		if res.Err != nil {
			t.Fatalf("%s: %v", c.in, res.Err)
		}
		if theirs := res.Rows[0][0]; !bytes.Equal(mine, theirs) {
			t.Errorf("%s %q: binary\n got  %x\n want %x", c.tc.sql, c.in, mine, theirs)
		}
		if oid := res.FieldDescriptions[0].DataTypeOID; oid != c.tc.t.OID() {
			t.Errorf("%s: OID %d, PostgreSQL says %d", c.tc.sql, c.tc.t.OID(), oid)
		}
		// PostgreSQL's receive of ours.
		res = p.c.ExecParams(ctx, "SELECT $1::text", [][]byte{mine}, []uint32{c.tc.t.OID()}, []int16{1}, []int16{0}).Read()
		if res.Err != nil {
			t.Errorf("%s %q: PostgreSQL refuses our binary form: %v", c.tc.sql, c.in, res.Err)
			continue
		}
		// Ours: the round trip, and the store round trip.
		back, err := FromBinary(c.tc.t.OID(), mine)
		if err != nil {
			t.Errorf("%s %q: FromBinary: %v", c.tc.sql, c.in, err)
			continue
		}
		if back.String() != v.String() || Compare(back, v) != 0 {
			t.Errorf("%s %q: binary round trip gives %s", c.tc.sql, c.in, back)
		}
		stored, err := FromStore(c.tc.t, StoreElem(v))
		if err != nil || stored.String() != v.String() {
			t.Errorf("%s %q: store round trip gives %s, %v", c.tc.sql, c.in, stored, err)
		}
	}
}

func TestCompatExtractTrunc(t *testing.T) {
	p := connectPG(t)
	units := []string{"microseconds", "milliseconds", "second", "minute", "hour", "day", "week", "month", "quarter",
		"year", "decade", "century", "millennium", "dow", "isodow", "doy", "epoch", "julian", "isoyear",
		"timezone", "timezone_hour", "timezone_minute", "foo", "Hours", "mon"}
	values := []struct {
		tc typeCase
		in string
		tz string
	}{
		{tcTS, "2024-01-05 10:11:12.5", ""}, {tcTS, "2024-12-30 00:00", ""}, {tcTS, "2021-01-03 23:59:59.999999", ""},
		{tcTS, "0044-03-15 10:00 BC", ""}, {tcTS, "2000-03-15 00:00", ""}, {tcTS, "infinity", ""}, {tcTS, "-infinity", ""},
		{tcTS, "1969-07-20 20:17:40", ""}, {tcTSTZ, "2024-07-05 10:11:12.5+00", "America/New_York"},
		{tcTSTZ, "2024-03-10 12:00+00", "America/New_York"}, {tcTSTZ, "2024-01-05 10:11:12+00", "Asia/Kolkata"},
		{tcDate, "2024-01-05", ""}, {tcDate, "0001-01-01 BC", ""}, {tcDate, "infinity", ""},
		{tcTime, "10:11:12.5", ""}, {tcTime, "24:00", ""},
		{tcInterval, "1 year 2 mons 3 days 04:05:06.789", ""}, {tcInterval, "-1 year -2 mons -3 days -04:05:06.789", ""},
		{tcInterval, "2345 years 11 mons", ""}, {tcInterval, "100 hours", ""},
	}
	for _, val := range values {
		env := envFor(t, val.tz)
		v, err := ParseTextEnv(env, val.tc.t, val.in)
		if err != nil {
			t.Fatalf("%s %q: %v", val.tc.sql, val.in, err)
		}
		for _, u := range units {
			q := fmt.Sprintf("SELECT extract(%s FROM %s::%s)", u, lit(val.in), val.tc.sql)
			if u == "foo" || u == "Hours" || u == "mon" {
				q = fmt.Sprintf("SELECT extract(%s FROM %s::%s)", `"`+u+`"`, lit(val.in), val.tc.sql)
			}
			want := p.query(val.tz, q)
			r, err := Extract(env, u, v)
			if got := ours(r, err, env); !same(got, want) {
				t.Errorf("%s (TimeZone %s):\n got  %s\n want %s", q, val.tz, got, want)
			}
			if val.tc.t.Kind == Date || val.tc.t.Kind == Time {
				continue // date_trunc has no date or time variant
			}
			q = fmt.Sprintf("SELECT date_trunc(%s, %s::%s)", lit(u), lit(val.in), val.tc.sql)
			want = p.query(val.tz, q)
			r, err = DateTrunc(env, u, v)
			if got := ours(r, err, env); !same(got, want) {
				t.Errorf("%s (TimeZone %s):\n got  %s\n want %s", q, val.tz, got, want)
			}
		}
	}
}

func TestCompatAge(t *testing.T) {
	p := connectPG(t)
	pairs := []struct {
		tc   typeCase
		a, b string
		tz   string
	}{
		{tcTS, "2024-03-31", "2024-02-29 10:00", ""}, {tcTS, "2024-02-29 10:00", "2024-03-31", ""},
		{tcTS, "2024-01-05 10:11:12.5", "1990-06-15 23:00", ""}, {tcTS, "1990-06-15 23:00", "2024-01-05 10:11:12.5", ""},
		{tcTS, "2024-03-01", "2024-01-31", ""}, {tcTS, "2023-03-01", "2023-01-31", ""}, {tcTS, "2024-01-01", "2024-01-01", ""},
		{tcTSTZ, "2024-03-10 12:00+00", "2024-03-09 12:00+00", "America/New_York"},
		{tcTS, "infinity", "2024-01-01", ""},
	}
	for _, c := range pairs {
		q := fmt.Sprintf("SELECT age(%s::%s, %s::%s)", lit(c.a), c.tc.sql, lit(c.b), c.tc.sql)
		want := p.query(c.tz, q)
		env := envFor(t, c.tz)
		a, err1 := ParseTextEnv(env, c.tc.t, c.a)
		b, err2 := ParseTextEnv(env, c.tc.t, c.b)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", q, err1, err2)
		}
		r, err := Age(env, a, b)
		if got := ours(r, err, env); !same(got, want) {
			t.Errorf("%s (TimeZone %s):\n got  %s\n want %s", q, c.tz, got, want)
		}
	}
}

func TestCompatTypeInfo(t *testing.T) {
	p := connectPG(t)
	all := []typeCase{tcDate, tcTime, tcTS, tcTSTZ, tcInterval, tcBytea, tcUUID, tcJSON, tcJSONB, tcText, tcInt4,
		tcInt8, tcInt2, tcFloat8, tcFloat4, tcNumeric, tcBool, tcVarchar, tcBPChar, tcChar3, tcVarchar3, tcTS0, tcTSTZ2,
		tcTime3, tcInt4Arr, tcTextArr, tcTSArr, tcNumArr, tcBoolArr, tcDateArr, tcJSONBArr, tcByteaArr, tcVc3Arr,
		tcFloat8Arr, tcUUIDArr, tcIvArr, {"numeric(10,2)[]", ArrayType(T{Numeric, NumericMod(10, 2)})}}
	for _, c := range all {
		q := fmt.Sprintf("SELECT t.oid || ' ' || t.typname || ' ' || t.typlen || ' ' || format_type(t.oid, %d) FROM pg_type t WHERE t.oid = %s::regtype",
			c.t.Mod, lit(c.sql))
		want := p.text("", q)
		got := fmt.Sprintf("%d %s %d %s", c.t.OID(), c.t.TypName(), c.t.Size(), c.t.String())
		if got != want {
			t.Errorf("%s: got %q, want %q", c.sql, got, want)
		}
		if back, ok := FromOID(c.t.OID()); !ok || back.Kind != c.t.Kind {
			t.Errorf("FromOID(%d) = %v, %v", c.t.OID(), back, ok)
		}
	}
}

// TestCompatAssignment checks the modifier rules of an assignment (a
// value stored into a column): ParseText against INSERT.
func TestCompatAssignment(t *testing.T) {
	p := connectPG(t)
	cases := []struct {
		tc typeCase
		in string
	}{
		{tcChar3, "ab"}, {tcChar3, "abcd"}, {tcChar3, "abc  "}, {tcVarchar3, "abcd"}, {tcVc3Arr, "{ab,abcd}"},
		{tcVc3Arr, "{\"ab   \"}"}, {tcTS0, "2024-01-05 10:11:12.5"}, {tcTSTZ2, "2024-01-05 10:11:12.125+00"},
		{tcTime3, "10:11:12.0005"}, {typeCase{"numeric(3,1)", T{Numeric, NumericMod(3, 1)}}, "12.25"},
		{typeCase{"char", T{BPChar, BPCharMod(1)}}, "xy"},
	}
	for i, c := range cases {
		table := fmt.Sprintf("assign_%d", i)
		q := fmt.Sprintf("CREATE TEMP TABLE %s (c %s); INSERT INTO %s VALUES (%s); SELECT c::text FROM %s",
			table, c.tc.sql, table, lit(c.in), table)
		want := p.query("", q)
		v, err := ParseText(c.tc.t, c.in)
		if err == nil && !v.IsNull() {
			v, err = CastEnv(nil, v, TText, CastAssignment)
		}
		if got := ours(v, err, nil); !same(got, want) {
			t.Errorf("INSERT %s into %s:\n got  %s\n want %s", lit(c.in), c.tc.sql, got, want)
		}
	}
}

// TestCompatNow checks 'now', 'today', 'tomorrow' and 'yesterday' against
// the statement time PostgreSQL uses (the transaction start).
func TestCompatNow(t *testing.T) {
	p := connectPG(t)
	ctx := context.Background()
	for _, tz := range []string{"UTC", "Pacific/Kiritimati", "America/Anchorage"} {
		env := envFor(t, tz)
		if _, err := p.c.Exec(ctx, "SET TimeZone TO '"+tz+"'").ReadAll(); err != nil {
			t.Fatal(err)
		}
		inputs := []struct {
			tc typeCase
			in string
		}{
			{tcTSTZ, "now"}, {tcTS, "now"}, {tcDate, "now"}, {tcTime, "now"}, {tcTSTZ, "today"}, {tcTS, "tomorrow"},
			{tcDate, "yesterday"}, {tcTSTZ, "yesterday"}, {tcDate, "today"}, {tcTSTZ, "tomorrow 10:00"},
		}
		var sel []string
		for _, in := range inputs {
			sel = append(sel, lit(in.in)+"::"+in.tc.sql+"::text")
		}
		res, err := p.c.Exec(ctx, "BEGIN; SELECT (extract(epoch FROM now()) * 1000000)::int8::text, "+strings.Join(sel, ", ")+"; COMMIT").ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		row := res[1].Rows[0]
		var us int64
		fmt.Sscan(string(row[0]), &us)
		env.Now = time.UnixMicro(us)
		for i, in := range inputs {
			v, err := ParseTextEnv(env, in.tc.t, in.in)
			got := ours(v, err, env)
			if want := string(row[i+1]); got.text != want {
				t.Errorf("%s::%s (TimeZone %s): got %s, want %s", lit(in.in), in.tc.sql, tz, got, want)
			}
		}
		if got, want := string(NowValue(env, TimestampTZ).AppendTextEnv(nil, env)), string(row[1]); got != want {
			t.Errorf("NowValue: got %s, want %s", got, want)
		}
	}
}

func TestCompatToChar(t *testing.T) {
	p := connectPG(t)
	formats := []string{
		"YYYY-MM-DD HH24:MI:SS", "YYYY-MM-DD HH12:MI:SS AM", "Day, DD Month YYYY", "FMDay, FMDD FMMonth YYYY",
		"Dy Mon dd yyyy hh:mi:ss.ms.us pm", "DDD IDDD D ID WW IW W Q CC J", "IYYY IYY IY I YYY YY Y Y,YYY",
		"SSSS SSSSS FF1 FF2 FF3 FF4 FF5 FF6", "DDth DDTH FMDDth Mth MMth", "MONTH month DAY day DY dy MON mon",
		"\"Year\" YYYY \"is \\\"q\\\"\"", "RM rm FMRM", "TZ tz OF TZH:TZM", "BC AD b.c. a.d. A.M. p.m.",
		"HH HH12 hh24", "FMHH12:FMMI", "text with no pattern letters: 123 %$#", "YYYYMMDD", "FXYYYY",
	}
	values := []struct {
		tc typeCase
		in string
		tz string
	}{
		{tcTS, "2024-01-05 10:11:12.123456", ""}, {tcTS, "2024-12-31 00:00:00", ""}, {tcTS, "2021-01-03 23:59:59.5", ""},
		{tcTS, "0044-03-15 13:00 BC", ""}, {tcTS, "12345-06-07 08:09:10", ""}, {tcTS, "infinity", ""},
		{tcTSTZ, "2024-07-05 10:11:12+00", "America/New_York"}, {tcTSTZ, "2024-01-05 10:11:12+00", "Asia/Kolkata"},
		{tcTSTZ, "2024-01-05 10:11:12+00", "UTC"}, {tcTSTZ, "2024-01-05 10:11:12+00", "Asia/Kathmandu"},
		{tcInterval, "1 year 2 mons 3 days 04:05:06.789", ""}, {tcInterval, "25:00", ""},
	}
	for _, val := range values {
		env := envFor(t, val.tz)
		v, err := ParseTextEnv(env, val.tc.t, val.in)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range formats {
			q := fmt.Sprintf("SELECT to_char(%s::%s, %s)", lit(val.in), val.tc.sql, lit(f))
			want := p.query(val.tz, q)
			r, err := ToChar(env, v, f)
			if got := ours(r, err, env); !same(got, want) {
				t.Errorf("%s (TimeZone %s):\n got  %s\n want %s", q, val.tz, got, want)
			}
		}
	}
}

func TestCompatToCharInterval(t *testing.T) {
	p := connectPG(t)
	pats := []string{"YYYY YYY YY Y MM DD HH HH12 HH24 MI SS MS US CC IYYY IYY IY I SSSS Y,YYY AM", "DDD IDDD WW IW W Q J RM",
		"FMYYYY FMMM FMDD FMHH24 FMMI", "DDth HH24TH"}
	for _, in := range []string{"1 year 2 mons 3 days 04:05:06.789", "25:00", "-1 year -2 mons -3 days -04:05:06.5",
		"-25 years", "0", "12345 years 11 mons 29 days 99:59:59.999999", "-3 mons"} {
		v, err := ParseText(TInterval, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range pats {
			q := fmt.Sprintf("SELECT to_char(%s::interval, %s)", lit(in), lit(f))
			want := p.query("", q)
			r, err := ToChar(nil, v, f)
			if got := ours(r, err, nil); !same(got, want) {
				t.Errorf("%s:\n got  %s\n want %s", q, got, want)
			}
		}
	}
}

func TestCompatJSONOps(t *testing.T) {
	p := connectPG(t)
	jb := func(s string) Value {
		v, err := ParseText(TJSONB, s)
		if err != nil {
			t.Fatalf("jsonb %q: %v", s, err)
		}
		return v
	}
	js := func(s string) Value {
		v, err := ParseText(TJSON, s)
		if err != nil {
			t.Fatalf("json %q: %v", s, err)
		}
		return v
	}
	arr := func(s string) Value {
		v, err := ParseText(ArrayType(TText), s)
		if err != nil {
			t.Fatalf("text[] %q: %v", s, err)
		}
		return v
	}
	boolv := func(b bool, err error) (Value, error) { return NewBool(b), err }
	textv := func(s string, err error) (Value, error) { return NewText(s), err }
	intv := func(i int64, err error) (Value, error) { return NewInt(Int4, i), err }
	ts, _ := ParseText(TTimestampTZ, "2024-01-05 10:00:00.5+00")
	tsw, _ := ParseText(TTimestamp, "2024-01-05 10:00:00")
	nums, _ := ParseText(ArrayType(TNumeric), "{1.50,NULL,NaN}")
	env := envFor(t, "Asia/Kolkata")
	cases := []struct {
		sql string
		fn  func() (Value, error)
	}{
		{`'{"a":1,"a":2}'::json -> 'a'`, func() (Value, error) { return JSONField(js(`{"a":1,"a":2}`), "a", false) }},
		{`'{"a": [1,  2 ]}'::json -> 'a'`, func() (Value, error) { return JSONField(js(`{"a": [1,  2 ]}`), "a", false) }},
		{`'{"a": [1,  2 ]}'::jsonb -> 'a'`, func() (Value, error) { return JSONField(jb(`{"a": [1,  2 ]}`), "a", false) }},
		{`'[1,2,3]'::json -> -1`, func() (Value, error) { return JSONIndex(js(`[1,2,3]`), -1, false) }},
		{`'[1,2,3]'::jsonb -> 5`, func() (Value, error) { return JSONIndex(jb(`[1,2,3]`), 5, false) }},
		{`'{"a":"x\"y"}'::json ->> 'a'`, func() (Value, error) { return JSONField(js(`{"a":"x\"y"}`), "a", true) }},
		{`'{"a":null}'::jsonb ->> 'a'`, func() (Value, error) { return JSONField(jb(`{"a":null}`), "a", true) }},
		{`'{"a":{"b":[1,"z"]}}'::jsonb ->> 'a'`, func() (Value, error) { return JSONField(jb(`{"a":{"b":[1,"z"]}}`), "a", true) }},
		{`'{"a":{"b":[1,"z"]}}'::json ->> 'a'`, func() (Value, error) { return JSONField(js(`{"a":{"b":[1,"z"]}}`), "a", true) }},
		{`'{"a":{"b":[1,"z"]}}'::jsonb #> '{a,b,1}'`, func() (Value, error) { return JSONPath(jb(`{"a":{"b":[1,"z"]}}`), arr("{a,b,1}"), false) }},
		{`'{"a":{"b":[1,"z"]}}'::jsonb #>> '{a,b,1}'`, func() (Value, error) { return JSONPath(jb(`{"a":{"b":[1,"z"]}}`), arr("{a,b,1}"), true) }},
		{`'{"a":{"b":[1,"z"]}}'::json #> '{a,b}'`, func() (Value, error) { return JSONPath(js(`{"a":{"b":[1,"z"]}}`), arr("{a,b}"), false) }},
		{`'{"a":{"b":[1,"z"]}}'::jsonb #> '{a,x}'`, func() (Value, error) { return JSONPath(jb(`{"a":{"b":[1,"z"]}}`), arr("{a,x}"), false) }},
		{`'{"a":1}'::jsonb #> '{}'`, func() (Value, error) { return JSONPath(jb(`{"a":1}`), arr("{}"), false) }},
		{`'"x"'::jsonb ->> 0`, func() (Value, error) { return JSONIndex(jb(`"x"`), 0, true) }},
		{`'[1]'::jsonb -> 'a'`, func() (Value, error) { return JSONField(jb(`[1]`), "a", false) }},
		{`'{"a":[1,2]}'::jsonb @> '{"a":[2]}'`, func() (Value, error) { return boolv(JSONBContains(jb(`{"a":[1,2]}`), jb(`{"a":[2]}`))) }},
		{`'[1,[2]]'::jsonb @> '[[2]]'`, func() (Value, error) { return boolv(JSONBContains(jb(`[1,[2]]`), jb(`[[2]]`))) }},
		{`'[1,[2]]'::jsonb @> '[2]'`, func() (Value, error) { return boolv(JSONBContains(jb(`[1,[2]]`), jb(`[2]`))) }},
		{`'[1,2]'::jsonb @> '1'`, func() (Value, error) { return boolv(JSONBContains(jb(`[1,2]`), jb(`1`))) }},
		{`'1'::jsonb @> '[1]'`, func() (Value, error) { return boolv(JSONBContains(jb(`1`), jb(`[1]`))) }},
		{`'{"a":1,"b":{"c":[1,2,{"d":3}]}}'::jsonb @> '{"b":{"c":[{"d":3}]}}'`, func() (Value, error) {
			return boolv(JSONBContains(jb(`{"a":1,"b":{"c":[1,2,{"d":3}]}}`), jb(`{"b":{"c":[{"d":3}]}}`)))
		}},
		{`'{"a":1.0}'::jsonb @> '{"a":1}'`, func() (Value, error) { return boolv(JSONBContains(jb(`{"a":1.0}`), jb(`{"a":1}`))) }},
		{`'{"a":1}'::jsonb ? 'a'`, func() (Value, error) { return boolv(JSONBExists(jb(`{"a":1}`), []string{"a"}, '?')) }},
		{`'["a"]'::jsonb ? 'a'`, func() (Value, error) { return boolv(JSONBExists(jb(`["a"]`), []string{"a"}, '?')) }},
		{`'"a"'::jsonb ? 'a'`, func() (Value, error) { return boolv(JSONBExists(jb(`"a"`), []string{"a"}, '?')) }},
		{`'{"a":1}'::jsonb ?| '{b,a}'`, func() (Value, error) { return boolv(JSONBExists(jb(`{"a":1}`), []string{"b", "a"}, '|')) }},
		{`'{"a":1}'::jsonb ?& '{b,a}'`, func() (Value, error) { return boolv(JSONBExists(jb(`{"a":1}`), []string{"b", "a"}, '&')) }},
		{`'{"a":1}'::jsonb || '{"b":2,"a":3}'`, func() (Value, error) { return JSONBConcat(jb(`{"a":1}`), jb(`{"b":2,"a":3}`)) }},
		{`'[1]'::jsonb || '2'`, func() (Value, error) { return JSONBConcat(jb(`[1]`), jb(`2`)) }},
		{`'{"a":1}'::jsonb || '[2]'`, func() (Value, error) { return JSONBConcat(jb(`{"a":1}`), jb(`[2]`)) }},
		{`'1'::jsonb || '2'`, func() (Value, error) { return JSONBConcat(jb(`1`), jb(`2`)) }},
		{`'{"a":1,"b":2}'::jsonb - 'a'`, func() (Value, error) { return JSONBDeleteKey(jb(`{"a":1,"b":2}`), "a") }},
		{`'["a","b"]'::jsonb - 'a'`, func() (Value, error) { return JSONBDeleteKey(jb(`["a","b"]`), "a") }},
		{`'1'::jsonb - 'a'`, func() (Value, error) { return JSONBDeleteKey(jb(`1`), "a") }},
		{`'[1,2,3]'::jsonb - -1`, func() (Value, error) { return JSONBDeleteIndex(jb(`[1,2,3]`), -1) }},
		{`'{"a":1}'::jsonb - 0`, func() (Value, error) { return JSONBDeleteIndex(jb(`{"a":1}`), 0) }},
		{`jsonb_typeof('[1]')`, func() (Value, error) { return textv(JSONBTypeof(jb(`[1]`))) }},
		{`json_typeof('1.5')`, func() (Value, error) { return textv(JSONBTypeof(js(`1.5`))) }},
		{`jsonb_array_length('[1,2,[3]]')`, func() (Value, error) { return intv(JSONBArrayLength(jb(`[1,2,[3]]`))) }},
		{`jsonb_array_length('{}')`, func() (Value, error) { return intv(JSONBArrayLength(jb(`{}`))) }},
		{`jsonb_array_length('1')`, func() (Value, error) { return intv(JSONBArrayLength(jb(`1`))) }},
		{`to_jsonb('2024-01-05 10:00:00.5+00'::timestamptz)`, func() (Value, error) { return ToJSONB(env, ts) }},
		{`to_jsonb('2024-01-05 10:00:00'::timestamp)`, func() (Value, error) { return ToJSONB(env, tsw) }},
		{`to_jsonb('{1.50,NULL,NaN}'::numeric[])`, func() (Value, error) { return ToJSONB(env, nums) }},
		{`to_json('{1.50,NULL,NaN}'::numeric[])`, func() (Value, error) { return ToJSON(env, nums) }},
		{`to_jsonb('a"b'::text)`, func() (Value, error) { return ToJSONB(env, NewText(`a"b`)) }},
		{`to_jsonb('Infinity'::float8)`, func() (Value, error) { return ToJSONB(env, NewFloat(Float8, math.Inf(1))) }},
		{`to_jsonb(1e100::float8)`, func() (Value, error) { return ToJSONB(env, NewFloat(Float8, 1e100)) }},
		{`to_jsonb(0.1::float4)`, func() (Value, error) { return ToJSONB(env, NewFloat(Float4, 0.1)) }},
		{`to_json('ab'::char(3))`, func() (Value, error) { return ToJSON(env, NewBPChar("ab ")) }},
		{`jsonb_build_object('b',1,'a','x','c',NULL)`, func() (Value, error) {
			return JSONBBuildObject(env, []Value{NewText("b"), NewInt(Int4, 1), NewText("a"), NewText("x"), NewText("c"), Null})
		}},
		{`json_build_object('b',1,'a','x')`, func() (Value, error) {
			return JSONBuildObject(env, []Value{NewText("b"), NewInt(Int4, 1), NewText("a"), NewText("x")})
		}},
		{`jsonb_build_object(1, true)`, func() (Value, error) { return JSONBBuildObject(env, []Value{NewInt(Int4, 1), NewBool(true)}) }},
		{`jsonb_build_object('a')`, func() (Value, error) { return JSONBBuildObject(env, []Value{NewText("a")}) }},
		{`jsonb_build_object(NULL::text, 1)`, func() (Value, error) { return JSONBBuildObject(env, []Value{Null, NewInt(Int4, 1)}) }},
		{`jsonb_build_array(1,'a',NULL,'{"x":1}'::jsonb)`, func() (Value, error) {
			return JSONBBuildArray(env, []Value{NewInt(Int4, 1), NewText("a"), Null, jb(`{"x":1}`)})
		}},
		{`json_build_array(1,'a',NULL,'{"x":1}'::json)`, func() (Value, error) {
			return JSONBuildArray(env, []Value{NewInt(Int4, 1), NewText("a"), Null, js(`{"x":1}`)})
		}},
		{`jsonb_set('{"a":{"b":1}}', '{a,b}', '2')`, func() (Value, error) { return JSONBSet(jb(`{"a":{"b":1}}`), arr("{a,b}"), jb("2"), true) }},
		{`jsonb_set('{"a":{"b":1}}', '{a,c}', '2')`, func() (Value, error) { return JSONBSet(jb(`{"a":{"b":1}}`), arr("{a,c}"), jb("2"), true) }},
		{`jsonb_set('{"a":{"b":1}}', '{a,c}', '2', false)`, func() (Value, error) { return JSONBSet(jb(`{"a":{"b":1}}`), arr("{a,c}"), jb("2"), false) }},
		{`jsonb_set('[1,2]', '{-1}', '3')`, func() (Value, error) { return JSONBSet(jb(`[1,2]`), arr("{-1}"), jb("3"), true) }},
		{`jsonb_set('[1,2]', '{5}', '3')`, func() (Value, error) { return JSONBSet(jb(`[1,2]`), arr("{5}"), jb("3"), true) }},
		{`jsonb_set('[1,2]', '{-5}', '3')`, func() (Value, error) { return JSONBSet(jb(`[1,2]`), arr("{-5}"), jb("3"), true) }},
		{`jsonb_set('[1,2]', '{x}', '3')`, func() (Value, error) { return JSONBSet(jb(`[1,2]`), arr("{x}"), jb("3"), true) }},
		{`jsonb_set('1', '{x}', '3')`, func() (Value, error) { return JSONBSet(jb(`1`), arr("{x}"), jb("3"), true) }},
	}
	for _, c := range cases {
		want := p.query("Asia/Kolkata", "SELECT "+c.sql)
		v, err := c.fn()
		if got := ours(v, err, env); !same(got, want) {
			t.Errorf("%s:\n got  %s\n want %s", c.sql, got, want)
		}
	}
	// Set-returning functions: compare the rows joined.
	srf := []struct {
		sql string
		fn  func() ([]string, error)
	}{
		{`SELECT string_agg(coalesce(x::text, 'NULL'), '|') FROM jsonb_array_elements('[1,"a",null,{"b":2}]') x`, func() ([]string, error) {
			vs, err := JSONBArrayElements(jb(`[1,"a",null,{"b":2}]`), false)
			return texts(vs), err
		}},
		{`SELECT string_agg(coalesce(x, 'NULL'), '|') FROM jsonb_array_elements_text('[1,"a",null,{"b":2}]') x`, func() ([]string, error) {
			vs, err := JSONBArrayElements(jb(`[1,"a",null,{"b":2}]`), true)
			return texts(vs), err
		}},
		{`SELECT string_agg(key || '=' || value::text, '|') FROM jsonb_each('{"b":1,"a":[2],"aa":"x"}')`, func() ([]string, error) {
			ks, vs, err := JSONBEach(jb(`{"b":1,"a":[2],"aa":"x"}`), false)
			var out []string
			for i := range ks {
				out = append(out, ks[i]+"="+vs[i].String())
			}
			return out, err
		}},
		{`SELECT string_agg(key || '=' || value::text, '|') FROM json_each('{"b":1,"a":[2], "b":"x"}')`, func() ([]string, error) {
			ks, vs, err := JSONBEach(js(`{"b":1,"a":[2], "b":"x"}`), false)
			var out []string
			for i := range ks {
				out = append(out, ks[i]+"="+vs[i].String())
			}
			return out, err
		}},
	}
	for _, c := range srf {
		want := p.query("", c.sql)
		got, err := c.fn()
		if err != nil || strings.Join(got, "|") != want.text {
			t.Errorf("%s:\n got  %q, %v\n want %s", c.sql, strings.Join(got, "|"), err, want)
		}
	}
}

func texts(vs []Value) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	return out
}

func TestCompatArrayOps(t *testing.T) {
	p := connectPG(t)
	ia := func(s string) Value {
		v, err := ParseText(ArrayType(TInt4), s)
		if err != nil {
			t.Fatalf("int4[] %q: %v", s, err)
		}
		return v
	}
	str := func(s string) *string { return &s }
	eq := func(x, y Value) (bool, error) { return Compare(x, y) == 0, nil }
	lt := func(x, y Value) (bool, error) { return Compare(x, y) < 0, nil }
	i4 := func(i int64) Value { return NewInt(Int4, i) }
	tsArr, _ := ParseText(ArrayType(TTimestampTZ), "{2024-01-05 10:00+00,NULL}")
	env := envFor(t, "Asia/Tokyo")
	cases := []struct {
		sql string
		fn  func() (Value, error)
	}{
		{`'{1,2}'::int4[] || '{3,NULL}'::int4[]`, func() (Value, error) { return ArrayCat(ia("{1,2}"), ia("{3,NULL}")) }},
		{`'{}'::int4[] || '{3}'::int4[]`, func() (Value, error) { return ArrayCat(ia("{}"), ia("{3}")) }},
		{`NULL::int4[] || '{3}'::int4[]`, func() (Value, error) { return ArrayCat(Null, ia("{3}")) }},
		{`'{1,2}'::int4[] || 3`, func() (Value, error) { return ArrayAppend(ia("{1,2}"), i4(3), Int4), nil }},
		{`array_append(NULL::int4[], 3)`, func() (Value, error) { return ArrayAppend(Null, i4(3), Int4), nil }},
		{`0 || '{1,2}'::int4[]`, func() (Value, error) { return ArrayPrepend(i4(0), ia("{1,2}"), Int4), nil }},
		{`array_length('{1,2,3}'::int4[], 1)`, func() (Value, error) { return ArrayLength(ia("{1,2,3}"), 1), nil }},
		{`array_length('{}'::int4[], 1)`, func() (Value, error) { return ArrayLength(ia("{}"), 1), nil }},
		{`array_length('{1}'::int4[], 2)`, func() (Value, error) { return ArrayLength(ia("{1}"), 2), nil }},
		{`array_upper('{1,2}'::int4[], 1)`, func() (Value, error) { return ArrayLength(ia("{1,2}"), 1), nil }},
		{`array_lower('{1,2}'::int4[], 1)`, func() (Value, error) { return ArrayLower(ia("{1,2}"), 1), nil }},
		{`array_lower('{}'::int4[], 1)`, func() (Value, error) { return ArrayLower(ia("{}"), 1), nil }},
		{`cardinality('{1,NULL}'::int4[])`, func() (Value, error) { return Cardinality(ia("{1,NULL}")), nil }},
		{`cardinality('{}'::int4[])`, func() (Value, error) { return Cardinality(ia("{}")), nil }},
		{`array_position('{1,NULL,3}'::int4[], 3)`, func() (Value, error) { return ArrayPosition(ia("{1,NULL,3}"), i4(3)), nil }},
		{`array_position('{1,NULL,3}'::int4[], NULL)`, func() (Value, error) { return ArrayPosition(ia("{1,NULL,3}"), Null), nil }},
		{`array_position('{1,NULL,3}'::int4[], 4)`, func() (Value, error) { return ArrayPosition(ia("{1,NULL,3}"), i4(4)), nil }},
		{`array_remove('{1,NULL,3,1}'::int4[], 1)`, func() (Value, error) { return ArrayRemove(ia("{1,NULL,3,1}"), i4(1)), nil }},
		{`array_remove('{1,NULL,3,1}'::int4[], NULL)`, func() (Value, error) { return ArrayRemove(ia("{1,NULL,3,1}"), Null), nil }},
		{`array_to_string('{1,NULL,3}'::int4[], ',')`, func() (Value, error) { return ArrayToString(env, ia("{1,NULL,3}"), ",", nil), nil }},
		{`array_to_string('{1,NULL,3}'::int4[], ',', '*')`, func() (Value, error) { return ArrayToString(env, ia("{1,NULL,3}"), ",", str("*")), nil }},
		{`array_to_string('{2024-01-05 10:00+00,NULL}'::timestamptz[], ';', 'x')`, func() (Value, error) { return ArrayToString(env, tsArr, ";", str("x")), nil }},
		{`string_to_array('a,b,,c', ',')`, func() (Value, error) { return StringToArray("a,b,,c", str(","), nil), nil }},
		{`string_to_array('a,b,,c', ',', '')`, func() (Value, error) { return StringToArray("a,b,,c", str(","), str("")), nil }},
		{`string_to_array('abc', NULL)`, func() (Value, error) { return StringToArray("abc", nil, nil), nil }},
		{`string_to_array('abc', '')`, func() (Value, error) { return StringToArray("abc", str(""), nil), nil }},
		{`string_to_array('', ',')`, func() (Value, error) { return StringToArray("", str(","), nil), nil }},
		{`2 = ANY('{1,2}'::int4[])`, func() (Value, error) { return AnyAll(i4(2), ia("{1,2}"), false, eq) }},
		{`3 = ANY('{1,NULL}'::int4[])`, func() (Value, error) { return AnyAll(i4(3), ia("{1,NULL}"), false, eq) }},
		{`1 = ANY('{1,NULL}'::int4[])`, func() (Value, error) { return AnyAll(i4(1), ia("{1,NULL}"), false, eq) }},
		{`3 = ANY('{}'::int4[])`, func() (Value, error) { return AnyAll(i4(3), ia("{}"), false, eq) }},
		{`NULL::int4 = ANY('{}'::int4[])`, func() (Value, error) { return AnyAll(Null, ia("{}"), false, eq) }},
		{`NULL::int4 = ANY('{1}'::int4[])`, func() (Value, error) { return AnyAll(Null, ia("{1}"), false, eq) }},
		{`0 < ALL('{1,2}'::int4[])`, func() (Value, error) { return AnyAll(i4(0), ia("{1,2}"), true, lt) }},
		{`0 < ALL('{1,NULL}'::int4[])`, func() (Value, error) { return AnyAll(i4(0), ia("{1,NULL}"), true, lt) }},
		{`5 < ALL('{1,NULL}'::int4[])`, func() (Value, error) { return AnyAll(i4(5), ia("{1,NULL}"), true, lt) }},
		{`5 < ALL('{}'::int4[])`, func() (Value, error) { return AnyAll(i4(5), ia("{}"), true, lt) }},
	}
	for _, c := range cases {
		want := p.query("Asia/Tokyo", "SELECT "+c.sql)
		v, err := c.fn()
		if got := ours(v, err, env); !same(got, want) {
			t.Errorf("%s:\n got  %s\n want %s", c.sql, got, want)
		}
	}
}

// TestCompatZones reads wall times around daylight-saving transitions (and
// in zones with odd offsets and historical changes) as timestamptz and
// prints them back, in several session time zones.
func TestCompatZones(t *testing.T) {
	p := connectPG(t)
	zones := []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu",
		"America/Sao_Paulo", "Europe/Moscow", "Pacific/Apia", "Africa/Casablanca"}
	var walls []string
	for _, day := range []string{"2024-03-10", "2024-11-03", "2024-03-31", "2024-10-27", "2024-04-07", "2011-12-30",
		"2014-10-26", "1986-01-01", "1970-01-01", "2038-03-14", "2100-03-14"} {
		for h := 0; h < 24; h++ {
			for _, m := range []string{"00", "30"} {
				walls = append(walls, fmt.Sprintf("%s %02d:%s:00", day, h, m))
			}
		}
	}
	arr := "ARRAY[" + strings.Join(func() []string {
		q := make([]string, len(walls))
		for i, w := range walls {
			q[i] = lit(w)
		}
		return q
	}(), ",") + "]"
	for _, zin := range zones {
		for _, zout := range []string{zin, "UTC"} {
			// Read in zin (stored in a table), show in zout.
			ctx := context.Background()
			if _, err := p.c.Exec(ctx, "SET TimeZone TO '"+zin+"'").ReadAll(); err != nil {
				t.Fatal(err)
			}
			res, err := p.c.Exec(ctx, "CREATE TEMP TABLE IF NOT EXISTS zt (i int, t timestamptz); TRUNCATE zt; "+
				fmt.Sprintf("INSERT INTO zt SELECT i, w::timestamptz FROM unnest(%s) WITH ORDINALITY u(w, i)", arr)).ReadAll()
			if err != nil {
				t.Fatal(err, res)
			}
			want := p.text(zout, "SELECT string_agg(t::text, '|' ORDER BY i) FROM zt")
			envIn, envOut := envFor(t, zin), envFor(t, zout)
			var got []string
			for _, w := range walls {
				v, err := ParseTextEnv(envIn, TTimestampTZ, w)
				if err != nil {
					t.Fatalf("%s in %s: %v", w, zin, err)
				}
				got = append(got, string(v.AppendTextEnv(nil, envOut)))
			}
			wl := strings.Split(want, "|")
			for i := range walls {
				if i >= len(wl) || got[i] != wl[i] {
					t.Errorf("%s read in %s, shown in %s: got %s, want %s", walls[i], zin, zout, got[i], wl[min(i, len(wl)-1)])
				}
			}
		}
	}
}

// TestCompatUnknownOperand checks the kind chosen for a quoted literal
// operand of a date/time operator against PostgreSQL's choice.
func TestCompatUnknownOperand(t *testing.T) {
	p := connectPG(t)
	cases := []struct {
		tc   typeCase
		lit  string
		op   byte
		left bool
	}{
		{tcDate, "2024-01-01", '+', false}, {tcDate, "2024-01-01", '-', false}, {tcTS, "2024-01-01", '-', false},
		{tcTS, "1 day", '+', false}, {tcTSTZ, "1 day", '+', true}, {tcInterval, "2", '*', false},
		{tcInterval, "2", '/', false}, {tcInterval, "1 day", '+', false}, {tcTime, "10:00", '-', false},
		{tcTime, "1 hour", '+', false}, {tcInterval, "2024-01-01", '+', true},
	}
	for _, c := range cases {
		var q string
		if c.left {
			q = fmt.Sprintf("SELECT pg_typeof(%s %c '2024-01-05'::%s)::text", lit(c.lit), c.op, c.tc.sql)
			if c.tc.t.Kind == Interval {
				q = fmt.Sprintf("SELECT pg_typeof(%s %c '1 day'::%s)::text", lit(c.lit), c.op, c.tc.sql)
			}
		} else {
			q = fmt.Sprintf("SELECT pg_typeof('2024-01-05'::%s %c %s)::text", c.tc.sql, c.op, lit(c.lit))
			if c.tc.t.Kind == Interval || c.tc.t.Kind == Time {
				q = fmt.Sprintf("SELECT pg_typeof('10:00'::%s %c %s)::text", c.tc.sql, c.op, lit(c.lit))
			}
		}
		want := p.query("", q)
		k, ok, amb := UnknownOperand(c.op, c.tc.t.Kind, c.left)
		switch {
		case want.err != nil && want.err.Code == "42725":
			if !amb {
				t.Errorf("%s: got %s, %v; PostgreSQL says ambiguous", q, k, ok)
			}
		case want.err != nil && want.err.Code == "22007":
			// The literal was read as the chosen type and refused.
			if !ok {
				t.Errorf("%s: no operator; PostgreSQL chose one (%s)", q, want)
			}
		case want.err != nil:
			t.Errorf("%s: PostgreSQL: %s", q, want)
		default:
			res, _ := OperatorResult(c.op, map[bool]Kind{true: k, false: c.tc.t.Kind}[c.left], map[bool]Kind{true: c.tc.t.Kind, false: k}[c.left])
			if !ok || res.String() != want.text {
				t.Errorf("%s: got operand %s (result %s), PostgreSQL's result is %s", q, k, res, want.text)
			}
		}
	}
}

// TestCompatBuiltinTypes checks every type's pg_type row.
func TestCompatBuiltinTypes(t *testing.T) {
	p := connectPG(t)
	for _, typ := range BuiltinTypes() {
		q := fmt.Sprintf("SELECT typname || ' ' || typlen || ' ' || typcategory::text || ' ' || typelem || ' ' || typarray || ' ' || format_type(oid, NULL) FROM pg_type WHERE oid = %d", typ.OID())
		res := p.query("", q)
		if res.err != nil {
			t.Fatalf("%s: %s", q, res)
		}
		want := res.text
		name := typ.Kind.String()
		got := fmt.Sprintf("%s %d %c %d %d %s", typ.TypName(), typ.Size(), typ.Category(), typ.ElemOID(), typ.ArrayOID(), name)
		if got != want {
			t.Errorf("OID %d: got %q, want %q", typ.OID(), got, want)
		}
	}
}

func TestCompatMake(t *testing.T) {
	p := connectPG(t)
	env := envFor(t, "America/New_York")
	cases := []struct {
		sql string
		fn  func() (Value, error)
	}{
		{"to_timestamp(1704449472.5)", func() (Value, error) { return ToTimestampEpoch(1704449472.5) }},
		{"to_timestamp(0)", func() (Value, error) { return ToTimestampEpoch(0) }},
		{"to_timestamp(-1e10)", func() (Value, error) { return ToTimestampEpoch(-1e10) }},
		{"to_timestamp('Infinity')", func() (Value, error) { return ToTimestampEpoch(math.Inf(1)) }},
		{"to_timestamp('NaN')", func() (Value, error) { return ToTimestampEpoch(math.NaN()) }},
		{"to_timestamp(1e20)", func() (Value, error) { return ToTimestampEpoch(1e20) }},
		{"to_timestamp(-1e20)", func() (Value, error) { return ToTimestampEpoch(-1e20) }},
		{"to_timestamp(1.0000005)", func() (Value, error) { return ToTimestampEpoch(1.0000005) }},
		{"make_date(2024, 2, 29)", func() (Value, error) { return MakeDate(2024, 2, 29) }},
		{"make_date(-44, 3, 15)", func() (Value, error) { return MakeDate(-44, 3, 15) }},
		{"make_date(2024, 2, 30)", func() (Value, error) { return MakeDate(2024, 2, 30) }},
		{"make_date(0, 1, 1)", func() (Value, error) { return MakeDate(0, 1, 1) }},
		{"make_date(2024, 13, 1)", func() (Value, error) { return MakeDate(2024, 13, 1) }},
		{"make_time(10, 11, 12.5)", func() (Value, error) { return MakeTime(10, 11, 12.5) }},
		{"make_time(24, 0, 0)", func() (Value, error) { return MakeTime(24, 0, 0) }},
		{"make_time(24, 0, 0.5)", func() (Value, error) { return MakeTime(24, 0, 0.5) }},
		{"make_time(10, 60, 0)", func() (Value, error) { return MakeTime(10, 60, 0) }},
		{"make_timestamp(2024, 1, 5, 10, 11, 12.5)", func() (Value, error) { return MakeTimestamp(env, Timestamp, 2024, 1, 5, 10, 11, 12.5) }},
		{"make_timestamp(2024, 1, 5, 10, 60, 0)", func() (Value, error) { return MakeTimestamp(env, Timestamp, 2024, 1, 5, 10, 60, 0) }},
		{"make_timestamptz(2024, 7, 5, 10, 11, 12.5)", func() (Value, error) { return MakeTimestamp(env, TimestampTZ, 2024, 7, 5, 10, 11, 12.5) }},
		{"make_interval(1, 2, 3, 4, 5, 6, 7.5)", func() (Value, error) { return MakeInterval(1, 2, 3, 4, 5, 6, 7.5) }},
		{"make_interval(secs => 1.123456789)", func() (Value, error) { return MakeInterval(0, 0, 0, 0, 0, 0, 1.123456789) }},
		{"make_interval(hours => -30)", func() (Value, error) { return MakeInterval(0, 0, 0, 0, -30, 0, 0) }},
	}
	for _, c := range cases {
		want := p.query("America/New_York", "SELECT "+c.sql)
		v, err := c.fn()
		if got := ours(v, err, env); !same(got, want) {
			t.Errorf("%s:\n got  %s\n want %s", c.sql, got, want)
		}
	}
}

func TestCompatFromChar(t *testing.T) {
	p := connectPG(t)
	env := envFor(t, "America/New_York")
	dates := [][2]string{
		{"2024-01-05", "YYYY-MM-DD"}, {"20240105", "YYYYMMDD"}, {"5 Jan 2024", "DD Mon YYYY"}, {"2024-1-5", "YYYY-MM-DD"},
		{"January 5, 2024", "Month DD, YYYY"}, {"24-01-05", "YY-MM-DD"}, {"2024/01/05", "YYYY-MM-DD"},
		{"  2024 01 05", "YYYY MM DD"}, {"2024-13-05", "YYYY-MM-DD"}, {"2024-xx-05", "YYYY-MM-DD"}, {"2024-01", "YYYY-MM-DD"},
		{"2024-02-30", "YYYY-MM-DD"}, {"Foo 5 2024", "Mon DD YYYY"}, {"2024 01 05 extra", "YYYY MM DD"},
		{"Fri, 05 JAN 2024", "Dy, DD MON YYYY"}, {"05.01.2024", "DD.MM.YYYY"}, {"99-12-31", "YY-MM-DD"},
		{"0044-03-15 BC", "YYYY-MM-DD BC"}, {"2024-01-05", "YYYY-\"x\"MM-DD"}, {"2024x01-05", "YYYY\"x\"MM-DD"},
	}
	for _, c := range dates {
		q := fmt.Sprintf("SELECT to_date(%s, %s)", lit(c[0]), lit(c[1]))
		want := p.query("America/New_York", q)
		v, err := ToDate(c[0], c[1])
		if got := ours(v, err, env); !same(got, want) {
			t.Errorf("%s:\n got  %s\n want %s", q, got, want)
		}
	}
	stamps := [][2]string{
		{"2024-01-05 10:11:12.5", "YYYY-MM-DD HH24:MI:SS.MS"}, {"2024-01-05 10:11 PM", "YYYY-MM-DD HH12:MI AM"},
		{"05/01/2024 1011", "DD/MM/YYYY HH24MI"}, {"2024-01-05 10:11:12 +05:30", "YYYY-MM-DD HH24:MI:SS TZH:TZM"},
		{"2024-01-05 10:11:12 -03", "YYYY-MM-DD HH24:MI:SS TZH"},
		{"2024-01-05 10:11:12.123456", "YYYY-MM-DD HH24:MI:SS.US"}, {"2024-01-05 123:00", "YYYY-MM-DD HH24:MI"},
		{"10:11", "HH24:MI"}, {"2024-07-05 12:00 AM", "YYYY-MM-DD HH:MI AM"}, {"2024-07-05 13:00 PM", "YYYY-MM-DD HH:MI PM"},
		{"2024-03-10 02:30", "YYYY-MM-DD HH24:MI"},
	}
	for _, c := range stamps {
		q := fmt.Sprintf("SELECT to_timestamp(%s, %s)", lit(c[0]), lit(c[1]))
		want := p.query("America/New_York", q)
		v, err := ToTimestampFormat(env, c[0], c[1])
		if got := ours(v, err, env); !same(got, want) {
			t.Errorf("%s:\n got  %s\n want %s", q, got, want)
		}
	}
}

// TestCompatFloatOutput compares the text output of many floats, sent to
// PostgreSQL in binary (exact bits), with ours.
func TestCompatFloatOutput(t *testing.T) {
	p := connectPG(t)
	rng := mathrand.New(mathrand.NewSource(1))
	for _, k := range []Kind{Float4, Float8} {
		var vals []Value
		for i := 0; i < 3000; i++ {
			var f float64
			switch i % 4 {
			case 0: // any bits
				f = math.Float64frombits(rng.Uint64())
			case 1: // large integers near ties
				f = math.Ldexp(float64(rng.Int63n(1<<30)|1), rng.Intn(60))
			case 2: // short decimals of any magnitude
				f, _ = strconv.ParseFloat(fmt.Sprintf("%de%d", rng.Intn(1000), rng.Intn(80)-40), 64)
			default:
				f = rng.NormFloat64() * math.Pow(10, float64(rng.Intn(40)-20))
			}
			if math.IsNaN(f) || math.IsInf(f, 0) || k == Float4 && math.IsInf(float64(float32(f)), 0) {
				continue
			}
			vals = append(vals, NewFloat(k, f))
		}
		arr := NewArray(k, vals)
		bin, err := AppendBinary(nil, arr)
		if err != nil {
			t.Fatal(err)
		}
		res := p.c.ExecParams(context.Background(), "SELECT string_agg(x::text, ' ' ORDER BY i) FROM unnest($1) WITH ORDINALITY u(x, i)",
			[][]byte{bin}, []uint32{T{arr.Kind(), -1}.OID()}, []int16{1}, nil).Read()
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		want := strings.Split(string(res.Rows[0][0]), " ")
		for i, v := range vals {
			if got := v.String(); got != want[i] {
				t.Errorf("%s %b: got %s, want %s", k, v.Float(), got, want[i])
			}
		}
	}
}
