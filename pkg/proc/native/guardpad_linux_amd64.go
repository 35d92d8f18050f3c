package native

import (
	"bytes"
	"encoding/hex"
	"strconv"

	"golang.org/x/sys/unix"
)

// The guardian and jump pads (issue 17). Should godbg die while a pad is
// armed, the program runs on through the pad (its memory stays mapped)
// — but a trampoline lies in the fill after a function, where the Go
// runtime's async preemption throws "invalid runtime symbol table" if a
// signal lands on it untraced. So the guardian is told each pad's jump
// ("J pid addr orig jump tramp", hex) and, in its rescue, with every
// thread seized and stopped, writes the original instruction back where
// the jump still is and moves a thread stopped at a trampoline back to
// the padded address. The pad's own int3 was sent as an ordinary
// breakpoint whose original byte is a nop (newPad). The jumps are not
// written back at the tracer's death signal, when threads still run: a
// multi-byte write could be seen half done.

// guardJump tells the guardian about pd's jump before it is written.
func (p *nproc) guardJump(pd *pad, jmp []byte) {
	g := p.s.guard
	if p.launched || g == nil {
		return
	}
	g.ensure(p.ex) // next: the guardian starts at the first thing it must know
	g.send(p.pid, "J %x %x %x %x %x\n", p.pid, pd.addr, pd.orig, jmp, pd.tramp)
	g.awaitReady()
}

// gjump is a pad's jump as the guardian knows it.
type gjump struct {
	addr, tramp uint64
	orig, jmp   []byte
}

// guardJumps: the guardian's pad jumps, by pid.
var guardJumps = map[int][]gjump{}

// guardAddJump records a "J" line (f: its fields).
func guardAddJump(pid int, f []string) {
	if len(f) != 6 {
		return
	}
	addr, err1 := strconv.ParseUint(f[2], 16, 64)
	tramp, err2 := strconv.ParseUint(f[5], 16, 64)
	orig, err3 := hex.DecodeString(f[3])
	jmp, err4 := hex.DecodeString(f[4])
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil || len(orig) != len(jmp) {
		return
	}
	guardJumps[pid] = append(guardJumps[pid], gjump{addr: addr, tramp: tramp, orig: orig, jmp: jmp})
}

// restoreJumps puts the original instructions back under the pads'
// jumps and moves threads at a trampoline back to the padded address.
// Every thread seized and stopped (rescue).
func (g *gproc) restoreJumps(threads map[int]*gthread) int {
	js := guardJumps[g.pid]
	if g.mem == nil || len(js) == 0 {
		return 0
	}
	n := 0
	for _, j := range js {
		cur := make([]byte, len(j.jmp))
		if _, err := g.mem.ReadAt(cur, int64(j.addr)); err != nil || !bytes.Equal(cur, j.jmp) {
			continue
		}
		if _, err := g.mem.WriteAt(j.orig, int64(j.addr)); err == nil {
			n += len(j.orig)
		}
	}
	for tid, t := range threads {
		var r unix.PtraceRegs
		if !t.stopped || ptraceGetRegs(tid, &r) != nil {
			continue
		}
		for _, j := range js {
			if j.tramp != 0 && r.Rip == j.tramp {
				r.Rip = j.addr
				_ = ptraceSetRegs(tid, &r)
			}
		}
	}
	return n
}
