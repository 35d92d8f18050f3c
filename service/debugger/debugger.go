package debugger

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/godbg/godbg/pkg/proc"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/service/api"
)

// Config says what to debug.
type Config struct {
	// Launch the program at Path with Args, or attach to AttachPid.
	Path string
	Args []string
	Dir  string
	// Env is a launched program's environment (nil: the debugger's).
	Env       []string
	AttachPid int
	// CorePath opens a core file of the executable at Path (which may be
	// empty: the program the core names) instead of a live process.
	CorePath string
	// TraceSyscalls prints every system call of every thread as it
	// happens, strace-style, without stopping.
	TraceSyscalls bool
	// CatchSyscalls (names or numbers) are caught from the start of a
	// launched program through a seccomp-bpf filter: the program stops
	// only at those calls, the others run at full speed.
	CatchSyscalls []string
	// OnEvent receives asynchronous events (new threads, exits). It runs on
	// the tracer thread while the program runs and must be quick.
	OnEvent func(api.Event)
	// Stdin, Stdout, Stderr of a launched program; nil: the debugger's.
	Stdin, Stdout, Stderr *os.File
	// flow: LocalPath maps a source path of the build to the local one,
	// BuildPath back (config substitute-path); nil: the identity.
	LocalPath, BuildPath func(string) string
	// churn: EagerLines builds the index of source lines as soon as the
	// symbols are loaded, even if the program is continued at once (dap:
	// an editor sets its breakpoints right after launch); the rest of the
	// background warm-up, and all of it without EagerLines, waits until the
	// program has stayed stopped for a moment (warmGate).
	EagerLines bool
}

// Debugger is one debugging session. holder is the current target's
// ptarget.Target (Halt reads it without the lock).
type Debugger struct {
	cfg Config

	mu       sync.Mutex // serialises every request but Halt
	holder   atomic.Pointer[ptarget.Target]
	tgt      *target        // the current target
	cur      int            // its current thread
	curG     int64          // a goroutine selected without a thread (goroutine <id>), 0: the thread's
	frame    int            // the selected frame (frame, up, down), 0: innermost
	returned []api.Variable // results of the function the last stepout left
	stops    int            // counts stops, to read /proc/<pid>/maps once per stop at most
	last     *proc.Stop
	detached bool
	filter   []uint64 // system calls a launch filters (CatchSyscalls)
	// group: the targets followed over fork and exec.
	group *ptarget.Group[*target]
	// root is the process the session started with.
	root struct {
		pid      int
		launched bool
		img      *image
	}
	bp        *breakpoints
	policies  map[int]proc.SignalPolicy // handle
	lastCatch *breakpoint
	sigCatch  func(sig int) bool // catch signal catchpoints

	// step: the target whose step another goroutine's breakpoint
	// interrupted (continue completes it), and the results a stepout read
	// at its RET.
	stepping  *target
	stepRes   []api.Variable
	goProgram atomic.Bool // the current target is a Go program (signal policy)
	// watch: watchpoints the last stop ended (their local went out of scope).
	watchGone watchGone
	// churn: warm works only while the program is stopped.
	warmGate ptarget.WarmGate
	// next (issue 12): the innermost frames of the last stop, unwound in
	// the background (stepwarm.go).
	prepared *ptarget.PreparedStack
	// plan (issue 12): warming is set while the lock is held to prepare
	// the breakpoints of the stop's step plans (stepwarm.go), not for a
	// command: Halt has nothing to halt then.
	warming atomic.Bool
}

// New launches or attaches according to cfg.
func New(cfg Config) (*Debugger, *api.State, error) {
	d := &Debugger{cfg: cfg}
	d.group = ptarget.NewGroup(ptarget.GroupHooks[*target]{New: d.joining, CatchesFork: d.catchesFork, TraceSyscalls: cfg.TraceSyscalls})
	d.warmGate.EagerLines = cfg.EagerLines // churn
	if cfg.CorePath != "" {
		p, st, err := ptarget.OpenCore(cfg.Path, cfg.CorePath)
		if err != nil {
			return nil, nil, err
		}
		d.setCore(p, newImage(loadSymbols(p.Executable(), &d.warmGate)), st)
		return d, d.state(), nil
	}
	if cfg.AttachPid != 0 {
		// Symbols load while the threads are attached.
		var syms *ptarget.Image
		if exe, err := ptarget.ExecutablePath(cfg.AttachPid); err == nil {
			syms = loadSymbols(exe, &d.warmGate)
		}
		p, err := ptarget.Attach(cfg.AttachPid)
		if err != nil {
			return nil, nil, err
		}
		d.setProc(p, newImage(syms), &proc.Stop{Reason: proc.StopAttached})
	} else {
		if len(cfg.CatchSyscalls) > 0 {
			nrs, err := syscallNumbers(cfg.CatchSyscalls)
			if err != nil {
				return nil, nil, err
			}
			d.filter = nrs
		}
		if err := d.launch(newImage(loadSymbols(cfg.Path, &d.warmGate))); err != nil {
			return nil, nil, err
		}
		if len(d.filter) > 0 {
			if _, err := d.createCatchpoint("syscall", cfg.CatchSyscalls); err != nil {
				d.tgt.Proc.Kill()
				return nil, nil, err
			}
		}
	}
	d.setInternalBreakpoints()
	d.setSolibHook()
	return d, d.state(), nil
}

func (d *Debugger) launch(img *image) error {
	img.bin.Rebased() // a PIE moves at every run
	p, err := ptarget.Launch(ptarget.LaunchConfig{
		Path: d.cfg.Path, Args: d.cfg.Args, Dir: d.cfg.Dir, Env: d.cfg.Env,
		Stdin: d.cfg.Stdin, Stdout: d.cfg.Stdout, Stderr: d.cfg.Stderr,
		SyscallFilter: d.filter,
	})
	if err != nil {
		return err
	}
	d.setProc(p, img, &proc.Stop{Reason: proc.StopLaunched, Pid: p.Pid(), Tid: p.Pid()})
	return nil
}

// setProc makes a just launched or attached process the only target.
func (d *Debugger) setProc(p proc.Process, img *image, st *proc.Stop) {
	d.warmGate.Open() // churn
	p.SetEventHandler(d.forward)
	p.SetSignalPolicy(d.signalPolicy())
	p.SetForkPolicy(d.group.ForkPolicy)
	p.SetStopOnExec(true)
	t := d.newTarget(p, img)
	d.root.launched = p.Launched()
	d.setTarget(t, st)
	if d.bp != nil || d.cfg.TraceSyscalls {
		d.updateSyscallCatch()
	}
}

// setCore makes a core file the only target.
func (d *Debugger) setCore(c proc.Inspector, img *image, st *proc.Stop) {
	d.setTarget(&target{Target: ptarget.NewCore(c, img.bin), img: img}, st)
}

// setTarget makes t the only target and picks its current thread.
func (d *Debugger) setTarget(t *target, st *proc.Stop) {
	p := t.Insp
	d.group.Reset(t)
	d.root.pid, d.root.img = p.Pid(), t.img
	d.tgt = t
	d.holder.Store(t.Target)
	d.cur = p.Pid()
	if ts := p.Threads(); len(ts) > 0 && st.Reason == proc.StopAttached {
		d.cur = ts[0].ID()
	}
	if _, ok := p.Thread(st.Tid); ok && st.Tid != 0 {
		d.cur = st.Tid // a core's signalled (or first) thread
	}
	d.last = st
}

// proc is what the current target is read through (a live process or a
// core file); running it goes through d.running.
func (d *Debugger) proc() proc.Inspector { return d.holder.Load().Insp }

func (d *Debugger) forward(e proc.Event) {
	if d.cfg.OnEvent == nil {
		return
	}
	ae := api.Event{Pid: e.Pid, Tid: e.Tid}
	switch e.Kind {
	case proc.EventNewThread:
		ae.Kind = "new-thread"
	case proc.EventThreadExit:
		ae.Kind = "thread-exited"
	case proc.EventSignal:
		ae.Kind, ae.Signal, ae.Passed = "signal", proc.SignalName(e.Signal), e.Passed
	case proc.EventExec:
		ae.Kind = "exec"
	case proc.EventFork:
		ae.Kind, ae.Parent, ae.Kept = "fork", e.Parent, e.Kept
		if e.VFork {
			ae.Kind = "vfork"
		}
	case proc.EventExit:
		ae.Kind, ae.ExitCode = "process-exited", e.ExitCode
		if e.KilledBy != 0 {
			ae.Signal = proc.SignalName(e.KilledBy)
		}
	case proc.EventDetach:
		ae.Kind = "detached"
	case proc.EventSyscall:
		ae.Kind, ae.Text = "syscall", d.traceText(e.Pid, e.Syscall)
		if ae.Text == "" {
			return
		}
	}
	d.cfg.OnEvent(ae)
}

// Halt stops a running Continue (or next, step...). Any goroutine. The
// backend keeps the request until the program stops as halted, so one
// landing between two internal resumptions of a command is not lost. With
// no command in progress (the lock is free) there is nothing to halt and
// the request is dropped, so that it cannot halt a later command.
func (d *Debugger) Halt() {
	if d.mu.TryLock() {
		d.mu.Unlock()
		return
	}
	if d.warming.Load() { // plan: the lock is held to warm a step, not by a command
		return
	}
	if h := d.holder.Load(); h != nil && h.Proc != nil {
		h.Proc.RequestHalt()
	}
}

// errGone is what operations on a process we no longer hold say.
func (d *Debugger) errGone() error {
	pid := d.proc().Pid()
	if d.detached {
		return fmt.Errorf("detached from process %d; nothing is being debugged (use exit)", pid)
	}
	if d.tgt.Proc != nil && d.tgt.Proc.Launched() {
		return fmt.Errorf("process %d has exited; use restart to run it again, or exit", pid)
	}
	return fmt.Errorf("process %d has exited; use exit", pid)
}
