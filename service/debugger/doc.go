// Package debugger implements service.Client in process: it owns the
// target, picks the backend (pkg/proc/native for live processes),
// serialises requests, applies the teardown policy (kill what we launched,
// detach from what we attached) and words the errors a user sees.
//
// It reaches processes, images, frames, breakpoints (breaklets, jump
// pads, conditions), the run loop and stepping through pkg/proc/target
// (which picks the backend), giving it the user's selection and the run
// hooks that concern several targets, and the values of a program
// through pkg/proc's evaluators; never pkg/proc/stack, pkg/dwarf or a
// backend (internal/layering lists what it may import). The terminal and
// the servers call it through service.Client.
package debugger
