package stack

import (
	"debug/dwarf"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
)

// goRuntime is what switching from the system stack back to a goroutine
// needs from the Go runtime: where runtime.allm is and the offsets of a
// few fields of runtime.m, runtime.g, runtime.stack and runtime.gobuf,
// all read from DWARF once per executable.
type goRuntime struct {
	allm                 uint64 // link-time address of runtime.allm
	mG0, mCurg, mAlllink uint64
	gStackLo, gStackHi   uint64 // g.stack.lo, g.stack.hi
	gSchedSP, gSchedPC   uint64 // g.sched.sp, g.sched.pc
	gSchedBP             uint64
}

type goRuntimeOnce struct {
	once sync.Once
	rt   *goRuntime
	err  error
}

func (im *image) goRuntime() (*goRuntime, error) {
	o := &im.rt
	o.once.Do(func() {
		o.rt, o.err = loadGoRuntime(im)
		if o.err != nil {
			o.err = fmt.Errorf("%s: reading the Go runtime's layout: %w", im.tab.Path(), o.err)
		}
	})
	return o.rt, o.err
}

// errNoRuntimeInfo means the runtime's types or runtime.allm are missing
// from DWARF (a binary built with -ldflags=-w).
var errNoRuntimeInfo = errors.New("no DWARF for runtime.allm and runtime.g")

func loadGoRuntime(im *image) (*goRuntime, error) {
	d, err := im.tab.DWARF()
	if err != nil {
		return nil, err
	}
	fields := map[string]map[string]uint64{
		"runtime.m": nil, "runtime.g": nil, "runtime.stack": nil, "runtime.gobuf": nil,
	}
	allm, err := scanRuntime(d.Reader(), fields)
	if err != nil {
		return nil, err
	}
	rt := &goRuntime{allm: allm}
	m, g, st, buf := fields["runtime.m"], fields["runtime.g"], fields["runtime.stack"], fields["runtime.gobuf"]
	need := []struct {
		in   map[string]uint64
		name string
		dst  *uint64
	}{
		{m, "g0", &rt.mG0}, {m, "curg", &rt.mCurg}, {m, "alllink", &rt.mAlllink},
		{g, "stack", &rt.gStackLo}, {g, "sched", &rt.gSchedSP},
		{st, "lo", new(uint64)}, {st, "hi", &rt.gStackHi},
		{buf, "sp", new(uint64)}, {buf, "pc", &rt.gSchedPC}, {buf, "bp", &rt.gSchedBP},
	}
	for _, n := range need {
		v, ok := n.in[n.name]
		if !ok || allm == 0 {
			return nil, errNoRuntimeInfo
		}
		*n.dst = v
	}
	stack, sched := rt.gStackLo, rt.gSchedSP
	rt.gStackLo, rt.gStackHi = stack+st["lo"], stack+st["hi"]
	rt.gSchedSP, rt.gSchedPC, rt.gSchedBP = sched+buf["sp"], sched+buf["pc"], sched+buf["bp"]
	return rt, nil
}

// scanRuntime collects the members of the wanted struct types and the
// address of runtime.allm. The Go linker spreads the runtime over several
// compile units and puts types apart, so every unit is read, until all
// are found.
func scanRuntime(r *dwarf.Reader, fields map[string]map[string]uint64) (allm uint64, err error) {
	missing := len(fields) + 1
	for missing > 0 {
		e, err := r.Next()
		if err != nil || e == nil {
			return allm, err
		}
		name, _ := e.Val(dwarf.AttrName).(string)
		switch {
		case e.Tag == dwarf.TagCompileUnit:
			continue // into its children
		case e.Tag == dwarf.TagVariable && name == "runtime.allm" && allm == 0:
			if loc, _ := e.Val(dwarf.AttrLocation).([]byte); len(loc) == 9 && loc[0] == 0x03 { // DW_OP_addr
				allm = binary.LittleEndian.Uint64(loc[1:])
				missing--
			}
		case e.Tag == dwarf.TagStructType && e.Children:
			if m, want := fields[name]; want && m == nil {
				if fields[name], err = members(r); err != nil {
					return 0, err
				}
				missing--
				continue
			}
		}
		if e.Children {
			r.SkipChildren()
		}
	}
	return allm, nil
}

// members reads the data member offsets of the struct whose children
// follow.
func members(r *dwarf.Reader) (map[string]uint64, error) {
	out := map[string]uint64{}
	for {
		e, err := r.Next()
		if err != nil || e == nil || e.Tag == 0 {
			return out, err
		}
		if name, _ := e.Val(dwarf.AttrName).(string); e.Tag == dwarf.TagMember {
			if off, ok := e.Val(dwarf.AttrDataMemberLoc).(int64); ok {
				out[name] = uint64(off)
			}
		}
		if e.Children {
			r.SkipChildren()
		}
	}
}

// maxMs bounds the walk of runtime.allm.
const maxMs = 1 << 14

// goroutineStack continues the unwind of a goroutine from a runtime
// function that switched to the system stack (morestack, systemstack,
// asmcgocall): if f's stack pointer is on some M's g0 stack, the
// goroutine that M runs (m.curg) saved its pc, sp and bp in g.sched
// before the switch. onG0 is false when f is not on a g0 stack (the
// function ran without switching); regs.PC() is 0 when the M runs no
// goroutine, or runs another one than the function switched from (the
// scheduler ran on g0 meanwhile): the stack ends there.
func (w *walker) goroutineStack(l *loaded, f *Frame, class funcClass) (regs Regs, onG0 bool, err error) {
	rt, m, err := w.g0Owner(l, f.SP)
	if err != nil || m == 0 {
		return Regs{}, false, err
	}
	regs, err = w.schedOf(rt, m)
	if err == nil && class == classAsmcgocall && f.Kind != KindTop {
		if saved, ok := w.asmcgocallSaved(l, rt, m, f); ok {
			return saved, true, nil
		}
	}
	if err == nil && regs.PC() != 0 && !w.switchedFrom(l, regs.PC(), class) {
		regs = Regs{}
	}
	return regs, true, err
}

// g0Owner returns the M whose g0 stack holds sp, 0 if none does.
func (w *walker) g0Owner(l *loaded, sp uint64) (*goRuntime, uint64, error) {
	return w.stackOwner(l, sp, func(rt *goRuntime) uint64 { return rt.mG0 })
}

// stackOwner returns the M on runtime.allm whose goroutine at the field
// gOf names (m.g0, m.curg) has a stack holding sp, 0 if none.
func (w *walker) stackOwner(l *loaded, sp uint64, gOf func(*goRuntime) uint64) (*goRuntime, uint64, error) {
	rt, err := l.im.goRuntime()
	if err != nil {
		return nil, 0, err
	}
	m, err := w.mem.word(rt.allm + l.bias)
	for n := 0; err == nil && m != 0 && n < maxMs; n++ {
		var g, lo, hi uint64
		if g, err = w.mem.word(m + gOf(rt)); err == nil && g != 0 {
			if lo, err = w.mem.word(g + rt.gStackLo); err == nil {
				hi, err = w.mem.word(g + rt.gStackHi)
			}
			if err == nil && sp >= lo && sp < hi {
				return rt, m, nil
			}
		}
		if err == nil {
			m, err = w.mem.word(m + rt.mAlllink)
		}
	}
	return rt, 0, err
}

// schedOf returns the registers saved in m.curg.sched (none if m runs
// no goroutine).
func (w *walker) schedOf(rt *goRuntime, m uint64) (Regs, error) {
	g, err := w.mem.word(m + rt.mCurg)
	if err != nil || g == 0 {
		return Regs{}, err
	}
	var v [3]uint64
	for i, off := range []uint64{rt.gSchedPC, rt.gSchedSP, rt.gSchedBP} {
		if v[i], err = w.mem.word(g + off); err != nil {
			return Regs{}, err
		}
	}
	regs := NewRegs(v[0], v[1], v[2])
	regs.Set(RegR14, g)
	return regs, nil
}

// switchedFrom reports whether a goroutine's saved pc is where the
// function of class saves it: the return address of a call to morestack
// in a prologue, or runtime.systemstack_switch.
func (w *walker) switchedFrom(l *loaded, pc uint64, class funcClass) bool {
	link := pc - l.bias
	if class == classSystemstack || class == classAsmcgocall {
		c, _ := l.im.classify(link)
		return c == classSwitched
	}
	var call [5]byte // CALL rel32
	if link < 5 || !l.im.readCode(link-5, call[:]) || call[0] != 0xe8 {
		return false
	}
	target := link + uint64(int64(int32(binary.LittleEndian.Uint32(call[1:]))))
	c, _ := l.im.classify(target)
	return c == classMorestack
}
