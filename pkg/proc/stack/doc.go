// Package stack unwinds the stack of a stopped thread: from its registers
// and memory it computes the frames of the calls in progress, innermost
// first, for the debugger's stack/bt, frame, up/down and stepout commands
// and for reading the variables of outer frames.
//
// It imports pkg/symbols, pkg/dwarf/{frame,op} and the standard library,
// never a backend: registers come in as a Regs (RegsFrom copies them from
// anything with DWARFRegister, such as proc.Registers) and memory through
// the Memory interface (proc.Process has it). service/debugger and the
// stepping code in pkg/proc call Unwind.
//
// # One step
//
// Each frame's caller is computed from the frame's registers by the
// first rule that applies:
//
//   - A frame in a signal-return trampoline (__restore_rt,
//     runtime.sigreturn__sigaction; recognised by name, or by its code
//     "mov $15, %rax; syscall" in a library without symbols) continues
//     with every general register from the ucontext the kernel saved: the
//     trampoline's stack pointer points at it (struct rt_sigframe), and
//     its uc_mcontext gregs start 40 bytes in (sigframe_linux_amd64.go).
//     The next frame has Kind KindSignal: its pc is the interrupted
//     instruction, looked up as is, not as a return address.
//   - runtime.goexit, runtime.mstart, runtime.rt0_go and _start are
//     outermost, and so is a frame whose call frame information leaves the
//     return address undefined (glibc's _start and clone3).
//   - A Go runtime function that switched to the system stack and called
//     something there — runtime.morestack (newstack), runtime.systemstack,
//     runtime.asmcgocall — is not followed by its call frame information,
//     which describes the goroutine stack it left. Instead the M whose g0
//     stack holds the frame is found by walking runtime.allm, and the
//     unwind goes on from m.curg.sched (pc, sp, bp), which those functions
//     saved before switching: for morestack the function whose prologue
//     called it (the saved pc must follow a CALL to morestack), for
//     systemstack and asmcgocall runtime.systemstack_switch. When the M
//     runs no goroutine, or another one (the scheduler ran on g0 in the
//     meantime, as after a preemption in newstack), the stack ends there,
//     as it does at runtime.mcall on g0, whose function never returns.
//     The field offsets and the address of runtime.allm come from DWARF,
//     once per executable. The same applies to a top frame in those
//     functions when its stack pointer is on a g0 stack.
//   - runtime.nanotime1, time.now and runtime.vgetrandom1 call the vDSO on
//     the g0 stack with their own stack pointer kept in R12 (callee-saved
//     in C): their call frame information is applied with sp = R12.
//   - Otherwise the DWARF call frame information (.debug_frame, then
//     .eh_frame) row at the pc gives the CFA, the return address and the
//     saved registers (expressions included). Go's .debug_frame describes
//     only the CFA and the return address; a Go function that pushed the
//     frame pointer (its prologue is PUSHQ BP; MOVQ SP, BP, confirmed by
//     the CFA growing from 8 to 16 across the push) has the caller's rbp
//     at CFA-16 while its CFA is 16 or more above the stack pointer.
//   - Without call frame information at the pc (code in an image the
//     caller did not pass, generated code), the rbp chain: the caller's
//     rbp at [rbp], the return address at [rbp+8]. A zero rbp ends the
//     stack. A thread stopped at pc 0 (a call through a nil function
//     pointer) has its return address on top of the stack.
//
// A pc in no image the caller passed may be in the vDSO, which the kernel
// maps as a whole small ELF file (section headers and .eh_frame included)
// and which a Go program enters all the time (time.Now): the few pages
// below the pc are searched for an ELF header and the file is read from
// memory (memimage.go), so halting a thread there still unwinds by CFI.
//
// The pc used to find the function, the line and the unwinding row of a
// frame whose pc is a return address is pc-1, inside the call
// instruction: a call can be the last instruction of a function (a call
// to a function that does not return), and File:Line must name the call.
//
// Names come from the symbol table; in a Go executable the C functions of
// a cgo program, which .gopclntab does not cover, are named from the ELF
// symbol table.
//
// # Registers of outer frames
//
// A caller's stack pointer is the callee's CFA and its pc the return
// address. Other registers are known in the caller only if they survive
// the call: for a C callee (System V ABI) rbx, rbp and r12–r15 unless
// its call frame information says where it saved them; for a Go callee
// only rbp (and R14, the g register), because Go's internal ABI preserves
// no other register. Variables of outer frames are read with Frame.Regs
// and Frame.CFA.
//
// # Inlined calls
//
// A pc in code the compiler inlined gets a frame per inlined call
// (Frame.Inlined), from DWARF's DW_TAG_inlined_subroutine entries, read
// one compile unit at a time when a function is first unwound: the
// innermost gets the pc's line, each outer one the line of the call.
//
// # Robustness
//
// A corrupt stack ends the unwind with the frames found and an *Error
// (also set as the last frame's Err), never a panic or a loop: the stack
// pointer must grow from a frame to its caller except across a signal
// frame or a stack switch, those may happen at most 64 times and never
// twice to the same pc and stack pointer, and there are at most depth
// frames (ErrDepth when there were more).
//
// # Performance
//
// The call frame tables of an executable are parsed once (cached per
// *symbols.Table; Forget drops them) and compiled rows are cached per pc,
// so a recursion costs one row computation per distinct pc. Memory is
// read a page at a time through a per-unwind cache. On the 2-core
// development machine, unwinding the 1,010 frames of a 1,000-deep
// recursion in a live process takes 1.0–1.5 ms once the caches are warm
// (BenchmarkUnwindDeep) and 9–11 ms after Forget (BenchmarkUnwindDeepCold:
// parsing .debug_frame, reading the inlined calls from DWARF); the very
// first unwind with a new symbols.Table also waits for its DWARF to load
// (about 10 ms more for the stackfix fixture). Measured with
//
//	go test -run XXX -bench Unwind -benchmem ./pkg/proc/stack
package stack
