// gochurn: the Go thread-churn fixture (go run ./bench threads; also
// pkg/proc/native's tests). Runs N goroutines (argv[1], default 2000) one
// after another; each locks its OS thread, does a little arithmetic and
// exits still locked, so the runtime ends that thread and the next
// goroutine runs on a new one, cloned by the thread that is ending. With
// argv[2] = K > 0, every K-th goroutine is followed by a SIGUSR1 the
// program sends itself and waits for (os/signal), and "signals <n>" is
// printed. Prints "done N <sum>" last and exits 0.
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
	n, every := 2000, 0
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	if len(os.Args) > 2 {
		every, _ = strconv.Atoi(os.Args[2])
	}
	usr1 := make(chan os.Signal, 1)
	if every > 0 {
		signal.Notify(usr1, syscall.SIGUSR1)
	}
	out := make(chan uint64)
	var sum uint64
	got := 0
	for i := 0; i < n; i++ {
		go work(uint64(i), out)
		sum += <-out
		if every > 0 && i%every == 0 {
			syscall.Kill(os.Getpid(), syscall.SIGUSR1)
			<-usr1
			got++
		}
	}
	if every > 0 {
		fmt.Printf("signals %d\n", got)
	}
	fmt.Printf("done %d %d\n", n, sum)
}
