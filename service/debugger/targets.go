package debugger

import (
	"fmt"
	"strings"

	"github.com/godbg/godbg/pkg/proc"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/service/api"
)

// image is one program image in memory: its symbols and where each
// breakpoint is in it. A forked child shares its parent's image until it
// executes another program.
type image struct {
	bin    *ptarget.Image // symbols, bias, libraries, code (nil: no executable)
	sites  map[int]*site  // by breakpoint ID
	byAddr map[uint64]*breakpoint
	loader *values.Loader          // reads Go values (made on first use)
	locs   map[uint64]api.Location // pc → location, for listings that repeat pcs
	// solibHook is the loader's _dl_debug_state breakpoint (0: none).
	solibHook uint64
}

// site is one breakpoint resolved in one image; no addresses: pending.
type site struct {
	addrs    []uint64
	locs     []api.Location
	bindings map[uint64]*ptarget.CondAt // the condition at each address
	err      error
}

func newImage(bin *ptarget.Image) *image {
	return &image{bin: bin, sites: map[int]*site{}, byAddr: map[uint64]*breakpoint{}}
}

// target is one process under control, a member of the debugger's
// ptarget.Group (which knows whether it is followed).
type target struct {
	// Target: its process (Proc), the Image it runs (img.bin), its
	// current thread (kept while another target is current).
	*ptarget.Target
	img  *image
	last *proc.Stop // its last stop, kept likewise
}

// newTarget makes the target of process p running img; its run loop
// calls back into the debugger (runHooks).
func (d *Debugger) newTarget(p proc.Process, img *image) *target {
	t := &target{Target: ptarget.New(p, img.bin), img: img}
	t.SetHooks(runHooks{d})
	return t
}

// setImage makes t run img (after an exec).
func (t *target) setImage(img *image) {
	t.img, t.Target.Image = img, img.bin
}

// joining makes the target of a process that joins the group: a forked
// child runs the image of from until it executes another program.
func (d *Debugger) joining(p proc.Process, from *target, ok bool) *target {
	if ok && from.img != nil {
		return d.newTarget(p, from.img)
	}
	return d.newTarget(p, d.imageFor(p))
}

// syncTargets brings the target list up to date after the backend ran:
// kept children join (sharing their parent's image), gone ones leave.
func (d *Debugger) syncTargets() {
	if d.tgt.Proc == nil {
		return // a core file: one target, nothing runs
	}
	live := d.tgt.Proc.Targets()
	for _, j := range d.group.Join(live) {
		if j.FollowChild && (d.group.Get(j.Parent) == d.tgt || d.tgt.Exited()) {
			d.switchTo(j.Child)
		}
	}
	d.group.Settle(live, d.tgt)
}

// procFor finds the process with pid among the targets (the current
// one if it is not there). Also on the tracer thread, while it runs.
func (d *Debugger) procFor(pid int) proc.Inspector {
	if t := d.group.Get(pid); t != nil {
		return t.Insp
	}
	if d.tgt.Proc != nil {
		for _, p := range d.tgt.Proc.Targets() {
			if p.Pid() == pid {
				return p
			}
		}
	}
	return d.proc()
}

// imageFor loads the symbols of the program a process runs now.
func (d *Debugger) imageFor(p proc.Inspector) *image {
	return newImage(loadSymbols(p.Executable(), &d.warmGate))
}

// switchTo makes t the current target.
func (d *Debugger) switchTo(t *target) {
	if d.tgt == t {
		return
	}
	if d.tgt != nil {
		d.tgt.SetThread(d.cur)
		d.tgt.last = d.last
	}
	d.tgt = t
	d.cur, d.last, d.curG, d.frame = t.Thread(), t.last, 0, 0
	if d.last == nil {
		d.last = &proc.Stop{Reason: proc.StopHalted, Pid: t.Pid()}
	}
	d.holder.Store(t.Target)
}

// leaveGone switches away from a current target that exited or was let
// go, if another remains; it reports whether it did.
func (d *Debugger) leaveGone() bool {
	if !d.tgt.Exited() {
		return false
	}
	gone := d.tgt
	pids := d.group.Live(gone.Pid())
	if len(pids) == 0 {
		return false
	}
	d.group.Remove(gone.Pid())
	d.switchTo(d.group.Get(pids[0]))
	return true
}

// note sends a debugger-made event to the client.
func (d *Debugger) note(e api.Event) {
	if d.cfg.OnEvent != nil {
		d.cfg.OnEvent(e)
	}
}

func (d *Debugger) ListTargets() ([]api.Target, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []api.Target
	for _, pid := range d.group.Live(-1) {
		t := d.group.Get(pid)
		out = append(out, api.Target{
			Pid: pid, Parent: t.Parent(), CmdLine: strings.Join(t.Insp.CommandLine(), " "),
			Current: t == d.tgt, Followed: d.group.Followed(pid),
		})
	}
	return out, nil
}

func (d *Debugger) SwitchTarget(pid int) (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := d.group.Get(pid)
	if t == nil || t.Exited() {
		return nil, fmt.Errorf("process %d is not a target; target list shows them", pid)
	}
	d.switchTo(t)
	return d.state(), nil
}

// FollowExec sets target follow-exec: on with an optional regular
// expression on the command line, or off.
func (d *Debugger) FollowExec(on bool, re string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.group.SetFollowExec(on, re)
}

// SetForkOption sets follow-fork-mode (parent, child, ask) or
// detach-on-fork (on, off).
func (d *Debugger) SetForkOption(name, value string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.group.SetForkOption(name, value)
}

// ForkSettings reports the fork settings.
func (d *Debugger) ForkSettings() api.ForkSettings {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.group.Settings
	fs := api.ForkSettings{FollowForkMode: f.Mode, DetachOnFork: f.DetachOnFork, FollowExec: f.FollowExec}
	if f.ExecRe != nil {
		fs.FollowExecRegex = f.ExecRe.String()
	}
	return fs
}

// FollowFork answers follow-fork-mode ask after a fork stop: the side to
// follow becomes current; with detach-on-fork on the other is let go.
func (d *Debugger) FollowFork(child bool) (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	st := d.last
	if st == nil || st.Reason != proc.StopFork {
		return nil, fmt.Errorf("the program is not stopped at a fork")
	}
	parent, kid := d.group.Get(st.Pid), d.group.Get(st.Child)
	if parent == nil || kid == nil {
		return nil, fmt.Errorf("the processes of that fork are no longer both targets")
	}
	keep, drop := parent, kid
	if child {
		keep, drop = kid, parent
	}
	kid.SetThread(st.Child)
	d.switchTo(keep)
	d.last = &proc.Stop{Reason: proc.StopFork, Pid: keep.Pid(), Tid: d.cur, Child: st.Child}
	if d.group.Settings.DetachOnFork {
		if err := d.group.Detach(drop); err != nil {
			return nil, err
		}
	}
	return d.state(), nil
}

// runAcrossTargets runs the program like Target.Run, but the exit of one
// target while other followed targets live is an event, not a stop (as
// Delve's target groups): another target becomes current and the run
// goes on to the next stop in any target.
func (d *Debugger) runAcrossTargets() (*proc.Stop, error) {
	for {
		st, err := d.tgt.Run()
		if err != nil || st.Reason != proc.StopExited || !d.group.OthersFollowed(st.Pid) {
			return st, err
		}
		if t := d.group.Get(st.Pid); t != nil && t != d.tgt {
			d.switchTo(t)
		}
		if !d.leaveGone() {
			return st, nil
		}
		e := api.Event{Kind: "process-exited", Pid: st.Pid, ExitCode: st.ExitCode}
		if st.KilledBy != 0 {
			e.Signal = proc.SignalName(st.KilledBy)
		}
		d.note(e)
	}
}
