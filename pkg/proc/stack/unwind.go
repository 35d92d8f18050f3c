package stack

import (
	"fmt"

	"github.com/godbg/godbg/pkg/symbols"
)

// MaxDepth is the number of frames Unwind returns at most, whatever depth
// it is given.
const MaxDepth = 1 << 16

// maxSwitches bounds the stack switches (signal frames, g0 to goroutine)
// of one unwind: they are the only steps allowed to move the stack
// pointer down, so a corrupt stack could otherwise loop through them.
const maxSwitches = 64

// Unwind returns the frames of a thread stopped with registers regs in the
// program tab describes, loaded with bias, innermost first, at most depth
// of them (depth <= 0: MaxDepth). The parsed call frame information of
// tab is cached across calls (see Forget).
//
// Unwinding ends normally at an outermost function (runtime.goexit,
// runtime.mstart, _start, a function whose return address is undefined
// in its call frame information) or at a zero return address. Otherwise
// the frames found are returned with an *Error saying why the next one
// could not be computed: ErrDepth when depth frames were not enough,
// ErrMemory, ErrBadStack, ErrNoUnwindInfo or ErrRule. Unwind never
// panics on a corrupt stack.
func Unwind(tab *symbols.Table, bias uint64, regs Regs, mem Memory, depth int) ([]Frame, error) {
	return UnwindImages([]Image{{Table: tab, Bias: bias}}, regs, mem, depth)
}

// UnwindImages is Unwind for a program made of several images: the
// executable and the shared libraries it loaded. A pc in no image is
// walked with the frame pointer.
func UnwindImages(imgs []Image, regs Regs, mem Memory, depth int) ([]Frame, error) {
	if depth <= 0 || depth > MaxDepth {
		depth = MaxDepth
	}
	return unwind(imgs, regs, mem, depth, nil)
}

// UnwindUntil is Unwind that stops after the first frame stop accepts
// (included), for callers that look for one frame: the first outside
// the runtime, say, in each of many goroutines.
func UnwindUntil(tab *symbols.Table, bias uint64, regs Regs, mem Memory, depth int, stop func(*Frame) bool) ([]Frame, error) {
	if depth <= 0 || depth > MaxDepth {
		depth = MaxDepth
	}
	return unwind([]Image{{Table: tab, Bias: bias}}, regs, mem, depth, stop)
}

func unwind(imgs []Image, regs Regs, mem Memory, depth int, stop func(*Frame) bool) ([]Frame, error) {
	w := &walker{mem: newPageCache(mem), stop: stop}
	defer w.mem.release()
	for _, img := range imgs {
		if img.Table != nil {
			w.imgs = append(w.imgs, loaded{im: imageFor(img.Table), bias: img.Bias})
		}
	}
	return w.walk(regs, depth)
}

type loaded struct {
	im   *image
	bias uint64
}

// walker is the state of one unwind.
type walker struct {
	imgs     []loaded
	mem      *pageCache
	switches int
	stop     func(*Frame) bool  // UnwindUntil's
	seen     map[[2]uint64]bool // (pc, sp) after each switch
	tried    map[uint64]bool    // pages searched for an in-memory image
	g0sp     map[uint64]uint64  // m → g0 sp of its next cgo callback (cgocallback.go)
}

// find returns the image whose code holds the run-time pc, looking for
// one in memory (the vDSO) if no image given covers it.
func (w *walker) find(pc uint64) *loaded {
	for i := range w.imgs {
		if l := &w.imgs[i]; l.im.contains(pc - l.bias) {
			return l
		}
	}
	return w.discover(pc)
}

func (w *walker) walk(regs Regs, depth int) ([]Frame, error) {
	frames := make([]Frame, 0, min(depth, 8))
	f := w.newFrame(regs, KindTop, false)
	for {
		next, kind, more, err := w.caller(&f)
		if err == nil && more {
			err = w.check(&f, &next, kind)
		}
		frames = w.appendInlined(frames, f)
		if w.stop != nil && w.stop(&frames[len(frames)-1]) {
			return truncate(frames, depth), nil
		}
		switch {
		case f.Func == "runtime.clone" && (err != nil || more && w.find(next.PC()) == nil):
			// A thread just made by clone, on its new stack: nothing
			// called it, its frame is the outermost.
			return truncate(frames, depth), nil
		case err != nil:
			return stopped(frames, depth, &f, err)
		// A zero return address ends the stack; a signal can interrupt pc 0.
		case !more || next.PC() == 0 && kind != KindSignal:
			return truncate(frames, depth), nil
		case len(frames) >= depth:
			return stopped(frames, depth, &f, fmt.Errorf("%w (%d)", ErrDepth, depth))
		}
		f = w.newFrame(next, kind, f.Func == "runtime.sigpanic")
	}
}

// stopped ends an unwind that could not go past f: the frames, at most
// depth of them, the last one carrying the error.
func stopped(frames []Frame, depth int, f *Frame, err error) ([]Frame, error) {
	frames = truncate(frames, depth)
	e := &Error{PC: f.PC, CFA: f.CFA, Func: f.Func, Err: err}
	frames[len(frames)-1].Err = e
	return frames, e
}

// truncate keeps the first depth frames.
func truncate(frames []Frame, depth int) []Frame {
	if len(frames) > depth {
		return frames[:depth]
	}
	return frames
}

// appendInlined appends f, preceded by a frame for each call inlined at
// its pc, innermost first: the innermost gets f's line, each outer one
// the position of the call it inlined.
func (w *walker) appendInlined(frames []Frame, f Frame) []Frame {
	pc := f.lookupPC()
	l := w.find(pc)
	if l == nil || f.Entry == 0 || f.Sigtramp {
		return append(frames, f)
	}
	calls := l.im.inlinedAt(f.Entry-l.bias, pc-l.bias)
	for i := len(calls) - 1; i >= 0; i-- {
		in := f
		in.Func, in.Inlined, in.Err = calls[i].name, true, nil
		frames = append(frames, in)
		f.File, f.Line = calls[i].callFile, calls[i].callLine
	}
	return append(frames, f)
}

// check rejects a caller whose stack pointer is not above the callee's
// (the stack grows down) unless a switch of stacks explains it, and
// switches that loop.
func (w *walker) check(f *Frame, next *Regs, kind Kind) error {
	sp := next.SP()
	if kind == KindSignal || kind == KindStackSwitch {
		key := [2]uint64{next.PC(), sp}
		if w.seen == nil {
			w.seen = map[[2]uint64]bool{}
		}
		if w.switches++; w.switches > maxSwitches || w.seen[key] {
			return fmt.Errorf("%w: stack switches loop", ErrBadStack)
		}
		w.seen[key] = true
		return nil
	}
	if sp <= f.SP {
		return fmt.Errorf("%w: caller's stack pointer %#x is not above %#x", ErrBadStack, sp, f.SP)
	}
	return nil
}

// newFrame builds the frame for registers reached by kind and names it.
func (w *walker) newFrame(regs Regs, kind Kind, faulted bool) Frame {
	f := Frame{PC: regs.PC(), SP: regs.SP(), BP: regs.BP(), Regs: regs, Kind: kind, Faulted: faulted}
	f.Sigtramp = w.isSigtramp(f.PC)
	pc := f.lookupPC()
	l := w.find(pc)
	if l == nil {
		return f
	}
	li := l.im.lineAt(pc - l.bias)
	if li.fn != "" {
		f.Func, f.Entry = li.fn, li.entry+l.bias
	}
	f.File, f.Line = li.file, li.line
	return f
}

// caller computes the registers of f's caller and how they were found;
// more is false when f is outermost. It sets f.CFA.
func (w *walker) caller(f *Frame) (regs Regs, kind Kind, more bool, err error) {
	if f.Sigtramp {
		f.CFA = f.SP
		regs, err = w.sigcontext(f.SP)
		return regs, KindSignal, err == nil, err
	}
	if (f.Kind == KindTop || f.Kind == KindSignal) && f.PC == 0 {
		return w.calledNil(f)
	}
	pc := f.lookupPC()
	l := w.find(pc)
	if l == nil {
		regs, more, err = w.framePointer(f)
		return regs, KindFramePointer, more, err
	}
	class, _ := l.im.classify(pc - l.bias)
	switch {
	case class == classOutermost:
		return Regs{}, 0, false, nil
	case class == classMcall && l.im.isGo:
		// mcall's function runs on g0 and never returns: the goroutine
		// that called mcall is no longer this thread's business.
		if f.Kind != KindTop {
			return Regs{}, 0, false, nil
		}
		if _, m, err := w.g0Owner(l, f.SP); err != nil || m != 0 {
			return Regs{}, 0, false, err
		}
	case (class == classMorestack || class == classSystemstack || class == classAsmcgocall) && l.im.isGo:
		// The top frame may not have switched yet, or be back.
		regs, onG0, err := w.goroutineStack(l, f, class)
		if onG0 || err != nil {
			return regs, KindStackSwitch, err == nil && regs.PC() != 0, err
		}
	case class == classCgocallback && l.im.isGo && f.Kind != KindTop:
		if regs, ok, err := w.cgocallbackG0(l, f); ok || err != nil {
			return regs, KindStackSwitch, err == nil, err
		}
	}
	r := l.im.rowAt(pc - l.bias)
	if class == classVDSOCall && l.im.isGo && r != nil && r.err == nil &&
		(f.Kind != KindTop || l.im.inVDSOCall(pc-l.bias)) {
		return w.vdsoCaller(r, f)
	}
	if r == nil || r.err != nil {
		regs, more, err = w.framePointer(f)
		switch {
		case err != nil && r != nil:
			err = fmt.Errorf("%w (call frame information: %v)", err, r.err)
		case err != nil && l.im.cfiErr != nil:
			err = fmt.Errorf("%w (%v)", err, l.im.cfiErr)
		}
		return regs, KindFramePointer, more, err
	}
	regs, more, err = w.applyRow(r, f)
	return regs, KindCFI, more, err
}

// vdsoCaller unwinds a Go function that called into the vDSO on the g0
// stack (runtime.nanotime1, time.now, runtime.vgetrandom1): each keeps
// its own stack pointer in R12, which C code preserves, and its call frame
// information is relative to that stack pointer.
func (w *walker) vdsoCaller(r *row, f *Frame) (Regs, Kind, bool, error) {
	sp, ok := f.Regs.Get(RegR12)
	if !ok {
		return Regs{}, 0, false, fmt.Errorf("%w: R12, the stack pointer of a vDSO call, is not known", ErrRule)
	}
	g := *f
	g.Regs.Set(RegRSP, sp)
	regs, more, err := w.applyRow(r, &g)
	f.CFA = g.CFA
	return regs, KindStackSwitch, more, err
}

// calledNil handles a thread stopped (or interrupted by a signal) at pc 0,
// where a call through a nil function pointer lands: the return address
// is still on top of the stack.
func (w *walker) calledNil(f *Frame) (Regs, Kind, bool, error) {
	ra, err := w.mem.word(f.SP)
	if err != nil {
		return Regs{}, 0, false, err
	}
	f.CFA = f.SP + 8
	c := f.Regs
	c.keep(calleeSaved)
	c.Set(RegRSP, f.CFA)
	c.Set(RegRIP, ra)
	return c, KindCFI, true, nil
}

// framePointer finds the caller through the rbp chain: the saved rbp at
// [rbp] and the return address above it. A zero rbp ends the stack.
func (w *walker) framePointer(f *Frame) (Regs, bool, error) {
	bp, ok := f.Regs.Get(RegRBP)
	if !ok || bp == 0 {
		if ok {
			return Regs{}, false, nil
		}
		return Regs{}, false, ErrNoUnwindInfo
	}
	if bp < f.SP || bp&7 != 0 || bp-f.SP > 1<<30 {
		return Regs{}, false, fmt.Errorf("%w: rbp %#x is not a frame pointer (sp %#x)", ErrNoUnwindInfo, bp, f.SP)
	}
	saved, err := w.mem.word(bp)
	if err != nil {
		return Regs{}, false, err
	}
	ra, err := w.mem.word(bp + 8)
	if err != nil {
		return Regs{}, false, err
	}
	f.CFA = bp + 16
	return NewRegs(ra, bp+16, saved), true, nil
}
