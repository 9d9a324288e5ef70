package resp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
)

// Fixed error replies, worded as Redis 7.0 words them.
const (
	msgSyntax       = "ERR syntax error"
	msgNotInteger   = "ERR value is not an integer or out of range"
	msgOverflow     = "ERR increment or decrement would overflow"
	msgWrongType    = "WRONGTYPE Operation against a key holding the wrong kind of value"
	msgDBRange      = "ERR DB index is out of range"
	msgDecrOverflow = "ERR decrement would overflow"
	msgOffsetRange  = "ERR offset is out of range"
	msgNoSuchKey    = "ERR no such key"
	msgNotFloat     = "ERR value is not a valid float"
	msgNaN          = "ERR increment would produce NaN or Infinity"
	msgTooLarge     = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	msgBadCursor    = "ERR invalid cursor"
)

// layerErrors maps the errors the layers return for a client's mistake to
// their Redis reply. The first match wins.
var layerErrors = []struct {
	err error
	msg string
}{
	{strkv.ErrWrongType, msgWrongType},
	{strkv.ErrNotInteger, msgNotInteger},
	{strkv.ErrOverflow, msgOverflow},
	{strkv.ErrBadDB, msgDBRange},
	{strkv.ErrNoSuchKey, msgNoSuchKey},
	{strkv.ErrNotFloat, msgNotFloat},
	{strkv.ErrNaNOrInf, msgNaN},
	{strkv.ErrTooLarge, msgTooLarge},
}

// errorMsg returns the Redis error reply for err, a failure of command
// name, and whether it is the client's mistake (as opposed to the store's).
func errorMsg(name string, err error) (msg string, clientErr bool) {
	for _, e := range layerErrors {
		if errors.Is(err, e.err) {
			return e.msg, true
		}
	}
	switch {
	case errors.Is(err, strkv.ErrInvalidExpire):
		return expireMsg(name), true
	case layers.IsRetryable(err):
		// The store promises the command had no effect: safe to resend.
		// Name the store's own reason, without our wrapping.
		var r interface {
			layers.Retryable
			error
		}
		if errors.As(err, &r) {
			err = r
		}
		return "TRYAGAIN " + err.Error(), false
	case errors.Is(err, context.DeadlineExceeded):
		return "ERR command timed out; its effect, if it writes, is unknown", false
	case errors.Is(err, context.Canceled):
		return "ERR server is shutting down", false
	default:
		return "ERR " + err.Error(), false
	}
}

// replyErr writes the error reply for err, a failure of command name.
func (c *client) replyErr(w *writer, name string, err error) {
	msg, clientErr := errorMsg(name, err)
	if !clientErr {
		c.s.logger.Warn("resp: command failed", "cmd", name, "client", c.id, "err", err)
	}
	w.WriteError(msg)
}

// storeError writes the reply for a command whose store work failed.
func (c *client) storeError(cmd *command, err error) {
	name := ""
	if cmd != nil {
		name = cmd.name
	}
	c.replyErr(&c.w, name, err)
}

// errAction replies with a fixed error.
func errAction(msg string) action {
	return replyAction(func(w *writer) { w.WriteError(msg) })
}

func arityMsg(name string) string {
	return fmt.Sprintf("ERR wrong number of arguments for '%s' command", name)
}

func expireMsg(name string) string {
	return fmt.Sprintf("ERR invalid expire time in '%s' command", name)
}

// cString cuts b at its first NUL and to at most n bytes, as C's "%.*s"
// prints it.
func cString(b []byte, n int) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return b[:min(len(b), n)]
}

// unknownCommandMsg builds Redis's reply for an unknown command: the name
// and the first arguments, at most about 128 bytes of them.
func unknownCommandMsg(args [][]byte) string {
	var b strings.Builder
	for _, a := range args[1:] {
		if b.Len() >= 128 {
			break
		}
		n := 128 - b.Len()
		b.WriteByte('\'')
		b.Write(cString(a, n))
		b.WriteString("' ")
	}
	return fmt.Sprintf("ERR unknown command '%s', with args beginning with: %s", cString(args[0], 128), b.String())
}

// unknownSubcommandMsg is Redis's reply for an unknown subcommand of a
// container command such as COMMAND or CLIENT.
func unknownSubcommandMsg(args [][]byte) string {
	return fmt.Sprintf("ERR unknown subcommand '%s'. Try %s HELP.", cString(args[1], 128), strings.ToUpper(string(args[0])))
}
