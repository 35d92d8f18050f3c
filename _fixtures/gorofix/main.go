// gorofix: goroutines parked in known ways, for pkg/proc/goroutines.
//
// Usage: gorofix [N [quiet]]
//
// It starts N goroutines (default 10) that block in turn on a channel
// receive, a channel send, time.Sleep, a sync.Mutex, a select, a
// sync.WaitGroup and a sync.Cond. Each first prints "g <goid> <kind>"
// (unless quiet), where the goroutine's start function is main.<kind>.
// One more goroutine spins forever ("spin <goid>"), one runs under pprof
// labels role=labeled, n=<goid> and blocks on a channel ("labeled <goid>")
// and one blocks in a read(2) of a pipe, in a system call ("syscall <goid>").
// When they have all parked main prints "ready <pid>", starts a goroutine
// that prints "caller <goid>" and calls stopHere (where the tests put a
// breakpoint), and blocks.
package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	quiet   bool
	started sync.WaitGroup

	recvCh   = make(chan int)
	sendCh   = make(chan int)
	selA     = make(chan int)
	selB     = make(chan int)
	mu       sync.Mutex
	never    sync.WaitGroup
	condMu   sync.Mutex
	cond     = sync.NewCond(&condMu)
	labelCh  = make(chan int)
	spins    atomic.Int64
	stopping atomic.Int64
)

// goid parses the id from runtime.Stack's "goroutine 18 [running]:".
func goid() int64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	f := bytes.Fields(buf[:n])
	id, _ := strconv.ParseInt(string(f[1]), 10, 64)
	return id
}

func announce(kind string) {
	if !quiet {
		fmt.Printf("g %d %s\n", goid(), kind)
	}
	started.Done()
}

func blockRecv()   { announce("blockRecv"); <-recvCh }
func blockSend()   { announce("blockSend"); sendCh <- 1 }
func blockSleep()  { announce("blockSleep"); time.Sleep(24 * time.Hour) }
func blockMutex()  { announce("blockMutex"); mu.Lock() }
func blockWGWait() { announce("blockWGWait"); never.Wait() }

func blockSelect() {
	announce("blockSelect")
	select {
	case <-selA:
	case <-selB:
	}
}

func blockCond() {
	condMu.Lock()
	announce("blockCond")
	for {
		cond.Wait()
	}
}

var kinds = []func(){blockRecv, blockSend, blockSleep, blockMutex, blockSelect, blockWGWait, blockCond}

// parkedReasons are the wait reasons of the blocked goroutines.
var parkedReasons = [][]byte{
	[]byte("[chan receive"), []byte("[chan send"), []byte("[sleep"), []byte("[sync.Mutex.Lock"),
	[]byte("[select"), []byte("[sync.WaitGroup.Wait"), []byte("[sync.Cond.Wait"), []byte("[syscall"),
}

func spin() {
	fmt.Printf("spin %d\n", goid())
	started.Done()
	for {
		spins.Add(1)
	}
}

func labeled() {
	pprof.Do(context.Background(), pprof.Labels("role", "labeled", "n", strconv.FormatInt(goid(), 10)), func(context.Context) {
		fmt.Printf("labeled %d\n", goid())
		started.Done()
		<-labelCh
	})
}

// blockSyscall reads a blocking pipe outside the netpoller, so that it
// stays in the read system call.
func blockSyscall() {
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		panic(err)
	}
	fmt.Printf("syscall %d\n", goid())
	started.Done()
	var b [1]byte
	syscall.Read(fds[0], b[:])
}

//go:noinline
func stopHere(id int64) int64 {
	return stopping.Add(id)
}

func caller() {
	id := goid()
	fmt.Printf("caller %d\n", id)
	stopHere(id)
	select {}
}

// waitParked polls the goroutine dump until want goroutines are blocked
// in one of the fixture's ways (only for small N: the dump is large).
func waitParked(want int) {
	buf := make([]byte, 1<<20)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		n := runtime.Stack(buf, true)
		got := 0
		for _, line := range bytes.Split(buf[:n], []byte("\n")) {
			if !bytes.HasPrefix(line, []byte("goroutine ")) {
				continue
			}
			for _, r := range parkedReasons {
				if bytes.Contains(line, r) {
					got++
					break
				}
			}
		}
		if got >= want {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func main() {
	n := 10
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	quiet = len(os.Args) > 2 && os.Args[2] == "quiet"
	mu.Lock()
	never.Add(1)
	started.Add(n + 3)
	for i := 0; i < n; i++ {
		go kinds[i%len(kinds)]()
	}
	go labeled()
	go spin()
	go blockSyscall()
	started.Wait()
	if n+2 <= 2000 {
		waitParked(n + 2)
	} else {
		time.Sleep(200 * time.Millisecond)
	}
	fmt.Printf("ready %d\n", os.Getpid())
	go caller()
	select {}
}
