// Package debugger implements service.Client in process: it owns the
// target, picks the backend (pkg/proc/native for live processes),
// serialises requests, applies the teardown policy (kill what we launched,
// detach from what we attached) and words the errors a user sees.
//
// It may import pkg/proc, its backends, pkg/symbols and service/api; the
// terminal and the servers call it through service.Client.
package debugger
