package debugger

import (
	"errors"

	"github.com/godbg/godbg/pkg/proc"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/service/api"
)

// A watched local lives in its goroutine's stack, which Go moves when it
// grows (and shrinks it during GC): runtime.copystack copies the frames,
// then stores the new bounds in g.stack. A write watch on g.stack.hi
// stops the program right there, after the copy and before the old stack
// is freed, and the watch is moved to the same depth below the new top.
// A breakpoint on the frame's return address, stopping only when that
// goroutine's sp is back at the frame's CFA, ends the watch when the
// function returns.

// watchGone lists the watchpoints that stop at ended.
type watchGone struct {
	at   *proc.Stop
	list []api.WatchStop
}

// watchScope ties a watchpoint to one frame of one goroutine.
type watchScope struct {
	fn        string
	g         uint64
	hiAddr    uint64 // &g.stack.hi, watched for moves
	hi        uint64 // the stack top the watch is armed for
	addrDepth uint64 // hi - the watched address
	cfaDepth  uint64 // hi - the frame's CFA
	ret       uint64 // the return address holding our breakpoint (0: none)
}

// scopeWatch makes b follow its local, if it watches one of the selected
// goroutine's stack.
func (d *Debugger) scopeWatch(b *breakpoint) error {
	w := b.watch
	if _, err := d.live(); err != nil || d.table() == nil {
		return nil // not a goroutine stack we can follow: plain memory
	}
	s, frames, err := d.tgt.Prepare(d.from())
	if err != nil {
		return nil // not a goroutine stack we can follow: plain memory
	}
	g, hiOff, cfa, depth := s.GoFrame()
	if g == 0 || hiOff < 0 || len(frames) == 0 {
		return nil // not a goroutine stack we can follow: plain memory
	}
	hi := cfa + depth
	var lo [8]byte
	if _, err := w.p.ReadMemory(g+uint64(hiOff)-8, lo[:]); err != nil {
		return nil
	}
	if w.addr < leUint64(lo[:]) || w.addr >= hi {
		return nil
	}
	sc := &watchScope{fn: frames[0].Func, g: g, hiAddr: g + uint64(hiOff), hi: hi, addrDepth: hi - w.addr, cfaDepth: depth}
	if d.scopeSharing(sc.hiAddr) == nil {
		cond := func(h proc.Hit) (bool, error) {
			var b [8]byte
			_, err := h.ReadMemory(sc.hiAddr, b[:])
			return err != nil || leUint64(b[:]) != sc.hi, nil
		}
		if _, err := w.p.(proc.Watcher).SetWatchpoint(sc.hiAddr, 8, proc.WatchWrite, cond); err != nil {
			return errors.New("cannot follow the stack of the goroutine of " + w.expr + ": " + err.Error() + "; a local needs a second debug register")
		}
	}
	if len(frames) > 1 && frames[1].PC != 0 {
		sc.ret = frames[1].PC
		if !d.ownReturn(sc.ret) { // else another watch's breaklet is there
			if t := d.targetOf(w.p); t == nil || t.SetBreaklet(sc.ret, ptarget.OwnerWatchRet, d.returnedCond(sc)) != nil {
				sc.ret = 0 // scope not tracked
			}
		}
	}
	w.scope = sc
	return nil
}

// returnedCond stops when the watched frame's goroutine is back in the
// caller with sp at the frame's CFA (a deeper recursion of the same
// function returns to the same address with sp below it).
func (d *Debugger) returnedCond(sc *watchScope) proc.BreakCond {
	return func(h proc.Hit) (bool, error) {
		r, err := h.Registers()
		if err != nil {
			return false, nil
		}
		if g, err := r.DWARFRegister(14); err != nil || g != sc.g {
			return false, nil
		}
		var b [8]byte
		if _, err := h.ReadMemory(sc.hiAddr, b[:]); err != nil {
			return false, nil
		}
		hi := leUint64(b[:])
		return r.SP() <= hi && hi-r.SP() <= sc.cfaDepth, nil
	}
}

// scopeSharing returns another scoped watchpoint following the same
// goroutine's stack.
func (d *Debugger) scopeSharing(hiAddr uint64) *breakpoint {
	for _, b := range d.bps().byID {
		if b.watch != nil && b.watch.scope != nil && b.watch.scope.hiAddr == hiAddr {
			return b
		}
	}
	return nil
}

// ownReturn reports whether a scoped watch already has its breakpoint at ret.
func (d *Debugger) ownReturn(ret uint64) bool {
	for _, b := range d.bps().byID {
		if b.watch != nil && b.watch.scope != nil && b.watch.scope.ret == ret {
			return true
		}
	}
	return false
}

// unscopeWatch removes the stack watch and return breakpoint of b unless
// another watch still uses them. b must no longer be in byID.
func (d *Debugger) unscopeWatch(b *breakpoint) {
	w := b.watch
	sc := w.scope
	if sc == nil || w.p.Exited() {
		return
	}
	w.scope = nil
	if d.scopeSharing(sc.hiAddr) == nil {
		w.p.(proc.Watcher).ClearWatchpoint(sc.hiAddr)
	}
	if t := d.targetOf(w.p); sc.ret != 0 && !d.ownReturn(sc.ret) && t != nil {
		t.ClearBreaklet(sc.ret, ptarget.OwnerWatchRet)
	}
}

// watchStop handles the stops watchpoints cause. It reports true when
// the program should simply go on (a watched stack moved).
func (d *Debugger) watchStop(p proc.Process, st *proc.Stop) bool {
	d.watchGone = watchGone{at: st}
	switch st.Reason {
	case proc.StopWatchpoint:
		if d.watchByAddr(p, st.Addr) != nil {
			return false
		}
		return d.stackMoved(p, st.Addr)
	case proc.StopBreakpoint:
		if t := d.targetOf(p); t != nil && t.FiredFor(st.Addr, st.Tid, ptarget.OwnerWatchRet) && d.ownReturn(st.Addr) {
			d.outOfScope(p, st.Addr)
		}
	}
	return false
}

// stackMoved re-arms every watch on the goroutine whose stack moved.
func (d *Debugger) stackMoved(p proc.Process, hiAddr uint64) bool {
	var b [8]byte
	if _, err := p.ReadMemory(hiAddr, b[:]); err != nil {
		return false
	}
	hi := leUint64(b[:])
	for _, bp := range d.sortedBreakpoints() {
		w := bp.watch
		if w == nil || w.scope == nil || w.scope.hiAddr != hiAddr || w.scope.hi == hi {
			continue
		}
		if !bp.Disabled {
			d.disarmWatch(bp)
		}
		w.scope.hi = hi
		w.addr = hi - w.scope.addrDepth
		if !bp.Disabled {
			p.ReadMemory(w.addr, w.last)
			if err := d.armWatch(bp); err != nil {
				bp.Disabled = true
			}
		}
	}
	return true
}

// outOfScope clears the watchpoints whose frame returned to ret.
func (d *Debugger) outOfScope(p proc.Process, ret uint64) {
	for _, b := range d.sortedBreakpoints() {
		if w := b.watch; w != nil && w.scope != nil && w.scope.ret == ret && w.p == p {
			d.watchGone.list = append(d.watchGone.list, api.WatchStop{ID: b.ID, Expr: w.expr, OutOfScope: true})
			d.remove(b)
		}
	}
}
