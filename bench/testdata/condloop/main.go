// Command condloop is the fixture of the bench's cond scenario: main calls
// hot 20,000 times (or os.Args[1] times) and prints the sum of the results,
// so a debugger with a never-true conditional breakpoint on main.hot takes
// that many breakpoint hits and the output shows the run was complete.
package main

import (
	"fmt"
	"os"
	"strconv"
)

//go:noinline
func hot(i int) int {
	return i*3 + 1
}

func main() {
	n := 20000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	sum := 0
	for i := 0; i < n; i++ {
		sum += hot(i)
	}
	fmt.Printf("condloop %d sum %d\n", n, sum)
}
