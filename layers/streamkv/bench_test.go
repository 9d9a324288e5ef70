package streamkv

import (
	"fmt"
	"testing"

	"github.com/aspen-db/aspen/layers/strkv"
)

// BenchmarkXAdd measures one XADD * per commit on one stream.
func BenchmarkXAdd(b *testing.B) {
	env := newEnv(b)
	b.ResetTimer()
	for range b.N {
		env.do(b, "XADD s * f 0123456789abcdef")
	}
}

// BenchmarkXReadGroupAck measures an XREADGROUP COUNT 1 and its XACK.
func BenchmarkXReadGroupAck(b *testing.B) {
	env := newEnv(b)
	for i := range b.N + 1 {
		env.do(b, fmt.Sprintf("XADD s %d-0 f v", i+1))
	}
	env.do(b, "XGROUP CREATE s g 0")
	b.ResetTimer()
	for i := range b.N {
		env.do(b, "XREADGROUP GROUP g c COUNT 1 STREAMS s >")
		env.do(b, fmt.Sprintf("XACK s g %d-0", i+1))
	}
}

// BenchmarkXAddApply measures the apply cost of XADD alone: 100 XADDs per
// commit.
func BenchmarkXAddApply(b *testing.B) {
	env := newEnv(b)
	muts := make([]strkv.Mutation, 100)
	for i := range muts {
		muts[i] = CmdOp(0, argv("XADD s * f 0123456789abcdef"))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i += len(muts) {
		if _, err := env.strs.Run(ctxT(b), muts...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIncrApply is the same for INCR, as a yardstick.
func BenchmarkIncrApply(b *testing.B) {
	env := newEnv(b)
	muts := make([]strkv.Mutation, 100)
	for i := range muts {
		muts[i] = strkv.IncrByOp(0, []byte("n"), 1)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i += len(muts) {
		if _, err := env.strs.Run(ctxT(b), muts...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkXAddTrimApply measures the apply cost of XADD with trimming
// on a stream kept at 1000 entries: 100 XADDs per commit.
func BenchmarkXAddTrimApply(b *testing.B) {
	for _, bc := range []struct{ name, trim string }{
		{"maxlen", "MAXLEN 1000"},
		{"maxlen~", "MAXLEN ~ 1000"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			env := newEnv(b)
			fill := make([]strkv.Mutation, 100)
			for i := range fill {
				fill[i] = CmdOp(0, argv("XADD s * f 0123456789abcdef"))
			}
			for range 12 {
				if _, err := env.strs.Run(ctxT(b), fill...); err != nil {
					b.Fatal(err)
				}
			}
			muts := make([]strkv.Mutation, 100)
			for i := range muts {
				muts[i] = CmdOp(0, argv("XADD s "+bc.trim+" * f 0123456789abcdef"))
			}
			b.ResetTimer()
			for i := 0; i < b.N; i += len(muts) {
				if _, err := env.strs.Run(ctxT(b), muts...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
