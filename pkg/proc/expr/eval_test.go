package expr

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/godbg/godbg/pkg/proc/values"
)

// TestEvalFake evaluates expressions over fixed values in fake memory
// and compares the rendering (values.Format).
func TestEvalFake(t *testing.T) {
	s := newFakeScope(t)
	cases := []struct{ expr, want string }{
		{"n", "7"}, {"n+1", "8"}, {"n*2-1", "13"}, {"n/2", "3"}, {"n%4", "3"}, {"-n", "-7"},
		{"^n", "-8"}, {"n<<2", "28"}, {"n>>1", "3"}, {"n&3", "3"}, {"n|8", "15"}, {"n^1", "6"}, {"n&^3", "4"},
		{"+n", "7"}, {"(n)", "7"}, {"n << 70", "0"}, {"-n >> 70", "-1"},
		{"u8+100", "44"}, {"u8*2", "144"}, {"-u8", "56"}, {"^u8", "55"}, {"u8>>3", "25"}, {"u8/0x10", "12"},
		{"f*2", "5"}, {"f/4", "0.625"}, {"f > 2", "true"}, {"-f", "-2.5"}, {"f + 1", "3.5"}, {"f/0", "+Inf"},
		{"s", `"hello"`}, {"s[1]", "101"}, {"s[1:3]", `"el"`}, {"s[:0]", `""`}, {`s + "!"`, `"hello!"`},
		{`s == "hello"`, "true"}, {`s < "help"`, "true"}, {`s != s[1:]`, "true"}, {"len(s)", "5"},
		{"long[150:152]", `"ab"`}, {`long == long[:200]`, "true"}, {"len(long+s)", "205"},
		{"xs[2]", "3"}, {"len(xs)", "3"}, {"cap(xs)", "3"}, {"xs[1:]", "[]int len: 2, cap: 2, [2,3]"},
		{"xs[:1:2]", "[]int len: 1, cap: 2, [1]"}, {"xs[1:][1]", "3"},
		{"p.X", "5"}, {"(*p).Y", "6"}, {"*p", "main.Point {X: 5, Y: 6}"}, {"p", "*main.Point {X: 5, Y: 6}"},
		{"p == nil", "false"}, {"np == nil", "true"}, {"nil != np", "false"}, {"p == p", "true"},
		{"pt.X + pt.Y", "3"}, {"&pt", "(*main.Point)(0x10198)"}, {"(&pt).Y", "2"}, {"*&pt", "main.Point {X: 1, Y: 2}"},
		{"arr[3]", "29"}, {"arr[1:3]", "[]int len: 2, cap: 3, [5,12]"}, {"len(arr)", "4"}, {"cap(arr)", "4"},
		{"(&arr)[2]", "12"}, {"len(&arr)", "4"}, {"(&arr)[1:2]", "[]int len: 1, cap: 3, [5]"},
		{"c+1", "4"}, {"int(c)", "3"}, {"float64(n)/2", "3.5"}, {"uint8(n+250)", "1"}, {"int8(u8)", "-56"},
		{"int(f)", "2"}, {"int(-f)", "-2"}, {"float32(f)", "2.5"}, {"uint64(-n)", "18446744073709551609"},
		{"string(rune(n+90))", `"a"`}, {"string(65)", `"A"`}, {"main.Color(n)", "7"},
		{"1 + 2*3", "7"}, {"7 / 2", "3"}, {"7 / 2.0", "3.5"}, {"7 % 3", "1"}, {"1 << 10", "1024"},
		{"'a'", "97"}, {`"a" + "b"`, `"ab"`}, {"true && !false", "true"}, {"2i * 2i", "(-4 + 0i)"},
		{"1 << 62 >> 60", "4"}, {"^0", "-1"}, {"-(-3)", "3"}, {`len("abc")`, "3"}, {`"abc"[1]`, "98"},
		{`"abc"[1:]`, `"bc"`}, {"1.5 + 1", "2.5"}, {"0x10 | 1", "17"}, {"3 &^ 1", "2"},
		{"b && n > 3", "true"}, {"!b || n == 7", "true"}, {"np != nil && np.X > 0", "false"}, {"np == nil || np.X > 0", "true"},
		{"n > 3 == b", "true"},
		{"counter", "5"}, {"main.counter * 2", "10"}, {"counter + n", "12"},
		{fmt.Sprintf("(*main.Point)(%#x).X", s.pAddr), "5"}, {fmt.Sprintf("(*Point)(%d).Y", s.pAddr), "6"},
		{fmt.Sprintf("*(*int)(%#x)", s.nAddr), "7"}, {fmt.Sprintf("(*int)(%#x)", s.nAddr), fmt.Sprintf("(*int)(%#x)", s.nAddr)},
		{fmt.Sprintf("uintptr((*int)(%#x))", s.nAddr), fmt.Sprint(s.nAddr)}, {"nil", "nil"},
	}
	for _, c := range cases {
		v, err := Eval(s, c.expr, values.DefaultLoadConfig)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		if got := values.Format(v); got != c.want {
			t.Errorf("%s = %s, want %s", c.expr, got, c.want)
		}
		if v.Name != c.expr {
			t.Errorf("%s: value named %q", c.expr, v.Name)
		}
	}
}

func TestEvalErrorsFake(t *testing.T) {
	s := newFakeScope(t)
	cases := []struct {
		expr string
		is   error
		msg  string
	}{
		{"nope", ErrNotFound, "could not find symbol value for nope"},
		{"nope.x", ErrNotFound, "could not find symbol value for nope.x"},
		{"main.nope", ErrNotFound, "could not find symbol value for main.nope"},
		{"n +", ErrSyntax, `bad expression "n +": column 4: expected operand`},
		{"n ++ 1", ErrSyntax, `bad expression "n ++ 1": column 3: expected 'EOF', found '++'`},
		{"xs[3]", ErrOutOfRange, "xs[3]: index out of range [3] with length 3"},
		{"xs[-1]", ErrOutOfRange, "xs[-1]: index out of range [-1] with length 3"},
		{"s[5]", ErrOutOfRange, "s[5]: index out of range [5] with length 5"},
		{"xs[1:5]", ErrOutOfRange, "xs[1:5]: index out of range: slice bounds [:5] with capacity 3"},
		{"xs[2:1]", ErrOutOfRange, "xs[2:1]: index out of range: slice bounds [2:1]"},
		{"*np", ErrNilDeref, "*np: nil pointer dereference"},
		{"np.X", ErrNilDeref, "np.X: nil pointer dereference"},
		{"*wild", nil, "*wild: unmapped address 0xdead0000"},
		{"n + s", ErrTypeMismatch, "n + s: mismatched types int and string"},
		{"n + f", ErrTypeMismatch, "n + f: mismatched types int and float64"},
		{"c + n", ErrTypeMismatch, "c + n: mismatched types main.Color and int"},
		{"u8 + 300", ErrOverflow, "u8 + 300: constant overflows: 300 as uint8"},
		{"n + 1.5", ErrTypeMismatch, "n + 1.5: mismatched types: 1.5 truncated to int"},
		{"n / 0", ErrDivideByZero, "n / 0: integer divide by zero"},
		{"1 / 0", ErrDivideByZero, "1 / 0: integer divide by zero"},
		{"pt.Z", ErrNoField, "pt.Z: no such field Z in main.Point"},
		{"n.X", ErrNoField, "n.X: no such field: int is not a struct"},
		{"f(1)", ErrUnsupported, "f(1): not supported: f is no type of the program, and function calls are not supported"},
		{"[]int{1}", ErrUnsupported, "[]int{1}: not supported: literals of type []int (only structs and arrays)"},
		{"&(n+1)", ErrNotAddressable, "&(n+1): not addressable: cannot take the address of (n+1)"},
		{"1 << 2000", ErrOverflow, ""},
		{"len(n)", ErrTypeMismatch, "len(n): mismatched types: invalid argument of type int for len"},
		{`"a" - "b"`, ErrTypeMismatch, ""},
		{`1 == "a"`, ErrTypeMismatch, ""},
		{"nil == nil", ErrTypeMismatch, ""},
		{"n == nil", ErrTypeMismatch, ""},
		{"!n", ErrTypeMismatch, "!n: mismatched types: operator ! not defined on int"},
		{"n && b", ErrTypeMismatch, "n && b: mismatched types: operand of type int is not a bool"},
		{"*n", ErrTypeMismatch, ""},
		{"(*main.Nope)(0x1)", nil, "no debug information for type main.Nope"},
		{"1 << 70", ErrOverflow, "1 << 70: constant overflows: 1180591620717411303424 as int"},
		{"n << -1", ErrOutOfRange, ""},
		{"xs.(int)", ErrTypeMismatch, "xs.(int): mismatched types: []int is not an interface"},
		{"<-xs", ErrUnsupported, ""},
	}
	for _, c := range cases {
		_, err := Eval(s, c.expr, values.DefaultLoadConfig)
		if err == nil {
			t.Errorf("%s: no error", c.expr)
			continue
		}
		if c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%s: %v, want an error wrapping %v", c.expr, err, c.is)
		}
		if c.msg != "" && !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %q, want %q", c.expr, err, c.msg)
		}
	}
}

func TestWhatIsFake(t *testing.T) {
	s := newFakeScope(t)
	for expr, want := range map[string]string{
		"n": "int", "&pt": "*main.Point", "xs[1:]": "[]int", "1.5": "float64", "'a'": "int32",
		"p": "*main.Point", "arr[1:2]": "[]int", "s[0]": "byte", "c * 2": "main.Color", "n > 1": "bool",
		"arr": "[4]int", "*p": "main.Point", "len(xs)": "int", `s + "x"`: "string", "2i": "complex128",
	} {
		got, err := WhatIs(s, expr)
		if err != nil || got != want {
			t.Errorf("whatis %s = %q, %v; want %q", expr, got, err, want)
		}
	}
}

func TestAssignFake(t *testing.T) {
	s := newFakeScope(t)
	for _, c := range []struct{ lhs, rhs, check, want string }{
		{"n", "42", "n", "42"},
		{"n", "n * 2", "n", "84"},
		{"u8", "255", "u8", "255"},
		{"f", "-1.25", "f", "-1.25"},
		{"f", "3", "f", "3"},
		{"b", "false", "b", "false"},
		{"b", "n > 1", "b", "true"},
		{"xs[0]", "9", "xs", "[]int len: 3, cap: 3, [9,2,3]"},
		{"p.X", "-3", "*p", "main.Point {X: -3, Y: 6}"},
		{"(*p).Y", "p.X + 1", "p.Y", "-2"},
		{"c", "main.Color(8)", "c", "8"},
		{"p", "nil", "p == nil", "true"},
		{"main.counter", "6", "counter", "6"},
		{"np", fmt.Sprintf("(*main.Point)(%#x)", s.vars["pt"].addr), "np.Y", "2"},
	} {
		if err := Assign(s, c.lhs, c.rhs); err != nil {
			t.Errorf("set %s = %s: %v", c.lhs, c.rhs, err)
			continue
		}
		v, err := Eval(s, c.check, values.DefaultLoadConfig)
		if err != nil {
			t.Errorf("after set %s = %s: %s: %v", c.lhs, c.rhs, c.check, err)
			continue
		}
		if got := values.Format(v); got != c.want {
			t.Errorf("after set %s = %s: %s = %s, want %s", c.lhs, c.rhs, c.check, got, c.want)
		}
	}
	for _, c := range []struct {
		lhs, rhs string
		is       error
		msg      string
	}{
		{"u8", "300", ErrOverflow, ""},
		{"s", `"x"`, ErrNotAssignable, "cannot set s: cannot assign: \"x\" would need new memory in the target, which this target cannot allocate"},
		{"f", "n", ErrTypeMismatch, "cannot set f: mismatched types: cannot use n (type int) as float64 value"},
		{"n+1", "3", ErrNotAddressable, ""},
		{"pt", "xs", ErrTypeMismatch, "cannot use xs (type []int) as main.Point value"},
		{"xs", `"abc"`, ErrTypeMismatch, ""},
		{"pt", "nil", ErrTypeMismatch, "cannot use nil as main.Point value"},
		{"1", "2", ErrNotAddressable, ""},
		{"n", "nope", ErrNotFound, ""},
		{"n", "1 +", ErrSyntax, ""},
		{"b", "1", ErrTypeMismatch, ""},
		{"int(c)", "1", ErrNotAddressable, ""},
	} {
		err := Assign(s, c.lhs, c.rhs)
		if err == nil || !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("set %s = %s: %v, want an error wrapping %v containing %q", c.lhs, c.rhs, err, c.is, c.msg)
		}
	}
}
