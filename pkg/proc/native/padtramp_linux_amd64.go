package native

import (
	"encoding/binary"
	"fmt"
)

// Trampolines (issue 17, padwire): an instruction of 2 to 4 bytes cannot
// hold a jmp rel32, but a jmp rel8 (2 bytes) fits. It goes to a jmp rel32
// to the pad, written in the int3 fill (0xcc) that the Go and C linkers
// put between functions, within 127 bytes. Only one instruction is still
// replaced, so the safety argument of pad_linux_amd64.go holds; the fill
// is never run by the program (a run of at least 5 int3s in the original
// text is alignment padding, not code). Trampolines stay written after a
// disarm (dead code either way) so that a thread stopped between the two
// jumps never meets an int3; padLeave moves such a thread back to addr.

const trampLen = 5

// padTramp finds unused int3 fill for a trampoline within jmp rel8 reach
// of the instruction at addr.
func (p *nproc) padTramp(ps *padSet, addr uint64) (uint64, error) {
	from := addr + 2 // rel8 is relative to the end of the jmp
	lo := from - 128
	buf := make([]byte, 128+127+trampLen)
	n, _ := p.readText(lo, buf)
	buf = buf[:n]
	run := 0
	for i := 0; i < len(buf); i++ {
		if buf[i] != 0xcc {
			run = 0
			continue
		}
		run++
		// A trampoline at t = lo+i-trampLen+1, leaving one int3 of the
		// run before it when possible (a fall-through from the code
		// before still meets an int3 first).
		if run < trampLen+1 {
			continue
		}
		t := lo + uint64(i) - trampLen + 1
		d := int64(t) - int64(from)
		if d < -128 || d > 127 || t < addr+2 && t+trampLen > addr {
			continue
		}
		if ps.trampOverlaps(t) {
			continue
		}
		return t, nil
	}
	return 0, fmt.Errorf("no int3 fill within 127 bytes for a trampoline")
}

func (ps *padSet) trampOverlaps(t uint64) bool {
	for u := range ps.tramps {
		if t < u+trampLen && u < t+trampLen {
			return true
		}
	}
	return false
}

// writeTramp writes pd's trampoline (jmp rel32 to the pad).
func (p *nproc) writeTramp(pd *pad) error {
	b := binary.LittleEndian.AppendUint32([]byte{0xe9}, uint32(int32(int64(pd.base)-int64(pd.tramp+trampLen))))
	if _, err := p.mem.WriteAt(b, int64(pd.tramp)); err != nil {
		return fmt.Errorf("writing the trampoline at %#x: %w", pd.tramp, memErr(err))
	}
	return nil
}

// trampText puts the int3 fill back, in buf (text read at addr), under
// every trampoline: a dump shows the program's bytes.
func (ps *padSet) trampText(addr uint64, buf []byte) {
	for t := range ps.tramps {
		for x := t; x < t+trampLen; x++ {
			if x >= addr && x < addr+uint64(len(buf)) {
				buf[x-addr] = 0xcc
			}
		}
	}
}

// trampSignal moves a thread that is about to get a signal while at a
// trampoline back to the padded address (it has only run the jmp rel8
// there; running it again is the same). The trampoline lies in the fill
// after a function, which the Go runtime's findfunc attributes to that
// function but its pc tables do not cover: a SIGPROF traceback or an
// async preemption from that pc throws "invalid runtime symbol table"
// (seen in TestPadStressCLI before this). Signal-delivery stop, tracer
// thread.
func (p *nproc) trampSignal(t *nthread, sig int) {
	if sig == int(sigTRAP) || !p.hasPads() {
		return
	}
	padMu.Lock()
	ps := padSets[p]
	padMu.Unlock()
	if ps == nil || len(ps.tramps) == 0 {
		return
	}
	t.regsValid = false
	if t.getRegs() != nil || !ps.tramps[t.regs.Rip] {
		return
	}
	_ = p.padLeave(t, ps)
}
