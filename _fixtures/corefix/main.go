// corefix: a Go program for the core-file tests of pkg/proc/core.
//
// Usage: corefix [crash]
//
// It parks three goroutines on threads of their own (so the process has
// several threads in known states), writes a marker into a global and a
// heap buffer, prints "ready <pid>" and then
// "addrs <global address> <heap address> <variant>", and blocks. With
// "crash" it panics after printing: run under GOTRACEBACK=crash, the
// runtime then aborts with SIGABRT and the kernel writes a core file.
//
// Building it with -ldflags=-X=main.variant=... gives a program of the same
// layout but another build ID.
package main

import (
	"fmt"
	"os"
	"runtime"
	"time"
	"unsafe"
)

var (
	variant = "plain"
	// marker is in .bss: only a core that holds the process's data
	// (not the executable's initial image) has the text written into it.
	marker [64]byte
	heap   []byte
	hold   = make(chan struct{})
)

func parked(ready chan<- struct{}) {
	runtime.LockOSThread()
	ready <- struct{}{}
	<-hold
}

func main() {
	copy(marker[:], fmt.Sprintf("corefix marker pid=%d variant=%s", os.Getpid(), variant))
	heap = make([]byte, 1<<16)
	for i := range heap {
		heap[i] = byte(i*7 + 3)
	}
	ready := make(chan struct{})
	for i := 0; i < 3; i++ {
		go parked(ready)
		<-ready
	}
	time.Sleep(10 * time.Millisecond) // let the runtime settle its threads
	fmt.Printf("ready %d\n", os.Getpid())
	fmt.Printf("addrs %#x %#x %s\n", uintptr(unsafe.Pointer(&marker)), uintptr(unsafe.Pointer(&heap[0])), variant)
	if len(os.Args) > 1 && os.Args[1] == "crash" {
		panic("corefix: crashing on purpose")
	}
	for { // a sleeping main keeps the deadlock detector quiet
		time.Sleep(time.Hour)
	}
}
