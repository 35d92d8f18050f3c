// setfix: holds a string, a slice of strings and empty interfaces for
// set to change at the stop line; after the stop it prints them, so a
// test sees what the program itself reads:
//
//	after s="..." s1=[...] i=<%#v> j=<%#v> k=<%#v>
package main

import "fmt"

type pair struct{ A, B int32 }

func main() {
	s := fmt.Sprint("old") // not a constant: the compiler would print a static copy
	s1 := []string{"a", "b"}
	var i, j, k any
	p := pair{3, 4}
	fmt.Println("before", s, s1, i, j, k, p)
	fmt.Println("stop") // stop:set
	fmt.Printf("after s=%q s1=%q i=%#v j=%#v k=%#v\n", s, s1, i, j, k)
}
