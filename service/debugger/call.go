package debugger

import (
	"debug/dwarf"
	"encoding/binary"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"reflect"
	"strings"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/expr"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/pkg/symbols"
	"github.com/godbg/godbg/service/api"
)

// call runs a function of the program on the current goroutine through
// the Go runtime's debug-call protocol (runtime.debugCallV2, see
// runtime/asm_amd64.s): the thread is made to call debugCallV2, which
// checks the pc is a safe point, opens a frame and reports with an int3
// and a code in R12 — 0: frame ready (we set the argument registers and
// make it call the function), 1: returned (results in registers), 2:
// panicked (the panic value at SP), 8: refused (the reason string at
// SP), 16: done (we restore the registers; it returns to where it was).
// The runtime runs the call on a new goroutine on the same thread; every
// thread runs meanwhile, as the runtime may need them (a GC, say).

var errCall = errors.New("cannot call")

// callStackRoom is the free stack runtime.debugCallV2 needs below sp.
const callStackRoom = 256

// callee is the function a call expression names, with its receiver.
type callee struct {
	fn   *symbols.Func
	recv []byte     // the receiver's bytes (nil: a function)
	rtyp dwarf.Type // their type, for unsafe checks
}

func (d *Debugger) CallFunction(src string, unsafeCall bool) ([]api.Variable, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.live()
	if err != nil {
		return nil, err
	}
	inj, ok := p.(proc.CallInjector)
	tab := d.table()
	if !ok || tab == nil || !tab.IsGo() {
		return nil, fmt.Errorf("%w %s: function calls need a live Go program with symbols", errCall, src)
	}
	ce, err := parseCall(src)
	if err != nil {
		return nil, err
	}
	s, err := d.scope()
	if err != nil {
		return nil, err
	}
	c, err := d.resolveCallee(s, ce)
	if err != nil {
		return nil, err
	}
	params, results, err := d.signature(c.fn)
	if err != nil {
		return nil, err
	}
	words, err := d.callArgs(s, c, ce, src, params, unsafeCall)
	if err != nil {
		return nil, err
	}
	if err := fitRegs(c.fn.Name, "arguments", len(words.ints), len(words.floats)); err != nil {
		return nil, err
	}
	var rcomps [][]component
	ni, nf := 0, 0
	for _, r := range results {
		comps, err := flatten(r.Type, 0, nil)
		if err != nil {
			return nil, fmt.Errorf("%w %s: result %s: %v", errCall, c.fn.Name, r.Name, err)
		}
		rcomps = append(rcomps, comps)
		i, f := count(comps)
		ni, nf = ni+i, nf+f
	}
	if err := fitRegs(c.fn.Name, "results", ni, nf); err != nil {
		return nil, err
	}
	tid, err := d.callThread()
	if err != nil {
		return nil, err
	}
	run := &callRun{d: d, p: d.tgt.Proc, inj: inj, tid: tid, fn: c.fn, args: words, results: results, rcomps: rcomps}
	return run.do()
}

// fitRegs checks that values fit in the ABI's registers (the rest would
// go on the stack, which call does not lay out).
func fitRegs(fn, what string, ints, floats int) error {
	if ints > len(intRegs) || floats > maxFloatRegs {
		return fmt.Errorf("%w %s: its %s need %d integer and %d float registers; call supports %d and %d",
			errCall, fn, what, ints, floats, len(intRegs), maxFloatRegs)
	}
	return nil
}

// parseCall parses a call expression.
func parseCall(src string) (*ast.CallExpr, error) {
	e, err := parser.ParseExpr(src)
	if err != nil {
		return nil, fmt.Errorf("%w %q: %v", errCall, src, err)
	}
	ce, ok := e.(*ast.CallExpr)
	if !ok {
		return nil, fmt.Errorf("%w %q: not a function call; give one, e.g. call f(1, \"x\")", errCall, src)
	}
	if ce.Ellipsis.IsValid() {
		return nil, fmt.Errorf("%w %q: variadic ... calls are not supported", errCall, src)
	}
	return ce, nil
}

// callThread is the thread of the selected goroutine, which must be
// running on it.
func (d *Debugger) callThread() (int, error) {
	r, err := d.goReader()
	if err != nil {
		return 0, err
	}
	th, err := d.curThread()
	if err != nil {
		return 0, err
	}
	if d.curG != 0 {
		g, err := r.Find(d.curG)
		if err == nil && g.ThreadID == 0 {
			return 0, fmt.Errorf("%w on goroutine %d: it is not running on a thread (select a running one with goroutine or thread)", errCall, d.curG)
		}
		if other, ok := d.proc().Thread(g.ThreadID); err == nil && ok {
			th = other
		}
	}
	g, ok := d.threadG(r, th)
	if !ok {
		return 0, fmt.Errorf("%w on thread %d: it runs no goroutine (it is in the scheduler or a C thread); select a thread running Go code", errCall, th.ID())
	}
	if regs, err := th.Registers(); err == nil && g.StackLo != 0 && (regs.SP() < g.StackLo || regs.SP()-g.StackLo < callStackRoom) {
		return 0, fmt.Errorf("%w on goroutine %d: its stack has %d bytes left below sp, the runtime's debug call needs %d", errCall, g.ID, int64(regs.SP())-int64(g.StackLo), callStackRoom)
	}
	return th.ID(), nil
}

// resolveCallee finds the function, or the method and its receiver.
func (d *Debugger) resolveCallee(s *expr.FrameScope, ce *ast.CallExpr) (*callee, error) {
	tab := d.table()
	name := exprString(ce.Fun)
	pkg := "main"
	if s.Frame() != nil && s.Frame().Package() != "" {
		pkg = s.Frame().Package()
	}
	for _, n := range []string{name, pkg + "." + name} {
		if fn, err := tab.LookupFunc(n); err == nil {
			if !strings.Contains(fn.Name, ".") {
				return nil, fmt.Errorf("%w %s: it is a C function; call runs Go functions only", errCall, fn.Name)
			}
			return &callee{fn: fn}, nil
		}
	}
	sel, ok := ce.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil, fmt.Errorf("%w %s: no function %s or %s.%s in the program", errCall, name, name, pkg, name)
	}
	v, err := expr.Eval(s, exprString(sel.X), values.LoadConfig{MaxStringLen: 1})
	if err != nil {
		return nil, fmt.Errorf("%w %s: %v", errCall, name, err)
	}
	return d.methodCallee(v, sel.Sel.Name)
}

// methodCallee picks T.M or (*T).M for a receiver value or pointer.
func (d *Debugger) methodCallee(v *values.Value, method string) (*callee, error) {
	tab := d.table()
	isPtr := v.Kind == reflect.Pointer
	tname := strings.TrimPrefix(v.TypeName, "*")
	i := strings.LastIndex(tname, ".")
	if i < 0 {
		return nil, fmt.Errorf("%w %s.%s: %s has no methods", errCall, v.Name, method, v.TypeName)
	}
	valM, ptrM := tname+"."+method, tname[:i]+".(*"+tname[i+1:]+")."+method
	word := func(a uint64) []byte { b := make([]byte, 8); binary.LittleEndian.PutUint64(b, a); return b }
	if fn, err := tab.LookupFunc(ptrM); err == nil {
		switch {
		case isPtr:
			return &callee{fn: fn, recv: word(v.Base)}, nil
		case v.Addr != 0:
			return &callee{fn: fn, recv: word(v.Addr)}, nil
		}
		return nil, fmt.Errorf("%w %s: the receiver is not addressable", errCall, ptrM)
	}
	fn, err := tab.LookupFunc(valM)
	if err != nil {
		return nil, fmt.Errorf("%w: %s has no method %s (neither %s nor %s is in the program)", errCall, v.TypeName, method, valM, ptrM)
	}
	at := v.Addr
	if isPtr {
		at = v.Base // a value receiver through the pointer
	}
	if at == 0 {
		return nil, fmt.Errorf("%w %s: the receiver is not in memory", errCall, valM)
	}
	params, _, err := d.signature(fn)
	if err != nil || len(params) == 0 {
		return nil, fmt.Errorf("%w %s: its receiver's type is unknown", errCall, valM)
	}
	buf := make([]byte, params[0].Type.Size())
	if _, err := d.proc().ReadMemory(at, buf); err != nil {
		return nil, fmt.Errorf("%w %s: reading the receiver: %v", errCall, valM, err)
	}
	return &callee{fn: fn, recv: buf, rtyp: params[0].Type}, nil
}

// signature reads a function's parameters and results from DWARF.
func (d *Debugger) signature(fn *symbols.Func) (params, results []*variables.FrameVar, err error) {
	p := d.proc()
	f, err := variables.NewFrame(d.table(), variables.FrameConfig{
		PC: fn.Entry + d.bias(), Bias: d.bias(), CFA: 1,
		Regs: func(int) (uint64, error) { return 0, errors.New("no registers") },
		Mem:  func(a uint64, b []byte) error { _, err := p.ReadMemory(a, b); return err },
	})
	if err != nil {
		return nil, nil, fmt.Errorf("%w %s: no debug information for its parameters (optimised or assembly code): %v", errCall, fn.Name, err)
	}
	for _, v := range f.Args() {
		if v.Kind == variables.Result {
			results = append(results, v)
		} else {
			params = append(params, v)
		}
	}
	return params, results, nil
}

func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	case *ast.ParenExpr:
		return "(" + exprString(x.X) + ")"
	case *ast.StarExpr:
		return "*" + exprString(x.X)
	case *ast.IndexExpr:
		return exprString(x.X) + "[" + exprString(x.Index) + "]"
	case *ast.BasicLit:
		return x.Value
	}
	return fmt.Sprintf("%T", e)
}

// callHint points print at call when the expression calls a function.
func callHint(src string, err error) error {
	if e, perr := parser.ParseExpr(src); perr == nil && containsCall(e) {
		return fmt.Errorf("%w; print does not run functions: use call %s", err, src)
	}
	return err
}

func containsCall(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && !expr.IsFrameCall(c) {
			if id, ok := c.Fun.(*ast.Ident); !ok || !builtinOrConversion[id.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}

// builtinOrConversion are call-shaped expressions print evaluates itself.
var builtinOrConversion = map[string]bool{
	"len": true, "cap": true, "int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"float32": true, "float64": true, "string": true, "byte": true, "rune": true, "complex": true,
	"real": true, "imag": true,
}
