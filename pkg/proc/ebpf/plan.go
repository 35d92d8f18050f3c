package ebpf

import (
	"debug/dwarf"
	"errors"
	"fmt"
	"slices"

	"github.com/godbg/godbg/pkg/dwarf/op"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/pkg/symbols"
)

const (
	// ValueBytes is how many bytes of one argument or result a probe
	// copies; larger values are shown as too large.
	ValueBytes = 64
	// StringBytes is how many bytes of a string's data a probe copies.
	StringBytes = 64
	// MaxValues bounds the values a probe reads.
	MaxValues = 8
	// MaxStack bounds --stack.
	MaxStack = 32
)

// Probe is one uprobe: a function's entry or one of its RETs.
type Probe struct {
	Func   *symbols.Func
	PC     uint64 // link-time
	Return bool
	// Site is the function holding PC when that is not Func: a return
	// probe in a caller, after the call (see returnSites).
	Site *symbols.Func
	// AtCall: an entry probe on a CALL of Func (its stack starts at PC,
	// in the caller).
	AtCall bool
	// The canonical frame address is CFAReg (a DWARF register: rsp, or
	// rbp in C code after its prologue) + CFAOff at PC.
	CFAReg int
	CFAOff int64
	Values []Value
}

// Value says where one argument or result is at a probe.
type Value struct {
	Name   string
	Type   dwarf.Type
	Size   int64
	Pieces []Piece
	String bool   // copy the string's data too
	Err    string // why the probe cannot read it ("" if it can)
	away   bool   // DWARF has no location for it at the probe
}

// Piece is a part of a value: a register (DWARF number) or the memory at
// CFA + Off.
type Piece struct {
	Reg  int // -1: memory
	Off  int64
	Size int64
}

// fakeSP and fakeBP are the stack and frame pointers the symbolic
// evaluation uses; addresses come out relative to one of them.
const (
	fakeSP = 1 << 44
	fakeBP = 1 << 45
	regBP  = 6
	regSP  = 7
)

var errNotSP = errors.New("only the stack and frame pointers are known at plan time")

// Plan lists the probes of the sites, with the values each reads (none
// if noValues).
// Returns are probed in the callers where returnSites allows it, else
// at every RET; a function whose entry probe would be single-stepped is
// probed at its CALLs where callSites allows it.
func Plan(tab *symbols.Table, sites []symbols.ProbeSite, noValues, noReturns bool) ([]Probe, error) {
	var x *codeIndex
	if tab.IsGo() {
		entries := make([]uint64, len(sites))
		for i, s := range sites {
			entries[i] = s.Func.Entry
		}
		x = newCodeIndex(tab, entries)
	}
	type planned struct{ entry, calls, rets []Probe }
	all := make([]planned, len(sites))
	used := map[uint64]bool{} // pcs of every probe but the calls'
	for i, s := range sites {
		p, err := planProbe(tab, s.Func, s.Entry, false, noValues)
		if err != nil {
			return nil, err
		}
		all[i].entry = []Probe{p}
		used[p.PC] = true
		if !x.emulatedAt(s.Entry) {
			all[i].calls = x.atCalls(tab, s.Func, noValues)
		}
		if noReturns {
			continue
		}
		var rets []Probe
		for _, r := range s.Rets {
			p, err := planProbe(tab, s.Func, r, true, noValues)
			if err != nil {
				return nil, err
			}
			rets = append(rets, p)
		}
		all[i].rets = x.atCallers(s.Func, rets)
		for _, r := range all[i].rets {
			used[r.PC] = true
		}
	}
	var out []Probe
	for _, p := range all {
		entry := p.entry
		// A CALL that is also another probe (the return site of the
		// call before it) keeps the entry probe: the kernel would run
		// the two in no set order.
		if len(p.calls) > 0 && !slices.ContainsFunc(p.calls, func(c Probe) bool { return used[c.PC] }) {
			entry = p.calls
		}
		out = append(append(out, entry...), p.rets...)
	}
	return out, nil
}

// atCallers moves the RET probes rets of fn to its callers when
// returnSites allows it: the values must be read alike at every RET,
// relative to rsp+8 (the CFA, which is rsp after the RET).
func (x *codeIndex) atCallers(fn *symbols.Func, rets []Probe) []Probe {
	if x == nil || len(rets) == 0 {
		return rets
	}
	keep := map[int]bool{}
	for _, r := range rets {
		if r.CFAReg != regSP || r.CFAOff != 8 || !sameValues(r.Values, rets[0].Values) {
			return rets
		}
		for _, v := range r.Values {
			for _, pc := range v.Pieces {
				if pc.Reg >= 0 {
					keep[pc.Reg] = true
				}
			}
		}
	}
	sites, ok := x.returnSites(fn.Entry, keep)
	if !ok {
		return rets
	}
	out := make([]Probe, len(sites))
	for i, s := range sites {
		out[i] = rets[0]
		out[i].PC, out[i].Site, out[i].CFAOff = s.PC, s.Func, 0
	}
	return out
}

// atCalls gives entry probes of fn on its CALLs (nil if callSites does
// not allow it): the values are read as at fn's first instruction,
// whose CFA (rsp+8 there) is rsp at the CALL.
func (x *codeIndex) atCalls(tab *symbols.Table, fn *symbols.Func, noValues bool) []Probe {
	sites, ok := x.callSites(fn.Entry)
	if !ok {
		return nil
	}
	p, err := planProbe(tab, fn, fn.Entry, false, noValues)
	if err != nil || p.CFAReg != regSP || p.CFAOff != 8 {
		return nil
	}
	out := make([]Probe, len(sites))
	for i, s := range sites {
		out[i] = p
		out[i].PC, out[i].Site, out[i].CFAOff, out[i].AtCall = s.PC, s.Func, 0, true
	}
	return out
}

func sameValues(a, b []Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Err != b[i].Err || len(a[i].Pieces) != len(b[i].Pieces) {
			return false
		}
		for j := range a[i].Pieces {
			if a[i].Pieces[j] != b[i].Pieces[j] {
				return false
			}
		}
	}
	return true
}

func planProbe(tab *symbols.Table, fn *symbols.Func, pc uint64, ret, noValues bool) (Probe, error) {
	p := Probe{Func: fn, PC: pc, Return: ret}
	regs := func(n int) (uint64, error) {
		switch n {
		case regSP:
			return fakeSP, nil
		case regBP:
			return fakeBP, nil
		}
		return 0, errNotSP
	}
	f, err := variables.NewFrame(tab, variables.FrameConfig{PC: pc, Regs: regs,
		Mem: func(uint64, []byte) error { return errNotSP }})
	if err != nil {
		if !tab.HasDWARF() || errors.Is(err, variables.ErrNoFunction) {
			return p, nil // no variables: calls and returns only
		}
		return p, fmt.Errorf("%s at %#x: %w", fn.Name, pc, err)
	}
	cfa, err := f.CFA()
	if err != nil {
		return p, fmt.Errorf("%s at %#x: no frame address: %w", fn.Name, pc, err)
	}
	p.CFAReg, p.CFAOff = regSP, int64(cfa-fakeSP)
	if cfa >= fakeBP-1<<32 {
		p.CFAReg, p.CFAOff = regBP, int64(cfa-fakeBP)
	}
	if noValues {
		return p, nil
	}
	want := variables.Arg
	if ret {
		want = variables.Result
	}
	for _, v := range f.Args() {
		if v.Kind != want || len(p.Values) == MaxValues {
			continue
		}
		p.Values = append(p.Values, planValue(f, v, cfa))
	}
	if ret && isGoSource(fn) {
		abiResults(f.Args(), p.Values)
	}
	if t, ok := variables.CResultType(tab, pc); ok && ret && len(p.Values) == 0 {
		p.Values = []Value{{Name: "~r0", Type: t, Size: t.Size(), Pieces: []Piece{{Reg: 0, Size: t.Size()}}}}
	}
	return p, nil
}

func planValue(f *variables.Frame, v *variables.FrameVar, cfa uint64) Value {
	val := Value{Name: v.Name, Type: v.Type, Size: v.Type.Size()}
	val.String = isString(v.Type)
	if val.Size > ValueBytes {
		val.Err = fmt.Sprintf("%d bytes: larger than the %d an eBPF probe copies", val.Size, ValueBytes)
		return val
	}
	if v.Indirect {
		val.Err = "on the heap: not read by an eBPF probe"
		return val
	}
	res, err := f.Location(v)
	if err != nil {
		val.Err, val.away = err.Error(), errors.Is(err, variables.ErrOptimizedAway)
		return val
	}
	pieces := res.Pieces
	if res.Kind != op.Pieces {
		pieces = []op.Piece{{Location: res.Location, Size: uint64(val.Size)}}
	}
	for _, pc := range pieces {
		switch {
		case pc.BitSize != 0:
			val.Err = "bit pieces are not read by an eBPF probe"
		case pc.Kind == op.Register && ptRegsOff(pc.Reg) >= 0:
			val.Pieces = append(val.Pieces, Piece{Reg: pc.Reg, Size: int64(pc.Size)})
		case pc.Kind == op.Register:
			val.Err = fmt.Sprintf("%s in X%d: not readable by an eBPF probe; drop --ebpf to see it", sseWhat(v.Type), pc.Reg-17)
		case pc.Kind == op.Address:
			val.Pieces = append(val.Pieces, Piece{Reg: -1, Off: int64(pc.Addr - cfa), Size: int64(pc.Size)})
		default:
			val.Err = fmt.Sprintf("location kind %v not read by an eBPF probe", pc.Kind)
		}
		if val.Err != "" {
			val.Pieces = nil
			return val
		}
	}
	return val
}

// ptRegsOff is the offset of a DWARF register in x86-64's struct
// pt_regs, -1 if it is not there.
func ptRegsOff(reg int) int16 {
	offs := [...]int16{80, 96, 88, 40, 104, 112, 32, 152, 72, 64, 56, 48, 24, 16, 8, 0}
	if reg < 0 || reg >= len(offs) {
		return -1
	}
	return offs[reg]
}

// sseWhat names what an SSE register holds: a float or part of a value.
func sseWhat(t dwarf.Type) string {
	switch t.(type) {
	case *dwarf.FloatType, *dwarf.ComplexType:
		return "float"
	}
	return "part"
}

// isString reports whether t is a string, also of a named string type
// (a struct of str and len in Go's DWARF, maybe behind a typedef).
func isString(t dwarf.Type) bool {
	if td, ok := t.(*dwarf.TypedefType); ok {
		return isString(td.Type)
	}
	st, ok := t.(*dwarf.StructType)
	return ok && (st.StructName == "string" ||
		len(st.Field) == 2 && st.Field[0].Name == "str" && st.Field[1].Name == "len" && st.Size() == 16)
}
