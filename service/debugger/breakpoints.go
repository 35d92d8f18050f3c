package debugger

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/godbg/godbg/pkg/locspec"
	"github.com/godbg/godbg/pkg/proc"
	ptarget "github.com/godbg/godbg/pkg/proc/target"
	"github.com/godbg/godbg/service/api"
)

// breakpoint is one logical breakpoint: a spec resolved in each image to
// one or more addresses (its sites), each with its own variable binding
// for the condition. It applies to every target, as in gdb.
type breakpoint struct {
	api.Breakpoint
	cond  *ptarget.Cond // nil: none
	hits  ptarget.Hits  // TotalHits, HitsByThread, HitsByGoroutine and the hit condition
	catch *catch        // a catchpoint has no addresses
	watch *watch        // watch: a watchpoint has no addresses either
}

type breakpoints struct {
	byID   map[int]*breakpoint
	nextID int
}

func (d *Debugger) bps() *breakpoints {
	if d.bp == nil {
		d.bp = &breakpoints{byID: map[int]*breakpoint{}, nextID: 1}
	}
	return d.bp
}

// images returns each image in use once, with a live target running it.
func (d *Debugger) images() map[*image]proc.Inspector {
	out := map[*image]proc.Inspector{}
	for _, t := range d.group.Members() {
		if !t.Exited() {
			out[t.img] = t.Insp
		}
	}
	if _, ok := out[d.tgt.img]; !ok {
		out[d.tgt.img] = d.proc()
	}
	return out
}

func (d *Debugger) CreateBreakpoint(name, spec, cond string) (*api.Breakpoint, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.live(); err != nil {
		return nil, err
	}
	if name != "" {
		if _, err := strconv.Atoi(name); err == nil {
			return nil, fmt.Errorf("breakpoint name %q is a number; names must not be numbers", name)
		}
		if d.findBreakpoint(name) != nil {
			return nil, fmt.Errorf("a breakpoint named %s already exists", name)
		}
	}
	b := &breakpoint{Breakpoint: api.Breakpoint{ID: d.bps().nextID, Name: name, Spec: spec, HitsByThread: map[int]int{}}}
	if _, err := locspec.Parse(spec); err != nil {
		return nil, err
	}
	cur, err := d.resolveSite(d.tgt.img, d.proc(), spec)
	if err != nil {
		if !d.pendingAllowed() || errors.Is(err, errNoSymbols) {
			return nil, err
		}
		// Kept pending: a later image (fork, exec) may have it.
		cur = &site{err: err}
	}
	for _, a := range cur.addrs {
		if o := d.tgt.img.byAddr[a]; o != nil {
			return nil, fmt.Errorf("breakpoint %d already exists at %s", o.ID, spec)
		}
	}
	if err := d.setCond(b, cond); err != nil {
		return nil, err
	}
	sites := map[*image]*site{d.tgt.img: cur}
	for img, p := range d.images() {
		if img != d.tgt.img {
			s, err := d.resolveSite(img, p, spec)
			if err != nil {
				s = &site{err: err}
			}
			sites[img] = s
		}
	}
	for img, p := range d.images() {
		if err := d.bindSite(b, img, p, sites[img]); err != nil {
			return nil, err
		}
	}
	for img, s := range sites {
		img.sites[b.ID] = s
		if err := d.armImage(b, img); err != nil {
			for done := range sites {
				d.disarmImage(b, done)
				delete(done.sites, b.ID)
				if done == img {
					break
				}
			}
			return nil, err
		}
	}
	d.bps().nextID++
	d.register(b)
	if len(cur.addrs) == 0 {
		d.setSolibHook() // a library loaded later may have it
	}
	return d.apiBreakpoint(b), nil
}

// pendingAllowed: a breakpoint not in the current image is kept pending
// while another image may come (follow-exec, following forked children).
func (d *Debugger) pendingAllowed() bool {
	f := d.group.Settings
	if t := d.table(); t != nil && !d.tgt.IsCore() && ptarget.DynamicallyLinked(t) && d.last != nil && d.last.Reason == proc.StopLaunched {
		return true // stopped before the loader: a library it loads may have it
	}
	return f.FollowExec || f.Mode != "parent" || !f.DetachOnFork
}

func (d *Debugger) register(b *breakpoint) {
	d.bps().byID[b.ID] = b
	for img := range d.images() {
		if s := img.sites[b.ID]; s != nil {
			for _, a := range s.addrs {
				img.byAddr[a] = b
			}
		}
	}
	d.updateStopOnExec()
}

// resolveSite resolves spec in one image.
func (d *Debugger) resolveSite(img *image, p proc.Inspector, spec string) (*site, error) {
	locs, err := d.resolveIn(img, p, spec)
	if err != nil {
		return nil, err
	}
	s := &site{}
	for _, l := range locs {
		s.addrs = append(s.addrs, l.PC)
		loc := img.location(p, l.PC)
		if loc.Function == "" { // stepb: an address in a library (a Go plugin's line)
			if ll, ok := d.libLocation(p, img, l.PC); ok {
				loc = ll
			}
		}
		s.locs = append(s.locs, loc)
	}
	return s, nil
}

// resolve turns a location spec into run-time addresses in the current
// target.
func (d *Debugger) resolve(spec string) ([]locspec.Location, error) {
	return d.resolveIn(d.tgt.img, d.proc(), spec)
}

func (d *Debugger) resolveIn(img *image, p proc.Inspector, spec string) ([]locspec.Location, error) {
	s, err := d.parseSpec(spec)
	if err != nil {
		return nil, err
	}
	if s.Kind == locspec.AddrSpec {
		return []locspec.Location{{PC: s.Addr}}, nil
	}
	t := img.table(p)
	if t == nil {
		return nil, fmt.Errorf("%w; only *0xADDR locations work", errNoSymbols)
	}
	bias := img.bias(p)
	var curFile string
	var curLine int
	if img == d.tgt.img {
		if th, err := d.curThread(); err == nil {
			if r, err := th.Registers(); err == nil {
				curFile, curLine, _ = t.PCToLine(r.PC() - bias)
			}
		}
	}
	locs, err := locspec.Resolve(s, t, curFile, curLine)
	if err != nil {
		if lib, ok := d.resolveInLibs(img, p, s); ok {
			return lib, nil // run-time addresses already
		}
		return nil, err
	}
	for i := range locs {
		locs[i].PC += bias
	}
	return locs, nil
}

// setCond compiles cond and binds its variables at every site.
func (d *Debugger) setCond(b *breakpoint, cond string) error {
	if cond == "" {
		b.cond, b.Cond = nil, ""
		for img := range d.images() {
			if s := img.sites[b.ID]; s != nil {
				s.bindings = nil
			}
		}
		return nil
	}
	e, err := ptarget.CompileCond(cond)
	if err != nil {
		return err
	}
	if d.table() == nil {
		return fmt.Errorf("conditions need symbols: %w", errNoSymbols)
	}
	old, oldText := b.cond, b.Cond
	b.cond, b.Cond = e, cond
	for img, p := range d.images() {
		if s := img.sites[b.ID]; s != nil {
			if err := d.bindSite(b, img, p, s); err != nil {
				b.cond, b.Cond = old, oldText
				return err
			}
		}
	}
	return nil
}

// bindSite binds the condition's variables at each address of a site.
func (d *Debugger) bindSite(b *breakpoint, img *image, p proc.Inspector, s *site) error {
	s.bindings = nil
	if b.Cond == "" || len(s.addrs) == 0 {
		return nil
	}
	t := img.table(p)
	if t == nil {
		return fmt.Errorf("conditions need symbols: %w", errNoSymbols)
	}
	l, err := d.condLoader(img, p)
	if err != nil {
		return err
	}
	bias := img.bias(p)
	s.bindings = map[uint64]*ptarget.CondAt{}
	for _, a := range s.addrs {
		c, err := b.cond.Bind(t, bias, l, a)
		if err != nil {
			return fmt.Errorf("condition %q: %w", b.Cond, err)
		}
		s.bindings[a] = c
	}
	return nil
}

// arm plants the breakpoint's int3s in every target.
func (d *Debugger) arm(b *breakpoint) error {
	for img := range d.images() {
		if err := d.armImage(b, img); err != nil {
			return err
		}
	}
	return nil
}

// armImage plants the breakpoint in every live target running img.
func (d *Debugger) armImage(b *breakpoint, img *image) error {
	s := img.sites[b.ID]
	if s == nil || b.Disabled {
		return nil
	}
	for _, t := range d.liveTargets(img) {
		for i, a := range s.addrs {
			if c := s.bindings[a]; c != nil && t.ArmPad(a, b.ID, c, d.hitFunc(b, s, a)) { // pad (issue 17)
				continue
			}
			if err := t.SetBreaklet(a, b.ID, d.hitFunc(b, s, a)); err != nil {
				for _, done := range s.addrs[:i] {
					t.ClearBreaklet(done, b.ID)
				}
				return fmt.Errorf("cannot set a breakpoint at %#x in process %d: %w", a, t.Pid(), err)
			}
		}
	}
	return nil
}

func (d *Debugger) disarm(b *breakpoint) {
	for img := range d.images() {
		d.disarmImage(b, img)
	}
}

func (d *Debugger) disarmImage(b *breakpoint, img *image) {
	s := img.sites[b.ID]
	if s == nil {
		return
	}
	for _, t := range d.liveTargets(img) {
		for _, a := range s.addrs {
			t.ClearBreaklet(a, b.ID)
		}
	}
}

// liveTargets lists the live targets running img.
func (d *Debugger) liveTargets(img *image) []*target {
	var out []*target
	for _, t := range d.group.Members() {
		if t.img == img && !t.Exited() {
			out = append(out, t)
		}
	}
	if len(out) == 0 && d.tgt.img == img && !d.tgt.Exited() {
		out = append(out, d.tgt)
	}
	return out
}

// hitFunc is evaluated on the tracer thread at every hit of one address.
func (d *Debugger) hitFunc(b *breakpoint, s *site, addr uint64) proc.BreakCond {
	b.hits.CountGoroutines(d.table()) // stepb: Delve's goroutine(N):k counts
	return func(h proc.Hit) (bool, error) {
		return ptarget.UserHit(b.ID, b.Cond, s.bindings[addr], &b.hits, h)
	}
}

func (d *Debugger) findBreakpoint(idOrName string) *breakpoint {
	if idOrName == "" { // qa: "" is no name: it matched any unnamed breakpoint
		return nil
	}
	if id, err := strconv.Atoi(idOrName); err == nil {
		return d.bps().byID[id]
	}
	for _, b := range d.bps().byID {
		if b.Name == idOrName {
			return b
		}
	}
	return nil
}

var errNoSuchBreakpoint = errors.New("no such breakpoint")

func (d *Debugger) mustFind(idOrName string) (*breakpoint, error) {
	b := d.findBreakpoint(idOrName)
	if b == nil {
		return nil, fmt.Errorf("%w %q; breakpoints lists them", errNoSuchBreakpoint, idOrName)
	}
	return b, nil
}

// apiBreakpoint describes b as the current target sees it.
func (d *Debugger) apiBreakpoint(b *breakpoint) *api.Breakpoint {
	out := b.Breakpoint
	out.TotalHits = b.hits.Total
	out.HitsByThread = make(map[int]int, len(b.hits.ByThread))
	for k, v := range b.hits.ByThread {
		out.HitsByThread[k] = v
	}
	if b.hits.ByGoroutine != nil { // stepb
		out.HitsByGoroutine = make(map[int64]int, len(b.hits.ByGoroutine))
		for k, v := range b.hits.ByGoroutine {
			out.HitsByGoroutine[k] = v
		}
	}
	if b.watch != nil { // watch
		out.Watch = apiWatch(b.watch)
	}
	if b.catch == nil && b.watch == nil {
		s := d.tgt.img.sites[b.ID]
		out.Locations = nil
		if s != nil {
			out.Locations = append(out.Locations, s.locs...)
			for i := range out.Locations { // flow: substitute-path
				out.Locations[i].File = d.localPath(out.Locations[i].File)
			}
		}
		out.Path, out.PadWhere, out.PadPasses = d.padPath(b) // pad (issue 17)
		out.Pending = s == nil || len(s.addrs) == 0
		if out.Pending && s != nil && s.err != nil {
			out.PendingReason = s.err.Error()
		}
	}
	return &out
}

// addrs returns b's addresses in the current target.
func (d *Debugger) addrs(b *breakpoint) []uint64 {
	if s := d.tgt.img.sites[b.ID]; s != nil {
		return s.addrs
	}
	return nil
}

func (d *Debugger) sortedBreakpoints() []*breakpoint {
	var out []*breakpoint
	for _, b := range d.bps().byID {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// breakpointAt reports whether a breakpoint is set at pc.
func (d *Debugger) breakpointAt(pc uint64) bool {
	b := d.tgt.img.byAddr[pc]
	return b != nil && !b.Disabled
}

// breakpointLines returns the lines of file holding a breakpoint.
func (d *Debugger) breakpointLines(file string) map[int]bool {
	m := map[int]bool{}
	for _, b := range d.bps().byID {
		s := d.tgt.img.sites[b.ID]
		if s == nil || b.Disabled {
			continue
		}
		for _, l := range s.locs {
			if l.File == file {
				m[l.Line] = true
			}
		}
	}
	return m
}
