package raftstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/aspen-db/aspen/engine"
)

// dbHandle is one open engine directory with a reference count. A snapshot
// restore opens a new directory and retires the old handle; the old engine
// is closed and removed when the last transaction reading from it ends.
type dbHandle struct {
	db      *engine.DB
	dir     string
	refs    atomic.Int64
	retired atomic.Bool
	logger  *slog.Logger
}

func (h *dbHandle) release() {
	if h.refs.Add(-1) == 0 && h.retired.Load() {
		if err := h.db.Close(); err != nil {
			h.logger.Warn("close retired engine", "dir", h.dir, "err", err)
		}
		if err := os.RemoveAll(h.dir); err != nil {
			h.logger.Warn("remove retired engine", "dir", h.dir, "err", err)
		}
	}
}

// acquire returns the current engine handle with a reference the caller
// must release.
func (s *Store) acquire() *dbHandle {
	for {
		h := s.handle.Load()
		h.refs.Add(1)
		if s.handle.Load() == h && !h.retired.Load() {
			return h
		}
		h.release()
	}
}

// The active engine directory is named in the file "engine" in the data
// directory; it changes atomically (write + rename) when a snapshot is
// restored, so a crash in the middle leaves either the old or the new one.
const enginePointer = "engine"

func (s *Store) activeEngineDir() (string, error) {
	b, err := os.ReadFile(filepath.Join(s.cfg.Dir, enginePointer))
	if errors.Is(err, os.ErrNotExist) {
		return "db.1", nil
	}
	if err != nil {
		return "", fmt.Errorf("read engine pointer: %w", err)
	}
	name := strings.TrimSpace(string(b))
	if !strings.HasPrefix(name, "db.") || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("engine pointer %s: bad directory name %q", filepath.Join(s.cfg.Dir, enginePointer), name)
	}
	return name, nil
}

func (s *Store) writeEnginePointer(name string) error {
	if err := writeFileAtomic(vfs.Default, filepath.Join(s.cfg.Dir, enginePointer), []byte(name+"\n")); err != nil {
		return fmt.Errorf("write engine pointer: %w", err)
	}
	return nil
}

func (s *Store) openEngine(name string) (*dbHandle, error) {
	dir := filepath.Join(s.cfg.Dir, name)
	db, err := engine.Open(dir, engine.Options{Logger: s.logger, CacheSize: s.cfg.CacheSize})
	if err != nil {
		return nil, err
	}
	h := &dbHandle{db: db, dir: dir, logger: s.logger}
	h.refs.Store(1) // the store's own reference
	return h, nil
}

// swapEngine makes the checkpoint in srcDir the active engine.
func (s *Store) swapEngine(srcDir string) error {
	old := s.handle.Load()
	n := 1
	if i := strings.LastIndexByte(old.dir, '.'); i >= 0 {
		if v, err := strconv.Atoi(old.dir[i+1:]); err == nil {
			n = v + 1
		}
	}
	name := "db." + strconv.Itoa(n)
	dst := filepath.Join(s.cfg.Dir, name)
	os.RemoveAll(dst)
	if err := os.Rename(srcDir, dst); err != nil {
		return fmt.Errorf("move restored engine: %w", err)
	}
	h, err := s.openEngine(name)
	if err != nil {
		return err
	}
	if err := s.writeEnginePointer(name); err != nil {
		h.db.Close()
		return err
	}
	s.handle.Store(h)
	old.retired.Store(true)
	old.release()
	return nil
}

// The engine floor records, for the active engine directory, an applied
// index the engine is known to hold durably (written after a flush: at a
// clean close, at each snapshot, after a restore). Pebble reads a damaged
// MANIFEST record as the torn end of a crash and opens without the edits
// after it, silently losing flushed data; an engine whose applied index is
// below its floor is damaged, and the node refuses to start on it.
const engineFloorFile = "engine.floor"

type engineFloor struct {
	Engine  string `json:"engine"`
	Applied uint64 `json:"applied"`
	Sum     uint32 `json:"sum"`
}

func (f engineFloor) checksum() uint32 {
	return crc32.Checksum([]byte(f.Engine+"/"+strconv.FormatUint(f.Applied, 10)), crc32.MakeTable(crc32.Castagnoli))
}

func (s *Store) writeFloor(engineDir string, applied uint64) error {
	f := engineFloor{Engine: filepath.Base(engineDir), Applied: applied}
	f.Sum = f.checksum()
	b, _ := json.Marshal(f)
	p := filepath.Join(s.cfg.Dir, engineFloorFile)
	if err := writeFileAtomic(vfs.Default, p, b); err != nil {
		return fmt.Errorf("write engine floor: %w", err)
	}
	return nil
}

// checkFloor fails when the active engine holds less than its floor.
func (s *Store) checkFloor(engineDir string, applied uint64) error {
	p := filepath.Join(s.cfg.Dir, engineFloorFile)
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read engine floor %s: %w", p, err)
	}
	var f engineFloor
	if err := json.Unmarshal(b, &f); err != nil || f.Sum != f.checksum() {
		return fmt.Errorf("engine floor %s is damaged; refusing to start", p)
	}
	if f.Engine != filepath.Base(engineDir) {
		return nil // written for an engine a restore replaced
	}
	if applied < f.Applied {
		return fmt.Errorf("engine %s holds applied index %d but had %d durably (%s): its files are damaged or missing; refusing to start",
			engineDir, applied, f.Applied, p)
	}
	return nil
}

// writeFileAtomic replaces the file at p durably: write a temporary file,
// sync it, rename it over p, sync the directory.
func writeFileAtomic(fs vfs.FS, p string, b []byte) error {
	tmp := p + ".tmp"
	f, err := fs.Create(tmp, vfs.WriteCategoryUnspecified)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = fs.Rename(tmp, p)
	}
	if err != nil {
		return err
	}
	d, err := fs.OpenDir(fs.PathDir(p))
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
