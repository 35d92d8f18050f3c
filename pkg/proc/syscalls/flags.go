package syscalls

import (
	"strconv"
	"strings"
	"syscall"
)

type flag struct {
	bit  uint64
	name string
}

var protFlags = []flag{{1, "PROT_READ"}, {2, "PROT_WRITE"}, {4, "PROT_EXEC"}}

var mapFlags = []flag{{0x01, "MAP_SHARED"}, {0x02, "MAP_PRIVATE"}, {0x10, "MAP_FIXED"}, {0x20, "MAP_ANONYMOUS"},
	{0x100, "MAP_GROWSDOWN"}, {0x2000, "MAP_LOCKED"}, {0x4000, "MAP_NORESERVE"}, {0x8000, "MAP_POPULATE"},
	{0x10000, "MAP_NONBLOCK"}, {0x20000, "MAP_STACK"}, {0x100000, "MAP_FIXED_NOREPLACE"}}

var openBits = []flag{{0o100, "O_CREAT"}, {0o200, "O_EXCL"}, {0o400, "O_NOCTTY"}, {0o1000, "O_TRUNC"},
	{0o2000, "O_APPEND"}, {0o4000, "O_NONBLOCK"}, {0o10000, "O_DSYNC"}, {0o200000, "O_DIRECTORY"},
	{0o400000, "O_NOFOLLOW"}, {0o2000000, "O_CLOEXEC"}, {0o20000000, "O_PATH"}}

func flagNames(v uint64, flags []flag, zero string) string {
	if v == 0 {
		return zero
	}
	var out []string
	for _, f := range flags {
		if v&f.bit != 0 {
			out = append(out, f.name)
			v &^= f.bit
		}
	}
	if v != 0 {
		out = append(out, "0x"+strconv.FormatUint(v, 16))
	}
	return strings.Join(out, "|")
}

func openFlags(v uint64) string {
	acc := [...]string{"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"}[v&3]
	rest := flagNames(v&^3, openBits, "")
	if rest == "" {
		return acc
	}
	return acc + "|" + rest
}

var errnoNames = map[syscall.Errno]string{
	syscall.EPERM: "EPERM", syscall.ENOENT: "ENOENT", syscall.ESRCH: "ESRCH", syscall.EINTR: "EINTR",
	syscall.EIO: "EIO", syscall.EBADF: "EBADF", syscall.ECHILD: "ECHILD", syscall.EAGAIN: "EAGAIN",
	syscall.ENOMEM: "ENOMEM", syscall.EACCES: "EACCES", syscall.EFAULT: "EFAULT", syscall.EBUSY: "EBUSY",
	syscall.EEXIST: "EEXIST", syscall.ENOTDIR: "ENOTDIR", syscall.EISDIR: "EISDIR", syscall.EINVAL: "EINVAL",
	syscall.EMFILE: "EMFILE", syscall.ENOTTY: "ENOTTY", syscall.ENOSPC: "ENOSPC", syscall.ESPIPE: "ESPIPE",
	syscall.EPIPE: "EPIPE", syscall.ERANGE: "ERANGE", syscall.ENOSYS: "ENOSYS", syscall.ETIMEDOUT: "ETIMEDOUT",
	syscall.ECONNREFUSED: "ECONNREFUSED", syscall.EINPROGRESS: "EINPROGRESS",
	512: "ERESTARTSYS", 513: "ERESTARTNOINTR", 514: "ERESTARTNOHAND", 516: "ERESTART_RESTARTBLOCK",
}

func errnoName(e syscall.Errno) string {
	if n, ok := errnoNames[e]; ok {
		return n
	}
	return "E" + strconv.Itoa(int(e))
}
