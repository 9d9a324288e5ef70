package sqlerr

import (
	"errors"
	"fmt"
	"testing"
)

func TestError(t *testing.T) {
	e := UniqueViolationErr("t_pkey", "a", "1")
	if e.Code != "23505" || e.Message != `duplicate key value violates unique constraint "t_pkey"` || e.Detail != "Key (a)=(1) already exists." {
		t.Errorf("UniqueViolationErr: %+v", e)
	}
	if got := e.Error(); got != `ERROR: duplicate key value violates unique constraint "t_pkey" (SQLSTATE 23505)` {
		t.Errorf("Error() = %q", got)
	}
	p := e.WithPosition(7)
	if p.Position != 7 || e.Position != 0 {
		t.Errorf("WithPosition changed the original or failed: %d %d", p.Position, e.Position)
	}
	if p.WithPosition(3).Position != 7 {
		t.Error("WithPosition overwrote an existing position")
	}
	wrapped := fmt.Errorf("statement 2: %w", p)
	if got := As(wrapped); got != p {
		t.Errorf("As(wrapped) = %v", got)
	}
	if Code(wrapped) != UniqueViolation {
		t.Errorf("Code(wrapped) = %q", Code(wrapped))
	}
	other := errors.New("disk on fire")
	if got := As(other); got.Code != InternalError || got.Message != "disk on fire" || !errors.Is(got, other) {
		t.Errorf("As(plain error) = %+v", got)
	}
	if Code(nil) != "" || As(nil) != nil {
		t.Error("nil error must map to nil")
	}
	for _, tt := range []struct {
		e    *Error
		code string
		msg  string
	}{
		{UndefinedTableErr("t"), "42P01", `relation "t" does not exist`},
		{UndefinedColumnErr("x"), "42703", `column "x" does not exist`},
		{UndefinedColumnErr("t.x"), "42703", `column t.x does not exist`},
		{DuplicateTableErr("t"), "42P07", `relation "t" already exists`},
		{NotNullViolationErr("a", "t", "(null)"), "23502", `null value in column "a" of relation "t" violates not-null constraint`},
		{DivisionByZeroErr(), "22012", "division by zero"},
		{OutOfRange("integer"), "22003", "integer out of range"},
		{InvalidText("integer", "x"), "22P02", `invalid input syntax for type integer: "x"`},
		{DatatypeMismatchErr("m"), "42804", "m"},
		{UndefinedFunctionErr("function f() does not exist"), "42883", "function f() does not exist"},
		{SerializationFailureErr(other), "40001", "could not serialize access due to read/write dependencies among transactions"},
		{InFailedTransactionErr(), "25P02", "current transaction is aborted, commands ignored until end of transaction block"},
		{Unsupported("x"), "0A000", "x"},
		{Syntax("y"), "42601", "y"},
	} {
		if tt.e.Code != tt.code || tt.e.Message != tt.msg {
			t.Errorf("got %s %q, want %s %q", tt.e.Code, tt.e.Message, tt.code, tt.msg)
		}
	}
}
