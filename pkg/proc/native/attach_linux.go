package native

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc"
)

const attachOptions = unix.PTRACE_O_TRACECLONE | unix.PTRACE_O_TRACEEXEC |
	unix.PTRACE_O_TRACEFORK | unix.PTRACE_O_TRACEVFORK | unix.PTRACE_O_TRACESYSGOOD

// Attach attaches to every thread of a running process and leaves all of
// them stopped. Errors a user can act on are *AttachError.
func Attach(pid int) (proc.Process, error) {
	if err := checkAttachable(pid); err != nil {
		return nil, err
	}
	ex := newExecutor()
	var p *nproc
	var err error
	ex.run(func() { p, err = attachAll(ex, pid) })
	if err != nil {
		return nil, err
	}
	p.s.guard = newGuardian() // guard: started from the tracer thread at the first breakpoint (guard_linux.go)
	if p.mem, err = openMem(pid); err != nil {
		p.Detach()
		return nil, fmt.Errorf("opening memory of pid %d: %w", pid, err)
	}
	return p, nil
}

// attachAll runs on the tracer thread.
func attachAll(ex *executor, pid int) (*nproc, error) {
	p := newProcess(pid, false, newSession(ex))
	p.s.add(p)
	for {
		tids, err := listTasks(pid)
		if err != nil {
			p.detachAll()
			if len(p.threads) == 0 {
				return nil, &AttachError{Pid: pid, Err: ErrNoProcess}
			}
			return nil, &AttachError{Pid: pid, Err: fmt.Errorf("process exited while attaching: %w", ErrNoProcess)}
		}
		added := 0
		for _, tid := range tids {
			if _, ok := p.threads[tid]; ok {
				continue
			}
			if err := ptraceAttach(tid); err != nil {
				if errors.Is(err, unix.ESRCH) || (tid != pid && errors.Is(err, unix.EPERM) && threadGone(pid, tid)) {
					continue // exited between the listing and now (an exiting thread gives EPERM)
				}
				p.s.waitStopped(modeStopping)
				p.detachAll()
				return nil, attachFailure(pid, err)
			}
			t := p.addThread(tid)
			t.stopQueued = true
			added++
		}
		p.s.waitStopped(modeStopping)
		if p.exited {
			return nil, &AttachError{Pid: pid, Err: fmt.Errorf("process exited while attaching: %w", ErrNoProcess)}
		}
		for _, t := range p.threads {
			if !t.optioned {
				t.optioned = ptraceSetOptions(t.tid, attachOptions) == nil
			}
		}
		if added == 0 {
			break
		}
	}
	if len(p.threads) == 0 {
		return nil, &AttachError{Pid: pid, Err: ErrNoProcess}
	}
	return p, nil
}

// listTasks returns the tids in /proc/<pid>/task.
func listTasks(pid int) ([]int, error) {
	d, err := os.Open("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		return nil, err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	tids := make([]int, 0, len(names))
	for _, n := range names {
		if tid, err := strconv.Atoi(n); err == nil {
			tids = append(tids, tid)
		}
	}
	sort.Ints(tids)
	return tids, nil
}

// threadGone reports whether a thread has exited (gone, zombie or dead).
func threadGone(pid, tid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(tid) + "/stat")
	if err != nil {
		return true
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] == 'Z' || s[i+2] == 'X'
}
