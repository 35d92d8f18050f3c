package native

import (
	"encoding/binary"
	"fmt"

	"golang.org/x/arch/x86/x86asm"
	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc"
)

// How a thread gets past a breakpoint without removing its int3 (which
// would let other, running threads pass unseen):
//
//   - most instructions run out of line: a copy sits in a scratch slot,
//     rip-relative displacements adjusted, followed by an absolute jump back
//     to the next instruction; the thread is resumed at the slot;
//   - relative jumps, calls and conditional jumps are emulated: rip (and
//     for a call the pushed return address) set directly;
//   - what can be neither (rip-relative indirect branches, loop/jrcxz)
//     is stepped in place with every thread stopped.
type passKind int

const (
	passSlot passKind = iota
	passJmp
	passCall
	passJcc
	passInPlace
)

// prepare decodes the instruction under a new breakpoint and sets up its
// slot, or takes what an earlier breakpoint there found (plan:
// bpcache_linux.go).
func (p *nproc) prepare(bp *breakpoint) error {
	if p.reusePrepared(bp) {
		return nil
	}
	if err := p.prepareFresh(bp); err != nil {
		return err
	}
	p.rememberPrepared(bp)
	return nil
}

func (p *nproc) prepareFresh(bp *breakpoint) error {
	inst, err := x86asm.Decode(bp.insn, 64)
	if err != nil {
		bp.kind = passInPlace
		return nil
	}
	bp.insn = bp.insn[:inst.Len]
	next := bp.addr + uint64(inst.Len)
	if rel, ok := inst.Args[0].(x86asm.Rel); ok {
		bp.target = next + uint64(int64(rel))
		switch {
		case inst.Op == x86asm.JMP:
			bp.kind = passJmp
		case inst.Op == x86asm.CALL:
			bp.kind = passCall
		case jccTaken(inst.Op, 0) != nil:
			bp.kind, bp.op = passJcc, inst.Op
		default:
			bp.kind = passInPlace // loop, jrcxz
		}
		return nil
	}
	ripRel := inst.PCRel == 4 && usesRIP(inst)
	if ripRel && (inst.Op == x86asm.CALL || inst.Op == x86asm.JMP) {
		bp.kind = passInPlace
		return nil
	}
	if inst.Op == x86asm.CALL { // call reg/[mem]: out of line would push a wrong return address
		bp.kind = passInPlace
		return nil
	}
	if slot, ok := p.slots[bp.addr]; ok {
		// Set here before (stepping sets the same places again and
		// again): the slot still holds this instruction.
		bp.kind, bp.slot = passSlot, slot
		return nil
	}
	slot, err := p.allocSlot(bp.addr)
	if err != nil {
		bp.kind = passInPlace
		return nil
	}
	code := append([]byte(nil), bp.insn...)
	if ripRel {
		disp := int64(int32(binary.LittleEndian.Uint32(code[inst.PCRelOff:])))
		nd := disp + int64(bp.addr) - int64(slot)
		if nd != int64(int32(nd)) {
			bp.kind = passInPlace
			return nil
		}
		binary.LittleEndian.PutUint32(code[inst.PCRelOff:], uint32(int32(nd)))
	}
	code = append(code, 0xff, 0x25, 0, 0, 0, 0) // jmp *0(%rip)
	code = binary.LittleEndian.AppendUint64(code, next)
	if _, err := p.mem.WriteAt(code, int64(slot)); err != nil {
		return fmt.Errorf("writing scratch slot at %#x: %w", slot, err)
	}
	bp.kind, bp.slot = passSlot, slot
	if p.slots == nil {
		p.slots, p.slotOf = map[uint64]uint64{}, map[uint64]slotBack{}
	}
	p.slots[bp.addr] = slot
	p.slotOf[slot] = slotBack{addr: bp.addr, n: uint64(len(bp.insn))}
	return nil
}

func usesRIP(inst x86asm.Inst) bool {
	for _, a := range inst.Args {
		if m, ok := a.(x86asm.Mem); ok && m.Base == x86asm.RIP {
			return true
		}
	}
	return false
}

// jccTaken evaluates a conditional jump against rflags; nil if op is not one.
func jccTaken(op x86asm.Op, fl uint64) *bool {
	cf, pf, zf := fl&1 != 0, fl&(1<<2) != 0, fl&(1<<6) != 0
	sf, of := fl&(1<<7) != 0, fl&(1<<11) != 0
	var r bool
	switch op {
	case x86asm.JO:
		r = of
	case x86asm.JNO:
		r = !of
	case x86asm.JB:
		r = cf
	case x86asm.JAE:
		r = !cf
	case x86asm.JE:
		r = zf
	case x86asm.JNE:
		r = !zf
	case x86asm.JBE:
		r = cf || zf
	case x86asm.JA:
		r = !cf && !zf
	case x86asm.JS:
		r = sf
	case x86asm.JNS:
		r = !sf
	case x86asm.JP:
		r = pf
	case x86asm.JNP:
		r = !pf
	case x86asm.JL:
		r = sf != of
	case x86asm.JGE:
		r = sf == of
	case x86asm.JLE:
		r = zf || sf != of
	case x86asm.JG:
		r = !zf && sf == of
	default:
		return nil
	}
	return &r
}

// pass sets thread t, stopped at bp's address with t.regs loaded, up to go
// past the breakpoint when resumed. It returns false for passInPlace.
// Tracer thread.
func (p *nproc) pass(t *nthread, bp *breakpoint) (bool, error) {
	r := &t.regs
	next := bp.addr + uint64(len(bp.insn))
	switch bp.kind {
	case passSlot:
		r.Rip = bp.slot
	case passJmp:
		r.Rip = bp.target
	case passJcc:
		if *jccTaken(bp.op, r.Eflags) {
			r.Rip = bp.target
		} else {
			r.Rip = next
		}
	case passCall:
		var ret [8]byte
		binary.LittleEndian.PutUint64(ret[:], next)
		if _, err := p.mem.WriteAt(ret[:], int64(r.Rsp-8)); err != nil {
			return false, fmt.Errorf("emulating call at %#x: %w", bp.addr, err)
		}
		r.Rsp -= 8
		r.Rip = bp.target
	default:
		return false, nil
	}
	return true, ptraceSetRegs(t.tid, r)
}

// stepInPlace executes bp's instruction with its int3 removed. Every other
// thread must be stopped. Tracer thread.
func (p *nproc) stepInPlace(t *nthread, bp *breakpoint) error {
	if _, err := p.mem.WriteAt(bp.orig[:], int64(bp.addr)); err != nil {
		return err
	}
	if p.inserted {
		defer p.mem.WriteAt(int3, int64(bp.addr))
	}
	t.regsValid = false
	ws, err := stepOne(t, -1)
	if err == nil && !ws.Stopped() {
		if st := p.threadGone(t, ws); st != nil && st.Reason == proc.StopExited {
			st.Pid = p.pid
			if st = p.s.procGone(p, st); st != nil {
				p.s.reports = append(p.s.reports, st)
			}
		}
	}
	return err
}

// stepOne single-steps thread t alone until the step's SIGTRAP (at most
// tries attempts, unlimited if negative). A signal that arrives first is
// held for the next Continue, not delivered into the step; a SIGSTOP of
// ours (an all-stop's, a halt's wake-up) is consumed, never held: held, it
// would be delivered at the next Continue and group-stop the process (a
// SIGSTOP stop where a halt was asked for). It returns the
// final wait status; a thread that died returns its exit status.
// Tracer thread.
func stepOne(t *nthread, tries int) (unix.WaitStatus, error) {
	var ws unix.WaitStatus
	opened := false
	for i := 0; tries < 0 || i < tries; i++ {
		if err := ptraceStep(t.tid, 0); err != nil {
			return ws, err
		}
		var err error
		if _, ws, err = wait4(t.tid, 0); err != nil || !ws.Stopped() {
			return ws, err
		}
		t.stopSig = int(ws.StopSignal())
		if ws.StopSignal() == sigTRAP {
			return ws, nil
		}
		if ws.StopSignal() == sigSTOP && t.p.s.ownStop(t) {
			continue
		}
		if !opened && t.p.openForStep(t, ws) { // watch: a page-protected access
			opened = true
			defer t.p.openPages(nil, false)
			continue
		}
		if t.heldSig == 0 {
			t.heldSig = int(ws.StopSignal())
			ptraceGetSiginfo(t.tid, &t.heldInfo)
		}
	}
	return ws, nil
}

var _ = unix.SIGTRAP
