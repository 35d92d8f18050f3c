package dap

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/google/go-dap"

	"github.com/godbg/godbg/service/api"
)

const (
	// pageMax bounds the elements one variables request loads.
	pageMax = 1000
)

// listLoad is how much of a value a listing reads: one level of
// children, long strings, the first page of elements.
var listLoad = api.LoadConfig{MaxStringLen: 512, MaxArrayValues: 100}

// errTerminal answers debugger commands typed into the console.
var errTerminal = errors.New("terminal commands need godbg's console (godbg dap): type a Go expression")

func (s *session) onScopes(r *dap.ScopesRequest) (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	fr, ok := s.handles.frame(r.Arguments.FrameId)
	if !ok {
		return nil, fmt.Errorf("unknown frame id %d (frame ids last until the program runs again)", r.Arguments.FrameId)
	}
	locals := s.handles.addVar(&varRef{frameRef: fr, scope: "locals"})
	args := s.handles.addVar(&varRef{frameRef: fr, scope: "args"})
	scopes := []dap.Scope{
		{Name: "Locals", PresentationHint: "locals", VariablesReference: locals},
		{Name: "Arguments", PresentationHint: "arguments", VariablesReference: args},
	}
	return &dap.ScopesResponse{Body: dap.ScopesResponseBody{Scopes: append(scopes, s.moreScopes(fr)...)}}, nil
}

func (s *session) onVariables(r *dap.VariablesRequest) (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	a := r.Arguments
	ref, ok := s.handles.variable(a.VariablesReference)
	if !ok {
		return nil, fmt.Errorf("unknown variablesReference %d (references last until the program runs again)", a.VariablesReference)
	}
	if err := s.selectFrame(ref.thread, ref.frame); err != nil {
		return nil, err
	}
	var vs []dap.Variable
	var err error
	if ref.scope != "" {
		vs, err = s.frameVariables(ref)
	} else {
		vs, err = s.children(ref, a.Filter, max(a.Start, 0), a.Count)
	}
	if err != nil {
		return nil, err
	}
	if vs == nil {
		vs = []dap.Variable{}
	}
	return &dap.VariablesResponse{Body: dap.VariablesResponseBody{Variables: vs}}, nil
}

// frameVariables lists a frame's locals or arguments.
func (s *session) frameVariables(ref *varRef) ([]dap.Variable, error) {
	var list []api.Variable
	var err error
	switch ref.scope {
	case "locals":
		list, err = s.client.Locals("", listLoad)
		if ref.frame == 0 && ref.thread == s.stop.thread && len(s.stop.returned) > 0 && err == nil {
			list = append(returnedValues(s.stop.returned), list...)
		}
	case "globals":
		list, err = s.globals(ref)
	case "registers":
		list, err = s.registers()
	default:
		list, err = s.client.Args(listLoad)
	}
	if err != nil {
		return nil, err
	}
	ref.children = map[string]string{}
	out := make([]dap.Variable, 0, len(list))
	for _, v := range list {
		name, expr := v.Name, v.Name
		if v.Shadowed {
			name, expr = "("+v.Name+")", ""
		}
		if ref.scope == "registers" || strings.HasPrefix(name, returnedPrefix) {
			expr = ""
		}
		out = append(out, s.dapVar(ref, name, expr, v))
	}
	return out, nil
}

// dapVar describes a value; one with children gets a reference, which
// is recorded under the parent's names.
func (s *session) dapVar(parent *varRef, name, expr string, v api.Variable) dap.Variable {
	if parent != nil && parent.children != nil {
		parent.children[name] = expr
	}
	dv := dap.Variable{Name: name, Value: valueText(&v), Type: v.Type, EvaluateName: expr}
	if v.Addr != 0 {
		dv.MemoryReference = fmt.Sprintf("%#x", v.Addr) // readMemory/writeMemory
	}
	if !hasChildren(&v) {
		return dv
	}
	var fr frameRef
	if parent != nil {
		fr = parent.frameRef
	}
	dv.VariablesReference = s.handles.addVar(&varRef{frameRef: fr, name: name, expr: expr, addr: addrExpr(&v), v: v})
	switch v.Kind {
	case "slice", "array", "chan", "map":
		dv.IndexedVariables = int(v.Len)
	case "struct":
		dv.NamedVariables = int(v.Len)
	}
	return dv
}

func valueText(v *api.Variable) string {
	if v.Err != "" {
		return "(unreadable " + v.Err + ")"
	}
	return v.Value
}

func hasChildren(v *api.Variable) bool {
	if v.Err != "" {
		return false
	}
	switch v.Kind {
	case "struct":
		return v.Len > 0 || len(v.Children) > 0
	case "slice", "array", "chan", "map":
		return v.Len > 0
	case "ptr", "interface":
		return !strings.HasSuffix(v.Value, "nil")
	}
	return false
}

// children lists a value's fields, elements (a page: start, count),
// map entries, pointee or dynamic value.
func (s *session) children(ref *varRef, filter string, start, count int) ([]dap.Variable, error) {
	ref.children = map[string]string{}
	switch ref.v.Kind {
	case "slice", "array", "chan", "map":
		if filter == "named" {
			return nil, nil
		}
		return s.elements(ref, start, count)
	case "struct":
		if filter == "indexed" {
			return nil, nil
		}
		v, err := s.reload(ref, listLoad)
		if err != nil {
			return nil, err
		}
		out := make([]dap.Variable, 0, len(v.Children))
		for _, c := range v.Children {
			out = append(out, s.dapVar(ref, c.Name, join(ref.prefix(), "."+c.Name), c))
		}
		return out, nil
	case "ptr":
		if filter == "indexed" {
			return nil, nil
		}
		return s.pointee(ref)
	case "interface":
		if filter == "indexed" {
			return nil, nil
		}
		return s.dynamic(ref)
	}
	return nil, nil
}

// pointee lists what a pointer points to: the fields or elements of a
// composite, else the one value.
func (s *session) pointee(ref *varRef) ([]dap.Variable, error) {
	deref := &varRef{frameRef: ref.frameRef, children: ref.children, sel: ref.sel}
	if ref.expr != "" {
		deref.expr = "(*" + ref.expr + ")"
	}
	if ref.addr != "" {
		deref.addr = "(*" + ref.addr + ")"
	}
	v, err := s.reload(deref, listLoad)
	if err != nil {
		return nil, err
	}
	return s.inner(ref, deref, "*"+ref.name, v)
}

// dynamic lists an interface's dynamic value like pointee. Its children
// are named through a type assertion, iface.(*main.T).Field, when the
// expression language takes it; else the fields of a struct (or of one
// a pointer points to) through the interface itself (e.Field), other
// values by their address.
func (s *session) dynamic(ref *varRef) ([]dap.Variable, error) {
	v, err := s.reload(ref, listLoad)
	if err != nil {
		return nil, err
	}
	if len(v.Children) == 0 {
		return nil, nil
	}
	dyn := v.Children[0]
	inner := &varRef{frameRef: ref.frameRef, children: ref.children, addr: addrExpr(&dyn), v: dyn}
	inner.expr = s.assertExpr(ref.expr, dyn.Type)
	if inner.expr == "" {
		inner.expr = inner.addr
		if dyn.Kind == "struct" || dyn.Kind == "ptr" {
			inner.sel = ref.expr // e.Field (through a pointer too)
		}
	}
	if dyn.Kind == "ptr" && !strings.HasSuffix(dyn.Value, "nil") {
		// *T in an interface: show T's fields.
		return s.pointee(inner)
	}
	full, err := s.reload(inner, listLoad)
	if err != nil {
		full = &dyn
	}
	return s.inner(ref, inner, "data", full)
}

// assertExpr is iface.(T) if it evaluates, else "".
func (s *session) assertExpr(iface, typ string) string {
	if iface == "" || typ == "" {
		return ""
	}
	e := paren(iface) + ".(" + typeExpr(typ) + ")"
	if _, err := s.client.Eval(e, api.LoadConfig{MaxStringLen: 1, MaxArrayValues: 1}); err != nil {
		return ""
	}
	return e
}

// inner lists the children of v (known as ref), or v itself as one
// child called name when it has none of its own.
func (s *session) inner(parent, ref *varRef, name string, v *api.Variable) ([]dap.Variable, error) {
	ref.v = *v
	switch v.Kind {
	case "struct", "slice", "array", "chan", "map":
		if hasChildren(v) {
			return s.children(ref, "", 0, 0)
		}
	}
	parent.children = map[string]string{}
	return []dap.Variable{s.dapVar(parent, name, ref.expr, *v)}, nil
}

// elements lists a page of an array, slice, channel buffer or map.
func (s *session) elements(ref *varRef, start, count int) ([]dap.Variable, error) {
	total := int(ref.v.Len)
	if count <= 0 || start+count > total {
		count = total - start
	}
	count = min(count, pageMax)
	if count <= 0 {
		return nil, nil
	}
	cfg := listLoad
	var v *api.Variable
	var err error
	offset := start // index of v.Children[0]
	if (ref.v.Kind == "slice" || ref.v.Kind == "array") && start > 0 && ref.expr != "" {
		// Only the page is read: x[start:start+count].
		cfg.MaxArrayValues = count
		v, err = s.client.Eval(fmt.Sprintf("%s[%d:%d]", paren(ref.expr), start, start+count), cfg)
	}
	if v == nil || err != nil {
		cfg.MaxArrayValues = start + count
		if v, err = s.reload(ref, cfg); err != nil {
			return nil, err
		}
		offset = 0
	}
	if ref.v.Kind == "map" {
		return s.mapEntries(ref, v, start, count), nil
	}
	out := make([]dap.Variable, 0, count)
	for i := start; i < start+count && i-offset < len(v.Children); i++ {
		name, expr := fmt.Sprintf("[%d]", i), ""
		if ref.expr != "" && ref.v.Kind != "chan" {
			expr = fmt.Sprintf("%s[%d]", paren(ref.expr), i)
		}
		out = append(out, s.dapVar(ref, name, expr, v.Children[i-offset]))
	}
	return out, nil
}

// mapEntries lists entries start..start+count of a loaded map (children
// key, value, key, value, ...) as "[key]": value.
func (s *session) mapEntries(ref *varRef, v *api.Variable, start, count int) []dap.Variable {
	out := make([]dap.Variable, 0, count)
	for i := start; i < start+count && 2*i+1 < len(v.Children); i++ {
		k, val := v.Children[2*i], v.Children[2*i+1]
		name := "[" + valueText(&k) + "]"
		expr := ""
		if ref.expr != "" && basicKind(k.Kind) && k.Err == "" {
			expr = paren(ref.expr) + "[" + k.Value + "]"
		}
		out = append(out, s.dapVar(ref, name, expr, val))
	}
	return out
}

// reload evaluates a value again (by expression, else by address) with
// its children.
func (s *session) reload(ref *varRef, cfg api.LoadConfig) (*api.Variable, error) {
	var err error
	for _, e := range []string{ref.expr, ref.addr} {
		if e == "" {
			continue
		}
		var v *api.Variable
		if v, err = s.client.Eval(e, cfg); err == nil {
			return v, nil
		}
	}
	if err == nil {
		// Neither can be written: what was listed is all there is.
		v := ref.v
		return &v, nil
	}
	return nil, err
}

func basicKind(k string) bool {
	switch k {
	case "bool", "string", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64",
		"uintptr", "float32", "float64":
		return true
	}
	return false
}

// simpleExpr matches an expression that needs no parentheses before a
// selector or index: a name followed by fields and indexes.
var simpleExpr = regexp.MustCompile(`^[A-Za-z_]\w*(\.[A-Za-z_]\w*|\[[^\[\]()]*\])*$`)

func paren(e string) string {
	if simpleExpr.MatchString(e) || wrapped(e) {
		return e
	}
	return "(" + e + ")"
}

// wrapped reports whether e is one parenthesised expression: "(*p)".
func wrapped(e string) bool {
	if !strings.HasPrefix(e, "(") {
		return false
	}
	depth := 0
	for i, c := range e {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i == len(e)-1
			}
		case '"', '\'', '`':
			return false // a literal may hold parentheses: do not guess
		}
	}
	return false
}

// join appends a selector or index to an expression ("" stays "").
func join(e, suffix string) string {
	if e == "" {
		return ""
	}
	return paren(e) + suffix
}

// addrExpr names a value in memory by its address and type.
func addrExpr(v *api.Variable) string {
	if v.Addr == 0 || v.Type == "" {
		return ""
	}
	return fmt.Sprintf("(*(*%s)(%#x))", typeExpr(v.Type), v.Addr)
}

// typeExpr writes a type name as an expression: a package path with
// slashes is quoted ("example.com/m/pkg".T).
func typeExpr(t string) string {
	stars := len(t) - len(strings.TrimLeft(t, "*"))
	name := t[stars:]
	slash := strings.LastIndex(name, "/")
	if slash < 0 || strings.ContainsAny(name, "[]( ") {
		return t
	}
	dot := strings.Index(name[slash:], ".")
	if dot < 0 {
		return t
	}
	return t[:stars] + fmt.Sprintf("%q", name[:slash+dot]) + name[slash+dot:]
}

func (s *session) onEvaluate(r *dap.EvaluateRequest) (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	a := r.Arguments
	expr := strings.TrimSpace(a.Expression)
	if a.Context == "repl" {
		if resp, ok, err := s.consoleCommand(expr); ok {
			return resp, err
		}
	}
	if expr == "" {
		return nil, errors.New("evaluate: empty expression")
	}
	fr, err := s.selectFrameID(a.FrameId)
	if err != nil {
		return nil, err
	}
	if a.Context == "repl" && strings.HasPrefix(expr, "call ") { // call
		return s.evalCall(expr)
	}
	cfg := listLoad
	switch a.Context {
	case "clipboard":
		cfg.MaxStringLen, cfg.MaxArrayValues = 1<<20, 1<<12
	case "repl":
		cfg.MaxStringLen = 4096
	}
	v, err := s.client.Eval(expr, cfg)
	if err != nil {
		if a.Context == "repl" && terminalCommand(expr) {
			return nil, fmt.Errorf("%v; to run a terminal command type \"godbg %s\"", err, expr)
		}
		return nil, err
	}
	holder := &varRef{frameRef: fr}
	dv := s.dapVar(holder, "", expr, *v)
	return &dap.EvaluateResponse{Body: dap.EvaluateResponseBody{
		Result: dv.Value, Type: dv.Type, VariablesReference: dv.VariablesReference,
		NamedVariables: dv.NamedVariables, IndexedVariables: dv.IndexedVariables,
	}}, nil
}

// childExpr writes the expression of a child not listed yet: a field
// or "[index]" of the value, a variable of the scope.
func childExpr(ref *varRef, name string) string {
	switch {
	case ref.scope != "":
		if strings.HasPrefix(name, "(") {
			return "" // shadowed
		}
		return name
	case ref.expr == "" || name == "":
		return ""
	case strings.HasPrefix(name, "["):
		return paren(ref.expr) + name
	case ref.v.Kind == "ptr":
		return "(*" + ref.expr + ")." + name
	}
	return paren(ref.expr) + "." + name
}

// terminalCommand reports a line that starts like a godbg command.
func terminalCommand(line string) bool {
	w, _, _ := strings.Cut(line, " ")
	switch w {
	case "break", "b", "breakpoints", "bp", "clear", "clearall", "condition", "toggle", "continue", "c",
		"next", "n", "step", "s", "stepout", "so", "stepi", "si", "stack", "bt", "frame", "up", "down",
		"print", "p", "locals", "args", "whatis", "display", "goroutines", "grs", "goroutine", "gr",
		"threads", "thread", "tr", "regs", "examinemem", "x", "set", "list", "ls", "disassemble", "disass",
		"funcs", "sources", "detach", "kill", "restart", "r", "exit", "quit", "q", "help", "handle",
		"catch", "signal", "target":
		return true
	}
	return false
}

func (s *session) onSetVariable(r *dap.SetVariableRequest) (dap.ResponseMessage, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	a := r.Arguments
	ref, ok := s.handles.variable(a.VariablesReference)
	if !ok {
		return nil, fmt.Errorf("unknown variablesReference %d (references last until the program runs again)", a.VariablesReference)
	}
	lhs, ok := ref.children[a.Name]
	if !ok {
		lhs = childExpr(ref, a.Name)
	}
	if lhs == "" {
		return nil, fmt.Errorf("setVariable: %s cannot be named in an expression here; set it from its own scope", a.Name)
	}
	if err := s.selectFrame(ref.thread, ref.frame); err != nil {
		return nil, err
	}
	if err := s.client.SetVariable(lhs, a.Value); err != nil {
		return nil, err
	}
	v, err := s.client.Eval(lhs, listLoad)
	if err != nil {
		return nil, err
	}
	dv := s.dapVar(&varRef{frameRef: ref.frameRef}, a.Name, lhs, *v)
	return &dap.SetVariableResponse{Body: dap.SetVariableResponseBody{
		Value: dv.Value, Type: dv.Type, VariablesReference: dv.VariablesReference,
		NamedVariables: dv.NamedVariables, IndexedVariables: dv.IndexedVariables,
	}}, nil
}

// selectFrameID selects the frame a request names (0: the innermost
// frame of the thread that stopped).
func (s *session) selectFrameID(id int) (frameRef, error) {
	fr := frameRef{thread: s.stop.thread}
	if id != 0 {
		var ok bool
		if fr, ok = s.handles.frame(id); !ok {
			return fr, fmt.Errorf("unknown frame id %d (frame ids last until the program runs again)", id)
		}
	}
	return fr, s.selectFrame(fr.thread, fr.frame)
}
