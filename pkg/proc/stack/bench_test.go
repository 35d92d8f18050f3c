package stack_test

import (
	"testing"

	. "github.com/godbg/godbg/pkg/proc/stack"
)

// benchDeep stops stackfix at the bottom of a 1,000-deep recursion and
// unwinds its ~1,010 frames from the live process at each iteration; cold
// also drops the cached call frame tables and rows first.
func benchDeep(b *testing.B, cold bool) {
	s := launch(b, "stackfix", "main.go", nil, "chain:1000")
	s.breakAt(s.lineAddr("stop-here"), nil)
	th := s.next()
	r, err := th.Registers()
	if err != nil {
		b.Fatal(err)
	}
	regs, err := RegsFrom(r)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if cold {
			Forget(s.tab)
		}
		frames, err := Unwind(s.tab, s.bias, regs, s.p, 0)
		if err != nil || len(frames) < 1000 {
			b.Fatalf("%d frames: %v", len(frames), err)
		}
	}
}

func BenchmarkUnwindDeep(b *testing.B)     { benchDeep(b, false) }
func BenchmarkUnwindDeepCold(b *testing.B) { benchDeep(b, true) }
