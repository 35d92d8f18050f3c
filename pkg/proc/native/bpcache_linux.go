package native

import (
	"bytes"

	"golang.org/x/arch/x86/x86asm"
)

// A step sets its breakpoints on the same places again and again (every
// line start of a function, at each next in it), and the debugger
// prepares them in the background after a stop (issue 12: a next's fixed
// cost). prepare's result for an address is kept: the instruction's
// length and how a thread passes it (its slot, which keeps holding the
// instruction, or its emulation). A breakpoint set there again over the
// same instruction bytes takes it without decoding, allocating or
// writing a slot.

// preparedBP is what prepare found for one address.
type preparedBP struct {
	insn   []byte
	kind   passKind
	slot   uint64
	target uint64
	op     x86asm.Op
}

// maxPrepared bounds the kept results (a trace sets many breakpoints).
const maxPrepared = 4096

// reusePrepared fills bp (its insn just read from the text) from an
// earlier preparation at its address; false: there is none for these
// bytes, or its slot is gone.
func (p *nproc) reusePrepared(bp *breakpoint) bool {
	c, ok := p.prepared[bp.addr]
	if !ok || len(bp.insn) < len(c.insn) || !bytes.Equal(bp.insn[:len(c.insn)], c.insn) {
		return false
	}
	if c.kind == passSlot && p.slots[bp.addr] != c.slot {
		return false // the scratch memory was unmapped
	}
	bp.insn = bp.insn[:len(c.insn)]
	bp.kind, bp.slot, bp.target, bp.op = c.kind, c.slot, c.target, c.op
	return true
}

// rememberPrepared keeps what prepare found for bp.
func (p *nproc) rememberPrepared(bp *breakpoint) {
	p.decodes++
	if p.prepared == nil || len(p.prepared) >= maxPrepared {
		p.prepared = map[uint64]preparedBP{}
	}
	p.prepared[bp.addr] = preparedBP{insn: bytes.Clone(bp.insn), kind: bp.kind, slot: bp.slot, target: bp.target, op: bp.op}
}
