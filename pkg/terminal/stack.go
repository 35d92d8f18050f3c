package terminal

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/godbg/godbg/service/api"
)

var stackCmd = &command{
	names: []string{"stack", "bt"},
	group: "stack",
	usage: "stack [depth] [-full] [-defer]",
	help: "Prints the stack of the current goroutine (or thread), innermost frame first: pc, function\n" +
		"and the line of each call. -full adds each frame's arguments and locals; -defer the deferred\n" +
		"calls each frame registered (Go). depth defaults to 50.",
	run: func(t *Term, args string) error {
		depth, full, defers := 50, false, false
		for _, a := range strings.Fields(args) {
			switch {
			case a == "-full":
				full = true
			case a == "-defer":
				defers = true
			default:
				n, err := strconv.Atoi(a)
				if err != nil || n <= 0 {
					return fmt.Errorf("stack %q: depth must be a positive number; usage: stack [depth] [-full] [-defer]", a)
				}
				depth = n
			}
		}
		frames, err := t.client.Stacktrace(depth+1, full)
		if err != nil {
			return err
		}
		more := len(frames) > depth
		if more {
			frames = frames[:depth]
		}
		if !defers {
			for i := range frames {
				frames[i].Defers = nil
			}
		}
		printFrames(t, frames)
		if more {
			t.printf("(more frames: stack %d shows more)\n", depth*2)
		}
		return nil
	},
}

func printFrames(t *Term, frames []api.Frame) {
	sel := t.client.SelectedFrame()
	w := len(strconv.Itoa(len(frames)))
	for _, f := range frames {
		mark := " "
		if f.Index == sel {
			mark = "*"
		}
		fn := f.Location.Function
		if fn == "" {
			fn = "??"
		}
		note := ""
		switch {
		case f.Inlined:
			note = " (inlined)"
		case f.Sigtramp:
			note = " <signal handler called>"
		}
		if f.Location.Library != "" {
			note += " from " + filepath.Base(f.Location.Library)
		}
		t.printf("%s%*d  %#016x in %s%s\n", mark, w, f.Index, f.Location.PC, fn, note)
		if f.Location.File != "" {
			t.printf("%*s   at %s:%d\n", w+1, "", shortPath(f.Location.File), f.Location.Line)
		}
		printDefers(t, w, f.Defers)
		for _, v := range f.Args {
			t.printf("%*s       %s\n", w+1, "", formatVar(v))
		}
		for _, v := range f.Locals {
			t.printf("%*s       %s\n", w+1, "", formatVar(v))
		}
		if f.Err != "" {
			t.printf("%*s   (the stack ends here: %s)\n", w+1, "", f.Err)
		}
	}
}

func formatVar(v api.Variable) string {
	if v.Err != "" {
		return fmt.Sprintf("%s = (%s)", v.Name, v.Err)
	}
	return fmt.Sprintf("%s = %s", v.Name, v.Value)
}

var frameCmd = &command{
	names: []string{"frame"},
	group: "stack",
	usage: "frame <n> [command]",
	help: "Selects frame n of the current goroutine's stack (0: innermost) for list, print, locals and\n" +
		"args; with a command, runs it in that frame and goes back to the frame selected before.",
	run: func(t *Term, args string) error {
		nText, rest, _ := strings.Cut(args, " ")
		n, err := strconv.Atoi(nText)
		if err != nil {
			return fmt.Errorf("frame %q: not a frame number; usage: frame <n> [command]", nText)
		}
		if rest = strings.TrimSpace(rest); rest != "" {
			prev := t.client.SelectedFrame()
			if _, err := t.client.SelectFrame(n); err != nil {
				return err
			}
			defer t.client.SelectFrame(prev)
			t.exec(rest, false)
			return nil
		}
		return selectFrame(t, n)
	},
}

var upCmd = &command{
	names: []string{"up"},
	group: "stack",
	usage: "up [n]",
	help:  "Selects the frame n (default 1) levels out: the caller.",
	run:   func(t *Term, args string) error { return moveFrame(t, args, 1) },
}

var downCmd = &command{
	names: []string{"down"},
	group: "stack",
	usage: "down [n]",
	help:  "Selects the frame n (default 1) levels in: the callee.",
	run:   func(t *Term, args string) error { return moveFrame(t, args, -1) },
}

func moveFrame(t *Term, args string, dir int) error {
	n := 1
	if args != "" {
		var err error
		if n, err = strconv.Atoi(args); err != nil || n < 0 {
			return fmt.Errorf("%q: not a number of frames", args)
		}
	}
	if cur := t.client.SelectedFrame(); dir < 0 && n > cur {
		return fmt.Errorf("down %d: the selected frame is %d, so down goes at most %d (frame 0 is the innermost)", n, cur, cur)
	}
	return selectFrame(t, t.client.SelectedFrame()+dir*n)
}

func selectFrame(t *Term, n int) error {
	f, err := t.client.SelectFrame(n)
	if err != nil {
		return err
	}
	fn := f.Location.Function
	if fn == "" {
		fn = "??"
	}
	t.printf("Frame %d: %s() %s:%d (PC: %#x)\n", f.Index, fn, shortPath(f.Location.File), f.Location.Line, f.Location.PC)
	if f.Location.Line > 0 {
		if src, err := t.client.ListSource("", 2); err == nil {
			printSourceLines(t, src)
		}
	}
	return nil
}

// printDefers prints a frame's deferred calls as Delve's stack -defer does.
func printDefers(t *Term, w int, defers []api.Defer) {
	for j, d := range defers {
		head := fmt.Sprintf("%*s    defer %d: ", w+1, "", j+1)
		pad := strings.Repeat(" ", len(head))
		t.printf("%s%#016x in %s\n", head, d.Deferred.PC, d.Deferred.Function)
		t.printf("%sat %s:%d\n", pad, shortPath(d.Deferred.File), d.Deferred.Line)
		t.printf("%sdeferred by %s at %s:%d\n", pad, d.DeferredBy.Function, shortPath(d.DeferredBy.File), d.DeferredBy.Line)
	}
}
