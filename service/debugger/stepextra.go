package debugger

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/service/api"
)

// ownRunTo owns the temporary breaklets of continue <locspec>.
const ownRunTo = -3

// NextInstruction executes one instruction of the current thread; a CALL
// runs to its return (the current goroutine's, in this frame).
func (d *Debugger) NextInstruction() (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cancelStep()
	s, frames, err := d.newStepper()
	if err != nil {
		return nil, err
	}
	if d.frame == 0 && s.PlanNextInstruction(frames[0].PC) {
		return s.drive()
	}
	return d.stepInstruction()
}

// ContinueTo runs until a location is reached (by any goroutine, as a
// temporary breakpoint) or something else stops the program.
func (d *Debugger) ContinueTo(spec string) (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.live()
	if err != nil {
		return nil, err
	}
	locs, err := d.resolve(spec)
	if err != nil {
		return nil, err
	}
	d.cancelStep()
	var set []uint64
	for _, l := range locs {
		if d.setBP(p, l.PC, ownRunTo, nil) == nil {
			set = append(set, l.PC)
		}
	}
	defer func() {
		for _, a := range set {
			d.clearBP(p, a, ownRunTo)
		}
	}()
	if len(set) == 0 {
		return nil, fmt.Errorf("cannot set a temporary breakpoint at %s", spec)
	}
	st, err := d.runToStop(p)
	if err != nil {
		return nil, err
	}
	if st.Reason == proc.StopBreakpoint && st.Pid == p.Pid() && d.firedFor(p, st.Addr, st.Tid, ownRunTo) && !d.userFired(p, st) {
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
	if err := th.SetRegister("rip", to); err != nil {
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
	d.tgt.img.bin.LeaveRuntimeBreakpoint(d.proc(), tid)
}
