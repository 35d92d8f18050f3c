package api

// Watch describes a watchpoint (a Breakpoint with Watch set).
type Watch struct {
	Expr string `json:"expr"`
	// Kind is "write", "read" or "read-write".
	Kind string `json:"kind"`
	Addr uint64 `json:"addr"`
	Size int    `json:"size"`
	// Mechanism says how it is watched: "hardware DR0 DR1" (debug
	// registers).
	Mechanism string `json:"mechanism"`
	// Scope is the function whose local is watched ("" for other memory).
	Scope string `json:"scope,omitempty"`
}

// WatchStop describes a watchpoint's stop: the value before and after
// the access (the same for a read), or that it went out of scope.
type WatchStop struct {
	ID   int    `json:"id"`
	Expr string `json:"expr"`
	Old  string `json:"old"`
	New  string `json:"new"`
	// OutOfScope: the watched local's function returned; the watchpoint
	// was cleared.
	OutOfScope bool `json:"outOfScope,omitempty"`
}
