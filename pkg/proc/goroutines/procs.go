package goroutines

import (
	"debug/dwarf"
	"encoding/binary"
	"errors"
)

// The runtime's Ps as its sysmon thread sees them (issue 12): runtime.allp
// and, in each runtime.p, the status and the sysmontick times sysmon's
// retake compares with its clock to preempt a goroutine that has run for
// 10 ms (schedwhen) or to take back a P stuck in a system call
// (syscallwhen). pkg/proc/target moves those times forward by the time
// the program spent stopped (preempt.go there).

// procLayout holds runtime.allp and the runtime.p fields read (present
// false when DWARF lacks any of them).
type procLayout struct {
	allp                           uint64
	status, schedwhen, syscallwhen field
	running                        []uint64 // status values of a P that sysmon looks at
	present                        bool
	span
}

// resolveProcs reads the P layout; failures leave it absent.
func resolveProcs(d *dwarf.Data, dies *runtimeDIEs, syms *elfSymbols) procLayout {
	var pl procLayout
	off, ok := dies.structs["runtime.p"]
	if !ok {
		return pl
	}
	r, err := newResolver(d, off)
	if err != nil {
		return pl
	}
	pl.allp = varAddr(dies, syms, "runtime.allp")
	pl.status = r.optional(names("status"))
	pl.schedwhen = r.optional(names("sysmontick", "schedwhen"))
	pl.syscallwhen = r.optional(names("sysmontick", "syscallwhen"))
	// _Psyscall: a P in a system call up to Go 1.25 (1.26 keeps it _Prunning).
	for _, name := range []string{"runtime._Prunning", "runtime._Psyscall"} {
		if v, ok := dies.consts[name]; ok && v >= 0 {
			pl.running = append(pl.running, uint64(v))
		}
	}
	pl.present = pl.allp != 0 && pl.status.present() && pl.schedwhen.size == 8 &&
		pl.syscallwhen.size == 8 && len(pl.running) > 0
	pl.span = spanOf(pl.status, pl.schedwhen, pl.syscallwhen)
	return pl
}

// P is one of the runtime's Ps that runs a goroutine or (before Go 1.26)
// sits in a system call: the two times sysmon measures from, in the
// program's CLOCK_MONOTONIC nanoseconds, and where they are.
type P struct {
	Addr                       uint64
	SchedWhen, SyscallWhen     int64
	SchedWhenAt, SyscallWhenAt uint64
}

// ErrNoProcLayout: the executable's DWARF does not describe runtime.allp,
// runtime.p's status and sysmontick, or the P status constants.
var ErrNoProcLayout = errors.New("no runtime.p layout in DWARF")

// maxProcs bounds len(runtime.allp) (GOMAXPROCS is at most 1024 in Go 1.26).
const maxProcs = 1 << 14

// RunningPs reads runtime.allp and returns, appended to buf[:0], the Ps
// sysmon would look at: 2 + len(allp) reads.
func (r *Reader) RunningPs(buf []P) ([]P, error) {
	pl := &r.l.procs
	if !pl.present {
		return nil, ErrNoProcLayout
	}
	var hdr [16]byte // the slice's pointer and length
	if err := readFull(r.mem, pl.allp+r.bias, hdr[:]); err != nil {
		return nil, &ReadError{What: "runtime.allp", Addr: pl.allp + r.bias, Err: err}
	}
	arr, n := binary.LittleEndian.Uint64(hdr[:]), binary.LittleEndian.Uint64(hdr[8:])
	if n == 0 || arr == 0 {
		return buf[:0], nil // not yet initialised (a program stopped at its start)
	}
	if n > maxProcs {
		return nil, &ReadError{What: "runtime.allp", Addr: pl.allp + r.bias, Err: errors.New("implausible length")}
	}
	ptrs := make([]byte, 8*n)
	if err := readFull(r.mem, arr, ptrs); err != nil {
		return nil, &ReadError{What: "runtime.allp's array", Addr: arr, Err: err}
	}
	out := buf[:0]
	b := make([]byte, pl.len())
	for i := range n {
		pp := binary.LittleEndian.Uint64(ptrs[8*i:])
		if pp == 0 || pp >= 1<<47 {
			continue // procresize grows allp before it makes the Ps
		}
		if readFull(r.mem, pp+uint64(pl.lo), b) != nil || !pl.runs(pl.status.get(b, pl.lo)) {
			continue
		}
		out = append(out, P{
			Addr:      pp,
			SchedWhen: int64(pl.schedwhen.get(b, pl.lo)), SyscallWhen: int64(pl.syscallwhen.get(b, pl.lo)),
			SchedWhenAt: pp + uint64(pl.schedwhen.off), SyscallWhenAt: pp + uint64(pl.syscallwhen.off),
		})
	}
	return out, nil
}

func (pl *procLayout) runs(status uint64) bool {
	for _, v := range pl.running {
		if status == v {
			return true
		}
	}
	return false
}
