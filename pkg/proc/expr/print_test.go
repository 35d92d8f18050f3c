package expr

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/proc/variables"
)

// TestPrintLive evaluates, at each stop of scopefix, every expression the
// fixture printed with %v before it, and compares; in a normal and a PIE
// build (package variables then move by the load bias).
func TestPrintLive(t *testing.T) {
	for _, b := range []struct {
		name  string
		flags []string
	}{{"exe", nil}, {"pie", []string{"-buildmode=pie"}}} {
		t.Run(b.name, func(t *testing.T) { testPrintLive(t, b.flags) })
	}
}

func testPrintLive(t *testing.T, build []string) {
	checked := map[string]int{}
	runScopefix(t, build, nil, func(s *stop) {
		for _, sh := range s.shown {
			expr, want := sh[0], sh[1]
			v, err := Eval(s.scope, expr, values.FullLoadConfig)
			if err != nil {
				t.Errorf("stop %s: print %s: %v", s.name, expr, err)
				continue
			}
			if got := plain(v, true); got != want {
				t.Errorf("stop %s: print %s = %s (%s), fixture printed %s", s.name, expr, got, values.Format(v), want)
			}
			checked[s.name]++
		}
	})
	for _, name := range []string{"args", "blocks", "closure", "closureouter", "exprs"} {
		if checked[name] < 2 {
			t.Errorf("stop %s: %d expressions checked", name, checked[name])
		}
	}
	if checked["exprs"] < 60 {
		t.Errorf("only %d expressions checked at exprs", checked["exprs"])
	}
}

// TestArgsLocalsLive loads every argument and local of two frames the way
// the args and locals commands do.
func TestArgsLocalsLive(t *testing.T) {
	want := map[string][]string{
		"args": {`a = 7`, `s = "seven"`, `p = *main.Point {X: 11, Y: 12}`, `xs = []int len: 3, cap: 3, [1,2,3]`,
			`sum = 10`, `label = "seven!"`},
		"blocks":  {"n = 4", "~r0 = 0", "x = 8", `shadow = "outer" (shadowed)`, "y = 9", "shadow = 7.5", "i = 0", "z = 27"},
		"closure": {"d = 5", "~r0 = 0", "base = 10", "cnt = 5", "r = 20"},
	}
	runScopefix(t, nil, nil, func(s *stop) {
		w, ok := want[s.name]
		if !ok {
			return
		}
		var got []string
		for _, v := range s.scope.Frame().Vars() {
			line := v.Name + " = " + values.Format(s.scope.LoadVar(v, values.DefaultLoadConfig))
			if v.Shadowed {
				line += " (shadowed)"
			}
			got = append(got, line)
		}
		if strings.Join(got, "\n") != strings.Join(w, "\n") {
			t.Errorf("stop %s:\n got %q\nwant %q", s.name, got, w)
		}
	})
}

func TestErrorsLive(t *testing.T) {
	cases := []struct {
		expr string
		is   error
		msg  string
	}{
		{"nope", ErrNotFound, "could not find symbol value for nope"},
		{"main.nope", ErrNotFound, "could not find symbol value for main.nope"},
		{"o.Tags[5]", ErrOutOfRange, "o.Tags[5]: index out of range [5] with length 3"},
		{"sl[1:9]", ErrOutOfRange, ""},
		{"arr[4]", ErrOutOfRange, "arr[4]: index out of range [4] with length 4"},
		{"np.X", ErrNilDeref, "np.X: nil pointer dereference"},
		{"*o.Next.Next", ErrNilDeref, ""},
		{"o.Next.Next.Name", ErrNilDeref, ""},
		{"o.Name + 1", ErrTypeMismatch, ""},
		{"c + i64", ErrTypeMismatch, "c + i64: mismatched types main.Color and int64"},
		{`m["zzz"]`, ErrNoKey, `m["zzz"]: key not found`},
		{"m[1]", ErrTypeMismatch, ""},
		{"o.Nope", ErrNoField, "o.Nope: no such field Nope in main.Outer"},
		{"o.Name[", ErrSyntax, `bad expression "o.Name[": column 8: expected operand`},
		{"u8 + 256", ErrOverflow, ""},
		{"later", ErrNotFound, ""}, // declared in blocks, not here
	}
	runScopefix(t, nil, nil, func(s *stop) {
		if s.name != "exprs" {
			return
		}
		for _, c := range cases {
			_, err := Eval(s.scope, c.expr, values.DefaultLoadConfig)
			if err == nil || !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("print %s: %v, want an error wrapping %v containing %q", c.expr, err, c.is, c.msg)
			}
		}
		for expr, want := range map[string]string{
			"o": "*main.Outer", "o.Tags": "[]string", "m": "map[string]int", "c": "main.Color", "o.Inner": "main.Inner",
			"&o.Arr": "*[3]int16", "o.Arr[1:]": "[]int16", "r": "int32", "str[0]": "byte", "o.M": "map[string]int",
		} {
			if got, err := WhatIs(s.scope, expr); err != nil || got != want {
				t.Errorf("whatis %s = %q, %v; want %s", expr, got, err, want)
			}
		}
	})
}

// TestSetLive sets variables of setter at its stop and lets the fixture
// print them.
func TestSetLive(t *testing.T) {
	sets := [][2]string{
		{"x", "42"}, {"f", "2.75"}, {"b", "false"}, {"u", "250"}, {"p.X", "-5"},
		{"q", "nil"}, {"arr[1]", "x - 33"}, {"counter", "11"},
	}
	stopped := false
	rest := runScopefix(t, nil, nil, func(s *stop) {
		if s.name != "set" {
			return
		}
		stopped = true
		for _, a := range sets {
			if err := Assign(s.scope, a[0], a[1]); err != nil {
				t.Errorf("set %s = %s: %v", a[0], a[1], err)
			}
		}
		if err := Assign(s.scope, "s", `"x"`); !errors.Is(err, ErrNotAssignable) {
			t.Errorf("set s: %v, want ErrNotAssignable", err)
		}
		if err := Assign(s.scope, "u", "256"); !errors.Is(err, ErrOverflow) {
			t.Errorf("set u = 256: %v, want ErrOverflow", err)
		}
		if v, err := Eval(s.scope, "x", values.DefaultLoadConfig); err != nil || v.Int != 42 {
			t.Errorf("x after set: %v, %v", v, err)
		}
	})
	if !stopped {
		t.Fatal("scopefix never stopped in setter")
	}
	want := "after x=42 f=2.75 b=false u=250 p.X=-5 q=nil arr=[1 9 3] counter=11 s=str"
	for _, l := range rest {
		if strings.HasPrefix(l, "after ") {
			if l != want {
				t.Errorf("fixture printed %q, want %q", l, want)
			}
			return
		}
	}
	t.Errorf("no after line in %q", rest)
}

// TestOptimizedLive stops the optimized build where opt's parameter a is
// dead: printing it must say so, never show a number.
func TestOptimizedLive(t *testing.T) {
	_, line := sourceLines(t, "y := x + b")
	hit := false
	runScopefix(t, []string{"-gcflags=all="}, map[string]int{"opt": line}, func(s *stop) {
		hit = true
		for _, expr := range []string{"a", "a + 1", "-a"} {
			v, err := Eval(s.scope, expr, values.DefaultLoadConfig)
			if !errors.Is(err, variables.ErrOptimizedAway) || !strings.Contains(err.Error(), "a is not available at this pc (optimized away)") {
				t.Errorf("print %s = %v, %v; want it not available", expr, v, err)
			}
		}
		if v, err := Eval(s.scope, "b*2", values.DefaultLoadConfig); err != nil || values.Format(v) != "10" {
			t.Errorf("print b*2 = %v, %v; want 10", v, err)
		}
		a, err := s.scope.Frame().Lookup("a")
		if err != nil {
			t.Fatal(err)
		}
		if v := s.scope.LoadVar(a, values.DefaultLoadConfig); values.Format(v) != "(unreadable a is not available at this pc (optimized away))" {
			t.Errorf("locals shows a as %s", values.Format(v))
		}
		if err := Assign(s.scope, "a", "1"); !errors.Is(err, variables.ErrOptimizedAway) {
			t.Errorf("set a: %v", err)
		}
	})
	if !hit {
		t.Fatal("the optimized scopefix never reached opt")
	}
}

// TestOuterFrameLive reads the variables of the caller of exprs
// (main.main) the way an unwinder would hand its frame over: the call
// instruction's pc and only the stack pointer known.
func TestOuterFrameLive(t *testing.T) {
	hit := false
	runScopefix(t, nil, nil, func(s *stop) {
		if s.name != "exprs" {
			return
		}
		hit = true
		inner := s.scope.Frame()
		cfa, err := inner.CFA()
		if err != nil {
			t.Fatal(err)
		}
		var ret [8]byte
		if err := inner.ReadMemory(cfa-8, ret[:]); err != nil {
			t.Fatal(err)
		}
		regs := func(n int) (uint64, error) {
			if n == 7 { // rsp in the caller: the callee's CFA
				return cfa, nil
			}
			return 0, fmt.Errorf("register %d not known in an outer frame", n)
		}
		entry, err := s.p.EntryPoint()
		if err != nil {
			t.Fatal(err)
		}
		tab := inner.Table()
		outer, err := variables.NewFrame(tab, variables.FrameConfig{
			PC: binary.LittleEndian.Uint64(ret[:]) - 1, Bias: entry - tab.Entry(), Regs: regs, Mem: inner.ReadMemory})
		if err != nil {
			t.Fatal(err)
		}
		if outer.Func() != "main.main" {
			t.Fatalf("caller is %s", outer.Func())
		}
		var names []string
		for _, v := range outer.Locals() {
			names = append(names, v.Name)
		}
		if strings.Join(names, " ") != "next o m" {
			t.Errorf("locals of main.main at the call of exprs: %v", names)
		}
		scope := NewFrameScope(tab, outer, s.scope.Loader(), s.p)
		for expr, want := range map[string]string{`o.Name`: `"outer"`, `m["two"]`: "2", "o.Next == next": "true", "len(o.Tags)": "3"} {
			v, err := Eval(scope, expr, values.DefaultLoadConfig)
			if err != nil || values.Format(v) != want {
				t.Errorf("print %s in main.main = %v, %v; want %s", expr, v, err, want)
			}
		}
	})
	if !hit {
		t.Fatal("scopefix never stopped in exprs")
	}
}
