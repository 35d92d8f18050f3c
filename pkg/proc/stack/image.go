package stack

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/godbg/godbg/pkg/dwarf/frame"
	"github.com/godbg/godbg/pkg/symbols"
)

// Image is one loaded ELF object: its symbols and its load bias (run-time
// address minus link-time address; 0 for a non-PIE executable).
type Image struct {
	Table *symbols.Table
	Bias  uint64
}

// funcClass marks the functions the unwinder treats specially.
type funcClass uint8

const (
	classNone        funcClass = iota
	classOutermost             // nothing called it: stop after its frame
	classMorestack             // runtime.morestack: called in a prologue, runs newstack on g0
	classSystemstack           // runs a function on g0 for a goroutine, saving its state like systemstack
	classMcall                 // runtime.mcall: switches to g0 for good
	classSwitched              // runtime.systemstack_switch: a goroutine's pc while on g0
	classSigtramp              // signal-return trampoline
	classVDSOCall              // Go function calling the vDSO on g0
	classCgocallback           // runtime.cgocallback: C calling Go, from g0 to the goroutine (cgocallback.go)
	classAsmcgocall            // runtime.asmcgocall: like classSystemstack, its g saved on g0 (cgocallback.go)
)

// specialFuncs classifies functions by name (a Go assembly function's
// ".abi0" suffix removed).
var specialFuncs = map[string]funcClass{
	"runtime.goexit":   classOutermost,
	"runtime.mstart":   classOutermost,
	"runtime.rt0_go":   classOutermost,
	"_rt0_amd64":       classOutermost,
	"_rt0_amd64_linux": classOutermost,
	"_start":           classOutermost,
	// runtime.gogo's static half switches rsp to the goroutine's saved sp
	// and jumps to its saved pc: between the two nothing above it is a
	// caller (it never returns), so a stack halted there ends with it.
	"gogo":                         classOutermost,
	"runtime.morestack":            classMorestack,
	"runtime.morestack_noctxt":     classMorestack,
	"runtime.systemstack":          classSystemstack,
	"runtime.asmcgocall":           classAsmcgocall,
	"runtime.cgocallback":          classCgocallback,
	"runtime.systemstack_switch":   classSwitched,
	"runtime.mcall":                classMcall,
	"runtime.sigreturn__sigaction": classSigtramp,
	"__restore_rt":                 classSigtramp,
	"runtime.nanotime1":            classVDSOCall,
	"time.now":                     classVDSOCall,
	"runtime.vgetrandom1":          classVDSOCall,
}

// span is a link-time address range [lo, hi).
type span struct{ lo, hi uint64 }

// image is what the unwinder derives from one symbols.Table, once: the
// parsed call frame tables, the executable ranges, the special functions,
// and caches filled as pcs are seen. It is safe for concurrent use.
type image struct {
	tab     *symbols.Table
	isGo    bool
	cfi     []*frame.Table // .debug_frame first, then .eh_frame
	goCFI   *frame.Table   // the Go linker's .debug_frame (no rbp rules)
	cfiErr  error          // a section that failed to parse
	text    []span
	special map[uint64]funcClass // link-time entry → class
	code    []*elf.Section       // executable sections, for prologue bytes

	rows  rowCache
	lines lineCache
	rt    goRuntimeOnce
	inl   inlineIndex
}

// imageKey keys the unwinding data among the Table's derived data: it
// lives as long as the Table (symbols.Table.Derived).
type imageKey struct{}

// imageFor returns the unwinding data of tab, building it on first use.
func imageFor(tab *symbols.Table) *image {
	return tab.Derived(imageKey{}, func() any { return loadImage(tab) }).(*image)
}

// Forget drops the unwinding data of tab: the next unwind builds it again
// (benchmarks of a cold start).
func Forget(tab *symbols.Table) { tab.ForgetDerived(imageKey{}) }

func loadImage(tab *symbols.Table) *image {
	im := &image{tab: tab, isGo: tab.IsGo(), special: map[uint64]funcClass{}}
	im.rows.init()
	f := tab.ELF()
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && p.Flags&elf.PF_X != 0 {
			im.text = append(im.text, span{p.Vaddr, p.Vaddr + p.Memsz})
		}
	}
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_EXECINSTR != 0 && s.Type == elf.SHT_PROGBITS {
			im.code = append(im.code, s)
		}
	}
	for name, entry := range tab.FuncNames {
		if c, ok := specialFuncs[strings.TrimSuffix(name, ".abi0")]; ok {
			im.special[entry] = c
		}
	}
	im.cfiErr = im.loadCFI(tab)
	return im
}

// loadCFI parses .debug_frame and .eh_frame, whichever exist; a section
// that fails to parse is skipped and its error kept.
func (im *image) loadCFI(tab *symbols.Table) error {
	var firstErr error
	data, err := tab.DebugSection("frame")
	if err == nil && data != nil {
		var t *frame.Table
		if t, err = frame.Parse(data, binary.LittleEndian, false, 0); err == nil {
			im.cfi = append(im.cfi, t)
			if im.isGo {
				im.goCFI = t
			}
		}
	}
	if err != nil {
		firstErr = fmt.Errorf("%s: .debug_frame: %w", tab.Path(), err)
	}
	if s := tab.ELF().Section(".eh_frame"); s != nil && s.Type != elf.SHT_NOBITS {
		data, err := s.Data()
		var t *frame.Table
		if err == nil {
			t, err = frame.Parse(data, binary.LittleEndian, true, s.Addr)
		}
		if err == nil {
			im.cfi = append(im.cfi, t)
		} else if firstErr == nil {
			firstErr = fmt.Errorf("%s: .eh_frame: %w", tab.Path(), err)
		}
	}
	return firstErr
}

// contains reports whether the link-time pc lies in executable code.
func (im *image) contains(pc uint64) bool {
	for _, s := range im.text {
		if pc >= s.lo && pc < s.hi {
			return true
		}
	}
	return false
}

// classify returns the class of the function containing the link-time pc.
func (im *image) classify(pc uint64) (funcClass, *symbols.Func) {
	fn := im.tab.PCToFunc(pc)
	if fn == nil {
		return classNone, nil
	}
	return im.special[fn.Entry], fn
}

// fde finds the FDE covering the link-time pc in any table.
func (im *image) fde(pc uint64) (*frame.FDE, *frame.Table) {
	for _, t := range im.cfi {
		if f, err := t.FDEFor(pc); err == nil {
			return f, t
		}
	}
	return nil, nil
}

// readCode reads link-time code bytes from the file (never from memory,
// where breakpoints may hide them).
func (im *image) readCode(addr uint64, buf []byte) bool {
	for _, s := range im.code {
		if addr >= s.Addr && addr+uint64(len(buf)) <= s.Addr+s.Size {
			n, err := s.ReadAt(buf, int64(addr-s.Addr))
			return err == nil && n == len(buf)
		}
	}
	return false
}

// MOVQ SP, R12 and MOVQ R12, SP: how the Go functions that call the vDSO
// keep their stack pointer while on g0.
var (
	saveSPToR12     = []byte{0x49, 0x89, 0xe4}
	restoreSPFrom12 = []byte{0x4c, 0x89, 0xe4}
)

// inVDSOCall reports whether the link-time pc, in a function of class
// classVDSOCall, lies after its MOVQ SP, R12 and up to its MOVQ R12, SP,
// where R12 rather than SP holds its stack pointer.
func (im *image) inVDSOCall(pc uint64) bool {
	fn := im.tab.PCToFunc(pc)
	if fn == nil || fn.End-fn.Entry > 1024 {
		return false
	}
	code := make([]byte, fn.End-fn.Entry)
	if !im.readCode(fn.Entry, code) {
		return false
	}
	save := bytes.Index(code, saveSPToR12)
	if save < 0 {
		return false
	}
	restore := bytes.Index(code[save:], restoreSPFrom12)
	if restore < 0 {
		return false
	}
	off := pc - fn.Entry
	return off >= uint64(save+len(saveSPToR12)) && off <= uint64(save+restore)
}
