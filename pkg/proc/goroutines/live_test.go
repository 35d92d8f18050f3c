package goroutines_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/godbg/godbg/internal/fixtures"
	"github.com/godbg/godbg/pkg/proc"
	. "github.com/godbg/godbg/pkg/proc/goroutines"
)

// wantReason is the wait reason of each gorofix blocker.
var wantReason = map[string]string{
	"main.blockRecv":   "chan receive",
	"main.blockSend":   "chan send",
	"main.blockSleep":  "sleep",
	"main.blockMutex":  "sync.Mutex.Lock",
	"main.blockSelect": "select",
	"main.blockWGWait": "sync.WaitGroup.Wait",
	"main.blockCond":   "sync.Cond.Wait",
}

func TestGoroutines(t *testing.T) {
	for _, b := range builds {
		t.Run(b.name, func(t *testing.T) {
			s := stopGorofix(t, b.flags, "14")
			if len(s.kinds) != 14 || s.spin == 0 || s.label == 0 || s.sys == 0 {
				t.Fatalf("fixture printed %d blockers, spin %d, labeled %d, syscall %d", len(s.kinds), s.spin, s.label, s.sys)
			}
			gs, err := s.r.List(Options{})
			if err != nil {
				t.Fatal(err)
			}
			byID := map[int64]G{}
			for _, g := range gs {
				if _, dup := byID[g.ID]; dup {
					t.Errorf("goroutine %d listed twice", g.ID)
				}
				byID[g.ID] = g
			}
			t.Run("blocked", func(t *testing.T) { checkBlocked(t, s, byID) })
			t.Run("labeled", func(t *testing.T) { checkLabeled(t, s, byID) })
			t.Run("caller", func(t *testing.T) { checkCaller(t, s, byID) })
			t.Run("spinner", func(t *testing.T) { checkSpinner(t, s, byID) })
			t.Run("syscall", func(t *testing.T) { checkSyscall(t, s, byID) })
			t.Run("threads", func(t *testing.T) { checkThreads(t, s, gs) })
			t.Run("dead", func(t *testing.T) { checkDead(t, s, gs) })
			t.Run("iterate", func(t *testing.T) { checkIterate(t, s, gs) })
			t.Run("ps", func(t *testing.T) { checkPs(t, s) })
		})
	}
}

func (s *stopped) funcName(pc uint64) string {
	if s.elfFuncs != nil {
		if sym := symbolAt(s.elfFuncs, pc-s.bias); sym != nil {
			return sym.Name
		}
		return "?"
	}
	if f := s.r.PCToFunc(pc); f != nil {
		return f.Name
	}
	return "?"
}

func checkBlocked(t *testing.T, s *stopped, byID map[int64]G) {
	for id, fn := range s.kinds {
		g, ok := byID[id]
		if !ok {
			t.Errorf("goroutine %d (%s) printed by the fixture is not listed", id, fn)
			continue
		}
		if g.Status != StatusWaiting || g.WaitReason != wantReason[fn] {
			t.Errorf("goroutine %d (%s): %v %q, want waiting %q", id, fn, g.Status, g.WaitReason, wantReason[fn])
		}
		if got := s.funcName(g.StartPC); got != fn {
			t.Errorf("goroutine %d: StartPC %#x is in %s, want %s", id, g.StartPC, got, fn)
		}
		if got := s.funcName(g.GoPC - 1); got != "main.main" {
			t.Errorf("goroutine %d: GoPC %#x is in %s, want main.main", id, g.GoPC, got)
		}
		if g.ThreadID != 0 || g.M != 0 {
			t.Errorf("goroutine %d is blocked but on thread %d (m %#x)", id, g.ThreadID, g.M)
		}
		if g.SP < g.StackLo || g.SP >= g.StackHi || g.PC == 0 {
			t.Errorf("goroutine %d: saved pc %#x sp %#x, stack [%#x, %#x)", id, g.PC, g.SP, g.StackLo, g.StackHi)
		}
		if s.funcName(g.PC) == "?" {
			t.Errorf("goroutine %d: saved pc %#x is in no function", id, g.PC)
		}
		if g.ParentID != 1 || g.Labels != nil || g.Addr == 0 {
			t.Errorf("goroutine %d: parent %d labels %v addr %#x, want parent 1, no labels", id, g.ParentID, g.Labels, g.Addr)
		}
	}
}

func checkLabeled(t *testing.T, s *stopped, byID map[int64]G) {
	g := byID[s.label]
	want := map[string]string{"role": "labeled", "n": strconv.FormatInt(s.label, 10)}
	if !maps.Equal(g.Labels, want) {
		t.Errorf("goroutine %d labels %v, want %v", s.label, g.Labels, want)
	}
	if g.Status != StatusWaiting || g.WaitReason != "chan receive" || s.funcName(g.StartPC) != "main.labeled" {
		t.Errorf("labeled goroutine %d: %v %q start %s", s.label, g.Status, g.WaitReason, s.funcName(g.StartPC))
	}
}

// checkCaller: the thread that hit the breakpoint runs the goroutine
// that said it calls stopHere, seen from the g, the m and the registers.
func checkCaller(t *testing.T, s *stopped, byID map[int64]G) {
	g, ok := byID[s.caller]
	if !ok {
		t.Fatalf("caller goroutine %d not listed", s.caller)
	}
	if g.Status != StatusRunning || g.ThreadID != s.stop.Tid || s.funcName(g.StartPC) != "main.caller" {
		t.Errorf("caller goroutine %d: %v on thread %d start %s; want running on %d, main.caller",
			g.ID, g.Status, g.ThreadID, s.funcName(g.StartPC), s.stop.Tid)
	}
	tg, err := s.r.ThreadGoroutines()
	if err != nil {
		t.Fatal(err)
	}
	if tg[s.stop.Tid] != s.caller {
		t.Errorf("ThreadGoroutines()[%d] = %d, want %d (all: %v)", s.stop.Tid, tg[s.stop.Tid], s.caller, tg)
	}
	fs, r14 := threadRegs(t, s.p, s.stop.Tid)
	addr, err := s.r.CurrentG(s.stop.Tid, fs, r14)
	if err != nil || addr != g.Addr {
		t.Errorf("CurrentG(fs_base %#x, r14 %#x) = %#x, %v; want %#x", fs, r14, addr, err, g.Addr)
	}
	if addr, err := s.r.CurrentG(s.stop.Tid, fs, 0); err != nil || addr != g.Addr {
		t.Errorf("CurrentG from TLS alone (offset %d) = %#x, %v; want %#x", s.r.Layout().TLSOffset(), addr, err, g.Addr)
	}
	if addr, err := s.r.CurrentG(s.stop.Tid, 0, r14); err != nil || addr != g.Addr {
		t.Errorf("CurrentG from r14 alone = %#x, %v; want %#x", addr, err, g.Addr)
	}
	if _, err := s.r.CurrentG(s.stop.Tid, 0, 0x1234); !errors.Is(err, ErrNoG) {
		t.Errorf("CurrentG(0, garbage) error %v, want ErrNoG", err)
	}
	if addr, err := s.r.CurrentG(0, fs, r14); err != nil || addr != g.Addr {
		t.Errorf("CurrentG without a tid = %#x, %v; want %#x", addr, err, g.Addr)
	}
	// Another thread with these registers is a thread just cloned from
	// this one, which runs no goroutine yet.
	for _, th := range s.p.Threads() {
		if th.ID() != s.stop.Tid {
			if addr, err := s.r.CurrentG(th.ID(), fs, r14); !errors.Is(err, ErrNoG) {
				t.Errorf("CurrentG(thread %d, registers of %d) = %#x, %v; want ErrNoG", th.ID(), s.stop.Tid, addr, err)
			}
			break
		}
	}
	tgG, ok, err := s.r.ThreadG(s.stop.Tid, fs, r14)
	if err != nil || !ok || tgG.ID != s.caller {
		t.Errorf("ThreadG = %d, %v, %v; want %d", tgG.ID, ok, err, s.caller)
	}
	regs := func(tid int) (pc, sp, bp uint64, ok bool) {
		th, found := s.p.Thread(tid)
		if !found {
			return 0, 0, 0, false
		}
		r, err := th.Registers()
		if err != nil {
			return 0, 0, 0, false
		}
		return r.PC(), r.SP(), r.BP(), true
	}
	if pc, _, _ := g.Context(regs); pc != s.stop.Addr {
		t.Errorf("Context pc %#x, want the breakpoint %#x", pc, s.stop.Addr)
	}
	if found, err := s.r.Find(s.caller); err != nil || found.Addr != g.Addr {
		t.Errorf("Find(%d) = %#x, %v", s.caller, found.Addr, err)
	}
	if _, err := s.r.Find(1 << 40); !errors.Is(err, ErrNoGoroutine) {
		t.Errorf("Find(1<<40) error %v, want ErrNoGoroutine", err)
	}
}

// checkSpinner: the spinning goroutine is running (or was just preempted:
// sysmon preempts it every 10 ms).
func checkSpinner(t *testing.T, s *stopped, byID map[int64]G) {
	g, ok := byID[s.spin]
	if !ok {
		t.Fatalf("spinning goroutine %d not listed", s.spin)
	}
	if s.funcName(g.StartPC) != "main.spin" {
		t.Errorf("spinner start %s", s.funcName(g.StartPC))
	}
	switch g.Status {
	case StatusRunning:
		tg, _ := s.r.ThreadGoroutines()
		if g.ThreadID == 0 || tg[g.ThreadID] != g.ID {
			t.Errorf("running spinner %d on thread %d, which runs %d", g.ID, g.ThreadID, tg[g.ThreadID])
		}
	case StatusRunnable, StatusPreempted:
		t.Logf("spinner %d was %v at the stop", g.ID, g.Status)
	default:
		t.Errorf("spinner %d is %v", g.ID, g.Status)
	}
}

// checkSyscall: a goroutine blocked in read(2) keeps its thread.
func checkSyscall(t *testing.T, s *stopped, byID map[int64]G) {
	g, ok := byID[s.sys]
	if !ok {
		t.Fatalf("goroutine %d in a system call not listed", s.sys)
	}
	if g.Status != StatusSyscall || g.ThreadID == 0 || s.funcName(g.StartPC) != "main.blockSyscall" {
		t.Fatalf("goroutine %d: %v on thread %d start %s; want syscall on a thread, main.blockSyscall",
			g.ID, g.Status, g.ThreadID, s.funcName(g.StartPC))
	}
	tg, err := s.r.ThreadGoroutines()
	if err != nil || tg[g.ThreadID] != g.ID {
		t.Errorf("ThreadGoroutines()[%d] = %d (%v), want %d", g.ThreadID, tg[g.ThreadID], err, g.ID)
	}
	fs, r14 := threadRegs(t, s.p, g.ThreadID)
	if tgG, ok, err := s.r.ThreadG(g.ThreadID, fs, r14); err != nil || !ok || tgG.ID != g.ID {
		t.Errorf("ThreadG(thread %d) = %d, %v, %v; want %d", g.ThreadID, tgG.ID, ok, err, g.ID)
	}
}

// checkThreads: every thread id is a real task of the process, and the
// three ways to map threads to goroutines agree.
func checkThreads(t *testing.T, s *stopped, gs []G) {
	tids, err := fixtures.Tids(s.p.Pid())
	if err != nil {
		t.Fatal(err)
	}
	ms, err := s.r.Ms()
	if err != nil || len(ms) == 0 {
		t.Fatalf("Ms: %v, %v", ms, err)
	}
	for _, m := range ms {
		if m.ThreadID != 0 && !slices.Contains(tids, m.ThreadID) {
			t.Errorf("%v: no such task in /proc/%d/task %v", m, s.p.Pid(), tids)
		}
	}
	tg, err := s.r.ThreadGoroutines()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gs {
		if g.ThreadID != 0 && tg[g.ThreadID] != g.ID {
			t.Errorf("goroutine %d says thread %d, which runs %d", g.ID, g.ThreadID, tg[g.ThreadID])
		}
	}
	for _, th := range s.p.Threads() {
		fs, r14 := threadRegs(t, s.p, th.ID())
		g, ok, err := s.r.ThreadG(th.ID(), fs, r14)
		if err != nil {
			t.Errorf("thread %d: %v", th.ID(), err)
			continue
		}
		want, running := tg[th.ID()]
		if ok != running || (ok && g.ID != want) {
			t.Errorf("thread %d: ThreadG = %d (%v), ThreadGoroutines says %d (%v)", th.ID(), g.ID, ok, want, running)
		}
	}
}

func checkDead(t *testing.T, s *stopped, live []G) {
	all, err := s.r.List(Options{IncludeDead: true})
	if err != nil {
		t.Fatal(err)
	}
	liveAddrs := map[uint64]bool{}
	for _, g := range live {
		if g.Status.Dead() {
			t.Errorf("default listing has dead goroutine %d", g.ID)
		}
		liveAddrs[g.Addr] = true
	}
	for _, g := range all {
		if !liveAddrs[g.Addr] && !g.Status.Dead() {
			t.Errorf("goroutine %d (%v) only listed with IncludeDead", g.ID, g.Status)
		}
	}
	if len(all) < len(live) {
		t.Errorf("%d goroutines with dead ones, %d without", len(all), len(live))
	}
}

func checkIterate(t *testing.T, s *stopped, gs []G) {
	var ids []int64
	for g, err := range s.r.All(Options{}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, g.ID)
	}
	var want []int64
	for _, g := range gs {
		want = append(want, g.ID)
	}
	if !slices.Equal(ids, want) {
		t.Errorf("All gave %v, List %v", ids, want)
	}
	n := 0
	if err := s.r.Each(Options{}, func(G) bool { n++; return n < 3 }); err != nil || n != 3 {
		t.Errorf("Each stopped after %d calls (%v), want 3", n, err)
	}
	l1, err1 := LoadLayout(s.tab)
	if l2, err2 := LoadLayout(s.tab); l1 != l2 || l1 != s.r.Layout() || err1 != nil || err2 != nil {
		t.Errorf("LoadLayout not cached: %p %p %v %v", l1, l2, err1, err2)
	}
}

// TestHalted stops gorofix with a halt request, wherever its threads are,
// and checks the blocked goroutines and that the thread mappings agree.
func TestHalted(t *testing.T) {
	s, lines := launchGorofix(t, nil, "7")
	done := make(chan error, 1)
	go func() {
		st, err := s.p.Continue()
		if err == nil && st.Reason != proc.StopHalted {
			err = fmt.Errorf("stop %+v, want halted", st)
		}
		done <- err
	}()
	s.readLines(t, lines)
	// A request made before Continue has resumed the threads is ignored:
	// repeat it until Continue returns.
	var err error
	for stopped := false; !stopped; {
		s.p.RequestHalt()
		select {
		case err = <-done:
			stopped = true
		case <-time.After(50 * time.Millisecond):
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if s.r, err = NewReader(s.tab, s.p, s.bias); err != nil {
		t.Fatal(err)
	}
	gs, err := s.r.List(Options{})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]G{}
	for _, g := range gs {
		byID[g.ID] = g
	}
	checkBlocked(t, s, byID)
	checkSyscall(t, s, byID)
	checkThreads(t, s, gs)
	// The halt may come before the caller reaches its select {}.
	switch g := byID[s.caller]; g.Status {
	case StatusWaiting:
		if g.WaitReason != "select (no cases)" {
			t.Errorf("caller %d waiting for %q, want select {}", s.caller, g.WaitReason)
		}
	case StatusRunning, StatusRunnable, StatusPreempted, StatusSyscall:
	default:
		t.Errorf("caller %d is %v", s.caller, g.Status)
	}
}
