package proc

import "errors"

// Hit is what a breakpoint condition sees: the hitting thread, stopped at
// the breakpoint's address (pc already rewound), while the other threads
// may still run. It is only valid during the call.
type Hit interface {
	Tid() int
	Registers() (Registers, error)
	ReadMemory(addr uint64, buf []byte) (int, error)
}

// BreakCond decides, on the tracer thread, whether a hit stops the process.
// A false result lets the thread go on at once; the other threads are never
// stopped for it. An error stops the process and is reported with the stop.
type BreakCond func(h Hit) (bool, error)

// ErrBreakpointExists is returned when an address already has a breakpoint.
var ErrBreakpointExists = errors.New("a breakpoint already exists at this address")

// ErrNoBreakpoint is returned when clearing an address without a breakpoint.
var ErrNoBreakpoint = errors.New("no breakpoint at this address")
