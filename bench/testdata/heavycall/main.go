// heavycall: the next scenario's fixture. "heavycall N" calls heavy(N), a
// loop of N iterations, on the line marked "// L:heavy", times the call
// itself and prints "heavycall N sum S ns D", D being the call's own time
// in nanoseconds. The line after the call is marked "// L:afterheavy": a
// debugger's next from the call's line stops there.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

//go:noinline
func heavy(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i ^ (i >> 3)
	}
	return s
}

func main() {
	n := 1000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	t0 := time.Now()
	s := heavy(n)       // L:heavy
	d := time.Since(t0) // L:afterheavy
	fmt.Printf("heavycall %d sum %d ns %d\n", n, s, d.Nanoseconds())
}
