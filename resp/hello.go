package resp

import (
	"bytes"
	"crypto/subtle"
	"fmt"

	"github.com/aspen-db/aspen/layers/strkv"
)

// HELLO and AUTH, and the checks plan makes before a command runs
// (NOAUTH). Aspen has one user, "default", as Redis without ACL rules: it
// needs no password unless requirepass is set (CONFIG SET requirepass,
// --resp-password).

// Command flags of the connection commands, as COMMAND reports them.
const (
	flagNoAuth    = "no_auth"
	flagAllowBusy = "allow_busy"
	flagAdmin     = "admin"
)

// Version is the Redis version Aspen reports (HELLO, INFO): the one whose
// replies it reproduces.
const Version = "7.0.15"

const (
	msgNoAuth    = "NOAUTH Authentication required."
	msgWrongPass = "WRONGPASS invalid username-password pair or user is disabled."
	msgNoPass    = "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"
	msgHelloAuth = "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"
	msgReplica   = "ERR Replica can't interact with the keyspace"
)

// hasFlag reports whether cmd has flag f.
func hasFlag(cmd *command, f string) bool {
	for _, g := range cmd.flags {
		if g == f {
			return true
		}
	}
	return false
}

// refuse returns the error a command gets before it runs, as Redis checks
// after the name and arity: NOAUTH while a password is required and the
// connection has not authenticated, and a monitor's keyspace commands; ""
// lets the command run.
func (c *client) refuse(cmd *command) string {
	if c.authRequired() && !hasFlag(cmd, flagNoAuth) {
		return msgNoAuth
	}
	if c.ext.monitor.Load() && (hasFlag(cmd, flagReadonly) || hasFlag(cmd, flagWrite)) {
		return msgReplica
	}
	return ""
}

// authRequired reports whether the connection must authenticate before
// commands other than AUTH, HELLO, QUIT and RESET. As in Redis, a
// connection made while no password was required stays authenticated
// when one is set later.
func (c *client) authRequired() bool {
	return !c.ext.authed && c.s.ext.cfg.requirePass() != ""
}

// checkPassword reports whether user and pass authenticate as the default
// user, comparing the password in constant time. With no password
// configured, the default user takes any password.
func (s *Server) checkPassword(user, pass []byte) bool {
	if string(user) != "default" {
		return false
	}
	want := s.ext.cfg.requirePass()
	if want == "" {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(want), pass) == 1
}

// cmdAuth serves AUTH [username] password.
func cmdAuth(c *client, args [][]byte) action {
	if len(args) > 3 {
		return errAction(msgSyntax)
	}
	if c.inExec {
		return errAction(msgNotInExec)
	}
	user, pass := []byte("default"), args[1]
	if len(args) == 3 {
		user, pass = args[1], args[2]
	} else if c.s.ext.cfg.requirePass() == "" {
		return errAction(msgNoPass)
	}
	if !c.s.checkPassword(user, pass) {
		return errAction(msgWrongPass)
	}
	c.ext.authed = true
	return okAction()
}

// cmdHello serves HELLO [protover [AUTH username password] [SETNAME
// name]]: it authenticates, names the connection and switches its
// protocol, then replies with the server's description in the new
// protocol.
func cmdHello(c *client, args [][]byte) action {
	if c.inExec {
		return errAction(msgNotInExec)
	}
	ver := int64(0)
	next := 1
	if len(args) >= 2 {
		v, ok := strkv.ParseInt(args[1])
		if !ok {
			return errAction("ERR Protocol version is not an integer or out of range")
		}
		if v < 2 || v > 3 {
			return errAction("NOPROTO unsupported protocol version")
		}
		ver = v
		next = 2
	}
	var user, pass, name []byte
	setName := false
	for j := next; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case bytes.EqualFold(args[j], []byte("auth")) && more >= 2:
			user, pass = args[j+1], args[j+2]
			j += 2
		case bytes.EqualFold(args[j], []byte("setname")) && more >= 1:
			name = args[j+1]
			if !validClientName(name) {
				return errAction("ERR Client names cannot contain spaces, newlines or special characters.")
			}
			setName = true
			j++
		default:
			return errAction(fmt.Sprintf("ERR Syntax error in HELLO option '%s'", cString(args[j], 128)))
		}
	}
	if user != nil {
		if !c.s.checkPassword(user, pass) {
			return errAction(msgWrongPass)
		}
		c.ext.authed = true
	}
	if c.authRequired() {
		return errAction(msgHelloAuth)
	}
	if setName {
		c.name = string(name)
	}
	if ver != 0 {
		// The replies planned before HELLO were written into c.w already
		// or will be by actions that hold their own writer: switch the
		// writer when this reply is written, so that they keep their
		// protocol and the reply is in the new one.
		resp3 := ver == 3
		id, role := c.id, helloRole(c.s)
		return replyAction(func(w *writer) {
			w.resp3 = resp3
			writeHello(w, id, ver, role)
		})
	}
	id, role := c.id, helloRole(c.s)
	return replyAction(func(w *writer) {
		proto := int64(2)
		if w.resp3 {
			proto = 3
		}
		writeHello(w, id, proto, role)
	})
}

// writeHello writes HELLO's reply.
func writeHello(w *writer, id, proto int64, role string) {
	w.WriteMap(7)
	w.WriteBulkString("server")
	w.WriteBulkString("redis")
	w.WriteBulkString("version")
	w.WriteBulkString(Version)
	w.WriteBulkString("proto")
	w.WriteInt64(proto)
	w.WriteBulkString("id")
	w.WriteInt64(id)
	w.WriteBulkString("mode")
	w.WriteBulkString("standalone")
	w.WriteBulkString("role")
	w.WriteBulkString(role)
	w.WriteBulkString("modules")
	w.WriteArray(0)
}

// isLeader reports whether this node is the Raft leader, which Aspen
// reports as Redis's master role; a store that is not replicated counts as
// leader.
func (s *Server) isLeader() bool {
	if s.strs == nil {
		return true
	}
	l, ok := s.strs.KV().(interface{ IsLeader() bool })
	return !ok || l.IsLeader()
}

// helloRole is the role HELLO reports: "master" or "replica".
func helloRole(s *Server) string {
	if s.isLeader() {
		return "master"
	}
	return "replica"
}
