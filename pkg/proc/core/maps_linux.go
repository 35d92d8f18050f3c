package core

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// mapping is one line of /proc/<pid>/maps.
type mapping struct {
	start, end, offset uint64
	perms              string // "rw-p"
	inode              uint64
	path               string
}

func (m mapping) flags() uint32 {
	var f uint32
	if m.perms[0] == 'r' {
		f |= pfR
	}
	if m.perms[1] == 'w' {
		f |= pfW
	}
	if m.perms[2] == 'x' {
		f |= pfX
	}
	return f
}

// plainAnonymous: memory no file backs and no other process shares, whose
// untouched pages read as zeros; not a special mapping like [vdso].
func (m mapping) plainAnonymous() bool {
	if m.inode != 0 || m.perms[3] != 'p' {
		return false
	}
	return m.path == "" || m.path == "[heap]" || m.path == "[stack]" || strings.HasPrefix(m.path, "[anon:")
}

func readMaps(path string) ([]mapping, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []mapping
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		m, err := parseMapsLine(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, m)
	}
	return out, sc.Err()
}

// parseMapsLine parses "start-end perms offset dev inode   path".
func parseMapsLine(line string) (mapping, error) {
	f := strings.Fields(line)
	if len(f) < 5 || len(f[1]) != 4 {
		return mapping{}, fmt.Errorf("unexpected line %q", line)
	}
	lo, hi, _ := strings.Cut(f[0], "-")
	var m mapping
	var errs [4]error
	m.start, errs[0] = strconv.ParseUint(lo, 16, 64)
	m.end, errs[1] = strconv.ParseUint(hi, 16, 64)
	m.offset, errs[2] = strconv.ParseUint(f[2], 16, 64)
	m.inode, errs[3] = strconv.ParseUint(f[4], 10, 64)
	for _, err := range errs {
		if err != nil {
			return mapping{}, fmt.Errorf("unexpected line %q: %w", line, err)
		}
	}
	m.perms = f[1]
	m.path = afterFields(line, 5) // the path may contain spaces
	return m, nil
}

// afterFields returns line after its first n space-separated fields.
func afterFields(line string, n int) string {
	rest := line
	for i := 0; i < n; i++ {
		rest = strings.TrimLeft(rest, " ")
		j := strings.IndexByte(rest, ' ')
		if j < 0 {
			return ""
		}
		rest = rest[j:]
	}
	return strings.TrimLeft(rest, " ")
}
