package streamkv

import (
	"math"
)

// This file holds the commands that only read: XLEN, XRANGE, XREVRANGE,
// XPENDING and XINFO.

func (e *env) loadRead(key []byte, missing Reply) (*stream, *Reply, error) {
	s, wrong, err := loadStream(e, key)
	switch {
	case err != nil:
		return nil, nil, err
	case wrong:
		return nil, &wrongType, nil
	case !s.exists:
		return nil, &missing, nil
	}
	return s, nil, nil
}

// xlen serves XLEN key.
func (e *env) xlen(argv [][]byte) (Reply, error) {
	s, rep, err := e.loadRead(argv[1], integer(0))
	if err != nil || rep != nil {
		return deref(rep), err
	}
	return integer(int64(s.hdr.length)), nil
}

// parseInterval parses a start and an end bound as XRANGE and XPENDING
// do, with their errors.
func parseInterval(startArg, endArg []byte) (start, end ID, rep *Reply) {
	start, excl, ok := parseIntervalID(startArg, 0)
	if !ok {
		return start, end, &invalidID
	}
	if excl {
		if start, ok = start.Incr(); !ok {
			return start, end, errp("ERR invalid start ID for the interval")
		}
	}
	end, excl, ok = parseIntervalID(endArg, math.MaxUint64)
	if !ok {
		return start, end, &invalidID
	}
	if excl {
		if end, ok = end.Decr(); !ok {
			return start, end, errp("ERR invalid end ID for the interval")
		}
	}
	return start, end, nil
}

// xrange serves XRANGE key start end [COUNT n] and, with rev, XREVRANGE
// key end start [COUNT n].
func (e *env) xrange(argv [][]byte, rev bool) (Reply, error) {
	startArg, endArg := argv[2], argv[3]
	if rev {
		startArg, endArg = argv[3], argv[2]
	}
	start, end, rep := parseInterval(startArg, endArg)
	if rep != nil {
		return *rep, nil
	}
	count := int64(-1)
	for j := 4; j < len(argv); j++ {
		if is(argv[j], "count") && len(argv)-j-1 >= 1 {
			v, r := parseLL(argv[j+1], msgNotInteger)
			if r != nil {
				return *r, nil
			}
			count = max(v, 0)
			j++
			continue
		}
		return errReply(msgSyntax), nil
	}
	s, rep, err := e.loadRead(argv[1], array(nil))
	if err != nil || rep != nil {
		return deref(rep), err
	}
	if count == 0 {
		return nullArray, nil
	}
	es, err := s.rangeEntries(start, end, max(count, 0), rev)
	if err != nil {
		return Reply{}, err
	}
	return entriesReply(es), nil
}

// xpending serves XPENDING key group [[IDLE min-idle] start end count
// [consumer]].
func (e *env) xpending(argv [][]byte) (Reply, error) {
	n := len(argv)
	if n != 3 && (n < 6 || n > 9) {
		return errReply(msgSyntax), nil
	}
	var start, end ID
	var count, minidle int64
	var consName []byte
	if n >= 6 {
		at := 3
		if is(argv[3], "idle") {
			v, r := parseLL(argv[4], msgNotInteger)
			if r != nil {
				return *r, nil
			}
			minidle = v
			if n < 8 {
				return errReply(msgSyntax), nil
			}
			at += 2
		}
		v, r := parseLL(argv[at+2], msgNotInteger)
		if r != nil {
			return *r, nil
		}
		count = max(v, 0)
		var rep *Reply
		if start, end, rep = parseInterval(argv[at], argv[at+1]); rep != nil {
			return *rep, nil
		}
		if at+3 < n {
			consName = argv[at+3]
		}
	}
	s, wrong, err := loadStream(e, argv[1])
	if err != nil {
		return Reply{}, err
	}
	if wrong {
		return wrongType, nil
	}
	g, err := s.getGroup(argv[2])
	if err != nil {
		return Reply{}, err
	}
	if g == nil {
		return noGroupKey(argv[1], argv[2]), nil
	}
	if n == 3 {
		if g.pending == 0 {
			return array([]Reply{integer(0), nullBulk, nullBulk, nullArray}), nil
		}
		first, err := s.pelEdge(g, false)
		if err != nil {
			return Reply{}, err
		}
		last, err := s.pelEdge(g, true)
		if err != nil {
			return Reply{}, err
		}
		cs, err := s.consumers(g)
		if err != nil {
			return Reply{}, err
		}
		var per []Reply
		for _, c := range cs {
			if c.pending > 0 {
				per = append(per, array([]Reply{bulk(c.name), bulkInt(int64(c.pending))}))
			}
		}
		return array([]Reply{integer(int64(g.pending)), idReply(first), idReply(last), array(per)}), nil
	}
	if consName != nil {
		c, err := s.getConsumer(g, consName)
		if err != nil {
			return Reply{}, err
		}
		if c == nil {
			return array(nil), nil
		}
	}
	if count == 0 {
		return array(nil), nil
	}
	now := e.now
	keep := func(nk *nack) bool { return minidle == 0 || now-nk.time >= minidle }
	ns, err := s.pelRange(g, consName, start, end, count, keep)
	if err != nil {
		return Reply{}, err
	}
	out := make([]Reply, len(ns))
	for i, nk := range ns {
		out[i] = array([]Reply{idReply(nk.id), bulk(nk.consumer), integer(max(now-nk.time, 0)), integer(int64(nk.count))})
	}
	return array(out), nil
}

// pelEdge returns the first or last pending id of g (which has some).
func (s *stream) pelEdge(g *group, last bool) (ID, error) {
	lo := s.pelPrefix(g.name)
	var id ID
	err := s.e.scan(lo, prefixEnd(lo), last, func(k, _ []byte) (bool, error) {
		id, _ = idFromKey(k[len(lo):])
		return false, nil
	})
	return id, err
}

// xinfo serves XINFO STREAM, GROUPS and CONSUMERS (the protocol layer
// checks the subcommand, its arity, and HELP).
func (e *env) xinfo(argv [][]byte) (Reply, error) {
	sub, key := argv[1], argv[2]
	s, rep, err := e.loadRead(key, errReply(msgNoSuchKey))
	if err != nil || rep != nil {
		return deref(rep), err
	}
	switch {
	case is(sub, "consumers"):
		g, err := s.getGroup(argv[3])
		if err != nil {
			return Reply{}, err
		}
		if g == nil {
			return ferr("NOGROUP No such consumer group '%s' for key name '%s'", cstr(argv[3]), cstr(key)), nil
		}
		cs, err := s.consumers(g)
		if err != nil {
			return Reply{}, err
		}
		out := make([]Reply, len(cs))
		for i, c := range cs {
			out[i] = mapReply([]Reply{
				bulkStr("name"), bulk(c.name),
				bulkStr("pending"), integer(int64(c.pending)),
				bulkStr("idle"), integer(e.now - c.seen),
			})
		}
		return array(out), nil
	case is(sub, "groups"):
		gs, err := s.groups()
		if err != nil {
			return Reply{}, err
		}
		out := make([]Reply, len(gs))
		for i, g := range gs {
			nc, err := s.countConsumers(g)
			if err != nil {
				return Reply{}, err
			}
			out[i] = mapReply([]Reply{
				bulkStr("name"), bulk(g.name),
				bulkStr("consumers"), integer(nc),
				bulkStr("pending"), integer(int64(g.pending)),
				bulkStr("last-delivered-id"), idReply(g.last),
				bulkStr("entries-read"), entriesReadReply(g),
				bulkStr("lag"), s.lag(g),
			})
		}
		return array(out), nil
	case is(sub, "stream"):
		return s.infoStream(sub, argv[3:])
	}
	return ferr("ERR unknown subcommand '%s'. Try XINFO HELP.", cstr(sub)), nil
}

func entriesReadReply(g *group) Reply {
	if g.entriesRead == invalidEntriesRead {
		return nullBulk
	}
	return integer(g.entriesRead)
}

// infoStream serves XINFO STREAM key [FULL [COUNT n]].
func (s *stream) infoStream(sub []byte, opts [][]byte) (Reply, error) {
	full := len(opts) > 0
	count := int64(10)
	synErr := ferr("ERR unknown subcommand or wrong number of arguments for '%s'. Try XINFO HELP.", cstr(sub))
	if full {
		if len(opts) != 1 && len(opts) != 3 || !is(opts[0], "full") {
			return synErr, nil
		}
		if len(opts) == 3 {
			if !is(opts[1], "count") {
				return synErr, nil
			}
			v, r := parseLL(opts[2], msgNotInteger)
			if r != nil {
				return *r, nil
			}
			if v < 0 {
				v = 10
			}
			count = v
		}
	}
	var masters [][]byte
	if err := s.nodes(func(n *node) (bool, error) {
		masters = append(masters, n.master.appendKey(nil))
		return true, nil
	}); err != nil {
		return Reply{}, err
	}
	h := s.hdr
	out := []Reply{
		bulkStr("length"), integer(int64(h.length)),
		bulkStr("radix-tree-keys"), integer(int64(len(masters))),
		bulkStr("radix-tree-nodes"), integer(raxNodes(masters)),
		bulkStr("last-generated-id"), idReply(h.last),
		bulkStr("max-deleted-entry-id"), idReply(h.maxDel),
		bulkStr("entries-added"), integer(int64(h.added)),
		bulkStr("recorded-first-entry-id"), idReply(h.first),
	}
	if !full {
		out = append(out, bulkStr("groups"), integer(int64(h.ngroups)))
		for _, last := range []bool{false, true} {
			es, err := s.rangeEntries(ID{}, MaxID, 1, last)
			if err != nil {
				return Reply{}, err
			}
			name := "first-entry"
			if last {
				name = "last-entry"
			}
			if len(es) == 0 {
				out = append(out, bulkStr(name), nullBulk)
			} else {
				out = append(out, bulkStr(name), entryReply(es[0]))
			}
		}
		return mapReply(out), nil
	}
	es, err := s.rangeEntries(ID{}, MaxID, count, false)
	if err != nil {
		return Reply{}, err
	}
	out = append(out, bulkStr("entries"), entriesReply(es))
	gs, err := s.groups()
	if err != nil {
		return Reply{}, err
	}
	greps := make([]Reply, len(gs))
	for i, g := range gs {
		pel, err := s.pelRange(g, nil, ID{}, MaxID, count, nil)
		if err != nil {
			return Reply{}, err
		}
		prep := make([]Reply, len(pel))
		for j, nk := range pel {
			prep[j] = array([]Reply{idReply(nk.id), bulk(nk.consumer), integer(nk.time), integer(int64(nk.count))})
		}
		cs, err := s.consumers(g)
		if err != nil {
			return Reply{}, err
		}
		creps := make([]Reply, len(cs))
		for j, c := range cs {
			cpel, err := s.pelRange(g, c.name, ID{}, MaxID, count, nil)
			if err != nil {
				return Reply{}, err
			}
			cp := make([]Reply, len(cpel))
			for k, nk := range cpel {
				cp[k] = array([]Reply{idReply(nk.id), integer(nk.time), integer(int64(nk.count))})
			}
			creps[j] = mapReply([]Reply{
				bulkStr("name"), bulk(c.name),
				bulkStr("seen-time"), integer(c.seen),
				bulkStr("pel-count"), integer(int64(c.pending)),
				bulkStr("pending"), array(cp),
			})
		}
		greps[i] = mapReply([]Reply{
			bulkStr("name"), bulk(g.name),
			bulkStr("last-delivered-id"), idReply(g.last),
			bulkStr("entries-read"), entriesReadReply(g),
			bulkStr("lag"), s.lag(g),
			bulkStr("pel-count"), integer(int64(g.pending)),
			bulkStr("pending"), array(prep),
			bulkStr("consumers"), array(creps),
		})
	}
	out = append(out, bulkStr("groups"), array(greps))
	return mapReply(out), nil
}
