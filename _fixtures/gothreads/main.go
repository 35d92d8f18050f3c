// gothreads: a Go program with several busy OS threads and goroutines; prints
// "ready <pid>" and then a counter every 100ms forever (or exits after
// argv[1] ticks).
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"
)

var counter atomic.Int64

func spin(id int) {
	runtime.LockOSThread()
	for {
		counter.Add(int64(id))
		if counter.Load()%1000003 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
}

func main() {
	for i := 1; i <= 4; i++ {
		go spin(i)
	}
	fmt.Printf("ready %d\n", os.Getpid())
	ticks := -1
	if len(os.Args) > 1 {
		ticks, _ = strconv.Atoi(os.Args[1])
	}
	for i := 0; ticks < 0 || i < ticks; i++ {
		time.Sleep(100 * time.Millisecond)
		fmt.Printf("tick %d\n", i)
	}
}
