// Package calc is what godbg test debugs in the CLI tests.
package calc

// Add returns a+b.
func Add(a, b int) int {
	return a + b
}
