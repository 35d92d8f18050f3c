package native

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
)

// Staged breakpoints (proc.Stager; issue 12). The debugger stages, at a
// stop, the breakpoints of the steps it planned: each is made as
// SetBreakpoint makes one (its instruction read, its slot or emulation
// readied, its page checked writable) and kept in p.staged, never in
// p.bps. Nothing but SetStaged reads p.staged: a staged breakpoint is not
// written by insertBreakpoints, not overlaid by readText, not matched by
// a hit, not copied to a fork child, not restored at a detach. It cannot
// trap or show, dropped or not. SetStaged moves one into p.bps only while
// the backend's generation is the one it was staged at (a resumption, a
// single step, a register set or a memory write moves it) and nothing
// holds its address.

// stagedBPs are a process's staged breakpoints, all made at one
// generation.
type stagedBPs struct {
	gen  uint64
	bps  map[uint64]*breakpoint
	sets int // SetStaged successes (for tests)
	room int // p.bps was made for this many (bpRoom)
}

// StageBreakpoint implements proc.Stager.
func (p *nproc) StageBreakpoint(addr uint64) error {
	if p.exited {
		return p.exitErr()
	}
	if _, ok := p.bps[addr]; ok {
		return fmt.Errorf("%#x: %w", addr, proc.ErrBreakpointExists)
	}
	gen := generation.Load()
	st := &p.staged
	if st.bps == nil || st.gen != gen {
		st.bps, st.gen = map[uint64]*breakpoint{}, gen
	}
	var bp *breakpoint
	var err error
	if p.scratch != nil {
		bp, err = p.newBreakpoint(addr, nil)
	} else {
		p.ex.run(func() { bp, err = p.newBreakpoint(addr, nil) }) // may map scratch memory
	}
	if err != nil {
		return err
	}
	if now := generation.Load(); now != gen {
		// Mapping the scratch memory moved it: only this one is known
		// to be made after the last change.
		st.bps, st.gen = map[uint64]*breakpoint{}, now
	}
	st.bps[addr] = bp
	p.bpRoom(len(p.bps) + len(st.bps))
	return nil
}

// bpRoom makes p.bps hold n breakpoints without growing (SetStaged's
// inserts then allocate nothing: a map grown at a next's start touches
// cold memory). The content stays as it is.
func (p *nproc) bpRoom(n int) {
	if n <= p.staged.room {
		return
	}
	room := 2 * n
	bps := make(map[uint64]*breakpoint, room)
	for a, bp := range p.bps {
		bps[a] = bp
	}
	p.bps, p.staged.room = bps, room
}

// SetStaged implements proc.Stager.
func (p *nproc) SetStaged(addr uint64, cond proc.BreakCond) bool {
	st := &p.staged
	bp := st.bps[addr]
	if bp == nil {
		return false
	}
	delete(st.bps, addr) // used once
	if p.exited || p.inserted || st.gen != generation.Load() {
		return false
	}
	if _, ok := p.bps[addr]; ok || p.padCovers(addr) != nil {
		return false
	}
	if bp.kind == passSlot && p.slots[addr] != bp.slot {
		return false
	}
	bp.cond = cond
	p.guardBP(bp)
	p.bps[addr] = bp
	st.sets++
	return true
}

// Holds implements proc.Stager.
func (p *nproc) Holds(addr uint64) bool {
	if _, ok := p.bps[addr]; ok {
		return true
	}
	return !p.exited && p.padAt(addr)
}
