package eval

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

type mapScope map[string]Value

func (m mapScope) Lookup(name string) (Value, error) {
	v, ok := m[name]
	if !ok {
		return Value{}, fmt.Errorf("no variable %s", name)
	}
	return v, nil
}

var scope = mapScope{
	"i":            IntValue("int", 8, 7),
	"n":            IntValue("int", 8, -3),
	"i32":          IntValue("int32", 4, -5),
	"i8":           IntValue("int8", 1, 127),
	"u8":           UintValue("uint8", 1, 250),
	"u64":          UintValue("uint64", 8, 1<<63),
	"f":            FloatValue("float64", 8, 1.75),
	"f32":          FloatValue("float32", 4, 0.5),
	"b":            BoolValue("bool", true),
	"s":            StringValue("string", "seven"),
	"long":         TruncatedStringValue("string", "abcdef", 5000),
	"p":            PointerValue("*int", 0xc000012345),
	"q":            PointerValue("*int", 0),
	"main.counter": IntValue("int", 8, 4),
}

func TestEvalBool(t *testing.T) {
	tests := []struct {
		expr string
		want bool
	}{
		{"i == 7", true},
		{"i != 7", false},
		{"7 == i", true},
		{"i > 3 && i < 10", true},
		{"i > 3 && i > 10", false},
		{"i < 3 || s == \"seven\"", true},
		{"!(i == 7)", false},
		{"s == \"seven\"", true},
		{"s < \"z\" && s > \"a\"", true},
		{"s + \"!\" == \"seven!\"", true},
		{"p != nil", true},
		{"nil != p", true},
		{"q == nil", true},
		{"p == p", true},
		{"main.counter > 3", true},
		{"f > 1.5 && b", true},
		{"f == 1.75", true},
		{"f > 1", true},
		{"f32 == 0.5", true},
		{"i*2+1 == 15", true},
		{"i/2 == 3 && i%2 == 1", true},
		{"n/2 == -1 && n%2 == -1", true},
		{"i8+1 == -128", true},
		{"u8+10 == 4", true},
		{"u8 > 200", true},
		{"-i == -7", true},
		{"^i == -8", true},
		{"i&3 == 3 && i|8 == 15 && i^1 == 6 && i&^1 == 6", true},
		{"i<<2 == 28 && i>>1 == 3", true},
		{"n>>1 == -2", true},
		{"u64 == 1<<63", true},
		{"u64 > 0", true},
		{"i32 == -5", true},
		{"int64(i32) == -5", true},
		{"float64(i)/2 == 3.5", true},
		{"int(f) == 1", true},
		{"uint8(i32) == 251", true},
		{"1 < 2", true},
		{"1.5 > 1", true},
		{"b == true", true},
		{"b != false", true},
		{"long != \"abc\"", true},
		{"long > \"abc\"", true},
		{"long < \"abd\"", true},
		{"i == 7.0", true},
		{"'a' == 97", true},
		{"0x10 == 16", true},
		{"(i > 1) == b", true},
	}
	for _, tt := range tests {
		e, err := compileSrc(tt.expr)
		if err != nil {
			t.Errorf("Compile(%q): %v", tt.expr, err)
			continue
		}
		got, err := e.EvalBool(scope)
		if err != nil {
			t.Errorf("EvalBool(%q): %v", tt.expr, err)
			continue
		}
		if got != tt.want {
			t.Errorf("EvalBool(%q) = %v, want %v", tt.expr, got, tt.want)
		}
	}
}

func TestShortCircuit(t *testing.T) {
	// The right side would fail (unknown variable) if evaluated.
	for _, expr := range []string{"i == 0 && missing > 1", "i == 7 || missing > 1"} {
		e, err := compileSrc(expr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.EvalBool(scope); err != nil {
			t.Errorf("%s: %v", expr, err)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		expr    string
		compile bool // error at Compile rather than Eval
		want    error
		text    string
	}{
		{"x >", true, ErrSyntax, `bad expression "x >": expected operand`},
		{"a[1] == 2", true, ErrUnsupported, "not for the scalar fast path"},
		{"f(x)", true, ErrUnsupported, "function calls"},
		{"*p == 1", true, ErrUnsupported, "not for the scalar fast path"},
		{"a.b.c == 1", true, ErrUnsupported, "field selection"},
		{"&i == nil", true, ErrUnsupported, "addresses"},
		{"1/0 == 1", true, ErrDivideByZero, "zero"},
		{"i == s", false, ErrMismatchedTypes, "int and string"},
		{"i == i32", false, ErrMismatchedTypes, "int and int32"},
		{"i == \"x\"", false, ErrMismatchedTypes, "int and untyped string"},
		{"u8 == 300", false, ErrOverflow, "300 overflows uint8"},
		{"u8 == -1", false, ErrOverflow, "overflows"},
		{"i == 1.5", false, ErrOverflow, "truncated"},
		{"i == nil", false, ErrMismatchedTypes, "int and untyped nil"},
		{"b < true", false, ErrInvalidOp, "operator < not defined on bool"},
		{"p < p", false, ErrInvalidOp, "operator < not defined"},
		{"i && b", false, ErrInvalidOp, "operator && not defined on int"},
		{"i / (i - 7) == 0", false, ErrDivideByZero, "zero"},
		{"i + 1", false, ErrNotBool, "it is int"},
		{"long == long", false, ErrTruncatedString, "first 6 bytes"},
		{"missing == 1", false, nil, "no variable missing"},
		{"!i", false, ErrInvalidOp, "operator ! not defined on int"},
	}
	for _, tt := range tests {
		e, err := compileSrc(tt.expr)
		if err == nil {
			if tt.compile {
				t.Errorf("Compile(%q) succeeded", tt.expr)
				continue
			}
			_, err = e.EvalBool(scope)
		} else if !tt.compile {
			t.Errorf("Compile(%q): %v", tt.expr, err)
			continue
		}
		if err == nil {
			t.Errorf("%q: no error", tt.expr)
			continue
		}
		if tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%q: err = %v, want %v", tt.expr, err, tt.want)
		}
		if !strings.Contains(err.Error(), tt.text) {
			t.Errorf("%q: err = %q, want it to contain %q", tt.expr, err, tt.text)
		}
	}
}

func TestNames(t *testing.T) {
	e, err := compileSrc("i == 7 && (s == \"x\" || main.counter > i) && p != nil && true")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.Names(), []string{"i", "s", "main.counter", "p"}; !slices.Equal(got, want) {
		t.Fatalf("Names = %v, want %v", got, want)
	}
}

func TestConstantFolding(t *testing.T) {
	e, err := compileSrc("1<<10 + 3*4 == 1036")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := e.root.(*constNode); !ok {
		t.Fatalf("not folded: %T", e.root)
	}
}

func BenchmarkEvalBool(b *testing.B) {
	e, err := compileSrc(`i == 7 && s == "seven" && p != nil && main.counter > 3`)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := e.EvalBool(scope); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

func FuzzCompile(f *testing.F) {
	for _, s := range []string{"i == 7", "s == \"x\" && p != nil", "f > 1.5 || !b", "x >", "1<<100 == 0", "int8(i)+1", "u8 == 300"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := compileSrc(src)
		if err != nil {
			var ee *Error
			if !errors.As(err, &ee) {
				t.Fatalf("Compile(%q) error %v is not an *Error", src, err)
			}
			return
		}
		e.Eval(scope) // must not panic
	})
}
