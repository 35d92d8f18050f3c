package ebpf

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ErrCapability is wrapped by errors about missing privileges.
var ErrCapability = errors.New("missing capability for eBPF tracing")

// Capability numbers (linux/capability.h).
const (
	capSysAdmin = 21
	capPerfmon  = 38
	capBPF      = 39
)

// CheckCapabilities says which capabilities loading BPF programs and
// attaching uprobes needs and the process lacks: CAP_BPF and
// CAP_PERFMON, or CAP_SYS_ADMIN (root has all three).
func CheckCapabilities() error {
	eff, err := effectiveCaps()
	if err != nil {
		return nil // cannot tell: let the kernel decide
	}
	has := func(c uint) bool { return eff&(1<<c) != 0 }
	if has(capSysAdmin) || (has(capBPF) && has(capPerfmon)) {
		return nil
	}
	var missing []string
	if !has(capBPF) {
		missing = append(missing, "CAP_BPF")
	}
	if !has(capPerfmon) {
		missing = append(missing, "CAP_PERFMON")
	}
	return fmt.Errorf("%w: --ebpf needs %s (or CAP_SYS_ADMIN, or root), which uid %d lacks; "+
		"run as root, or grant them (setcap cap_bpf,cap_perfmon+ep on godbg), or drop --ebpf to use the ptrace backend",
		ErrCapability, strings.Join(missing, " and "), os.Geteuid())
}

func effectiveCaps() (uint64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "CapEff:"); ok {
			return strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		}
	}
	return 0, errors.New("no CapEff in /proc/self/status")
}

// kernelRefused explains an error of the kernel's while loading or
// attaching.
func kernelRefused(what string, err error) error {
	return fmt.Errorf("the kernel refused %s: %w; drop --ebpf to use the ptrace backend", what, err)
}
