// Package ebpf traces function calls and returns of a Go (or C) program
// with uprobes and BPF programs, for godbg trace --ebpf.
//
// # Probes
//
// Each traced function gets a uprobe after its prologue (symbols.ProbeSite:
// past the stack-growth check, so that a call that grows its stack is seen
// once) and one on every RET instruction. Return probes are never
// uretprobes: those rewrite the return address on the goroutine's stack,
// which Go's stack copying and async preemption do not expect (Delve's
// eBPF mode crashed programs with SIGILL that way).
//
// # Programs
//
// Plan computes, at each probe pc and without a process, where every
// argument (at an entry) or result (at a RET) is: the location expression
// from DWARF is evaluated symbolically (variables.Frame with a made-up
// stack pointer), which turns it into registers and offsets from the
// canonical frame address, itself the stack pointer plus a constant at that
// pc (call frame information). Program then emits, with cilium/ebpf's asm
// package (no C compiler at build or run time), one BPF program per probe
// that reserves a record in a ring buffer and fills it: the probe's index,
// pid/tid, a timestamp, the goroutine id read through the g register (r14
// in Go's internal ABI; the offset of runtime.g.goid comes from DWARF), the
// raw bytes of each value (registers copied from pt_regs, stack slots with
// bpf_probe_read_user; at most ValueBytes bytes per value), for a string
// its first StringBytes bytes of data, and with a stack depth the user
// stack from bpf_get_stack (frame pointers, which Go keeps). Values held in
// SSE registers (floats passed in registers) are not readable from
// pt_regs and are shown as such.
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
