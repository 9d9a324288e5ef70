package resp

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestMetricsCountConnectionsAndCommands(t *testing.T) {
	ts := startServer(t, nil)
	reg := prometheus.NewRegistry()
	reg.MustRegister(ts.srv.Collectors()...)
	c := ts.client(t)
	ctx := ctxT(t)
	p := c.Pipeline()
	for i := 0; i < 10; i++ {
		p.Ping(ctx)
	}
	if _, err := p.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(ts.srv.Collectors()[1]); got < 10 {
		t.Fatalf("commands_total = %v, want at least 10", got)
	}
	if got := testutil.ToFloat64(ts.srv.Collectors()[0]); got != 1 {
		t.Fatalf("connections = %v, want 1", got)
	}
	c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for testutil.ToFloat64(ts.srv.Collectors()[0]) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("connections gauge did not drop to 0 after the client closed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
