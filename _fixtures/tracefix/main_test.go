package main

import "testing"

// TestAdd is what godbg trace --test traces: five calls of add.
func TestAdd(t *testing.T) {
	sum := 0
	for i := 0; i < 5; i++ {
		sum = add(sum, i)
	}
	t.Logf("test sum %d", sum)
	if sum != 10 {
		t.Fatalf("sum %d", sum)
	}
}
