package debugger

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/godbg/godbg/pkg/locspec"
	"github.com/godbg/godbg/pkg/proc"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/service/api"
)

// Shared libraries: locations and stacks inside libc, ld.so and the
// rest name their functions (and lines, with debug information) instead
// of "??". A process's libraries come from its mappings (a core file's
// from its NT_FILE note), read again when a pc is in none of the known
// ones (dlopen), at most once per stop (pkg/proc/target).

// libAt returns the library mapped at pc in p (nil: none); the mappings
// are read again at most once per stop.
func (d *Debugger) libAt(p proc.Inspector, img *image, pc uint64) *ptarget.Lib {
	if img.bin == nil {
		return nil
	}
	return img.bin.LibAt(p, pc, d.stops+1)
}

// rescanLibs reads the libraries of p again (the loader changed them).
func (d *Debugger) rescanLibs(p proc.Inspector, img *image) []*ptarget.Lib {
	if img.bin == nil {
		return nil
	}
	return img.bin.RescanLibs(p, d.stops+1)
}

// libLocation describes a pc inside a shared library.
func (d *Debugger) libLocation(p proc.Inspector, img *image, pc uint64) (api.Location, bool) {
	l := d.libAt(p, img, pc)
	if l == nil {
		return api.Location{}, false
	}
	loc := api.Location{PC: pc, Library: l.Path}
	fn, file, line := l.Location(pc)
	if fn == nil {
		return loc, true // a function the library does not export
	}
	loc.Function, loc.Offset = fn.Name, pc-l.Bias-fn.Entry
	loc.File, loc.Line = file, line
	return loc, true
}

// resolveInLibs finds a function spec in the process's shared libraries
// (loading the list anew), at the function's entry.
func (d *Debugger) resolveInLibs(img *image, p proc.Inspector, s locspec.Spec) ([]locspec.Location, bool) {
	if d.tgt.IsCore() || img.bin == nil {
		return nil, false
	}
	return img.bin.ResolveInLibs(p, s, d.stops+1)
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
	if d.tgt.IsCore() || t.img.solibHook != 0 || !d.anyPending(t.img) || t.img.table(t.Proc) == nil || !ptarget.DynamicallyLinked(t.img.table(t.Proc)) {
		return
	}
	for _, l := range d.rescanLibs(t.Proc, t.img) {
		if !strings.Contains(filepath.Base(l.Path), "ld-linux") {
			continue
		}
		fn, err := l.Table.LookupFunc("_dl_debug_state")
		if err != nil {
			return
		}
		addr := fn.Entry + l.Bias
		if err := t.SetBreaklet(addr, ptarget.OwnerSolibHook, nil); err == nil {
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
	t := d.group.Get(st.Pid)
	if t == nil || st.Reason != proc.StopBreakpoint || t.img.solibHook == 0 || st.Addr != t.img.solibHook {
		return false
	}
	d.rescanLibs(t.Proc, t.img)
	d.rearmPending(t.img, t.Proc)
	return true
}

// rearmPending resolves the breakpoints still pending in img and sets
// those now found.
func (d *Debugger) rearmPending(img *image, p proc.Inspector) {
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
			where += " in " + filepath.Base(l.Path)
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
	var out []api.Library
	for _, l := range d.rescanLibs(p, d.tgt.img) {
		out = append(out, api.Library{Path: l.Path, Address: l.Bias, Symbols: len(l.Table.Funcs()) > 0})
	}
	return out, nil
}
