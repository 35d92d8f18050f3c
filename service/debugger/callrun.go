package debugger

import (
	"encoding/binary"
	"fmt"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/pkg/symbols"
	"github.com/godbg/godbg/service/api"
)

// callRun is one injected call in progress.
type callRun struct {
	d       *Debugger
	p       proc.Process
	inj     proc.CallInjector
	tid     int
	fn      *symbols.Func
	args    *regWords
	results []*variables.FrameVar
	rcomps  [][]component

	out     []api.Variable
	refused string

	// abort state: the registers at the "frame ready" stop (the thread in
	// runtime.debugCallN about to call fn), the distance from there to
	// the call goroutine's stack top (stacks move when they grow), and
	// why the call was abandoned ("" while it runs).
	entered  bool
	returned bool
	ready    proc.SavedRegisters
	readyBP  uint64
	readyHi  uint64
	aborted  string
}

// Debug-call codes the runtime leaves in R12 at each int3.
const (
	callReady    = 0
	callReturned = 1
	callPanicked = 2
	callRefused  = 8
	callDone     = 16
)

// maxCallStops bounds the stops a call may take (other threads' stops
// are passed while it runs).
const maxCallStops = 10000

func (c *callRun) do() ([]api.Variable, error) {
	th, ok := c.p.Thread(c.tid)
	if !ok {
		return nil, fmt.Errorf("%w: thread %d is gone", errCall, c.tid)
	}
	dbg, err := c.d.table().LookupFunc("runtime.debugCallV2")
	if err != nil {
		return nil, fmt.Errorf("%w: the program has no runtime.debugCallV2 (Go 1.17 or later needed)", errCall)
	}
	saved, err := c.inj.SaveRegisters(c.tid)
	if err != nil {
		return nil, err
	}
	pc, sp := saved.PC(), saved.SP()
	frame := uint64(8 * (len(c.args.ints) + len(c.args.floats)))
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], pc)
	if _, err := c.p.WriteMemory(sp-8, b[:]); err != nil {
		return nil, fmt.Errorf("%w: writing the goroutine's stack: %v", errCall, err)
	}
	binary.LittleEndian.PutUint64(b[:], frame)
	c.p.WriteMemory(sp-8-16, b[:])
	if err := c.setRegs(th, map[string]uint64{"rsp": sp - 8, "rip": dbg.Entry + c.d.bias()}); err != nil {
		c.inj.RestoreRegisters(c.tid, saved, false)
		return nil, err
	}
	if err := c.protocol(th, saved); err != nil {
		return nil, err
	}
	if c.refused != "" {
		return nil, fmt.Errorf("%w %s here: %s", errCall, c.fn.Name, c.refused)
	}
	if c.aborted != "" {
		return nil, fmt.Errorf("%w %s: the call was abandoned: %s; the goroutine is back where it was (registers and stack); what the call did before that stays done", errCall, c.fn.Name, c.aborted)
	}
	return c.out, nil
}

// protocol answers the runtime's stops until the call is done and the
// thread is back where it was.
func (c *callRun) protocol(th proc.Thread, saved proc.SavedRegisters) error {
	for i := 0; i < maxCallStops+abortStops; i++ {
		if i >= maxCallStops && c.aborted == "" {
			if !c.entered || c.returned {
				break
			}
			if c.inUserCode(th) { // never abandon it inside the runtime
				if err := c.abort(th, fmt.Sprintf("it did not finish after %d stops", maxCallStops)); err != nil {
					return err
				}
			}
		}
		st, err := c.p.Continue()
		if err != nil {
			return fmt.Errorf("%w %s: %v", errCall, c.fn.Name, err)
		}
		if st.Reason == proc.StopExited {
			return fmt.Errorf("%w %s: the program exited during the call", errCall, c.fn.Name)
		}
		if st.Tid == c.tid && c.entered && !c.returned && c.aborted == "" {
			if why := c.userStop(st); why != "" {
				if err := c.abort(th, why); err != nil {
					return err
				}
				continue
			}
		}
		if st.Reason != proc.StopTrap || st.Tid != c.tid {
			continue // another thread's stop: the call goes on
		}
		r, err := th.Registers()
		if err != nil {
			return err
		}
		code, _ := r.DWARFRegister(12)
		switch code {
		case callReady:
			err = c.enter(th, r)
		case callReturned:
			c.returned = true
			if c.aborted == "" {
				c.out = c.resultValues(r)
			}
		case callPanicked:
			c.returned = true
			c.out = []api.Variable{c.panicValue(r)}
		case callRefused:
			c.refused = c.readString(r.SP())
		case callDone:
			return c.finish(saved)
		default:
			err = fmt.Errorf("unexpected debug-call code %d in R12", code)
		}
		if err != nil {
			return fmt.Errorf("%w %s: %v", errCall, c.fn.Name, err)
		}
	}
	if c.aborted != "" {
		return fmt.Errorf("%w %s: %s, and abandoning the call did not bring the goroutine back; the program's state is unknown, restart it", errCall, c.fn.Name, c.aborted)
	}
	return fmt.Errorf("%w %s: it did not finish after %d stops", errCall, c.fn.Name, maxCallStops)
}

// enter sets the argument registers and makes the frame call the function.
func (c *callRun) enter(th proc.Thread, r proc.Registers) error {
	regs := map[string]uint64{}
	for i, w := range c.args.ints {
		regs[intRegs[i]] = w
	}
	if len(c.args.floats) > 0 {
		xmm := map[int]uint64{}
		for i, w := range c.args.floats {
			xmm[i] = w
		}
		if err := c.inj.SetFloatRegisters(c.tid, xmm); err != nil {
			return err
		}
	}
	if err := c.noteReady(th, r); err != nil {
		return err
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], r.PC())
	if _, err := c.p.WriteMemory(r.SP()-8, b[:]); err != nil {
		return err
	}
	regs["rsp"], regs["rip"], regs["rdx"] = r.SP()-8, c.fn.Entry+c.d.bias(), 0
	return c.setRegs(th, regs)
}

func (c *callRun) setRegs(th proc.Thread, regs map[string]uint64) error {
	for name, v := range regs {
		if err := c.d.tgt.SetRegister(th, name, v); err != nil {
			return err
		}
	}
	return nil
}

// resultValues reads the results from their registers.
func (c *callRun) resultValues(r proc.Registers) []api.Variable {
	l, err := c.d.loader()
	if err != nil {
		return []api.Variable{{Name: "~r0", Err: err.Error()}}
	}
	var out []api.Variable
	nextI, nextF := 0, 0
	for i, res := range c.results {
		comps := c.rcomps[i]
		words := make([]uint64, len(comps))
		for j, cp := range comps {
			if cp.float {
				words[j], _ = r.DWARFRegister(17 + nextF) // xmm
				nextF++
				continue
			}
			words[j], _ = r.DWARFRegister(intRegDwarf[nextI])
			nextI++
		}
		data := fromWords(comps, words, res.Type.Size())
		v := l.LoadBytes(c.p, res.Name, res.Type, data, values.DefaultLoadConfig)
		out = append(out, apiVariable(v, false, 1))
	}
	return out
}

// panicValue reads the panic's interface value at SP.
func (c *callRun) panicValue(r proc.Registers) api.Variable {
	av := api.Variable{Name: "~panic"}
	l, err := c.d.loader()
	if err != nil {
		av.Err = err.Error()
		return av
	}
	typ, err := l.LookupType("interface {}")
	if err != nil {
		av.Err = "the panic value's type is unknown: " + err.Error()
		return av
	}
	data := make([]byte, 16)
	if _, err := c.p.ReadMemory(r.SP(), data); err != nil {
		av.Err = err.Error()
		return av
	}
	av = apiVariable(l.LoadBytes(c.p, "~panic", typ, data, values.DefaultLoadConfig), false, 1)
	return av
}

// readString reads the Go string header at addr.
func (c *callRun) readString(addr uint64) string {
	var h [16]byte
	if _, err := c.p.ReadMemory(addr, h[:]); err != nil {
		return "(unreadable reason)"
	}
	n := binary.LittleEndian.Uint64(h[8:])
	if n > 4096 {
		n = 4096
	}
	buf := make([]byte, n)
	if _, err := c.p.ReadMemory(binary.LittleEndian.Uint64(h[:8]), buf); err != nil {
		return "(unreadable reason)"
	}
	return string(buf)
}

// finish restores the registers but pc and sp, then single-steps the
// runtime's restore sequence until the thread is back at its pc.
func (c *callRun) finish(saved proc.SavedRegisters) error {
	if err := c.inj.RestoreRegisters(c.tid, saved, true); err != nil {
		return err
	}
	th, _ := c.p.Thread(c.tid)
	for i := 0; i < 256; i++ {
		st, err := c.p.StepInstruction(c.tid)
		if err != nil {
			return err
		}
		if st.Reason != proc.StopStepped {
			return fmt.Errorf("%w %s: returning from the call stopped with %v", errCall, c.fn.Name, reasonNames[st.Reason])
		}
		r, err := th.Registers()
		if err != nil {
			return err
		}
		if r.PC() == saved.PC() {
			return nil
		}
	}
	return fmt.Errorf("%w %s: the thread did not get back to %#x", errCall, c.fn.Name, saved.PC())
}
