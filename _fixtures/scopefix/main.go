// scopefix: frames with arguments, results, nested blocks, shadowing,
// closures and data to evaluate expressions on, for pkg/proc/variables
// and pkg/proc/expr. It prints "ready <pid>", then runs the functions
// below in order. Before each stop it prints
//
//	e <expression>\t<%v of its value>   expressions valid at the next stop
//	stop <name>
//
// and then calls mark on the line marked "// L:<name>", where the
// tests set a breakpoint. After the stop "set" it prints what the tests
// may have changed:
//
//	after x=<x> f=<f> b=<b> u=<u> p.X=<p.X> q=<nil|set> arr=<arr> counter=<counter>
package main

import (
	"fmt"
	"os"
	"unsafe"
)

type Point struct{ X, Y int }

type Inner struct {
	N int
	S string
}

type Outer struct {
	Inner
	*Point
	Name string
	Tags []string
	M    map[string]int
	Arr  [3]int16
	Next *Outer
}

type Color int

var counter = 5

var gName = "global"

var gOuter = &Outer{Inner: Inner{N: 1, S: "in"}, Point: &Point{3, 4}, Name: "g", Tags: []string{"t1", "t2"}}

var sink int

var keep func(int) int

// show prints one expression and its value for the tests.
func show(expr string, v any) { fmt.Printf("e %s\t%v\n", expr, v) }

//go:noinline
func mark() { sink++ }

//go:noinline
func args(a int, s string, p *Point, xs []int) (sum int, label string) {
	sum = a + len(xs)
	label = s + "!"
	show("a", a)
	show("s", s)
	show("p.X", p.X)
	show("xs", xs)
	show("sum", sum)
	show("label", label)
	fmt.Println("stop args")
	mark() // L:args
	return
}

//go:noinline
func unnamed(x int, _ string) (int, error) {
	fmt.Println("stop unnamed")
	mark() // L:unnamed
	return x + 1, nil
}

//go:noinline
func blocks(n int) int {
	x := n * 2
	shadow := "outer"
	if n > 0 {
		y := x + 1
		shadow := 7.5
		for i := 0; i < 1; i++ {
			z := y * 3
			show("n", n)
			show("x", x)
			show("y", y)
			show("shadow", shadow)
			show("i", i)
			show("z", z)
			fmt.Println("stop blocks")
			mark() // L:blocks
			later := z + 1
			sink += later
		}
		sink += int(shadow)
	}
	after := x + 1
	return after + len(shadow)
}

//go:noinline
func closures() int {
	base := 10
	cnt := 0
	add := func(d int) int {
		cnt += d
		r := base + cnt + d
		show("d", d)
		show("base", base)
		show("cnt", cnt)
		show("r", r)
		fmt.Println("stop closure")
		mark() // L:closure
		return r
	}
	keep = add
	add(5)
	show("cnt", cnt)
	show("base", base)
	fmt.Println("stop closureouter")
	mark() // L:closureouter
	return cnt
}

//go:noinline
func exprs(o *Outer, m map[string]int, arr [4]int, sl []string, f float64, c Color, u8 uint8, r rune, b bool, np *Point, i64 int64, str string) {
	show("o.Name", o.Name)
	show("o.N", o.N)
	show("o.Inner.S", o.Inner.S)
	show("o.X", o.X)
	show("o.Point.Y", o.Point.Y)
	show("(*o).Name", (*o).Name)
	show("o.Tags[1]", o.Tags[1])
	show("len(o.Tags)", len(o.Tags))
	show("cap(sl)", cap(sl))
	show("o.Arr[2]", o.Arr[2])
	show("o.Next.Name", o.Next.Name)
	show("o.Next.Next == nil", o.Next.Next == nil)
	show(`o.M["two"]`, o.M["two"])
	show(`m["three"]+1`, m["three"]+1)
	show("len(m)", len(m))
	show("arr[3]", arr[3])
	show("arr[1:3]", arr[1:3])
	show("sl[1:]", sl[1:])
	show("sl[:2]", sl[:2])
	show("len(sl[1:2])", len(sl[1:2]))
	show("str[1:4]", str[1:4])
	show("str[0]", str[0])
	show("len(str)", len(str))
	show(`str + "!"`, str+"!")
	show(`str == "hello"`, str == "hello")
	show(`str < "help"`, str < "help")
	show("arr[0]+arr[1]*arr[2]", arr[0]+arr[1]*arr[2])
	show("arr[3]/arr[1]", arr[3]/arr[1])
	show("arr[3]%arr[2]", arr[3]%arr[2])
	show("-arr[1]", -arr[1])
	show("^arr[1]", ^arr[1])
	show("arr[1]<<3", arr[1]<<3)
	show("arr[3]>>1", arr[3]>>1)
	show("arr[1]&arr[2]", arr[1]&arr[2])
	show("arr[1]|arr[2]", arr[1]|arr[2])
	show("arr[1]^arr[2]", arr[1]^arr[2])
	show("f*2", f*2)
	show("f/4", f/4)
	show("f > 1.5", f > 1.5)
	show("-f", -f)
	show("c+1", c+1)
	show("u8+100", u8+100)
	show("u8*2", u8*2)
	show("r", r)
	show("r == 'é'", r == 'é')
	show("b && f > 1", b && f > 1)
	show("!b || false", !b || false)
	show("np == nil", np == nil)
	show("o != nil", o != nil)
	show("i64 * -3", i64*-3)
	show("int(f)", int(f))
	show("float64(arr[1])/2", float64(arr[1])/2)
	show("uint8(arr[3])", uint8(arr[3]))
	show("int8(u8)", int8(u8))
	show("int64(c)", int64(c))
	show("1 + 2*3", 1+2*3)
	show("7 / 2.0", 7/2.0)
	show("counter", counter)
	show("main.counter * 2", counter*2)
	show("gName", gName)
	show("gOuter.Tags[0]", gOuter.Tags[0])
	show("len(main.gOuter.Tags)", len(gOuter.Tags))
	show("*&arr[2]", *&arr[2])
	show("(&o.Arr)[1]", (&o.Arr)[1])
	show(fmt.Sprintf("(*main.Point)(%#x).Y", uintptr(unsafe.Pointer(o.Point))), o.Point.Y)
	show(fmt.Sprintf("(*Point)(%d).X", uintptr(unsafe.Pointer(o.Point))), o.Point.X)
	show("*o.Point", *o.Point)
	show("o.Inner", o.Inner)
	show("sl", sl)
	show("m", m)
	fmt.Println("stop exprs")
	mark() // L:exprs
}

// setter's variables come from its arguments: the compiler would
// otherwise print constants it knows they hold, whatever the tests set.
//
//go:noinline
func setter(x int, f float64, b bool, u uint8) {
	s := "str"
	p := &Point{x, 2}
	q := p
	arr := [3]int{x, 2 * x, 3 * x}
	fmt.Println("stop set")
	mark() // L:set
	qs := "nil"
	if q != nil {
		qs = "set"
	}
	fmt.Printf("after x=%d f=%g b=%t u=%d p.X=%d q=%s arr=%v counter=%d s=%s\n", x, f, b, u, p.X, qs, arr, counter, s)
}

// opt is what the optimized build's tests stop in: a is dead once x is
// computed, so its location list ends before the second call.
//
//go:noinline
func opt(a, b int) int {
	x := a * 3
	work(x)
	y := x + b
	work(y)
	return y
}

//go:noinline
func work(n int) { sink += n }

func main() {
	fmt.Printf("ready %d\n", os.Getpid())
	args(7, "seven", &Point{X: 11, Y: 12}, []int{1, 2, 3})
	unnamed(3, "x")
	blocks(4)
	closures()
	next := &Outer{Name: "next"}
	o := &Outer{
		Inner: Inner{N: 42, S: "inner"},
		Point: &Point{X: 5, Y: 6},
		Name:  "outer",
		Tags:  []string{"a", "bb", "ccc"},
		M:     map[string]int{"one": 1, "two": 2},
		Arr:   [3]int16{-1, 0, 300},
		Next:  next,
	}
	m := map[string]int{"one": 1, "two": 2, "three": 3}
	exprs(o, m, [4]int{2, 5, 12, 29}, []string{"x", "yy", "zzz"}, 2.5, Color(3), 200, 'é', true, nil, -7, "hello")
	setter(1, 1.5, true, 3)
	fmt.Println("opt", opt(4, 5))
	fmt.Println("done", sink)
}
