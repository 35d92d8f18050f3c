package dap

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// consoleLog is a slog handler that shows the session's log in the
// client's debug console (launch option showLog). Lines go through a
// queue and a goroutine: logging happens while a message is being
// written, and must not wait for the wire.
type consoleLog struct {
	next  slog.Handler // the server's own log
	lines chan string
	attrs []slog.Attr
}

func (h *consoleLog) Enabled(ctx context.Context, l slog.Level) bool { return true }

func (h *consoleLog) Handle(ctx context.Context, r slog.Record) error {
	var b strings.Builder
	fmt.Fprintf(&b, "godbg %s %s", r.Level, r.Message)
	for _, a := range h.attrs {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
	}
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	select {
	case h.lines <- b.String() + "\n":
	default: // the console is behind: the line is dropped
	}
	if h.next.Enabled(ctx, r.Level) {
		return h.next.Handle(ctx, r)
	}
	return nil
}

func (h *consoleLog) WithAttrs(as []slog.Attr) slog.Handler {
	return &consoleLog{next: h.next.WithAttrs(as), lines: h.lines, attrs: append(append([]slog.Attr{}, h.attrs...), as...)}
}

func (h *consoleLog) WithGroup(name string) slog.Handler {
	return &consoleLog{next: h.next.WithGroup(name), lines: h.lines, attrs: h.attrs}
}

// showLog turns on the showLog option: the session's log (the dap
// layer's; logOutput may name only "dap") also goes to the console.
func (s *session) showLog(o *commonArgs) error {
	if !o.ShowLog {
		return nil
	}
	for _, l := range strings.Split(o.LogOutput, ",") {
		if l = strings.TrimSpace(l); l != "" && l != "dap" {
			return fmt.Errorf("logOutput %q: godbg's DAP server logs only the \"dap\" layer; use godbg exec --log-output for the others", o.LogOutput)
		}
	}
	lines := make(chan string, 256)
	s.log = slog.New(&consoleLog{next: s.log.Handler(), lines: lines})
	go func() {
		for {
			select {
			case l := <-lines:
				s.output("console", l)
			case <-s.done:
				return
			}
		}
	}()
	return nil
}
