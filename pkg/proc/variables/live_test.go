package variables

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/proctest"
	"github.com/godbg/godbg/pkg/symbols"
)

// callLine is one "call ..." line printed by condfix before calling hot.
type callLine struct {
	i, counter int
	s          string
	f          float64
	b, p       bool
}

func parseCall(t *testing.T, line string) callLine {
	t.Helper()
	var c callLine
	var b, p string
	if _, err := fmt.Sscanf(line, "call i=%d s=%s f=%g b=%s p=%s counter=%d", &c.i, &c.s, &c.f, &b, &p, &c.counter); err != nil {
		t.Fatalf("bad fixture line %q: %v", line, err)
	}
	c.b = b == "true" || b == "1"
	c.p = p == "set"
	return c
}

// hitTarget runs the fixture to each hit of a breakpoint on fn and calls
// check with the binding's registers and memory and the fixture's line.
func hitTarget(t *testing.T, fixture, fn string, names []string, hits int, check func(b *Binding, regs Regs, mem Mem, c callLine)) {
	tg := proctest.Start(t, proctest.Config{Fixture: fixture, Args: []string{fmt.Sprint(hits + 1)}, Stdout: true})
	defer tg.Close()
	p, tab := tg.P, tg.Tab()
	f, err := tab.LookupFunc(fn)
	if err != nil {
		t.Fatal(err)
	}
	pc := tab.FirstStmtPC(f)
	b, err := Bind(tab, pc, names)
	if err != nil {
		t.Fatalf("Bind: %v", err)
	}
	bias := tg.Bias()
	b.SetLoadBias(bias)
	addr := pc + bias
	orig := make([]byte, 1)
	if _, err := p.ReadMemory(addr, orig); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		for l := range tg.Lines {
			if strings.HasPrefix(l, "call ") {
				lines <- l
			}
		}
		close(lines)
	}()
	mem := func(a uint64, buf []byte) error {
		_, err := p.ReadMemory(a, buf)
		return err
	}
	for hit := 0; hit < hits; hit++ {
		if _, err := p.WriteMemory(addr, []byte{0xcc}); err != nil {
			t.Fatal(err)
		}
		stop, err := p.Continue()
		if err != nil {
			t.Fatal(err)
		}
		if stop.Reason != proc.StopTrap {
			t.Fatalf("hit %d: stop %+v, want a trap", hit, stop)
		}
		th, _ := p.Thread(stop.Tid)
		regs := registerFile(t, th)
		var line string
		select {
		case line = <-lines:
		case <-time.After(10 * time.Second):
			t.Fatal("no call line from the fixture")
		}
		check(b, regs.Get, mem, parseCall(t, line))
		// Step over the breakpoint: restore, rewind, step, replant next loop.
		if _, err := p.WriteMemory(addr, orig); err != nil {
			t.Fatal(err)
		}
		if err := th.(proc.RegisterSetter).SetRegister("rip", addr); err != nil {
			t.Fatal(err)
		}
		if _, err := p.StepInstruction(stop.Tid); err != nil {
			t.Fatal(err)
		}
	}
}

// registerFile maps a thread's registers to DWARF numbers.
func registerFile(t *testing.T, th proc.Thread) *RegisterFile {
	t.Helper()
	regs, err := th.Registers()
	if err != nil {
		t.Fatal(err)
	}
	var rf RegisterFile
	for _, r := range regs.List(true) {
		if r.Bytes != nil {
			rf.SetBytes(r.Name, r.Bytes)
		} else {
			rf.Set(r.Name, r.Value)
		}
	}
	return &rf
}

func checkConds(t *testing.T, b *Binding, regs Regs, mem Mem, conds map[string]bool) {
	t.Helper()
	for src, want := range conds {
		e, err := compileCond(src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.EvalBool(e, regs, mem)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if got != want {
			t.Errorf("%s = %v, want %v", src, got, want)
		}
	}
}

var liveNames = []string{"i", "s", "f", "b", "p", "counter"}

func TestLiveGo(t *testing.T) {
	names := append(liveNames, "main.counter")
	hitTarget(t, "condfix", "main.hot", names, 12, func(b *Binding, regs Regs, mem Mem, c callLine) {
		checkConds(t, b, regs, mem, map[string]bool{
			"i == 7":                                c.i == 7,
			fmt.Sprintf("i == %d", c.i):             true,
			`s == "seven"`:                          c.s == "seven",
			fmt.Sprintf("s == %q", c.s):             true,
			"p != nil":                              c.p,
			"main.counter > 3":                      c.counter > 3,
			fmt.Sprintf("counter == %d", c.counter): true,
			"f > 1.5 && b":                          c.f > 1.5 && c.b,
			fmt.Sprintf("f == %g", c.f):             true,
			"b":                                     c.b,
		})
	})
}

func TestLiveC(t *testing.T) {
	hitTarget(t, "condfix.c", "hot", liveNames, 12, func(b *Binding, regs Regs, mem Mem, c callLine) {
		checkConds(t, b, regs, mem, map[string]bool{
			"i == 7":                    c.i == 7,
			fmt.Sprintf("i == %d", c.i): true,
			"p != nil":                  c.p,
			"s != nil":                  true,
			"counter > 3":               c.counter > 3,
			"f > 1.5 && b":              c.f > 1.5 && c.b,
			fmt.Sprintf("f == %g", c.f): true,
		})
	})
}

func TestBindErrors(t *testing.T) {
	bin := fixtures.Build(t, "condfix")
	tab, err := symbols.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	f, _ := tab.LookupFunc("main.hot")
	pc := tab.FirstStmtPC(f)
	_, err = Bind(tab, pc, []string{"nope"})
	var nv *NoVariableError
	if !errors.As(err, &nv) || !strings.Contains(err.Error(), "no variable nope in main.hot; it has: b, f, i, p, s") {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := Bind(tab, pc, []string{"words"}); !errors.Is(err, ErrUnsupportedType) || !strings.Contains(err.Error(), "[]string") {
		t.Errorf("slice variable: %v", err)
	}
	if _, err := Bind(tab, pc, []string{"label", "main.sink"}); err != nil {
		t.Errorf("package variables: %v", err)
	}
}
