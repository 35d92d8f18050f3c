// Command traceloop calls main.add n times, with workMicros of busy work
// between calls, and prints the sum: the fixture of the trace scenario.
//
//	traceloop n [workMicros]
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

//go:noinline
func add(a, b int) int { return a + b }

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	work := 0
	if len(os.Args) > 2 {
		work, _ = strconv.Atoi(os.Args[2])
	}
	sum := 0
	for i := 0; i < n; i++ {
		sum = add(sum, i)
		if work > 0 {
			end := time.Now().Add(time.Duration(work) * time.Microsecond)
			for time.Now().Before(end) {
			}
		}
	}
	fmt.Printf("traceloop %d sum %d\n", n, sum)
}
