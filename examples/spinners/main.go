// Spinners is the bundled example for a first godbg session: a Go program
// with several OS threads busy at once, and a few goroutines that wake up.
//
//	go run ./cmd/godbg debug ./examples/spinners
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"time"
)

var total atomic.Int64

// spin keeps one OS thread busy, adding to total.
func spin(id int) {
	runtime.LockOSThread()
	for {
		total.Add(int64(id))
		if total.Load()%(1<<20) == 0 {
			time.Sleep(time.Millisecond)
		}
	}
}

func main() {
	for i := 1; i <= 3; i++ {
		go spin(i)
	}
	fmt.Printf("spinners: pid %d, 3 busy threads; press Ctrl-C in godbg to stop them all\n", os.Getpid())
	for tick := 0; ; tick++ {
		time.Sleep(time.Second)
		fmt.Printf("tick %d total %d\n", tick, total.Load())
	}
}
