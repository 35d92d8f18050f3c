// bpgo: 10 goroutines each call hot 100 times and the sum is printed; with
// argument "panic" main panics (unrecovered) after printing "about to panic".
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
)

var total int

//go:noinline
func hot(i int) int {
	return i*2 + 1 // LINE:hotbody
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "panic" {
		fmt.Println("about to panic")
		panic("boom")
	}
	if len(os.Args) > 1 && os.Args[1] == "breakpoint" {
		runtime.Breakpoint()
		fmt.Println("after runtime.Breakpoint")
		return
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := 0; g < 10; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				r := hot(g*100 + i)
				mu.Lock()
				total += r
				mu.Unlock()
			}
		}(g)
	}
	wg.Wait()
	fmt.Printf("sum %d\n", total)
}
