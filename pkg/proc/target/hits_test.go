package target

import (
	"strings"
	"testing"
)

// TestHitConditions: Hits counts every hit and lets through those its
// hit condition allows; a bad operator or % 0 is refused.
func TestHitConditions(t *testing.T) {
	for _, c := range []struct {
		op    string
		n     int
		stops string // which of hits 1..6 stop
	}{
		{"==", 3, "..x..."}, {"!=", 3, "xx.xxx"}, {"<", 3, "xx...."}, {"<=", 3, "xxx..."},
		{">", 3, "...xxx"}, {">=", 3, "..xxxx"}, {"%", 2, ".x.x.x"},
	} {
		var h Hits
		if err := h.SetCond(c.op, c.n); err != nil {
			t.Fatalf("%s %d: %v", c.op, c.n, err)
		}
		got := ""
		for i := 0; i < 6; i++ {
			if h.Stops(fakeHit(7 + i%2)) {
				got += "x"
			} else {
				got += "."
			}
		}
		if got != c.stops || h.Total != 6 || h.ByThread[7] != 3 || h.ByThread[8] != 3 {
			t.Errorf("%s %d: stops %s, want %s; total %d, by thread %v", c.op, c.n, got, c.stops, h.Total, h.ByThread)
		}
	}
	var h Hits
	for _, bad := range []struct {
		op string
		n  int
	}{{"%", 0}, {"=", 1}} {
		if err := h.SetCond(bad.op, bad.n); err == nil {
			t.Errorf("SetCond(%q, %d) gave no error", bad.op, bad.n)
		}
	}
	if !h.Stops(fakeHit(1)) {
		t.Errorf("a refused hit condition left one behind")
	}
	// No goroutines (no symbols, or a C program): no per-goroutine counts,
	// and -per-g-hitcount says why it cannot be.
	h.CountGoroutines(nil)
	h.Stops(fakeHit(1))
	if h.ByGoroutine != nil || h.StopGoroutine(1) != 0 {
		t.Errorf("hits counted per goroutine without goroutines: %v", h.ByGoroutine)
	}
	if err := h.CountPerG(nil); err == nil || !strings.Contains(err.Error(), "Go program") {
		t.Errorf("CountPerG without a Go program: %v, want an error naming it", err)
	}
}
