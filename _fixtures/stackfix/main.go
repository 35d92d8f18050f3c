// stackfix runs call chains of known shape for the pkg/proc/stack tests.
// Each argument names a scenario, run in order:
//
//	chain:N    main.main → a → b → mid → c(N) → … → c(0) → report; mid is
//	           inlined into b when the program is built with optimizations
//	goroutine  a new goroutine: g1 → g2 → g3 → report
//	signal     sig1 → sig2, which sends itself SIGUSR1 (a Go handler is
//	           installed with signal.Notify) and then reports
//	grow:N     a new goroutine recursing N times through big frames, so
//	           that its stack grows (runtime.morestack) many times
//	busy:N     three goroutines recurse, allocate and yield for N seconds,
//	           for tests that halt the program anywhere
//	clock:N    clockLoop calls time.Now for N seconds (the vDSO)
//	gc         gcCall → runtime.GC, which stops the world on the system
//	           stack (runtime.systemstack)
//
// report prints "frames <tag>", one "frame <func> <file>:<line>" line per
// caller of report (from runtime.CallersFrames), "end", and calls
// stop(tag), where the tests set a breakpoint. The program prints
// "ready <pid>" first and "done" last.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	fmt.Printf("ready %d\n", os.Getpid())
	for _, arg := range os.Args[1:] {
		name, n, _ := strings.Cut(arg, ":")
		depth, _ := strconv.Atoi(n)
		switch name {
		case "chain":
			a(depth) // L:call-a
		case "goroutine":
			done := make(chan bool)
			go g1(done)
			<-done
		case "signal":
			sig1()
		case "busy":
			reporting = false
			busy(depth)
			reporting = true
		case "clock":
			clockLoop(depth) // L:call-clockloop
		case "gc":
			gcCall() // L:call-gccall
		case "grow":
			done := make(chan bool)
			go growStart(depth, done)
			<-done
		}
	}
	fmt.Println("done")
}

//go:noinline
func a(n int) {
	b(n) // L:call-b
}

//go:noinline
func b(n int) {
	mid(n) // L:call-mid
}

func mid(n int) {
	c(n) // L:call-c
}

//go:noinline
func c(n int) {
	if n > 0 {
		c(n - 1) // L:call-c-rec
		return
	}
	if reporting {
		report("chain") // L:call-report-c
	}
}

//go:noinline
func g1(done chan bool) {
	g2() // L:call-g2
	done <- true
}

//go:noinline
func g2() {
	g3() // L:call-g3
}

//go:noinline
func g3() {
	report("goroutine") // L:call-report-g3
}

//go:noinline
func sig1() {
	sig2() // L:call-sig2
}

//go:noinline
func sig2() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	runtime.LockOSThread()
	tid := syscall.Gettid()
	syscall.RawSyscall(syscall.SYS_TGKILL, uintptr(os.Getpid()), uintptr(tid), uintptr(syscall.SIGUSR1)) // L:raise
	runtime.UnlockOSThread()
	<-ch
	report("signal") // L:call-report-sig2
}

//go:noinline
func growStart(n int, done chan bool) {
	grow(n) // L:call-grow
	done <- true
}

//go:noinline
func grow(n int) int {
	var pad [512]byte
	pad[n%len(pad)] = byte(n)
	if n == 0 {
		return int(pad[0])
	}
	return grow(n-1) + int(pad[n%len(pad)]) // L:call-grow-rec
}

//go:noinline
func clockLoop(seconds int) {
	start := time.Now()
	for time.Since(start) < time.Duration(seconds)*time.Second { // L:clock
	}
}

func busy(seconds int) {
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	done := make(chan bool)
	for i := 0; i < 3; i++ {
		go func() {
			var keep [][]byte
			for j := 0; time.Now().Before(deadline); j++ {
				go grow(50 + j%50)
				keep = append(keep, make([]byte, 1<<(j%16)))
				if len(keep) > 100 {
					keep = nil
				}
				c(j % 20)
				runtime.Gosched()
			}
			done <- true
		}()
	}
	for i := 0; i < 3; i++ {
		<-done
	}
}

//go:noinline
func gcCall() {
	runtime.GC() // L:call-gc
}

//go:noinline
func report(tag string) {
	pcs := make([]uintptr, 4096)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	var out strings.Builder
	fmt.Fprintf(&out, "frames %s\n", tag)
	for {
		f, more := frames.Next()
		fmt.Fprintf(&out, "frame %s %s:%d\n", f.Function, f.File, f.Line)
		if !more {
			break
		}
	}
	out.WriteString("end\n")
	os.Stdout.WriteString(out.String())
	stop(tag) // L:call-stop
}

var stops int

// reporting is false while busy runs c.
var reporting = true

//go:noinline
func stop(tag string) {
	stops++ // L:stop-here
}
