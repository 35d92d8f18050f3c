package debugger

import (
	"fmt"
	"path/filepath"

	"github.com/godbg/godbg/pkg/proc"
)

// Abandoning a call. When the called function stops at a user
// breakpoint or watchpoint, or the call takes too many stops, the thread
// is put back at the "frame ready" stop of runtime.debugCallN, just after
// its int3, as if the function had returned at once: the function's
// frames are dropped (they lie below that sp on the call's own
// goroutine), the runtime then reports "returned" (we read no results)
// and "done", and switches back to the calling goroutine as after any
// call; the thread ends at its pc with its registers restored.

// abortStops bounds the stops between abandoning a call and its end.
const abortStops = 1000

// noteReady records the thread at the "frame ready" stop.
func (c *callRun) noteReady(th proc.Thread, r proc.Registers) error {
	saved, err := c.inj.SaveRegisters(c.tid)
	if err != nil {
		return err
	}
	c.ready, c.entered = saved, true
	c.readyBP, _ = r.DWARFRegister(6)
	c.readyHi = c.stackHi(th)
	return nil
}

// stackHi is the top of the stack of the goroutine th runs (0: unknown).
func (c *callRun) stackHi(th proc.Thread) uint64 {
	gr, err := c.d.goReader()
	if err != nil {
		return 0
	}
	g, ok := c.d.threadG(gr, th)
	if !ok {
		return 0
	}
	return g.StackHi
}

// userStop says why st, a stop of the calling thread while the function
// runs, is one the user asked for ("" if it is not).
func (c *callRun) userStop(st *proc.Stop) string {
	switch st.Reason {
	case proc.StopWatchpoint:
		b := c.d.watchByAddr(c.p, st.Addr)
		if b == nil || !c.inUserCode(nil) {
			return ""
		}
		at := "the called function"
		if th, ok := c.p.Thread(c.tid); ok {
			if r, err := th.Registers(); err == nil {
				at = c.where(r.PC())
			}
		}
		return fmt.Sprintf("it hit watchpoint %d on %s in %s (godbg does not stop inside a call)", b.ID, b.watch.expr, at)
	case proc.StopBreakpoint:
		if !c.d.userFired(c.p, st) || !c.inUserCode(nil) {
			return ""
		}
		id := 0
		if b := c.d.tgt.img.byAddr[st.Addr]; b != nil {
			id = b.ID
		}
		cond := ""
		if st.CondErr != nil {
			cond = fmt.Sprintf(", whose condition failed: %v", st.CondErr)
		}
		return fmt.Sprintf("it hit breakpoint %d at %s%s (godbg does not stop inside a call; clear or disable the breakpoint to let the call run)", id, c.where(st.Addr), cond)
	}
	return ""
}

// inUserCode reports whether the calling thread is in Go code outside
// the runtime, where dropping the function's frames leaves no runtime
// lock or half-done runtime state behind (th nil: look it up).
func (c *callRun) inUserCode(th proc.Thread) bool {
	if th == nil {
		var ok bool
		if th, ok = c.p.Thread(c.tid); !ok {
			return false
		}
	}
	r, err := th.Registers()
	if err != nil {
		return false
	}
	fn := c.d.table().PCToFunc(r.PC() - c.d.bias())
	return fn != nil && !isRuntimeFunc(fn.Name)
}

// where names the function, file and line of pc.
func (c *callRun) where(pc uint64) string {
	file, line, fn := c.d.table().PCToLine(pc - c.d.bias())
	if fn == nil {
		return fmt.Sprintf("%#x", pc)
	}
	return fmt.Sprintf("%s() %s:%d", fn.Name, filepath.Base(file), line)
}

// abort puts the thread back at the "frame ready" stop; the stack may
// have moved since (the offsets from its top stay).
func (c *callRun) abort(th proc.Thread, why string) error {
	c.aborted = why
	delta := uint64(0)
	if hi := c.stackHi(th); hi != 0 && c.readyHi != 0 {
		delta = hi - c.readyHi
	}
	if err := c.inj.RestoreRegisters(c.tid, c.ready, false); err != nil {
		return fmt.Errorf("%w %s: %s, and abandoning it failed: %v", errCall, c.fn.Name, why, err)
	}
	if delta == 0 {
		return nil
	}
	regs := map[string]uint64{"rsp": c.ready.SP() + delta}
	if c.readyBP >= c.ready.SP() && c.readyBP < c.readyHi {
		regs["rbp"] = c.readyBP + delta
	}
	if err := c.setRegs(th, regs); err != nil {
		return fmt.Errorf("%w %s: %s, and abandoning it failed: %v", errCall, c.fn.Name, why, err)
	}
	return nil
}
