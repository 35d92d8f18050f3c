// condexpr: calls visit in a loop with a struct pointer, a slice and a map
// whose contents change each call, for conditions that use fields,
// indexing, len and map lookups. Before each call it prints
//
//	call i=<int> x=<p.X> len=<len(s)> s1=<s[1] or -1> k=<m["k"]>
package main

import "fmt"

type point struct {
	X, Y int
	Name string
}

var sink int

//go:noinline
func visit(p *point, s []int, m map[string]int, i int) {
	sink += p.X + len(s) + m["k"] + i // stop:visit
}

func main() {
	m := map[string]int{}
	for i := 0; i < 24; i++ {
		p := &point{X: i % 7, Y: i, Name: fmt.Sprint("p", i)}
		s := make([]int, i%4)
		for j := range s {
			s[j] = i + j
		}
		m["k"] = i % 5
		s1 := -1
		if len(s) > 1 {
			s1 = s[1]
		}
		fmt.Printf("call i=%d x=%d len=%d s1=%d k=%d\n", i, p.X, len(s), s1, m["k"])
		visit(p, s, m, i)
	}
	fmt.Println("done", sink)
}
