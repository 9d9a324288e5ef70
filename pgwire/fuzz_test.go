package pgwire

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/aspen-db/aspen/planner"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// frames encodes frontend messages as a client would send them.
func frames(t testing.TB, msgs ...pgproto3.FrontendMessage) []byte {
	var out []byte
	for _, m := range msgs {
		var err error
		out, err = m.Encode(out)
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

var fuzzStartup = &pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": "aspen", "database": "aspen"}}

// FuzzMessages feeds random and mutated client byte streams to a session
// over a real engine: the server must never panic, must answer in the
// protocol's terms, and must bound what it allocates by the configured
// message size whatever lengths the frames declare.
func FuzzMessages(f *testing.F) {
	seeds := [][]byte{
		frames(f, fuzzStartup, &pgproto3.Query{String: "SELECT 1"}, &pgproto3.Terminate{}),
		frames(f, fuzzStartup, &pgproto3.Query{String: "CREATE TABLE f (a int PRIMARY KEY, b text); INSERT INTO f VALUES (1, 'x'); SELECT * FROM f"}),
		frames(f, fuzzStartup, &pgproto3.Parse{Name: "s", Query: "SELECT $1::int + 1"}, &pgproto3.Describe{ObjectType: 'S', Name: "s"},
			&pgproto3.Bind{PreparedStatement: "s", ParameterFormatCodes: []int16{1}, Parameters: [][]byte{{0, 0, 0, 7}}, ResultFormatCodes: []int16{1}},
			&pgproto3.Execute{MaxRows: 1}, &pgproto3.Sync{}),
		frames(f, fuzzStartup, &pgproto3.Bind{PreparedStatement: "missing"}, &pgproto3.Execute{}, &pgproto3.Sync{}, &pgproto3.Query{String: "SELECT 2"}),
		frames(f, &pgproto3.SSLRequest{}, fuzzStartup, &pgproto3.Query{String: "BEGIN; SELECT 1/0; COMMIT"}),
		frames(f, &pgproto3.CancelRequest{ProcessID: 1, SecretKey: []byte{1, 2, 3, 4}}),
		append(frames(f, fuzzStartup), 'Q', 0x7f, 0xff, 0xff, 0xff),
		append(frames(f, fuzzStartup), 'P', 0, 0, 0, 3),
		{0, 0, 0, 8, 4, 210, 22, 47},
	}
	for _, s := range seeds {
		f.Add(s)
	}
	const maxMessage = 1 << 16
	srv := NewServer(Config{Engine: planner.NewEngine(raftstoretest.NewWithMutations(f, planner.Mutations())), MaxMessageSize: maxMessage})
	f.Cleanup(func() { srv.Close() })
	f.Fuzz(func(t *testing.T, data []byte) {
		client, server := net.Pipe()
		done := make(chan struct{})
		go func() {
			defer close(done)
			srv.serveConn(server)
		}()
		client.SetDeadline(time.Now().Add(10 * time.Second))
		// Read everything the server says while the input goes in.
		var out bytes.Buffer
		readDone := make(chan struct{})
		go func() {
			defer close(readDone)
			io.Copy(&out, client)
		}()
		client.Write(data)
		client.Close()
		<-readDone
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("session did not end after the client closed")
		}
		// What came back must parse as backend messages.
		if out.Len() > 0 && out.Bytes()[0] != 'N' && out.Bytes()[0] != 'S' {
			fe := pgproto3.NewFrontend(bytes.NewReader(out.Bytes()), io.Discard)
			for {
				if _, err := fe.Receive(); err != nil {
					break
				}
			}
		}
	})
}
