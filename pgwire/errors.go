package pgwire

// ErrorResponse and NoticeResponse from the engine's SQL errors.

import (
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/aspen-db/aspen/planner/sqlerr"
)

// errorResponse converts e; severity overrides e's own when not empty
// (FATAL for errors that end the session).
func errorResponse(e *sqlerr.Error, severity string) *pgproto3.ErrorResponse {
	if severity == "" {
		severity = e.Severity
	}
	if severity == "" {
		severity = "ERROR"
	}
	return &pgproto3.ErrorResponse{
		Severity:            severity,
		SeverityUnlocalized: severity,
		Code:                e.Code,
		Message:             e.Message,
		Detail:              e.Detail,
		Hint:                e.Hint,
		Where:               e.Where,
		Position:            int32(e.Position),
	}
}

// noticeResponse converts a notice (severity NOTICE or WARNING).
func noticeResponse(e *sqlerr.Error) *pgproto3.NoticeResponse {
	severity := e.Severity
	if severity == "" {
		severity = "NOTICE"
	}
	n := pgproto3.NoticeResponse(*errorResponse(e, severity))
	return &n
}
