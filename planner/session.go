package planner

// The engine API pgwire uses: Engine, Session, Prepared, Result, transactions and settings.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/sqlrows"
	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// Engine runs SQL over a store. It holds no per-connection state and is
// safe for concurrent use; each connection gets its own Session.
type Engine struct {
	kv  layers.KV
	cat *sqlrows.Catalog
	// catWatch tells that the catalog did not change; tables caches
	// table entries (plancache.go).
	catWatch catalogWatch
	tables   tableEntries
	tmp      spillConfig      // temporary files of spilling operators (spill.go)
	act      activityRegistry // the sessions pg_stat_activity lists (activity.go)
}

// NewEngine returns an engine over kv. The catalog lives in kv itself.
func NewEngine(kv layers.KV) *Engine {
	return &Engine{kv: kv, cat: sqlrows.NewCatalog()}
}

// NewSession returns a session: one per client connection. A Session is
// not safe for concurrent use. Call Close when the connection ends.
func (e *Engine) NewSession() *Session {
	seed := uint64(time.Now().UnixNano())
	s := &Session{
		eng:      e,
		settings: map[string]string{},
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		ident:    identity{user: "aspen", database: "aspen"},
	}
	e.act.register(s)
	return s
}

// Value is one SQL value in a result row or a parameter. The zero Value
// is NULL. See TextValue for parameters and Value.AppendText for output.
type Value = types.Value

// Null is the SQL NULL value.
var Null = types.Null

// TextValue returns a parameter value in PostgreSQL text format, as a
// client sends it in a Bind message; Execute converts it to the
// parameter's type with the type's input function.
func TextValue(s string) Value { return types.NewUnknown(s) }

// Error is the SQL error type: SQLSTATE code, message, detail, hint and
// position. Every error the engine returns because of the input is one;
// use sqlerr.As to get it (other errors map to XX000).
type Error = sqlerr.Error

// Column describes one result column, with the fields of PostgreSQL's
// RowDescription.
type Column struct {
	Name string
	// TableID and ColumnAttr identify the table column the value comes
	// from, as PostgreSQL reports them: the table's (or view's) pg_class
	// OID and the column's attnum; zero for computed values.
	TableID    uint32
	ColumnAttr int16
	TypeOID    uint32
	// TypeSize is pg_type.typlen: 1, 2, 4 or 8 for fixed-size types, -1
	// for variable-length ones.
	TypeSize int16
	// TypeMod is the type modifier (atttypmod), -1 for none.
	TypeMod int32
}

// Result is the outcome of one statement.
type Result struct {
	// Columns describes the rows; nil for statements that return none
	// (an INSERT without RETURNING), empty but not nil for a query with
	// an empty select list (pgwire still sends a RowDescription).
	Columns []Column
	// Rows holds the result rows, each with len(Columns) values. The
	// caller owns them.
	Rows [][]Value
	// Tag is the CommandComplete tag: "SELECT 2", "INSERT 0 3",
	// "UPDATE 1", "DELETE 0", "CREATE TABLE", "BEGIN", ... Empty for an
	// empty query (pgwire sends EmptyQueryResponse).
	Tag string
	// Notices are NoticeResponses to send before CommandComplete (such as
	// "relation already exists, skipping").
	Notices []*Error
	// Copy is set for COPY FROM STDIN and COPY TO STDOUT: the protocol
	// moves the data (see CopyRequest).
	Copy *CopyRequest
	// Listen is set for LISTEN and UNLISTEN: the protocol keeps the
	// session's subscriptions.
	Listen *ListenRequest
	// Streamed says that the rows went to a RowSink as they were
	// produced (ExecStream): Rows is nil and Tag counts them.
	Streamed bool
}

// Session is one connection's state: its open transaction and settings.
//
// Transactions follow PostgreSQL. Outside a BEGIN block each Exec call
// (all its statements) or each Execute runs in one implicit transaction
// that commits at its end. Inside a block, the first error puts the session
// in the failed state ('E'): every statement except COMMIT and ROLLBACK
// then gets 25P02 until the block ends, and COMMIT rolls back. A
// serialization conflict at commit is 40001.
type Session struct {
	eng      *Engine
	tx       layers.Txn
	explicit bool // inside BEGIN ... COMMIT
	failed   bool
	settings map[string]string
	rng      *rand.Rand
	lastRow  int64
	ident    identity
	// txNow is the transaction's start time, what now() returns; zero
	// until the transaction's first statement.
	txNow time.Time
	// savedSettings holds the settings as they were at BEGIN: SET is
	// transactional, so ROLLBACK restores them. localSettings holds SET
	// LOCAL values, dropped when the block ends.
	savedSettings map[string]string
	localSettings map[string]string
	// copy is the COPY FROM STDIN in progress, between its statement and
	// CopyDone or CopyFail.
	copy *copyIn
	// notifies are the transaction's NOTIFYs, published with its commit;
	// pid is the backend PID they carry.
	notifies []notification
	pid      uint32
	// savepoints are the block's savepoints, oldest first.
	savepoints []savepoint
	// seq is the session's sequence cache, currval and lastval.
	seq seqSession
	// fk is the running statement's pending foreign key work.
	fk *fkState
	// spill holds the session's temporary files (spill.go).
	spill sessionSpill
	// fkCommitChecks are the transaction's deferred foreign key checks
	// (constraints_deferred.go).
	fkCommitChecks []deferredCheck
	// fkModes is the transaction's SET CONSTRAINTS state.
	fkModes fkModes
	// stream is the RowSink of ExecStream or ExecuteStream; sink is it
	// while the top-level statement may still hand it rows (stream.go).
	stream, sink *execSink
}

// savepoint is a SAVEPOINT of the open block: the store transaction's
// mark and the settings at that point (SET is transactional).
type savepoint struct {
	name       string
	rollbackTo func()
	settings   map[string]string
	local      map[string]string
	notifies   int
}

// identity is who a session is connected as, for current_user and
// current_database().
type identity struct {
	user, database string
	// pid is the backend PID (pg_backend_pid).
	pid uint32
	// env holds the statement's TimeZone and start time.
	env *types.Env
}

// SetIdentity records the user and database of the connection's startup
// message, reported by current_user and current_database(). The default
// is "aspen" for both.
func (s *Session) SetIdentity(user, database string) {
	s.ident = identity{user: user, database: database, pid: s.ident.pid}
}

// Close rolls back any open transaction.
func (s *Session) Close() {
	s.eng.act.unregister(s)
	s.spill.removeAll()
	s.endTx()
	s.explicit, s.failed = false, false
}

// TxStatus returns the ReadyForQuery status: 'I' idle, 'T' in a
// transaction block, 'E' in a failed transaction block.
func (s *Session) TxStatus() byte {
	switch {
	case s.failed:
		return 'E'
	case s.explicit:
		return 'T'
	}
	return 'I'
}

// Exec runs every statement of sql in order, as PostgreSQL's simple query
// protocol: outside a transaction block the statements share one implicit
// transaction, committed after the last one. It returns the results of the
// statements that ran, and the error of the one that failed (results up to
// it are still returned; later statements do not run). A statement text
// that does not parse is 42601 and runs nothing.
func (s *Session) Exec(ctx context.Context, sql string) (results []*Result, err error) {
	defer s.recoverPanic(&err)
	s.startQuery(sql)
	defer s.endQuery()
	if !s.explicit {
		s.txNow = time.Time{} // a new implicit transaction
	}
	stmts, err := parse(sql)
	if err != nil {
		s.fail()
		return nil, err
	}
	if len(stmts) == 0 {
		return []*Result{{}}, nil
	}
	for i, st := range stmts {
		s.armSink(results)
		res, err := s.runStmt(ctx, st, nil, nil)
		if s.sinkStarted() {
			results = nil // handed to the sink
		}
		if err == nil {
			localize(res, s.ident.env)
		}
		err = ctxErr(ctx, err)
		if err == nil && res.Copy != nil && res.Copy.In {
			if i < len(stmts)-1 {
				s.copy = nil
				err = sqlerr.Unsupported("COPY FROM STDIN must be the last statement of a query string")
			} else {
				// The data follows; CopyDone commits.
				return append(results, res), nil
			}
		}
		if err != nil {
			s.fail()
			return results, err
		}
		results = append(results, res)
	}
	if !s.explicit && s.tx != nil {
		if err := s.commit(ctx); err != nil {
			return results, err
		}
	}
	return results, nil
}

// Prepared is a statement parsed and bound once, executed many times with
// parameters (the extended query protocol's Parse).
type Prepared struct {
	st         *parsedStmt
	paramTypes []types.T
	cols       []Column
	// cacheable and cache: the statement's bound plan kept between
	// executions (plancache.go).
	cacheable bool
	cache     *cachedPlan
}

// ParamTypes returns the OIDs of the statement's parameters, $1 first:
// those the client declared, and those inferred from context for the ones
// it left as 0 (text when the context says nothing).
func (p *Prepared) ParamTypes() []uint32 {
	out := make([]uint32, len(p.paramTypes))
	for i, t := range p.paramTypes {
		out[i] = t.OID()
	}
	return out
}

// Columns returns the columns of the rows the statement returns, nil if
// it returns none. The caller must not modify the slice.
func (p *Prepared) Columns() []Column { return p.cols }

// SQL returns the statement's text.
func (p *Prepared) SQL() string { return p.st.text }

// Prepare parses and binds one statement. paramTypes holds the OIDs the
// client declared for $1, $2, ...; 0 (or a missing entry) asks the engine
// to infer the type. The tables the statement reads must exist; they are
// bound again at each Execute, so a prepared statement sees later DDL. An
// error fails the current transaction, as in PostgreSQL.
func (s *Session) Prepare(ctx context.Context, sql string, paramTypes []uint32) (_ *Prepared, err error) {
	defer s.recoverPanic(&err)
	defer func() {
		// As in PostgreSQL, an error at Parse aborts the transaction
		// (the block, or the batch's implicit one).
		if err != nil {
			err = ctxErr(ctx, err)
			s.fail()
		}
	}()
	stmts, err := parse(sql)
	if err != nil {
		return nil, err
	}
	if len(stmts) > 1 {
		return nil, sqlerr.Syntax("cannot insert multiple commands into a prepared statement")
	}
	pts := make([]types.T, len(paramTypes))
	for i, oid := range paramTypes {
		if oid == 0 {
			pts[i] = types.TUnknown
			continue
		}
		t, ok := types.FromOID(oid)
		if !ok {
			return nil, sqlerr.Unsupported("parameter $%d has type OID %d, which is not supported yet", i+1, oid)
		}
		pts[i] = t
	}
	if len(stmts) == 0 {
		return &Prepared{st: &parsedStmt{sql: sql}, paramTypes: pts}, nil
	}
	st := stmts[0]
	if s.failed && !isTxnEnd(st) {
		return nil, sqlerr.InFailedTransactionErr()
	}
	var r layers.Reader
	if needsCatalog(st) {
		if s.tx != nil {
			r = s.tx
		} else {
			tx, err := s.eng.kv.Begin(ctx)
			if err != nil {
				return nil, storeErr("begin", err)
			}
			defer tx.Rollback()
			r = tx
		}
	}
	if spec, err := explainOf(st); spec != nil || err != nil {
		if err != nil {
			return nil, err
		}
		_, resolved, err := s.eng.bindStmt(spec.inner, r, pts, s.ident)
		if err != nil {
			return nil, err
		}
		return &Prepared{st: st, paramTypes: resolved, cols: explainColumnsFor(spec.opts)}, nil
	}
	if isUtility(st) {
		// Run at Execute; they take no parameters and return no rows.
		return &Prepared{st: st, paramTypes: pts}, nil
	}
	s.ident.env = s.sessionEnv()
	p, resolved, err := s.eng.bindStmt(st, r, pts, s.ident)
	if err != nil {
		return nil, err
	}
	return &Prepared{st: st, paramTypes: resolved, cols: p.columns(), cacheable: planCacheable(st)}, nil
}

// Execute runs a prepared statement with parameter values (TextValue or
// Null, one per ParamTypes entry). Outside a transaction block the
// statement joins the implicit transaction of the current extended-protocol
// batch, which Sync commits, as PostgreSQL commits at the Sync message; an
// error rolls that implicit transaction back (pgwire then skips messages
// until Sync, as the protocol says).
func (s *Session) Execute(ctx context.Context, p *Prepared, params []Value) (_ *Result, err error) {
	defer s.recoverPanic(&err)
	if len(params) != len(p.paramTypes) {
		return nil, sqlerr.New(sqlerr.ProtocolViolation, "bind message supplies %d parameters, but prepared statement requires %d", len(params), len(p.paramTypes))
	}
	if p.st.node == nil {
		return &Result{}, nil
	}
	s.startQuery(p.SQL())
	defer s.endQuery()
	vals := make([]types.Value, len(params))
	env := s.sessionEnv()
	for i, v := range params {
		var err error
		switch {
		case v.IsNull():
		case v.Kind() == types.Unknown:
			vals[i], err = types.ParseTextEnv(env, p.paramTypes[i], v.Str())
		default:
			vals[i], err = types.CastEnv(env, v, p.paramTypes[i], types.CastExplicit)
		}
		if err != nil {
			s.fail()
			return nil, err
		}
	}
	var res *Result
	s.armSink(nil)
	defer s.sinkStarted()
	if p.cacheable {
		res, err = s.runPrepared(ctx, p, vals)
	} else {
		res, err = s.runStmt(ctx, p.st, p.paramTypes, vals)
	}
	if err == nil {
		localize(res, s.ident.env)
	}
	if err = ctxErr(ctx, err); err != nil {
		s.fail()
		return nil, err
	}
	return res, nil
}

// Sync ends an extended-protocol batch (pgwire calls it for each Sync
// message, before ReadyForQuery): outside a transaction block it commits
// the implicit transaction the batch's Execute calls opened; a conflict is
// 40001. Inside a block it does nothing.
func (s *Session) Sync(ctx context.Context) (err error) {
	defer s.recoverPanic(&err)
	defer s.endQuery()
	if s.explicit {
		return nil
	}
	s.txNow = time.Time{}
	return s.commit(ctx)
}

// isUtility reports whether st is one of the statements runStmt handles
// before binding (LISTEN/NOTIFY, roles), which Prepare cannot bind.
func isUtility(st *parsedStmt) bool {
	if spec, err := notifyOf(st); spec != nil || err != nil {
		return true
	}
	if spec, err := roleOf(st); spec != nil || err != nil {
		return true
	}
	if isSeqStmt(st) {
		return true
	}
	return isMaintenance(st) || isSetConstraints(st)
}

// recoverPanics is cleared by the fuzz test, so that a panic fails it
// instead of becoming an XX000 error.
var recoverPanics = true

// recoverPanic turns a panic inside the engine (a bug) into an XX000
// error for the one statement, so it never crosses into pgwire, and
// abandons the transaction.
func (s *Session) recoverPanic(err *error) {
	if !recoverPanics {
		return
	}
	if r := recover(); r != nil {
		s.fail()
		*err = &sqlerr.Error{Code: sqlerr.InternalError, Message: fmt.Sprintf("internal error: %v", r)}
	}
}

// isTxnEnd reports whether st is COMMIT or ROLLBACK (allowed in a failed
// transaction).
func isTxnEnd(st *parsedStmt) bool {
	if st.node == nil {
		return false
	}
	b := &binder{}
	if p, err := b.bindNode(st.node, nil); err == nil {
		if t, ok := p.(*txnPlan); ok {
			return t.kind == "COMMIT" || t.kind == "ROLLBACK" || t.kind == "ROLLBACK TO"
		}
	}
	return false
}

// fail records a statement error: inside a block the transaction is now
// failed; outside, the implicit transaction is rolled back.
func (s *Session) fail() {
	if s.explicit {
		// The transaction stays open, failed: ROLLBACK TO SAVEPOINT can
		// still bring it back to a savepoint's state.
		s.failed = true
		return
	}
	s.endTx()
}

// endTx rolls back the store transaction, if any.
func (s *Session) endTx() {
	s.notifies = nil
	s.savepoints = nil
	s.fkCommitChecks = nil
	s.fkModes = fkModes{}
	if s.tx != nil {
		s.tx.Rollback()
		s.tx = nil
	}
}

// commit commits the open store transaction. A conflict is 40001.
func (s *Session) commit(ctx context.Context) error {
	tx := s.tx
	s.tx = nil
	if tx == nil {
		s.notifies = nil
		s.fkModes, s.fkCommitChecks = fkModes{}, nil
		return nil
	}
	s.tx = tx
	err := s.runCommitChecks(ctx)
	s.fkModes = fkModes{}
	if err != nil {
		s.tx = nil
		s.notifies = nil
		tx.Rollback()
		return err
	}
	s.queueNotifies()
	s.tx = nil
	if _, err := tx.Commit(ctx); err != nil {
		tx.Rollback()
		return storeErr("commit", err)
	}
	return nil
}

// ctxErr replaces an error caused by ctx being done (a store call that
// gave up) by 57014, as PostgreSQL reports a canceled statement.
func ctxErr(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil {
		return err
	}
	var se *sqlerr.Error
	if errors.As(err, &se) && se.Code != sqlerr.InternalError {
		return err
	}
	return canceled(ctx)
}

// storeErr maps a store error: retryable ones are 40001.
func storeErr(what string, err error) error {
	if layers.IsRetryable(err) {
		return sqlerr.SerializationFailureErr(err)
	}
	if e, ok := err.(*sqlerr.Error); ok {
		return e
	}
	return fmt.Errorf("%s: %w", what, err)
}

// txn returns the open store transaction, beginning one if needed.
func (s *Session) txn(ctx context.Context) (layers.Txn, error) {
	if s.tx == nil {
		tx, err := s.eng.kv.Begin(ctx)
		if err != nil {
			return nil, storeErr("begin", err)
		}
		s.tx = tx
	}
	return s.tx, nil
}

// runStmt binds and runs one statement in the session's transaction.
// paramTypes is nil for the simple query protocol.
func (s *Session) runStmt(ctx context.Context, st *parsedStmt, paramTypes []types.T, params []types.Value) (*Result, error) {
	defer s.spill.removeAll() // temporary files the statement left (spill.go)
	sink := s.takeSink()      // the top-level statement's only (stream.go)
	if st.node == nil {
		return &Result{}, nil
	}
	if s.failed && !isTxnEnd(st) {
		return nil, sqlerr.InFailedTransactionErr()
	}
	if spec, err := explainOf(st); spec != nil || err != nil {
		if err != nil {
			return nil, err
		}
		return s.execExplain(ctx, spec, paramTypes, params)
	}
	if spec, err := roleOf(st); spec != nil || err != nil {
		if err != nil {
			return nil, err
		}
		return s.execRole(ctx, spec)
	}
	if res, ok, err := s.maintenance(ctx, st); ok {
		return res, err
	}
	if res, ok, err := s.setConstraints(ctx, st); ok {
		return res, err
	}
	if spec, err := notifyOf(st); spec != nil || err != nil {
		if err != nil {
			return nil, err
		}
		return s.execNotify(ctx, spec)
	}
	if spec, err := seqStmtOf(s.eng, st); spec != nil || err != nil {
		if err != nil {
			return nil, err
		}
		return s.execSeqStmt(ctx, spec)
	}
	s.discardSequences(st)
	if spec, err := copyOf(st); spec != nil || err != nil {
		if err != nil {
			return nil, err
		}
		if paramTypes != nil {
			return nil, sqlerr.Unsupported("COPY is supported in the simple query protocol only")
		}
		return s.execCopy(ctx, spec)
	}
	var r layers.Reader
	if needsCatalog(st) {
		tx, err := s.txn(ctx)
		if err != nil {
			return nil, err
		}
		r = tx
	}
	s.ident.env = s.sessionEnv()
	p, _, err := s.eng.bindStmt(st, r, paramTypes, s.ident)
	if err != nil {
		return nil, err
	}
	s.sink = sink
	return s.runPlan(ctx, p, params)
}

// runPlan runs a bound statement in the session's transaction (a plan
// bound by runStmt, or one a Prepared cached: see plancache.go).
func (s *Session) runPlan(ctx context.Context, p plan, params []types.Value) (*Result, error) {
	sink := s.takeSink()
	res := &Result{Columns: p.columns()}
	if d := s.statementTimeout(); d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	ev := &evalCtx{params: params, env: s.ident.env, sess: s}
	if s.tx != nil {
		ev.attach(ctx, s.tx)
	}
	switch p := p.(type) {
	case *emptyPlan:
		return &Result{}, nil
	case *txnPlan:
		return s.execTxn(ctx, p)
	case *setPlan:
		return s.execSet(p)
	case *showPlan:
		res.Tag = "SHOW"
		if p.name == "all" {
			for _, name := range SettingNames() {
				v, _ := s.show(name)
				res.Rows = append(res.Rows, []Value{types.NewText(name), types.NewText(v), types.NewText("")})
			}
			return res, nil
		}
		v, err := s.show(p.name)
		if err != nil {
			return nil, err
		}
		res.Rows = [][]Value{{types.NewText(v)}}
		return res, nil
	case *selectPlan:
		if sink != nil {
			if _, err := s.streamSelect(ctx, p, ev, res, sink); err != nil {
				return nil, err
			}
			return res, nil
		}
		rows, err := execSelect(ctx, s.tx, p, ev)
		if err != nil {
			return nil, err
		}
		res.Rows = rows
		res.Tag = "SELECT " + strconv.Itoa(len(rows))
	case *setOpPlan, *valuesPlan:
		ev.attach(ctx, s.tx)
		rows, err := execQuery(ev, p.(queryPlan), -1)
		if err != nil {
			return nil, err
		}
		res.Rows = rows
		res.Tag = "SELECT " + strconv.Itoa(len(rows))
	case *withDMLPlan:
		return s.execWithDML(ctx, p, res, ev)
	case *insertPlan:
		n, rows, err := s.execInsert(ctx, s.tx, p, ev)
		if err = s.fkFinish(ctx, err); err != nil {
			return nil, err
		}
		res.Rows = rows
		res.Tag = "INSERT 0 " + strconv.FormatInt(n, 10)
	case *updatePlan:
		n, rows, err := s.execUpdate(ctx, s.tx, p, ev)
		if err = s.fkFinish(ctx, err); err != nil {
			return nil, err
		}
		res.Rows = rows
		res.Tag = "UPDATE " + strconv.FormatInt(n, 10)
	case *deletePlan:
		n, rows, err := s.execDelete(ctx, s.tx, p, ev)
		if err = s.fkFinish(ctx, err); err != nil {
			return nil, err
		}
		res.Rows = rows
		res.Tag = "DELETE " + strconv.FormatInt(n, 10)
	case *createTablePlan:
		notices, err := s.execCreateTable(s.tx, p)
		if err != nil {
			return nil, err
		}
		res.Notices = notices
		res.Tag = "CREATE TABLE"
	case *truncatePlan:
		if err := checkTruncate(p.tables); err != nil {
			return nil, err
		}
		for _, ti := range p.tables {
			s.eng.cat.Truncate(s.tx, ti.desc)
		}
		if p.restart {
			if err := s.restartOwnedSequences(ctx, s.tx, p.tables); err != nil {
				return nil, err
			}
		}
		res.Tag = "TRUNCATE TABLE"
	case *dropTablePlan:
		notices, err := s.execDropTable(s.tx, p)
		if err != nil {
			return nil, err
		}
		res.Notices = notices
		res.Tag = "DROP " + strings.ToUpper(p.kind)
	case *createIndexPlan:
		notices, err := s.execCreateIndex(ctx, s.tx, p)
		if err != nil {
			return nil, err
		}
		res.Notices = notices
		res.Tag = "CREATE INDEX"
	case *alterTablePlan:
		notices, err := s.execAlterTable(ctx, s.tx, p)
		if err != nil {
			return nil, err
		}
		res.Notices = notices
		res.Tag = "ALTER TABLE"
	case *createViewPlan:
		if err := s.execCreateView(s.tx, p); err != nil {
			return nil, err
		}
		res.Tag = "CREATE VIEW"
	default:
		return nil, fmt.Errorf("no executor for plan %T", p)
	}
	return res, nil
}

// execTxn runs BEGIN, COMMIT and ROLLBACK.
func (s *Session) execTxn(ctx context.Context, p *txnPlan) (*Result, error) {
	switch p.kind {
	case "BEGIN", "START TRANSACTION":
		res := &Result{Tag: p.kind}
		if s.explicit {
			res.Notices = []*Error{sqlerr.WarningNotice(sqlerr.ActiveSQLTransaction, "there is already a transaction in progress")}
		}
		if !s.explicit {
			s.savedSettings = maps.Clone(s.settings)
		}
		s.explicit = true
		return res, nil
	case "COMMIT":
		res := &Result{Tag: "COMMIT"}
		switch {
		case s.failed:
			s.endTx()
			s.endBlockSettings(false)
			s.explicit, s.failed = false, false
			res.Tag = "ROLLBACK"
			return res, nil
		case !s.explicit:
			res.Notices = []*Error{sqlerr.WarningNotice(sqlerr.NoActiveSQLTransaction, "there is no transaction in progress")}
		}
		wasBlock := s.explicit
		s.explicit = false
		err := s.commit(ctx)
		if wasBlock {
			s.endBlockSettings(err == nil)
		}
		if err != nil {
			return nil, err
		}
		return res, nil
	case "SAVEPOINT", "RELEASE", "ROLLBACK TO":
		return s.execSavepoint(ctx, p)
	default: // ROLLBACK
		res := &Result{Tag: "ROLLBACK"}
		if !s.explicit {
			res.Notices = []*Error{sqlerr.WarningNotice(sqlerr.NoActiveSQLTransaction, "there is no transaction in progress")}
		}
		s.endTx()
		if s.explicit {
			s.endBlockSettings(false)
		}
		s.explicit, s.failed = false, false
		return res, nil
	}
}

// execSavepoint runs SAVEPOINT, RELEASE [SAVEPOINT] and ROLLBACK TO
// [SAVEPOINT], which only make sense inside a transaction block.
func (s *Session) execSavepoint(ctx context.Context, p *txnPlan) (*Result, error) {
	if !s.explicit {
		what := p.kind
		if p.kind != "SAVEPOINT" {
			what += " SAVEPOINT"
		}
		return nil, sqlerr.New(sqlerr.NoActiveSQLTransaction, "%s can only be used in transaction blocks", what)
	}
	if p.kind == "SAVEPOINT" {
		tx, err := s.txn(ctx)
		if err != nil {
			return nil, err
		}
		s.savepoints = append(s.savepoints, savepoint{
			name: p.name, rollbackTo: tx.Savepoint(),
			settings: maps.Clone(s.settings), local: maps.Clone(s.localSettings),
			notifies: len(s.notifies),
		})
		return &Result{Tag: "SAVEPOINT"}, nil
	}
	// The newest savepoint of that name.
	at := -1
	for i := len(s.savepoints) - 1; i >= 0; i-- {
		if s.savepoints[i].name == p.name {
			at = i
			break
		}
	}
	if at < 0 {
		return nil, sqlerr.New("3B001", "savepoint %q does not exist", p.name)
	}
	if p.kind == "RELEASE" {
		s.savepoints = s.savepoints[:at]
		return &Result{Tag: "RELEASE"}, nil
	}
	sp := s.savepoints[at]
	sp.rollbackTo()
	s.settings, s.localSettings = maps.Clone(sp.settings), maps.Clone(sp.local)
	s.notifies = s.notifies[:sp.notifies]
	s.savepoints = s.savepoints[:at+1]
	s.failed = false
	return &Result{Tag: "ROLLBACK"}, nil
}

// endBlockSettings ends a transaction block's effect on settings: SET
// LOCAL values are dropped, and plain SETs are kept if it committed or
// undone if it rolled back.
func (s *Session) endBlockSettings(committed bool) {
	if !committed && s.savedSettings != nil {
		s.settings = s.savedSettings
	}
	s.savedSettings = nil
	s.localSettings = nil
}

// statementTimeout returns the statement_timeout setting as a duration
// (zero for none). A bare number is milliseconds, as in PostgreSQL.
func (s *Session) statementTimeout() time.Duration {
	v, err := s.show("statement_timeout")
	if err != nil {
		return 0
	}
	d, ok := parseDurationSetting(v)
	if !ok {
		return 0
	}
	return d
}

// parseDurationSetting reads a time setting: a number of milliseconds, or
// a number with a unit (us, ms, s, min, h, d).
func parseDurationSetting(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.') {
		i++
	}
	n, err := strconv.ParseFloat(v[:i], 64)
	if err != nil || n < 0 {
		return 0, false
	}
	unit := map[string]time.Duration{"": time.Millisecond, "us": time.Microsecond, "ms": time.Millisecond,
		"s": time.Second, "min": time.Minute, "h": time.Hour, "d": 24 * time.Hour}
	u, ok := unit[strings.TrimSpace(v[i:])]
	if !ok {
		return 0, false
	}
	return time.Duration(n * float64(u)), true
}

// newRowID returns a hidden row id: microseconds since the epoch in the
// high bits (rows of a table without a primary key scan in insertion
// order, roughly) and random low bits so sessions rarely collide; a
// collision is detected by the insert and a new id drawn.
func (s *Session) newRowID() int64 {
	id := time.Now().UnixMicro()<<12 | int64(s.rng.Uint64()&0xfff)
	if id <= s.lastRow {
		id = s.lastRow + 1
	}
	s.lastRow = id
	return id
}

// defaultSettings are the session settings SHOW knows, with their
// defaults; SET changes them per session.
var defaultSettings = map[string]string{
	"application_name":                    "",
	"client_encoding":                     "UTF8",
	"client_min_messages":                 "notice",
	"datestyle":                           "ISO, MDY",
	"default_transaction_isolation":       "serializable",
	"default_transaction_read_only":       "off",
	"extra_float_digits":                  "1",
	"idle_in_transaction_session_timeout": "0",
	"integer_datetimes":                   "on",
	"intervalstyle":                       "postgres",
	"is_superuser":                        "on",
	"lc_messages":                         "C",
	"lc_monetary":                         "C",
	"lc_numeric":                          "C",
	"lc_time":                             "C",
	"lock_timeout":                        "0",
	"max_identifier_length":               "63",
	"max_index_keys":                      "32",
	"search_path":                         "\"$user\", public",
	"server_encoding":                     "UTF8",
	"server_version":                      "15.0",
	"server_version_num":                  "150000",
	"standard_conforming_strings":         "on",
	"statement_timeout":                   "0",
	"synchronous_commit":                  "on",
	"timezone":                            "UTC",
	"transaction_isolation":               "serializable",
	"transaction_read_only":               "off",
	"work_mem":                            "4MB",
	"temp_file_limit":                     "-1",
	"bytea_output":                        "hex",
	"row_security":                        "on",
	"jit":                                 "off",
	"geqo":                                "on",
	"enable_seqscan":                      "on",
}

// readOnlySettings cannot be changed with SET.
var readOnlySettings = map[string]bool{
	"server_version": true, "server_version_num": true, "server_encoding": true,
	"integer_datetimes": true, "max_identifier_length": true, "is_superuser": true,
	"lc_collate": true, "lc_ctype": true,
}

// settingDisplayName maps lower-case names to PostgreSQL's spelling in
// SHOW's column header.
var settingDisplayName = map[string]string{"datestyle": "DateStyle", "intervalstyle": "IntervalStyle", "timezone": "TimeZone"}

func (s *Session) execSet(p *setPlan) (*Result, error) {
	res := &Result{Tag: "SET"}
	if p.reset {
		res.Tag = "RESET"
	}
	if p.tag != "" {
		res.Tag = p.tag
	}
	if p.noop {
		return res, nil
	}
	if p.discard && s.explicit {
		return nil, sqlerr.New(sqlerr.ActiveSQLTransaction, "DISCARD ALL cannot run inside a transaction block")
	}
	if p.reset && p.name == "all" {
		s.settings = map[string]string{}
		s.localSettings = nil
		return res, nil
	}
	name := p.name
	if name == "time zone" {
		name = "timezone"
	}
	_, known := defaultSettings[name]
	if !known && !strings.Contains(name, ".") {
		return nil, sqlerr.New(sqlerr.UndefinedObject, "unrecognized configuration parameter %q", name)
	}
	if readOnlySettings[name] {
		return nil, sqlerr.New("55P02", "parameter %q cannot be changed", name)
	}
	if p.reset {
		delete(s.settings, name)
		delete(s.localSettings, name)
		return res, nil
	}
	value, err := normalizeSetting(name, p.value)
	if err != nil {
		return nil, err
	}
	p.value = value
	if name == "timezone" {
		if _, ok := types.LoadZone(p.value); !ok {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "invalid value for parameter \"TimeZone\": \"%s\"", p.value)
		}
	}
	if p.local {
		if !s.explicit {
			res.Notices = []*Error{sqlerr.WarningNotice(sqlerr.NoActiveSQLTransaction, "SET LOCAL can only be used in transaction blocks")}
			return res, nil
		}
		if s.localSettings == nil {
			s.localSettings = map[string]string{}
		}
		s.localSettings[name] = p.value
		return res, nil
	}
	s.settings[name] = p.value
	delete(s.localSettings, name)
	return res, nil
}

// show returns a setting's value.
func (s *Session) show(name string) (string, error) {
	if name == "transaction isolation level" {
		name = "transaction_isolation"
	}
	if v, ok := s.localSettings[name]; ok {
		return v, nil
	}
	if v, ok := s.settings[name]; ok {
		return v, nil
	}
	if v, ok := defaultSettings[name]; ok {
		return v, nil
	}
	return "", sqlerr.New(sqlerr.UndefinedObject, "unrecognized configuration parameter %q", name)
}

// Setting returns the session's value of a setting (for pgwire's
// ParameterStatus), and whether the setting exists.
func (s *Session) Setting(name string) (string, bool) {
	// Without show's error for an unknown name: pgwire asks for settings
	// the engine does not have after every statement.
	name = strings.ToLower(name)
	if name == "transaction isolation level" {
		name = "transaction_isolation"
	}
	if v, ok := s.localSettings[name]; ok {
		return v, true
	}
	if v, ok := s.settings[name]; ok {
		return v, true
	}
	v, ok := defaultSettings[name]
	return v, ok
}

// SettingNames returns the names of the settings SHOW knows, sorted.
func SettingNames() []string {
	out := make([]string, 0, len(defaultSettings))
	for k := range defaultSettings {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
