package debugger

import "github.com/godbg/godbg/service/api"

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
