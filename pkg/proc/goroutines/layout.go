package goroutines

import (
	"debug/dwarf"
	"debug/elf"
	"fmt"

	"github.com/godbg/godbg/pkg/symbols"
)

// Layout is what reading goroutines needs to know about one executable:
// the addresses of the runtime's goroutine and thread lists and the
// offsets of the fields read from runtime.g and runtime.m, all taken from
// DWARF. It is loaded once per symbols.Table (LoadLayout) and is
// immutable, so one Layout serves every process running that executable.
type Layout struct {
	path string

	// Link-time addresses of runtime variables (0 if absent).
	allgs, allglen, allgptr, allm uint64
	waitReasons                   uint64
	waitReasonN                   int
	tlsOffset                     int64 // of the g pointer from fs_base

	g      gLayout
	m      mLayout
	status statusTable
	labels labelLayout
	defers deferLayout // stack -defer
	procs  procLayout  // sysmon's view of the Ps (procs.go)
}

// gLayout holds runtime.g's fields; the first block is required.
type gLayout struct {
	goid, status, m, pc, sp, startpc, gopc   field
	bp, waitReason, stackLo, stackHi, labels field
	parentGoid                               field
	span
}

// mLayout holds runtime.m's fields; procid, curg and alllink are required.
type mLayout struct {
	procid, curg, alllink, g0, gsignal, id field
	span
}

// layoutKey keys the layout among the Table's derived data: it lives as
// long as the Table (symbols.Table.Derived).
type layoutKey struct{}

type layoutOnce struct {
	l   *Layout
	err error
}

// LoadLayout returns the goroutine layout of tab's executable, resolving
// it on first use and caching it for the life of the Table. Errors are
// *LoadError wrapping ErrNotGo, ErrNoDWARF or ErrLayout.
func LoadLayout(tab *symbols.Table) (*Layout, error) {
	o := tab.Derived(layoutKey{}, func() any {
		o := &layoutOnce{}
		func() {
			defer func() {
				if r := recover(); r != nil {
					o.l, o.err = nil, &LoadError{Path: tab.Path(), Err: ErrLayout, Detail: fmt.Sprintf("corrupt DWARF (%v)", r)}
				}
			}()
			o.l, o.err = loadLayout(tab)
		}()
		return o
	}).(*layoutOnce)
	return o.l, o.err
}

func loadLayout(tab *symbols.Table) (*Layout, error) {
	path := tab.Path()
	if !tab.IsGo() {
		return nil, &LoadError{Path: path, Err: ErrNotGo}
	}
	if !tab.HasDWARF() {
		return nil, &LoadError{Path: path, Err: ErrNoDWARF,
			Hint: "goroutines need it for the runtime's data layout: rebuild without -ldflags=-w or -s"}
	}
	d, err := tab.DWARF()
	if err != nil {
		return nil, &LoadError{Path: path, Err: fmt.Errorf("loading DWARF: %w", err)}
	}
	dies, err := scanRuntime(d)
	if err != nil {
		return nil, &LoadError{Path: path, Err: fmt.Errorf("reading DWARF: %w", err)}
	}
	l := &Layout{path: path, tlsOffset: -8}
	syms := newSymbols(tab.ELF())
	if l.allgs = varAddr(dies, syms, "runtime.allgs"); l.allgs == 0 {
		return nil, &LoadError{Path: path, Err: ErrNotGo}
	}
	if l.allglen, l.allgptr = varAddr(dies, syms, "runtime.allglen"), varAddr(dies, syms, "runtime.allgptr"); l.allglen == 0 || l.allgptr == 0 {
		l.allglen, l.allgptr = 0, 0
	}
	l.allm = varAddr(dies, syms, "runtime.allm")
	l.waitReasons, l.waitReasonN = waitReasonsVar(d, dies, syms)
	l.tlsOffset = tlsOffset(tab.ELF(), syms)
	if err := l.resolveG(d, dies); err != nil {
		return nil, &LoadError{Path: path, Err: ErrLayout, Detail: err.Error()}
	}
	if err := l.resolveM(d, dies); err != nil {
		return nil, &LoadError{Path: path, Err: ErrLayout, Detail: err.Error()}
	}
	l.status = newStatusTable(dies.consts)
	l.labels = resolveLabels(d, dies)
	l.defers = resolveDefers(d, dies)
	l.procs = resolveProcs(d, dies, syms)
	return l, nil
}

// varAddr finds a package variable's link-time address in DWARF, or else
// in the ELF symbol table.
func varAddr(dies *runtimeDIEs, syms *elfSymbols, name string) uint64 {
	if e := dies.vars[name]; e != nil {
		if a, ok := staticAddr(e); ok {
			return a
		}
	}
	if s, ok := syms.lookup(name); ok && s.Section != elf.SHN_UNDEF {
		return s.Value
	}
	return 0
}

func (l *Layout) resolveG(d *dwarf.Data, dies *runtimeDIEs) error {
	off, ok := dies.structs["runtime.g"]
	if !ok {
		return fmt.Errorf("no runtime.g type")
	}
	r, err := newResolver(d, off)
	if err != nil {
		return err
	}
	g := &l.g
	for _, f := range []struct {
		dst   *field
		paths [][]string
	}{
		{&g.goid, [][]string{names("goid")}},
		{&g.status, [][]string{names("atomicstatus", "v"), names("atomicstatus")}},
		{&g.m, [][]string{names("m")}},
		{&g.pc, [][]string{names("sched", "pc")}},
		{&g.sp, [][]string{names("sched", "sp")}},
		{&g.startpc, [][]string{names("startpc")}},
		{&g.gopc, [][]string{names("gopc")}},
	} {
		if *f.dst, err = r.oneOf(f.paths...); err != nil {
			return err
		}
	}
	g.bp = r.optional(names("sched", "bp"))
	g.waitReason = r.optional(names("waitreason"))
	g.stackLo = r.optional(names("stack", "lo"))
	g.stackHi = r.optional(names("stack", "hi"))
	g.labels = r.optional(names("labels"))
	g.parentGoid = r.optional(names("parentGoid"))
	g.span = spanOf(g.goid, g.status, g.m, g.pc, g.sp, g.startpc, g.gopc,
		g.bp, g.waitReason, g.stackLo, g.stackHi, g.labels, g.parentGoid)
	return nil
}

func (l *Layout) resolveM(d *dwarf.Data, dies *runtimeDIEs) error {
	off, ok := dies.structs["runtime.m"]
	if !ok {
		return fmt.Errorf("no runtime.m type")
	}
	r, err := newResolver(d, off)
	if err != nil {
		return err
	}
	m := &l.m
	if m.procid, err = r.field("procid"); err != nil {
		return err
	}
	if m.curg, err = r.field("curg"); err != nil {
		return err
	}
	if m.alllink, err = r.field("alllink"); err != nil {
		return err
	}
	m.g0 = r.optional(names("g0"))
	m.gsignal = r.optional(names("gsignal"))
	m.id = r.optional(names("id"))
	m.span = spanOf(m.procid, m.curg, m.alllink, m.g0, m.gsignal, m.id)
	return nil
}

// waitReasonsVar finds runtime.waitReasonStrings ([N]string) and N.
func waitReasonsVar(d *dwarf.Data, dies *runtimeDIEs, syms *elfSymbols) (uint64, int) {
	addr := varAddr(dies, syms, "runtime.waitReasonStrings")
	if addr == 0 {
		return 0, 0
	}
	size := int64(-1)
	if e := dies.vars["runtime.waitReasonStrings"]; e != nil {
		if off, ok := e.Val(dwarf.AttrType).(dwarf.Offset); ok {
			if t, err := resolveType(d, off); err == nil && t.tag == dwarf.TagArrayType {
				size = t.size
			}
		}
	}
	if size < 0 {
		if s, ok := syms.lookup("runtime.waitReasonStrings"); ok {
			size = int64(s.Size)
		}
	}
	if size <= 0 || size%16 != 0 || size/16 > maxWaitReasons {
		return 0, 0
	}
	return addr, int(size / 16)
}

// GSize returns the number of bytes read per goroutine: the span of
// runtime.g covering the fields used.
func (l *Layout) GSize() int { return l.g.len() }

// TLSOffset returns the offset from a thread's fs_base of the slot where
// Go code keeps the current g (-8 for Go's own linker).
func (l *Layout) TLSOffset() int64 { return l.tlsOffset }
