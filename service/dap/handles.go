package dap

import "github.com/godbg/godbg/service/api"

// frameRef is a stack frame of a thread (goroutine or OS thread).
type frameRef struct {
	thread int
	frame  int
}

// varRef is what a variablesReference stands for: a frame's locals or
// arguments (scope set), or a value with children.
type varRef struct {
	frameRef
	scope string // "locals", "args"
	name  string // as listed, for a pointer's one child
	// expr evaluates to the value in its frame; addr is the same value
	// by address, "(*(*T)(0xc000010000))", for when expr cannot be
	// written or fails ("" if the value is not in memory).
	expr, addr string
	// sel, if set, names the children instead of expr: the fields of
	// an interface's dynamic struct are e.Field.
	sel string
	v   api.Variable // as listed (children one level deep)
	// children maps the names last listed to their expressions, for
	// setVariable.
	children map[string]string
}

// prefix is the expression children are named from.
func (r *varRef) prefix() string {
	if r.sel != "" {
		return r.sel
	}
	return r.expr
}

// handles number frames and references. The numbers keep growing across
// stops, so that a stale one is unknown rather than something else.
type handles struct {
	next   int
	frames map[int]frameRef
	vars   map[int]*varRef
}

func (h *handles) reset() {
	h.frames, h.vars = nil, nil
}

func (h *handles) addFrame(f frameRef) int {
	if h.frames == nil {
		h.frames = map[int]frameRef{}
	}
	h.next++
	h.frames[h.next] = f
	return h.next
}

func (h *handles) frame(id int) (frameRef, bool) {
	f, ok := h.frames[id]
	return f, ok
}

func (h *handles) addVar(v *varRef) int {
	if h.vars == nil {
		h.vars = map[int]*varRef{}
	}
	h.next++
	h.vars[h.next] = v
	return h.next
}

func (h *handles) variable(id int) (*varRef, bool) {
	v, ok := h.vars[id]
	return v, ok
}
