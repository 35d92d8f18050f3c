package debugger

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/service/api"
)

// ContinueTo runs until a location is reached (by any goroutine, as a
// temporary breakpoint) or something else stops the program.
func (d *Debugger) ContinueTo(spec string) (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.live(); err != nil {
		return nil, err
	}
	locs, err := d.resolve(spec)
	if err != nil {
		return nil, err
	}
	d.cancelStep()
	t := d.tgt
	var set []uint64
	for _, l := range locs {
		if t.SetBreaklet(l.PC, ptarget.OwnerRunTo, nil) == nil {
			set = append(set, l.PC)
		}
	}
	defer func() {
		for _, a := range set {
			t.ClearBreaklet(a, ptarget.OwnerRunTo)
		}
	}()
	if len(set) == 0 {
		return nil, fmt.Errorf("cannot set a temporary breakpoint at %s", spec)
	}
	st, err := t.Run()
	if err != nil {
		return nil, err
	}
	if st.Reason == proc.StopBreakpoint && st.Pid == t.Pid() && t.FiredAlone(st, ptarget.OwnerRunTo) {
		st = &proc.Stop{Reason: proc.StopStepped, Pid: st.Pid, Tid: st.Tid}
	}
	d.stopIn(st)
	return d.state(), nil
}

// Jump moves the current thread's pc to a location in the current
// function (Delve's jump, "set next statement").
func (d *Debugger) Jump(spec string) (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	th, r, err := d.curRegisters()
	if err != nil {
		return nil, err
	}
	tab := d.table()
	if tab == nil {
		return nil, d.noSymbolsErr()
	}
	bias := d.bias()
	fn := tab.PCToFunc(r.PC() - bias)
	if fn == nil {
		return nil, fmt.Errorf("pc %#x is in no function; jump works within the current function", r.PC())
	}
	locs, err := d.resolve(spec)
	if err != nil {
		return nil, err
	}
	var to uint64
	for _, l := range locs {
		if l.PC-bias >= fn.Entry && l.PC-bias < fn.End {
			to = l.PC
			break
		}
	}
	if to == 0 {
		return nil, fmt.Errorf("%s is not in the current function %s; jump works within the current function", spec, fn.Name)
	}
	d.cancelStep()
	if err := d.tgt.SetRegister(th, "rip", to); err != nil {
		return nil, fmt.Errorf("setting the pc of thread %d: %w", th.ID(), err)
	}
	d.frame = 0
	d.last = &proc.Stop{Reason: proc.StopStepped, Pid: d.proc().Pid(), Tid: th.ID()}
	return d.state(), nil
}

// leaveRuntimeBreakpoint moves a thread that stopped at the int3 of Go's
// runtime.breakpoint out to the caller of runtime.Breakpoint, as Delve
// reports it (pkg/proc/target).
func (d *Debugger) leaveRuntimeBreakpoint(tid int) {
	d.tgt.img.bin.LeaveRuntimeBreakpoint(d.tgt.Proc, tid)
}
