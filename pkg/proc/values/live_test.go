package values

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/proctest"
	"github.com/godbg/godbg/pkg/symbols"
)

// live is the valfix process stopped at main.stop, shared by the tests
// of this package (they only read it, or restore what they write).
type live struct {
	tg   *proctest.Fixture
	tab  *symbols.Table
	p    proc.Process
	l    *Loader
	vars []fixVar // "v" lines, in order
	byN  map[string]fixVar
	fns  map[string]string    // "f" lines: variable → function name
	chs  map[string][3]string // "c" lines: len, cap, %#v of items
	errs map[string]string    // "e" lines: variable → Error()
}

// fixVar is one "v <name>\t<type>\t<%#v>" line.
type fixVar struct {
	name, typ, gosyntax string
}

var (
	liveOnce sync.Once
	liveFix  *live
	liveErr  error
)

// TestMain kills the shared fixture process when the tests are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if liveFix != nil {
		liveFix.tg.Close()
	}
	os.Exit(code)
}

// valfix returns the shared stopped fixture, starting it on first use.
func valfix(t testing.TB) *live {
	t.Helper()
	liveOnce.Do(func() { liveFix, liveErr = startValfix() })
	if liveErr != nil {
		t.Fatal(liveErr)
	}
	return liveFix
}

// startValfix builds valfix with extra build flags, runs it to main.stop
// and collects its lines.
func startValfix(extra ...string) (*live, error) {
	tg, err := proctest.Open(proctest.Config{Fixture: "valfix", Flags: extra, Stdout: true})
	if err != nil {
		return nil, err
	}
	lv := &live{tg: tg, tab: tg.Tab(), p: tg.P, byN: map[string]fixVar{}, fns: map[string]string{}, chs: map[string][3]string{}, errs: map[string]string{}}
	if err := lv.runToStop(); err != nil {
		tg.Close()
		return nil, err
	}
	return lv, nil
}

// runToStop sets a breakpoint on main.stop, continues to it and collects
// the fixture's lines.
func (lv *live) runToStop() error {
	bias := lv.tg.Bias()
	var err error
	if lv.l, err = NewLoader(lv.tab, bias); err != nil {
		return err
	}
	fn, err := lv.tab.LookupFunc("main.stop")
	if err != nil {
		return err
	}
	if err := lv.p.SetBreakpoint(lv.tab.FirstStmtPC(fn)+bias, nil); err != nil {
		return err
	}
	st, err := lv.p.Continue()
	if err != nil {
		return err
	}
	if st.Reason != proc.StopBreakpoint {
		return fmt.Errorf("valfix stopped with %+v, want the breakpoint on main.stop", st)
	}
	return lv.collect(lv.tg.Lines)
}

func (lv *live) collect(lines chan string) error {
	timeout := time.After(20 * time.Second)
	for {
		var l string
		var ok bool
		select {
		case l, ok = <-lines:
			if !ok {
				return fmt.Errorf("valfix output ended before its ready line")
			}
		case <-timeout:
			return fmt.Errorf("valfix printed no ready line within 20s")
		}
		f := strings.SplitN(l, "\t", 4)
		kind, name, _ := strings.Cut(f[0], " ")
		switch {
		case kind == "ready":
			return nil
		case kind == "v" && len(f) == 3:
			v := fixVar{name: name, typ: f[1], gosyntax: f[2]}
			lv.vars = append(lv.vars, v)
			lv.byN[name] = v
		case kind == "f" && len(f) == 2:
			lv.fns[name] = f[1]
		case kind == "c" && len(f) == 4:
			lv.chs[name] = [3]string{f[1], f[2], f[3]}
		case kind == "e" && len(f) == 2:
			lv.errs[name] = f[1]
		default:
			return fmt.Errorf("unexpected valfix line %q", l)
		}
	}
}

// load reads the package variable main.<name>.
func (lv *live) load(t testing.TB, name string, cfg LoadConfig) *Value {
	t.Helper()
	v, err := lv.l.LoadGlobal(lv.p, "main."+name, cfg)
	if err != nil {
		t.Fatalf("LoadGlobal(main.%s): %v", name, err)
	}
	return v
}
