package dap

import (
	"fmt"
	"strings"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service/api"
)

// Exception filters (setExceptionBreakpoints): both on by default.
var exceptionFilters = []dap.ExceptionBreakpointsFilter{
	{Filter: "panic", Label: "Panics", Description: "Stop when a goroutine panics (unrecovered or not)", Default: true},
	{Filter: "fatal", Label: "Fatal errors", Description: "Stop at a fatal runtime error (throw), such as a deadlock or a concurrent map write", Default: true},
}

// excState is what setExceptionBreakpoints chose.
type excState struct {
	set      bool // the client chose; before that, every filter is on
	panics   bool
	fatals   bool
	lastDesc string // the exception the program stopped at
}

func (e *excState) stops(kind string) bool {
	if !e.set {
		return true
	}
	if kind == "fatal error" {
		return e.fatals
	}
	return e.panics
}

func (s *session) onSetExceptionBreakpoints(r *dap.SetExceptionBreakpointsRequest) (dap.ResponseMessage, error) {
	e := excState{set: true}
	var out []dap.Breakpoint
	for _, f := range r.Arguments.Filters {
		switch f {
		case "panic":
			e.panics = true
		case "fatal":
			e.fatals = true
		default:
			return nil, fmt.Errorf("setExceptionBreakpoints: unknown filter %q; godbg has \"panic\" and \"fatal\"", f)
		}
		out = append(out, dap.Breakpoint{Verified: true})
	}
	for _, f := range r.Arguments.FilterOptions {
		return nil, fmt.Errorf("setExceptionBreakpoints: filter %q: conditions on exception filters are not supported", f.FilterId)
	}
	e.lastDesc = s.exc.lastDesc
	s.exc = e
	return &dap.SetExceptionBreakpointsResponse{Body: dap.SetExceptionBreakpointsResponseBody{Breakpoints: out}}, nil
}

func (s *session) onExceptionInfo(r *dap.ExceptionInfoRequest) (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	if s.exc.lastDesc == "" {
		return nil, fmt.Errorf("exceptionInfo: the program did not stop at a panic or fatal error")
	}
	id := r.Arguments.ThreadId
	if id == 0 {
		id = s.stop.thread
	}
	body := dap.ExceptionInfoResponseBody{ExceptionId: s.exc.lastDesc, BreakMode: "unhandled",
		Description: s.exc.lastDesc, Details: &dap.ExceptionDetails{Message: s.exc.lastDesc}}
	if err := s.selectFrame(id, 0); err != nil {
		return nil, err
	}
	frames, err := s.client.Stacktrace(50, false)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	for _, f := range frames {
		fmt.Fprintf(&b, "%s\n\t%s:%d\n", f.Location.Function, s.opts.toClient(f.Location.File), f.Location.Line)
	}
	body.Details.StackTrace = b.String()
	// The value: runtime.gopanic(e any), runtime.throw(s string) or
	// runtime.fatal(s string).
	for i, f := range frames {
		var what string
		switch f.Location.Function {
		case "runtime.gopanic":
			what = "e"
		case "runtime.throw", "runtime.fatal":
			what = "s"
		default:
			continue
		}
		if s.selectFrame(id, i) != nil {
			break
		}
		if v, err := s.client.Eval(what, listLoad); err == nil {
			body.Description = valueText(v)
			body.Details.Message, body.Details.TypeName = body.Description, v.Type
			if v.Kind == "interface" && len(v.Children) > 0 {
				body.Details.TypeName = v.Children[0].Type
				body.Description = valueText(&v.Children[0])
				body.Details.Message = body.Description
			}
		}
		break
	}
	return &dap.ExceptionInfoResponse{Body: body}, nil
}

// passOver handles a stop the client does not want to see: a logpoint
// (its message is printed) or an exception whose filter is off. It
// reports whether the program was resumed.
func (s *session) passOver(what string, st *api.State, reason, desc string) bool {
	b := st.Breakpoint
	switch {
	case reason == "breakpoint" && b != nil && b.ID > 0:
		msg := s.bps.logMessage(b.ID)
		if msg == "" {
			return false
		}
		s.output("console", s.interpolate(msg)+"\n")
	case reason == "exception" && b != nil && b.ID < 0:
		if s.exc.stops(desc) {
			return false
		}
	default:
		return false
	}
	if what != "continue" {
		return false // a step that ended here still reports its stop
	}
	s.startRun("continue", func() (*api.State, error) { return s.client.Continue() })
	return true
}

// interpolate replaces each {expr} in a logpoint's message with the
// value of expr at the stop ({{ and }} are literal braces).
func (s *session) interpolate(msg string) string {
	var b strings.Builder
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		switch {
		case c == '{' && strings.HasPrefix(msg[i:], "{{"), c == '}' && strings.HasPrefix(msg[i:], "}}"):
			b.WriteByte(c)
			i++
		case c == '{':
			end := strings.IndexByte(msg[i:], '}')
			if end < 0 {
				b.WriteString(msg[i:])
				return b.String()
			}
			expr := msg[i+1 : i+end]
			if v, err := s.client.Eval(expr, listLoad); err != nil {
				fmt.Fprintf(&b, "<%s: %v>", expr, err)
			} else {
				b.WriteString(valueText(v))
			}
			i += end
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (s *session) onSetInstructionBreakpoints(r *dap.SetInstructionBreakpointsRequest) (dap.ResponseMessage, error) {
	want := make([]bpWant, 0, len(r.Arguments.Breakpoints))
	for _, b := range r.Arguments.Breakpoints {
		addr, err := parseAddr("setInstructionBreakpoints", b.InstructionReference, b.Offset)
		if err != nil {
			return nil, err
		}
		want = append(want, bpWant{spec: fmt.Sprintf("*%#x", addr), cond: b.Condition, hit: b.HitCondition})
	}
	kept, out, err := s.replaceBreakpoints(s.bps.instrs, want)
	if err != nil {
		return nil, err
	}
	s.bps.instrs = kept
	return &dap.SetInstructionBreakpointsResponse{Body: dap.SetInstructionBreakpointsResponseBody{Breakpoints: out}}, nil
}
