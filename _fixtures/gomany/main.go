// gomany: 1,000 goroutines (argv[1]) each call work in a loop, sleeping
// 1 ms every 100 calls. Prints "ready <pid>" once they all run, then
// "tick <calls>" every 10 ms; never ends. For attach-cycle tests.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

var calls atomic.Int64

//go:noinline
func work(i int) int {
	return i*3 + 1
}

func main() {
	n := 1000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	var started sync.WaitGroup
	for g := 0; g < n; g++ {
		started.Add(1)
		go func(g int) {
			started.Done()
			for i := 0; ; i++ {
				work(g + i)
				calls.Add(1)
				if i%100 == 99 {
					time.Sleep(time.Millisecond)
				}
			}
		}(g)
	}
	started.Wait()
	fmt.Printf("ready %d\n", os.Getpid())
	for {
		time.Sleep(10 * time.Millisecond)
		fmt.Printf("tick %d\n", calls.Load())
	}
}
