package streamkv

import (
	"bytes"
)

// This file holds the consumer group commands: XGROUP, XREAD and
// XREADGROUP, XACK, XCLAIM and XAUTOCLAIM.

// Error replies of the group commands.
const (
	msgEntriesRead = "ERR value for ENTRIESREAD must be positive or -1"
	msgNoKeyGroup  = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."
)

func noGroupKey(key, g []byte) Reply {
	return ferr("NOGROUP No such key '%s' or consumer group '%s'", cstr(key), cstr(g))
}

// xgroup serves XGROUP CREATE, SETID, DESTROY, CREATECONSUMER and
// DELCONSUMER (the protocol layer checks the subcommand and its arity).
func (e *env) xgroup(argv [][]byte) (Reply, error) {
	sub := argv[1]
	mkstream := false
	entriesRead := int64(invalidEntriesRead)
	if is(sub, "create") {
		for i := 5; i < len(argv); {
			switch {
			case is(argv[i], "mkstream"):
				mkstream = true
				i++
			case is(argv[i], "entriesread") && i+1 < len(argv):
				v, r := parseLL(argv[i+1], msgNotInteger)
				if r != nil {
					return *r, nil
				}
				if v < 0 && v != invalidEntriesRead {
					return errReply(msgEntriesRead), nil
				}
				entriesRead = v
				i += 2
			default:
				return ferr("ERR unknown subcommand or wrong number of arguments for '%s'. Try XGROUP HELP.", cstr(sub)), nil
			}
		}
	}
	key, gname := argv[2], argv[3]
	s, wrong, err := loadStream(e, key)
	switch {
	case err != nil:
		return Reply{}, err
	case wrong:
		return wrongType, nil
	case !s.exists && !mkstream:
		return errReply(msgNoKeyGroup), nil
	}
	g, err := s.getGroup(gname)
	if err != nil {
		return Reply{}, err
	}
	if g == nil && (is(sub, "setid") || is(sub, "createconsumer") || is(sub, "delconsumer")) {
		return ferr("NOGROUP No such consumer group '%s' for key name '%s'", cstr(gname), cstr(key)), nil
	}
	switch {
	case is(sub, "create") && len(argv) <= 8:
		var id ID
		if bytes.Equal(argv[4], []byte("$")) {
			id = s.hdr.last // 0-0 for a stream about to be made
		} else {
			var ok bool
			if id, ok = parseStrictID(argv[4]); !ok {
				return invalidID, nil
			}
		}
		if g != nil {
			return errReply("BUSYGROUP Consumer Group name already exists"), nil
		}
		if !s.exists {
			if err := s.create(); err != nil {
				return Reply{}, err
			}
		}
		s.putGroup(&group{name: gname, last: id, entriesRead: entriesRead})
		s.hdr.ngroups++
		if err := s.save(); err != nil {
			return Reply{}, err
		}
		s.notify("xgroup-create")
		return okReply, nil
	case is(sub, "setid") && (len(argv) == 5 || len(argv) == 7):
		var id ID
		if bytes.Equal(argv[4], []byte("$")) {
			id = s.hdr.last
		} else {
			var ok bool
			if id, ok = parseID(argv[4], 0, false, nil); !ok {
				return invalidID, nil
			}
		}
		if len(argv) == 7 {
			if !is(argv[5], "entriesread") {
				return ferr("ERR unknown subcommand or wrong number of arguments for '%s'. Try XGROUP HELP.", cstr(sub)), nil
			}
			v, r := parseLL(argv[6], msgNotInteger)
			if r != nil {
				return *r, nil
			}
			if v < 0 && v != invalidEntriesRead {
				return errReply(msgEntriesRead), nil
			}
			entriesRead = v
		}
		g.last, g.entriesRead = id, entriesRead
		s.putGroup(g)
		s.notify("xgroup-setid")
		return okReply, nil
	case is(sub, "destroy"):
		if g == nil {
			return integer(0), nil
		}
		s.destroyGroup(g)
		if err := s.save(); err != nil {
			return Reply{}, err
		}
		notifyAdd(e, key) // wakes the XREADGROUPs blocked on the group
		s.notify("xgroup-destroy")
		return integer(1), nil
	case is(sub, "createconsumer"):
		c, err := s.getConsumer(g, argv[4])
		if err != nil || c != nil {
			return integer(0), err
		}
		s.putConsumer(g, &consumer{name: argv[4], seen: e.now})
		s.notify("xgroup-createconsumer")
		return integer(1), nil
	case is(sub, "delconsumer"):
		c, err := s.getConsumer(g, argv[4])
		if err != nil || c == nil {
			return integer(0), err
		}
		n, err := s.deleteConsumer(g, c)
		if err != nil {
			return Reply{}, err
		}
		s.putGroup(g)
		s.notify("xgroup-delconsumer")
		return integer(int64(n)), nil
	}
	return ferr("ERR unknown subcommand or wrong number of arguments for '%s'. Try XGROUP HELP.", cstr(sub)), nil
}

func parseIntOK(arg []byte) (int64, bool) {
	v, r := parseLL(arg, "")
	return v, r == nil
}

// ReadArgs are XREAD's and XREADGROUP's parsed options.
type ReadArgs struct {
	// Group and Consumer are set for XREADGROUP.
	Group, Consumer []byte
	// Count is COUNT (0: no limit).
	Count int64
	// Block is BLOCK in milliseconds, -1 when not given (0: forever).
	Block int64
	// NoAck is NOACK.
	NoAck bool
	// Keys and IDs are the STREAMS arguments.
	Keys, IDs [][]byte
}

// ParseRead parses XREAD (group false) or XREADGROUP arguments, as far as
// Redis does before it looks at any key. nowMs is the clock BLOCK's
// range check uses. On a syntax error it returns the error reply.
func ParseRead(argv [][]byte, group bool, nowMs int64) (ReadArgs, *Reply) {
	a := ReadArgs{Block: -1}
	streamsArg := 0
	for i := 1; i < len(argv); i++ {
		more := len(argv) - i - 1
		o := argv[i]
		switch {
		case is(o, "block") && more > 0:
			i++
			v, r := parseLL(argv[i], "ERR timeout is not an integer or out of range")
			if r != nil {
				return a, r
			}
			if v < 0 {
				return a, errp("ERR timeout is negative")
			}
			if v > 0 && v > (1<<63-1)-nowMs {
				return a, errp("ERR timeout is out of range")
			}
			a.Block = v
		case is(o, "count") && more > 0:
			i++
			v, r := parseLL(argv[i], msgNotInteger)
			if r != nil {
				return a, r
			}
			a.Count = max(v, 0)
		case is(o, "streams") && more > 0:
			streamsArg = i + 1
			n := len(argv) - streamsArg
			if n%2 != 0 {
				return a, errp(msgUnbalanced)
			}
			a.Keys = argv[streamsArg : streamsArg+n/2]
			a.IDs = argv[streamsArg+n/2:]
			i = len(argv)
		case is(o, "group") && more >= 2:
			if !group {
				return a, errp("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.")
			}
			a.Group, a.Consumer = argv[i+1], argv[i+2]
			i += 2
		case is(o, "noack"):
			if !group {
				return a, errp("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.")
			}
			a.NoAck = true
		default:
			return a, errp(msgSyntax)
		}
	}
	if streamsArg == 0 {
		return a, errp(msgSyntax)
	}
	if group && a.Group == nil {
		return a, errp("ERR Missing GROUP option for XREADGROUP")
	}
	return a, nil
}

// msgUnbalanced is Redis 7.0's reply (XREADGROUP's too) to a STREAMS
// list with an odd number of arguments.
const msgUnbalanced = "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."

// xread serves XREAD and XREADGROUP. A BLOCK option is checked but not
// waited for: the protocol layer waits and runs the command again.
func (e *env) xread(argv [][]byte, isGroup bool) (Reply, error) {
	a, rep := ParseRead(argv, isGroup, e.now)
	if rep != nil {
		return *rep, nil
	}
	n := len(a.Keys)
	ids := make([]ID, n)
	ss := make([]*stream, n)
	gs := make([]*group, n)
	for i := range n {
		s, wrong, err := loadStream(e, a.Keys[i])
		if err != nil {
			return Reply{}, err
		}
		if wrong {
			return wrongType, nil
		}
		ss[i] = s
		if isGroup {
			g, err := s.getGroup(a.Group)
			if err != nil {
				return Reply{}, err
			}
			if g == nil {
				return ferr("NOGROUP No such key '%s' or consumer group '%s' in XREADGROUP with GROUP option", cstr(a.Keys[i]), cstr(a.Group)), nil
			}
			gs[i] = g
		}
		switch arg := a.IDs[i]; {
		case bytes.Equal(arg, []byte("$")):
			if isGroup {
				return errReply("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set."), nil
			}
			ids[i] = s.hdr.last
		case bytes.Equal(arg, []byte(">")):
			if !isGroup {
				return errReply("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."), nil
			}
			ids[i] = MaxID
		default:
			id, ok := parseStrictID(arg)
			if !ok {
				return invalidID, nil
			}
			ids[i] = id
		}
	}
	var out []Reply
	var seen map[string]bool // keys served so far, when several
	for i := range n {
		s := ss[i]
		if !s.exists {
			continue
		}
		g := gs[i]
		dup := false
		if isGroup && n > 1 {
			if seen == nil {
				seen = make(map[string]bool, n)
			}
			dup = seen[string(a.Keys[i])]
			seen[string(a.Keys[i])] = true
		}
		if dup {
			// An earlier stream of this command is the same key: read
			// what it wrote.
			var err error
			if s, _, err = loadStream(e, a.Keys[i]); err != nil {
				return Reply{}, err
			}
			if g, err = s.getGroup(a.Group); err != nil {
				return Reply{}, err
			}
		}
		gt := ids[i]
		serve, history := false, false
		var cons *consumer
		if isGroup {
			var err error
			if gt != MaxID {
				serve, history = true, true
			} else if s.hdr.length > 0 {
				top, _, err := s.top()
				if err != nil {
					return Reply{}, err
				}
				if top.Compare(g.last) > 0 {
					serve, gt = true, g.last
				}
			}
			if cons, err = s.lookupConsumer(g, a.Consumer); err != nil {
				return Reply{}, err
			}
		} else if s.hdr.length > 0 {
			top, _, err := s.top()
			if err != nil {
				return Reply{}, err
			}
			serve = top.Compare(gt) > 0
		}
		if !serve {
			if g != nil {
				s.putConsumer(g, cons)
			}
			continue
		}
		start, ok := gt.Incr()
		if !ok {
			start = ID{}
		}
		var entries Reply
		var err error
		switch {
		case history:
			entries, err = s.serveHistory(g, cons, start, a.Count)
		case isGroup:
			entries, err = s.serveGroup(g, cons, start, a.Count, a.NoAck)
		default:
			var es []entry
			es, err = s.rangeEntries(start, MaxID, a.Count, false)
			entries = entriesReply(es)
		}
		if err != nil {
			return Reply{}, err
		}
		if g != nil {
			s.putGroup(g)
			s.putConsumer(g, cons)
		}
		out = append(out, bulk(a.Keys[i]), entries)
	}
	if len(out) == 0 {
		return nullArray, nil
	}
	return Reply{Kind: KindPairs, Elems: out}, nil
}

// entryReply is [id, [field, value, ...]].
func entryReply(x entry) Reply {
	fv := make([]Reply, len(x.fields))
	for i, f := range x.fields {
		fv[i] = bulk(f)
	}
	return array([]Reply{idReply(x.id), array(fv)})
}

func entriesReply(es []entry) Reply {
	out := make([]Reply, len(es))
	for i, x := range es {
		out[i] = entryReply(x)
	}
	return array(out)
}

// rangeHasTombstones is Redis's streamRangeHasTombstones from start to
// the end of the stream.
func (s *stream) rangeHasTombstones(start ID) bool {
	h := s.hdr
	if h.length == 0 || h.maxDel.IsZero() {
		return false
	}
	if h.first.Compare(h.maxDel) > 0 {
		return false
	}
	return start.Compare(h.maxDel) <= 0
}

// estimateDistance is Redis's streamEstimateDistanceFromFirstEverEntry.
func (s *stream) estimateDistance(id ID) int64 {
	h := s.hdr
	if h.added == 0 {
		return 0
	}
	if h.length == 0 && id.Compare(h.last) < 1 {
		return int64(h.added)
	}
	switch c := id.Compare(h.last); {
	case c == 0:
		return int64(h.added)
	case c > 0:
		return invalidEntriesRead
	}
	cmpFirst := id.Compare(h.first)
	if h.maxDel.IsZero() || h.maxDel.Compare(h.first) < 0 {
		if cmpFirst < 0 {
			return int64(h.added - h.length)
		} else if cmpFirst == 0 {
			return int64(h.added-h.length) + 1
		}
	}
	return invalidEntriesRead
}

// lag is the reply Redis's streamReplyWithCGLag gives for g.
func (s *stream) lag(g *group) Reply {
	switch {
	case s.hdr.added == 0:
		return integer(0)
	case g.entriesRead != invalidEntriesRead && !s.rangeHasTombstones(g.last):
		return integer(int64(s.hdr.added) - g.entriesRead)
	}
	if r := s.estimateDistance(g.last); r != invalidEntriesRead {
		return integer(int64(s.hdr.added) - r)
	}
	return nullBulk
}

// serveGroup delivers new entries from start to cons (XREADGROUP >).
func (s *stream) serveGroup(g *group, cons *consumer, start ID, count int64, noack bool) (Reply, error) {
	es, err := s.rangeEntries(start, MaxID, count, false)
	if err != nil {
		return Reply{}, err
	}
	now := s.e.now
	for _, x := range es {
		if x.id.Compare(g.last) > 0 {
			if g.entriesRead != invalidEntriesRead && !s.rangeHasTombstones(x.id) {
				g.entriesRead++
			} else if s.hdr.added != 0 {
				g.entriesRead = s.estimateDistance(x.id)
			}
			g.last = x.id
		}
		if noack {
			continue
		}
		var n *nack
		if x.id.Compare(g.pelMax) <= 0 {
			if n, err = s.getNack(g, x.id); err != nil {
				return Reply{}, err
			}
		} else {
			g.pelMax = x.id
		}
		if n == nil {
			n = &nack{id: x.id, consumer: cons.name}
			g.pending++
			s.e.set(s.cpelKey(g.name, cons.name, x.id), nil)
		} else if !bytes.Equal(n.consumer, cons.name) {
			s.e.m.Delete(s.cpelKey(g.name, n.consumer, x.id))
			n.consumer = cons.name
			s.e.set(s.cpelKey(g.name, cons.name, x.id), nil)
		}
		n.time, n.count = now, 1
		s.putNack(g, n)
	}
	return entriesReply(es), nil
}

// serveHistory replies with cons's pending entries from start
// (XREADGROUP with an id), counting a new delivery of each.
func (s *stream) serveHistory(g *group, cons *consumer, start ID, count int64) (Reply, error) {
	ns, err := s.pelRange(g, cons.name, start, MaxID, count, nil)
	if err != nil {
		return Reply{}, err
	}
	out := make([]Reply, 0, len(ns))
	for _, n := range ns {
		fv, ok, err := s.getEntry(n.id)
		if err != nil {
			return Reply{}, err
		}
		if !ok {
			out = append(out, array([]Reply{idReply(n.id), nullArray}))
			continue
		}
		out = append(out, entryReply(entry{n.id, fv}))
		n.time = s.e.now
		n.count++
		s.putNack(g, n)
	}
	return array(out), nil
}

// loadGroupFor loads key and group for XACK, XCLAIM and XAUTOCLAIM: g is
// nil when the key or the group is missing.
func (e *env) loadGroupFor(key, gname []byte) (*stream, *group, *Reply, error) {
	s, wrong, err := loadStream(e, key)
	if err != nil {
		return nil, nil, nil, err
	}
	if wrong {
		return nil, nil, &wrongType, nil
	}
	g, err := s.getGroup(gname)
	return s, g, nil, err
}

// xack serves XACK key group id [id ...].
func (e *env) xack(argv [][]byte) (Reply, error) {
	s, g, rep, err := e.loadGroupFor(argv[1], argv[2])
	if err != nil || rep != nil {
		return deref(rep), err
	}
	if g == nil {
		return integer(0), nil
	}
	ids := make([]ID, 0, len(argv)-3)
	for _, arg := range argv[3:] {
		id, ok := parseStrictID(arg)
		if !ok {
			return invalidID, nil
		}
		ids = append(ids, id)
	}
	var n int64
	for _, id := range ids {
		nk, err := s.getNack(g, id)
		if err != nil {
			return Reply{}, err
		}
		if nk == nil {
			continue
		}
		if err := s.removeNack(g, nk); err != nil {
			return Reply{}, err
		}
		n++
	}
	if n > 0 {
		s.putGroup(g)
	}
	return integer(n), nil
}

func deref(r *Reply) Reply {
	if r == nil {
		return Reply{}
	}
	return *r
}

// claim moves pending entry n to cons with the given delivery time; it
// increments the delivery count unless justid, or sets it to retry (>= 0).
func (s *stream) claim(g *group, cons *consumer, n *nack, at int64, retry int64, justid bool) error {
	if !bytes.Equal(n.consumer, cons.name) {
		if n.consumer != nil {
			s.e.m.Delete(s.cpelKey(g.name, n.consumer, n.id))
		}
		s.e.set(s.cpelKey(g.name, cons.name, n.id), nil)
		n.consumer = cons.name
	}
	n.time = at
	switch {
	case retry >= 0:
		n.count = uint64(retry)
	case !justid:
		n.count++
	}
	s.putNack(g, n)
	return nil
}

// xclaim serves XCLAIM key group consumer min-idle-time id [id ...]
// [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id].
func (e *env) xclaim(argv [][]byte) (Reply, error) {
	s, g, rep, err := e.loadGroupFor(argv[1], argv[2])
	if err != nil || rep != nil {
		return deref(rep), err
	}
	if g == nil {
		return noGroupKey(argv[1], argv[2]), nil
	}
	minidle, r := parseLL(argv[4], "ERR Invalid min-idle-time argument for XCLAIM")
	if r != nil {
		return *r, nil
	}
	minidle = max(minidle, 0)
	j := 5
	for ; j < len(argv); j++ {
		if _, ok := parseStrictID(argv[j]); !ok {
			break
		}
	}
	lastIDArg := j - 1
	now := e.now
	retry, delivery := int64(-1), int64(-1)
	force, justid := false, false
	var lastID ID
	for ; j < len(argv); j++ {
		more := len(argv) - 1 - j
		opt := argv[j]
		switch {
		case is(opt, "force"):
			force = true
		case is(opt, "justid"):
			justid = true
		case is(opt, "idle") && more > 0:
			j++
			v, r := parseLL(argv[j], "ERR Invalid IDLE option argument for XCLAIM")
			if r != nil {
				return *r, nil
			}
			delivery = now - v
		case is(opt, "time") && more > 0:
			j++
			v, r := parseLL(argv[j], "ERR Invalid TIME option argument for XCLAIM")
			if r != nil {
				return *r, nil
			}
			delivery = v
		case is(opt, "retrycount") && more > 0:
			j++
			v, r := parseLL(argv[j], "ERR Invalid RETRYCOUNT option argument for XCLAIM")
			if r != nil {
				return *r, nil
			}
			retry = v
		case is(opt, "lastid") && more > 0:
			j++
			id, ok := parseStrictID(argv[j])
			if !ok {
				return invalidID, nil
			}
			lastID = id
		default:
			return ferr("ERR Unrecognized XCLAIM option '%s'", cstr(opt)), nil
		}
	}
	if lastID.Compare(g.last) > 0 {
		g.last = lastID
	}
	if delivery != -1 {
		if delivery < 0 || delivery > now {
			delivery = now
		}
	} else {
		delivery = now
	}
	var cons *consumer
	out := make([]Reply, 0, min(lastIDArg-4, 1024))
	for k := 5; k <= lastIDArg; k++ {
		id, _ := parseStrictID(argv[k])
		n, err := s.getNack(g, id)
		if err != nil {
			return Reply{}, err
		}
		fv, exists, err := s.getEntry(id)
		if err != nil {
			return Reply{}, err
		}
		if !exists {
			if n != nil {
				if err := s.removeNack(g, n); err != nil {
					return Reply{}, err
				}
			}
			continue
		}
		if force && n == nil {
			n = &nack{id: id, time: now, count: 1}
			g.pending++
			if id.Compare(g.pelMax) > 0 {
				g.pelMax = id
			}
		}
		if n == nil {
			continue
		}
		if n.consumer != nil && minidle > 0 && now-n.time < minidle {
			continue
		}
		if cons == nil {
			if cons, err = s.lookupConsumer(g, argv[3]); err != nil {
				return Reply{}, err
			}
		}
		if err := s.claim(g, cons, n, delivery, retry, justid); err != nil {
			return Reply{}, err
		}
		if justid {
			out = append(out, idReply(id))
		} else {
			out = append(out, entryReply(entry{id, fv}))
		}
	}
	if cons != nil {
		s.putConsumer(g, cons)
	}
	s.putGroup(g)
	return array(out), nil
}

// xautoclaim serves XAUTOCLAIM key group consumer min-idle-time start
// [COUNT count] [JUSTID].
func (e *env) xautoclaim(argv [][]byte) (Reply, error) {
	minidle, r := parseLL(argv[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM")
	if r != nil {
		return *r, nil
	}
	minidle = max(minidle, 0)
	start, excl, ok := parseIntervalID(argv[5], 0)
	if !ok {
		return invalidID, nil
	}
	if excl {
		if start, ok = start.Incr(); !ok {
			return errReply("ERR invalid start ID for the interval"), nil
		}
	}
	count := int64(100)
	justid := false
	for j := 6; j < len(argv); j++ {
		more := len(argv) - 1 - j
		switch {
		case is(argv[j], "count") && more > 0:
			v, ok := parseIntOK(argv[j+1])
			if !ok || v < 1 || v > (1<<63-1)/16 {
				return errReply("ERR COUNT must be > 0"), nil
			}
			count = v
			j++
		case is(argv[j], "justid"):
			justid = true
		default:
			return errReply(msgSyntax), nil
		}
	}
	s, g, rep, err := e.loadGroupFor(argv[1], argv[2])
	if err != nil || rep != nil {
		return deref(rep), err
	}
	if g == nil {
		return noGroupKey(argv[1], argv[2]), nil
	}
	if count > maxAutoClaimCount {
		// Redis allocates COUNT ids up front and fails like this when the
		// allocation is refused; nothing here is sized by COUNT.
		return errReply("ERR Insufficient memory, failed allocating transient memory, COUNT too high."), nil
	}
	attempts := count * 10
	now := e.now
	var cons *consumer
	claimed := make([]Reply, 0, min(count, 1024))
	var deleted []Reply
	cursor := ID{}
	// Walk the PEL from start, a batch at a time; the cursor is the first
	// entry left unexamined, 0-0 at the end.
	pos := start
walk:
	for {
		batch, err := s.pelRange(g, nil, pos, MaxID, 128, nil)
		if err != nil {
			return Reply{}, err
		}
		if len(batch) == 0 {
			break
		}
		for _, n := range batch {
			if attempts == 0 || count == 0 {
				cursor = n.id
				break walk
			}
			attempts--
			fv, exists, err := s.getEntry(n.id)
			if err != nil {
				return Reply{}, err
			}
			if !exists {
				if err := s.removeNack(g, n); err != nil {
					return Reply{}, err
				}
				deleted = append(deleted, idReply(n.id))
				count--
				continue
			}
			if minidle > 0 && now-n.time < minidle {
				continue
			}
			if cons == nil {
				if cons, err = s.lookupConsumer(g, argv[3]); err != nil {
					return Reply{}, err
				}
			}
			if err := s.claim(g, cons, n, now, -1, justid); err != nil {
				return Reply{}, err
			}
			if justid {
				claimed = append(claimed, idReply(n.id))
			} else {
				claimed = append(claimed, entryReply(entry{n.id, fv}))
			}
			count--
		}
		next, ok := batch[len(batch)-1].id.Incr()
		if !ok {
			break
		}
		pos = next
	}
	if cons != nil {
		s.putConsumer(g, cons)
	}
	s.putGroup(g)
	if deleted == nil {
		deleted = []Reply{}
	}
	return array([]Reply{idReply(cursor), array(claimed), array(deleted)}), nil
}

// maxAutoClaimCount is the largest XAUTOCLAIM COUNT accepted: above it
// Redis's up-front allocation of COUNT ids (16 bytes each) fails on any
// machine (here: more than 1 TiB).
const maxAutoClaimCount = 1 << 36
