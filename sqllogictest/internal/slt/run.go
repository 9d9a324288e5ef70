// Running scripts against a server over the PostgreSQL protocol (pgx's
// pgconn, simple query protocol unless told otherwise), one connection and
// one clean schema per script.

package slt

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Options configure a [Runner].
type Options struct {
	// URL is the server's connection string (postgres://user@host:port/db).
	URL string
	// Engine is the name skipif/onlyif lines are compared with; empty
	// means "postgresql".
	Engine string
	// Extended runs every record with the extended query protocol (Parse,
	// Bind, Execute; text results) instead of the simple one. A record may
	// then hold only one SQL statement.
	Extended bool
	// Keep leaves the objects a script created in place after it ends (they
	// are still dropped before the next run of the same script).
	Keep bool
	// Timeout bounds each record; 0 means 30 seconds.
	Timeout time.Duration
}

// Failure describes one failed record.
type Failure struct {
	Line     int    // the record's keyword line
	Kind     Kind   // statement, query or invalid
	SQL      string // the record's SQL
	Reason   string // what went wrong
	Expected string // expected result, summarized ("" if not a result mismatch)
	Got      string // actual result, summarized
}

// FileResult is the outcome of one script.
type FileResult struct {
	Name                    string
	Passed, Failed, Skipped int
	Failures                []Failure // every failure, in script order
	Halted                  bool      // the script stopped at a halt record
	Duration                time.Duration
	// CleanupErrors lists drops that failed after the script ran.
	CleanupErrors []string
}

// Runner runs scripts; it is not safe for concurrent use (scripts of the
// same runner share object names, so they run one at a time anyway).
type Runner struct {
	opts Options
}

// NewRunner returns a runner with opts.
func NewRunner(opts Options) *Runner {
	if opts.Engine == "" {
		opts.Engine = "postgresql"
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	return &Runner{opts: opts}
}

// RunFile reads and runs the script at path; name labels the result. An
// error is returned only when the file cannot be read; connection trouble
// turns into failed records.
func (r *Runner) RunFile(ctx context.Context, name, path string) (FileResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileResult{Name: name}, fmt.Errorf("open script: %w", err)
	}
	defer f.Close()
	recs, err := Parse(f)
	if err != nil {
		return FileResult{Name: name}, fmt.Errorf("%s: %w", path, err)
	}
	return r.Run(ctx, name, recs), nil
}

// Run runs parsed records on a fresh connection: first it drops every
// table, view, index, sequence, type and schema the records create (left
// over from an earlier run), then runs the records, then (unless
// Options.Keep) drops them again, in reverse order of creation.
func (r *Runner) Run(ctx context.Context, name string, recs []Record) FileResult {
	start := time.Now()
	res := FileResult{Name: name}
	s := &session{r: r}
	defer s.close()

	drops := dropStatements(recs)
	if err := s.connect(ctx); err != nil {
		for _, rec := range recs {
			if rec.Counted() {
				res.fail(&rec, "cannot connect: "+err.Error(), "", "")
			}
		}
		res.Duration = time.Since(start)
		return res
	}
	s.drop(ctx, drops) // errors: the objects are mostly absent

	labels := map[string]string{} // label -> hash of the first result with it
	for i := range recs {
		rec := &recs[i]
		if err := ctx.Err(); err != nil {
			if rec.Counted() {
				res.fail(rec, "not run: "+err.Error(), "", "")
			}
			continue
		}
		if !Applies(rec.Conditions, r.opts.Engine) {
			if rec.Counted() {
				res.Skipped++
			}
			continue
		}
		switch rec.Kind {
		case Halt:
			res.Halted = true
		case HashThreshold:
			// Both forms of an expected result are accepted whatever the
			// threshold (see Compare), so it changes nothing here.
		case Invalid:
			res.fail(rec, rec.Err, "", "")
		case Statement:
			s.runStatement(ctx, rec, &res)
		case Query:
			s.runQuery(ctx, rec, &res, labels)
		}
		if res.Halted {
			break
		}
	}
	if !r.opts.Keep {
		res.CleanupErrors = s.drop(ctx, drops)
	}
	res.Duration = time.Since(start)
	return res
}

func (res *FileResult) fail(rec *Record, reason, expected, got string) {
	res.Failed++
	res.Failures = append(res.Failures, Failure{
		Line: rec.Line, Kind: rec.Kind, SQL: rec.SQL, Reason: reason, Expected: expected, Got: got,
	})
}

// session is one script's connection, reopened if it breaks.
type session struct {
	r    *Runner
	conn *pgconn.PgConn
}

func (s *session) connect(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, s.r.opts.Timeout)
	defer cancel()
	c, err := pgconn.Connect(cctx, s.r.opts.URL)
	if err != nil {
		return err
	}
	s.conn = c
	return nil
}

func (s *session) close() {
	if s.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.conn.Close(ctx)
		s.conn = nil
	}
}

// ensure reconnects after the connection broke (a timeout, a server that
// dropped it). Session state such as SET is lost then.
func (s *session) ensure(ctx context.Context) error {
	if s.conn != nil && !s.conn.IsClosed() {
		return nil
	}
	s.close()
	return s.connect(ctx)
}

// result is what one record's SQL returned: the last result set's columns
// and rows (text form).
type result struct {
	fields []pgconn.FieldDescription
	rows   [][][]byte
}

// exec runs sql and returns the last result that had columns (or the last
// result), or the first error.
func (s *session) exec(ctx context.Context, sql string) (result, error) {
	if err := s.ensure(ctx); err != nil {
		return result{}, fmt.Errorf("cannot connect: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.r.opts.Timeout)
	defer cancel()
	var out result
	read := func(rr *pgconn.ResultReader) error {
		var rows [][][]byte
		for rr.NextRow() {
			vals := rr.Values()
			row := make([][]byte, len(vals))
			for i, v := range vals {
				if v != nil {
					row[i] = append([]byte{}, v...)
				}
			}
			rows = append(rows, row)
		}
		fields := slices.Clone(rr.FieldDescriptions())
		if _, err := rr.Close(); err != nil {
			return err
		}
		if fields != nil || out.fields == nil {
			out = result{fields: fields, rows: rows}
		}
		return nil
	}
	if s.r.opts.Extended {
		// nil result formats: every column in text form.
		err := read(s.conn.ExecParams(ctx, sql, nil, nil, nil, nil))
		return out, err
	}
	mrr := s.conn.Exec(ctx, sql)
	var firstErr error
	for mrr.NextResult() {
		if err := read(mrr.ResultReader()); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	if err := mrr.Close(); err != nil && firstErr == nil {
		firstErr = err
	}
	return out, firstErr
}

// ErrorText renders a server error as statement error patterns see it:
// "MESSAGE (SQLSTATE CODE)"; other errors as their text.
func ErrorText(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s (SQLSTATE %s)", pe.Message, pe.Code)
	}
	return err.Error()
}

func (s *session) runStatement(ctx context.Context, rec *Record, res *FileResult) {
	_, err := s.exec(ctx, rec.SQL)
	switch {
	case !rec.ExpectError && err == nil:
		res.Passed++
	case !rec.ExpectError:
		res.fail(rec, "statement failed: "+ErrorText(err), "", "")
	case err == nil:
		res.fail(rec, "statement succeeded, expected an error", "", "")
	case rec.ErrorPattern == "":
		res.Passed++
	default:
		// The parser has checked that the pattern compiles.
		re := regexp.MustCompile(rec.ErrorPattern)
		if msg := ErrorText(err); !re.MatchString(msg) {
			res.fail(rec, "wrong error", rec.ErrorPattern, msg)
		} else {
			res.Passed++
		}
	}
}

func (s *session) runQuery(ctx context.Context, rec *Record, res *FileResult, labels map[string]string) {
	out, err := s.exec(ctx, rec.SQL)
	if err != nil {
		res.fail(rec, "query failed: "+ErrorText(err), Summarize(rec.Expected), "")
		return
	}
	ncols := len(rec.Types)
	if len(out.fields) != ncols {
		res.fail(rec, fmt.Sprintf("wrong number of result columns: expected %d, got %d", ncols, len(out.fields)), "", "")
		return
	}
	vals := make([]string, 0, len(out.rows)*ncols)
	for _, row := range out.rows {
		for i, v := range row {
			vals = append(vals, FormatValue(rec.Types[i], v, out.fields[i].DataTypeOID))
		}
	}
	SortValues(vals, ncols, rec.Sort)
	if why := Compare(rec, vals); why != "" {
		expected, got := Summarize(rec.Expected), Summarize(vals)
		if _, _, hashed := rec.ExpectedHash(); hashed {
			expected, got = rec.Expected[0], HashLine(vals)+": "+got
		}
		res.fail(rec, why, expected, got)
		return
	}
	if rec.Label != "" {
		h := Hash(vals)
		if prev, ok := labels[rec.Label]; ok && prev != h {
			res.fail(rec, fmt.Sprintf("labeled result [%s] does not agree with previous values", rec.Label),
				"values hashing to "+prev, HashLine(vals))
			return
		} else if !ok {
			labels[rec.Label] = h
		}
	}
	res.Passed++
}

// Summarize renders values on one line for a failure report: at most 16
// values, each quoted if it holds a space or is empty.
func Summarize(vals []string) string {
	const max = 16
	var b strings.Builder
	for i, v := range vals {
		if i == max {
			fmt.Fprintf(&b, " ... (%d values)", len(vals))
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		if v == "" || strings.ContainsAny(v, " \t") {
			v = fmt.Sprintf("%q", v)
		}
		b.WriteString(v)
	}
	if len(vals) == 0 {
		return "(no values)"
	}
	return b.String()
}

// drop runs the drop statements, ignoring "does not exist" situations and
// drops of the wrong object kind; it returns the other errors.
func (s *session) drop(ctx context.Context, drops []string) []string {
	var errs []string
	if s.conn != nil && !s.conn.IsClosed() && s.conn.TxStatus() != 'I' {
		// A script that ends inside a transaction (or an aborted one).
		s.exec(ctx, "ROLLBACK")
	}
	for _, d := range drops {
		if _, err := s.exec(ctx, d); err != nil {
			var pe *pgconn.PgError
			if errors.As(err, &pe) && pe.Code == "42809" { // wrong_object_type
				continue
			}
			errs = append(errs, d+": "+ErrorText(err))
		}
	}
	return errs
}

// createRE finds the objects a statement creates: the kind and the
// (possibly quoted, possibly schema-qualified) name.
var createRE = regexp.MustCompile(`(?is)(?:^|;)\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL)\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?(?:UNIQUE\s+)?(TABLE|VIEW|MATERIALIZED\s+VIEW|INDEX|SEQUENCE|SCHEMA|TYPE)\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?((?:"[^"]+"|[\p{L}_][\p{L}\p{N}_$]*)(?:\.(?:"[^"]+"|[\p{L}_][\p{L}\p{N}_$]*))?)`)

// dropStatements returns DROP ... IF EXISTS statements for every object
// the records' SQL creates, most recently created first (each object once).
func dropStatements(recs []Record) []string {
	type object struct{ kind, name string }
	var objs []object
	seen := map[object]bool{}
	for _, rec := range recs {
		if rec.Kind != Statement && rec.Kind != Query {
			continue
		}
		for _, m := range createRE.FindAllStringSubmatch(rec.SQL, -1) {
			kind := strings.ToUpper(strings.Join(strings.Fields(m[1]), " "))
			name := m[2]
			if kind == "INDEX" && strings.EqualFold(name, "ON") {
				continue // an unnamed index goes with its table
			}
			o := object{kind, name}
			if seen[o] {
				continue
			}
			seen[o] = true
			objs = append(objs, o)
		}
	}
	out := make([]string, 0, len(objs))
	for i := len(objs) - 1; i >= 0; i-- {
		o := objs[i]
		stmt := "DROP " + o.kind + " IF EXISTS " + o.name
		if o.kind == "SCHEMA" {
			stmt += " CASCADE"
		}
		out = append(out, stmt)
	}
	return out
}
