// cgo: a Go → C → C call chain for the pkg/proc/stack tests: main.main →
// main.viaC → C.c_outer → c_leaf, where the tests set a breakpoint. Prints
// "ready <pid>" first and "done" last.
package main

/*
volatile int c_stops;

__attribute__((noinline)) void c_leaf(int n) {
	c_stops += n;
}

__attribute__((noinline)) void c_outer(int n) {
	c_leaf(n + 1);
	c_stops++;
}
*/
import "C"

import (
	"fmt"
	"os"
)

func main() {
	fmt.Printf("ready %d\n", os.Getpid())
	viaC() // L:call-viac
	fmt.Println("done")
}

//go:noinline
func viaC() {
	C.c_outer(1) // L:call-c
}
