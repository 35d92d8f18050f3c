package debugger

import (
	"errors"
	"fmt"

	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/service/api"
)

// unwind returns the frames of the selected goroutine: a parked one from
// its saved context, else the current thread's registers.
func (d *Debugger) unwind(depth int) ([]ptarget.Frame, error) {
	tab := d.table()
	if tab == nil {
		return nil, d.noSymbolsErr()
	}
	regs, err := d.frameRegs()
	if err != nil {
		return nil, err
	}
	if !tab.IsGo() {
		// C programs run in libc: its frames need its call frame tables.
		d.libAt(d.proc(), d.tgt.img, regs.PC())
	}
	return d.tgt.img.bin.Unwind(d.proc(), regs, depth)
}

// frameRegs are the registers the selected goroutine's stack starts from.
func (d *Debugger) frameRegs() (ptarget.Regs, error) {
	if d.curG != 0 {
		if r, err := d.goReader(); err == nil {
			if g, err := r.Find(d.curG); err == nil && g.ThreadID == 0 {
				return ptarget.RegsAt(g.PC, g.SP, g.BP), nil
			}
		}
	}
	th, err := d.curThread()
	if err != nil {
		return ptarget.Regs{}, err
	}
	r, err := th.Registers()
	if err != nil {
		return ptarget.Regs{}, err
	}
	return ptarget.RegsOf(r)
}

func (d *Debugger) Stacktrace(depth int, full bool) ([]api.Frame, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.live(); err != nil {
		return nil, err
	}
	frames, err := d.unwind(depth)
	if len(frames) == 0 && err != nil {
		return nil, err
	}
	out := make([]api.Frame, 0, len(frames))
	for i := range frames {
		af := d.apiFrame(i, &frames[i])
		if full {
			d.frameVars(frames, i, &af)
		}
		out = append(out, af)
	}
	if err != nil && len(out) > 0 && out[len(out)-1].Err == "" && !errors.Is(err, ptarget.ErrDepth) {
		out[len(out)-1].Err = err.Error()
	}
	d.attachDefers(frames, out) // step
	return out, nil
}

func (d *Debugger) apiFrame(i int, f *ptarget.Frame) api.Frame {
	loc := api.Location{PC: f.PC, Function: f.Func, File: d.localPath(f.File), Line: f.Line}
	if f.Entry != 0 && f.PC >= f.Entry {
		loc.Offset = f.PC - f.Entry
	}
	if l := d.libAt(d.proc(), d.tgt.img, f.PC); l != nil {
		loc.Library = l.Path
	}
	af := api.Frame{Index: i, Location: loc, CFA: f.CFA, SP: f.SP, Kind: f.Kind.String(), Inlined: f.Inlined, Sigtramp: f.Sigtramp}
	if f.Err != nil && !errors.Is(f.Err, ptarget.ErrDepth) {
		af.Err = f.Err.Error()
	}
	return af
}

// frameVars fills a frame's arguments and locals (stack -full).
var frameVarsHook func(d *Debugger, frames []ptarget.Frame, i int, af *api.Frame)

func (d *Debugger) frameVars(frames []ptarget.Frame, i int, af *api.Frame) {
	if frameVarsHook != nil {
		frameVarsHook(d, frames, i, af)
	}
}

func (d *Debugger) SelectFrame(n int) (*api.Frame, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.live(); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("frame %d: frames are numbered from 0 (innermost)", n)
	}
	frames, err := d.unwind(n + 1)
	if n >= len(frames) {
		if err != nil && !errors.Is(err, ptarget.ErrDepth) {
			return nil, fmt.Errorf("frame %d is out of range: the stack has %d frames (%v)", n, len(frames), err)
		}
		return nil, fmt.Errorf("frame %d is out of range: the stack has %d frames", n, len(frames))
	}
	d.frame = n
	af := d.apiFrame(n, &frames[n])
	return &af, nil
}

func (d *Debugger) SelectedFrame() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.frame
}

// isRuntimeFunc reports functions a user does not write: the runtime and
// its internal packages.
func isRuntimeFunc(name string) bool { return ptarget.IsRuntimeFunc(name) }
