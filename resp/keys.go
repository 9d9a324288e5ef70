package resp

import (
	"errors"

	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/tidwall/redcon"
)

// Keyspace commands: DEL, UNLINK, EXISTS, TTL, PTTL, TYPE.

func isWrongType(err error) bool { return errors.Is(err, strkv.ErrWrongType) }

// cmdDel serves DEL and UNLINK (which Aspen runs the same way: the
// metadata and any collection range go in one commit).
func cmdDel(c *client, args [][]byte) action {
	name := lowerName(args[0])
	return writeAction(func(w redcon.Conn, res [][]byte) {
		n, err := strkv.DecodeDel(res[0])
		if err != nil {
			c.replyErr(w, name, err)
			return
		}
		w.WriteInt(n)
	}, strkv.DelOp(c.db, args[1:]...))
}

func cmdExists(c *client, args [][]byte) action {
	db, keys := c.db, args[1:]
	return readAction(func(w redcon.Conn, r *strkv.Reader) {
		n, err := r.Exists(db, keys...)
		if err != nil {
			c.replyErr(w, "exists", err)
			return
		}
		w.WriteInt(n)
	})
}

// ttlAction replies with key's time to live in ms, or rounded to seconds
// as Redis rounds it.
func ttlAction(c *client, name string, key []byte, ms bool) action {
	db := c.db
	return readAction(func(w redcon.Conn, r *strkv.Reader) {
		ttl, err := r.PTTL(db, key)
		switch {
		case err != nil:
			c.replyErr(w, name, err)
		case ttl < 0 || ms:
			w.WriteInt64(ttl)
		default:
			w.WriteInt64((ttl + 500) / 1000)
		}
	})
}

func cmdTTL(c *client, args [][]byte) action { return ttlAction(c, "ttl", args[1], false) }

func cmdPTTL(c *client, args [][]byte) action { return ttlAction(c, "pttl", args[1], true) }

func cmdType(c *client, args [][]byte) action {
	db, key := c.db, args[1]
	return readAction(func(w redcon.Conn, r *strkv.Reader) {
		m, ok, err := r.Meta(db, key)
		switch {
		case err != nil:
			c.replyErr(w, "type", err)
		case !ok:
			w.WriteString("none")
		default:
			w.WriteString(m.Type.String())
		}
	})
}

// lowerName returns a command name as the table spells it.
func lowerName(name []byte) string {
	if cmd := lookup(name); cmd != nil {
		return cmd.name
	}
	return string(name)
}
