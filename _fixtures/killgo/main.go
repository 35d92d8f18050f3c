// killgo: prints "ready <pid>", waits for a line on stdin, then 10
// goroutines call hot 100 times each; prints "sum <s>" (s = 1000000) and
// exits 0. For tests that kill the debugger while the program is stopped.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sync"
)

//go:noinline
func hot(i int) int {
	return i*2 + 1
}

func main() {
	fmt.Printf("ready %d\n", os.Getpid())
	bufio.NewReader(os.Stdin).ReadString('\n')
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
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
