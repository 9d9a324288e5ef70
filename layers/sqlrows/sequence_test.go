package sqlrows

import "testing"

// TestNextval checks the nextval arithmetic against what PostgreSQL 15
// shows: the values returned, and last_value/log_cnt after each call that
// reaches the store (a session serves the values up to last_value from
// its cache).
func TestNextval(t *testing.T) {
	type call struct {
		want   int64
		last   int64
		logCnt int64
	}
	tests := []struct {
		name                  string
		start, inc, min, max  int64
		cache                 int64
		cycle                 bool
		calls                 []call // calls that reach the store
		wantMax, wantExceeded bool
	}{
		{name: "maxvalue 3", start: 1, inc: 1, min: 1, max: 3, cache: 1,
			calls: []call{{1, 1, 2}, {2, 2, 1}, {3, 3, 0}}, wantExceeded: true, wantMax: true},
		{name: "cache 10", start: 1, inc: 1, min: 1, max: 1 << 62, cache: 10,
			calls: []call{{1, 10, 32}, {11, 20, 22}}},
		{name: "cycle cache 2", start: 1, inc: 1, min: 1, max: 3, cache: 2, cycle: true,
			calls: []call{{1, 2, 1}, {3, 3, 0}, {1, 2, 1}}},
		{name: "descending cache 3", start: 10, inc: -3, min: 1, max: 10, cache: 3,
			calls: []call{{10, 4, 1}, {1, 1, 0}}, wantExceeded: true},
		{name: "default", start: 1, inc: 1, min: 1, max: 1<<63 - 1, cache: 1,
			calls: []call{{1, 1, 32}, {2, 2, 31}, {3, 3, 30}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := SeqState{Last: tt.start}
			for i, c := range tt.calls {
				status, got, next := nextval(st, tt.inc, tt.min, tt.max, tt.cache, tt.cycle)
				if status != NextvalOK || got != c.want || next.Last != c.last || next.LogCnt != c.logCnt || !next.Called {
					t.Fatalf("call %d: status %d, value %d, state %+v; want %d, last %d, log_cnt %d",
						i, status, got, next, c.want, c.last, c.logCnt)
				}
				st = next
			}
			status, _, next := nextval(st, tt.inc, tt.min, tt.max, tt.cache, tt.cycle)
			switch {
			case !tt.wantExceeded && status != NextvalOK:
				t.Fatalf("extra call: status %d", status)
			case tt.wantExceeded && tt.wantMax && status != NextvalMaxReached,
				tt.wantExceeded && !tt.wantMax && status != NextvalMinReached:
				t.Fatalf("extra call: status %d, want the limit", status)
			case tt.wantExceeded && next != st:
				t.Fatalf("a failed call changed the state: %+v", next)
			}
		})
	}
}
