package dap

import (
	"fmt"
	"strings"

	"github.com/godbg/godbg/service/api"
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
	// GoroutineFilters keep only some goroutines in threads, in the
	// goroutines command's syntax: "-with user", "-w curloc main.go",
	// "-without label role=idle", "-w running".
	GoroutineFilters string `json:"goroutineFilters"`

	// ShowLog shows the server's log (requests, errors) in the debug
	// console; LogOutput names the layers ("dap").
	ShowLog   bool   `json:"showLog"`
	LogOutput string `json:"logOutput"`

	filters  []api.GoroutineFilter // parsed
	userOnly bool                  // -with user
}

// parseFilters reads GoroutineFilters.
func (o *commonArgs) parseFilters() error {
	f := strings.Fields(o.GoroutineFilters)
	for i := 0; i < len(f); i++ {
		neg := false
		switch f[i] {
		case "-with", "-w":
		case "-without", "-wo":
			neg = true
		default:
			return fmt.Errorf("goroutineFilters %q: %q: give -with or -without, then user, a state, or curloc|userloc|goloc|startloc|label and an argument", o.GoroutineFilters, f[i])
		}
		if i++; i == len(f) {
			return fmt.Errorf("goroutineFilters %q: %s needs what to match", o.GoroutineFilters, f[i-1])
		}
		kind := f[i]
		switch kind {
		case "user":
			if neg {
				return fmt.Errorf("goroutineFilters %q: -without user is not supported", o.GoroutineFilters)
			}
			o.userOnly = true
			continue
		case "curloc", "userloc", "goloc", "startloc", "label":
			if i++; i == len(f) {
				return fmt.Errorf("goroutineFilters %q: %s needs an argument", o.GoroutineFilters, kind)
			}
			o.filters = append(o.filters, api.GoroutineFilter{Kind: kind, Arg: f[i], Negated: neg})
		default: // a state: running, waiting, ...
			o.filters = append(o.filters, api.GoroutineFilter{Kind: "state", Arg: kind, Negated: neg})
		}
	}
	return nil
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
