package debugger

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/goroutines"
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
	bindings map[uint64]*condAt // the condition at each address
	err      error
}

func newImage(bin *ptarget.Image) *image {
	return &image{bin: bin, sites: map[int]*site{}, byAddr: map[uint64]*breakpoint{}}
}

// target is one process under control.
type target struct {
	p   proc.Process
	img *image
	// followed is false for a child traced only until it executes a
	// program, to see whether follow-exec wants it.
	followed bool
	cur      int        // its current thread, kept while another target is current
	last     *proc.Stop // its last stop, likewise
	// gr reads its goroutines (made for image grImg).
	gr    *goroutines.Reader
	grImg *image
}

// forkSettings are gdb's follow-fork-mode, detach-on-fork and Delve's
// target follow-exec.
type forkSettings struct {
	mode         string // parent, child, ask
	detachOnFork bool
	followExec   bool
	execRe       *regexp.Regexp // nil: every command line
}

// forkNote is what the tracer thread saw of a fork while the program ran.
type forkNote struct {
	parent, child int
	kept, quiet   bool
}

type forkLog struct {
	mu    sync.Mutex
	notes []forkNote
}

func (l *forkLog) add(n forkNote) {
	l.mu.Lock()
	l.notes = append(l.notes, n)
	l.mu.Unlock()
}

func (l *forkLog) take() []forkNote {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.notes
	l.notes = nil
	return n
}

// forkPolicy is consulted by the backend, on its tracer thread, at each
// fork. It reads settings that change only while everything is stopped.
func (d *Debugger) forkPolicy(f proc.Fork) proc.ForkAction {
	fs := d.forks
	var act proc.ForkAction
	quietParent := false
	if t := d.targets[f.Parent]; t != nil {
		quietParent = !t.followed
	}
	switch {
	case quietParent:
		// A follow-exec candidate's children are candidates too.
		act.Keep, act.Quiet = fs.followExec || d.cfg.TraceSyscalls, true
	case fs.mode == "ask":
		act.Keep, act.Stop = true, true
	case fs.mode == "child":
		act.Keep, act.DetachParent = true, fs.detachOnFork
	default:
		act.Keep = !fs.detachOnFork
	}
	if !quietParent && d.catchesFork(f.VFork) {
		act.Stop = true
	}
	if !act.Keep && (fs.followExec || d.cfg.TraceSyscalls) {
		// Traced quietly: to see what it executes, or to trace its calls
		// (strace -f).
		act.Keep, act.Quiet = true, true
	}
	d.forkLog.add(forkNote{parent: f.Parent, child: f.Child, kept: act.Keep, quiet: act.Quiet})
	return act
}

// syncTargets brings the target list up to date after the backend ran:
// kept children join (sharing their parent's image), gone ones leave.
func (d *Debugger) syncTargets() {
	live := map[int]proc.Process{}
	for _, tp := range d.proc().Targets() {
		live[tp.Pid()] = tp
	}
	for _, n := range d.forkLog.take() {
		// A child runs its parent's image until it executes another,
		// even when the parent was let go meanwhile.
		pimg := d.lineage[n.parent]
		if t := d.targets[n.parent]; t != nil {
			pimg = t.img
		}
		if pimg != nil {
			d.lineage[n.child] = pimg
		}
		tp := live[n.child]
		if !n.kept || d.targets[n.child] != nil || tp == nil {
			continue
		}
		t := &target{p: tp, followed: !n.quiet, cur: n.child, img: pimg}
		if t.img == nil {
			t.img = d.imageFor(tp)
		}
		d.targets[n.child] = t
		if d.forks.mode == "child" && !n.quiet && (d.targets[n.parent] == d.tgt || d.tgt.p.Exited()) {
			d.switchTo(t)
		}
	}
	for pid, t := range d.targets {
		if _, ok := live[pid]; !ok && t != d.tgt {
			delete(d.targets, pid)
		}
	}
	for pid, tp := range live {
		if d.targets[pid] == nil { // a child we did not hear of: its own image
			d.targets[pid] = &target{p: tp, img: d.imageFor(tp), followed: !d.forks.followExec, cur: pid}
		}
	}
}

// procFor finds the process with pid among the targets (the current
// one if it is not there). Also on the tracer thread, while it runs.
func (d *Debugger) procFor(pid int) proc.Process {
	if t := d.targets[pid]; t != nil {
		return t.p
	}
	for _, p := range d.proc().Targets() {
		if p.Pid() == pid {
			return p
		}
	}
	return d.proc()
}

// imageFor loads the symbols of the program a process runs now.
func (d *Debugger) imageFor(p proc.Process) *image {
	return newImage(loadSymbols(p.Executable()))
}

// switchTo makes t the current target.
func (d *Debugger) switchTo(t *target) {
	if d.tgt == t {
		return
	}
	if d.tgt != nil {
		d.tgt.cur, d.tgt.last = d.cur, d.last
	}
	d.tgt = t
	d.cur, d.last, d.curG, d.frame = t.cur, t.last, 0, 0
	if d.last == nil {
		d.last = &proc.Stop{Reason: proc.StopHalted, Pid: t.p.Pid()}
	}
	d.holder.Store(&procHolder{t.p})
}

// leaveGone switches away from a current target that exited or was let
// go, if another remains; it reports whether it did.
func (d *Debugger) leaveGone() bool {
	if !d.tgt.p.Exited() {
		return false
	}
	gone := d.tgt
	var pids []int
	for pid, t := range d.targets {
		if t != gone && !t.p.Exited() {
			pids = append(pids, pid)
		}
	}
	if len(pids) == 0 {
		return false
	}
	sort.Ints(pids)
	delete(d.targets, gone.p.Pid())
	d.switchTo(d.targets[pids[0]])
	return true
}

// followExec decides about a child that executed a program while traced
// only for that: followed if its command line matches, else let go.
func (d *Debugger) followExecCandidate(t *target) bool {
	cmd := strings.Join(t.p.CommandLine(), " ")
	if d.forks.followExec && (d.forks.execRe == nil || d.forks.execRe.MatchString(cmd)) {
		t.followed = true
		t.p.SetQuiet(false)
		d.note(api.Event{Kind: "follow-exec", Pid: t.p.Pid(), Text: cmd})
		return true
	}
	if d.cfg.TraceSyscalls {
		return false // still traced quietly, for its system calls
	}
	if t.p.Detach() == nil {
		delete(d.targets, t.p.Pid())
	}
	return false
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
	var pids []int
	for pid, t := range d.targets {
		if !t.p.Exited() {
			pids = append(pids, pid)
		}
	}
	sort.Ints(pids)
	for _, pid := range pids {
		t := d.targets[pid]
		out = append(out, api.Target{
			Pid: pid, Parent: t.p.Parent(), CmdLine: strings.Join(t.p.CommandLine(), " "),
			Current: t == d.tgt, Followed: t.followed,
		})
	}
	return out, nil
}

func (d *Debugger) SwitchTarget(pid int) (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := d.targets[pid]
	if t == nil || t.p.Exited() {
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
	var rx *regexp.Regexp
	if on && re != "" {
		var err error
		if rx, err = regexp.Compile(re); err != nil {
			return fmt.Errorf("bad follow-exec regular expression %q: %w", re, err)
		}
	}
	d.forks.followExec, d.forks.execRe = on, rx
	return nil
}

// SetForkOption sets follow-fork-mode (parent, child, ask) or
// detach-on-fork (on, off).
func (d *Debugger) SetForkOption(name, value string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch name {
	case "follow-fork-mode":
		switch value {
		case "parent", "child", "ask":
			d.forks.mode = value
			return nil
		}
		return fmt.Errorf("follow-fork-mode %q: use parent, child or ask", value)
	case "detach-on-fork":
		switch value {
		case "on":
			d.forks.detachOnFork = true
			return nil
		case "off":
			d.forks.detachOnFork = false
			return nil
		}
		return fmt.Errorf("detach-on-fork %q: use on or off", value)
	}
	return fmt.Errorf("unknown setting %q; follow-fork-mode and detach-on-fork exist", name)
}

// ForkSettings reports the fork settings.
func (d *Debugger) ForkSettings() api.ForkSettings {
	d.mu.Lock()
	defer d.mu.Unlock()
	fs := api.ForkSettings{FollowForkMode: d.forks.mode, DetachOnFork: d.forks.detachOnFork, FollowExec: d.forks.followExec}
	if d.forks.execRe != nil {
		fs.FollowExecRegex = d.forks.execRe.String()
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
	parent, kid := d.targets[st.Pid], d.targets[st.Child]
	if parent == nil || kid == nil {
		return nil, fmt.Errorf("the processes of that fork are no longer both targets")
	}
	keep, drop := parent, kid
	if child {
		keep, drop = kid, parent
	}
	kid.cur = st.Child
	d.switchTo(keep)
	d.last = &proc.Stop{Reason: proc.StopFork, Pid: keep.p.Pid(), Tid: d.cur, Child: st.Child}
	if d.forks.detachOnFork {
		if err := drop.p.Detach(); err != nil {
			return nil, fmt.Errorf("detaching from process %d: %w", drop.p.Pid(), err)
		}
		delete(d.targets, drop.p.Pid())
	}
	return d.state(), nil
}

// runAcrossTargets runs the program like runToStop, but the exit of one
// target while other followed targets live is an event, not a stop (as
// Delve's target groups): another target becomes current and the run
// goes on to the next stop in any target.
func (d *Debugger) runAcrossTargets(p proc.Process) (*proc.Stop, error) {
	for {
		st, err := d.runToStop(p)
		if err != nil || st.Reason != proc.StopExited || !d.othersFollowed(st.Pid) {
			return st, err
		}
		if t := d.targets[st.Pid]; t != nil && t != d.tgt {
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
		p = d.proc()
	}
}

// othersFollowed reports whether a followed target other than pid lives.
func (d *Debugger) othersFollowed(pid int) bool {
	for tp, t := range d.targets {
		if tp != pid && t.followed && !t.p.Exited() {
			return true
		}
	}
	return false
}
