// Package sqlerr defines the error the SQL engine returns to its callers: a
// PostgreSQL SQLSTATE code with the message, detail, hint and cursor position
// that a protocol (pgwire) turns into an ErrorResponse or NoticeResponse.
//
// Everything the planner refuses because of the user's input is an *Error.
// Store failures and bugs are other Go errors; a protocol should report those
// as XX000 internal_error (see As).
package sqlerr

import (
	"errors"
	"fmt"
	"strings"
)

// SQLSTATE codes the engine uses.
const (
	SuccessfulCompletion         = "00000"
	Warning                      = "01000"
	ActiveSQLTransaction         = "25001"
	NoActiveSQLTransaction       = "25P01"
	InFailedSQLTransaction       = "25P02"
	SyntaxError                  = "42601"
	UndefinedTable               = "42P01"
	UndefinedColumn              = "42703"
	UndefinedObject              = "42704"
	DuplicateTable               = "42P07"
	DuplicateColumn              = "42701"
	AmbiguousColumn              = "42702"
	AmbiguousFunction            = "42725"
	GroupingError                = "42803"
	DatatypeMismatch             = "42804"
	UndefinedFunction            = "42883"
	InvalidColumnReference       = "42P10"
	IndeterminateDatatype        = "42P18"
	InvalidTableDefinition       = "42P16"
	UndefinedParameter           = "42P02"
	CannotCoerce                 = "42846"
	WrongObjectType              = "42809"
	InvalidParameterValue        = "22023"
	UniqueViolation              = "23505"
	NotNullViolation             = "23502"
	DivisionByZero               = "22012"
	NumericValueOutOfRange       = "22003"
	InvalidTextRepresentation    = "22P02"
	StringDataRightTruncation    = "22001"
	InvalidRowCountInLimit       = "2201W"
	InvalidRowCountInOffset      = "2201X"
	SerializationFailure         = "40001"
	FeatureNotSupported          = "0A000"
	ProtocolViolation            = "08P01"
	InternalError                = "XX000"
	StatementTooComplex          = "54001"
	ProgramLimitExceeded         = "54000"
	InsufficientPrivilege        = "42501"
	QueryCanceled                = "57014"
	InvalidTransactionState      = "25000"
	InvalidSQLStatementName      = "26000"
	ObjectNotInPrerequisiteState = "55000"
	DuplicateAlias               = "42712"
	InvalidObjectDefinition      = "42P17"
	CardinalityViolation         = "21000"
	DuplicateObject              = "42710"
)

// Error is an SQL error or notice. Position, when not zero, is the 1-based
// character (not byte) offset in the statement text that the error points
// at, as PostgreSQL's ErrorResponse 'P' field.
type Error struct {
	// Severity is "ERROR" for errors, "NOTICE" or "WARNING" for notices;
	// empty means "ERROR".
	Severity string
	Code     string
	Message  string
	Detail   string
	Hint     string
	Position int
	// Where is the context PostgreSQL prints after CONTEXT: where in
	// the statement's work the error arose ("COPY t, line 2, column b:
	// "x"").
	Where string
	// Cause is an underlying Go error, if any (a store error behind a
	// serialization failure); it is not sent to clients.
	Cause error
}

// Error formats e as psql prints it, with the SQLSTATE in parentheses.
func (e *Error) Error() string {
	sev := e.Severity
	if sev == "" {
		sev = "ERROR"
	}
	return fmt.Sprintf("%s: %s (SQLSTATE %s)", sev, e.Message, e.Code)
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Cause }

// WithPosition returns a copy of e pointing at pos (1-based characters). A
// position already set is kept.
func (e *Error) WithPosition(pos int) *Error {
	if e.Position != 0 || pos <= 0 {
		return e
	}
	c := *e
	c.Position = pos
	return &c
}

// WithDetail returns a copy of e with Detail set.
func (e *Error) WithDetail(format string, args ...any) *Error {
	c := *e
	c.Detail = fmt.Sprintf(format, args...)
	return &c
}

// WithHint returns a copy of e with Hint set.
func (e *Error) WithHint(format string, args ...any) *Error {
	c := *e
	c.Hint = fmt.Sprintf(format, args...)
	return &c
}

// New returns an error with code and a formatted message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Notice returns a notice (severity NOTICE) with code and message.
func Notice(code, format string, args ...any) *Error {
	return &Error{Severity: "NOTICE", Code: code, Message: fmt.Sprintf(format, args...)}
}

// WarningNotice returns a notice of severity WARNING.
func WarningNotice(code, format string, args ...any) *Error {
	return &Error{Severity: "WARNING", Code: code, Message: fmt.Sprintf(format, args...)}
}

// As returns the *Error in err's chain. Any other non-nil error becomes an
// XX000 internal_error whose message is err's text, so a protocol always
// has a code to send.
func As(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: InternalError, Message: err.Error(), Cause: err}
}

// Code returns the SQLSTATE of err ("" for nil, XX000 for errors that are
// not *Error).
func Code(err error) string {
	if err == nil {
		return ""
	}
	return As(err).Code
}

// Syntax returns a 42601 syntax_error.
func Syntax(format string, args ...any) *Error { return New(SyntaxError, format, args...) }

// UndefinedTableErr returns 42P01 for a relation that does not exist.
func UndefinedTableErr(name string) *Error {
	return New(UndefinedTable, "relation %q does not exist", name)
}

// UndefinedColumnErr returns 42703 for a column that does not exist; a
// qualified name (t.x) is not quoted, as in PostgreSQL's message.
func UndefinedColumnErr(name string) *Error {
	if strings.Contains(name, ".") {
		return New(UndefinedColumn, "column %s does not exist", name)
	}
	return New(UndefinedColumn, "column %q does not exist", name)
}

// DuplicateTableErr returns 42P07 for a relation that already exists.
func DuplicateTableErr(name string) *Error {
	return New(DuplicateTable, "relation %q already exists", name)
}

// UniqueViolationErr returns 23505 naming the violated constraint; detail
// is PostgreSQL's "Key (cols)=(vals) already exists.".
func UniqueViolationErr(constraint, cols, vals string) *Error {
	return &Error{Code: UniqueViolation,
		Message: fmt.Sprintf("duplicate key value violates unique constraint %q", constraint),
		Detail:  fmt.Sprintf("Key (%s)=(%s) already exists.", cols, vals)}
}

// NotNullViolationErr returns 23502 for a NULL in a NOT NULL column; detail
// is the failing row as PostgreSQL prints it, e.g. "(1, null)".
func NotNullViolationErr(column, table, row string) *Error {
	e := &Error{Code: NotNullViolation,
		Message: fmt.Sprintf("null value in column %q of relation %q violates not-null constraint", column, table)}
	if row != "" {
		e.Detail = "Failing row contains " + row + "."
	}
	return e
}

// DivisionByZeroErr returns 22012.
func DivisionByZeroErr() *Error { return New(DivisionByZero, "division by zero") }

// OutOfRange returns 22003 with message "<what> out of range", e.g.
// "integer out of range".
func OutOfRange(what string) *Error {
	return New(NumericValueOutOfRange, "%s out of range", what)
}

// InvalidText returns 22P02 "invalid input syntax for type T: "s"".
func InvalidText(typ, s string) *Error {
	return New(InvalidTextRepresentation, "invalid input syntax for type %s: %q", typ, s)
}

// DatatypeMismatchErr returns 42804 with a message.
func DatatypeMismatchErr(format string, args ...any) *Error {
	return New(DatatypeMismatch, format, args...)
}

// UndefinedFunctionErr returns 42883 with a message and PostgreSQL's hint.
func UndefinedFunctionErr(format string, args ...any) *Error {
	e := New(UndefinedFunction, format, args...)
	e.Hint = "No function matches the given name and argument types. You might need to add explicit type casts."
	return e
}

// UndefinedOperatorErr returns 42883 for an operator with no match.
func UndefinedOperatorErr(format string, args ...any) *Error {
	e := New(UndefinedFunction, format, args...)
	e.Hint = "No operator matches the given name and argument types. You might need to add explicit type casts."
	return e
}

// SerializationFailureErr returns 40001 wrapping the store's conflict.
func SerializationFailureErr(cause error) *Error {
	return &Error{Code: SerializationFailure,
		Message: "could not serialize access due to read/write dependencies among transactions",
		Hint:    "The transaction might succeed if retried.",
		Cause:   cause}
}

// InFailedTransactionErr returns 25P02.
func InFailedTransactionErr() *Error {
	return New(InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
}

// Unsupported returns 0A000 feature_not_supported with a message.
func Unsupported(format string, args ...any) *Error {
	return New(FeatureNotSupported, format, args...)
}
