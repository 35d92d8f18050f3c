// Command cgointernal links runtime/cgo and no C code of its own, so Go's
// internal linker links it (no C linker): its C functions are host object
// code that the linker lists in .gopclntab without lines.
package main

import (
	"fmt"
	_ "runtime/cgo"
)

func main() { fmt.Println("ok") }
