package target_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/proc/target/targettest"
)

// gm is a test's group member: its process and the member whose image
// it was given at its fork.
type gm struct {
	p    proc.Process
	from *gm
}

func (m *gm) Process() proc.Process { return m.p }
func (m *gm) Pid() int              { return m.p.Pid() }
func (m *gm) Exited() bool          { return m.p.Exited() }

// withGroup launches forkfix with args as the root of a Group whose
// settings are set by opts (name, value pairs of SetForkOption).
func withGroup(t *testing.T, args []string, opts ...string) (*target.Group[*gm], *gm) {
	t.Helper()
	tg := targettest.Start(t, targettest.Config{Fixture: "forkfix.c", Args: args})
	g := target.NewGroup(target.GroupHooks[*gm]{New: func(p proc.Process, from *gm, ok bool) *gm {
		if !ok {
			from = nil
		}
		return &gm{p: p, from: from}
	}})
	t.Cleanup(func() {
		for _, m := range g.Members() {
			if !m.p.Exited() {
				m.p.Kill()
			}
		}
	})
	for i := 0; i+1 < len(opts); i += 2 {
		if err := g.SetForkOption(opts[i], opts[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	root := &gm{p: tg.P}
	g.Reset(root)
	tg.P.SetForkPolicy(g.ForkPolicy)
	return g, root
}

// breakLevel plants a breakpoint at forkfix's level() in root (forked
// children inherit it).
func breakLevel(t *testing.T, root *gm) {
	t.Helper()
	exe := root.p.Executable()
	img := target.LoadImage(exe, nil)
	tab := img.Table(root.p)
	if tab == nil {
		t.Fatalf("%s: no symbols: %v", exe, img.Err())
	}
	fn, err := tab.LookupFunc("level")
	if err != nil {
		t.Fatal(err)
	}
	if err := root.p.SetBreakpoint(tab.FirstStmtPC(fn)+img.Bias(root.p), nil); err != nil {
		t.Fatal(err)
	}
}

// runSync continues the group and brings it up to date as the debugger
// does after each run; the member that stopped is returned (it stays a
// member while its exit is reported).
func runSync(t *testing.T, g *target.Group[*gm], cur *gm) (*proc.Stop, *gm) {
	t.Helper()
	st, err := cur.p.Continue()
	if err != nil {
		t.Fatalf("continue: %v", err)
	}
	live := cur.p.Targets()
	g.Join(live)
	if m := g.Get(st.Pid); m != nil {
		cur = m
	}
	g.Settle(live, cur)
	return st, cur
}

// TestGroupFollowsForkedChildren: with detach-on-fork off, forkfix chain's
// child and grandchild join the group (each given its parent's member as
// the image it runs) and are traced by us (the kernel's TracerPid); the
// exit of a child while its parent lives takes it out of the group and
// leaves the others.
func TestGroupFollowsForkedChildren(t *testing.T) {
	g, root := withGroup(t, []string{"chain"}, "detach-on-fork", "off")
	breakLevel(t, root)
	top := root.p.Pid()
	st, grand := runSync(t, g, root)
	if st.Reason != proc.StopBreakpoint || grand == root {
		t.Fatalf("first stop: %+v; want the grandchild at level()", st)
	}
	if grand.from == nil || grand.from.from != root {
		t.Fatalf("grandchild %d: member %+v; want one whose image comes from the child's, whose image comes from the root's", st.Pid, grand)
	}
	child := grand.from
	if got, want := g.Live(-1), []int{top, child.p.Pid(), grand.p.Pid()}; !reflect.DeepEqual(got, want) {
		t.Errorf("live members %v, want %v", got, want)
	}
	for _, pid := range g.Live(-1) {
		if !g.Followed(pid) {
			t.Errorf("process %d not followed", pid)
		}
		if tr, err := fixtures.TracerPid(pid); err != nil || tr == 0 {
			t.Errorf("process %d: TracerPid %d (%v): not traced", pid, tr, err)
		}
	}
	if !g.OthersFollowed(grand.p.Pid()) {
		t.Errorf("OthersFollowed(%d) false while its parents live", grand.p.Pid())
	}
	// The grandchild, continued, exits (status 12) while its parents
	// live: it is kept while its exit is reported, then left (as the
	// debugger's leaveGone does), and the parents go on.
	st, _ = runSync(t, g, grand)
	exitLeaves(t, g, st, grand, 12, []int{top, child.p.Pid()})
	st, cur := runSync(t, g, root)
	if st.Reason != proc.StopBreakpoint || cur != child {
		t.Fatalf("third stop: %+v; want the child %d at level()", st, child.p.Pid())
	}
	if g.Has(grand.p.Pid()) {
		t.Errorf("the exited grandchild %d is still a member", grand.p.Pid())
	}
	// The child exits while the parent lives; the root reaches level().
	st, _ = runSync(t, g, child)
	exitLeaves(t, g, st, child, 11, []int{top})
	st, cur = runSync(t, g, root)
	if st.Reason != proc.StopBreakpoint || cur != root {
		t.Fatalf("fourth stop: %+v; want the root %d at level()", st, top)
	}
	if got := g.Members(); len(got) != 1 || got[0] != root {
		t.Errorf("members after the children's exits: %v; want the root only", got)
	}
	if g.OthersFollowed(top) {
		t.Errorf("OthersFollowed(%d) true with no other live target", top)
	}
	st, _ = runSync(t, g, root)
	if st.Reason != proc.StopExited || st.Pid != top || st.ExitCode != 0 {
		t.Fatalf("last stop: %+v; want the root %d exiting with 0", st, top)
	}
}

// exitLeaves checks that st is m's exit with status code, reported while
// the others live (still a member, others followed), and takes m out.
func exitLeaves(t *testing.T, g *target.Group[*gm], st *proc.Stop, m *gm, code int, others []int) {
	t.Helper()
	pid := m.p.Pid()
	if st.Reason != proc.StopExited || st.Pid != pid || st.ExitCode != code {
		t.Fatalf("stop %+v; want process %d exiting with %d", st, pid, code)
	}
	if !g.Has(pid) {
		t.Errorf("process %d left the group before its exit was reported", pid)
	}
	if !g.OthersFollowed(pid) {
		t.Errorf("OthersFollowed(%d) false while %v live", pid, others)
	}
	if got := g.Live(pid); !reflect.DeepEqual(got, others) {
		t.Errorf("live members but %d: %v, want %v", pid, got, others)
	}
	g.Remove(pid)
}

// TestGroupDetachOnFork: by default (follow the parent, detach the
// child) no child joins, and the kernel shows it untraced.
func TestGroupDetachOnFork(t *testing.T) {
	g, root := withGroup(t, []string{"chain"})
	breakLevel(t, root)
	st, _ := runSync(t, g, root)
	if st.Reason != proc.StopBreakpoint || st.Pid != root.p.Pid() {
		t.Fatalf("stop %+v; want the root at level()", st)
	}
	st, _ = runSync(t, g, root)
	if st.Reason != proc.StopExited || st.Pid != root.p.Pid() {
		t.Fatalf("stop %+v; want the root's exit", st)
	}
	if len(g.Members()) != 1 {
		t.Errorf("members %v; want the root only", g.Members())
	}
}

// TestGroupSettings: fork settings are checked and kept.
func TestGroupSettings(t *testing.T) {
	g := target.NewGroup(target.GroupHooks[*gm]{})
	if err := g.SetForkOption("follow-fork-mode", "sideways"); err == nil {
		t.Error("follow-fork-mode sideways accepted")
	}
	if err := g.SetForkOption("detach-on-fork", "maybe"); err == nil {
		t.Error("detach-on-fork maybe accepted")
	}
	if err := g.SetFollowExec(true, "("); err == nil {
		t.Error("a bad follow-exec regexp accepted")
	}
	if err := g.SetFollowExec(true, "leaf b"); err != nil {
		t.Fatal(err)
	}
	if err := g.SetForkOption("follow-fork-mode", "child"); err != nil {
		t.Fatal(err)
	}
	s := g.Settings
	if s.Mode != "child" || !s.DetachOnFork || !s.FollowExec || s.ExecRe.String() != "leaf b" {
		t.Errorf("settings %+v", s)
	}
}

// TestGroupFollowExecRegexp: with follow-exec on a regular expression,
// forkfix spawn's children are traced quietly until they execute a
// program; the one whose command line matches is followed, the other is
// let go.
func TestGroupFollowExecRegexp(t *testing.T) {
	g, root := withGroup(t, []string{"spawn", "alpha", "beta"})
	if err := g.SetFollowExec(true, "leaf beta"); err != nil {
		t.Fatal(err)
	}
	root.p.SetStopOnExec(true)
	decided := map[string]bool{}
	for range 10 {
		st, m := runSync(t, g, root)
		if st.Reason == proc.StopExited && st.Pid == root.p.Pid() {
			break
		}
		if st.Reason != proc.StopExec || m == root {
			if st.Reason == proc.StopExited && g.Has(st.Pid) {
				g.Remove(st.Pid)
				continue
			}
			t.Fatalf("stop %+v; want a child's exec", st)
		}
		if g.Followed(st.Pid) {
			t.Errorf("child %d followed before its exec", st.Pid)
		}
		follow, cmd := g.FollowExec(m)
		decided[cmd] = follow
		if g.Has(st.Pid) != follow {
			t.Errorf("%q: followed %v, member %v", cmd, follow, g.Has(st.Pid))
		}
		if !follow {
			continue
		}
		if !g.Followed(st.Pid) {
			t.Errorf("%q: FollowExec true but not followed", cmd)
		}
		if tr, err := fixtures.TracerPid(st.Pid); err != nil || tr == 0 {
			t.Errorf("followed %d: TracerPid %d (%v)", st.Pid, tr, err)
		}
	}
	if len(decided) != 2 {
		t.Fatalf("decisions %v; want one per child", decided)
	}
	for cmd, follow := range decided {
		if want := strings.HasSuffix(cmd, "leaf beta"); follow != want {
			t.Errorf("%q: followed %v, want %v", cmd, follow, want)
		}
	}
}
