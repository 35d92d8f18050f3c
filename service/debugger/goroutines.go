package debugger

import (
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"github.com/godbg/godbg/pkg/proc"
	"github.com/godbg/godbg/pkg/proc/goroutines"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/service/api"
)

// goReader returns the current target's goroutine reader, made once per
// process image.
func (d *Debugger) goReader() (*goroutines.Reader, error) {
	r, err := d.tgt.Goroutines()
	if r == nil && err == nil {
		return nil, d.noSymbolsErr()
	}
	return r, err
}

// threadG returns the goroutine thread th runs (ok false: none, e.g. a
// thread in the scheduler or a C thread).
func (d *Debugger) threadG(r *goroutines.Reader, th proc.Thread) (goroutines.G, bool) {
	regs, err := th.Registers()
	if err != nil {
		return goroutines.G{}, false
	}
	var fs uint64
	for _, x := range regs.List(true) {
		if x.Name == "fs_base" {
			fs = x.Value
		}
	}
	r14, _ := regs.DWARFRegister(14)
	g, ok, err := r.ThreadG(th.ID(), fs, r14)
	return g, ok && err == nil
}

// curGoroutine is the selected goroutine: one chosen with goroutine <id>,
// else the current thread's.
func (d *Debugger) curGoroutine(r *goroutines.Reader) (goroutines.G, error) {
	if d.curG != 0 {
		g, err := r.Find(d.curG)
		if err == nil {
			return g, nil
		}
		d.curG = 0
	}
	th, err := d.curThread()
	if err != nil {
		return goroutines.G{}, err
	}
	if g, ok := d.threadG(r, th); ok {
		return g, nil
	}
	return goroutines.G{}, fmt.Errorf("thread %d is not running a goroutine", th.ID())
}

func (d *Debugger) CurrentGoroutine() (*api.Goroutine, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.live(); err != nil {
		return nil, err
	}
	r, err := d.goReader()
	if err != nil {
		return nil, err
	}
	g, err := d.curGoroutine(r)
	if err != nil {
		return nil, err
	}
	ag := d.apiGoroutine(g)
	ag.Current = true
	return &ag, nil
}

func (d *Debugger) SwitchGoroutine(id int64) (*api.Goroutine, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.live(); err != nil {
		return nil, err
	}
	r, err := d.goReader()
	if err != nil {
		return nil, err
	}
	g, err := r.Find(id)
	if err != nil {
		if errors.Is(err, goroutines.ErrNoGoroutine) {
			return nil, fmt.Errorf("no goroutine %d; goroutines lists them", id)
		}
		return nil, err
	}
	d.curG, d.frame = 0, 0
	if g.ThreadID != 0 {
		if _, ok := d.proc().Thread(g.ThreadID); ok {
			d.cur = g.ThreadID
		}
	} else {
		d.curG = id
	}
	ag := d.apiGoroutine(g)
	ag.Current = true
	return &ag, nil
}

func (d *Debugger) Goroutines(filters []api.GoroutineFilter, fn func(api.Goroutine) bool) error {
	return d.GoroutinesFrom(0, filters, func(_ int, g api.Goroutine) bool { return fn(g) })
}

// GoroutinesFrom is Goroutines starting at the start-th goroutine of the
// runtime's list (0: the first); fn also gets where a later call resumes
// after g. Skipped goroutines cost no unwinding: the JSON-RPC server lists
// a long listing in several calls with it (not holding the session
// between them).
func (d *Debugger) GoroutinesFrom(start int, filters []api.GoroutineFilter, fn func(next int, g api.Goroutine) bool) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.live(); err != nil {
		return err
	}
	r, err := d.goReader()
	if err != nil {
		return err
	}
	match, err := compileFilters(filters)
	if err != nil {
		return err
	}
	var curID int64
	if g, err := d.curGoroutine(r); err == nil {
		curID = g.ID
	}
	// Goroutines come in batches whose stacks are unwound in parallel
	// (to their first user frame; memory reads and the unwinder's caches
	// are safe for that); the rest is done in order.
	const batchSize = 512
	batch := make([]goroutines.G, 0, batchSize)
	next := make([]int, 0, batchSize) // where a later call resumes after batch[i]
	ctx := make([][3]uint64, 0, batchSize)
	users := make([]api.Location, batchSize)
	stopped := false
	flush := func() {
		workers := min(runtime.GOMAXPROCS(0), 4)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := w; i < len(batch); i += workers {
					users[i] = d.userFrame(ctx[i][0], ctx[i][1], ctx[i][2])
				}
			}(w)
		}
		wg.Wait()
		for i, g := range batch {
			if stopped {
				break
			}
			ag := d.apiGoroutineAt(g, ctx[i], users[i])
			ag.Current = g.ID == curID
			if match(&ag) && !fn(next[i], ag) {
				stopped = true
			}
		}
		batch, next, ctx = batch[:0], next[:0], ctx[:0]
	}
	index := 0
	err = r.Each(goroutines.Options{}, func(g goroutines.G) bool {
		if index++; index <= start {
			return true
		}
		pc, sp, bp := d.goContext(g)
		batch = append(batch, g)
		next = append(next, index)
		ctx = append(ctx, [3]uint64{pc, sp, bp})
		if len(batch) == batchSize {
			flush()
		}
		return !stopped
	})
	if !stopped {
		flush()
	}
	var pe *goroutines.PartialError
	if errors.As(err, &pe) {
		return nil // the readable ones were listed
	}
	return err
}

// goContext is where g is: its thread's registers if it runs, else its
// saved context.
func (d *Debugger) goContext(g goroutines.G) (pc, sp, bp uint64) {
	return g.Context(func(tid int) (uint64, uint64, uint64, bool) {
		th, ok := d.proc().Thread(tid)
		if !ok {
			return 0, 0, 0, false
		}
		r, err := th.Registers()
		if err != nil {
			return 0, 0, 0, false
		}
		return r.PC(), r.SP(), r.BP(), true
	})
}

// apiGoroutine describes g; a goroutine on a thread is where its thread is.
func (d *Debugger) apiGoroutine(g goroutines.G) api.Goroutine {
	pc, sp, bp := d.goContext(g)
	return d.apiGoroutineAt(g, [3]uint64{pc, sp, bp}, d.userFrame(pc, sp, bp))
}

// apiGoroutineAt describes g at context ctx (pc, sp, bp) whose first user
// frame is user (PC 0: none found).
func (d *Debugger) apiGoroutineAt(g goroutines.G, ctx [3]uint64, user api.Location) api.Goroutine {
	ag := api.Goroutine{ID: g.ID, Status: g.Status.String(), WaitReason: g.WaitReason, ThreadID: g.ThreadID, Labels: g.Labels}
	ag.CurrentLoc = d.location(ctx[0])
	ag.UserLoc = ag.CurrentLoc
	if user.PC != 0 {
		ag.UserLoc = user
	}
	if g.GoPC != 0 {
		ag.GoLoc = d.location(g.GoPC - 1)
		ag.GoLoc.PC = g.GoPC
	}
	if g.StartPC != 0 {
		ag.StartLoc = d.location(g.StartPC)
	}
	return ag
}

// userFrame is the innermost frame outside the runtime, at most a few
// frames up (PC 0: none, or the current frame is one). It may run on
// several goroutines at once: it only reads.
func (d *Debugger) userFrame(pc, sp, bp uint64) api.Location {
	tab := d.table()
	if tab == nil {
		return api.Location{}
	}
	if fn := tab.PCToFunc(pc - d.bias()); fn == nil || !isRuntimeFunc(fn.Name) {
		return api.Location{}
	}
	user := func(f *ptarget.Frame) bool { return f.Func != "" && !isRuntimeFunc(f.Func) }
	frames, _ := ptarget.UnwindUntil(tab, d.bias(), ptarget.RegsAt(pc, sp, bp), d.proc(), 12, user)
	if n := len(frames); n > 0 && user(&frames[n-1]) {
		f := &frames[n-1]
		return api.Location{PC: f.PC, Function: f.Func, File: f.File, Line: f.Line}
	}
	return api.Location{}
}

// compileFilters builds the predicate for goroutines -with/-without.
func compileFilters(fs []api.GoroutineFilter) (func(*api.Goroutine) bool, error) {
	var preds []func(*api.Goroutine) bool
	for _, f := range fs {
		var p func(*api.Goroutine) bool
		switch f.Kind {
		case "curloc", "userloc", "goloc", "startloc":
			re, err := regexp.Compile(f.Arg)
			if err != nil {
				return nil, fmt.Errorf("bad %s regular expression %q: %w", f.Kind, f.Arg, err)
			}
			kind := f.Kind
			p = func(g *api.Goroutine) bool {
				l := map[string]api.Location{"curloc": g.CurrentLoc, "userloc": g.UserLoc, "goloc": g.GoLoc, "startloc": g.StartLoc}[kind]
				return re.MatchString(fmt.Sprintf("%s:%d %s", l.File, l.Line, l.Function))
			}
		case "label":
			k, v, hasV := strings.Cut(f.Arg, "=")
			p = func(g *api.Goroutine) bool {
				got, ok := g.Labels[k]
				return ok && (!hasV || got == v)
			}
		case "state":
			st := f.Arg
			p = func(g *api.Goroutine) bool { return g.Status == st }
		default:
			return nil, fmt.Errorf("unknown goroutine filter %q; use curloc, userloc, goloc, startloc, label or a state", f.Kind)
		}
		if f.Negated {
			q := p
			p = func(g *api.Goroutine) bool { return !q(g) }
		}
		preds = append(preds, p)
	}
	return func(g *api.Goroutine) bool {
		for _, p := range preds {
			if !p(g) {
				return false
			}
		}
		return true
	}, nil
}
