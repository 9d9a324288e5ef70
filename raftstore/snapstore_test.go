package raftstore

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/raft"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheckpointStoreLocalAndStreamed(t *testing.T) {
	base := t.TempDir()
	files := map[string]string{"000004.sst": strings.Repeat("x", 1000), "MANIFEST-000001": "m", "empty": "", "OPTIONS-000003": strings.Repeat("o", 512)}
	ck := filepath.Join(base, "ck")
	writeFiles(t, ck, files)

	// The announced size is exactly what the stream holds.
	var buf bytes.Buffer
	if err := writeTar(&buf, ck); err != nil {
		t.Fatal(err)
	}
	if size, err := tarSize(ck); err != nil || size != int64(buf.Len()) {
		t.Fatalf("tarSize = %d, %v; the stream is %d bytes", size, err, buf.Len())
	}

	store, err := newCheckpointStore(filepath.Join(base, "snaps"), 2, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	conf := raft.Configuration{Servers: []raft.Server{{ID: "n1", Address: "a"}}}
	var ids []string
	for i := uint64(1); i <= 3; i++ {
		sink, err := store.Create(1, 10*i, 2, conf, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		src := filepath.Join(base, "ck-copy")
		os.RemoveAll(src)
		writeFiles(t, src, files)
		if err := sink.(*checkpointSink).adoptCheckpoint(src); err != nil {
			t.Fatal(err)
		}
		if err := sink.Close(); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sink.ID())
	}
	metas, err := store.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(metas) != 2 || metas[0].Index != 30 || metas[1].Index != 20 {
		t.Fatalf("List after 3 snapshots with retain 2: %+v", metas)
	}
	meta, rc, err := store.Open(ids[2])
	if err != nil {
		t.Fatal(err)
	}
	stream, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || int64(len(stream)) != meta.Size || !bytes.Equal(stream, buf.Bytes()) {
		t.Fatalf("Open streamed %d bytes (%v), meta says %d, want the checkpoint's tar", len(stream), err, meta.Size)
	}

	// A snapshot received as a stream is stored and read back as is, and
	// unpacks to the same files.
	sink, err := store.Create(1, 40, 3, conf, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(sink, bytes.NewReader(stream)); err != nil {
		t.Fatal(err)
	}
	if err := sink.Close(); err != nil {
		t.Fatal(err)
	}
	meta, rc, err = store.Open(sink.ID())
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(base, "restored")
	os.MkdirAll(out, 0o755)
	if err := readTar(rc, out); err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if meta.Size != int64(len(stream)) || meta.Index != 40 {
		t.Fatalf("received snapshot meta %+v", meta)
	}
	for name, body := range files {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || string(got) != body {
			t.Fatalf("restored %s = %d bytes, %v", name, len(got), err)
		}
	}

	// A cancelled snapshot leaves nothing, and bad ids are refused.
	sink, _ = store.Create(1, 50, 3, conf, 1, nil)
	sink.Write([]byte("partial"))
	sink.Cancel()
	if metas, _ := store.List(); len(metas) != 2 || metas[0].Index != 40 {
		t.Fatalf("after cancel: %+v", metas)
	}
	if _, _, err := store.Open("../x"); err == nil {
		t.Fatal("Open accepted a path outside the store")
	}
}
