package planner

// The plan cache of prepared statements: a Prepared keeps the plan its
// last Execute bound, and later executions reuse it while what the binding
// read is unchanged.
//
// Binding is a function of the statement, the parameter types, the session
// identity and TimeZone, and the catalog entries it reads. The binder's
// catalog reads go through a recordingReader, which keeps each key read and
// the value found (or its absence). An execution with a cached plan reads
// those keys again in its own transaction and compares: equal bytes mean
// the binding would come out the same, so the plan is reused; any
// difference (ALTER TABLE, DROP and CREATE, CREATE INDEX, a view replaced,
// even by the session's own uncommitted DDL) binds again. The reads also
// enter the transaction's read set, as the binder's do, so a concurrent
// DDL still conflicts with the transaction at commit.
//
// Only statements whose binding depends on nothing else are cached:
// SELECT, INSERT, UPDATE and DELETE whose binding read single catalog
// entries of tables and views (no catalog scans, no sequences) and whose
// text names none of the functions or special values that fold the
// transaction's time or the session's settings into the plan at bind time.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// cachedPlan is a Prepared's bound plan and what its binding depended on.
type cachedPlan struct {
	plan plan
	// user, database and timeZone are the session state the binding
	// folded in.
	user, database, timeZone string
	// deps are the catalog entries the binding read, with what it found.
	deps []catalogRead
	// version, when versionOK, is a store version at which the deps held
	// (the committed catalog, not a transaction's own DDL): while the
	// store's catalog watch says nothing changed since, the deps need no
	// reading again.
	version   uint64
	versionOK bool
	// rec is the reader the plan's expressions hold (some evaluate
	// catalog lookups lazily); each execution points it at its own
	// transaction.
	rec *recordingReader
}

// catalogRead is one key the binder read and its value; found is false
// when the key was absent.
type catalogRead struct {
	key, val []byte
	found    bool
}

// recordingReader passes reads to the transaction and records them while
// a statement is being bound. A scan, or any read once binding is over (a
// lazily evaluated catalog lookup), makes the plan uncacheable.
type recordingReader struct {
	r     layers.Reader
	reads []catalogRead
	// bound is set when binding ends; volatile is set by a scan during
	// binding or any read after it.
	bound, volatile bool
	isRelKey        func([]byte) bool
}

func (rr *recordingReader) Get(key []byte) ([]byte, error) {
	v, err := rr.r.Get(key)
	switch {
	case rr.bound || rr.volatile:
		rr.volatile = true
	case !rr.isRelKey(key):
		rr.volatile = true
	case err == nil:
		rr.reads = append(rr.reads, catalogRead{key: bytes.Clone(key), val: bytes.Clone(v), found: true})
	case isNotFound(err):
		rr.reads = append(rr.reads, catalogRead{key: bytes.Clone(key)})
	default:
		rr.volatile = true
	}
	return v, err
}

func (rr *recordingReader) Scan(start, end []byte, reverse bool) layers.Iterator {
	rr.volatile = true
	return rr.r.Scan(start, end, reverse)
}

func (rr *recordingReader) ReadVersion() uint64 { return rr.r.ReadVersion() }

// isNotFound reports whether err is the store's not-found error.
func isNotFound(err error) bool { return errors.Is(err, layers.ErrNotFound) }

// planCacheable reports whether a prepared statement may keep its plan:
// SELECT, INSERT, UPDATE or DELETE whose text has none of the words of
// what binding folds in from the clock, settings or system catalogs.
func planCacheable(st *parsedStmt) bool {
	if st == nil || st.node == nil {
		return false
	}
	switch st.node.Node.(type) {
	case *pg_query.Node_SelectStmt, *pg_query.Node_InsertStmt, *pg_query.Node_UpdateStmt, *pg_query.Node_DeleteStmt:
	default:
		return false
	}
	text := strings.ToLower(st.text)
	for _, w := range uncacheableWords {
		if strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// uncacheableWords are substrings of statements not cached: the special
// date/time input values ('now', 'today', ...), which binding converts
// with the transaction's time; settings, the server version and the system
// catalogs (current_setting, version(), pg_*, information_schema), which
// binding reads outside the catalog entries it records; OID lookups
// (regclass...) and sequences (nextval..., SELECT from a sequence is
// caught by its catalog read); and session facts (inet_client_addr,
// pg_backend_pid, txid_current...).
var uncacheableWords = []string{
	"now", "today", "tomorrow", "yesterday", "setting", "version", "pg_",
	"information_schema", "reg", "val(", "inet_", "backend", "txid", "xact",
}

// planKey returns the session state a binding depends on besides the
// catalog.
func (s *Session) planKey() (user, database, timeZone string) {
	tz, _ := s.show("timezone")
	return s.ident.user, s.ident.database, tz
}

// runPrepared executes a cacheable prepared statement: with its cached
// plan when the catalog entries that plan was bound from are unchanged in
// the current transaction, else binding it again (and caching that plan).
// It behaves as runStmt does for these statements.
func (s *Session) runPrepared(ctx context.Context, p *Prepared, params []types.Value) (*Result, error) {
	defer s.spill.removeAll() // temporary files the statement left (spill.go)
	sink := s.takeSink()      // given back to runPlan (stream.go)
	if s.failed {
		return nil, sqlerr.InFailedTransactionErr()
	}
	tx, err := s.txn(ctx)
	if err != nil {
		return nil, err
	}
	s.ident.env = s.sessionEnv()
	user, database, tz := s.planKey()
	w := s.eng.catalogWatch()
	if c := p.cache; c != nil {
		ok, err := c.check(tx, w, user, database, tz)
		if err != nil {
			return nil, err
		}
		if ok {
			c.rec.r = tx
			s.sink = sink
			res, err := s.runPlan(ctx, c.plan, params)
			if c.rec.volatile {
				p.cache, p.cacheable = nil, false
			}
			return res, err
		}
		p.cache = nil
	}
	rec := &recordingReader{r: tx, isRelKey: s.eng.cat.IsRelationKey}
	pl, _, err := s.eng.bindStmt(p.st, rec, p.paramTypes, s.ident)
	rec.bound = true
	if err != nil {
		return nil, err
	}
	if !sameResultType(pl.columns(), p.cols) {
		// As PostgreSQL: the client was told the row type at Parse.
		return nil, sqlerr.Unsupported("cached plan must not change result type")
	}
	if !rec.volatile && cacheablePlan(pl) {
		c := &cachedPlan{plan: pl, user: user, database: database, timeZone: tz, deps: rec.reads, rec: rec}
		if w != nil {
			if c.version, c.versionOK, err = w.Version(tx); err != nil {
				return nil, storeErr("read catalog", err)
			}
		}
		p.cache = c
	}
	s.sink = sink
	res, err := s.runPlan(ctx, pl, params)
	if rec.volatile {
		p.cache, p.cacheable = nil, false
	}
	return res, err
}

// cacheablePlan reports whether a bound plan is of a kind the cache keeps.
func cacheablePlan(p plan) bool {
	switch p.(type) {
	case *selectPlan, *insertPlan, *updatePlan, *deletePlan:
		return true
	}
	return false
}

// check reports whether the cached plan still holds for the session
// state and the catalog as tx sees it: by the store's catalog watch when
// it can tell (adding the deps to tx's read set, as reading them would),
// else by reading the deps again.
func (c *cachedPlan) check(tx layers.Txn, w layers.PrefixWatch, user, database, tz string) (bool, error) {
	if c.user != user || c.database != database || c.timeZone != tz {
		return false, nil
	}
	if w != nil && c.versionOK {
		ok, err := w.Unchanged(tx, c.version)
		if err != nil {
			return false, storeErr("read catalog", err)
		}
		if ok {
			for _, d := range c.deps {
				tx.AddReadConflictRange(d.key, keyAfter(d.key))
			}
			return true, nil
		}
	}
	ok, err := c.valid(tx, user, database, tz)
	if !ok || err != nil {
		return ok, err
	}
	if w != nil {
		if c.version, c.versionOK, err = w.Version(tx); err != nil {
			return false, storeErr("read catalog", err)
		}
	}
	return true, nil
}

// keyAfter is the first key after k.
func keyAfter(k []byte) []byte {
	return append(k[:len(k):len(k)], 0)
}

// catalogWatch is an Engine's layers.PrefixWatch of the catalog, made
// on first use; nil when the store has none.
type catalogWatch struct {
	once sync.Once
	w    layers.PrefixWatch
}

// catalogWatch returns the engine's watch of the catalog, nil if the
// store cannot watch.
func (e *Engine) catalogWatch() layers.PrefixWatch {
	e.catWatch.once.Do(func() {
		if pw, ok := e.kv.(layers.PrefixWatcher); ok {
			e.catWatch.w = pw.WatchPrefix(e.cat.Prefix())
		}
	})
	return e.catWatch.w
}

// valid reports whether the cached plan still holds for the session state
// and the catalog as tx sees it. Its reads join tx's read set.
func (c *cachedPlan) valid(tx layers.Reader, user, database, tz string) (bool, error) {
	if c.user != user || c.database != database || c.timeZone != tz {
		return false, nil
	}
	for _, d := range c.deps {
		v, err := tx.Get(d.key)
		switch {
		case err == nil:
			if !d.found || !bytes.Equal(v, d.val) {
				return false, nil
			}
		case isNotFound(err):
			if d.found {
				return false, nil
			}
		default:
			return false, storeErr("read catalog", err)
		}
	}
	return true, nil
}

// sameResultType reports whether a statement bound again returns rows of
// the columns it was prepared with: the same names, types and modifiers.
func sameResultType(now, prepared []Column) bool {
	if len(now) != len(prepared) || (now == nil) != (prepared == nil) {
		return false
	}
	for i := range now {
		a, b := now[i], prepared[i]
		if a.Name != b.Name || a.TypeOID != b.TypeOID || a.TypeMod != b.TypeMod {
			return false
		}
	}
	return true
}

// tableEntry is a table's catalog entry as of a store version.
type tableEntry struct {
	val     []byte
	version uint64
}

// maxTableEntries bounds an engine's cache of table entries.
const maxTableEntries = 1024

// tableEntries caches table catalog entries by name for tableDesc.
type tableEntries struct {
	mu sync.Mutex
	m  map[string]tableEntry
}

// tableDesc returns the named table's descriptor as r sees it, as
// Catalog.Table does. When the store's catalog watch tells that the
// catalog is unchanged since a version at which the entry was read, it
// uses that entry without reading it again (adding the key to r's read
// set, as the read would): the statements of the simple query protocol,
// bound each time, then read only their rows.
func (e *Engine) tableDesc(r layers.Reader, name string) (*sqlrows.TableDesc, error) {
	w := e.catalogWatch()
	tx, isTxn := r.(layers.Txn)
	if w == nil || !isTxn {
		return e.cat.Table(r, name)
	}
	key := e.cat.TableKey(name)
	e.tables.mu.Lock()
	ent, ok := e.tables.m[name]
	e.tables.mu.Unlock()
	if ok {
		same, err := w.Unchanged(tx, ent.version)
		if err != nil {
			return nil, fmt.Errorf("read catalog entry of %q: %w", name, err)
		}
		if same {
			tx.AddReadConflictRange(key, keyAfter(key))
			d, err := e.cat.DecodeTable(ent.val)
			if err != nil {
				return nil, fmt.Errorf("decode catalog entry of %q: %w", name, err)
			}
			return d, nil
		}
	}
	v, err := tx.Get(key)
	if errors.Is(err, layers.ErrNotFound) {
		return nil, fmt.Errorf("table %q: %w", name, sqlrows.ErrTableNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read catalog entry of %q: %w", name, err)
	}
	if version, ok, err := w.Version(tx); err == nil && ok {
		e.tables.mu.Lock()
		if e.tables.m == nil || len(e.tables.m) >= maxTableEntries {
			e.tables.m = map[string]tableEntry{}
		}
		if cur, had := e.tables.m[name]; !had || cur.version < version {
			e.tables.m[name] = tableEntry{val: v, version: version}
		}
		e.tables.mu.Unlock()
	}
	d, err := e.cat.DecodeTable(v)
	if err != nil {
		return nil, fmt.Errorf("decode catalog entry of %q: %w", name, err)
	}
	return d, nil
}
