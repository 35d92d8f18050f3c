// stepbp: breakpoints and steps that share addresses. Lines the tests use
// carry "// L:name".
//
//	stepbp loop      a loop whose body line is reached from the loop head and the back edge
//	stepbp cond      straight-line code for next past a false-condition breakpoint
//	stepbp generic   one generic function instantiated twice
//	stepbp race      four goroutines run the same function (interrupted next)
//	stepbp segv      a nil dereference recovered by the program
//	stepbp segvfatal a nil dereference nobody recovers
//	stepbp brk       runtime.Breakpoint() in the middle of a function
//	stepbp defer     a function with deferred calls
//	stepbp interrupt next over a call that waits for another goroutine to pass a line
//	stepbp deferarg  a panic runs a deferred call with an argument (through its deferwrap)
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
)

var sink int

//go:noinline
func loop(n int) int {
	s := 0
	for i := 0; i < n; i++ { // L:for
		s += i * 3 // L:body
	}
	return s // L:loopret
}

//go:noinline
func cond() int {
	x := 1    // L:c1
	x += 2    // L:c2
	sink += x // L:c3
	return x  // L:c4
}

type number interface{ ~int | ~float64 }

//go:noinline
func sum[T number](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s // L:gret
}

//go:noinline
func work(id int) int {
	a := id + 1 // L:w1
	a *= 2      // L:w2
	a += id     // L:w3
	return a    // L:w4
}

//go:noinline
func nilDeref(p *int) (v int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	return *p, nil // L:deref
}

//go:noinline
func brk() int {
	a := 10
	runtime.Breakpoint() // L:brk
	a += 5               // L:afterbrk
	return a
}

//go:noinline
func deferred() int {
	x := 1
	defer func() { // L:d1
		sink += x // L:dbody
	}()
	x = 2
	return x // L:dret
}

//go:noinline
func handoff(start chan struct{}, ch chan int) int {
	close(start)
	return <-ch
}

//go:noinline
func waiter(start chan struct{}, ch chan int) int {
	v := handoff(start, ch) // L:i1
	return v + 1            // L:i2
}

//go:noinline
func sender(start chan struct{}, ch chan int) {
	<-start
	sink++ // L:s1
	ch <- 1
}

//go:noinline
func cleanup(n int) {
	sink += n // L:cleanup
}

//go:noinline
func panicky() {
	defer cleanup(7)
	var m map[string]int
	m["a"] = 1 // L:panicky
}

func main() {
	mode := "loop"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	switch mode {
	case "loop":
		fmt.Println("loop", loop(3)) // L:mloop
	case "cond":
		fmt.Println("cond", cond()) // L:mcond
	case "generic":
		fmt.Println("generic", sum([]int{1, 2}), sum([]float64{1.5, 2})) // L:mgeneric
	case "race":
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func(id int) {
				defer wg.Done()
				for k := 0; k < 50; k++ {
					sink += work(id)
				}
			}(i)
		}
		wg.Wait()
		fmt.Println("race done")
	case "segv":
		_, err := nilDeref(nil)
		fmt.Println("segv", err) // L:msegv
	case "segvfatal":
		var p *int
		fmt.Println("segvfatal", *p) // L:fatal
	case "brk":
		fmt.Println("brk", brk())
	case "interrupt":
		start, ch := make(chan struct{}), make(chan int)
		go sender(start, ch)
		fmt.Println("interrupt", waiter(start, ch))
	case "deferarg":
		func() {
			defer func() { recover() }()
			panicky()
		}()
		fmt.Println("deferarg", sink)
	case "defer":
		fmt.Println("defer", deferred()) // L:mdefer
	}
}
