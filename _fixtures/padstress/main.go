// padstress: 10 goroutines each call hot argv[1] times while another
// goroutine runs runtime.GC in a loop and the CPU profiler samples (to
// io.Discard). Prints "ready <pid>", then "sum <n>" (deterministic), then
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
)

// limit is compared by a pad condition on a package variable.
var limit int64 = 7

//go:noinline
func hot(i int, acc *int64) {
	x := int64(i)*3 + limit
	*acc += x
}

//go:noinline
func finish() {}

func main() {
	n := 1000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
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
			}
		}(g)
	}
	wg.Wait()
	stop.Store(true)
	<-gcDone
	pprof.StopCPUProfile()
	var total int64
	for _, s := range sums {
		total += s
	}
	fmt.Printf("sum %d\n", total)
	finish()
}
