package debugger

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/service/api"
)

func (d *Debugger) Detach() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.live()
	if err != nil {
		return err
	}
	if err := p.Detach(); err != nil {
		return fmt.Errorf("detaching from process %d: %w", p.Pid(), err)
	}
	d.detached = true
	return nil
}

func (d *Debugger) Kill() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, err := d.live()
	if err != nil {
		return err
	}
	if err := p.Kill(); err != nil {
		return fmt.Errorf("killing process %d: %w", p.Pid(), err)
	}
	d.last = &proc.Stop{Reason: proc.StopExited, KilledBy: 9}
	return nil
}

func (d *Debugger) Restart() (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := d.proc()
	if !p.Launched() {
		return nil, fmt.Errorf("restart works only for programs godbg launched; process %d was attached", p.Pid())
	}
	if !p.Exited() {
		if err := p.Kill(); err != nil {
			return nil, err
		}
	}
	if err := d.launch(); err != nil {
		return nil, err
	}
	d.detached = false
	d.rearm()
	d.setInternalBreakpoints()
	return d.state(), nil
}

// Close ends the session: kill what we launched, detach from what we
// attached. A gone process needs nothing.
func (d *Debugger) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := d.proc()
	if d.detached || p.Exited() {
		return nil
	}
	if p.Launched() {
		return p.Kill()
	}
	d.detached = true
	return p.Detach()
}
