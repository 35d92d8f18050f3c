package native

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/arch/x86/x86asm"
	"golang.org/x/sys/unix"

	"github.com/godbg/godbg/pkg/proc"
)

// Page-protection watchpoints take over when the debug registers are full
// or the object is larger than they can cover. The watched pages lose
// PROT_WRITE (write watches) or all access (read watches) through an
// mprotect the debugger makes a stopped thread execute. An access to such
// a page faults: the SIGSEGV is taken under ptrace and never delivered.
// With every thread stopped, the pages get their protection back, the
// faulting thread single-steps the instruction, the pages are protected
// again, and the instruction's decoded accesses say whether it touched the
// watched range (only then does the program stop). Unrelated accesses to
// the same pages cost a fault, an all-stop and two mprotects each.
//
// A system call that writes into a protected page fails with EFAULT
// instead of faulting: the program sees it (as with gdb's software
// watchpoints on such memory).

const pageSize = 4096

// pageWatch is one watchpoint kept by page protection.
type pageWatch struct {
	addr uint64
	size int
	kind proc.WatchKind
	cond proc.BreakCond
}

// pageWatches is a process's page-protection state.
type pageWatches struct {
	byAddr map[uint64]*pageWatch
	orig   map[uint64]int // protection of each protected page before us
}

func pagesOf(addr uint64, size int) []uint64 {
	var out []uint64
	for pg := addr &^ (pageSize - 1); pg < addr+uint64(size); pg += pageSize {
		out = append(out, pg)
	}
	return out
}

// protFor is the protection page needs for the watches on it.
func (pw *pageWatches) protFor(page uint64) int {
	prot := pw.orig[page]
	for _, w := range pw.byAddr {
		if w.addr < page+pageSize && w.addr+uint64(w.size) > page {
			if w.kind&proc.WatchRead != 0 {
				return unix.PROT_NONE
			}
			prot &^= unix.PROT_WRITE
		}
	}
	return prot
}

func (p *nproc) setPageWatch(addr uint64, size int, kind proc.WatchKind, cond proc.BreakCond) (string, error) {
	if p.pages == nil {
		p.pages = &pageWatches{byAddr: map[uint64]*pageWatch{}, orig: map[uint64]int{}}
	}
	pw := p.pages
	pages := pagesOf(addr, size)
	for _, pg := range pages {
		if _, ok := pw.orig[pg]; ok {
			continue
		}
		prot, err := p.pageProt(pg)
		if err != nil {
			return "", err
		}
		pw.orig[pg] = prot
	}
	pw.byAddr[addr] = &pageWatch{addr: addr, size: size, kind: kind, cond: cond}
	if err := p.protectPages(pages); err != nil {
		delete(pw.byAddr, addr)
		p.protectPages(pages)
		return "", err
	}
	return fmt.Sprintf("page protection (%d pages)", len(pages)), nil
}

func (p *nproc) clearPageWatch(w *pageWatch) error {
	delete(p.pages.byAddr, w.addr)
	return p.protectPages(pagesOf(w.addr, w.size))
}

// protectPages sets each page's protection for its watches; a page
// without any gets its own back. Tracer thread; every thread stopped.
func (p *nproc) protectPages(pages []uint64) error {
	pw := p.pages
	for _, pg := range pages {
		prot := pw.protFor(pg)
		used := false
		for _, w := range pw.byAddr {
			used = used || w.addr < pg+pageSize && w.addr+uint64(w.size) > pg
		}
		if err := p.mprotect(pg, pageSize, prot); err != nil {
			return err
		}
		if !used {
			delete(pw.orig, pg)
		}
	}
	return nil
}

// openPages gives the protected pages the accesses touch (all of them
// if accs is nil) their own protection back (open) or ours again.
func (p *nproc) openPages(accs []access, open bool) error {
	for pg, prot := range p.pages.orig {
		if accs != nil && !touches(accs, pg) {
			continue
		}
		if !open {
			prot = p.pages.protFor(pg)
		}
		if err := p.mprotect(pg, pageSize, prot); err != nil {
			return err
		}
	}
	return nil
}

// pageProt reads a page's protection from /proc/<pid>/maps.
func (p *nproc) pageProt(page uint64) (int, error) {
	maps, err := Mappings(p.pid)
	if err != nil {
		return 0, err
	}
	for _, m := range maps {
		if page < m.Start || page >= m.End {
			continue
		}
		prot := 0
		for c, bit := range map[byte]int{'r': unix.PROT_READ, 'w': unix.PROT_WRITE, 'x': unix.PROT_EXEC} {
			if strings.IndexByte(m.Perms, c) >= 0 {
				prot |= bit
			}
		}
		return prot, nil
	}
	return 0, fmt.Errorf("page %#x is not mapped in process %d", page, p.pid)
}

// mprotect makes a stopped thread of p execute mprotect(addr, n, prot).
func (p *nproc) mprotect(addr uint64, n, prot int) error {
	t := p.threads[p.pid]
	if t == nil || t.running {
		for _, tid := range p.sortedThreads() {
			if !tid.running {
				t = tid
				break
			}
		}
	}
	if t == nil {
		return fmt.Errorf("no stopped thread in process %d to run mprotect with", p.pid)
	}
	r, err := p.injectSyscall(t, unix.SYS_MPROTECT, addr, uint64(n), uint64(prot))
	if err != nil {
		return fmt.Errorf("mprotect(%#x, %d, %d) in process %d: %w", addr, n, prot, p.pid, err)
	}
	if int64(r) < 0 {
		return fmt.Errorf("mprotect(%#x, %d, %d) in process %d: %w", addr, n, prot, p.pid, unix.Errno(-int64(r)))
	}
	return nil
}

// pageFault handles a SIGSEGV that may be a watched page's. ok is false
// for a fault of the program's own.
func (p *nproc) pageFault(t *nthread, mode waitMode) (*proc.Stop, bool) {
	var si siginfo
	if ptraceGetSiginfo(t.tid, &si) != nil || si.code() != 2 { // SEGV_ACCERR
		return nil, false
	}
	addr := binary.LittleEndian.Uint64(si[16:24]) // si_addr
	if _, ok := p.pages.orig[addr&^(pageSize-1)]; !ok {
		return nil, false
	}
	t.faultAddr = addr
	switch {
	case mode == modeRun:
		t.pageStep = true // runLoop steps it with every thread stopped
		return nil, true
	case mode == modeStep && t.tid == p.s.stepTid:
		if st := p.stepFault(t); st != nil {
			return st, true
		}
		t.why = "stepped"
		return &proc.Stop{Reason: proc.StopStepped, Tid: t.tid}, true
	}
	return nil, true // it faults again when resumed
}

// stepFault runs the faulting instruction of t with the pages open and
// reports a stop if it accessed a watched range. Every thread stopped.
func (p *nproc) stepFault(t *nthread) *proc.Stop {
	t.regsValid = false
	if t.getRegs() != nil {
		return nil
	}
	code := make([]byte, 16)
	n, _ := p.readText(t.regs.Rip, code)
	accs, derr := decodeAccesses(code[:n], ptRegs{&t.regs})
	if derr != nil {
		accs = []access{{addr: t.faultAddr, size: 1, read: true, write: true}}
	}
	open := accs
	if derr != nil {
		open = nil // not decoded: open them all
	}
	if err := p.openPages(open, true); err != nil {
		return &proc.Stop{Reason: proc.StopWatchpoint, Tid: t.tid, CondErr: err}
	}
	held, heldInfo := t.heldSig, t.heldInfo
	ws, err := stepOne(t, 4)
	if err == nil && ws.Stopped() && ws.StopSignal() != sigTRAP && open != nil {
		// Faulted again on a page the decoder missed: that fault is
		// ours, not the program's; open them all.
		t.heldSig, t.heldInfo = held, heldInfo
		p.openPages(nil, true)
		ws, err = stepOne(t, 4)
		open = nil
	}
	if err == nil && ws.Stopped() {
		p.untrapPushf(t, code[:n])
	}
	perr := p.openPages(open, false)
	if err == nil && !ws.Stopped() {
		if st := p.threadGone(t, ws); st != nil && st.Reason == proc.StopExited {
			return st
		}
		return nil
	}
	t.regsValid = false
	p.unslot(t, false)
	w := p.pageHit(accs)
	if w == nil && perr == nil && p.watch != nil {
		// The stepped access may have fired a debug register too.
		st, _ := p.watchTrap(t, modeRun)
		return st
	}
	if w == nil {
		if perr != nil {
			return &proc.Stop{Reason: proc.StopSignal, Tid: t.tid, Signal: int(unix.SIGSEGV), CondErr: perr}
		}
		return nil
	}
	if t.getRegs() != nil {
		return nil
	}
	stop, cerr := !p.quiet, perr
	if w.cond != nil && stop && cerr == nil {
		stop, cerr = w.cond(hit{t})
	}
	if cerr == nil && !stop {
		return nil
	}
	t.why = "watchpoint"
	return &proc.Stop{Reason: proc.StopWatchpoint, Tid: t.tid, Addr: w.addr, CondErr: cerr}
}

// pageHit finds the watch one of the accesses touched, in address order.
func (p *nproc) pageHit(accs []access) *pageWatch {
	ws := make([]*pageWatch, 0, len(p.pages.byAddr))
	for _, w := range p.pages.byAddr {
		ws = append(ws, w)
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].addr < ws[j].addr })
	for _, a := range accs {
		for _, w := range ws {
			kindOK := a.write && w.kind&proc.WatchWrite != 0 || a.read && w.kind&proc.WatchRead != 0
			if kindOK && a.addr < w.addr+uint64(w.size) && a.addr+uint64(a.size) > w.addr {
				return w
			}
		}
	}
	return nil
}

// ptRegs reads x86asm registers from a ptrace register set.
type ptRegs struct{ r *unix.PtraceRegs }

func (x ptRegs) reg(reg x86asm.Reg) uint64 {
	r := x.r
	switch reg {
	case x86asm.RAX:
		return r.Rax
	case x86asm.RCX:
		return r.Rcx
	case x86asm.RDX:
		return r.Rdx
	case x86asm.RBX:
		return r.Rbx
	case x86asm.RSP:
		return r.Rsp
	case x86asm.RBP:
		return r.Rbp
	case x86asm.RSI:
		return r.Rsi
	case x86asm.RDI:
		return r.Rdi
	case x86asm.R8:
		return r.R8
	case x86asm.R9:
		return r.R9
	case x86asm.R10:
		return r.R10
	case x86asm.R11:
		return r.R11
	case x86asm.R12:
		return r.R12
	case x86asm.R13:
		return r.R13
	case x86asm.R14:
		return r.R14
	case x86asm.R15:
		return r.R15
	case x86asm.RIP:
		return r.Rip
	}
	return 0
}

func (x ptRegs) segBase(reg x86asm.Reg) uint64 {
	if reg == x86asm.FS {
		return x.r.Fs_base
	}
	return x.r.Gs_base
}

// touches reports whether an access falls on page pg.
func touches(accs []access, pg uint64) bool {
	for _, a := range accs {
		if a.addr < pg+pageSize && a.addr+uint64(a.size) > pg {
			return true
		}
	}
	return false
}

// untrapPushf clears the trap flag a single-stepped PUSHF pushed (the
// kernel sets TF for the step): a later POPF would otherwise make the
// program trap on its own. Called after the step, pages still open.
func (p *nproc) untrapPushf(t *nthread, code []byte) {
	inst, err := x86asm.Decode(code, 64)
	if err != nil || inst.Op != x86asm.PUSHF && inst.Op != x86asm.PUSHFQ {
		return
	}
	var r unix.PtraceRegs
	if ptraceGetRegs(t.tid, &r) != nil {
		return
	}
	var b [8]byte
	if _, err := p.mem.ReadAt(b[:], int64(r.Rsp)); err != nil {
		return
	}
	fl := binary.LittleEndian.Uint64(b[:])
	binary.LittleEndian.PutUint64(b[:], fl&^0x100) // TF
	p.mem.WriteAt(b[:], int64(r.Rsp))
}

// openForStep opens every watched page when a thread single-stepped with
// the others stopped (stepOne) faulted on one; the caller protects them
// again after the step. An access to a watched range made this way does
// not stop.
func (p *nproc) openForStep(t *nthread, ws unix.WaitStatus) bool {
	if p.pages == nil || len(p.pages.orig) == 0 || ws.StopSignal() != unix.SIGSEGV {
		return false
	}
	var si siginfo
	if ptraceGetSiginfo(t.tid, &si) != nil || si.code() != 2 {
		return false
	}
	if _, ok := p.pages.orig[binary.LittleEndian.Uint64(si[16:24])&^(pageSize-1)]; !ok {
		return false
	}
	return p.openPages(nil, true) == nil
}
