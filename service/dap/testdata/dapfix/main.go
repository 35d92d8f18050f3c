// dapfix: programs for the DAP server's tests. The first argument picks:
//
//	deep N   recurses N calls of deep, then calls stop (a breakpoint goes there)
//	big      fills a slice of 10000 ints and a map of 2000 entries, calls stop
//	env      prints "env=<$DAPFIX> cwd=<dir> args=<args>" to stdout and
//	         "to stderr" to stderr, calls stop, exits with status 3
//	panic    panics with "boom" (unrecovered)
//	many N   parks N goroutines on a channel, then calls stop 1000 times
//	loop     a loop of 3 iterations over one line (the loop-line case)
//	echo     reads a line from stdin, prints "got <line>"
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

type pair struct {
	A int
	B string
}

var sink int

//go:noinline
func stop(tag string) { sink += len(tag) }

//go:noinline
func deep(n int) int {
	local := n * 2
	if n == 0 {
		stop("deep")
		return local
	}
	return deep(n-1) + local
}

//go:noinline
func big() {
	nums := make([]int, 10000)
	for i := range nums {
		nums[i] = i * 3
	}
	m := make(map[int]string, 2000)
	for i := 0; i < 2000; i++ {
		m[i] = fmt.Sprint("v", i)
	}
	var err error = fmt.Errorf("boom %d", 7)
	var shape any = pair{A: 1, B: "one"}
	p := &pair{A: 2, B: "two"}
	var iface any = &pair{A: 3, B: "three"}
	var num any = 42
	var text any = "hi"
	var list any = []int{7, 8}
	arr := [2]pair{{A: 4, B: "four"}, {A: 5, B: "five"}}
	byName := map[string]*pair{"k": p}
	ptrs := []*pair{p, nil}
	pp := &p
	stop("big")
	sink += len(nums) + len(m) + p.A + len(arr) + len(byName) + len(ptrs) + (*pp).A
	fmt.Println(err, shape, iface, num, text, list)
}

//go:noinline
func park(ch chan int) { <-ch }

//go:noinline
func many(n int) {
	ch := make(chan int)
	for i := 0; i < n; i++ {
		go park(ch)
	}
	for i := 0; i < 1000; i++ {
		stop("many")
	}
}

//go:noinline
func loop() {
	total := 0
	for i := 0; i < 3; i++ {
		total += i * 10 // MARK:loopline
	}
	for i := 0; i < 3; i++ {
		fn := func() int {
			return i
		}
		total += fn() // MARK:loopcapture
	}
	for i, v := range []int{5, 6, 7} {
		total += i * v // MARK:looprange
	}
	fmt.Println("total", total)
}

//go:noinline
func explode(why string) { panic(why) }

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dapfix deep N | big | env | panic")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "deep":
		var n int
		fmt.Sscan(os.Args[2], &n)
		fmt.Println("deep", deep(n))
	case "big":
		big()
	case "env":
		wd, _ := os.Getwd()
		fmt.Printf("env=%s cwd=%s args=%s\n", os.Getenv("DAPFIX"), wd, strings.Join(os.Args[2:], ","))
		fmt.Fprintln(os.Stderr, "to stderr")
		stop("env")
		os.Exit(3)
	case "many":
		var n int
		fmt.Sscan(os.Args[2], &n)
		many(n)
	case "loop":
		loop()
	case "echo":
		line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
		fmt.Printf("got %s", line)
	case "panic":
		explode("boom")
	}
}
