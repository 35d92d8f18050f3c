package debugger

import (
	"fmt"
	"sort"
	"strings"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/syscalls"
	"github.com/godbg/godbg/service/api"
)

// catch is what a catchpoint watches: system calls by number, or (signal
// set) signals; a nil set means all (all signals but SIGURG, which Go's
// scheduler sends constantly).
type catch struct {
	syscalls map[uint64]bool
	signal   bool
	signals  map[int]bool
	event    string // fork, vfork or exec
}

func (c *catch) matches(nr uint64) bool {
	return !c.signal && c.event == "" && (c.syscalls == nil || c.syscalls[nr])
}

func (c *catch) matchesSignal(sig int) bool {
	return c.signal && (c.signals[sig] || c.signals == nil && sig != 23)
}

func (d *Debugger) CreateCatchpoint(kind string, args []string) (*api.Breakpoint, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.live(); err != nil {
		return nil, err
	}
	return d.createCatchpoint(kind, args)
}

// syscallNumbers resolves system call names or numbers.
func syscallNumbers(args []string) ([]uint64, error) {
	var out []uint64
	for _, a := range args {
		nr, err := syscalls.Lookup(a)
		if err != nil {
			return nil, err
		}
		out = append(out, uint64(nr))
	}
	return out, nil
}

func (d *Debugger) createCatchpoint(kind string, args []string) (*api.Breakpoint, error) {
	switch kind {
	case "signal":
		return d.catchSignal(args)
	case "fork", "vfork", "exec":
		if len(args) > 0 {
			return nil, fmt.Errorf("catch %s takes no arguments", kind)
		}
		b := &breakpoint{Breakpoint: api.Breakpoint{ID: d.bps().nextID, Spec: kind, Catch: true, HitsByThread: map[int]int{}}, catch: &catch{event: kind}}
		d.bps().nextID++
		d.register(b)
		return d.apiBreakpoint(b), nil
	case "syscall":
	default:
		return nil, fmt.Errorf("catch %s: unknown event; catch fork, vfork, exec, syscall [name|number ...] or signal [SIG ...]", kind)
	}
	c := &catch{}
	var names []string
	for _, a := range args {
		nr, err := syscalls.Lookup(a)
		if err != nil {
			return nil, err
		}
		if c.syscalls == nil {
			c.syscalls = map[uint64]bool{}
		}
		c.syscalls[uint64(nr)] = true
		names = append(names, syscalls.Name(uint64(nr)))
	}
	sort.Strings(names)
	spec := "syscall"
	if len(names) > 0 {
		spec += " " + strings.Join(names, " ")
	}
	b := &breakpoint{Breakpoint: api.Breakpoint{ID: d.bps().nextID, Spec: spec, Catch: true, HitsByThread: map[int]int{}}, catch: c}
	d.bps().nextID++
	d.register(b)
	d.updateSyscallCatch()
	return d.apiBreakpoint(b), nil
}

// updateSyscallCatch tells the backend which calls stop, from the enabled
// catchpoints; the function reads only a snapshot.
func (d *Debugger) updateSyscallCatch() {
	var cs []*catch
	var sigs []*catch
	for _, b := range d.sortedBreakpoints() {
		if b.catch != nil && !b.Disabled && b.catch.event == "" {
			if b.catch.signal {
				sigs = append(sigs, b.catch)
			} else {
				cs = append(cs, b.catch)
			}
		}
	}
	d.sigCatch = nil
	if len(sigs) > 0 {
		d.sigCatch = func(sig int) bool {
			for _, c := range sigs {
				if c.matchesSignal(sig) {
					return true
				}
			}
			return false
		}
	}
	var fn func(uint64) bool
	if len(cs) > 0 {
		fn = func(nr uint64) bool {
			for _, c := range cs {
				if c.matches(nr) {
					return true
				}
			}
			return false
		}
	}
	p := d.tgt.Proc
	if p == nil {
		return // a core file: nothing runs
	}
	p.SetSyscallCatch(fn, d.cfg.TraceSyscalls)
	p.UseSyscallFilter(filterCovers(p.SyscallFilter(), cs))
}

// filterCovers reports whether a seccomp filter stops at every call the
// catchpoints catch (then nothing else needs PTRACE_SYSCALL).
func filterCovers(filter []uint64, cs []*catch) bool {
	if len(filter) == 0 {
		return false
	}
	in := map[uint64]bool{}
	for _, nr := range filter {
		in[nr] = true
	}
	for _, c := range cs {
		if c.syscalls == nil {
			return false
		}
		for nr := range c.syscalls {
			if !in[nr] {
				return false
			}
		}
	}
	return true
}

// eventCatch returns the enabled catchpoint for fork, vfork or exec.
func (d *Debugger) eventCatch(event string) *breakpoint {
	for _, b := range d.sortedBreakpoints() {
		if b.catch != nil && !b.Disabled && b.catch.event == event {
			return b
		}
	}
	return nil
}

// catchesFork is consulted on the tracer thread at each fork.
func (d *Debugger) catchesFork(vfork bool) bool {
	if vfork {
		return d.eventCatch("vfork") != nil
	}
	return d.eventCatch("fork") != nil
}

func (d *Debugger) catchExec() *breakpoint { return d.eventCatch("exec") }

// catchHit counts a caught system call entry or signal and returns its
// catchpoint.
func (d *Debugger) catchHit(st *proc.Stop) *breakpoint {
	if st.Reason == proc.StopSignal {
		for _, b := range d.sortedBreakpoints() {
			if b.catch != nil && !b.Disabled && b.catch.matchesSignal(st.Signal) {
				b.hits.Hit(st.Tid)
				return b
			}
		}
		return nil
	}
	for _, b := range d.sortedBreakpoints() {
		if b.catch != nil && !b.Disabled && b.catch.matches(st.Syscall.Nr) {
			if st.Syscall.Entry {
				b.hits.Hit(st.Tid)
			}
			return b
		}
	}
	return nil
}

// apiSyscall renders a system call with the program's memory.
func (d *Debugger) apiSyscall(pid int, sc *proc.Syscall) *api.Syscall {
	p := d.procFor(pid)
	mem := func(addr uint64, buf []byte) error { _, err := p.ReadMemory(addr, buf); return err }
	out := &api.Syscall{Name: syscalls.Name(sc.Nr), Call: syscalls.FormatCall(sc.Nr, sc.Args, mem), Entry: sc.Entry}
	if !sc.Entry {
		out.Result = syscalls.FormatResult(sc.Nr, sc.Ret)
	}
	return out
}

// traceText renders a traced call strace-style when it completes (or at
// entry for calls that do not return).
func (d *Debugger) traceText(pid int, sc *proc.Syscall) string {
	name := syscalls.Name(sc.Nr)
	noReturn := name == "exit" || name == "exit_group"
	if sc.Entry && !noReturn {
		return ""
	}
	a := d.apiSyscall(pid, sc)
	if noReturn {
		return a.Call + " = ?"
	}
	return a.Call + " = " + a.Result
}

// catchSignal makes the listed signals (all but SIGURG if none) stop the
// program whatever handle says; passing them is still handle's choice.
func (d *Debugger) catchSignal(args []string) (*api.Breakpoint, error) {
	c := &catch{signal: true}
	var names []string
	for _, a := range args {
		sig, err := proc.ParseSignal(a)
		if err != nil {
			return nil, fmt.Errorf("%v; use a name like SIGUSR1 or a number", err)
		}
		if c.signals == nil {
			c.signals = map[int]bool{}
		}
		c.signals[sig] = true
		names = append(names, proc.SignalName(sig))
	}
	spec := "signal"
	if len(names) > 0 {
		spec += " " + strings.Join(names, " ")
	}
	b := &breakpoint{Breakpoint: api.Breakpoint{ID: d.bps().nextID, Spec: spec, Catch: true, HitsByThread: map[int]int{}}, catch: c}
	d.bps().nextID++
	d.register(b)
	d.updateSyscallCatch()
	return d.apiBreakpoint(b), nil
}
