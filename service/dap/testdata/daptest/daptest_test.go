// Package daptest is a package with tests, for launch mode "test".
package daptest

import (
	"fmt"
	"testing"
)

//go:noinline
func square(n int) int { return n * n }

func TestOne(t *testing.T) { fmt.Println("TestOne", square(2)) }

func TestTwo(t *testing.T) { fmt.Println("TestTwo", square(3)) }
