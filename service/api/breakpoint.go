package api

// Breakpoint is one user (or internal) breakpoint.
type Breakpoint struct {
	ID   int    `json:"id"` // negative for internal ones (unrecovered-panic, fatal-throw)
	Name string `json:"name,omitempty"`
	// Spec is the location as the user gave it.
	Spec      string     `json:"spec"`
	Locations []Location `json:"locations"`
	Cond      string     `json:"cond,omitempty"`
	// HitCond is "<op> <n>" from condition -hitcount.
	HitCond      string      `json:"hitCond,omitempty"`
	TotalHits    int         `json:"totalHits"`
	HitsByThread map[int]int `json:"hitsByThread,omitempty"`
	Disabled     bool        `json:"disabled,omitempty"`
	// Catch: a catchpoint (Spec says what it catches), not a code address.
	Catch bool `json:"catch,omitempty"`
	// Pending: set while its location is not (yet) in the program.
	Pending bool `json:"pending,omitempty"`
	// PendingReason says why the current program lacks the location.
	PendingReason string `json:"pendingReason,omitempty"`
	// watch: Watch is set for a watchpoint.
	Watch *Watch `json:"watch,omitempty"`
	// pad (issue 17): Path is "pad" when the condition runs in a jump pad
	// in the program, "trap" when each hit traps to the debugger ("" for
	// no live process); PadPasses counts every pass through the pads
	// (each evaluation of the condition, true or false); PadWhere says
	// where the pad reads the variable ("i in rax", "i at rsp+24").
	Path      string `json:"path,omitempty"`
	PadPasses uint64 `json:"padPasses,omitempty"`
	PadWhere  string `json:"padWhere,omitempty"`
	// stepb: HitsByGoroutine counts the hits per goroutine in a Go
	// program (Delve's HitCount), beside HitsByThread.
	HitsByGoroutine map[int64]int `json:"hitsByGoroutine,omitempty"`
}
