package resp

import (
	"fmt"
	"math"
	"strings"

	"github.com/aspen-db/aspen/layers/strkv"
)

// Connection commands: PING, ECHO, SELECT, QUIT, CLIENT.

func cmdPing(c *client, args [][]byte) action {
	switch len(args) {
	case 1:
		return replyAction(func(w *writer) { w.WriteString("PONG") })
	case 2:
		msg := args[1]
		return replyAction(func(w *writer) { w.WriteBulk(msg) })
	default:
		return errAction(arityMsg("ping"))
	}
}

func cmdEcho(c *client, args [][]byte) action {
	msg := args[1]
	return replyAction(func(w *writer) { w.WriteBulk(msg) })
}

// cmdSelect switches the connection's database. It takes effect for the
// commands planned after it, which is exactly the commands sent after it.
func cmdSelect(c *client, args [][]byte) action {
	id, ok := strkv.ParseInt(args[1])
	switch {
	case !ok:
		return errAction(msgNotInteger)
	case id < math.MinInt32 || id > math.MaxInt32:
		return errAction(fmt.Sprintf("ERR value is out of range, value must between %d and %d", math.MinInt32, math.MaxInt32))
	case id < 0 || id >= strkv.NumDBs:
		return errAction(msgDBRange)
	}
	c.db = int(id)
	return okAction()
}

func cmdQuit(c *client, args [][]byte) action {
	c.quit = true
	return okAction()
}

// cmdClient serves the CLIENT subcommands clients send on connect.
func cmdClient(c *client, args [][]byte) action {
	sub := strings.ToLower(string(args[1]))
	arity := map[string]int{"id": 2, "getname": 2, "setname": 3, "setinfo": 4}[sub]
	switch {
	case arity == 0:
		return errAction(unknownSubcommandMsg(args))
	case len(args) != arity:
		return errAction(arityMsg("client|" + sub))
	}
	switch sub {
	case "id":
		id := c.id
		return replyAction(func(w *writer) { w.WriteInt64(id) })
	case "getname":
		name := c.name
		return replyAction(func(w *writer) {
			if name == "" {
				w.WriteNull()
			} else {
				w.WriteBulkString(name)
			}
		})
	case "setname":
		if !validClientName(args[2]) {
			return errAction("ERR Client names cannot contain spaces, newlines or special characters.")
		}
		c.name = string(args[2])
		return okAction()
	default: // setinfo
		attr := strings.ToLower(string(args[2]))
		if attr != "lib-name" && attr != "lib-ver" {
			return errAction(fmt.Sprintf("ERR Unrecognized option '%s'", cString(args[2], 128)))
		}
		if !validClientName(args[3]) {
			return errAction(fmt.Sprintf("ERR %s cannot contain spaces, newlines or special characters.", attr))
		}
		return okAction()
	}
}

// validClientName reports whether name has only printable ASCII other than
// space, as Redis requires.
func validClientName(name []byte) bool {
	for _, b := range name {
		if b < '!' || b > '~' {
			return false
		}
	}
	return true
}

// connectionCommands lists this file's commands for the command table.
func connectionCommands() []*command {
	return []*command{
		{name: "client", arity: -2, flags: []string{flagNoScript, flagLoading, flagStale}, group: "connection", run: cmdClient},
		{name: "echo", arity: 2, flags: []string{flagFast}, group: "connection", run: cmdEcho},
		{name: "ping", arity: -1, flags: []string{flagFast}, group: "connection", run: cmdPing},
		{name: "quit", arity: -1, flags: []string{flagNoScript, flagLoading, flagStale, flagFast}, group: "connection", run: cmdQuit},
		{name: "select", arity: 2, flags: []string{flagLoading, flagStale, flagFast}, group: "connection", run: cmdSelect},
	}
}
