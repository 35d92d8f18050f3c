// gochurn: Go thread churn with signals. Runs argv[1] goroutines one after
// another, each locked to its OS thread and exiting locked (so the runtime
// ends that thread and clones a new one); every 10th also sends the
// process a SIGUSR1 and waits until os/signal hands it over. Prints
// "signals <n>" and "done <goroutines> <sum>" and exits 0.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
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
	n := 200
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	out := make(chan uint64)
	var sum uint64
	got := 0
	for i := 0; i < n; i++ {
		go work(uint64(i), out)
		sum += <-out
		if i%10 == 0 {
			syscall.Kill(os.Getpid(), syscall.SIGUSR1)
			<-usr1
			got++
		}
	}
	fmt.Printf("signals %d\n", got)
	fmt.Printf("done %d %d\n", n, sum)
}
