package pgwire

// A raw protocol client for what drivers do not expose: row-limited
// Execute, malformed messages.

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgtype"
)

// rawConn is a started session driven message by message.
type rawConn struct {
	nc net.Conn
	fe *pgproto3.Frontend
}

func dialRaw(ctx context.Context, addr string) (*rawConn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	nc.SetDeadline(time.Now().Add(30 * time.Second))
	rc := &rawConn{nc: nc, fe: pgproto3.NewFrontend(nc, nc)}
	rc.fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": "aspen", "database": "aspen"}})
	if err := rc.fe.Flush(); err != nil {
		nc.Close()
		return nil, err
	}
	if _, err := rc.until(func(m pgproto3.BackendMessage) bool { _, ok := m.(*pgproto3.ReadyForQuery); return ok }); err != nil {
		nc.Close()
		return nil, err
	}
	return rc, nil
}

// until receives messages up to and including the first that stop
// accepts, returning all of them.
func (rc *rawConn) until(stop func(pgproto3.BackendMessage) bool) ([]pgproto3.BackendMessage, error) {
	var out []pgproto3.BackendMessage
	for {
		m, err := rc.fe.Receive()
		if err != nil {
			return out, err
		}
		if e, ok := m.(*pgproto3.ErrorResponse); ok && e.Severity == "FATAL" {
			return out, fmt.Errorf("FATAL %s: %s", e.Code, e.Message)
		}
		out = append(out, copyMessage(m))
		if stop(m) {
			return out, nil
		}
	}
}

// copyMessage keeps what the tests read of messages the frontend reuses.
func copyMessage(m pgproto3.BackendMessage) pgproto3.BackendMessage {
	switch m := m.(type) {
	case *pgproto3.DataRow:
		vals := make([][]byte, len(m.Values))
		for i, v := range m.Values {
			if v != nil {
				vals[i] = append([]byte{}, v...)
			}
		}
		return &pgproto3.DataRow{Values: vals}
	case *pgproto3.CommandComplete:
		return &pgproto3.CommandComplete{CommandTag: append([]byte{}, m.CommandTag...)}
	case *pgproto3.ErrorResponse:
		c := *m
		return &c
	}
	return m
}

// executeInParts runs sql through the extended protocol with Execute
// limited to limit rows at a time, and returns the rows of each part
// ("1,2|3,4|5") and how each part ended ("suspended" or the tag).
func executeInParts(ctx context.Context, addr, sql string, limit uint32) (rows, endings string, err error) {
	rc, err := dialRaw(ctx, addr)
	if err != nil {
		return "", "", err
	}
	defer rc.nc.Close()
	rc.fe.Send(&pgproto3.Parse{Query: sql})
	rc.fe.Send(&pgproto3.Bind{})
	rc.fe.Send(&pgproto3.Execute{MaxRows: limit})
	rc.fe.Send(&pgproto3.Flush{})
	if err := rc.fe.Flush(); err != nil {
		return "", "", err
	}
	var parts, ends []string
	var cur []string
	for {
		msgs, err := rc.until(func(m pgproto3.BackendMessage) bool {
			switch m.(type) {
			case *pgproto3.PortalSuspended, *pgproto3.CommandComplete, *pgproto3.ErrorResponse:
				return true
			}
			return false
		})
		if err != nil {
			return "", "", err
		}
		for _, m := range msgs {
			switch m := m.(type) {
			case *pgproto3.DataRow:
				cur = append(cur, string(m.Values[0]))
			case *pgproto3.ErrorResponse:
				return "", "", fmt.Errorf("%s: %s", m.Code, m.Message)
			case *pgproto3.PortalSuspended:
				ends = append(ends, "suspended")
			case *pgproto3.CommandComplete:
				ends = append(ends, string(m.CommandTag))
			}
		}
		parts = append(parts, strings.Join(cur, ","))
		cur = nil
		if ends[len(ends)-1] != "suspended" {
			break
		}
		rc.fe.Send(&pgproto3.Execute{MaxRows: limit})
		rc.fe.Send(&pgproto3.Flush{})
		if err := rc.fe.Flush(); err != nil {
			return "", "", err
		}
	}
	rc.fe.Send(&pgproto3.Sync{})
	if err := rc.fe.Flush(); err != nil {
		return "", "", err
	}
	return strings.Join(parts, "|"), strings.Join(ends, ","), nil
}

// numericText renders a pgtype.Numeric as PostgreSQL's text output.
func numericText(t testing.TB, n pgtype.Numeric) string {
	t.Helper()
	b, err := pgtype.NumericCodec{}.PlanEncode(nil, pgtype.NumericOID, pgtype.TextFormatCode, n).Encode(n, nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
