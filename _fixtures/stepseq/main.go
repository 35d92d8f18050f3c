// stepseq: code for the in-process stepping sequences of pkg/proc/target
// (testseq_test.go). Lines the sequences stop at carry "// L:name".
package main

import "fmt"

var sink int

//go:noinline
func add(a, b int) int { // L:add0
	c := a + b // L:add1
	return c   // L:add2
} // L:add9

//go:noinline
func twice(x int) int { // L:tw0
	y := add(x, x) // L:tw1
	y = add(y, 1)  // L:tw2
	return y       // L:tw3
} // L:tw9

//go:noinline
func fact(n int) int { // L:f0
	if n <= 1 { // L:f1
		return 1 // L:f2
	}
	r := fact(n - 1) // L:f3
	return n * r     // L:f4
} // L:f9

//go:noinline
func loop(n int) int { // L:lp0
	s := 0                   // L:lp1
	for i := 0; i < n; i++ { // L:lp2
		s += i // L:lp3
	} // L:lp4
	return s // L:lp5
} // L:lp9

//go:noinline
func deferred() (r int) { // L:d0
	defer func() { // L:d1
		r++ // L:d2
	}()
	r = 41   // L:d3
	return r // L:d4
} // L:d9

func main() { // L:m0
	sink = twice(3)    // L:m1
	sink += fact(3)    // L:m2
	sink += loop(2)    // L:m3
	sink += deferred() // L:m4
	fmt.Println(sink)  // L:m5
} // L:m9
