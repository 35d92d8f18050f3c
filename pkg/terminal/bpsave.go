package terminal

import (
	"fmt"
	"os"
	"strings"

	"github.com/godbg/godbg/service/api"
)

// saveBreakpoints writes the user's breakpoints as a command file that
// source (or --init) restores: break/trace/catch lines with their
// conditions, then hit conditions, on commands and disabled states. A
// breakpoint without a name that needs such a follow-up line is named
// bp<ID> in the file, so that the line finds it whatever id it gets.
func saveBreakpoints(t *Term, path string) error {
	if path == "" {
		return fmt.Errorf("usage: breakpoints -save FILE")
	}
	bps, err := t.client.ListBreakpoints()
	if err != nil {
		return err
	}
	var sb strings.Builder
	sb.WriteString("# godbg breakpoints; restore with: source " + path + "\n")
	n := 0
	for _, b := range bps {
		if b.ID <= 0 {
			continue // internal ones (unrecovered-panic, fatal-throw)
		}
		n++
		writeBreakpoint(&sb, b, t.onCmds[b.ID], t.tracepoints[b.ID])
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		return fmt.Errorf("breakpoints -save: %w", err)
	}
	t.printf("Saved %d breakpoints to %s\n", n, path)
	return nil
}

func writeBreakpoint(sb *strings.Builder, b *api.Breakpoint, on []string, trace bool) {
	ref := b.Name
	if ref == "" && (b.HitCond != "" || len(on) > 0 || b.Disabled) {
		ref = fmt.Sprintf("bp%d", b.ID)
	}
	switch {
	case b.Catch:
		fmt.Fprintf(sb, "catch %s\n", b.Spec)
		return // catchpoints have no name to refer to
	case trace:
		sb.WriteString("trace ")
	default:
		sb.WriteString("break ")
	}
	if ref != "" {
		sb.WriteString(ref + " ")
	}
	sb.WriteString(b.Spec)
	if b.Cond != "" {
		sb.WriteString(" if " + b.Cond)
	}
	sb.WriteString("\n")
	if hc, perG := strings.CutPrefix(b.HitCond, "per goroutine "); perG {
		fmt.Fprintf(sb, "condition -per-g-hitcount %s %s\n", ref, hc)
	} else if b.HitCond != "" {
		fmt.Fprintf(sb, "condition -hitcount %s %s\n", ref, b.HitCond)
	}
	for _, c := range on {
		fmt.Fprintf(sb, "on %s %s\n", ref, c)
	}
	if b.Disabled {
		fmt.Fprintf(sb, "toggle %s\n", ref)
	}
}
