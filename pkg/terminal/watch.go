package terminal

import (
	"fmt"
	"io"
	"strings"

	"github.com/godbg/godbg/service/api"
)

var watchCmd = &command{
	names: []string{"watch"},
	group: "breakpoints",
	usage: "watch [-r|-w|-rw] <expr>",
	help: "Sets a watchpoint: the program stops when a thread writes (-w, the default), reads (-r) or\n" +
		"accesses (-rw) the memory of <expr>, an addressable expression (variable, field, element, *p).\n" +
		"Every thread is watched, those started later too; the stop shows the value before and after\n" +
		"the access, with the pc on the instruction after it. Debug registers watch up to four aligned\n" +
		"1/2/4/8-byte units (a larger or unaligned value takes several). Unlike Delve, -r works on amd64:\n" +
		"a read-or-write register whose hits that changed the value (writes) are skipped, so a write of\n" +
		"the same value counts as a read. A watched local follows its goroutine's stack when Go moves it\n" +
		"(one more debug register) and is cleared when its function returns. clear, toggle and\n" +
		"breakpoints work on watchpoints.",
	run: func(t *Term, args string) error {
		kind, src := "w", strings.TrimSpace(args)
		if f, rest, ok := strings.Cut(src, " "); ok && strings.HasPrefix(f, "-") {
			kind, src = strings.TrimPrefix(f, "-"), strings.TrimSpace(rest)
		} else if strings.HasPrefix(src, "-") {
			return fmt.Errorf("watch %s: missing expression; usage: watch [-r|-w|-rw] <expr>", src)
		}
		if src == "" {
			return fmt.Errorf("watch needs an expression; usage: watch [-r|-w|-rw] <expr>")
		}
		b, err := t.client.CreateWatchpoint(src, kind)
		if err != nil {
			return err
		}
		w := b.Watch
		t.printf("Watchpoint %d set at %#x (%s, %d bytes, %s, %s)\n", b.ID, w.Addr, w.Expr, w.Size, w.Kind, w.Mechanism)
		return nil
	},
}

// printWatchpoint is a watchpoint's entry in breakpoints.
func printWatchpoint(t *Term, b *api.Breakpoint) {
	w := b.Watch
	state := ""
	if b.Disabled {
		state = " (disabled)"
	}
	scope := ""
	if w.Scope != "" {
		scope = " local of " + w.Scope
	}
	t.printf("Watchpoint %d %s %s at %#x (%d bytes%s) via %s%s\n\thits total:%d%s\n", b.ID, w.Kind, w.Expr, w.Addr, w.Size, scope,
		w.Mechanism, state, b.TotalHits, perThread(b.HitsByThread))
}

// printWatchStop prints a watchpoint's stop line.
func printWatchStop(w io.Writer, st *api.State) {
	ws := st.Watch
	if ws == nil {
		return
	}
	if st.CondError != "" {
		fmt.Fprintf(w, "Stopped because a condition could not be evaluated: %s\n", st.CondError)
	}
	if ws.OutOfScope {
		fmt.Fprintf(w, "Watchpoint %d went out of scope and was cleared\n", ws.ID)
		if st.CurrentThread != nil {
			fmt.Fprintf(w, "> %s (thread %d)\n", formatLocation(st.CurrentThread.Location), st.CurrentThread.ID)
		}
		return
	}
	if st.CurrentThread == nil {
		return
	}
	fmt.Fprintf(w, "> [watchpoint %d on %s: %s -> %s] %s (hits %s) (PC: %#x) (thread %d)\n", ws.ID, ws.Expr, ws.Old, ws.New,
		formatWhere(st.CurrentThread.Location), hitsText(st.Breakpoint, st.StopThread), st.CurrentThread.Location.PC, st.CurrentThread.ID)
}
