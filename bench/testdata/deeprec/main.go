// deeprec: the stack scenario's fixture. "deeprec N" recurses N frames
// deep through main.rec (rec(N) → rec(N-1) → … → rec(1)), then rec(1)
// calls main.bottom, where the debuggers stop, and the program prints
// "deeprec N sum S".
package main

import (
	"fmt"
	"os"
	"strconv"
)

var sink int

//go:noinline
func bottom(n int) int {
	sink += n // L:bottom
	return sink
}

//go:noinline
func rec(n int) int {
	if n <= 1 {
		return bottom(n)
	}
	return rec(n-1) + 1
}

func main() {
	n := 1000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	fmt.Printf("deeprec %d sum %d\n", n, rec(n))
}
