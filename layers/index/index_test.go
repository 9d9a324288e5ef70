package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/subspace"
	"github.com/aspen-db/aspen/layers/tuple"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

// The tests store "people" records under ("rec", id) with the value
// (name, city, age, email) packed as a tuple.
var records = subspace.Sub("rec")

type person struct {
	name  string
	city  string
	age   int64
	email any // string or nil
}

func (p person) value() []byte {
	return tuple.Tuple{p.name, p.city, p.age, p.email}.Pack()
}

// field returns an Extractor of the given record fields.
func field(idx ...int) Extractor {
	return func(v []byte) (tuple.Tuple, error) {
		t, err := tuple.Unpack(v)
		if err != nil {
			return nil, err
		}
		if len(t) != 4 {
			return nil, fmt.Errorf("record has %d fields", len(t))
		}
		out := tuple.Tuple{}
		for _, i := range idx {
			out = append(out, t[i])
		}
		return out, nil
	}
}

// mustIndex returns a function that fails t if New or NewUnique failed.
func mustIndex(t *testing.T) func(*Index, error) *Index {
	return func(ix *Index, err error) *Index {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}
}

// put writes (or with p == nil deletes) record id and updates every index,
// in one transaction, as a table layer would.
func put(ctx context.Context, kv layers.KV, id int64, p *person, ixs ...*Index) error {
	_, err := layers.Update(ctx, kv, func(tx layers.Txn) error {
		return putTx(tx, id, p, ixs...)
	})
	return err
}

func putTx(tx layers.Txn, id int64, p *person, ixs ...*Index) error {
	pk := tuple.Tuple{id}
	key := records.Pack(pk)
	old, err := tx.Get(key)
	if errors.Is(err, layers.ErrNotFound) {
		old = nil
	} else if err != nil {
		return err
	}
	var val []byte
	if p != nil {
		val = p.value()
		tx.Set(key, val)
	} else {
		tx.Delete(key)
	}
	for _, ix := range ixs {
		if err := ix.Update(tx, pk, old, val); err != nil {
			return err
		}
	}
	return nil
}

// scan returns the entries of ix.Scan(prefix) rendered as "values->pk".
func scan(t *testing.T, kv layers.KV, ix *Index, prefix tuple.Tuple, reverse bool) []string {
	t.Helper()
	return scanRange(t, kv, ix, func(r layers.Reader) *Iterator { return ix.Scan(r, prefix, reverse) })
}

func scanRange(t *testing.T, kv layers.KV, ix *Index, open func(r layers.Reader) *Iterator) []string {
	t.Helper()
	out := []string{}
	err := layers.View(context.Background(), kv, func(r layers.Reader) error {
		it := open(r)
		for it.Next() {
			e := it.Entry()
			out = append(out, e.Values.String()+"->"+e.PK.String())
		}
		return it.Close()
	})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return out
}

func wantEntries(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func TestInsertUpdateDelete(t *testing.T) {
	ctx := context.Background()
	kv := raftstoretest.New(t)
	byCity := mustIndex(t)(New(subspace.Sub("idx", "city"), 1, field(1)))
	byCityAge := mustIndex(t)(New(subspace.Sub("idx", "city_age"), 2, field(1, 2)))
	ixs := []*Index{byCity, byCityAge}

	for id, p := range map[int64]person{
		1: {"ann", "paris", 30, "ann@x"},
		2: {"bob", "rome", 25, "bob@x"},
		3: {"cat", "paris", 22, "cat@x"},
		4: {"dan", "oslo", 30, "dan@x"},
	} {
		if err := put(ctx, kv, id, &p, ixs...); err != nil {
			t.Fatalf("insert %d: %v", id, err)
		}
	}
	wantEntries(t, "paris", scan(t, kv, byCity, tuple.Tuple{"paris"}, false), `("paris",)->(1,)`, `("paris",)->(3,)`)
	wantEntries(t, "all", scan(t, kv, byCity, nil, false),
		`("oslo",)->(4,)`, `("paris",)->(1,)`, `("paris",)->(3,)`, `("rome",)->(2,)`)
	wantEntries(t, "all reversed", scan(t, kv, byCity, nil, true),
		`("rome",)->(2,)`, `("paris",)->(3,)`, `("paris",)->(1,)`, `("oslo",)->(4,)`)
	wantEntries(t, "paris by age", scan(t, kv, byCityAge, tuple.Tuple{"paris"}, false),
		`("paris", 22)->(3,)`, `("paris", 30)->(1,)`)
	wantEntries(t, "paris aged 30", scan(t, kv, byCityAge, tuple.Tuple{"paris", 30}, false), `("paris", 30)->(1,)`)
	wantEntries(t, "no such city", scan(t, kv, byCity, tuple.Tuple{"pari"}, false))

	// Ann moves to Rome; Cat has a birthday (city index unchanged).
	if err := put(ctx, kv, 1, &person{"ann", "rome", 30, "ann@x"}, ixs...); err != nil {
		t.Fatal(err)
	}
	if err := put(ctx, kv, 3, &person{"cat", "paris", 23, "cat@x"}, ixs...); err != nil {
		t.Fatal(err)
	}
	wantEntries(t, "paris after move", scan(t, kv, byCity, tuple.Tuple{"paris"}, false), `("paris",)->(3,)`)
	wantEntries(t, "rome after move", scan(t, kv, byCity, tuple.Tuple{"rome"}, false), `("rome",)->(1,)`, `("rome",)->(2,)`)
	wantEntries(t, "paris by age after birthday", scan(t, kv, byCityAge, tuple.Tuple{"paris"}, false), `("paris", 23)->(3,)`)

	// Bob is deleted.
	if err := put(ctx, kv, 2, nil, ixs...); err != nil {
		t.Fatal(err)
	}
	wantEntries(t, "after delete", scan(t, kv, byCity, nil, false),
		`("oslo",)->(4,)`, `("paris",)->(3,)`, `("rome",)->(1,)`)
	wantEntries(t, "composite after delete", scan(t, kv, byCityAge, nil, false),
		`("oslo", 30)->(4,)`, `("paris", 23)->(3,)`, `("rome", 30)->(1,)`)

	// Deleting an absent record is a no-op.
	if err := put(ctx, kv, 2, nil, ixs...); err != nil {
		t.Fatal(err)
	}
	// Clear drops every entry of one index only.
	if _, err := layers.Update(ctx, kv, func(tx layers.Txn) error { byCity.Clear(tx); return nil }); err != nil {
		t.Fatal(err)
	}
	wantEntries(t, "after Clear", scan(t, kv, byCity, nil, false))
	if got := scan(t, kv, byCityAge, nil, false); len(got) != 3 {
		t.Errorf("Clear of one index removed entries of another: %q", got)
	}
}

func TestScanRange(t *testing.T) {
	ctx := context.Background()
	kv := raftstoretest.New(t)
	byAge := mustIndex(t)(New(subspace.Sub("idx", "age"), 1, field(2)))
	for id := int64(1); id <= 5; id++ {
		if err := put(ctx, kv, id, &person{"p", "c", id * 10, nil}, byAge); err != nil {
			t.Fatal(err)
		}
	}
	if err := put(ctx, kv, 6, &person{"p", "c", 30, nil}, byAge); err != nil {
		t.Fatal(err)
	}
	b := func(v int64, incl bool) *Bound { return &Bound{Values: tuple.Tuple{v}, Inclusive: incl} }
	tests := []struct {
		name    string
		lo, hi  *Bound
		reverse bool
		want    []string
	}{
		{"all", nil, nil, false, []string{"(10,)->(1,)", "(20,)->(2,)", "(30,)->(3,)", "(30,)->(6,)", "(40,)->(4,)", "(50,)->(5,)"}},
		{">= 30", b(30, true), nil, false, []string{"(30,)->(3,)", "(30,)->(6,)", "(40,)->(4,)", "(50,)->(5,)"}},
		{"> 30", b(30, false), nil, false, []string{"(40,)->(4,)", "(50,)->(5,)"}},
		{"<= 30", nil, b(30, true), false, []string{"(10,)->(1,)", "(20,)->(2,)", "(30,)->(3,)", "(30,)->(6,)"}},
		{"< 30", nil, b(30, false), false, []string{"(10,)->(1,)", "(20,)->(2,)"}},
		{"(20, 40]", b(20, false), b(40, true), false, []string{"(30,)->(3,)", "(30,)->(6,)", "(40,)->(4,)"}},
		{"[20, 40) reversed", b(20, true), b(40, false), true, []string{"(30,)->(6,)", "(30,)->(3,)", "(20,)->(2,)"}},
		{"(30, 30)", b(30, false), b(30, false), false, nil},
		{"> 50", b(50, false), nil, false, nil},
		{"between 11 and 19", b(11, true), b(19, true), false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := scanRange(t, kv, byAge, func(r layers.Reader) *Iterator { return byAge.ScanRange(r, tc.lo, tc.hi, tc.reverse) })
			wantEntries(t, tc.name, got, tc.want...)
		})
	}
}

func TestUnique(t *testing.T) {
	ctx := context.Background()
	kv := raftstoretest.New(t)
	byEmail := mustIndex(t)(NewUnique(subspace.Sub("idx", "email"), 1, field(3)))

	if err := put(ctx, kv, 1, &person{"ann", "paris", 30, "a@x"}, byEmail); err != nil {
		t.Fatal(err)
	}
	err := put(ctx, kv, 2, &person{"bob", "rome", 25, "a@x"}, byEmail)
	if !errors.Is(err, ErrUniqueViolation) {
		t.Fatalf("duplicate email: err = %v, want ErrUniqueViolation", err)
	}
	var uv *UniqueViolationError
	if !errors.As(err, &uv) {
		t.Fatalf("err %T is not a *UniqueViolationError", err)
	}
	if tuple.Compare(uv.Values, tuple.Tuple{"a@x"}) != 0 || tuple.Compare(uv.PK, tuple.Tuple{2}) != 0 ||
		tuple.Compare(uv.Existing, tuple.Tuple{1}) != 0 {
		t.Errorf("violation = %+v, want values (a@x) pk (2) existing (1)", uv)
	}
	if got := recordExists(t, kv, 2); got {
		t.Error("record 2 was stored although its index entry was refused")
	}

	// Rewriting record 1 with the same email is not a violation.
	if err := put(ctx, kv, 1, &person{"ann", "oslo", 31, "a@x"}, byEmail); err != nil {
		t.Fatalf("rewrite with same email: %v", err)
	}
	// Once Ann changes her email, Bob may take the old one.
	if err := put(ctx, kv, 1, &person{"ann", "oslo", 31, "ann@x"}, byEmail); err != nil {
		t.Fatal(err)
	}
	if err := put(ctx, kv, 2, &person{"bob", "rome", 25, "a@x"}, byEmail); err != nil {
		t.Fatalf("take a freed email: %v", err)
	}
	wantEntries(t, "emails", scan(t, kv, byEmail, nil, false), `("a@x",)->(2,)`, `("ann@x",)->(1,)`)

	err = layers.View(ctx, kv, func(r layers.Reader) error {
		pk, err := byEmail.Lookup(r, tuple.Tuple{"a@x"})
		if err != nil {
			return err
		}
		if tuple.Compare(pk, tuple.Tuple{2}) != 0 {
			t.Errorf("Lookup(a@x) = %s, want (2,)", pk)
		}
		if _, err := byEmail.Lookup(r, tuple.Tuple{"nobody@x"}); !errors.Is(err, layers.ErrNotFound) {
			t.Errorf("Lookup of absent email: err = %v, want layers.ErrNotFound", err)
		}
		if _, err := byEmail.Lookup(r, tuple.Tuple{nil}); err == nil {
			t.Error("Lookup of nil values succeeded")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Records without an email (nil) are not constrained, as in SQL.
	for id := int64(3); id <= 4; id++ {
		if err := put(ctx, kv, id, &person{"anon", "x", 1, nil}, byEmail); err != nil {
			t.Fatalf("record %d with nil email: %v", id, err)
		}
	}
	wantEntries(t, "nil emails", scan(t, kv, byEmail, tuple.Tuple{nil}, false), `(nil,)->(3,)`, `(nil,)->(4,)`)
	// A nil-email record can then take a free email, and give it up again.
	if err := put(ctx, kv, 3, &person{"anon", "x", 1, "c@x"}, byEmail); err != nil {
		t.Fatal(err)
	}
	if err := put(ctx, kv, 4, nil, byEmail); err != nil {
		t.Fatal(err)
	}
	wantEntries(t, "after nil changes", scan(t, kv, byEmail, nil, false), `("a@x",)->(2,)`, `("ann@x",)->(1,)`, `("c@x",)->(3,)`)
	if err := put(ctx, kv, 5, &person{"eve", "x", 1, "c@x"}, byEmail); !errors.Is(err, ErrUniqueViolation) {
		t.Errorf("duplicate of an email taken after nil: err = %v", err)
	}
}

func recordExists(t *testing.T, kv layers.KV, id int64) bool {
	t.Helper()
	var found bool
	err := layers.View(context.Background(), kv, func(r layers.Reader) error {
		_, err := r.Get(records.Pack(tuple.Tuple{id}))
		if errors.Is(err, layers.ErrNotFound) {
			return nil
		}
		found = err == nil
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestFailedTransactionLeavesNeither checks that a record and its index
// entries commit or fail together: a transaction that returns an error, and
// one that loses a commit conflict, leave neither the record nor the entry.
func TestFailedTransactionLeavesNeither(t *testing.T) {
	ctx := context.Background()
	kv := raftstoretest.New(t)
	byCity := mustIndex(t)(New(subspace.Sub("idx", "city"), 1, field(1)))
	byEmail := mustIndex(t)(NewUnique(subspace.Sub("idx", "email"), 1, field(3)))

	// fn writes the record and its entries, then fails.
	boom := errors.New("boom")
	_, err := layers.Update(ctx, kv, func(tx layers.Txn) error {
		if err := putTx(tx, 1, &person{"ann", "paris", 30, "a@x"}, byCity, byEmail); err != nil {
			return err
		}
		// The transaction sees its own writes...
		var n int
		it := byCity.Scan(tx, tuple.Tuple{"paris"}, false)
		for it.Next() {
			n++
		}
		if err := it.Close(); err != nil {
			return err
		}
		if n != 1 {
			t.Errorf("transaction sees %d of its own entries, want 1", n)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update err = %v, want boom", err)
	}
	if recordExists(t, kv, 1) {
		t.Error("failed transaction left its record")
	}
	wantEntries(t, "city after failed txn", scan(t, kv, byCity, nil, false))
	wantEntries(t, "email after failed txn", scan(t, kv, byEmail, nil, false))

	// Two transactions race for the same unique email. Both check the entry
	// before either commits; the second commit must fail and leave nothing.
	tx1, err := kv.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx1.Rollback()
	tx2, err := kv.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx2.Rollback()
	if err := putTx(tx1, 1, &person{"ann", "paris", 30, "a@x"}, byCity, byEmail); err != nil {
		t.Fatal(err)
	}
	if err := putTx(tx2, 2, &person{"bob", "rome", 25, "a@x"}, byCity, byEmail); err != nil {
		t.Fatal(err)
	}
	if _, err := tx1.Commit(ctx); err != nil {
		t.Fatalf("commit tx1: %v", err)
	}
	_, err = tx2.Commit(ctx)
	if err == nil {
		t.Fatal("both transactions took the same unique email")
	}
	if !layers.IsRetryable(err) {
		t.Fatalf("losing commit: err = %v, want a retryable conflict", err)
	}
	if recordExists(t, kv, 2) {
		t.Error("conflicting transaction left its record")
	}
	wantEntries(t, "city after conflict", scan(t, kv, byCity, nil, false), `("paris",)->(1,)`)
	wantEntries(t, "email after conflict", scan(t, kv, byEmail, nil, false), `("a@x",)->(1,)`)

	// Retried from the start, the loser now sees the violation.
	if err := put(ctx, kv, 2, &person{"bob", "rome", 25, "a@x"}, byCity, byEmail); !errors.Is(err, ErrUniqueViolation) {
		t.Fatalf("retry: err = %v, want ErrUniqueViolation", err)
	}
	wantEntries(t, "city after refused retry", scan(t, kv, byCity, nil, false), `("paris",)->(1,)`)
}

func TestSparse(t *testing.T) {
	ctx := context.Background()
	kv := raftstoretest.New(t)
	// Index only people older than 18.
	adults := mustIndex(t)(New(subspace.Sub("idx", "adults"), 1, func(v []byte) (tuple.Tuple, error) {
		t, err := tuple.Unpack(v)
		if err != nil {
			return nil, err
		}
		if t[2].(int64) < 18 {
			return nil, nil
		}
		return tuple.Tuple{t[2]}, nil
	}))
	steps := []struct {
		age  int64
		want []string
	}{
		{10, nil},
		{17, nil},
		{18, []string{"(18,)->(1,)"}},
		{40, []string{"(40,)->(1,)"}},
		{5, nil},
	}
	for _, s := range steps {
		if err := put(ctx, kv, 1, &person{"p", "c", s.age, nil}, adults); err != nil {
			t.Fatal(err)
		}
		wantEntries(t, fmt.Sprintf("age %d", s.age), scan(t, kv, adults, nil, false), s.want...)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := New(subspace.Sub("i"), 0, field(1)); err == nil {
		t.Error("New with arity 0 succeeded")
	}
	if _, err := NewUnique(subspace.Sub("i"), 1, nil); err == nil {
		t.Error("NewUnique with nil extractor succeeded")
	}

	kv := raftstoretest.New(t)
	two := mustIndex(t)(New(subspace.Sub("idx", "two"), 2, field(1)))
	extractErr := errors.New("bad record")
	failing := mustIndex(t)(New(subspace.Sub("idx", "failing"), 1, func([]byte) (tuple.Tuple, error) { return nil, extractErr }))
	badType := mustIndex(t)(New(subspace.Sub("idx", "bad"), 1, func([]byte) (tuple.Tuple, error) { return tuple.Tuple{struct{}{}}, nil }))
	ok := mustIndex(t)(New(subspace.Sub("idx", "ok"), 1, field(1)))
	p := &person{"p", "c", 1, nil}

	tests := []struct {
		name   string
		err    error
		is     error
		substr string
	}{
		{"wrong arity", put(ctx, kv, 1, p, two), nil, "extracted 1 new values"},
		{"extractor error", put(ctx, kv, 1, p, failing), extractErr, "extract new values"},
		{"unpackable values", put(ctx, kv, 1, p, badType), tuple.ErrUnsupported, "pack entry"},
		{"empty pk", func() error {
			_, err := layers.Update(ctx, kv, func(tx layers.Txn) error { return ok.Update(tx, tuple.Tuple{}, nil, p.value()) })
			return err
		}(), nil, "empty primary key"},
		{"lookup on non-unique", layers.View(ctx, kv, func(r layers.Reader) error {
			_, err := ok.Lookup(r, tuple.Tuple{"c"})
			return err
		}), nil, "needs a unique index"},
		{"bound too long", layers.View(ctx, kv, func(r layers.Reader) error {
			it := ok.Scan(r, tuple.Tuple{"c", 1}, false)
			if it.Next() {
				t.Error("Next succeeded on a bad bound")
			}
			return it.Close()
		}), nil, "more than 1 values"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Fatal("no error")
			}
			if tc.is != nil && !errors.Is(tc.err, tc.is) {
				t.Errorf("err = %v, want one wrapping %v", tc.err, tc.is)
			}
			if !strings.Contains(tc.err.Error(), tc.substr) {
				t.Errorf("err = %q, want it to mention %q", tc.err, tc.substr)
			}
		})
	}
	if recordExists(t, kv, 1) {
		t.Error("a failed Update left a record")
	}
}

func TestCorruptEntry(t *testing.T) {
	ctx := context.Background()
	kv := raftstoretest.New(t)
	ix := mustIndex(t)(New(subspace.Sub("idx", "c"), 1, field(1)))
	space := ix.Space()
	_, err := layers.Update(ctx, kv, func(tx layers.Txn) error {
		tx.Set(append(space.Bytes(), 0x15, 0x01), nil) // one element: no pk
		tx.Set(append(space.Bytes(), 0x16, 0x01), nil) // truncated integer
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, reverse := range []bool{false, true} {
		err := layers.View(ctx, kv, func(r layers.Reader) error {
			it := ix.Scan(r, nil, reverse)
			for it.Next() {
				t.Errorf("corrupt entry decoded as %v", it.Entry())
			}
			return it.Close()
		})
		if err == nil {
			t.Errorf("reverse=%v: scan of corrupt entries succeeded", reverse)
		}
	}
}
