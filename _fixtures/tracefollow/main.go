// Command tracefollow is the fixture of godbg trace --follow-calls:
// outer calls mid and leaf, mid calls inner; leaf is also called outside
// outer. It prints each function's result as it computes it.
package main

import "fmt"

//go:noinline
func inner(x int) int { return x * 3 }

//go:noinline
func leaf(x int) int { return x + 1 }

//go:noinline
func mid(x int) int { return inner(x) + 1 }

//go:noinline
func outer(x int) int { return mid(x) * leaf(x) }

func main() {
	a := leaf(10) // not under outer: never traced with --follow-calls
	b := outer(2)
	fmt.Printf("leaf(10)=%d outer(2)=%d mid(2)=%d inner(2)=%d leaf(2)=%d\n", a, b, mid(2), inner(2), leaf(2))
}
