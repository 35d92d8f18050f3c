package dap

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service/api"
)

// moreScopes are the Globals (showGlobalVariables) and Registers
// (showRegisters) scopes of a frame.
func (s *session) moreScopes(fr frameRef) []dap.Scope {
	var out []dap.Scope
	if s.opts.ShowGlobalVariables {
		if err := s.selectFrame(fr.thread, fr.frame); err == nil {
			if f, err := s.client.Stacktrace(fr.frame+1, false); err == nil && fr.frame < len(f) {
				if pkg := packageOf(f[fr.frame].Location.Function); pkg != "" {
					ref := s.handles.addVar(&varRef{frameRef: fr, scope: "globals", name: pkg})
					out = append(out, dap.Scope{Name: "Globals (package " + pkg + ")", VariablesReference: ref})
				}
			}
		}
	}
	if s.opts.ShowRegisters {
		ref := s.handles.addVar(&varRef{frameRef: fr, scope: "registers"})
		out = append(out, dap.Scope{Name: "Registers", PresentationHint: "registers", VariablesReference: ref})
	}
	return out
}

// packageOf is the package path of a function: "main" of main.f,
// "example.com/m/pkg" of example.com/m/pkg.(*T).M.
func packageOf(fn string) string {
	slash := strings.LastIndex(fn, "/")
	dot := strings.Index(fn[slash+1:], ".")
	if dot < 0 {
		return ""
	}
	return fn[:slash+1+dot]
}

// globals lists the package variables of the scope's package.
func (s *session) globals(ref *varRef) ([]api.Variable, error) {
	return s.client.PackageVars("^"+regexp.QuoteMeta(ref.name)+`\.[^.]+$`, listLoad)
}

// registers lists the frame's thread's registers as variables (hex).
func (s *session) registers() ([]api.Variable, error) {
	regs, err := s.client.ListRegisters(false)
	if err != nil {
		return nil, err
	}
	out := make([]api.Variable, 0, len(regs))
	for _, r := range regs {
		v := api.Variable{Name: r.Name, Kind: "uint64", Type: "uint64", Value: fmt.Sprintf("%#x", r.Value)}
		if r.Text != "" {
			v.Value += " " + r.Text
		}
		out = append(out, v)
	}
	return out, nil
}

// returnedPrefix names the results of the function a step out left
// ("returned ~r0"), first among the Locals after the step.
const returnedPrefix = "returned "

func returnedValues(vs []api.Variable) []api.Variable {
	out := make([]api.Variable, 0, len(vs))
	for _, v := range vs {
		v.Name = returnedPrefix + v.Name
		out = append(out, v)
	}
	return out
}
