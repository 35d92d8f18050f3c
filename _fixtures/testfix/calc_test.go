package calc

import (
	"fmt"
	"os"
	"testing"
)

func TestAdd(t *testing.T) {
	wd, _ := os.Getwd()
	fmt.Println("TestAdd wd", wd)
	got := Add(2, 3) // the add line
	fmt.Println("TestAdd got", got)
	if got != 5 {
		t.Fatalf("Add(2, 3) = %d", got)
	}
}

func TestOther(t *testing.T) {
	fmt.Println("TestOther ran")
}

func TestPair(t *testing.T) {
	if s := (Pair{A: 1, B: 2}).Sum(); s != 3 {
		t.Fatalf("Sum = %d", s)
	}
}
