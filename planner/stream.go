package planner

// Streaming of a top-level SELECT's rows to the client as the executor
// produces them (Session.ExecStream and ExecuteStream), so that a large
// result is not held in memory.

import (
	"context"
	"strconv"
	"time"

	"github.com/aspen-db/aspen/planner/types"
)

// RowSink receives the rows of a statement whose result streams: a plain
// top-level SELECT. Other statements' rows stay in Result.Rows.
type RowSink interface {
	// StartRows is called before the first row of a streamed result.
	// prior holds the results of the query string's statements that
	// finished since the last StartRows, in order (ExecStream does not
	// return them); res is the streaming statement's result so far (its
	// Columns and Notices). An error ends the statement with that error.
	StartRows(prior []*Result, res *Result) error
	// Row receives one row, which the sink must not keep after it
	// returns: it must encode (and, when its buffer is large, write) the
	// row before the next is produced. An error (the client is gone) ends
	// the statement with that error.
	Row(row []Value) error
}

// execSink is the RowSink of the statement running now, with the results
// not handed to it yet.
type execSink struct {
	sink    RowSink
	prior   []*Result
	started bool
}

// start hands the pending results and the streaming result's columns to
// the sink, once per statement.
func (es *execSink) start(res *Result) error {
	if es.started {
		return nil
	}
	es.started = true
	prior := es.prior
	es.prior = nil
	return es.sink.StartRows(prior, res)
}

// takeSink returns the sink of the top-level statement and clears it, so
// that statements run inside it (COPY's query, EXPLAIN ANALYZE's) do not
// stream.
func (s *Session) takeSink() *execSink {
	es := s.sink
	s.sink = nil
	return es
}

// ExecStream is Exec with the rows of plain SELECTs handed to sink as they
// are produced instead of being kept in Result.Rows. The results it returns
// are those not given to sink.StartRows: a streamed result is among them
// (or among the prior results of a later StartRows) with Streamed set and
// its row count in Tag. After an error, the rows already handed to the sink
// stay sent, as PostgreSQL's are; a nil sink is Exec.
func (s *Session) ExecStream(ctx context.Context, sql string, sink RowSink) ([]*Result, error) {
	if sink == nil {
		return s.Exec(ctx, sql)
	}
	s.stream = &execSink{sink: sink}
	defer func() { s.stream, s.sink = nil, nil }()
	return s.Exec(ctx, sql)
}

// ExecuteStream is Execute with a SELECT's rows handed to sink as they are
// produced (see ExecStream); the Result then has Streamed set and no Rows.
func (s *Session) ExecuteStream(ctx context.Context, p *Prepared, params []Value, sink RowSink) (*Result, error) {
	if sink == nil {
		return s.Execute(ctx, p, params)
	}
	s.stream = &execSink{sink: sink}
	defer func() { s.stream, s.sink = nil, nil }()
	return s.Execute(ctx, p, params)
}

// armSink makes the session's stream, if any, the sink of the next
// statement, whose pending prior results are done.
func (s *Session) armSink(done []*Result) {
	if s.stream == nil {
		return
	}
	s.stream.prior, s.stream.started = done, false
	s.sink = s.stream
}

// sinkStarted reports whether the statement just run streamed (its prior
// results went to the sink), and disarms the sink.
func (s *Session) sinkStarted() bool {
	s.sink = nil
	return s.stream != nil && s.stream.started
}

// streamSelect runs a SELECT handing its rows to the sink, and returns how
// many there were. Without rows the sink is not started and the result is
// an ordinary empty one.
func (s *Session) streamSelect(ctx context.Context, p *selectPlan, ev *evalCtx, res *Result, es *execSink) (int64, error) {
	var n int64
	zoned := zonedColumns(res.Columns)
	var loc *time.Location
	if s.ident.env != nil {
		loc = s.ident.env.Loc
	}
	_, err := execSelectTo(ctx, s.tx, p, ev, -1, func(row []types.Value) error {
		if err := es.start(res); err != nil {
			return err
		}
		n++
		if loc != nil {
			for _, i := range zoned {
				if i < len(row) {
					row[i] = row[i].InZone(loc)
				}
			}
		}
		return es.sink.Row(row)
	})
	if err != nil {
		return n, err
	}
	res.Streamed = es.started
	res.Tag = "SELECT " + strconv.FormatInt(n, 10)
	return n, nil
}

// zonedColumns returns the indexes of the timestamptz (and timestamptz[])
// columns, which display in the session's time zone (see localize).
func zonedColumns(cols []Column) []int {
	var out []int
	for i, c := range cols {
		if c.TypeOID == types.OIDTimestampTZ || c.TypeOID == types.ArrayType(types.TTimestampTZ).OID() {
			out = append(out, i)
		}
	}
	return out
}

// emitStreamed hands one result row to emit, after the first offset rows
// (counted in *n with the rows emitted), and reports errStop once limit
// rows (limit >= 0) went out.
func emitStreamed(emit func([]types.Value) error, row []types.Value, n *int64, offset, limit int64) error {
	*n++
	if *n <= offset {
		return nil
	}
	if limit >= 0 && *n-offset > limit {
		return errStop
	}
	if err := emit(row); err != nil {
		return err
	}
	if limit >= 0 && *n-offset >= limit {
		return errStop
	}
	return nil
}

// emitRows hands a materialised result to emit.
func emitRows(emit func([]types.Value) error, rows [][]types.Value) error {
	for _, r := range rows {
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

// SetMaxQueryMemory sets the bytes of rows one statement may hold in
// memory before it fails with 53200 (256 MB by default) and returns the
// previous value. Meant for tests; not safe while statements run.
func SetMaxQueryMemory(n int64) int64 {
	old := maxQueryMemory
	maxQueryMemory = n
	return old
}
