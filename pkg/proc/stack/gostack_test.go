package stack_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/godbg/godbg/pkg/proc"
	. "github.com/godbg/godbg/pkg/proc/stack"
)

var optimized = []string{"-gcflags=all="}

// goChain stops stackfix in stop() after "chain:n" and checks the unwind
// against the fixture's own runtime.CallersFrames.
func goChain(t *testing.T, flags []string, n int) {
	s := launch(t, "stackfix", "main.go", flags, "chain:"+strconv.Itoa(n))
	s.breakAt(s.lineAddr("stop-here"), nil)
	th := s.next()
	start := time.Now()
	frames, err := s.unwind(th, 0)
	t.Logf("%d frames in %v", len(frames), time.Since(start))
	if err != nil {
		t.Fatalf("unwind: %v\n%s", err, dump(frames))
	}
	wants := append([]want{
		{fn: "main.stop", file: s.src, line: s.line("stop-here")},
		{fn: "main.report", file: s.src, line: s.line("call-stop")},
	}, s.reported("chain")...)
	checkFrames(t, frames, wants)
	checkShape(t, frames)
	for i := 1; i < len(frames); i++ {
		f := &frames[i]
		if f.Kind != KindCFI {
			t.Errorf("frame %d (%s) found by %v, want cfi", i, f.Func, f.Kind)
		}
		// Go functions with a frame keep their caller's rbp at CFA-16 and
		// point rbp there: the recovered rbp of every main.* frame.
		if f.Func != "main.main" && len(f.Func) > 5 && f.Func[:5] == "main." && f.BP != f.CFA-16 {
			t.Errorf("frame %d (%s): bp %#x, want CFA-16 = %#x", i, f.Func, f.BP, f.CFA-16)
		}
	}
	if last := frames[len(frames)-1]; last.Func != "runtime.goexit" || last.Err != nil {
		t.Errorf("last frame %s (err %v), want runtime.goexit", last.Func, last.Err)
	}
}

func TestGoChain(t *testing.T)          { goChain(t, nil, 20) }
func TestGoChainOptimized(t *testing.T) { goChain(t, optimized, 20) }

// TestGoInlined checks that the optimized build inlines main.mid into
// main.b, and the unwind shows it as its own frame.
func TestGoInlined(t *testing.T) {
	s := launch(t, "stackfix", "main.go", optimized, "chain:3")
	if _, err := s.tab.LookupFunc("main.mid"); err == nil {
		t.Fatal("main.mid was not inlined: the test needs another inlinable call")
	}
	s.breakAt(s.lineAddr("stop-here"), nil)
	frames, err := s.unwind(s.next(), 0)
	if err != nil {
		t.Fatal(err)
	}
	i := indexFunc(frames, "main.mid")
	if i < 0 || !frames[i].Inlined || frames[i+1].Func != "main.b" || frames[i+1].Inlined {
		t.Fatalf("no inlined main.mid in main.b:\n%s", dump(frames))
	}
	checkFrames(t, frames[i:i+2], []want{
		{fn: "main.mid", file: s.src, line: s.line("call-c")},
		{fn: "main.b", file: s.src, line: s.line("call-mid")},
	})
}
func TestGoDeep(t *testing.T) { goChain(t, nil, 1000) }

func TestGoDepthLimit(t *testing.T) {
	s := launch(t, "stackfix", "main.go", nil, "chain:100")
	s.breakAt(s.lineAddr("stop-here"), nil)
	th := s.next()
	frames, err := s.unwind(th, 10)
	if !errors.Is(err, ErrDepth) || len(frames) != 10 {
		t.Fatalf("depth 10: %d frames, err %v", len(frames), err)
	}
	if frames[9].Func != "main.c" || frames[9].CFA == 0 || frames[9].Err == nil {
		t.Errorf("last frame %s cfa %#x err %v", frames[9].Func, frames[9].CFA, frames[9].Err)
	}
}

func TestGoGoroutine(t *testing.T) {
	for _, flags := range [][]string{nil, optimized} {
		s := launch(t, "stackfix", "main.go", flags, "goroutine")
		s.breakAt(s.lineAddr("stop-here"), nil)
		th := s.next()
		frames, err := s.unwind(th, 0)
		if err != nil {
			t.Fatalf("unwind: %v\n%s", err, dump(frames))
		}
		wants := append([]want{
			{fn: "main.stop", file: s.src, line: s.line("stop-here")},
			{fn: "main.report", file: s.src, line: s.line("call-stop")},
		}, s.reported("goroutine")...)
		checkFrames(t, frames, wants)
		checkShape(t, frames)
	}
}

// TestGoSignal stops in the runtime's signal handler for a SIGUSR1 the
// program sent itself: the unwind goes from the signal stack through the
// kernel's signal frame (runtime.sigreturn__sigaction) back to the
// goroutine that made the system call.
func TestGoSignal(t *testing.T) {
	for _, flags := range [][]string{nil, optimized} {
		s := launch(t, "stackfix", "main.go", flags, "signal")
		s.breakAt(s.addr("runtime.sighandler", true), sigArg(10))
		th := s.next()
		frames, err := s.unwind(th, 0)
		if err != nil {
			t.Fatalf("unwind: %v\n%s", err, dump(frames))
		}
		checkShape(t, frames)
		i := indexFunc(frames, "runtime.sigreturn__sigaction")
		if i < 0 || i+1 >= len(frames) || !frames[i].Sigtramp || frames[i+1].Kind != KindSignal {
			t.Fatalf("no signal frame:\n%s", dump(frames))
		}
		checkFrames(t, frames[:i], []want{{fn: "runtime.sighandler"}, {fn: "runtime.sigtrampgo"}, {fn: "runtime.sigtramp"}})
		j := indexFunc(frames, "main.sig2")
		if j < 0 {
			t.Fatalf("no main.sig2 frame:\n%s", dump(frames))
		}
		// The fixture reports its stack after the signal.
		s.breakAt(s.lineAddr("stop-here"), nil)
		if err := s.p.ClearBreakpoint(s.addr("runtime.sighandler", true)); err != nil {
			t.Fatal(err)
		}
		s.next()
		tail := s.reported("signal") // main.sig2, main.sig1, main.main, runtime.main, runtime.goexit
		checkFrames(t, frames[j+1:], tail[1:])
		if frames[j].Line != s.line("raise") || frames[j].File != s.src {
			t.Errorf("main.sig2 at line %d, want %d", frames[j].Line, s.line("raise"))
		}
	}
}

// TestGoMorestack stops in runtime.newstack, on the system stack, while a
// goroutine's stack grows: the unwind switches back to the goroutine's
// stack through runtime.morestack and g.sched. Every hit, the runtime's
// own included, must unwind cleanly to an outermost frame.
func TestGoMorestack(t *testing.T) {
	s := launch(t, "stackfix", "main.go", nil, "grow:300")
	hits := 0
	s.breakAt(s.addr("runtime.newstack", true), nil)
	for hit := 0; ; hit++ {
		if hit == 200 {
			t.Fatal("no runtime.newstack hit for main.grow in 200 hits")
		}
		th := s.next()
		frames, err := s.unwind(th, 0)
		if err != nil {
			t.Fatalf("hit %d: %v\n%s", hit, err, dump(frames))
		}
		checkShape(t, frames)
		last := frames[len(frames)-1].Func
		if last != "runtime.goexit" && last != "runtime.mstart" && last != "runtime.rt0_go" {
			t.Fatalf("hit %d ends in %s:\n%s", hit, last, dump(frames))
		}
		if indexFunc(frames, "main.grow") < 0 {
			continue
		}
		checkFrames(t, frames[:2], []want{{fn: "runtime.newstack"}, {fn: "runtime.morestack"}})
		// The frame that called morestack, from its prologue: the line is
		// the function's.
		g, _ := s.tab.LookupFunc("main.grow")
		if f := &frames[2]; f.Func != "main.grow" || f.Kind != KindStackSwitch || f.Line != g.Line {
			t.Errorf("frame 2: %s, want main.grow at line %d found by a stack switch", describe(f), g.Line)
		}
		i := 3
		for ; i < len(frames) && frames[i].Func == "main.grow"; i++ {
			if frames[i].Line != s.line("call-grow-rec") {
				t.Errorf("frame %d: %s, want line %d", i, describe(&frames[i]), s.line("call-grow-rec"))
			}
		}
		checkFrames(t, frames[i:], []want{{fn: "main.growStart", file: s.src, line: s.line("call-grow")}, {fn: "runtime.goexit"}})
		t.Logf("hit %d: %d frames through morestack", hit, len(frames))
		hits++
		if hits < 3 {
			continue // later growths have deeper stacks to check
		}
		return
	}
}

func indexFunc(frames []Frame, fn string) int {
	for i := range frames {
		if frames[i].Func == fn {
			return i
		}
	}
	return -1
}

// sigArg is a breakpoint condition for a Go function's entry: its first
// integer argument (rax) is sig.
func sigArg(sig uint64) proc.BreakCond {
	return func(h proc.Hit) (bool, error) {
		r, err := h.Registers()
		if err != nil {
			return false, err
		}
		ax, err := r.DWARFRegister(RegRAX)
		return ax == sig, err
	}
}

// TestGoSystemstack stops in a function runtime.GC runs on the system
// stack: the unwind goes back to the goroutine through
// runtime.systemstack and g.sched (runtime.systemstack_switch).
func TestGoSystemstack(t *testing.T) {
	for _, flags := range [][]string{nil, optimized} {
		s := launch(t, "stackfix", "main.go", flags, "gc")
		// After the prologue, not at the entry: the program waits at this
		// breakpoint long enough for sysmon to ask the goroutine to yield;
		// the prologue's stack check then fails, and after morestack the
		// goroutine runs main.gcCall again from its entry, which would
		// hit an entry breakpoint a second time.
		s.breakAt(s.addr("main.gcCall", false), nil)
		s.next()
		s.breakAt(s.addr("runtime.stopTheWorldWithSema", true), nil)
		th := s.next()
		frames, err := s.unwind(th, 0)
		if err != nil {
			t.Fatalf("unwind: %v\n%s", err, dump(frames))
		}
		checkShape(t, frames)
		i := indexFunc(frames, "runtime.systemstack")
		if i < 0 || frames[i+1].Func != "runtime.systemstack_switch" || frames[i+1].Kind != KindStackSwitch {
			t.Fatalf("no switch from runtime.systemstack to the goroutine:\n%s", dump(frames))
		}
		j := indexFunc(frames, "main.gcCall")
		if j < 0 {
			t.Fatalf("no main.gcCall:\n%s", dump(frames))
		}
		checkFrames(t, frames[j:], []want{
			{fn: "main.gcCall", file: s.src, line: s.line("call-gc")},
			{fn: "main.main", file: s.src, line: s.line("call-gccall")},
			{fn: "runtime.main"},
			{fn: "runtime.goexit"},
		})
	}
}

// TestGoCgo stops in C code called from Go: the C frames unwind by
// .eh_frame, runtime.asmcgocall leads back from the system stack to the
// goroutine, and the Go frames follow.
func TestGoCgo(t *testing.T) {
	s := launch(t, "stackfix/cgo", "main.go", nil)
	var leaf uint64
	syms, _ := s.tab.ELF().Symbols()
	for _, sym := range syms {
		if sym.Name == "c_leaf" {
			leaf = sym.Value + s.bias
		}
	}
	if leaf == 0 {
		t.Fatal("no c_leaf symbol")
	}
	s.breakAt(leaf, nil)
	frames, err := s.unwind(s.next(), 0)
	if err != nil {
		t.Fatalf("unwind: %v\n%s", err, dump(frames))
	}
	checkShape(t, frames)
	i := indexFunc(frames, "runtime.asmcgocall")
	if i < 2 || frames[0].PC != leaf || frames[i+1].Kind != KindStackSwitch {
		t.Fatalf("no C frames, then runtime.asmcgocall and a switch to the goroutine:\n%s", dump(frames))
	}
	j := indexFunc(frames, "main.viaC")
	if j < 0 {
		t.Fatalf("no main.viaC:\n%s", dump(frames))
	}
	checkFrames(t, frames[:2], []want{{fn: "C.c_leaf"}, {fn: "C.c_outer"}})
	checkFrames(t, frames[j:], []want{
		{fn: "main.viaC", file: s.src, line: s.line("call-c")},
		{fn: "main.main", file: s.src, line: s.line("call-viac")},
		{fn: "runtime.main"}, {fn: "runtime.goexit"},
	})
}
