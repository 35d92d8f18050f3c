package terminal

import (
	"fmt"
	"sort"
	"strings"

	"github.com/godbg/godbg/service/api"
)

var breakpointsCmd = &command{
	names: []string{"breakpoints", "bp"},
	group: "breakpoints",
	usage: "breakpoints [-save FILE]",
	help: "Lists the breakpoints: id, name, location, condition, hit counts (total, and per goroutine in\n" +
		"a Go program as Delve counts them, per thread in a C program).\n" +
		"breakpoints -save FILE writes them as a command file (conditions, hit conditions, on commands,\n" +
		"disabled ones) that source FILE restores in a new session; an unnamed breakpoint that needs a\n" +
		"follow-up line is named bp<ID> in it.\n" +
		"A condition line ends with (via trap) when each hit stops the program for the debugger, or, for\n" +
		"a condition `<integer variable> <cmp> <constant>`, (via pad, ...: evaluated N times in the\n" +
		"program) when a jump pad evaluates it in the program (not in Delve; GODBG_PAD=0 turns pads off).",
	run: func(t *Term, args string) error {
		if rest, ok := strings.CutPrefix(args, "-save"); ok { // flow
			return saveBreakpoints(t, strings.TrimSpace(rest))
		}
		bps, err := t.client.ListBreakpoints()
		if err != nil {
			return err
		}
		if len(bps) == 0 {
			t.printf("No breakpoints.\n")
		}
		for _, b := range bps {
			if b.Watch != nil { // watch
				printWatchpoint(t, b)
				continue
			}
			state := ""
			if b.Disabled {
				state = " (disabled)"
			}
			if b.Pending {
				state += " (pending: not in the current program)"
			}
			if b.Catch {
				t.printf("%s catch %s%s\n\thits total:%d%s\n", bpLabel(b), b.Spec, state, b.TotalHits, perThread(b.HitsByThread))
				continue
			}
			where := "?"
			if len(b.Locations) > 0 {
				where = formatLocation(b.Locations[0])
				if len(b.Locations) > 1 {
					where += fmt.Sprintf(" and %d more", len(b.Locations)-1)
				}
			}
			t.printf("%s %s at %s%s\n", bpLabel(b), b.Spec, where, state)
			if b.Cond != "" {
				t.printf("\tcond %s%s\n", b.Cond, viaPath(b.Path, b.PadWhere, b.PadPasses))
			}
			if b.HitCond != "" {
				t.printf("\thitcount %s\n", b.HitCond)
			}
			t.printf("\thits total:%d%s\n", b.TotalHits, perGoroutineOrThread(b))
		}
		return nil
	},
}

// perGoroutineOrThread lists a Go program's hits per goroutine, as Delve
// does, and a C program's per thread.
func perGoroutineOrThread(b *api.Breakpoint) string {
	if len(b.HitsByGoroutine) == 0 {
		return perThread(b.HitsByThread)
	}
	ids := make([]int64, 0, len(b.HitsByGoroutine))
	for id := range b.HitsByGoroutine {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var sb strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&sb, " goroutine(%d):%d", id, b.HitsByGoroutine[id])
	}
	return sb.String()
}

func perThread(m map[int]int) string {
	tids := make([]int, 0, len(m))
	for tid := range m {
		tids = append(tids, tid)
	}
	sort.Ints(tids)
	var sb strings.Builder
	for _, tid := range tids {
		fmt.Fprintf(&sb, " thread(%d):%d", tid, m[tid])
	}
	return sb.String()
}

// viaPath says how a conditional breakpoint runs (pad, issue 17).
func viaPath(path, where string, passes uint64) string {
	switch path {
	case "pad":
		return fmt.Sprintf(" (via pad, %s: evaluated %d times in the program)", where, passes)
	case "trap":
		return " (via trap)"
	}
	return ""
}
