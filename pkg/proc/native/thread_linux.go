package native

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc"
)

// nthread is one traced thread. Owned by the tracer thread.
type nthread struct {
	tid int
	p   *nproc

	running    bool // resumed and not yet reported a stop
	stopQueued bool // a SIGSTOP we sent is queued and not yet reported
	newThread  bool // a clone child whose initial SIGSTOP is not yet reported
	// vforkChild: the kept child of this thread's vfork, until it
	// executes a program or goes; the thread cannot stop meanwhile
	// (see vforkWaits).
	vforkChild int
	optioned   bool // PTRACE_SETOPTIONS done (inherited for clone children)

	// stopSig is the signal of the current signal-delivery-stop, 0 when the
	// thread sits in an event stop.
	stopSig int
	// passSig is delivered when the thread leaves its current stop.
	passSig int
	// heldSig (with its siginfo) is delivered at the next Continue, from
	// whatever signal-delivery-stop the thread is in by then.
	heldSig  int
	heldInfo siginfo
	// forceInfo: heldInfo must replace the stop's siginfo even for the same signal.
	forceInfo bool
	why       string

	regs      unix.PtraceRegs
	regsValid bool
	regsGen   uint64 // counts reads of regs (a snapshot's floating-point half checks it)

	sysCall   proc.Syscall // the call entered last (for its exit)
	sysCaught bool         // its entry stopped the process: its exit will too
	// seccompExit: a filtered call's entry was reported; the thread is
	// resumed with PTRACE_SYSCALL once to see its exit.
	seccompExit bool

	// slotSig is a signal waiting, with slotInfo, for the thread to step
	// off the copied instruction in a scratch slot (see stepOffSlot).
	slotSig  int
	slotInfo siginfo

	// inPlace is a breakpoint this thread must step over with every
	// other thread stopped (its instruction cannot run out of line).
	inPlace *breakpoint

	// watch: pageStep: the thread faulted on a watched page and must run
	// its instruction with every thread stopped; faultAddr is si_addr.
	pageStep  bool
	faultAddr uint64
}

func (t *nthread) ID() int { return t.tid }

func (t *nthread) State() string {
	if t.why == "" {
		return "stopped"
	}
	return t.why
}

func (t *nthread) Registers() (proc.Registers, error) {
	if err := t.loadRegs(); err != nil {
		return nil, err
	}
	// The floating-point registers are fetched on first use: most
	// callers (stacks, steps, stop reports) read pc, sp and general
	// registers only, and the fetch is a trip to the tracer thread
	// (issue 12). They are the snapshot's only while the thread has not
	// run since it was taken (no new read of its general registers).
	r := &regs{gp: t.regs}
	gen := t.regsGen
	r.fpLoad = func(fp *fpregs) error {
		var err error
		t.p.ex.run(func() {
			if !t.regsValid || t.regsGen != gen {
				err = errRegsStale
				return
			}
			err = ptraceGetFPRegs(t.tid, fp)
		})
		return err
	}
	return r, nil
}

// errRegsStale: a register snapshot's floating-point half was asked for
// after its thread ran.
var errRegsStale = errors.New("the thread ran since its registers were read")

func (t *nthread) loadRegs() error {
	if t.regsValid {
		return nil
	}
	var err error
	t.p.ex.run(func() { err = t.getRegs() })
	return err
}

// getRegs fills the register cache. Tracer thread.
func (t *nthread) getRegs() error {
	if t.regsValid {
		return nil
	}
	if err := ptraceGetRegs(t.tid, &t.regs); err != nil {
		return fmt.Errorf("reading registers of thread %d: %w", t.tid, err)
	}
	t.regsGen++
	t.regsValid = true
	return nil
}

func (t *nthread) SetRegister(name string, value uint64) error {
	if err := t.loadRegs(); err != nil {
		return err
	}
	nr := t.regs
	f := gpField(&nr, name)
	if f == nil {
		return fmt.Errorf("%w %q", proc.ErrUnknownRegister, name)
	}
	*f = value
	var err error
	t.p.ex.run(func() { err = ptraceSetRegs(t.tid, &nr) })
	if err != nil {
		return fmt.Errorf("writing register %s of thread %d: %w", name, t.tid, err)
	}
	t.regs = nr
	return nil
}

// resume lets the thread leave its current stop, delivering passSig.
// Tracer thread only.
func (t *nthread) resume() {
	sig := t.passSig
	t.passSig = 0
	t.regsValid = false
	t.running = true
	t.why = ""
	// ESRCH: the thread was killed meanwhile; its exit will be reported.
	_ = t.p.resumeThread(t, sig)
}

// resumeUser resumes the thread at a Continue, delivering the signal held
// for it with its original siginfo. Tracer thread only.
func (t *nthread) resumeUser() {
	if t.heldSig == 0 {
		t.resume()
		return
	}
	sig := t.heldSig
	t.heldSig = 0
	defer func() { t.forceInfo = false }()
	if t.stopSig != 0 && (t.stopSig != sig || t.forceInfo) {
		// In another signal's stop (our SIGSTOP): make it this signal's.
		_ = ptraceSetSiginfo(t.tid, &t.heldInfo)
	}
	t.passSig = 0
	t.regsValid = false
	t.running = true
	t.why = ""
	_ = t.p.resumeThread(t, sig)
	if t.stopSig == 0 {
		// An event stop cannot inject a signal: send it instead.
		_ = tgkill(t.p.pid, t.tid, unix.Signal(sig))
	}
}

// QueueSignal sets the signal thread tid gets at the next Continue, with a
// siginfo saying the debugger sent it (SI_USER from our pid).
func (p *nproc) QueueSignal(tid, sig int) error {
	t, ok := p.threads[tid]
	if !ok {
		return proc.ErrNoSuchThread
	}
	t.heldSig = sig
	t.heldInfo = siginfo{}
	if sig != 0 {
		le := binary.LittleEndian
		le.PutUint32(t.heldInfo[0:], uint32(sig))          // si_signo
		le.PutUint32(t.heldInfo[16:], uint32(os.Getpid())) // si_pid
		le.PutUint32(t.heldInfo[20:], uint32(os.Getuid())) // si_uid
		t.forceInfo = true                                 // the current stop's siginfo is not this one
	}
	return nil
}
