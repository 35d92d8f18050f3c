package debugger

import (
	"bytes"
	"debug/dwarf"
	"errors"
	"fmt"
	"strings"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/expr"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/service/api"
)

// A watchpoint is a logical breakpoint (listed, cleared and toggled with
// the others) whose hits come from the backend's proc.Watcher. Its
// condition, run on the tracer thread at each hit, keeps the bytes last
// seen: a read watch (a read-or-write debug register on amd64) skips the
// hits that changed the value, which were writes, and the stop line
// shows the value before and after the access.

// watch is what a breakpoint that is a watchpoint adds.
type watch struct {
	expr  string
	kind  proc.WatchKind
	addr  uint64
	size  int
	typ   dwarf.Type
	mech  string
	last  []byte // the bytes after the last hit (or when set)
	prev  []byte // the bytes before the last hit
	p     proc.Process
	scope *watchScope // for a local: its frame and goroutine
}

var errNotWatchable = errors.New("not watchable")

func parseWatchKind(s string) (proc.WatchKind, error) {
	switch s {
	case "", "w", "-w":
		return proc.WatchWrite, nil
	case "r", "-r":
		return proc.WatchRead, nil
	case "rw", "-rw", "wr":
		return proc.WatchRead | proc.WatchWrite, nil
	}
	return 0, fmt.Errorf("unknown watch kind %q; use -r, -w or -rw", s)
}

func (d *Debugger) CreateWatchpoint(src, kindText string) (*api.Breakpoint, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	kind, err := parseWatchKind(kindText)
	if err != nil {
		return nil, err
	}
	if _, err := d.live(); err != nil {
		return nil, err
	}
	p := d.tgt.Proc
	if _, ok := p.(proc.Watcher); !ok {
		return nil, fmt.Errorf("cannot watch %s: this target has no watchpoints (%w)", src, proc.ErrNotSupported)
	}
	w, err := d.watchTarget(src)
	if err != nil {
		return nil, err
	}
	w.kind, w.p = kind, p
	b := &breakpoint{Breakpoint: api.Breakpoint{ID: d.bps().nextID, Spec: src, HitsByThread: map[int]int{}}, watch: w}
	if err := d.armWatch(b); err != nil {
		return nil, err
	}
	if err := d.scopeWatch(b); err != nil {
		d.disarmWatch(b)
		return nil, err
	}
	d.bps().nextID++
	d.bps().byID[b.ID] = b
	return d.apiBreakpoint(b), nil
}

// watchTarget evaluates src in the selected frame to the memory it names.
func (d *Debugger) watchTarget(src string) (*watch, error) {
	if strings.HasPrefix(src, "$") {
		return nil, fmt.Errorf("cannot watch %s: %w: a register is not memory; give a variable, field, element or *pointer", src, errNotWatchable)
	}
	s, err := d.scope()
	if err != nil {
		return nil, err
	}
	v, err := expr.Eval(s, src, values.LoadConfig{MaxStringLen: 1})
	if err != nil {
		return nil, fmt.Errorf("cannot watch %s: %w", src, err)
	}
	if v.Addr == 0 {
		return nil, fmt.Errorf("cannot watch %s: %w: it is not in memory (a computed value, a constant or a register); give a variable, field, element or *pointer", src, errNotWatchable)
	}
	if v.Size <= 0 {
		return nil, fmt.Errorf("cannot watch %s: %w: its type %s has no size", src, errNotWatchable, v.TypeName)
	}
	w := &watch{expr: src, addr: v.Addr, size: int(v.Size), typ: v.Type}
	w.last = make([]byte, w.size)
	if _, err := d.proc().ReadMemory(w.addr, w.last); err != nil {
		return nil, fmt.Errorf("cannot watch %s at %#x: %w", src, w.addr, err)
	}
	return w, nil
}

// armWatch sets the watchpoint in the backend.
func (d *Debugger) armWatch(b *breakpoint) error {
	w := b.watch
	mech, err := w.p.(proc.Watcher).SetWatchpoint(w.addr, w.size, w.kind, d.watchCond(b))
	if err != nil {
		return fmt.Errorf("cannot watch %s (%d bytes at %#x): %w", w.expr, w.size, w.addr, err)
	}
	w.mech = mech
	return nil
}

func (d *Debugger) disarmWatch(b *breakpoint) {
	w := b.watch
	if !w.p.Exited() {
		w.p.(proc.Watcher).ClearWatchpoint(w.addr)
	}
}

// watchCond runs on the tracer thread at each hit.
func (d *Debugger) watchCond(b *breakpoint) proc.BreakCond {
	w := b.watch
	return func(h proc.Hit) (bool, error) {
		cur := make([]byte, w.size)
		if _, err := h.ReadMemory(w.addr, cur); err != nil {
			return true, fmt.Errorf("watchpoint %d: reading %s: %w", b.ID, w.expr, err)
		}
		changed := !bytes.Equal(cur, w.last)
		if w.kind == proc.WatchRead && changed {
			w.last = cur // a write seen by the read-or-write register
			return false, nil
		}
		w.prev, w.last = w.last, cur
		b.hits.Hit(h.Tid())
		if !b.hits.Allows(b.hits.Total) {
			return false, nil
		}
		return true, nil
	}
}

// watchResync re-reads every watched value before the program runs: the
// user may have changed one with set.
func (d *Debugger) watchResync() {
	for _, b := range d.bps().byID {
		if w := b.watch; w != nil && !w.p.Exited() {
			w.p.ReadMemory(w.addr, w.last)
		}
	}
}

// watchByAddr finds the armed watchpoint at addr in process p.
func (d *Debugger) watchByAddr(p proc.Process, addr uint64) *breakpoint {
	for _, b := range d.bps().byID {
		if w := b.watch; w != nil && w.p == p && w.addr == addr && !b.Disabled {
			return b
		}
	}
	return nil
}

// formatWatched renders watched bytes as the expression's type.
func (d *Debugger) formatWatched(w *watch, data []byte) string {
	l, err := d.loader()
	if err != nil || data == nil {
		return "?"
	}
	return values.Format(l.LoadBytes(d.proc(), w.expr, w.typ, data, values.DefaultLoadConfig))
}

// apiWatch describes a watchpoint for api.Breakpoint.
func apiWatch(w *watch) *api.Watch {
	aw := &api.Watch{Expr: w.expr, Kind: w.kind.String(), Addr: w.addr, Size: w.size, Mechanism: w.mech}
	if w.scope != nil {
		aw.Scope = w.scope.fn
	}
	return aw
}

// toggleWatch enables or disables a watchpoint.
func (d *Debugger) toggleWatch(b *breakpoint) error {
	if b.Disabled {
		d.watchResync()
		if err := d.armWatch(b); err != nil {
			return err
		}
		b.Disabled = false
		return nil
	}
	d.disarmWatch(b)
	b.Disabled = true
	return nil
}

// removeWatch clears a watchpoint and what follows its scope.
func (d *Debugger) removeWatch(b *breakpoint) {
	if !b.Disabled {
		d.disarmWatch(b)
	}
	d.unscopeWatch(b)
}

func init() { reasonNames[proc.StopWatchpoint] = "watchpoint" }

// watchState describes a watchpoint's stop in st.
func (d *Debugger) watchState(st *api.State) {
	if d.last == nil {
		return
	}
	if g := d.watchGone; g.at == d.last && len(g.list) > 0 {
		st.Reason = "watchpoint"
		ws := g.list[0]
		st.Watch = &ws
		return
	}
	if d.last.Reason != proc.StopWatchpoint {
		return
	}
	b := d.watchByAddr(d.tgt.Proc, d.last.Addr)
	if b == nil {
		return
	}
	w := b.watch
	st.Breakpoint = d.apiBreakpoint(b)
	if ct := st.CurrentThread; ct != nil && st.StopThread == ct.ID {
		ct.Location = d.accessLocation(ct.Location.PC)
	}
	st.Watch = &api.WatchStop{ID: b.ID, Expr: w.expr}
	st.Watch.Old, st.Watch.New = d.watchChange(w)
	if d.last.CondErr != nil {
		st.CondError = d.last.CondErr.Error()
	}
}

// accessLocation is where the instruction ending at pc (the access a
// data breakpoint trapped after) is, with pc kept.
func (d *Debugger) accessLocation(pc uint64) api.Location {
	loc := d.location(pc)
	tab := d.table()
	if tab == nil {
		return loc
	}
	bias := d.bias()
	fn := tab.PCToFunc(pc - bias)
	if fn == nil {
		return loc
	}
	for _, in := range d.code(fn) {
		if in.PC+uint64(in.Len) == pc-bias {
			l := d.location(in.PC + bias)
			l.PC = pc
			return l
		}
	}
	return loc
}

// bigWatch is the size above which a stop shows the first changed byte
// instead of the whole value.
const bigWatch = 64

// watchChange renders the value before and after the last hit.
func (d *Debugger) watchChange(w *watch) (string, string) {
	if w.size <= bigWatch {
		return d.formatWatched(w, w.prev), d.formatWatched(w, w.last)
	}
	for i := range w.last {
		if i < len(w.prev) && w.prev[i] != w.last[i] {
			return fmt.Sprintf("byte %d = %#02x", i, w.prev[i]), fmt.Sprintf("%#02x", w.last[i])
		}
	}
	return fmt.Sprintf("%d bytes unchanged", w.size), "unchanged"
}

// rewatch sets a watchpoint again in a new process or image (restart,
// exec): a global is evaluated again, a local is gone.
func (d *Debugger) rewatch(b *breakpoint, p proc.Process) string {
	w := b.watch
	if w.p != p && !w.p.Exited() {
		return "" // another target's image
	}
	if !w.p.Exited() {
		w.p.(proc.Watcher).ClearWatchpoint(w.addr) // an exec dropped it already
	}
	if w.scope != nil {
		w.scope = nil // its goroutine is gone with the old program
		d.remove(b)
		return fmt.Sprintf("watchpoint %d (%s) removed: the local it watched is gone", b.ID, w.expr)
	}
	nw, err := d.watchTarget(w.expr)
	if err == nil {
		if _, ok := p.(proc.Watcher); !ok {
			err = proc.ErrNotSupported
		}
	}
	if err != nil {
		b.Disabled = true
		return fmt.Sprintf("watchpoint %d (%s) disabled: %v", b.ID, w.expr, err)
	}
	w.p, w.addr, w.size, w.typ, w.last, w.prev = p, nw.addr, nw.size, nw.typ, nw.last, nil
	if b.Disabled {
		return ""
	}
	if err := d.armWatch(b); err != nil {
		b.Disabled = true
		return fmt.Sprintf("watchpoint %d (%s) disabled: %v", b.ID, w.expr, err)
	}
	return ""
}
