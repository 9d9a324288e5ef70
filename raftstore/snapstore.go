package raftstore

import (
	"archive/tar"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/hashicorp/raft"
)

// checkpointStore is a raft.SnapshotStore whose local snapshots are Pebble
// checkpoints kept as directories (hard links to the engine's immutable
// files, so taking one costs a flush, not a copy of the data). A snapshot
// is turned into a tar stream only when raft opens it to send to a
// follower. A snapshot received from the leader arrives as that stream and
// is kept as a file until the state machine restores it.
//
// Layout under dir: one folder per snapshot, named by its ID, holding
// meta.json and either db/ (a checkpoint) or data.tar (a received stream).
// A folder being written has the suffix ".tmp" and is removed at start-up.
type checkpointStore struct {
	dir    string
	retain int
	logger *slog.Logger
}

const (
	snapMetaFile = "meta.json"
	snapDBDir    = "db"
	snapTarFile  = "data.tar"
	snapTmp      = ".tmp"
)

func newCheckpointStore(dir string, retain int, logger *slog.Logger) (*checkpointStore, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("snapshot store %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("snapshot store %s: %w", dir, err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), snapTmp) {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
	return &checkpointStore{dir: dir, retain: retain, logger: logger}, nil
}

// Create starts a new snapshot.
func (c *checkpointStore) Create(version raft.SnapshotVersion, index, term uint64, conf raft.Configuration,
	confIndex uint64, _ raft.Transport) (raft.SnapshotSink, error) {
	if version != 1 {
		return nil, fmt.Errorf("snapshot version %d is not supported", version)
	}
	id := fmt.Sprintf("%d-%d-%d", term, index, time.Now().UnixMilli())
	tmp := filepath.Join(c.dir, id+snapTmp)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("create snapshot %s: %w", id, err)
	}
	return &checkpointSink{
		store: c, dir: tmp,
		meta: raft.SnapshotMeta{Version: version, ID: id, Index: index, Term: term,
			Configuration: conf, ConfigurationIndex: confIndex},
	}, nil
}

// List returns the snapshots, newest first.
func (c *checkpointStore) List() ([]*raft.SnapshotMeta, error) {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	var out []*raft.SnapshotMeta
	for _, e := range entries {
		if !e.IsDir() || strings.HasSuffix(e.Name(), snapTmp) {
			continue
		}
		m, err := readSnapMeta(filepath.Join(c.dir, e.Name()))
		if err != nil {
			c.logger.Warn("ignoring unreadable snapshot", "dir", e.Name(), "err", err)
			continue
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Term != out[j].Term {
			return out[i].Term > out[j].Term
		}
		if out[i].Index != out[j].Index {
			return out[i].Index > out[j].Index
		}
		return out[i].ID > out[j].ID
	})
	return out, nil
}

func readSnapMeta(dir string) (*raft.SnapshotMeta, error) {
	b, err := os.ReadFile(filepath.Join(dir, snapMetaFile))
	if err != nil {
		return nil, err
	}
	var m raft.SnapshotMeta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, snapMetaFile), err)
	}
	return &m, nil
}

// Open returns a snapshot's metadata and its bytes as a tar stream of the
// checkpoint's files.
func (c *checkpointStore) Open(id string) (*raft.SnapshotMeta, io.ReadCloser, error) {
	if id == "" || strings.ContainsAny(id, `/\`) || strings.HasPrefix(id, ".") {
		return nil, nil, fmt.Errorf("open snapshot: bad id %q", id)
	}
	dir := filepath.Join(c.dir, id)
	m, err := readSnapMeta(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("open snapshot %s: %w", id, err)
	}
	if f, err := os.Open(filepath.Join(dir, snapTarFile)); err == nil {
		return m, f, nil
	}
	db := filepath.Join(dir, snapDBDir)
	if _, err := os.Stat(db); err != nil {
		return nil, nil, fmt.Errorf("open snapshot %s: %w", id, err)
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeTar(pw, db)) }()
	return m, pr, nil
}

// reap removes all but the newest retain snapshots.
func (c *checkpointStore) reap() {
	metas, err := c.List()
	if err != nil {
		return
	}
	for i := c.retain; i < len(metas); i++ {
		if err := os.RemoveAll(filepath.Join(c.dir, metas[i].ID)); err != nil {
			c.logger.Warn("remove old snapshot", "id", metas[i].ID, "err", err)
		}
	}
}

// checkpointSink receives a snapshot either as a checkpoint directory
// (adoptCheckpoint, for snapshots this node takes) or as a byte stream
// (Write, for snapshots sent by the leader).
type checkpointSink struct {
	store *checkpointStore
	dir   string
	meta  raft.SnapshotMeta
	tar   *os.File
	done  bool
}

func (s *checkpointSink) ID() string { return s.meta.ID }

func (s *checkpointSink) Write(p []byte) (int, error) {
	if s.tar == nil {
		f, err := os.Create(filepath.Join(s.dir, snapTarFile))
		if err != nil {
			return 0, err
		}
		s.tar = f
	}
	n, err := s.tar.Write(p)
	s.meta.Size += int64(n)
	return n, err
}

// adoptCheckpoint moves a checkpoint directory into the snapshot.
func (s *checkpointSink) adoptCheckpoint(ck string) error {
	if err := os.Rename(ck, filepath.Join(s.dir, snapDBDir)); err != nil {
		return fmt.Errorf("adopt checkpoint: %w", err)
	}
	size, err := tarSize(filepath.Join(s.dir, snapDBDir))
	if err != nil {
		return err
	}
	s.meta.Size = size
	return nil
}

func (s *checkpointSink) Close() error {
	if s.done {
		return nil
	}
	s.done = true
	if s.tar != nil {
		err := s.tar.Sync()
		if cerr := s.tar.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.RemoveAll(s.dir)
			return fmt.Errorf("snapshot %s: %w", s.meta.ID, err)
		}
	}
	b, err := json.Marshal(s.meta)
	if err == nil {
		err = writeFileAtomic(vfs.Default, filepath.Join(s.dir, snapMetaFile), b)
	}
	if err == nil {
		err = os.Rename(s.dir, filepath.Join(s.store.dir, s.meta.ID))
	}
	if err != nil {
		os.RemoveAll(s.dir)
		return fmt.Errorf("snapshot %s: %w", s.meta.ID, err)
	}
	s.store.reap()
	return nil
}

func (s *checkpointSink) Cancel() error {
	if s.done {
		return nil
	}
	s.done = true
	if s.tar != nil {
		s.tar.Close()
	}
	return os.RemoveAll(s.dir)
}

// tarSize is the exact length of the stream writeTar produces for dir
// (raft announces a snapshot's size before sending it): a 512-byte header
// per file, its data padded to 512 bytes, and two zero blocks at the end.
func tarSize(dir string) (int64, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			return 0, err
		}
		n += 512 + (fi.Size()+511)/512*512
	}
	return n + 1024, nil
}

// writeTar streams the regular files of dir as a USTAR archive.
func writeTar(w io.Writer, dir string) error {
	tw := tar.NewWriter(w)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		p := filepath.Join(dir, e.Name())
		fi, err := e.Info()
		if err != nil {
			return err
		}
		if len(e.Name()) > 100 {
			return fmt.Errorf("archive %s: name too long", p)
		}
		if err := tw.WriteHeader(&tar.Header{Name: e.Name(), Mode: 0o644, Size: fi.Size(),
			Typeflag: tar.TypeReg, Format: tar.FormatUSTAR}); err != nil {
			return err
		}
		fh, err := os.Open(p)
		if err != nil {
			return err
		}
		_, err = io.CopyN(tw, fh, fi.Size())
		fh.Close()
		if err != nil {
			return fmt.Errorf("archive %s: %w", p, err)
		}
	}
	return tw.Close()
}
