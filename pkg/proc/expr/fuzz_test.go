package expr

import (
	"testing"

	"github.com/godbg/godbg/pkg/proc/values"
)

// The tests of this package let panics through (see panicsThrough).
func init() { panicsThrough = true }

// FuzzEval parses and evaluates random expressions over the fixed fake
// scope, as print, whatis and set would: nothing may panic, whatever
// the expression.
func FuzzEval(f *testing.F) {
	for _, seed := range []string{
		"n", "n+1", "u8*2", "f/4", `s + "!"`, "s[1:3]", "xs[1:][0]", "len(xs)", "cap(arr)", "&pt", "*p", "p.X",
		"np.X", "(*main.Point)(0x10000).X", "int8(u8)", "1 << 70", "1 << 2000", "'a' + 1", "2i * f", "nil == p",
		"b && n > 3", "!b || np.X > 0", "arr[1:3][1]", "(&arr)[2]", "c + main.Color(1)", "string(rune(n))",
		"counter * 2", "main.counter", "long[190:]", "wild.X", "*(*int)(0xdead)", `"abc"[5]`, "xs[:2:5]",
		"1e1000000 * 1e1000000", "uint8(1e3)", "^u8 >> 70", "-(-9223372036854775807-1) / -1", "n / (n - 7)",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 256 { // long inputs only slow the search down
			return
		}
		s := newFakeScope(t)
		if v, err := Eval(s, src, values.DefaultLoadConfig); err == nil {
			_ = values.Format(v)
		}
		_, _ = WhatIs(s, src)
		_ = Assign(s, src, "1")
		_ = Assign(s, "n", src)
		_ = Assign(s, "p", src)
	})
}
