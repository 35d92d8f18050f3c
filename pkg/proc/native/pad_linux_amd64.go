package native

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"

	"golang.org/x/arch/x86/x86asm"
	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc"
)

// Jump pads (issue 17): a breakpoint whose condition is one scalar
// comparison can be armed without an int3. The instruction at its address
// is replaced by a 5-byte jmp rel32 to a pad in memory mapped near the
// code; the pad counts the pass (lock inc, in tracee memory), evaluates the
// condition natively and either runs the relocated original instruction and
// jumps back (false) or traps (true).
//
// Safety, kept by construction rather than by analysis:
//   - only ONE instruction is replaced, and it must be at least 5 bytes
//     long: there is no instruction boundary inside the replaced bytes, so
//     no branch (jump tables included), no return address and no goroutine
//     resumed after an async preemption can land inside the jmp;
//   - that instruction must not be a branch, call or return, and may use a
//     rip-relative operand only if its displacement still reaches;
//   - no thread may be stopped inside the replaced bytes when they are
//     written (it would then be mid-instruction: impossible for a stopped
//     thread, but checked);
//   - the pad touches only rax, rflags and the 16 bytes below rsp's red
//     zone (144 bytes in all): Go code always has more than that free below
//     sp (the stack guard leaves at least 800 bytes below any function that
//     did its stack check, and leaf functions without one use at most 128),
//     and Go runs signal handlers on an alternate stack;
//   - the Go runtime may see a pad pc in a signal context: sighandler's
//     isAsyncSafePoint calls findfunc(pc), which fails for a pc outside
//     every module, so no async preemption is injected there; a SIGPROF
//     sample unwinds with silent errors and is charged to _ExternalCode.
//     GC stack scans happen only at safe points, never at a pad pc.
//     TestPadStressGCProfile runs the pad millions of times under
//     runtime.GC and CPU profiling.
//
// Pads are on by default; GODBG_PAD=0 turns them off (armPad refuses and
// every breakpoint traps). The debugger arms one through proc.PadArmer
// (padarm.go) for a condition `<integer variable> <cmp> <constant>`.
// Detach restores the text and unmaps the pads (no thread is ever left in
// one, and no signal is delivered inside one: padleave.go); fork children
// are handled in padfork.go.

// padEnabled reports whether jump pads may be used (GODBG_PAD=0: not).
func padEnabled() bool { return os.Getenv("GODBG_PAD") != "0" }

// padLoc says where a pad condition's operand lives at the breakpoint.
type padLoc int

const (
	padReg padLoc = iota // the value is in register Reg (DWARF number)
	padMem               // the value is at Reg+Off (Reg a DWARF register, e.g. rsp for a CFA-relative slot)
	padAbs               // the value is at the absolute address Off (a package variable)
)

// padCond is the compiled form of a condition a pad can evaluate:
// operand Op K, the operand an integer of Size bytes.
type padCond struct {
	Loc    padLoc
	Reg    int
	Off    int64
	Size   int
	Signed bool
	Op     string // == != < <= > >=
	K      int64
}

// ErrPadUnsupported is returned when a breakpoint cannot use a pad; the
// caller falls back to the trap path.
var ErrPadUnsupported = errors.New("jump pad not possible here")

// pad is one armed jump pad.
type pad struct {
	addr  uint64 // the breakpoint's address
	cond  padCond
	orig  []byte // the replaced instruction (len >= 5)
	base  uint64 // the pad's code
	ctr   uint64 // its counters: passes at ctr, true ones at ctr+8
	reloc uint64 // the relocated instruction (then a jmp back)
	trap  uint64 // the int3 of the true path
	depth []int  // per code offset: bytes below the original rsp (see padRedZone)
	// tramp: for an instruction of 2-4 bytes, a jmp rel8 at addr goes to a
	// jmp rel32 to the pad written at tramp, in the int3 fill between
	// functions (padtramp.go); 0 when addr holds the jmp rel32 itself.
	tramp uint64
	// bp is the breakpoint a true hit reports (setPadBreakpoint): not in
	// p.bps (no int3 goes in), run out of line from reloc when passed.
	bp *breakpoint
	// over: passes and true hits counted twice, by a thread moved back
	// to addr from the true path's int3 (padleave.go); padCounts
	// subtracts them.
	over [2]uint64
}

// A pad area holds code in its first half and counters in its second:
// a counter written in the same cache line (or page) as code being run
// makes the CPU flush its pipeline on every write (self-modifying code),
// about 100 times slower than the pad itself. Each pad's counters get
// their own cache line.
const (
	padChunk = 128         // bytes of code per pad
	padArea  = scratchSize // bytes per pad area
	padCtrs  = padArea / 2 // offset of the counters in an area
	padLine  = 64          // bytes of counters per pad
	// padRedZone: the pad leaves the 128 bytes below rsp alone (C leaf
	// functions keep data there; Go has no red zone but at least 800
	// bytes free below any user function's sp).
	padRedZone = 128
	rxw        = unix.PROT_READ | unix.PROT_WRITE | unix.PROT_EXEC
)

// padSet is the per-process pad state, kept here so that nproc does not
// change for it.
type padSet struct {
	area, next uint64
	pads       map[uint64]*pad // armed
	idle       map[uint64]*pad // disarmed, kept for re-arming (toggle)
	all        []*pad          // ever armed: threads may still be inside
	areas      []uint64        // every pad area
	tramps     map[uint64]bool // trampolines in use (padtramp.go)
}

func (ps *padSet) owns(area uint64) bool {
	for _, a := range ps.areas {
		if a == area {
			return true
		}
	}
	return false
}

var (
	padMu   sync.Mutex
	padSets = map[*nproc]*padSet{}
)

func (p *nproc) padSet() *padSet {
	padMu.Lock()
	defer padMu.Unlock()
	ps := padSets[p]
	if ps == nil {
		ps = &padSet{pads: map[uint64]*pad{}, idle: map[uint64]*pad{}, tramps: map[uint64]bool{}}
		padSets[p] = ps
	}
	return ps
}

// dwarfToX86 maps DWARF amd64 register numbers to x86 encodings.
var dwarfToX86 = [16]byte{0, 2, 1, 3, 6, 7, 5, 4, 8, 9, 10, 11, 12, 13, 14, 15}

// armPad replaces the instruction at addr by a jump to a new pad for c.
// Every thread stopped; tracer thread (it may inject mmap/mprotect).
// Any error means: use the trap path.
func (p *nproc) armPad(addr uint64, c padCond) (*pad, error) {
	if !padEnabled() {
		return nil, fmt.Errorf("%#x: %w: jump pads are off (GODBG_PAD=0)", addr, ErrPadUnsupported)
	}
	ps := p.padSet()
	if _, ok := ps.pads[addr]; ok {
		return nil, fmt.Errorf("%#x: %w: already padded", addr, ErrPadUnsupported)
	}
	buf := make([]byte, 16)
	n, err := p.readText(addr, buf)
	if n == 0 {
		return nil, fmt.Errorf("reading %#x: %w", addr, err)
	}
	inst, err := x86asm.Decode(buf[:n], 64)
	if err != nil {
		return nil, fmt.Errorf("%#x: %w: %v", addr, ErrPadUnsupported, err)
	}
	if err := padInsnOK(inst); err != nil {
		return nil, fmt.Errorf("%#x: %w: %v", addr, ErrPadUnsupported, err)
	}
	end := addr + uint64(inst.Len)
	for a := range p.bps {
		if a >= addr && a < end {
			return nil, fmt.Errorf("%#x: %w: an int3 breakpoint at %#x", addr, ErrPadUnsupported, a)
		}
	}
	for a, o := range ps.pads {
		if a < end && addr < a+uint64(len(o.orig)) {
			return nil, fmt.Errorf("%#x: %w: overlaps the pad at %#x", addr, ErrPadUnsupported, a)
		}
	}
	for _, t := range p.threads {
		if t.getRegs() == nil && t.regs.Rip > addr && t.regs.Rip < end {
			return nil, fmt.Errorf("%#x: %w: thread %d is inside the instruction", addr, ErrPadUnsupported, t.tid)
		}
	}
	pd := ps.idle[addr]
	if pd == nil || pd.cond != c || !bytes.Equal(pd.orig, buf[:inst.Len]) {
		var tramp uint64
		if inst.Len < 5 {
			if tramp, err = p.padTramp(ps, addr); err != nil {
				return nil, fmt.Errorf("%#x: %w: %v", addr, ErrPadUnsupported, err)
			}
		}
		if pd, err = p.newPad(ps, addr, c, inst, buf[:inst.Len]); err != nil {
			return nil, err
		}
		if pd.tramp = tramp; tramp != 0 {
			ps.tramps[tramp] = true
		}
		ps.all = append(ps.all, pd)
	}
	delete(ps.idle, addr)
	jmp := make([]byte, inst.Len)
	if pd.tramp != 0 {
		if err := p.writeTramp(pd); err != nil {
			return nil, err
		}
		jmp[0], jmp[1] = 0xeb, byte(int8(int64(pd.tramp)-int64(addr+2)))
	} else {
		jmp[0] = 0xe9
		binary.LittleEndian.PutUint32(jmp[1:], uint32(int32(int64(pd.base)-int64(addr+5))))
	}
	fill := 5
	if pd.tramp != 0 {
		fill = 2
	}
	for i := fill; i < len(jmp); i++ {
		jmp[i] = 0xcc // never executed: nothing lands after the jmp
	}
	p.guardJump(pd, jmp) // guard
	if _, err := p.mem.WriteAt(jmp, int64(addr)); err != nil {
		return nil, fmt.Errorf("writing the jump at %#x: %w", addr, memErr(err))
	}
	ps.pads[addr] = pd
	return pd, nil
}

// newPad compiles and writes a pad for the instruction orig at addr.
func (p *nproc) newPad(ps *padSet, addr uint64, c padCond, inst x86asm.Inst, orig []byte) (*pad, error) {
	base, ctr, err := p.allocPad(ps, addr)
	if err != nil {
		return nil, err
	}
	pd := &pad{addr: addr, cond: c, orig: append([]byte(nil), orig...), base: base, ctr: ctr}
	code, err := pd.compile(c, inst)
	if err != nil {
		return nil, fmt.Errorf("%#x: %w: %v", addr, ErrPadUnsupported, err)
	}
	// guard: should godbg die, the guardian turns the true path's int3
	// into a nop (the pad then never stops the program).
	p.guardBP(&breakpoint{addr: pd.trap, orig: [1]byte{0x90}})
	if _, err := p.mem.WriteAt(code, int64(base)); err != nil {
		return nil, fmt.Errorf("writing the pad at %#x: %w", base, err)
	}
	return pd, nil
}

// padInsnOK says whether an instruction can be relocated into a pad.
func padInsnOK(inst x86asm.Inst) error {
	if inst.Len < 2 {
		return fmt.Errorf("instruction %v is %d byte, a jump needs 2 (and a trampoline) or 5", inst, inst.Len)
	}
	switch inst.Op {
	case x86asm.CALL, x86asm.JMP, x86asm.RET, x86asm.LCALL, x86asm.LJMP, x86asm.LRET,
		x86asm.SYSCALL, x86asm.INT, x86asm.LOOP, x86asm.LOOPE, x86asm.LOOPNE, x86asm.JRCXZ, x86asm.JECXZ:
		return fmt.Errorf("instruction %v changes control flow", inst)
	}
	for _, a := range inst.Args {
		if _, ok := a.(x86asm.Rel); ok {
			return fmt.Errorf("instruction %v is a relative branch", inst)
		}
	}
	return nil
}

// allocPad returns a fresh padChunk within ±2 GiB of addr in a
// read-write-execute area of the tracee.
func (p *nproc) allocPad(ps *padSet, addr uint64) (code, ctr uint64, err error) {
	if ps.area == 0 || !near32(ps.area, addr) || ps.next+padChunk > ps.area+padCtrs {
		a, err := p.mapScratch(addr)
		if err != nil {
			return 0, 0, err
		}
		if !near32(a, addr) {
			return 0, 0, fmt.Errorf("%#x: %w: no memory within reach of the code", addr, ErrPadUnsupported)
		}
		t := p.injectThread()
		if t == nil {
			return 0, 0, fmt.Errorf("no thread to make pad memory writable with")
		}
		if _, err := p.injectSyscall(t, unix.SYS_MPROTECT, a, padArea, rxw); err != nil {
			return 0, 0, err
		}
		ps.area, ps.next = a, a
		ps.areas = append(ps.areas, a)
	}
	b := ps.next
	ps.next += padChunk
	return b, ps.area + padCtrs + (b-ps.area)/padChunk*padLine, nil
}

func near32(a, b uint64) bool {
	d := int64(a - b)
	return d < 1<<31-padArea && d > -(1<<31)+padArea
}

// compile emits the pad's bytes (counters included).
func (pd *pad) compile(c padCond, inst x86asm.Inst) ([]byte, error) {
	var code []byte
	depth := 0
	at := func() uint64 { return pd.base + uint64(len(code)) }
	emit := func(b ...byte) {
		for range b {
			pd.depth = append(pd.depth, depth)
		}
		code = append(code, b...)
	}
	// rip-relative disp32 to target from the end of an instruction
	// whose disp32 is its last 4 bytes.
	rel := func(target uint64, restLen int) []byte {
		d := int64(target) - int64(at()+uint64(restLen))
		return binary.LittleEndian.AppendUint32(nil, uint32(int32(d)))
	}
	popAll := func() {
		emit(0x9d) // popfq
		depth = padRedZone + 8
		emit(0x58) // pop rax
		depth = padRedZone
		emit(0x48, 0x8d, 0xa4, 0x24, 0x80, 0, 0, 0) // lea rsp, [rsp+128]
		depth = 0
	}
	emit(0x48, 0x8d, 0x64, 0x24, 0x80) // lea rsp, [rsp-128]: the red zone (flags kept)
	depth = padRedZone
	emit(0x50) // push rax
	depth = padRedZone + 8
	emit(0x9c) // pushfq
	depth = padRedZone + 16
	emit(append([]byte{0xf0, 0x48, 0xff, 0x05}, rel(pd.ctr, 8)...)...) // lock inc qword [hits]
	load, err := padLoad(c, at)
	if err != nil {
		return nil, err
	}
	emit(load...)
	if !padFits(c) {
		return nil, fmt.Errorf("constant %d does not fit the comparison", c.K)
	}
	emit(binary.LittleEndian.AppendUint32([]byte{0x48, 0x3d}, uint32(int32(c.K)))...) // cmp rax, imm32
	cc, err := padCC(c)
	if err != nil {
		return nil, err
	}
	jcc := len(code)
	emit(0x0f, cc, 0, 0, 0, 0) // jcc true (patched below)
	popAll()
	pd.reloc = at()
	insn := append([]byte(nil), pd.orig...)
	if inst.PCRel == 4 && usesRIP(inst) {
		disp := int64(int32(binary.LittleEndian.Uint32(insn[inst.PCRelOff:])))
		nd := disp + int64(pd.addr) - int64(pd.reloc)
		if nd != int64(int32(nd)) {
			return nil, fmt.Errorf("rip-relative operand out of reach")
		}
		binary.LittleEndian.PutUint32(insn[inst.PCRelOff:], uint32(int32(nd)))
	}
	emit(insn...)
	emit(append([]byte{0xe9}, rel(pd.addr+uint64(len(pd.orig)), 5)...)...) // jmp back
	// true path
	binary.LittleEndian.PutUint32(code[jcc+2:], uint32(int32(len(code)-(jcc+6))))
	depth = padRedZone + 16
	emit(append([]byte{0xf0, 0x48, 0xff, 0x05}, rel(pd.ctr+8, 8)...)...) // lock inc qword [trues]
	popAll()
	pd.trap = at()
	emit(0xcc)                                         // int3: the stop
	emit(append([]byte{0xe9}, rel(pd.reloc, 5)...)...) // then the original instruction
	if len(code) > padChunk {
		return nil, fmt.Errorf("pad of %d bytes is too long", len(code))
	}
	return code, nil
}

// padLoad emits the load of the operand into rax (red zone skipped, rax
// and rflags pushed: the original rsp is rsp+padRedZone+16).
func padLoad(c padCond, at func() uint64) ([]byte, error) {
	var op []byte // opcode bytes after the REX prefix
	rexW := byte(0x08)
	switch {
	case c.Size == 8:
		op = []byte{0x8b}
	case c.Size == 4 && c.Signed:
		op = []byte{0x63} // movsxd
	case c.Size == 4:
		op, rexW = []byte{0x8b}, 0 // mov eax: zero-extends
	case c.Size == 2 && c.Signed:
		op = []byte{0x0f, 0xbf}
	case c.Size == 2:
		op = []byte{0x0f, 0xb7}
	case c.Size == 1 && c.Signed:
		op = []byte{0x0f, 0xbe}
	case c.Size == 1:
		op = []byte{0x0f, 0xb6}
	default:
		return nil, fmt.Errorf("operand of %d bytes", c.Size)
	}
	if c.Loc == padAbs {
		n := 1 + len(op) + 1 + 4
		d := int64(c.Off) - int64(at()+uint64(n))
		if d != int64(int32(d)) {
			return nil, fmt.Errorf("variable at %#x out of reach", c.Off)
		}
		out := append([]byte{0x40 | rexW}, op...)
		out = append(out, 0x05) // modrm: rax, [rip+disp32]
		return binary.LittleEndian.AppendUint32(out, uint32(int32(d))), nil
	}
	if c.Reg < 0 || c.Reg > 15 {
		return nil, fmt.Errorf("DWARF register %d", c.Reg)
	}
	r := dwarfToX86[c.Reg]
	rex := 0x40 | rexW | r>>3 // REX.B
	if c.Loc == padReg {
		if r == 4 {
			return nil, fmt.Errorf("a value in rsp")
		}
		return append(append([]byte{rex}, op...), 0xc0|r&7), nil
	}
	if r != 4 {
		// Only stack slots: a load through any other register could
		// fault inside the pad.
		return nil, fmt.Errorf("a load through a register other than rsp")
	}
	off := c.Off
	if r == 4 {
		off += padRedZone + 16
	}
	if off != int64(int32(off)) {
		return nil, fmt.Errorf("offset %d", c.Off)
	}
	out := append(append([]byte{rex}, op...), 0x80|r&7) // mod=10: [r+disp32]
	if r&7 == 4 {
		out = append(out, 0x24) // SIB: base rsp/r12, no index
	}
	return binary.LittleEndian.AppendUint32(out, uint32(int32(off))), nil
}

// padFits: the constant must be comparable as a sign-extended imm32 with
// the operand extended to 64 bits the way padLoad does.
func padFits(c padCond) bool {
	if c.K != int64(int32(c.K)) {
		return false
	}
	if !c.Signed && c.K < 0 {
		return false
	}
	return true
}

func padCC(c padCond) (byte, error) {
	type key struct {
		op     string
		signed bool
	}
	m := map[key]byte{
		{"==", true}: 0x84, {"==", false}: 0x84, {"!=", true}: 0x85, {"!=", false}: 0x85,
		{"<", true}: 0x8c, {">=", true}: 0x8d, {"<=", true}: 0x8e, {">", true}: 0x8f,
		{"<", false}: 0x82, {">=", false}: 0x83, {"<=", false}: 0x86, {">", false}: 0x87,
	}
	cc, ok := m[key{c.Op, c.Signed}]
	if !ok {
		return 0, fmt.Errorf("operator %q", c.Op)
	}
	return cc, nil
}

// counts reads a pad's counters: every pass, and the true ones.
func (p *nproc) padCounts(pd *pad) (hits, trues uint64, err error) {
	var b [16]byte
	if _, err := p.mem.ReadAt(b[:], int64(pd.ctr)); err != nil {
		return 0, 0, err
	}
	return binary.LittleEndian.Uint64(b[:]) - pd.over[0], binary.LittleEndian.Uint64(b[8:]) - pd.over[1], nil
}

// disarmPad puts the original instruction back. Threads inside the pad
// finish through it (it stays mapped until detach: padLeave moves them).
// Every thread stopped.
func (p *nproc) disarmPad(addr uint64) error {
	ps := p.padSet()
	pd := ps.pads[addr]
	if pd == nil {
		return fmt.Errorf("no pad at %#x", addr)
	}
	if _, err := p.mem.WriteAt(pd.orig, int64(addr)); err != nil {
		return fmt.Errorf("restoring %#x: %w", addr, memErr(err))
	}
	delete(ps.pads, addr)
	ps.idle[addr] = pd
	return nil
}

// releasePads restores every padded instruction and trampoline fill and
// moves every thread out of the pads (padleave.go), before a detach: the
// pad areas stay in p.areas, which unmapScratch gives back. Every thread
// stopped; tracer thread.
func (p *nproc) releasePads() error {
	padMu.Lock()
	ps := padSets[p]
	delete(padSets, p)
	padMu.Unlock()
	if ps == nil {
		return nil
	}
	var errs []error
	for addr, pd := range ps.pads {
		if _, err := p.mem.WriteAt(pd.orig, int64(addr)); err != nil {
			errs = append(errs, fmt.Errorf("restoring %#x: %w", addr, err))
		}
	}
	for t := range ps.tramps {
		if _, err := p.mem.WriteAt(bytes.Repeat([]byte{0xcc}, trampLen), int64(t)); err != nil {
			errs = append(errs, fmt.Errorf("restoring the fill at %#x: %w", t, err))
		}
	}
	if err := p.padsLeave(ps); err != nil || p.anyRunning() {
		// A thread may still be in a pad: keep the areas mapped (64
		// KiB each, left in the program) rather than unmap code it runs.
		kept := p.areas[:0]
		for _, a := range p.areas {
			if !ps.owns(a) {
				kept = append(kept, a)
			}
		}
		p.areas = kept
		errs = append(errs, fmt.Errorf("pad areas left mapped: %w", err))
	}
	return errors.Join(errs...)
}

func (p *nproc) anyRunning() bool {
	for _, t := range p.threads {
		if t.running {
			return true
		}
	}
	return false
}

// forgetPads drops the debugger's record of p's pads (the process is gone
// or detached).
func forgetPads(p *nproc) {
	padMu.Lock()
	delete(padSets, p)
	padMu.Unlock()
}

// setPadBreakpoint arms a pad for c at addr whose true hits are reported
// as hits of a breakpoint at addr with condition cond (evaluated again by
// the trap path, so a hit count or a condition the pad only approximates
// stays exact). Every thread stopped; tracer thread.
func (p *nproc) setPadBreakpoint(addr uint64, c padCond, cond proc.BreakCond) (*pad, error) {
	if _, ok := p.bps[addr]; ok {
		return nil, fmt.Errorf("%#x: %w", addr, proc.ErrBreakpointExists)
	}
	pd, err := p.armPad(addr, c)
	if err != nil {
		return nil, err
	}
	pd.bp = &breakpoint{addr: addr, cond: cond, insn: pd.orig, kind: passSlot, slot: pd.reloc}
	pd.bp.orig[0] = pd.orig[0]
	return pd, nil
}

// padBreakpoint returns the breakpoint of the armed pad whose trap is
// just before pc (a true hit), or whose address is pc (a thread stopped
// there, to be passed out of line). Hooks in signalStop,
// passIfAtBreakpoint and stepBreakpoint.
func (p *nproc) padBreakpoint(pc uint64, trapped bool) *breakpoint {
	padMu.Lock()
	ps := padSets[p]
	padMu.Unlock()
	if ps == nil {
		return nil
	}
	if !trapped {
		if pd := ps.pads[pc]; pd != nil {
			return pd.bp
		}
		return nil
	}
	for _, pd := range ps.pads {
		if pd.bp != nil && pd.trap+1 == pc {
			return pd.bp
		}
	}
	return nil
}

// padTrap: a SIGTRAP just past a pad's int3 is a true hit of its
// breakpoint (bpHit then shows the thread at the breakpoint's address).
func (p *nproc) padTrap(t *nthread, sig int, mode waitMode) *breakpoint {
	if sig != int(sigTRAP) || (mode == modeStep && t.tid == p.s.stepTid) || !p.hasPads() {
		return nil
	}
	t.regsValid = false
	if t.getRegs() != nil {
		return nil
	}
	return p.padBreakpoint(t.regs.Rip, true)
}

func (p *nproc) hasPads() bool {
	padMu.Lock()
	defer padMu.Unlock()
	ps := padSets[p]
	return ps != nil && len(ps.pads) > 0
}

// padStep single-steps a thread sitting at a padded breakpoint through
// the original instruction, put back for the step (the other threads are
// stopped during a step), so that the thread never shows a pad pc.
// Tracer thread.
func (p *nproc) padStep(t *nthread, bp *breakpoint) *proc.Stop {
	jmp := make([]byte, len(bp.insn))
	if _, err := p.mem.ReadAt(jmp, int64(bp.addr)); err != nil {
		return &proc.Stop{Reason: proc.StopStepped, Tid: t.tid}
	}
	if _, err := p.mem.WriteAt(bp.insn, int64(bp.addr)); err != nil {
		return &proc.Stop{Reason: proc.StopStepped, Tid: t.tid}
	}
	t.regsValid = false
	ws, err := stepOne(t, -1)
	p.mem.WriteAt(jmp, int64(bp.addr))
	if err == nil && !ws.Stopped() {
		if st := p.threadGone(t, ws); st != nil && st.Reason == proc.StopExited {
			st.Pid = p.pid
			if st = p.s.procGone(p, st); st != nil {
				p.s.reports = append(p.s.reports, st)
			}
		}
		if p.exited {
			return p.exitStop()
		}
	}
	t.why = "stepped"
	return &proc.Stop{Reason: proc.StopStepped, Tid: t.tid}
}

// padText puts back, in buf (text read at addr), the original bytes
// under every armed pad's jump: a dump shows the program's code.
func (p *nproc) padText(addr uint64, buf []byte) {
	padMu.Lock()
	ps := padSets[p]
	padMu.Unlock()
	if ps == nil {
		return
	}
	ps.trampText(addr, buf)
	for a, pd := range ps.pads {
		for i, b := range pd.orig {
			if x := a + uint64(i); x >= addr && x < addr+uint64(len(buf)) {
				buf[x-addr] = b
			}
		}
	}
}

// padCovers refuses an int3 inside an armed pad's jump: at its address
// the pad's breakpoint is there already; past it the int3 would corrupt
// the jump.
func (p *nproc) padCovers(addr uint64) error {
	padMu.Lock()
	ps := padSets[p]
	padMu.Unlock()
	if ps == nil {
		return nil
	}
	for a, pd := range ps.pads {
		switch {
		case a == addr:
			return fmt.Errorf("%#x (a jump pad): %w", addr, proc.ErrBreakpointExists)
		case addr > a && addr < a+uint64(len(pd.orig)):
			return fmt.Errorf("cannot set a breakpoint at %#x: inside the instruction at %#x, replaced by a jump pad", addr, a)
		}
	}
	return nil
}
