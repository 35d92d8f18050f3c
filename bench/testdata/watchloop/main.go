// watchloop runs a hot loop that writes shared.hotA and shared.hotB on
// every iteration and main.rare (and one byte of shared.buf) k times in
// all: usage watchloop <iterations> <k>. shared.buf is 4000 bytes between
// the two hot arrays, so a page-protection watch on it shares a page with
// hot data whatever the struct's alignment.
package main

import (
	"fmt"
	"os"
	"strconv"
)

var (
	rare   int64
	shared struct {
		hotA [8]uint64
		buf  [4000]byte
		hotB [8]uint64
	}
)

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	k, _ := strconv.Atoi(os.Args[2])
	every := n / k
	var sum uint64
	for i := 0; i < n; i++ {
		shared.hotA[i&7]++
		shared.hotB[i&7] += 2
		if (i+1)%every == 0 {
			rare++
			shared.buf[int(rare)%4000]++
		}
	}
	for j := range shared.hotA {
		sum += shared.hotA[j] + shared.hotB[j]
	}
	fmt.Printf("watchloop %d rare %d sum %d\n", n, rare, sum)
}
