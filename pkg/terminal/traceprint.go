package terminal

import (
	"bufio"
	"fmt"
	"io"
	"math/bits"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/godbg/godbg/service/api"
)

// TraceMode says what godbg trace prints.
type TraceMode int

const (
	// TraceLines prints a line per call and per return, as dlv trace.
	TraceLines TraceMode = iota
	// TraceCount prints call counts per function (and goroutine) at the end.
	TraceCount
	// TraceLatency prints a histogram of call durations per function at
	// the end.
	TraceLatency
)

// maxCountGoroutines bounds the per-goroutine lines under each function.
const maxCountGoroutines = 100

// TracePrinter renders the events of godbg trace from either backend. It
// is safe for concurrent use: events come from the tracer thread (or the
// eBPF reader), Flush from a timer.
type TracePrinter struct {
	mu     sync.Mutex
	w      *bufio.Writer
	mode   TraceMode
	counts map[string]map[int64]int
	open   map[traceKey][]time.Time // entry times of unfinished calls
	lat    map[string]*latencyHist
	buf    []byte // plainLine's
}

type traceKey struct {
	g  int64
	fn string
}

// NewTracePrinter writes to w (godbg's standard error or --output).
func NewTracePrinter(w io.Writer, mode TraceMode) *TracePrinter {
	return &TracePrinter{w: bufio.NewWriterSize(w, 64<<10), mode: mode,
		counts: map[string]map[int64]int{}, open: map[traceKey][]time.Time{}, lat: map[string]*latencyHist{}}
}

// Event records one call or return.
func (p *TracePrinter) Event(e api.TraceEvent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch p.mode {
	case TraceLines:
		p.line(e)
	case TraceCount:
		if !e.Return {
			p.count(e)
		}
	case TraceLatency:
		p.latency(e)
	}
}

func (p *TracePrinter) count(e api.TraceEvent) {
	m := p.counts[e.Func]
	if m == nil {
		m = map[int64]int{}
		p.counts[e.Func] = m
	}
	m[e.Goroutine]++
}

// traceWho names who made a call: its goroutine or, when it runs none (a
// C program, a C thread of a cgo program, a C function under --ebpf),
// its thread.
func traceWho(e api.TraceEvent) string { return string(appendWho(nil, e)) }

// appendWho appends traceWho's text to b.
func appendWho(b []byte, e api.TraceEvent) []byte {
	if e.Goroutine == 0 && e.Tid != 0 {
		b = append(b, "thread("...)
		b = strconv.AppendInt(b, int64(e.Tid), 10)
	} else {
		b = append(b, "goroutine("...)
		b = strconv.AppendInt(b, e.Goroutine, 10)
	}
	return append(b, ')')
}

func (p *TracePrinter) line(e api.TraceEvent) {
	if e.Depth == 0 && len(e.Stack) == 0 {
		p.plainLine(e)
		return
	}
	vals := make([]string, len(e.Values))
	for i, v := range e.Values {
		vals[i] = v.Value
	}
	// --follow-calls: dlv's frame(D) after the goroutine, indented D-1.
	indent, frame := "", ""
	if e.Depth > 0 {
		indent, frame = strings.Repeat(" ", e.Depth-1), fmt.Sprintf("frame(%d)", e.Depth)
	}
	if e.Return {
		fmt.Fprintf(p.w, "%s>> %s:%s %s => (%s)\n", indent, traceWho(e), frame, e.Func, strings.Join(vals, ","))
		return
	}
	fmt.Fprintf(p.w, "%s> %s:%s %s(%s)\n", indent, traceWho(e), frame, e.Func, strings.Join(vals, ", "))
	for _, f := range e.Stack {
		fmt.Fprintf(p.w, "\t%s %s:%d\n", f.Function, filepath.Base(f.File), f.Line)
	}
}

// plainLine is line for an event without depth or stack, written
// without fmt: at eBPF rates (≈10^5 events/s) formatting is most of
// godbg's own work.
func (p *TracePrinter) plainLine(e api.TraceEvent) {
	b := p.buf[:0]
	if e.Return {
		b = append(b, '>')
	}
	b = append(b, "> "...)
	b = appendWho(b, e)
	b = append(b, ": "...)
	b = append(b, e.Func...)
	sep := ", "
	if e.Return {
		b, sep = append(b, " => ("...), ","
	} else {
		b = append(b, '(')
	}
	for i, v := range e.Values {
		if i > 0 {
			b = append(b, sep...)
		}
		b = append(b, v.Value...)
	}
	b = append(b, ")\n"...)
	p.w.Write(b)
	p.buf = b
}

func (p *TracePrinter) latency(e api.TraceEvent) {
	k := traceKey{e.Goroutine, e.Func}
	if !e.Return {
		p.open[k] = append(p.open[k], e.Time)
		return
	}
	st := p.open[k]
	if len(st) == 0 {
		return // entered before the trace began
	}
	start := st[len(st)-1]
	if len(st) == 1 {
		delete(p.open, k)
	} else {
		p.open[k] = st[:len(st)-1]
	}
	h := p.lat[e.Func]
	if h == nil {
		h = &latencyHist{}
		p.lat[e.Func] = h
	}
	h.add(e.Time.Sub(start))
}

// Flush writes what is buffered.
func (p *TracePrinter) Flush() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.w.Flush()
}

// Close prints the summary of the count and latency modes and flushes.
func (p *TracePrinter) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch p.mode {
	case TraceCount:
		p.printCounts()
	case TraceLatency:
		p.printLatency()
	}
	return p.w.Flush()
}

func (p *TracePrinter) printCounts() {
	for _, fn := range sortedKeys(p.counts) {
		byG := p.counts[fn]
		total := 0
		gs := make([]int64, 0, len(byG))
		for g, n := range byG {
			total += n
			gs = append(gs, g)
		}
		sort.Slice(gs, func(i, j int) bool { return gs[i] < gs[j] })
		fmt.Fprintf(p.w, "%s: %d calls in %d goroutines\n", fn, total, len(gs))
		for i, g := range gs {
			if i == maxCountGoroutines {
				fmt.Fprintf(p.w, "\t... %d more goroutines\n", len(gs)-i)
				break
			}
			fmt.Fprintf(p.w, "\tgoroutine(%d): %d\n", g, byG[g])
		}
	}
}

func (p *TracePrinter) printLatency() {
	for _, fn := range sortedKeys(p.lat) {
		p.lat[fn].print(p.w, fn)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// latencyHist counts durations in power-of-two microsecond buckets, as
// bcc's funclatency.
type latencyHist struct {
	buckets  [40]int
	n        int
	sum, max time.Duration
}

func (h *latencyHist) add(d time.Duration) {
	us := uint64(max(d, 0) / time.Microsecond)
	h.buckets[min(bits.Len64(us), len(h.buckets)-1)]++
	h.n++
	h.sum += d
	h.max = max(h.max, d)
}

func (h *latencyHist) print(w io.Writer, fn string) {
	fmt.Fprintf(w, "%s: %d calls, mean %v, max %v\n", fn, h.n, h.sum/time.Duration(max(h.n, 1)), h.max)
	fmt.Fprintf(w, "%22s : %-8s |%-40s|\n", "usecs", "count", "distribution")
	top := 0
	last := 0
	for i, c := range h.buckets {
		top = max(top, c)
		if c > 0 {
			last = i
		}
	}
	for i := 0; i <= last; i++ {
		lo, hi := uint64(0), uint64(0)
		if i > 0 {
			lo, hi = 1<<(i-1), 1<<i-1
		}
		bar := strings.Repeat("*", h.buckets[i]*40/max(top, 1))
		fmt.Fprintf(w, "%10d -> %-9d : %-8d |%-40s|\n", lo, hi, h.buckets[i], bar)
	}
}
