package target

import (
	"sync"
	"time"
)

// WarmGate lets the background warm-up (warm) work only while the program
// is stopped, so that its CPU and garbage (DWARF decompression and
// indexing, GC cycles: tens of ms for a Go binary) do not compete with a
// running program on a small machine. Each step is done on demand anyway
// (sync.Once), so a command that needs one before warm got to it does it
// itself. The zero value is open.
//
// The Debugger holds it across each Continue, releases it at the stop
// that follows, and ends it when the program exits (the rest of warm is
// dropped); a new process (setProc) opens it again. A step already under
// way when the gate is held runs to its end. A step starts only once the
// program has stayed stopped for warmSettle: a script's (or the bench's)
// continue right after launch then runs before warm, not beside it.
type WarmGate struct {
	mu    sync.Mutex
	held  chan struct{} // non-nil while the program runs; closed at the stop
	ended bool
	holds int // counts hold calls, to see a run within warmSettle
	// EagerLines (Config.EagerLines): warm's first step waits only while
	// the program runs, not for it to settle.
	EagerLines bool
}

// warmSettle is how long the program must stay stopped before a warm step
// starts. A person types slower; a command coming sooner does what it needs
// on demand.
const warmSettle = 30 * time.Millisecond

// Hold closes the gate: the program is about to run.
func (g *WarmGate) Hold() {
	g.mu.Lock()
	if g.held == nil && !g.ended {
		g.held = make(chan struct{})
	}
	g.holds++
	g.mu.Unlock()
}

// Stopped opens the gate again, or ends it when the program has exited.
func (g *WarmGate) Stopped(exited bool) {
	g.mu.Lock()
	if g.held != nil {
		close(g.held)
		g.held = nil
	}
	g.ended = g.ended || exited
	g.mu.Unlock()
}

// Open resets the gate for a new process, stopped.
func (g *WarmGate) Open() {
	g.Stopped(false)
	g.mu.Lock()
	g.ended = false
	g.mu.Unlock()
}

// wait blocks until the program has been stopped for warmSettle; false
// when warm should give up. A nil gate is always open.
func (g *WarmGate) wait() bool { return g.pass(warmSettle) }

// waitStopped is wait without the settle time: it blocks only while the
// program runs.
func (g *WarmGate) waitStopped() bool { return g.pass(0) }

func (g *WarmGate) pass(settle time.Duration) bool {
	if g == nil {
		return true
	}
	for {
		g.mu.Lock()
		held, ended, holds := g.held, g.ended, g.holds
		g.mu.Unlock()
		if ended {
			return false
		}
		if held != nil {
			<-held
			continue
		}
		if settle == 0 {
			return true
		}
		time.Sleep(settle)
		g.mu.Lock()
		still := g.held == nil && !g.ended && g.holds == holds
		g.mu.Unlock()
		if still {
			return true
		}
	}
}
