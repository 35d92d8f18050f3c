package target

import (
	"debug/elf"
	"strings"
	"sync"

	"github.com/godbg/godbg/pkg/locspec"
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/symbols"
)

// Shared libraries: locations and stacks inside libc, ld.so and the
// rest name their functions (and lines, with debug information) instead
// of "??". A process's libraries come from its backend's mappings
// (/proc/<pid>/maps, or a core file's NT_FILE note), read again when a
// pc is in none of the known ones (dlopen), at most once per stop.

// Lib is one shared object mapped in the process.
type Lib struct {
	Path   string
	Lo, Hi uint64 // the address range of its mappings
	Bias   uint64
	Table  *symbols.Table
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

// Libs are the libraries read so far.
func (img *Image) Libs() []*Lib { return img.libs }

// ForgetLibs drops the libraries (a new process runs the image).
func (img *Image) ForgetLibs() { img.libs, img.libsScan = nil, 0 }

// LibAt returns the library mapped at pc in p (nil: none). stop (> 0)
// numbers the debugger's stops: the mappings are read again at most once
// per stop.
func (img *Image) LibAt(p proc.Inspector, pc uint64, stop int) *Lib {
	for _, l := range img.libs {
		if pc >= l.Lo && pc < l.Hi {
			return l
		}
	}
	if img.libsScan == stop {
		return nil
	}
	img.libsScan = stop
	img.libs = scanLibs(p)
	for _, l := range img.libs {
		if pc >= l.Lo && pc < l.Hi {
			return l
		}
	}
	return nil
}

// RescanLibs reads the process's libraries again (the loader changed
// them) at stop number stop.
func (img *Image) RescanLibs(p proc.Inspector, stop int) []*Lib {
	img.libsScan = 0
	img.LibAt(p, 0, stop)
	return img.libs
}

// scanLibs reads the ELF files mapped in p other than its executable:
// those the backend lists (a live process's /proc/<pid>/maps, a core's
// NT_FILE note).
func scanLibs(p proc.Inspector) []*Lib {
	mp, ok := p.(proc.Mapper)
	if !ok {
		return nil
	}
	maps, err := mp.Mappings()
	if err != nil {
		return nil
	}
	exe := p.Executable()
	byPath := map[string]*Lib{}
	var order []string
	for _, m := range maps {
		if !strings.HasPrefix(m.Path, "/") || m.Path == exe {
			continue
		}
		start, end, off, path := m.Start, m.End, m.Offset, m.Path
		l := byPath[path]
		if l == nil {
			l = &Lib{Path: path, Lo: start, Hi: end}
			byPath[path] = l
			order = append(order, path)
		}
		l.Lo, l.Hi = min(l.Lo, start), max(l.Hi, end)
		if off == 0 && l.Bias == 0 {
			l.Bias = start // corrected below by the first segment's address
		}
	}
	var out []*Lib
	for _, path := range order {
		l := byPath[path]
		tab := openLib(path)
		if tab == nil {
			continue
		}
		l.Table = tab
		l.Bias -= firstLoadVaddr(tab.ELF())
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

// Location is where a pc is in a library.
func (l *Lib) Location(pc uint64) (fn *symbols.Func, file string, line int) {
	file, line, fn = l.Table.PCToLine(pc - l.Bias)
	if fn == nil {
		fn = l.Table.PCToFunc(pc - l.Bias)
	}
	return fn, file, line
}

// ResolveInLibs finds a function spec in p's shared libraries (read
// anew at stop number stop), at the function's entry.
func (img *Image) ResolveInLibs(p proc.Inspector, s locspec.Spec, stop int) ([]locspec.Location, bool) {
	var out []locspec.Location
	switch s.Kind {
	case locspec.FuncSpec:
		for _, l := range img.RescanLibs(p, stop) {
			if fn, err := l.Table.LookupFunc(s.Func); err == nil {
				out = append(out, locspec.Location{PC: fn.Entry + l.Bias})
			}
		}
	case locspec.FileLineSpec, locspec.FuncLineSpec:
		// stepb: a source line of a library with DWARF, such as a Go
		// plugin (Delve's TestBreakpointMaterializedEvent).
		for _, l := range img.RescanLibs(p, stop) {
			locs, err := locspec.Resolve(s, l.Table, "", 0)
			if err != nil {
				continue
			}
			for _, loc := range locs {
				loc.PC += l.Bias
				out = append(out, loc)
			}
		}
	}
	return out, len(out) > 0
}

// DynamicallyLinked reports whether the program has a dynamic loader
// (PT_INTERP): functions may then come with libraries loaded later.
func DynamicallyLinked(tab *symbols.Table) bool {
	for _, p := range tab.ELF().Progs {
		if p.Type == elf.PT_INTERP {
			return true
		}
	}
	return false
}
