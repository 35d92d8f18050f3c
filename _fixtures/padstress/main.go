// padstress: 10 goroutines each call hot argv[1] times while another
// goroutine runs runtime.GC in a loop and the CPU profiler samples (to
// io.Discard); with argv[2], each goroutine sleeps argv[2] µs every 1000
// calls (the output is the same). Prints "ready <pid>", then "sum <n> calls <10n>" (deterministic), then
// calls finish (a place for a breakpoint before exit).
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// limit is compared by a pad condition on a package variable.
var limit int64 = 7

//go:noinline
func hot(i int, acc *int64) {
	x := int64(i)*3 + limit
	*acc += x
}

// calls counts each goroutine's passes through count (the program's own
// count, read by a debugger at a halt).
var calls [10]int64

//go:noinline
func count(c *int64) {
	*c++
}

//go:noinline
func finish() {}

func main() {
	n := 1000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	var pace time.Duration // argv[2]: µs of sleep per 1000 calls
	if len(os.Args) > 2 {
		us, _ := strconv.Atoi(os.Args[2])
		pace = time.Duration(us) * time.Microsecond
	}
	fmt.Printf("ready %d\n", os.Getpid())
	if err := pprof.StartCPUProfile(io.Discard); err != nil {
		fmt.Println("profile:", err)
	}
	var stop atomic.Bool
	gcDone := make(chan int)
	go func() {
		k := 0
		for !stop.Load() {
			runtime.GC()
			k++
		}
		gcDone <- k
	}()
	var wg sync.WaitGroup
	sums := make([]int64, 10)
	for g := 0; g < 10; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < n; i++ {
				hot(i, &sums[g])
				count(&calls[g])
				if pace > 0 && i%1000 == 999 {
					time.Sleep(pace)
				}
			}
		}(g)
	}
	wg.Wait()
	stop.Store(true)
	<-gcDone
	pprof.StopCPUProfile()
	var total, ncalls int64
	for g, s := range sums {
		total += s
		ncalls += calls[g]
	}
	fmt.Printf("sum %d calls %d\n", total, ncalls)
	finish()
}
