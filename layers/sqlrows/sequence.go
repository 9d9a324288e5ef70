package sqlrows

// Sequences: their descriptors in the catalog, their state, and the
// deterministic mutation that hands out values.
//
// Key layout (tuple-encoded):
//
//	("sys", "sql", "s", name)  -> sequence descriptor (JSON)
//	("sql", seqID, "q")        -> state: (last_value, log_cnt, is_called)
//	("sql", seqID, "q", gen)   -> state after RESTART number gen
//
// A sequence's id comes from the table id counter, so that it never
// collides with a table's. The descriptor is transactional like every
// catalog entry; the state is not: values are taken by the NextvalOp
// mutation, committed on its own, so that a rollback gives nothing back
// and concurrent takers never conflict. RESTART (ALTER SEQUENCE, TRUNCATE
// ... RESTART IDENTITY) is transactional, as PostgreSQL's new relfilenode
// is: it moves the descriptor to a new generation, whose state lives
// under a fresh key, so that the transaction's own nextval calls see the
// restarted sequence, others see the old one until the commit, and a
// rollback leaves the old one in place.

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/subspace"
	"github.com/aspen-db/aspen/layers/tuple"
)

// ErrSequenceNotFound is wrapped by errors about a sequence that does not
// exist.
var ErrSequenceNotFound = errors.New("sequence not found")

// SequenceDesc describes a sequence. It is stored as JSON in the catalog.
type SequenceDesc struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	TypeOID   uint32 `json:"type_oid"` // int2, int4 or int8
	Start     int64  `json:"start"`
	Increment int64  `json:"increment"`
	Min       int64  `json:"min"`
	Max       int64  `json:"max"`
	Cache     int64  `json:"cache"`
	Cycle     bool   `json:"cycle,omitempty"`
	// OwnerTable and OwnerColumn name the column that owns the sequence
	// (OWNED BY, SERIAL, IDENTITY); empty for none.
	OwnerTable  string `json:"owner_table,omitempty"`
	OwnerColumn string `json:"owner_column,omitempty"`
	// Identity marks the sequence of an identity column: it is dropped
	// with the column and cannot be dropped alone.
	Identity bool `json:"identity,omitempty"`
	// Gen counts the RESTARTs: it chooses the state's key.
	Gen int64 `json:"gen,omitempty"`
}

// SeqState is a sequence's current state, as SELECT * FROM seq shows it.
type SeqState struct {
	Last   int64
	LogCnt int64
	Called bool
}

// seqDescs is where the descriptors live.
var seqDescs = subspace.Sub("sys", "sql", "s")

// seqKey returns the catalog key of a sequence name.
func seqKey(name string) []byte { return seqDescs.Pack(tuple.Tuple{name}) }

// stateKey returns the key of a sequence's state in its generation.
func (c *Catalog) stateKey(d *SequenceDesc) []byte {
	if d.Gen == 0 {
		return c.data.Sub(d.ID).Pack(tuple.Tuple{"q"})
	}
	return c.data.Sub(d.ID).Pack(tuple.Tuple{"q", d.Gen})
}

// Sequence returns the descriptor of the named sequence, or an error
// wrapping ErrSequenceNotFound.
func (c *Catalog) Sequence(r layers.Reader, name string) (*SequenceDesc, error) {
	v, err := r.Get(seqKey(name))
	if errors.Is(err, layers.ErrNotFound) {
		return nil, fmt.Errorf("sequence %q: %w", name, ErrSequenceNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read catalog entry of sequence %q: %w", name, err)
	}
	d := new(SequenceDesc)
	if err := json.Unmarshal(v, d); err != nil {
		return nil, fmt.Errorf("decode catalog entry of sequence %q: %w", name, err)
	}
	return d, nil
}

// Sequences returns every sequence's descriptor, ordered by name.
func (c *Catalog) Sequences(r layers.Reader) ([]*SequenceDesc, error) {
	begin, end := seqDescs.Range()
	it := r.Scan(begin, end, false)
	defer it.Close()
	var out []*SequenceDesc
	for it.Next() {
		d := new(SequenceDesc)
		if err := json.Unmarshal(it.Value(), d); err != nil {
			return nil, fmt.Errorf("decode catalog entry of a sequence: %w", err)
		}
		out = append(out, d)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("scan sequences: %w", err)
	}
	return out, nil
}

// CreateSequence stores a new sequence, giving it the next id (set in
// desc.ID), at its start value. It returns an error
// wrapping ErrRelationExists when a table, view, index or sequence has
// the name.
func (c *Catalog) CreateSequence(tx layers.Txn, desc *SequenceDesc) error {
	exists, err := c.relationExists(tx, desc.Name)
	if err != nil {
		return err
	}
	if exists {
		return fmt.Errorf("sequence %q: %w", desc.Name, ErrRelationExists)
	}
	var last int64
	v, err := tx.Get(c.nextID)
	switch {
	case err == nil:
		t, err := tuple.Unpack(v)
		if err != nil || len(t) != 1 {
			return fmt.Errorf("corrupt table id counter %x", v)
		}
		n, ok := t[0].(int64)
		if !ok {
			return fmt.Errorf("corrupt table id counter %v", t)
		}
		last = n
	case !errors.Is(err, layers.ErrNotFound):
		return fmt.Errorf("read table id counter: %w", err)
	}
	desc.ID = last + 1
	tx.Set(c.nextID, tuple.Tuple{desc.ID}.Pack())
	// No state is written: a sequence without one is at its start, and
	// a state written in tx would, at its commit, overwrite the values
	// NextvalOp took meanwhile.
	return c.PutSequence(tx, desc)
}

// PutSequence writes a sequence's descriptor under its name.
func (c *Catalog) PutSequence(tx layers.Txn, desc *SequenceDesc) error {
	b, err := json.Marshal(desc)
	if err != nil {
		return fmt.Errorf("encode catalog entry of sequence %q: %w", desc.Name, err)
	}
	tx.Set(seqKey(desc.Name), b)
	return nil
}

// DropSequence removes a sequence's descriptor and state.
func (c *Catalog) DropSequence(tx layers.Txn, desc *SequenceDesc) {
	tx.Delete(seqKey(desc.Name))
	begin, end := c.data.Sub(desc.ID).Range()
	tx.DeleteRange(begin, end)
}

// RestartSequence moves a sequence to a new generation in tx (see the
// file comment), updating desc; the caller then writes the new
// generation's state in a transaction of its own (SetSeqState).
func (c *Catalog) RestartSequence(tx layers.Txn, desc *SequenceDesc) error {
	desc.Gen++
	return c.PutSequence(tx, desc)
}

// SetSeqState writes the state of a sequence's generation in tx (setval,
// RESTART). tx should be one of its own, committed at once: see
// CreateSequence.
func (c *Catalog) SetSeqState(tx layers.Txn, desc *SequenceDesc, st SeqState) {
	called := int64(0)
	if st.Called {
		called = 1
	}
	tx.Set(c.stateKey(desc), tuple.Tuple{st.Last, st.LogCnt, called}.Pack())
}

// SeqState reads a sequence's state; a sequence without one (its state
// was never written) is at its start value.
func (c *Catalog) SeqState(r layers.Reader, desc *SequenceDesc) (SeqState, error) {
	v, err := r.Get(c.stateKey(desc))
	if errors.Is(err, layers.ErrNotFound) {
		return SeqState{Last: desc.Start}, nil
	}
	if err != nil {
		return SeqState{}, fmt.Errorf("read state of sequence %q: %w", desc.Name, err)
	}
	return decodeState(v)
}

// decodeState decodes a stored state.
func decodeState(v []byte) (SeqState, error) {
	t, err := tuple.Unpack(v)
	if err != nil || len(t) != 3 {
		return SeqState{}, fmt.Errorf("corrupt sequence state %x", v)
	}
	var n [3]int64
	for i, e := range t {
		x, ok := e.(int64)
		if !ok {
			return SeqState{}, fmt.Errorf("corrupt sequence state %v", t)
		}
		n[i] = x
	}
	return SeqState{Last: n[0], LogCnt: n[1], Called: n[2] != 0}, nil
}

// NextvalOp is the mutation that takes values from a sequence. Register
// Mutations() with the store on every replica.
const NextvalOp = "sqlrows.nextval"

// Mutations returns the sequence mutations, to register with the store on
// every replica.
func Mutations() map[string]layers.MutationFunc {
	return map[string]layers.MutationFunc{NextvalOp: mutNextval}
}

// NextvalArgs returns the arguments of NextvalOp for desc, run by the
// catalog c.
func (c *Catalog) NextvalArgs(desc *SequenceDesc) []byte {
	cycle := int64(0)
	if desc.Cycle {
		cycle = 1
	}
	return tuple.Tuple{c.stateKey(desc), desc.Start, desc.Increment, desc.Min, desc.Max, desc.Cache, cycle}.Pack()
}

// Nextval outcome statuses, the first element of NextvalOp's result.
const (
	NextvalOK         = 0
	NextvalMaxReached = 1
	NextvalMinReached = 2
)

// DecodeNextval reads NextvalOp's result: the status, the first value
// handed out and the last value reserved (the session's cache holds the
// values after first, up to last).
func DecodeNextval(b []byte) (status int, first, last int64, err error) {
	t, err := tuple.Unpack(b)
	if err != nil || len(t) != 3 {
		return 0, 0, 0, fmt.Errorf("corrupt nextval result %x", b)
	}
	var n [3]int64
	for i, e := range t {
		x, ok := e.(int64)
		if !ok {
			return 0, 0, 0, fmt.Errorf("corrupt nextval result %v", t)
		}
		n[i] = x
	}
	return int(n[0]), n[1], n[2], nil
}

// seqLogVals is how many values ahead PostgreSQL logs a sequence (its
// SEQ_LOG_VALS); log_cnt counts down from it, as PostgreSQL shows.
const seqLogVals = 32

// mutNextval takes values at apply time: PostgreSQL's nextval_internal,
// in closed form (CACHE may be huge).
func mutNextval(m layers.Mutator, args []byte) ([]byte, error) {
	t, err := tuple.Unpack(args)
	if err != nil || len(t) != 7 {
		return nil, fmt.Errorf("nextval: bad arguments %x", args)
	}
	key, ok := t[0].([]byte)
	if !ok {
		return nil, fmt.Errorf("nextval: bad key %v", t[0])
	}
	var n [6]int64
	for i := range n {
		x, ok := t[i+1].(int64)
		if !ok {
			return nil, fmt.Errorf("nextval: bad argument %v", t[i+1])
		}
		n[i] = x
	}
	start, inc, minv, maxv, cache, cycle := n[0], n[1], n[2], n[3], n[4], n[5] != 0
	st := SeqState{Last: start}
	v, err := m.Get(key)
	switch {
	case err == nil:
		if st, err = decodeState(v); err != nil {
			return nil, err
		}
	case !errors.Is(err, layers.ErrNotFound):
		return nil, fmt.Errorf("nextval: read state: %w", err)
	}
	status, res, next := nextval(st, inc, minv, maxv, cache, cycle)
	if status != NextvalOK {
		return tuple.Tuple{int64(status), int64(0), int64(0)}.Pack(), nil
	}
	called := int64(1)
	m.Set(key, tuple.Tuple{next.Last, next.LogCnt, called}.Pack())
	return tuple.Tuple{int64(NextvalOK), res, next.Last}.Pack(), nil
}

// steps returns how many increments of inc fit between from and the
// bound (maxv for inc > 0, minv otherwise) without crossing it.
func steps(from, inc, minv, maxv int64) uint64 {
	if inc > 0 {
		if from > maxv {
			return 0
		}
		return (uint64(maxv) - uint64(from)) / uint64(inc)
	}
	if from < minv {
		return 0
	}
	return (uint64(from) - uint64(minv)) / (uint64(-(inc + 1)) + 1)
}

// nextval computes one nextval call over state st: the status, the value
// returned, and the new state (whose Last is the last value reserved for
// the caller's cache).
func nextval(st SeqState, inc, minv, maxv, cache int64, cycle bool) (status int, result int64, out SeqState) {
	if cache < 1 {
		cache = 1
	}
	next := st.Last
	result = next
	last := next
	fetch := uint64(cache)
	log := st.LogCnt
	rescnt := uint64(0)
	if !st.Called {
		rescnt++
		fetch--
	}
	if log < int64(min(fetch, math.MaxInt64)) || !st.Called {
		fetch += seqLogVals
		log = int64(min(fetch, math.MaxInt64))
	}
	ucache := uint64(cache)
	if fetch > 0 && rescnt == 0 {
		// The first value: the only step that may wrap around.
		if steps(next, inc, minv, maxv) == 0 {
			if !cycle {
				if inc > 0 {
					return NextvalMaxReached, 0, st
				}
				return NextvalMinReached, 0, st
			}
			if inc > 0 {
				next = minv
			} else {
				next = maxv
			}
		} else {
			next += inc
		}
		fetch--
		log--
		rescnt++
		last, result = next, next
	}
	if fetch > 0 {
		k := min(fetch, steps(next, inc, minv, maxv))
		// The steps still counted in the cache.
		c := uint64(0)
		if rescnt < ucache {
			c = min(k, ucache-rescnt)
		}
		if c > 0 {
			if rescnt == 0 {
				result = next + inc
			}
			last = next + int64(c)*inc
			log -= int64(c)
			rescnt += c
		}
		next += int64(k) * inc
		fetch -= k
		log -= int64(min(fetch, math.MaxInt64))
	}
	return NextvalOK, result, SeqState{Last: last, LogCnt: log, Called: true}
}
