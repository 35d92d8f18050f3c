package stack_test

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/godbg/godbg/pkg/proc"
	. "github.com/godbg/godbg/pkg/proc/stack"
	"github.com/godbg/godbg/pkg/symbols"
)

var static = []string{"-static"}

const cFixture = "stackc/sig.c"

func launchC(t *testing.T, flags []string, args ...string) *session {
	s := launch(t, cFixture, "", flags, args...)
	s.src = s.srcC()
	return s
}

func (s *session) srcC() string {
	path, err := s.tab.ResolveFile("sig.c")
	if err != nil {
		s.t.Fatal(err)
	}
	return path
}

// cMain is the end of a static C program's stack below main.
var cMain = []want{{fn: "__libc_start_call_main"}, {fn: "__libc_start_main_impl"}, {fn: "_start"}}

func TestCChain(t *testing.T) {
	s := launchC(t, static, "chain:30")
	s.breakAt(s.lineAddr("stop-here"), nil)
	frames, err := s.unwind(s.next(), 0)
	if err != nil {
		t.Fatalf("unwind: %v\n%s", err, dump(frames))
	}
	wants := []want{
		{fn: "stop_here", file: s.src, line: s.line("stop-here")},
		{fn: "rec", file: s.src, line: s.line("call-stop-rec")},
	}
	for i := 0; i < 30; i++ {
		wants = append(wants, want{fn: "rec", file: s.src, line: s.line("call-rec")})
	}
	wants = append(wants, want{fn: "c_b", file: s.src, line: s.line("call-rec-b")},
		want{fn: "c_a", file: s.src, line: s.line("call-b")},
		want{fn: "main", file: s.src, line: s.line("call-a")})
	checkFrames(t, frames, append(wants, cMain...))
	checkShape(t, frames)
	// gcc -O0 keeps rbp as the frame pointer: CFA-16 in every fixture frame.
	for i := 1; i < len(frames)-len(cMain); i++ {
		if f := &frames[i]; f.BP != f.CFA-16 {
			t.Errorf("frame %d (%s): bp %#x, want CFA-16 = %#x", i, f.Func, f.BP, f.CFA-16)
		}
	}
}

// ucLine is the fixture's "uc rip=… rsp=… rbp=…" line: the registers its
// handler found in the ucontext.
func ucLine(t *testing.T, s *session) (rip, rsp, rbp uint64) {
	l := s.expect("uc ")
	f := strings.Fields(l)
	vals := make([]uint64, 3)
	for i, kv := range f[1:] {
		_, v, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 16, 64)
		if err != nil || i >= 3 {
			t.Fatalf("bad line %q", l)
		}
		vals[i] = n
	}
	return vals[0], vals[1], vals[2]
}

// checkSignal checks a stack stopped in a handler: stop_here, the handler,
// the trampoline, then the interrupted frame with the ucontext's
// registers, and tail after the first frame of interest.
func checkSignal(t *testing.T, s *session, frames []Frame, handler, call string, first want, tail []want) {
	t.Helper()
	rip, rsp, rbp := ucLine(t, s)
	if len(frames) < 5 {
		t.Fatalf("%d frames:\n%s", len(frames), dump(frames))
	}
	checkFrames(t, frames[:2], []want{
		{fn: "stop_here", file: s.src, line: s.line("stop-here")},
		{fn: handler, file: s.src, line: s.line(call)},
	})
	tr := &frames[2]
	if !tr.Sigtramp || tr.Kind != KindCFI {
		t.Fatalf("frame 2 is %s, want the signal trampoline:\n%s", describe(tr), dump(frames))
	}
	in := &frames[3]
	if in.Kind != KindSignal || in.PC != rip || in.SP != rsp || in.BP != rbp {
		t.Errorf("interrupted frame %s sp %#x bp %#x, want pc %#x sp %#x bp %#x", describe(in), in.SP, in.BP, rip, rsp, rbp)
	}
	for r := 0; r < NumRegs; r++ {
		if _, ok := in.Regs.Get(r); !ok {
			t.Errorf("register %d not restored from the ucontext", r)
		}
	}
	i := indexFunc(frames, first.fn)
	if i < 0 {
		t.Fatalf("no %s:\n%s", first.fn, dump(frames))
	}
	checkFrames(t, frames[i:], append([]want{first}, tail...))
	checkShape(t, frames)
}

func TestCSignal(t *testing.T) {
	s := launchC(t, static, "raise", "segv", "altstack")
	s.breakAt(s.lineAddr("stop-here"), nil)
	tail := func(call string) []want {
		return append([]want{
			{fn: "outer", file: s.src, line: s.line("call-inner")},
			{fn: "main", file: s.src, line: s.line(call)},
		}, cMain...)
	}
	for _, tc := range []struct {
		name, handler, call string
		first               want
		tail                []want
	}{
		{"raise", "on_usr1", "call-stop-usr1", want{fn: "inner", file: s.src, line: s.line("call-raise")}, tail("call-outer")},
		{"segv", "on_segv", "call-stop-segv", want{fn: "crash", file: s.src, line: s.line("fault")}, append([]want{
			{fn: "outer_segv", file: s.src, line: s.line("call-crash")},
			{fn: "main", file: s.src, line: s.line("call-outer-segv")},
		}, cMain...)},
		{"altstack", "on_usr1", "call-stop-usr1", want{fn: "inner", file: s.src, line: s.line("call-raise")}, tail("call-outer-alt")},
	} {
		frames, err := s.unwind(s.next(), 0)
		if err != nil {
			t.Fatalf("%s: unwind: %v\n%s", tc.name, err, dump(frames))
		}
		checkSignal(t, s, frames, tc.handler, tc.call, tc.first, tc.tail)
		if tc.name == "segv" && indexFunc(frames, "crash") != 3 {
			t.Errorf("segv: crash is not the interrupted frame:\n%s", dump(frames))
		}
		if tc.name == "raise" && frames[2].Func != "__restore_rt" {
			t.Errorf("raise: trampoline %s", describe(&frames[2]))
		}
	}
}

// TestCSignalDynamic unwinds a dynamically linked program, whose
// trampoline and raise are in libc: with libc's image (from
// /proc/<pid>/maps) the whole stack is found; without it, the trampoline
// is recognised by its code and the unwind still reaches main.
func TestCSignalDynamic(t *testing.T) {
	s := launchC(t, nil, "raise", "segv")
	s.breakAt(s.lineAddr("stop-here"), nil)
	th := s.next()
	libc := libcImage(t, s.p.Pid())
	r, _ := th.Registers()
	regs, _ := RegsFrom(r)
	frames, err := UnwindImages([]Image{{s.tab, s.bias}, libc}, regs, s.p, 0)
	if err != nil {
		t.Fatalf("unwind: %v\n%s", err, dump(frames))
	}
	checkSignal(t, s, frames, "on_usr1", "call-stop-usr1", want{fn: "inner", file: s.src, line: s.line("call-raise")}, []want{
		{fn: "outer", file: s.src, line: s.line("call-inner")},
		{fn: "main", file: s.src, line: s.line("call-outer")},
		// __libc_start_call_main is a static function: not in .dynsym.
		{fn: ""}, {fn: "__libc_start_main"}, {fn: "_start"},
	})

	// The SIGSEGV, without libc's image.
	frames, err = s.unwind(s.next(), 0)
	t.Logf("without libc: %v\n%s", err, dump(frames))
	rip, rsp, _ := ucLine(t, s)
	if len(frames) < 6 || !frames[2].Sigtramp || frames[3].PC != rip || frames[3].SP != rsp {
		t.Fatalf("no signal frame:\n%s", dump(frames))
	}
	checkFrames(t, frames[3:6], []want{
		{fn: "crash", file: s.src, line: s.line("fault")},
		{fn: "outer_segv", file: s.src, line: s.line("call-crash")},
		{fn: "main", file: s.src, line: s.line("call-outer-segv")},
	})
}

// libcImage finds the C library mapped into pid and its load bias.
func libcImage(t *testing.T, pid int) Image {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || !strings.Contains(fields[5], "/libc.so") || fields[2] != "00000000" {
			continue
		}
		start, _, _ := strings.Cut(fields[0], "-")
		base, err := strconv.ParseUint(start, 16, 64)
		if err != nil {
			t.Fatal(err)
		}
		tab, err := symbols.Open(fields[5])
		if err != nil {
			t.Skipf("cannot read %s: %v", fields[5], err)
		}
		t.Cleanup(func() { Forget(tab); tab.Close() })
		// The first segment (file offset 0) is linked at the lowest address.
		var low uint64 = ^uint64(0)
		for _, p := range tab.ELF().Progs {
			if p.Type == 1 && p.Vaddr < low { // PT_LOAD
				low = p.Vaddr &^ 0xfff
			}
		}
		return Image{Table: tab, Bias: base - low}
	}
	t.Skip("no libc mapped")
	return Image{}
}

// TestCNilCall stops at the SIGSEGV of a call through a null function
// pointer: pc 0, the return address on top of the stack. Then the handler
// runs, and the interrupted frame is at pc 0 as well.
func TestCNilCall(t *testing.T) {
	s := launchC(t, static, "nilcall")
	st, err := s.p.Continue()
	if err != nil || st.Reason != proc.StopSignal || st.Signal != 11 {
		t.Fatalf("stop %+v, %v; want SIGSEGV", st, err)
	}
	th, _ := s.p.Thread(st.Tid)
	frames, err := s.unwind(th, 0)
	if err != nil {
		t.Fatalf("unwind: %v\n%s", err, dump(frames))
	}
	tail := append([]want{
		{fn: "call_nil", file: s.src, line: s.line("call-nil")},
		{fn: "outer_nil", file: s.src, line: s.line("call-call-nil")},
		{fn: "main", file: s.src, line: s.line("call-outer-nil")},
	}, cMain...)
	checkFrames(t, frames, append([]want{{fn: ""}}, tail...))
	checkShape(t, frames)

	s.breakAt(s.lineAddr("stop-here"), nil)
	frames, err = s.unwind(s.next(), 0)
	if err != nil {
		t.Fatalf("unwind: %v\n%s", err, dump(frames))
	}
	checkSignal(t, s, frames, "on_segv", "call-stop-segv", want{fn: "call_nil", file: s.src, line: s.line("call-nil")}, tail[1:])
}
