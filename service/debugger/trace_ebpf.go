package debugger

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc/ebpf"
	"github.com/godbg/godbg/service/api"
)

// CheckEBPF says which capabilities eBPF tracing needs and godbg lacks,
// before anything is launched or attached.
func CheckEBPF() error { return ebpf.CheckCapabilities() }

// EBPFTrace is a godbg trace --ebpf in progress: uprobes in a program
// that runs untraced by ptrace.
type EBPFTrace struct {
	t        *ebpf.Tracer
	pid      int
	launched bool
	exited   chan *api.State
}

// StartEBPFTrace attaches eBPF probes to the functions matching cfg.Funcs
// in the current target, then lets the target go (detached: it runs at
// full speed, the probes report to sink from a reader goroutine). The
// session has nothing left to control; use the returned trace's Wait.
func (d *Debugger) StartEBPFTrace(cfg api.TraceConfig, sink func(api.TraceEvent)) (*EBPFTrace, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, tr, sites, err := d.traceSetup(cfg)
	if err != nil {
		return nil, err
	}
	probes, err := ebpf.Plan(tr.tab, sites, cfg.NoValues, cfg.NoReturns)
	if err != nil {
		return nil, err
	}
	ecfg := ebpf.Config{Path: p.Executable(), Pid: p.Pid(), Table: tr.tab, Bias: tr.bias, Probes: probes,
		GoidOff: tr.goidOff, Stack: min(cfg.Stack, ebpf.MaxStack-1), Sink: func(e ebpf.Event) { sink(apiTraceEvent(e)) }}
	if !cfg.NoValues {
		ecfg.Loader = tr.loader
	}
	t, err := ebpf.Start(ecfg)
	if err != nil {
		return nil, err
	}
	et := &EBPFTrace{t: t, pid: p.Pid(), launched: p.Launched(), exited: make(chan *api.State, 1)}
	if err := p.Detach(); err != nil {
		t.Stop()
		return nil, fmt.Errorf("letting process %d go: %w", p.Pid(), err)
	}
	d.detached = true
	go et.wait()
	return et, nil
}

// wait reports the end of the program: its exit status if godbg
// launched it (it is still godbg's child), else only that it ended.
func (et *EBPFTrace) wait() {
	st := &api.State{Pid: et.pid, Launched: et.launched, Exited: true, Reason: "exited"}
	if et.launched {
		var ws unix.WaitStatus
		for {
			_, err := unix.Wait4(et.pid, &ws, 0, nil)
			if !errors.Is(err, unix.EINTR) {
				break
			}
		}
		st.ExitCode = ws.ExitStatus()
		if ws.Signaled() {
			st.KilledBy = unix.SignalName(ws.Signal())
		}
		et.exited <- st
		return
	}
	fd, err := unix.PidfdOpen(et.pid, 0)
	if err == nil {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		for {
			if _, err := unix.Poll(fds, -1); !errors.Is(err, unix.EINTR) {
				break
			}
		}
		unix.Close(fd)
	}
	et.exited <- st
}

// Wait blocks until the program ends or stop is closed (then the probes
// are removed and an attached program keeps running; a launched one is
// killed). It returns the program's end state (Exited false if stopped)
// and how many events the kernel dropped.
func (et *EBPFTrace) Wait(stop <-chan struct{}) (*api.State, uint64, error) {
	var st *api.State
	select {
	case st = <-et.exited:
	case <-stop:
		et.t.Detach()
		st = &api.State{Pid: et.pid, Launched: et.launched, Detached: !et.launched, Reason: "halted"}
		if et.launched {
			unix.Kill(et.pid, unix.SIGKILL)
			<-et.exited // reaped: killed by us, not ended by itself
		}
	}
	dropped, err := et.t.Stop()
	return st, dropped, err
}

func apiTraceEvent(e ebpf.Event) api.TraceEvent {
	ev := api.TraceEvent{Func: e.Func, Goroutine: e.Goroutine, Tid: e.Tid, Return: e.Return, Time: e.Time}
	if strings.HasPrefix(e.Func, "C.") {
		ev.Goroutine = 0 // cgo: r14 means nothing in C and a probe cannot read the TLS g
	}
	for _, v := range e.Values {
		ev.Values = append(ev.Values, api.TraceValue{Name: v.Name, Value: v.Value})
	}
	for _, f := range e.Stack {
		ev.Stack = append(ev.Stack, api.Location{PC: f.PC, Function: f.Function, File: f.File, Line: f.Line})
	}
	return ev
}
