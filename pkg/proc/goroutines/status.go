package goroutines

import "strconv"

// Status is a goroutine's scheduling state with the runtime's _Gscan bit
// cleared. The constants carry the runtime's numbering (runtime2.go); a
// runtime whose DWARF constants number them differently is translated by
// name, and a value this package does not know is kept as is.
type Status uint32

const (
	StatusIdle      Status = 0  // just allocated, not yet initialised
	StatusRunnable  Status = 1  // on a run queue, not running
	StatusRunning   Status = 2  // running on a thread (G.ThreadID)
	StatusSyscall   Status = 3  // in a system call, owns its thread
	StatusWaiting   Status = 4  // blocked; see G.WaitReason
	StatusDead      Status = 6  // exited or unused, on a free list
	StatusCopystack Status = 8  // its stack is being moved
	StatusPreempted Status = 9  // stopped by asynchronous preemption
	StatusLeaked    Status = 10 // blocked forever, found by the leak detector
	StatusDeadExtra Status = 11 // an idle g of an extra M kept for cgo callbacks
)

var statusNames = map[Status]string{
	StatusIdle: "idle", StatusRunnable: "runnable", StatusRunning: "running",
	StatusSyscall: "syscall", StatusWaiting: "waiting", StatusDead: "dead",
	StatusCopystack: "copystack", StatusPreempted: "preempted", StatusLeaked: "leaked",
	StatusDeadExtra: "dead (extra M)",
}

func (s Status) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return "status(" + strconv.FormatUint(uint64(s), 10) + ")"
}

// Dead reports whether the status is one of the runtime's dead states,
// which goroutine listings hide.
func (s Status) Dead() bool { return s == StatusDead || s == StatusDeadExtra }

// statusTable translates raw g.atomicstatus values.
type statusTable struct {
	scan     uint32
	identity bool              // the runtime's numbering matches ours
	byRaw    map[uint32]Status // otherwise
}

var constStatus = map[string]Status{
	"runtime._Gidle": StatusIdle, "runtime._Grunnable": StatusRunnable, "runtime._Grunning": StatusRunning,
	"runtime._Gsyscall": StatusSyscall, "runtime._Gwaiting": StatusWaiting, "runtime._Gdead": StatusDead,
	"runtime._Gcopystack": StatusCopystack, "runtime._Gpreempted": StatusPreempted,
	"runtime._Gleaked": StatusLeaked, "runtime._Gdeadextra": StatusDeadExtra,
}

func newStatusTable(consts map[string]int64) statusTable {
	t := statusTable{scan: 0x1000, identity: true, byRaw: map[uint32]Status{}}
	if v, ok := consts["runtime._Gscan"]; ok && v > 0 && v < 1<<31 {
		t.scan = uint32(v)
	}
	for name, s := range constStatus {
		v, ok := consts[name]
		if !ok || v < 0 || v >= 1<<31 {
			continue
		}
		t.byRaw[uint32(v)] = s
		if uint32(v) != uint32(s) {
			t.identity = false
		}
	}
	return t
}

func (t *statusTable) decode(raw uint32) Status {
	v := raw &^ t.scan
	if t.identity {
		return Status(v)
	}
	if s, ok := t.byRaw[v]; ok {
		return s
	}
	return Status(v)
}
