package debugger

import (
	"fmt"
	"sort"

	"github.com/godbg/godbg/pkg/disasm"
	"github.com/godbg/godbg/pkg/locspec"
	"github.com/godbg/godbg/pkg/symbols"
	"github.com/godbg/godbg/service/api"
)

const (
	// maxDisasmRange bounds an address range (-a start end).
	maxDisasmRange = 64 << 10
	// maxDisasmFunc bounds one function's disassembly.
	maxDisasmFunc = 1 << 20
)

// Disassemble decodes a function (req.Location, "" for the current pc's)
// or the address range [req.Start, req.End).
func (d *Debugger) Disassemble(req api.DisassembleRequest) ([]api.Instruction, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.live(); err != nil {
		return nil, err
	}
	syntax, err := d.disasmSyntax(req.Syntax)
	if err != nil {
		return nil, err
	}
	start, end, err := d.disasmRange(req)
	if err != nil {
		return nil, err
	}
	code := make([]byte, end-start)
	if err := d.readText(start, code); err != nil {
		return nil, fmt.Errorf("cannot read code at %#x-%#x of process %d: %w", start, end, d.proc().Pid(), err)
	}
	var pc uint64
	if cur := d.curLocation(); cur != nil {
		pc = cur.PC
	}
	insts := disasm.Decode(code, start, syntax, d.symLookup())
	out := make([]api.Instruction, 0, len(insts))
	for _, in := range insts {
		out = append(out, api.Instruction{
			Loc:        d.location(in.Addr),
			Bytes:      in.Bytes,
			Text:       in.Text,
			Current:    in.Addr == pc,
			Breakpoint: d.breakpointAt(in.Addr),
		})
	}
	return out, nil
}

// disasmSyntax picks the requested syntax, or the one natural for the
// program's language.
func (d *Debugger) disasmSyntax(name string) (disasm.Syntax, error) {
	if name != "" {
		return disasm.ParseSyntax(name)
	}
	if t := d.table(); t != nil && !t.IsGo() {
		return disasm.GNUSyntax, nil
	}
	return disasm.GoSyntax, nil
}

// disasmRange turns a request into run-time addresses [start, end).
func (d *Debugger) disasmRange(req api.DisassembleRequest) (uint64, uint64, error) {
	if req.Start != "" || req.End != "" {
		return d.addrRange(req.Start, req.End)
	}
	t := d.table()
	if t == nil {
		return 0, 0, fmt.Errorf("%w; disassemble an address range with -a <start> <end>", d.noSymbolsErr())
	}
	fn, err := d.disasmFunc(t, req.Location)
	if err != nil {
		return 0, 0, err
	}
	if fn.End-fn.Entry > maxDisasmFunc {
		return 0, 0, fmt.Errorf("function %s is %d bytes; disassemble part of it with -a <start> <end>", fn.Name, fn.End-fn.Entry)
	}
	b := d.bias()
	return fn.Entry + b, fn.End + b, nil
}

func (d *Debugger) addrRange(startExpr, endExpr string) (uint64, uint64, error) {
	if startExpr == "" || endExpr == "" {
		return 0, 0, fmt.Errorf("an address range needs a start and an end, e.g. -a $pc $pc+32")
	}
	start, err := d.evalAddr(startExpr)
	if err != nil {
		return 0, 0, fmt.Errorf("start of range: %w", err)
	}
	end, err := d.evalAddr(endExpr)
	if err != nil {
		return 0, 0, fmt.Errorf("end of range: %w", err)
	}
	switch {
	case end <= start:
		return 0, 0, fmt.Errorf("end %#x is not after start %#x; give -a <start> <end>", end, start)
	case end-start > maxDisasmRange:
		return 0, 0, fmt.Errorf("range %#x-%#x is %d bytes; disassemble at most %d (64 KiB) at a time", start, end, end-start, maxDisasmRange)
	}
	return start, end, nil
}

// disasmFunc finds the function of a location spec, or of the current pc.
func (d *Debugger) disasmFunc(t *symbols.Table, loc string) (*symbols.Func, error) {
	b := d.bias()
	if loc == "" {
		cur := d.curLocation()
		if cur == nil {
			_, err := d.curThread()
			return nil, err
		}
		if fn := t.PCToFunc(cur.PC - b); fn != nil {
			return fn, nil
		}
		return nil, fmt.Errorf("pc %#x is in no known function; disassemble a range with -a $pc $pc+64", cur.PC)
	}
	spec, err := d.parseSpec(loc)
	if err != nil {
		return nil, err
	}
	switch spec.Kind {
	case locspec.FuncSpec:
		fn, err := t.LookupFunc(spec.Func)
		return fn, lookupHint(err)
	case locspec.AddrSpec:
		if fn := t.PCToFunc(spec.Addr - b); fn != nil {
			return fn, nil
		}
		return nil, fmt.Errorf("%#x is in no known function; disassemble a range with -a %#x %#x", spec.Addr, spec.Addr, spec.Addr+64)
	}
	var curFile string
	var curLine int
	if cur := d.curLocation(); cur != nil {
		curFile, curLine = cur.File, cur.Line
	}
	locs, err := locspec.Resolve(spec, t, curFile, curLine)
	if err != nil {
		return nil, lookupHint(err)
	}
	if locs[0].Func == nil {
		return nil, fmt.Errorf("location %q is in no known function", loc)
	}
	return locs[0].Func, nil
}

// symLookup returns the disassembler's symbol lookup for run-time
// addresses: functions, then PLT stubs ("strcmp@plt").
func (d *Debugger) symLookup() disasm.SymLookup {
	t := d.table()
	if t == nil {
		return nil
	}
	b := d.bias()
	plt := disasm.PLTSymbols(t.ELF())
	return func(addr uint64) (string, uint64) {
		if fn := t.PCToFunc(addr - b); fn != nil {
			return fn.Name, fn.Entry + b
		}
		i := sort.Search(len(plt), func(i int) bool { return plt[i].Addr+plt[i].Size > addr-b })
		if i < len(plt) && plt[i].Addr <= addr-b {
			return plt[i].Name, plt[i].Addr + b
		}
		return "", 0
	}
}

// Hook: filled in when breakpoints land.
