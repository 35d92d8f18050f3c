// gochurn: the Go thread-churn fixture (go run ./bench threads). Runs N
// goroutines (argv[1], default 2000) one after another; each locks its OS
// thread, does a little arithmetic and exits still locked, so the runtime
// ends that thread and the next goroutine runs on a new one, cloned by the
// thread that is ending. Prints "done N <sum>" and exits 0.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
)

func work(x uint64, out chan<- uint64) {
	runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
	var s uint64
	for i := uint64(0); i < 100; i++ {
		s += (x ^ i) * 2654435761
	}
	out <- s
}

func main() {
	n := 2000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	out := make(chan uint64)
	var sum uint64
	for i := 0; i < n; i++ {
		go work(uint64(i), out)
		sum += <-out
	}
	fmt.Printf("done %d %d\n", n, sum)
}
