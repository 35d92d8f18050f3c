package debugger

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/expr"
	"github.com/godbg/godbg/service/api"
)

// live returns the current target if it can be operated on (a live
// process that is still there, or a core file).
func (d *Debugger) live() (proc.Inspector, error) {
	if d.detached || d.tgt.Exited() {
		return nil, d.errGone()
	}
	return d.proc(), nil
}

// running returns the current live process for op, which runs or
// changes it; a core file says that op needs a live process.
func (d *Debugger) running(op string) (proc.Process, error) {
	if _, err := d.live(); err != nil {
		return nil, err
	}
	return d.tgt.Live(op)
}

// writable is running for an operation that writes to the process: a
// core file is read-only.
func (d *Debugger) writable(op string) (proc.Process, error) {
	if _, err := d.live(); err != nil {
		return nil, err
	}
	return d.tgt.Writable(op)
}

func (d *Debugger) State() (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.state(), nil
}

func (d *Debugger) Continue() (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.live(); err != nil {
		return nil, err
	}
	if st, ok, err := d.resumeStep(); ok {
		return st, err
	}
	st, err := d.runAcrossTargets()
	if err != nil {
		return nil, err
	}
	if st.Reason == proc.StopExec {
		d.afterStop(st) // catch exec
		return d.state(), nil
	}
	d.stopIn(st)
	return d.state(), nil
}

// stopIn records a stop of the session: the target that stopped becomes
// current; if the current one exited and others remain, the lowest pid
// becomes current and the state still reports the exit.
func (d *Debugger) stopIn(st *proc.Stop) {
	if t := d.group.Get(st.Pid); t != nil && t != d.tgt {
		d.switchTo(t)
	}
	if st.Reason == proc.StopExited && d.leaveGone() {
		d.last = st
		return
	}
	if st.Reason == proc.StopTrap {
		d.leaveRuntimeBreakpoint(st.Tid) // step
	}
	d.afterStop(st)
}

func (d *Debugger) StepInstruction() (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stepInstruction()
}

func (d *Debugger) stepInstruction() (*api.State, error) {
	if _, err := d.live(); err != nil {
		return nil, err
	}
	st, err := d.tgt.StepThread(d.cur)
	if err != nil {
		return nil, fmt.Errorf("stepping thread %d: %w", d.cur, err)
	}
	d.syncTargets()
	d.stopIn(st)
	return d.state(), nil
}

func (d *Debugger) ListThreads() ([]api.Thread, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.live()
	if err != nil {
		return nil, err
	}
	ts := p.Threads()
	out := make([]api.Thread, 0, len(ts))
	var gs map[int]int64
	if t := d.table(); t != nil && t.IsGo() {
		if r, err := d.goReader(); err == nil {
			gs, _ = r.ThreadGoroutines()
		}
	}
	for _, th := range ts {
		at := d.thread(th)
		at.Goroutine = gs[th.ID()]
		out = append(out, at)
	}
	return out, nil
}

func (d *Debugger) SwitchThread(tid int) (*api.Thread, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.live()
	if err != nil {
		return nil, err
	}
	th, ok := p.Thread(tid)
	if !ok {
		return nil, fmt.Errorf("no thread %d in process %d; threads lists them", tid, p.Pid())
	}
	d.cur, d.curG, d.frame = tid, 0, 0
	at := d.thread(th)
	return &at, nil
}

func (d *Debugger) curThread() (proc.Thread, error) {
	p, err := d.live()
	if err != nil {
		return nil, err
	}
	th, ok := p.Thread(d.cur)
	if !ok {
		return nil, fmt.Errorf("thread %d is gone; pick another with thread <tid>", d.cur)
	}
	return th, nil
}

func (d *Debugger) ListRegisters(all bool) ([]api.Register, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, r, err := d.curRegisters()
	if err != nil {
		return nil, err
	}
	var out []api.Register
	for _, x := range r.List(all) {
		out = append(out, api.Register{Name: x.Name, Value: x.Value, Bytes: x.Bytes, Text: x.Text})
	}
	return out, nil
}

// curRegisters returns the current thread and its registers.
func (d *Debugger) curRegisters() (proc.Thread, proc.Registers, error) {
	th, err := d.curThread()
	if err != nil {
		return nil, nil, err
	}
	r, err := th.Registers()
	return th, r, err
}

func (d *Debugger) SetRegister(name string, value uint64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	th, err := d.curThread()
	if err != nil {
		return err
	}
	if err := d.tgt.SetRegister(th, name, value); err != nil {
		if errors.Is(err, proc.ErrUnknownRegister) {
			return fmt.Errorf("unknown register %s; regs -a lists them", name)
		}
		return err
	}
	return nil
}

func (d *Debugger) EvalAddress(expr string) (uint64, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.evalAddr(expr)
}

// evalAddr evaluates an address expression in the selected frame (or
// over registers and symbols alone when there is none).
func (d *Debugger) evalAddr(src string) (uint64, error) {
	var s expr.Scope
	if fs, err := d.scope(); err == nil {
		s = fs
	}
	return expr.EvalAddress(s, src, expr.AddrEnv{Register: d.regValue, Symbol: d.symbolAddr})
}

// regValue reads a general-purpose register of the current thread.
func (d *Debugger) regValue(name string) (uint64, error) {
	th, err := d.curThread()
	if err != nil {
		return 0, err
	}
	r, err := th.Registers()
	if err != nil {
		return 0, err
	}
	for _, x := range r.List(true) {
		if x.Name == name && x.Bytes == nil {
			return x.Value, nil
		}
	}
	switch name {
	case "pc":
		return r.PC(), nil
	case "sp":
		return r.SP(), nil
	}
	return 0, fmt.Errorf("unknown register $%s; regs -a lists them", name)
}

func (d *Debugger) ReadMemory(addr uint64, n int) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.live()
	if err != nil {
		return nil, err
	}
	if n <= 0 || n > 1<<20 {
		return nil, fmt.Errorf("cannot read %d bytes; ask for 1 to 1048576", n)
	}
	buf := make([]byte, n)
	if _, err := p.ReadMemory(addr, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

func (d *Debugger) SetMemory(lhs, rhs string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.live(); err != nil {
		return err
	}
	addrExpr, size, err := expr.MemoryTarget(lhs)
	if err != nil {
		return err
	}
	addr, err := d.evalAddr(addrExpr)
	if err != nil {
		return err
	}
	val, err := d.evalValue(rhs)
	if err != nil {
		return err
	}
	buf := make([]byte, 8)
	binary.LittleEndian.PutUint64(buf, val)
	_, err = d.tgt.Memory().WriteMemory(addr, buf[:size])
	return err
}

// evalValue accepts negative decimals as well as address expressions.
func (d *Debugger) evalValue(s string) (uint64, error) {
	if v, err := strconv.ParseInt(s, 0, 64); err == nil {
		return uint64(v), nil
	}
	return d.evalAddr(s)
}
