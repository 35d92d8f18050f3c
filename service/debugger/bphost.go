package debugger

import (
	"encoding/binary"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/expr"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/pkg/proc/values"
	"github.com/godbg/godbg/pkg/proc/variables"
	"github.com/godbg/godbg/pkg/symbols"
	"github.com/godbg/godbg/service/api"
)

// The breaklets, jump pads, conditions and the run loop live in
// pkg/proc/target (Target); what is left here is what concerns several
// targets or the api: the run hooks (watchpoints, exec, libraries), the
// value loader of conditions, and how a breakpoint's pads are shown.

// runHooks are the debugger's part of a Target's run loop.
type runHooks struct{ d *Debugger }

func (h runHooks) Resuming(t *ptarget.Target) {
	h.d.noteGoProgram()
	h.d.watchResync()   // watch
	h.d.warmGate.Hold() // churn
}

// Stopped: a moved watched stack, a followed exec and a library load are
// handled here and the run goes on (after an exec, in the current target).
func (h runHooks) Stopped(t *ptarget.Target, st *proc.Stop, err error) *ptarget.Target {
	d, p := h.d, t.Proc
	d.warmGate.Stopped(err == nil && st.Reason == proc.StopExited && p.Exited())
	if err != nil {
		return nil
	}
	d.syncTargets()
	if d.watchStop(p, st) { // watch: a watched stack moved
		return t
	}
	if st.Reason == proc.StopExec && !d.afterExec(st) {
		return d.tgt.Target
	}
	if d.solibEvent(st) {
		return t // the loader changed the libraries: breakpoints were updated
	}
	return nil
}

// targetOf is the target of process p (nil: none).
func (d *Debugger) targetOf(p proc.Inspector) *target {
	if t := d.group.Get(p.Pid()); t != nil && t.Proc == p {
		return t
	}
	if d.tgt.Proc == p {
		return d.tgt
	}
	return nil
}

// userFired reports whether a user breakpoint stopped the thread of st.
func (d *Debugger) userFired(p proc.Inspector, st *proc.Stop) bool {
	b := d.tgt.img.byAddr[st.Addr]
	if t := d.group.Get(st.Pid); t != nil {
		b = t.img.byAddr[st.Addr]
	}
	t := d.targetOf(p)
	return b != nil && t != nil && t.FiredFor(st.Addr, st.Tid, b.ID)
}

// condLoader returns the value loader of img as p runs it.
func (d *Debugger) condLoader(img *image, p proc.Inspector) (*values.Loader, error) {
	if img == d.tgt.img {
		return d.loader()
	}
	if img.loader == nil {
		l, err := values.NewLoader(img.table(p), img.bias(p))
		if err != nil {
			return nil, err
		}
		img.loader = l
	}
	return img.loader, nil
}

// repad re-arms b after its condition changed: a pad compiled the old one.
func (d *Debugger) repad(b *breakpoint) error {
	if b.Disabled || b.catch != nil || b.watch != nil || !d.padded(b) {
		return nil
	}
	d.disarm(b)
	return d.arm(b)
}

// padPath says how b runs in the current target: "pad" when every
// address is padded, "trap" otherwise, "" when no live process runs it;
// passes is the sum of the pads' counters (every evaluation of the
// condition, true or not).
func (d *Debugger) padPath(b *breakpoint) (path, where string, passes uint64) {
	addrs := d.addrs(b)
	if len(addrs) == 0 || d.tgt.Exited() || b.Disabled {
		return "", "", 0
	}
	for _, a := range addrs {
		w, n, ok := d.tgt.PadAt(a)
		if !ok {
			return "trap", "", 0
		}
		passes += n
		if where == "" {
			where = w
		}
	}
	return "pad", where, passes
}

// padded reports whether any address of b is armed as a pad.
func (d *Debugger) padded(b *breakpoint) bool {
	for img := range d.images() {
		s := img.sites[b.ID]
		if s == nil {
			continue
		}
		for _, t := range d.liveTargets(img) {
			for _, a := range s.addrs {
				if t.Padded(a) {
					return true
				}
			}
		}
	}
	return false
}

// code returns a function's instructions (cached per image).
func (d *Debugger) code(fn *symbols.Func) []symbols.Inst {
	return d.tgt.img.bin.Code(d.proc(), fn)
}

// resultsAt reads the results of the function thread tid is about to
// return from (it stands on a RET).
func (d *Debugger) resultsAt(tid int) []api.Variable {
	regs, ok := ptarget.ThreadRegs(d.proc(), tid)
	if !ok {
		return nil
	}
	frames, _ := ptarget.Unwind(d.table(), d.bias(), regs, d.proc(), 2)
	if len(frames) == 0 {
		return nil
	}
	vf, err := d.varFrame(&frames[0])
	if err != nil {
		return nil
	}
	l, err := d.loader()
	if err != nil {
		return nil
	}
	sc := expr.NewFrameScope(d.table(), vf, l, d.tgt.Memory())
	var out []api.Variable
	for _, v := range vf.Args() {
		if v.Kind == variables.Result {
			out = append(out, apiVariable(sc.LoadVar(v, values.DefaultLoadConfig), false, 0))
		}
	}
	return out
}

func leUint64(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }
