package resp

import (
	"errors"
	"net"
	"strconv"
	"sync/atomic"
	"time"
)

// Redis's framing limits, enforced before redcon sees the bytes.
//
// redcon buffers a request until it is complete, whatever length the
// request declares, and its inline parser differs from Redis's. So every
// accepted connection is wrapped in a frameConn: its Read runs the bytes
// the client sent through a frameScanner, a state machine that checks each
// request as Redis's networking.c does (the same limits, the same error
// words, the same inline quoting) and hands redcon the request re-encoded
// as a plain RESP array. The scanner never allocates by a declared
// length: a bulk string is passed on as its bytes arrive.
//
// On a protocol error the scanner first hands over the requests before
// the bad one; redcon runs them and writes their replies before it calls
// Read again (it reads, handles and flushes on one goroutine). That next
// Read writes Redis's error to the client and fails, and redcon closes
// the connection, as Redis closes a connection after a protocol error.

// Redis's limits.
const (
	protoInlineMaxSize = 64 * 1024   // an inline request or a header line
	protoMaxMultibulk  = 1<<31 - 1   // INT_MAX elements in a request
	unauthMultibulk    = 10          // elements before AUTH
	unauthBulkLen      = 16 * 1024   // bulk length before AUTH
	frameReadSize      = 16 * 1024   // bytes read from the socket at a time
	maxScanOutput      = 1024 * 1024 // stop a scan pass once this much is ready
	holdCount          = 1024        // requests with more elements are held until complete
)

// errProtocolClose fails a frameConn's Read after a protocol error.
var errProtocolClose = errors.New("resp: protocol error; connection closed")

// frameListener wraps the accepted connections in frameConns.
type frameListener struct {
	net.Listener
	s *Server
}

func (s *Server) frameListener(ln net.Listener) net.Listener {
	return &frameListener{Listener: ln, s: s}
}

// Accept returns the next connection, wrapped.
func (l *frameListener) Accept() (net.Conn, error) {
	nc, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	fc := &frameConn{Conn: nc}
	fc.sc.maxBulk = l.s.ProtoMaxBulkLen
	fc.sc.authRequired = func() bool {
		c := fc.owner.Load()
		return c != nil && c.authRequired()
	}
	return fc, nil
}

// frameConn is an accepted connection whose reads go through a
// frameScanner. Read is called only by redcon's goroutine for the
// connection; Write and Close may be called from any goroutine.
type frameConn struct {
	net.Conn
	owner atomic.Pointer[client] // set by registerClient
	sc    frameScanner
	buf   []byte // socket reads
	in    []byte // read, not scanned yet
	out   []byte // scanned, not handed to redcon yet
	fail  bool   // a protocol error is pending: reply and fail next
	done  error  // the error Read returns from now on
}

// Read hands redcon the next re-encoded bytes.
func (fc *frameConn) Read(p []byte) (int, error) {
	for {
		if len(fc.out) > 0 {
			n := copy(p, fc.out)
			fc.out = fc.out[n:]
			if len(fc.out) == 0 {
				fc.sc.handed()
			}
			return n, nil
		}
		if fc.done != nil {
			return 0, fc.done
		}
		if fc.fail {
			fc.replyError(fc.sc.errMsg)
			fc.done = errProtocolClose
			return 0, fc.done
		}
		if len(fc.in) == 0 {
			if fc.buf == nil {
				fc.buf = make([]byte, frameReadSize)
			}
			n, err := fc.Conn.Read(fc.buf)
			if n == 0 {
				if err == nil {
					continue
				}
				return 0, err
			}
			fc.in = fc.buf[:n]
		}
		var n int
		fc.out, n, fc.fail = fc.sc.scan(fc.out[:0], fc.in)
		fc.in = fc.in[n:]
	}
}

// replyError writes a protocol error to the client: through the outbox
// when the connection has one (so it follows what is queued there),
// directly otherwise.
func (fc *frameConn) replyError(msg string) {
	b := []byte("-ERR Protocol error: " + msg + "\r\n")
	if c := fc.owner.Load(); c != nil {
		if ob := c.ext.out.Load(); ob != nil {
			ob.push(b)
			ob.drain(time.Second)
			return
		}
	}
	fc.Conn.SetWriteDeadline(time.Now().Add(time.Second))
	fc.Conn.Write(b)
}

// Scanner states.
const (
	scanStart   = iota // at the start of a request
	scanInline         // in an inline request's line
	scanCount          // in a "*<count>" line
	scanBulkHdr        // in a "$<len>" line
	scanBulk           // in a bulk string's bytes and its two end bytes
)

// frameScanner checks and re-encodes a stream of requests as Redis reads
// them. Its zero value, with maxBulk and authRequired set, is ready.
type frameScanner struct {
	maxBulk      func() int64 // proto-max-bulk-len
	authRequired func() bool  // the connection has not authenticated yet

	state   int
	line    []byte // the current line, up to protoInlineMaxSize+frameReadSize bytes
	lineLen int    // bytes of the current line, counted past len(line)
	nul     bool   // a NUL in the current line: C's strchr never finds its end
	cr      bool   // a header line's '\r' was seen; one more byte ends it
	left    int64  // bulk strings left in the request
	bulk    int64  // bytes left of the bulk string and its two end bytes
	// complete is set once the scan produced a whole request that redcon
	// has not been handed yet; a check that depends on the connection's
	// state (auth) then waits until redcon ran it.
	complete bool
	errMsg   string
	holding  bool   // the current request is held until complete
	hold     []byte // the held request's bytes so far
}

// sink is where the current request's bytes go: out, or the hold
// buffer for a request of more than holdCount elements.
func (sc *frameScanner) sink(out *[]byte) *[]byte {
	if sc.holding {
		return &sc.hold
	}
	return out
}

// handed tells the scanner redcon has every byte it produced.
func (sc *frameScanner) handed() { sc.complete = false }

// scan reads in, appends the re-encoded requests to out, and returns out,
// the bytes of in consumed, and whether a protocol error stopped it
// (errMsg then says which). It stops early, with bytes left, before a
// check that must wait for the requests already produced to run, and once
// maxScanOutput bytes are ready.
func (sc *frameScanner) scan(out, in []byte) ([]byte, int, bool) {
	i := 0
	for i < len(in) && len(out) < maxScanOutput {
		switch sc.state {
		case scanStart:
			sc.line, sc.lineLen, sc.nul, sc.cr = sc.line[:0], 0, false, false
			if in[i] == '*' {
				sc.state = scanCount
			} else {
				sc.state = scanInline
			}
		case scanInline:
			c := in[i]
			if c == '\n' && !sc.nul {
				i++
				if sc.lineLen > protoInlineMaxSize+frameReadSize {
					return sc.failWith(out, i, "too big inline request")
				}
				line := sc.line
				if len(line) > 0 && line[len(line)-1] == '\r' {
					line = line[:len(line)-1]
				}
				args, ok := splitArgs(line)
				if !ok {
					return sc.failWith(out, i, "unbalanced quotes in request")
				}
				if len(args) > 0 {
					out = appendRequest(out, args)
					sc.complete = true
				}
				sc.state = scanStart
				continue
			}
			if c == 0 {
				sc.nul = true
			}
			sc.addLine(c)
			i++
		case scanCount, scanBulkHdr:
			c := in[i]
			if sc.cr {
				// The byte after '\r' ends the line, whatever it is.
				out2, done, stop := sc.header(out)
				if stop {
					if sc.errMsg != "" {
						return out2, i, true
					}
					return out2, i, false // deferred: leave the byte
				}
				out = out2
				i++
				if done {
					sc.state = scanStart
				}
				continue
			}
			if c == '\r' && !sc.nul {
				if sc.lineLen > protoInlineMaxSize+frameReadSize {
					if sc.state == scanCount {
						return sc.failWith(out, i, "too big mbulk count string")
					}
					return sc.failWith(out, i, "too big bulk count string")
				}
				sc.cr = true
				i++
				continue
			}
			if c == 0 {
				sc.nul = true
			}
			sc.addLine(c)
			i++
		case scanBulk:
			// Redis takes any two bytes as the end of a bulk string;
			// they are passed on as "\r\n".
			n := min(int64(len(in)-i), sc.bulk)
			pay := min(n, max(sc.bulk-2, 0))
			dst := sc.sink(&out)
			*dst = append(*dst, in[i:i+int(pay)]...)
			for j := pay; j < n; j++ {
				if sc.bulk-j == 2 {
					*dst = append(*dst, '\r')
				} else {
					*dst = append(*dst, '\n')
				}
			}
			i += int(n)
			sc.bulk -= n
			if sc.bulk == 0 {
				sc.left--
				if sc.left == 0 {
					if sc.holding {
						out = append(out, sc.hold...)
						sc.holding = false
						sc.hold = sc.hold[:0]
						if cap(sc.hold) > 1<<20 {
							sc.hold = nil
						}
					}
					sc.state = scanStart
					sc.complete = true
				} else {
					sc.state = scanBulkHdr
					sc.line, sc.lineLen, sc.nul, sc.cr = sc.line[:0], 0, false, false
				}
			}
		}
	}
	// Like Redis, check a line's length once the bytes read so far are
	// all scanned: a line whose end has not come within
	// protoInlineMaxSize bytes is refused.
	if i == len(in) && sc.lineLen > protoInlineMaxSize && !sc.cr {
		switch sc.state {
		case scanInline:
			return sc.failWith(out, i, "too big inline request")
		case scanCount:
			return sc.failWith(out, i, "too big mbulk count string")
		case scanBulkHdr:
			return sc.failWith(out, i, "too big bulk count string")
		}
	}
	return out, i, false
}

// addLine adds c to the current line. The line is refused past
// protoInlineMaxSize bytes at the end of a read, which is at most
// frameReadSize bytes later: it is kept up to that bound, and only counted
// beyond (a longer line is refused before its bytes matter).
func (sc *frameScanner) addLine(c byte) {
	sc.lineLen++
	if sc.lineLen <= protoInlineMaxSize+frameReadSize {
		sc.line = append(sc.line, c)
	}
}

// failWith records a protocol error.
func (sc *frameScanner) failWith(out []byte, i int, msg string) ([]byte, int, bool) {
	sc.errMsg = msg
	return out, i, true
}

// header acts on a complete "*<count>" or "$<len>" line (sc.line, without
// its '\r'). It returns out with the re-encoded header, whether the
// request ended (an empty request), and whether to stop: on an error
// (errMsg set) or to wait until the requests produced so far have run.
func (sc *frameScanner) header(out []byte) (_ []byte, done, stop bool) {
	line := sc.line
	if sc.state == scanCount {
		n, ok := parseRedisLen(line[1:])
		if !ok || n > protoMaxMultibulk {
			sc.errMsg = "invalid multibulk length"
			return out, false, true
		}
		if n > unauthMultibulk && sc.authRequired != nil {
			if sc.complete {
				return out, false, true
			}
			if sc.authRequired() {
				sc.errMsg = "unauthenticated multibulk length"
				return out, false, true
			}
		}
		sc.cr = false
		if n <= 0 {
			return out, true, false // Redis ignores an empty request
		}
		sc.left = n
		sc.state = scanBulkHdr
		sc.line, sc.lineLen, sc.nul = sc.line[:0], 0, false
		// redcon walks a request's declared count on every read until the
		// request is complete: a request of many elements is held here
		// until it is, so that costs redcon one walk.
		sc.holding = n > holdCount
		dst := sc.sink(&out)
		*dst = append(*dst, '*')
		*dst = strconv.AppendInt(*dst, n, 10)
		*dst = append(*dst, '\r', '\n')
		return out, false, false
	}
	if len(line) == 0 || line[0] != '$' {
		c := byte('\r')
		if len(line) > 0 {
			c = line[0]
		}
		sc.errMsg = "expected '$', got '" + string([]byte{c}) + "'"
		return out, false, true
	}
	n, ok := parseRedisLen(line[1:])
	maxBulk := int64(DefaultProtoMaxBulkLen)
	if sc.maxBulk != nil {
		maxBulk = sc.maxBulk()
	}
	if !ok || n < 0 || n > maxBulk {
		sc.errMsg = "invalid bulk length"
		return out, false, true
	}
	if n > unauthBulkLen && sc.authRequired != nil {
		if sc.complete {
			return out, false, true
		}
		if sc.authRequired() {
			sc.errMsg = "unauthenticated bulk length"
			return out, false, true
		}
	}
	sc.cr = false
	sc.bulk = n + 2
	sc.state = scanBulk
	dst := sc.sink(&out)
	*dst = append(*dst, '$')
	*dst = strconv.AppendInt(*dst, n, 10)
	*dst = append(*dst, '\r', '\n')
	return out, false, false
}

// parseRedisLen parses a length as Redis's string2ll: an optional '-',
// digits without a leading zero (but "0"), within int64.
func parseRedisLen(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	if b[0] == '0' {
		return 0, len(b) == 1 && !neg
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (1<<64-1-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return -int64(n), true
	}
	if n > 1<<63-1 {
		return 0, false
	}
	return int64(n), true
}

// appendRequest appends args as a RESP array of bulk strings.
func appendRequest(out []byte, args [][]byte) []byte {
	out = append(out, '*')
	out = strconv.AppendInt(out, int64(len(args)), 10)
	out = append(out, '\r', '\n')
	for _, a := range args {
		out = append(out, '$')
		out = strconv.AppendInt(out, int64(len(a)), 10)
		out = append(out, '\r', '\n')
		out = append(out, a...)
		out = append(out, '\r', '\n')
	}
	return out
}

// isSpace is C's isspace in the C locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func hexValue(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// splitArgs splits an inline request into arguments as Redis does:
// blanks separate them; "double quotes" take \n, \r, \t, \b, \a, \xHH and
// \<any>; 'single quotes' take \'; a closing quote must be followed by a
// blank or the end. ok is false for unbalanced quotes. line holds no NUL.
func splitArgs(line []byte) (args [][]byte, ok bool) {
	at := func(j int) byte {
		if j < len(line) {
			return line[j]
		}
		return 0
	}
	i := 0
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i >= len(line) {
			return args, true
		}
		cur := []byte{}
		inq, insq := false, false
		for done := false; !done; {
			c := at(i)
			switch {
			case inq:
				switch {
				case c == '\\' && at(i+1) == 'x' && isHexDigit(at(i+2)) && isHexDigit(at(i+3)):
					cur = append(cur, hexValue(at(i+2))<<4|hexValue(at(i+3)))
					i += 3
				case c == '\\' && at(i+1) != 0:
					i++
					e := at(i)
					switch e {
					case 'n':
						e = '\n'
					case 'r':
						e = '\r'
					case 't':
						e = '\t'
					case 'b':
						e = '\b'
					case 'a':
						e = '\a'
					}
					cur = append(cur, e)
				case c == '"':
					if n := at(i + 1); n != 0 && !isSpace(n) {
						return nil, false
					}
					done = true
				case c == 0:
					return nil, false
				default:
					cur = append(cur, c)
				}
			case insq:
				switch {
				case c == '\\' && at(i+1) == '\'':
					i++
					cur = append(cur, '\'')
				case c == '\'':
					if n := at(i + 1); n != 0 && !isSpace(n) {
						return nil, false
					}
					done = true
				case c == 0:
					return nil, false
				default:
					cur = append(cur, c)
				}
			default:
				switch c {
				case ' ', '\n', '\r', '\t', 0:
					done = true
				case '"':
					inq = true
				case '\'':
					insq = true
				default:
					cur = append(cur, c)
				}
			}
			if c != 0 {
				i++
			}
		}
		args = append(args, cur)
	}
}
