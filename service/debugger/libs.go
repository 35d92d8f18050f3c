package debugger

import (
	"debug/elf"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/godbg/godbg/pkg/locspec"
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/native"
	"github.com/godbg/godbg/pkg/proc/stack"
	"github.com/godbg/godbg/pkg/symbols"
	"github.com/godbg/godbg/service/api"
)

// Shared libraries: locations and stacks inside libc, ld.so and the
// rest name their functions (and lines, with debug information) instead
// of "??". A process's libraries come from /proc/<pid>/maps, read again
// when a pc is in none of the known ones (dlopen), at most once per stop.

// lib is one shared object mapped in the process.
type lib struct {
	path   string
	lo, hi uint64 // the address range of its mappings
	bias   uint64
	tab    *symbols.Table
}

// libTables caches opened libraries by path: the same libc serves every
// target and every image.
var libTables sync.Map // path → *libTable

type libTable struct {
	once sync.Once
	tab  *symbols.Table
}

func openLib(path string) *symbols.Table {
	v, _ := libTables.LoadOrStore(path, &libTable{})
	lt := v.(*libTable)
	lt.once.Do(func() { lt.tab, _ = symbols.Open(path) })
	return lt.tab
}

// libAt returns the library mapped at pc in p (nil: none).
func (d *Debugger) libAt(p proc.Process, img *image, pc uint64) *lib {
	for _, l := range img.libs {
		if pc >= l.lo && pc < l.hi {
			return l
		}
	}
	if img.libsScan == d.stops+1 || d.isCore {
		return nil
	}
	img.libsScan = d.stops + 1 // 0: never read
	img.libs = scanLibs(p.Pid(), p.Executable())
	for _, l := range img.libs {
		if pc >= l.lo && pc < l.hi {
			return l
		}
	}
	return nil
}

// scanLibs reads the ELF files mapped in pid other than exe.
func scanLibs(pid int, exe string) []*lib {
	maps, err := native.Mappings(pid)
	if err != nil {
		return nil
	}
	byPath := map[string]*lib{}
	var order []string
	for _, m := range maps {
		if !strings.HasPrefix(m.Path, "/") || m.Path == exe {
			continue
		}
		start, end, off, path := m.Start, m.End, m.Offset, m.Path
		l := byPath[path]
		if l == nil {
			l = &lib{path: path, lo: start, hi: end}
			byPath[path] = l
			order = append(order, path)
		}
		l.lo, l.hi = min(l.lo, start), max(l.hi, end)
		if off == 0 && l.bias == 0 {
			l.bias = start // corrected below by the first segment's address
		}
	}
	var out []*lib
	for _, path := range order {
		l := byPath[path]
		tab := openLib(path)
		if tab == nil {
			continue
		}
		l.tab = tab
		l.bias -= firstLoadVaddr(tab.ELF())
		out = append(out, l)
	}
	return out
}

// firstLoadVaddr is the page-aligned address of the segment holding file
// offset 0 (0 for every ordinary shared object).
func firstLoadVaddr(f *elf.File) uint64 {
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && p.Off == 0 {
			return p.Vaddr &^ 0xfff
		}
	}
	return 0
}

// libLocation describes a pc inside a shared library.
func (d *Debugger) libLocation(p proc.Process, img *image, pc uint64) (api.Location, bool) {
	l := d.libAt(p, img, pc)
	if l == nil {
		return api.Location{}, false
	}
	loc := api.Location{PC: pc, Library: l.path}
	file, line, fn := l.tab.PCToLine(pc - l.bias)
	if fn == nil {
		fn = l.tab.PCToFunc(pc - l.bias)
	}
	if fn == nil {
		return loc, true // a function the library does not export
	}
	loc.Function, loc.Offset = fn.Name, pc-l.bias-fn.Entry
	loc.File, loc.Line = file, line
	return loc, true
}

// stackImages are the executable and its libraries, for the unwinder.
func (d *Debugger) stackImages(tab *symbols.Table) []stack.Image {
	imgs := []stack.Image{{Table: tab, Bias: d.bias()}}
	for _, l := range d.tgt.img.libs {
		imgs = append(imgs, stack.Image{Table: l.tab, Bias: l.bias})
	}
	return imgs
}

// resolveInLibs finds a function spec in the process's shared libraries
// (loading the list anew), at the function's entry.
func (d *Debugger) resolveInLibs(img *image, p proc.Process, s locspec.Spec) ([]locspec.Location, bool) {
	if s.Kind != locspec.FuncSpec || d.isCore {
		return nil, false
	}
	img.libsScan = 0
	d.libAt(p, img, 0) // re-reads the mappings
	var out []locspec.Location
	for _, l := range img.libs {
		if fn, err := l.tab.LookupFunc(s.Func); err == nil {
			out = append(out, locspec.Location{PC: fn.Entry + l.bias})
		}
	}
	return out, len(out) > 0
}

// dynamicallyLinked reports whether the program has a dynamic loader
// (PT_INTERP): functions may then come with libraries loaded later.
func dynamicallyLinked(tab *symbols.Table) bool {
	for _, p := range tab.ELF().Progs {
		if p.Type == elf.PT_INTERP {
			return true
		}
	}
	return false
}

// setSolibHook puts an internal breakpoint on the dynamic loader's
// _dl_debug_state, which the loader calls after each change to the list
// of loaded libraries (the r_debug protocol gdb uses): there, pending
// breakpoints are resolved again in the new libraries.
//
// It is set only while some breakpoint is pending: a program nobody asks
// about is not touched.
func (d *Debugger) setSolibHook() {
	t := d.tgt
	if d.isCore || t.img.solibHook != 0 || !d.anyPending(t.img) || t.img.table(t.p) == nil || !dynamicallyLinked(t.img.table(t.p)) {
		return
	}
	t.img.libsScan = 0
	d.libAt(t.p, t.img, 0)
	for _, l := range t.img.libs {
		if !strings.Contains(filepath.Base(l.path), "ld-linux") {
			continue
		}
		fn, err := l.tab.LookupFunc("_dl_debug_state")
		if err != nil {
			return
		}
		addr := fn.Entry + l.bias
		if err := d.setBP(t.p, addr, ownSolibHook, nil); err == nil {
			t.img.solibHook = addr
		}
		return
	}
}

// anyPending reports whether a code breakpoint has no address in img.
func (d *Debugger) anyPending(img *image) bool {
	if d.bp == nil {
		return false
	}
	for _, b := range d.bp.byID {
		if b.catch == nil {
			if s := img.sites[b.ID]; s == nil || len(s.addrs) == 0 {
				return true
			}
		}
	}
	return false
}

// solibEvent handles a stop at the loader's hook: the libraries changed,
// so every breakpoint is resolved again (pending ones may now be set).
func (d *Debugger) solibEvent(st *proc.Stop) bool {
	t := d.targets[st.Pid]
	if t == nil || st.Reason != proc.StopBreakpoint || t.img.solibHook == 0 || st.Addr != t.img.solibHook {
		return false
	}
	t.img.libsScan = 0
	d.libAt(t.p, t.img, 0)
	d.rearmPending(t.img, t.p)
	return true
}

// rearmPending resolves the breakpoints still pending in img and sets
// those now found.
func (d *Debugger) rearmPending(img *image, p proc.Process) {
	for _, b := range d.sortedBreakpoints() {
		if b.catch != nil {
			continue
		}
		if s := img.sites[b.ID]; s != nil && len(s.addrs) > 0 {
			continue
		}
		s, err := d.resolveSite(img, p, b.Spec)
		if err != nil || len(s.addrs) == 0 {
			continue
		}
		if d.bindSite(b, img, p, s) != nil {
			continue
		}
		img.sites[b.ID] = s
		for _, a := range s.addrs {
			img.byAddr[a] = b
		}
		d.armImage(b, img)
		where := b.Spec
		if l := d.libAt(p, img, s.addrs[0]); l != nil {
			where += " in " + filepath.Base(l.path)
		}
		d.note(api.Event{Kind: "breakpoint-resolved", Pid: p.Pid(), Text: fmt.Sprintf("Breakpoint %d set at %s", b.ID, where)})
	}
}

// Libraries lists the shared objects mapped in the current target now.
func (d *Debugger) Libraries() ([]api.Library, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.live()
	if err != nil {
		return nil, err
	}
	if d.isCore {
		return nil, fmt.Errorf("libraries needs a live process")
	}
	img := d.tgt.img
	img.libsScan = 0
	d.libAt(p, img, 0)
	var out []api.Library
	for _, l := range img.libs {
		out = append(out, api.Library{Path: l.path, Address: l.bias, Symbols: len(l.tab.Funcs()) > 0})
	}
	return out, nil
}
