package planner

// Sequences: the session's half. CREATE/ALTER/DROP SEQUENCE run in the
// session's transaction like other DDL; nextval takes values with the
// sqlrows.NextvalOp mutation committed on its own, outside the session's
// transaction, so that, as in PostgreSQL, a rollback gives no value back
// and concurrent sessions never get the same value nor conflict. setval
// also writes the state on its own. Each session keeps
// PostgreSQL's per-session cache (CACHE n) and currval/lastval state.
// RESTART is transactional, through sqlrows' sequence generations.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/syscat"
	"github.com/aspen-db/aspen/planner/types"
)

// Mutations returns the deterministic operations the SQL engine commits
// (sequence values); a store serving an Engine must register them on
// every replica.
func Mutations() map[string]layers.MutationFunc {
	return sqlrows.Mutations()
}

// seqSession is a session's sequence state.
type seqSession struct {
	// cache holds, per sequence id, the last value returned and the last
	// one reserved (PostgreSQL's SeqTableData).
	cache    map[int64]*seqCacheEntry
	lastUsed *seqCacheEntry
}

// seqCacheEntry is one sequence's session state.
type seqCacheEntry struct {
	id           int64
	last, cached int64
	inc          int64
	valid        bool // currval is defined
}

// entry returns the session's entry of a sequence, creating it.
func (ss *seqSession) entry(id int64) *seqCacheEntry {
	if ss.cache == nil {
		ss.cache = map[int64]*seqCacheEntry{}
	}
	e := ss.cache[id]
	if e == nil {
		e = &seqCacheEntry{id: id}
		ss.cache[id] = e
	}
	return e
}

// seqState reads a sequence's current state outside any transaction.
func (e *Engine) seqState(desc *sqlrows.SequenceDesc) (sqlrows.SeqState, error) {
	var st sqlrows.SeqState
	err := layers.View(context.Background(), e.kv, func(r layers.Reader) error {
		var err error
		st, err = e.cat.SeqState(r, desc)
		return err
	})
	if err != nil {
		return st, storeErr("read sequence", err)
	}
	return st, nil
}

// seqRelOID is a sequence's relation OID (0 when out of range).
func seqRelOID(desc *sqlrows.SequenceDesc) uint32 {
	oid, _ := syscat.RelationOID(desc.ID)
	return oid
}

// reader returns what a sequence function reads the catalog with.
func (s *Session) seqReader(ev *evalCtx) layers.Reader {
	if ev != nil && ev.r != nil {
		return ev.r
	}
	if s.tx != nil {
		return s.tx
	}
	return nil
}

// lookupSequence finds a sequence for nextval and friends: 42P01 when no
// relation has the name, 42809 when it is not a sequence.
func (s *Session) lookupSequence(ev *evalCtx, name string) (*sqlrows.SequenceDesc, error) {
	r := s.seqReader(ev)
	if r == nil {
		tx, err := s.txn(evCtx(ev))
		if err != nil {
			return nil, err
		}
		r = tx
	}
	desc, err := s.eng.cat.Sequence(r, name)
	if err == nil {
		return desc, nil
	}
	if !errors.Is(err, sqlrows.ErrSequenceNotFound) {
		return nil, err
	}
	exists, err := s.eng.cat.RelationExists(r, name)
	if err != nil {
		return nil, err
	}
	if exists {
		return nil, sqlerr.New(sqlerr.WrongObjectType, "%q is not a sequence", name)
	}
	return nil, sqlerr.UndefinedTableErr(name)
}

// evCtx is the context of an evaluation.
func evCtx(ev *evalCtx) context.Context {
	if ev != nil && ev.ctx != nil {
		return ev.ctx
	}
	return context.Background()
}

// seqNameOf turns a sequence function's run-time argument into a name:
// text is parsed as regclass input, an integer is a relation OID.
func (ev *evalCtx) seqNameOf(v types.Value) (string, error) {
	if v.Kind().IsString() || v.Kind() == types.Unknown {
		return parseRelName(v.Str())
	}
	s := ev.sess
	r := s.seqReader(ev)
	if r == nil {
		return "", fmt.Errorf("sequence function without a transaction")
	}
	seqs, err := s.eng.cat.Sequences(r)
	if err != nil {
		return "", err
	}
	for _, d := range seqs {
		if int64(seqRelOID(d)) == v.Int() {
			return d.Name, nil
		}
	}
	return "", sqlerr.New(sqlerr.InternalError, "could not open relation with OID %d", v.Int())
}

// nextval is nextval(name).
func (s *Session) nextval(ev *evalCtx, name string) (types.Value, error) {
	if s == nil {
		return types.Null, fmt.Errorf("nextval outside a session")
	}
	desc, err := s.lookupSequence(ev, name)
	if err != nil {
		return types.Null, err
	}
	e := s.seq.entry(desc.ID)
	if e.valid && e.last != e.cached {
		e.last += e.inc
		s.seq.lastUsed = e
		return types.NewInt(types.Int8, e.last), nil
	}
	args := s.eng.cat.NextvalArgs(desc)
	res, err := layers.Update(evCtx(ev), s.eng.kv, func(tx layers.Txn) error {
		tx.Mutate(sqlrows.NextvalOp, args)
		return nil
	})
	if err != nil {
		return types.Null, storeErr("nextval", err)
	}
	if len(res.Results) != 1 {
		return types.Null, fmt.Errorf("nextval: %d mutation results", len(res.Results))
	}
	status, first, last, err := sqlrows.DecodeNextval(res.Results[0])
	if err != nil {
		return types.Null, err
	}
	switch status {
	case sqlrows.NextvalMaxReached:
		return types.Null, sqlerr.New("2200H", "nextval: reached maximum value of sequence %q (%d)", desc.Name, desc.Max)
	case sqlrows.NextvalMinReached:
		return types.Null, sqlerr.New("2200H", "nextval: reached minimum value of sequence %q (%d)", desc.Name, desc.Min)
	}
	e.last, e.cached, e.inc, e.valid = first, last, desc.Increment, true
	s.seq.lastUsed = e
	return types.NewInt(types.Int8, first), nil
}

// currval is currval(name).
func (s *Session) currval(ev *evalCtx, name string) (types.Value, error) {
	desc, err := s.lookupSequence(ev, name)
	if err != nil {
		return types.Null, err
	}
	e := s.seq.cache[desc.ID]
	if e == nil || !e.valid {
		return types.Null, sqlerr.New(sqlerr.ObjectNotInPrerequisiteState, "currval of sequence %q is not yet defined in this session", desc.Name)
	}
	return types.NewInt(types.Int8, e.last), nil
}

// lastval is lastval(): undefined too when the sequence was dropped
// since.
func (s *Session) lastval(ev *evalCtx) (types.Value, error) {
	undefined := sqlerr.New(sqlerr.ObjectNotInPrerequisiteState, "lastval is not yet defined in this session")
	e := s.seq.lastUsed
	if e == nil || !e.valid {
		return types.Null, undefined
	}
	if r := s.seqReader(ev); r != nil {
		seqs, err := s.eng.cat.Sequences(r)
		if err != nil {
			return types.Null, err
		}
		found := false
		for _, d := range seqs {
			found = found || d.ID == e.id
		}
		if !found {
			return types.Null, undefined
		}
	}
	return types.NewInt(types.Int8, e.last), nil
}

// setval is setval(name, v, called).
func (s *Session) setval(ev *evalCtx, name string, v int64, called bool) (types.Value, error) {
	desc, err := s.lookupSequence(ev, name)
	if err != nil {
		return types.Null, err
	}
	if v < desc.Min || v > desc.Max {
		return types.Null, sqlerr.New(sqlerr.NumericValueOutOfRange, "setval: value %d is out of bounds for sequence %q (%d..%d)", v, desc.Name, desc.Min, desc.Max)
	}
	if err := s.writeSeqState(evCtx(ev), desc, sqlrows.SeqState{Last: v, Called: called}); err != nil {
		return types.Null, err
	}
	e := s.seq.entry(desc.ID)
	if called {
		e.last, e.valid = v, true
	}
	e.cached = e.last
	return types.NewInt(types.Int8, v), nil
}

// writeSeqState sets a sequence's state in a transaction of its own.
func (s *Session) writeSeqState(ctx context.Context, desc *sqlrows.SequenceDesc, st sqlrows.SeqState) error {
	_, err := layers.Update(ctx, s.eng.kv, func(tx layers.Txn) error {
		s.eng.cat.SetSeqState(tx, desc, st)
		return nil
	})
	if err != nil {
		return storeErr("set sequence state", err)
	}
	return nil
}

// execSeqStmt runs CREATE, ALTER or DROP SEQUENCE.
func (s *Session) execSeqStmt(ctx context.Context, spec *seqStmt) (*Result, error) {
	tx, err := s.txn(ctx)
	if err != nil {
		return nil, err
	}
	switch spec.kind {
	case "CREATE":
		return s.createSequence(ctx, tx, spec)
	case "ALTER":
		return s.alterSequence(ctx, tx, spec)
	}
	return s.dropSequences(tx, spec)
}

// createSequence runs CREATE SEQUENCE.
func (s *Session) createSequence(ctx context.Context, tx layers.Txn, spec *seqStmt) (*Result, error) {
	name := spec.names[0]
	res := &Result{Tag: "CREATE SEQUENCE"}
	if spec.ifNotExists {
		exists, err := s.eng.cat.RelationExists(tx, name)
		if err != nil {
			return nil, err
		}
		if exists {
			res.Notices = []*sqlerr.Error{sqlerr.Notice(sqlerr.DuplicateTable, "relation %q already exists, skipping", name)}
			return res, nil
		}
	}
	desc := &sqlrows.SequenceDesc{Name: name}
	st, err := applySeqOpts(desc, &spec.opts, true, nil)
	if err != nil {
		return nil, err
	}
	if err := s.seqOwner(tx, desc, &spec.opts); err != nil {
		return nil, err
	}
	err = s.eng.cat.CreateSequence(tx, desc)
	if errors.Is(err, sqlrows.ErrRelationExists) {
		return nil, sqlerr.DuplicateTableErr(name)
	}
	if err != nil {
		return nil, fmt.Errorf("create sequence %q: %w", name, err)
	}
	if st != nil {
		// RESTART in CREATE: the state starts elsewhere than START.
		if err := s.writeSeqState(ctx, desc, *st); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// seqOwner applies OWNED BY to desc.
func (s *Session) seqOwner(r layers.Reader, desc *sqlrows.SequenceDesc, o *seqOpts) error {
	if !o.ownedSet {
		return nil
	}
	if o.owned == nil {
		desc.OwnerTable, desc.OwnerColumn = "", ""
		return nil
	}
	tname, cname := o.owned[len(o.owned)-2], o.owned[len(o.owned)-1]
	if len(o.owned) > 2 {
		return sqlerr.New("3F000", "schema %q does not exist", o.owned[0])
	}
	td, err := s.eng.cat.Table(r, tname)
	if errors.Is(err, sqlrows.ErrTableNotFound) {
		exists, err := s.eng.cat.RelationExists(r, tname)
		if err != nil {
			return err
		}
		if exists {
			return sqlerr.New(sqlerr.WrongObjectType, "sequence cannot be owned by relation %q", tname)
		}
		return sqlerr.UndefinedTableErr(tname)
	}
	if err != nil {
		return err
	}
	for _, c := range td.Columns {
		if c.Name == cname {
			desc.OwnerTable, desc.OwnerColumn = tname, cname
			return nil
		}
	}
	return sqlerr.New(sqlerr.UndefinedColumn, "column %q of relation %q does not exist", cname, tname)
}

// alterSequence runs ALTER SEQUENCE.
func (s *Session) alterSequence(ctx context.Context, tx layers.Txn, spec *seqStmt) (*Result, error) {
	name := spec.names[0]
	res := &Result{Tag: "ALTER SEQUENCE"}
	desc, err := s.eng.cat.Sequence(tx, name)
	if errors.Is(err, sqlrows.ErrSequenceNotFound) {
		exists, err := s.eng.cat.RelationExists(tx, name)
		if err != nil {
			return nil, err
		}
		if exists {
			return nil, sqlerr.New(sqlerr.WrongObjectType, "%q is not a sequence", name)
		}
		if spec.missingOk {
			res.Notices = []*sqlerr.Error{sqlerr.Notice(sqlerr.SuccessfulCompletion, "relation %q does not exist, skipping", name)}
			return res, nil
		}
		return nil, sqlerr.UndefinedTableErr(name)
	}
	if err != nil {
		return nil, err
	}
	st, err := s.eng.seqState(desc)
	if err != nil {
		return nil, err
	}
	newState, err := applySeqOpts(desc, &spec.opts, false, &st)
	if err != nil {
		return nil, err
	}
	if err := s.seqOwner(tx, desc, &spec.opts); err != nil {
		return nil, err
	}
	if newState != nil {
		// RESTART: transactional, in a new generation.
		if err := s.eng.cat.RestartSequence(tx, desc); err != nil {
			return nil, err
		}
		if err := s.writeSeqState(ctx, desc, *newState); err != nil {
			return nil, err
		}
	} else if err := s.eng.cat.PutSequence(tx, desc); err != nil {
		return nil, err
	}
	// Forget the values this session had cached.
	if e := s.seq.cache[desc.ID]; e != nil {
		e.cached = e.last
	}
	return res, nil
}

// dropSequences runs DROP SEQUENCE.
func (s *Session) dropSequences(tx layers.Txn, spec *seqStmt) (*Result, error) {
	res := &Result{Tag: "DROP SEQUENCE"}
	for _, name := range spec.names {
		desc, err := s.eng.cat.Sequence(tx, name)
		if errors.Is(err, sqlrows.ErrSequenceNotFound) {
			kind, err := s.relationKind(tx, name)
			if err != nil {
				return nil, err
			}
			if kind != "" {
				return nil, wrongKindErr(name, "sequence", kind)
			}
			if spec.missingOk {
				res.Notices = append(res.Notices, sqlerr.Notice(sqlerr.SuccessfulCompletion, "sequence %q does not exist, skipping", name))
				continue
			}
			return nil, sqlerr.New(sqlerr.UndefinedTable, "sequence %q does not exist", name)
		}
		if err != nil {
			return nil, err
		}
		notices, err := s.dropSequenceDeps(tx, desc, spec.cascade)
		if err != nil {
			return nil, err
		}
		res.Notices = append(res.Notices, notices...)
		s.eng.cat.DropSequence(tx, desc)
	}
	return res, nil
}

// dropSequenceDeps handles the column defaults that use a sequence being
// dropped: 2BP01, or with CASCADE their removal with a notice. An
// identity column's sequence cannot be dropped alone.
func (s *Session) dropSequenceDeps(tx layers.Txn, desc *sqlrows.SequenceDesc, cascade bool) ([]*sqlerr.Error, error) {
	if desc.Identity {
		return nil, sqlerr.New("2BP01", "cannot drop sequence %s because column %s of table %s requires it", desc.Name, desc.OwnerColumn, desc.OwnerTable).
			WithHint("You can drop column %s of table %s instead.", desc.OwnerColumn, desc.OwnerTable)
	}
	tables, err := s.eng.cat.Tables(tx)
	if err != nil {
		return nil, err
	}
	var lines []string
	var notices []*sqlerr.Error
	for _, t := range tables {
		changed := false
		for i, c := range t.Columns {
			if c.Default == "" || !defaultUsesSeq(c.Default, desc.Name) {
				continue
			}
			lines = append(lines, fmt.Sprintf("default value for column %s of table %s depends on sequence %s", c.Name, t.Name, desc.Name))
			if cascade {
				notices = append(notices, sqlerr.Notice(sqlerr.SuccessfulCompletion, "drop cascades to default value for column %s of table %s", c.Name, t.Name))
				t.Columns[i].Default = ""
				changed = true
			}
		}
		if changed {
			if err := s.eng.cat.PutTable(tx, t); err != nil {
				return nil, err
			}
		}
	}
	if len(lines) > 0 && !cascade {
		return nil, sqlerr.New("2BP01", "cannot drop sequence %s because other objects depend on it", desc.Name).
			WithDetail("%s", strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	return notices, nil
}

// defaultUsesSeq reports whether a default expression's text calls a
// sequence function on the named sequence.
func defaultUsesSeq(def, name string) bool {
	for _, lit := range []string{sqlLiteral(name), sqlLiteral(pgQuoteIdent(name)), sqlLiteral("public." + pgQuoteIdent(name))} {
		if strings.Contains(def, "nextval("+lit) {
			return true
		}
	}
	return false
}

// createOwnedSequences creates the sequences of a CREATE TABLE's SERIAL
// and identity columns, and sets those columns' defaults. It does nothing
// when the table's name is taken (CREATE TABLE reports that).
func (s *Session) createOwnedSequences(tx layers.Txn, p *createTablePlan) error {
	if len(p.seqs) == 0 {
		return nil
	}
	exists, err := s.eng.cat.RelationExists(tx, p.name)
	if err != nil || exists {
		return err
	}
	return s.createSequencesFor(tx, p)
}

// createSequencesFor creates the sequences p.seqs records for columns of
// table p.name (a new table, or ALTER TABLE ADD COLUMN of an existing
// one) and sets those columns' defaults.
func (s *Session) createSequencesFor(tx layers.Txn, p *createTablePlan) error {
	for i := range p.seqs {
		q := &p.seqs[i]
		d := q.desc
		if d.Name == "" {
			base := p.name + "_" + p.cols[q.col].name + "_seq"
			d.Name = base
			for n := 1; ; n++ {
				taken, err := s.eng.cat.RelationExists(tx, d.Name)
				if err != nil {
					return err
				}
				if !taken && d.Name != p.name {
					break
				}
				d.Name = fmt.Sprintf("%s%d", base, n)
			}
		}
		err := s.eng.cat.CreateSequence(tx, &d)
		if errors.Is(err, sqlrows.ErrRelationExists) {
			return sqlerr.DuplicateTableErr(d.Name)
		}
		if err != nil {
			return fmt.Errorf("create sequence %q: %w", d.Name, err)
		}
		p.cols[q.col].def = seqDefault(d.Name)
	}
	return nil
}

// identityCode is a column's identity kind as the catalog stores it.
func identityCode(b byte) string {
	if b == 0 {
		return ""
	}
	return string(rune(b))
}

// moveOwnedSequences follows a rename of the owning table (oldCol empty)
// or column: the sequences keep their names and now belong to newTable's
// newCol.
func (s *Session) moveOwnedSequences(tx layers.Txn, oldTable, oldCol, newTable, newCol string) error {
	seqs, err := s.eng.cat.Sequences(tx)
	if err != nil {
		return err
	}
	for _, d := range seqs {
		if d.OwnerTable != oldTable || oldCol != "" && d.OwnerColumn != oldCol {
			continue
		}
		d.OwnerTable = newTable
		if oldCol != "" {
			d.OwnerColumn = newCol
		}
		if err := s.eng.cat.PutSequence(tx, d); err != nil {
			return err
		}
	}
	return nil
}

// dropColumnSequences drops the sequences owned by a column being
// dropped.
func (s *Session) dropColumnSequences(tx layers.Txn, table, col string) error {
	seqs, err := s.eng.cat.Sequences(tx)
	if err != nil {
		return err
	}
	for _, d := range seqs {
		if d.OwnerTable == table && d.OwnerColumn == col {
			s.eng.cat.DropSequence(tx, d)
		}
	}
	return nil
}

// dropOwnedSequences drops the sequences owned by a table being dropped.
func (s *Session) dropOwnedSequences(tx layers.Txn, table string) error {
	seqs, err := s.eng.cat.Sequences(tx)
	if err != nil {
		return err
	}
	for _, d := range seqs {
		if d.OwnerTable == table {
			s.eng.cat.DropSequence(tx, d)
		}
	}
	return nil
}

// restartOwnedSequences is TRUNCATE ... RESTART IDENTITY: the tables'
// owned sequences go back to their start, transactionally (see
// sqlrows.RestartSequence).
func (s *Session) restartOwnedSequences(ctx context.Context, tx layers.Txn, tables []*tableInfo) error {
	seqs, err := s.eng.cat.Sequences(tx)
	if err != nil {
		return err
	}
	for _, ti := range tables {
		for _, d := range seqs {
			if d.OwnerTable != ti.desc.Name {
				continue
			}
			if err := s.eng.cat.RestartSequence(tx, d); err != nil {
				return err
			}
			if err := s.writeSeqState(ctx, d, sqlrows.SeqState{Last: d.Start}); err != nil {
				return err
			}
			if e := s.seq.cache[d.ID]; e != nil {
				e.cached = e.last
			}
		}
	}
	return nil
}

// addSequences adds the sequences to a system catalog snapshot.
func (b *binder) addSequences(snap *syscat.Snapshot, r layers.Reader) error {
	seqs, err := b.eng.cat.Sequences(r)
	if err != nil {
		return fmt.Errorf("system catalog: %w", err)
	}
	if len(seqs) == 0 {
		return nil
	}
	// The states as pg_sequences shows them: read now, outside the
	// transaction, as PostgreSQL reads a sequence.
	states := make([]sqlrows.SeqState, len(seqs))
	err = layers.View(context.Background(), b.eng.kv, func(r layers.Reader) error {
		for i, d := range seqs {
			var err error
			if states[i], err = b.eng.cat.SeqState(r, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return storeErr("read sequences", err)
	}
	for i, d := range seqs {
		q := syscat.UserSequence{ID: d.ID, Name: d.Name, TypeOID: d.TypeOID,
			Start: d.Start, Increment: d.Increment, Min: d.Min, Max: d.Max, Cache: d.Cache, Cycle: d.Cycle,
			OwnerTable: d.OwnerTable, OwnerColumn: d.OwnerColumn, Identity: d.Identity}
		if states[i].Called {
			q.LastValue = &states[i].Last
		}
		snap.Sequences = append(snap.Sequences, q)
	}
	return nil
}
