package api

import "time"

// TraceEvent is one call or return of a traced function (godbg trace).
type TraceEvent struct {
	Func      string `json:"func"`
	Goroutine int64  `json:"goroutine"`
	Tid       int    `json:"tid,omitempty"`
	// Return: the function returns (Values are its results); otherwise
	// it is called (Values are its arguments).
	Return bool `json:"return,omitempty"`
	// Values are "name = value" renderings in print's short form, in
	// declaration order; nil when values are not read (count mode).
	Values []TraceValue `json:"values,omitempty"`
	// Stack is the caller stack under a call (--stack N), innermost first.
	Stack []Location `json:"stack,omitempty"`
	// Time is when the probe fired.
	Time time.Time `json:"time"`
	// Depth is, with --follow-calls, the frame of the outermost traced
	// root function counted from the probed one (1: a root itself).
	Depth int `json:"depth,omitempty"`
}

// TraceValue is one argument or result of a traced call.
type TraceValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// TraceConfig says what godbg trace probes.
type TraceConfig struct {
	// Funcs is a regular expression over full function names.
	Funcs string
	// Stack is how many caller frames to read at each call (0: none).
	Stack int
	// NoValues skips reading arguments and results (count and latency).
	NoValues bool
	// NoReturns probes calls only (count).
	NoReturns bool
	// FollowCalls also traces the functions called directly from the
	// matched ones, to this depth; their calls are reported only when a
	// matched function is on the stack (ptrace backend).
	FollowCalls int
}
