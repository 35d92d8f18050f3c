// Command tracefix is the fixture of godbg trace: goroutines calling
// main.add, each printing its own goroutine id, call count and sum.
//
//	tracefix [goroutines [calls [workMicros [exitCode]]]]
//	tracefix loop      calls add every millisecond until killed
package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

//go:noinline
func add(a, b int) int {
	return a + b
}

type point struct{ X, Y int }

//go:noinline
func label(name string, p point) string {
	return fmt.Sprintf("%s@%d,%d", name, p.X, p.Y)
}

// twice is called directly and through a func value (double): a probe
// after its direct call alone would miss the other call's return.
//
//go:noinline
func twice(x int) int {
	return 2 * x
}

var double = twice

// scale takes and returns a float: in X0 under Go's internal ABI.
//
//go:noinline
func scale(f float64) float64 {
	return f * 1.5
}

// tag is a named string type: its data is copied like a string's.
type tag string

//go:noinline
func tagged(s string) tag {
	return tag("#" + s)
}

// positive panics on a negative x; tryPositive recovers and returns -1.
//
//go:noinline
func positive(x int) int {
	if x < 0 {
		panic("negative")
	}
	return x
}

//go:noinline
func tryPositive(x int) (n int) {
	defer func() {
		if recover() != nil {
			n = -1
		}
	}()
	return positive(x)
}

//go:noinline
func spin(micros int) {
	if micros <= 0 {
		return
	}
	end := time.Now().Add(time.Duration(micros) * time.Microsecond)
	for time.Now().Before(end) {
	}
}

// goid parses the goroutine's id from its stack header, as the program
// itself sees it.
func goid() int {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	n, _ := strconv.Atoi(string(b[:bytes.IndexByte(b, ' ')]))
	return n
}

func arg(i, def int) int {
	if len(os.Args) > i {
		if n, err := strconv.Atoi(os.Args[i]); err == nil {
			return n
		}
	}
	return def
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "loop" {
		fmt.Println("ready", os.Getpid())
		for i := 0; ; i++ {
			add(i, 1)
			time.Sleep(time.Millisecond)
		}
	}
	gs, calls, work, code := arg(1, 1), arg(2, 3), arg(3, 0), arg(4, 0)
	fmt.Println(label("start", point{1, 2})) // LINE:label
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for g := 0; g < gs; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum := 0
			for i := 0; i < calls; i++ {
				sum = add(sum, i) // LINE:addcall
				spin(work)
			}
			mu.Lock()
			fmt.Printf("goroutine %d calls %d sum %d\n", goid(), calls, sum)
			total += sum
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Println("total", total)
	fmt.Println("twice", double(total), twice(1))
	fmt.Println("scale", scale(2))
	fmt.Println("positive", tryPositive(5), tryPositive(-5))
	fmt.Println(tagged("x"))
	os.Exit(code)
}
