package goroutines

import (
	"debug/dwarf"
	"encoding/binary"
)

// deferLayout holds runtime.g._defer and the runtime._defer fields a
// stack -defer listing reads (present false when DWARF lacks them).
type deferLayout struct {
	gDefer, fn, pc, sp, link field
	present                  bool
}

// resolveDefers reads the _defer record's layout; failures leave it absent.
func resolveDefers(d *dwarf.Data, dies *runtimeDIEs) deferLayout {
	var dl deferLayout
	gOff, ok1 := dies.structs["runtime.g"]
	dOff, ok2 := dies.structs["runtime._defer"]
	if !ok1 || !ok2 {
		return dl
	}
	g, err := newResolver(d, gOff)
	if err != nil {
		return dl
	}
	r, err := newResolver(d, dOff)
	if err != nil {
		return dl
	}
	dl.gDefer = g.optional(names("_defer"))
	dl.fn, dl.pc = r.optional(names("fn")), r.optional(names("pc"))
	dl.sp, dl.link = r.optional(names("sp")), r.optional(names("link"))
	dl.present = dl.gDefer.size == 8 && dl.fn.size == 8 && dl.pc.size == 8 && dl.sp.size == 8 && dl.link.size == 8
	return dl
}

// Defer is one deferred call pending on a goroutine, innermost first:
// the function it will run (Fn, run-time, 0 if unreadable), the pc right
// after the defer statement (PC) and the stack pointer of the frame that
// deferred it (SP).
type Defer struct {
	Fn, PC, SP uint64
	// FnVal is the deferred closure (funcval) itself: a deferwrap's
	// captured arguments follow its code pointer (step2: deferred <n>).
	FnVal uint64
}

// maxDefers bounds the _defer chain walked (a corrupt chain may loop).
const maxDefers = 1024

// Defers lists the deferred calls of the goroutine whose g is at gaddr.
// ok is false when the runtime's layout for them is unknown.
func (r *Reader) Defers(gaddr uint64) ([]Defer, bool) {
	dl := r.l.defers
	if !dl.present || gaddr == 0 {
		return nil, false
	}
	var out []Defer
	p, err := r.readUint64("g._defer", gaddr+uint64(dl.gDefer.off))
	for n := 0; err == nil && p != 0 && n < maxDefers; n++ {
		var b [8]byte
		var d Defer
		read := func(f field) uint64 {
			if readFull(r.mem, p+uint64(f.off), b[:]) != nil {
				return 0
			}
			return binary.LittleEndian.Uint64(b[:])
		}
		d.PC, d.SP = read(dl.pc), read(dl.sp)
		if fv := read(dl.fn); fv != 0 {
			d.FnVal = fv
			if readFull(r.mem, fv, b[:]) == nil {
				d.Fn = binary.LittleEndian.Uint64(b[:])
			}
		}
		out = append(out, d)
		p = read(dl.link)
	}
	return out, true
}
