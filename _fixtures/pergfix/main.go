// pergfix: two goroutines hit one line three times each (per-goroutine
// hit counts); then a deferred call with a computed argument.
package main

import (
	"fmt"
	"sync"
)

//go:noinline
func work(id, i int) int {
	return id*100 + i // L:work
}

func worker(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < 3; i++ {
		work(id, i)
	}
}

//go:noinline
func cleanup(v int) {
	fmt.Println("cleanup", v)
}

func deferrer(v int) {
	defer cleanup(v + 1)
	fmt.Println("deferrer", v) // L:deferrer
}

func main() {
	var wg sync.WaitGroup
	for id := 1; id <= 2; id++ {
		wg.Add(1)
		go worker(id, &wg)
	}
	wg.Wait()
	deferrer(41)
}
