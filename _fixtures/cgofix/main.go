// Command cgofix calls C functions through cgo from a goroutine of its
// own; it prints that goroutine's id and what the C functions return so
// that tests can check a trace against the program itself.
package main

/*
#include "cfix.h"
*/
import "C"

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
)

// goid is the calling goroutine's id, from its stack trace header.
func goid() string {
	b := make([]byte, 64)
	b = b[:runtime.Stack(b, false)]
	f := bytes.Fields(b)
	if len(f) < 2 {
		return "?"
	}
	return string(f[1])
}

func calls(done chan<- int) {
	fmt.Println("caller goroutine", goid())
	sum := 0
	for i := 0; i < 3; i++ {
		r := C.cmul(C.int(i), C.int(10)) // call-cmul
		sum += int(r)
	}
	fmt.Println("clobber", int(C.cclobber(5)))
	fmt.Println("one", int(C.cone(3)))
	done <- sum
}

func main() {
	done := make(chan int)
	go calls(done)
	sum := <-done
	d := C.cscale(2.5, 3)
	n := C.GoString(C.cname(2))
	fmt.Println("sum", sum)
	fmt.Printf("scale %.2f\n", float64(d))
	fmt.Println("name", n)
	os.Stdout.Sync()
}
