package core

import (
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
)

// thread is one thread of the core file (an NT_PRSTATUS note and the
// register notes after it).
type thread struct {
	tid  int
	sig  int // pr_cursig: the signal the thread was stopped by
	regs regs
}

func (t *thread) ID() int { return t.tid }

// Registers returns a copy, so a caller cannot change the core's view.
func (t *thread) Registers() (proc.Registers, error) {
	r := t.regs
	return &r, nil
}

func (t *thread) State() string {
	if t.sig != 0 {
		return "signal " + proc.SignalName(t.sig)
	}
	return "stopped"
}

// parsePrstatus decodes an x86-64 NT_PRSTATUS descriptor.
func parsePrstatus(d []byte) (*thread, error) {
	if len(d) < prstatusSize {
		return nil, fmt.Errorf("NT_PRSTATUS note is %d bytes, want %d (not an x86-64 core?)", len(d), prstatusSize)
	}
	t := &thread{
		tid: int(int32(le.Uint32(d[prstatusPid:]))),
		sig: int(int16(le.Uint16(d[prstatusCursig:]))),
	}
	if t.tid <= 0 {
		return nil, fmt.Errorf("NT_PRSTATUS note has thread id %d", t.tid)
	}
	if t.sig < 0 || t.sig > 64 {
		t.sig = 0
	}
	for i := range t.regs.gp {
		t.regs.gp[i] = le.Uint64(d[prstatusRegs+8*i:])
	}
	return t, nil
}
