package native

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// The guardian process itself (see guard_linux.go). Everything runs on
// the init goroutine, locked to its OS thread: every ptrace request comes
// from that one thread.

func init() {
	if _, ok := os.LookupEnv(envGuard); !ok {
		return
	}
	runtime.LockOSThread()
	os.Exit(guardMain(os.NewFile(3, "guard")))
}

// readyPipe is fd 4, where the debugger waits for the ack of the first
// breakpoint; nil if fd 4 is not a pipe.
func readyPipe() *os.File {
	var st unix.Stat_t
	if unix.Fstat(4, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFIFO {
		return nil
	}
	return os.NewFile(4, "guard-ready")
}

// gproc is one guarded process: its breakpoints and its memory.
type gproc struct {
	pid int
	bps map[uint64]byte
	mem *os.File
}

type guardLog struct{ f *os.File }

func (l guardLog) printf(format string, args ...any) {
	if l.f != nil {
		fmt.Fprintf(l.f, "%s guard[%d]: %s\n", time.Now().UTC().Format("15:04:05.000000"), os.Getpid(), fmt.Sprintf(format, args...))
	}
}

func guardMain(pipe *os.File) int {
	ready := readyPipe() // before any file of ours can take fd 4
	var log guardLog
	if path := os.Getenv(envGuardLog); path != "" {
		log.f, _ = os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	}
	// The tracer thread's exit (it is our parent thread) sends
	// SIGWINCH right after the kernel let its tracees go, often well before
	// the pipe's EOF (which waits for godbg's last thread): put the bytes
	// back at once. Harmless after a clean end: a detach restored them.
	dying := make(chan os.Signal, 1)
	signal.Notify(dying, syscall.SIGWINCH)
	lines := make(chan string, 64)
	go func() {
		rd := bufio.NewReader(pipe)
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				if err != io.EOF || line != "" {
					log.printf("pipe: %v", err)
				}
				close(lines)
				return
			}
			lines <- line
		}
	}()
	procs := make(map[int]*gproc)
	for open := true; open; {
		var line string
		select {
		case <-dying:
			for _, g := range procs {
				if n := g.restore(); n > 0 {
					log.printf("pid %d: tracer thread gone; %d of %d breakpoint bytes restored", g.pid, n, len(g.bps))
				}
			}
			continue
		case line, open = <-lines:
			if !open {
				continue
			}
		}
		f := strings.Fields(line)
		if len(f) == 1 && f[0] == "done" {
			log.printf("done")
			return 0
		}
		if len(f) < 2 {
			continue
		}
		var n [3]uint64
		for i := 1; i < len(f) && i < 4; i++ {
			n[i-1], _ = strconv.ParseUint(f[i], 16, 64)
		}
		pid := int(n[0])
		switch {
		case f[0] == "B" && len(f) == 4:
			g := procs[pid]
			if g == nil {
				g = &gproc{pid: pid, bps: make(map[uint64]byte)}
				g.mem, _ = openMem(pid) // kept: no ptrace needed to restore
				procs[pid] = g
				log.printf("guarding pid %d", pid)
			}
			g.bps[n[1]] = byte(n[2])
			if ready != nil { // the debugger waits for this before the first int3
				ready.Write([]byte{1})
				ready.Close()
				ready = nil
			}
		case f[0] == "C" && len(f) == 3:
			if g := procs[pid]; g != nil {
				delete(g.bps, n[1])
			}
		case f[0] == "D":
			if g := procs[pid]; g != nil && g.mem != nil {
				g.mem.Close()
			}
			delete(procs, pid)
			log.printf("pid %d let go", pid)
		case f[0] == "J": // pad (issue 17): a jump pad's jump
			guardAddJump(pid, f)
		}
	}
	// godbg died.
	pids := make([]int, 0, len(procs))
	for pid := range procs {
		pids = append(pids, pid)
	}
	sort.Ints(pids)
	log.printf("pipe closed without done; guarding %v", pids)
	for _, pid := range pids {
		g := procs[pid]
		early := g.restore()
		log.printf("pid %d: godbg gone; %d of %d breakpoint bytes restored at once", pid, early, len(g.bps))
		log.printf("pid %d: %s", pid, g.rescue(log))
	}
	return 0
}

// restore puts back each original byte where an int3 still is.
func (g *gproc) restore() int {
	if g.mem == nil {
		return 0
	}
	n := 0
	var b [1]byte
	for addr, orig := range g.bps {
		if _, err := g.mem.ReadAt(b[:], int64(addr)); err != nil || b[0] != 0xcc || orig == 0xcc {
			continue
		}
		if _, err := g.mem.WriteAt([]byte{orig}, int64(addr)); err == nil {
			n++
		}
	}
	return n
}

// tracerPid reads TracerPid from /proc/PID/status (-1: process gone).
func tracerPid(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "TracerPid:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return -1
}

// gthread is a seized thread: stopped, and the signal to pass at detach.
type gthread struct {
	stopped   bool
	sig       int
	groupStop bool
	waited    bool
}

// rescue seizes every thread of g once the kernel has let it go, restores
// the text, fixes threads stopped by one of our int3s and detaches.
func (g *gproc) rescue(log guardLog) string {
	start := time.Now()
	for {
		tp := tracerPid(g.pid)
		if tp < 0 {
			return "exited"
		}
		if tp == 0 {
			break
		}
		if time.Since(start) > 5*time.Second {
			return fmt.Sprintf("still traced by %d after 5s: left alone", tp)
		}
		time.Sleep(time.Millisecond)
	}
	untraced := time.Since(start)
	threads := make(map[int]*gthread)
	for round := 0; round < 1000; round++ {
		tids, err := listTasks(g.pid)
		if err != nil {
			log.printf("pid %d: %v", g.pid, err)
			break
		}
		added := 0
		for _, tid := range tids {
			if threads[tid] != nil {
				continue
			}
			if err := ptraceRaw(unix.PTRACE_SEIZE, tid, 0, 0); err != nil {
				log.printf("pid %d: seizing thread %d: %v", g.pid, tid, err)
				continue // gone, or someone else's
			}
			threads[tid] = &gthread{}
			_ = ptraceRaw(unix.PTRACE_INTERRUPT, tid, 0, 0)
			added++
		}
		for tid, t := range threads {
			if !t.stopped && !t.waited {
				t.waited = true
				g.waitStop(tid, t, threads)
			}
		}
		if added == 0 {
			break
		}
	}
	if g.mem == nil {
		g.mem, _ = openMem(g.pid)
	}
	// A halt SIGSTOP godbg sent but the thread had not taken yet would
	// stop the whole program once we let go: let the thread take it now,
	// traced, and drop it.
	stops := 0
	for tid, t := range threads {
		for i := 0; i < 3 && t.stopped && t.sig == 0 && sigstopPending(g.pid, tid); i++ {
			if ptraceCont(tid, 0) != nil {
				break
			}
			t.stopped, t.waited = false, true
			g.waitStop(tid, t, threads)
			if t.sig == int(unix.SIGSTOP) {
				t.sig = 0
				stops++
			}
		}
	}
	late := g.restore()
	late += g.restoreJumps(threads) // pad (issue 17)
	fixed, group, unstopped := 0, 0, 0
	for tid, t := range threads {
		if t.sig == int(unix.SIGTRAP) && g.fixTrap(tid) {
			t.sig = 0
			fixed++
		}
		if t.sig == int(unix.SIGSTOP) { // most likely a halt of godbg's
			t.sig = 0
			stops++
		}
		if t.groupStop {
			group++
		}
		if !t.stopped {
			unstopped++
		}
		_ = ptraceDetach(tid, t.sig)
	}
	msg := fmt.Sprintf("untraced after %v; seized %d threads; %d bytes restored late; %d threads moved back from an int3; detached",
		untraced.Round(time.Microsecond), len(threads), late, fixed)
	if unstopped > 0 {
		msg += fmt.Sprintf("; %d threads never stopped (dying?)", unstopped)
	}
	if stops > 0 {
		msg += fmt.Sprintf("; %d pending SIGSTOPs dropped", stops)
	}
	if group > 0 {
		// A halt SIGSTOP godbg had sent but not seen stopped the program
		// once untraced: take the stop back.
		_ = unix.Kill(g.pid, unix.SIGCONT)
		msg += fmt.Sprintf("; %d threads were group-stopped: SIGCONT sent", group)
	} else if lateGroupStop(g.pid, 200*time.Millisecond) {
		_ = unix.Kill(g.pid, unix.SIGCONT)
		msg += "; group-stopped after the detach: SIGCONT sent"
	}
	return msg
}

// lateGroupStop watches pid for a while for a thread in group-stop
// (state T). A thread that godbg's death caught in the
// signal-delivery-stop of a SIGSTOP godbg had sent (an all-stop's) takes
// that SIGSTOP once untraced: the kernel keeps it in the thread, not
// pending (sigstopPending cannot see it), and the group stop it starts can
// come after our detach when the thread runs late.
func lateGroupStop(pid int, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/stat", pid))
		if len(files) == 0 {
			return false // gone
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if i := strings.LastIndexByte(string(b), ')'); err == nil && i >= 0 && i+2 < len(b) && b[i+2] == 'T' {
				return true
			}
		}
	}
	return false
}

// sigstopPending: SIGSTOP is pending for the thread or its process.
func sigstopPending(pid, tid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/status", pid, tid))
	if err != nil {
		return false
	}
	for _, l := range strings.Split(string(b), "\n") {
		v, ok := strings.CutPrefix(l, "SigPnd:")
		if !ok {
			v, ok = strings.CutPrefix(l, "ShdPnd:")
		}
		if ok {
			if m, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64); err == nil && m&(1<<(unix.SIGSTOP-1)) != 0 {
				return true
			}
		}
	}
	return false
}

// waitStop waits (at most a second: a dying process never stops) for
// the seized thread's first stop and records it.
func (g *gproc) waitStop(tid int, t *gthread, threads map[int]*gthread) {
	for deadline := time.Now().Add(time.Second); ; {
		var ws unix.WaitStatus
		wpid, err := unix.Wait4(tid, &ws, unix.WALL|unix.WNOHANG, nil)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if wpid == 0 && err == nil {
			if time.Now().After(deadline) {
				return
			}
			time.Sleep(50 * time.Microsecond)
			continue
		}
		if err != nil || ws.Exited() || ws.Signaled() {
			delete(threads, tid)
			return
		}
		if !ws.Stopped() {
			continue
		}
		t.stopped = true
		if ws.TrapCause() == unix.PTRACE_EVENT_STOP {
			sig := ws.StopSignal()
			t.groupStop = sig == unix.SIGSTOP || sig == unix.SIGTSTP || sig == unix.SIGTTIN || sig == unix.SIGTTOU
			return
		}
		if ws.TrapCause() == 0 {
			t.sig = int(ws.StopSignal()) // signal-delivery-stop: passed on at detach
		}
		return
	}
}

// fixTrap: a thread stopped by a SIGTRAP that an int3 of ours raised
// (si_code SI_KERNEL, rip one past a breakpoint address) is moved back
// to the address, whose original byte is back; the SIGTRAP is dropped.
func (g *gproc) fixTrap(tid int) bool {
	var si siginfo
	if ptraceGetSiginfo(tid, &si) != nil || si.code() != 0x80 {
		return false
	}
	var r unix.PtraceRegs
	if ptraceGetRegs(tid, &r) != nil {
		return false
	}
	if orig, ok := g.bps[r.Rip-1]; !ok || orig == 0xcc {
		return false
	}
	r.Rip--
	return ptraceSetRegs(tid, &r) == nil
}
