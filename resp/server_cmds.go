package resp

import (
	"bytes"
	"strings"
	"time"

	"github.com/aspen-db/aspen/layers/strkv"
)

// Server commands: COMMAND, FLUSHDB, FLUSHALL, TIME, LASTSAVE, ROLE; the
// table entries of CONFIG (config.go), INFO (info.go) and MONITOR
// (monitor.go).

// cmdCommand serves COMMAND and its COUNT, INFO, LIST and DOCS
// subcommands, enough for redis-cli and cluster-aware clients to start.
func cmdCommand(c *client, args [][]byte) action {
	if len(args) == 1 {
		return replyAction(func(w *writer) {
			w.WriteArray(len(commandTable))
			for _, cmd := range commandTable {
				writeCommandInfo(w, cmd)
			}
		})
	}
	sub := strings.ToLower(string(args[1]))
	arity := map[string]int{"count": 2, "info": -2, "list": -2, "docs": -2, "getkeys": -4}[sub]
	switch {
	case arity == 0:
		return errAction(unknownSubcommandMsg(args))
	case !arityOK(arity, len(args)):
		return errAction(arityMsg("command|" + sub))
	}
	switch sub {
	case "count":
		return replyAction(func(w *writer) { w.WriteInt(len(commandTable)) })
	case "info":
		names := args[2:]
		if len(names) == 0 {
			return cmdCommand(c, args[:1]) // every command, as Redis does
		}
		return replyAction(func(w *writer) {
			w.WriteArray(len(names))
			for _, n := range names {
				if cmd := lookup(n); cmd != nil {
					writeCommandInfo(w, cmd)
				} else {
					w.WriteNull()
				}
			}
		})
	case "list":
		if len(args) > 2 {
			return errAction(msgSyntax) // FILTERBY is not supported
		}
		return replyAction(func(w *writer) {
			w.WriteArray(len(commandTable))
			for _, cmd := range commandTable {
				w.WriteBulkString(cmd.name)
			}
		})
	case "getkeys":
		return commandGetKeys(args[2:])
	default: // docs
		var cmds []*command
		if len(args) == 2 {
			cmds = commandTable
		}
		for _, n := range args[2:] {
			if cmd := lookup(n); cmd != nil {
				cmds = append(cmds, cmd)
			}
		}
		return replyAction(func(w *writer) {
			w.WriteMap(len(cmds))
			for _, cmd := range cmds {
				w.WriteBulkString(cmd.name)
				writeCommandDocs(w, cmd)
			}
		})
	}
}

// commandGetKeys serves COMMAND GETKEYS: the keys of a command, by the
// key positions of the command table.
func commandGetKeys(args [][]byte) action {
	cmd := lookup(args[0])
	switch {
	case cmd == nil:
		return errAction("ERR Invalid command specified")
	case cmd.firstKey == 0:
		return errAction("ERR The command has no key arguments")
	case !arityOK(cmd.arity, len(args)):
		return errAction("ERR Invalid number of arguments specified for command")
	}
	last := cmd.lastKey
	if last < 0 {
		last += len(args)
	}
	step := max(cmd.step, 1)
	var keys [][]byte
	for i := cmd.firstKey; i <= last && i < len(args); i += step {
		keys = append(keys, args[i])
	}
	if len(keys) == 0 {
		return errAction("ERR Invalid arguments specified for command")
	}
	return replyAction(func(w *writer) {
		w.WriteArray(len(keys))
		for _, k := range keys {
			w.WriteBulk(k)
		}
	})
}

// docGroups maps the command table's groups to the group names of
// COMMAND DOCS, where they differ.
var docGroups = map[string]string{
	"keyspace":    "generic",
	"sortedset":   "sorted-set",
	"transaction": "transactions",
	"pubsub":      "pubsub",
}

// commandSummaries are COMMAND DOCS' one-line descriptions, in Aspen's own
// words; a command without one gets a generic line.
var commandSummaries = map[string]string{
	"auth":     "Authenticates the connection",
	"client":   "Inspects and manages client connections",
	"command":  "Describes the server's commands",
	"config":   "Reads and changes server settings",
	"dbsize":   "Counts the keys of the selected database",
	"del":      "Removes keys",
	"echo":     "Returns its argument",
	"exists":   "Counts how many of the given keys exist",
	"expire":   "Sets a key's time to live in seconds",
	"flushall": "Removes every key of every database",
	"flushdb":  "Removes every key of the selected database",
	"get":      "Returns the string value of a key",
	"hello":    "Chooses the protocol version and describes the server",
	"incr":     "Adds one to the integer value of a key",
	"info":     "Reports server information and statistics",
	"keys":     "Lists the keys matching a pattern",
	"lastsave": "Returns the Unix time of the last save",
	"mget":     "Returns the values of several keys",
	"monitor":  "Streams every command the server runs",
	"mset":     "Sets several keys",
	"ping":     "Checks that the server answers",
	"quit":     "Closes the connection",
	"role":     "Reports the node's replication role",
	"scan":     "Iterates over the keys of the selected database",
	"select":   "Switches to another database",
	"set":      "Sets the string value of a key",
	"time":     "Returns the server's clock",
	"ttl":      "Returns a key's time to live in seconds",
	"type":     "Returns the type of a key's value",
}

// writeCommandDocs writes one command's COMMAND DOCS map: summary, group
// and (empty) arguments, enough for redis-cli's hints.
func writeCommandDocs(w *writer, cmd *command) {
	summary, ok := commandSummaries[cmd.name]
	if !ok {
		summary = "The " + strings.ToUpper(cmd.name) + " command"
	}
	group, ok := docGroups[cmd.group]
	if !ok {
		group = cmd.group
	}
	w.WriteMap(3)
	w.WriteBulkString("summary")
	w.WriteBulkString(summary)
	w.WriteBulkString("group")
	w.WriteBulkString(group)
	w.WriteBulkString("arguments")
	w.WriteArray(0)
}

// writeCommandInfo writes one command in COMMAND's Redis 7 shape: name,
// arity, flags, first key, last key, step, ACL categories, tips, key specs,
// subcommands.
func writeCommandInfo(w *writer, cmd *command) {
	w.WriteArray(10)
	w.WriteBulkString(cmd.name)
	w.WriteInt(cmd.arity)
	w.WriteArray(len(cmd.flags))
	for _, f := range cmd.flags {
		w.WriteString(f)
	}
	w.WriteInt(cmd.firstKey)
	w.WriteInt(cmd.lastKey)
	w.WriteInt(cmd.step)
	cats := aclCategories(cmd)
	w.WriteArray(len(cats))
	for _, c := range cats {
		w.WriteString(c)
	}
	w.WriteArray(0) // tips
	w.WriteArray(0) // key specs
	w.WriteArray(0) // subcommands
}

// aclCategories derives a command's ACL categories from its flags and
// group.
func aclCategories(cmd *command) []string {
	var cats []string
	fast := false
	for _, f := range cmd.flags {
		switch f {
		case flagWrite:
			cats = append(cats, "@write")
		case flagReadonly:
			cats = append(cats, "@read")
		case flagFast:
			fast = true
		}
	}
	cats = append(cats, "@"+cmd.group)
	if hasFlag(cmd, flagAdmin) {
		cats = append(cats, "@admin", "@dangerous")
	}
	if fast {
		cats = append(cats, "@fast")
	} else {
		cats = append(cats, "@slow")
	}
	return cats
}

// flushArgsOK accepts FLUSHDB/FLUSHALL with no argument, SYNC or ASYNC
// (Aspen's flush is one range delete either way).
func flushArgsOK(args [][]byte) bool {
	return len(args) == 1 ||
		(len(args) == 2 && (bytes.EqualFold(args[1], []byte("sync")) || bytes.EqualFold(args[1], []byte("async"))))
}

func cmdFlushDB(c *client, args [][]byte) action {
	if !flushArgsOK(args) {
		return errAction(msgSyntax)
	}
	return writeAction(func(w *writer, res [][]byte) { w.WriteString("OK") }, strkv.FlushOp(c.db))
}

func cmdFlushAll(c *client, args [][]byte) action {
	if !flushArgsOK(args) {
		return errAction(msgSyntax)
	}
	return writeAction(func(w *writer, res [][]byte) { w.WriteString("OK") }, strkv.FlushOp(-1))
}

// cmdTime serves TIME: this node's clock, in seconds and microseconds.
func cmdTime(c *client, args [][]byte) action {
	return replyAction(func(w *writer) {
		sec, usec := formatUnix(time.Now())
		w.WriteArray(2)
		w.WriteBulkString(sec)
		w.WriteBulkString(usec)
	})
}

// cmdLastSave serves LASTSAVE. Aspen makes every write durable as it
// commits, with no snapshots; it reports the time the server started.
func cmdLastSave(c *client, args [][]byte) action {
	at := c.s.ext.started.Unix()
	return replyAction(func(w *writer) { w.WriteInt64(at) })
}

// cmdRole serves ROLE: "master" on the Raft leader, "slave" on the other
// nodes (which do not know the leader's Redis address; they report an
// empty host and port 0).
func cmdRole(c *client, args [][]byte) action {
	leader := c.s.isLeader()
	return replyAction(func(w *writer) {
		if leader {
			w.WriteArray(3)
			w.WriteBulkString("master")
			w.WriteInt(0)
			w.WriteArray(0)
			return
		}
		w.WriteArray(5)
		w.WriteBulkString("slave")
		w.WriteBulkString("")
		w.WriteInt(0)
		w.WriteBulkString("connected")
		w.WriteInt(0)
	})
}

// serverCommands lists this file's commands for the command table.
func serverCommands() []*command {
	return []*command{
		{name: "command", arity: -1, flags: []string{flagLoading, flagStale}, group: "connection", run: cmdCommand},
		{name: "config", arity: -2, flags: []string{flagAdmin, flagNoScript, flagLoading, flagStale}, group: "server", run: cmdConfig},
		{name: "info", arity: -1, flags: []string{flagLoading, flagStale}, group: "server", run: cmdInfo},
		{name: "lastsave", arity: 1, flags: []string{flagLoading, flagStale, flagFast}, group: "server", run: cmdLastSave},
		{name: "monitor", arity: 1, flags: []string{flagAdmin, flagNoScript, flagLoading, flagStale}, group: "server", run: cmdMonitor},
		{name: "role", arity: 1, flags: []string{flagNoScript, flagLoading, flagStale, flagFast}, group: "server", run: cmdRole},
		{name: "time", arity: 1, flags: []string{flagLoading, flagStale, flagFast}, group: "server", run: cmdTime},
		{name: "flushall", arity: -1, flags: []string{flagWrite}, group: "keyspace", run: cmdFlushAll},
		{name: "flushdb", arity: -1, flags: []string{flagWrite}, group: "keyspace", run: cmdFlushDB},
	}
}
