package variables

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/proctest"
	"github.com/godbg/godbg/pkg/symbols"
)

// fixStop is scopefix stopped at one breakpoint.
type fixStop struct {
	name  string
	tab   *symbols.Table
	p     proc.Process
	regs  proc.Registers
	bias  uint64
	pc    uint64   // run-time
	shown []string // "e" lines printed since the previous stop
}

func (s *fixStop) mem(addr uint64, buf []byte) error {
	n, err := s.p.ReadMemory(addr, buf)
	if err == nil && n < len(buf) {
		err = fmt.Errorf("short read at %#x", addr)
	}
	return err
}

// frame returns the scope of the stopped top frame.
func (s *fixStop) frame(t *testing.T) *Frame {
	t.Helper()
	f, err := NewFrame(s.tab, FrameConfig{PC: s.pc, Bias: s.bias, Regs: s.regs.DWARFRegister, Mem: s.mem})
	if err != nil {
		t.Fatalf("stop %s: NewFrame: %v", s.name, err)
	}
	return f
}

// markedLines returns the "// L:<name>" lines of scopefix.
func markedLines(t testing.TB) (file string, lines map[string]int) {
	file = filepath.Join(fixtures.Source("scopefix"), "main.go")
	return file, proctest.Markers(t, file)
}

// runScopefix builds scopefix with extra flags, sets a breakpoint at the
// link-time pcs breaks returns (name → pc; nil: every marked line) and
// calls visit at each stop. It returns the lines printed after the last.
func runScopefix(t *testing.T, extra []string, breaks func(tab *symbols.Table) map[string]uint64, visit func(s *fixStop)) []string {
	t.Helper()
	tg := proctest.Start(t, proctest.Config{Fixture: "scopefix", Flags: extra, Stdout: true})
	defer tg.Close()
	p, tab, bias := tg.P, tg.Tab(), tg.Bias()
	if breaks == nil {
		breaks = markedPCs(t)
	}
	names := map[uint64]string{}
	for name, pc := range breaks(tab) {
		names[pc+bias] = name
		if err := p.SetBreakpoint(pc+bias, nil); err != nil {
			t.Fatal(err)
		}
	}
	lines := tg.Lines
	for {
		st, err := p.Continue()
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason == proc.StopExited {
			break
		}
		if st.Reason != proc.StopBreakpoint {
			t.Fatalf("scopefix stopped with %+v, want a breakpoint", st)
		}
		th, _ := p.Thread(st.Tid)
		regs, err := th.Registers()
		if err != nil {
			t.Fatal(err)
		}
		s := &fixStop{name: names[st.Addr], tab: tab, p: p, regs: regs, bias: bias, pc: regs.PC()}
		s.shown = collectUntil(t, lines, "stop "+s.name, s.name != "" && breaksAreMarks(s.name))
		visit(s)
	}
	var rest []string
	for l := range lines {
		rest = append(rest, l)
	}
	return rest
}

// breaksAreMarks reports whether a stop comes with a "stop <name>" line:
// the marked lines do, pcs a test computed do not.
func breaksAreMarks(name string) bool { return !strings.HasPrefix(name, "pc:") }

func markedPCs(t *testing.T) func(tab *symbols.Table) map[string]uint64 {
	return func(tab *symbols.Table) map[string]uint64 {
		file, lines := markedLines(t)
		out := map[string]uint64{}
		for name, line := range lines {
			pcs, err := tab.LineToPCs(file, line)
			if err != nil {
				t.Fatal(err)
			}
			out[name] = pcs[0]
		}
		return out
	}
}

// collectUntil returns the "e" lines read before the line want (when
// wait is set; else none are read).
func collectUntil(t *testing.T, lines chan string, want string, wait bool) []string {
	t.Helper()
	if !wait {
		return nil
	}
	var shown []string
	timeout := time.After(20 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("scopefix output ended before %q", want)
			}
			if l == want {
				return shown
			}
			if strings.HasPrefix(l, "e ") {
				shown = append(shown, l[2:])
			}
		case <-timeout:
			t.Fatalf("no %q line from scopefix", want)
		}
	}
}
