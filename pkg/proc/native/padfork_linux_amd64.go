package native

import (
	"bytes"
	"maps"
	"os"
	"slices"

	"golang.org/x/sys/unix"
)

// Jump pads and fork (issue 17). A fork child gets a copy of the
// parent's memory: the jumps in the text, the trampolines, the pad areas
// and their counters. A child the session keeps gets a copy of the pad
// table (clonePads), so that its true hits are reported and its pads can
// be cleared and unmapped like the parent's; a child let go gets its text
// back and its copies of our areas unmapped before it runs
// (releaseChildPads). A vfork child shares the parent's memory: the
// parent's table describes it, and nothing is written for it.

// clonePads gives the fork child c a copy of parent's pad table. Tracer
// thread.
func (parent *nproc) clonePads(c *nproc) {
	padMu.Lock()
	defer padMu.Unlock()
	ps := padSets[parent]
	if ps == nil {
		return
	}
	cs := &padSet{area: ps.area, next: ps.next, pads: map[uint64]*pad{}, idle: map[uint64]*pad{},
		areas: slices.Clone(ps.areas), tramps: maps.Clone(ps.tramps)}
	copied := map[*pad]*pad{}
	for _, pd := range ps.all {
		cp := *pd
		if pd.bp != nil {
			bp := *pd.bp
			cp.bp = &bp
		}
		copied[pd] = &cp
		cs.all = append(cs.all, &cp)
	}
	for a, pd := range ps.pads {
		cs.pads[a] = copied[pd]
	}
	for a, pd := range ps.idle {
		cs.idle[a] = copied[pd]
	}
	padSets[c] = cs
}

// releaseChildPads puts the original text back under parent's pads and
// trampolines in the fork child pid, stopped at its first stop, and
// unmaps its copies of parent's areas (pads and scratch slots) unless
// its pc is in one. mem is the child's /proc/PID/mem. Tracer thread.
func (s *session) releaseChildPads(pid int, parent *nproc, mem *os.File) {
	padMu.Lock()
	ps := padSets[parent]
	padMu.Unlock()
	if ps != nil {
		for a, pd := range ps.pads {
			mem.WriteAt(pd.orig, int64(a))
		}
		for t := range ps.tramps {
			mem.WriteAt(bytes.Repeat([]byte{0xcc}, trampLen), int64(t))
		}
	}
	if len(parent.areas) == 0 {
		return
	}
	var r unix.PtraceRegs
	if ptraceGetRegs(pid, &r) != nil {
		return
	}
	for _, a := range parent.areas {
		if r.Rip >= a && r.Rip < a+scratchSize {
			return // running our code: keep it
		}
	}
	c := &nproc{pid: pid, s: s, threads: map[int]*nthread{}}
	c.mem = mem
	t := &nthread{tid: pid, p: c}
	for _, a := range parent.areas {
		if _, err := c.injectSyscall(t, unix.SYS_MUNMAP, a, scratchSize); err != nil {
			return
		}
	}
}
