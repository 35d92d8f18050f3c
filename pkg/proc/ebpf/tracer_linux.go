package ebpf

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/ringbuf"

	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/symbols"
)

// ringSize is the ring buffer's size: about 100,000 records of a
// two-argument probe.
const ringSize = 32 << 20

// Config says what to trace.
type Config struct {
	Path    string // the executable the uprobes go in
	Pid     int    // only this process (0: every process running Path)
	Table   *symbols.Table
	Bias    uint64 // the process's load bias (PIE)
	Probes  []Probe
	GoidOff int // offset of runtime.g.goid; -1: not Go
	Stack   int // caller frames per call
	// Loader decodes values (nil: values are not shown).
	Loader *values.Loader
	// Sink receives every event, on the reader goroutine.
	Sink func(Event)
}

// Tracer is a set of attached probes and the goroutine reading them.
type Tracer struct {
	cfg    Config
	events *ebpf.Map
	drops  *ebpf.Map
	progs  []*ebpf.Program
	// With one uprobe_multi link (multi): the program every probe runs,
	// which tail-calls the probe's own program from jump.
	multi    bool
	dispatch *ebpf.Program
	jump     *ebpf.Map
	links    []link.Link
	rd       *ringbuf.Reader
	done     chan error
	mem      *os.File
	boot     time.Time // wall time of CLOCK_MONOTONIC zero
	count    atomic.Uint64
}

// Start loads a program per probe, attaches them and starts reading.
func Start(cfg Config) (*Tracer, error) {
	if err := CheckCapabilities(); err != nil {
		return nil, err
	}
	t, err := start(cfg, !anyC(cfg.Probes)) // cgo: C functions need a perf event each (placed by file offset)
	if err != nil {
		// A kernel without uprobe_multi links (before 6.6): a perf
		// event per probe.
		t, err = start(cfg, false)
	}
	if err != nil {
		return nil, err
	}
	if cfg.Pid != 0 {
		t.mem, _ = os.Open(fmt.Sprintf("/proc/%d/mem", cfg.Pid))
	}
	go func() { t.done <- t.read() }()
	return t, nil
}

// start loads and attaches the probes, all in one uprobe_multi link if
// multi: removing a uprobe waits for the kernel's RCU grace periods
// (about 0.1 s here) and removals do not overlap, so a perf event per
// probe costs that much per probe at the end, a link once.
func start(cfg Config, multi bool) (*Tracer, error) {
	t := &Tracer{cfg: cfg, multi: multi, done: make(chan error, 1), boot: monotonicZero()}
	if err := t.load(); err != nil {
		t.close()
		return nil, err
	}
	if err := t.attach(); err != nil {
		t.close()
		return nil, err
	}
	return t, nil
}

func (t *Tracer) load() error {
	var err error
	t.events, err = ebpf.NewMap(&ebpf.MapSpec{Name: "godbg_events", Type: ebpf.RingBuf, MaxEntries: ringSize})
	if err != nil {
		return kernelRefused("a ring buffer map", err)
	}
	if t.rd, err = ringbuf.NewReader(t.events); err != nil {
		return err
	}
	t.drops, err = ebpf.NewMap(&ebpf.MapSpec{Name: "godbg_drops", Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: 1})
	if err != nil {
		return kernelRefused("an array map", err)
	}
	depth := min(t.cfg.Stack+1, MaxStack)
	if t.cfg.Stack == 0 {
		depth = 0
	}
	var at ebpf.AttachType
	if t.multi {
		at = ebpf.AttachTraceUprobeMulti
		t.jump, err = ebpf.NewMap(&ebpf.MapSpec{Name: "godbg_jump", Type: ebpf.ProgramArray, KeySize: 4, ValueSize: 4,
			MaxEntries: uint32(max(len(t.cfg.Probes), 1))})
		if err != nil {
			return kernelRefused("a program array map", err)
		}
		t.dispatch, err = ebpf.NewProgram(&ebpf.ProgramSpec{Name: "godbg_dispatch", Type: ebpf.Kprobe,
			AttachType: at, License: "GPL", Instructions: dispatcher(t.jump)})
		if err != nil {
			return kernelRefused("the BPF dispatch program", err)
		}
	}
	for i := range t.cfg.Probes {
		p := &t.cfg.Probes[i]
		prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
			Name: "godbg_probe", Type: ebpf.Kprobe, AttachType: at, License: "GPL",
			Instructions: program(p, i, t.events, t.drops, t.cfg.GoidOff, depth),
		})
		if err != nil {
			return kernelRefused(fmt.Sprintf("the BPF program for %s at %#x", p.Func.Name, p.PC), err)
		}
		t.progs = append(t.progs, prog)
		if t.multi {
			if err := t.jump.Put(uint32(i), prog); err != nil {
				return kernelRefused("a program array entry", err)
			}
		}
	}
	return nil
}

func (t *Tracer) attach() error {
	ex, err := link.OpenExecutable(t.cfg.Path)
	if err != nil {
		return fmt.Errorf("uprobes on %s: %w", t.cfg.Path, err)
	}
	if t.multi {
		n := len(t.cfg.Probes)
		syms, offs, cookies := make([]string, n), make([]uint64, n), make([]uint64, n)
		for i, p := range t.cfg.Probes {
			fn := p.at()
			syms[i], offs[i], cookies[i] = fn.Name, p.PC-fn.Entry, uint64(i)
		}
		l, err := ex.UprobeMulti(syms, t.dispatch, &link.UprobeMultiOptions{Offsets: offs, Cookies: cookies, PID: uint32(t.cfg.Pid)})
		if err != nil {
			return kernelRefused("a uprobe_multi link", err)
		}
		t.links = append(t.links, l)
		return nil
	}
	for i, p := range t.cfg.Probes {
		fn := p.at()
		sym, opts := uprobeAt(t.cfg.Table, fn, p.PC, t.cfg.Pid) // cgo: C functions by file offset
		l, err := ex.Uprobe(sym, t.progs[i], opts)
		if err != nil {
			return kernelRefused(fmt.Sprintf("a uprobe at %s+%#x", fn.Name, p.PC-fn.Entry), err)
		}
		t.links = append(t.links, l)
	}
	return nil
}

// anyC reports whether a probe sits in a C function, which the one-link
// path (symbol names) cannot place.
func anyC(probes []Probe) bool {
	for i := range probes {
		if probes[i].at().C {
			return true
		}
	}
	return false
}

// at is the function holding the probe's pc.
func (p *Probe) at() *symbols.Func {
	if p.Site != nil {
		return p.Site
	}
	return p.Func
}

// Detach removes every probe; records already in the ring buffer are
// still read. Calls after this one are not seen.
func (t *Tracer) Detach() {
	for _, l := range t.links {
		l.Close()
	}
	t.links = nil
}

// Stop removes the probes, reads what the ring buffer still holds and
// ends the reader. It returns how many events the kernel dropped.
func (t *Tracer) Stop() (dropped uint64, err error) {
	t.Detach()
	if err := t.rd.Flush(); err != nil {
		t.rd.Close()
	}
	err = <-t.done
	t.drops.Lookup(uint32(0), &dropped)
	t.close()
	return dropped, err
}

// Events returns how many events were read so far.
func (t *Tracer) Events() uint64 { return t.count.Load() }

func (t *Tracer) close() {
	t.Detach()
	if t.rd != nil {
		t.rd.Close()
	}
	for _, p := range append(t.progs, t.dispatch) {
		if p != nil {
			p.Close()
		}
	}
	for _, m := range []*ebpf.Map{t.events, t.drops, t.jump} {
		if m != nil {
			m.Close()
		}
	}
	if t.mem != nil {
		t.mem.Close()
	}
}

// pollEvery bounds how long a record waits in the ring buffer: probes
// wake the reader only once wakeBytes are waiting, so the reader also
// wakes on this timer (a few wakeups a second, not a busy poll).
const pollEvery = 50 * time.Millisecond

// read decodes records until Stop flushes the ring buffer.
func (t *Tracer) read() error {
	var rec ringbuf.Record
	t.rd.SetDeadline(time.Now().Add(pollEvery))
	for {
		if err := t.rd.ReadInto(&rec); err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				t.rd.SetDeadline(time.Now().Add(pollEvery))
				continue
			}
			if errors.Is(err, ringbuf.ErrFlushed) || errors.Is(err, ringbuf.ErrClosed) {
				return nil
			}
			return err
		}
		if ev, ok := t.decode(rec.RawSample); ok {
			t.count.Add(1)
			t.cfg.Sink(ev)
		}
	}
}
