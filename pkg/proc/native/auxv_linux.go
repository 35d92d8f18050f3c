package native

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
)

const atEntry = 9 // AT_ENTRY

// EntryPoint reads AT_ENTRY from /proc/<pid>/auxv.
func (p *nproc) EntryPoint() (uint64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.pid) + "/auxv")
	if err != nil {
		return 0, fmt.Errorf("reading auxv of pid %d: %w", p.pid, err)
	}
	for i := 0; i+16 <= len(b); i += 16 {
		if binary.LittleEndian.Uint64(b[i:]) == atEntry {
			return binary.LittleEndian.Uint64(b[i+8:]), nil
		}
	}
	return 0, fmt.Errorf("pid %d: no AT_ENTRY in auxv", p.pid)
}

// Executable returns /proc/<pid>/exe's target (it follows exec), or the launched path.
func (p *nproc) Executable() string {
	if exe, err := os.Readlink("/proc/" + strconv.Itoa(p.pid) + "/exe"); err == nil {
		return exe
	}
	if p.cmd != nil {
		return p.cmd.Path
	}
	return "/proc/" + strconv.Itoa(p.pid) + "/exe"
}
