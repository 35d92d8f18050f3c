// padloop: main calls hot argv[1] times (default 20000) and tick after
// every 1000th call, then prints "calls <n> sum <s>" and calls finish.
// A never-true condition on hot is evaluated exactly n times.
package main

import (
	"fmt"
	"os"
	"strconv"
)

//go:noinline
func hot(i int) int {
	return i*3 + 1 // LINE:hotbody
}

//go:noinline
func tick(i int) {}

//go:noinline
func finish() {}

func main() {
	n := 20000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	sum := 0
	for i := 0; i < n; i++ {
		sum += hot(i)
		if i%1000 == 999 {
			tick(i)
		}
	}
	fmt.Printf("calls %d sum %d\n", n, sum)
	finish()
}
