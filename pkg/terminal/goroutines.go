package terminal

import (
	"bufio"
	"fmt"
	"sort"
	"strings"

	"github.com/godbg/godbg/service/api"
)

var goroutinesCmd = &command{
	names: []string{"goroutines", "grs"},
	group: "goroutines",
	usage: goroutinesUsage,
	help: "Lists the goroutines of a Go program: id, where it is (User: the innermost frame outside the\n" +
		"runtime), state, and the thread running it; * marks the current goroutine. Filters:\n" +
		"  -with|-without curloc|userloc|goloc|startloc <regexp>   by location (\"file:line function\")\n" +
		"  -with|-without label <key>[=<value>]                     by pprof label\n" +
		"  -with|-without running|runnable|waiting|syscall|...      by state\n" +
		"  -group userloc|curloc|goloc|startloc|running|label <key> counts per group instead\n" +
		"  -l   also shows the go statement (Go:) and the function (Start:) of each goroutine\n" +
		"  -t   also prints each goroutine's stack (10 frames; at most 1000 goroutines)\n" +
		"Goroutines are read from the runtime's allgs and printed as they are read.",
	run: func(t *Term, args string) error {
		filters, group, long, traces, err := parseGoroutinesArgs(args)
		if err != nil {
			return err
		}
		if traces {
			return goroutineTraces(t, filters, long)
		}
		if group != "" {
			return groupGoroutines(t, filters, group)
		}
		// Lines are written in batches: one write per goroutine would
		// cost more than reading it.
		n := 0
		bw := bufio.NewWriterSize(t.out, 64<<10)
		out := t.out
		t.out = bw
		defer func() { bw.Flush(); t.out = out }()
		err = t.client.Goroutines(filters, func(g api.Goroutine) bool {
			printGoroutine(t, g, long)
			n++
			if n%1000 == 0 {
				bw.Flush()
			}
			return true
		})
		if err != nil {
			return err
		}
		t.printf("[%d goroutines]\n", n)
		return nil
	},
}

const goroutinesUsage = "goroutines [-l] [-t] [-with|-without (curloc|userloc|goloc|startloc <re>)|(label k[=v])|<state>] ... [-group <by>]"

func parseGoroutinesArgs(args string) (filters []api.GoroutineFilter, group string, long, traces bool, err error) {
	f := strings.Fields(args)
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case "-l":
			long = true
		case "-t":
			traces = true
		case "-with", "-without", "-w", "-wo":
			neg := f[i] == "-without" || f[i] == "-wo"
			if i+1 >= len(f) {
				return nil, "", false, false, fmt.Errorf("%s needs a filter; usage: %s", f[i], goroutinesUsage)
			}
			kind := f[i+1]
			i++
			switch kind {
			case "curloc", "userloc", "goloc", "startloc", "label":
				if i+1 >= len(f) {
					return nil, "", false, false, fmt.Errorf("-with %s needs an argument", kind)
				}
				filters = append(filters, api.GoroutineFilter{Kind: kind, Arg: f[i+1], Negated: neg})
				i++
			case "running", "runnable", "waiting", "syscall", "idle", "dead", "copystack", "preempted", "leaked":
				filters = append(filters, api.GoroutineFilter{Kind: "state", Arg: kind, Negated: neg})
			default:
				return nil, "", false, false, fmt.Errorf("unknown goroutine filter %q; usage: %s", kind, goroutinesUsage)
			}
		case "-group":
			if i+1 >= len(f) {
				return nil, "", false, false, fmt.Errorf("-group needs userloc, curloc, goloc, startloc, running or label <key>")
			}
			group = f[i+1]
			i++
			if group == "label" {
				if i+1 >= len(f) {
					return nil, "", false, false, fmt.Errorf("-group label needs a key")
				}
				group += " " + f[i+1]
				i++
			}
		default:
			return nil, "", false, false, fmt.Errorf("unknown argument %q; usage: %s", f[i], goroutinesUsage)
		}
	}
	return filters, group, long, traces, nil
}

func printGoroutine(t *Term, g api.Goroutine, long bool) {
	mark := " "
	if g.Current {
		mark = "*"
	}
	state := g.Status
	if g.WaitReason != "" {
		state = g.WaitReason
	}
	where := "User: " + formatGoLoc(g.UserLoc)
	if g.UserLoc.PC == 0 || g.UserLoc.Function == "" {
		where = "Runtime: " + formatGoLoc(g.CurrentLoc)
	}
	thread := ""
	if g.ThreadID != 0 {
		thread = fmt.Sprintf(" (thread %d)", g.ThreadID)
	}
	t.printf("%s Goroutine %d - %s [%s]%s\n", mark, g.ID, where, state, thread)
	if long {
		t.printf("\tGo: %s\n\tStart: %s\n", formatGoLoc(g.GoLoc), formatGoLoc(g.StartLoc))
		if len(g.Labels) > 0 {
			keys := make([]string, 0, len(g.Labels))
			for k := range g.Labels {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				t.printf("\tLabel %s=%s\n", k, g.Labels[k])
			}
		}
	}
}

// formatGoLoc is Delve's "./main.go:12 main.main (0x4a1b2c)".
func formatGoLoc(l api.Location) string {
	if l.File == "" {
		if l.Function != "" {
			return fmt.Sprintf("%s (%#x)", l.Function, l.PC)
		}
		return fmt.Sprintf("?? (%#x)", l.PC)
	}
	return fmt.Sprintf("%s:%d %s (%#x)", shortPath(l.File), l.Line, l.Function, l.PC)
}

func groupGoroutines(t *Term, filters []api.GoroutineFilter, by string) error {
	counts := map[string]int{}
	first := map[string][]int64{}
	err := t.client.Goroutines(filters, func(g api.Goroutine) bool {
		var key string
		switch {
		case by == "userloc":
			key = formatGoLoc(g.UserLoc)
		case by == "curloc":
			key = formatGoLoc(g.CurrentLoc)
		case by == "goloc":
			key = formatGoLoc(g.GoLoc)
		case by == "startloc":
			key = formatGoLoc(g.StartLoc)
		case by == "running":
			key = "not running"
			if g.ThreadID != 0 {
				key = "running"
			}
		case strings.HasPrefix(by, "label "):
			k := strings.TrimPrefix(by, "label ")
			key = k + "=" + g.Labels[k]
		default:
			key = "?"
		}
		counts[key]++
		if len(first[key]) < 5 {
			first[key] = append(first[key], g.ID)
		}
		return true
	})
	if err != nil {
		return err
	}
	switch by {
	case "userloc", "curloc", "goloc", "startloc", "running":
	default:
		if !strings.HasPrefix(by, "label ") {
			return fmt.Errorf("-group %s: group by userloc, curloc, goloc, startloc, running or label <key>", by)
		}
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return counts[keys[i]] > counts[keys[j]] || counts[keys[i]] == counts[keys[j]] && keys[i] < keys[j]
	})
	for _, k := range keys {
		t.printf("Group %s: %d goroutines, e.g. %v\n", k, counts[k], first[k])
	}
	return nil
}

var goroutineCmd = &command{
	names: []string{"goroutine", "gr"},
	group: "goroutines",
	usage: "goroutine [<id> [command]]",
	help: "Without arguments, shows the current goroutine. goroutine <id> selects one: its thread if it\n" +
		"runs on one, else its saved context (a parked goroutine). goroutine <id> <command> runs one\n" +
		"command for that goroutine and comes back.",
	run: func(t *Term, args string) error {
		if args == "" {
			g, err := t.client.CurrentGoroutine()
			if err != nil {
				return err
			}
			printGoroutine(t, *g, true)
			return nil
		}
		idText, rest, _ := strings.Cut(args, " ")
		var id int64
		if _, err := fmt.Sscan(idText, &id); err != nil || id <= 0 {
			return fmt.Errorf("goroutine %q: not a goroutine id; goroutines lists them", idText)
		}
		if rest = strings.TrimSpace(rest); rest != "" {
			prev, err := t.client.CurrentGoroutine()
			if err != nil {
				return err
			}
			if _, err := t.client.SwitchGoroutine(id); err != nil {
				return err
			}
			defer t.client.SwitchGoroutine(prev.ID)
			t.exec(rest, false)
			return nil
		}
		g, err := t.client.SwitchGoroutine(id)
		if err != nil {
			return err
		}
		t.printf("Switched to goroutine %d", g.ID)
		if g.ThreadID != 0 {
			t.printf(" (thread %d)", g.ThreadID)
		}
		t.printf("\n")
		printGoroutine(t, *g, false)
		return nil
	},
}

// goroutineTraces lists goroutines with their stacks: the goroutines are
// collected first (the listing holds the session), then each is unwound.
func goroutineTraces(t *Term, filters []api.GoroutineFilter, long bool) error {
	const maxTraced = 1000
	var gs []api.Goroutine
	more := false
	err := t.client.Goroutines(filters, func(g api.Goroutine) bool {
		if len(gs) == maxTraced {
			more = true
			return false
		}
		gs = append(gs, g)
		return true
	})
	if err != nil {
		return err
	}
	prev, _ := t.client.CurrentGoroutine()
	for _, g := range gs {
		printGoroutine(t, g, long)
		if _, err := t.client.SwitchGoroutine(g.ID); err != nil {
			t.printf("\t(%v)\n", err)
			continue
		}
		frames, err := t.client.Stacktrace(10, false)
		if err != nil {
			t.printf("\t(%v)\n", err)
			continue
		}
		for _, f := range frames {
			fn := f.Location.Function
			if fn == "" {
				fn = "??"
			}
			t.printf("\t%d  %#016x in %s\n\t    at %s:%d\n", f.Index, f.Location.PC, fn, shortPath(f.Location.File), f.Location.Line)
		}
	}
	if prev != nil {
		t.client.SwitchGoroutine(prev.ID)
	}
	if more {
		t.printf("(stacks of the first %d goroutines; filter with -with to see others)\n", maxTraced)
	}
	t.printf("[%d goroutines]\n", len(gs))
	return nil
}
