package pgwire

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// TestBinaryFormatsOfTypes round-trips dates and times, intervals, bytea,
// uuid, json, jsonb and arrays through pgx, which sends parameters and
// asks for results in binary for these types, and through the text
// format (simple protocol) for comparison.
func TestBinaryFormatsOfTypes(t *testing.T) {
	ts := startServer(t, Config{})
	conn := ts.connect(t)
	ctx := context.Background()
	mustExec(t, conn, "CREATE TABLE ty (id int PRIMARY KEY, d date, t time, ts timestamp, tz timestamptz, iv interval, b bytea, u uuid, j json, jb jsonb, ia int[], ta text[], c char(4))")
	day := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	stamp := time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)
	uuid := [16]byte{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11}
	iv := pgtype.Interval{Months: 14, Days: 3, Microseconds: 3723000004, Valid: true}
	tod := pgtype.Time{Microseconds: 13*3600e6 + 14*60e6 + 15e6, Valid: true}
	for i, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeSimpleProtocol} {
		_, err := conn.Exec(ctx, "INSERT INTO ty VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)", mode,
			i, day, tod, stamp, stamp, iv, []byte{0xde, 0xad, 0x00}, pgtype.UUID{Bytes: uuid, Valid: true},
			`{"a": [1, 2]}`, `{"k": "v"}`, []int32{3, 1, 4}, []string{"x", "y z", ""}, "ab")
		if err != nil {
			t.Fatalf("%v: insert: %v", mode, err)
		}
		var (
			d, ts2, tz time.Time
			t2         pgtype.Time
			iv2        pgtype.Interval
			b          []byte
			u          pgtype.UUID
			j          string
			jb         map[string]any
			ia         []int32
			ta         []string
			c          string
		)
		err = conn.QueryRow(ctx, "SELECT d, t, ts, tz, iv, b, u, j, jb, ia, ta, c FROM ty WHERE id = $1", mode, i).
			Scan(&d, &t2, &ts2, &tz, &iv2, &b, &u, &j, &jb, &ia, &ta, &c)
		if err != nil {
			t.Fatalf("%v: select: %v", mode, err)
		}
		switch {
		case !d.Equal(day):
			t.Errorf("%v: date %v", mode, d)
		case t2 != tod:
			t.Errorf("%v: time %+v", mode, t2)
		case !ts2.Equal(stamp) || !tz.Equal(stamp):
			t.Errorf("%v: timestamps %v %v", mode, ts2, tz)
		case iv2 != iv:
			t.Errorf("%v: interval %+v", mode, iv2)
		case !bytes.Equal(b, []byte{0xde, 0xad, 0x00}):
			t.Errorf("%v: bytea %x", mode, b)
		case u.Bytes != uuid:
			t.Errorf("%v: uuid %x", mode, u.Bytes)
		case j != `{"a": [1, 2]}`:
			t.Errorf("%v: json %q", mode, j)
		case jb["k"] != "v":
			t.Errorf("%v: jsonb %v", mode, jb)
		case len(ia) != 3 || ia[0] != 3 || ia[2] != 4:
			t.Errorf("%v: int[] %v", mode, ia)
		case len(ta) != 3 || ta[1] != "y z" || ta[2] != "":
			t.Errorf("%v: text[] %q", mode, ta)
		case c != "ab  ":
			t.Errorf("%v: char(4) %q", mode, c)
		}
	}
}
