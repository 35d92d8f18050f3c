package stack_test

import (
	"testing"
	"time"

	. "github.com/godbg/godbg/pkg/proc/stack"
)

// TestTopCFAMatchesUnwind halts a busy Go program at random moments and,
// for every thread where TopCFA gives a CFA, checks it against the one
// Unwind finds for the innermost frame (issue 12: step conditions use
// TopCFA instead of an unwind).
func TestTopCFAMatchesUnwind(t *testing.T) {
	s := launch(t, "stackfix", "main.go", nil, "busy:60")
	fast, checked, delay := 0, 0, 0
	haltTimes(t, s.p, 20, func() time.Duration { delay++; return time.Duration(1+delay%7) * time.Millisecond }, func(int) {
		for _, th := range s.p.Threads() {
			r, err := th.Registers()
			if err != nil {
				t.Fatal(err)
			}
			regs, err := RegsFrom(r)
			if err != nil {
				t.Fatal(err)
			}
			frames, _ := Unwind(s.tab, s.bias, regs, s.p, 1)
			checked++
			cfa, ok := TopCFA(s.tab, s.bias, regs)
			if !ok {
				continue
			}
			fast++
			if len(frames) == 0 || frames[0].CFA != cfa {
				t.Errorf("thread %d at %#x: TopCFA %#x, Unwind %s", th.ID(), regs.PC(), cfa, dump(frames))
			}
		}
	})
	if fast == 0 {
		t.Fatalf("TopCFA gave no CFA for any of %d threads", checked)
	}
	t.Logf("TopCFA answered for %d of %d threads", fast, checked)
}
