package debugger

import (
	"fmt"

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
	d.remove(b)
	return d.apiBreakpoint(b), nil
}

func (d *Debugger) remove(b *breakpoint) {
	if !b.Disabled && !d.proc().Exited() {
		d.disarm(b)
	}
	delete(d.bps().byID, b.ID)
	for _, a := range b.addrs {
		delete(d.bps().byAddr, a)
	}
	if b.catch != nil && !d.proc().Exited() {
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
		if at != nil && !anyAddr(b.addrs, at) {
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
	if err := d.setCond(b, cond); err != nil {
		return nil, err
	}
	return d.apiBreakpoint(b), nil
}

func (d *Debugger) SetHitCondition(idOrName, op string, n int) (*api.Breakpoint, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	b, err := d.mustFind(idOrName)
	if err != nil {
		return nil, err
	}
	var f func(int) bool
	switch op {
	case "==":
		f = func(h int) bool { return h == n }
	case "!=":
		f = func(h int) bool { return h != n }
	case "<":
		f = func(h int) bool { return h < n }
	case "<=":
		f = func(h int) bool { return h <= n }
	case ">":
		f = func(h int) bool { return h > n }
	case ">=":
		f = func(h int) bool { return h >= n }
	case "%":
		if n == 0 {
			return nil, fmt.Errorf("hit condition %% 0 divides by zero")
		}
		f = func(h int) bool { return h%n == 0 }
	default:
		return nil, fmt.Errorf("unknown hit-count operator %q; use one of == != < <= > >= %%", op)
	}
	b.hitCond, b.HitCond = f, fmt.Sprintf("%s %d", op, n)
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
	if b.Disabled {
		if err := d.arm(b); err != nil {
			return nil, err
		}
	} else {
		d.disarm(b)
	}
	b.Disabled = !b.Disabled
	if b.catch != nil {
		d.updateSyscallCatch()
	}
	return d.apiBreakpoint(b), nil
}

// rearm sets every breakpoint again in a new process (restart),
// re-resolving its spec for the new load address.
func (d *Debugger) rearm() []string {
	var warnings []string
	for _, b := range d.sortedBreakpoints() {
		if b.catch != nil {
			continue
		}
		for _, a := range b.addrs {
			delete(d.bps().byAddr, a)
		}
		b.addrs, b.Locations = nil, nil
		locs, err := d.resolve(b.Spec)
		if err != nil {
			// Kept pending: a later image (exec) may have it.
			warnings = append(warnings, fmt.Sprintf("breakpoint %d (%s) pending: %v", b.ID, b.Spec, err))
			b.Pending = true
			continue
		}
		b.Pending = false
		for _, l := range locs {
			b.addrs = append(b.addrs, l.PC)
			b.Locations = append(b.Locations, d.location(l.PC))
		}
		cond := b.Cond
		if err := d.setCond(b, cond); err == nil && !b.Disabled {
			err = d.arm(b)
		}
		d.register(b)
	}
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
}

func (d *Debugger) setInternalBreakpoints() {
	t := d.table()
	if t == nil || !t.IsGo() {
		return
	}
	for _, ib := range internalBreakpoints {
		if d.bps().byID[ib.id] != nil {
			continue
		}
		locs, err := d.resolve(ib.spec)
		if err != nil || len(locs) == 0 {
			continue
		}
		b := &breakpoint{Breakpoint: api.Breakpoint{ID: ib.id, Name: ib.name, Spec: ib.spec, HitsByThread: map[int]int{}}}
		for _, l := range locs {
			b.addrs = append(b.addrs, l.PC)
			b.Locations = append(b.Locations, d.location(l.PC))
		}
		if d.arm(b) == nil {
			d.register(b)
		}
	}
}
