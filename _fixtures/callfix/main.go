// callfix has functions and methods to call from the debugger, and runs
// garbage collections after the stop to show the program survives the
// calls' allocations.
package main

import (
	"fmt"
	"runtime"
	"strings"
)

type T struct{ N int }

func (t T) Double() int { return t.N * 2 }

func (t *T) Add(k int) int {
	t.N += k
	return t.N
}

func (t T) String() string { return fmt.Sprintf("T(%d)", t.N) }

var calls int

// reachable keeps the functions the debugger calls in the binary.
var reachable = []any{sum, greet, boom, mk, lookup, T.Double, (*T).Add, T.String, scale, half, fact, setMark}

func sum(a, b int) int {
	calls++
	return a + b
}

func greet(s string) string { return "hello " + s }

func scale(f float64, k int) float64 { return f * float64(k) }

func half(f float32) float32 { return f / 2 }

func boom(n int) int { panic(fmt.Sprintf("boom %d", n)) }

func mk(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i * i
	}
	return s
}

func lookup(m map[string]int, k string) (int, bool) {
	v, ok := m[k]
	return v, ok
}

// fact recurses n deep (a breakpoint inside stops a call part-way).
func fact(n int) int {
	if n <= 1 {
		return 1
	}
	return n * fact(n-1)
}

// mark is written by the program (a watchpoint stop) and by setMark.
var mark int

func setMark(v int) int {
	mark = v
	return v
}

func main() {
	t := T{N: 21}
	p := &T{N: 5}
	x := 777000
	name := "gopher"
	m := map[string]int{"a": 1, "b": 2}
	fmt.Println("before", t.N, p.N, x, name, len(m)) // stop:call
	mark = 1                                         // stop:mark
	var keep [][]byte
	for i := 0; i < 20; i++ {
		keep = append(keep, make([]byte, 1<<20))
		runtime.GC()
	}
	fmt.Println("after", t.N, p.N, calls, len(keep), strings.Repeat("x", 3))
	fmt.Println("done", len(reachable), mark)
}
