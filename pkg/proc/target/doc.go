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
//     It plants them through a StepHost: service/debugger hosts it with
//     its breaklet multiplexer (user, step and internal breaklets on one
//     address) and its run loop (exec and library events, watchpoints);
//   - Breaklets: the logical breakpoints sharing one address, each with
//     its condition, told apart per thread;
//   - Target: one process on its own, with its Image, breaklets, current
//     thread, Continue and Next/Step/StepOut/StepInstruction (an
//     interrupted step is completed by the next Continue). The in-process
//     tests drive programs through it.
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
