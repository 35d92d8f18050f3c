package dap

import (
	"strings"
)

// commonArgs are the options launch and attach both take (vscode-go's
// names).
type commonArgs struct {
	// ShowGlobalVariables adds a Globals scope: the package variables of
	// the frame's package.
	ShowGlobalVariables bool `json:"showGlobalVariables"`
	// ShowRegisters adds a Registers scope.
	ShowRegisters bool `json:"showRegisters"`
	// HideSystemGoroutines leaves the runtime's goroutines out of threads.
	HideSystemGoroutines bool `json:"hideSystemGoroutines"`
	// StackTraceDepth bounds a stackTrace that asks for every frame
	// (default maxFrames).
	StackTraceDepth int `json:"stackTraceDepth"`
	// SubstitutePath maps the client's paths (from) to the program's
	// (to), and back.
	SubstitutePath []pathRule `json:"substitutePath"`
}

type pathRule struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// toProgram maps a path from the client to the program's.
func (o *commonArgs) toProgram(p string) string {
	for _, r := range o.SubstitutePath {
		if q, ok := cutDir(p, r.From); ok {
			return r.To + q
		}
	}
	return p
}

// toClient maps a path of the program's to the client's.
func (o *commonArgs) toClient(p string) string {
	for _, r := range o.SubstitutePath {
		if q, ok := cutDir(p, r.To); ok {
			return r.From + q
		}
	}
	return p
}

// cutDir cuts prefix dir from p where it ends a path element.
func cutDir(p, dir string) (string, bool) {
	if dir == "" {
		return "", false
	}
	rest, ok := strings.CutPrefix(p, dir)
	if !ok || (rest != "" && !strings.HasPrefix(rest, "/") && !strings.HasSuffix(dir, "/")) {
		return "", false
	}
	return rest, true
}
