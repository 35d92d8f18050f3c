package target

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/goroutines"
)

// The Go runtime's sysmon thread preempts a goroutine that has run for
// 10 ms on one scheduler tick, measured from a time it keeps per P
// (runtime.p.sysmontick.schedwhen); while the debugger holds the program
// stopped that clock runs on, so a stop of more than 10 ms made sysmon
// preempt the goroutine right after the resume: a SIGURG to its thread,
// a signal-delivery stop for the tracer to pass, asyncPreempt in the
// program (issue 12: ~0.6 ms of a next over a 2 ms call). Before each
// resumption Run moves the sysmon times of the running Ps forward by
// the time the program spent stopped (doc.go: "sysmon's clock").

// sysmonClock is what a Target keeps for it.
type sysmonClock struct {
	stopped time.Time     // when Run last got the process back (zero: never)
	owed    time.Duration // stopped time not yet taken off sysmon's clock
	none    *Image        // the image has no usable layout: nothing to do
	ps      []goroutines.P
	ahead   psAhead // arm: read at the stop (planarm.go)
}

// minOwed: stopped time below it is carried to the next resumption
// rather than written (the short stops of a step that resumes several
// times, or of the run hooks' library and watchpoint events, cost no
// syscalls each); 10% of the runtime's 10 ms slice.
const minOwed = time.Millisecond

// resume continues p, the target's process, with the time it spent
// stopped taken off the runtime's preemption clock.
func (t *Target) resume(p proc.Process) (*proc.Stop, error) {
	t.takeStopOff(p)
	st, err := p.Continue()
	t.sysmon.stopped = time.Now()
	return st, err
}

// takeStopOff moves schedwhen and syscallwhen of every P that runs a
// goroutine forward by the time stopped, never past now. Any failure
// leaves the program as it is: the runtime then preempts as it would.
func (t *Target) takeStopOff(p proc.Process) {
	c := &t.sysmon
	if c.stopped.IsZero() {
		if p.Launched() {
			return // stopped at exec: the runtime has not started
		}
		c.owed = 1 << 62 // attached or forked: since when is unknown
	} else {
		c.owed += time.Since(c.stopped)
	}
	if c.owed < minOwed {
		return
	}
	owed := int64(c.owed)
	c.owed = 0
	if c.none == t.Image || !t.Image.Loaded() {
		return
	}
	r, err := t.Goroutines()
	if r == nil || err != nil {
		c.none = t.Image // not Go, or no DWARF
		return
	}
	now := monoNow()
	if now == 0 {
		return
	}
	if c.ps, err = c.runningPs(p, r); errors.Is(err, goroutines.ErrNoProcLayout) {
		c.none = t.Image
		return
	}
	for _, pp := range c.ps {
		s, sok := shifted(pp.SchedWhen, owed, now)
		y, yok := shifted(pp.SyscallWhen, owed, now)
		writeWhens(p, pp, s, sok, y, yok)
	}
}

// shifted is when moved forward by owed and capped at now; ok false: leave
// it (never set, or ahead of now: the program does not share our
// CLOCK_MONOTONIC, e.g. another time namespace).
func shifted(when, owed, now int64) (int64, bool) {
	if when <= 0 || when >= now {
		return when, false
	}
	return when + min(owed, now-when), true
}

// writeWhens writes a P's new times, in one write when they are adjacent.
func writeWhens(p proc.Process, pp goroutines.P, s int64, sok bool, y int64, yok bool) {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], uint64(s))
	binary.LittleEndian.PutUint64(b[8:], uint64(y))
	if sok && yok && pp.SyscallWhenAt == pp.SchedWhenAt+8 {
		p.WriteMemory(pp.SchedWhenAt, b[:])
		return
	}
	if sok {
		p.WriteMemory(pp.SchedWhenAt, b[:8])
	}
	if yok {
		p.WriteMemory(pp.SyscallWhenAt, b[8:])
	}
}

// psAhead are the running Ps read while the program stayed stopped, at
// backend generation gen.
type psAhead struct {
	ps  []goroutines.P
	gen uint64
	ok  bool
}

// readAhead reads the running Ps the next resumption shifts (takeStopOff)
// while the program stays stopped.
func (c *sysmonClock) readAhead(t *Target, p proc.Process) {
	c.ahead.ok = false
	gen, ok := generation(p)
	if !ok || c.none == t.Image || !t.Image.Loaded() {
		return
	}
	r, err := t.Goroutines()
	if r == nil || err != nil {
		return
	}
	ps, err := r.RunningPs(c.ahead.ps)
	if err != nil {
		return
	}
	c.ahead = psAhead{ps: ps, gen: gen, ok: true}
}

// runningPs are the running Ps of p: those read ahead when the backend
// counted no change since, else read now.
func (c *sysmonClock) runningPs(p proc.Process, r *goroutines.Reader) ([]goroutines.P, error) {
	if a := &c.ahead; a.ok {
		a.ok = false
		if gen, ok := generation(p); ok && gen == a.gen {
			return append(c.ps[:0], a.ps...), nil
		}
	}
	return r.RunningPs(c.ps)
}
