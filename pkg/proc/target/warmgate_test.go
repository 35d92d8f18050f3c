package target

import (
	"testing"
	"time"
)

// TestWarmGate: warm's steps wait while the program runs, start only after
// it has stayed stopped for warmSettle, and are dropped once it exited
// until a new process opens the gate.
func TestWarmGate(t *testing.T) {
	var g WarmGate
	start := time.Now()
	if !g.wait() {
		t.Fatal("a new gate ended")
	}
	if d := time.Since(start); d < warmSettle {
		t.Errorf("an open gate let a step start after %v, before the %v settle", d, warmSettle)
	}

	g.Hold()
	passed := make(chan bool, 1)
	go func() { passed <- g.wait() }()
	select {
	case <-passed:
		t.Fatal("a step started while the program runs")
	case <-time.After(3 * warmSettle):
	}
	// A stop followed at once by another run: still no step.
	g.Stopped(false)
	g.Hold()
	select {
	case <-passed:
		t.Fatal("a step started in a stop shorter than the settle time")
	case <-time.After(3 * warmSettle):
	}
	g.Stopped(false)
	select {
	case ok := <-passed:
		if !ok {
			t.Fatal("the gate ended at a stop")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no step after the program stopped")
	}

	g.Hold()
	go func() { passed <- g.wait() }()
	g.Stopped(true) // exited
	select {
	case ok := <-passed:
		if ok {
			t.Fatal("a step started after the program exited")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("warm still waiting after the program exited")
	}
	g.Hold() // a run after the end: nothing to close
	g.Open() // a new process
	if !g.wait() {
		t.Fatal("the gate stayed ended for a new process")
	}
	// waitStopped (Config.EagerLines) does not wait for the settle time,
	// only for the stop.
	g.Hold()
	go func() { passed <- g.waitStopped() }()
	select {
	case <-passed:
		t.Fatal("waitStopped passed while the program runs")
	case <-time.After(3 * warmSettle):
	}
	g.Stopped(false)
	if !<-passed {
		t.Fatal("waitStopped: the gate ended at a stop")
	}
	var nilGate *WarmGate
	if !nilGate.wait() {
		t.Fatal("a nil gate is closed")
	}
}
