package stack

// For the external tests (package stack_test), which launch their
// fixtures through pkg/proc/target/targettest (pkg/proc/target imports
// this package).
const (
	UcMcontext  = ucMcontext
	MaxSwitches = maxSwitches
)
