package debugger

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/service/api"
)

// signalPolicy returns the function the backend consults; it reads
// d.policies, which changes only while the program is stopped.
func (d *Debugger) signalPolicy() func(int) proc.SignalPolicy {
	return func(sig int) proc.SignalPolicy {
		pol, ok := d.policies[sig]
		if !ok {
			pol = proc.DefaultSignalPolicy(sig)
			if d.goProgram.Load() && goRuntimeSignal(sig) {
				pol = proc.SignalPolicy{Pass: true}
			}
		}
		if d.sigCatch != nil && d.sigCatch(sig) {
			pol.Stop, pol.Print = true, true // catch signal
		}
		return pol
	}
}

func apiPolicy(sig int, pol proc.SignalPolicy) api.SignalPolicy {
	return api.SignalPolicy{Signal: proc.SignalName(sig), Number: sig, Stop: pol.Stop, Print: pol.Print, Pass: pol.Pass}
}

func (d *Debugger) SignalPolicies() ([]api.SignalPolicy, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	pol := d.signalPolicy()
	var out []api.SignalPolicy
	for sig := 1; sig <= 64; sig++ {
		if sig == 9 || sig == 19 || sig == 32 || sig == 33 {
			continue // SIGKILL, SIGSTOP and glibc's internal real-time signals
		}
		out = append(out, apiPolicy(sig, pol(sig)))
	}
	return out, nil
}

func (d *Debugger) HandleSignal(name string, keywords []string) (*api.SignalPolicy, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	sig, err := proc.ParseSignal(name)
	if err != nil {
		return nil, fmt.Errorf("%v; use a name like SIGUSR1 or a number", err)
	}
	if sig == 9 || sig == 19 {
		return nil, fmt.Errorf("%s cannot be caught or ignored; its policy cannot change", proc.SignalName(sig))
	}
	pol := d.signalPolicy()(sig)
	for _, k := range keywords {
		switch k {
		case "stop":
			pol.Stop, pol.Print = true, true
		case "nostop":
			pol.Stop = false
		case "print":
			pol.Print = true
		case "noprint":
			pol.Print, pol.Stop = false, false
		case "pass", "noignore":
			pol.Pass = true
		case "nopass", "ignore":
			pol.Pass = false
		default:
			return nil, fmt.Errorf("unknown keyword %q; use stop, nostop, print, noprint, pass or nopass", k)
		}
	}
	if d.policies == nil {
		d.policies = map[int]proc.SignalPolicy{}
	}
	d.policies[sig] = pol
	out := apiPolicy(sig, pol)
	return &out, nil
}

func (d *Debugger) ContinueWithSignal(name string) (*api.State, error) {
	sig := 0
	if name != "0" {
		var err error
		if sig, err = proc.ParseSignal(name); err != nil {
			return nil, fmt.Errorf("%v; use a name like SIGUSR1, a number, or 0 for none", err)
		}
	}
	d.mu.Lock()
	_, err := d.live()
	if err == nil {
		err = d.queueSignal(d.cur, sig)
	}
	d.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return d.Continue()
}

// goRuntimeSignal: faults the Go runtime turns into panics (a recovered nil
// dereference must not stop the program). Delve lets the runtime have
// them too; the fatal case stops at runtime.fatalpanic or fatalthrow (the
// internal breakpoints). C programs keep gdb's stop on these; handle
// overrides both.
func goRuntimeSignal(sig int) bool {
	return sig == 7 || sig == 8 || sig == 11 // SIGBUS, SIGFPE, SIGSEGV
}

// noteGoProgram records, before the program runs, whether the current
// target is a Go program, for the signal policy the tracer thread reads.
func (d *Debugger) noteGoProgram() {
	t := d.table()
	d.goProgram.Store(t != nil && t.IsGo())
}

// queueSignal makes the next continue deliver sig to thread tid of the
// current live process.
func (d *Debugger) queueSignal(tid, sig int) error {
	p, err := d.tgt.Live("delivering a signal")
	if err != nil {
		return err
	}
	return p.QueueSignal(tid, sig)
}
