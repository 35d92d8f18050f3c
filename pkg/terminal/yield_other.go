//go:build !linux

package terminal

// yieldCPU does nothing where godbg does not trace (see yield_linux.go).
var yieldCPU = func() {}
