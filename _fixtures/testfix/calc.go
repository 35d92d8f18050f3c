// Package calc is what godbg test debugs in the CLI tests.
package calc

// Add returns a+b.
func Add(a, b int) int {
	return a + b
}

// Pair is a type types lists.
type Pair struct{ A, B int }

// Sum adds the pair.
func (p Pair) Sum() int { return Add(p.A, p.B) }
