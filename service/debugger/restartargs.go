package debugger

import (
	"fmt"

	"github.com/godbg/godbg/service/api"
)

// RestartWithArgs is Restart with new program arguments, kept for later
// restarts (terminal: restart [newargv...], restart -noargs).
func (d *Debugger) RestartWithArgs(args []string) (*api.State, error) {
	d.mu.Lock()
	old := d.cfg.Args
	d.cfg.Args = args
	d.mu.Unlock()
	st, err := d.Restart()
	if err != nil {
		d.mu.Lock()
		d.cfg.Args = old
		d.mu.Unlock()
	}
	return st, err
}

// RestartRebuilt restarts the program from its executable, reading the
// symbols anew: the executable was rebuilt (terminal: rebuild). The
// breakpoints are set again from their locations.
func (d *Debugger) RestartRebuilt() (*api.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.root.launched {
		return nil, fmt.Errorf("rebuild works only for programs godbg launched; process %d was attached", d.root.pid)
	}
	if err := d.endAll(); err != nil {
		return nil, err
	}
	return d.relaunch(newImage(loadSymbols(d.cfg.Path, &d.warmGate)))
}
