package goroutines

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"iter"
	"slices"
)

// Options select what List and Each report.
type Options struct {
	IncludeDead bool // also report dead goroutines (Status.Dead), hidden by default
	NoLabels    bool // do not read pprof labels
}

const (
	ptrChunk      = 1 << 16 // allgs entries per read (512 KiB)
	window        = 1024    // goroutines decoded, sorted by address, at a time
	maxRead       = 64 << 10
	maxGap        = 4 << 10 // unneeded bytes a merged read may span
	maxGoroutines = 1 << 26
	maxUserAddr   = 1 << 57 // above any amd64 user-space address
)

// List returns the goroutines in runtime.allgs order. If some could not
// be read it returns the others and a *PartialError.
func (r *Reader) List(opt Options) ([]G, error) {
	var out []G
	err := r.each(opt, func(n int) { out = make([]G, 0, n) }, func(g G) bool {
		out = append(out, g)
		return true
	})
	return out, err
}

// Each calls fn for each goroutine in runtime.allgs order until fn
// returns false, holding at most a few thousand goroutines in memory.
// Unreadable goroutines are skipped and reported at the end as a
// *PartialError; a failure to read allgs itself is a *ReadError.
func (r *Reader) Each(opt Options, fn func(G) bool) error { return r.each(opt, nil, fn) }

// All is Each as an iterator. A failure is yielded once, last, with a
// zero G.
func (r *Reader) All(opt Options) iter.Seq2[G, error] {
	return func(yield func(G, error) bool) {
		stopped := false
		err := r.Each(opt, func(g G) bool {
			stopped = !yield(g, nil)
			return !stopped
		})
		if err != nil && !stopped {
			yield(G{}, err)
		}
	}
}

// Find returns the live goroutine with the given id.
func (r *Reader) Find(id int64) (G, error) {
	var found G
	ok := false
	err := r.Each(Options{}, func(g G) bool {
		if g.ID == id {
			found, ok = g, true
		}
		return !ok
	})
	if ok {
		return found, nil
	}
	if err != nil {
		return G{}, err
	}
	return G{}, fmt.Errorf("goroutine %d: %w", id, ErrNoGoroutine)
}

func (r *Reader) each(opt Options, sizeHint func(int), fn func(G) bool) error {
	base, n, err := r.allgsArray()
	if err != nil {
		return err
	}
	if sizeHint != nil {
		sizeHint(n)
	}
	ls := r.newLister(opt)
	ptrs := make([]uint64, min(n, ptrChunk))
	raw := make([]byte, 8*len(ptrs))
	for i := 0; i < n; i += len(ptrs) {
		k := min(len(ptrs), n-i)
		addr := base + uint64(8*i)
		if err := readFull(r.mem, addr, raw[:8*k]); err != nil {
			return &ReadError{What: "runtime.allgs", Addr: addr, Err: err}
		}
		for j := range k {
			ptrs[j] = binary.LittleEndian.Uint64(raw[8*j:])
		}
		for j := 0; j < k; j += window {
			if !ls.window(ptrs[j:min(j+window, k)], fn) {
				return ls.result()
			}
		}
	}
	return ls.result()
}

// allgsArray returns the address and length of the array of *g. It uses
// allglen and allgptr when the runtime has them: allgadd stores allgptr
// before allglen, so a process stopped anywhere has at least allglen
// entries at allgptr, whereas the allgs slice header may be mid-update.
func (r *Reader) allgsArray() (uint64, int, error) {
	var base, n uint64
	var err error
	if r.l.allglen != 0 {
		if n, err = r.readUint64("runtime.allglen", r.l.allglen+r.bias); err != nil {
			return 0, 0, err
		}
		if base, err = r.readUint64("runtime.allgptr", r.l.allgptr+r.bias); err != nil {
			return 0, 0, err
		}
	} else {
		var hdr [16]byte
		if err := readFull(r.mem, r.l.allgs+r.bias, hdr[:]); err != nil {
			return 0, 0, &ReadError{What: "runtime.allgs", Addr: r.l.allgs + r.bias, Err: err}
		}
		base, n = binary.LittleEndian.Uint64(hdr[:]), binary.LittleEndian.Uint64(hdr[8:])
	}
	if n > maxGoroutines || (n > 0 && (base == 0 || base >= maxUserAddr)) {
		return 0, 0, fmt.Errorf("runtime.allgs: %d entries at %#x: the process's memory looks corrupt", n, base)
	}
	return base, int(n), nil
}

// lister decodes one window of allgs at a time, reading the gs in
// address order and merging reads of neighbours.
type lister struct {
	r       *Reader
	opt     Options
	threads map[uint64]int // runtime.m → tid
	order   []int
	gs      []G
	extra   []gExtra
	ok      []bool
	buf     []byte
	skipped int
	first   error
}

func (r *Reader) newLister(opt Options) *lister {
	ls := &lister{r: r, opt: opt, threads: map[uint64]int{}, buf: make([]byte, max(maxRead, r.l.g.len()))}
	ms, _ := r.Ms() // a g whose m is not on allm is looked up alone
	for _, m := range ms {
		ls.threads[m.Addr] = m.ThreadID
	}
	return ls
}

func (ls *lister) skip(err error) {
	if ls.skipped == 0 {
		ls.first = err
	}
	ls.skipped++
}

func (ls *lister) result() error {
	if ls.skipped > 0 {
		return &PartialError{Skipped: ls.skipped, Err: ls.first}
	}
	return nil
}

// window reports the goroutines at ptrs in order; false if fn said stop.
func (ls *lister) window(ptrs []uint64, fn func(G) bool) bool {
	n := len(ptrs)
	ls.gs, ls.extra, ls.ok = slices.Grow(ls.gs[:0], n)[:n], slices.Grow(ls.extra[:0], n)[:n], slices.Grow(ls.ok[:0], n)[:n]
	ls.order = ls.order[:0]
	for i, p := range ptrs {
		ls.ok[i] = false
		switch {
		case p == 0:
		case p >= maxUserAddr || p%8 != 0:
			ls.skip(&ReadError{What: "allgs entry", Addr: p, Err: fmt.Errorf("not a g pointer")})
		default:
			ls.order = append(ls.order, i)
		}
	}
	slices.SortFunc(ls.order, func(a, b int) int { return cmp.Compare(ptrs[a], ptrs[b]) })
	size := uint64(ls.r.l.g.len())
	lo := uint64(ls.r.l.g.lo)
	for a := 0; a < len(ls.order); {
		start := ptrs[ls.order[a]] + lo
		end := start + size
		b := a + 1
		for ; b < len(ls.order); b++ {
			p := ptrs[ls.order[b]] + lo
			if p > end+maxGap || p+size-start > maxRead {
				break
			}
			end = max(end, p+size)
		}
		ls.readRun(ptrs, ls.order[a:b], start, end)
		a = b
	}
	for i := range ptrs {
		if !ls.ok[i] || (ls.gs[i].Status.Dead() && !ls.opt.IncludeDead) {
			continue
		}
		ls.finish(&ls.gs[i], ls.extra[i])
		if !fn(ls.gs[i]) {
			return false
		}
	}
	return true
}

// readRun reads the gs idx (sorted by address) with one read of
// [start, end), or one by one if that fails (an unmapped gap).
func (ls *lister) readRun(ptrs []uint64, idx []int, start, end uint64) {
	l := ls.r.l
	size := l.g.len()
	buf := ls.buf[:end-start]
	err := readFull(ls.r.mem, start, buf)
	for _, i := range idx {
		at := ptrs[i] + uint64(l.g.lo)
		b := buf[at-start:][:size]
		if err != nil {
			b = ls.buf[:size]
			if err := readFull(ls.r.mem, at, b); err != nil {
				ls.skip(&ReadError{What: gWhat(ptrs[i]), Addr: at, Err: err})
				continue
			}
		}
		ls.extra[i] = l.decodeG(ptrs[i], b, &ls.gs[i])
		ls.ok[i] = true
	}
}

// finish fills what needs reads beyond the g itself.
func (ls *lister) finish(g *G, x gExtra) {
	r := ls.r
	if (g.Status == StatusWaiting || g.Status == StatusLeaked) && r.l.g.waitReason.present() {
		g.WaitReason = r.waitReason(x.wait)
	}
	if g.M != 0 {
		tid, ok := ls.threads[g.M]
		if !ok {
			if m, _, err := r.readM(g.M); err == nil {
				tid = m.ThreadID
			}
			ls.threads[g.M] = tid
		}
		g.ThreadID = tid
	}
	if !ls.opt.NoLabels {
		g.Labels = r.readLabels(x.labels)
	}
}
