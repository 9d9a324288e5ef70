package planner

// Spilling to disk: the engine's directory for temporary files, a
// session's files and their limits (temp_file_limit and the engine's own
// cap), and row files that operators past work_mem write and read back.
//
// A file lives as long as the operator that made it: the operator removes
// it when it finishes, and the session removes whatever is left when the
// statement ends (an error, a cancel or a panic included) and when it
// closes.

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/aspen-db/aspen/planner/sqlerr"
	"github.com/aspen-db/aspen/planner/types"
)

// spillConfig is the engine's place for temporary files.
type spillConfig struct {
	mu    sync.Mutex
	dir   string // set by SetTempDir or at the first spill
	ready bool
	// limit caps the bytes of all sessions' temporary files together (0:
	// none); used is what they hold now.
	limit int64
	used  atomic.Int64
	seq   atomic.Uint64
}

// tempFileShare is the part of the temporary directory's free space (one
// tenth) that the engine's temporary files may use together when no
// explicit cap is set.
const tempFileShare = 10

// SetTempDir sets the directory for the temporary files of operators that
// spill past work_mem (sorts, hash aggregates, hash joins, DISTINCT, set
// operations) and removes the temporary files an earlier process left
// there (files named pgsql_tmp*; nothing else). The server passes its
// data directory's "tmp"; without a call the engine uses a directory
// under os.TempDir()/aspen-<pid>. All sessions' temporary files together
// may use at most limit bytes (0: a tenth of the directory's free space
// now, negative: no cap); past it a statement fails with 53400, as past a
// session's temp_file_limit. Call it before the engine runs statements.
func (e *Engine) SetTempDir(dir string, limit int64) error {
	c := &e.tmp
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.setup(dir, limit)
}

// tempPrefix starts the name of every temporary file, as PostgreSQL's.
const tempPrefix = "pgsql_tmp"

// setup creates dir, removes the temporary files in it and sets the cap;
// c.mu is held. Only files named as the engine names them are removed, so
// a directory given by mistake loses nothing else.
func (c *spillConfig) setup(dir string, limit int64) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), tempPrefix) && e.Type().IsRegular() {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("temporary directory: %w", err)
			}
		}
	}
	if limit == 0 {
		var st syscall.Statfs_t
		if err := syscall.Statfs(dir, &st); err == nil {
			limit = int64(st.Bavail) * int64(st.Bsize) / tempFileShare
		}
	}
	if limit < 0 {
		limit = 0
	}
	c.dir, c.limit, c.ready = dir, limit, true
	return nil
}

// directory returns the temporary directory, setting up the default one
// on first use.
func (c *spillConfig) directory() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.ready {
		// The process's directory, emptied once; each engine gets its own
		// directory in it.
		base := filepath.Join(os.TempDir(), "aspen-"+strconv.Itoa(os.Getpid()))
		defaultTempOnce.Do(func() { os.RemoveAll(base) })
		dir := filepath.Join(base, "e"+strconv.FormatUint(defaultTempSeq.Add(1), 10))
		if err := c.setup(dir, 0); err != nil {
			return "", err
		}
	}
	return c.dir, nil
}

// The default temporary directories: the process's is emptied once, and
// engines are numbered in it.
var (
	defaultTempOnce sync.Once
	defaultTempSeq  atomic.Uint64
)

// sessionSpill is a session's temporary files and the bytes they hold.
type sessionSpill struct {
	files map[*spillFile]struct{}
	used  int64
}

// removeAll removes every temporary file the session still has.
func (s *sessionSpill) removeAll() {
	for f := range s.files {
		f.remove()
	}
}

// workMem returns the statement's work_mem in bytes: what one sort or
// hash table may hold before it spills. Zero means never spill (no
// session: bind-time evaluation).
func (ev *evalCtx) workMem() int64 {
	if ev == nil || ev.sess == nil {
		return 0
	}
	return ev.sess.settingKB("work_mem") * 1024
}

// spillFile is one temporary file of rows, written once then read (by
// one or more readers of parts of it).
type spillFile struct {
	sess *Session
	f    *os.File
	w    *bufio.Writer
	size int64 // bytes written
	buf  []byte
	// limitKB is the session's temp_file_limit when the file was made.
	limitKB int64
}

// newSpillFile creates a temporary file for the session running ev.
func newSpillFile(ev *evalCtx) (*spillFile, error) {
	s := ev.sess
	dir, err := s.eng.tmp.directory()
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("%s%d.%d", tempPrefix, os.Getpid(), s.eng.tmp.seq.Add(1))
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("could not create temporary file: %w", err)
	}
	sf := &spillFile{sess: s, f: f, w: bufio.NewWriterSize(f, 8<<10), limitKB: s.settingKB("temp_file_limit")}
	if s.spill.files == nil {
		s.spill.files = map[*spillFile]struct{}{}
	}
	s.spill.files[sf] = struct{}{}
	return sf, nil
}

// writeRow appends a row; it fails with 53400 when the session's files
// would pass temp_file_limit or the engine's cap.
func (f *spillFile) writeRow(row []types.Value) error {
	b := f.buf[:0]
	b = binary.AppendUvarint(b, uint64(len(row)))
	for _, v := range row {
		b = types.AppendSpill(b, v)
	}
	var hdr [binary.MaxVarintLen64]byte
	h := binary.PutUvarint(hdr[:], uint64(len(b)))
	n := int64(h + len(b))
	if err := f.charge(n); err != nil {
		return err
	}
	f.buf = b
	if _, err := f.w.Write(hdr[:h]); err != nil {
		return f.writeErr(err)
	}
	if _, err := f.w.Write(b); err != nil {
		return f.writeErr(err)
	}
	f.size += n
	return nil
}

// writeErr reports a failed write: a full disk is PostgreSQL's 53100.
func (f *spillFile) writeErr(err error) error {
	if errors.Is(err, syscall.ENOSPC) {
		return &sqlerr.Error{Code: "53100", Message: fmt.Sprintf("could not write to file \"%s\": No space left on device", f.f.Name()), Cause: err}
	}
	return fmt.Errorf("could not write to temporary file: %w", err)
}

// charge counts n more bytes against the limits.
func (f *spillFile) charge(n int64) error {
	s := f.sess
	if kb := f.limitKB; kb >= 0 && s.spill.used+n > kb*1024 {
		return sqlerr.New("53400", "temporary file size exceeds temp_file_limit (%dkB)", kb)
	}
	c := &s.eng.tmp
	if c.limit > 0 && c.used.Load()+n > c.limit {
		return sqlerr.New("53400", "temporary file size exceeds the server's limit on temporary files (%dkB)", c.limit/1024)
	}
	s.spill.used += n
	c.used.Add(n)
	return nil
}

// finishWrite flushes what is buffered: the file can then be read.
func (f *spillFile) finishWrite() error {
	if err := f.w.Flush(); err != nil {
		return f.writeErr(err)
	}
	return nil
}

// reader reads the rows written between offsets from and to.
func (f *spillFile) reader(from, to int64) *spillReader {
	return &spillReader{r: bufio.NewReaderSize(io.NewSectionReader(f.f, from, to-from), 8<<10)}
}

// remove closes and deletes the file and gives its bytes back.
func (f *spillFile) remove() {
	if f == nil || f.f == nil {
		return
	}
	name := f.f.Name()
	f.f.Close()
	os.Remove(name)
	f.f = nil
	s := f.sess
	s.spill.used -= f.size
	s.eng.tmp.used.Add(-f.size)
	delete(s.spill.files, f)
}

// spillReader reads rows back from a spill file.
type spillReader struct {
	r   *bufio.Reader
	buf []byte
}

// next returns the next row, or nil at the end.
func (r *spillReader) next() ([]types.Value, error) {
	n, err := binary.ReadUvarint(r.r)
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("could not read from temporary file: %w", err)
	}
	if n > 1<<31 {
		return nil, errors.New("could not read from temporary file: corrupt record")
	}
	if uint64(cap(r.buf)) < n {
		r.buf = make([]byte, n)
	}
	b := r.buf[:n]
	if _, err := io.ReadFull(r.r, b); err != nil {
		return nil, fmt.Errorf("could not read from temporary file: %w", err)
	}
	cols, k := binary.Uvarint(b)
	if k <= 0 || cols > uint64(len(b)) {
		return nil, errors.New("could not read from temporary file: corrupt record")
	}
	b = b[k:]
	row := make([]types.Value, cols)
	for i := range row {
		if row[i], b, err = types.ReadSpill(b); err != nil {
			return nil, fmt.Errorf("could not read from temporary file: %w", err)
		}
	}
	return row, nil
}

// rowSize approximates the memory a row holds, as memBudget counts it.
func rowSize(row []types.Value) int64 {
	n := int64(24)
	for _, v := range row {
		n += valueSize(v)
	}
	return n
}

// release gives back what add charged for rows that left memory (written
// to a temporary file).
func (m *memBudget) release(n int64) {
	m.used -= n
}
