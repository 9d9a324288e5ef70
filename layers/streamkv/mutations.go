package streamkv

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/internal/wire"
	"github.com/aspen-db/aspen/layers/strkv"
)

// This file registers the layer's mutation and holds the entry points:
// CmdOp for writes, Query for reads, and the event XADD emits.

// opCmd is the one mutation of this layer: a whole stream command.
const opCmd = "streamkv.cmd"

// AddTopic is the topic of the event XADD emits after adding an entry,
// and XGROUP DESTROY after removing a group (blocked XREADGROUPs must then
// fail). Its payload names the stream: decode it with DecodeKeyEvent.
const AddTopic = "streamkv.add"

// Mutations returns the deterministic operations this layer commits. The
// store must be opened with them registered (every replica alike).
func Mutations() map[string]layers.MutationFunc {
	return map[string]layers.MutationFunc{opCmd: mutCmd}
}

// CmdOp prepares the stream write command argv (argv[0] is its name:
// XADD, XDEL, XTRIM, XSETID, XGROUP, XREADGROUP, XACK, XCLAIM,
// XAUTOCLAIM; read commands are accepted too) in db. Decode its result
// with DecodeReply.
func CmdOp(db int, argv [][]byte) strkv.Mutation {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.BytesList(argv)
	return strkv.Mutation{Op: opCmd, Args: e.B}
}

func mutCmd(m layers.Mutator, args []byte) ([]byte, error) {
	d := wire.Dec{B: args}
	db := strkv.DecodeDB(&d)
	argv := d.BytesList()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("stream command: %w", err)
	}
	if len(argv) == 0 {
		return nil, fmt.Errorf("stream command: no arguments: %w", wire.ErrMalformed)
	}
	e := &env{m: m, src: m, now: m.Now().UnixMilli(), db: db}
	r, err := run(e, argv)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", bytes.ToLower(argv[0]), err)
	}
	return r.Encode(), nil
}

// Query runs the read command argv (XLEN, XRANGE, XREVRANGE, XREAD,
// XPENDING, XINFO) in db over r.
func Query(r *strkv.Reader, db int, argv [][]byte) (Reply, error) {
	if len(argv) == 0 || IsWrite(argv[0]) {
		return Reply{}, fmt.Errorf("stream query %q: not a read command", argv)
	}
	e := &env{r: r, src: r.Source(), now: r.NowMs(), db: db}
	return run(e, argv)
}

// IsWrite reports whether the command name must run as a mutation.
func IsWrite(name []byte) bool {
	switch strings.ToLower(string(name)) {
	case "xlen", "xrange", "xrevrange", "xread", "xpending", "xinfo":
		return false
	}
	return true
}

// minArgs is the least number of arguments (with the name) each command
// and subcommand reads: the protocol layer checks Redis's arity before
// proposing a command, and run refuses shorter ones as malformed rather
// than index past them.
var minArgs = map[string]int{
	"xadd": 5, "xdel": 3, "xtrim": 4, "xsetid": 3, "xgroup": 4, "xreadgroup": 7, "xread": 4,
	"xack": 4, "xclaim": 6, "xautoclaim": 6, "xlen": 2, "xrange": 4, "xrevrange": 4, "xpending": 3, "xinfo": 3,
	"xgroup create": 5, "xgroup setid": 5, "xgroup createconsumer": 5, "xgroup delconsumer": 5, "xinfo consumers": 4,
}

// run dispatches argv.
func run(e *env, argv [][]byte) (Reply, error) {
	name := strings.ToLower(string(argv[0]))
	need := minArgs[name]
	if len(argv) > 1 && (name == "xgroup" || name == "xinfo") {
		need = max(need, minArgs[name+" "+strings.ToLower(string(argv[1]))])
	}
	if len(argv) < need {
		return Reply{}, fmt.Errorf("%s with %d arguments: %w", name, len(argv), wire.ErrMalformed)
	}
	switch name {
	case "xadd":
		return e.xadd(argv)
	case "xdel":
		return e.xdel(argv)
	case "xtrim":
		return e.xtrim(argv)
	case "xsetid":
		return e.xsetid(argv)
	case "xgroup":
		return e.xgroup(argv)
	case "xreadgroup":
		return e.xread(argv, true)
	case "xread":
		return e.xread(argv, false)
	case "xack":
		return e.xack(argv)
	case "xclaim":
		return e.xclaim(argv)
	case "xautoclaim":
		return e.xautoclaim(argv)
	case "xlen":
		return e.xlen(argv)
	case "xrange":
		return e.xrange(argv, false)
	case "xrevrange":
		return e.xrange(argv, true)
	case "xpending":
		return e.xpending(argv)
	case "xinfo":
		return e.xinfo(argv)
	}
	return Reply{}, fmt.Errorf("unknown stream command %q: %w", argv[0], wire.ErrMalformed)
}

// EncodeKeyEvent returns the payload of an AddTopic event for key in db.
func EncodeKeyEvent(db int, key []byte) []byte {
	var e wire.Enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	return e.B
}

// DecodeKeyEvent reads a payload written by EncodeKeyEvent. The key
// aliases p.
func DecodeKeyEvent(p []byte) (db int, key []byte, ok bool) {
	d := wire.Dec{B: p}
	v := d.Uvarint()
	key = d.Bytes()
	if d.Done() != nil || v >= strkv.NumDBs {
		return 0, nil, false
	}
	return int(v), key, true
}

// notify announces the keyspace notification event on the stream.
func (s *stream) notify(event string) {
	strkv.NotifyKey(s.e.m, strkv.NotifyStream, event, s.e.db, s.key)
}

func notifyAdd(e *env, key []byte) {
	e.m.Notify(layers.Event{Topic: AddTopic, Payload: EncodeKeyEvent(e.db, key)})
}

// LastID returns the last id of key's stream in db (0-0 when the key is
// missing), as XREAD resolves "$". wrong reports a key of another type.
func LastID(r *strkv.Reader, db int, key []byte) (id ID, wrong bool, err error) {
	e := &env{r: r, src: r.Source(), now: r.NowMs(), db: db}
	s, wrong, err := loadStream(e, key)
	if err != nil || wrong {
		return ID{}, wrong, err
	}
	return s.hdr.last, false, nil
}

// GroupReady reports whether an XREADGROUP ... > of group on key in db
// would do anything now: deliver new entries, or fail because the key or
// the group is gone. A blocked XREADGROUP checks it before running again
// as a write, so that waiting writes nothing.
func GroupReady(r *strkv.Reader, db int, key, group []byte) (bool, error) {
	e := &env{r: r, src: r.Source(), now: r.NowMs(), db: db}
	s, wrong, err := loadStream(e, key)
	if err != nil || wrong || !s.exists {
		return true, err
	}
	g, err := s.getGroup(group)
	if err != nil || g == nil {
		return true, err
	}
	top, ok, err := s.top()
	return ok && top.Compare(g.last) > 0, err
}
