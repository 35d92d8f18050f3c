package api

// SourceLine is one numbered line of a source file.
type SourceLine struct {
	Number     int    `json:"number"`
	Text       string `json:"text"`
	Current    bool   `json:"current,omitempty"`    // the current thread's pc is on it
	Breakpoint bool   `json:"breakpoint,omitempty"` // a breakpoint is set on it
}

// SourceListing is part of one source file.
type SourceListing struct {
	File  string       `json:"file"`
	Lines []SourceLine `json:"lines"`
}

// DisassembleRequest asks for a function (Location, "" for the current
// one) or for the range [Start, End) given as address expressions.
type DisassembleRequest struct {
	Location string `json:"location,omitempty"`
	Start    string `json:"start,omitempty"`
	End      string `json:"end,omitempty"`
	// Syntax is "go", "gnu" or "intel"; "" picks go for Go programs and
	// gnu for others.
	Syntax string `json:"syntax,omitempty"`
}

// Instruction is one decoded machine instruction.
type Instruction struct {
	Loc        Location `json:"loc"`
	Bytes      []byte   `json:"bytes"`
	Text       string   `json:"text"` // Go (Plan 9) or GNU syntax, with symbolised targets
	Current    bool     `json:"current,omitempty"`
	Breakpoint bool     `json:"breakpoint,omitempty"`
}
