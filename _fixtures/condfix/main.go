// condfix: calls hot in a loop with known arguments for conditional
// breakpoint tests. Before each call it prints one line with the values
// hot will see:
//
//	call i=<int> s=<string> f=<float> b=<bool> p=<nil|set> counter=<int> u8=<uint8> i32=<int32>
//
// argv[1] is the number of calls (default 20). Prints "ready <pid>" first.
package main

import (
	"fmt"
	"os"
	"strconv"
)

var counter int

var label = "cond"

var words = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}

var sink int

//go:noinline
func hot(i int, s string, f float64, b bool, p *int) int {
	x := i * 2
	if p != nil {
		y := *p + x
		sink += y
	}
	small(uint8(i), int32(-i), i%2 == 0)
	return x + len(s)
}

//go:noinline
func small(u8 uint8, i32 int32, even bool) {
	var total int64 = int64(u8) + int64(i32)
	sink += int(total)
}

func main() {
	n := 20
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	fmt.Printf("ready %d\n", os.Getpid())
	v := 42
	for i := 0; i < n; i++ {
		var p *int
		if i%2 == 1 {
			p = &v
		}
		counter = i / 2
		s := words[i%len(words)]
		f := float64(i) / 4
		b := i%3 == 0
		ps := "nil"
		if p != nil {
			ps = "set"
		}
		fmt.Printf("call i=%d s=%s f=%g b=%t p=%s counter=%d u8=%d i32=%d\n", i, s, f, b, ps, counter, uint8(i), int32(-i))
		hot(i, s, f, b, p)
	}
	fmt.Println("done", sink, label)
}
