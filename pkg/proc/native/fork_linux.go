package native

import (
	"maps"
	"os"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc"
)

// forked handles a fork or vfork event of thread t of p: the fork policy
// says whether the child stays as a target, whether the parent is let go
// and whether the session stops. Tracer thread.
func (s *session) forked(p *nproc, t *nthread, child, cause int, mode waitMode) *proc.Stop {
	vfork := cause == unix.PTRACE_EVENT_VFORK
	var act proc.ForkAction
	if s.forkPolicy != nil {
		act = s.forkPolicy(proc.Fork{Parent: p.pid, Child: child, VFork: vfork})
	}
	if act.DetachParent && !act.Keep {
		act.DetachParent = false // never let both go
	}
	if s.filter != nil && !act.Keep {
		// Untraced, its filtered calls would fail with ENOSYS.
		act.Keep, act.Quiet = true, true
	}
	if s.filter != nil {
		act.DetachParent = false
	}
	s.emit(proc.Event{Kind: proc.EventFork, Pid: child, Tid: child, Parent: p.pid, Kept: act.Keep, VFork: vfork})
	if !act.Keep {
		if s.early[child] {
			delete(s.early, child)
			s.releaseChild(child, cause, p)
		} else {
			s.forkKids[child] = forkKid{event: cause, parent: p.pid}
		}
		if act.Stop {
			t.why = "fork"
			return &proc.Stop{Reason: proc.StopFork, Tid: t.tid, Child: child, VFork: vfork}
		}
		return nil
	}
	c := s.adopt(p, child, vfork, act.Quiet)
	if vfork {
		t.vforkChild = child
	}
	ct := c.threads[child]
	if s.early[child] { // its initial SIGSTOP came first
		delete(s.early, child)
		ct.running, ct.stopSig = false, int(sigSTOP)
		if mode == modeRun && !act.Stop && !act.DetachParent {
			ct.resume()
		}
	} else {
		ct.newThread = true
	}
	if act.DetachParent {
		p.detachSoon, p.handOver = true, child
		if vfork {
			// The child shares the parent's text: cleaning it for the
			// parent cleans it for the child too.
			clear(c.bps)
		}
	}
	if act.Stop {
		t.why = "fork"
		return &proc.Stop{Reason: proc.StopFork, Tid: t.tid, Child: child, VFork: vfork}
	}
	return nil
}

// adopt makes a new child a target. A fork child has a copy of the
// parent's memory, our int3s and scratch slots included, so it gets a copy
// of the breakpoint table; a vfork child shares the memory and the table
// describes it just as well.
func (s *session) adopt(parent *nproc, pid int, vfork, quiet bool) *nproc {
	c := newProcess(pid, parent.launched, s)
	c.parent = parent.pid
	c.quiet = quiet
	c.inserted = parent.inserted // a copy of the text, or the same text
	c.mem, _ = openMem(pid)
	for a, bp := range parent.bps {
		cp := *bp
		c.bps[a] = &cp
	}
	c.guardAll()        // guard
	parent.clonePads(c) // pad (issue 17)
	if parent.scratch != nil {
		sc := *parent.scratch
		c.scratch = &sc
	}
	c.farScratch = parent.farScratch
	if parent.slots != nil {
		c.slots = maps.Clone(parent.slots)
		c.slotOf = maps.Clone(parent.slotOf)
	}
	if !vfork {
		// A fork child has its own copy of the areas; a vfork child
		// shares the parent's, which the parent gives back.
		c.areas = slices.Clone(parent.areas)
	}
	t := c.addThread(pid)
	t.optioned = true
	s.add(c)
	return c
}

// releaseChild lets a forked child go: a fork child gets its own copy of
// the text, so our int3s are removed from it first; a vfork child shares
// the parent's memory and is let go as it is (it only runs until exec).
// The child is stopped in its initial SIGSTOP, which the detach discards.
// parent may be nil when it is gone; then the breakpoints are unknown.
// Tracer thread.
func (s *session) releaseChild(pid, event int, parent *nproc) {
	if event == unix.PTRACE_EVENT_FORK && parent != nil && (len(parent.bps) > 0 || len(parent.areas) > 0) {
		if mem, err := os.OpenFile("/proc/"+strconv.Itoa(pid)+"/mem", os.O_RDWR, 0); err == nil {
			for addr, bp := range parent.bps {
				mem.WriteAt(bp.orig[:], int64(addr))
			}
			s.releaseChildPads(pid, parent, mem) // pad (issue 17): text back, our areas unmapped
			mem.Close()
		}
	}
	_ = ptraceDetach(pid, 0)
}

// vforkWaits reports whether t is the parent of a kept vfork child that
// has not yet executed a program or gone. Such a thread sleeps in the
// kernel until the child does, and a SIGSTOP sent to it is taken only
// then; in an all-stop the child is stopped too, so waiting for that
// SIGSTOP, or resuming the thread to take it, would wait for ever. An
// all-stop counts it as stopped; its SIGSTOP stays queued (stopQueued)
// and is taken, quietly, after the next resume.
func (t *nthread) vforkWaits() bool {
	if t.vforkChild == 0 {
		return false
	}
	if c := t.p.s.procs[t.vforkChild]; c == nil || c.execed {
		t.vforkChild = 0
		return false
	}
	return true
}
