package expr

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/proctest"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/pkg/symbols"
)

// stop is scopefix stopped at one breakpoint, with the scope of its top
// frame.
type stop struct {
	name  string
	scope *FrameScope
	p     proc.Process
	shown [][2]string // expression, %v, printed since the previous stop
}

func fixtureFile() string { return filepath.Join(fixtures.Source("scopefix"), "main.go") }

// sourceLines returns the lines of scopefix marked "// L:<name>" and
// the line holding text.
func sourceLines(t testing.TB, text string) (marks map[string]int, line int) {
	b, err := os.ReadFile(fixtureFile())
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if text != "" && strings.TrimSpace(l) == text {
			line = i + 1
		}
	}
	return proctest.Markers(t, fixtureFile()), line
}

// runScopefix runs scopefix (built with extra flags) with a breakpoint
// at the first pc of each line in lines (name → line; nil: every marked
// line), calls visit at each stop and returns the output after the last.
func runScopefix(t *testing.T, extra []string, lines map[string]int, visit func(s *stop)) []string {
	t.Helper()
	marked := lines == nil
	if marked {
		lines, _ = sourceLines(t, "")
	}
	breaks := func(tab *symbols.Table) map[string]uint64 {
		out := map[string]uint64{}
		for name, line := range lines {
			pcs, err := tab.LineToPCs(fixtureFile(), line)
			if err != nil {
				t.Fatal(err)
			}
			out[name] = pcs[0]
		}
		return out
	}
	return runFixture(t, "scopefix", extra, breaks, marked, visit)
}

// runFixture runs a Go fixture with breakpoints at the link-time pcs
// breaks returns, calls visit at each stop (after reading the fixture's
// "e" lines up to "stop <name>" when marked) and returns the output
// after the last stop.
func runFixture(t *testing.T, fixture string, extra []string, breaks func(*symbols.Table) map[string]uint64, marked bool, visit func(s *stop)) []string {
	t.Helper()
	tg := proctest.Start(t, proctest.Config{Fixture: fixture, Flags: extra, Stdout: true})
	defer tg.Close()
	p, tab, bias := tg.P, tg.Tab(), tg.Bias()
	l, err := values.NewLoader(tab, bias)
	if err != nil {
		t.Fatal(err)
	}
	names := map[uint64]string{}
	for name, pc := range breaks(tab) {
		names[pc+bias] = name
		if err := p.SetBreakpoint(pc+bias, nil); err != nil {
			t.Fatal(err)
		}
	}
	out := tg.Lines
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
		mem := func(addr uint64, buf []byte) error {
			n, err := p.ReadMemory(addr, buf)
			if err == nil && n < len(buf) {
				err = fmt.Errorf("short read at %#x", addr)
			}
			return err
		}
		f, err := variables.NewFrame(tab, variables.FrameConfig{PC: regs.PC(), Bias: bias, Regs: regs.DWARFRegister, Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		s := &stop{name: names[st.Addr], scope: NewFrameScope(tab, f, l, p), p: p}
		if marked {
			s.shown = collectShown(t, out, "stop "+s.name)
		}
		visit(s)
	}
	var rest []string
	for l := range out {
		rest = append(rest, l)
	}
	return rest
}

// collectShown returns the "e" lines before the line want.
func collectShown(t *testing.T, lines chan string, want string) [][2]string {
	t.Helper()
	var shown [][2]string
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
			if expr, v, ok := strings.Cut(strings.TrimPrefix(l, "e "), "\t"); ok && strings.HasPrefix(l, "e ") {
				shown = append(shown, [2]string{expr, v})
			}
		case <-timeout:
			t.Fatalf("no %q line from scopefix", want)
		}
	}
}

// plain renders a value as fmt's %v does, for the kinds scopefix prints.
func plain(v *values.Value, top bool) string {
	if v.Err != nil {
		return "(unreadable " + v.Err.Error() + ")"
	}
	switch v.Kind {
	case reflect.String:
		return v.Str
	case reflect.Uintptr:
		return strconv.FormatUint(v.Uint, 10)
	case reflect.Array, reflect.Slice:
		var parts []string
		for _, c := range v.Children {
			parts = append(parts, plain(c, false))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case reflect.Struct:
		var parts []string
		for _, c := range v.Children {
			parts = append(parts, plain(c, false))
		}
		return "{" + strings.Join(parts, " ") + "}"
	case reflect.Map:
		var parts []string
		for i := 0; i < v.NumEntries(); i++ {
			k, e := v.Entry(i)
			parts = append(parts, plain(k, false)+":"+plain(e, false))
		}
		sort.Strings(parts) // scopefix's maps have string keys
		return "map[" + strings.Join(parts, " ") + "]"
	case reflect.Pointer:
		switch {
		case v.Base == 0:
			return "<nil>"
		case top && v.Elem() != nil:
			return "&" + plain(v.Elem(), false)
		}
		return fmt.Sprintf("%#x", v.Base)
	case reflect.Interface:
		if v.Elem() == nil {
			return "<nil>"
		}
		return plain(v.Elem(), top)
	}
	return values.Format(v)
}
