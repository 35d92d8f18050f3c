package debugger

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/service/api"
)

func (d *Debugger) ListBreakpoints() ([]*api.Breakpoint, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []*api.Breakpoint
	for _, b := range d.sortedBreakpoints() {
		out = append(out, d.apiBreakpoint(b))
	}
	return out, nil
}

func (d *Debugger) ClearBreakpoint(idOrName string) (*api.Breakpoint, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	b, err := d.mustFind(idOrName)
	if err != nil {
		return nil, err
	}
	out := d.apiBreakpoint(b)
	d.remove(b)
	return out, nil
}

func (d *Debugger) remove(b *breakpoint) {
	if !b.Disabled {
		d.disarm(b)
	}
	delete(d.bps().byID, b.ID)
	if b.watch != nil { // watch
		d.removeWatch(b)
	}
	for _, t := range d.group.Members() {
		d.dropSite(t.img, b)
	}
	d.dropSite(d.tgt.img, b)
	if b.catch != nil && !d.tgt.Exited() {
		d.updateSyscallCatch()
	}
}

func (d *Debugger) ClearAllBreakpoints(spec string) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var at map[uint64]bool
	if spec != "" {
		locs, err := d.resolve(spec)
		if err != nil {
			return 0, err
		}
		at = map[uint64]bool{}
		for _, l := range locs {
			at[l.PC] = true
		}
	}
	n := 0
	for _, b := range d.sortedBreakpoints() {
		if b.ID < 0 {
			continue
		}
		if at != nil && !anyAddr(d.addrs(b), at) {
			continue
		}
		d.remove(b)
		n++
	}
	return n, nil
}

func anyAddr(addrs []uint64, set map[uint64]bool) bool {
	for _, a := range addrs {
		if set[a] {
			return true
		}
	}
	return false
}

func (d *Debugger) SetCondition(idOrName, cond string) (*api.Breakpoint, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	b, err := d.mustFind(idOrName)
	if err != nil {
		return nil, err
	}
	if b.watch != nil { // watch
		return nil, fmt.Errorf("watchpoint %d: conditions on watchpoints are not supported (condition -hitcount is)", b.ID)
	}
	if err := d.setCond(b, cond); err != nil {
		return nil, err
	}
	if err := d.repad(b); err != nil { // pad (issue 17)
		return nil, err
	}
	return d.apiBreakpoint(b), nil
}

func (d *Debugger) SetHitCondition(idOrName, op string, n int) (*api.Breakpoint, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.setHitCondition(idOrName, op, n, false)
}

func (d *Debugger) setHitCondition(idOrName, op string, n int, perG bool) (*api.Breakpoint, error) {
	b, err := d.mustFind(idOrName)
	if err != nil {
		return nil, err
	}
	if err := b.hits.SetCond(op, n); err != nil {
		return nil, err
	}
	b.HitCond = fmt.Sprintf("%s %d", op, n)
	if perG {
		if err := d.setPerG(b); err != nil {
			return nil, err
		}
	}
	return d.apiBreakpoint(b), nil
}

func (d *Debugger) ToggleBreakpoint(idOrName string) (*api.Breakpoint, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	b, err := d.mustFind(idOrName)
	if err != nil {
		return nil, err
	}
	if _, err := d.live(); err != nil {
		return nil, err
	}
	if b.watch != nil { // watch
		if err := d.toggleWatch(b); err != nil {
			return nil, err
		}
		return d.apiBreakpoint(b), nil
	}
	if b.Disabled {
		b.Disabled = false
		if err := d.arm(b); err != nil {
			b.Disabled = true
			return nil, err
		}
	} else {
		d.disarm(b)
		b.Disabled = true
	}
	if b.catch != nil {
		d.updateSyscallCatch()
	}
	return d.apiBreakpoint(b), nil
}

// dropSite forgets b's site in img.
func (d *Debugger) dropSite(img *image, b *breakpoint) {
	if s := img.sites[b.ID]; s != nil {
		for _, a := range s.addrs {
			delete(img.byAddr, a)
		}
		delete(img.sites, b.ID)
	}
}

// rearm resolves every breakpoint again in an image that is new (exec)
// or moved (restart) and sets it in the targets running it. One the image
// lacks stays pending for a later one.
func (d *Debugger) rearm(img *image, p proc.Process) []string {
	var warnings []string
	for _, b := range d.sortedBreakpoints() {
		if b.watch != nil { // watch: set again in the new process
			if w := d.rewatch(b, p); w != "" {
				warnings = append(warnings, w)
			}
			continue
		}
		if b.catch != nil {
			continue
		}
		d.dropSite(img, b)
		s, err := d.resolveSite(img, p, b.Spec)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("breakpoint %d (%s) pending: %v", b.ID, b.Spec, err))
			img.sites[b.ID] = &site{err: err}
			continue
		}
		if err := d.bindSite(b, img, p, s); err != nil {
			warnings = append(warnings, fmt.Sprintf("breakpoint %d (%s): %v", b.ID, b.Spec, err))
		}
		img.sites[b.ID] = s
		for _, a := range s.addrs {
			img.byAddr[a] = b
		}
		if err := d.armImage(b, img); err != nil {
			warnings = append(warnings, err.Error())
		}
	}
	d.updateStopOnExec()
	return warnings
}

// internalBreakpoints stop a Go program on an unrecovered panic and on a
// fatal runtime error, as Delve does.
var internalBreakpoints = []struct {
	id         int
	name, spec string
}{
	{-1, "unrecovered-panic", "runtime.fatalpanic"},
	{-2, "fatal-throw", "runtime.fatalthrow"},
	// cgo: a fault in C code is fatal, and the runtime reports it from
	// here (no fatalthrow), as Delve's fatal-throw breakpoint does.
	{-3, "fatal-signal", "runtime.fatalsignal"},
}

// setInternalBreakpoints sets them in the current target's image if it
// is a Go program (rearm carries them into later images).
func (d *Debugger) setInternalBreakpoints() {
	img, p := d.tgt.img, d.proc()
	t := img.table(p)
	if t == nil || !t.IsGo() {
		return
	}
	for _, ib := range internalBreakpoints {
		if s := img.sites[ib.id]; s != nil && len(s.addrs) > 0 {
			continue
		}
		s, err := d.resolveSite(img, p, ib.spec)
		if err != nil || len(s.addrs) == 0 {
			continue
		}
		b := d.bps().byID[ib.id]
		if b == nil {
			b = &breakpoint{Breakpoint: api.Breakpoint{ID: ib.id, Name: ib.name, Spec: ib.spec, HitsByThread: map[int]int{}}}
		}
		img.sites[b.ID] = s
		if d.armImage(b, img) == nil {
			d.register(b)
		} else {
			delete(img.sites, b.ID)
		}
	}
}

// perG: condition -per-g-hitcount (the counting is ptarget.Hits').

// SetPerGHitCondition makes a breakpoint stop only when the hitting
// goroutine's own hit count satisfies op n.
func (d *Debugger) SetPerGHitCondition(idOrName, op string, n int) (*api.Breakpoint, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.setHitCondition(idOrName, op, n, true)
}

// setPerG makes b's hit condition count per goroutine; only Go programs
// have goroutines.
func (d *Debugger) setPerG(b *breakpoint) error {
	if err := b.hits.CountPerG(d.table()); err != nil {
		return fmt.Errorf("breakpoint %d: %w", b.ID, err)
	}
	b.HitCond = "per goroutine " + b.HitCond
	return nil
}
