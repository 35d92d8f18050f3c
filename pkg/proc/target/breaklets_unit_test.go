package target

import (
	"errors"
	"testing"

	"github.com/godbg/godbg/pkg/proc"
)

// TestBreakletsTellOwnersApart checks the per-thread record of which
// breaklets said stop, as owners come and go.
func TestBreakletsTellOwnersApart(t *testing.T) {
	yes := func(proc.Hit) (bool, error) { return true, nil }
	no := func(proc.Hit) (bool, error) { return false, nil }
	bl := NewBreaklets(1, no)
	bl.Put(-1, yes)
	if stop, _ := bl.Eval(fakeHit(7)); !stop || bl.FiredFor(7, 1) || !bl.FiredFor(7, -1) || bl.FiredFor(8, -1) {
		t.Fatalf("one false, one true breaklet: stop %v, fired user %v step %v", stop, bl.FiredFor(7, 1), bl.FiredFor(7, -1))
	}
	if !bl.Drop(-1) || !bl.Only(1) || bl.FiredFor(7, -1) {
		t.Fatalf("after dropping the step's breaklet: only user %v, step fired %v", bl.Only(1), bl.FiredFor(7, -1))
	}
	if stop, _ := bl.Eval(fakeHit(7)); stop {
		t.Fatalf("a false user breaklet alone stopped")
	}
	if bl.Drop(1) {
		t.Fatalf("breaklets left after dropping the last one")
	}
}

// fakeHit is a hit of thread tid that reads nothing.
type fakeHit int

func (h fakeHit) Tid() int                           { return int(h) }
func (h fakeHit) Registers() (proc.Registers, error) { return nil, errNoHit }
func (h fakeHit) ReadMemory(uint64, []byte) (int, error) {
	return 0, errNoHit
}

var errNoHit = errors.New("a fake hit has no registers or memory")
