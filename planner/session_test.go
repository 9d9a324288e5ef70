package planner

// Tests of transactions, serialization failures, prepared statements, key ranges and settings.

import (
	"context"
	"reflect"
	"testing"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

func TestTransactions(t *testing.T) {
	eng := newTestEngine(t)
	a, b := eng.NewSession(), eng.NewSession()
	status := func(s *Session, want byte) {
		t.Helper()
		if got := s.TxStatus(); got != want {
			t.Errorf("TxStatus = %c, want %c", got, want)
		}
	}
	runSteps(t, a, []step{{"CREATE TABLE kv (k int PRIMARY KEY, v text)", "CREATE TABLE\n"}})
	status(a, 'I')

	// Uncommitted writes are invisible to others, visible to the writer.
	runSteps(t, a, []step{
		{"BEGIN", "BEGIN\n"},
		{"INSERT INTO kv VALUES (1, 'a')", "INSERT 0 1\n"},
		{"SELECT v FROM kv WHERE k = 1", "v:25\na\nSELECT 1\n"},
	})
	status(a, 'T')
	runSteps(t, b, []step{{"SELECT count(*) FROM kv", "count:20\n0\nSELECT 1\n"}})
	runSteps(t, a, []step{{"COMMIT", "COMMIT\n"}})
	status(a, 'I')
	runSteps(t, b, []step{{"SELECT count(*) FROM kv", "count:20\n1\nSELECT 1\n"}})

	// ROLLBACK discards.
	runSteps(t, a, []step{
		{"START TRANSACTION", "START TRANSACTION\n"},
		{"INSERT INTO kv VALUES (2, 'b')", "INSERT 0 1\n"},
		{"ROLLBACK", "ROLLBACK\n"},
		{"SELECT count(*) FROM kv", "count:20\n1\nSELECT 1\n"},
	})

	// An error in a block fails the transaction until it ends; COMMIT
	// then rolls back.
	runSteps(t, a, []step{
		{"BEGIN", "BEGIN\n"},
		{"INSERT INTO kv VALUES (3, 'c')", "INSERT 0 1\n"},
		{"INSERT INTO kv VALUES (1, 'dup')", "ERROR 23505: duplicate key value violates unique constraint \"kv_pkey\" DETAIL: Key (k)=(1) already exists.\n"},
	})
	status(a, 'E')
	runSteps(t, a, []step{
		{"SELECT 1", "ERROR 25P02: current transaction is aborted, commands ignored until end of transaction block\n"},
		{"SELEC 1", "ERROR 42601: syntax error at or near \"SELEC\" (position 1)\n"},
	})
	status(a, 'E')
	runSteps(t, a, []step{{"COMMIT", "ROLLBACK\n"}})
	status(a, 'I')
	runSteps(t, a, []step{{"SELECT k FROM kv ORDER BY k", "k:23\n1\nSELECT 1\n"}})

	// A syntax error inside a block fails it too.
	runSteps(t, a, []step{{"BEGIN", "BEGIN\n"}, {"SELEC", "ERROR 42601: syntax error at or near \"SELEC\" (position 1)\n"}})
	status(a, 'E')
	runSteps(t, a, []step{{"ROLLBACK", "ROLLBACK\n"}})

	// Warnings for misplaced transaction commands.
	runSteps(t, a, []step{
		{"COMMIT", "WARNING 25P01: there is no transaction in progress\nCOMMIT\n"},
		{"ROLLBACK", "WARNING 25P01: there is no transaction in progress\nROLLBACK\n"},
		{"BEGIN; BEGIN", "BEGIN\nWARNING 25001: there is already a transaction in progress\nBEGIN\n"},
		{"ROLLBACK", "ROLLBACK\n"},
	})

	// A multi-statement query is one implicit transaction: an error rolls
	// back the statements before it, and later ones do not run.
	runSteps(t, a, []step{
		{"INSERT INTO kv VALUES (10, 'x'); INSERT INTO kv VALUES (1, 'dup'); INSERT INTO kv VALUES (11, 'y')",
			"INSERT 0 1\nERROR 23505: duplicate key value violates unique constraint \"kv_pkey\" DETAIL: Key (k)=(1) already exists.\n"},
		{"SELECT k FROM kv ORDER BY k", "k:23\n1\nSELECT 1\n"},
	})
	status(a, 'I')
	// BEGIN inside a multi-statement query opens a block that stays open.
	runSteps(t, a, []step{{"INSERT INTO kv VALUES (20, 'p'); BEGIN; INSERT INTO kv VALUES (21, 'q')", "INSERT 0 1\nBEGIN\nINSERT 0 1\n"}})
	status(a, 'T')
	runSteps(t, a, []step{{"ROLLBACK; SELECT k FROM kv ORDER BY k", "ROLLBACK\nk:23\n1\nSELECT 1\n"}})
	// COMMIT in the middle commits; the rest runs in a new implicit one.
	runSteps(t, a, []step{{"BEGIN; INSERT INTO kv VALUES (30, 'r'); COMMIT; INSERT INTO kv VALUES (1, 'dup')",
		"BEGIN\nINSERT 0 1\nCOMMIT\nERROR 23505: duplicate key value violates unique constraint \"kv_pkey\" DETAIL: Key (k)=(1) already exists.\n"}})
	runSteps(t, b, []step{{"SELECT k FROM kv ORDER BY k", "k:23\n1\n30\nSELECT 2\n"}})

	// DDL is transactional.
	runSteps(t, a, []step{
		{"BEGIN; CREATE TABLE tx1 (x int); INSERT INTO tx1 VALUES (1); SELECT * FROM tx1", "BEGIN\nCREATE TABLE\nINSERT 0 1\nx:23\n1\nSELECT 1\n"},
	})
	runSteps(t, b, []step{{"SELECT * FROM tx1", "ERROR 42P01: relation \"tx1\" does not exist (position 15)\n"}})
	runSteps(t, a, []step{{"ROLLBACK", "ROLLBACK\n"}, {"SELECT * FROM tx1", "ERROR 42P01: relation \"tx1\" does not exist (position 15)\n"}})
	runSteps(t, a, []step{{"BEGIN; DROP TABLE kv; ROLLBACK; SELECT count(*) FROM kv", "BEGIN\nDROP TABLE\nROLLBACK\ncount:20\n2\nSELECT 1\n"}})
}

func TestSerializationFailure(t *testing.T) {
	eng := newTestEngine(t)
	a, b := eng.NewSession(), eng.NewSession()
	runSteps(t, a, []step{{"CREATE TABLE acct (id int PRIMARY KEY, bal int); INSERT INTO acct VALUES (1, 100)", "CREATE TABLE\nINSERT 0 1\n"}})
	// Both read the row, both write it: the second commit must fail.
	runSteps(t, a, []step{{"BEGIN; SELECT bal FROM acct WHERE id = 1", "BEGIN\nbal:23\n100\nSELECT 1\n"}})
	runSteps(t, b, []step{{"BEGIN; SELECT bal FROM acct WHERE id = 1", "BEGIN\nbal:23\n100\nSELECT 1\n"}})
	runSteps(t, a, []step{{"UPDATE acct SET bal = bal + 10 WHERE id = 1", "UPDATE 1\n"}, {"COMMIT", "COMMIT\n"}})
	runSteps(t, b, []step{{"UPDATE acct SET bal = bal + 20 WHERE id = 1", "UPDATE 1\n"}})
	_, err := b.Exec(context.Background(), "COMMIT")
	if sqlerr.Code(err) != sqlerr.SerializationFailure {
		t.Fatalf("conflicting COMMIT: err %v, want SQLSTATE 40001", err)
	}
	if b.TxStatus() != 'I' {
		t.Errorf("after failed COMMIT: TxStatus %c, want I", b.TxStatus())
	}
	runSteps(t, b, []step{{"SELECT bal FROM acct", "bal:23\n110\nSELECT 1\n"}})

	// Two implicit transactions racing for the same new key: the loser
	// gets 40001 at its implicit commit, or 23505 if it ran after.
	runSteps(t, a, []step{{"BEGIN; SELECT count(*) FROM acct WHERE id = 2", "BEGIN\ncount:20\n0\nSELECT 1\n"}, {"INSERT INTO acct VALUES (2, 1)", "INSERT 0 1\n"}})
	_, err = b.Exec(context.Background(), "INSERT INTO acct VALUES (2, 2)")
	if err != nil {
		t.Fatalf("b insert: %v", err)
	}
	_, err = a.Exec(context.Background(), "COMMIT")
	if sqlerr.Code(err) != sqlerr.SerializationFailure {
		t.Fatalf("second insert of key 2: err %v, want 40001", err)
	}
	runSteps(t, a, []step{{"SELECT bal FROM acct WHERE id = 2", "bal:23\n2\nSELECT 1\n"}})
}

func TestPrepared(t *testing.T) {
	ctx := context.Background()
	s := newTestEngine(t).NewSession()
	runSteps(t, s, []step{{"CREATE TABLE p (id bigint PRIMARY KEY, name varchar(10), score numeric(6,2), ok bool)", "CREATE TABLE\n"}})

	ins, err := s.Prepare(ctx, "INSERT INTO p VALUES ($1, $2, $3, $4) RETURNING id, score", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ins.ParamTypes(), []uint32{types.OIDInt8, types.OIDVarchar, types.OIDNumeric, types.OIDBool}; !reflect.DeepEqual(got, want) {
		t.Errorf("insert param types %v, want %v", got, want)
	}
	if cols := ins.Columns(); len(cols) != 2 || cols[0].Name != "id" || cols[0].TypeOID != types.OIDInt8 || cols[1].TypeMod != types.NumericMod(6, 2) {
		t.Errorf("insert columns %+v", cols)
	}
	for i, row := range [][]Value{
		{TextValue("1"), TextValue("ann"), TextValue("9.5"), TextValue("t")},
		{TextValue("2"), TextValue("bob"), Null, TextValue("false")},
		{TextValue("3"), Null, TextValue("-1.005"), Null},
	} {
		res, err := s.Execute(ctx, ins, row)
		if err != nil {
			t.Fatalf("execute %d: %v", i, err)
		}
		if err := s.Sync(ctx); err != nil {
			t.Fatalf("sync %d: %v", i, err)
		}
		if res.Tag != "INSERT 0 1" || len(res.Rows) != 1 {
			t.Errorf("execute %d: %+v", i, res)
		}
	}
	// Bad parameter text is 22P02; the wrong count is 08P01.
	if _, err := s.Execute(ctx, ins, []Value{TextValue("x"), Null, Null, Null}); sqlerr.Code(err) != sqlerr.InvalidTextRepresentation {
		t.Errorf("bad int param: %v", err)
	}
	if _, err := s.Execute(ctx, ins, []Value{TextValue("1")}); sqlerr.Code(err) != sqlerr.ProtocolViolation {
		t.Errorf("short params: %v", err)
	}
	if _, err := s.Execute(ctx, ins, []Value{TextValue("9"), TextValue("much too long"), Null, Null}); sqlerr.Code(err) != sqlerr.StringDataRightTruncation {
		t.Errorf("long varchar param: %v", err)
	}

	sel, err := s.Prepare(ctx, "SELECT name, score * 2 AS dbl FROM p WHERE id >= $1 AND ok IS NOT FALSE ORDER BY id LIMIT $2", []uint32{0, types.OIDInt4})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sel.ParamTypes(), []uint32{types.OIDInt8, types.OIDInt4}; !reflect.DeepEqual(got, want) {
		t.Errorf("select param types %v, want %v", got, want)
	}
	cols := sel.Columns()
	if len(cols) != 2 || cols[0].Name != "name" || cols[0].TypeOID != types.OIDVarchar || cols[0].TypeMod != types.VarcharMod(10) ||
		cols[1].Name != "dbl" || cols[1].TypeOID != types.OIDNumeric || cols[1].TypeMod != -1 {
		t.Errorf("select columns %+v", cols)
	}
	res, err := s.Execute(ctx, sel, []Value{TextValue("1"), TextValue("10")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := render([]*Result{res}, nil), "name:1043(14) | dbl:1700\nann | 19.00\nNULL | -2.02\nSELECT 2\n"; got != want {
		t.Errorf("select:\n%s\nwant:\n%s", got, want)
	}

	// Typed parameter values (pgwire's binary formats) are cast.
	res, err = s.Execute(ctx, sel, []Value{types.NewInt(types.Int4, 2), types.NewInt(types.Int8, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := render([]*Result{res}, nil), "name:1043(14) | dbl:1700\nNULL | -2.02\nSELECT 1\n"; got != want {
		t.Errorf("select with typed params:\n%s\nwant:\n%s", got, want)
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}

	// Untyped parameters default to text; their use decides otherwise.
	for _, tt := range []struct {
		sql  string
		want []uint32
	}{
		{"SELECT $1", []uint32{types.OIDText}},
		{"SELECT $1 + 1", []uint32{types.OIDInt4}},
		{"SELECT $1::numeric, $2 || 'x'", []uint32{types.OIDNumeric, types.OIDText}},
		{"SELECT id FROM p WHERE name = $1 AND score < $2", []uint32{types.OIDVarchar, types.OIDNumeric}},
		{"UPDATE p SET score = $2 WHERE id = $1", []uint32{types.OIDInt8, types.OIDNumeric}},
		{"SELECT $3", []uint32{types.OIDText, types.OIDText, types.OIDText}},
	} {
		p, err := s.Prepare(ctx, tt.sql, nil)
		if err != nil {
			t.Errorf("Prepare(%q): %v", tt.sql, err)
			continue
		}
		if got := p.ParamTypes(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Prepare(%q) param types %v, want %v", tt.sql, got, tt.want)
		}
	}

	// Prepare reports errors without running anything.
	for _, tt := range []struct{ sql, code string }{
		{"SELECT 1; SELECT 2", sqlerr.SyntaxError},
		{"SELECT * FROM nosuch", sqlerr.UndefinedTable},
		{"SELEC", sqlerr.SyntaxError},
	} {
		if _, err := s.Prepare(ctx, tt.sql, nil); sqlerr.Code(err) != tt.code {
			t.Errorf("Prepare(%q): %v, want %s", tt.sql, err, tt.code)
		}
	}

	// A batch of Executes is one implicit transaction, committed by Sync;
	// an error rolls back the statements before it in the batch.
	other := s.eng.NewSession()
	upd, err := s.Prepare(ctx, "UPDATE p SET score = $2 WHERE id = $1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Execute(ctx, upd, []Value{TextValue("1"), TextValue("1")}); err != nil {
		t.Fatal(err)
	}
	runSteps(t, other, []step{{"SELECT score FROM p WHERE id = 1", "score:1700(393222)\n9.50\nSELECT 1\n"}})
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	runSteps(t, other, []step{{"SELECT score FROM p WHERE id = 1", "score:1700(393222)\n1.00\nSELECT 1\n"}})
	if _, err := s.Execute(ctx, upd, []Value{TextValue("1"), TextValue("2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Execute(ctx, upd, []Value{TextValue("1"), TextValue("100000")}); sqlerr.Code(err) != sqlerr.NumericValueOutOfRange {
		t.Fatalf("overflowing update: %v", err)
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	runSteps(t, other, []step{{"SELECT score FROM p WHERE id = 1", "score:1700(393222)\n1.00\nSELECT 1\n"}})

	// A Parse error inside a block fails the block.
	runSteps(t, s, []step{{"BEGIN", "BEGIN\n"}})
	if _, err := s.Prepare(ctx, "SELECT * FROM nosuch", nil); sqlerr.Code(err) != sqlerr.UndefinedTable {
		t.Fatalf("prepare in block: %v", err)
	}
	if s.TxStatus() != 'E' {
		t.Errorf("after a Parse error in a block: TxStatus %c, want E", s.TxStatus())
	}
	if _, err := s.Prepare(ctx, "SELECT 1", nil); sqlerr.Code(err) != sqlerr.InFailedSQLTransaction {
		t.Errorf("prepare in failed block: %v", err)
	}
	runSteps(t, s, []step{{"ROLLBACK", "ROLLBACK\n"}})

	// Transaction control through the extended protocol.
	begin, err := s.Prepare(ctx, "BEGIN", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := s.Execute(ctx, begin, nil); err != nil || res.Tag != "BEGIN" || s.TxStatus() != 'T' {
		t.Fatalf("execute BEGIN: %v %+v %c", err, res, s.TxStatus())
	}
	del, err := s.Prepare(ctx, "DELETE FROM p WHERE id = $1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := s.Execute(ctx, del, []Value{TextValue("1")}); err != nil || res.Tag != "DELETE 1" {
		t.Fatalf("delete: %v %+v", err, res)
	}
	if err := s.Sync(ctx); err != nil || s.TxStatus() != 'T' {
		t.Fatalf("sync inside a block: %v %c", err, s.TxStatus())
	}
	runSteps(t, s, []step{{"ROLLBACK", "ROLLBACK\n"}, {"SELECT count(*) FROM p", "count:20\n3\nSELECT 1\n"}})

	// A prepared statement sees later DDL: it is bound again at Execute.
	cnt, err := s.Prepare(ctx, "SELECT count(*) FROM p", nil)
	if err != nil {
		t.Fatal(err)
	}
	runSteps(t, s, []step{{"DROP TABLE p", "DROP TABLE\n"}})
	if _, err := s.Execute(ctx, cnt, nil); sqlerr.Code(err) != sqlerr.UndefinedTable {
		t.Errorf("execute after DROP: %v", err)
	}
}

func TestKeyRange(t *testing.T) {
	eng := newTestEngine(t)
	s := eng.NewSession()
	runSteps(t, s, []step{
		{"CREATE TABLE r (a int, b text, c int, PRIMARY KEY (a, b))", "CREATE TABLE\n"},
		{"CREATE TABLE h (a int, c int)", "CREATE TABLE\n"},
		{"INSERT INTO r VALUES (1,'x',1),(1,'y',2),(2,'x',3),(2,'y',4),(3,'x',5),(3,'z',6),(4,'x',7)", "INSERT 0 7\n"},
	})
	// Which key range the binder picks.
	for _, tt := range []struct {
		sql         string
		eq          int
		lo, hi      bool
		point       bool
		loIncl, hiI bool
	}{
		{"SELECT * FROM r WHERE a = 1 AND b = 'x'", 2, false, false, true, false, false},
		{"SELECT * FROM r WHERE 'x' = b AND 1 = a", 2, false, false, true, false, false},
		{"SELECT * FROM r WHERE a = 1", 1, false, false, false, false, false},
		{"SELECT * FROM r WHERE a > 1 AND a <= 3", 0, true, true, false, false, true},
		{"SELECT * FROM r WHERE a BETWEEN 2 AND 3", 0, true, true, false, true, true},
		{"SELECT * FROM r WHERE a = 2 AND b >= 'y'", 1, true, false, false, true, false},
		{"SELECT * FROM r WHERE a = $1", 1, false, false, false, false, false},
		{"SELECT * FROM r WHERE b = 'x'", 0, false, false, false, false, false},
		{"SELECT * FROM r WHERE a = 1 OR a = 2", 0, false, false, false, false, false},
		{"SELECT * FROM r WHERE a + 0 = 1", 0, false, false, false, false, false},
		{"SELECT * FROM r WHERE a = 1.5", 0, false, false, false, false, false},
		{"SELECT * FROM h WHERE a = 1", 0, false, false, false, false, false},
		{"SELECT * FROM r WHERE a = 5000000000 AND b = 'x'", 2, false, false, true, false, false},
		{"SELECT * FROM r WHERE a < 5000000000", 0, false, true, false, false, false},
	} {
		stmts, err := parse(tt.sql)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := eng.kv.Begin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := eng.bindStmt(stmts[0], tx, []types.T{types.TInt4}, identity{})
		tx.Rollback()
		if err != nil {
			t.Fatalf("%s: %v", tt.sql, err)
		}
		sp := p.(*selectPlan)
		sc := sp.scan
		if len(sc.eq) != tt.eq || (sc.lo != nil) != tt.lo || (sc.hi != nil) != tt.hi || sc.point(sp.table) != tt.point ||
			(sc.lo != nil && sc.lo.incl != tt.loIncl) || (sc.hi != nil && sc.hi.incl != tt.hiI) {
			t.Errorf("%s: scan eq=%d lo=%v hi=%v point=%v", tt.sql, len(sc.eq), sc.lo, sc.hi, sc.point(sp.table))
		}
	}
	// ORDER BY the key (or a prefix of it) streams in key order.
	for _, tt := range []struct {
		sql               string
		keyOrder, reverse bool
	}{
		{"SELECT * FROM r ORDER BY a, b LIMIT 2", true, false},
		{"SELECT * FROM r ORDER BY a DESC LIMIT 2", true, true},
		{"SELECT a FROM r ORDER BY a DESC, b DESC", true, true},
		{"SELECT * FROM r ORDER BY a, b DESC", false, false},
		{"SELECT * FROM r ORDER BY b", false, false},
		{"SELECT a + 0 AS a FROM r ORDER BY a", false, false},
		{"SELECT DISTINCT a FROM r ORDER BY a", false, false},
	} {
		stmts, err := parse(tt.sql)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := eng.kv.Begin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := eng.bindStmt(stmts[0], tx, nil, identity{})
		tx.Rollback()
		if err != nil {
			t.Fatalf("%s: %v", tt.sql, err)
		}
		sp := p.(*selectPlan)
		if sp.keyOrder != tt.keyOrder || (sp.keyOrder && sp.reverse != tt.reverse) {
			t.Errorf("%s: keyOrder=%v reverse=%v", tt.sql, sp.keyOrder, sp.reverse)
		}
	}
	runSteps(t, s, []step{
		{"SELECT a, b FROM r ORDER BY a DESC, b DESC LIMIT 3", "a:23 | b:25\n4 | x\n3 | z\n3 | x\nSELECT 3\n"},
		{"SELECT c FROM r WHERE a >= 2 ORDER BY a DESC LIMIT 2 OFFSET 1", "c:23\n6\n5\nSELECT 2\n"},
		{"SELECT c, a FROM r WHERE a = 2 ORDER BY a, b DESC", "c:23 | a:23\n4 | 2\n3 | 2\nSELECT 2\n"},
		{"SELECT c FROM r ORDER BY a, b LIMIT 1", "c:23\n1\nSELECT 1\n"},
	})

	// And that the ranges return exactly the matching rows.
	runSteps(t, s, []step{
		{"SELECT c FROM r WHERE a = 1 AND b = 'y'", "c:23\n2\nSELECT 1\n"},
		{"SELECT c FROM r WHERE a = 1 AND b = 'q'", "c:23\nSELECT 0\n"},
		{"SELECT c FROM r WHERE a = 2", "c:23\n3\n4\nSELECT 2\n"},
		{"SELECT c FROM r WHERE a > 1 AND a <= 3", "c:23\n3\n4\n5\n6\nSELECT 4\n"},
		{"SELECT c FROM r WHERE a >= 2 AND a < 3", "c:23\n3\n4\nSELECT 2\n"},
		{"SELECT c FROM r WHERE a < 2", "c:23\n1\n2\nSELECT 2\n"},
		{"SELECT c FROM r WHERE a > 3", "c:23\n7\nSELECT 1\n"},
		{"SELECT c FROM r WHERE a BETWEEN 2 AND 3 AND c <> 4", "c:23\n3\n5\n6\nSELECT 3\n"},
		{"SELECT c FROM r WHERE a = 3 AND b > 'x'", "c:23\n6\nSELECT 1\n"},
		{"SELECT c FROM r WHERE a = 3 AND b < 'z'", "c:23\n5\nSELECT 1\n"},
		{"SELECT c FROM r WHERE a = NULL", "c:23\nSELECT 0\n"},
		{"SELECT c FROM r WHERE a > NULL", "c:23\nSELECT 0\n"},
		{"SELECT c FROM r WHERE a = 2 AND a = 3", "c:23\nSELECT 0\n"},
		{"SELECT c FROM r WHERE a > 1 LIMIT 2", "c:23\n3\n4\nSELECT 2\n"},
		{"SELECT c FROM r WHERE a = 5000000000", "c:23\nSELECT 0\n"},
		{"SELECT c FROM r WHERE a < 5000000000 AND a > 3::int8", "c:23\n7\nSELECT 1\n"},
		{"SELECT c FROM r WHERE a >= -5000000000 AND a <= 1::int2", "c:23\n1\n2\nSELECT 2\n"},
		{"UPDATE r SET c = c * 10 WHERE a = 2 RETURNING c", "c:23\n30\n40\nUPDATE 2\n"},
		{"DELETE FROM r WHERE a = 3 AND b = 'z'", "DELETE 1\n"},
		{"SELECT count(*) FROM r", "count:20\n6\nSELECT 1\n"},
	})
}

func TestInListLookup(t *testing.T) {
	eng := newTestEngine(t)
	s := eng.NewSession()
	runSteps(t, s, []step{
		{"CREATE TABLE k (id bigint PRIMARY KEY, v text); INSERT INTO k VALUES (1,'a'),(2,'b'),(3,'c'),(5,'e')", "CREATE TABLE\nINSERT 0 4\n"},
	})
	stmts, err := parse("SELECT * FROM k WHERE id IN (3, 1, $1) AND v <> 'z'")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := eng.kv.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := eng.bindStmt(stmts[0], tx, nil, identity{})
	tx.Rollback()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(p.(*selectPlan).scan.in); got != 3 {
		t.Errorf("IN list lookup keys: %d, want 3", got)
	}
	runSteps(t, s, []step{
		{"SELECT v FROM k WHERE id IN (5, 3, 3, NULL, 4, 1)", "v:25\na\nc\ne\nSELECT 3\n"},
		{"SELECT v FROM k WHERE id IN (5, 3, 1) ORDER BY id DESC LIMIT 2", "v:25\ne\nc\nSELECT 2\n"},
		{"SELECT v FROM k WHERE id IN (2, 3) AND v = 'b'", "v:25\nb\nSELECT 1\n"},
		{"SELECT v FROM k WHERE id NOT IN (2, 3)", "v:25\na\ne\nSELECT 2\n"},
		{"UPDATE k SET v = upper(v) WHERE id IN (1, 2) RETURNING id, v", "id:20 | v:25\n1 | A\n2 | B\nUPDATE 2\n"},
		{"DELETE FROM k WHERE id IN (1, 9)", "DELETE 1\n"},
		{"SELECT count(*) FROM k", "count:20\n3\nSELECT 1\n"},
	})
}

func TestSettings(t *testing.T) {
	s := newTestEngine(t).NewSession()
	runSteps(t, s, []step{
		{"SHOW server_version", "server_version:25\n15.0\nSHOW\n"},
		{"SET application_name = 'app'", "SET\n"},
		{"SHOW application_name", "application_name:25\napp\nSHOW\n"},
		{"SET search_path TO myschema, public", "SET\n"},
		{"SHOW search_path", "search_path:25\nmyschema, public\nSHOW\n"},
		{"SET TIME ZONE 'Europe/Paris'", "SET\n"},
		{"SHOW TIME ZONE", "TimeZone:25\nEurope/Paris\nSHOW\n"},
		{"SET extra_float_digits = 3", "SET\n"},
		{"SHOW extra_float_digits", "extra_float_digits:25\n3\nSHOW\n"},
		{"SET statement_timeout TO DEFAULT", "SET\n"},
		{"RESET application_name", "RESET\n"},
		{"SHOW application_name", "application_name:25\n\nSHOW\n"},
		{"SET myapp.user_id = '42'", "SET\n"},
		{"SHOW myapp.user_id", "myapp.user_id:25\n42\nSHOW\n"},
		{"SET nosuch = 1", "ERROR 42704: unrecognized configuration parameter \"nosuch\"\n"},
		{"SHOW nosuch", "ERROR 42704: unrecognized configuration parameter \"nosuch\"\n"},
		{"SET server_version = '1'", "ERROR 55P02: parameter \"server_version\" cannot be changed\n"},
		{"SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED", "SET\n"},
		{"BEGIN ISOLATION LEVEL SERIALIZABLE; SET TRANSACTION READ WRITE; COMMIT", "BEGIN\nSET\nCOMMIT\n"},
		// SET is transactional; SET LOCAL lasts until the block ends.
		{"BEGIN; SET application_name = 'in_tx'; SET LOCAL statement_timeout = '5s'; SHOW statement_timeout", "BEGIN\nSET\nSET\nstatement_timeout:25\n5s\nSHOW\n"},
		{"ROLLBACK; SHOW application_name; SHOW statement_timeout", "ROLLBACK\napplication_name:25\n\nSHOW\nstatement_timeout:25\n0\nSHOW\n"},
		{"BEGIN; SET application_name = 'kept'; SET LOCAL application_name = 'local'; SHOW application_name", "BEGIN\nSET\nSET\napplication_name:25\nlocal\nSHOW\n"},
		{"COMMIT; SHOW application_name", "COMMIT\napplication_name:25\nkept\nSHOW\n"},
		{"SET LOCAL application_name = 'x'", "WARNING 25P01: SET LOCAL can only be used in transaction blocks\nSET\n"},
		{"SHOW transaction isolation level", "transaction_isolation:25\nserializable\nSHOW\n"},
		{"BEGIN; DISCARD ALL", "BEGIN\nERROR 25001: DISCARD ALL cannot run inside a transaction block\n"},
		{"ROLLBACK; DISCARD ALL; SHOW application_name", "ROLLBACK\nDISCARD ALL\napplication_name:25\n\nSHOW\n"},
		{"RESET ALL", "RESET\n"},
		{"SHOW search_path", "search_path:25\n\"$user\", public\nSHOW\n"},
	})
	res, err := s.Exec(context.Background(), "SET work_mem = '64MB'; SHOW ALL")
	if err != nil {
		t.Fatal(err)
	}
	all := res[1]
	if len(all.Columns) != 3 || all.Columns[0].Name != "name" || len(all.Rows) != len(SettingNames()) {
		t.Fatalf("SHOW ALL: %d columns, %d rows", len(all.Columns), len(all.Rows))
	}
	found := false
	for _, row := range all.Rows {
		if row[0].String() == "work_mem" {
			found = row[1].String() == "64MB"
		}
	}
	if !found {
		t.Error("SHOW ALL does not report work_mem = 64MB")
	}
	if v, ok := s.Setting("TimeZone"); !ok || v != "UTC" {
		t.Errorf("Setting(TimeZone) = %q, %v", v, ok)
	}
}

// TestPreparedQueries runs joins, subqueries and set operations through
// the extended protocol: parameters inside subqueries get their types from
// there, and an uncorrelated subquery's cached result does not leak from
// one Execute to the next.
func TestPreparedQueries(t *testing.T) {
	ctx := context.Background()
	s := newTestEngine(t).NewSession()
	runSteps(t, s, []step{
		{"CREATE TABLE a (id int PRIMARY KEY, x int)", "CREATE TABLE\n"},
		{"CREATE TABLE b (id int PRIMARY KEY, aid int, y numeric)", "CREATE TABLE\n"},
		{"INSERT INTO a VALUES (1, 10), (2, 20), (3, 30)", "INSERT 0 3\n"},
		{"INSERT INTO b VALUES (1, 1, 1.5), (2, 2, 2.5), (3, 2, 3.5)", "INSERT 0 3\n"},
	})
	p, err := s.Prepare(ctx, "SELECT a.id, (SELECT count(*) FROM b WHERE b.aid = a.id AND b.y > $2) AS n FROM a WHERE a.id IN (SELECT aid FROM b WHERE y >= $1) ORDER BY 1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.ParamTypes(), []uint32{types.OIDNumeric, types.OIDNumeric}; !reflect.DeepEqual(got, want) {
		t.Errorf("param types %v, want %v", got, want)
	}
	for _, tt := range []struct {
		params []Value
		want   string
	}{
		{[]Value{TextValue("1"), TextValue("0")}, "id:23 | n:20\n1 | 1\n2 | 2\nSELECT 2\n"},
		{[]Value{TextValue("2"), TextValue("3")}, "id:23 | n:20\n2 | 1\nSELECT 1\n"},
		{[]Value{TextValue("9"), TextValue("0")}, "id:23 | n:20\nSELECT 0\n"},
	} {
		res, err := s.Execute(ctx, p, tt.params)
		if got := render([]*Result{res}, err); got != tt.want {
			t.Errorf("params %v:\n%s\nwant:\n%s", tt.params, got, tt.want)
		}
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := s.Prepare(ctx, "SELECT x FROM a JOIN b ON a.id = b.aid WHERE b.y < $1 UNION SELECT $2 ORDER BY 1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.ParamTypes(), []uint32{types.OIDNumeric, types.OIDInt4}; !reflect.DeepEqual(got, want) {
		t.Errorf("union param types %v, want %v (as PostgreSQL 15)", got, want)
	}
	res, err := s.Execute(ctx, u, []Value{TextValue("3"), TextValue("5")})
	if got, want := render([]*Result{res}, err), "x:23\n5\n10\n20\nSELECT 3\n"; got != want {
		t.Errorf("union:\n%s\nwant:\n%s", got, want)
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
}
