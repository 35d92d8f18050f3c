package debugger

import (
	"errors"
	"sort"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/service/api"
)

var errNoSymbols = errors.New("no symbols loaded for the executable")

var reasonNames = map[proc.StopReason]string{
	proc.StopLaunched: "launched", proc.StopAttached: "attached", proc.StopHalted: "halted",
	proc.StopSignal: "signal", proc.StopTrap: "trap", proc.StopStepped: "stepped",
	proc.StopExited: "exited", proc.StopThreadExit: "thread-exited", proc.StopBreakpoint: "breakpoint",
	proc.StopSyscall: "syscall", proc.StopFork: "fork", proc.StopExec: "exec",
}

// state builds the api.State for the last stop. Caller holds d.mu or is New.
func (d *Debugger) state() *api.State {
	p := d.proc()
	st := &api.State{Pid: p.Pid(), Launched: d.tgt.Proc != nil && d.tgt.Proc.Launched(), Detached: d.detached}
	if d.tgt.IsCore() {
		st.Core = d.cfg.CorePath
	}
	st.Targets = len(d.group.Live(-1))
	if d.last != nil {
		if d.last.Reason == proc.StopFork {
			st.Child, st.VFork, st.AskFork = d.last.Child, d.last.VFork, d.group.Settings.Mode == "ask"
			if b := d.lastCatch; b != nil {
				st.Breakpoint = d.apiBreakpoint(b)
			}
		}
		if d.last.Reason == proc.StopExec {
			st.Exec = execLine(p)
			if b := d.lastCatch; b != nil {
				st.Breakpoint = d.apiBreakpoint(b)
			}
		}
		st.Reason = reasonNames[d.last.Reason]
		st.StopThread = d.last.Tid
		if d.last.Signal != 0 {
			st.Signal = proc.SignalName(d.last.Signal)
			st.SignalPasses = d.last.Signal != 19 && d.signalPolicy()(d.last.Signal).Pass
			if b := d.lastCatch; b != nil && d.last.Reason == proc.StopSignal {
				st.Breakpoint = d.apiBreakpoint(b)
			}
		}
		if d.last.Reason == proc.StopBreakpoint {
			if b := d.tgt.img.byAddr[d.last.Addr]; b != nil {
				st.Breakpoint = d.apiBreakpoint(b)
				st.StopGoroutine = b.hits.StopGoroutine(d.last.Tid) // stepb
			}
			if d.last.CondErr != nil {
				st.CondError = d.last.CondErr.Error()
			}
		}
		if d.last.Reason == proc.StopSyscall && d.last.Syscall != nil {
			st.Syscall = d.apiSyscall(d.last.Pid, d.last.Syscall)
			if b := d.lastCatch; b != nil {
				st.Syscall.Catchpoint = b.ID
				st.Breakpoint = d.apiBreakpoint(b)
			}
		}
		if d.last.Reason == proc.StopExited {
			if d.last.Pid != 0 && d.last.Pid != p.Pid() {
				st.Pid, st.NowPid = d.last.Pid, p.Pid()
			}
			st.Exited = true
			st.ExitCode = d.last.ExitCode
			if d.last.KilledBy != 0 {
				st.KilledBy = proc.SignalName(d.last.KilledBy)
			}
		}
	}
	if d.tgt.Exited() {
		st.Exited = !d.detached
		return st
	}
	if st.NowPid != 0 {
		st.Threads = len(p.Threads())
		return st
	}
	threads := p.Threads()
	st.Threads = len(threads)
	if th, ok := p.Thread(d.cur); ok {
		at := d.thread(th)
		at.Location.File = d.localPath(at.Location.File)
		st.CurrentThread = &at
	}
	d.watchState(st) // watch
	return st
}

// thread describes one stopped thread.
func (d *Debugger) thread(th proc.Thread) api.Thread {
	at := api.Thread{ID: th.ID(), State: th.State(), Current: th.ID() == d.cur}
	if r, err := th.Registers(); err == nil {
		at.Location = d.location(r.PC())
		at.SP = r.SP()
	}
	return at
}

// afterStop records a stop and picks the current thread.
func (d *Debugger) afterStop(st *proc.Stop) {
	d.last = st
	d.stops++
	d.lastCatch = nil
	d.curG, d.frame = 0, 0
	if st.Reason == proc.StopExec {
		d.lastCatch = d.catchExec()
	}
	if st.Reason == proc.StopFork {
		if c := d.eventCatch(map[bool]string{false: "fork", true: "vfork"}[st.VFork]); c != nil {
			c.hits.Hit(st.Tid)
			d.lastCatch = c
		}
	}
	if st.Reason == proc.StopSyscall && st.Syscall != nil || st.Reason == proc.StopSignal && d.sigCatch != nil {
		d.lastCatch = d.catchHit(st)
	}
	p := d.proc()
	if d.tgt.Exited() {
		return
	}
	defer d.warmStep() // issue 12: a next's first work, while the user reads the stop
	if st.Tid != 0 {
		if _, ok := p.Thread(st.Tid); ok {
			d.cur = st.Tid
			return
		}
	}
	if _, ok := p.Thread(d.cur); ok {
		return
	}
	ts := p.Threads()
	ids := make([]int, 0, len(ts))
	for _, t := range ts {
		ids = append(ids, t.ID())
	}
	sort.Ints(ids)
	d.cur = p.Pid()
	if len(ids) > 0 && ids[0] != p.Pid() {
		if _, ok := p.Thread(p.Pid()); !ok {
			d.cur = ids[0]
		}
	}
}
