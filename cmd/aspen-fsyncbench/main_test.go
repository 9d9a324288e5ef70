package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"
)

func TestRunPrintsRateAndPercentiles(t *testing.T) {
	tests := []struct {
		name string
		cfg  config
	}{
		{"preallocated", config{block: 4096, fileSize: 1 << 20}},
		{"append", config{block: 4096, append: true}},
		{"wraps around a small file", config{block: 4096, fileSize: 8192}},
	}
	re := regexp.MustCompile(`^fsync/s: (\d+)\np50: (\S+)\np99: (\S+)\n$`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.dir = t.TempDir()
			tc.cfg.duration = 50 * time.Millisecond
			var out bytes.Buffer
			if err := run(context.Background(), tc.cfg, &out); err != nil {
				t.Fatal(err)
			}
			m := re.FindStringSubmatch(out.String())
			if m == nil {
				t.Fatalf("output %q does not match %s", out.String(), re)
			}
			if n, _ := strconv.Atoi(m[1]); n <= 0 {
				t.Errorf("fsync/s = %s; want > 0", m[1])
			}
			p50, err1 := time.ParseDuration(m[2])
			p99, err2 := time.ParseDuration(m[3])
			if err1 != nil || err2 != nil || p50 <= 0 || p99 < p50 {
				t.Errorf("percentiles p50=%s p99=%s are not ordered positive durations", m[2], m[3])
			}
		})
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	tests := []config{
		{duration: 0, block: 4096, fileSize: 1 << 20},
		{duration: time.Second, block: 0, fileSize: 1 << 20},
		{duration: time.Second, block: 4096, fileSize: 100},
	}
	for _, cfg := range tests {
		cfg.dir = t.TempDir()
		if err := run(context.Background(), cfg, &bytes.Buffer{}); err == nil {
			t.Errorf("run(%+v) succeeded; want an error", cfg)
		}
	}
}

func TestPercentile(t *testing.T) {
	sorted := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	tests := []struct {
		p    int
		want time.Duration
	}{{0, 1}, {1, 1}, {50, 5}, {90, 9}, {99, 10}, {100, 10}}
	for _, tc := range tests {
		if got := percentile(sorted, tc.p); got != tc.want {
			t.Errorf("percentile(%d) = %d; want %d", tc.p, got, tc.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("percentile of nothing = %d; want 0", got)
	}
}
