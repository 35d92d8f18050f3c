// srcfix is a small program for the source and disassembly commands:
// list, funcs, sources, disassemble. Tests find lines by the marker
// comments, never by number.
package main

import (
	"fmt"
	"os"
)

func add(a, b int) int { // marker: add
	return a + b
}

func twice(x int) int {
	return add(x, x)
}

func main() { // marker: main decl
	x := 1        // marker: main first
	y := twice(x) // marker: main call
	if len(os.Args) > 1 {
		y = add(y, len(os.Args))
	}
	fmt.Println(x, y) // marker: main print
}
