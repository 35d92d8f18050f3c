package target

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/godbg/godbg/pkg/proc"
)

// ForkSettings are gdb's follow-fork-mode, detach-on-fork and Delve's
// target follow-exec.
type ForkSettings struct {
	Mode         string // parent, child, ask
	DetachOnFork bool
	FollowExec   bool
	ExecRe       *regexp.Regexp // nil: every command line
}

// Member is what a Group holds for each target: the caller's own type
// (service/debugger's target), which knows its process.
type Member interface {
	comparable
	Pid() int
	// Exited reports whether the member's process is gone (never for a
	// core file).
	Exited() bool
	// Process is the live process (nil: a core file, which neither forks
	// nor executes).
	Process() proc.Process
}

// GroupHooks are what a Group asks of its owner.
type GroupHooks[M Member] struct {
	// New makes the member for a process that joins the group. from is the
	// member whose image the process runs (a forked child runs its
	// parent's until it executes another program); ok is false when none
	// is known: the process needs its own image.
	New func(p proc.Process, from M, ok bool) M
	// CatchesFork reports whether a fork stops the program (catch fork,
	// catch vfork). Called on the tracer thread. Nil: never.
	CatchesFork func(vfork bool) bool
	// TraceSyscalls keeps every child traced, quietly when not followed,
	// for its system calls (strace -f).
	TraceSyscalls bool
}

// Group is the set of targets followed over fork and exec: the root
// process and the children kept by the fork settings. A child that is
// traced only until it executes a program (to see whether follow-exec
// wants it) is a member that is not followed.
type Group[M Member] struct {
	Settings ForkSettings
	hooks    GroupHooks[M]
	members  map[int]M
	followed map[int]bool
	// lineage: the member whose image each forked child ran at its fork.
	lineage map[int]M
	log     forkLog
}

// NewGroup makes an empty group with gdb's default fork settings
// (follow the parent, detach the child).
func NewGroup[M Member](h GroupHooks[M]) *Group[M] {
	return &Group[M]{
		Settings: ForkSettings{Mode: "parent", DetachOnFork: true},
		hooks:    h, members: map[int]M{}, followed: map[int]bool{}, lineage: map[int]M{},
	}
}

// Reset makes root, just launched or attached, the only (followed)
// member. The settings stay.
func (g *Group[M]) Reset(root M) {
	pid := root.Pid()
	g.members = map[int]M{pid: root}
	g.followed = map[int]bool{pid: true}
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

// ForkPolicy is consulted by the backend, on its tracer thread, at each
// fork (proc.Process.SetForkPolicy). It reads settings and members, which
// change only while everything is stopped.
func (g *Group[M]) ForkPolicy(f proc.Fork) proc.ForkAction {
	fs := g.Settings
	var act proc.ForkAction
	_, member := g.members[f.Parent]
	quietParent := member && !g.followed[f.Parent]
	switch {
	case quietParent:
		// A follow-exec candidate's children are candidates too.
		act.Keep, act.Quiet = fs.FollowExec || g.hooks.TraceSyscalls, true
	case fs.Mode == "ask":
		act.Keep, act.Stop = true, true
	case fs.Mode == "child":
		act.Keep, act.DetachParent = true, fs.DetachOnFork
	default:
		act.Keep = !fs.DetachOnFork
	}
	if !quietParent && g.hooks.CatchesFork != nil && g.hooks.CatchesFork(f.VFork) {
		act.Stop = true
	}
	if !act.Keep && (fs.FollowExec || g.hooks.TraceSyscalls) {
		// Traced quietly: to see what it executes, or to trace its calls
		// (strace -f).
		act.Keep, act.Quiet = true, true
	}
	g.log.add(forkNote{parent: f.Parent, child: f.Child, kept: act.Keep, quiet: act.Quiet})
	return act
}

// Joined is a child that joined the group at a fork.
type Joined[M Member] struct {
	Child  M
	Parent int
	// FollowChild: follow-fork-mode child wants it current.
	FollowChild bool
}

// Join adds the children kept at the forks seen since the last call
// (live: the backend's processes now). Each runs its parent's image.
func (g *Group[M]) Join(live []proc.Process) []Joined[M] {
	byPid := map[int]proc.Process{}
	for _, p := range live {
		byPid[p.Pid()] = p
	}
	var out []Joined[M]
	for _, n := range g.log.take() {
		// A child runs its parent's image until it executes another,
		// even when the parent was let go meanwhile.
		from, ok := g.lineage[n.parent]
		if m, isMember := g.members[n.parent]; isMember {
			from, ok = m, true
		}
		if ok {
			g.lineage[n.child] = from
		}
		p := byPid[n.child]
		if _, known := g.members[n.child]; !n.kept || known || p == nil {
			continue
		}
		m := g.hooks.New(p, from, ok)
		g.members[n.child], g.followed[n.child] = m, !n.quiet
		out = append(out, Joined[M]{Child: m, Parent: n.parent, FollowChild: g.Settings.Mode == "child" && !n.quiet})
	}
	return out
}

// Settle removes the members that are no longer live, but keep (the
// current target, whose exit is still reported), and adds live processes
// the group did not hear of, each with its own image.
func (g *Group[M]) Settle(live []proc.Process, keep M) {
	byPid := map[int]proc.Process{}
	for _, p := range live {
		byPid[p.Pid()] = p
	}
	for pid, m := range g.members {
		if _, ok := byPid[pid]; !ok && m != keep {
			g.Remove(pid)
		}
	}
	var zero M
	for pid, p := range byPid {
		if _, ok := g.members[pid]; !ok {
			g.members[pid], g.followed[pid] = g.hooks.New(p, zero, false), !g.Settings.FollowExec
		}
	}
}

// Get finds the member with pid (the zero M if there is none).
func (g *Group[M]) Get(pid int) M { return g.members[pid] }

// Has reports whether pid is a member.
func (g *Group[M]) Has(pid int) bool { _, ok := g.members[pid]; return ok }

// Remove takes pid out of the group (its process is not touched).
func (g *Group[M]) Remove(pid int) {
	delete(g.members, pid)
	delete(g.followed, pid)
}

// Members lists the members by pid.
func (g *Group[M]) Members() []M {
	out := make([]M, 0, len(g.members))
	for _, pid := range g.pids(false, -1) {
		out = append(out, g.members[pid])
	}
	return out
}

// Live lists the pids of the members whose process lives, but except,
// in order.
func (g *Group[M]) Live(except int) []int { return g.pids(true, except) }

func (g *Group[M]) pids(live bool, except int) []int {
	var out []int
	for pid, m := range g.members {
		if pid != except && (!live || !m.Exited()) {
			out = append(out, pid)
		}
	}
	sort.Ints(out)
	return out
}

// Followed reports whether pid is a followed member (not a follow-exec
// candidate).
func (g *Group[M]) Followed(pid int) bool { return g.followed[pid] }

// OthersFollowed reports whether a followed member other than pid lives.
func (g *Group[M]) OthersFollowed(pid int) bool {
	for p, m := range g.members {
		if p != pid && g.followed[p] && !m.Exited() {
			return true
		}
	}
	return false
}

// FollowExec decides about a member traced only to see what it executes,
// now that it executed a program: followed if follow-exec is on and its
// command line matches, else let go (but kept quietly with
// TraceSyscalls). It reports whether the member is followed, and the
// command line.
func (g *Group[M]) FollowExec(m M) (bool, string) {
	p := m.Process()
	cmd := strings.Join(p.CommandLine(), " ")
	fs := g.Settings
	if fs.FollowExec && (fs.ExecRe == nil || fs.ExecRe.MatchString(cmd)) {
		g.followed[p.Pid()] = true
		p.SetQuiet(false)
		return true, cmd
	}
	if g.hooks.TraceSyscalls {
		return false, cmd // still traced quietly, for its system calls
	}
	if p.Detach() == nil {
		g.Remove(p.Pid())
	}
	return false, cmd
}

// Detach lets m's process go and takes it out of the group.
func (g *Group[M]) Detach(m M) error {
	p := m.Process()
	if err := p.Detach(); err != nil {
		return fmt.Errorf("detaching from process %d: %w", p.Pid(), err)
	}
	g.Remove(p.Pid())
	return nil
}

// SetFollowExec sets target follow-exec: on with an optional regular
// expression on the command line, or off.
func (g *Group[M]) SetFollowExec(on bool, re string) error {
	var rx *regexp.Regexp
	if on && re != "" {
		var err error
		if rx, err = regexp.Compile(re); err != nil {
			return fmt.Errorf("bad follow-exec regular expression %q: %w", re, err)
		}
	}
	g.Settings.FollowExec, g.Settings.ExecRe = on, rx
	return nil
}

// SetForkOption sets follow-fork-mode (parent, child, ask) or
// detach-on-fork (on, off).
func (g *Group[M]) SetForkOption(name, value string) error {
	switch name {
	case "follow-fork-mode":
		switch value {
		case "parent", "child", "ask":
			g.Settings.Mode = value
			return nil
		}
		return fmt.Errorf("follow-fork-mode %q: use parent, child or ask", value)
	case "detach-on-fork":
		switch value {
		case "on":
			g.Settings.DetachOnFork = true
			return nil
		case "off":
			g.Settings.DetachOnFork = false
			return nil
		}
		return fmt.Errorf("detach-on-fork %q: use on or off", value)
	}
	return fmt.Errorf("unknown setting %q; follow-fork-mode and detach-on-fork exist", name)
}
