// guardgo ITERS SLEEP_US: prints "ready <pid>", waits for a line on stdin,
// then 2 goroutines call work(i) for i = 0..ITERS-1, sleeping SLEEP_US
// microseconds between calls (none if 0); prints "sum <s>"
// (s = 2 * ITERS * ITERS) and exits 0. For tests that SIGKILL the
// debugger while the program runs with a breakpoint on work.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

//go:noinline
func work(i int) int {
	return i*2 + 1
}

func main() {
	if len(os.Args) != 3 {
		os.Exit(2)
	}
	iters, _ := strconv.Atoi(os.Args[1])
	sleepUs, _ := strconv.Atoi(os.Args[2])
	fmt.Printf("ready %d\n", os.Getpid())
	bufio.NewReader(os.Stdin).ReadString('\n')
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := 0
			for i := 0; i < iters; i++ {
				s += work(i)
				if sleepUs > 0 {
					time.Sleep(time.Duration(sleepUs) * time.Microsecond)
				}
			}
			mu.Lock()
			total += s
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Printf("sum %d\n", total)
}
