package core

// image is everything a dumped core file holds, gathered from a stopped
// process (dump_linux.go) and written by writeCore. It is plain data, so
// tests and the fuzz corpus can build one without a process.
type image struct {
	pid, ppid, pgrp, sid int
	uid, gid             uint32
	state                byte // /proc/<pid>/stat state letter
	nice                 int
	fname, psargs        string
	auxv                 []byte
	files                []fileMap // NT_FILE
	threads              []threadImage
	segs                 []segment
}

// threadImage is one thread's NT_PRSTATUS and NT_FPREGSET.
type threadImage struct {
	tid              int
	sig              int
	sigpend, sighold uint64
	gp               [numUserRegs]uint64
	fp               *[fxsaveSize]byte // nil: no floating-point state
}

// segment is one mapping: a PT_LOAD of [start, end) whose first size
// bytes are written (size 0: address space only, p_filesz 0).
type segment struct {
	start, end uint64
	flags      uint32
	size       uint64
	// zero reports pages known to be zero without reading them (an
	// anonymous page never touched); nil: every page is read.
	zero func(addr uint64, n int) []bool
}
