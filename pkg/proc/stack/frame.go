package stack

// Kind says how a frame's registers were obtained.
type Kind uint8

const (
	// KindTop is the stopped thread's own registers.
	KindTop Kind = iota
	// KindCFI means the callee's DWARF call frame information gave them.
	KindCFI
	// KindFramePointer means they came from the callee's rbp chain, for
	// lack of call frame information at the callee's pc.
	KindFramePointer
	// KindSignal means they were restored from the ucontext a signal
	// frame saved: PC is the interrupted instruction, not a return address.
	KindSignal
	// KindStackSwitch means a Go runtime function running on the system
	// stack (g0) led back to the goroutine's stack, whose pc, sp and bp
	// were read from the goroutine's g.sched.
	KindStackSwitch
)

var kindNames = [...]string{"top", "cfi", "frame pointer", "signal", "stack switch"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// Frame is one frame of a thread's stack, innermost first. Addresses are
// run-time addresses.
type Frame struct {
	// PC is the frame's pc: where the top frame (or a frame interrupted
	// by a signal) stopped, else the return address into the function.
	PC uint64
	// CFA is the canonical frame address: the value of the stack pointer
	// in the caller just before its call instruction. It is 0 for the
	// outermost frame, whose caller was not computed.
	CFA uint64
	// SP and BP are the frame's stack and frame pointers.
	SP, BP uint64
	// Regs holds the registers known in this frame: all of them for the
	// top frame and after a signal, else the stack pointer, the pc and
	// the registers the callees preserved or saved.
	Regs Regs
	// Func is the function's name ("" when the pc is in no known
	// function) and Entry the run-time entry of the machine function
	// holding PC (0 if unknown; for an inlined frame, the entry of the
	// function it was inlined into).
	Func  string
	Entry uint64
	// File and Line give the position of PC for the top frame and signal
	// frames, and of the call instruction (PC-1) for the other frames.
	File string
	Line int
	// Kind says how the frame's registers were found.
	Kind Kind
	// Inlined marks a call the compiler inlined: the frame shares PC, CFA
	// and Regs with the next frame, the function it was inlined into,
	// whose File and Line are those of the inlined call.
	Inlined bool
	// Sigtramp marks a signal-return trampoline (__restore_rt,
	// runtime.sigreturn__sigaction): the frame stands for "signal handler
	// called", and the next frame is the interrupted one.
	Sigtramp bool
	// Faulted marks the frame runtime.sigpanic was made to look called
	// from: its pc is the faulting instruction, not a return address
	// (Delve's TestPanicLine: the line is the fault's).
	Faulted bool
	// Err, set on the last frame only, says why its caller could not be
	// found; Unwind returns the same error.
	Err error
}

// returnAddress reports whether PC is a return address, so that its
// call instruction is at PC-1.
func (f *Frame) returnAddress() bool {
	return (f.Kind == KindCFI || f.Kind == KindFramePointer || f.Kind == KindStackSwitch) && !f.Sigtramp && !f.Faulted && f.PC > 0
}

// lookupPC is the pc whose function, line and unwinding rule apply.
func (f *Frame) lookupPC() uint64 {
	if f.returnAddress() {
		return f.PC - 1
	}
	return f.PC
}
