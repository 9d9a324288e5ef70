package resp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/tidwall/redcon"
)

// refParse parses a whole buffer of requests by Redis's rules, the simple
// way (the buffer at once, not a stream): the requests it holds, and the
// protocol error that ends it, if any. An incomplete last request is
// neither.
func refParse(b []byte, maxBulk int64) (cmds [][][]byte, errMsg string) {
	// index finds c before any NUL, as C's strchr on the query buffer.
	index := func(b []byte, c byte) int {
		for i, x := range b {
			if x == c {
				return i
			}
			if x == 0 {
				return -1
			}
		}
		return -1
	}
	for len(b) > 0 {
		if b[0] != '*' {
			j := index(b, '\n')
			if j < 0 {
				if len(b) > protoInlineMaxSize {
					return cmds, "too big inline request"
				}
				return cmds, ""
			}
			line := b[:j]
			if len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
			}
			args, ok := splitArgs(line)
			if !ok {
				return cmds, "unbalanced quotes in request"
			}
			if len(args) > 0 {
				cmds = append(cmds, args)
			}
			b = b[j+1:]
			continue
		}
		j := index(b, '\r')
		if j < 0 {
			if len(b) > protoInlineMaxSize {
				return cmds, "too big mbulk count string"
			}
			return cmds, ""
		}
		if j+1 >= len(b) {
			return cmds, ""
		}
		n, ok := parseRedisLen(b[1:j])
		if !ok || n > protoMaxMultibulk {
			return cmds, "invalid multibulk length"
		}
		b = b[j+2:]
		if n <= 0 {
			continue
		}
		var args [][]byte
		for range n {
			j := index(b, '\r')
			if j < 0 {
				if len(b) > protoInlineMaxSize {
					return cmds, "too big bulk count string"
				}
				return cmds, ""
			}
			if j+1 >= len(b) {
				return cmds, ""
			}
			if b[0] != '$' {
				return cmds, "expected '$', got '" + string(b[:1]) + "'"
			}
			l, ok := parseRedisLen(b[1:j])
			if !ok || l < 0 || l > maxBulk {
				return cmds, "invalid bulk length"
			}
			b = b[j+2:]
			if int64(len(b)) < l+2 {
				return cmds, ""
			}
			args = append(args, b[:l])
			b = b[l+2:]
		}
		cmds = append(cmds, args)
	}
	return cmds, ""
}

// FuzzFrameScanner feeds random bytes, in random-sized pieces, through the
// frame scanner: it must not panic, must agree with refParse on the
// requests and the error, and what it accepts must parse with redcon's
// reader into the same requests.
func FuzzFrameScanner(f *testing.F) {
	for _, s := range framingCases {
		if len(s) < 4096 {
			f.Add([]byte(s), uint8(7))
		}
	}
	f.Add([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nGET k\r\n"), uint8(1))
	f.Add([]byte("ECHO \"a\\x00b\" 'c d'\r\n*1\r\n$4\r\nPING\r\n"), uint8(3))
	const maxBulk = 1 << 20
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		wantCmds, wantErr := refParse(data, maxBulk)

		sc := frameScanner{maxBulk: func() int64 { return maxBulk }}
		var out []byte
		gotErr := ""
		step := int(chunk%32) + 1
		for in := data; len(in) > 0 && gotErr == ""; {
			piece := in[:min(step, len(in))]
			in = in[len(piece):]
			for len(piece) > 0 {
				var n int
				var failed bool
				out, n, failed = sc.scan(out, piece)
				sc.handed()
				piece = piece[n:]
				if failed {
					gotErr = sc.errMsg
					break
				}
				if n == 0 && len(piece) > 0 {
					t.Fatalf("scan made no progress on %q", piece)
				}
			}
		}
		if gotErr != wantErr {
			t.Fatalf("error %q, reference %q", gotErr, wantErr)
		}
		rd := redcon.NewReader(bytes.NewReader(out))
		var got [][][]byte
		for {
			cmd, err := rd.ReadCommand()
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				t.Fatalf("redcon rejects the scanner's output %q: %v", out, err)
			}
			got = append(got, cmd.Args)
		}
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", wantCmds) {
			t.Fatalf("requests %q, reference %q", got, wantCmds)
		}
	})
}
