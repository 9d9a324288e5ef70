package streamkv

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"github.com/aspen-db/aspen/layers/strkv"
)

// This file holds the commands that add and remove entries: XADD, XDEL,
// XTRIM and XSETID, and the argument helpers every command shares.

// Error replies shared by several commands.
const (
	msgWrongType   = "WRONGTYPE Operation against a key holding the wrong kind of value"
	msgNotInteger  = "ERR value is not an integer or out of range"
	msgSyntax      = "ERR syntax error"
	msgNoSuchKey   = "ERR no such key"
	msgXAddSmaller = "ERR The ID specified in XADD is equal or smaller than the target stream top item"
)

var wrongType = errReply(msgWrongType)

// is reports whether arg equals the keyword kw, ignoring ASCII case.
func is(arg []byte, kw string) bool { return bytes.EqualFold(arg, []byte(kw)) }

// cstr returns b as Redis prints a C string argument in an error: up to
// its first NUL byte.
func cstr(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// ferr formats an error reply as Redis's addReplyErrorFormat does: a
// leading '-' is dropped, "ERR " is added when the text has no code of
// its own, and line breaks become spaces.
func ferr(f string, a ...any) Reply {
	msg := fmt.Sprintf(f, a...)
	msg = strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, msg)
	return errReply(msg)
}

// parseLL parses an integer argument; msg is the reply when it is not one.
func parseLL(arg []byte, msg string) (int64, *Reply) {
	v, ok := strkv.ParseInt(arg)
	if !ok {
		r := errReply(msg)
		return 0, &r
	}
	return v, nil
}

func errp(msg string) *Reply { r := errReply(msg); return &r }

var invalidID = errReply(msgInvalidID)

// addTrimArgs are XADD's and XTRIM's parsed options.
type addTrimArgs struct {
	trimArgs
	id       ID
	idGiven  bool
	seqGiven bool
	noMk     bool
}

// parseAddTrim parses the options of XADD (xadd) or XTRIM from argv[2] on,
// as Redis's streamParseAddOrTrimArgsOrReply does. For XADD it returns the
// position of the id argument.
func parseAddTrim(argv [][]byte, xadd bool) (a addTrimArgs, pos int, rep *Reply) {
	limitGiven := false
	i := 2
	const both = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
	for ; i < len(argv); i++ {
		more := len(argv) - 1 - i
		opt := argv[i]
		switch {
		case xadd && len(opt) == 1 && opt[0] == '*':
			goto done
		case is(opt, "maxlen") && more > 0, is(opt, "minid") && more > 0:
			if a.strategy != 0 {
				return a, 0, errp(both)
			}
			a.approx = false
			if next := argv[i+1]; more >= 2 && len(next) == 1 && (next[0] == '~' || next[0] == '=') {
				a.approx = next[0] == '~'
				i++
			}
			if is(opt, "maxlen") {
				v, r := parseLL(argv[i+1], msgNotInteger)
				if r != nil {
					return a, 0, r
				}
				if v < 0 {
					return a, 0, errp("ERR The MAXLEN argument must be >= 0.")
				}
				a.maxlen, a.strategy = v, trimMaxLen
			} else {
				id, ok := parseStrictID(argv[i+1])
				if !ok {
					return a, 0, &invalidID
				}
				a.minid, a.strategy = id, trimMinID
			}
			i++
		case is(opt, "limit") && more > 0:
			v, r := parseLL(argv[i+1], msgNotInteger)
			if r != nil {
				return a, 0, r
			}
			if v < 0 {
				return a, 0, errp("ERR The LIMIT argument must be >= 0.")
			}
			a.limit, limitGiven = v, true
			i++
		case xadd && is(opt, "nomkstream"):
			a.noMk = true
		case xadd:
			id, ok := parseID(opt, 0, true, &a.seqGiven)
			if !ok {
				return a, 0, &invalidID
			}
			a.id, a.idGiven = id, true
			goto done
		default:
			return a, 0, errp(msgSyntax)
		}
	}
done:
	if a.limit != 0 && a.strategy == 0 {
		return a, 0, errp("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy")
	}
	if !xadd && a.strategy == 0 {
		return a, 0, errp("ERR syntax error, XTRIM must be called with a trimming strategy")
	}
	switch {
	case limitGiven && !a.approx:
		return a, 0, errp("ERR syntax error, LIMIT cannot be used without the special ~ option")
	case !limitGiven && a.approx:
		a.limit = 100 * nodeMaxEntries
	case !limitGiven:
		a.limit = 0
	}
	return a, i, nil
}

// xadd serves XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold
// [LIMIT count]] *|id field value [field value ...].
func (e *env) xadd(argv [][]byte) (Reply, error) {
	a, idpos, rep := parseAddTrim(argv, true)
	if rep != nil {
		return *rep, nil
	}
	fieldPos := idpos + 1
	if n := len(argv) - fieldPos; n < 2 || n%2 == 1 {
		return errReply("ERR wrong number of arguments for 'xadd' command"), nil
	}
	if a.idGiven && a.seqGiven && a.id.IsZero() {
		return errReply("ERR The ID specified in XADD must be greater than 0-0"), nil
	}
	s, wrong, err := loadStream(e, argv[1])
	switch {
	case err != nil:
		return Reply{}, err
	case wrong:
		return wrongType, nil
	case !s.exists && a.noMk:
		return nullBulk, nil
	case !s.exists:
		if err := s.create(); err != nil {
			return Reply{}, err
		}
	}
	last := s.hdr.last
	if last == MaxID {
		return errReply("ERR The stream has exhausted the last possible ID, unable to add more items"), nil
	}
	var id ID
	switch {
	case a.idGiven && a.seqGiven:
		id = a.id
	case a.idGiven && a.id.Ms == last.Ms:
		if last.Seq == math.MaxUint64 {
			return errReply(msgXAddSmaller), nil
		}
		id = ID{last.Ms, last.Seq + 1}
	case a.idGiven:
		id = ID{a.id.Ms, 0}
	default:
		// The commit's clock, kept monotonic by the last id.
		if now := uint64(max(e.now, 0)); now > last.Ms {
			id = ID{now, 0}
		} else {
			id, _ = last.Incr()
		}
	}
	if id.Compare(last) <= 0 {
		return errReply(msgXAddSmaller), nil
	}
	if err := s.append(id, argv[fieldPos:]); err != nil {
		return Reply{}, err
	}
	trimmed, err := s.trim(a.trimArgs)
	if err != nil {
		return Reply{}, err
	}
	if err := s.save(); err != nil {
		return Reply{}, err
	}
	notifyAdd(e, argv[1])
	s.notify("xadd")
	if trimmed > 0 {
		s.notify("xtrim")
	}
	return idReply(id), nil
}

// xtrim serves XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count].
func (e *env) xtrim(argv [][]byte) (Reply, error) {
	a, _, rep := parseAddTrim(argv, false)
	if rep != nil {
		return *rep, nil
	}
	s, wrong, err := loadStream(e, argv[1])
	switch {
	case err != nil:
		return Reply{}, err
	case wrong:
		return wrongType, nil
	case !s.exists:
		return integer(0), nil
	}
	n, err := s.trim(a.trimArgs)
	if err != nil {
		return Reply{}, err
	}
	if n > 0 {
		if err := s.save(); err != nil {
			return Reply{}, err
		}
		s.notify("xtrim")
	}
	return integer(n), nil
}

// xdel serves XDEL key id [id ...].
func (e *env) xdel(argv [][]byte) (Reply, error) {
	s, wrong, err := loadStream(e, argv[1])
	switch {
	case err != nil:
		return Reply{}, err
	case wrong:
		return wrongType, nil
	case !s.exists:
		return integer(0), nil
	}
	ids := make([]ID, 0, len(argv)-2)
	for _, arg := range argv[2:] {
		id, ok := parseStrictID(arg)
		if !ok {
			return invalidID, nil
		}
		ids = append(ids, id)
	}
	var n int64
	for _, id := range ids {
		ok, err := s.deleteEntry(id)
		if err != nil {
			return Reply{}, err
		}
		if ok {
			if id.Compare(s.hdr.maxDel) > 0 {
				s.hdr.maxDel = id
			}
			n++
		}
	}
	if n > 0 {
		if err := s.refreshFirst(); err != nil {
			return Reply{}, err
		}
		if err := s.save(); err != nil {
			return Reply{}, err
		}
		s.notify("xdel")
	}
	return integer(n), nil
}

// xsetid serves XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID id].
func (e *env) xsetid(argv [][]byte) (Reply, error) {
	id, ok := parseStrictID(argv[2])
	if !ok {
		return invalidID, nil
	}
	added := int64(-1)
	var maxDel ID
	for i := 3; i < len(argv); i += 2 {
		more := len(argv) - 1 - i
		switch {
		case is(argv[i], "entriesadded") && more > 0:
			v, r := parseLL(argv[i+1], msgNotInteger)
			if r != nil {
				return *r, nil
			}
			if v < 0 {
				return errReply("ERR entries_added must be positive"), nil
			}
			added = v
		case is(argv[i], "maxdeletedid") && more > 0:
			v, ok := parseStrictID(argv[i+1])
			if !ok {
				return invalidID, nil
			}
			if id.Compare(v) < 0 {
				return errReply("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"), nil
			}
			maxDel = v
		default:
			return errReply(msgSyntax), nil
		}
	}
	s, wrong, err := loadStream(e, argv[1])
	switch {
	case err != nil:
		return Reply{}, err
	case wrong:
		return wrongType, nil
	case !s.exists:
		return errReply(msgNoSuchKey), nil
	}
	if s.hdr.length > 0 {
		top, _, err := s.top()
		if err != nil {
			return Reply{}, err
		}
		if id.Compare(top) < 0 {
			return errReply("ERR The ID specified in XSETID is smaller than the target stream top item"), nil
		}
		if added != -1 && s.hdr.length > uint64(added) {
			return errReply("ERR The entries_added specified in XSETID is smaller than the target stream length"), nil
		}
	}
	s.hdr.topValid = s.hdr.topValid && id == s.hdr.last
	s.hdr.last = id
	if added != -1 {
		s.hdr.added = uint64(added)
	}
	if !maxDel.IsZero() {
		s.hdr.maxDel = maxDel
	}
	if err := s.save(); err != nil {
		return Reply{}, err
	}
	s.notify("xsetid")
	return okReply, nil
}
