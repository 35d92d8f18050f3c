// stepfix: code to step through. Lines the tests stop at carry "// L:name".
//
//	stepfix all         calls shared, fact(4), risky, then prints "done"
//	stepfix goroutines  ten goroutines call shared 200 times each
//	stepfix heavy N     calls heavy(N) once between two calls of mark
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

var sink int

//go:noinline
func add(a, b int) int {
	c := a + b // L:add1
	return c   // L:add2
}

//go:noinline
func shared(id int) int {
	x := id * 2    // L:sh1
	x = add(x, 1)  // L:sh2
	x = add(x, id) // L:sh3
	return x       // L:sh4
}

//go:noinline
func fact(n int) int {
	if n <= 1 { // L:f1
		return 1 // L:f2
	}
	r := fact(n - 1) // L:f3
	return n * r     // L:f4
}

//go:noinline
func risky() (err error) {
	defer func() { // L:r1
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	var m map[string]int
	m["x"] = 1 // L:r4
	return nil // L:r5
} // L:rend

//go:noinline
func heavy(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i ^ (i >> 3)
	}
	return s
}

//go:noinline
func mark(s string) { sink += len(s) }

func main() {
	mode := "all"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	switch mode {
	case "goroutines":
		var wg sync.WaitGroup
		for i := 1; i <= 10; i++ {
			wg.Add(1)
			go func(id int) {
				defer wg.Done()
				for k := 0; k < 200; k++ {
					sink += shared(id) // L:gcall
				}
			}(i)
		}
		wg.Wait()
		fmt.Println("goroutines done")
	case "heavy":
		n, _ := strconv.Atoi(os.Args[2])
		mark("start")
		t0 := time.Now()
		s := heavy(n) // L:heavy
		d := time.Since(t0)
		mark("end") // L:afterheavy
		fmt.Printf("heavy %d ns %d\n", s, d.Nanoseconds())
	default:
		sink += shared(5)              // L:m1
		sink += fact(4)                // L:m2
		err := risky()                 // L:m3
		fmt.Println("done", sink, err) // L:m4
	}
}
