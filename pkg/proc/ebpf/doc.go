// Package ebpf traces function calls and returns of a Go (or C) program
// with uprobes and BPF programs, for godbg trace --ebpf.
//
// # Probes
//
// Each traced function gets a uprobe after its prologue (symbols.ProbeSite:
// past the stack-growth check, so that a call that grows its stack is seen
// once: the PUSH RBP of a Go function, which the kernel emulates) and
// return probes. Return probes are never uretprobes: those rewrite the
// return address on the goroutine's stack, which Go's stack copying and
// async preemption do not expect (Delve's eBPF mode crashed programs with
// SIGILL that way).
//
// A uprobe on an instruction the kernel does not emulate (x86 emulates
// only direct JMP, CALL and Jcc, NOP and PUSH) single-steps it out of
// line: ≈15 µs of #DB trap per hit in this VM against ≈0.4 µs for an
// emulated one, so a probe on a RET made every return cost that. So a Go
// function whose every call is a direct CALL from Go code (its address
// is never taken: no func value, method table entry, JMP or LEA to it)
// gets its return probes in the callers instead, one per call site, at the
// first emulated instruction after the return address, provided the
// straight-line code up to there writes neither the result registers nor
// RSP nor R14 and no branch lands in it (retsite.go). The results are read
// there as at the RET. Other functions keep a probe on every RET. Such a
// function whose entry probe would be single-stepped (a leaf without a
// frame, in optimized code: no PUSH RBP) is also probed on its CALLs,
// which the kernel emulates, with the arguments read as at its first
// instruction (unless a CALL is already another probe's site). A call
// that a panic unwinds has no return either way: no return is reported.
// The kernel (6.18 here) refuses BPF writes to pt_regs from uprobe
// programs, so a RET probe cannot perform the return itself.
//
// All probes share one uprobe_multi link whose program tail-calls the
// probe's own program (the attach cookie is the probe's index): removing
// a uprobe waits for RCU grace periods (≈0.1 s here), once per link and
// serialised, so a perf event per probe made the end of a trace of 100
// functions last tens of seconds. Kernels without uprobe_multi (before
// 6.6) get a perf event per probe.
//
// # Programs
//
// Plan computes, at each probe pc and without a process, where every
// argument (at an entry) or result (at a RET) is: the location expression
// from DWARF is evaluated symbolically (variables.Frame with a made-up
// stack pointer), which turns it into registers and offsets from the
// canonical frame address, itself the stack pointer plus a constant at that
// pc (call frame information); results DWARF cannot locate at a RET
// (optimized code) are taken from the registers Go's internal ABI returns
// them in, when their classes are simple (abiresults.go). Program then emits, with cilium/ebpf's asm
// package (no C compiler at build or run time), one BPF program per probe
// that reserves a record in a ring buffer and fills it: the probe's index,
// pid/tid, a timestamp, the goroutine id read through the g register (r14
// in Go's internal ABI; the offset of runtime.g.goid comes from DWARF), the
// raw bytes of each value (registers copied from pt_regs, stack slots with
// bpf_probe_read_user; at most ValueBytes bytes per value), for a string
// its first StringBytes bytes of data, and with a stack depth the user
// stack from bpf_get_stack (frame pointers, which Go keeps). Values held in
// SSE registers (floats passed in registers, X0-X14) are not in pt_regs
// and BPF has no helper that reads the FPU state: they are shown as
// "(float in X0: not readable by an eBPF probe; drop --ebpf to see it)".
//
// # Reading
//
// Records are read by one goroutine blocked in the ring buffer's epoll
// (ringbuf.Reader). A probe wakes it only once 256 KiB wait in the ring
// (BPF_RB_NO_WAKEUP below that, BPF_RB_FORCE_WAKEUP above): a wakeup per
// record cost more CPU than the record. The reader's epoll wait also
// times out every 50 ms, so a record waits at most that long; no busy
// loop. Each record is decoded with the
// value loader (values.Loader.LoadBytes) against a memory that serves the
// copied string bytes first and the live process (/proc/PID/mem) for
// anything else a value points to. Records the kernel could not reserve
// (ring buffer full) are counted in a map and reported at the end.
//
// It imports cilium/ebpf, x/sys/unix, pkg/symbols and the value and
// variable packages; service/debugger wires it to a launched or attached
// process.
package ebpf
