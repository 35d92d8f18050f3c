package target

import (
	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/core"
	"github.com/godbg/godbg/pkg/proc/native"
)

// LaunchConfig says how to start a program (see native.LaunchConfig).
type LaunchConfig = native.LaunchConfig

// Launch starts a program under the live backend, stopped at its first
// instruction.
func Launch(cfg LaunchConfig) (proc.Process, error) { return native.Launch(cfg) }

// Attach stops and traces every thread of a running process.
func Attach(pid int) (proc.Process, error) { return native.Attach(pid) }

// OpenCore opens a core file of the executable at exe ("" : the program
// the core names) and returns the process it records (to inspect only)
// and its stop.
func OpenCore(exe, corePath string) (proc.Inspector, *proc.Stop, error) {
	p, err := core.Open(exe, corePath)
	if err != nil {
		return nil, nil, err
	}
	return p, core.StopOf(p), nil
}

// DumpCore writes a core file of a stopped process; current is the
// thread it names first.
func DumpCore(p proc.Process, current int, path string) error {
	return core.DumpProcess(p, current, path)
}

// ExecutablePath is the executable a live process runs.
func ExecutablePath(pid int) (string, error) { return native.ExecutablePath(pid) }
