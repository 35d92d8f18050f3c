package dap

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service/api"
)

// Data breakpoints (VS Code's "Break on Value Change") are godbg
// watchpoints: dataBreakpointInfo turns a variable of a variables view
// (or an expression) into the expression to watch, setDataBreakpoints
// replaces the client's watchpoints with new ones.

func (s *session) onDataBreakpointInfo(r *dap.DataBreakpointInfoRequest) (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	a := r.Arguments
	expr := a.Name
	if a.VariablesReference != 0 {
		ref, ok := s.handles.variable(a.VariablesReference)
		if !ok {
			return nil, fmt.Errorf("unknown variablesReference %d (references last until the program runs again)", a.VariablesReference)
		}
		expr = childExpr(ref, a.Name)
	}
	body := dap.DataBreakpointInfoResponseBody{DataId: nil, Description: "cannot watch " + a.Name}
	if expr == "" {
		return &dap.DataBreakpointInfoResponse{Body: body}, nil
	}
	v, err := s.client.Eval(expr, api.LoadConfig{MaxStringLen: 1, MaxArrayValues: 1})
	switch {
	case err != nil:
		body.Description = fmt.Sprintf("cannot watch %s: %v", expr, err)
	case v.Addr == 0:
		body.Description = fmt.Sprintf("cannot watch %s: it is not in memory", expr)
	default:
		body.DataId, body.Description = expr, expr
		body.AccessTypes = []dap.DataBreakpointAccessType{"write", "read", "readWrite"}
	}
	return &dap.DataBreakpointInfoResponse{Body: body}, nil
}

func (s *session) onSetDataBreakpoints(r *dap.SetDataBreakpointsRequest) (dap.ResponseMessage, error) {
	if err := s.stoppable(); err != nil {
		return nil, err
	}
	resume, err := s.haltQuietly()
	if err != nil {
		return nil, err
	}
	if resume {
		s.after = append(s.after, func() { s.startRun("continue", func() (*api.State, error) { return s.client.Continue() }) })
	}
	for _, id := range s.watches {
		s.client.ClearBreakpoint(strconv.Itoa(id)) // gone already (out of scope): fine
	}
	s.watches = nil
	out := make([]dap.Breakpoint, 0, len(r.Arguments.Breakpoints))
	for _, db := range r.Arguments.Breakpoints {
		kind := map[dap.DataBreakpointAccessType]string{"": "w", "write": "w", "read": "r", "readWrite": "rw"}[db.AccessType]
		if kind == "" {
			out = append(out, dap.Breakpoint{Message: fmt.Sprintf("unknown accessType %q", db.AccessType)})
			continue
		}
		if db.Condition != "" {
			out = append(out, dap.Breakpoint{Message: "conditions on data breakpoints are not supported"})
			continue
		}
		b, err := s.client.CreateWatchpoint(db.DataId, kind)
		if err != nil {
			out = append(out, dap.Breakpoint{Message: err.Error()})
			continue
		}
		s.watches = append(s.watches, b.ID)
		out = append(out, dap.Breakpoint{Id: b.ID, Verified: true, Message: b.Watch.Mechanism})
	}
	return &dap.SetDataBreakpointsResponse{Body: dap.SetDataBreakpointsResponseBody{Breakpoints: out}}, nil
}

// watchStopped describes a watchpoint's stop for the stopped event and
// the console.
func (s *session) watchStopped(st *api.State) (desc string, hit []int) {
	w := st.Watch
	if w.OutOfScope {
		s.output("console", fmt.Sprintf("Watchpoint %d went out of scope and was cleared\n", w.ID))
		return "watchpoint out of scope", nil
	}
	return fmt.Sprintf("%s: %s -> %s", w.Expr, w.Old, w.New), []int{w.ID}
}

// evalCall runs "call f(x)" typed in the debug console.
func (s *session) evalCall(expr string) (dap.ResponseMessage, error) {
	src := strings.TrimSpace(strings.TrimPrefix(expr, "call "))
	unsafe := false
	if rest, ok := strings.CutPrefix(src, "-unsafe "); ok {
		unsafe, src = true, strings.TrimSpace(rest)
	}
	vs, err := s.client.CallFunction(src, unsafe)
	if err != nil {
		return nil, err
	}
	var parts []string
	for _, v := range vs {
		val := v.Value
		if v.Err != "" {
			val = "(" + v.Err + ")"
		}
		parts = append(parts, v.Name+": "+val)
	}
	return &dap.EvaluateResponse{Body: dap.EvaluateResponseBody{Result: strings.Join(parts, ", ")}}, nil
}
