package syscalls

import (
	"testing"
)

func TestNamesAndLookup(t *testing.T) {
	for _, tc := range []struct {
		name string
		nr   int
	}{{"read", 0}, {"write", 1}, {"openat", 257}, {"getpid", 39}, {"exit_group", 231}} {
		if got := Name(uint64(tc.nr)); got != tc.name {
			t.Errorf("Name(%d) = %s", tc.nr, got)
		}
		if nr, err := Lookup(tc.name); err != nil || nr != tc.nr {
			t.Errorf("Lookup(%s) = %d, %v", tc.name, nr, err)
		}
	}
	if _, err := Lookup("nosuchcall"); err == nil {
		t.Error("unknown name accepted")
	}
	if Name(9999) != "syscall_9999" {
		t.Error(Name(9999))
	}
}

func TestFormat(t *testing.T) {
	mem := func(addr uint64, buf []byte) error {
		copy(buf, "hello\n\x00junk")
		return nil
	}
	tests := []struct {
		nr   uint64
		args [6]uint64
		want string
	}{
		{1, [6]uint64{1, 0x1000, 6}, `write(1, "hello\n", 6)`},
		{257, [6]uint64{uint64(0xffffffffffffff9c), 0x1000, 0o2000000 | 0o100 | 1, 0o644}, `openat(AT_FDCWD, "hello\n", O_WRONLY|O_CREAT|O_CLOEXEC, 420)`},
		{9, [6]uint64{0, 4096, 3, 0x22, ^uint64(0), 0}, `mmap(0x0, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0x0)`},
		{39, [6]uint64{}, `getpid()`},
	}
	for _, tc := range tests {
		if got := FormatCall(tc.nr, tc.args, mem); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
	if got := FormatResult(257, uint64(^uint64(1))); got != "-1 ENOENT (no such file or directory)" {
		t.Errorf("FormatResult = %s", got)
	}
}
