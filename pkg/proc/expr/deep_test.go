package expr

import (
	"errors"
	"strings"
	"testing"

	"github.com/godbg/godbg/pkg/proc/values"
)

// deepExprs returns expressions nested n levels deep in several ways.
func deepExprs(n int) []string {
	return []string{
		strings.Repeat("(", n) + "1" + strings.Repeat(")", n),
		strings.Repeat("-", n) + "1",
		strings.Repeat("!", n) + "true",
		strings.Repeat("1+", n) + "1",
		"1" + strings.Repeat("+1", n),
		strings.Repeat("*", n) + "p",
		"pt" + strings.Repeat(".X", n),
		"xs" + strings.Repeat("[0]", n),
		strings.Repeat("int(", n) + "1" + strings.Repeat(")", n),
		strings.Repeat("len(", n) + "s" + strings.Repeat(")", n),
		strings.Repeat("&", n) + "n",
		strings.Repeat("main.Point{", n) + strings.Repeat("}", n),
	}
}

// Expressions nested 10,000 levels deep, every way: each entry point
// gives an error (or a value), never a panic or a stack overflow, and
// the error quotes a bounded part of the expression.
func TestDeepExpressions(t *testing.T) {
	s := newFakeScope(t)
	for _, src := range deepExprs(10000) {
		head := src[:20]
		errs := map[string]error{}
		_, errs["Eval"] = Eval(s, src, values.DefaultLoadConfig)
		_, errs["WhatIs"] = WhatIs(s, src)
		errs["Assign lhs"] = Assign(s, src, "1")
		errs["Assign rhs"] = Assign(s, "n", src)
		_, errs["Check"] = Check(src)
		_, errs["EvalBool"] = EvalBool(s, src)
		_, errs["EvalAddress"] = EvalAddress(nil, src, testEnv)
		_, errs["EvalAddress in scope"] = EvalAddress(s, src, testEnv)
		for what, err := range errs {
			if err == nil {
				t.Errorf("%s(%s…): no error", what, head)
			} else if len(err.Error()) > 1000 {
				t.Errorf("%s(%s…): error of %d bytes", what, head, len(err.Error()))
			}
		}
		if _, err := CompileScalar(src); err == nil {
			t.Errorf("CompileScalar(%s…): no error", head)
		}
	}
}

// Malformed expressions, unknown names and type errors are errors with
// Go's words, in every entry point.
func TestBadExpressions(t *testing.T) {
	s := newFakeScope(t)
	for _, c := range []struct {
		src  string
		is   error
		text string
	}{
		{"n +", ErrSyntax, `bad expression "n +": column 4: expected operand`},
		{"(((", ErrSyntax, "bad expression"},
		{"nosuch + 1", ErrNotFound, "could not find symbol value for nosuch"},
		{`n + "a"`, ErrTypeMismatch, "mismatched types"},
		{"pt.Nope", ErrNoField, "pt.Nope: no such field Nope"},
		{"xs[99]", ErrOutOfRange, "xs[99]: index out of range [99] with length"},
		{"n.(int)", ErrTypeMismatch, "is not an interface"},
		{"\x00", ErrSyntax, "bad expression"},
		{strings.Repeat("a", 100000), ErrNotFound, "could not find symbol value for aaaa"},
	} {
		_, err := Eval(s, c.src, values.DefaultLoadConfig)
		if err == nil || !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("print %.30q: %v, want %v containing %q", c.src, err, c.is, c.text)
		}
		if _, cerr := EvalBool(s, c.src); cerr == nil || cerr.Error() != err.Error() {
			t.Errorf("condition %.30q: %v, want print's error %v", c.src, cerr, err)
		}
	}
}

// FuzzCondition compiles and runs random conditions as a breakpoint
// would (Check, Roots, then EvalBool over the fake scope) and as an
// address expression: nothing may panic.
func FuzzCondition(f *testing.F) {
	for _, seed := range []string{"n > 3", `s == "x" && len(xs) > 1`, "pt.X == 1 || np.X > 0", "m[\"k\"] != 2",
		"xs[1] > n", "main.Point{1, 2} == pt", "((n))", "!b", "1 +", "$rsp + 8", "*(*int)(0x10010) == 7"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 256 {
			return
		}
		if n, err := Check(src); err == nil {
			Roots(n)
		}
		s := newFakeScope(t)
		_, _ = EvalBool(s, src)
		_, _ = EvalAddress(s, src, testEnv)
		_, _, _ = MemoryTarget(src)
	})
}
