// manygoros: the goroutines scenario's fixture. "manygoros N" starts N
// goroutines that block in turn on a channel receive, a channel send,
// time.Sleep, a sync.Mutex, a select, a sync.WaitGroup and a sync.Cond.
// Once they have all started (and a short pause for the last ones to
// park) it prints "ready N", and a new goroutine calls main.stopHere, where
// the debuggers stop; then the program blocks forever.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

var (
	started sync.WaitGroup
	recvCh  = make(chan int)
	sendCh  = make(chan int)
	selA    = make(chan int)
	selB    = make(chan int)
	mu      sync.Mutex
	never   sync.WaitGroup
	condMu  sync.Mutex
	cond    = sync.NewCond(&condMu)
	sink    int
)

func blockRecv()   { started.Done(); <-recvCh }
func blockSend()   { started.Done(); sendCh <- 1 }
func blockSleep()  { started.Done(); time.Sleep(24 * time.Hour) }
func blockMutex()  { started.Done(); mu.Lock() }
func blockWGWait() { started.Done(); never.Wait() }

func blockSelect() {
	started.Done()
	select {
	case <-selA:
	case <-selB:
	}
}

func blockCond() {
	condMu.Lock()
	started.Done()
	for {
		cond.Wait()
	}
}

var kinds = []func(){blockRecv, blockSend, blockSleep, blockMutex, blockSelect, blockWGWait, blockCond}

//go:noinline
func stopHere(n int) int {
	sink += n // L:stophere
	return sink
}

func main() {
	n := 100000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	mu.Lock()
	never.Add(1)
	started.Add(n)
	for i := 0; i < n; i++ {
		go kinds[i%len(kinds)]()
	}
	started.Wait()
	time.Sleep(200 * time.Millisecond)
	fmt.Printf("ready %d\n", n)
	go func() { stopHere(n) }()
	select {}
}
