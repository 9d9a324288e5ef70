package resp

import (
	"bytes"
	"strings"

	"github.com/aspen-db/aspen/layers/strkv"
)

// Server commands: COMMAND, FLUSHDB, FLUSHALL.

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
	arity := map[string]int{"count": 2, "info": -2, "list": -2, "docs": -2}[sub]
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
	default: // docs: no documentation is kept; an empty map is valid.
		return replyAction(func(w *writer) { w.WriteArray(0) })
	}
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

// serverCommands lists this file's commands for the command table.
func serverCommands() []*command {
	return []*command{
		{name: "command", arity: -1, flags: []string{flagLoading, flagStale}, group: "connection", run: cmdCommand},
		{name: "flushall", arity: -1, flags: []string{flagWrite}, group: "keyspace", run: cmdFlushAll},
		{name: "flushdb", arity: -1, flags: []string{flagWrite}, group: "keyspace", run: cmdFlushDB},
	}
}
