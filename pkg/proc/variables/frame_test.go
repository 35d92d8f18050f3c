package variables

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/symbols"
)

// varDesc is what a test expects of one FrameVar.
type varDesc struct {
	name     string
	kind     VarKind
	depth    int
	shadowed bool
	indirect bool
	typ      string
}

func describe(vs []*FrameVar) []varDesc {
	out := make([]varDesc, len(vs))
	for i, v := range vs {
		out[i] = varDesc{v.Name, v.Kind, v.Depth, v.Shadowed, v.Indirect, values.TypeName(v.Type)}
	}
	return out
}

// frameWant is what each marked stop of scopefix must show.
var frameWant = map[string]struct {
	fn     string
	args   []varDesc
	locals []varDesc
}{
	"args": {"main.args", []varDesc{
		{"a", Arg, 0, false, false, "int"}, {"s", Arg, 0, false, false, "string"},
		{"p", Arg, 0, false, false, "*main.Point"}, {"xs", Arg, 0, false, false, "[]int"},
		{"sum", Result, 0, false, false, "int"}, {"label", Result, 0, false, false, "string"},
	}, nil},
	"unnamed": {"main.unnamed", []varDesc{
		{"x", Arg, 0, false, false, "int"}, {"~p1", Arg, 0, false, false, "string"},
		{"~r0", Result, 0, false, false, "int"}, {"~r1", Result, 0, false, false, "error"},
	}, nil},
	"blocks": {"main.blocks", []varDesc{{"n", Arg, 0, false, false, "int"}, {"~r0", Result, 0, false, false, "int"}}, []varDesc{
		{"x", Local, 0, false, false, "int"}, {"shadow", Local, 0, true, false, "string"},
		{"y", Local, 1, false, false, "int"}, {"shadow", Local, 1, false, false, "float64"},
		{"i", Local, 2, false, false, "int"}, {"z", Local, 3, false, false, "int"},
	}},
	"closure": {"main.closures.func1", []varDesc{{"d", Arg, 0, false, false, "int"}, {"~r0", Result, 0, false, false, "int"}}, []varDesc{
		{"base", Local, 0, false, false, "int"}, {"cnt", Local, 0, false, true, "int"}, {"r", Local, 0, false, false, "int"},
	}},
	"closureouter": {"main.closures", []varDesc{{"~r0", Result, 0, false, false, "int"}}, []varDesc{
		{"base", Local, 0, false, false, "int"}, {"cnt", Local, 0, false, true, "int"}, {"add", Local, 0, false, false, "func(int) int"},
	}},
}

// TestFrameScopes stops at every marked line of scopefix and checks the
// arguments (order, results), the locals (blocks, shadowing, declared
// later, heap variables) and their values against what the fixture
// printed.
func TestFrameScopes(t *testing.T) {
	seen := map[string]bool{}
	runScopefix(t, nil, nil, func(s *fixStop) {
		seen[s.name] = true
		want, ok := frameWant[s.name]
		if !ok {
			return
		}
		f := s.frame(t)
		if f.Func() != want.fn {
			t.Errorf("stop %s: function %s, want %s", s.name, f.Func(), want.fn)
		}
		if got := describe(f.Args()); !reflect.DeepEqual(got, want.args) {
			t.Errorf("stop %s: args\n got %v\nwant %v", s.name, got, want.args)
		}
		if got := describe(f.Locals()); !reflect.DeepEqual(got, want.locals) && !(len(got) == 0 && want.locals == nil) {
			t.Errorf("stop %s: locals\n got %v\nwant %v", s.name, got, want.locals)
		}
		if n := checkShown(t, s, f); n < 2 && s.name != "unnamed" {
			t.Errorf("stop %s: only %d variables compared with the fixture", s.name, n)
		}
	})
	for name := range frameWant {
		if !seen[name] {
			t.Errorf("scopefix never stopped at %s", name)
		}
	}
}

// checkShown compares each variable the fixture printed before the stop
// with what the frame reads, and returns how many it compared.
func checkShown(t *testing.T, s *fixStop, f *Frame) int {
	t.Helper()
	l, err := values.NewLoader(s.tab, s.bias)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range s.shown {
		name, want, _ := strings.Cut(line, "\t")
		v, err := f.Lookup(name)
		if err != nil {
			continue // an expression, not a variable
		}
		val := loadVar(t, s, f, l, v)
		got := values.Format(val)
		if val.Kind == reflect.String {
			want = strconv.Quote(want)
		}
		if val.Kind == reflect.Slice {
			var elems []string
			for _, c := range val.Children {
				elems = append(elems, values.Format(c))
			}
			got = "[" + strings.Join(elems, " ") + "]"
		}
		if got != want {
			t.Errorf("stop %s: %s = %s, fixture printed %s", s.name, name, got, want)
		}
		n++
	}
	return n
}

func loadVar(t *testing.T, s *fixStop, f *Frame, l *values.Loader, v *FrameVar) *values.Value {
	t.Helper()
	res, err := f.Location(v)
	if err != nil {
		t.Fatalf("stop %s: location of %s: %v", s.name, v.Name, err)
	}
	addr, data, err := values.LocationBytes(res, v.Type.Size(), f.Reg, s.p)
	if err != nil {
		t.Fatalf("stop %s: bytes of %s: %v", s.name, v.Name, err)
	}
	if data != nil {
		return l.LoadBytes(s.p, v.Name, v.Type, data, values.DefaultLoadConfig)
	}
	return l.Load(s.p, v.Name, v.Type, addr, values.DefaultLoadConfig)
}

func TestFrameLookup(t *testing.T) {
	runScopefix(t, nil, nil, func(s *fixStop) {
		if s.name != "blocks" {
			return
		}
		f := s.frame(t)
		v, err := f.Lookup("shadow")
		if err != nil || v.Depth != 1 || values.TypeName(v.Type) != "float64" {
			t.Errorf("Lookup(shadow) = %+v, %v; want the inner float64", v, err)
		}
		for _, name := range []string{"later", "after", "nope"} {
			_, err := f.Lookup(name)
			var nv *NoVariableError
			if !errors.As(err, &nv) || !errors.Is(err, ErrNoVariable) {
				t.Errorf("Lookup(%s): %v, want a NoVariableError", name, err)
				continue
			}
			if want := "no variable " + name + " in main.blocks; it has: i, n, shadow, x, y, z"; err.Error() != want {
				t.Errorf("Lookup(%s): %q, want %q", name, err, want)
			}
		}
		// The CFA the unwinder would give leads to the same values.
		cfa, err := f.CFA()
		if err != nil {
			t.Fatal(err)
		}
		g, err := NewFrame(s.tab, FrameConfig{PC: s.pc, Bias: s.bias, CFA: cfa, Regs: s.regs.DWARFRegister, Mem: s.mem})
		if err != nil {
			t.Fatal(err)
		}
		checkShown(t, s, g)
		if file, line := f.Line(); filepath.Base(file) != "main.go" || line == 0 || f.Package() != "main" {
			t.Errorf("Line() = %s:%d, Package() = %q", file, line, f.Package())
		}
	})
}

func TestGlobalName(t *testing.T) {
	tab, err := symbols.Open(fixtures.Build(t, "scopefix"))
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	for _, c := range []struct{ name, pkg, want, err string }{
		{"counter", "main", "main.counter", ""},
		{"main.counter", "runtime", "main.counter", ""},
		{"nope", "main", "", "no package variable nope in main"},
		{"main.nope", "main", "", "no package variable main.nope"},
		{"runtime.nope", "main", "", "no package variable runtime.nope"},
		{"atomic.nope", "main", "", "no package variable atomic.nope"},
	} {
		got, err := GlobalName(tab, c.name, c.pkg)
		if c.err != "" {
			if err == nil || err.Error() != c.err || !errors.Is(err, ErrNoVariable) {
				t.Errorf("GlobalName(%s, %s) = %q, %v; want error %q", c.name, c.pkg, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("GlobalName(%s, %s) = %q, %v; want %q", c.name, c.pkg, got, err, c.want)
		}
	}
}

// optLine returns the line of opt's "y := x + b" in scopefix.
func optLine(t testing.TB) (string, int) {
	file := filepath.Join(fixtures.Source("scopefix"), "main.go")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) == "y := x + b" {
			return file, i + 1
		}
	}
	t.Fatal("no 'y := x + b' line in scopefix")
	return "", 0
}

// TestOptimizedAway stops an optimized build where the location list of
// opt's parameter a has ended: reading it must say it is not available,
// while b, spilled to the stack, still reads.
func TestOptimizedAway(t *testing.T) {
	optimized := []string{"-gcflags=all="}
	breaks := func(tab *symbols.Table) map[string]uint64 {
		file, line := optLine(t)
		pcs, err := tab.LineToPCs(file, line)
		if err != nil {
			t.Fatal(err)
		}
		return map[string]uint64{"pc:opt": pcs[0]}
	}
	hit := false
	runScopefix(t, optimized, breaks, func(s *fixStop) {
		hit = true
		f := s.frame(t)
		if f.Func() != "main.opt" {
			t.Fatalf("stopped in %s", f.Func())
		}
		a, err := f.Lookup("a")
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Location(a)
		if !errors.Is(err, ErrOptimizedAway) || err.Error() != "a is not available at this pc (optimized away)" {
			t.Errorf("location of a: %v, want it not available", err)
		}
		b, err := f.Lookup("b")
		if err != nil {
			t.Fatal(err)
		}
		l, err := values.NewLoader(s.tab, s.bias)
		if err != nil {
			t.Fatal(err)
		}
		if v := loadVar(t, s, f, l, b); v.Err != nil || v.Int != 5 {
			t.Errorf("b = %s, want 5", values.Format(v))
		}
		if r0, err := f.Lookup("~r0"); err != nil {
			t.Error(err)
		} else if _, err := f.Location(r0); !errors.Is(err, ErrOptimizedAway) {
			t.Errorf("~r0 before the return: %v, want it not available", err)
		}
	})
	if !hit {
		t.Fatal("the optimized scopefix never reached opt")
	}
}

func (d varDesc) String() string {
	return fmt.Sprintf("{%s %v d%d sh=%v ind=%v %s}", d.name, d.kind, d.depth, d.shadowed, d.indirect, d.typ)
}

// TestFrameC reads the arguments of a C function (gcc -O0) through a
// Frame: DW_OP_fbreg with DW_OP_call_frame_cfa as frame base.
func TestFrameC(t *testing.T) {
	tab, err := symbols.Open(fixtures.Build(t, "condfix.c"))
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	l, err := values.NewLoader(tab, 0)
	if err != nil {
		t.Fatal(err)
	}
	hits := 0
	hitTarget(t, "condfix.c", "hot", []string{"i"}, 3, func(b *Binding, regs Regs, mem Mem, c callLine) {
		hits++
		pc, err := regs(16)
		if err != nil {
			t.Fatal(err)
		}
		f, err := NewFrame(tab, FrameConfig{PC: pc, Bias: b.bias, Regs: regs, Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		want := []varDesc{{"i", Arg, 0, false, false, "int"}, {"s", Arg, 0, false, false, "*const char"},
			{"f", Arg, 0, false, false, "double"}, {"b", Arg, 0, false, false, "_Bool"}, {"p", Arg, 0, false, false, "*int"}}
		if got := describe(f.Args()); !reflect.DeepEqual(got, want) {
			t.Errorf("args\n got %v\nwant %v", got, want)
		}
		if got := describe(f.Locals()); len(got) != 1 || got[0].name != "x" {
			t.Errorf("locals %v, want x", got)
		}
		cmem := memFunc(mem)
		for name, want := range map[string]string{"i": fmt.Sprint(c.i), "f": fmt.Sprint(c.f)} {
			v, _ := f.Lookup(name)
			res, err := f.Location(v)
			if err != nil {
				t.Fatal(err)
			}
			addr, data, err := values.LocationBytes(res, v.Type.Size(), f.Reg, cmem)
			if err != nil || data != nil {
				t.Fatalf("%s: %v (data %v)", name, err, data)
			}
			if got := values.Format(l.Load(cmem, name, v.Type, addr, values.DefaultLoadConfig)); got != want {
				t.Errorf("%s = %s, want %s", name, got, want)
			}
		}
	})
	if hits != 3 {
		t.Errorf("%d hits, want 3", hits)
	}
}

// memFunc adapts a Mem to values.Memory.
type memFunc Mem

func (m memFunc) ReadMemory(addr uint64, buf []byte) (int, error) {
	if err := m(addr, buf); err != nil {
		return 0, err
	}
	return len(buf), nil
}
