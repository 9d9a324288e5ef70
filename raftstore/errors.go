package raftstore

import "errors"

// Error is a store error that callers above may need to react to. Protocols
// recognise it by behaviour (layers.IsRetryable, and the Code method), never
// by importing this package.
type Error struct {
	code  string
	msg   string
	retry bool
}

func (e *Error) Error() string { return e.msg }

// Retryable reports whether the whole transaction may be run again.
func (e *Error) Retryable() bool { return e.retry }

// Code is a short stable word for the error: "conflict", "too_old",
// "no_leader", "unknown_result", "shutdown", "invalid".
func (e *Error) Code() string { return e.code }

var (
	// ErrConflict: another transaction wrote what this one read after its
	// read version. Retry from Begin.
	ErrConflict = &Error{"conflict", "transaction conflict: another transaction wrote what this one read; retry", true}
	// ErrTooOld: the transaction's read version fell out of the conflict
	// window before it committed. Retry from Begin.
	ErrTooOld = &Error{"too_old", "transaction is too old: its read version left the conflict window; retry", true}
	// ErrNoLeader: no leader could be reached in time. Retry later.
	ErrNoLeader = &Error{"no_leader", "no cluster leader is reachable; retry later", true}
	// ErrUnknownResult: the commit was sent but its outcome is unknown (the
	// leader changed or the deadline passed while it was in flight). It may
	// or may not have been applied, so it is not retryable blindly.
	ErrUnknownResult = &Error{"unknown_result", "commit outcome unknown: the leader changed or the deadline passed while it was in flight", false}
	// ErrClosed: the store is shutting down.
	ErrClosed = &Error{"shutdown", "store is shutting down", false}
	// ErrTxnDone: the transaction was already committed or rolled back.
	ErrTxnDone = &Error{"invalid", "transaction already finished", false}
)

// IsRetryable reports whether err says the transaction may be retried.
func IsRetryable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.retry
}
