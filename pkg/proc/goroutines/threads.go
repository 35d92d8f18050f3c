package goroutines

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// M is one OS thread the Go runtime created (a runtime.m on allm).
type M struct {
	Addr     uint64 // address of the runtime.m
	ID       int64  // m.id, the runtime's number for it
	ThreadID int    // m.procid: the thread's tid (0 before it has started)
	CurG     uint64 // m.curg: the goroutine it runs, 0 if in the scheduler
	G0       uint64 // its scheduling goroutine (system stack)
	GSignal  uint64 // its signal-handling goroutine
}

// maxMs bounds the walk of allm (a cycle in garbage memory ends it too).
const maxMs = 1 << 16

// maxTid is the kernel's largest pid_max.
const maxTid = 1 << 22

// Ms walks runtime.allm. On a read failure it returns the ms read so far
// and the error.
func (r *Reader) Ms() ([]M, error) {
	if r.l.allm == 0 {
		return nil, &LoadError{Path: r.l.path, Err: ErrLayout, Detail: "no runtime.allm"}
	}
	p, err := r.readUint64("runtime.allm", r.l.allm+r.bias)
	if err != nil {
		return nil, err
	}
	var out []M
	seen := map[uint64]bool{}
	for p != 0 && !seen[p] && len(out) < maxMs {
		seen[p] = true
		m, next, err := r.readM(p)
		if err != nil {
			return out, err
		}
		out = append(out, m)
		p = next
	}
	return out, nil
}

// readM reads the runtime.m at addr and returns it with m.alllink.
func (r *Reader) readM(addr uint64) (M, uint64, error) {
	ml := &r.l.m
	if addr >= maxUserAddr || addr%8 != 0 {
		return M{}, 0, &ReadError{What: "runtime.m", Addr: addr, Err: errors.New("not an m pointer")}
	}
	var small [512]byte
	b := small[:0]
	if ml.len() <= len(small) {
		b = small[:ml.len()]
	} else {
		b = make([]byte, ml.len())
	}
	if err := readFull(r.mem, addr+uint64(ml.lo), b); err != nil {
		return M{}, 0, &ReadError{What: "runtime.m", Addr: addr, Err: err}
	}
	m := M{
		Addr:    addr,
		ID:      int64(ml.id.get(b, ml.lo)),
		CurG:    ml.curg.get(b, ml.lo),
		G0:      ml.g0.get(b, ml.lo),
		GSignal: ml.gsignal.get(b, ml.lo),
	}
	if tid := ml.procid.get(b, ml.lo); tid < maxTid {
		m.ThreadID = int(tid)
	}
	return m, ml.alllink.get(b, ml.lo), nil
}

// G reads the goroutine whose runtime.g is at addr, whatever its status.
func (r *Reader) G(addr uint64) (G, error) {
	if addr == 0 || addr >= maxUserAddr || addr%8 != 0 {
		return G{}, &ReadError{What: "runtime.g", Addr: addr, Err: errors.New("not a g pointer")}
	}
	ls := &lister{r: r, threads: map[uint64]int{}}
	b := make([]byte, r.l.g.len())
	if err := readFull(r.mem, addr+uint64(r.l.g.lo), b); err != nil {
		return G{}, &ReadError{What: gWhat(addr), Addr: addr, Err: err}
	}
	var g G
	x := r.l.decodeG(addr, b, &g)
	ls.finish(&g, x)
	return g, nil
}

// ThreadGoroutines maps each thread running a goroutine (m.procid of an m
// on allm whose m.curg is set) to that goroutine's id. Threads in the
// scheduler, idle or running only runtime code on their system stack
// without a user goroutine are absent.
func (r *Reader) ThreadGoroutines() (map[int]int64, error) {
	ms, err := r.Ms()
	out := make(map[int]int64, len(ms))
	for _, m := range ms {
		if m.CurG == 0 || m.ThreadID == 0 {
			continue
		}
		g, gerr := r.G(m.CurG)
		if gerr != nil {
			err = errors.Join(err, gerr)
			continue
		}
		if !g.Status.Dead() {
			out[m.ThreadID] = g.ID
		}
	}
	return out, err
}

// CurrentG returns the address of the g that thread tid is executing,
// given its fs_base and r14 registers. Go code on linux/amd64 keeps the
// current g in thread-local storage at fs_base+TLSOffset (-8 unless cgo
// linked it), and ABIInternal functions also hold it in r14; TLS is
// preferred because r14 is an ordinary register in assembly, C and the
// vDSO. A candidate counts only if it is the curg, g0 or gsignal of its
// own m and that m's thread is tid: a thread just cloned has its parent's
// fs_base and r14 until it sets up its own TLS. With tid 0 (unknown) the
// thread check is skipped and a candidate on allgs also counts. The result
// may be an m's g0 or gsignal (the thread is on its system stack):
// ThreadG maps that to the user goroutine. ErrNoG if neither register
// yields a g.
func (r *Reader) CurrentG(tid int, fsBase, r14 uint64) (uint64, error) {
	if fsBase != 0 {
		slot := uint64(int64(fsBase) + r.l.tlsOffset)
		if g, err := r.readUint64("TLS g slot", slot); err == nil && r.isG(tid, g) {
			return g, nil
		}
	}
	if r.isG(tid, r14) {
		return r14, nil
	}
	return 0, ErrNoG
}

// ThreadG returns the user goroutine thread tid runs: the g CurrentG
// finds or, if that is its m's g0 or gsignal, the m's curg. ok is false if
// the thread runs no goroutine (runtime scheduler, a thread not yet set
// up, a non-Go thread).
func (r *Reader) ThreadG(tid int, fsBase, r14 uint64) (g G, ok bool, err error) {
	addr, err := r.CurrentG(tid, fsBase, r14)
	if errors.Is(err, ErrNoG) {
		return G{}, false, nil
	}
	if err != nil {
		return G{}, false, err
	}
	if g, err = r.G(addr); err != nil {
		return G{}, false, err
	}
	if g.M != 0 {
		m, _, err := r.readM(g.M)
		if err != nil {
			return G{}, false, err
		}
		if addr == m.G0 || addr == m.GSignal {
			if m.CurG == 0 {
				return G{}, false, nil
			}
			if g, err = r.G(m.CurG); err != nil {
				return G{}, false, err
			}
		}
	}
	return g, !g.Status.Dead(), nil
}

// isG checks a candidate g pointer: g.m names an m running on thread tid
// whose curg, g0 or gsignal is the candidate; or, for tid 0, the
// candidate is on allgs.
func (r *Reader) isG(tid int, addr uint64) bool {
	if addr == 0 || addr >= maxUserAddr || addr%8 != 0 || !r.l.g.m.present() {
		return false
	}
	var b [8]byte
	if readFull(r.mem, addr+uint64(r.l.g.m.off), b[:r.l.g.m.size]) != nil {
		return false
	}
	if m := binary.LittleEndian.Uint64(b[:]); m != 0 {
		mm, _, err := r.readM(m)
		if err == nil && (mm.CurG == addr || mm.G0 == addr || mm.GSignal == addr) && (tid == 0 || mm.ThreadID == tid) {
			return true
		}
	}
	return tid == 0 && r.inAllgs(addr)
}

func (r *Reader) inAllgs(addr uint64) bool {
	base, n, err := r.allgsArray()
	if err != nil {
		return false
	}
	raw := make([]byte, 8*min(n, ptrChunk))
	for i := 0; i < n; i += ptrChunk {
		k := min(ptrChunk, n-i)
		if readFull(r.mem, base+uint64(8*i), raw[:8*k]) != nil {
			return false
		}
		for j := range k {
			if binary.LittleEndian.Uint64(raw[8*j:]) == addr {
				return true
			}
		}
	}
	return false
}

// String describes an m for logs.
func (m M) String() string {
	return fmt.Sprintf("m%d tid %d curg %#x", m.ID, m.ThreadID, m.CurG)
}
