package proc

import "errors"

// WatchKind says which accesses a watchpoint stops at.
type WatchKind int

const (
	WatchWrite WatchKind = 1 << iota // stores to the watched memory
	WatchRead                        // loads from it
)

func (k WatchKind) String() string {
	switch k {
	case WatchRead:
		return "read"
	case WatchWrite:
		return "write"
	case WatchRead | WatchWrite:
		return "read-write"
	}
	return "none"
}

// Watcher is the capability of a live backend to stop the process when a
// thread accesses memory (a core file has no such thing: assert it).
//
// A watchpoint covers size bytes at addr on every thread, threads created
// later included. Its hit is reported after the accessing instruction ran
// (the thread's pc is the next instruction) as a Stop with Reason
// StopWatchpoint and Addr the watchpoint's addr; cond (nil: always stop)
// runs on the tracer thread first, as for breakpoints, and a false result
// lets the thread go on without stopping the others.
type Watcher interface {
	// SetWatchpoint returns the mechanism used: "hardware DR0 DR1" (debug
	// registers, while four suffice) or "page protection (N pages)".
	SetWatchpoint(addr uint64, size int, kind WatchKind, cond BreakCond) (string, error)
	ClearWatchpoint(addr uint64) error
}

var (
	// ErrWatchExists is returned when addr is already watched.
	ErrWatchExists = errors.New("a watchpoint already exists at this address")
	// ErrNoWatch is returned when clearing an address without a watchpoint.
	ErrNoWatch = errors.New("no watchpoint at this address")
)
