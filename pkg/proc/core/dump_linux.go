package core

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/godbg/godbg/pkg/proc"
)

// DumpThread is one thread of the process Dump writes: its id, its
// registers by name as proc.Registers.List(true) lists them (rip, rsp,
// ..., fs_base, gs_base, eflags, the segment registers and, if present,
// fcw ... mxcsr, st0-st7, xmm0-xmm15), and the signal it stopped with
// (0: none).
type DumpThread struct {
	Tid    int
	Regs   []proc.Register
	Signal int
}

// Dump writes an ELF core file of the stopped process pid to path: one
// NT_PRSTATUS (and NT_FPREGSET) per thread, in the order given (put the
// thread that took a signal first), NT_PRPSINFO, NT_AUXV and NT_FILE from
// /proc/<pid>, and the memory of every readable mapping read through mem.
// Mappings without read access are described with no bytes; the
// executable's read-only mappings are left out but for the page holding
// its ELF headers (and build ID), as the kernel does; untouched anonymous
// pages, zero pages and unreadable pages are holes in a sparse file, and
// the untouched pages at the end of an anonymous mapping are left out
// (they read as zeros).
// The file is written under a temporary name in path's directory and
// linked to path when complete; Dump never replaces anything: a path that
// exists (a file, a symlink, a device, a FIFO, a directory) is refused with
// ErrDumpExists.
func Dump(pid int, threads []DumpThread, mem Memory, path string) error {
	if len(threads) == 0 {
		return fmt.Errorf("dumping process %d: no threads given", pid)
	}
	if err := checkDumpPath(path); err != nil {
		return fmt.Errorf("dumping process %d: %w", pid, err)
	}
	img, pm, err := gather(pid, threads)
	if err != nil {
		return fmt.Errorf("dumping process %d: %w", pid, err)
	}
	if pm != nil {
		defer pm.Close()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("dumping process %d to %s: %w", pid, path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = writeCore(f, img, mem)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = publishDump(tmp, path)
	}
	if err != nil {
		return fmt.Errorf("dumping process %d to %s: %w", pid, path, err)
	}
	return nil
}

// ErrDumpExists is Dump's refusal of a path that exists.
var ErrDumpExists = errors.New("exists")

// checkDumpPath refuses a path that exists, saying what it is.
func checkDumpPath(path string) error {
	st, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	what := "a file"
	switch m := st.Mode(); {
	case m&os.ModeSymlink != 0:
		what = "a symbolic link"
	case m.IsDir():
		what = "a directory"
	case m&os.ModeDevice != 0:
		what = "a device"
	case m&os.ModeNamedPipe != 0:
		what = "a FIFO"
	case m&os.ModeSocket != 0:
		what = "a socket"
	}
	return fmt.Errorf("%s %w (%s); dump never replaces anything: remove it or give a new name", path, ErrDumpExists, what)
}

// publishDump gives the finished file tmp its name without replacing
// whatever took that name meanwhile (link fails on an existing name);
// where hard links are not supported it falls back to a checked rename.
func publishDump(tmp, path string) error {
	err := os.Link(tmp, path)
	if err == nil {
		return nil
	}
	if errors.Is(err, os.ErrExist) {
		if err := checkDumpPath(path); err != nil {
			return err
		}
		return fmt.Errorf("%s %w; dump never replaces anything: remove it or give a new name", path, ErrDumpExists)
	}
	if err := checkDumpPath(path); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// DumpProcess dumps a stopped process of any backend: its threads'
// registers, with thread current first (0: the first thread stopped by a
// signal, else the first), and its memory as the program sees it
// (breakpoints hidden). A SIGSTOP is the debugger's and is not recorded.
func DumpProcess(p proc.Process, current int, path string) error {
	var threads []DumpThread
	for _, th := range p.Threads() {
		r, err := th.Registers()
		if err != nil {
			return fmt.Errorf("dumping process %d: thread %d: %w", p.Pid(), th.ID(), err)
		}
		dt := DumpThread{Tid: th.ID(), Regs: r.List(true)}
		if s, ok := strings.CutPrefix(th.State(), "signal "); ok {
			if sig, err := proc.ParseSignal(s); err == nil && sig != sigStop {
				dt.Signal = sig
			}
		}
		threads = append(threads, dt)
	}
	i := slices.IndexFunc(threads, func(t DumpThread) bool { return t.Tid == current })
	if current == 0 {
		i = slices.IndexFunc(threads, func(t DumpThread) bool { return t.Signal != 0 })
	}
	if i > 0 {
		cur := threads[i]
		threads = append([]DumpThread{cur}, slices.Delete(threads, i, i+1)...)
	}
	return Dump(p.Pid(), threads, textReader{p}, path)
}

const sigStop = 19

// textReader reads through ReadText, so no int3 of ours reaches the core.
type textReader struct{ p proc.Process }

func (t textReader) ReadMemory(addr uint64, buf []byte) (int, error) { return t.p.ReadText(addr, buf) }

// gather reads what /proc says about pid and lays out the segments. It
// returns /proc/<pid>/pagemap (nil if it cannot be read) for the caller
// to close after the copy.
func gather(pid int, threads []DumpThread) (*image, *os.File, error) {
	dir := fmt.Sprintf("/proc/%d", pid)
	img := &image{pid: pid}
	if err := readStat(dir, img); err != nil {
		return nil, nil, err
	}
	maps, err := readMaps(dir + "/maps")
	if err != nil {
		return nil, nil, err
	}
	img.auxv, _ = os.ReadFile(dir + "/auxv")
	exe, _ := os.Readlink(dir + "/exe")
	exe = trimDeleted(exe)
	for _, t := range threads {
		ti := threadFromRegs(t)
		ti.sigpend, ti.sighold = threadSigMasks(fmt.Sprintf("%s/task/%d/status", dir, t.Tid))
		img.threads = append(img.threads, ti)
	}
	pm, err := os.Open(dir + "/pagemap")
	if err != nil {
		pm = nil
	}
	for _, m := range maps {
		if m.inode != 0 && m.path != "" {
			img.files = append(img.files, fileMap{Start: m.start, End: m.end, Offset: m.offset, Path: m.path})
		}
		if !skipMapping(m) {
			img.segs = append(img.segs, planSegment(m, exe, pm))
		}
	}
	return img, pm, nil
}

// planSegment decides what of mapping m goes into the file (doc.go).
// Without pagemap (pm nil) every readable byte is read.
func planSegment(m mapping, exe string, pm *os.File) segment {
	s := segment{start: m.start, end: m.end, flags: m.flags()}
	switch {
	case s.flags&pfR == 0:
		// reserved address space: described, never written as zeros
	case exe != "" && trimDeleted(m.path) == exe && s.flags&pfW == 0 && pm != nil && !hasPrivatePages(pm, m):
		// Text and read-only data as in the executable file: only the
		// page with the ELF headers and notes (build ID) is written.
		if m.offset == 0 {
			s.size = min(pageSize, m.end-m.start)
		}
	default:
		s.size = m.end - m.start
		if m.plainAnonymous() && pm != nil {
			s.zero = untouched(pm)
			s.size = touchedEnd(pm, m.start, m.end) - m.start
		}
	}
	return s
}

// skipMapping: [vvar] and friends are kernel pages that cannot be read
// through /proc/<pid>/mem; [vsyscall] is outside user space.
func skipMapping(m mapping) bool {
	return m.path == "[vvar]" || m.path == "[vvar_vclock]" || m.path == "[vsyscall]"
}

// threadSigMasks reads SigPnd and SigBlk of a thread (zero if unreadable).
func threadSigMasks(path string) (pend, blk uint64) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(line, ":")
		switch k {
		case "SigPnd":
			fmt.Sscanf(strings.TrimSpace(v), "%x", &pend)
		case "SigBlk":
			fmt.Sscanf(strings.TrimSpace(v), "%x", &blk)
		}
	}
	return pend, blk
}

// readStat fills the NT_PRPSINFO fields from stat, status, comm and cmdline.
func readStat(dir string, img *image) error {
	b, err := os.ReadFile(dir + "/stat")
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("no such process (%s is missing)", dir)
		}
		return err
	}
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if i < 0 || len(f) < 17 {
		return fmt.Errorf("%s/stat: unexpected format", dir)
	}
	img.state = f[0][0]
	fmt.Sscan(f[1], &img.ppid)
	fmt.Sscan(f[2], &img.pgrp)
	fmt.Sscan(f[3], &img.sid)
	fmt.Sscan(f[16], &img.nice)
	if st, err := os.ReadFile(dir + "/status"); err == nil {
		for _, line := range strings.Split(string(st), "\n") {
			if v, ok := strings.CutPrefix(line, "Uid:"); ok {
				fmt.Sscan(v, &img.uid)
			}
			if v, ok := strings.CutPrefix(line, "Gid:"); ok {
				fmt.Sscan(v, &img.gid)
			}
		}
	}
	comm, _ := os.ReadFile(dir + "/comm")
	img.fname = strings.TrimSuffix(string(comm), "\n")
	if img.fname == "" {
		exe, _ := os.Readlink(dir + "/exe")
		img.fname = filepath.Base(exe)
	}
	cmd, _ := os.ReadFile(dir + "/cmdline")
	img.psargs = strings.TrimSpace(strings.ReplaceAll(string(cmd), "\x00", " "))
	return nil
}
