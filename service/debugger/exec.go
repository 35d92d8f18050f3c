package debugger

import (
	"strings"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/service/api"
)

// afterExec follows a target into the program it executed: the new
// executable's symbols are loaded and every breakpoint is resolved again
// in it (one it lacks stays pending for a later image). A child traced
// only for follow-exec is kept if its command line matches, else let go.
// It reports whether the exec should be shown to the user (catch exec).
func (d *Debugger) afterExec(st *proc.Stop) bool {
	d.syncTargets()
	t := d.group.Get(st.Pid)
	if t == nil {
		return false
	}
	if !d.group.Followed(st.Pid) {
		follow, cmd := d.group.FollowExec(t)
		if !follow {
			return false
		}
		d.note(api.Event{Kind: "follow-exec", Pid: st.Pid, Text: cmd})
	}
	t.setImage(d.imageFor(t.Proc))
	prev := d.tgt
	d.switchTo(t)
	d.rearm(t.img, t.Proc)
	d.setInternalBreakpoints()
	d.setSolibHook()
	if c := d.catchExec(); c != nil {
		c.hits.Hit(st.Tid)
		return true
	}
	if prev != t && !prev.Exited() && !d.switchOnExec(t) {
		d.switchTo(prev)
	}
	return false
}

// switchOnExec: an exec'd child becomes current when it is the one
// followed (follow-fork-mode child, follow-exec).
func (d *Debugger) switchOnExec(t *target) bool {
	return d.group.Settings.Mode == "child"
}

// execLine is a target's command line for messages.
func execLine(p proc.Inspector) string { return strings.Join(p.CommandLine(), " ") }

// updateStopOnExec keeps exec stops on: every exec needs its image's
// breakpoints set before it runs, and follow-exec decisions.
func (d *Debugger) updateStopOnExec() {
	if p := d.tgt.Proc; p != nil {
		p.SetStopOnExec(true)
	}
}
