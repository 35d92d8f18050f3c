// Package goroutines reads the goroutines and Go threads of a stopped Go
// process from the runtime's own data structures, for a `goroutines`
// command and for mapping threads to goroutines.
//
// It imports pkg/symbols and the standard library only, never a backend:
// memory comes in through the one-method Memory interface (proc.Process
// satisfies it) and registers as plain values. service/debugger (or the
// stack code in pkg/proc) creates one Reader per process with NewReader
// and calls List, Each or All at each stop; it unwinds the stacks itself,
// starting from G.Context.
//
// # Layout
//
// Nothing about the runtime's layout is hard-coded per Go version.
// LoadLayout reads, once per symbols.Table (cached, like the DWARF data
// itself), the top-level DIEs of the "runtime" and "runtime/pprof"
// compile units (every unit if runtime.g is not found there): the struct
// types runtime.g and runtime.m, with the offsets and sizes of the fields
// used (g.goid, g.atomicstatus[.v], g.sched.{pc,sp,bp}, g.m, g.startpc,
// g.gopc, g.waitreason, g.stack.{lo,hi}, g.labels, g.parentGoid; m.procid,
// m.curg, m.alllink, m.g0, m.gsignal, m.id); the variables runtime.allgs,
// allglen, allgptr, allm and waitReasonStrings, addressed by their
// DW_OP_addr location or, failing that, .symtab; the runtime._G*
// constants, which name the status values; and runtime/pprof.labelMap,
// whose shape (a slice of {key, value string}) is checked before labels
// are read. For pkg/proc/target's sysmon clock (issue 12) it also
// reads runtime.allp, runtime.p's status and sysmontick.{schedwhen,
// syscallwhen} and the runtime._P* constants; RunningPs lists the Ps
// that run (ErrNoProcLayout without them). Types are read with plain dwarf.Readers rather than
// dwarf.Data.Type, whose cache inside the shared dwarf.Data is not safe
// for concurrent use. Required fields that are missing make a *LoadError
// wrapping ErrLayout; a program with no runtime.allgs (not Go) gives
// ErrNotGo, a Go program without DWARF (-ldflags=-w) ErrNoDWARF.
//
// # Listing
//
// The goroutines are the entries of allgs, the array of every g ever
// allocated. Its address and length come from allgptr and allglen when the
// runtime has them: allgadd stores allgptr before allglen, so a process
// stopped at any instruction has at least allglen valid entries, whereas
// the slice header may be mid-update. The pointer array is read in chunks
// of 64Ki entries (one read for up to 65,536 goroutines).
//
// Each g is read only over the span of runtime.g covering the fields used
// (360 of its 456 bytes in Go 1.26). Goroutines are handled in windows of
// 1,024: a window's pointers are sorted by address and neighbours merged
// into reads of at most 64 KiB that skip at most 4 KiB between two gs.
// The heap allocates gs from 8 KiB spans of 17 in creation order, so a
// read usually covers a span: 5,800 reads of 48 MB in all for 100,000
// goroutines, against 100,000 reads one by one. A merged read that
// fails (an unmapped hole) is redone g by g, and a g that cannot be read
// is skipped and counted in a *PartialError returned with the rest. The
// window is then reported in allgs order, dead goroutines (Status.Dead:
// _Gdead and _Gdeadextra, hidden by Delve too) left out unless
// Options.IncludeDead. Each keeps one chunk and one window in memory;
// List collects everything into a slice.
//
// After decoding, a goroutine gets: its wait reason text if waiting, from
// runtime.waitReasonStrings, read once per Reader (it is static data) and
// shown as "waitReason(N)" if unreadable; its thread, g.m's procid, found
// in a map built from allm at the start of the listing (an m not on allm
// is read directly); its pprof labels, read only when g.labels is set.
//
// # Threads
//
// Ms walks allm (m.alllink); ThreadGoroutines maps each m.procid (the
// tid) whose m.curg is set to that goroutine's id. CurrentG answers the
// question from the thread's side: Go code keeps the current g at
// fs_base-8 (for a cgo binary the linker places the slot through the TLS
// symbol runtime.tlsg, and TLSOffset computes the offset from PT_TLS), and
// ABIInternal code also keeps it in r14. A candidate is accepted only if
// it is the curg, g0 or gsignal of its own m and that m's procid is the
// thread: a thread just created by clone(2) still has its parent's fs_base
// and r14 until it sets its own TLS, and would otherwise be reported as
// running its parent's goroutine. ThreadG maps a g0 or gsignal (a thread
// on its system stack) to the m's curg.
//
// # Where a goroutine is
//
// G.PC, SP and BP are g.sched, saved when the goroutine last left its
// thread; for a goroutine on a thread (ThreadID set) the thread's
// registers are current unless its sp is outside the goroutine's stack
// (the thread is on its system stack, and g.sched is where systemstack
// left the goroutine). G.Context picks accordingly. StartPC is the entry
// of the goroutine's function and GoPC the return address of its go
// statement (look up GoPC-1 for the line); Reader.PCToFunc names them.
// Finding the first non-runtime frame needs the unwinder and is left to
// the caller.
//
// # Robustness and cost
//
// Every length and pointer read from the target is bounded (allglen ≤
// 2^26, user-space addresses, at most 64 labels, strings cut at 1 KiB,
// allm walks stop at a cycle or 65,536 ms) and every slice of a read
// buffer is derived from the layout, so garbage memory yields errors or
// garbage values, never a panic (TestGarbageMemory).
//
// On the 2-core development machine, gorofix with 100,000 blocked
// goroutines (go test -run XXX -bench Goroutines ./pkg/proc/goroutines)
// lists in 25 ms with List (14 MB allocated, 49 allocations) and 18 ms
// with Each (1.3 MB); the test process peaks at 24 MiB RSS after one List
// and 50 MiB after the benchmark's repetitions.
package goroutines
