package variables

import (
	"debug/dwarf"
	"fmt"

	"github.com/godbg/godbg/pkg/dwarf/op"
	"github.com/godbg/godbg/pkg/symbols"
)

// FrameConfig describes one frame of a stopped thread.
type FrameConfig struct {
	// PC is the run-time pc whose scope applies: where the top frame
	// stopped, or the call instruction (return address - 1) of an outer
	// frame, so that lexical blocks and location lists match the call.
	PC uint64
	// Bias is the load bias: run-time minus link-time addresses (0 unless
	// PIE).
	Bias uint64
	// CFA is the frame's canonical frame address as the unwinder found it;
	// 0 computes it from the call frame information at PC and Regs.
	CFA uint64
	// Regs returns the frame's registers by DWARF number; an outer frame
	// knows only some of them and returns an error for the others.
	Regs Regs
	// Mem reads the target's memory.
	Mem Mem
	// Inlined selects the scope of an inlined call at PC: 0 is the
	// function containing PC, 1 the outermost call inlined into it that
	// covers PC, 2 the call inlined into that one, and so on (the frames
	// an unwinder lists above the physical one, counted outward in).
	Inlined int
}

// Frame is the scope of one function activation at one pc: its
// parameters, results and the locals visible there. It implements
// op.Context for the frame. A Frame is for one stop: it must not be used
// once the thread resumes. It is not safe for concurrent use, and reads
// types through the Table's dwarf.Data, so calls must be serialised with
// other users of that Table's types (values.Loader); service/debugger
// serialises every request.
type Frame struct {
	in    *info
	tab   *symbols.Table
	cfg   FrameConfig
	u     unit
	fn    string
	file  string
	line  int
	vars  []*FrameVar // args in DWARF order, then locals
	nargs int
	dict  *FrameVar // a generic function's .dict argument

	cfa       uint64
	cfaDone   bool
	frameBase []byte      // DW_AT_frame_base expression; nil: the CFA
	fbProg    *op.Program // frameBase compiled, on first use
}

// NewFrame finds the function containing cfg.PC and the variables in
// scope there. It returns an error wrapping ErrNoFunction when no
// function with debug information contains the pc.
func NewFrame(tab *symbols.Table, cfg FrameConfig) (*Frame, error) {
	in, err := load(tab)
	if err != nil {
		return nil, err
	}
	pc := cfg.PC - cfg.Bias
	fn, u, err := in.funcAt(pc)
	if err != nil {
		return nil, err
	}
	f := &Frame{in: in, tab: tab, cfg: cfg, u: u}
	f.fn, _ = fn.Val(dwarf.AttrName).(string)
	f.file, f.line, _ = tab.PCToLine(pc)
	if fb, err := in.attrExpr(fn, dwarf.AttrFrameBase, u, pc); err != nil {
		return nil, fmt.Errorf("%s: frame base: %w", f.fn, err)
	} else if !(len(fb) == 1 && fb[0] == opCallFrameCFA) {
		f.frameBase = fb
	}
	scope := fn
	for k := 0; k < cfg.Inlined; k++ {
		e := in.inlinedIn(scope, pc)
		if e == nil {
			break // fewer inlined calls than asked: the innermost found
		}
		scope = e
		if o := in.origin(e); o != nil {
			f.fn, _ = o.Val(dwarf.AttrName).(string)
		}
	}
	dies, callLine, _, err := in.scopeDIEs(scope, pc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.fn, err)
	}
	line := f.line
	if callLine > 0 { // pc is in inlined code: the call is where we are
		line = callLine
	}
	if err := f.collect(dies, line, pc); err != nil {
		return nil, err
	}
	return f, nil
}

const opCallFrameCFA = 0x9c // DW_OP_call_frame_cfa

// Func returns the DWARF name of the frame's function ("main.f.func1").
func (f *Frame) Func() string { return f.fn }

// Package returns the package path of the frame's Go function ("main",
// "github.com/a/b"); for C functions, "".
func (f *Frame) Package() string {
	if !f.in.isGo {
		return ""
	}
	return packageOf(f.fn)
}

// PC returns the run-time pc the frame was made for.
func (f *Frame) PC() uint64 { return f.cfg.PC }

// Line returns the source position of the pc.
func (f *Frame) Line() (file string, line int) { return f.file, f.line }

// Table returns the symbol table the frame was made from.
func (f *Frame) Table() *symbols.Table { return f.tab }

// Reg returns a register of the frame by DWARF number (op.Context).
func (f *Frame) Reg(n int) (uint64, error) {
	if f.cfg.Regs == nil {
		return 0, fmt.Errorf("DWARF register %d not available", n)
	}
	return f.cfg.Regs(n)
}

// ReadMemory reads target memory (op.Context).
func (f *Frame) ReadMemory(addr uint64, buf []byte) error {
	if f.cfg.Mem == nil {
		return fmt.Errorf("no memory to read %#x from", addr)
	}
	return f.cfg.Mem(addr, buf)
}

// LoadBias returns the load bias (op.Context).
func (f *Frame) LoadBias() uint64 { return f.cfg.Bias }

// CFA returns the canonical frame address: the one given in the
// FrameConfig, or the one the call frame information at the pc gives.
func (f *Frame) CFA() (uint64, error) {
	if f.cfg.CFA != 0 {
		return f.cfg.CFA, nil
	}
	if f.cfaDone {
		return f.cfa, nil
	}
	rule, err := f.in.cfaRule(f.cfg.PC - f.cfg.Bias)
	if err != nil {
		return 0, fmt.Errorf("CFA of %s: %w", f.fn, err)
	}
	if rule.Expr != nil {
		prog, err := op.Compile(rule.Expr)
		if err != nil {
			return 0, fmt.Errorf("CFA of %s: %w", f.fn, err)
		}
		res, err := prog.Eval(cfaContext{f})
		if err != nil {
			return 0, fmt.Errorf("CFA of %s: %w", f.fn, err)
		}
		f.cfa = res.Addr
	} else {
		r, err := f.Reg(rule.Reg)
		if err != nil {
			return 0, fmt.Errorf("CFA of %s: %w", f.fn, err)
		}
		f.cfa = r + uint64(rule.Offset)
	}
	f.cfaDone = true
	return f.cfa, nil
}

// cfaContext evaluates a CFA expression, which may not use the CFA.
type cfaContext struct{ *Frame }

func (c cfaContext) CFA() (uint64, error) { return 0, fmt.Errorf("CFA expression uses the CFA") }

func (c cfaContext) FrameBase() (uint64, error) {
	return 0, fmt.Errorf("CFA expression uses the frame base")
}

// FrameBase returns the value of the function's DW_AT_frame_base
// (op.Context).
func (f *Frame) FrameBase() (uint64, error) {
	if f.frameBase == nil {
		return f.CFA()
	}
	if f.fbProg == nil {
		prog, err := f.in.compile(f.frameBase, f.u)
		if err != nil {
			return 0, fmt.Errorf("frame base of %s: %w", f.fn, err)
		}
		f.fbProg = prog
	}
	res, err := f.fbProg.Eval(f)
	switch {
	case err != nil:
		return 0, err
	case res.Kind == op.Register:
		return f.Reg(res.Reg)
	case res.Kind == op.Value:
		return res.Value, nil
	}
	return res.Addr, nil
}
