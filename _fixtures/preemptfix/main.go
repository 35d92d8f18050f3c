// preemptfix: the Go runtime's preemption under the debugger (issue 12).
//
// With no argument main calls busy, a loop of a few milliseconds without
// calls, on the line marked L:busy: a debugger's next over it after a
// long stop must not make the runtime preempt it (SIGURG).
//
// "preemptfix spin" runs on one P a goroutine spinning in a loop without
// calls (L:spin), which only asynchronous preemption stops, while main
// sleeps and calls tick (L:tick) five times and then runtime.GC(): main
// gets the P back only if the runtime's sysmon preempts the spinner, and
// the collection needs it stopped too.
package main

import (
	"fmt"
	"os"
	"runtime"
	"time"
)

var sink int

//go:noinline
func busy(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i ^ (i >> 3)
	}
	return s
}

func spin() {
	for {
		sink++ // L:spin
	}
}

//go:noinline
func tick(i int) {
	sink += i // L:tick
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "spin" {
		runtime.GOMAXPROCS(1)
		go spin()
		for i := 0; i < 5; i++ {
			time.Sleep(2 * time.Millisecond)
			tick(i)
		}
		runtime.GC()
		fmt.Println("spin done")
		return
	}
	s := busy(1000000) // L:busy
	sink += s          // L:after
	fmt.Println("busy done", sink)
}
