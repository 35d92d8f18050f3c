// watchfix exercises watchpoints: a package counter written by threads
// started after the watch is set, a read, a local on a stack that grows
// and a function that returns, and values of several sizes.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"syscall"
)

var (
	counter int64 = 10
	shadow  int64
	small   int16
	buf     [4096]byte
	pair    struct {
		A int32
		B [3]int16
	}
)

// bump runs on its own locked thread; the threads stay alive until all
// have written, so each needs a thread of its own.
func bump(turn, next chan struct{}, done *sync.WaitGroup, hold chan struct{}) {
	runtime.LockOSThread()
	<-turn
	counter++ // stop:bump
	fmt.Printf("w tid=%d counter=%d\n", syscall.Gettid(), counter)
	close(next)
	done.Done()
	<-hold
}

func reader() int64 {
	x := shadow // stop:read
	return x
}

//go:noinline
func deep(n int) int {
	var pad [1024]byte
	pad[n%1024] = byte(n)
	if n == 0 {
		return int(pad[0])
	}
	return deep(n-1) + int(pad[n%1024])
}

func local() {
	acc := 1 // stop:localset
	for i := 0; i < 3; i++ {
		acc += i // stop:localwrite
		if i == 1 {
			deep(200) // grows the stack: acc moves
		}
	}
	f := deep
	acc += f(1) - 1 // stop:indirect (an indirect CALL, which steps in place)
	fmt.Printf("acc=%d\n", acc)
}

func after() {
	var other [64]int64 // reuses the stack memory acc had
	for i := range other {
		other[i] = int64(i)
	}
	fmt.Printf("other=%d\n", other[63])
}

func main() {
	runtime.GOMAXPROCS(2)
	fmt.Println("start") // stop:start
	const n = 8
	var done sync.WaitGroup
	hold := make(chan struct{})
	first := make(chan struct{})
	turn := first
	for i := 0; i < n; i++ {
		next := make(chan struct{})
		done.Add(1)
		go bump(turn, next, &done, hold)
		turn = next
	}
	close(first)
	done.Wait()
	close(hold)
	fmt.Printf("counter=%d\n", counter)
	shadow = 5   // stop:shadow5 (a write: a read watch skips it)
	_ = reader() // the read stops
	shadow = 6
	small = 3 // stop:small
	local()
	after()
	buf[100] = 7  // stop:buf
	pair.B[2] = 5 // stop:pair
	fmt.Printf("pair=%v buf=%d small=%d\n", pair, buf[100], small)
	fmt.Println("done")
}
