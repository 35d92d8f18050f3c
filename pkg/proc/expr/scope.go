package expr

import (
	"debug/dwarf"

	"github.com/godbg/godbg/pkg/proc/values"
)

// Memory is the memory of the stopped process: read for every value,
// written by Assign. proc.Process has both methods; a read-only target
// returns an error from WriteMemory.
type Memory interface {
	values.Memory
	values.Writer
}

// Scope is where an expression's names are resolved. FrameScope is the
// scope of a stopped frame; tests use fixed scopes.
type Scope interface {
	// Local returns the argument or local variable name visible in the
	// frame (the innermost of shadowed ones), loaded with cfg. An error
	// wrapping ErrNotFound means the frame has no such variable; any
	// other error (optimized away, unreadable) is reported as is.
	Local(name string, cfg values.LoadConfig) (*values.Value, error)
	// Global returns the package variable name, written as in an
	// expression ("counter" in the frame's package, "main.counter",
	// "pkg.Var"), loaded with cfg; ErrNotFound as for Local.
	Global(name string, cfg values.LoadConfig) (*values.Value, error)
	// LookupType returns the type named as in an expression: "main.T",
	// "[]int", or "T" in the frame's package.
	LookupType(name string) (dwarf.Type, error)
	// Loader reads values of the program's types.
	Loader() *values.Loader
	// Memory is the memory values are read from and written to.
	Memory() Memory
}
