// Command gofix is the Go fixture for pkg/symbols tests. Tests find lines by
// searching for the LINE: marker comments, so edit freely but keep markers.
package main

import (
	"fmt"
	"os"
)

// T is a type with a pointer method.
type T struct{ n int }

// M adds x to t.n.
func (t *T) M(x int) int { // LINE:Mdecl
	t.n += x // LINE:Mbody
	return t.n
}

func foo(a, b int) int { // LINE:foodecl
	c := a * b // LINE:foobody
	if c > 10 {
		c -= 10
	}

	return c // LINE:fooret
}

func main() { // LINE:maindecl
	t := &T{} // LINE:mainfirst
	add := func(x int) int {
		return x + len(os.Args) // LINE:closure
	}
	fmt.Println(foo(3, 4), t.M(add(2))) // LINE:maincall
}
