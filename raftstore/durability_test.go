package raftstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aspen-db/aspen/raftstore"
	"github.com/aspen-db/aspen/raftstore/raftstoretest"
)

func openSmallLog(t *testing.T, dir string, verify bool) (*raftstore.Store, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := raftstore.Open(ctx, raftstore.Config{
		Dir:               dir,
		Meta:              raftstore.NodeMeta{ID: "n1", RaftAddr: raftstoretest.FreeAddr(t)},
		SnapshotThreshold: 32,
		SnapshotInterval:  100 * time.Millisecond,
		TrailingLogs:      8,
		VerifyOnStart:     verify,
		HeartbeatTimeout:  200 * time.Millisecond,
		ElectionTimeout:   200 * time.Millisecond,
	})
	if err != nil {
		return nil, err
	}
	if err := s.WaitRead(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// After snapshots have truncated the log, a clean restart must find the
// data in the engine: the log alone no longer holds it.
func TestRestartAfterLogTruncation(t *testing.T) {
	dir := t.TempDir()
	s, err := openSmallLog(t, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		set(t, s, fmt.Sprintf("k%03d", i), strconv.Itoa(i))
	}
	waitFor(t, "a snapshot", func() bool {
		m, _ := filepath.Glob(filepath.Join(dir, "snapshots", "*"))
		return len(m) > 0
	})
	// A few more writes so the snapshot has certainly compacted the log.
	for i := 200; i < 240; i++ {
		set(t, s, fmt.Sprintf("k%03d", i), strconv.Itoa(i))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = openSmallLog(t, dir, true)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	for _, i := range []int{0, 100, 199, 239} {
		k := fmt.Sprintf("k%03d", i)
		if v, _ := get(t, s, k); v != strconv.Itoa(i) {
			t.Fatalf("after restart %s = %q, want %d", k, v, i)
		}
	}
}

// An engine that holds less than it had durably (as after Pebble silently
// drops the tail of a damaged MANIFEST) is refused.
func TestEngineBelowFloorRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := openSmallLog(t, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	set(t, s, "a", "1")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "engine.floor")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("clean close wrote no floor: %v", err)
	}
	var f struct {
		Engine  string `json:"engine"`
		Applied uint64 `json:"applied"`
		Sum     uint32 `json:"sum"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	// A tampered record is refused.
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), `"applied":`, `"applied":9`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := openSmallLog(t, dir, false); err == nil || !strings.Contains(err.Error(), "engine.floor") {
		t.Fatalf("open with a tampered floor: %v, want a refusal naming the floor file", err)
	}
	// A well-formed floor above what the engine holds is refused too.
	f.Applied += 1000
	f.Sum = crc32.Checksum([]byte(f.Engine+"/"+strconv.FormatUint(f.Applied, 10)), crc32.MakeTable(crc32.Castagnoli))
	nb, _ := json.Marshal(f)
	if err := os.WriteFile(p, nb, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = openSmallLog(t, dir, false)
	if err == nil || !strings.Contains(err.Error(), "damaged or missing") {
		t.Fatalf("open below the floor: %v, want a refusal", err)
	}
}
