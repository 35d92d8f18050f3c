package syscalls

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"
)

// Name returns the name of system call nr ("syscall_999" if unknown).
func Name(nr uint64) string {
	if nr < uint64(len(names)) && names[nr] != "" {
		return names[nr]
	}
	return "syscall_" + strconv.FormatUint(nr, 10)
}

// Lookup accepts a name ("write") or a number ("1").
func Lookup(s string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n < 1024 {
		return n, nil
	}
	for nr, name := range names {
		if name != "" && name == s {
			return nr, nil
		}
	}
	return 0, fmt.Errorf("unknown system call %q; use a name like write or openat, or a number", s)
}

// Mem reads the tracee's memory.
type Mem func(addr uint64, buf []byte) error

// argKind says how to render one argument.
type argKind int

const (
	aInt argKind = iota
	aHex
	aStr    // NUL-terminated string
	aBuf    // buffer whose length is the next argument (on entry, for writes)
	aOpen   // open flags
	aFd     // file descriptor (AT_FDCWD named)
	aProt   // mmap protection
	aMapFl  // mmap flags
	aSignal // signal number
)

var signatures = map[string][]argKind{
	"read": {aFd, aHex, aInt}, "write": {aFd, aBuf, aInt}, "pread64": {aFd, aHex, aInt, aInt},
	"pwrite64": {aFd, aBuf, aInt, aInt}, "open": {aStr, aOpen, aInt}, "openat": {aFd, aStr, aOpen, aInt},
	"close": {aFd}, "stat": {aStr, aHex}, "lstat": {aStr, aHex}, "fstat": {aFd, aHex},
	"newfstatat": {aFd, aStr, aHex, aHex}, "access": {aStr, aInt}, "faccessat": {aFd, aStr, aInt},
	"execve": {aStr, aHex, aHex}, "unlink": {aStr}, "unlinkat": {aFd, aStr, aInt}, "mkdir": {aStr, aInt},
	"chdir": {aStr}, "getpid": {}, "gettid": {}, "exit": {aInt}, "exit_group": {aInt},
	"mmap": {aHex, aInt, aProt, aMapFl, aFd, aHex}, "munmap": {aHex, aInt}, "mprotect": {aHex, aInt, aProt},
	"kill": {aInt, aSignal}, "tgkill": {aInt, aInt, aSignal}, "rt_sigaction": {aSignal, aHex, aHex, aInt},
	"nanosleep": {aHex, aHex}, "clock_nanosleep": {aInt, aInt, aHex, aHex}, "dup": {aFd}, "dup2": {aFd, aFd},
	"dup3": {aFd, aFd, aInt}, "pipe2": {aHex, aInt}, "lseek": {aFd, aInt, aInt}, "ioctl": {aFd, aHex, aHex},
}

// FormatCall renders "write(1, \"hi\\n\", 3)" for an entry with its six
// argument registers.
func FormatCall(nr uint64, args [6]uint64, mem Mem) string {
	name := Name(nr)
	sig, ok := signatures[name]
	if !ok {
		sig = []argKind{aHex, aHex, aHex}
	}
	parts := make([]string, len(sig))
	for i, k := range sig {
		var next uint64
		if i+1 < 6 {
			next = args[i+1]
		}
		parts[i] = formatArg(k, args[i], next, mem)
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

func formatArg(k argKind, v, next uint64, mem Mem) string {
	switch k {
	case aInt:
		return strconv.FormatInt(int64(v), 10)
	case aStr:
		return readString(v, 256, mem, true)
	case aBuf:
		n := next
		if n > 64 {
			n = 64
		}
		s := readString(v, int(n), mem, false)
		if next > 64 {
			s += "..."
		}
		return s
	case aFd:
		if int32(v) == -100 {
			return "AT_FDCWD"
		}
		return strconv.FormatInt(int64(int32(v)), 10)
	case aOpen:
		return openFlags(v)
	case aProt:
		return flagNames(v, protFlags, "PROT_NONE")
	case aMapFl:
		return flagNames(v, mapFlags, "0")
	case aSignal:
		if v > 0 && v < 65 {
			return syscall.Signal(v).String()
		}
		return strconv.FormatUint(v, 10)
	}
	return "0x" + strconv.FormatUint(v, 16)
}

func readString(addr uint64, max int, mem Mem, nulTerminated bool) string {
	if addr == 0 {
		return "NULL"
	}
	if max <= 0 {
		return `""`
	}
	buf := make([]byte, max)
	if mem == nil || mem(addr, buf) != nil {
		return "0x" + strconv.FormatUint(addr, 16)
	}
	if nulTerminated {
		if i := strings.IndexByte(string(buf), 0); i >= 0 {
			buf = buf[:i]
		}
	}
	return strconv.Quote(string(buf))
}

// FormatResult renders a return value: "3", "0x7f12...", "-1 ENOENT (no such file or directory)".
func FormatResult(nr uint64, ret uint64) string {
	if r := int64(ret); r < 0 && r > -4096 {
		e := syscall.Errno(-r)
		return fmt.Sprintf("-1 %s (%s)", errnoName(e), e.Error())
	}
	switch Name(nr) {
	case "mmap", "brk", "mremap":
		return "0x" + strconv.FormatUint(ret, 16)
	}
	return strconv.FormatInt(int64(ret), 10)
}
