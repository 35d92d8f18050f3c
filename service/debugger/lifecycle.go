package debugger

import (
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/service/api"
)

// Detach lets the current target go; another target, if any, becomes
// current.
func (d *Debugger) Detach() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.live()
	if err != nil {
		return err
	}
	if err := d.detach(); err != nil {
		return fmt.Errorf("detaching from process %d: %w", p.Pid(), err)
	}
	if !d.leaveGone() {
		d.detached = true
	}
	return nil
}

// Kill kills the current target; another target, if any, becomes current.
func (d *Debugger) Kill() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.live()
	if err != nil {
		return err
	}
	if err := d.kill(); err != nil {
		return fmt.Errorf("killing process %d: %w", p.Pid(), err)
	}
	d.last = &proc.Stop{Reason: proc.StopExited, Pid: p.Pid(), KilledBy: 9}
	if d.leaveGone() {
		d.last = &proc.Stop{Reason: proc.StopExited, Pid: p.Pid(), KilledBy: 9}
	}
	return nil
}

// detach and kill let the current live process go or end it; a core
// file cannot run, so neither can be done to it.
func (d *Debugger) detach() error {
	p, err := d.tgt.Live("detaching")
	if err != nil {
		return err
	}
	return p.Detach()
}

func (d *Debugger) kill() error {
	p, err := d.tgt.Live("kill")
	if err != nil {
		return err
	}
	return p.Kill()
}

// Restart kills every target and launches the program again.
func (d *Debugger) Restart() (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.root.launched {
		return nil, fmt.Errorf("restart works only for programs godbg launched; process %d was attached", d.root.pid)
	}
	if err := d.endAll(); err != nil {
		return nil, err
	}
	img := d.root.img
	for id := range img.sites {
		delete(img.sites, id)
	}
	clear(img.byAddr)
	img.loader, img.locs = nil, nil // a PIE moves
	img.solibHook = 0
	if img.bin != nil {
		img.bin.ForgetLibs()
	}
	return d.relaunch(img)
}

// relaunch starts the program again with img (the session's lock held)
// and sets the breakpoints in it.
func (d *Debugger) relaunch(img *image) (*api.State, error) {
	if err := d.launch(img); err != nil {
		return nil, err
	}
	d.detached = false
	d.rearm(img, d.tgt.Proc)
	d.setInternalBreakpoints()
	d.setSolibHook()
	return d.state(), nil
}

// Close ends the session: kill what we launched, detach from what we
// attached. A gone process needs nothing.
func (d *Debugger) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.tgt.IsCore() {
		if c, ok := d.proc().(io.Closer); ok {
			return c.Close()
		}
		return nil
	}
	if d.detached {
		return nil
	}
	err := d.endAll()
	if !d.root.launched {
		d.detached = true
	}
	return err
}

// endAll kills (launched) or detaches (attached) every live target, the
// children first.
func (d *Debugger) endAll() error {
	var ts []*target
	ts = append(ts, d.group.Members()...)
	if d.group.Get(d.tgt.Pid()) != d.tgt {
		ts = append(ts, d.tgt)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Pid() > ts[j].Pid() })
	var errs []error
	for _, t := range ts {
		if t.Exited() {
			continue
		}
		var err error
		if t.Proc.Launched() {
			err = t.Proc.Kill()
		} else {
			err = t.Proc.Detach()
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("process %d: %w", t.Pid(), err))
		}
	}
	return errors.Join(errs...)
}
