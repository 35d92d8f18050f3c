package native

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/godbg/godbg/pkg/proc"
)

// ExecutablePath is the program a process runs (/proc/<pid>/exe), read
// before attaching so that symbols can load meanwhile.
func ExecutablePath(pid int) (string, error) {
	exe, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe")
	if err != nil {
		return "", fmt.Errorf("reading process %d's executable: %w", pid, err)
	}
	return exe, nil
}

// Mappings lists the regions of pid's address space from /proc/<pid>/maps.
func Mappings(pid int) ([]proc.Mapping, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/maps")
	if err != nil {
		return nil, fmt.Errorf("reading process %d's mappings: %w", pid, err)
	}
	defer f.Close()
	var out []proc.Mapping
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// 7f1c2a000000-7f1c2a028000 r--p 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6
		fs := strings.Fields(sc.Text())
		if len(fs) < 5 {
			continue
		}
		lo, hi, ok := strings.Cut(fs[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		off, err3 := strconv.ParseUint(fs[2], 16, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		m := proc.Mapping{Start: start, End: end, Offset: off, Perms: fs[1]}
		if len(fs) >= 6 {
			m.Path = fs[5]
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading process %d's mappings: %w", pid, err)
	}
	return out, nil
}
