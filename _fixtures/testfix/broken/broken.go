// Package broken does not compile: godbg test must show the compiler's error.
package broken

func F() int { return undefinedName }
