// Package target is the target model between the backends and the
// debugger service (issue 12):
//
//   - opening a process: Launch, Attach (pkg/proc/native) or OpenCore
//     (pkg/proc/core), DumpCore;
//   - the Image of the binary a process runs: its symbols (loaded in the
//     background), load bias, shared libraries (from the backend's
//     mappings) and decoded code; what other packages derive from the
//     binary lives with its symbols.Table (symbols.Table.Derived);
//   - frames: Unwind through the executable and its libraries, with the
//     unwinder's Frame and Regs types;
//   - source-level stepping: the Stepper plans a next, step, stepout or
//     next-instruction as temporary breakpoints with conditions and
//     drives the program until the step ends or something else stops it.
//     It plants them through a StepHost, the Target's (run.go);
//   - Breaklets: the logical breakpoints sharing one address, each with
//     its condition, told apart per thread; a Target keeps one per
//     address (bpmux.go), armed as a jump pad when a user breakpoint is
//     alone there and its condition has a pad form (padwire.go);
//   - conditions of user breakpoints: CompileCond, Cond.Bind at each
//     address, CondAt.Eval at each hit on the tracer thread (cond.go);
//   - Target: one process, with its Image, breaklets, current thread,
//     the run loop (Run, with the caller's RunHooks for what concerns
//     several targets: watchpoints, exec and library events), Continue,
//     and StepFrom the user's selection (an interrupted step is completed
//     by the next Continue or ResumeStep). service/debugger and the
//     in-process tests drive programs through it. A Target of a core file
//     (NewCore) holds only a proc.Inspector: Live and Writable give the
//     error that an operation needs a live process.
//   - sysmon's clock (preempt.go): the Go runtime's sysmon preempts a
//     goroutine that has run 10 ms on one scheduler tick, measured from
//     runtime.p.sysmontick.schedwhen (syscallwhen for a P in a system
//     call), on CLOCK_MONOTONIC, which runs on while the debugger holds
//     the program. So that the time stopped does not count as running,
//     Run moves both times of every P that runs (_Prunning, _Psyscall
//     before Go 1.26) forward by the time since Run last returned, capped
//     at now, just before it resumes the process: 2 + GOMAXPROCS reads of
//     /proc/pid/mem and one 16-byte write per running P, and nothing
//     while less than 1 ms of stops is owed (it is carried over). Every
//     thread is in a ptrace stop then, so no runtime code runs between
//     the read and the write; a sysmon stopped inside retake with a time
//     already in a register may still preempt once, as before. Without
//     DWARF for runtime.allp, runtime.p and the P status constants (not
//     Go, -ldflags=-w, another runtime's layout) nothing is done, and a
//     failed read or write leaves the program as it was. Asynchronous
//     preemption stays on: a goroutine that really runs 10 ms is
//     preempted, and the garbage collector's own preemption is untouched.
//   - Group: the targets followed over fork and exec (the fork policy,
//     children joining with their parent's image, follow-exec, detach-on-
//     fork, exited members leaving); the debugger keeps selection and api
//     conversion.
//
// It may import pkg/proc and its sub-packages, the backends, pkg/symbols,
// pkg/locspec and pkg/dwarf; never service or the terminal
// (internal/layering lists its imports). Stepping is tested in-process by
// testseq_test.go through the WithTarget harness (harness_test.go).
package target
