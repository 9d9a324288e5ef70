package strkv

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/aspen-db/aspen/layers"
)

// More operation names, registered by Mutations.
const (
	opGetEx       = "strkv.getex"
	opAppend      = "strkv.append"
	opSetRange    = "strkv.setrange"
	opIncrByFloat = "strkv.incrbyfloat"
	opMSetNX      = "strkv.msetnx"
	opExpire      = "strkv.expire"
	opRename      = "strkv.rename"
	opCopy        = "strkv.copy"
)

// MaxStringLen is the largest string value APPEND and SETRANGE may build,
// Redis's default proto-max-bulk-len (512 MB).
const MaxStringLen = 512 << 20

// GetEx modes.
const (
	gxKeep    byte = iota // read only
	gxRel                 // expire in N ms from the commit time
	gxAbs                 // expire at Unix ms
	gxPersist             // drop the expiry
	gxDel                 // delete the key (GETDEL)
)

// GetExOptions say what GETEX does to the key's expiry. At most one of
// TTLMillis, ExpireAtMillis and Persist may be set. ArgErr, when not nil,
// is an argument error that Redis only reports once it has found the key
// holding a string (ErrNotInteger or ErrInvalidExpire); it makes the
// mutation report it then and change nothing.
type GetExOptions struct {
	TTLMillis      int64
	ExpireAtMillis int64
	Persist        bool
	ArgErr         error
}

// argStatus maps a deferred argument error to its status byte.
func argStatus(err error) byte {
	switch err {
	case nil:
		return resOK
	case ErrNotInteger:
		return resNotInteger
	default:
		return resInvalidExpire
	}
}

func encodeGetEx(db int, key []byte, mode byte, v int64, deferred byte) []byte {
	var e enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.Byte(mode)
	e.Int64(v)
	e.Byte(deferred)
	return e.B
}

// GetExOp prepares a GETEX of key in db.
func GetExOp(db int, key []byte, opt GetExOptions) Mutation {
	mode, v := gxKeep, int64(0)
	switch {
	case opt.Persist:
		mode = gxPersist
	case opt.TTLMillis != 0:
		mode, v = gxRel, opt.TTLMillis
	case opt.ExpireAtMillis != 0:
		mode, v = gxAbs, opt.ExpireAtMillis
	}
	return Mutation{Op: opGetEx, Args: encodeGetEx(db, key, mode, v, argStatus(opt.ArgErr))}
}

// GetDelOp prepares a GETDEL of key in db.
func GetDelOp(db int, key []byte) Mutation {
	return Mutation{Op: opGetEx, Args: encodeGetEx(db, key, gxDel, 0, resOK)}
}

// DecodeValue decodes the result of a GetExOp or GetDelOp: the string
// value the key held (ok false when it did not exist), or ErrWrongType,
// ErrNotInteger, ErrInvalidExpire. val aliases res.
func DecodeValue(res []byte) (val []byte, ok bool, err error) {
	d := dec{B: res}
	if err := statusErr(d.Byte()); err != nil || d.Err != nil {
		return nil, false, joinErr(err, d.Err)
	}
	ok = d.Byte() == 1
	val = d.B
	if d.Err != nil {
		return nil, false, fmt.Errorf("value result: %w", d.Err)
	}
	return val, ok, nil
}

func joinErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// valueResult is a status OK, exists flag and value.
func valueResult(ok bool, val []byte) []byte {
	if !ok {
		return []byte{resOK, 0}
	}
	return append([]byte{resOK, 1}, val...)
}

// mutGetEx result: status, exists (0/1), value.
func mutGetEx(m layers.Mutator, args []byte) ([]byte, error) {
	d := dec{B: args}
	db := DecodeDB(&d)
	key := d.Bytes()
	mode := d.Byte()
	v := d.Int64()
	deferred := d.Byte()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("getex: %w", err)
	}
	nowMs := m.Now().UnixMilli()
	c, err := load(m, db, key, nowMs)
	if err != nil {
		return nil, fmt.Errorf("getex: %w", err)
	}
	if !c.live {
		// GETEX and GETDEL look the key up for reading.
		NotifyKey(m, NotifyKeyMiss, "keymiss", db, key)
		return valueResult(false, nil), nil
	}
	if c.meta.Type != TypeString {
		return []byte{resWrongType}, nil
	}
	if deferred != resOK {
		return []byte{deferred}, nil
	}
	res := valueResult(true, c.meta.Value)
	nm := c.meta
	switch mode {
	case gxKeep:
		return res, nil
	case gxDel:
		remove(m, db, key, c)
		NotifyKey(m, NotifyGeneric, "del", db, key)
		return res, nil
	case gxPersist:
		if nm.ExpireAt == 0 {
			return res, nil
		}
		nm.ExpireAt = 0
	case gxRel:
		if v <= 0 || v > math.MaxInt64-nowMs {
			return []byte{resInvalidExpire}, nil
		}
		nm.ExpireAt = nowMs + v
	case gxAbs:
		if v <= nowMs {
			remove(m, db, key, c)
			NotifyKey(m, NotifyGeneric, "del", db, key)
			return res, nil
		}
		nm.ExpireAt = v
	default:
		return nil, fmt.Errorf("getex: mode %d: %w", mode, errMalformed)
	}
	put(m, db, key, c, nm)
	if mode == gxPersist {
		NotifyKey(m, NotifyGeneric, "persist", db, key)
	} else {
		NotifyKey(m, NotifyGeneric, "expire", db, key)
	}
	return res, nil
}

func encodeKeyVal(db int, key []byte, off int64, val []byte) []byte {
	var e enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.Int64(off)
	e.Bytes(val)
	return e.B
}

// AppendOp prepares an APPEND of val to key in db.
func AppendOp(db int, key, val []byte) Mutation {
	return Mutation{Op: opAppend, Args: encodeKeyVal(db, key, 0, val)}
}

// SetRangeOp prepares a SETRANGE of key in db: val written at offset
// (which must not be negative), zero bytes padding a shorter string.
func SetRangeOp(db int, key []byte, offset int64, val []byte) Mutation {
	return Mutation{Op: opSetRange, Args: encodeKeyVal(db, key, offset, val)}
}

// DecodeInt decodes the result of an AppendOp, SetRangeOp, MSetNXOp,
// ExpireOp, PersistOp or RenameOp: the string length, or 1/0 for whether
// the command did its work; or ErrWrongType, ErrTooLarge, ErrInvalidExpire,
// ErrNoSuchKey.
func DecodeInt(res []byte) (int64, error) {
	d := dec{B: res}
	if err := statusErr(d.Byte()); err != nil || d.Err != nil {
		return 0, joinErr(err, d.Err)
	}
	n := d.Uvarint()
	if err := d.Done(); err != nil {
		return 0, fmt.Errorf("result: %w", err)
	}
	return int64(n), nil
}

func intResult(n uint64) []byte {
	var e enc
	e.Byte(resOK)
	e.Uvarint(n)
	return e.B
}

// mutAppend result: status, new length.
func mutAppend(m layers.Mutator, args []byte) ([]byte, error) {
	return editString(m, args, "append", true, func(old []byte, _ int64, val []byte) ([]byte, bool) {
		if int64(len(old))+int64(len(val)) > MaxStringLen {
			return nil, false
		}
		return append(bytes.Clone(old), val...), true
	})
}

// mutSetRange result: status, new length.
func mutSetRange(m layers.Mutator, args []byte) ([]byte, error) {
	return editString(m, args, "setrange", false, func(old []byte, off int64, val []byte) ([]byte, bool) {
		if len(val) == 0 {
			return old, true
		}
		if off < 0 || off > MaxStringLen || off+int64(len(val)) > MaxStringLen {
			return nil, false
		}
		n := max(int64(len(old)), off+int64(len(val)))
		nv := make([]byte, n)
		copy(nv, old)
		copy(nv[off:], val)
		return nv, true
	})
}

// editString runs a string edit: edit returns the new value, or false when
// it would be too large. An empty result for a missing key creates
// nothing unless createEmpty (APPEND creates it, SETRANGE does not, as in
// Redis). The key keeps its expiry.
func editString(m layers.Mutator, args []byte, name string, createEmpty bool, edit func(old []byte, off int64, val []byte) ([]byte, bool)) ([]byte, error) {
	d := dec{B: args}
	db := DecodeDB(&d)
	key := d.Bytes()
	off := d.Int64()
	val := d.Bytes()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	now := m.Now()
	c, err := load(m, db, key, now.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var old []byte
	if c.live {
		if c.meta.Type != TypeString {
			return []byte{resWrongType}, nil
		}
		old = c.meta.Value
	}
	nv, ok := edit(old, off, val)
	if !ok {
		return []byte{resTooLarge}, nil
	}
	if !c.live && len(nv) == 0 && !createEmpty {
		return intResult(0), nil
	}
	if c.live && bytes.Equal(nv, old) && len(val) == 0 {
		if createEmpty { // APPEND of nothing still announces itself
			NotifyKey(m, NotifyString, name, db, key)
		}
		return intResult(uint64(len(old))), nil
	}
	nm := Meta{Type: TypeString, Version: nextVersion(c, TypeString, now.UnixMicro()), Value: nv}
	if c.live {
		nm.ExpireAt = c.meta.ExpireAt
	}
	put(m, db, key, c, nm)
	NotifyKey(m, NotifyString, name, db, key)
	return intResult(uint64(len(nv))), nil
}

// IncrByFloatOp prepares an INCRBYFLOAT of key in db by incr, the
// increment as the client wrote it (it is parsed at apply time, after the
// type check, as Redis orders the errors).
func IncrByFloatOp(db int, key, incr []byte) Mutation {
	return Mutation{Op: opIncrByFloat, Args: encodeKeyVal(db, key, 0, incr)}
}

// DecodeIncrByFloat decodes the result of an IncrByFloatOp: the new value
// as stored, or ErrWrongType, ErrNotFloat, ErrNaNOrInf. val aliases res.
func DecodeIncrByFloat(res []byte) ([]byte, error) {
	d := dec{B: res}
	if err := statusErr(d.Byte()); err != nil || d.Err != nil {
		return nil, joinErr(err, d.Err)
	}
	return d.B, nil
}

// mutIncrByFloat result: status, new value. It computes in 64-bit-mantissa
// binary floating point, the precision of the x86-64 long double Redis
// uses, so results print as Redis prints them.
func mutIncrByFloat(m layers.Mutator, args []byte) ([]byte, error) {
	d := dec{B: args}
	db := DecodeDB(&d)
	key := d.Bytes()
	d.Int64()
	incr := d.Bytes()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("incrbyfloat: %w", err)
	}
	now := m.Now()
	c, err := load(m, db, key, now.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("incrbyfloat: %w", err)
	}
	cur := new(big.Float).SetPrec(longDoublePrec)
	if c.live {
		if c.meta.Type != TypeString {
			return []byte{resWrongType}, nil
		}
		var ok bool
		if cur, ok = ParseLongDouble(c.meta.Value); !ok {
			return []byte{resNotFloat}, nil
		}
	}
	inc, ok := ParseLongDouble(incr)
	if !ok {
		return []byte{resNotFloat}, nil
	}
	if cur.IsInf() || inc.IsInf() {
		return []byte{resNaN}, nil // inf+x is inf or NaN
	}
	sum := new(big.Float).SetPrec(longDoublePrec).Add(cur, inc)
	if sum.Sign() != 0 && sum.MantExp(nil) > longDoubleMaxExp {
		return []byte{resNaN}, nil
	}
	v := FormatLongDouble(sum)
	nm := Meta{Type: TypeString, Version: nextVersion(c, TypeString, now.UnixMicro()), Value: v}
	if c.live {
		nm.ExpireAt = c.meta.ExpireAt
	}
	put(m, db, key, c, nm)
	NotifyKey(m, NotifyString, "incrbyfloat", db, key)
	return append([]byte{resOK}, v...), nil
}

// The x86-64 long double: 64-bit mantissa, binary exponent range.
const (
	longDoublePrec   = 64
	longDoubleMaxExp = 16384  // MantExp of the first value that overflows
	longDoubleMinExp = -16444 // MantExp of the smallest denormal
	maxFloatArgLen   = 5*1024 - 1
)

// ParseLongDouble parses b as Redis parses a float argument (strtold): no
// leading space, the whole string consumed, decimal or hexadecimal, or inf
// / infinity with an optional sign; NaN, overflow and underflow to zero are
// refused. The result has 64 bits of precision.
func ParseLongDouble(b []byte) (*big.Float, bool) {
	if len(b) == 0 || len(b) > maxFloatArgLen || strings.IndexByte(" \t\n\v\f\r", b[0]) >= 0 {
		return nil, false
	}
	s := string(b)
	f := new(big.Float).SetPrec(longDoublePrec)
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 {
		return nil, false
	}
	neg := strings.HasPrefix(s, "-")
	switch strings.ToLower(body) {
	case "inf", "infinity":
		return f.SetInf(neg), true
	}
	base := 10
	if lb := strings.ToLower(body); strings.HasPrefix(lb, "0x") {
		if strings.Contains(body, "_") {
			return nil, false
		}
		base = 0
	}
	if _, _, err := f.Parse(s, base); err != nil {
		return nil, false
	}
	if f.IsInf() {
		return nil, false
	}
	if f.Sign() != 0 {
		e := f.MantExp(nil)
		if e > longDoubleMaxExp || e < longDoubleMinExp {
			return nil, false
		}
	}
	return f, true
}

// FormatLongDouble prints f as Redis prints an INCRBYFLOAT result: 17
// decimals, then trailing zeros and a trailing point removed, "-0" as "0".
func FormatLongDouble(f *big.Float) []byte {
	s := f.Text('f', 17)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return []byte(s)
}

// MSetNXOp prepares an MSETNX in db of pairs: key, value, key, value...
func MSetNXOp(db int, pairs [][]byte) Mutation {
	var e enc
	e.Uvarint(uint64(db))
	e.Uvarint(uint64(len(pairs)))
	for _, p := range pairs {
		e.Bytes(p)
	}
	return Mutation{Op: opMSetNX, Args: e.B}
}

// mutMSetNX result: status, 1 if every key was set, 0 if any existed.
func mutMSetNX(m layers.Mutator, args []byte) ([]byte, error) {
	d := dec{B: args}
	db := DecodeDB(&d)
	n := d.Uvarint()
	if d.Err == nil && (n > uint64(len(d.B)) || n%2 != 0) {
		d.Fail("pair count")
	}
	pairs := make([][]byte, 0, min(n, 1024))
	for i := uint64(0); i < n && d.Err == nil; i++ {
		pairs = append(pairs, d.Bytes())
	}
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("msetnx: %w", err)
	}
	now := m.Now()
	nowMs := now.UnixMilli()
	for i := 0; i < len(pairs); i += 2 {
		c, err := load(m, db, pairs[i], nowMs)
		if err != nil {
			return nil, fmt.Errorf("msetnx: %w", err)
		}
		if c.live {
			return intResult(0), nil
		}
	}
	for i := 0; i < len(pairs); i += 2 {
		c, err := load(m, db, pairs[i], nowMs)
		if err != nil {
			return nil, fmt.Errorf("msetnx: %w", err)
		}
		put(m, db, pairs[i], c, Meta{
			Type:    TypeString,
			Version: nextVersion(c, TypeString, now.UnixMicro()),
			Value:   pairs[i+1],
		})
		NotifyKey(m, NotifyString, "set", db, pairs[i])
	}
	return intResult(1), nil
}

// Expire conditions, as EXPIRE's NX, XX, GT, LT.
const (
	ExpireNX byte = 1 << iota
	ExpireXX
	ExpireGT
	ExpireLT
)

// Expire modes.
const (
	exRel byte = iota
	exAbs
	exPersist
)

func encodeExpire(db int, key []byte, mode byte, when int64, cond byte) []byte {
	var e enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	e.Byte(mode)
	e.Int64(when)
	e.Byte(cond)
	return e.B
}

// ExpireOp prepares an EXPIRE family command on key in db: when is in
// milliseconds, relative to the commit time when relative is true, else
// Unix milliseconds; cond is a set of Expire* conditions. A time at or
// before the commit time deletes the key. A relative time that overflows
// when added to the commit time gives ErrInvalidExpire.
func ExpireOp(db int, key []byte, when int64, relative bool, cond byte) Mutation {
	mode := exAbs
	if relative {
		mode = exRel
	}
	return Mutation{Op: opExpire, Args: encodeExpire(db, key, mode, when, cond)}
}

// PersistOp prepares a PERSIST of key in db.
func PersistOp(db int, key []byte) Mutation {
	return Mutation{Op: opExpire, Args: encodeExpire(db, key, exPersist, 0, 0)}
}

// mutExpire result: status, 1 if the expiry was set (or the key deleted,
// or for PERSIST removed), else 0.
func mutExpire(m layers.Mutator, args []byte) ([]byte, error) {
	d := dec{B: args}
	db := DecodeDB(&d)
	key := d.Bytes()
	mode := d.Byte()
	when := d.Int64()
	cond := d.Byte()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("expire: %w", err)
	}
	nowMs := m.Now().UnixMilli()
	if mode == exRel {
		if when > math.MaxInt64-nowMs {
			return []byte{resInvalidExpire}, nil
		}
		when += nowMs
	}
	c, err := load(m, db, key, nowMs)
	if err != nil {
		return nil, fmt.Errorf("expire: %w", err)
	}
	if !c.live {
		return intResult(0), nil
	}
	cur := c.meta.ExpireAt
	nm := c.meta
	if mode == exPersist {
		if cur == 0 {
			return intResult(0), nil
		}
		nm.ExpireAt = 0
		put(m, db, key, c, nm)
		NotifyKey(m, NotifyGeneric, "persist", db, key)
		return intResult(1), nil
	}
	if (cond&ExpireNX != 0 && cur != 0) ||
		(cond&ExpireXX != 0 && cur == 0) ||
		(cond&ExpireGT != 0 && (cur == 0 || when <= cur)) ||
		(cond&ExpireLT != 0 && cur != 0 && when >= cur) {
		return intResult(0), nil
	}
	if when <= nowMs {
		remove(m, db, key, c)
		NotifyKey(m, NotifyGeneric, "del", db, key)
		return intResult(1), nil
	}
	nm.ExpireAt = when
	put(m, db, key, c, nm)
	NotifyKey(m, NotifyGeneric, "expire", db, key)
	return intResult(1), nil
}

// RenameOp prepares a RENAME (or, with nx, RENAMENX) of src to dst in db.
// The key keeps its expiry; a collection's members move with it.
func RenameOp(db int, src, dst []byte, nx bool) Mutation {
	var e enc
	e.Uvarint(uint64(db))
	e.Bytes(src)
	e.Bytes(dst)
	if nx {
		e.Byte(1)
	} else {
		e.Byte(0)
	}
	return Mutation{Op: opRename, Args: e.B}
}

// mutRename result: status (ErrNoSuchKey when src does not exist), then 1
// if renamed, 0 if RENAMENX found dst existing (or src == dst).
func mutRename(m layers.Mutator, args []byte) ([]byte, error) {
	d := dec{B: args}
	db := DecodeDB(&d)
	src := d.Bytes()
	dst := d.Bytes()
	nx := d.Byte() == 1
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("rename: %w", err)
	}
	nowMs := m.Now().UnixMilli()
	cs, err := load(m, db, src, nowMs)
	if err != nil {
		return nil, fmt.Errorf("rename: %w", err)
	}
	if !cs.live {
		return []byte{resNoSuchKey}, nil
	}
	if bytes.Equal(src, dst) {
		if nx {
			return intResult(0), nil
		}
		return intResult(1), nil
	}
	cd, err := load(m, db, dst, nowMs)
	if err != nil {
		return nil, fmt.Errorf("rename: %w", err)
	}
	if nx && cd.live {
		return intResult(0), nil
	}
	// Collect the members before writing anything.
	members, err := collectMembers(m, db, src, cs)
	if err != nil {
		return nil, fmt.Errorf("rename: %w", err)
	}
	meta := cs.meta
	meta.Value = bytes.Clone(meta.Value)
	remove(m, db, src, cs)
	remove(m, db, dst, cd)
	put(m, db, dst, current{mk: cd.mk}, meta)
	writeMembers(m, db, dst, members)
	NotifyKey(m, NotifyGeneric, "rename_from", db, src)
	NotifyKey(m, NotifyGeneric, "rename_to", db, dst)
	return intResult(1), nil
}

// member is a collection entry: its key below the key's DataSubspace, and
// its value.
type member struct{ suffix, val []byte }

// collectMembers reads every entry of the collection c (none for a string).
func collectMembers(m layers.Mutator, db int, key []byte, c current) ([]member, error) {
	if c.meta.Type == TypeString {
		return nil, nil
	}
	var members []member
	sp := DataSubspace(db, key)
	plen := len(sp.Bytes())
	begin, end := sp.Range()
	it := m.Scan(begin, end, false)
	for it.Next() {
		members = append(members, member{bytes.Clone(it.Key()[plen:]), bytes.Clone(it.Value())})
	}
	err := it.Err()
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("scan members of %q: %w", key, err)
	}
	return members, nil
}

// writeMembers writes members under key's DataSubspace.
func writeMembers(m layers.Mutator, db int, key []byte, members []member) {
	if len(members) == 0 {
		return
	}
	prefix := DataSubspace(db, key).Bytes()
	for _, x := range members {
		m.Set(append(bytes.Clone(prefix), x.suffix...), x.val)
	}
}

// CopyOp prepares a COPY of src in srcDB to dst in dstDB: value, members
// and expiry. An existing dst is replaced only with replace. Its result
// (DecodeInt) is 1 if copied, 0 if not (src missing, or dst existing
// without replace).
func CopyOp(srcDB int, src []byte, dstDB int, dst []byte, replace bool) Mutation {
	var e enc
	e.Uvarint(uint64(srcDB))
	e.Bytes(src)
	e.Uvarint(uint64(dstDB))
	e.Bytes(dst)
	e.Bool(replace)
	return Mutation{Op: opCopy, Args: e.B}
}

func mutCopy(m layers.Mutator, args []byte) ([]byte, error) {
	d := dec{B: args}
	srcDB := DecodeDB(&d)
	src := d.Bytes()
	dstDB := DecodeDB(&d)
	dst := d.Bytes()
	replace := d.Bool()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	nowMs := m.Now().UnixMilli()
	cs, err := load(m, srcDB, src, nowMs)
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	if !cs.live || (srcDB == dstDB && bytes.Equal(src, dst)) {
		return intResult(0), nil
	}
	cd, err := load(m, dstDB, dst, nowMs)
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	if cd.live && !replace {
		return intResult(0), nil
	}
	members, err := collectMembers(m, srcDB, src, cs)
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	meta := cs.meta
	meta.Value = bytes.Clone(meta.Value)
	remove(m, dstDB, dst, cd)
	put(m, dstDB, dst, current{mk: cd.mk}, meta)
	writeMembers(m, dstDB, dst, members)
	NotifyKey(m, NotifyGeneric, "copy_to", dstDB, dst)
	return intResult(1), nil
}
